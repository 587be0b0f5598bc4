//! A cache of verified tokens: a client sends the same access token on every
//! request until it expires, and its signature need not be checked again.

use crate::claims::{Claims, Registered};
use crate::keys::KeyId;
use crate::token::{Cache, verify_with};
use crate::{Error, Validation, VerifyingKeys};

/// The longest token a [`TokenCache`] stores by default: Supabase's access
/// tokens are 800 to 1,500 characters. Longer tokens are verified in full
/// every time (never stored).
pub const DEFAULT_CACHED_TOKEN_LEN: usize = 2048;

/// A fixed-capacity cache of tokens already verified, owned by the caller (no
/// allocation): `N` slots of up to `MAX_TOKEN` bytes of token each.
///
/// [`verify`](TokenCache::verify) is [`verify`](crate::verify) with a memory.
/// A token found in the cache is one whose signature was checked before by
/// the same key; its signature check, the decoding of its payload (the slot
/// keeps the decoded bytes) and the payload's JSON scan are skipped,
/// and **every claim check still runs against `now`**: `exp`, `nbf`, `aud`,
/// `iss` of the current [`Validation`]. So a cached token still expires on
/// time, and a validation that changed still applies.
///
/// What makes a hit:
///
/// - the header is decoded and checked, and the key chosen, exactly as by
///   `verify`; the token's two candidate slots come from a keyed hash of its
///   signature segment (SipHash-1-3 under the cache's seed, so a client
///   cannot aim its tokens at one slot);
/// - the **whole token** is compared with the stored one in constant time
///   (never a hash match alone), and the key must be the same key material
///   as the one that verified it (a 128-bit id computed from the key at
///   import), with the same JSON depth limit.
///
/// Only tokens that passed every check are stored (a forged token never
/// reaches a slot), in the empty or the older of their two slots. A key set that loses a key
/// cannot hit its tokens: their `kid` selects no key, or another key. Call
/// [`clear`](TokenCache::clear) after replacing keys anyway, to drop tokens
/// that can no longer hit.
///
/// Memory: `N × (2 × MAX_TOKEN + 100)` bytes or so, inline (the token and its
/// decoded payload); put a large cache in a
/// `static` or a `Box`, not on a small stack. With `std`,
/// [`SharedTokenCache`] is a sharded, `Sync` one.
///
/// ```
/// use jwtcheck::{Error, Hs256Key, TokenCache, Validation};
///
/// let key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
/// let validation = Validation::new();
/// // The seed must be secret and random (here fixed for the example).
/// let mut cache = TokenCache::<8>::new([7; 16]);
/// # // {"alg":"HS256","typ":"JWT"} . {"sub":"u1","exp":2000000000}
/// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MjAwMDAwMDAwMH0.P56SBPyqffO6uCvKtwaPBep_4M6NZfxb68Ps44gGsZc";
/// let first = cache.verify(token, &key, &validation, 1_900_000_000)?;
/// let again = cache.verify(token, &key, &validation, 1_900_000_001)?;
/// assert_eq!((cache.hits(), cache.misses()), (1, 1));
/// assert_eq!(again.payload(), first.payload());
/// // Still expires on time.
/// assert_eq!(cache.verify(token, &key, &validation, 2_000_000_000).unwrap_err(), Error::Expired);
/// # Ok::<(), Error>(())
/// ```
pub struct TokenCache<const N: usize, const MAX_TOKEN: usize = DEFAULT_CACHED_TOKEN_LEN> {
    seed: [u64; 2],
    slots: [Slot<MAX_TOKEN>; N],
    hits: u64,
    misses: u64,
    inserts: u64,
}

#[derive(Clone)]
struct Slot<const M: usize> {
    /// 0: empty.
    len: usize,
    /// When it was stored (the cache's insert count): the older of a
    /// token's two slots is the one replaced.
    stamp: u64,
    token: [u8; M],
    /// The decoded payload (at most 3/4 of the token's length).
    payload: [u8; M],
    payload_len: usize,
    id: KeyId,
    depth: usize,
    registered: Registered,
}

impl<const M: usize> Slot<M> {
    const EMPTY: Self = Slot {
        len: 0,
        stamp: 0,
        token: [0; M],
        payload: [0; M],
        payload_len: 0,
        id: [0; 16],
        depth: 0,
        registered: Registered::EMPTY,
    };

    fn holds(&self, token: &[u8], id: KeyId, depth: usize) -> bool {
        self.len == token.len()
            && self.id == id
            && self.depth == depth
            && self.token.get(..self.len).is_some_and(|stored| constant_time_eq(stored, token))
    }
}

