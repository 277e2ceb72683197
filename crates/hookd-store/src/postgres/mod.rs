//! The scale-out backend: any number of `hookd serve` nodes share one PostgreSQL. Claims
//! use `FOR UPDATE SKIP LOCKED` with leases; nodes wake each other with LISTEN/NOTIFY.
//!
//! Statements are prepared once per connection, except the few that find rows of `deliveries`
//! on every node's hot path (a batch's records, claims, the next due time): those are planned
//! for each call, because a plan kept from when the table was small reads all of it
//! (`all_planned`).

mod publish;
mod rows;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{GenericClient, Pool, PoolConfig, Runtime, Timeouts};
use hookd_core::model::{
    AccessToken, Attempt, Delivery, DeliveryState, Event, EventType, Member, Org, RequestBody, Webhook, WebhookStatus,
};
use hookd_core::operational;
use hookd_core::secret::SealedSecret;
use hookd_core::{AttemptId, DeliveryId, EventId, MemberId, OrgId, TokenId, WebhookId};
use tokio::sync::Notify;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{AsyncMessage, NoTls};

use crate::page::{like, not_found_if_zero, page};
use crate::rows::{self as r, ms, to_json};
use crate::sql::{self, Dialect, SqlValue, Statement};
use crate::{
    AttemptFilter, AttemptRecord, AttemptSort, Audience, Backlog, Claim, Lease, Order, Outcome, Page, PageRequest,
    Published, Store, StoreError, Timestamp, WebhookEdit, WebhookSort,
};

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_init.sql")),
    (2, include_str!("../../migrations/postgres/0002_listing_order.sql")),
    (3, include_str!("../../migrations/postgres/0003_pending_by_webhook.sql")),
    (4, include_str!("../../migrations/postgres/0004_no_attempts_by_delivery.sql")),
    (5, include_str!("../../migrations/postgres/0005_webhook_revision.sql")),
    (6, include_str!("../../migrations/postgres/0006_request_recipe.sql")),
];
/// Serializes migrations of nodes that start at once.
const MIGRATION_LOCK: i64 = 0x68_6f6f_6b64; // "hookd" in ASCII
const CHANNEL: &str = "hookd_work";

type Param = Box<dyn ToSql + Sync + Send>;

pub struct PostgresStore {
    pool: Pool,
    url: String,
    ingest: publish::Ingestor,
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
        if code.code().starts_with("08") || *code == SqlState::ADMIN_SHUTDOWN || *code == SqlState::CANNOT_CONNECT_NOW {
            return StoreError::Unavailable(db.to_string());
        }
        return StoreError::Other(db.to_string());
    }
    if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) {
        return StoreError::Unavailable(e.to_string());
    }
    StoreError::Other(e.to_string())
}

fn pool_err(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => map_err(e),
        other => StoreError::Unavailable(other.to_string()),
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

/// One keyset listing; see the SQLite backend's twin.
struct Listing<'a> {
    from: &'a str,
    cols: &'a str,
    id_col: &'a str,
    sort_expr: &'a str,
    sort_is_int: bool,
    search: &'a [&'a str],
}

impl Listing<'_> {
    /// `scope` conditions use `{}` where their one parameter goes.
    fn sql(&self, scope: Vec<(&str, Param)>, extra: &[&str], req: &PageRequest<impl Sized>) -> (String, Vec<Param>) {
        let mut params: Vec<Param> = Vec::new();
        let mut conds: Vec<String> = Vec::new();
        let next = |p: Param, params: &mut Vec<Param>| {
            params.push(p);
            format!("${}", params.len())
        };
        for (cond, p) in scope {
            let n = next(p, &mut params);
            conds.push(cond.replace("{}", &n));
        }
        conds.extend(extra.iter().map(|s| s.to_string()));
        if let Some(q) = req.q.as_deref().filter(|q| !q.is_empty()) {
            let n = next(Box::new(like(q)), &mut params);
            let any = self.search.iter().map(|c| format!("{c} ILIKE {n}")).collect::<Vec<_>>().join(" OR ");
            conds.push(format!("({any})"));
        }
        let (cmp, dir) = match req.order {
            Order::Asc => (">", "ASC"),
            Order::Desc => ("<", "DESC"),
        };
        // COLLATE "C" makes text order byte order, as in SQLite, so cursors agree with it.
        let collate = if self.sort_is_int { "" } else { " COLLATE \"C\"" };
        if let Some(c) = &req.cursor {
            let (e, idc) = (self.sort_expr, self.id_col);
            // Sorted by the ID itself, the cursor is one range bound the index can seek to.
            // Compared in the order the listing sorts by (byte order), or pages would skip
            // or repeat rows in a database of another collation.
            if e == idc {
                let id = next(Box::new(c.id.clone()), &mut params);
                conds.push(format!("{idc} COLLATE \"C\" {cmp} {id}"));
            } else {
                let key = if self.sort_is_int {
                    next(Box::new(c.key.parse::<i64>().unwrap_or(0)), &mut params)
                } else {
                    next(Box::new(c.key.clone()), &mut params)
                };
                let id = next(Box::new(c.id.clone()), &mut params);
                conds.push(format!("({e}{collate} {cmp} {key} OR ({e} = {key} AND {idc} COLLATE \"C\" {cmp} {id}))"));
            }
        }
        let where_ = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
        let order = if self.sort_expr == self.id_col {
            format!("{} COLLATE \"C\" {dir}", self.id_col)
        } else {
            format!("{}{collate} {dir}, {} COLLATE \"C\" {dir}", self.sort_expr, self.id_col)
        };
        let sql = format!("SELECT {} FROM {} {where_} ORDER BY {order} LIMIT {}", self.cols, self.from, req.limit + 1);
        (sql, params)
    }
}

