//! `TokenCache` and `SharedTokenCache`: a hit skips the signature check but
//! never changes a verdict. Every case asserts the exact outcome and the
//! hit/miss counters.

mod common;

use common::{ES256_HEADER, SECRET, b64, es256_public_jwk, es256_token, key, sign_with, token, token_with_header};
use jwtcheck::{Error, Es256Key, Hs256Key, KeySet, SharedTokenCache, TokenCache, Validation, verify};

const NOW: u64 = 1_700_000_000;
const EXP: u64 = 1_700_003_600;

fn payload() -> String {
    format!(r#"{{"sub":"u1","aud":"authenticated","exp":{EXP},"role":"authenticated"}}"#)
}

fn validation() -> Validation<'static> {
    Validation::new().audience("authenticated")
}

fn cache() -> TokenCache<16> {
    TokenCache::new(*b"0123456789abcdef")
}

#[test]
fn a_repeated_token_hits_and_returns_the_same_claims() {
    let (key, token, mut cache) = (key(), token(&payload()), cache());
    let first = cache.verify(&token, &key, &validation(), NOW).unwrap();
    assert_eq!((cache.hits(), cache.misses()), (0, 1));
    let second = cache.verify(&token, &key, &validation(), NOW + 1).unwrap();
    assert_eq!((cache.hits(), cache.misses()), (1, 1));
    assert_eq!(second.payload(), payload());
    assert_eq!(second.payload(), first.payload());
    assert!(second.sub().unwrap() == "u1");
    assert_eq!(second.exp().map(|d| d.as_secs()), Some(EXP));
    assert_eq!(second.aud().next().map(|a| a.to_string()).as_deref(), Some("authenticated"));
}

#[test]
fn claim_checks_run_on_every_hit() {
    let (key, token, mut cache) = (key(), token(&payload()), cache());
    cache.verify(&token, &key, &validation(), NOW).unwrap();
    // Expiry, on a hit: RFC 7519 §4.1.4, at exp itself.
    assert_eq!(cache.verify(&token, &key, &validation(), EXP).unwrap_err(), Error::Expired);
    assert_eq!(cache.verify(&token, &key, &validation().leeway(1), EXP).map(|_| ()), Ok(()));
    // Another audience or an issuer rule, on a hit.
    let other = Validation::new().audience("service");
    assert_eq!(cache.verify(&token, &key, &other, NOW).unwrap_err(), Error::InvalidAudience);
    let issuer = validation().issuer("https://issuer.example");
    assert_eq!(cache.verify(&token, &key, &issuer, NOW).unwrap_err(), Error::InvalidIssuer);
    assert_eq!((cache.hits(), cache.misses()), (4, 1));
}

