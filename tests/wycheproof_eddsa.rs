//! Wycheproof's Ed25519 vectors: `ed25519_test.json` from C2SP/wycheproof
//! `testvectors_v1/` (Apache-2.0, see `data/wycheproof/LICENSE`), 151 cases.
//!
//! Every group's key is imported through each constructor it gives input
//! for (`publicKeyJwk` as JSON text, `publicKeyDer`, `publicKeyPem`, the raw
//! `pk`), and each case goes through the crate's own signature path
//! (`internals::verify_eddsa`: the signature base64url-encoded as a token
//! segment, then the key's seam). `valid` must verify; `invalid` must be
//! exactly `InvalidSignature`. The file has no `acceptable` case; one in a
//! new copy fails the test, so that its verdict is decided on purpose.
#![cfg(feature = "eddsa")]

use jwtcheck::internals::verify_eddsa;
use jwtcheck::{Ed25519Key, Error};
use serde_json::Value;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn wycheproof_ed25519() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/wycheproof/ed25519_test.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc["algorithm"], "EDDSA");
    let (mut valid, mut invalid) = (0, 0);
    let mut failures = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        assert_eq!(group["type"], "EddsaVerify");
        let public = &group["publicKey"];
        assert_eq!(public["curve"], "edwards25519");
        let pk: [u8; 32] = hex(public["pk"].as_str().unwrap()).try_into().unwrap();
        let keys = [
            ("jwk", Ed25519Key::from_jwk(&serde_json::to_string(&group["publicKeyJwk"]).unwrap())),
            ("der", Ed25519Key::from_public_key_der(&hex(group["publicKeyDer"].as_str().unwrap()))),
            ("pem", Ed25519Key::from_public_key_pem(group["publicKeyPem"].as_str().unwrap())),
            ("bytes", Ed25519Key::from_bytes(&pk)),
        ];
        let keys: Vec<(&str, Ed25519Key)> =
            keys.into_iter().map(|(how, key)| (how, key.unwrap_or_else(|e| panic!("{how}: {e:?}")))).collect();
        for case in group["tests"].as_array().unwrap() {
            let id = case["tcId"].as_u64().unwrap();
            let expected = match case["result"].as_str().unwrap() {
                "valid" => {
                    valid += 1;
                    Ok(())
                }
                "invalid" => {
                    invalid += 1;
                    Err(Error::InvalidSignature)
                }
                other => panic!("tcId {id}: result {other:?} has no decided verdict here"),
            };
            let msg = hex(case["msg"].as_str().unwrap());
            let sig = hex(case["sig"].as_str().unwrap());
            for (how, key) in &keys {
                let got = verify_eddsa(key, &msg, &sig);
                if got != expected {
                    failures
                        .push(format!("tcId {id} ({how}, flags {}): {got:?}, expected {expected:?}", case["flags"]));
                }
            }
        }
    }
    assert_eq!(failures, Vec::<String>::new());
    assert_eq!((valid, invalid), (88, 63));
}
