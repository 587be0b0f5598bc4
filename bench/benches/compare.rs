//! The benchmark of issue 4, in one run: jwtcheck beside the HMAC floor,
//! jsonwebtoken and jwt-simple on the same tokens with equivalent validation;
//! rejection paths; key construction; two threads; ES256 beside the p256
//! and aws-lc-rs floors and both jsonwebtoken backends, and ES256 key
//! import; RS256 and EdDSA beside their portable, aws-lc-rs and ring
//! floors and the same peers, and RSA key import. `scripts/bench-report`
//! runs it and prints the tables.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use jwtcheck_bench::backend::{self, Backend};
use jwtcheck_bench::eddsa::{self, EdDsaCase};
use jwtcheck_bench::es256::{self, Es256Case};
use jwtcheck_bench::rs256::{self, Rs256Case};
use jwtcheck_bench::{
    JsonWebToken, JwtSimple, Jwtcheck, SUPABASE_SECRET, Verifiers, accepted_cases, floor_key, floor_verify, now,
    rejected_cases,
};

fn accept(c: &mut Criterion) {
    let (jwtcheck, jsonwebtoken, jwt_simple) = (Jwtcheck::default(), JsonWebToken::default(), JwtSimple::default());
    let jsonwebtoken_aws_lc = JsonWebToken::hs256_aws_lc();
    let floor = floor_key(SUPABASE_SECRET);
    let now = now();
    for case in accepted_cases() {
        let token = case.token.as_str();
        assert!(jwtcheck.verify(token, now) && jsonwebtoken.verify(token) && jwt_simple.verify(token));
        jsonwebtoken_aws_lc.select();
        assert!(jsonwebtoken_aws_lc.verify(token));
        backend::select(Backend::RustCrypto);
        let mut group = c.benchmark_group(format!("accept_{}", case.name));
        group.throughput(Throughput::Bytes(token.len() as u64));
        group.bench_function("floor", |b| b.iter(|| floor_verify(black_box(&floor), black_box(token))));
        group.bench_function("jwtcheck", |b| b.iter(|| jwtcheck.verify(black_box(token), black_box(now))));
        group.bench_function("jsonwebtoken", |b| b.iter(|| jsonwebtoken.verify(black_box(token))));
        group.bench_function("jsonwebtoken_aws_lc_rs", |b| {
            b.iter(|| {
                jsonwebtoken_aws_lc.select();
                jsonwebtoken_aws_lc.verify(black_box(token))
            })
        });
        backend::select(Backend::RustCrypto);
        group.bench_function("jwt_simple", |b| b.iter(|| jwt_simple.verify(black_box(token))));
        let mut one_slot = Box::new(jwtcheck::TokenCache::<1>::new([0x5a; 16]));
        group.bench_function("jwtcheck_cache_miss", |b| {
            b.iter(|| jwtcheck.verify_cache_miss(&mut one_slot, black_box(token), black_box(now)))
        });
        // The same token again through a warmed `TokenCache` (a hit; the
        // large token is over the default 2 KiB slot and always misses).
        let mut cache = Box::new(jwtcheck::TokenCache::<64>::new([0x5a; 16]));
        assert!(jwtcheck.verify_cached(&mut cache, token, now));
        group.bench_function("jwtcheck_cache_hit", |b| {
            b.iter(|| jwtcheck.verify_cached(&mut cache, black_box(token), black_box(now)))
        });
        group.finish();
    }
}

fn reject(c: &mut Criterion) {
    let (jwtcheck, jsonwebtoken, jwt_simple) = (Jwtcheck::default(), JsonWebToken::default(), JwtSimple::default());
    let now = now();
    for case in rejected_cases() {
        let token = case.token.as_str();
        assert!(!jwtcheck.verify(token, now) && !jsonwebtoken.verify(token) && !jwt_simple.verify(token));
        let mut group = c.benchmark_group(format!("reject_{}", case.name));
        group.bench_function("jwtcheck", |b| b.iter(|| jwtcheck.verify(black_box(token), black_box(now))));
        group.bench_function("jsonwebtoken", |b| b.iter(|| jsonwebtoken.verify(black_box(token))));
        group.bench_function("jwt_simple", |b| b.iter(|| jwt_simple.verify(black_box(token))));
        group.finish();
    }
}

fn key_construction(c: &mut Criterion) {
    let mut group = c.benchmark_group("key_new");
    group.bench_function("jwtcheck", |b| b.iter(|| jwtcheck::Hs256Key::new(black_box(SUPABASE_SECRET))));
    group.bench_function("jsonwebtoken", |b| {
        b.iter(|| jsonwebtoken::DecodingKey::from_secret(black_box(SUPABASE_SECRET)))
    });
    group.bench_function("jwt_simple", |b| {
        b.iter(|| jwt_simple::prelude::HS256Key::from_bytes(black_box(SUPABASE_SECRET)))
    });
    group.finish();
}

/// Time per verification when `threads` threads each verify `iters` times
/// at once, sharing one key and validation by reference.
fn concurrent(jwtcheck: &Jwtcheck, token: &str, now: u64, threads: usize, iters: u64) -> Duration {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..iters {
                    black_box(jwtcheck.verify(black_box(token), black_box(now)));
                }
            });
        }
    });
    // Wall time for `iters` rounds of `threads` verifications: per verify,
    // that is the inverse of the throughput.
    start.elapsed() / threads as u32
}

fn threads(c: &mut Criterion) {
    let jwtcheck = Jwtcheck::default();
    let token = accepted_cases().swap_remove(1).token;
    let now = now();
    let mut group = c.benchmark_group("threads_supabase");
    for n in [1usize, 2] {
        group.bench_function(format!("jwtcheck_{n}"), |b| {
            b.iter_custom(|iters| concurrent(&jwtcheck, &token, now, n, iters))
        });
    }
    group.finish();
}

