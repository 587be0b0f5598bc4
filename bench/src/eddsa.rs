//! EdDSA (Ed25519) inputs and verifiers: the `eddsa_user` token of the
//! fixture re-signed with its test-only OKP key so that it expires in 2100
//! (the peers read the system clock), the floors (ed25519-dalek's
//! `verify_strict`, which jwtcheck is built on, with the key decoded once;
//! aws-lc-rs with the key parsed once; ring), and the peers configured once
//! with equivalent validation.

use ed25519_dalek::Signer;

use crate::{
    JsonWebToken, JwtSimple, Jwtcheck, Verifiers, asymmetric_fixture, asymmetric_sample, b64, jwt_simple_options,
    split_signature,
};

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

/// The JWT verifiers: jwtcheck with the OKP JWK and with the JWKS (all
/// four keys load), jsonwebtoken from `x`, jwt-simple (`ed25519-compact`)
/// from the 32 bytes.
pub fn verifiers(case: &EdDsaCase) -> Verifiers<jwtcheck::Ed25519Key> {
    use jwt_simple::prelude::EdDSAPublicKeyLike;
    let decoding = jsonwebtoken::DecodingKey::from_ed_components(&case.x_b64).expect("key");
    let (key, options) =
        (jwt_simple::prelude::Ed25519PublicKey::from_bytes(&case.x).expect("key"), jwt_simple_options());
    Verifiers {
        jwtcheck: Jwtcheck::new(jwtcheck::Ed25519Key::from_jwk(&case.jwk).expect("key")),
        // jwtcheck's EdDSA has one (portable) path.
        assembly: None,
        keyset: Jwtcheck::new(jwtcheck::KeySet::from_jwks(&case.jwks).expect("JWKS")),
        jsonwebtoken: JsonWebToken::on_both_backends(jsonwebtoken::Algorithm::EdDSA, decoding),
        jwt_simple: JwtSimple::new(move |token| {
            key.verify_token::<jwt_simple::prelude::NoCustomClaims>(token, Some(options.clone())).is_ok()
        }),
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
        let bad = crate::spoil_signature(&case.token);
        for (token, ok) in [(case.token.as_str(), true), (bad.as_str(), false)] {
            assert_eq!(floor_dalek(&dalek, token), ok, "floor ed25519-dalek");
            assert_eq!(floor_aws_lc(&aws, token), ok, "floor aws-lc-rs");
            assert_eq!(floor_ring(&case.x, token), ok, "floor ring");
        }
        let verifiers = verifiers(&case);
        assert_eq!(verifiers.keyset.keys().len(), 4, "2 ES256 keys, the RSA key and the OKP key");
        verifiers.assert_verdicts(&case.token, now());
    }
}
