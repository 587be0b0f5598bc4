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
