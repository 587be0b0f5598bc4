//! `Hs256Key::from_base64` (a JWK `k` value: standard or URL-safe alphabet,
//! padding optional) against the `base64` crate: the alphabet is URL-safe
//! when the text has `-` or `_`, padding is required when it ends with `=`
//! and refused otherwise, trailing bits must be zero; then `weak_key` under
//! 32 bytes, `invalid_key` (`secret_too_long`) over 1 KiB or (`encoding`) when it does not decode, and an
//! accepted key computes the MAC of the decoded secret.
#![no_main]

use base64::Engine;
use base64::alphabet::{STANDARD, URL_SAFE};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use jwtcheck::internals::verify_mac;
use jwtcheck::{Error, Hs256Key, KeyProblem};
use jwtcheck_fuzz::jwt::hmac_sha256;
use libfuzzer_sys::fuzz_target;

fn engine(url: bool, padded: bool) -> GeneralPurpose {
    let padding = if padded { DecodePaddingMode::RequireCanonical } else { DecodePaddingMode::RequireNone };
    let config = GeneralPurposeConfig::new().with_decode_padding_mode(padding).with_decode_allow_trailing_bits(false);
    GeneralPurpose::new(if url { &URL_SAFE } else { &STANDARD }, config)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let url = text.contains(['-', '_']);
    let padded = text.ends_with('=');
    // No text longer than the padded encoding of MAX_SECRET_LEN bytes
    // (4 * ceil(1024 / 3) = 1368 characters) can be an acceptable secret.
    let expected = match engine(url, padded).decode(text) {
        _ if text.len() > 1368 => Err(Error::InvalidKey(KeyProblem::SecretTooLong)),
        Err(_) => Err(Error::InvalidKey(KeyProblem::Encoding)),
        Ok(secret) if secret.len() > jwtcheck::MAX_SECRET_LEN => Err(Error::InvalidKey(KeyProblem::SecretTooLong)),
        Ok(secret) if secret.len() < jwtcheck::MIN_SECRET_LEN => Err(Error::WeakKey),
        Ok(secret) => Ok(secret),
    };
    match (Hs256Key::from_base64(text), expected) {
        (Ok(key), Ok(secret)) => {
            let tag = hmac_sha256(&secret, data);
            assert!(verify_mac(&key, data, &tag), "the key is not the decoded secret: {text:?}");
        }
        (Err(got), Err(want)) => assert_eq!(got, want, "{text:?}"),
        (got, want) => panic!("from_base64({text:?}) = {:?}, oracle {:?}", got.map(|_| ()), want.map(|s| s.len())),
    }
});
