//! Service routes outside `/api/v1`: health, readiness, metrics and the OpenAPI document.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use hookd_service::Metrics;

use super::state::ApiState;
use crate::error::ApiResult;

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

/// Ready while the database answers; a problem document (503) otherwise, whose cause goes to
/// the log only.
async fn readyz(State(state): State<ApiState>) -> ApiResult<Json<serde_json::Value>> {
    state.ops.ready().await?;
    Ok(Json(serde_json::json!({"status": "ready"})))
}

async fn metrics(State(state): State<ApiState>) -> impl IntoResponse {
    use std::fmt::Write as _;
    let m = state.ops.metrics();
    let mut out = String::new();
    let mut counter = |name: &str, help: &str, v: u64| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}");
    };
    counter("hookd_events_published_total", "Events accepted.", Metrics::get(&m.events_published));
    counter(
        "hookd_deliveries_created_total",
        "Deliveries created by published events.",
        Metrics::get(&m.deliveries_created),
    );
    counter("hookd_attempts_total", "HTTP attempts made.", Metrics::get(&m.attempts_total));
    counter("hookd_attempts_succeeded_total", "Attempts answered with a 2xx.", Metrics::get(&m.attempts_succeeded));
    counter("hookd_attempts_failed_total", "Attempts that failed.", Metrics::get(&m.attempts_failed));
    counter(
        "hookd_deliveries_failed_total",
        "Deliveries that ran out of attempts.",
        Metrics::get(&m.deliveries_failed),
    );
    counter("hookd_webhooks_disabled_total", "Webhooks disabled by hookd.", Metrics::get(&m.webhooks_disabled));
    counter(
        "hookd_attempt_duration_ms_total",
        "Sum of attempt durations in milliseconds.",
        Metrics::get(&m.attempt_ms_total),
    );
    counter(
        "hookd_recording_failures_total",
        "Writes of attempt records the database refused (each is tried again).",
        Metrics::get(&m.recording_failures),
    );
    let _ = writeln!(
        out,
        "# HELP hookd_stalled 1 while attempts cannot be recorded and this node sends nothing.\n# TYPE hookd_stalled gauge\nhookd_stalled {}",
        u8::from(m.stalled().is_some())
    );
    let _ = writeln!(
        out,
        "# HELP hookd_in_flight Requests in flight.\n# TYPE hookd_in_flight gauge\nhookd_in_flight {}",
        Metrics::get(&m.in_flight)
    );
    let _ = writeln!(
        out,
        "# HELP hookd_circuits_open Webhooks this node sends one request at a time, as their receivers keep timing out.\n# TYPE hookd_circuits_open gauge\nhookd_circuits_open {}",
        m.circuits.open_count()
    );
    if let Ok(b) = state.ops.backlog().await {
        let _ = writeln!(
            out,
            "# HELP hookd_deliveries_pending Deliveries not yet done.\n# TYPE hookd_deliveries_pending gauge\nhookd_deliveries_pending {}",
            b.pending
        );
        let _ = writeln!(
            out,
            "# HELP hookd_deliveries_due Deliveries due now.\n# TYPE hookd_deliveries_due gauge\nhookd_deliveries_due {}",
            b.due
        );
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}

async fn openapi() -> impl IntoResponse {
    Json(super::openapi::document())
}

pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/api/openapi.json", get(openapi))
}
