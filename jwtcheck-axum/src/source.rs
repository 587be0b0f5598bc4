//! The key source: a JWKS fetched over HTTPS, kept fresh, swapped atomically.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use http::header::ACCEPT;
use jwtcheck::{Claims, Error, Hs256Key, KeySet, SharedTokenCache, Validation};

use crate::cache_control::{Freshness, freshness};
use crate::stats::Stats;

/// How many keys one JWKS may bring: a Supabase project publishes its current
/// key, a standby key and the keys it rotated out but still honours, a
/// handful. A document with more usable keys is refused as `invalid_jwks`
/// (and the last good set is kept).
pub const MAX_KEYS: usize = 16;

/// The key set a fetch produces.
pub type Keys = KeySet<MAX_KEYS>;

/// Slots per shard of the optional token cache
/// ([`AuthBuilder::token_cache`](crate::AuthBuilder::token_cache)).
pub const CACHE_SLOTS: usize = 64;

/// A key set and how long it may be used.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The JWKS's keys, and the legacy HS256 key if one is configured.
    pub keys: Keys,
    /// When it was fetched.
    pub fetched: Instant,
    /// Until when it is fresh (`max-age`, within the bounds); after that the
    /// next request starts a refresh in the background and still uses it.
    pub fresh_until: Instant,
    /// Until when it may be used while refreshes fail: `fresh_until` plus the
    /// stale limit. After that, tokens that need the JWKS get 503.
    pub usable_until: Instant,
}

/// Where the keys come from and the refresh policy. Built by
/// [`AuthBuilder`](crate::AuthBuilder); the defaults are the ones listed on
/// each field's setter.
#[derive(Clone)]
pub(crate) struct SourceConfig {
    pub(crate) url: String,
    pub(crate) legacy: Option<Hs256Key>,
    pub(crate) cooldown: Duration,
    pub(crate) stale_for: Duration,
    pub(crate) default_max_age: Duration,
    pub(crate) min_max_age: Duration,
    pub(crate) max_max_age: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) max_body: usize,
    /// Shards of [`CACHE_SLOTS`] slots in the token cache; 0: none.
    pub(crate) cache_shards: usize,
}

impl SourceConfig {
    pub(crate) fn new(url: String) -> Self {
        SourceConfig {
            url,
            legacy: None,
            cooldown: Duration::from_secs(30),
            stale_for: Duration::from_secs(20 * 60),
            default_max_age: Duration::from_secs(600),
            min_max_age: Duration::from_secs(60),
            max_max_age: Duration::from_secs(24 * 60 * 60),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            max_body: jwtcheck::MAX_JWKS_LEN,
            cache_shards: 0,
        }
    }
}

/// Why a fetch of the JWKS failed. The last good key set, if any, stays in use
/// within its stale limit.
#[derive(Debug)]
#[non_exhaustive]
pub enum FetchError {
    /// Connecting, TLS, a timeout, or reading the body failed.
    Http(reqwest::Error),
    /// The server answered with a status other than 200 (redirects are not
    /// followed).
    Status(u16),
    /// The body is longer than the configured limit.
    TooLarge,
    /// The body is not a JWKS `jwtcheck` accepts (`invalid_jwks`), or not
    /// UTF-8.
    Jwks(Error),
    /// A fetch ran too recently (the cooldown), so none was made.
    CoolingDown,
    /// The task running the fetch ended without a result (the runtime shut
    /// down).
    Interrupted,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // reqwest's message names the URL: the configured one, never
            // anything from a token.
            FetchError::Http(e) => write!(f, "JWKS request failed: {e}"),
            FetchError::Status(code) => write!(f, "JWKS server answered HTTP {code}"),
            FetchError::TooLarge => f.write_str("JWKS body is over the size limit"),
            FetchError::Jwks(e) => write!(f, "JWKS refused: {e}"),
            FetchError::CoolingDown => f.write_str("JWKS fetched too recently; not refetched (cooldown)"),
            FetchError::Interrupted => f.write_str("JWKS fetch interrupted (runtime shutting down)"),
        }
    }
}

impl std::error::Error for FetchError {}

