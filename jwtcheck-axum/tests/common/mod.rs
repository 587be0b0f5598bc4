//! Shared by the HTTP tests: a local JWKS server on 127.0.0.1 that plays a
//! Supabase project's Auth server (serves, fails, hangs, rotates, counts
//! requests), independent ES256 and HS256 signers (RustCrypto directly, not
//! jwtcheck), and a minimal HTTP/1.1 client over a raw socket, so the tests
//! see the bytes a real client would.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use jwtcheck_axum::{Auth, AuthBuilder};
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer as _;
use p256::elliptic_curve::Generate;
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Where Supabase publishes a project's JWKS.
pub const JWKS_PATH: &str = "/auth/v1/.well-known/jwks.json";

/// Where [`Mode::Redirect`] points: a path that always serves the JWKS, so
/// a client that followed the redirect would get keys (and be counted).
pub const MOVED_PATH: &str = "/moved/jwks.json";

/// The user id in the tokens minted here.
pub const SUB: &str = "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01";

/// The Supabase-shaped fixture (a copy of the library's
/// `tests/data/supabase-asymmetric.json`, so the packaged crate has it).
pub fn fixture() -> serde_json::Value {
    serde_json::from_str(include_str!("../data/supabase-asymmetric.json")).unwrap()
}

/// The fixture's legacy HS256 secret (the Supabase CLI's public default).
pub fn legacy_secret() -> String {
    fixture()["legacy_secret"].as_str().unwrap().to_owned()
}

/// The `kid` Supabase puts in legacy HS256 tokens; no JWKS lists it.
pub fn legacy_kid() -> String {
    fixture()["legacy_kid"].as_str().unwrap().to_owned()
}

/// The fixture's JWKS, byte for byte as Supabase serves it: two ES256 keys
/// and an RS256 key.
pub fn fixture_jwks() -> String {
    fixture()["jwks_json"].as_str().unwrap().to_owned()
}

/// Seconds since the Unix epoch by the system clock (`Auth::verify` reads
/// the same clock).
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Unpadded base64url.
pub fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// A random `kid` shaped like Supabase's (a version-4 UUID).
pub fn random_kid() -> String {
    let hex = format!("{:016x}{:016x}", u64::generate(), u64::generate());
    format!("{}-{}-4{}-8{}-{}", &hex[..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..])
}

/// An ES256 signing key and its `kid`.
pub struct Es256Signer {
    key: SigningKey,
    pub kid: String,
}

impl Es256Signer {
    /// A fresh random key with a random `kid`.
    pub fn generate() -> Self {
        Es256Signer { key: SigningKey::generate(), kid: random_kid() }
    }

    /// The fixture's first (in use) ES256 key, which [`fixture_jwks`] lists.
    pub fn fixture() -> Self {
        let fixture = fixture();
        let jwk = &fixture["private_jwks"]["keys"][0];
        assert_eq!(jwk["alg"], "ES256");
        let d = Base64UrlUnpadded::decode_vec(jwk["d"].as_str().unwrap()).unwrap();
        Es256Signer { key: SigningKey::from_slice(&d).unwrap(), kid: jwk["kid"].as_str().unwrap().to_owned() }
    }

    /// The public JWK, as Supabase publishes it.
    pub fn jwk(&self) -> String {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        assert_eq!(bytes.len(), 65, "uncompressed: 0x04 || x || y");
        format!(
            r#"{{"alg":"ES256","crv":"P-256","kid":"{}","kty":"EC","use":"sig","key_ops":["verify"],"x":"{}","y":"{}"}}"#,
            self.kid,
            b64(&bytes[1..33]),
            b64(&bytes[33..])
        )
    }

    /// A compact JWS of `payload` with Supabase's ES256 header and this
    /// signer's `kid`: the signature is r || s, 64 bytes (RFC 7518 §3.4).
    pub fn sign(&self, payload: &str) -> String {
        self.sign_as(&self.kid, payload)
    }

