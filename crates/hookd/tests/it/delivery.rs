use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::support::{Options, Receiver, TestApp};

fn hub_sha256(secret: &str, body: &[u8]) -> String {
    use base64::Engine as _;
    let key = base64::engine::general_purpose::STANDARD.decode(secret.trim_start_matches("whsec_")).unwrap();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn signed_envelope_verifies_with_an_independent_implementation() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w =
        app.create_webhook(&org, json!({"name": "CRM sync", "url": rx.url(), "event_types": ["user.created"]})).await;
    let secret = w["signing"]["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let e = app.publish(&org, json!({"type": "user.created", "payload": {"id": 42, "name": "Ada"}, "resource_url": "https://api.example.com/users/42"})).await;

    let got = rx.next().await;
    standardwebhooks::Webhook::new(&secret).unwrap().verify(&got.body, &got.headers).expect("signature verifies");
    assert_eq!(got.header("x-hub-signature-256"), hub_sha256(&secret, &got.body));
    assert_eq!(got.header("webhook-id"), e["deliveries"][0].as_str().unwrap());
    assert_eq!(got.header("x-hookd-delivery"), e["deliveries"][0].as_str().unwrap());
    assert_eq!(got.header("x-hookd-event"), "user.created");
    assert!(got.header("user-agent").starts_with("hookd/"));
    assert_eq!(got.header("content-type"), "application/json");
    assert!(got.headers.get("x-hub-signature").is_none(), "legacy sha1 only when asked for");
    let body = got.json();
    assert_eq!(body["id"], e["id"]);
    assert_eq!(body["type"], "user.created");
    assert_eq!(body["webhook"], json!({"id": w["id"], "organization": org.id, "name": "CRM sync"}));
    assert_eq!(body["resource_url"], "https://api.example.com/users/42");
    assert_eq!(body["payload"], json!({"id": 42, "name": "Ada"}));

    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    assert_eq!(attempts[0]["response_status"], 200);
    assert_eq!(attempts[0]["trigger"], "auto");
    let (_, detail) = app
        .call("GET", &format!("/orgs/{}/attempts/{}", org.id, attempts[0]["id"].as_str().unwrap()), &org.token, None)
        .await;
    assert_eq!(detail["response_body"], "answer 200");
    assert!(detail["request_body"].as_str().unwrap().contains("\"Ada\""));
    assert!(detail["request_headers"].as_array().unwrap().iter().any(|h| h[0] == "webhook-signature"));
    let (_, ev) =
        app.call("GET", &format!("/orgs/{}/events/{}", org.id, e["id"].as_str().unwrap()), &org.token, None).await;
    assert_eq!(ev["payload"]["name"], "Ada");
    assert_eq!(ev["deliveries"][0]["state"], "succeeded");
}

#[tokio::test]
async fn failures_are_retried_with_the_same_webhook_id_and_recorded() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    rx.plan(&[500, 503]);
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "r", "url": rx.url(), "event_types": ["user.created"]})).await;
    let wid = w["id"].as_str().unwrap();
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let ids: Vec<String> =
        [rx.next().await, rx.next().await, rx.next().await].iter().map(|r| r.header("webhook-id").to_owned()).collect();
    assert!(ids.iter().all(|i| i == &ids[0]), "{ids:?}");
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 3).await;
    let mut statuses: Vec<i64> = attempts.iter().map(|a| a["response_status"].as_i64().unwrap()).collect();
    statuses.sort();
    assert_eq!(statuses, vec![200, 500, 503]);
    let triggers: Vec<&str> = attempts.iter().map(|a| a["trigger"].as_str().unwrap()).collect();
    assert_eq!(triggers.iter().filter(|t| **t == "retry").count(), 2);
    let (_, failed) =
        app.call("GET", &format!("/orgs/{}/attempts?webhook_id={wid}&status=failed", org.id), &org.token, None).await;
    assert_eq!(failed["data"].as_array().unwrap().len(), 2);
    let (_, sorted) = app
        .call("GET", &format!("/orgs/{}/attempts?webhook_id={wid}&sort=result&order=desc", org.id), &org.token, None)
        .await;
    assert_eq!(sorted["data"][0]["response_status"], 503);
    // The search looks at the URL and IDs too, and the receiver's port may hold "503".
    let (_, found) = app.call("GET", &format!("/orgs/{}/attempts?q=503", org.id), &org.token, None).await;
    let found = found["data"].as_array().unwrap();
    let holds_503 = |a: &&serde_json::Value| {
        let fields = [&a["url"], &a["event_ids"], &a["delivery_id"], &a["response_status"], &a["error"]["message"]];
        fields.iter().any(|f| f.to_string().contains("503"))
    };
    assert_eq!(found.len(), attempts.iter().filter(holds_503).count());
    assert!(found.iter().any(|a| a["response_status"] == 503), "{found:?}");
}

