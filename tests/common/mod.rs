//! Helpers shared by the integration tests: an independent signer built
//! directly on `hmac`/`sha2`/`base64ct`, not on the crate's own code paths.
#![allow(dead_code)]

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use jwtcheck::Hs256Key;
use sha2::Sha256;

/// A 40-byte test secret.
pub const SECRET: &[u8] = b"jwtcheck-test-secret-0123456789-abcdefgh";

/// The header most tests sign.
pub const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

pub fn key() -> Hs256Key {
    Hs256Key::new(SECRET).unwrap()
}

/// Unpadded base64url.
pub fn b64(data: &[u8]) -> String {
    let mut buf = vec![0u8; data.len() * 4 / 3 + 4];
    Base64UrlUnpadded::encode(data, &mut buf).unwrap().to_owned()
}

/// The HMAC-SHA256 of `input` under `secret`.
pub fn mac(secret: &[u8], input: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap();
    mac.update(input);
    mac.finalize().into_bytes().into()
}

/// A compact JWS over raw header and payload bytes, signed with `secret`.
pub fn sign_with(secret: &[u8], header: &[u8], payload: &[u8]) -> String {
    let signing_input = format!("{}.{}", b64(header), b64(payload));
    let tag = mac(secret, signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&tag))
}

/// Signs already-encoded segments, for tests that need non-canonical text.
pub fn sign_encoded(header_b64: &str, payload_b64: &str) -> String {
    let signing_input = format!("{header_b64}.{payload_b64}");
    let tag = mac(SECRET, signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&tag))
}

/// [`sign_encoded`] over segment texts of any bytes (invalid UTF-8 included).
pub fn sign_encoded_bytes(header_b64: &[u8], payload_b64: &[u8]) -> Vec<u8> {
    let input = [header_b64, b".", payload_b64].concat();
    [input.as_slice(), b".", b64(&mac(SECRET, &input)).as_bytes()].concat()
}

/// A token with [`HEADER`] and `payload`, signed with [`SECRET`].
pub fn token(payload: &str) -> String {
    sign_with(SECRET, HEADER.as_bytes(), payload.as_bytes())
}

/// A token with `header` and `payload`, signed with [`SECRET`].
pub fn token_with_header(header: &str, payload: &str) -> String {
    sign_with(SECRET, header.as_bytes(), payload.as_bytes())
}

/// The Supabase sample tokens (copied from `../shared/tokens/supabase.json`).
pub struct SupabaseToken {
    pub name: String,
    pub token: String,
    pub payload: String,
    pub exp: u64,
    pub iat: u64,
    pub aud: Option<String>,
    pub iss: String,
}

pub fn supabase() -> (String, Vec<SupabaseToken>) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/supabase.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
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
            aud: t["aud"].as_str().map(str::to_owned),
            iss: t["iss"].as_str().unwrap().to_owned(),
        })
        .collect();
    (v["secret"].as_str().unwrap().to_owned(), tokens)
}

/// The Supabase-shaped asymmetric sample (copied from
/// `../shared/tokens/supabase-asymmetric.json`).
pub fn supabase_asymmetric() -> serde_json::Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/supabase-asymmetric.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The header ES256 tests sign.
pub const ES256_HEADER: &str = r#"{"alg":"ES256","typ":"JWT"}"#;

/// The public JWK text of the sample's current ES256 key.
pub fn es256_public_jwk() -> String {
    serde_json::to_string(&supabase_asymmetric()["jwks"]["keys"][0]).unwrap()
}

/// The sample's current ES256 key (test-only private part), as a `p256`
/// signer: independent of the crate, which only verifies.
pub fn es256_signing_key() -> p256::ecdsa::SigningKey {
    let d = supabase_asymmetric()["private_jwks"]["keys"][0]["d"].as_str().unwrap().to_owned();
    let mut buf = [0u8; 32];
    let d = Base64UrlUnpadded::decode(&d, &mut buf).unwrap();
    p256::ecdsa::SigningKey::from_slice(d).unwrap()
}

/// The ES256 signature `r ‖ s` of `input` (RFC 6979 deterministic, low-S not forced).
pub fn es256_sign(input: &[u8]) -> [u8; 64] {
    use p256::ecdsa::signature::Signer;
    let signature: p256::ecdsa::Signature = es256_signing_key().sign(input);
    signature.to_bytes().into()
}

/// A compact JWS over raw header and payload bytes, signed with ES256.
pub fn es256_token(header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let signature = es256_sign(input.as_bytes());
    format!("{input}.{}", b64(&signature))
}
