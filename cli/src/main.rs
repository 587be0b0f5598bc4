//! Verify a JWT (HS256, or ES256 and RS256 keys from a JWKS) from the command line: a
//! local, verifying jwt.io.
//!
//! ```text
//! cargo run --release --bin verify -- [OPTIONS] [TOKEN]   # in the jwtcheck repository
//! cargo install jwtcheck-cli && verify [OPTIONS] [TOKEN]
//! ```
//!
//! Exit status: 0 accepted (the claims JSON on stdout), 1 rejected (one line
//! `error: <kind>: <message>` on stderr), 2 usage or key error. `--explain`
//! walks every check; `--json` answers in JSON on stdout, for scripts.

mod explain;
mod hints;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use jwtcheck::{Algorithm, DEFAULT_MAX_TOKEN_LEN, Hs256Key, KeySet, Validation, bearer_token, verify_in};

/// What `parse_args` returns as its error for `--version`.
const VERSION_REQUEST: &str = "\0version";

/// Keys the CLI's set holds at most.
const JWKS_CAPACITY: usize = 16;

const USAGE: &str = "\
usage: verify [OPTIONS] [TOKEN]

Verifies a JWT and prints its claims. TOKEN is used byte for byte;
without it the token is read from stdin (one trailing newline dropped).

