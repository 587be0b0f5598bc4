//! Verifies Supabase access tokens on a Cortex-M4F without a heap: HS256
//! with the project's secret, ES256, RS256 and legacy HS256 through one
//! `KeySet` loaded from Supabase's JWKS at start-up, and RS256 with a single
//! 4096-bit `Rs256Key`. The header and payload
//! are decoded into a buffer on the stack (`jwtcheck::verify_in`), and the
//! clock is a fixed `NOW` (a board without an RTC gets the time from
//! elsewhere, e.g. a signed time message).
//!
//! The outcome is printed over semihosting and becomes the exit status under
//! qemu (`cargo run --release`). On a board without a debugger attached,
//! semihosting calls trap; read the `PASSED`/`DONE` statics instead.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::panic::PanicInfo;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m_rt::entry;
use cortex_m_semihosting::debug::{self, EXIT_FAILURE, EXIT_SUCCESS};
use cortex_m_semihosting::hprintln;
use jwtcheck::{ClaimsRef, Error, Hs256Key, KeySet, Rs256Key, Validation, verify_in};

/// The Supabase CLI's public default secret, as raw bytes (Supabase never
/// base64-decodes the secret).
const SECRET: &[u8] = b"super-secret-jwt-token-with-at-least-32-characters-long";

/// The `email_user` sample of the repository's `tests/data/supabase.json`:
/// 829 characters, a 52-byte header and a 535-byte payload.
const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsImtpZCI6IlhrM3BROXZMcjJUeis4YlciLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1LCJpYXQiOjE3NjcyNjIyNDUsImVtYWlsIjoiem9lLm9icmllbkBleGFtcGxlLmNvbSIsInBob25lIjoiIiwiYXBwX21ldGFkYXRhIjp7InByb3ZpZGVyIjoiZW1haWwiLCJwcm92aWRlcnMiOlsiZW1haWwiXX0sInVzZXJfbWV0YWRhdGEiOnsiY29tcGFueSI6IlNtaXRoIFx1MDAyNiBTb25zIFx1MDAzY1VLXHUwMDNlIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1bGxfbmFtZSI6Ilpvw6sgTydCcmllbiJ9LCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImFhbCI6ImFhbDEiLCJhbXIiOlt7Im1ldGhvZCI6InBhc3N3b3JkIiwidGltZXN0YW1wIjoxNzY3MjU2ODQ1fV0sInNlc3Npb25faWQiOiIzYzlhN2IyZS01ZDQxLTRmMDgtYTZlMy05MWIwYzJkNGY3YTgiLCJpc19hbm9ueW1vdXMiOmZhbHNlfQ.v0k7pIMbQRIkFB3ewSq7p2tQX60n879WvrDUJ5Pr2dA";

/// [`TOKEN`] with the last signature character changed from `A` to `E`: the
/// MAC no longer matches. (`B` would be `malformed`: the last of 43 base64url
/// characters carries 2 padding bits that must be zero, RFC 4648 §3.5.)
const TAMPERED: [u8; TOKEN.len()] = {
    let mut t = [0u8; TOKEN.len()];
    let src = TOKEN.as_bytes();
    let mut i = 0;
    while i < src.len() {
        t[i] = src[i];
        i += 1;
    }
    t[src.len() - 1] = b'E';
    t
};

/// Supabase's `/auth/v1/.well-known/jwks.json` for a project with two P-256
/// keys (in use and standby) and an RSA 2048 key: `jwks_json` of the
/// repository's `tests/data/supabase-asymmetric.json`, byte for byte. All 3
/// keys load (the `es256` and `rs256` features).
const JWKS: &str = r#"{"keys":[{"alg":"ES256","crv":"P-256","ext":true,"key_ops":["verify"],"kid":"5f1d7c2e-9a4b-4c3e-8d21-6b0e4f9a7c13","kty":"EC","use":"sig","x":"mtEdAfkm0d6vumeioLqJJ52QBXSnI70kSArWD7YIkKQ","y":"IyOL8zA8UV5xzbgxaAOcVJzU8V-LV3yp_DqQafMR4SM"},{"alg":"ES256","crv":"P-256","ext":true,"key_ops":["verify"],"kid":"9a2f4c10-77bd-4e52-8f31-05c6de91b3aa","kty":"EC","use":"sig","x":"iE_4AYEKVTC6nLFBX-7XzgVPwhWbiauFpshp8TUFzzY","y":"BgD8yoShCKEZti-lsjPwCGKF8MSshNzlqYX5bCzeyew"},{"alg":"RS256","e":"AQAB","ext":true,"key_ops":["verify"],"kid":"c3e07a4d-2b19-4f6e-9d85-1a7b2c3d4e5f","kty":"RSA","n":"zkJupmM2Pz4h14iIgJvzGrdqvt1fcIVh6Ebn1o_L_LiW8ClsvFSnEm686wcq7JUaeQsR8Abvdbph_B0j2jMAXndJKQSuBeRxYQ4g1RadpaOfCulrDyNea1nEnDAb7vdyHrF9UGK4K7ySElZW_PaJUgYR65scjPazuR0wtABFjC1dOrH4oPvkRF3adpToibqDSeDkbik-zoO1Mzw7Qw44Y2COw73Pj5yMAaYcR4d4yxOhDK4f5n9yhGCOk9GZMzeu7Ag9STQPRZhjnSVVKTGfENP9gABuaSASSr838qBB00qZqxCQEkjpX08dLLrXYS4STNstl1pBAp50L1BV43o5iQ","use":"sig"}]}"#;