impl<const N: usize, const MAX_TOKEN: usize> TokenCache<N, MAX_TOKEN> {
    /// An empty cache whose slot index is keyed with `seed`: 16 random bytes
    /// kept secret (with `std`, [`with_random_seed`](TokenCache::with_random_seed)
    /// draws them). A known seed lets a client that can mint valid tokens
    /// choose which slot they land in; it never lets a token be accepted
    /// that would not verify.
    pub const fn new(seed: [u8; 16]) -> Self {
        TokenCache { seed: seed_words(seed), slots: [const { Slot::EMPTY }; N], hits: 0, misses: 0, inserts: 0 }
    }

    /// [`new`](TokenCache::new) with a seed from the standard library's
    /// per-process random keys (those of `HashMap`).
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn with_random_seed() -> Self {
        Self::new(random_seed())
    }

    /// [`verify`](crate::verify), skipping the signature check (and the
    /// payload's JSON scan) of a token this cache holds as verified by the
    /// same key. The verdict is always `verify`'s.
    pub fn verify<T: AsRef<[u8]> + ?Sized, K: VerifyingKeys + ?Sized>(
        &mut self,
        token: &T,
        key: &K,
        validation: &Validation<'_>,
        now: u64,
    ) -> Result<Claims, Error> {
        verify_with(token.as_ref(), key, validation, now, self)
    }

    /// Empties every slot (the counters stay).
    pub fn clear(&mut self) {
        for slot in &mut self.slots {
            slot.len = 0;
        }
    }

    /// How many verifications found their token stored.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// How many verifications got as far as the signature check without a
    /// stored token (including those that then failed).
    pub fn misses(&self) -> u64 {
        self.misses
    }

    fn hash_of(&self, signature: &[u8]) -> u64 {
        siphash13(self.seed, signature)
    }

    /// A token's two candidate slots (two choices keep colliding tokens
    /// from evicting each other; they may coincide).
    fn places(hash: u64) -> [usize; 2] {
        [index(hash, N), index(hash.rotate_left(32) ^ 0x9e37_79b9_7f4a_7c15, N)]
    }

    fn lookup_at(
        &mut self,
        hash: u64,
        token: &[u8],
        id: KeyId,
        depth: usize,
        buf: &mut [u8],
    ) -> Result<(usize, Registered), u64> {
        let found =
            Self::places(hash).into_iter().find_map(|at| self.slots.get(at).filter(|s| s.holds(token, id, depth)));
        // The payload must fit the caller's buffer, as decoding would have.
        let found = found.and_then(|slot| {
            let payload = slot.payload.get(..slot.payload_len)?;
            buf.get_mut(..payload.len())?.copy_from_slice(payload);
            Some((payload.len(), slot.registered))
        });
        match found {
            Some(hit) => {
                self.hits = self.hits.saturating_add(1);
                Ok(hit)
            }
            None => {
                self.misses = self.misses.saturating_add(1);
                Err(hash)
            }
        }
    }

    fn insert_at(&mut self, hash: u64, token: &[u8], id: KeyId, depth: usize, payload: &[u8], registered: Registered) {
        let [first, second] = Self::places(hash);
        let stamp = |at: usize| self.slots.get(at).map_or(u64::MAX, |s| if s.len == 0 { 0 } else { s.stamp });
        // An empty slot, else the one stored longer ago.
        let at = if stamp(second) < stamp(first) { second } else { first };
        self.inserts = self.inserts.saturating_add(1);
        let inserts = self.inserts;
        let Some(slot) = self.slots.get_mut(at) else { return };
        let (Some(stored), Some(decoded)) = (slot.token.get_mut(..token.len()), slot.payload.get_mut(..payload.len()))
        else {
            return;
        };
        stored.copy_from_slice(token);
        decoded.copy_from_slice(payload);
        slot.payload_len = payload.len();
        slot.stamp = inserts;
        slot.len = token.len();
        slot.id = id;
        slot.depth = depth;
        slot.registered = registered;
    }
}

impl<const N: usize, const MAX_TOKEN: usize> Cache for TokenCache<N, MAX_TOKEN> {
    fn lookup(
        &mut self,
        token: &[u8],
        signature: &[u8],
        id: KeyId,
        depth: usize,
        buf: &mut [u8],
    ) -> Result<(usize, Registered), u64> {
        let hash = self.hash_of(signature);
        self.lookup_at(hash, token, id, depth, buf)
    }

    fn insert(&mut self, token: &[u8], hash: u64, id: KeyId, depth: usize, payload: &[u8], registered: Registered) {
        if token.len() <= MAX_TOKEN && !token.is_empty() {
            self.insert_at(hash, token, id, depth, payload, registered);
        }
    }
}

impl<const N: usize, const MAX_TOKEN: usize> core::fmt::Debug for TokenCache<N, MAX_TOKEN> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let used = self.slots.iter().filter(|s| s.len > 0).count();
        f.debug_struct("TokenCache")
            .field("slots", &N)
            .field("used", &used)
            .field("hits", &self.hits)
            .field("misses", &self.misses)
            .finish()
    }
}

