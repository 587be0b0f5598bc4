//! The compact serialization (RFC 7515 §7.1) and the verification pipeline.

use crate::claims::{Claims, ClaimsRef, Registered};
use crate::json::{Names, lanes_equal};
use crate::keys::{KeyId, Selected};
use crate::{Error, MAX_HEADER_LEN, Validation, VerifyingKeys, base64url, header};

/// Verifies an HS256 token and returns its claims, with the decoded payload
/// held inline (no allocation).
///
/// `token` is the compact JWS (`header.payload.signature`), as `&str` or
/// bytes. `now` is the current time in seconds since the Unix epoch: the
/// crate never reads a clock (with the `std` feature,
/// [`verify_now`](crate::verify_now) does it for you).
///
/// The checks run in the order the crate documentation lists, and the first
/// that fails is the error. The payload of a token whose MAC does not match
/// is never parsed.
///
/// A payload longer than [`PAYLOAD_CAPACITY`](crate::PAYLOAD_CAPACITY) is
/// [`Error::TooLarge`]; that only happens when
/// [`Validation::max_token_len`] is raised above its default. Use
/// [`verify_in`] to decode into a buffer of your own size.
///
/// ```
/// use jwtcheck::{verify, Error, Hs256Key, Validation};
///
/// let key = Hs256Key::new(b"super-secret-jwt-token-with-at-least-32-characters-long")?;
/// let validation = Validation::new().audience("authenticated");
/// let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
///     eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1fQ.\
///     tZJgEUjIinmeergvVOrrmM8_40HNHrVKZ7-q0dofbU8";
///
/// let claims = verify(token, &key, &validation, 1767262245)?;
/// assert!(claims.sub().unwrap() == "user-1");
///
/// // RFC 7519 §4.1.4: at `exp` itself the token is already expired.
/// assert_eq!(verify(token, &key, &validation, 1767265845).unwrap_err(), Error::Expired);
/// # Ok::<(), Error>(())
/// ```
pub fn verify<T: AsRef<[u8]> + ?Sized, K: VerifyingKeys + ?Sized>(
    token: &T,
    key: &K,
    validation: &Validation<'_>,
    now: u64,
) -> Result<Claims, Error> {
    verify_with(token.as_ref(), key, validation, now, &mut NoCache)
}

/// [`verify`] through a cache of earlier verdicts (`TokenCache`).
pub(crate) fn verify_with<K: VerifyingKeys + ?Sized, C: Cache>(
    token: &[u8],
    key: &K,
    validation: &Validation<'_>,
    now: u64,
    cache: &mut C,
) -> Result<Claims, Error> {
    // Built in the return slot and returned from it on every path, so the
    // storage is neither copied nor moved (callgrind counts no memcpy).
    let mut out = Ok(Claims::for_token(token.len()));
    if let Ok(claims) = &mut out {
        match verify_parts(token, key, validation, now, claims.buffer(), cache) {
            Ok((len, registered)) => claims.set(len, registered),
            Err(error) => out = Err(error),
        }
    }
    out
}

/// [`verify`], decoding the header and payload into `buf` instead of inline
/// storage: for small stacks (a `[u8; 1024]` is plenty for most tokens) or for
/// tokens above the default size.
///
/// A token whose decoded header or payload does not fit `buf` is
/// [`Error::TooLarge`], found before any other work on the token.
///
/// ```
/// # use jwtcheck::{verify_in, Hs256Key, Validation};
/// # let key = Hs256Key::new(b"super-secret-jwt-token-with-at-least-32-characters-long")?;
/// # let validation = Validation::new().audience("authenticated");
/// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1fQ.tZJgEUjIinmeergvVOrrmM8_40HNHrVKZ7-q0dofbU8";
/// let mut buf = [0u8; 512];
/// let claims = verify_in(token, &key, &validation, 1767262245, &mut buf)?;
/// assert_eq!(claims.exp().map(|e| e.as_secs()), Some(1767265845));
/// # Ok::<(), jwtcheck::Error>(())
/// ```
pub fn verify_in<'b, T: AsRef<[u8]> + ?Sized, K: VerifyingKeys + ?Sized>(
    token: &T,
    key: &K,
    validation: &Validation<'_>,
    now: u64,
    buf: &'b mut [u8],
) -> Result<ClaimsRef<'b>, Error> {
    let (len, registered) = verify_parts(token.as_ref(), key, validation, now, buf, &mut NoCache)?;
    let payload = buf.get(..len).ok_or(Error::TooLarge)?;
    let payload = core::str::from_utf8(payload).map_err(|_| Error::Malformed)?;
    Ok(ClaimsRef::new(payload, registered))
}