/// `es256_user` of `tests/data/supabase-asymmetric.json`: signed with the
/// JWKS's current P-256 key (its `kid`), 898 characters, a 535-byte payload.
const ES256_USER: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjVmMWQ3YzJlLTlhNGItNGMzZS04ZDIxLTZiMGU0ZjlhN2MxMyIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1LCJpYXQiOjE3NjcyNjIyNDUsImVtYWlsIjoiem9lLm9icmllbkBleGFtcGxlLmNvbSIsInBob25lIjoiIiwiYXBwX21ldGFkYXRhIjp7InByb3ZpZGVyIjoiZW1haWwiLCJwcm92aWRlcnMiOlsiZW1haWwiXX0sInVzZXJfbWV0YWRhdGEiOnsiY29tcGFueSI6IlNtaXRoIFx1MDAyNiBTb25zIFx1MDAzY1VLXHUwMDNlIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1bGxfbmFtZSI6Ilpvw6sgTydCcmllbiJ9LCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImFhbCI6ImFhbDEiLCJhbXIiOlt7Im1ldGhvZCI6InBhc3N3b3JkIiwidGltZXN0YW1wIjoxNzY3MjYxNjQ1fV0sInNlc3Npb25faWQiOiIzYzlhN2IyZS01ZDQxLTRmMDgtYTZlMy05MWIwYzJkNGY3YTgiLCJpc19hbm9ueW1vdXMiOmZhbHNlfQ.qg__BRBuwnitLP1BvGqYjPgi5xnEr12jOfJE0TGHjQJIDdMRAXOjJ4KiPpxvxECg3s6FCFNB4k69acLTQ4JK-Q";

/// `es256_tampered`: [`ES256_USER`] with one payload byte changed after
/// signing.
const ES256_TAMPERED: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjVmMWQ3YzJlLTlhNGItNGMzZS04ZDIxLTZiMGU0ZjlhN2MxMyIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1LCJpYXQiOjE3NjcyNjIyNDUsImVtYWlsIjoiem9lLm9icmllbkBleGFtcGxlLmNvbSIsInBob25lIjoiIiwiYXBwX21ldGFkYXRhIjp7InByb3ZpZGVyIjoiZW1haWwiLCJwcm92aWRlcnMiOlsiZW1haWwiXX0sInVzZXJfbWV0YWRhdGEiOnsiY29tcGFueSI6IlNtaXRoIFx1MDAyNiBTb25zIFx1MDAzY1VLXHUwMDNlIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1bGxfbmFtZSI6Ilpvw6sgTydCcmllbiJ9LCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImFhbCI6ImFhbDIiLCJhbXIiOlt7Im1ldGhvZCI6InBhc3N3b3JkIiwidGltZXN0YW1wIjoxNzY3MjYxNjQ1fV0sInNlc3Npb25faWQiOiIzYzlhN2IyZS01ZDQxLTRmMDgtYTZlMy05MWIwYzJkNGY3YTgiLCJpc19hbm9ueW1vdXMiOmZhbHNlfQ.qg__BRBuwnitLP1BvGqYjPgi5xnEr12jOfJE0TGHjQJIDdMRAXOjJ4KiPpxvxECg3s6FCFNB4k69acLTQ4JK-Q";

/// `es256_unknown_kid`: signed by a P-256 key whose `kid` the JWKS lacks.
const ES256_UNKNOWN_KID: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjBiNmE5YzhkLTdlNWYtNGEzYi05YzJkLTFlMGY5YThiN2M2ZCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1LCJpYXQiOjE3NjcyNjIyNDUsImVtYWlsIjoiem9lLm9icmllbkBleGFtcGxlLmNvbSIsInBob25lIjoiIiwiYXBwX21ldGFkYXRhIjp7InByb3ZpZGVyIjoiZW1haWwiLCJwcm92aWRlcnMiOlsiZW1haWwiXX0sInVzZXJfbWV0YWRhdGEiOnsiY29tcGFueSI6IlNtaXRoIFx1MDAyNiBTb25zIFx1MDAzY1VLXHUwMDNlIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1bGxfbmFtZSI6Ilpvw6sgTydCcmllbiJ9LCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImFhbCI6ImFhbDEiLCJhbXIiOlt7Im1ldGhvZCI6InBhc3N3b3JkIiwidGltZXN0YW1wIjoxNzY3MjYxNjQ1fV0sInNlc3Npb25faWQiOiIzYzlhN2IyZS01ZDQxLTRmMDgtYTZlMy05MWIwYzJkNGY3YTgiLCJpc19hbm9ueW1vdXMiOmZhbHNlfQ.xDj_XPUpHu3xey3Ivj2Fy4dXkewGI1a7hNb6hnbHyzQunX2Yy8pUVqtJPdBRBkq5l4FCGRdOmY5JB2FnCdgzXQ";

