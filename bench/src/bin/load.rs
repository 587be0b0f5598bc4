//! A bounded HTTP load test of the same service on jwtcheck-axum and on
//! jsonwebtoken: `cargo run --release -p jwtcheck-bench --bin load
//! --features jwtcheck-axum/aws-lc-rs -- [--clients N] [--requests M]
//! [--warmup W]` (the feature is jwtcheck-axum's default, off in this
//! crate's dependency so that the other benchmarks stay on the portable
//! path; without it the jwtcheck-axum rows are the portable p256's).
//!
//! One process holds a JWKS server (Supabase's path and `Cache-Control`,
//! one ES256 key), the two services (`GET /api/me` answering the verified
//! `sub`, each on its own loopback port) and the load generator: N tokio
//! tasks, each with its own keep-alive HTTP/1.1 connection, sending M
//! requests in all per row, each token of a pool of 16 per algorithm in
//! turn. Every latency is kept; any answer but 200 with the token's `sub`,
//! and any request lost, is an error and the exit status is 1.
//!
//! Client and servers share the machine's cores, so the figures compare the
//! two services; they are not the capacity of either.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Extension, Request, State};
use axum::http::StatusCode;
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use base64ct::{Base64UrlUnpadded, Encoding};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use jwtcheck_axum::{Auth, Verified};
use jwtcheck_bench::backend::{self, Backend};
use jwtcheck_bench::{b64, now, sign, spoil_signature};
use p256::ecdsa::signature::Signer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Barrier;

const USAGE: &str = "usage: load [--clients N] [--requests M] [--warmup W]
  --clients N   concurrent keep-alive connections (default 64)
  --requests M  measured requests per row, in all (default 200000)
  --warmup W    requests per row before measuring (default 5000)";

/// Distinct tokens per algorithm, so that no layer answers from a cache.
const POOL: usize = 16;

/// A request unanswered for this long is lost: the run stays bounded.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest answer read (headers and body); `/api/me` answers ~150 bytes.
const RESPONSE_BUFFER: usize = 8 * 1024;

