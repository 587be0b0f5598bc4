//! The JOSE header (RFC 7515 §4): checked before the signature, and never
//! trusted for anything but refusing a token.

use crate::json::{self, Kind, Names, Value, fingerprint_short};
use crate::json_str::JsonStr;
use crate::{Algorithm, Error};

/// The longest decoded header accepted. A JWS header for HS256 is tens of
/// bytes (Supabase's is 52); the cap bounds the work an unauthenticated
/// token can cause before its MAC is checked.
pub const MAX_HEADER_LEN: usize = 1024;

/// Longest `typ` value compared: a media type name is at most 127 + 1 + 127
/// characters (RFC 6838 §4.2).
const MAX_TYP_LEN: usize = 255;

const ALG: u64 = fingerprint_short(b"alg");
const TYP: u64 = fingerprint_short(b"typ");
const CTY: u64 = fingerprint_short(b"cty");
const CRIT: u64 = fingerprint_short(b"crit");
const B64: u64 = fingerprint_short(b"b64");
const KID: u64 = fingerprint_short(b"kid");

/// What the header says about the key: only ever used to *choose among the
/// caller's keys*, never to supply one (RFC 8725 §3.10: `jwk`, `jku`, `x5u`
/// and `x5c` are ignored).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Header<'h> {
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<JsonStr<'h>>,
}

/// Checks a decoded header: strict JSON object, then `alg`, then `crit`,
/// `b64`, `cty`, `typ` and `kid`.
pub(crate) fn check<'h>(header: &'h [u8], max_depth: usize, names: &mut Names) -> Result<Header<'h>, Error> {
    let text = core::str::from_utf8(header).map_err(|_| Error::Malformed)?;
    let mut alg = None;
    let mut typ = None;
    let mut cty = None;
    let mut kid = None;
    let mut extension = false;
    json::scan_object(text, max_depth, names, |name, value| {
        let string = (value.kind == Kind::String).then(|| as_json_str(text, value)).flatten();
        match name {
            ALG => alg = Some(string),
            TYP => typ = Some(string),
            CTY => cty = Some(string),
            KID => kid = Some(string),
            CRIT | B64 => extension = true,
            _ => {}
        }
    })?;

    // RFC 8725 §3.1: only algorithms this build implements, compared
    // exactly; whether the chosen key is for it is decided by its selection.
    let alg = alg.flatten().and_then(Algorithm::from_header).ok_or(Error::UnsupportedAlgorithm)?;
    // RFC 7515 §4.1.11: `crit` lists extensions that must be understood; we
    // understand none, so any `crit` fails, even an empty one (which RFC 7515
    // forbids anyway). `b64` (RFC 7797) changes what is signed.
    if extension {
        return Err(Error::UnsupportedHeader);
    }
    match cty {
        None => {}
        // RFC 7519 §5.2: `cty: JWT` means a nested JWT, which this crate does
        // not unwrap.
        Some(Some(cty)) if !is_jwt_media_type(cty) => {}
        Some(_) => return Err(Error::UnsupportedHeader),
    }
    match typ {
        None => {}
        Some(Some(typ)) if is_jwt_typ(typ) => {}
        Some(_) => return Err(Error::UnsupportedHeader),
    }
    // RFC 7515 §4.1.4: a `kid` is a string.
    let kid = match kid {
        None => None,
        Some(Some(kid)) => Some(kid),
        Some(None) => return Err(Error::Malformed),
    };
    Ok(Header { alg, kid })
}

/// The header segments most issuers emit, without a `kid`, with the
/// `alg` each one names: `{"alg":A,"typ":"JWT"}` (Supabase, jsonwebtoken's
/// peers in Go and Node), `{"typ":"JWT","alg":A}` (jsonwebtoken) and
/// `{"alg":A}`, in canonical base64url. A segment equal to one of them is
/// neither decoded nor scanned: [`check`] would find exactly that `alg` and
/// no other member (the unit tests hold each one to it).
const KNOWN_SEGMENTS: [(&[u8], &str); 12] = [
    (b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "HS256"),
    (b"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9", "HS256"),
    (b"eyJhbGciOiJIUzI1NiJ9", "HS256"),
    (b"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9", "ES256"),
    (b"eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9", "ES256"),
    (b"eyJhbGciOiJFUzI1NiJ9", "ES256"),
    (b"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", "RS256"),
    (b"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9", "RS256"),
    (b"eyJhbGciOiJSUzI1NiJ9", "RS256"),
    (b"eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9", "EdDSA"),
    (b"eyJ0eXAiOiJKV1QiLCJhbGciOiJFZERTQSJ9", "EdDSA"),
    (b"eyJhbGciOiJFZERTQSJ9", "EdDSA"),
];

