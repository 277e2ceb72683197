//! `/event-types`: the catalog.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use hookd_core::model::EventType;

use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;
use hookd_service::Actor;
use hookd_service::event_types::EventTypeIn;

async fn create(
    State(s): State<AppState>,
    by: Actor,
    ApiJson(input): ApiJson<EventTypeIn>,
) -> ApiResult<(StatusCode, Json<EventType>)> {
    Ok((StatusCode::CREATED, Json(s.ops.upsert_event_type(&by, input).await?)))
}

async fn list(State(s): State<AppState>, by: Actor) -> ApiResult<Json<super::List<EventType>>> {
    Ok(Json(super::List { data: s.ops.list_event_types(&by).await?, next_cursor: None }))
}

async fn get_one(State(s): State<AppState>, by: Actor, Path(name): Path<String>) -> ApiResult<Json<EventType>> {
    Ok(Json(s.ops.get_event_type(&by, &name).await?))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/event-types", get(list).post(create)).route("/event-types/{name}", get(get_one))
}