/// `rs256_user` of `tests/data/supabase-asymmetric.json`: signed with the
/// JWKS's RSA 2048 key (its `kid`), 1,144 characters, a 72-byte header and a
/// 528-byte payload (the 342-character signature is decoded into the
/// verifier's own 256-byte array, not into the buffer). Its `iat` is 60 s
/// after [`NOW`]: `iat` is informational (RFC 7519 §4.1.6), only `exp` and
/// `nbf` bound the validity.
const RS256_USER: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImMzZTA3YTRkLTJiMTktNGY2ZS05ZDg1LTFhN2IyYzNkNGU1ZiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiJkMmI3ZjBjNC0xZTkzLTRhNWItOGM2ZC03ZThmOWEwYjFjMmQiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1OTA1LCJpYXQiOjE3NjcyNjIzMDUsImVtYWlsIjoiYW5hQGV4YW1wbGUuY29tIiwicGhvbmUiOiIiLCJhcHBfbWV0YWRhdGEiOnsicHJvdmlkZXIiOiJlbWFpbCIsInByb3ZpZGVycyI6WyJlbWFpbCJdfSwidXNlcl9tZXRhZGF0YSI6eyJjb21wYW55IjoiU21pdGggXHUwMDI2IFNvbnMgXHUwMDNjVUtcdTAwM2UiLCJlbWFpbF92ZXJpZmllZCI6dHJ1ZSwiZnVsbF9uYW1lIjoiWm_DqyBPJ0JyaWVuIn0sInJvbGUiOiJhdXRoZW50aWNhdGVkIiwiYWFsIjoiYWFsMSIsImFtciI6W3sibWV0aG9kIjoicGFzc3dvcmQiLCJ0aW1lc3RhbXAiOjE3NjcyNjE3MDV9XSwic2Vzc2lvbl9pZCI6IjZhMWUyZjNiLTRjNWQtNGU2Zi05YTdiLThjOWQwZTFmMmEzYiIsImlzX2Fub255bW91cyI6ZmFsc2V9.N_hA6KIH6sHBkcS0l4iU--Qz-JOXDUrAHPHQXyR2I07e5y2ocDBby9e-sZPjiEWco6eYboA37fvI0jL7upzbCL8xJDMaQNW81LMjQdIc8Q-zdS0N34LyMegrOdGd0ScBTDrQwn-pmuEFfNJT0wdKw2MsEFBCDcmptsB9jlID2CfoYJyhv1n0OVk6JJ6tNKoMDM3c_vhDMCMt6x6pUMfQ8ZSQkDA7FVdhewMoiZnuRGM5wJQ7TAJJdKSrOyfN2LwaQ9pQp8uwqQGNjcHERMOblH5whoDwQEUnAdOAB0amoIncqcn91ydUR7oQ3x8oX-giSdEfZ06JhlFG6-kCPWR7CQ";
const RS256_SUB: &str = "d2b7f0c4-1e93-4a5b-8c6d-7e8f9a0b1c2d";

/// [`RS256_USER`] with one payload byte changed after signing: `YWFsMSIs` is
/// the base64url of `aal1",` (aligned on a 3-byte group, RFC 4648 §5), and
/// `YWFsMiIs` of `aal2",`, so the payload stays valid base64url and JSON and
/// only the signature check fails.
const RS256_TAMPERED: [u8; RS256_USER.len()] = tampered(RS256_USER, b"YWFsMSIs", b"YWFsMiIs");

/// `jwk_json` of `rs4096.json`, written by `rs4096.py` from a fresh 4096-bit
/// key (e = 65537) whose private half was never stored: the largest modulus
/// `Rs256Key` accepts, so the deepest and longest RS256 verification.
const RS4096_JWK: &str = r#"{"alg":"RS256","e":"AQAB","key_ops":["verify"],"kid":"bee68747-cdeb-40e8-a369-d89ad1e0d261","kty":"RSA","n":"qCefhMSTXap1tV08CRK1Ce3jovmDekNju62K89_bEjVOjXrqltTcw3cwHci6BWXzfNmzdAKTUJDnMAM2QE_cIhMDJhPpMY3RViHRRpBaek7z-DdrDFeDIllQrOe8Z_d-mMyV2jC45oinZjBSg9MRDc2qSjBIWZ8L3L2W_2pwQQNQQVzx3ZIlpJ_tjLwUzNatEWrSR5o9jbodS7clBQgI6CoxNKtQOuhlxXzmfRYEHdYLAf1mnTPQ1grxCijGugC6BQeCt0yimSLh3shV-ldAmAP7_0vBHzXHjNs5ibLbbO7EGQGkJVfqyO53bdBEzC9hRuR_OLZhLPtYSdAr1zKTFIMgFuu3KHJ9Y5LeYgRueR1X3Gd3xDV0xY2K_i8EFewawxH36hxodP2Jd7a7a9Dv21GUwR130_orXxwxR2dGBGQEVFn1Nb1V2CgkH-8E89SRu1YO_KicrZrGFFUJp5MUmo0gSOP1YMJe9yXmnFs2Oo0h8-XHCUHJS_38rIbESGw3qaC7dHnTTwa5qabvA8QSili_jCu9htzsLp-dnDxqLiU3aTNdZsXShBR8oJmtInu9NV4rnIlTo0IzVS8dSLAxYznTvbM04YCdS65V8p2L4eY2MnLPdt1HXCoHY--lyFz2WQ81qwZPJ3fxKdWgJyN1gIzJ2mjI0-WPkvzAoY_RS6k","use":"sig"}"#;

