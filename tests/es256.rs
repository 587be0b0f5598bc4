//! ES256 (RFC 7518 §3.4): the key constructors' refusals and the attack
//! table for tokens, one named row each with its exact outcome, in the shape
//! of `attacks.rs`. Tokens are signed by `p256`'s `SigningKey` with the
//! sample's test-only private key (`tests/common`), never by the crate.

mod common;

use common::{ES256_HEADER, b64, es256_public_jwk, es256_sign, es256_token, key, supabase_asymmetric};
use jwtcheck::{Error, Es256Key, KeyProblem, Validation, verify};
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer;
use serde_json::{Value, json};

const NOW: u64 = 1_700_000_000;
const EXP: u64 = NOW + 3600;

/// The P-256 group order n, big-endian.
const ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

fn es_key() -> Es256Key {
    Es256Key::from_jwk(&es256_public_jwk()).unwrap()
}

fn public_jwk() -> Value {
    supabase_asymmetric()["jwks"]["keys"][0].clone()
}

fn b64d(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap()
}

/// `a - b` for 32-byte big-endian integers, `a >= b`.
fn sub(a: &[u8; 32], b: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    assert_eq!(borrow, 0);
    out
}

/// The DER encoding (RFC 3279 §2.2.3) of the signature `r ‖ s`.
fn der(sig: &[u8; 64]) -> Vec<u8> {
    let int = |x: &[u8]| {
        let x: Vec<u8> = x.iter().copied().skip_while(|&b| b == 0).collect();
        let x = if x[0] & 0x80 != 0 { [&[0u8][..], &x].concat() } else { x };
        [&[0x02, x.len() as u8][..], &x].concat()
    };
    let body = [int(&sig[..32]), int(&sig[32..])].concat();
    [&[0x30, body.len() as u8][..], &body].concat()
}

fn jwk_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut jwk = public_jwk();
    edit(jwk.as_object_mut().unwrap());
    serde_json::to_string(&jwk).unwrap()
}