/// The history listing's query: scoped by org, keyset-paged (`attempts_webhook` and
/// `attempts_org` serve the default order; the plan test checks it).
fn attempts_listing(org: &OrgId, filter: &AttemptFilter, req: &PageRequest<AttemptSort>) -> (String, Vec<Param>) {
    let (sort_expr, sort_is_int) = match req.sort {
        AttemptSort::SentAt => ("a.id", false),
        AttemptSort::Url => ("a.url", false),
        AttemptSort::Result => ("COALESCE(a.response_status, 0)", true),
    };
    let mut scope: Vec<(&str, Param)> = vec![("a.org_id = {}", Box::new(org.to_string()))];
    if let Some(w) = &filter.webhook_id {
        scope.push(("a.webhook_id = {}", Box::new(w.to_string())));
    }
    let extra: &[&str] = match filter.succeeded {
        Some(true) => &["a.response_status BETWEEN 200 AND 299 AND a.error_kind IS NULL"],
        Some(false) => &["(a.response_status IS NULL OR a.response_status NOT BETWEEN 200 AND 299)"],
        None => &[],
    };
    let search = [
        "a.url",
        "a.event_ids",
        "a.delivery_id",
        "COALESCE(a.response_status::text, '')",
        "COALESCE(a.error_message, '')",
    ];
    let l = Listing {
        from: "attempts a",
        cols: r::ATTEMPT_SUMMARY_COLS,
        id_col: "a.id",
        sort_expr,
        sort_is_int,
        search: &search,
    };
    l.sql(scope, extra, req)
}

fn webhook_params(w: &Webhook) -> Vec<Param> {
    vec![
        Box::new(w.id.to_string()),
        Box::new(w.org_id.to_string()),
        Box::new(w.name.clone()),
        Box::new(w.url.clone()),
        Box::new(w.description.clone()),
        Box::new(to_json(&w.event_types)),
        Box::new(w.environment.as_str().to_owned()),
        Box::new(w.owner_id.as_ref().map(|o| o.to_string())),
        Box::new(w.include_child_orgs),
        Box::new(to_json(&w.options)),
        Box::new(w.signing_enabled),
        Box::new(w.signing_secret.0.clone()),
        Box::new(w.previous_secret.as_ref().map(|(s, _)| s.0.clone())),
        Box::new(w.previous_secret.as_ref().map(|(_, u)| ms(u))),
        Box::new(w.auth.0.clone()),
        Box::new(w.status.enabled),
        Box::new(w.status.reason.clone()),
        Box::new(ms(&w.status.changed_at)),
        Box::new(w.status.changed_by.clone()),
        Box::new(ms(&w.created_at)),
        Box::new(ms(&w.updated_at)),
        Box::new(w.last_triggered_at.as_ref().map(ms)),
    ]
}

const WEBHOOK_INSERT: &str = "INSERT INTO webhooks (id, org_id, name, url, description, event_types, environment, \
    owner_id, include_child_orgs, options, signing_enabled, signing_secret, previous_secret, previous_until, auth, \
    enabled, status_reason, status_changed_at, status_changed_by, created_at, updated_at, last_triggered_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";

fn value(v: SqlValue) -> Param {
    match v {
        SqlValue::Null => Box::new(None::<String>),
        SqlValue::Int(i) => Box::new(i),
        SqlValue::Text(t) => Box::new(t),
        SqlValue::Blob(b) => Box::new(b),
        SqlValue::Bool(b) => Box::new(b),
    }
}

async fn execute<C: GenericClient>(c: &C, st: Statement) -> Result<u64, StoreError> {
    let params: Vec<Param> = st.params.into_iter().map(value).collect();
    exec(c, &st.sql, &refs(&params)).await
}

/// Sets the status if `enabled` changes, and then publishes the operational event with it:
/// the one way a webhook is enabled or disabled, for edits and the engine alike.
async fn set_status_in<C: GenericClient>(
    c: &C,
    org: &OrgId,
    id: &WebhookId,
    status: &WebhookStatus,
) -> Result<(), StoreError> {
    if execute(c, sql::set_status(Dialect::Postgres, org, id, status)).await? > 0 {
        let w = get_webhook_in(c, org.as_str(), id.as_str()).await?;
        publish::publish_in(c, &operational::announcement(&w), &Audience::Subscribers).await?;
    }
    Ok(())
}

/// `NotFound` when the webhook is gone, `Stale` when it is there at another revision.
async fn missing_or_stale<C: GenericClient>(c: &C, org: &str, id: &str) -> StoreError {
    match one(c, "SELECT 1 FROM webhooks WHERE id = $1 AND org_id = $2", &[&id, &org], |_| Ok(())).await {
        Ok(()) => StoreError::Stale,
        Err(e) => e,
    }
}

