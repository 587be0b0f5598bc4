//! The Supabase sample tokens (`tests/data/supabase.json`, copied from
//! `../shared/tokens/supabase.json`): signed with the secret's raw UTF-8 bytes.

mod common;

use jwtcheck::{Error, Hs256Key, NumericDate, Validation, verify};

const AUTHENTICATED: Validation<'static> = Validation::new().audience("authenticated");

#[test]
fn each_token_verifies_before_exp_with_its_audience_rule() {
    let (secret, tokens) = common::supabase();
    let key = Hs256Key::new(secret.as_bytes()).unwrap();
    assert_eq!(tokens.len(), 3);
    for t in &tokens {
        let validation = match t.aud {
            Some(_) => AUTHENTICATED.issuer(&t.iss),
            None => Validation::new().issuer(&t.iss),
        };
        let claims = verify(&t.token, &key, &validation, t.exp - 1).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert_eq!(claims.payload(), t.payload, "{}", t.name);
        assert_eq!(claims.exp(), Some(NumericDate::from_secs(t.exp)), "{}", t.name);
        assert_eq!(claims.iat(), Some(NumericDate::from_secs(t.iat)), "{}", t.name);
        assert!(claims.iss().unwrap() == t.iss.as_str(), "{}", t.name);
        let auds: Vec<String> = claims.aud().map(|a| a.to_string()).collect();
        assert_eq!(auds, t.aud.iter().cloned().collect::<Vec<_>>(), "{}", t.name);
        // Also at the moment of issue.
        assert!(verify(&t.token, &key, &validation, t.iat).is_ok(), "{}", t.name);
    }
}

