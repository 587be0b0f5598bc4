//! The verdicts of jwtcheck, jsonwebtoken and jwt-simple on edge cases, as a
//! Markdown table for the README's comparison: `cargo run -p jwtcheck-bench
//! --bin edge_cases`. Every token is signed with the right key, so each row
//! shows what a verifier accepts from a holder of the key or an attacker who
//! can only reshape text.

use jwtcheck_bench::{AUDIENCE, ISSUER, JsonWebToken, JwtSimple, Jwtcheck, SUPABASE_SECRET, b64, now, sign};

fn main() {
    let (jwtcheck, jsonwebtoken, jwt_simple) = (Jwtcheck::default(), JsonWebToken::default(), JwtSimple::default());
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let claims =
        |exp: &str, extra: &str| format!(r#"{{"iss":"{ISSUER}","sub":"u","aud":"{AUDIENCE}","exp":{exp}{extra}}}"#);
    loop {
        let t = now();
        let future = (t + 3600).to_string();
        let good = sign(SUPABASE_SECRET, header, &claims(&future, ""));
        let (good_h, rest) = good.split_once('.').expect("three segments");
        let (good_p, good_s) = rest.split_once('.').expect("three segments");
        let mut padded_sig = good_s.to_owned();
        padded_sig.push('=');
        let cases: Vec<(&str, String)> = vec![
            ("valid token", good.clone()),
            ("`exp` equal to now (RFC 7519: expired)", sign(SUPABASE_SECRET, header, &claims(&t.to_string(), ""))),
            ("`exp` as a string", sign(SUPABASE_SECRET, header, &claims(&format!("\"{future}\""), ""))),
            ("`exp` as a fraction, now - 0.5", sign(SUPABASE_SECRET, header, &claims(&format!("{}.5", t - 1), ""))),
            (
                "duplicate `exp` (past, then future)",
                sign(SUPABASE_SECRET, header, &claims(&(t - 10).to_string(), &format!(r#","exp":{future}"#))),
            ),
            (
                "duplicate `aud` written with an escape",
                sign(SUPABASE_SECRET, header, &claims(&future, r#","\u0061ud":"someone-else""#)),
            ),
            ("header is the array `[\"HS256\"]`", sign(SUPABASE_SECRET, r#"["HS256"]"#, &claims(&future, ""))),
            (
                "header `crit` with an unknown extension",
                sign(SUPABASE_SECRET, r#"{"alg":"HS256","crit":["x"],"x":1}"#, &claims(&future, "")),
            ),
            (
                "invalid JSON in an ignored claim (`tru`)",
                sign(SUPABASE_SECRET, header, &claims(&future, r#","x":tru"#)),
            ),
            (
                "lone surrogate `\\ud800` in a claim",
                sign(SUPABASE_SECRET, header, &claims(&future, r#","x":"\ud800""#)),
            ),
            ("bytes after the payload object", sign(SUPABASE_SECRET, header, &format!("{} x", claims(&future, "")))),
            ("signature with `=` padding", format!("{good_h}.{good_p}.{padded_sig}")),
            ("header with `=` padding", {
                let h = format!("{}==", b64(b"{\"alg\":\"HS256\",\"typ\":\"JWT\"} "));
                let signing_input = format!("{h}.{good_p}");
                let mut mac = jwtcheck_bench::floor_key(SUPABASE_SECRET);
                hmac::Mac::update(&mut mac, signing_input.as_bytes());
                format!("{signing_input}.{}", b64(&hmac::Mac::finalize(mac).into_bytes()))
            }),
        ];
        if now() != t {
            continue; // a second boundary passed while signing: `exp == now` would be wrong
        }
        let verdicts: Vec<(&str, bool, bool, bool)> = cases
            .iter()
            .map(|(name, token)| {
                (*name, jwtcheck.verify(token, t), jsonwebtoken.verify(token), jwt_simple.verify(token))
            })
            .collect();
        if now() != t {
            continue;
        }
        let mark = |accepted: bool| if accepted { "accepted" } else { "rejected" };
        println!("| token (signed with the right key) | jwtcheck | jsonwebtoken 11 | jwt-simple 0.15 |");
        println!("| --- | --- | --- | --- |");
        for (name, a, b, c) in verdicts {
            println!("| {name} | {} | {} | {} |", mark(a), mark(b), mark(c));
        }
        return;
    }
}
