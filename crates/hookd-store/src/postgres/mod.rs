//! The scale-out backend: any number of `hookd serve` nodes share one PostgreSQL. Claims
//! use `FOR UPDATE SKIP LOCKED` with leases; nodes wake each other with LISTEN/NOTIFY.
//!
//! Statements are prepared once per connection, except the few that find rows of `deliveries`
//! on every node's hot path (a batch's records, claims, the next due time): those are planned
//! for each call, because a plan kept from when the table was small reads all of it
//! (`all_planned`).

mod publish;
mod record;
mod rows;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{GenericClient, Pool, PoolConfig, Runtime, Timeouts};
use hookd_core::model::{DestinationKind, Event, Webhook, WebhookStatus};
use hookd_core::operational;
use hookd_core::{DeliveryId, EventId, OrgId, WebhookId};
use tokio::sync::Notify;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{AsyncMessage, NoTls};

use crate::rows::{self as r, ms};
use crate::sql::{self, Backend, Dialect, Exec, Map, Query, SqlValue, Step, vals, webhooks};
use crate::{
    AttemptRecord, Audience, Cause, LeaseTerms, LeasedDelivery, Published, Saturated, StoreError, Timestamp,
    WebhookEdit,
};
use record::{RECORD, RecordBatch};

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_init.sql")),
    (2, include_str!("../../migrations/postgres/0002_listing_order.sql")),
    (3, include_str!("../../migrations/postgres/0003_pending_by_webhook.sql")),
    (4, include_str!("../../migrations/postgres/0004_no_attempts_by_delivery.sql")),
    (5, include_str!("../../migrations/postgres/0005_webhook_revision.sql")),
    (6, include_str!("../../migrations/postgres/0006_request_recipe.sql")),
    (7, include_str!("../../migrations/postgres/0007_portal_sessions.sql")),
    (8, include_str!("../../migrations/postgres/0008_webhooks_feature.sql")),
    (9, include_str!("../../migrations/postgres/0009_audit.sql")),
    (10, include_str!("../../migrations/postgres/0010_health.sql")),
    (11, include_str!("../../migrations/postgres/0011_events_by_org.sql")),
    (12, include_str!("../../migrations/postgres/0012_event_traceparent.sql")),
    (13, include_str!("../../migrations/postgres/0013_webhook_filter.sql")),
    (14, include_str!("../../migrations/postgres/0014_webhook_transformation.sql")),
    (15, include_str!("../../migrations/postgres/0015_webhook_destination.sql")),
];
/// Serializes migrations of nodes that start at once.
const MIGRATION_LOCK: i64 = 0x68_6f6f_6b64; // "hookd" in ASCII
const CHANNEL: &str = "hookd_work";

type Param = Box<dyn ToSql + Sync + Send>;

pub struct PostgresStore {
    pool: Pool,
    url: String,
    ingest: publish::Ingestor,
    /// This store's health rows (see [`RECORD`]): its own, so no other node waits on them.
    shard: i16,
}

/// The URL with its password replaced, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.rsplit_once('@') {
        Some((creds, host)) => match creds.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:****@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

fn map_err(e: tokio_postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::UNIQUE_VIOLATION || *code == SqlState::FOREIGN_KEY_VIOLATION {
            return StoreError::Conflict { constraint: db.constraint().unwrap_or("constraint").to_owned() };
        }
        if *code == SqlState::DISK_FULL {
            // The driver's own message is only "db error"; the server's says which file.
            let what = db.message().to_owned();
            return StoreError::Full(Cause::with(what, e));
        }
        if code.code().starts_with("08") || *code == SqlState::ADMIN_SHUTDOWN || *code == SqlState::CANNOT_CONNECT_NOW {
            return StoreError::Unavailable(Cause::of(e));
        }
        return StoreError::Other(Cause::of(e));
    }
    if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) {
        return StoreError::Unavailable(Cause::of(e));
    }
    StoreError::Other(Cause::of(e))
}

fn pool_err(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => map_err(e),
        other => StoreError::Unavailable(Cause::of(other)),
    }
}

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
}

async fn one<C: GenericClient, T>(
    c: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    map: impl Fn(&tokio_postgres::Row) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let stmt = c.prepare_cached(sql).await.map_err(map_err)?;
    match c.query_opt(&stmt, params).await.map_err(map_err)? {
        Some(row) => map(&row),
        None => Err(StoreError::NotFound),
    }
}

