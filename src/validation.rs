//! What a token must satisfy besides its signature.

use crate::claims::ClaimsRef;
use crate::json::MAX_DEPTH_LIMIT;
use crate::{Claim, Error};

#[cfg(feature = "alloc")]
use alloc::{string::String, vec::Vec};

/// The default [`Validation::max_token_len`]: 8 KiB, the usual limit on an
/// HTTP header line.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 8 * 1024;

/// The default [`Validation::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// One name or several, borrowed.
#[derive(Clone, Copy, Debug)]
enum Names<'a> {
    One(&'a str),
    Many(&'a [&'a str]),
    /// The names an [`OwnedValidation`] holds.
    #[cfg(feature = "alloc")]
    Owned(&'a [String]),
}

impl Names<'_> {
    fn contains(&self, value: crate::JsonStr<'_>) -> bool {
        match *self {
            Names::One(name) => value == name,
            Names::Many(names) => names.iter().any(|name| value == *name),
            #[cfg(feature = "alloc")]
            Names::Owned(names) => names.iter().any(|name| value == **name),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum AudiencePolicy<'a> {
    /// RFC 7519 §4.1.3: a token that names an audience is meant for someone;
    /// with none configured we cannot be it.
    RejectAny,
    OneOf(Names<'a>),
    /// Explicit opt-out: `aud` is only type-checked.
    AcceptAny,
}

/// The rules a token's claims must meet. Strict by default; every leniency is
/// a method whose name says what it gives up.
///
/// Build it once, in a `const` or `static` if you like, and share it:
///
/// ```
/// use jwtcheck::Validation;
///
/// static VALIDATION: Validation<'static> = Validation::new()
///     .audience("authenticated")
///     .issuer("https://abcdefghijklmnopqrst.supabase.co/auth/v1")
///     .leeway(30);
/// ```
///
/// Names read at run time (an environment variable, a file) go into an
/// `OwnedValidation` instead (`alloc` feature), which owns them.
///
/// The defaults: `exp` required; no leeway; no audience configured, so a
/// token carrying `aud` is rejected; issuer not checked; tokens up to
/// [`DEFAULT_MAX_TOKEN_LEN`]; JSON nested up to [`DEFAULT_MAX_DEPTH`].
#[derive(Clone, Copy, Debug)]
pub struct Validation<'a> {
    audience: AudiencePolicy<'a>,
    issuers: Option<Names<'a>>,
    leeway: u64,
    require_exp: bool,
    max_token_len: usize,
    max_depth: usize,
}

impl Default for Validation<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Validation<'a> {
    /// The strict defaults (see the type's documentation).
    pub const fn new() -> Self {
        Validation {
            audience: AudiencePolicy::RejectAny,
            issuers: None,
            leeway: 0,
            require_exp: true,
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// Accept tokens whose `aud` is `audience` or an array containing it
    /// (compared after unescaping); reject tokens without `aud`
    /// (RFC 7519 §4.1.3). Replaces any audience setting made before.
    pub const fn audience(mut self, audience: &'a str) -> Self {
        self.audience = AudiencePolicy::OneOf(Names::One(audience));
        self
    }

    /// Like [`audience`](Validation::audience), matching when any of the
    /// token's audiences equals any of `audiences`. An empty slice accepts no
    /// token.
    pub const fn audiences(mut self, audiences: &'a [&'a str]) -> Self {
        self.audience = AudiencePolicy::OneOf(Names::Many(audiences));
        self
    }

    /// Do not check `aud` at all (its type is still checked). RFC 7519
    /// §4.1.3 requires rejecting a token whose `aud` does not name you, so
    /// only choose this when every token for this key is meant for you.
    /// Replaces any audience setting made before.
    pub const fn accept_any_audience(mut self) -> Self {
        self.audience = AudiencePolicy::AcceptAny;
        self
    }

    /// Require `iss` to equal `issuer` exactly (after unescaping;
    /// RFC 7519 §4.1.1). Replaces any issuer setting made before.
    pub const fn issuer(mut self, issuer: &'a str) -> Self {
        self.issuers = Some(Names::One(issuer));
        self
    }

    /// Require `iss` to equal one of `issuers`. An empty slice accepts no
    /// token.
    pub const fn issuers(mut self, issuers: &'a [&'a str]) -> Self {
        self.issuers = Some(Names::Many(issuers));
        self
    }

    /// Seconds of clock skew tolerated on `exp` and `nbf` (default 0): a
    /// token is expired when `now >= exp + leeway` and not yet valid when
    /// `now + leeway < nbf`. The sums saturate; they never wrap.
    pub const fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// Accept tokens without `exp` (RFC 7519 makes it optional; this crate
    /// requires it by default because a token without one never expires).
    /// A present `exp` is still type-checked and enforced.
    pub const fn allow_missing_exp(mut self) -> Self {
        self.require_exp = false;
        self
    }

    /// Reject tokens longer than `bytes` as [`Error::TooLarge`], before any
    /// other work (default [`DEFAULT_MAX_TOKEN_LEN`]). Note that
    /// [`verify`](crate::verify) holds at most
    /// [`PAYLOAD_CAPACITY`](crate::PAYLOAD_CAPACITY) bytes of decoded payload;
    /// for larger tokens use [`verify_in`](crate::verify_in) with a larger
    /// buffer.
    pub const fn max_token_len(mut self, bytes: usize) -> Self {
        self.max_token_len = bytes;
        self
    }

    /// The deepest JSON nesting accepted in the header and the payload, the
    /// root object counting as 1 (default [`DEFAULT_MAX_DEPTH`]). Values above
    /// [`MAX_DEPTH_LIMIT`](crate::MAX_DEPTH_LIMIT) act as that limit; 0
    /// rejects every token.
    pub const fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = if depth < MAX_DEPTH_LIMIT { depth } else { MAX_DEPTH_LIMIT };
        self
    }

    pub(crate) fn max_token_len_value(&self) -> usize {
        self.max_token_len
    }

    pub(crate) fn max_depth_value(&self) -> usize {
        self.max_depth
    }

    /// The claim rules, after the payload was scanned and typed: exp, nbf,
    /// iss, aud, in that order.
    pub(crate) fn check(&self, claims: &ClaimsRef<'_>, now: u64) -> Result<(), Error> {
        let now = u128::from(now);
        let leeway = u128::from(self.leeway);
        match claims.exp() {
            // RFC 7519 §4.1.4: "on or after" the expiration time.
            Some(exp) if now >= exp.ceil().saturating_add(leeway) => return Err(Error::Expired),
            None if self.require_exp => return Err(Error::InvalidClaims(Claim::Exp)),
            _ => {}
        }
        if let Some(nbf) = claims.nbf() {
            // RFC 7519 §4.1.5: not "before" the not-before time.
            if now.saturating_add(leeway) < nbf.ceil() {
                return Err(Error::NotYetValid);
            }
        }
        if let Some(issuers) = self.issuers {
            match claims.iss() {
                Some(iss) if issuers.contains(iss) => {}
                _ => return Err(Error::InvalidIssuer),
            }
        }
        match self.audience {
            AudiencePolicy::AcceptAny => {}
            AudiencePolicy::RejectAny => {
                if claims.has_aud() {
                    return Err(Error::InvalidAudience);
                }
            }
            AudiencePolicy::OneOf(names) => {
                if !claims.aud().any(|aud| names.contains(aud)) {
                    return Err(Error::InvalidAudience);
                }
            }
        }
        Ok(())
    }
}

