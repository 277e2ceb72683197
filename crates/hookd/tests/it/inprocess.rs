//! A node run in-process through the library, as the binary runs it: `hookd::run` on a
//! listener the test binds, stopped by a future the test completes.

use clap::Parser as _;
use serde_json::json;

use crate::support::{OPERATOR, Receiver};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_runs_in_process_delivers_and_stops_when_told() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["hookd", "serve", "--operator-token", OPERATOR, "--allow-private-targets", "true", "--data-dir"];
    let cli = hookd::cli::Cli::try_parse_from(args.iter().copied().chain([dir.path().to_str().unwrap()])).unwrap();
    let hookd::cli::Command::Serve { settings, demo } = cli.command else { panic!("a serve command") };
    let config = hookd::config::Config::resolve(&settings).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let node = tokio::spawn(hookd::run(config, demo, listener, async {
        let _ = stopped.await;
    }));

    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, body: serde_json::Value| {
        http.request(method, format!("{url}/api/v1{path}")).bearer_auth(OPERATOR).json(&body).send()
    };
    let org: serde_json::Value =
        call(reqwest::Method::POST, "/orgs", json!({"name": "In-process"})).await.unwrap().json().await.unwrap();
    let org = org["id"].as_str().unwrap().to_owned();
    let r = call(reqwest::Method::POST, "/event-types", json!({"name": "user.created"})).await.unwrap();
    assert_eq!(r.status(), 201);
    let mut rx = Receiver::start().await;
    let hook = json!({"name": "w", "url": rx.url(), "event_types": ["user.created"]});
    assert_eq!(call(reqwest::Method::POST, &format!("/orgs/{org}/webhooks"), hook).await.unwrap().status(), 201);
    let event = json!({"type": "user.created", "payload": {"n": 7}});
    assert_eq!(call(reqwest::Method::POST, &format!("/orgs/{org}/events"), event).await.unwrap().status(), 202);
    assert_eq!(rx.next().await.json()["payload"]["n"], 7);

    stop.send(()).unwrap();
    let ended = tokio::time::timeout(crate::support::WAIT, node).await.expect("the node stops when told");
    ended.unwrap().unwrap();
    assert!(reqwest::get(format!("{url}/healthz")).await.is_err(), "nothing listens after the node stopped");
}