#[test]
fn one_changed_byte_misses_and_fails() {
    let (key, good, mut cache) = (key(), token(&payload()), cache());
    cache.verify(&good, &key, &validation(), NOW).unwrap();
    let (input, signature) = good.rsplit_once('.').unwrap();
    let (header, body) = input.split_once('.').unwrap();
    // A payload byte (the same slot: the signature picks it).
    let mut changed_body = body.as_bytes().to_vec();
    changed_body[5] = if changed_body[5] == b'A' { b'B' } else { b'A' };
    let changed_body = String::from_utf8(changed_body).unwrap();
    let tampered = format!("{header}.{changed_body}.{signature}");
    assert_eq!(cache.verify(&tampered, &key, &validation(), NOW).unwrap_err(), Error::InvalidSignature);
    // A signature byte.
    let mut changed_sig = signature.as_bytes().to_vec();
    changed_sig[3] = if changed_sig[3] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{input}.{}", String::from_utf8(changed_sig).unwrap());
    assert_eq!(cache.verify(&tampered, &key, &validation(), NOW).unwrap_err(), Error::InvalidSignature);
    // A header byte: another header, checked from scratch.
    let other_header = token_with_header(r#"{"alg":"HS256","typ":"JWT","x":1}"#, &payload());
    assert!(cache.verify(&other_header, &key, &validation(), NOW).is_ok());
    assert_eq!((cache.hits(), cache.misses()), (0, 4));
    // The original still hits.
    assert!(cache.verify(&good, &key, &validation(), NOW).is_ok());
    assert_eq!(cache.hits(), 1);
}

#[test]
fn a_hit_is_scoped_to_the_key_material() {
    let token = token(&payload());
    let mut cache = cache();
    cache.verify(&token, &key(), &validation(), NOW).unwrap();
    // The same secret in another object: the same key, a hit.
    let same = Hs256Key::new(SECRET).unwrap();
    assert!(cache.verify(&token, &same, &validation(), NOW).is_ok());
    assert_eq!(cache.hits(), 1);
    // Another secret: a miss, and the signature check refuses it.
    let other = Hs256Key::new(b"another-secret-of-at-least-32-bytes-long").unwrap();
    assert_eq!(cache.verify(&token, &other, &validation(), NOW).unwrap_err(), Error::InvalidSignature);
    assert_eq!((cache.hits(), cache.misses()), (1, 2));
}

#[test]
fn key_rotation_in_a_set() {
    let old = Hs256Key::new(SECRET).unwrap();
    let new = Hs256Key::new(b"the-rotated-in-secret-of-at-least-32-bytes").unwrap();
    let kid_token = sign_with(SECRET, br#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#, payload().as_bytes());
    let mut keys = KeySet::<2>::new();
    keys.insert(Some("k1"), old).unwrap();
    let mut cache = cache();
    assert!(cache.verify(&kid_token, &keys, &validation(), NOW).is_ok());
    assert!(cache.verify(&kid_token, &keys, &validation(), NOW).is_ok());
    assert_eq!((cache.hits(), cache.misses()), (1, 1));
    // k1 now names another key (the set rebuilt in place): its stored
    // tokens no longer hit, and fail the signature check.
    keys = KeySet::<2>::new();
    keys.insert(Some("k1"), new).unwrap();
    assert_eq!(cache.verify(&kid_token, &keys, &validation(), NOW).unwrap_err(), Error::InvalidSignature);
    // k1 gone: the selection refuses it before the cache is consulted.
    let empty = KeySet::<2>::new();
    assert_eq!(cache.verify(&kid_token, &empty, &validation(), NOW).unwrap_err(), Error::UnknownKey);
    assert_eq!((cache.hits(), cache.misses()), (1, 2));
}

#[test]
fn clear_empties_the_slots() {
    let (key, token, mut cache) = (key(), token(&payload()), cache());
    cache.verify(&token, &key, &validation(), NOW).unwrap();
    cache.clear();
    cache.verify(&token, &key, &validation(), NOW).unwrap();
    assert_eq!((cache.hits(), cache.misses()), (0, 2));
}

#[test]
fn rejected_tokens_are_never_stored() {
    let (key, mut cache) = (key(), cache());
    let expired = token(&format!(r#"{{"aud":"authenticated","exp":{NOW}}}"#));
    for _ in 0..2 {
        assert_eq!(cache.verify(&expired, &key, &validation(), NOW).unwrap_err(), Error::Expired);
    }
    let wrong_key =
        sign_with(b"not-the-secret-but-also-32-bytes-long!!", common::HEADER.as_bytes(), payload().as_bytes());
    for _ in 0..2 {
        assert_eq!(cache.verify(&wrong_key, &key, &validation(), NOW).unwrap_err(), Error::InvalidSignature);
    }
    assert_eq!((cache.hits(), cache.misses()), (0, 4));
}

#[test]
fn the_depth_limit_of_the_first_verification_is_not_reused() {
    let (key, mut cache) = (key(), cache());
    let nested = token(&format!(r#"{{"exp":{EXP},"a":{{"b":{{"c":[1]}}}}}}"#));
    cache.verify(&nested, &key, &Validation::new(), NOW).unwrap();
    // A stricter limit: not a hit, and the scan refuses the nesting.
    assert_eq!(cache.verify(&nested, &key, &Validation::new().max_depth(2), NOW).unwrap_err(), Error::Malformed);
    assert_eq!((cache.hits(), cache.misses()), (0, 2));
}

#[test]
fn tokens_longer_than_the_slot_are_verified_every_time() {
    let key = key();
    let mut small = TokenCache::<4, 128>::new([1; 16]);
    let long = token(&format!(r#"{{"exp":{EXP},"pad":"{}"}}"#, "x".repeat(200)));
    assert!(long.len() > 128);
    for _ in 0..3 {
        assert!(small.verify(&long, &key, &Validation::new(), NOW).is_ok());
    }
    assert_eq!((small.hits(), small.misses()), (0, 3));
}

#[test]
fn an_empty_cache_never_hits() {
    let key = key();
    let mut none = TokenCache::<0>::new([0; 16]);
    let token = token(&payload());
    for _ in 0..2 {
        assert!(none.verify(&token, &key, &validation(), NOW).is_ok());
    }
    assert_eq!((none.hits(), none.misses()), (0, 2));
}

#[test]
fn es256_hits() {
    let key = Es256Key::from_jwk(&es256_public_jwk()).unwrap();
    let token = es256_token(ES256_HEADER, &payload());
    let mut cache = cache();
    for now in [NOW, NOW + 1, NOW + 2] {
        assert_eq!(cache.verify(&token, &key, &validation(), now).unwrap().payload(), payload());
    }
    assert_eq!((cache.hits(), cache.misses()), (2, 1));
    assert_eq!(cache.verify(&token, &key, &validation(), EXP).unwrap_err(), Error::Expired);
}

/// The same verdict as `verify`, hit or miss, over tokens of every kind:
/// each is verified three times through one cache.
#[test]
fn verdicts_equal_verify() {
    let key = key();
    let good = token(&payload());
    let rows: Vec<String> = vec![
        good.clone(),
        format!("{good}.x"),
        good.replacen('e', "f", 1),
        token(r#"{"exp":"soon"}"#),
        token(&format!(r#"{{"exp":{EXP},"exp":{EXP}}}"#)),
        token_with_header(r#"{"alg":"none"}"#, &payload()),
        token_with_header(r#"{"alg":"HS256","crit":["x"]}"#, &payload()),
        format!("{}.{}.{}", b64(common::HEADER.as_bytes()), b64(payload().as_bytes()), b64(&[0; 32])),
        "a.b.c".to_owned(),
        String::new(),
    ];
    let mut cache = cache();
    for token in &rows {
        let expected = verify(token.as_str(), &key, &validation(), NOW).map(|c| c.payload().to_owned());
        for round in 0..3 {
            let got = cache.verify(token.as_str(), &key, &validation(), NOW).map(|c| c.payload().to_owned());
            assert_eq!(got, expected, "{token:?}, round {round}");
        }
    }
    // Only the good token hit (twice).
    assert_eq!(cache.hits(), 2);
}

#[test]
fn shared_cache_from_two_threads() {
    let key = key();
    // A fixed seed, so that where the 16 tokens land is the same every run.
    let cache = SharedTokenCache::<32>::with_seed(4, *b"fedcba9876543210");
    let tokens: Vec<String> = (0..16).map(|i| token(&format!(r#"{{"sub":"u{i}","exp":{EXP}}}"#))).collect();
    for token in &tokens {
        cache.verify(token, &key, &Validation::new(), NOW).unwrap();
    }
    assert_eq!((cache.hits(), cache.misses()), (0, 16));
    // With two candidate slots each, all 16 found room in the 128.
    for token in &tokens {
        cache.verify(token, &key, &Validation::new(), NOW).unwrap();
    }
    assert_eq!((cache.hits(), cache.misses()), (16, 16));
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..50 {
                    for (i, token) in tokens.iter().enumerate() {
                        let claims = cache.verify(token, &key, &Validation::new(), NOW).unwrap();
                        assert!(claims.sub().unwrap() == format!("u{i}").as_str());
                    }
                }
            });
        }
    });
    // Hits store nothing, so every one of the threads' verifications hit.
    assert_eq!((cache.hits(), cache.misses()), (16 + 2 * 50 * 16, 16));
    assert_eq!(cache.verify(&tokens[0], &key, &Validation::new(), EXP).unwrap_err(), Error::Expired);
    cache.clear();
    cache.verify(&tokens[0], &key, &Validation::new(), NOW).unwrap();
    assert_eq!(cache.misses(), 17);
}
