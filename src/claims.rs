//! The verified payload: registered claims (RFC 7519 §4.1) and the raw JSON
//! for the caller's own types.

use core::fmt;

use serde::Deserialize;

use crate::json::{self, Kind, Names, Value, fingerprint_short};
use crate::json_str::JsonStr;
use crate::supabase::SupabaseClaims;
use crate::value::JsonValue;
use crate::{Claim, Error};

/// Bytes of decoded payload that [`Claims`] holds inline: enough for every
/// token within the default [`Validation::max_token_len`] of 8 KiB
/// (8 KiB of base64url carry 6 KiB).
///
/// [`Validation::max_token_len`]: crate::Validation::max_token_len
pub const PAYLOAD_CAPACITY: usize = 6 * 1024;

/// A NumericDate (RFC 7519 §2): seconds since the Unix epoch, in `[0, 2^64)`.
///
/// The JSON number may have a fraction or an exponent (`1.7e9`); it is read
/// exactly, without floating point. The whole seconds and whether a fraction
/// remains are kept, which is all the `exp`/`nbf` comparisons with an integer
/// `now` need: `exp = now - 0.5` is expired, `exp = now + 0.5` is not.
///
/// ```
/// use jwtcheck::NumericDate;
///
/// let exp = NumericDate::from_secs(1_767_265_845);
/// assert_eq!(exp.as_secs(), 1_767_265_845);
/// assert!(!exp.has_fraction());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NumericDate {
    secs: u64,
    fraction: bool,
}

impl NumericDate {
    /// A whole number of seconds.
    pub const fn from_secs(secs: u64) -> Self {
        NumericDate { secs, fraction: false }
    }

    /// The whole seconds (the value rounded down).
    pub const fn as_secs(self) -> u64 {
        self.secs
    }

    /// Whether the value had a non-zero fraction of a second.
    pub const fn has_fraction(self) -> bool {
        self.fraction
    }

    /// The value rounded up, which decides comparisons with an integer time:
    /// `t >= x` iff `t >= ceil(x)`, and `t < x` iff `t < ceil(x)`.
    pub(crate) fn ceil(self) -> u128 {
        u128::from(self.secs).saturating_add(u128::from(self.fraction))
    }

