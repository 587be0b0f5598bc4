//! `--explain`: a local, verifying jwt.io. Shows the header and the payload
//! and walks the crate's fixed check order, marking each step passed, failed
//! or not reached. Verification itself is `jwtcheck::verify_in`; this only
//! locates its verdict in the order the crate documents.

use std::fmt::Write;

use base64ct::{Base64UrlUnpadded, Encoding};
use jwtcheck::{Claim, Error};

/// What the explanation needs to know about the validation in force.
pub struct Rules<'a> {
    pub audiences: &'a [String],
    pub any_aud: bool,
    pub issuers: &'a [String],
    pub leeway: u64,
    pub allow_missing_exp: bool,
    pub max_len: usize,
    pub now: u64,
    /// How the key is chosen for this token.
    pub key: String,
    /// The JWKS keys that were not loaded, each with its reason.
    pub skipped: &'a [String],
}

/// The steps of the documented order.
const STEPS: [&str; 10] = ["length", "segments", "header", "key", "signature", "claims", "exp", "nbf", "iss", "aud"];

fn decode(segment: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; segment.len()];
    let len = Base64UrlUnpadded::decode(segment, &mut out).ok()?.len();
    out.truncate(len);
    Some(out)
}

pub fn decode_json(segment: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(&decode(segment)?).ok()
}

/// Which step rejected the token.
fn failed_step(token: &[u8], error: Error) -> usize {
    let segments: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
    match error {
        Error::TooLarge => 0,
        Error::Malformed if segments.len() != 3 => 1,
        Error::Malformed if decode_json(segments[0]).is_none_or(|h| !h.is_object()) => 2,
        Error::Malformed if decode(segments[2]).is_none() => 4,
        Error::UnsupportedHeader => 2,
        // An implemented alg that the chosen key is not for.
        Error::UnsupportedAlgorithm if header_alg(segments[0]).is_some() => 3,
        Error::UnsupportedAlgorithm => 2,
        Error::UnknownKey => 3,
        Error::InvalidSignature => 4,
        Error::InvalidClaims(Claim::Exp) if decode_json(segments[1]).is_some_and(|p| p.get("exp").is_none()) => 6,
        Error::Expired => 6,
        Error::NotYetValid => 7,
        Error::InvalidIssuer => 8,
        Error::InvalidAudience => 9,
        _ => 5,
    }
}

/// The header's `alg`, when it is one this build implements.
fn header_alg(segment: &[u8]) -> Option<jwtcheck::Algorithm> {
    decode_json(segment)?.get("alg")?.as_str().and_then(jwtcheck::Algorithm::from_name)
}

/// A Unix time as `YYYY-MM-DD hh:mm:ss UTC` (proleptic Gregorian calendar).
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rem / 3600, rem / 60 % 60, rem % 60)
}

fn relative(t: u64, now: u64) -> String {
    if t >= now { format!("in {} s", t - now) } else { format!("{} s ago", now - t) }
}

fn date_detail(payload: Option<&serde_json::Value>, name: &str, now: u64) -> String {
    match payload.and_then(|p| p.get(name)) {
        None => "absent".to_owned(),
        Some(v) => match v.as_f64() {
            Some(t) if t >= 0.0 => format!("{v} = {}, {}", utc(t as u64), relative(t as u64, now)),
            _ => format!("{v}"),
        },
    }
}

/// The explanation, and whether it is for an accepted token.
pub fn explain(token: &[u8], verdict: Result<(), Error>, rules: &Rules<'_>) -> String {
    let mut out = String::new();
    let segments: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
    let header = segments.first().and_then(|h| decode_json(h));
    let payload = if segments.len() == 3 { decode_json(segments[1]) } else { None };
    let _ = writeln!(out, "token: {} bytes, {} segments", token.len(), segments.len());
    let show = |title: &str, value: &Option<serde_json::Value>, out: &mut String| {
        let body = match value {
            Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
            None => "(not base64url-encoded JSON)".to_owned(),
        };
        let _ = writeln!(out, "{title}:\n{body}");
    };
    show("header (read before the signature is checked)", &header, &mut out);
    let payload_title = match verdict {
        Ok(()) => "payload (verified)",
        Err(_) => "payload (NOT VERIFIED: the token was rejected; do not trust these claims)",
    };
    show(payload_title, &payload, &mut out);

    let failed = verdict.err().map(|e| (failed_step(token, e), e));
    let auds = if rules.any_aud {
        "any audience accepted (--any-aud)".to_owned()
    } else if rules.audiences.is_empty() {
        "none configured: a token with aud is refused".to_owned()
    } else {
        format!("one of {:?}", rules.audiences)
    };
    let p = payload.as_ref();
    let detail = [
        format!("{} bytes, limit {}", token.len(), rules.max_len),
        format!("{} (three expected)", segments.len()),
        match header.as_ref().and_then(|h| h.get("alg")) {
            Some(alg) => format!("alg {alg}"),
            None => "no alg".to_owned(),
        },
        rules.key.clone(),
        match header_alg(segments.first().copied().unwrap_or_default()) {
            Some(jwtcheck::Algorithm::Es256) => "ECDSA P-256 over header.payload (64-byte r||s)".to_owned(),
            Some(jwtcheck::Algorithm::Rs256) => {
                "RSASSA-PKCS1-v1_5 SHA-256 over header.payload (the whole encoded message compared)".to_owned()
            }
            Some(jwtcheck::Algorithm::EdDsa) => "Ed25519 over header.payload (64-byte R||S, verify_strict)".to_owned(),
            Some(jwtcheck::Algorithm::Hs256) => "HMAC-SHA256 over header.payload, compared in constant time".to_owned(),
            _ => "the algorithm's signature check over header.payload".to_owned(),
        },
        "strict JSON object, registered claims of the right types".to_owned(),
        format!(
            "{}{}; now {} = {}; leeway {} s",
            date_detail(p, "exp", rules.now),
            if rules.allow_missing_exp { " (may be absent)" } else { "" },
            rules.now,
            utc(rules.now),
            rules.leeway
        ),
        date_detail(p, "nbf", rules.now),
        if rules.issuers.is_empty() {
            "not checked (no --iss)".to_owned()
        } else {
            format!(
                "{} must be one of {:?}",
                p.and_then(|p| p.get("iss")).map_or("absent".into(), |v| v.to_string()),
                rules.issuers
            )
        },
        format!("{} must match: {auds}", p.and_then(|p| p.get("aud")).map_or("absent".into(), |v| v.to_string())),
    ];
    if !rules.skipped.is_empty() {
        let _ = writeln!(out, "JWKS keys not loaded:");
        for line in rules.skipped {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(out, "checks, in order:");
    for (i, (step, detail)) in STEPS.iter().zip(detail).enumerate() {
        let (mark, detail) = match failed {
            Some((f, e)) if i == f => ("FAIL", format!("{e}  [{detail}]")),
            Some((f, _)) if i > f => ("--", "not reached".to_owned()),
            _ => ("ok", detail),
        };
        let _ = writeln!(out, "  {mark:<5} {step:<10} {detail}");
    }
    let _ = match failed {
        None => writeln!(out, "verdict: accepted"),
        Some((_, e)) => writeln!(out, "verdict: rejected ({})", e.kind()),
    };
    out
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_767_265_845), "2026-01-01 11:10:45 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }
}
