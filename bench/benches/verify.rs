//! `cargo bench -p jwtcheck-bench`: jwtcheck's full verify beside the HMAC floor.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jwtcheck::{Hs256Key, Validation, verify, verify_in};
use jwtcheck_bench::{SUPABASE_SECRET, floor_key, floor_verify, supabase_email_user};

fn supabase(c: &mut Criterion) {
    let (token, now) = supabase_email_user();
    let key = Hs256Key::new(SUPABASE_SECRET).expect("key");
    let validation =
        Validation::new().audience("authenticated").issuer("https://kqzrvxwlmtpbhdcnsjfg.supabase.co/auth/v1");
    assert!(verify(&token, &key, &validation, now).is_ok());
    let floor = floor_key(SUPABASE_SECRET);
    assert!(floor_verify(&floor, &token));

    let mut group = c.benchmark_group("supabase_email_user");
    group.throughput(Throughput::Bytes(token.len() as u64));
    group.bench_function("floor_hmac", |b| b.iter(|| floor_verify(black_box(&floor), black_box(&token))));
    group.bench_function("jwtcheck_verify", |b| {
        b.iter(|| verify(black_box(token.as_str()), black_box(&key), black_box(&validation), black_box(now)).is_ok())
    });
    let mut buf = [0u8; 2048];
    group.bench_function("jwtcheck_verify_in", |b| {
        b.iter(|| {
            verify_in(black_box(token.as_str()), black_box(&key), black_box(&validation), black_box(now), &mut buf)
                .is_ok()
        })
    });
    group.finish();
}

criterion_group!(benches, supabase);
criterion_main!(benches);
