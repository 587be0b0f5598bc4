//! The `verify` binary, run as a user would: exit codes, stdout, stderr.
#![cfg(not(miri))]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_verify"))
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("JWTCHECK_TEST_SECRET", "super-secret-jwt-token-with-at-least-32-characters-long")
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

const SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters-long";

fn email_user() -> common::SupabaseToken {
    common::supabase().1.into_iter().find(|t| t.name == "email_user").unwrap()
}

#[test]
fn accepted_prints_the_claims() {
    let t = email_user();
    let now = t.iat.to_string();
    let out = run(&["--secret", SECRET, "--aud", "authenticated", "--now", &now, &t.token], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{}\n", t.payload));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn rejected_prints_one_error_line() {
    let t = email_user();
    let exp = t.exp.to_string();
    let out = run(&["--secret", SECRET, "--aud", "authenticated", "--now", &exp, &t.token], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr), "error: expired: the token has expired\n");

    let now = t.iat.to_string();
    for (args, kind) in [
        (vec!["--aud", "anon"], "invalid_audience"),
        (vec!["--any-aud", "--iss", "https://elsewhere"], "invalid_issuer"),
        (vec!["--aud", "authenticated", "--max-len", "100"], "too_large"),
    ] {
        let mut all = vec!["--secret", SECRET, "--now", &now];
        all.extend(args);
        all.push(&t.token);
        let out = run(&all, None);
        assert_eq!(out.status.code(), Some(1), "{kind}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with(&format!("error: {kind}: ")) && stderr.lines().count() == 1, "{stderr}");
    }
    let out = run(&["--secret", "another-secret-of-at-least-32-bytes!!!!", "--any-aud", "--now", &now, &t.token], None);
    assert_eq!(text(&out.stderr), "error: invalid_signature: the signature does not match\n");
}

#[test]
fn every_key_source_gives_the_same_key() {
    let t = email_user();
    let now = t.iat.to_string();
    let dir = std::env::temp_dir().join(format!("jwtcheck-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("secret");
    std::fs::write(&file, SECRET).unwrap();
    let b64 = common::b64(SECRET.as_bytes());
    let std_b64 = b64.replace('-', "+").replace('_', "/");
    for key in [
        vec!["--secret", SECRET],
        vec!["--secret-env", "JWTCHECK_TEST_SECRET"],
        vec!["--secret-file", file.to_str().unwrap()],
        vec!["--secret-base64", &b64],
        vec!["--secret-base64", &std_b64],
    ] {
        let mut args = key.clone();
        args.extend(["--aud", "authenticated", "--now", &now, &t.token]);
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(0), "{key:?}: {}", text(&out.stderr));
    }
    // The file is used exactly as stored: a trailing newline is part of the key.
    std::fs::write(&file, format!("{SECRET}\n")).unwrap();
    let out = run(&["--secret-file", file.to_str().unwrap(), "--any-aud", "--now", &now, &t.token], None);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn token_from_stdin_and_bearer_header() {
    let t = email_user();
    let now = t.iat.to_string();
    let base = ["--secret", SECRET, "--aud", "authenticated", "--now", &now];
    for input in [format!("{}\n", t.token), format!("{}\r\n", t.token), t.token.clone()] {
        let out = run(&base, Some(input.as_bytes()));
        assert_eq!(out.status.code(), Some(0), "{input:?}: {}", text(&out.stderr));
    }
    // Only one newline is dropped.
    let out = run(&base, Some(format!("{}\n\n", t.token).as_bytes()));
    assert_eq!(
        text(&out.stderr),
        "error: malformed: the token is not a strict compact JWS with a JSON object header and payload\n\
         hint: the input starts or ends with whitespace: pass the token alone\n"
    );
    // The argument is used byte for byte.
    let out = run(&[&base[..], &[&format!("{}\n", t.token)]].concat(), None);
    assert_eq!(out.status.code(), Some(1));

    let header = format!("bearer {}", t.token);
    let out = run(&[&base[..], &["--bearer", &header]].concat(), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&[&base[..], &["--bearer"]].concat(), Some(format!("Bearer {}\n", t.token).as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&[&base[..], &["--bearer", &format!("Basic {}", t.token)]].concat(), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: invalid_request: "), "{}", text(&out.stderr));
}

#[test]
fn usage_and_key_errors_exit_2() {
    for args in [
        vec![],
        vec!["tok"],
        vec!["--secret", SECRET, "--secret-env", "X", "tok"],
        vec!["--secret", SECRET, "--leeway", "-1", "tok"],
        vec!["--secret", SECRET, "--now", "soon", "tok"],
        vec!["--secret", SECRET, "--unknown", "tok"],
        vec!["--secret", SECRET, "a", "b"],
        vec!["--secret", SECRET, "--aud"],
        vec!["--secret", SECRET, "--aud", "a", "--any-aud", "tok"],
        vec!["--secret-env", "JWTCHECK_TEST_UNSET_VARIABLE", "tok"],
        vec!["--secret-file", "/nonexistent/jwtcheck", "tok"],
    ] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).starts_with("error: usage: "), "{args:?}: {}", text(&out.stderr));
    }
    let out = run(&["--secret", "short", "tok"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "error: weak_key: the HMAC secret is shorter than 32 bytes\n");
    let out = run(&["--secret-base64", "!!!", "tok"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: invalid_key: "));
    let out = run(&["--help"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("usage: verify"));
    // A usage error is one line and a pointer to --help, not the help.
    let out = run(&["--secret", SECRET, "--unknown", "tok"], None);
    assert_eq!(text(&out.stderr), "error: usage: unknown option --unknown\nrun with --help for the options\n");
    for flag in ["--version", "-V"] {
        let out = run(&[flag], None);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(text(&out.stdout), format!("verify {0} (jwtcheck {0})\n", env!("CARGO_PKG_VERSION")));
    }
}

/// stderr of a rejection, which must exit 1.
fn rejection(args: &[&str], stdin: Option<&[u8]>) -> String {
    let out = run(args, stdin);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stderr));
    text(&out.stderr)
}

#[test]
fn rejections_lead_to_the_fix_without_echoing_the_token() {
    let t = email_user();
    let now = t.iat.to_string();
    let base = ["--now", now.as_str()];
    fn join<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [base, extra].concat()
    }

    // An aud in the token and none configured.
    let err = rejection(&join(&base, &["--secret", SECRET, &t.token]), None);
    assert_eq!(
        err,
        "error: invalid_audience: the token's audience is not accepted\n\
         hint: the token has an aud claim and no audience was given: pass --aud AUDIENCE \
         (Supabase user tokens: --aud authenticated), or --any-aud to skip the check\n"
    );

    // An ES256 token with only a secret.
    let a = Asymmetric::new("hints.json");
    let (es256, es_now) = a.token("es256_user");
    let err = rejection(&["--secret", SECRET, "--aud", "authenticated", "--now", &es_now, &es256], None);
    assert_eq!(
        err,
        "error: unsupported_algorithm: the header's alg is not implemented or not the algorithm of the chosen key\n\
         hint: the token is ES256, signed with a private key: pass the issuer's public keys with --jwks FILE \
         (Supabase: https://<ref>.supabase.co/auth/v1/.well-known/jwks.json)\n"
    );
    // An alg that is not a JWS name is not repeated.
    let odd = format!("{}.{}", common::b64(br#"{"alg":"<script>","typ":"JWT"}"#), t.token.split_once('.').unwrap().1);
    let err = rejection(&join(&base, &["--secret", SECRET, "--any-aud", &odd]), None);
    assert!(err.ends_with("hint: the header's alg is missing or not a registered JWS algorithm name\n"), "{err}");
    assert!(!err.contains("script"), "{err}");

    // Which stage of a malformed token failed.
    let (head, rest) = t.token.split_once('.').unwrap();
    let (payload, sig) = rest.split_once('.').unwrap();
    for (token, hint) in [
        (format!("{head}.{payload}"), "the token has 2 segments; a JWS has 3 (header.payload.signature)"),
        (
            // Signed, so the check reaches the payload after the signature.
            common::sign_encoded(&common::b64(common::HEADER.as_bytes()), &format!("{payload}=")),
            "segment 2 (payload) is not unpadded base64url (RFC 7515 §2: A-Z a-z 0-9 - _, no padding)",
        ),
        (format!("{}.{payload}.{sig}", common::b64(b"[1]")), "the header is JSON but not an object"),
        (
            format!("{}.{payload}.{sig}", common::b64(b"{\"alg\"")),
            "the header is not valid JSON (or not strict base64url: nonzero trailing bits)",
        ),
        (format!("{}\n", t.token), "the input starts or ends with whitespace: pass the token alone"),
    ] {
        let test_secret = std::str::from_utf8(common::SECRET).unwrap();
        let err = rejection(&join(&base, &["--secret", test_secret, "--any-aud", &token]), None);
        assert!(err.starts_with("error: malformed: "), "{err}");
        assert!(err.ends_with(&format!("hint: {hint}\n")), "{hint}: {err}");
        assert!(!err.contains(payload), "{err}");
    }

    // A secret file that ends in a newline; a secret that looks like base64.
    let path = std::env::temp_dir().join(format!("jwtcheck-cli-{}-secret", std::process::id()));
    std::fs::write(&path, format!("{SECRET}\n")).unwrap();
    let err = rejection(&join(&base, &["--secret-file", path.to_str().unwrap(), "--any-aud", &t.token]), None);
    let _ = std::fs::remove_file(&path);
    assert!(err.starts_with("error: invalid_signature: "), "{err}");
    assert!(err.ends_with("hint: the secret ends with a newline, which is part of the key: remove it (e.g. printf '%s' \"$SECRET\" > file)\n"), "{err}");
    let err = rejection(
        &join(&base, &["--secret", "c3VwZXItc2VjcmV0LWp3dC10b2tlbi13aXRoLWF0LWxlYXN0LTMy", "--any-aud", &t.token]),
        None,
    );
    assert!(err.ends_with("hint: the secret looks like base64 and is used as its text bytes (as Supabase signs); if the issuer signs with the decoded bytes, pass it with --secret-base64\n"), "{err}");
    // A plain wrong secret gets no guess.
    let err =
        rejection(&join(&base, &["--secret", "another secret of at least 32 bytes!!!!", "--any-aud", &t.token]), None);
    assert_eq!(err, "error: invalid_signature: the signature does not match\n");

    // JSON carries the hint as a member.
    let out = run(&join(&base, &["--json", "--secret", SECRET, &t.token]), None);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["error"]["kind"], "invalid_audience");
    assert!(answer["error"]["hint"].as_str().unwrap().starts_with("the token has an aud claim"));
}

/// The line of `--explain`'s check list for `step`.
fn step_line<'a>(shown: &'a str, step: &str) -> &'a str {
    shown.lines().find(|l| l.split_whitespace().nth(1) == Some(step)).unwrap()
}

#[test]
fn explain_walks_every_check() {
    let t = email_user();
    let iat = t.iat.to_string();
    let out = run(&["--secret", SECRET, "--aud", "authenticated", "--now", &iat, "--explain", &t.token], None);
    assert_eq!(out.status.code(), Some(0));
    let shown = text(&out.stdout);
    assert!(shown.contains("payload (verified):"), "{shown}");
    for step in ["length", "segments", "header", "signature", "claims", "exp", "nbf", "iss", "aud"] {
        assert!(step_line(&shown, step).trim_start().starts_with("ok "), "{step}: {shown}");
    }
    assert!(shown.ends_with("verdict: accepted\n"), "{shown}");

    let exp = t.exp.to_string();
    let out = run(&["--secret", SECRET, "--aud", "authenticated", "--now", &exp, "--explain", &t.token], None);
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stdout);
    assert!(shown.contains("NOT VERIFIED"), "{shown}");
    let exp_line = step_line(&shown, "exp");
    assert!(
        exp_line.trim_start().starts_with("FAIL") && exp_line.contains("expired: the token has expired"),
        "{shown}"
    );
    assert!(
        step_line(&shown, "aud").trim_start().starts_with("--") && step_line(&shown, "aud").ends_with("not reached")
    );
    assert!(shown.ends_with("verdict: rejected (expired)\n"), "{shown}");

    let out = run(
        &["--secret", "another-secret-of-at-least-32-bytes!!!!", "--any-aud", "--now", &iat, "--explain", &t.token],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stdout);
    let sig_line = step_line(&shown, "signature");
    assert!(sig_line.trim_start().starts_with("FAIL"), "{shown}");
    assert!(shown.ends_with("verdict: rejected (invalid_signature)\n"), "{shown}");
}

#[test]
fn json_output_for_scripts() {
    let t = email_user();
    let iat = t.iat.to_string();
    let out = run(&["--secret", SECRET, "--aud", "authenticated", "--now", &iat, "--json", &t.token], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), format!("{{\"valid\":true,\"claims\":{}}}\n", t.payload));
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["claims"]["sub"], "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01");

    let out = run(&["--secret", SECRET, "--aud", "anon", "--now", &iat, "--json", &t.token], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "{\"valid\":false,\"error\":{\"kind\":\"invalid_audience\",\"message\":\"the token's audience is not accepted\"}}\n"
    );
    let out = run(&["--json", "--secret", SECRET, "--frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["error"]["kind"], "usage");
    assert_eq!(parsed["error"]["message"], "unknown option --frobnicate");
    let out = run(&["--json", "--explain", "--secret", SECRET, "x"], None);
    assert_eq!(out.status.code(), Some(2));
}

/// The Supabase-shaped asymmetric data: a JWKS file written for the CLI,
/// the legacy secret, and the tokens by name.
struct Asymmetric {
    jwks_path: PathBuf,
    data: serde_json::Value,
}

impl Asymmetric {
    fn new(file_name: &str) -> Self {
        let data: serde_json::Value = serde_json::from_str(include_str!("data/supabase-asymmetric.json")).unwrap();
        let jwks_path = std::env::temp_dir().join(format!("jwtcheck-cli-{}-{file_name}", std::process::id()));
        // The served JWKS with the fixture's Ed25519 key added (`okp_jwk`,
        // which signs `eddsa_user`).
        let mut jwks: serde_json::Value = serde_json::from_str(data["jwks_json"].as_str().unwrap()).unwrap();
        jwks["keys"].as_array_mut().unwrap().push(data["okp_jwk"].clone());
        std::fs::write(&jwks_path, jwks.to_string()).unwrap();
        Asymmetric { jwks_path, data }
    }

    fn token(&self, name: &str) -> (String, String) {
        let t = self.data["tokens"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap();
        (t["token"].as_str().unwrap().to_owned(), (t["exp"].as_u64().unwrap() - 1).to_string())
    }

    fn run(&self, extra: &[&str], name: &str) -> Output {
        let (token, now) = self.token(name);
        let jwks = self.jwks_path.to_str().unwrap();
        let mut args = vec!["--jwks", jwks, "--aud", "authenticated", "--now", &now];
        args.extend_from_slice(extra);
        args.push(&token);
        run(&args, None)
    }
}

impl Drop for Asymmetric {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.jwks_path);
    }
}

