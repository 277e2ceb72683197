//! `/orgs/{org}/events`: publish, and read an event back.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Json, Router};
use hookd_core::listing::{EventFilter, Order};
use hookd_core::{EventId, OrgId};

use super::endpoint::{Endpoint, Route, endpoint, one, page_of, route};
use super::extract::{ApiJson, ListParams};
use super::state::{ApiState, List};
use crate::error::ApiResult;
use crate::ids::Ids;
use hookd_service::Actor;
use hookd_service::events::{Accepted, EventIn, EventSummaryView, EventView};

const EVENTS: &[(&str, &str)] = &[
    ("limit", "Items a page, 1 to 500 (default 50)"),
    ("cursor", "The `next_cursor` of the previous page"),
    ("order", "`desc` (newest first, the default) or `asc`"),
    ("q", "Search text (event ID or type)"),
    ("type", "Only events of this type"),
    ("since", "Published at or after (RFC 3339)"),
    ("until", "Published before (RFC 3339)"),
];

async fn publish(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<EventIn>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    // The service layer says which keys are acceptable; bytes that are not text reach it as
    // replacement characters, which it refuses.
    let idempotency_key = headers.get("idempotency-key").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let traceparent = headers.get(hookd_telemetry::TRACEPARENT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let sent = hookd_service::events::Sent { idempotency_key, traceparent };
    Ok((StatusCode::ACCEPTED, Json(s.ops.publish(&by, &org, input, sent).await?)))
}

async fn list(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    params: ListParams,
) -> ApiResult<Json<List<EventSummaryView>>> {
    let mut page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    // Newest first, unless the caller asks for the oldest.
    if params.order.is_none() {
        page.order = Order::Desc;
    }
    let filter = EventFilter {
        event_type: params.type_name.clone(),
        since: ListParams::time("since", &params.since)?,
        until: ListParams::time("until", &params.until)?,
    };
    Ok(Json(List::from_page(s.ops.list_events(&by, &org, &filter, &page).await?, |e| e)))
}

async fn get_one(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, EventId)>,
) -> ApiResult<Json<EventView>> {
    Ok(Json(s.ops.get_event(&by, &org, &id).await?))
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(
            publish,
            Route {
                request: Some(one::<EventIn>),
                status: 202,
                response: Some(one::<Accepted>),
                ..route(
                    "publishEvent",
                    "post",
                    "/orgs/{org}/events",
                    "events",
                    "Publish an event (an Idempotency-Key header makes a retry safe)",
                )
            },
        ),
        endpoint(
            list,
            Route {
                query: EVENTS,
                response: Some(page_of::<EventSummaryView>),
                ..route(
                    "listEvents",
                    "get",
                    "/orgs/{org}/events",
                    "events",
                    "List events, newest first, with their deliveries counted",
                )
            },
        ),
        endpoint(
            get_one,
            Route {
                response: Some(one::<EventView>),
                ..route("getEvent", "get", "/orgs/{org}/events/{id}", "events", "Get an event and its deliveries")
            },
        ),
    ]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
