//! The keys a token is verified with, and the one seam where a token's `alg`
//! and `kid` meet them.
//!
//! Each algorithm is one file with one key type that owns its per-key
//! precomputation and answers "does this signature hold?". The pipeline in
//! `token.rs` never matches on algorithm names: it asks
//! [`VerifyingKeys::select`] for the key (a single key, or a [`KeySet`]
//! chosen by `kid`), then [`Selected::verify`] for the verdict.

#[cfg(feature = "eddsa")]
mod eddsa;
#[cfg(feature = "es256")]
mod es256;
mod hs256;
mod jwk;
mod jwks;
#[cfg(feature = "rs256")]
mod rs256;
mod set;

#[cfg(feature = "eddsa")]
pub use eddsa::Ed25519Key;
#[cfg(feature = "es256")]
pub use es256::Es256Key;
pub use hs256::{Hs256Key, MAX_SECRET_LEN, MIN_SECRET_LEN};
pub use jwks::{MAX_JWKS_KEYS, MAX_JWKS_LEN, SkipReason, SkippedKey};
#[cfg(feature = "rs256")]
pub use rs256::{MAX_RSA_BITS, MIN_RSA_BITS, Rs256Key};
pub use set::{Key, KeySet, MAX_KID_LEN};

use crate::json_str::JsonStr;
use crate::{Error, base64url};

/// A JWS algorithm (RFC 7518 §3.1) this crate knows of.
///
/// Which ones verify depends on the crate features compiled in: the header's
/// `alg` of a token whose algorithm is not compiled in is
/// [`Error::UnsupportedAlgorithm`].
///
/// ```
/// use jwtcheck::Algorithm;
///
/// assert_eq!(Algorithm::Hs256.name(), "HS256");
/// assert_eq!(Algorithm::from_name("HS256"), Some(Algorithm::Hs256));
/// assert_eq!(Algorithm::from_name("none"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC with SHA-256 (RFC 7518 §3.2).
    Hs256,
    /// ECDSA with P-256 and SHA-256 (RFC 7518 §3.4); feature `es256`.
    Es256,
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3); feature `rs256`.
    Rs256,
    /// EdDSA with Ed25519 (RFC 8037 §3.1; the header's `alg` is `EdDSA`);
    /// feature `eddsa`.
    EdDsa,
}

impl Algorithm {
    /// The `alg` header value, exactly as RFC 7518 §3.1 spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::Hs256 => "HS256",
            Algorithm::Es256 => "ES256",
            Algorithm::Rs256 => "RS256",
            Algorithm::EdDsa => "EdDSA",
        }
    }

    /// The algorithm named exactly `name` (case-sensitive, RFC 7515
    /// §4.1.1), if it is compiled in.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ENABLED.iter().copied().find(|alg| alg.name() == name)
    }

    /// The algorithm of a header's `alg` (compared after unescaping).
    pub(crate) fn from_header(alg: JsonStr<'_>) -> Option<Self> {
        Self::ENABLED.iter().copied().find(|a| alg == a.name())
    }

    /// The algorithms this build verifies.
    const ENABLED: &'static [Algorithm] = &[
        Algorithm::Hs256,
        #[cfg(feature = "es256")]
        Algorithm::Es256,
        #[cfg(feature = "rs256")]
        Algorithm::Rs256,
        #[cfg(feature = "eddsa")]
        Algorithm::EdDsa,
    ];
}

