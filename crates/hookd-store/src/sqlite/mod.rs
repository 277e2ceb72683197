//! The embedded backend: one SQLite file in WAL mode, one writer thread with group commit.

mod conn;
mod rows;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hookd_core::model::{Attempt, Delivery, DeliveryState, DestinationKind, Event, Member, Webhook, WebhookStatus};
use hookd_core::operational;
use hookd_core::{DeliveryId, EventId, OrgId, WebhookId};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use self::conn::{Db, map_err};
use self::rows::{Chosen, Target, ms, to_json};
use crate::sql::{self, Backend, Dialect, Exec, Map, Query, SqlValue, Step, webhooks};
use crate::{
    AttemptRecord, Audience, LeaseTerms, LeasedDelivery, Outcome, Published, Saturated, StoreError, Timestamp,
    WebhookEdit,
};

pub struct SqliteStore {
    db: Db,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`, and takes the file
    /// lock that keeps a second process away. Deliveries left leased by a previous process
    /// of this file are made due at once: with the lock held, nobody else is sending them.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_checked(path, true).await
    }

    /// [`SqliteStore::open`], reading the whole file first for damage (`PRAGMA quick_check`)
    /// only if `check`: about a second a gigabyte from the page cache, more from a cold disk.
    pub async fn open_checked(path: &Path, check: bool) -> Result<Self, StoreError> {
        let db = Db::open(path, check)?;
        let store = Self { db };
        let now = ms(&chrono::Utc::now());
        store
            .db
            .write(move |c| {
                c.execute(
                    "UPDATE deliveries SET next_attempt_at = ?1, leased_by = NULL
                     WHERE state = 'pending' AND leased_by IS NOT NULL AND leased_by <> 'poll'",
                    [now],
                )
                .map_err(map_err)
            })
            .await?;
        Ok(store)
    }

    /// Opens the database beside a running server, for short CLI commands (`hookd token
    /// create`): no file lock and no lease recovery, since the server owns those.
    pub fn open_shared(path: &Path) -> Result<Self, StoreError> {
        Ok(Self { db: Db::open_unlocked(path)? })
    }

    /// Applies migrations and returns the schema version, without starting anything else.
    pub fn migrate(path: &Path) -> Result<i64, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display()).into()))?;
        }
        let c = Connection::open(path).map_err(map_err)?;
        conn::migrate(&c)
    }
}

fn query_all<T>(
    c: &Connection,
    sql: &str,
    params: Vec<Value>,
    map: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = c.prepare_cached(sql).map_err(map_err)?;
    let rows = stmt.query_map(params_from_iter(params), |r| map(r)).map_err(map_err)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(map_err)
}

fn value(v: SqlValue) -> Value {
    match v {
        SqlValue::Int(Some(i)) => Value::Integer(i),
        SqlValue::Text(Some(t)) => Value::Text(t),
        SqlValue::Blob(Some(b)) => Value::Blob(b),
        SqlValue::Int(None) | SqlValue::Text(None) | SqlValue::Blob(None) => Value::Null,
        SqlValue::Bool(b) => Value::Integer(b as i64),
        SqlValue::TextList(list) => Value::Text(to_json(&list)),
    }
}

/// The shared statements' `$1` placeholders as SQLite's numbered `?1` (a `$1` would be a
/// named parameter, numbered by where it first appears rather than by its digits).
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        let digit_follows = chars.peek().is_some_and(char::is_ascii_digit);
        out.push(if ch == '$' && digit_follows { '?' } else { ch });
    }
    out
}

fn execute(c: &Connection, q: &Query) -> Result<u64, StoreError> {
    let mut stmt = c.prepare_cached(&numbered(&q.sql)).map_err(map_err)?;
    stmt.execute(params_from_iter(q.params.iter().cloned().map(value))).map(|n| n as u64).map_err(map_err)
}

fn query<T>(c: &Connection, q: &Query, map: Map<T>) -> Result<Vec<T>, StoreError> {
    let params = q.params.iter().cloned().map(value).collect();
    query_all(c, &numbered(&q.sql), params, |r| rows::mapped(r, map))
}

