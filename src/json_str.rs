//! [`JsonStr`]: a JSON string as written in a verified token, unescaped
//! lazily (RFC 8259 §7) without allocation.

use core::fmt;

use crate::Error;
use crate::json::{is_high_surrogate, is_low_surrogate, names_equal, parse_hex4};

/// A JSON string from a verified token, as written (escapes included),
/// unescaped on demand.
///
/// Comparisons decode escapes, so a `JsonStr` for `"\u0061uthenticated"`
/// equals `"authenticated"`, and `"Smith \u0026 Sons"` displays as
/// `Smith & Sons`. Nothing is allocated: unescape into your own buffer with
/// [`unescape_into`](JsonStr::unescape_into), or stream it with
/// [`Display`](fmt::Display) or [`chars`](JsonStr::chars).
///
/// ```
/// # use jwtcheck::JsonStr;
/// # fn show(s: JsonStr<'_>) {
/// if s == "authenticated" { /* escapes were decoded before comparing */ }
/// let mut buf = [0u8; 64];
/// let text: &str = s.unescape_into(&mut buf).unwrap_or("(too long)");
/// # let _ = text;
/// # }
/// ```
#[derive(Clone, Copy)]
pub struct JsonStr<'a> {
    raw: &'a str,
    escaped: bool,
}

impl<'a> JsonStr<'a> {
    /// `raw` must be the content of a JSON string that passed the scanner.
    pub(crate) const fn new(raw: &'a str, escaped: bool) -> Self {
        JsonStr { raw, escaped }
    }

    /// The string as written in the token, between the quotes, with its
    /// escapes (`Smith \u0026 Sons`).
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The string itself when it holds no escape, borrowed from the payload;
    /// `None` when it has escapes and so must be unescaped.
    ///
    /// **Never `unwrap` this on a claim.** It passes every ASCII test and
    /// returns `None` in production at the first name or e-mail address with
    /// a character the issuer escapes (Supabase's encoder writes `&`, `<`,
    /// `>` as `\u0026`, `\u003c`, `\u003e`). The accessors that are always
    /// right: `==` with a `&str` or `String` (escapes decoded first),
    /// [`Display`](fmt::Display) / `to_string()`, [`chars`](JsonStr::chars),
    /// and [`unescape_into`](JsonStr::unescape_into) for a `&str` in your
    /// buffer. Use `as_str` only as a fast path with a fallback:
    ///
    /// ```
    /// # use jwtcheck::JsonStr;
    /// fn with_text<R>(s: JsonStr<'_>, f: impl FnOnce(&str) -> R) -> Option<R> {
    ///     let mut buf = [0u8; 256];
    ///     match s.as_str() {
    ///         Some(text) => Some(f(text)),                         // no escapes: borrowed
    ///         None => s.unescape_into(&mut buf).ok().map(f),       // unescaped copy
    ///     }
    /// }
    /// ```
    pub fn as_str(&self) -> Option<&'a str> {
        (!self.escaped).then_some(self.raw)
    }

    /// Whether the string holds at least one backslash escape.
    pub fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// The unescaped characters.
    pub fn chars(&self) -> impl Iterator<Item = char> + 'a {
        Pieces::new(self.raw.as_bytes()).flat_map(|piece| {
            let (text, ch) = match piece {
                Piece::Text(t) => (core::str::from_utf8(t).unwrap_or_default(), None),
                Piece::Char(c) => ("", Some(c)),
            };
            text.chars().chain(ch)
        })
    }

    /// The length in bytes of the unescaped UTF-8 string.
    pub fn unescaped_len(&self) -> usize {
        if !self.escaped {
            return self.raw.len();
        }
        Pieces::new(self.raw.as_bytes())
            .map(|piece| match piece {
                Piece::Text(t) => t.len(),
                Piece::Char(c) => c.len_utf8(),
            })
            .fold(0usize, usize::saturating_add)
    }

    /// Unescapes into `buf` and returns the filled part as a `&str`;
    /// `Error::TooLarge` when `buf` is shorter than
    /// [`unescaped_len`](JsonStr::unescaped_len).
    pub fn unescape_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, Error> {
        let mut len = 0usize;
        for piece in Pieces::new(self.raw.as_bytes()) {
            let mut utf8 = [0u8; 4];
            let bytes = match piece {
                Piece::Text(t) => t,
                Piece::Char(c) => c.encode_utf8(&mut utf8).as_bytes(),
            };
            let end = len.checked_add(bytes.len()).ok_or(Error::TooLarge)?;
            buf.get_mut(len..end).ok_or(Error::TooLarge)?.copy_from_slice(bytes);
            len = end;
        }
        let filled = buf.get(..len).ok_or(Error::TooLarge)?;
        // Pieces of valid UTF-8 and whole chars: always valid.
        core::str::from_utf8(filled).map_err(|_| Error::Malformed)
    }

    /// Whether the unescaped string equals `other`, ignoring ASCII case.
    pub fn eq_ignore_ascii_case(&self, other: &str) -> bool {
        self.unescaped_len() == other.len()
            && Unescaped::new(self.raw.as_bytes()).zip(other.bytes()).all(|(a, b)| a.eq_ignore_ascii_case(&b))
    }
}

