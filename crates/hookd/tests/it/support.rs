//! The test harness: the real `hookd` binary on a free port with its own data dir, and a
//! real HTTP receiver on 127.0.0.1 that answers what a test plans.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::mpsc;

pub const OPERATOR: &str = "test-operator-token-0123456789";
/// A master key for nodes that must share one (several on one PostgreSQL database).
pub const SECRET_KEY: &str = "8f1c0e7a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c0d2e";

pub const WAIT: Duration = Duration::from_secs(20);

pub struct TestApp {
    pub url: String,
    pub data_dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
    child: Child,
    pub http: reqwest::Client,
    env: Vec<(String, String)>,
}

pub struct Options {
    pub allow_private: bool,
    pub retry_schedule: &'static str,
    pub lease: &'static str,
    pub extra_env: Vec<(&'static str, String)>,
    /// Where hookd's log goes (the tests' stderr when `None`).
    pub log: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self { allow_private: true, retry_schedule: "100ms,200ms,300ms", lease: "30s", extra_env: vec![], log: None }
    }
}

/// Starts `hookd serve` with exactly `env` (beside the data dir and a free port); returns the
/// process, its URL and what it printed up to listening.
pub fn start(data_dir: &Path, env: &[(String, String)], demo: bool) -> (Child, String, Vec<String>) {
    start_logging(data_dir, env, demo, None)
}

