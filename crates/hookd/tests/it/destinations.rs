//! Destinations beyond HTTP on the real binary: a real `redis-server` receives signed stream
//! entries (and a stopped one is retried and shown in the history); `poll` webhooks keep
//! their deliveries until a consumer pulls them, at least once.

use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use hookd_testkit::TempRedis;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;

/// Verifies a message's Standard Webhooks signature as a consumer would.
fn verify(secret: &str, headers: &[(String, String)], body: &[u8]) {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
    }
    standardwebhooks::Webhook::new(secret).unwrap().verify(body, &map).expect("the signature verifies");
}

/// The stream's entries as (ID, fields), once there are `n`.
pub(crate) fn entries(redis: &TempRedis, stream: &str, n: usize) -> Vec<(String, Vec<(String, String)>)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out: Value = serde_json::from_str(&redis.cli(&["XRANGE", stream, "-", "+"])).unwrap_or(Value::Null);
        let got: Vec<(String, Vec<(String, String)>)> = out
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                let fields: Vec<String> =
                    e[1].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_owned()).collect();
                let pairs = fields.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
                (e[0].as_str().unwrap().to_owned(), pairs)
            })
            .collect();
        if got.len() >= n {
            return got;
        }
        assert!(Instant::now() < deadline, "the stream never had {n} entries: {out}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn redis_streams_get_signed_entries_and_a_stopped_server_is_retried() {
    let mut redis = TempRedis::start();
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let destination = json!({"type": "redis", "url": redis.url(), "stream": "events"});
    let w = app
        .create_webhook(&org, json!({"name": "Stream", "event_types": ["user.created"], "destination": destination}))
        .await;
    let (wid, secret) = (w["id"].as_str().unwrap(), w["signing"]["secret"].as_str().unwrap().to_owned());
    let shown = w["destination"]["url"].as_str().unwrap();
    assert!(!shown.contains(&redis.password) && shown.contains("****"), "the password is masked: {shown}");
    assert_eq!(
        w["url"],
        format!("redis://:{}@127.0.0.1:{}#events", shown.split([':', '@']).nth(2).unwrap(), redis.port)
    );

    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let (id, fields) = entries(&redis, "events", 1).remove(0);
    let (body, headers): (Vec<_>, Vec<_>) = fields.into_iter().partition(|(k, _)| k == "body");
    verify(&secret, &headers, body[0].1.as_bytes());
    let sent: Value = serde_json::from_str(&body[0].1).unwrap();
    assert_eq!((sent["type"].clone(), sent["payload"].clone()), (json!("user.created"), json!({"n": 1})));
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 1).await;
    assert_eq!((attempts[0]["succeeded"].clone(), attempts[0]["response_status"].clone()), (json!(true), Value::Null));
    for file in ["hookd.db", "hookd.db-wal"] {
        let held = crate::security::file_contains(&app.data_dir.join(file), &redis.password);
        assert!(!held, "{file} holds the Redis password in plain text");
    }
    let (_, attempt) = app
        .call("GET", &format!("/orgs/{}/attempts/{}", org.id, attempts[0]["id"].as_str().unwrap()), &org.token, None)
        .await;
    assert!(attempt["response_body"].as_str().unwrap().contains(&id), "the entry ID is in the history: {attempt}");

    // The destination sent back as shown (masked) keeps the password.
    let (s, edited) = app
        .call(
            "PATCH",
            &format!("/orgs/{}/webhooks/{wid}", org.id),
            &org.token,
            Some(json!({"destination": w["destination"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 2}})).await;
    assert_eq!(entries(&redis, "events", 2).len(), 2);

    // A stopped server refuses: the delivery is retried, the history says why.
    redis.stop();
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 3}})).await;
    let attempts = app.attempts_until(&org, wid, |a| a.iter().any(|a| a["error"]["kind"] == "refused")).await;
    let refused = attempts.iter().find(|a| a["error"]["kind"] == "refused").unwrap();
    assert_eq!(refused["succeeded"], false, "{refused}");
}

#[tokio::test]
async fn destinations_are_checked_and_name_the_field() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let cases = [
        (json!({"destination": {"type": "redis", "url": "ftp://x", "stream": "s"}}), "destination.url"),
        (json!({"destination": {"type": "redis", "url": "redis://127.0.0.1", "stream": ""}}), "destination.stream"),
        (
            json!({"destination": {"type": "redis", "url": "redis://127.0.0.1", "stream": "s"}, "url": "https://a.example"}),
            "url",
        ),
        (json!({"destination": {"type": "kafka"}}), "destination"),
        (json!({}), "url"),
    ];
    for (extra, field) in cases {
        let mut body = json!({"name": "Bad", "event_types": ["user.created"]});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, p) = app.call("POST", &format!("/orgs/{}/webhooks", org.id), &org.token, Some(body.clone())).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {p}");
        let named = p.to_string();
        assert!(named.contains(&format!("\"{field}")), "{body} → {p} should name {field}");
    }
}

