//! What every public JWK import shares (RFC 7517 §4, RFC 7518 §6,
//! RFC 8037 §2): the strict reading of the text, the member checks in their
//! order, and 32-byte key members.

#![cfg_attr(not(any(feature = "es256", feature = "rs256", feature = "eddsa")), allow(dead_code))]

use crate::json::{self, Names};
use crate::json_str::JsonStr;
use crate::{DEFAULT_MAX_DEPTH, Error, JsonKind, JsonValue, KeyProblem, base64url};

/// The private members of an EC or RSA JWK (RFC 7518 §6.2.2, §6.3.2); an
/// OKP key's is `d` alone (RFC 8037 §2).
pub(crate) const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

/// The text of one JWK as a value: one strict JSON object (the token
/// scanner's rules: no repeated member name, valid UTF-8, nesting at most
/// [`DEFAULT_MAX_DEPTH`]), else [`KeyProblem::Jwk`].
pub(crate) fn parse(jwk: &str) -> Result<JsonValue<'_>, Error> {
    json::scan_object(jwk, DEFAULT_MAX_DEPTH, &mut Names::new(), |_, _| {})
        .map_err(|_| Error::InvalidKey(KeyProblem::Jwk))?;
    // The scanner allows whitespace around the object (RFC 8259 §2).
    Ok(JsonValue::new(jwk.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))))
}

/// The checks before a key's material, in this order: an object; none of
/// `private` ([`KeyProblem::PrivateKey`]: the caller should learn first that
/// the secret is in the wrong place); `kty` and, when given, `crv` exactly;
/// `alg` absent or `alg`, `use` absent or `sig`; `key_ops` absent or an
/// array of strings containing `verify` (RFC 7517 §4.3). Anything else is
/// [`KeyProblem::Jwk`].
pub(crate) fn check_public(
    jwk: &JsonValue<'_>,
    private: &[&str],
    kty: &str,
    crv: Option<&str>,
    alg: &str,
) -> Result<(), Error> {
    const JWK: Error = Error::InvalidKey(KeyProblem::Jwk);
    if jwk.kind() != JsonKind::Object {
        return Err(JWK);
    }
    if private.iter().any(|name| jwk.get(name).is_some()) {
        return Err(Error::InvalidKey(KeyProblem::PrivateKey));
    }
    let string_is = |name: &str, expected: &str| jwk.get(name).and_then(|v| v.as_str()).is_some_and(|s| s == expected);
    let absent_or = |name: &str, expected: &str| jwk.get(name).is_none() || string_is(name, expected);
    if !string_is("kty", kty)
        || !crv.is_none_or(|crv| string_is("crv", crv))
        || !absent_or("alg", alg)
        || !absent_or("use", "sig")
    {
        return Err(JWK);
    }
    if let Some(ops) = jwk.get("key_ops") {
        let mut verify = false;
        for op in ops.elements() {
            let op = op.as_str().ok_or(JWK)?;
            verify |= op == "verify";
        }
        if ops.kind() != JsonKind::Array || !verify {
            return Err(JWK);
        }
    }
    Ok(())
}

/// A key member of exactly 32 bytes (an EC coordinate, an Ed25519 public
/// key): strict unpadded base64url, else [`KeyProblem::Base64`]; any other
/// length is `length`, also for a string longer than 64 characters,
/// whatever it holds.
#[cfg_attr(not(any(feature = "es256", feature = "eddsa")), allow(dead_code))]
pub(crate) fn bytes32(text: JsonStr<'_>, length: KeyProblem) -> Result<[u8; 32], Error> {
    // 64 characters decode to 48 bytes: any string up to that length is
    // checked as base64url before its length is judged.
    let mut chars = [0u8; 64];
    let chars = text.unescape_into(&mut chars).map_err(|_| Error::InvalidKey(length))?;
    let mut bytes = [0u8; 48];
    let decoded = base64url::decode(chars.as_bytes(), &mut bytes).map_err(|_| Error::InvalidKey(KeyProblem::Base64))?;
    <[u8; 32]>::try_from(decoded).map_err(|_| Error::InvalidKey(length))
}