/// [`start`], with what hookd logs written to `log` (else to the tests' stderr).
pub fn start_logging(
    data_dir: &Path,
    env: &[(String, String)],
    demo: bool,
    log: Option<&Path>,
) -> (Child, String, Vec<String>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hookd"));
    cmd.arg("serve");
    if demo {
        cmd.arg("--demo");
    }
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOOKD_DATA_DIR", data_dir)
        .env("HOOKD_LISTEN", "127.0.0.1:0")
        .env("HOOKD_LOG", "warn")
        .current_dir(data_dir)
        .stdout(Stdio::piped())
        .stderr(match log {
            Some(path) => Stdio::from(std::fs::File::create(path).expect("log file")),
            None => Stdio::inherit(),
        });
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn hookd");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let url = loop {
        let line = lines.next().expect("hookd exited before listening").expect("read stdout");
        printed.push(line.clone());
        if let Some(rest) = line.strip_prefix("hookd listening on ") {
            break rest.split_whitespace().next().expect("url").to_owned();
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url, printed)
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(o: Options) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data_dir = tmp.path().to_owned();
        let mut app = Self::spawn_in(&data_dir, o).await;
        app._tmp = Some(tmp);
        app
    }

    /// A server on `data_dir`, which the caller keeps and removes.
    pub async fn spawn_in(data_dir: &Path, o: Options) -> Self {
        let mut env = vec![
            ("HOOKD_OPERATOR_TOKEN".to_owned(), OPERATOR.to_owned()),
            ("HOOKD_ALLOW_PRIVATE_TARGETS".to_owned(), o.allow_private.to_string()),
            ("HOOKD_RETRY_SCHEDULE".to_owned(), o.retry_schedule.to_owned()),
            ("HOOKD_LEASE".to_owned(), o.lease.to_owned()),
        ];
        env.extend(o.extra_env.into_iter().map(|(k, v)| (k.to_owned(), v)));
        let (child, url, _) = start_logging(data_dir, &env, false, o.log.as_deref());
        let app = Self { url, data_dir: data_dir.to_owned(), _tmp: None, child, http: reqwest::Client::new(), env };
        app.wait_ready().await;
        app
    }

    /// Kills the process with SIGKILL: no shutdown code runs.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same data dir (after `kill`).
    pub async fn restart(&mut self) {
        let (child, url, _) = start(&self.data_dir, &self.env, false);
        self.child = child;
        self.url = url;
        self.wait_ready().await;
    }

    /// Runs `hookd serve` on this app's data dir (stopped first with `kill`) with its
    /// environment changed as given (`None` removes a variable), expecting it to refuse to
    /// start; returns what it printed on stderr.
    pub fn start_refused(&self, change: &[(&str, Option<&str>)]) -> String {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hookd"));
        cmd.arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOOKD_DATA_DIR", &self.data_dir)
            .env("HOOKD_LISTEN", "127.0.0.1:0")
            .current_dir(&self.data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in change {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let mut child = cmd.spawn().expect("spawn hookd");
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("hookd started although it should have refused");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).expect("stderr");
        assert!(!status.success(), "hookd exited 0: {err}");
        err
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(r) = self.http.get(format!("{}/readyz", self.url)).send().await
                && r.status().is_success()
            {
                return;
            }
            assert!(Instant::now() < deadline, "hookd never became ready");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = format!("{}/api/v1{path}", self.url);
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(m, url).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = StatusCode::from_u16(resp.status().as_u16()).expect("status");
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn op(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call(method, path, OPERATOR, body).await
    }

    /// The catalog's `order.paid`, whose example is `{"amount": 150, "currency": "EUR"}`: what
    /// filters and transformations are tried on.
    pub async fn order_paid_type(&self) {
        let example = json!({"amount": 150, "currency": "EUR"});
        let body = json!({"name": "order.paid", "group": "Orders", "example": example});
        let (s, e) = self.op("POST", "/event-types", Some(body)).await;
        assert!(s.is_success(), "{e}");
    }

    /// A fresh org with an admin token, and the event types the tests use.
    pub async fn org(&self) -> Org {
        let (s, org) = self.op("POST", "/orgs", Some(json!({"name": "Acme"}))).await;
        assert_eq!(s, StatusCode::CREATED, "{org}");
        let id = org["id"].as_str().expect("org id").to_owned();
        for t in ["user.created", "user.updated"] {
            let (s, b) =
                self.op("POST", "/event-types", Some(json!({"name": t, "group": "Users", "example": {"id": 1}}))).await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
        }
        let (s, tok) =
            self.op("POST", &format!("/orgs/{id}/tokens"), Some(json!({"name": "admin", "role": "admin"}))).await;
        assert_eq!(s, StatusCode::CREATED, "{tok}");
        Org { id, token: tok["token_value"].as_str().expect("token").to_owned() }
    }

    pub async fn create_webhook(&self, org: &Org, body: Value) -> Value {
        let (s, w) = self.call("POST", &format!("/orgs/{}/webhooks", org.id), &org.token, Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{w}");
        w
    }

    pub async fn publish(&self, org: &Org, body: Value) -> Value {
        let (s, e) = self.call("POST", &format!("/orgs/{}/events", org.id), &org.token, Some(body)).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{e}");
        e
    }

    /// Publishes `n` events of `user.created` (payload `{"n": i}`) all at once, as concurrent
    /// requests, and waits until each is accepted.
    pub async fn publish_burst(&self, org: &Org, n: usize) {
        let url = format!("{}/api/v1/orgs/{}/events", self.url, org.id);
        let mut burst = tokio::task::JoinSet::new();
        for i in 0..n {
            let req = self
                .http
                .post(&url)
                .bearer_auth(&org.token)
                .json(&json!({"type": "user.created", "payload": {"n": i}}));
            burst.spawn(async move { req.send().await.map(|r| r.status().as_u16()) });
        }
        while let Some(status) = burst.join_next().await {
            assert_eq!(status.expect("publisher").expect("publish"), 202);
        }
    }

    /// Polls the history until `pred` holds for the attempts of `webhook`.
    /// A gauge or counter of this node's `/metrics`.
    /// A metric's value, summed over its series: `hookd_attempts_total` counts every result,
    /// `hookd_attempts_total{result="2xx"}` one.
    pub async fn metric(&self, name: &str) -> u64 {
        let text = self.http.get(format!("{}/metrics", self.url)).send().await.expect("metrics");
        let text = text.text().await.expect("metrics text");
        sum_of(&text, name) as u64
    }

    /// Waits until nothing is left to send: no pending delivery in the database and no request
    /// in flight here. Every request made by then has reached its receiver, since a delivery
    /// is recorded only after its answer; what a receiver has not got by then will not come.
    pub async fn wait_idle(&self) {
        let deadline = Instant::now() + WAIT;
        while self.metric("hookd_deliveries_pending").await > 0 || self.metric("hookd_in_flight").await > 0 {
            assert!(Instant::now() < deadline, "hookd never ran out of work");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn attempts_until(&self, org: &Org, webhook: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            let (s, page) = self
                .call("GET", &format!("/orgs/{}/attempts?webhook_id={webhook}&limit=500", org.id), &org.token, None)
                .await;
            assert_eq!(s, StatusCode::OK, "{page}");
            let data = page["data"].as_array().cloned().unwrap_or_default();
            if pred(&data) {
                return data;
            }
            assert!(Instant::now() < deadline, "history never matched; last: {data:?}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Org {
    pub id: String,
    pub token: String,
}

/// A request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("json body")
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

#[derive(Clone)]
struct RxState {
    plan: Arc<Mutex<VecDeque<u16>>>,
    /// OAuth2 tokens handed out at `/token`, numbered from 1.
    tokens: Arc<std::sync::atomic::AtomicUsize>,
    tx: mpsc::UnboundedSender<Received>,
}

pub struct Receiver {
    pub addr: std::net::SocketAddr,
    plan: Arc<Mutex<VecDeque<u16>>>,
    rx: mpsc::UnboundedReceiver<Received>,
}

async fn receive(State(s): State<RxState>, uri: axum::http::Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_owned();
    if path.starts_with("/slow") {
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let _ = s.tx.send(Received { path: path.clone(), headers, body });
    if path == "/hang" {
        // Never answers: the sender's timeout ends the request.
        std::future::pending::<()>().await;
    }
    if path == "/token" || path == "/slow/token" {
        let n = s.tokens.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        return axum::Json(serde_json::json!({"access_token": format!("token-{n}"), "expires_in": 3600}))
            .into_response();
    }
    if path == "/redirect" {
        return (StatusCode::FOUND, [("location", "/redirected")]).into_response();
    }
    let status = s.plan.lock().expect("plan").pop_front().unwrap_or(200);
    let mut resp = (StatusCode::from_u16(status).expect("status"), format!("answer {status}")).into_response();
    if status == 429 {
        resp.headers_mut().insert("retry-after", "1".parse().expect("header"));
    }
    resp
}

impl Receiver {
    pub async fn start() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let plan = Arc::new(Mutex::new(VecDeque::new()));
        let app =
            Router::new().fallback(receive).with_state(RxState { plan: plan.clone(), tokens: Default::default(), tx });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, plan, rx }
    }

    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    /// The next requests get these statuses, in order; then 200.
    pub fn plan(&self, statuses: &[u16]) {
        self.plan.lock().expect("plan").extend(statuses);
    }

    pub async fn next(&mut self) -> Received {
        self.next_within(WAIT).await.expect("no request arrived in time")
    }

    pub async fn next_within(&mut self, d: Duration) -> Option<Received> {
        tokio::time::timeout(d, self.rx.recv()).await.ok().flatten()
    }

    /// Asserts nothing more arrives within `d`.
    /// Asserts that no request came beyond those already taken (call it once the sender is
    /// idle: `TestApp::wait_idle`).
    pub fn assert_drained(&mut self) {
        let more: Vec<String> = self.try_drain().into_iter().map(|r| r.path).collect();
        assert!(more.is_empty(), "unexpected requests to {more:?}");
    }

    pub fn try_drain(&mut self) -> Vec<Received> {
        let mut out = vec![];
        while let Ok(r) = self.rx.try_recv() {
            out.push(r);
        }
        out
    }
}

/// The sum of the series of `selector` (a name, or a name with all its labels) in a Prometheus
/// text exposition.
pub fn sum_of(text: &str, selector: &str) -> f64 {
    let labelled = format!("{selector}{{");
    text.lines()
        .filter(|l| l.starts_with(&format!("{selector} ")) || (!selector.contains('{') && l.starts_with(&labelled)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}
