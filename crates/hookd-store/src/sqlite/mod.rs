//! The embedded backend: one SQLite file in WAL mode, one writer thread with group commit.

mod conn;
mod rows;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use hookd_core::model::{
    AccessToken, Attempt, Delivery, DeliveryState, Event, EventType, Member, Org, RequestBody, Webhook, WebhookStatus,
};
use hookd_core::operational;
use hookd_core::secret::SealedSecret;
use hookd_core::{AttemptId, DeliveryId, EventId, MemberId, OrgId, TokenId, WebhookId};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use self::conn::{Db, map_err};
use self::rows::{Target, ms, to_json};
use crate::page::{like, not_found_if_zero, page};
use crate::sql::{self, Dialect, SqlValue, Statement};
use crate::{
    AttemptFilter, AttemptRecord, AttemptSort, Audience, Backlog, Claim, Cursor, Lease, Order, Outcome, Page,
    PageRequest, Published, Store, StoreError, Timestamp, WebhookEdit, WebhookSort,
};

pub struct SqliteStore {
    db: Db,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`, and takes the file
    /// lock that keeps a second process away. Deliveries left leased by a previous process
    /// of this file are made due at once: with the lock held, nobody else is sending them.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let db = Db::open(path)?;
        let store = Self { db };
        let now = ms(&chrono::Utc::now());
        store
            .db
            .write(move |c| {
                c.execute(
                    "UPDATE deliveries SET next_attempt_at = ?1, leased_by = NULL
                     WHERE state = 'pending' AND leased_by IS NOT NULL",
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
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display())))?;
        }
        let c = Connection::open(path).map_err(map_err)?;
        conn::migrate(&c)
    }
}

/// One keyset listing: scope (always includes the org), optional search, sort and cursor.
struct Listing<'a> {
    from: &'a str,
    cols: &'a str,
    id_col: &'a str,
    sort_expr: &'a str,
    sort_is_int: bool,
    search: &'a [&'a str],
}

impl Listing<'_> {
    fn sql(
        &self,
        mut scope: Vec<(String, Vec<Value>)>,
        order: Order,
        cursor: Option<&Cursor>,
        q: Option<&str>,
        limit: usize,
    ) -> (String, Vec<Value>) {
        if let Some(q) = q.filter(|q| !q.is_empty()) {
            let cond = self.search.iter().map(|c| format!("{c} LIKE ? ESCAPE '\\'")).collect::<Vec<_>>().join(" OR ");
            scope.push((format!("({cond})"), vec![Value::Text(like(q)); self.search.len()]));
        }
        let (cmp, dir) = match order {
            Order::Asc => (">", "ASC"),
            Order::Desc => ("<", "DESC"),
        };
        if let Some(c) = cursor {
            let key =
                if self.sort_is_int { Value::Integer(c.key.parse().unwrap_or(0)) } else { Value::Text(c.key.clone()) };
            let (e, id) = (self.sort_expr, self.id_col);
            // Sorted by the ID itself, the cursor is one range bound the index can seek to.
            scope.push(if e == id {
                (format!("{id} {cmp} ?"), vec![Value::Text(c.id.clone())])
            } else {
                (
                    format!("({e} {cmp} ? OR ({e} = ? AND {id} {cmp} ?))"),
                    vec![key.clone(), key, Value::Text(c.id.clone())],
                )
            });
        }
        let mut params = Vec::new();
        let conds: Vec<String> = scope
            .into_iter()
            .map(|(c, p)| {
                params.extend(p);
                c
            })
            .collect();
        let where_ = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
        // Sorted by the ID alone, the index that ends in it gives the order (a second, equal
        // term would make SQLite sort the rows again).
        let order = if self.sort_expr == self.id_col {
            format!("{} {dir}", self.id_col)
        } else {
            format!("{} {dir}, {} {dir}", self.sort_expr, self.id_col)
        };
        let sql = format!("SELECT {} FROM {} {where_} ORDER BY {order} LIMIT {}", self.cols, self.from, limit + 1);
        (sql, params)
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

fn insert_webhook_types(c: &Connection, org: &OrgId, id: &WebhookId, types: &[String]) -> Result<(), StoreError> {
    c.execute("DELETE FROM webhook_event_types WHERE webhook_id = ?1", [id.as_str()]).map_err(map_err)?;
    let mut stmt = c
        .prepare_cached(
            "INSERT OR IGNORE INTO webhook_event_types (org_id, event_type, webhook_id) VALUES (?1, ?2, ?3)",
        )
        .map_err(map_err)?;
    for t in types {
        stmt.execute(params![org.as_str(), t, id.as_str()]).map_err(map_err)?;
    }
    Ok(())
}

fn webhook_params(w: &Webhook) -> Vec<Value> {
    let opt_text = |s: Option<String>| s.map(Value::Text).unwrap_or(Value::Null);
    vec![
        Value::Text(w.id.to_string()),
        Value::Text(w.org_id.to_string()),
        Value::Text(w.name.clone()),
        Value::Text(w.url.clone()),
        opt_text(w.description.clone()),
        Value::Text(to_json(&w.event_types)),
        Value::Text(w.environment.as_str().into()),
        opt_text(w.owner_id.as_ref().map(|o| o.to_string())),
        Value::Integer(w.include_child_orgs as i64),
        Value::Text(to_json(&w.options)),
        Value::Integer(w.signing_enabled as i64),
        Value::Blob(w.signing_secret.0.clone()),
        w.previous_secret.as_ref().map(|(s, _)| Value::Blob(s.0.clone())).unwrap_or(Value::Null),
        w.previous_secret.as_ref().map(|(_, u)| Value::Integer(ms(u))).unwrap_or(Value::Null),
        Value::Blob(w.auth.0.clone()),
        Value::Integer(w.status.enabled as i64),
        opt_text(w.status.reason.clone()),
        Value::Integer(ms(&w.status.changed_at)),
        opt_text(w.status.changed_by.clone()),
        Value::Integer(ms(&w.created_at)),
        Value::Integer(ms(&w.updated_at)),
        w.last_triggered_at.as_ref().map(|t| Value::Integer(ms(t))).unwrap_or(Value::Null),
    ]
}

const WEBHOOK_INSERT: &str = "INSERT INTO webhooks (id, org_id, name, url, description, event_types, environment, \
    owner_id, include_child_orgs, options, signing_enabled, signing_secret, previous_secret, previous_until, auth, \
    enabled, status_reason, status_changed_at, status_changed_by, created_at, updated_at, last_triggered_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";

fn value(v: SqlValue) -> Value {
    match v {
        SqlValue::Null => Value::Null,
        SqlValue::Int(i) => Value::Integer(i),
        SqlValue::Text(t) => Value::Text(t),
        SqlValue::Blob(b) => Value::Blob(b),
        SqlValue::Bool(b) => Value::Integer(b as i64),
    }
}

fn execute(c: &Connection, st: Statement) -> Result<usize, StoreError> {
    c.prepare_cached(&st.sql)
        .map_err(map_err)?
        .execute(params_from_iter(st.params.into_iter().map(value)))
        .map_err(map_err)
}

/// Sets the status if `enabled` changes, and then publishes the operational event with it:
/// the one way a webhook is enabled or disabled, for edits and the engine alike.
fn set_status_in(c: &Connection, org: &OrgId, id: &WebhookId, status: &WebhookStatus) -> Result<(), StoreError> {
    if execute(c, sql::set_status(Dialect::Sqlite, org, id, status))? > 0 {
        let w = get_webhook_in(c, org.as_str(), id.as_str())?;
        publish_in(c, &operational::announcement(&w), &Audience::Subscribers, None)?;
    }
    Ok(())
}

/// `NotFound` when the webhook is gone, `Stale` when it is there at another revision.
fn missing_or_stale(c: &Connection, org: &str, id: &str) -> StoreError {
    match c.query_row("SELECT 1 FROM webhooks WHERE id = ?1 AND org_id = ?2", [id, org], |_| Ok(())) {
        Ok(()) => StoreError::Stale,
        Err(e) => map_err(e),
    }
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
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.db.check()?;
        self.db.read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(map_err)).await
    }

    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let key = key.to_owned();
        self.db
            .read(move |c| {
                c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
                    .optional()
                    .map_err(map_err)
            })
            .await
    }

    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.db
            .write(move |c| {
                c.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [&key, &value],
                )
                .map(|_| ())
                .map_err(map_err)
            })
            .await
    }

    async fn init_setting(&self, key: &str, value: &str) -> Result<String, StoreError> {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.db
            .write(move |c| {
                c.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                    [&key, &value],
                )
                .map_err(map_err)?;
                c.query_row("SELECT value FROM settings WHERE key = ?1", [&key], |r| r.get(0)).map_err(map_err)
            })
            .await
    }

    async fn any_signing_secret(&self) -> Result<Option<SealedSecret>, StoreError> {
        self.db
            .read(|c| {
                c.query_row("SELECT signing_secret FROM webhooks LIMIT 1", [], |r| r.get(0))
                    .optional()
                    .map(|b| b.map(SealedSecret))
                    .map_err(map_err)
            })
            .await
    }

    async fn create_org(&self, org: &Org) -> Result<(), StoreError> {
        let o = org.clone();
        self.db
            .write(move |c| {
                c.execute(
                    "INSERT INTO orgs (id, name, parent_id, features, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        o.id.as_str(),
                        o.name,
                        o.parent_id.as_ref().map(|p| p.to_string()),
                        to_json(&o.features),
                        ms(&o.created_at)
                    ],
                )
                .map(|_| ())
                .map_err(map_err)
            })
            .await
    }

    async fn get_org(&self, id: &OrgId) -> Result<Org, StoreError> {
        let id = id.to_string();
        self.db
            .read(move |c| {
                c.query_row(&format!("SELECT {} FROM orgs WHERE id = ?1", rows::ORG_COLS), [id], rows::org)
                    .map_err(map_err)
            })
            .await
    }

    async fn update_org(&self, org: &Org) -> Result<(), StoreError> {
        let o = org.clone();
        self.db
            .write(move |c| {
                let n = c
                    .execute(
                        "UPDATE orgs SET name = ?2, parent_id = ?3, features = ?4 WHERE id = ?1",
                        params![
                            o.id.as_str(),
                            o.name,
                            o.parent_id.as_ref().map(|p| p.to_string()),
                            to_json(&o.features)
                        ],
                    )
                    .map_err(map_err)?;
                not_found_if_zero(n as u64)
            })
            .await
    }

    async fn list_orgs(&self, req: &PageRequest<()>) -> Result<Page<Org>, StoreError> {
        let req = req.clone();
        self.db
            .read(move |c| {
                let l = Listing {
                    from: "orgs",
                    cols: rows::ORG_COLS,
                    id_col: "id",
                    sort_expr: "id",
                    sort_is_int: false,
                    search: &["name", "id"],
                };
                let (sql, p) = l.sql(vec![], req.order, req.cursor.as_ref(), req.q.as_deref(), req.limit);
                let rows = query_all(c, &sql, p, rows::org)?;
                Ok(page(rows, req.limit, |o| (o.id.to_string(), o.id.to_string())))
            })
            .await
    }

    async fn create_member(&self, m: &Member) -> Result<(), StoreError> {
        let m = m.clone();
        self.db
            .write(move |c| {
                c.execute(
                    &format!(
                        "INSERT INTO members ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        rows::MEMBER_COLS
                    ),
                    params![
                        m.id.as_str(),
                        m.org_id.as_str(),
                        m.name,
                        m.email,
                        m.phone,
                        m.role.as_str(),
                        to_json(&m.groups),
                        m.external_id,
                        m.status.as_str(),
                        ms(&m.created_at)
                    ],
                )
                .map(|_| ())
                .map_err(map_err)
            })
            .await
    }

    async fn get_member(&self, org: &OrgId, id: &MemberId) -> Result<Member, StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        self.db
            .read(move |c| {
                c.query_row(
                    &format!("SELECT {} FROM members WHERE id = ?1 AND org_id = ?2", rows::MEMBER_COLS),
                    [id, org],
                    rows::member,
                )
                .map_err(map_err)
            })
            .await
    }

    async fn update_member(&self, m: &Member) -> Result<(), StoreError> {
        let m = m.clone();
        self.db
            .write(move |c| {
                let n = c
                    .execute(
                        "UPDATE members SET name = ?3, email = ?4, phone = ?5, role = ?6, groups = ?7, external_id = ?8, status = ?9
                         WHERE id = ?1 AND org_id = ?2",
                        params![
                            m.id.as_str(), m.org_id.as_str(), m.name, m.email, m.phone, m.role.as_str(), to_json(&m.groups),
                            m.external_id, m.status.as_str()
                        ],
                    )
                    .map_err(map_err)?;
                not_found_if_zero(n as u64)
            })
            .await
    }

    async fn delete_member(&self, org: &OrgId, id: &MemberId) -> Result<(), StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        self.db
            .write(move |c| {
                let n = c.execute("DELETE FROM members WHERE id = ?1 AND org_id = ?2", [&id, &org]).map_err(map_err)?;
                not_found_if_zero(n as u64)
            })
            .await
    }

    async fn list_members(&self, org: &OrgId, req: &PageRequest<()>) -> Result<Page<Member>, StoreError> {
        let (org, req) = (org.to_string(), req.clone());
        self.db
            .read(move |c| {
                let l = Listing {
                    from: "members",
                    cols: rows::MEMBER_COLS,
                    id_col: "id",
                    sort_expr: "id",
                    sort_is_int: false,
                    search: &["name", "email"],
                };
                let (sql, p) = l.sql(
                    vec![("org_id = ?".into(), vec![Value::Text(org)])],
                    req.order,
                    req.cursor.as_ref(),
                    req.q.as_deref(),
                    req.limit,
                );
                let rows = query_all(c, &sql, p, rows::member)?;
                Ok(page(rows, req.limit, |m| (m.id.to_string(), m.id.to_string())))
            })
            .await
    }

    async fn create_token(&self, t: &AccessToken, hash: &[u8; 32]) -> Result<(), StoreError> {
        let (t, hash) = (t.clone(), hash.to_vec());
        self.db
            .write(move |c| {
                c.execute(
                    "INSERT INTO tokens (id, org_id, name, role, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![t.id.as_str(), t.org_id.as_str(), t.name, t.role.as_str(), hash, ms(&t.created_at)],
                )
                .map(|_| ())
                .map_err(map_err)
            })
            .await
    }

    async fn token_by_hash(&self, hash: &[u8; 32]) -> Result<Option<AccessToken>, StoreError> {
        let hash = hash.to_vec();
        self.db
            .read(move |c| {
                c.prepare_cached(&format!("SELECT {} FROM tokens WHERE hash = ?1", rows::TOKEN_COLS))
                    .map_err(map_err)?
                    .query_row([hash], rows::token)
                    .optional()
                    .map_err(map_err)
            })
            .await
    }

    async fn list_tokens(&self, org: &OrgId, req: &PageRequest<()>) -> Result<Page<AccessToken>, StoreError> {
        let (org, req) = (org.to_string(), req.clone());
        self.db
            .read(move |c| {
                let l = Listing {
                    from: "tokens",
                    cols: rows::TOKEN_COLS,
                    id_col: "id",
                    sort_expr: "id",
                    sort_is_int: false,
                    search: &["name"],
                };
                let (sql, p) = l.sql(
                    vec![("org_id = ?".into(), vec![Value::Text(org)])],
                    req.order,
                    req.cursor.as_ref(),
                    req.q.as_deref(),
                    req.limit,
                );
                let rows = query_all(c, &sql, p, rows::token)?;
                Ok(page(rows, req.limit, |t| (t.id.to_string(), t.id.to_string())))
            })
            .await
    }

    async fn rename_token(&self, org: &OrgId, id: &TokenId, name: &str) -> Result<AccessToken, StoreError> {
        let (org, id, name) = (org.to_string(), id.to_string(), name.to_owned());
        self.db
            .write(move |c| {
                c.query_row(
                    &format!(
                        "UPDATE tokens SET name = ?3 WHERE id = ?1 AND org_id = ?2 RETURNING {}",
                        rows::TOKEN_COLS
                    ),
                    [&id, &org, &name],
                    rows::token,
                )
                .map_err(map_err)
            })
            .await
    }

    async fn delete_token(&self, org: &OrgId, id: &TokenId) -> Result<(), StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        self.db
            .write(move |c| {
                let n = c.execute("DELETE FROM tokens WHERE id = ?1 AND org_id = ?2", [&id, &org]).map_err(map_err)?;
                not_found_if_zero(n as u64)
            })
            .await
    }

    async fn touch_token(&self, id: &TokenId, at: Timestamp) -> Result<(), StoreError> {
        let (id, at) = (id.to_string(), ms(&at));
        self.db
            .write(move |c| {
                c.execute("UPDATE tokens SET last_used_at = ?2 WHERE id = ?1", params![id, at])
                    .map(|_| ())
                    .map_err(map_err)
            })
            .await
    }

    async fn upsert_event_type(&self, et: &EventType) -> Result<(), StoreError> {
        let et = et.clone();
        self.db
            .write(move |c| {
                c.execute(
                    "INSERT INTO event_types (name, grp, description, schema, example, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (name) DO UPDATE SET grp = excluded.grp, description = excluded.description,
                       schema = excluded.schema, example = excluded.example",
                    params![
                        et.name, et.group, et.description, et.schema.as_ref().map(to_json), et.example.as_ref().map(to_json),
                        ms(&et.created_at)
                    ],
                )
                .map(|_| ())
                .map_err(map_err)
            })
            .await
    }

    async fn get_event_type(&self, name: &str) -> Result<EventType, StoreError> {
        let name = name.to_owned();
        self.db
            .read(move |c| {
                c.prepare_cached(&format!("SELECT {} FROM event_types WHERE name = ?1", rows::EVENT_TYPE_COLS))
                    .map_err(map_err)?
                    .query_row([name], rows::event_type)
                    .map_err(map_err)
            })
            .await
    }

    async fn list_event_types(&self) -> Result<Vec<EventType>, StoreError> {
        self.db
            .read(|c| {
                query_all(
                    c,
                    &format!("SELECT {} FROM event_types ORDER BY grp, name", rows::EVENT_TYPE_COLS),
                    vec![],
                    rows::event_type,
                )
            })
            .await
    }

    async fn create_webhook(&self, w: &Webhook) -> Result<(), StoreError> {
        let w = w.clone();
        self.db
            .write(move |c| {
                c.execute(WEBHOOK_INSERT, params_from_iter(webhook_params(&w))).map_err(map_err)?;
                insert_webhook_types(c, &w.org_id, &w.id, &w.event_types)
            })
            .await
    }

    async fn get_webhook(&self, org: &OrgId, id: &WebhookId) -> Result<Webhook, StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        self.db.read(move |c| get_webhook_in(c, &org, &id)).await
    }

    async fn edit_webhook(&self, edit: &WebhookEdit) -> Result<Webhook, StoreError> {
        let edit = edit.clone();
        self.db
            .write(move |c| {
                let (org, id) = (&edit.org_id, &edit.id);
                if execute(c, edit.update(Dialect::Sqlite))? == 0 {
                    return Err(missing_or_stale(c, org.as_str(), id.as_str()));
                }
                if let Some(types) = &edit.event_types {
                    insert_webhook_types(c, org, id, types)?;
                }
                if let Some(o) = &edit.options {
                    c.execute(
                        "UPDATE deliveries SET ordered = ?2 WHERE webhook_id = ?1 AND state = 'pending'",
                        params![id.as_str(), o.ordered],
                    )
                    .map_err(map_err)?;
                }
                if let Some(status) = &edit.status {
                    set_status_in(c, org, id, status)?;
                }
                get_webhook_in(c, org.as_str(), id.as_str())
            })
            .await
    }

    async fn rotate_secret(
        &self,
        org: &OrgId,
        id: &WebhookId,
        secret: &SealedSecret,
        keep_old_until: Option<Timestamp>,
    ) -> Result<Webhook, StoreError> {
        let (org, id, secret) = (org.to_string(), id.to_string(), secret.0.clone());
        let (until, now) = (keep_old_until.as_ref().map(ms), ms(&chrono::Utc::now()));
        self.db
            .write(move |c| {
                // One statement: the secret moved out is the one stored, whatever edits ran meanwhile.
                let n = c
                    .execute(
                        "UPDATE webhooks SET previous_secret = CASE WHEN ?4 IS NULL THEN NULL ELSE signing_secret END,
                           previous_until = ?4, signing_secret = ?3, updated_at = ?5, revision = revision + 1
                         WHERE id = ?1 AND org_id = ?2",
                        params![id, org, secret, until, now],
                    )
                    .map_err(map_err)?;
                not_found_if_zero(n as u64)?;
                get_webhook_in(c, &org, &id)
            })
            .await
    }

    async fn delete_webhooks(&self, org: &OrgId, ids: &[WebhookId]) -> Result<u64, StoreError> {
        let (org, ids) = (org.to_string(), ids.to_vec());
        let now = ms(&chrono::Utc::now());
        self.db
            .write(move |c| {
                let mut n = 0;
                for id in &ids {
                    let deleted = c.execute("DELETE FROM webhooks WHERE id = ?1 AND org_id = ?2", [id.as_str(), &org]).map_err(map_err)?;
                    if deleted > 0 {
                        c.execute(
                            "UPDATE deliveries SET state = 'failed', next_attempt_at = NULL, leased_by = NULL, updated_at = ?2
                             WHERE webhook_id = ?1 AND state = 'pending'",
                            params![id.as_str(), now],
                        )
                        .map_err(map_err)?;
                    }
                    n += deleted as u64;
                }
                Ok(n)
            })
            .await
    }

    async fn list_webhooks(&self, org: &OrgId, req: &PageRequest<WebhookSort>) -> Result<Page<Webhook>, StoreError> {
        let (org, req) = (org.to_string(), req.clone());
        self.db
            .read(move |c| {
                let (sort_expr, sort_is_int) = match req.sort {
                    WebhookSort::CreatedAt => ("w.id", false),
                    WebhookSort::Name => ("w.name", false),
                    WebhookSort::Url => ("w.url", false),
                    WebhookSort::Owner => ("COALESCE(w.owner_id, '')", false),
                    WebhookSort::Status => ("w.enabled", true),
                    WebhookSort::LastTriggeredAt => ("COALESCE(w.last_triggered_at, 0)", true),
                };
                let l = Listing {
                    from: "webhooks w",
                    cols: rows::WEBHOOK_COLS,
                    id_col: "w.id",
                    sort_expr,
                    sort_is_int,
                    search: &["w.name", "w.url", "w.id", "w.description"],
                };
                let (sql, p) = l.sql(
                    vec![("w.org_id = ?".into(), vec![Value::Text(org)])],
                    req.order,
                    req.cursor.as_ref(),
                    req.q.as_deref(),
                    req.limit,
                );
                let rows = query_all(c, &sql, p, rows::webhook)?;
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
            })
            .await
    }

    async fn publish_leased(
        &self,
        e: &Event,
        audience: &Audience,
        lease: Option<&Lease>,
    ) -> Result<Published, StoreError> {
        let (e, audience, lease) = (e.clone(), audience.clone(), lease.cloned());
        self.db.write(move |c| publish_in(c, &e, &audience, lease.as_ref())).await
    }

    async fn get_event(&self, org: &OrgId, id: &EventId) -> Result<(Event, Vec<DeliveryId>), StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        self.db
            .read(move |c| {
                let e = c
                    .query_row(
                        &format!("SELECT {} FROM events e WHERE e.id = ?1 AND e.org_id = ?2", rows::EVENT_COLS),
                        [&id, &org],
                        rows::event,
                    )
                    .map_err(map_err)?;
                Ok((e, deliveries_of_event(c, &id)?))
            })
            .await
    }

    async fn get_delivery(&self, org: &OrgId, id: &DeliveryId) -> Result<Delivery, StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        self.db
            .read(move |c| {
                c.query_row(
                    &format!("SELECT {} FROM deliveries d WHERE d.id = ?1 AND d.org_id = ?2", rows::DELIVERY_COLS),
                    [id, org],
                    rows::delivery,
                )
                .map_err(map_err)
            })
            .await
    }

    async fn resend_delivery(&self, org: &OrgId, id: &DeliveryId) -> Result<Delivery, StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        let now = ms(&chrono::Utc::now());
        self.db
            .write(move |c| {
                // A delivery in flight keeps its lease; the re-send follows it.
                c.query_row(
                    &format!(
                        "UPDATE deliveries SET state = 'pending', next_trigger = 'manual', updated_at = ?3,
                           next_attempt_at = CASE WHEN leased_by IS NULL THEN ?3 ELSE next_attempt_at END
                         WHERE id = ?1 AND org_id = ?2 RETURNING {}",
                        rows::DELIVERY_COLS.replace("d.", "")
                    ),
                    params![id, org, now],
                    rows::delivery,
                )
                .map_err(map_err)
            })
            .await
    }

    async fn recover_webhook(&self, org: &OrgId, id: &WebhookId, since: Timestamp) -> Result<u64, StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        let now = ms(&chrono::Utc::now());
        let since = ms(&since);
        self.db
            .write(move |c| {
                get_webhook_in(c, &org, &id)?;
                let n = c
                    .execute(
                        "UPDATE deliveries SET state = 'pending', next_trigger = 'manual', next_attempt_at = ?3, updated_at = ?3
                         WHERE webhook_id = ?1 AND org_id = ?2 AND state = 'failed' AND created_at >= ?4",
                        params![id, org, now, since],
                    )
                    .map_err(map_err)?;
                Ok(n as u64)
            })
            .await
    }

    async fn claim_due(&self, node: &str, lease: Duration, max: usize) -> Result<Vec<Claim>, StoreError> {
        let node = node.to_owned();
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
                static CLAIM: std::sync::LazyLock<[String; 10]> = std::sync::LazyLock::new(|| {
                    let cols = rows::DELIVERY_COLS.replace("d.", "");
                    std::array::from_fn(|log2| {
                        format!(
                            "UPDATE deliveries SET next_attempt_at = ?2, leased_by = ?3
                             WHERE id IN (
                               SELECT id FROM deliveries d
                               WHERE d.state = 'pending' AND d.next_attempt_at <= ?1
                                 AND (d.ordered = 0 OR d.id = (SELECT min(o.id) FROM deliveries o WHERE o.webhook_id = d.webhook_id AND o.state = 'pending'))
                               ORDER BY d.next_attempt_at LIMIT {})
                             RETURNING {cols}",
                            1usize << log2
                        )
                    })
                });
                let mut claimed: Vec<Delivery> = Vec::with_capacity(max);
                while claimed.len() < max {
                    let log2 = (max - claimed.len()).ilog2() as usize;
                    let limit = 1usize << log2;
                    let got = query_all(
                        c,
                        &CLAIM[log2],
                        vec![Value::Integer(now), Value::Integer(until), Value::Text(node.clone())],
                        rows::delivery,
                    )?;
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
                        (Some(webhook), Some(event)) => claims.push(Claim { event: event.clone(), delivery, webhook }),
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

    async fn webhooks_by_id(&self, ids: &[WebhookId]) -> Result<Vec<Webhook>, StoreError> {
        let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        self.db
            .read(move |c| {
                let mut stmt = c
                    .prepare_cached(&format!("SELECT {} FROM webhooks w WHERE w.id = ?1", rows::WEBHOOK_COLS))
                    .map_err(map_err)?;
                let mut found = Vec::with_capacity(ids.len());
                for id in &ids {
                    if let Some(w) = stmt.query_row([id], rows::webhook).optional().map_err(map_err)? {
                        found.push(w);
                    }
                }
                Ok(found)
            })
            .await
    }

    async fn record_attempts(&self, records: Vec<AttemptRecord>) -> Result<(), StoreError> {
        let now_ts = chrono::Utc::now();
        let now = ms(&now_ts);
        // The records are freed here, not on the writer thread that every write waits for,
        // and their JSON columns are made here too: the writer's time is every write's wait.
        let records =
            std::sync::Arc::new((records.iter().map(|r| r.attempt.as_ref().map(AttemptJson::of)).collect(), records));
        let shared = records.clone();
        let written = self
            .db
            .write(move |c| {
                let (json, records): &(Vec<Option<AttemptJson>>, Vec<AttemptRecord>) = &shared;
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

    async fn next_due_at(&self) -> Result<Option<Timestamp>, StoreError> {
        self.db
            .read(|c| {
                c.query_row("SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending'", [], |r| {
                    r.get::<_, Option<i64>>(0)
                })
                .map(|v| v.map(rows::ts))
                .map_err(map_err)
            })
            .await
    }

    async fn backlog(&self) -> Result<Backlog, StoreError> {
        let now = ms(&chrono::Utc::now());
        self.db
            .read(move |c| {
                c.query_row(
                    "SELECT count(*), count(*) FILTER (WHERE next_attempt_at <= ?1) FROM deliveries WHERE state = 'pending'",
                    [now],
                    |r| Ok(Backlog { pending: r.get::<_, i64>(0)? as u64, due: r.get::<_, i64>(1)? as u64 }),
                )
                .map_err(map_err)
            })
            .await
    }

    async fn list_attempts(
        &self,
        org: &OrgId,
        filter: &AttemptFilter,
        req: &PageRequest<AttemptSort>,
    ) -> Result<Page<Attempt>, StoreError> {
        let (org, filter, req) = (org.clone(), filter.clone(), req.clone());
        self.db
            .read(move |c| {
                let (sql, p) = attempts_listing(&org, &filter, &req);
                let rows = query_all(c, &sql, p, |r| rows::attempt(r, false))?;
                Ok(page(rows, req.limit, |a| {
                    let key = match req.sort {
                        AttemptSort::SentAt => a.id.to_string(),
                        AttemptSort::Url => a.url.clone(),
                        AttemptSort::Result => a.response_status.unwrap_or(0).to_string(),
                    };
                    (key, a.id.to_string())
                }))
            })
            .await
    }

    async fn get_attempt(&self, org: &OrgId, id: &AttemptId) -> Result<Attempt, StoreError> {
        let (org, id) = (org.to_string(), id.to_string());
        self.db
            .read(move |c| {
                let mut a = c
                    .query_row(
                        &format!(
                            "SELECT {}, {} FROM attempts a WHERE a.id = ?1 AND a.org_id = ?2",
                            rows::ATTEMPT_SUMMARY_COLS,
                            rows::ATTEMPT_DETAIL_COLS
                        ),
                        [id, org],
                        |r| rows::attempt(r, true),
                    )
                    .map_err(map_err)?;
                if matches!(a.request_body, RequestBody::Rendered(_)) {
                    // The attempt is the org's, so are the events it was sent with, a child
                    // org's included.
                    let events = query_all(
                        c,
                        &format!(
                            "SELECT {} FROM events e WHERE e.id IN (SELECT value FROM json_each(?1))",
                            rows::EVENT_COLS
                        ),
                        vec![Value::Text(to_json(&a.event_ids))],
                        rows::event,
                    )?;
                    crate::rows::render_again(&mut a, &events);
                }
                Ok(a)
            })
            .await
    }

    async fn prune(&self, before: Timestamp, max: usize) -> Result<u64, StoreError> {
        // IDs sort by creation time, so "older than" is a range scan of each primary key. A
        // delivery stays while it has a newer attempt (a late re-send), so its event does too:
        // the attempt's body is made again from the event.
        let t = ms(&before).max(0) as u64;
        let (att, dlv, evt) = (AttemptId::floor(t), DeliveryId::floor(t), EventId::floor(t));
        let max = max as i64;
        self.db
            .write(move |c| {
                let mut n = c
                    .execute(
                        "DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE id < ?1 LIMIT ?2)",
                        params![att, max],
                    )
                    .map_err(map_err)?;
                n += c
                    .execute(
                        "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries
                           WHERE id < ?1 AND state != 'pending' AND updated_at < ?3 LIMIT ?2)",
                        params![dlv, max, ms(&before)],
                    )
                    .map_err(map_err)?;
                n += c
                    .execute(
                        "DELETE FROM events WHERE id IN (SELECT e.id FROM events e WHERE e.id < ?1
                           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) LIMIT ?2)",
                        params![evt, max],
                    )
                    .map_err(map_err)?;
                Ok(n as u64)
            })
            .await
    }

    async fn delivery_states(
        &self,
        org: &OrgId,
        event: &EventId,
    ) -> Result<Vec<(DeliveryId, DeliveryState)>, StoreError> {
        let (org, event) = (org.to_string(), event.to_string());
        self.db
            .read(move |c| {
                query_all(
                    c,
                    &format!(
                        "SELECT {} FROM deliveries d WHERE d.event_id = ?1 AND d.org_id = ?2 ORDER BY d.id",
                        rows::DELIVERY_COLS
                    ),
                    vec![Value::Text(event), Value::Text(org)],
                    |r| rows::delivery(r).map(|d| (d.id, d.state)),
                )
            })
            .await
    }
}

/// The history listing's query: scoped by org, keyset-paged (`attempts_webhook` and
/// `attempts_org` serve the default order; the plan test checks it).
fn attempts_listing(org: &OrgId, filter: &AttemptFilter, req: &PageRequest<AttemptSort>) -> (String, Vec<Value>) {
    let (sort_expr, sort_is_int) = match req.sort {
        AttemptSort::SentAt => ("a.id", false),
        AttemptSort::Url => ("a.url", false),
        AttemptSort::Result => ("COALESCE(a.response_status, 0)", true),
    };
    let mut scope = vec![("a.org_id = ?".to_string(), vec![Value::Text(org.to_string())])];
    if let Some(w) = &filter.webhook_id {
        scope.push(("a.webhook_id = ?".into(), vec![Value::Text(w.to_string())]));
    }
    match filter.succeeded {
        Some(true) => scope.push(("a.response_status BETWEEN 200 AND 299 AND a.error_kind IS NULL".into(), vec![])),
        Some(false) => {
            scope.push(("(a.response_status IS NULL OR a.response_status NOT BETWEEN 200 AND 299)".into(), vec![]))
        }
        None => {}
    }
    let l = Listing {
        from: "attempts a",
        cols: rows::ATTEMPT_SUMMARY_COLS,
        id_col: "a.id",
        sort_expr,
        sort_is_int,
        search: &["a.url", "a.event_ids", "a.delivery_id", "CAST(a.response_status AS TEXT)", "a.error_message"],
    };
    l.sql(scope, req.order, req.cursor.as_ref(), req.q.as_deref(), req.limit)
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

fn publish_in(c: &Connection, e: &Event, audience: &Audience, lease: Option<&Lease>) -> Result<Published, StoreError> {
    if let Some(key) = &e.idempotency_key {
        let existing: Option<String> = c
            .prepare_cached("SELECT id FROM events WHERE org_id = ?1 AND idempotency_key = ?2")
            .map_err(map_err)?
            .query_row([e.org_id.as_str(), key], |r| r.get(0))
            .optional()
            .map_err(map_err)?;
        if let Some(id) = existing {
            let event_id = EventId::parse(&id).map_err(|err| StoreError::Other(err.to_string()))?;
            return Ok(Published::replayed(event_id, deliveries_of_event(c, &id)?));
        }
    }
    let parent: Option<String> = c
        .prepare_cached("SELECT parent_id FROM orgs WHERE id = ?1")
        .map_err(map_err)?
        .query_row([e.org_id.as_str()], |r| r.get(0))
        .map_err(map_err)?;
    let targets: Vec<Target> = match audience {
        Audience::Subscribers => rows::visible_to_owner(subscribers(c, e, parent.as_deref())?, e),
        Audience::Webhook(id) => vec![
            c.prepare_cached(&format!(
                "SELECT {} FROM webhooks w WHERE w.id = ?1 AND w.org_id = ?2",
                rows::TARGET_COLS
            ))
            .map_err(map_err)?
            .query_row([id.as_str(), e.org_id.as_str()], rows::target)
            .map_err(map_err)?,
        ],
    };
    c.prepare_cached(
        "INSERT INTO events (id, org_id, event_type, payload, resource_url, environment, visible_to, occurred_at, created_at, idempotency_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
        e.idempotency_key
    ])
    .map_err(map_err)?;
    let mut stmt = c
        .prepare_cached(
            "INSERT INTO deliveries (id, org_id, webhook_id, event_id, state, attempts, next_attempt_at, next_trigger, ordered, leased_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, 'auto', ?6, ?7, ?8, ?8)",
        )
        .map_err(map_err)?;
    let now = ms(&e.created_at);
    let node = lease.map(|l| l.node.as_str());
    let mut deliveries = Vec::with_capacity(targets.len());
    let mut leased = Vec::new();
    for (w, until) in targets.iter().zip(Lease::plan(lease, &targets, now)) {
        // Made with its event: retention removes both by the same clock.
        let id = DeliveryId::at(now.max(0) as u64);
        stmt.execute(params![
            id.as_str(),
            e.org_id.as_str(),
            w.id.as_str(),
            e.id.as_str(),
            until.unwrap_or(now),
            w.ordered,
            until.and(node),
            now
        ])
        .map_err(map_err)?;
        if let Some(until) = until {
            leased.push(crate::Leased::new(id.clone(), e, w, until));
        }
        deliveries.push(id);
    }
    Ok(Published::new(e.id.clone(), deliveries, leased))
}

/// An attempt's columns that hold JSON.
struct AttemptJson {
    event_ids: String,
    request_headers: String,
    request_recipe: Option<String>,
    response_headers: String,
}

impl AttemptJson {
    fn of(a: &Attempt) -> Self {
        Self {
            event_ids: to_json(&a.event_ids),
            request_headers: to_json(&a.request_headers),
            request_recipe: crate::rows::body_recipe(&a.request_body),
            response_headers: to_json(&a.response_headers),
        }
    }
}

const INSERT_ATTEMPT: &str = "INSERT INTO attempts (id, org_id, delivery_id, webhook_id, event_ids, url, sent_at,
       response_status, duration_ms, error_kind, error_message, trigger, request_headers, request_body, request_recipe,
       response_headers, response_body)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

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
            a.duration_ms as i64,
            a.error.as_ref().map(|e| e.kind.as_str()),
            a.error.as_ref().map(|e| e.message.as_str()),
            a.trigger.as_str(),
            json.request_headers,
            crate::rows::body_text(&a.request_body),
            json.request_recipe,
            json.response_headers,
            a.response_body,
        ])
        .map_err(map_err)?;
    Ok(())
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    /// A webhook's (or an org's) history page walks an index in order and stops after one
    /// page: no table scan and no sort of the matching rows, however many there are.
    #[tokio::test]
    async fn history_pages_walk_an_index_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("plan.db")).await.expect("open");
        let (org, webhook) = (OrgId::new(), WebhookId::new());
        let by_webhook = AttemptFilter { webhook_id: Some(webhook), succeeded: None };
        for (filter, index) in [(by_webhook, "attempts_webhook"), (AttemptFilter::default(), "attempts_org")] {
            let next = Cursor { key: AttemptId::new().to_string(), id: AttemptId::new().to_string() };
            for cursor in [None, Some(next)] {
                let req = PageRequest { limit: 50, cursor, sort: AttemptSort::SentAt, order: Order::Desc, q: None };
                let (sql, params) = attempts_listing(&org, &filter, &req);
                let plan = store
                    .db
                    .read(move |c| {
                        query_all(c, &format!("EXPLAIN QUERY PLAN {sql}"), params, |r| r.get::<_, String>(3))
                    })
                    .await
                    .expect("explain")
                    .join("\n");
                assert!(plan.contains(&format!("USING INDEX {index}")), "{plan}");
                assert!(!plan.contains("TEMP B-TREE"), "sorts its rows: {plan}");
            }
        }
    }
}
