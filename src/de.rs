//! A serde [`Deserializer`](serde::Deserializer) over a verified payload,
//! for [`ClaimsRef::deserialize`](crate::ClaimsRef::deserialize).
//!
//! The payload already passed [`json::scan_object`](crate::json): it is one
//! strict RFC 8259 object, so this walks the text with the validated-text
//! helpers (`string_end`, `value_end`, `skip_ws`) and does not re-check the
//! grammar. Every read is still a checked `get`: a wrong offset would be an
//! error, never a panic.
//!
//! Recursion follows the document's nesting only (one `deserialize_*` frame
//! per container), and the scanner refused anything deeper than
//! [`MAX_DEPTH_LIMIT`](crate::MAX_DEPTH_LIMIT) = 64, so the native stack is
//! bounded whatever the token holds.
//!
//! Strings without an escape are lent to the visitor (`visit_borrowed_str`),
//! so `&str` and `Cow<str>` borrow from the payload. An escaped string is
//! unescaped into a stack buffer of [`UNESCAPE_BUFFER`] bytes and given as
//! `visit_str`: owned targets (`String`, `heapless::String`) receive the
//! unescaped text, and a `&str` target refuses it (it cannot borrow), which
//! the caller sees as [`Claim::Field`] naming the field. Longer escaped
//! strings are unescaped into a `String` with the `alloc` feature, and are an
//! error without it: never truncated, never the raw escape text.

use core::fmt;

use serde::de::{self, DeserializeSeed, Visitor};

use crate::json::{skip_ws, string_end, value_end};
use crate::json_str::JsonStr;
use crate::{Claim, Error};

/// The stack buffer an escaped string is unescaped into for `visit_str`
/// (without the `alloc` feature, the longest escaped string, once
/// unescaped, that an owned target can receive).
pub const UNESCAPE_BUFFER: usize = 1024;

/// The member name a [`JsonStr`] asks for to receive its raw text; no
/// payload can forge it, because it is only ever passed by this module.
pub(crate) const RAW_STR_TOKEN: &str = "$jwtcheck::private::JsonStr";

/// Deserializes `T` from a payload that passed the scanner.
pub(crate) fn from_payload<'de, T: de::Deserialize<'de>>(payload: &'de str) -> Result<T, Error> {
    let mut de = Deserializer { text: payload, pos: 0 };
    T::deserialize(&mut de).map_err(|e| Error::InvalidClaims(e.claim))
}

/// The error inside deserialization: which claim, never any token bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DeError {
    claim: Claim,
}

impl DeError {
    const CUSTOM: DeError = DeError { claim: Claim::Custom };

    /// Attributes an error raised inside a field's value to that field,
    /// unless a deeper field already claimed it.
    fn in_field(self, field: Option<&'static str>) -> Self {
        match (self.claim, field) {
            (Claim::Custom, Some(name)) => DeError { claim: Claim::Field(name) },
            _ => self,
        }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Error::InvalidClaims(self.claim), f)
    }
}

impl core::error::Error for DeError {}

impl de::Error for DeError {
    // The message may quote token bytes (`invalid value: string "…"`): it is
    // dropped, and the field it happened in is named instead.
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        DeError::CUSTOM
    }

    fn missing_field(field: &'static str) -> Self {
        DeError { claim: Claim::Field(field) }
    }

    // `field` comes from the token: it is not kept.
    fn unknown_field(_field: &str, _expected: &'static [&'static str]) -> Self {
        DeError { claim: Claim::UnknownField }
    }
}

type Result<T, E = DeError> = core::result::Result<T, E>;

/// A number as serde_json reads it: an integer that fits `u64` (or, when
/// negative and not zero, `i64`), otherwise the nearest finite `f64`.
enum Number {
    U64(u64),
    I64(i64),
    F64(f64),
}

impl Number {
    /// `text` is an RFC 8259 number. A magnitude beyond `f64` (`1e400`) is
    /// an error, as in serde_json: rounding it to infinity would invent a
    /// value.
    fn parse(text: &str) -> Result<Number> {
        let integer = !text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'));
        if integer {
            if text.starts_with('-') {
                // `-0` is the float -0.0, as in serde_json.
                match text.parse::<i64>() {
                    Ok(0) => return Ok(Number::F64(-0.0)),
                    Ok(n) => return Ok(Number::I64(n)),
                    Err(_) => {}
                }
            } else if let Ok(n) = text.parse::<u64>() {
                return Ok(Number::U64(n));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::F64(f)),
            _ => Err(DeError::CUSTOM),
        }
    }