impl PartialEq<str> for JsonStr<'_> {
    fn eq(&self, other: &str) -> bool {
        if !self.escaped {
            return self.raw == other;
        }
        Unescaped::new(self.raw.as_bytes()).eq(other.bytes())
    }
}

impl PartialEq<&str> for JsonStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<JsonStr<'_>> for str {
    fn eq(&self, other: &JsonStr<'_>) -> bool {
        *other == *self
    }
}

impl PartialEq<JsonStr<'_>> for &str {
    fn eq(&self, other: &JsonStr<'_>) -> bool {
        *other == **self
    }
}

#[cfg(feature = "alloc")]
impl PartialEq<alloc::string::String> for JsonStr<'_> {
    fn eq(&self, other: &alloc::string::String) -> bool {
        *self == **other
    }
}

#[cfg(feature = "alloc")]
impl PartialEq<JsonStr<'_>> for alloc::string::String {
    fn eq(&self, other: &JsonStr<'_>) -> bool {
        *other == **self
    }
}

impl PartialEq for JsonStr<'_> {
    /// Equal when the unescaped strings are equal.
    fn eq(&self, other: &JsonStr<'_>) -> bool {
        names_equal(self.raw.as_bytes(), self.escaped, other.raw.as_bytes(), other.escaped)
    }
}

impl Eq for JsonStr<'_> {}

impl fmt::Display for JsonStr<'_> {
    /// Writes the unescaped string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in Pieces::new(self.raw.as_bytes()) {
            match piece {
                Piece::Text(t) => f.write_str(core::str::from_utf8(t).unwrap_or_default())?,
                Piece::Char(c) => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for JsonStr<'_> {
    /// The unescaped string, quoted like a Rust string literal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Write::write_char(f, '"')?;
        for c in self.chars() {
            for e in c.escape_debug() {
                fmt::Write::write_char(f, e)?;
            }
        }
        fmt::Write::write_char(f, '"')
    }
}

/// A run of unescaped text or one decoded escape.
enum Piece<'a> {
    Text(&'a [u8]),
    Char(char),
}

/// Splits validated string content into runs of plain text and escapes.
#[derive(Clone)]
struct Pieces<'a> {
    rest: &'a [u8],
}

impl<'a> Pieces<'a> {
    fn new(raw: &'a [u8]) -> Self {
        Pieces { rest: raw }
    }

    fn hex_at(&self, at: usize) -> Option<u16> {
        self.rest.get(at..at.saturating_add(4)).and_then(parse_hex4)
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let first = *self.rest.first()?;
        if first != b'\\' {
            let n = self.rest.iter().position(|&b| b == b'\\').unwrap_or(self.rest.len());
            let (text, rest) = self.rest.split_at_checked(n)?;
            self.rest = rest;
            return Some(Piece::Text(text));
        }
        let (c, used) = match self.rest.get(1) {
            Some(b'"') => ('"', 2),
            Some(b'\\') => ('\\', 2),
            Some(b'/') => ('/', 2),
            Some(b'b') => ('\u{8}', 2),
            Some(b'f') => ('\u{c}', 2),
            Some(b'n') => ('\n', 2),
            Some(b'r') => ('\r', 2),
            Some(b't') => ('\t', 2),
            Some(b'u') => match self.hex_at(2) {
                Some(high) if is_high_surrogate(high) => {
                    let low = match (self.rest.get(6..8), self.hex_at(8)) {
                        (Some(b"\\u"), Some(low)) if is_low_surrogate(low) => low,
                        _ => 0,
                    };
                    let scalar =
                        0x10000u32.wrapping_add((u32::from(high) & 0x3FF) << 10).wrapping_add(u32::from(low) & 0x3FF);
                    match char::from_u32(scalar) {
                        Some(c) if low != 0 => (c, 12),
                        _ => (char::REPLACEMENT_CHARACTER, 6),
                    }
                }
                Some(unit) => (char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER), 6),
                None => (char::REPLACEMENT_CHARACTER, 2),
            },
            // Not reachable on validated content; stay panic-free anyway.
            _ => (char::REPLACEMENT_CHARACTER, 2),
        };
        self.rest = self.rest.get(used..).unwrap_or_default();
        Some(Piece::Char(c))
    }
}

