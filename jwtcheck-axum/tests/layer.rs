//! `AuthLayer` in an axum app on 127.0.0.1, driven by real HTTP/1.1
//! requests, with its keys from a local JWKS server. Every case asserts the
//! status, the exact `WWW-Authenticate` (or `Retry-After`) value and the
//! body.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::{Router, routing};
use common::*;
use jwtcheck_axum::{Auth, Rejection, Verified};

/// The handler: the typed Supabase view, whose `?` answers a mistyped claim
/// like a token that failed verification.
async fn me(claims: Verified) -> Result<String, Rejection> {
    let user = claims.supabase()?;
    Ok(user.sub().map(|s| s.to_string()).unwrap_or_default())
}

/// Serves `/me` behind the layer, and `/unguarded` (the same handler) not
/// behind it; returns the address. The server ends with the test's runtime.
async fn serve(auth: &Auth) -> SocketAddr {
    let app = Router::new().route("/me", routing::get(me)).layer(auth.layer()).route("/unguarded", routing::get(me));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A JWKS server with the fixture's keys, an `Auth` that loaded them, and
/// the app.
async fn start() -> (JwksServer, Auth, SocketAddr) {
    let server = JwksServer::start(fixture_jwks()).await;
    let auth = server.auth().cooldown(Duration::from_secs(30)).build().unwrap();
    assert_eq!(auth.load().await.unwrap(), 3);
    let addr = serve(&auth).await;
    (server, auth, addr)
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

fn invalid_token(description: &str) -> String {
    format!(r#"Bearer error="invalid_token", error_description="{description}""#)
}

/// A 401 `invalid_token` with `description`, echoing nothing of `token`.
fn assert_invalid_token(response: &Response, description: &str, token: &str) {
    assert_eq!(response.status, 401, "{response:?}");
    assert_eq!(response.header("www-authenticate"), invalid_token(description));
    assert_eq!(response.header("content-type"), "application/json");
    assert_eq!(response.body, r#"{"error":"invalid_token"}"#);
    let signature = token.rsplit('.').next().unwrap();
    assert!(!format!("{response:?}").contains(signature), "{response:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_token_reaches_the_handler() {
    let (server, auth, addr) = start().await;
    let es256 = Es256Signer::fixture().sign(&server.claims());
    let legacy = hs256(&legacy_secret(), Some(&legacy_kid()), &server.claims());
    for token in [es256, legacy] {
        let response = get(addr, "/me", &[bearer(&token).as_str()]).await;
        assert_eq!(response.status, 200, "{response:?}");
        assert_eq!(response.body, SUB);
        assert_eq!(response.header("content-type"), "text/plain; charset=utf-8");
        assert_eq!(response.all("www-authenticate"), Vec::<&str>::new());
    }
    assert_eq!(auth.stats().accepted, 2);
    assert_eq!(server.requests(), 1, "the load only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_bearer_credentials_are_401_with_a_bare_challenge() {
    let (_server, auth, addr) = start().await;
    // RFC 6750 §3.1: no credentials, or another scheme's, get no error code.
    for headers in [&[][..], &["Authorization: Basic dXNlcjpwYXNz"][..]] {
        let response = get(addr, "/me", headers).await;
        assert_eq!(response.status, 401, "{response:?}");
        assert_eq!(response.header("www-authenticate"), "Bearer");
        assert_eq!(response.header("content-type"), "application/json");
        assert_eq!(response.body, r#"{"error":"unauthorized"}"#);
    }
    assert_eq!(auth.stats().rejected("no_credentials"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_credentials_are_400_invalid_request() {
    let (server, auth, addr) = start().await;
    let line = bearer(&Es256Signer::fixture().sign(&server.claims()));
    let rows: [(&[&str], &str); 2] = [
        (&[&line, &line], "more than one Authorization header"),
        (&["Authorization: Bearer"], "the Authorization value is not Bearer and a token68"),
    ];
    for (headers, description) in rows {
        let response = get(addr, "/me", headers).await;
        assert_eq!(response.status, 400, "{response:?}");
        assert_eq!(
            response.header("www-authenticate"),
            format!(r#"Bearer error="invalid_request", error_description="{description}""#)
        );
        assert_eq!(response.header("content-type"), "application/json");
        assert_eq!(response.body, r#"{"error":"invalid_request"}"#);
    }
    let stats = auth.stats();
    assert_eq!((stats.rejected("invalid_request"), stats.accepted), (2, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_that_do_not_verify_are_401_invalid_token() {
    let (server, auth, addr) = start().await;
    let signer = Es256Signer::fixture();
    let base = server.base();
    let valid = signer.sign(&server.claims());
    let tampered = {
        let (input, signature) = valid.rsplit_once('.').unwrap();
        let flipped = if signature.starts_with('A') { "B" } else { "A" };
        format!("{input}.{flipped}{}", &signature[1..])
    };
    let rows = [
        (signer.sign(&claims_until(&base, now() - 60)), "the access token expired"),
        (tampered, "the access token signature is invalid"),
        (signer.sign(&claims("https://another-project.supabase.co")), "the access token issuer is not accepted"),
        (
            signer.sign(&server.claims().replace(r#""aud":"authenticated""#, r#""aud":"anon""#)),
            "the access token audience is not accepted",
        ),
        // Within the cooldown of the load: no refetch.
        (signer.sign_as(&random_kid(), &server.claims()), "the access token's signing key is unknown"),
        (
            format!("{}.{}", b64(b"not json"), valid.split_once('.').unwrap().1),
            "the access token is malformed or of an unsupported algorithm",
        ),
    ];
    for (token, description) in &rows {
        let response = get(addr, "/me", &[bearer(token).as_str()]).await;
        assert_invalid_token(&response, description, token);
    }
    let stats = auth.stats();
    assert_eq!(stats.rejected.iter().sum::<u64>(), rows.len() as u64);
    assert_eq!((stats.rejected("expired"), stats.rejected("unknown_key"), stats.accepted), (1, 1, 0));
    assert_eq!(server.requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistyped_supabase_claim_is_401_from_the_handler() {
    let (server, auth, addr) = start().await;
    // Verifies (the layer does not type Supabase claims); the handler's
    // `claims.supabase()?` refuses it.
    let token = Es256Signer::fixture().sign(&server.claims().replace(r#""role":"authenticated""#, r#""role":5"#));
    let response = get(addr, "/me", &[bearer(&token).as_str()]).await;
    assert_invalid_token(&response, "the access token claims are invalid", &token);
    assert_eq!(auth.stats().accepted, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwks_never_loadable_is_503_with_retry_after() {
    let server = JwksServer::start(fixture_jwks()).await;
    server.set_mode(Mode::Fail);
    let auth = server.auth().cooldown(Duration::from_secs(30)).build().unwrap();
    assert!(auth.load().await.is_err());
    let addr = serve(&auth).await;
    let token = Es256Signer::fixture().sign(&server.claims());
    for _ in 0..2 {
        let response = get(addr, "/me", &[bearer(&token).as_str()]).await;
        assert_eq!(response.status, 503, "{response:?}");
        // The cooldown: no fetch is tried before it is over.
        assert_eq!(response.header("retry-after"), "30");
        assert_eq!(response.all("www-authenticate"), Vec::<&str>::new());
        assert_eq!(response.header("content-type"), "application/json");
        assert_eq!(response.body, r#"{"error":"temporarily_unavailable"}"#);
    }
    assert_eq!(server.requests(), 1, "the load only: the 503s wait out the cooldown");

    // HS256 tokens of the legacy secret need no JWKS.
    let legacy = hs256(&legacy_secret(), None, &server.claims());
    let response = get(addr, "/me", &[bearer(&legacy).as_str()]).await;
    assert_eq!((response.status, response.body.as_str()), (200, SUB), "{response:?}");
    let stats = auth.stats();
    assert_eq!((stats.unavailable, stats.rejected("unavailable"), stats.accepted, stats.fetches_failed), (2, 2, 1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verified_on_a_route_without_the_layer_is_500() {
    let (server, _auth, addr) = start().await;
    let line = bearer(&Es256Signer::fixture().sign(&server.claims()));
    // A wiring mistake fails closed, whatever the request carries.
    for headers in [&[][..], &[line.as_str()][..]] {
        let response = get(addr, "/unguarded", headers).await;
        assert_eq!(response.status, 500, "{response:?}");
        assert_eq!(response.header("content-type"), "application/json");
        assert_eq!(response.body, r#"{"error":"internal"}"#);
    }
}
