//! A strict RFC 8259 scanner for one JSON object, without allocation.
//!
//! It validates the whole document (ignored members included), rejects a
//! member name repeated in any object (compared after unescaping), bounds the
//! nesting depth, and reports the root object's members in document order.
//! Nothing is built: values are byte ranges into the document, and strings are
//! unescaped lazily by [`JsonStr`].
//!
//! The caller validates UTF-8 first (`core::str::from_utf8`), so the scanner
//! only looks at ASCII structure: any byte of 0x80 and above is string content.

use crate::Error;
pub use crate::json_str::JsonStr;
use crate::json_str::Unescaped;

/// The deepest nesting [`Validation::max_depth`](crate::Validation::max_depth)
/// can allow: one bit per level in a `u64`.
pub const MAX_DEPTH_LIMIT: usize = 64;

/// Member names remembered for the duplicate check (names of all objects that
/// are open at once). An object with more names keeps working, by rescanning
/// its earlier names: correct, but quadratic in that object's size. Headers
/// are capped at [`MAX_HEADER_LEN`](crate::MAX_HEADER_LEN) bytes, so an
/// unauthenticated token cannot make that cost large.
const KEY_SLOTS: usize = 128;

/// The JSON type of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

/// A value found in the document: `start..end` is its text, except for a
/// string, where it is the content between the quotes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Value {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// For a string: whether the content holds a backslash escape.
    pub(crate) escaped: bool,
}

/// Validates `doc` as exactly one JSON object and calls `member` with each
/// member of that root object, in document order.
///
/// `Malformed` when `doc` is not an RFC 8259 text whose value is an object,
/// when an object repeats a member name, or when containers nest deeper than
/// `max_depth` (the root object is depth 1).
pub(crate) fn scan_object<'a>(
    doc: &'a str,
    max_depth: usize,
    mut member: impl FnMut(JsonStr<'a>, Value),
) -> Result<(), Error> {
    if u32::try_from(doc.len()).is_err() {
        return Err(Error::TooLarge);
    }
    let mut s = Scanner {
        doc: doc.as_bytes(),
        pos: 0,
        depth: 0,
        max_depth: if max_depth < MAX_DEPTH_LIMIT { max_depth } else { MAX_DEPTH_LIMIT },
        objects: 0,
        keys: Keys { slots: [Slot::default(); KEY_SLOTS], len: 0, frames: [Frame::default(); MAX_DEPTH_LIMIT] },
    };
    s.skip_ws();
    if s.peek() != Some(b'{') {
        return Err(Error::Malformed);
    }
    s.open()?;
    s.skip_ws();
    if s.peek() == Some(b'}') {
        s.bump();
    } else {
        loop {
            let (start, end, escaped) = s.key()?;
            let name = doc.get(start..end).ok_or(Error::Malformed)?;
            s.skip_ws();
            s.expect(b':')?;
            s.skip_ws();
            let value = s.value()?;
            member(JsonStr::new(name, escaped), value);
            s.skip_ws();
            match s.next() {
                Some(b',') => s.skip_ws(),
                Some(b'}') => break,
                _ => return Err(Error::Malformed),
            }
        }
    }
    s.skip_ws();
    if s.pos != s.doc.len() {
        return Err(Error::Malformed);
    }
    Ok(())
}

#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u32,
    /// Offset of the name's content (after the opening quote).
    start: u32,
}

#[derive(Clone, Copy, Default)]
struct Frame {
    /// Offset of the object's `{`.
    open: u32,
    /// Index of the object's first slot.
    first: u8,
    /// Some of the object's names did not fit in the slots.
    overflowed: bool,
}

struct Keys {
    slots: [Slot; KEY_SLOTS],
    len: usize,
    /// Indexed by depth - 1; only object levels are used.
    frames: [Frame; MAX_DEPTH_LIMIT],
}

struct Scanner<'a> {
    doc: &'a [u8],
    pos: usize,
    /// Open containers.
    depth: usize,
    max_depth: usize,
    /// Bit `d - 1` is set when the container at depth `d` is an object.
    objects: u64,
    keys: Keys,
}

#[derive(Clone, Copy)]
enum Expect {
    /// Just after `{` or `[`: a member/element or the closing bracket.
    FirstOrClose,
    /// After a comma: a member/element.
    Element,
    /// After a member/element: a comma or the closing bracket.
    CommaOrClose,
}

