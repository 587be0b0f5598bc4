//! Entry points into crate-private parts, for this project's fuzz targets
//! and vector tests. Hidden from the docs and **not** covered by semver: do
//! not use them. They are compiled in every build (thin wrappers, nothing
//! runs unless called) so that the published crate's own tests, which
//! cargo builds without any feature of the crate's choosing, reach them.

use crate::{Error, Hs256Key, NumericDate, base64url, json};

/// The strict base64url decoder used for token segments.
pub fn base64url_decode<'o>(src: &[u8], dst: &'o mut [u8]) -> Result<&'o [u8], Error> {
    base64url::decode(src, dst)
}

/// The strict JSON scanner: `Ok` iff `doc` is one JSON object without a
/// repeated name in any object, nested at most `max_depth` deep.
pub fn scan_json_object(doc: &str, max_depth: usize) -> Result<(), Error> {
    json::scan_object(doc, max_depth, &mut json::Names::new(), |_, _| {})
}

/// Reads a NumericDate from a JSON number's text (`None`: negative or
/// `>= 2^64`). The text must already match the JSON number grammar.
pub fn numeric_date(text: &[u8]) -> Option<NumericDate> {
    NumericDate::parse(text)
}

/// The keyed-MAC check of `verify`: the precomputed HMAC state over
/// `message`, compared in constant time with `tag`, which must be 32 bytes.
pub fn verify_mac(key: &Hs256Key, message: &[u8], tag: &[u8]) -> bool {
    <&[u8; 32]>::try_from(tag).is_ok_and(|tag| key.verify(message, tag))
}

/// The ES256 check of `verify`, through the same seam: `signature` (raw
/// bytes, any length) is base64url-encoded as a token's third segment and
/// handed to the key's `Selected::verify`.
#[cfg(feature = "es256")]
pub fn verify_es256(key: &crate::Es256Key, message: &[u8], signature: &[u8]) -> bool {
    // Wycheproof's longest P1363 signatures are well under 1 KiB.
    let mut segment = [0u8; 1400];
    base64url::encode(signature, &mut segment)
        .is_ok_and(|segment| crate::keys::Selected::Es256(key).verify(message, segment.as_bytes()).is_ok())
}

/// [`crate::Es256Key`]'s JWK import on a value the scanner already
/// accepted, as the JWKS importer calls it.
#[cfg(feature = "es256")]
pub fn es256_from_jwk_value(jwk: crate::JsonValue<'_>) -> Result<crate::Es256Key, Error> {
    crate::Es256Key::from_jwk_value(jwk)
}

/// The RS256 check of `verify`, through the same seam: `signature` (raw
/// bytes, any length) is base64url-encoded as a token's third segment and
/// handed to the key's `Selected::verify`. [`Error::TooLarge`] when the
/// signature is longer than this entry point encodes (1 KiB).
#[cfg(feature = "rs256")]
pub fn verify_rs256(key: &crate::Rs256Key, message: &[u8], signature: &[u8]) -> Result<(), Error> {
    let mut segment = [0u8; 1400];
    let segment = base64url::encode(signature, &mut segment).map_err(|_| Error::TooLarge)?;
    crate::keys::Selected::Rs256(key).verify(message, segment.as_bytes())
}

/// The EdDSA check of `verify`, through the same seam: `signature` (raw
/// bytes, any length) is base64url-encoded as a token's third segment and
/// handed to the key's `Selected::verify`. [`Error::TooLarge`] when the
/// signature is longer than this entry point encodes (1 KiB).
#[cfg(feature = "eddsa")]
pub fn verify_eddsa(key: &crate::Ed25519Key, message: &[u8], signature: &[u8]) -> Result<(), Error> {
    let mut segment = [0u8; 1400];
    let segment = base64url::encode(signature, &mut segment).map_err(|_| Error::TooLarge)?;
    crate::keys::Selected::EdDsa(key).verify(message, segment.as_bytes())
}
