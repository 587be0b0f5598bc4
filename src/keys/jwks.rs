//! JWKS import (RFC 7517 §5): the caller fetches the document, the crate
//! reads it with the same strict scanner as a token and loads the keys it
//! can use into a [`KeySet`], reporting each key it skips and why.

#[cfg(feature = "eddsa")]
use super::Ed25519Key;
#[cfg(feature = "es256")]
use super::Es256Key;
#[cfg(feature = "rs256")]
use super::Rs256Key;
use super::set::{Key, KeySet, Kid};
use crate::json::{self, Names};
use crate::json_str::JsonStr;
use crate::value::{JsonKind, JsonValue};
use crate::{Error, KeyProblem};

/// The longest JWKS document [`KeySet::from_jwks`] reads: 64 KiB. Supabase's
/// holds a few keys in well under 2 KiB.
pub const MAX_JWKS_LEN: usize = 64 * 1024;

/// The most elements a JWKS `keys` array may have: 256. The duplicate-`kid`
/// check compares every pair, so the bound keeps a hostile document cheap.
pub const MAX_JWKS_KEYS: usize = 256;

/// The nesting a JWKS may have (a JWK's `key_ops` array is depth 3).
const JWKS_MAX_DEPTH: usize = 8;

/// Why a JWKS key was not loaded, reported with [`SkippedKey`].
///
/// The filters run in this order, and the first that applies is the reason
/// (a written list, as in `jose`'s key selection):
/// [`DuplicateKid`](SkipReason::DuplicateKid),
/// [`KidTooLong`](SkipReason::KidTooLong),
/// [`SymmetricKey`](SkipReason::SymmetricKey),
/// [`NotForSignatures`](SkipReason::NotForSignatures),
/// [`NoVerifyOperation`](SkipReason::NoVerifyOperation),
/// [`PrivateKey`](SkipReason::PrivateKey),
/// [`UnsupportedKeyType`](SkipReason::UnsupportedKeyType),
/// [`UnsupportedCurve`](SkipReason::UnsupportedCurve),
/// [`AlgorithmMismatch`](SkipReason::AlgorithmMismatch),
/// [`InvalidKey`](SkipReason::InvalidKey) or [`WeakKey`](SkipReason::WeakKey).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// Another key of the document (or a key already in the set) has the
    /// same `kid`: every key of that `kid` is skipped, so a token naming it
    /// is [`Error::UnknownKey`] rather than a guess between them.
    DuplicateKid,
    /// The `kid` is longer than [`MAX_KID_LEN`](crate::MAX_KID_LEN) bytes or
    /// is not a string.
    KidTooLong,
    /// `kty` is `oct`: an HMAC secret never comes from a JWKS (RFC 8725
    /// §3.2: a published key must not be usable as a MAC key).
    SymmetricKey,
    /// `use` is present and is not `sig` (RFC 7517 §4.2).
    NotForSignatures,
    /// `key_ops` is present and does not contain `verify` (RFC 7517 §4.3).
    NoVerifyOperation,
    /// The JWK holds private key members (`d`, `p`, `q`, `dp`, `dq`, `qi`,
    /// `oth`): a JWKS served for verification holds public keys only.
    PrivateKey,
    /// `kty` is missing, not a string, or a key type this build does not
    /// load (`EC`, `RSA` or `OKP` without the `es256`, `rs256` or `eddsa`
    /// feature).
    UnsupportedKeyType,
    /// An `EC` key on a curve other than `P-256`, or an `OKP` key on a curve
    /// other than `Ed25519`.
    UnsupportedCurve,
    /// `alg` is present and is not the algorithm of the key type (`ES256`
    /// for a P-256 key, `RS256` for an RSA key, `EdDSA` for an Ed25519 key:
    /// RFC 7518 §3.1, RFC 8037 §3.1), or not a string.
    AlgorithmMismatch,
    /// The key material is unusable: the payload says why (for example a
    /// 31-byte EC coordinate, or a point not on the curve).
    InvalidKey(KeyProblem),
    /// An RSA key of fewer than [`MIN_RSA_BITS`](crate::MIN_RSA_BITS) bits
    /// (the key's own import is [`Error::WeakKey`]).
    WeakKey,
}

