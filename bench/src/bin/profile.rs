//! Runs one verification in a loop, for `perf record` / `valgrind --tool=callgrind`:
//! `cargo build --release -p jwtcheck-bench --bin profile`, then
//! `valgrind --tool=callgrind target/release/profile supabase 10000`.

use std::hint::black_box;

use jwtcheck::internals::{base64url_decode, scan_json_object};
use jwtcheck::{Hs256Key, Validation, verify};
use jwtcheck_bench::{SUPABASE_SECRET, floor_key, floor_verify, supabase_email_user};

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "supabase".to_owned());
    let n: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let (token, now) = supabase_email_user();
    let key = Hs256Key::new(SUPABASE_SECRET).expect("key");
    let validation =
        Validation::new().audience("authenticated").issuer("https://kqzrvxwlmtpbhdcnsjfg.supabase.co/auth/v1");
    let floor = floor_key(SUPABASE_SECRET);
    let payload = token.split('.').nth(1).expect("payload");
    let mut buf = [0u8; 2048];
    let text =
        std::str::from_utf8(base64url_decode(payload.as_bytes(), &mut buf).expect("b64")).expect("utf8").to_owned();
    let mut ok = 0u64;
    for _ in 0..n {
        let accepted = match what.as_str() {
            "floor" => floor_verify(black_box(&floor), black_box(&token)),
            "scan" => scan_json_object(black_box(&text), 32).is_ok(),
            "base64" => base64url_decode(black_box(payload.as_bytes()), &mut buf).is_ok(),
            _ => verify(black_box(token.as_str()), black_box(&key), black_box(&validation), black_box(now)).is_ok(),
        };
        ok += u64::from(accepted);
    }
    println!("{what}: {ok}/{n} accepted");
}
