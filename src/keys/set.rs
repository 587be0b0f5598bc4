//! [`Key`]: one key of any algorithm, and [`KeySet`]: keys chosen by `kid`,
//! with an optional legacy HS256 key for rotation.

use core::fmt;

#[cfg(feature = "eddsa")]
use super::Ed25519Key;
#[cfg(feature = "es256")]
use super::Es256Key;
#[cfg(feature = "rs256")]
use super::Rs256Key;
use super::{Algorithm, Hs256Key, Selected, VerifyingKeys, sealed};
use crate::json_str::JsonStr;
use crate::{Error, KeyProblem};

/// The longest `kid` a [`KeySet`] stores, in bytes after unescaping.
///
/// Key ids seen in practice are far shorter: Supabase uses UUIDs (36
/// bytes), others use RFC 7638 thumbprints (43) or short hex strings. A
/// longer `kid` in a JWKS is skipped with
/// [`SkipReason::KidTooLong`](crate::SkipReason::KidTooLong).
pub const MAX_KID_LEN: usize = 64;

/// A verification key of any algorithm this build implements.
///
/// Built from a concrete key with `From`/`Into`, and what a [`KeySet`]
/// holds. A single `Key` also verifies on its own, like the key inside it:
/// the token's `alg` must be the key's algorithm.
///
/// ```
/// use jwtcheck::{Algorithm, Hs256Key, Key};
///
/// let key: Key = Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?.into();
/// assert_eq!(key.algorithm(), Algorithm::Hs256);
/// # Ok::<(), jwtcheck::Error>(())
/// ```
// No heap: a key is stored inline, and a set's slot is as large as the
// largest key type compiled in (an `Rs256Key`, about 1.6 KiB).
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
#[non_exhaustive]
pub enum Key {
    /// An HMAC-SHA256 key.
    Hs256(Hs256Key),
    /// An ECDSA P-256 public key.
    #[cfg(feature = "es256")]
    #[cfg_attr(docsrs, doc(cfg(feature = "es256")))]
    Es256(Es256Key),
    /// An RSA public key.
    #[cfg(feature = "rs256")]
    #[cfg_attr(docsrs, doc(cfg(feature = "rs256")))]
    Rs256(Rs256Key),
    /// An Ed25519 public key.
    #[cfg(feature = "eddsa")]
    #[cfg_attr(docsrs, doc(cfg(feature = "eddsa")))]
    EdDsa(Ed25519Key),
}

impl Key {
    /// The one algorithm this key verifies (RFC 8725 §3.1: a key is for one
    /// algorithm).
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Key::Hs256(_) => Algorithm::Hs256,
            #[cfg(feature = "es256")]
            Key::Es256(_) => Algorithm::Es256,
            #[cfg(feature = "rs256")]
            Key::Rs256(_) => Algorithm::Rs256,
            #[cfg(feature = "eddsa")]
            Key::EdDsa(_) => Algorithm::EdDsa,
        }
    }

    fn selected(&self) -> Selected<'_> {
        match self {
            Key::Hs256(key) => Selected::Hs256(key),
            #[cfg(feature = "es256")]
            Key::Es256(key) => Selected::Es256(key),
            #[cfg(feature = "rs256")]
            Key::Rs256(key) => Selected::Rs256(key),
            #[cfg(feature = "eddsa")]
            Key::EdDsa(key) => Selected::EdDsa(key),
        }
    }
}

impl From<Hs256Key> for Key {
    fn from(key: Hs256Key) -> Self {
        Key::Hs256(key)
    }
}

#[cfg(feature = "es256")]
impl From<Es256Key> for Key {
    fn from(key: Es256Key) -> Self {
        Key::Es256(key)
    }
}

#[cfg(feature = "rs256")]
impl From<Rs256Key> for Key {
    fn from(key: Rs256Key) -> Self {
        Key::Rs256(key)
    }
}

#[cfg(feature = "eddsa")]
impl From<Ed25519Key> for Key {
    fn from(key: Ed25519Key) -> Self {
        Key::EdDsa(key)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({}, ..)", self.algorithm().name())
    }
}