struct Args {
    clients: usize,
    requests: usize,
    warmup: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { clients: 64, requests: 200_000, warmup: 5_000 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let slot = match flag.as_str() {
            "--clients" => &mut args.clients,
            "--requests" => &mut args.requests,
            "--warmup" => &mut args.warmup,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        };
        let value = it.next().ok_or_else(|| format!("{flag} needs a number"))?;
        *slot = value.parse().map_err(|_| format!("{flag}: not a number: {value:?}"))?;
    }
    if args.clients == 0 || args.requests == 0 {
        return Err("--clients and --requests must be at least 1".to_owned());
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("load: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("load: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The Supabase-shaped fixture: its JWKS, private keys, legacy secret and kid.
struct Fixture {
    /// The first ES256 key's public JWK, as served.
    public_jwk: serde_json::Value,
    signing: p256::ecdsa::SigningKey,
    kid: String,
    legacy_secret: String,
    legacy_kid: String,
}

fn fixture() -> Result<Fixture, String> {
    let v: serde_json::Value = serde_json::from_str(include_str!("../../../tests/data/supabase-asymmetric.json"))
        .map_err(|e| format!("fixture: {e}"))?;
    let text = |v: &serde_json::Value, name: &str| {
        v[name].as_str().map(str::to_owned).ok_or_else(|| format!("fixture: no {name}"))
    };
    let public_jwk = v["jwks"]["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["alg"] == "ES256"))
        .cloned()
        .ok_or("fixture: no ES256 key")?;
    let kid = text(&public_jwk, "kid")?;
    let private = v["private_jwks"]["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid.as_str()))
        .ok_or("fixture: no private key of that kid")?;
    let d = Base64UrlUnpadded::decode_vec(&text(private, "d")?).map_err(|_| "fixture: d is not base64url")?;
    let signing = p256::ecdsa::SigningKey::from_slice(&d).map_err(|_| "fixture: d is not a P-256 scalar")?;
    Ok(Fixture {
        public_jwk,
        signing,
        kid,
        legacy_secret: text(&v, "legacy_secret")?,
        legacy_kid: text(&v, "legacy_kid")?,
    })
}

/// The claims of a Supabase access token for user number `i`, as the Auth
/// server writes them (escapes and a non-ASCII name included).
fn supabase_payload(iss: &str, i: usize, iat: u64) -> (String, String) {
    let sub = format!("8f14e45f-ceea-4e6a-9f3b-{i:012x}");
    let exp = iat + 3600;
    let payload = format!(
        r#"{{"iss":"{iss}","sub":"{sub}","aud":"authenticated","exp":{exp},"iat":{iat},"email":"user{i}@example.com","phone":"","app_metadata":{{"provider":"email","providers":["email"]}},"user_metadata":{{"company":"Smith \u0026 Sons \u003cUK\u003e","email_verified":true,"full_name":"Zoë O'Brien"}},"role":"authenticated","aal":"aal1","amr":[{{"method":"password","timestamp":{iat}}}],"session_id":"3c9a7b2e-5d41-4f08-a6e3-{i:012x}","is_anonymous":false}}"#
    );
    (sub, payload)
}

/// A token of the pool and the `sub` the service must answer with.
struct PoolToken {
    token: String,
    sub: String,
}

fn hs256_pool(fixture: &Fixture, iss: &str) -> Vec<PoolToken> {
    let header = format!(r#"{{"alg":"HS256","kid":"{}","typ":"JWT"}}"#, fixture.legacy_kid);
    (0..POOL)
        .map(|i| {
            let (sub, payload) = supabase_payload(iss, i, now());
            PoolToken { token: sign(fixture.legacy_secret.as_bytes(), &header, &payload), sub }
        })
        .collect()
}

fn es256_pool(fixture: &Fixture, iss: &str) -> Vec<PoolToken> {
    let header = format!(r#"{{"alg":"ES256","kid":"{}","typ":"JWT"}}"#, fixture.kid);
    (0..POOL)
        .map(|i| {
            // Other users than the HS256 pool's.
            let (sub, payload) = supabase_payload(iss, POOL + i, now());
            let signing_input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
            let signature: p256::ecdsa::Signature = fixture.signing.sign(signing_input.as_bytes());
            PoolToken { token: format!("{signing_input}.{}", b64(&signature.to_bytes())), sub }
        })
        .collect()
}

/// Serves `router` on a fresh loopback port, with Nagle off as clients of a
/// request/response protocol want it.
async fn serve(router: Router) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("bind: {e}"))?;
    let listener = listener.tap_io(|stream| {
        let _ = stream.set_nodelay(true);
    });
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            eprintln!("load: server on {addr}: {e}");
        }
    });
    Ok(addr)
}

/// The JWKS server: what `GET /auth/v1/.well-known/jwks.json` of a Supabase
/// project answers, with this one key.
fn jwks_router(jwks: String) -> Router {
    Router::new().route(
        "/auth/v1/.well-known/jwks.json",
        get(move || {
            let body = jwks.clone();
            async move { ([(CACHE_CONTROL, "public, max-age=600"), (CONTENT_TYPE, "application/json")], body) }
        }),
    )
}

/// Service (a): jwtcheck-axum's layer and extractor.
async fn me_jwtcheck(claims: Verified) -> String {
    claims.sub().map(|s| s.to_string()).unwrap_or_default()
}

fn jwtcheck_router(auth: &Auth) -> Router {
    Router::new().route("/api/me", get(me_jwtcheck)).layer(auth.layer())
}

/// Service (b): jsonwebtoken in an axum middleware, written as its users do:
/// the JWKS fetched once at start-up into a map by `kid`, the legacy secret
/// for HS256, `decode` with aud, iss and exp checked.
struct JsonWebTokenKeys {
    by_kid: HashMap<String, DecodingKey>,
    legacy: DecodingKey,
    es256: Validation,
    hs256: Validation,
}

/// The claims the handler uses.
#[derive(Clone, serde::Deserialize)]
struct User {
    sub: String,
}

impl JsonWebTokenKeys {
    async fn fetch(jwks_url: &str, issuer: &str, legacy_secret: &str) -> Result<Self, String> {
        let body = reqwest::get(jwks_url)
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("JWKS fetch: {e}"))?
            .bytes()
            .await
            .map_err(|e| format!("JWKS fetch: {e}"))?;
        let set: JwkSet = serde_json::from_slice(&body).map_err(|e| format!("JWKS: {e}"))?;
        let mut by_kid = HashMap::new();
        for jwk in &set.keys {
            if let Some(kid) = &jwk.common.key_id {
                by_kid.insert(kid.clone(), DecodingKey::from_jwk(jwk).map_err(|e| format!("JWK {kid}: {e}"))?);
            }
        }
        let validation = |alg| {
            let mut v = Validation::new(alg);
            // The same rules as jwtcheck-axum's: no leeway (jsonwebtoken's
            // default is 60 s), aud, iss and exp required.
            v.leeway = 0;
            v.set_audience(&["authenticated"]);
            v.set_issuer(&[issuer]);
            v.set_required_spec_claims(&["exp", "aud", "iss"]);
            v
        };
        Ok(JsonWebTokenKeys {
            by_kid,
            legacy: DecodingKey::from_secret(legacy_secret.as_bytes()),
            es256: validation(Algorithm::ES256),
            hs256: validation(Algorithm::HS256),
        })
    }

    fn verify(&self, token: &str) -> jsonwebtoken::errors::Result<User> {
        let header = decode_header(token)?;
        let data = match header.alg {
            Algorithm::HS256 => decode::<User>(token, &self.legacy, &self.hs256)?,
            Algorithm::ES256 => {
                let key = header
                    .kid
                    .as_deref()
                    .and_then(|kid| self.by_kid.get(kid))
                    .ok_or(jsonwebtoken::errors::ErrorKind::InvalidToken)?;
                decode::<User>(token, key, &self.es256)?
            }
            _ => return Err(jsonwebtoken::errors::ErrorKind::InvalidAlgorithm.into()),
        };
        Ok(data.claims)
    }
}

async fn require_user(State(keys): State<Arc<JsonWebTokenKeys>>, mut request: Request, next: Next) -> Response {
    let user = {
        let token = request
            .headers()
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        match token.map(|token| keys.verify(token)) {
            Some(Ok(user)) => user,
            _ => return StatusCode::UNAUTHORIZED.into_response(),
        }
    };
    request.extensions_mut().insert(user);
    next.run(request).await
}

async fn me_jsonwebtoken(Extension(user): Extension<User>) -> String {
    user.sub
}

fn jsonwebtoken_router(keys: Arc<JsonWebTokenKeys>) -> Router {
    Router::new().route("/api/me", get(me_jsonwebtoken)).layer(from_fn_with_state(keys, require_user))
}

/// The faster jsonwebtoken backend for the token `token`, timed in this
/// process (no HTTP), with both timings in ns per verification.
fn faster_backend(keys: &JsonWebTokenKeys, token: &str, iterations: u32) -> Result<(Backend, u128, u128), String> {
    let mut ns = [0u128; 2];
    for (slot, b) in ns.iter_mut().zip([Backend::RustCrypto, Backend::AwsLc]) {
        backend::select(b);
        keys.verify(token).map_err(|e| format!("jsonwebtoken ({b:?}) refuses a pool token: {e}"))?;
        let start = Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(keys.verify(std::hint::black_box(token)).is_ok());
        }
        *slot = start.elapsed().as_nanos() / u128::from(iterations);
    }
    let [rust_crypto, aws_lc] = ns;
    Ok((if aws_lc < rust_crypto { Backend::AwsLc } else { Backend::RustCrypto }, rust_crypto, aws_lc))
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::RustCrypto => "rust_crypto",
        Backend::AwsLc => "aws_lc_rs",
    }
}

