//! Signing and rendering: the CPU work every delivery does. `cargo bench -p hookd-core`.

use hookd_core::envelope::Recipe;
use hookd_core::model::{ContentType, Environment, Event, PayloadFormat};
use hookd_core::signing::SigningSecret;
use hookd_core::{EventId, OrgId, WebhookId};

fn main() {
    divan::main();
}

fn event() -> Event {
    let payload = serde_json::json!({"id": 42, "data": "x".repeat(1000)}).to_string();
    Event {
        id: EventId::new(),
        org_id: OrgId::new(),
        event_type: "user.created".into(),
        payload,
        resource_url: Some("https://api.example.com/users/42".into()),
        environment: Environment::Live,
        visible_to: vec![],
        occurred_at: chrono::Utc::now(),
        created_at: chrono::Utc::now(),
        idempotency_key: None,
        traceparent: None,
    }
}

#[divan::bench]
fn sign_standard_1kib(b: divan::Bencher) {
    let secret = SigningSecret::generate();
    let body = vec![b'x'; 1024];
    b.bench(|| secret.standard(divan::black_box("dlv_01jbk3x9q7f8t2v6m4c0d5e9ha"), 1_700_000_000, &body));
}

#[divan::bench]
fn sign_hub_sha256_1kib(b: divan::Bencher) {
    let secret = SigningSecret::generate();
    let body = vec![b'x'; 1024];
    b.bench(|| secret.hub_sha256(divan::black_box(&body)));
}

#[divan::bench(args = [PayloadFormat::Envelope, PayloadFormat::Thin, PayloadFormat::Raw])]
fn render_one_1kib(b: divan::Bencher, format: PayloadFormat) {
    let e = event();
    let wh = WebhookId::new();
    let recipe = Recipe { payload: format, content_type: ContentType::Json, webhook_name: "CRM sync".into() };
    b.bench(|| recipe.render(&wh, &e.org_id, &[divan::black_box(&e)]));
}

#[divan::bench]
fn render_batch_of_10(b: divan::Bencher) {
    let events: Vec<Event> = (0..10).map(|_| event()).collect();
    let refs: Vec<&Event> = events.iter().collect();
    let wh = WebhookId::new();
    let recipe =
        Recipe { payload: PayloadFormat::Envelope, content_type: ContentType::Json, webhook_name: "CRM sync".into() };
    b.bench(|| recipe.render(&wh, &events[0].org_id, divan::black_box(&refs)));
}
