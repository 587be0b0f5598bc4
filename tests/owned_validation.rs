//! `OwnedValidation` (the `alloc` feature): the same verdict as the
//! borrowed `Validation` it mirrors, for every audience, issuer and time
//! rule, exact error kinds included.
#![cfg(feature = "alloc")]

mod common;

use common::{key, token};
use jwtcheck::{Error, OwnedValidation, Validation, verify};

const NOW: u64 = 1_700_000_000;

/// Built at run time, as a service reading its environment would.
fn from_env(var: &str) -> String {
    match var {
        "AUD" => "authenticated".to_owned(),
        "ISS" => ["https://x", ".supabase.co/auth/v1"].concat(),
        _ => String::new(),
    }
}

#[test]
fn owned_and_borrowed_validations_agree_on_every_rule() {
    let (aud, iss) = (from_env("AUD"), from_env("ISS"));
    assert_eq!(iss, "https://x.supabase.co/auth/v1");
    let pairs: Vec<(&str, OwnedValidation, Validation<'static>)> = vec![
        ("defaults", OwnedValidation::new(), Validation::new()),
        ("audience", OwnedValidation::new().audience(aud.clone()), Validation::new().audience("authenticated")),
        (
            "audiences",
            OwnedValidation::new().audiences(["anon", "authenticated"]),
            Validation::new().audiences(&["anon", "authenticated"]),
        ),
        (
            "no audience in the list",
            OwnedValidation::new().audiences(Vec::<String>::new()),
            Validation::new().audiences(&[]),
        ),
        ("any audience", OwnedValidation::new().accept_any_audience(), Validation::new().accept_any_audience()),
        (
            "issuer and audience",
            OwnedValidation::new().audience(aud.as_str()).issuer(iss.clone()),
            Validation::new().audience("authenticated").issuer("https://x.supabase.co/auth/v1"),
        ),
        (
            "issuers",
            OwnedValidation::new().accept_any_audience().issuers([iss.clone(), "https://y".to_owned()]),
            Validation::new().accept_any_audience().issuers(&["https://x.supabase.co/auth/v1", "https://y"]),
        ),
        (
            "leeway",
            OwnedValidation::new().accept_any_audience().leeway(30),
            Validation::new().accept_any_audience().leeway(30),
        ),
        (
            "missing exp allowed",
            OwnedValidation::new().accept_any_audience().allow_missing_exp(),
            Validation::new().accept_any_audience().allow_missing_exp(),
        ),
        ("short tokens only", OwnedValidation::new().max_token_len(64), Validation::new().max_token_len(64)),
        ("shallow JSON only", OwnedValidation::new().max_depth(1), Validation::new().max_depth(1)),
        (
            "a later audience replaces an earlier one",
            OwnedValidation::new().audience("anon").audience(aud.clone()),
            Validation::new().audience("anon").audience("authenticated"),
        ),
    ];
    let exp = NOW + 10;
    let payloads = [
        format!(r#"{{"exp":{exp}}}"#),
        format!(r#"{{"exp":{exp},"aud":"authenticated"}}"#),
        format!(r#"{{"exp":{exp},"aud":"auth\u0065nticated"}}"#),
        format!(r#"{{"exp":{exp},"aud":["anon","x"]}}"#),
        format!(r#"{{"exp":{exp},"aud":"other"}}"#),
        format!(r#"{{"exp":{exp},"aud":"authenticated","iss":"https://x.supabase.co/auth/v1"}}"#),
        format!(r#"{{"exp":{exp},"aud":"authenticated","iss":"https://x.supabase.co\/auth\/v1"}}"#),
        format!(r#"{{"exp":{exp},"aud":"authenticated","iss":"https://y"}}"#),
        format!(r#"{{"exp":{exp},"aud":"authenticated","iss":"https://z"}}"#),
        format!(r#"{{"exp":{},"aud":"authenticated"}}"#, NOW - 20),
        format!(r#"{{"exp":{exp},"nbf":{},"aud":"authenticated"}}"#, NOW + 20),
        r#"{"aud":"authenticated"}"#.to_owned(),
        format!(r#"{{"exp":{exp},"aud":"authenticated","x":[[1]]}}"#),
    ];
    let key = key();
    let mut outcomes = std::collections::BTreeSet::new();
    for (name, owned, borrowed) in &pairs {
        for payload in &payloads {
            let token = token(payload);
            for now in [NOW, NOW + 25] {
                let got = verify(token.as_str(), &key, &owned.as_validation(), now).map(|_| ());
                let want = verify(token.as_str(), &key, borrowed, now).map(|_| ());
                assert_eq!(got, want, "{name}: {payload} at {now}");
                // The `From` conversion is the same validation.
                let via_from = verify(token.as_str(), &key, &Validation::from(owned), now).map(|_| ());
                assert_eq!(via_from, want, "{name} (From): {payload} at {now}");
                outcomes.insert(want.map_or_else(|e| e.kind(), |()| "accept"));
            }
        }
    }
    // The matrix reaches every outcome the validation decides.
    let expected = [
        "accept",
        "expired",
        "invalid_audience",
        "invalid_claims",
        "invalid_issuer",
        "malformed",
        "not_yet_valid",
        "too_large",
    ];
    assert_eq!(outcomes.into_iter().collect::<Vec<_>>(), expected);
}

#[test]
fn exact_outcomes_of_a_supabase_configuration() {
    let validation = OwnedValidation::new().audience(from_env("AUD")).issuer(from_env("ISS")).leeway(30);
    let key = key();
    let good = token(&format!(r#"{{"exp":{},"aud":"authenticated","iss":"https://x.supabase.co/auth/v1"}}"#, NOW + 10));
    assert!(verify(good.as_str(), &key, &validation.as_validation(), NOW).is_ok());
    // exp + 30 s leeway: still accepted at +39, expired at +40 (RFC 7519 §4.1.4).
    assert!(verify(good.as_str(), &key, &validation.as_validation(), NOW + 39).is_ok());
    assert_eq!(verify(good.as_str(), &key, &validation.as_validation(), NOW + 40).map(|_| ()), Err(Error::Expired));
    let anon = token(&format!(r#"{{"exp":{},"aud":"anon","iss":"https://x.supabase.co/auth/v1"}}"#, NOW + 10));
    assert_eq!(verify(anon.as_str(), &key, &validation.as_validation(), NOW).map(|_| ()), Err(Error::InvalidAudience));
    let other = token(&format!(r#"{{"exp":{},"aud":"authenticated","iss":"https://y"}}"#, NOW + 10));
    assert_eq!(verify(other.as_str(), &key, &validation.as_validation(), NOW).map(|_| ()), Err(Error::InvalidIssuer));
}