/// The unescaped UTF-8 bytes of validated string content.
#[derive(Clone)]
pub(crate) struct Unescaped<'a> {
    pieces: Pieces<'a>,
    text: &'a [u8],
    utf8: [u8; 4],
    utf8_pos: u8,
    utf8_len: u8,
}

impl<'a> Unescaped<'a> {
    pub(crate) fn new(raw: &'a [u8]) -> Self {
        Unescaped { pieces: Pieces::new(raw), text: &[], utf8: [0; 4], utf8_pos: 0, utf8_len: 0 }
    }
}

impl Iterator for Unescaped<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        loop {
            if let Some((&b, rest)) = self.text.split_first() {
                self.text = rest;
                return Some(b);
            }
            if self.utf8_pos < self.utf8_len {
                let b = self.utf8.get(usize::from(self.utf8_pos)).copied();
                self.utf8_pos = self.utf8_pos.saturating_add(1);
                return b;
            }
            match self.pieces.next()? {
                Piece::Text(t) => self.text = t,
                Piece::Char(c) => {
                    self.utf8_len = c.encode_utf8(&mut self.utf8).len() as u8;
                    self.utf8_pos = 0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;
    use std::string::{String, ToString};

    fn js(raw: &str) -> JsonStr<'_> {
        JsonStr::new(raw, raw.contains('\\'))
    }

    #[test]
    fn json_str_unescapes_for_comparison_and_display() {
        assert!(js(r"\u0061uthenticated") == "authenticated");
        assert!(js(r"https:\/\/x") == "https://x");
        assert!(js(r"HS\u0032\u0035\u0036") == "HS256");
        assert!(js(r"HS\u0032\u0035\u0036") != "HS2560");
        assert!(js(r"HS\u0032\u0035") != "HS256");
        assert!(js("plain") == "plain");
        assert_eq!(js(r"Smith \u0026 Sons \u003cUK\u003e").to_string(), "Smith & Sons <UK>");
        assert_eq!(js(r"\uD83D\uDE00 \u00e9\n").to_string(), "😀 é\n");
        assert_eq!(format!("{:?}", js(r"a\nb")), r#""a\nb""#);
        assert_eq!(js(r"\uD83D\uDE00").unescaped_len(), 4);
        assert_eq!(js(r"\uD83D\uDE00").chars().collect::<String>(), "😀");
        let mut buf = [0u8; 16];
        assert_eq!(js(r"a\u0026b").unescape_into(&mut buf), Ok("a&b"));
        let mut small = [0u8; 2];
        assert_eq!(js(r"a\u0026b").unescape_into(&mut small), Err(Error::TooLarge));
        assert_eq!(js(r"a\u0026b").as_str(), None);
        assert_eq!(js("ab").as_str(), Some("ab"));
        assert_eq!(js(r"a\u0026b").raw(), r"a\u0026b");
        assert!(js(r"\u004aWT").eq_ignore_ascii_case("jwt"));
        assert!(!js(r"\u004aWTx").eq_ignore_ascii_case("jwt"));
        assert!(js(r"\u0061") == js("a"));
    }

    #[test]
    fn comparisons_compile_both_ways_and_decode_escapes() {
        let name = js(r"a\u0026b@example.com");
        assert!(name == "a&b@example.com");
        assert!("a&b@example.com" == name);
        assert!(name == *"a&b@example.com");
        assert!(*"a&b@example.com" == name);
        assert!(name != r"a\u0026b@example.com");
        assert!(r"a\u0026b@example.com" != name);
        #[cfg(feature = "alloc")]
        {
            let (owned, other) = (String::from("a&b@example.com"), String::from("a&b"));
            assert!(name == owned);
            assert!(owned == name);
            assert!(name != other);
            assert!(other != name);
        }
        // An Option of a claim: compare inside it (Option has no mixed-type ==).
        let sub: Option<JsonStr<'_>> = Some(name);
        assert!(sub.is_some_and(|s| s == "a&b@example.com"));
        assert!(!sub.is_some_and(|s| s == "a"));
        assert!(!None::<JsonStr<'_>>.is_some_and(|s| s == ""));
    }
}
