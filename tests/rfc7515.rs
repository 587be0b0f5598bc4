//! RFC 7515 Appendix A.1 (the HS256 example, also RFC 7519 §3.1).

use jwtcheck::{Error, Hs256Key, NumericDate, Validation, verify};

/// The JWK `k` of RFC 7515 A.1 (64 bytes once decoded).
const K: &str = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

#[test]
fn accepted_one_second_before_exp() {
    let key = Hs256Key::from_base64(K).unwrap();
    let claims = verify(TOKEN, &key, &Validation::new(), 1300819379).unwrap();
    assert!(claims.iss().unwrap() == "joe");
    assert_eq!(claims.exp(), Some(NumericDate::from_secs(1300819380)));
    assert_eq!(claims.payload(), "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
    assert!(claims.sub().is_none());
    assert_eq!(claims.aud().count(), 0);
}

#[test]
fn expired_at_exp() {
    let key = Hs256Key::from_base64(K).unwrap();
    assert_eq!(verify(TOKEN, &key, &Validation::new(), 1300819380).unwrap_err(), Error::Expired);
}

#[test]
fn issuer_and_audience_rules_apply() {
    let key = Hs256Key::from_base64(K).unwrap();
    let now = 1300819379;
    assert!(verify(TOKEN, &key, &Validation::new().issuer("joe"), now).is_ok());
    assert_eq!(verify(TOKEN, &key, &Validation::new().issuer("jo"), now).unwrap_err(), Error::InvalidIssuer);
    assert_eq!(
        verify(TOKEN, &key, &Validation::new().audience("x"), now).unwrap_err(),
        Error::InvalidAudience,
        "aud required once configured"
    );
}

#[test]
fn wrong_key_is_invalid_signature() {
    let key = Hs256Key::new(&[0u8; 64]).unwrap();
    assert_eq!(verify(TOKEN, &key, &Validation::new(), 1300819379).unwrap_err(), Error::InvalidSignature);
}
