//! How long the portal's pages take to render on the server, in-process (no network), on
//! SQLite with 1,000 webhooks in the org and 1,000,000 attempts in one webhook's history: the
//! store queries, the service layer and the templates together.
//!
//! ```text
//! cargo bench -p hookd --bench portal
//! ```

#[path = "../../hookd-store/benches/common/mod.rs"]
mod common;
use common::build::noted;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use hookd_core::model::{MemberStatus, Role};
use hookd_core::{MemberId, secret::MasterKey};
use hookd_server::{Ops, OpsConfig, PortalConfig};
use hookd_service::Actor;
use hookd_store::{AttemptRecord, Store};
use tower::ServiceExt as _;

fn main() {
    // The fixture (a million attempts) is built before timing starts.
    std::sync::LazyLock::force(&SITE);
    divan::main();
}

struct Site {
    f: common::Fixture,
    app: axum::Router,
    cookie: String,
    webhook: String,
    attempt: String,
}

fn site() -> Site {
    let f = common::fixture_with(1_000);
    let store: Arc<dyn Store> = f.store.clone();
    let (key, _) = MasterKey::generate();
    let config = OpsConfig { max_json_depth: 64, public_url: "http://127.0.0.1".into(), ..OpsConfig::default() };
    let ops = Ops::new(store.clone(), key, Default::default(), Default::default(), config);
    let org = f.webhook.org_id.clone();
    let (cookie, attempt) = f.rt.block_on(async {
        let member = hookd_core::model::Member {
            id: MemberId::new(),
            org_id: org.clone(),
            name: "Bench Admin".into(),
            email: "bench@example.com".into(),
            phone: None,
            role: Role::Admin,
            groups: vec![],
            external_id: None,
            status: MemberStatus::Active,
            created_at: chrono::Utc::now(),
        };
        store.create_member(&member, &noted()).await.unwrap();
        for _ in 0..1_000 {
            let records: Vec<AttemptRecord> = (0..1_000).map(|_| common::history_entry(&f.webhook)).collect();
            store.record_attempts(records.into()).await.unwrap();
        }
        let link = ops.create_login_link(&Actor::Operator, &org, &member.id, None, None).await.unwrap();
        let secret = link.url.rsplit_once('#').unwrap().1.to_owned();
        let signed = ops.sign_in(&secret).await.unwrap();
        // One attempt of a real delivery, for the attempt page (the million above have none).
        let e = common::event(&org);
        let p = store.publish(&e, &hookd_store::Audience::Webhook(f.webhook.id.clone())).await.unwrap();
        let d = store.get_delivery(&org, &p.deliveries[0]).await.unwrap();
        let record = common::success(&d, &f.webhook.name);
        let id = record.attempt.as_ref().unwrap().id.to_string();
        store.record_attempts(vec![record].into()).await.unwrap();
        (signed.cookie, id)
    });
    let app = hookd_server::app(ops, PortalConfig::default());
    let webhook = f.webhook.id.to_string();
    Site { f, app, cookie, webhook, attempt }
}

fn get(s: &Site, path: &str) {
    let req = Request::get(path).header("cookie", format!("hookd_session={}", s.cookie)).body(Body::empty()).unwrap();
    let resp = s.f.rt.block_on(s.app.clone().oneshot(req)).unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    let body = s.f.rt.block_on(axum::body::to_bytes(resp.into_body(), 1 << 24)).unwrap();
    assert!(body.len() > 1_000, "{path} rendered");
}

static SITE: std::sync::LazyLock<Site> = std::sync::LazyLock::new(site);

#[divan::bench(sample_count = 200)]
fn webhooks_list() {
    get(&SITE, "/portal/webhooks");
}

#[divan::bench(sample_count = 200)]
fn webhooks_list_sorted_by_last_triggered() {
    get(&SITE, "/portal/webhooks?sort=last_triggered_at&order=desc");
}

#[divan::bench(sample_count = 200)]
fn webhook_detail_with_1m_attempts() {
    get(&SITE, &format!("/portal/webhooks/{}", SITE.webhook));
}

#[divan::bench(sample_count = 200)]
fn webhook_form() {
    get(&SITE, &format!("/portal/webhooks/{}/edit", SITE.webhook));
}

#[divan::bench(sample_count = 200)]
fn history() {
    get(&SITE, "/portal/history");
}

#[divan::bench(sample_count = 200)]
fn attempt() {
    get(&SITE, &format!("/portal/attempts/{}", SITE.attempt));
}

#[divan::bench(sample_count = 200)]
fn event_types() {
    get(&SITE, "/portal/event-types");
}

#[divan::bench(sample_count = 200)]
fn tokens() {
    get(&SITE, "/portal/tokens");
}
