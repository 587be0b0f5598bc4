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
