//! `/event-types`: the catalog.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Json, Router};
use hookd_core::listing::EventTypeSort;
use hookd_core::model::EventType;

use super::endpoint::{EVENT_TYPES, Endpoint, Route, endpoint, one, page_of, route};
use super::extract::{ApiJson, ListParams};
use super::state::{ApiState, List};
use crate::error::ApiResult;
use hookd_service::Actor;
use hookd_service::event_types::EventTypeIn;

async fn create(
    State(s): State<ApiState>,
    by: Actor,
    ApiJson(input): ApiJson<EventTypeIn>,
) -> ApiResult<(StatusCode, Json<EventType>)> {
    Ok((StatusCode::CREATED, Json(s.ops.upsert_event_type(&by, input).await?)))
}

async fn list(State(s): State<ApiState>, by: Actor, params: ListParams) -> ApiResult<Json<List<EventType>>> {
    params.no_filters()?;
    let page = params.page(EventTypeSort::parse, EventTypeSort::NAMES)?;
    Ok(Json(List::from_page(s.ops.list_event_types(&by, &page).await?, |t| t)))
}

async fn get_one(State(s): State<ApiState>, by: Actor, Path(name): Path<String>) -> ApiResult<Json<EventType>> {
    Ok(Json(s.ops.get_event_type(&by, &name).await?))
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(
            list,
            Route {
                query: EVENT_TYPES,
                response: Some(page_of::<EventType>),
                ..route("listEventTypes", "get", "/event-types", "event-types", "List the catalog")
            },
        ),
        endpoint(
            create,
            Route {
                request: Some(one::<EventTypeIn>),
                status: 201,
                response: Some(one::<EventType>),
                ..route(
                    "createEventType",
                    "post",
                    "/event-types",
                    "event-types",
                    "Add or replace a catalog entry (operator)",
                )
            },
        ),
        endpoint(
            get_one,
            Route {
                response: Some(one::<EventType>),
                ..route(
                    "getEventType",
                    "get",
                    "/event-types/{name}",
                    "event-types",
                    "Get an event type with its schema and example",
                )
            },
        ),
    ]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
