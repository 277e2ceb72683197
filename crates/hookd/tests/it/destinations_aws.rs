//! Amazon SQS and SNS destinations against moto (AWS's APIs on 127.0.0.1): messages carry
//! the body and hookd's headers as attributes, and the consumer's signature check passes;
//! a missing queue is retried and shown as rejected; the secret key is masked.

use std::time::{Duration, Instant};

use hookd_testkit::TempMoto;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;

const ACCOUNT: &str = "123456789012";

/// One call of an AWS API on moto, which picks the service by the credential scope.
pub(crate) async fn aws(
    moto: &TempMoto,
    service: &str,
    content_type: &str,
    target: Option<&str>,
    body: String,
) -> String {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261204/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
    );
    let mut req = reqwest::Client::new()
        .post(moto.endpoint())
        .header("authorization", auth)
        .header("content-type", content_type)
        .body(body);
    if let Some(t) = target {
        req = req.header("x-amz-target", t);
    }
    let resp = req.send().await.unwrap();
    assert!(resp.status().is_success(), "{service} {target:?}: {}", resp.status());
    resp.text().await.unwrap()
}

async fn sqs(moto: &TempMoto, action: &str, body: Value) -> Value {
    let text =
        aws(moto, "sqs", "application/x-amz-json-1.0", Some(&format!("AmazonSQS.{action}")), body.to_string()).await;
    serde_json::from_str(&text).unwrap()
}

/// The queue's messages once there are `n` (each received once: moto hides them after).
async fn messages(moto: &TempMoto, queue_url: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut got = vec![];
    while got.len() < n {
        let r = sqs(
            moto,
            "ReceiveMessage",
            json!({"QueueUrl": queue_url, "MessageAttributeNames": ["All"], "MaxNumberOfMessages": 10}),
        )
        .await;
        got.extend(r["Messages"].as_array().cloned().unwrap_or_default());
        assert!(Instant::now() < deadline, "the queue never had {n} messages");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    got
}

/// Checks a message's signature from its attributes, as a consumer would.
fn verify(secret: &str, m: &Value) {
    let mut headers = axum::http::HeaderMap::new();
    for (k, v) in m["MessageAttributes"].as_object().unwrap() {
        headers.insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v["StringValue"].as_str().unwrap().parse().unwrap(),
        );
    }
    standardwebhooks::Webhook::new(secret).unwrap().verify(m["Body"].as_str().unwrap().as_bytes(), &headers).unwrap();
}

fn access(moto: &TempMoto) -> Value {
    json!({"region": "us-east-1", "access_key": "AKIDTEST", "secret_key": "s3cret-aws-key", "endpoint": moto.endpoint()})
}

