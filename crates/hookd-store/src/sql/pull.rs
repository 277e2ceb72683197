//! Pulling a `poll` webhook's deliveries: they wait as pending (due in 9999, so no claim
//! reaches them) until a consumer pulls them; a pull marks what it hands out, and the
//! iterator it answers acknowledges those of them that came before it.

use std::collections::HashMap;

use hookd_core::model::{Delivery, Event};
use hookd_core::{DeliveryId, OrgId, WebhookId};

use super::{Exec, Query, SqlValue, Step, vals};
use crate::rows::{self as r, ms};
use crate::{PULLED_AT_MS, StoreError};

/// What `leased_by` says of a delivery a pull handed out.
pub(crate) const HANDED: &str = "poll";

/// A `poll` webhook's pending deliveries that a pull hands out after `iterator`, oldest
/// first, at most `limit`, with their events, marked as handed out. Deliveries never handed
/// out come whatever their ID (one published while a pull ran may sort before the iterator).
pub(crate) async fn next<X: Exec>(
    x: &X,
    org: &OrgId,
    webhook: &WebhookId,
    iterator: Option<&DeliveryId>,
    limit: usize,
) -> Result<Vec<(Delivery, Event)>, StoreError> {
    let after = iterator.map_or("", |i| i.as_str());
    let sql = format!(
        "SELECT {} FROM deliveries d
         WHERE d.webhook_id = $1 AND d.org_id = $2 AND d.state = 'pending' AND d.next_attempt_at = $3
           AND (d.id > $4 OR d.leased_by IS NULL)
         ORDER BY d.id LIMIT {}",
        r::DELIVERY_COLS,
        limit.clamp(1, 1000)
    );
    let q = Query::new(sql, vals![webhook.as_str(), org.as_str(), PULLED_AT_MS, after]);
    let deliveries = x.rows(q, |row| r::delivery(row)).await?;
    if deliveries.is_empty() {
        return Ok(vec![]);
    }
    let ids = |f: fn(&Delivery) -> String| SqlValue::TextList(deliveries.iter().map(f).collect());
    let sql = format!("SELECT {} FROM events e WHERE {}", r::EVENT_COLS, X::DIALECT.any("e.id", "$1"));
    let events: HashMap<_, _> = x
        .rows(Query::new(sql, vec![ids(|d| d.event_id.to_string())]), |row| r::event(row))
        .await?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let mark =
        format!("UPDATE deliveries SET leased_by = $2 WHERE {} AND state = 'pending'", X::DIALECT.any("id", "$1"));
    x.write(vec![Step::new(mark, vec![ids(|d| d.id.to_string()), HANDED.into()])]).await?;
    Ok(deliveries.into_iter().filter_map(|d| events.get(&d.event_id).cloned().map(|e| (d, e))).collect())
}

/// The deliveries an iterator acknowledges: handed out, still pending, at or before it.
pub(crate) async fn acknowledged(
    x: &impl Exec,
    org: &OrgId,
    webhook: &WebhookId,
    iterator: &DeliveryId,
) -> Result<Vec<Delivery>, StoreError> {
    let sql = format!(
        "SELECT {} FROM deliveries d
         WHERE d.webhook_id = $1 AND d.org_id = $2 AND d.state = 'pending' AND d.leased_by = $3 AND d.id <= $4
         ORDER BY d.id",
        r::DELIVERY_COLS
    );
    x.rows(Query::new(sql, vals![webhook.as_str(), org.as_str(), HANDED, iterator.as_str()]), |row| r::delivery(row))
        .await
}

/// Makes a webhook's deliveries that wait to be pulled due now (it no longer is `poll`).
pub(crate) fn unpull(webhook: &WebhookId) -> Step {
    let sql = "UPDATE deliveries SET next_attempt_at = $2, leased_by = NULL
         WHERE webhook_id = $1 AND state = 'pending' AND next_attempt_at = $3";
    Step::new(sql, vals![webhook.as_str(), ms(&chrono::Utc::now()), PULLED_AT_MS])
}
