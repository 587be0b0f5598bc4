//! Zero heap allocations on every path: an accepted token and each kind of
//! rejection, counted by a global allocator (per thread, so the test
//! harness's own threads do not interfere).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::{HEADER, b64, key, token, token_with_header};
use jwtcheck::{Claim, Error, Hs256Key, Validation, bearer_token, verify, verify_in};

// The only `unsafe` in the project: a `GlobalAlloc` cannot be written
// without it. It forwards to `System` unchanged. The library itself is
// `#![forbid(unsafe_code)]`.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations of one successful ES256 or RS256 key import: none on the
/// portable path; with the `aws-lc-rs` feature, aws-lc-rs's parsed key keeps
/// a boxed copy of the key bytes (one allocation, at import only: every
/// verification below still allocates nothing on Rust's heap).
const PER_ASSEMBLY_KEY: usize = if cfg!(feature = "aws-lc-rs") { 1 } else { 0 };

fn allocations_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let r = f();
    (r, ALLOCATIONS.with(Cell::get) - before)
}

#[test]
fn the_counter_counts() {
    let (_, n) = allocations_during(|| std::hint::black_box(vec![1u8; 10]));
    assert_eq!(n, 1, "the allocator must see allocations, or the other tests prove nothing");
}

#[test]
fn no_allocation_on_any_path() {
    const NOW: u64 = 1_700_000_000;
    let key = key();
    let strict = Validation::new().audience("authenticated").issuer("https://x");
    let ok = r#"{"iss":"https:\/\/x","sub":"u","aud":["\u0061uthenticated"],"exp":1700003600,"x":{"y":[1,2.5e3,"z"]}}"#;
    let good = token(ok);
    let sig = good.rsplit_once('.').unwrap().1;
    let bad_sig = format!("{}.{}", &good[..good.rfind('.').unwrap()], b64(&[0; 32]));
    let rows: Vec<(&str, String, Result<(), Error>)> = vec![
        ("accepted", good.clone(), Ok(())),
        ("too_large", "a".repeat(9000), Err(Error::TooLarge)),
        ("malformed segments", format!("{good}.{sig}"), Err(Error::Malformed)),
        ("malformed payload", token(r#"{"exp":1700003600,}"#), Err(Error::Malformed)),
        ("duplicate", token(r#"{"exp":1700003600,"\u0065xp":1}"#), Err(Error::Malformed)),
        ("unsupported_algorithm", token_with_header(r#"{"alg":"none"}"#, ok), Err(Error::UnsupportedAlgorithm)),
        (
            "unsupported_header",
            token_with_header(r#"{"alg":"HS256","typ":"at+jwt","crit":[]}"#, ok),
            Err(Error::UnsupportedHeader),
        ),
        ("invalid_signature", bad_sig, Err(Error::InvalidSignature)),
        ("invalid_claims", token(r#"{"exp":"1700003600"}"#), Err(Error::InvalidClaims(Claim::Exp))),
        ("expired", token(r#"{"iss":"https://x","aud":"authenticated","exp":1700000000}"#), Err(Error::Expired)),
        (
            "not_yet_valid",
            token(r#"{"iss":"https://x","aud":"authenticated","exp":1800000000,"nbf":1800000000}"#),
            Err(Error::NotYetValid),
        ),
        (
            "invalid_issuer",
            token(r#"{"iss":"https://y","aud":"authenticated","exp":1800000000}"#),
            Err(Error::InvalidIssuer),
        ),
        (
            "invalid_audience",
            token(r#"{"iss":"https://x","aud":"anon","exp":1800000000}"#),
            Err(Error::InvalidAudience),
        ),
        (
            "header with whitespace",
            token_with_header(&format!(" {HEADER} "), r#"{"exp":1,"aud":"authenticated","iss":"https://x"}"#),
            Err(Error::Expired),
        ),
    ];
    let mut buf = [0u8; 1024];
    for (name, token, expected) in &rows {
        let (got, n) = allocations_during(|| verify(token.as_str(), &key, &strict, NOW).map(|c| c.sub().is_some()));
        assert_eq!(got.map(|_| ()), *expected, "{name}");
        assert_eq!(n, 0, "{name}: verify allocated");
        let (got, n) = allocations_during(|| verify_in(token.as_str(), &key, &strict, NOW, &mut buf).map(|_| ()));
        assert_eq!(got, *expected, "{name}");
        assert_eq!(n, 0, "{name}: verify_in allocated");
    }

    // An OwnedValidation allocates when it is built, never per token.
    let owned = jwtcheck::OwnedValidation::new().audience(String::from("authenticated")).issuer("https://x");
    let (got, n) = allocations_during(|| verify(good.as_str(), &key, &owned.as_validation(), NOW).map(|_| ()));
    assert_eq!((got, n), (Ok(()), 0), "verify with an OwnedValidation allocated");

    // Reading the claims allocates nothing either.
    let claims = verify(good.as_str(), &key, &strict, NOW).unwrap();
    let (text, n) = allocations_during(|| {
        let mut out = [0u8; 64];
        let aud = claims.aud().next().unwrap();
        let len = aud.unescape_into(&mut out).unwrap().len();
        (aud == "authenticated", claims.iss().unwrap() == "https://x", len)
    });
    assert_eq!(text, (true, true, 13));
    assert_eq!(n, 0, "claim accessors allocated");

    // Key construction and the bearer helper.
    let (k, n) = allocations_during(|| Hs256Key::new(common::SECRET).map(|_| ()));
    assert_eq!((k, n), (Ok(()), 0));
    let (k, n) =
        allocations_during(|| Hs256Key::from_base64("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA").map(|_| ()));
    assert_eq!((k, n), (Ok(()), 0));
    let header = format!("Bearer {good}");
    let (t, n) = allocations_during(|| bearer_token(&header).map(str::len));
    assert_eq!((t, n), (Ok(good.len()), 0));
}

#[test]
// Many ES256 verifications, minutes in Miri; scripts/miri runs
// tests/es256.rs's supabase_es256_tokens for p256's paths instead.
#[cfg_attr(miri, ignore)]
fn no_allocation_for_es256() {
    use common::{ES256_HEADER, es256_public_jwk, es256_token};
    use jwtcheck::Es256Key;
    const NOW: u64 = 1_700_000_000;
    let payload = r#"{"sub":"u","aud":"authenticated","exp":1700003600,"name":"Smith \u0026 Sons"}"#;
    let good = es256_token(ES256_HEADER, payload);
    let (input, sig) = good.rsplit_once('.').unwrap();
    let zero_r = format!("{input}.{}", b64(&[0; 64]));
    let short = format!("{input}.{}", &sig[..84]);
    let tampered =
        format!("{}.{sig}", es256_token(ES256_HEADER, &payload.replace("u\"", "v\"")).rsplit_once('.').unwrap().0);
    let jwk = es256_public_jwk();
    let (key, n) = allocations_during(|| Es256Key::from_jwk(&jwk));
    assert_eq!(n, PER_ASSEMBLY_KEY, "Es256Key::from_jwk allocated");
    let key = key.unwrap();
    let rsa = jwk.replace(r#""kty":"EC""#, r#""kty":"RSA""#);
    let (bad, n) = allocations_during(|| Es256Key::from_jwk(&rsa).map(|_| ()));
    assert_eq!((bad, n), (Err(Error::InvalidKey(jwtcheck::KeyProblem::Jwk)), 0));
    let validation = Validation::new().audience("authenticated");
    let rows: Vec<(&str, String, Result<(), Error>)> = vec![
        ("accepted", good.clone(), Ok(())),
        ("r = s = 0", zero_r, Err(Error::InvalidSignature)),
        ("63-byte signature", short, Err(Error::InvalidSignature)),
        ("tampered payload", tampered, Err(Error::InvalidSignature)),
        ("HS256 token", token(payload), Err(Error::UnsupportedAlgorithm)),
        ("expired", es256_token(ES256_HEADER, r#"{"aud":"authenticated","exp":1}"#), Err(Error::Expired)),
        ("malformed", format!("{good}.x"), Err(Error::Malformed)),
    ];
    let mut buf = [0u8; 1024];
    for (name, token, expected) in &rows {
        let (got, n) = allocations_during(|| verify(token.as_str(), &key, &validation, NOW).map(|_| ()));
        assert_eq!(got, *expected, "{name}");
        assert_eq!(n, 0, "{name}: verify allocated");
        let (got, n) = allocations_during(|| verify_in(token.as_str(), &key, &validation, NOW, &mut buf).map(|_| ()));
        assert_eq!(got, *expected, "{name}");
        assert_eq!(n, 0, "{name}: verify_in allocated");
    }
}

/// RS256: every import path and every verdict of the verification path.
#[test]
#[cfg(feature = "rs256")]
// 2048- and 4096-bit exponentiations are minutes in Miri.
#[cfg_attr(miri, ignore)]
fn no_allocation_for_rs256() {
    use jwtcheck::{KeyProblem, Rs256Key};

    let data: serde_json::Value = serde_json::from_str(include_str!("data/supabase-asymmetric.json")).unwrap();
    let jwk = data["jwks"]["keys"].as_array().unwrap().iter().find(|k| k["kty"] == "RSA").unwrap().to_string();
    let (key, n) = allocations_during(|| Rs256Key::from_jwk(&jwk));
    assert_eq!(n, PER_ASSEMBLY_KEY, "Rs256Key::from_jwk allocated");
    let key = key.unwrap();
    let wycheproof: serde_json::Value =
        serde_json::from_str(include_str!("data/wycheproof/rsa_signature_4096_sha256_test.json")).unwrap();
    let group = &wycheproof["testGroups"][0];
    let der: Vec<u8> = {
        let hex = group["publicKeyDer"].as_str().unwrap();
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
    };
    let pem = group["publicKeyPem"].as_str().unwrap();
    let (bits, n) = allocations_during(|| Rs256Key::from_public_key_der(&der).map(|k| k.bits()));
    assert_eq!((bits, n), (Ok(4096), PER_ASSEMBLY_KEY), "from_public_key_der");
    let (bits, n) = allocations_during(|| Rs256Key::from_pem(pem).map(|k| k.bits()));
    assert_eq!((bits, n), (Ok(4096), PER_ASSEMBLY_KEY), "from_pem");
    let (bad, n) = allocations_during(|| Rs256Key::from_components(&[0xc5; 128], &[1, 0, 1]).map(|_| ()));
    assert_eq!((bad, n), (Err(Error::WeakKey), 0));
    let (bad, n) = allocations_during(|| Rs256Key::from_components(&[0xc5; 256], &[2]).map(|_| ()));
    assert_eq!((bad, n), (Err(Error::InvalidKey(KeyProblem::RsaExponent)), 0));

    let t = data["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "rs256_user").unwrap();
    let good = t["token"].as_str().unwrap().to_owned();
    let now = t["exp"].as_u64().unwrap() - 1;
    let (input, sig) = good.rsplit_once('.').unwrap();
    let rows: Vec<(&str, String, Result<(), Error>)> = vec![
        ("accepted", good.clone(), Ok(())),
        ("s > n", format!("{input}.{}", b64(&[0xff; 256])), Err(Error::InvalidSignature)),
        ("short signature", format!("{input}.{}", &sig[..300]), Err(Error::InvalidSignature)),
        ("wrong signature", format!("{input}.{}", b64(&[0x42; 256])), Err(Error::InvalidSignature)),
        ("HS256 token", token(r#"{"exp":2000000000}"#), Err(Error::UnsupportedAlgorithm)),
        ("expired", good.clone(), Err(Error::Expired)),
    ];
    let validation = Validation::new().audience("authenticated");
    let mut buf = [0u8; 1024];
    for (name, token, expected) in &rows {
        let now = if *name == "expired" { now + 1 } else { now };
        let (got, n) = allocations_during(|| verify(token.as_str(), &key, &validation, now).map(|_| ()));
        assert_eq!((got, n), (*expected, 0), "{name}");
        let (got, n) = allocations_during(|| verify_in(token.as_str(), &key, &validation, now, &mut buf).map(|_| ()));
        assert_eq!((got, n), (*expected, 0), "{name}: verify_in");
    }
}

/// EdDSA: key import from a JWK, DER and PEM, and every verdict of the
/// Ed25519 path, without allocating.
#[test]
#[cfg(feature = "eddsa")]
fn no_allocation_for_eddsa() {
    use jwtcheck::{Ed25519Key, KeyProblem};

    let data: serde_json::Value = serde_json::from_str(include_str!("data/supabase-asymmetric.json")).unwrap();
    let jwk = data["okp_jwk"].to_string();
    let (key, n) = allocations_during(|| Ed25519Key::from_jwk(&jwk));
    assert_eq!(n, 0, "Ed25519Key::from_jwk allocated");
    let key = key.unwrap();
    let independent: serde_json::Value = serde_json::from_str(include_str!("data/eddsa-independent.json")).unwrap();
    let pem = independent["public_key_pem"].as_str().unwrap();
    let (got, n) = allocations_during(|| Ed25519Key::from_public_key_pem(pem).map(|_| ()));
    assert_eq!((got, n), (Ok(()), 0), "from_public_key_pem");
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let (got, n) = allocations_during(|| Ed25519Key::from_bytes(&identity).map(|_| ()));
    assert_eq!((got, n), (Err(Error::InvalidKey(KeyProblem::Ed25519Point)), 0));
    let (got, n) = allocations_during(|| Ed25519Key::from_public_key_der(&[0x30]).map(|_| ()));
    assert_eq!((got, n), (Err(Error::InvalidKey(KeyProblem::Spki)), 0));

    let t = data["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "eddsa_user").unwrap();
    let good = t["token"].as_str().unwrap().to_owned();
    let now = t["exp"].as_u64().unwrap() - 1;
    let (input, sig) = good.rsplit_once('.').unwrap();
    let r = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig).unwrap()[..32].to_vec()
    };
    let rows: Vec<(&str, String, Result<(), Error>)> = vec![
        ("accepted", good.clone(), Ok(())),
        ("S not reduced", format!("{input}.{}", b64(&[&r[..], &[0xff; 32]].concat())), Err(Error::InvalidSignature)),
        ("short signature", format!("{input}.{}", &sig[..80]), Err(Error::InvalidSignature)),
        ("wrong signature", format!("{input}.{}", b64(&[0x42; 64])), Err(Error::InvalidSignature)),
        ("HS256 token", token(r#"{"exp":2000000000}"#), Err(Error::UnsupportedAlgorithm)),
        ("expired", good.clone(), Err(Error::Expired)),
    ];
    let validation = Validation::new().audience("authenticated");
    let mut buf = [0u8; 1024];
    for (name, token, expected) in &rows {
        let now = if *name == "expired" { now + 1 } else { now };
        let (got, n) = allocations_during(|| verify(token.as_str(), &key, &validation, now).map(|_| ()));
        assert_eq!((got, n), (*expected, 0), "{name}");
        let (got, n) = allocations_during(|| verify_in(token.as_str(), &key, &validation, now, &mut buf).map(|_| ()));
        assert_eq!((got, n), (*expected, 0), "{name}: verify_in");
    }
}

/// A Supabase project's key set (JWKS plus legacy secret): the JWKS import and
/// every verdict of its sample tokens, without allocating.
#[test]
// Many ES256 verifications, minutes in Miri; scripts/miri runs
// tests/es256.rs's supabase_es256_tokens for p256's paths instead.
#[cfg_attr(miri, ignore)]
fn no_allocation_in_key_sets_and_jwks_import() {
    use jwtcheck::KeySet;

    let data: serde_json::Value = serde_json::from_str(include_str!("data/supabase-asymmetric.json")).unwrap();
    let jwks = data["jwks_json"].as_str().unwrap();
    let legacy = Hs256Key::new(data["legacy_secret"].as_str().unwrap().as_bytes()).unwrap();
    let mut skipped = 0;
    let (set, n) = allocations_during(|| KeySet::<16>::from_jwks_with(jwks, |_| skipped += 1));
    // The RSA key loads when RS256 is compiled in.
    let rsa = usize::from(cfg!(feature = "rs256"));
    assert_eq!(n, (2 + rsa) * PER_ASSEMBLY_KEY, "from_jwks allocated");
    let set = set.unwrap().with_legacy_hs256(legacy);
    assert_eq!((set.len(), skipped), (2 + rsa, 1 - rsa));
    let (bad, n) = allocations_during(|| KeySet::<16>::from_jwks(r#"{"keys":[1]}"#).map(|_| ()));
    assert_eq!((bad, n), (Err(Error::InvalidJwks), 0));

    let validation = Validation::new().audience("authenticated");
    let mut buf = [0u8; 1024];
    let mut kinds = Vec::new();
    for t in data["tokens"].as_array().unwrap() {
        let token = t["token"].as_str().unwrap();
        let now = t["exp"].as_u64().unwrap() - 1;
        let (got, n) = allocations_during(|| verify(token, &set, &validation, now).map(|c| c.sub().is_some()));
        assert_eq!(n, 0, "{}: verify allocated", t["name"]);
        let (got_in, n) = allocations_during(|| verify_in(token, &set, &validation, now, &mut buf).map(|_| true));
        assert_eq!(n, 0, "{}: verify_in allocated", t["name"]);
        assert_eq!(got, got_in);
        kinds.push(got.map_or_else(|e| e.kind(), |_| "accept"));
    }
    // Every path of the selection is among them: accepted ES256 and legacy
    // HS256, unknown kid, algorithm confusion, a bad ES256 signature.
    for kind in ["accept", "unknown_key", "unsupported_algorithm", "invalid_signature"] {
        assert!(kinds.contains(&kind), "{kind} not covered: {kinds:?}");
    }
}

#[test]
fn deserializing_into_borrowed_and_heapless_types_allocates_nothing() {
    use std::borrow::Cow;

    use jwtcheck::JsonStr;

    #[derive(serde::Deserialize)]
    struct Session<'a> {
        #[serde(borrow)]
        sub: &'a str,
        #[serde(borrow)]
        email: JsonStr<'a>,
        #[serde(borrow)]
        role: Cow<'a, str>,
        exp: u64,
        n: i8,
        f: f64,
        nbf: Option<u64>,
        company: heapless::String<32>,
        tags: heapless::Vec<&'a str, 4>,
    }
    let key = key();
    let token = token(
        r#"{"sub":"u1","email":"a\u0026b@example.com","role":"authenticated","exp":1800000000,"n":-5,"f":1.5e3,"company":"Smith \u0026 Sons \u003cUK\u003e","tags":["a","b"],"x":{"y":[1,null]}}"#,
    );
    let claims = verify(token.as_str(), &key, &Validation::new(), 1_700_000_000).unwrap();
    let (session, n) = allocations_during(|| claims.deserialize::<Session>());
    assert_eq!(n, 0, "deserialize allocated");
    let s = session.unwrap();
    assert_eq!((s.sub, s.exp, s.n, s.f, s.nbf), ("u1", 1_800_000_000, -5, 1500.0, None));
    assert!(matches!(s.role, Cow::Borrowed("authenticated")));
    assert!(s.email == "a&b@example.com");
    assert_eq!(s.company, "Smith & Sons <UK>");
    assert_eq!(s.tags, ["a", "b"]);
    // Errors allocate nothing either.
    let (err, n) = allocations_during(|| claims.deserialize::<(u8,)>().map(|_| ()));
    assert_eq!((err, n), (Err(Error::InvalidClaims(Claim::Custom)), 0));
}

/// The token caches: a miss (stored) and a hit, on `TokenCache` and on
/// the sharded `SharedTokenCache` (created outside the count: its shards
/// are on the heap), allocate nothing.
#[test]
fn no_allocation_in_the_token_caches() {
    use jwtcheck::{SharedTokenCache, TokenCache};
    const NOW: u64 = 1_700_000_000;
    let key = key();
    let good = token(r#"{"sub":"u","exp":1700003600}"#);
    let mut cache = Box::new(TokenCache::<8>::new([3; 16]));
    let shared = SharedTokenCache::<8>::new(2);
    for round in ["miss", "hit"] {
        let (got, n) = allocations_during(|| cache.verify(good.as_str(), &key, &Validation::new(), NOW).map(|_| ()));
        assert_eq!((got, n), (Ok(()), 0), "TokenCache {round}");
        let (got, n) = allocations_during(|| shared.verify(good.as_str(), &key, &Validation::new(), NOW).map(|_| ()));
        assert_eq!((got, n), (Ok(()), 0), "SharedTokenCache {round}");
    }
    assert_eq!((cache.hits(), cache.misses()), (1, 1));
    assert_eq!((shared.hits(), shared.misses()), (1, 1));
}
