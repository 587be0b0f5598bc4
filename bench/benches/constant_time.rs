//! A dudect-style timing test of signature verification (Reparaz, Balasch,
//! Verbauwhede, "Dude, is my code constant time?", 2017), with the
//! `dudect-bencher` crate. Not run in CI (CI only compiles it).
//!
//! ```sh
//! cargo bench -p jwtcheck-bench --bench constant_time
//! DUDECT_SAMPLES=100000 cargo bench -p jwtcheck-bench --bench constant_time   # quicker
//! ```
//!
//! One token, one key; only the 32-byte signature changes, in three classes:
//! wrong in the first byte, wrong in the last byte, and random. Each bench
//! compares two classes with Welch's t-test on the measured times (and on
//! the same times cropped at ~100 percentiles, as dudect does) and prints the
//! largest |t|: below 4.5 the measurements cannot tell the classes apart.
//! Two controls frame the result: `control_early_exit_first_vs_last` times a
//! comparison that stops at the first differing byte (it must show a large
//! |t|, or the harness could not see such a leak on this machine), and
//! `control_same_class` times one class against itself (it must stay below
//! 4.5, or the machine was too noisy for any result of that run to count).
//!
//! Each bench takes `DUDECT_SAMPLES` measurements per class (default
//! 1 000 000), in a random interleaving of the two classes. All signatures
//! are drawn before timing starts, with the same random draws whatever the
//! class, and each is written into the token outside the timed closure.

use std::hint::black_box;

use base64ct::{Base64UrlUnpadded, Encoding};
use dudect_bencher::ctbench::{BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::rand::Rng;
use dudect_bencher::{BenchRng, Class, CtRunner};
use hmac::Mac;
use jwtcheck::{Error, Hs256Key, Validation, verify};
use jwtcheck_bench::{SUPABASE_SECRET, floor_key};

const NOW: u64 = 1_767_262_245;

/// A short token, so the comparison is as large a share of the work as it
/// gets: `{"alg":"HS256","typ":"JWT"}` over `{"sub":"user-1","exp":…}`.
fn signing_input() -> String {
    let enc = |s: &str| Base64UrlUnpadded::encode_string(s.as_bytes());
    format!("{}.{}", enc(r#"{"alg":"HS256","typ":"JWT"}"#), enc(&format!(r#"{{"sub":"user-1","exp":{}}}"#, NOW + 3600)))
}

fn correct_tag(input: &str) -> [u8; 32] {
    let mut mac = floor_key(SUPABASE_SECRET);
    mac.update(input.as_bytes());
    mac.finalize().into_bytes().into()
}

fn samples_per_class() -> usize {
    std::env::var("DUDECT_SAMPLES").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000)
}

#[derive(Clone, Copy)]
enum Wrong {
    FirstByte,
    LastByte,
    Random,
}

/// The signatures of one bench: `n` of each class in a random order, drawn
/// before anything is timed, with the same random draws for every class.
fn inputs(n: usize, left: Wrong, right: Wrong, correct: &[u8; 32], rng: &mut BenchRng) -> Vec<(Class, [u8; 32])> {
    let mut classes: Vec<Class> = (0..2 * n).map(|i| if i < n { Class::Left } else { Class::Right }).collect();
    // Fisher-Yates.
    for i in (1..classes.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        classes.swap(i, j);
    }
    classes
        .into_iter()
        .map(|class| {
            let mut random = [0u8; 32];
            rng.fill_bytes(&mut random);
            let nonzero = (rng.next_u32() % 255) as u8 + 1;
            let mut tag = *correct;
            match if matches!(class, Class::Left) { left } else { right } {
                Wrong::FirstByte => tag[0] ^= nonzero,
                Wrong::LastByte => tag[31] ^= nonzero,
                Wrong::Random if random == *correct => tag[0] ^= nonzero,
                Wrong::Random => tag = random,
            }
            (class, tag)
        })
        .collect()
}

/// Times `verify` on the token with signatures of class `left` and `right`.
fn compare(runner: &mut CtRunner, rng: &mut BenchRng, left: Wrong, right: Wrong) {
    let input = signing_input();
    let correct = correct_tag(&input);
    let key = Hs256Key::new(SUPABASE_SECRET).expect("key");
    let validation = Validation::new();
    let mut token = format!("{input}.{}", Base64UrlUnpadded::encode_string(&correct)).into_bytes();
    assert!(verify(token.as_slice(), &key, &validation, NOW).is_ok(), "the correct token verifies");
    let sig_at = input.len() + 1;

    for (class, tag) in inputs(samples_per_class(), left, right, &correct, rng) {
        Base64UrlUnpadded::encode(&tag, &mut token[sig_at..]).expect("43 characters");
        runner.run_one(class, || verify(black_box(token.as_slice()), &key, &validation, NOW).map(|_| ()));
    }
    assert_eq!(verify(token.as_slice(), &key, &validation, NOW).map(|_| ()), Err(Error::InvalidSignature));
}

fn first_vs_last(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Wrong::FirstByte, Wrong::LastByte);
}

fn first_vs_random(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Wrong::FirstByte, Wrong::Random);
}

fn last_vs_random(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Wrong::LastByte, Wrong::Random);
}

/// The negative control: both classes are "wrong in the first byte". Its |t|
/// must stay small, or the machine is too noisy for the other results to
/// mean anything (other jobs on the same cores, frequency changes).
fn control_same_class(runner: &mut CtRunner, rng: &mut BenchRng) {
    compare(runner, rng, Wrong::FirstByte, Wrong::FirstByte);
}

/// The positive control: the same MAC, compared byte by byte and stopping at
/// the first difference. Its |t| must be large, or the measurements above
/// could not have seen a leak.
fn control_early_exit_first_vs_last(runner: &mut CtRunner, rng: &mut BenchRng) {
    let input = signing_input();
    let correct = correct_tag(&input);
    let floor = floor_key(SUPABASE_SECRET);
    let early_exit = |tag: &[u8; 32]| {
        let mut mac = floor.clone();
        mac.update(input.as_bytes());
        let expected = mac.finalize().into_bytes();
        for (a, b) in expected.iter().zip(tag) {
            if black_box(a) != black_box(b) {
                return false;
            }
        }
        true
    };
    for (class, tag) in inputs(samples_per_class(), Wrong::FirstByte, Wrong::LastByte, &correct, rng) {
        runner.run_one(class, || early_exit(black_box(&tag)));
    }
}

fn main() {
    // `cargo bench` passes `--bench`; this harness takes no arguments.
    let bench = |name, benchfn| BenchMetadata { name: BenchName(name), seed: None, benchfn };
    let benches = vec![
        bench("first_vs_last", first_vs_last),
        bench("first_vs_random", first_vs_random),
        bench("last_vs_random", last_vs_random),
        bench("control_early_exit_first_vs_last", control_early_exit_first_vs_last),
        bench("control_same_class", control_same_class),
    ];
    println!("{} samples per class", samples_per_class());
    run_benches_console(BenchOpts::default(), benches).expect("console output");
}
