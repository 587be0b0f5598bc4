//! [`JsonValue`]: any member of a verified payload, read in place.

use core::fmt;

use crate::NumericDate;
use crate::json::{after_value, next_member, skip_ws, value_end};
use crate::json_str::JsonStr;

/// The JSON type of a [`JsonValue`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonKind {
    /// `{…}`
    Object,
    /// `[…]`
    Array,
    /// `"…"`
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
}

/// A JSON value inside a verified payload, read in place without allocating.
///
/// The payload passed the strict scanner before you can get a `JsonValue`,
/// so reading it cannot fail on syntax: accessors only answer `None` when
/// the value has another type (or a member is absent).
///
/// ```
/// # use jwtcheck::{JsonKind, Validation, verify_in, Hs256Key};
/// # let key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
/// # // {"alg":"HS256","typ":"JWT"} . {"exp":2000000000,"app_metadata":{"provider":"github","providers":["github","email"]},"n":-3}
/// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjIwMDAwMDAwMDAsImFwcF9tZXRhZGF0YSI6eyJwcm92aWRlciI6ImdpdGh1YiIsInByb3ZpZGVycyI6WyJnaXRodWIiLCJlbWFpbCJdfSwibiI6LTN9.SYOK6wEOcEhaA-xKi-UAUfoDJDIFrKApsnzrGalrfvo";
/// # let mut buf = [0u8; 512];
/// let claims = verify_in(token, &key, &Validation::new(), 1_900_000_000, &mut buf)?;
/// let app = claims.get("app_metadata").unwrap();
/// assert_eq!(app.kind(), JsonKind::Object);
/// assert!(app.get("provider").and_then(|p| p.as_str()).unwrap() == "github");
/// assert_eq!(app.get("providers").unwrap().elements().count(), 2);
/// assert_eq!(claims.get("n").and_then(|n| n.as_i64()), Some(-3));
/// # Ok::<(), jwtcheck::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct JsonValue<'a> {
    /// The value's text, exactly as in the payload (strings with quotes).
    text: &'a str,
}

impl<'a> JsonValue<'a> {
    /// `text` must be one value that passed the scanner.
    pub(crate) fn new(text: &'a str) -> Self {
        JsonValue { text }
    }

    /// The value's type.
    pub fn kind(&self) -> JsonKind {
        match self.text.as_bytes().first() {
            Some(b'{') => JsonKind::Object,
            Some(b'[') => JsonKind::Array,
            Some(b'"') => JsonKind::String,
            Some(b't' | b'f') => JsonKind::Bool,
            Some(b'n') => JsonKind::Null,
            _ => JsonKind::Number,
        }
    }

    /// The value's text exactly as in the payload (a string keeps its quotes
    /// and escapes).
    pub fn raw(&self) -> &'a str {
        self.text
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<JsonStr<'a>> {
        let inner = self.text.strip_prefix('"')?.strip_suffix('"')?;
        Some(JsonStr::new(inner, inner.contains('\\')))
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.text {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        self.text == "null"
    }

    /// The number, when it is written as an integer (no fraction, no
    /// exponent) that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.text.parse().ok()
    }

    /// The number, when it is written as an integer that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse().ok()
    }

    /// The number as the nearest `f64` (`None` for other types).
    pub fn as_f64(&self) -> Option<f64> {
        match self.kind() {
            JsonKind::Number => self.text.parse().ok(),
            _ => None,
        }
    }

    /// The number read as a NumericDate (RFC 7519 §2): `None` when it is not
    /// a number in `[0, 2^64)`.
    pub fn as_numeric_date(&self) -> Option<NumericDate> {
        match self.kind() {
            JsonKind::Number => NumericDate::parse(self.text.as_bytes()),
            _ => None,
        }
    }

    /// The member `name` of an object (compared after unescaping); `None`
    /// when absent or when this is not an object. Names are unique: the
    /// scanner refused any repeat.
    pub fn get(&self, name: &str) -> Option<JsonValue<'a>> {
        self.members().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The members of an object, in document order (empty for other types).
    pub fn members(&self) -> Members<'a> {
        let pos = if self.kind() == JsonKind::Object { 1 } else { self.text.len() };
        Members { text: self.text, pos }
    }

    /// The elements of an array, in order (empty for other types).
    pub fn elements(&self) -> Elements<'a> {
        let pos = if self.kind() == JsonKind::Array { 1 } else { self.text.len() };
        Elements { text: self.text, pos }
    }
}

