//! Traces: with `HOOKD_OTLP_ENDPOINT`, a publish and what it caused are one trace, exported
//! over OTLP/HTTP to a collector (here, the test's own, decoding the protobuf spans), the child
//! of the publisher's `traceparent`, which receivers get too.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use serde_json::{Value, json};

use crate::support::{Options, Receiver, TestApp, WAIT};

type Spans = Arc<Mutex<Vec<Span>>>;

/// An OTLP/HTTP collector on loopback: every span it is sent, decoded.
async fn collector() -> (String, Spans) {
    async fn take(State(spans): State<Spans>, body: Bytes) -> &'static str {
        let request = ExportTraceServiceRequest::decode(body).expect("an OTLP protobuf export");
        let mut all = spans.lock().unwrap();
        for r in request.resource_spans {
            for s in r.scope_spans {
                all.extend(s.spans);
            }
        }
        ""
    }
    let spans = Spans::default();
    let app = Router::new().route("/v1/traces", axum::routing::post(take)).with_state(spans.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, spans)
}

fn attr<'a>(span: &'a Span, key: &str) -> Option<&'a Any> {
    span.attributes.iter().find(|a| a.key == key)?.value.as_ref()?.value.as_ref()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER: &str = "00f067aa0ba902b7";

#[tokio::test]
async fn a_publish_its_deliveries_and_their_attempts_are_one_trace_under_the_callers() {
    let (endpoint, spans) = collector().await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hookd.log");
    let app = TestApp::spawn_with(Options {
        extra_env: vec![
            ("HOOKD_OTLP_ENDPOINT", endpoint),
            ("OTEL_BSP_SCHEDULE_DELAY", "100".into()),
            ("HOOKD_LOG_FORMAT", "json".into()),
            ("HOOKD_LOG", "warn,hookd::access=debug".into()),
            // Only what callers ask to trace: the setup's requests and an event published
            // without a `traceparent` make no span.
            ("HOOKD_OTLP_SAMPLE_RATIO", "0".into()),
        ],
        log: Some(log.clone()),
        ..Options::default()
    })
    .await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app
        .create_webhook(
            &org,
            json!({"name": "t", "url": rx.url(), "event_types": ["user.created"], "options": {"traceparent": true}}),
        )
        .await;
    assert_eq!(w["options"]["traceparent"], true);
    app.publish(&org, json!({"type": "user.created", "payload": {"id": 0}})).await;
    let untraced = rx.next().await;
    assert_eq!(untraced.headers.get("traceparent"), None, "nothing to pass on from an untraced publish");
    app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    let answer = app
        .http
        .post(format!("{}/api/v1/orgs/{}/events", app.url, org.id))
        .bearer_auth(&org.token)
        .header("traceparent", format!("00-{TRACE}-{CALLER}-01"))
        .json(&json!({"type": "user.created", "payload": {"id": 1}}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 202);

    // The receiver is told the trace: its parent is the attempt that sent it.
    let got = rx.next().await;
    let sent = got.header("traceparent").to_owned();
    assert!(sent.starts_with(&format!("00-{TRACE}-")) && sent.ends_with("-01"), "{sent}");
    let attempt_id = sent.split('-').nth(2).unwrap().to_owned();

    let names = ["request", "publish", "insert event and deliveries", "deliver", "attempt", "record attempts"];
    let deadline = Instant::now() + WAIT;
    let by_name: HashMap<String, Span> = loop {
        let traced: HashMap<String, Span> = spans
            .lock()
            .unwrap()
            .iter()
            .filter(|s| hex(&s.trace_id) == TRACE)
            .map(|s| {
                let kind = match s.name.as_str() {
                    n if n.starts_with("POST /api/v1/orgs/{org}/events") => "request",
                    n if n.starts_with("publish ") => "publish",
                    "POST" => "attempt",
                    n => n,
                };
                (kind.to_owned(), s.clone())
            })
            .collect();
        if names.iter().all(|n| traced.contains_key(*n)) {
            break traced;
        }
        let seen: Vec<&String> = traced.keys().collect();
        assert!(Instant::now() < deadline, "spans of the trace so far: {seen:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let others: Vec<String> =
        spans.lock().unwrap().iter().filter(|s| hex(&s.trace_id) != TRACE).map(|s| s.name.clone()).collect();
    assert!(others.is_empty(), "spans of requests no one asked to trace: {others:?}");
    let id = |n: &str| hex(&by_name[n].span_id);
    let parent = |n: &str| hex(&by_name[n].parent_span_id);
    assert_eq!(parent("request"), CALLER, "the caller's traceparent is the request's parent");
    assert_eq!(parent("publish"), id("request"));
    assert_eq!(parent("insert event and deliveries"), id("publish"));
    assert_eq!(parent("deliver"), id("publish"), "deliveries are the publish's children, across the database");
    assert_eq!(parent("attempt"), id("deliver"));
    assert_eq!(parent("record attempts"), id("deliver"));
    assert_eq!(id("attempt"), attempt_id);

    let request = &by_name["request"];
    assert_eq!(request.name, "POST /api/v1/orgs/{org}/events");
    assert!(matches!(attr(request, "http.response.status_code"), Some(Any::IntValue(202))), "{:?}", request.attributes);
    let attempt = &by_name["attempt"];
    assert!(matches!(attr(attempt, "http.request.method"), Some(Any::StringValue(m)) if m == "POST"));
    assert!(matches!(attr(attempt, "server.address"), Some(Any::StringValue(h)) if h == "127.0.0.1"));
    assert!(matches!(attr(attempt, "http.response.status_code"), Some(Any::IntValue(200))));
    assert!(matches!(attr(attempt, "hookd.duration_ms"), Some(Any::DoubleValue(ms)) if *ms > 0.0));
    assert!(attr(attempt, "error.type").is_none());
    let deliver = &by_name["deliver"];
    assert!(matches!(attr(deliver, "hookd.webhook_id"), Some(Any::StringValue(v)) if *v == w["id"]));
    assert!(attempt.start_time_unix_nano >= deliver.start_time_unix_nano);
    assert!(attempt.end_time_unix_nano <= by_name["record attempts"].end_time_unix_nano);

    // The access log line of the publish, as JSON, names the trace.
    let deadline = Instant::now() + WAIT;
    loop {
        let text = std::fs::read_to_string(&log).unwrap();
        let lines: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
        assert_eq!(lines.len(), text.lines().count(), "every log line is JSON: {text}");
        let publishes: Vec<&Value> =
            lines.iter().filter(|l| l["message"] == "answered" && l["route"] == "/api/v1/orgs/{org}/events").collect();
        if publishes.len() == 2 {
            // The untraced publish's line has no span; the traced one's names its trace.
            assert!(publishes[0].get("span").is_none(), "{}", publishes[0]);
            assert_eq!(publishes[1]["span"]["trace_id"], TRACE, "{}", publishes[1]);
            assert_eq!(publishes[1]["status"], 202);
            break;
        }
        assert!(Instant::now() < deadline, "no access log line for the publish: {text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    for (bad, named) in [
        ("HOOKD_OTLP_SAMPLE_RATIO", "2"),
        ("HOOKD_OTLP_SAMPLE_RATIO", "half"),
        ("HOOKD_OTLP_ENDPOINT", "collector:4318"),
    ] {
        let said = app.start_refused(&[(bad, Some(named))]);
        assert!(said.contains(bad), "{said}");
    }
}

#[tokio::test]
async fn without_an_exporter_the_publishers_traceparent_is_passed_on_and_a_bad_one_is_not() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(
        &org,
        json!({"name": "t", "url": rx.url(), "event_types": ["user.created"], "options": {"traceparent": true}}),
    )
    .await;
    let given = format!("00-{TRACE}-{CALLER}-01");
    for header in [given.as_str(), "00-not-a-trace-context"] {
        let answer = app
            .http
            .post(format!("{}/api/v1/orgs/{}/events", app.url, org.id))
            .bearer_auth(&org.token)
            .header("traceparent", header)
            .json(&json!({"type": "user.created", "payload": {}}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 202);
        let got = rx.next().await;
        let sent = got.headers.get("traceparent").map(|v| v.to_str().unwrap().to_owned());
        if header == given {
            assert_eq!(sent.as_deref(), Some(header), "passed on as it came");
        } else {
            assert_eq!(sent, None, "a malformed header is not passed on");
        }
    }
}