/// `hash` reduced to `[0, n)` (0 for an empty table, whose lookups then
/// find nothing).
fn index(hash: u64, n: usize) -> usize {
    // The remainder is below `n`, a `usize`.
    hash.checked_rem(n as u64).unwrap_or(0) as usize
}

/// The SipHash key of a 16-byte seed.
const fn seed_words(s: [u8; 16]) -> [u64; 2] {
    [
        u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]),
        u64::from_le_bytes([s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15]]),
    ]
}

/// Equal lengths assumed by the caller; every byte is looked at whatever the
/// first difference, so the time says nothing about a stored token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (a_words, a_tail) = a.as_chunks::<8>();
    let (b_words, b_tail) = b.as_chunks::<8>();
    let mut diff = 0u64;
    for (x, y) in a_words.iter().zip(b_words) {
        diff |= u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y);
    }
    for (x, y) in a_tail.iter().zip(b_tail) {
        diff |= u64::from(x ^ y);
    }
    core::hint::black_box(diff) == 0
}

/// SipHash-1-3 (Aumasson and Bernstein; the round counts of Rust's
/// `HashMap`) of `data` under the 128-bit key `k`.
fn siphash13(k: [u64; 2], data: &[u8]) -> u64 {
    let mut v = [
        k[0] ^ 0x736f_6d65_7073_6575,
        k[1] ^ 0x646f_7261_6e64_6f6d,
        k[0] ^ 0x6c79_6765_6e65_7261,
        k[1] ^ 0x7465_6462_7974_6573,
    ];
    let (words, tail) = data.as_chunks::<8>();
    for word in words {
        let m = u64::from_le_bytes(*word);
        v[3] ^= m;
        sip_round(&mut v);
        v[0] ^= m;
    }
    let mut last = [0u8; 8];
    for (to, from) in last.iter_mut().zip(tail) {
        *to = *from;
    }
    let last = u64::from_le_bytes(last) | ((data.len() as u64 & 0xff) << 56);
    v[3] ^= last;
    sip_round(&mut v);
    v[0] ^= last;
    v[2] ^= 0xff;
    for _ in 0..3 {
        sip_round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

fn sip_round(v: &mut [u64; 4]) {
    v[0] = v[0].wrapping_add(v[1]);
    v[1] = v[1].rotate_left(13) ^ v[0];
    v[0] = v[0].rotate_left(32);
    v[2] = v[2].wrapping_add(v[3]);
    v[3] = v[3].rotate_left(16) ^ v[2];
    v[0] = v[0].wrapping_add(v[3]);
    v[3] = v[3].rotate_left(21) ^ v[0];
    v[2] = v[2].wrapping_add(v[1]);
    v[1] = v[1].rotate_left(17) ^ v[2];
    v[2] = v[2].rotate_left(32);
}

#[cfg(feature = "std")]
fn random_seed() -> [u8; 16] {
    use core::hash::{BuildHasher, Hasher};
    let mut seed = [0u8; 16];
    for (i, half) in seed.chunks_mut(8).enumerate() {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_usize(i);
        half.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    seed
}

/// A sharded, `Sync` [`TokenCache`] for threads that share one verifier (a
/// web service): `shards` caches of `N` slots, each behind its own mutex,
/// held only to look a token up or store it (never during a signature
/// check). The shard and slot come from one keyed hash of the signature.
///
/// Memory: `shards × N × (2 × MAX_TOKEN + 100)` bytes or so, on the heap.
///
/// ```
/// use jwtcheck::{Hs256Key, SharedTokenCache, Validation};
///
/// let key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?;
/// let cache = SharedTokenCache::<16>::new(8); // 8 × 16 slots, random seed
/// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MjAwMDAwMDAwMH0.P56SBPyqffO6uCvKtwaPBep_4M6NZfxb68Ps44gGsZc";
/// std::thread::scope(|s| {
///     for _ in 0..2 {
///         s.spawn(|| cache.verify(token, &key, &Validation::new(), 1_900_000_000).unwrap());
///     }
/// });
/// assert_eq!(cache.hits() + cache.misses(), 2);
/// # Ok::<(), jwtcheck::Error>(())
/// ```
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub struct SharedTokenCache<const N: usize = 64, const MAX_TOKEN: usize = DEFAULT_CACHED_TOKEN_LEN> {
    seed: [u64; 2],
    shards: alloc::boxed::Box<[std::sync::Mutex<TokenCache<N, MAX_TOKEN>>]>,
}

#[cfg(feature = "std")]
impl<const N: usize, const MAX_TOKEN: usize> SharedTokenCache<N, MAX_TOKEN> {
    /// A cache of `shards` shards (at least 1) of `N` slots, with a random
    /// seed.
    pub fn new(shards: usize) -> Self {
        Self::with_seed(shards, random_seed())
    }

    /// [`new`](SharedTokenCache::new) with the given seed (see
    /// [`TokenCache::new`]).
    pub fn with_seed(shards: usize, seed: [u8; 16]) -> Self {
        let shards = (0..shards.max(1)).map(|_| std::sync::Mutex::new(TokenCache::new(seed))).collect();
        SharedTokenCache { seed: seed_words(seed), shards }
    }

    /// See [`TokenCache::verify`].
    pub fn verify<T: AsRef<[u8]> + ?Sized, K: VerifyingKeys + ?Sized>(
        &self,
        token: &T,
        key: &K,
        validation: &Validation<'_>,
        now: u64,
    ) -> Result<Claims, Error> {
        verify_with(token.as_ref(), key, validation, now, &mut Shards(self))
    }

    /// Empties every shard.
    pub fn clear(&self) {
        for shard in self.shards.iter() {
            lock(shard).clear();
        }
    }

    /// Hits, summed over the shards.
    pub fn hits(&self) -> u64 {
        self.shards.iter().map(|s| lock(s).hits()).sum()
    }

    /// Misses, summed over the shards.
    pub fn misses(&self) -> u64 {
        self.shards.iter().map(|s| lock(s).misses()).sum()
    }

    /// The shard of a signature segment's keyed hash and the hash its slots
    /// in that shard come from (`shards` is never empty: `new` makes at
    /// least one).
    fn place(&self, hash: u64) -> Option<(&std::sync::Mutex<TokenCache<N, MAX_TOKEN>>, u64)> {
        let shard = self.shards.get(index(hash, self.shards.len()))?;
        Some((shard, hash.checked_div(self.shards.len() as u64).unwrap_or(0)))
    }
}

#[cfg(feature = "std")]
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding a shard cannot leave a slot half-written in a
    // way that matters: a torn slot fails the whole-token comparison.
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(feature = "std")]
struct Shards<'c, const N: usize, const M: usize>(&'c SharedTokenCache<N, M>);

#[cfg(feature = "std")]
impl<const N: usize, const M: usize> Cache for Shards<'_, N, M> {
    fn lookup(
        &mut self,
        token: &[u8],
        signature: &[u8],
        id: KeyId,
        depth: usize,
        buf: &mut [u8],
    ) -> Result<(usize, Registered), u64> {
        // The miss hands back the hash over all shards, not the shard's.
        let hash = siphash13(self.0.seed, signature);
        let (shard, at) = self.0.place(hash).ok_or(hash)?;
        lock(shard).lookup_at(at, token, id, depth, buf).map_err(|_| hash)
    }

    fn insert(&mut self, token: &[u8], hash: u64, id: KeyId, depth: usize, payload: &[u8], registered: Registered) {
        if token.len() <= M
            && !token.is_empty()
            && let Some((shard, at)) = self.0.place(hash)
        {
            lock(shard).insert_at(at, token, id, depth, payload, registered);
        }
    }
}