/// `token` of `rs4096.json`: RS256 with [`RS4096_JWK`]'s key, `iat` [`NOW`],
/// `sub` [`SUB`]; 1,433 characters, a 72-byte header and a 489-byte payload
/// (the 683-character signature is decoded into the verifier's own 512-byte
/// array).
const RS4096_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJlZTY4NzQ3LWNkZWItNDBlOC1hMzY5LWQ4OWFkMWUwZDI2MSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1LCJpYXQiOjE3NjcyNjIyNDUsImVtYWlsIjoiem9lLm9icmllbkBleGFtcGxlLmNvbSIsInBob25lIjoiIiwiYXBwX21ldGFkYXRhIjp7InByb3ZpZGVyIjoiZW1haWwiLCJwcm92aWRlcnMiOlsiZW1haWwiXX0sInVzZXJfbWV0YWRhdGEiOnsiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1bGxfbmFtZSI6IlpvZSBPJ0JyaWVuIn0sInJvbGUiOiJhdXRoZW50aWNhdGVkIiwiYWFsIjoiYWFsMSIsImFtciI6W3sibWV0aG9kIjoicGFzc3dvcmQiLCJ0aW1lc3RhbXAiOjE3NjcyNjE2NDV9XSwic2Vzc2lvbl9pZCI6Ijk1NDIxODNkLWY3NjUtNGE5OC1iMWZmLTA0M2IxMjY4NDZkZSIsImlzX2Fub255bW91cyI6ZmFsc2V9.gvGwftz64JeOvFTq-R3377bOA6Zfy2CwZoajfortSPxuktG5IcMOFa2RQz6gowekc6Vh2V1FXTZbKubVh4Em0pATDUKIuEFrMSc9cXElRASOn2KArc_249ymuNmNdPyUwTCrR96r8iVW9bpbUa8qscn9bkIO7pbd1rCSaAZ676iO9vx7J4AUqeqbEZUVfHSeP5yBWoJmdh1sAWv20nRxOYyBwuIIXFvqhQFeoUBjCUwYbPOUE5dNIMOs6Szl3dTQ7Fr85R8iMcz-z2BXjG5tAH3xZYCv5iP3x_WxYi7RP74gplvP_tt8nicRmgJBI6lxKHjVYVupDGHMkjpWLH5tewRosq4CDl9YI5z3nQUuewe5g6FYkNYOGLs1gDxFQJlLGgyg2yN2qRIYqKsUqqfgfaNAqY1Ln765ervL-vIvscMow5Kid_pF5PduRvqkmf34o9ar5IXg5FTfDqH5CdZFVnD9M3IDHSb8yMLHcpAba_9a6aU6p9ULdlfai3joNkbt_I8_qqcpeERYA3hKWxging9XeHn73Du3oh85NZXrV3SYMYsR_7mqUXxxSKEWqqOUdWjRV9iWeNfadYu72kpqBjddO1tg_WOn0dLRIcPRIbfJUYeVRb3y_aqrb5SwteNVUMqhxo_TZSprHKrGEDH3uV3EOG-KHOBP9Xk2kc0pBJo";

/// [`RS4096_TOKEN`] with `aal1` changed to `aal2` after signing, like
/// [`RS256_TAMPERED`].
const RS4096_TAMPERED: [u8; RS4096_TOKEN.len()] = tampered(RS4096_TOKEN, b"YWFsMSIs", b"YWFsMiIs");

/// `token` with the one occurrence of `from` replaced by `to` (as long), at
/// compile time: a missing or repeated `from` fails the build.
const fn tampered<const N: usize>(token: &str, from: &[u8], to: &[u8]) -> [u8; N] {
    let src = token.as_bytes();
    assert!(src.len() == N && from.len() == to.len());
    let mut out = [0u8; N];
    let mut found = None;
    let mut i = 0;
    while i < N {
        out[i] = src[i];
        let mut j = 0;
        while j < from.len() && i + j < N && src[i + j] == from[j] {
            j += 1;
        }
        if j == from.len() {
            assert!(found.is_none(), "`from` occurs more than once");
            found = Some(i);
        }
        i += 1;
    }
    let Some(at) = found else { panic!("`from` does not occur") };
    let mut j = 0;
    while j < to.len() {
        out[at + j] = to[j];
        j += 1;
    }
    out
}

