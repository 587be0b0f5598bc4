//! Runs the example service.
//!
//! ```text
//! SUPABASE_JWT_SECRET=… [SUPABASE_URL=https://<ref>.supabase.co] [LISTEN_ADDR=127.0.0.1:3000] \
//!   cargo run --manifest-path examples/axum/Cargo.toml
//! ```
//!
//! Prints `listening on http://<addr>` once the socket is bound. Exit status 2
//! when the configuration is refused.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::Arc;

use jwtcheck_axum_example::{Auth, app};

const DEFAULT_ADDR: &str = "127.0.0.1:3000";

#[tokio::main]
async fn main() -> ExitCode {
    // Key and rules are built once here; every request shares them.
    let auth = match Auth::from_env() {
        Ok(auth) => Arc::new(auth),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
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
    match axum::serve(listener, app(auth)).with_graceful_shutdown(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
