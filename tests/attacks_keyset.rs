//! The attack table for key selection: what someone who controls the token
//! (and may have planted keys in a JWKS the service trusts to be public) can
//! try against a key set, one named row per attack with its exact outcome.
//!
//! The set is a Supabase project's during a rotation
//! (`tests/data/supabase-asymmetric.json`): its JWKS, plus an HS256 key with a
//! kid of its own, plus the legacy secret. Rows that must fail at selection
//! need no valid signature: selection comes before the one signature check,
//! so a wrong signature would only show if selection let the token through.

mod common;

use common::{b64, mac};
use jwtcheck::{Error, Hs256Key, KeySet, SkipReason, Validation, verify};
use serde_json::Value;

const AUTHENTICATED: Validation<'static> = Validation::new().audience("authenticated");
const EC_KID: &str = "5f1d7c2e-9a4b-4c3e-8d21-6b0e4f9a7c13";
const STANDBY_KID: &str = "9a2f4c10-77bd-4e52-8f31-05c6de91b3aa";
const HS_KID: &str = "hs-2025";
const HS_SECRET: &[u8] = b"an-hs256-key-with-its-own-kid-000000";
const ATTACKER: &[u8] = b"attacker-chosen-secret-of-32-bytes!!";

struct Fixture {
    data: Value,
    legacy: Vec<u8>,
}

impl Fixture {
    fn new() -> Self {
        let data: Value = serde_json::from_str(include_str!("data/supabase-asymmetric.json")).unwrap();
        let legacy = data["legacy_secret"].as_str().unwrap().as_bytes().to_vec();
        Fixture { data, legacy }
    }

    fn jwks(&self) -> &str {
        self.data["jwks_json"].as_str().unwrap()
    }

    fn set(&self) -> KeySet<8> {
        let mut set = KeySet::<8>::from_jwks(self.jwks()).unwrap();
        set.insert(Some(HS_KID), Hs256Key::new(HS_SECRET).unwrap()).unwrap();
        set.with_legacy_hs256(Hs256Key::new(&self.legacy).unwrap())
    }

    fn token(&self, name: &str) -> String {
        let t = self.data["tokens"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap();
        t["token"].as_str().unwrap().to_owned()
    }

    /// A token's payload segment, for rows that forge a new header on it.
    fn payload_segment(&self, name: &str) -> String {
        self.token(name).split('.').nth(1).unwrap().to_owned()
    }

    fn es256_signature(&self) -> String {
        self.token("es256_user").rsplit('.').next().unwrap().to_owned()
    }
}

const NOW: u64 = 1_767_265_844;

/// A header over the `es256_user` payload, MAC'd with `secret`.
fn hs256(f: &Fixture, header: &str, secret: &[u8]) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), f.payload_segment("es256_user"));
    format!("{input}.{}", b64(&mac(secret, input.as_bytes())))
}

/// A header over the `es256_user` payload with that token's ES256 signature.
fn es256_forged(f: &Fixture, header: &str) -> String {
    format!("{}.{}.{}", b64(header.as_bytes()), f.payload_segment("es256_user"), f.es256_signature())
}

