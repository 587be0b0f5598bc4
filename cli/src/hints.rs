//! A rejection's next step: one line that leads to the fix. Hints never
//! echo token bytes: the only text taken from the token is an `alg` that is
//! one of the registered JWS names (RFC 7518 §3.1, RFC 8037 §3.1, RFC 8812
//! §3.2 for ES256K), and a
//! segment's position.

use jwtcheck::Error;

use crate::explain::decode_json;

/// The registered JWS `alg` names: the only header text a hint repeats.
const JWS_NAMES: [&str; 15] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
    "EdDSA", "ES256K", "none",
];

/// What the hints need to know of the command line.
pub struct Context<'a> {
    /// A JWKS was given (`--jwks`).
    pub jwks: bool,
    /// The HS256 secret as given, when it came as text (`--secret`,
    /// `--secret-env`, `--secret-file`): its bytes are the key.
    pub text_secret: Option<&'a [u8]>,
    /// `--aud` or `--any-aud` was given.
    pub audience_configured: bool,
}

/// The hint for `error` on `token` (the bytes verified), if there is one.
pub fn hint(error: Error, token: &[u8], context: &Context<'_>) -> Option<String> {
    match error {
        Error::UnsupportedAlgorithm => unsupported_algorithm(token, context),
        Error::InvalidAudience if !context.audience_configured && payload_has_aud(token) => Some(
            "the token has an aud claim and no audience was given: pass --aud AUDIENCE \
             (Supabase user tokens: --aud authenticated), or --any-aud to skip the check"
                .to_owned(),
        ),
        Error::Malformed => Some(malformed(token)),
        Error::InvalidSignature => context.text_secret.and_then(secret_hint),
        _ => None,
    }
}

fn unsupported_algorithm(token: &[u8], context: &Context<'_>) -> Option<String> {
    let header = token.split(|&b| b == b'.').next().and_then(decode_json);
    let alg = header.as_ref().and_then(|h| h.get("alg")).and_then(|a| a.as_str());
    let Some(alg) = alg.filter(|a| JWS_NAMES.contains(a)) else {
        return Some("the header's alg is missing or not a registered JWS algorithm name".to_owned());
    };
    Some(match alg {
        "ES256" | "RS256" | "EdDSA" if !context.jwks => format!(
            "the token is {alg}, signed with a private key: pass the issuer's public keys with --jwks FILE \
             (Supabase: https://<ref>.supabase.co/auth/v1/.well-known/jwks.json)"
        ),
        "HS256" if context.jwks => "the token is HS256 and no JWKS key verifies it: \
                                    add the legacy JWT secret with --secret"
            .to_owned(),
        "none" => "the token is unsigned (alg none): it proves nothing and is never accepted".to_owned(),
        "HS256" | "ES256" | "RS256" | "EdDSA" => {
            format!("the token is {alg}, but the key chosen for it is of another algorithm")
        }
        _ => format!("the token is {alg}, which jwtcheck does not implement (HS256, ES256, RS256, EdDSA)"),
    })
}

fn payload_has_aud(token: &[u8]) -> bool {
    token.split(|&b| b == b'.').nth(1).and_then(decode_json).is_some_and(|p| p.get("aud").is_some())
}

/// Which stage of the compact serialization failed (RFC 7515 §7.1).
fn malformed(token: &[u8]) -> String {
    if token.last().is_some_and(u8::is_ascii_whitespace) || token.first().is_some_and(u8::is_ascii_whitespace) {
        return "the input starts or ends with whitespace: pass the token alone".to_owned();
    }
    let segments: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
    if segments.len() != 3 {
        return format!("the token has {} segments; a JWS has 3 (header.payload.signature)", segments.len());
    }
    const NAMES: [&str; 3] = ["header", "payload", "signature"];
    let strict = |s: &[u8]| s.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_') && s.len() % 4 != 1;
    if let Some(i) = segments.iter().position(|s| !strict(s)) {
        return format!(
            "segment {} ({}) is not unpadded base64url (RFC 7515 §2: A-Z a-z 0-9 - _, no padding)",
            i + 1,
            NAMES[i]
        );
    }
    for (i, name) in NAMES.iter().enumerate().take(2) {
        match decode_json(segments[i]) {
            None => return format!("the {name} is not valid JSON (or not strict base64url: nonzero trailing bits)"),
            Some(v) if !v.is_object() => return format!("the {name} is JSON but not an object"),
            Some(_) => {}
        }
    }
    "the header or payload breaks a strict JSON rule (a repeated member name, nesting too deep, \
     a non-string kid): --explain shows the step"
        .to_owned()
}

fn secret_hint(secret: &[u8]) -> Option<String> {
    if secret.ends_with(b"\n") || secret.ends_with(b"\r") {
        return Some(
            "the secret ends with a newline, which is part of the key: remove it \
             (e.g. printf '%s' \"$SECRET\" > file)"
                .to_owned(),
        );
    }
    let base64ish = secret.len() >= 16
        && secret.iter().all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(b))
        && (secret.ends_with(b"=") || secret.iter().any(|b| b"+/".contains(b)) || secret.len().is_multiple_of(4));
    base64ish.then(|| {
        "the secret looks like base64 and is used as its text bytes (as Supabase signs); \
         if the issuer signs with the decoded bytes, pass it with --secret-base64"
            .to_owned()
    })
}
