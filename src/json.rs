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
//!
//! Offsets use `wrapping_add`: `scan_object` refuses documents of 2^32 bytes
//! or more, so an offset plus the few bytes it advances cannot wrap, and the
//! hot loop avoids the cost of saturating arithmetic. Every read is a
//! checked `get`, so a wrong offset would be an error, never a panic.

use crate::Error;
use crate::json_str::Unescaped;
pub(crate) use crate::value::JsonKind as Kind;

/// The deepest nesting [`Validation::max_depth`](crate::Validation::max_depth)
/// can allow: one bit per level in a `u64`.
pub const MAX_DEPTH_LIMIT: usize = 64;

/// Member names remembered for the duplicate check (names of all objects that
/// are open at once). An object with more names keeps working, by rescanning
/// its earlier names: correct, but quadratic in that object's size. Headers
/// are capped at [`MAX_HEADER_LEN`](crate::MAX_HEADER_LEN) bytes, so an
/// unauthenticated token cannot make that cost large.
const KEY_SLOTS: usize = 128;

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
/// member of that root object, in document order: the fingerprint of its
/// name (see [`fingerprint_short`]) and its value.
///
/// `Malformed` when `doc` is not an RFC 8259 text whose value is an object,
/// when an object repeats a member name, or when containers nest deeper than
/// `max_depth` (the root object is depth 1).
///
/// One loop with the position in a local: the states are "a value starts
/// here" (`'value`) and "a value just ended" (the inner loop). Containers are
/// tracked in a bit stack, not by recursion, so hostile nesting costs no
/// native stack.
pub(crate) fn scan_object(
    doc: &str,
    max_depth: usize,
    names: &mut Names,
    mut member: impl FnMut(u64, Value),
) -> Result<(), Error> {
    let doc = doc.as_bytes();
    if u32::try_from(doc.len()).is_err() {
        return Err(Error::TooLarge);
    }
    let max_depth = if max_depth < MAX_DEPTH_LIMIT { max_depth } else { MAX_DEPTH_LIMIT };
    names.slots = 0;
    // Open containers, and bit `d - 1` set when the one at depth `d` is an object.
    let mut depth = 0usize;
    let mut objects = 0u64;
    // The root member whose value is being scanned.
    let mut top_name = 0u64;
    let mut top_start = 0usize;

    let mut pos = skip_ws(doc, 0);
    if doc.get(pos) != Some(&b'{') {
        return Err(Error::Malformed);
    }
    'value: loop {
        pos = skip_ws(doc, pos);
        let mut value = Value { kind: Kind::Null, start: pos, end: pos, escaped: false };
        match doc.get(pos).copied() {
            Some(open @ (b'{' | b'[')) => {
                if depth >= max_depth {
                    return Err(Error::Malformed);
                }
                let object = open == b'{';
                let bit = 1u64 << depth;
                if object {
                    objects |= bit;
                    names.open(depth, pos);
                } else {
                    objects &= !bit;
                }
                if depth == 1 {
                    top_start = pos;
                }
                depth = depth.wrapping_add(1);
                pos = skip_ws(doc, pos.wrapping_add(1));
                let close = if object { b'}' } else { b']' };
                if doc.get(pos) == Some(&close) {
                    pos = pos.wrapping_add(1);
                    if object {
                        names.close(depth);
                    }
                    depth = depth.wrapping_sub(1);
                    if depth == 0 {
                        return end_of_document(doc, pos);
                    }
                    value.kind = if object { Kind::Object } else { Kind::Array };
                    value.end = pos;
                } else {
                    if object {
                        let (after, name) = names.key(doc, pos, depth)?;
                        if depth == 1 {
                            top_name = name;
                        }
                        pos = colon(doc, after)?;
                    }
                    continue 'value;
                }
            }
            Some(b'"') => {
                let start = pos.wrapping_add(1);
                let (end, escaped) = string(doc, start)?;
                value = Value { kind: Kind::String, start, end, escaped };
                pos = end.wrapping_add(1);
            }
            Some(b'-' | b'0'..=b'9') => {
                pos = number(doc, pos)?;
                value.kind = Kind::Number;
                value.end = pos;
            }
            Some(b't') => {
                pos = literal(doc, pos, b"true")?;
                value.kind = Kind::Bool;
                value.end = pos;
            }
            Some(b'f') => {
                pos = literal(doc, pos, b"false")?;
                value.kind = Kind::Bool;
                value.end = pos;
            }
            Some(b'n') => {
                pos = literal(doc, pos, b"null")?;
                value.end = pos;
            }
            _ => return Err(Error::Malformed),
        }

        // A value just ended; `depth` is that of the container holding it.
        loop {
            if depth == 1 {
                member(top_name, value);
            }
            pos = skip_ws(doc, pos);
            let object = (objects >> depth.wrapping_sub(1)) & 1 == 1;
            match doc.get(pos).copied() {
                Some(b',') => {
                    pos = pos.wrapping_add(1);
                    if object {
                        let (after, name) = names.key(doc, skip_ws(doc, pos), depth)?;
                        if depth == 1 {
                            top_name = name;
                        }
                        pos = colon(doc, after)?;
                    }
                    continue 'value;
                }
                Some(b'}') if object => names.close(depth),
                Some(b']') if !object => {}
                _ => return Err(Error::Malformed),
            }
            pos = pos.wrapping_add(1);
            depth = depth.wrapping_sub(1);
            if depth == 0 {
                return end_of_document(doc, pos);
            }
            value = Value {
                kind: if object { Kind::Object } else { Kind::Array },
                start: top_start,
                end: pos,
                escaped: false,
            };
        }
    }
}