impl SkipReason {
    /// A fixed, human-readable message.
    pub const fn message(self) -> &'static str {
        match self {
            SkipReason::DuplicateKid => "another key has the same kid",
            SkipReason::KidTooLong => "the kid is not a string or is longer than the key set stores",
            SkipReason::SymmetricKey => "kty oct: an HMAC secret is never taken from a JWKS",
            SkipReason::NotForSignatures => "use is not sig",
            SkipReason::NoVerifyOperation => "key_ops does not include verify",
            SkipReason::PrivateKey => "the JWK holds private key members",
            SkipReason::UnsupportedKeyType => "the kty is missing or not supported by this build",
            SkipReason::UnsupportedCurve => "the curve is not P-256 (EC) or Ed25519 (OKP)",
            SkipReason::AlgorithmMismatch => "the alg does not match the key type",
            SkipReason::InvalidKey(problem) => problem.message(),
            SkipReason::WeakKey => "the RSA key is shorter than 2048 bits",
        }
    }
}

/// A JWKS key that was not loaded: its position in `keys`, its `kid` (as
/// written in the document), and why.
#[derive(Clone, Copy, Debug)]
pub struct SkippedKey<'a> {
    /// The key's index in the document's `keys` array.
    pub index: usize,
    /// The key's `kid`, when it has a string one.
    pub kid: Option<JsonStr<'a>>,
    /// Why it was skipped.
    pub reason: SkipReason,
}

impl<const N: usize> KeySet<N> {
    /// A set holding the usable keys of a JWKS document (RFC 7517 §5), such
    /// as Supabase's `/auth/v1/.well-known/jwks.json`; skipped keys are
    /// ignored (see [`from_jwks_with`](KeySet::from_jwks_with) to hear about
    /// them). The crate does no I/O: fetch the text yourself.
    ///
    /// [`Error::InvalidJwks`] when the document is longer than
    /// [`MAX_JWKS_LEN`], is not a strict JSON object (the token scanner's
    /// rules: UTF-8, no repeated names, bounded depth), has no `keys` array,
    /// has more than [`MAX_JWKS_KEYS`] elements, an element that is not an
    /// object, or more usable keys than the set's capacity `N`. `{"keys":[]}`
    /// is a valid, empty set.
    ///
    /// ```
    /// use jwtcheck::{Hs256Key, KeySet};
    ///
    /// let jwks = r#"{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"k1"}]}"#;
    /// let keys = KeySet::<4>::from_jwks(jwks)?;
    /// assert!(keys.is_empty(), "an oct key is never loaded from a JWKS");
    /// // During a rotation, add the legacy HS256 secret.
    /// let keys = keys.with_legacy_hs256(Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?);
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn from_jwks(jwks: &str) -> Result<Self, Error> {
        Self::from_jwks_with(jwks, |_| {})
    }

    /// [`from_jwks`](KeySet::from_jwks), calling `on_skip` for each key
    /// that is not loaded, in document order.
    ///
    /// ```
    /// use jwtcheck::{KeySet, SkipReason};
    ///
    /// let jwks = r#"{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"k1"},{"kty":"RSA","use":"enc","kid":"k2"}]}"#;
    /// let mut skipped = Vec::new();
    /// let keys = KeySet::<4>::from_jwks_with(jwks, |s| skipped.push((s.kid.unwrap().to_string(), s.reason)))?;
    /// assert_eq!(keys.len(), 0);
    /// assert_eq!(skipped, [("k1".into(), SkipReason::SymmetricKey), ("k2".into(), SkipReason::NotForSignatures)]);
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn from_jwks_with<'j>(jwks: &'j str, on_skip: impl FnMut(SkippedKey<'j>)) -> Result<Self, Error> {
        let mut set = Self::new();
        set.load_jwks(jwks, on_skip)?;
        Ok(set)
    }