/// The header of a segment in [`KNOWN_SEGMENTS`], when this build has its
/// algorithm and `max_depth` admits an object (otherwise `None`, and the
/// general path gives the error).
#[inline]
pub(crate) fn known_segment(segment: &[u8], max_depth: usize) -> Option<Header<'static>> {
    if max_depth == 0 {
        return None;
    }
    let (_, name) = KNOWN_SEGMENTS.iter().find(|(known, _)| *known == segment)?;
    Some(Header { alg: Algorithm::from_name(name)?, kid: None })
}

/// [`check`] for the decoded headers that issuers emit in one shape: an
/// object of `alg` (`HS256`, `ES256`, `RS256` or `EdDSA`), optionally `kid`
/// (printable ASCII without `"` or `\`) and `typ` (`JWT`), each once, in any
/// order, with no whitespace or escapes, such as Supabase's
/// `{"alg":"HS256","kid":"…","typ":"JWT"}`. Such a text is valid JSON of
/// depth 1 whose members [`check`] accepts, so the result is the one
/// [`check`] would return, found in one pass without the general scanner.
/// Any other text is `None`, and goes to [`check`].
pub(crate) fn check_common(header: &[u8], max_depth: usize) -> Option<Header<'_>> {
    if max_depth == 0 {
        return None;
    }
    let mut rest = header.strip_prefix(b"{")?;
    let mut alg = None;
    let mut kid = None;
    let mut typ = false;
    loop {
        if let Some(after) = rest.strip_prefix(br#""alg":""#) {
            let (name, after) = after.split_first_chunk::<5>()?;
            rest = after.strip_prefix(b"\"")?;
            let name = core::str::from_utf8(name).ok()?;
            if alg.replace(Algorithm::from_name(name)?).is_some() {
                return None;
            }
        } else if let Some(after) = rest.strip_prefix(br#""typ":"JWT""#) {
            rest = after;
            if core::mem::replace(&mut typ, true) {
                return None;
            }
        } else if let Some(after) = rest.strip_prefix(br#""kid":""#) {
            let len = after.iter().position(|&b| !(b' '..=b'~').contains(&b) || b == b'"' || b == b'\\')?;
            let (value, after) = after.split_at_checked(len)?;
            rest = after.strip_prefix(b"\"")?;
            // Printable ASCII, so the UTF-8 check cannot fail.
            let value = core::str::from_utf8(value).ok()?;
            if kid.replace(JsonStr::new(value, false)).is_some() {
                return None;
            }
        } else {
            return None;
        }
        match rest {
            [b'}'] => return Some(Header { alg: alg?, kid }),
            [b',', after @ ..] => rest = after,
            _ => return None,
        }
    }
}

fn as_json_str(text: &str, value: Value) -> Option<JsonStr<'_>> {
    text.get(value.start..value.end).map(|raw| JsonStr::new(raw, value.escaped))
}

/// `JWT` or `application/jwt`, ASCII case-insensitively (RFC 7515 §4.1.9:
/// the `application/` prefix may be omitted).
fn is_jwt_media_type(value: JsonStr<'_>) -> bool {
    value.eq_ignore_ascii_case("JWT") || value.eq_ignore_ascii_case("application/jwt")
}

