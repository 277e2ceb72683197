//! What a filter would do with an event, tried on an example before it is saved: nothing is
//! published, stored or sent.

use hookd_core::model::{Environment, Event};
use hookd_core::{EventId, OrgId};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::webhooks::filter;
use super::{Access, Actor, Ops, OpsError, OpsResult};

/// A filter and the event to try it on: a payload of the type, or the type's example.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"filter": {"payload.amount": {"$gt": 100}}, "event_type": "invoice.paid"}))]
pub struct FilterTrial {
    #[schema(value_type = Object)]
    pub filter: Value,
    pub event_type: String,
    /// The event type's example when absent.
    #[serde(default)]
    #[schema(schema_with = hookd_core::model::any_json)]
    pub payload: Option<Value>,
}

/// Whether the event would reach a webhook with the filter, and the filter in words.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilterVerdict {
    pub matches: bool,
    pub description: String,
    /// The document the filter was matched against.
    #[schema(value_type = Object)]
    pub subject: Value,
}

impl Ops {
    /// Matches a filter against an event of a catalog type, as publishing would.
    pub async fn try_filter(&self, by: &Actor, org: &OrgId, trial: FilterTrial) -> OpsResult<FilterVerdict> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        let checked = filter(&trial.filter)?;
        let Some(entry) = self.catalog_entry(&trial.event_type).await? else {
            return Err(OpsError::invalid(
                "event_type",
                format!("`{}` is not in the event-type catalog", trial.event_type),
            ));
        };
        let payload = trial.payload.or_else(|| entry.event_type.example.clone()).unwrap_or(Value::Null);
        let now = chrono::Utc::now();
        let event = Event {
            id: EventId::new(),
            org_id: org.clone(),
            event_type: trial.event_type,
            payload: payload.to_string(),
            resource_url: None,
            environment: Environment::Live,
            visible_to: vec![],
            occurred_at: now,
            created_at: now,
            idempotency_key: None,
            traceparent: None,
        };
        let subject = hookd_core::filter::subject(&event);
        Ok(FilterVerdict { matches: checked.matches(&subject), description: checked.describe(), subject })
    }
}
