//! The service in-process, bound to an ephemeral port on 127.0.0.1, driven
//! by real HTTP/1.1 requests. Every case asserts the status, the exact
//! `WWW-Authenticate` value and the body.

mod common;

use common::*;
use jwtcheck_axum_example::{app, auth_from_vars};
use std::net::SocketAddr;

const UNAUTHORIZED_BODY: &str = r#"{"error":"unauthorized"}"#;
const INVALID_TOKEN_BODY: &str = r#"{"error":"invalid_token"}"#;

/// Starts the service for [`PROJECT_URL`] with the legacy secret and keys
/// from a local JWKS server (the fixture's), and returns its address. The
/// server tasks end with the test's runtime.
async fn start() -> SocketAddr {
    let jwks = jwks_server(jwks_json()).await;
    let auth = auth_from_vars(|name| match name {
        "SUPABASE_URL" => Some(PROJECT_URL.to_owned()),
        "SUPABASE_JWT_SECRET" => Some(SECRET.to_owned()),
        "SUPABASE_JWKS_URL" => Some(jwks.clone()),
        _ => None,
    })
    .unwrap();
    assert_eq!(auth.load().await.unwrap(), 3, "the fixture's ES256, ES256 and RS256 keys");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(&auth)).await.unwrap() });
    addr
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

