//! [`Auth`]: the key source and the rules, and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use http::header::AUTHORIZATION;
use jwtcheck::{Claims, Error, Hs256Key, OwnedValidation, bearer_token};

use crate::layer::{AuthLayer, Rejection};
use crate::source::{FetchError, KeySource, SourceConfig, VerifyError};
use crate::stats::{StatsSnapshot, kind_of};

/// The audience Supabase Auth gives a signed-in user's access token
/// (anonymous sign-ins included). The project's API keys carry none.
pub const SUPABASE_AUDIENCE: &str = "authenticated";

/// Everything a request's bearer token is checked against: the keys (a JWKS
/// kept fresh, plus an optional legacy HS256 secret) and the claim rules.
/// Build it once with [`Auth::supabase`] or [`Auth::jwks`]; it is a cheap
/// handle (`Arc`), cloned into the [layer](Auth::layer).
#[derive(Clone)]
pub struct Auth {
    inner: Arc<AuthInner>,
}

struct AuthInner {
    source: KeySource,
    validation: OwnedValidation,
    cooldown: Duration,
}

impl Auth {
    /// For a Supabase project (`https://<ref>.supabase.co`, or a custom
    /// domain): keys from `{url}/auth/v1/.well-known/jwks.json`, `iss` must
    /// be `{url}/auth/v1`, `aud` must be `authenticated`.
    pub fn supabase(project_url: &str) -> AuthBuilder {
        let base = project_url.trim_end_matches('/');
        AuthBuilder::new(format!("{base}/auth/v1/.well-known/jwks.json"))
            .issuer(format!("{base}/auth/v1"))
            .audience(SUPABASE_AUDIENCE)
    }

    /// For any issuer publishing a JWKS at `url`; no `aud` or `iss` rule
    /// until one is set (a token carrying an `aud` is then refused, as
    /// `jwtcheck`'s `Validation` does).
    pub fn jwks(url: &str) -> AuthBuilder {
        AuthBuilder::new(url.to_owned())
    }

    /// The tower layer that verifies every request's bearer token.
    pub fn layer(&self) -> AuthLayer {
        AuthLayer::new(self.clone())
    }

    /// The key source, for diagnostics and start-up.
    pub fn source(&self) -> &KeySource {
        &self.inner.source
    }

    /// Fetches the JWKS now (see [`KeySource::load`]).
    pub async fn load(&self) -> Result<usize, FetchError> {
        self.inner.source.load().await
    }

    /// The counters: fetches, refetches, verdicts by kind.
    pub fn stats(&self) -> StatsSnapshot {
        self.inner.source.stats().snapshot()
    }

    /// How long a 503's `Retry-After` says to wait: the refetch cooldown.
    pub(crate) fn retry_after(&self) -> Duration {
        self.inner.cooldown
    }

    /// Verifies a token (the bare JWS, without `Bearer `) at the system
    /// clock's time.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        self.verify_at(token, unix_now()).await
    }

    /// Verifies a token at `now`, seconds since the Unix epoch.
    pub async fn verify_at(&self, token: &str, now: u64) -> Result<Claims, VerifyError> {
        let result = self.inner.source.verify(token, &self.inner.validation.as_validation(), now).await;
        let stats = self.inner.source.stats();
        match &result {
            Ok(_) => stats.accepted(),
            Err(VerifyError::Invalid(error)) => {
                stats.rejected(kind_of(*error));
                // The kind only: never token bytes.
                tracing::debug!(target: "jwtcheck_axum", kind = error.kind(), "token rejected");
            }
            Err(VerifyError::Unavailable) => {
                stats.rejected("unavailable");
                tracing::warn!(target: "jwtcheck_axum", "token rejected: no usable JWKS");
            }
        }
        result
    }

    /// The whole check of a request's headers, as the layer runs it: one
    /// `Authorization: Bearer <token68>` (RFC 6750 §2.1), verified.
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<Claims, Rejection> {
        let token = match bearer(headers) {
            Ok(token) => token,
            Err(rejection) => {
                self.inner.source.stats().rejected(match rejection {
                    Rejection::NoCredentials => "no_credentials",
                    _ => "invalid_request",
                });
                return Err(rejection);
            }
        };
        self.verify(token).await.map_err(|error| match error {
            VerifyError::Invalid(error) => Rejection::InvalidToken(error),
            VerifyError::Unavailable => Rejection::Unavailable { retry_after: self.retry_after() },
        })
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth").field("source", &self.inner.source).field("validation", &self.inner.validation).finish()
    }
}

