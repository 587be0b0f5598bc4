//! Runs the example service.
//!
//! ```text
//! SUPABASE_URL=https://<ref>.supabase.co [SUPABASE_JWT_SECRET=…] [LISTEN_ADDR=127.0.0.1:3000] \
//!   cargo run --manifest-path examples/axum/Cargo.toml
//! ```
//!
//! Prints `listening on http://<addr>` once the socket is bound. Exit status 2
//! when the configuration is refused.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use jwtcheck_axum_example::{app, auth_from_vars};

const DEFAULT_ADDR: &str = "127.0.0.1:3000";

#[tokio::main]
async fn main() -> ExitCode {
    let auth = match auth_from_vars(|name| std::env::var(name).ok()) {
        Ok(auth) => auth,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // Fetch the keys before serving; if the JWKS is unreachable, serve
    // anyway: tokens that need it get 503 until a later fetch succeeds, and
    // legacy HS256 tokens still verify.
    match auth.load().await {
        Ok(keys) => eprintln!("loaded {keys} keys from {}", auth.source().url()),
        Err(e) => eprintln!("warning: {e}"),
    }
    let addr = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_owned());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    match listener.local_addr() {
        Ok(local) => println!("listening on http://{local}"),
        Err(e) => eprintln!("warning: local address unknown: {e}"),
    }
    let shutdown = async {
        // Ctrl-C stops accepting and lets requests in flight finish.
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app(&auth)).with_graceful_shutdown(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