/// After the root object: only whitespace may follow (RFC 8259 §2).
fn end_of_document(doc: &[u8], pos: usize) -> Result<(), Error> {
    if skip_ws(doc, pos) == doc.len() { Ok(()) } else { Err(Error::Malformed) }
}

/// RFC 8259 §2: only these four are whitespace. Tokens rarely hold any, so
/// the first test is the common exit.
#[inline(always)]
pub(crate) fn skip_ws(doc: &[u8], mut pos: usize) -> usize {
    while let Some(&b) = doc.get(pos) {
        if b > b' ' || !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            break;
        }
        pos = pos.wrapping_add(1);
    }
    pos
}

/// Whitespace, a colon, whitespace; returns where the value starts.
#[inline(always)]
fn colon(doc: &[u8], pos: usize) -> Result<usize, Error> {
    let pos = skip_ws(doc, pos);
    if doc.get(pos) != Some(&b':') {
        return Err(Error::Malformed);
    }
    Ok(skip_ws(doc, pos.wrapping_add(1)))
}

#[inline(always)]
fn literal(doc: &[u8], pos: usize, word: &[u8]) -> Result<usize, Error> {
    let end = pos.wrapping_add(word.len());
    if doc.get(pos..end) == Some(word) { Ok(end) } else { Err(Error::Malformed) }
}

/// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`;
/// returns the end. A leading zero followed by a digit fails in the caller,
/// which then finds a digit where a delimiter must be.
#[inline(always)]
fn number(doc: &[u8], mut pos: usize) -> Result<usize, Error> {
    if doc.get(pos) == Some(&b'-') {
        pos = pos.wrapping_add(1);
    }
    match doc.get(pos) {
        Some(b'0') => pos = pos.wrapping_add(1),
        Some(b'1'..=b'9') => pos = digits(doc, pos),
        _ => return Err(Error::Malformed),
    }
    if doc.get(pos) == Some(&b'.') {
        pos = digits1(doc, pos.wrapping_add(1))?;
    }
    if let Some(b'e' | b'E') = doc.get(pos) {
        pos = pos.wrapping_add(1);
        if let Some(b'+' | b'-') = doc.get(pos) {
            pos = pos.wrapping_add(1);
        }
        pos = digits1(doc, pos)?;
    }
    Ok(pos)
}

#[inline(always)]
fn digits(doc: &[u8], mut pos: usize) -> usize {
    while let Some(b'0'..=b'9') = doc.get(pos) {
        pos = pos.wrapping_add(1);
    }
    pos
}

#[inline(always)]
fn digits1(doc: &[u8], pos: usize) -> Result<usize, Error> {
    match doc.get(pos) {
        Some(b'0'..=b'9') => Ok(digits(doc, pos)),
        _ => Err(Error::Malformed),
    }
}

