//! NATS destinations against a real `nats-server` with JetStream: a subject a stream captures
//! is acknowledged by the stream (its sequence in the history), a plain subject reaches its
//! subscriber; both verified with `standardwebhooks` from the NATS headers; a stopped server
//! is retried.

use base64::Engine as _;
use hookd_testkit::{TempNats, parse_headers};
use serde_json::{Value, json};

use crate::support::TestApp;

fn verify(secret: &str, headers: &[(String, String)], body: &[u8]) {
    let mut map = axum::http::HeaderMap::new();
    for (k, v) in headers {
        map.insert(axum::http::HeaderName::from_bytes(k.to_lowercase().as_bytes()).unwrap(), v.parse().unwrap());
    }
    standardwebhooks::Webhook::new(secret).unwrap().verify(body, &map).expect("the signature verifies");
}

#[tokio::test]
async fn nats_subjects_get_signed_messages_acknowledged_by_jetstream_when_a_stream_captures_them() {
    let mut nats = TempNats::start();
    let mut client = nats.client();
    let created = client
        .request("$JS.API.STREAM.CREATE.ORDERS", r#"{"name":"ORDERS","subjects":["orders.>"],"storage":"memory"}"#);
    assert!(String::from_utf8_lossy(&created).contains("\"ORDERS\""), "{}", String::from_utf8_lossy(&created));
    let app = TestApp::spawn().await;
    let org = app.org().await;

    // Captured by a stream: delivered once the stream acknowledged it.
    let d = json!({"type": "nats", "url": nats.url(), "subject": "orders.created"});
    let w =
        app.create_webhook(&org, json!({"name": "Stream", "event_types": ["user.created"], "destination": d})).await;
    let (wid, secret) = (w["id"].as_str().unwrap(), w["signing"]["secret"].as_str().unwrap().to_owned());
    assert!(!w["destination"]["url"].as_str().unwrap().contains(&nats.password), "{w}");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 1).await;
    let (_, attempt) = app
        .call("GET", &format!("/orgs/{}/attempts/{}", org.id, attempts[0]["id"].as_str().unwrap()), &org.token, None)
        .await;
    assert!(attempt["response_body"].as_str().unwrap().contains("ORDERS:1"), "the stream's sequence: {attempt}");
    let stored: Value =
        serde_json::from_slice(&client.request("$JS.API.STREAM.MSG.GET.ORDERS", r#"{"seq":1}"#)).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let headers = parse_headers(&b64.decode(stored["message"]["hdrs"].as_str().unwrap()).unwrap());
    let body = b64.decode(stored["message"]["data"].as_str().unwrap()).unwrap();
    verify(&secret, &headers, &body);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["payload"], json!({"n": 1}));

    // A plain subject: its subscriber gets it, and the server's taking it is enough.
    client.subscribe("plain.events");
    let d = json!({"type": "nats", "url": nats.url(), "subject": "plain.events"});
    let w = app.create_webhook(&org, json!({"name": "Plain", "event_types": ["user.updated"], "destination": d})).await;
    let (plain, secret) = (w["id"].as_str().unwrap().to_owned(), w["signing"]["secret"].as_str().unwrap().to_owned());
    app.publish(&org, json!({"type": "user.updated", "payload": {"n": 2}})).await;
    let m = client.next_message();
    assert_eq!(m.subject, "plain.events");
    verify(&secret, &m.headers, &m.payload);
    let attempts = app.attempts_until(&org, &plain, |a| a.len() == 1).await;
    assert_eq!(attempts[0]["succeeded"], true, "{attempts:?}");

    // A stopped server: refused, retried.
    nats.stop();
    app.publish(&org, json!({"type": "user.updated", "payload": {"n": 3}})).await;
    let attempts = app
        .attempts_until(&org, &plain, |a| {
            a.iter().any(|a| a["error"]["kind"] == "refused" || a["error"]["kind"] == "connection")
        })
        .await;
    assert!(attempts.iter().any(|a| a["succeeded"] == false));
}
