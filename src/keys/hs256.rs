//! The HS256 key: the HMAC state precomputed once from the secret.

use core::fmt;

use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};
use sha2::block_api::compress256;

use super::KeyId;
use crate::{Error, KeyProblem};

/// The shortest secret [`Hs256Key::new`] accepts: 32 bytes, the size of the
/// SHA-256 output (RFC 7518 §3.2).
pub const MIN_SECRET_LEN: usize = 32;

/// The longest secret the text-encoded constructors decode (1 KiB).
pub const MAX_SECRET_LEN: usize = 1024;

/// The longest base64 text of at most [`MAX_SECRET_LEN`] bytes (padded).
const MAX_BASE64_LEN: usize = MAX_SECRET_LEN.div_ceil(3) * 4;

/// An HS256 (HMAC-SHA256) verification key.
///
/// Built once from the secret: the HMAC inner and outer SHA-256 states are
/// computed here, so verifying a token never re-keys. The key is immutable,
/// `Send + Sync`, and meant to be shared by reference across threads (put it
/// in a `static` via `std::sync::LazyLock`, or in your application state).
/// `Debug` does not print key material.
///
/// The key comes only from you: nothing in a token (`kid`, `jwk`, `jku`,
/// `x5u`) changes which key is used (RFC 8725 §3.10).
///
/// ```
/// use jwtcheck::Hs256Key;
///
/// // Supabase: the JWT secret's UTF-8 bytes, exactly as shown in the
/// // dashboard (never base64-decoded).
/// let key = Hs256Key::new(b"super-secret-jwt-token-with-at-least-32-characters-long")?;
/// assert_eq!(format!("{key:?}"), "Hs256Key(..)");
///
/// assert_eq!(Hs256Key::new(b"short").unwrap_err(), jwtcheck::Error::WeakKey);
/// # Ok::<(), jwtcheck::Error>(())
/// ```
#[derive(Clone)]
pub struct Hs256Key {
    /// SHA-256's state after the inner and the outer key block (RFC 2104
    /// §2: `K ^ ipad`, `K ^ opad`): HMAC-SHA256 on sha2's block function,
    /// so a verification compresses the signing input's blocks in place,
    /// with no copy into a hasher's buffer.
    inner: [u32; 8],
    outer: [u32; 8],
    /// Names the key in a [`TokenCache`](crate::TokenCache) without
    /// revealing it: a MAC of a fixed label under the key.
    id: KeyId,
}

