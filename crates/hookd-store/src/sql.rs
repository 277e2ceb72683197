//! SQL that both backends share, written once: values in a backend-neutral form, the few
//! spellings that differ (placeholders, booleans), and the statements built from them.

use hookd_core::model::{Environment, Webhook, WebhookOptions, WebhookStatus};
use hookd_core::secret::SealedSecret;
use hookd_core::{MemberId, OrgId, WebhookId};

use crate::Timestamp;
use crate::rows::{ms, to_json};

/// A bound value, converted by each backend to its own type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SqlValue {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
    /// `INTEGER` 0/1 on SQLite, `BOOLEAN` on PostgreSQL.
    Bool(bool),
}

impl From<Option<String>> for SqlValue {
    fn from(v: Option<String>) -> Self {
        v.map_or(SqlValue::Null, SqlValue::Text)
    }
}

/// How the two backends spell what differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The `n`th (1-based) placeholder.
    pub(crate) fn param(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }
}

/// A statement being built: its text and the values its placeholders bind, in order.
pub(crate) struct Statement {
    dialect: Dialect,
    pub(crate) sql: String,
    pub(crate) params: Vec<SqlValue>,
}

impl Statement {
    pub(crate) fn new(dialect: Dialect) -> Self {
        Self { dialect, sql: String::new(), params: Vec::new() }
    }

    /// Binds `v` and returns its placeholder.
    pub(crate) fn bind(&mut self, v: impl Into<SqlValue>) -> String {
        self.params.push(v.into());
        self.dialect.param(self.params.len())
    }
}

/// A replacement of a webhook's stored credentials, written only over the ones it was
/// merged with (a client that sent the masked form back keeps what is stored).
#[derive(Debug, Clone)]
pub struct AuthEdit {
    pub new: SealedSecret,
    pub replaces: SealedSecret,
}

/// An edit of a webhook: each field that is `Some` is written, the others are left as they
/// are, so edits of different fields never undo each other, and the engine's columns (the
/// failure streak, `last_triggered_at`) and the signing secrets are never written here.
#[derive(Debug, Clone)]
pub struct WebhookEdit {
    pub org_id: OrgId,
    pub id: WebhookId,
    /// Write only if the webhook is still at this revision (`If-Match`); `Stale` otherwise.
    pub if_revision: Option<i64>,
    pub name: Option<String>,
    pub url: Option<String>,
    pub description: Option<Option<String>>,
    pub event_types: Option<Vec<String>>,
    pub environment: Option<Environment>,
    pub owner_id: Option<Option<MemberId>>,
    pub include_child_orgs: Option<bool>,
    pub options: Option<WebhookOptions>,
    pub signing_enabled: Option<bool>,
    pub auth: Option<AuthEdit>,
    /// A new status, written only if `enabled` differs from the stored one; then the
    /// operational event (`webhook.enabled` / `webhook.disabled`) is published with it.
    pub status: Option<WebhookStatus>,
    pub updated_at: Timestamp,
}

impl WebhookEdit {
    pub fn new(org_id: OrgId, id: WebhookId) -> Self {
        Self {
            org_id,
            id,
            if_revision: None,
            name: None,
            url: None,
            description: None,
            event_types: None,
            environment: None,
            owner_id: None,
            include_child_orgs: None,
            options: None,
            signing_enabled: None,
            auth: None,
            status: None,
            updated_at: chrono::Utc::now(),
        }
    }

    /// The edit applied to a copy in memory (for a webhook being created): what the
    /// database does with [`WebhookEdit::update`] and the status statement.
    pub fn apply_to(&self, w: &mut Webhook) {
        let e = self.clone();
        w.name = e.name.unwrap_or(std::mem::take(&mut w.name));
        w.url = e.url.unwrap_or(std::mem::take(&mut w.url));
        w.description = e.description.unwrap_or(w.description.take());
        w.event_types = e.event_types.unwrap_or(std::mem::take(&mut w.event_types));
        w.environment = e.environment.unwrap_or(w.environment);
        w.owner_id = e.owner_id.unwrap_or(w.owner_id.take());
        w.include_child_orgs = e.include_child_orgs.unwrap_or(w.include_child_orgs);
        w.options = e.options.unwrap_or(std::mem::take(&mut w.options));
        w.signing_enabled = e.signing_enabled.unwrap_or(w.signing_enabled);
        if let Some(a) = e.auth {
            w.auth = a.new;
        }
        if let Some(s) = e.status.filter(|s| s.enabled != w.status.enabled) {
            w.status = s;
        }
        w.updated_at = e.updated_at;
    }

