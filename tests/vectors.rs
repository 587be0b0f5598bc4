//! Published test vectors, one test per source, run through the crate's own
//! code paths.
//!
//! - RFC 4231 §4 (HMAC-SHA-256 cases 1-7, `tests/data/rfc4231.txt`) and
//!   Wycheproof `hmac_sha256_test.json` (C2SP/wycheproof, Apache-2.0,
//!   `tests/data/wycheproof/`) through `internals::verify_mac`: the key's
//!   precomputed HMAC state and the constant-time comparison of `verify`.
//!   This crate accepts only full 32-byte tags (RFC 7518 §3.2), so every
//!   truncated tag is rejected, including those the sources list as valid;
//!   for those the test also shows that the tag *is* a prefix of the correct
//!   MAC, so the length rule is the only reason.
//! - The RFC example tokens: RFC 7519 §3.1, the unsecured JWT of RFC 7515
//!   A.5 / RFC 7519 §6.1, and RFC 7797 §4.1 and §4.2, texts copied from the
//!   RFCs. (RFC 7515 A.1 is in `tests/rfc7515.rs`.)

mod common;

use jwtcheck::internals::verify_mac;
use jwtcheck::{Error, Hs256Key, NumericDate, Validation, verify};

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn hex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd-length hex {text:?}");
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// The key the way a caller must build it: `new` for RFC 7518 §3.2-sized
/// secrets, the named escape hatch below that (and `new` refuses those).
fn key(secret: &[u8]) -> Hs256Key {
    if secret.len() < jwtcheck::MIN_SECRET_LEN {
        assert_eq!(Hs256Key::new(secret).unwrap_err(), Error::WeakKey);
        Hs256Key::new_allow_short(secret).unwrap()
    } else {
        Hs256Key::new(secret).unwrap()
    }
}

#[test]
fn rfc4231() {
    let text = data("rfc4231.txt");
    let mut cases = Vec::new();
    for block in text.split("\n\n") {
        let fields: Vec<(&str, &str)> =
            block.lines().filter(|l| !l.starts_with('#')).map(|l| l.split_once(" = ").unwrap()).collect();
        if fields.is_empty() {
            continue;
        }
        let field = |name| fields.iter().find(|(n, _)| *n == name).unwrap().1;
        cases.push((field("case").parse::<u32>().unwrap(), hex(field("key")), hex(field("data")), hex(field("mac"))));
    }
    assert_eq!(cases.iter().map(|c| c.0).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7], "all seven cases, in order");

    for (case, secret, message, mac) in &cases {
        let key = key(secret);
        if *case == 5 {
            // Truncated to 128 bits by the RFC: refused by the 32-byte rule,
            // although it is the prefix of the correct MAC, which is accepted.
            assert_eq!(mac.len(), 16);
            assert!(!verify_mac(&key, message, mac), "case 5: truncated tag must be rejected");
            let full = common::mac(secret, message);
            assert_eq!(&full[..16], mac.as_slice(), "case 5: the RFC tag is a prefix of the MAC");
            assert!(verify_mac(&key, message, &full), "case 5: the full tag is accepted");
            continue;
        }
        assert_eq!(mac.len(), 32, "case {case}");
        assert!(verify_mac(&key, message, mac), "case {case}: RFC tag rejected");
        // The same key state again: precomputation is not consumed.
        assert!(verify_mac(&key, message, mac), "case {case}: second use");
        for i in [0, 15, 31] {
            let mut bad = mac.clone();
            bad[i] ^= 0x01;
            assert!(!verify_mac(&key, message, &bad), "case {case}: tag with byte {i} flipped accepted");
        }
        let mut other = message.clone();
        other.push(0);
        assert!(!verify_mac(&key, &other, mac), "case {case}: extended message accepted");
        assert!(!verify_mac(&key, message, &mac[..31]), "case {case}: 31-byte prefix accepted");
    }
}