async fn all<C: GenericClient, T>(
    c: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    map: impl Fn(&tokio_postgres::Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let stmt = c.prepare_cached(sql).await.map_err(map_err)?;
    c.query(&stmt, params).await.map_err(map_err)?.iter().map(map).collect()
}

async fn exec<C: GenericClient>(c: &C, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, StoreError> {
    let stmt = c.prepare_cached(sql).await.map_err(map_err)?;
    c.execute(&stmt, params).await.map_err(map_err)
}

/// Parameters with their types, for the statements that go unprepared.
type Typed<'a> = [(&'a (dyn ToSql + Sync), Type)];

/// Like [`all`], but unprepared, its parameters typed, in one round trip: PostgreSQL plans it
/// for these values each time. For the statements that find rows of `deliveries` on the hot
/// path (see the module doc): a prepared statement's plan is made once per connection,
/// typically while the table is still small, when hashing a scan of the whole table beats an
/// index lookup per row, and it stayed until autovacuum next analysed the table; meanwhile
/// every call read all of `deliveries` (`hookd bench` on PostgreSQL, E=1, N=20000: 7.6 million
/// rows read by 1,108 scans; now 14 scans of a near-empty table).
async fn all_planned<C: tokio_postgres::GenericClient, T>(
    c: &C,
    sql: &str,
    params: &Typed<'_>,
    map: impl Fn(&tokio_postgres::Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    c.query_typed(sql, params).await.map_err(map_err)?.iter().map(map).collect()
}

/// Like [`exec`], but unprepared: see [`all_planned`].
async fn exec_planned<C: tokio_postgres::GenericClient>(
    c: &C,
    sql: &str,
    params: &Typed<'_>,
) -> Result<u64, StoreError> {
    c.execute_typed(sql, params).await.map_err(map_err)
}

fn value(v: SqlValue) -> Param {
    match v {
        SqlValue::Int(i) => Box::new(i),
        SqlValue::Text(t) => Box::new(t),
        SqlValue::Blob(b) => Box::new(b),
        SqlValue::Bool(b) => Box::new(b),
        SqlValue::TextList(list) => Box::new(list),
    }
}

async fn execute<C: GenericClient>(c: &C, q: Query) -> Result<u64, StoreError> {
    let params: Vec<Param> = q.params.into_iter().map(value).collect();
    exec(c, &q.sql, &refs(&params)).await
}

async fn query<C: GenericClient, T>(c: &C, q: Query, map: Map<T>) -> Result<Vec<T>, StoreError> {
    let params: Vec<Param> = q.params.into_iter().map(value).collect();
    all(c, &q.sql, &refs(&params), |row| map(row)).await
}

impl Exec for PostgresStore {
    const DIALECT: Dialect = Dialect::Postgres;

    async fn rows<T: Send + 'static>(&self, q: Query, map: Map<T>) -> Result<Vec<T>, StoreError> {
        let c = self.client().await?;
        query(&c, q, map).await
    }

    async fn write_rows<T: Send + 'static>(&self, q: Query, map: Map<T>) -> Result<Vec<T>, StoreError> {
        let c = self.client().await?;
        query(&c, q, map).await
    }

    async fn write(&self, steps: Vec<Step>) -> Result<Vec<u64>, StoreError> {
        let mut c = self.client().await?;
        if let [step] = &steps[..] {
            // One statement is one implicit transaction.
            let n = execute(&c, step.query.clone()).await?;
            return if step.must_change && n == 0 { Err(StoreError::NotFound) } else { Ok(vec![n]) };
        }
        let tx = c.transaction().await.map_err(map_err)?;
        let mut changed = Vec::with_capacity(steps.len());
        for step in steps {
            let n = execute(&tx, step.query).await?;
            if step.must_change && n == 0 {
                return Err(StoreError::NotFound);
            }
            changed.push(n);
        }
        tx.commit().await.map_err(map_err)?;
        Ok(changed)
    }

    fn notice(&self) -> Option<Step> {
        Some(Step::new("SELECT pg_notify($1, '')", vals![CHANNEL]))
    }
}

/// Sets the status if `enabled` changes, and then publishes the operational event with it:
/// the one way a webhook is enabled or disabled, for edits and the engine alike.
async fn set_status_in<C: GenericClient>(
    c: &C,
    org: &OrgId,
    id: &WebhookId,
    status: &WebhookStatus,
) -> Result<(), StoreError> {
    if execute(c, sql::set_status(org, id, status)).await? > 0 {
        let w = get_webhook_in(c, org.as_str(), id.as_str()).await?;
        // Any shard will do for the odd filtered count of an announcement.
        publish::publish_in(c, &operational::announcement(&w), &Audience::Subscribers, 0).await?;
    }
    Ok(())
}

