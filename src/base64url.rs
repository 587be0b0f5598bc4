//! Strict, unpadded base64url (RFC 4648 §5) as JWS uses it (RFC 7515 §2).
//!
//! The token text is public, so this decoder is table driven and not
//! constant time; secrets are decoded with `base64ct` instead (see `key.rs`).
//! It rejects everything RFC 7515 §2 leaves out: padding, the `+` and `/` of
//! the standard alphabet, whitespace, a length of 1 mod 4, and non-zero
//! trailing bits (so every byte string has exactly one accepted encoding).

use crate::Error;

/// Marks a byte outside the alphabet. Valid values are below 64, so any
/// invalid byte sets bit 7 of an OR-accumulator.
const INVALID: u8 = 0xFF;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Evaluated at compile time: an out-of-bounds index would fail the build.
#[allow(clippy::indexing_slicing)]
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Set in a group's word when one of its characters is not in the alphabet;
/// the 24 decoded bits never reach it.
const BAD: u32 = 1 << 31;

/// `SHIFTED[k][c]`: the bits that character `c` in position `k` of a group of
/// four contributes to the group's three bytes, already in output order
/// (byte 0 in the low 8 bits), or `BAD`. A group decodes with four loads and
/// three ORs.
// Evaluated at compile time, like `DECODE`.
#[allow(clippy::indexing_slicing)]
const SHIFTED: [[u32; 256]; 4] = {
    let mut tables = [[BAD; 256]; 4];
    let mut c = 0;
    while c < 256 {
        let v = DECODE[c] as u32;
        if v != INVALID as u32 {
            tables[0][c] = v << 2;
            tables[1][c] = (v >> 4) | ((v & 0x0F) << 12);
            tables[2][c] = ((v >> 2) << 8) | ((v & 0x03) << 22);
            tables[3][c] = v << 16;
        }
        c += 1;
    }
    tables
};

#[inline(always)]
fn sextet(c: u8) -> u8 {
    // `DECODE` has 256 entries, so this never misses; the fallback keeps the
    // code free of indexing panics.
    DECODE.get(usize::from(c)).copied().unwrap_or(INVALID)
}

#[inline(always)]
fn shifted(position: usize, c: u8) -> u32 {
    SHIFTED.get(position).and_then(|t| t.get(usize::from(c))).copied().unwrap_or(BAD)
}

/// Four characters to three bytes (in the low 24 bits, byte 0 lowest), with
/// `BAD` set if any character is invalid.
#[inline(always)]
fn group(c: &[u8; 4]) -> u32 {
    shifted(0, c[0]) | shifted(1, c[1]) | shifted(2, c[2]) | shifted(3, c[3])
}

/// The decoded length of `encoded_len` characters, or `None` when no strict
/// encoding has that length (1 mod 4).
pub(crate) const fn decoded_len(encoded_len: usize) -> Option<usize> {
    let tail = match encoded_len % 4 {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return None,
    };
    // Cannot overflow: a quarter of `usize::MAX` times three, plus two.
    Some((encoded_len / 4).saturating_mul(3).saturating_add(tail))
}

/// The decoded length for any input length: exact when the length is
/// valid, and never more than what a valid prefix would decode to. Size
/// limits use it before the text is checked.
pub(crate) const fn decoded_len_floor(encoded_len: usize) -> usize {
    // floor(3n / 4), without overflowing.
    (encoded_len / 4).saturating_mul(3).saturating_add((encoded_len % 4).saturating_mul(3) / 4)
}

