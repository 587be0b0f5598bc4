//! What the CLI tests need: the Supabase sample tokens and an independent
//! HS256 signer on `hmac`/`sha2`/`base64ct` (not on jwtcheck's code).
#![allow(dead_code)]

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// A 40-byte test secret.
pub const SECRET: &[u8] = b"jwtcheck-test-secret-0123456789-abcdefgh";

/// The header the signer writes.
pub const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// Unpadded base64url.
pub fn b64(data: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(data)
}

/// A compact JWS over already-encoded segments, signed with [`SECRET`].
pub fn sign_encoded(header_b64: &str, payload_b64: &str) -> String {
    let signing_input = format!("{header_b64}.{payload_b64}");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET).unwrap();
    mac.update(signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&mac.finalize().into_bytes()))
}

/// A Supabase sample token (`tests/data/supabase.json`, copied from
/// `../shared/tokens/supabase.json`).
pub struct SupabaseToken {
    pub name: String,
    pub token: String,
    pub payload: String,
    pub exp: u64,
    pub iat: u64,
}

/// The sample secret and tokens.
pub fn supabase() -> (String, Vec<SupabaseToken>) {
    let v: serde_json::Value = serde_json::from_str(include_str!("../data/supabase.json")).unwrap();
    let tokens = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| SupabaseToken {
            name: t["name"].as_str().unwrap().to_owned(),
            token: t["token"].as_str().unwrap().to_owned(),
            payload: t["payload"].as_str().unwrap().to_owned(),
            exp: t["exp"].as_u64().unwrap(),
            iat: t["iat"].as_u64().unwrap(),
        })
        .collect();
    (v["secret"].as_str().unwrap().to_owned(), tokens)
}