    fn visit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Number::U64(n) => visitor.visit_u64(n),
            Number::I64(n) => visitor.visit_i64(n),
            Number::F64(f) => visitor.visit_f64(f),
        }
    }
}

/// Whether `text` is an RFC 8259 number (for map keys, which are strings
/// that a number type is asked to read).
fn is_number(text: &str) -> bool {
    let b = text.as_bytes();
    let b = b.strip_prefix(b"-").unwrap_or(b);
    let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let (int, rest) = b.split_at_checked(int_len).unwrap_or((b, &[]));
    if int.is_empty() || (int.len() > 1 && int.first() == Some(&b'0')) {
        return false;
    }
    let rest = match rest.strip_prefix(b".") {
        Some(frac) => {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return false;
            }
            frac.get(n..).unwrap_or_default()
        }
        None => rest,
    };
    match rest.split_first() {
        None => true,
        Some((b'e' | b'E', exp)) => {
            let exp = exp.strip_prefix(b"+").or_else(|| exp.strip_prefix(b"-")).unwrap_or(exp);
            !exp.is_empty() && exp.iter().all(u8::is_ascii_digit)
        }
        Some(_) => false,
    }
}

/// Gives a string to `visitor`: borrowed when it holds no escape, else
/// unescaped (see the module docs).
fn visit_json_str<'de, V: Visitor<'de>>(s: JsonStr<'de>, visitor: V) -> Result<V::Value> {
    if let Some(plain) = s.as_str() {
        return visitor.visit_borrowed_str(plain);
    }
    let mut buf = [0u8; UNESCAPE_BUFFER];
    match s.unescape_into(&mut buf) {
        Ok(text) => visitor.visit_str(text),
        #[cfg(feature = "alloc")]
        Err(_) => visitor.visit_string(alloc::string::ToString::to_string(&s)),
        #[cfg(not(feature = "alloc"))]
        Err(_) => Err(DeError::CUSTOM),
    }
}

/// As [`visit_json_str`], for `bytes` / `byte_buf` targets.
fn visit_json_bytes<'de, V: Visitor<'de>>(s: JsonStr<'de>, visitor: V) -> Result<V::Value> {
    if let Some(plain) = s.as_str() {
        return visitor.visit_borrowed_bytes(plain.as_bytes());
    }
    let mut buf = [0u8; UNESCAPE_BUFFER];
    match s.unescape_into(&mut buf) {
        Ok(text) => visitor.visit_bytes(text.as_bytes()),
        #[cfg(feature = "alloc")]
        Err(_) => visitor.visit_byte_buf(alloc::string::ToString::to_string(&s).into_bytes()),
        #[cfg(not(feature = "alloc"))]
        Err(_) => Err(DeError::CUSTOM),
    }
}

/// The reader: the payload and the offset of the next value.
struct Deserializer<'de> {
    text: &'de str,
    pos: usize,
}

impl<'de> Deserializer<'de> {
    fn peek(&mut self) -> Option<u8> {
        self.pos = skip_ws(self.text.as_bytes(), self.pos);
        self.text.as_bytes().get(self.pos).copied()
    }

