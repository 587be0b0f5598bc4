//! Properties over generated input (proptest), and one exhaustive sweep.
//!
//! - sign → verify round-trips for arbitrary claim sets, every string written
//!   either as serde_json writes it or fully `\u`-escaped;
//! - every single-byte change of a valid token is rejected, with the exact
//!   error the check order predicts: exhaustively (every position, every
//!   byte value) for three tokens, and at random positions of generated ones;
//! - the base64url decoder agrees with the `base64` crate configured for
//!   RFC 7515 §2 (URL-safe alphabet, no padding, no trailing bits);
//! - the verdict does not depend on the order of the members of the header
//!   or of the claims set;
//! - NumericDates are read exactly: the crate agrees with a decimal-string
//!   reference on every JSON number form;
//! - the strict JSON scanner agrees with serde_json plus a duplicate-name and
//!   depth check on generated and mutated documents.
//!
//! Run under plain `cargo test` in a few seconds; not under miri (too slow
//! there, and the same code paths are covered by the table tests).
#![cfg(not(miri))]

mod common;

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use common::{HEADER, SECRET, b64, mac, sign_encoded_bytes};
use jwtcheck::internals::{base64url_decode, numeric_date, scan_json_object};
use jwtcheck::{Error, Hs256Key, NumericDate, Validation, verify, verify_in};
use proptest::prelude::*;
use proptest::sample::select;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 7515 §2 base64url in the reference crate.
const REFERENCE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// `cases` cases, and no regression files: a failure prints its minimal input.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(cases) }
}

