//! EdDSA (Ed25519, RFC 8037): RFC 8037 Appendix A.4, the Supabase-shaped
//! `eddsa_user` token with its `okp_jwk`, tokens from an independent signer
//! (`data/eddsa-independent.py`, Python's `cryptography`), the key
//! constructors' refusals, the attack table and the JWKS rules, one named
//! row each with its exact outcome.
#![cfg(feature = "eddsa")]

mod common;

use common::{b64, mac, supabase_asymmetric};
use jwtcheck::{Algorithm, Ed25519Key, Error, Hs256Key, KeyProblem, KeySet, SkipReason, Validation, verify};
use serde_json::{Value, json};

/// RFC 8037 Appendix A.2's public key.
const A2_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

/// RFC 8037 Appendix A.4's JWS: `{"alg":"EdDSA"}` over the text
/// "Example of Ed25519 signing" (not a JSON claims set).
const A4_TOKEN: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc\
.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

fn b64d(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap()
}

fn a2_key() -> Ed25519Key {
    Ed25519Key::from_jwk(&json!({"kty":"OKP","crv":"Ed25519","x":A2_X}).to_string()).unwrap()
}

#[test]
fn rfc8037_appendix_a4() {
    let (input, signature) = A4_TOKEN.rsplit_once('.').unwrap();
    let key = a2_key();
    assert_eq!(jwtcheck::internals::verify_eddsa(&key, input.as_bytes(), &b64d(signature)), Ok(()));
    let mut bad = b64d(signature);
    bad[40] ^= 0x01;
    assert_eq!(jwtcheck::internals::verify_eddsa(&key, input.as_bytes(), &bad), Err(Error::InvalidSignature));
    // As a JWT: the signature holds, and the payload is not a claims set.
    assert_eq!(verify(A4_TOKEN, &key, &Validation::new(), 0).unwrap_err(), Error::Malformed);
    // The same key from its bytes and from a PEM SPKI.
    let bytes: [u8; 32] = b64d(A2_X).try_into().unwrap();
    let independent: Value = serde_json::from_str(include_str!("data/eddsa-independent.json")).unwrap();
    let pem = independent["public_key_pem"].as_str().unwrap();
    for key in [Ed25519Key::from_bytes(&bytes).unwrap(), Ed25519Key::from_public_key_pem(pem).unwrap()] {
        assert_eq!(jwtcheck::internals::verify_eddsa(&key, input.as_bytes(), &b64d(signature)), Ok(()));
    }
}

