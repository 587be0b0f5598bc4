//! Starts from a valid signed token and applies input-driven edits (flip a
//! bit, insert, delete, replace a character, swap segments, re-pad, splice
//! in another token's segment, duplicate a segment). Any edit that changes
//! the token text must be rejected, and rejected *before* the payload is
//! read: only the errors of the length, segment, header and signature
//! stages are possible.
#![no_main]

use std::sync::LazyLock;

use jwtcheck::{Error, Hs256Key, Validation, verify};
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"super-secret-jwt-token-with-at-least-32-characters-long";
const NOW: u64 = 1_767_265_100;

/// The Supabase sample tokens and a few signed here, all valid at `NOW`
/// under `SECRET`.
static TOKENS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let doc: serde_json::Value = serde_json::from_str(include_str!("../../tests/data/supabase.json")).unwrap();
    let mut tokens: Vec<String> =
        doc["tokens"].as_array().unwrap().iter().map(|t| t["token"].as_str().unwrap().to_owned()).collect();
    let sign = |h: &str, p: &str| jwtcheck_fuzz::jwt::sign(SECRET, h.as_bytes(), p.as_bytes());
    tokens.push(sign(r#"{"alg":"HS256"}"#, r#"{"exp":1767265101}"#));
    tokens.push(sign(r#"{"alg":"HS256","typ":"at+jwt"}"#, r#"{"exp":1767265100.5,"nbf":1767265100,"aud":["a","b"]}"#));
    tokens.push(sign(r#"{"alg":"HS\u0032\u0035\u0036"}"#, r#"{"exp":2e9,"iss":"\u0069","sub":"s","jti":"j","iat":0}"#));
    tokens
});

fn validation() -> Validation<'static> {
    Validation::new().accept_any_audience()
}

fn segments(token: &[u8]) -> Vec<Vec<u8>> {
    token.split(|&b| b == b'.').map(<[u8]>::to_vec).collect()
}

fn join(segments: &[Vec<u8>]) -> Vec<u8> {
    segments.join(&b'.')
}

const CHARS: &[u8; 66] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.";

fuzz_target!(|data: &[u8]| {
    let key = Hs256Key::new(SECRET).unwrap();
    let Some((&pick, ops)) = data.split_first() else { return };
    let original = &TOKENS[usize::from(pick) % TOKENS.len()];
    let mut token = original.clone().into_bytes();

    for op in ops.chunks_exact(4).take(8) {
        let &[kind, a, b, arg] = op else { unreachable!() };
        let pos = usize::from(u16::from_le_bytes([a, b])) % (token.len() + 1);
        match kind % 8 {
            0 => {
                if let Some(byte) = token.get_mut(pos) {
                    *byte ^= 1 << (arg % 8);
                }
            }
            1 => token.insert(pos, arg),
            2 => {
                if pos < token.len() {
                    token.remove(pos);
                }
            }
            3 => {
                if let Some(byte) = token.get_mut(pos) {
                    *byte = CHARS[usize::from(arg) % CHARS.len()];
                }
            }
            4 => {
                let mut s = segments(&token);
                let n = s.len();
                if n >= 2 {
                    s.swap(usize::from(arg) % n, usize::from(arg >> 4) % n);
                }
                token = join(&s);
            }
            5 => {
                let mut s = segments(&token);
                let n = s.len();
                s[usize::from(arg) % n].extend(std::iter::repeat_n(b'=', usize::from(arg >> 6) + 1));
                token = join(&s);
            }
            6 => {
                let mut s = segments(&token);
                let other = segments(TOKENS[usize::from(arg >> 2) % TOKENS.len()].as_bytes());
                let i = usize::from(arg) % 3;
                if i < s.len() {
                    s[i] = other[i].clone();
                }
                token = join(&s);
            }
            _ => {
                let mut s = segments(&token);
                let n = s.len();
                let dup = s[usize::from(arg) % n].clone();
                s.insert(usize::from(arg >> 4) % (n + 1), dup);
                token = join(&s);
            }
        }
    }

    let result = verify(&token, &key, &validation(), NOW);
    if TOKENS.iter().any(|t| t.as_bytes() == token) {
        // Unchanged, or edited into another token signed with the key.
        let claims = result.expect("a valid token was rejected");
        let expected = verify(&token, &key, &validation(), NOW).unwrap();
        assert_eq!(claims.payload(), expected.payload());
        return;
    }
    match result {
        Err(
            Error::TooLarge
            | Error::Malformed
            | Error::UnsupportedAlgorithm
            | Error::UnsupportedHeader
            | Error::InvalidSignature,
        ) => {}
        other => panic!(
            "an edited token got {other:?}\n  original: {original}\n  edited:   {:?}",
            String::from_utf8_lossy(&token)
        ),
    }
});
