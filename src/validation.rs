//! What a token must satisfy besides its signature.

use crate::claims::ClaimsRef;
use crate::json::MAX_DEPTH_LIMIT;
use crate::{Claim, Error};

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
}

impl Names<'_> {
    fn contains(&self, value: crate::JsonStr<'_>) -> bool {
        match *self {
            Names::One(name) => value == name,
            Names::Many(names) => names.iter().any(|name| value == *name),
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