#[cfg(feature = "std")]
impl<const N: usize, const M: usize> core::fmt::Debug for SharedTokenCache<N, M> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SharedTokenCache").field("shards", &self.shards.len()).field("slots_per_shard", &N).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siphash13_matches_an_independent_implementation() {
        use core::hash::Hasher;
        // The `siphasher` crate's SipHash-1-3, every length to 80 bytes
        // (every tail length, several blocks), under a few keys.
        let message: std::vec::Vec<u8> = (0..80u8).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
        for (k0, k1) in [(0, 0), (0x0706050403020100, 0x0f0e0d0c0b0a0908), (u64::MAX, 1)] {
            for len in 0..=message.len() {
                let mut reference = siphasher::sip::SipHasher13::new_with_keys(k0, k1);
                reference.write(&message[..len]);
                assert_eq!(
                    siphash13([k0, k1], &message[..len]),
                    reference.finish(),
                    "keys {k0:x} {k1:x}, length {len}"
                );
            }
        }
    }

    #[test]
    fn constant_time_eq_is_equality() {
        let a: std::vec::Vec<u8> = (0..=40).collect();
        for len in 0..a.len() {
            assert!(constant_time_eq(&a[..len], &a[..len]));
            for at in 0..len {
                let mut b = a[..len].to_vec();
                b[at] ^= 0x20;
                assert!(!constant_time_eq(&a[..len], &b), "len {len}, byte {at}");
            }
        }
        assert!(!constant_time_eq(b"ab", b"abc"));
    }

    #[test]
    fn index_is_in_range() {
        assert_eq!(index(u64::MAX, 0), 0);
        for n in 1..40 {
            for h in [0, 1, 7, u64::MAX, 0x1234_5678_9abc_def0] {
                assert!(index(h, n) < n);
            }
        }
    }
}
