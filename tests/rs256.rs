//! RS256 (RFC 7518 §3.3): RFC 7515 Appendix A.2, the Supabase RSA token,
//! tokens from an independent signer (`data/rs256-independent.py`, Python's
//! `cryptography`, with hand-built paddings a lenient parser would accept),
//! the key constructors' refusals and the attack table, one named row each
//! with its exact outcome.
#![cfg(feature = "rs256")]

mod common;

use common::{b64, mac, supabase_asymmetric};
use jwtcheck::{Error, Hs256Key, KeyProblem, KeySet, Rs256Key, SkipReason, Validation, verify};
use serde_json::{Value, json};

/// RFC 7515 Appendix A.2.1's public key.
const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

/// RFC 7515 Appendix A.2's JWS (A.1's claims, `{"alg":"RS256"}`).
const A2_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9\
.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// The same key as PKCS#1 (`openssl rsa -pubin -RSAPublicKey_out`).
const A2_PKCS1_PEM: &str = "-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd/wWJcyQoTbji9k0l8W2
6mPddxHmfHQp+Vaw+4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL+yRT+SFd2lZS+pCgNMs
D1W/YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb/7OMg0LOL+bSf63kpaSHSXndS5
z5rexMdbBYUsLA9e+KXBdQOS+UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxv
b3qCo5ZwKh9kG4LT6/I5IhlJH7aGhyxXFvUK+DWNmoudF8NAco9/h9iaGNj8q2et
hFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQIDAQAB
-----END RSA PUBLIC KEY-----
";

fn b64d(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap()
}

fn a2_key() -> Rs256Key {
    Rs256Key::from_jwk(&json!({"kty":"RSA","n":A2_N,"e":"AQAB"}).to_string()).unwrap()
}

#[test]
fn rfc7515_appendix_a2() {
    for key in [
        a2_key(),
        Rs256Key::from_pem(A2_PKCS1_PEM).unwrap(),
        Rs256Key::from_components(&b64d(A2_N), &[1, 0, 1]).unwrap(),
    ] {
        let claims = verify(A2_TOKEN, &key, &Validation::new(), 1300819379).unwrap();
        assert!(claims.iss().unwrap() == "joe");
        assert_eq!(verify(A2_TOKEN, &key, &Validation::new(), 1300819380).unwrap_err(), Error::Expired);
    }
    // One signature bit changed (well inside the segment).
    let mut bad = A2_TOKEN.to_owned();
    let at = bad.len() - 20;
    let other = if &bad[at..=at] == "A" { "B" } else { "A" };
    bad.replace_range(at..=at, other);
    assert_eq!(verify(bad.as_str(), &a2_key(), &Validation::new(), 1300819379).unwrap_err(), Error::InvalidSignature);
}

/// The fixture's RSA JWK as served in the JWKS.
fn supabase_rsa_jwk() -> Value {
    let data = supabase_asymmetric();
    data["jwks"]["keys"].as_array().unwrap().iter().find(|k| k["kty"] == "RSA").unwrap().clone()
}