    /// The `UPDATE` of every field the edit names (one row, or none when the webhook is gone,
    /// is at another revision than `if_revision`, or its credentials changed meanwhile).
    pub(crate) fn update(&self, d: Dialect) -> Statement {
        let mut s = Statement::new(d);
        let mut set = Vec::new();
        let mut col = |s: &mut Statement, name: &str, v: SqlValue| set.push(format!("{name} = {}", s.bind(v)));
        if let Some(v) = &self.name {
            col(&mut s, "name", SqlValue::Text(v.clone()));
        }
        if let Some(v) = &self.url {
            col(&mut s, "url", SqlValue::Text(v.clone()));
        }
        if let Some(v) = &self.description {
            col(&mut s, "description", v.clone().into());
        }
        if let Some(v) = &self.event_types {
            col(&mut s, "event_types", SqlValue::Text(to_json(v)));
        }
        if let Some(v) = self.environment {
            col(&mut s, "environment", SqlValue::Text(v.as_str().into()));
        }
        if let Some(v) = &self.owner_id {
            col(&mut s, "owner_id", v.as_ref().map(|o| o.to_string()).into());
        }
        if let Some(v) = self.include_child_orgs {
            col(&mut s, "include_child_orgs", SqlValue::Bool(v));
        }
        if let Some(v) = &self.options {
            col(&mut s, "options", SqlValue::Text(to_json(v)));
        }
        if let Some(v) = self.signing_enabled {
            col(&mut s, "signing_enabled", SqlValue::Bool(v));
        }
        if let Some(a) = &self.auth {
            col(&mut s, "auth", SqlValue::Blob(a.new.0.clone()));
        }
        col(&mut s, "updated_at", SqlValue::Int(ms(&self.updated_at)));
        let mut sql = format!("UPDATE webhooks SET {}, revision = revision + 1", set.join(", "));
        sql += &format!(
            " WHERE id = {} AND org_id = {}",
            s.bind(SqlValue::Text(self.id.to_string())),
            s.bind(SqlValue::Text(self.org_id.to_string()))
        );
        if let Some(r) = self.if_revision {
            sql += &format!(" AND revision = {}", s.bind(SqlValue::Int(r)));
        }
        if let Some(a) = &self.auth {
            sql += &format!(" AND auth = {}", s.bind(SqlValue::Blob(a.replaces.0.clone())));
        }
        s.sql = sql;
        s
    }
}

/// Sets a webhook's status if `enabled` changes (one row), else nothing (no row): the one
/// statement for both an edit and the engine's disable, so the operational event that goes
/// with a change is published exactly when the state changed.
pub(crate) fn set_status(d: Dialect, org: &OrgId, id: &WebhookId, status: &WebhookStatus) -> Statement {
    let mut s = Statement::new(d);
    let enabled = s.bind(SqlValue::Bool(status.enabled));
    let sql = format!(
        "UPDATE webhooks SET enabled = {enabled}, status_reason = {}, status_changed_at = {}, status_changed_by = {}, \
         revision = revision + 1 WHERE id = {} AND org_id = {} AND enabled <> {enabled}",
        s.bind(status.reason.clone()),
        s.bind(SqlValue::Int(ms(&status.changed_at))),
        s.bind(status.changed_by.clone()),
        s.bind(SqlValue::Text(id.to_string())),
        s.bind(SqlValue::Text(org.to_string())),
    );
    s.sql = sql;
    s
}
