//! [`SupabaseClaims`]: a typed, borrowed view of a Supabase access token or
//! API key.

use crate::claims::{Audiences, ClaimsRef};
use crate::json_str::JsonStr;
use crate::value::{JsonKind, JsonValue};
use crate::{Claim, Error, NumericDate};

/// The claims of a Supabase token, typed, borrowed from the verified payload
/// (no allocation). Get one with [`Claims::supabase`](crate::Claims::supabase)
/// or [`ClaimsRef::supabase`].
///
/// Covers user access tokens issued by Supabase Auth (`sub`, `role`,
/// `email`, `phone`, `aal`, `session_id`, `is_anonymous`, `app_metadata`,
/// `user_metadata`, `amr`) and the legacy `anon` / `service_role` API keys
/// (`role`, `ref`, no `sub`). Strings are [`JsonStr`]s: Supabase's Go encoder
/// escapes `<`, `>` and `&` (`"Smith \u0026 Sons"`), and comparisons,
/// `Display` and [`JsonStr::unescape_into`] all see `Smith & Sons`.
///
/// Construction checks the type of every field it knows once; the
/// accessors then only answer `None` for an absent field.
///
/// ```
/// use jwtcheck::{Hs256Key, Validation, verify};
///
/// # let key = Hs256Key::new(b"super-secret-jwt-token-with-at-least-32-characters-long")?;
/// # // {"alg":"HS256","typ":"JWT"} . {"sub":"8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01","aud":"authenticated","exp":2000000000,"email":"zoe@example.com","app_metadata":{"provider":"email"},"user_metadata":{"company":"Smith \u0026 Sons"},"role":"authenticated","aal":"aal1","amr":[{"method":"password","timestamp":1767256845}],"is_anonymous":false}
/// # let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4ZjE0ZTQ1Zi1jZWVhLTRlNmEtOWYzYi0yYzFkNWE3YjllMDEiLCJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoyMDAwMDAwMDAwLCJlbWFpbCI6InpvZUBleGFtcGxlLmNvbSIsImFwcF9tZXRhZGF0YSI6eyJwcm92aWRlciI6ImVtYWlsIn0sInVzZXJfbWV0YWRhdGEiOnsiY29tcGFueSI6IlNtaXRoIFx1MDAyNiBTb25zIn0sInJvbGUiOiJhdXRoZW50aWNhdGVkIiwiYWFsIjoiYWFsMSIsImFtciI6W3sibWV0aG9kIjoicGFzc3dvcmQiLCJ0aW1lc3RhbXAiOjE3NjcyNTY4NDV9XSwiaXNfYW5vbnltb3VzIjpmYWxzZX0.ML9ZIdh5gWEsrSr-w06ClQ2NvwKV1zQfrL7WmMg-rkw";
/// let claims = verify(token, &key, &Validation::new().audience("authenticated"), 1_900_000_000)?;
/// let user = claims.supabase()?;
/// assert!(user.role().unwrap() == "authenticated");
/// assert!(user.provider().unwrap() == "email");
/// assert_eq!(user.is_anonymous(), Some(false));
/// assert!(user.amr().any(|m| m.method == "password"));
/// let company = user.user_metadata().and_then(|m| m.get("company")).and_then(|c| c.as_str()).unwrap();
/// assert_eq!(company.to_string(), "Smith & Sons");
/// # Ok::<(), jwtcheck::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SupabaseClaims<'a> {
    claims: ClaimsRef<'a>,
}

/// One entry of `amr` (authentication methods reference, RFC 8176): how and
/// when the user authenticated.
#[derive(Clone, Copy, Debug)]
pub struct AuthMethod<'a> {
    /// `password`, `otp`, `oauth`, `anonymous`, `totp`, …
    pub method: JsonStr<'a>,
    /// When, if recorded.
    pub timestamp: Option<NumericDate>,
}

/// The fields [`SupabaseClaims::new`] types, with the kind each must have.
const FIELDS: [(&str, JsonKind); 10] = [
    ("role", JsonKind::String),
    ("email", JsonKind::String),
    ("phone", JsonKind::String),
    ("aal", JsonKind::String),
    ("session_id", JsonKind::String),
    ("ref", JsonKind::String),
    ("is_anonymous", JsonKind::Bool),
    ("app_metadata", JsonKind::Object),
    ("user_metadata", JsonKind::Object),
    ("amr", JsonKind::Array),
];