/// Decodes `src` into the front of `dst` and returns the filled part.
///
/// `Malformed` for anything but strict unpadded base64url; `TooLarge` when
/// `dst` is too small.
pub(crate) fn decode<'o>(src: &[u8], dst: &'o mut [u8]) -> Result<&'o [u8], Error> {
    let len = decoded_len(src.len()).ok_or(Error::Malformed)?;
    let dst = dst.get_mut(..len).ok_or(Error::TooLarge)?;
    let groups = src.len() / 4;
    let (src_groups, src_tail) = src.split_at_checked(src.len() & !3).ok_or(Error::Malformed)?;
    let (dst_groups, dst_tail) = dst.split_at_mut_checked(groups.saturating_mul(3)).ok_or(Error::Malformed)?;

    // The OR of every group: `BAD` is set iff some byte was not in the
    // alphabet. Checking once at the end keeps the loops branch-free.
    let mut bad = 0u32;

    // Eight characters to six bytes per step.
    let (src8, src8_rest) = src_groups.as_chunks::<8>();
    let (dst6, dst6_rest) = dst_groups.as_chunks_mut::<6>();
    for (s, d) in src8.iter().zip(dst6.iter_mut()) {
        let (lo, hi) = s.split_at(4);
        let (lo, hi) = (group(lo.try_into().unwrap_or(&[0; 4])), group(hi.try_into().unwrap_or(&[0; 4])));
        bad |= lo | hi;
        let [b0, b1, b2, b3, b4, b5, _, _] = (u64::from(lo) | (u64::from(hi) << 24)).to_le_bytes();
        *d = [b0, b1, b2, b3, b4, b5];
    }
    // At most one group of four is left.
    let (src4, _) = src8_rest.as_chunks::<4>();
    let (dst3, _) = dst6_rest.as_chunks_mut::<3>();
    for (s, d) in src4.iter().zip(dst3.iter_mut()) {
        let word = group(s);
        bad |= word;
        let [b0, b1, b2, _] = word.to_le_bytes();
        *d = [b0, b1, b2];
    }

    match (src_tail, dst_tail) {
        ([], []) => {}
        (&[c0, c1], [d0]) => {
            let word = shifted(0, c0) | shifted(1, c1);
            // 12 bits carry 8: the low 4 bits of the last sextet must be zero.
            bad |= word | (u32::from(word & 0xFF00 != 0) << 31);
            *d0 = word as u8;
        }
        (&[c0, c1, c2], [d0, d1]) => {
            let word = shifted(0, c0) | shifted(1, c1) | shifted(2, c2);
            // 18 bits carry 16: the low 2 bits of the last sextet must be zero.
            bad |= word | (u32::from(word & 0xFF_0000 != 0) << 31);
            let [b0, b1, _, _] = word.to_le_bytes();
            (*d0, *d1) = (b0, b1);
        }
        _ => return Err(Error::Malformed),
    }

    if bad & BAD != 0 {
        return Err(Error::Malformed);
    }
    Ok(dst)
}

/// The length of the unpadded base64url encoding of `len` bytes.
pub(crate) const fn encoded_len(len: usize) -> usize {
    let tail = match len % 3 {
        0 => 0,
        1 => 2,
        _ => 3,
    };
    (len / 3).saturating_mul(4).saturating_add(tail)
}

/// Encodes `src` as unpadded base64url into the front of `dst`;
/// `TooLarge` when `dst` is too small. Used by minting and by the
/// signature entry points of `internals`.
#[cfg(any(feature = "sign", feature = "es256", feature = "rs256", feature = "eddsa"))]
pub(crate) fn encode<'o>(src: &[u8], dst: &'o mut [u8]) -> Result<&'o str, Error> {
    let dst = dst.get_mut(..encoded_len(src.len())).ok_or(Error::TooLarge)?;
    let char_of = |sextet: u32| ALPHABET.get((sextet & 0x3F) as usize).copied().unwrap_or(b'A');
    let (groups, tail) = src.as_chunks::<3>();
    let (out4, out_tail) = dst.as_chunks_mut::<4>();
    for (&[a, b, c], o) in groups.iter().zip(out4.iter_mut()) {
        let n = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
        *o = [char_of(n >> 18), char_of(n >> 12), char_of(n >> 6), char_of(n)];
    }
    match (tail, out_tail) {
        (&[a], [o0, o1]) => {
            let n = u32::from(a) << 16;
            (*o0, *o1) = (char_of(n >> 18), char_of(n >> 12));
        }
        (&[a, b], [o0, o1, o2]) => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            (*o0, *o1, *o2) = (char_of(n >> 18), char_of(n >> 12), char_of(n >> 6));
        }
        _ => {}
    }
    // Only alphabet characters were written.
    core::str::from_utf8(dst).map_err(|_| Error::Malformed)
}