    /// Reads a JSON number (already checked against the RFC 8259 grammar).
    /// `None` when it is negative (a minus sign, even on zero) or `>= 2^64`.
    pub(crate) fn parse(text: &[u8]) -> Option<Self> {
        // The usual form: a plain integer of at most 19 digits fits a u64.
        if !text.is_empty() && text.len() <= 19 && text.iter().all(u8::is_ascii_digit) {
            let secs =
                text.iter().fold(0u64, |acc, &d| acc.wrapping_mul(10).wrapping_add(u64::from(d.wrapping_sub(b'0'))));
            return Some(NumericDate::from_secs(secs));
        }
        let (int, rest) = split_digits(text);
        let (frac, rest) = match rest.split_first() {
            Some((b'.', rest)) => split_digits(rest),
            _ => (&[][..], rest),
        };
        let exp: i64 = match rest.split_first() {
            Some((b'e' | b'E', rest)) => {
                let (negative, rest) = match rest.split_first() {
                    Some((b'-', rest)) => (true, rest),
                    Some((b'+', rest)) => (false, rest),
                    _ => (false, rest),
                };
                let (digits, rest) = split_digits(rest);
                if !rest.is_empty() {
                    return None;
                }
                // Saturate far beyond any meaningful exponent.
                let magnitude = digits.iter().fold(0i64, |acc, &d| {
                    acc.saturating_mul(10).saturating_add(i64::from(d.wrapping_sub(b'0'))).min(1 << 40)
                });
                if negative { magnitude.saturating_neg() } else { magnitude }
            }
            None => 0,
            // A minus sign (negative) or anything unexpected.
            Some(_) => return None,
        };
        if int.is_empty() {
            return None;
        }

        // value = D * 10^exp10, where D is the digit string int‖frac.
        let digit = |i: usize| -> u8 {
            match i.checked_sub(int.len()) {
                None => int.get(i).copied().unwrap_or(b'0'),
                Some(j) => frac.get(j).copied().unwrap_or(b'0'),
            }
        };
        let total = int.len().saturating_add(frac.len());
        let lead = (0..total).take_while(|&i| digit(i) == b'0').count();
        if lead == total {
            return Some(NumericDate::from_secs(0));
        }
        let trail = (0..total).rev().take_while(|&i| digit(i) == b'0').count();
        // The significant digits: first and last are non-zero.
        let sig = lead..total.saturating_sub(trail);
        let sig_len = sig.len() as i64;
        let exp10 = exp.saturating_sub(frac.len() as i64).saturating_add(trail as i64);

        let to_int = |digits: core::ops::Range<usize>| -> Option<u128> {
            digits
                .into_iter()
                .try_fold(0u128, |acc, i| acc.checked_mul(10)?.checked_add(u128::from(digit(i).wrapping_sub(b'0'))))
        };
        let (secs, fraction) = if exp10 >= 0 {
            // At most 20 digits fit below 2^64.
            if sig_len.saturating_add(exp10) > 20 {
                return None;
            }
            let scale = 10u128.checked_pow(u32::try_from(exp10).ok()?)?;
            (to_int(sig)?.checked_mul(scale)?, false)
        } else {
            let frac_digits = exp10.saturating_neg();
            if frac_digits >= sig_len {
                (0, true)
            } else {
                let whole_len = usize::try_from(sig_len.saturating_sub(frac_digits)).ok()?;
                if whole_len > 20 {
                    return None;
                }
                (to_int(sig.start..sig.start.saturating_add(whole_len))?, true)
            }
        };
        Some(NumericDate { secs: u64::try_from(secs).ok()?, fraction })
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    s.split_at_checked(n).unwrap_or((s, &[]))
}

/// Where a string claim sits in the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StrSpan {
    start: usize,
    end: usize,
    escaped: bool,
}

impl StrSpan {
    fn get<'a>(&self, payload: &'a str) -> Option<JsonStr<'a>> {
        payload.get(self.start..self.end).map(|raw| JsonStr::new(raw, self.escaped))
    }
}

/// Where `aud` sits in the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AudSpan {
    One(StrSpan),
    /// The array's text, brackets included; every element is a string.
    Many {
        start: usize,
        end: usize,
    },
}

/// The registered claims found in a payload, as positions into it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Registered {
    iss: Option<StrSpan>,
    sub: Option<StrSpan>,
    aud: Option<AudSpan>,
    exp: Option<NumericDate>,
    nbf: Option<NumericDate>,
    iat: Option<NumericDate>,
    jti: Option<StrSpan>,
}

impl Registered {
    /// No claims found (an empty cache slot).
    pub(crate) const EMPTY: Registered =
        Registered { iss: None, sub: None, aud: None, exp: None, nbf: None, iat: None, jti: None };

    /// Validates `payload` as a strict JSON object and reads the registered
    /// claims, checking their types in the order of RFC 7519 §4.1.
    pub(crate) fn scan(payload: &str, max_depth: usize, names: &mut Names) -> Result<Self, Error> {
        let mut found: [Option<Value>; 7] = [None; 7];
        json::scan_object(payload, max_depth, names, |name, value| {
            if let Some(slot) = registered_index(name).and_then(|i| found.get_mut(i)) {
                *slot = Some(value);
            }
        })?;
        let [iss, sub, aud, exp, nbf, iat, jti] = found;
        let bytes = payload.as_bytes();
        Ok(Registered {
            iss: string_claim(iss, Claim::Iss)?,
            sub: string_claim(sub, Claim::Sub)?,
            aud: aud_claim(bytes, aud)?,
            exp: date_claim(bytes, exp, Claim::Exp)?,
            nbf: date_claim(bytes, nbf, Claim::Nbf)?,
            iat: date_claim(bytes, iat, Claim::Iat)?,
            jti: string_claim(jti, Claim::Jti)?,
        })
    }

    pub(crate) fn has_aud(&self) -> bool {
        self.aud.is_some()
    }
}