/// A JSON string literal for `s`: serde_json's minimal escaping, or every
/// character as `\uXXXX` (astral ones as surrogate pairs).
fn json_string(s: &str, escape_all: bool, upper_hex: bool) -> String {
    if !escape_all {
        return serde_json::to_string(s).unwrap();
    }
    let mut out = String::from("\"");
    for unit in s.encode_utf16() {
        if upper_hex {
            out.push_str(&format!("\\u{unit:04X}"));
        } else {
            out.push_str(&format!("\\u{unit:04x}"));
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------
// Round trip

#[derive(Clone, Debug)]
enum Aud {
    One(String),
    Many(Vec<String>),
}

/// How `exp` is written: the same instant (plus half a second for `Half`).
#[derive(Clone, Copy, Debug)]
enum ExpForm {
    Plain,
    TrailingZeros,
    Exponent,
    ShiftedExponent,
    Half,
}

#[derive(Clone, Debug)]
struct ClaimSet {
    now: u64,
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Aud>,
    exp: u64,
    exp_form: ExpForm,
    nbf: Option<u64>,
    iat: Option<u64>,
    jti: Option<String>,
    extra: BTreeMap<String, serde_json::Value>,
    escape_all: bool,
    upper_hex: bool,
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

fn claim_set() -> impl Strategy<Value = ClaimSet> {
    let aud = prop_oneof![text().prop_map(Aud::One), prop::collection::vec(text(), 1..4).prop_map(Aud::Many)];
    let exp_form = select(vec![
        ExpForm::Plain,
        ExpForm::TrailingZeros,
        ExpForm::Exponent,
        ExpForm::ShiftedExponent,
        ExpForm::Half,
    ]);
    (
        (0..u64::MAX, any::<u64>(), exp_form, any::<Option<u64>>(), any::<Option<u64>>()),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(aud),
            prop::option::of(text()),
            prop::collection::btree_map(
                text().prop_filter("unregistered", |n| !REGISTERED.contains(&n.as_str())),
                json_value(),
                0..4,
            ),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(|((now, exp, exp_form, nbf, iat), (iss, sub, aud, jti, extra, escape_all, upper_hex))| {
            ClaimSet {
                now,
                // exp in (now, u64::MAX], nbf in [0, now].
                exp: now + 1 + exp % (u64::MAX - now),
                exp_form,
                nbf: nbf.map(|n| n % (now + 1)),
                iat,
                iss,
                sub,
                aud,
                jti,
                extra,
                escape_all,
                upper_hex,
            }
        })
}

impl ClaimSet {
    fn string(&self, s: &str) -> String {
        json_string(s, self.escape_all, self.upper_hex)
    }

    fn exp_text(&self) -> String {
        let e = self.exp;
        match self.exp_form {
            ExpForm::Plain => e.to_string(),
            ExpForm::TrailingZeros => format!("{e}.000"),
            ExpForm::Exponent => format!("{e}E+0"),
            ExpForm::ShiftedExponent => format!("{e}0e-1"),
            ExpForm::Half => format!("{e}.5"),
        }
    }

    /// The members, registered first, in a fixed order.
    fn members(&self) -> Vec<(String, String)> {
        let mut m = Vec::new();
        let mut put = |name: &str, value: String| m.push((self.string(name), value));
        if let Some(iss) = &self.iss {
            put("iss", self.string(iss));
        }
        if let Some(sub) = &self.sub {
            put("sub", self.string(sub));
        }
        match &self.aud {
            Some(Aud::One(a)) => put("aud", self.string(a)),
            Some(Aud::Many(v)) => {
                put("aud", format!("[{}]", v.iter().map(|a| self.string(a)).collect::<Vec<_>>().join(",")))
            }
            None => {}
        }
        put("exp", self.exp_text());
        if let Some(nbf) = self.nbf {
            put("nbf", nbf.to_string());
        }
        if let Some(iat) = self.iat {
            put("iat", iat.to_string());
        }
        if let Some(jti) = &self.jti {
            put("jti", self.string(jti));
        }
        for (name, value) in &self.extra {
            put(name, serde_json::to_string(value).unwrap());
        }
        m
    }

    fn validation(&self) -> Validation<'_> {
        let v = match &self.aud {
            None => Validation::new(),
            Some(Aud::One(a)) => Validation::new().audience(a),
            Some(Aud::Many(v)) => Validation::new().audience(v.last().unwrap()),
        };
        match &self.iss {
            Some(iss) => v.issuer(iss),
            None => v,
        }
    }
}

fn object(members: &[(String, String)]) -> String {
    format!("{{{}}}", members.iter().map(|(n, v)| format!("{n}:{v}")).collect::<Vec<_>>().join(","))
}

fn round_trip(c: &ClaimSet) -> Result<(), TestCaseError> {
    let payload = object(&c.members());
    let token = sign_encoded_bytes(b64(HEADER.as_bytes()).as_bytes(), b64(payload.as_bytes()).as_bytes());
    prop_assume!(token.len() <= jwtcheck::DEFAULT_MAX_TOKEN_LEN);
    let key = common::key();
    let claims =
        verify(token.as_slice(), &key, &c.validation(), c.now).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    prop_assert_eq!(claims.payload(), payload.as_str());
    let s = |v: Option<jwtcheck::JsonStr<'_>>| v.map(|s| s.to_string());
    prop_assert_eq!(s(claims.iss()), c.iss.clone());
    prop_assert_eq!(s(claims.sub()), c.sub.clone());
    prop_assert_eq!(s(claims.jti()), c.jti.clone());
    let auds: Vec<String> = claims.aud().map(|a| a.to_string()).collect();
    let expected_auds = match &c.aud {
        None => vec![],
        Some(Aud::One(a)) => vec![a.clone()],
        Some(Aud::Many(v)) => v.clone(),
    };
    prop_assert_eq!(auds, expected_auds);
    let exp = claims.exp().unwrap();
    prop_assert_eq!((exp.as_secs(), exp.has_fraction()), (c.exp, matches!(c.exp_form, ExpForm::Half)));
    prop_assert_eq!(claims.nbf(), c.nbf.map(NumericDate::from_secs));
    prop_assert_eq!(claims.iat(), c.iat.map(NumericDate::from_secs));
    // The same through a caller's buffer.
    let mut buf = vec![0u8; token.len()];
    let borrowed = verify_in(token.as_slice(), &key, &c.validation(), c.now, &mut buf).unwrap();
    prop_assert_eq!(borrowed.payload(), payload.as_str());
    // The first whole second on or after exp is expired, the one before is not.
    let half = matches!(c.exp_form, ExpForm::Half);
    if let Some(expiry) = c.exp.checked_add(u64::from(half)) {
        prop_assert_eq!(verify(token.as_slice(), &key, &c.validation(), expiry).unwrap_err(), Error::Expired);
        prop_assert!(verify(token.as_slice(), &key, &c.validation(), expiry - 1).is_ok());
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn sign_then_verify_round_trips(c in claim_set()) {
        round_trip(&c)?;
    }
}

// ---------------------------------------------------------------------------
// Single-byte changes

/// What `verify` must answer for `token` with byte `i` replaced by `b`, given
/// that `token` itself is accepted with `validation` at `now`.
///
/// Only the header is read before the MAC, so the answer is fixed by where
/// the byte is: a dot removed or added changes the segment count
/// (malformed); a byte in the signature either breaks strict base64url
/// (malformed) or changes the tag (invalid signature); a byte in the payload
/// changes the signing input (invalid signature: the payload is never
/// decoded before the MAC). A byte in the header gets the same header
/// verdict as the changed token would get with a correct MAC, and invalid
/// signature where the header passes.
fn expected_after_change(token: &[u8], i: usize, b: u8, secret: &[u8], validation: &Validation<'_>, now: u64) -> Error {
    let first = token.iter().position(|&c| c == b'.').unwrap();
    let last = token.iter().rposition(|&c| c == b'.').unwrap();
    let in_alphabet = ALPHABET.contains(&b);
    if i == first || i == last || b == b'.' {
        return Error::Malformed;
    }
    if i > last {
        let is_last_char = i == token.len() - 1;
        let sextet = ALPHABET.iter().position(|&c| c == b).unwrap_or(0);
        return if !in_alphabet || (is_last_char && sextet & 0x03 != 0) {
            Error::Malformed
        } else {
            Error::InvalidSignature
        };
    }
    if i > first {
        return Error::InvalidSignature;
    }
    let mut header = token[..first].to_vec();
    header[i] = b;
    let input = [&header, b".".as_slice(), &token[first + 1..last]].concat();
    let resigned = [input.as_slice(), b".", b64(&mac(secret, &input)).as_bytes()].concat();
    match verify(resigned.as_slice(), &Hs256Key::new(secret).unwrap(), validation, now) {
        Ok(_) => Error::InvalidSignature,
        Err(e @ (Error::Malformed | Error::UnsupportedAlgorithm | Error::UnsupportedHeader)) => e,
        Err(e) => panic!("a header change cannot cause {e:?}"),
    }
}

fn changed(token: &[u8], i: usize, b: u8) -> Vec<u8> {
    let mut t = token.to_vec();
    t[i] = b;
    t
}

/// Every position, every other byte value. Returns how often each error was
/// seen, so the caller can check the sweep reached every branch.
fn sweep(token: &[u8], secret: &[u8], validation: &Validation<'_>, now: u64) -> BTreeMap<&'static str, usize> {
    let key = Hs256Key::new(secret).unwrap();
    assert_eq!(verify(token, &key, validation, now).map(|_| ()), Ok(()), "the unchanged token is valid");
    let mut seen = BTreeMap::new();
    for i in 0..token.len() {
        for b in (0..=255u8).filter(|&b| b != token[i]) {
            let expected = expected_after_change(token, i, b, secret, validation, now);
            let got = verify(changed(token, i, b).as_slice(), &key, validation, now).map(|_| ());
            assert_eq!(got, Err(expected), "byte {i} ({:?}) changed to {b:#04x}", char::from(token[i]));
            *seen.entry(expected.kind()).or_default() += 1;
        }
    }
    seen
}

#[test]
fn every_single_byte_change_is_rejected() {
    let strict = Validation::new().audience("authenticated").issuer("https://x");
    let payload =
        r#"{"iss":"https:\/\/x","sub":"user-1","aud":["\u0061uthenticated"],"exp":1700003600,"nbf":1699999000}"#;
    let token =
        |header: &str| sign_encoded_bytes(b64(header.as_bytes()).as_bytes(), b64(payload.as_bytes()).as_bytes());
    // RFC 7515 A.1, with its own key.
    let a1 = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let a1_secret = REFERENCE
        .decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
        .unwrap();
    let cases = [
        ("common header", token(HEADER), SECRET.to_vec(), strict, 1_700_000_000),
        (
            "at+jwt header",
            token(r#"{"typ":"at+jwt","kid":"k1","alg":"HS256"}"#),
            SECRET.to_vec(),
            strict,
            1_700_000_000,
        ),
        ("RFC 7515 A.1", a1.as_bytes().to_vec(), a1_secret, Validation::new(), 1300819379),
    ];
    for (name, token, secret, validation, now) in &cases {
        let seen = sweep(token, secret, validation, *now);
        // Every branch of the oracle was taken.
        for kind in ["malformed", "invalid_signature", "unsupported_algorithm", "unsupported_header"] {
            assert!(seen.get(kind).copied().unwrap_or(0) > 0, "{name}: no change gave {kind}: {seen:?}");
        }
        assert_eq!(seen.values().sum::<usize>(), token.len() * 255, "{name}");
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn single_byte_change_of_a_generated_token(c in claim_set(), at in any::<prop::sample::Index>(), b in any::<u8>()) {
        let payload = object(&c.members());
        let token = sign_encoded_bytes(b64(HEADER.as_bytes()).as_bytes(), b64(payload.as_bytes()).as_bytes());
        prop_assume!(token.len() <= jwtcheck::DEFAULT_MAX_TOKEN_LEN);
        let i = at.index(token.len());
        prop_assume!(token[i] != b);
        let validation = c.validation();
        let expected = expected_after_change(&token, i, b, SECRET, &validation, c.now);
        let got = verify(changed(&token, i, b).as_slice(), &common::key(), &validation, c.now).map(|_| ());
        prop_assert_eq!(got, Err(expected));
    }
}

// ---------------------------------------------------------------------------
// base64url against the reference crate

fn decode_ours(input: &[u8]) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; input.len()];
    match base64url_decode(input, &mut buf) {
        Ok(bytes) => Some(bytes.to_vec()),
        Err(Error::Malformed) => None,
        Err(e) => panic!("unexpected {e:?} with a large enough buffer"),
    }
}

fn base64ish() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        16 => select(ALPHABET.to_vec()),
        1 => select(b"=+/ \n\r\t.\0".to_vec()),
        1 => any::<u8>(),
    ];
    prop::collection::vec(byte, 0..48)
}

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn base64url_decoder_agrees_with_the_base64_crate(input in base64ish()) {
        prop_assert_eq!(decode_ours(&input), REFERENCE.decode(&input).ok(), "input {:?}", String::from_utf8_lossy(&input));
    }

    #[test]
    fn base64url_decodes_what_the_base64_crate_encodes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let encoded = REFERENCE.encode(&bytes);
        prop_assert_eq!(decode_ours(encoded.as_bytes()), Some(bytes));
    }

    #[test]
    fn base64url_refuses_a_too_small_buffer(bytes in prop::collection::vec(any::<u8>(), 1..64)) {
        let encoded = REFERENCE.encode(&bytes);
        let mut small = vec![0u8; bytes.len() - 1];
        prop_assert_eq!(base64url_decode(encoded.as_bytes(), &mut small), Err(Error::TooLarge));
    }
}

// ---------------------------------------------------------------------------
// Member order

/// A member and the values it may take, right or wrong.
fn claim_member() -> impl Strategy<Value = (String, String)> {
    let values = |name: &'static str, values: &'static [&'static str]| {
        select(values.to_vec()).prop_map(move |v| (format!("\"{name}\""), v.to_owned()))
    };
    prop_oneof![
        values("iss", &[r#""i""#, r#""\u0069""#, r#""j""#, "1", "null"]),
        values("sub", &[r#""s""#, "[]", "true"]),
        values("aud", &[r#""a""#, r#"["b","a"]"#, r#"["b"]"#, "[]", "null", r#"["a",1]"#, "{}"]),
        values("exp", &["1700003600", "1700000000", "1.7e9", "1700000000.5", "-0", r#""1""#, "1e400", "null"]),
        values("nbf", &["1699999999", "1700000001", "1.5", "-1", "false"]),
        values("iat", &["0", "18446744073709551615", "18446744073709551616", r#""x""#]),
        values("jti", &[r#""j""#, "7"]),
        values("\\u0065xp", &["1700003600"]),
        (text(), json_value())
            .prop_map(|(n, v)| (serde_json::to_string(&n).unwrap(), serde_json::to_string(&v).unwrap())),
    ]
}

fn header_member() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        select(vec![r#""HS256""#, r#""none""#, r#""HS384""#, "null"])
            .prop_map(|v| ("\"alg\"".to_owned(), v.to_owned())),
        select(vec![r#""JWT""#, r#""JOSE""#, "1"]).prop_map(|v| ("\"typ\"".to_owned(), v.to_owned())),
        select(vec![r#"[]"#, r#"["b64"]"#]).prop_map(|v| ("\"crit\"".to_owned(), v.to_owned())),
        select(vec![r#""k1""#, r#"{"x":[1]}"#]).prop_map(|v| ("\"kid\"".to_owned(), v.to_owned())),
    ]
}

/// A JSON object's members as (name, value) texts.
type Members = Vec<(String, String)>;

/// Members with distinct names, in two orders. `exp` and `\u0065xp` count
/// as distinct here, so some documents repeat a name: malformed in any order.
fn members_in_two_orders(
    member: impl Strategy<Value = (String, String)>,
    max: usize,
) -> impl Strategy<Value = (Members, Members)> {
    prop::collection::vec(member, 0..max)
        .prop_map(|members| {
            let mut names = std::collections::BTreeSet::new();
            members.into_iter().filter(|(name, _)| names.insert(name.clone())).collect::<Vec<_>>()
        })
        .prop_flat_map(|m| (Just(m.clone()).prop_shuffle(), Just(m).prop_shuffle()))
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn verdict_does_not_depend_on_member_order(
        (header_a, header_b) in members_in_two_orders(header_member(), 4),
        (claims_a, claims_b) in members_in_two_orders(claim_member(), 9),
        validation in select(vec![
            Validation::new(),
            Validation::new().audience("a"),
            Validation::new().issuer("i").accept_any_audience(),
            Validation::new().allow_missing_exp().leeway(5),
        ]),
        now in select(vec![0u64, 1_699_999_999, 1_700_000_000, 1_700_000_001]),
    ) {
        let key = common::key();
        let token = |header: &[(String, String)], claims: &[(String, String)]| {
            sign_encoded_bytes(b64(object(header).as_bytes()).as_bytes(), b64(object(claims).as_bytes()).as_bytes())
        };
        let a = verify(token(&header_a, &claims_a).as_slice(), &key, &validation, now).map(|c| c.payload().len());
        let b = verify(token(&header_b, &claims_b).as_slice(), &key, &validation, now).map(|c| c.payload().len());
        prop_assert_eq!(a, b);
    }
}

#[test]
fn order_generators_reach_every_verdict() {
    // The generators above are only worth something if the verdicts they
    // compare vary; check a fixed sample covers the main kinds.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let key = common::key();
    let mut kinds = std::collections::BTreeSet::new();
    for _ in 0..2000 {
        let header = members_in_two_orders(header_member(), 4).new_tree(&mut runner).unwrap().current().0;
        let claims = members_in_two_orders(claim_member(), 9).new_tree(&mut runner).unwrap().current().0;
        let token =
            sign_encoded_bytes(b64(object(&header).as_bytes()).as_bytes(), b64(object(&claims).as_bytes()).as_bytes());
        let verdict = verify(token.as_slice(), &key, &Validation::new().audience("a"), 1_700_000_000);
        kinds.insert(verdict.map_or_else(|e| e.kind(), |_| "ok"));
    }
    for kind in [
        "ok",
        "malformed",
        "unsupported_algorithm",
        "unsupported_header",
        "invalid_claims",
        "expired",
        "not_yet_valid",
        "invalid_audience",
    ] {
        assert!(kinds.contains(kind), "{kind} never reached: {kinds:?}");
    }
}

// ---------------------------------------------------------------------------
// NumericDate against a decimal reference

/// The reference reading of a JSON number: shift the decimal point in the
/// digit string, then `(whole seconds, has a fraction)`, or `None` when it
/// is negative (even -0) or not below 2^64.
fn numeric_date_reference(text: &str) -> Option<(u64, bool)> {
    if text.starts_with('-') {
        return None;
    }
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (
            &text[..i],
            text[i + 1..].parse::<i128>().unwrap_or_else(|_| {
                // Longer than i128: only the sign matters.
                if text[i + 1..].starts_with('-') { i128::MIN / 2 } else { i128::MAX / 2 }
            }),
        ),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let point = int.len() as i128 + exp;
    let (whole, rest): (Vec<u8>, Vec<u8>) = if point <= 0 {
        (vec![], digits)
    } else if point as usize >= digits.len() || point > 10_000 {
        if point > 10_000 && digits.iter().any(|&d| d != b'0') {
            return None;
        }
        let mut w = digits.clone();
        w.resize(point.min(10_000) as usize, b'0');
        (w, vec![])
    } else {
        (digits[..point as usize].to_vec(), digits[point as usize..].to_vec())
    };
    let whole: Vec<u8> = whole.into_iter().skip_while(|&d| d == b'0').collect();
    let fraction = rest.iter().any(|&d| d != b'0');
    if whole.len() > 20 {
        return None;
    }
    let value: u128 = std::str::from_utf8(&whole).unwrap().parse().unwrap_or(0);
    u64::try_from(value).ok().map(|v| (v, fraction))
}

fn json_number() -> impl Strategy<Value = String> {
    let digits = |max| prop::collection::vec(select(b"0123456789".to_vec()), 1..max);
    (
        any::<bool>(),
        prop_oneof![
            Just(b"0".to_vec()),
            (select(b"123456789".to_vec()), digits(24)).prop_map(|(d, r)| [vec![d], r].concat())
        ],
        prop::option::of(digits(24)),
        prop::option::of((
            select(vec!["e", "E"]),
            select(vec!["", "+", "-"]),
            prop_oneof![4 => digits(3), 1 => digits(40)],
        )),
    )
        .prop_map(|(negative, int, frac, exp)| {
            let mut s = String::from(if negative { "-" } else { "" });
            s.push_str(std::str::from_utf8(&int).unwrap());
            if let Some(f) = frac {
                s.push('.');
                s.push_str(std::str::from_utf8(&f).unwrap());
            }
            if let Some((e, sign, d)) = exp {
                s.push_str(e);
                s.push_str(sign);
                s.push_str(std::str::from_utf8(&d).unwrap());
            }
            s
        })
}

/// Values within a few units of 2^64, integer or with a fraction, written
/// with the decimal point moved by an exponent.
fn near_two_pow_64() -> impl Strategy<Value = String> {
    (0u128..64, any::<bool>(), prop::option::of(1u32..99), 0usize..20, 0usize..4).prop_map(
        |(delta, above, frac, shift, zeros)| {
            let base = 1u128 << 64;
            let whole = if above { base + delta } else { base - 1 - delta };
            let mut digits = whole.to_string();
            if let Some(f) = frac {
                digits.push_str(&f.to_string());
            }
            let frac_len = frac.map_or(0, |f| f.to_string().len());
            digits.push_str(&"0".repeat(zeros));
            // digits * 10^-(frac_len + zeros) == value; move the point `shift` left.
            let point = digits.len() - frac_len - zeros - shift.min(digits.len() - 1);
            let exp = shift.min(digits.len() - 1) as i64;
            let (int, rest) = digits.split_at(point);
            if rest.is_empty() { format!("{int}e{exp}") } else { format!("{int}.{rest}e{exp}") }
        },
    )
}

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn numeric_dates_near_two_pow_64_agree_with_the_reference(text in near_two_pow_64()) {
        let got = numeric_date(text.as_bytes()).map(|d| (d.as_secs(), d.has_fraction()));
        prop_assert_eq!(got, numeric_date_reference(&text), "{}", text);
    }

    #[test]
    fn numeric_dates_agree_with_a_decimal_reference(text in json_number()) {
        let got = numeric_date(text.as_bytes()).map(|d| (d.as_secs(), d.has_fraction()));
        prop_assert_eq!(got, numeric_date_reference(&text), "{}", text);
    }
}

#[test]
fn numeric_date_reference_is_itself_right() {
    for (text, expected) in [
        ("0", Some((0, false))),
        ("-0", None),
        ("1.5", Some((1, true))),
        ("15e-1", Some((1, true))),
        ("1e3", Some((1000, false))),
        ("0.001e3", Some((1, false))),
        ("18446744073709551615", Some((u64::MAX, false))),
        ("18446744073709551616", None),
        ("1844674407370955161.59e1", Some((u64::MAX, true))),
        ("1e400", None),
        ("0e400", Some((0, false))),
        ("1e-400", Some((0, true))),
    ] {
        assert_eq!(numeric_date_reference(text), expected, "{text}");
    }
}

// ---------------------------------------------------------------------------
// The JSON scanner against serde_json

/// serde_json's parse, plus what it does not check: no name repeated in an
/// object (compared after unescaping), nesting at most `max_depth` with the
/// root object at depth 1, and a root that is an object. `None` when
/// serde_json cannot hold a number (`1e400`), which RFC 8259 allows and the
/// scanner accepts.
fn json_reference(doc: &str, max_depth: usize) -> Option<bool> {
    use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    struct Strict {
        depth: usize,
        max_depth: usize,
        root: bool,
    }

    impl<'de> DeserializeSeed<'de> for Strict {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl Strict {
        fn child(&self) -> Strict {
            Strict { depth: self.depth + 1, max_depth: self.max_depth, root: false }
        }
        fn scalar<E: serde::de::Error>(&self) -> Result<(), E> {
            if self.root { Err(E::custom("root is not an object")) } else { Ok(()) }
        }
    }

    impl<'de> Visitor<'de> for Strict {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
            self.scalar()
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
            self.scalar()
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
            self.scalar()
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
            self.scalar()
        }
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
            self.scalar()
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
            self.scalar()
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            if self.root || self.depth + 1 > self.max_depth {
                return Err(A::Error::custom("array at the root or too deep"));
            }
            while seq.next_element_seed(self.child())?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            if self.depth + 1 > self.max_depth {
                return Err(A::Error::custom("too deep"));
            }
            let mut names = std::collections::HashSet::new();
            while let Some(name) = map.next_key::<String>()? {
                if !names.insert(name) {
                    return Err(A::Error::custom("repeated name"));
                }
                map.next_value_seed(self.child())?;
            }
            Ok(())
        }
    }

    let mut de = serde_json::Deserializer::from_str(doc);
    let strict = Strict { depth: 0, max_depth, root: true };
    match strict.deserialize(&mut de).and_then(|()| de.end()) {
        Ok(()) => Some(true),
        Err(e) if e.to_string().starts_with("number out of range") => None,
        Err(_) => Some(false),
    }
}

/// JSON text from a small grammar: names drawn from a few that collide
/// after unescaping, strings with escapes, numbers serde_json can hold,
/// random JSON whitespace.
fn json_text(depth: u32) -> BoxedStrategy<String> {
    let ws = select(vec!["", "", "", " ", "\n", "\t\r "]).prop_map(str::to_owned);
    let name = select(vec![
        r#""a""#,
        r#""\u0061""#,
        r#""b""#,
        r#""\/""#,
        r#""/""#,
        r#""""#,
        r#""\ud83d\ude00""#,
        r#""😀""#,
        r#""exp""#,
    ]);
    let string = select(vec![r#""x""#, r#""\"\\\/\b\f\n\r\t""#, r#""\u00e9\uD834\uDD1E""#, r#""é""#, r#""\u0000""#]);
    let number = select(vec!["0", "-0", "12", "-1.5", "1e3", "2.5E-3", "1E+2", "18446744073709551616"]);
    let literal = select(vec!["true", "false", "null"]);
    let leaf =
        prop_oneof![string.prop_map(str::to_owned), number.prop_map(str::to_owned), literal.prop_map(str::to_owned)];
    if depth == 0 {
        return leaf.boxed();
    }
    let inner = json_text(depth - 1);
    let members = prop::collection::vec((name, ws.clone(), inner.clone(), ws.clone()), 0..5).prop_map(|m| {
        format!(
            "{{{}}}",
            m.iter().map(|(n, w1, v, w2)| format!("{w1}{n}{w2}:{w1}{v}{w2}")).collect::<Vec<_>>().join(",")
        )
    });
    let elements = prop::collection::vec((ws, inner), 0..4)
        .prop_map(|e| format!("[{}]", e.iter().map(|(w, v)| format!("{w}{v}{w}")).collect::<Vec<_>>().join(",")));
    prop_oneof![2 => leaf, 3 => members, 2 => elements].boxed()
}

/// A document, sometimes with one byte inserted, deleted or replaced.
fn json_document() -> impl Strategy<Value = String> {
    let noise = select(b"{}[]\",:\\ \n0-e.ntu/\x01".to_vec());
    (
        json_text(4),
        any::<prop::sample::Index>(),
        prop_oneof![3 => Just(None), 1 => Just(Some(0u8)), 1 => Just(Some(1u8)), 1 => Just(Some(2u8))],
        noise,
    )
        .prop_map(|(doc, at, op, byte)| {
            let mut bytes = doc.into_bytes();
            if let Some(op) = op {
                let i = at.index(bytes.len() + 1);
                match op {
                    0 => bytes.insert(i, byte),
                    1 if i < bytes.len() => drop(bytes.remove(i)),
                    _ if i < bytes.len() => bytes[i] = byte,
                    _ => bytes.push(byte),
                }
            }
            // Keep it a str: a mutation inside a multi-byte character is
            // not the scanner's input (the caller checks UTF-8 first).
            String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        })
}

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn json_scanner_agrees_with_serde_json(doc in json_document(), max_depth in 1usize..6) {
        let reference = json_reference(&doc, max_depth);
        prop_assume!(reference.is_some());
        let ours = scan_json_object(&doc, max_depth).is_ok();
        prop_assert_eq!(Some(ours), reference, "{:?} at max depth {}", doc, max_depth);
    }
}

#[test]
fn json_generator_reaches_every_kind_of_verdict() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut accepted, mut rejected, mut only_duplicates, mut only_depth) = (0, 0, 0, 0);
    for _ in 0..2000 {
        let doc = json_document().new_tree(&mut runner).unwrap().current();
        if json_reference(&doc, 2) == Some(true) {
            accepted += 1;
        } else {
            rejected += 1;
            let parses = serde_json::from_str::<serde_json::Value>(&doc).is_ok_and(|v| v.is_object());
            if parses && json_reference(&doc, 64) == Some(true) {
                only_depth += 1;
            } else if parses {
                only_duplicates += 1;
            }
        }
    }
    for (what, n) in
        [("accepted", accepted), ("rejected", rejected), ("duplicates", only_duplicates), ("depth", only_depth)]
    {
        assert!(n > 20, "{what}: {n} of 2000");
    }
}

/// Deserializes `doc` (when it verifies) through `Claims::deserialize` into
/// `serde_json::Value`, compared with `serde_json::from_str`, and into typed
/// structs, which must not panic.
fn deserialize_agrees_with_serde_json(doc: &str) -> Result<(), TestCaseError> {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Typed<'a> {
        #[serde(borrow)]
        a: Option<std::borrow::Cow<'a, str>>,
        b: Option<Vec<i64>>,
        c: Option<BTreeMap<String, serde_json::Value>>,
        d: Option<(u8, f64)>,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict<'a> {
        a: Option<&'a str>,
        b: Option<bool>,
        x: Option<u64>,
    }
    let validation = Validation::new().allow_missing_exp().accept_any_audience();
    let Ok(claims) = verify(common::token(doc).as_str(), &common::key(), &validation, 0) else {
        return Ok(());
    };
    let ours = claims.deserialize::<serde_json::Value>().ok();
    let reference = serde_json::from_str::<serde_json::Value>(doc).ok();
    prop_assert_eq!(ours, reference, "{:?}", doc);
    let _ = claims.deserialize::<Typed>();
    let _ = claims.deserialize::<Strict>();
    let _ = claims.deserialize::<BTreeMap<String, String>>();
    let _ = claims.deserialize::<serde::de::IgnoredAny>();
    Ok(())
}

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn deserialize_into_value_agrees_with_serde_json(doc in json_document()) {
        deserialize_agrees_with_serde_json(&doc)?;
    }

    #[test]
    fn deserialized_numbers_agree_with_serde_json(n in json_number(), m in near_two_pow_64()) {
        deserialize_agrees_with_serde_json(&format!(r#"{{"x":{n},"y":[{m},-{m}]}}"#))?;
    }
}