#[test]
fn key_selection_attack_table() {
    let f = Fixture::new();
    let set = f.set();
    let hs = |h: &str, s: &[u8]| hs256(&f, h, s);
    let es = |h: &str| es256_forged(&f, h);
    let ec_jwk_text = serde_json::to_string(&serde_json::from_str::<Value>(f.jwks()).unwrap()["keys"][0]).unwrap();
    let mut rows: Vec<(&str, String, Result<(), Error>)> = vec![
        ("ES256 with the current key's kid", f.token("es256_user"), Ok(())),
        ("ES256 high-S with the current key's kid", f.token("es256_user_high_s"), Ok(())),
        ("ES256 with the standby key's kid", f.token("es256_standby"), Ok(())),
        ("ES256, kid of a key not in the set", f.token("es256_unknown_kid"), Err(Error::UnknownKey)),
        (
            "ES256 signed by the current key, header names the standby kid",
            es(&format!(r#"{{"alg":"ES256","kid":"{STANDBY_KID}","typ":"JWT"}}"#)),
            Err(Error::InvalidSignature),
        ),
        (
            "HS256 naming the EC key's kid, MAC'd with its public JWK text",
            f.token("hs256_kid_of_ec_key"),
            Err(Error::UnsupportedAlgorithm),
        ),
        (
            "HS256 naming the EC key's kid, MAC'd with the JWK text as this test writes it",
            hs(&format!(r#"{{"alg":"HS256","kid":"{EC_KID}"}}"#), ec_jwk_text.as_bytes()),
            Err(Error::UnsupportedAlgorithm),
        ),
        (
            "HS256 naming the EC key's kid, MAC'd with the legacy secret (no fallback on a known kid)",
            hs(&format!(r#"{{"alg":"HS256","kid":"{EC_KID}"}}"#), &f.legacy),
            Err(Error::UnsupportedAlgorithm),
        ),
        (
            "ES256 naming the HS256 key's kid",
            es(&format!(r#"{{"alg":"ES256","kid":"{HS_KID}"}}"#)),
            Err(Error::UnsupportedAlgorithm),
        ),
        ("HS256 with its key's kid", hs(&format!(r#"{{"alg":"HS256","kid":"{HS_KID}"}}"#), HS_SECRET), Ok(())),
        (
            "HS256 with its key's kid, MAC'd with the legacy secret (exactly one check)",
            hs(&format!(r#"{{"alg":"HS256","kid":"{HS_KID}"}}"#), &f.legacy),
            Err(Error::InvalidSignature),
        ),
        ("legacy HS256 with an unknown kid", f.token("hs256_legacy"), Ok(())),
        (
            "HS256 with an unknown kid, MAC'd by the attacker",
            hs(r#"{"alg":"HS256","kid":"attacker"}"#, ATTACKER),
            Err(Error::InvalidSignature),
        ),
        (
            "ES256 with an unknown kid does not fall back to the legacy HMAC key",
            es(r#"{"alg":"ES256","kid":"attacker"}"#),
            Err(Error::UnknownKey),
        ),
        (
            "HS256 without kid: the HS256 key and the legacy key are two candidates",
            hs(r#"{"alg":"HS256"}"#, &f.legacy),
            Err(Error::UnknownKey),
        ),
        ("ES256 without kid: two EC keys are two candidates", es(r#"{"alg":"ES256"}"#), Err(Error::UnknownKey)),
        (
            "kid written with escapes matches after unescaping",
            es(&format!(r#"{{"alg":"ES256","kid":"{}","typ":"JWT"}}"#, EC_KID.replace('-', "\\u002d"))),
            Err(Error::InvalidSignature),
        ),
        (
            "kid in upper case is another kid",
            es(&format!(r#"{{"alg":"ES256","kid":"{}"}}"#, EC_KID.to_uppercase())),
            Err(Error::UnknownKey),
        ),
        (
            "kid with a trailing NUL is another kid",
            es(&format!(r#"{{"alg":"ES256","kid":"{EC_KID}\u0000"}}"#)),
            Err(Error::UnknownKey),
        ),
        ("kid as a number", es(r#"{"alg":"ES256","kid":5}"#), Err(Error::Malformed)),
        (
            "kid as an array of the real kid",
            es(&format!(r#"{{"alg":"ES256","kid":["{EC_KID}"]}}"#)),
            Err(Error::Malformed),
        ),
        (
            "header jwk with the attacker's key and an unknown kid",
            es(r#"{"alg":"ES256","kid":"x","jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}}"#),
            Err(Error::UnknownKey),
        ),
        (
            "header jku and x5u with a known kid: still the set's key",
            es(&format!(
                r#"{{"alg":"ES256","kid":"{EC_KID}","jku":"https://evil/jwks","x5u":"https://evil/c","typ":"JWT"}}"#
            )),
            Err(Error::InvalidSignature),
        ),
        (
            "alg none with a known kid",
            es(&format!(r#"{{"alg":"none","kid":"{EC_KID}"}}"#)),
            Err(Error::UnsupportedAlgorithm),
        ),
        (
            "alg es256 in lower case",
            es(&format!(r#"{{"alg":"es256","kid":"{EC_KID}"}}"#)),
            Err(Error::UnsupportedAlgorithm),
        ),
        (
            "alg ES384 with a known kid",
            es(&format!(r#"{{"alg":"ES384","kid":"{EC_KID}"}}"#)),
            Err(Error::UnsupportedAlgorithm),
        ),
    ];
    #[cfg(not(feature = "rs256"))]
    rows.extend([
        ("RS256 naming the RSA key, which this build skips", f.token("rs256_user"), Err(Error::UnsupportedAlgorithm)),
        ("ES256 naming the skipped RSA key's kid", f.token("es256_kid_of_rsa_key"), Err(Error::UnknownKey)),
    ]);
    #[cfg(feature = "rs256")]
    rows.extend([
        ("ES256 naming the RSA key's kid", f.token("es256_kid_of_rsa_key"), Err(Error::UnsupportedAlgorithm)),
        (
            "HS256 naming the RSA key's kid, MAC keyed with its public JWK text (CVE-2016-10555)",
            rsa_kid_hs256(&f),
            Err(Error::UnsupportedAlgorithm),
        ),
    ]);
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(name, token, expected)| {
            let got = verify(token.as_str(), &set, &AUTHENTICATED, NOW).map(|_| ());
            (got != *expected).then(|| format!("{name}: expected {expected:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// An HS256 token naming the RSA key's kid, its MAC keyed with that key's
/// public JWK text as served: the classic RSA-to-HMAC confusion.
#[cfg(feature = "rs256")]
fn rsa_kid_hs256(f: &Fixture) -> String {
    let jwks: Value = serde_json::from_str(f.jwks()).unwrap();
    let rsa = jwks["keys"].as_array().unwrap().iter().find(|k| k["kty"] == "RSA").unwrap();
    let header = format!(r#"{{"alg":"HS256","kid":"{}","typ":"JWT"}}"#, rsa["kid"].as_str().unwrap());
    let input = format!("{}.{}", b64(header.as_bytes()), f.payload_segment("es256_user"));
    format!("{input}.{}", b64(&mac(rsa.to_string().as_bytes(), input.as_bytes())))
}

/// Keys planted in a JWKS: none of them becomes a way in.
#[test]
fn planted_jwks_keys_are_skipped_with_their_reason() {
    let f = Fixture::new();
    let ec = serde_json::from_str::<Value>(f.jwks()).unwrap()["keys"][0].clone();
    let with = |changes: &[(&str, Value)]| {
        let mut jwk = ec.clone();
        for (name, value) in changes {
            jwk[*name] = value.clone();
        }
        jwk
    };
    let short_x = b64(&[7u8; 31]);
    let cases: Vec<(&str, Value, SkipReason)> = vec![
        ("oct key", serde_json::json!({"kty":"oct","k":b64(ATTACKER),"kid":"planted"}), SkipReason::SymmetricKey),
        ("private EC key", with(&[("d", "AAAA".into()), ("kid", "p".into())]), SkipReason::PrivateKey),
        ("use enc", with(&[("use", "enc".into()), ("kid", "u".into())]), SkipReason::NotForSignatures),
        (
            "key_ops sign only",
            with(&[("key_ops", serde_json::json!(["sign"])), ("kid", "o".into())]),
            SkipReason::NoVerifyOperation,
        ),
        (
            "alg HS256 on an EC key",
            with(&[("alg", "HS256".into()), ("kid", "a".into())]),
            SkipReason::AlgorithmMismatch,
        ),
        ("crv P-384", with(&[("crv", "P-384".into()), ("kid", "c".into())]), SkipReason::UnsupportedCurve),
        (
            "31-byte x coordinate",
            with(&[("x", short_x.into()), ("kid", "s".into())]),
            SkipReason::InvalidKey(jwtcheck::KeyProblem::CoordinateLength),
        ),
        (
            "point off the curve",
            with(&[("y", b64(&[1u8; 32]).into()), ("kid", "off".into())]),
            SkipReason::InvalidKey(jwtcheck::KeyProblem::InvalidPoint),
        ),
    ];
    for (name, jwk, reason) in cases {
        let doc = serde_json::json!({ "keys": [jwk] }).to_string();
        let mut skipped = Vec::new();
        let set = KeySet::<4>::from_jwks_with(&doc, |s| skipped.push(s.reason)).unwrap();
        assert_eq!((set.len(), skipped), (0, vec![reason]), "{name}");
    }

    // A planted copy of the current key's kid: both are skipped, so the
    // token naming it is unknown rather than verified with a guess.
    let planted = with(&[("x", ec["x"].clone())]);
    let doc = serde_json::json!({ "keys": [ec, planted] }).to_string();
    let mut reasons = Vec::new();
    let set = KeySet::<4>::from_jwks_with(&doc, |s| reasons.push(s.reason)).unwrap();
    assert_eq!(reasons, [SkipReason::DuplicateKid, SkipReason::DuplicateKid]);
    assert_eq!(verify(f.token("es256_user").as_str(), &set, &AUTHENTICATED, NOW).unwrap_err(), Error::UnknownKey);

    // An oct key in the JWKS with the kid of a token MAC'd with it.
    let doc = serde_json::json!({"keys":[{"kty":"oct","k":b64(ATTACKER),"kid":"planted"}]}).to_string();
    let set = KeySet::<4>::from_jwks(&doc).unwrap();
    let token = hs256(&f, r#"{"alg":"HS256","kid":"planted"}"#, ATTACKER);
    assert_eq!(verify(token.as_str(), &set, &AUTHENTICATED, NOW).unwrap_err(), Error::UnknownKey);
}

#[test]
fn more_usable_keys_than_the_capacity_is_an_error_and_leaves_the_set_as_it_was() {
    let f = Fixture::new();
    assert_eq!(KeySet::<1>::from_jwks(f.jwks()).map(|_| ()), Err(Error::InvalidJwks));
    let mut set = KeySet::<2>::new();
    set.insert(Some(HS_KID), Hs256Key::new(HS_SECRET).unwrap()).unwrap();
    assert_eq!(set.load_jwks(f.jwks(), |_| {}), Err(Error::InvalidJwks));
    assert_eq!(set.keys().map(|(kid, _)| kid).collect::<Vec<_>>(), [Some(HS_KID)]);
    // Two EC keys, and the RSA key when RS256 is compiled in.
    let usable = 2 + usize::from(cfg!(feature = "rs256"));
    let mut set = KeySet::<3>::new();
    assert_eq!(set.load_jwks(f.jwks(), |_| {}), Ok(usable));
}
