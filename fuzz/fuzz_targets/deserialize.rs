//! `Claims::deserialize` (the crate's own serde deserializer) on the payload
//! of a verified token, against serde_json: into `serde_json::Value` it must
//! equal `serde_json::from_str` of the same payload (numbers as serde_json
//! reads them without `arbitrary_precision`: an integer that fits `u64`, or
//! `i64` when negative and not zero, else the nearest finite `f64`, else an
//! error), and typed structs must never panic.
#![no_main]

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use jwtcheck::{Hs256Key, JsonStr, Validation, verify};
use jwtcheck_fuzz::jwt::{SECRET, sign};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// A JSON value with numbers as serde_json reads them by default.
#[derive(Debug, PartialEq)]
enum Canon {
    Null,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    Str(String),
    Arr(Vec<Canon>),
    Obj(BTreeMap<String, Canon>),
}

/// `None` when a number is beyond `f64` (serde_json refuses the document).
fn canon(v: &Value) -> Option<Canon> {
    Some(match v {
        Value::Null => Canon::Null,
        Value::Bool(b) => Canon::Bool(*b),
        Value::Number(n) => {
            let text = n.to_string();
            let integer = !text.contains(['.', 'e', 'E']);
            match (integer, text.parse::<u64>(), text.parse::<i64>()) {
                (true, Ok(u), _) => Canon::U(u),
                (true, _, Ok(i)) if i != 0 => Canon::I(i),
                _ => Canon::F(text.parse::<f64>().ok().filter(|f| f.is_finite())?),
            }
        }
        Value::String(s) => Canon::Str(s.clone()),
        Value::Array(a) => Canon::Arr(a.iter().map(canon).collect::<Option<_>>()?),
        Value::Object(o) => Canon::Obj(o.iter().map(|(k, v)| Some((k.clone(), canon(v)?))).collect::<Option<_>>()?),
    })
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Typed<'a> {
    #[serde(borrow)]
    sub: Option<Cow<'a, str>>,
    #[serde(borrow)]
    email: Option<JsonStr<'a>>,
    role: Option<String>,
    exp: Option<u64>,
    n: Option<i8>,
    f: Option<f32>,
    user_metadata: Option<HashMap<String, Value>>,
    app_metadata: Option<BTreeMap<u32, bool>>,
    amr: Option<Vec<Amr>>,
    e: Option<External>,
    t: Option<(u8, Option<bool>)>,
    #[serde(flatten)]
    rest: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(tag = "method")]
#[allow(dead_code)]
enum Amr {
    Password { timestamp: u64 },
    Otp,
}

#[derive(Deserialize)]
#[allow(dead_code)]
enum External {
    Unit,
    New(i64),
    Tuple(u8, u8),
    Struct { a: u8 },
}

#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Untagged<'a> {
    Num(u64),
    Text(&'a str),
    Map(BTreeMap<Cow<'a, str>, IgnoredAny>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Strict<'a> {
    a: Option<&'a str>,
    b: Option<[u8; 2]>,
    c: Option<()>,
}

fuzz_target!(|payload: &[u8]| {
    let key = Hs256Key::new(SECRET).unwrap();
    let token = sign(SECRET, HEADER.as_bytes(), payload);
    let validation = Validation::new().allow_missing_exp().accept_any_audience();
    let Ok(claims) = verify(&token, &key, &validation, 0) else { return };

    let ours = claims.deserialize::<Value>().ok().and_then(|v| canon(&v));
    let theirs = serde_json::from_str::<Value>(claims.payload()).ok().and_then(|v| canon(&v));
    assert_eq!(ours, theirs, "Value differs from serde_json");

    let _ = claims.deserialize::<Typed>();
    let _ = claims.deserialize::<Strict>();
    let _ = claims.deserialize::<BTreeMap<&str, Untagged>>();
    let _ = claims.deserialize::<HashMap<String, String>>();
    let _ = claims.deserialize::<IgnoredAny>();
});