/// One request, ready to write, and the body its answer must have.
struct Prepared {
    bytes: Vec<u8>,
    sub: String,
}

fn prepare(addr: SocketAddr, pool: &[PoolToken]) -> Arc<[Prepared]> {
    pool.iter()
        .map(|t| Prepared {
            bytes: format!("GET /api/me HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\r\n", t.token)
                .into_bytes(),
            sub: t.sub.clone(),
        })
        .collect()
}

/// What one client saw.
struct ClientTally {
    latencies: Vec<u64>,
    sent: u64,
    answered: u64,
    ok: u64,
    wrong_body: u64,
    statuses: BTreeMap<u16, u64>,
    failure: Option<String>,
}

/// Reads one answer into `buf`: its status, and where its body starts and
/// ends. Nothing is pipelined, so bytes past the answer are an error.
async fn read_response(stream: &mut TcpStream, buf: &mut [u8]) -> Result<(u16, usize, usize), String> {
    let mut filled = 0;
    loop {
        let free = buf.get_mut(filled..).filter(|free| !free.is_empty()).ok_or("answer too large")?;
        let n = stream.read(free).await.map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("connection closed by the server".to_owned());
        }
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; 16];
        let mut response = httparse::Response::new(&mut headers);
        let head = match response.parse(buf.get(..filled).unwrap_or_default()) {
            Ok(httparse::Status::Partial) => continue,
            Ok(httparse::Status::Complete(head)) => head,
            Err(e) => return Err(format!("answer: {e}")),
        };
        let status = response.code.ok_or("answer without a status")?;
        let length = response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-length"))
            .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse::<usize>().ok())
            .ok_or("answer without a Content-Length")?;
        let end = head.checked_add(length).filter(|&end| end <= buf.len()).ok_or("answer too large")?;
        while filled < end {
            let free = buf.get_mut(filled..).unwrap_or_default();
            let n = stream.read(free).await.map_err(|e| format!("read: {e}"))?;
            if n == 0 {
                return Err("connection closed mid-answer".to_owned());
            }
            filled += n;
        }
        if filled != end {
            return Err("bytes after the answer".to_owned());
        }
        return Ok((status, head, end));
    }
}