/// `hs256_legacy`: signed with [`SECRET`], with a `kid` the JWKS lacks, so the
/// key set verifies it with its legacy HS256 key (as Supabase Auth does).
const HS256_LEGACY: &str = "eyJhbGciOiJIUzI1NiIsImtpZCI6IlhrM3BROXZMcjJUeis4YlciLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2txenJ2eHdsbXRwYmhkY25zamZnLnN1cGFiYXNlLmNvL2F1dGgvdjEiLCJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoxNzY3MjY1ODQ1LCJpYXQiOjE3NjcyNjIyNDUsImVtYWlsIjoiem9lLm9icmllbkBleGFtcGxlLmNvbSIsInBob25lIjoiIiwiYXBwX21ldGFkYXRhIjp7InByb3ZpZGVyIjoiZW1haWwiLCJwcm92aWRlcnMiOlsiZW1haWwiXX0sInVzZXJfbWV0YWRhdGEiOnsiY29tcGFueSI6IlNtaXRoIFx1MDAyNiBTb25zIFx1MDAzY1VLXHUwMDNlIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1bGxfbmFtZSI6Ilpvw6sgTydCcmllbiJ9LCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImFhbCI6ImFhbDEiLCJhbXIiOlt7Im1ldGhvZCI6InBhc3N3b3JkIiwidGltZXN0YW1wIjoxNzY3MjYxNjQ1fV0sInNlc3Npb25faWQiOiIzYzlhN2IyZS01ZDQxLTRmMDgtYTZlMy05MWIwYzJkNGY3YTgiLCJpc19hbm9ueW1vdXMiOmZhbHNlfQ.6Bqw2Oqh1fpdUqHdV_k70Q90xL1JXmjFhlMjxkbVluM";

const SUB: &str = "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01";
const EXP: u64 = 1767265845;
/// The token's `iat`: a fixed moment inside its validity.
const NOW: u64 = 1767262245;

/// Bytes of decode buffer. It must hold the decoded header and, separately,
/// the decoded payload (the header is decoded first, then overwritten): here
/// at most 72 and 535 bytes. The signature segment is never decoded into it
/// (each key decodes its signature into its own array, 512 bytes for RSA
/// 4096), so an RS256 token's long signature costs no buffer. 1024 leaves
/// room for a larger `user_metadata`: any token whose payload segment is at
/// most 1365 characters fits; a larger one is `Error::TooLarge`, never a
/// panic or overflow.
const BUF_LEN: usize = 1024;

static VALIDATION: Validation<'static> =
    Validation::new().audience("authenticated").issuer("https://kqzrvxwlmtpbhdcnsjfg.supabase.co/auth/v1");

/// The key set's capacity: Supabase's JWKS has 3 keys, all of which this
/// build loads; 4 leaves room for one more during a rotation. Each entry
/// holds the largest key type inline (an `Rs256Key`, with the Montgomery
/// parameters of a 4096-bit modulus), so the capacity is paid in RAM.
const KEYS: usize = 4;

// `#[used]` keeps these write-only statics (and the stores to them) in the
// image, where a debugger or the RAM dump reads them.

/// How many of the checks below gave the expected verdict.
#[used]
static PASSED: AtomicU32 = AtomicU32::new(0);
/// How many checks the run holds (the stack-probe builds run one group).
#[used]
static EXPECTED: AtomicU32 = AtomicU32::new(0);
/// Set once every check has run.
#[used]
static DONE: AtomicBool = AtomicBool::new(false);
/// The stack pointer just before the measured step: the stack-probe
/// measurement counts from here down (read by `stack-probe.py` from the RAM
/// dump).
#[used]
static SP_BEFORE_VERIFY: AtomicU32 = AtomicU32::new(0);
/// The low end of the stack repainted just before the measured step (see
/// [`repaint`]); the probe ignores anything below it.
#[used]
static PAINT_LOW: AtomicU32 = AtomicU32::new(0);

/// The HS256 checks with a single `Hs256Key`, plus the legacy HS256 token
/// through the key set.
const HS256_CHECKS: u32 = 5;
/// The ES256 checks through the key set.
const ES256_CHECKS: u32 = 3;
/// The RS256 checks: 2048-bit through the key set, 4096-bit with a single
/// `Rs256Key`.
const RS256_CHECKS: u32 = 4;
const CHECKS: u32 = HS256_CHECKS + ES256_CHECKS + RS256_CHECKS;

/// What a `stack-probe` build measures: one step, alone (see
/// `stack-probe.py`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    JwksImport,
    Hs256,
    Es256,
    Rs256,
}

const PROBE: Option<Step> = if cfg!(feature = "stack-probe-jwks") {
    Some(Step::JwksImport)
} else if cfg!(feature = "stack-probe-es256") {
    Some(Step::Es256)
} else if cfg!(feature = "stack-probe-rs256") {
    Some(Step::Rs256)
} else if cfg!(feature = "stack-probe") {
    Some(Step::Hs256)
} else {
    None
};

