//! `hookd bench`: starts a receiver in this process and `hookd serve` as a child process on a
//! fresh data dir, publishes N events to E webhooks from P concurrent publishers, waits for
//! every delivery, and prints one JSON line. Latency runs from the moment a publish request
//! starts to the moment the receiver has the delivery.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde_json::json;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Events to publish.
    #[arg(long, short = 'n', default_value_t = 10_000)]
    pub events: usize,
    /// Webhooks every event goes to.
    #[arg(long, short = 'e', default_value_t = 1)]
    pub webhooks: usize,
    /// Payload size in bytes.
    #[arg(long, default_value_t = 1024)]
    pub payload_bytes: usize,
    /// Concurrent publishers.
    #[arg(long, default_value_t = 16)]
    pub publishers: usize,
    /// Give up waiting for deliveries after this many seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout_s: u64,
    /// Database for the server under test (default: SQLite in a temp dir).
    #[arg(long)]
    pub database_url: Option<String>,
    /// `hookd serve` processes sharing the database (PostgreSQL only); publishers spread over them.
    #[arg(long, default_value_t = 1)]
    pub nodes: usize,
    /// Runs of the whole benchmark, each on a fresh server; the line gives the median of each
    /// figure, and every run's deliveries/s.
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// How long the receiver works on each request before it answers (its receipt is noted on
    /// arrival): real receivers take milliseconds, and then a node's bound is its requests in
    /// flight (`HOOKD_CONCURRENCY`), not the CPU.
    #[arg(long, default_value_t = 0)]
    pub receiver_delay_ms: u64,
    /// A filter (JSON) on every webhook, to measure what matching costs. The bench counts
    /// deliveries of every event, so it should pass them all: the events' payloads are
    /// `{"i": N, "data": "xxx..."}` of type `bench.event`.
    #[arg(long, value_parser = parse_json)]
    pub filter: Option<serde_json::Value>,
    /// JavaScript on every webhook (a `handler(webhook)`), to measure what transformations
    /// cost. It must not cancel: the bench counts deliveries by the `webhook-id` header.
    #[arg(long)]
    pub transformation: Option<String>,
    /// A destination (JSON, as the API takes it) for every webhook instead of the bench's own
    /// receiver, e.g. a RabbitMQ exchange or an SQS queue. Deliveries are then counted from
    /// hookd's metrics (attempts that succeeded): no latency or duplicate count.
    #[arg(long, value_parser = parse_json)]
    pub destination: Option<serde_json::Value>,
}

fn parse_json(s: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(s).map_err(|e| format!("is not JSON: {e}"))
}

/// First receipt time of each delivery, and how many requests came in all.
#[derive(Default)]
struct Receipts {
    first: HashMap<String, Instant>,
    total: usize,
}

/// Notes a delivery's arrival and reads its body, as a real receiver would, and answers after
/// `delay`.
async fn receive(
    receipts: Arc<Mutex<Receipts>>,
    delay: Duration,
    req: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, hyper::Error> {
    let now = Instant::now();
    if let Some(id) = req.headers().get("webhook-id").and_then(|v| v.to_str().ok())
        && let Ok(mut r) = receipts.lock()
    {
        r.total += 1;
        r.first.entry(id.to_owned()).or_insert(now);
    }
    req.into_body().collect().await?;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    Ok(hyper::Response::new(Full::new(Bytes::from_static(b"ok"))))
}

/// Serves [`receive`] on `listener` until the task is aborted.
async fn serve_receiver(listener: tokio::net::TcpListener, receipts: Arc<Mutex<Receipts>>, delay: Duration) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of descriptors, say: wait for connections to close rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let receipts = receipts.clone();
        let service = hyper::service::service_fn(move |req| receive(receipts.clone(), delay, req));
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
        });
    }
}

