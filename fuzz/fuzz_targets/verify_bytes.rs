//! Arbitrary bytes as a token, and as an `Authorization` value through
//! `bearer_token`, under a fixed key and `Validation`. Never panics; the
//! verdict, error kind and claims equal the oracle's; `verify`, a second
//! `verify` and `verify_in` agree.
#![no_main]

use jwtcheck::{Hs256Key, bearer_token, verify, verify_in};
use jwtcheck_fuzz::jwt::{Audience, Config, Expected, bearer_oracle, verdict};
use libfuzzer_sys::fuzz_target;

/// The Supabase CLI's default secret, which signed tests/data/supabase.json.
const SECRET: &[u8] = b"super-secret-jwt-token-with-at-least-32-characters-long";
/// Inside the validity of all three Supabase sample tokens.
const NOW: u64 = 1_767_265_100;

fn check(token: &[u8], key: &Hs256Key, config: &Config) {
    let validation = config.validation();
    let first = verify(token, key, &validation, NOW).map(|c| Expected::of(&c.as_claims_ref()));
    let again = verify(token, key, &validation, NOW).map(|c| Expected::of(&c.as_claims_ref()));
    assert_eq!(first, again, "verify is not deterministic");
    // Within the default max_token_len every header and payload fits
    // PAYLOAD_CAPACITY, so a larger caller buffer changes nothing.
    let mut buf = vec![0u8; 8 * 1024];
    let in_buf = verify_in(token, key, &validation, NOW, &mut buf).map(|c| Expected::of(&c));
    assert_eq!(first, in_buf, "verify and verify_in disagree");
    let expected = verdict(token, SECRET, config, NOW);
    assert!(
        first == expected,
        "crate and oracle disagree\n  crate:  {first:?}\n  oracle: {expected:?}\n  token: {:?}",
        String::from_utf8_lossy(token)
    );
}

fuzz_target!(|data: &[u8]| {
    let key = Hs256Key::new(SECRET).unwrap();
    let config = Config { audience: Audience::AcceptAny, ..Config::default() };
    check(data, &key, &config);

    let bearer = bearer_token(data);
    assert_eq!(bearer.ok().map(str::as_bytes), bearer_oracle(data), "bearer_token and its oracle disagree");
    if let Ok(token) = bearer {
        check(token.as_bytes(), &key, &config);
    }
});
