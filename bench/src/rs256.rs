//! RS256 inputs and verifiers: the Supabase `rs256_user` token (2048-bit
//! key) re-signed with the fixture's test-only private key so that it
//! expires in 2100 (the peers read the system clock), the floors (jwtcheck's
//! own RSA check alone; aws-lc-rs with a key parsed once; ring, whose API
//! parses the key on each verify), and the peers configured once with
//! equivalent validation: the `rsa` crate with a key parsed once,
//! jsonwebtoken on both backends, jwt-simple.

use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer, Verifier};

use crate::{
    JsonWebToken, JwtSimple, Jwtcheck, Verifiers, asymmetric_fixture, asymmetric_sample, b64, b64_field, jwk_by_kid,
    jwt_simple_options, portable_and_assembly, split_signature,
};

/// Bytes of a 2048-bit signature.
const SIG_LEN: usize = 256;

/// The RS256 benchmark input.
pub struct Rs256Case {
    /// The compact JWS (the Supabase `rs256_user` header and payload, `exp` 2100).
    pub token: String,
    /// The served JWKS, byte for byte (2 ES256 keys and this RSA key).
    pub jwks: String,
    /// The signing key's public JWK (one member of `jwks`).
    pub jwk: String,
    /// The public key as PKCS#1 `RSAPublicKey` DER.
    pub pkcs1_der: Vec<u8>,
    /// `n` and `e`, big-endian.
    pub n: Vec<u8>,
    /// See `n`.
    pub e: Vec<u8>,
    /// `n` and `e`, base64url as in the JWK.
    pub n_b64: String,
    /// See `n_b64`.
    pub e_b64: String,
}

impl Default for Rs256Case {
    fn default() -> Self {
        let fixture = asymmetric_fixture();
        let (header, kid, payload) = asymmetric_sample(&fixture, "rs256_user");
        let private = jwk_by_kid(&fixture["private_jwks"], &kid);
        let big = |name| rsa::BigUint::from_bytes_be(&b64_field(&private, name));
        let primes = vec![big("p"), big("q")];
        let private_key = rsa::RsaPrivateKey::from_components(big("n"), big("e"), big("d"), primes).expect("RSA key");
        let signing = rsa::pkcs1v15::SigningKey::<Sha256>::new(private_key);
        let signing_input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let signature = signing.sign(signing_input.as_bytes()).to_vec();
        assert_eq!(signature.len(), SIG_LEN);
        let token = format!("{signing_input}.{}", b64(&signature));
        let public = jwk_by_kid(&fixture["jwks"], &kid);
        let (n, e) = (b64_field(&public, "n"), b64_field(&public, "e"));
        let public_key = rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&n), rsa::BigUint::from_bytes_be(&e))
            .expect("public key");
        Rs256Case {
            token,
            jwks: fixture["jwks_json"].as_str().expect("jwks_json").to_owned(),
            jwk: public.to_string(),
            pkcs1_der: public_key.to_pkcs1_der().expect("DER").as_bytes().to_vec(),
            n,
            e,
            n_b64: public["n"].as_str().expect("n").to_owned(),
            e_b64: public["e"].as_str().expect("e").to_owned(),
        }
    }
}

/// The floor of the portable path: jwtcheck's RSA check alone (SHA-256 of
/// the signing input, `s^e mod n` on the key's precomputed Montgomery
/// parameters, the whole encoded message compared) with the key imported
/// once, and no JWS or claims work. It goes through `jwtcheck::internals`,
/// which base64url-encodes the signature again for the seam (about 0.3 µs
/// of the figure).
pub fn floor_jwtcheck_rsa(key: &jwtcheck::Rs256Key, token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<SIG_LEN>(token) else { return false };
    jwtcheck::internals::verify_rs256(key, signing_input.as_bytes(), &raw).is_ok()
}

/// aws-lc-rs (assembly) with the public key parsed once.
pub fn floor_aws_lc(key: &aws_lc_rs::signature::ParsedPublicKey, token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<SIG_LEN>(token) else { return false };
    key.verify_sig(signing_input.as_bytes(), &raw).is_ok()
}

