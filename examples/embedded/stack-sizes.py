#!/usr/bin/env python3
"""The worst-case stack of a function, statically: each function's frame from
the `.stack_sizes` section (rustc nightly's `-Z emit-stack-sizes`, read with
`llvm-readobj --stack-sizes`), summed along the deepest path of the call
graph taken from the disassembly (`llvm-objdump -d`).

Direct calls (`bl`) and tail branches to another function (`b`/`b.w` to a
symbol start) are edges; a tail branch is counted as a call, which can only
over-estimate. An indirect call (`blx rN`) or a recursive cycle makes the
bound unknown and fails the script. Functions without a recorded frame
(compiler-builtins' memcpy/memset, written in assembly) are listed and
counted as 0.

Usage: stack-sizes.py ELF FUNCTION_SUBSTRING   (LLVM_BIN: the llvm-tools bin dir)
"""

import os
import re
import subprocess
import sys

BIN = os.environ.get("LLVM_BIN", "")


def tool(name):
    return os.path.join(BIN, name) if BIN else name


def stack_sizes(elf):
    out = subprocess.run([tool("llvm-readobj"), "--stack-sizes", elf], check=True, capture_output=True, text=True).stdout
    sizes = {}
    names = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Functions:"):
            names = re.findall(r"[^\s,\[\]]+", line[len("Functions:"):])
        elif line.startswith("Size:"):
            size = int(line.split()[1], 16)
            for name in names:
                sizes[name] = size
    return sizes


def call_graph(elf):
    out = subprocess.run([tool("llvm-objdump"), "-d", "--no-show-raw-insn", elf], check=True, capture_output=True, text=True).stdout
    calls, indirect, current = {}, {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            current = m.group(1)
            calls.setdefault(current, set())
            continue
        if current is None:
            continue
        m = re.match(r"^\s+[0-9a-f]+:\s+(\S+)\s+(.*)$", line)
        if not m:
            continue
        op, args = m.group(1), m.group(2)
        target = re.search(r"<([^>+]+)>", args)
        if op in ("bl", "blx") and target:
            calls[current].add(target.group(1))
        elif op in ("blx", "bx") and re.match(r"r\d+|ip|lr", args) and not args.startswith("lr"):
            indirect.setdefault(current, []).append(line.strip())
        elif op in ("b", "b.w") and target and target.group(1) != current:
            calls[current].add(target.group(1))
    return calls, indirect


def main():
    elf, root_part = sys.argv[1], sys.argv[2]
    sizes = stack_sizes(elf)
    calls, indirect = call_graph(elf)
    roots = [f for f in calls if root_part in f]
    if len(roots) != 1:
        sys.exit(f"expected one function matching {root_part!r}, found {roots}")
    unknown = set()
    memo = {}

    def worst(f, path):
        if f in path:
            sys.exit(f"recursion: {' -> '.join(path + [f])}")
        if f in indirect:
            sys.exit(f"indirect call in {f}: {indirect[f][0]}")
        if f in memo:
            return memo[f]
        own = sizes.get(f)
        if own is None:
            unknown.add(f)
            own = 0
        deepest = (0, [])
        for callee in calls.get(f, ()):
            deepest = max(deepest, worst(callee, path + [f]))
        memo[f] = (own + deepest[0], [(f, own)] + deepest[1])
        return memo[f]

    total, chain = worst(roots[0], [])
    for name, own in chain:
        print(f"{own:6}  {name}")
    if unknown:
        print(f"no recorded frame (counted as 0): {', '.join(sorted(unknown))}")
    print(f"stack_bytes={total}")


if __name__ == "__main__":
    main()