impl sealed::Sealed for Key {}

impl VerifyingKeys for Key {
    fn select(&self, alg: Algorithm, _kid: Option<JsonStr<'_>>) -> Result<Selected<'_>, Error> {
        if alg == self.algorithm() { Ok(self.selected()) } else { Err(Error::UnsupportedAlgorithm) }
    }
}

/// A `kid`, unescaped, stored inline.
#[derive(Clone, Copy)]
pub(crate) struct Kid {
    bytes: [u8; MAX_KID_LEN],
    len: u8,
}

impl Kid {
    pub(crate) fn new(kid: &str) -> Result<Self, Error> {
        let mut bytes = [0u8; MAX_KID_LEN];
        let slot = bytes.get_mut(..kid.len()).ok_or(Error::InvalidKey(KeyProblem::KidTooLong))?;
        slot.copy_from_slice(kid.as_bytes());
        Ok(Kid { bytes, len: kid.len() as u8 })
    }

    /// A `kid` as written in JSON, unescaped into the inline buffer.
    pub(crate) fn from_json(kid: JsonStr<'_>) -> Result<Self, Error> {
        let mut bytes = [0u8; MAX_KID_LEN];
        let len = kid.unescape_into(&mut bytes).map_err(|_| Error::InvalidKey(KeyProblem::KidTooLong))?.len();
        Ok(Kid { bytes, len: len as u8 })
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ever filled from a `&str` or from unescaped JSON text.
        self.bytes.get(..usize::from(self.len)).and_then(|b| core::str::from_utf8(b).ok()).unwrap_or_default()
    }
}

#[derive(Clone)]
struct Entry {
    kid: Option<Kid>,
    key: Key,
}

/// Up to `N` keys, each with an optional `kid`, plus an optional legacy
/// HS256 key: what a service needs to verify the tokens of an issuer that
/// rotates keys (a JWKS), without allocating.
///
/// The capacity `N` is yours: a `KeySet<16>` holds sixteen keys inline. Fill
/// it from a JWKS document you fetched ([`KeySet::from_jwks`]), key by key
/// ([`KeySet::insert`]), or both; the set is then immutable, `Send + Sync`,
/// and shared by reference (swap in a new set when the JWKS changes).
/// `Debug` lists kids and algorithms, never key material.
///
/// # Which key verifies a token
///
/// After the header checks (strict JSON, `alg`, `crit`, `b64`, `cty`, `typ`;
/// a `kid` must be a string and is compared after unescaping, byte for
/// byte):
///
/// 1. `alg` is not an algorithm this build implements →
///    [`Error::UnsupportedAlgorithm`].
/// 2. The token has a `kid` and a key of the set has that `kid`: that key,
///    and its algorithm must be `alg`, else [`Error::UnsupportedAlgorithm`]
///    (algorithm confusion: an HS256 token naming an ES256 key's `kid` is
///    never MAC'd with anything).
/// 3. The token has a `kid` no key has: an HS256 token is verified with the
///    legacy HS256 key when one is set (as Supabase's Auth server does);
///    otherwise [`Error::UnknownKey`].
/// 4. The token has no `kid`: the keys of algorithm `alg`, the legacy key
///    counting for HS256; exactly one → that key; none or several →
///    [`Error::UnknownKey`] (never a guess, never a trial of each).
/// 5. Exactly one signature check per token, whatever the set holds.
///
/// ```
/// use jwtcheck::{Error, Hs256Key, KeySet, Validation, verify};
///
/// let mut keys = KeySet::<4>::new();
/// keys.insert(Some("2024-a"), Hs256Key::new(b"the-first-secret-of-at-least-32-bytes")?)?;
/// keys.insert(Some("2024-b"), Hs256Key::new(b"the-second-secret-of-at-least-32-byte")?)?;
/// # // {"alg":"HS256","kid":"2024-b"} . {"exp":2000000000}
/// # let token = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjIwMjQtYiJ9.eyJleHAiOjIwMDAwMDAwMDB9.pwO830zCv1JC-PpqaZN9B1RDyPy7vRyb7dT3madofb8";
/// let claims = verify(token, &keys, &Validation::new(), 1_900_000_000)?;
/// assert_eq!(claims.exp().map(|e| e.as_secs()), Some(2_000_000_000));
/// # // {"alg":"HS256","kid":"2023"} . {"exp":2000000000}
/// # let token = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjIwMjMifQ.eyJleHAiOjIwMDAwMDAwMDB9.zCOERcmaAZ6fikVq0xVhGnUgaWsoo1kVPvsliYnvINg";
/// // A kid the set does not hold, and no legacy key.
/// assert_eq!(verify(token, &keys, &Validation::new(), 1_900_000_000).unwrap_err(), Error::UnknownKey);
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct KeySet<const N: usize> {
    entries: [Option<Entry>; N],
    len: usize,
    legacy: Option<Hs256Key>,
}

impl<const N: usize> Default for KeySet<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> KeySet<N> {
    /// An empty set.
    pub const fn new() -> Self {
        KeySet { entries: [const { None }; N], len: 0, legacy: None }
    }