/// (name, what the constructor returned, the expected outcome).
type ImportRow = (&'static str, Result<Es256Key, Error>, Result<(), Error>);

#[test]
fn key_import_table() {
    let x = b64d(public_jwk()["x"].as_str().unwrap());
    let y = b64d(public_jwk()["y"].as_str().unwrap());
    let mut off_curve = y.clone();
    off_curve[31] ^= 1;
    let point = [&[0x04][..], &x, &y].concat();
    let ik = |p| Err(Error::InvalidKey(p));
    let rows: Vec<ImportRow> = vec![
        ("the sample JWK", Es256Key::from_jwk(&es256_public_jwk()), Ok(())),
        (
            "minimal JWK",
            Es256Key::from_jwk(&jwk_with(|m| m.retain(|k, _| ["kty", "crv", "x", "y"].contains(&k.as_str())))),
            Ok(()),
        ),
        ("whitespace around the JWK", Es256Key::from_jwk(&format!(" \n{}\t", es256_public_jwk())), Ok(())),
        (
            "kty spelt with an escape",
            Es256Key::from_jwk(&es256_public_jwk().replace(r#""kty":"EC""#, r#""kty":"\u0045C""#)),
            Ok(()),
        ),
        (
            "31-byte x",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("x".into(), b64(&x[1..]).into());
            })),
            ik(KeyProblem::CoordinateLength),
        ),
        (
            "33-byte x",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("x".into(), b64(&[&[0][..], &x].concat()).into());
            })),
            ik(KeyProblem::CoordinateLength),
        ),
        (
            "31-byte y",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("y".into(), b64(&y[1..]).into());
            })),
            ik(KeyProblem::CoordinateLength),
        ),
        (
            "33-byte y",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("y".into(), b64(&[&[0][..], &y].concat()).into());
            })),
            ik(KeyProblem::CoordinateLength),
        ),
        (
            "very long x",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("x".into(), "A".repeat(200).into());
            })),
            ik(KeyProblem::CoordinateLength),
        ),
        (
            "padded x",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("x".into(), format!("{}=", b64(&x)).into());
            })),
            ik(KeyProblem::Base64),
        ),
        (
            "x in the standard alphabet",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("x".into(), b64(&x).replace(['-', '_'], "+").replacen('A', "+", 1).into());
            })),
            ik(KeyProblem::Base64),
        ),
        (
            "off-curve point",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("y".into(), b64(&off_curve).into());
            })),
            ik(KeyProblem::InvalidPoint),
        ),
        (
            "(0, 0) in a JWK",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("x".into(), b64(&[0; 32]).into());
                m.insert("y".into(), b64(&[0; 32]).into());
            })),
            ik(KeyProblem::InvalidPoint),
        ),
        (
            "private JWK (d)",
            Es256Key::from_jwk(&serde_json::to_string(&supabase_asymmetric()["private_jwks"]["keys"][0]).unwrap()),
            ik(KeyProblem::PrivateKey),
        ),
        (
            "private member spelt with an escape",
            Es256Key::from_jwk(&es256_public_jwk().replace(r#""kty""#, r#""\u0064":"AA","kty""#)),
            ik(KeyProblem::PrivateKey),
        ),
        (
            "kty RSA",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("kty".into(), "RSA".into());
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "kty ec",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("kty".into(), "ec".into());
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "crv P-384",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("crv".into(), "P-384".into());
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "crv secp256k1",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("crv".into(), "secp256k1".into());
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "alg ES384",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("alg".into(), "ES384".into());
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "alg HS256",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("alg".into(), "HS256".into());
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "alg null",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("alg".into(), Value::Null);
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "use enc",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("use".into(), "enc".into());
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "key_ops without verify",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("key_ops".into(), json!(["sign"]));
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "key_ops a string",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("key_ops".into(), "verify".into());
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "key_ops with a number",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("key_ops".into(), json!(["verify", 1]));
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "missing y",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.remove("y");
            })),
            ik(KeyProblem::Jwk),
        ),
        (
            "x a number",
            Es256Key::from_jwk(&jwk_with(|m| {
                m.insert("x".into(), 1.into());
            })),
            ik(KeyProblem::Jwk),
        ),
        ("duplicate x", Es256Key::from_jwk(&es256_public_jwk().replacen('{', r#"{"x":"AA","#, 1)), ik(KeyProblem::Jwk)),
        ("not an object", Es256Key::from_jwk("[]"), ik(KeyProblem::Jwk)),
        ("trailing comma", Es256Key::from_jwk(&es256_public_jwk().replacen('}', ",}", 1)), ik(KeyProblem::Jwk)),
        ("SEC1 uncompressed", Es256Key::from_sec1(&point), Ok(())),
        ("SEC1 compressed", Es256Key::from_sec1(&[&[0x02 | (y[31] & 1)][..], &x].concat()), Ok(())),
        ("SEC1 identity", Es256Key::from_sec1(&[0]), ik(KeyProblem::InvalidPoint)),
        ("SEC1 off-curve", Es256Key::from_sec1(&[&[0x04][..], &x, &off_curve].concat()), ik(KeyProblem::InvalidPoint)),
        ("SEC1 truncated", Es256Key::from_sec1(&point[..64]), ik(KeyProblem::InvalidPoint)),
        ("SEC1 without the tag", Es256Key::from_sec1(&point[1..]), ik(KeyProblem::InvalidPoint)),
        (
            "SEC1 hybrid tag 06",
            Es256Key::from_sec1(&[&[0x06 | (y[31] & 1)][..], &x, &y].concat()),
            ik(KeyProblem::InvalidPoint),
        ),
    ];
    let spki = |p: &[u8]| [&hex("3059301306072a8648ce3d020106082a8648ce3d030107034200")[..], p].concat();
    let spki_rows: Vec<ImportRow> = vec![
        ("SPKI", Es256Key::from_public_key_der(&spki(&point)), Ok(())),
        (
            "SPKI with a trailing byte",
            Es256Key::from_public_key_der(&[spki(&point), vec![0]].concat()),
            ik(KeyProblem::Spki),
        ),
        ("SPKI truncated", Es256Key::from_public_key_der(&spki(&point)[..90]), ik(KeyProblem::Spki)),
        (
            "SPKI of another curve OID",
            Es256Key::from_public_key_der(
                &spki(&point).iter().enumerate().map(|(i, &b)| if i == 22 { 0x08 } else { b }).collect::<Vec<_>>(),
            ),
            ik(KeyProblem::Spki),
        ),
        (
            "SPKI off-curve",
            Es256Key::from_public_key_der(&spki(&[&[0x04][..], &x, &off_curve].concat())),
            ik(KeyProblem::Spki),
        ),
        ("PEM", Es256Key::from_public_key_pem(&pem("PUBLIC KEY", &spki(&point))), Ok(())),
        (
            "PEM labelled EC PUBLIC KEY",
            Es256Key::from_public_key_pem(&pem("EC PUBLIC KEY", &spki(&point))),
            ik(KeyProblem::Spki),
        ),
        (
            "PEM labelled PRIVATE KEY",
            Es256Key::from_public_key_pem(&pem("PRIVATE KEY", &spki(&point))),
            ik(KeyProblem::Spki),
        ),
        (
            "PEM of a bad SPKI",
            Es256Key::from_public_key_pem(&pem("PUBLIC KEY", &spki(&point)[..90])),
            ik(KeyProblem::Spki),
        ),
        ("not PEM", Es256Key::from_public_key_pem("PUBLIC KEY"), ik(KeyProblem::Spki)),
    ];
    let mut failures = Vec::new();
    for (name, got, expected) in rows.iter().chain(&spki_rows) {
        let got = got.as_ref().map(|_| ()).map_err(|e| *e);
        if got != *expected {
            failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} rows failed:\n{}", failures.len(), failures.join("\n"));
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

fn payload() -> String {
    format!(r#"{{"sub":"user-1","exp":{EXP}}}"#)
}

/// `token` with its signature segment replaced by `sig` (raw bytes).
fn resigned(token: &str, sig: &[u8]) -> String {
    format!("{}.{}", &token[..token.rfind('.').unwrap()], b64(sig))
}

fn signature_of(token: &str) -> [u8; 64] {
    b64d(&token[token.rfind('.').unwrap() + 1..]).try_into().unwrap()
}

#[test]
fn token_attack_table() {
    let good = es256_token(ES256_HEADER, &payload());
    let sig = signature_of(&good);
    let (r, s) = sig.split_at(32);
    let high_s = [r, &sub(&ORDER, s)].concat();
    let with = |r: &[u8], s: &[u8]| resigned(&good, &[r, s].concat());
    let attacker = SigningKey::from_slice(&[7; 32]).unwrap();
    let attacker_jwk = {
        let point = attacker.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#, b64(&bytes[1..33]), b64(&bytes[33..]))
    };
    let attacker_token = |header: &str| {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload().as_bytes()));
        let sig: p256::ecdsa::Signature = attacker.sign(input.as_bytes());
        format!("{input}.{}", b64(&sig.to_bytes()))
    };
    let embedding = [
        format!(r#"{{"alg":"ES256","jwk":{attacker_jwk}}}"#),
        r#"{"alg":"ES256","jku":"https://attacker.example/jwks.json"}"#.to_owned(),
        r#"{"alg":"ES256","x5u":"https://attacker.example/cert.pem"}"#.to_owned(),
    ];
    let mut rows: Vec<(String, String, Result<(), Error>)> = vec![
        ("valid".into(), good.clone(), Ok(())),
        ("high-S (s replaced by n - s)".into(), resigned(&good, &high_s), Ok(())),
        ("DER-encoded signature".into(), resigned(&good, &der(&sig)), Err(Error::InvalidSignature)),
        ("63-byte signature".into(), resigned(&good, &sig[..63]), Err(Error::InvalidSignature)),
        ("65-byte signature".into(), resigned(&good, &[&sig[..], &[0]].concat()), Err(Error::InvalidSignature)),
        ("empty signature".into(), resigned(&good, &[]), Err(Error::InvalidSignature)),
        ("r = 0".into(), with(&[0; 32], s), Err(Error::InvalidSignature)),
        ("s = 0".into(), with(r, &[0; 32]), Err(Error::InvalidSignature)),
        ("r = s = 0 (CVE-2022-21449)".into(), with(&[0; 32], &[0; 32]), Err(Error::InvalidSignature)),
        ("r = n".into(), with(&ORDER, s), Err(Error::InvalidSignature)),
        ("s = n".into(), with(r, &ORDER), Err(Error::InvalidSignature)),
        ("r = n, s = n".into(), with(&ORDER, &ORDER), Err(Error::InvalidSignature)),
        ("r = 2^256 - 1".into(), with(&[0xff; 32], s), Err(Error::InvalidSignature)),
        (
            "one bit of s flipped".into(),
            with(r, &{
                let mut s = s.to_vec();
                s[31] ^= 1;
                s
            }),
            Err(Error::InvalidSignature),
        ),
        ("signed by another key".into(), attacker_token(ES256_HEADER), Err(Error::InvalidSignature)),
        ("HS256 token".into(), common::token(&payload()), Err(Error::UnsupportedAlgorithm)),
        ("alg es256".into(), es256_token(r#"{"alg":"es256"}"#, &payload()), Err(Error::UnsupportedAlgorithm)),
        ("alg ES384".into(), es256_token(r#"{"alg":"ES384"}"#, &payload()), Err(Error::UnsupportedAlgorithm)),
        (
            "alg none, no signature".into(),
            format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(payload().as_bytes())),
            Err(Error::UnsupportedAlgorithm),
        ),
        (
            "expired, signature valid".into(),
            es256_token(ES256_HEADER, &format!(r#"{{"exp":{NOW}}}"#)),
            Err(Error::Expired),
        ),
    ];
    for header in &embedding {
        rows.push((
            format!("header {header}: signed by the embedded attacker key"),
            attacker_token(header),
            Err(Error::InvalidSignature),
        ));
        rows.push((format!("header {header}: signed by our key"), es256_token(header, &payload()), Ok(())));
    }
    let es = es_key();
    let mut failures = Vec::new();
    for (name, token, expected) in &rows {
        let got = verify(token.as_str(), &es, &Validation::new(), NOW).map(|_| ());
        if got != *expected {
            failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), rows.len(), failures.join("\n"));

    // The other direction: an ES256 token never reaches an HMAC key.
    assert_eq!(verify(good.as_str(), &key(), &Validation::new(), NOW).map(|_| ()), Err(Error::UnsupportedAlgorithm));
    // p256 signs low-S, so the replaced s is the high one.
    assert!(!is_high(s) && is_high(&high_s[32..]));
}

#[test]
fn signatures_are_checked_by_the_key_not_the_header() {
    // The kid is not consulted by a single key.
    let token = es256_token(r#"{"alg":"ES256","kid":"some-other-key"}"#, &payload());
    assert_eq!(verify(token.as_str(), &es_key(), &Validation::new(), NOW).map(|_| ()), Ok(()));
    let sig = es256_sign(b"x.y");
    assert!(jwtcheck::internals::verify_es256(&es_key(), b"x.y", &sig));
    assert!(!jwtcheck::internals::verify_es256(&es_key(), b"x.z", &sig));
}

#[test]
fn supabase_es256_tokens() {
    let sample = supabase_asymmetric();
    let jwks: Value = serde_json::from_str(sample["jwks_json"].as_str().unwrap()).unwrap();
    let key = Es256Key::from_jwk(&serde_json::to_string(&jwks["keys"][0]).unwrap()).unwrap();
    let validation = Validation::new().audience("authenticated");
    for (name, expected) in
        [("es256_user", Ok(())), ("es256_user_high_s", Ok(())), ("es256_tampered", Err(Error::InvalidSignature))]
    {
        let t = sample["tokens"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap();
        let now = t["exp"].as_u64().unwrap() - 1;
        let got = verify(t["token"].as_str().unwrap(), &key, &validation, now);
        assert_eq!(got.as_ref().map(|_| ()).map_err(|e| *e), expected, "{name}");
        if let Ok(claims) = got {
            assert_eq!(claims.sub().unwrap(), "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01", "{name}");
        }
    }
    // The high-S sample is high-S: s > n / 2.
    let t = sample["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "es256_user_high_s").unwrap();
    let s = &signature_of(t["token"].as_str().unwrap())[32..];
    assert!(is_high(s), "es256_user_high_s has a low s");
    let t = sample["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "es256_user").unwrap();
    assert!(!is_high(&signature_of(t["token"].as_str().unwrap())[32..]), "es256_user has a high s");
}

/// Whether `s > n / 2` (then `n - s < s`).
fn is_high(s: &[u8]) -> bool {
    sub(&ORDER, s)[..] < *s
}