    /// Adds the usable keys of a JWKS document to this set and returns how
    /// many were added; the rules of [`from_jwks`](KeySet::from_jwks). A key
    /// whose `kid` the set already holds is skipped as
    /// [`SkipReason::DuplicateKid`]. On an error the set is left as it was
    /// (reasons reported before the error no longer matter).
    pub fn load_jwks<'j>(&mut self, jwks: &'j str, mut on_skip: impl FnMut(SkippedKey<'j>)) -> Result<usize, Error> {
        let elements = jwks_keys(jwks)?;
        let before = self.len();
        for (index, jwk) in elements.enumerate() {
            let kid = jwk.get("kid").and_then(|k| k.as_str());
            let (kid, key) = match self.usable(&jwk, index, elements_of(jwks)) {
                Ok(entry) => entry,
                Err(reason) => {
                    on_skip(SkippedKey { index, kid, reason });
                    continue;
                }
            };
            if let Err(error) = self.push(kid, key) {
                self.truncate(before);
                return Err(match error {
                    Error::InvalidKey(KeyProblem::SetConflict) => Error::InvalidJwks,
                    other => other,
                });
            }
        }
        Ok(self.len().saturating_sub(before))
    }

    /// The written list of filters, then the key itself.
    fn usable<'j>(
        &self,
        jwk: &JsonValue<'j>,
        index: usize,
        all: impl Iterator<Item = JsonValue<'j>>,
    ) -> Result<(Option<Kid>, Key), SkipReason> {
        let kid = match jwk.get("kid") {
            None => None,
            Some(kid) => {
                let kid = kid.as_str().ok_or(SkipReason::KidTooLong)?;
                let repeated = all
                    .enumerate()
                    .any(|(other, jwk)| other != index && jwk.get("kid").and_then(|k| k.as_str()) == Some(kid));
                if repeated {
                    return Err(SkipReason::DuplicateKid);
                }
                let stored = Kid::from_json(kid).map_err(|_| SkipReason::KidTooLong)?;
                if self.contains_kid(stored.as_str()) {
                    return Err(SkipReason::DuplicateKid);
                }
                Some(stored)
            }
        };
        let kty = jwk.get("kty").and_then(|k| k.as_str());
        if kty.is_some_and(|k| k == "oct") {
            return Err(SkipReason::SymmetricKey);
        }
        if jwk.get("use").is_some_and(|u| !u.as_str().is_some_and(|u| u == "sig")) {
            return Err(SkipReason::NotForSignatures);
        }
        if let Some(ops) = jwk.get("key_ops") {
            let verify = ops.elements().any(|op| op.as_str().is_some_and(|op| op == "verify"));
            if ops.kind() != JsonKind::Array || !verify {
                return Err(SkipReason::NoVerifyOperation);
            }
        }
        if super::jwk::PRIVATE_MEMBERS.iter().any(|name| jwk.get(name).is_some()) {
            return Err(SkipReason::PrivateKey);
        }
        let kty = kty.ok_or(SkipReason::UnsupportedKeyType)?;
        let key = if kty == "EC" {
            ec_key(jwk)?
        } else if kty == "RSA" {
            rsa_key(jwk)?
        } else if kty == "OKP" {
            okp_key(jwk)?
        } else {
            return Err(SkipReason::UnsupportedKeyType);
        };
        Ok((kid, key))
    }
}

/// An `EC` JWK: P-256 only, `alg` absent or `ES256`.
fn ec_key(jwk: &JsonValue<'_>) -> Result<Key, SkipReason> {
    if !jwk.get("crv").and_then(|c| c.as_str()).is_some_and(|c| c == "P-256") {
        return Err(SkipReason::UnsupportedCurve);
    }
    if jwk.get("alg").is_some_and(|a| !a.as_str().is_some_and(|a| a == "ES256")) {
        return Err(SkipReason::AlgorithmMismatch);
    }
    #[cfg(feature = "es256")]
    {
        Es256Key::from_jwk_value(*jwk).map(Key::Es256).map_err(|error| match error {
            Error::InvalidKey(problem) => SkipReason::InvalidKey(problem),
            _ => SkipReason::InvalidKey(KeyProblem::Jwk),
        })
    }
    #[cfg(not(feature = "es256"))]
    {
        Err(SkipReason::UnsupportedKeyType)
    }
}