const ISS: u64 = fingerprint_short(b"iss");
const SUB: u64 = fingerprint_short(b"sub");
const AUD: u64 = fingerprint_short(b"aud");
const EXP: u64 = fingerprint_short(b"exp");
const NBF: u64 = fingerprint_short(b"nbf");
const IAT: u64 = fingerprint_short(b"iat");
const JTI: u64 = fingerprint_short(b"jti");

/// The position of a registered claim in the order of RFC 7519 §4.1 (and of
/// the type checks), by the fingerprint of its unescaped name.
#[inline]
fn registered_index(fingerprint: u64) -> Option<usize> {
    match fingerprint {
        ISS => Some(0),
        SUB => Some(1),
        AUD => Some(2),
        EXP => Some(3),
        NBF => Some(4),
        IAT => Some(5),
        JTI => Some(6),
        _ => None,
    }
}

fn string_claim(value: Option<Value>, claim: Claim) -> Result<Option<StrSpan>, Error> {
    match value {
        None => Ok(None),
        Some(Value { kind: Kind::String, start, end, escaped }) => Ok(Some(StrSpan { start, end, escaped })),
        Some(_) => Err(Error::InvalidClaims(claim)),
    }
}

fn date_claim(payload: &[u8], value: Option<Value>, claim: Claim) -> Result<Option<NumericDate>, Error> {
    match value {
        None => Ok(None),
        Some(Value { kind: Kind::Number, start, end, .. }) => {
            payload.get(start..end).and_then(NumericDate::parse).map(Some).ok_or(Error::InvalidClaims(claim))
        }
        Some(_) => Err(Error::InvalidClaims(claim)),
    }
}

fn aud_claim(payload: &[u8], value: Option<Value>) -> Result<Option<AudSpan>, Error> {
    match value {
        None => Ok(None),
        Some(Value { kind: Kind::String, start, end, escaped }) => {
            Ok(Some(AudSpan::One(StrSpan { start, end, escaped })))
        }
        Some(Value { kind: Kind::Array, start, end, .. }) => {
            let array = payload.get(start..end).ok_or(Error::Malformed)?;
            if ArrayStrings::new(array).all(|element| element.is_some()) {
                Ok(Some(AudSpan::Many { start, end }))
            } else {
                Err(Error::InvalidClaims(Claim::Aud))
            }
        }
        Some(_) => Err(Error::InvalidClaims(Claim::Aud)),
    }
}

/// The elements of a validated JSON array: `Some` span for a string, `None`
/// for any other value.
struct ArrayStrings<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> ArrayStrings<'a> {
    fn new(array: &'a [u8]) -> Self {
        ArrayStrings { text: array, pos: 1 }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r' | b',') = self.text.get(self.pos) {
            self.pos = self.pos.saturating_add(1);
        }
    }
}

impl Iterator for ArrayStrings<'_> {
    type Item = Option<(usize, usize, bool)>;

    fn next(&mut self) -> Option<Self::Item> {
        self.skip_ws();
        match self.text.get(self.pos)? {
            b']' => None,
            b'"' => {
                let start = self.pos.saturating_add(1);
                let (end, escaped) = json::string_end(self.text, start);
                self.pos = end.saturating_add(1);
                Some(Some((start, end, escaped)))
            }
            _ => {
                // Not a string: the caller stops here.
                self.pos = self.text.len();
                Some(None)
            }
        }
    }
}

/// The audiences of a token: its `aud` string, or each string of its `aud`
/// array, unescaped on comparison. Empty when the token has no `aud`.
///
/// ```
/// # use jwtcheck::{Hs256Key, Validation, verify};
/// # let key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
/// # // {"alg":"HS256","typ":"JWT"} . {"aud":["web","mobile"],"exp":2000000000}
/// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOlsid2ViIiwibW9iaWxlIl0sImV4cCI6MjAwMDAwMDAwMH0.TQQLQUG9gbSCWxiMRg2QqFUFsJn_KRDeYiotJnLqrsM";
/// let claims = verify(token, &key, &Validation::new().audience("mobile"), 1_900_000_000)?;
/// let audiences: Vec<String> = claims.aud().map(|a| a.to_string()).collect();
/// assert_eq!(audiences, ["web", "mobile"]);
/// # Ok::<(), jwtcheck::Error>(())
/// ```
#[derive(Clone)]
pub struct Audiences<'a> {
    inner: AudiencesInner<'a>,
}

