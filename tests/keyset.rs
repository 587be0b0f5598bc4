//! A Supabase project during a key rotation: its JWKS (two P-256 keys and an
//! RSA key, `tests/data/supabase-asymmetric.json`, copied from
//! `../shared/tokens/`) plus its legacy HS256 secret in one key set, and
//! every rule of the key selection.

mod common;

use common::{b64, mac};
use jwtcheck::{Algorithm, Error, Hs256Key, KeyProblem, KeySet, SkipReason, Validation, verify, verify_in};
use serde_json::Value;

const AUTHENTICATED: Validation<'static> = Validation::new().audience("authenticated");

fn data() -> Value {
    serde_json::from_str(include_str!("data/supabase-asymmetric.json")).unwrap()
}

/// The project's key set: the JWKS as served with the fixture's `okp_jwk`
/// added (Supabase lists EdDSA as coming; `eddsa_user` is signed by it),
/// plus the legacy secret.
fn project_keys(data: &Value) -> KeySet<16> {
    let legacy = Hs256Key::new(data["legacy_secret"].as_str().unwrap().as_bytes()).unwrap();
    let mut jwks: Value = serde_json::from_str(data["jwks_json"].as_str().unwrap()).unwrap();
    jwks["keys"].as_array_mut().unwrap().push(data["okp_jwk"].clone());
    KeySet::<16>::from_jwks(&jwks.to_string()).unwrap().with_legacy_hs256(legacy)
}

/// The verdict a token should get from this build: without the `rs256` or
/// `eddsa` feature a token's `expect_without_rs256` or
/// `expect_without_eddsa` applies where it has one. `eddsa_user`'s
/// `expect` reads "accept with okp_jwk": the set above has it.
fn expected(token: &Value) -> String {
    let without_rs256 = token.get("expect_without_rs256").filter(|_| !cfg!(feature = "rs256"));
    let without_eddsa = token.get("expect_without_eddsa").filter(|_| !cfg!(feature = "eddsa"));
    let expect = without_rs256.or(without_eddsa).unwrap_or(&token["expect"]).as_str().unwrap();
    expect.strip_suffix(" with okp_jwk").unwrap_or(expect).to_owned()
}

