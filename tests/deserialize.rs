//! `Claims::deserialize` on Supabase-shaped payloads with the escapes its Go
//! encoder writes (`\u0026`, `\u003c`), into the shapes users write.

mod common;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use jwtcheck::{Claim, Claims, Error, JsonStr, Validation, verify};
use serde::Deserialize;

const PAYLOAD: &str = r#"{"sub":"8f14e45f","aud":"authenticated","exp":2000000000,"email":"a\u0026b@example.com","phone":"","role":"authenticated","app_metadata":{"provider":"email","providers":["email"]},"user_metadata":{"company":"Smith \u0026 Sons \u003cUK\u003e","full_name":"Zoë"},"is_anonymous":false}"#;

fn verified(payload: &str) -> Claims {
    let validation = Validation::new().allow_missing_exp().accept_any_audience();
    verify(common::token(payload).as_str(), &common::key(), &validation, 1_900_000_000).unwrap()
}

#[test]
fn owned_strings_receive_the_unescaped_text() {
    #[derive(Deserialize)]
    struct User {
        email: String,
        role: String,
        user_metadata: Meta,
    }
    #[derive(Deserialize)]
    struct Meta {
        company: heapless::String<32>,
        full_name: heapless::String<8>,
    }
    let claims = verified(PAYLOAD);
    let user: User = claims.deserialize().unwrap();
    assert_eq!(user.email, "a&b@example.com");
    assert_eq!(user.role, "authenticated");
    assert_eq!(user.user_metadata.company, "Smith & Sons <UK>");
    assert_eq!(user.user_metadata.full_name, "Zoë");
}

#[test]
fn borrowed_str_refuses_an_escaped_string_naming_the_field() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Borrowed<'a> {
        role: &'a str,
        email: &'a str,
    }
    #[derive(Debug, Deserialize)]
    struct Plain<'a> {
        role: &'a str,
        sub: &'a str,
    }
    let claims = verified(PAYLOAD);
    assert_eq!(claims.deserialize::<Borrowed>().unwrap_err(), Error::InvalidClaims(Claim::Field("email")));
    let plain: Plain = claims.deserialize().unwrap();
    assert_eq!((plain.role, plain.sub), ("authenticated", "8f14e45f"));
    assert_eq!(
        Error::InvalidClaims(Claim::Field("email")).to_string(),
        r#"invalid_claims: the claim "email" is missing or does not match the requested type"#
    );
}

#[test]
fn cow_borrows_when_plain_and_owns_when_escaped() {
    #[derive(Deserialize)]
    struct User<'a> {
        #[serde(borrow)]
        role: Cow<'a, str>,
        #[serde(borrow)]
        email: Cow<'a, str>,
    }
    let claims = verified(PAYLOAD);
    let user: User = claims.deserialize().unwrap();
    assert!(matches!(user.role, Cow::Borrowed("authenticated")));
    assert!(matches!(&user.email, Cow::Owned(s) if s == "a&b@example.com"));
}

#[test]
fn json_str_borrows_with_escapes() {
    #[derive(Deserialize)]
    struct User<'a> {
        #[serde(borrow)]
        email: JsonStr<'a>,
        #[serde(borrow)]
        role: JsonStr<'a>,
    }
    let claims = verified(PAYLOAD);
    let user: User = claims.deserialize().unwrap();
    assert_eq!(user.email.raw(), r"a\u0026b@example.com");
    assert_eq!(user.email.to_string(), "a&b@example.com");
    assert_eq!(user.role.as_str(), Some("authenticated"));
}