struct Server {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(token: &str, key: &str, database_url: Option<&str>) -> Result<Server> {
    let dir = tempfile::tempdir().context("temp dir")?;
    let exe = std::env::current_exe().context("locating the hookd binary")?;
    let mut cmd = Command::new(exe);
    cmd.arg("serve")
        .env("HOOKD_DATA_DIR", dir.path())
        .env("HOOKD_LISTEN", "127.0.0.1:0")
        .env("HOOKD_OPERATOR_TOKEN", token)
        .env("HOOKD_SECRET_KEY", key)
        .env("HOOKD_ALLOW_PRIVATE_TARGETS", "true")
        .env("HOOKD_LOG", "warn")
        .env_remove("HOOKD_CONFIG")
        .current_dir(dir.path())
        .stdout(Stdio::piped());
    if let Some(url) = database_url {
        cmd.env("HOOKD_DATABASE_URL", url);
    }
    let mut child = cmd.spawn().context("starting hookd serve")?;
    let stdout = child.stdout.take().context("server stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(rest) = line.strip_prefix("hookd listening on ") {
                    break rest.split_whitespace().next().unwrap_or_default().to_owned();
                }
            }
            _ => bail!("hookd serve exited before listening"),
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok(Server { child, url, _dir: dir })
}

/// The peak resident set of a process, in MiB (Linux `VmHWM`).
fn peak_rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time a process has used so far, in seconds (user + system, from `/proc/PID/stat`):
/// steadier than wall-clock rates on a shared machine.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// A percentile in milliseconds, to a tenth.
fn ms_at(sorted: &[f64], p: f64) -> f64 {
    (percentile(sorted, p) * 10.0).round() / 10.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Calls the API under test with hyper's pooled client, as the dispatcher sends webhooks:
/// reqwest's layers would cost CPU that the server under test shares.
#[derive(Clone)]
struct Api {
    client: hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    authorization: HeaderValue,
}

/// What a publish answers that the bench uses.
#[derive(serde::Deserialize)]
struct Accepted {
    deliveries: Vec<String>,
}

impl Api {
    fn new(token: &str, publishers: usize) -> Result<Self> {
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .pool_max_idle_per_host(publishers * 2)
            .build_http();
        Ok(Self { client, authorization: HeaderValue::from_str(&format!("Bearer {token}"))? })
    }

    /// POSTs a JSON body and parses the 2xx answer.
    async fn post<T: serde::de::DeserializeOwned>(&self, url: &hyper::Uri, body: String) -> Result<T> {
        let request = hyper::Request::post(url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))?;
        let response = self.client.request(request).await.with_context(|| format!("POST {url}"))?;
        let status = response.status();
        let body = response.into_body().collect().await.with_context(|| format!("POST {url}"))?.to_bytes();
        if !status.is_success() {
            bail!("POST {url}: {status} {}", String::from_utf8_lossy(&body));
        }
        serde_json::from_slice(&body).with_context(|| format!("POST {url}: the answer"))
    }

    async fn get_text(&self, url: &str) -> Result<String> {
        let request = hyper::Request::get(url.parse::<hyper::Uri>()?).body(Full::new(Bytes::new()))?;
        let response = self.client.request(request).await.with_context(|| format!("GET {url}"))?;
        let body = response.into_body().collect().await.with_context(|| format!("GET {url}"))?.to_bytes();
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    async fn is_ready(&self, base: &str) -> bool {
        let Ok(uri) = format!("{base}/readyz").parse::<hyper::Uri>() else { return false };
        let Ok(request) = hyper::Request::get(uri).body(Full::new(Bytes::new())) else { return false };
        self.client.request(request).await.is_ok_and(|r| r.status().is_success())
    }
}

/// Attempts that succeeded on every node, from their `/metrics`.
async fn succeeded_attempts(api: &Api, servers: &[Server]) -> usize {
    let mut n = 0.0;
    for s in servers {
        let Ok(text) = api.get_text(&format!("{}/metrics", s.url)).await else { continue };
        n += text
            .lines()
            .filter(|l| l.starts_with("hookd_attempts_total{") && l.contains("result=\"2xx\""))
            .filter_map(|l| l.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()))
            .sum::<f64>();
    }
    n as usize
}

pub async fn run(args: BenchArgs) -> Result<()> {
    if args.events == 0 || args.webhooks == 0 || args.publishers == 0 || args.nodes == 0 || args.runs == 0 {
        bail!("--events, --webhooks, --publishers, --nodes and --runs must be at least 1");
    }
    if args.nodes > 1 && !args.database_url.as_deref().is_some_and(|u| u.starts_with("postgres")) {
        bail!("--nodes above 1 needs --database-url postgres://...: one SQLite file serves one node");
    }
    let mut lines = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        lines.push(run_once(&args).await?);
    }
    let line = if lines.len() == 1 { lines.remove(0) } else { medians(&lines) };
    println!("{line}");
    let lost = line["lost"].as_u64().unwrap_or(0);
    if lost > 0 {
        bail!("{lost} deliveries were lost");
    }
    Ok(())
}

