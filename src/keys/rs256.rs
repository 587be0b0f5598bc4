//! The RS256 key: an RSA public key with its Montgomery parameters,
//! computed once at import, in fixed-size integers (no heap).

use core::fmt;

use crypto_bigint::modular::{FixedMontyForm, MontyParams};
use crypto_bigint::{Odd, U2048, U3072, U4096, Uint};
use der::Decode;
use sha2::{Digest, Sha256};

use super::{KeyId, jwk, key_id};
use crate::json_str::JsonStr;
use crate::{Error, JsonValue, KeyProblem, base64url};

/// The smallest modulus [`Rs256Key`] accepts, in bits: 2048 (RFC 7518
/// §3.3: "a key of size 2048 bits or larger MUST be used"). Smaller keys are
/// [`Error::WeakKey`].
pub const MIN_RSA_BITS: usize = 2048;

/// The largest modulus [`Rs256Key`] accepts, in bits: 4096. The integers
/// are fixed-size, so this bounds the key's memory and a verification's
/// work; larger keys are [`KeyProblem::RsaModulus`].
pub const MAX_RSA_BITS: usize = 4096;

/// The longest modulus and signature, in bytes.
pub(crate) const MAX_RSA_LEN: usize = MAX_RSA_BITS / 8;

/// The largest public exponent accepted, exclusive: 2^32.
const MAX_EXPONENT_LEN: usize = 4;

/// The DER `DigestInfo` of SHA-256 without the digest (RFC 8017 §9.2 note 1).
const DIGEST_INFO_SHA256: [u8; 19] =
    [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

/// The longest DER a PEM may decode to: a 4096-bit SPKI is 550 bytes.
const DER_CAPACITY: usize = 1024;

/// An RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) verification key.
///
/// Accepted keys:
/// - a modulus of 2048 to 4096 bits ([`MIN_RSA_BITS`], [`MAX_RSA_BITS`]),
///   odd; smaller is [`Error::WeakKey`], larger or even is
///   [`KeyProblem::RsaModulus`];
/// - an odd public exponent in [3, 2^32) ([`KeyProblem::RsaExponent`]
///   otherwise). Every issuer in practice uses 65537; 3 is allowed because
///   RSA signatures with e = 3 are secure when the padding is checked as a
///   whole (below), and the bound keeps a verification to at most 31
///   squarings and 31 multiplications.
///
/// Every constructor computes the Montgomery parameters of the modulus
/// once; verifying a token hashes, exponentiates and compares. The
/// signature must be exactly as long as the modulus and less than it
/// (RFC 8017 §8.2.2 steps 1 and 2.b), else [`Error::InvalidSignature`]. The
/// result `s^e mod n` is compared, as a whole, with the one encoded message
/// that is valid (`00 01 FF…FF 00 ‖ DigestInfo(SHA-256) ‖ H`, RFC 8017
/// §9.2): the padding is never parsed, so the forgeries that live in lenient
/// padding parsers (Bleichenbacher 2006 and its variants) have nothing to
/// exploit. A `DigestInfo` without the `NULL` parameters, which some legacy
/// signers wrote, is rejected.
///
/// The key is immutable, `Send + Sync`, allocates nothing, and `Debug`
/// prints its size only. It is about 1.6 KiB (the parameters of the
/// largest modulus), whatever the key's size.
///
/// ```
/// use jwtcheck::{Error, KeyProblem, Rs256Key};
///
/// // The RSA key of RFC 7515 Appendix A.2.
/// let key = Rs256Key::from_jwk(
///     r#"{"kty":"RSA","e":"AQAB",
///         "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"}"#,
/// )?;
/// assert_eq!(key.bits(), 2048);
/// assert_eq!(format!("{key:?}"), "Rs256Key(2048 bits)");
///
/// // A 1024-bit key.
/// let weak = Rs256Key::from_components(&[0xc5; 128], &[1, 0, 1]);
/// assert_eq!(weak.unwrap_err(), Error::WeakKey);
///
/// // An even exponent.
/// let even = Rs256Key::from_components(&[0xc5; 256], &[1, 0, 0]);
/// assert_eq!(even.unwrap_err(), Error::InvalidKey(KeyProblem::RsaExponent));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct Rs256Key {
    modulus: Modulus,
    /// The modulus length in bytes: `k` of RFC 8017.
    len: usize,
    bits: usize,
    exponent: u32,
    /// With the `aws-lc-rs` feature: the key parsed once by aws-lc-rs, whose
    /// assembly verifies about 2× faster. `None` when aws-lc-rs refused a
    /// key accepted here (not seen; the portable check then keeps the
    /// verdicts the same) or after [`portable`](Rs256Key::portable).
    #[cfg(feature = "aws-lc-rs")]
    assembly: Option<aws_lc_rs::signature::ParsedPublicKey>,
    id: KeyId,
}

