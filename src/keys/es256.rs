//! The ES256 key: a P-256 public point, decoded and validated once.

use core::fmt;

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;

use super::{KeyId, jwk, key_id};
use crate::{Error, JsonValue, KeyProblem};

/// The order `n` of the P-256 base point, big-endian (SEC 2 §2.4.2).
const ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// The longest DER `SubjectPublicKeyInfo` a PEM may decode to: a P-256 key
/// is 91 bytes (uncompressed point) or 59 (compressed).
const SPKI_CAPACITY: usize = 128;

/// An ES256 (ECDSA with P-256 and SHA-256, RFC 7518 §3.4) verification key.
///
/// Every constructor decodes the point and checks that it is on the curve
/// and not the identity, once; verifying a token only hashes and runs the
/// ECDSA check. Signatures are the JWS form, exactly 64 bytes `r ‖ s`;
/// `r` or `s` of 0 or at least the group order is refused before any
/// arithmetic (CVE-2022-21449). High-S signatures verify: RFC 7518 §3.4
/// does not ask for low-S, and issuers such as Go's `crypto/ecdsa` (which
/// Supabase Auth uses) do not normalise `s`.
///
/// The key comes only from you: nothing in a token (`kid`, `jwk`, `jku`,
/// `x5u`) changes which key is used (RFC 8725 §3.10). The key is immutable,
/// `Send + Sync`, and `Debug` prints no key material.
///
/// ```
/// use jwtcheck::{Error, Es256Key, KeyProblem};
///
/// let key = Es256Key::from_jwk(
///     r#"{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig",
///         "x":"mtEdAfkm0d6vumeioLqJJ52QBXSnI70kSArWD7YIkKQ",
///         "y":"IyOL8zA8UV5xzbgxaAOcVJzU8V-LV3yp_DqQafMR4SM"}"#,
/// )?;
/// assert_eq!(format!("{key:?}"), "Es256Key(..)");
///
/// // A coordinate of 31 bytes (RFC 7518 §6.2.1.2 requires 32).
/// let short = Es256Key::from_jwk(
///     r#"{"kty":"EC","crv":"P-256",
///         "x":"tEdAfkm0d6vumeioLqJJ52QBXSnI70kSArWD7YIkKQ",
///         "y":"IyOL8zA8UV5xzbgxaAOcVJzU8V-LV3yp_DqQafMR4SM"}"#,
/// );
/// assert_eq!(short.unwrap_err(), Error::InvalidKey(KeyProblem::CoordinateLength));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct Es256Key {
    key: VerifyingKey,
    /// With the `aws-lc-rs` feature: the same point, parsed once by
    /// aws-lc-rs, whose assembly verifies about 4× faster. `None` when
    /// aws-lc-rs refused a point p256 accepted (not seen; the portable
    /// check then keeps the verdicts the same) or after
    /// [`portable`](Es256Key::portable).
    #[cfg(feature = "aws-lc-rs")]
    assembly: Option<aws_lc_rs::signature::ParsedPublicKey>,
    id: KeyId,
}

