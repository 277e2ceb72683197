use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use hookd_core::model::{Attempt, Delivery, RequestBody};
use hookd_core::{AttemptId, DeliveryId, OrgId, WebhookId};
use hookd_store::{AttemptFilter, AttemptSort};
use serde::Serialize;

use super::List;
use crate::error::{ApiError, ApiResult, not_found};
use crate::extract::{Caller, ListParams, path_id};
use crate::state::AppState;

/// An attempt in the list: no headers or bodies.
#[derive(Serialize)]
pub struct AttemptSummary {
    id: AttemptId,
    delivery_id: DeliveryId,
    webhook_id: WebhookId,
    event_ids: Vec<hookd_core::EventId>,
    url: String,
    sent_at: chrono::DateTime<chrono::Utc>,
    response_status: Option<u16>,
    duration_ms: u64,
    error: Option<hookd_core::model::AttemptError>,
    trigger: hookd_core::model::Trigger,
    succeeded: bool,
}

fn summary(a: Attempt) -> AttemptSummary {
    AttemptSummary {
        succeeded: a.succeeded(),
        id: a.id,
        delivery_id: a.delivery_id,
        webhook_id: a.webhook_id,
        event_ids: a.event_ids,
        url: a.url,
        sent_at: a.sent_at,
        response_status: a.response_status,
        duration_ms: a.duration_ms,
        error: a.error,
        trigger: a.trigger,
    }
}

#[derive(Serialize)]
pub struct AttemptDetail {
    #[serde(flatten)]
    summary: AttemptSummary,
    request_headers: Vec<(String, String)>,
    request_body: String,
    response_headers: Vec<(String, String)>,
    response_body: String,
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<AttemptSummary>>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check(&org, false)?;
    let page = params.page(AttemptSort::parse, AttemptSort::NAMES)?;
    let webhook_id = match &params.webhook_id {
        None => None,
        Some(w) => Some(WebhookId::parse(w).map_err(|e| ApiError::invalid("webhook_id", e.to_string()))?),
    };
    let succeeded = match params.status.as_deref() {
        None => None,
        Some("succeeded") => Some(true),
        Some("failed") => Some(false),
        Some(s) => return Err(ApiError::invalid("status", format!("`{s}` must be `succeeded` or `failed`"))),
    };
    let filter = AttemptFilter { webhook_id, succeeded };
    Ok(Json(List::from_page(state.store.list_attempts(&org, &filter, &page).await?, summary)))
}

async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<AttemptDetail>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check(&org, false)?;
    let id = path_id("attempt", &id, AttemptId::parse)?;
    let mut a = state.store.get_attempt(&org, &id).await.map_err(not_found("attempt"))?;
    let request_headers = std::mem::take(&mut a.request_headers);
    let request_body = match std::mem::replace(&mut a.request_body, RequestBody::Text(String::new())) {
        RequestBody::Text(t) => t,
        // The store makes a rendered body again when it reads one attempt; this is not reached.
        RequestBody::Rendered(_) => String::new(),
    };
    let response_headers = std::mem::take(&mut a.response_headers);
    let response_body = std::mem::take(&mut a.response_body);
    Ok(Json(AttemptDetail { summary: summary(a), request_headers, request_body, response_headers, response_body }))
}

async fn get_delivery(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<Delivery>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check(&org, false)?;
    let id = path_id("delivery", &id, DeliveryId::parse)?;
    Ok(Json(state.store.get_delivery(&org, &id).await.map_err(not_found("delivery"))?))
}

async fn resend(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<Delivery>)> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check(&org, true)?;
    let id = path_id("delivery", &id, DeliveryId::parse)?;
    let d = state.store.resend_delivery(&org, &id).await.map_err(not_found("delivery"))?;
    state.handoff.wake();
    Ok((StatusCode::ACCEPTED, Json(d)))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org}/attempts", get(list))
        .route("/orgs/{org}/attempts/{id}", get(get_one))
        .route("/orgs/{org}/deliveries/{id}", get(get_delivery))
        .route("/orgs/{org}/deliveries/{id}/resend", post(resend))
}
