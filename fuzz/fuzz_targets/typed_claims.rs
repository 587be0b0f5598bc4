//! The typed-claims path: `Claims::deserialize` (the crate's own deserializer) on the
//! payload of a verified token. It must never panic; when it succeeds,
//! verifying the token again (with `verify` and with `verify_in`) gives the
//! same typed claims, and a field it read as a registered claim agrees
//! with the crate's own accessor.
#![no_main]

use jwtcheck::{Hs256Key, NumericDate, Validation, verify, verify_in};
use jwtcheck_fuzz::jwt::{SECRET, sign};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde::de::IgnoredAny;

#[derive(Debug, PartialEq, Deserialize)]
struct Supabase<'a> {
    #[serde(borrow)]
    iss: Option<&'a str>,
    sub: Option<&'a str>,
    aud: Option<&'a str>,
    exp: Option<u64>,
    iat: Option<u64>,
    nbf: Option<u64>,
    email: Option<&'a str>,
    role: Option<Role>,
    aal: Option<&'a str>,
    is_anonymous: Option<bool>,
    app_metadata: Option<AppMetadata<'a>>,
    amr: Option<[Amr<'a>; 1]>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::enum_variant_names, reason = "Supabase's role names")]
enum Role {
    Authenticated,
    Anon,
    ServiceRole,
}

#[derive(Debug, PartialEq, Deserialize)]
struct AppMetadata<'a> {
    #[serde(borrow)]
    provider: Option<&'a str>,
    providers: Option<(&'a str,)>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Amr<'a> {
    method: &'a str,
    timestamp: u64,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Strict {
    exp: Option<f64>,
    n: Option<i32>,
    b: Option<bool>,
    x: Option<()>,
    a: Option<[u8; 2]>,
}

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn validation() -> Validation<'static> {
    Validation::new().allow_missing_exp().accept_any_audience()
}

fuzz_target!(|payload: &[u8]| {
    let key = Hs256Key::new(SECRET).unwrap();
    let token = sign(SECRET, HEADER.as_bytes(), payload);
    let Ok(claims) = verify(&token, &key, &validation(), 0) else { return };

    let _ = claims.deserialize::<IgnoredAny>();
    let _ = claims.deserialize::<Strict>();
    let Ok(typed) = claims.deserialize::<Supabase>() else { return };

    let again = verify(&token, &key, &validation(), 0).expect("verified once, refused the second time");
    assert_eq!(again.deserialize::<Supabase>().as_ref(), Ok(&typed), "re-verification with verify");
    let mut buf = vec![0u8; payload.len().max(HEADER.len())];
    let in_buf = verify_in(&token, &key, &validation(), 0, &mut buf).expect("verify_in refused what verify took");
    assert_eq!(in_buf.deserialize::<Supabase>().as_ref(), Ok(&typed), "re-verification with verify_in");

    // A borrowed string has no escape, so it is the claim's raw text.
    assert_eq!(typed.iss, claims.iss().map(|s| s.raw()), "iss");
    assert_eq!(typed.sub, claims.sub().map(|s| s.raw()), "sub");
    if let Some(aud) = typed.aud {
        assert_eq!(claims.aud().map(|a| a.raw()).collect::<Vec<_>>(), [aud], "aud");
    }
    for (name, field, registered) in
        [("exp", typed.exp, claims.exp()), ("iat", typed.iat, claims.iat()), ("nbf", typed.nbf, claims.nbf())]
    {
        if let Some(secs) = field {
            assert_eq!(registered, Some(NumericDate::from_secs(secs)), "{name}");
        }
    }
});