    /// At an opening quote: the string, and the position after it.
    fn string(&mut self) -> Result<JsonStr<'de>> {
        let start = self.pos.saturating_add(1);
        let (end, escaped) = string_end(self.text.as_bytes(), start);
        let raw = self.text.get(start..end).ok_or(DeError::CUSTOM)?;
        self.pos = end.saturating_add(1);
        Ok(JsonStr::new(raw, escaped))
    }

    /// At a number, `true`, `false` or `null`: its text.
    fn scalar(&mut self) -> Result<&'de str> {
        let end = value_end(self.text.as_bytes(), self.pos);
        let text = self.text.get(self.pos..end).ok_or(DeError::CUSTOM)?;
        self.pos = end;
        Ok(text)
    }

    /// After a member name: past the colon.
    fn colon(&mut self) -> Result<()> {
        match self.peek() {
            Some(b':') => {
                self.pos = self.pos.saturating_add(1);
                Ok(())
            }
            _ => Err(DeError::CUSTOM),
        }
    }

    fn map<V: Visitor<'de>>(&mut self, fields: &'static [&'static str], visitor: V) -> Result<V::Value> {
        self.pos = self.pos.saturating_add(1);
        let mut access = MapAccess { de: self, fields, field: None, done: false };
        let value = visitor.visit_map(&mut access)?;
        let done = access.done;
        self.close(done, b'}')?;
        Ok(value)
    }

    fn seq<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.pos = self.pos.saturating_add(1);
        let mut access = SeqAccess { de: self, done: false };
        let value = visitor.visit_seq(&mut access)?;
        let done = access.done;
        self.close(done, b']')?;
        Ok(value)
    }

    /// After a visitor returned: the container must be over. One that stops
    /// early (a tuple given a longer array) leaves values, which serde_json
    /// refuses too: dropping them silently would lose data.
    fn close(&mut self, done: bool, close: u8) -> Result<()> {
        if done {
            return Ok(());
        }
        if self.peek() == Some(close) {
            self.pos = self.pos.saturating_add(1);
            Ok(())
        } else {
            Err(DeError::CUSTOM)
        }
    }

    fn null(&mut self) -> Result<bool> {
        if self.peek() == Some(b'n') {
            self.scalar()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek() {
            Some(b'{') => self.map(&[], visitor),
            Some(b'[') => self.seq(visitor),
            Some(b'"') => visit_json_str(self.string()?, visitor),
            Some(b't' | b'f') => {
                let word = self.scalar()?;
                visitor.visit_bool(word == "true")
            }
            Some(b'n') => {
                self.scalar()?;
                visitor.visit_unit()
            }
            Some(_) => Number::parse(self.scalar()?)?.visit(visitor),
            None => Err(DeError::CUSTOM),
        }
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Some(b'-' | b'0'..=b'9') = self.peek() {
            let save = self.pos;
            if let Ok(n) = self.scalar()?.parse::<i128>() {
                return visitor.visit_i128(n);
            }
            self.pos = save;
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Some(b'0'..=b'9') = self.peek() {
            let save = self.pos;
            if let Ok(n) = self.scalar()?.parse::<u128>() {
                return visitor.visit_u128(n);
            }
            self.pos = save;
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek() {
            Some(b'"') => visit_json_bytes(self.string()?, visitor),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.null()? { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        if name == RAW_STR_TOKEN && self.peek() == Some(b'"') {
            let raw = self.string()?.raw();
            return visitor.visit_map(RawStr { raw: Some(raw) });
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.peek() {
            Some(b'{') => self.map(fields, visitor),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.peek() {
            Some(b'"') => visitor.visit_enum(UnitVariant { name: self.string()? }),
            Some(b'{') => {
                self.pos = self.pos.saturating_add(1);
                let value = visitor.visit_enum(VariantAccess { de: self })?;
                // `{"Variant": value}` has exactly one member.
                match self.peek() {
                    Some(b'}') => {
                        self.pos = self.pos.saturating_add(1);
                        Ok(value)
                    }
                    _ => Err(DeError::CUSTOM),
                }
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.peek();
        self.pos = value_end(self.text.as_bytes(), self.pos);
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 u8 u16 u32 u64 f32 f64 char str string
        unit unit_struct seq tuple tuple_struct map identifier
    }
}

/// The members of an object; `fields` are the target struct's, to name the
/// field an error happens in.
struct MapAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    fields: &'static [&'static str],
    field: Option<&'static str>,
    done: bool,
}

impl<'de> de::MapAccess<'de> for &mut MapAccess<'_, 'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.done {
            return Ok(None);
        }
        if self.de.peek() == Some(b',') {
            self.de.pos = self.de.pos.saturating_add(1);
        }
        match self.de.peek() {
            Some(b'"') => {}
            Some(b'}') => {
                self.de.pos = self.de.pos.saturating_add(1);
                self.done = true;
                return Ok(None);
            }
            _ => return Err(DeError::CUSTOM),
        }
        let name = self.de.string()?;
        self.field = self.fields.iter().copied().find(|field| name == *field);
        self.de.colon()?;
        seed.deserialize(Key { name }).map(Some).map_err(|e| e.in_field(self.field))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.de).map_err(|e| e.in_field(self.field))
    }
}

/// The elements of an array.
struct SeqAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    done: bool,
}

impl<'de> de::SeqAccess<'de> for &mut SeqAccess<'_, 'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.done {
            return Ok(None);
        }
        if self.de.peek() == Some(b',') {
            self.de.pos = self.de.pos.saturating_add(1);
        }
        match self.de.peek() {
            Some(b']') => {
                self.de.pos = self.de.pos.saturating_add(1);
                self.done = true;
                Ok(None)
            }
            Some(_) => seed.deserialize(&mut *self.de).map(Some),
            None => Err(DeError::CUSTOM),
        }
    }
}

