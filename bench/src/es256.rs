//! ES256 inputs and verifiers: the Supabase `es256_user` token re-signed
//! with the fixture's test-only private key so that it expires in 2100 (the
//! peers read the system clock), the two signature floors (p256 and
//! aws-lc-rs with a pre-parsed key), and the peers configured once with
//! equivalent validation.

use p256::ecdsa::signature::{Signer, Verifier};

use crate::{
    JsonWebToken, JwtSimple, Jwtcheck, Verifiers, asymmetric_fixture, asymmetric_sample, b64, b64_field, jwk_by_kid,
    jwt_simple_options, portable_and_assembly, split_signature,
};

/// The ES256 benchmark input.
pub struct Es256Case {
    /// The compact JWS (the Supabase `es256_user` header and payload, `exp` 2100).
    pub token: String,
    /// The served JWKS, byte for byte.
    pub jwks: String,
    /// The signing key's public JWK (one member of `jwks`).
    pub jwk: String,
    /// The public point, SEC1 uncompressed (`04 ‖ x ‖ y`).
    pub sec1: Vec<u8>,
    /// `x` and `y`, base64url as in the JWK.
    pub x: String,
    /// See `x`.
    pub y: String,
}

impl Default for Es256Case {
    fn default() -> Self {
        let fixture = asymmetric_fixture();
        let (header, kid, payload) = asymmetric_sample(&fixture, "es256_user");
        let private = jwk_by_kid(&fixture["private_jwks"], &kid);
        let signing = p256::ecdsa::SigningKey::from_slice(&b64_field(&private, "d")).expect("d");
        let signing_input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let signature: p256::ecdsa::Signature = signing.sign(signing_input.as_bytes());
        let token = format!("{signing_input}.{}", b64(&signature.to_bytes()));
        let public = jwk_by_kid(&fixture["jwks"], &kid);
        let mut sec1 = vec![4u8];
        sec1.extend(b64_field(&public, "x"));
        sec1.extend(b64_field(&public, "y"));
        Es256Case {
            token,
            jwks: fixture["jwks_json"].as_str().expect("jwks_json").to_owned(),
            jwk: public.to_string(),
            sec1,
            x: public["x"].as_str().expect("x").to_owned(),
            y: public["y"].as_str().expect("y").to_owned(),
        }
    }
}

/// The least work any ES256 verifier does on the portable path: decode the
/// signature, then p256's verify (SHA-256 of the signing input and the
/// ECDSA check) with a key decoded once.
pub fn floor_p256(key: &p256::ecdsa::VerifyingKey, token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<64>(token) else { return false };
    let Ok(signature) = p256::ecdsa::Signature::from_slice(&raw) else { return false };
    key.verify(signing_input.as_bytes(), &signature).is_ok()
}

/// The same with aws-lc-rs (assembly) and a public key parsed once.
pub fn floor_aws_lc(key: &aws_lc_rs::signature::ParsedPublicKey, token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<64>(token) else { return false };
    key.verify_sig(signing_input.as_bytes(), &raw).is_ok()
}

/// The floors' keys.
pub fn floor_keys(case: &Es256Case) -> (p256::ecdsa::VerifyingKey, aws_lc_rs::signature::ParsedPublicKey) {
    let p256 = p256::ecdsa::VerifyingKey::from_sec1_bytes(&case.sec1).expect("point");
    let aws = aws_lc_rs::signature::ParsedPublicKey::new(&aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED, &case.sec1)
        .expect("point");
    (p256, aws)
}

/// The JWT verifiers: jwtcheck with the signing key's JWK and with the
/// served JWKS (both ES256 keys load), jsonwebtoken from the coordinates,
/// jwt-simple from the point.
pub fn verifiers(case: &Es256Case) -> Verifiers<jwtcheck::Es256Key> {
    use jwt_simple::prelude::ECDSAP256PublicKeyLike;
    let keyset = Jwtcheck::new(jwtcheck::KeySet::from_jwks(&case.jwks).expect("JWKS"));
    let decoding = jsonwebtoken::DecodingKey::from_ec_components(&case.x, &case.y).expect("key");
    let (key, options) =
        (jwt_simple::prelude::ES256PublicKey::from_bytes(&case.sec1).expect("key"), jwt_simple_options());
    let (portable, assembly) = portable_and_assembly(jwtcheck::Es256Key::from_jwk(&case.jwk).expect("key"));
    Verifiers {
        jwtcheck: Jwtcheck::new(portable),
        assembly: assembly.map(Jwtcheck::new),
        keyset,
        jsonwebtoken: JsonWebToken::on_both_backends(jsonwebtoken::Algorithm::ES256, decoding),
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
    fn every_es256_verifier_accepts_the_token_and_rejects_a_changed_one() {
        let case = Es256Case::default();
        let (p256, aws) = floor_keys(&case);
        let bad = crate::spoil_signature(&case.token);
        for (token, ok) in [(case.token.as_str(), true), (bad.as_str(), false)] {
            assert_eq!(floor_p256(&p256, token), ok, "floor p256");
            assert_eq!(floor_aws_lc(&aws, token), ok, "floor aws-lc-rs");
        }
        let verifiers = verifiers(&case);
        assert_eq!(verifiers.keyset.keys().len(), 3, "2 ES256 keys and the RSA key");
        verifiers.assert_verdicts(&case.token, now());
    }
}