/// The bearer token of a request, or why there is none.
fn bearer(headers: &HeaderMap) -> Result<&str, Rejection> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
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
        // RFC 6750 §3.1: another authentication scheme counts as no
        // authentication information: no error code.
        return Err(Rejection::NoCredentials);
    }
    bearer_token(value).map_err(|_| Rejection::InvalidRequest("the Authorization value is not Bearer and a token68"))
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Why an [`AuthBuilder`] refused its configuration.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// The JWKS URL is not `https://…` (or `http://` to a loopback address
    /// with [`AuthBuilder::allow_http_loopback`]).
    Url(String),
    /// The legacy HS256 secret was refused (`weak_key`: under 32 bytes).
    LegacySecret(Error),
    /// The HTTP client could not be built (its TLS roots, for one).
    Client(reqwest::Error),
    /// A duration or size bound is out of order (named).
    Bounds(&'static str),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Url(url) => {
                write!(f, "JWKS URL must be https:// (or http:// to a loopback host when allowed): {url}")
            }
            ConfigError::LegacySecret(e) => write!(f, "legacy HS256 secret: {e}"),
            ConfigError::Client(e) => write!(f, "HTTP client: {e}"),
            ConfigError::Bounds(what) => write!(f, "configuration: {what}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The configuration of an [`Auth`]; every setting has a default, given on
/// its method.
#[must_use]
pub struct AuthBuilder {
    source: SourceConfig,
    validation: OwnedValidation,
    allow_http_loopback: bool,
    error: Option<ConfigError>,
}

impl AuthBuilder {
    fn new(url: String) -> Self {
        AuthBuilder {
            source: SourceConfig::new(url),
            validation: OwnedValidation::new(),
            allow_http_loopback: false,
            error: None,
        }
    }

    /// Fetches the keys from `url` instead (a mirror, a proxy, or a local
    /// server in tests); the claim rules stay as they are.
    pub fn jwks_url(mut self, url: impl Into<String>) -> Self {
        self.source.url = url.into();
        self
    }

    /// The legacy HS256 secret (Supabase: Project Settings → JWT Keys →
    /// Legacy JWT Secret), used as its raw UTF-8 bytes, never
    /// base64-decoded: HS256 tokens are verified with it while the JWKS
    /// holds the asymmetric keys (a rotation), and also while no JWKS is
    /// usable. `None` leaves it unset, for `std::env::var(…).ok()`.
    pub fn legacy_secret(mut self, secret: Option<impl AsRef<[u8]>>) -> Self {
        match secret.map(|s| Hs256Key::new(s.as_ref())).transpose() {
            Ok(key) => self.source.legacy = key,
            Err(error) => self.error = Some(ConfigError::LegacySecret(error)),
        }
        self
    }

    /// The `aud` a token must carry (one of them, if called repeatedly).
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.validation = self.validation.audience(audience);
        self
    }

    /// The `iss` a token must carry (one of them, if called repeatedly).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.validation = self.validation.issuer(issuer);
        self
    }

    /// Seconds of clock skew allowed on `exp` and `nbf` (default 0; 30 is what
    /// Supabase's PostgREST allows).
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.validation = self.validation.leeway(seconds);
        self
    }

    /// Replaces the claim rules altogether.
    pub fn validation(mut self, validation: OwnedValidation) -> Self {
        self.validation = validation;
        self
    }

    /// The least time between two fetches, and so between refetches for an
    /// unknown `kid` (default 30 s).
    pub fn cooldown(mut self, cooldown: Duration) -> Self {
        self.source.cooldown = cooldown;
        self
    }

    /// How long past its freshness a key set keeps verifying while refreshes
    /// fail, before tokens that need it get 503 (default 20 minutes).
    pub fn stale_for(mut self, stale_for: Duration) -> Self {
        self.source.stale_for = stale_for;
        self
    }

    /// The freshness `Cache-Control: max-age` may set, at least `min` and at
    /// most `max` (default 60 s to 24 h; `no-cache`/`no-store` give `min`).
    pub fn max_age_bounds(mut self, min: Duration, max: Duration) -> Self {
        self.source.min_max_age = min;
        self.source.max_max_age = max;
        self
    }

    /// The freshness when the response has no `max-age` (default 600 s,
    /// Supabase's).
    pub fn default_max_age(mut self, max_age: Duration) -> Self {
        self.source.default_max_age = max_age;
        self
    }

    /// Time limits of a fetch: to connect, and for the whole request with its
    /// body (default 5 s and 10 s).
    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.source.connect_timeout = connect;
        self.source.timeout = total;
        self
    }

    /// The longest JWKS body read (default and most
    /// [`jwtcheck::MAX_JWKS_LEN`], 64 KiB).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.source.max_body = bytes;
        self
    }

    /// Remembers tokens that verified, so that a client's repeated token (the
    /// same access token on every request until it expires) skips its
    /// signature check: `jwtcheck::SharedTokenCache` with `shards` shards of
    /// [`CACHE_SLOTS`](crate::CACHE_SLOTS) slots, about 270 KiB per shard
    /// (16 shards: 4.3 MB). Every claim check still runs on a hit, against
    /// the current time; the cache is emptied whenever a new key set is
    /// installed. Off by default (0).
    pub fn token_cache(mut self, shards: usize) -> Self {
        self.source.cache_shards = shards;
        self
    }

    /// Accepts an `http://` JWKS URL whose host is `localhost` or a loopback
    /// address: for `supabase start` (`http://127.0.0.1:54321`) and tests.
    /// Any other plain-HTTP URL is refused.
    pub fn allow_http_loopback(mut self) -> Self {
        self.allow_http_loopback = true;
        self
    }

    /// Checks the configuration and builds the [`Auth`]. No fetch happens
    /// here: call [`Auth::load`] at start-up, or let the first request fetch.
    pub fn build(self) -> Result<Auth, ConfigError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let source = &self.source;
        if !url_allowed(&source.url, self.allow_http_loopback) {
            return Err(ConfigError::Url(source.url.clone()));
        }
        if source.min_max_age > source.max_max_age {
            return Err(ConfigError::Bounds("the max-age minimum is above the maximum"));
        }
        if source.max_body > jwtcheck::MAX_JWKS_LEN {
            return Err(ConfigError::Bounds("max_body is above jwtcheck::MAX_JWKS_LEN"));
        }
        let cooldown = source.cooldown;
        let source = KeySource::new(self.source).map_err(ConfigError::Client)?;
        Ok(Auth { inner: Arc::new(AuthInner { source, validation: self.validation, cooldown }) })
    }
}

