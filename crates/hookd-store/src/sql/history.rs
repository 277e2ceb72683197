//! Events, deliveries and attempts as callers read them back, re-sending, recovery, the
//! backlog and retention.

use hookd_core::model::{Attempt, AuditEntry, Delivery, Event, RequestBody};
use hookd_core::{AttemptId, DeliveryId, EventId, OrgId, WebhookId};

use super::directory::audit_step;
use super::listing::{Listing, Made};
use super::{Dialect, Exec, Query, SqlValue, Step, one, vals};
use crate::page::page;
use crate::rows::{self as r, ms};
use crate::{AttemptFilter, AttemptSort, Backlog, Page, PageRequest, StoreError, Timestamp};
use hookd_core::listing::ResultFilter;

pub(crate) async fn get_event(
    x: &impl Exec,
    org: &OrgId,
    id: &EventId,
) -> Result<(Event, Vec<DeliveryId>), StoreError> {
    let sql = format!("SELECT {} FROM events e WHERE e.id = $1 AND e.org_id = $2", r::EVENT_COLS);
    let e = one(x, Query::new(sql, vals![id.as_str(), org.as_str()]), |row| r::event(row)).await?;
    let q = Query::new("SELECT id FROM deliveries WHERE event_id = $1 ORDER BY id", vals![id.as_str()]);
    let deliveries = x
        .rows(q, |row| {
            let id = row.text("id")?;
            DeliveryId::parse(&id).map_err(|e| StoreError::Other(e.to_string().into()))
        })
        .await?;
    Ok((e, deliveries))
}

pub(crate) async fn get_delivery(x: &impl Exec, org: &OrgId, id: &DeliveryId) -> Result<Delivery, StoreError> {
    let sql = format!("SELECT {} FROM deliveries d WHERE d.id = $1 AND d.org_id = $2", r::DELIVERY_COLS);
    one(x, Query::new(sql, vals![id.as_str(), org.as_str()]), |row| r::delivery(row)).await
}

/// Makes a delivery due now again, for a manual re-send. A delivery in flight keeps its
/// lease; the re-send follows it.
pub(crate) async fn resend_delivery(
    x: &impl Exec,
    org: &OrgId,
    id: &DeliveryId,
    audit: &AuditEntry,
) -> Result<Delivery, StoreError> {
    let sql = "UPDATE deliveries SET state = 'pending', next_trigger = 'manual', updated_at = $3,
           next_attempt_at = CASE WHEN leased_by IS NULL THEN CAST($3 AS BIGINT) ELSE next_attempt_at END
         WHERE id = $1 AND org_id = $2";
    let resend = Step::new(sql, vals![id.as_str(), org.as_str(), ms(&chrono::Utc::now())]);
    let mut steps = vec![resend.must_change(), audit_step(audit)];
    steps.extend(x.notice());
    x.write(steps).await?;
    get_delivery(x, org, id).await
}

pub(crate) async fn count_failed(
    x: &impl Exec,
    org: &OrgId,
    id: &WebhookId,
    since: Timestamp,
) -> Result<u64, StoreError> {
    let sql = "SELECT count(*) AS n FROM deliveries WHERE webhook_id = $1 AND org_id = $2 AND state = 'failed' AND created_at >= $3";
    let q = Query::new(sql, vals![id.as_str(), org.as_str(), ms(&since)]);
    one(x, q, |row| row.int("n").map(|n| n as u64)).await
}

pub(crate) async fn recover_webhook(
    x: &impl Exec,
    org: &OrgId,
    id: &WebhookId,
    since: Timestamp,
    audit: &AuditEntry,
) -> Result<u64, StoreError> {
    super::webhooks::get(x, org, id).await?;
    let sql = "UPDATE deliveries SET state = 'pending', next_trigger = 'manual', next_attempt_at = $3, updated_at = $3
         WHERE webhook_id = $1 AND org_id = $2 AND state = 'failed' AND created_at >= $4";
    let recover = Step::new(sql, vals![id.as_str(), org.as_str(), ms(&chrono::Utc::now()), ms(&since)]);
    let mut steps = vec![recover, audit_step(audit)];
    steps.extend(x.notice());
    Ok(x.write(steps).await?[0])
}

pub(crate) async fn backlog(x: &impl Exec) -> Result<Backlog, StoreError> {
    // Each part reads the `deliveries_due` index only, and at most COUNTED_UP_TO of its entries.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let cap = Backlog::COUNTED_UP_TO;
        format!(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE state = 'pending' LIMIT {cap}) p) AS pending,
                    (SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1 LIMIT {cap}) d) AS due,
                    (SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1) AS oldest"
        )
    });
    let q = Query::new(SQL.as_str(), vals![ms(&chrono::Utc::now())]);
    one(x, q, |row| {
        Ok(Backlog {
            pending: row.int("pending")? as u64,
            due: row.int("due")? as u64,
            oldest_due_at: row.opt_int("oldest")?.and_then(chrono::DateTime::from_timestamp_millis),
        })
    })
    .await
}