/// ring (assembly): its API has no parsed RSA public key, so each verify
/// parses the PKCS#1 DER again (as any ring user does).
pub fn floor_ring(pkcs1_der: &[u8], token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<SIG_LEN>(token) else { return false };
    ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, pkcs1_der)
        .verify(signing_input.as_bytes(), &raw)
        .is_ok()
}

/// The keys of the floors and of the `rsa` crate, built once.
pub struct Floors {
    /// jwtcheck's key (from the JWK).
    pub jwtcheck: jwtcheck::Rs256Key,
    /// aws-lc-rs's parsed key.
    pub aws_lc: aws_lc_rs::signature::ParsedPublicKey,
    /// The `rsa` crate's verifying key.
    pub rsa: rsa::pkcs1v15::VerifyingKey<Sha256>,
}

impl Floors {
    /// From the case's key.
    pub fn new(case: &Rs256Case) -> Self {
        let public = rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&case.n), rsa::BigUint::from_bytes_be(&case.e))
            .expect("public key");
        Floors {
            // The portable check even with the bench's `aws-lc-rs` feature.
            jwtcheck: portable_and_assembly(jwtcheck::Rs256Key::from_jwk(&case.jwk).expect("key")).0,
            aws_lc: aws_lc_rs::signature::ParsedPublicKey::new(
                &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
                &case.pkcs1_der,
            )
            .expect("key"),
            rsa: rsa::pkcs1v15::VerifyingKey::new(public),
        }
    }
}

/// The `rsa` crate (pure Rust, heap-allocated big integers) with its
/// verifying key built once: the signature check alone, like the floors.
pub fn rsa_crate(key: &rsa::pkcs1v15::VerifyingKey<Sha256>, token: &str) -> bool {
    let Some((signing_input, raw)) = split_signature::<SIG_LEN>(token) else { return false };
    let Ok(signature) = rsa::pkcs1v15::Signature::try_from(&raw[..]) else { return false };
    key.verify(signing_input.as_bytes(), &signature).is_ok()
}

/// The JWT verifiers: jwtcheck with the signing key's JWK and with the
/// served JWKS (all three keys load), jsonwebtoken from `n` and `e`,
/// jwt-simple (`superboring` over the `rsa` crate) from the components.
pub fn verifiers(case: &Rs256Case) -> Verifiers<jwtcheck::Rs256Key> {
    use jwt_simple::prelude::RSAPublicKeyLike;
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(&case.n_b64, &case.e_b64).expect("key");
    let key = jwt_simple::prelude::RS256PublicKey::from_components(&case.n, &case.e).expect("key");
    let options = jwt_simple_options();
    let (portable, assembly) = portable_and_assembly(jwtcheck::Rs256Key::from_jwk(&case.jwk).expect("key"));
    Verifiers {
        jwtcheck: Jwtcheck::new(portable),
        assembly: assembly.map(Jwtcheck::new),
        keyset: Jwtcheck::new(jwtcheck::KeySet::from_jwks(&case.jwks).expect("JWKS")),
        jsonwebtoken: JsonWebToken::on_both_backends(jsonwebtoken::Algorithm::RS256, decoding),
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
    fn every_rs256_verifier_accepts_the_token_and_rejects_a_changed_one() {
        let case = Rs256Case::default();
        let floors = Floors::new(&case);
        let bad = crate::spoil_signature(&case.token);
        for (token, ok) in [(case.token.as_str(), true), (bad.as_str(), false)] {
            assert_eq!(floor_jwtcheck_rsa(&floors.jwtcheck, token), ok, "floor jwtcheck RSA");
            assert_eq!(floor_aws_lc(&floors.aws_lc, token), ok, "floor aws-lc-rs");
            assert_eq!(floor_ring(&case.pkcs1_der, token), ok, "floor ring");
            assert_eq!(rsa_crate(&floors.rsa, token), ok, "rsa crate");
        }
        let verifiers = verifiers(&case);
        assert_eq!(verifiers.keyset.keys().len(), 3, "2 ES256 keys and the RSA key");
        verifiers.assert_verdicts(&case.token, now());
    }
}
