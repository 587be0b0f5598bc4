//! Heap allocations per verification, for each verifier and token: a
//! counting global allocator around the system one. Prints one JSON object
//! per line; `scripts/bench-report` puts the numbers beside the times.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use jwtcheck_bench::backend::{self, Backend};
use jwtcheck_bench::eddsa::{self, EdDsaCase};
use jwtcheck_bench::es256::{self, Es256Case};
use jwtcheck_bench::rs256::{self, Rs256Case};
use jwtcheck_bench::{JsonWebToken, JwtSimple, Jwtcheck, Verifiers, accepted_cases, now, rejected_cases};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// A `GlobalAlloc` needs `unsafe`; this one only counts and forwards to `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const ROUNDS: usize = 100;

fn per_verify(mut f: impl FnMut() -> bool) -> (f64, f64) {
    f();
    let (a, b) = (ALLOCATIONS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    for _ in 0..ROUNDS {
        std::hint::black_box(f());
    }
    let (a2, b2) = (ALLOCATIONS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    ((a2 - a) as f64 / ROUNDS as f64, (b2 - b) as f64 / ROUNDS as f64)
}

fn print(group: &str, verifier: &str, (allocations, bytes): (f64, f64), chars: usize) {
    println!(
        r#"{{"group":"{group}","verifier":"{verifier}","allocations":{allocations},"bytes":{bytes},"chars":{chars}}}"#
    );
}

/// One line per JWT verifier of an asymmetric group; jsonwebtoken is left
/// on RustCrypto.
fn jwt_rows<K: jwtcheck::VerifyingKeys>(group: &str, verifiers: &Verifiers<K>, token: &str, now: u64) {
    for (name, verify) in verifiers.rows(now) {
        print(group, name, per_verify(|| verify(token)), token.len());
    }
    backend::select(Backend::RustCrypto);
}

fn main() {
    let (jwtcheck, jsonwebtoken, jwt_simple) = (Jwtcheck::default(), JsonWebToken::default(), JwtSimple::default());
    let jsonwebtoken_aws_lc = JsonWebToken::hs256_aws_lc();
    let now = now();
    let cases =
        accepted_cases().into_iter().map(|c| ("accept", c)).chain(rejected_cases().into_iter().map(|c| ("reject", c)));
    for (kind, case) in cases {
        let token = case.token.as_str();
        let rows = [
            ("jwtcheck", per_verify(|| jwtcheck.verify(token, now))),
            ("jsonwebtoken", per_verify(|| jsonwebtoken.verify(token))),
            ("jwt_simple", per_verify(|| jwt_simple.verify(token))),
        ];
        for (verifier, counts) in rows {
            print(&format!("{kind}_{}", case.name), verifier, counts, token.len());
        }
        if kind == "accept" {
            let group = format!("accept_{}", case.name);
            let mut one_slot = Box::new(jwtcheck::TokenCache::<1>::new([0x5a; 16]));
            print(
                &group,
                "jwtcheck_cache_miss",
                per_verify(|| jwtcheck.verify_cache_miss(&mut one_slot, token, now)),
                token.len(),
            );
            jsonwebtoken_aws_lc.select();
            print(&group, "jsonwebtoken_aws_lc_rs", per_verify(|| jsonwebtoken_aws_lc.verify(token)), token.len());
            backend::select(Backend::RustCrypto);
        }
    }

    let case = Es256Case::default();
    let token = case.token.as_str();
    let verifiers = es256::verifiers(&case);
    jwt_rows("es256", &verifiers, token, now);
    let import = per_verify(|| jwtcheck::KeySet::<4>::from_jwks(&case.jwks).is_ok());
    print("es256_key_import", "keyset_from_jwks", import, case.jwks.len());

    let case = Rs256Case::default();
    let token = case.token.as_str();
    let floors = rs256::Floors::new(&case);
    let verifiers = rs256::verifiers(&case);
    print("rs256", "rsa_crate", per_verify(|| rs256::rsa_crate(&floors.rsa, token)), token.len());
    jwt_rows("rs256", &verifiers, token, now);
    let import = per_verify(|| jwtcheck::Rs256Key::from_jwk(&case.jwk).is_ok());
    print("rs256_key_import", "rs256key_from_jwk", import, case.jwk.len());

    let case = EdDsaCase::default();
    let token = case.token.as_str();
    let verifiers = eddsa::verifiers(&case);
    jwt_rows("eddsa", &verifiers, token, now);
}