/// A [`Validation`] that owns its audience and issuer strings (`alloc`
/// feature, part of `std`): for configuration read at run time, from the
/// environment or a file, without `Box::leak` or a `static`.
///
/// The same rules and the same strict defaults as [`Validation`]; each
/// method here does what the method of the same name there does. Build it
/// once at start-up and pass [`as_validation`](OwnedValidation::as_validation)
/// to `verify` (a copy of a few words; nothing is allocated per token).
///
/// ```
/// use jwtcheck::{Hs256Key, OwnedValidation, verify};
///
/// // e.g. std::env::var("SUPABASE_URL")?
/// let project = String::from("https://kqzrvxwlmtpbhdcnsjfg.supabase.co");
/// let validation = OwnedValidation::new().audience("authenticated").issuer(format!("{project}/auth/v1")).leeway(30);
///
/// let key = Hs256Key::new(b"super-secret-jwt-token-with-at-least-32-characters-long")?;
/// let token = "eyJhbGciOiJIUzI1NiIsImtpZCI6IlhrM3BROXZMcjJUeis4YlciLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1LCJpYXQiOjE3NjcyNjIyNDUsImVtYWlsIjoiem9lLm9icmllbkBleGFtcGxlLmNvbSIsInBob25lIjoiIiwiYXBwX21ldGFkYXRhIjp7InByb3ZpZGVyIjoiZW1haWwiLCJwcm92aWRlcnMiOlsiZW1haWwiXX0sInVzZXJfbWV0YWRhdGEiOnsiY29tcGFueSI6IlNtaXRoIFx1MDAyNiBTb25zIFx1MDAzY1VLXHUwMDNlIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1bGxfbmFtZSI6Ilpvw6sgTydCcmllbiJ9LCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImFhbCI6ImFhbDEiLCJhbXIiOlt7Im1ldGhvZCI6InBhc3N3b3JkIiwidGltZXN0YW1wIjoxNzY3MjU2ODQ1fV0sInNlc3Npb25faWQiOiIzYzlhN2IyZS01ZDQxLTRmMDgtYTZlMy05MWIwYzJkNGY3YTgiLCJpc19hbm9ueW1vdXMiOmZhbHNlfQ.v0k7pIMbQRIkFB3ewSq7p2tQX60n879WvrDUJ5Pr2dA";
/// let claims = verify(token, &key, &validation.as_validation(), 1767262245)?;
/// assert!(claims.sub().is_some_and(|s| s == "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01"));
/// # Ok::<(), jwtcheck::Error>(())
/// ```
#[cfg(feature = "alloc")]
#[derive(Clone, Debug)]
pub struct OwnedValidation {
    /// Everything but the names (whose fields there stay unset).
    settings: Validation<'static>,
    audience: OwnedAudience,
    issuers: Option<Vec<String>>,
}