/// Why a token was not accepted by [`KeySource::verify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// The token does not verify against the current keys: the kind.
    Invalid(Error),
    /// The token needs the JWKS, and no key set is usable: none could be
    /// fetched yet, or the last good one is past its stale limit. Fails
    /// closed; a service answers 503.
    Unavailable,
}

/// Why a fetch is made, for the `tracing` events and the counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    Load,
    NoUsableKeys,
    UnknownKey,
    Expired,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::Load => "load",
            Reason::NoUsableKeys => "no_usable_keys",
            Reason::UnknownKey => "unknown_key",
            Reason::Expired => "max_age",
        }
    }
}

/// A JWKS kept fresh: fetched on demand, refreshed after `max-age`, refetched
/// (at most once per cooldown, concurrent requests sharing one fetch) when a
/// token names an unknown key. Cheap to clone (an `Arc`).
///
/// Readers never wait for a fetch of keys they do not need: the current set
/// is read without a lock, and a refresh after `max-age` runs in the
/// background while the old set keeps verifying. A request waits for a fetch
/// only when it cannot be answered without one: its key is unknown (once per
/// cooldown) or no set is usable.
///
/// Nothing from a token is ever sent: every request is a `GET` of the
/// configured URL.
#[derive(Clone)]
pub struct KeySource {
    inner: Arc<Inner>,
}

struct Inner {
    config: SourceConfig,
    client: reqwest::Client,
    current: ArcSwapOption<Loaded>,
    /// The legacy key alone, for HS256 tokens while no JWKS is usable.
    legacy_only: Option<Keys>,
    /// Held while a fetch runs: concurrent fetches wait and reuse its result.
    /// The fetch itself runs in a task of its own that holds the guard, so a
    /// request dropped mid-fetch (its client went away) does not cancel the
    /// fetch the others wait for.
    fetching: Arc<tokio::sync::Mutex<()>>,
    /// Fetch attempts completed, successful or not.
    attempts: AtomicU64,
    /// When the last attempt started: the cooldown counts from it.
    last_attempt: Mutex<Option<Instant>>,
    stats: Stats,
    /// Tokens already verified (opt-in).
    cache: Option<SharedTokenCache<CACHE_SLOTS>>,
}