/// One keep-alive connection sending `count` requests, the pool's from
/// `first` on in turn, each after the previous answer.
async fn client(
    addr: SocketAddr,
    requests: Arc<[Prepared]>,
    first: usize,
    count: usize,
    start: Arc<Barrier>,
) -> ClientTally {
    let mut tally = ClientTally {
        latencies: Vec::with_capacity(count),
        sent: 0,
        answered: 0,
        ok: 0,
        wrong_body: 0,
        statuses: BTreeMap::new(),
        failure: None,
    };
    let connected = TcpStream::connect(addr).await.and_then(|s| s.set_nodelay(true).map(|()| s));
    // Every client waits, connected or not, or the others would wait forever.
    start.wait().await;
    let mut stream = match connected {
        Ok(stream) => stream,
        Err(e) => {
            tally.failure = Some(format!("connect: {e}"));
            return tally;
        }
    };
    let mut buf = vec![0u8; RESPONSE_BUFFER];
    for i in 0..count {
        let Some(request) = requests.get((first + i) % requests.len()) else { break };
        let sent_at = Instant::now();
        if let Err(e) = stream.write_all(&request.bytes).await {
            tally.failure = Some(format!("write: {e}"));
            break;
        }
        tally.sent += 1;
        let answer = match tokio::time::timeout(READ_TIMEOUT, read_response(&mut stream, &mut buf)).await {
            Ok(answer) => answer,
            Err(_) => Err(format!("no answer within {READ_TIMEOUT:?}")),
        };
        let (status, body_start, body_end) = match answer {
            Ok(answer) => answer,
            Err(e) => {
                tally.failure = Some(e);
                break;
            }
        };
        tally.latencies.push(u64::try_from(sent_at.elapsed().as_nanos()).unwrap_or(u64::MAX));
        tally.answered += 1;
        *tally.statuses.entry(status).or_default() += 1;
        if status == 200 {
            if buf.get(body_start..body_end) == Some(request.sub.as_bytes()) {
                tally.ok += 1;
            } else {
                tally.wrong_body += 1;
            }
        }
    }
    tally
}