#[tokio::test]
async fn exhausted_schedule_fails_the_delivery() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    rx.plan(&[500, 500, 500, 500]);
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "x", "url": rx.url(), "event_types": ["user.created"]})).await;
    let e = app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    for _ in 0..4 {
        rx.next().await;
    }
    app.wait_idle().await;
    rx.assert_drained();
    app.attempts_until(&org, w["id"].as_str().unwrap(), |a| a.len() == 4).await;
    let (_, d) = app
        .call("GET", &format!("/orgs/{}/deliveries/{}", org.id, e["deliveries"][0].as_str().unwrap()), &org.token, None)
        .await;
    assert_eq!(d["state"], "failed");
    assert_eq!(d["attempts"], 4);
}

#[tokio::test]
async fn resend_sends_again_under_the_same_webhook_id() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "r", "url": rx.url(), "event_types": ["user.created"]})).await;
    let e = app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let first = rx.next().await;
    let dlv = e["deliveries"][0].as_str().unwrap();
    app.attempts_until(&org, w["id"].as_str().unwrap(), |a| a.len() == 1).await;
    let (s, _) = app.call("POST", &format!("/orgs/{}/deliveries/{dlv}/resend", org.id), &org.token, None).await;
    assert_eq!(s, 202);
    let second = rx.next().await;
    assert_eq!(first.header("webhook-id"), second.header("webhook-id"));
    assert_eq!(first.body, second.body);
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| a.len() == 2).await;
    assert!(attempts.iter().any(|a| a["trigger"] == "manual"));
}

#[tokio::test]
async fn idempotency_key_returns_the_first_event() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "r", "url": rx.url(), "event_types": ["user.created"]})).await;
    let send = || async {
        let r = app
            .http
            .post(format!("{}/api/v1/orgs/{}/events", app.url, org.id))
            .bearer_auth(&org.token)
            .header("idempotency-key", "order-17")
            .json(&json!({"type": "user.created", "payload": {"n": 1}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        r.json::<serde_json::Value>().await.unwrap()
    };
    let a = send().await;
    let b = send().await;
    assert_eq!(a, b);
    rx.next().await;
    app.wait_idle().await;
    rx.assert_drained();
}

#[tokio::test]
async fn thin_raw_and_form_payloads() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "thin", "url": format!("http://{}/thin", rx.addr), "event_types": ["user.created"], "options": {"payload": "thin"}})).await;
    app.publish(
        &org,
        json!({"type": "user.created", "payload": {"secret_field": 1}, "resource_url": "https://x.example/u/1"}),
    )
    .await;
    let thin = rx.next().await.json();
    assert_eq!(thin.as_object().unwrap().len(), 3, "{thin}");
    assert_eq!(thin["resource_url"], "https://x.example/u/1");

    app.create_webhook(&org, json!({"name": "raw", "url": format!("http://{}/raw", rx.addr), "event_types": ["user.updated"], "options": {"payload": "raw", "content_type": "form", "legacy_signature": true}})).await;
    app.publish(&org, json!({"type": "user.updated", "payload": {"a": [1, 2]}})).await;
    let form = rx.next().await;
    assert_eq!(form.header("content-type"), "application/x-www-form-urlencoded");
    assert!(form.header("x-hub-signature").starts_with("sha1="));
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&form.body).into_owned().collect();
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].0, "payload");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&pairs[0].1).unwrap(), json!({"a": [1, 2]}));
}

#[tokio::test]
async fn gone_disables_the_webhook_with_a_reason() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    rx.plan(&[410]);
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "g", "url": rx.url(), "event_types": ["user.created"]})).await;
    let wid = w["id"].as_str().unwrap();
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    rx.next().await;
    app.attempts_until(&org, wid, |a| a.len() == 1).await;
    let (_, got) = app.call("GET", &format!("/orgs/{}/webhooks/{wid}", org.id), &org.token, None).await;
    assert_eq!(got["enabled"], false);
    assert!(got["status"]["reason"].as_str().unwrap().contains("410"));
    assert_eq!(got["status"]["changed_by"], "hookd");
    let e = app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    assert_eq!(e["deliveries"].as_array().unwrap().len(), 0);
    app.wait_idle().await;
    rx.assert_drained();
}