/// Bytes [`repaint`] paints: more than any measured step uses.
const REPAINT_LEN: usize = 40 * 1024;
const PAINT: u8 = 0xAA;

/// Writes the paint over the stack below the caller, so that an earlier,
/// deeper step (the JWKS import before the verifications) does not hide the
/// next step's high-water mark; returns the lowest repainted address. Safe
/// code: the paint is this frame's own array.
#[inline(never)]
fn repaint() -> u32 {
    let mut paint = [PAINT; REPAINT_LEN];
    core::hint::black_box(&mut paint);
    paint.as_ptr() as u32
}

/// Starts the measurement of `step` in a stack-probe build of that step.
/// Inlined, so that the stack pointer recorded is the caller's.
#[inline(always)]
fn probe_start(step: Step) {
    if PROBE == Some(step) {
        PAINT_LOW.store(repaint(), Ordering::Relaxed);
        SP_BEFORE_VERIFY.store(cortex_m::register::msp::read(), Ordering::Relaxed);
    }
}

/// Ends a stack-probe build of `step`: publishes the verdicts and parks (the
/// host dumps RAM now; printing would deepen the stack further).
fn probe_end(step: Step, passed: u32, expected: u32) {
    if PROBE == Some(step) {
        PASSED.store(passed, Ordering::Relaxed);
        EXPECTED.store(expected, Ordering::Relaxed);
        DONE.store(true, Ordering::Release);
        loop {
            cortex_m::asm::wfi();
        }
    }
}

/// `verify_in` with a single HS256 key, kept out of line so that its stack
/// use is its own frame chain below the caller's (the caller holds the
/// buffer).
#[inline(never)]
fn check<'b>(token: &[u8], key: &Hs256Key, now: u64, buf: &'b mut [u8]) -> Result<ClaimsRef<'b>, Error> {
    verify_in(token, key, &VALIDATION, now, buf)
}

/// `verify_in` with the key set, out of line like [`check`].
#[inline(never)]
fn check_set<'b>(token: &[u8], keys: &KeySet<KEYS>, now: u64, buf: &'b mut [u8]) -> Result<ClaimsRef<'b>, Error> {
    verify_in(token, keys, &VALIDATION, now, buf)
}

/// `verify_in` with a single RS256 key, out of line like [`check`].
#[inline(never)]
fn check_rs256<'b>(token: &[u8], key: &Rs256Key, now: u64, buf: &'b mut [u8]) -> Result<ClaimsRef<'b>, Error> {
    verify_in(token, key, &VALIDATION, now, buf)
}

/// The start-up import: Supabase's JWKS plus the legacy HS256 secret, into
/// the static set. Out of line, so that its stack use is measured alone.
///
/// `load_jwks` fills the set in place (the rules of `KeySet::from_jwks`):
/// `*keys = KeySet::from_jwks(JWKS)?.with_legacy_hs256(..)` builds the
/// set on the stack and moves it: with `es256` alone (a 1,056-byte set) it
/// measured 5,940 bytes of stack here against 3,980.
#[inline(never)]
fn load_keys(keys: &mut KeySet<KEYS>, legacy: &Hs256Key) -> Result<usize, Error> {
    keys.load_jwks(JWKS, |_| {})?;
    keys.set_legacy_hs256(Some(legacy.clone()));
    Ok(keys.len())
}

/// The 4096-bit key, into its static slot: the JWK's modulus is decoded and
/// its Montgomery parameters computed once, here, not per token. Out of
/// line, so that its frame is its own.
#[inline(never)]
fn load_rs4096(slot: &mut Option<Rs256Key>) -> Result<&Rs256Key, Error> {
    Ok(slot.insert(Rs256Key::from_jwk(RS4096_JWK)?))
}

/// SysTick as a stopwatch. Under qemu with `-icount shift=0` (the runner in
/// `.cargo/config.toml`) virtual time advances 1 ns per instruction and
/// SysTick ticks at the board's 25 MHz, so a tick is a fixed number of
/// instructions, calibrated on a loop of known length; on a real board ticks
/// are core clock cycles.
struct Stopwatch {
    syst: Option<SYST>,
}

impl Stopwatch {
    /// The 24-bit down-counter wraps after 2^24 ticks: each timed step
    /// restarts it and stays well below that.
    const RELOAD: u32 = 0x00FF_FFFF;

    fn new() -> Self {
        let syst = cortex_m::Peripherals::take().map(|p| p.SYST);
        let mut stopwatch = Stopwatch { syst };
        if let Some(syst) = stopwatch.syst.as_mut() {
            syst.set_clock_source(SystClkSource::Core);
            syst.set_reload(Self::RELOAD);
            syst.clear_current();
            syst.enable_counter();
        }
        stopwatch
    }

    fn restart(&mut self) {
        if let Some(syst) = self.syst.as_mut() {
            syst.clear_current();
        }
    }

