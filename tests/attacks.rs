//! The attack table: what someone who controls the whole token, but not the
//! key, can try, one named row per attack, each with the exact outcome.
//!
//! Modelled on ed25519-dalek's `validation_criteria.rs`: one table, every row
//! run, every mismatch reported at once. `tests/rules.rs` goes rule by rule
//! through the specification; this file goes attack by attack. Where a row
//! needs the MAC to be right to reach the rule it attacks (whitespace in the
//! payload, a lone surrogate, a duplicate `exp`), the token is signed with
//! our key over exactly the bytes it carries: the rule must hold even for a
//! careless issuer. Rows that change a signed token without the key say so.
//!
//! Expected outcomes follow the README's "What is checked, in order".

mod common;

use common::{HEADER, SECRET, b64, mac, sign_encoded_bytes};
use hmac::{Hmac, KeyInit, Mac};
use jwtcheck::{Claim, Error, Validation, verify};
use sha2::{Sha384, Sha512};

const NOW: u64 = 1_700_000_000;
const EXP: u64 = NOW + 3600;
const TWO_POW_64: &str = "18446744073709551616";
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A key an attacker controls: what `jwk`, `jku`, `x5u` or `kid` point to.
const ATTACKER_SECRET: &[u8] = b"attacker-chosen-secret-of-32-bytes!!";

type Outcome = Result<(), Error>;

struct Row {
    name: String,
    token: Vec<u8>,
    validation: Validation<'static>,
    now: u64,
    expected: Outcome,
}

impl Row {
    fn with(mut self, validation: Validation<'static>) -> Self {
        self.validation = validation;
        self
    }

    fn at(mut self, now: u64) -> Self {
        self.now = now;
        self
    }
}

fn row(name: impl Into<String>, token: impl Into<Vec<u8>>, expected: Outcome) -> Row {
    Row { name: name.into(), token: token.into(), validation: Validation::new(), now: NOW, expected }
}

fn ic(claim: Claim) -> Outcome {
    Err(Error::InvalidClaims(claim))
}

/// `header` and `payload` (any bytes), base64url-encoded and MAC'd with our key.
fn signed(header: &[u8], payload: &[u8]) -> Vec<u8> {
    sign_encoded_bytes(b64(header).as_bytes(), b64(payload).as_bytes())
}

/// `payload` under the usual header, MAC'd with our key.
fn tok(payload: &str) -> Vec<u8> {
    signed(HEADER.as_bytes(), payload.as_bytes())
}

/// `header` over the usual payload, MAC'd with our key.
fn hdr(header: &str) -> Vec<u8> {
    signed(header.as_bytes(), payload().as_bytes())
}

/// A valid payload, optionally with extra members.
fn payload_with(extra: &str) -> String {
    if extra.is_empty() {
        format!(r#"{{"sub":"user-1","exp":{EXP}}}"#)
    } else {
        format!(r#"{{"sub":"user-1","exp":{EXP},{extra}}}"#)
    }
}

fn payload() -> String {
    payload_with("")
}

/// Splits a token at its last dot: (signing input, signature segment).
fn split_sig(token: &[u8]) -> (&[u8], &[u8]) {
    let dot = token.iter().rposition(|&b| b == b'.').unwrap();
    (&token[..dot], &token[dot + 1..])
}

fn with_sig(token: &[u8], sig: &[u8]) -> Vec<u8> {
    [split_sig(token).0, b".", sig].concat()
}

/// The segments of a three-segment token.
fn segments(token: &[u8]) -> [Vec<u8>; 3] {
    let parts: Vec<Vec<u8>> = token.split(|&b| b == b'.').map(<[u8]>::to_vec).collect();
    parts.try_into().unwrap()
}

/// `segment` with its last character's unused low bits set, in every
/// non-zero pattern: the same bytes to a lenient decoder, other spellings of
/// them. Returns (pattern, segment).
fn non_canonical_tails(segment: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let value = ALPHABET.iter().position(|c| c == segment.last().unwrap()).unwrap();
    let spare = match segment.len() % 4 {
        2 => 0x0F,
        3 => 0x03,
        _ => panic!("no spare bits in a segment of length {}", segment.len()),
    };
    assert_eq!(value & spare, 0, "already non-canonical");
    (1..=spare)
        .map(|bits| {
            let mut s = segment.to_vec();
            *s.last_mut().unwrap() = ALPHABET[value | bits];
            (bits, s)
        })
        .collect()
}

fn hmac_sha384(secret: &[u8], input: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<Sha384> as KeyInit>::new_from_slice(secret).unwrap();
    m.update(input);
    m.finalize().into_bytes().to_vec()
}

fn hmac_sha512(secret: &[u8], input: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<Sha512> as KeyInit>::new_from_slice(secret).unwrap();
    m.update(input);
    m.finalize().into_bytes().to_vec()
}

/// `header` over the usual payload, MAC'd by `mac_fn` with `secret`.
fn hdr_macd_by(header: &str, secret: &[u8], mac_fn: fn(&[u8], &[u8]) -> Vec<u8>) -> Vec<u8> {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload().as_bytes()));
    format!("{input}.{}", b64(&mac_fn(secret, input.as_bytes()))).into_bytes()
}

fn hmac_sha256(secret: &[u8], input: &[u8]) -> Vec<u8> {
    mac(secret, input).to_vec()
}