    /// As [`sign`](Self::sign), naming `kid` in the header instead.
    pub fn sign_as(&self, kid: &str, payload: &str) -> String {
        let header = format!(r#"{{"alg":"ES256","kid":"{kid}","typ":"JWT"}}"#);
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let signature: p256::ecdsa::Signature = self.key.sign(input.as_bytes());
        let signature = signature.to_bytes();
        assert_eq!(signature.len(), 64);
        format!("{input}.{}", b64(&signature))
    }
}

/// A JWKS document holding `signers`' public keys.
pub fn jwks(signers: &[&Es256Signer]) -> String {
    let keys: Vec<String> = signers.iter().map(|s| s.jwk()).collect();
    format!(r#"{{"keys":[{}]}}"#, keys.join(","))
}

/// A compact JWS of `payload` MAC'd with HS256 under `secret`, with
/// Supabase's legacy header (its `kid` when given).
pub fn hs256(secret: &str, kid: Option<&str>, payload: &str) -> String {
    let header = match kid {
        Some(kid) => format!(r#"{{"alg":"HS256","kid":"{kid}","typ":"JWT"}}"#),
        None => r#"{"alg":"HS256","typ":"JWT"}"#.to_owned(),
    };
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", b64(&mac.finalize().into_bytes()))
}

/// A Supabase access token's claims for the project at `base`, of [`SUB`],
/// expiring at `exp`.
pub fn claims_until(base: &str, exp: u64) -> String {
    let iat = exp.saturating_sub(3600);
    format!(
        r#"{{"iss":"{base}/auth/v1","sub":"{SUB}","aud":"authenticated","exp":{exp},"iat":{iat},"email":"zoe.obrien@example.com","phone":"","app_metadata":{{"provider":"email","providers":["email"]}},"user_metadata":{{}},"role":"authenticated","aal":"aal1","amr":[{{"method":"password","timestamp":{iat}}}],"session_id":"3c9a7b2e-5d41-4f08-a6e3-91b0c2d4f7a8","is_anonymous":false}}"#
    )
}

/// [`claims_until`] an hour from now.
pub fn claims(base: &str) -> String {
    claims_until(base, now() + 3600)
}

/// What the JWKS server answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// 200 with the current JWKS and its `Cache-Control`.
    Serve,
    /// 500 with an empty body.
    Fail,
    /// Reads the request and answers nothing until the mode changes (then
    /// answers as the new mode says, if the client is still there).
    Hang,
    /// This status (301, 302, …) with `Location:` [`MOVED_PATH`] on this
    /// server.
    Redirect(u16),
    /// 200 with these bytes instead of the JWKS (with `Content-Length`).
    Body(Vec<u8>),
    /// 200 with these bytes, `Transfer-Encoding: chunked` (no
    /// `Content-Length`), in chunks of 512 bytes.
    Chunked(Vec<u8>),
}

struct State {
    jwks: Mutex<String>,
    cache_control: Mutex<Option<String>>,
    mode: watch::Sender<Mode>,
    requests: AtomicUsize,
    request_lines: Mutex<Vec<String>>,
    /// For each request that hung: how long until the client hung up.
    hangs: Mutex<Vec<Duration>>,
}

/// A local server that plays a Supabase project's Auth server for its JWKS.
/// Stops when dropped.
pub struct JwksServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl JwksServer {
    /// Serves `jwks` with `Cache-Control: public, max-age=600`, as Supabase
    /// does.
    pub async fn start(jwks: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            jwks: Mutex::new(jwks),
            cache_control: Mutex::new(Some("public, max-age=600".to_owned())),
            mode: watch::Sender::new(Mode::Serve),
            requests: AtomicUsize::new(0),
            request_lines: Mutex::new(Vec::new()),
            hangs: Mutex::new(Vec::new()),
        });
        let serving = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                tokio::spawn(answer(stream, addr, Arc::clone(&serving)));
            }
        });
        JwksServer { addr, state, task }
    }

    /// The project URL, as `Auth::supabase` takes it.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// An `Auth` for this project: plain HTTP to loopback allowed, the
    /// legacy secret set; the test adds its policy.
    pub fn auth(&self) -> AuthBuilder {
        Auth::supabase(&self.base()).allow_http_loopback().legacy_secret(Some(legacy_secret()))
    }

    /// Claims of a token this project issues, valid for the next hour.
    pub fn claims(&self) -> String {
        claims(&self.base())
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state.mode.send_replace(mode);
    }

    pub fn set_jwks(&self, jwks: String) {
        *self.state.jwks.lock().unwrap() = jwks;
    }

    pub fn jwks(&self) -> String {
        self.state.jwks.lock().unwrap().clone()
    }

    /// `Cache-Control: public, max-age={seconds}` from now on.
    pub fn set_max_age(&self, seconds: u64) {
        self.set_cache_control(Some(&format!("public, max-age={seconds}")));
    }

    /// The `Cache-Control` value from now on (`None`: no such header).
    pub fn set_cache_control(&self, value: Option<&str>) {
        *self.state.cache_control.lock().unwrap() = value.map(str::to_owned);
    }

    /// A key rotation: the JWKS is replaced by one holding only a new key,
    /// whose signer is returned.
    pub fn rotate(&self) -> Es256Signer {
        let signer = Es256Signer::generate();
        self.set_jwks(jwks(&[&signer]));
        signer
    }

    /// Requests received so far, whatever was answered.
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// The request line of each request received.
    pub fn request_lines(&self) -> Vec<String> {
        self.state.request_lines.lock().unwrap().clone()
    }

    /// For each request that hung and whose client then hung up: how long
    /// it hung.
    pub fn hangs(&self) -> Vec<Duration> {
        self.state.hangs.lock().unwrap().clone()
    }
}

