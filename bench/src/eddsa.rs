//! EdDSA (Ed25519) inputs and verifiers: the `eddsa_user` token of the
//! fixture re-signed with its test-only OKP key so that it expires in 2100
//! (the peers read the system clock), the floors (ed25519-dalek's
//! `verify_strict`, which jwtcheck is built on, with the key decoded once;
//! aws-lc-rs with the key parsed once; ring), and the peers configured once
//! with equivalent validation.

use std::collections::HashSet;
use std::time::Duration;

use ed25519_dalek::Signer;

use crate::backend::{self, Backend};
use crate::{AUDIENCE, ISSUER, PeerClaims, asymmetric_fixture, asymmetric_sample, b64, split_signature};

/// The EdDSA benchmark input.
pub struct EdDsaCase {
    /// The compact JWS (the `eddsa_user` header and payload, `exp` 2100).
    pub token: String,
    /// The served JWKS with the OKP key added (as a project with an EdDSA
    /// key would serve it): 4 keys, all of which load.
    pub jwks: String,
    /// The signing key's public JWK (`okp_jwk`).
    pub jwk: String,
    /// The public key, 32 bytes.
    pub x: Vec<u8>,
    /// `x`, base64url as in the JWK.
    pub x_b64: String,
}

impl Default for EdDsaCase {
    fn default() -> Self {
        let fixture = asymmetric_fixture();
        let (header, kid, payload) = asymmetric_sample(&fixture, "eddsa_user");
        let public = fixture["okp_jwk"].clone();
        assert_eq!(public["kid"], kid);
        let d = crate::b64_field(&fixture, "okp_private_d");
        let signing = ed25519_dalek::SigningKey::from_bytes(&d.try_into().expect("32 bytes"));
        let signing_input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let token = format!("{signing_input}.{}", b64(&signing.sign(signing_input.as_bytes()).to_bytes()));
        let mut jwks = fixture["jwks"].clone();
        jwks["keys"].as_array_mut().expect("keys").push(public.clone());
        let x = crate::b64_field(&public, "x");
        assert_eq!(x, signing.verifying_key().to_bytes());
        EdDsaCase {
            token,
            jwks: jwks.to_string(),
            jwk: public.to_string(),
            x,
            x_b64: public["x"].as_str().expect("x").to_owned(),
        }
    }
}

/// The floor of the portable path: ed25519-dalek's `verify_strict` (what
/// jwtcheck calls) with the key decoded once.
pub fn floor_dalek(key: &ed25519_dalek::VerifyingKey, token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<64>(token) else { return false };
    key.verify_strict(signing_input.as_bytes(), &ed25519_dalek::Signature::from_bytes(&raw)).is_ok()
}

/// aws-lc-rs (assembly) with the public key parsed once.
pub fn floor_aws_lc(key: &aws_lc_rs::signature::ParsedPublicKey, token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<64>(token) else { return false };
    key.verify_sig(signing_input.as_bytes(), &raw).is_ok()
}

/// ring (assembly); an Ed25519 public key is its 32 bytes, so there is
/// nothing to parse ahead.
pub fn floor_ring(x: &[u8], token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<64>(token) else { return false };
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, x).verify(signing_input.as_bytes(), &raw).is_ok()
}

/// The floors' keys.
pub fn floor_keys(case: &EdDsaCase) -> (ed25519_dalek::VerifyingKey, aws_lc_rs::signature::ParsedPublicKey) {
    let x: &[u8; 32] = case.x.as_slice().try_into().expect("32 bytes");
    let dalek = ed25519_dalek::VerifyingKey::from_bytes(x).expect("point");
    let aws = aws_lc_rs::signature::ParsedPublicKey::new(&aws_lc_rs::signature::ED25519, &case.x).expect("key");
    (dalek, aws)
}

/// jwtcheck with one `Ed25519Key`, configured once.
pub struct Jwtcheck {
    key: jwtcheck::Ed25519Key,
    validation: jwtcheck::Validation<'static>,
}

impl Jwtcheck {
    /// From the case's JWK.
    pub fn new(case: &EdDsaCase) -> Self {
        Jwtcheck {
            key: jwtcheck::Ed25519Key::from_jwk(&case.jwk).expect("key"),
            validation: jwtcheck::Validation::new().audience(AUDIENCE).issuer(ISSUER),
        }
    }

