//! What the es256, rs256 and eddsa targets share once they have signed the
//! fuzzer's header and payload: spoiling the signature as the input asks,
//! picking `now`, verifying through the API the input picks, and requiring
//! the oracle's exact verdict and claims.

use jwtcheck::{VerifyingKeys, verify, verify_in};

use crate::date::numeric_date;
use crate::json::{J, parse_object};
use crate::jwt::{Expected, OracleKey, b64, check_display, check_views, verdict_with};
use crate::signed::{Api, Input, NOW, NowMode, SigMode, offset};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `floor(name)` of the payload, as the oracle reads it, when it has one.
fn date_of(payload: &[u8], name: &str) -> Option<u64> {
    let text = std::str::from_utf8(payload).ok()?;
    match parse_object(text, 64).ok()?.get(name)? {
        J::Num(n) => numeric_date(n).map(|(secs, _)| secs),
        _ => None,
    }
}

/// Verifies `signing_input` with the signature `made` (spoiled as
/// `input.sig` says) under `key`, and asserts that the crate's result is
/// the oracle's for `oracle` (the key the oracle judges step 6 with).
/// `data` is the whole fuzz input (c6 picks the changed character: an
/// asymmetric signature is longer than HS256's 43 characters); `context` is
/// added to the disagreement report.
pub fn check<K: VerifyingKeys + ?Sized>(
    data: &[u8],
    input: &Input<'_>,
    signing_input: &str,
    made: &[u8],
    key: &K,
    oracle: OracleKey<'_>,
    context: &str,
) {
    let mut sig = b64(made).into_bytes();
    match input.sig {
        SigMode::Right => {}
        SigMode::ChangeChar(_) => {
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
    let expected = verdict_with(&token, oracle, &input.config, now);
    assert!(
        got == expected,
        "crate and oracle disagree\n  crate:  {got:?}\n  oracle: {expected:?}\n  header:  {:?}\n  payload: {:?}\n  \
         config: {:?}\n  api: {:?}\n  {context}\n  now: {now}\n  token: {}",
        String::from_utf8_lossy(input.header),
        String::from_utf8_lossy(input.payload),
        input.config,
        input.api,
        String::from_utf8_lossy(&token),
    );
}
