//! `/orgs/{org}/webhooks`: JSON in, a call to the service layer, JSON out.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hookd_core::listing::WebhookSort;
use hookd_core::{OrgId, WebhookId};
use serde::{Deserialize, Serialize};

use super::List;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ListParams, parse_json, path_id};
use crate::state::AppState;
use hookd_service::Actor;
use hookd_service::events::Accepted;
use hookd_service::webhooks::{WebhookIn, WebhookPatch, WebhookView};

fn ids(org: &str, id: &str) -> ApiResult<(OrgId, WebhookId)> {
    Ok((path_id("org", org, OrgId::parse)?, path_id("webhook", id, WebhookId::parse)?))
}

/// A webhook with its revision as the `ETag`, for clients that edit with `If-Match`.
fn with_etag(view: WebhookView) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", view.revision)).ok();
    let mut resp = Json(view).into_response();
    if let Some(etag) = etag {
        resp.headers_mut().insert(header::ETAG, etag);
    }
    resp
}

/// `If-Match: "7"` (or `7`): edit only revision 7. `*` matches any revision.
fn if_match(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(v) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let text = v.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    let bare = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    bare.parse()
        .map(Some)
        .map_err(|_| ApiError::invalid("If-Match", "must be the webhook's ETag, its revision in quotes, e.g. \"7\""))
}

async fn create(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<WebhookIn>,
) -> ApiResult<(StatusCode, Response)> {
    let org = path_id("org", &org, OrgId::parse)?;
    Ok((StatusCode::CREATED, with_etag(s.ops.create_webhook(&by, &org, input).await?)))
}

async fn get_one(State(s): State<AppState>, by: Actor, Path((org, id)): Path<(String, String)>) -> ApiResult<Response> {
    let (org, id) = ids(&org, &id)?;
    Ok(with_etag(s.ops.get_webhook(&by, &org, &id).await?))
}

async fn patch(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<WebhookPatch>,
) -> ApiResult<Response> {
    let (org, id) = ids(&org, &id)?;
    Ok(with_etag(s.ops.update_webhook(&by, &org, &id, input, if_match(&headers)?).await?))
}

async fn delete(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (org, id) = ids(&org, &id)?;
    match s.ops.delete_webhooks(&by, &org, &[id]).await? {
        0 => Err(ApiError::NotFound("webhook")),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BulkDelete {
    ids: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct BulkDeleted {
    deleted: u64,
}

async fn bulk_delete(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<BulkDelete>,
) -> ApiResult<Json<BulkDeleted>> {
    let org = path_id("org", &org, OrgId::parse)?;
    let ids = input
        .ids
        .iter()
        .enumerate()
        .map(|(i, s)| WebhookId::parse(s).map_err(|e| ApiError::invalid(format!("ids[{i}]"), e.to_string())))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(BulkDeleted { deleted: s.ops.delete_webhooks(&by, &org, &ids).await? }))
}

async fn list(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<WebhookView>>> {
    let org = path_id("org", &org, OrgId::parse)?;
    params.no_filters()?;
    let page = params.page(WebhookSort::parse, WebhookSort::NAMES)?;
    Ok(Json(List::from_page(s.ops.list_webhooks(&by, &org, &page).await?, |w| w)))
}

async fn rotate_secret(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (org, id) = ids(&org, &id)?;
    Ok(with_etag(s.ops.rotate_secret(&by, &org, &id).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestInput {
    event_type: Option<String>,
    #[schema(schema_with = hookd_core::model::any_json)]
    payload: Option<serde_json::Value>,
}

async fn test(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let (org, id) = ids(&org, &id)?;
    // The body is optional: an empty one sends the first event type's example.
    let input: TestInput =
        if body.iter().all(u8::is_ascii_whitespace) { TestInput::default() } else { parse_json(&body)? };
    let accepted = s.ops.send_test(&by, &org, &id, input.event_type, input.payload).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecoverInput {
    since: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Recovered {
    deliveries: u64,
}

async fn recover(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RecoverInput>,
) -> ApiResult<(StatusCode, Json<Recovered>)> {
    let (org, id) = ids(&org, &id)?;
    let n = s.ops.recover(&by, &org, &id, input.since).await?;
    Ok((StatusCode::ACCEPTED, Json(Recovered { deliveries: n })))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org}/webhooks", get(list).post(create))
        .route("/orgs/{org}/webhooks:bulk-delete", post(bulk_delete))
        .route("/orgs/{org}/webhooks/{id}", get(get_one).patch(patch).delete(delete))
        .route("/orgs/{org}/webhooks/{id}/rotate-secret", post(rotate_secret))
        .route("/orgs/{org}/webhooks/{id}/test", post(test))
        .route("/orgs/{org}/webhooks/{id}/recover", post(recover))
}
