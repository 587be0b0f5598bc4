//! The `Authorization: Bearer` header (RFC 6750 §2.1).

use crate::Error;

/// Extracts the token from an `Authorization` header value.
///
/// The value must be `Bearer` (any ASCII case, RFC 9110 §11.1), one or more
/// spaces, then a token68 (RFC 6750 §2.1: letters, digits, `-._~+/`, then
/// optional `=`), and nothing else. Anything else, including another scheme,
/// a missing token, tabs or trailing spaces, is [`Error::InvalidRequest`]
/// (RFC 6750 §3.1: answer it with `400`), a kind no token verification
/// returns. The token itself is only checked by [`verify`](crate::verify).
///
/// ```
/// use jwtcheck::{bearer_token, Error};
///
/// assert_eq!(bearer_token("Bearer abc.def.ghi"), Ok("abc.def.ghi"));
/// assert_eq!(bearer_token(b"bearer   abc.def.ghi"), Ok("abc.def.ghi"));
/// assert_eq!(bearer_token("Basic dXNlcjpwYXNz"), Err(Error::InvalidRequest));
/// assert_eq!(bearer_token("Bearer a b"), Err(Error::InvalidRequest));
/// ```
pub fn bearer_token<V: AsRef<[u8]> + ?Sized>(value: &V) -> Result<&str, Error> {
    let value = value.as_ref();
    let (scheme, rest) = value.split_at_checked(6).ok_or(Error::InvalidRequest)?;
    if !scheme.eq_ignore_ascii_case(b"Bearer") {
        return Err(Error::InvalidRequest);
    }
    let spaces = rest.iter().take_while(|&&b| b == b' ').count();
    let token = rest.get(spaces..).unwrap_or_default();
    if spaces == 0 || !is_token68(token) {
        return Err(Error::InvalidRequest);
    }
    core::str::from_utf8(token).map_err(|_| Error::InvalidRequest)
}

fn is_token68(s: &[u8]) -> bool {
    let body = s.iter().take_while(|&&b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)).count();
    body > 0 && s.get(body..).unwrap_or_default().iter().all(|&b| b == b'=')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_values() {
        assert_eq!(bearer_token("Bearer a.b.c"), Ok("a.b.c"));
        assert_eq!(bearer_token("BEARER a.b.c"), Ok("a.b.c"));
        assert_eq!(bearer_token("bEaReR  a.b.c"), Ok("a.b.c"));
        assert_eq!(bearer_token("Bearer abc=="), Ok("abc=="));
        assert_eq!(bearer_token("Bearer a+/~_-."), Ok("a+/~_-."));
        for bad in [
            "",
            "Bearer",
            "Bearer ",
            "Bearer  ",
            "Bearer\ta.b.c",
            "Bearera.b.c",
            "Bearer a.b.c ",
            " Bearer a.b.c",
            "Bearer a b",
            "Bearer a=b",
            "Bearer =",
            "Bearer a.b.c\n",
            "Basic a.b.c",
            "Token a.b.c",
            "Bearer é",
        ] {
            assert_eq!(bearer_token(bad), Err(Error::InvalidRequest), "{bad:?}");
        }
        assert_eq!(bearer_token(b"Bearer \xff"), Err(Error::InvalidRequest));
    }
}