/// The Montgomery parameters in the smallest integer width that holds the
/// modulus: a 2048-bit key is not computed with 4096-bit integers.
// Without a heap the key holds the largest width inline (1.5 KiB); a
// 2048-bit key leaves part of it unused rather than costing an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Modulus {
    W2048(MontyParams<U2048>),
    W3072(MontyParams<U3072>),
    W4096(MontyParams<U4096>),
}

impl Rs256Key {
    /// A key from its big-endian modulus `n` and public exponent `e`, each
    /// in minimal octets (no leading zero byte: RFC 7518 §6.3.1, RFC 8017
    /// §4.1). See the type's documentation for the accepted values.
    pub fn from_components(n: &[u8], e: &[u8]) -> Result<Self, Error> {
        let exponent = exponent(e)?;
        let first = *n.first().ok_or(Error::InvalidKey(KeyProblem::RsaModulus))?;
        if first == 0 {
            return Err(Error::InvalidKey(KeyProblem::RsaModulus));
        }
        // `n` is non-empty with a non-zero first byte: its bit length.
        let bits = n.len().saturating_mul(8).saturating_sub(first.leading_zeros() as usize);
        if bits < MIN_RSA_BITS {
            return Err(Error::WeakKey);
        }
        if bits > MAX_RSA_BITS || n.last().is_none_or(|b| b & 1 == 0) {
            return Err(Error::InvalidKey(KeyProblem::RsaModulus));
        }
        let modulus = if bits <= 2048 {
            Modulus::W2048(params(n)?)
        } else if bits <= 3072 {
            Modulus::W3072(params(n)?)
        } else {
            Modulus::W4096(params(n)?)
        };
        Ok(Rs256Key {
            modulus,
            len: n.len(),
            bits,
            exponent,
            #[cfg(feature = "aws-lc-rs")]
            assembly: assembly_key(n, exponent),
            id: key_id(b"RS256", &[n, &exponent.to_be_bytes()]),
        })
    }

    pub(crate) fn id(&self) -> KeyId {
        self.id
    }

    /// The key without its assembly backend: verified by the portable
    /// crypto-bigint path as without the `aws-lc-rs` feature, for comparing
    /// the two (the verdicts are the same; the tests check it on every
    /// vector).
    #[cfg(feature = "aws-lc-rs")]
    #[cfg_attr(docsrs, doc(cfg(feature = "aws-lc-rs")))]
    pub fn portable(mut self) -> Self {
        self.assembly = None;
        self
    }

