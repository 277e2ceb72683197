//! SQL that both backends share, written once. Statements are written with PostgreSQL's
//! `$1` placeholders (SQLite reads them as `?1`), bind backend-neutral [`SqlValue`]s, and
//! spell the few things that differ through [`Dialect`]. Each backend supplies [`Exec`]
//! (run a read, run writes in one transaction) and [`Backend`] (what truly differs: the hot
//! path of publishing, claiming and recording, and its notifications); the [`Store`] trait is
//! then implemented once for both, here.

pub(crate) mod directory;
mod edit;
mod events;
mod health;
pub(crate) mod history;
mod listing;
pub(crate) mod pull;
mod sessions;
pub(crate) mod webhooks;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hookd_core::health::{Grain, Stored};
use hookd_core::model::{
    AccessToken, Attempt, AuditEntry, Delivery, Event, EventType, LoginLink, Member, Org, Session, Webhook,
};
use hookd_core::secret::SealedSecret;
use hookd_core::{AttemptId, DeliveryId, EventId, MemberId, OrgId, TokenId, WebhookId};

pub(crate) use edit::set_status;
pub use edit::{AuthEdit, WebhookEdit};

use crate::rows::DbRow;
use crate::{
    AttemptFilter, AttemptRecord, AttemptSort, Audience, Backlog, EventFilter, EventSummary, EventTypeSort, LeaseTerms,
    LeasedDelivery, Page, PageRequest, Published, Saturated, Store, StoreError, Timestamp, WebhookSort,
};

/// A bound value, converted by each backend to its own type. Every variant carries its type
/// even when it is `NULL`: PostgreSQL checks a parameter's type before its value.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Int(Option<i64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
    /// `INTEGER` 0/1 on SQLite, `BOOLEAN` on PostgreSQL.
    Bool(bool),
    /// A list to test membership in (see [`Dialect::any`]): JSON text on SQLite, `text[]` on
    /// PostgreSQL.
    TextList(Vec<String>),
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}
impl From<Option<i64>> for SqlValue {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}
impl From<bool> for SqlValue {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}
impl From<String> for SqlValue {
    fn from(v: String) -> Self {
        Self::Text(Some(v))
    }
}
impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        Self::Text(Some(v.to_owned()))
    }
}
impl From<&String> for SqlValue {
    fn from(v: &String) -> Self {
        Self::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for SqlValue {
    fn from(v: Option<String>) -> Self {
        Self::Text(v)
    }
}
impl From<Vec<u8>> for SqlValue {
    fn from(v: Vec<u8>) -> Self {
        Self::Blob(Some(v))
    }
}
impl From<Option<Vec<u8>>> for SqlValue {
    fn from(v: Option<Vec<u8>>) -> Self {
        Self::Blob(v)
    }
}

/// `vals![a, b]`: the values of a statement's placeholders, in order.
macro_rules! vals {
    ($($v:expr),* $(,)?) => { vec![$($crate::sql::SqlValue::from($v)),*] };
}
pub(crate) use vals;

/// How the two backends spell what differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Case-insensitive matching of a `like` pattern, `\` escaping its wildcards.
    pub(crate) fn like(self, expr: &str, param: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{expr} LIKE {param} ESCAPE '\\'"),
            Dialect::Postgres => format!("{expr} ILIKE {param} ESCAPE '\\'"),
        }
    }

    /// What makes text sort byte-wise: SQLite's default; PostgreSQL's "C" collation.
    pub(crate) fn bytewise(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " COLLATE \"C\"",
        }
    }

    /// A boolean column as 0 or 1, to sort and page by.
    pub(crate) fn as_int(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => expr.to_owned(),
            Dialect::Postgres => format!("(CASE WHEN {expr} THEN 1 ELSE 0 END)::bigint"),
        }
    }

    /// `expr` is one of the [`SqlValue::TextList`] bound at `param`.
    pub(crate) fn any(self, expr: &str, param: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{expr} IN (SELECT value FROM json_each({param}))"),
            Dialect::Postgres => format!("{expr} = ANY({param})"),
        }
    }
}

/// One statement and its values.
#[derive(Debug, Clone)]
pub struct Query {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

impl Query {
    pub fn new(sql: impl Into<String>, params: Vec<SqlValue>) -> Self {
        Self { sql: sql.into(), params }
    }

    /// A statement built piece by piece: [`Query::bind`] returns each value's placeholder.
    pub fn build() -> Self {
        Self::new(String::new(), Vec::new())
    }