impl Hs256Key {
    /// A key from the raw secret bytes; [`Error::WeakKey`] when shorter than
    /// [`MIN_SECRET_LEN`] (RFC 7518 §3.2).
    pub fn new(secret: &[u8]) -> Result<Self, Error> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(Error::WeakKey);
        }
        Self::new_allow_short(secret)
    }

    /// A key from a secret of any length, *including ones RFC 7518 §3.2
    /// forbids*: a short HMAC secret can be brute-forced offline from a single
    /// token. Only for verifying tokens of a legacy issuer you cannot fix.
    ///
    /// HMAC takes keys of any length (longer ones are hashed first, RFC 2104
    /// §2), so this does not fail in practice; the `Result` only surfaces an
    /// error from the HMAC implementation as [`Error::InvalidKey`] rather
    /// than a panic.
    pub fn new_allow_short(secret: &[u8]) -> Result<Self, Error> {
        // RFC 2104 §2: a key longer than the block is hashed first; then it
        // is padded with zeros to the block size.
        let mut block = [0u8; BLOCK];
        if secret.len() > BLOCK {
            let digest = sha256(IV, secret, 0);
            block.get_mut(..32).unwrap_or_default().copy_from_slice(&digest);
        } else {
            block.get_mut(..secret.len()).unwrap_or_default().copy_from_slice(secret);
        }
        let keyed = |pad: u8| {
            let mut state = IV;
            compress256(&mut state, &[block.map(|b| b ^ pad)]);
            state
        };
        let mut key = Hs256Key { inner: keyed(0x36), outer: keyed(0x5c), id: [0; 16] };
        wipe(&mut block);
        let mut label = key.start();
        label.update(b"jwtcheck key id: HS256");
        let tag = label.tag();
        key.id.copy_from_slice(tag.get(..16).unwrap_or(&[0; 16]));
        Ok(key)
    }

    pub(crate) fn id(&self) -> KeyId {
        self.id
    }

    /// A key from a base64-encoded secret, as in a JWK's `k` member
    /// (RFC 7518 §6.4.1): standard or URL-safe alphabet, padding optional,
    /// decoded in constant time. [`Error::InvalidKey`] with
    /// [`KeyProblem::Encoding`] when it is not base64, with
    /// [`KeyProblem::SecretTooLong`] when it is longer than the encoding of
    /// [`MAX_SECRET_LEN`] bytes; [`Error::WeakKey`]
    /// when it decodes to fewer than [`MIN_SECRET_LEN`].
    ///
    /// Do **not** use this for a Supabase project's JWT secret: Supabase signs
    /// with the secret string's bytes as they are, even though the string
    /// looks like base64. Use [`Hs256Key::new`] with `secret.as_bytes()`.
    ///
    /// ```
    /// // RFC 7515 Appendix A.1's key.
    /// let k = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    /// let key = jwtcheck::Hs256Key::from_base64(k)?;
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn from_base64(encoded: &str) -> Result<Self, Error> {
        // Room for any text of at most MAX_BASE64_LEN characters, so a decode
        // error is always about the encoding, never about this buffer.
        let mut buf = [0u8; MAX_SECRET_LEN + 3];
        let text = encoded.as_bytes();
        if text.len() > MAX_BASE64_LEN {
            return Err(Error::InvalidKey(KeyProblem::SecretTooLong));
        }
        // Pick the alphabet without branching per character of the secret.
        let url = text.iter().fold(false, |acc, &b| acc | (b == b'-') | (b == b'_'));
        let padded = text.last() == Some(&b'=');
        let decoded = match (url, padded) {
            (false, false) => Base64Unpadded::decode(text, &mut buf),
            (false, true) => Base64::decode(text, &mut buf),
            (true, false) => Base64UrlUnpadded::decode(text, &mut buf),
            (true, true) => Base64Url::decode(text, &mut buf),
        };
        let result = match decoded {
            Ok(secret) if secret.len() > MAX_SECRET_LEN => Err(Error::InvalidKey(KeyProblem::SecretTooLong)),
            Ok(secret) => Self::new(secret),
            Err(_) => Err(Error::InvalidKey(KeyProblem::Encoding)),
        };
        wipe(&mut buf);
        result
    }

    /// A key from a hex-encoded secret (upper or lower case, no prefix or
    /// separators), decoded without branching on the secret's digits.
    /// [`Error::InvalidKey`] for any other character, an odd length or more
    /// than [`MAX_SECRET_LEN`] bytes; [`Error::WeakKey`] under
    /// [`MIN_SECRET_LEN`].
    ///
    /// ```
    /// let key = jwtcheck::Hs256Key::from_hex(
    ///     "000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F",
    /// )?;
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn from_hex(encoded: &str) -> Result<Self, Error> {
        let mut buf = [0u8; MAX_SECRET_LEN];
        let (pairs, odd) = encoded.as_bytes().as_chunks::<2>();
        let result = match buf.get_mut(..pairs.len()) {
            Some(secret) if odd.is_empty() => {
                let mut bad = 0u8;
                for (byte, &[hi, lo]) in secret.iter_mut().zip(pairs) {
                    let (h, h_bad) = hex_digit(hi);
                    let (l, l_bad) = hex_digit(lo);
                    bad |= h_bad | l_bad;
                    *byte = (h << 4) | l;
                }
                if bad != 0 { Err(Error::InvalidKey(KeyProblem::Encoding)) } else { Self::new(secret) }
            }
            Some(_) => Err(Error::InvalidKey(KeyProblem::Encoding)),
            None => Err(Error::InvalidKey(KeyProblem::SecretTooLong)),
        };
        wipe(&mut buf);
        result
    }

    /// Whether `signature` is the HMAC-SHA256 of `signing_input` under this
    /// key, compared in constant time.
    pub(crate) fn verify(&self, signing_input: &[u8], signature: &[u8; 32]) -> bool {
        // The inner hash reads the input's whole blocks where they are; the
        // key block before them counts in the length.
        let inner = sha256(self.inner, signing_input, BLOCK as u64);
        let tag = sha256(self.outer, &inner, BLOCK as u64);
        // Every byte is compared whatever the first difference.
        let mut diff = 0u8;
        for (a, b) in tag.iter().zip(signature) {
            diff |= a ^ b;
        }
        core::hint::black_box(diff) == 0
    }

    /// A MAC computation from the precomputed state (a copy, no re-keying).
    #[inline(always)]
    pub(crate) fn start(&self) -> MacInProgress {
        MacInProgress { state: self.inner, outer: self.outer, pending: [0; BLOCK], pending_len: 0, len: BLOCK as u64 }
    }
}

