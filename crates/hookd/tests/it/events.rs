//! The events API: an org's events newest first with their deliveries counted, filtered and
//! paged; one event with each delivery's webhook, state and attempts.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{Options, Receiver, TestApp};

#[tokio::test]
async fn events_are_listed_with_what_became_of_their_deliveries() {
    // One attempt a delivery: a failure is final at once.
    let app = TestApp::spawn_with(Options { retry_schedule: "", ..Default::default() }).await;
    let (mut ok, mut failing) = (Receiver::start().await, Receiver::start().await);
    failing.plan(&[500, 500, 500]);
    let org = app.org().await;
    let a = app.create_webhook(&org, json!({"name": "a", "url": ok.url(), "event_types": ["user.created"]})).await;
    app.create_webhook(&org, json!({"name": "b", "url": failing.url(), "event_types": ["user.created"]})).await;
    let mut published = vec![];
    for n in 0..3 {
        published.push(app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await);
    }
    let quiet = app.publish(&org, json!({"type": "user.updated", "payload": {"n": 9}})).await;
    app.wait_idle().await;
    assert_eq!((ok.try_drain().len(), failing.try_drain().len()), (3, 3));

    let events = format!("/orgs/{}/events", org.id);
    let (s, page) = app.call("GET", &format!("{events}?limit=2"), &org.token, None).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let data = page["data"].as_array().unwrap();
    assert_eq!(data[0]["id"], quiet["id"], "newest first");
    assert_eq!(data[0]["deliveries"], json!({"total": 0, "succeeded": 0, "failed": 0, "pending": 0, "cancelled": 0}));
    assert_eq!(data[1]["id"], published[2]["id"]);
    assert_eq!(data[1]["type"], "user.created");
    assert_eq!(data[1]["deliveries"], json!({"total": 2, "succeeded": 1, "failed": 1, "pending": 0, "cancelled": 0}));
    assert!(data[1].get("payload").is_none(), "a list leaves payloads out");
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, rest) = app.call("GET", &format!("{events}?limit=2&cursor={cursor}"), &org.token, None).await;
    let rest: Vec<_> = rest["data"].as_array().unwrap().iter().map(|e| e["id"].clone()).collect();
    assert_eq!(rest, [published[1]["id"].clone(), published[0]["id"].clone()]);

    let (_, by_type) = app.call("GET", &format!("{events}?type=user.updated"), &org.token, None).await;
    assert_eq!(by_type["data"].as_array().unwrap().len(), 1);
    let id = published[0]["id"].as_str().unwrap();
    let (_, found) = app.call("GET", &format!("{events}?q={id}"), &org.token, None).await;
    assert_eq!(found["data"][0]["id"], id);
    let (s, bad) = app.call("GET", &format!("{events}?since=yesterday"), &org.token, None).await;
    assert_eq!((s, bad["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("since")));

    let (s, one) = app.call("GET", &format!("{events}/{id}"), &org.token, None).await;
    assert_eq!(s, StatusCode::OK, "{one}");
    assert_eq!(one["payload"], json!({"n": 0}));
    let deliveries = one["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 2);
    let to_a = deliveries.iter().find(|d| d["webhook_id"] == a["id"]).expect("the delivery to a");
    assert_eq!((to_a["state"].as_str(), to_a["attempts"].as_u64()), (Some("succeeded"), Some(1)));
    assert!(deliveries.iter().any(|d| d["state"] == "failed"), "{one}");

    // The history filters by event type and result, and finds attempts by webhook name.
    let (app, org) = (&app, &org);
    let attempts = |query: &'static str| {
        let path = format!("/orgs/{}/attempts?{query}", org.id);
        async move { app.call("GET", &path, &org.token, None).await }
    };
    let count = |v: &serde_json::Value| v["data"].as_array().map_or(0, Vec::len);
    assert_eq!(count(&attempts("result=5xx").await.1), 3);
    assert_eq!(count(&attempts("result=500").await.1), 3);
    assert_eq!(count(&attempts("result=2xx&event_type=user.created").await.1), 3);
    assert_eq!(count(&attempts("event_type=user.updated").await.1), 0);
    let (_, by_name) = attempts("q=b").await;
    assert!(count(&by_name) >= 3, "{by_name}");
    let (_, listed) = attempts("limit=1").await;
    assert_eq!(listed["data"][0]["event_types"], json!(["user.created"]));
    let (s, bad) = attempts("result=teapot").await;
    assert_eq!((s, bad["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("result")));

    let stranger = app.org().await;
    let (_, theirs) = app.call("GET", &format!("/orgs/{}/events", stranger.id), &stranger.token, None).await;
    assert_eq!(theirs["data"], json!([]));
}
