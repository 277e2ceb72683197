//! Health counts as callers read them, and their pruning. They are written with the attempts
//! they count, by each backend's `record_attempts`.

use hookd_core::health::{Grain, Stored};
use hookd_core::{OrgId, WebhookId};

use super::{Exec, Query, SqlValue, Step, one, vals};
use crate::rows::ts;
use crate::{StoreError, Timestamp};

/// The counts of an org's webhooks (or of those named) in buckets of `grain` starting at
/// `since_ms` or later, added up across the nodes that wrote them. The webhooks are known
/// first, so the count rows are read by their key, webhook by webhook.
pub(crate) async fn counts<X: Exec>(
    x: &X,
    org: &OrgId,
    webhooks: Option<&[WebhookId]>,
    grain: Grain,
    since_ms: i64,
) -> Result<Vec<Stored>, StoreError> {
    let mut values = vals![org.as_str(), grain.seconds(), since_ms];
    let named;
    let which = match webhooks {
        Some(ids) => {
            values.push(SqlValue::TextList(ids.iter().map(|w| w.to_string()).collect()));
            named = format!("{} AND h.org_id = $1", X::DIALECT.any("h.webhook_id", "$4"));
            named.as_str()
        }
        None => "h.webhook_id IN (SELECT id FROM webhooks WHERE org_id = $1) AND h.org_id = $1",
    };
    let sql = format!(
        "SELECT h.webhook_id, h.start, h.k, CAST(sum(h.n) AS BIGINT) AS n FROM health h
         WHERE {which} AND h.grain = $2 AND h.start >= $3
         GROUP BY h.webhook_id, h.start, h.k"
    );
    x.rows(Query::new(sql, values), |row| {
        let id = row.text("webhook_id")?;
        Ok(Stored {
            webhook_id: WebhookId::parse(&id).map_err(|e| StoreError::Other(e.to_string().into()))?,
            start_ms: row.int("start")?,
            key: row.text("k")?,
            n: row.int("n")?.max(0) as u64,
        })
    })
    .await
}

/// When the webhook's next retry is due: the earliest pending delivery attempted before.
pub(crate) async fn next_retry_at(
    x: &impl Exec,
    org: &OrgId,
    webhook: &WebhookId,
) -> Result<Option<Timestamp>, StoreError> {
    let sql = "SELECT min(next_attempt_at) AS at FROM deliveries
         WHERE webhook_id = $1 AND org_id = $2 AND state = 'pending' AND attempts > 0";
    one(x, Query::new(sql, vals![webhook.as_str(), org.as_str()]), |row| Ok(row.opt_int("at")?.map(ts))).await
}

/// Deletes up to `max` counts of each grain older than the grain is kept.
pub(crate) fn prune(now_ms: i64, max: usize) -> Vec<Step> {
    Grain::ALL
        .into_iter()
        .map(|g| {
            Step::new(
                "DELETE FROM health WHERE (webhook_id, grain, start, k, shard) IN (
                   SELECT webhook_id, grain, start, k, shard FROM health
                   WHERE grain = $1 AND start < $2 ORDER BY grain, start LIMIT $3)",
                vals![g.seconds(), now_ms - g.kept_seconds() * 1000, max as i64],
            )
        })
        .collect()
}
