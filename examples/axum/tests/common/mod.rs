//! Shared by the end-to-end tests: an independent HS256 signer (RustCrypto
//! directly, not jwtcheck) and a minimal HTTP/1.1 client over a raw TCP
//! socket, so the tests see the exact bytes a real client would.
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