impl<'a> Scanner<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.doc.get(self.pos).copied()
    }

    #[inline(always)]
    fn bump(&mut self) {
        // `pos` never exceeds `doc.len()`, far from `usize::MAX`.
        self.pos = self.pos.saturating_add(1);
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.bump();
        b
    }

    #[inline(always)]
    fn expect(&mut self, b: u8) -> Result<(), Error> {
        if self.next() == Some(b) { Ok(()) } else { Err(Error::Malformed) }
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        // RFC 8259 §2: only these four are whitespace.
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn in_object(&self) -> bool {
        let level = self.depth.saturating_sub(1);
        self.depth > 0 && self.objects.checked_shr(level as u32).unwrap_or(0) & 1 == 1
    }

    /// Consumes `{` or `[` and enters the container.
    fn open(&mut self) -> Result<(), Error> {
        if self.depth >= self.max_depth {
            return Err(Error::Malformed);
        }
        let bit = 1u64.checked_shl(self.depth as u32).unwrap_or(0);
        if self.peek() == Some(b'{') {
            self.objects |= bit;
            let frame = Frame { open: self.pos as u32, first: self.keys.len as u8, overflowed: false };
            if let Some(f) = self.keys.frames.get_mut(self.depth) {
                *f = frame;
            }
        } else {
            self.objects &= !bit;
        }
        self.depth = self.depth.saturating_add(1);
        self.bump();
        Ok(())
    }

    /// Leaves the container; the caller has consumed its closing bracket.
    fn close(&mut self) {
        if self.in_object() {
            let level = self.depth.saturating_sub(1);
            if let Some(frame) = self.keys.frames.get(level) {
                self.keys.len = usize::from(frame.first);
            }
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn close_byte(&self) -> u8 {
        if self.in_object() { b'}' } else { b']' }
    }

    /// Any value; a container is scanned to its end.
    fn value(&mut self) -> Result<Value, Error> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => {
                self.container()?;
                Kind::Object
            }
            Some(b'[') => {
                self.container()?;
                Kind::Array
            }
            _ => return self.scalar(),
        };
        Ok(Value { kind, start, end: self.pos, escaped: false })
    }

    /// A string, number or literal.
    fn scalar(&mut self) -> Result<Value, Error> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'"') => {
                let (start, end, escaped) = self.string()?;
                return Ok(Value { kind: Kind::String, start, end, escaped });
            }
            Some(b't') => {
                self.literal(b"true")?;
                Kind::Bool
            }
            Some(b'f') => {
                self.literal(b"false")?;
                Kind::Bool
            }
            Some(b'n') => {
                self.literal(b"null")?;
                Kind::Null
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                Kind::Number
            }
            _ => return Err(Error::Malformed),
        };
        Ok(Value { kind, start, end: self.pos, escaped: false })
    }

    /// Scans a nested container iteratively, so hostile nesting costs no
    /// native stack.
    fn container(&mut self) -> Result<(), Error> {
        let base = self.depth;
        self.open()?;
        let mut expect = Expect::FirstOrClose;
        loop {
            self.skip_ws();
            match expect {
                Expect::FirstOrClose | Expect::Element => {
                    if matches!(expect, Expect::FirstOrClose) && self.peek() == Some(self.close_byte()) {
                        self.bump();
                        self.close();
                        if self.depth == base {
                            return Ok(());
                        }
                        expect = Expect::CommaOrClose;
                        continue;
                    }
                    if self.in_object() {
                        self.key()?;
                        self.skip_ws();
                        self.expect(b':')?;
                        self.skip_ws();
                    }
                    if let Some(b'{' | b'[') = self.peek() {
                        self.open()?;
                        expect = Expect::FirstOrClose;
                    } else {
                        self.scalar()?;
                        expect = Expect::CommaOrClose;
                    }
                }
                Expect::CommaOrClose => {
                    let close = self.close_byte();
                    match self.next() {
                        Some(b',') => expect = Expect::Element,
                        Some(b) if b == close => {
                            self.close();
                            if self.depth == base {
                                return Ok(());
                            }
                        }
                        _ => return Err(Error::Malformed),
                    }
                }
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Error> {
        let end = self.pos.saturating_add(word.len());
        if self.doc.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(Error::Malformed)
        }
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// A leading zero followed by a digit fails in the caller, which then sees
    /// a digit where a delimiter must be.
    fn number(&mut self) -> Result<(), Error> {
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.next() {
            Some(b'0') => {}
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Error::Malformed),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            self.digits1()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            self.digits1()?;
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump();
        }
    }

    fn digits1(&mut self) -> Result<(), Error> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(Error::Malformed),
        }
    }

    /// A member name: a string, checked against the names already seen in
    /// the same object.
    fn key(&mut self) -> Result<(usize, usize, bool), Error> {
        if self.peek() != Some(b'"') {
            return Err(Error::Malformed);
        }
        let (start, end, escaped) = self.string()?;
        self.check_new_key(start, end, escaped)?;
        Ok((start, end, escaped))
    }

    /// At an opening quote: consumes the string; returns the content range
    /// and whether it holds an escape.
    fn string(&mut self) -> Result<(usize, usize, bool), Error> {
        self.bump();
        let start = self.pos;
        let mut escaped = false;
        loop {
            self.pos = skip_plain(self.doc, self.pos);
            match self.next() {
                Some(b'"') => return Ok((start, self.pos.saturating_sub(1), escaped)),
                Some(b'\\') => {
                    escaped = true;
                    self.escape()?;
                }
                // A control character (RFC 8259 §7) or the end of the input.
                _ => return Err(Error::Malformed),
            }
        }
    }

    /// After a backslash (RFC 8259 §7). A `\u` surrogate must form a pair:
    /// a lone one cannot be unescaped into UTF-8.
    fn escape(&mut self) -> Result<(), Error> {
        match self.next() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(()),
            Some(b'u') => {
                let unit = self.hex4()?;
                if is_high_surrogate(unit) {
                    self.expect(b'\\')?;
                    self.expect(b'u')?;
                    if !is_low_surrogate(self.hex4()?) {
                        return Err(Error::Malformed);
                    }
                } else if is_low_surrogate(unit) {
                    return Err(Error::Malformed);
                }
                Ok(())
            }
            _ => Err(Error::Malformed),
        }
    }

    fn hex4(&mut self) -> Result<u16, Error> {
        let digits = self.doc.get(self.pos..self.pos.saturating_add(4)).ok_or(Error::Malformed)?;
        let unit = parse_hex4(digits).ok_or(Error::Malformed)?;
        self.pos = self.pos.saturating_add(4);
        Ok(unit)
    }

    /// Rejects a name already used in the innermost open object, and
    /// remembers it.
    fn check_new_key(&mut self, start: usize, end: usize, escaped: bool) -> Result<(), Error> {
        let doc = self.doc;
        let name = doc.get(start..end).ok_or(Error::Malformed)?;
        let hash = name_hash(name, escaped);
        let level = self.depth.saturating_sub(1);
        let keys = &mut self.keys;
        let frame = keys.frames.get_mut(level).ok_or(Error::Malformed)?;
        if frame.overflowed {
            if rescan_has_name(doc, frame.open as usize, start, name, escaped) {
                return Err(Error::Malformed);
            }
        } else {
            let earlier = keys.slots.get(usize::from(frame.first)..keys.len).unwrap_or_default();
            for slot in earlier {
                if slot.hash == hash {
                    let other_start = slot.start as usize;
                    let (other_end, other_escaped) = string_end(doc, other_start);
                    let other = doc.get(other_start..other_end).unwrap_or_default();
                    if names_equal(name, escaped, other, other_escaped) {
                        return Err(Error::Malformed);
                    }
                }
            }
        }
        match keys.slots.get_mut(keys.len) {
            Some(slot) if !frame.overflowed => {
                *slot = Slot { hash, start: start as u32 };
                keys.len = keys.len.saturating_add(1);
            }
            _ => frame.overflowed = true,
        }
        Ok(())
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Bit 7 of a byte lane is set in the result iff that lane of `x` is below
/// `n` (for `n <= 128`); exact as an any-lane test.
#[inline(always)]
fn lanes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(LO.wrapping_mul(u64::from(n))) & !x & HI
}