impl Exec for SqliteStore {
    const DIALECT: Dialect = Dialect::Sqlite;

    async fn rows<T: Send + 'static>(&self, q: Query, map: Map<T>) -> Result<Vec<T>, StoreError> {
        self.db.read(move |c| query(c, &q, map)).await
    }

    async fn write_rows<T: Send + 'static>(&self, q: Query, map: Map<T>) -> Result<Vec<T>, StoreError> {
        self.db.write(move |c| query(c, &q, map)).await
    }

    async fn write(&self, steps: Vec<Step>) -> Result<Vec<u64>, StoreError> {
        self.db
            .write(move |c| {
                let mut changed = Vec::with_capacity(steps.len());
                for step in &steps {
                    let n = execute(c, &step.query)?;
                    if step.must_change && n == 0 {
                        return Err(StoreError::NotFound);
                    }
                    changed.push(n);
                }
                Ok(changed)
            })
            .await
    }
}

/// Sets the status if `enabled` changes, and then publishes the operational event with it:
/// the one way a webhook is enabled or disabled, for edits and the engine alike.
fn set_status_in(c: &Connection, org: &OrgId, id: &WebhookId, status: &WebhookStatus) -> Result<(), StoreError> {
    if execute(c, &sql::set_status(org, id, status))? > 0 {
        let w = get_webhook_in(c, org.as_str(), id.as_str())?;
        publish_in(c, &operational::announcement(&w), &Audience::Subscribers, None)?;
    }
    Ok(())
}

fn get_webhook_in(c: &Connection, org: &str, id: &str) -> Result<Webhook, StoreError> {
    c.prepare_cached(&format!("SELECT {} FROM webhooks w WHERE w.id = ?1 AND w.org_id = ?2", rows::WEBHOOK_COLS))
        .map_err(map_err)?
        .query_row([id, org], rows::webhook)
        .map_err(map_err)
}

fn deliveries_of_event(c: &Connection, event: &str) -> Result<Vec<DeliveryId>, StoreError> {
    query_all(c, "SELECT id FROM deliveries WHERE event_id = ?1 ORDER BY id", vec![Value::Text(event.into())], |r| {
        let s: String = r.get(0)?;
        DeliveryId::parse(&s).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
    })
}