    /// Whether verification runs on aws-lc-rs (the `aws-lc-rs` feature, and
    /// not [`portable`](Rs256Key::portable)) rather than crypto-bigint.
    pub fn uses_assembly(&self) -> bool {
        #[cfg(feature = "aws-lc-rs")]
        return self.assembly.is_some();
        #[cfg(not(feature = "aws-lc-rs"))]
        false
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The modulus length in bytes: every signature of this key has exactly
    /// this length (RFC 8017 §8.2.2 step 1).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// A key from the JSON text of one public JWK (RFC 7517 §4, RFC 7518
    /// §6.3.1).
    ///
    /// The text must be one strict JSON object (the token scanner's rules),
    /// with
    /// - `kty` `"RSA"`;
    /// - `alg` absent or `"RS256"`, `use` absent or `"sig"`, `key_ops`
    ///   absent or an array of strings containing `"verify"`;
    /// - no private member (`d`, `p`, …): [`KeyProblem::PrivateKey`];
    /// - `n` and `e` strict unpadded base64url ([`KeyProblem::Base64`])
    ///   of minimal octets, with the values of
    ///   [`from_components`](Rs256Key::from_components).
    ///
    /// Any other problem is [`KeyProblem::Jwk`]. Other members (`kid`,
    /// `ext`, `x5c`, …) are ignored: an `x5c` certificate chain is never
    /// used as the key.
    ///
    /// ```
    /// use jwtcheck::{Error, KeyProblem, Rs256Key};
    ///
    /// let ec = r#"{"kty":"EC","crv":"P-256","x":"AQAB","y":"AQAB"}"#;
    /// assert_eq!(Rs256Key::from_jwk(ec).unwrap_err(), Error::InvalidKey(KeyProblem::Jwk));
    /// let padded = r#"{"kty":"RSA","n":"AQAB","e":"AQAB=="}"#;
    /// assert_eq!(Rs256Key::from_jwk(padded).unwrap_err(), Error::InvalidKey(KeyProblem::Base64));
    /// ```
    pub fn from_jwk(jwk: &str) -> Result<Self, Error> {
        Self::from_jwk_value(jwk::parse(jwk)?)
    }

    /// [`from_jwk`](Rs256Key::from_jwk) on a JWK object that already passed
    /// the strict scanner (an element of a JWKS `keys` array).
    pub(crate) fn from_jwk_value(jwk: JsonValue<'_>) -> Result<Self, Error> {
        const JWK: Error = Error::InvalidKey(KeyProblem::Jwk);
        jwk::check_public(&jwk, &jwk::PRIVATE_MEMBERS, "RSA", None, "RS256")?;
        let mut n = [0u8; MAX_RSA_LEN + 1];
        let n = member(jwk.get("n").and_then(|v| v.as_str()).ok_or(JWK)?, &mut n, KeyProblem::RsaModulus)?;
        let mut e = [0u8; MAX_EXPONENT_LEN + 1];
        let e = member(jwk.get("e").and_then(|v| v.as_str()).ok_or(JWK)?, &mut e, KeyProblem::RsaExponent)?;
        Self::from_components(n, e)
    }

    /// A key from a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7) with
    /// algorithm `rsaEncryption` and `NULL` parameters (RFC 3279 §2.3.1)
    /// around a PKCS#1 `RSAPublicKey`; [`KeyProblem::Spki`] for anything
    /// else, trailing bytes included. `id-RSASSA-PSS` keys are refused: a
    /// key restricted to PSS must not verify PKCS#1 v1.5 signatures.
    pub fn from_public_key_der(der: &[u8]) -> Result<Self, Error> {
        const SPKI: Error = Error::InvalidKey(KeyProblem::Spki);
        let spki = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|_| SPKI)?;
        if spki.algorithm.oid != pkcs1::ALGORITHM_OID || !spki.algorithm.parameters.is_some_and(|p| p.is_null()) {
            return Err(SPKI);
        }
        let key = spki.subject_public_key.as_bytes().ok_or(SPKI)?;
        Self::from_pkcs1_der(key)
            .map_err(|error| if error == Error::InvalidKey(KeyProblem::Pkcs1) { SPKI } else { error })
    }

    /// A key from a DER PKCS#1 `RSAPublicKey` (RFC 8017 Appendix A.1.1);
    /// [`KeyProblem::Pkcs1`] when it is not exactly one.
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, Error> {
        let key = pkcs1::RsaPublicKeyRef::from_der(der).map_err(|_| Error::InvalidKey(KeyProblem::Pkcs1))?;
        // DER integers are minimal and `as_bytes` drops the sign byte: a
        // negative or zero value is refused by the value checks.
        Self::from_components(key.modulus.as_bytes(), key.public_exponent.as_bytes())
    }