#[derive(Clone)]
enum AudiencesInner<'a> {
    One(Option<JsonStr<'a>>),
    Many { array: &'a str, pos: usize },
}

impl<'a> Iterator for Audiences<'a> {
    type Item = JsonStr<'a>;

    fn next(&mut self) -> Option<JsonStr<'a>> {
        match &mut self.inner {
            AudiencesInner::One(one) => one.take(),
            AudiencesInner::Many { array, pos } => {
                let mut it = ArrayStrings { text: array.as_bytes(), pos: *pos };
                let (start, end, escaped) = it.next()??;
                *pos = it.pos;
                array.get(start..end).map(|raw| JsonStr::new(raw, escaped))
            }
        }
    }
}

impl fmt::Debug for Audiences<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The claims of a verified token, borrowing the decoded payload from the
/// caller's buffer (see [`verify_in`](crate::verify_in)).
///
/// The registered claims come typed and already checked; everything else is
/// in [`payload`](ClaimsRef::payload), a strict, duplicate-free JSON object
/// that [`get`](ClaimsRef::get) reads in place and
/// [`deserialize`](ClaimsRef::deserialize) reads into your own type.
///
/// ```
/// use jwtcheck::{Hs256Key, NumericDate, Validation, verify_in};
///
/// let key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
/// # // {"alg":"HS256","typ":"JWT"} . {"sub":"u1","aud":["a","b"],"exp":2000000000,"tier":"gold"}
/// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImF1ZCI6WyJhIiwiYiJdLCJleHAiOjIwMDAwMDAwMDAsInRpZXIiOiJnb2xkIn0._UwBzOksQJ1YzufHPbqirPjVg0vDx12Pa6uELzFUS_k";
/// let mut buf = [0u8; 512];
/// let claims = verify_in(token, &key, &Validation::new().audience("b"), 1_900_000_000, &mut buf)?;
/// assert!(claims.sub().unwrap() == "u1");
/// assert_eq!(claims.aud().count(), 2);
/// assert_eq!(claims.exp(), Some(NumericDate::from_secs(2_000_000_000)));
/// assert!(claims.get("tier").and_then(|t| t.as_str()).unwrap() == "gold");
/// # Ok::<(), jwtcheck::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct ClaimsRef<'a> {
    payload: &'a str,
    registered: Registered,
}

impl<'a> ClaimsRef<'a> {
    pub(crate) fn new(payload: &'a str, registered: Registered) -> Self {
        ClaimsRef { payload, registered }
    }