/// String content from `start` (after the opening quote): returns the offset
/// of the closing quote and whether an escape occurred. Raw control
/// characters and bad escapes are `Malformed` (RFC 8259 §7).
#[inline(always)]
fn string(doc: &[u8], start: usize) -> Result<(usize, bool), Error> {
    let mut pos = find_special(doc, start);
    let mut escaped = false;
    loop {
        match doc.get(pos) {
            Some(b'"') => return Ok((pos, escaped)),
            Some(b'\\') => {
                escaped = true;
                pos = find_special(doc, escape(doc, pos.wrapping_add(1))?);
            }
            // A control character or the end of the input.
            _ => return Err(Error::Malformed),
        }
    }
}

/// After a backslash; returns the offset after the escape. A `\u` surrogate
/// must form a pair: a lone one cannot be unescaped into UTF-8.
fn escape(doc: &[u8], pos: usize) -> Result<usize, Error> {
    match doc.get(pos) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(pos.wrapping_add(1)),
        Some(b'u') => {
            let unit = hex4(doc, pos.wrapping_add(1))?;
            let after = pos.wrapping_add(5);
            if is_high_surrogate(unit) {
                let low_start = after.wrapping_add(2);
                if doc.get(after..low_start) != Some(b"\\u") || !is_low_surrogate(hex4(doc, low_start)?) {
                    return Err(Error::Malformed);
                }
                Ok(low_start.wrapping_add(4))
            } else if is_low_surrogate(unit) {
                Err(Error::Malformed)
            } else {
                Ok(after)
            }
        }
        _ => Err(Error::Malformed),
    }
}

fn hex4(doc: &[u8], pos: usize) -> Result<u16, Error> {
    doc.get(pos..pos.wrapping_add(4)).and_then(parse_hex4).ok_or(Error::Malformed)
}

/// Fingerprints tell member names apart by their *unescaped* bytes. A name
/// of up to 7 bytes is packed whole, with its length in the top byte, so two
/// such names are equal iff their fingerprints are. A longer name gets a
/// 56-bit mix of its length, first 8 and last 8 bytes under a top byte of
/// `0xFF`: cheap to compute, and equal fingerprints then still need an exact
/// comparison (names that share those bytes cost only that comparison).
pub(crate) const fn fingerprint_short(name: &[u8]) -> u64 {
    let mut fp = (name.len() as u64) << 56;
    let mut rest = name;
    let mut shift = 0u32;
    while let [b, tail @ ..] = rest {
        if shift == 56 {
            break;
        }
        fp |= (*b as u64) << shift;
        shift = shift.wrapping_add(8);
        rest = tail;
    }
    fp
}

/// [`fingerprint_short`] of a name of `len <= 7` bytes that fills the low
/// `len` bytes of `word` (read little-endian from its first byte).
#[inline(always)]
fn short_fingerprint(word: u64, len: usize) -> u64 {
    let mask = 1u64.checked_shl((len as u32).wrapping_mul(8)).unwrap_or(0).wrapping_sub(1);
    (word & mask) | ((len as u64) << 56)
}

const HASHED: u64 = 0xFF << 56;

fn is_exact(fingerprint: u64) -> bool {
    fingerprint < HASHED
}

