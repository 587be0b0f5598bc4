//! Runs one verification in a loop, for `perf record` / `valgrind --tool=callgrind`:
//! `cargo build --release -p jwtcheck-bench --bin profile`, then e.g.
//! `valgrind --tool=callgrind target/release/profile jwtcheck supabase 10000`.
//!
//! Verifiers: `jwtcheck`, `jwtcheck_in` (`verify_in` into a reused 1 KiB
//! buffer instead of the 6 KiB `Claims`), `jwtcheck_cached` (through a
//! `TokenCache`: one miss, then hits; `es256_cached` and `rs256_cached`
//! likewise on their tokens), `floor`, `physical` (SHA-256's block
//! compression alone over what the floor's HMAC compresses), `scan` (the payload's JSON scan only),
//! `base64` (the payload's decoding only), `jsonwebtoken` and
//! `jsonwebtoken_aws_lc_rs` (jsonwebtoken 11 on each backend). Tokens: the benchmark's accepted
//! cases (`small`, `supabase`, `large`) and rejected ones.
//!
//! ES256 (the token argument is ignored: always the `es256_user` token):
//! `es256_floor` (p256 verify), `es256_floor_aws` (aws-lc-rs, key parsed
//! once), `es256_jwtcheck` (`Es256Key`; build with `--features
//! jwtcheck/aws-lc-rs` for its assembly backend),
//! `es256_keyset` (`KeySet<4>` from the JWKS). RS256 and EdDSA likewise
//! (their benchmark tokens): `rs256_floor` (jwtcheck's RSA check alone),
//! `rs256_floor_aws` (aws-lc-rs, key parsed once),
//! `rs256_jwtcheck`, `rs256_keyset`, `eddsa_floor` (ed25519-dalek `verify_strict`),
//! `eddsa_jwtcheck`. Instructions per verify: the callgrind total at N
//! verifications minus the total at 0.

use std::hint::black_box;

use jwtcheck::internals::{base64url_decode, scan_json_object};
use jwtcheck_bench::eddsa::{self, EdDsaCase};
use jwtcheck_bench::es256::{self, Es256Case};
use jwtcheck_bench::rs256::{self, Rs256Case};
use jwtcheck_bench::{
    JsonWebToken, Jwtcheck, SUPABASE_SECRET, accepted_cases, floor_key, floor_verify, now, rejected_cases,
};

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
    let [jwt_rust_crypto, jwt_aws_lc] = JsonWebToken::on_both_backends(
        jsonwebtoken::Algorithm::HS256,
        jsonwebtoken::DecodingKey::from_secret(SUPABASE_SECRET),
    );
    match what.as_str() {
        "jsonwebtoken_aws_lc_rs" => jwt_aws_lc.select(),
        _ => jwt_rust_crypto.select(),
    }
    let now = now();
    let payload = token.split('.').nth(1).unwrap_or_default();
    let mut buf = vec![0u8; token.len()];
    let text = base64url_decode(payload.as_bytes(), &mut buf)
        .ok()
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default()
        .to_owned();
    let es = Es256Case::default();
    let (es_floor, es_floor_aws) = es256::floor_keys(&es);
    let es_verifiers = es256::verifiers(&es);
    let rs = Rs256Case::default();
    let (rs_floor, rs_verifiers) = (rs256::Floors::new(&rs), rs256::verifiers(&rs));
    let ed = EdDsaCase::default();
    let (ed_floor, _) = eddsa::floor_keys(&ed);
    let ed_verifiers = eddsa::verifiers(&ed);
    // `verify_in`'s buffer, reused as a caller would.
    let mut stack_buf = [0u8; 1024];
    // The token cache, warmed by the first iteration: the rest are hits.
    let mut cache = Box::new(jwtcheck::TokenCache::<64>::new([0x5a; 16]));
    let mut ok = 0u64;
    for _ in 0..n {
        let accepted = match what.as_str() {
            "es256_floor" => es256::floor_p256(black_box(&es_floor), black_box(&es.token)),
            "es256_floor_aws" => es256::floor_aws_lc(black_box(&es_floor_aws), black_box(&es.token)),
            "rs256_floor_aws" => rs256::floor_aws_lc(black_box(&rs_floor.aws_lc), black_box(&rs.token)),
            "es256_jwtcheck" => es_verifiers.jwtcheck.verify(black_box(&es.token), black_box(now)),
            "es256_keyset" => es_verifiers.keyset.verify(black_box(&es.token), black_box(now)),
            "rs256_floor" => rs256::floor_jwtcheck_rsa(black_box(&rs_floor.jwtcheck), black_box(&rs.token)),
            "rs256_jwtcheck" => rs_verifiers.jwtcheck.verify(black_box(&rs.token), black_box(now)),
            "rs256_keyset" => rs_verifiers.keyset.verify(black_box(&rs.token), black_box(now)),
            "eddsa_floor" => eddsa::floor_dalek(black_box(&ed_floor), black_box(&ed.token)),
            "eddsa_jwtcheck" => ed_verifiers.jwtcheck.verify(black_box(&ed.token), black_box(now)),
            "jwtcheck_in" => jwtcheck.verify_in(black_box(&token), black_box(now), &mut stack_buf),
            "jwtcheck_cached" => jwtcheck.verify_cached(&mut cache, black_box(&token), black_box(now)),
            "es256_cached" => es_verifiers.jwtcheck.verify_cached(&mut cache, black_box(&es.token), black_box(now)),
            "rs256_cached" => rs_verifiers.jwtcheck.verify_cached(&mut cache, black_box(&rs.token), black_box(now)),
            "jsonwebtoken" => jwt_rust_crypto.verify(black_box(&token)),
            "jsonwebtoken_aws_lc_rs" => jwt_aws_lc.verify(black_box(&token)),
            "floor" => floor_verify(black_box(&floor), black_box(&token)),
            "physical" => jwtcheck_bench::physical_sha256(black_box(&token)) != 1,
            "scan" => scan_json_object(black_box(&text), 32).is_ok(),
            "base64" => base64url_decode(black_box(payload.as_bytes()), &mut buf).is_ok(),
            _ => jwtcheck.verify(black_box(&token), black_box(now)),
        };
        ok += u64::from(accepted);
    }
    println!("{what} {case}: {ok}/{n} accepted");
}
