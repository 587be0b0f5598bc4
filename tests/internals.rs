//! The `internals` entry points reach the same code as `verify`.

use jwtcheck::internals::{base64url_decode, numeric_date, scan_json_object, verify_mac};
use jwtcheck::{Error, Hs256Key, NumericDate};

#[test]
fn entry_points_behave_like_the_pipeline() {
    let mut out = [0u8; 8];
    assert_eq!(base64url_decode(b"Zm9v", &mut out), Ok(&b"foo"[..]));
    assert_eq!(base64url_decode(b"Zm9v=", &mut out), Err(Error::Malformed));
    assert_eq!(scan_json_object(r#"{"a":1}"#, 32), Ok(()));
    assert_eq!(scan_json_object(r#"{"a":1,"a":1}"#, 32), Err(Error::Malformed));
    assert_eq!(numeric_date(b"1.5"), numeric_date(b"15e-1"));
    assert_eq!(numeric_date(b"7"), Some(NumericDate::from_secs(7)));
    assert_eq!(numeric_date(b"-1"), None);
    // RFC 4231 test case 2, with its 4-byte key through the escape hatch.
    let key = Hs256Key::new_allow_short(b"Jefe").unwrap();
    let tag = [
        0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00,
        0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
    ];
    assert!(verify_mac(&key, b"what do ya want for nothing?", &tag));
    assert!(!verify_mac(&key, b"what do ya want for nothing?", &tag[..16]), "truncated tags are refused");
    assert!(!verify_mac(&key, b"what do ya want for nothing!", &tag));
}