    /// The set with `key` as its legacy HS256 key: the key for HS256 tokens
    /// whose `kid` no key of the set has, and for HS256 tokens without a
    /// `kid` (rule 3 and 4 of the [selection](KeySet#which-key-verifies-a-token)).
    ///
    /// For an issuer rotating from a shared secret to asymmetric keys, such
    /// as Supabase: its legacy JWT secret.
    pub fn with_legacy_hs256(mut self, key: Hs256Key) -> Self {
        self.legacy = Some(key);
        self
    }

    /// Sets or clears the legacy HS256 key (see
    /// [`with_legacy_hs256`](KeySet::with_legacy_hs256)).
    pub fn set_legacy_hs256(&mut self, key: Option<Hs256Key>) {
        self.legacy = key;
    }

    /// Whether a legacy HS256 key is set.
    pub fn has_legacy_hs256(&self) -> bool {
        self.legacy.is_some()
    }

    /// Adds a key, with the `kid` tokens will name it by (or none).
    ///
    /// [`Error::InvalidKey`] with [`KeyProblem::KidTooLong`] for a `kid`
    /// over [`MAX_KID_LEN`] bytes, and with [`KeyProblem::SetConflict`] when
    /// the set is full or already holds a key with this `kid` (two keys of
    /// one `kid` would leave the choice to a guess).
    pub fn insert(&mut self, kid: Option<&str>, key: impl Into<Key>) -> Result<(), Error> {
        let kid = kid.map(Kid::new).transpose()?;
        self.push(kid, key.into())
    }

    pub(crate) fn push(&mut self, kid: Option<Kid>, key: Key) -> Result<(), Error> {
        if kid.as_ref().is_some_and(|kid| self.contains_kid(kid.as_str())) {
            return Err(Error::InvalidKey(KeyProblem::SetConflict));
        }
        let slot = self.entries.get_mut(self.len).ok_or(Error::InvalidKey(KeyProblem::SetConflict))?;
        *slot = Some(Entry { kid, key });
        self.len = self.len.saturating_add(1);
        Ok(())
    }

    /// Drops the keys added after the first `len`, to undo a failed load.
    pub(crate) fn truncate(&mut self, len: usize) {
        for slot in self.entries.iter_mut().skip(len) {
            *slot = None;
        }
        self.len = self.len.min(len);
    }

    /// Whether a key of the set has this `kid`.
    pub fn contains_kid(&self, kid: &str) -> bool {
        self.iter_entries().any(|e| e.kid.as_ref().is_some_and(|k| k.as_str() == kid))
    }

    /// How many keys the set holds (the legacy key not counted).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set holds no key (the legacy key not counted).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `N`: how many keys the set can hold.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// Each key's `kid` (if any) and algorithm, in insertion order; no key
    /// material.
    pub fn keys(&self) -> impl Iterator<Item = (Option<&str>, Algorithm)> + '_ {
        self.iter_entries().map(|e| (e.kid.as_ref().map(Kid::as_str), e.key.algorithm()))
    }