#[test]
fn option_maps_and_values() {
    #[derive(Deserialize)]
    struct User {
        phone: Option<String>,
        nbf: Option<u64>,
        user_metadata: HashMap<String, String>,
        app_metadata: BTreeMap<String, serde_json::Value>,
    }
    let claims = verified(PAYLOAD);
    let user: User = claims.deserialize().unwrap();
    assert_eq!(user.phone.as_deref(), Some(""));
    assert_eq!(user.nbf, None);
    let expected: HashMap<String, String> =
        [("company", "Smith & Sons <UK>"), ("full_name", "Zoë")].map(|(k, v)| (k.into(), v.into())).into();
    assert_eq!(user.user_metadata, expected);
    assert_eq!(user.app_metadata["provider"], serde_json::json!("email"));
    assert_eq!(user.app_metadata["providers"], serde_json::json!(["email"]));
    let value: serde_json::Value = claims.deserialize().unwrap();
    assert_eq!(value, serde_json::from_str::<serde_json::Value>(PAYLOAD).unwrap());
    assert_eq!(value["user_metadata"]["company"], "Smith & Sons <UK>");
    let null: Option<u8> = verified(r#"{"x":null}"#).deserialize::<BTreeMap<String, Option<u8>>>().unwrap()["x"];
    assert_eq!(null, None);
    let keys: BTreeMap<u32, bool> = verified(r#"{"1":true,"20":false}"#).deserialize().unwrap();
    assert_eq!(keys, [(1, true), (20, false)].into());
    assert_eq!(
        verified(r#"{"x":true}"#).deserialize::<BTreeMap<u32, bool>>().unwrap_err(),
        Error::InvalidClaims(Claim::Custom)
    );
}

#[test]
fn flatten_and_enums() {
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Role {
        Authenticated,
        Anon,
    }
    #[derive(Debug, Deserialize)]
    struct User {
        role: Role,
        #[serde(flatten)]
        extra: BTreeMap<String, serde_json::Value>,
    }
    let claims = verified(PAYLOAD);
    let user: User = claims.deserialize().unwrap();
    assert_eq!(user.role, Role::Authenticated);
    assert_eq!(user.extra["email"], "a&b@example.com");
    assert_eq!(user.extra.len(), 8);

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(u64),
        Text(String),
    }
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "method", rename_all = "snake_case")]
    enum Amr {
        Password { timestamp: u64 },
        Otp,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    enum External {
        Unit,
        New(i8),
        Tuple(u8, bool),
    }
    #[derive(Debug, Deserialize)]
    struct Doc {
        a: Id,
        b: Id,
        amr: Vec<Amr>,
        e: Vec<External>,
    }
    let doc: Doc = verified(
        r#"{"a":7,"b":"x\u0026y","amr":[{"method":"password","timestamp":5},{"method":"otp"}],"e":["Unit",{"New":-3},{"Tuple":[1,true]}]}"#,
    )
    .deserialize()
    .unwrap();
    assert_eq!((doc.a, doc.b), (Id::Number(7), Id::Text("x&y".into())));
    assert_eq!(doc.amr, [Amr::Password { timestamp: 5 }, Amr::Otp]);
    assert_eq!(doc.e, [External::Unit, External::New(-3), External::Tuple(1, true)]);
    assert_eq!(
        verified(r#"{"e":[{"Tuple":[1,true,3]}]}"#).deserialize::<BTreeMap<String, Vec<External>>>().unwrap_err(),
        Error::InvalidClaims(Claim::Custom)
    );
    assert_eq!(
        verified(r#"{"e":[{"New":1,"Unit":null}]}"#).deserialize::<BTreeMap<String, Vec<External>>>().unwrap_err(),
        Error::InvalidClaims(Claim::Custom)
    );
}

#[test]
fn deny_unknown_fields_and_missing_fields() {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        sub: String,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Named {
        name: String,
    }
    let claims = verified(PAYLOAD);
    assert_eq!(claims.deserialize::<Strict>().unwrap_err(), Error::InvalidClaims(Claim::UnknownField));
    assert_eq!(claims.deserialize::<Named>().unwrap_err(), Error::InvalidClaims(Claim::Field("name")));
    assert_eq!(claims.deserialize::<Vec<u8>>().unwrap_err(), Error::InvalidClaims(Claim::Custom));
}

#[test]
fn numbers_at_the_edges() {
    #[derive(Debug, Deserialize)]
    struct U {
        x: u64,
    }
    #[derive(Debug, Deserialize)]
    struct I {
        x: i64,
    }
    #[derive(Debug, Deserialize)]
    struct F {
        x: f64,
    }
    #[derive(Debug, Deserialize)]
    struct Small {
        x: u8,
    }
    let field = Error::InvalidClaims(Claim::Field("x"));
    assert_eq!(verified(r#"{"x":18446744073709551615}"#).deserialize::<U>().unwrap().x, u64::MAX);
    assert_eq!(verified(r#"{"x":18446744073709551616}"#).deserialize::<U>().unwrap_err(), field);
    assert_eq!(verified(r#"{"x":-1}"#).deserialize::<U>().unwrap_err(), field);
    assert_eq!(verified(r#"{"x":1.5}"#).deserialize::<U>().unwrap_err(), field);
    assert_eq!(verified(r#"{"x":-9223372036854775808}"#).deserialize::<I>().unwrap().x, i64::MIN);
    assert_eq!(verified(r#"{"x":-9223372036854775809}"#).deserialize::<I>().unwrap_err(), field);
    assert_eq!(verified(r#"{"x":9223372036854775807}"#).deserialize::<I>().unwrap().x, i64::MAX);
    assert_eq!(verified(r#"{"x":255}"#).deserialize::<Small>().unwrap().x, 255);
    assert_eq!(verified(r#"{"x":300}"#).deserialize::<Small>().unwrap_err(), field);
    assert_eq!(verified(r#"{"x":2.5e-3}"#).deserialize::<F>().unwrap().x, 0.0025);
    assert_eq!(verified(r#"{"x":18446744073709551616}"#).deserialize::<F>().unwrap().x, 18446744073709551616.0);
    assert_eq!(verified(r#"{"x":1e-400}"#).deserialize::<F>().unwrap().x, 0.0);
    // Beyond f64: an error, as in serde_json, not infinity.
    assert_eq!(verified(r#"{"x":1e400}"#).deserialize::<F>().unwrap_err(), field);
    assert!(serde_json::from_str::<serde_json::Value>(r#"{"x":1e400}"#).is_err());
    assert_eq!(verified(r#"{"x":-1e400}"#).deserialize::<F>().unwrap_err(), field);
}

#[test]
fn long_escaped_strings_are_never_truncated() {
    let long = "\\n".repeat(jwtcheck::UNESCAPE_BUFFER + 1);
    let claims = verified(&format!(r#"{{"s":"{long}"}}"#));
    let got = claims.deserialize::<BTreeMap<String, String>>();
    #[cfg(feature = "alloc")]
    assert_eq!(got.unwrap()["s"], "\n".repeat(jwtcheck::UNESCAPE_BUFFER + 1));
    #[cfg(not(feature = "alloc"))]
    assert_eq!(got.unwrap_err(), Error::InvalidClaims(Claim::Custom));
}