fn invalid_token(description: &str) -> String {
    format!(r#"Bearer error="invalid_token", error_description="{description}""#)
}

/// A 401 for a bearer token that does not verify, without the token's bytes.
fn assert_invalid_token(response: &Response, description: &str, token: &str) {
    assert_eq!(response.status, 401, "{}", response.raw);
    assert_eq!(response.header("www-authenticate"), invalid_token(description));
    assert_eq!(response.header("content-type"), "application/json");
    assert_eq!(response.body, INVALID_TOKEN_BODY);
    // No part of the token comes back (its signature segment is unique).
    let signature = token.rsplit('.').next().unwrap();
    assert!(!response.raw.contains(signature), "{}", response.raw);
}

#[tokio::test]
async fn valid_token_reaches_the_handler() {
    let addr = start().await;
    let response = get(addr, "/api/me", &[&bearer(&valid_token())]).await;
    assert_eq!(response.status, 200, "{}", response.raw);
    assert_eq!(response.body, format!(r#"{{"provider":"email","role":"authenticated","sub":"{SUB}"}}"#));
    assert_eq!(response.header("content-type"), "application/json");
    assert_eq!(response.all("www-authenticate"), Vec::<&str>::new());
}

#[tokio::test]
async fn es256_token_of_the_jwks_reaches_the_handler() {
    let addr = start().await;
    let response = get(addr, "/api/me", &[&bearer(&es256_token())]).await;
    assert_eq!(response.status, 200, "{}", response.raw);
    assert_eq!(response.body, format!(r#"{{"provider":"email","role":"authenticated","sub":"{SUB}"}}"#));
}

#[tokio::test]
async fn unreachable_jwks_is_503_for_es256_and_legacy_hs256_still_verifies() {
    // A port nothing listens on (bound, then closed).
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let auth = auth_from_vars(|name| match name {
        "SUPABASE_URL" => Some(PROJECT_URL.to_owned()),
        "SUPABASE_JWT_SECRET" => Some(SECRET.to_owned()),
        "SUPABASE_JWKS_URL" => Some(format!("http://{closed}/jwks.json")),
        _ => None,
    })
    .unwrap();
    assert!(auth.load().await.is_err());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(&auth)).await.unwrap() });

    let response = get(addr, "/api/me", &[&bearer(&es256_token())]).await;
    assert_eq!(response.status, 503, "{}", response.raw);
    assert_eq!(response.header("retry-after"), "30");
    assert_eq!(response.body, r#"{"error":"temporarily_unavailable"}"#);
    assert_eq!(response.all("www-authenticate"), Vec::<&str>::new());
    let response = get(addr, "/api/me", &[&bearer(&valid_token())]).await;
    assert_eq!(response.status, 200, "{}", response.raw);
}

#[tokio::test]
async fn scheme_is_case_insensitive_and_spaces_may_repeat() {
    // RFC 9110 §11.1: the auth-scheme is case-insensitive; §11.4: 1*SP.
    let addr = start().await;
    let response = get(addr, "/api/me", &[&format!("authorization: bEARER   {}", valid_token())]).await;
    assert_eq!(response.status, 200, "{}", response.raw);
    assert_eq!(response.body, format!(r#"{{"provider":"email","role":"authenticated","sub":"{SUB}"}}"#));
}

#[tokio::test]
async fn expired_token() {
    let addr = start().await;
    // The service allows PostgREST's 30 s of leeway: exp = now - 30 is the
    // first expired second (RFC 7519 §4.1.4, expired "on or after" exp).
    for exp in [now() - 3600, now() - 30] {
        let token = access_token(SECRET, "x", "authenticated", exp);
        let response = get(addr, "/api/me", &[&bearer(&token)]).await;
        assert_invalid_token(&response, "the access token expired", &token);
        assert_eq!(
            response.header("www-authenticate"),
            r#"Bearer error="invalid_token", error_description="the access token expired""#
        );
    }
}

#[tokio::test]
async fn wrong_signature() {
    let addr = start().await;
    let token = access_token("another-secret-that-is-at-least-32-bytes-long", "x", "authenticated", now() + 3600);
    let response = get(addr, "/api/me", &[&bearer(&token)]).await;
    assert_invalid_token(&response, "the access token signature is invalid", &token);

    // The right signature on other claims: one flipped payload character.
    let valid = valid_token();
    let mut parts: Vec<String> = valid.split('.').map(str::to_owned).collect();
    let flipped = if parts[1].ends_with('A') { 'B' } else { 'A' };
    parts[1].pop();
    parts[1].push(flipped);
    let tampered = parts.join(".");
    let response = get(addr, "/api/me", &[&bearer(&tampered)]).await;
    assert_invalid_token(&response, "the access token signature is invalid", &tampered);
}

#[tokio::test]
async fn missing_header() {
    let addr = start().await;
    let response = get(addr, "/api/me", &[]).await;
    assert_eq!(response.status, 401);
    // RFC 6750 §3.1: no error code when the request has no authentication.
    assert_eq!(response.header("www-authenticate"), "Bearer");
    assert_eq!(response.body, UNAUTHORIZED_BODY);
}

#[tokio::test]
async fn other_schemes_get_the_plain_challenge() {
    let addr = start().await;
    for value in ["Basic dXNlcjpwYXNz", "Token abc", "Bearers abc", &format!("JWT {}", valid_token())] {
        let response = get(addr, "/api/me", &[&format!("Authorization: {value}")]).await;
        assert_eq!(response.status, 401, "{value}");
        assert_eq!(response.header("www-authenticate"), "Bearer", "{value}");
        assert_eq!(response.body, UNAUTHORIZED_BODY, "{value}");
    }
}

#[tokio::test]
async fn unreadable_bearer_values_are_a_bad_request() {
    let addr = start().await;
    // RFC 6750 §3.1 invalid_request: not `Bearer <token68>` (jwtcheck's
    // `invalid_request` kind, distinct from a token that fails).
    for value in ["Bearer", "Bearer ", "Bearer a b", "Bearer\ta.b.c", "Bearer a=b"] {
        let response = get(addr, "/api/me", &[&format!("Authorization: {value}")]).await;
        assert_eq!(response.status, 400, "{value:?}");
        assert_eq!(
            response.header("www-authenticate"),
            r#"Bearer error="invalid_request", error_description="the Authorization value is not Bearer and a token68""#,
            "{value:?}"
        );
        assert_eq!(response.body, r#"{"error":"invalid_request"}"#);
    }
}

#[tokio::test]
async fn malformed_bearer_tokens() {
    let addr = start().await;
    for value in ["Bearer not-a-jwt", "Bearer a.b.c", "Bearer a..c", "Bearer ...."] {
        let response = get(addr, "/api/me", &[&format!("Authorization: {value}")]).await;
        assert_eq!(response.status, 401, "{value:?}");
        assert_eq!(
            response.header("www-authenticate"),
            invalid_token("the access token is malformed or of an unsupported algorithm"),
            "{value:?}"
        );
        assert_eq!(response.body, INVALID_TOKEN_BODY);
    }
}

#[tokio::test]
async fn wrong_audience_and_issuer() {
    let addr = start().await;
    let iss = format!("{PROJECT_URL}/auth/v1");
    let token = access_token(SECRET, &iss, "anon", now() + 3600);
    let response = get(addr, "/api/me", &[&bearer(&token)]).await;
    assert_invalid_token(&response, "the access token audience is not accepted", &token);

    let token = access_token(SECRET, "https://otherproject.supabase.co/auth/v1", "authenticated", now() + 3600);
    let response = get(addr, "/api/me", &[&bearer(&token)]).await;
    assert_invalid_token(&response, "the access token issuer is not accepted", &token);

    // A legacy `anon` API key: signed with the same secret, but no aud.
    let anon = sign(
        SECRET,
        &format!(
            r#"{{"iss":"supabase","ref":"kqzrvxwlmtpbhdcnsjfg","role":"anon","iat":1767262245,"exp":{}}}"#,
            now() + 3600
        ),
    );
    let response = get(addr, "/api/me", &[&bearer(&anon)]).await;
    assert_invalid_token(&response, "the access token issuer is not accepted", &anon);
}

#[tokio::test]
async fn two_authorization_headers_are_a_bad_request() {
    let addr = start().await;
    let token = valid_token();
    let response = get(addr, "/api/me", &[&bearer(&token), &bearer(&token)]).await;
    assert_eq!(response.status, 400);
    // RFC 6750 §3.1 invalid_request: more than one way to send the token.
    assert_eq!(
        response.header("www-authenticate"),
        r#"Bearer error="invalid_request", error_description="more than one Authorization header""#
    );
    assert_eq!(response.body, r#"{"error":"invalid_request"}"#);
}

#[tokio::test]
async fn health_needs_no_token() {
    let addr = start().await;
    let response = get(addr, "/health", &[]).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body, "ok");
    assert_eq!(response.all("www-authenticate"), Vec::<&str>::new());
    // A token, even a bad one, does not matter outside /api.
    let response = get(addr, "/health", &["Authorization: Bearer a.b.c"]).await;
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn unknown_api_paths_need_a_token_before_404() {
    let addr = start().await;
    for path in ["/api/nope", "/api", "/api/me/", "/api/a/b", "/api/me?x=1"] {
        let response = get(addr, path, &[]).await;
        assert_eq!((response.status, response.all("www-authenticate")), (401, vec!["Bearer"]), "{path}");
    }
    // axum 0.8's `nest("/api", …)` does not match `/api/` itself: it gets the
    // outer, public 404, which says nothing about the API's routes.
    let response = get(addr, "/api/", &[]).await;
    assert_eq!((response.status, response.all("www-authenticate")), (404, vec![]));
    let response = get(addr, "/api/nope", &[&bearer(&valid_token())]).await;
    assert_eq!(response.status, 404);
    assert_eq!(response.body, r#"{"error":"not_found"}"#);
    // Outside /api an unknown path is a plain 404.
    assert_eq!(get(addr, "/nope", &[]).await.status, 404);
}

#[tokio::test]
async fn verified_outside_the_middleware_fails_closed() {
    use axum::Router;
    use axum::routing::get as route_get;
    use jwtcheck_axum_example::Verified;

    // A wiring mistake: a handler that wants claims on an unprotected route.
    async fn handler(claims: Verified) -> String {
        claims.sub().map(|s| s.to_string()).unwrap_or_default()
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, Router::new().route("/x", route_get(handler))).await.unwrap() });
    let response = get(addr, "/x", &[&bearer(&valid_token())]).await;
    assert_eq!(response.status, 500);
    assert_eq!(response.body, r#"{"error":"internal"}"#);
}
