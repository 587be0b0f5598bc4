//! Minting (feature `sign`): round trips through `verify`, RFC 7515 A.1 byte
//! for byte, agreement with an independent signer, and every refusal.

#![cfg(feature = "sign")]

mod common;

use jwtcheck::{Claim, DEFAULT_HEADER, Error, Hs256Key, Validation, signed_len, verify};

const NOW: u64 = 1_700_000_000;

#[test]
fn rfc7515_a1_reproduced_byte_for_byte() {
    let key =
        Hs256Key::from_base64("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
            .unwrap();
    let header = b"{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
    let payload = b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
    let mut out = [0u8; 256];
    let token = key.sign_with_header(header, payload, &mut out).unwrap();
    assert_eq!(
        token,
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
         .eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
         .dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    assert_eq!(token.len(), signed_len(header.len(), payload.len()));
}

#[test]
fn agrees_with_an_independent_signer_and_round_trips() {
    let key = common::key();
    for payload in [
        r#"{"exp":1700003600}"#,
        r#"{"sub":"a","aud":["x","y"],"exp":1700003600,"nbf":1.5,"iat":1,"jti":"j"}"#,
        r#"{"exp":1700003600,"name":"Zoë \u0026 😀","nested":{"a":[1,2,{"b":null}]}}"#,
    ] {
        let mut out = [0u8; 512];
        let token = key.sign(payload.as_bytes(), &mut out).unwrap();
        assert_eq!(token, common::sign_with(common::SECRET, DEFAULT_HEADER.as_bytes(), payload.as_bytes()));
        let claims = verify(token, &key, &Validation::new().accept_any_audience(), NOW).unwrap();
        assert_eq!(claims.payload(), payload);
    }
}

#[test]
fn serialize_then_sign() {
    #[derive(serde::Serialize)]
    struct Claims<'a> {
        sub: &'a str,
        aud: &'a str,
        exp: u64,
        email: &'a str,
    }
    let key = common::key();
    let mut out = [0u8; 512];
    let claims = Claims { sub: "user-1", aud: "authenticated", exp: 1_700_003_600, email: "a\"b@example.com" };
    let token = key.sign_claims(&claims, &mut out).unwrap();
    let verified = verify(token, &key, &Validation::new().audience("authenticated"), NOW).unwrap();
    assert_eq!(
        verified.payload(),
        r#"{"sub":"user-1","aud":"authenticated","exp":1700003600,"email":"a\"b@example.com"}"#
    );
    #[derive(serde::Deserialize)]
    struct Back<'a> {
        sub: &'a str,
    }
    assert_eq!(verified.deserialize::<Back>().unwrap().sub, "user-1");
}

#[test]
fn refusals_name_their_kind() {
    let key = common::key();
    let mut out = [0u8; 512];
    let ok = br#"{"exp":1700003600}"#;
    for (header, payload, expected) in [
        (&br#"{"alg":"none"}"#[..], &ok[..], Error::UnsupportedAlgorithm),
        (br#"{"alg":"HS256","crit":[]}"#, ok, Error::UnsupportedHeader),
        (br#"{"alg":"HS256","typ":"JOSE"}"#, ok, Error::UnsupportedHeader),
        (br#"["HS256"]"#, ok, Error::Malformed),
        (DEFAULT_HEADER.as_bytes(), br#"[1]"#, Error::Malformed),
        (DEFAULT_HEADER.as_bytes(), br#"{"a":1,"a":2}"#, Error::Malformed),
        (DEFAULT_HEADER.as_bytes(), b"{\"a\":\"\xff\"}", Error::Malformed),
        (DEFAULT_HEADER.as_bytes(), br#"{"exp":"soon"}"#, Error::InvalidClaims(Claim::Exp)),
        (DEFAULT_HEADER.as_bytes(), br#"{"aud":1}"#, Error::InvalidClaims(Claim::Aud)),
    ] {
        assert_eq!(key.sign_with_header(header, payload, &mut out), Err(expected), "{header:?} {payload:?}");
    }
    let big_header = format!(r#"{{"alg":"HS256","x":"{}"}}"#, "a".repeat(jwtcheck::MAX_HEADER_LEN));
    assert_eq!(key.sign_with_header(big_header.as_bytes(), ok, &mut out), Err(Error::TooLarge));
    let needed = signed_len(DEFAULT_HEADER.len(), ok.len());
    let mut short = vec![0u8; needed - 1];
    assert_eq!(key.sign(ok, &mut short), Err(Error::TooLarge));
    let mut exact = vec![0u8; needed];
    assert_eq!(key.sign(ok, &mut exact).map(str::len), Ok(needed));
}