#[inline(always)]
fn lanes_equal(x: u64, b: u8) -> u64 {
    lanes_below(x ^ LO.wrapping_mul(u64::from(b)), 1)
}

/// Skips string content that needs no attention: everything but `"`, `\`
/// and control characters. Eight bytes per step while possible.
#[inline(always)]
fn skip_plain(doc: &[u8], mut pos: usize) -> usize {
    let rest = doc.get(pos..).unwrap_or_default();
    let (words, _) = rest.as_chunks::<8>();
    for word in words {
        let x = u64::from_le_bytes(*word);
        if lanes_equal(x, b'"') | lanes_equal(x, b'\\') | lanes_below(x, 0x20) != 0 {
            break;
        }
        pos = pos.saturating_add(8);
    }
    while let Some(&b) = doc.get(pos) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        pos = pos.saturating_add(1);
    }
    pos
}

/// On validated text: from a string's content start to its end (the closing
/// quote), and whether it holds an escape.
pub(crate) fn string_end(doc: &[u8], mut pos: usize) -> (usize, bool) {
    let mut escaped = false;
    loop {
        pos = skip_plain(doc, pos);
        match doc.get(pos) {
            Some(b'\\') => {
                escaped = true;
                // Every escape is at least two bytes; the rest of a `\uXXXX`
                // is plain content.
                pos = pos.saturating_add(2);
            }
            Some(b'"') | None => return (pos.min(doc.len()), escaped),
            // Control bytes never occur in validated strings; step over.
            Some(_) => pos = pos.saturating_add(1),
        }
    }
}