/// The history listing's query: scoped by org, keyset-paged (`attempts_webhook` and
/// `attempts_org` serve the default order; each backend's plan test checks it).
pub(crate) fn attempts_query(d: Dialect, org: &OrgId, filter: &AttemptFilter, req: &PageRequest<AttemptSort>) -> Query {
    let (sort_expr, sort_is_int) = match req.sort {
        AttemptSort::SentAt => ("a.id", false),
        AttemptSort::Url => ("a.url", false),
        AttemptSort::Result => ("COALESCE(a.response_status, 0)", true),
    };
    let mut scope: Vec<(&str, SqlValue)> = vec![("a.org_id = {}", org.as_str().into())];
    if let Some(w) = &filter.webhook_id {
        scope.push(("a.webhook_id = {}", w.as_str().into()));
    }
    if let Some(d) = &filter.delivery_id {
        scope.push(("a.delivery_id = {}", d.as_str().into()));
    }
    // The event types are a JSON array of strings: a type is in it as itself in quotes.
    let quoted = filter.event_type.as_ref().map(|t| crate::page::like(&format!("\"{t}\"")));
    let type_cond = d.like("COALESCE(a.event_types, '')", "{}");
    if let Some(q) = &quoted {
        scope.push((type_cond.as_str(), q.as_str().into()));
    }
    let result_cond;
    if let Some(r) = filter.result {
        result_cond = match r {
            ResultFilter::Class(c) => {
                ("a.error_kind IS NULL AND COALESCE(a.response_status, 200) / 100 = {}", i64::from(c).into())
            }
            ResultFilter::Status(code) => ("a.error_kind IS NULL AND a.response_status = {}", i64::from(code).into()),
            ResultFilter::Error(kind) => ("a.error_kind = {}", SqlValue::from(kind.as_str())),
        };
        scope.push(result_cond);
    }
    let extra: &[&str] = match filter.succeeded {
        // An attempt without a status or an error was taken by a queue or pulled.
        Some(true) => &["COALESCE(a.response_status, 200) BETWEEN 200 AND 299 AND a.error_kind IS NULL"],
        Some(false) => &["(a.error_kind IS NOT NULL OR a.response_status NOT BETWEEN 200 AND 299)"],
        None => &[],
    };
    let search = [
        "a.url",
        "a.event_ids",
        "COALESCE(a.event_types, '')",
        "a.delivery_id",
        "COALESCE(CAST(a.response_status AS TEXT), '')",
        "COALESCE(a.error_message, '')",
        // The webhook's name, so people find attempts by what they call the webhook.
        "(SELECT w.name FROM webhooks w WHERE w.id = a.webhook_id)",
    ];
    let l = Listing {
        from: "attempts a",
        cols: r::ATTEMPT_SUMMARY_COLS,
        id_col: "a.id",
        sort_expr,
        sort_is_int,
        search: &search,
        made: Some(Made { floor: AttemptId::floor, since: filter.since, until: filter.until }),
    };
    l.query(d, scope, extra, req)
}

pub(crate) async fn list_attempts<X: Exec>(
    x: &X,
    org: &OrgId,
    filter: &AttemptFilter,
    req: &PageRequest<AttemptSort>,
) -> Result<Page<Attempt>, StoreError> {
    let rows = x.rows(attempts_query(X::DIALECT, org, filter, req), |row| r::attempt(row, false)).await?;
    Ok(page(rows, req.limit, |a| {
        let key = match req.sort {
            AttemptSort::SentAt => a.id.to_string(),
            AttemptSort::Url => a.url.clone(),
            AttemptSort::Result => a.response_status.unwrap_or(0).to_string(),
        };
        (key, a.id.to_string())
    }))
}

/// One attempt with its request and response. A body stored as a recipe is made again from
/// the attempt's events (the org's, a child org's included) with the function that made it.
pub(crate) async fn get_attempt<X: Exec>(x: &X, org: &OrgId, id: &AttemptId) -> Result<Attempt, StoreError> {
    let sql = format!(
        "SELECT {}, {} FROM attempts a WHERE a.id = $1 AND a.org_id = $2",
        r::ATTEMPT_SUMMARY_COLS,
        r::ATTEMPT_DETAIL_COLS
    );
    let mut a = one(x, Query::new(sql, vals![id.as_str(), org.as_str()]), |row| r::attempt(row, true)).await?;
    if matches!(a.request_body, RequestBody::Rendered(_)) {
        let ids = SqlValue::TextList(a.event_ids.iter().map(|e| e.to_string()).collect());
        let sql = format!("SELECT {} FROM events e WHERE {}", r::EVENT_COLS, X::DIALECT.any("e.id", "$1"));
        let events = x.rows(Query::new(sql, vec![ids]), |row| r::event(row)).await?;
        r::render_again(&mut a, &events);
    }
    Ok(a)
}

/// Deletes up to `max` each of attempts, finished deliveries and events left with none,
/// made before `before`. IDs sort by creation time, so "older than" is a range of each
/// primary key. A delivery stays while it has a newer attempt (a late re-send), so its event
/// does too: the attempt's body is made again from the event.
pub(crate) async fn prune(x: &impl Exec, before: Timestamp, max: usize) -> Result<u64, StoreError> {
    let t = ms(&before).max(0) as u64;
    let (att, dlv, evt) = (AttemptId::floor(t), DeliveryId::floor(t), EventId::floor(t));
    let max = max as i64;
    let steps = vec![
        Step::new(
            "DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE id < $1 ORDER BY id LIMIT $2)",
            vals![att, max],
        ),
        Step::new(
            "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries
               WHERE id < $1 AND state != 'pending' AND updated_at < $3 ORDER BY id LIMIT $2)",
            vals![dlv, max, ms(&before)],
        ),
        Step::new(
            "DELETE FROM events WHERE id IN (SELECT e.id FROM events e WHERE e.id < $1
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) ORDER BY e.id LIMIT $2)",
            vals![evt, max],
        ),
    ];
    let mut steps = steps;
    // Sessions and login links carry their own expiry; past it they are no use to anyone.
    steps.extend(super::sessions::prune(chrono::Utc::now()));
    // Health counts are kept as long as the stats windows read them, whatever `before` is.
    steps.extend(super::health::prune(ms(&chrono::Utc::now()), max as usize));
    Ok(x.write(steps).await?.iter().sum())
}
