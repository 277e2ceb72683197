//! Filters: each webhook receives only the events its filter passes; a bad filter is refused
//! naming its path; refusals show in the webhook's stats as filtered.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Receiver, TestApp};

/// A webhook's name, its filter, and the events (by index) it passes.
type Case = (&'static str, Value, Vec<usize>);

/// Three payloads and, for each operator, a filter with the events it passes.
fn cases() -> (Vec<Value>, Vec<Case>) {
    let events = vec![
        json!({"amount": 150, "currency": "EUR", "tier": "vip", "tags": ["b2b", "eu"]}),
        json!({"amount": 50, "currency": "USD", "tags": ["us"]}),
        json!({"amount": 100, "currency": "GBP", "tier": "gold", "coupon": "X"}),
    ];
    let filters = vec![
        ("eq", json!({"payload.currency": {"$eq": "EUR"}}), vec![0]),
        ("plain", json!({"payload.tags": "eu"}), vec![0]),
        ("ne", json!({"payload.currency": {"$ne": "EUR"}}), vec![1, 2]),
        ("gt", json!({"payload.amount": {"$gt": 100}}), vec![0]),
        ("gte", json!({"payload.amount": {"$gte": 100}}), vec![0, 2]),
        ("lt", json!({"payload.amount": {"$lt": 100}}), vec![1]),
        ("lte", json!({"payload.amount": {"$lte": 100}}), vec![1, 2]),
        ("in", json!({"payload.currency": {"$in": ["EUR", "GBP"]}}), vec![0, 2]),
        ("nin", json!({"payload.currency": {"$nin": ["EUR", "GBP"]}}), vec![1]),
        ("exists", json!({"payload.tier": {"$exists": true}}), vec![0, 2]),
        ("and", json!({"$and": [{"payload.amount": {"$gte": 100}}, {"payload.tier": "gold"}]}), vec![2]),
        ("or", json!({"$or": [{"payload.tags": "us"}, {"payload.coupon": {"$exists": true}}]}), vec![1, 2]),
        ("not", json!({"$not": {"payload.amount": {"$gt": 60}}}), vec![1]),
        ("type", json!({"type": "user.created", "environment": "live"}), vec![0, 1, 2]),
    ];
    (events, filters)
}

#[tokio::test]
async fn each_webhook_receives_what_its_filter_passes() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let (events, filters) = cases();
    let mut ids = BTreeMap::new();
    for (name, filter, _) in &filters {
        let body = json!({"name": name, "url": format!("{}/{name}", rx.url()), "event_types": ["user.created"],
            "filter": filter});
        let w = app.create_webhook(&org, body).await;
        assert_eq!(&w["filter"], filter, "the filter is shown as written");
        ids.insert(*name, w["id"].as_str().unwrap().to_owned());
    }
    for (i, payload) in events.iter().enumerate() {
        let mut payload = payload.clone();
        payload["i"] = json!(i);
        app.publish(&org, json!({"type": "user.created", "payload": payload})).await;
    }
    app.wait_idle().await;
    let mut got: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for r in rx.try_drain() {
        let name = r.path.trim_start_matches("/hook/").to_owned();
        got.entry(name).or_default().push(r.json()["payload"]["i"].as_u64().unwrap() as usize);
    }
    for (name, _, want) in &filters {
        let mut received = got.remove(*name).unwrap_or_default();
        received.sort();
        assert_eq!(&received, want, "{name}");
        // What it did not receive counts as filtered in its stats, not as attempts.
        let path = format!("/orgs/{}/webhooks/{}/stats?window=1h", org.id, ids[name]);
        let (s, stats) = app.call("GET", &path, &org.token, None).await;
        assert_eq!(s, StatusCode::OK, "{stats}");
        let totals = &stats["totals"];
        assert_eq!(totals["filtered"], (events.len() - want.len()) as u64, "{name}: {stats}");
        assert_eq!(totals["attempts"], want.len() as u64, "{name}");
        let in_buckets: u64 =
            stats["buckets"].as_array().unwrap().iter().map(|b| b["filtered"].as_u64().unwrap()).sum();
        assert_eq!(in_buckets, (events.len() - want.len()) as u64);
    }
    let refused: usize = filters.iter().map(|(_, _, want)| events.len() - want.len()).sum();
    assert_eq!(app.metric("hookd_deliveries_filtered_total").await, refused as u64);

    // A test send goes whatever the filter says.
    let (s, test) =
        app.call("POST", &format!("/orgs/{}/webhooks/{}/test", org.id, ids["eq"]), &org.token, Some(json!({}))).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{test}");
    assert_eq!(rx.next().await.path, "/hook/eq");
    assert_eq!(app.metric("hookd_http_request_duration_seconds_count{status=\"5xx\"}").await, 0);
}

#[tokio::test]
async fn a_bad_filter_is_refused_naming_its_path_and_an_edit_changes_what_passes() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let webhooks = format!("/orgs/{}/webhooks", org.id);
    for (filter, field) in [
        (json!([1]), "filter"),
        (json!({"payload.amount": {"$gt": [1]}}), "filter.payload.amount.$gt"),
        (json!({"payload.amount": {"$between": [1, 2]}}), "filter.payload.amount.$between"),
        (json!({"$or": []}), "filter.$or"),
        (json!({"$where": "this.amount > 1"}), "filter.$where"),
        (json!({"payload.x": {"$in": "a"}}), "filter.payload.x.$in"),
    ] {
        let body = json!({"name": "bad", "url": rx.url(), "event_types": ["user.created"], "filter": filter});
        let (s, problem) = app.call("POST", &webhooks, &org.token, Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{filter}: {problem}");
        assert_eq!(problem["field"], field, "{problem}");
    }
    let (_, list) = app.call("GET", &webhooks, &org.token, None).await;
    assert_eq!(list["data"], json!([]), "nothing was made by a refused create");

    let w = app
        .create_webhook(
            &org,
            json!({"name": "big", "url": rx.url(), "event_types": ["user.created"],
                "filter": {"payload.amount": {"$gt": 100}}}),
        )
        .await;
    let one = format!("{webhooks}/{}", w["id"].as_str().unwrap());
    let (s, problem) =
        app.call("PATCH", &one, &org.token, Some(json!({"filter": {"payload.amount": {"$gt": {}}}}))).await;
    assert_eq!((s, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("filter.payload.amount.$gt")));
    app.publish(&org, json!({"type": "user.created", "payload": {"amount": 5}})).await;
    app.publish(&org, json!({"type": "user.created", "payload": {"amount": 500}})).await;
    assert_eq!(rx.next().await.json()["payload"]["amount"], 500);

    // Removed, the filter lets everything through; the audit log says the filter changed.
    let (s, edited) = app.call("PATCH", &one, &org.token, Some(json!({"filter": null}))).await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["filter"], Value::Null);
    app.publish(&org, json!({"type": "user.created", "payload": {"amount": 6}})).await;
    assert_eq!(rx.next().await.json()["payload"]["amount"], 6);
    app.wait_idle().await;
    rx.assert_drained();
    let (_, audit) = app.call("GET", &format!("/orgs/{}/audit", org.id), &org.token, None).await;
    let changed = audit["data"].as_array().unwrap().iter().any(|e| e["summary"].as_str() == Some("changed filter"));
    assert!(changed, "{audit}");
}
