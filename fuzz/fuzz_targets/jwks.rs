//! `KeySet::from_jwks_with` against an independent reading of the JWKS rules
//! (README, "Key sets and Supabase signing keys") on `serde_json`'s parse.
//!
//! The JSON grammar itself (strictness, duplicate names) is the `json`
//! target's concern, so a document the crate's scanner refuses must be
//! `invalid_jwks` and is not examined further. For every other document the
//! oracle decides, from `serde_json::Value` alone: document errors, each
//! element's skip reason in the documented order, and the set loaded. For an
//! EC P-256 key that passes every filter, the material is checked with `p256`
//! directly: 32-byte coordinates and a point on the curve. For an RSA key,
//! the documented `Rs256Key::from_jwk` rules on the decoded integers. For
//! an OKP Ed25519 key, 32 bytes that `curve25519-dalek` decodes to a point
//! that re-encodes to the same bytes and is not of small order.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwtcheck::{Algorithm, Error, KeyProblem, KeySet, MAX_JWKS_KEYS, MAX_JWKS_LEN, MAX_KID_LEN, SkipReason};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const CAPACITY: usize = 4;

#[derive(Debug, PartialEq)]
enum Verdict {
    Load(Option<String>, Algorithm),
    Skip(SkipReason),
}

/// An RSA JWK integer's text: `too_long` past the crate's buffer (684
/// characters for either member), `Base64` when not strict base64url, and
/// for `e` (at most 5 bytes read) `too_long` when a valid text is longer
/// than 7 characters.
fn rsa_member(v: Option<&Value>, max_bytes: usize, too_long: KeyProblem) -> Result<Vec<u8>, KeyProblem> {
    let text = v.and_then(Value::as_str).ok_or(KeyProblem::Jwk)?;
    if text.len() > 684 {
        return Err(too_long);
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| KeyProblem::Base64)?;
    if bytes.len() > max_bytes { Err(too_long) } else { Ok(bytes) }
}

/// The RSA material rules: `n` then `e` decoded, then `e` an odd value in
/// [3, 2^32) in minimal bytes, then `n` of 2048 to 4096 bits, odd, minimal.
fn rsa_material(jwk: &serde_json::Map<String, Value>) -> Result<(), SkipReason> {
    let invalid = SkipReason::InvalidKey;
    let n = rsa_member(jwk.get("n"), 513, KeyProblem::RsaModulus).map_err(invalid)?;
    let e = rsa_member(jwk.get("e"), 5, KeyProblem::RsaExponent).map_err(invalid)?;
    let value = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if e.is_empty() || e.len() > 4 || e[0] == 0 || value < 3 || value % 2 == 0 {
        return Err(invalid(KeyProblem::RsaExponent));
    }
    if n.is_empty() || n[0] == 0 {
        return Err(invalid(KeyProblem::RsaModulus));
    }
    let bits = n.len() * 8 - n[0].leading_zeros() as usize;
    if bits < 2048 {
        return Err(SkipReason::WeakKey);
    }
    if bits > 4096 || n[n.len() - 1] % 2 == 0 {
        return Err(invalid(KeyProblem::RsaModulus));
    }
    Ok(())
}

/// `Es256Key::from_jwk`'s documented coordinate rule: a string (unescaped)
/// longer than 64 bytes is `CoordinateLength` whatever it holds; a shorter
/// one is `Base64` when not strict base64url, then `CoordinateLength` unless
/// it decodes to 32 bytes.
fn coordinate(v: Option<&Value>) -> Result<Vec<u8>, KeyProblem> {
    let text = v.and_then(Value::as_str).ok_or(KeyProblem::Jwk)?;
    if text.len() > 64 {
        return Err(KeyProblem::CoordinateLength);
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| KeyProblem::Base64)?;
    if bytes.len() != 32 { Err(KeyProblem::CoordinateLength) } else { Ok(bytes) }
}

/// The EC material rule: exactly 32-byte coordinates, a point of P-256.
fn ec_material(jwk: &serde_json::Map<String, Value>) -> Result<(), KeyProblem> {
    let x = coordinate(jwk.get("x"))?;
    let y = coordinate(jwk.get("y"))?;
    let mut sec1 = vec![4u8];
    sec1.extend_from_slice(&x);
    sec1.extend_from_slice(&y);
    p256::PublicKey::from_sec1_bytes(&sec1).map(|_| ()).map_err(|_| KeyProblem::InvalidPoint)
}

/// The OKP material rule: `x` as an EC coordinate's text rule (with
/// `OkpLength`), then a canonical encoding of a point of large order.
fn okp_material(jwk: &serde_json::Map<String, Value>) -> Result<(), KeyProblem> {
    let x = coordinate(jwk.get("x")).map_err(|p| if p == KeyProblem::CoordinateLength { KeyProblem::OkpLength } else { p })?;
    let x: [u8; 32] = x.try_into().expect("32 bytes");
    match curve25519_dalek::edwards::CompressedEdwardsY(x).decompress() {
        Some(point) if point.compress().0 == x && !point.is_small_order() => Ok(()),
        _ => Err(KeyProblem::Ed25519Point),
    }
}

