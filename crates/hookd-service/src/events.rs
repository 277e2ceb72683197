//! Publishing: events checked against the catalog and handed to this node's dispatcher.

use hookd_core::listing::{EventFilter, Page, PageRequest};
use hookd_core::model::{DeliveryCounts, DeliveryState, Environment, Event, Webhook};
use hookd_core::schema::SchemaError;
use hookd_core::visibility::valid_entry;
use hookd_core::{DeliveryId, EventId, OrgId, WebhookId, validation};
use hookd_store::{Audience, EventSummary, Published, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tracing::Instrument;

use super::{Access, Actor, Ops, OpsError, OpsResult, not_found};

/// How stale the activity token may be: what open pages wait at most, beyond their own poll.
pub const ACTIVITY_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// An event as the operator publishes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type": "user.created", "payload": {"id": 42, "email": "ada@example.com"},
    "resource_url": "https://app.example.com/users/42"}))]
pub struct EventIn {
    #[serde(rename = "type")]
    pub event_type: String,
    /// Any JSON value, kept as written.
    #[schema(schema_with = hookd_core::model::any_json)]
    pub payload: Box<RawValue>,
    pub resource_url: Option<String>,
    pub environment: Option<Environment>,
    pub visible_to: Option<Vec<String>>,
    pub occurred_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The answer to a publish: the event and the deliveries it created.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    pub id: EventId,
    pub deliveries: Vec<DeliveryId>,
}

impl From<Published> for Accepted {
    fn from(p: Published) -> Self {
        Self { id: p.event_id, deliveries: p.deliveries }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub id: EventId,
    pub org_id: OrgId,
    #[serde(rename = "type")]
    pub event_type: String,
    #[schema(schema_with = hookd_core::model::any_json)]
    pub payload: Box<RawValue>,
    pub resource_url: Option<String>,
    pub environment: Environment,
    pub visible_to: Vec<String>,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub deliveries: Vec<DeliveryStateView>,
}

/// One of an event's deliveries: the webhook it goes to and how far it got.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryStateView {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub state: DeliveryState,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// An event in a list: no payload; its deliveries counted by state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventSummaryView {
    pub id: EventId,
    #[serde(rename = "type")]
    pub event_type: String,
    pub environment: Environment,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub deliveries: DeliveryCounts,
}

impl From<EventSummary> for EventSummaryView {
    fn from(s: EventSummary) -> Self {
        let e = s.event;
        Self {
            id: e.id,
            event_type: e.event_type,
            environment: e.environment,
            occurred_at: e.occurred_at,
            created_at: e.created_at,
            deliveries: s.deliveries,
        }
    }
}

/// What a publish request says besides its event.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    /// An `Idempotency-Key` seen before answers what the first publish did.
    pub idempotency_key: Option<String>,
    /// The caller's W3C `traceparent`: the parent of the publish's trace, or, while traces are
    /// not exported, what `options.traceparent` passes on to receivers.
    pub traceparent: Option<String>,
}