    pub fn bind(&mut self, v: impl Into<SqlValue>) -> String {
        self.params.push(v.into());
        format!("${}", self.params.len())
    }
}

/// A write of a transaction; with `must_change`, a write that changes no row fails the whole
/// transaction with `NotFound`.
#[derive(Debug, Clone)]
pub struct Step {
    pub query: Query,
    pub must_change: bool,
}

impl Step {
    pub fn new(sql: impl Into<String>, params: Vec<SqlValue>) -> Self {
        Self { query: Query::new(sql, params), must_change: false }
    }

    pub fn must_change(mut self) -> Self {
        self.must_change = true;
        self
    }
}

/// Maps one result row.
pub type Map<T> = fn(&dyn DbRow) -> Result<T, StoreError>;

/// What the shared SQL needs of a backend.
pub trait Exec: Send + Sync + 'static {
    const DIALECT: Dialect;
    /// Runs a read.
    fn rows<T: Send + 'static>(&self, q: Query, map: Map<T>)
    -> impl Future<Output = Result<Vec<T>, StoreError>> + Send;
    /// Runs one write that returns rows (`RETURNING`).
    fn write_rows<T: Send + 'static>(
        &self,
        q: Query,
        map: Map<T>,
    ) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send;
    /// Runs writes in one transaction, in order; returns how many rows each changed.
    fn write(&self, steps: Vec<Step>) -> impl Future<Output = Result<Vec<u64>, StoreError>> + Send;
    /// A write that tells the other nodes sharing the database that work came due (none
    /// where one node owns the database).
    fn notice(&self) -> Option<Step> {
        None
    }
}

/// The first row, or `NotFound`.
pub(crate) async fn one<T: Send + 'static>(x: &impl Exec, q: Query, map: Map<T>) -> Result<T, StoreError> {
    x.rows(q, map).await?.into_iter().next().ok_or(StoreError::NotFound)
}

/// The `Store` methods each backend writes itself: the hot path and what its engine does
/// differently (see each backend's module doc).
#[async_trait]
pub trait Backend: Exec {
    async fn ping(&self) -> Result<(), StoreError>;
    fn watch_for_work(&self, _wake: Arc<tokio::sync::Notify>) {}
    async fn edit_webhook(&self, edit: &WebhookEdit) -> Result<Webhook, StoreError>;
    async fn publish_leased(
        &self,
        e: &Event,
        audience: &Audience,
        lease: Option<&LeaseTerms>,
    ) -> Result<Published, StoreError>;
    async fn claim_due(
        &self,
        node: &str,
        lease: Duration,
        max: usize,
        skip: &Saturated,
    ) -> Result<Vec<LeasedDelivery>, StoreError>;
    async fn record_attempts(&self, records: Arc<Vec<AttemptRecord>>) -> Result<(), StoreError>;
    async fn release_leases(&self, node: &str, ids: &[DeliveryId]) -> Result<(), StoreError>;
    async fn next_due_at(&self, skip: &Saturated) -> Result<Option<Timestamp>, StoreError>;
}

