//! Verifies a Supabase access token on a Cortex-M4F without a heap: the
//! header and payload are decoded into a buffer on the stack
//! (`jwtcheck::verify_in`), and the clock is a fixed `NOW` (a board without
//! an RTC gets the time from elsewhere, e.g. a signed time message).
//!
//! The outcome is printed over semihosting and becomes the exit status under
//! qemu (`cargo run --release`). On a board without a debugger attached,
//! semihosting calls trap; read the `PASSED`/`DONE` statics instead.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::panic::PanicInfo;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use cortex_m_rt::entry;
use cortex_m_semihosting::debug::{self, EXIT_FAILURE, EXIT_SUCCESS};
use cortex_m_semihosting::hprintln;
use jwtcheck::{ClaimsRef, Error, Hs256Key, Validation, verify_in};

/// The Supabase CLI's public default secret, as raw bytes (Supabase never
/// base64-decodes the secret).
const SECRET: &[u8] = b"super-secret-jwt-token-with-at-least-32-characters-long";

/// The `email_user` sample of the repository's `tests/data/supabase.json`:
/// 829 characters, a 52-byte header and a 535-byte payload.
const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsImtpZCI6IlhrM3BROXZMcjJUeis4YlciLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1LCJpYXQiOjE3NjcyNjIyNDUsImVtYWlsIjoiem9lLm9icmllbkBleGFtcGxlLmNvbSIsInBob25lIjoiIiwiYXBwX21ldGFkYXRhIjp7InByb3ZpZGVyIjoiZW1haWwiLCJwcm92aWRlcnMiOlsiZW1haWwiXX0sInVzZXJfbWV0YWRhdGEiOnsiY29tcGFueSI6IlNtaXRoIFx1MDAyNiBTb25zIFx1MDAzY1VLXHUwMDNlIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1bGxfbmFtZSI6Ilpvw6sgTydCcmllbiJ9LCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImFhbCI6ImFhbDEiLCJhbXIiOlt7Im1ldGhvZCI6InBhc3N3b3JkIiwidGltZXN0YW1wIjoxNzY3MjU2ODQ1fV0sInNlc3Npb25faWQiOiIzYzlhN2IyZS01ZDQxLTRmMDgtYTZlMy05MWIwYzJkNGY3YTgiLCJpc19hbm9ueW1vdXMiOmZhbHNlfQ.v0k7pIMbQRIkFB3ewSq7p2tQX60n879WvrDUJ5Pr2dA";

/// [`TOKEN`] with the last signature character changed from `A` to `E`: the
/// MAC no longer matches. (`B` would be `malformed`: the last of 43 base64url
/// characters carries 2 padding bits that must be zero, RFC 4648 §3.5.)
const TAMPERED: [u8; TOKEN.len()] = {
    let mut t = [0u8; TOKEN.len()];
    let src = TOKEN.as_bytes();
    let mut i = 0;
    while i < src.len() {
        t[i] = src[i];
        i += 1;
    }
    t[src.len() - 1] = b'E';
    t
};

const SUB: &str = "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01";
const EXP: u64 = 1767265845;
/// The token's `iat`: a fixed moment inside its validity.
const NOW: u64 = 1767262245;

/// Bytes of decode buffer. It must hold the decoded header and, separately,
/// the decoded payload (the header is decoded first, then overwritten): here
/// 52 and 535 bytes. 1024 leaves room for a larger `user_metadata`: any token
/// whose payload segment is at most 1365 characters (about 1.4 KB of token)
/// fits; a larger one is `Error::TooLarge`, never a panic or overflow.
const BUF_LEN: usize = 1024;

static VALIDATION: Validation<'static> =
    Validation::new().audience("authenticated").issuer("https://kqzrvxwlmtpbhdcnsjfg.supabase.co/auth/v1");

// `#[used]` keeps these write-only statics (and the stores to them) in the
// image, where a debugger or the RAM dump reads them.

/// How many of the checks below gave the expected verdict.
#[used]
static PASSED: AtomicU32 = AtomicU32::new(0);
/// Set once every check has run.
#[used]
static DONE: AtomicBool = AtomicBool::new(false);
/// The stack pointer just before the checks: the stack-probe measurement
/// counts from here down (read by `stack-probe.py` from the RAM dump).
#[used]
static SP_BEFORE_VERIFY: AtomicU32 = AtomicU32::new(0);

const CHECKS: u32 = 4;

/// `verify_in`, kept out of line so that its stack use is its own frame
/// chain below the caller's (the caller holds the buffer).
#[inline(never)]
fn check<'b>(token: &[u8], key: &Hs256Key, now: u64, buf: &'b mut [u8]) -> Result<ClaimsRef<'b>, Error> {
    verify_in(token, key, &VALIDATION, now, buf)
}

#[entry]
fn main() -> ! {
    let Ok(key) = Hs256Key::new(SECRET) else {
        hprintln!("error: the key was refused");
        exit(EXIT_FAILURE);
    };
    let mut buf = [0u8; BUF_LEN];
    let mut small = [0u8; 256];

    SP_BEFORE_VERIFY.store(cortex_m::register::msp::read(), Ordering::Relaxed);
    let valid = check(TOKEN.as_bytes(), &key, NOW, &mut buf).map(|c| (c.sub().is_some_and(|s| s == SUB), c.exp()));
    let outcomes = [
        valid.map(|_| ()),
        check(TOKEN.as_bytes(), &key, EXP, &mut buf).map(|_| ()),
        check(&TAMPERED, &key, NOW, &mut buf).map(|_| ()),
        check(TOKEN.as_bytes(), &key, NOW, &mut small).map(|_| ()),
    ];
    let expected = [Ok(()), Err(Error::Expired), Err(Error::InvalidSignature), Err(Error::TooLarge)];
    let valid_claims_right = matches!(valid, Ok((true, Some(exp))) if exp.as_secs() == EXP);
    let passed = outcomes.iter().zip(&expected).filter(|(got, want)| got == want).count() as u32;
    let passed = if valid_claims_right { passed } else { passed.saturating_sub(1) };
    PASSED.store(passed, Ordering::Relaxed);
    DONE.store(true, Ordering::Release);

    if cfg!(feature = "stack-probe") {
        // The host dumps RAM now; printing would deepen the stack further.
        loop {
            cortex_m::asm::wfi();
        }
    }

    hprintln!("jwtcheck verify_in on thumbv7em-none-eabihf, {}-byte stack buffer", BUF_LEN);
    let names = ["valid token at iat", "the same token at exp", "a tampered signature", "a 256-byte buffer"];
    for ((name, got), want) in names.iter().zip(&outcomes).zip(&expected) {
        let verdict = match got {
            Ok(()) => "accepted",
            Err(e) => e.kind(),
        };
        let mark = if got == want { "ok" } else { "UNEXPECTED" };
        hprintln!("{}: {} ({})", name, verdict, mark);
    }
    hprintln!("claims of the valid token: sub and exp {}", if valid_claims_right { "as expected" } else { "WRONG" });
    if passed == CHECKS {
        hprintln!("all {} verdicts as expected", CHECKS);
        exit(EXIT_SUCCESS)
    } else {
        hprintln!("FAILED: {} of {} verdicts as expected", passed, CHECKS);
        exit(EXIT_FAILURE)
    }
}

/// Ends the qemu run with `status`; on hardware (where the semihosting call
/// returns or traps) sleeps forever.
fn exit(status: debug::ExitStatus) -> ! {
    debug::exit(status);
    loop {
        cortex_m::asm::wfi();
    }
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    hprintln!("panic");
    exit(EXIT_FAILURE)
}
