//! One customer cannot slow another: an org whose receivers never answer may hold the node's
//! slots while nobody else needs them, but a newcomer is served at once (spare slots), and a
//! receiver that keeps timing out gets one request at a time.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{Options, Org, Receiver, TestApp, WAIT};

/// Slots of the node under test: small, so that one org could fill them all.
const SLOTS: u64 = 8;

fn small_node() -> Options {
    Options { extra_env: vec![("HOOKD_CONCURRENCY", SLOTS.to_string())], ..Default::default() }
}

/// Publishes `n` events one after the other (to each node in turn), each once the previous one arrived, and returns
/// how long each took from publish to arrival, sorted.
async fn latencies(nodes: &[&TestApp], org: &Org, rx: &mut Receiver, n: usize) -> Vec<Duration> {
    let mut took = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        nodes[i % nodes.len()].publish(org, json!({"type": "user.created", "payload": {"n": i}})).await;
        let got = rx.next_within(WAIT).await.unwrap_or_else(|| panic!("org B's delivery {i} never arrived"));
        took.push(started.elapsed());
        assert_eq!(got.json()["payload"]["n"], i);
    }
    took.sort();
    took
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

async fn wait_metric_at_least(app: &TestApp, name: &str, at_least: u64) {
    let deadline = Instant::now() + WAIT;
    while app.metric(name).await < at_least {
        assert!(Instant::now() < deadline, "{name} never reached {at_least}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Org A's receiver hangs (every request waits for its 30 s timeout) and A publishes 300
/// events; org B's deliveries keep their latency. Before fair delivery, A took every slot and
/// B's next delivery waited for A's timeouts.
#[tokio::test]
async fn a_hanging_receiver_does_not_delay_another_org() {
    let app = TestApp::spawn_with(small_node()).await;
    b_beside_a_hanging_receiver(&[&app]).await;
}

/// The same on PostgreSQL with two nodes: each gives A its share of its own slots, and B's
/// deliveries, published at either node, still go out at once.
#[tokio::test]
async fn a_hanging_receiver_does_not_delay_another_org_on_postgres_nodes() {
    let pg = hookd_testkit::TempPostgres::shared();
    let url = tokio::task::spawn_blocking(move || pg.database()).await.unwrap();
    let mut options = small_node();
    options
        .extra_env
        .extend([("HOOKD_DATABASE_URL", url), ("HOOKD_SECRET_KEY", crate::support::SECRET_KEY.to_owned())]);
    let first = TestApp::spawn_with(Options { extra_env: options.extra_env.clone(), ..Default::default() }).await;
    let second = TestApp::spawn_with(options).await;
    b_beside_a_hanging_receiver(&[&first, &second]).await;
}

async fn b_beside_a_hanging_receiver(nodes: &[&TestApp]) {
    let app = nodes[0];
    let (a, b) = (app.org().await, app.org().await);
    let mut rx_a = Receiver::start().await;
    let mut rx_b = Receiver::start().await;
    let hang = format!("http://{}/hang", rx_a.addr);
    app.create_webhook(
        &a,
        json!({"name": "hangs", "url": hang, "event_types": ["user.created"], "options": {"timeout_ms": 30000}}),
    )
    .await;
    app.create_webhook(&b, json!({"name": "fine", "url": rx_b.url(), "event_types": ["user.created"]})).await;

    let alone = latencies(nodes, &b, &mut rx_b, 20).await;

    app.publish_burst(&a, 300).await;
    rx_a.next().await;
    // A alone may use every slot, and on every node it does.
    for node in nodes {
        wait_metric_at_least(node, "hookd_in_flight", SLOTS).await;
    }
    let beside_hang = latencies(nodes, &b, &mut rx_b, 20).await;

    let (p50, p99) = (quantile(&alone, 0.5), quantile(&alone, 0.99));
    let (hp50, hp99) = (quantile(&beside_hang, 0.5), quantile(&beside_hang, 0.99));
    eprintln!(
        "{} node(s): org B alone: p50 {p50:?} p99 {p99:?}; beside A's hanging receiver: p50 {hp50:?} p99 {hp99:?}",
        nodes.len()
    );
    // A's requests end only at their 30 s timeout: anything near it means B waited for A.
    assert!(hp99 < Duration::from_secs(3), "B waited for A: p99 {hp99:?} (alone {p99:?})");
    let sent_to_a = rx_a.try_drain().len() + 1;
    assert!(sent_to_a <= nodes.len() * SLOTS as usize, "A got more requests out than the slots: {sent_to_a}");
}

/// A receiver that keeps timing out gets one request at a time (its circuit opens, on the
/// webhook's page and in `/metrics`) until a request is answered.
#[tokio::test]
async fn a_receiver_that_keeps_timing_out_gets_one_request_at_a_time() {
    let app = TestApp::spawn_with(small_node()).await;
    let a = app.org().await;
    let mut rx = Receiver::start().await;
    let hang = format!("http://{}/hang", rx.addr);
    let w = app
        .create_webhook(
            &a,
            json!({"name": "hangs", "url": hang, "event_types": ["user.created"], "options": {"timeout_ms": 300}}),
        )
        .await;
    let path = format!("/orgs/{}/webhooks/{}", a.id, w["id"].as_str().unwrap());
    assert_eq!(w["circuit"], json!({"state": "closed"}));
    app.publish_burst(&a, 40).await;

    wait_metric_at_least(&app, "hookd_circuits_open", 1).await;
    let (_, got) = app.call("GET", &path, &a.token, None).await;
    assert_eq!(got["circuit"]["state"], "open", "{got}");
    assert!(got["circuit"]["timeouts_in_a_row"].as_u64().unwrap() >= 3, "{got}");
    // Once open, what was out ends at its timeout and then one request at a time goes out.
    let deadline = Instant::now() + WAIT;
    while app.metric("hookd_in_flight").await > 1 {
        assert!(Instant::now() < deadline, "more than one request kept going out to an open circuit");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for _ in 0..10 {
        assert!(app.metric("hookd_in_flight").await <= 1, "one request at a time while open");
        rx.next().await;
    }

    // A receiver that answers closes it, and the rest goes out.
    let (s, _) = app.call("PATCH", &path, &a.token, Some(json!({"url": rx.url()}))).await;
    assert_eq!(s, 200);
    let deadline = Instant::now() + WAIT;
    while rx.next().await.path != "/hook" {
        assert!(Instant::now() < deadline, "the answering receiver never got a request");
    }
    wait_metric_at_least(&app, "hookd_attempts_total{result=\"2xx\"}", 1).await;
    assert_eq!(app.metric("hookd_circuits_open").await, 0);
    let (_, got) = app.call("GET", &path, &a.token, None).await;
    assert_eq!(got["circuit"], json!({"state": "closed"}), "{got}");
}
