//! The EdDSA key: an Ed25519 public key (RFC 8037), decoded and checked once.

use core::fmt;

use ed25519_dalek::{Signature, VerifyingKey};

use super::{KeyId, jwk, key_id};
use crate::{Error, JsonValue, KeyProblem};

/// The DER `SubjectPublicKeyInfo` of an Ed25519 key before its 32 bytes:
/// `SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (0 unused bits) }`.
/// RFC 8410 §3: the parameters are absent; DER leaves one encoding.
const SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/// The private member of an OKP JWK (RFC 8037 §2).
const PRIVATE_MEMBER: &str = "d";

/// The longest DER a PEM block may decode to here; an Ed25519 SPKI is 44.
const DER_CAPACITY: usize = 64;

/// An EdDSA (Ed25519, RFC 8037 §3.1) verification key.
///
/// Every constructor decodes the public key once and refuses, as
/// [`KeyProblem::Ed25519Point`], an encoding RFC 8032 §5.1.3 fails to decode
/// (`y ≥ p`, or `x = 0` with the sign bit set) and a point of small order
/// (a "weak" key, for which a signature proves nothing). Verification is
/// `ed25519-dalek`'s `verify_strict`: `S` must be reduced (`S < L`,
/// RFC 8032 §5.1.7), `R` must be the canonical encoding of a point that is
/// not of small order, and the group equation is checked. Signatures are
/// exactly 64 bytes (`R ‖ S`); any other length is
/// [`Error::InvalidSignature`].
///
/// The key comes only from you (or a JWKS you fetched): nothing in a token
/// changes which key is used. The key is immutable, `Send + Sync`,
/// allocates nothing, and `Debug` prints no key material.
///
/// ```
/// use jwtcheck::{Ed25519Key, Error, KeyProblem};
///
/// // The public key of RFC 8037 Appendix A.2.
/// let key = Ed25519Key::from_jwk(
///     r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
/// )?;
/// assert_eq!(format!("{key:?}"), "Ed25519Key(..)");
///
/// // X25519 is a key-agreement curve, not a signature one.
/// let x25519 = r#"{"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}"#;
/// assert_eq!(Ed25519Key::from_jwk(x25519).unwrap_err(), Error::InvalidKey(KeyProblem::Jwk));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct Ed25519Key {
    key: VerifyingKey,
    id: KeyId,
}