#[tokio::test]
async fn events_reach_only_matching_webhooks() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let (_, m) = app
        .call(
            "POST",
            &format!("/orgs/{}/members", org.id),
            &org.token,
            Some(json!({"name": "Al", "email": "al@example.com", "role": "member", "groups": ["sales"]})),
        )
        .await;
    let owner = m["id"].as_str().unwrap();
    app.create_webhook(&org, json!({"name": "owned", "url": format!("http://{}/owned", rx.addr), "event_types": ["user.created"], "owner_id": owner})).await;
    app.create_webhook(&org, json!({"name": "test env", "url": format!("http://{}/testenv", rx.addr), "event_types": ["user.created"], "environment": "test"})).await;
    let e = app.publish(&org, json!({"type": "user.created", "payload": {}, "visible_to": ["group:ops"]})).await;
    assert_eq!(e["deliveries"].as_array().unwrap().len(), 0, "the owner may not view it");
    let e = app.publish(&org, json!({"type": "user.created", "payload": {}, "visible_to": ["group:sales"]})).await;
    assert_eq!(e["deliveries"].as_array().unwrap().len(), 1);
    assert_eq!(rx.next().await.path, "/owned");
    let e = app.publish(&org, json!({"type": "user.created", "payload": {}, "environment": "test"})).await;
    assert_eq!(e["deliveries"].as_array().unwrap().len(), 1);
    assert_eq!(rx.next().await.path, "/testenv");
    app.call("PATCH", &format!("/orgs/{}/members/{owner}", org.id), &org.token, Some(json!({"status": "disabled"})))
        .await;
    let e = app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    assert_eq!(e["deliveries"].as_array().unwrap().len(), 0, "a disabled owner's webhook gets nothing");
}

#[tokio::test]
async fn child_org_events_reach_parent_webhooks_that_include_them() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let parent = app.org().await;
    let (_, child) = app.op("POST", "/orgs", Some(json!({"name": "Child", "parent_id": parent.id}))).await;
    let child_id = child["id"].as_str().unwrap();
    app.create_webhook(&parent, json!({"name": "all", "url": rx.url(), "event_types": ["user.created"], "include_child_orgs": true,
        "auth": {"type": "token", "value": "parent-default-token", "per_org": {child_id: {"type": "token", "value": "child-specific-token"}}}})).await;
    let (s, _) =
        app.op("POST", &format!("/orgs/{child_id}/events"), Some(json!({"type": "user.created", "payload": {}}))).await;
    assert_eq!(s, 202);
    let got = rx.next().await;
    assert_eq!(got.header("authorization"), "Bearer child-specific-token");
}

#[tokio::test]
async fn ordered_webhooks_deliver_one_at_a_time_in_order() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    rx.plan(&[500]);
    let org = app.org().await;
    app.create_webhook(
        &org,
        json!({"name": "o", "url": rx.url(), "event_types": ["user.created"], "options": {"ordered": true}}),
    )
    .await;
    for n in 0..4 {
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }
    let mut seen = vec![];
    for _ in 0..5 {
        seen.push(rx.next().await.json()["payload"]["n"].as_i64().unwrap());
    }
    assert_eq!(seen, vec![0, 0, 1, 2, 3]);
}

