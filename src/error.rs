//! The one error type of the crate.

use core::fmt;

/// Why a token was rejected, or why a key could not be built.
///
/// Every variant has a stable [`kind`](Error::kind) string for logs and
/// metrics. `Display` prints a fixed message: it never echoes bytes of the
/// token or of a key, so an error can be logged or returned to a client as is.
///
/// Verification checks in a fixed order (see the crate documentation) and
/// reports the first rule that fails, so the same token always gets the same
/// error.
///
/// ```
/// use jwtcheck::{Claim, Error};
///
/// fn status(error: Error) -> u16 {
///     match error {
///         Error::TooLarge => 431,
///         _ => 401,
///     }
/// }
/// let e = Error::InvalidClaims(Claim::Exp);
/// assert_eq!((e.kind(), status(e)), ("invalid_claims", 401));
/// assert_eq!(e.to_string(), "invalid_claims: the exp claim is missing or not a NumericDate in [0, 2^64)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The token is not a strict compact JWS with a JSON header and payload
    /// (`malformed`).
    ///
    /// Not exactly three `.`-separated segments (RFC 7515 §7.1); a segment
    /// that is not strict unpadded base64url (RFC 7515 §2: no padding, no
    /// `+` or `/`, no whitespace, zero trailing bits); a header or payload that
    /// is not UTF-8 (RFC 8259 §8.1) or not a JSON object (RFC 7515 §4,
    /// RFC 7519 §7.2); invalid JSON anywhere, ignored members included
    /// (RFC 8259); a member name repeated in one object after unescaping
    /// (RFC 7515 §4, RFC 7519 §4); nesting deeper than
    /// [`Validation::max_depth`](crate::Validation::max_depth). Also returned by
    /// [`bearer_token`](crate::bearer_token) for a value that is not
    /// `Bearer <token68>` (RFC 6750 §2.1).
    Malformed,
    /// The token is longer than
    /// [`Validation::max_token_len`](crate::Validation::max_token_len), its
    /// decoded header is longer than [`MAX_HEADER_LEN`](crate::MAX_HEADER_LEN),
    /// or its decoded header or payload does not fit the buffer it is decoded
    /// into (`too_large`).
    TooLarge,
    /// The header's `alg` is missing, not a string, or not exactly `"HS256"`
    /// (`unsupported_algorithm`).
    ///
    /// RFC 8725 §3.1: the algorithm is fixed by the key, never chosen by the
    /// token, so `none` in any spelling, `hs256`, `HS384`, `RS256`, `ES256` are
    /// all refused.
    UnsupportedAlgorithm,
    /// The header asks for processing this crate does not do
    /// (`unsupported_header`).
    ///
    /// `crit` is present, even empty (RFC 7515 §4.1.11: an extension the
    /// recipient does not understand makes the JWS invalid); `b64` is present
    /// (RFC 7797); `cty` names a nested JWT (RFC 7519 §5.2) or is not a string; `typ` is present
    /// and is not `JWT` or a `+jwt` media type (RFC 7519 §5.1, RFC 8725 §3.11).
    UnsupportedHeader,
    /// The signature is not 32 bytes or the HMAC-SHA256 does not match
    /// (`invalid_signature`, RFC 7515 §5.2 step 8, RFC 7518 §3.2). The MAC is
    /// compared in constant time.
    InvalidSignature,
    /// A registered claim has the wrong JSON type, a NumericDate is out of
    /// range, or a required claim is missing (`invalid_claims`, RFC 7519 §4.1
    /// and §2). The payload names the claim.
    InvalidClaims(Claim),
    /// `now` is on or after `exp` plus the leeway (`expired`, RFC 7519 §4.1.4:
    /// "on or after").
    Expired,
    /// `now` plus the leeway is before `nbf` (`not_yet_valid`, RFC 7519 §4.1.5).
    NotYetValid,
    /// The audience check failed (`invalid_audience`, RFC 7519 §4.1.3):
    /// audiences are configured and the token's `aud` is missing or matches
    /// none of them, or the token has an `aud` while none is configured and
    /// [`Validation::accept_any_audience`](crate::Validation::accept_any_audience)
    /// was not chosen.
    InvalidAudience,
    /// Issuers are configured and the token's `iss` is missing or matches none
    /// of them (`invalid_issuer`, RFC 7519 §4.1.1).
    InvalidIssuer,
    /// The HMAC secret is shorter than 32 bytes (`weak_key`, RFC 7518 §3.2: "A
    /// key of the same size as the hash output ... or larger MUST be used").
    /// See [`Hs256Key::new_allow_short`](crate::Hs256Key::new_allow_short).
    WeakKey,
    /// A key's text encoding (base64 or hex) is invalid, or the decoded secret
    /// is longer than [`MAX_SECRET_LEN`](crate::MAX_SECRET_LEN) (`invalid_key`).
    InvalidKey,
}