#[test]
fn email_user_claims() {
    let (secret, tokens) = common::supabase();
    let key = Hs256Key::new(secret.as_bytes()).unwrap();
    let t = tokens.iter().find(|t| t.name == "email_user").unwrap();
    let claims = verify(&t.token, &key, &AUTHENTICATED, t.iat).unwrap();
    assert!(claims.sub().unwrap() == "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01");
    assert_eq!(claims.sub().unwrap().as_str(), Some("8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01"));
    assert!(claims.payload().contains(r#""company":"Smith \u0026 Sons \u003cUK\u003e""#));
    assert!(claims.jti().is_none());
    assert!(claims.nbf().is_none());
}

#[test]
fn each_token_is_expired_at_exp() {
    let (secret, tokens) = common::supabase();
    let key = Hs256Key::new(secret.as_bytes()).unwrap();
    for t in &tokens {
        let validation = if t.aud.is_some() { AUTHENTICATED } else { Validation::new() };
        assert_eq!(verify(&t.token, &key, &validation, t.exp).unwrap_err(), Error::Expired, "{}", t.name);
        assert_eq!(verify(&t.token, &key, &validation, u64::MAX).unwrap_err(), Error::Expired, "{}", t.name);
        // A leeway moves the boundary by exactly that many seconds.
        let lenient = validation.leeway(60);
        assert!(verify(&t.token, &key, &lenient, t.exp + 59).is_ok(), "{}", t.name);
        assert_eq!(verify(&t.token, &key, &lenient, t.exp + 60).unwrap_err(), Error::Expired, "{}", t.name);
    }
}

#[test]
fn other_audience_rules_are_invalid_audience() {
    let (secret, tokens) = common::supabase();
    let key = Hs256Key::new(secret.as_bytes()).unwrap();
    for t in &tokens {
        let now = t.exp - 1;
        let wrong = Validation::new().audience("anon");
        assert_eq!(verify(&t.token, &key, &wrong, now).unwrap_err(), Error::InvalidAudience, "{}", t.name);
        let several = Validation::new().audiences(&["anon", "service"]);
        assert_eq!(verify(&t.token, &key, &several, now).unwrap_err(), Error::InvalidAudience, "{}", t.name);
        match t.aud {
            // A token meant for an audience, checked by a verifier that named none.
            Some(_) => assert_eq!(
                verify(&t.token, &key, &Validation::new(), now).unwrap_err(),
                Error::InvalidAudience,
                "{}",
                t.name
            ),
            // The service_role key has no aud: a verifier that requires one refuses it.
            None => assert_eq!(
                verify(&t.token, &key, &AUTHENTICATED, now).unwrap_err(),
                Error::InvalidAudience,
                "{}",
                t.name
            ),
        }
        // The explicit opt-out accepts either.
        assert!(verify(&t.token, &key, &Validation::new().accept_any_audience(), now).is_ok(), "{}", t.name);
        // Several audiences match when any one matches.
        if t.aud.is_some() {
            let list = Validation::new().audiences(&["anon", "authenticated"]);
            assert!(verify(&t.token, &key, &list, now).is_ok(), "{}", t.name);
        }
    }
}

#[test]
fn the_secret_is_used_as_raw_bytes_not_base64() {
    let (secret, tokens) = common::supabase();
    // The Supabase pitfall: decoding the secret as base64 gives another key.
    // The CLI's default secret happens to be valid base64url (55 characters,
    // 41 bytes once decoded), which makes the mistake silent.
    let wrong_key = Hs256Key::from_base64(&secret).unwrap();
    let t = &tokens[0];
    assert_eq!(verify(&t.token, &wrong_key, &AUTHENTICATED, t.iat).unwrap_err(), Error::InvalidSignature);
}

#[test]
fn typed_supabase_view_of_each_sample() {
    let (secret, tokens) = common::supabase();
    let key = Hs256Key::new(secret.as_bytes()).unwrap();
    let by_name = |name: &str| tokens.iter().find(|t| t.name == name).unwrap();

    let t = by_name("email_user");
    let claims = verify(&t.token, &key, &AUTHENTICATED, t.iat).unwrap();
    let user = claims.supabase().unwrap();
    assert!(user.sub().unwrap() == "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01");
    assert!(user.role().unwrap() == "authenticated");
    assert!(user.email().unwrap() == "zoe.obrien@example.com");
    assert!(user.phone().unwrap() == "");
    assert!(user.aal().unwrap() == "aal1");
    assert!(user.session_id().unwrap() == "3c9a7b2e-5d41-4f08-a6e3-91b0c2d4f7a8");
    assert_eq!(user.is_anonymous(), Some(false));
    assert!(user.provider().unwrap() == "email");
    assert!(!user.is_api_key());
    let amr: Vec<(String, Option<u64>)> =
        user.amr().map(|m| (m.method.to_string(), m.timestamp.map(|t| t.as_secs()))).collect();
    assert_eq!(amr, [("password".to_owned(), Some(1767256845))]);
    // Go's encoder escaped & < >; the view decodes them.
    let company = user.user_metadata().unwrap().get("company").unwrap().as_str().unwrap();
    assert_eq!(company.raw(), r"Smith \u0026 Sons \u003cUK\u003e");
    assert_eq!(company.to_string(), "Smith & Sons <UK>");
    let mut buf = [0u8; 32];
    assert_eq!(company.unescape_into(&mut buf), Ok("Smith & Sons <UK>"));
    let name = user.user_metadata().unwrap().get("full_name").unwrap().as_str().unwrap();
    assert_eq!(name.as_str(), Some("Zoë O'Brien"));
    assert_eq!(user.exp().map(|e| e.as_secs()), Some(t.exp));

    let t = by_name("anonymous_user");
    let claims = verify(&t.token, &key, &AUTHENTICATED, t.iat).unwrap();
    let user = claims.supabase().unwrap();
    assert_eq!(user.is_anonymous(), Some(true));
    assert!(user.email().unwrap() == "");
    assert!(user.provider().is_none(), "app_metadata is empty");
    assert_eq!(user.amr().map(|m| m.method.to_string()).collect::<Vec<_>>(), ["anonymous"]);

    let t = by_name("service_role_key");
    let claims = verify(&t.token, &key, &Validation::new(), t.iat).unwrap();
    let api_key = claims.supabase().unwrap();
    assert!(api_key.is_api_key());
    assert!(api_key.role().unwrap() == "service_role");
    assert!(api_key.project_ref().unwrap() == "kqzrvxwlmtpbhdcnsjfg");
    assert!(api_key.iss().unwrap() == "supabase");
    assert!(api_key.sub().is_none());
    assert_eq!(api_key.amr().count(), 0);
}

#[test]
fn typed_view_refuses_wrong_types() {
    let key = common::key();
    for extra in [
        r#""role":1"#,
        r#""email":null"#,
        r#""is_anonymous":"false""#,
        r#""app_metadata":[]"#,
        r#""app_metadata":{"provider":7}"#,
        r#""user_metadata":"x""#,
        r#""amr":{}"#,
        r#""amr":[{"timestamp":1}]"#,
        r#""amr":[{"method":"otp","timestamp":"soon"}]"#,
        r#""ref":true"#,
        r#""phone":[]"#,
        r#""aal":1"#,
        r#""session_id":{}"#,
        r#""amr":["password"]"#,
        // The name is compared after unescaping.
        r#""r\u006fle":1"#,
    ] {
        let token = common::token(&format!(r#"{{"exp":1800000000,{extra}}}"#));
        let claims = verify(&token, &key, &Validation::new(), 1_700_000_000).unwrap();
        assert_eq!(
            claims.supabase().map(|_| ()).unwrap_err(),
            Error::InvalidClaims(jwtcheck::Claim::Custom),
            "{extra}"
        );
    }
}
