//! What is published and what becomes of it: events, their deliveries and the attempts made.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Environment;
use crate::envelope::Recipe;
use crate::id::{AttemptId, DeliveryId, EventId, OrgId, WebhookId};

#[derive(Debug, Clone)]
pub struct Event {
    pub id: EventId,
    pub org_id: OrgId,
    pub event_type: String,
    /// The payload exactly as published (validated JSON text), so it is never re-parsed.
    pub payload: String,
    pub resource_url: Option<String>,
    pub environment: Environment,
    pub visible_to: Vec<String>,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub idempotency_key: Option<String>,
    /// The W3C `traceparent` of its publish: the parent of its deliveries' spans, and what
    /// `options.traceparent` sends receivers.
    pub traceparent: Option<String>,
}

impl Event {
    /// An event of `event_type` as published now in the live environment, with nothing else
    /// set: what a try on an example is given.
    pub fn example(org_id: OrgId, event_type: &str, payload: String) -> Event {
        let now = Utc::now();
        Event {
            id: EventId::new(),
            org_id,
            event_type: event_type.to_owned(),
            payload,
            resource_url: None,
            environment: Environment::Live,
            visible_to: vec![],
            occurred_at: now,
            created_at: now,
            idempotency_key: None,
            traceparent: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Waiting for its next attempt (possibly leased by a worker right now).
    Pending,
    Succeeded,
    /// Every scheduled attempt failed, or the webhook was disabled.
    Failed,
    /// The webhook's transformation cancelled it: nothing was sent.
    Cancelled,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "succeeded" => Some(Self::Succeeded),
            "failed" => Some(Self::Failed),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    Auto,
    Retry,
    Manual,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Retry => "retry",
            Self::Manual => "manual",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Self::Auto),
            "retry" => Some(Self::Retry),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    pub id: DeliveryId,
    pub org_id: OrgId,
    pub webhook_id: WebhookId,
    pub event_id: EventId,
    pub state: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub next_trigger: Trigger,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What became of an event's deliveries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeliveryCounts {
    pub total: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub pending: u64,
    /// Cancelled by the webhook's transformation.
    pub cancelled: u64,
}

impl DeliveryCounts {
    pub fn add(&mut self, state: DeliveryState, n: u64) {
        self.total += n;
        match state {
            DeliveryState::Succeeded => self.succeeded += n,
            DeliveryState::Failed => self.failed += n,
            DeliveryState::Pending => self.pending += n,
            DeliveryState::Cancelled => self.cancelled += n,
        }
    }
}

/// Why an attempt got no 2xx, when it got no response at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttemptErrorKind {
    Timeout,
    Refused,
    Dns,
    Tls,
    Ssrf,
    Connection,
    InvalidUrl,
    Auth,
    /// The webhook's transformation threw, ran out of time or memory, or returned something
    /// that cannot be sent.
    Transformation,
    /// The webhook's transformation set `cancel`: nothing was sent, and nothing will be.
    Cancelled,
    /// A queue, bus or broker answered with an error (no such stream, access denied, the
    /// message refused).
    Rejected,
}

impl AttemptErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Refused => "refused",
            Self::Dns => "dns",
            Self::Tls => "tls",
            Self::Ssrf => "ssrf",
            Self::Connection => "connection",
            Self::InvalidUrl => "invalid_url",
            Self::Auth => "auth",
            Self::Transformation => "transformation",
            Self::Cancelled => "cancelled",
            Self::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "timeout" => Self::Timeout,
            "refused" => Self::Refused,
            "dns" => Self::Dns,
            "tls" => Self::Tls,
            "ssrf" => Self::Ssrf,
            "connection" => Self::Connection,
            "invalid_url" => Self::InvalidUrl,
            "auth" => Self::Auth,
            "transformation" => Self::Transformation,
            "cancelled" => Self::Cancelled,
            "rejected" => Self::Rejected,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttemptError {
    pub kind: AttemptErrorKind,
    pub message: String,
}

/// One HTTP request made for a delivery, with what came back.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Attempt {
    pub id: AttemptId,
    pub org_id: OrgId,
    pub delivery_id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event_ids: Vec<EventId>,
    /// The types of `event_ids`, one each, in their order.
    pub event_types: Vec<String>,
    pub url: String,
    pub sent_at: DateTime<Utc>,
    pub response_status: Option<u16>,
    /// From sending the request to the end of the answer (or of waiting for one).
    pub duration_us: u64,
    pub error: Option<AttemptError>,
    pub trigger: Trigger,
    pub request_headers: Vec<(String, String)>,
    /// The API shows an attempt's body as text: the store renders a recipe again on reading.
    #[schema(value_type = String)]
    pub request_body: RequestBody,
    pub response_headers: Vec<(String, String)>,
    pub response_body: String,
}

/// Request and response bodies kept in the history are cut here.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Bytes as the history keeps them: at most [`BODY_LIMIT`] of them, as text, without a copy
/// when they are UTF-8 (as JSON and forms are).
pub fn history_text(mut bytes: Vec<u8>) -> String {
    bytes.truncate(BODY_LIMIT);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// An attempt's request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequestBody {
    /// The body as the history shows it (see [`history_text`]).
    Text(String),
    /// Made from the attempt's events with this recipe, and made again from them when the
    /// attempt is read: an event fanned out to N webhooks keeps its payload once, not N + 1
    /// times.
    Rendered(Recipe),
}

impl Attempt {
    /// [`Attempt::duration_us`] in milliseconds, as the API and the portal show it.
    pub fn duration_ms(&self) -> f64 {
        self.duration_us as f64 / 1000.0
    }

    pub fn succeeded(&self) -> bool {
        // No status and no error: a queue or broker took the message, or a consumer pulled it.
        self.error.is_none() && self.response_status.is_none_or(|s| (200..300).contains(&s))
    }
}
