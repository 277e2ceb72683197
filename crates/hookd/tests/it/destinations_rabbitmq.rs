//! RabbitMQ destinations against a real broker: a message confirmed by the broker reaches the
//! bound queue and verifies (read with `pika`, an independent client); one no queue takes, and
//! one for an exchange that does not exist, are rejected and retried.

use hookd_testkit::TempRabbitmq;
use serde_json::{Value, json};

use crate::support::TestApp;

#[tokio::test]
async fn rabbitmq_exchanges_get_confirmed_signed_messages_and_unroutable_ones_are_retried() {
    let rmq = TempRabbitmq::start();
    rmq.pika(
        "ch.exchange_declare('events', 'topic', durable=True)\nch.queue_declare('users', durable=True)\nch.queue_bind('users', 'events', 'user.*')",
    );
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let d = json!({"type": "rabbitmq", "url": rmq.url(), "exchange": "events", "routing_key": "user.created"});
    let w =
        app.create_webhook(&org, json!({"name": "Broker", "event_types": ["user.created"], "destination": d})).await;
    let (wid, secret) = (w["id"].as_str().unwrap(), w["signing"]["secret"].as_str().unwrap().to_owned());
    assert!(w["destination"]["url"].as_str().unwrap().contains("****"), "{w}");
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let attempts = app.attempts_until(&org, wid, |a| a.len() == 1).await;
    assert_eq!(attempts[0]["succeeded"], true, "{attempts:?}");

    let got: Value = serde_json::from_str(&rmq.pika(
        "m, p, b = ch.basic_get('users', auto_ack=True)\nprint(json.dumps({'headers': p.headers, 'body': b.decode(), 'id': p.message_id, 'mode': p.delivery_mode}))",
    ))
    .unwrap();
    let mut headers = axum::http::HeaderMap::new();
    for (k, v) in got["headers"].as_object().unwrap() {
        headers.insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.as_str().unwrap().parse().unwrap());
    }
    let body = got["body"].as_str().unwrap();
    standardwebhooks::Webhook::new(&secret).unwrap().verify(body.as_bytes(), &headers).expect("signed");
    assert_eq!(serde_json::from_str::<Value>(body).unwrap()["payload"], json!({"n": 1}));
    assert_eq!((got["id"].clone(), got["mode"].clone()), (headers_id(&got), json!(2)), "persistent, with its ID");

    // Nobody bound to the key, and no such exchange: rejected, and retried.
    for (name, exchange, key, says) in
        [("Unrouted", "events", "nobody.home", "no queue took it"), ("Gone", "missing", "user.created", "NOT_FOUND")]
    {
        let d = json!({"type": "rabbitmq", "url": rmq.url(), "exchange": exchange, "routing_key": key});
        let w =
            app.create_webhook(&org, json!({"name": name, "event_types": ["user.updated"], "destination": d})).await;
        app.publish(&org, json!({"type": "user.updated", "payload": {}})).await;
        let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
        assert_eq!(attempts[0]["error"]["kind"], "rejected", "{name}: {:?}", attempts[0]);
        assert!(attempts[0]["error"]["message"].as_str().unwrap().contains(says), "{name}: {:?}", attempts[0]);
    }
    // The healthy webhook still delivers on the same broker.
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 2}})).await;
    app.attempts_until(&org, wid, |a| a.len() == 2 && a.iter().all(|a| a["succeeded"] == true)).await;
}

fn headers_id(got: &Value) -> Value {
    got["headers"]["webhook-id"].clone()
}
