//! The history: `/orgs/{org}/attempts` and `/orgs/{org}/deliveries`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, Router};
use hookd_core::listing::{AttemptFilter, AttemptSort, ResultFilter};
use hookd_core::model::Delivery;
use hookd_core::{AttemptId, DeliveryId, OrgId, WebhookId};

use super::endpoint::{ATTEMPTS, Endpoint, Route, endpoint, one, page_of, route};
use super::extract::ListParams;
use super::state::ApiState;
use super::state::List;
use crate::error::{ApiError, ApiResult};
use crate::ids::Ids;
use hookd_service::Actor;
use hookd_service::history::{AttemptDetail, AttemptSummary};

async fn list(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    params: ListParams,
) -> ApiResult<Json<List<AttemptSummary>>> {
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
    let delivery_id = match &params.delivery_id {
        None => None,
        Some(d) => Some(DeliveryId::parse(d).map_err(|e| ApiError::invalid("delivery_id", e.to_string()))?),
    };
    let (since, until) = (ListParams::time("since", &params.since)?, ListParams::time("until", &params.until)?);
    let result = match params.result.as_deref() {
        None => None,
        Some(r) => Some(ResultFilter::parse(r).ok_or_else(|| {
            ApiError::invalid("result", format!("`{r}` is not a result; use {}", ResultFilter::NAMES))
        })?),
    };
    let event_type = params.event_type.clone();
    let filter = AttemptFilter { webhook_id, succeeded, delivery_id, since, until, event_type, result };
    Ok(Json(List::from_page(s.ops.list_attempts(&by, &org, &filter, &page).await?, |a| a)))
}

async fn get_one(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, AttemptId)>,
) -> ApiResult<Json<AttemptDetail>> {
    Ok(Json(s.ops.get_attempt(&by, &org, &id).await?))
}

async fn get_delivery(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, DeliveryId)>,
) -> ApiResult<Json<Delivery>> {
    Ok(Json(s.ops.get_delivery(&by, &org, &id).await?))
}

async fn resend(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, DeliveryId)>,
) -> ApiResult<(StatusCode, Json<Delivery>)> {
    Ok((StatusCode::ACCEPTED, Json(s.ops.resend(&by, &org, &id).await?)))
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(
            list,
            Route {
                query: ATTEMPTS,
                response: Some(page_of::<AttemptSummary>),
                ..route("listAttempts", "get", "/orgs/{org}/attempts", "history", "List attempts")
            },
        ),
        endpoint(
            get_one,
            Route {
                response: Some(one::<AttemptDetail>),
                ..route(
                    "getAttempt",
                    "get",
                    "/orgs/{org}/attempts/{id}",
                    "history",
                    "Get one attempt with its request and response",
                )
            },
        ),
        endpoint(
            get_delivery,
            Route {
                response: Some(one::<Delivery>),
                ..route("getDelivery", "get", "/orgs/{org}/deliveries/{id}", "history", "Get a delivery")
            },
        ),
        endpoint(
            resend,
            Route {
                status: 202,
                response: Some(one::<Delivery>),
                ..route(
                    "resendDelivery",
                    "post",
                    "/orgs/{org}/deliveries/{id}/resend",
                    "history",
                    "Re-send a delivery (the same webhook-id)",
                )
            },
        ),
    ]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
