use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use hookd_core::model::{DeliveryState, Environment, Event, Webhook};
use hookd_core::schema::SchemaError;
use hookd_core::visibility::valid_entry;
use hookd_core::{DeliveryId, EventId, OrgId};
use hookd_delivery::Metrics;
use hookd_store::{Audience, Published, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{ApiError, ApiResult, not_found};
use crate::extract::{ApiJson, Caller, path_id};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    #[serde(rename = "type")]
    event_type: String,
    payload: Box<RawValue>,
    resource_url: Option<String>,
    environment: Option<Environment>,
    visible_to: Option<Vec<String>>,
    occurred_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The answer to a publish: the event and the deliveries it created.
#[derive(Serialize)]
pub struct Accepted {
    pub id: EventId,
    pub deliveries: Vec<DeliveryId>,
}

#[derive(Serialize)]
pub struct EventView {
    id: EventId,
    org_id: OrgId,
    #[serde(rename = "type")]
    event_type: String,
    payload: Box<RawValue>,
    resource_url: Option<String>,
    environment: Environment,
    visible_to: Vec<String>,
    occurred_at: chrono::DateTime<chrono::Utc>,
    created_at: chrono::DateTime<chrono::Utc>,
    deliveries: Vec<DeliveryStateView>,
}

#[derive(Serialize)]
struct DeliveryStateView {
    id: DeliveryId,
    state: DeliveryState,
}

async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<EventInput>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let org_id = path_id("org", &org, OrgId::parse)?;
    caller.check_admin(&org_id)?;
    let idempotency_key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let k = v.to_str().ok().filter(|k| !k.is_empty() && k.len() <= 255);
            Some(
                k.ok_or_else(|| ApiError::invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters"))?
                    .to_owned(),
            )
        }
    };
    if input.payload.get().len() > state.config.max_payload_bytes {
        return Err(ApiError::TooLarge(state.config.max_payload_bytes));
    }
    let Some(entry) = state.catalog_entry(&input.event_type).await? else {
        return Err(ApiError::invalid("type", format!("`{}` is not in the event-type catalog", input.event_type)));
    };
    if let Some(schema) = &entry.schema {
        let event_type = &entry.event_type;
        let payload: serde_json::Value =
            serde_json::from_str(input.payload.get()).map_err(|e| ApiError::invalid("payload", e.to_string()))?;
        if let Err(SchemaError::Violation { path, message }) = schema.check(&payload) {
            return Err(ApiError::invalid(
                format!("payload{path}"),
                format!("breaks the schema of {}: {message}", event_type.name),
            ));
        }
    }
    if let Some(u) = &input.resource_url {
        url::Url::parse(u).map_err(|e| ApiError::invalid("resource_url", format!("is not a URL: {e}")))?;
    }
    let visible_to = input.visible_to.unwrap_or_default();
    for (i, v) in visible_to.iter().enumerate() {
        if !valid_entry(v) {
            return Err(ApiError::invalid(
                format!("visible_to[{i}]"),
                format!("`{v}` is not a member ID, `group:NAME` or `role:ROLE`"),
            ));
        }
    }
    let now = chrono::Utc::now();
    let event = Event {
        id: EventId::new(),
        org_id,
        event_type: input.event_type,
        payload: input.payload.get().to_owned(),
        resource_url: input.resource_url,
        environment: input.environment.unwrap_or_default(),
        visible_to,
        occurred_at: input.occurred_at.unwrap_or(now),
        created_at: now,
        idempotency_key,
    };
    let published = publish_event(&state, event, &Audience::Subscribers).await.map_err(not_found("organization"))?;
    Ok((StatusCode::ACCEPTED, Json(accepted(published))))
}

/// Publishes through the store, leasing what this node's dispatcher has room for and handing
/// it over: the one way the API publishes.
pub(crate) async fn publish_event(
    state: &AppState,
    event: Event,
    audience: &Audience,
) -> Result<Published, StoreError> {
    let room = state.handoff.reserve();
    let mut published = state.store.publish_leased(&event, audience, room.lease().as_ref()).await?;
    if !published.replayed {
        Metrics::add(&state.metrics.events_published, 1);
        Metrics::add(&state.metrics.deliveries_created, published.deliveries.len() as u64);
    }
    room.hand(event, &mut published);
    Ok(published)
}

fn accepted(p: Published) -> Accepted {
    Accepted { id: p.event_id, deliveries: p.deliveries }
}

/// Publishes an event to one webhook only (the `test` action).
pub async fn publish_to(
    state: &AppState,
    webhook: &Webhook,
    event_type: &str,
    payload: serde_json::Value,
) -> ApiResult<Accepted> {
    let now = chrono::Utc::now();
    let event = Event {
        id: EventId::new(),
        org_id: webhook.org_id.clone(),
        event_type: event_type.to_owned(),
        payload: payload.to_string(),
        resource_url: None,
        environment: webhook.environment,
        visible_to: vec![],
        occurred_at: now,
        created_at: now,
        idempotency_key: None,
    };
    let published =
        publish_event(state, event, &Audience::Webhook(webhook.id.clone())).await.map_err(not_found("webhook"))?;
    Ok(accepted(published))
}

async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<EventView>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check(&org, false)?;
    let id = path_id("event", &id, EventId::parse)?;
    let (e, _) = state.store.get_event(&org, &id).await.map_err(not_found("event"))?;
    let deliveries = state.store.delivery_states(&org, &id).await?;
    Ok(Json(EventView {
        payload: RawValue::from_string(e.payload).map_err(|err| ApiError::Internal(err.to_string()))?,
        id: e.id,
        org_id: e.org_id,
        event_type: e.event_type,
        resource_url: e.resource_url,
        environment: e.environment,
        visible_to: e.visible_to,
        occurred_at: e.occurred_at,
        created_at: e.created_at,
        deliveries: deliveries.into_iter().map(|(id, state)| DeliveryStateView { id, state }).collect(),
    }))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{org}/events", post(publish)).route("/orgs/{org}/events/{id}", get(get_one))
}
