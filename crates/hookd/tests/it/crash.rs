//! At-least-once across SIGKILL: every event answered 202 is delivered after a restart.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::json;

use crate::support::{Receiver, TestApp};

#[tokio::test]
async fn sigkill_mid_load_loses_nothing_accepted() {
    let mut app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "c", "url": rx.url(), "event_types": ["user.created"]})).await;
    app.create_webhook(
        &org,
        json!({"name": "c2", "url": format!("http://{}/second", rx.addr), "event_types": ["user.created"]}),
    )
    .await;

    let accepted = Arc::new(std::sync::Mutex::new(BTreeSet::<String>::new()));
    let url = format!("{}/api/v1/orgs/{}/events", app.url, org.id);
    let mut publishers = vec![];
    for p in 0..8 {
        let (http, url, token, accepted) = (app.http.clone(), url.clone(), org.token.clone(), accepted.clone());
        publishers.push(tokio::spawn(async move {
            for n in 0..100 {
                let r = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"type": "user.created", "payload": {"p": p, "n": n}}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 202 => {
                        let body: serde_json::Value = r.json().await.unwrap();
                        let mut a = accepted.lock().unwrap();
                        for d in body["deliveries"].as_array().unwrap() {
                            a.insert(d.as_str().unwrap().to_owned());
                        }
                    }
                    // The server died under us: anything without a 202 was never promised.
                    _ => return,
                }
            }
        }));
    }
    // Kill once a good share of the load is in.
    let deadline = std::time::Instant::now() + crate::support::WAIT;
    while accepted.lock().unwrap().len() < 300 {
        assert!(std::time::Instant::now() < deadline, "load never got going");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    app.kill();
    for p in publishers {
        p.await.unwrap();
    }
    let promised = accepted.lock().unwrap().clone();
    assert!(promised.len() >= 300);

    app.restart().await;
    let mut received = BTreeSet::new();
    for r in rx.try_drain() {
        received.insert(r.header("webhook-id").to_owned());
    }
    while !promised.is_subset(&received) {
        let r = rx.next().await;
        received.insert(r.header("webhook-id").to_owned());
    }
    let lost: Vec<_> = promised.difference(&received).collect();
    assert!(lost.is_empty(), "lost {} deliveries", lost.len());
}
