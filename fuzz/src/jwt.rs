//! The verdict oracle: the README's "What is checked, in order" (its step
//! numbers), restated plainly over `serde_json`, the `base64` crate and
//! `hmac`/`sha2`.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, KeyInit, Mac};
use jwtcheck::{Claim, ClaimsRef, Error, JsonStr, Validation};
use sha2::Sha256;

use crate::date::numeric_date;
use crate::json::{J, parse_object};

/// Strict unpadded base64url (RFC 7515 §2): URL-safe alphabet, no padding
/// accepted or written, non-zero trailing bits refused.
pub const STRICT_B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// The crate's constants, restated (checked against the crate in `tests`).
pub const MAX_HEADER_LEN: usize = 1024;
pub const PAYLOAD_CAPACITY: usize = 6 * 1024;
pub const DEFAULT_MAX_TOKEN_LEN: usize = 8 * 1024;
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// The secret of the fuzz targets' key (40 bytes, like the tests').
pub const SECRET: &[u8] = b"jwtcheck-test-secret-0123456789-abcdefgh";

/// Strings the audience and issuer settings pick from; the seeds and the
/// dictionary use them too. Escaped spellings of them in tokens must match.
pub const POOL: [&str; 8] =
    ["authenticated", "anon", "a", "", "é", "😀", "x\"y\\", "https://kqzrvxwlmtpbhdcnsjfg.supabase.co/auth/v1"];

pub fn b64(data: &[u8]) -> String {
    STRICT_B64URL.encode(data)
}

pub fn hmac_sha256(secret: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// `b64(header).b64(payload).b64(HMAC)` under `secret`.
pub fn sign(secret: &[u8], header: &[u8], payload: &[u8]) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let tag = hmac_sha256(secret, input.as_bytes());
    format!("{input}.{}", b64(&tag))
}

/// Names set with the one-name method (`audience`, `issuer`) or the slice
/// one (`audiences`, `issuers`).
#[derive(Clone, Copy, Debug)]
pub enum Names {
    One(&'static str),
    Many(&'static [&'static str]),
}

impl Names {
    pub fn contains(&self, s: &str) -> bool {
        match *self {
            Names::One(one) => one == s,
            Names::Many(many) => many.contains(&s),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Audience {
    /// The default: a token with any `aud` is refused.
    RejectAny,
    AcceptAny,
    OneOf(Names),
}

/// What a `Validation` is set to, plus the buffer `verify` decodes into.
#[derive(Clone, Debug)]
pub struct Config {
    pub audience: Audience,
    pub issuers: Option<Names>,
    pub leeway: u64,
    pub require_exp: bool,
    pub max_token_len: usize,
    /// As passed to `Validation::max_depth` (the crate clamps it to 64).
    pub max_depth: usize,
    /// `PAYLOAD_CAPACITY` for `verify`, the buffer's length for `verify_in`.
    pub buf_len: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            audience: Audience::RejectAny,
            issuers: None,
            leeway: 0,
            require_exp: true,
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
            max_depth: DEFAULT_MAX_DEPTH,
            buf_len: PAYLOAD_CAPACITY,
        }
    }
}

impl Config {
    /// The crate's `Validation` for this configuration.
    pub fn validation(&self) -> Validation<'static> {
        let mut v = Validation::new().leeway(self.leeway).max_token_len(self.max_token_len).max_depth(self.max_depth);
        v = match self.audience {
            Audience::RejectAny => v,
            Audience::AcceptAny => v.accept_any_audience(),
            Audience::OneOf(Names::One(one)) => v.audience(one),
            Audience::OneOf(Names::Many(many)) => v.audiences(many),
        };
        v = match self.issuers {
            None => v,
            Some(Names::One(one)) => v.issuer(one),
            Some(Names::Many(many)) => v.issuers(many),
        };
        if !self.require_exp {
            v = v.allow_missing_exp();
        }
        v
    }
}

/// What an accepted token's claims must read as (strings unescaped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    pub payload: Vec<u8>,
    pub iss: Option<String>,
    pub sub: Option<String>,
    pub aud: Vec<String>,
    pub exp: Option<(u64, bool)>,
    pub nbf: Option<(u64, bool)>,
    pub iat: Option<(u64, bool)>,
    pub jti: Option<String>,
}

