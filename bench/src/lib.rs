//! Shared inputs for the benchmarks: the tokens, the HMAC floor, and the
//! three verifiers (jwtcheck, jsonwebtoken, jwt-simple) set up with
//! equivalent validation (signature, exp with no leeway, aud, iss).
//!
//! The peers read the system clock, so every accepted token expires in 2100;
//! jwtcheck is given the same "now" explicitly.

use std::collections::HashSet;
use std::time::Duration;

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::backend::Backend;

pub mod backend;
pub mod eddsa;
pub mod es256;
pub mod rs256;

/// The Supabase sample secret (raw UTF-8 bytes).
pub const SUPABASE_SECRET: &[u8] = b"super-secret-jwt-token-with-at-least-32-characters-long";

/// The issuer of the Supabase sample tokens.
pub const ISSUER: &str = "https://kqzrvxwlmtpbhdcnsjfg.supabase.co/auth/v1";

/// The audience of Supabase access tokens.
pub const AUDIENCE: &str = "authenticated";

/// 2100-01-01: the `exp` of every accepted benchmark token.
pub const EXP_2100: u64 = 4_102_444_800;

/// The `email_user` token of `tests/data/supabase.json` and a time before its exp.
pub fn supabase_email_user() -> (String, u64) {
    let t = supabase_sample("email_user");
    (t["token"].as_str().expect("token").to_owned(), t["iat"].as_u64().expect("iat"))
}

fn supabase_sample(name: &str) -> serde_json::Value {
    let text = include_str!("../../tests/data/supabase.json");
    let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    v["tokens"].as_array().expect("tokens").iter().find(|t| t["name"] == name).expect("sample").clone()
}

/// `tests/data/supabase-asymmetric.json`: the served JWKS, its test-only
/// private keys, the OKP key and the asymmetric sample tokens.
pub(crate) fn asymmetric_fixture() -> serde_json::Value {
    serde_json::from_str(include_str!("../../tests/data/supabase-asymmetric.json")).expect("valid JSON")
}

/// The base64url member `name` of a JWK, decoded.
pub(crate) fn b64_field(v: &serde_json::Value, name: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(v[name].as_str().expect(name)).expect("base64url")
}

/// The asymmetric sample `name`: its header, its `kid`, and its payload with
/// `exp` moved to 2100 (same length), to be signed again by the caller.
pub(crate) fn asymmetric_sample(fixture: &serde_json::Value, name: &str) -> (String, serde_json::Value, String) {
    let sample = fixture["tokens"].as_array().expect("tokens").iter().find(|t| t["name"] == name).expect("the sample");
    let header = sample["header"].as_str().expect("header");
    let kid = serde_json::from_str::<serde_json::Value>(header).expect("header JSON")["kid"].clone();
    let exp = sample["exp"].as_u64().expect("exp").to_string();
    assert_eq!(exp.len(), EXP_2100.to_string().len());
    let payload = sample["payload"].as_str().expect("payload").replace(&exp, &EXP_2100.to_string());
    (header.to_owned(), kid, payload)
}

/// The member of the JWK set `set` (a `{"keys":[..]}` value) whose `kid` is `kid`.
pub(crate) fn jwk_by_kid(set: &serde_json::Value, kid: &serde_json::Value) -> serde_json::Value {
    set["keys"].as_array().expect("keys").iter().find(|k| k["kid"] == *kid).expect("a key of that kid").clone()
}

/// The base64url signature segment of `token` decoded, with the signing
/// input before it; `None` unless it decodes to exactly `N` bytes.
pub fn split_signature<const N: usize>(token: &str) -> Option<(&str, [u8; N])> {
    let (signing_input, sig) = token.rsplit_once('.')?;
    let mut raw = [0u8; N];
    let decoded = Base64UrlUnpadded::decode(sig, &mut raw).ok()?;
    (decoded.len() == N).then_some((signing_input, raw))
}

/// `token` with one signature character well inside the segment changed
/// (the last one holds padding bits a lenient decoder ignores).
pub fn spoil_signature(token: &str) -> String {
    let mut bad = token.to_owned();
    let at = bad.len() - 10;
    let other = if &bad[at..=at] == "A" { "B" } else { "A" };
    bad.replace_range(at..=at, other);
    bad
}

/// Unpadded base64url.
pub fn b64(data: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(data)
}

/// A compact JWS over `header` and `payload`, signed with `secret`.
pub fn sign(secret: &[u8], header: &str, payload: &str) -> String {
    let signing_input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let mut mac = floor_key(secret);
    mac.update(signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&mac.finalize().into_bytes()))
}

