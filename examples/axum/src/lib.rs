//! A Supabase-style axum service: every route under `/api` requires an
//! `Authorization: Bearer <access token>` signed with the project's JWT
//! secret; everything else is public.
//!
//! Copy this file into your service. The pieces:
//!
//! - [`Auth`]: the key and the validation rules, built once at start-up and
//!   shared by `Arc` (the HMAC key schedule is never recomputed per request).
//! - [`require_bearer`]: the middleware that verifies the token and puts the
//!   verified [`Claims`] into the request extensions, or answers 401.
//! - [`Verified`]: the extractor handlers use to read those claims.
//! - [`app`]: the router wiring them together.

#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jwtcheck::{Claims, Error, Hs256Key, OwnedValidation, bearer_token, verify_now};

/// The audience Supabase Auth puts in the access tokens of signed-in users
/// (anonymous sign-ins included). The project's `anon` and `service_role` API
/// keys carry no `aud`, so they are rejected here: they identify the project,
/// not a user.
pub const SUPABASE_AUDIENCE: &str = "authenticated";

/// The environment variable holding the project's JWT secret.
pub const SECRET_VAR: &str = "SUPABASE_JWT_SECRET";

/// The environment variable holding the project URL
/// (`https://<ref>.supabase.co`); when set, `iss` must be `{url}/auth/v1`.
pub const URL_VAR: &str = "SUPABASE_URL";

/// The key and the rules every token on `/api` must meet. Build it once and
/// share it (the router holds it in an `Arc`).
#[derive(Debug)]
pub struct Auth {
    key: Hs256Key,
    validation: OwnedValidation,
}

impl Auth {
    /// From the project's JWT secret and, optionally, the issuer to require.
    ///
    /// The secret is used as its raw UTF-8 bytes, exactly as shown in the
    /// Supabase dashboard: Supabase signs with those bytes and NEVER
    /// base64-decodes the secret, even though it often looks like base64.
    /// Decoding it would give a different key, and every token would fail with
    /// `invalid_signature`.
    ///
    /// Fails with [`Error::WeakKey`] for a secret shorter than 32 bytes
    /// (RFC 7518 §3.2).
    pub fn new(secret: &[u8], issuer: Option<&str>) -> Result<Self, Error> {
        let key = Hs256Key::new(secret)?;
        // Owned strings, read at run time; built once, nothing allocated per
        // request.
        let validation = OwnedValidation::new().audience(SUPABASE_AUDIENCE);
        let validation = match issuer {
            Some(issuer) => validation.issuer(issuer),
            None => validation,
        };
        Ok(Auth { key, validation })
    }

    /// From the variables [`SECRET_VAR`] (required) and [`URL_VAR`]
    /// (optional), read through `var` so tests need not touch the process
    /// environment. An empty `SUPABASE_URL` counts as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let secret = var(SECRET_VAR).filter(|s| !s.is_empty()).ok_or(ConfigError::MissingSecret)?;
        let issuer = var(URL_VAR).filter(|url| !url.is_empty()).map(|url| issuer_for(&url));
        Auth::new(secret.as_bytes(), issuer.as_deref()).map_err(ConfigError::Key)
    }

    /// From the process environment (see [`Auth::from_vars`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Verifies a compact token (without the `Bearer ` prefix) at the system
    /// time.
    pub fn verify(&self, token: &str) -> Result<Claims, Error> {
        verify_now(token, &self.key, &self.validation.as_validation())
    }
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
#[derive(Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// [`SECRET_VAR`] is unset or empty.
    MissingSecret,
    /// The secret was refused (shorter than 32 bytes).
    Key(Error),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::MissingSecret => write!(f, "{SECRET_VAR} is not set"),
            ConfigError::Key(e) => write!(f, "{SECRET_VAR}: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The service: `GET /health` is public; everything under `/api` goes
/// through [`require_bearer`], including paths that match no route, so an
/// unauthenticated client cannot probe which API routes exist.
pub fn app(auth: Arc<Auth>) -> Router {
    let api = Router::new()
        .route("/me", get(me))
        // Added before `.layer` so that the layer covers it too.
        .fallback(not_found)
        .layer(from_fn_with_state(auth, require_bearer));
    Router::new().route("/health", get(health)).nest("/api", api)
}

async fn health() -> &'static str {
    "ok"
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(CONTENT_TYPE, "application/json")], r#"{"error":"not_found"}"#).into_response()
}