impl Expected {
    /// The same fields read from the crate's claims (each string through
    /// [`json_str`], which checks that `JsonStr`'s views agree).
    pub fn of(claims: &ClaimsRef<'_>) -> Expected {
        let date = |d: Option<jwtcheck::NumericDate>| d.map(|d| (d.as_secs(), d.has_fraction()));
        Expected {
            payload: claims.payload().as_bytes().to_vec(),
            iss: claims.iss().map(json_str),
            sub: claims.sub().map(json_str),
            aud: claims.aud().map(json_str).collect(),
            exp: date(claims.exp()),
            nbf: date(claims.nbf()),
            iat: date(claims.iat()),
            jti: claims.jti().map(json_str),
        }
    }
}

/// The unescaped string, after checking that every way `JsonStr` offers to
/// read it (`Display`, `chars`, `unescaped_len`, `unescape_into`, `as_str`,
/// the comparisons) says the same.
pub fn json_str(s: JsonStr<'_>) -> String {
    let text = s.to_string();
    assert_eq!(s.chars().collect::<String>(), text, "chars() and Display differ on {:?}", s.raw());
    assert_eq!(s.unescaped_len(), text.len(), "unescaped_len of {:?}", s.raw());
    let mut buf = vec![0u8; text.len()];
    assert_eq!(s.unescape_into(&mut buf), Ok(text.as_str()), "unescape_into of {:?}", s.raw());
    if !text.is_empty() {
        let mut short = vec![0u8; text.len() - 1];
        assert_eq!(s.unescape_into(&mut short), Err(Error::TooLarge), "unescape_into, short, of {:?}", s.raw());
    }
    assert_eq!(s.has_escapes(), s.raw().contains('\\'), "has_escapes of {:?}", s.raw());
    assert_eq!(s.as_str(), (!s.has_escapes()).then_some(text.as_str()), "as_str of {:?}", s.raw());
    assert!(s == text.as_str(), "JsonStr == its own text: {:?}", s.raw());
    assert!(s.eq_ignore_ascii_case(&text.to_ascii_uppercase()), "eq_ignore_ascii_case of {:?}", s.raw());
    let debug: String = text.chars().flat_map(char::escape_debug).collect();
    assert_eq!(format!("{s:?}"), format!("\"{debug}\""), "Debug of {:?}", s.raw());
    text
}

/// The checks on the views of a verified token's claims that the oracle
/// does not model: `JsonStr == JsonStr` against the unescaped texts, and
/// the `Debug` forms.
pub fn check_views(claims: &ClaimsRef<'_>) {
    let strings: Vec<JsonStr<'_>> = claims.aud().chain(claims.iss()).chain(claims.sub()).chain(claims.jti()).collect();
    for a in &strings {
        for b in &strings {
            assert_eq!(a == b, a.to_string() == b.to_string(), "JsonStr == JsonStr: {:?} {:?}", a.raw(), b.raw());
        }
    }
    let aud: Vec<String> = claims.aud().map(|a| format!("{a:?}")).collect();
    assert_eq!(format!("{:?}", claims.aud()), format!("[{}]", aud.join(", ")), "Debug of Audiences");
    assert_eq!(format!("{claims:?}"), format!("ClaimsRef {{ payload: {:?} }}", claims.payload()), "Debug of ClaimsRef");
}

/// An error's `Display`: its kind, then a fixed message naming the claim.
pub fn check_display(error: Error) {
    let text = error.to_string();
    assert!(text.starts_with(&format!("{}: ", error.kind())), "{text}");
    if let Error::InvalidClaims(claim) = error {
        assert!(text.contains(&format!("the {} claim", claim.name())), "{text}");
    }
}

/// Strict UTF-8, then [`parse_object`]: anything refused is `Malformed`.
fn json_object(bytes: &[u8], max_depth: usize) -> Result<J, Error> {
    let text = std::str::from_utf8(bytes).map_err(|_| Error::Malformed)?;
    parse_object(text, max_depth).map_err(|_| Error::Malformed)
}

