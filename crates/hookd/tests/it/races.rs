//! Edits racing each other and the engine, on both backends: no writer undoes another's
//! change. Each race is bounded (a few hundred requests).

use std::time::{Duration, Instant};

use hookd_testkit::TempPostgres;
use serde_json::{Value, json};

use crate::support::{Options, Org, Receiver, TestApp, WAIT};

use crate::support::SECRET_KEY as KEY;

async fn app(postgres: bool) -> TestApp {
    let mut extra_env = vec![];
    if postgres {
        let url = tokio::task::spawn_blocking(|| TempPostgres::shared().database()).await.unwrap();
        extra_env = vec![("HOOKD_DATABASE_URL", url), ("HOOKD_SECRET_KEY", KEY.to_owned())];
    }
    TestApp::spawn_with(Options { extra_env, ..Default::default() }).await
}

async fn call(app: &TestApp, org: &Org, method: &str, path: &str, body: Option<Value>) -> Value {
    let (s, v) = app.call(method, &format!("/orgs/{}{path}", org.id), &org.token, body).await;
    assert!(s.is_success(), "{method} {path}: {s} {v}");
    v
}

/// 200 rotations while other clients rename the webhook: the secret the last rotation
/// returned is the one that signs the next delivery (checked by the `standardwebhooks` crate).
async fn renames_never_undo_a_rotation(postgres: bool) {
    let app = app(postgres).await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app.create_webhook(&org, json!({"name": "r", "url": rx.url(), "event_types": ["user.created"]})).await;
    let path = format!("/webhooks/{}", w["id"].as_str().unwrap());
    let rotations = async {
        let mut last = String::new();
        for _ in 0..200 {
            let r = call(&app, &org, "POST", &format!("{path}/rotate-secret"), None).await;
            last = r["signing"]["secret"].as_str().unwrap().to_owned();
        }
        last
    };
    let renames = |k: usize| {
        let (app, org, path) = (&app, &org, &path);
        async move {
            for i in 0..70 {
                call(app, org, "PATCH", path, Some(json!({"name": format!("writer {k} edit {i}")}))).await;
            }
        }
    };
    let (secret, ..) = tokio::join!(rotations, renames(1), renames(2), renames(3));
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let got = rx.next().await;
    standardwebhooks::Webhook::new(&secret).unwrap().verify(&got.body, &got.headers).expect("the last secret signs");
}