fn fixture_token(name: &str) -> (String, u64) {
    let data = supabase_asymmetric();
    let t = data["tokens"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap().clone();
    (t["token"].as_str().unwrap().to_owned(), t["exp"].as_u64().unwrap() - 1)
}

#[test]
fn supabase_rs256_token_and_tampered_copies() {
    let key = Rs256Key::from_jwk(&supabase_rsa_jwk().to_string()).unwrap();
    assert_eq!(key.bits(), 2048);
    let (token, now) = fixture_token("rs256_user");
    let authenticated = Validation::new().audience("authenticated");
    let claims = verify(token.as_str(), &key, &authenticated, now).unwrap();
    assert!(claims.sub().unwrap() == "d2b7f0c4-1e93-4a5b-8c6d-7e8f9a0b1c2d");
    let (head, rest) = token.split_once('.').unwrap();
    let (body, sig) = rest.split_once('.').unwrap();
    // One payload byte changed after signing.
    let mut payload = b64d(body);
    payload[10] ^= 0x01;
    let changed_payload = format!("{head}.{}.{sig}", b64(&payload));
    // One signature byte changed.
    let mut signature = b64d(sig);
    signature[128] ^= 0x40;
    let changed_signature = format!("{head}.{body}.{}", b64(&signature));
    for bad in [changed_payload, changed_signature] {
        assert_eq!(verify(bad.as_str(), &key, &authenticated, now).unwrap_err(), Error::InvalidSignature);
    }
}

#[test]
fn independent_signer_tokens() {
    let data: Value = serde_json::from_str(include_str!("data/rs256-independent.json")).unwrap();
    let key = Rs256Key::from_jwk(&supabase_rsa_jwk().to_string()).unwrap();
    let now = data["now"].as_u64().unwrap();
    let tokens = data["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 11);
    for t in tokens {
        let got = match verify(t["token"].as_str().unwrap(), &key, &Validation::new().audience("authenticated"), now) {
            Ok(_) => "accept",
            Err(e) => e.kind(),
        };
        assert_eq!(got, t["expect"].as_str().unwrap(), "{}", t["name"]);
    }
}

fn jwk_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut jwk = supabase_rsa_jwk();
    edit(jwk.as_object_mut().unwrap());
    jwk.to_string()
}

#[test]
fn key_import_table() {
    let n = b64d(supabase_rsa_jwk()["n"].as_str().unwrap());
    let set = |name: &'static str, value: Value| {
        move |m: &mut serde_json::Map<String, Value>| {
            m.insert(name.into(), value);
        }
    };
    let mut leading_zero = vec![0u8];
    leading_zero.extend(&n);
    let mut even = n.clone();
    *even.last_mut().unwrap() &= 0xfe;
    let mut too_big = vec![1u8];
    too_big.extend(&n);
    too_big.extend(&n);
    too_big.truncate(513);
    let rows: Vec<(&str, String, Result<usize, Error>)> = vec![
        ("the served JWK", jwk_with(|_| {}), Ok(2048)),
        ("e = 3", jwk_with(set("e", "Aw".into())), Ok(2048)),
        ("kty EC", jwk_with(set("kty", "EC".into())), Err(Error::InvalidKey(KeyProblem::Jwk))),
        ("alg RS384", jwk_with(set("alg", "RS384".into())), Err(Error::InvalidKey(KeyProblem::Jwk))),
        ("alg PS256", jwk_with(set("alg", "PS256".into())), Err(Error::InvalidKey(KeyProblem::Jwk))),
        ("use enc", jwk_with(set("use", "enc".into())), Err(Error::InvalidKey(KeyProblem::Jwk))),
        ("key_ops sign only", jwk_with(set("key_ops", json!(["sign"]))), Err(Error::InvalidKey(KeyProblem::Jwk))),
        ("private d", jwk_with(set("d", "AQAB".into())), Err(Error::InvalidKey(KeyProblem::PrivateKey))),
        ("n missing", jwk_with(|m| drop(m.remove("n"))), Err(Error::InvalidKey(KeyProblem::Jwk))),
        ("n a number", jwk_with(set("n", json!(65537))), Err(Error::InvalidKey(KeyProblem::Jwk))),
        ("e missing", jwk_with(|m| drop(m.remove("e"))), Err(Error::InvalidKey(KeyProblem::Jwk))),
        (
            "n with = padding",
            jwk_with(set("n", format!("{}=", b64(&n[1..])).into())),
            Err(Error::InvalidKey(KeyProblem::Base64)),
        ),
        (
            "n in standard base64",
            jwk_with(set("n", b64(&n).replace('_', "/").replace('-', "+").into())),
            Err(Error::InvalidKey(KeyProblem::Base64)),
        ),
        (
            "n with a leading zero byte",
            jwk_with(set("n", b64(&leading_zero).into())),
            Err(Error::InvalidKey(KeyProblem::RsaModulus)),
        ),
        ("n of 1024 bits", jwk_with(set("n", b64(&n[..128]).into())), Err(Error::WeakKey)),
        ("n of 2047 bits", jwk_with(set("n", b64(&[&[0x7f][..], &n[1..]].concat()).into())), Err(Error::WeakKey)),
        ("n even", jwk_with(set("n", b64(&even).into())), Err(Error::InvalidKey(KeyProblem::RsaModulus))),
        ("n of 4097 bits", jwk_with(set("n", b64(&too_big).into())), Err(Error::InvalidKey(KeyProblem::RsaModulus))),
        (
            "n of 8192 bits",
            jwk_with(set("n", b64(&[0xffu8; 1024]).into())),
            Err(Error::InvalidKey(KeyProblem::RsaModulus)),
        ),
        ("e even (65536)", jwk_with(set("e", "AQAA".into())), Err(Error::InvalidKey(KeyProblem::RsaExponent))),
        ("e = 1", jwk_with(set("e", "AQ".into())), Err(Error::InvalidKey(KeyProblem::RsaExponent))),
        (
            "e with a leading zero byte",
            jwk_with(set("e", "AAEAAQ".into())),
            Err(Error::InvalidKey(KeyProblem::RsaExponent)),
        ),
        ("e of 5 bytes", jwk_with(set("e", "AQAAAAE".into())), Err(Error::InvalidKey(KeyProblem::RsaExponent))),
        ("e empty", jwk_with(set("e", "".into())), Err(Error::InvalidKey(KeyProblem::RsaExponent))),
        ("not JSON", "{\"kty\":\"RSA\",".to_owned(), Err(Error::InvalidKey(KeyProblem::Jwk))),
        ("a JSON array", "[]".to_owned(), Err(Error::InvalidKey(KeyProblem::Jwk))),
    ];
    for (name, jwk, expected) in rows {
        assert_eq!(Rs256Key::from_jwk(&jwk).map(|k| k.bits()), expected, "{name}");
    }
}