/// The operator brands hookd's own headers and user agent; the standard signature headers
/// keep their names, and a webhook may not add a header under the prefix.
#[tokio::test]
async fn the_header_prefix_and_user_agent_are_the_operators() {
    let app = TestApp::spawn_with(crate::support::Options {
        extra_env: vec![("HOOKD_HEADER_PREFIX", "X-Acme".into()), ("HOOKD_USER_AGENT", "Acme-Webhooks/2.0".into())],
        ..Default::default()
    })
    .await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "b", "url": rx.url(), "event_types": ["user.created"]})).await;
    let e = app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    let got = rx.next().await;
    assert_eq!(got.header("x-acme-event"), "user.created");
    assert_eq!(got.header("x-acme-delivery"), e["deliveries"][0].as_str().unwrap());
    assert_eq!(got.header("user-agent"), "Acme-Webhooks/2.0");
    assert!(got.headers.get("x-hookd-event").is_none());
    let secret = w["signing"]["secret"].as_str().unwrap();
    standardwebhooks::Webhook::new(secret).unwrap().verify(&got.body, &got.headers).expect("signature verifies");
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    let (_, detail) = app
        .call("GET", &format!("/orgs/{}/attempts/{}", org.id, attempts[0]["id"].as_str().unwrap()), &org.token, None)
        .await;
    assert!(
        detail["request_headers"].as_array().unwrap().contains(&json!(["user-agent", "Acme-Webhooks/2.0"])),
        "{detail}"
    );
    let (s, p) = app
        .call(
            "POST",
            &format!("/orgs/{}/webhooks", org.id),
            &org.token,
            Some(json!({"name": "h", "url": rx.url(), "event_types": ["user.created"], "options": {"headers": {"X-Acme-Event": "x"}}})),
        )
        .await;
    assert_eq!((s.as_u16(), p["field"].as_str()), (422, Some("options.headers.X-Acme-Event")), "{p}");
    let err = app.start_refused(&[("HOOKD_HEADER_PREFIX", Some("X-Acme-"))]);
    assert!(err.contains("HOOKD_HEADER_PREFIX") && err.contains("not a header prefix"), "{err}");
}

#[tokio::test]
async fn batches_carry_several_events_and_lose_none() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "b", "url": rx.url(), "event_types": ["user.created"], "options": {"max_events_per_request": 5}})).await;
    let mut published = std::collections::BTreeSet::new();
    for n in 0..12 {
        published.insert(
            app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let mut got = std::collections::BTreeSet::new();
    while got.len() < published.len() {
        let r = rx.next().await;
        let body = r.json();
        match body["events"].as_array() {
            Some(events) => {
                assert!(events.len() <= 5);
                assert_eq!(r.header("x-hookd-event").split(',').count(), events.len());
                got.extend(events.iter().map(|e| e["id"].as_str().unwrap().to_owned()));
            }
            None => {
                got.insert(body["id"].as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(got, published);
}

/// Ten events published at once to a webhook of five events a request: two requests of five,
/// round after round, whatever the timing of the ten (the first waits for the others).
#[tokio::test]
async fn a_burst_goes_out_in_full_batches_every_time() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    // A window wide enough for ten concurrent publishes on a loaded CI machine.
    let options = json!({"max_events_per_request": 5, "batch_window_ms": 1000});
    app.create_webhook(
        &org,
        json!({"name": "b", "url": rx.url(), "event_types": ["user.created"], "options": options}),
    )
    .await;
    for round in 0..3 {
        app.publish_burst(&org, 10).await;
        for _ in 0..2 {
            let r = rx.next().await;
            let events = r.json()["events"].as_array().map(Vec::len);
            assert_eq!(events, Some(5), "round {round}: a request of {events:?} events");
        }
        app.wait_idle().await;
        rx.assert_drained();
    }
}

/// One request slot leaves room for four handed deliveries: most of these are published
/// without a lease and claimed from the database; each still arrives once.
#[tokio::test]
async fn deliveries_without_room_to_hand_over_are_claimed_and_arrive_once() {
    let app =
        TestApp::spawn_with(Options { extra_env: vec![("HOOKD_CONCURRENCY", "1".to_owned())], ..Options::default() })
            .await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let slow = format!("http://{}/slow", rx.addr);
    for url in [rx.url(), slow] {
        app.create_webhook(&org, json!({"name": "w", "url": url, "event_types": ["user.created"]})).await;
    }
    let mut published = std::collections::BTreeMap::new();
    for n in 0..15 {
        let id = app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        published.insert(id, 2);
    }
    for _ in 0..30 {
        let r = rx.next().await;
        let id = r.json()["id"].as_str().unwrap().to_owned();
        let left = published.get_mut(&id).expect("a published event");
        *left -= 1;
    }
    assert!(published.values().all(|n| *n == 0), "{published:?}");
    app.wait_idle().await;
    rx.assert_drained();
}

/// Every secret rotated out in the last 24 hours still signs, however often the secret was
/// rotated meanwhile, up to five of them (the oldest go first).
#[tokio::test]
async fn rotation_keeps_every_secret_rotated_out_within_a_day_signing() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "rot", "url": rx.url(), "event_types": ["user.created"]})).await;
    let path = format!("/orgs/{}/webhooks/{}/rotate-secret", org.id, w["id"].as_str().unwrap());
    let mut secrets = vec![w["signing"]["secret"].as_str().unwrap().to_owned()];
    for rotations in 1..=6usize {
        let (s, rotated) = app.call("POST", &path, &org.token, None).await;
        assert_eq!(s, 200, "{rotated}");
        secrets.push(rotated["signing"]["secret"].as_str().unwrap().to_owned());
        app.publish(&org, json!({"type": "user.created", "payload": {"n": rotations}})).await;
        let got = rx.next().await;
        let signing: Vec<&String> = secrets.iter().rev().take(6).collect();
        assert_eq!(got.header("webhook-signature").split(' ').count(), signing.len(), "the new one and 5 at most");
        for (age, secret) in signing.iter().enumerate() {
            standardwebhooks::Webhook::new(secret)
                .unwrap()
                .verify(&got.body, &got.headers)
                .unwrap_or_else(|e| panic!("the secret of {age} rotations ago does not verify: {e}"));
        }
        if rotations == 6 {
            let dropped = standardwebhooks::Webhook::new(&secrets[0]).unwrap().verify(&got.body, &got.headers);
            assert!(dropped.is_err(), "the sixth secret back is past the cap");
        }
    }
}