/// A row's figures.
struct RowResult {
    requests: usize,
    errors: usize,
    seconds: f64,
    /// The process's CPU time (user and system) over the row, connecting
    /// included.
    cpu_seconds: f64,
    /// Sorted, ns.
    latencies: Vec<u64>,
    detail: String,
}

/// `total` requests from `clients` connections; the clock starts once all
/// are connected and stops when the last answer is in.
async fn load(addr: SocketAddr, requests: &Arc<[Prepared]>, clients: usize, total: usize) -> RowResult {
    let start = Arc::new(Barrier::new(clients + 1));
    let cpu_before = process_cpu_seconds();
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let count = total / clients + usize::from(i < total % clients);
            tokio::spawn(client(addr, requests.clone(), i, count, start.clone()))
        })
        .collect();
    start.wait().await;
    let began = Instant::now();
    let mut tallies = Vec::with_capacity(clients);
    let mut panicked = 0;
    for handle in handles {
        match handle.await {
            Ok(tally) => tallies.push(tally),
            Err(_) => panicked += 1,
        }
    }
    let seconds = began.elapsed().as_secs_f64();
    let cpu_seconds = process_cpu_seconds() - cpu_before;

    let mut latencies = Vec::with_capacity(total);
    let (mut sent, mut answered, mut ok, mut wrong_body) = (0u64, 0u64, 0u64, 0u64);
    let mut statuses = BTreeMap::<u16, u64>::new();
    let mut failures = Vec::new();
    for tally in tallies {
        latencies.extend_from_slice(&tally.latencies);
        sent += tally.sent;
        answered += tally.answered;
        ok += tally.ok;
        wrong_body += tally.wrong_body;
        for (status, n) in tally.statuses {
            *statuses.entry(status).or_default() += n;
        }
        failures.extend(tally.failure);
    }
    latencies.sort_unstable();
    let ok = usize::try_from(ok).unwrap_or(usize::MAX);
    let mut detail = format!("sent {sent}, answered {answered}, statuses {statuses:?}, wrong bodies {wrong_body}");
    if panicked > 0 {
        detail.push_str(&format!(", {panicked} client tasks panicked"));
    }
    if let Some(first) = failures.first() {
        detail.push_str(&format!(", {} connections failed (first: {first})", failures.len()));
    }
    RowResult { requests: total, errors: total.saturating_sub(ok), seconds, cpu_seconds, latencies, detail }
}

/// The nearest-rank percentile `per_100k` / 100 000 of `sorted`, in µs.
fn percentile_us(sorted: &[u64], per_100k: usize) -> f64 {
    let rank = (sorted.len() * per_100k).div_ceil(100_000);
    sorted.get(rank.saturating_sub(1)).map_or(f64::NAN, |&ns| ns as f64 / 1_000.0)
}

/// A token the service must refuse with 401: the pool's first, its
/// signature changed; proves the service checks before the load shows speed.
async fn assert_refuses_forgery(addr: SocketAddr, token: &str) -> Result<(), String> {
    let request =
        format!("GET /api/me HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\r\n", spoil_signature(token));
    let mut stream = TcpStream::connect(addr).await.map_err(|e| format!("connect {addr}: {e}"))?;
    stream.write_all(request.as_bytes()).await.map_err(|e| format!("write: {e}"))?;
    let mut buf = vec![0u8; RESPONSE_BUFFER];
    let answer = tokio::time::timeout(READ_TIMEOUT, read_response(&mut stream, &mut buf))
        .await
        .map_err(|_| "no answer to the forged token".to_owned())??;
    match answer.0 {
        401 => Ok(()),
        status => Err(format!("{addr} answered {status} to a forged token")),
    }
}