fn fixture_token(name: &str) -> (String, u64) {
    let data = supabase_asymmetric();
    let t = data["tokens"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap().clone();
    (t["token"].as_str().unwrap().to_owned(), t["exp"].as_u64().unwrap() - 1)
}

fn okp_jwk() -> Value {
    supabase_asymmetric()["okp_jwk"].clone()
}

#[test]
fn supabase_eddsa_token_and_tampered_copies() {
    let key = Ed25519Key::from_jwk(&okp_jwk().to_string()).unwrap();
    let (token, now) = fixture_token("eddsa_user");
    let authenticated = Validation::new().audience("authenticated");
    let claims = verify(token.as_str(), &key, &authenticated, now).unwrap();
    assert!(claims.sub().unwrap() == "d2b7f0c4-1e93-4a5b-8c6d-7e8f9a0b1c2d");
    assert_eq!(verify(token.as_str(), &key, &authenticated, now + 1).unwrap_err(), Error::Expired);
    let (head, rest) = token.split_once('.').unwrap();
    let (body, sig) = rest.split_once('.').unwrap();
    let mut payload = b64d(body);
    payload[10] ^= 0x01;
    let changed_payload = format!("{head}.{}.{sig}", b64(&payload));
    let mut signature = b64d(sig);
    signature[5] ^= 0x40; // in R
    let changed_r = format!("{head}.{body}.{}", b64(&signature));
    let mut signature = b64d(sig);
    signature[40] ^= 0x02; // in S
    let changed_s = format!("{head}.{body}.{}", b64(&signature));
    for (name, bad) in [("payload", changed_payload), ("R", changed_r), ("S", changed_s)] {
        assert_eq!(verify(bad.as_str(), &key, &authenticated, now).unwrap_err(), Error::InvalidSignature, "{name}");
    }
    // Through a key set loaded from a JWKS holding the OKP key beside the
    // served ones: chosen by its kid.
    let mut jwks: Value = serde_json::from_str(supabase_asymmetric()["jwks_json"].as_str().unwrap()).unwrap();
    jwks["keys"].as_array_mut().unwrap().push(okp_jwk());
    let set = KeySet::<4>::from_jwks(&jwks.to_string()).unwrap();
    let kid = okp_jwk()["kid"].as_str().unwrap().to_owned();
    assert!(set.keys().any(|k| k == (Some(kid.as_str()), Algorithm::EdDsa)));
    assert_eq!(set.explain(Algorithm::EdDsa, Some(&kid)), Ok((Some(kid.as_str()), false)));
    assert!(
        verify(token.as_str(), &set, &authenticated, now).unwrap().sub().unwrap()
            == "d2b7f0c4-1e93-4a5b-8c6d-7e8f9a0b1c2d"
    );
}

#[test]
fn independent_signer_tokens() {
    let data: Value = serde_json::from_str(include_str!("data/eddsa-independent.json")).unwrap();
    let key = Ed25519Key::from_jwk(&data["public_jwk"].to_string()).unwrap();
    let now = data["now"].as_u64().unwrap();
    let tokens = data["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 12);
    for t in tokens {
        let got = match verify(t["token"].as_str().unwrap(), &key, &Validation::new().audience("authenticated"), now) {
            Ok(_) => "accept",
            Err(e) => e.kind(),
        };
        assert_eq!(got, t["expect"].as_str().unwrap(), "{}", t["name"]);
    }
}

fn jwk_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut jwk = okp_jwk();
    edit(jwk.as_object_mut().unwrap());
    jwk.to_string()
}

#[test]
fn key_import_table() {
    let x = b64d(okp_jwk()["x"].as_str().unwrap());
    let set = |name: &'static str, value: Value| {
        move |m: &mut serde_json::Map<String, Value>| {
            m.insert(name.into(), value);
        }
    };
    // The identity (y = 1) and a point of order 8 (RFC 8032 gives none; this
    // is the canonical encoding Wycheproof and ed25519-dalek list).
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let order8 = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a";
    let order8: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&order8[2 * i..2 * i + 2], 16).unwrap()).collect();
    // y = p + 1 (non-canonical identity).
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xee;
    non_canonical[31] = 0x7f;
    let jwk = |field: &[u8]| jwk_with(set("x", b64(field).into()));
    let jwk_err = Err(Error::InvalidKey(KeyProblem::Jwk));
    let escaped = jwk_with(|_| {})
        .replace(&format!(r#""x":"{}"#, &b64(&x)[..1]), &format!(r#""x":"\u{:04x}"#, b64(&x).as_bytes()[0]))
        .replace(r#""Ed25519""#, r#""Ed\u00325519""#);
    assert_eq!(escaped.matches("\\u00").count(), 2, "{escaped}");
    let rows: Vec<(&str, String, Result<(), Error>)> = vec![
        ("the okp_jwk", jwk_with(|_| {}), Ok(())),
        ("no alg, use or kid", json!({"kty":"OKP","crv":"Ed25519","x":b64(&x)}).to_string(), Ok(())),
        ("key_ops verify", jwk_with(set("key_ops", json!(["verify"]))), Ok(())),
        (
            "as a Supabase JWKS serves it (ext, key_ops, sorted)",
            json!({"alg":"EdDSA","crv":"Ed25519","ext":true,"key_ops":["verify"],"kid":"k","kty":"OKP","use":"sig","x":b64(&x)})
                .to_string(),
            Ok(()),
        ),
        (
            "x and crv with \\u escapes (Go's encoder style)",
            escaped.clone(),
            Ok(()),
        ),
        ("kty EC", jwk_with(set("kty", "EC".into())), jwk_err),
        ("crv X25519", jwk_with(set("crv", "X25519".into())), jwk_err),
        ("crv Ed448", jwk_with(set("crv", "Ed448".into())), jwk_err),
        ("crv ed25519 (case)", jwk_with(set("crv", "ed25519".into())), jwk_err),
        ("alg Ed25519 (RFC 9864 name)", jwk_with(set("alg", "Ed25519".into())), jwk_err),
        ("alg ES256", jwk_with(set("alg", "ES256".into())), jwk_err),
        ("use enc", jwk_with(set("use", "enc".into())), jwk_err),
        ("key_ops sign only", jwk_with(set("key_ops", json!(["sign"]))), jwk_err),
        ("private d", jwk_with(set("d", "AQAB".into())), Err(Error::InvalidKey(KeyProblem::PrivateKey))),
        ("x missing", jwk_with(|m| drop(m.remove("x"))), jwk_err),
        ("x a number", jwk_with(set("x", json!(1))), jwk_err),
        (
            "x with = padding",
            jwk_with(set("x", format!("{}=", b64(&x)).into())),
            Err(Error::InvalidKey(KeyProblem::Base64)),
        ),
        (
            "x in standard base64",
            jwk_with(set("x", b64(&x).replace('_', "/").replace('-', "+").into())),
            Err(Error::InvalidKey(KeyProblem::Base64)),
        ),
        ("x of 31 bytes", jwk(&x[..31]), Err(Error::InvalidKey(KeyProblem::OkpLength))),
        ("x of 33 bytes", jwk(&[&x[..], &[0]].concat()), Err(Error::InvalidKey(KeyProblem::OkpLength))),
        (
            "x of 64 characters",
            jwk_with(set("x", "A".repeat(64).into())),
            Err(Error::InvalidKey(KeyProblem::OkpLength)),
        ),
        (
            "x of 65 characters",
            jwk_with(set("x", "A".repeat(65).into())),
            Err(Error::InvalidKey(KeyProblem::OkpLength)),
        ),
        ("x the identity", jwk(&identity), Err(Error::InvalidKey(KeyProblem::Ed25519Point))),
        ("x of order 8", jwk(&order8), Err(Error::InvalidKey(KeyProblem::Ed25519Point))),
        ("x non-canonical (y = p + 1)", jwk(&non_canonical), Err(Error::InvalidKey(KeyProblem::Ed25519Point))),
        ("not JSON", "{\"kty\":\"OKP\",".to_owned(), jwk_err),
        ("a JSON array", "[]".to_owned(), jwk_err),
    ];
    for (name, jwk, expected) in rows {
        assert_eq!(Ed25519Key::from_jwk(&jwk).map(|_| ()), expected, "{name}");
    }
}

#[test]
fn der_and_pem_refusals() {
    let x = b64d(A2_X);
    let mut der = vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
    der.extend(&x);
    let (input, signature) = A4_TOKEN.rsplit_once('.').unwrap();
    let from_der = Ed25519Key::from_public_key_der(&der).unwrap();
    assert_eq!(jwtcheck::internals::verify_eddsa(&from_der, input.as_bytes(), &b64d(signature)), Ok(()));
    let spki = Err(Error::InvalidKey(KeyProblem::Spki));
    let mut trailing = der.clone();
    trailing.push(0);
    let mut x25519 = der.clone();
    x25519[8] = 0x6e; // 1.3.101.110, id-X25519
    let mut with_null = vec![0x30, 0x2c, 0x30, 0x07, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x05, 0x00, 0x03, 0x21, 0x00];
    with_null.extend(&x);
    let mut unused_bits = der.clone();
    unused_bits[11] = 0x01;
    for (name, bad) in [
        ("trailing byte", trailing),
        ("truncated", der[..43].to_vec()),
        ("id-X25519", x25519),
        ("NULL parameters (RFC 8410 §3: absent)", with_null),
        ("a BIT STRING with unused bits", unused_bits),
        ("empty", Vec::new()),
    ] {
        assert_eq!(Ed25519Key::from_public_key_der(&bad).map(|_| ()), spki, "{name}");
    }
    let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
    let from_pem = Ed25519Key::from_public_key_pem(pem).unwrap();
    assert_eq!(jwtcheck::internals::verify_eddsa(&from_pem, input.as_bytes(), &b64d(signature)), Ok(()));
    assert_eq!(Ed25519Key::from_public_key_pem(&pem.replace("PUBLIC KEY", "PRIVATE KEY")).map(|_| ()), spki);
    assert_eq!(Ed25519Key::from_public_key_pem("not a PEM").map(|_| ()), spki);
    // A P-256 SPKI is not an Ed25519 key.
    let ec = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKSexBRK64+3c/kZ4KBKLrSkDJpkZ
9whgacjE32xzKDjHeHlk6qwA5ZIfsUmKYPRgZ2az2WhQAVWNGpdOc0FRPg==
-----END PUBLIC KEY-----
";
    assert_eq!(Ed25519Key::from_public_key_pem(ec).map(|_| ()), spki);
}

/// `token`'s signing input with `signature` as its third segment.
fn resigned(token: &str, signature: &[u8]) -> String {
    format!("{}.{}", &token[..token.rfind('.').unwrap()], b64(signature))
}

#[test]
fn token_attack_table() {
    let jwk = okp_jwk();
    let key = Ed25519Key::from_jwk(&jwk.to_string()).unwrap();
    let (token, now) = fixture_token("eddsa_user");
    let sig = b64d(token.rsplit('.').next().unwrap());
    let payload = token.split('.').nth(1).unwrap();
    let hs256_okp_x = {
        // The public key's bytes as an HMAC secret (CVE-2016-10555 class).
        let input = format!("{}.{payload}", b64(br#"{"alg":"HS256","typ":"JWT"}"#));
        format!("{input}.{}", b64(&mac(&b64d(jwk["x"].as_str().unwrap()), input.as_bytes())))
    };
    let none = format!("{}.{payload}.", b64(br#"{"alg":"none"}"#));
    let rows: Vec<(&str, String, Result<(), Error>)> = vec![
        ("the token", token.clone(), Ok(())),
        ("signature 63 bytes", resigned(&token, &sig[..63]), Err(Error::InvalidSignature)),
        ("signature 65 bytes", resigned(&token, &[&sig[..], &[0]].concat()), Err(Error::InvalidSignature)),
        ("signature empty", resigned(&token, &[]), Err(Error::InvalidSignature)),
        ("signature all zero", resigned(&token, &[0; 64]), Err(Error::InvalidSignature)),
        (
            "S all ones (not reduced)",
            resigned(&token, &[&sig[..32], &[0xff; 32]].concat()),
            Err(Error::InvalidSignature),
        ),
        ("signature segment padded with =", format!("{}=", resigned(&token, &sig)), Err(Error::Malformed)),
        ("HS256 token MAC'd with the public key bytes", hs256_okp_x, Err(Error::UnsupportedAlgorithm)),
        ("alg none", none, Err(Error::UnsupportedAlgorithm)),
    ];
    let authenticated = Validation::new().audience("authenticated");
    for (name, t, expected) in &rows {
        assert_eq!(verify(t.as_str(), &key, &authenticated, now).map(|_| ()), *expected, "{name}");
    }
    // The EdDSA token against an HS256 key, and against a set whose key of
    // that kid is HS256; an HS256 token naming the OKP key's kid.
    let hs = Hs256Key::new(b"a-secret-of-at-least-thirty-two-bytes!!").unwrap();
    assert_eq!(verify(token.as_str(), &hs, &authenticated, now).unwrap_err(), Error::UnsupportedAlgorithm);
    let kid = jwk["kid"].as_str().unwrap();
    let mut set = KeySet::<2>::new();
    set.insert(Some(kid), hs.clone()).unwrap();
    assert_eq!(verify(token.as_str(), &set, &authenticated, now).unwrap_err(), Error::UnsupportedAlgorithm);
    let mut set = KeySet::<2>::new().with_legacy_hs256(hs.clone());
    set.insert(Some(kid), key.clone()).unwrap();
    let header = format!(r#"{{"alg":"HS256","kid":"{kid}"}}"#);
    let input = format!("{}.{payload}", b64(header.as_bytes()));
    let hs256_named_okp =
        format!("{input}.{}", b64(&mac(b"a-secret-of-at-least-thirty-two-bytes!!", input.as_bytes())));
    assert_eq!(verify(hs256_named_okp.as_str(), &set, &authenticated, now).unwrap_err(), Error::UnsupportedAlgorithm);
    // In that set the EdDSA token verifies; an ES256 token naming the OKP
    // key's kid is refused before any signature check.
    assert_eq!(verify(token.as_str(), &set, &authenticated, now).map(|_| ()), Ok(()));
    let es256_named_okp =
        common::es256_token(&format!(r#"{{"alg":"ES256","kid":"{kid}"}}"#), r#"{"aud":"authenticated"}"#);
    assert_eq!(verify(es256_named_okp.as_str(), &set, &authenticated, now).unwrap_err(), Error::UnsupportedAlgorithm);
}

#[test]
fn jwks_okp_rules() {
    let jwk = okp_jwk();
    let with = |name: &str, value: Value, kid: &str| {
        let mut k = jwk.clone();
        k[name] = value;
        k["kid"] = kid.into();
        k
    };
    let cases = [
        ("crv X25519", with("crv", "X25519".into(), "x"), SkipReason::UnsupportedCurve),
        ("crv null", with("crv", Value::Null, "null"), SkipReason::UnsupportedCurve),
        ("alg ES256", with("alg", "ES256".into(), "es"), SkipReason::AlgorithmMismatch),
        ("alg Ed25519", with("alg", "Ed25519".into(), "ed"), SkipReason::AlgorithmMismatch),
        ("private d", with("d", "AAAA".into(), "d"), SkipReason::PrivateKey),
        ("x of 31 bytes", with("x", b64(&[9; 31]).into(), "short"), SkipReason::InvalidKey(KeyProblem::OkpLength)),
        (
            "x the identity",
            with("x", b64(&[&[1u8][..], &[0; 31]].concat()).into(), "id"),
            SkipReason::InvalidKey(KeyProblem::Ed25519Point),
        ),
    ];
    for (name, key, reason) in cases {
        let doc = json!({ "keys": [key, jwk] }).to_string();
        let mut skipped = Vec::new();
        let set = KeySet::<4>::from_jwks_with(&doc, |s| skipped.push((s.index, s.reason))).unwrap();
        assert_eq!((set.len(), skipped), (1, vec![(0, reason)]), "{name}");
    }
    assert_eq!(SkipReason::UnsupportedCurve.message(), "the curve is not P-256 (EC) or Ed25519 (OKP)");
    assert_eq!(
        Error::InvalidKey(KeyProblem::OkpLength).message(),
        "an Ed25519 public key is not exactly 32 bytes (RFC 8037 section 2)"
    );
}
