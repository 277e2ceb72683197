//! What a filter or a transformation would do with an event, tried on an example before it
//! is saved: nothing is published, stored or sent.

use std::collections::BTreeMap;

use hookd_core::envelope::Recipe;
use hookd_core::model::{ContentType, Event, PayloadFormat, Transformation};
use hookd_core::{OrgId, WebhookId};
use hookd_delivery::shaping::{self, Given};
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
        let event = self.example_event(org, &trial.event_type, trial.payload).await?;
        let subject = hookd_core::filter::subject(&event);
        Ok(FilterVerdict { matches: checked.matches(&subject), description: checked.describe(), subject })
    }
}

/// Transformation code and the event to try it on.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "function handler(webhook) {\n  webhook.payload = {text: `New ${webhook.eventType}`};\n  return webhook;\n}",
    "event_type": "invoice.paid"}))]
pub struct TransformationTrial {
    pub code: String,
    pub event_type: String,
    /// The event type's example when absent.
    #[serde(default)]
    #[schema(schema_with = hookd_core::model::any_json)]
    pub payload: Option<Value>,
    /// The webhook's URL, as the handler sees it (`https://example.com/webhook` when absent).
    #[serde(default)]
    pub url: Option<String>,
    /// The webhook's headers, as the handler sees them.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// How the body is made from the event (`envelope` when absent).
    #[serde(default)]
    pub payload_format: PayloadFormat,
}

/// What a transformation made of the example: the request it would send, that it cancelled
/// it, or why it failed (as a delivery's attempt would record it).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransformationOutcome {
    /// `sent`, `cancelled` or `failed`.
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<TriedRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A request as a transformation left it, before hookd adds its own headers and signs it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TriedRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Ops {
    /// Runs transformation code on an event of a catalog type as a delivery would, sending
    /// nothing. Code that does not compile is refused naming `code`.
    pub async fn try_transformation(
        &self,
        by: &Actor,
        org: &OrgId,
        trial: TransformationTrial,
    ) -> OpsResult<TransformationOutcome> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        super::webhooks::transformation(&Transformation { code: trial.code.clone(), enabled: true }).await.map_err(
            |e| match e {
                OpsError::Invalid { detail, .. } => OpsError::invalid("code", detail),
                other => other,
            },
        )?;
        let event = self.example_event(org, &trial.event_type, trial.payload).await?;
        let recipe =
            Recipe { payload: trial.payload_format, content_type: ContentType::Json, webhook_name: "Example".into() };
        let given = Given {
            url: trial.url.unwrap_or_else(|| "https://example.com/webhook".into()),
            headers: trial.headers,
            event_type: event.event_type.clone(),
            json: recipe.render_json(&WebhookId::new(), org, &[&event]),
        };
        Ok(match shaping::shape(&self.config.wire, &trial.code, given).await {
            Ok(Some(s)) => TransformationOutcome {
                outcome: "sent",
                request: Some(TriedRequest { method: "POST", url: s.url, headers: s.headers, body: s.payload }),
                error: None,
            },
            Ok(None) => TransformationOutcome { outcome: "cancelled", request: None, error: None },
            Err(e) => TransformationOutcome { outcome: "failed", request: None, error: Some(e.message) },
        })
    }

    /// An event of a catalog type with `payload`, or the type's example, as if published now.
    async fn example_event(&self, org: &OrgId, event_type: &str, payload: Option<Value>) -> OpsResult<Event> {
        let Some(entry) = self.catalog_entry(event_type).await? else {
            return Err(OpsError::invalid("event_type", format!("`{event_type}` is not in the event-type catalog")));
        };
        let payload = payload.or_else(|| entry.event_type.example.clone()).unwrap_or(Value::Null);
        Ok(Event::example(org.clone(), event_type, payload.to_string()))
    }
}