impl fmt::Debug for JsonValue<'_> {
    /// The value's text as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// The next value of a container's text at `pos`: skips whitespace and one
/// separator, then reads a value ending at the container's close.
fn next_value<'a>(text: &'a str, pos: &mut usize) -> Option<JsonValue<'a>> {
    let bytes = text.as_bytes();
    let start = skip_ws(bytes, *pos);
    if let Some(b'}' | b']') | None = bytes.get(start) {
        *pos = text.len();
        return None;
    }
    let end = value_end(bytes, start);
    *pos = after_value(bytes, end);
    text.get(start..end).map(JsonValue::new)
}

/// The members of a [`JsonValue`] object: `(name, value)` pairs.
#[derive(Clone)]
pub struct Members<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (JsonStr<'a>, JsonValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let Some((start, end, escaped, value)) = next_member(self.text.as_bytes(), self.pos) else {
            self.pos = self.text.len();
            return None;
        };
        let name = JsonStr::new(self.text.get(start..end)?, escaped);
        self.pos = value;
        let value = next_value(self.text, &mut self.pos)?;
        Some((name, value))
    }
}

/// The elements of a [`JsonValue`] array.
#[derive(Clone)]
pub struct Elements<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Elements<'a> {
    type Item = JsonValue<'a>;

    fn next(&mut self) -> Option<JsonValue<'a>> {
        next_value(self.text, &mut self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Names, scan_object};
    use std::vec::Vec;

    fn root(doc: &str) -> JsonValue<'_> {
        scan_object(doc, 32, &mut Names::new(), |_, _| {}).unwrap();
        JsonValue::new(doc.trim())
    }

    #[test]
    fn reads_every_type_in_place() {
        let v = root(
            r#" { "s" : "a\u0026b" , "n":-12, "f":1.5e3, "t":true, "x":false, "z":null,
                 "o":{"k":[1,{"m":"\""}],"e":{}}, "a":[ ], "big":18446744073709551616 } "#,
        );
        assert_eq!(v.kind(), JsonKind::Object);
        assert_eq!(v.members().count(), 9);
        assert!(v.get("s").unwrap().as_str().unwrap() == "a&b");
        assert_eq!(v.get("s").unwrap().raw(), r#""a\u0026b""#);
        assert_eq!(v.get("n").unwrap().as_i64(), Some(-12));
        assert_eq!(v.get("n").unwrap().as_u64(), None);
        assert_eq!(v.get("f").unwrap().as_f64(), Some(1500.0));
        assert_eq!(v.get("f").unwrap().as_u64(), None);
        assert_eq!(v.get("f").unwrap().as_numeric_date(), Some(NumericDate::from_secs(1500)));
        assert_eq!(v.get("t").unwrap().as_bool(), Some(true));
        assert_eq!(v.get("x").unwrap().as_bool(), Some(false));
        assert!(v.get("z").unwrap().is_null());
        assert_eq!(v.get("big").unwrap().as_u64(), None);
        assert_eq!(v.get("big").unwrap().as_f64(), Some(18446744073709551616.0));
        let o = v.get("o").unwrap();
        let k: Vec<JsonKind> = o.get("k").unwrap().elements().map(|e| e.kind()).collect();
        assert_eq!(k, [JsonKind::Number, JsonKind::Object]);
        let m = o.get("k").unwrap().elements().nth(1).unwrap().get("m").unwrap();
        assert!(m.as_str().unwrap() == "\"");
        assert_eq!(o.get("e").unwrap().members().count(), 0);
        assert_eq!(v.get("a").unwrap().elements().count(), 0);
        assert!(v.get("missing").is_none());
        assert!(v.get("s").unwrap().get("s").is_none(), "not an object");
        assert_eq!(v.get("s").unwrap().elements().count(), 0, "not an array");
        assert_eq!(v.get("n").unwrap().as_str().map(|s| s.raw()), None);
    }

    #[test]
    fn names_compare_unescaped() {
        let v = root(r#"{"\u0072ole":"admin","a\/b":1}"#);
        assert!(v.get("role").unwrap().as_str().unwrap() == "admin");
        assert_eq!(v.get("a/b").unwrap().as_u64(), Some(1));
    }
}
