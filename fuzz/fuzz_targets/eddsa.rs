//! EdDSA verification past the signature: signs fuzzer-chosen header and
//! payload JSON with the Supabase fixture's test-only Ed25519 key
//! (`okp_private_d`, with `ed25519-dalek`'s signer; Ed25519 is
//! deterministic, so runs reproduce), optionally spoils the signature,
//! verifies with the `Ed25519Key` of `okp_jwk`, and requires the oracle's
//! exact verdict (`verdict_with` and `OracleKey::EdDsa`) and claims. Input
//! layout: `jwtcheck_fuzz::signed`.
#![no_main]

use std::sync::OnceLock;

use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use jwtcheck::{Ed25519Key, verify, verify_in};
use jwtcheck_fuzz::date::numeric_date;
use jwtcheck_fuzz::json::{J, parse_object};
use jwtcheck_fuzz::jwt::{Expected, OracleKey, STRICT_B64URL, b64, check_display, check_views, verdict_with};
use jwtcheck_fuzz::signed::{Api, Input, NOW, NowMode, SigMode, offset};
use libfuzzer_sys::fuzz_target;

/// `tests/data/supabase-asymmetric.json`: `okp_private_d` for the signer,
/// `okp_jwk` (its public half) for the crate.
const KEYS: &str = include_str!("../../tests/data/supabase-asymmetric.json");

fn keys() -> &'static (SigningKey, Ed25519Key) {
    static KEYS_ONCE: OnceLock<(SigningKey, Ed25519Key)> = OnceLock::new();
    KEYS_ONCE.get_or_init(|| {
        let file: serde_json::Value = serde_json::from_str(KEYS).unwrap();
        let d = STRICT_B64URL.decode(file["okp_private_d"].as_str().unwrap()).unwrap();
        let signer = SigningKey::from_bytes(&d.try_into().unwrap());
        let x = STRICT_B64URL.decode(file["okp_jwk"]["x"].as_str().unwrap()).unwrap();
        assert_eq!(signer.verifying_key().to_bytes()[..], x[..], "okp_jwk is the signer's");
        let key = Ed25519Key::from_jwk(&file["okp_jwk"].to_string()).unwrap();
        (signer, key)
    })
}

/// `floor(name)` of the payload, as the oracle reads it, when it has one.
fn date_of(payload: &[u8], name: &str) -> Option<u64> {
    let text = std::str::from_utf8(payload).ok()?;
    match parse_object(text, 64).ok()?.get(name)? {
        J::Num(n) => numeric_date(n).map(|(secs, _)| secs),
        _ => None,
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fuzz_target!(|data: &[u8]| {
    let (signer, key) = keys();
    let input = Input::parse(data);
    let signing_input = format!("{}.{}", b64(input.header), b64(input.payload));
    let made = signer.sign(signing_input.as_bytes()).to_bytes();
    let mut sig = b64(&made).into_bytes();
    match input.sig {
        SigMode::Right => {}
        SigMode::ChangeChar(_) => {
            // 86 characters here, not HS256's 43: c6 picks one of them.
            let i = usize::from(data.get(6).copied().unwrap_or(0)) % sig.len();
            let at = ALPHABET.iter().position(|&c| c == sig[i]).unwrap();
            sig[i] = ALPHABET[(at + 1) % 64];
        }
        SigMode::DropLast => {
            sig.pop();
        }
        SigMode::AppendA => sig.push(b'A'),
        SigMode::AppendPad => sig.push(b'='),
    }
    let token = [signing_input.as_bytes(), b".", &sig].concat();

    let now = match input.now_mode {
        NowMode::Fixed => offset(NOW, input.delta),
        NowMode::Exp => offset(date_of(input.payload, "exp").unwrap_or(NOW), input.delta),
        NowMode::Nbf => offset(date_of(input.payload, "nbf").unwrap_or(NOW), input.delta),
        NowMode::Raw => input.raw,
    };

    let validation = input.config.validation();
    let got = match input.api {
        Api::Verify => verify(&token, key, &validation, now).map(|c| {
            check_views(&c.as_claims_ref());
            Expected::of(&c.as_claims_ref())
        }),
        Api::VerifyIn(len) => {
            let mut buf = vec![0u8; len];
            verify_in(&token, key, &validation, now, &mut buf).map(|c| {
                check_views(&c);
                Expected::of(&c)
            })
        }
    };
    if let Err(e) = got {
        check_display(e);
    }
    let expected = verdict_with(&token, OracleKey::EdDsa(&made), &input.config, now);
    assert!(
        got == expected,
        "crate and oracle disagree\n  crate:  {got:?}\n  oracle: {expected:?}\n  header:  {:?}\n  payload: {:?}\n  \
         config: {:?}\n  api: {:?}\n  now: {now}\n  token: {}",
        String::from_utf8_lossy(input.header),
        String::from_utf8_lossy(input.payload),
        input.config,
        input.api,
        String::from_utf8_lossy(&token),
    );
});
