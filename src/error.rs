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
    /// (RFC 7515 §4, RFC 7519 §4); a header `kid` that is not a string
    /// (RFC 7515 §4.1.4); nesting deeper than
    /// [`Validation::max_depth`](crate::Validation::max_depth).
    Malformed,
    /// The token is longer than
    /// [`Validation::max_token_len`](crate::Validation::max_token_len), its
    /// decoded header is longer than [`MAX_HEADER_LEN`](crate::MAX_HEADER_LEN),
    /// or its decoded header or payload does not fit the buffer it is decoded
    /// into (`too_large`).
    TooLarge,
    /// The header's `alg` is missing, not a string, not exactly the name of
    /// an algorithm this build implements ([`Algorithm`](crate::Algorithm)),
    /// or not the algorithm of the key chosen for the token
    /// (`unsupported_algorithm`).
    ///
    /// RFC 8725 §3.1: the algorithm is fixed by the key, never chosen by the
    /// token, so `none` in any spelling, `hs256`, `HS384`, and an `HS256`
    /// token naming the `kid` of an ES256 key are all refused.
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
    /// compared in constant time. For ES256: the signature is not exactly
    /// 64 bytes `r ‖ s` (a DER signature included), `r` or `s` is 0 or at
    /// least the group order, or the ECDSA check fails (RFC 7518 §3.4).
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
    /// A key could not be built from what was given (`invalid_key`); the
    /// payload says why.
    InvalidKey(KeyProblem),
    /// The token names no key the caller configured (`unknown_key`): its
    /// `kid` is in no key of the set (and no legacy HS256 key applies), or it
    /// has no `kid` and not exactly one key of its `alg` exists.
    ///
    /// A caller that fetches its keys (a JWKS) may refetch on this error, at
    /// most once per cooldown: the issuer may have rotated in a new key.
    UnknownKey,
    /// A JWKS document (RFC 7517 §5) could not be loaded (`invalid_jwks`): it
    /// is not a strict JSON object, has no `keys` array, an element of
    /// `keys` is not an object, or it holds more usable keys than the key
    /// set's capacity. Individual unusable keys are skipped with a reason,
    /// not an error.
    InvalidJwks,
    /// An `Authorization` header value is not `Bearer <token68>`
    /// (`invalid_request`, RFC 6750 §2.1), returned by
    /// [`bearer_token`](crate::bearer_token) only.
    ///
    /// A kind of its own because the answer differs: a request whose
    /// credentials cannot be read gets `400` with `error="invalid_request"`
    /// (RFC 6750 §3.1), a token that does not verify `401` with
    /// `error="invalid_token"`. (A request without an `Authorization` header,
    /// or with another scheme, carries no bearer credentials at all: RFC 6750
    /// §3.1 answers it with a bare `401` and no error code; tell those apart
    /// before calling `bearer_token` if it matters.)
    InvalidRequest,
}

