//! `Serialize` for verified claims: what serde_json writes for a `Claims`,
//! a `JsonValue` and a `JsonStr` equals serde_json's own reading of the
//! payload, escapes decoded.

mod common;

use common::{key, token};
use jwtcheck::{Validation, verify};
use serde_json::{Value, json};

const NOW: u64 = 1_700_000_000;

#[test]
fn claims_serialize_as_the_json_they_hold() {
    let payload = r#"{"exp":1700003600,"email":"a\u0026b@example.com","n":[0,-0,-7,18446744073709551615,18446744073709551616,1.5e3,-1e-2],"o":{"t":true,"f":false,"z":null,"s":"\ud83d\ude00 \"q\""},"e":{},"a":[]}"#;
    let claims = verify(token(payload).as_str(), &key(), &Validation::new(), NOW).unwrap();
    let ours: Value = serde_json::to_value(&claims).unwrap();
    let theirs: Value = serde_json::from_str(payload).unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(ours["email"], "a&b@example.com");
    assert_eq!(ours["n"][1].as_f64().map(f64::is_sign_negative), Some(true), "-0 is -0.0, as serde_json reads it");
    // Member order is kept.
    let text = serde_json::to_string(&claims).unwrap();
    assert!(text.starts_with(r#"{"exp":1700003600,"email":"a&b@example.com","n":[0,-0.0,-7,"#), "{text}");
    assert_eq!(serde_json::to_value(claims.as_claims_ref()).unwrap(), theirs);

    let email = claims.get("email").unwrap();
    assert_eq!(serde_json::to_string(&email).unwrap(), r#""a&b@example.com""#);
    assert_eq!(serde_json::to_string(&email.as_str().unwrap()).unwrap(), r#""a&b@example.com""#);
    assert_eq!(
        serde_json::to_value(claims.get("o").unwrap()).unwrap(),
        json!({"t":true,"f":false,"z":null,"s":"😀 \"q\""})
    );
}

#[test]
fn a_number_beyond_f64_is_an_error_not_null() {
    let claims = verify(token(r#"{"exp":1700003600,"big":1e400}"#).as_str(), &key(), &Validation::new(), NOW).unwrap();
    let err = serde_json::to_string(&claims).unwrap_err();
    assert_eq!(err.to_string(), "a number beyond the range of f64");
}