/// The dispatcher keeps the webhooks of the deliveries it is handed; an edit must reach the
/// next delivery all the same (the publish says which revision of the webhook it saw).
#[tokio::test]
async fn the_delivery_after_an_edit_uses_the_edited_webhook() {
    let app = TestApp::spawn().await;
    let (mut first, mut second) = (Receiver::start().await, Receiver::start().await);
    let org = app.org().await;
    let w =
        app.create_webhook(&org, json!({"name": "edit", "url": first.url(), "event_types": ["user.created"]})).await;
    let wid = w["id"].as_str().unwrap();
    let path = format!("/orgs/{}/webhooks/{wid}", org.id);
    // Two deliveries, each recorded: the first success changes the webhook (its
    // last_triggered_at), the second is sent with the copy the dispatcher then keeps.
    for n in 1..=2 {
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
        assert_eq!(first.next().await.json()["payload"]["n"], n);
        app.attempts_until(&org, wid, |a| a.len() == n as usize).await;
    }

    let (s, r) = app.call("PATCH", &path, &org.token, Some(json!({"url": second.url()}))).await;
    assert_eq!(s, 200, "{r}");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 3}})).await;
    assert_eq!(second.next().await.json()["payload"]["n"], 3);
    app.wait_idle().await;
    first.assert_drained();

    let (s, rotated) = app.call("POST", &format!("{path}/rotate-secret"), &org.token, None).await;
    assert_eq!(s, 200, "{rotated}");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 4}})).await;
    let got = second.next().await;
    let new = rotated["signing"]["secret"].as_str().unwrap();
    standardwebhooks::Webhook::new(new).unwrap().verify(&got.body, &got.headers).expect("signed with the new secret");
}

#[tokio::test]
async fn test_action_sends_the_example_payload() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "t", "url": rx.url(), "event_types": ["user.updated"]})).await;
    let (s, _) = app
        .call("POST", &format!("/orgs/{}/webhooks/{}/test", org.id, w["id"].as_str().unwrap()), &org.token, None)
        .await;
    assert_eq!(s, 202);
    let got = rx.next().await.json();
    assert_eq!(got["type"], "user.updated");
    assert_eq!(got["payload"], json!({"id": 1}));
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    assert_eq!(attempts[0]["trigger"], "manual", "a test send is a person's doing: {}", attempts[0]);
}

#[tokio::test]
async fn recover_resends_what_failed_since_a_time() {
    let app = TestApp::spawn_with(crate::support::Options { retry_schedule: "", ..Default::default() }).await;
    let mut rx = Receiver::start().await;
    rx.plan(&[500]);
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "rec", "url": rx.url(), "event_types": ["user.created"]})).await;
    let wid = w["id"].as_str().unwrap();
    let since = chrono::Utc::now() - chrono::Duration::minutes(1);
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    rx.next().await;
    app.attempts_until(&org, wid, |a| a.len() == 1).await;
    let (s, r) = app
        .call("POST", &format!("/orgs/{}/webhooks/{wid}/recover", org.id), &org.token, Some(json!({"since": since})))
        .await;
    assert_eq!(s, 202, "{r}");
    assert_eq!(r["deliveries"], 1);
    rx.next().await;
    app.attempts_until(&org, wid, |a| a.iter().any(|x| x["response_status"] == 200)).await;
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    rx.plan(&[429]);
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "ra", "url": rx.url(), "event_types": ["user.created"]})).await;
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    rx.next().await;
    let started = std::time::Instant::now();
    rx.next().await;
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "retried after {:?}, before Retry-After",
        started.elapsed()
    );
}