/// Why a key was refused, named in [`Error::InvalidKey`].
///
/// ```
/// use jwtcheck::{Error, KeyProblem};
///
/// let e = Error::InvalidKey(KeyProblem::CoordinateLength);
/// assert_eq!(e.kind(), "invalid_key");
/// assert_eq!(e.message(), "an EC coordinate is not exactly 32 bytes (RFC 7518 section 6.2.1.2)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyProblem {
    /// A secret's text encoding (base64 or hex) is invalid.
    Encoding,
    /// A decoded secret is longer than [`MAX_SECRET_LEN`](crate::MAX_SECRET_LEN).
    SecretTooLong,
    /// A JWK is not a strict JSON object, a member has the wrong type, a
    /// required member is missing, or its `kty`, `crv` or `alg` does not fit
    /// the key type asked for (RFC 7517 §4, RFC 7518 §6).
    Jwk,
    /// A JWK holds private key members (`d`, `p`, `q`, …): verification
    /// needs only the public key, so pass the public JWK.
    PrivateKey,
    /// A JWK member that carries key material is not strict unpadded
    /// base64url (RFC 7518 §6, RFC 7515 §2).
    Base64,
    /// An EC coordinate (`x` or `y`) is not exactly 32 bytes: RFC 7518
    /// §6.2.1.2 requires the full length, leading zeros included. Some
    /// issuers emit a 31-byte coordinate now and then; WebCrypto refuses
    /// those too.
    CoordinateLength,
    /// The point is not on the curve, is the identity, or is not a valid
    /// SEC1 encoding (SEC 1 §2.3.4).
    InvalidPoint,
    /// A DER or PEM `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7) is malformed
    /// or holds a key of another type or curve.
    Spki,
    /// A `kid` is longer than [`MAX_KID_LEN`](crate::MAX_KID_LEN) bytes.
    KidTooLong,
    /// A key set already holds a key with this `kid`, or is full.
    SetConflict,
    /// An RSA modulus is even, larger than
    /// [`MAX_RSA_BITS`](crate::MAX_RSA_BITS), or not in minimal octets (a
    /// leading zero byte: RFC 7518 §6.3.1.1). A modulus smaller than
    /// [`MIN_RSA_BITS`](crate::MIN_RSA_BITS) is [`Error::WeakKey`].
    RsaModulus,
    /// An RSA public exponent is not an odd number in [3, 2^32) in minimal
    /// octets (RFC 7518 §6.3.1.2).
    RsaExponent,
    /// A DER or PEM PKCS#1 `RSAPublicKey` (RFC 8017 Appendix A.1.1) is
    /// malformed.
    Pkcs1,
    /// An OKP public key (`x`) is not exactly 32 bytes (RFC 8037 §2,
    /// RFC 8032 §5.1.5).
    OkpLength,
    /// An Ed25519 public key is not the canonical encoding of a point
    /// (RFC 8032 §5.1.3), or is a point of small order, for which a
    /// signature proves nothing.
    Ed25519Point,
}

impl KeyProblem {
    /// The fixed message for this problem.
    pub const fn message(self) -> &'static str {
        match self {
            KeyProblem::Encoding => "the key's text encoding (base64 or hex) is invalid",
            KeyProblem::SecretTooLong => "the decoded secret is longer than 1 KiB",
            KeyProblem::Jwk => "the JWK is malformed, misses a member, or is not of the expected kty, crv or alg",
            KeyProblem::PrivateKey => "the JWK holds private key members; pass the public key only",
            KeyProblem::Base64 => "a JWK key member is not strict unpadded base64url",
            KeyProblem::CoordinateLength => "an EC coordinate is not exactly 32 bytes (RFC 7518 section 6.2.1.2)",
            KeyProblem::InvalidPoint => "the EC point is not a valid point on P-256",
            KeyProblem::Spki => "the SubjectPublicKeyInfo is malformed or not a key of the expected type",
            KeyProblem::KidTooLong => "the kid is longer than the key set stores",
            KeyProblem::SetConflict => "the key set is full or already holds a key with this kid",
            KeyProblem::RsaModulus => "the RSA modulus is even, longer than 4096 bits, or has a leading zero byte",
            KeyProblem::RsaExponent => "the RSA public exponent is not an odd number in [3, 2^32) in minimal bytes",
            KeyProblem::Pkcs1 => "the PKCS#1 RSAPublicKey is malformed",
            KeyProblem::OkpLength => "an Ed25519 public key is not exactly 32 bytes (RFC 8037 section 2)",
            KeyProblem::Ed25519Point => "the Ed25519 public key is not a canonical point of large order",
        }
    }
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
    /// A field of the caller's type
    /// ([`Claims::deserialize`](crate::Claims::deserialize)) is missing, has
    /// another JSON type or an out-of-range value (`300` into a `u8`), or is
    /// an escaped string read into a borrowed `&str` (which cannot hold the
    /// unescaped text: use `String`, `Cow<str>`, `heapless::String` or
    /// [`JsonStr`](crate::JsonStr)). The name is the field's serde name,
    /// from the caller's type, never from the token. The innermost field
    /// is named: a wrong `app_metadata.provider` is `Field("provider")`.
    Field(&'static str),
    /// The payload has a member the caller's type does not allow
    /// (`#[serde(deny_unknown_fields)]`). The member's name comes from the
    /// token, so it is not kept.
    UnknownField,
    /// The payload does not deserialize into the caller's type
    /// ([`Claims::deserialize`](crate::Claims::deserialize)), outside any
    /// named field (an untagged enum matching no variant, a type that is
    /// not an object), or [`SupabaseClaims::new`](crate::SupabaseClaims::new)
    /// found a field of the wrong type.
    Custom,
}