#[test]
fn der_and_pem_refusals() {
    let spki_pem = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAofgWCuLjybRlzo0tZWJj
NiuSfb4p4fAkd/wWJcyQoTbji9k0l8W26mPddxHmfHQp+Vaw+4qPCJrcS2mJPMEz
P1Pt0Bm4d4QlL+yRT+SFd2lZS+pCgNMsD1W/YpRPEwOWvG6b32690r2jZ47soMZo
9wGzjb/7OMg0LOL+bSf63kpaSHSXndS5z5rexMdbBYUsLA9e+KXBdQOS+UTo7WTB
EMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6/I5IhlJH7aGhyxX
FvUK+DWNmoudF8NAco9/h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXp
oQIDAQAB
-----END PUBLIC KEY-----
";
    assert_eq!(Rs256Key::from_pem(spki_pem).map(|k| k.bits()), Ok(2048));
    let spki = {
        use base64::Engine;
        let body: String = spki_pem.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD.decode(body).unwrap()
    };
    let pkcs1 = spki[24..].to_vec();
    assert_eq!(Rs256Key::from_pkcs1_der(&pkcs1).map(|k| k.bits()), Ok(2048));
    assert_eq!(Rs256Key::from_public_key_der(&spki).map(|k| k.bits()), Ok(2048));
    let spki_err = Err(Error::InvalidKey(KeyProblem::Spki));
    let mut trailing = spki.clone();
    trailing.push(0);
    assert_eq!(Rs256Key::from_public_key_der(&trailing).map(|_| ()), spki_err);
    // rsaEncryption without its NULL parameters (RFC 3279 §2.3.1 requires them).
    let mut no_null = vec![0x30, 0x82, 0x01, 0x20, 0x30, 0x0b];
    no_null.extend(&spki[6..17]);
    no_null.extend(&spki[19..]);
    assert_eq!(Rs256Key::from_public_key_der(&no_null).map(|_| ()), spki_err);
    // id-RSASSA-PSS (1.2.840.113549.1.1.10) instead of rsaEncryption.
    let mut pss = spki.clone();
    pss[16] = 0x0a;
    assert_eq!(Rs256Key::from_public_key_der(&pss).map(|_| ()), spki_err);
    // A PKCS#1 key where an SPKI is expected, and the other way round.
    assert_eq!(Rs256Key::from_public_key_der(&pkcs1).map(|_| ()), spki_err);
    assert_eq!(Rs256Key::from_pkcs1_der(&spki).map(|_| ()), Err(Error::InvalidKey(KeyProblem::Pkcs1)));
    let private = spki_pem.replace("PUBLIC KEY", "RSA PRIVATE KEY");
    assert_eq!(Rs256Key::from_pem(&private).map(|_| ()), spki_err);
    assert_eq!(Rs256Key::from_pem("not a PEM").map(|_| ()), spki_err);
    // An EC SPKI is not an RSA key.
    let ec = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKSexBRK64+3c/kZ4KBKLrSkDJpkZ
9whgacjE32xzKDjHeHlk6qwA5ZIfsUmKYPRgZ2az2WhQAVWNGpdOc0FRPg==
-----END PUBLIC KEY-----
";
    assert_eq!(Rs256Key::from_pem(ec).map(|_| ()), spki_err);
}

/// `token`'s signing input with `signature` as its third segment.
fn resigned(token: &str, signature: &[u8]) -> String {
    format!("{}.{}", &token[..token.rfind('.').unwrap()], b64(signature))
}

