//! How webhooks are doing: their stats over a window, from the counts the store rolls up as
//! attempts are recorded.

use chrono::{DateTime, Utc};
use hookd_core::health::{Stats, Stored, Window};
use hookd_core::listing::{AttemptFilter, Order, PageRequest};
use hookd_core::{OrgId, WebhookId};
use serde::Serialize;

use super::{Access, Actor, Ops, OpsResult, not_found};

/// A webhook's stats, with when it last succeeded and failed and when it tries again.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookHealth {
    #[serde(flatten)]
    pub stats: Stats,
    /// The last attempt that succeeded within the window.
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last attempt that failed within the window.
    pub last_failure_at: Option<DateTime<Utc>>,
    /// When the next retry of a failed delivery is due.
    pub next_retry_at: Option<DateTime<Utc>>,
}

/// One webhook's stats within an org's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookStats {
    pub webhook_id: WebhookId,
    #[serde(flatten)]
    pub stats: Stats,
}

/// The stats of every webhook of an org that made an attempt within the window.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgStats {
    pub window: Window,
    pub bucket_seconds: i64,
    pub data: Vec<WebhookStats>,
}

impl Ops {
    pub async fn webhook_stats(
        &self,
        by: &Actor,
        org: &OrgId,
        id: &WebhookId,
        window: Window,
    ) -> OpsResult<WebhookHealth> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        self.store.get_webhook(org, id).await.map_err(not_found("webhook"))?;
        let now = Utc::now().timestamp_millis();
        let counts = self.counts(org, Some(std::slice::from_ref(id)), window, now).await?;
        let stats = Stats::from_counts(window, now, counts.iter().map(|c| (c.start_ms, c.key.as_str(), c.n)));
        let last = |class: fn(&str) -> bool| {
            counts.iter().filter(|c| c.key.strip_prefix("r:").is_some_and(class)).map(|c| c.start_ms).max()
        };
        let last_success_at = self.last_attempt(org, id, last(|c| c == "2xx"), true).await?;
        let last_failure_at = self.last_attempt(org, id, last(|c| c != "2xx"), false).await?;
        let next_retry_at = self.store.next_retry_at(org, id).await?;
        Ok(WebhookHealth { stats, last_success_at, last_failure_at, next_retry_at })
    }

    /// Each webhook's stats (those of `only`, when given: a page of a list reads its own).
    pub async fn org_stats(
        &self,
        by: &Actor,
        org: &OrgId,
        window: Window,
        only: Option<&[WebhookId]>,
    ) -> OpsResult<OrgStats> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        self.store.get_org(org).await.map_err(not_found("organization"))?;
        let now = Utc::now().timestamp_millis();
        let mut by_webhook: std::collections::BTreeMap<WebhookId, Vec<Stored>> = Default::default();
        for c in self.counts(org, only, window, now).await? {
            by_webhook.entry(c.webhook_id.clone()).or_default().push(c);
        }
        let data = by_webhook
            .into_iter()
            .map(|(webhook_id, counts)| WebhookStats {
                webhook_id,
                stats: Stats::from_counts(window, now, counts.iter().map(|c| (c.start_ms, c.key.as_str(), c.n))),
            })
            .collect();
        Ok(OrgStats { window, bucket_seconds: window.bucket_seconds(), data })
    }

    async fn counts(&self, org: &OrgId, ids: Option<&[WebhookId]>, window: Window, now: i64) -> OpsResult<Vec<Stored>> {
        let since = DateTime::from_timestamp_millis(window.start(now)).unwrap_or_default();
        Ok(self.store.health(org, ids, window.grain(), since).await?)
    }

    /// The newest attempt of one outcome, looked for from the start of the newest bucket that
    /// counted one: a walk of the history's index over at most one bucket.
    async fn last_attempt(
        &self,
        org: &OrgId,
        id: &WebhookId,
        bucket_ms: Option<i64>,
        succeeded: bool,
    ) -> OpsResult<Option<DateTime<Utc>>> {
        let Some(since) = bucket_ms.and_then(DateTime::from_timestamp_millis) else { return Ok(None) };
        let filter = AttemptFilter {
            webhook_id: Some(id.clone()),
            succeeded: Some(succeeded),
            since: Some(since),
            ..Default::default()
        };
        let req = PageRequest { limit: 1, order: Order::Desc, ..PageRequest::default() };
        let found = self.store.list_attempts(org, &filter, &req).await?;
        Ok(found.data.first().map(|a| a.sent_at))
    }
}