/// The decoded size the crate's caps look at before decoding:
/// `floor(3n / 4)` for `n` characters.
pub fn size_estimate(chars: usize) -> usize {
    chars * 3 / 4
}

/// `typ`: optional `application/` (any case), then `jwt` (any case) or a
/// subtype longer than 4 bytes, without `/`, ending in `+jwt` (any case).
/// Longer than 255 bytes (unescaped) is refused: see the crate's
/// `MAX_TYP_LEN` (RFC 6838 §4.2 caps a media type at 127/127).
pub fn typ_ok(typ: &str) -> bool {
    if typ.len() > 255 {
        return false;
    }
    let lower = typ.to_ascii_lowercase();
    let subtype = lower.strip_prefix("application/").unwrap_or(&lower);
    subtype == "jwt" || (subtype.len() > 4 && subtype.ends_with("+jwt") && !subtype.contains('/'))
}

/// `cty` names a nested JWT: `JWT` or `application/jwt`, any ASCII case.
pub fn cty_is_jwt(cty: &str) -> bool {
    cty.eq_ignore_ascii_case("jwt") || cty.eq_ignore_ascii_case("application/jwt")
}

/// The one key a target verifies with, as the oracle judges step 6 for it.
#[derive(Clone, Copy, Debug)]
pub enum OracleKey<'a> {
    /// An HS256 key with this secret: the signature must be its HMAC-SHA256.
    Hs256(&'a [u8]),
    /// An ES256 key. The target signed the signing input itself, so the one
    /// valid signature is the 64-byte `r ‖ s` it made (low-S or high-S); any
    /// other 64 bytes are a tampered signature.
    Es256(&'a [u8; 64]),
    /// An RS256 key. PKCS#1 v1.5 signatures are deterministic: the one
    /// valid signature is the one the target made, as long as the modulus.
    Rs256(&'a [u8]),
    /// An EdDSA (Ed25519) key. Signatures are deterministic, and under the
    /// strict verification rules the one the target made is the only valid
    /// one it can meet.
    EdDsa(&'a [u8; 64]),
}

impl OracleKey<'_> {
    /// The `alg` this key verifies (README, step 5: a single key's
    /// algorithm must be the token's).
    fn alg(&self) -> &'static str {
        match self {
            OracleKey::Hs256(_) => "HS256",
            OracleKey::Es256(_) => "ES256",
            OracleKey::Rs256(_) => "RS256",
            OracleKey::EdDsa(_) => "EdDSA",
        }
    }

    /// The signature's length in base64url characters: 32 or 64 bytes, or
    /// the RSA modulus length.
    fn signature_chars(&self) -> usize {
        match self {
            OracleKey::Hs256(_) => 43,
            OracleKey::Es256(_) | OracleKey::EdDsa(_) => 86,
            OracleKey::Rs256(made) => (made.len() * 4).div_ceil(3),
        }
    }
}

/// The oracle's verdict on `token` under `secret` (an HS256 key), `cfg` and `now`.
pub fn verdict(token: &[u8], secret: &[u8], cfg: &Config, now: u64) -> Result<Expected, Error> {
    verdict_with(token, OracleKey::Hs256(secret), cfg, now)
}

/// The oracle's verdict on `token` verified with the single key `key`.
pub fn verdict_with(token: &[u8], key: OracleKey<'_>, cfg: &Config, now: u64) -> Result<Expected, Error> {
    let depth = cfg.max_depth;
    // 1. Length cap first.
    if token.len() > cfg.max_token_len {
        return Err(Error::TooLarge);
    }
    // 2. Exactly three segments.
    let parts: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
    let [h, p, s] = parts[..] else {
        return Err(Error::Malformed);
    };
    // 3. The decoded header and payload against their caps.
    let (h_est, p_est) = (size_estimate(h.len()), size_estimate(p.len()));
    if h_est > MAX_HEADER_LEN || h_est > cfg.buf_len || p_est > cfg.buf_len {
        return Err(Error::TooLarge);
    }
    // 4. Header: base64url, UTF-8, JSON object; then alg (one this build
    // implements, whatever the key), crit/b64, cty, typ, kid.
    let header = STRICT_B64URL.decode(h).map_err(|_| Error::Malformed)?;
    let header = json_object(&header, depth)?;
    let alg = match header.get("alg") {
        Some(J::Str(alg)) if alg == "HS256" || alg == "ES256" || alg == "RS256" || alg == "EdDSA" => alg.clone(),
        _ => return Err(Error::UnsupportedAlgorithm),
    };
    if header.get("crit").is_some() || header.get("b64").is_some() {
        return Err(Error::UnsupportedHeader);
    }
    match header.get("cty") {
        None => {}
        Some(J::Str(cty)) if !cty_is_jwt(cty) => {}
        Some(_) => return Err(Error::UnsupportedHeader),
    }
    match header.get("typ") {
        None => {}
        Some(J::Str(typ)) if typ_ok(typ) => {}
        Some(_) => return Err(Error::UnsupportedHeader),
    }
    match header.get("kid") {
        None | Some(J::Str(_)) => {}
        Some(_) => return Err(Error::Malformed),
    }
    // 5. Key: the single key's algorithm must be the token's.
    if alg != key.alg() {
        return Err(Error::UnsupportedAlgorithm);
    }
    // 6. Signature: strict base64url, the algorithm's length, then valid.
    let signature = STRICT_B64URL.decode(s).map_err(|_| Error::Malformed)?;
    if s.len() != key.signature_chars() {
        return Err(Error::InvalidSignature);
    }
    let signing_input = &token[..h.len() + 1 + p.len()];
    let valid = match key {
        OracleKey::Hs256(secret) => signature[..] == hmac_sha256(secret, signing_input)[..],
        OracleKey::Es256(made) => signature[..] == made[..],
        OracleKey::Rs256(made) => signature[..] == made[..],
        OracleKey::EdDsa(made) => signature[..] == made[..],
    };
    if !valid {
        return Err(Error::InvalidSignature);
    }
    // 7. Payload, only now.
    let payload_bytes = STRICT_B64URL.decode(p).map_err(|_| Error::Malformed)?;
    let payload = json_object(&payload_bytes, depth)?;
    let string = |name: &str, claim: Claim| match payload.get(name) {
        None => Ok(None),
        Some(J::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::InvalidClaims(claim)),
    };
    let date = |name: &str, claim: Claim| match payload.get(name) {
        None => Ok(None),
        Some(J::Num(text)) => numeric_date(text).map(Some).ok_or(Error::InvalidClaims(claim)),
        Some(_) => Err(Error::InvalidClaims(claim)),
    };
    let iss = string("iss", Claim::Iss)?;
    let sub = string("sub", Claim::Sub)?;
    let aud = match payload.get("aud") {
        None => None,
        Some(J::Str(one)) => Some(vec![one.clone()]),
        Some(J::Arr(items)) => Some(
            items
                .iter()
                .map(|item| match item {
                    J::Str(s) => Ok(s.clone()),
                    _ => Err(Error::InvalidClaims(Claim::Aud)),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err(Error::InvalidClaims(Claim::Aud)),
    };
    let exp = date("exp", Claim::Exp)?;
    let nbf = date("nbf", Claim::Nbf)?;
    let iat = date("iat", Claim::Iat)?;
    let jti = string("jti", Claim::Jti)?;

    // 8-11. Time, issuer, audience. Exact integer arithmetic, no saturation
    // needed in u128: ceil(x) <= 2^64 and leeway < 2^64.
    let ceil = |(secs, fraction): (u64, bool)| secs as u128 + fraction as u128;
    let (now, leeway) = (now as u128, cfg.leeway as u128);
    match exp {
        Some(exp) if now >= ceil(exp) + leeway => return Err(Error::Expired),
        None if cfg.require_exp => return Err(Error::InvalidClaims(Claim::Exp)),
        _ => {}
    }
    if let Some(nbf) = nbf
        && now + leeway < ceil(nbf)
    {
        return Err(Error::NotYetValid);
    }
    if let Some(issuers) = cfg.issuers
        && !iss.as_ref().is_some_and(|iss| issuers.contains(iss))
    {
        return Err(Error::InvalidIssuer);
    }
    match cfg.audience {
        Audience::AcceptAny => {}
        Audience::RejectAny => {
            if aud.is_some() {
                return Err(Error::InvalidAudience);
            }
        }
        Audience::OneOf(names) => {
            if !aud.iter().flatten().any(|a| names.contains(a)) {
                return Err(Error::InvalidAudience);
            }
        }
    }
    Ok(Expected { payload: payload_bytes, iss, sub, aud: aud.unwrap_or_default(), exp, nbf, iat, jti })
}

/// Whether `value` is an `Authorization` value `bearer_token` accepts:
/// `Bearer` in any ASCII case, one or more spaces, a token68
/// (RFC 6750 §2.1: `[A-Za-z0-9-._~+/]+ =*`), nothing else. Returns the token.
pub fn bearer_oracle(value: &[u8]) -> Option<&[u8]> {
    let scheme = value.get(..6)?;
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return None;
    }
    let rest = &value[6..];
    let token = rest.trim_ascii_start();
    let spaces = rest.len() - token.len();
    if spaces == 0 || rest[..spaces].iter().any(|&b| b != b' ') {
        return None;
    }
    let body = token.iter().take_while(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(b)).count();
    let ok = body > 0 && token[body..].iter().all(|&b| b == b'=');
    ok.then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_crate() {
        assert_eq!(MAX_HEADER_LEN, jwtcheck::MAX_HEADER_LEN);
        assert_eq!(PAYLOAD_CAPACITY, jwtcheck::PAYLOAD_CAPACITY);
        assert_eq!(DEFAULT_MAX_TOKEN_LEN, jwtcheck::DEFAULT_MAX_TOKEN_LEN);
        assert_eq!(DEFAULT_MAX_DEPTH, jwtcheck::DEFAULT_MAX_DEPTH);
        assert_eq!(crate::json::DEPTH_CEILING, jwtcheck::MAX_DEPTH_LIMIT);
    }

    #[test]
    fn header_checks_come_before_the_key() {
        let cfg = Config { require_exp: false, ..Config::default() };
        let hs = |header: &str| verdict(sign(SECRET, header.as_bytes(), b"{}").as_bytes(), SECRET, &cfg, 0);
        assert_eq!(hs(r#"{"alg":"HS256"}"#).map(|e| e.payload), Ok(b"{}".to_vec()));
        assert_eq!(hs(r#"{"alg":"HS256","kid":1}"#), Err(Error::Malformed));
        assert_eq!(hs(r#"{"alg":"ES256","kid":1}"#), Err(Error::Malformed));
        assert_eq!(hs(r#"{"alg":"ES256","crit":[]}"#), Err(Error::UnsupportedHeader));
        assert_eq!(hs(r#"{"alg":"ES256"}"#), Err(Error::UnsupportedAlgorithm));
        assert_eq!(hs(r#"{"alg":"RS256","crit":[]}"#), Err(Error::UnsupportedAlgorithm));
        let token = format!("{}.{}.{}", b64(br#"{"alg":"ES256"}"#), b64(b"{}"), b64(&[7; 64]));
        let es = |made: &[u8; 64]| verdict_with(token.as_bytes(), OracleKey::Es256(made), &cfg, 0).map(|e| e.payload);
        assert_eq!(es(&[7; 64]), Ok(b"{}".to_vec()));
        assert_eq!(es(&[8; 64]), Err(Error::InvalidSignature));
    }

    #[test]
    fn typ_rule() {
        for ok in ["JWT", "jwt", "at+jwt", "application/at+JWT", "APPLICATION/JWT", "é+jwt"] {
            assert!(typ_ok(ok), "{ok}");
        }
        for bad in ["", "+jwt", "a/b+jwt", "application/+jwt", "JOSE", "application/a/b+jwt", " jwt"] {
            assert!(!typ_ok(bad), "{bad}");
        }
    }

    #[test]
    fn bearer_rule() {
        assert_eq!(bearer_oracle(b"Bearer a.b.c"), Some(&b"a.b.c"[..]));
        assert_eq!(bearer_oracle(b"bearer   x=="), Some(&b"x=="[..]));
        for bad in [&b"Bearer"[..], b"Bearer ", b"Bearer\ta", b"Bearer a ", b"Bearer =", b"Bearer a=b", b"Bearer \t a"]
        {
            assert_eq!(bearer_oracle(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
