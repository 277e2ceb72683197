//! What the store's benches and the `hot_path` example share: a SQLite store in a temp dir
//! with one org and its webhooks, 1 KiB events, and the record of a successful attempt.

#![allow(dead_code)] // each user takes the parts it needs

use std::sync::Arc;

use chrono::Utc;
use hookd_core::model::*;
use hookd_core::{AttemptId, DeliveryId, EventId, OrgId};

#[path = "../../tests/suite/build.rs"]
pub mod build;
use hookd_store::sqlite::SqliteStore;
use hookd_store::{AttemptRecord, Outcome, Store};

pub struct Fixture {
    pub rt: tokio::runtime::Runtime,
    pub store: Arc<dyn Store>,
    /// The first of the org's webhooks (all subscribe to `user.created`).
    pub webhook: Webhook,
    _dir: tempfile::TempDir,
}

pub fn fixture() -> Fixture {
    fixture_with(1)
}

/// A store whose org has `webhooks` webhooks subscribed to `user.created`.
pub fn fixture_with(webhooks: usize) -> Fixture {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(rt.block_on(SqliteStore::open(&dir.path().join("bench.db"))).unwrap());
    let org = Org {
        id: OrgId::new(),
        name: "bench".into(),
        parent_id: None,
        features: vec![hookd_core::model::FEATURE_WEBHOOKS.into()],
        created_at: Utc::now(),
    };
    rt.block_on(store.create_org(&org)).unwrap();
    let webhook = build::webhook(&org.id, "bench", false);
    rt.block_on(store.create_webhook(&webhook, &build::noted())).unwrap();
    for i in 1..webhooks {
        let other = build::webhook(&org.id, &format!("bench{i}"), false);
        rt.block_on(store.create_webhook(&other, &build::noted())).unwrap();
    }
    Fixture { rt, store, webhook, _dir: dir }
}

pub fn event(org: &OrgId) -> Event {
    Event {
        id: EventId::new(),
        org_id: org.clone(),
        event_type: "user.created".into(),
        payload: serde_json::json!({"data": "x".repeat(1000)}).to_string(),
        resource_url: None,
        environment: Environment::Live,
        visible_to: vec![],
        occurred_at: Utc::now(),
        created_at: Utc::now(),
        idempotency_key: None,
        traceparent: None,
    }
}

/// A 200 for `delivery`, recorded as the dispatcher records one: its recipe, the headers
/// sent and received.
pub fn success(delivery: &Delivery, webhook_name: &str) -> AttemptRecord {
    let recipe = hookd_core::envelope::Recipe {
        payload: PayloadFormat::default(),
        content_type: ContentType::default(),
        webhook_name: webhook_name.into(),
    };
    AttemptRecord {
        attempt: Some(Attempt {
            id: AttemptId::new(),
            org_id: delivery.org_id.clone(),
            delivery_id: delivery.id.clone(),
            webhook_id: delivery.webhook_id.clone(),
            event_ids: vec![delivery.event_id.clone()],
            url: "https://bench.example/hook".into(),
            sent_at: Utc::now(),
            response_status: Some(200),
            duration_us: 1_000,
            event_types: vec!["invoice.paid".into()],
            error: None,
            trigger: Trigger::Auto,
            request_headers: ["content-type", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature"]
                .iter()
                .map(|h| (h.to_string(), "x".repeat(40)))
                .collect(),
            request_body: RequestBody::Rendered(recipe),
            response_headers: vec![("content-length".into(), "2".into())],
            response_body: "ok".into(),
        }),
        org_id: delivery.org_id.clone(),
        delivery_id: delivery.id.clone(),
        webhook_id: delivery.webhook_id.clone(),
        outcome: Outcome::Succeeded,
        disable_webhook: None,
    }
}

/// An attempt of `webhook` with no delivery behind it, for filling a history fast.
pub fn history_entry(webhook: &Webhook) -> AttemptRecord {
    let delivery = Delivery {
        id: DeliveryId::new(),
        org_id: webhook.org_id.clone(),
        webhook_id: webhook.id.clone(),
        event_id: EventId::new(),
        state: DeliveryState::Pending,
        attempts: 0,
        next_attempt_at: None,
        next_trigger: Trigger::Auto,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    };
    success(&delivery, &webhook.name)
}