impl Ed25519Key {
    /// A key from its 32-byte encoding (RFC 8032 §5.1.2).
    ///
    /// ```
    /// use jwtcheck::{Ed25519Key, Error, KeyProblem};
    ///
    /// // The identity point (y = 1) has order 1.
    /// let mut identity = [0u8; 32];
    /// identity[0] = 1;
    /// assert_eq!(Ed25519Key::from_bytes(&identity).unwrap_err(), Error::InvalidKey(KeyProblem::Ed25519Point));
    /// ```
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, Error> {
        const POINT: Error = Error::InvalidKey(KeyProblem::Ed25519Point);
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| POINT)?;
        // The decoder reduces `y` modulo p and accepts `-0`: a canonical
        // encoding is the only one that re-encodes to itself.
        if key.to_bytes() != *bytes || key.is_weak() {
            return Err(POINT);
        }
        Ok(Ed25519Key { key, id: key_id(b"EdDSA", &[bytes]) })
    }

    pub(crate) fn id(&self) -> KeyId {
        self.id
    }

    /// A key from the JSON text of one public JWK (RFC 8037 §2).
    ///
    /// The text must be one strict JSON object (the token scanner's rules),
    /// with
    /// - `kty` `"OKP"` and `crv` `"Ed25519"`;
    /// - `alg` absent or `"EdDSA"`, `use` absent or `"sig"`, `key_ops`
    ///   absent or an array of strings containing `"verify"`;
    /// - no private member `d`: [`KeyProblem::PrivateKey`];
    /// - `x` strict unpadded base64url ([`KeyProblem::Base64`]) of exactly
    ///   32 bytes ([`KeyProblem::OkpLength`]), a valid public key
    ///   ([`KeyProblem::Ed25519Point`], see [`from_bytes`](Ed25519Key::from_bytes)).
    ///
    /// Any other problem is [`KeyProblem::Jwk`]. Other members (`kid`,
    /// `ext`, …) are ignored.
    ///
    /// ```
    /// use jwtcheck::{Ed25519Key, Error, KeyProblem};
    ///
    /// // RFC 8037 Appendix A.1: the private key is refused.
    /// let private = r#"{"kty":"OKP","crv":"Ed25519",
    ///     "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    ///     "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    /// assert_eq!(Ed25519Key::from_jwk(private).unwrap_err(), Error::InvalidKey(KeyProblem::PrivateKey));
    ///
    /// let short = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUQ"}"#;
    /// assert_eq!(Ed25519Key::from_jwk(short).unwrap_err(), Error::InvalidKey(KeyProblem::OkpLength));
    /// ```
    pub fn from_jwk(jwk: &str) -> Result<Self, Error> {
        Self::from_jwk_value(jwk::parse(jwk)?)
    }

    /// [`from_jwk`](Ed25519Key::from_jwk) on a JWK object that already
    /// passed the strict scanner (an element of a JWKS `keys` array).
    pub(crate) fn from_jwk_value(jwk: JsonValue<'_>) -> Result<Self, Error> {
        const JWK: Error = Error::InvalidKey(KeyProblem::Jwk);
        jwk::check_public(&jwk, &[PRIVATE_MEMBER], "OKP", Some("Ed25519"), "EdDSA")?;
        Self::from_bytes(&jwk::bytes32(jwk.get("x").and_then(|v| v.as_str()).ok_or(JWK)?, KeyProblem::OkpLength)?)
    }

    /// A key from a DER `SubjectPublicKeyInfo` with algorithm `id-Ed25519`
    /// and no parameters (RFC 8410 §3, §4): exactly 44 bytes.
    /// [`KeyProblem::Spki`] for anything else, trailing bytes included.
    ///
    /// ```
    /// use jwtcheck::{Ed25519Key, Error, KeyProblem};
    ///
    /// // RFC 8410 §10.1.
    /// let der = [
    ///     0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, 0x19, 0xbf, 0x44, 0x09,
    ///     0x69, 0x84, 0xcd, 0xfe, 0x85, 0x41, 0xba, 0xc1, 0x67, 0xdc, 0x3b, 0x96, 0xc8, 0x50, 0x86, 0xaa,
    ///     0x30, 0xb6, 0xb6, 0xcb, 0x0c, 0x5c, 0x38, 0xad, 0x70, 0x31, 0x66, 0xe1,
    /// ];
    /// let key = Ed25519Key::from_public_key_der(&der)?;
    /// assert_eq!(Ed25519Key::from_public_key_der(&der[..43]).unwrap_err(), Error::InvalidKey(KeyProblem::Spki));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_public_key_der(der: &[u8]) -> Result<Self, Error> {
        let key = der
            .strip_prefix(SPKI_PREFIX.as_slice())
            .and_then(|key| <&[u8; 32]>::try_from(key).ok())
            .ok_or(Error::InvalidKey(KeyProblem::Spki))?;
        Self::from_bytes(key)
    }

    /// A key from a PEM `SubjectPublicKeyInfo` (RFC 7468 §13, RFC 8410
    /// §10.1): exactly one `-----BEGIN PUBLIC KEY-----` block, then as
    /// [`from_public_key_der`](Ed25519Key::from_public_key_der). Any other
    /// label (`PRIVATE KEY`, …) is [`KeyProblem::Spki`].
    ///
    /// ```
    /// let pem = "-----BEGIN PUBLIC KEY-----
    /// MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
    /// -----END PUBLIC KEY-----
    /// ";
    /// let key = jwtcheck::Ed25519Key::from_public_key_pem(pem)?;
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn from_public_key_pem(pem: &str) -> Result<Self, Error> {
        const SPKI: Error = Error::InvalidKey(KeyProblem::Spki);
        let mut buf = [0u8; DER_CAPACITY];
        let (label, der) = pem_rfc7468::decode(pem.as_bytes(), &mut buf).map_err(|_| SPKI)?;
        if label != "PUBLIC KEY" {
            return Err(SPKI);
        }
        Self::from_public_key_der(der)
    }

    /// Whether `signature` (`R ‖ S`, RFC 8032 §5.1.6) is a valid Ed25519
    /// signature of `signing_input` under this key.
    pub(crate) fn verify(&self, signing_input: &[u8], signature: &[u8; 64]) -> bool {
        // `verify_strict`, not `verify`: it also refuses a small-order `R`,
        // so that one signature cannot be valid for several keys.
        self.key.verify_strict(signing_input, &Signature::from_bytes(signature)).is_ok()
    }
}

impl fmt::Debug for Ed25519Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ed25519Key(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn assert_send_sync<T: Send + Sync>() {}
    const _: () = assert_send_sync::<Ed25519Key>();

    #[test]
    fn non_canonical_and_small_order_encodings() {
        // y = p (= 0 mod p): a non-canonical encoding of a point of order 4.
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert_eq!(Ed25519Key::from_bytes(&p).unwrap_err(), Error::InvalidKey(KeyProblem::Ed25519Point));
        // y = p + 1: a non-canonical encoding of the identity.
        let mut p1 = p;
        p1[0] = 0xee;
        assert_eq!(Ed25519Key::from_bytes(&p1).unwrap_err(), Error::InvalidKey(KeyProblem::Ed25519Point));
        // y = 1 with the sign bit set: "-0", which RFC 8032 §5.1.3 step 4 refuses.
        let mut minus_zero = [0u8; 32];
        minus_zero[0] = 1;
        minus_zero[31] = 0x80;
        assert_eq!(Ed25519Key::from_bytes(&minus_zero).unwrap_err(), Error::InvalidKey(KeyProblem::Ed25519Point));
        // y = 2 is not on the curve (x² = 3/(4d+1) is not a square).
        let mut off = [0u8; 32];
        off[0] = 2;
        assert_eq!(Ed25519Key::from_bytes(&off).unwrap_err(), Error::InvalidKey(KeyProblem::Ed25519Point));
    }
}
