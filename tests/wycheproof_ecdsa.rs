//! Wycheproof's ECDSA P-256 SHA-256 vectors with raw `r ‖ s` signatures
//! (IEEE P1363, the JWS ES256 form): `ecdsa_secp256r1_sha256_p1363_test.json`
//! from C2SP/wycheproof `testvectors_v1/` (Apache-2.0, see
//! `data/wycheproof/LICENSE`).
//!
//! Every group's key is imported through each constructor it gives input
//! for (`publicKeyJwk` as JSON text, `publicKeyDer`, `publicKeyPem`, the
//! uncompressed point), and each case goes through the crate's own
//! signature path (`internals::verify_es256`: the signature base64url-encoded
//! as a token segment, then the key's seam). `valid` must verify, `invalid`
//! must not: an unexpected success fails the test as much as an unexpected
//! failure. This file has no `acceptable` case; one would fail the test, so
//! that a new file's leniencies are decided on purpose, not silently.

use jwtcheck::Es256Key;
use jwtcheck::internals::verify_es256;
use serde_json::Value;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn wycheproof_ecdsa_secp256r1_sha256_p1363() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json"
    ))
    .unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["algorithm"], "ECDSA");
    let mut cases = 0;
    let mut jwk_groups = 0;
    let mut failures = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        assert_eq!(group["type"], "EcdsaP1363Verify");
        assert_eq!(group["sha"], "SHA-256");
        assert_eq!(group["publicKey"]["curve"], "secp256r1");
        let mut keys = vec![
            ("der", Es256Key::from_public_key_der(&hex(group["publicKeyDer"].as_str().unwrap())).unwrap()),
            ("pem", Es256Key::from_public_key_pem(group["publicKeyPem"].as_str().unwrap()).unwrap()),
            ("sec1", Es256Key::from_sec1(&hex(group["publicKey"]["uncompressed"].as_str().unwrap())).unwrap()),
        ];
        if let Some(jwk) = group.get("publicKeyJwk") {
            jwk_groups += 1;
            keys.push(("jwk", Es256Key::from_jwk(&serde_json::to_string(jwk).unwrap()).unwrap()));
        }
        // With the assembly backend, every key is checked on both paths.
        for (how, key) in &keys {
            assert_eq!(key.uses_assembly(), cfg!(feature = "aws-lc-rs"), "{how}");
        }
        #[cfg(feature = "aws-lc-rs")]
        keys.push(("der, portable", keys[0].1.clone().portable()));
        for case in group["tests"].as_array().unwrap() {
            cases += 1;
            let id = case["tcId"].as_u64().unwrap();
            let expected = match case["result"].as_str().unwrap() {
                "valid" => true,
                "invalid" => false,
                other => panic!("tcId {id}: result {other:?} has no decided verdict here"),
            };
            let msg = hex(case["msg"].as_str().unwrap());
            let sig = hex(case["sig"].as_str().unwrap());
            for (how, key) in &keys {
                if verify_es256(key, &msg, &sig) != expected {
                    failures.push(format!("tcId {id} ({how}): {} expected {expected}", case["comment"]));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(cases, 262, "the file's case count");
    assert_eq!(cases, doc["numberOfTests"].as_u64().unwrap());
    assert!(jwk_groups > 0, "no group had a JWK");
    eprintln!("{cases} cases, {jwk_groups} groups with a JWK");
}
