//! The history: attempts, deliveries, and re-sending one.

use hookd_core::model::{Attempt, AttemptError, Delivery, RequestBody, Trigger};
use hookd_core::{AttemptId, DeliveryId, EventId, OrgId, WebhookId};
use hookd_store::{AttemptFilter, AttemptSort, Page, PageRequest};
use serde::Serialize;

use super::{Access, Actor, Ops, OpsResult, not_found};

/// An attempt in a list: no headers or bodies.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttemptSummary {
    pub id: AttemptId,
    pub delivery_id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event_ids: Vec<EventId>,
    /// The type of each of `event_ids`, in their order.
    pub event_types: Vec<String>,
    pub url: String,
    pub sent_at: chrono::DateTime<chrono::Utc>,
    pub response_status: Option<u16>,
    /// Milliseconds, to the microsecond.
    pub duration_ms: f64,
    pub error: Option<AttemptError>,
    pub trigger: Trigger,
    pub succeeded: bool,
}

impl From<Attempt> for AttemptSummary {
    fn from(a: Attempt) -> Self {
        Self {
            succeeded: a.succeeded(),
            duration_ms: a.duration_ms(),
            id: a.id,
            delivery_id: a.delivery_id,
            webhook_id: a.webhook_id,
            event_ids: a.event_ids,
            event_types: a.event_types,
            url: a.url,
            sent_at: a.sent_at,
            response_status: a.response_status,
            error: a.error,
            trigger: a.trigger,
        }
    }
}

/// One attempt with what was sent and what came back.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttemptDetail {
    #[serde(flatten)]
    pub summary: AttemptSummary,
    /// `[name, value]` pairs, in the order sent; secrets masked.
    #[schema(value_type = Vec<Vec<String>>)]
    pub request_headers: Vec<(String, String)>,
    pub request_body: String,
    #[schema(value_type = Vec<Vec<String>>)]
    pub response_headers: Vec<(String, String)>,
    pub response_body: String,
}

impl Ops {
    pub async fn list_attempts(
        &self,
        by: &Actor,
        org: &OrgId,
        filter: &AttemptFilter,
        page: &PageRequest<AttemptSort>,
    ) -> OpsResult<Page<AttemptSummary>> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        let found = self.store.list_attempts(org, filter, page).await?;
        Ok(Page { data: found.data.into_iter().map(AttemptSummary::from).collect(), next_cursor: found.next_cursor })
    }

    pub async fn get_attempt(&self, by: &Actor, org: &OrgId, id: &AttemptId) -> OpsResult<AttemptDetail> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        let mut a = self.store.get_attempt(org, id).await.map_err(not_found("attempt"))?;
        let request_headers = std::mem::take(&mut a.request_headers);
        let request_body = match std::mem::replace(&mut a.request_body, RequestBody::Text(String::new())) {
            RequestBody::Text(t) => t,
            // The store renders a recorded body again when it reads one attempt.
            RequestBody::Rendered(_) => String::new(),
        };
        let response_headers = std::mem::take(&mut a.response_headers);
        let response_body = std::mem::take(&mut a.response_body);
        Ok(AttemptDetail { summary: a.into(), request_headers, request_body, response_headers, response_body })
    }

    pub async fn get_delivery(&self, by: &Actor, org: &OrgId, id: &DeliveryId) -> OpsResult<Delivery> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        self.store.get_delivery(org, id).await.map_err(not_found("delivery"))
    }

    /// Makes a delivery due now again, under the same `webhook-id`.
    pub async fn resend(&self, by: &Actor, org: &OrgId, id: &DeliveryId) -> OpsResult<Delivery> {
        self.authorize_webhooks(by, org, Access::Write).await?;
        let to = self.store.get_delivery(org, id).await.map_err(not_found("delivery"))?.webhook_id;
        let audit = Self::audit(by, org, "delivery.resent", id, format!("re-sent to webhook {to}"));
        let d = self.store.resend_delivery(org, id, &audit).await.map_err(not_found("delivery"))?;
        self.handoff.wake();
        Ok(d)
    }
}
