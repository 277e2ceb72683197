//! At-least-once across SIGKILL (every event answered 202 is delivered after a restart), and
//! no sending while what was sent cannot be recorded.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::json;

use crate::support::{Options, Receiver, TestApp, WAIT};

#[tokio::test]
async fn sigkill_mid_load_loses_nothing_accepted() {
    let mut app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "c", "url": rx.url(), "event_types": ["user.created"]})).await;
    app.create_webhook(
        &org,
        json!({"name": "c2", "url": format!("http://{}/second", rx.addr), "event_types": ["user.created"]}),
    )
    .await;

    let accepted = Arc::new(std::sync::Mutex::new(BTreeSet::<String>::new()));
    let url = format!("{}/api/v1/orgs/{}/events", app.url, org.id);
    let mut publishers = vec![];
    for p in 0..8 {
        let (http, url, token, accepted) = (app.http.clone(), url.clone(), org.token.clone(), accepted.clone());
        publishers.push(tokio::spawn(async move {
            for n in 0..100 {
                let r = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"type": "user.created", "payload": {"p": p, "n": n}}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 202 => {
                        let body: serde_json::Value = r.json().await.unwrap();
                        let mut a = accepted.lock().unwrap();
                        for d in body["deliveries"].as_array().unwrap() {
                            a.insert(d.as_str().unwrap().to_owned());
                        }
                    }
                    // The server died under us: anything without a 202 was never promised.
                    _ => return,
                }
            }
        }));
    }
    // Kill once a good share of the load is in.
    let deadline = std::time::Instant::now() + crate::support::WAIT;
    while accepted.lock().unwrap().len() < 300 {
        assert!(std::time::Instant::now() < deadline, "load never got going");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    app.kill();
    for p in publishers {
        p.await.unwrap();
    }
    let promised = accepted.lock().unwrap().clone();
    assert!(promised.len() >= 300);

    app.restart().await;
    let mut received = BTreeSet::new();
    for r in rx.try_drain() {
        received.insert(r.header("webhook-id").to_owned());
    }
    while !promised.is_subset(&received) {
        let r = rx.next().await;
        received.insert(r.header("webhook-id").to_owned());
    }
    let lost: Vec<_> = promised.difference(&received).collect();
    assert!(lost.is_empty(), "lost {} deliveries", lost.len());
}