/// A member name, read as a map key: a string, or a number or boolean
/// written as a string (`{"1":…}` into `BTreeMap<u32, _>`), as serde_json
/// does.
struct Key<'de> {
    name: JsonStr<'de>,
}

impl<'de> Key<'de> {
    /// The name's unescaped text, as a number type asks for it.
    fn parse<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut buf = [0u8; 64];
        let text = self.name.unescape_into(&mut buf).map_err(|_| DeError::CUSTOM)?;
        if !is_number(text) {
            return Err(DeError::CUSTOM);
        }
        Number::parse(text)?.visit(visitor)
    }

    /// `i128` / `u128` keys: the unescaped name as a plain integer.
    fn parse_wide<V: Visitor<'de>>(self, visitor: V, signed: bool) -> Result<V::Value> {
        let mut buf = [0u8; 64];
        let text = self.name.unescape_into(&mut buf).map_err(|_| DeError::CUSTOM)?;
        if !is_number(text) {
            return Err(DeError::CUSTOM);
        }
        if signed {
            visitor.visit_i128(text.parse().map_err(|_| DeError::CUSTOM)?)
        } else {
            visitor.visit_u128(text.parse().map_err(|_| DeError::CUSTOM)?)
        }
    }
}

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visit_json_str(self.name, visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.name == "true" {
            visitor.visit_bool(true)
        } else if self.name == "false" {
            visitor.visit_bool(false)
        } else {
            Err(DeError::CUSTOM)
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse(visitor)
    }
    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse_wide(visitor, true)
    }
    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.parse_wide(visitor, false)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visit_json_bytes(self.name, visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visit_json_bytes(self.name, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        if name == RAW_STR_TOKEN {
            return visitor.visit_map(RawStr { raw: Some(self.name.raw()) });
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(UnitVariant { name: self.name })
    }

    serde::forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An enum written as a string: a unit variant.
struct UnitVariant<'de> {
    name: JsonStr<'de>,
}

impl<'de> de::EnumAccess<'de> for UnitVariant<'de> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let variant = seed.deserialize(Key { name: self.name })?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value> {
        Err(DeError::CUSTOM)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(DeError::CUSTOM)
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], _visitor: V) -> Result<V::Value> {
        Err(DeError::CUSTOM)
    }
}

/// An enum written as `{"Variant": value}`, after the `{`.
struct VariantAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'de> de::EnumAccess<'de> for VariantAccess<'_, 'de> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        if self.de.peek() != Some(b'"') {
            return Err(DeError::CUSTOM);
        }
        let name = self.de.string()?;
        self.de.colon()?;
        let variant = seed.deserialize(Key { name })?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_, 'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(self.de)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(self.de, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(self.de, "", fields, visitor)
    }
}

/// The raw text of a string for [`JsonStr`]'s visitor: one member
/// `RAW_STR_TOKEN: raw`.
struct RawStr<'de> {
    raw: Option<&'de str>,
}

impl<'de> de::MapAccess<'de> for RawStr<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.raw.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(RAW_STR_TOKEN)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let raw = self.raw.take().ok_or(DeError::CUSTOM)?;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(raw))
    }
}

/// `Deserialize` for [`JsonStr`]: from this crate's deserializer, the string
/// as written, unescaped lazily (escapes are fine); from any other, a
/// borrowed string that needs no escaping.
impl<'de: 'a, 'a> de::Deserialize<'de> for JsonStr<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_STR_TOKEN, JsonStrVisitor)
    }
}

struct JsonStrVisitor;

/// Text another deserializer lends as already unescaped is a valid raw
/// JSON string only when it has nothing to escape.
fn plain<E: de::Error>(s: &str) -> Result<JsonStr<'_>, E> {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        return Err(E::invalid_value(de::Unexpected::Str(""), &"a string without characters to escape"));
    }
    Ok(JsonStr::new(s, false))
}

impl<'de> Visitor<'de> for JsonStrVisitor {
    type Value = JsonStr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a borrowed JSON string")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key::<&'de str>()? {
            Some(RAW_STR_TOKEN) => {
                let raw: &'de str = map.next_value()?;
                Ok(JsonStr::new(raw, raw.contains('\\')))
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        plain(<&'de str as de::Deserialize<'de>>::deserialize(deserializer)?)
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        plain(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_grammar_for_keys() {
        for ok in ["0", "-0", "12", "-3.5", "1e5", "1E+5", "2.5e-3"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", "-", "01", "+1", "1.", ".5", "1e", "1e+", "inf", "NaN", "1x", " 1"] {
            assert!(!is_number(bad), "{bad}");
        }
    }
}
