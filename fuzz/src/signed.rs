//! The input layout of `verify_signed` and `es256`, shared with the seed generator's
//! documentation (fuzz/seeds.py writes the same layout).
//!
//! ```text
//! [0..12)   control bytes (missing bytes read as 0)
//! [12..)    header JSON bytes, then 0xFF, then payload JSON bytes
//!           (no 0xFF: everything is the header and the payload is empty)
//! ```
//!
//! Control bytes:
//!
//! | byte | bits | meaning |
//! | --- | --- | --- |
//! | c0 | 0 | `allow_missing_exp` |
//! | c0 | 1-2 | audience: 0 default (reject any `aud`), 1 `accept_any_audience`, 2 `audience(POOL[c1 % 8])`, 3 `audiences(POOL[c1 % 8 ..][.. c2 % ...])` |
//! | c0 | 3-4 | issuer: 0 and 3 none, 1 `issuer(POOL[c3 % 8])`, 2 `issuers(POOL[lo nibble ..][.. hi nibble])` |
//! | c0 | 5-7 | signature: 0-3 the right MAC, 4 one character changed, 5 last character dropped, 6 `A` appended, 7 `=` appended |
//! | c0 | 5 | `es256` only, also: the high-S form of the signature (else low-S); the changed character is `c6 % 86` there |
//! | c4 | 0-1 | now: 0 `NOW + delta`, 1 `floor(exp) + delta`, 2 `floor(nbf) + delta`, 3 the raw value (all ones: `u64::MAX`) |
//! | c4 | 2-3 | leeway: 0 none, 1 `c6`, 2 `u64::MAX`, 3 the raw value |
//! | c4 | 4-5 | depth: 0-1 default, 2 `max_depth(c7 % 70)`, 3 `max_depth(64)` |
//! | c4 | 6-7 | size: 0 `verify`, 1 `verify_in` with `c8 * 8 + c9 % 8` bytes, 2 `verify` with `max_token_len(c8 * 32 + c9)`, 3 `verify_in` with 16 KiB and `max_token_len(1 MiB)` |
//! | c5 | | delta, as `i8` |
//! | c6..c12 | | the raw value: 48 bits, little-endian |

use crate::jwt::{Audience, Config, Names, POOL};

pub const CONTROL_LEN: usize = 12;
/// A fixed "now" near the seeds' `exp` values.
pub const NOW: u64 = 1_700_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NowMode {
    Fixed,
    Exp,
    Nbf,
    Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigMode {
    Right,
    ChangeChar(usize),
    DropLast,
    AppendA,
    AppendPad,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Verify,
    VerifyIn(usize),
}

#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub config: Config,
    pub api: Api,
    pub sig: SigMode,
    pub now_mode: NowMode,
    pub delta: i8,
    pub raw: u64,
    pub header: &'a [u8],
    pub payload: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn parse(data: &'a [u8]) -> Input<'a> {
        let mut c = [0u8; CONTROL_LEN];
        let n = data.len().min(CONTROL_LEN);
        c[..n].copy_from_slice(&data[..n]);
        let body = &data[n..];
        let (header, payload) = match body.iter().position(|&b| b == 0xFF) {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, &[][..]),
        };
        let mut raw_bytes = [0u8; 8];
        raw_bytes[..6].copy_from_slice(&c[6..12]);
        let raw = match u64::from_le_bytes(raw_bytes) {
            0xFFFF_FFFF_FFFF => u64::MAX,
            r => r,
        };

        let mut config = Config { require_exp: c[0] & 1 == 0, ..Config::default() };
        let slice = |start: u8, len: u8| {
            let start = usize::from(start) % POOL.len();
            let len = usize::from(len) % (POOL.len() - start + 1);
            &POOL[start..start + len]
        };
        config.audience = match (c[0] >> 1) & 3 {
            0 => Audience::RejectAny,
            1 => Audience::AcceptAny,
            2 => Audience::OneOf(Names::One(POOL[usize::from(c[1]) % POOL.len()])),
            _ => Audience::OneOf(Names::Many(slice(c[1], c[2]))),
        };
        config.issuers = match (c[0] >> 3) & 3 {
            1 => Some(Names::One(POOL[usize::from(c[3]) % POOL.len()])),
            2 => Some(Names::Many(slice(c[3] & 0xF, c[3] >> 4))),
            _ => None,
        };
        let sig = match c[0] >> 5 {
            0..=3 => SigMode::Right,
            4 => SigMode::ChangeChar(usize::from(c[6]) % 43),
            5 => SigMode::DropLast,
            6 => SigMode::AppendA,
            _ => SigMode::AppendPad,
        };
        let now_mode = match c[4] & 3 {
            0 => NowMode::Fixed,
            1 => NowMode::Exp,
            2 => NowMode::Nbf,
            _ => NowMode::Raw,
        };
        config.leeway = match (c[4] >> 2) & 3 {
            0 => 0,
            1 => u64::from(c[6]),
            2 => u64::MAX,
            _ => raw,
        };
        config.max_depth = match (c[4] >> 4) & 3 {
            0 | 1 => config.max_depth,
            2 => usize::from(c[7]) % 70,
            _ => 64,
        };
        let api = match c[4] >> 6 {
            0 => Api::Verify,
            1 => Api::VerifyIn(usize::from(c[8]) * 8 + usize::from(c[9]) % 8),
            2 => {
                config.max_token_len = usize::from(c[8]) * 32 + usize::from(c[9]);
                Api::Verify
            }
            _ => {
                config.max_token_len = 1 << 20;
                Api::VerifyIn(16 * 1024)
            }
        };
        if let Api::VerifyIn(len) = api {
            config.buf_len = len;
        }
        Input { config, api, sig, now_mode, delta: c[5] as i8, raw, header, payload }
    }
}

/// `base + delta`, clamped to `[0, u64::MAX]`.
pub fn offset(base: u64, delta: i8) -> u64 {
    (i128::from(base) + i128::from(delta)).clamp(0, i128::from(u64::MAX)) as u64
}