/// The three segments of a compact JWS.
struct Segments<'t> {
    header: &'t [u8],
    payload: &'t [u8],
    signature: &'t [u8],
    /// `header.payload`, the JWS Signing Input (RFC 7515 §5.1 step 5).
    signing_input: &'t [u8],
}

/// Splits at the first and the last dot. A dot between them (4 or 5
/// segments, JWE) is refused later: by the payload decoder when every check
/// before it passes, otherwise by one search of the payload segment before
/// the earlier error is returned (see `verify_parts`). Either way the cost is
/// linear in the token length.
fn split(token: &[u8]) -> Result<Segments<'_>, Error> {
    let first = find_dot(token).ok_or(Error::Malformed)?;
    let last = rfind_dot(token).ok_or(Error::Malformed)?;
    let (signing_input, dot_signature) = token.split_at_checked(last).ok_or(Error::Malformed)?;
    let (header, dot_payload) = signing_input.split_at_checked(first).ok_or(Error::Malformed)?;
    let (_, payload) = dot_payload.split_first().ok_or(Error::Malformed)?;
    let (_, signature) = dot_signature.split_first().ok_or(Error::Malformed)?;
    if first == last {
        return Err(Error::Malformed);
    }
    Ok(Segments { header, payload, signature, signing_input })
}

/// The first `.`, eight bytes a step.
fn find_dot(s: &[u8]) -> Option<usize> {
    let (words, _) = s.as_chunks::<8>();
    let mut pos = 0usize;
    for word in words {
        let found = lanes_equal(u64::from_le_bytes(*word), b'.');
        if found != 0 {
            return Some(pos.wrapping_add((found.trailing_zeros() / 8) as usize));
        }
        pos = pos.wrapping_add(8);
    }
    s.get(pos..)?.iter().position(|&b| b == b'.').map(|i| pos.wrapping_add(i))
}

/// The last `.`, eight bytes a step from the end.
fn rfind_dot(s: &[u8]) -> Option<usize> {
    let (head, words) = s.as_rchunks::<8>();
    let mut end = s.len();
    for word in words.iter().rev() {
        let found = lanes_equal(u64::from_le_bytes(*word), b'.');
        end = end.wrapping_sub(8);
        if found != 0 {
            // The highest flagged lane can be a false one (a borrow from a
            // lower lane), so confirm bytewise within this word.
            let word_bytes = s.get(end..end.wrapping_add(8))?;
            return word_bytes.iter().rposition(|&b| b == b'.').map(|i| end.wrapping_add(i));
        }
    }
    head.iter().rposition(|&b| b == b'.')
}

/// Where the pipeline may find a token verified before: a hit writes the
/// payload decoded then into `buf` and returns its length and the registered
/// claims found then; the signature check, the payload's decoding and its
/// JSON scan are skipped (every claim check still runs).
pub(crate) trait Cache {
    /// The decoded payload (into `buf`) and the claims of `token`, if it is
    /// stored as verified by the key `id` with the JSON depth limit `depth`;
    /// on a miss, the keyed hash of `signature` that placed the lookup, so
    /// that storing the token does not hash it again.
    fn lookup(
        &mut self,
        token: &[u8],
        signature: &[u8],
        id: KeyId,
        depth: usize,
        buf: &mut [u8],
    ) -> Result<(usize, Registered), u64>;
    /// Stores `token` as verified by `id`, with its decoded `payload`, where
    /// the miss's `hash` places it.
    fn insert(&mut self, token: &[u8], hash: u64, id: KeyId, depth: usize, payload: &[u8], registered: Registered);
}

/// No cache: `verify` and `verify_in`.
pub(crate) struct NoCache;

impl Cache for NoCache {
    #[inline(always)]
    fn lookup(&mut self, _: &[u8], _: &[u8], _: KeyId, _: usize, _: &mut [u8]) -> Result<(usize, Registered), u64> {
        Err(0)
    }

    #[inline(always)]
    fn insert(&mut self, _: &[u8], _: u64, _: KeyId, _: usize, _: &[u8], _: Registered) {}
}