/// ES256 on the Supabase `es256_user` token: jwtcheck with one key and
/// with the served JWKS in a key set, beside both floors and the peers.
fn es256(c: &mut Criterion) {
    let case = Es256Case::default();
    let token = case.token.as_str();
    let now = now();
    let (p256, aws) = es256::floor_keys(&case);
    let verifiers = es256::verifiers(&case);
    let mut group = c.benchmark_group("es256");
    group.throughput(Throughput::Bytes(token.len() as u64));
    group.bench_function("floor_p256", |b| b.iter(|| es256::floor_p256(black_box(&p256), black_box(token))));
    group.bench_function("floor_aws_lc_rs", |b| b.iter(|| es256::floor_aws_lc(black_box(&aws), black_box(token))));
    jwt_rows(&mut group, &verifiers, token, now);
    let mut cache = Box::new(jwtcheck::TokenCache::<64>::new([0x5a; 16]));
    assert!(verifiers.jwtcheck.verify_cached(&mut cache, token, now));
    group.bench_function("jwtcheck_cache_hit", |b| {
        b.iter(|| verifiers.jwtcheck.verify_cached(&mut cache, black_box(token), black_box(now)))
    });
    group.finish();

    let mut group = c.benchmark_group("es256_key_import");
    group.bench_function("keyset_from_jwks", |b| {
        b.iter(|| jwtcheck::KeySet::<4>::from_jwks(black_box(&case.jwks)).is_ok())
    });
    group
        .bench_function("es256key_from_jwk", |b| b.iter(|| jwtcheck::Es256Key::from_jwk(black_box(&case.jwk)).is_ok()));
    group.finish();
}

/// RS256 on the Supabase `rs256_user` token (2048-bit key): jwtcheck with
/// one key and with the served JWKS in a key set, beside jwtcheck's own RSA
/// check alone, aws-lc-rs and ring, the `rsa` crate and the JWT peers.
fn rs256(c: &mut Criterion) {
    let case = Rs256Case::default();
    let token = case.token.as_str();
    let now = now();
    let floors = rs256::Floors::new(&case);
    let verifiers = rs256::verifiers(&case);
    let mut group = c.benchmark_group("rs256");
    group.throughput(Throughput::Bytes(token.len() as u64));
    group.bench_function("floor_jwtcheck_rsa", |b| {
        b.iter(|| rs256::floor_jwtcheck_rsa(black_box(&floors.jwtcheck), black_box(token)))
    });
    group.bench_function("floor_aws_lc_rs", |b| {
        b.iter(|| rs256::floor_aws_lc(black_box(&floors.aws_lc), black_box(token)))
    });
    group.bench_function("floor_ring", |b| b.iter(|| rs256::floor_ring(black_box(&case.pkcs1_der), black_box(token))));
    group.bench_function("rsa_crate", |b| b.iter(|| rs256::rsa_crate(black_box(&floors.rsa), black_box(token))));
    jwt_rows(&mut group, &verifiers, token, now);
    group.finish();

    // Once per key: jwtcheck precomputes the Montgomery parameters here.
    let mut group = c.benchmark_group("rs256_key_import");
    group
        .bench_function("rs256key_from_jwk", |b| b.iter(|| jwtcheck::Rs256Key::from_jwk(black_box(&case.jwk)).is_ok()));
    group.bench_function("aws_lc_rs_parsed_public_key", |b| {
        b.iter(|| {
            aws_lc_rs::signature::ParsedPublicKey::new(
                &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
                black_box(&case.pkcs1_der),
            )
            .is_ok()
        })
    });
    group.bench_function("jsonwebtoken_from_rsa_components", |b| {
        b.iter(|| {
            jsonwebtoken::DecodingKey::from_rsa_components(black_box(&case.n_b64), black_box(&case.e_b64)).is_ok()
        })
    });
    group.finish();
}

/// EdDSA (Ed25519) on the `eddsa_user` token: jwtcheck with one key and
/// with the JWKS (the OKP key added) in a key set, beside the
/// ed25519-dalek, aws-lc-rs and ring floors and the peers.
fn eddsa(c: &mut Criterion) {
    let case = EdDsaCase::default();
    let token = case.token.as_str();
    let now = now();
    let (dalek, aws) = eddsa::floor_keys(&case);
    let verifiers = eddsa::verifiers(&case);
    let mut group = c.benchmark_group("eddsa");
    group.throughput(Throughput::Bytes(token.len() as u64));
    group.bench_function("floor_ed25519_dalek", |b| b.iter(|| eddsa::floor_dalek(black_box(&dalek), black_box(token))));
    group.bench_function("floor_aws_lc_rs", |b| b.iter(|| eddsa::floor_aws_lc(black_box(&aws), black_box(token))));
    group.bench_function("floor_ring", |b| b.iter(|| eddsa::floor_ring(black_box(&case.x), black_box(token))));
    jwt_rows(&mut group, &verifiers, token, now);
    group.finish();
}

/// The JWT verifiers' rows of an asymmetric group, after checking that each
/// accepts `token`; jsonwebtoken is left on RustCrypto.
fn jwt_rows<K: jwtcheck::VerifyingKeys>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    verifiers: &Verifiers<K>,
    token: &str,
    now: u64,
) {
    for (name, verify) in verifiers.rows(now) {
        assert!(verify(token), "{name}");
        group.bench_function(name, |b| b.iter(|| verify(black_box(token))));
    }
    backend::select(Backend::RustCrypto);
}

criterion_group!(benches, accept, reject, key_construction, threads, es256, rs256, eddsa);
criterion_main!(benches);