/// SHA-256's block size, and HMAC's (RFC 2104 §2: `B`).
const BLOCK: usize = 64;

/// SHA-256's initial state (FIPS 180-4 §5.3.3).
const IV: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];

/// The SHA-256 digest of a message whose first `done` bytes (whole
/// blocks) `state` has compressed already and whose other bytes are `rest`:
/// its whole blocks are compressed where they lie, the rest is padded as
/// FIPS 180-4 §5.1.1 says (`0x80`, zeros, the message's bit length).
fn sha256(mut state: [u32; 8], rest: &[u8], done: u64) -> [u8; 32] {
    let total_bits = done.wrapping_add(rest.len() as u64).wrapping_mul(8);
    let (blocks, tail) = rest.as_chunks::<BLOCK>();
    compress256(&mut state, blocks);
    let mut last = [[0u8; BLOCK]; 2];
    let flat = last.as_flattened_mut();
    if let Some(to) = flat.get_mut(..tail.len()) {
        to.copy_from_slice(tail);
    }
    if let Some(b) = flat.get_mut(tail.len()) {
        *b = 0x80;
    }
    // The length takes the last 8 bytes: a second block when the tail
    // leaves fewer after the 0x80.
    let (count, end) = if tail.len() < BLOCK - 8 { (1, BLOCK) } else { (2, 2 * BLOCK) };
    if let Some(to) = flat.get_mut(end.wrapping_sub(8)..end) {
        to.copy_from_slice(&total_bits.to_be_bytes());
    }
    compress256(&mut state, last.get(..count).unwrap_or_default());
    let mut digest = [0u8; 32];
    for (to, word) in digest.chunks_exact_mut(4).zip(state) {
        to.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// An HMAC-SHA256 over a message fed in pieces (signing, and the key id).
pub(crate) struct MacInProgress {
    state: [u32; 8],
    outer: [u32; 8],
    /// The bytes of a block not compressed yet.
    pending: [u8; BLOCK],
    pending_len: usize,
    /// The bytes compressed into `state` so far, the key block included.
    len: u64,
}

impl MacInProgress {
    pub(crate) fn update(&mut self, piece: &[u8]) {
        let mut piece = piece;
        if self.pending_len > 0 {
            let take = BLOCK.saturating_sub(self.pending_len).min(piece.len());
            let (front, back) = piece.split_at(take);
            if let Some(to) = self.pending.get_mut(self.pending_len..self.pending_len.wrapping_add(take)) {
                to.copy_from_slice(front);
            }
            self.pending_len = self.pending_len.wrapping_add(take);
            piece = back;
            if self.pending_len < BLOCK {
                return;
            }
            compress256(&mut self.state, &[self.pending]);
            self.len = self.len.wrapping_add(BLOCK as u64);
            self.pending_len = 0;
        }
        let (blocks, tail) = piece.as_chunks::<BLOCK>();
        compress256(&mut self.state, blocks);
        self.len = self.len.wrapping_add((blocks.len() as u64).wrapping_mul(BLOCK as u64));
        if let Some(to) = self.pending.get_mut(..tail.len()) {
            to.copy_from_slice(tail);
        }
        self.pending_len = tail.len();
    }

    /// The MAC itself.
    pub(crate) fn tag(self) -> [u8; 32] {
        let head = self.pending.get(..self.pending_len).unwrap_or_default();
        let inner = sha256(self.state, head, self.len);
        sha256(self.outer, &inner, BLOCK as u64)
    }
}

/// A hex digit's value and, in the second byte, non-zero when `c` is not a
/// hex digit. Arithmetic masks instead of branches, so the timing does not
/// depend on the secret.
fn hex_digit(c: u8) -> (u8, u8) {
    let c = u16::from(c);
    // 0xFFFF when `lo <= c <= hi`, else 0: a subtraction that wraps sets the
    // high byte.
    let in_range = |lo: u16, hi: u16| {
        let outside = (c.wrapping_sub(lo) | hi.wrapping_sub(c)) >> 8;
        ((outside | outside.wrapping_neg()) >> 15).wrapping_sub(1)
    };
    let digit = in_range(0x30, 0x39);
    let upper = in_range(0x41, 0x46);
    let lower = in_range(0x61, 0x66);
    let value = (digit & c.wrapping_sub(0x30)) | (upper & c.wrapping_sub(0x37)) | (lower & c.wrapping_sub(0x57));
    ((value & 0x0F) as u8, !((digit | upper | lower) as u8) & 1)
}

/// Overwrites a buffer that held a secret. `black_box` keeps the compiler
/// from removing the stores as dead.
fn wipe(buf: &mut [u8]) {
    buf.fill(0);
    core::hint::black_box(buf);
}

#[cfg(feature = "zeroize")]
impl Drop for MacInProgress {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.state.zeroize();
        self.outer.zeroize();
        self.pending.zeroize();
    }
}

#[cfg(feature = "zeroize")]
impl Drop for Hs256Key {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl fmt::Debug for Hs256Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hs256Key(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::ToOwned;

    const fn assert_send_sync<T: Send + Sync>() {}
    const _: () = assert_send_sync::<Hs256Key>();

    #[test]
    fn rfc4231_case_2_through_the_precomputed_state() {
        // Key "Jefe" (short: only through the explicit escape hatch).
        let key = Hs256Key::new_allow_short(b"Jefe").unwrap();
        let tag = [
            0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00,
            0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
        ];
        assert!(key.verify(b"what do ya want for nothing?", &tag));
        assert!(key.verify(b"what do ya want for nothing?", &tag), "the key is reusable");
        let mut wrong = tag;
        wrong[31] ^= 1;
        assert!(!key.verify(b"what do ya want for nothing?", &wrong));
    }

    /// The `hmac` crate's HMAC-SHA256, independent of the code under test.
    fn reference(secret: &[u8], message: &[u8]) -> [u8; 32] {
        use hmac::{KeyInit, Mac};
        let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    #[test]
    // Exhaustive over the padding's edges; slow under Miri.
    #[cfg_attr(miri, ignore)]
    fn agrees_with_the_hmac_crate_at_every_block_edge() {
        let message: std::vec::Vec<u8> = (0..300u32).map(|i| (i.wrapping_mul(151) >> 3) as u8).collect();
        // Keys across the block size (hashed above 64 bytes); messages
        // across one and two blocks and the 55/56-byte padding split.
        for key_len in [0, 1, 31, 32, 55, 56, 63, 64, 65, 127, 128, 129, 200] {
            let secret: std::vec::Vec<u8> = (0..key_len).map(|i| (i as u8) ^ 0xA7).collect();
            let key = Hs256Key::new_allow_short(&secret).unwrap();
            for len in (0..=200).chain([255, 256, 257, 300]) {
                let expected = reference(&secret, &message[..len]);
                assert!(key.verify(&message[..len], &expected), "key {key_len}, message {len}");
                let mut wrong = expected;
                wrong[len % 32] ^= 0x10;
                assert!(!key.verify(&message[..len], &wrong), "key {key_len}, message {len}");
                // Fed in uneven pieces, as signing does.
                let mut mac = key.start();
                for piece in message[..len].chunks(1 + len % 70) {
                    mac.update(piece);
                }
                assert_eq!(mac.tag(), expected, "pieces: key {key_len}, message {len}");
            }
        }
    }

    #[test]
    fn secret_length_rule() {
        assert_eq!(Hs256Key::new(&[7; 31]).map(|_| ()), Err(Error::WeakKey));
        assert!(Hs256Key::new(&[7; 32]).is_ok());
        assert!(Hs256Key::new(&[7; 200]).is_ok());
    }

    #[test]
    // Exhaustive and slow under Miri; safe code, run natively by `cargo test`.
    #[cfg_attr(miri, ignore)]
    fn hex_digits_by_arithmetic() {
        for c in 0..=255u8 {
            let expected = (c as char).to_digit(16);
            let (value, bad) = hex_digit(c);
            match expected {
                Some(v) => assert_eq!((value, bad), (v as u8, 0), "{c:#04x}"),
                None => assert_eq!(bad, 1, "{c:#04x}"),
            }
        }
    }

    #[test]
    fn hex_secrets() {
        let secret: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(73));
        let hex: std::string::String = secret.iter().map(|b| std::format!("{b:02X}")).collect();
        let tag_of = |k: &Hs256Key| {
            let mut mac = k.start();
            mac.update(b"m");
            mac.tag()
        };
        let expected = tag_of(&Hs256Key::new(&secret).unwrap());
        assert_eq!(tag_of(&Hs256Key::from_hex(&hex).unwrap()), expected);
        assert_eq!(tag_of(&Hs256Key::from_hex(&hex.to_lowercase()).unwrap()), expected);
        assert_eq!(
            Hs256Key::from_hex(&hex[1..]).map(|_| ()),
            Err(Error::InvalidKey(KeyProblem::Encoding)),
            "odd length"
        );
        assert_eq!(
            Hs256Key::from_hex(&std::format!("{}g0", &hex[2..])).map(|_| ()),
            Err(Error::InvalidKey(KeyProblem::Encoding))
        );
        assert_eq!(
            Hs256Key::from_hex(&std::format!("0x{}", &hex[2..])).map(|_| ()),
            Err(Error::InvalidKey(KeyProblem::Encoding))
        );
        assert_eq!(Hs256Key::from_hex(&hex[..62]).map(|_| ()), Err(Error::WeakKey));
        let huge = "ab".repeat(MAX_SECRET_LEN + 1);
        assert_eq!(Hs256Key::from_hex(&huge).map(|_| ()), Err(Error::InvalidKey(KeyProblem::SecretTooLong)));
    }

    #[test]
    fn base64_secrets_in_either_alphabet_with_or_without_padding() {
        let secret: [u8; 33] = core::array::from_fn(|i| (i as u8).wrapping_mul(37) | 0xC0);
        let tag_of = |k: &Hs256Key| {
            let mut mac = k.start();
            mac.update(b"m");
            mac.tag()
        };
        let expected = tag_of(&Hs256Key::new(&secret).unwrap());
        let mut buf = [0u8; 64];
        let forms = [
            Base64::encode(&secret, &mut buf).unwrap().to_owned(),
            Base64Unpadded::encode(&secret, &mut buf).unwrap().to_owned(),
            Base64Url::encode(&secret, &mut buf).unwrap().to_owned(),
            Base64UrlUnpadded::encode(&secret, &mut buf).unwrap().to_owned(),
        ];
        for form in &forms {
            assert_eq!(tag_of(&Hs256Key::from_base64(form).unwrap()), expected, "{form}");
        }
        assert_eq!(Hs256Key::from_base64("not base64!").map(|_| ()), Err(Error::InvalidKey(KeyProblem::Encoding)));
        assert_eq!(
            Hs256Key::from_base64("a+b_").map(|_| ()),
            Err(Error::InvalidKey(KeyProblem::Encoding)),
            "mixed alphabets"
        );
        assert_eq!(Hs256Key::from_base64("c2hvcnQ").map(|_| ()), Err(Error::WeakKey));
        let huge = "A".repeat(4 * (MAX_SECRET_LEN / 3 + 2));
        assert_eq!(Hs256Key::from_base64(&huge).map(|_| ()), Err(Error::InvalidKey(KeyProblem::SecretTooLong)));
        for (len, expected) in [(1024, Ok(())), (1025, Err(Error::InvalidKey(KeyProblem::SecretTooLong)))] {
            let mut out = [0u8; 1400];
            for encoded in [
                Base64::encode(&[0xA5; 1025][..len], &mut out).unwrap().to_owned(),
                Base64UrlUnpadded::encode(&[0xA5; 1025][..len], &mut out).unwrap().to_owned(),
            ] {
                assert_eq!(Hs256Key::from_base64(&encoded).map(|_| ()), expected, "{len} bytes");
            }
        }
    }
}
