//! EdDSA verification past the signature: signs fuzzer-chosen header and
//! payload JSON with the Supabase fixture's test-only Ed25519 key
//! (`okp_private_d`, with `ed25519-dalek`'s signer; Ed25519 is
//! deterministic, so runs reproduce), optionally spoils the signature,
//! verifies with the `Ed25519Key` of `okp_jwk`, and requires the oracle's
//! exact verdict (`verdict_with` and `OracleKey::EdDsa`) and claims. Input
//! layout: `jwtcheck_fuzz::signed`.
#![no_main]

use std::sync::OnceLock;

use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use jwtcheck::Ed25519Key;
use jwtcheck_fuzz::jwt::{OracleKey, STRICT_B64URL, b64};
use jwtcheck_fuzz::signed::Input;
use libfuzzer_sys::fuzz_target;

/// `tests/data/supabase-asymmetric.json`: `okp_private_d` for the signer,
/// `okp_jwk` (its public half) for the crate.
const KEYS: &str = include_str!("../../tests/data/supabase-asymmetric.json");

fn keys() -> &'static (SigningKey, Ed25519Key) {
    static KEYS_ONCE: OnceLock<(SigningKey, Ed25519Key)> = OnceLock::new();
    KEYS_ONCE.get_or_init(|| {
        let file: serde_json::Value = serde_json::from_str(KEYS).unwrap();
        let d = STRICT_B64URL.decode(file["okp_private_d"].as_str().unwrap()).unwrap();
        let signer = SigningKey::from_bytes(&d.try_into().unwrap());
        let x = STRICT_B64URL.decode(file["okp_jwk"]["x"].as_str().unwrap()).unwrap();
        assert_eq!(signer.verifying_key().to_bytes()[..], x[..], "okp_jwk is the signer's");
        let key = Ed25519Key::from_jwk(&file["okp_jwk"].to_string()).unwrap();
        (signer, key)
    })
}

fuzz_target!(|data: &[u8]| {
    let (signer, key) = keys();
    let input = Input::parse(data);
    let signing_input = format!("{}.{}", b64(input.header), b64(input.payload));
    let made = signer.sign(signing_input.as_bytes()).to_bytes();
    jwtcheck_fuzz::asymmetric::check(data, &input, &signing_input, &made, key, OracleKey::EdDsa(&made), "");
});
