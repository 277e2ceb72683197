//! What operators run beside hookd: a real Prometheus (Debian's) scraping `/metrics` with the
//! alert rules of `deploy/`, firing one, and answering every query of the Grafana dashboard.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::browser::{Browser, binary, free_port};
use crate::support::{Receiver, TestApp, WAIT};

fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy").join(file)
}

struct Prometheus {
    child: Child,
    url: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prometheus {
    /// Prometheus scraping `target` (host:port) every second as job `hookd`, with hookd's alert
    /// rules evaluated every second; ready to answer queries.
    async fn start(target: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("prometheus.yml");
        let rules = deploy("prometheus/alerts.yml");
        std::fs::write(
            &config,
            format!(
                "global: {{scrape_interval: 1s, evaluation_interval: 1s}}\nrule_files: ['{}']\nscrape_configs:\n  - job_name: hookd\n    static_configs: [{{targets: ['{target}']}}]\n",
                rules.display()
            ),
        )
        .unwrap();
        let http = reqwest::Client::new();
        // The free port can be taken before Prometheus binds it: then it exits, and gets another.
        for _ in 0..5 {
            let url = format!("http://127.0.0.1:{}", free_port());
            let mut child = Command::new(binary("prometheus"))
                .arg(format!("--config.file={}", config.display()))
                .arg(format!("--storage.tsdb.path={}", dir.path().join("data").display()))
                .arg(format!("--web.listen-address={}", url.trim_start_matches("http://")))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start prometheus");
            let deadline = Instant::now() + WAIT;
            while child.try_wait().unwrap().is_none() {
                if http.get(format!("{url}/-/ready")).send().await.is_ok_and(|r| r.status().is_success()) {
                    return Self { child, url, http, _dir: dir };
                }
                assert!(Instant::now() < deadline, "prometheus never became ready");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("prometheus exited at once five times");
    }

    async fn api(&self, path: &str, params: &[(&str, String)]) -> Value {
        let got: Value = self
            .http
            .get(format!("{}/api/v1/{path}", self.url))
            .query(params)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(got["status"], "success", "{path} {params:?}: {got}");
        got["data"].clone()
    }

    /// The query's value now, summed over its series (`None` when it has no series).
    async fn value(&self, query: &str) -> Option<f64> {
        let data = self.api("query", &[("query", query.to_owned())]).await;
        let result = data["result"].as_array()?;
        (!result.is_empty()).then(|| result.iter().filter_map(|r| r["value"][1].as_str()?.parse::<f64>().ok()).sum())
    }

    async fn wait_for(&self, what: &str, query: &str, ok: impl Fn(f64) -> bool) -> f64 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(v) = self.value(query).await.filter(|v| ok(*v)) {
                return v;
            }
            assert!(Instant::now() < deadline, "{what}: {query} = {:?}", self.value(query).await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[test]
fn the_alert_rules_are_valid_and_fire_on_what_they_describe() {
    let check = Command::new(binary("promtool"))
        .arg("check")
        .arg("rules")
        .arg(deploy("prometheus/alerts.yml"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    // The unit tests name their rules file relative to themselves.
    let test = Command::new(binary("promtool"))
        .args(["test", "rules", "alerts_test.yml"])
        .current_dir(deploy("prometheus"))
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&test.stdout), String::from_utf8_lossy(&test.stderr));
    assert!(test.status.success() && said.contains("SUCCESS"), "{said}");
}

#[tokio::test]
async fn prometheus_scrapes_hookd_fires_an_alert_and_answers_the_dashboard() {
    let app = TestApp::spawn().await;
    let prom = Prometheus::start(app.url.trim_start_matches("http://")).await;
    prom.wait_for("the first scrape", "up{job=\"hookd\"}", |v| v == 1.0).await;

    // Load over a few seconds: one receiver that answers, one that fails its first answers,
    // and one that answers 410 Gone, which disables its webhook (after the first scrape, so
    // the counter is seen going up).
    let (ok, flaky, gone) = (Receiver::start().await, Receiver::start().await, Receiver::start().await);
    flaky.plan(&[503; 20]);
    gone.plan(&[410]);
    let org = app.org().await;
    for (name, rx) in [("ok", &ok), ("flaky", &flaky), ("gone", &gone)] {
        app.create_webhook(&org, json!({"name": name, "url": rx.url(), "event_types": ["user.created"]})).await;
    }
    let started = chrono::Utc::now();
    let mut pace = tokio::time::interval(Duration::from_millis(100));
    for n in 0..100 {
        pace.tick().await;
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }

    let alerts = Instant::now() + WAIT;
    loop {
        let data = prom.api("alerts", &[]).await;
        let firing = data["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["labels"]["alertname"] == "HookdWebhookDisabled" && a["state"] == "firing");
        if firing {
            break;
        }
        assert!(Instant::now() < alerts, "HookdWebhookDisabled never fired: {data}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rules = prom.api("rules", &[]).await;
    let loaded: Vec<&Value> =
        rules["groups"].as_array().unwrap().iter().flat_map(|g| g["rules"].as_array().unwrap()).collect();
    assert_eq!(loaded.len(), 6, "{rules}");
    assert!(loaded.iter().all(|r| r["health"] == "ok"), "{rules}");
    assert!(loaded.iter().all(|r| r["name"] == "HookdWebhookDisabled" || r["state"] == "inactive"), "{rules}");

    // Quantiles from the histograms, as an operator asks for them.
    // 100 events to the answering and the failing webhook; the disabled one's are not sent.
    prom.wait_for("every first attempt", "sum(hookd_delivery_lag_seconds_count)", |v| v >= 200.0).await;
    let lag = prom.value("histogram_quantile(0.99, sum by (le) (hookd_delivery_lag_seconds_bucket))").await.unwrap();
    assert!(lag > 0.0 && lag < 5.0, "p99 lag {lag}");
    let took =
        prom.value("histogram_quantile(0.5, sum by (le) (hookd_attempt_duration_seconds_bucket))").await.unwrap();
    assert!(took > 0.0 && took < 0.1, "p50 attempt {took}");
    prom.wait_for("the failing answers", "sum(hookd_attempts_total{result=\"5xx\"})", |v| v >= 20.0).await;
    let route =
        "hookd_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/orgs/{org}/events\",status=\"2xx\"}";
    assert!(prom.value(route).await.unwrap() >= 100.0);

    let text = app.http.get(format!("{}/metrics", app.url)).send().await.unwrap().text().await.unwrap();
    let mut check = Command::new(binary("promtool"))
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut check.stdin.take().unwrap(), text.as_bytes()).unwrap();
    let out = check.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.trim().is_empty(), "promtool check metrics: {said}");
    assert!(!text.contains("org_") && !text.contains("wh_"), "no org or webhook ID in a label");

    dashboard(&prom, started).await;
}

/// Every query of the Grafana dashboard is valid PromQL, the delivery panels have data, and
/// the panels drawn from what Prometheus answers are saved as `target/screenshots/dashboard.png`.
async fn dashboard(prom: &Prometheus, since: chrono::DateTime<chrono::Utc>) {
    let board: Value = serde_json::from_str(&std::fs::read_to_string(deploy("grafana/hookd.json")).unwrap()).unwrap();
    let (start, end) = (since.timestamp(), chrono::Utc::now().timestamp());
    let mut html = String::from(PAGE_HEAD);
    for panel in board["panels"].as_array().unwrap() {
        let title = panel["title"].as_str().unwrap();
        let mut lines = vec![];
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap().replace("$job", "hookd").replace("$__rate_interval", "15s");
            let params =
                [("query", expr.clone()), ("start", start.to_string()), ("end", end.to_string()), ("step", "1".into())];
            let data = prom.api("query_range", &params).await;
            for series in data["result"].as_array().unwrap() {
                let mut legend = target["legendFormat"].as_str().unwrap_or("").to_owned();
                for (k, v) in series["metric"].as_object().unwrap() {
                    legend = legend.replace(&format!("{{{{{k}}}}}"), v.as_str().unwrap_or(""));
                }
                let points: Vec<(f64, f64)> = series["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|p| {
                        Some((p[0].as_f64()?, p[1].as_str()?.parse::<f64>().ok().filter(|v| v.is_finite())?))
                    })
                    .collect();
                lines.push((legend, points));
            }
        }
        let has_data = lines.iter().any(|(_, p)| !p.is_empty());
        if ["Attempts by result", "Delivery lag", "Attempt duration", "Events and deliveries"].contains(&title) {
            assert!(has_data, "the dashboard's {title:?} panel has no data");
        }
        let wide = panel["gridPos"]["w"].as_u64().unwrap();
        html += &draw(title, wide, (start as f64, end as f64), &lines);
    }
    html += "</main>";
    let page = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dashboard.html");
    std::fs::write(&page, html).unwrap();
    let b = Browser::start().await;
    b.c.set_window_size(1280, 1560).await.unwrap();
    b.goto(&format!("file://{}", page.display())).await;
    b.shot("dashboard").await;
    b.close().await;
}

const PAGE_HEAD: &str = "<!doctype html><meta charset=utf-8><title>hookd dashboard</title><style>
body{margin:0;background:#111217;color:#ccccdc;font:13px system-ui,sans-serif}
h1{font-size:16px;margin:12px 16px}main{display:grid;grid-template-columns:repeat(24,1fr);gap:8px;padding:0 16px 16px}
section{background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:6px 8px}h2{font-size:13px;margin:0 0 4px;font-weight:500}
svg{width:100%;height:150px;display:block}.legend{display:flex;gap:10px;flex-wrap:wrap;font-size:12px}.legend i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}
.axis{color:#8e8e8e;font-size:11px}</style><h1>hookd · the dashboard of deploy/grafana/hookd.json, from a real Prometheus</h1><main>";

const COLORS: [&str; 6] = ["#73bf69", "#f2cc0c", "#5794f2", "#ff9830", "#f2495c", "#b877d9"];

/// A number as a chart's axis shows it: 3 significant digits, with k, M or G.
fn human(v: f64) -> String {
    let (v, unit) = match v {
        v if v >= 1e9 => (v / 1e9, "G"),
        v if v >= 1e6 => (v / 1e6, "M"),
        v if v >= 1e3 => (v / 1e3, "k"),
        v => (v, ""),
    };
    format!("{}{unit}", format!("{v:.3}").trim_end_matches('0').trim_end_matches('.'))
}

/// One panel as an SVG line chart over [from, to].
fn draw(title: &str, wide: u64, (from, to): (f64, f64), lines: &[(String, Vec<(f64, f64)>)]) -> String {
    let top = lines.iter().flat_map(|(_, p)| p.iter().map(|v| v.1)).fold(0.0_f64, f64::max);
    let top = if top > 0.0 { top * 1.1 } else { 1.0 };
    let (w, h) = (600.0, 150.0);
    let mut svg = format!(
        "<div class=axis>{}</div><svg viewBox='0 0 {w} {h}' preserveAspectRatio='none'><line x1=0 y1={h} x2={w} y2={h} stroke=#2c3235 />",
        human(top)
    );
    let mut legend = String::new();
    for (i, (name, points)) in lines.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let path: Vec<String> = points
            .iter()
            .map(|(t, v)| format!("{:.1},{:.1}", (t - from) / (to - from).max(1.0) * w, h - v / top * (h - 14.0)))
            .collect();
        svg += &format!(
            "<polyline fill=none stroke='{color}' stroke-width=1.5 vector-effect=non-scaling-stroke points='{}'/>",
            path.join(" ")
        );
        legend += &format!("<span><i style='background:{color}'></i>{name}</span>");
    }
    if lines.is_empty() {
        legend = "<span>No data</span>".into();
    }
    format!(
        "<section style='grid-column:span {wide}'><h2>{title}</h2>{svg}</svg><div class=legend>{legend}</div></section>"
    )
}