#[async_trait]
impl Backend for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.db.check()?;
        self.db.read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(map_err)).await
    }

    async fn edit_webhook(&self, edit: &WebhookEdit) -> Result<Webhook, StoreError> {
        let shared = edit.clone();
        let written = self
            .db
            .write(move |c| {
                let (org, id) = (&shared.org_id, &shared.id);
                if execute(c, &shared.update())? == 0 {
                    return Err(StoreError::Stale);
                }
                let index = shared.event_types.as_deref().map(|t| webhooks::index_types(org, id, t));
                let order = shared.options.as_ref().map(|o| webhooks::order_pending(id, o.ordered));
                // Deliveries that waited to be pulled go out now that the webhook pushes.
                let unpull = shared
                    .destination
                    .as_ref()
                    .filter(|(kind, _)| *kind != DestinationKind::Poll)
                    .map(|_| sql::pull::unpull(id));
                let audit = shared.audit.as_ref().map(sql::directory::audit_step);
                for step in index.into_iter().flatten().chain(order).chain(unpull).chain(audit) {
                    execute(c, &step.query)?;
                }
                if let Some(status) = &shared.status {
                    set_status_in(c, org, id, status)?;
                }
                get_webhook_in(c, org.as_str(), id.as_str())
            })
            .await;
        match written {
            Err(StoreError::Stale) => Err(webhooks::missing_or_stale(self, &edit.org_id, &edit.id).await),
            other => other,
        }
    }

    async fn publish_leased(
        &self,
        e: &Event,
        audience: &Audience,
        lease: Option<&LeaseTerms>,
    ) -> Result<Published, StoreError> {
        let (e, audience, lease) = (e.clone(), audience.clone(), lease.cloned());
        self.db.write(move |c| publish_in(c, &e, &audience, lease.as_ref())).await
    }

    async fn claim_due(
        &self,
        node: &str,
        lease: Duration,
        max: usize,
        skip: &Saturated,
    ) -> Result<Vec<LeasedDelivery>, StoreError> {
        let node = node.to_owned();
        // Passing over nothing is the common case: its statements have no `json_each` at all.
        let skip = (!skip.is_empty()).then(|| skip.as_json());
        let max = max.clamp(1, 512);
        let now_t = chrono::Utc::now();
        let now = ms(&now_t);
        let until = now + lease.as_millis() as i64;
        self.db
            .write(move |c| {
                // Unordered deliveries: any that are due. Ordered webhooks: only the oldest
                // pending delivery, and only while it is due (not leased, not waiting to retry).
                // The LIMIT is written into the statement, not bound: with a bound LIMIT in
                // the IN subquery SQLite plans the statement again whenever the value changes
                // (an eighth of the writer's time). So `max` is claimed in powers of two (168
                // is 128, then 32, then 8): at most ten cached statements, never more than
                // asked for, and fewer only when fewer are due.
                static CLAIM: std::sync::LazyLock<[[String; 10]; 2]> = std::sync::LazyLock::new(|| {
                    let cols = rows::DELIVERY_COLS.replace("d.", "");
                    let claim = |skipping: &str, limit: usize| {
                        format!(
                            "UPDATE deliveries SET next_attempt_at = ?2, leased_by = ?3
                             WHERE id IN (
                               SELECT id FROM deliveries d
                               WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 {skipping}
                                 AND (d.ordered = 0 OR d.id = (SELECT min(o.id) FROM deliveries o WHERE o.webhook_id = d.webhook_id AND o.state = 'pending'))
                               ORDER BY d.next_attempt_at LIMIT {limit})
                             RETURNING {cols}"
                        )
                    };
                    [
                        std::array::from_fn(|log2| claim("", 1 << log2)),
                        std::array::from_fn(|log2| claim(&skipping(4), 1 << log2)),
                    ]
                });
                let mut params = vec![Value::Integer(now), Value::Integer(until), Value::Text(node.clone())];
                if let Some((webhooks, orgs)) = &skip {
                    params.extend([Value::Text(webhooks.clone()), Value::Text(orgs.clone())]);
                }
                let mut claimed: Vec<Delivery> = Vec::with_capacity(max);
                while claimed.len() < max {
                    let log2 = (max - claimed.len()).ilog2() as usize;
                    let limit = 1usize << log2;
                    let got = query_all(c, &CLAIM[usize::from(skip.is_some())][log2], params.clone(), rows::delivery)?;
                    let exhausted = got.len() < limit;
                    claimed.extend(got);
                    if exhausted {
                        break;
                    }
                }
                // An event with E webhooks is E claims: read each event and webhook once.
                let mut events: HashMap<EventId, std::sync::Arc<Event>> = HashMap::new();
                let mut webhooks: HashMap<WebhookId, Option<Webhook>> = HashMap::new();
                let mut claims = Vec::with_capacity(claimed.len());
                for delivery in claimed {
                    if !events.contains_key(&delivery.event_id) {
                        let event = c
                            .prepare_cached(&format!("SELECT {} FROM events e WHERE e.id = ?1", rows::EVENT_COLS))
                            .map_err(map_err)?
                            .query_row([delivery.event_id.as_str()], rows::event)
                            .map_err(map_err)?;
                        events.insert(delivery.event_id.clone(), std::sync::Arc::new(event));
                    }
                    if !webhooks.contains_key(&delivery.webhook_id) {
                        let w = c
                            .prepare_cached(&format!("SELECT {} FROM webhooks w WHERE w.id = ?1", rows::WEBHOOK_COLS))
                            .map_err(map_err)?
                            .query_row([delivery.webhook_id.as_str()], rows::webhook)
                            .optional()
                            .map_err(map_err)?;
                        webhooks.insert(delivery.webhook_id.clone(), w);
                    }
                    match (webhooks.get(&delivery.webhook_id).cloned().flatten(), events.get(&delivery.event_id)) {
                        (Some(webhook), Some(event)) => claims.push(LeasedDelivery { event: event.clone(), delivery, webhook }),
                        _ => {
                            c.execute(
                                "UPDATE deliveries SET state = 'failed', next_attempt_at = NULL, leased_by = NULL WHERE id = ?1",
                                [delivery.id.as_str()],
                            )
                            .map_err(map_err)?;
                        }
                    }
                }
                Ok(claims)
            })
            .await
    }

    async fn record_attempts(&self, records: Arc<Vec<AttemptRecord>>) -> Result<(), StoreError> {
        let now_ts = chrono::Utc::now();
        let now = ms(&now_ts);
        // The records are freed here, not on the writer thread that every write waits for,
        // and their JSON columns are made here too: the writer's time is every write's wait.
        let json: Vec<Option<AttemptJson>> = records.iter().map(|r| r.attempt.as_ref().map(AttemptJson::of)).collect();
        let health = hookd_core::health::roll_up(records.iter().filter_map(|r| r.attempt.as_ref()));
        let records = Arc::new((json, health, records));
        let shared = records.clone();
        let written = self
            .db
            .write(move |c| {
                let (json, health, records) = &*shared;
                count_health(c, health)?;
                for e in crate::webhook_effects(records) {
                    let (sent, since) = (ms(&e.last_triggered_at), e.failing_since.as_ref().map(ms));
                    let sql = if e.reset {
                        "UPDATE webhooks SET last_triggered_at = ?2, failing_since = ?3, failed_deliveries = ?4, revision = revision + 1
                         WHERE id = ?1 AND (failing_since IS NOT ?3 OR failed_deliveries <> ?4
                           OR last_triggered_at IS NULL OR last_triggered_at < ?2 - 1000)"
                    } else {
                        "UPDATE webhooks SET last_triggered_at = max(COALESCE(last_triggered_at, 0), ?2),
                           failing_since = COALESCE(failing_since, ?3), failed_deliveries = failed_deliveries + ?4,
                           revision = revision + 1 WHERE id = ?1"
                    };
                    c.prepare_cached(sql)
                        .map_err(map_err)?
                        .execute(params![e.webhook_id.as_str(), sent, since, e.failed_deliveries])
                        .map_err(map_err)?;
                }
                // Taken from the cache once for the batch, not once a record: that cost as much
                // as a tenth of the writer's work for an attempt.
                let mut insert = c.prepare_cached(INSERT_ATTEMPT).map_err(map_err)?;
                // A manual re-send requested while this attempt was in flight stays due.
                let mut update = c
                    .prepare_cached(
                        "UPDATE deliveries SET
                           state = CASE WHEN next_trigger = 'manual' AND ?6 = 0 THEN 'pending' ELSE ?2 END,
                           next_attempt_at = CASE WHEN next_trigger = 'manual' AND ?6 = 0 THEN ?5 ELSE ?3 END,
                           next_trigger = CASE WHEN ?4 = 0 THEN next_trigger WHEN next_trigger = 'manual' AND ?6 = 0 THEN 'manual' ELSE 'retry' END,
                           attempts = attempts + ?4, leased_by = NULL, updated_at = ?5
                         WHERE id = ?1",
                    )
                    .map_err(map_err)?;
                for (r, json) in records.iter().zip(json) {
                    if let (Some(a), Some(json)) = (&r.attempt, json) {
                        insert_attempt(&mut insert, a, json)?;
                    }
                    let (state, next) = match &r.outcome {
                        Outcome::Succeeded => (DeliveryState::Succeeded, None),
                        Outcome::RetryAt(t) => (DeliveryState::Pending, Some(ms(t))),
                        Outcome::Failed => (DeliveryState::Failed, None),
                Outcome::Cancelled => (DeliveryState::Cancelled, None),
                    };
                    let counted = r.attempt.is_some() as i64;
                    let manual = r.attempt.as_ref().map(|a| (a.trigger == hookd_core::model::Trigger::Manual) as i64);
                    update
                        .execute(params![r.delivery_id.as_str(), state.as_str(), next, counted, now, manual.unwrap_or(1)])
                        .map_err(map_err)?;
                    if let Some(reason) = &r.disable_webhook {
                        set_status_in(c, &r.org_id, &r.webhook_id, &WebhookStatus::by_hookd(false, reason, now_ts))?;
                    }
                }
                Ok(())
            })
            .await;
        drop(records);
        written
    }

    async fn release_leases(&self, node: &str, ids: &[DeliveryId]) -> Result<(), StoreError> {
        let (node, ids) = (node.to_owned(), ids.to_vec());
        let now = ms(&chrono::Utc::now());
        self.db
            .write(move |c| {
                let mut stmt = c
                    .prepare_cached(
                        "UPDATE deliveries SET next_attempt_at = ?3, leased_by = NULL
                         WHERE id = ?1 AND leased_by = ?2 AND state = 'pending'",
                    )
                    .map_err(map_err)?;
                for id in &ids {
                    stmt.execute(params![id.as_str(), node, now]).map_err(map_err)?;
                }
                Ok(())
            })
            .await
    }

    async fn next_due_at(&self, skip: &Saturated) -> Result<Option<Timestamp>, StoreError> {
        let skip = (!skip.is_empty()).then(|| skip.as_json());
        self.db
            .read(move |c| {
                let first = match &skip {
                    None => {
                        c.query_row("SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending'", [], |r| {
                            r.get::<_, Option<i64>>(0)
                        })
                    }
                    // In due order along the index, to the first that is not passed over.
                    Some((webhooks, orgs)) => c
                        .prepare_cached(&format!(
                            "SELECT next_attempt_at FROM deliveries d WHERE d.state = 'pending' {}
                             ORDER BY d.next_attempt_at LIMIT 1",
                            skipping(1)
                        ))
                        .and_then(|mut q| q.query_row(params![webhooks, orgs], |r| r.get(0)).optional())
                        .map(Option::flatten),
                };
                first.map(|v| v.map(rows::ts)).map_err(map_err)
            })
            .await
    }
}