/// An `RSA` JWK: `alg` absent or `RS256`; a modulus under 2048 bits is
/// skipped as [`SkipReason::WeakKey`].
fn rsa_key(jwk: &JsonValue<'_>) -> Result<Key, SkipReason> {
    if jwk.get("alg").is_some_and(|a| !a.as_str().is_some_and(|a| a == "RS256")) {
        return Err(SkipReason::AlgorithmMismatch);
    }
    #[cfg(feature = "rs256")]
    {
        Rs256Key::from_jwk_value(*jwk).map(Key::Rs256).map_err(|error| match error {
            Error::WeakKey => SkipReason::WeakKey,
            Error::InvalidKey(problem) => SkipReason::InvalidKey(problem),
            _ => SkipReason::InvalidKey(KeyProblem::Jwk),
        })
    }
    #[cfg(not(feature = "rs256"))]
    {
        Err(SkipReason::UnsupportedKeyType)
    }
}

/// An `OKP` JWK: Ed25519 only (X25519 and X448 are for key agreement),
/// `alg` absent or `EdDSA`.
fn okp_key(jwk: &JsonValue<'_>) -> Result<Key, SkipReason> {
    if !jwk.get("crv").and_then(|c| c.as_str()).is_some_and(|c| c == "Ed25519") {
        return Err(SkipReason::UnsupportedCurve);
    }
    if jwk.get("alg").is_some_and(|a| !a.as_str().is_some_and(|a| a == "EdDSA")) {
        return Err(SkipReason::AlgorithmMismatch);
    }
    #[cfg(feature = "eddsa")]
    {
        Ed25519Key::from_jwk_value(*jwk).map(Key::EdDsa).map_err(|error| match error {
            Error::InvalidKey(problem) => SkipReason::InvalidKey(problem),
            _ => SkipReason::InvalidKey(KeyProblem::Jwk),
        })
    }
    #[cfg(not(feature = "eddsa"))]
    {
        Err(SkipReason::UnsupportedKeyType)
    }
}

/// Validates the document and returns its `keys` elements, each an object.
fn jwks_keys(jwks: &str) -> Result<impl Iterator<Item = JsonValue<'_>> + '_, Error> {
    if jwks.len() > MAX_JWKS_LEN {
        return Err(Error::InvalidJwks);
    }
    json::scan_object(jwks, JWKS_MAX_DEPTH, &mut Names::new(), |_, _| {}).map_err(|_| Error::InvalidJwks)?;
    let keys = root(jwks).get("keys").filter(|k| k.kind() == JsonKind::Array).ok_or(Error::InvalidJwks)?;
    let mut count = 0usize;
    for element in keys.elements() {
        count = count.saturating_add(1);
        if element.kind() != JsonKind::Object || count > MAX_JWKS_KEYS {
            return Err(Error::InvalidJwks);
        }
    }
    Ok(keys.elements())
}

/// The root object of a validated document.
fn root(doc: &str) -> JsonValue<'_> {
    JsonValue::new(doc.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r')))
}