/// What verifies a token: one key ([`Hs256Key`], …) or a [`KeySet`].
///
/// `verify(token, &key, …)` takes any of them. The trait is sealed: its one
/// method is the selection rule the crate documents, which a caller's type
/// must not bend.
pub trait VerifyingKeys: sealed::Sealed {
    /// The key for a token whose header names `alg` and `kid`.
    ///
    /// A single key is chosen by algorithm alone (the `kid` is not consulted);
    /// a set follows the order in the crate documentation.
    #[doc(hidden)]
    fn select(&self, alg: Algorithm, kid: Option<JsonStr<'_>>) -> Result<Selected<'_>, Error>;
}

mod sealed {
    pub trait Sealed {}
}

/// The key chosen for one token; hidden, not part of the API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Selected<'k> {
    /// An HMAC key.
    Hs256(&'k Hs256Key),
    /// An ECDSA P-256 key.
    #[cfg(feature = "es256")]
    Es256(&'k Es256Key),
    /// An RSA public key.
    #[cfg(feature = "rs256")]
    Rs256(&'k Rs256Key),
    /// An Ed25519 public key.
    #[cfg(feature = "eddsa")]
    EdDsa(&'k Ed25519Key),
}

/// A key's name in a [`TokenCache`](crate::TokenCache): 128 bits of
/// SHA-256 over its algorithm and public material (for HS256, a MAC of a
/// label, never the secret). Equal ids mean the same key material, so a
/// cached verdict can only be reused for the key that produced it, whichever
/// set or object now holds it.
pub(crate) type KeyId = [u8; 16];

/// SHA-256 of `alg` and each of `parts` (length-prefixed), truncated to 128
/// bits.
#[cfg(any(feature = "es256", feature = "rs256", feature = "eddsa"))]
pub(crate) fn key_id(alg: &[u8], parts: &[&[u8]]) -> KeyId {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    hash.update(b"jwtcheck key id: ");
    hash.update(alg);
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    let mut id = [0u8; 16];
    id.copy_from_slice(hash.finalize().get(..16).unwrap_or(&[0; 16]));
    id
}

impl Selected<'_> {
    /// The chosen key's id (see [`KeyId`]).
    pub(crate) fn id(self) -> KeyId {
        match self {
            Selected::Hs256(key) => key.id(),
            #[cfg(feature = "es256")]
            Selected::Es256(key) => key.id(),
            #[cfg(feature = "rs256")]
            Selected::Rs256(key) => key.id(),
            #[cfg(feature = "eddsa")]
            Selected::EdDsa(key) => key.id(),
        }
    }

    /// Exactly one signature check: whether `signature` (the third segment,
    /// still base64url) signs `signing_input` under this key.
    pub(crate) fn verify(self, signing_input: &[u8], signature: &[u8]) -> Result<(), Error> {
        match self {
            Selected::Hs256(key) => {
                let tag = decode_signature::<32>(signature)?;
                if key.verify(signing_input, &tag) { Ok(()) } else { Err(Error::InvalidSignature) }
            }
            #[cfg(feature = "es256")]
            Selected::Es256(key) => verify_es256(key, signing_input, signature),
            #[cfg(feature = "rs256")]
            Selected::Rs256(key) => verify_rs256(key, signing_input, signature),
            #[cfg(feature = "eddsa")]
            Selected::EdDsa(key) => verify_eddsa(key, signing_input, signature),
        }
    }
}

// The asymmetric checks are out of line on purpose. Inlined into
// `Selected::verify`, their locals (for RS256 a 512-byte signature buffer and
// several 4096-bit integers, about 9 KiB) sat in the frame of every verify,
// HS256's included: on the Cortex-M4F the HS256 path went from 3 KiB of stack
// to 12 KiB when the `rs256` feature was on. Each frame now exists only while
// its own algorithm runs.

#[cfg(feature = "es256")]
#[inline(never)]
fn verify_es256(key: &Es256Key, signing_input: &[u8], signature: &[u8]) -> Result<(), Error> {
    // RFC 7518 §3.4: the 64-byte `r ‖ s`, never DER.
    let signature = decode_signature::<64>(signature)?;
    if key.verify(signing_input, &signature) { Ok(()) } else { Err(Error::InvalidSignature) }
}

#[cfg(feature = "rs256")]
#[inline(never)]
fn verify_rs256(key: &Rs256Key, signing_input: &[u8], signature: &[u8]) -> Result<(), Error> {
    // RFC 8017 §8.2.2 step 1: exactly the modulus length.
    let mut buf = [0u8; rs256::MAX_RSA_LEN];
    let signature = decode_signature_into(signature, buf.get_mut(..key.len()).unwrap_or_default())?;
    if key.verify(signing_input, signature) { Ok(()) } else { Err(Error::InvalidSignature) }
}

#[cfg(feature = "eddsa")]
#[inline(never)]
fn verify_eddsa(key: &Ed25519Key, signing_input: &[u8], signature: &[u8]) -> Result<(), Error> {
    // RFC 8037 §3.1: the 64-byte `R ‖ S` of RFC 8032.
    let signature = decode_signature::<64>(signature)?;
    if key.verify(signing_input, &signature) { Ok(()) } else { Err(Error::InvalidSignature) }
}

impl sealed::Sealed for Hs256Key {}

impl VerifyingKeys for Hs256Key {
    fn select(&self, alg: Algorithm, _kid: Option<JsonStr<'_>>) -> Result<Selected<'_>, Error> {
        if alg == Algorithm::Hs256 { Ok(Selected::Hs256(self)) } else { Err(Error::UnsupportedAlgorithm) }
    }
}

#[cfg(feature = "es256")]
impl sealed::Sealed for Es256Key {}

#[cfg(feature = "es256")]
impl VerifyingKeys for Es256Key {
    fn select(&self, alg: Algorithm, _kid: Option<JsonStr<'_>>) -> Result<Selected<'_>, Error> {
        if alg == Algorithm::Es256 { Ok(Selected::Es256(self)) } else { Err(Error::UnsupportedAlgorithm) }
    }
}

#[cfg(feature = "rs256")]
impl sealed::Sealed for Rs256Key {}

#[cfg(feature = "rs256")]
impl VerifyingKeys for Rs256Key {
    fn select(&self, alg: Algorithm, _kid: Option<JsonStr<'_>>) -> Result<Selected<'_>, Error> {
        if alg == Algorithm::Rs256 { Ok(Selected::Rs256(self)) } else { Err(Error::UnsupportedAlgorithm) }
    }
}

#[cfg(feature = "eddsa")]
impl sealed::Sealed for Ed25519Key {}

#[cfg(feature = "eddsa")]
impl VerifyingKeys for Ed25519Key {
    fn select(&self, alg: Algorithm, _kid: Option<JsonStr<'_>>) -> Result<Selected<'_>, Error> {
        if alg == Algorithm::EdDsa { Ok(Selected::EdDsa(self)) } else { Err(Error::UnsupportedAlgorithm) }
    }
}

/// [`decode_signature`] for a length known at run time: `out.len()` bytes.
#[cfg(feature = "rs256")]
fn decode_signature_into<'o>(segment: &[u8], out: &'o mut [u8]) -> Result<&'o [u8], Error> {
    if segment.len() == base64url::encoded_len(out.len()) {
        base64url::decode(segment, out)
    } else {
        base64url::validate(segment)?;
        Err(Error::InvalidSignature)
    }
}

/// Decodes a signature segment that must hold exactly `N` bytes. Any other
/// length is [`Error::InvalidSignature`] (RFC 7518 §3.2, §3.4: the length is
/// fixed by the algorithm), after the segment is checked to be strict
/// base64url so that a malformed segment is still [`Error::Malformed`].
pub(crate) fn decode_signature<const N: usize>(segment: &[u8]) -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    if segment.len() == base64url::encoded_len(N) {
        base64url::decode(segment, &mut out)?;
        Ok(out)
    } else {
        base64url::validate(segment)?;
        Err(Error::InvalidSignature)
    }
}