#[test]
#[cfg_attr(miri, ignore = "60 s in Miri; rfc4231 takes the same HMAC paths")]
fn wycheproof_hmac_sha256() {
    let text = data("wycheproof/hmac_sha256_test.json");
    let root: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(root["algorithm"], "HMACSHA256");
    assert_eq!(root["numberOfTests"], 174);

    let (mut total, mut accepted, mut truncated_valid, mut modified) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for group in root["testGroups"].as_array().unwrap() {
        let tag_bits = group["tagSize"].as_u64().unwrap();
        for case in group["tests"].as_array().unwrap() {
            total += 1;
            let id = case["tcId"].as_u64().unwrap();
            let secret = hex(case["key"].as_str().unwrap());
            let message = hex(case["msg"].as_str().unwrap());
            let tag = hex(case["tag"].as_str().unwrap());
            assert_eq!(tag.len() as u64 * 8, tag_bits, "tcId {id}");
            assert_eq!(secret.len() as u64 * 8, group["keySize"].as_u64().unwrap(), "tcId {id}");
            let valid = match case["result"].as_str().unwrap() {
                "valid" => true,
                "invalid" => false,
                other => panic!("tcId {id}: unexpected result {other}"),
            };
            // Our rule: a tag is accepted iff Wycheproof says valid and it
            // is the full 32 bytes.
            let expected = valid && tag.len() == 32;
            let got = verify_mac(&key(&secret), &message, &tag);
            if got != expected {
                failures.push(format!("tcId {id} ({}): expected {expected}, got {got}", case["comment"]));
            }
            if expected {
                accepted += 1;
            } else if valid {
                truncated_valid += 1;
                assert_eq!(&common::mac(&secret, &message)[..tag.len()], tag.as_slice(), "tcId {id}: a true prefix");
            } else {
                modified += 1;
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert_eq!(total, 174, "every case of the file ran");
    assert_eq!((accepted, truncated_valid, modified), (33, 33, 108));
}

/// RFC 7515 Appendix A.1's key (a JWK `k`), which the JWT examples reuse.
const A1_KEY: &str = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

fn a1_key() -> Hs256Key {
    Hs256Key::from_base64(A1_KEY).unwrap()
}

fn b64_decode(segment: &str) -> Vec<u8> {
    let mut out = vec![0u8; segment.len()];
    let n = jwtcheck::internals::base64url_decode(segment.as_bytes(), &mut out).unwrap().len();
    out.truncate(n);
    out
}

/// Whether the token's signature segment is the HMAC of `signing_input`
/// under the A.1 key: shows that a rejection below is not about the MAC.
fn mac_matches(signing_input: &str, token: &str) -> bool {
    let tag = b64_decode(token.rsplit_once('.').unwrap().1);
    verify_mac(&a1_key(), signing_input.as_bytes(), &tag)
}

#[test]
fn rfc7519_section_3_1() {
    // RFC 7519 §3.1, the example JWT (the same token as RFC 7515 A.1).
    const TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.\
eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.\
dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let mut segments = TOKEN.split('.');
    assert_eq!(b64_decode(segments.next().unwrap()), b"{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");
    let claims_set = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
    assert_eq!(b64_decode(segments.next().unwrap()), claims_set.as_bytes());

    let claims = verify(TOKEN, &a1_key(), &Validation::new().issuer("joe"), 1300819379).unwrap();
    assert_eq!(claims.payload(), claims_set);
    assert_eq!(claims.exp(), Some(NumericDate::from_secs(1300819380)));
    assert_eq!(verify(TOKEN, &a1_key(), &Validation::new(), 1300819380).unwrap_err(), Error::Expired);
}

#[test]
fn rfc7515_a5_rfc7519_section_6_1_unsecured_jwt() {
    // RFC 7515 A.5 = RFC 7519 §6.1: `{"alg":"none"}`, the A.1 claims, and an
    // empty signature.
    const TOKEN: &str = "eyJhbGciOiJub25lIn0.\
eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";
    assert_eq!(b64_decode(TOKEN.split('.').next().unwrap()), br#"{"alg":"none"}"#);
    let now = 1300819379;
    for (name, key) in [("A.1 key", a1_key()), ("another key", common::key())] {
        assert_eq!(verify(TOKEN, &key, &Validation::new(), now).unwrap_err(), Error::UnsupportedAlgorithm, "{name}");
    }
    // With the A.1 signature of the same claims appended: still the header.
    let with_sig = format!("{TOKEN}dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assert_eq!(verify(&with_sig, &a1_key(), &Validation::new(), now).unwrap_err(), Error::UnsupportedAlgorithm);
}

#[test]
fn rfc7797_section_4_1() {
    // RFC 7797 §4.1: `{"alg":"HS256"}` over the payload `$.02` with the A.1
    // key, the ordinary (b64: true) form. The MAC is right, but the payload is
    // not a JSON object, so it is no JWT (RFC 7519 §7.2 step 10).
    const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.JC4wMg.5mvfOroL-g7HyqJoozehmsaqmvTYGEq5jTI1gVvoEoQ";
    assert_eq!(b64_decode("JC4wMg"), b"$.02");
    assert!(mac_matches("eyJhbGciOiJIUzI1NiJ9.JC4wMg", TOKEN));
    let v = Validation::new().allow_missing_exp();
    assert_eq!(verify(TOKEN, &a1_key(), &v, 0).unwrap_err(), Error::Malformed);
}

#[test]
fn rfc7797_section_4_2() {
    // RFC 7797 §4.2: `{"alg":"HS256","b64":false,"crit":["b64"]}`, detached
    // unencoded payload `$.02`. RFC 7797 §7 forbids `b64: false` in JWTs;
    // the header alone rejects it, whatever the payload segment holds.
    const TOKEN: &str =
        "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19..A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY";
    let header = TOKEN.split('.').next().unwrap();
    assert_eq!(b64_decode(header), br#"{"alg":"HS256","b64":false,"crit":["b64"]}"#);
    assert!(mac_matches(&format!("{header}.$.02"), TOKEN), "RFC 7797's signing input: header '.' raw payload");
    let v = Validation::new().allow_missing_exp();
    assert_eq!(verify(TOKEN, &a1_key(), &v, 0).unwrap_err(), Error::UnsupportedHeader, "detached, as printed");
    let sig = TOKEN.rsplit_once('.').unwrap().1;
    assert_eq!(
        verify(&format!("{header}.JC4wMg.{sig}"), &a1_key(), &v, 0).unwrap_err(),
        Error::UnsupportedHeader,
        "payload attached base64url-encoded"
    );
    assert_eq!(
        verify(&format!("{header}.$.02.{sig}"), &a1_key(), &v, 0).unwrap_err(),
        Error::Malformed,
        "payload attached raw: its dot makes four segments"
    );
}