async fn get_webhook_in<C: GenericClient>(c: &C, org: &str, id: &str) -> Result<Webhook, StoreError> {
    let sql = format!("SELECT {} FROM webhooks w WHERE w.id = $1 AND w.org_id = $2", r::WEBHOOK_COLS);
    one(c, &sql, &[&id, &org], r::webhook).await
}

async fn deliveries_of_event<C: GenericClient>(c: &C, event: &str) -> Result<Vec<DeliveryId>, StoreError> {
    all(c, "SELECT id FROM deliveries WHERE event_id = $1 ORDER BY id", &[&event], |row| {
        let id: String = row.try_get(0).map_err(map_err)?;
        DeliveryId::parse(&id).map_err(|e| StoreError::Other(e.to_string().into()))
    })
    .await
}

impl PostgresStore {
    /// Connects, checks the database answers, and applies migrations (under an advisory
    /// lock, so nodes starting together do not race).
    pub async fn connect(url: &str, pool_size: usize) -> Result<Self, StoreError> {
        let mut cfg = deadpool_postgres::Config::new();
        cfg.url = Some(url.to_owned());
        let mut pool_cfg = PoolConfig::new(pool_size.max(2));
        pool_cfg.timeouts = Timeouts {
            wait: Some(Duration::from_secs(5)),
            create: Some(Duration::from_secs(5)),
            recycle: Some(Duration::from_secs(5)),
        };
        cfg.pool = Some(pool_cfg);
        let pool = cfg
            .create_pool(Some(Runtime::Tokio1), NoTls)
            .map_err(|e| StoreError::Unavailable(Cause::with(format!("{}: {e}", redact(url)), e)))?;
        let shard = rand::random();
        let store = Self { ingest: publish::Ingestor::start(pool.clone(), shard), pool, url: url.to_owned(), shard };
        store.migrate().await.map_err(|e| match e {
            StoreError::Unavailable(m) => StoreError::Unavailable(format!("cannot reach it: {m}").into()),
            other => other,
        })?;
        Ok(store)
    }

    /// Applies the migrations this binary knows and the database lacks; returns the version.
    pub async fn migrate(&self) -> Result<i64, StoreError> {
        let mut client = self.pool.get().await.map_err(pool_err)?;
        client.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).await.map_err(map_err)?;
        let result = async {
            client
                .batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
                .await
                .map_err(map_err)?;
            let row = client.query_one("SELECT COALESCE(max(version), 0) FROM schema_migrations", &[]).await.map_err(map_err)?;
            let mut version: i64 = row.try_get(0).map_err(map_err)?;
            for (v, sql) in MIGRATIONS {
                if *v > version {
                    let tx = client.transaction().await.map_err(map_err)?;
                    tx.batch_execute(sql).await.map_err(map_err)?;
                    tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", &[v, &ms(&chrono::Utc::now())])
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    version = *v;
                }
            }
            Ok(version)
        }
        .await;
        let _ = client.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).await;
        result
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(pool_err)
    }
}

