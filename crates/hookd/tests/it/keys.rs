//! The master key against the database: a node with another key, or without its key file,
//! refuses to start; a sealed value that cannot be opened is shown as such, never a 500.

use hookd_testkit::TempPostgres;
use serde_json::json;

use crate::support::{Options, TestApp};

use crate::support::SECRET_KEY as KEY;
const OTHER: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[tokio::test]
async fn sqlite_refuses_another_key_and_a_lost_key_file() {
    let mut app = TestApp::spawn().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "k", "url": "http://127.0.0.1:9/h", "event_types": ["user.created"]}))
        .await;
    app.kill();

    let err = app.start_refused(&[("HOOKD_SECRET_KEY", Some(OTHER))]);
    assert!(err.contains("HOOKD_SECRET_KEY") && err.contains("another key"), "{err}");

    let key_file = app.data_dir.join("master.key");
    let saved = std::fs::read(&key_file).unwrap();
    std::fs::remove_file(&key_file).unwrap();
    let err = app.start_refused(&[]);
    assert!(err.contains("master.key is missing") && err.contains("HOOKD_SECRET_KEY"), "{err}");
    assert!(!key_file.exists(), "no new key was made for a database that has one");

    std::fs::write(&key_file, saved).unwrap();
    app.restart().await;
    let (s, list) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["data"][0]["unreadable"], serde_json::Value::Null, "{list}");
}

#[tokio::test]
async fn postgres_nodes_with_different_keys_do_not_both_start() {
    let url = tokio::task::spawn_blocking(|| TempPostgres::shared().database()).await.unwrap();
    let env = |key: &str| vec![("HOOKD_DATABASE_URL", url.clone()), ("HOOKD_SECRET_KEY", key.to_owned())];
    let first = TestApp::spawn_with(Options { extra_env: env(KEY), ..Default::default() }).await;
    // A second node on the same fresh database, started without the first one's key.
    let second = TestApp::spawn_with(Options { extra_env: env(KEY), ..Default::default() }).await;
    let err = second.start_refused(&[("HOOKD_SECRET_KEY", Some(OTHER))]);
    assert!(err.contains("HOOKD_SECRET_KEY") && err.contains("another key"), "{err}");
    drop(first);
}

#[tokio::test]
async fn a_value_that_cannot_be_opened_is_shown_as_unreadable_and_rotation_replaces_it() {
    let mut app = TestApp::spawn().await;
    let org = app.org().await;
    let w = app
        .create_webhook(
            &org,
            json!({"name": "c", "url": "http://127.0.0.1:9/h", "event_types": ["user.created"],
                   "auth": {"type": "basic", "username": "u", "password": "secret-pass"}}),
        )
        .await;
    let id = w["id"].as_str().unwrap();
    app.kill();
    {
        let db = rusqlite::Connection::open(app.data_dir.join("hookd.db")).unwrap();
        let n = db.execute("UPDATE webhooks SET auth = x'00', signing_secret = x'0102' WHERE id = ?1", [id]).unwrap();
        assert_eq!(n, 1);
    }
    app.restart().await;
    let path = format!("/orgs/{}/webhooks/{id}", org.id);
    let (s, got) = app.call("GET", &path, &org.token, None).await;
    assert_eq!(s, 200, "{got}");
    assert_eq!(got["unreadable"], json!(["signing.secret", "auth"]));
    assert_eq!(got["auth"], serde_json::Value::Null);
    let (s, list) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    assert_eq!((s, list["data"][0]["id"].as_str()), (reqwest::StatusCode::OK, Some(id)), "{list}");

    let (s, rotated) = app.call("POST", &format!("{path}/rotate-secret"), &org.token, None).await;
    assert_eq!(s, 200, "{rotated}");
    assert!(rotated["signing"]["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(rotated["unreadable"], json!(["auth"]));
    // The masked form cannot stand in for credentials that are lost; the real ones can.
    let masked = json!({"auth": {"type": "basic", "username": "u", "password": "****pass"}});
    let (s, refused) = app.call("PATCH", &path, &org.token, Some(masked)).await;
    assert_eq!((s.as_u16(), refused["field"].as_str()), (422, Some("auth.password")), "{refused}");
    let full = json!({"auth": {"type": "basic", "username": "u", "password": "new-pass"}});
    let (s, fixed) = app.call("PATCH", &path, &org.token, Some(full)).await;
    assert_eq!(s, 200, "{fixed}");
    assert_eq!(fixed["unreadable"], serde_json::Value::Null);
    assert!(fixed["auth"]["password"].as_str().unwrap().starts_with("****"), "{fixed}");
}

#[tokio::test]
async fn a_second_server_through_a_symlink_to_the_database_is_refused() {
    let app = TestApp::spawn().await;
    let other = tempfile::tempdir().unwrap();
    let link = other.path().join("link.db");
    std::os::unix::fs::symlink(app.data_dir.join("hookd.db"), &link).unwrap();
    let url = format!("sqlite://{}", link.display());
    let dir = other.path().display().to_string();
    let err = app.start_refused(&[("HOOKD_DATABASE_URL", Some(&url)), ("HOOKD_DATA_DIR", Some(&dir))]);
    assert!(err.contains("in use by another hookd process"), "{err}");
    assert!(!other.path().join("master.key").exists(), "the refused server made a key of its own");
    let (s, _) = app.op("GET", "/orgs", None).await;
    assert_eq!(s, 200, "the first server still serves");
}
