//! A Supabase-style axum service on `jwtcheck-axum`: every route under `/api`
//! requires an `Authorization: Bearer <access token>`, signed by one of the
//! project's keys (its JWKS: ES256 or RS256) or, during a rotation, its
//! legacy HS256 secret; everything else is public.
//!
//! The whole integration is [`auth_from_vars`] (the configuration) and the
//! `.layer(auth.layer())` line in [`app`]; the handler reads the verified
//! claims with [`Verified`].

#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
pub use jwtcheck_axum::{Auth, Rejection, Verified};

/// The environment variable holding the project URL
/// (`https://<ref>.supabase.co`, or `http://127.0.0.1:54321` for
/// `supabase start`): the keys come from `{url}/auth/v1/.well-known/jwks.json`
/// and `iss` must be `{url}/auth/v1`.
pub const URL_VAR: &str = "SUPABASE_URL";

/// The environment variable holding the project's legacy JWT secret, for
/// HS256 tokens (optional: a project that signs only with asymmetric keys
/// needs none).
pub const SECRET_VAR: &str = "SUPABASE_JWT_SECRET";

/// The environment variable naming another URL to fetch the JWKS from (a
/// mirror, or a local server in tests); optional.
pub const JWKS_URL_VAR: &str = "SUPABASE_JWKS_URL";

/// Seconds of clock skew allowed on `exp`/`nbf`: PostgREST's 30.
pub const LEEWAY: u64 = 30;

/// The service's [`Auth`], from the variables [`URL_VAR`] (required),
/// [`SECRET_VAR`] and [`JWKS_URL_VAR`] (optional), read through `var` so
/// tests need not touch the process environment. Empty counts as unset.
///
/// Plain `http://` is accepted for loopback hosts only (`supabase start`).
pub fn auth_from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Auth, ConfigError> {
    let var = |name| var(name).filter(|v| !v.is_empty());
    let url = var(URL_VAR).ok_or(ConfigError::MissingUrl)?;
    let mut builder = Auth::supabase(&url).legacy_secret(var(SECRET_VAR)).leeway(LEEWAY).allow_http_loopback();
    if let Some(jwks) = var(JWKS_URL_VAR) {
        builder = builder.jwks_url(jwks);
    }
    builder.build().map_err(ConfigError::Auth)
}

/// The issuer Supabase Auth writes into a project's tokens: the project URL
/// followed by `/auth/v1`.
///
/// ```
/// assert_eq!(
///     jwtcheck_axum_example::issuer_for("https://abcd.supabase.co/"),
///     "https://abcd.supabase.co/auth/v1"
/// );
/// ```
pub fn issuer_for(project_url: &str) -> String {
    format!("{}/auth/v1", project_url.trim_end_matches('/'))
}

/// Why the service could not be configured.
#[derive(Debug)]
pub enum ConfigError {
    /// [`URL_VAR`] is unset or empty.
    MissingUrl,
    /// `jwtcheck-axum` refused the configuration (a short secret, a
    /// plain-HTTP URL to a remote host, …).
    Auth(jwtcheck_axum::ConfigError),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::MissingUrl => write!(f, "{URL_VAR} is not set"),
            ConfigError::Auth(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The service: `GET /health` is public; everything under `/api` goes through
/// the auth layer, including paths that match no route, so an
/// unauthenticated client cannot probe which API routes exist.
pub fn app(auth: &Auth) -> Router {
    let api = Router::new()
        .route("/me", get(me))
        // Added before `.layer` so that the layer covers it too.
        .fallback(not_found)
        .layer(auth.layer());
    Router::new().route("/health", get(health)).nest("/api", api)
}

async fn health() -> &'static str {
    "ok"
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(CONTENT_TYPE, "application/json")], r#"{"error":"not_found"}"#).into_response()
}

/// `GET /api/me`: who the token says the caller is.
async fn me(claims: Verified) -> Result<Response, Rejection> {
    // The typed Supabase view checks the known fields' types once; a token
    // whose `role` is not a string is refused (401 invalid_token) rather
    // than half-read.
    let user = claims.supabase()?;
    // `sub` is the Supabase user id. `JsonStr`'s `Display` unescapes JSON
    // escapes (RFC 8259 §7), so the values are the strings the issuer meant.
    let text = |s: Option<jwtcheck_axum::jwtcheck::JsonStr<'_>>| s.map(|s| s.to_string());
    Ok(Json(serde_json::json!({
        "sub": text(user.sub()),
        "role": text(user.role()),
        "provider": text(user.provider()),
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_from_variables() {
        let secret = "super-secret-jwt-token-with-at-least-32-characters-long";
        let vars = |url: Option<&'static str>, secret: Option<&'static str>| {
            move |name: &str| match name {
                URL_VAR => url.map(str::to_owned),
                SECRET_VAR => secret.map(str::to_owned),
                _ => None,
            }
        };
        let error = |v| auth_from_vars(v).unwrap_err().to_string();
        assert_eq!(error(vars(None, Some(secret))), "SUPABASE_URL is not set");
        assert_eq!(error(vars(Some(""), Some(secret))), "SUPABASE_URL is not set");
        assert_eq!(
            error(vars(Some("https://abcd.supabase.co"), Some("short"))),
            "legacy HS256 secret: weak_key: the HMAC secret is shorter than 32 bytes"
        );
        assert_eq!(
            error(vars(Some("http://abcd.supabase.co"), None)),
            "JWKS URL must be https:// (or http:// to a loopback host when allowed): http://abcd.supabase.co/auth/v1/.well-known/jwks.json"
        );
        let auth = auth_from_vars(vars(Some("https://abcd.supabase.co/"), Some(secret))).unwrap();
        assert_eq!(auth.source().url(), "https://abcd.supabase.co/auth/v1/.well-known/jwks.json");
        let auth = auth_from_vars(vars(Some("http://127.0.0.1:54321"), Some(""))).unwrap();
        assert_eq!(auth.source().url(), "http://127.0.0.1:54321/auth/v1/.well-known/jwks.json");
    }
}