#[inline(always)]
fn long_fingerprint(len: usize, first: u64, last: u64) -> u64 {
    let mix = |h: u64, w: u64| (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    let h = mix(mix(len as u64, first), last).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    (h >> 8) | HASHED
}

/// The fingerprint of the name whose content (escapes included) is
/// `doc[start..end]`.
#[inline(always)]
fn fingerprint(doc: &[u8], start: usize, end: usize, escaped: bool) -> u64 {
    let len = end.wrapping_sub(start);
    if !escaped {
        // The closing quote follows the name, so a whole word can usually be
        // read from `start`.
        let first = doc.get(start..).and_then(<[u8]>::first_chunk::<8>).map(|w| u64::from_le_bytes(*w));
        if let Some(first) = first {
            if len <= 7 {
                return short_fingerprint(first, len);
            }
            let last = doc.get(..end).and_then(<[u8]>::last_chunk::<8>).map_or(0, |w| u64::from_le_bytes(*w));
            return long_fingerprint(len, first, last);
        }
    }
    let raw = doc.get(start..end).unwrap_or_default();
    if escaped { fingerprint_of_bytes(Unescaped::new(raw)) } else { fingerprint_of_bytes(raw.iter().copied()) }
}

/// The same fingerprint from the unescaped bytes one at a time: for escaped
/// names, and short names at the very end of a document.
#[cold]
fn fingerprint_of_bytes(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut first = 0u64;
    let mut last = 0u64;
    let mut len = 0usize;
    for b in bytes {
        if len < 8 {
            first |= u64::from(b) << (len as u32).wrapping_mul(8);
        }
        last = (last >> 8) | (u64::from(b) << 56);
        len = len.wrapping_add(1);
    }
    if len <= 7 { first | ((len as u64) << 56) } else { long_fingerprint(len, first, last) }
}

/// A frame records an open object: the offset of its `{` (low 32 bits), the
/// index of its first slot (bits 32..40) and whether some of its names did not
/// fit the slots (bit 63).
const FRAME_OVERFLOWED: u64 = 1 << 63;

/// The names of the open objects, for the duplicate check (RFC 7515 §4,
/// RFC 7519 §4 ask for unique names; a repeat is refused rather than
/// resolved, so no two readers of the token can disagree on a value).
pub(crate) struct Names {
    /// Fingerprints and content offsets of the names, innermost object last.
    fingerprints: [u64; KEY_SLOTS],
    starts: [u32; KEY_SLOTS],
    slots: usize,
    /// Indexed by depth; only object levels are used.
    frames: [u64; MAX_DEPTH_LIMIT],
}

impl Names {
    pub(crate) fn new() -> Self {
        Names { fingerprints: [0; KEY_SLOTS], starts: [0; KEY_SLOTS], slots: 0, frames: [0; MAX_DEPTH_LIMIT] }
    }

    /// An object opens at `depth` (0 for the root), its `{` at `pos`.
    #[inline(always)]
    fn open(&mut self, depth: usize, pos: usize) {
        if let Some(frame) = self.frames.get_mut(depth) {
            *frame = (pos as u64) | ((self.slots as u64) << 32);
        }
    }

    /// The object at `depth` (1 for the root) closes: forget its names.
    #[inline(always)]
    fn close(&mut self, depth: usize) {
        if let Some(&frame) = self.frames.get(depth.wrapping_sub(1)) {
            self.slots = ((frame >> 32) & 0xFF) as usize;
        }
    }

    /// A member name at `pos` (its opening quote) in the object at `depth`:
    /// scanned, checked against the object's earlier names, remembered.
    /// Returns the offset after the closing quote and the fingerprint.
    #[inline(always)]
    fn key(&mut self, doc: &[u8], pos: usize, depth: usize) -> Result<(usize, u64), Error> {
        if doc.get(pos) != Some(&b'"') {
            return Err(Error::Malformed);
        }
        let start = pos.wrapping_add(1);
        // Most names are short: one word holds the name and its closing
        // quote, and gives the fingerprint too.
        if let Some(word) = doc.get(start..).and_then(<[u8]>::first_chunk::<8>) {
            let x = u64::from_le_bytes(*word);
            let found = special_lanes(x);
            let len = (found.trailing_zeros() / 8) as usize;
            if found != 0 && word.get(len) == Some(&b'"') {
                let fingerprint = short_fingerprint(x, len);
                let end = start.wrapping_add(len);
                self.check_and_push(doc, start, end, false, fingerprint, depth)?;
                return Ok((end.wrapping_add(1), fingerprint));
            }
        }
        let (end, escaped) = string(doc, start)?;
        let fingerprint = fingerprint(doc, start, end, escaped);
        self.check_and_push(doc, start, end, escaped, fingerprint, depth)?;
        Ok((end.wrapping_add(1), fingerprint))
    }

    #[inline(always)]
    fn check_and_push(
        &mut self,
        doc: &[u8],
        start: usize,
        end: usize,
        escaped: bool,
        fingerprint: u64,
        depth: usize,
    ) -> Result<(), Error> {
        let level = depth.wrapping_sub(1);
        let frame = self.frames.get(level).copied().unwrap_or(FRAME_OVERFLOWED);
        let first = ((frame >> 32) & 0xFF) as usize;
        let earlier = self.fingerprints.get(first..self.slots).unwrap_or_default();
        // Branch-free over the (few) earlier names of this object.
        let mut seen = false;
        for &f in earlier {
            seen |= f == fingerprint;
        }
        if frame & FRAME_OVERFLOWED != 0 || seen {
            self.check_slow(doc, start, end, escaped, fingerprint, frame)?;
        }
        match (self.fingerprints.get_mut(self.slots), self.starts.get_mut(self.slots)) {
            (Some(f), Some(s)) if frame & FRAME_OVERFLOWED == 0 => {
                *f = fingerprint;
                *s = start as u32;
                self.slots = self.slots.wrapping_add(1);
            }
            _ => {
                if let Some(f) = self.frames.get_mut(level) {
                    *f |= FRAME_OVERFLOWED;
                }
            }
        }
        Ok(())
    }

    /// An equal fingerprint, or an object with more names than the slots.
    #[cold]
    fn check_slow(
        &self,
        doc: &[u8],
        start: usize,
        end: usize,
        escaped: bool,
        fingerprint: u64,
        frame: u64,
    ) -> Result<(), Error> {
        let name = doc.get(start..end).unwrap_or_default();
        if frame & FRAME_OVERFLOWED != 0 {
            return match rescan_has_name(doc, (frame & 0xFFFF_FFFF) as usize, start, name, escaped) {
                true => Err(Error::Malformed),
                false => Ok(()),
            };
        }
        if is_exact(fingerprint) {
            return Err(Error::Malformed);
        }
        // Hashed: compare exactly with each earlier name of that fingerprint.
        let first = ((frame >> 32) & 0xFF) as usize;
        let earlier = self.fingerprints.get(first..self.slots).unwrap_or_default();
        let starts = self.starts.get(first..self.slots).unwrap_or_default();
        for (&f, &other_start) in earlier.iter().zip(starts) {
            if f == fingerprint {
                let other_start = other_start as usize;
                let (other_end, other_escaped) = string_end(doc, other_start);
                let other = doc.get(other_start..other_end).unwrap_or_default();
                if names_equal(name, escaped, other, other_escaped) {
                    return Err(Error::Malformed);
                }
            }
        }
        Ok(())
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Bit 7 of a byte lane is set in the result when that lane of `x` is below
/// `n` (for `n <= 128`). Borrows only run upwards, so the lowest flagged lane
/// is always a true one, which is all `find_special` needs.
#[inline(always)]
fn lanes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(LO.wrapping_mul(u64::from(n))) & !x & HI
}

#[inline(always)]
pub(crate) fn lanes_equal(x: u64, b: u8) -> u64 {
    lanes_below(x ^ LO.wrapping_mul(u64::from(b)), 1)
}

#[inline(always)]
fn is_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// Bit 7 of each lane holding `"`, `\` or a control character (the lowest
/// flagged lane is exact). XOR with 0x02 maps `"` to 0x20 and keeps 0x00..=0x1F
/// below 0x20, so one range test finds both.
#[inline(always)]
fn special_lanes(x: u64) -> u64 {
    lanes_below(x ^ LO.wrapping_mul(0x02), 0x21) | lanes_equal(x, b'\\')
}

/// The offset of the first byte at or after `pos` that needs attention inside
/// a string (`"`, `\` or a control character), or `doc.len()`. Sixteen, then
/// eight bytes a step: the lowest flagged lane is the answer.
#[inline(always)]
fn find_special(doc: &[u8], mut pos: usize) -> usize {
    while let Some(words) = doc.get(pos..).and_then(<[u8]>::first_chunk::<16>) {
        let (a, b) = words.split_at(8);
        let a = special_lanes(u64::from_le_bytes(a.try_into().unwrap_or([0; 8])));
        let b = special_lanes(u64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
        if a | b != 0 {
            let offset = if a != 0 { a.trailing_zeros() / 8 } else { (b.trailing_zeros() / 8).wrapping_add(8) };
            return pos.wrapping_add(offset as usize);
        }
        pos = pos.wrapping_add(16);
    }
    if let Some(word) = doc.get(pos..).and_then(<[u8]>::first_chunk::<8>) {
        let found = special_lanes(u64::from_le_bytes(*word));
        if found != 0 {
            return pos.wrapping_add((found.trailing_zeros() / 8) as usize);
        }
        pos = pos.wrapping_add(8);
    }
    while let Some(&b) = doc.get(pos) {
        if is_special(b) {
            break;
        }
        pos = pos.wrapping_add(1);
    }
    pos
}

/// On validated text: from a string's content start to its end (the closing
/// quote), and whether it holds an escape.
pub(crate) fn string_end(doc: &[u8], mut pos: usize) -> (usize, bool) {
    let mut escaped = false;
    loop {
        pos = find_special(doc, pos);
        match doc.get(pos) {
            Some(b'\\') => {
                escaped = true;
                // Every escape is at least two bytes; the rest of a `\uXXXX`
                // is plain content.
                pos = pos.wrapping_add(2);
            }
            Some(b'"') | None => return (pos.min(doc.len()), escaped),
            // Control bytes never occur in validated strings; step over.
            Some(_) => pos = pos.wrapping_add(1),
        }
    }
}

/// On validated text: the end of the value starting at `pos`.
pub(crate) fn value_end(doc: &[u8], pos: usize) -> usize {
    match doc.get(pos) {
        Some(b'"') => string_end(doc, pos.wrapping_add(1)).0.wrapping_add(1),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut p = pos;
            while let Some(&b) = doc.get(p) {
                match b {
                    b'"' => p = string_end(doc, p.wrapping_add(1)).0,
                    b'{' | b'[' => depth = depth.wrapping_add(1),
                    b'}' | b']' => {
                        depth = depth.wrapping_sub(1);
                        if depth == 0 {
                            return p.wrapping_add(1);
                        }
                    }
                    _ => {}
                }
                p = p.wrapping_add(1);
            }
            p
        }
        _ => {
            let mut p = pos;
            while let Some(&b) = doc.get(p) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                p = p.wrapping_add(1);
            }
            p
        }
    }
}

/// On validated text, inside an object at `pos` (after its `{` or after a
/// member's comma): the next member's name content `start..end`, whether it
/// holds an escape, and where its value starts; `None` at the closing brace.
pub(crate) fn next_member(doc: &[u8], pos: usize) -> Option<(usize, usize, bool, usize)> {
    let quote = skip_ws(doc, pos);
    if doc.get(quote) != Some(&b'"') {
        return None;
    }
    let start = quote.wrapping_add(1);
    let (end, escaped) = string_end(doc, start);
    let colon = skip_ws(doc, end.wrapping_add(1));
    Some((start, end, escaped, skip_ws(doc, colon.wrapping_add(1))))
}

/// On validated text: past the value ending at `end` and the comma after it,
/// if any.
pub(crate) fn after_value(doc: &[u8], end: usize) -> usize {
    let pos = skip_ws(doc, end);
    if doc.get(pos) == Some(&b',') { pos.wrapping_add(1) } else { pos }
}

/// The slow path of the duplicate check, for objects with more names than
/// `KEY_SLOTS`: walks the object's earlier members (already validated) and
/// compares each name.
fn rescan_has_name(doc: &[u8], open: usize, current: usize, name: &[u8], escaped: bool) -> bool {
    let mut pos = open.wrapping_add(1);
    while let Some((start, end, other_escaped, value)) = next_member(doc, pos) {
        if start >= current {
            break;
        }
        let other = doc.get(start..end).unwrap_or_default();
        if names_equal(name, escaped, other, other_escaped) {
            return true;
        }
        pos = after_value(doc, value_end(doc, value));
    }
    false
}

pub(crate) fn names_equal(a: &[u8], a_escaped: bool, b: &[u8], b_escaped: bool) -> bool {
    if !a_escaped && !b_escaped {
        return a == b;
    }
    Unescaped::new(a).eq(Unescaped::new(b))
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

    fn members(doc: &str) -> Result<Vec<(u64, Kind, String)>, Error> {
        let mut out = Vec::new();
        scan_object(doc, 32, &mut Names::new(), |k, v| {
            out.push((k, v.kind, doc[v.start..v.end].to_string()));
        })?;
        Ok(out)
    }

    fn check(doc: &str) -> Result<(), Error> {
        scan_object(doc, 32, &mut Names::new(), |_, _| {})
    }

    #[test]
    fn reports_root_members_with_kinds_and_ranges() {
        let m = members(r#" { "a" : 1 , "b":"x\ny", "c":[1,{"d":null}], "e":{}, "f":true, "g":false, "h":null } "#);
        assert_eq!(
            m.unwrap(),
            [
                (fingerprint_short(b"a"), Kind::Number, "1".into()),
                (fingerprint_short(b"b"), Kind::String, "x\\ny".into()),
                (fingerprint_short(b"c"), Kind::Array, r#"[1,{"d":null}]"#.into()),
                (fingerprint_short(b"e"), Kind::Object, "{}".into()),
                (fingerprint_short(b"f"), Kind::Bool, "true".into()),
                (fingerprint_short(b"g"), Kind::Bool, "false".into()),
                (fingerprint_short(b"h"), Kind::Null, "null".into()),
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
    // Exhaustive and slow under Miri; safe code, run natively by `cargo test`.
    #[cfg_attr(miri, ignore)]
    fn depth_limit_counts_the_root_object() {
        let nest = |d: usize| format!("{{\"a\":{}1{}}}", "[".repeat(d - 1), "]".repeat(d - 1));
        assert_eq!(scan_object(&nest(32), 32, &mut Names::new(), |_, _| {}), Ok(()));
        assert_eq!(scan_object(&nest(33), 32, &mut Names::new(), |_, _| {}), Err(Error::Malformed));
        assert_eq!(scan_object("{}", 1, &mut Names::new(), |_, _| {}), Ok(()));
        assert_eq!(scan_object(r#"{"a":[]}"#, 1, &mut Names::new(), |_, _| {}), Err(Error::Malformed));
        assert_eq!(scan_object("{}", 0, &mut Names::new(), |_, _| {}), Err(Error::Malformed));
        assert_eq!(scan_object(&nest(64), 1000, &mut Names::new(), |_, _| {}), Ok(()));
        assert_eq!(scan_object(&nest(65), 1000, &mut Names::new(), |_, _| {}), Err(Error::Malformed));
        let deep = format!("{{\"a\":{}", "[".repeat(100_000));
        assert_eq!(scan_object(&deep, 32, &mut Names::new(), |_, _| {}), Err(Error::Malformed));
    }

    #[test]
    fn short_fingerprints_are_exact() {
        let names: [&[u8]; 9] = [b"", b"a", b"b", b"ab", b"ba", b"exp", b"exp\x01", b"abcdefg", b"abcdefh"];
        // Read at the very end of a document (bytewise) and with a word to spare.
        let fp = |name: &[u8]| {
            let tight = fingerprint(name, 0, name.len(), false);
            let padded = [name, b"\":0}"].concat();
            assert_eq!(tight, fingerprint(&padded, 0, name.len(), false));
            tight
        };
        for a in names {
            assert!(is_exact(fp(a)));
            assert_eq!(fp(a), fingerprint_short(a));
            for b in names {
                assert_eq!(fp(a) == fp(b), a == b);
            }
        }
        assert!(!is_exact(fp(b"abcdefgh")));
        let escaped = br"\u0065xp";
        assert_eq!(fingerprint(escaped, 0, escaped.len(), true), fingerprint_short(b"exp"));
    }

    #[test]
    fn fingerprint_is_the_same_with_and_without_escapes() {
        for name in ["", "a", "exp", "abcdefgh", "abcdefghi", "user_metadata_long_name"] {
            let escaped: String = name.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
            assert_eq!(
                fingerprint(name.as_bytes(), 0, name.len(), false),
                fingerprint(escaped.as_bytes(), 0, escaped.len(), true),
                "{name}"
            );
        }
    }

    #[test]
    // Exhaustive and slow under Miri; safe code, run natively by `cargo test`.
    #[cfg_attr(miri, ignore)]
    fn find_special_agrees_with_the_bytewise_rule_for_every_byte_and_lane() {
        for b in 0..=255u8 {
            for at in 0..40 {
                let mut doc = vec![b'a'; 40];
                doc[at] = b;
                let expected = if is_special(b) { at } else { doc.len() };
                assert_eq!(find_special(&doc, 0), expected, "byte {b:#04x} at {at}");
            }
        }
    }

    #[test]
    // Exhaustive and slow under Miri; safe code, run natively by `cargo test`.
    #[cfg_attr(miri, ignore)]
    fn find_special_stops_at_the_first_special_byte_in_every_lane() {
        for special in [b'"', b'\\', 0x00, 0x1F] {
            for at in 0..20 {
                let mut doc = vec![b'a'; 24];
                doc[at] = special;
                assert_eq!(find_special(&doc, 0), at);
                // A second special byte later in the word does not matter.
                if at + 3 < doc.len() {
                    doc[at + 3] = b'\\';
                    assert_eq!(find_special(&doc, 0), at);
                }
            }
        }
        assert_eq!(find_special("é\u{7f}ab".as_bytes(), 0), 5);
        assert_eq!(find_special(b"abcdefghijklmnop", 3), 16);
        assert_eq!(find_special(b"abcdefghijklmno\"", 9), 15);
    }
}
