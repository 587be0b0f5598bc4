#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

mod auth;
mod cache_control;
mod layer;
mod source;
mod stats;

pub use auth::{Auth, AuthBuilder, ConfigError, SUPABASE_AUDIENCE};
pub use jwtcheck;
pub use layer::{AuthLayer, AuthService, Rejection, Verified, error_description};
pub use source::{CACHE_SLOTS, FetchError, KeySource, Keys, Loaded, MAX_KEYS, VerifyError};
pub use stats::{REJECTION_KINDS, StatsSnapshot};