    /// Ticks since the last `restart`.
    fn ticks(&self) -> u32 {
        if self.syst.is_some() { Self::RELOAD - SYST::get_current() } else { 0 }
    }

    /// Times `f` (its result is kept, so the work is not optimized away).
    fn time<T>(&mut self, f: impl FnOnce() -> T) -> (T, u32) {
        self.restart();
        let out = core::hint::black_box(f());
        (out, self.ticks())
    }
}

/// Iterations of `cortex_m::asm::delay`'s `subs; bne` loop timed to
/// calibrate the stopwatch: `delay(n)` runs `n + 1` of them, `2n + 2`
/// instructions.
const CALIBRATION_LOOPS: u32 = 1_000_000;
const CALIBRATION_INSTRUCTIONS: u64 = 2 * CALIBRATION_LOOPS as u64 + 2;

/// `ticks` as instructions, by the calibration loop's `calibration` ticks.
fn instructions(ticks: u32, calibration: u32) -> u64 {
    u64::from(ticks) * CALIBRATION_INSTRUCTIONS / u64::from(calibration.max(1))
}

fn verdict<T>(got: &Result<T, Error>) -> &'static str {
    match got {
        Ok(_) => "accepted",
        Err(e) => e.kind(),
    }
}

#[entry]
fn main() -> ! {
    // cortex-m-rt turns this into a `&'static mut` handed to `main` alone
    // (no unsafe code here): the key set lives in static RAM, where the
    // linker accounts for it, not on the verifying task's stack.
    static mut KEY_SET: KeySet<KEYS> = KeySet::new();
    // The same for the single 4096-bit key.
    static mut RS4096_KEY: Option<Rs256Key> = None;

    let Ok(key) = Hs256Key::new(SECRET) else {
        hprintln!("error: the key was refused");
        exit(EXIT_FAILURE);
    };
    let mut stopwatch = Stopwatch::new();
    let ((), calibration) = stopwatch.time(|| cortex_m::asm::delay(CALIBRATION_LOOPS));

    // Once, at start-up: the key set, then the 4096-bit key.
    probe_start(Step::JwksImport);
    let (import, import_ticks) = stopwatch.time(|| load_keys(KEY_SET, &key));
    let (rs4096_key, rs4096_import_ticks) = stopwatch.time(|| load_rs4096(RS4096_KEY));
    probe_end(Step::JwksImport, u32::from(import == Ok(3)) + u32::from(rs4096_key.is_ok()), 2);
    let keys: &KeySet<KEYS> = KEY_SET;

    let mut buf = [0u8; BUF_LEN];
    let mut small = [0u8; 256];

    // HS256: a single key, then the legacy token through the key set.
    probe_start(Step::Hs256);
    let (valid, hs256_ticks) = stopwatch
        .time(|| check(TOKEN.as_bytes(), &key, NOW, &mut buf).map(|c| (c.sub().is_some_and(|s| s == SUB), c.exp())));
    let hs256 = [
        valid.map(|_| ()),
        check(TOKEN.as_bytes(), &key, EXP, &mut buf).map(|_| ()),
        check(&TAMPERED, &key, NOW, &mut buf).map(|_| ()),
        check(TOKEN.as_bytes(), &key, NOW, &mut small).map(|_| ()),
        check_set(HS256_LEGACY.as_bytes(), keys, NOW, &mut buf).map(|_| ()),
    ];
    let hs256_expected = [Ok(()), Err(Error::Expired), Err(Error::InvalidSignature), Err(Error::TooLarge), Ok(())];
    let valid_claims_right = matches!(valid, Ok((true, Some(exp))) if exp.as_secs() == EXP);
    let hs256_passed = hs256.iter().zip(&hs256_expected).filter(|(got, want)| got == want).count() as u32;
    let hs256_passed = if valid_claims_right { hs256_passed } else { hs256_passed.saturating_sub(1) };
    probe_end(Step::Hs256, hs256_passed, HS256_CHECKS);

    // ES256 through the key set.
    probe_start(Step::Es256);
    let (es256_valid, es256_ticks) = stopwatch
        .time(|| check_set(ES256_USER.as_bytes(), keys, NOW, &mut buf).map(|c| c.sub().is_some_and(|s| s == SUB)));
    let es256 = [
        es256_valid.map(|_| ()),
        check_set(ES256_TAMPERED.as_bytes(), keys, NOW, &mut buf).map(|_| ()),
        check_set(ES256_UNKNOWN_KID.as_bytes(), keys, NOW, &mut buf).map(|_| ()),
    ];
    let es256_expected = [Ok(()), Err(Error::InvalidSignature), Err(Error::UnknownKey)];
    let es256_sub_right = es256_valid == Ok(true);
    let es256_passed = es256.iter().zip(&es256_expected).filter(|(got, want)| got == want).count() as u32;
    let es256_passed = if es256_sub_right { es256_passed } else { es256_passed.saturating_sub(1) };
    probe_end(Step::Es256, es256_passed, ES256_CHECKS);

    // RS256: the JWKS's 2048-bit key through the key set, then the 4096-bit
    // key alone.
    probe_start(Step::Rs256);
    let (rs2048_valid, rs2048_ticks) = stopwatch.time(|| {
        check_set(RS256_USER.as_bytes(), keys, NOW, &mut buf).map(|c| c.sub().is_some_and(|s| s == RS256_SUB))
    });
    let rs2048_tampered = check_set(&RS256_TAMPERED, keys, NOW, &mut buf).map(|_| ());
    let ((rs4096_valid, rs4096_tampered), rs4096_ticks) = match rs4096_key {
        Ok(rs4096_key) => {
            let (valid, ticks) = stopwatch.time(|| {
                check_rs256(RS4096_TOKEN.as_bytes(), rs4096_key, NOW, &mut buf)
                    .map(|c| c.sub().is_some_and(|s| s == SUB))
            });
            ((valid, check_rs256(&RS4096_TAMPERED, rs4096_key, NOW, &mut buf).map(|_| ())), ticks)
        }
        Err(error) => ((Err(error), Err(error)), 0),
    };
    let rs256 = [rs2048_valid.map(|_| ()), rs2048_tampered, rs4096_valid.map(|_| ()), rs4096_tampered];
    let rs256_expected = [Ok(()), Err(Error::InvalidSignature), Ok(()), Err(Error::InvalidSignature)];
    let rs256_subs_right = [rs2048_valid == Ok(true), rs4096_valid == Ok(true)];
    let rs256_passed = rs256.iter().zip(&rs256_expected).filter(|(got, want)| got == want).count() as u32;
    let rs256_passed = rs256_passed.saturating_sub(rs256_subs_right.iter().filter(|right| !**right).count() as u32);
    probe_end(Step::Rs256, rs256_passed, RS256_CHECKS);

    let passed = hs256_passed + es256_passed + rs256_passed;
    PASSED.store(passed, Ordering::Relaxed);
    EXPECTED.store(CHECKS, Ordering::Relaxed);
    DONE.store(true, Ordering::Release);

    hprintln!("jwtcheck verify_in on thumbv7em-none-eabihf, {}-byte stack buffer", BUF_LEN);
    hprintln!(
        "key set: {} keys from the JWKS ({}), plus the legacy HS256 key; size_of::<KeySet<{}>>() = {} bytes, in a static",
        import.unwrap_or(0),
        verdict(&import),
        KEYS,
        core::mem::size_of::<KeySet<KEYS>>()
    );
    let hs256_names = [
        "valid token at iat",
        "the same token at exp",
        "a tampered signature",
        "a 256-byte buffer",
        "hs256_legacy via the key set",
    ];
    let es256_names = ["es256_user via the key set", "es256_tampered", "es256_unknown_kid"];
    let rs256_names = ["rs256_user via the key set", "rs256_tampered", "rs4096 with its single key", "rs4096_tampered"];
    let results = hs256
        .iter()
        .zip(&hs256_expected)
        .chain(es256.iter().zip(&es256_expected))
        .chain(rs256.iter().zip(&rs256_expected));
    for (name, (got, want)) in hs256_names.iter().chain(&es256_names).chain(&rs256_names).zip(results) {
        let mark = if got == want { "ok" } else { "UNEXPECTED" };
        hprintln!("{}: {} ({})", name, verdict(got), mark);
    }
    hprintln!("claims of the valid token: sub and exp {}", if valid_claims_right { "as expected" } else { "WRONG" });
    hprintln!("claims of es256_user: sub {}", if es256_sub_right { "as expected" } else { "WRONG" });
    for (name, right) in ["rs256_user", "rs4096"].iter().zip(rs256_subs_right) {
        hprintln!("claims of {}: sub {}", name, if right { "as expected" } else { "WRONG" });
    }
    hprintln!(
        "instructions (qemu -icount shift=0; SysTick, {} ticks for a {}-instruction loop): JWKS import {}, HS256 verify {}, ES256 verify {}, RS256 2048 verify {}, RS256 4096 key import {}, RS256 4096 verify {}",
        calibration,
        CALIBRATION_INSTRUCTIONS,
        instructions(import_ticks, calibration),
        instructions(hs256_ticks, calibration),
        instructions(es256_ticks, calibration),
        instructions(rs2048_ticks, calibration),
        instructions(rs4096_import_ticks, calibration),
        instructions(rs4096_ticks, calibration)
    );
    if passed == CHECKS {
        hprintln!("all {} verdicts as expected", CHECKS);
        exit(EXIT_SUCCESS)
    } else {
        hprintln!("FAILED: {} of {} verdicts as expected", passed, CHECKS);
        exit(EXIT_FAILURE)
    }
}

/// Ends the qemu run with `status`; on hardware (where the semihosting call
/// returns or traps) sleeps forever.
fn exit(status: debug::ExitStatus) -> ! {
    debug::exit(status);
    loop {
        cortex_m::asm::wfi();
    }
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    hprintln!("panic");
    exit(EXIT_FAILURE)
}
