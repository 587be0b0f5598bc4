//! Signs fuzzer-chosen header and payload JSON with the test key, verifies,
//! and requires the crate's verdict, error kind (the `Claim` inside
//! `InvalidClaims` included) and claims to equal the oracle's.
//! Input layout: `jwtcheck_fuzz::signed`.
#![no_main]

use jwtcheck::{Hs256Key, verify, verify_in};
use jwtcheck_fuzz::date::numeric_date;
use jwtcheck_fuzz::json::{J, parse_object};
use jwtcheck_fuzz::jwt::{Expected, SECRET, b64, check_display, check_views, hmac_sha256, verdict};
use jwtcheck_fuzz::signed::{Api, Input, NOW, NowMode, SigMode, offset};
use libfuzzer_sys::fuzz_target;

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
    let input = Input::parse(data);
    let signing_input = format!("{}.{}", b64(input.header), b64(input.payload));
    let mut sig = b64(&hmac_sha256(SECRET, signing_input.as_bytes())).into_bytes();
    match input.sig {
        SigMode::Right => {}
        SigMode::ChangeChar(i) => {
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

    let key = Hs256Key::new(SECRET).unwrap();
    let validation = input.config.validation();
    let got = match input.api {
        Api::Verify => verify(&token, &key, &validation, now).map(|c| {
            assert_eq!(format!("{c:?}"), format!("Claims {{ payload: {:?} }}", c.payload()), "Debug of Claims");
            check_views(&c.as_claims_ref());
            Expected::of(&c.as_claims_ref())
        }),
        Api::VerifyIn(len) => {
            let mut buf = vec![0u8; len];
            verify_in(&token, &key, &validation, now, &mut buf).map(|c| {
                check_views(&c);
                Expected::of(&c)
            })
        }
    };
    if let Err(e) = got {
        check_display(e);
    }
    let expected = verdict(&token, SECRET, &input.config, now);
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