#[test]
fn every_token_gets_its_verdict_with_the_jwks_and_the_legacy_secret() {
    let data = data();
    let keys = project_keys(&data);
    let tokens = data["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 10);
    let mut accepted = 0;
    for t in tokens {
        let name = t["name"].as_str().unwrap();
        let now = t["exp"].as_u64().unwrap() - 1;
        let got = verify(t["token"].as_str().unwrap(), &keys, &AUTHENTICATED, now);
        let got = match &got {
            Ok(claims) => {
                assert_eq!(claims.payload(), t["payload"].as_str().unwrap(), "{name}");
                "accept".to_owned()
            }
            Err(e) => e.kind().to_owned(),
        };
        assert_eq!(got, expected(t), "{name}");
        accepted += usize::from(got == "accept");
    }
    // es256_user, es256_user_high_s, es256_standby and hs256_legacy, and
    // rs256_user and eddsa_user when RS256 and EdDSA are compiled in.
    assert_eq!(accepted, 4 + usize::from(cfg!(feature = "rs256")) + usize::from(cfg!(feature = "eddsa")));
}

#[test]
fn the_jwks_loads_every_key_of_this_build_and_skips_the_others_with_their_kid() {
    let data = data();
    let mut skipped = Vec::new();
    let jwks = data["jwks_json"].as_str().unwrap();
    let keys =
        KeySet::<16>::from_jwks_with(jwks, |s| skipped.push((s.index, s.kid.unwrap().to_string(), s.reason))).unwrap();
    let loaded: Vec<(Option<&str>, Algorithm)> = keys.keys().collect();
    let mut expected = vec![
        (Some("5f1d7c2e-9a4b-4c3e-8d21-6b0e4f9a7c13"), Algorithm::Es256),
        (Some("9a2f4c10-77bd-4e52-8f31-05c6de91b3aa"), Algorithm::Es256),
    ];
    const RSA_KID: &str = "c3e07a4d-2b19-4f6e-9d85-1a7b2c3d4e5f";
    if cfg!(feature = "rs256") {
        expected.push((Some(RSA_KID), Algorithm::Rs256));
        assert_eq!(skipped, []);
    } else {
        assert_eq!(skipped, [(2, RSA_KID.to_owned(), SkipReason::UnsupportedKeyType)]);
    }
    assert_eq!(loaded, expected);
    // An HS256-only project serves an empty set.
    assert_eq!(KeySet::<16>::from_jwks(r#"{"keys":[]}"#).unwrap().len(), 0);
}

#[test]
fn legacy_tokens_keep_working_through_the_rotation() {
    let data = data();
    let secret = data["legacy_secret"].as_str().unwrap();
    let legacy = data["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "hs256_legacy").unwrap();
    let token = legacy["token"].as_str().unwrap();
    let now = legacy["exp"].as_u64().unwrap() - 1;
    // Before: only the secret. During: JWKS plus secret. After: JWKS only.
    let before = Hs256Key::new(secret.as_bytes()).unwrap();
    assert!(verify(token, &before, &AUTHENTICATED, now).is_ok());
    assert!(verify(token, &project_keys(&data), &AUTHENTICATED, now).is_ok());
    let after = KeySet::<16>::from_jwks(data["jwks_json"].as_str().unwrap()).unwrap();
    assert_eq!(verify(token, &after, &AUTHENTICATED, now).unwrap_err(), Error::UnknownKey);
}

#[test]
fn verify_in_and_verify_agree_on_a_set() {
    let data = data();
    let keys = project_keys(&data);
    let t = &data["tokens"][0];
    let mut buf = [0u8; 1024];
    let claims =
        verify_in(t["token"].as_str().unwrap(), &keys, &AUTHENTICATED, t["exp"].as_u64().unwrap() - 1, &mut buf)
            .unwrap();
    assert!(claims.sub().unwrap() == "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01");
}

/// An HS256 token over `header` and a fixed valid payload, MAC'd with `secret`.
fn hs256(secret: &[u8], header: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(br#"{"exp":2000000000}"#));
    format!("{input}.{}", b64(&mac(secret, input.as_bytes())))
}

const A: &[u8] = b"secret-a-secret-a-secret-a-secret-a";
const B: &[u8] = b"secret-b-secret-b-secret-b-secret-b";
const LEGACY: &[u8] = b"legacy-legacy-legacy-legacy-legacy!";
const NOW: u64 = 1_900_000_000;

fn set_of(kids: &[(Option<&str>, &[u8])], legacy: bool) -> KeySet<4> {
    let mut set = KeySet::<4>::new();
    for (kid, secret) in kids {
        set.insert(*kid, Hs256Key::new(secret).unwrap()).unwrap();
    }
    if legacy {
        set.set_legacy_hs256(Some(Hs256Key::new(LEGACY).unwrap()));
    }
    set
}

#[test]
fn selection_rules_on_hs256_sets() {
    let v = Validation::new();
    let two = set_of(&[(Some("a"), A), (Some("b"), B)], false);
    let run = |set: &KeySet<4>, token: &str| verify(token, set, &v, NOW).map(|_| ());
    // Rule 2: the key of the kid, compared after unescaping.
    assert_eq!(run(&two, &hs256(B, r#"{"alg":"HS256","kid":"b"}"#)), Ok(()));
    assert_eq!(run(&two, &hs256(B, r#"{"alg":"HS256","kid":"\u0062"}"#)), Ok(()));
    // Exactly one signature check: the key of kid a never tries b's MAC.
    assert_eq!(run(&two, &hs256(B, r#"{"alg":"HS256","kid":"a"}"#)), Err(Error::InvalidSignature));
    // Rule 3: an unknown kid, without and with a legacy key.
    assert_eq!(run(&two, &hs256(A, r#"{"alg":"HS256","kid":"c"}"#)), Err(Error::UnknownKey));
    let with_legacy = set_of(&[(Some("a"), A), (Some("b"), B)], true);
    assert_eq!(run(&with_legacy, &hs256(LEGACY, r#"{"alg":"HS256","kid":"c"}"#)), Ok(()));
    assert_eq!(run(&with_legacy, &hs256(A, r#"{"alg":"HS256","kid":"c"}"#)), Err(Error::InvalidSignature));
    // Rule 4: no kid; one candidate, two, or the legacy key as a third.
    let one = set_of(&[(Some("a"), A)], false);
    assert_eq!(run(&one, &hs256(A, r#"{"alg":"HS256"}"#)), Ok(()));
    assert_eq!(run(&two, &hs256(A, r#"{"alg":"HS256"}"#)), Err(Error::UnknownKey));
    let legacy_only = set_of(&[], true);
    assert_eq!(run(&legacy_only, &hs256(LEGACY, r#"{"alg":"HS256"}"#)), Ok(()));
    assert_eq!(run(&set_of(&[], false), &hs256(A, r#"{"alg":"HS256"}"#)), Err(Error::UnknownKey));
    // A kid that is not a string is a malformed header, before any key.
    assert_eq!(run(&two, &hs256(A, r#"{"alg":"HS256","kid":1}"#)), Err(Error::Malformed));
    // Header checks still come first.
    assert_eq!(run(&two, &hs256(A, r#"{"alg":"HS256","kid":"zz","crit":["x"]}"#)), Err(Error::UnsupportedHeader));
    // An algorithm that is not implemented, whatever the kid.
    assert_eq!(run(&two, &hs256(A, r#"{"alg":"HS512","kid":"a"}"#)), Err(Error::UnsupportedAlgorithm));
}

#[test]
fn a_key_set_refuses_conflicting_inserts() {
    let mut set = set_of(&[(Some("a"), A)], false);
    assert_eq!(set.insert(Some("a"), Hs256Key::new(B).unwrap()), Err(Error::InvalidKey(KeyProblem::SetConflict)));
    assert_eq!(set.len(), 1);
}
