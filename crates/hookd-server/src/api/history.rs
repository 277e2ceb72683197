//! The history: `/orgs/{org}/attempts` and `/orgs/{org}/deliveries`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use hookd_core::listing::{AttemptFilter, AttemptSort};
use hookd_core::model::Delivery;
use hookd_core::{AttemptId, DeliveryId, OrgId, WebhookId};

use super::List;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ListParams, path_id};
use crate::state::AppState;
use hookd_service::Actor;
use hookd_service::history::{AttemptDetail, AttemptSummary};

async fn list(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<AttemptSummary>>> {
    let org = path_id("org", &org, OrgId::parse)?;
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
    let time = |field: &str, v: &Option<String>| -> ApiResult<Option<chrono::DateTime<chrono::Utc>>> {
        v.as_deref()
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| t.to_utc())
                    .map_err(|_| ApiError::invalid(field, "must be an RFC 3339 time, e.g. 2026-12-01T09:00:00Z"))
            })
            .transpose()
    };
    let delivery_id = match &params.delivery_id {
        None => None,
        Some(d) => Some(DeliveryId::parse(d).map_err(|e| ApiError::invalid("delivery_id", e.to_string()))?),
    };
    let (since, until) = (time("since", &params.since)?, time("until", &params.until)?);
    let filter = AttemptFilter { webhook_id, succeeded, delivery_id, since, until };
    Ok(Json(List::from_page(s.ops.list_attempts(&by, &org, &filter, &page).await?, |a| a)))
}

async fn get_one(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<AttemptDetail>> {
    let org = path_id("org", &org, OrgId::parse)?;
    let id = path_id("attempt", &id, AttemptId::parse)?;
    Ok(Json(s.ops.get_attempt(&by, &org, &id).await?))
}

fn delivery_ids(org: &str, id: &str) -> ApiResult<(OrgId, DeliveryId)> {
    Ok((path_id("org", org, OrgId::parse)?, path_id("delivery", id, DeliveryId::parse)?))
}

async fn get_delivery(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<Delivery>> {
    let (org, id) = delivery_ids(&org, &id)?;
    Ok(Json(s.ops.get_delivery(&by, &org, &id).await?))
}

async fn resend(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<Delivery>)> {
    let (org, id) = delivery_ids(&org, &id)?;
    Ok((StatusCode::ACCEPTED, Json(s.ops.resend(&by, &org, &id).await?)))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org}/attempts", get(list))
        .route("/orgs/{org}/attempts/{id}", get(get_one))
        .route("/orgs/{org}/deliveries/{id}", get(get_delivery))
        .route("/orgs/{org}/deliveries/{id}/resend", post(resend))
}