#[tokio::test]
async fn sqs_and_sns_get_signed_messages_and_a_missing_queue_is_retried() {
    let moto = TempMoto::start();
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let queue =
        sqs(&moto, "CreateQueue", json!({"QueueName": "orders"})).await["QueueUrl"].as_str().unwrap().to_owned();

    // SQS: the body is the message, hookd's headers its attributes.
    let mut d = access(&moto);
    d["type"] = json!("sqs");
    d["queue_url"] = json!(queue);
    let w = app.create_webhook(&org, json!({"name": "Queue", "event_types": ["user.created"], "destination": d})).await;
    let (wid, secret) = (w["id"].as_str().unwrap(), w["signing"]["secret"].as_str().unwrap().to_owned());
    assert_eq!(w["destination"]["secret_key"], "****-key", "{w}");
    assert_eq!(w["url"], json!(queue));
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let got = messages(&moto, &queue, 1).await;
    verify(&secret, &got[0]);
    assert_eq!(serde_json::from_str::<Value>(got[0]["Body"].as_str().unwrap()).unwrap()["payload"], json!({"n": 1}));
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 1).await;
    for file in ["hookd.db", "hookd.db-wal"] {
        let held = crate::security::file_contains(&app.data_dir.join(file), "s3cret-aws-key");
        assert!(!held, "{file} holds the AWS secret key in plain text");
    }
    let (_, attempt) = app
        .call("GET", &format!("/orgs/{}/attempts/{}", org.id, attempts[0]["id"].as_str().unwrap()), &org.token, None)
        .await;
    let id = got[0]["MessageId"].as_str().unwrap();
    assert!(attempt["response_body"].as_str().unwrap().contains(id), "{attempt}");

    // SNS, fanned out to a queue with raw delivery (attributes kept).
    let form =
        |pairs: &[(&str, &str)]| url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let created = aws(
        &moto,
        "sns",
        "application/x-www-form-urlencoded",
        None,
        form(&[("Action", "CreateTopic"), ("Name", "events")]),
    )
    .await;
    let topic = created.split("<TopicArn>").nth(1).unwrap().split("</TopicArn>").next().unwrap().to_owned();
    let fanout =
        sqs(&moto, "CreateQueue", json!({"QueueName": "fanout"})).await["QueueUrl"].as_str().unwrap().to_owned();
    let subscribe = [
        ("Action", "Subscribe"),
        ("TopicArn", topic.as_str()),
        ("Protocol", "sqs"),
        ("Endpoint", &format!("arn:aws:sqs:us-east-1:{ACCOUNT}:fanout")),
        ("Attributes.entry.1.key", "RawMessageDelivery"),
        ("Attributes.entry.1.value", "true"),
    ];
    aws(&moto, "sns", "application/x-www-form-urlencoded", None, form(&subscribe)).await;
    let mut d = access(&moto);
    d["type"] = json!("sns");
    d["topic_arn"] = json!(topic);
    let w = app.create_webhook(&org, json!({"name": "Topic", "event_types": ["user.updated"], "destination": d})).await;
    let secret = w["signing"]["secret"].as_str().unwrap().to_owned();
    app.publish(&org, json!({"type": "user.updated", "payload": {"n": 2}})).await;
    let got = messages(&moto, &fanout, 1).await;
    verify(&secret, &got[0]);

    // A queue that does not exist: the attempt is rejected, shown, and retried.
    let mut d = access(&moto);
    d["type"] = json!("sqs");
    d["queue_url"] = json!(format!("{}/{ACCOUNT}/missing", moto.endpoint()));
    let (s, w) = app
        .call(
            "POST",
            &format!("/orgs/{}/webhooks", org.id),
            &org.token,
            Some(json!({"name": "Gone", "event_types": ["user.created"], "destination": d})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 3}})).await;
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    assert_eq!(attempts[0]["error"]["kind"], "rejected", "{:?}", attempts[0]);
    let (_, delivery) = app
        .call(
            "GET",
            &format!("/orgs/{}/deliveries/{}", org.id, attempts[0]["delivery_id"].as_str().unwrap()),
            &org.token,
            None,
        )
        .await;
    assert_eq!(delivery["state"], "pending", "retried: {delivery}");
}

/// An AWS JSON 1.1 call on moto.
async fn json11(moto: &TempMoto, service: &str, target: &str, body: Value) -> Value {
    let text = aws(moto, service, "application/x-amz-json-1.1", Some(target), body.to_string()).await;
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Verifies a wrapped message (`{"headers", "body"}`) as a consumer would.
fn verify_wrapped(secret: &str, wrapped: &Value) {
    let mut headers = axum::http::HeaderMap::new();
    for (k, v) in wrapped["headers"].as_object().unwrap() {
        headers.insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.as_str().unwrap().parse().unwrap());
    }
    let body = wrapped["body"].as_str().unwrap();
    standardwebhooks::Webhook::new(secret).unwrap().verify(body.as_bytes(), &headers).expect("signed");
    assert_eq!(serde_json::from_str::<Value>(body).unwrap()["type"], "user.created");
}

