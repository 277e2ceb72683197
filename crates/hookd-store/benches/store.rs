//! The store's hot path on SQLite: publish, claim and record, in batches of 100, on a real
//! file in a temp dir. `cargo bench -p hookd-store`.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use hookd_core::model::*;
use hookd_core::secret::SealedSecret;
use hookd_core::{AttemptId, EventId, OrgId, WebhookId};
use hookd_store::sqlite::SqliteStore;
use hookd_store::{AttemptRecord, Audience, Outcome, Store};

fn main() {
    divan::main();
}

struct Fixture {
    rt: tokio::runtime::Runtime,
    store: Arc<dyn Store>,
    webhook: Webhook,
    _dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(rt.block_on(SqliteStore::open(&dir.path().join("bench.db"))).unwrap());
    let org = Org { id: OrgId::new(), name: "bench".into(), parent_id: None, features: vec![], created_at: Utc::now() };
    rt.block_on(store.create_org(&org)).unwrap();
    let now = Utc::now();
    let webhook = Webhook {
        id: WebhookId::new(),
        org_id: org.id.clone(),
        name: "bench".into(),
        url: "https://bench.example/hook".into(),
        description: None,
        event_types: vec!["bench.event".into()],
        environment: Environment::Live,
        owner_id: None,
        include_child_orgs: false,
        options: WebhookOptions::default(),
        signing_enabled: true,
        signing_secret: SealedSecret(vec![0; 64]),
        previous_secret: None,
        auth: SealedSecret(vec![0; 64]),
        status: WebhookStatus { enabled: true, reason: None, changed_at: now, changed_by: None },
        created_at: now,
        updated_at: now,
        last_triggered_at: None,
        failing_since: None,
        failed_deliveries: 0,
        revision: 0,
    };
    rt.block_on(store.create_webhook(&webhook)).unwrap();
    Fixture { rt, store, webhook, _dir: dir }
}

fn event(org: &OrgId) -> Event {
    Event {
        id: EventId::new(),
        org_id: org.clone(),
        event_type: "bench.event".into(),
        payload: serde_json::json!({"data": "x".repeat(1000)}).to_string(),
        resource_url: None,
        environment: Environment::Live,
        visible_to: vec![],
        occurred_at: Utc::now(),
        created_at: Utc::now(),
        idempotency_key: None,
    }
}

/// 100 concurrent publishes (they share group commits, as under load).
#[divan::bench(sample_count = 20)]
fn publish_100(b: divan::Bencher) {
    let f = fixture();
    b.bench_local(|| {
        f.rt.block_on(async {
            let tasks: Vec<_> = (0..100)
                .map(|_| {
                    let (s, e) = (f.store.clone(), event(&f.webhook.org_id));
                    tokio::spawn(async move { s.publish(&e, &Audience::Subscribers).await.unwrap() })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        })
    });
}

/// Claim 100 due deliveries and record a success for each, as the dispatcher does.
#[divan::bench(sample_count = 20)]
fn claim_and_record_100(b: divan::Bencher) {
    let f = fixture();
    b.with_inputs(|| {
        f.rt.block_on(async {
            for _ in 0..100 {
                f.store.publish(&event(&f.webhook.org_id), &Audience::Subscribers).await.unwrap();
            }
        })
    })
    .bench_local_values(|()| {
        f.rt.block_on(async {
            let claims = f.store.claim_due("bench", Duration::from_secs(60), 100).await.unwrap();
            let records = claims
                .iter()
                .map(|c| AttemptRecord {
                    attempt: Some(Attempt {
                        id: AttemptId::new(),
                        org_id: c.delivery.org_id.clone(),
                        delivery_id: c.delivery.id.clone(),
                        webhook_id: c.webhook.id.clone(),
                        event_ids: vec![c.event.id.clone()],
                        url: c.webhook.url.clone(),
                        sent_at: Utc::now(),
                        response_status: Some(200),
                        duration_ms: 1,
                        error: None,
                        trigger: Trigger::Auto,
                        request_headers: vec![],
                        request_body: RequestBody::Rendered(hookd_core::envelope::Recipe::of(&c.webhook)),
                        response_headers: vec![],
                        response_body: "ok".into(),
                    }),
                    org_id: c.delivery.org_id.clone(),
                    delivery_id: c.delivery.id.clone(),
                    webhook_id: c.webhook.id.clone(),
                    outcome: Outcome::Succeeded,
                    disable_webhook: None,
                })
                .collect();
            f.store.record_attempts(records).await.unwrap();
        })
    });
}

/// The first page (50) of one webhook's history when it has 1,000,000 attempts, as the
/// history API asks for it (newest first). The fixture writes the attempts in batches of
/// 1,000 through `record_attempts`, the dispatcher's own path.
#[divan::bench(sample_count = 50)]
fn history_first_page_of_1m(b: divan::Bencher) {
    let f = fixture();
    f.rt.block_on(async {
        for _ in 0..1_000 {
            let records: Vec<AttemptRecord> = (0..1_000)
                .map(|_| {
                    let attempt = Attempt {
                        id: AttemptId::new(),
                        org_id: f.webhook.org_id.clone(),
                        delivery_id: hookd_core::DeliveryId::new(),
                        webhook_id: f.webhook.id.clone(),
                        event_ids: vec![EventId::new()],
                        url: f.webhook.url.clone(),
                        sent_at: Utc::now(),
                        response_status: Some(200),
                        duration_ms: 1,
                        error: None,
                        trigger: Trigger::Auto,
                        request_headers: vec![("content-type".into(), "application/json".into())],
                        request_body: RequestBody::Text("{}".into()),
                        response_headers: vec![],
                        response_body: "ok".into(),
                    };
                    AttemptRecord {
                        org_id: attempt.org_id.clone(),
                        delivery_id: attempt.delivery_id.clone(),
                        webhook_id: attempt.webhook_id.clone(),
                        attempt: Some(attempt),
                        outcome: Outcome::Succeeded,
                        disable_webhook: None,
                    }
                })
                .collect();
            f.store.record_attempts(records).await.unwrap();
        }
    });
    let filter = hookd_store::AttemptFilter { webhook_id: Some(f.webhook.id.clone()), succeeded: None };
    let req = hookd_store::PageRequest {
        limit: 50,
        cursor: None,
        sort: hookd_store::AttemptSort::SentAt,
        order: hookd_store::Order::Desc,
        q: None,
    };
    b.bench_local(|| {
        let page = f.rt.block_on(f.store.list_attempts(&f.webhook.org_id, &filter, &req)).unwrap();
        assert_eq!(page.data.len(), 50);
    });
}