impl Ops {
    /// Checks an event (catalog, schema, size, visibility) and publishes it to its org's
    /// subscribers.
    pub async fn publish(&self, by: &Actor, org: &OrgId, input: EventIn, sent: Sent) -> OpsResult<Accepted> {
        by.authorize(org, Access::Admin)?;
        let Sent { idempotency_key, traceparent } = sent;
        if let Some(k) = &idempotency_key
            && (k.is_empty() || k.len() > 255 || !k.bytes().all(|b| b.is_ascii_graphic() || b == b' '))
        {
            return Err(OpsError::invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters"));
        }
        if input.payload.get().len() > self.config.max_payload_bytes {
            return Err(OpsError::TooLarge(self.config.max_payload_bytes));
        }
        // The same rules for every type, with a schema or without.
        validation::json_text("payload", input.payload.get(), self.config.max_json_depth)?;
        let now = chrono::Utc::now();
        if let Some(at) = input.occurred_at {
            validation::occurred_at("occurred_at", at, now)?;
        }
        let Some(entry) = self.catalog_entry(&input.event_type).await? else {
            return Err(OpsError::invalid("type", format!("`{}` is not in the event-type catalog", input.event_type)));
        };
        if let Some(schema) = &entry.schema {
            let payload: serde_json::Value =
                serde_json::from_str(input.payload.get()).map_err(|e| OpsError::invalid("payload", e.to_string()))?;
            if let Err(SchemaError::Violation { path, message }) = schema.check(&payload) {
                return Err(OpsError::invalid(
                    format!("payload{path}"),
                    format!("breaks the schema of {}: {message}", entry.event_type.name),
                ));
            }
        }
        if let Some(u) = &input.resource_url {
            validation::http_url("resource_url", u)?;
        }
        let visible_to = input.visible_to.unwrap_or_default();
        for (i, v) in visible_to.iter().enumerate() {
            if !valid_entry(v) {
                return Err(OpsError::invalid(
                    format!("visible_to[{i}]"),
                    format!("`{v}` is not a member ID, `group:NAME` or `role:ROLE`"),
                ));
            }
        }
        let event = Event {
            id: EventId::new(),
            org_id: org.clone(),
            event_type: input.event_type,
            payload: input.payload.get().to_owned(),
            resource_url: input.resource_url,
            environment: input.environment.unwrap_or_default(),
            visible_to,
            occurred_at: input.occurred_at.unwrap_or(now),
            created_at: now,
            idempotency_key,
            // Checked, so what is sent on is a trace context and nothing else.
            traceparent: traceparent
                .as_deref()
                .and_then(hookd_telemetry::parse_traceparent)
                .map(|cx| hookd_telemetry::format_traceparent(&cx)),
        };
        // Kept only where a replay must be compared: a publish without a key copies nothing.
        let keyed = event.idempotency_key.is_some().then(|| event.clone());
        let published = self.publish_event(event, &Audience::Subscribers).await.map_err(not_found("organization"))?;
        if published.replayed
            && let Some(again) = &keyed
        {
            self.same_as_first(org, &published.event_id, again, input.occurred_at.is_some()).await?;
        }
        Ok(published.into())
    }

    /// An `Idempotency-Key` names one event: sent again with another event, it is refused
    /// rather than answered with the first event's answer (which would drop the second).
    async fn same_as_first(&self, org: &OrgId, first: &EventId, again: &Event, timed: bool) -> OpsResult<()> {
        let (stored, _) = self.store.get_event(org, first).await?;
        let json = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
        let same = stored.event_type == again.event_type
            && json(&stored.payload) == json(&again.payload)
            && stored.resource_url == again.resource_url
            && stored.environment == again.environment
            && stored.visible_to == again.visible_to
            && (!timed || stored.occurred_at == again.occurred_at);
        if same {
            return Ok(());
        }
        Err(OpsError::invalid(
            "Idempotency-Key",
            format!("was first used for another event ({first}); use a new key for a new event"),
        ))
    }

    /// Publishes through the store, leasing what this node's dispatcher has room for and
    /// handing it over: the one way anything is published.
    async fn publish_event(&self, mut event: Event, audience: &Audience) -> Result<Published, hookd_store::StoreError> {
        let span = hookd_telemetry::publish(&event.event_type);
        // While traces are exported, the deliveries are the publish's children; otherwise the
        // caller's trace context, if any, is kept as it came.
        if let Some(own) = hookd_telemetry::traceparent_of(&span) {
            event.traceparent = Some(own);
        }
        let room = self.handoff.reserve();
        let lease = room.lease();
        let writing = self.store.publish_leased(&event, audience, lease.as_ref());
        // Wrapped only while traces are exported: wrapping moves the whole unstarted future.
        let written = if span.is_none() {
            writing.await
        } else {
            writing.instrument(hookd_telemetry::db_write(&span, "insert event and deliveries")).await
        };
        // `/readyz` says so while publishes find the disk full, and no longer once one goes through.
        let full = matches!(written, Err(StoreError::Full(_)));
        if full != self.metrics.is_full() {
            self.metrics.set_full(full);
        }
        let mut published = written?;
        if !published.replayed {
            self.metrics.events_published.inc();
            self.metrics.deliveries_created.inc_by(published.deliveries.len() as u64);
            self.metrics.deliveries_filtered.inc_by(published.filtered as u64);
        }
        room.hand(event, &mut published);
        Ok(published)
    }

    /// Publishes an event to one webhook only, whatever it subscribes to (test sends).
    pub(super) async fn publish_to(
        &self,
        webhook: &Webhook,
        event_type: &str,
        payload: serde_json::Value,
    ) -> OpsResult<Accepted> {
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
            traceparent: None,
        };
        let published =
            self.publish_event(event, &Audience::Webhook(webhook.id.clone())).await.map_err(not_found("webhook"))?;
        Ok(published.into())
    }

    pub async fn get_event(&self, by: &Actor, org: &OrgId, id: &EventId) -> OpsResult<EventView> {
        by.authorize(org, Access::Read)?;
        let (e, _) = self.store.get_event(org, id).await.map_err(not_found("event"))?;
        let deliveries = self.store.event_deliveries(org, id).await?;
        Ok(EventView {
            payload: RawValue::from_string(e.payload).map_err(|err| OpsError::Internal(err.into()))?,
            id: e.id,
            org_id: e.org_id,
            event_type: e.event_type,
            resource_url: e.resource_url,
            environment: e.environment,
            visible_to: e.visible_to,
            occurred_at: e.occurred_at,
            created_at: e.created_at,
            deliveries: deliveries
                .into_iter()
                .map(|d| DeliveryStateView {
                    id: d.id,
                    webhook_id: d.webhook_id,
                    state: d.state,
                    attempts: d.attempts,
                    next_attempt_at: d.next_attempt_at.filter(|_| d.state == DeliveryState::Pending),
                })
                .collect(),
        })
    }

    /// A token that changes when the org's history or events do. Read from the database at
    /// most once per [`ACTIVITY_EVERY`] per org on this node, however many pages poll it.
    pub async fn activity(&self, by: &Actor, org: &OrgId) -> OpsResult<String> {
        by.authorize(org, Access::Read)?;
        if let Some(token) = self.activity.get(org) {
            return Ok(token);
        }
        let token = self.store.activity(org).await?;
        self.activity.put(org.clone(), token.clone());
        Ok(token)
    }

    /// The org's events, newest first unless the page asks otherwise.
    pub async fn list_events(
        &self,
        by: &Actor,
        org: &OrgId,
        filter: &EventFilter,
        page: &PageRequest<()>,
    ) -> OpsResult<Page<EventSummaryView>> {
        by.authorize(org, Access::Read)?;
        let found = self.store.list_events(org, filter, page).await?;
        Ok(Page { data: found.data.into_iter().map(EventSummaryView::from).collect(), next_cursor: found.next_cursor })
    }
}
