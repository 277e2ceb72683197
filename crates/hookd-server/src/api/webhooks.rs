//! `/orgs/{org}/webhooks`: JSON in, a call to the service layer, JSON out.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use hookd_core::listing::WebhookSort;
use hookd_core::{OrgId, WebhookId};
use serde::{Deserialize, Serialize};

use super::endpoint::{Endpoint, PAGE, Route, endpoint, one, page_of, route};
use super::extract::{ApiJson, ListParams, parse_json};
use super::secret::ShownOnce;
use super::state::ApiState;
use super::state::List;
use crate::error::{ApiError, ApiResult};
use crate::ids::Ids;
use hookd_service::Actor;
use hookd_service::events::Accepted;
use hookd_service::pulling::{self, Pulled};
use hookd_service::trying::{FilterTrial, FilterVerdict, TransformationOutcome, TransformationTrial};
use hookd_service::webhooks::{WebhookIn, WebhookPatch, WebhookView};

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
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    ApiJson(input): ApiJson<WebhookIn>,
) -> ApiResult<ShownOnce<Response>> {
    Ok(ShownOnce(StatusCode::CREATED, with_etag(s.ops.create_webhook(&by, &org, input).await?)))
}

async fn get_one(State(s): State<ApiState>, by: Actor, Ids((org, id)): Ids<(OrgId, WebhookId)>) -> ApiResult<Response> {
    Ok(with_etag(s.ops.get_webhook(&by, &org, &id).await?))
}

async fn patch(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, WebhookId)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<WebhookPatch>,
) -> ApiResult<Response> {
    Ok(with_etag(s.ops.update_webhook(&by, &org, &id, input, if_match(&headers)?).await?))
}

async fn delete(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, WebhookId)>,
) -> ApiResult<StatusCode> {
    s.ops.delete_webhooks(&by, &org, &[id]).await?;
    Ok(StatusCode::NO_CONTENT)
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
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    ApiJson(input): ApiJson<BulkDelete>,
) -> ApiResult<Json<BulkDeleted>> {
    let ids = input
        .ids
        .iter()
        .enumerate()
        .map(|(i, s)| WebhookId::parse(s).map_err(|e| ApiError::invalid(format!("ids[{i}]"), e.to_string())))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(BulkDeleted { deleted: s.ops.delete_webhooks(&by, &org, &ids).await? }))
}

async fn list(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    params: ListParams,
) -> ApiResult<Json<List<WebhookView>>> {
    params.no_filters()?;
    let page = params.page(WebhookSort::parse, WebhookSort::NAMES)?;
    Ok(Json(List::from_page(s.ops.list_webhooks(&by, &org, &page).await?, |w| w)))
}