/// RFC 7519 §5.1 `JWT`, or an explicit JWT type such as `at+jwt`
/// (RFC 9068, RFC 8725 §3.11), with or without `application/`.
fn is_jwt_typ(value: JsonStr<'_>) -> bool {
    let mut buf = [0u8; MAX_TYP_LEN];
    let typ = match value.as_str() {
        // Longer than any media type name (RFC 6838 §4.2).
        Some(plain) if plain.len() > MAX_TYP_LEN => return false,
        Some(plain) => plain,
        None => match value.unescape_into(&mut buf) {
            Ok(typ) => typ,
            Err(_) => return false,
        },
    };
    let subtype = match typ.get(..12) {
        Some(prefix) if prefix.eq_ignore_ascii_case("application/") => typ.get(12..).unwrap_or_default(),
        _ => typ,
    };
    if subtype.eq_ignore_ascii_case("jwt") {
        return true;
    }
    let n = subtype.len();
    match (n.checked_sub(4).and_then(|i| subtype.get(i..)), subtype.split_once('/')) {
        (Some(suffix), None) => n > 4 && suffix.eq_ignore_ascii_case("+jwt"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::format;

    fn check_str(header: &str) -> Result<(), Error> {
        check(header.as_bytes(), 32, &mut Names::new()).map(|_| ())
    }

    /// `(alg, kid)` as [`check`] finds them, or its error.
    fn general(header: &str, depth: usize) -> Result<(Algorithm, Option<std::string::String>), Error> {
        check(header.as_bytes(), depth, &mut Names::new())
            .map(|h| (h.alg, h.kid.map(|k| k.as_str().unwrap_or("<escaped>").into())))
    }

    fn common(header: &str, depth: usize) -> Option<(Algorithm, Option<std::string::String>)> {
        check_common(header.as_bytes(), depth).map(|h| (h.alg, h.kid.map(|k| k.as_str().unwrap_or("").into())))
    }

    #[test]
    fn known_segments_are_what_the_general_check_finds() {
        for (segment, name) in KNOWN_SEGMENTS {
            let mut buf = [0u8; 64];
            let text = core::str::from_utf8(crate::base64url::decode(segment, &mut buf).unwrap()).unwrap();
            assert_eq!(
                base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, text).as_bytes(),
                segment,
                "canonical encoding of {text}"
            );
            let alg = Algorithm::from_name(name);
            assert_eq!(general(text, 32).ok(), alg.map(|a| (a, None)), "{text}");
            assert_eq!(known_segment(segment, 32).map(|h| (h.alg, h.kid.is_none())), alg.map(|a| (a, true)));
            assert_eq!(general(text, 0), Err(Error::Malformed), "{text}: depth 0");
            assert!(known_segment(segment, 0).is_none(), "depth 0 goes to the general path");
        }
        assert!(known_segment(b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ", 32).is_none(), "a prefix");
        assert!(known_segment(b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9A", 32).is_none(), "an extension");
    }

    #[test]
    fn the_common_shape_is_taken_and_agrees_with_the_general_check() {
        let supabase = r#"{"alg":"HS256","kid":"Xk3pQ9vLr2Tz+8bW","typ":"JWT"}"#;
        assert_eq!(common(supabase, 32), Some((Algorithm::Hs256, Some("Xk3pQ9vLr2Tz+8bW".into()))));
        for h in [
            supabase,
            r#"{"alg":"HS256"}"#,
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"typ":"JWT","alg":"HS256","kid":"k"}"#,
            r#"{"kid":"","alg":"HS256"}"#,
            r#"{"alg":"HS256","kid":" !#$%&'()*+,-./:;<=>?@[]^_`{|}~"}"#,
        ] {
            assert!(common(h, 32).is_some(), "{h} takes the common shape");
            assert_eq!(common(h, 32), general(h, 32).ok(), "{h}");
            assert_eq!(common(h, 0), None, "{h}: depth 0");
        }
    }

    #[test]
    // Exhaustive; slow under Miri.
    #[cfg_attr(miri, ignore)]
    fn every_text_of_the_common_shape_agrees_with_the_general_check() {
        // Every sequence of up to five of these pieces: the shape's own
        // members, near misses, repeats, and what JSON allows around them.
        let pieces = [
            "{",
            "}",
            ",",
            r#""alg":"HS256""#,
            r#""alg":"ES256""#,
            r#""alg":"HS384""#,
            r#""kid":"a+b""#,
            r#""kid":"a""#,
            r#""kid":1"#,
            r#""typ":"JWT""#,
            r#""typ":"JOSE""#,
            r#""crit":["b64"]"#,
            " ",
            r#"""#,
        ];
        let mut taken = 0;
        let mut text = std::string::String::new();
        let mut stack = std::vec![0usize; 0];
        loop {
            text.clear();
            for &i in &stack {
                text.push_str(pieces[i]);
            }
            if let Some(found) = common(&text, 32) {
                taken += 1;
                assert_eq!(Ok(found), general(&text, 32), "{text}");
            }
            // The next sequence, in length-then-lexicographic order.
            match stack.iter().rposition(|&i| i + 1 < pieces.len()) {
                Some(at) => {
                    stack[at] += 1;
                    stack.iter_mut().skip(at + 1).for_each(|i| *i = 0);
                }
                None if stack.len() < 5 => {
                    stack = std::vec![0; stack.len() + 1];
                }
                None => break,
            }
        }
        // Every valid order of alg, kid, typ, with and without each optional.
        assert!(taken >= 2 + 6 + 2 * 2, "{taken} texts took the common shape");
    }

    #[test]
    fn the_common_shape_refuses_what_it_does_not_know() {
        for h in [
            r#"{"alg":"HS256","alg":"HS256"}"#,
            r#"{"alg":"HS256","kid":"a","kid":"b"}"#,
            r#"{"alg":"HS256","typ":"JWT","typ":"JWT"}"#,
            r#"{"alg":"HS256" }"#,
            r#"{"alg":"HS256"} "#,
            r#"{"alg":"HS256"}}"#,
            r#"{"alg":"HS256",}"#,
            r#"{"alg":"HS256","kid":"a"b"}"#,
            r#"{"alg":"HS256","kid":"é"}"#,
            "{\"alg\":\"HS256\",\"kid\":\"\u{e9}\"}",
            "{\"alg\":\"HS256\",\"kid\":\"a\u{7f}\"}",
            r#"{"alg":"HS2567"}"#,
            r#"{"alg":"none!"}"#,
            r#"{"alg":"hs256"}"#,
            r#"{"typ":"JWT"}"#,
            r#"{"alg":"HS256","typ":"jwt"}"#,
            r#"{"alg":"HS256","cty":"JWT"}"#,
            r#"{"alg":"HS256","crit":["b64"]}"#,
            r#"{"alg":"HS256","kid":"a"#,
            r#"{"alg":"HS256""#,
            "{",
            "",
        ] {
            assert_eq!(common(h, 32), None, "{h}");
        }
    }

    #[test]
    fn accepted_headers() {
        for h in [
            r#"{"alg":"HS256"}"#,
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"alg":"HS256","typ":"jwt"}"#,
            r#"{"alg":"HS256","typ":"at+jwt"}"#,
            r#"{"alg":"HS256","typ":"application/at+JWT"}"#,
            r#"{"alg":"HS256","typ":"application/jwt"}"#,
            r#"{"alg":"HS\u0032\u0035\u0036"}"#,
            r#"{"alg":"HS256","kid":"../../etc/passwd","jku":"https://evil","x5u":"x","jwk":{"kty":"oct","k":"AA"}}"#,
            r#"{"alg":"HS256","cty":"text/plain"}"#,
            r#"{"typ":"JWT","alg":"HS256"}"#,
        ] {
            assert_eq!(check_str(h), Ok(()), "{h}");
        }
    }

    #[test]
    fn rejected_headers() {
        for (h, e) in [
            (r#"{"alg":"none"}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":"NONE"}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":"hs256"}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":"HS384"}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":"RS384"}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":"rs256"}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":"HS256","kid":1}"#, Error::Malformed),
            (r#"{"alg":"HS256","kid":null}"#, Error::Malformed),
            (r#"{"alg":"HS256","kid":["a"]}"#, Error::Malformed),
            (r#"{"alg":"HS256 "}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":["HS256"]}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":null}"#, Error::UnsupportedAlgorithm),
            (r#"{"typ":"JWT"}"#, Error::UnsupportedAlgorithm),
            (r#"{}"#, Error::UnsupportedAlgorithm),
            (r#"{"alg":"HS256","crit":[]}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","crit":["exp"],"exp":1}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","b64":true}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","cty":"JWT"}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","cty":"application/jwt"}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","cty":1}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","typ":"JOSE"}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","typ":"+jwt"}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","typ":"a/b+jwt"}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","typ":""}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","typ":null}"#, Error::UnsupportedHeader),
            (r#"{"alg":"HS256","alg":"HS256"}"#, Error::Malformed),
            (r#"{"alg":"HS256","\u0061lg":"none"}"#, Error::Malformed),
            (r#"["HS256"]"#, Error::Malformed),
            (r#"{"alg":"HS256"}x"#, Error::Malformed),
        ] {
            assert_eq!(check_str(h), Err(e), "{h}");
        }
        assert_eq!(check_str("{\"alg\":\"HS256\"} \n"), Ok(()), "JSON whitespace after the object");
        assert_eq!(check(b"{\"alg\":\"HS256\xff\"}", 32, &mut Names::new()).map(|_| ()), Err(Error::Malformed));
        let long_typ = format!(r#"{{"alg":"HS256","typ":"{}+jwt"}}"#, "a".repeat(300));
        assert_eq!(check_str(&long_typ), Err(Error::UnsupportedHeader));
    }
}
