//! Wycheproof's RSASSA-PKCS1-v1_5 SHA-256 vectors for 2048-, 3072- and
//! 4096-bit keys: `rsa_signature_{2048,3072,4096}_sha256_test.json` from
//! C2SP/wycheproof `testvectors_v1/` (Apache-2.0, see
//! `data/wycheproof/LICENSE`).
//!
//! Every group's key is imported through each constructor it gives input
//! for (`keyJwk` as JSON text, `publicKeyDer`, `publicKeyPem`, the modulus
//! and exponent), and each case goes through the crate's own signature path
//! (`internals::verify_rs256`: the signature base64url-encoded as a token
//! segment, then the key's seam). `valid` must verify; `invalid` must be
//! exactly `InvalidSignature`. The one kind of `acceptable` case the files
//! hold, `MissingNull` (a `DigestInfo` without its `NULL` parameters, which
//! some legacy signers wrote), is rejected: the expected encoded message is
//! compared whole, and RFC 8017 §9.2 has the `NULL`. Any other `acceptable`
//! flag fails the test, so that a new file's leniencies are decided on
//! purpose.

use jwtcheck::internals::verify_rs256;
use jwtcheck::{Error, Rs256Key};
use serde_json::Value;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// A hex integer as minimal big-endian octets (Wycheproof writes a leading
/// `00` where the top bit is set, as DER does).
fn minimal(s: &str) -> Vec<u8> {
    let bytes = hex(s);
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes[first..].to_vec()
}

/// Runs one file; returns (cases, acceptable cases rejected).
fn run(file: &str, bits: u64) -> (u64, u64) {
    let path = format!("{}/tests/data/wycheproof/{file}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc["algorithm"], "RSASSA-PKCS1-v1_5");
    let (mut cases, mut acceptable) = (0, 0);
    let mut failures = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        assert_eq!(group["type"], "RsassaPkcs1Verify");
        assert_eq!(group["sha"], "SHA-256");
        assert_eq!(group["keySize"], bits);
        let public = &group["publicKey"];
        let keys = [
            ("jwk", Rs256Key::from_jwk(&serde_json::to_string(&group["keyJwk"]).unwrap())),
            ("der", Rs256Key::from_public_key_der(&hex(group["publicKeyDer"].as_str().unwrap()))),
            ("pem", Rs256Key::from_pem(group["publicKeyPem"].as_str().unwrap())),
            (
                "components",
                Rs256Key::from_components(
                    &minimal(public["modulus"].as_str().unwrap()),
                    &minimal(public["publicExponent"].as_str().unwrap()),
                ),
            ),
        ];
        #[allow(unused_mut)]
        let mut keys: Vec<(&str, Rs256Key)> = keys
            .into_iter()
            .map(|(how, key)| {
                let key = key.unwrap_or_else(|e| panic!("{file} {how}: {e:?}"));
                assert_eq!(key.bits() as u64, bits, "{file} {how}");
                // With the assembly backend, every key is checked on both paths.
                assert_eq!(key.uses_assembly(), cfg!(feature = "aws-lc-rs"), "{file} {how}");
                (how, key)
            })
            .collect();
        #[cfg(feature = "aws-lc-rs")]
        keys.push(("der, portable", keys[1].1.clone().portable()));
        for case in group["tests"].as_array().unwrap() {
            cases += 1;
            let id = case["tcId"].as_u64().unwrap();
            let flags: Vec<&str> = case["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
            let expected = match case["result"].as_str().unwrap() {
                "valid" => Ok(()),
                "invalid" => Err(Error::InvalidSignature),
                "acceptable" if flags == ["MissingNull"] => {
                    acceptable += 1;
                    Err(Error::InvalidSignature)
                }
                other => panic!("{file} tcId {id}: result {other:?} with flags {flags:?} has no decided verdict here"),
            };
            let msg = hex(case["msg"].as_str().unwrap());
            let sig = hex(case["sig"].as_str().unwrap());
            for (how, key) in &keys {
                let got = verify_rs256(key, &msg, &sig);
                if got != expected {
                    failures
                        .push(format!("{file} tcId {id} ({how}) {}: {got:?}, expected {expected:?}", case["comment"]));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(cases, doc["numberOfTests"].as_u64().unwrap(), "{file}: the file's case count");
    (cases, acceptable)
}

#[test]
fn wycheproof_rsa_pkcs1_sha256_2048_3072_4096() {
    let counts = [
        run("rsa_signature_2048_sha256_test.json", 2048),
        run("rsa_signature_3072_sha256_test.json", 3072),
        run("rsa_signature_4096_sha256_test.json", 4096),
    ];
    assert_eq!(counts.map(|c| c.0), [259, 259, 258]);
    assert_eq!(counts.iter().map(|c| c.0).sum::<u64>(), 776);
    // One MissingNull case per file, rejected.
    assert_eq!(counts.map(|c| c.1), [1, 1, 1]);
}
