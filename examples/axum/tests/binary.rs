//! The binary as a user runs it: configured from the environment, listening
//! on the address it prints.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use common::*;

fn service() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jwtcheck-axum-example"));
    command
        .env_remove("SUPABASE_JWT_SECRET")
        .env_remove("SUPABASE_URL")
        .env_remove("SUPABASE_JWKS_URL")
        .env("LISTEN_ADDR", "127.0.0.1:0");
    command
}

/// Kills the child when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// Two workers: the test blocks one reading the child's stdout while the
// JWKS server answers the child's fetch on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_with_the_keys_secret_and_issuer_from_the_environment() {
    let jwks = jwks_server(jwks_json()).await;
    let child = service()
        .env("SUPABASE_JWT_SECRET", SECRET)
        .env("SUPABASE_URL", format!("{PROJECT_URL}/"))
        .env("SUPABASE_JWKS_URL", &jwks)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let mut line = String::new();
    BufReader::new(running.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr: SocketAddr = line.trim_end().strip_prefix("listening on http://").unwrap().parse().unwrap();
    assert_eq!(addr.ip().to_string(), "127.0.0.1");

    let response = get(addr, "/api/me", &[&format!("Authorization: Bearer {}", valid_token())]).await;
    assert_eq!(response.status, 200, "{}", response.raw);
    assert_eq!(response.body, format!(r#"{{"provider":"email","role":"authenticated","sub":"{SUB}"}}"#));
    // The keys were loaded from SUPABASE_JWKS_URL before the first request.
    let response = get(addr, "/api/me", &[&format!("Authorization: Bearer {}", es256_token())]).await;
    assert_eq!(response.status, 200, "{}", response.raw);

    // The issuer came from SUPABASE_URL (trailing slash dropped).
    let other = access_token(SECRET, "https://elsewhere.supabase.co/auth/v1", "authenticated", now() + 3600);
    let response = get(addr, "/api/me", &[&format!("Authorization: Bearer {other}")]).await;
    assert_eq!(response.status, 401);
    assert_eq!(
        response.header("www-authenticate"),
        r#"Bearer error="invalid_token", error_description="the access token issuer is not accepted""#
    );
}

#[test]
fn refuses_to_start_without_a_usable_configuration() {
    let output = service().env("SUPABASE_JWT_SECRET", SECRET).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "error: SUPABASE_URL is not set\n");

    let output = service().env("SUPABASE_URL", PROJECT_URL).env("SUPABASE_JWT_SECRET", "too-short").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: legacy HS256 secret: weak_key: the HMAC secret is shorter than 32 bytes\n"
    );
}