    /// A key from a PEM block (RFC 7468): `-----BEGIN PUBLIC KEY-----`
    /// (a `SubjectPublicKeyInfo`, as
    /// [`from_public_key_der`](Rs256Key::from_public_key_der)) or
    /// `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1, as
    /// [`from_pkcs1_der`](Rs256Key::from_pkcs1_der)). Any other label
    /// (`RSA PRIVATE KEY`, `CERTIFICATE`, …) is [`KeyProblem::Spki`].
    ///
    /// ```
    /// let pem = "-----BEGIN PUBLIC KEY-----
    /// MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAofgWCuLjybRlzo0tZWJj
    /// NiuSfb4p4fAkd/wWJcyQoTbji9k0l8W26mPddxHmfHQp+Vaw+4qPCJrcS2mJPMEz
    /// P1Pt0Bm4d4QlL+yRT+SFd2lZS+pCgNMsD1W/YpRPEwOWvG6b32690r2jZ47soMZo
    /// 9wGzjb/7OMg0LOL+bSf63kpaSHSXndS5z5rexMdbBYUsLA9e+KXBdQOS+UTo7WTB
    /// EMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6/I5IhlJH7aGhyxX
    /// FvUK+DWNmoudF8NAco9/h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXp
    /// oQIDAQAB
    /// -----END PUBLIC KEY-----
    /// ";
    /// let key = jwtcheck::Rs256Key::from_pem(pem)?;
    /// assert_eq!(key.bits(), 2048);
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        const SPKI: Error = Error::InvalidKey(KeyProblem::Spki);
        let mut buf = [0u8; DER_CAPACITY];
        let (label, der) = pem_rfc7468::decode(pem.as_bytes(), &mut buf).map_err(|_| SPKI)?;
        match label {
            "PUBLIC KEY" => Self::from_public_key_der(der),
            "RSA PUBLIC KEY" => Self::from_pkcs1_der(der),
            _ => Err(SPKI),
        }
    }

    /// Whether `signature` (exactly [`len`](Rs256Key::len) bytes) is a valid
    /// RSASSA-PKCS1-v1_5 SHA-256 signature of `signing_input` under this key
    /// (RFC 8017 §8.2.2).
    pub(crate) fn verify(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        if signature.len() != self.len {
            return false;
        }
        // RSASSA-PKCS1-v1_5 with SHA-256: aws-lc re-encodes the DigestInfo
        // and compares it whole, as the portable path below does.
        #[cfg(feature = "aws-lc-rs")]
        if let Some(assembly) = &self.assembly {
            return assembly.verify_sig(signing_input, signature).is_ok();
        }
        let hash: [u8; 32] = Sha256::digest(signing_input).into();
        match &self.modulus {
            Modulus::W2048(params) => verify_in(params, self.exponent, signature, &hash),
            Modulus::W3072(params) => verify_in(params, self.exponent, signature, &hash),
            Modulus::W4096(params) => verify_in(params, self.exponent, signature, &hash),
        }
    }
}

/// The key for aws-lc-rs: RFC 8017 §A.1.1's `RSAPublicKey`, DER-encoded
/// here (a SEQUENCE of the two INTEGERs), parsed once.
#[cfg(feature = "aws-lc-rs")]
fn assembly_key(n: &[u8], e: u32) -> Option<aws_lc_rs::signature::ParsedPublicKey> {
    // n is at most 512 bytes (4096 bits): 4 + 513 + 4 + 7 bytes at most.
    let mut der = [0u8; 544];
    let mut body = [0u8; 540];
    let mut len = der_integer(n, &mut body, 0)?;
    len = der_integer(&e.to_be_bytes(), &mut body, len)?;
    let total = der_header(0x30, len, &mut der, 0)?;
    der.get_mut(total..total.checked_add(len)?)?.copy_from_slice(body.get(..len)?);
    let der = der.get(..total.checked_add(len)?)?;
    aws_lc_rs::signature::ParsedPublicKey::new(&aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256, der).ok()
}

/// Appends a DER INTEGER of the unsigned big-endian `value` at `at`; returns
/// the new end.
#[cfg(feature = "aws-lc-rs")]
fn der_integer(value: &[u8], out: &mut [u8], at: usize) -> Option<usize> {
    // Minimal: no leading zero bytes (0 itself keeps one).
    let value = value.get(value.iter().position(|&b| b != 0).unwrap_or(value.len().saturating_sub(1))..)?;
    // X.690 §8.3: two's complement, so a leading 1 bit needs a zero byte.
    let pad = usize::from(value.first().is_some_and(|&b| b & 0x80 != 0));
    let len = value.len().checked_add(pad)?;
    let mut at = der_header(0x02, len, out, at)?;
    if pad == 1 {
        *out.get_mut(at)? = 0;
        at = at.checked_add(1)?;
    }
    out.get_mut(at..at.checked_add(value.len())?)?.copy_from_slice(value);
    at.checked_add(value.len())
}