async fn insert_webhook_types<C: GenericClient>(
    c: &C,
    org: &OrgId,
    id: &WebhookId,
    types: &[String],
) -> Result<(), StoreError> {
    exec(c, "DELETE FROM webhook_event_types WHERE webhook_id = $1", &[&id.as_str()]).await?;
    for t in types {
        exec(
            c,
            "INSERT INTO webhook_event_types (org_id, event_type, webhook_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&org.as_str(), t, &id.as_str()],
        )
        .await?;
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
        DeliveryId::parse(&id).map_err(|e| StoreError::Other(e.to_string()))
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
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", redact(url))))?;
        let store = Self { ingest: publish::Ingestor::start(pool.clone()), pool, url: url.to_owned() };
        store.migrate().await.map_err(|e| match e {
            StoreError::Unavailable(m) => StoreError::Unavailable(format!("cannot reach it: {m}")),
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
impl Store for PostgresStore {
    async fn ping(&self) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.simple_query("SELECT 1").await.map(|_| ()).map_err(map_err)
    }

    fn watch_for_work(&self, wake: Arc<Notify>) {
        tokio::spawn(listen(self.url.clone(), wake));
    }

    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let c = self.client().await?;
        match one(&c, "SELECT value FROM settings WHERE key = $1", &[&key], |row| row.try_get(0).map_err(map_err)).await
        {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )
        .await
        .map(|_| ())
    }

    async fn init_setting(&self, key: &str, value: &str) -> Result<String, StoreError> {
        let c = self.client().await?;
        exec(&c, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", &[&key, &value])
            .await?;
        one(&c, "SELECT value FROM settings WHERE key = $1", &[&key], |row| row.try_get(0).map_err(map_err)).await
    }

    async fn any_signing_secret(&self) -> Result<Option<SealedSecret>, StoreError> {
        let c = self.client().await?;
        let found = all(&c, "SELECT signing_secret FROM webhooks LIMIT 1", &[], |row| {
            row.try_get::<_, Vec<u8>>(0).map(SealedSecret).map_err(map_err)
        })
        .await?;
        Ok(found.into_iter().next())
    }

    async fn create_org(&self, o: &Org) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "INSERT INTO orgs (id, name, parent_id, features, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                &o.id.as_str(),
                &o.name,
                &o.parent_id.as_ref().map(|p| p.to_string()),
                &to_json(&o.features),
                &ms(&o.created_at),
            ],
        )
        .await
        .map(|_| ())
    }

    async fn get_org(&self, id: &OrgId) -> Result<Org, StoreError> {
        let c = self.client().await?;
        one(&c, &format!("SELECT {} FROM orgs WHERE id = $1", r::ORG_COLS), &[&id.as_str()], r::org).await
    }

    async fn update_org(&self, o: &Org) -> Result<(), StoreError> {
        let c = self.client().await?;
        let n = exec(
            &c,
            "UPDATE orgs SET name = $2, parent_id = $3, features = $4 WHERE id = $1",
            &[&o.id.as_str(), &o.name, &o.parent_id.as_ref().map(|p| p.to_string()), &to_json(&o.features)],
        )
        .await?;
        not_found_if_zero(n)
    }

    async fn list_orgs(&self, req: &PageRequest<()>) -> Result<Page<Org>, StoreError> {
        let c = self.client().await?;
        let l = Listing {
            from: "orgs",
            cols: r::ORG_COLS,
            id_col: "id",
            sort_expr: "id",
            sort_is_int: false,
            search: &["name", "id"],
        };
        let (sql, p) = l.sql(vec![], &[], req);
        let rows = all(&c, &sql, &refs(&p), r::org).await?;
        Ok(page(rows, req.limit, |o| (o.id.to_string(), o.id.to_string())))
    }

    async fn create_member(&self, m: &Member) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            &format!("INSERT INTO members ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", r::MEMBER_COLS),
            &[
                &m.id.as_str(),
                &m.org_id.as_str(),
                &m.name,
                &m.email,
                &m.phone,
                &m.role.as_str(),
                &to_json(&m.groups),
                &m.external_id,
                &m.status.as_str(),
                &ms(&m.created_at),
            ],
        )
        .await
        .map(|_| ())
    }

    async fn get_member(&self, org: &OrgId, id: &MemberId) -> Result<Member, StoreError> {
        let c = self.client().await?;
        let sql = format!("SELECT {} FROM members WHERE id = $1 AND org_id = $2", r::MEMBER_COLS);
        one(&c, &sql, &[&id.as_str(), &org.as_str()], r::member).await
    }

    async fn update_member(&self, m: &Member) -> Result<(), StoreError> {
        let c = self.client().await?;
        let n = exec(
            &c,
            "UPDATE members SET name = $3, email = $4, phone = $5, role = $6, groups = $7, external_id = $8, status = $9
             WHERE id = $1 AND org_id = $2",
            &[
                &m.id.as_str(),
                &m.org_id.as_str(),
                &m.name,
                &m.email,
                &m.phone,
                &m.role.as_str(),
                &to_json(&m.groups),
                &m.external_id,
                &m.status.as_str(),
            ],
        )
        .await?;
        not_found_if_zero(n)
    }

    async fn delete_member(&self, org: &OrgId, id: &MemberId) -> Result<(), StoreError> {
        let c = self.client().await?;
        not_found_if_zero(
            exec(&c, "DELETE FROM members WHERE id = $1 AND org_id = $2", &[&id.as_str(), &org.as_str()]).await?,
        )
    }

    async fn list_members(&self, org: &OrgId, req: &PageRequest<()>) -> Result<Page<Member>, StoreError> {
        let c = self.client().await?;
        let l = Listing {
            from: "members",
            cols: r::MEMBER_COLS,
            id_col: "id",
            sort_expr: "id",
            sort_is_int: false,
            search: &["name", "email"],
        };
        let (sql, p) = l.sql(vec![("org_id = {}", Box::new(org.to_string()))], &[], req);
        let rows = all(&c, &sql, &refs(&p), r::member).await?;
        Ok(page(rows, req.limit, |m| (m.id.to_string(), m.id.to_string())))
    }

    async fn create_token(&self, t: &AccessToken, hash: &[u8; 32]) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "INSERT INTO tokens (id, org_id, name, role, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&t.id.as_str(), &t.org_id.as_str(), &t.name, &t.role.as_str(), &hash.to_vec(), &ms(&t.created_at)],
        )
        .await
        .map(|_| ())
    }

    async fn token_by_hash(&self, hash: &[u8; 32]) -> Result<Option<AccessToken>, StoreError> {
        let c = self.client().await?;
        match one(&c, &format!("SELECT {} FROM tokens WHERE hash = $1", r::TOKEN_COLS), &[&hash.to_vec()], r::token)
            .await
        {
            Ok(t) => Ok(Some(t)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn list_tokens(&self, org: &OrgId, req: &PageRequest<()>) -> Result<Page<AccessToken>, StoreError> {
        let c = self.client().await?;
        let l = Listing {
            from: "tokens",
            cols: r::TOKEN_COLS,
            id_col: "id",
            sort_expr: "id",
            sort_is_int: false,
            search: &["name"],
        };
        let (sql, p) = l.sql(vec![("org_id = {}", Box::new(org.to_string()))], &[], req);
        let rows = all(&c, &sql, &refs(&p), r::token).await?;
        Ok(page(rows, req.limit, |t| (t.id.to_string(), t.id.to_string())))
    }

    async fn rename_token(&self, org: &OrgId, id: &TokenId, name: &str) -> Result<AccessToken, StoreError> {
        let c = self.client().await?;
        let sql = format!("UPDATE tokens SET name = $3 WHERE id = $1 AND org_id = $2 RETURNING {}", r::TOKEN_COLS);
        one(&c, &sql, &[&id.as_str(), &org.as_str(), &name], r::token).await
    }

    async fn delete_token(&self, org: &OrgId, id: &TokenId) -> Result<(), StoreError> {
        let c = self.client().await?;
        not_found_if_zero(
            exec(&c, "DELETE FROM tokens WHERE id = $1 AND org_id = $2", &[&id.as_str(), &org.as_str()]).await?,
        )
    }

    async fn touch_token(&self, id: &TokenId, at: Timestamp) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(&c, "UPDATE tokens SET last_used_at = $2 WHERE id = $1", &[&id.as_str(), &ms(&at)]).await.map(|_| ())
    }

    async fn upsert_event_type(&self, et: &EventType) -> Result<(), StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "INSERT INTO event_types (name, grp, description, schema, example, created_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (name) DO UPDATE SET grp = excluded.grp, description = excluded.description,
               schema = excluded.schema, example = excluded.example",
            &[
                &et.name,
                &et.group,
                &et.description,
                &et.schema.as_ref().map(to_json),
                &et.example.as_ref().map(to_json),
                &ms(&et.created_at),
            ],
        )
        .await
        .map(|_| ())
    }

    async fn get_event_type(&self, name: &str) -> Result<EventType, StoreError> {
        let c = self.client().await?;
        one(&c, &format!("SELECT {} FROM event_types WHERE name = $1", r::EVENT_TYPE_COLS), &[&name], r::event_type)
            .await
    }

    async fn list_event_types(&self) -> Result<Vec<EventType>, StoreError> {
        let c = self.client().await?;
        all(
            &c,
            &format!("SELECT {} FROM event_types ORDER BY grp COLLATE \"C\", name COLLATE \"C\"", r::EVENT_TYPE_COLS),
            &[],
            r::event_type,
        )
        .await
    }

    async fn create_webhook(&self, w: &Webhook) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(map_err)?;
        exec(&tx, WEBHOOK_INSERT, &refs(&webhook_params(w))).await?;
        insert_webhook_types(&tx, &w.org_id, &w.id, &w.event_types).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn get_webhook(&self, org: &OrgId, id: &WebhookId) -> Result<Webhook, StoreError> {
        let c = self.client().await?;
        get_webhook_in(&c, org.as_str(), id.as_str()).await
    }

    async fn edit_webhook(&self, edit: &WebhookEdit) -> Result<Webhook, StoreError> {
        let (org, id) = (&edit.org_id, &edit.id);
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(map_err)?;
        if execute(&tx, edit.update(Dialect::Postgres)).await? == 0 {
            return Err(missing_or_stale(&tx, org.as_str(), id.as_str()).await);
        }
        if let Some(types) = &edit.event_types {
            insert_webhook_types(&tx, org, id, types).await?;
        }
        if let Some(o) = &edit.options {
            exec(
                &tx,
                "UPDATE deliveries SET ordered = $2 WHERE webhook_id = $1 AND state = 'pending'",
                &[&id.as_str(), &o.ordered],
            )
            .await?;
        }
        if let Some(status) = &edit.status {
            set_status_in(&tx, org, id, status).await?;
        }
        let w = get_webhook_in(&tx, org.as_str(), id.as_str()).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(w)
    }

    async fn rotate_secret(
        &self,
        org: &OrgId,
        id: &WebhookId,
        secret: &SealedSecret,
        keep_old_until: Option<Timestamp>,
    ) -> Result<Webhook, StoreError> {
        let c = self.client().await?;
        let (until, now) = (keep_old_until.as_ref().map(ms), ms(&chrono::Utc::now()));
        // One statement: the secret moved out is the one stored, whatever edits ran meanwhile.
        let sql = format!(
            "UPDATE webhooks w SET previous_secret = CASE WHEN $4::bigint IS NULL THEN NULL ELSE w.signing_secret END,
               previous_until = $4, signing_secret = $3, updated_at = $5, revision = w.revision + 1
             WHERE w.id = $1 AND w.org_id = $2 RETURNING {}",
            r::WEBHOOK_COLS
        );
        one(&c, &sql, &[&id.as_str(), &org.as_str(), &secret.0, &until, &now], r::webhook).await
    }

    async fn delete_webhooks(&self, org: &OrgId, ids: &[WebhookId]) -> Result<u64, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(map_err)?;
        let now = ms(&chrono::Utc::now());
        let mut n = 0;
        for id in ids {
            let deleted =
                exec(&tx, "DELETE FROM webhooks WHERE id = $1 AND org_id = $2", &[&id.as_str(), &org.as_str()]).await?;
            if deleted > 0 {
                exec(
                    &tx,
                    "UPDATE deliveries SET state = 'failed', next_attempt_at = NULL, leased_by = NULL, updated_at = $2
                     WHERE webhook_id = $1 AND state = 'pending'",
                    &[&id.as_str(), &now],
                )
                .await?;
            }
            n += deleted;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(n)
    }

    async fn list_webhooks(&self, org: &OrgId, req: &PageRequest<WebhookSort>) -> Result<Page<Webhook>, StoreError> {
        let c = self.client().await?;
        let (sort_expr, sort_is_int) = match req.sort {
            WebhookSort::CreatedAt => ("w.id", false),
            WebhookSort::Name => ("w.name", false),
            WebhookSort::Url => ("w.url", false),
            WebhookSort::Owner => ("COALESCE(w.owner_id, '')", false),
            WebhookSort::Status => ("(CASE WHEN w.enabled THEN 1 ELSE 0 END)::bigint", true),
            WebhookSort::LastTriggeredAt => ("COALESCE(w.last_triggered_at, 0)", true),
        };
        let search = ["w.name", "w.url", "w.id", "COALESCE(w.description, '')"];
        let l = Listing {
            from: "webhooks w",
            cols: r::WEBHOOK_COLS,
            id_col: "w.id",
            sort_expr,
            sort_is_int,
            search: &search,
        };
        let (sql, p) = l.sql(vec![("w.org_id = {}", Box::new(org.to_string()))], &[], req);
        let rows = all(&c, &sql, &refs(&p), r::webhook).await?;
        Ok(page(rows, req.limit, |w| {
            let key = match req.sort {
                WebhookSort::CreatedAt => w.id.to_string(),
                WebhookSort::Name => w.name.clone(),
                WebhookSort::Url => w.url.clone(),
                WebhookSort::Owner => w.owner_id.as_ref().map(|o| o.to_string()).unwrap_or_default(),
                WebhookSort::Status => (w.status.enabled as i64).to_string(),
                WebhookSort::LastTriggeredAt => w.last_triggered_at.as_ref().map(ms).unwrap_or(0).to_string(),
            };
            (key, w.id.to_string())
        }))
    }

    async fn publish_leased(
        &self,
        e: &Event,
        audience: &Audience,
        lease: Option<&Lease>,
    ) -> Result<Published, StoreError> {
        self.ingest.publish(&self.pool, e, audience, lease).await
    }

    async fn get_event(&self, org: &OrgId, id: &EventId) -> Result<(Event, Vec<DeliveryId>), StoreError> {
        let c = self.client().await?;
        let sql = format!("SELECT {} FROM events e WHERE e.id = $1 AND e.org_id = $2", r::EVENT_COLS);
        let e = one(&c, &sql, &[&id.as_str(), &org.as_str()], r::event).await?;
        Ok((e, deliveries_of_event(&c, id.as_str()).await?))
    }

    async fn get_delivery(&self, org: &OrgId, id: &DeliveryId) -> Result<Delivery, StoreError> {
        let c = self.client().await?;
        let sql = format!("SELECT {} FROM deliveries d WHERE d.id = $1 AND d.org_id = $2", r::DELIVERY_COLS);
        one(&c, &sql, &[&id.as_str(), &org.as_str()], r::delivery).await
    }

    async fn resend_delivery(&self, org: &OrgId, id: &DeliveryId) -> Result<Delivery, StoreError> {
        let c = self.client().await?;
        let now = ms(&chrono::Utc::now());
        let sql = format!(
            "UPDATE deliveries d SET state = 'pending', next_trigger = 'manual', updated_at = $3,
               next_attempt_at = CASE WHEN d.leased_by IS NULL THEN $3::bigint ELSE d.next_attempt_at END
             WHERE d.id = $1 AND d.org_id = $2 RETURNING {}",
            r::DELIVERY_COLS
        );
        let d = one(&c, &sql, &[&id.as_str(), &org.as_str(), &now], r::delivery).await?;
        exec(&c, "SELECT pg_notify($1, '')", &[&CHANNEL]).await?;
        Ok(d)
    }

    async fn recover_webhook(&self, org: &OrgId, id: &WebhookId, since: Timestamp) -> Result<u64, StoreError> {
        let c = self.client().await?;
        get_webhook_in(&c, org.as_str(), id.as_str()).await?;
        let now = ms(&chrono::Utc::now());
        let n = exec(
            &c,
            "UPDATE deliveries SET state = 'pending', next_trigger = 'manual', next_attempt_at = $3, updated_at = $3
             WHERE webhook_id = $1 AND org_id = $2 AND state = 'failed' AND created_at >= $4",
            &[&id.as_str(), &org.as_str(), &now, &ms(&since)],
        )
        .await?;
        if n > 0 {
            exec(&c, "SELECT pg_notify($1, '')", &[&CHANNEL]).await?;
        }
        Ok(n)
    }

    async fn claim_due(&self, node: &str, lease: Duration, max: usize) -> Result<Vec<Claim>, StoreError> {
        let c = self.client().await?;
        let now = ms(&chrono::Utc::now());
        let until = now + lease.as_millis() as i64;
        // SKIP LOCKED lets nodes claim side by side; an ordered webhook's oldest pending
        // delivery is the only one of its deliveries that can be due.
        let sql = format!(
            "WITH due AS (
               SELECT d.id FROM deliveries d
               WHERE d.state = 'pending' AND d.next_attempt_at <= $1
                 AND (NOT d.ordered OR d.id = (SELECT min(o.id) FROM deliveries o WHERE o.webhook_id = d.webhook_id AND o.state = 'pending'))
               ORDER BY d.next_attempt_at
               LIMIT $4
               FOR UPDATE SKIP LOCKED)
             UPDATE deliveries d SET next_attempt_at = $2, leased_by = $3 FROM due WHERE d.id = due.id
             RETURNING {}",
            r::DELIVERY_COLS
        );
        let params: [(&(dyn ToSql + Sync), Type); 4] =
            [(&now, Type::INT8), (&until, Type::INT8), (&node, Type::TEXT), (&(max as i64), Type::INT8)];
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
                (Some(e), Some(w)) => claims.push(Claim { event: e.clone(), webhook: w.clone(), delivery: d }),
                // The webhook was deleted after the claim query started.
                _ => {
                    exec(&c, "UPDATE deliveries SET state = 'failed', next_attempt_at = NULL, leased_by = NULL WHERE id = $1", &[&d.id.as_str()])
                        .await?;
                }
            }
        }
        Ok(claims)
    }

    async fn webhooks_by_id(&self, ids: &[WebhookId]) -> Result<Vec<Webhook>, StoreError> {
        let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        let c = self.client().await?;
        all(&c, &format!("SELECT {} FROM webhooks w WHERE w.id = ANY($1)", r::WEBHOOK_COLS), &[&ids], r::webhook).await
    }

    async fn record_attempts(&self, records: Vec<AttemptRecord>) -> Result<(), StoreError> {
        let mut c = self.client().await?;
        let now = ms(&chrono::Utc::now());
        let batch = RecordBatch::new(&records, now);
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

    async fn next_due_at(&self) -> Result<Option<Timestamp>, StoreError> {
        let c = self.client().await?;
        let min =
            all_planned(&**c, "SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending'", &[], |row| {
                row.try_get::<_, Option<i64>>(0).map_err(map_err)
            })
            .await?;
        Ok(min.into_iter().flatten().next().map(r::ts))
    }

    async fn backlog(&self) -> Result<Backlog, StoreError> {
        let c = self.client().await?;
        let now = ms(&chrono::Utc::now());
        one(
            &c,
            "SELECT count(*), count(*) FILTER (WHERE next_attempt_at <= $1) FROM deliveries WHERE state = 'pending'",
            &[&now],
            |row| {
                let pending: i64 = row.try_get(0).map_err(map_err)?;
                let due: i64 = row.try_get(1).map_err(map_err)?;
                Ok(Backlog { pending: pending as u64, due: due as u64 })
            },
        )
        .await
    }

    async fn list_attempts(
        &self,
        org: &OrgId,
        filter: &AttemptFilter,
        req: &PageRequest<AttemptSort>,
    ) -> Result<Page<Attempt>, StoreError> {
        let c = self.client().await?;
        let (sql, p) = attempts_listing(org, filter, req);
        let rows = all(&c, &sql, &refs(&p), |row| r::attempt(row, false)).await?;
        Ok(page(rows, req.limit, |a| {
            let key = match req.sort {
                AttemptSort::SentAt => a.id.to_string(),
                AttemptSort::Url => a.url.clone(),
                AttemptSort::Result => a.response_status.unwrap_or(0).to_string(),
            };
            (key, a.id.to_string())
        }))
    }

    async fn get_attempt(&self, org: &OrgId, id: &AttemptId) -> Result<Attempt, StoreError> {
        let c = self.client().await?;
        let sql = format!(
            "SELECT {}, {} FROM attempts a WHERE a.id = $1 AND a.org_id = $2",
            r::ATTEMPT_SUMMARY_COLS,
            r::ATTEMPT_DETAIL_COLS
        );
        let mut a = one(&c, &sql, &[&id.as_str(), &org.as_str()], |row| r::attempt(row, true)).await?;
        if matches!(a.request_body, RequestBody::Rendered(_)) {
            // The attempt is the org's, so are the events it was sent with, a child org's included.
            let ids: Vec<&str> = a.event_ids.iter().map(|e| e.as_str()).collect();
            let sql = format!("SELECT {} FROM events e WHERE e.id = ANY($1)", r::EVENT_COLS);
            let events = all(&c, &sql, &[&ids], r::event).await?;
            r::render_again(&mut a, &events);
        }
        Ok(a)
    }

    async fn prune(&self, before: Timestamp, max: usize) -> Result<u64, StoreError> {
        // IDs sort by creation time, so "older than" is a range scan of each primary key. A
        // delivery stays while it has a newer attempt (a late re-send), so its event does too:
        // the attempt's body is made again from the event.
        let t = ms(&before).max(0) as u64;
        let (att, dlv, evt) = (AttemptId::floor(t), DeliveryId::floor(t), EventId::floor(t));
        let max = max as i64;
        let c = self.client().await?;
        let mut n = exec(
            &c,
            "DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE id < $1 ORDER BY id LIMIT $2)",
            &[&att, &max],
        )
        .await?;
        n += exec(
            &c,
            "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries
               WHERE id < $1 AND state != 'pending' AND updated_at < $3 ORDER BY id LIMIT $2)",
            &[&dlv, &max, &ms(&before)],
        )
        .await?;
        n += exec(
            &c,
            "DELETE FROM events WHERE id IN (SELECT e.id FROM events e WHERE e.id < $1
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) ORDER BY e.id LIMIT $2)",
            &[&evt, &max],
        )
        .await?;
        Ok(n)
    }

    async fn delivery_states(
        &self,
        org: &OrgId,
        event: &EventId,
    ) -> Result<Vec<(DeliveryId, DeliveryState)>, StoreError> {
        let c = self.client().await?;
        let sql = format!(
            "SELECT {} FROM deliveries d WHERE d.event_id = $1 AND d.org_id = $2 ORDER BY d.id",
            r::DELIVERY_COLS
        );
        all(&c, &sql, &[&event.as_str(), &org.as_str()], |row| r::delivery(row).map(|d| (d.id, d.state))).await
    }
}