/// jwtcheck-axum's verification alone (`Auth::verify`, as its layer calls
/// it), in ns per token.
async fn jwtcheck_ns(auth: &Auth, token: &str, iterations: u32) -> Result<u128, String> {
    auth.verify(token).await.map_err(|e| format!("jwtcheck-axum refuses a pool token: {e:?}"))?;
    let start = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(auth.verify(std::hint::black_box(token)).await.is_ok());
    }
    Ok(start.elapsed().as_nanos() / u128::from(iterations))
}

/// The CPU time of this process so far (all threads, user and system),
/// from `/proc/self/stat` (fields 14 and 15, in clock ticks of 1/100 s on
/// Linux); 0 where it cannot be read.
fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // The command name (field 2) may hold spaces: count after its `)`.
    let Some((_, rest)) = stat.rsplit_once(')') else { return 0.0 };
    let mut fields = rest.split_whitespace().skip(11);
    let mut ticks = || fields.next().and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    (ticks() + ticks()) as f64 / 100.0
}

/// The 1, 5 and 15 minute load averages: other work on the machine shows.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

async fn run(args: &Args) -> Result<bool, String> {
    let fixture = fixture()?;

    let jwks = serde_json::json!({ "keys": [fixture.public_jwk] }).to_string();
    let jwks_addr = serve(jwks_router(jwks)).await?;
    let project = format!("http://{jwks_addr}");
    let issuer = format!("{project}/auth/v1");
    let jwks_url = format!("{issuer}/.well-known/jwks.json");

    let auth = Auth::supabase(&project)
        .allow_http_loopback()
        .legacy_secret(Some(&fixture.legacy_secret))
        .build()
        .map_err(|e| format!("jwtcheck-axum: {e}"))?;
    let loaded = auth.load().await.map_err(|e| format!("jwtcheck-axum JWKS load: {e}"))?;
    if loaded != 1 {
        return Err(format!("jwtcheck-axum loaded {loaded} keys, expected the one served"));
    }
    let jsonwebtoken_keys = Arc::new(JsonWebTokenKeys::fetch(&jwks_url, &issuer, &fixture.legacy_secret).await?);
    if jsonwebtoken_keys.by_kid.len() != 1 {
        return Err(format!("jsonwebtoken service loaded {} keys, expected 1", jsonwebtoken_keys.by_kid.len()));
    }

    let jwtcheck_addr = serve(jwtcheck_router(&auth)).await?;
    // The same service with the token cache on: the pool's tokens repeat,
    // as a client's access token does on every request until it expires.
    let cached = Auth::supabase(&project)
        .allow_http_loopback()
        .legacy_secret(Some(&fixture.legacy_secret))
        .token_cache(4)
        .build()
        .map_err(|e| format!("jwtcheck-axum: {e}"))?;
    cached.load().await.map_err(|e| format!("jwtcheck-axum JWKS load: {e}"))?;
    let cached_addr = serve(jwtcheck_router(&cached)).await?;
    let jsonwebtoken_addr = serve(jsonwebtoken_router(jsonwebtoken_keys.clone())).await?;

    let hs256 = hs256_pool(&fixture, &issuer);
    let es256 = es256_pool(&fixture, &issuer);
    let first = |pool: &[PoolToken]| pool.first().map(|t| t.token.clone()).ok_or("empty pool".to_owned());
    let (hs256_first, es256_first) = (first(&hs256)?, first(&es256)?);

    let (hs256_backend, hs_rc, hs_aws) = faster_backend(&jsonwebtoken_keys, &hs256_first, 20_000)?;
    let (es256_backend, es_rc, es_aws) = faster_backend(&jsonwebtoken_keys, &es256_first, 1_000)?;

    for addr in [jwtcheck_addr, cached_addr, jsonwebtoken_addr] {
        for token in [&hs256_first, &es256_first] {
            assert_refuses_forgery(addr, token).await?;
        }
    }

    let hs256_jwtcheck = jwtcheck_ns(&auth, &hs256_first, 20_000).await?;
    let es256_jwtcheck = jwtcheck_ns(&auth, &es256_first, 1_000).await?;

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let assembly = jwtcheck_axum::jwtcheck::Es256Key::from_jwk(&fixture.public_jwk.to_string())
        .map_err(|e| format!("fixture JWK: {e}"))?
        .uses_assembly();
    println!(
        "jwtcheck-axum's ES256 backend: {}.",
        if assembly { "aws-lc-rs (its default feature)" } else { "portable p256 (built without aws-lc-rs)" }
    );
    println!(
        "{cores} cores (nproc), {}, load average {} at the start; {} clients (keep-alive HTTP/1.1), {} requests per row after {} warm-up, {POOL} tokens per algorithm. Client and servers run in this one process (one tokio runtime, {cores} workers) on these cores: the figures are relative, not capacity. CPU is this process's share of all cores over the row (under 100 % when other work ran).",
        cpu_model(),
        load_average(),
        args.clients,
        args.requests,
        args.warmup,
    );
    println!();
    println!(
        "One verification in process, no HTTP (ns): HS256 jwtcheck-axum {hs256_jwtcheck}, jsonwebtoken rust_crypto {hs_rc}, aws_lc_rs {hs_aws}; ES256 jwtcheck-axum {es256_jwtcheck}, jsonwebtoken rust_crypto {es_rc}, aws_lc_rs {es_aws}. The jsonwebtoken rows use the faster backend: HS256 {}, ES256 {}.",
        backend_name(hs256_backend),
        backend_name(es256_backend),
    );
    println!();
    println!("| row | requests | errors | seconds | requests/s | p50 µs | p99 µs | p99.9 µs | CPU |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

    let rows = [
        ("HS256 jwtcheck-axum", jwtcheck_addr, &hs256, None),
        ("HS256 jwtcheck-axum, token cache", cached_addr, &hs256, None),
        ("HS256 jsonwebtoken", jsonwebtoken_addr, &hs256, Some(hs256_backend)),
        ("ES256 jwtcheck-axum", jwtcheck_addr, &es256, None),
        ("ES256 jwtcheck-axum, token cache", cached_addr, &es256, None),
        ("ES256 jsonwebtoken", jsonwebtoken_addr, &es256, Some(es256_backend)),
    ];
    let mut all_ok = true;
    for (name, addr, pool, jsonwebtoken_backend) in rows {
        if let Some(b) = jsonwebtoken_backend {
            backend::select(b);
        }
        let requests = prepare(addr, pool);
        if args.warmup > 0 {
            let warm = load(addr, &requests, args.clients, args.warmup).await;
            if warm.errors > 0 {
                all_ok = false;
                eprintln!("{name} warm-up: {} errors of {}: {}", warm.errors, warm.requests, warm.detail);
            }
        }
        let row = load(addr, &requests, args.clients, args.requests).await;
        println!(
            "| {name} | {} | {} | {:.2} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} % |",
            row.requests,
            row.errors,
            row.seconds,
            row.latencies.len() as f64 / row.seconds,
            percentile_us(&row.latencies, 50_000),
            percentile_us(&row.latencies, 99_000),
            percentile_us(&row.latencies, 99_900),
            100.0 * row.cpu_seconds / (row.seconds * cores as f64),
        );
        if row.errors > 0 {
            all_ok = false;
            eprintln!("{name}: {} errors of {}: {}", row.errors, row.requests, row.detail);
        }
    }
    println!();
    println!("Load average {} at the end.", load_average());
    eprintln!("jwtcheck-axum stats: {:?}", auth.stats());
    Ok(all_ok)
}
