//! One process, both jsonwebtoken backends: jsonwebtoken 11 picks its
//! cryptography through a process-wide `CryptoProvider` installed once, so
//! the benchmark installs a provider that forwards to the RustCrypto or the
//! aws-lc-rs provider by a switch it can flip between benchmark rows.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils, aws_lc, rust_crypto};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

/// A jsonwebtoken cryptography backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// RustCrypto (`rust_crypto` feature): `p256`, `hmac`, `rsa`.
    RustCrypto,
    /// aws-lc-rs (`aws_lc_rs` feature): assembly.
    AwsLc,
}

static AWS_LC: AtomicBool = AtomicBool::new(false);

fn current() -> &'static CryptoProvider {
    if AWS_LC.load(Ordering::Relaxed) { &aws_lc::DEFAULT_PROVIDER } else { &rust_crypto::DEFAULT_PROVIDER }
}

fn signer(alg: &Algorithm, key: &EncodingKey) -> jsonwebtoken::errors::Result<Box<dyn JwtSigner>> {
    (current().signer_factory)(alg, key)
}

fn verifier(alg: &Algorithm, key: &DecodingKey) -> jsonwebtoken::errors::Result<Box<dyn JwtVerifier>> {
    (current().verifier_factory)(alg, key)
}

static DISPATCH: CryptoProvider = CryptoProvider {
    signer_factory: signer,
    verifier_factory: verifier,
    // The benchmarks build keys from components, never from a JWK.
    key_utils: KeyUtils::new_unimplemented(),
};

/// Installs the forwarding provider (once per process) and makes `backend`
/// the one jsonwebtoken uses from now on. RustCrypto until told otherwise.
pub fn select(backend: Backend) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| DISPATCH.install_default().expect("no other jsonwebtoken provider is installed"));
    AWS_LC.store(backend == Backend::AwsLc, Ordering::Relaxed);
}
