//! The events listing: an org's events, newest first, each with what became of its
//! deliveries; and one event's deliveries.

use std::collections::HashMap;

use hookd_core::model::{Delivery, DeliveryCounts, DeliveryState};
use hookd_core::{EventId, OrgId};

use super::listing::{Listing, Made};
use super::{Dialect, Exec, Query, SqlValue, vals};
use crate::page::page;
use crate::rows as r;
use crate::{EventFilter, EventSummary, Page, PageRequest, StoreError};

/// An event's columns without its payload (a list never shows it; payloads can be large).
const SUMMARY_COLS: &str = "e.id, e.org_id, e.event_type, '' AS payload, e.resource_url, e.environment, \
    e.visible_to, e.occurred_at, e.created_at, e.idempotency_key, e.traceparent";

/// The listing's query: scoped by org, keyset-paged along `events_org`.
pub(crate) fn events_query(d: Dialect, org: &OrgId, filter: &EventFilter, req: &PageRequest<()>) -> Query {
    let mut scope: Vec<(&str, SqlValue)> = vec![("e.org_id = {}", org.as_str().into())];
    if let Some(t) = &filter.event_type {
        scope.push(("e.event_type = {}", t.as_str().into()));
    }
    let l = Listing {
        from: "events e",
        cols: SUMMARY_COLS,
        id_col: "e.id",
        sort_expr: "e.id",
        sort_is_int: false,
        search: &["e.id", "e.event_type"],
        made: Some(Made { floor: EventId::floor, since: filter.since, until: filter.until }),
    };
    l.query(d, scope, &[], req)
}

pub(crate) async fn list_events<X: Exec>(
    x: &X,
    org: &OrgId,
    filter: &EventFilter,
    req: &PageRequest<()>,
) -> Result<Page<EventSummary>, StoreError> {
    let events = x.rows(events_query(X::DIALECT, org, filter, req), |row| r::event(row)).await?;
    let events = page(events, req.limit, |e| (e.id.to_string(), e.id.to_string()));
    let ids = SqlValue::TextList(events.data.iter().map(|e| e.id.to_string()).collect());
    let sql = format!(
        "SELECT d.event_id, d.state, count(*) AS n FROM deliveries d
         WHERE d.org_id = $1 AND {} GROUP BY d.event_id, d.state",
        X::DIALECT.any("d.event_id", "$2")
    );
    let rows = x
        .rows(Query::new(sql, vec![org.as_str().into(), ids]), |row| {
            let state = row.text("state")?;
            let state =
                DeliveryState::parse(&state).ok_or_else(|| StoreError::Other(format!("state {state}").into()))?;
            Ok((row.text("event_id")?, state, row.int("n")?.max(0) as u64))
        })
        .await?;
    let mut counts: HashMap<String, DeliveryCounts> = HashMap::new();
    for (event, state, n) in rows {
        counts.entry(event).or_default().add(state, n);
    }
    Ok(Page {
        data: events
            .data
            .into_iter()
            .map(|event| EventSummary { deliveries: counts.remove(event.id.as_str()).unwrap_or_default(), event })
            .collect(),
        next_cursor: events.next_cursor,
    })
}

/// An event's deliveries, one a webhook it went to, in the order they were made.
pub(crate) async fn event_deliveries(x: &impl Exec, org: &OrgId, event: &EventId) -> Result<Vec<Delivery>, StoreError> {
    let sql =
        format!("SELECT {} FROM deliveries d WHERE d.event_id = $1 AND d.org_id = $2 ORDER BY d.id", r::DELIVERY_COLS);
    x.rows(Query::new(sql, vals![event.as_str(), org.as_str()]), |row| r::delivery(row)).await
}

/// The newest attempt and the newest event of an org, as one token: it changes whenever an
/// attempt is recorded or an event published. Two index look-ups (`attempts_org`, `events_org`).
pub(crate) async fn activity(x: &impl Exec, org: &OrgId) -> Result<String, StoreError> {
    let sql = "SELECT (SELECT max(a.id) FROM attempts a WHERE a.org_id = $1) AS attempt,
                      (SELECT max(e.id) FROM events e WHERE e.org_id = $1) AS event";
    super::one(x, Query::new(sql, vals![org.as_str()]), |row| {
        Ok(format!("{}.{}", row.opt_text("attempt")?.unwrap_or_default(), row.opt_text("event")?.unwrap_or_default()))
    })
    .await
}