impl<'a> SupabaseClaims<'a> {
    /// Types every known field: `role`, `email`, `phone`, `aal`,
    /// `session_id` and `ref` strings; `is_anonymous` a boolean;
    /// `app_metadata` and `user_metadata` objects, `app_metadata.provider` a
    /// string; `amr` an array of objects with a string `method` and a
    /// NumericDate `timestamp`. Otherwise
    /// `Error::InvalidClaims(Claim::Custom)`.
    pub fn new(claims: ClaimsRef<'a>) -> Result<Self, Error> {
        // One pass over the members: a lookup per field would walk the
        // payload once per field.
        for (name, value) in claims.json().members() {
            let Some(&(field, kind)) = FIELDS.iter().find(|&&(field, _)| name == field) else {
                continue;
            };
            let typed = value.kind() == kind
                && match field {
                    "app_metadata" => value.get("provider").is_none_or(|p| p.kind() == JsonKind::String),
                    "amr" => value.elements().all(|entry| {
                        entry.get("method").is_some_and(|m| m.kind() == JsonKind::String)
                            && entry.get("timestamp").is_none_or(|t| t.as_numeric_date().is_some())
                    }),
                    _ => true,
                };
            if !typed {
                return Err(Error::InvalidClaims(Claim::Custom));
            }
        }
        Ok(SupabaseClaims { claims })
    }

    fn string(&self, name: &str) -> Option<JsonStr<'a>> {
        self.claims.get(name).and_then(|v| v.as_str())
    }

    /// `sub`: the user's id (a UUID). Absent in API keys.
    pub fn sub(&self) -> Option<JsonStr<'a>> {
        self.claims.sub()
    }

    /// `role`: the Postgres role: `authenticated`, `anon`, `service_role`.
    pub fn role(&self) -> Option<JsonStr<'a>> {
        self.string("role")
    }

    /// `email`, possibly empty.
    pub fn email(&self) -> Option<JsonStr<'a>> {
        self.string("email")
    }

    /// `phone`, possibly empty.
    pub fn phone(&self) -> Option<JsonStr<'a>> {
        self.string("phone")
    }

    /// `aal`: the authenticator assurance level, `aal1` or `aal2` (MFA).
    pub fn aal(&self) -> Option<JsonStr<'a>> {
        self.string("aal")
    }

    /// `session_id`: the Supabase Auth session this token belongs to.
    pub fn session_id(&self) -> Option<JsonStr<'a>> {
        self.string("session_id")
    }

    /// `is_anonymous`: whether the user signed in anonymously.
    pub fn is_anonymous(&self) -> Option<bool> {
        self.claims.get("is_anonymous").and_then(|v| v.as_bool())
    }

    /// `app_metadata.provider`: how the user first signed up (`email`,
    /// `github`, …).
    pub fn provider(&self) -> Option<JsonStr<'a>> {
        self.app_metadata().and_then(|m| m.get("provider")).and_then(|p| p.as_str())
    }

    /// `app_metadata`: set by the server only; safe for authorization.
    pub fn app_metadata(&self) -> Option<JsonValue<'a>> {
        self.claims.get("app_metadata")
    }

    /// `user_metadata`: editable by the user; never use it for
    /// authorization decisions.
    pub fn user_metadata(&self) -> Option<JsonValue<'a>> {
        self.claims.get("user_metadata")
    }

    /// `amr`: the authentication methods of this session (empty when absent).
    pub fn amr(&self) -> impl Iterator<Item = AuthMethod<'a>> + 'a {
        self.claims.get("amr").into_iter().flat_map(|amr| amr.elements()).filter_map(|entry| {
            Some(AuthMethod {
                method: entry.get("method")?.as_str()?,
                timestamp: entry.get("timestamp").and_then(|t| t.as_numeric_date()),
            })
        })
    }

    /// `ref`: the project reference of a legacy `anon` / `service_role` API
    /// key.
    pub fn project_ref(&self) -> Option<JsonStr<'a>> {
        self.string("ref")
    }

    /// Whether this is a legacy API key (`role` of `anon` or `service_role`
    /// and no `sub`) rather than a user's access token.
    pub fn is_api_key(&self) -> bool {
        self.sub().is_none() && self.role().is_some_and(|r| r == "anon" || r == "service_role")
    }

    /// `iss`: `https://<project>.supabase.co/auth/v1` for access tokens,
    /// `supabase` for API keys.
    pub fn iss(&self) -> Option<JsonStr<'a>> {
        self.claims.iss()
    }

    /// `aud`: `authenticated` for user tokens.
    pub fn aud(&self) -> Audiences<'a> {
        self.claims.aud()
    }

    /// `exp`.
    pub fn exp(&self) -> Option<NumericDate> {
        self.claims.exp()
    }

    /// `iat`.
    pub fn iat(&self) -> Option<NumericDate> {
        self.claims.iat()
    }

    /// The underlying claims.
    pub fn claims(&self) -> ClaimsRef<'a> {
        self.claims
    }
}