/// `GET /api/me`: who the token says the caller is.
async fn me(Verified(claims): Verified) -> Response {
    // The typed Supabase view checks the known fields' types once; a token
    // whose `role` is not a string is refused rather than half-read.
    let Ok(user) = claims.supabase() else {
        return (StatusCode::FORBIDDEN, [(CONTENT_TYPE, "application/json")], r#"{"error":"invalid_claims"}"#)
            .into_response();
    };
    // `sub` is the Supabase user id. `JsonStr`'s `Display` unescapes JSON
    // escapes (RFC 8259 §7), so the values are the strings the issuer meant.
    let text = |s: Option<jwtcheck::JsonStr<'_>>| s.map(|s| s.to_string());
    Json(serde_json::json!({
        "sub": text(user.sub()),
        "role": text(user.role()),
        "provider": text(user.provider()),
    }))
    .into_response()
}

/// The middleware: verifies the bearer token, stores the claims in the
/// request extensions as `Arc<Claims>`, and calls the handler; otherwise
/// answers with [`Rejection`]'s response and never calls it.
pub async fn require_bearer(State(auth): State<Arc<Auth>>, mut request: Request, next: Next) -> Response {
    match authenticate(&auth, &request) {
        Ok(claims) => {
            // `Claims` holds the payload inline (6 KiB); the `Arc` makes the
            // handler's copy a pointer copy.
            request.extensions_mut().insert(Arc::new(claims));
            next.run(request).await
        }
        Err(rejection) => rejection.into_response(),
    }
}

fn authenticate(auth: &Auth, request: &Request) -> Result<Claims, Rejection> {
    let mut values = request.headers().get_all(AUTHORIZATION).iter();
    let value = values.next().ok_or(Rejection::NoCredentials)?;
    if values.next().is_some() {
        // RFC 6750 §3.1: more than one way of sending the token is
        // `invalid_request`; two Authorization headers are at best ambiguous.
        return Err(Rejection::InvalidRequest("more than one Authorization header"));
    }
    // RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ].
    let value = value.as_bytes();
    let scheme = value.split(|&b| b == b' ' || b == b'\t').next().unwrap_or_default();
    if !scheme.eq_ignore_ascii_case(b"Bearer") {
        // RFC 6750 §3.1: a request using an unsupported authentication method
        // counts as one without authentication information: no error code.
        return Err(Rejection::NoCredentials);
    }
    // RFC 6750 §3.1: a Bearer value that is not `Bearer <token68>` is a
    // request that cannot be read (400), not a token that failed (401).
    let token = bearer_token(value)
        .map_err(|_| Rejection::InvalidRequest("the Authorization value is not Bearer and a token68"))?;
    auth.verify(token).map_err(Rejection::InvalidToken)
}

/// Why a request to `/api` was refused, and the response it gets.
///
/// | case | status | `WWW-Authenticate` |
/// | --- | --- | --- |
/// | no `Authorization`, or a scheme other than `Bearer` | 401 | `Bearer` (RFC 6750 §3.1: no error code) |
/// | two or more `Authorization` headers, or a `Bearer` value that is not `Bearer <token68>` | 400 | `Bearer error="invalid_request", error_description="…"` |
/// | a `Bearer` value that does not verify | 401 | `Bearer error="invalid_token", error_description="…"` |
///
/// The description is a fixed string per [`Error`] kind (see
/// [`error_description`]); the body is a fixed JSON object. Nothing from the
/// token is echoed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// No credentials, or credentials of another scheme.
    NoCredentials,
    /// The request's credentials cannot be read (several `Authorization`
    /// headers, or a `Bearer` value that is not `Bearer <token68>`):
    /// the fixed `error_description`.
    InvalidRequest(&'static str),
    /// A bearer token that failed verification, and why.
    InvalidToken(Error),
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let (status, challenge, body) = match self {
            Rejection::NoCredentials => {
                (StatusCode::UNAUTHORIZED, HeaderValue::from_static("Bearer"), r#"{"error":"unauthorized"}"#)
            }
            Rejection::InvalidRequest(description) => {
                let value = format!(r#"Bearer error="invalid_request", error_description="{description}""#);
                // The descriptions are fixed strings of RFC 6750 §3's set;
                // the fallback keeps this panic-free.
                let challenge = HeaderValue::from_str(&value)
                    .unwrap_or_else(|_| HeaderValue::from_static(r#"Bearer error="invalid_request""#));
                (StatusCode::BAD_REQUEST, challenge, r#"{"error":"invalid_request"}"#)
            }
            Rejection::InvalidToken(error) => {
                (StatusCode::UNAUTHORIZED, challenge(error), r#"{"error":"invalid_token"}"#)
            }
        };
        (status, [(WWW_AUTHENTICATE, challenge), (CONTENT_TYPE, HeaderValue::from_static("application/json"))], body)
            .into_response()
    }
}

fn challenge(error: Error) -> HeaderValue {
    let value = format!(r#"Bearer error="invalid_token", error_description="{}""#, error_description(error));
    // Every description keeps to RFC 6750 §3's set for error_description
    // (%x20-21 / %x23-5B / %x5D-7E: printable ASCII without `"` or `\`; a
    // unit test checks them all), so this cannot fail; the fallback keeps it
    // panic-free.
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(r#"Bearer error="invalid_token""#))
}

/// The `error_description` (RFC 6750 §3: human-readable text "used to
/// assist the client developer") sent for each verification error: fixed,
/// telling which rule failed but nothing from the token. Errors that say the
/// token is not well formed or not one this service accepts share one text.
pub fn error_description(error: Error) -> &'static str {
    match error {
        Error::Expired => "the access token expired",
        Error::NotYetValid => "the access token is not valid yet",
        Error::InvalidSignature => "the access token signature is invalid",
        Error::InvalidAudience => "the access token audience is not accepted",
        Error::InvalidIssuer => "the access token issuer is not accepted",
        Error::TooLarge => "the access token is too large",
        Error::InvalidClaims(_) => "the access token claims are invalid",
        Error::Malformed | Error::UnsupportedAlgorithm | Error::UnsupportedHeader => {
            "the access token is malformed or of an unsupported algorithm"
        }
        // With a key set (a JWKS), after a refetch did not help.
        Error::UnknownKey => "the access token's signing key is unknown",
        // `Error` is non_exhaustive; key errors cannot come from `verify`.
        _ => "the access token is invalid",
    }
}

/// The verified claims of the request, for handlers behind
/// [`require_bearer`].
///
/// ```
/// use jwtcheck_axum_example::Verified;
///
/// async fn handler(Verified(claims): Verified) -> String {
///     claims.sub().map(|s| s.to_string()).unwrap_or_default()
/// }
/// ```
///
/// Used on a route *not* behind the middleware it finds no claims and answers
/// 500: a wiring mistake must fail closed, never run the handler
/// unauthenticated.
#[derive(Clone, Debug)]
pub struct Verified(pub Arc<Claims>);

impl<S: Send + Sync> FromRequestParts<S> for Verified {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Arc<Claims>>() {
            Some(claims) => Ok(Verified(Arc::clone(claims))),
            None => Err((
                StatusCode::INTERNAL_SERVER_ERROR,
                [(CONTENT_TYPE, "application/json")],
                r#"{"error":"internal"}"#,
            )
                .into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwtcheck::Claim;

    const ALL_ERRORS: [Error; 22] = [
        Error::Malformed,
        Error::TooLarge,
        Error::UnsupportedAlgorithm,
        Error::UnsupportedHeader,
        Error::InvalidSignature,
        Error::InvalidClaims(Claim::Iss),
        Error::InvalidClaims(Claim::Sub),
        Error::InvalidClaims(Claim::Aud),
        Error::InvalidClaims(Claim::Exp),
        Error::InvalidClaims(Claim::Nbf),
        Error::InvalidClaims(Claim::Iat),
        Error::InvalidClaims(Claim::Jti),
        Error::InvalidClaims(Claim::Custom),
        Error::Expired,
        Error::NotYetValid,
        Error::InvalidAudience,
        Error::InvalidIssuer,
        Error::WeakKey,
        Error::InvalidKey(jwtcheck::KeyProblem::Encoding),
        Error::UnknownKey,
        Error::InvalidJwks,
        Error::InvalidRequest,
    ];

    #[test]
    fn every_challenge_is_a_valid_quoted_string() {
        for error in ALL_ERRORS {
            let description = error_description(error);
            // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E,
            // so it never needs quoted-string escaping either.
            assert!(description.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\'), "{error:?}");
            let expected = format!(r#"Bearer error="invalid_token", error_description="{description}""#);
            assert_eq!(challenge(error).to_str().unwrap(), expected);
        }
    }

    #[test]
    fn configuration_from_variables() {
        let secret = "super-secret-jwt-token-with-at-least-32-characters-long";
        let vars = |url: Option<&'static str>| {
            move |name: &str| match name {
                SECRET_VAR => Some(secret.to_owned()),
                URL_VAR => url.map(str::to_owned),
                _ => None,
            }
        };
        assert_eq!(Auth::from_vars(|_| None).unwrap_err(), ConfigError::MissingSecret);
        assert_eq!(Auth::from_vars(|_| Some(String::new())).unwrap_err(), ConfigError::MissingSecret);
        assert_eq!(Auth::from_vars(|_| Some("short".to_owned())).unwrap_err(), ConfigError::Key(Error::WeakKey));
        assert!(Auth::from_vars(vars(None)).is_ok());
        assert!(Auth::from_vars(vars(Some(""))).is_ok());
        assert!(Auth::from_vars(vars(Some("https://abcd.supabase.co"))).is_ok());
        assert_eq!(ConfigError::MissingSecret.to_string(), "SUPABASE_JWT_SECRET is not set");
        assert_eq!(
            ConfigError::Key(Error::WeakKey).to_string(),
            "SUPABASE_JWT_SECRET: weak_key: the HMAC secret is shorter than 32 bytes"
        );
    }

    #[test]
    fn issuer_is_the_auth_endpoint() {
        assert_eq!(issuer_for("https://abcd.supabase.co"), "https://abcd.supabase.co/auth/v1");
        assert_eq!(issuer_for("https://abcd.supabase.co//"), "https://abcd.supabase.co/auth/v1");
        assert_eq!(issuer_for("http://127.0.0.1:54321"), "http://127.0.0.1:54321/auth/v1");
    }
}
