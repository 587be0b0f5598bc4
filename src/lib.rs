#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
// Tests may panic and index freely.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

mod base64url;
mod bearer;
mod cache;
mod claims;
mod de;
mod error;
mod header;
#[doc(hidden)]
pub mod internals;
mod json;
mod json_str;
mod keys;
mod ser;
#[cfg(feature = "sign")]
mod sign;
mod supabase;
mod token;
mod validation;
mod value;

pub use bearer::bearer_token;
#[cfg(feature = "std")]
pub use cache::SharedTokenCache;
pub use cache::{DEFAULT_CACHED_TOKEN_LEN, TokenCache};
pub use claims::{Audiences, Claims, ClaimsRef, NumericDate, PAYLOAD_CAPACITY};
pub use de::UNESCAPE_BUFFER;
pub use error::{Claim, Error, KeyProblem};
pub use header::MAX_HEADER_LEN;
pub use json::MAX_DEPTH_LIMIT;
pub use json_str::JsonStr;
#[cfg(feature = "eddsa")]
#[cfg_attr(docsrs, doc(cfg(feature = "eddsa")))]
pub use keys::Ed25519Key;
#[cfg(feature = "es256")]
#[cfg_attr(docsrs, doc(cfg(feature = "es256")))]
pub use keys::Es256Key;
pub use keys::{
    Algorithm, Hs256Key, Key, KeySet, MAX_JWKS_KEYS, MAX_JWKS_LEN, MAX_KID_LEN, MAX_SECRET_LEN, MIN_SECRET_LEN,
    SkipReason, SkippedKey, VerifyingKeys,
};
#[cfg(feature = "rs256")]
#[cfg_attr(docsrs, doc(cfg(feature = "rs256")))]
pub use keys::{MAX_RSA_BITS, MIN_RSA_BITS, Rs256Key};
#[cfg(feature = "sign")]
pub use sign::{DEFAULT_HEADER, signed_len};
pub use supabase::{AuthMethod, SupabaseClaims};
pub use token::{verify, verify_in};
#[cfg(feature = "alloc")]
pub use validation::OwnedValidation;
pub use validation::{DEFAULT_MAX_DEPTH, DEFAULT_MAX_TOKEN_LEN, Validation};
pub use value::{Elements, JsonKind, JsonValue, Members};

/// [`verify`] at the current system time (`std` feature).
///
/// A system clock before 1970 counts as time 0, which rejects every token
/// with an `exp`.
///
/// ```
/// use jwtcheck::{Error, Hs256Key, Validation, verify_now};
///
/// let key = Hs256Key::new(b"super-secret-jwt-token-with-at-least-32-characters-long")?;
/// // This sample token expired on 2026-01-01.
/// let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
///     eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1fQ.\
///     tZJgEUjIinmeergvVOrrmM8_40HNHrVKZ7-q0dofbU8";
/// let validation = Validation::new().audience("authenticated");
/// assert_eq!(verify_now(token, &key, &validation).unwrap_err(), Error::Expired);
/// # Ok::<(), Error>(())
/// ```
#[cfg(feature = "std")]
pub fn verify_now<T: AsRef<[u8]> + ?Sized, K: VerifyingKeys + ?Sized>(
    token: &T,
    key: &K,
    validation: &Validation<'_>,
) -> Result<Claims, Error> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    verify(token, key, validation, now)
}
