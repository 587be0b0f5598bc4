//! How long a fetched JWKS stays fresh: `Cache-Control` (RFC 9111 §5.2.2).

use std::time::Duration;

use http::HeaderMap;
use http::header::CACHE_CONTROL;

/// What the response's `Cache-Control` says about reuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Freshness {
    /// `max-age=N` (RFC 9111 §5.2.2.1), the first one if repeated.
    MaxAge(Duration),
    /// `no-store` or `no-cache` (§5.2.2.4, §5.2.2.5): refetch as soon as the
    /// bounds allow.
    Revalidate,
    /// No usable directive: the configured default applies.
    Unspecified,
}

/// Reads every `Cache-Control` field line (§5.2: a list, possibly split over
/// several lines). Directive names are case-insensitive; a `max-age` whose
/// value is not a delta-seconds (§1.2.2: digits only, quoted allowed by
/// §5.2) is ignored; an overflowing one counts as the largest value.
/// `no-store`/`no-cache` win over `max-age`.
pub(crate) fn freshness(headers: &HeaderMap) -> Freshness {
    let mut max_age = None;
    for line in headers.get_all(CACHE_CONTROL) {
        let Ok(line) = line.to_str() else { continue };
        for directive in line.split(',') {
            let (name, value) = match directive.split_once('=') {
                Some((name, value)) => (name.trim(), Some(value.trim())),
                None => (directive.trim(), None),
            };
            if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
                return Freshness::Revalidate;
            }
            if name.eq_ignore_ascii_case("max-age") && max_age.is_none() {
                max_age = value.and_then(delta_seconds).map(Duration::from_secs);
            }
        }
    }
    max_age.map_or(Freshness::Unspecified, Freshness::MaxAge)
}

fn delta_seconds(value: &str) -> Option<u64> {
    let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // §1.2.2: a value too large is taken as the greatest integer it can hold.
    Some(value.parse().unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn of(lines: &[&'static str]) -> Freshness {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(CACHE_CONTROL, HeaderValue::from_static(line));
        }
        freshness(&headers)
    }

    #[test]
    fn directives() {
        let secs = |s| Freshness::MaxAge(Duration::from_secs(s));
        let rows: [(&[&'static str], Freshness); 13] = [
            (&[], Freshness::Unspecified),
            (&["public, max-age=600"], secs(600)),
            (&["max-age=600, s-maxage=60"], secs(600)),
            (&["MAX-AGE=30"], secs(30)),
            (&["max-age=\"45\""], secs(45)),
            (&["public", "max-age=90"], secs(90)),
            (&["max-age=10, max-age=20"], secs(10)),
            (&["max-age=-1"], Freshness::Unspecified),
            (&["max-age=1.5"], Freshness::Unspecified),
            (&["max-age="], Freshness::Unspecified),
            (&["max-age=99999999999999999999999"], secs(u64::MAX)),
            (&["max-age=600, no-cache"], Freshness::Revalidate),
            (&["no-store"], Freshness::Revalidate),
        ];
        for (lines, expected) in rows {
            assert_eq!(of(lines), expected, "{lines:?}");
        }
    }
}