impl Es256Key {
    /// A key from a SEC1-encoded point (SEC 1 §2.3.3): uncompressed
    /// (`04 ‖ x ‖ y`, 65 bytes) or compressed (`02`/`03 ‖ x`, 33 bytes).
    /// [`KeyProblem::InvalidPoint`] for any other encoding, a point off the
    /// curve, or the identity.
    ///
    /// ```
    /// use jwtcheck::{Error, Es256Key, KeyProblem};
    ///
    /// // The P-256 base point G (SEC 2 §2.4.2), compressed.
    /// let mut g = [0u8; 33];
    /// g[0] = 0x03;
    /// g[1..].copy_from_slice(&[
    ///     0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
    ///     0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
    /// ]);
    /// let key = Es256Key::from_sec1(&g)?;
    ///
    /// // The identity point's encoding is a single zero byte.
    /// assert_eq!(Es256Key::from_sec1(&[0]).unwrap_err(), Error::InvalidKey(KeyProblem::InvalidPoint));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, Error> {
        let key = VerifyingKey::from_sec1_bytes(bytes).map_err(|_| Error::InvalidKey(KeyProblem::InvalidPoint))?;
        Ok(Self::new(key))
    }

    /// A key from the JSON text of one public JWK (RFC 7517 §4, RFC 7518
    /// §6.2.1).
    ///
    /// The text must be one strict JSON object (the token scanner's rules:
    /// no repeated member name, valid UTF-8, nesting at most
    /// [`DEFAULT_MAX_DEPTH`](crate::DEFAULT_MAX_DEPTH)), with
    /// - `kty` `"EC"` and `crv` `"P-256"`;
    /// - `alg` absent or `"ES256"`, `use` absent or `"sig"`, `key_ops`
    ///   absent or an array of strings containing `"verify"`;
    /// - no private member (`d`, …): [`KeyProblem::PrivateKey`];
    /// - `x` and `y` strict unpadded base64url of exactly 32 bytes each
    ///   (RFC 7518 §6.2.1.2): [`KeyProblem::Base64`] when not base64url,
    ///   [`KeyProblem::CoordinateLength`] for any other length (also for a
    ///   string longer than 64 characters, whatever it holds);
    /// - a point on the curve: [`KeyProblem::InvalidPoint`].
    ///
    /// Any other problem is [`KeyProblem::Jwk`]. Other members (`kid`,
    /// `ext`, `x5c`, …) are ignored.
    ///
    /// ```
    /// use jwtcheck::{Error, Es256Key, KeyProblem};
    ///
    /// let private = r#"{"kty":"EC","crv":"P-256",
    ///     "x":"mtEdAfkm0d6vumeioLqJJ52QBXSnI70kSArWD7YIkKQ",
    ///     "y":"IyOL8zA8UV5xzbgxaAOcVJzU8V-LV3yp_DqQafMR4SM",
    ///     "d":"fdXCFY1iU1gV9LzWghvDCXAm2ztPSZiePLe1rzAQtok"}"#;
    /// assert_eq!(Es256Key::from_jwk(private).unwrap_err(), Error::InvalidKey(KeyProblem::PrivateKey));
    ///
    /// let rsa = r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#;
    /// assert_eq!(Es256Key::from_jwk(rsa).unwrap_err(), Error::InvalidKey(KeyProblem::Jwk));
    /// ```
    pub fn from_jwk(jwk: &str) -> Result<Self, Error> {
        Self::from_jwk_value(jwk::parse(jwk)?)
    }

    /// [`from_jwk`](Es256Key::from_jwk) on a JWK object that already passed
    /// the strict scanner (an element of a JWKS `keys` array).
    pub(crate) fn from_jwk_value(jwk: JsonValue<'_>) -> Result<Self, Error> {
        const JWK: Error = Error::InvalidKey(KeyProblem::Jwk);
        jwk::check_public(&jwk, &jwk::PRIVATE_MEMBERS, "EC", Some("P-256"), "ES256")?;
        let x = jwk::bytes32(jwk.get("x").and_then(|v| v.as_str()).ok_or(JWK)?, KeyProblem::CoordinateLength)?;
        let y = jwk::bytes32(jwk.get("y").and_then(|v| v.as_str()).ok_or(JWK)?, KeyProblem::CoordinateLength)?;
        let mut point = [0u8; 65];
        point[0] = 0x04;
        let (px, py) = point[1..].split_at_mut(32);
        px.copy_from_slice(&x);
        py.copy_from_slice(&y);
        Self::from_sec1(&point)
    }

    /// A key from a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7) with
    /// algorithm `id-ecPublicKey` and curve `prime256v1` (RFC 5480 §2);
    /// [`KeyProblem::Spki`] for anything else, trailing bytes included.
    ///
    /// ```
    /// let der = [
    ///     0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    ///     0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0x29, 0x27, 0xb1, 0x05, 0x12,
    ///     0xba, 0xe3, 0xed, 0xdc, 0xfe, 0x46, 0x78, 0x28, 0x12, 0x8b, 0xad, 0x29, 0x03, 0x26, 0x99, 0x19,
    ///     0xf7, 0x08, 0x60, 0x69, 0xc8, 0xc4, 0xdf, 0x6c, 0x73, 0x28, 0x38, 0xc7, 0x78, 0x79, 0x64, 0xea,
    ///     0xac, 0x00, 0xe5, 0x92, 0x1f, 0xb1, 0x49, 0x8a, 0x60, 0xf4, 0x60, 0x67, 0x66, 0xb3, 0xd9, 0x68,
    ///     0x50, 0x01, 0x55, 0x8d, 0x1a, 0x97, 0x4e, 0x73, 0x41, 0x51, 0x3e,
    /// ];
    /// let key = jwtcheck::Es256Key::from_public_key_der(&der)?;
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn from_public_key_der(der: &[u8]) -> Result<Self, Error> {
        let key = VerifyingKey::from_public_key_der(der).map_err(|_| Error::InvalidKey(KeyProblem::Spki))?;
        Ok(Self::new(key))
    }

    /// A key from a PEM `SubjectPublicKeyInfo` (RFC 7468 §13): exactly one
    /// `-----BEGIN PUBLIC KEY-----` block, then as
    /// [`from_public_key_der`](Es256Key::from_public_key_der). Any other
    /// label (`EC PRIVATE KEY`, `CERTIFICATE`, …) is [`KeyProblem::Spki`].
    ///
    /// ```
    /// let pem = "-----BEGIN PUBLIC KEY-----
    /// MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKSexBRK64+3c/kZ4KBKLrSkDJpkZ
    /// 9whgacjE32xzKDjHeHlk6qwA5ZIfsUmKYPRgZ2az2WhQAVWNGpdOc0FRPg==
    /// -----END PUBLIC KEY-----
    /// ";
    /// let key = jwtcheck::Es256Key::from_public_key_pem(pem)?;
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn from_public_key_pem(pem: &str) -> Result<Self, Error> {
        const SPKI: Error = Error::InvalidKey(KeyProblem::Spki);
        let mut buf = [0u8; SPKI_CAPACITY];
        let (label, der) = pem_rfc7468::decode(pem.as_bytes(), &mut buf).map_err(|_| SPKI)?;
        if label != "PUBLIC KEY" {
            return Err(SPKI);
        }
        Self::from_public_key_der(der)
    }

    fn new(key: VerifyingKey) -> Self {
        #[cfg(feature = "aws-lc-rs")]
        let assembly = aws_lc_rs::signature::ParsedPublicKey::new(
            &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
            key.to_sec1_point(false).as_bytes(),
        )
        .ok();
        let id = key_id(b"ES256", &[key.to_sec1_point(false).as_bytes()]);
        Es256Key {
            key,
            #[cfg(feature = "aws-lc-rs")]
            assembly,
            id,
        }
    }

    pub(crate) fn id(&self) -> KeyId {
        self.id
    }

    /// The key without its assembly backend: verified by the portable p256
    /// path as without the `aws-lc-rs` feature, for comparing the two (the
    /// verdicts are the same; the tests check it on every vector).
    #[cfg(feature = "aws-lc-rs")]
    #[cfg_attr(docsrs, doc(cfg(feature = "aws-lc-rs")))]
    pub fn portable(mut self) -> Self {
        self.assembly = None;
        self
    }

    /// Whether verification runs on aws-lc-rs (the `aws-lc-rs` feature, and
    /// not [`portable`](Es256Key::portable)) rather than p256.
    pub fn uses_assembly(&self) -> bool {
        #[cfg(feature = "aws-lc-rs")]
        return self.assembly.is_some();
        #[cfg(not(feature = "aws-lc-rs"))]
        false
    }

    /// Whether `signature` (`r ‖ s`, RFC 7518 §3.4) is a valid ECDSA P-256
    /// SHA-256 signature of `signing_input` under this key.
    pub(crate) fn verify(&self, signing_input: &[u8], signature: &[u8; 64]) -> bool {
        let (r, s) = signature.split_at(32);
        // CVE-2022-21449: r and s must lie in [1, n - 1] (SEC 1 §4.1.4 step
        // 1). p256 and aws-lc check too; this check depends on neither.
        if !scalar_in_range(r) || !scalar_in_range(s) {
            return false;
        }
        // The fixed-size `r ‖ s` form; aws-lc, like p256, accepts high-S.
        #[cfg(feature = "aws-lc-rs")]
        if let Some(assembly) = &self.assembly {
            return assembly.verify_sig(signing_input, signature).is_ok();
        }
        match Signature::from_slice(signature) {
            // Not `normalize_s` or a low-S check: high-S is valid ES256.
            Ok(signature) => self.key.verify(signing_input, &signature).is_ok(),
            Err(_) => false,
        }
    }
}

/// Whether a 32-byte big-endian integer is in `[1, n - 1]`. Byte arrays of
/// equal length compare like the numbers they encode.
fn scalar_in_range(scalar: &[u8]) -> bool {
    scalar.iter().any(|&b| b != 0) && scalar < ORDER.as_slice()
}

impl fmt::Debug for Es256Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Es256Key(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn assert_send_sync<T: Send + Sync>() {}
    const _: () = assert_send_sync::<Es256Key>();

    #[test]
    fn scalar_range_bounds() {
        let mut n_minus_1 = ORDER;
        n_minus_1[31] -= 1;
        let mut one = [0u8; 32];
        one[31] = 1;
        assert!(scalar_in_range(&one));
        assert!(scalar_in_range(&n_minus_1));
        assert!(!scalar_in_range(&[0; 32]));
        assert!(!scalar_in_range(&ORDER));
        assert!(!scalar_in_range(&[0xff; 32]));
    }
}