/// The condition that passes over [`Saturated`] webhooks and orgs, whose JSON arrays are bound
/// as parameters `webhooks` and `webhooks + 1`.
fn skipping(webhooks: usize) -> String {
    let orgs = webhooks + 1;
    format!(
        "AND d.webhook_id NOT IN (SELECT value FROM json_each(?{webhooks}))
         AND d.org_id NOT IN (SELECT value FROM json_each(?{orgs}))"
    )
}

/// Candidate webhooks for an event, with their owners (if any).
fn subscribers(c: &Connection, e: &Event, parent: Option<&str>) -> Result<Vec<(Target, Option<Member>)>, StoreError> {
    // Every publish says one of these two, so each is built once. Without a parent org there
    // is no OR: SQLite walks one range of the (org_id, event_type) key instead of merging two.
    static SQL: std::sync::LazyLock<[String; 2]> = std::sync::LazyLock::new(|| {
        let select = |orgs: &str| {
            format!(
                "SELECT {cols}, {member_cols} FROM webhook_event_types t
                 JOIN webhooks w ON w.id = t.webhook_id
                 LEFT JOIN members m ON m.id = w.owner_id AND m.org_id = w.org_id
                 WHERE t.event_type = ?2 AND w.enabled = 1 AND w.environment = ?3 AND {orgs}",
                cols = rows::TARGET_COLS,
                member_cols = rows::OWNER_COLS,
            )
        };
        [select("t.org_id = ?1"), select("(t.org_id = ?1 OR (t.org_id = ?4 AND w.include_child_orgs = 1))")]
    });
    let (org, event_type, environment) = (e.org_id.as_str(), e.event_type.as_str(), e.environment.as_str());
    let mut stmt = c.prepare_cached(&SQL[parent.is_some() as usize]).map_err(map_err)?;
    let map = |r: &rusqlite::Row| Ok((rows::target(r)?, rows::owner(r)?));
    let rows = match parent {
        Some(parent) => stmt.query_map(params![org, event_type, environment, parent], map),
        None => stmt.query_map(params![org, event_type, environment], map),
    };
    rows.map_err(map_err)?.collect::<Result<Vec<_>, _>>().map_err(map_err)
}