    /// The decoded payload: the JSON claims set exactly as signed.
    pub fn payload(&self) -> &'a str {
        self.payload
    }

    /// The whole claims set as a [`JsonValue`] object, to read any member in
    /// place.
    pub fn json(&self) -> JsonValue<'a> {
        JsonValue::new(self.payload.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r')))
    }

    /// The member `name` of the claims set (compared after unescaping), for
    /// claims beyond the registered ones: `claims.get("role")`.
    pub fn get(&self, name: &str) -> Option<JsonValue<'a>> {
        self.json().get(name)
    }

    /// The claims as a typed Supabase token; see [`SupabaseClaims::new`].
    pub fn supabase(&self) -> Result<SupabaseClaims<'a>, Error> {
        SupabaseClaims::new(*self)
    }

    /// `iss` (RFC 7519 §4.1.1), when present.
    pub fn iss(&self) -> Option<JsonStr<'a>> {
        self.registered.iss.and_then(|s| s.get(self.payload))
    }

    /// `sub` (RFC 7519 §4.1.2), when present. For Supabase, the user's id.
    pub fn sub(&self) -> Option<JsonStr<'a>> {
        self.registered.sub.and_then(|s| s.get(self.payload))
    }

    /// Each audience in `aud` (RFC 7519 §4.1.3); empty when absent.
    pub fn aud(&self) -> Audiences<'a> {
        let inner = match self.registered.aud {
            None => AudiencesInner::One(None),
            Some(AudSpan::One(s)) => AudiencesInner::One(s.get(self.payload)),
            Some(AudSpan::Many { start, end }) => {
                AudiencesInner::Many { array: self.payload.get(start..end).unwrap_or_default(), pos: 1 }
            }
        };
        Audiences { inner }
    }

    /// Whether the token has an `aud` claim (possibly an empty array).
    pub(crate) fn has_aud(&self) -> bool {
        self.registered.has_aud()
    }

    /// `exp` (RFC 7519 §4.1.4), when present.
    pub fn exp(&self) -> Option<NumericDate> {
        self.registered.exp
    }

    /// `nbf` (RFC 7519 §4.1.5), when present.
    pub fn nbf(&self) -> Option<NumericDate> {
        self.registered.nbf
    }

    /// `iat` (RFC 7519 §4.1.6), when present. Not compared with `now`.
    pub fn iat(&self) -> Option<NumericDate> {
        self.registered.iat
    }

    /// `jti` (RFC 7519 §4.1.7), when present.
    pub fn jti(&self) -> Option<JsonStr<'a>> {
        self.registered.jti.and_then(|s| s.get(self.payload))
    }

    /// Deserializes the payload into `T` with the crate's own serde
    /// deserializer over the verified text. It never panics and allocates
    /// only what `T` itself allocates.
    ///
    /// Every serde type works: structs (`flatten`, `deny_unknown_fields`),
    /// maps with string, number or boolean keys, `serde_json::Value`,
    /// externally, internally and untagged enums, `Option`, sequences,
    /// tuples, numbers with exact range checks (`300` into a `u8` is an
    /// error, as is `1e400` into an `f64`).
    ///
    /// Strings are unescaped (Supabase writes `&` as `\u0026`): `String`,
    /// `heapless::String<N>` and `Cow<str>` receive `Smith & Sons`. A
    /// `&str` field borrows a string without escapes and refuses an escaped
    /// one with [`Claim::Field`]; `Cow<'a, str>` with `#[serde(borrow)]`
    /// borrows when it can, and [`JsonStr`] always borrows, escapes and
    /// all. An escaped string is unescaped into a stack buffer of
    /// [`UNESCAPE_BUFFER`](crate::UNESCAPE_BUFFER) bytes; a longer one is
    /// unescaped into a `String` with the `alloc` feature (part of `std`)
    /// and is an error without it, never truncated.
    ///
    /// Errors: `Error::InvalidClaims(Claim::Field(name))` when the field
    /// `name` is missing or does not fit, [`Claim::UnknownField`] for a
    /// member `deny_unknown_fields` refuses, and [`Claim::Custom`] outside
    /// any field.
    ///
    /// ```
    /// # use jwtcheck::{Claim, Error, Hs256Key, Validation, verify};
    /// # let key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
    /// # // {"alg":"HS256","typ":"JWT"} . {"exp":2000000000,"email":"a\u0026b@example.com","company":"Smith \u0026 Sons"}
    /// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjIwMDAwMDAwMDAsImVtYWlsIjoiYVx1MDAyNmJAZXhhbXBsZS5jb20iLCJjb21wYW55IjoiU21pdGggXHUwMDI2IFNvbnMifQ.7oysFmQAkddZdu_qY4ZUVQzuoCL3otvKSdvKQheJf2E";
    /// #[derive(serde::Deserialize)]
    /// struct User {
    ///     email: String,
    ///     company: heapless::String<64>,
    /// }
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Borrowed<'a> {
    ///     #[allow(dead_code)]
    ///     email: &'a str,
    /// }
    /// let claims = verify(token, &key, &Validation::new(), 1_900_000_000)?;
    /// let user: User = claims.deserialize()?;
    /// assert_eq!(user.email, "a&b@example.com");
    /// assert_eq!(user.company, "Smith & Sons");
    /// // A borrowed &str cannot hold the unescaped text: an error naming the field.
    /// let err = claims.deserialize::<Borrowed>().unwrap_err();
    /// assert_eq!(err, Error::InvalidClaims(Claim::Field("email")));
    /// # Ok::<(), jwtcheck::Error>(())
    /// ```
    pub fn deserialize<T: Deserialize<'a>>(&self) -> Result<T, Error> {
        crate::de::from_payload(self.payload)
    }
}

