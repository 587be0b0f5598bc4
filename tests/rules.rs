//! One row per rule of the specification, each asserting the exact outcome.

mod common;

use common::{HEADER, b64, key, sign_encoded, token, token_with_header};
use jwtcheck::{Claim, Error, MAX_HEADER_LEN, PAYLOAD_CAPACITY, Validation, verify, verify_in};

const NOW: u64 = 1_700_000_000;
const EXP: &str = "1700003600";

fn v() -> Validation<'static> {
    Validation::new()
}

/// A payload with a valid exp and the given extra members (JSON text).
fn p(extra: &str) -> String {
    if extra.is_empty() { format!(r#"{{"exp":{EXP}}}"#) } else { format!(r#"{{"exp":{EXP},{extra}}}"#) }
}

/// Replaces the signature of a token.
fn with_signature(token: &str, sig: &str) -> String {
    let cut = token.rfind('.').unwrap();
    format!("{}.{sig}", &token[..cut])
}

/// name, token, validation, now, expected outcome.
type Row<'a> = (&'a str, String, Validation<'a>, u64, Result<(), Error>);

fn run(rows: &[Row<'_>]) {
    let key = key();
    let mut failures = Vec::new();
    for (name, token, validation, now, expected) in rows {
        let got = verify(token.as_str(), &key, validation, *now).map(|_| ());
        if got != *expected {
            failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn size_limits() {
    let big_payload = p(&format!(r#""pad":"{}""#, "x".repeat(7000)));
    run(&[
        (
            "max_token_len default 8 KiB",
            token(&p(&format!(r#""pad":"{}""#, "x".repeat(6200)))),
            v(),
            NOW,
            Err(Error::TooLarge),
        ),
        ("just under 8 KiB", token(&p(&format!(r#""pad":"{}""#, "x".repeat(6000)))), v(), NOW, Ok(())),
        ("custom max_token_len", token(&p("")), v().max_token_len(50), NOW, Err(Error::TooLarge)),
        ("length cap before anything else", "x".repeat(9000), v(), NOW, Err(Error::TooLarge)),
        ("50 000 dots, default cap", ".".repeat(50_000), v(), NOW, Err(Error::TooLarge)),
        ("50 000 dots, raised cap", ".".repeat(50_000), v().max_token_len(1 << 20), NOW, Err(Error::Malformed)),
        (
            "header longer than MAX_HEADER_LEN",
            token_with_header(&format!(r#"{{"alg":"HS256","x":"{}"}}"#, "a".repeat(MAX_HEADER_LEN)), &p("")),
            v(),
            NOW,
            Err(Error::TooLarge),
        ),
        (
            "header of exactly MAX_HEADER_LEN",
            token_with_header(&format!(r#"{{"alg":"HS256","x":"{}"}}"#, "a".repeat(MAX_HEADER_LEN - 24)), &p("")),
            v(),
            NOW,
            Ok(()),
        ),
        (
            "payload over PAYLOAD_CAPACITY in verify",
            token(&big_payload),
            v().max_token_len(1 << 20),
            NOW,
            Err(Error::TooLarge),
        ),
    ]);
    // The same payload fits a caller buffer.
    let mut buf = vec![0u8; 8 * 1024];
    let claims = verify_in(&token(&big_payload), &key(), &v().max_token_len(1 << 20), NOW, &mut buf).unwrap();
    assert_eq!(claims.payload(), big_payload);
    assert!(big_payload.len() > PAYLOAD_CAPACITY);
    let mut small = [0u8; 16];
    assert_eq!(verify_in(&token(&p("")), &key(), &v(), NOW, &mut small).unwrap_err(), Error::TooLarge);
}

/// `Claims` sizes its inline storage by the token's length: every payload
/// length from the smallest to `PAYLOAD_CAPACITY` (so across each storage
/// tier's edge) comes back byte for byte, from the value and from a clone,
/// and one byte more is `TooLarge`.
#[test]
fn claims_storage_holds_every_payload_size() {
    let key = key();
    let validation = v().max_token_len(1 << 20);
    let mut pad = 0;
    loop {
        let payload = p(&format!(r#""pad":"{}""#, "x".repeat(pad)));
        let token = token(&payload);
        let got = verify(token.as_str(), &key, &validation, NOW);
        if payload.len() > PAYLOAD_CAPACITY {
            assert_eq!(got.unwrap_err(), Error::TooLarge, "payload of {} bytes", payload.len());
            assert_eq!(payload.len(), PAYLOAD_CAPACITY + 1);
            break;
        }
        let claims =
            got.unwrap_or_else(|e| panic!("payload of {} bytes, token of {}: {e:?}", payload.len(), token.len()));
        assert_eq!(claims.payload(), payload, "token of {} characters", token.len());
        assert_eq!(claims.clone().payload(), payload);
        assert_eq!(claims.exp().map(|d| d.as_secs()), Some(1_700_003_600));
        pad += 1;
    }
}

#[test]
fn segments() {
    let good = token(&p(""));
    let (h, rest) = good.split_once('.').unwrap();
    let (pl, s) = rest.split_once('.').unwrap();
    run(&[
        ("one segment", h.to_owned(), v(), NOW, Err(Error::Malformed)),
        ("two segments", format!("{h}.{pl}"), v(), NOW, Err(Error::Malformed)),
        ("four segments", format!("{h}.{pl}.{s}.{s}"), v(), NOW, Err(Error::Malformed)),
        ("five segments (JWE)", format!("{h}.{pl}.{pl}.{pl}.{s}"), v(), NOW, Err(Error::Malformed)),
        ("empty token", String::new(), v(), NOW, Err(Error::Malformed)),
        ("only dots", "..".into(), v(), NOW, Err(Error::Malformed)),
        ("leading space", format!(" {good}"), v(), NOW, Err(Error::Malformed)),
        ("trailing newline", format!("{good}\n"), v(), NOW, Err(Error::Malformed)),
        ("Bearer prefix left on", format!("Bearer {good}"), v(), NOW, Err(Error::Malformed)),
    ]);
}

#[test]
fn strict_base64url_in_each_segment() {
    // 28 and 19 bytes: both segments need padding in standard base64.
    let header = format!("{HEADER} ");
    let payload = format!("{} ", p(""));
    let ph = b64(header.as_bytes());
    let pp = b64(payload.as_bytes());
    assert_eq!((ph.len() % 4, pp.len() % 4), (2, 2));
    let good = sign_encoded(&ph, &pp);
    let sig = good.rsplit_once('.').unwrap().1.to_owned();
    // A character outside the url alphabet at the front of each segment.
    let swap_first = |s: &str, c: char| format!("{c}{}", &s[1..]);
    run(&[
        ("canonical", good.clone(), v(), NOW, Ok(())),
        ("padded header", sign_encoded(&format!("{ph}=="), &pp), v(), NOW, Err(Error::Malformed)),
        ("padded payload", sign_encoded(&ph, &format!("{pp}==")), v(), NOW, Err(Error::Malformed)),
        ("padded signature", format!("{good}="), v(), NOW, Err(Error::Malformed)),
        ("+ in header", sign_encoded(&swap_first(&ph, '+'), &pp), v(), NOW, Err(Error::Malformed)),
        ("/ in payload", sign_encoded(&ph, &swap_first(&pp, '/')), v(), NOW, Err(Error::Malformed)),
        ("+ in signature", with_signature(&good, &swap_first(&sig, '+')), v(), NOW, Err(Error::Malformed)),
        ("space in payload", sign_encoded(&ph, &format!("{} {}", &pp[..4], &pp[4..])), v(), NOW, Err(Error::Malformed)),
        ("NUL in header", sign_encoded(&format!("{}\0{}", &ph[..4], &ph[4..]), &pp), v(), NOW, Err(Error::Malformed)),
        (
            "newline in payload",
            sign_encoded(&ph, &format!("{}\n{}", &pp[..8], &pp[8..])),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        (
            "tab in signature",
            with_signature(&good, &format!("{}\t{}", &sig[..4], &sig[5..])),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        ("header length 1 mod 4", sign_encoded(&format!("{ph}AAA"), &pp), v(), NOW, Err(Error::Malformed)),
        ("payload length 1 mod 4", sign_encoded(&ph, &format!("{pp}AAA")), v(), NOW, Err(Error::Malformed)),
    ]);
}

#[test]
fn non_canonical_trailing_bits_in_header_and_payload() {
    // `{"alg":"HS256"}` is 15 bytes: 20 characters, no trailing bits; add one
    // byte of whitespace to get 16 bytes = 22 characters with 4 spare bits.
    let header = "{\"alg\":\"HS256\"} ";
    let h = b64(header.as_bytes());
    assert_eq!(h.len() % 4, 2);
    let bump = |s: &str| {
        let mut s = s.to_owned();
        let last = s.pop().unwrap();
        // Same high 2 bits, non-zero low 4 bits.
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let i = alphabet.find(last).unwrap();
        s.push(alphabet.as_bytes()[i | 1] as char);
        s
    };
    let payload = format!("{}  ", p(""));
    let pl = b64(payload.as_bytes());
    assert_eq!(pl.len() % 4, 3, "2 spare bits");
    run(&[
        ("canonical", sign_encoded(&h, &pl), v(), NOW, Ok(())),
        ("header trailing bits", sign_encoded(&bump(&h), &pl), v(), NOW, Err(Error::Malformed)),
        ("payload trailing bits", sign_encoded(&h, &bump(&pl)), v(), NOW, Err(Error::Malformed)),
        (
            "signature trailing bits",
            {
                let t = sign_encoded(&h, &pl);
                let sig = t.rsplit_once('.').unwrap().1.to_owned();
                with_signature(&t, &bump(&sig))
            },
            v(),
            NOW,
            Err(Error::Malformed),
        ),
    ]);
}

#[test]
fn header_rules() {
    let pl = p("");
    let h = |header: &str| token_with_header(header, &pl);
    run(&[
        ("typ JWT", h(r#"{"alg":"HS256","typ":"JWT"}"#), v(), NOW, Ok(())),
        ("no typ", h(r#"{"alg":"HS256"}"#), v(), NOW, Ok(())),
        ("typ at+jwt", h(r#"{"alg":"HS256","typ":"at+jwt"}"#), v(), NOW, Ok(())),
        ("alg escaped HS256", h(r#"{"alg":"HS\u0032\u0035\u0036"}"#), v(), NOW, Ok(())),
        (
            "kid/jku/x5u/jwk ignored",
            h(
                r#"{"alg":"HS256","kid":"../../../dev/null","jku":"https://evil.example/jwks","x5u":"https://evil.example/x5c","jwk":{"kty":"oct","k":"AAAA"}}"#,
            ),
            v(),
            NOW,
            Ok(()),
        ),
        ("alg none", h(r#"{"alg":"none"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg NONE", h(r#"{"alg":"NONE"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg nOnE", h(r#"{"alg":"nOnE"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg hs256", h(r#"{"alg":"hs256"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg HS384", h(r#"{"alg":"HS384"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg RS256", h(r#"{"alg":"RS256"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg ES256", h(r#"{"alg":"ES256"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg missing", h(r#"{"typ":"JWT"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg not a string", h(r#"{"alg":256}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("alg array", h(r#"{"alg":["HS256"]}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("crit empty", h(r#"{"alg":"HS256","crit":[]}"#), v(), NOW, Err(Error::UnsupportedHeader)),
        ("crit b64", h(r#"{"alg":"HS256","crit":["b64"],"b64":false}"#), v(), NOW, Err(Error::UnsupportedHeader)),
        ("b64 true", h(r#"{"alg":"HS256","b64":true}"#), v(), NOW, Err(Error::UnsupportedHeader)),
        ("cty JWT", h(r#"{"alg":"HS256","cty":"JWT"}"#), v(), NOW, Err(Error::UnsupportedHeader)),
        ("cty jwt", h(r#"{"alg":"HS256","cty":"jwt"}"#), v(), NOW, Err(Error::UnsupportedHeader)),
        ("typ JOSE", h(r#"{"alg":"HS256","typ":"JOSE"}"#), v(), NOW, Err(Error::UnsupportedHeader)),
        ("typ not a string", h(r#"{"alg":"HS256","typ":1}"#), v(), NOW, Err(Error::UnsupportedHeader)),
        ("header array", h(r#"["HS256"]"#), v(), NOW, Err(Error::Malformed)),
        ("header invalid JSON", h(r#"{"alg":"HS256",}"#), v(), NOW, Err(Error::Malformed)),
        ("header duplicate alg", h(r#"{"alg":"HS256","alg":"none"}"#), v(), NOW, Err(Error::Malformed)),
        ("header duplicate via escape", h(r#"{"alg":"HS256","\u0061lg":"HS256"}"#), v(), NOW, Err(Error::Malformed)),
        (
            "header not UTF-8",
            common::sign_with(common::SECRET, b"{\"alg\":\"HS256\",\"x\":\"\xff\"}", pl.as_bytes()),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        (
            "header too deep",
            h(&format!(r#"{{"alg":"HS256","x":{}1{}}}"#, "[".repeat(32), "]".repeat(32))),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        ("alg checked before crit", h(r#"{"alg":"none","crit":["x"]}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        // The shorter ways for common headers (known segments, the common
        // shape) give the general path's outcome, error kinds included.
        ("Supabase's shape", h(r#"{"alg":"HS256","kid":"Xk3pQ9vLr2Tz+8bW","typ":"JWT"}"#), v(), NOW, Ok(())),
        ("jsonwebtoken's order", h(r#"{"typ":"JWT","alg":"HS256"}"#), v(), NOW, Ok(())),
        ("alg ES256, typ JWT", h(r#"{"alg":"ES256","typ":"JWT"}"#), v(), NOW, Err(Error::UnsupportedAlgorithm)),
        ("duplicate kid", h(r#"{"alg":"HS256","kid":"a","kid":"a"}"#), v(), NOW, Err(Error::Malformed)),
        ("duplicate typ", h(r#"{"alg":"HS256","typ":"JWT","typ":"JWT"}"#), v(), NOW, Err(Error::Malformed)),
        ("known segment, max_depth 0", h(HEADER), v().max_depth(0), NOW, Err(Error::Malformed)),
        (
            "Supabase's shape, max_depth 0",
            h(r#"{"alg":"HS256","kid":"k","typ":"JWT"}"#),
            v().max_depth(0),
            NOW,
            Err(Error::Malformed),
        ),
        ("known segment, max_depth 1", h(HEADER), v().max_depth(1), NOW, Ok(())),
    ]);
}

#[test]
fn signature_rules() {
    let good = token(&p(""));
    let sig = good.rsplit_once('.').unwrap().1;
    let mut flipped = sig.to_owned().into_bytes();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    let other = token(&p(r#""sub":"other""#));
    run(&[
        ("valid", good.clone(), v(), NOW, Ok(())),
        (
            "wrong MAC",
            with_signature(&good, std::str::from_utf8(&flipped).unwrap()),
            v(),
            NOW,
            Err(Error::InvalidSignature),
        ),
        ("empty signature", with_signature(&good, ""), v(), NOW, Err(Error::InvalidSignature)),
        ("31 bytes", with_signature(&good, &b64(&[0u8; 31])), v(), NOW, Err(Error::InvalidSignature)),
        ("33 bytes", with_signature(&good, &b64(&[0u8; 33])), v(), NOW, Err(Error::InvalidSignature)),
        ("all zero", with_signature(&good, &b64(&[0u8; 32])), v(), NOW, Err(Error::InvalidSignature)),
        ("truncated to 30 bytes", with_signature(&good, &sig[..40]), v(), NOW, Err(Error::InvalidSignature)),
        (
            "signature of another token",
            with_signature(&good, other.rsplit_once('.').unwrap().1),
            v(),
            NOW,
            Err(Error::InvalidSignature),
        ),
        (
            "another key",
            common::sign_with(b"another-secret-of-at-least-32-bytes!!!!", HEADER.as_bytes(), p("").as_bytes()),
            v(),
            NOW,
            Err(Error::InvalidSignature),
        ),
    ]);
}

#[test]
fn payload_is_never_parsed_before_the_mac() {
    let bad_sig = b64(&[0u8; 32]);
    let garbage = format!("{}.{}.{bad_sig}", b64(HEADER.as_bytes()), b64(b"{not json"));
    let bad_b64 = format!("{}.%%%.{bad_sig}", b64(HEADER.as_bytes()));
    let bad_claims = format!("{}.{}.{bad_sig}", b64(HEADER.as_bytes()), b64(br#"{"exp":"soon"}"#));
    run(&[
        ("invalid JSON payload, bad MAC", garbage, v(), NOW, Err(Error::InvalidSignature)),
        ("invalid base64 payload, bad MAC", bad_b64, v(), NOW, Err(Error::InvalidSignature)),
        ("wrong claim type, bad MAC", bad_claims, v(), NOW, Err(Error::InvalidSignature)),
    ]);
}

#[test]
fn payload_json_rules() {
    let raw = |payload: &[u8]| common::sign_with(common::SECRET, HEADER.as_bytes(), payload);
    run(&[
        ("not an object", token("[1]"), v(), NOW, Err(Error::Malformed)),
        ("string", token(r#""exp""#), v(), NOW, Err(Error::Malformed)),
        ("empty", token(""), v(), NOW, Err(Error::Malformed)),
        ("trailing comma", token(&format!(r#"{{"exp":{EXP},}}"#)), v(), NOW, Err(Error::Malformed)),
        ("trailing garbage", token(&format!("{}x", p(""))), v(), NOW, Err(Error::Malformed)),
        ("trailing whitespace is fine", token(&format!("{} \r\n\t", p(""))), v(), NOW, Ok(())),
        ("two objects", token(&format!("{}{{}}", p(""))), v(), NOW, Err(Error::Malformed)),
        ("leading zero", token(&p(r#""n":01"#)), v(), NOW, Err(Error::Malformed)),
        ("NaN", token(&p(r#""n":NaN"#)), v(), NOW, Err(Error::Malformed)),
        ("lenient literal", token(&p(r#""x":tru"#)), v(), NOW, Err(Error::Malformed)),
        (
            "invalid JSON in an ignored member",
            token(&p(r#""user_metadata":{"a":[1,2,]}"#)),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        ("BOM", raw(format!("\u{feff}{}", p("")).as_bytes()), v(), NOW, Err(Error::Malformed)),
        ("lone surrogate", token(&p(r#""x":"\ud800""#)), v(), NOW, Err(Error::Malformed)),
        ("raw control character", token(&p("\"x\":\"a\u{1}b\"")), v(), NOW, Err(Error::Malformed)),
        ("raw UTF-8 is fine", token(&p(r#""name":"Zoë 😀""#)), v(), NOW, Ok(())),
        (
            "invalid UTF-8 byte",
            raw(&[br#"{"exp":"#.as_slice(), EXP.as_bytes(), b",\"x\":\"\xff\"}"].concat()),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        (
            "overlong UTF-8",
            raw(&[br#"{"exp":"#.as_slice(), EXP.as_bytes(), b",\"x\":\"\xc0\xaf\"}"].concat()),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        (
            "UTF-8 encoded surrogate",
            raw(&[br#"{"exp":"#.as_slice(), EXP.as_bytes(), b",\"x\":\"\xed\xa0\x80\"}"].concat()),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        ("duplicate exp", token(&format!(r#"{{"exp":{EXP},"exp":{EXP}}}"#)), v(), NOW, Err(Error::Malformed)),
        (
            "duplicate exp via escape",
            token(&format!(r#"{{"exp":{EXP},"\u0065xp":1}}"#)),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        ("duplicate nested", token(&p(r#""app_metadata":{"role":"a","role":"b"}"#)), v(), NOW, Err(Error::Malformed)),
        ("nesting at the limit", token(&p(&format!(r#""x":{}1{}"#, "[".repeat(31), "]".repeat(31)))), v(), NOW, Ok(())),
        (
            "nesting past the limit",
            token(&p(&format!(r#""x":{}1{}"#, "[".repeat(32), "]".repeat(32)))),
            v(),
            NOW,
            Err(Error::Malformed),
        ),
        ("custom depth", token(&p(r#""x":{"y":{}}"#)), v().max_depth(2), NOW, Err(Error::Malformed)),
    ]);
}

#[test]
fn claim_types() {
    let bad = |claim: &str, value: &str| token(&format!(r#"{{"exp":{EXP},"{claim}":{value}}}"#));
    let e = |c| Err(Error::InvalidClaims(c));
    let any = v().accept_any_audience();
    run(&[
        ("exp string", token(r#"{"exp":"1700003600"}"#), v(), NOW, e(Claim::Exp)),
        ("exp null", token(r#"{"exp":null}"#), v(), NOW, e(Claim::Exp)),
        ("exp bool", token(r#"{"exp":true}"#), v(), NOW, e(Claim::Exp)),
        ("exp negative", token(r#"{"exp":-1}"#), v(), NOW, e(Claim::Exp)),
        ("exp -0", token(r#"{"exp":-0}"#), v(), NOW, e(Claim::Exp)),
        ("exp 2^64", token(r#"{"exp":18446744073709551616}"#), v(), NOW, e(Claim::Exp)),
        ("exp 1e400", token(r#"{"exp":1e400}"#), v(), NOW, e(Claim::Exp)),
        ("exp missing", token(r#"{"sub":"x"}"#), v(), NOW, e(Claim::Exp)),
        ("exp missing allowed", token(r#"{"sub":"x"}"#), v().allow_missing_exp(), NOW, Ok(())),
        ("nbf string", bad("nbf", r#""1""#), v(), NOW, e(Claim::Nbf)),
        ("iat array", bad("iat", "[1]"), v(), NOW, e(Claim::Iat)),
        ("iat in the future is not checked", bad("iat", "99999999999"), v(), NOW, Ok(())),
        ("iat fraction", bad("iat", "1.5"), v(), NOW, Ok(())),
        ("iss array", bad("iss", r#"["a"]"#), v(), NOW, e(Claim::Iss)),
        ("iss null", bad("iss", "null"), v(), NOW, e(Claim::Iss)),
        ("sub number", bad("sub", "1"), v(), NOW, e(Claim::Sub)),
        ("jti object", bad("jti", "{}"), v(), NOW, e(Claim::Jti)),
        ("aud number", bad("aud", "123"), any, NOW, e(Claim::Aud)),
        ("aud null", bad("aud", "null"), any, NOW, e(Claim::Aud)),
        ("aud mixed array", bad("aud", r#"["a",1]"#), any, NOW, e(Claim::Aud)),
        ("aud nested array", bad("aud", r#"[["a"]]"#), any, NOW, e(Claim::Aud)),
        ("types before exp", token(r#"{"exp":1,"sub":2}"#), v(), NOW, e(Claim::Sub)),
        ("types before aud", bad("aud", "1"), v(), NOW, e(Claim::Aud)),
        ("unregistered claims are free", bad("role", "[1,{\"a\":null}]"), v(), NOW, Ok(())),
    ]);
}

#[test]
fn time_rules() {
    let exp = |value: &str| token(&format!(r#"{{"exp":{value}}}"#));
    let nbf = |value: &str| token(&format!(r#"{{"exp":{EXP},"nbf":{value}}}"#));
    let max = u64::MAX;
    run(&[
        ("now == exp", exp("1700000000"), v(), NOW, Err(Error::Expired)),
        ("now == exp - 1", exp("1700000001"), v(), NOW, Ok(())),
        ("exp fraction: now - 0.5", exp("1699999999.5"), v(), NOW, Err(Error::Expired)),
        ("exp fraction: now + 0.5", exp("1700000000.5"), v(), NOW, Ok(())),
        ("exp exponent form", exp("1.7e9"), v(), NOW, Err(Error::Expired)),
        ("exp exponent form, later", exp("1.7000001e9"), v(), NOW, Ok(())),
        ("exp + leeway == now", exp("1699999970"), v().leeway(30), NOW, Err(Error::Expired)),
        ("exp + leeway == now + 1", exp("1699999971"), v().leeway(30), NOW, Ok(())),
        ("exp u64::MAX, now u64::MAX", exp(&max.to_string()), v(), max, Err(Error::Expired)),
        ("exp u64::MAX, leeway saturates", exp(&max.to_string()), v().leeway(max), max - 1, Ok(())),
        ("exp u64::MAX + fraction", exp("18446744073709551615.5"), v(), max, Ok(())),
        ("exp 0", exp("0"), v(), 0, Err(Error::Expired)),
        ("nbf == now", nbf("1700000000"), v(), NOW, Ok(())),
        ("nbf == now + 1", nbf("1700000001"), v(), NOW, Err(Error::NotYetValid)),
        ("nbf fraction just after now", nbf("1700000000.1"), v(), NOW, Err(Error::NotYetValid)),
        ("nbf fraction just before now", nbf("1699999999.9"), v(), NOW, Ok(())),
        ("nbf within leeway", nbf("1700000030"), v().leeway(30), NOW, Ok(())),
        ("nbf past leeway", nbf("1700000031"), v().leeway(30), NOW, Err(Error::NotYetValid)),
        ("now < leeway: no underflow", token(r#"{"exp":100,"nbf":50}"#), v().leeway(1000), 10, Ok(())),
        ("now + leeway saturates", token(&format!(r#"{{"exp":{max},"nbf":{max}}}"#)), v().leeway(max), 5, Ok(())),
        ("exp before nbf", token(r#"{"exp":1,"nbf":99999999999}"#), v(), NOW, Err(Error::Expired)),
    ]);
}

#[test]
fn issuer_rules() {
    let iss = |value: &str| token(&p(&format!(r#""iss":{value}"#)));
    run(&[
        ("not configured: any iss", iss(r#""whoever""#), v(), NOW, Ok(())),
        ("match", iss(r#""https://x""#), v().issuer("https://x"), NOW, Ok(())),
        ("escaped match", iss(r#""https:\/\/x""#), v().issuer("https://x"), NOW, Ok(())),
        ("one of several", iss(r#""b""#), v().issuers(&["a", "b"]), NOW, Ok(())),
        ("differs", iss(r#""https://y""#), v().issuer("https://x"), NOW, Err(Error::InvalidIssuer)),
        ("prefix only", iss(r#""https://x/""#), v().issuer("https://x"), NOW, Err(Error::InvalidIssuer)),
        ("case differs", iss(r#""HTTPS://X""#), v().issuer("https://x"), NOW, Err(Error::InvalidIssuer)),
        ("missing", token(&p("")), v().issuer("https://x"), NOW, Err(Error::InvalidIssuer)),
        ("empty list", iss(r#""a""#), v().issuers(&[]), NOW, Err(Error::InvalidIssuer)),
        ("iss before aud", iss(r#""z""#), v().issuer("a").audience("b"), NOW, Err(Error::InvalidIssuer)),
    ]);
}

#[test]
fn audience_rules() {
    let aud = |value: &str| token(&p(&format!(r#""aud":{value}"#)));
    let one = v().audience("authenticated");
    run(&[
        ("string match", aud(r#""authenticated""#), one, NOW, Ok(())),
        ("escaped match", aud(r#""\u0061uthenticated""#), one, NOW, Ok(())),
        ("array match", aud(r#"["x","authenticated"]"#), one, NOW, Ok(())),
        ("several configured", aud(r#"["x","y"]"#), v().audiences(&["z", "y"]), NOW, Ok(())),
        ("string mismatch", aud(r#""anon""#), one, NOW, Err(Error::InvalidAudience)),
        ("array mismatch", aud(r#"["anon","x"]"#), one, NOW, Err(Error::InvalidAudience)),
        ("empty array", aud("[]"), one, NOW, Err(Error::InvalidAudience)),
        ("missing with audience configured", token(&p("")), one, NOW, Err(Error::InvalidAudience)),
        ("present, none configured", aud(r#""authenticated""#), v(), NOW, Err(Error::InvalidAudience)),
        ("empty array, none configured", aud("[]"), v(), NOW, Err(Error::InvalidAudience)),
        ("absent, none configured", token(&p("")), v(), NOW, Ok(())),
        ("explicit opt-out", aud(r#""anything""#), v().accept_any_audience(), NOW, Ok(())),
        ("opt-out, absent", token(&p("")), v().accept_any_audience(), NOW, Ok(())),
        ("empty configured list", aud(r#""a""#), v().audiences(&[]), NOW, Err(Error::InvalidAudience)),
        ("null", aud("null"), one, NOW, Err(Error::InvalidClaims(Claim::Aud))),
    ]);
}

#[test]
fn error_kinds_and_messages_are_fixed() {
    let all = [
        (Error::Malformed, "malformed"),
        (Error::TooLarge, "too_large"),
        (Error::UnsupportedAlgorithm, "unsupported_algorithm"),
        (Error::UnsupportedHeader, "unsupported_header"),
        (Error::InvalidSignature, "invalid_signature"),
        (Error::InvalidClaims(Claim::Exp), "invalid_claims"),
        (Error::Expired, "expired"),
        (Error::NotYetValid, "not_yet_valid"),
        (Error::InvalidAudience, "invalid_audience"),
        (Error::InvalidIssuer, "invalid_issuer"),
        (Error::WeakKey, "weak_key"),
        (Error::InvalidKey(jwtcheck::KeyProblem::Encoding), "invalid_key"),
        (Error::UnknownKey, "unknown_key"),
        (Error::InvalidJwks, "invalid_jwks"),
        (Error::InvalidRequest, "invalid_request"),
    ];
    for (error, kind) in all {
        assert_eq!(error.kind(), kind);
        let text = error.to_string();
        assert!(text.starts_with(&format!("{kind}: ")), "{text}");
        assert!(!text.contains("eyJ"), "{text}");
    }
    assert_eq!(
        Error::InvalidClaims(Claim::Aud).to_string(),
        "invalid_claims: the aud claim is not a string or an array of strings"
    );
    let e: &dyn std::error::Error = &Error::Expired;
    assert_eq!(e.to_string(), "expired: the token has expired");
}
