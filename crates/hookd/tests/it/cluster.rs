//! Several nodes on one PostgreSQL: shared work, node loss, database loss.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookd_testkit::TempPostgres;
use serde_json::json;

use crate::support::{Options, Org, Receiver, TestApp, WAIT};

use crate::support::SECRET_KEY as KEY;

fn node_options(url: &str, lease: &'static str) -> Options {
    Options {
        lease,
        extra_env: vec![("HOOKD_DATABASE_URL", url.to_owned()), ("HOOKD_SECRET_KEY", KEY.to_owned())],
        ..Default::default()
    }
}

async fn database(pg: &'static TempPostgres) -> String {
    tokio::task::spawn_blocking(move || pg.database()).await.unwrap()
}

/// Publishes `n` events from `publishers` tasks spread over `nodes`; returns the promised
/// delivery IDs (those answered 202). Stops quietly when a node goes away.
async fn publish_load(nodes: &[String], org: &Org, n: usize, publishers: usize) -> BTreeSet<String> {
    let promised = Arc::new(Mutex::new(BTreeSet::new()));
    let http = reqwest::Client::new();
    let mut tasks = vec![];
    for p in 0..publishers {
        let (http, promised, token) = (http.clone(), promised.clone(), org.token.clone());
        let url = format!("{}/api/v1/orgs/{}/events", nodes[p % nodes.len()], org.id);
        tasks.push(tokio::spawn(async move {
            for i in (p..n).step_by(publishers) {
                let r = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"type": "user.created", "payload": {"i": i}}))
                    .send()
                    .await;
                let Ok(r) = r else { return };
                if r.status() != 202 {
                    continue;
                }
                let body: serde_json::Value = r.json().await.unwrap();
                let mut pr = promised.lock().unwrap();
                for d in body["deliveries"].as_array().unwrap() {
                    pr.insert(d.as_str().unwrap().to_owned());
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }

    promised.lock().unwrap().clone()
}

/// Receives until every promised delivery arrived; returns how often each came.
async fn collect(rx: &mut Receiver, promised: &BTreeSet<String>, counts: &mut BTreeMap<String, usize>) {
    while !promised.iter().all(|d| counts.contains_key(d)) {
        match rx.next_within(WAIT).await {
            Some(r) => *counts.entry(r.header("webhook-id").to_owned()).or_default() += 1,
            None => panic!(
                "lost deliveries: {} of {} promised arrived; missing e.g. {:?}",
                counts.len(),
                promised.len(),
                promised.iter().filter(|d| !counts.contains_key(*d)).take(3).collect::<Vec<_>>()
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_share_the_work_without_loss_or_duplicates() {
    let url = database(TempPostgres::shared()).await;
    let a = TestApp::spawn_with(node_options(&url, "30s")).await;
    let b = TestApp::spawn_with(node_options(&url, "30s")).await;
    let mut rx = Receiver::start().await;
    let org = a.org().await;
    a.create_webhook(&org, json!({"name": "shared", "url": rx.url(), "event_types": ["user.created"]})).await;
    let promised = publish_load(&[a.url.clone(), b.url.clone()], &org, 400, 8).await;
    assert_eq!(promised.len(), 400);
    let mut counts = BTreeMap::new();
    collect(&mut rx, &promised, &mut counts).await;
    a.wait_idle().await;
    b.wait_idle().await;
    rx.assert_drained();
    assert!(counts.values().all(|c| *c == 1), "duplicates in normal operation");
    let (sa, sb) = (a.metric("hookd_attempts_total").await, b.metric("hookd_attempts_total").await);
    assert_eq!(sa + sb, 400);
    assert!(sa > 0 && sb > 0, "both nodes worked: {sa} and {sb}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_a_node_half_way_loses_nothing() {
    let url = database(TempPostgres::shared()).await;
    let mut a = TestApp::spawn_with(node_options(&url, "2s")).await;
    let b = TestApp::spawn_with(node_options(&url, "2s")).await;
    let mut rx = Receiver::start().await;
    let org = a.org().await;
    a.create_webhook(
        &org,
        json!({"name": "slow", "url": format!("http://{}/slow", rx.addr), "event_types": ["user.created"]}),
    )
    .await;
    let promised = publish_load(&[a.url.clone(), b.url.clone()], &org, 300, 8).await;
    let mut counts = BTreeMap::new();
    while counts.len() < 100 {
        let r = rx.next().await;
        *counts.entry(r.header("webhook-id").to_owned()).or_default() += 1;
    }
    a.kill();
    collect(&mut rx, &promised, &mut counts).await;
    let duplicates: usize = counts.values().map(|c| c - 1).sum();
    // Only requests the dead node had in flight may arrive twice.
    assert!(duplicates <= 256, "{duplicates} duplicates");
    assert!(b.metric("hookd_attempts_total").await > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_restart_mid_load_loses_nothing_accepted() {
    let pg: &'static TempPostgres = Box::leak(Box::new(tokio::task::spawn_blocking(TempPostgres::new).await.unwrap()));
    let url = database(pg).await;
    let app = TestApp::spawn_with(node_options(&url, "2s")).await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "w", "url": rx.url(), "event_types": ["user.created"]})).await;
    let mut promised = publish_load(std::slice::from_ref(&app.url), &org, 100, 4).await;
    tokio::task::spawn_blocking(move || pg.kill()).await.unwrap();
    let ready = app.http.get(format!("{}/readyz", app.url)).send().await.unwrap();
    assert_eq!(ready.status(), 503, "not ready while the database is down");
    assert_eq!(ready.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(problem["status"], 503, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("database is unavailable"), "{problem}");
    assert!(!problem.to_string().contains("127.0.0.1"), "no connection details: {problem}");
    let (s, p) = app
        .call(
            "POST",
            &format!("/orgs/{}/events", org.id),
            &org.token,
            Some(json!({"type": "user.created", "payload": {}})),
        )
        .await;
    assert_eq!(s, 503, "{p}");
    tokio::task::spawn_blocking(move || pg.restart()).await.unwrap();
    let deadline = Instant::now() + WAIT;
    while !app.http.get(format!("{}/readyz", app.url)).send().await.unwrap().status().is_success() {
        assert!(Instant::now() < deadline, "never ready again");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    promised.extend(publish_load(std::slice::from_ref(&app.url), &org, 100, 4).await);
    let mut counts = BTreeMap::new();
    collect(&mut rx, &promised, &mut counts).await;
    assert!(promised.len() >= 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordered_webhooks_stay_ordered_across_nodes() {
    let url = database(TempPostgres::shared()).await;
    let a = TestApp::spawn_with(node_options(&url, "30s")).await;
    let b = TestApp::spawn_with(node_options(&url, "30s")).await;
    let mut rx = Receiver::start().await;
    rx.plan(&[500]);
    let org = a.org().await;
    a.create_webhook(
        &org,
        json!({"name": "o", "url": rx.url(), "event_types": ["user.created"], "options": {"ordered": true}}),
    )
    .await;
    for n in 0..6 {
        let node = if n % 2 == 0 { &a } else { &b };
        node.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }
    let mut seen = vec![];
    for _ in 0..7 {
        seen.push(rx.next().await.json()["payload"]["n"].as_i64().unwrap());
    }
    assert_eq!(seen, vec![0, 0, 1, 2, 3, 4, 5]);
}

/// Nodes started together on a fresh database without `HOOKD_OPERATOR_TOKEN`: exactly one
/// prints a token, and that token works on every node.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_starting_together_agree_on_one_operator_token() {
    let url = database(TempPostgres::shared()).await;
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let env = vec![("HOOKD_DATABASE_URL".to_owned(), url), ("HOOKD_SECRET_KEY".to_owned(), KEY.to_owned())];
    let starts: Vec<_> = dirs
        .iter()
        .map(|d| {
            let (dir, env) = (d.path().to_owned(), env.clone());
            std::thread::spawn(move || crate::support::start(&dir, &env, false))
        })
        .collect();
    let mut nodes: Vec<_> = starts.into_iter().map(|s| s.join().unwrap()).collect();
    let printed: Vec<String> = nodes
        .iter()
        .flat_map(|(_, _, lines)| lines.iter())
        .filter_map(|l| l.strip_prefix("operator token (shown once, keep it): "))
        .map(str::to_owned)
        .collect();
    assert_eq!(printed.len(), 1, "one node makes the token: {printed:?}");
    let http = reqwest::Client::new();
    for (_, node, _) in &nodes {
        let r = http.get(format!("{node}/api/v1/orgs")).bearer_auth(&printed[0]).send().await.unwrap();
        assert_eq!(r.status(), 200, "the printed token works on {node}");
    }
    for (child, _, _) in &mut nodes {
        let _ = child.kill();
        let _ = child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_starting_together_migrate_once() {
    let url = database(TempPostgres::shared()).await;
    let runs: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_hookd"))
                .args(["migrate", "--database-url", &url])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut versions = Vec::new();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(stdout.contains("schema version "), "{stdout}");
        versions.push(stdout);
    }
    // Whoever applied the migrations, every run ends at the same, latest version.
    assert!(versions.windows(2).all(|w| w[0] == w[1]), "{versions:?}");
}

#[test]
fn an_unreachable_database_is_a_clear_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hookd"))
        .args(["serve", "--database-url", "postgres://hookd:hunter2@127.0.0.1:1/hookd", "--listen", "127.0.0.1:0"])
        .env("HOOKD_DATA_DIR", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("postgres://hookd:****@127.0.0.1:1/hookd"), "{err}");
    assert!(!err.contains("hunter2"));
}
