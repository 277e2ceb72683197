//! Edits of a webhook: only what they name is written, and enabling or disabling is one
//! statement for edits and the engine alike.

use hookd_core::filter::Filter;
use hookd_core::model::{
    AuditEntry, DestinationKind, Environment, Transformation, Webhook, WebhookOptions, WebhookStatus,
};
use hookd_core::secret::SealedSecret;
use hookd_core::{MemberId, OrgId, WebhookId};

use super::{Query, SqlValue};
use crate::Timestamp;
use crate::rows::{ms, to_json};

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
    pub filter: Option<Option<Filter>>,
    pub transformation: Option<Option<Transformation>>,
    pub signing_enabled: Option<bool>,
    pub auth: Option<AuthEdit>,
    /// A new destination: its kind and its sealed settings (`None` for kinds without any).
    pub destination: Option<(DestinationKind, Option<SealedSecret>)>,
    /// A new status, written only if `enabled` differs from the stored one; then the
    /// operational event (`webhook.enabled` / `webhook.disabled`) is published with it.
    pub status: Option<WebhookStatus>,
    pub updated_at: Timestamp,
    /// Written with the edit, in its transaction (an edit hookd makes itself has none).
    pub audit: Option<AuditEntry>,
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
            filter: None,
            transformation: None,
            signing_enabled: None,
            auth: None,
            destination: None,
            status: None,
            updated_at: chrono::Utc::now(),
            audit: None,
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
        w.filter = e.filter.unwrap_or(w.filter.take());
        w.transformation = e.transformation.unwrap_or(w.transformation.take());
        w.signing_enabled = e.signing_enabled.unwrap_or(w.signing_enabled);
        if let Some(a) = e.auth {
            w.auth = a.new;
        }
        if let Some((kind, sealed)) = e.destination {
            w.destination_kind = kind;
            w.destination = sealed;
        }
        if let Some(s) = e.status.filter(|s| s.enabled != w.status.enabled) {
            w.status = s;
        }
        w.updated_at = e.updated_at;
    }

    /// The `UPDATE` of every field the edit names (one row, or none when the webhook is gone,
    /// is at another revision than `if_revision`, or its credentials changed meanwhile).
    pub(crate) fn update(&self) -> Query {
        let mut s = Query::build();
        let mut set = Vec::new();
        let mut col = |s: &mut Query, name: &str, v: SqlValue| set.push(format!("{name} = {}", s.bind(v)));
        if let Some(v) = &self.name {
            col(&mut s, "name", v.into());
        }
        if let Some(v) = &self.url {
            col(&mut s, "url", v.into());
        }
        if let Some(v) = &self.description {
            col(&mut s, "description", v.clone().into());
        }
        if let Some(v) = &self.event_types {
            col(&mut s, "event_types", to_json(v).into());
        }
        if let Some(v) = self.environment {
            col(&mut s, "environment", v.as_str().into());
        }
        if let Some(v) = &self.owner_id {
            col(&mut s, "owner_id", v.as_ref().map(|o| o.to_string()).into());
        }
        if let Some(v) = self.include_child_orgs {
            col(&mut s, "include_child_orgs", SqlValue::Bool(v));
        }
        if let Some(v) = &self.options {
            col(&mut s, "options", to_json(v).into());
        }
        if let Some(v) = &self.filter {
            col(&mut s, "filter", v.as_ref().map(to_json).into());
        }
        if let Some(v) = &self.transformation {
            col(&mut s, "transformation", v.as_ref().map(to_json).into());
        }
        if let Some(v) = self.signing_enabled {
            col(&mut s, "signing_enabled", SqlValue::Bool(v));
        }
        if let Some(a) = &self.auth {
            col(&mut s, "auth", a.new.0.clone().into());
        }
        if let Some((kind, sealed)) = &self.destination {
            col(&mut s, "destination_type", kind.as_str().into());
            col(&mut s, "destination", sealed.as_ref().map(|d| d.0.clone()).into());
        }
        col(&mut s, "updated_at", ms(&self.updated_at).into());
        let mut sql = format!("UPDATE webhooks SET {}, revision = revision + 1", set.join(", "));
        sql += &format!(" WHERE id = {} AND org_id = {}", s.bind(self.id.as_str()), s.bind(self.org_id.as_str()));
        if let Some(r) = self.if_revision {
            sql += &format!(" AND revision = {}", s.bind(r));
        }
        if let Some(a) = &self.auth {
            sql += &format!(" AND auth = {}", s.bind(a.replaces.0.clone()));
        }
        s.sql = sql;
        s
    }
}

/// Sets a webhook's status if `enabled` changes (one row), else nothing (no row): the one
/// statement for both an edit and the engine's disable, so the operational event that goes
/// with a change is published exactly when the state changed.
pub(crate) fn set_status(org: &OrgId, id: &WebhookId, status: &WebhookStatus) -> Query {
    let mut s = Query::build();
    let enabled = s.bind(status.enabled);
    let sql = format!(
        "UPDATE webhooks SET enabled = {enabled}, status_reason = {}, status_changed_at = {}, status_changed_by = {}, \
         revision = revision + 1 WHERE id = {} AND org_id = {} AND enabled <> {enabled}",
        s.bind(status.reason.clone()),
        s.bind(ms(&status.changed_at)),
        s.bind(status.changed_by.as_ref().map(|b| b.to_string())),
        s.bind(id.as_str()),
        s.bind(org.as_str()),
    );
    s.sql = sql;
    s
}