keys (a JWKS, a secret, or both):
  --jwks PATH            a JWKS file (e.g. Supabase's /auth/v1/.well-known/jwks.json):
                         its keys are chosen by the token's kid; with a secret
                         below, that secret is the legacy HS256 key
  --secret TEXT          the secret's UTF-8 bytes (Supabase: the JWT secret as shown)
  --secret-env VAR       the bytes of environment variable VAR
  --secret-file PATH     the bytes of the file, exactly as stored
  --secret-base64 B64    base64 (standard or URL-safe, padding optional), e.g. a JWK `k`
  --secret-hex HEX       hex digits

validation:
  --aud A                accept audience A (repeatable; any one must match)
  --any-aud              do not check aud (explicit opt-out)
  --iss I                require issuer I (repeatable; any one must match)
  --leeway SECONDS       clock skew tolerated on exp and nbf (default 0)
  --now UNIX_SECONDS     the current time (default: the system clock)
  --allow-missing-exp    accept tokens without exp
  --max-len N            maximum token length in bytes (default 8192)

input:
  --bearer               the input is an Authorization header value (Bearer <token>)

output:
  --explain              show the header, the claims and every check with its outcome
  --json                 answer on stdout with one JSON object: valid (true/false)
                         and the claims, or the error's kind and message
  -h, --help             print this help
  -V, --version          print the version of verify and jwtcheck

exit status: 0 accepted, 1 rejected, 2 usage or key error";

enum Secret {
    Text(OsString),
    Env(OsString),
    File(OsString),
    Base64(String),
    Hex(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Text,
    Json,
    Explain,
}

struct Options {
    secret: Option<Secret>,
    jwks: Option<OsString>,
    audiences: Vec<String>,
    any_aud: bool,
    issuers: Vec<String>,
    leeway: u64,
    now: Option<u64>,
    allow_missing_exp: bool,
    max_len: usize,
    bearer: bool,
    output: Output,
    token: Option<OsString>,
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reports a failure in the chosen output form and returns `code`.
fn fail(output: Output, kind: &str, message: &str, code: u8) -> ExitCode {
    fail_with_hint(output, kind, message, None, code)
}

/// [`fail`] with the next step, a second line `hint: …` (a `hint` member in
/// JSON).
fn fail_with_hint(output: Output, kind: &str, message: &str, hint: Option<&str>, code: u8) -> ExitCode {
    if output == Output::Json {
        let hint = hint.map_or(String::new(), |h| format!(r#","hint":{}"#, json_string(h)));
        println!(
            r#"{{"valid":false,"error":{{"kind":{},"message":{}{hint}}}}}"#,
            json_string(kind),
            json_string(message)
        );
    } else if kind == "usage" {
        // One line and where to look, not the whole help.
        eprintln!("error: usage: {message}\nrun with --help for the options");
    } else {
        eprintln!("error: {kind}: {message}");
        if let Some(hint) = hint {
            eprintln!("hint: {hint}");
        }
    }
    ExitCode::from(code)
}

fn parse_args(mut args: impl Iterator<Item = OsString>) -> Result<Option<Options>, String> {
    let mut o = Options {
        secret: None,
        jwks: None,
        audiences: Vec::new(),
        any_aud: false,
        issuers: Vec::new(),
        leeway: 0,
        now: None,
        allow_missing_exp: false,
        max_len: DEFAULT_MAX_TOKEN_LEN,
        bearer: false,
        output: Output::Text,
        token: None,
    };
    let mut only_positional = false;
    while let Some(arg) = args.next() {
        let flag = if only_positional { None } else { arg.to_str() };
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let utf8 = |v: OsString, name: &str| v.into_string().map_err(|_| format!("{name} must be UTF-8"));
        let number = |v: OsString, name: &str| -> Result<u64, String> {
            v.to_str().and_then(|s| s.parse().ok()).ok_or_else(|| format!("{name} needs a non-negative integer"))
        };
        let mut set_secret = |s: Secret| {
            if o.secret.replace(s).is_some() {
                Err("give exactly one of --secret, --secret-env, --secret-file, --secret-base64, --secret-hex"
                    .to_owned())
            } else {
                Ok(())
            }
        };
        match flag {
            Some("-h" | "--help") => return Ok(None),
            Some("-V" | "--version") => return Err(VERSION_REQUEST.to_owned()),
            Some("--jwks") => {
                if o.jwks.replace(value("--jwks")?).is_some() {
                    return Err("give --jwks at most once".to_owned());
                }
            }
            Some("--secret") => set_secret(Secret::Text(value("--secret")?))?,
            Some("--secret-env") => set_secret(Secret::Env(value("--secret-env")?))?,
            Some("--secret-file") => set_secret(Secret::File(value("--secret-file")?))?,
            Some("--secret-base64") => set_secret(Secret::Base64(utf8(value("--secret-base64")?, "--secret-base64")?))?,
            Some("--secret-hex") => set_secret(Secret::Hex(utf8(value("--secret-hex")?, "--secret-hex")?))?,
            Some("--aud") => o.audiences.push(utf8(value("--aud")?, "--aud")?),
            Some("--any-aud") => o.any_aud = true,
            Some("--iss") => o.issuers.push(utf8(value("--iss")?, "--iss")?),
            Some("--leeway") => o.leeway = number(value("--leeway")?, "--leeway")?,
            Some("--now") => o.now = Some(number(value("--now")?, "--now")?),
            Some("--allow-missing-exp") => o.allow_missing_exp = true,
            Some("--max-len") => {
                o.max_len =
                    usize::try_from(number(value("--max-len")?, "--max-len")?).map_err(|_| "--max-len is too large")?
            }
            Some("--bearer") => o.bearer = true,
            Some(f @ ("--json" | "--explain")) => {
                let output = if f == "--json" { Output::Json } else { Output::Explain };
                if o.output != Output::Text && o.output != output {
                    return Err("--json and --explain exclude each other".to_owned());
                }
                o.output = output;
            }
            Some("--") => only_positional = true,
            Some(f) if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown option {f}")),
            _ => {
                if o.token.replace(arg).is_some() {
                    return Err("give at most one TOKEN".to_owned());
                }
            }
        }
    }
    if o.secret.is_none() && o.jwks.is_none() {
        return Err(
            "a key is required: --jwks, --secret, --secret-env, --secret-file, --secret-base64 or --secret-hex"
                .to_owned(),
        );
    }
    if o.any_aud && !o.audiences.is_empty() {
        return Err("--any-aud and --aud exclude each other".to_owned());
    }
    Ok(Some(o))
}

fn load_key(secret: &Secret) -> Result<Hs256Key, String> {
    let key = match secret {
        Secret::Text(text) => Hs256Key::new(text.as_encoded_bytes()),
        Secret::Env(var) => {
            let value = std::env::var_os(var)
                .ok_or_else(|| format!("usage: environment variable {} is not set", var.to_string_lossy()))?;
            Hs256Key::new(value.as_encoded_bytes())
        }
        Secret::File(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| format!("usage: cannot read {}: {e}", path.to_string_lossy()))?;
            Hs256Key::new(&bytes)
        }
        Secret::Base64(b64) => Hs256Key::from_base64(b64),
        Secret::Hex(hex) => Hs256Key::from_hex(hex),
    };
    key.map_err(|e| e.to_string())
}

/// What verifies the token: one HS256 key, or a set from a JWKS (with the
/// secret, if any, as its legacy HS256 key).
enum Keys {
    One(Hs256Key),
    Set(Box<KeySet<JWKS_CAPACITY>>),
}

/// Loads `--jwks`; the reasons of skipped keys go to `skipped`.
fn load_jwks(path: &OsString, legacy: Option<Hs256Key>, skipped: &mut Vec<String>) -> Result<Keys, String> {
    let text = std::fs::read(path).map_err(|e| format!("usage: cannot read {}: {e}", path.to_string_lossy()))?;
    let text = String::from_utf8(text).map_err(|_| "invalid_jwks: the JWKS file is not UTF-8".to_owned())?;
    let mut set = Box::new(KeySet::<JWKS_CAPACITY>::new());
    set.load_jwks(&text, |s| {
        let kid = s.kid.map_or("(no kid)".to_owned(), |k| json_string(&k.to_string()));
        skipped.push(format!("key #{} {kid}: {}", s.index, s.reason.message()));
    })
    .map_err(|e| e.to_string())?;
    set.set_legacy_hs256(legacy);
    Ok(Keys::Set(set))
}

/// How the key for this token is chosen, for `--explain`.
fn key_detail(keys: &Keys, token: &[u8]) -> String {
    let header = token.split(|&b| b == b'.').next().and_then(explain::decode_json);
    let field = |name: &str| header.as_ref().and_then(|h| h.get(name)).and_then(|v| v.as_str()).map(str::to_owned);
    let alg = field("alg").and_then(|a| Algorithm::from_name(&a));
    let kid = field("kid");
    match (keys, alg) {
        (_, None) => "no implemented alg in the header".to_owned(),
        (Keys::One(_), Some(alg)) => {
            format!("the HS256 secret given; the token asks for {} (kid not consulted)", alg.name())
        }
        (Keys::Set(set), Some(alg)) => {
            let asked = match &kid {
                Some(kid) => format!("{} with kid {}", alg.name(), json_string(kid)),
                None => format!("{} without kid", alg.name()),
            };
            match set.explain(alg, kid.as_deref()) {
                Ok((Some(chosen), _)) => format!("{asked}: the JWKS key {}", json_string(chosen)),
                Ok((None, true)) if kid.is_some() => format!("{asked}: no JWKS key has it, so the legacy HS256 secret"),
                Ok((None, true)) => format!("{asked}: the legacy HS256 secret, the only HS256 key"),
                Ok((None, false)) => format!("{asked}: the only {} key of the set", alg.name()),
                Err(e) => format!("{asked}: {}", e.message()),
            }
        }
    }
}

fn read_token(arg: Option<OsString>) -> Result<Vec<u8>, String> {
    match arg {
        Some(token) => Ok(token.into_encoded_bytes()),
        None => {
            let mut input = Vec::new();
            std::io::stdin().read_to_end(&mut input).map_err(|e| format!("usage: cannot read stdin: {e}"))?;
            if input.ends_with(b"\r\n") {
                input.truncate(input.len() - 2);
            } else if input.ends_with(b"\n") {
                input.truncate(input.len() - 1);
            }
            Ok(input)
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    // Known before parsing, so that usage errors already answer in JSON.
    let json = args.iter().any(|a| a == "--json");
    let options = match parse_args(args.into_iter()) {
        Ok(Some(o)) => o,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) if message == VERSION_REQUEST => {
            // jwtcheck-cli pins jwtcheck to its own version (`=` in Cargo.toml).
            println!("verify {0} (jwtcheck {0})", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => return fail(if json { Output::Json } else { Output::Text }, "usage", &message, 2),
    };
    let output = options.output;
    // `load_key` and `load_jwks` answer `kind: message` (from `Error`'s
    // Display) or `usage: message`.
    let key_error = |message: String| {
        let (kind, message) = message.split_once(": ").unwrap_or(("usage", &message));
        fail(output, kind, message, 2)
    };
    let secret = match options.secret.as_ref().map(load_key).transpose() {
        Ok(secret) => secret,
        Err(message) => return key_error(message),
    };
    let mut skipped = Vec::new();
    let keys = match (&options.jwks, secret) {
        (Some(path), legacy) => match load_jwks(path, legacy, &mut skipped) {
            Ok(keys) => keys,
            Err(message) => return key_error(message),
        },
        (None, Some(key)) => Keys::One(key),
        (None, None) => return fail(output, "usage", "a key is required", 2),
    };
    let input = match read_token(options.token) {
        Ok(input) => input,
        Err(message) => return fail(output, "usage", message.trim_start_matches("usage: "), 2),
    };
    let token: &[u8] = if options.bearer {
        match bearer_token(&input) {
            Ok(token) => token.as_bytes(),
            Err(e) => return fail(output, e.kind(), e.message(), 1),
        }
    } else {
        &input
    };

    let audiences: Vec<&str> = options.audiences.iter().map(String::as_str).collect();
    let issuers: Vec<&str> = options.issuers.iter().map(String::as_str).collect();
    let mut validation = Validation::new().leeway(options.leeway).max_token_len(options.max_len);
    if options.any_aud {
        validation = validation.accept_any_audience();
    } else if !audiences.is_empty() {
        validation = validation.audiences(&audiences);
    }
    if !issuers.is_empty() {
        validation = validation.issuers(&issuers);
    }
    if options.allow_missing_exp {
        validation = validation.allow_missing_exp();
    }
    let now = options.now.unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()));

    // A buffer as large as the longest token allowed holds any payload.
    let mut buf = vec![0u8; options.max_len.min(token.len())];
    let result = match &keys {
        Keys::One(key) => verify_in(token, key, &validation, now, &mut buf),
        Keys::Set(set) => verify_in(token, set.as_ref(), &validation, now, &mut buf),
    };
    if output == Output::Explain {
        let rules = explain::Rules {
            audiences: &options.audiences,
            any_aud: options.any_aud,
            issuers: &options.issuers,
            leeway: options.leeway,
            allow_missing_exp: options.allow_missing_exp,
            max_len: options.max_len,
            now,
            key: key_detail(&keys, token),
            skipped: &skipped,
        };
        print!("{}", explain::explain(token, result.as_ref().map(|_| ()).map_err(|e| *e), &rules));
        return if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    }
    match result {
        Ok(claims) => {
            let line = match output {
                Output::Json => format!(r#"{{"valid":true,"claims":{}}}"#, claims.payload()),
                _ => claims.payload().to_owned(),
            };
            match writeln!(std::io::stdout().lock(), "{line}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(2),
            }
        }
        Err(e) => {
            let secret = match &options.secret {
                Some(Secret::Text(text)) => Some(text.as_encoded_bytes().to_vec()),
                Some(Secret::Env(var)) => std::env::var_os(var).map(|v| v.into_encoded_bytes()),
                Some(Secret::File(path)) => std::fs::read(path).ok(),
                _ => None,
            };
            let context = hints::Context {
                jwks: options.jwks.is_some(),
                text_secret: secret.as_deref(),
                audience_configured: options.any_aud || !options.audiences.is_empty(),
            };
            let hint = hints::hint(e, token, &context);
            fail_with_hint(output, e.kind(), e.message(), hint.as_deref(), 1)
        }
    }
}