#[inline(always)]
fn skip_ws_at(doc: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = doc.get(pos) {
        pos = pos.saturating_add(1);
    }
    pos
}

/// On validated text: the end of the value starting at `pos`.
fn value_end(doc: &[u8], pos: usize) -> usize {
    match doc.get(pos) {
        Some(b'"') => string_end(doc, pos.saturating_add(1)).0.saturating_add(1),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut p = pos;
            while let Some(&b) = doc.get(p) {
                match b {
                    b'"' => p = string_end(doc, p.saturating_add(1)).0,
                    b'{' | b'[' => depth = depth.saturating_add(1),
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return p.saturating_add(1);
                        }
                    }
                    _ => {}
                }
                p = p.saturating_add(1);
            }
            p
        }
        _ => {
            let mut p = pos;
            while let Some(&b) = doc.get(p) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                p = p.saturating_add(1);
            }
            p
        }
    }
}

/// The slow path of the duplicate check, for objects with more names than
/// `KEY_SLOTS`: walks the object's earlier members (already validated) and
/// compares each name.
fn rescan_has_name(doc: &[u8], open: usize, current: usize, name: &[u8], escaped: bool) -> bool {
    let mut p = open.saturating_add(1);
    loop {
        p = skip_ws_at(doc, p);
        let start = p.saturating_add(1);
        if start >= current || doc.get(p) != Some(&b'"') {
            return false;
        }
        let (end, other_escaped) = string_end(doc, start);
        let other = doc.get(start..end).unwrap_or_default();
        if names_equal(name, escaped, other, other_escaped) {
            return true;
        }
        p = skip_ws_at(doc, end.saturating_add(1)); // the colon
        p = skip_ws_at(doc, p.saturating_add(1));
        p = value_end(doc, p);
        p = skip_ws_at(doc, p).saturating_add(1); // the comma
    }
}

pub(crate) fn names_equal(a: &[u8], a_escaped: bool, b: &[u8], b_escaped: bool) -> bool {
    if !a_escaped && !b_escaped {
        return a == b;
    }
    Unescaped::new(a).eq(Unescaped::new(b))
}

/// A hash of a name's unescaped bytes, eight bytes at a time. Collisions only
/// cost an exact comparison.
fn name_hash(raw: &[u8], escaped: bool) -> u32 {
    let mut h = Hasher::default();
    if escaped {
        Unescaped::new(raw).for_each(|b| h.push(b));
    } else {
        let (words, tail) = raw.as_chunks::<8>();
        for word in words {
            h.mix(u64::from_le_bytes(*word));
        }
        tail.iter().for_each(|&b| h.push(b));
    }
    h.finish()
}

#[derive(Default)]
struct Hasher {
    state: u64,
    word: u64,
    filled: u32,
    len: u64,
}