#[async_trait]
impl<B: Backend> Store for B {
    async fn ping(&self) -> Result<(), StoreError> {
        Backend::ping(self).await
    }
    fn watch_for_work(&self, wake: Arc<tokio::sync::Notify>) {
        Backend::watch_for_work(self, wake)
    }
    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        directory::get_setting(self, key).await
    }
    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        directory::put_setting(self, key, value).await
    }
    async fn probe_write(&self, bytes: usize) -> Result<(), StoreError> {
        directory::probe_write(self, bytes).await
    }
    async fn init_setting(&self, key: &str, value: &str) -> Result<String, StoreError> {
        directory::init_setting(self, key, value).await
    }
    async fn any_signing_secret(&self) -> Result<Option<SealedSecret>, StoreError> {
        webhooks::any_signing_secret(self).await
    }
    async fn create_org(&self, org: &Org) -> Result<(), StoreError> {
        directory::create_org(self, org).await
    }
    async fn get_org(&self, id: &OrgId) -> Result<Org, StoreError> {
        directory::get_org(self, id).await
    }
    async fn update_org(&self, org: &Org, audit: &AuditEntry) -> Result<(), StoreError> {
        directory::update_org(self, org, audit).await
    }
    async fn list_orgs(&self, page: &PageRequest<()>) -> Result<Page<Org>, StoreError> {
        directory::list_orgs(self, page).await
    }
    async fn child_orgs(&self, parent: &OrgId) -> Result<Vec<Org>, StoreError> {
        directory::child_orgs(self, parent).await
    }
    async fn create_member(&self, m: &Member, audit: &AuditEntry) -> Result<(), StoreError> {
        directory::write_member(self, m, true, audit).await
    }
    async fn get_member(&self, org: &OrgId, id: &MemberId) -> Result<Member, StoreError> {
        directory::get_member(self, org, id).await
    }
    async fn update_member(&self, m: &Member, audit: &AuditEntry) -> Result<(), StoreError> {
        directory::write_member(self, m, false, audit).await
    }
    async fn delete_member(&self, org: &OrgId, id: &MemberId, audit: &AuditEntry) -> Result<(), StoreError> {
        directory::delete_member(self, org, id, audit).await
    }
    async fn list_members(&self, org: &OrgId, page: &PageRequest<()>) -> Result<Page<Member>, StoreError> {
        directory::list_members(self, org, page).await
    }
    async fn list_audit(&self, org: &OrgId, page: &PageRequest<()>) -> Result<Page<AuditEntry>, StoreError> {
        directory::list_audit(self, org, page).await
    }
    async fn create_token(&self, t: &AccessToken, hash: &[u8; 32], audit: &AuditEntry) -> Result<(), StoreError> {
        directory::create_token(self, t, hash, audit).await
    }
    async fn token_by_hash(&self, hash: &[u8; 32]) -> Result<Option<AccessToken>, StoreError> {
        directory::token_by_hash(self, hash).await
    }
    async fn list_tokens(&self, org: &OrgId, page: &PageRequest<()>) -> Result<Page<AccessToken>, StoreError> {
        directory::list_tokens(self, org, page).await
    }
    async fn rename_token(
        &self,
        org: &OrgId,
        id: &TokenId,
        name: &str,
        audit: &AuditEntry,
    ) -> Result<AccessToken, StoreError> {
        directory::rename_token(self, org, id, name, audit).await
    }
    async fn delete_token(&self, org: &OrgId, id: &TokenId, audit: &AuditEntry) -> Result<(), StoreError> {
        directory::delete_token(self, org, id, audit).await
    }
    async fn touch_token(&self, id: &TokenId, at: Timestamp) -> Result<(), StoreError> {
        directory::touch_token(self, id, at).await
    }
    async fn create_login_link(&self, link: &LoginLink, hash: &[u8; 32]) -> Result<(), StoreError> {
        sessions::create_login_link(self, link, hash).await
    }
    async fn login_link(&self, hash: &[u8; 32], now: Timestamp) -> Result<LoginLink, StoreError> {
        sessions::login_link(self, hash, now).await
    }
    async fn redeem_login_link(&self, hash: &[u8; 32], now: Timestamp) -> Result<LoginLink, StoreError> {
        sessions::redeem_login_link(self, hash, now).await
    }
    async fn create_session(&self, session: &Session, hash: &[u8; 32]) -> Result<(), StoreError> {
        sessions::create_session(self, session, hash).await
    }
    async fn session_by_hash(&self, hash: &[u8; 32], now: Timestamp) -> Result<Option<Session>, StoreError> {
        sessions::session_by_hash(self, hash, now).await
    }
    async fn end_sessions(&self, org: &OrgId, member: &MemberId) -> Result<(), StoreError> {
        sessions::end_sessions(self, org, member).await
    }
    async fn delete_session(&self, hash: &[u8; 32]) -> Result<(), StoreError> {
        sessions::delete_session(self, hash).await
    }
    async fn upsert_event_type(&self, et: &EventType) -> Result<(), StoreError> {
        directory::upsert_event_type(self, et).await
    }
    async fn get_event_type(&self, name: &str) -> Result<EventType, StoreError> {
        directory::get_event_type(self, name).await
    }
    async fn list_event_types(&self, page: &PageRequest<EventTypeSort>) -> Result<Page<EventType>, StoreError> {
        directory::list_event_types(self, page).await
    }
    async fn all_event_types(&self) -> Result<Vec<EventType>, StoreError> {
        directory::all_event_types(self).await
    }
    async fn create_webhook(&self, w: &Webhook, audit: &AuditEntry) -> Result<(), StoreError> {
        webhooks::create(self, w, audit).await
    }
    async fn get_webhook(&self, org: &OrgId, id: &WebhookId) -> Result<Webhook, StoreError> {
        webhooks::get(self, org, id).await
    }
    async fn edit_webhook(&self, edit: &WebhookEdit) -> Result<Webhook, StoreError> {
        Backend::edit_webhook(self, edit).await
    }
    async fn rotate_secret(
        &self,
        org: &OrgId,
        id: &WebhookId,
        secret: &SealedSecret,
        replacing: &SealedSecret,
        rotated_out: Option<(&SealedSecret, Timestamp)>,
        audit: &AuditEntry,
    ) -> Result<Webhook, StoreError> {
        webhooks::rotate_secret(self, org, id, secret, replacing, rotated_out, audit).await
    }
    async fn delete_webhooks(&self, org: &OrgId, deletions: &[(WebhookId, AuditEntry)]) -> Result<(), StoreError> {
        webhooks::delete(self, org, deletions).await
    }
    async fn list_webhooks(&self, org: &OrgId, page: &PageRequest<WebhookSort>) -> Result<Page<Webhook>, StoreError> {
        webhooks::list(self, org, page).await
    }
    async fn publish_leased(
        &self,
        event: &Event,
        audience: &Audience,
        lease: Option<&LeaseTerms>,
    ) -> Result<Published, StoreError> {
        Backend::publish_leased(self, event, audience, lease).await
    }
    async fn get_event(&self, org: &OrgId, id: &EventId) -> Result<(Event, Vec<DeliveryId>), StoreError> {
        history::get_event(self, org, id).await
    }
    async fn get_delivery(&self, org: &OrgId, id: &DeliveryId) -> Result<Delivery, StoreError> {
        history::get_delivery(self, org, id).await
    }
    async fn resend_delivery(&self, org: &OrgId, id: &DeliveryId, audit: &AuditEntry) -> Result<Delivery, StoreError> {
        history::resend_delivery(self, org, id, audit).await
    }
    async fn count_failed(&self, org: &OrgId, id: &WebhookId, since: Timestamp) -> Result<u64, StoreError> {
        history::count_failed(self, org, id, since).await
    }
    async fn recover_webhook(
        &self,
        org: &OrgId,
        id: &WebhookId,
        since: Timestamp,
        audit: &AuditEntry,
    ) -> Result<u64, StoreError> {
        history::recover_webhook(self, org, id, since, audit).await
    }
    async fn claim_due(
        &self,
        node: &str,
        lease: Duration,
        max: usize,
        skip: &Saturated,
    ) -> Result<Vec<LeasedDelivery>, StoreError> {
        Backend::claim_due(self, node, lease, max, skip).await
    }
    async fn webhooks_by_id(&self, ids: &[WebhookId]) -> Result<Vec<Webhook>, StoreError> {
        webhooks::by_id(self, ids).await
    }
    async fn pull_next(
        &self,
        org: &OrgId,
        webhook: &WebhookId,
        iterator: Option<&DeliveryId>,
        limit: usize,
    ) -> Result<Vec<(Delivery, Event)>, StoreError> {
        pull::next(self, org, webhook, iterator, limit).await
    }
    async fn pull_acknowledged(
        &self,
        org: &OrgId,
        webhook: &WebhookId,
        iterator: &DeliveryId,
    ) -> Result<Vec<Delivery>, StoreError> {
        pull::acknowledged(self, org, webhook, iterator).await
    }
    async fn record_attempts(&self, records: Arc<Vec<AttemptRecord>>) -> Result<(), StoreError> {
        Backend::record_attempts(self, records).await
    }
    async fn release_leases(&self, node: &str, ids: &[DeliveryId]) -> Result<(), StoreError> {
        Backend::release_leases(self, node, ids).await
    }
    async fn next_due_at(&self, skip: &Saturated) -> Result<Option<Timestamp>, StoreError> {
        Backend::next_due_at(self, skip).await
    }
    async fn backlog(&self) -> Result<Backlog, StoreError> {
        history::backlog(self).await
    }
    async fn list_attempts(
        &self,
        org: &OrgId,
        filter: &AttemptFilter,
        page: &PageRequest<AttemptSort>,
    ) -> Result<Page<Attempt>, StoreError> {
        history::list_attempts(self, org, filter, page).await
    }
    async fn get_attempt(&self, org: &OrgId, id: &AttemptId) -> Result<Attempt, StoreError> {
        history::get_attempt(self, org, id).await
    }
    async fn event_deliveries(&self, org: &OrgId, event: &EventId) -> Result<Vec<Delivery>, StoreError> {
        events::event_deliveries(self, org, event).await
    }
    async fn list_events(
        &self,
        org: &OrgId,
        filter: &EventFilter,
        page: &PageRequest<()>,
    ) -> Result<Page<EventSummary>, StoreError> {
        events::list_events(self, org, filter, page).await
    }
    async fn activity(&self, org: &OrgId) -> Result<String, StoreError> {
        events::activity(self, org).await
    }
    async fn prune(&self, before: Timestamp, max: usize) -> Result<u64, StoreError> {
        history::prune(self, before, max).await
    }
    async fn health(
        &self,
        org: &OrgId,
        webhooks: Option<&[WebhookId]>,
        grain: Grain,
        since: Timestamp,
    ) -> Result<Vec<Stored>, StoreError> {
        health::counts(self, org, webhooks, grain, crate::rows::ms(&since)).await
    }
    async fn next_retry_at(&self, org: &OrgId, webhook: &WebhookId) -> Result<Option<Timestamp>, StoreError> {
        health::next_retry_at(self, org, webhook).await
    }
}
