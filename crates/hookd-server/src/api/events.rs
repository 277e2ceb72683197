//! `/orgs/{org}/events`: publish, and read an event back.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use hookd_core::{EventId, OrgId};

use crate::error::ApiResult;
use crate::extract::{ApiJson, path_id};
use crate::state::AppState;
use hookd_service::Actor;
use hookd_service::events::{Accepted, EventIn, EventView};

async fn publish(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<EventIn>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let org = path_id("org", &org, OrgId::parse)?;
    // The service layer says which keys are acceptable; bytes that are not text reach it as
    // replacement characters, which it refuses.
    let key = headers.get("idempotency-key").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    Ok((StatusCode::ACCEPTED, Json(s.ops.publish(&by, &org, input, key).await?)))
}

async fn get_one(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<EventView>> {
    let org = path_id("org", &org, OrgId::parse)?;
    let id = path_id("event", &id, EventId::parse)?;
    Ok(Json(s.ops.get_event(&by, &org, &id).await?))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{org}/events", post(publish)).route("/orgs/{org}/events/{id}", get(get_one))
}
