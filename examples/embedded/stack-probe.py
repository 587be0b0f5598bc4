#!/usr/bin/env python3
"""Measures the stack one step of the firmware uses (the HS256 checks, the
ES256 checks, the RS256 checks or the start-up key import), by stack painting under qemu, with no
unsafe code in the firmware.

qemu's `loader` device fills the RAM above .bss (all of it the stack) with
0xAA before reset. The firmware, built with `--features stack-probe` (HS256
checks), `stack-probe-es256` (ES256 checks), `stack-probe-rs256` (RS256
checks) or `stack-probe-jwks` (the key import), runs the steps before the measured one, then repaints the stack
below it with 0xAA from a 40 KiB local array (so an earlier, deeper step
cannot hide the mark) and records that array's low end in PAINT_LOW and the
stack pointer in SP_BEFORE_VERIFY, runs the step, sets DONE and parks.
Through qemu's monitor this script waits for DONE, dumps RAM (`pmemsave`)
and finds the lowest byte from PAINT_LOW up that is no longer 0xAA: the
step's high-water mark. (Below PAINT_LOW lie the frame of the memset that
did the repainting and the earlier steps' marks.) The step used
SP_BEFORE_VERIFY minus that address.

Usage: stack-probe.py ELF   (prints `stack_bytes=N` and details; exit 1 on failure)
"""

import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

RAM_START = 0x20000000
RAM_LEN = 64 * 1024
PAINT = 0xAA


def symbols(elf):
    """The addresses of the probe's statics and the linker's RAM symbols,
    read from the ELF32 symbol table (no binutils needed)."""
    with open(elf, "rb") as f:
        data = f.read()
    if data[:5] != b"\x7fELF\x01" or data[5] != 1:
        sys.exit(f"{elf}: not a little-endian ELF32 file")
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
    sections = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    found = {}
    for _, kind, _, _, offset, size, link, _, _, entsize in sections:
        if kind != 2:  # SHT_SYMTAB
            continue
        strtab = sections[link]
        for i in range(size // entsize):
            name_off, value = struct.unpack_from("<II", data, offset + i * entsize)
            start = strtab[4] + name_off
            name = data[start:data.index(b"\0", start)].decode(errors="replace")
            # Legacy (`_ZN…16SP_BEFORE_VERIFY17h…E`) or v0 mangling.
            for want in ("SP_BEFORE_VERIFY", "PAINT_LOW", "DONE", "PASSED", "EXPECTED"):
                if "embedded_example" in name and re.search(rf"\d{want}(17h[0-9a-f]{{16}}E)?$", name):
                    found[want] = value
            if name in ("__ebss", "__euninit", "_stack_start"):
                found[name] = value
    return found


class Monitor:
    def __init__(self, path, qemu):
        deadline = time.time() + 10
        while True:
            if qemu.poll() is not None:
                sys.exit(f"qemu exited with status {qemu.returncode}")
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.settimeout(10)
        self.read_prompt()

    def read_prompt(self):
        data = b""
        while not data.endswith(b"(qemu) "):
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.decode(errors="replace")

    def command(self, line):
        self.sock.sendall(line.encode() + b"\n")
        return self.read_prompt()

    def word(self, addr):
        out = self.command(f"xp /1wx {addr:#x}")
        m = re.search(rf"{addr:016x}: (0x[0-9a-f]+)", out) or re.search(r": (0x[0-9a-f]+)", out)
        if not m:
            raise RuntimeError(f"unexpected monitor output: {out!r}")
        return int(m.group(1), 16)


def main():
    elf = sys.argv[1]
    syms = symbols(elf)
    for need in ("SP_BEFORE_VERIFY", "PAINT_LOW", "DONE", "PASSED", "EXPECTED", "_stack_start"):
        if need not in syms:
            sys.exit(f"symbol {need} not found in {elf} (built with --features stack-probe?)")
    bss_end = max(syms.get("__ebss", RAM_START), syms.get("__euninit", RAM_START))
    # Word-aligned, and clear of the ELF's .bss segment (qemu refuses overlaps).
    paint_start = (bss_end + 3) & ~3

    with tempfile.TemporaryDirectory() as tmp:
        paint = os.path.join(tmp, "paint.bin")
        with open(paint, "wb") as f:
            f.write(bytes([PAINT]) * (RAM_START + RAM_LEN - paint_start))
        sock = os.path.join(tmp, "monitor.sock")
        dump = os.path.join(tmp, "ram.bin")
        qemu = subprocess.Popen(
            [
                "qemu-system-arm", "-cpu", "cortex-m4", "-machine", "mps2-an386",
                "-display", "none", "-serial", "null",
                "-semihosting-config", "enable=on,target=native",
                "-kernel", elf,
                "-device", f"loader,file={paint},addr={paint_start:#x},force-raw=on",
                "-monitor", f"unix:{sock},server=on,wait=off",
            ],
        )
        try:
            mon = Monitor(sock, qemu)
            deadline = time.time() + 30
            while mon.word(syms["DONE"]) & 0xFF != 1:
                if time.time() > deadline:
                    sys.exit("the firmware did not finish in 30 s")
                time.sleep(0.05)
            sp_before = mon.word(syms["SP_BEFORE_VERIFY"])
            passed = mon.word(syms["PASSED"])
            expected = mon.word(syms["EXPECTED"])
            paint_low = mon.word(syms["PAINT_LOW"])
            # Quoted: HMP would read an unquoted "/" as division.
            mon.command(f"pmemsave {RAM_START:#x} {RAM_LEN} \"{dump}\"")
            with open(dump, "rb") as f:
                ram = f.read()
            mon.sock.sendall(b"quit\n")
            qemu.wait(timeout=10)
        finally:
            if qemu.poll() is None:
                qemu.kill()
                qemu.wait()

    if expected == 0 or passed != expected:
        sys.exit(f"the firmware reported {passed} of {expected} verdicts as expected")
    if not paint_start + 256 <= paint_low < sp_before:
        sys.exit(f"the repainted area ({paint_low:#x}) is not within the stack above .bss")
    # The lowest repainted byte that is no longer paint.
    start = paint_low - RAM_START
    low = next((i for i in range(start, len(ram)) if ram[i] != PAINT), None)
    if low is None:
        sys.exit("no stack use found")
    high_water = RAM_START + low
    if high_water - paint_low < 256:
        sys.exit("the step came within 256 bytes of the repainted area's end: the measurement may have overflowed")
    used = sp_before - high_water
    print(f"stack top (_stack_start)      {syms['_stack_start']:#010x}")
    print(f"sp before the checks          {sp_before:#010x} ({syms['_stack_start'] - sp_before} bytes above it: the reset handler and main's frame, buffers included)")
    print(f"repainted from                {paint_low:#010x}")
    print(f"high-water mark               {high_water:#010x}")
    print(f"stack_bytes={used}")


if __name__ == "__main__":
    main()