/// A batch of attempt records as one statement: the attempts inserted, their deliveries moved
/// on, and one update per webhook, each from arrays (`unnest`), so its cost does not grow
/// with round trips. A manual re-send requested while an attempt was in flight keeps its
/// delivery due. A healthy webhook's row is left alone unless `last_triggered_at` moves by a
/// second or more: every node's batches would otherwise queue on that one row lock.
const RECORD: &str = "WITH a AS (
    INSERT INTO attempts (id, org_id, delivery_id, webhook_id, event_ids, url, sent_at, response_status, duration_ms,
      error_kind, error_message, trigger, request_headers, request_body, request_recipe, response_headers, response_body)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
      $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
      $16::text[], $17::text[])
  ), d AS (
    UPDATE deliveries SET
      state = CASE WHEN next_trigger = 'manual' AND NOT u.manual THEN 'pending' ELSE u.state END,
      next_attempt_at = CASE WHEN next_trigger = 'manual' AND NOT u.manual THEN $28::bigint ELSE u.next END,
      next_trigger = CASE WHEN u.counted = 0 THEN next_trigger
                          WHEN next_trigger = 'manual' AND NOT u.manual THEN 'manual' ELSE 'retry' END,
      attempts = attempts + u.counted, leased_by = NULL, updated_at = $28::bigint
    FROM unnest($18::text[], $19::text[], $20::bigint[], $21::bigint[], $22::boolean[]) AS u (id, state, next, counted, manual)
    WHERE deliveries.id = u.id
  )
  UPDATE webhooks w SET
    last_triggered_at = CASE WHEN e.reset THEN e.sent ELSE GREATEST(COALESCE(w.last_triggered_at, 0), e.sent) END,
    failing_since = CASE WHEN e.reset THEN e.since ELSE COALESCE(w.failing_since, e.since) END,
    failed_deliveries = CASE WHEN e.reset THEN e.failed ELSE w.failed_deliveries + e.failed END,
    revision = w.revision + 1
  FROM unnest($23::text[], $24::bigint[], $25::bigint[], $26::bigint[], $27::boolean[]) AS e (id, sent, since, failed, reset)
  WHERE w.id = e.id AND (NOT e.reset OR w.failing_since IS DISTINCT FROM e.since OR w.failed_deliveries <> e.failed
    OR w.last_triggered_at IS NULL OR w.last_triggered_at < e.sent - 1000)";