/// Writes a DER tag and definite length (X.690 §8.1.3) at `at`; returns the
/// end.
#[cfg(feature = "aws-lc-rs")]
fn der_header(tag: u8, len: usize, out: &mut [u8], at: usize) -> Option<usize> {
    let bytes: &[u8] = match len {
        0..=0x7f => &[tag, len as u8],
        0x80..=0xff => &[tag, 0x81, len as u8],
        0x100..=0xffff => &[tag, 0x82, (len >> 8) as u8, len as u8],
        _ => return None,
    };
    out.get_mut(at..at.checked_add(bytes.len())?)?.copy_from_slice(bytes);
    at.checked_add(bytes.len())
}

/// RSAVP1 and the comparison, in `Uint<L>`: `signature` is `k` bytes, `k`
/// at most `Uint<L>`'s width (the key chose `L` for its modulus). Out of
/// line so that only the width in use occupies the stack, not the largest
/// of the three instances inlined side by side.
#[inline(never)]
fn verify_in<const L: usize>(params: &MontyParams<Uint<L>>, e: u32, signature: &[u8], hash: &[u8; 32]) -> bool {
    let Some(s) = uint::<L>(signature) else { return false };
    // RFC 8017 §5.2.2 step 1: s must be less than n.
    if s >= *params.modulus().as_ref() {
        return false;
    }
    let Some(expected) = encoded_message::<L>(signature.len(), hash) else { return false };
    let base = FixedMontyForm::new(&s, params);
    // Left to right over e's bits below the top one (e ≥ 3, so it has one).
    let mut m = base;
    let top = u32::BITS.saturating_sub(e.leading_zeros()).saturating_sub(1);
    for bit in (0..top).rev() {
        m = m.square();
        if (e >> bit) & 1 == 1 {
            m = m.mul(&base);
        }
    }
    // m < n < 2^(8k), so comparing the integers compares I2OSP(m, k) with
    // the expected k-byte encoded message, every byte of it.
    m.retrieve() == expected
}

/// EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of `hash` for a `k`-byte modulus, as an
/// integer: `00 01 FF…FF 00 ‖ DigestInfo ‖ H`.
fn encoded_message<const L: usize>(k: usize, hash: &[u8; 32]) -> Option<Uint<L>> {
    const T_LEN: usize = DIGEST_INFO_SHA256.len() + 32;
    let mut em = [0u8; MAX_RSA_LEN];
    let em = em.get_mut(..k)?;
    let (head, tail) = em.split_at_mut(k.checked_sub(T_LEN)?);
    let (digest_info, digest) = tail.split_at_mut(DIGEST_INFO_SHA256.len());
    digest_info.copy_from_slice(&DIGEST_INFO_SHA256);
    digest.copy_from_slice(hash);
    // head = 00 01 PS 00, PS at least 8 bytes of FF (k ≥ 256 here).
    let (separator, padding) = head.split_last_mut()?;
    *separator = 0;
    padding.fill(0xff);
    *padding.first_mut()? = 0;
    *padding.get_mut(1)? = 1;
    uint::<L>(em)
}

/// The big-endian `bytes` as a `Uint<L>`, when they fit.
fn uint<const L: usize>(bytes: &[u8]) -> Option<Uint<L>> {
    let mut padded = [0u8; MAX_RSA_LEN];
    let width = Uint::<L>::BYTES;
    let padded = padded.get_mut(..width)?;
    padded.get_mut(width.checked_sub(bytes.len())?..)?.copy_from_slice(bytes);
    Some(Uint::from_be_slice(padded))
}

/// The Montgomery parameters of an odd modulus that fits `Uint<L>`.
fn params<const L: usize>(n: &[u8]) -> Result<MontyParams<Uint<L>>, Error> {
    let n = uint::<L>(n).ok_or(Error::InvalidKey(KeyProblem::RsaModulus))?;
    let n = Option::<Odd<Uint<L>>>::from(Odd::new(n)).ok_or(Error::InvalidKey(KeyProblem::RsaModulus))?;
    // Variable time is fine: the modulus is public.
    Ok(MontyParams::new_vartime(n))
}