#[tokio::test]
async fn poll_webhooks_keep_deliveries_until_their_consumer_acknowledges_them() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let w = app
        .create_webhook(
            &org,
            json!({"name": "Pulled", "event_types": ["user.created"], "destination": {"type": "poll"}}),
        )
        .await;
    let (wid, secret) = (w["id"].as_str().unwrap(), w["signing"]["secret"].as_str().unwrap().to_owned());
    assert_eq!((w["url"].clone(), w["destination"].clone()), (json!("poll"), json!({"type": "poll"})));
    for n in 0..3 {
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }
    let poll = |query: String| {
        let path = format!("/orgs/{}/webhooks/{wid}/poll{query}", org.id);
        let app = &app;
        let token = org.token.clone();
        async move { app.call("GET", &path, &token, None).await }
    };
    let (s, page) = poll("?limit=2".into()).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!((page["data"].as_array().unwrap().len(), page["done"].clone()), (2, json!(false)));
    for m in page["data"].as_array().unwrap() {
        let headers: Vec<(String, String)> =
            m["headers"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().into())).collect();
        verify(&secret, &headers, m["body"].as_str().unwrap().as_bytes());
        assert_eq!(m["headers"]["webhook-id"], m["id"]);
    }
    let ns = |p: &Value| -> Vec<i64> {
        p["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                serde_json::from_str::<Value>(m["body"].as_str().unwrap()).unwrap()["payload"]["n"].as_i64().unwrap()
            })
            .collect()
    };
    assert_eq!(ns(&page), vec![0, 1], "oldest first");
    // Without the iterator nothing is acknowledged: the same messages again (at least once).
    let (_, again) = poll("?limit=2".into()).await;
    assert_eq!(ns(&again), vec![0, 1]);
    let it = page["iterator"].as_str().unwrap();
    let (_, rest) = poll(format!("?iterator={it}")).await;
    assert_eq!((ns(&rest), rest["done"].clone()), (vec![2], json!(true)));
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 2).await;
    assert!(attempts.iter().all(|a| a["succeeded"] == true), "{attempts:?}");
    let it = rest["iterator"].as_str().unwrap();
    let (_, empty) = poll(format!("?iterator={it}")).await;
    assert_eq!((ns(&empty), empty["done"].clone(), empty["iterator"].clone()), (vec![], json!(true), json!(it)));
    app.attempts_until(&org, wid, |a| a.len() == 3).await;
    app.wait_idle().await;

    // Errors: a bad iterator or limit, a webhook that pushes.
    let (s, p) = poll("?iterator=nope".into()).await;
    assert_eq!((s, p["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("iterator")), "{p}");
    let (s, p) = poll("?limit=1000".into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let pushed = app
        .create_webhook(
            &org,
            json!({"name": "Pushed", "url": "https://example.com/h", "event_types": ["user.created"]}),
        )
        .await;
    let (s, p) = app
        .call("GET", &format!("/orgs/{}/webhooks/{}/poll", org.id, pushed["id"].as_str().unwrap()), &org.token, None)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
}

#[tokio::test]
async fn hookd_listen_forwards_pulled_messages_signed_and_acknowledges_them() {
    use std::io::{BufRead, BufReader};
    let app = TestApp::spawn().await;
    let mut rx = crate::support::Receiver::start().await;
    let org = app.org().await;
    let w = app
        .create_webhook(
            &org,
            json!({"name": "Laptop", "event_types": ["user.created"], "destination": {"type": "poll"}}),
        )
        .await;
    let (wid, secret) = (w["id"].as_str().unwrap(), w["signing"]["secret"].as_str().unwrap().to_owned());
    for n in 0..2 {
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }
    let mut listen = std::process::Command::new(env!("CARGO_BIN_EXE_hookd"))
        .args(["listen", "--server", &app.url, "--org", &org.id, "--token", &org.token])
        .args(["--forward-to", &format!("{}/local", rx.url()), "--interval-ms", "50"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("hookd listen");
    let mut lines = BufReader::new(listen.stdout.take().unwrap()).lines();
    let mut got = vec![];
    for _ in 0..2 {
        let r = rx.next().await;
        assert_eq!(r.path, "/hook/local");
        standardwebhooks::Webhook::new(&secret).unwrap().verify(&r.body, &r.headers).expect("signed by hookd");
        got.push(r.json()["payload"]["n"].as_i64().unwrap());
        let line = lines.next().unwrap().unwrap();
        assert!(
            line.contains("200") && line.contains("user.created") && line.contains(r.header("webhook-id")),
            "{line}"
        );
    }
    assert_eq!(got, vec![0, 1], "in order");
    // The next pull acknowledges them: each has its attempt, and nothing is pending.
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 2).await;
    assert!(attempts.iter().all(|a| a["succeeded"] == true));
    app.wait_idle().await;
    let _ = listen.kill();
    let _ = listen.wait();
}
