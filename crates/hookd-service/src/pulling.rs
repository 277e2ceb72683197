//! Pulling a `poll` webhook's deliveries: at least once, each page's iterator acknowledging
//! what came before it.

use std::collections::BTreeMap;
use std::sync::Arc;

use hookd_core::envelope::Recipe;
use hookd_core::model::{Attempt, DestinationKind, RequestBody};
use hookd_core::{AttemptId, DeliveryId, EventId, OrgId, WebhookId};
use hookd_store::{AttemptRecord, Outcome};
use serde::Serialize;

use super::{Access, Actor, Ops, OpsError, OpsResult, not_found};

/// Deliveries a pull hands out when it names no `limit`, and the most it may name.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 250;

/// One delivery as its consumer pulls it: what an HTTP delivery would carry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PulledMessage {
    /// The delivery's ID, also its `webhook-id` header.
    pub id: DeliveryId,
    pub event_id: EventId,
    pub event_type: String,
    /// The headers an HTTP delivery would carry, lower-case, among them `webhook-id`,
    /// `webhook-timestamp` and `webhook-signature` (signed at this pull).
    pub headers: BTreeMap<String, String>,
    /// The body exactly as signed (the envelope, thin or raw, as the webhook's options say).
    pub body: String,
}

/// A page of a pull.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Pulled {
    pub data: Vec<PulledMessage>,
    /// Pass it to the next pull: that acknowledges this page's messages. `null` when nothing
    /// was ever handed out (start again without one).
    pub iterator: Option<DeliveryId>,
    /// Fewer than asked were waiting: pull again later.
    pub done: bool,
}

impl Ops {
    /// Acknowledges what `iterator` covers (recorded as delivered, each with an attempt) and
    /// hands out the next `limit` waiting deliveries of a `poll` webhook, oldest first.
    pub async fn pull(
        &self,
        by: &Actor,
        org: &OrgId,
        id: &WebhookId,
        iterator: Option<&str>,
        limit: Option<usize>,
    ) -> OpsResult<Pulled> {
        self.authorize_webhooks(by, org, Access::Write).await?;
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(OpsError::invalid("limit", format!("is from 1 to {MAX_LIMIT}")));
        }
        let iterator = iterator
            .map(DeliveryId::parse)
            .transpose()
            .map_err(|_| OpsError::invalid("iterator", "is the `iterator` of an earlier pull"))?;
        let webhook = self.store.get_webhook(org, id).await.map_err(not_found("webhook"))?;
        if webhook.destination_kind != DestinationKind::Poll {
            let detail = "this webhook pushes its deliveries; make its destination `poll` to pull them";
            return Err(OpsError::Conflict { field: Some("destination".into()), detail: detail.into() });
        }
        if let Some(it) = &iterator {
            let acked = self.store.pull_acknowledged(org, id, it).await?;
            if !acked.is_empty() {
                let now = chrono::Utc::now();
                let recipe = Recipe::of(&webhook);
                let records = acked
                    .into_iter()
                    .map(|d| AttemptRecord {
                        attempt: Some(Attempt {
                            id: AttemptId::new(),
                            org_id: d.org_id.clone(),
                            delivery_id: d.id.clone(),
                            webhook_id: d.webhook_id.clone(),
                            event_ids: vec![d.event_id.clone()],
                            event_types: vec![],
                            url: webhook.url.clone(),
                            sent_at: now,
                            response_status: None,
                            duration_us: 0,
                            error: None,
                            trigger: d.next_trigger,
                            request_headers: vec![],
                            request_body: RequestBody::Rendered(recipe.clone()),
                            response_headers: vec![],
                            response_body: "pulled and acknowledged by the consumer".into(),
                        }),
                        org_id: d.org_id,
                        delivery_id: d.id,
                        webhook_id: d.webhook_id,
                        outcome: Outcome::Succeeded,
                        disable_webhook: None,
                    })
                    .collect::<Vec<_>>();
                self.store.record_attempts(Arc::new(records)).await?;
            }
        }
        let next = self.store.pull_next(org, id, iterator.as_ref(), limit).await?;
        let done = next.len() < limit;
        let mut data = Vec::with_capacity(next.len());
        for (d, e) in &next {
            let request = hookd_delivery::pulled(&self.config.wire, &self.key, &webhook, &d.id, e)
                .map_err(|e| OpsError::Internal(e.message.into()))?;
            data.push(PulledMessage {
                id: d.id.clone(),
                event_id: e.id.clone(),
                event_type: e.event_type.clone(),
                headers: request.headers.into_iter().collect(),
                body: String::from_utf8_lossy(&request.body).into_owned(),
            });
        }
        let iterator = next.last().map(|(d, _)| d.id.clone()).or(iterator);
        Ok(Pulled { data, iterator, done })
    }
}
