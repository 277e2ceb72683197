//! The destination picker in the portal: only the chosen kind's fields, a Redis stream made
//! and modified through the form (its password masked and kept), a bad URL refused beside
//! its field keeping what was typed, and a poll webhook.

use hookd_testkit::{TempMoto, TempNats, TempRabbitmq, TempRedis};
use serde_json::json;

use crate::browser::Browser;
use crate::destinations::entries;
use crate::destinations_aws::aws;
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
    b.wait_text("Redis stream audit at redis://").await;
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

/// One webhook of every kind made through the form, each receiving a published event: the
/// brokers and moto are real, so an attempt that succeeded is one the destination took.
#[tokio::test]
async fn every_kind_is_made_through_the_form_and_receives_events() {
    let (redis, nats, rabbitmq, moto) =
        (TempRedis::start(), TempNats::start(), TempRabbitmq::start(), TempMoto::start());
    rabbitmq
        .pika("ch.exchange_declare('events', 'topic')\nch.queue_declare('all')\nch.queue_bind('all', 'events', '#')");
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let queue = moto_call(&moto, "sqs", "AmazonSQS.CreateQueue", json!({"QueueName": "portal"})).await["QueueUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    moto_call(&moto, "kinesis", "Kinesis_20131202.CreateStream", json!({"StreamName": "portal", "ShardCount": 1}))
        .await;
    let bucket = reqwest::Client::new()
        .put(format!("{}/portal-bucket", moto.endpoint()))
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261204/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0",
        )
        .send()
        .await
        .unwrap();
    assert!(bucket.status().is_success());
    let topic = moto_form(&moto, "sns", "Action=CreateTopic&Name=portal").await;
    let topic = topic.split("<TopicArn>").nth(1).unwrap().split("</TopicArn>").next().unwrap().to_owned();
    let aws = |own: Vec<(&'static str, String)>| {
        let mut fields = own;
        fields.extend([
            ("region", "us-east-1".into()),
            ("access_key", "AKIDTEST".into()),
            ("secret_key", "s3cret-aws-key".into()),
            ("endpoint", moto.endpoint()),
        ]);
        fields
    };
    let kinds: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("sqs", aws(vec![("queue_url", queue)])),
        ("sns", aws(vec![("topic_arn", topic)])),
        ("eventbridge", aws(vec![("event_bus", "default".into()), ("source", "acme.portal".into())])),
        ("kinesis", aws(vec![("stream", "portal".into())])),
        ("s3", aws(vec![("bucket", "portal-bucket".into())])),
        (
            "rabbitmq",
            vec![("url", rabbitmq.url()), ("exchange", "events".into()), ("routing_key", "user.created".into())],
        ),
        ("nats", vec![("url", nats.url()), ("subject", "portal.events".into())]),
        ("redis", vec![("url", redis.url()), ("stream", "portal".into())]),
    ];
    for (kind, fields) in &kinds {
        b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
        b.type_into("#name", &format!("To {kind}")).await;
        b.find("#d-type").await.select_by_value(kind).await.unwrap();
        for (name, value) in fields {
            b.type_into(&format!("#d-{kind}-{name}"), value).await;
        }
        b.click("input[name=event_types][value='user.created']").await;
        if *kind == "sqs" {
            b.check_page("destination-sqs-form").await;
        }
        b.click("form button.btn.primary[type=submit]").await;
        b.wait_text("Webhook created successfully").await;
    }
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks?limit=100", org.id), &org.token, None).await;
    let made = list["data"].as_array().unwrap().clone();
    assert_eq!(made.len(), kinds.len(), "{list}");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    for w in &made {
        let kind = w["destination"]["type"].as_str().unwrap();
        if let Some(secret) = w["destination"]["secret_key"].as_str() {
            assert_eq!(secret, "****-key", "masked");
        }
        let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
        assert_eq!(attempts[0]["succeeded"], true, "{kind}: {:?}", attempts[0]);
    }
}

async fn moto_call(moto: &TempMoto, service: &str, target: &str, body: serde_json::Value) -> serde_json::Value {
    let text = aws(moto, service, "application/x-amz-json-1.1", Some(target), body.to_string()).await;
    serde_json::from_str(&text).unwrap_or_default()
}

async fn moto_form(moto: &TempMoto, service: &str, form: &str) -> String {
    aws(moto, service, "application/x-www-form-urlencoded", None, form.to_owned()).await
}
