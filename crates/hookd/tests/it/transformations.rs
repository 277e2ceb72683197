//! Transformations on the real binary: a handler that changes payload, headers and URL (and
//! the signature covers what it made), cancel, hostile scripts that are stopped while every
//! other webhook keeps delivering, code that does not compile refused on save, and trying
//! code on an example.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Receiver, TestApp};

const SLACK: &str = "function handler(webhook) {
  const p = webhook.payload.payload;
  webhook.payload = {text: `Order paid: ${p.amount} ${p.currency}`, type: webhook.eventType};
  webhook.url = webhook.url + '/slack?channel=sales';
  webhook.headers['x-shaped-by'] = 'hookd';
  if (p.amount < 10) webhook.cancel = true;
  return webhook;
}";

#[tokio::test]
async fn a_transformed_request_is_what_is_signed_sent_and_recorded() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.order_paid_type().await;
    let w = app
        .create_webhook(
            &org,
            json!({"name": "Slack", "url": rx.url(), "event_types": ["order.paid"], "options": {"headers": {"x-team": "sales"}},
                "transformation": {"code": SLACK}}),
        )
        .await;
    assert_eq!(w["transformation"], json!({"code": SLACK, "enabled": true}));
    let (wid, secret) = (w["id"].as_str().unwrap(), w["signing"]["secret"].as_str().unwrap());
    app.publish(&org, json!({"type": "order.paid", "payload": {"amount": 150, "currency": "EUR"}})).await;
    let got = rx.next().await;
    assert_eq!(got.path, "/hook/slack");
    assert_eq!(got.json(), json!({"text": "Order paid: 150 EUR", "type": "order.paid"}));
    assert_eq!((got.header("x-shaped-by"), got.header("x-team")), ("hookd", "sales"));
    standardwebhooks::Webhook::new(secret)
        .unwrap()
        .verify(&got.body, &got.headers)
        .expect("the signature covers the transformed body");
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 1).await;
    let (s, attempt) = app
        .call("GET", &format!("/orgs/{}/attempts/{}", org.id, attempts[0]["id"].as_str().unwrap()), &org.token, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{attempt}");
    assert_eq!(attempt["url"], format!("{}/slack?channel=sales", rx.url()), "the history shows where it went");
    assert_eq!(serde_json::from_str::<Value>(attempt["request_body"].as_str().unwrap()).unwrap(), got.json());

    // Cancelled: nothing is sent, the attempt and the delivery say so, nothing is retried.
    let e = app.publish(&org, json!({"type": "order.paid", "payload": {"amount": 5, "currency": "EUR"}})).await;
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 2).await;
    let cancelled = attempts.iter().find(|a| a["error"]["kind"] == "cancelled").expect("a cancelled attempt");
    assert!(cancelled["error"]["message"].as_str().unwrap().contains("cancelled"), "{cancelled}");
    app.wait_idle().await;
    rx.assert_drained();
    let (_, event) =
        app.call("GET", &format!("/orgs/{}/events/{}", org.id, e["id"].as_str().unwrap()), &org.token, None).await;
    assert_eq!(event["deliveries"][0]["state"], "cancelled", "{event}");
    let (_, stats) =
        app.call("GET", &format!("/orgs/{}/webhooks/{wid}/stats?window=1h", org.id), &org.token, None).await;
    assert_eq!(
        (stats["totals"]["attempts"].as_u64(), stats["totals"]["failed"].as_u64()),
        (Some(2), Some(0)),
        "{stats}"
    );

    // Switched off, the code is kept and requests go as rendered.
    let one = format!("/orgs/{}/webhooks/{wid}", org.id);
    let (s, edited) =
        app.call("PATCH", &one, &org.token, Some(json!({"transformation": {"code": SLACK, "enabled": false}}))).await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    app.publish(&org, json!({"type": "order.paid", "payload": {"amount": 7, "currency": "EUR"}})).await;
    let plain = rx.next().await;
    assert_eq!((plain.path.as_str(), plain.json()["payload"]["amount"].as_u64()), ("/hook", Some(7)));
    let (_, audit) = app.call("GET", &format!("/orgs/{}/audit", org.id), &org.token, None).await;
    let text = audit.to_string();
    assert!(
        text.contains("changed transformation") && !text.contains("Order paid"),
        "the audit names the change, never the code: {audit}"
    );
}