/// A registered claim (RFC 7519 §4.1), named in [`Error::InvalidClaims`].
///
/// ```
/// assert_eq!(jwtcheck::Claim::Exp.name(), "exp");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Claim {
    /// `iss`: must be a string.
    Iss,
    /// `sub`: must be a string.
    Sub,
    /// `aud`: must be a string or an array of strings.
    Aud,
    /// `exp`: must be a NumericDate; required unless
    /// [`Validation::allow_missing_exp`](crate::Validation::allow_missing_exp).
    Exp,
    /// `nbf`: must be a NumericDate.
    Nbf,
    /// `iat`: must be a NumericDate.
    Iat,
    /// `jti`: must be a string.
    Jti,
    /// The payload does not deserialize into the caller's type
    /// ([`Claims::deserialize`](crate::Claims::deserialize)).
    Custom,
}

impl Claim {
    /// The claim's name as it appears in the payload (`"exp"`), or `"custom"`.
    pub const fn name(self) -> &'static str {
        match self {
            Claim::Iss => "iss",
            Claim::Sub => "sub",
            Claim::Aud => "aud",
            Claim::Exp => "exp",
            Claim::Nbf => "nbf",
            Claim::Iat => "iat",
            Claim::Jti => "jti",
            Claim::Custom => "custom",
        }
    }
}

impl Error {
    /// A stable, lowercase identifier of the error kind, for logs, metrics and
    /// scripts: `malformed`, `too_large`, `unsupported_algorithm`,
    /// `unsupported_header`, `invalid_signature`, `invalid_claims`, `expired`,
    /// `not_yet_valid`, `invalid_audience`, `invalid_issuer`, `weak_key`,
    /// `invalid_key`.
    ///
    /// ```
    /// assert_eq!(jwtcheck::Error::Expired.kind(), "expired");
    /// ```
    pub const fn kind(self) -> &'static str {
        match self {
            Error::Malformed => "malformed",
            Error::TooLarge => "too_large",
            Error::UnsupportedAlgorithm => "unsupported_algorithm",
            Error::UnsupportedHeader => "unsupported_header",
            Error::InvalidSignature => "invalid_signature",
            Error::InvalidClaims(_) => "invalid_claims",
            Error::Expired => "expired",
            Error::NotYetValid => "not_yet_valid",
            Error::InvalidAudience => "invalid_audience",
            Error::InvalidIssuer => "invalid_issuer",
            Error::WeakKey => "weak_key",
            Error::InvalidKey => "invalid_key",
        }
    }

    /// The fixed, human-readable message of [`Display`](fmt::Display),
    /// without the kind.
    ///
    /// ```
    /// assert_eq!(jwtcheck::Error::Expired.message(), "the token has expired");
    /// ```
    pub const fn message(self) -> &'static str {
        match self {
            Error::Malformed => "the token is not a strict compact JWS with a JSON object header and payload",
            Error::TooLarge => "the token, its header or its payload is larger than the configured limit",
            Error::UnsupportedAlgorithm => "the header's alg is not HS256",
            Error::UnsupportedHeader => "the header uses crit, b64, a nested cty or a typ other than JWT",
            Error::InvalidSignature => "the signature does not match",
            Error::InvalidClaims(claim) => match claim {
                Claim::Iss => "the iss claim is not a string",
                Claim::Sub => "the sub claim is not a string",
                Claim::Aud => "the aud claim is not a string or an array of strings",
                Claim::Exp => "the exp claim is missing or not a NumericDate in [0, 2^64)",
                Claim::Nbf => "the nbf claim is not a NumericDate in [0, 2^64)",
                Claim::Iat => "the iat claim is not a NumericDate in [0, 2^64)",
                Claim::Jti => "the jti claim is not a string",
                Claim::Custom => "the claims do not match the requested type",
            },
            Error::Expired => "the token has expired",
            Error::NotYetValid => "the token is not valid yet",
            Error::InvalidAudience => "the token's audience is not accepted",
            Error::InvalidIssuer => "the token's issuer is not accepted",
            Error::WeakKey => "the HMAC secret is shorter than 32 bytes",
            Error::InvalidKey => "the key encoding is invalid or the secret is too long",
        }
    }
}

impl fmt::Display for Error {
    /// `<kind>: <message>`, both fixed strings.
    ///
    /// ```
    /// assert_eq!(
    ///     jwtcheck::Error::Expired.to_string(),
    ///     "expired: the token has expired"
    /// );
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind(), self.message())
    }
}

impl core::error::Error for Error {}