/// One line for several runs: the median of each measured figure, the worst of lost and
/// duplicated, and every run's deliveries/s.
fn medians(lines: &[serde_json::Value]) -> serde_json::Value {
    let median = |path: &[&str]| -> serde_json::Value {
        let mut v: Vec<f64> =
            lines.iter().filter_map(|l| path.iter().try_fold(l, |v, k| v.get(*k)).and_then(|v| v.as_f64())).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().map(serde_json::Value::from).unwrap_or(serde_json::Value::Null)
    };
    let worst = |key: &str| lines.iter().filter_map(|l| l[key].as_u64()).max().unwrap_or(0);
    let mut line = lines[0].clone();
    for key in ["ingest_per_s", "deliveries_per_s", "server_cpu_us_per_delivery", "peak_rss_mb"] {
        line[key] = median(&[key]);
    }
    for key in ["p50", "p99", "max"] {
        line["latency_ms"][key] = median(&["latency_ms", key]);
    }
    for key in ["p50", "p99"] {
        line["publish_ms"][key] = median(&["publish_ms", key]);
    }
    line["delivered"] = lines.iter().filter_map(|l| l["delivered"].as_u64()).min().unwrap_or(0).into();
    line["lost"] = worst("lost").into();
    line["duplicated"] = worst("duplicated").into();
    line["runs"] = lines.len().into();
    line["deliveries_per_s_runs"] = lines.iter().map(|l| l["deliveries_per_s"].clone()).collect();
    line
}

