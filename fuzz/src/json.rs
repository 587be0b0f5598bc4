//! The JSON oracle: `serde_json` for the syntax, then the crate's extra
//! rules (no repeated member name in any object, compared after
//! unescaping; a nesting limit; an object at the root) checked here.
//!
//! # Where the oracle and jwtcheck's scanner legitimately differ
//!
//! This is the one place that lists them. The oracle is built so that, on
//! valid UTF-8, it accepts exactly what the scanner should accept:
//!
//! - **Numbers.** Plain `serde_json` refuses a number outside the `f64`
//!   range (`1e400`: "number out of range"), while RFC 8259 §6 and jwtcheck
//!   accept any number that matches the grammar (a `1e400` `exp` is then
//!   `invalid_claims`, not `malformed`). The fuzz crate enables
//!   `serde_json/arbitrary_precision`, which keeps every number as text
//!   (value-preserving: `E` becomes `e` and an unsigned exponent gets a `+`):
//!   no number is refused for its size, and the NumericDate oracle reads the
//!   exact value. Huge integers (`123456789012345678901234567890`) and tiny
//!   ones (`1e-400`) are accepted by both.
//! - **The `arbitrary_precision` marker.** With that feature, `serde_json`
//!   hands a number to a visitor as a one-member map whose name is
//!   [`NUMBER_TOKEN`]. A real object may use that name too (the `json`
//!   target found `{"$serde_json::private::Number": 0}` within minutes);
//!   [`Probe`] tells the two apart by how the value arrives, so this is no
//!   difference.
//! - **Depth.** `serde_json` stops at 128 nested containers (its recursion
//!   limit); the crate's limit is at most 64 (`MAX_DEPTH_LIMIT`), checked
//!   here on the tree, so both refuse everything deeper than 64.
//! - **Lone surrogate escapes** (`"\ud800"`, `"\udc00"`): `serde_json`
//!   refuses them when it builds a `String`, as the crate does. No difference.
//! - **Invalid UTF-8**: both take `&str`; UTF-8 is checked before either runs.
//! - **Whitespace**: both allow exactly space, tab, LF and CR around values
//!   and after the root object, and nothing else (no BOM).

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// The name `serde_json` (with `arbitrary_precision`) gives the one member of
/// the map it uses to pass a number's text.
pub const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The crate's `MAX_DEPTH_LIMIT`, restated.
pub const DEPTH_CEILING: usize = 64;

/// A JSON value with every string unescaped and every number kept as text.
#[derive(Clone, Debug, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// The number exactly as written.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    /// Members in document order; names are unique (checked while parsing).
    Obj(Vec<(String, J)>),
}