/// Reads one request (no body: the client sends `GET`s) and answers it as
/// the mode says, then closes the connection.
async fn answer(mut stream: TcpStream, addr: SocketAddr, state: Arc<State>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 16 * 1024 {
            return;
        }
    }
    let arrived = Instant::now();
    let text = String::from_utf8_lossy(&head);
    let request_line = text.lines().next().unwrap_or_default().to_owned();
    state.request_lines.lock().unwrap().push(request_line.clone());
    state.requests.fetch_add(1, Ordering::SeqCst);

    let mut mode = state.mode.borrow().clone();
    if mode == Mode::Hang {
        let mut changes = state.mode.subscribe();
        tokio::select! {
            changed = changes.wait_for(|m| *m != Mode::Hang) => {
                let Ok(changed) = changed else { return };
                mode = changed.clone();
            }
            // The client gave up (its timeout): nothing more comes.
            _ = stream.read(&mut buf) => {
                state.hangs.lock().unwrap().push(arrived.elapsed());
                return;
            }
        }
    }
    let path = request_line.split(' ').nth(1).unwrap_or_default();
    let cache_control = state.cache_control.lock().unwrap().clone();
    let jwks = state.jwks.lock().unwrap().clone().into_bytes();
    let response = match (path, mode) {
        (MOVED_PATH, _) => respond(200, &[], cache_control.as_deref(), &jwks),
        (JWKS_PATH, Mode::Serve | Mode::Hang) => respond(200, &[], cache_control.as_deref(), &jwks),
        (JWKS_PATH, Mode::Fail) => respond(500, &[], None, b""),
        (JWKS_PATH, Mode::Redirect(status)) => {
            let location = format!("http://{addr}{MOVED_PATH}");
            respond(status, &[("Location", &location)], None, b"")
        }
        (JWKS_PATH, Mode::Body(body)) => respond(200, &[], cache_control.as_deref(), &body),
        (JWKS_PATH, Mode::Chunked(body)) => chunked(cache_control.as_deref(), &body),
        _ => respond(404, &[], None, b""),
    };
    let _ = stream.write_all(&response).await;
    let _ = stream.shutdown().await;
}

fn head(status: u16, headers: &[(&str, &str)], cache_control: Option<&str>) -> String {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Other",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nConnection: close\r\n");
    if let Some(value) = cache_control {
        head.push_str(&format!("Cache-Control: {value}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head
}

fn respond(status: u16, headers: &[(&str, &str)], cache_control: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut response = head(status, headers, cache_control);
    response.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    [response.as_bytes(), body].concat()
}

fn chunked(cache_control: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut response = head(200, &[], cache_control).into_bytes();
    response.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
    for chunk in body.chunks(512) {
        response.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        response.extend_from_slice(chunk);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    response
}

/// Waits until `done` holds, polling every 5 ms; fails the test after
/// `within`.
pub async fn eventually(what: &str, within: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "{what}: not within {within:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Sleeps until `instant` (a `std` one, as `Loaded` carries), plus a margin
/// so that `Instant::now() >= instant` holds afterwards.
pub async fn sleep_past(instant: Instant) {
    tokio::time::sleep_until(tokio::time::Instant::from_std(instant + Duration::from_millis(20))).await;
}

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Names lowercased, values as sent, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// Every value of header `name` (lowercase).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The one value of header `name`; fails unless there is exactly one.
    pub fn header(&self, name: &str) -> &str {
        match self.all(name)[..] {
            [value] => value,
            ref other => panic!("{name}: expected one value, got {other:?} in {self:?}"),
        }
    }
}

/// Sends `GET path` with `headers` (full `Name: value` lines) and reads the
/// whole response (the request says `Connection: close`); 10 s at most.
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
    let raw = tokio::time::timeout(Duration::from_secs(10), exchange).await.expect("no answer within 10 s");
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("no end of the header section");
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().strip_prefix("HTTP/1.1 ").and_then(|s| s.get(..3)).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    assert!(!headers.iter().any(|(n, _)| n == "transfer-encoding"), "this client reads identity bodies only");
    Response { status, headers, body: body.to_owned() }
}
