//! Independent oracles shared by jwtcheck's fuzz targets.
//!
//! Nothing here calls into jwtcheck except to build a `Validation` from an
//! oracle [`jwt::Config`] and to compare results: the JSON syntax comes from
//! `serde_json`, base64url from the `base64` crate, the MAC from `hmac`/`sha2`,
//! and the rules of the crate's README ("What is checked, in order") are
//! restated in [`jwt::verdict`] in plain, allocation-happy Rust.

pub mod asymmetric;
pub mod date;
pub mod json;
pub mod jwt;
pub mod signed;