async fn rotate_secret(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, WebhookId)>,
) -> ApiResult<ShownOnce<Response>> {
    Ok(ShownOnce(StatusCode::OK, with_etag(s.ops.rotate_secret(&by, &org, &id).await?)))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestInput {
    event_type: Option<String>,
    #[schema(schema_with = hookd_core::model::any_json)]
    payload: Option<serde_json::Value>,
}

async fn test(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, WebhookId)>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    // The body is optional: an empty one sends the first event type's example.
    let input: TestInput =
        if body.iter().all(u8::is_ascii_whitespace) { TestInput::default() } else { parse_json(&body)? };
    let accepted = s.ops.send_test(&by, &org, &id, input.event_type, input.payload).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

async fn try_filter(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    ApiJson(input): ApiJson<FilterTrial>,
) -> ApiResult<Json<FilterVerdict>> {
    Ok(Json(s.ops.try_filter(&by, &org, input).await?))
}

async fn try_transformation(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    ApiJson(input): ApiJson<TransformationTrial>,
) -> ApiResult<Json<TransformationOutcome>> {
    Ok(Json(s.ops.try_transformation(&by, &org, input).await?))
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
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, WebhookId)>,
    ApiJson(input): ApiJson<RecoverInput>,
) -> ApiResult<(StatusCode, Json<Recovered>)> {
    let n = s.ops.recover(&by, &org, &id, input.since).await?;
    Ok((StatusCode::ACCEPTED, Json(Recovered { deliveries: n })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PollQuery {
    iterator: Option<String>,
    limit: Option<String>,
}

async fn poll(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, WebhookId)>,
    uri: axum::http::Uri,
) -> ApiResult<Json<Pulled>> {
    let q: PollQuery =
        serde_urlencoded::from_str(uri.query().unwrap_or("")).map_err(|e| ApiError::invalid("query", e.to_string()))?;
    let limit = q
        .limit
        .map(|l| l.parse::<usize>())
        .transpose()
        .map_err(|_| ApiError::invalid("limit", format!("is a number from 1 to {}", pulling::MAX_LIMIT)))?;
    Ok(Json(s.ops.pull(&by, &org, &id, q.iterator.as_deref().filter(|i| !i.is_empty()), limit).await?))
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(
            list,
            Route {
                query: PAGE,
                response: Some(page_of::<WebhookView>),
                ..route(
                    "listWebhooks",
                    "get",
                    "/orgs/{org}/webhooks",
                    "webhooks",
                    "List webhooks (sort: name, url, owner, created_at, status, last_triggered_at)",
                )
            },
        ),
        endpoint(
            create,
            Route {
                request: Some(one::<WebhookIn>),
                status: 201,
                response: Some(one::<WebhookView>),
                ..route(
                    "createWebhook",
                    "post",
                    "/orgs/{org}/webhooks",
                    "webhooks",
                    "Create a webhook (the answer carries the signing secret, this once)",
                )
            },
        ),
        endpoint(
            bulk_delete,
            Route {
                request: Some(one::<BulkDelete>),
                response: Some(one::<BulkDeleted>),
                ..route(
                    "bulkDeleteWebhooks",
                    "post",
                    "/orgs/{org}/webhooks:bulk-delete",
                    "webhooks",
                    "Delete several webhooks",
                )
            },
        ),
        endpoint(
            try_filter,
            Route {
                request: Some(one::<FilterTrial>),
                response: Some(one::<FilterVerdict>),
                ..route(
                    "tryFilter",
                    "post",
                    "/orgs/{org}/webhooks:try-filter",
                    "webhooks",
                    "Try a filter on an event (the type's example by default): would it reach the webhook?",
                )
            },
        ),
        endpoint(
            try_transformation,
            Route {
                request: Some(one::<TransformationTrial>),
                response: Some(one::<TransformationOutcome>),
                ..route(
                    "tryTransformation",
                    "post",
                    "/orgs/{org}/webhooks:try-transformation",
                    "webhooks",
                    "Run transformation code on an event (the type's example by default): the request it would send, a cancel, or why it failed",
                )
            },
        ),
        endpoint(
            get_one,
            Route {
                response: Some(one::<WebhookView>),
                ..route("getWebhook", "get", "/orgs/{org}/webhooks/{id}", "webhooks", "Get a webhook (with its ETag)")
            },
        ),
        endpoint(
            patch,
            Route {
                request: Some(one::<WebhookPatch>),
                response: Some(one::<WebhookView>),
                ..route(
                    "updateWebhook",
                    "patch",
                    "/orgs/{org}/webhooks/{id}",
                    "webhooks",
                    "Update a webhook: absent fields stay; send If-Match with the ETag to edit only what you read",
                )
            },
        ),
        endpoint(
            delete,
            Route {
                status: 204,
                ..route("deleteWebhook", "delete", "/orgs/{org}/webhooks/{id}", "webhooks", "Delete a webhook")
            },
        ),
        endpoint(
            rotate_secret,
            Route {
                response: Some(one::<WebhookView>),
                ..route(
                    "rotateWebhookSecret",
                    "post",
                    "/orgs/{org}/webhooks/{id}/rotate-secret",
                    "webhooks",
                    "Rotate the signing secret (those it replaces keep signing for 24 h)",
                )
            },
        ),
        endpoint(
            test,
            Route {
                request: Some(one::<TestInput>),
                status: 202,
                response: Some(one::<Accepted>),
                ..route(
                    "testWebhook",
                    "post",
                    "/orgs/{org}/webhooks/{id}/test",
                    "webhooks",
                    "Send a test event to this webhook (the body is optional)",
                )
            },
        ),
        endpoint(
            recover,
            Route {
                request: Some(one::<RecoverInput>),
                status: 202,
                response: Some(one::<Recovered>),
                ..route(
                    "recoverWebhook",
                    "post",
                    "/orgs/{org}/webhooks/{id}/recover",
                    "webhooks",
                    "Re-send what failed since a time",
                )
            },
        ),
        endpoint(
            poll,
            Route {
                query: POLL,
                response: Some(one::<Pulled>),
                ..route(
                    "pollWebhook",
                    "get",
                    "/orgs/{org}/webhooks/{id}/poll",
                    "webhooks",
                    "Pull a poll webhook's waiting deliveries, oldest first (at least once: each iterator acknowledges what came before it)",
                )
            },
        ),
    ]
}

const POLL: &[(&str, &str)] = &[
    (
        "iterator",
        "The `iterator` of the previous pull: acknowledges what it handed out; absent to start from the oldest waiting",
    ),
    ("limit", "Deliveries a pull, 1 to 250 (default 50)"),
];

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