    /// Verifies at `now`.
    pub fn verify(&self, token: &str, now: u64) -> bool {
        jwtcheck::verify(token, &self.key, &self.validation, now).is_ok()
    }
}

/// jwtcheck with the case's JWKS in a `KeySet<4>` (the key by `kid`).
pub struct JwtcheckKeySet {
    keys: jwtcheck::KeySet<4>,
    validation: jwtcheck::Validation<'static>,
}

impl JwtcheckKeySet {
    /// From the case's JWKS.
    pub fn new(case: &EdDsaCase) -> Self {
        let keys = jwtcheck::KeySet::from_jwks(&case.jwks).expect("JWKS");
        assert_eq!(keys.len(), 4, "2 ES256 keys, the RSA key and the OKP key");
        JwtcheckKeySet { keys, validation: jwtcheck::Validation::new().audience(AUDIENCE).issuer(ISSUER) }
    }

    /// Verifies at `now`.
    pub fn verify(&self, token: &str, now: u64) -> bool {
        jwtcheck::verify(token, &self.keys, &self.validation, now).is_ok()
    }
}

/// jsonwebtoken 11 on one backend, configured once.
pub struct JsonWebToken {
    backend: Backend,
    key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

impl JsonWebToken {
    /// From the case's `x`, on `backend`.
    pub fn new(case: &EdDsaCase, backend: Backend) -> Self {
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
        validation.leeway = 0;
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "aud", "iss"]);
        let key = jsonwebtoken::DecodingKey::from_ed_components(&case.x_b64).expect("key");
        JsonWebToken { backend, key, validation }
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

/// jwt-simple 0.15 (pure-rust: `ed25519-compact`), configured once.
pub struct JwtSimple {
    key: jwt_simple::prelude::Ed25519PublicKey,
    options: jwt_simple::prelude::VerificationOptions,
}

impl JwtSimple {
    /// From the case's `x`.
    pub fn new(case: &EdDsaCase) -> Self {
        let options = jwt_simple::prelude::VerificationOptions {
            allowed_audiences: Some(HashSet::from([AUDIENCE.to_owned()])),
            allowed_issuers: Some(HashSet::from([ISSUER.to_owned()])),
            time_tolerance: Some(Duration::from_secs(0).into()),
            ..Default::default()
        };
        JwtSimple { key: jwt_simple::prelude::Ed25519PublicKey::from_bytes(&case.x).expect("key"), options }
    }

    /// Verifies at the system time.
    pub fn verify(&self, token: &str) -> bool {
        use jwt_simple::prelude::EdDSAPublicKeyLike;
        self.key.verify_token::<jwt_simple::prelude::NoCustomClaims>(token, Some(self.options.clone())).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::now;

    #[test]
    fn every_eddsa_verifier_accepts_the_token_and_rejects_a_changed_one() {
        let case = EdDsaCase::default();
        let (dalek, aws) = floor_keys(&case);
        let (j, s) = (Jwtcheck::new(&case), JwtcheckKeySet::new(&case));
        let peers = [JsonWebToken::new(&case, Backend::RustCrypto), JsonWebToken::new(&case, Backend::AwsLc)];
        let simple = JwtSimple::new(&case);
        let bad = crate::spoil_signature(&case.token);
        for (token, ok) in [(case.token.as_str(), true), (bad.as_str(), false)] {
            assert_eq!(floor_dalek(&dalek, token), ok, "floor ed25519-dalek");
            assert_eq!(floor_aws_lc(&aws, token), ok, "floor aws-lc-rs");
            assert_eq!(floor_ring(&case.x, token), ok, "floor ring");
            assert_eq!(j.verify(token, now()), ok, "jwtcheck");
            assert_eq!(s.verify(token, now()), ok, "jwtcheck key set");
            for peer in &peers {
                peer.select();
                assert_eq!(peer.verify(token), ok, "jsonwebtoken {:?}", peer.backend);
            }
            assert_eq!(simple.verify(token), ok, "jwt-simple");
        }
        backend::select(Backend::RustCrypto);
    }
}