impl fmt::Debug for ClaimsRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimsRef").field("payload", &self.payload).finish()
    }
}

/// The claims of a verified token, owning the decoded payload (up to
/// [`PAYLOAD_CAPACITY`] bytes, inline: no allocation), as returned by
/// [`verify`](crate::verify).
///
/// Its size is that of the largest storage, a little over
/// [`PAYLOAD_CAPACITY`], but `verify` only writes (zeroes, then decodes
/// into) the part the token's length can need: 512 bytes for a token of up
/// to 682 characters, 1.5 KiB up to 2,048 characters, all of it above.
///
/// `Claims` is `'static` and `Send + Sync`, so it can be moved into request
/// extensions or across tasks. Its accessors are those of [`ClaimsRef`].
///
/// ```
/// use jwtcheck::{Claims, Hs256Key, Validation, verify};
///
/// let key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
/// # // {"alg":"HS256","typ":"JWT"} . {"sub":"u1","exp":2000000000}
/// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MjAwMDAwMDAwMH0.P56SBPyqffO6uCvKtwaPBep_4M6NZfxb68Ps44gGsZc";
/// let claims: Claims = verify(token, &key, &Validation::new(), 1_900_000_000)?;
/// // Owned: it outlives the token and crosses threads.
/// let handle = std::thread::spawn(move || claims.sub().map(|s| s.to_string()));
/// assert_eq!(handle.join().unwrap().as_deref(), Some("u1"));
/// # Ok::<(), jwtcheck::Error>(())
/// ```
#[derive(Clone)]
pub struct Claims {
    buf: Inline,
    len: usize,
    registered: Registered,
}

/// `Claims`' storage, sized to the token: a safe array must be zeroed before
/// the decoder writes it, and only the variant built is written, so a
/// Supabase-sized token clears 1.5 KiB instead of [`PAYLOAD_CAPACITY`]
/// (callgrind, instructions per verify of the benchmark's Supabase token:
/// 69,891 with one 6 KiB array, 64,023 now). The tier is chosen
/// from the token's length, an upper bound on its decoded payload, so a
/// token never meets a smaller buffer than `PAYLOAD_CAPACITY` would give it.
// The size difference is the point: only the variant built is written.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Inline {
    Small([u8; SMALL_CAPACITY]),
    Medium([u8; MEDIUM_CAPACITY]),
    Full([u8; PAYLOAD_CAPACITY]),
}

/// Tokens of up to 682 characters.
const SMALL_CAPACITY: usize = 512;
/// Tokens of up to 2,048 characters: Supabase's are 800 to 1,500.
const MEDIUM_CAPACITY: usize = 1536;

impl Claims {
    /// Storage for a token of `token_len` bytes: every segment of it decodes
    /// into at most `floor(3 * token_len / 4)` bytes.
    pub(crate) fn for_token(token_len: usize) -> Self {
        let need = crate::base64url::decoded_len_floor(token_len);
        let buf = if need <= SMALL_CAPACITY {
            Inline::Small([0; SMALL_CAPACITY])
        } else if need <= MEDIUM_CAPACITY {
            Inline::Medium([0; MEDIUM_CAPACITY])
        } else {
            Inline::Full([0; PAYLOAD_CAPACITY])
        };
        Claims { buf, len: 0, registered: Registered::default() }
    }

    pub(crate) fn buffer(&mut self) -> &mut [u8] {
        match &mut self.buf {
            Inline::Small(b) => b,
            Inline::Medium(b) => b,
            Inline::Full(b) => b,
        }
    }

    fn bytes(&self) -> &[u8] {
        match &self.buf {
            Inline::Small(b) => b,
            Inline::Medium(b) => b,
            Inline::Full(b) => b,
        }
    }