impl KeySource {
    pub(crate) fn new(config: SourceConfig) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            // A JWKS URL does not redirect; following one would fetch keys
            // from wherever the redirect points.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let legacy_only = config.legacy.clone().map(|key| Keys::new().with_legacy_hs256(key));
        let cache = (config.cache_shards > 0).then(|| SharedTokenCache::new(config.cache_shards));
        Ok(KeySource {
            inner: Arc::new(Inner {
                config,
                client,
                current: ArcSwapOption::empty(),
                legacy_only,
                fetching: Arc::new(tokio::sync::Mutex::new(())),
                attempts: AtomicU64::new(0),
                last_attempt: Mutex::new(None),
                stats: Stats::default(),
                cache,
            }),
        })
    }

    /// The configured JWKS URL.
    pub fn url(&self) -> &str {
        &self.inner.config.url
    }

    /// The current key set, usable or not (`None` before the first
    /// successful fetch).
    pub fn current(&self) -> Option<Arc<Loaded>> {
        self.inner.current.load_full()
    }

    pub(crate) fn stats(&self) -> &Stats {
        &self.inner.stats
    }

    /// The token cache's hits and misses, when one is configured.
    pub fn cache_counts(&self) -> Option<(u64, u64)> {
        self.inner.cache.as_ref().map(|c| (c.hits(), c.misses()))
    }

    /// Fetches the JWKS now, ignoring the cooldown (a concurrent fetch is
    /// joined instead of repeated), and returns how many keys it holds. For
    /// start-up: a service may log the error and serve anyway (tokens that
    /// need the JWKS get 503 until a fetch succeeds).
    pub async fn load(&self) -> Result<usize, FetchError> {
        let seen = self.inner.attempts.load(Ordering::Acquire);
        let fetching = Arc::clone(&self.inner.fetching).lock_owned().await;
        if self.inner.attempts.load(Ordering::Acquire) != seen {
            // A fetch finished while this one waited: its result is current.
            return self.current().map(|l| l.keys.len()).ok_or(FetchError::CoolingDown);
        }
        self.fetch_in_task(fetching, Reason::Load).await.map(|l| l.keys.len())
    }

    /// Verifies `token` at `now` (seconds since the Unix epoch) with the
    /// current keys, fetching them when the policy says so.
    pub async fn verify(&self, token: &str, validation: &Validation<'_>, now: u64) -> Result<Claims, VerifyError> {
        let seen = self.inner.attempts.load(Ordering::Acquire);
        let Some(loaded) = self.usable() else {
            return self.verify_without_usable_keys(token, validation, now, seen).await;
        };
        if Instant::now() >= loaded.fresh_until {
            self.refresh_in_background();
        }
        match self.check(token, &loaded.keys, validation, now) {
            Err(Error::UnknownKey) => {
                // The issuer may have rotated in a new key: refetch, at most
                // once per cooldown. Within it, answer at once (a flood of
                // random kids costs one fetch per cooldown), except while a
                // fetch is in flight: it started the cooldown and may bring
                // this token's key (a rotation), so wait for it as the
                // request that started it does.
                if self.cooldown_elapsed() {
                    self.inner.stats.unknown_key_refetch();
                    tracing::debug!(target: "jwtcheck_axum", "unknown key: refetching the JWKS");
                    let _ = self.fetch_once_per_cooldown(seen, Reason::UnknownKey).await;
                } else if self.inner.fetching.try_lock().is_err() {
                    drop(self.inner.fetching.lock().await);
                }
                // A set installed since `loaded` was read may hold the key.
                match self.usable() {
                    Some(fresh) if !Arc::ptr_eq(&fresh, &loaded) => {
                        self.check(token, &fresh.keys, validation, now).map_err(VerifyError::Invalid)
                    }
                    _ => Err(VerifyError::Invalid(Error::UnknownKey)),
                }
            }
            result => result.map_err(VerifyError::Invalid),
        }
    }

    async fn verify_without_usable_keys(
        &self,
        token: &str,
        validation: &Validation<'_>,
        now: u64,
        seen: u64,
    ) -> Result<Claims, VerifyError> {
        // An HS256 token of the legacy secret needs no JWKS: its verdict is
        // final (only a token of another key is `unknown_key` here).
        if let Some(legacy) = &self.inner.legacy_only {
            match jwtcheck::verify(token, legacy, validation, now) {
                Err(Error::UnknownKey) => {}
                result => return result.map_err(VerifyError::Invalid),
            }
        }
        let _ = self.fetch_once_per_cooldown(seen, Reason::NoUsableKeys).await;
        match self.usable() {
            Some(loaded) => self.check(token, &loaded.keys, validation, now).map_err(VerifyError::Invalid),
            None => {
                self.inner.stats.unavailable();
                Err(VerifyError::Unavailable)
            }
        }
    }

    /// One verification with `keys`, through the token cache if there is
    /// one (a repeated token skips its signature check; every claim check
    /// runs).
    fn check(&self, token: &str, keys: &Keys, validation: &Validation<'_>, now: u64) -> Result<Claims, Error> {
        match &self.inner.cache {
            Some(cache) => cache.verify(token, keys, validation, now),
            None => jwtcheck::verify(token, keys, validation, now),
        }
    }

    /// The current set if it is within its stale limit.
    fn usable(&self) -> Option<Arc<Loaded>> {
        self.inner.current.load_full().filter(|l| Instant::now() < l.usable_until)
    }

    fn cooldown_elapsed(&self) -> bool {
        let last = *self.inner.last_attempt.lock().unwrap_or_else(PoisonError::into_inner);
        last.is_none_or(|at| at.elapsed() >= self.inner.config.cooldown)
    }

    /// Past `max-age`: refresh without making this request wait.
    fn refresh_in_background(&self) {
        if !self.cooldown_elapsed() || self.inner.fetching.try_lock().is_err() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let source = self.clone();
        let seen = self.inner.attempts.load(Ordering::Acquire);
        runtime.spawn(async move {
            let _ = source.fetch_once_per_cooldown(seen, Reason::Expired).await;
        });
    }

    /// One fetch for everyone who saw attempt count `seen`: whoever takes the
    /// lock first fetches (if the cooldown allows), the others find the count
    /// moved on and use its result.
    async fn fetch_once_per_cooldown(&self, seen: u64, reason: Reason) -> Result<(), FetchError> {
        let fetching = Arc::clone(&self.inner.fetching).lock_owned().await;
        if self.inner.attempts.load(Ordering::Acquire) != seen {
            return Ok(());
        }
        if !self.cooldown_elapsed() {
            return Err(FetchError::CoolingDown);
        }
        self.fetch_in_task(fetching, reason).await.map(|_| ())
    }

    /// Runs the fetch in a task that owns the `fetching` guard: it completes
    /// (and releases the guard) even if the request awaiting it is dropped.
    async fn fetch_in_task(
        &self,
        fetching: tokio::sync::OwnedMutexGuard<()>,
        reason: Reason,
    ) -> Result<Arc<Loaded>, FetchError> {
        let source = self.clone();
        let task = tokio::spawn(async move {
            let result = source.fetch_locked(reason).await;
            drop(fetching);
            result
        });
        // A join error means the runtime is shutting down (or the task
        // panicked, which nothing in it does): no keys came of it.
        task.await.unwrap_or(Err(FetchError::Interrupted))
    }

    /// Fetches, parses and installs a key set; the caller holds `fetching`.
    async fn fetch_locked(&self, reason: Reason) -> Result<Arc<Loaded>, FetchError> {
        *self.inner.last_attempt.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
        let result = self.fetch().await;
        self.inner.attempts.fetch_add(1, Ordering::AcqRel);
        match result {
            Ok((loaded, skipped)) => {
                let loaded = Arc::new(loaded);
                self.inner.current.store(Some(Arc::clone(&loaded)));
                // Stored tokens of keys still in the set would still hit
                // (the cache matches key material, not sets); the others
                // could not. Start empty either way.
                if let Some(cache) = &self.inner.cache {
                    cache.clear();
                }
                self.inner.stats.fetch_ok();
                tracing::info!(
                    target: "jwtcheck_axum",
                    reason = reason.as_str(),
                    keys = loaded.keys.len(),
                    skipped,
                    fresh_for_secs = loaded.fresh_until.saturating_duration_since(loaded.fetched).as_secs(),
                    "JWKS fetched"
                );
                Ok(loaded)
            }
            Err(error) => {
                self.inner.stats.fetch_failed();
                tracing::warn!(target: "jwtcheck_axum", reason = reason.as_str(), %error, "JWKS fetch failed");
                Err(error)
            }
        }
    }

    async fn fetch(&self) -> Result<(Loaded, usize), FetchError> {
        let config = &self.inner.config;
        let mut response = self
            .inner
            .client
            .get(&config.url)
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(FetchError::Http)?;
        if response.status() != http::StatusCode::OK {
            return Err(FetchError::Status(response.status().as_u16()));
        }
        let fresh_for = match freshness(response.headers()) {
            Freshness::MaxAge(age) => age,
            Freshness::Revalidate => Duration::ZERO,
            Freshness::Unspecified => config.default_max_age,
        }
        .clamp(config.min_max_age, config.max_max_age);
        if response.content_length().is_some_and(|len| len > config.max_body as u64) {
            return Err(FetchError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(FetchError::Http)? {
            if body.len().saturating_add(chunk.len()) > config.max_body {
                return Err(FetchError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        let text = std::str::from_utf8(&body).map_err(|_| FetchError::Jwks(Error::InvalidJwks))?;
        let mut skipped = 0usize;
        let mut keys = Keys::from_jwks_with(text, |key| {
            skipped = skipped.saturating_add(1);
            // The document's kid is the issuer's, not a token's.
            tracing::warn!(
                target: "jwtcheck_axum",
                index = key.index,
                reason = key.reason.message(),
                "JWKS key skipped"
            );
        })
        .map_err(FetchError::Jwks)?;
        keys.set_legacy_hs256(config.legacy.clone());
        let fetched = Instant::now();
        let fresh_until = fetched.checked_add(fresh_for).unwrap_or(fetched);
        let usable_until = fresh_until.checked_add(config.stale_for).unwrap_or(fresh_until);
        Ok((Loaded { keys, fetched, fresh_until, usable_until }, skipped))
    }
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySource").field("url", &self.inner.config.url).field("current", &self.current()).finish()
    }
}