/// The pipeline; leaves the decoded payload at the front of `buf` and
/// returns its length and registered claims.
fn verify_parts<K: VerifyingKeys + ?Sized, C: Cache>(
    token: &[u8],
    key: &K,
    validation: &Validation<'_>,
    now: u64,
    buf: &mut [u8],
    cache: &mut C,
) -> Result<(usize, Registered), Error> {
    // 1. Size, before any other work.
    if token.len() > validation.max_token_len_value() {
        return Err(Error::TooLarge);
    }
    // 2. Three segments (a dot inside the payload segment is found below).
    let segments = split(token)?;
    // The duplicate check's memory, shared by the header and payload scans.
    let mut names = Names::new();
    let depth = validation.max_depth_value();
    let step = header_step(&segments, key, validation, buf, &mut names).and_then(|selected| {
        // A token stored as verified by this very key skips the signature
        // check; the cache compares the whole token, never a hash alone.
        match cache.lookup(token, segments.signature, selected.id(), depth, buf) {
            Ok(hit) => Ok((selected, Ok(hit))),
            Err(hash) => selected.verify(segments.signing_input, segments.signature).map(|()| (selected, Err(hash))),
        }
    });
    let (selected, cached) = match step {
        Ok(step) => step,
        // More than three segments outranks everything after the split
        // (RFC 7515 §7.1). On success the payload decoder refuses the dot
        // itself, so the search only runs on this path.
        Err(error) => return Err(if segments.payload.contains(&b'.') { Error::Malformed } else { error }),
    };

    // 5. Only now the payload: decode, strict JSON, claim types (a cached
    // token's payload was decoded and scanned when it was stored).
    let (payload, registered) = match cached {
        Ok((len, registered)) => (buf.get(..len).ok_or(Error::TooLarge)?, Some(registered)),
        Err(_) => (base64url::decode(segments.payload, buf)?, None),
    };
    let len = payload.len();
    let payload = core::str::from_utf8(payload).map_err(|_| Error::Malformed)?;
    let registered = match registered {
        Some(registered) => registered,
        None => Registered::scan(payload, depth, &mut names)?,
    };

    // 6. exp, nbf, iss, aud: against `now`, hit or miss.
    validation.check(&ClaimsRef::new(payload, registered), now)?;
    if let Err(hash) = cached {
        cache.insert(token, hash, selected.id(), depth, payload.as_bytes(), registered);
    }
    Ok((len, registered))
}

/// Steps 2 (sizes) to 4 of the pipeline, up to the signature check: the key
/// the header selects.
fn header_step<'k, K: VerifyingKeys + ?Sized>(
    segments: &Segments<'_>,
    key: &'k K,
    validation: &Validation<'_>,
    buf: &mut [u8],
    names: &mut Names,
) -> Result<Selected<'k>, Error> {
    let header_len = base64url::decoded_len_floor(segments.header.len());
    if header_len > MAX_HEADER_LEN
        || header_len > buf.len()
        || base64url::decoded_len_floor(segments.payload.len()) > buf.len()
    {
        return Err(Error::TooLarge);
    }

    // 3. The header: strict base64url, strict JSON object, alg, crit, b64,
    // cty, typ, kid. The segments and shapes nearly every issuer emits take
    // a shorter way to the same result (see `header::known_segment`).
    let depth = validation.max_depth_value();
    let header = match header::known_segment(segments.header, depth) {
        Some(header) => header,
        None => {
            let header = base64url::decode(segments.header, buf)?;
            match header::check_common(header, depth) {
                Some(header) => header,
                None => header::check(header, depth, names)?,
            }
        }
    };

    // 4. The key the header's alg and kid select among the caller's keys;
    // then (the caller) exactly one signature check with it.
    key.select(header.alg, header.kid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;

    fn parts(token: &str) -> Result<(&str, &str, &str), Error> {
        let s = split(token.as_bytes())?;
        let f = |b| core::str::from_utf8(b).unwrap();
        Ok((f(s.header), f(s.payload), f(s.signature)))
    }

    #[test]
    fn splits_into_exactly_three_segments() {
        assert_eq!(parts("a.b.c"), Ok(("a", "b", "c")));
        assert_eq!(parts(".."), Ok(("", "", "")));
        assert_eq!(parts("a.b.").map(|p| p.2), Ok(""));
        assert_eq!(parts("abc").map(|_| ()), Err(Error::Malformed));
        assert_eq!(parts("a.b").map(|_| ()), Err(Error::Malformed));
        // More dots stay in the payload segment, where the pipeline refuses them.
        assert_eq!(parts("a.b.c.d"), Ok(("a", "b.c", "d")));
        assert_eq!(parts("a.b.c.d.e"), Ok(("a", "b.c.d", "e")));
        assert_eq!(parts(&".".repeat(5)), Ok(("", "...", "")));
    }

    #[test]
    // Exhaustive and slow under Miri; safe code, run natively by `cargo test`.
    #[cfg_attr(miri, ignore)]
    fn dot_search_agrees_with_the_bytewise_one() {
        for len in 0..40 {
            for a in 0..len {
                for b in a..len {
                    let mut s = vec![b'x'; len];
                    s[a] = b'.';
                    s[b] = b'.';
                    assert_eq!(find_dot(&s), Some(a), "{len} {a} {b}");
                    assert_eq!(rfind_dot(&s), Some(b), "{len} {a} {b}");
                }
            }
            // A byte just below '.' makes the borrow-prone lane pattern.
            let s = vec![b'-'; len];
            assert_eq!((find_dot(&s), rfind_dot(&s)), (None, None));
        }
    }
}