fn verdict(keys: &[Value], index: usize) -> Verdict {
    let jwk = keys[index].as_object().expect("checked by the caller");
    let kid = match jwk.get("kid") {
        None => None,
        Some(Value::String(kid)) => {
            let repeated = keys.iter().enumerate().any(|(i, other)| i != index && other.get("kid") == jwk.get("kid"));
            if repeated {
                return Verdict::Skip(SkipReason::DuplicateKid);
            }
            if kid.len() > MAX_KID_LEN {
                return Verdict::Skip(SkipReason::KidTooLong);
            }
            Some(kid.clone())
        }
        Some(_) => return Verdict::Skip(SkipReason::KidTooLong),
    };
    let kty = jwk.get("kty").and_then(Value::as_str);
    if kty == Some("oct") {
        return Verdict::Skip(SkipReason::SymmetricKey);
    }
    if jwk.get("use").is_some_and(|u| u.as_str() != Some("sig")) {
        return Verdict::Skip(SkipReason::NotForSignatures);
    }
    if let Some(ops) = jwk.get("key_ops") {
        let verify = ops.as_array().is_some_and(|ops| ops.iter().any(|op| op.as_str() == Some("verify")));
        if !verify {
            return Verdict::Skip(SkipReason::NoVerifyOperation);
        }
    }
    if ["d", "p", "q", "dp", "dq", "qi", "oth"].iter().any(|m| jwk.contains_key(*m)) {
        return Verdict::Skip(SkipReason::PrivateKey);
    }
    if kty == Some("RSA") {
        if jwk.get("alg").is_some_and(|a| a.as_str() != Some("RS256")) {
            return Verdict::Skip(SkipReason::AlgorithmMismatch);
        }
        return match rsa_material(jwk) {
            Ok(()) => Verdict::Load(kid, Algorithm::Rs256),
            Err(reason) => Verdict::Skip(reason),
        };
    }
    if kty == Some("OKP") {
        if jwk.get("crv").and_then(Value::as_str) != Some("Ed25519") {
            return Verdict::Skip(SkipReason::UnsupportedCurve);
        }
        if jwk.get("alg").is_some_and(|a| a.as_str() != Some("EdDSA")) {
            return Verdict::Skip(SkipReason::AlgorithmMismatch);
        }
        return match okp_material(jwk) {
            Ok(()) => Verdict::Load(kid, Algorithm::EdDsa),
            Err(problem) => Verdict::Skip(SkipReason::InvalidKey(problem)),
        };
    }
    if kty != Some("EC") {
        return Verdict::Skip(SkipReason::UnsupportedKeyType);
    }
    if jwk.get("crv").and_then(Value::as_str) != Some("P-256") {
        return Verdict::Skip(SkipReason::UnsupportedCurve);
    }
    if jwk.get("alg").is_some_and(|a| a.as_str() != Some("ES256")) {
        return Verdict::Skip(SkipReason::AlgorithmMismatch);
    }
    match ec_material(jwk) {
        Ok(()) => Verdict::Load(kid, Algorithm::Es256),
        Err(problem) => Verdict::Skip(SkipReason::InvalidKey(problem)),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut skipped = Vec::new();
    let got = KeySet::<CAPACITY>::from_jwks_with(text, |s| skipped.push((s.index, s.reason)));

    if text.len() > MAX_JWKS_LEN || jwtcheck::internals::scan_json_object(text, 8).is_err() {
        assert_eq!(got.map(|_| ()).unwrap_err(), Error::InvalidJwks, "{text:?}");
        return;
    }
    let doc: Value = serde_json::from_str(text).expect("serde_json accepts what the strict scanner accepts");
    let keys = match doc.get("keys").and_then(Value::as_array) {
        Some(keys) if keys.len() <= MAX_JWKS_KEYS && keys.iter().all(Value::is_object) => keys,
        _ => {
            assert_eq!(got.map(|_| ()).unwrap_err(), Error::InvalidJwks, "{text:?}");
            return;
        }
    };
    let verdicts: Vec<Verdict> = (0..keys.len()).map(|i| verdict(keys, i)).collect();
    let loaded: Vec<(Option<String>, Algorithm)> = verdicts
        .iter()
        .filter_map(|v| if let Verdict::Load(kid, alg) = v { Some((kid.clone(), *alg)) } else { None })
        .collect();
    if loaded.len() > CAPACITY {
        assert_eq!(got.map(|_| ()).unwrap_err(), Error::InvalidJwks, "{text:?}");
        return;
    }
    let set = got.unwrap_or_else(|e| panic!("{text:?}: {e}, oracle loads {loaded:?}"));
    let expected_skips: Vec<(usize, SkipReason)> = verdicts
        .iter()
        .enumerate()
        .filter_map(|(i, v)| if let Verdict::Skip(r) = v { Some((i, *r)) } else { None })
        .collect();
    assert_eq!(skipped, expected_skips, "{text:?}");
    let got_keys: Vec<(Option<String>, Algorithm)> = set.keys().map(|(k, a)| (k.map(str::to_owned), a)).collect();
    assert_eq!(got_keys, loaded, "{text:?}");
});
