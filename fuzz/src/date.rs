//! The NumericDate oracle, by decimal string shifting (no floating point,
//! nothing shared with the crate's parser).

/// The exact value of a JSON number (`text` already matches the RFC 8259
/// grammar) as `(floor, has_fraction)` when it is in `[0, 2^64)`, `None`
/// when it is written with a minus sign (even `-0`) or is `>= 2^64`.
pub fn numeric_date(text: &str) -> Option<(u64, bool)> {
    if text.starts_with('-') {
        return None;
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, "0"),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // value = digits × 10^(exponent - frac.len())
    let all: String = [int, frac].concat();
    let digits = all.trim_start_matches('0');
    if digits.is_empty() {
        return Some((0, false));
    }
    let e = exponent_value(exponent) - frac.len() as i128;
    let n = digits.len() as i128;
    // `n + e` digits before the point: 21 or more means >= 10^20 > 2^64.
    if n + e > 20 {
        return None;
    }
    let (whole, fraction) = if e >= 0 {
        (format!("{digits}{}", "0".repeat(e as usize)), false)
    } else {
        let k = (-e) as usize;
        if k >= digits.len() {
            // Only fraction digits, and at least one is non-zero.
            (String::from("0"), true)
        } else {
            let (w, f) = digits.split_at(digits.len() - k);
            (w.to_owned(), f.bytes().any(|b| b != b'0'))
        }
    };
    let whole: u128 = whole.parse().ok()?;
    let whole = u64::try_from(whole).ok()?;
    Some((whole, fraction))
}

/// The exponent's value, saturated at ±10^12: far more than the number of
/// digits any input can hold, so every larger exponent gives the same
/// answer, and the shift counts above stay in `usize`.
fn exponent_value(text: &str) -> i128 {
    const CAP: i128 = 1_000_000_000_000;
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let digits = digits.trim_start_matches('0');
    let magnitude: i128 = if digits.len() > 13 { CAP } else { digits.parse::<i128>().unwrap_or(0).min(CAP) };
    if negative { -magnitude } else { magnitude }
}

#[cfg(test)]
mod tests {
    use super::numeric_date as d;

    #[test]
    fn exact() {
        assert_eq!(d("0"), Some((0, false)));
        assert_eq!(d("-0"), None);
        assert_eq!(d("1.7e9"), Some((1_700_000_000, false)));
        assert_eq!(d("17e-1"), Some((1, true)));
        assert_eq!(d("0.00000012e7"), Some((1, true)));
        assert_eq!(d("1e-400"), Some((0, true)));
        assert_eq!(d("0e400"), Some((0, false)));
        assert_eq!(d("18446744073709551615"), Some((u64::MAX, false)));
        assert_eq!(d("18446744073709551615.9"), Some((u64::MAX, true)));
        assert_eq!(d("18446744073709551616"), None);
        assert_eq!(d("18446744073709551616e-1"), Some((1844674407370955161, true)));
        assert_eq!(d("1e19"), Some((10_000_000_000_000_000_000, false)));
        assert_eq!(d("1e20"), None);
        assert_eq!(d("1e99999999999999999999999999999999999"), None);
        assert_eq!(d("1e-99999999999999999999999999999999999"), Some((0, true)));
        assert_eq!(d("100000000000000000000000e-4"), Some((10_000_000_000_000_000_000, false)));
        assert_eq!(d("0.000"), Some((0, false)));
        assert_eq!(d("5.10E+1"), Some((51, false)));
        // Found by the json target: an exponent past usize once wrapped the shift.
        assert_eq!(d("1700007440737095e-018446744073709551616"), Some((0, true)));
        assert_eq!(d("1700007440737095e+018446744073709551616"), None);
        assert_eq!(d("0e-018446744073709551616"), Some((0, false)));
    }
}
