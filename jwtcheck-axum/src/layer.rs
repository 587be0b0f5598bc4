//! The tower layer, the handlers' extractor, and the HTTP answers.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::{FromRequestParts, Request};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jwtcheck::{Claims, Error};
use tower_layer::Layer;
use tower_service::Service;

use crate::Auth;

/// Verifies the bearer token of every request before the inner service sees
/// it: on success the claims are in the request's extensions (read them with
/// [`Verified`]), otherwise the request is answered with the
/// [`Rejection`] and the inner service is not called.
#[derive(Clone, Debug)]
pub struct AuthLayer {
    auth: Auth,
}

impl AuthLayer {
    pub(crate) fn new(auth: Auth) -> Self {
        AuthLayer { auth }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> AuthService<S> {
        AuthService { auth: self.auth.clone(), inner }
    }
}

/// The service [`AuthLayer`] wraps around an inner one.
#[derive(Clone, Debug)]
pub struct AuthService<S> {
    auth: Auth,
    inner: S,
}

impl<S> Service<Request> for AuthService<S>
where
    S: Service<Request, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        // The clone that was polled ready serves this request (tower's
        // readiness contract); a fresh clone waits for the next one.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let auth = self.auth.clone();
        Box::pin(async move {
            match auth.authenticate(request.headers()).await {
                Ok(claims) => {
                    // `Claims` keeps the payload inline; the `Arc` makes the
                    // handler's copy a pointer copy.
                    request.extensions_mut().insert(Verified(Arc::new(claims)));
                    inner.call(request).await
                }
                Err(rejection) => Ok(rejection.into_response()),
            }
        })
    }
}

/// The verified claims of the request, for handlers behind [`AuthLayer`].
///
/// ```
/// use jwtcheck_axum::{Rejection, Verified};
///
/// // The typed Supabase view: `?` answers a mistyped claim with 401.
/// async fn me(claims: Verified) -> Result<String, Rejection> {
///     let user = claims.supabase()?;
///     Ok(user.sub().map(|s| s.to_string()).unwrap_or_default())
/// }
/// ```
///
/// On a route *not* behind the layer it finds no claims and answers 500: a
/// wiring mistake fails closed, never running the handler unauthenticated.
#[derive(Clone, Debug)]
pub struct Verified(pub Arc<Claims>);

impl Deref for Verified {
    type Target = Claims;

    fn deref(&self) -> &Claims {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Verified {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Verified>() {
            Some(verified) => Ok(verified.clone()),
            None => {
                tracing::error!(target: "jwtcheck_axum", "Verified extractor on a route without the AuthLayer");
                Err((
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(CONTENT_TYPE, "application/json")],
                    r#"{"error":"internal"}"#,
                )
                    .into_response())
            }
        }
    }
}

/// Why a request was refused, and the response it gets (RFC 6750 §3).
///
/// | case | status | `WWW-Authenticate` |
/// | --- | --- | --- |
/// | no `Authorization`, or a scheme other than `Bearer` | 401 | `Bearer` (RFC 6750 §3.1: no error code) |
/// | two or more `Authorization` headers, or a `Bearer` value that is not `Bearer <token68>` | 400 | `Bearer error="invalid_request", error_description="…"` |
/// | a token that does not verify | 401 | `Bearer error="invalid_token", error_description="…"` |
/// | a token that needs the JWKS while none is usable | 503, with `Retry-After` | none |
///
/// The description is a fixed string per [`Error`] kind
/// ([`error_description`]); the body is a fixed JSON object. Nothing from
/// the token is echoed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// No credentials, or credentials of another scheme.
    NoCredentials,
    /// The credentials cannot be read: the fixed `error_description`.
    InvalidRequest(&'static str),
    /// A bearer token that failed verification, and why.
    InvalidToken(Error),
    /// No key set is usable (never fetched, or past its stale limit).
    Unavailable {
        /// Sent as `Retry-After`, in whole seconds (at least 1).
        retry_after: Duration,
    },
}