/// Listens for new work and wakes this node's dispatcher, reconnecting after failures.
async fn listen(url: String, wake: Arc<Notify>) {
    loop {
        match tokio_postgres::connect(&url, NoTls).await {
            Ok((client, mut conn)) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
                let driver = tokio::spawn(async move {
                    while let Some(msg) = std::future::poll_fn(|cx| conn.poll_message(cx)).await {
                        match msg {
                            Ok(AsyncMessage::Notification(_)) => {
                                let _ = tx.send(());
                            }
                            Ok(_) => {}
                            Err(_) => break,
                        }
                    }
                });
                if client.batch_execute(&format!("LISTEN {CHANNEL}")).await.is_ok() {
                    // A notification may have been missed while we were away.
                    wake.notify_one();
                    while rx.recv().await.is_some() {
                        wake.notify_one();
                    }
                }
                driver.abort();
            }
            Err(e) => tracing::warn!(error = %e, "LISTEN connection failed; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[async_trait]
impl Backend for PostgresStore {
    async fn ping(&self) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.simple_query("SELECT 1").await.map(|_| ()).map_err(map_err)
    }

    fn watch_for_work(&self, wake: Arc<Notify>) {
        tokio::spawn(listen(self.url.clone(), wake));
    }

    async fn edit_webhook(&self, edit: &WebhookEdit) -> Result<Webhook, StoreError> {
        let (org, id) = (&edit.org_id, &edit.id);
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(map_err)?;
        if execute(&tx, edit.update()).await? == 0 {
            drop(tx);
            return Err(webhooks::missing_or_stale(self, org, id).await);
        }
        let index = edit.event_types.as_deref().map(|t| webhooks::index_types(org, id, t));
        let order = edit.options.as_ref().map(|o| webhooks::order_pending(id, o.ordered));
        // Deliveries that waited to be pulled go out now that the webhook pushes.
        let unpull =
            edit.destination.as_ref().filter(|(kind, _)| *kind != DestinationKind::Poll).map(|_| sql::pull::unpull(id));
        let audit = edit.audit.as_ref().map(sql::directory::audit_step);
        for step in index.into_iter().flatten().chain(order).chain(unpull).chain(audit) {
            execute(&tx, step.query).await?;
        }
        if let Some(status) = &edit.status {
            set_status_in(&tx, org, id, status).await?;
        }
        let w = get_webhook_in(&tx, org.as_str(), id.as_str()).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(w)
    }

    async fn publish_leased(
        &self,
        e: &Event,
        audience: &Audience,
        lease: Option<&LeaseTerms>,
    ) -> Result<Published, StoreError> {
        self.ingest.publish(&self.pool, e, audience, lease).await
    }

    async fn claim_due(
        &self,
        node: &str,
        lease: Duration,
        max: usize,
        skip: &Saturated,
    ) -> Result<Vec<LeasedDelivery>, StoreError> {
        let c = self.client().await?;
        let (skip_webhooks, skip_orgs) = skip_lists(skip);
        let now = ms(&chrono::Utc::now());
        let until = now + lease.as_millis() as i64;
        // SKIP LOCKED lets nodes claim side by side; an ordered webhook's oldest pending
        // delivery is the only one of its deliveries that can be due.
        let sql = format!(
            "WITH due AS (
               SELECT d.id FROM deliveries d
               WHERE d.state = 'pending' AND d.next_attempt_at <= $1
                 AND d.webhook_id <> ALL($5) AND d.org_id <> ALL($6)
                 AND (NOT d.ordered OR d.id = (SELECT min(o.id) FROM deliveries o WHERE o.webhook_id = d.webhook_id AND o.state = 'pending'))
               ORDER BY d.next_attempt_at
               LIMIT $4
               FOR UPDATE SKIP LOCKED)
             UPDATE deliveries d SET next_attempt_at = $2, leased_by = $3 FROM due WHERE d.id = due.id
             RETURNING {}",
            r::DELIVERY_COLS
        );
        let params: [(&(dyn ToSql + Sync), Type); 6] = [
            (&now, Type::INT8),
            (&until, Type::INT8),
            (&node, Type::TEXT),
            (&(max as i64), Type::INT8),
            (&skip_webhooks, Type::TEXT_ARRAY),
            (&skip_orgs, Type::TEXT_ARRAY),
        ];
        let deliveries = all_planned(&**c, &sql, &params, r::delivery).await?;
        if deliveries.is_empty() {
            return Ok(vec![]);
        }
        let event_ids: Vec<String> = deliveries.iter().map(|d| d.event_id.to_string()).collect();
        let webhook_ids: Vec<String> = deliveries.iter().map(|d| d.webhook_id.to_string()).collect();
        let events =
            all(&c, &format!("SELECT {} FROM events e WHERE e.id = ANY($1)", r::EVENT_COLS), &[&event_ids], r::event)
                .await?;
        let webhooks = all(
            &c,
            &format!("SELECT {} FROM webhooks w WHERE w.id = ANY($1)", r::WEBHOOK_COLS),
            &[&webhook_ids],
            r::webhook,
        )
        .await?;
        let events: std::collections::HashMap<EventId, Arc<Event>> =
            events.into_iter().map(|e| (e.id.clone(), Arc::new(e))).collect();
        let webhooks: std::collections::HashMap<WebhookId, Webhook> =
            webhooks.into_iter().map(|w| (w.id.clone(), w)).collect();
        let mut claims = Vec::with_capacity(deliveries.len());
        for d in deliveries {
            match (events.get(&d.event_id), webhooks.get(&d.webhook_id)) {
                (Some(e), Some(w)) => claims.push(LeasedDelivery { event: e.clone(), webhook: w.clone(), delivery: d }),
                // The webhook was deleted after the claim query started.
                _ => {
                    exec(&c, "UPDATE deliveries SET state = 'failed', next_attempt_at = NULL, leased_by = NULL WHERE id = $1", &[&d.id.as_str()])
                        .await?;
                }
            }
        }
        Ok(claims)
    }

    async fn record_attempts(&self, records: Arc<Vec<AttemptRecord>>) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let now = ms(&chrono::Utc::now());
        let batch = RecordBatch::new(&records, now, self.shard);
        let params = batch.params();
        if records.iter().all(|r| r.disable_webhook.is_none()) {
            // One statement is one implicit transaction: the whole batch in one round trip.
            exec_planned(&**c, RECORD, &params).await?;
            return Ok(());
        }
        let tx = c.transaction().await.map_err(map_err)?;
        exec_planned(&*tx, RECORD, &params).await?;
        let at = chrono::Utc::now();
        for rec in records.iter().filter(|r| r.disable_webhook.is_some()) {
            let reason = rec.disable_webhook.as_deref().unwrap_or_default();
            set_status_in(&tx, &rec.org_id, &rec.webhook_id, &WebhookStatus::by_hookd(false, reason, at)).await?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn release_leases(&self, node: &str, ids: &[DeliveryId]) -> Result<(), StoreError> {
        let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        let c = self.client().await?;
        let now = ms(&chrono::Utc::now());
        exec(
            &c,
            "WITH r AS (
               UPDATE deliveries SET next_attempt_at = $3, leased_by = NULL
               WHERE id = ANY($1) AND leased_by = $2 AND state = 'pending' RETURNING 1)
             SELECT pg_notify($4, '') FROM r LIMIT 1",
            &[&ids, &node, &now, &CHANNEL],
        )
        .await?;
        Ok(())
    }

    async fn next_due_at(&self, skip: &Saturated) -> Result<Option<Timestamp>, StoreError> {
        let c = self.client().await?;
        let first = |row: &tokio_postgres::Row| row.try_get::<_, Option<i64>>(0).map_err(map_err);
        let min = if skip.is_empty() {
            all_planned(&**c, "SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending'", &[], first).await?
        } else {
            // In due order along the index, to the first that is not passed over.
            let (webhooks, orgs) = skip_lists(skip);
            all_planned(
                &**c,
                "SELECT next_attempt_at FROM deliveries
                 WHERE state = 'pending' AND webhook_id <> ALL($1) AND org_id <> ALL($2)
                 ORDER BY next_attempt_at LIMIT 1",
                &[(&webhooks, Type::TEXT_ARRAY), (&orgs, Type::TEXT_ARRAY)],
                first,
            )
            .await?
        };
        Ok(min.into_iter().flatten().next().map(r::ts))
    }
}

/// The webhooks and orgs a claim passes over, as text arrays.
fn skip_lists(skip: &Saturated) -> (Vec<&str>, Vec<&str>) {
    (skip.webhooks.iter().map(|w| w.as_str()).collect(), skip.orgs.iter().map(|o| o.as_str()).collect())
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::sql::history::attempts_query;
    use crate::{AttemptFilter, AttemptSort, Cursor, Order, Outcome, PageRequest};

    /// Recording a batch finds its deliveries by key even after the table grew from empty
    /// under the same connection: a plan made once, while the table was small, scanned it
    /// whole for every batch (shown first with the statement prepared, as it used to be).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn recording_finds_deliveries_by_key_however_small_the_table_was() {
        let url =
            tokio::task::spawn_blocking(|| hookd_testkit::TempPostgres::shared().database()).await.expect("cluster");
        let store = PostgresStore::connect(&url, 2).await.expect("connect");
        let mut c = store.client().await.expect("client");
        let (d1, d2) = (DeliveryId::new(), DeliveryId::new());
        let failed = |id: &DeliveryId| AttemptRecord {
            attempt: None,
            org_id: OrgId::new(),
            delivery_id: id.clone(),
            webhook_id: WebhookId::new(),
            outcome: Outcome::Failed,
            disable_webhook: None,
        };
        let batch = RecordBatch::new(&[failed(&d1), failed(&d2)], 0, 0);
        let params = batch.params();
        let untyped: Vec<&(dyn ToSql + Sync)> = params.iter().map(|(v, _)| *v).collect();
        let prepared = c.prepare(RECORD).await.expect("prepare");
        // Beyond the five executions after which PostgreSQL may keep one generic plan.
        for _ in 0..8 {
            c.execute(&prepared, &untyped).await.expect("prepared, small table");
            exec_planned(&**c, RECORD, &params).await.expect("unprepared, small table");
        }
        c.execute(
            "INSERT INTO deliveries (id, org_id, webhook_id, event_id, state, attempts, next_trigger, ordered,
               created_at, updated_at)
             SELECT 'dlv_' || i, 'org_1', 'wh_1', 'evt_' || i, 'pending', 0, 'auto', false, 0, 0
             FROM generate_series(1, 20000) AS i
             UNION ALL SELECT unnest($1::text[]), 'org_1', 'wh_1', 'evt_0', 'pending', 0, 'auto', false, 0, 0",
            &[&vec![d1.as_str(), d2.as_str()]],
        )
        .await
        .expect("seed");
        // No ANALYZE: it would make the prepared statement plan afresh, which in a service
        // comes only when autovacuum gets round to the table.
        async fn scans<C: tokio_postgres::GenericClient>(tx: &C) -> i64 {
            tx.query_one("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'deliveries'", &[])
                .await
                .expect("stats")
                .get(0)
        }
        // The counts are this backend's not yet reported, earlier transactions' included.
        let tx = c.transaction().await.expect("begin");
        let before = scans(&*tx).await;
        tx.execute(&prepared, &untyped).await.expect("prepared, large table");
        assert!(scans(&*tx).await > before, "the prepared statement no longer shows the problem");
        tx.rollback().await.expect("rollback");
        let tx = c.transaction().await.expect("begin");
        let before = scans(&*tx).await;
        assert_eq!(
            exec_planned(&*tx, RECORD, &params).await.expect("record"),
            0,
            "only the webhook update counts rows"
        );
        assert_eq!(scans(&*tx).await, before, "recording scanned the whole deliveries table");
        let state: String =
            tx.query_one("SELECT state FROM deliveries WHERE id = $1", &[&d2.as_str()]).await.expect("row").get(0);
        assert_eq!(state, "failed");
    }

    /// As on SQLite: a webhook's (or an org's) history page is an index scan of that webhook's
    /// (org's) rows in order, stopping after one page. Checked on 20,000 analysed rows where
    /// the webhook has most of them but the newest belong to other orgs (so reading the whole
    /// table newest-first would look cheap to the planner and be slow), in a database whose
    /// collation is not byte order (ICU en-US).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn history_pages_walk_an_index_in_order() {
        let url = tokio::task::spawn_blocking(|| {
            hookd_testkit::TempPostgres::shared()
                .database_with("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
        })
        .await
        .expect("cluster");
        let store = PostgresStore::connect(&url, 2).await.expect("connect");
        let c = store.client().await.expect("client");
        let (org, webhook) = (OrgId::new(), WebhookId::new());
        c.execute(
            "INSERT INTO attempts (id, org_id, delivery_id, webhook_id, event_ids, url, sent_at, response_status,
               duration_ms, trigger, request_headers, request_body, response_headers, response_body)
             SELECT 'att_' || lpad(i::text, 26, '0'), CASE WHEN i <= 16000 THEN $1 ELSE 'org_' || i % 7 END,
               'dlv_' || i, CASE WHEN i <= 16000 THEN $2 ELSE 'wh_' || i % 7 END,
               '[]', 'https://example.com/hook', i, 200, 1, 'auto', '[]', '{}', '[]', 'ok'
             FROM generate_series(1, 20000) AS i",
            &[&org.as_str(), &webhook.as_str()],
        )
        .await
        .expect("seed");
        c.batch_execute("ANALYZE attempts").await.expect("analyze");
        let by_webhook = AttemptFilter { webhook_id: Some(webhook), succeeded: None, ..Default::default() };
        for filter in [by_webhook, AttemptFilter::default()] {
            let next =
                Cursor { key: "att_00000000000000000000015000".into(), id: "att_00000000000000000000015000".into() };
            for cursor in [None, Some(next)] {
                let req = PageRequest { limit: 50, cursor, sort: AttemptSort::SentAt, order: Order::Desc, q: None };
                let mut q = attempts_query(Dialect::Postgres, &org, &filter, &req);
                q.sql = format!("EXPLAIN {}", q.sql);
                let plan = store.rows(q, |row| row.text("QUERY PLAN")).await.expect("explain").join("\n");
                assert!(plan.starts_with("Limit") && plan.contains("Index Scan Backward using attempts_"), "{plan}");
                assert!(!plan.contains("attempts_pkey"), "reads other orgs' rows: {plan}");
                assert!(!plan.contains("Sort") && !plan.contains("Seq Scan"), "reads or sorts every row: {plan}");
            }
        }
    }
}
