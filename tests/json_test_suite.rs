//! JSONTestSuite (nst/JSONTestSuite `test_parsing`, MIT, copied into
//! `tests/data/json-test-suite/`): every file is signed as a payload, so the
//! verdict is the payload scanner's.
//!
//! `y_` files must parse: accepted when the text is an object (except the two
//! duplicate-key files, which our duplicate rule refuses), `malformed`
//! otherwise. `n_` files must all be `malformed`: an unexpected success
//! fails the test. `i_` files may go either way but must not panic.

mod common;

use std::path::PathBuf;

use jwtcheck::{Error, Validation, verify_in};

const VALIDATION: Validation<'static> = Validation::new().allow_missing_exp().max_token_len(1 << 20);

fn files() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/json-test-suite/test_parsing");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 318, "the whole suite is present");
    files
}

fn verdict(payload: &[u8]) -> Result<(), Error> {
    let token = common::sign_with(common::SECRET, common::HEADER.as_bytes(), payload);
    let mut buf = vec![0u8; payload.len() + 64];
    verify_in(&token, &common::key(), &VALIDATION, 0, &mut buf).map(|_| ())
}

fn is_object_text(doc: &[u8]) -> bool {
    doc.iter().find(|b| !b" \t\r\n".contains(b)) == Some(&b'{')
}

#[test]
fn y_files_accepted_when_objects() {
    let mut objects = 0;
    for (name, doc) in files().into_iter().filter(|(n, _)| n.starts_with("y_")) {
        let expected = if name.starts_with("y_object_duplicated_key") || !is_object_text(&doc) {
            Err(Error::Malformed)
        } else {
            objects += 1;
            Ok(())
        };
        assert_eq!(verdict(&doc), expected, "{name}");
    }
    // 12 y_object files, minus the two duplicate-key ones.
    assert_eq!(objects, 10);
}

#[test]
fn n_files_all_malformed() {
    let mut count = 0;
    for (name, doc) in files().into_iter().filter(|(n, _)| n.starts_with("n_")) {
        assert_eq!(verdict(&doc), Err(Error::Malformed), "{name}");
        count += 1;
    }
    assert_eq!(count, 188);
}

#[test]
fn i_files_never_panic() {
    let mut accepted = Vec::new();
    for (name, doc) in files().into_iter().filter(|(n, _)| n.starts_with("i_")) {
        match verdict(&doc) {
            Ok(()) => accepted.push(name),
            Err(e) => assert_eq!(e, Error::Malformed, "{name}: only malformed is possible without claims"),
        }
    }
    // Implementation-defined files are all arrays, strings, deep nesting or
    // invalid UTF-8 and so are refused here; if one is accepted the list says which.
    assert_eq!(accepted, Vec::<String>::new());
}
