//! Stage costs on the Supabase `email_user` token, for profiling (not part of
//! the report): base64url decoding, UTF-8 validation, the JSON scan.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jwtcheck::internals::{base64url_decode, scan_json_object};
use jwtcheck_bench::supabase_email_user;

fn stages(c: &mut Criterion) {
    let (token, _) = supabase_email_user();
    let mut parts = token.split('.');
    let (header, payload) = (parts.next().expect("header"), parts.next().expect("payload"));
    let mut buf = [0u8; 2048];
    let decoded = base64url_decode(payload.as_bytes(), &mut buf).expect("payload").to_vec();
    let text = std::str::from_utf8(&decoded).expect("utf-8").to_owned();

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(payload.len() as u64));
    group.bench_function("base64url_payload", |b| {
        b.iter(|| base64url_decode(black_box(payload.as_bytes()), &mut buf).map(|d| d.len()))
    });
    group.throughput(Throughput::Bytes(decoded.len() as u64));
    group.bench_function("utf8_payload", |b| b.iter(|| std::str::from_utf8(black_box(&decoded)).is_ok()));
    group.bench_function("json_scan_payload", |b| b.iter(|| scan_json_object(black_box(&text), 32)));
    group.throughput(Throughput::Bytes(header.len() as u64));
    group.bench_function("base64url_header", |b| {
        b.iter(|| base64url_decode(black_box(header.as_bytes()), &mut buf).map(|d| d.len()))
    });
    group.finish();

    // The cost of returning owned claims (a zeroed 6 KiB buffer) versus
    // decoding into the caller's buffer.
    let key = jwtcheck::Hs256Key::new(jwtcheck_bench::SUPABASE_SECRET).expect("key");
    let validation = jwtcheck::Validation::new().audience("authenticated");
    let (token, now) = supabase_email_user();
    let mut group = c.benchmark_group("api");
    group.bench_function("verify", |b| b.iter(|| jwtcheck::verify(black_box(&token), &key, &validation, now).is_ok()));
    let mut out = [0u8; 1024];
    group.bench_function("verify_in", |b| {
        b.iter(|| jwtcheck::verify_in(black_box(&token), &key, &validation, now, &mut out).is_ok())
    });
    // Typing the verified claims as a Supabase token, after verification.
    let claims = jwtcheck::verify(&token, &key, &validation, now).expect("verified");
    group.bench_function("supabase_view", |b| b.iter(|| black_box(&claims).supabase().is_ok()));
    // Typing the verified claims into a typical user struct with serde.
    group.bench_function("deserialize_struct", |b| b.iter(|| black_box(&claims).deserialize::<Session<'_>>().is_ok()));
    group.finish();
}

/// A typical application struct for the `email_user` claims: borrowed
/// strings (none of these fields holds an escape), numbers, a nested object.
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "only deserialized")]
struct Session<'a> {
    #[serde(borrow)]
    sub: &'a str,
    email: &'a str,
    role: &'a str,
    aal: &'a str,
    session_id: &'a str,
    exp: u64,
    iat: u64,
    is_anonymous: bool,
    #[serde(borrow)]
    app_metadata: AppMetadata<'a>,
    #[serde(borrow)]
    user_metadata: UserMetadata<'a>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "only deserialized")]
struct AppMetadata<'a> {
    provider: &'a str,
}

#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "only deserialized")]
struct UserMetadata<'a> {
    full_name: &'a str,
    email_verified: bool,
}

criterion_group!(benches, stages);
criterion_main!(benches);
