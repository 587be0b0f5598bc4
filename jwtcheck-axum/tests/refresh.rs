//! The key source against a local JWKS server over real HTTP: rotation,
//! the unknown-`kid` cooldown, `max-age`, outages (failing, unreachable,
//! hanging servers), legacy HS256 tokens, and documents that are not a
//! usable JWKS. Every case asserts the exact verdicts, the server's request
//! count and the counters.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use jwtcheck_axum::jwtcheck::Error;
use jwtcheck_axum::{Auth, FetchError, VerifyError};

/// Verifies `token` and returns the `sub` it carries.
async fn verdict(auth: &Auth, token: &str) -> Result<String, VerifyError> {
    auth.verify(token).await.map(|claims| claims.sub().unwrap().to_string())
}

fn ok() -> Result<String, VerifyError> {
    Ok(SUB.to_owned())
}

const UNKNOWN_KEY: Result<String, VerifyError> = Err(VerifyError::Invalid(Error::UnknownKey));
const UNAVAILABLE: Result<String, VerifyError> = Err(VerifyError::Unavailable);

/// Verifies every token at once, each in a task of its own, and returns the
/// verdicts in order.
async fn flood(auth: &Auth, tokens: &[String]) -> Vec<Result<String, VerifyError>> {
    let tasks: Vec<_> = tokens
        .iter()
        .map(|token| {
            let (auth, token) = (auth.clone(), token.clone());
            tokio::spawn(async move { verdict(&auth, &token).await })
        })
        .collect();
    let mut verdicts = Vec::with_capacity(tasks.len());
    for task in tasks {
        verdicts.push(task.await.unwrap());
    }
    verdicts
}

