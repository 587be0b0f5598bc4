//! The in-place readers over a verified payload: `JsonValue` (`Claims::json`,
//! `get`, `members`, `elements`, the scalar accessors) and `SupabaseClaims`.
//! They walk text the strict scanner accepted with lenient helpers, so they
//! are compared, value by value, with the oracle's own parse of the same
//! payload (`jwtcheck_fuzz::json`: serde_json, names unescaped, numbers as
//! written, members in document order). `SupabaseClaims::new` must accept
//! exactly when every field it knows has its documented type.
#![no_main]

use jwtcheck::{Hs256Key, JsonKind, JsonValue, Validation, verify};
use jwtcheck_fuzz::date::numeric_date;
use jwtcheck_fuzz::json::{J, parse_object};
use jwtcheck_fuzz::jwt::{SECRET, sign};
use libfuzzer_sys::fuzz_target;

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn same(ours: JsonValue<'_>, theirs: &J, path: &str) {
    match theirs {
        J::Null => assert!(ours.is_null() && ours.kind() == JsonKind::Null, "{path}: null"),
        J::Bool(b) => assert_eq!(ours.as_bool(), Some(*b), "{path}: bool"),
        J::Num(text) => {
            // The oracle's text can differ in spelling (serde_json writes
            // `7e9` as `7e+9`), so numbers are compared by value.
            assert_eq!(ours.kind(), JsonKind::Number, "{path}: kind");
            let expected = numeric_date(text);
            let got = ours.as_numeric_date().map(|d| (d.as_secs(), d.has_fraction()));
            assert_eq!(got, expected, "{path}: as NumericDate");
            assert_eq!(ours.as_u64(), text.parse::<u64>().ok(), "{path}: as_u64");
        }
        J::Str(s) => {
            let js = ours.as_str().unwrap_or_else(|| panic!("{path}: not a string"));
            assert!(js == s.as_str(), "{path}: string equality");
            assert_eq!(js.to_string(), *s, "{path}: string display");
            assert_eq!(ours.get("x").map(|v| v.raw()), None, "{path}: get on a string");
        }
        J::Arr(items) => {
            assert_eq!(ours.kind(), JsonKind::Array, "{path}: kind");
            assert_eq!(ours.elements().count(), items.len(), "{path}: element count");
            for (i, (mine, theirs)) in ours.elements().zip(items).enumerate() {
                same(mine, theirs, &format!("{path}[{i}]"));
            }
            assert_eq!(ours.members().count(), 0, "{path}: members of an array");
        }
        J::Obj(members) => {
            assert_eq!(ours.kind(), JsonKind::Object, "{path}: kind");
            assert_eq!(ours.members().count(), members.len(), "{path}: member count");
            for ((name, mine), (their_name, theirs)) in ours.members().zip(members) {
                assert_eq!(name.to_string(), *their_name, "{path}: member order and names");
                same(mine, theirs, &format!("{path}.{their_name}"));
                let found = ours.get(their_name).unwrap_or_else(|| panic!("{path}: get({their_name:?})"));
                assert_eq!(found.raw(), mine.raw(), "{path}: get({their_name:?})");
            }
            assert_eq!(ours.elements().count(), 0, "{path}: elements of an object");
        }
    }
}

/// `SupabaseClaims::new`'s rule, restated over the oracle's parse.
fn supabase_types_ok(root: &J) -> bool {
    let is = |name: &str, ok: fn(&J) -> bool| root.get(name).is_none_or(ok);
    let string = |j: &J| matches!(j, J::Str(_));
    ["role", "email", "phone", "aal", "session_id", "ref"].iter().all(|n| is(n, string))
        && is("is_anonymous", |j| matches!(j, J::Bool(_)))
        && is("app_metadata", |j| matches!(j, J::Obj(_)) && j.get("provider").is_none_or(|p| matches!(p, J::Str(_))))
        && is("user_metadata", |j| matches!(j, J::Obj(_)))
        && is("amr", |j| match j {
            J::Arr(entries) => entries.iter().all(|e| {
                matches!(e.get("method"), Some(J::Str(_)))
                    && e.get("timestamp").is_none_or(|t| matches!(t, J::Num(n) if numeric_date(n).is_some()))
            }),
            _ => false,
        })
}

fn text(j: Option<&J>) -> Option<String> {
    match j {
        Some(J::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

fuzz_target!(|payload: &[u8]| {
    let key = Hs256Key::new(SECRET).unwrap();
    let token = sign(SECRET, HEADER.as_bytes(), payload);
    let validation = Validation::new().allow_missing_exp().accept_any_audience();
    let Ok(claims) = verify(&token, &key, &validation, 0) else { return };
    // Accepted, so the oracle must parse it too (the `json` target checks
    // that the two agree on every document).
    let root = parse_object(claims.payload(), 64).expect("the oracle refused a payload the crate accepted");

    same(claims.json(), &root, "$");

    let typed = claims.supabase();
    assert_eq!(typed.is_ok(), supabase_types_ok(&root), "SupabaseClaims::new verdict");
    let Ok(user) = typed else { return };
    for (name, got) in [
        ("role", user.role()),
        ("email", user.email()),
        ("phone", user.phone()),
        ("aal", user.aal()),
        ("session_id", user.session_id()),
        ("ref", user.project_ref()),
    ] {
        assert_eq!(got.map(|s| s.to_string()), text(root.get(name)), "{name}");
    }
    assert_eq!(user.sub().map(|s| s.to_string()), text(root.get("sub")), "sub");
    let anonymous = match root.get("is_anonymous") {
        Some(J::Bool(b)) => Some(*b),
        _ => None,
    };
    assert_eq!(user.is_anonymous(), anonymous, "is_anonymous");
    assert_eq!(
        user.provider().map(|s| s.to_string()),
        text(root.get("app_metadata").and_then(|m| m.get("provider"))),
        "provider"
    );
    let amr: Vec<(String, Option<(u64, bool)>)> =
        user.amr().map(|m| (m.method.to_string(), m.timestamp.map(|t| (t.as_secs(), t.has_fraction())))).collect();
    let expected: Vec<(String, Option<(u64, bool)>)> = match root.get("amr") {
        Some(J::Arr(entries)) => entries
            .iter()
            .map(|e| {
                let timestamp = match e.get("timestamp") {
                    Some(J::Num(n)) => numeric_date(n),
                    _ => None,
                };
                (text(e.get("method")).unwrap_or_default(), timestamp)
            })
            .collect(),
        _ => Vec::new(),
    };
    assert_eq!(amr, expected, "amr");
});