/// Attempts the database refuses to record stop the node from sending (it would send the same
/// deliveries again each time their lease ended) and turn `/readyz` into a problem that says
/// why; once they are recorded again, the node goes on by itself.
#[tokio::test]
async fn a_node_that_cannot_record_stops_sending_and_says_why() {
    let app = TestApp::spawn_with(Options { lease: "1s", ..Default::default() }).await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "w", "url": rx.url(), "event_types": ["user.created"]})).await;
    let db = rusqlite::Connection::open(app.data_dir.join("hookd.db")).unwrap();
    db.execute_batch(
        "CREATE TRIGGER refuse_attempts BEFORE INSERT ON attempts BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
    )
    .unwrap();
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    assert_eq!(rx.next().await.path, "/hook");

    let deadline = std::time::Instant::now() + WAIT;
    let problem = loop {
        let r = app.http.get(format!("{}/readyz", app.url)).send().await.unwrap();
        if r.status() == 503 {
            break r.json::<serde_json::Value>().await.unwrap();
        }
        assert!(std::time::Instant::now() < deadline, "never said it was stalled");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("attempts cannot be recorded"), "{problem}");
    // Five refused writes take longer than the lease (1 s): a node that went on sending would
    // have sent the delivery again by then.
    while app.metric("hookd_recording_failures_total").await < 5 {
        assert!(std::time::Instant::now() < deadline, "the recorder stopped trying");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(app.metric("hookd_stalled").await, 1);
    rx.assert_drained();

    db.execute_batch("DROP TRIGGER refuse_attempts").unwrap();
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    assert_eq!(attempts.len(), 1, "the one attempt made, recorded once");
    app.wait_idle().await;
    rx.assert_drained();
    // Readers see a write once it is committed, the recorder once it is also on disk (the
    // group's fsync): ready again a moment after the attempt shows.
    let deadline = std::time::Instant::now() + WAIT;
    while app.http.get(format!("{}/readyz", app.url)).send().await.unwrap().status() != 200 {
        assert!(std::time::Instant::now() < deadline, "never ready again by itself");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A damaged SQLite file is found at start (every page read once) and refused with what to
/// do, instead of a node that says it is ready and then fails every record it writes.
#[tokio::test]
async fn a_damaged_database_is_refused_at_start() {
    let mut app = TestApp::spawn().await;
    let org = app.org().await;
    for n in 0..20 {
        let hook = json!({"name": format!("w{n}"), "url": "https://example.com/hook", "event_types": ["user.created"]});
        app.create_webhook(&org, hook).await;
    }
    app.kill();
    let path = app.data_dir.join("hookd.db");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(db);
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 8192;
    assert!(bytes.len() > 4 * page, "a file of several pages: {}", bytes.len());
    // Two pages in the middle overwritten with a pattern, as a bad disk or a stray write would.
    let middle = bytes.len() / page / 2 * page;
    for (i, b) in bytes[middle..middle + 2 * page].iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = app.start_refused(&[]);
    assert!(err.contains("is damaged") && err.contains("restore it from a backup"), "{err}");
    // An operator may skip the check (a file too large to read at every start): it starts.
    let skip = [("HOOKD_CHECK_DATABASE".to_owned(), "false".to_owned())];
    let (mut unchecked, url, _) = crate::support::start(&app.data_dir, &skip, false);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    unchecked.kill().unwrap();
    unchecked.wait().unwrap();
}

/// Every item of a paged list (`GET path?limit=500`, following `next_cursor`).
async fn all_of(app: &TestApp, token: &str, path: &str) -> Vec<serde_json::Value> {
    let mut out = vec![];
    let mut cursor = String::new();
    loop {
        let (s, page) = app.call("GET", &format!("{path}?limit=500{cursor}"), token, None).await;
        assert_eq!(s, 200, "{page}");
        out.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => return out,
        }
    }
}

/// Access tokens made and revoked by concurrent callers while the node is SIGKILLed, again
/// and again: afterwards every token that exists has its `token.created` entry and no
/// `token.deleted` one, and every token the log says was made and not revoked exists. Before,
/// an entry was written after its change, and a kill in between left changes without one.
#[tokio::test]
async fn every_change_that_survives_a_kill_has_its_audit_entry() {
    let mut app = TestApp::spawn().await;
    let org = app.org().await;
    let answered = Arc::new(std::sync::Mutex::new(BTreeSet::<String>::new()));
    for round in 0..4 {
        let path = format!("{}/api/v1/orgs/{}/tokens", app.url, org.id);
        let mut callers = vec![];
        for c in 0..6 {
            let (http, path, token, answered) = (app.http.clone(), path.clone(), org.token.clone(), answered.clone());
            callers.push(tokio::spawn(async move {
                for n in 0..200 {
                    let body = json!({"name": format!("r{round} c{c} n{n}"), "role": "viewer"});
                    let Ok(r) = http.post(&path).bearer_auth(&token).json(&body).send().await else { return };
                    let Ok(made) = r.json::<serde_json::Value>().await else { return };
                    let Some(id) = made["id"].as_str() else { return };
                    answered.lock().unwrap().insert(id.to_owned());
                    if n % 2 == 0 {
                        let _ = http.delete(format!("{path}/{id}")).bearer_auth(&token).send().await;
                    }
                }
            }));
        }
        // Kill once changes are under way (the round's own, not the last round's).
        let before = answered.lock().unwrap().len();
        let deadline = std::time::Instant::now() + WAIT;
        while answered.lock().unwrap().len() < before + 20 {
            assert!(std::time::Instant::now() < deadline, "no token was made");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        app.kill();
        for c in callers {
            c.await.unwrap();
        }
        app.restart().await;
    }

    let tokens: BTreeSet<String> = all_of(&app, &org.token, &format!("/orgs/{}/tokens", org.id))
        .await
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    let log = all_of(&app, &org.token, &format!("/orgs/{}/audit", org.id)).await;
    let noted = |action: &str| -> BTreeSet<String> {
        log.iter().filter(|e| e["action"] == action).map(|e| e["target"].as_str().unwrap().to_owned()).collect()
    };
    let (created, deleted) = (noted("token.created"), noted("token.deleted"));
    let live: BTreeSet<String> = created.difference(&deleted).cloned().collect();
    let unnoted: Vec<&String> = tokens.difference(&live).collect();
    let noted_only: Vec<&String> = live.difference(&tokens).collect();
    assert!(
        unnoted.is_empty(),
        "{} tokens exist without their entry (or with a revocation): {unnoted:?}",
        unnoted.len()
    );
    assert!(noted_only.is_empty(), "{} entries of tokens that do not exist: {noted_only:?}", noted_only.len());
    assert!(deleted.is_subset(&created));
    let answered = answered.lock().unwrap();
    assert!(answered.is_subset(&created), "a token answered 201 has its entry");
    eprintln!("{} tokens answered, {} live, {} revoked over 4 kills", answered.len(), live.len(), deleted.len());
}

/// A small file system of its own (tmpfs), unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Needs root (the test command runs as root); says so plainly otherwise.
    fn mount(megabytes: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("run mount");
        assert!(status.success(), "mounting a tmpfs needs root (the README's test command runs as root)");
        Self { dir }
    }

    /// 24 MB of which a 16 MB file (`filler`) takes most: removing it is space returning.
    fn nearly_full() -> (Self, std::path::PathBuf) {
        let disk = Self::mount(24);
        let filler = disk.dir.path().join("filler");
        std::fs::write(&filler, vec![7u8; 16 << 20]).unwrap();
        (disk, filler)
    }

    /// A new directory on it.
    fn subdir(&self, name: &str) -> std::path::PathBuf {
        let dir = self.dir.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        dir
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// The disk under the database fills up: publishes are refused with a problem that says the
/// storage is full, `/readyz` says the disk is full, a change either happens with its audit
/// entry or not at all, nothing is sent twice, and once space returns the node goes on by
/// itself and delivers everything it accepted.
#[tokio::test]
async fn a_full_disk_says_so_and_the_node_goes_on_when_space_returns() {
    let (disk, filler) = SmallDisk::nearly_full();
    let app = TestApp::spawn_in(&disk.subdir("data"), Options::default()).await;
    fill_and_free(&app, &filler).await;
}

/// The same on PostgreSQL, whose tables live on the small disk (a tablespace there).
#[tokio::test]
async fn a_full_disk_under_postgres_says_so_and_the_node_goes_on() {
    let (disk, filler) = SmallDisk::nearly_full();
    let tables = disk.subdir("tables");
    let pg = hookd_testkit::TempPostgres::shared();
    let url = tokio::task::spawn_blocking(move || pg.database_in(&tables)).await.unwrap();
    let env = vec![("HOOKD_DATABASE_URL", url.clone()), ("HOOKD_SECRET_KEY", crate::support::SECRET_KEY.to_owned())];
    let mut app = TestApp::spawn_with(Options { extra_env: env, ..Default::default() }).await;
    fill_and_free(&app, &filler).await;
    app.kill();
    tokio::task::spawn_blocking(move || pg.drop_in(&url)).await.unwrap();
}

/// Publishes big events until the disk is full, checks what hookd says, frees `filler` and
/// checks that the node goes on and delivers everything it accepted, once each.
async fn fill_and_free(app: &TestApp, filler: &std::path::Path) {
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "r", "url": rx.url(), "event_types": ["user.created"]})).await;

    // Text that does not compress (PostgreSQL compresses large values).
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let blob: String = (0..200_000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            char::from(b'a' + (seed % 26) as u8)
        })
        .collect();
    let mut accepted = BTreeSet::new();
    let refused = loop {
        assert!(accepted.len() < 500, "the disk never filled");
        let body = json!({"type": "user.created", "payload": {"n": accepted.len(), "blob": blob}});
        let (s, answer) = app.call("POST", &format!("/orgs/{}/events", org.id), &org.token, Some(body)).await;
        if s == 503 {
            break answer;
        }
        assert_eq!(s, 202, "{answer}");
        accepted.extend(answer["deliveries"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_owned()));
    };
    assert!(refused["type"].as_str().unwrap().ends_with("storage-full"), "{refused}");
    assert!(refused["detail"].as_str().unwrap().contains("storage is full"), "{refused}");
    let ready = app.http.get(format!("{}/readyz", app.url)).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let why: serde_json::Value = ready.json().await.unwrap();
    assert!(why["detail"].as_str().unwrap().contains("disk is full"), "{why}");

    // A change while the disk is full happens with its entry, or not at all.
    let hook = json!({"name": "while full", "url": rx.url(), "event_types": ["user.created"]});
    let (s, made) = app.call("POST", &format!("/orgs/{}/webhooks", org.id), &org.token, Some(hook)).await;
    assert!(s == 201 || s == 503, "{s} {made}");

    std::fs::remove_file(filler).unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while app.http.get(format!("{}/readyz", app.url)).send().await.unwrap().status() != 200 {
        assert!(std::time::Instant::now() < deadline, "the node never became ready again");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let after = app.publish(&org, json!({"type": "user.created", "payload": {"n": "after"}})).await;
    accepted.extend(after["deliveries"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_owned()));

    let webhooks = all_of(app, &org.token, &format!("/orgs/{}/webhooks", org.id)).await;
    let log = all_of(app, &org.token, &format!("/orgs/{}/audit", org.id)).await;
    let created: Vec<&serde_json::Value> = log.iter().filter(|e| e["action"] == "webhook.created").collect();
    assert_eq!(created.len(), webhooks.len(), "one entry for each webhook that exists: {log:?}");
    assert_eq!(webhooks.len(), if s == 201 { 2 } else { 1 });

    let mut seen = Vec::new();
    while seen.len() < accepted.len() {
        let got = rx.next().await;
        seen.push(got.header("webhook-id").to_owned());
    }
    app.wait_idle().await;
    seen.extend(rx.try_drain().into_iter().map(|r| r.header("webhook-id").to_owned()));
    let distinct: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(distinct, accepted, "every delivery of an accepted event arrived");
    assert_eq!(seen.len(), accepted.len(), "none twice");
}