#[tokio::test]
async fn hostile_scripts_fail_their_attempts_and_everything_else_keeps_delivering() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let hostile = [
        ("loop", "function handler(w) { for (;;) {} }", "longer than 100 ms"),
        (
            "memory",
            "function handler(w) { const a = []; for (;;) a.push(new Array(100000).fill(a.length)); }",
            "more than 16 MiB",
        ),
        ("throw", "function handler(w) { throw new Error('no VAT number'); }", "no VAT number"),
        (
            "require",
            "function handler(w) { require('child_process').execSync('id'); return w; }",
            "require is not defined",
        ),
        ("process", "function handler(w) { process.exit(1); }", "process is not defined"),
        ("fetch", "function handler(w) { fetch('http://127.0.0.1:1/'); return w; }", "fetch is not defined"),
        ("import", "function handler(w) { return import('os'); }", "Promise"),
        ("regexp", "function handler(w) { /(a+)+$/.test('a'.repeat(50) + '!'); return w; }", "longer than 100 ms"),
        (
            "headers",
            "function handler(w) { w.headers['webhook-signature'] = 'v1,forged'; return w; }",
            "headers hookd cannot send",
        ),
        ("url", "function handler(w) { w.url = 'ftp://127.0.0.1/'; return w; }", "ftp"),
    ];
    let mut ids = vec![];
    for (name, code, _) in &hostile {
        let w = app
            .create_webhook(&org, json!({"name": name, "url": rx.url(), "event_types": ["user.created"], "transformation": {"code": code}}))
            .await;
        ids.push(w["id"].as_str().unwrap().to_owned());
    }
    let good = app
        .create_webhook(
            &org,
            json!({"name": "good", "url": format!("{}/good", rx.url()), "event_types": ["user.created"]}),
        )
        .await;
    for n in 0..5 {
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }
    for ((name, _, says), id) in hostile.iter().zip(&ids) {
        // Every attempt of every delivery (five events, four attempts each) fails with its reason.
        let attempts = app.attempts_until(&org, id, |a| a.len() == 20).await;
        for a in &attempts {
            let error = &a["error"];
            let kind = error["kind"].as_str().unwrap_or_default();
            assert!(matches!(kind, "transformation" | "invalid_url" | "ssrf"), "{name}: {a}");
            assert!(error["message"].as_str().unwrap_or_default().contains(says), "{name}: {a}");
        }
    }
    let good_attempts = app.attempts_until(&org, good["id"].as_str().unwrap(), |a| a.len() == 5).await;
    assert!(good_attempts.iter().all(|a| a["response_status"] == 200));
    app.wait_idle().await;
    let got: Vec<String> = rx.try_drain().into_iter().map(|r| r.path).collect();
    assert_eq!(got, vec!["/hook/good"; 5], "only the healthy webhook's requests went out");
    assert_eq!(app.metric("hookd_http_request_duration_seconds_count{status=\"5xx\"}").await, 0);
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    assert_eq!(s, StatusCode::OK, "the server still answers");
}

#[tokio::test]
async fn code_that_does_not_compile_is_refused_and_code_can_be_tried_first() {
    let app = TestApp::spawn().await;
    let rx = Receiver::start().await;
    let org = app.org().await;
    app.order_paid_type().await;
    let webhooks = format!("/orgs/{}/webhooks", org.id);
    for (code, says) in [
        ("function handler(w) { return w; ", "does not compile"),
        ("function handle(w) { return w; }", "no function `handler`"),
        ("while (true) {}", "longer than 100 ms"),
        ("import fs from 'fs'; function handler(w) { return w; }", "does not compile"),
    ] {
        let body =
            json!({"name": "bad", "url": rx.url(), "event_types": ["order.paid"], "transformation": {"code": code}});
        let (s, problem) = app.call("POST", &webhooks, &org.token, Some(body)).await;
        assert_eq!(
            (s, problem["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("transformation.code")),
            "{problem}"
        );
        assert!(problem["detail"].as_str().unwrap().contains(says), "{code}: {problem}");
    }

    let try_it = format!("/orgs/{}/webhooks:try-transformation", org.id);
    let (s, tried) =
        app.call("POST", &try_it, &org.token, Some(json!({"code": SLACK, "event_type": "order.paid"}))).await;
    assert_eq!(s, StatusCode::OK, "{tried}");
    assert_eq!(tried["outcome"], "sent");
    assert_eq!(tried["request"]["url"], "https://example.com/webhook/slack?channel=sales");
    assert_eq!(
        serde_json::from_str::<Value>(tried["request"]["body"].as_str().unwrap()).unwrap()["text"],
        "Order paid: 150 EUR"
    );
    assert_eq!(tried["request"]["headers"]["x-shaped-by"], "hookd");
    let small = json!({"code": SLACK, "event_type": "order.paid", "payload": {"amount": 1, "currency": "EUR"}});
    let (_, tried) = app.call("POST", &try_it, &org.token, Some(small)).await;
    assert_eq!(tried["outcome"], "cancelled", "{tried}");
    let throws = json!({"code": "function handler(w) { throw new TypeError('bad'); }", "event_type": "order.paid"});
    let (_, tried) = app.call("POST", &try_it, &org.token, Some(throws)).await;
    assert_eq!(tried["outcome"], "failed");
    assert!(
        tried["error"].as_str().unwrap().contains("TypeError: bad") || tried["error"].as_str().unwrap().contains("bad"),
        "{tried}"
    );
    let (s, problem) =
        app.call("POST", &try_it, &org.token, Some(json!({"code": "function (", "event_type": "order.paid"}))).await;
    assert_eq!((s, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("code")), "{problem}");
}
