//! `/orgs/{org}/events`: publish, and read an event back.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Json, Router};
use hookd_core::{EventId, OrgId};

use super::endpoint::{Endpoint, Route, endpoint, one, route};
use super::extract::ApiJson;
use super::state::ApiState;
use crate::error::ApiResult;
use crate::ids::Ids;
use hookd_service::Actor;
use hookd_service::events::{Accepted, EventIn, EventView};

async fn publish(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<EventIn>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    // The service layer says which keys are acceptable; bytes that are not text reach it as
    // replacement characters, which it refuses.
    let key = headers.get("idempotency-key").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    Ok((StatusCode::ACCEPTED, Json(s.ops.publish(&by, &org, input, key).await?)))
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
                    "post",
                    "/orgs/{org}/events",
                    "events",
                    "Publish an event (an Idempotency-Key header makes a retry safe)",
                )
            },
        ),
        endpoint(
            get_one,
            Route {
                response: Some(one::<EventView>),
                ..route("get", "/orgs/{org}/events/{id}", "events", "Get an event and its deliveries")
            },
        ),
    ]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
