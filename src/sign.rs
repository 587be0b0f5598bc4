//! Minting HS256 tokens (feature `sign`): for services that issue tokens,
//! and for tests that need tokens the verifier accepts.

use serde::Serialize;

use crate::claims::Registered;
use crate::json::Names;
use crate::{DEFAULT_MAX_DEPTH, Error, Hs256Key, MAX_HEADER_LEN, PAYLOAD_CAPACITY, base64url, header};

/// The header [`Hs256Key::sign`] uses: `{"alg":"HS256","typ":"JWT"}`.
pub const DEFAULT_HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// The length of the token [`Hs256Key::sign_with_header`] makes from a
/// header and a payload of these byte lengths: size the output buffer with it.
///
/// ```
/// # #[cfg(feature = "sign")] {
/// let payload = br#"{"sub":"u","exp":1767265845}"#;
/// let len = jwtcheck::signed_len(jwtcheck::DEFAULT_HEADER.len(), payload.len());
/// assert_eq!(len, 36 + 1 + 38 + 1 + 43);
/// # }
/// ```
pub const fn signed_len(header_len: usize, payload_len: usize) -> usize {
    base64url::encoded_len(header_len).saturating_add(base64url::encoded_len(payload_len)).saturating_add(2 + 43)
}

impl Hs256Key {
    /// Signs `payload` (a JSON claims set) under [`DEFAULT_HEADER`] and writes
    /// the compact token into `out`, returning it. Nothing is allocated.
    ///
    /// The payload must pass the checks [`verify`](crate::verify) makes
    /// before its claim rules: a strict JSON object, no repeated names, no
    /// deeper than [`DEFAULT_MAX_DEPTH`], registered claims of the right
    /// types (`malformed`, `invalid_claims`). `too_large` when `out` is
    /// shorter than [`signed_len`].
    ///
    /// ```
    /// use jwtcheck::{Hs256Key, Validation, verify};
    ///
    /// let key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
    /// let mut out = [0u8; 256];
    /// let token = key.sign(br#"{"sub":"user-1","aud":"authenticated","exp":2000000000}"#, &mut out)?;
    /// let claims = verify(token, &key, &Validation::new().audience("authenticated"), 1_900_000_000)?;
    /// assert!(claims.sub().unwrap() == "user-1");
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn sign<'o>(&self, payload: &[u8], out: &'o mut [u8]) -> Result<&'o str, Error> {
        self.sign_with_header(DEFAULT_HEADER.as_bytes(), payload, out)
    }

    /// [`sign`](Hs256Key::sign) with your own header bytes, used exactly as
    /// given. The header must pass the verifier's header checks: a strict
    /// JSON object of at most [`MAX_HEADER_LEN`] bytes whose `alg` is
    /// `HS256`, without `crit` or `b64` (`malformed`, `too_large`,
    /// `unsupported_algorithm`, `unsupported_header`).
    ///
    /// Reproduces RFC 7515 Appendix A.1 byte for byte:
    ///
    /// ```
    /// let key = jwtcheck::Hs256Key::from_base64(
    ///     "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
    /// )?;
    /// let header = b"{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
    /// let payload = b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
    /// let mut out = [0u8; 256];
    /// assert_eq!(
    ///     key.sign_with_header(header, payload, &mut out)?,
    ///     "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
    ///      .eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
    ///      .dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    /// );
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn sign_with_header<'o>(&self, header: &[u8], payload: &[u8], out: &'o mut [u8]) -> Result<&'o str, Error> {
        if header.len() > MAX_HEADER_LEN {
            return Err(Error::TooLarge);
        }
        let mut names = Names::new();
        header::check(header, DEFAULT_MAX_DEPTH, &mut names)?;
        let text = core::str::from_utf8(payload).map_err(|_| Error::Malformed)?;
        Registered::scan(text, DEFAULT_MAX_DEPTH, &mut names)?;

        let len = signed_len(header.len(), payload.len());
        let out = out.get_mut(..len).ok_or(Error::TooLarge)?;
        let header_len = base64url::encode(header, out)?.len();
        let (_, rest) = out.split_at_mut_checked(header_len).ok_or(Error::TooLarge)?;
        let (dot, rest) = rest.split_first_mut().ok_or(Error::TooLarge)?;
        *dot = b'.';
        let payload_len = base64url::encode(payload, rest)?.len();
        let signing_input_len = header_len.saturating_add(1).saturating_add(payload_len);
        let (signing_input, rest) = out.split_at_mut_checked(signing_input_len).ok_or(Error::TooLarge)?;
        let mut mac = self.start();
        mac.update(signing_input);
        let tag = mac.tag();
        let (dot, rest) = rest.split_first_mut().ok_or(Error::TooLarge)?;
        *dot = b'.';
        base64url::encode(&tag, rest)?;
        // Base64url characters and dots only.
        core::str::from_utf8(out).map_err(|_| Error::Malformed)
    }

    /// Serializes `claims` with serde-json-core (into a stack buffer of
    /// [`PAYLOAD_CAPACITY`] bytes: no allocation) and [signs](Hs256Key::sign)
    /// the result. `too_large` when the JSON or the token does not fit.
    ///
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Claims<'a> {
    ///     sub: &'a str,
    ///     aud: &'a str,
    ///     exp: u64,
    ///     role: &'a str,
    /// }
    ///
    /// let key = jwtcheck::Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
    /// let mut out = [0u8; 512];
    /// let claims = Claims { sub: "user-1", aud: "authenticated", exp: 2_000_000_000, role: "authenticated" };
    /// let token = key.sign_claims(&claims, &mut out)?;
    /// assert!(token.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn sign_claims<'o, T: Serialize + ?Sized>(&self, claims: &T, out: &'o mut [u8]) -> Result<&'o str, Error> {
        let mut json = [0u8; PAYLOAD_CAPACITY];
        let len = serde_json_core::to_slice(claims, &mut json).map_err(|_| Error::TooLarge)?;
        self.sign(json.get(..len).ok_or(Error::TooLarge)?, out)
    }
}