/// A claim check in a handler (`claims.supabase()?`) answers like a token
/// that failed verification.
impl From<Error> for Rejection {
    fn from(error: Error) -> Self {
        Rejection::InvalidToken(error)
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let json = HeaderValue::from_static("application/json");
        match self {
            Rejection::NoCredentials => (
                StatusCode::UNAUTHORIZED,
                [(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")), (CONTENT_TYPE, json)],
                r#"{"error":"unauthorized"}"#,
            )
                .into_response(),
            Rejection::InvalidRequest(description) => {
                let value = format!(r#"Bearer error="invalid_request", error_description="{description}""#);
                // The descriptions are fixed strings of RFC 6750 §3's set;
                // the fallback keeps this panic-free.
                let challenge = HeaderValue::from_str(&value)
                    .unwrap_or_else(|_| HeaderValue::from_static(r#"Bearer error="invalid_request""#));
                (
                    StatusCode::BAD_REQUEST,
                    [(WWW_AUTHENTICATE, challenge), (CONTENT_TYPE, json)],
                    r#"{"error":"invalid_request"}"#,
                )
                    .into_response()
            }
            Rejection::InvalidToken(error) => (
                StatusCode::UNAUTHORIZED,
                [(WWW_AUTHENTICATE, challenge(error)), (CONTENT_TYPE, json)],
                r#"{"error":"invalid_token"}"#,
            )
                .into_response(),
            Rejection::Unavailable { retry_after } => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(RETRY_AFTER, HeaderValue::from(retry_after.as_secs().max(1))), (CONTENT_TYPE, json)],
                r#"{"error":"temporarily_unavailable"}"#,
            )
                .into_response(),
        }
    }
}

pub(crate) fn challenge(error: Error) -> HeaderValue {
    let value = format!(r#"Bearer error="invalid_token", error_description="{}""#, error_description(error));
    // Every description keeps to RFC 6750 §3's set for error_description
    // (a unit test checks them all); the fallback keeps this panic-free.
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(r#"Bearer error="invalid_token""#))
}

/// The `error_description` (RFC 6750 §3: human-readable text "used to
/// assist the client developer") sent for each verification error: fixed,
/// telling which rule failed but nothing from the token.
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
        // After the refetch the cooldown allowed did not find it.
        Error::UnknownKey => "the access token's signing key is unknown",
        // `Error` is non_exhaustive; key errors cannot come from `verify`.
        _ => "the access token is invalid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwtcheck::{Claim, KeyProblem};

    const ALL_ERRORS: [Error; 16] = [
        Error::Malformed,
        Error::TooLarge,
        Error::UnsupportedAlgorithm,
        Error::UnsupportedHeader,
        Error::InvalidSignature,
        Error::InvalidClaims(Claim::Exp),
        Error::InvalidClaims(Claim::Custom),
        Error::Expired,
        Error::NotYetValid,
        Error::InvalidAudience,
        Error::InvalidIssuer,
        Error::WeakKey,
        Error::InvalidKey(KeyProblem::Encoding),
        Error::UnknownKey,
        Error::InvalidJwks,
        Error::InvalidRequest,
    ];

    #[test]
    fn every_challenge_is_a_valid_quoted_string() {
        for error in ALL_ERRORS {
            let description = error_description(error);
            // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E.
            assert!(description.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\'), "{error:?}");
            let expected = format!(r#"Bearer error="invalid_token", error_description="{description}""#);
            assert_eq!(challenge(error).to_str().unwrap(), expected);
        }
    }

    #[test]
    fn responses() {
        let rows = [
            (Rejection::NoCredentials, 401, Some("Bearer"), None),
            (
                Rejection::InvalidRequest("more than one Authorization header"),
                400,
                Some(r#"Bearer error="invalid_request", error_description="more than one Authorization header""#),
                None,
            ),
            (
                Rejection::InvalidToken(Error::Expired),
                401,
                Some(r#"Bearer error="invalid_token", error_description="the access token expired""#),
                None,
            ),
            (Rejection::Unavailable { retry_after: Duration::from_secs(30) }, 503, None, Some("30")),
            (Rejection::Unavailable { retry_after: Duration::from_millis(200) }, 503, None, Some("1")),
        ];
        for (rejection, status, challenge, retry_after) in rows {
            let response = rejection.into_response();
            assert_eq!(response.status().as_u16(), status, "{rejection:?}");
            let header = |name| response.headers().get(name).map(|v: &HeaderValue| v.to_str().unwrap().to_owned());
            assert_eq!(header(WWW_AUTHENTICATE).as_deref(), challenge, "{rejection:?}");
            assert_eq!(header(RETRY_AFTER).as_deref(), retry_after, "{rejection:?}");
            assert_eq!(header(CONTENT_TYPE).as_deref(), Some("application/json"));
        }
    }
}