fn publish_in(
    c: &Connection,
    e: &Event,
    audience: &Audience,
    lease: Option<&LeaseTerms>,
) -> Result<Published, StoreError> {
    if let Some(key) = &e.idempotency_key {
        let existing: Option<String> = c
            .prepare_cached("SELECT id FROM events WHERE org_id = ?1 AND idempotency_key = ?2")
            .map_err(map_err)?
            .query_row([e.org_id.as_str(), key], |r| r.get(0))
            .optional()
            .map_err(map_err)?;
        if let Some(id) = existing {
            let event_id = EventId::parse(&id).map_err(|err| StoreError::Other(err.to_string().into()))?;
            return Ok(Published::replayed(event_id, deliveries_of_event(c, &id)?));
        }
    }
    let parent: Option<String> = c
        .prepare_cached("SELECT parent_id FROM orgs WHERE id = ?1")
        .map_err(map_err)?
        .query_row([e.org_id.as_str()], |r| r.get(0))
        .map_err(map_err)?;
    let chosen = match audience {
        Audience::Subscribers => rows::audience_of(subscribers(c, e, parent.as_deref())?, e),
        Audience::Webhook(id) => Chosen {
            targets: vec![
                c.prepare_cached(&format!(
                    "SELECT {} FROM webhooks w WHERE w.id = ?1 AND w.org_id = ?2",
                    rows::TARGET_COLS
                ))
                .map_err(map_err)?
                .query_row([id.as_str(), e.org_id.as_str()], rows::target)
                .map_err(map_err)?,
            ],
            refused: vec![],
        },
    };
    let targets = &chosen.targets;
    c.prepare_cached(
        "INSERT INTO events (id, org_id, event_type, payload, resource_url, environment, visible_to, occurred_at, created_at, idempotency_key, traceparent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .map_err(map_err)?
    .execute(params![
        e.id.as_str(),
        e.org_id.as_str(),
        e.event_type,
        e.payload,
        e.resource_url,
        e.environment.as_str(),
        to_json(&e.visible_to),
        ms(&e.occurred_at),
        ms(&e.created_at),
        e.idempotency_key,
        e.traceparent
    ])
    .map_err(map_err)?;
    let mut stmt = c
        .prepare_cached(
            "INSERT INTO deliveries (id, org_id, webhook_id, event_id, state, attempts, next_attempt_at, next_trigger, ordered, leased_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, ?9, ?6, ?7, ?8, ?8)",
        )
        .map_err(map_err)?;
    let now = ms(&e.created_at);
    let node = lease.map(|l| l.node.as_str());
    let mut deliveries = Vec::with_capacity(targets.len());
    let mut leased = Vec::new();
    for (w, start) in targets.iter().zip(LeaseTerms::plan(lease, targets, now)) {
        let until = start.leased_until();
        // Made with its event: retention removes both by the same clock.
        let id = DeliveryId::at(now.max(0) as u64);
        stmt.execute(params![
            id.as_str(),
            e.org_id.as_str(),
            w.id.as_str(),
            e.id.as_str(),
            start.next_attempt_at(),
            w.ordered,
            until.and(node),
            now,
            audience.trigger().as_str()
        ])
        .map_err(map_err)?;
        if let Some(until) = until {
            leased.push(crate::PublishedLease::new(id.clone(), e, w, until, audience.trigger()));
        }
        deliveries.push(id);
    }
    if !chosen.refused.is_empty() {
        count_health(c, &chosen.filtered_counts(now))?;
    }
    Ok(Published::new(e.id.clone(), deliveries, leased, chosen.refused.len()))
}

/// Adds a batch's health counts to their buckets (one node writes a SQLite file: shard 0).
fn count_health(c: &rusqlite::Connection, counts: &[hookd_core::health::Count]) -> Result<(), StoreError> {
    let mut upsert = c
        .prepare_cached(
            "INSERT INTO health (webhook_id, grain, start, k, shard, org_id, n) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)
             ON CONFLICT (webhook_id, grain, start, k, shard) DO UPDATE SET n = n + excluded.n",
        )
        .map_err(map_err)?;
    for h in counts {
        upsert
            .execute(params![h.webhook_id.as_str(), h.grain.seconds(), h.start_ms, h.key, h.org_id.as_str(), h.n])
            .map_err(map_err)?;
    }
    Ok(())
}

/// An attempt's columns that hold JSON.
struct AttemptJson {
    event_ids: String,
    event_types: String,
    request_headers: String,
    request_recipe: Option<String>,
    response_headers: String,
}

impl AttemptJson {
    fn of(a: &Attempt) -> Self {
        Self {
            event_ids: to_json(&a.event_ids),
            event_types: to_json(&a.event_types),
            request_headers: to_json(&a.request_headers),
            request_recipe: crate::rows::body_recipe(&a.request_body),
            response_headers: to_json(&a.response_headers),
        }
    }
}

const INSERT_ATTEMPT: &str = "INSERT INTO attempts (id, org_id, delivery_id, webhook_id, event_ids, url, sent_at,
       response_status, duration_ms, error_kind, error_message, trigger, request_headers, request_body, request_recipe,
       response_headers, response_body, duration_us, event_types)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