    /// Which key verifies a token whose header names `alg` and `kid`,
    /// following the [selection](KeySet#which-key-verifies-a-token): `Ok`
    /// with the chosen key's `kid` (`None` for a key without one or for the
    /// legacy key) and whether it is the legacy key. For diagnostics, such as
    /// the `verify` CLI's `--explain`; [`verify`](crate::verify) does the
    /// same selection itself.
    ///
    /// ```
    /// use jwtcheck::{Algorithm, Error, Hs256Key, KeySet};
    ///
    /// let keys = KeySet::<2>::new().with_legacy_hs256(Hs256Key::new(b"an-issuer-secret-of-at-least-32-bytes!")?);
    /// assert_eq!(keys.explain(Algorithm::Hs256, Some("old")), Ok((None, true)));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn explain(&self, alg: Algorithm, kid: Option<&str>) -> Result<(Option<&str>, bool), Error> {
        let choice = match kid {
            Some(kid) => self.by_kid(alg, |k| k == kid)?,
            None => self.without_kid(alg)?,
        };
        Ok(match choice {
            Choice::Entry(entry) => (entry.kid.as_ref().map(Kid::as_str), false),
            Choice::Legacy(_) => (None, true),
        })
    }

    fn iter_entries(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.entries.iter().take(self.len).flatten()
    }

    /// Rules 2 and 3.
    fn by_kid(&self, alg: Algorithm, matches: impl Fn(&str) -> bool) -> Result<Choice<'_>, Error> {
        match self.iter_entries().find(|e| e.kid.as_ref().is_some_and(|k| matches(k.as_str()))) {
            Some(entry) if entry.key.algorithm() == alg => Ok(Choice::Entry(entry)),
            Some(_) => Err(Error::UnsupportedAlgorithm),
            None => match &self.legacy {
                Some(legacy) if alg == Algorithm::Hs256 => Ok(Choice::Legacy(legacy)),
                _ => Err(Error::UnknownKey),
            },
        }
    }

    /// Rule 4.
    fn without_kid(&self, alg: Algorithm) -> Result<Choice<'_>, Error> {
        let legacy = self.legacy.as_ref().filter(|_| alg == Algorithm::Hs256).map(Choice::Legacy);
        let mut candidates = self.iter_entries().filter(|e| e.key.algorithm() == alg).map(Choice::Entry).chain(legacy);
        match (candidates.next(), candidates.next()) {
            (Some(only), None) => Ok(only),
            _ => Err(Error::UnknownKey),
        }
    }
}