/// [`RECORD`]'s parameters, column by column.
#[derive(Default)]
struct RecordBatch {
    a_id: Vec<String>,
    a_org: Vec<String>,
    a_delivery: Vec<String>,
    a_webhook: Vec<String>,
    a_events: Vec<String>,
    a_url: Vec<String>,
    a_sent: Vec<i64>,
    a_status: Vec<Option<i64>>,
    a_duration: Vec<i64>,
    a_error_kind: Vec<Option<&'static str>>,
    a_error_message: Vec<Option<String>>,
    a_trigger: Vec<&'static str>,
    a_req_headers: Vec<String>,
    a_req_body: Vec<String>,
    a_req_recipe: Vec<Option<String>>,
    a_resp_headers: Vec<String>,
    a_resp_body: Vec<String>,
    d_id: Vec<String>,
    d_state: Vec<&'static str>,
    d_next: Vec<Option<i64>>,
    d_counted: Vec<i64>,
    d_manual: Vec<bool>,
    w_id: Vec<String>,
    w_sent: Vec<i64>,
    w_since: Vec<Option<i64>>,
    w_failed: Vec<i64>,
    w_reset: Vec<bool>,
    now: i64,
}

impl RecordBatch {
    fn new(records: &[AttemptRecord], now: i64) -> Self {
        let mut b = RecordBatch { now, ..Default::default() };
        for rec in records {
            if let Some(a) = &rec.attempt {
                b.a_id.push(a.id.to_string());
                b.a_org.push(a.org_id.to_string());
                b.a_delivery.push(a.delivery_id.to_string());
                b.a_webhook.push(a.webhook_id.to_string());
                b.a_events.push(to_json(&a.event_ids));
                b.a_url.push(a.url.clone());
                b.a_sent.push(ms(&a.sent_at));
                b.a_status.push(a.response_status.map(i64::from));
                b.a_duration.push(a.duration_ms as i64);
                b.a_error_kind.push(a.error.as_ref().map(|e| e.kind.as_str()));
                b.a_error_message.push(a.error.as_ref().map(|e| e.message.clone()));
                b.a_trigger.push(a.trigger.as_str());
                b.a_req_headers.push(to_json(&a.request_headers));
                b.a_req_body.push(r::body_text(&a.request_body).to_owned());
                b.a_req_recipe.push(r::body_recipe(&a.request_body));
                b.a_resp_headers.push(to_json(&a.response_headers));
                b.a_resp_body.push(a.response_body.clone());
            }
            let (state, next) = match &rec.outcome {
                Outcome::Succeeded => (DeliveryState::Succeeded, None),
                Outcome::RetryAt(t) => (DeliveryState::Pending, Some(ms(t))),
                Outcome::Failed => (DeliveryState::Failed, None),
            };
            b.d_id.push(rec.delivery_id.to_string());
            b.d_state.push(state.as_str());
            b.d_next.push(next);
            b.d_counted.push(rec.attempt.is_some() as i64);
            b.d_manual.push(rec.attempt.as_ref().is_none_or(|a| a.trigger == hookd_core::model::Trigger::Manual));
        }
        let mut effects = crate::webhook_effects(records);
        // Rows locked in one order by every node: concurrent batches cannot deadlock.
        effects.sort_by(|x, y| x.webhook_id.as_str().cmp(y.webhook_id.as_str()));
        for e in effects {
            b.w_id.push(e.webhook_id.to_string());
            b.w_sent.push(ms(&e.last_triggered_at));
            b.w_since.push(e.failing_since.as_ref().map(ms));
            b.w_failed.push(e.failed_deliveries);
            b.w_reset.push(e.reset);
        }
        b
    }

