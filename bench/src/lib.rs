//! Shared inputs for the benchmarks: the tokens and the HMAC floor.

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The Supabase sample secret (raw UTF-8 bytes).
pub const SUPABASE_SECRET: &[u8] = b"super-secret-jwt-token-with-at-least-32-characters-long";

/// The `email_user` token of `tests/data/supabase.json` and a time before its exp.
pub fn supabase_email_user() -> (String, u64) {
    let text = include_str!("../../tests/data/supabase.json");
    let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    let t = v["tokens"].as_array().expect("tokens").iter().find(|t| t["name"] == "email_user").expect("email_user");
    (t["token"].as_str().expect("token").to_owned(), t["iat"].as_u64().expect("iat"))
}

/// A keyed HMAC-SHA256 state, precomputed once: the floor.
pub fn floor_key(secret: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("any length")
}

/// The least work any HS256 verifier must do: the MAC over the signing input
/// with a precomputed key, compared in constant time with the decoded tag.
pub fn floor_verify(key: &Hmac<Sha256>, token: &str) -> bool {
    let Some((signing_input, sig)) = token.rsplit_once('.') else { return false };
    let mut tag = [0u8; 32];
    if Base64UrlUnpadded::decode(sig, &mut tag).is_err() {
        return false;
    }
    let mut mac = key.clone();
    mac.update(signing_input.as_bytes());
    mac.verify_slice(&tag).is_ok()
}
