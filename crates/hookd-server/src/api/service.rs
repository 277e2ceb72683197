//! Service routes outside `/api/v1`: health, readiness, metrics and the OpenAPI document.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

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
    ([(header::CONTENT_TYPE, hookd_service::METRICS_CONTENT_TYPE)], state.ops.metrics_text().await)
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
