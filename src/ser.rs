//! `Serialize` for the verified claims and their values, so they can be
//! passed on as JSON (to a template, a log, a response) without copying the
//! payload into another type first.
//!
//! Strings are written unescaped (the serializer escapes them again as its
//! format requires); numbers as serde_json reads them: an integer that fits
//! a `u64`, else a negative one that fits an `i64`, else the nearest `f64`.
//! A number beyond `f64`'s range (`1e400`) is an error, never a silent
//! `null` or infinity. Nesting is bounded by the scanner's depth limit
//! (at most [`MAX_DEPTH_LIMIT`](crate::MAX_DEPTH_LIMIT)), so the recursion is.

use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::claims::{Claims, ClaimsRef};
use crate::json_str::JsonStr;
use crate::value::{JsonKind, JsonValue};

impl Serialize for JsonStr<'_> {
    /// The unescaped string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_str() {
            Some(plain) => serializer.serialize_str(plain),
            None => serializer.collect_str(self),
        }
    }
}

impl Serialize for JsonValue<'_> {
    /// The value with its JSON type: objects as maps (member order kept),
    /// arrays as sequences, strings unescaped.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.kind() {
            JsonKind::Object => {
                let mut map = serializer.serialize_map(None)?;
                for (name, value) in self.members() {
                    map.serialize_entry(&name, &value)?;
                }
                map.end()
            }
            JsonKind::Array => {
                let mut seq = serializer.serialize_seq(None)?;
                for element in self.elements() {
                    seq.serialize_element(&element)?;
                }
                seq.end()
            }
            JsonKind::String => match self.as_str() {
                Some(s) => s.serialize(serializer),
                None => Err(S::Error::custom("invalid JSON string")),
            },
            JsonKind::Number => {
                if let Some(n) = self.as_u64() {
                    return serializer.serialize_u64(n);
                }
                // `-0` is not an integer for serde_json: it reads -0.0.
                if let Some(n) = self.as_i64().filter(|&n| n != 0) {
                    return serializer.serialize_i64(n);
                }
                match self.as_f64() {
                    Some(f) if f.is_finite() => serializer.serialize_f64(f),
                    _ => Err(S::Error::custom("a number beyond the range of f64")),
                }
            }
            JsonKind::Bool => serializer.serialize_bool(self.as_bool().unwrap_or_default()),
            JsonKind::Null => serializer.serialize_unit(),
        }
    }
}

impl Serialize for ClaimsRef<'_> {
    /// The whole claims set, as [`ClaimsRef::json`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(serializer)
    }
}

impl Serialize for Claims {
    /// The whole claims set, as [`Claims::json`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(serializer)
    }
}
