//! Shared by the end-to-end tests: independent HS256 and ES256 signers
//! (RustCrypto directly, not jwtcheck), a local JWKS server playing the
//! Supabase project, and a minimal HTTP/1.1 client over a raw TCP socket, so
//! the tests see the exact bytes a real client would.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The Supabase CLI's public default secret (local stack), as raw bytes.
pub const SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters-long";

/// The project URL the issuer tests configure.
pub const PROJECT_URL: &str = "https://kqzrvxwlmtpbhdcnsjfg.supabase.co";

/// The user id in the tokens minted here.
pub const SUB: &str = "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01";

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A compact JWS of `payload` under `secret`, with Supabase's header.
pub fn sign(secret: &str, payload: &str) -> String {
    let header = r#"{"alg":"HS256","kid":"Xk3pQ9vLr2Tz+8bW","typ":"JWT"}"#;
    let input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(payload.as_bytes())
    );
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", Base64UrlUnpadded::encode_string(&mac.finalize().into_bytes()))
}

/// A Supabase-shaped access token of [`SUB`] expiring at `exp`.
pub fn access_token(secret: &str, iss: &str, aud: &str, exp: u64) -> String {
    let iat = exp.saturating_sub(3600);
    sign(
        secret,
        &format!(
            r#"{{"iss":"{iss}","sub":"{SUB}","aud":"{aud}","exp":{exp},"iat":{iat},"email":"zoe.obrien@example.com","phone":"","app_metadata":{{"provider":"email","providers":["email"]}},"user_metadata":{{"company":"Smith \u0026 Sons"}},"role":"authenticated","aal":"aal1","amr":[{{"method":"password","timestamp":{iat}}}],"session_id":"3c9a7b2e-5d41-4f08-a6e3-91b0c2d4f7a8","is_anonymous":false}}"#
        ),
    )
}

/// The Supabase-shaped fixture: its JWKS and the private keys behind it.
pub fn fixture() -> serde_json::Value {
    serde_json::from_str(include_str!("../../../../tests/data/supabase-asymmetric.json")).unwrap()
}

/// The JWKS the local server publishes (the fixture's, byte for byte).
pub fn jwks_json() -> String {
    fixture()["jwks_json"].as_str().unwrap().to_owned()
}

/// An ES256 access token of [`SUB`], signed by the fixture's first key
/// (whose `kid` the JWKS lists), valid for the next hour.
pub fn es256_token() -> String {
    use p256::ecdsa::signature::Signer;
    let fixture = fixture();
    let jwk = &fixture["private_jwks"]["keys"][0];
    assert_eq!(jwk["alg"], "ES256");
    let d = Base64UrlUnpadded::decode_vec(jwk["d"].as_str().unwrap()).unwrap();
    let key = p256::ecdsa::SigningKey::from_slice(&d).unwrap();
    let header = format!(r#"{{"alg":"ES256","kid":"{}","typ":"JWT"}}"#, jwk["kid"].as_str().unwrap());
    let exp = now() + 3600;
    let payload = format!(
        r#"{{"iss":"{PROJECT_URL}/auth/v1","sub":"{SUB}","aud":"authenticated","exp":{exp},"iat":{},"role":"authenticated","app_metadata":{{"provider":"email","providers":["email"]}},"is_anonymous":false}}"#,
        exp - 3600
    );
    let input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(payload.as_bytes())
    );
    let signature: p256::ecdsa::Signature = key.sign(input.as_bytes());
    format!("{input}.{}", Base64UrlUnpadded::encode_string(&signature.to_bytes()))
}

/// Serves `jwks` at every path, as Supabase serves its JWKS
/// (`Cache-Control: public, max-age=600`), on an ephemeral port; returns the
/// URL. The server task ends with the test's runtime.
pub async fn jwks_server(jwks: String) -> String {
    use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(move || {
        let jwks = jwks.clone();
        async move { ([(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "public, max-age=600")], jwks) }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/auth/v1/.well-known/jwks.json")
}

/// A token that is valid for the next hour.
pub fn valid_token() -> String {
    access_token(SECRET, &format!("{PROJECT_URL}/auth/v1"), "authenticated", now() + 3600)
}

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Names lowercased, values as sent, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Everything the server sent.
    pub raw: String,
}

impl Response {
    /// Every value of header `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The one value of header `name` (panics unless there is exactly one).
    pub fn header(&self, name: &str) -> &str {
        match self.all(name)[..] {
            [value] => value,
            ref other => panic!("{name}: expected one value, got {other:?}"),
        }
    }
}

/// Sends `GET path` with `headers` (each a full `Name: value` line) and reads
/// the whole response (the request says `Connection: close`).
pub async fn get(addr: SocketAddr, path: &str, headers: &[&str]) -> Response {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for line in headers {
        request.push_str(line);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        raw
    };
    let raw = tokio::time::timeout(Duration::from_secs(10), exchange).await.expect("the server did not answer in 10 s");
    parse(String::from_utf8(raw).unwrap())
}

fn parse(raw: String) -> Response {
    let (head, body) = raw.split_once("\r\n\r\n").expect("no end of headers");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.strip_prefix("HTTP/1.1 ").and_then(|s| s.get(..3)).unwrap().parse().unwrap();
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    Response { status, headers, body: body.to_owned(), raw: raw.clone() }
}