/// The public exponent: minimal octets of an odd value in [3, 2^32).
fn exponent(e: &[u8]) -> Result<u32, Error> {
    const BAD: Error = Error::InvalidKey(KeyProblem::RsaExponent);
    if e.is_empty() || e.len() > MAX_EXPONENT_LEN || e.first() == Some(&0) {
        return Err(BAD);
    }
    let value = e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    if value < 3 || value & 1 == 0 { Err(BAD) } else { Ok(value) }
}

/// A JWK integer member: strict unpadded base64url decoded into `buf`
/// ([`KeyProblem::Base64`]), `too_long` when it cannot fit.
fn member<'b>(text: JsonStr<'_>, buf: &'b mut [u8], too_long: KeyProblem) -> Result<&'b [u8], Error> {
    let mut chars = [0u8; base64url::encoded_len(MAX_RSA_LEN + 1)];
    let chars = text.unescape_into(&mut chars).map_err(|_| Error::InvalidKey(too_long))?;
    if chars.len() > base64url::encoded_len(buf.len()) {
        // Checked as base64url first, so the reason is the right one.
        base64url::validate(chars.as_bytes()).map_err(|_| Error::InvalidKey(KeyProblem::Base64))?;
        return Err(Error::InvalidKey(too_long));
    }
    base64url::decode(chars.as_bytes(), buf).map_err(|_| Error::InvalidKey(KeyProblem::Base64))
}

impl fmt::Debug for Rs256Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rs256Key({} bits)", self.bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn assert_send_sync<T: Send + Sync>() {}
    const _: () = assert_send_sync::<Rs256Key>();

    #[test]
    fn exponent_bounds() {
        assert_eq!(exponent(&[1, 0, 1]), Ok(65537));
        assert_eq!(exponent(&[3]), Ok(3));
        assert_eq!(exponent(&[0xff, 0xff, 0xff, 0xff]), Ok(u32::MAX));
        for bad in [&[][..], &[1], &[2], &[0, 3], &[1, 0, 0], &[1, 0, 0, 0, 1]] {
            assert_eq!(exponent(bad), Err(Error::InvalidKey(KeyProblem::RsaExponent)), "{bad:?}");
        }
    }

    #[test]
    fn encoded_message_layout() {
        let hash = [0xab; 32];
        let em = encoded_message::<{ U2048::LIMBS }>(256, &hash).unwrap().to_be_bytes();
        let em: &[u8] = em.as_ref();
        assert_eq!(em.len(), 256);
        assert_eq!(&em[..2], &[0, 1]);
        assert!(em[2..256 - 52].iter().all(|&b| b == 0xff));
        assert_eq!(em[256 - 52], 0);
        assert_eq!(&em[256 - 51..256 - 32], &DIGEST_INFO_SHA256);
        assert_eq!(&em[256 - 32..], &hash);
    }

    #[test]
    fn modulus_bounds() {
        let mut n = [0xffu8; 256];
        assert_eq!(Rs256Key::from_components(&n, &[1, 0, 1]).map(|k| k.bits()), Ok(2048));
        n[0] = 0x7f;
        assert_eq!(Rs256Key::from_components(&n, &[1, 0, 1]).unwrap_err(), Error::WeakKey);
        n[0] = 0;
        assert_eq!(Rs256Key::from_components(&n, &[1, 0, 1]).unwrap_err(), Error::InvalidKey(KeyProblem::RsaModulus));
        let mut even = [0xffu8; 256];
        even[255] = 0xfe;
        assert_eq!(
            Rs256Key::from_components(&even, &[1, 0, 1]).unwrap_err(),
            Error::InvalidKey(KeyProblem::RsaModulus)
        );
        assert_eq!(Rs256Key::from_components(&[0xff; 512], &[3]).map(|k| k.bits()), Ok(4096));
        assert_eq!(
            Rs256Key::from_components(&[0xff; 513], &[3]).unwrap_err(),
            Error::InvalidKey(KeyProblem::RsaModulus)
        );
        assert_eq!(Rs256Key::from_components(&[0xff; 384], &[3]).map(|k| k.len()), Ok(384));
        assert_eq!(Rs256Key::from_components(&[], &[3]).unwrap_err(), Error::InvalidKey(KeyProblem::RsaModulus));
    }
}