/// Checks that `src` is strict unpadded base64url without keeping the bytes,
/// and returns the decoded length.
pub(crate) fn validate(src: &[u8]) -> Result<usize, Error> {
    let len = decoded_len(src.len()).ok_or(Error::Malformed)?;
    let mut bad = 0u8;
    for &c in src {
        bad |= sextet(c);
    }
    let last = src.last().map_or(0, |&c| sextet(c));
    let trailing_mask = match src.len() % 4 {
        2 => 0x0F,
        3 => 0x03,
        _ => 0,
    };
    if bad & 0x80 != 0 || last & trailing_mask != 0 {
        return Err(Error::Malformed);
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::vec;
    use std::vec::Vec;

    fn dec(s: &str) -> Result<([u8; 64], usize), Error> {
        let mut out = [0u8; 64];
        let n = decode(s.as_bytes(), &mut out)?.len();
        Ok((out, n))
    }

    fn ok(s: &str) -> vec::Vec<u8> {
        let (out, n) = dec(s).unwrap();
        assert_eq!(validate(s.as_bytes()), Ok(n), "validate agrees on {s:?}");
        out[..n].to_vec()
    }

    fn err(s: &str) -> Error {
        let e = dec(s).unwrap_err();
        assert_eq!(validate(s.as_bytes()).unwrap_err(), e, "validate agrees on {s:?}");
        e
    }

    #[test]
    fn rfc4648_vectors_in_url_alphabet() {
        assert_eq!(ok(""), b"");
        assert_eq!(ok("Zg"), b"f");
        assert_eq!(ok("Zm8"), b"fo");
        assert_eq!(ok("Zm9v"), b"foo");
        assert_eq!(ok("Zm9vYg"), b"foob");
        assert_eq!(ok("Zm9vYmE"), b"fooba");
        assert_eq!(ok("Zm9vYmFy"), b"foobar");
        assert_eq!(ok("Zm9vYmFyYmF6cXV4"), b"foobarbazqux");
        assert_eq!(ok("Zm9vYmFyYmF6cXV4MTI"), b"foobarbazqux12");
    }

    #[test]
    fn url_alphabet_maps_62_and_63() {
        assert_eq!(ok("-_-_"), [0xFB, 0xFF, 0xBF]);
        assert_eq!(ok("AAAAAAAA-_-_"), [0, 0, 0, 0, 0, 0, 0xFB, 0xFF, 0xBF]);
    }

    #[test]
    fn rejects_everything_outside_strict_base64url() {
        assert_eq!(err("Zg=="), Error::Malformed, "padding");
        assert_eq!(err("Zm8="), Error::Malformed, "padding");
        assert_eq!(err("+/+/"), Error::Malformed, "standard alphabet");
        assert_eq!(err("Zm9v Yg"), Error::Malformed, "space");
        assert_eq!(err("Zm9v\nYmFy"), Error::Malformed, "newline");
        assert_eq!(err("Zm9vY"), Error::Malformed, "length 1 mod 4");
        assert_eq!(err("Z"), Error::Malformed, "length 1");
        assert_eq!(err("Zh"), Error::Malformed, "non-zero trailing bits (2 chars)");
        assert_eq!(err("Zm9"), Error::Malformed, "non-zero trailing bits (3 chars)");
        assert_eq!(err("Ze"), Error::Malformed, "trailing bits 0b1110 (2 chars)");
        assert_eq!(err("Zm-"), Error::Malformed, "trailing bits 0b10 (3 chars)");
        assert_eq!(err("Zm9v.mFy"), Error::Malformed, "dot");
        assert_eq!(err("Zm9v\0mFy"), Error::Malformed, "NUL");
        assert_eq!(err("Zm9vYmF\u{e9}"), Error::Malformed, "non-ASCII");
    }

    #[test]
    // Exhaustive and slow under Miri; safe code, run natively by `cargo test`.
    #[cfg_attr(miri, ignore)]
    fn invalid_byte_is_found_in_every_position() {
        for len in [4usize, 8, 12, 16, 18, 19] {
            for i in 0..len {
                let mut s = vec![b'A'; len];
                s[i] = b'=';
                let mut out = [0u8; 16];
                assert_eq!(decode(&s, &mut out), Err(Error::Malformed), "len {len} at {i}");
                assert_eq!(validate(&s), Err(Error::Malformed), "len {len} at {i}");
            }
        }
    }

    #[test]
    fn small_destination_is_too_large() {
        let mut out = [0u8; 5];
        assert_eq!(decode(b"Zm9vYmFy", &mut out), Err(Error::TooLarge));
    }

    #[cfg(feature = "sign")]
    #[test]
    // Exhaustive and slow under Miri; safe code, run natively by `cargo test`.
    #[cfg_attr(miri, ignore)]
    fn encode_round_trips_through_decode() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            let mut text = [0u8; 400];
            let encoded = encode(&data[..n], &mut text).unwrap();
            assert_eq!(encoded.len(), encoded_len(n));
            let mut back = [0u8; 300];
            assert_eq!(decode(encoded.as_bytes(), &mut back).unwrap(), &data[..n]);
        }
        let mut out = [0u8; 8];
        assert_eq!(encode(b"foobar", &mut out), Ok("Zm9vYmFy"));
        assert_eq!(encode(&[0xFB, 0xFF, 0xBF], &mut out), Ok("-_-_"));
        assert_eq!(encode(b"foobarb", &mut out), Err(Error::TooLarge));
    }

    #[test]
    fn lengths() {
        assert_eq!(decoded_len(0), Some(0));
        assert_eq!(decoded_len(1), None);
        assert_eq!(decoded_len(43), Some(32));
        assert_eq!(decoded_len(44), Some(33));
        for n in 0..100 {
            let floor = decoded_len_floor(n);
            assert_eq!(floor, 3 * n / 4);
            if let Some(exact) = decoded_len(n) {
                assert_eq!(floor, exact);
            }
        }
    }
}