/// `https://host…`, or `http://` to `localhost`, `127.0.0.0/8` or `[::1]`
/// when allowed.
fn url_allowed(url: &str, allow_http_loopback: bool) -> bool {
    let Ok(uri) = url.parse::<http::Uri>() else { return false };
    let Some(host) = uri.host() else { return false };
    match uri.scheme_str() {
        Some("https") => true,
        Some("http") if allow_http_loopback => {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn urls() {
        let rows = [
            ("https://abcd.supabase.co/auth/v1/.well-known/jwks.json", false, true),
            ("http://abcd.supabase.co/auth/v1/.well-known/jwks.json", false, false),
            ("http://abcd.supabase.co/auth/v1/.well-known/jwks.json", true, false),
            ("http://127.0.0.1:54321/auth/v1/.well-known/jwks.json", false, false),
            ("http://127.0.0.1:54321/auth/v1/.well-known/jwks.json", true, true),
            ("http://127.9.9.9/x", true, true),
            ("http://localhost:54321/x", true, true),
            ("http://[::1]:54321/x", true, true),
            ("http://10.0.0.1/x", true, false),
            ("ftp://127.0.0.1/x", true, false),
            ("/auth/v1/.well-known/jwks.json", true, false),
            ("not a url", true, false),
            ("", true, false),
        ];
        for (url, allow, expected) in rows {
            assert_eq!(url_allowed(url, allow), expected, "{url} allow_http_loopback={allow}");
        }
    }

    #[test]
    fn builder_refusals() {
        let url = "https://abcd.supabase.co";
        let err = |b: AuthBuilder| b.build().unwrap_err().to_string();
        assert_eq!(
            err(Auth::supabase("http://abcd.supabase.co")),
            "JWKS URL must be https:// (or http:// to a loopback host when allowed): http://abcd.supabase.co/auth/v1/.well-known/jwks.json"
        );
        assert_eq!(
            err(Auth::supabase(url).legacy_secret(Some("short"))),
            "legacy HS256 secret: weak_key: the HMAC secret is shorter than 32 bytes"
        );
        assert_eq!(
            err(Auth::supabase(url).max_age_bounds(Duration::from_secs(10), Duration::from_secs(5))),
            "configuration: the max-age minimum is above the maximum"
        );
        assert_eq!(
            err(Auth::supabase(url).max_body(jwtcheck::MAX_JWKS_LEN + 1)),
            "configuration: max_body is above jwtcheck::MAX_JWKS_LEN"
        );
        let auth = Auth::supabase("https://abcd.supabase.co/").legacy_secret(None::<&str>).build().unwrap();
        assert_eq!(auth.source().url(), "https://abcd.supabase.co/auth/v1/.well-known/jwks.json");
    }

    #[test]
    fn bearer_headers() {
        let of = |values: &[&'static str]| {
            let mut headers = HeaderMap::new();
            for v in values {
                headers.append(AUTHORIZATION, HeaderValue::from_static(v));
            }
            bearer(&headers).map(str::to_owned)
        };
        assert_eq!(of(&[]), Err(Rejection::NoCredentials));
        assert_eq!(of(&["Basic dXNlcjpwYXNz"]), Err(Rejection::NoCredentials));
        assert_eq!(of(&["Bearer a.b.c"]), Ok("a.b.c".to_owned()));
        assert_eq!(of(&["bearer a.b.c"]), Ok("a.b.c".to_owned()));
        assert_eq!(
            of(&["Bearer a.b.c", "Bearer d.e.f"]),
            Err(Rejection::InvalidRequest("more than one Authorization header"))
        );
        assert_eq!(
            of(&["Bearer"]),
            Err(Rejection::InvalidRequest("the Authorization value is not Bearer and a token68"))
        );
        assert_eq!(
            of(&["Bearer a b"]),
            Err(Rejection::InvalidRequest("the Authorization value is not Bearer and a token68"))
        );
    }
}