enum Choice<'k> {
    Entry(&'k Entry),
    Legacy(&'k Hs256Key),
}

impl<const N: usize> sealed::Sealed for KeySet<N> {}

impl<const N: usize> VerifyingKeys for KeySet<N> {
    fn select(&self, alg: Algorithm, kid: Option<JsonStr<'_>>) -> Result<Selected<'_>, Error> {
        let choice = match kid {
            Some(kid) => self.by_kid(alg, |k| kid == k)?,
            None => self.without_kid(alg)?,
        };
        Ok(match choice {
            Choice::Entry(entry) => entry.key.selected(),
            Choice::Legacy(key) => Selected::Hs256(key),
        })
    }
}

impl<const N: usize> fmt::Debug for KeySet<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Keys<'a, const N: usize>(&'a KeySet<N>);
        impl<const N: usize> fmt::Debug for Keys<'_, N> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.0.keys().map(|(kid, alg)| (kid, alg.name()))).finish()
            }
        }
        f.debug_struct("KeySet")
            .field("keys", &Keys(self))
            .field("legacy_hs256", &self.legacy.is_some())
            .field("capacity", &N)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    const fn assert_send_sync<T: Send + Sync>() {}
    const _: () = assert_send_sync::<KeySet<4>>();
    const _: () = assert_send_sync::<Key>();

    fn hs(n: u8) -> Hs256Key {
        Hs256Key::new(&[n; 32]).unwrap()
    }

    fn chosen<'s, const N: usize>(
        set: &'s KeySet<N>,
        alg: Algorithm,
        kid: Option<&str>,
    ) -> Result<(Option<&'s str>, bool), Error> {
        set.explain(alg, kid)
    }

    #[test]
    fn selection_rules() {
        let mut set = KeySet::<3>::new();
        set.insert(Some("a"), hs(1)).unwrap();
        set.insert(Some("b"), hs(2)).unwrap();
        assert_eq!(chosen(&set, Algorithm::Hs256, Some("b")), Ok((Some("b"), false)));
        assert_eq!(chosen(&set, Algorithm::Hs256, Some("c")), Err(Error::UnknownKey));
        assert_eq!(chosen(&set, Algorithm::Es256, Some("a")), Err(Error::UnsupportedAlgorithm));
        // Two HS256 candidates and no kid: never a guess.
        assert_eq!(chosen(&set, Algorithm::Hs256, None), Err(Error::UnknownKey));
        assert_eq!(chosen(&set, Algorithm::Es256, None), Err(Error::UnknownKey));

        let set = set.with_legacy_hs256(hs(9));
        assert_eq!(chosen(&set, Algorithm::Hs256, Some("c")), Ok((None, true)));
        assert_eq!(chosen(&set, Algorithm::Es256, Some("c")), Err(Error::UnknownKey));
        assert_eq!(chosen(&set, Algorithm::Hs256, None), Err(Error::UnknownKey), "three candidates");

        let legacy_only = KeySet::<1>::new().with_legacy_hs256(hs(9));
        assert_eq!(chosen(&legacy_only, Algorithm::Hs256, None), Ok((None, true)));
        let mut one = KeySet::<1>::new();
        one.insert(None, hs(1)).unwrap();
        assert_eq!(chosen(&one, Algorithm::Hs256, None), Ok((None, false)));
        assert_eq!(chosen(&one, Algorithm::Hs256, Some("x")), Err(Error::UnknownKey));
    }

    #[test]
    fn kids_compare_after_unescaping_and_exactly() {
        let mut set = KeySet::<2>::new();
        set.insert(Some("k/1"), hs(1)).unwrap();
        let pick = |raw: &'static str| set.select(Algorithm::Hs256, Some(JsonStr::new(raw, raw.contains('\\'))));
        assert!(matches!(pick(r"k\/1"), Ok(Selected::Hs256(_))));
        assert!(matches!(pick(r"k\u002f1"), Ok(Selected::Hs256(_))));
        assert_eq!(pick("K/1").map(|_| ()), Err(Error::UnknownKey));
        assert_eq!(pick("k/1 ").map(|_| ()), Err(Error::UnknownKey));
        assert_eq!(pick("k/").map(|_| ()), Err(Error::UnknownKey));
    }

    #[test]
    fn insert_refuses_conflicts_and_long_kids() {
        let mut set = KeySet::<2>::new();
        set.insert(Some("a"), hs(1)).unwrap();
        assert_eq!(set.insert(Some("a"), hs(2)), Err(Error::InvalidKey(KeyProblem::SetConflict)));
        let long = "x".repeat(MAX_KID_LEN + 1);
        assert_eq!(set.insert(Some(&long), hs(2)), Err(Error::InvalidKey(KeyProblem::KidTooLong)));
        set.insert(Some(&"y".repeat(MAX_KID_LEN)), hs(2)).unwrap();
        assert_eq!(set.insert(None, hs(3)), Err(Error::InvalidKey(KeyProblem::SetConflict)), "full");
        assert_eq!(set.len(), 2);
        set.truncate(1);
        assert_eq!(set.len(), 1);
        assert!(!set.contains_kid(&"y".repeat(MAX_KID_LEN)));
    }

    #[test]
    fn debug_shows_no_key_material() {
        let mut set = KeySet::<2>::new().with_legacy_hs256(hs(7));
        set.insert(Some("a"), hs(1)).unwrap();
        assert_eq!(format!("{set:?}"), r#"KeySet { keys: [(Some("a"), "HS256")], legacy_hs256: true, capacity: 2 }"#);
        assert_eq!(format!("{:?}", Key::from(hs(1))), "Key(HS256, ..)");
    }
}
