//! The destination picker in the portal: only the chosen kind's fields, a Redis stream made
//! and modified through the form (its password masked and kept), a bad URL refused beside
//! its field keeping what was typed, and a poll webhook.

use hookd_testkit::TempRedis;
use serde_json::json;

use crate::browser::Browser;
use crate::destinations::entries;
use crate::portal::signed_in;
use crate::support::TestApp;

async fn value(b: &Browser, css: &str) -> String {
    b.find(css).await.prop("value").await.unwrap().unwrap_or_default()
}

async fn shown(b: &Browser, css: &str) -> bool {
    b.find(css).await.is_displayed().await.unwrap()
}

#[tokio::test]
async fn a_redis_stream_and_a_poll_webhook_are_made_and_modified_in_the_form() {
    let redis = TempRedis::start();
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;

    b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
    assert!(shown(&b, "#url").await && !shown(&b, "#d-redis-url").await, "HTTP's fields only");
    b.type_into("#name", "Orders stream").await;
    b.find("#d-type").await.select_by_value("redis").await.unwrap();
    assert!(!shown(&b, "#url").await && shown(&b, "#d-redis-url").await, "Redis's fields only");
    b.click("input[name=event_types][value='user.created']").await;
    b.type_into("#d-redis-url", "ftp://127.0.0.1").await;
    b.type_into("#d-redis-stream", "events").await;
    b.click("form button.btn.primary[type=submit]").await;
    b.wait_text("is not supported; use rediss").await;
    assert_eq!(value(&b, "#d-redis-stream").await, "events", "what was typed is kept");
    assert_eq!(b.find("#d-redis-url").await.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    b.check_page("destination-refused").await;

    b.type_into("#d-redis-url", &redis.url()).await;
    b.check_page("destination-redis-form").await;
    b.click("form button.btn.primary[type=submit]").await;
    b.wait_text("Webhook created successfully").await;
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    let w = list["data"][0].clone();
    assert_eq!(w["destination"]["type"], "redis", "{w}");
    assert!(!w["destination"]["url"].as_str().unwrap().contains(&redis.password));
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    assert_eq!(entries(&redis, "events", 1).len(), 1);

    // Modified: the URL shows masked; left as shown, it keeps the password.
    b.goto(&format!("{}/portal/webhooks/{}/edit", app.url, w["id"].as_str().unwrap())).await;
    let masked = value(&b, "#d-redis-url").await;
    assert!(masked.contains("****") && !masked.contains(&redis.password), "{masked}");
    b.type_into("#d-redis-stream", "audit").await;
    b.click("form button.btn.primary[type=submit]").await;
    b.wait_text("Webhook modified successfully").await;
    b.check_page("destination-redis-webhook").await;
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 2}})).await;
    assert_eq!(entries(&redis, "audit", 1).len(), 1, "delivered with the kept password");

    // Poll: nothing to fill in.
    b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
    b.type_into("#name", "Pulled").await;
    b.find("#d-type").await.select_by_value("poll").await.unwrap();
    b.wait_text("Nothing is pushed").await;
    b.click("input[name=event_types][value='user.created']").await;
    b.check_page("destination-poll-form").await;
    b.click("form button.btn.primary[type=submit]").await;
    b.wait_text("Webhook created successfully").await;
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks?q=Pulled", org.id), &org.token, None).await;
    assert!(list["data"].as_array().unwrap().iter().any(|w| w["destination"] == json!({"type": "poll"})), "{list}");
}
