//! The optional token cache behind `AuthBuilder::token_cache`: a repeated
//! token hits, every claim check still runs, and a new key set empties it.

mod common;

use common::*;
use jwtcheck_axum::VerifyError;
use jwtcheck_axum::jwtcheck::Error;

#[tokio::test]
async fn repeated_tokens_hit_and_a_new_key_set_empties_the_cache() {
    let signer = Es256Signer::generate();
    let server = JwksServer::start(jwks(&[&signer])).await;
    let auth = server.auth().token_cache(2).build().unwrap();
    assert_eq!(auth.source().cache_counts(), Some((0, 0)));
    auth.load().await.unwrap();
    let exp = now() + 3600;
    let token = signer.sign(&claims_until(&server.base(), exp));
    for _ in 0..3 {
        assert_eq!(auth.verify(&token).await.unwrap().sub().unwrap().to_string(), SUB);
    }
    assert_eq!(auth.source().cache_counts(), Some((2, 1)));
    // A hit still expires on time (RFC 7519 §4.1.4: at exp itself).
    assert_eq!(auth.verify_at(&token, exp).await.unwrap_err(), VerifyError::Invalid(Error::Expired));
    assert_eq!(auth.source().cache_counts(), Some((3, 1)));
    // A tampered copy misses and fails.
    let (input, signature) = token.rsplit_once('.').unwrap();
    let flipped = if signature.starts_with('A') { 'B' } else { 'A' };
    let tampered = format!("{input}.{flipped}{}", &signature[1..]);
    assert_eq!(auth.verify(&tampered).await.unwrap_err(), VerifyError::Invalid(Error::InvalidSignature));
    assert_eq!(auth.source().cache_counts(), Some((3, 2)));
    // A fetch installs a new set: the cache starts empty.
    auth.load().await.unwrap();
    auth.verify(&token).await.unwrap();
    assert_eq!(auth.source().cache_counts(), Some((3, 3)));
    assert_eq!(auth.stats().accepted, 4);
}

#[tokio::test]
async fn no_cache_unless_asked() {
    let server = JwksServer::start(jwks(&[&Es256Signer::generate()])).await;
    let auth = server.auth().build().unwrap();
    assert_eq!(auth.source().cache_counts(), None);
}
