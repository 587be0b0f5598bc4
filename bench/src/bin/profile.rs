//! Runs one verification in a loop, for `perf record` / `valgrind --tool=callgrind`:
//! `cargo build --release -p jwtcheck-bench --bin profile`, then e.g.
//! `valgrind --tool=callgrind target/release/profile jwtcheck supabase 10000`.
//!
//! Verifiers: `jwtcheck`, `floor`, `scan` (the payload's JSON scan only),
//! `base64` (the payload's decoding only). Tokens: the benchmark's accepted
//! cases (`small`, `supabase`, `large`) and rejected ones.

use std::hint::black_box;

use jwtcheck::internals::{base64url_decode, scan_json_object};
use jwtcheck_bench::{Jwtcheck, SUPABASE_SECRET, accepted_cases, floor_key, floor_verify, now, rejected_cases};

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "jwtcheck".to_owned());
    let case = args.next().unwrap_or_else(|| "supabase".to_owned());
    let n: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let token = accepted_cases()
        .into_iter()
        .chain(rejected_cases())
        .find(|c| c.name == case)
        .unwrap_or_else(|| panic!("no case {case}"))
        .token;
    let jwtcheck = Jwtcheck::default();
    let floor = floor_key(SUPABASE_SECRET);
    let now = now();
    let payload = token.split('.').nth(1).unwrap_or_default();
    let mut buf = vec![0u8; token.len()];
    let text = base64url_decode(payload.as_bytes(), &mut buf)
        .ok()
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default()
        .to_owned();
    let mut ok = 0u64;
    for _ in 0..n {
        let accepted = match what.as_str() {
            "floor" => floor_verify(black_box(&floor), black_box(&token)),
            "scan" => scan_json_object(black_box(&text), 32).is_ok(),
            "base64" => base64url_decode(black_box(payload.as_bytes()), &mut buf).is_ok(),
            _ => jwtcheck.verify(black_box(&token), black_box(now)),
        };
        ok += u64::from(accepted);
    }
    println!("{what} {case}: {ok}/{n} accepted");
}