/// `n` tokens as a flood would bring them: each names a random `kid` no
/// JWKS lists, and carries a well-formed ES256 signature (r and s in range)
/// over other bytes. No key is ever found for them, so no signature is
/// checked; one signing keeps minting cheap in debug builds.
fn unknown_kid_tokens(server: &JwksServer, n: usize) -> Vec<String> {
    let signature = Es256Signer::generate().sign(&server.claims());
    let signature = signature.rsplit('.').next().unwrap();
    let payload = b64(server.claims().as_bytes());
    (0..n)
        .map(|_| {
            let header = format!(r#"{{"alg":"ES256","kid":"{}","typ":"JWT"}}"#, random_kid());
            format!("{}.{payload}.{signature}", b64(header.as_bytes()))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_in_key_costs_one_refetch_then_verifies() {
    let old = Es256Signer::generate();
    let server = JwksServer::start(jwks(&[&old])).await;
    let cooldown = Duration::from_secs(1);
    let auth = server.auth().cooldown(cooldown).build().unwrap();
    assert_eq!(auth.load().await.unwrap(), 1);
    let first = auth.source().current().unwrap();
    assert_eq!(verdict(&auth, &old.sign(&server.claims())).await, ok());

    let new = server.rotate();
    let new_token = new.sign(&server.claims());
    // Within the cooldown of the load: refused at once, nothing fetched.
    assert_eq!(verdict(&auth, &new_token).await, UNKNOWN_KEY);
    assert_eq!(server.requests(), 1);

    sleep_past(first.fetched + cooldown).await;
    assert_eq!(verdict(&auth, &new_token).await, ok());
    assert_eq!(server.requests(), 2, "one refetch");
    assert_eq!(verdict(&auth, &new_token).await, ok());
    // The rotated-out key went with the old set (swapped whole); within
    // the new cooldown its token is refused without a fetch.
    assert_eq!(verdict(&auth, &old.sign(&server.claims())).await, UNKNOWN_KEY);
    assert_eq!(server.requests(), 2);

    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.fetches_failed, stats.unknown_key_refetches), (2, 0, 1));
    assert_eq!((stats.accepted, stats.rejected("unknown_key")), (3, 2));
    // Nothing from a token is ever sent: each request is the same GET.
    assert_eq!(server.request_lines(), vec![format!("GET {JWKS_PATH} HTTP/1.1"); 2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_of_a_rotated_in_key_share_the_refetch_in_flight() {
    let server = JwksServer::start(jwks(&[&Es256Signer::generate()])).await;
    let cooldown = Duration::from_secs(1);
    let auth =
        server.auth().cooldown(cooldown).timeouts(Duration::from_secs(1), Duration::from_secs(5)).build().unwrap();
    assert_eq!(auth.load().await.unwrap(), 1);
    let loaded = auth.source().current().unwrap();
    let new = server.rotate();
    let token = new.sign(&server.claims());
    // The refetch is held until the second request has arrived.
    server.set_mode(Mode::Hang);
    sleep_past(loaded.fetched + cooldown).await;

    let verify = |auth: &Auth| {
        let (auth, token) = (auth.clone(), token.clone());
        tokio::spawn(async move { tokio::time::timeout(Duration::from_secs(5), verdict(&auth, &token)).await })
    };
    let first = verify(&auth);
    eventually("the refetch", Duration::from_secs(5), || server.requests() == 2).await;
    // Within the cooldown the first one started, while it is in flight: this
    // one waits for its keys rather than refusing a token of the new key.
    let second = verify(&auth);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!second.is_finished(), "answered before the refetch in flight: {:?}", second.await);
    server.set_mode(Mode::Serve);
    assert_eq!(first.await.unwrap(), Ok(ok()));
    assert_eq!(second.await.unwrap(), Ok(ok()));
    assert_eq!(server.requests(), 2);
    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.unknown_key_refetches, stats.accepted), (2, 1, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_kid_flood_at_start_up_costs_one_fetch() {
    let server = JwksServer::start(jwks(&[&Es256Signer::generate()])).await;
    // No load: the first requests find no key set, and share one fetch.
    let auth = server.auth().cooldown(Duration::from_secs(30)).build().unwrap();
    let tokens = unknown_kid_tokens(&server, 1000);

    let verdicts = flood(&auth, &tokens).await;
    assert_eq!(verdicts, vec![UNKNOWN_KEY; 1000]);
    assert_eq!(server.requests(), 1);

    // Within the cooldown another flood is answered without a fetch.
    let verdicts = flood(&auth, &unknown_kid_tokens(&server, 1000)).await;
    assert_eq!(verdicts, vec![UNKNOWN_KEY; 1000]);
    assert_eq!(server.requests(), 1);

    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.fetches_failed), (1, 0));
    // The fetch was for a missing key set, not an unknown kid's refetch.
    assert_eq!(stats.unknown_key_refetches, 0);
    assert_eq!((stats.accepted, stats.rejected("unknown_key"), stats.unavailable), (0, 2000, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_kid_flood_costs_one_refetch_per_cooldown() {
    let server = JwksServer::start(jwks(&[&Es256Signer::generate()])).await;
    let cooldown = Duration::from_secs(2);
    let auth = server.auth().cooldown(cooldown).build().unwrap();
    assert_eq!(auth.load().await.unwrap(), 1);
    let loaded = auth.source().current().unwrap();
    let tokens = unknown_kid_tokens(&server, 1000);

    // Within the cooldown of the load: no fetch, no refetch counted.
    assert_eq!(flood(&auth, &tokens).await, vec![UNKNOWN_KEY; 1000]);
    assert_eq!(server.requests(), 1);
    assert_eq!(auth.stats().unknown_key_refetches, 0);

    sleep_past(loaded.fetched + cooldown).await;
    let started = Instant::now();
    let verdicts = flood(&auth, &tokens).await;
    let took = started.elapsed();
    assert_eq!(verdicts, vec![UNKNOWN_KEY; 1000]);
    assert_eq!(server.requests(), 2, "one shared refetch (the flood took {took:?}, the cooldown is {cooldown:?})");
    // Every request that found the cooldown over waited for that one fetch.
    let refetches = auth.stats().unknown_key_refetches;
    assert!((1..=1000).contains(&refetches), "{refetches}");

    // The refetch restarted the cooldown.
    assert_eq!(flood(&auth, &tokens).await, vec![UNKNOWN_KEY; 1000]);
    assert_eq!(server.requests(), 2);
    let stats = auth.stats();
    assert_eq!(stats.unknown_key_refetches, refetches);
    assert_eq!((stats.fetches_ok, stats.fetches_failed, stats.rejected("unknown_key")), (2, 0, 3000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_age_is_honoured_then_refreshed_in_the_background() {
    let signer = Es256Signer::generate();
    let server = JwksServer::start(jwks(&[&signer])).await;
    server.set_max_age(1);
    let auth = server
        .auth()
        .cooldown(Duration::from_millis(100))
        .max_age_bounds(Duration::from_secs(1), Duration::from_secs(3600))
        .stale_for(Duration::from_secs(60))
        .build()
        .unwrap();
    let token = signer.sign(&server.claims());
    assert_eq!(auth.load().await.unwrap(), 1);
    let first = auth.source().current().unwrap();
    assert_eq!(first.fresh_until - first.fetched, Duration::from_secs(1));
    assert_eq!(first.usable_until - first.fresh_until, Duration::from_secs(60));

    // Fresh, and past the cooldown: no refetch before max-age.
    assert_eq!(verdict(&auth, &token).await, ok());
    tokio::time::sleep_until((first.fetched + Duration::from_millis(400)).into()).await;
    assert_eq!(verdict(&auth, &token).await, ok());
    assert_eq!(server.requests(), 1);

    // Past max-age: the request is answered with the set it has, and a
    // refresh starts in the background.
    sleep_past(first.fresh_until).await;
    assert_eq!(verdict(&auth, &token).await, ok());
    eventually("the background refresh", Duration::from_secs(5), || auth.stats().fetches_ok == 2).await;
    assert_eq!(server.requests(), 2);
    let second = auth.source().current().unwrap();
    assert!(second.fetched > first.fetched);
    assert_eq!(second.fresh_until - second.fetched, Duration::from_secs(1));

    // The new set is fresh: no more fetches.
    assert_eq!(verdict(&auth, &token).await, ok());
    assert_eq!(server.requests(), 2);
    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.fetches_failed, stats.unknown_key_refetches, stats.accepted), (2, 0, 0, 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_age_is_clamped_to_the_bounds() {
    let server = JwksServer::start(jwks(&[&Es256Signer::generate()])).await;
    let stale_for = Duration::from_secs(7);
    let auth = server
        .auth()
        .max_age_bounds(Duration::from_secs(2), Duration::from_secs(5))
        .default_max_age(Duration::from_secs(3))
        .stale_for(stale_for)
        .build()
        .unwrap();
    let secs = Duration::from_secs;
    let rows = [
        (Some("public, max-age=1"), secs(2)),
        (Some("public, max-age=4"), secs(4)),
        (Some("public, max-age=86400"), secs(5)),
        (Some("public, max-age=0"), secs(2)),
        (None, secs(3)),
        (Some("public"), secs(3)),
        (Some("max-age=soon"), secs(3)),
        (Some("no-cache"), secs(2)),
        (Some("no-store, max-age=600"), secs(2)),
    ];
    for (cache_control, fresh_for) in rows {
        server.set_cache_control(cache_control);
        // load ignores the cooldown: one fetch each.
        assert_eq!(auth.load().await.unwrap(), 1, "{cache_control:?}");
        let loaded = auth.source().current().unwrap();
        assert_eq!(loaded.fresh_until - loaded.fetched, fresh_for, "{cache_control:?}");
        assert_eq!(loaded.usable_until - loaded.fresh_until, stale_for, "{cache_control:?}");
    }
    assert_eq!(server.requests(), rows.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_down_server_leaves_the_last_good_set_until_the_stale_limit() {
    let signer = Es256Signer::generate();
    let server = JwksServer::start(jwks(&[&signer])).await;
    server.set_max_age(1);
    let cooldown = Duration::from_millis(500);
    let auth = server
        .auth()
        .cooldown(cooldown)
        .max_age_bounds(Duration::from_secs(1), Duration::from_secs(3600))
        .stale_for(Duration::from_secs(1))
        .build()
        .unwrap();
    let token = signer.sign(&server.claims());
    let legacy = hs256(&legacy_secret(), None, &server.claims());
    assert_eq!(auth.load().await.unwrap(), 1);
    let loaded = auth.source().current().unwrap();
    assert_eq!(loaded.usable_until - loaded.fetched, Duration::from_secs(2));
    server.set_mode(Mode::Fail);

    // Stale: still verifying, while the background refresh fails.
    sleep_past(loaded.fresh_until).await;
    assert_eq!(verdict(&auth, &token).await, ok());
    eventually("the failed refresh", Duration::from_secs(5), || auth.stats().fetches_failed == 1).await;
    assert_eq!(verdict(&auth, &token).await, ok(), "the last good set, within its stale limit");
    assert_eq!(server.requests(), 2, "no retry within the cooldown");

    // Past the limit: closed for tokens that need the JWKS. The first one
    // tries a fetch (the cooldown is over), the next one does not.
    sleep_past(loaded.usable_until).await;
    assert_eq!(verdict(&auth, &token).await, UNAVAILABLE);
    let last_fetch = Instant::now();
    assert_eq!(server.requests(), 3);
    assert_eq!(verdict(&auth, &token).await, UNAVAILABLE);
    assert_eq!(verdict(&auth, &legacy).await, ok(), "HS256 needs no JWKS");
    assert_eq!(server.requests(), 3);
    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.fetches_failed, stats.unavailable), (1, 2, 2));
    assert_eq!((stats.accepted, stats.rejected("unavailable")), (3, 2));

    // Back up: the next request after the cooldown fetches and verifies.
    server.set_mode(Mode::Serve);
    sleep_past(last_fetch + cooldown).await;
    assert_eq!(verdict(&auth, &token).await, ok());
    assert_eq!(server.requests(), 4);
    assert_eq!((auth.stats().fetches_ok, auth.stats().fetches_failed), (2, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_server_gives_unavailable_but_legacy_tokens_verify() {
    let server = JwksServer::start(jwks(&[&Es256Signer::generate()])).await;
    server.set_mode(Mode::Fail);
    let auth = server.auth().cooldown(Duration::from_secs(30)).build().unwrap();
    let es256 = Es256Signer::generate().sign(&server.claims());
    let legacy = hs256(&legacy_secret(), Some(&legacy_kid()), &server.claims());
    let forged = hs256("a-secret-that-is-not-the-projects-secret!", None, &server.claims());

    assert_eq!(verdict(&auth, &es256).await, UNAVAILABLE);
    assert_eq!(server.requests(), 1);
    assert_eq!(verdict(&auth, &legacy).await, ok());
    assert_eq!(verdict(&auth, &forged).await, Err(VerifyError::Invalid(Error::InvalidSignature)));
    assert_eq!(verdict(&auth, &es256).await, UNAVAILABLE, "within the cooldown: no fetch");
    assert_eq!(server.requests(), 1, "HS256 tokens need no fetch");

    // load ignores the cooldown.
    assert!(matches!(auth.load().await, Err(FetchError::Status(500))));
    assert_eq!(server.requests(), 2);
    assert!(auth.source().current().is_none());
    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.fetches_failed, stats.unavailable), (0, 2, 2));
    assert_eq!((stats.accepted, stats.rejected("invalid_signature")), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_gives_unavailable_but_legacy_tokens_verify() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let auth = Auth::supabase(&base)
        .allow_http_loopback()
        .legacy_secret(Some(legacy_secret()))
        .timeouts(Duration::from_secs(1), Duration::from_secs(2))
        .build()
        .unwrap();
    let es256 = Es256Signer::generate().sign(&claims(&base));

    assert_eq!(verdict(&auth, &es256).await, UNAVAILABLE);
    assert_eq!(verdict(&auth, &hs256(&legacy_secret(), None, &claims(&base))).await, ok());
    assert!(matches!(auth.load().await, Err(FetchError::Http(ref e)) if e.is_connect()));
    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.fetches_failed, stats.unavailable, stats.accepted), (0, 2, 1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_server_does_not_block_known_keys() {
    let signer = Es256Signer::generate();
    let server = JwksServer::start(jwks(&[&signer])).await;
    server.set_max_age(1);
    let total = Duration::from_secs(1);
    let auth = server
        .auth()
        .cooldown(Duration::from_millis(200))
        .max_age_bounds(Duration::from_secs(1), Duration::from_secs(3600))
        .stale_for(Duration::from_secs(60))
        .timeouts(Duration::from_secs(1), total)
        .build()
        .unwrap();
    let token = signer.sign(&server.claims());
    assert_eq!(auth.load().await.unwrap(), 1);
    let loaded = auth.source().current().unwrap();
    server.set_mode(Mode::Hang);
    sleep_past(loaded.fresh_until).await;

    // A regression that waited for the fetch fails here instead of hanging
    // the suite.
    let within = Duration::from_secs(5);
    let verify = async || tokio::time::timeout(within, verdict(&auth, &token)).await.expect("verify blocked");
    assert_eq!(verify().await, ok());
    assert_eq!(auth.stats().fetches_failed, 0, "answered without waiting for the refresh");
    eventually("the refresh request", within, || server.requests() == 2).await;
    assert_eq!(verify().await, ok());
    // Both answered while the refresh still hung.
    assert_eq!(auth.stats().fetches_failed, 0, "answered while the refresh hangs");
    assert_eq!(server.hangs(), Vec::<Duration>::new());

    // The refresh ends at the total timeout.
    eventually("the refresh timing out", within, || auth.stats().fetches_failed == 1).await;
    eventually("the hang up", within, || server.hangs().len() == 1).await;
    let hung = server.hangs()[0];
    assert!(hung >= total - Duration::from_millis(200) && hung < total + Duration::from_millis(800), "{hung:?}");
    assert!(Arc::ptr_eq(&auth.source().current().unwrap(), &loaded), "the last good set stays");

    // The same timeout, seen from load.
    let started = Instant::now();
    let result = auth.load().await;
    let took = started.elapsed();
    assert!(matches!(result, Err(FetchError::Http(ref e)) if e.is_timeout()), "{result:?}");
    assert!(took >= total && took < total + Duration::from_secs(1), "{took:?}");
    assert_eq!(server.requests(), 3);
    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.fetches_failed, stats.accepted), (1, 2, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_tokens_verify_through_a_rotation() {
    let server = JwksServer::start(fixture_jwks()).await;
    let cooldown = Duration::from_secs(1);
    let auth = server.auth().cooldown(cooldown).build().unwrap();
    assert_eq!(auth.load().await.unwrap(), 3, "the fixture's two ES256 keys and its RS256 key");
    let loaded = auth.source().current().unwrap();
    let old = Es256Signer::fixture();
    let secret = legacy_secret();
    let wrong = "not-the-legacy-secret-but-just-as-long!!";
    let legacy = [
        hs256(&secret, None, &server.claims()),
        hs256(&secret, Some(&legacy_kid()), &server.claims()),
        hs256(&secret, Some(&random_kid()), &server.claims()),
    ];
    let forged = [hs256(wrong, None, &server.claims()), hs256(wrong, Some(&legacy_kid()), &server.claims())];
    let invalid_signature = Err(VerifyError::Invalid(Error::InvalidSignature));

    for token in &legacy {
        assert_eq!(verdict(&auth, token).await, ok());
    }
    for token in &forged {
        assert_eq!(verdict(&auth, token).await, invalid_signature);
    }
    // An HS256 token naming an ES256 key's kid is never MAC'd (algorithm
    // confusion).
    let confused = hs256(&secret, Some(&old.kid), &server.claims());
    assert_eq!(verdict(&auth, &confused).await, Err(VerifyError::Invalid(Error::UnsupportedAlgorithm)));
    assert_eq!(verdict(&auth, &old.sign(&server.claims())).await, ok());

    let new = server.rotate();
    sleep_past(loaded.fetched + cooldown).await;
    // HS256 tokens, with a kid the JWKS does not list or none, go to the
    // legacy key: no refetch.
    for token in &legacy {
        assert_eq!(verdict(&auth, token).await, ok());
    }
    assert_eq!(server.requests(), 1);
    assert_eq!(verdict(&auth, &new.sign(&server.claims())).await, ok());
    assert_eq!(server.requests(), 2);
    for token in &legacy {
        assert_eq!(verdict(&auth, token).await, ok());
    }
    for token in &forged {
        assert_eq!(verdict(&auth, token).await, invalid_signature);
    }
    assert_eq!(verdict(&auth, &old.sign(&server.claims())).await, UNKNOWN_KEY, "rotated out");
    assert_eq!(server.requests(), 2);
    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.unknown_key_refetches, stats.accepted), (2, 1, 11));
    assert_eq!((stats.rejected("invalid_signature"), stats.rejected("unsupported_algorithm")), (4, 1));
}

/// A fresh `Auth` against `server` (default cooldown), one load: its error.
async fn failed_load(server: &JwksServer, max_body: Option<usize>) -> FetchError {
    let mut builder = server.auth();
    if let Some(max_body) = max_body {
        builder = builder.max_body(max_body);
    }
    let auth = builder.build().unwrap();
    let requests = server.requests();
    let error = auth.load().await.unwrap_err();
    assert_eq!(server.requests(), requests + 1);
    let stats = auth.stats();
    assert_eq!((stats.fetches_ok, stats.fetches_failed), (0, 1), "{error:?}");
    assert!(auth.source().current().is_none(), "{error:?}");
    // No keys: an ES256 token fails closed (no fetch within the cooldown).
    let token = Es256Signer::fixture().sign(&server.claims());
    assert_eq!(verdict(&auth, &token).await, UNAVAILABLE);
    assert_eq!(server.requests(), requests + 1);
    error
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_max_body_is_a_failed_fetch() {
    let jwks = fixture_jwks().into_bytes();
    assert!(jwks.len() > 512, "several chunks when chunked");
    let server = JwksServer::start(fixture_jwks()).await;
    for mode in [Mode::Body(jwks.clone()), Mode::Chunked(jwks.clone())] {
        server.set_mode(mode.clone());
        // Exactly at the limit: loaded.
        let auth = server.auth().max_body(jwks.len()).build().unwrap();
        assert_eq!(auth.load().await.unwrap(), 3);
        // One byte over, announced by Content-Length or found while reading.
        let error = failed_load(&server, Some(jwks.len() - 1)).await;
        assert!(matches!(error, FetchError::TooLarge), "{mode:?}: {error:?}");
        // The default limit, jwtcheck's.
        let mut padded = jwks.clone();
        padded.resize(jwtcheck_axum::jwtcheck::MAX_JWKS_LEN + 1, b' ');
        server.set_mode(match mode {
            Mode::Body(_) => Mode::Body(padded),
            _ => Mode::Chunked(padded),
        });
        let error = failed_load(&server, None).await;
        assert!(matches!(error, FetchError::TooLarge), "{error:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_a_jwks_is_a_failed_fetch() {
    let server = JwksServer::start(fixture_jwks()).await;
    let seventeen: Vec<Es256Signer> = (0..17).map(|_| Es256Signer::generate()).collect();
    let bodies: [(&str, Vec<u8>); 7] = [
        ("html", b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec()),
        ("empty", Vec::new()),
        ("not UTF-8", [br#"{"keys":[""#.as_slice(), &[0xff, 0xfe], br#""]}"#].concat()),
        ("keys not an array", br#"{"keys":{}}"#.to_vec()),
        ("a JWK, not a JWKS", Es256Signer::generate().jwk().into_bytes()),
        ("trailing bytes", [fixture_jwks().as_bytes(), b"}"].concat()),
        ("17 keys", jwks(&seventeen.iter().collect::<Vec<_>>()).into_bytes()),
    ];
    for (what, body) in bodies {
        server.set_mode(Mode::Body(body));
        let error = failed_load(&server, None).await;
        assert!(matches!(error, FetchError::Jwks(Error::InvalidJwks)), "{what}: {error:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_not_followed() {
    let server = JwksServer::start(fixture_jwks()).await;
    for status in [301, 302, 307, 308] {
        server.set_mode(Mode::Redirect(status));
        let error = failed_load(&server, None).await;
        assert!(matches!(error, FetchError::Status(s) if s == status), "{status}: {error:?}");
    }
    // The target serves keys, and was never asked.
    assert_eq!(server.request_lines(), vec![format!("GET {JWKS_PATH} HTTP/1.1"); 4]);
}