    pub(crate) fn set(&mut self, len: usize, registered: Registered) {
        self.len = len;
        self.registered = registered;
    }

    /// A borrowed view with the same accessors.
    pub fn as_claims_ref(&self) -> ClaimsRef<'_> {
        let payload = self.bytes().get(..self.len).unwrap_or_default();
        // The buffer only ever holds a payload that passed UTF-8 validation.
        ClaimsRef::new(core::str::from_utf8(payload).unwrap_or_default(), self.registered)
    }

    /// See [`ClaimsRef::payload`].
    pub fn payload(&self) -> &str {
        self.as_claims_ref().payload()
    }

    /// See [`ClaimsRef::json`].
    pub fn json(&self) -> JsonValue<'_> {
        self.as_claims_ref().json()
    }

    /// See [`ClaimsRef::get`].
    pub fn get(&self, name: &str) -> Option<JsonValue<'_>> {
        self.as_claims_ref().get(name)
    }

    /// See [`ClaimsRef::supabase`].
    pub fn supabase(&self) -> Result<SupabaseClaims<'_>, Error> {
        self.as_claims_ref().supabase()
    }

    /// See [`ClaimsRef::iss`].
    pub fn iss(&self) -> Option<JsonStr<'_>> {
        self.as_claims_ref().iss()
    }

    /// See [`ClaimsRef::sub`].
    pub fn sub(&self) -> Option<JsonStr<'_>> {
        self.as_claims_ref().sub()
    }

    /// See [`ClaimsRef::aud`].
    pub fn aud(&self) -> Audiences<'_> {
        self.as_claims_ref().aud()
    }

    /// See [`ClaimsRef::exp`].
    pub fn exp(&self) -> Option<NumericDate> {
        self.registered.exp
    }

    /// See [`ClaimsRef::nbf`].
    pub fn nbf(&self) -> Option<NumericDate> {
        self.registered.nbf
    }

    /// See [`ClaimsRef::iat`].
    pub fn iat(&self) -> Option<NumericDate> {
        self.registered.iat
    }

    /// See [`ClaimsRef::jti`].
    pub fn jti(&self) -> Option<JsonStr<'_>> {
        self.as_claims_ref().jti()
    }

    /// See [`ClaimsRef::deserialize`].
    pub fn deserialize<'a, T: Deserialize<'a>>(&'a self) -> Result<T, Error> {
        self.as_claims_ref().deserialize()
    }
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claims").field("payload", &self.payload()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<(u64, bool)> {
        NumericDate::parse(s.as_bytes()).map(|d| (d.as_secs(), d.has_fraction()))
    }

    #[test]
    fn numeric_dates_are_read_exactly() {
        assert_eq!(date("0"), Some((0, false)));
        assert_eq!(date("1767265845"), Some((1767265845, false)));
        assert_eq!(date("1.7e9"), Some((1_700_000_000, false)));
        assert_eq!(date("1.7E+9"), Some((1_700_000_000, false)));
        assert_eq!(date("17e-1"), Some((1, true)));
        assert_eq!(date("1767265845.5"), Some((1767265845, true)));
        assert_eq!(date("1767265845.000"), Some((1767265845, false)));
        assert_eq!(date("0.0000001e7"), Some((1, false)));
        assert_eq!(date("0.00000012e7"), Some((1, true)));
        assert_eq!(date("1e-400"), Some((0, true)));
        assert_eq!(date("0e400"), Some((0, false)));
        assert_eq!(date("0.0"), Some((0, false)));
        assert_eq!(date("1e3"), Some((1000, false)));
        assert_eq!(date("18446744073709551615"), Some((u64::MAX, false)));
        assert_eq!(date("18446744073709551615.9"), Some((u64::MAX, true)));
        assert_eq!(date("1844674407370955161.5e1"), Some((u64::MAX, false)));
        assert_eq!(date("18446744073709551616"), None);
        assert_eq!(date("18446744073709551616e-1"), Some((1844674407370955161, true)));
        assert_eq!(date("1e19"), Some((10_000_000_000_000_000_000, false)));
        assert_eq!(date("1e20"), None);
        assert_eq!(date("1e400"), None);
        assert_eq!(date("1e99999999999999999999999"), None);
        assert_eq!(date("-1"), None);
        assert_eq!(date("-0"), None);
        assert_eq!(date("-0.0"), None);
        assert_eq!(date("100000000000000000000000e-4"), Some((10_000_000_000_000_000_000, false)));
    }

    #[test]
    fn ceil_decides_integer_comparisons() {
        assert_eq!(NumericDate::parse(b"10.5").map(NumericDate::ceil), Some(11));
        assert_eq!(NumericDate::parse(b"10").map(NumericDate::ceil), Some(10));
        assert_eq!(NumericDate::parse(b"18446744073709551615.5").map(NumericDate::ceil), Some(1u128 << 64));
    }

    fn scan(doc: &str) -> Result<ClaimsRef<'_>, Error> {
        Registered::scan(doc, 32, &mut Names::new()).map(|r| ClaimsRef::new(doc, r))
    }

    #[test]
    fn registered_claims_are_typed() {
        let c = scan(r#"{"iss":"i","sub":"s\u0021","aud":["a","\u0062"],"exp":5,"nbf":1.5,"iat":0,"jti":"j","x":[1]}"#)
            .unwrap();
        assert!(c.iss().unwrap() == "i");
        assert!(c.sub().unwrap() == "s!");
        let mut aud = c.aud();
        assert!(aud.next().unwrap() == "a");
        assert!(aud.next().unwrap() == "b");
        assert!(aud.next().is_none());
        assert_eq!(c.exp(), Some(NumericDate::from_secs(5)));
        assert_eq!(c.nbf().map(|d| (d.as_secs(), d.has_fraction())), Some((1, true)));
        assert_eq!(c.iat(), Some(NumericDate::from_secs(0)));
        assert!(c.jti().unwrap() == "j");
        let c = scan(r#"{"aud":"x"}"#).unwrap();
        assert_eq!(c.aud().count(), 1);
        let c = scan(r#"{"aud":[]}"#).unwrap();
        assert_eq!(c.aud().count(), 0);
        assert!(c.registered.has_aud());
        let c = scan("{}").unwrap();
        assert_eq!(c.aud().count(), 0);
        assert!(!c.registered.has_aud());
    }

    #[test]
    fn wrong_types_name_the_claim() {
        for (doc, claim) in [
            (r#"{"iss":1}"#, Claim::Iss),
            (r#"{"iss":["a"]}"#, Claim::Iss),
            (r#"{"sub":null}"#, Claim::Sub),
            (r#"{"aud":123}"#, Claim::Aud),
            (r#"{"aud":null}"#, Claim::Aud),
            (r#"{"aud":["a",1]}"#, Claim::Aud),
            (r#"{"aud":[["a"]]}"#, Claim::Aud),
            (r#"{"aud":{"a":1}}"#, Claim::Aud),
            (r#"{"exp":"123"}"#, Claim::Exp),
            (r#"{"exp":null}"#, Claim::Exp),
            (r#"{"exp":true}"#, Claim::Exp),
            (r#"{"exp":-1}"#, Claim::Exp),
            (r#"{"exp":1e400}"#, Claim::Exp),
            (r#"{"nbf":18446744073709551616}"#, Claim::Nbf),
            (r#"{"iat":[1]}"#, Claim::Iat),
            (r#"{"jti":5}"#, Claim::Jti),
            (r#"{"\u0065xp":"1"}"#, Claim::Exp),
            // Fixed order: iss is checked before exp whatever the document order.
            (r#"{"exp":"1","iss":2}"#, Claim::Iss),
        ] {
            assert_eq!(scan(doc).map(|_| ()), Err(Error::InvalidClaims(claim)), "{doc}");
        }
        // Malformed JSON wins over claim types: the whole document is checked first.
        assert_eq!(scan(r#"{"exp":"1","x":tru}"#).map(|_| ()), Err(Error::Malformed));
    }
}
