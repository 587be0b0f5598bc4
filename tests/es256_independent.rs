//! ES256 tokens signed by a second, independent implementation (Python's
//! `cryptography`, `data/es256-independent.py`), low-S and high-S, escapes
//! in the claims, and tampered copies: each verdict asserted exactly.

use jwtcheck::{Error, Es256Key, Validation, verify};
use serde_json::Value;

#[test]
fn independent_signer_verdicts() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/es256-independent.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let key = Es256Key::from_jwk(&serde_json::to_string(&doc["jwk"]).unwrap()).unwrap();
    let validation = Validation::new().audience(doc["aud"].as_str().unwrap());
    let now = doc["now"].as_u64().unwrap();
    let tokens = doc["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 18);
    let mut accepted = 0;
    for t in tokens {
        let name = t["name"].as_str().unwrap();
        let expected = match t["expect"].as_str().unwrap() {
            "accept" => Ok(()),
            "invalid_signature" => Err(Error::InvalidSignature),
            other => panic!("{name}: unknown verdict {other}"),
        };
        let got = verify(t["token"].as_str().unwrap(), &key, &validation, now).map(|_| ());
        assert_eq!(got, expected, "{name}");
        accepted += usize::from(got.is_ok());
    }
    assert_eq!(accepted, 6);
}