fn algorithm_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    let good = tok(&payload());
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = format!(r#"{{"alg":"{alg}"}}"#);
        let unsigned = format!("{}.{}.", b64(header.as_bytes()), b64(payload().as_bytes()));
        rows.push(row(format!("alg {alg}, empty signature"), unsigned, Err(Error::UnsupportedAlgorithm)));
        rows.push(row(format!("alg {alg}, MAC'd with our key"), hdr(&header), Err(Error::UnsupportedAlgorithm)));
        // Without the key: swap the header of a valid token, keep its MAC.
        let swapped =
            [b64(header.as_bytes()).as_bytes(), b".", &segments(&good)[1], b".", &segments(&good)[2]].concat();
        rows.push(row(format!("alg {alg}, valid token's signature kept"), swapped, Err(Error::UnsupportedAlgorithm)));
    }
    rows.extend([
        row("alg none escaped", hdr(r#"{"alg":"\u006eone"}"#), Err(Error::UnsupportedAlgorithm)),
        row("alg empty string", hdr(r#"{"alg":""}"#), Err(Error::UnsupportedAlgorithm)),
        row("alg null", hdr(r#"{"alg":null}"#), Err(Error::UnsupportedAlgorithm)),
        row("alg missing", hdr(r#"{"typ":"JWT"}"#), Err(Error::UnsupportedAlgorithm)),
        row("alg only in a nested object", hdr(r#"{"x":{"alg":"HS256"}}"#), Err(Error::UnsupportedAlgorithm)),
        row("alg HS256 plus escaped NUL", hdr(r#"{"alg":"HS256\u0000"}"#), Err(Error::UnsupportedAlgorithm)),
        row("alg hs256 lower case", hdr(r#"{"alg":"hs256"}"#), Err(Error::UnsupportedAlgorithm)),
        row("alg escaped HS256 is HS256", hdr(r#"{"alg":"HS\u0032\u0035\u0036"}"#), Ok(())),
        // Algorithm confusion: the header names another algorithm, and the
        // MAC is even right under our key. The key fixes the algorithm
        // (RFC 8725 §3.1), so the header alone decides.
        row(
            "RS256 header, HS256 MAC with our key",
            hdr_macd_by(r#"{"alg":"RS256","typ":"JWT"}"#, SECRET, hmac_sha256),
            Err(Error::UnsupportedAlgorithm),
        ),
        row(
            "ES256 header, HS256 MAC with our key",
            hdr_macd_by(r#"{"alg":"ES256","typ":"JWT"}"#, SECRET, hmac_sha256),
            Err(Error::UnsupportedAlgorithm),
        ),
        row(
            "HS384 header, HMAC-SHA384 with our key",
            hdr_macd_by(r#"{"alg":"HS384","typ":"JWT"}"#, SECRET, hmac_sha384),
            Err(Error::UnsupportedAlgorithm),
        ),
        row(
            "HS512 header, HMAC-SHA512 with our key",
            hdr_macd_by(r#"{"alg":"HS512","typ":"JWT"}"#, SECRET, hmac_sha512),
            Err(Error::UnsupportedAlgorithm),
        ),
        row(
            "HS384 header, HS256 MAC with our key",
            hdr_macd_by(r#"{"alg":"HS384","typ":"JWT"}"#, SECRET, hmac_sha256),
            Err(Error::UnsupportedAlgorithm),
        ),
        row(
            "HS256 header, HMAC-SHA512 with our key",
            hdr_macd_by(HEADER, SECRET, hmac_sha512),
            Err(Error::InvalidSignature),
        ),
        row(
            "HS256 header, HMAC-SHA384 truncated to 32 bytes",
            hdr_macd_by(HEADER, SECRET, |secret, input| hmac_sha384(secret, input)[..32].to_vec()),
            Err(Error::InvalidSignature),
        ),
    ]);
    rows
}

fn signature_rows() -> Vec<Row> {
    let good = tok(&payload());
    let (input, _) = split_sig(&good);
    let tag = mac(SECRET, input);
    let other = tok(&payload_with(r#""role":"admin""#));
    let other_header = signed(br#"{"alg":"HS256"}"#, payload().as_bytes());

    // A token whose signature text holds a `-` or `_`, so the standard
    // alphabet spells it differently.
    let url_token = (0..)
        .map(|n| tok(&payload_with(&format!(r#""n":{n}"#))))
        .find(|t| split_sig(t).1.iter().any(|&c| c == b'-' || c == b'_'))
        .unwrap();
    let standard = String::from_utf8(split_sig(&url_token).1.to_vec()).unwrap().replace('-', "+").replace('_', "/");
    assert_ne!(standard.as_bytes(), split_sig(&url_token).1);

    let mut rows = vec![
        row("valid token (control)", good.clone(), Ok(())),
        row("empty signature", with_sig(&good, b""), Err(Error::InvalidSignature)),
        row(
            "signature truncated to 31 bytes",
            with_sig(&good, b64(&tag[..31]).as_bytes()),
            Err(Error::InvalidSignature),
        ),
        row(
            "signature truncated to 16 bytes",
            with_sig(&good, b64(&tag[..16]).as_bytes()),
            Err(Error::InvalidSignature),
        ),
        row("signature truncated to 1 byte", with_sig(&good, b64(&tag[..1]).as_bytes()), Err(Error::InvalidSignature)),
        row(
            "signature with one byte appended",
            with_sig(&good, b64(&[tag.as_slice(), &[0]].concat()).as_bytes()),
            Err(Error::InvalidSignature),
        ),
        row(
            "signature repeated (64 bytes)",
            with_sig(&good, b64(&[tag, tag].concat()).as_bytes()),
            Err(Error::InvalidSignature),
        ),
        row("all-zero 32-byte signature", with_sig(&good, b64(&[0; 32]).as_bytes()), Err(Error::InvalidSignature)),
        row("all-ones 32-byte signature", with_sig(&good, b64(&[0xFF; 32]).as_bytes()), Err(Error::InvalidSignature)),
        row("signature of another token", with_sig(&good, split_sig(&other).1), Err(Error::InvalidSignature)),
        row(
            "signature of the same payload under another header",
            with_sig(&good, split_sig(&other_header).1),
            Err(Error::InvalidSignature),
        ),
        row(
            "signature of the header and payload without the dot",
            with_sig(
                &good,
                b64(&mac(SECRET, &input.iter().copied().filter(|&b| b != b'.').collect::<Vec<_>>())).as_bytes(),
            ),
            Err(Error::InvalidSignature),
        ),
        row("MAC with an empty key", with_sig(&good, b64(&mac(b"", input)).as_bytes()), Err(Error::InvalidSignature)),
        row(
            "MAC with our key's first 31 bytes",
            with_sig(&good, b64(&mac(&SECRET[..31], input)).as_bytes()),
            Err(Error::InvalidSignature),
        ),
        row("valid signature, padded", [good.as_slice(), b"="].concat(), Err(Error::Malformed)),
        row("valid signature, padded twice", [good.as_slice(), b"=="].concat(), Err(Error::Malformed)),
        row(
            "valid signature in the standard alphabet",
            with_sig(&url_token, standard.as_bytes()),
            Err(Error::Malformed),
        ),
        row(
            "valid signature, hex instead of base64url",
            with_sig(&good, tag.iter().map(|b| format!("{b:02x}")).collect::<String>().as_bytes()),
            Err(Error::InvalidSignature),
        ),
        // The payload of a token whose MAC fails is never parsed.
        row(
            "bad MAC, payload not JSON",
            with_sig(&signed(HEADER.as_bytes(), b"{not json"), b64(&[0; 32]).as_bytes()),
            Err(Error::InvalidSignature),
        ),
        row(
            "bad MAC, payload not base64url",
            [b64(HEADER.as_bytes()).as_bytes(), b".%%%.", b64(&[0; 32]).as_bytes()].concat(),
            Err(Error::InvalidSignature),
        ),
        row(
            "bad MAC, expired payload",
            with_sig(&tok(r#"{"exp":1}"#), b64(&[0; 32]).as_bytes()),
            Err(Error::InvalidSignature),
        ),
    ];
    // Malleability: the valid MAC spelled with its 2 unused bits set.
    for (bits, sig) in non_canonical_tails(split_sig(&good).1) {
        rows.push(row(
            format!("valid signature, unused bits {bits:#04b} set"),
            with_sig(&good, &sig),
            Err(Error::Malformed),
        ));
    }
    rows
}

fn header_rows() -> Vec<Row> {
    let key_rows = |name: &str, header: String| {
        vec![
            row(
                format!("{name}, signed with the attacker's key"),
                hdr_macd_by(&header, ATTACKER_SECRET, hmac_sha256),
                Err(Error::InvalidSignature),
            ),
            row(format!("{name}, signed with our key (ignored)"), hdr(&header), Ok(())),
        ]
    };
    let attacker_k = b64(ATTACKER_SECRET);
    let mut rows = vec![
        row("crit empty", hdr(r#"{"alg":"HS256","crit":[]}"#), Err(Error::UnsupportedHeader)),
        row(
            "crit unknown extension",
            hdr(r#"{"alg":"HS256","crit":["x-ext"],"x-ext":1}"#),
            Err(Error::UnsupportedHeader),
        ),
        row("crit registered name", hdr(r#"{"alg":"HS256","crit":["exp"],"exp":1}"#), Err(Error::UnsupportedHeader)),
        row(
            "crit b64 with b64 false",
            hdr(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#),
            Err(Error::UnsupportedHeader),
        ),
        row("b64 false without crit", hdr(r#"{"alg":"HS256","b64":false}"#), Err(Error::UnsupportedHeader)),
        row("crit not an array", hdr(r#"{"alg":"HS256","crit":"b64"}"#), Err(Error::UnsupportedHeader)),
        row("crit name escaped", hdr(r#"{"alg":"HS256","\u0063rit":["x"]}"#), Err(Error::UnsupportedHeader)),
        row("crit only inside jwk is no header parameter", hdr(r#"{"alg":"HS256","jwk":{"crit":[]}}"#), Ok(())),
        row("cty JWT (nested token)", hdr(r#"{"alg":"HS256","cty":"JWT"}"#), Err(Error::UnsupportedHeader)),
        row("typ JWE-like", hdr(r#"{"alg":"HS256","typ":"JOSE+JSON"}"#), Err(Error::UnsupportedHeader)),
        row("typ escaped JWT", hdr(r#"{"alg":"HS256","typ":"\u004aWT"}"#), Ok(())),
        row("alg checked before crit", hdr(r#"{"alg":"none","crit":["b64"]}"#), Err(Error::UnsupportedAlgorithm)),
    ];
    // The key never comes from the token (RFC 8725 §3.10).
    rows.extend(key_rows("embedded jwk", format!(r#"{{"alg":"HS256","jwk":{{"kty":"oct","k":"{attacker_k}"}}}}"#)));
    rows.extend(key_rows(
        "jku to the attacker's JWKS",
        r#"{"alg":"HS256","jku":"https://attacker.example/jwks.json"}"#.into(),
    ));
    rows.extend(key_rows(
        "x5u to the attacker's certificate",
        r#"{"alg":"HS256","x5u":"https://attacker.example/cert.pem"}"#.into(),
    ));
    rows.extend(key_rows(
        "kid SQL injection",
        r#"{"alg":"HS256","kid":"x' UNION SELECT 'attacker-chosen-secret-of-32-bytes!!' --"}"#.into(),
    ));
    rows.push(row(
        "kid path traversal to /dev/null, signed with an empty key",
        hdr_macd_by(r#"{"alg":"HS256","kid":"../../../../../../dev/null"}"#, b"", hmac_sha256),
        Err(Error::InvalidSignature),
    ));
    rows.push(row(
        "kid path traversal, signed with our key (ignored)",
        hdr(r#"{"alg":"HS256","kid":"../../../../../../dev/null"}"#),
        Ok(()),
    ));
    rows
}

fn duplicate_rows() -> Vec<Row> {
    // More names than the scanner's 128 slots, in a header under 1 KiB.
    let short_name = |i: usize| match i {
        0..64 => char::from(ALPHABET[i]).to_string(),
        _ => format!("{}{}", char::from(ALPHABET[i / 64]), char::from(ALPHABET[i % 64])),
    };
    let many = (0..130).map(|i| format!(r#""{}":0"#, short_name(i))).collect::<Vec<_>>().join(",");
    let many_payload = (0..300).map(|i| format!(r#""c{i}":0"#)).collect::<Vec<_>>().join(",");
    vec![
        row("duplicate alg, HS256 first", hdr(r#"{"alg":"HS256","alg":"none"}"#), Err(Error::Malformed)),
        row("duplicate alg, none first", hdr(r#"{"alg":"none","alg":"HS256"}"#), Err(Error::Malformed)),
        row("duplicate alg, same value", hdr(r#"{"alg":"HS256","alg":"HS256"}"#), Err(Error::Malformed)),
        row("duplicate alg written \\u0061lg", hdr(r#"{"alg":"HS256","\u0061lg":"none"}"#), Err(Error::Malformed)),
        row(
            "duplicate alg after 130 other members",
            hdr(&format!(r#"{{"alg":"HS256",{many},"\u0061lg":"none"}}"#)),
            Err(Error::Malformed),
        ),
        row("duplicate exp", tok(&format!(r#"{{"exp":{EXP},"exp":1}}"#)), Err(Error::Malformed)),
        row("duplicate exp, same value", tok(&format!(r#"{{"exp":{EXP},"exp":{EXP}}}"#)), Err(Error::Malformed)),
        row("duplicate exp written \\u0065xp", tok(&format!(r#"{{"exp":{EXP},"\u0065xp":1}}"#)), Err(Error::Malformed)),
        row(
            "duplicate exp written \\u0065\\u0078\\u0070",
            tok(&format!(r#"{{"\u0065\u0078\u0070":1,"exp":{EXP}}}"#)),
            Err(Error::Malformed),
        ),
        row(
            "duplicate exp after 300 other members",
            tok(&format!(r#"{{"exp":{EXP},{many_payload},"e\u0078p":1}}"#)),
            Err(Error::Malformed),
        ),
        row("duplicate aud", tok(&payload_with(r#""aud":"anon","aud":"authenticated""#)), Err(Error::Malformed))
            .with(Validation::new().audience("authenticated")),
        row(
            "duplicate aud written \\u0061ud",
            tok(&payload_with(r#""aud":"anon","\u0061ud":"authenticated""#)),
            Err(Error::Malformed),
        )
        .with(Validation::new().audience("authenticated")),
        row("duplicate name written \\/", tok(&payload_with(r#""a/b":1,"a\/b":2"#)), Err(Error::Malformed)),
        row(
            "duplicate in a nested object",
            tok(&payload_with(r#""app":{"role":"a","role":"admin"}"#)),
            Err(Error::Malformed),
        ),
    ]
}

fn escaped_value_rows() -> Vec<Row> {
    let aud = |value: &str| tok(&payload_with(&format!(r#""aud":{value}"#)));
    let authenticated = Validation::new().audience("authenticated");
    vec![
        row("aud \\u0061uthenticated matches", aud(r#""\u0061uthenticated""#), Ok(())).with(authenticated),
        row(
            "aud fully escaped matches",
            aud(&format!(
                "\"{}\"",
                "authenticated".chars().map(|c| format!("\\u{:04x}", c as u32)).collect::<String>()
            )),
            Ok(()),
        )
        .with(authenticated),
        row("aud array element escaped matches", aud(r#"["x","auth\u0065nticated"]"#), Ok(())).with(authenticated),
        row("aud escaped upper case does not match", aud(r#""\u0041uthenticated""#), Err(Error::InvalidAudience))
            .with(authenticated),
        row("aud with escaped NUL suffix does not match", aud(r#""authenticated\u0000""#), Err(Error::InvalidAudience))
            .with(authenticated),
        row("aud with escaped newline does not match", aud(r#""authenticated\n""#), Err(Error::InvalidAudience))
            .with(authenticated),
        row("aud element holding ] and an escaped quote", aud(r#"["a]\"b","authenticated"]"#), Ok(()))
            .with(authenticated),
        row("aud prefix does not match", aud(r#""authenticate""#), Err(Error::InvalidAudience)).with(authenticated),
        row("aud extension does not match", aud(r#""authenticated2""#), Err(Error::InvalidAudience))
            .with(authenticated),
        row("aud empty string", aud(r#""""#), Err(Error::InvalidAudience)).with(authenticated),
        row("iss with escaped slashes matches", tok(&payload_with(r#""iss":"https:\/\/x.example""#)), Ok(()))
            .with(Validation::new().issuer("https://x.example")),
        row("iss surrogate pair escape matches", tok(&payload_with(r#""iss":"\ud83d\ude00""#)), Ok(()))
            .with(Validation::new().issuer("\u{1F600}")),
        row(
            "iss differs only after unescaping",
            tok(&payload_with(r#""iss":"https:\/\/y.example""#)),
            Err(Error::InvalidIssuer),
        )
        .with(Validation::new().issuer("https://x.example")),
    ]
}

fn base64_rows() -> Vec<Row> {
    // 16 and 38 bytes: 22 and 51 characters, whose last character has 4 and
    // 2 unused low bits.
    let header = b"{\"alg\":\"HS256\"} ";
    let payload = format!(r#"{{"exp":{EXP},"sub":"abcdefghijk"}}"#);
    let (h, p) = (b64(header), b64(payload.as_bytes()));
    assert_eq!((h.len() % 4, p.len() % 4), (2, 3));
    let (h, p) = (h.as_bytes(), p.as_bytes());
    let good = sign_encoded_bytes(h, p);
    let sig = split_sig(&good).1.to_vec();
    let first_to = |s: &[u8], c: u8| [&[c][..], &s[1..]].concat();
    let mut rows = vec![
        row("canonical (control)", good.clone(), Ok(())),
        row("header padded", sign_encoded_bytes(&[h, b"=="].concat(), p), Err(Error::Malformed)),
        row("payload padded", sign_encoded_bytes(h, &[p, b"="].concat()), Err(Error::Malformed)),
        row("signature padded", [good.as_slice(), b"="].concat(), Err(Error::Malformed)),
        row("header with +", sign_encoded_bytes(&first_to(h, b'+'), p), Err(Error::Malformed)),
        row("header with /", sign_encoded_bytes(&first_to(h, b'/'), p), Err(Error::Malformed)),
        row("payload with +", sign_encoded_bytes(h, &first_to(p, b'+')), Err(Error::Malformed)),
        row("payload with /", sign_encoded_bytes(h, &first_to(p, b'/')), Err(Error::Malformed)),
        row("signature with +", with_sig(&good, &first_to(&sig, b'+')), Err(Error::Malformed)),
        row("signature with /", with_sig(&good, &first_to(&sig, b'/')), Err(Error::Malformed)),
        row("header length 1 mod 4", sign_encoded_bytes(&[h, b"AAA"].concat(), p), Err(Error::Malformed)),
        row("payload length 1 mod 4", sign_encoded_bytes(h, &[p, b"AA"].concat()), Err(Error::Malformed)),
        row("signature length 1 mod 4 (41)", with_sig(&good, &sig[..41]), Err(Error::Malformed)),
        row(
            "non-ASCII in the payload segment",
            sign_encoded_bytes(h, &[&p[..4], "é".as_bytes(), &p[4..]].concat()),
            Err(Error::Malformed),
        ),
        row(
            "payload segment changed without the key",
            with_sig(&sign_encoded_bytes(h, &first_to(p, b'f')), &sig),
            Err(Error::InvalidSignature),
        ),
    ];
    for (bits, header) in non_canonical_tails(h) {
        rows.push(row(
            format!("header, unused bits {bits:#06b} set"),
            sign_encoded_bytes(&header, p),
            Err(Error::Malformed),
        ));
    }
    for (bits, payload) in non_canonical_tails(p) {
        rows.push(row(
            format!("payload, unused bits {bits:#04b} set"),
            sign_encoded_bytes(h, &payload),
            Err(Error::Malformed),
        ));
    }
    for (bits, sig) in non_canonical_tails(&sig) {
        rows.push(row(format!("signature, unused bits {bits:#04b} set"), with_sig(&good, &sig), Err(Error::Malformed)));
    }
    // Whitespace and NUL anywhere: at both ends, beside each dot, inside each
    // segment, MAC'd over the bytes as sent when they are in the signing input.
    for (byte, name) in
        [(b' ', "space"), (b'\t', "tab"), (b'\n', "LF"), (b'\r', "CR"), (0, "NUL"), (0x0B, "VT"), (0x0C, "FF")]
    {
        let at = |s: &[u8], i: usize| [&s[..i], &[byte][..], &s[i..]].concat();
        rows.extend([
            row(format!("{name} before the token"), at(&good, 0), Err(Error::Malformed)),
            row(format!("{name} after the token"), [good.as_slice(), &[byte]].concat(), Err(Error::Malformed)),
            row(format!("{name} inside the header"), sign_encoded_bytes(&at(h, 8), p), Err(Error::Malformed)),
            row(format!("{name} before the first dot"), sign_encoded_bytes(&at(h, h.len()), p), Err(Error::Malformed)),
            row(format!("{name} after the first dot"), sign_encoded_bytes(h, &at(p, 0)), Err(Error::Malformed)),
            row(format!("{name} inside the payload"), sign_encoded_bytes(h, &at(p, 12)), Err(Error::Malformed)),
            row(format!("{name} before the last dot"), sign_encoded_bytes(h, &at(p, p.len())), Err(Error::Malformed)),
            row(format!("{name} after the last dot"), with_sig(&good, &at(&sig, 0)), Err(Error::Malformed)),
            row(format!("{name} inside the signature"), with_sig(&good, &at(&sig, 20)), Err(Error::Malformed)),
        ]);
    }
    rows
}

fn structure_rows() -> Vec<Row> {
    let good = tok(&payload());
    let [h, p, s] = segments(&good);
    let dot = |parts: &[&[u8]]| parts.join(&b'.');
    let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    vec![
        row("one segment", h.clone(), Err(Error::Malformed)),
        row("two segments", dot(&[&h, &p]), Err(Error::Malformed)),
        row("two segments, signature as payload", dot(&[&h, &s]), Err(Error::Malformed)),
        row("four segments", dot(&[&h, &p, &s, &s]), Err(Error::Malformed)),
        row("four segments, empty third", dot(&[&h, &p, b"", &s]), Err(Error::Malformed)),
        row(
            "five segments (JWE compact)",
            dot(&[
                b64(br#"{"alg":"dir","enc":"A256GCM"}"#).as_bytes(),
                b"",
                b"AAAAAAAAAAAAAAAA",
                &p,
                b"AAAAAAAAAAAAAAAAAAAAAA",
            ]),
            Err(Error::Malformed),
        ),
        row("five segments, HS256 header", dot(&[&h, &p, &p, &p, &s]), Err(Error::Malformed)),
        row("empty token", b"".to_vec(), Err(Error::Malformed)),
        row("two dots only", b"..".to_vec(), Err(Error::Malformed)),
        row("50 000 dots", b".".repeat(50_000), Err(Error::TooLarge)),
        row("50 000 dots, 1 MiB limit", b".".repeat(50_000), Err(Error::Malformed))
            .with(Validation::new().max_token_len(1 << 20)),
        row("token over 8 KiB", tok(&payload_with(&format!(r#""pad":"{}""#, "x".repeat(6200)))), Err(Error::TooLarge)),
        row(
            "header over 1 KiB",
            hdr(&format!(r#"{{"alg":"HS256","x":"{}"}}"#, "a".repeat(1100))),
            Err(Error::TooLarge),
        ),
        row("Bearer prefix left on", [b"Bearer ".as_slice(), &good].concat(), Err(Error::Malformed)),
        row("payload nesting at the limit (32)", tok(&payload_with(&format!(r#""x":{}"#, deep(31)))), Ok(())),
        row(
            "payload nesting past the limit (33)",
            tok(&payload_with(&format!(r#""x":{}"#, deep(32)))),
            Err(Error::Malformed),
        ),
        row(
            "payload nesting of objects past the limit",
            tok(&payload_with(&format!(r#""x":{}1{}"#, r#"{"a":"#.repeat(32), "}".repeat(32)))),
            Err(Error::Malformed),
        ),
        row(
            "payload with 5000 open brackets",
            tok(&payload_with(&format!(r#""x":{}"#, "[".repeat(5000)))),
            Err(Error::Malformed),
        ),
        row("header nesting at the limit (32)", hdr(&format!(r#"{{"alg":"HS256","x":{}}}"#, deep(31))), Ok(())),
        row(
            "header nesting past the limit (33)",
            hdr(&format!(r#"{{"alg":"HS256","x":{}}}"#, deep(32))),
            Err(Error::Malformed),
        ),
        row(
            "header with 1000 open brackets",
            hdr(&format!(r#"{{"alg":"HS256","x":{}"#, "[".repeat(1000))),
            Err(Error::Malformed),
        ),
        row("payload nesting past a lowered limit", tok(&payload_with(r#""x":[[1]]"#)), Err(Error::Malformed))
            .with(Validation::new().max_depth(2)),
        row("header a JSON array", hdr(r#"["HS256"]"#), Err(Error::Malformed)),
        row("header a JSON string", hdr(r#""HS256""#), Err(Error::Malformed)),
        row("payload a JSON array", tok(&format!("[{EXP}]")), Err(Error::Malformed)),
        row("payload empty", tok(""), Err(Error::Malformed)),
        row("header empty", hdr(""), Err(Error::Malformed)),
    ]
}

fn number_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    let exp = |v: &str| tok(&format!(r#"{{"exp":{v}}}"#));
    let nbf = |v: &str| tok(&format!(r#"{{"exp":{EXP},"nbf":{v}}}"#));
    let iat = |v: &str| tok(&format!(r#"{{"exp":{EXP},"iat":{v}}}"#));
    let max = u64::MAX.to_string();
    // Values that are never a NumericDate, whatever the claim.
    for (text, what) in [
        ("1e400", "1e400"),
        (TWO_POW_64, "2^64"),
        ("18446744073709551616.0", "2^64 with a fraction"),
        ("1.8446744073709552e19", "2^64 in float notation"),
        ("-0", "-0"),
        ("-0.0", "-0.0"),
        ("-1", "-1"),
        ("-1e-400", "tiny negative"),
        (r#""1700003600""#, "a numeric string"),
        ("null", "null"),
        ("true", "true"),
        ("false", "false"),
        ("[1700003600]", "an array"),
        ("{}", "an object"),
    ] {
        rows.push(row(format!("exp {what}"), exp(text), ic(Claim::Exp)));
        rows.push(row(format!("nbf {what}"), nbf(text), ic(Claim::Nbf)));
        rows.push(row(format!("iat {what}"), iat(text), ic(Claim::Iat)));
    }
    // Not JSON at all, whatever the claim.
    for (text, what) in [
        ("01", "01"),
        ("+1", "+1"),
        ("1.", "1."),
        (".5", ".5"),
        ("0x10", "hex"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("1e", "1e"),
    ] {
        rows.push(row(format!("exp {what}"), exp(text), Err(Error::Malformed)));
        rows.push(row(format!("nbf {what}"), nbf(text), Err(Error::Malformed)));
        rows.push(row(format!("iat {what}"), iat(text), Err(Error::Malformed)));
    }
    rows.extend([
        // Valid NumericDates, compared exactly.
        row("exp u64::MAX", exp(&max), Ok(())),
        row("exp just below 2^64, with a fraction", exp("18446744073709551615.5"), Ok(())),
        row("exp 1.5, now 1", exp("1.5"), Ok(())).at(1),
        row("exp 1.5, now 2", exp("1.5"), Err(Error::Expired)).at(2),
        row("exp 1e3, now 999", exp("1e3"), Ok(())).at(999),
        row("exp 1e3, now 1000", exp("1e3"), Err(Error::Expired)).at(1000),
        row("exp 1E+3, now 1000", exp("1E+3"), Err(Error::Expired)).at(1000),
        row("exp 10000e-1, now 999", exp("10000e-1"), Ok(())).at(999),
        row("exp 0.0, now 0", exp("0.0"), Err(Error::Expired)).at(0),
        row("exp 1e-400, now 0", exp("1e-400"), Ok(())).at(0),
        row("exp 21-digit integer form of 1e19", exp("100000000000000000000e-1"), Ok(())),
        row("nbf u64::MAX", nbf(&max), Err(Error::NotYetValid)),
        row("nbf 1.5, now 1", nbf("1.5"), Err(Error::NotYetValid)).at(1),
        row("nbf 1.5, now 2", nbf("1.5"), Ok(())).at(2),
        row("nbf 1e3, now 999", nbf("1e3"), Err(Error::NotYetValid)).at(999),
        row("nbf 1e3, now 1000", nbf("1e3"), Ok(())).at(1000),
        row("iat u64::MAX (not compared)", iat(&max), Ok(())),
        row("iat 1.5", iat("1.5"), Ok(())),
        row("iat 1e3", iat("1e3"), Ok(())),
        // Types are checked before times.
        row("expired exp and a string iat", tok(r#"{"exp":1,"iat":"x"}"#), ic(Claim::Iat)),
        row("expired exp and a negative nbf", tok(r#"{"exp":1,"nbf":-1}"#), ic(Claim::Nbf)),
    ]);
    rows
}

fn encoding_rows() -> Vec<Row> {
    let bom = "\u{feff}";
    let raw_payload = |bytes: &[u8]| {
        signed(HEADER.as_bytes(), &[format!(r#"{{"exp":{EXP},"x":""#).as_bytes(), bytes, b"\"}"].concat())
    };
    vec![
        row(
            "BOM before the header JSON",
            signed(format!("{bom}{HEADER}").as_bytes(), payload().as_bytes()),
            Err(Error::Malformed),
        ),
        row("BOM before the payload JSON", tok(&format!("{bom}{}", payload())), Err(Error::Malformed)),
        row("BOM before the token", [bom.as_bytes(), &tok(&payload())].concat(), Err(Error::Malformed)),
        row("U+FEFF inside a string is content", tok(&payload_with(&format!(r#""x":"{bom}""#))), Ok(())),
        row("garbage after the header JSON", hdr(r#"{"alg":"HS256"}x"#), Err(Error::Malformed)),
        row("second object after the header JSON", hdr(r#"{"alg":"HS256"}{}"#), Err(Error::Malformed)),
        row("garbage after the payload JSON", tok(&format!("{}x", payload())), Err(Error::Malformed)),
        row("NUL after the payload JSON", tok(&format!("{}\0", payload())), Err(Error::Malformed)),
        row("comment after the payload JSON", tok(&format!("{}//", payload())), Err(Error::Malformed)),
        row("JSON whitespace after the payload is fine", tok(&format!("{} \r\n\t", payload())), Ok(())),
        row(
            "invalid UTF-8 byte in the header",
            signed(b"{\"alg\":\"HS256\",\"x\":\"\xff\"}", payload().as_bytes()),
            Err(Error::Malformed),
        ),
        row(
            "invalid UTF-8 byte in a payload name",
            signed(HEADER.as_bytes(), &[format!(r#"{{"exp":{EXP},""#).as_bytes(), b"\xfe\":1}"].concat()),
            Err(Error::Malformed),
        ),
        row("overlong / (C0 AF)", raw_payload(b"\xc0\xaf"), Err(Error::Malformed)),
        row("overlong NUL (C0 80)", raw_payload(b"\xc0\x80"), Err(Error::Malformed)),
        row("overlong 3-byte / (E0 80 AF)", raw_payload(b"\xe0\x80\xaf"), Err(Error::Malformed)),
        row("UTF-8-encoded surrogate (ED A0 80)", raw_payload(b"\xed\xa0\x80"), Err(Error::Malformed)),
        row("truncated UTF-8 sequence", raw_payload(b"\xe2\x82"), Err(Error::Malformed)),
        row("code point above U+10FFFF", raw_payload(b"\xf4\x90\x80\x80"), Err(Error::Malformed)),
        row("lone continuation byte", raw_payload(b"\x80"), Err(Error::Malformed)),
        row("Latin-1 byte", raw_payload(b"\xe9"), Err(Error::Malformed)),
        row("valid 4-byte UTF-8 (control)", raw_payload("\u{1F600}".as_bytes()), Ok(())),
        row("lone high surrogate escape", tok(&payload_with(r#""x":"\ud800""#)), Err(Error::Malformed)),
        row("lone low surrogate escape", tok(&payload_with(r#""x":"\udc00""#)), Err(Error::Malformed)),
        row("high surrogate then a letter", tok(&payload_with(r#""x":"\ud800A""#)), Err(Error::Malformed)),
        row(
            "high surrogate then a non-surrogate escape",
            tok(&payload_with(r#""x":"\ud800\u0041""#)),
            Err(Error::Malformed),
        ),
        row("surrogates inverted", tok(&payload_with(r#""x":"\udc00\ud800""#)), Err(Error::Malformed)),
        row("two high surrogates", tok(&payload_with(r#""x":"\ud800\ud800""#)), Err(Error::Malformed)),
        row("lone surrogate in a member name", tok(&payload_with(r#""\ud800":1"#)), Err(Error::Malformed)),
        row("lone surrogate in the header", hdr(r#"{"alg":"HS256","kid":"\udfff"}"#), Err(Error::Malformed)),
        row("lone surrogate in jti", tok(&payload_with(r#""jti":"\ud83d""#)), Err(Error::Malformed)),
        row("surrogate pair (control)", tok(&payload_with(r#""x":"\ud83d\ude00""#)), Ok(())),
        row("raw control character in a string", tok(&payload_with("\"x\":\"a\u{1f}b\"")), Err(Error::Malformed)),
        row("raw DEL in a string is fine", tok(&payload_with("\"x\":\"a\u{7f}b\"")), Ok(())),
    ]
}

fn time_rows() -> Vec<Row> {
    let exp = |e: u64| tok(&format!(r#"{{"exp":{e}}}"#));
    let exp_nbf = |e: u64, n: u64| tok(&format!(r#"{{"exp":{e},"nbf":{n}}}"#));
    let leeway = |s: u64| Validation::new().leeway(s);
    vec![
        row("exp == now", exp(NOW), Err(Error::Expired)),
        row("exp == now + 1", exp(NOW + 1), Ok(())),
        row("exp == now - 1", exp(NOW - 1), Err(Error::Expired)),
        row("exp + leeway == now", exp(NOW - 60), Err(Error::Expired)).with(leeway(60)),
        row("exp + leeway == now + 1", exp(NOW - 59), Ok(())).with(leeway(60)),
        row("nbf == now", exp_nbf(EXP, NOW), Ok(())),
        row("nbf == now + 1", exp_nbf(EXP, NOW + 1), Err(Error::NotYetValid)),
        row("nbf == now + leeway", exp_nbf(EXP, NOW + 60), Ok(())).with(leeway(60)),
        row("nbf == now + leeway + 1", exp_nbf(EXP, NOW + 61), Err(Error::NotYetValid)).with(leeway(60)),
        row("nbf after exp: exp decides first", exp_nbf(NOW, NOW + 10), Err(Error::Expired)),
        // `now` smaller than the leeway: no subtraction, so nothing wraps.
        row("now < leeway, exp 5", exp(5), Ok(())).with(leeway(60)).at(10),
        row("now < leeway, exp 0", exp(0), Ok(())).with(leeway(60)).at(10),
        row("now < leeway, exp + leeway == now", exp(0), Err(Error::Expired)).with(leeway(10)).at(10),
        row("now < leeway, nbf == now + leeway", exp_nbf(EXP, 70), Ok(())).with(leeway(60)).at(10),
        row("now < leeway, nbf == now + leeway + 1", exp_nbf(EXP, 71), Err(Error::NotYetValid)).with(leeway(60)).at(10),
        row("now 0, exp 0", exp(0), Err(Error::Expired)).at(0),
        row("now 0, exp 1", exp(1), Ok(())).at(0),
        row("now u64::MAX, exp u64::MAX", exp(u64::MAX), Err(Error::Expired)).at(u64::MAX),
        row("exp + leeway past 2^64 does not wrap", exp(1), Ok(())).with(leeway(u64::MAX)).at(u64::MAX),
        row("exp 0 + leeway u64::MAX == now", exp(0), Err(Error::Expired)).with(leeway(u64::MAX)).at(u64::MAX),
        row("now + leeway past 2^64 does not wrap", exp_nbf(u64::MAX, u64::MAX), Ok(())).with(leeway(u64::MAX)).at(1),
        row("exp missing", tok(r#"{"sub":"x"}"#), ic(Claim::Exp)),
        row("exp missing, allowed", tok(r#"{"sub":"x"}"#), Ok(())).with(Validation::new().allow_missing_exp()),
        row(
            "exp missing, allowed, nbf still enforced",
            tok(&format!(r#"{{"nbf":{}}}"#, NOW + 1)),
            Err(Error::NotYetValid),
        )
        .with(Validation::new().allow_missing_exp()),
    ]
}

fn audience_rows() -> Vec<Row> {
    let aud = |v: &str| tok(&payload_with(&format!(r#""aud":{v}"#)));
    let configured = Validation::new().audience("authenticated");
    let any = Validation::new().accept_any_audience();
    vec![
        row("aud string, configured, match", aud(r#""authenticated""#), Ok(())).with(configured),
        row("aud string, configured, mismatch", aud(r#""anon""#), Err(Error::InvalidAudience)).with(configured),
        row("aud array, configured, match", aud(r#"["anon","authenticated"]"#), Ok(())).with(configured),
        row("aud array, configured, mismatch", aud(r#"["anon","service"]"#), Err(Error::InvalidAudience))
            .with(configured),
        row("aud empty array, configured", aud("[]"), Err(Error::InvalidAudience)).with(configured),
        row("aud null, configured", aud("null"), ic(Claim::Aud)).with(configured),
        row("aud mixed array holding a match", aud(r#"["authenticated",1]"#), ic(Claim::Aud)).with(configured),
        row("aud nested array holding a match", aud(r#"[["authenticated"]]"#), ic(Claim::Aud)).with(configured),
        row("aud object holding a match", aud(r#"{"aud":"authenticated"}"#), ic(Claim::Aud)).with(configured),
        row("aud number", aud("1"), ic(Claim::Aud)).with(configured),
        row("aud missing, configured", tok(&payload()), Err(Error::InvalidAudience)).with(configured),
        row("aud match among several configured", aud(r#""b""#), Ok(())).with(Validation::new().audiences(&["a", "b"])),
        row("aud, empty configured list", aud(r#""a""#), Err(Error::InvalidAudience))
            .with(Validation::new().audiences(&[])),
        row("aud string, unconfigured", aud(r#""authenticated""#), Err(Error::InvalidAudience)),
        row("aud array, unconfigured", aud(r#"["authenticated"]"#), Err(Error::InvalidAudience)),
        row("aud empty array, unconfigured", aud("[]"), Err(Error::InvalidAudience)),
        row("aud null, unconfigured", aud("null"), ic(Claim::Aud)),
        row("aud missing, unconfigured", tok(&payload()), Ok(())),
        row("aud string, accept any", aud(r#""anyone""#), Ok(())).with(any),
        row("aud empty array, accept any", aud("[]"), Ok(())).with(any),
        row("aud mixed array, accept any", aud(r#"["a",true]"#), ic(Claim::Aud)).with(any),
        row("iss missing, configured", tok(&payload()), Err(Error::InvalidIssuer))
            .with(Validation::new().issuer("https://x")),
        row("iss number", tok(&payload_with(r#""iss":1"#)), ic(Claim::Iss)).with(Validation::new().issuer("https://x")),
        row("iss checked before aud", aud(r#""anon""#), Err(Error::InvalidIssuer))
            .with(Validation::new().issuer("https://x").audience("authenticated")),
    ]
}

fn table() -> Vec<Row> {
    [
        algorithm_rows(),
        signature_rows(),
        header_rows(),
        duplicate_rows(),
        escaped_value_rows(),
        base64_rows(),
        structure_rows(),
        number_rows(),
        encoding_rows(),
        time_rows(),
        audience_rows(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn attack_table() {
    let key = common::key();
    let rows = table();
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for r in &rows {
        assert!(names.insert(r.name.as_str()), "duplicate row name {:?}", r.name);
        let got = verify(r.token.as_slice(), &key, &r.validation, r.now).map(|_| ());
        if got != r.expected {
            failures.push(format!("{}: expected {:?}, got {got:?}", r.name, r.expected));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), rows.len(), failures.join("\n"));
    assert!(rows.len() > 300, "the table shrank to {} rows", rows.len());
}