#[cfg(feature = "alloc")]
#[derive(Clone, Debug)]
enum OwnedAudience {
    RejectAny,
    OneOf(Vec<String>),
    AcceptAny,
}

#[cfg(feature = "alloc")]
impl Default for OwnedValidation {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "alloc")]
impl OwnedValidation {
    /// The strict defaults of [`Validation::new`].
    pub const fn new() -> Self {
        OwnedValidation { settings: Validation::new(), audience: OwnedAudience::RejectAny, issuers: None }
    }

    /// See [`Validation::audience`].
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = OwnedAudience::OneOf(alloc::vec![audience.into()]);
        self
    }

    /// See [`Validation::audiences`]; an empty list accepts no audience.
    pub fn audiences<S: Into<String>>(mut self, audiences: impl IntoIterator<Item = S>) -> Self {
        self.audience = OwnedAudience::OneOf(audiences.into_iter().map(Into::into).collect());
        self
    }

    /// See [`Validation::accept_any_audience`].
    pub fn accept_any_audience(mut self) -> Self {
        self.audience = OwnedAudience::AcceptAny;
        self
    }

    /// See [`Validation::issuer`].
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuers = Some(alloc::vec![issuer.into()]);
        self
    }

    /// See [`Validation::issuers`]; an empty list accepts no issuer.
    pub fn issuers<S: Into<String>>(mut self, issuers: impl IntoIterator<Item = S>) -> Self {
        self.issuers = Some(issuers.into_iter().map(Into::into).collect());
        self
    }

    /// See [`Validation::leeway`].
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.settings = self.settings.leeway(seconds);
        self
    }

    /// See [`Validation::allow_missing_exp`].
    pub fn allow_missing_exp(mut self) -> Self {
        self.settings = self.settings.allow_missing_exp();
        self
    }

    /// See [`Validation::max_token_len`].
    pub fn max_token_len(mut self, bytes: usize) -> Self {
        self.settings = self.settings.max_token_len(bytes);
        self
    }

    /// See [`Validation::max_depth`].
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.settings = self.settings.max_depth(depth);
        self
    }

    /// The [`Validation`] to pass to `verify`, borrowing the names.
    pub fn as_validation(&self) -> Validation<'_> {
        let mut validation = self.settings;
        validation.audience = match &self.audience {
            OwnedAudience::RejectAny => AudiencePolicy::RejectAny,
            OwnedAudience::OneOf(names) => AudiencePolicy::OneOf(Names::Owned(names)),
            OwnedAudience::AcceptAny => AudiencePolicy::AcceptAny,
        };
        validation.issuers = self.issuers.as_deref().map(Names::Owned);
        validation
    }
}

#[cfg(feature = "alloc")]
impl<'a> From<&'a OwnedValidation> for Validation<'a> {
    fn from(owned: &'a OwnedValidation) -> Self {
        owned.as_validation()
    }
}
