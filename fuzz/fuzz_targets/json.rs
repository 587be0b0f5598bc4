//! The crate's JSON scanner against `serde_json` plus the oracle's duplicate
//! and depth rules (differences that are not bugs: `jwtcheck_fuzz::json`).
//! On every valid UTF-8 input: same verdict at the default depth, and for
//! an accepted document of depth `d`, accepted at `max_depth = d` and
//! refused at `d - 1`. Every number of an accepted document also goes
//! through the crate's NumericDate reader and the oracle's.
#![no_main]

use jwtcheck::Error;
use jwtcheck::internals::{numeric_date, scan_json_object};
use jwtcheck_fuzz::date;
use jwtcheck_fuzz::json::{DEPTH_CEILING, J, object_depth, parse_object};
use libfuzzer_sys::fuzz_target;

/// Every number of the document through the crate's NumericDate reader and
/// the oracle's, in serde_json's spelling (`1e+5`) and with `E` and no `+`.
fn check_numbers(value: &J) {
    match value {
        J::Num(text) => {
            for text in [text.clone(), text.replace("e+", "E")] {
                let got = numeric_date(text.as_bytes()).map(|d| (d.as_secs(), d.has_fraction()));
                assert_eq!(got, date::numeric_date(&text), "NumericDate of {text}");
            }
        }
        J::Arr(items) => items.iter().for_each(check_numbers),
        J::Obj(members) => members.iter().for_each(|(_, v)| check_numbers(v)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = std::str::from_utf8(data) else { return };
    let got = scan_json_object(doc, 32);
    let expected = parse_object(doc, 32);
    assert!(got.is_ok() == expected.is_ok(), "scanner {got:?}, oracle {expected:?} on {doc:?}");
    if let Err(e) = got {
        assert_eq!(e, Error::Malformed, "{doc:?}");
    }
    if let Ok(value) = &expected {
        check_numbers(value);
    }
    if let Ok(depth) = object_depth(doc) {
        assert_eq!(scan_json_object(doc, depth).is_ok(), depth <= DEPTH_CEILING, "at its depth {depth}: {doc:?}");
        assert_eq!(scan_json_object(doc, depth - 1), Err(Error::Malformed), "below its depth {depth}: {doc:?}");
        assert_eq!(scan_json_object(doc, usize::MAX).is_ok(), depth <= DEPTH_CEILING, "unlimited: {doc:?}");
    } else {
        assert_eq!(scan_json_object(doc, usize::MAX), Err(Error::Malformed), "{doc:?}");
    }
});