#[tokio::test]
async fn webhooks_failing_too_long_are_disabled_and_the_org_is_told() {
    let app = TestApp::spawn_with(crate::support::Options {
        retry_schedule: "",
        extra_env: vec![("HOOKD_DISABLE_AFTER", "0s".into()), ("HOOKD_DISABLE_MIN_FAILURES", "2".into())],
        ..Default::default()
    })
    .await;
    let mut rx = Receiver::start().await;
    rx.plan(&[500, 500]);
    let org = app.org().await;
    let failing = app
        .create_webhook(
            &org,
            json!({"name": "flaky", "url": format!("http://{}/flaky", rx.addr), "event_types": ["user.created"]}),
        )
        .await;
    let fid = failing["id"].as_str().unwrap();
    app.create_webhook(&org, json!({"name": "ops", "url": format!("http://{}/ops", rx.addr), "event_types": ["webhook.disabled", "webhook.enabled"]})).await;
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    assert_eq!(rx.next().await.path, "/flaky");
    app.attempts_until(&org, fid, |a| a.len() == 1).await;
    let (_, still) = app.call("GET", &format!("/orgs/{}/webhooks/{fid}", org.id), &org.token, None).await;
    assert_eq!(still["enabled"], true, "one failure is not enough");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 2}})).await;
    assert_eq!(rx.next().await.path, "/flaky");
    let told = rx.next().await;
    assert_eq!((told.path.as_str(), told.header("x-hookd-event")), ("/ops", "webhook.disabled"));
    let body = told.json();
    assert_eq!(body["payload"]["webhook"]["id"], fid);
    assert!(body["payload"]["reason"].as_str().unwrap().contains("2 failed deliveries"), "{body}");
    let (_, got) = app.call("GET", &format!("/orgs/{}/webhooks/{fid}", org.id), &org.token, None).await;
    assert_eq!(got["enabled"], false);
    let (s, _) = app
        .call("PATCH", &format!("/orgs/{}/webhooks/{fid}", org.id), &org.token, Some(json!({"enabled": true})))
        .await;
    assert_eq!(s, 200);
    let told = rx.next().await;
    assert_eq!(told.header("x-hookd-event"), "webhook.enabled");
    assert_eq!(told.json()["payload"]["enabled"], true);
}

#[tokio::test]
async fn rate_limited_webhooks_are_paced_without_extra_attempts() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "slow", "url": rx.url(), "event_types": ["user.created"], "options": {"rate_limit_per_s": 2}})).await;
    for n in 0..6 {
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }
    let first = rx.next().await;
    let started = std::time::Instant::now();
    let mut got = vec![first.json()["payload"]["n"].as_i64().unwrap()];
    for _ in 0..5 {
        got.push(rx.next().await.json()["payload"]["n"].as_i64().unwrap());
    }
    // A burst of 2, then 2 a second: the last of 6 cannot come before 1.5 s after the first.
    assert!(started.elapsed() >= Duration::from_millis(1500), "6 requests in {:?}", started.elapsed());
    got.sort();
    assert_eq!(got, vec![0, 1, 2, 3, 4, 5]);
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| a.len() == 6).await;
    assert!(attempts.iter().all(|a| a["trigger"] == "auto"), "waiting for the rate is not a retry");
}

/// A request that timed out is recorded with the time it took, not 0 ms.
#[tokio::test]
async fn a_timed_out_attempt_records_how_long_it_waited() {
    let app = TestApp::spawn_with(Options { retry_schedule: "", ..Default::default() }).await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let url = format!("http://{}/hang", rx.addr);
    let hook = json!({"name": "h", "url": url, "event_types": ["user.created"], "options": {"timeout_ms": 300}});
    let w = app.create_webhook(&org, hook).await;
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    assert_eq!(rx.next().await.path, "/hang");
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    assert_eq!(attempts[0]["error"]["kind"], "timeout", "{}", attempts[0]);
    let took = attempts[0]["duration_ms"].as_f64().unwrap();
    assert!((300.0..5_000.0).contains(&took), "duration_ms {took}");
}
