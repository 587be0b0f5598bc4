//! The benchmark of issue 4, in one run: jwtcheck beside the HMAC floor,
//! jsonwebtoken and jwt-simple on the same tokens with equivalent validation;
//! rejection paths; key construction; two threads. `scripts/bench-report`
//! runs it and prints the table.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jwtcheck_bench::{
    JsonWebToken, JwtSimple, Jwtcheck, SUPABASE_SECRET, accepted_cases, floor_key, floor_verify, now, rejected_cases,
};

fn accept(c: &mut Criterion) {
    let (jwtcheck, jsonwebtoken, jwt_simple) = (Jwtcheck::default(), JsonWebToken::default(), JwtSimple::default());
    let floor = floor_key(SUPABASE_SECRET);
    let now = now();
    for case in accepted_cases() {
        let token = case.token.as_str();
        assert!(jwtcheck.verify(token, now) && jsonwebtoken.verify(token) && jwt_simple.verify(token));
        let mut group = c.benchmark_group(format!("accept_{}", case.name));
        group.throughput(Throughput::Bytes(token.len() as u64));
        group.bench_function("floor", |b| b.iter(|| floor_verify(black_box(&floor), black_box(token))));
        group.bench_function("jwtcheck", |b| b.iter(|| jwtcheck.verify(black_box(token), black_box(now))));
        group.bench_function("jsonwebtoken", |b| b.iter(|| jsonwebtoken.verify(black_box(token))));
        group.bench_function("jwt_simple", |b| b.iter(|| jwt_simple.verify(black_box(token))));
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

criterion_group!(benches, accept, reject, key_construction, threads);
criterion_main!(benches);
