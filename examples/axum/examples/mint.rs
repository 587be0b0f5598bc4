//! Mints a Supabase-shaped access token for trying the service locally:
//! signed with `SUPABASE_JWT_SECRET` (its raw UTF-8 bytes, as Supabase does),
//! `aud` `authenticated`, valid for one hour.
//!
//! ```text
//! SUPABASE_JWT_SECRET=… [SUPABASE_URL=…] cargo run --example mint -- [SUB]
//! ```
//!
//! For tests and demos only: real tokens come from Supabase Auth.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use jwtcheck_axum_example::{SECRET_VAR, URL_VAR, issuer_for};
use sha2::Sha256;

fn main() -> ExitCode {
    let Some(secret) = std::env::var(SECRET_VAR).ok().filter(|s| !s.is_empty()) else {
        eprintln!("error: {SECRET_VAR} is not set");
        return ExitCode::from(2);
    };
    let sub = std::env::args().nth(1).unwrap_or_else(|| "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01".to_owned());
    let iss = std::env::var(URL_VAR).ok().filter(|s| !s.is_empty()).map(|url| issuer_for(&url));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let mut claims = serde_json::json!({
        "sub": sub,
        "aud": "authenticated",
        "exp": now + 3600,
        "iat": now,
        "role": "authenticated",
    });
    if let Some(iss) = iss {
        claims["iss"] = iss.into();
    }
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(claims.to_string().as_bytes())
    );
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        eprintln!("error: cannot key HMAC-SHA256");
        return ExitCode::from(2);
    };
    mac.update(input.as_bytes());
    println!("{input}.{}", Base64UrlUnpadded::encode_string(&mac.finalize().into_bytes()));
    ExitCode::SUCCESS
}
