use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use hookd_core::model::EventType;
use hookd_core::schema::PayloadSchema;
use hookd_core::validation;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, not_found};
use crate::extract::{ApiJson, Caller};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTypeInput {
    pub name: String,
    pub group: Option<String>,
    pub description: Option<String>,
    pub schema: Option<serde_json::Value>,
    pub example: Option<serde_json::Value>,
}

/// Checks and stores a catalog entry; `serve --demo` seeds the catalog through this too.
pub async fn upsert(state: &AppState, input: EventTypeInput) -> ApiResult<EventType> {
    validation::event_type_name("name", &input.name)?;
    if let Some(schema) = &input.schema {
        let compiled = PayloadSchema::compile(schema).map_err(|e| ApiError::invalid("schema", e.to_string()))?;
        if let Some(example) = &input.example
            && let Err(hookd_core::schema::SchemaError::Violation { path, message }) = compiled.check(example)
        {
            return Err(ApiError::invalid(
                format!("example{path}"),
                format!("the example breaks the schema: {message}"),
            ));
        }
    }
    let et = EventType {
        name: input.name,
        group: input.group.unwrap_or_else(|| "General".into()),
        description: input.description.unwrap_or_default(),
        schema: input.schema,
        example: input.example,
        created_at: chrono::Utc::now(),
    };
    state.store.upsert_event_type(&et).await?;
    state.catalog.remove(&et.name);
    Ok(et)
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<EventTypeInput>,
) -> ApiResult<(StatusCode, Json<EventType>)> {
    caller.operator_only()?;
    Ok((StatusCode::CREATED, Json(upsert(&state, input).await?)))
}

async fn list(State(state): State<AppState>, _caller: Caller) -> ApiResult<Json<super::List<EventType>>> {
    Ok(Json(super::List { data: state.store.list_event_types().await?, next_cursor: None }))
}

async fn get_one(
    State(state): State<AppState>,
    _caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<EventType>> {
    Ok(Json(state.store.get_event_type(&name).await.map_err(not_found("event type"))?))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/event-types", get(list).post(create)).route("/event-types/{name}", get(get_one))
}