fn insert_attempt(insert: &mut rusqlite::Statement<'_>, a: &Attempt, json: &AttemptJson) -> Result<(), StoreError> {
    insert
        .execute(params![
            a.id.as_str(),
            a.org_id.as_str(),
            a.delivery_id.as_str(),
            a.webhook_id.as_str(),
            json.event_ids,
            a.url,
            ms(&a.sent_at),
            a.response_status,
            (a.duration_us / 1000) as i64,
            a.error.as_ref().map(|e| e.kind.as_str()),
            a.error.as_ref().map(|e| e.message.as_str()),
            a.trigger.as_str(),
            json.request_headers,
            crate::rows::body_text(&a.request_body),
            json.request_recipe,
            json.response_headers,
            a.response_body,
            a.duration_us as i64,
            json.event_types,
        ])
        .map_err(map_err)?;
    Ok(())
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use hookd_core::AttemptId;

    use crate::sql::history::attempts_query;
    use crate::{AttemptFilter, AttemptSort, Cursor, Order, PageRequest};

    /// A webhook's (or an org's) history page walks an index in order and stops after one
    /// page: no table scan and no sort of the matching rows, however many there are.
    #[tokio::test]
    async fn history_pages_walk_an_index_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("plan.db")).await.expect("open");
        let (org, webhook) = (OrgId::new(), WebhookId::new());
        let by_webhook = AttemptFilter { webhook_id: Some(webhook), succeeded: None, ..Default::default() };
        for (filter, index) in [(by_webhook, "attempts_webhook"), (AttemptFilter::default(), "attempts_org")] {
            let next = Cursor { key: AttemptId::new().to_string(), id: AttemptId::new().to_string() };
            for cursor in [None, Some(next)] {
                let req = PageRequest { limit: 50, cursor, sort: AttemptSort::SentAt, order: Order::Desc, q: None };
                let mut q = attempts_query(Dialect::Sqlite, &org, &filter, &req);
                q.sql = format!("EXPLAIN QUERY PLAN {}", q.sql);
                let plan = store.rows(q, |row| row.text("detail")).await.expect("explain").join("\n");
                assert!(plan.contains(&format!("USING INDEX {index}")), "{plan}");
                assert!(!plan.contains("TEMP B-TREE"), "sorts its rows: {plan}");
            }
        }
    }
}
