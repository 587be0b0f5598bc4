//! Inputs the fuzz targets (fuzz/) found, one row each with the exact
//! outcome, so a fixed bug stays fixed without running a fuzzer.

mod common;

use common::{b64, key, sign_encoded, token};
use jwtcheck::internals::base64url_decode;
use jwtcheck::{Error, Validation, verify};

const NOW: u64 = 1_700_000_000;
const EXP: &str = "1700003600";

const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The segment with its last character's value OR-ed with `bits`: the same
/// decoded bytes, but non-zero trailing bits when `bits` lands in them.
fn with_trailing_bits(segment: &str, bits: usize) -> String {
    let (head, last) = segment.split_at(segment.len() - 1);
    let i = ALPHABET.find(last).unwrap();
    format!("{head}{}", &ALPHABET[i | bits..=i | bits])
}

fn replace_signature(token: &str, signature: &str) -> String {
    let cut = token.rfind('.').unwrap();
    format!("{}.{signature}", &token[..cut])
}

/// base64url, found by `base64url`, `verify_bytes` and `mutate_valid`: the
/// decoder checked only the lowest of the unused trailing bits (a `u8`
/// shifted left by 7 keeps one bit), so `Zm` decoded to `f` although its
/// last character carries `0110` in the 4 bits that must be zero. Strict
/// base64url has exactly one encoding per byte string (RFC 7515 §2,
/// RFC 4648 §3.5); with this bug the last character of a 43-character
/// signature had two spellings that verified.
#[test]
fn trailing_bits_above_the_lowest_are_refused() {
    let mut out = [0u8; 8];
    assert_eq!(base64url_decode(b"Zm", &mut out), Err(Error::Malformed), "2 characters, trailing 0110");
    assert_eq!(base64url_decode(b"Zg", &mut out), Ok(&b"f"[..]), "2 characters, canonical");
    assert_eq!(base64url_decode(b"Zm-", &mut out), Err(Error::Malformed), "3 characters, trailing 10");
    assert_eq!(base64url_decode(b"Zm8", &mut out), Ok(&b"fo"[..]), "3 characters, canonical");
    assert_eq!(base64url_decode(b"Zm9vZm", &mut out), Err(Error::Malformed), "after a full group");

    // `{"alg":"HS256"} ` (16 bytes) leaves 4 spare bits; the payload with two
    // spaces (23 bytes) leaves 2.
    let header = b64(b"{\"alg\":\"HS256\"} ");
    let payload = b64(format!("{{\"exp\":{EXP}}}  ").as_bytes());
    assert_eq!((header.len() % 4, payload.len() % 4), (2, 3));
    let good = sign_encoded(&header, &payload);
    let signature = good.rsplit_once('.').unwrap().1.to_owned();
    assert_eq!(signature.len() % 4, 3, "43 characters: 2 spare bits");
    let v = Validation::new();
    let rows = [
        ("canonical", good.clone(), Ok(())),
        ("header, trailing 0010", sign_encoded(&with_trailing_bits(&header, 0b0010), &payload), Err(Error::Malformed)),
        ("header, trailing 0100", sign_encoded(&with_trailing_bits(&header, 0b0100), &payload), Err(Error::Malformed)),
        ("header, trailing 1000", sign_encoded(&with_trailing_bits(&header, 0b1000), &payload), Err(Error::Malformed)),
        ("payload, trailing 10", sign_encoded(&header, &with_trailing_bits(&payload, 0b10)), Err(Error::Malformed)),
        (
            "signature, trailing 10 (was accepted: a second spelling of the MAC)",
            replace_signature(&good, &with_trailing_bits(&signature, 0b10)),
            Err(Error::Malformed),
        ),
        (
            "signature, trailing 10, on a default token",
            {
                let t = token(&format!(r#"{{"exp":{EXP}}}"#));
                let s = t.rsplit_once('.').unwrap().1.to_owned();
                replace_signature(&t, &with_trailing_bits(&s, 0b10))
            },
            Err(Error::Malformed),
        ),
    ];
    for (name, token, expected) in rows {
        assert_eq!(verify(token.as_str(), &key(), &v, NOW).map(|_| ()), expected, "{name}");
    }
}