impl Claim {
    /// The claim's name as it appears in the payload (`"exp"`), the field's
    /// name for [`Claim::Field`], `"unknown_field"` or `"custom"`.
    ///
    /// ```
    /// assert_eq!(jwtcheck::Claim::Field("email").name(), "email");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Claim::Iss => "iss",
            Claim::Sub => "sub",
            Claim::Aud => "aud",
            Claim::Exp => "exp",
            Claim::Nbf => "nbf",
            Claim::Iat => "iat",
            Claim::Jti => "jti",
            Claim::Field(name) => name,
            Claim::UnknownField => "unknown_field",
            Claim::Custom => "custom",
        }
    }
}

impl Error {
    /// A stable, lowercase identifier of the error kind, for logs, metrics and
    /// scripts: `malformed`, `too_large`, `unsupported_algorithm`,
    /// `unsupported_header`, `invalid_signature`, `invalid_claims`, `expired`,
    /// `not_yet_valid`, `invalid_audience`, `invalid_issuer`, `weak_key`,
    /// `invalid_key`, `unknown_key`, `invalid_jwks`, `invalid_request`.
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
            Error::InvalidKey(_) => "invalid_key",
            Error::UnknownKey => "unknown_key",
            Error::InvalidJwks => "invalid_jwks",
            Error::InvalidRequest => "invalid_request",
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
            Error::UnsupportedAlgorithm => "the header's alg is not implemented or not the algorithm of the chosen key",
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
                Claim::Field(_) => "a claim is missing or does not match the requested type",
                Claim::UnknownField => "the claims hold a member the requested type does not allow",
                Claim::Custom => "the claims do not match the requested type",
            },
            Error::Expired => "the token has expired",
            Error::NotYetValid => "the token is not valid yet",
            Error::InvalidAudience => "the token's audience is not accepted",
            Error::InvalidIssuer => "the token's issuer is not accepted",
            Error::WeakKey => "the HMAC secret is shorter than 32 bytes",
            Error::InvalidKey(problem) => problem.message(),
            Error::UnknownKey => "no configured key matches the token's kid and alg",
            Error::InvalidJwks => "the JWKS is not a valid key set document or holds more keys than the set's capacity",
            Error::InvalidRequest => "the Authorization value is not Bearer, spaces and a token68",
        }
    }
}

impl fmt::Display for Error {
    /// `<kind>: <message>`, both fixed strings; for [`Claim::Field`] the
    /// message names the field (from the caller's type, never the token).
    ///
    /// ```
    /// use jwtcheck::{Claim, Error};
    ///
    /// assert_eq!(Error::Expired.to_string(), "expired: the token has expired");
    /// assert_eq!(
    ///     Error::InvalidClaims(Claim::Field("email")).to_string(),
    ///     r#"invalid_claims: the claim "email" is missing or does not match the requested type"#
    /// );
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Error::InvalidClaims(Claim::Field(name)) = self {
            return write!(f, "{}: the claim {name:?} is missing or does not match the requested type", self.kind());
        }
        write!(f, "{}: {}", self.kind(), self.message())
    }
}

impl core::error::Error for Error {}