/// One whole benchmark: receiver, fresh servers, publish, wait, measure.
async fn run_once(args: &BenchArgs) -> Result<serde_json::Value> {
    let receipts = Arc::new(Mutex::new(Receipts::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let rx_addr = listener.local_addr()?;
    // Stopped at the end of the run, so that `--runs` does not leave receivers behind.
    let delay = Duration::from_millis(args.receiver_delay_ms);
    let receiver = tokio::spawn(serve_receiver(listener, receipts.clone(), delay));

    let token = hookd_service::tokens::new_token_value();
    let (_, key) = hookd_core::secret::MasterKey::generate();
    let servers = (0..args.nodes)
        .map(|_| start_server(&token, &key, args.database_url.as_deref()))
        .collect::<Result<Vec<_>>>()?;
    let api = Api::new(&token, args.publishers)?;
    let deadline = Instant::now() + Duration::from_secs(30);
    for server in &servers {
        while !api.is_ready(&server.url).await {
            if Instant::now() > deadline {
                bail!("the server never became ready");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let base = format!("{}/api/v1", servers[0].url);
    let _: serde_json::Value = api
        .post(&format!("{base}/event-types").parse()?, json!({"name": "bench.event", "group": "Bench"}).to_string())
        .await?;
    let org: serde_json::Value =
        api.post(&format!("{base}/orgs").parse()?, json!({"name": "bench"}).to_string()).await?;
    let org_id = org["id"].as_str().context("org id")?.to_owned();
    for i in 0..args.webhooks {
        let mut webhook = json!({"name": format!("bench {i}"), "event_types": ["bench.event"], "filter": args.filter,
            "transformation": args.transformation.as_ref().map(|code| json!({"code": code}))});
        match &args.destination {
            Some(d) => webhook["destination"] = d.clone(),
            None => webhook["url"] = json!(format!("http://{rx_addr}/hook/{i}")),
        }
        let _: serde_json::Value =
            api.post(&format!("{base}/orgs/{org_id}/webhooks").parse()?, webhook.to_string()).await?;
    }

    let cpu_before: f64 = servers.iter().filter_map(|s| cpu_seconds(s.child.id())).sum();
    let filler = "x".repeat(args.payload_bytes.saturating_sub(32).max(1));
    let next = Arc::new(AtomicUsize::new(0));
    let published: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for p in 0..args.publishers {
        let url: hyper::Uri = format!("{}/api/v1/orgs/{org_id}/events", servers[p % servers.len()].url).parse()?;
        let (api, next, published, filler) = (api.clone(), next.clone(), published.clone(), filler.clone());
        let n = args.events;
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            let mut waits = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let t0 = Instant::now();
                // The filler is plain ASCII letters: nothing in it needs escaping.
                let body = format!(r#"{{"type":"bench.event","payload":{{"i":{i},"data":"{filler}"}}}}"#);
                let accepted: Accepted = api.post(&url, body).await?;
                waits.push(t0.elapsed().as_secs_f64() * 1000.0);
                mine.extend(accepted.deliveries.into_iter().map(|d| (d, t0)));
            }
            if let Ok(mut p) = published.lock() {
                p.extend(mine);
            }
            Ok::<Vec<f64>, anyhow::Error>(waits)
        }));
    }
    // How long each publish waited for its 202 (the event on disk).
    let mut publish_ms = Vec::with_capacity(args.events);
    for t in tasks {
        publish_ms.extend(t.await??);
    }
    publish_ms.sort_by(f64::total_cmp);
    let ingest_elapsed = started.elapsed();
    let expected = args.events * args.webhooks;
    let wait_until = Instant::now() + Duration::from_secs(args.timeout_s);
    let mut accepted_elsewhere = 0;
    loop {
        let got = match &args.destination {
            None => receipts.lock().map(|r| r.first.len()).unwrap_or(0),
            Some(_) => {
                accepted_elsewhere = succeeded_attempts(&api, &servers).await;
                accepted_elsewhere
            }
        };
        if got >= expected || Instant::now() > wait_until {
            break;
        }
        tokio::time::sleep(Duration::from_millis(if args.destination.is_some() { 50 } else { 5 })).await;
    }
    let delivered_elapsed = started.elapsed();
    // A short quiet period to catch duplicates still on the wire.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss: Vec<f64> = servers.iter().filter_map(|s| peak_rss_mib(s.child.id())).collect();
    let cpu: f64 = servers.iter().filter_map(|s| cpu_seconds(s.child.id())).sum::<f64>() - cpu_before;

    let published = published.lock().map(|p| p.clone()).unwrap_or_default();
    let (first, total) = receipts.lock().map(|r| (r.first.clone(), r.total)).unwrap_or_default();
    let mut latencies: Vec<f64> = published
        .iter()
        .filter_map(|(id, t0)| first.get(id).map(|t| t.saturating_duration_since(*t0).as_secs_f64() * 1000.0))
        .collect();
    latencies.sort_by(f64::total_cmp);
    let (delivered, lost, duplicated) = match &args.destination {
        None => {
            let lost = published.keys().filter(|id| !first.contains_key(*id)).count();
            (first.len(), lost, Some(total.saturating_sub(first.len())))
        }
        Some(_) => (accepted_elsewhere, expected.saturating_sub(accepted_elsewhere), None),
    };
    let line = json!({
        "backend": args.database_url.as_deref().map(|u| u.split(':').next().unwrap_or("?")).unwrap_or("sqlite"),
        "events": args.events,
        "webhooks": args.webhooks,
        "payload_bytes": args.payload_bytes,
        "publishers": args.publishers,
        "receiver_delay_ms": args.receiver_delay_ms,
        "filter": args.filter,
        "transformation": args.transformation.is_some(),
        "destination": args.destination.as_ref().map(|d| d["type"].clone()),
        "ingest_per_s": (args.events as f64 / ingest_elapsed.as_secs_f64()).round(),
        "deliveries_per_s": (delivered as f64 / delivered_elapsed.as_secs_f64()).round(),
        "latency_ms": { "p50": ms_at(&latencies, 0.50), "p99": ms_at(&latencies, 0.99), "max": ms_at(&latencies, 1.0) },
        "publish_ms": { "p50": ms_at(&publish_ms, 0.50), "p99": ms_at(&publish_ms, 0.99) },
        "delivered": delivered,
        "lost": lost,
        "duplicated": duplicated,
        "nodes": args.nodes,
        "server_cpu_us_per_delivery": (cpu * 1e6 / delivered.max(1) as f64).round(),
        "peak_rss_mb": rss.iter().copied().reduce(f64::max).map(|r| (r * 10.0).round() / 10.0),
    });
    drop(servers);
    receiver.abort();
    Ok(line)
}
