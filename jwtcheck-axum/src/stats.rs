//! Counters for dashboards and tests: fetches, refetches, verdicts by kind.

use std::sync::atomic::{AtomicU64, Ordering};

use jwtcheck::Error;

/// The rejection kinds counted apart, in [`StatsSnapshot::rejected`]'s
/// order: [`Error::kind`]'s names, and `unavailable` for 503s.
pub const REJECTION_KINDS: [&str; 16] = [
    "malformed",
    "too_large",
    "unsupported_algorithm",
    "unsupported_header",
    "invalid_signature",
    "invalid_claims",
    "expired",
    "not_yet_valid",
    "invalid_audience",
    "invalid_issuer",
    "unknown_key",
    "invalid_request",
    "no_credentials",
    "unavailable",
    // Kinds verification does not produce (key errors), and any added later.
    "invalid_key",
    "other",
];

#[derive(Default)]
pub(crate) struct Stats {
    fetches_ok: AtomicU64,
    fetches_failed: AtomicU64,
    unknown_key_refetches: AtomicU64,
    unavailable: AtomicU64,
    accepted: AtomicU64,
    rejected: [AtomicU64; REJECTION_KINDS.len()],
}

/// A copy of the counters at one moment ([`Auth::stats`](crate::Auth::stats)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatsSnapshot {
    /// JWKS fetches that installed a key set.
    pub fetches_ok: u64,
    /// JWKS fetches that failed (the last good set stays, within its limit).
    pub fetches_failed: u64,
    /// Requests whose unknown `kid` started a refetch (at most one per
    /// cooldown reaches the server; concurrent ones share it).
    pub unknown_key_refetches: u64,
    /// Tokens that needed the JWKS while none was usable (503).
    pub unavailable: u64,
    /// Requests whose token verified.
    pub accepted: u64,
    /// Refused requests by kind, in [`REJECTION_KINDS`] order.
    pub rejected: [u64; REJECTION_KINDS.len()],
}

impl StatsSnapshot {
    /// The count of refused requests of one kind (a name in
    /// [`REJECTION_KINDS`]; 0 for another name).
    pub fn rejected(&self, kind: &str) -> u64 {
        REJECTION_KINDS.iter().position(|k| *k == kind).and_then(|i| self.rejected.get(i)).copied().unwrap_or(0)
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Stats {
    pub(crate) fn fetch_ok(&self) {
        bump(&self.fetches_ok);
    }

    pub(crate) fn fetch_failed(&self) {
        bump(&self.fetches_failed);
    }

    pub(crate) fn unknown_key_refetch(&self) {
        bump(&self.unknown_key_refetches);
    }

    pub(crate) fn unavailable(&self) {
        bump(&self.unavailable);
    }

    pub(crate) fn accepted(&self) {
        bump(&self.accepted);
    }

    /// Counts a refusal under `kind` (a [`REJECTION_KINDS`] name).
    pub(crate) fn rejected(&self, kind: &str) {
        let index = REJECTION_KINDS.iter().position(|k| *k == kind).unwrap_or(REJECTION_KINDS.len() - 1);
        if let Some(counter) = self.rejected.get(index) {
            bump(counter);
        }
    }

    pub(crate) fn snapshot(&self) -> StatsSnapshot {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatsSnapshot {
            fetches_ok: load(&self.fetches_ok),
            fetches_failed: load(&self.fetches_failed),
            unknown_key_refetches: load(&self.unknown_key_refetches),
            unavailable: load(&self.unavailable),
            accepted: load(&self.accepted),
            rejected: self.rejected.each_ref().map(load),
        }
    }
}

/// The counter name of a verification error.
pub(crate) fn kind_of(error: Error) -> &'static str {
    let kind = error.kind();
    if REJECTION_KINDS.contains(&kind) { kind } else { "other" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_kind() {
        let stats = Stats::default();
        stats.rejected(kind_of(Error::Expired));
        stats.rejected(kind_of(Error::Expired));
        stats.rejected(kind_of(Error::InvalidKey(jwtcheck::KeyProblem::Encoding)));
        stats.rejected("no_credentials");
        stats.rejected("no such kind");
        let snapshot = stats.snapshot();
        assert_eq!(snapshot.rejected("expired"), 2);
        assert_eq!(snapshot.rejected("invalid_key"), 1);
        assert_eq!(snapshot.rejected("no_credentials"), 1);
        assert_eq!(snapshot.rejected("other"), 1);
        assert_eq!(snapshot.rejected("malformed"), 0);
        assert_eq!(snapshot.rejected("no such kind"), 0);
        assert_eq!(snapshot.rejected.iter().sum::<u64>(), 5);
    }
}
