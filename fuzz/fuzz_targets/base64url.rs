//! The crate's strict base64url decoder against the `base64` crate set to
//! the same rules (URL-safe alphabet, no padding, zero trailing bits): same
//! accept/reject, same bytes; a too-small buffer is `too_large` exactly when
//! the length is possible; and every byte string round-trips.
#![no_main]

use base64::Engine;
use jwtcheck::Error;
use jwtcheck::internals::base64url_decode;
use jwtcheck_fuzz::jwt::STRICT_B64URL;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The input as base64url text.
    let mut buf = vec![0u8; data.len() * 3 / 4 + 3];
    let got = base64url_decode(data, &mut buf).map(<[u8]>::to_vec);
    let expected = STRICT_B64URL.decode(data).map_err(|_| Error::Malformed);
    assert_eq!(got, expected, "decoders disagree on {:?}", String::from_utf8_lossy(data));

    // One byte short of the decoded length: the length is checked first.
    if data.len() % 4 != 1 && !data.is_empty() {
        let need = data.len() * 3 / 4;
        if need > 0 {
            let mut small = vec![0u8; need - 1];
            assert_eq!(base64url_decode(data, &mut small), Err(Error::TooLarge));
        }
    }

    // The input as bytes to encode: the crate decodes the reference encoding.
    let text = STRICT_B64URL.encode(data);
    let mut out = vec![0u8; data.len()];
    assert_eq!(base64url_decode(text.as_bytes(), &mut out), Ok(data), "round trip of {text}");
});