impl Hasher {
    #[inline(always)]
    fn mix(&mut self, word: u64) {
        self.state = (self.state ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
        self.len = self.len.wrapping_add(8);
    }

    #[inline(always)]
    fn push(&mut self, b: u8) {
        self.word |= u64::from(b).checked_shl(self.filled.wrapping_mul(8)).unwrap_or(0);
        self.filled = self.filled.wrapping_add(1);
        if self.filled == 8 {
            let word = self.word;
            self.word = 0;
            self.filled = 0;
            self.mix(word);
        }
    }

    fn finish(mut self) -> u32 {
        let len = self.len.wrapping_add(u64::from(self.filled));
        if self.filled > 0 {
            let word = self.word;
            self.mix(word);
        }
        let h = (self.state ^ len).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        (h >> 32) as u32
    }
}

pub(crate) fn is_high_surrogate(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

pub(crate) fn is_low_surrogate(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

pub(crate) fn parse_hex4(digits: &[u8]) -> Option<u16> {
    let mut unit = 0u16;
    for &d in digits {
        let v = match d {
            b'0'..=b'9' => d.wrapping_sub(b'0'),
            b'a'..=b'f' => d.wrapping_sub(b'a').wrapping_add(10),
            b'A'..=b'F' => d.wrapping_sub(b'A').wrapping_add(10),
            _ => return None,
        };
        unit = (unit << 4) | u16::from(v);
    }
    (digits.len() == 4).then_some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::string::{String, ToString};
    use std::vec::Vec;
    use std::{format, vec};

    fn members(doc: &str) -> Result<Vec<(String, Kind, String)>, Error> {
        let mut out = Vec::new();
        scan_object(doc, 32, |k, v| {
            out.push((k.to_string(), v.kind, doc[v.start..v.end].to_string()));
        })?;
        Ok(out)
    }

    fn check(doc: &str) -> Result<(), Error> {
        scan_object(doc, 32, |_, _| {})
    }

    #[test]
    fn reports_root_members_with_kinds_and_ranges() {
        let m = members(r#" { "a" : 1 , "b":"x\ny", "c":[1,{"d":null}], "e":{}, "f":true, "g":false, "h":null } "#);
        assert_eq!(
            m.unwrap(),
            [
                ("a".into(), Kind::Number, "1".into()),
                ("b".into(), Kind::String, "x\\ny".into()),
                ("c".into(), Kind::Array, r#"[1,{"d":null}]"#.into()),
                ("e".into(), Kind::Object, "{}".into()),
                ("f".into(), Kind::Bool, "true".into()),
                ("g".into(), Kind::Bool, "false".into()),
                ("h".into(), Kind::Null, "null".into()),
            ]
        );
    }

    #[test]
    fn accepts_valid_documents() {
        for doc in [
            "{}",
            " \t\r\n{ \t\r\n} \t\r\n",
            r#"{"a":-0.5e+10,"b":0,"c":1E-2,"d":123}"#,
            r#"{"a":"\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00"}"#,
            r#"{"a":[[[]]],"b":[{}],"c":{"d":{"e":[]}}}"#,
            "{\"z\u{00eb}\":\"\u{1F600}\"}",
            r#"{"a":{"x":1},"b":{"x":1}}"#,
            r#"{"a":"\u0000"}"#,
        ] {
            assert_eq!(check(doc), Ok(()), "{doc}");
        }
    }

    #[test]
    fn rejects_invalid_documents() {
        for doc in [
            "",
            " ",
            "[]",
            "\"a\"",
            "1",
            "{",
            "}",
            "{}{}",
            "{} x",
            "{,}",
            r#"{"a":1,}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":[,1]}"#,
            r#"{"a"}"#,
            r#"{"a":}"#,
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            r#"{'a':1}"#,
            r#"{"a":01}"#,
            r#"{"a":-}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":1e}"#,
            r#"{"a":+1}"#,
            r#"{"a":NaN}"#,
            r#"{"a":Infinity}"#,
            r#"{"a":tru}"#,
            r#"{"a":nul}"#,
            r#"{"a":True}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12"}"#,
            r#"{"a":"\uD800"}"#,
            r#"{"a":"\uDC00"}"#,
            r#"{"a":"\uD800\u0041"}"#,
            r#"{"a":"\uD800x"}"#,
            "{\"a\":\"\x01\"}",
            "{\"a\":\"\t\"}",
            "{\"a\":\"x}",
            "\u{feff}{}",
            "{\u{a0}}",
            "{\"a\":1}\0",
            r#"{"a":[}"#,
            r#"{"a":{]}"#,
            r#"{"a":[1}]"#,
        ] {
            assert_eq!(check(doc), Err(Error::Malformed), "{doc:?}");
        }
    }

    #[test]
    fn rejects_duplicate_names_after_unescaping_at_every_level() {
        for doc in [
            r#"{"a":1,"a":2}"#,
            r#"{"exp":1,"\u0065xp":2}"#,
            r#"{"\/":1,"/":2}"#,
            r#"{"x":{"b":1,"c":2,"b":3}}"#,
            r#"{"x":[{"b":1,"b":1}]}"#,
            r#"{"\uD83D\uDE00":1,"😀":2}"#,
            r#"{"a":1,"b":{"c":1},"a":2}"#,
        ] {
            assert_eq!(check(doc), Err(Error::Malformed), "{doc}");
        }
        // The same name in sibling or nested objects is fine.
        assert_eq!(check(r#"{"a":{"a":{"a":1}},"b":{"a":2}}"#), Ok(()));
        assert_eq!(check(r#"{"ab":1,"ba":2,"a":3,"b":4,"":5}"#), Ok(()));
    }

    #[test]
    fn duplicate_check_survives_objects_larger_than_the_slots() {
        for n in [KEY_SLOTS - 1, KEY_SLOTS, KEY_SLOTS + 1, 3 * KEY_SLOTS] {
            let names: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
            let body: Vec<String> = names.iter().map(|k| format!("\"{k}\":{{\"v\":1}}")).collect();
            let doc = format!("{{{}}}", body.join(","));
            assert_eq!(check(&doc), Ok(()), "{n} distinct names");
            for dup in [0, n / 2, n - 1] {
                // The repeated name at the end, written with an escape.
                let escaped = names[dup].replacen('k', "\\u006b", 1);
                let doc = format!("{{{},\"{escaped}\":2}}", body.join(","));
                assert_eq!(check(&doc), Err(Error::Malformed), "{n} names, repeat of #{dup}");
            }
            // Nested in an object that already filled the slots.
            let doc = format!("{{{},\"z\":{{\"q\":1,\"r\":[1],\"q\":2}}}}", body.join(","));
            assert_eq!(check(&doc), Err(Error::Malformed), "{n} names then nested duplicate");
        }
    }

    #[test]
    fn depth_limit_counts_the_root_object() {
        let nest = |d: usize| format!("{{\"a\":{}1{}}}", "[".repeat(d - 1), "]".repeat(d - 1));
        assert_eq!(scan_object(&nest(32), 32, |_, _| {}), Ok(()));
        assert_eq!(scan_object(&nest(33), 32, |_, _| {}), Err(Error::Malformed));
        assert_eq!(scan_object("{}", 1, |_, _| {}), Ok(()));
        assert_eq!(scan_object(r#"{"a":[]}"#, 1, |_, _| {}), Err(Error::Malformed));
        assert_eq!(scan_object("{}", 0, |_, _| {}), Err(Error::Malformed));
        assert_eq!(scan_object(&nest(64), 1000, |_, _| {}), Ok(()));
        assert_eq!(scan_object(&nest(65), 1000, |_, _| {}), Err(Error::Malformed));
        let deep = format!("{{\"a\":{}", "[".repeat(100_000));
        assert_eq!(scan_object(&deep, 32, |_, _| {}), Err(Error::Malformed));
    }

    #[test]
    fn hash_is_the_same_with_and_without_escapes() {
        for name in ["", "a", "exp", "abcdefgh", "abcdefghi", "user_metadata_long_name"] {
            let escaped: String = name.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
            assert_eq!(name_hash(name.as_bytes(), false), name_hash(escaped.as_bytes(), true), "{name}");
        }
    }

    #[test]
    fn skip_plain_stops_at_every_special_byte_in_every_lane() {
        for special in [b'"', b'\\', 0x00, 0x1F] {
            for at in 0..20 {
                let mut doc = vec![b'a'; 24];
                doc[at] = special;
                assert_eq!(skip_plain(&doc, 0), at);
            }
        }
        assert_eq!(skip_plain("é\u{7f}ab".as_bytes(), 0), 5);
    }
}