/// Clients edit the description while the receiver answers 410 Gone: the engine's disable
/// stands, with its reason, and the edits are kept too.
async fn edits_never_enable_what_the_engine_disabled(postgres: bool) {
    let app = app(postgres).await;
    let rx = Receiver::start().await;
    let org = app.org().await;
    for trial in 0..10 {
        rx.plan(&[410]);
        let w = app.create_webhook(&org, json!({"name": "g", "url": rx.url(), "event_types": ["user.created"]})).await;
        let path = format!("/webhooks/{}", w["id"].as_str().unwrap());
        app.publish(&org, json!({"type": "user.created", "payload": {"trial": trial}})).await;
        let deadline = Instant::now() + WAIT;
        let mut edits = 0;
        let last = loop {
            let edited = call(&app, &org, "PATCH", &path, Some(json!({"description": format!("edit {edits}")}))).await;
            edits += 1;
            // A few edits more after the disable, each of which could have written it back.
            if edited["enabled"] == false && edits > 3 {
                break edits - 1;
            }
            assert!(Instant::now() < deadline, "the 410 never disabled the webhook");
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        let now = call(&app, &org, "GET", &path, None).await;
        assert_eq!(now["enabled"], false, "trial {trial}: {now}");
        assert!(now["status"]["reason"].as_str().unwrap().contains("410"), "trial {trial}: {now}");
        assert_eq!(now["description"], format!("edit {last}"), "trial {trial}: the edits are kept too");
    }
}

/// Two clients edit different fields at once, 100 times: both edits are kept every time.
async fn edits_of_different_fields_are_both_kept(postgres: bool) {
    let app = app(postgres).await;
    let org = app.org().await;
    let w = app
        .create_webhook(&org, json!({"name": "f", "url": "http://127.0.0.1:9/h", "event_types": ["user.created"]}))
        .await;
    let path = format!("/webhooks/{}", w["id"].as_str().unwrap());
    for i in 0..100 {
        let name = call(&app, &org, "PATCH", &path, Some(json!({"name": format!("name {i}")})));
        let url = call(&app, &org, "PATCH", &path, Some(json!({"url": format!("http://127.0.0.1:9/h{i}")})));
        tokio::join!(name, url);
        let now = call(&app, &org, "GET", &path, None).await;
        assert_eq!(
            (now["name"].as_str(), now["url"].as_str()),
            (Some(&*format!("name {i}")), Some(&*format!("http://127.0.0.1:9/h{i}")))
        );
    }
}

/// `If-Match` edits only the revision it names: a stale one gets 412 and changes nothing.
#[tokio::test]
async fn if_match_edits_only_the_revision_read() {
    let app = app(false).await;
    let org = app.org().await;
    let w = app
        .create_webhook(&org, json!({"name": "m", "url": "http://127.0.0.1:9/h", "event_types": ["user.created"]}))
        .await;
    let url = format!("{}/api/v1/orgs/{}/webhooks/{}", app.url, org.id, w["id"].as_str().unwrap());
    let read = app.http.get(&url).bearer_auth(&org.token).send().await.unwrap();
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", w["revision"]));
    let patch = |name: &str, tag: &str| {
        app.http.patch(&url).bearer_auth(&org.token).header("if-match", tag).json(&json!({"name": name})).send()
    };
    let first = patch("first", &etag).await.unwrap();
    assert_eq!(first.status(), 200);
    let stale = patch("second", &etag).await.unwrap();
    assert_eq!(stale.status(), 412);
    assert_eq!(stale.headers()["content-type"], "application/problem+json");
    let body: Value = stale.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("revision"), "{body}");
    let now: Value = app.http.get(&url).bearer_auth(&org.token).send().await.unwrap().json().await.unwrap();
    assert_eq!(now["name"], "first");
    let bad = patch("third", "soon").await.unwrap();
    assert_eq!(bad.status(), 422);
}

/// A conflict names the field in the API's words, the same on both backends; a token used
/// records when.
async fn conflicts_name_the_field_and_tokens_record_their_use(postgres: bool) {
    let app = app(postgres).await;
    let org = app.org().await;
    let ada = json!({"name": "Ada", "email": "ada@example.com", "role": "admin"});
    call(&app, &org, "POST", "/members", Some(ada.clone())).await;
    let (s, p) = app.call("POST", &format!("/orgs/{}/members", org.id), &org.token, Some(ada)).await;
    assert_eq!(s.as_u16(), 409, "{p}");
    assert_eq!(p["field"], "email");
    assert_eq!(p["detail"], "a member with this email already exists in this organization");
    assert!(!p.to_string().contains("members_org_email") && !p.to_string().contains("UNIQUE"), "{p}");
    let tokens = call(&app, &org, "GET", "/tokens", None).await;
    let used = tokens["data"].as_array().unwrap().iter().find(|t| t["name"] == "admin").expect("the admin token");
    assert!(used["last_used_at"].is_string(), "{used}");
}

macro_rules! on_both_backends {
    ($($name:ident),*) => {
        mod sqlite { $( #[tokio::test] async fn $name() { super::$name(false).await } )* }
        mod postgres { $( #[tokio::test] async fn $name() { super::$name(true).await } )* }
    };
}

on_both_backends!(
    renames_never_undo_a_rotation,
    edits_never_enable_what_the_engine_disabled,
    edits_of_different_fields_are_both_kept,
    conflicts_name_the_field_and_tokens_record_their_use
);