#[tokio::test]
async fn eventbridge_and_kinesis_get_the_signed_message_wrapped() {
    use base64::Engine as _;
    let moto = TempMoto::start();
    let app = TestApp::spawn().await;
    let org = app.org().await;

    // EventBridge, with a rule sending the bus's events to a queue.
    let queue =
        sqs(&moto, "CreateQueue", json!({"QueueName": "bridge"})).await["QueueUrl"].as_str().unwrap().to_owned();
    let pattern = json!({"source": ["acme.users"]}).to_string();
    json11(&moto, "events", "AWSEvents.PutRule", json!({"Name": "all", "EventPattern": pattern})).await;
    let target = json!({"Id": "q", "Arn": format!("arn:aws:sqs:us-east-1:{ACCOUNT}:bridge")});
    json11(&moto, "events", "AWSEvents.PutTargets", json!({"Rule": "all", "Targets": [target]})).await;
    let mut d = access(&moto);
    d["type"] = json!("eventbridge");
    d["event_bus"] = json!("default");
    d["source"] = json!("acme.users");
    let w = app.create_webhook(&org, json!({"name": "Bus", "event_types": ["user.created"], "destination": d})).await;
    let (wid, secret) = (w["id"].as_str().unwrap().to_owned(), w["signing"]["secret"].as_str().unwrap().to_owned());

    // Kinesis.
    json11(&moto, "kinesis", "Kinesis_20131202.CreateStream", json!({"StreamName": "users", "ShardCount": 1})).await;
    let mut d = access(&moto);
    d["type"] = json!("kinesis");
    d["stream"] = json!("users");
    let k =
        app.create_webhook(&org, json!({"name": "Stream", "event_types": ["user.created"], "destination": d})).await;
    let (kid, ksecret) = (k["id"].as_str().unwrap().to_owned(), k["signing"]["secret"].as_str().unwrap().to_owned());

    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let got = messages(&moto, &queue, 1).await;
    let event: Value = serde_json::from_str(got[0]["Body"].as_str().unwrap()).unwrap();
    assert_eq!((event["source"].clone(), event["detail-type"].clone()), (json!("acme.users"), json!("user.created")));
    verify_wrapped(&secret, &event["detail"]);
    let attempts = app.attempts_until(&org, &wid, |a| a.len() == 1).await;
    assert_eq!(attempts[0]["succeeded"], true, "{attempts:?}");

    let attempts = app.attempts_until(&org, &kid, |a| a.len() == 1).await;
    assert_eq!(attempts[0]["succeeded"], true, "{attempts:?}");
    let shards = json11(&moto, "kinesis", "Kinesis_20131202.ListShards", json!({"StreamName": "users"})).await;
    let shard = shards["Shards"][0]["ShardId"].as_str().unwrap();
    let it = json11(
        &moto,
        "kinesis",
        "Kinesis_20131202.GetShardIterator",
        json!({"StreamName": "users", "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
    )
    .await;
    let records =
        json11(&moto, "kinesis", "Kinesis_20131202.GetRecords", json!({"ShardIterator": it["ShardIterator"]})).await;
    let record = &records["Records"][0];
    let data = base64::engine::general_purpose::STANDARD.decode(record["Data"].as_str().unwrap()).unwrap();
    verify_wrapped(&ksecret, &serde_json::from_slice(&data).unwrap());
    assert!(record["PartitionKey"].as_str().unwrap().starts_with("evt_"), "the event's ID by default: {record}");
}

#[tokio::test]
async fn s3_objects_carry_the_body_and_hookds_headers_as_metadata() {
    let moto = TempMoto::start();
    let s3 = |method: reqwest::Method, path: &str| {
        let auth =
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261204/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";
        reqwest::Client::new().request(method, format!("{}/{path}", moto.endpoint())).header("authorization", auth)
    };
    assert!(s3(reqwest::Method::PUT, "acme-events").send().await.unwrap().status().is_success());
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let mut d = access(&moto);
    d["type"] = json!("s3");
    d["bucket"] = json!("acme-events");
    d["prefix"] = json!("hookd/");
    let w =
        app.create_webhook(&org, json!({"name": "Bucket", "event_types": ["user.created"], "destination": d})).await;
    let (wid, secret) = (w["id"].as_str().unwrap(), w["signing"]["secret"].as_str().unwrap().to_owned());
    assert_eq!(w["url"], "s3://acme-events/hookd/");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 1).await;
    assert_eq!(attempts[0]["succeeded"], true, "{:?}", attempts[0]);
    let key = format!("hookd/{}.json", attempts[0]["delivery_id"].as_str().unwrap());
    let object = s3(reqwest::Method::GET, &format!("acme-events/{key}")).send().await.unwrap();
    assert!(object.status().is_success(), "{key}: {}", object.status());
    let mut headers = axum::http::HeaderMap::new();
    for (k, v) in object.headers() {
        if let Some(name) = k.as_str().strip_prefix("x-amz-meta-") {
            headers.insert(axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(), v.clone());
        }
    }
    let body = object.bytes().await.unwrap();
    standardwebhooks::Webhook::new(&secret).unwrap().verify(&body, &headers).expect("signed");
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["payload"], json!({"n": 1}));
}