/// A benchmark input: a token, and the time to verify it at.
pub struct Case {
    /// Short name used in the report.
    pub name: &'static str,
    /// The compact JWS.
    pub token: String,
}

/// The three accepted tokens: small (`iss`, `sub`, `aud`, `exp`), the
/// Supabase `email_user` token (its payload byte for byte, with `exp` moved
/// to 2100: same length, 829 characters), and a large one (about 4 KiB of
/// nested `user_metadata`).
pub fn accepted_cases() -> Vec<Case> {
    let sample = supabase_sample("email_user");
    let header = sample["header"].as_str().expect("header");
    let payload = sample["payload"].as_str().expect("payload");
    let exp = sample["exp"].as_u64().expect("exp").to_string();
    assert_eq!(exp.len(), EXP_2100.to_string().len());
    let supabase_payload = payload.replace(&exp, &EXP_2100.to_string());

    let small = format!(
        r#"{{"iss":"{ISSUER}","sub":"8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01","aud":"authenticated","exp":{EXP_2100}}}"#
    );

    let mut metadata = String::new();
    for i in 0..20 {
        if i > 0 {
            metadata.push(',');
        }
        metadata.push_str(&format!(
            r#""field_{i:02}":{{"label":"Preference number {i} \u0026 notes","enabled":{},"weight":{}.5,"tags":["alpha","beta","gamma"],"note":"Lorem ipsum dolor sit amet, consectetur adipiscing elit"}}"#,
            i % 2 == 0,
            i * 7
        ));
    }
    let large = supabase_payload.replacen(
        r#""user_metadata":{"#,
        &format!(r#""user_metadata":{{"preferences":{{{metadata}}},"#),
        1,
    );
    assert!(large.len() > 4096, "large payload is {} bytes", large.len());

    vec![
        Case { name: "small", token: sign(SUPABASE_SECRET, r#"{"alg":"HS256","typ":"JWT"}"#, &small) },
        Case { name: "supabase", token: sign(SUPABASE_SECRET, header, &supabase_payload) },
        Case { name: "large", token: sign(SUPABASE_SECRET, header, &large) },
    ]
}

/// Tokens every verifier must reject: a wrong signature, an expired token,
/// garbage of the Supabase token's length, a 64 KiB token, 50 000 dots.
pub fn rejected_cases() -> Vec<Case> {
    let supabase = &accepted_cases()[1].token;
    let cut = supabase.rfind('.').expect("three segments");
    let wrong_signature = format!("{}.{}", &supabase[..cut], b64(&[0x5A; 32]));
    let sample = supabase_sample("email_user");
    let expired =
        sign(SUPABASE_SECRET, sample["header"].as_str().expect("header"), sample["payload"].as_str().expect("payload"));
    let garbage: String = (0..supabase.len()).map(|i| (b'a' + (i * 7 % 26) as u8) as char).collect();
    let big_payload = format!(r#"{{"exp":{EXP_2100},"pad":"{}"}}"#, "x".repeat(48 * 1024));
    let huge = sign(SUPABASE_SECRET, r#"{"alg":"HS256","typ":"JWT"}"#, &big_payload);
    assert!(huge.len() >= 64 * 1024);
    vec![
        Case { name: "wrong_signature", token: wrong_signature },
        Case { name: "expired", token: expired },
        Case { name: "garbage", token: garbage },
        Case { name: "64KiB", token: huge },
        Case { name: "50000_dots", token: ".".repeat(50_000) },
    ]
}

/// A keyed HMAC-SHA256 state, precomputed once: the floor.
pub fn floor_key(secret: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("any length")
}

/// The least work any HS256 verifier must do: the MAC over the signing input
/// with a precomputed key, compared in constant time with the decoded tag.
pub fn floor_verify(key: &Hmac<Sha256>, token: &str) -> bool {
    let Some((signing_input, sig)) = token.rsplit_once('.') else { return false };
    let mut tag = [0u8; 32];
    if Base64UrlUnpadded::decode(sig, &mut tag).is_err() {
        return false;
    }
    let mut mac = key.clone();
    mac.update(signing_input.as_bytes());
    mac.verify_slice(&tag).is_ok()
}

/// The physical line under the floor: only SHA-256's block compression over
/// what HMAC-SHA256 must compress for this token, the signing input's
/// blocks (read in place) and its padded last block, then the outer hash's
/// one block, from states standing in for the precomputed ones. No MAC
/// comparison, no base64: a lower bound, not a verifier. Returns a state
/// word so the work cannot be optimised away.
pub fn physical_sha256(token: &str) -> u32 {
    let Some((signing_input, _)) = token.rsplit_once('.') else { return 0 };
    let input = signing_input.as_bytes();
    let mut inner = [0x6a09_e667u32; 8];
    let (blocks, tail) = input.as_chunks::<64>();
    sha2::block_api::compress256(&mut inner, blocks);
    // Padding (FIPS 180-4 §5.1.1): 0x80, zeros, the bit length of the
    // 64-byte key block plus the input, in one or two blocks.
    let mut last = [[0u8; 64]; 2];
    let flat = last.as_flattened_mut();
    flat[..tail.len()].copy_from_slice(tail);
    flat[tail.len()] = 0x80;
    let count = if tail.len() < 56 { 1 } else { 2 };
    let bits = ((64 + input.len()) as u64 * 8).to_be_bytes();
    flat[count * 64 - 8..count * 64].copy_from_slice(&bits);
    sha2::block_api::compress256(&mut inner, &last[..count]);
    let mut outer = [0xbb67_ae85u32; 8];
    let mut block = [0u8; 64];
    for (to, word) in block.chunks_exact_mut(4).zip(inner) {
        to.copy_from_slice(&word.to_be_bytes());
    }
    block[32] = 0x80;
    block[62..].copy_from_slice(&((64 + 32) as u16 * 8).to_be_bytes());
    sha2::block_api::compress256(&mut outer, &[block]);
    outer[0]
}

/// jwtcheck with one key or a key set (`K`), configured once: the HS256
/// rows use the Supabase secret (`Default`), the asymmetric modules a
/// public key and the served JWKS.
pub struct Jwtcheck<K = jwtcheck::Hs256Key> {
    keys: K,
    validation: jwtcheck::Validation<'static>,
}

impl<K: jwtcheck::VerifyingKeys> Jwtcheck<K> {
    /// `keys` with the validation every row shares (aud, iss, no leeway).
    pub fn new(keys: K) -> Self {
        Jwtcheck { keys, validation: jwtcheck::Validation::new().audience(AUDIENCE).issuer(ISSUER) }
    }

    /// The keys (a key set's length, for a check on what loaded).
    pub fn keys(&self) -> &K {
        &self.keys
    }

    /// Verifies at `now` (the peers use the system clock; all accepted
    /// tokens are valid for both).
    pub fn verify(&self, token: &str, now: u64) -> bool {
        jwtcheck::verify(token, &self.keys, &self.validation, now).is_ok()
    }

    /// [`verify`](Jwtcheck::verify) through `verify_in`, decoding into the
    /// caller's `buf` instead of the 6 KiB `Claims`.
    pub fn verify_in(&self, token: &str, now: u64, buf: &mut [u8]) -> bool {
        jwtcheck::verify_in(token, &self.keys, &self.validation, now, buf).is_ok()
    }

    /// [`verify`](Jwtcheck::verify) through a token cache (a hit when the
    /// cache holds the token).
    pub fn verify_cached<const N: usize>(&self, cache: &mut jwtcheck::TokenCache<N>, token: &str, now: u64) -> bool {
        cache.verify(token, &self.keys, &self.validation, now).is_ok()
    }

    /// A cache miss and its store: `token` through a one-slot cache emptied
    /// first (the keyed hash and lookup, the whole verification, the copy
    /// of the token and its payload into the slot).
    pub fn verify_cache_miss(&self, cache: &mut jwtcheck::TokenCache<1>, token: &str, now: u64) -> bool {
        cache.clear();
        cache.verify(token, &self.keys, &self.validation, now).is_ok()
    }
}

impl Default for Jwtcheck {
    fn default() -> Self {
        Jwtcheck::new(jwtcheck::Hs256Key::new(SUPABASE_SECRET).expect("key"))
    }
}

/// The claims the peers deserialize: the registered ones the validation reads.
#[derive(serde::Deserialize)]
pub struct PeerClaims {
    /// `sub`
    pub sub: String,
    /// `iss`
    pub iss: String,
    /// `aud`
    pub aud: String,
    /// `exp`
    pub exp: u64,
}

/// jsonwebtoken 11 on one backend, configured once.
pub struct JsonWebToken {
    backend: Backend,
    key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

impl JsonWebToken {
    /// `alg` only, with `key`, the validation every row shares, on `backend`.
    pub fn new(alg: jsonwebtoken::Algorithm, key: jsonwebtoken::DecodingKey, backend: Backend) -> Self {
        let mut validation = jsonwebtoken::Validation::new(alg);
        validation.leeway = 0;
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "aud", "iss"]);
        JsonWebToken { backend, key, validation }
    }

    /// One verifier per backend, the same key: RustCrypto, then aws-lc-rs.
    pub fn on_both_backends(alg: jsonwebtoken::Algorithm, key: jsonwebtoken::DecodingKey) -> [Self; 2] {
        [JsonWebToken::new(alg, key.clone(), Backend::RustCrypto), JsonWebToken::new(alg, key, Backend::AwsLc)]
    }

    /// The benchmark row's name: `jsonwebtoken_` and the backend.
    pub fn name(&self) -> &'static str {
        match self.backend {
            Backend::RustCrypto => "jsonwebtoken_rust_crypto",
            Backend::AwsLc => "jsonwebtoken_aws_lc_rs",
        }
    }

    /// Makes this verifier's backend the process's (call before timing it).
    pub fn select(&self) {
        backend::select(self.backend);
    }

    /// Verifies at the system time, on whichever backend is selected.
    pub fn verify(&self, token: &str) -> bool {
        jsonwebtoken::decode::<PeerClaims>(token, &self.key, &self.validation).is_ok()
    }
}

impl JsonWebToken {
    /// HS256 with the Supabase secret on aws-lc-rs (call
    /// [`select`](JsonWebToken::select) before timing it).
    pub fn hs256_aws_lc() -> Self {
        let key = jsonwebtoken::DecodingKey::from_secret(SUPABASE_SECRET);
        JsonWebToken::new(jsonwebtoken::Algorithm::HS256, key, Backend::AwsLc)
    }
}

impl Default for JsonWebToken {
    fn default() -> Self {
        // Both jsonwebtoken backends are compiled in (for the asymmetric
        // rows): the HS256 rows use RustCrypto, as before.
        backend::select(Backend::RustCrypto);
        let key = jsonwebtoken::DecodingKey::from_secret(SUPABASE_SECRET);
        JsonWebToken::new(jsonwebtoken::Algorithm::HS256, key, Backend::RustCrypto)
    }
}

/// jwt-simple's options for every row: aud, iss, no time tolerance.
pub fn jwt_simple_options() -> jwt_simple::prelude::VerificationOptions {
    jwt_simple::prelude::VerificationOptions {
        allowed_audiences: Some(HashSet::from([AUDIENCE.to_owned()])),
        allowed_issuers: Some(HashSet::from([ISSUER.to_owned()])),
        time_tolerance: Some(Duration::from_secs(0).into()),
        ..Default::default()
    }
}

/// jwt-simple 0.15 (pure-rust), configured once: its key types share no
/// trait, so each module passes the verification as a closure over its key
/// (it clones the options per call, as jwt-simple's API needs).
pub struct JwtSimple(Box<dyn Fn(&str) -> bool + Send + Sync>);

impl JwtSimple {
    /// From the closure that verifies with the key and the options.
    pub fn new(verify: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        JwtSimple(Box::new(verify))
    }

    /// Verifies at the system time.
    pub fn verify(&self, token: &str) -> bool {
        (self.0)(token)
    }
}

impl Default for JwtSimple {
    fn default() -> Self {
        use jwt_simple::prelude::MACLike;
        let (key, options) = (jwt_simple::prelude::HS256Key::from_bytes(SUPABASE_SECRET), jwt_simple_options());
        JwtSimple::new(move |token| {
            key.verify_token::<jwt_simple::prelude::NoCustomClaims>(token, Some(options.clone())).is_ok()
        })
    }
}

/// The JWT verifiers of one asymmetric case, each configured once:
/// A jwtcheck key type with a portable path and an aws-lc-rs one.
pub trait TwoBackends: Clone {
    /// The key's `uses_assembly`.
    fn uses_assembly(&self) -> bool;
    /// The key's `portable` (with this crate's `aws-lc-rs` feature; the key
    /// itself without it, when it has only the portable path).
    fn portable(self) -> Self;
}

macro_rules! two_backends {
    ($($key:ty),*) => {$(
        impl TwoBackends for $key {
            fn uses_assembly(&self) -> bool {
                <$key>::uses_assembly(self)
            }
            fn portable(self) -> Self {
                #[cfg(feature = "aws-lc-rs")]
                let key = <$key>::portable(self);
                #[cfg(not(feature = "aws-lc-rs"))]
                let key = self;
                key
            }
        }
    )*};
}
two_backends!(jwtcheck::Es256Key, jwtcheck::Rs256Key);

/// `key` on the portable path, and with this crate's `aws-lc-rs` feature the
/// same key on jwtcheck's assembly backend (`None` without it). Built with
/// jwtcheck-axum's default features in one workspace build, jwtcheck's
/// `aws-lc-rs` is unified in without this crate's: the assertion stops the
/// run rather than label an assembly row portable.
pub fn portable_and_assembly<K: TwoBackends>(key: K) -> (K, Option<K>) {
    let assembly = cfg!(feature = "aws-lc-rs").then(|| key.clone());
    let portable = key.portable();
    assert!(
        !portable.uses_assembly() && assembly.as_ref().is_none_or(K::uses_assembly),
        "a row would be labelled with the wrong backend"
    );
    (portable, assembly)
}

/// jwtcheck with the signing key alone (`K`) and with the served JWKS in a
/// key set, jsonwebtoken on each backend, jwt-simple.
pub struct Verifiers<K> {
    /// jwtcheck with one key, on the portable path.
    pub jwtcheck: Jwtcheck<K>,
    /// The same key on jwtcheck's aws-lc-rs backend (with the `aws-lc-rs`
    /// feature of this crate; `None` without it).
    pub assembly: Option<Jwtcheck<K>>,
    /// jwtcheck with the JWKS in a `KeySet<4>` (the key chosen by `kid`).
    pub keyset: Jwtcheck<jwtcheck::KeySet<4>>,
    /// jsonwebtoken, RustCrypto then aws-lc-rs.
    pub jsonwebtoken: [JsonWebToken; 2],
    /// jwt-simple.
    pub jwt_simple: JwtSimple,
}

impl<K: jwtcheck::VerifyingKeys> Verifiers<K> {
    /// The benchmark rows, named as the reports read them, each verifying
    /// at `now` (jwtcheck) or the system time (the peers; a jsonwebtoken row
    /// selects its backend first, one relaxed store).
    #[allow(clippy::type_complexity)]
    pub fn rows(&self, now: u64) -> Vec<(&'static str, Box<dyn Fn(&str) -> bool + '_>)> {
        let mut rows: Vec<(&'static str, Box<dyn Fn(&str) -> bool + '_>)> = vec![
            ("jwtcheck", Box::new(move |t| self.jwtcheck.verify(t, now))),
            ("jwtcheck_keyset", Box::new(move |t| self.keyset.verify(t, now))),
        ];
        if let Some(assembly) = &self.assembly {
            rows.push(("jwtcheck_aws_lc_rs", Box::new(move |t| assembly.verify(t, now))));
        }
        for peer in &self.jsonwebtoken {
            rows.push((
                peer.name(),
                Box::new(move |t| {
                    peer.select();
                    peer.verify(t)
                }),
            ));
        }
        rows.push(("jwt_simple", Box::new(|t| self.jwt_simple.verify(t))));
        rows
    }

    /// Asserts that every row accepts `token` and rejects a copy with a
    /// spoiled signature, then leaves jsonwebtoken on RustCrypto.
    pub fn assert_verdicts(&self, token: &str, now: u64) {
        let bad = spoil_signature(token);
        for (name, verify) in self.rows(now) {
            assert!(verify(token), "{name} accepts the token");
            assert!(!verify(&bad), "{name} rejects the spoiled copy");
        }
        backend::select(Backend::RustCrypto);
    }
}

/// Seconds since the epoch now.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verifier_agrees_on_every_case() {
        let (j, w, s) = (Jwtcheck::default(), JsonWebToken::default(), JwtSimple::default());
        let floor = floor_key(SUPABASE_SECRET);
        for case in accepted_cases() {
            assert!(j.verify(&case.token, now()), "jwtcheck {}", case.name);
            assert!(w.verify(&case.token), "jsonwebtoken {}", case.name);
            assert!(s.verify(&case.token), "jwt-simple {}", case.name);
            assert!(floor_verify(&floor, &case.token), "floor {}", case.name);
        }
        for case in rejected_cases() {
            assert!(!j.verify(&case.token, now()), "jwtcheck {}", case.name);
            assert!(!w.verify(&case.token), "jsonwebtoken {}", case.name);
            assert!(!s.verify(&case.token), "jwt-simple {}", case.name);
        }
    }
}
