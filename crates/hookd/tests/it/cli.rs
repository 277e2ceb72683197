use std::process::Command;

use serde_json::json;

use crate::support::{OPERATOR, TestApp};

fn hookd(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hookd"))
        .args(args)
        .env_clear()
        .env("HOOKD_DATA_DIR", dir)
        .current_dir(dir)
        .output()
        .expect("run hookd")
}

#[tokio::test]
async fn token_create_prints_a_working_token_beside_a_running_server() {
    let app = TestApp::spawn().await;
    let (_, org) = app.op("POST", "/orgs", Some(json!({"name": "CLI"}))).await;
    let org_id = org["id"].as_str().unwrap();
    let out = hookd(&app.data_dir, &["token", "create", "--org", org_id, "--name", "ci", "--role", "viewer"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("hkd_"));
    let (s, _) = app.call("GET", &format!("/orgs/{org_id}/webhooks"), &token, None).await;
    assert_eq!(s, 200);
    let (s, _) = app.call("GET", &format!("/orgs/{org_id}/webhooks"), OPERATOR, None).await;
    assert_eq!(s, 200);
}

#[test]
fn migrate_and_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = hookd(dir.path(), &["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // One schema version a migration file: the newest is what a fresh database is migrated to.
    let migrations = concat!(env!("CARGO_MANIFEST_DIR"), "/../hookd-store/migrations/sqlite");
    let newest = std::fs::read_dir(migrations).unwrap().count();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&format!("schema version {newest}")), "{said}");
    assert!(dir.path().join("hookd.db").exists());

    let out = hookd(dir.path(), &["token", "create", "--org", "nope", "--name", "x"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--org"));

    let out = hookd(dir.path(), &["serve", "--database-url", "mysql://x"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HOOKD_DATABASE_URL"));

    std::fs::write(dir.path().join("hookd.toml"), "listen = 5\n").unwrap();
    let out = hookd(dir.path(), &["migrate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("hookd.toml"));
}

#[test]
fn first_start_prints_the_operator_token_and_demo_seeds_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookd"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .env_clear()
        .env("HOOKD_DATA_DIR", dir.path())
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::BufRead as _;
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = vec![];
    let url = loop {
        let l = lines.next().unwrap().unwrap();
        printed.push(l.clone());
        if let Some(rest) = l.strip_prefix("hookd listening on ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let token =
        printed.iter().find_map(|l| l.strip_prefix("operator token (shown once, keep it): ")).unwrap().to_owned();
    let client = reqwest::blocking::Client::new();
    let types: serde_json::Value =
        client.get(format!("{url}/api/v1/event-types")).bearer_auth(&token).send().unwrap().json().unwrap();
    let names: Vec<&str> = types["data"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    for want in [
        "organization.updated",
        "user.updated",
        "assign_task",
        "create_quote",
        "USER_CREATED",
        "USER_DISABLED",
        "USER_REMOVED_FROM_GROUP",
        "contract.status_changed",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    let demo_token = printed.iter().find_map(|l| l.strip_prefix("demo admin token: ")).unwrap();
    let demo_org = printed.iter().find_map(|l| l.strip_prefix("demo org: ")).unwrap();
    let r = client.get(format!("{url}/api/v1/orgs/{demo_org}/members")).bearer_auth(demo_token).send().unwrap();
    assert_eq!(r.status(), 200);
    let link = printed.iter().find_map(|l| l.split_once("sign-in link (works once, for 15 minutes): ")).unwrap().1;
    assert!(link.starts_with(&format!("{url}/portal/login#")), "{link}");
    // Lived in: webhooks to the demo's own receiver, with history and one disabled by its 410.
    let deadline = std::time::Instant::now() + crate::support::WAIT;
    loop {
        let hooks: serde_json::Value = client
            .get(format!("{url}/api/v1/orgs/{demo_org}/webhooks"))
            .bearer_auth(demo_token)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let hooks = hooks["data"].as_array().cloned().unwrap_or_default();
        let gone = hooks.iter().find(|w| w["enabled"] == false);
        let attempts: serde_json::Value = client
            .get(format!("{url}/api/v1/orgs/{demo_org}/attempts"))
            .bearer_auth(demo_token)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let ok = attempts["data"].as_array().is_some_and(|a| a.iter().any(|a| a["succeeded"] == true));
        if hooks.len() == 3 && ok && gone.is_some_and(|g| g["status"]["reason"].as_str().unwrap_or("").contains("410"))
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the demo never came alive: {hooks:?} {attempts}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    // A second start reuses the stored operator token and prints none.
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookd"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_clear()
        .env("HOOKD_DATA_DIR", dir.path())
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("hookd listening on "), "{first}");
    let url = first.strip_prefix("hookd listening on ").unwrap().split_whitespace().next().unwrap().to_owned();
    let r = client.get(format!("{url}/api/v1/orgs")).bearer_auth(&token).send().unwrap();
    assert_eq!(r.status(), 200);
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `hookd bench` with `args` in a temp dir; its one JSON line.
fn bench(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hookd"))
        .arg("bench")
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("run hookd bench");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON line")
}

#[test]
fn bench_smoke_delivers_everything() {
    let line = bench(&["--events", "200", "--webhooks", "2", "--publishers", "4", "--timeout-s", "60", "--runs", "2"]);
    assert_eq!(line["delivered"], 400);
    assert_eq!(line["lost"], 0);
    assert_eq!(line["duplicated"], 0);
    assert!(line["latency_ms"]["p99"].as_f64().is_some());
    assert!(line["publish_ms"]["p50"].as_f64().is_some_and(|p| p > 0.0));
    assert!(line["peak_rss_mb"].as_f64().is_some_and(|r| r > 0.0));
    // Two runs make one line of medians, with each run's rate.
    assert_eq!(line["runs"], 2);
    assert_eq!(line["deliveries_per_s_runs"].as_array().map(Vec::len), Some(2));
}

#[test]
fn bench_with_a_slow_receiver_delivers_everything() {
    let line = bench(&["--events", "100", "--publishers", "4", "--receiver-delay-ms", "50", "--timeout-s", "60"]);
    assert_eq!(line["receiver_delay_ms"], 50);
    assert_eq!(line["delivered"], 100);
    assert_eq!(line["lost"], 0);
    assert_eq!(line["duplicated"], 0);
}

#[test]
fn bench_to_a_redis_stream_counts_what_redis_took() {
    let redis = hookd_testkit::TempRedis::start();
    let destination = serde_json::json!({"type": "redis", "url": redis.url(), "stream": "bench"}).to_string();
    let line = bench(&[
        "--events",
        "100",
        "--webhooks",
        "2",
        "--publishers",
        "4",
        "--timeout-s",
        "60",
        "--destination",
        &destination,
    ]);
    assert_eq!(
        (line["destination"].clone(), line["delivered"].clone(), line["lost"].clone()),
        ("redis".into(), 200.into(), 0.into()),
        "{line}"
    );
    assert_eq!(redis.cli(&["XLEN", "bench"]).trim(), "200", "every message is in the stream");
}

/// A database file that exists but is empty was emptied, not made: hookd refuses it rather
/// than start a new, empty database in its place.
#[test]
fn an_emptied_database_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hookd.db");
    std::fs::write(&db, b"").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hookd"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOOKD_DATA_DIR", dir.path())
        .env("HOOKD_OPERATOR_TOKEN", OPERATOR)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("exists but is empty") && err.contains("delete the file"), "{err}");
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "left as it was");
}

/// `HOOKD_LOG_FORMAT=json` writes one JSON object a line; a format it does not know is refused
/// at start, naming the variable.
#[test]
fn logs_are_json_lines_when_asked_and_a_wrong_format_is_named() {
    use std::io::{BufRead as _, Read as _};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookd"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_clear()
        .env("HOOKD_DATA_DIR", dir.path())
        .env("HOOKD_LOG_FORMAT", "json")
        .env("HOOKD_LOG", "info")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    while !lines.next().unwrap().unwrap().starts_with("hookd listening on ") {}
    // A graceful stop logs that it is finishing the requests in flight.
    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    assert!(child.wait().unwrap().success(), "a graceful stop exits 0");
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let logged: Vec<serde_json::Value> =
        stderr.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    let stop = logged.iter().find(|l| l["message"].as_str().is_some_and(|m| m.starts_with("shutting down")));
    let stop = stop.unwrap_or_else(|| panic!("no shutdown line in {stderr}"));
    assert_eq!(stop["level"], "INFO");
    assert!(stop["timestamp"].is_string() && stop["target"].is_string(), "{stop}");

    let out = Command::new(env!("CARGO_BIN_EXE_hookd"))
        .args(["migrate"])
        .env_clear()
        .env("HOOKD_DATA_DIR", dir.path())
        .env("HOOKD_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("HOOKD_LOG_FORMAT") && said.contains("`json`"), "{said}");
}
