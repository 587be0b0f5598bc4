//! ES256 verification past the signature: signs fuzzer-chosen header and
//! payload JSON with the Supabase test key (RFC 6979, so runs reproduce),
//! in its low-S or high-S form, optionally spoils the signature, verifies
//! with the `Es256Key` of the matching public JWK, and requires the
//! oracle's exact verdict (`verdict_with` and `OracleKey::Es256`) and claims.
//! Input layout: `jwtcheck_fuzz::signed`; c0 bit 5 picks the high-S form.
#![no_main]

use std::sync::OnceLock;

use base64::Engine;
use jwtcheck::Es256Key;
use jwtcheck_fuzz::jwt::{OracleKey, STRICT_B64URL, b64};
use jwtcheck_fuzz::signed::Input;
use libfuzzer_sys::fuzz_target;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

/// The first key of `tests/data/supabase-asymmetric.json`: `private_jwks`
/// for the signer, `jwks_json` (its public half, same `kid`) for the crate.
const KEYS: &str = include_str!("../../tests/data/supabase-asymmetric.json");

/// The order `n` of the P-256 base point, big-endian (SEC 2 §2.4.2).
const ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

fn keys() -> &'static (SigningKey, Es256Key) {
    static KEYS_ONCE: OnceLock<(SigningKey, Es256Key)> = OnceLock::new();
    KEYS_ONCE.get_or_init(|| {
        let file: serde_json::Value = serde_json::from_str(KEYS).unwrap();
        let private = &file["private_jwks"]["keys"][0];
        let d = STRICT_B64URL.decode(private["d"].as_str().unwrap()).unwrap();
        let signer = SigningKey::from_slice(&d).unwrap();
        let jwks: serde_json::Value = serde_json::from_str(file["jwks_json"].as_str().unwrap()).unwrap();
        let public = &jwks["keys"][0];
        assert_eq!(public["kid"], private["kid"], "the public JWK is the signer's");
        let key = Es256Key::from_jwk(&public.to_string()).unwrap();
        (signer, key)
    })
}

/// `n - s` for `0 < s < n`, big-endian.
fn negate(s: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut v = i16::from(ORDER[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(v < 0);
        if v < 0 {
            v += 256;
        }
        out[i] = v as u8;
    }
    assert_eq!(borrow, 0, "s < n");
    out
}

/// The RFC 6979 signature of `input` with `s` replaced by `min(s, n - s)`
/// (low-S) or `max(s, n - s)` (high-S): both verify under RFC 7518 §3.4.
fn es256_sign(signer: &SigningKey, input: &[u8], high_s: bool) -> [u8; 64] {
    let signature: Signature = signer.sign(input);
    let mut rs: [u8; 64] = signature.to_bytes().into();
    let s: [u8; 32] = rs[32..].try_into().unwrap();
    let other = negate(&s);
    // Big-endian byte strings of one length compare as the numbers do.
    let s = if (other > s) == high_s { other } else { s };
    rs[32..].copy_from_slice(&s);
    rs
}

fuzz_target!(|data: &[u8]| {
    let (signer, key) = keys();
    let input = Input::parse(data);
    let high_s = data.first().is_some_and(|c0| c0 & 0x20 != 0);
    let signing_input = format!("{}.{}", b64(input.header), b64(input.payload));
    let made = es256_sign(signer, signing_input.as_bytes(), high_s);
    jwtcheck_fuzz::asymmetric::check(data, &input, &signing_input, &made, key, OracleKey::Es256(&made), &format!("high_s: {high_s}"));
});
