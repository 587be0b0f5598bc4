//! The crate's JSON scanner against `serde_json` plus the oracle's duplicate
//! and depth rules (differences that are not bugs: `jwtcheck_fuzz::json`).
//! On every valid UTF-8 input: same verdict at the default depth, and for
//! an accepted document of depth `d`, accepted at `max_depth = d` and
//! refused at `d - 1`.
#![no_main]

use jwtcheck::Error;
use jwtcheck::internals::scan_json_object;
use jwtcheck_fuzz::json::{DEPTH_CEILING, object_depth, parse_object};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = std::str::from_utf8(data) else { return };
    let got = scan_json_object(doc, 32);
    let expected = parse_object(doc, 32);
    assert!(got.is_ok() == expected.is_ok(), "scanner {got:?}, oracle {expected:?} on {doc:?}");
    if let Err(e) = got {
        assert_eq!(e, Error::Malformed, "{doc:?}");
    }
    if let Ok(depth) = object_depth(doc) {
        assert_eq!(scan_json_object(doc, depth).is_ok(), depth <= DEPTH_CEILING, "at its depth {depth}: {doc:?}");
        assert_eq!(scan_json_object(doc, depth - 1), Err(Error::Malformed), "below its depth {depth}: {doc:?}");
        assert_eq!(scan_json_object(doc, usize::MAX).is_ok(), depth <= DEPTH_CEILING, "unlimited: {doc:?}");
    } else {
        assert_eq!(scan_json_object(doc, usize::MAX), Err(Error::Malformed), "{doc:?}");
    }
});