    /// The values in [`RECORD`]'s order, each with its type (it goes unprepared: see
    /// [`all_planned`]).
    fn params(&self) -> [(&(dyn ToSql + Sync), Type); 28] {
        [
            (&self.a_id, Type::TEXT_ARRAY),
            (&self.a_org, Type::TEXT_ARRAY),
            (&self.a_delivery, Type::TEXT_ARRAY),
            (&self.a_webhook, Type::TEXT_ARRAY),
            (&self.a_events, Type::TEXT_ARRAY),
            (&self.a_url, Type::TEXT_ARRAY),
            (&self.a_sent, Type::INT8_ARRAY),
            (&self.a_status, Type::INT8_ARRAY),
            (&self.a_duration, Type::INT8_ARRAY),
            (&self.a_error_kind, Type::TEXT_ARRAY),
            (&self.a_error_message, Type::TEXT_ARRAY),
            (&self.a_trigger, Type::TEXT_ARRAY),
            (&self.a_req_headers, Type::TEXT_ARRAY),
            (&self.a_req_body, Type::TEXT_ARRAY),
            (&self.a_req_recipe, Type::TEXT_ARRAY),
            (&self.a_resp_headers, Type::TEXT_ARRAY),
            (&self.a_resp_body, Type::TEXT_ARRAY),
            (&self.d_id, Type::TEXT_ARRAY),
            (&self.d_state, Type::TEXT_ARRAY),
            (&self.d_next, Type::INT8_ARRAY),
            (&self.d_counted, Type::INT8_ARRAY),
            (&self.d_manual, Type::BOOL_ARRAY),
            (&self.w_id, Type::TEXT_ARRAY),
            (&self.w_sent, Type::INT8_ARRAY),
            (&self.w_since, Type::INT8_ARRAY),
            (&self.w_failed, Type::INT8_ARRAY),
            (&self.w_reset, Type::BOOL_ARRAY),
            (&self.now, Type::INT8),
        ]
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::Cursor;

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
        let batch = RecordBatch::new(&[failed(&d1), failed(&d2)], 0);
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
        let by_webhook = AttemptFilter { webhook_id: Some(webhook), succeeded: None };
        for filter in [by_webhook, AttemptFilter::default()] {
            let next =
                Cursor { key: "att_00000000000000000000015000".into(), id: "att_00000000000000000000015000".into() };
            for cursor in [None, Some(next)] {
                let req = PageRequest { limit: 50, cursor, sort: AttemptSort::SentAt, order: Order::Desc, q: None };
                let (sql, params) = attempts_listing(&org, &filter, &req);
                let plan: Vec<String> = c
                    .query(&format!("EXPLAIN {sql}"), &refs(&params))
                    .await
                    .expect("explain")
                    .iter()
                    .map(|r| r.get::<_, String>(0))
                    .collect();
                let plan = plan.join("\n");
                assert!(plan.starts_with("Limit") && plan.contains("Index Scan Backward using attempts_"), "{plan}");
                assert!(!plan.contains("attempts_pkey"), "reads other orgs' rows: {plan}");
                assert!(!plan.contains("Sort") && !plan.contains("Seq Scan"), "reads or sorts every row: {plan}");
            }
        }
    }
}