#[test]
fn jwks_and_legacy_secret_verify_every_supabase_token() {
    let a = Asymmetric::new("verdicts.json");
    let secret = a.data["legacy_secret"].as_str().unwrap().to_owned();
    for t in a.data["tokens"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        // The CLI builds jwtcheck with its default features: rs256 and eddsa on.
        let expect = t["expect"].as_str().unwrap();
        let expect = expect.strip_suffix(" with okp_jwk").unwrap_or(expect);
        let out = a.run(&["--secret", &secret], name);
        if expect == "accept" {
            assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
            assert_eq!(text(&out.stdout), format!("{}\n", t["payload"].as_str().unwrap()), "{name}");
        } else {
            assert_eq!(out.status.code(), Some(1), "{name}");
            assert!(text(&out.stderr).starts_with(&format!("error: {expect}: ")), "{name}: {}", text(&out.stderr));
        }
    }
    // Without the secret, the legacy token's kid is simply unknown.
    let out = a.run(&[], "hs256_legacy");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "error: unknown_key: no configured key matches the token's kid and alg\n");
}

#[test]
fn explain_shows_the_chosen_key_and_the_skipped_ones() {
    let a = Asymmetric::new("explain.json");
    let out = a.run(&["--explain"], "es256_user");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    // jwtcheck's default features: the RSA key loads too.
    assert!(!shown.contains("JWKS keys not loaded"), "every key loads: {shown}");
    let key = step_line(&shown, "key");
    assert!(
        key.trim_start().starts_with("ok ")
            && key.ends_with(
                "ES256 with kid \"5f1d7c2e-9a4b-4c3e-8d21-6b0e4f9a7c13\": the JWKS key \"5f1d7c2e-9a4b-4c3e-8d21-6b0e4f9a7c13\""
            ),
        "{shown}"
    );
    assert!(step_line(&shown, "signature").contains("ECDSA P-256"), "{shown}");
    assert!(shown.ends_with("verdict: accepted\n"), "{shown}");

    {
        let out = a.run(&["--explain"], "rs256_user");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let shown = text(&out.stdout);
        assert!(step_line(&shown, "signature").contains("RSASSA-PKCS1-v1_5 SHA-256"), "{shown}");
        assert!(
            step_line(&shown, "key").contains("RS256 with kid \"c3e07a4d-2b19-4f6e-9d85-1a7b2c3d4e5f\""),
            "{shown}"
        );
        assert!(shown.ends_with("verdict: accepted\n"), "{shown}");
    }

    let out = a.run(&["--explain"], "es256_unknown_kid");
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stdout);
    assert!(step_line(&shown, "key").trim_start().starts_with("FAIL"), "{shown}");
    assert!(step_line(&shown, "signature").ends_with("not reached"), "{shown}");
    assert!(shown.ends_with("verdict: rejected (unknown_key)\n"), "{shown}");

    let out = a.run(&["--explain"], "hs256_kid_of_ec_key");
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stdout);
    assert!(step_line(&shown, "key").trim_start().starts_with("FAIL"), "algorithm confusion is the key step: {shown}");
    assert!(shown.ends_with("verdict: rejected (unsupported_algorithm)\n"), "{shown}");

    // A key the import skips is listed with its reason.
    let mut jwks: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&a.jwks_path).unwrap()).unwrap();
    jwks["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "oct", "kid": "k1", "k": "c2VjcmV0"}));
    let path = std::env::temp_dir().join(format!("jwtcheck-cli-{}-with-oct.json", std::process::id()));
    std::fs::write(&path, jwks.to_string()).unwrap();
    let (token, now) = a.token("es256_user");
    let out =
        run(&["--jwks", path.to_str().unwrap(), "--aud", "authenticated", "--now", &now, "--explain", &token], None);
    std::fs::remove_file(&path).unwrap();
    let shown = text(&out.stdout);
    assert!(
        shown.contains("JWKS keys not loaded:\n  key #4 \"k1\": kty oct: an HMAC secret is never taken from a JWKS\n"),
        "{shown}"
    );
}

#[test]
fn a_jwks_that_does_not_load_exits_2() {
    let path = std::env::temp_dir().join(format!("jwtcheck-cli-{}-bad.json", std::process::id()));
    std::fs::write(&path, r#"{"keys":{}}"#).unwrap();
    let out = run(&["--jwks", path.to_str().unwrap(), "x.y.z"], None);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: invalid_jwks: the JWKS is not a valid key set document or holds more keys than the set's capacity\n"
    );
    let out = run(&["--jwks", "/nonexistent/jwks.json", "x.y.z"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("error: usage: cannot read /nonexistent/jwks.json: "),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_shipped_sample_jwks_is_the_supabase_document() {
    let data: serde_json::Value = serde_json::from_str(include_str!("data/supabase-asymmetric.json")).unwrap();
    let shipped = include_str!("../supabase-jwks.json");
    assert_eq!(shipped, format!("{}\n", data["jwks_json"].as_str().unwrap()));
}
