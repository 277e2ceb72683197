//! The one place that turns events into the bytes a receiver gets.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::id::{EventId, OrgId, WebhookId};
use crate::model::{ContentType, Event, PayloadFormat, Timestamp, Webhook};

/// The webhook as the receiver sees it in every body.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct WebhookRef<'a> {
    pub id: &'a WebhookId,
    pub organization: &'a OrgId,
    pub name: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub body: Vec<u8>,
    pub content_type: &'static str,
}

#[derive(Serialize)]
struct Envelope<'a> {
    id: &'a EventId,
    #[serde(rename = "type")]
    event_type: &'a str,
    timestamp: String,
    webhook: WebhookRef<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_url: Option<&'a str>,
    payload: &'a RawValue,
}

#[derive(Serialize)]
struct Thin<'a> {
    id: &'a EventId,
    #[serde(rename = "type")]
    event_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_url: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Item<'a> {
    Envelope(Envelope<'a>),
    Thin(Thin<'a>),
    Raw(&'a RawValue),
}

#[derive(Serialize)]
struct Batch<'a> {
    webhook: WebhookRef<'a>,
    events: Vec<Item<'a>>,
}

pub fn rfc3339(t: &Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

const NULL: &str = "null";

fn item<'a>(format: PayloadFormat, webhook: WebhookRef<'a>, event: &'a Event) -> Item<'a> {
    // Payloads were validated as JSON at ingest; a corrupted row still renders as `null`
    // rather than stopping the delivery.
    let payload: &RawValue = serde_json::from_str(&event.payload)
        .unwrap_or_else(|_| serde_json::from_str(NULL).unwrap_or_else(|_| unreachable!()));
    match format {
        PayloadFormat::Envelope => Item::Envelope(Envelope {
            id: &event.id,
            event_type: &event.event_type,
            timestamp: rfc3339(&event.occurred_at),
            webhook,
            resource_url: event.resource_url.as_deref(),
            payload,
        }),
        PayloadFormat::Thin => Item::Thin(Thin {
            id: &event.id,
            event_type: &event.event_type,
            resource_url: event.resource_url.as_deref(),
        }),
        PayloadFormat::Raw => Item::Raw(payload),
    }
}

/// What a body is made of besides its events: given the same events it renders the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipe {
    pub payload: PayloadFormat,
    pub content_type: ContentType,
    /// The webhook's name when the body was made: every body carries it, and it can be edited.
    pub webhook_name: String,
}

impl Recipe {
    /// The recipe a webhook's bodies are made with now.
    pub fn of(webhook: &Webhook) -> Self {
        Self {
            payload: webhook.options.payload,
            content_type: webhook.options.content_type,
            webhook_name: webhook.name.clone(),
        }
    }

    pub fn render(&self, webhook: &WebhookId, org: &OrgId, events: &[&Event]) -> Rendered {
        self.encode(self.render_json(webhook, org, events))
    }

    /// The body as JSON, before it is encoded for its content type: what a transformation
    /// is given as `payload`.
    pub fn render_json(&self, webhook: &WebhookId, org: &OrgId, events: &[&Event]) -> Vec<u8> {
        let webhook = WebhookRef { id: webhook, organization: org, name: &self.webhook_name };
        render_json(self.payload, webhook, events)
    }

    /// JSON as the body of the recipe's content type.
    pub fn encode(&self, json: Vec<u8>) -> Rendered {
        match self.content_type {
            ContentType::Json => Rendered { body: json, content_type: "application/json" },
            ContentType::Form => {
                let text = String::from_utf8_lossy(&json);
                let body = url::form_urlencoded::Serializer::new(String::new()).append_pair("payload", &text).finish();
                Rendered { body: body.into_bytes(), content_type: "application/x-www-form-urlencoded" }
            }
        }
    }
}

/// One event, or a batch when there are several, as JSON.
fn render_json(format: PayloadFormat, webhook: WebhookRef<'_>, events: &[&Event]) -> Vec<u8> {
    // Sized for the payloads and their envelopes, so the body is not grown and copied as it is written.
    let mut json = Vec::with_capacity(events.iter().map(|e| e.payload.len() + 256).sum::<usize>() + 128);
    // Serializing plain structs and pre-validated raw JSON into memory does not fail.
    let _ = match events {
        [one] => serde_json::to_writer(&mut json, &item(format, webhook, one)),
        many => serde_json::to_writer(
            &mut json,
            &Batch { webhook, events: many.iter().map(|e| item(format, webhook, e)).collect() },
        ),
    };
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Environment;

    fn render(format: PayloadFormat, content_type: ContentType, r: WebhookRef<'_>, events: &[&Event]) -> Rendered {
        let recipe = Recipe { payload: format, content_type, webhook_name: r.name.to_owned() };
        recipe.render(r.id, r.organization, events)
    }

    fn event() -> Event {
        Event {
            id: EventId::new(),
            org_id: OrgId::new(),
            event_type: "user.created".into(),
            payload: r#"{"id": 1, "name": "Ada"}"#.into(),
            resource_url: Some("https://api.example.com/users/1".into()),
            environment: Environment::Live,
            visible_to: vec![],
            occurred_at: chrono::Utc::now(),
            created_at: chrono::Utc::now(),
            idempotency_key: None,
            traceparent: None,
        }
    }

    #[test]
    fn envelope_thin_and_raw_have_their_shapes() {
        let e = event();
        let wh = WebhookId::new();
        let r = WebhookRef { id: &wh, organization: &e.org_id, name: "CRM" };
        let env: serde_json::Value =
            serde_json::from_slice(&render(PayloadFormat::Envelope, ContentType::Json, r, &[&e]).body).unwrap();
        assert_eq!(env["type"], "user.created");
        assert_eq!(env["webhook"]["name"], "CRM");
        assert_eq!(env["payload"]["name"], "Ada");
        let thin: serde_json::Value =
            serde_json::from_slice(&render(PayloadFormat::Thin, ContentType::Json, r, &[&e]).body).unwrap();
        assert_eq!(thin.as_object().unwrap().len(), 3);
        let raw = render(PayloadFormat::Raw, ContentType::Json, r, &[&e]);
        assert_eq!(raw.body, br#"{"id": 1, "name": "Ada"}"#);
    }

    #[test]
    fn batches_and_forms() {
        let (a, b) = (event(), event());
        let wh = WebhookId::new();
        let r = WebhookRef { id: &wh, organization: &a.org_id, name: "CRM" };
        let batch: serde_json::Value =
            serde_json::from_slice(&render(PayloadFormat::Envelope, ContentType::Json, r, &[&a, &b]).body).unwrap();
        assert_eq!(batch["events"].as_array().unwrap().len(), 2);
        let form = render(PayloadFormat::Thin, ContentType::Form, r, &[&a]);
        assert_eq!(form.content_type, "application/x-www-form-urlencoded");
        assert!(String::from_utf8(form.body).unwrap().starts_with("payload=%7B"));
    }
}