#[test]
fn token_attack_table() {
    let jwk = supabase_rsa_jwk();
    let key = Rs256Key::from_jwk(&jwk.to_string()).unwrap();
    let n = b64d(jwk["n"].as_str().unwrap());
    let (token, now) = fixture_token("rs256_user");
    let sig = b64d(token.rsplit('.').next().unwrap());
    let mut n_plus_1 = n.clone();
    *n_plus_1.last_mut().unwrap() += 1; // n is odd: no carry
    let hs = Hs256Key::new(b"a-secret-of-at-least-thirty-two-bytes!!").unwrap();
    let payload = token.split('.').nth(1).unwrap();
    let hs256_rsa_jwk = {
        let input = format!("{}.{payload}", b64(br#"{"alg":"HS256","typ":"JWT"}"#));
        format!("{input}.{}", b64(&mac(jwk.to_string().as_bytes(), input.as_bytes())))
    };
    let rows: Vec<(&str, String, Result<(), Error>)> = vec![
        ("the token", token.clone(), Ok(())),
        ("signature one byte short", resigned(&token, &sig[1..]), Err(Error::InvalidSignature)),
        (
            "signature one byte long (leading zero)",
            resigned(&token, &[&[0][..], &sig].concat()),
            Err(Error::InvalidSignature),
        ),
        ("signature empty", resigned(&token, &[]), Err(Error::InvalidSignature)),
        ("s = n", resigned(&token, &n), Err(Error::InvalidSignature)),
        ("s = n + 1", resigned(&token, &n_plus_1), Err(Error::InvalidSignature)),
        ("s all ones (> n)", resigned(&token, &[0xff; 256]), Err(Error::InvalidSignature)),
        ("s = 0", resigned(&token, &[0; 256]), Err(Error::InvalidSignature)),
        ("s = 1 (1^e = 1)", resigned(&token, &[&[0u8; 255][..], &[1]].concat()), Err(Error::InvalidSignature)),
        (
            "s = n - 1 ((-1)^e = -1)",
            resigned(&token, &[&n[..255], &[n[255] - 1]].concat()),
            Err(Error::InvalidSignature),
        ),
        ("signature segment padded with =", format!("{}=", resigned(&token, &sig)), Err(Error::Malformed)),
        ("HS256 token MAC'd with the RSA public JWK text", hs256_rsa_jwk.clone(), Err(Error::UnsupportedAlgorithm)),
    ];
    let authenticated = Validation::new().audience("authenticated");
    for (name, t, expected) in &rows {
        assert_eq!(verify(t.as_str(), &key, &authenticated, now).map(|_| ()), *expected, "{name}");
    }
    // The RS256 token against an HS256 key, and against a set whose only
    // key of that kid is HS256: never an HMAC over RSA material.
    assert_eq!(verify(token.as_str(), &hs, &authenticated, now).unwrap_err(), Error::UnsupportedAlgorithm);
    let kid = jwk["kid"].as_str().unwrap();
    let mut set = KeySet::<2>::new();
    set.insert(Some(kid), hs.clone()).unwrap();
    assert_eq!(verify(token.as_str(), &set, &authenticated, now).unwrap_err(), Error::UnsupportedAlgorithm);
}

#[test]
fn jwks_skips_weak_and_broken_rsa_keys_with_their_reason() {
    let jwk = supabase_rsa_jwk();
    let n = b64d(jwk["n"].as_str().unwrap());
    let with = |name: &str, value: Value, kid: &str| {
        let mut k = jwk.clone();
        k[name] = value;
        k["kid"] = kid.into();
        k
    };
    let cases = [
        ("1024-bit", with("n", b64(&n[..128]).into(), "weak"), SkipReason::WeakKey),
        ("even e", with("e", "AQAA".into(), "even"), SkipReason::InvalidKey(KeyProblem::RsaExponent)),
        ("alg RS512", with("alg", "RS512".into(), "rs512"), SkipReason::AlgorithmMismatch),
        ("alg HS256", with("alg", "HS256".into(), "hs"), SkipReason::AlgorithmMismatch),
        (
            "padded n",
            with("n", format!("{}=", jwk["n"].as_str().unwrap()).into(), "pad"),
            SkipReason::InvalidKey(KeyProblem::Base64),
        ),
    ];
    for (name, key, reason) in cases {
        let doc = json!({ "keys": [key, jwk] }).to_string();
        let mut skipped = Vec::new();
        let set = KeySet::<4>::from_jwks_with(&doc, |s| skipped.push((s.index, s.reason))).unwrap();
        assert_eq!((set.len(), skipped), (1, vec![(0, reason)]), "{name}");
    }
    assert_eq!(SkipReason::WeakKey.message(), "the RSA key is shorter than 2048 bits");
}
