//! RS256 verification past the signature: signs fuzzer-chosen header and
//! payload JSON with the Supabase fixture's test-only RSA key (the `rsa`
//! crate; PKCS#1 v1.5 is deterministic, so runs reproduce), optionally
//! spoils the signature, verifies with the `Rs256Key` of the matching public
//! JWK, and requires the oracle's exact verdict (`verdict_with` and
//! `OracleKey::Rs256`) and claims. Input layout: `jwtcheck_fuzz::signed`.
#![no_main]

use std::sync::OnceLock;

use base64::Engine;
use jwtcheck::Rs256Key;
use jwtcheck_fuzz::jwt::{OracleKey, STRICT_B64URL, b64};
use jwtcheck_fuzz::signed::Input;
use libfuzzer_sys::fuzz_target;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey};
use sha2_010::{Digest, Sha256};

/// `tests/data/supabase-asymmetric.json`: the RSA key of `private_jwks` for
/// the signer, its public half in `jwks_json` (same `kid`) for the crate.
const KEYS: &str = include_str!("../../tests/data/supabase-asymmetric.json");

fn keys() -> &'static (RsaPrivateKey, Rs256Key) {
    static KEYS_ONCE: OnceLock<(RsaPrivateKey, Rs256Key)> = OnceLock::new();
    KEYS_ONCE.get_or_init(|| {
        let file: serde_json::Value = serde_json::from_str(KEYS).unwrap();
        let rsa = |keys: &serde_json::Value| {
            keys["keys"].as_array().unwrap().iter().find(|k| k["kty"] == "RSA").unwrap().clone()
        };
        let private = rsa(&file["private_jwks"]);
        let int = |name: &str| BigUint::from_bytes_be(&STRICT_B64URL.decode(private[name].as_str().unwrap()).unwrap());
        let signer = RsaPrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")]).unwrap();
        let jwks: serde_json::Value = serde_json::from_str(file["jwks_json"].as_str().unwrap()).unwrap();
        let public = rsa(&jwks);
        assert_eq!(public["kid"], private["kid"], "the public JWK is the signer's");
        let key = Rs256Key::from_jwk(&public.to_string()).unwrap();
        (signer, key)
    })
}

fuzz_target!(|data: &[u8]| {
    let (signer, key) = keys();
    let input = Input::parse(data);
    let signing_input = format!("{}.{}", b64(input.header), b64(input.payload));
    let digest = Sha256::digest(signing_input.as_bytes());
    let made = signer.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap();
    jwtcheck_fuzz::asymmetric::check(data, &input, &signing_input, &made, key, OracleKey::Rs256(&made), "");
});