impl J {
    /// The nesting depth: a container counts 1 plus its deepest child, a
    /// scalar 0. The root object of `{"a":[1]}` has depth 2.
    pub fn depth(&self) -> usize {
        match self {
            J::Arr(items) => 1 + items.iter().map(J::depth).max().unwrap_or(0),
            J::Obj(members) => 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// The member named `name` of an object (names are unique).
    pub fn get(&self, name: &str) -> Option<&J> {
        match self {
            J::Obj(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        d.deserialize_any(JVisitor)
    }
}

struct JVisitor;

impl<'de> Visitor<'de> for JVisitor {
    type Value = J;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<J, E> {
        Ok(J::Bool(b))
    }

    fn visit_unit<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }

    fn visit_str<E>(self, s: &str) -> Result<J, E> {
        Ok(J::Str(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<J, E> {
        Ok(J::Str(s))
    }

    // With `arbitrary_precision`, an integer that fits u64 (or i64, when
    // negative, except `-0`) arrives as such; its decimal text is the one
    // written, since JSON has no leading zeros or `+` sign.
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<J, E> {
        Ok(J::Num(n.to_string()))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<J, E> {
        Ok(J::Num(n.to_string()))
    }

    // Never reached with `arbitrary_precision`; refuse loudly so a feature
    // mix-up cannot go unnoticed.
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<J, E> {
        Err(E::custom("number without arbitrary_precision"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<J>()? {
            items.push(item);
        }
        Ok(J::Arr(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
        let mut members: Vec<(String, J)> = Vec::new();
        let mut seen = HashSet::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = if members.is_empty() && name == NUMBER_TOKEN {
                match map.next_value::<Probe>()? {
                    Probe::Number(text) => return Ok(J::Num(text)),
                    Probe::Value(value) => value,
                }
            } else {
                map.next_value::<J>()?
            };
            // RFC 7515 §4 / RFC 7519 §4: names unique, compared unescaped.
            if !seen.insert(name.clone()) {
                return Err(de::Error::custom("duplicate member name"));
            }
            members.push((name, value));
        }
        Ok(J::Obj(members))
    }
}

/// The value after a member named [`NUMBER_TOKEN`]: `serde_json` hands a
/// number's text over as an owned `String` (`visit_string`), while a JSON
/// string in the document arrives borrowed or copied (`visit_str`). That
/// tells a number from a real object that uses the marker as a name.
enum Probe {
    Number(String),
    Value(J),
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Probe, D::Error> {
        d.deserialize_any(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number's text or any JSON value")
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Probe, E> {
        Ok(Probe::Number(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Probe, E> {
        Ok(Probe::Value(J::Str(s.to_owned())))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Probe, E> {
        JVisitor.visit_bool(b).map(Probe::Value)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Probe, E> {
        JVisitor.visit_unit().map(Probe::Value)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Probe, E> {
        JVisitor.visit_u64(n).map(Probe::Value)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Probe, E> {
        JVisitor.visit_i64(n).map(Probe::Value)
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Probe, E> {
        JVisitor.visit_f64(n).map(Probe::Value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Probe, A::Error> {
        JVisitor.visit_seq(seq).map(Probe::Value)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Probe, A::Error> {
        JVisitor.visit_map(map).map(Probe::Value)
    }
}

/// Why the oracle refused a document (for messages only).
#[derive(Debug)]
pub enum Refusal {
    /// `serde_json` refused it (syntax, duplicate name, recursion limit).
    Syntax(String),
    NotAnObject,
    TooDeep(usize),
}

/// One JSON text whose value is an object without repeated names, nested at
/// most `min(max_depth, 64)` deep (the root object is depth 1).
pub fn parse_object(text: &str, max_depth: usize) -> Result<J, Refusal> {
    let value: J = serde_json::from_str(text).map_err(|e| Refusal::Syntax(e.to_string()))?;
    if !matches!(value, J::Obj(_)) {
        return Err(Refusal::NotAnObject);
    }
    let depth = value.depth();
    if depth > max_depth.min(DEPTH_CEILING) {
        return Err(Refusal::TooDeep(depth));
    }
    Ok(value)
}

/// `serde_json`'s verdict alone, with the duplicate check but without the
/// depth limit: `Some(depth)` of an object document.
pub fn object_depth(text: &str) -> Result<usize, Refusal> {
    parse_object(text, usize::MAX).map(|v| v.depth()).or_else(|e| match e {
        Refusal::TooDeep(d) => Ok(d),
        e => Err(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_basics() {
        assert!(parse_object(r#"{"a":1e400,"b":-0,"c":123456789012345678901234567890}"#, 32).is_ok());
        assert_eq!(parse_object(r#"{"a":1e400}"#, 32).unwrap().get("a"), Some(&J::Num("1e+400".into())));
        assert_eq!(parse_object(r#"{"a":-0}"#, 32).unwrap().get("a"), Some(&J::Num("-0".into())));
        assert_eq!(parse_object(r#"{"a":-5}"#, 32).unwrap().get("a"), Some(&J::Num("-5".into())));
        assert_eq!(parse_object(r#"{"a":5E1}"#, 32).unwrap().get("a"), Some(&J::Num("5e+1".into())));
        assert!(parse_object(r#"{"a":1,"\u0061":2}"#, 32).is_err());
        // A real member named like serde_json's number marker.
        let marker = |value: &str| format!(r#"{{"{NUMBER_TOKEN}":{value}}}"#);
        for value in ["0", r#""1""#, "null", "[1]", r#"{"a":1e400}"#] {
            let doc = parse_object(&marker(value), 32).unwrap();
            assert!(matches!(&doc, J::Obj(m) if m.len() == 1 && m[0].0 == NUMBER_TOKEN), "{doc:?}");
        }
        assert!(parse_object(&format!(r#"{{"{NUMBER_TOKEN}":1,"{NUMBER_TOKEN}":2}}"#), 32).is_err());
        assert!(parse_object(&format!(r#"{{"x":{{"{NUMBER_TOKEN}":"5"}}}}"#), 32).is_ok());
        assert!(parse_object(r#"{"x":{"a":1,"a":2}}"#, 32).is_err());
        assert!(parse_object(r#"{"a":"\ud800"}"#, 32).is_err());
        assert!(parse_object(r#"{"a":"\udc00"}"#, 32).is_err());
        assert!(parse_object(r#"{"a":"\ud800\u0041"}"#, 32).is_err());
        assert!(parse_object(r#"{"a":"\ud83d\ude00"}"#, 32).is_ok());
        assert!(parse_object("\u{feff}{}", 32).is_err());
        assert!(parse_object("{} \t\r\n", 32).is_ok());
        assert!(parse_object("{}\u{a0}", 32).is_err());
        assert!(parse_object("{\"a\":\"\u{1}\"}", 32).is_err());
        assert!(parse_object(r#"{"a":01}"#, 32).is_err());
        assert!(parse_object("[]", 32).is_err());
        assert!(parse_object("{}", 0).is_err());
        assert!(parse_object("{}", 1).is_ok());
        assert!(parse_object(r#"{"a":[]}"#, 1).is_err());
        let nest = |d: usize| format!("{{\"a\":{}1{}}}", "[".repeat(d - 1), "]".repeat(d - 1));
        assert!(parse_object(&nest(64), 1000).is_ok());
        assert!(parse_object(&nest(65), 1000).is_err());
        assert_eq!(object_depth(&nest(100)).unwrap(), 100);
        assert!(object_depth(&nest(200)).is_err(), "serde_json's recursion limit");
    }
}
