//! Health: the stats API counts what receivers got, per webhook and per org.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Receiver, TestApp};

#[tokio::test]
async fn stats_count_what_the_receivers_got() {
    let app = TestApp::spawn().await;
    let (mut rx, mut other_rx) = (Receiver::start().await, Receiver::start().await);
    // Four failures among the first requests; each failed delivery is retried until a 200.
    rx.plan(&[500, 503, 404, 500]);
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "a", "url": rx.url(), "event_types": ["user.created"]})).await;
    let other =
        app.create_webhook(&org, json!({"name": "b", "url": other_rx.url(), "event_types": ["user.updated"]})).await;
    let (wid, other_id) = (w["id"].as_str().unwrap(), other["id"].as_str().unwrap());
    for n in 0..10 {
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }
    app.publish(&org, json!({"type": "user.updated", "payload": {"n": 0}})).await;
    app.wait_idle().await;
    let got = rx.try_drain().len() as u64;
    assert_eq!(got, 14, "ten deliveries, four of them retried once");
    assert_eq!(other_rx.try_drain().len(), 1);

    for window in ["1h", "24h", "7d", "30d"] {
        let path = format!("/orgs/{}/webhooks/{wid}/stats?window={window}", org.id);
        let (s, stats) = app.call("GET", &path, &org.token, None).await;
        assert_eq!(s, StatusCode::OK, "{stats}");
        assert_eq!(stats["window"], window);
        let totals = &stats["totals"];
        assert_eq!((totals["attempts"].as_u64(), totals["succeeded"].as_u64()), (Some(got), Some(10)), "{stats}");
        assert_eq!(totals["failed"], 4);
        assert_eq!(stats["by_result"], json!({"2xx": 10, "4xx": 1, "5xx": 3}));
        let rate = totals["success_rate"].as_f64().unwrap();
        assert!((rate - 10.0 / 14.0).abs() < 1e-9, "{rate}");
        assert!(totals["p50_ms"].as_f64().unwrap() > 0.0);
        let buckets = stats["buckets"].as_array().unwrap();
        let in_buckets: u64 = buckets.iter().map(|b| b["attempts"].as_u64().unwrap()).sum();
        assert_eq!(in_buckets, got, "the buckets add up to the totals");
        assert!(stats["last_success_at"].is_string() && stats["last_failure_at"].is_string(), "{stats}");
        assert_eq!(stats["next_retry_at"], Value::Null, "nothing is waiting for a retry");
    }

    let (s, all) = app.call("GET", &format!("/orgs/{}/stats", org.id), &org.token, None).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    assert_eq!(all["window"], "24h");
    let attempts_of = |id: &str| {
        all["data"].as_array().unwrap().iter().find(|w| w["webhook_id"] == id).map(|w| w["totals"]["attempts"].clone())
    };
    assert_eq!(attempts_of(wid), Some(json!(14)));
    assert_eq!(attempts_of(other_id), Some(json!(1)));

    // Another org sees none of it; a window that is not one says which field is wrong.
    let stranger = app.org().await;
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks/{wid}/stats", stranger.id), &stranger.token, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, theirs) = app.call("GET", &format!("/orgs/{}/stats", stranger.id), &stranger.token, None).await;
    assert_eq!((s, theirs["data"].clone()), (StatusCode::OK, json!([])));
    let (s, problem) = app.call("GET", &format!("/orgs/{}/stats?window=2h", org.id), &org.token, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "window", "{problem}");
}
