//! The token cache against `verify` itself: a sequence of input-driven
//! operations (verify a token, possibly edited in one byte, under one of two
//! keys or a key set, at one of several times, with one of two validations;
//! or clear) runs through a small `TokenCache` (two slots, so tokens collide
//! and evict each other, and a 512-byte slot, so long tokens are never
//! stored) and a two-shard `SharedTokenCache`. Every verdict must be
//! `verify`'s: the same error kind, or the same payload.
#![no_main]

use std::sync::LazyLock;

use jwtcheck::{Error, Hs256Key, KeySet, SharedTokenCache, TokenCache, Validation, verify};
use libfuzzer_sys::fuzz_target;

const SECRET_A: &[u8] = b"super-secret-jwt-token-with-at-least-32-characters-long";
const SECRET_B: &[u8] = b"another-secret-of-at-least-thirty-two-bytes!";
/// Around the tokens' `exp` values, including each exact second.
const TIMES: [u64; 6] = [1_767_262_245, 1_767_265_844, 1_767_265_845, 1_999_999_999, 2_000_000_000, 1_000];

struct Keys {
    a: Hs256Key,
    b: Hs256Key,
    both: KeySet<2>,
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let (a, b) = (Hs256Key::new(SECRET_A).unwrap(), Hs256Key::new(SECRET_B).unwrap());
    let mut both = KeySet::new();
    both.insert(Some("a"), a.clone()).unwrap();
    both.insert(Some("b"), b.clone()).unwrap();
    // Tokens without a kid (or with an unknown one) go to key A.
    both.set_legacy_hs256(Some(a.clone()));
    Keys { a, b, both }
});

/// Tokens under each key: the Supabase samples (key A), near twins that
/// differ from each other in one payload byte, one kid per key, and one
/// longer than the small cache's slot.
static TOKENS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let doc: serde_json::Value = serde_json::from_str(include_str!("../../tests/data/supabase.json")).unwrap();
    let mut tokens: Vec<String> =
        doc["tokens"].as_array().unwrap().iter().map(|t| t["token"].as_str().unwrap().to_owned()).collect();
    let sign = |secret: &[u8], h: &str, p: &str| jwtcheck_fuzz::jwt::sign(secret, h.as_bytes(), p.as_bytes());
    for secret in [SECRET_A, SECRET_B] {
        tokens.push(sign(secret, r#"{"alg":"HS256"}"#, r#"{"sub":"u1","aud":"x","exp":2000000000}"#));
        tokens.push(sign(secret, r#"{"alg":"HS256"}"#, r#"{"sub":"u2","aud":"x","exp":2000000000}"#));
        tokens.push(sign(secret, r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"u1","aud":"y","exp":2000000000}"#));
    }
    tokens.push(sign(SECRET_A, r#"{"alg":"HS256","kid":"a"}"#, r#"{"aud":"x","exp":2000000000}"#));
    tokens.push(sign(SECRET_B, r#"{"alg":"HS256","kid":"b"}"#, r#"{"aud":"x","exp":2000000000}"#));
    tokens.push(sign(SECRET_A, r#"{"alg":"HS256"}"#, &format!(r#"{{"pad":"{}","exp":2000000000}}"#, "p".repeat(500))));
    tokens
});

fn validations() -> [Validation<'static>; 2] {
    [Validation::new().accept_any_audience(), Validation::new().audience("x")]
}

/// What a verdict is compared by: the error, or the payload text.
fn verdict(result: Result<jwtcheck::Claims, Error>) -> Result<String, Error> {
    result.map(|claims| claims.payload().to_owned())
}

fuzz_target!(|data: &[u8]| {
    let keys = &*KEYS;
    let validations = validations();
    let mut small = TokenCache::<2, 512>::new([3; 16]);
    let shared = SharedTokenCache::<2, 1024>::with_seed(2, [9; 16]);
    for op in data.chunks_exact(4).take(32) {
        let &[kind, pick, at, byte] = op else { unreachable!() };
        if kind % 16 == 0 {
            small.clear();
            shared.clear();
            continue;
        }
        let mut token = TOKENS[usize::from(pick) % TOKENS.len()].clone().into_bytes();
        // Half the time an edit of one byte, anywhere in the token.
        if kind & 0x10 != 0 {
            let pos = usize::from(at) * token.len() / 256;
            token[pos] = byte;
        }
        let now = TIMES[usize::from(kind >> 5) % TIMES.len()];
        let validation = &validations[usize::from(byte & 1)];
        let (expected, from_small, from_shared) = match (kind >> 1) % 3 {
            0 => (
                verify(&token, &keys.a, validation, now),
                small.verify(&token, &keys.a, validation, now),
                shared.verify(&token, &keys.a, validation, now),
            ),
            1 => (
                verify(&token, &keys.b, validation, now),
                small.verify(&token, &keys.b, validation, now),
                shared.verify(&token, &keys.b, validation, now),
            ),
            _ => (
                verify(&token, &keys.both, validation, now),
                small.verify(&token, &keys.both, validation, now),
                shared.verify(&token, &keys.both, validation, now),
            ),
        };
        let expected = verdict(expected);
        assert_eq!(verdict(from_small), expected, "TokenCache: {}", String::from_utf8_lossy(&token));
        assert_eq!(verdict(from_shared), expected, "SharedTokenCache: {}", String::from_utf8_lossy(&token));
    }
    // Only verified tokens are stored, and every verification is a hit or
    // a miss once it gets to the signature check.
    assert!(small.hits() + small.misses() <= 32);
});