/// The `keys` elements of a document [`jwks_keys`] already validated.
fn elements_of(jwks: &str) -> impl Iterator<Item = JsonValue<'_>> + '_ {
    root(jwks).get("keys").into_iter().flat_map(|k| k.elements())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;
    use std::{format, string::String, string::ToString};

    /// The loaded count and each skipped key's kid and reason.
    type Loaded = (usize, Vec<(Option<String>, SkipReason)>);

    fn skipped(jwks: &str) -> Result<Loaded, Error> {
        let mut out = Vec::new();
        let set = KeySet::<4>::from_jwks_with(jwks, |s| out.push((s.kid.map(|k| k.to_string()), s.reason)))?;
        Ok((set.len(), out))
    }

    fn one(jwk: &str) -> SkipReason {
        let (loaded, reasons) = skipped(&format!(r#"{{"keys":[{jwk}]}}"#)).unwrap();
        assert_eq!((loaded, reasons.len()), (0, 1), "{jwk}");
        reasons[0].1
    }

    #[test]
    fn document_errors() {
        for doc in [
            "",
            "[]",
            r#"{"keys":{}}"#,
            r#"{"key":[]}"#,
            r#"{"keys":[1]}"#,
            r#"{"keys":[{}],"keys":[]}"#,
            r#"{"keys":[{"kid":"a","kid":"b"}]}"#,
            r#"{"keys":[{}]"#,
            r#"{"keys":[[]]}"#,
            r#"{"keys":null}"#,
        ] {
            assert_eq!(KeySet::<4>::from_jwks(doc).map(|_| ()), Err(Error::InvalidJwks), "{doc}");
        }
        assert_eq!(KeySet::<4>::from_jwks(r#"{"keys":[]}"#).map(|s| s.len()), Ok(0));
        assert_eq!(KeySet::<4>::from_jwks(" {\"keys\":[] , \"x\":1}\n").map(|s| s.len()), Ok(0));
        let many = format!(r#"{{"keys":[{}]}}"#, ["{}"; MAX_JWKS_KEYS + 1].join(","));
        assert_eq!(KeySet::<4>::from_jwks(&many).map(|_| ()), Err(Error::InvalidJwks));
        let long = format!(r#"{{"keys":[],"pad":"{}"}}"#, "a".repeat(MAX_JWKS_LEN));
        assert_eq!(KeySet::<4>::from_jwks(&long).map(|_| ()), Err(Error::InvalidJwks));
    }

    #[test]
    fn skip_reasons_in_their_order() {
        assert_eq!(one(r#"{"kty":"oct","k":"AAAA","kid":"h"}"#), SkipReason::SymmetricKey);
        assert_eq!(one(r#"{"kty":"EC","use":"enc"}"#), SkipReason::NotForSignatures);
        assert_eq!(one(r#"{"kty":"EC","use":1}"#), SkipReason::NotForSignatures);
        assert_eq!(one(r#"{"kty":"EC","key_ops":["sign"]}"#), SkipReason::NoVerifyOperation);
        assert_eq!(one(r#"{"kty":"EC","key_ops":"verify"}"#), SkipReason::NoVerifyOperation);
        assert_eq!(one(r#"{"kty":"EC","d":"AAAA"}"#), SkipReason::PrivateKey);
        assert_eq!(one(r#"{"kty":"RSA","n":"AQAB","e":"AQAB","p":"AQ"}"#), SkipReason::PrivateKey);
        assert_eq!(one(r#"{"n":"AQAB"}"#), SkipReason::UnsupportedKeyType);
        assert_eq!(one(r#"{"kty":"PQ"}"#), SkipReason::UnsupportedKeyType);
        assert_eq!(one(r#"{"kty":"EC","crv":"P-384"}"#), SkipReason::UnsupportedCurve);
        assert_eq!(one(r#"{"kty":"EC","crv":"P-256","alg":"ES384"}"#), SkipReason::AlgorithmMismatch);
        assert_eq!(one(r#"{"kty":"EC","crv":"P-256","alg":"HS256"}"#), SkipReason::AlgorithmMismatch);
        assert_eq!(one(r#"{"kty":"EC","kid":7}"#), SkipReason::KidTooLong);
        let long = format!(r#"{{"kty":"EC","kid":"{}"}}"#, "k".repeat(crate::MAX_KID_LEN + 1));
        assert_eq!(one(&long), SkipReason::KidTooLong);
    }

    #[test]
    fn every_key_of_a_repeated_kid_is_skipped() {
        let doc = r#"{"keys":[{"kty":"oct","kid":"a"},{"kty":"PQ","kid":"b"},{"kty":"EC","kid":"\u0061"}]}"#;
        let (loaded, reasons) = skipped(doc).unwrap();
        assert_eq!(loaded, 0);
        assert_eq!(
            reasons,
            [
                (Some("a".into()), SkipReason::DuplicateKid),
                (Some("b".into()), SkipReason::UnsupportedKeyType),
                (Some("a".into()), SkipReason::DuplicateKid),
            ]
        );
    }
}
