//! hookd's storage: the one [`Store`] trait every other crate talks to, and its backends.
//!
//! Every org-scoped method takes the [`OrgId`] and puts it in its `WHERE` clause, so a
//! handler cannot read or change another tenant's rows by forgetting a check. SQL lives
//! only in the backend modules. This crate never opens network connections of its own
//! other than to the database, and never renders or sends webhooks.

mod error;
mod page;
pub mod postgres;
mod rows;
mod sql;
pub mod sqlite;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hookd_core::model::{
    AccessToken, Attempt, AuditEntry, Delivery, DeliveryState, Event, EventType, LoginLink, Member, Org, Session,
    Webhook,
};
use hookd_core::secret::SealedSecret;
use hookd_core::{AttemptId, DeliveryId, EventId, MemberId, OrgId, TokenId, WebhookId};

pub use error::{Cause, StoreError};
pub use hookd_core::listing::{
    AttemptFilter, AttemptSort, Backlog, Cursor, EventFilter, EventTypeSort, Order, Page, PageRequest, WebhookSort,
};
pub use sql::{AuthEdit, WebhookEdit};

pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// What a delivery owes: the delivery, its event and its webhook, leased to one worker.
#[derive(Debug, Clone)]
pub struct LeasedDelivery {
    pub delivery: Delivery,
    /// Shared by the claims of one event (one per webhook it goes to).
    pub event: Arc<Event>,
    pub webhook: Webhook,
}

/// New deliveries leased to the publishing node as they are written, so the node that took
/// the event sends it without a claim query. An ordered webhook's deliveries are never leased
/// this way: only a claim knows whether an earlier one is still pending.
#[derive(Debug, Clone)]
pub struct LeaseTerms {
    pub node: String,
    pub duration: Duration,
    /// Most deliveries to lease; the others wait to be claimed.
    pub max: usize,
}

impl LeaseTerms {
    /// How each target's new delivery starts.
    pub(crate) fn plan(lease: Option<&LeaseTerms>, targets: &[rows::Target], now: i64) -> Vec<Start> {
        let mut left = lease.map_or(0, |l| l.max);
        let until = lease.map_or(now, |l| now + l.duration.as_millis() as i64);
        targets
            .iter()
            .map(|t| {
                if t.pulled {
                    return Start::Pulled;
                }
                let take = !t.ordered && left > 0;
                left -= take as usize;
                if take { Start::Leased(until) } else { Start::Due(now) }
            })
            .collect()
    }
}

/// How a new delivery starts: leased to the publishing node until a time, due for any node's
/// claim, or waiting for a consumer to pull it (never due: no claim reaches it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    Leased(i64),
    Due(i64),
    Pulled,
}

/// The `next_attempt_at` of a delivery that waits to be pulled: 9999-12-31, later than any
/// claim looks.
pub const PULLED_AT_MS: i64 = 253_402_300_799_000;

impl Start {
    /// Its `next_attempt_at` in milliseconds.
    pub(crate) fn next_attempt_at(self) -> i64 {
        match self {
            Start::Leased(at) | Start::Due(at) => at,
            Start::Pulled => PULLED_AT_MS,
        }
    }

    pub(crate) fn leased_until(self) -> Option<i64> {
        match self {
            Start::Leased(until) => Some(until),
            _ => None,
        }
    }
}

/// An event in a list: without its payload, with what became of its deliveries.
#[derive(Debug, Clone)]
pub struct EventSummary {
    pub event: Event,
    pub deliveries: hookd_core::model::DeliveryCounts,
}

/// What an attempt changed about its delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    RetryAt(Timestamp),
    /// No attempts are left (or the webhook is gone or disabled).
    Failed,
    /// The webhook's transformation cancelled it.
    Cancelled,
}

/// One attempt and its consequences, written together.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    /// `None` when nothing was sent (e.g. the webhook was disabled meanwhile).
    pub attempt: Option<Attempt>,
    pub org_id: OrgId,
    pub delivery_id: DeliveryId,
    pub webhook_id: WebhookId,
    pub outcome: Outcome,
    /// Set when the attempt disables its webhook (410 Gone, or failing too long).
    pub disable_webhook: Option<String>,
}

/// Which webhooks an event goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every enabled webhook of the event's org (or of its parent, when the webhook includes
    /// child orgs) subscribed to its type in its environment, whose owner may view it.
    Subscribers,
    /// One webhook, whatever it subscribes to (the `test` action).
    Webhook(WebhookId),
}

impl Audience {
    /// What the first attempt of a new delivery counts as: a test send is a person's doing.
    pub fn trigger(&self) -> hookd_core::model::Trigger {
        match self {
            Audience::Subscribers => hookd_core::model::Trigger::Auto,
            Audience::Webhook(_) => hookd_core::model::Trigger::Manual,
        }
    }
}

/// What a batch of attempt records does to one webhook's row: one update per webhook per
/// batch, however many of its attempts the batch holds, and none while the webhook stays
/// healthy and `last_triggered_at` would move by less than a second (its precision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebhookEffect {
    pub webhook_id: WebhookId,
    pub last_triggered_at: Timestamp,
    /// A success in the batch ended the streak: the columns are set, not added to.
    pub reset: bool,
    /// The first failed attempt after the last success in the batch, if any.
    pub failing_since: Option<Timestamp>,
    /// Deliveries that failed for good after the last success in the batch.
    pub failed_deliveries: i64,
}

pub(crate) fn webhook_effects(records: &[AttemptRecord]) -> Vec<WebhookEffect> {
    let mut order: Vec<WebhookId> = Vec::new();
    let mut effects: std::collections::HashMap<WebhookId, WebhookEffect> = std::collections::HashMap::new();
    for r in records {
        let Some(a) = &r.attempt else { continue };
        let e = effects.entry(a.webhook_id.clone()).or_insert_with(|| {
            order.push(a.webhook_id.clone());
            WebhookEffect {
                webhook_id: a.webhook_id.clone(),
                last_triggered_at: a.sent_at,
                reset: false,
                failing_since: None,
                failed_deliveries: 0,
            }
        });
        e.last_triggered_at = e.last_triggered_at.max(a.sent_at);
        if r.outcome == Outcome::Cancelled {
            // Nothing was sent: the receiver is neither healthier nor worse for it.
            continue;
        }
        if a.succeeded() {
            e.reset = true;
            e.failing_since = None;
            e.failed_deliveries = 0;
        } else {
            e.failing_since = Some(e.failing_since.map_or(a.sent_at, |t| t.min(a.sent_at)));
            e.failed_deliveries += (r.outcome == Outcome::Failed) as i64;
        }
    }
    order.into_iter().filter_map(|id| effects.remove(&id)).collect()
}

/// Webhooks and orgs whose due deliveries a claim passes over: they have every request in
/// flight that the claiming node gives them, so what it claimed of theirs would only wait.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saturated {
    pub webhooks: Vec<WebhookId>,
    pub orgs: Vec<OrgId>,
}

impl Saturated {
    /// Passes over nothing.
    pub const NONE: Saturated = Saturated { webhooks: Vec::new(), orgs: Vec::new() };

    pub fn is_empty(&self) -> bool {
        self.webhooks.is_empty() && self.orgs.is_empty()
    }

    /// The two lists as JSON arrays, for SQLite's `json_each`.
    pub(crate) fn as_json(&self) -> (String, String) {
        let ids = |v: Vec<&str>| serde_json::to_string(&v).unwrap_or_else(|_| "[]".into());
        (ids(self.webhooks.iter().map(|w| w.as_str()).collect()), ids(self.orgs.iter().map(|o| o.as_str()).collect()))
    }
}

/// The result of publishing: the event's deliveries, and whether an earlier call with the
/// same `Idempotency-Key` had already created it.
#[derive(Debug, Clone)]
pub struct Published {
    pub event_id: EventId,
    pub deliveries: Vec<DeliveryId>,
    pub replayed: bool,
    /// The deliveries leased to the publishing node (see [`LeaseTerms`]); theirs to send.
    pub leased: Vec<PublishedLease>,
    /// Subscribers whose filter refused the event (none for a replay).
    pub filtered: usize,
}

/// A delivery leased at publish, with the revision of its webhook that the publish read: a
/// copy of the webhook at that revision or a later one is fresh enough to send it with.
#[derive(Debug, Clone)]
pub struct PublishedLease {
    pub delivery: Delivery,
    pub webhook_revision: i64,
}

impl PublishedLease {
    /// The delivery as publishing writes it, leased until `until`.
    pub(crate) fn new(
        id: DeliveryId,
        e: &Event,
        webhook: &rows::Target,
        until: i64,
        trigger: hookd_core::model::Trigger,
    ) -> Self {
        let delivery = Delivery {
            id,
            org_id: e.org_id.clone(),
            webhook_id: webhook.id.clone(),
            event_id: e.id.clone(),
            state: DeliveryState::Pending,
            attempts: 0,
            next_attempt_at: Some(rows::ts(until)),
            next_trigger: trigger,
            created_at: e.created_at,
            updated_at: e.created_at,
        };
        Self { delivery, webhook_revision: webhook.revision }
    }
}

impl Published {
    pub(crate) fn new(
        event_id: EventId,
        deliveries: Vec<DeliveryId>,
        leased: Vec<PublishedLease>,
        filtered: usize,
    ) -> Self {
        Self { event_id, deliveries, replayed: false, leased, filtered }
    }

    pub(crate) fn replayed(event_id: EventId, deliveries: Vec<DeliveryId>) -> Self {
        Self { event_id, deliveries, replayed: true, leased: vec![], filtered: 0 }
    }
}

/// Every change a caller asks for with an `audit` entry writes the entry in the change's own
/// transaction: a change that happened has its entry, one that did not has none.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `Ok` when the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Writes `bytes` bytes and removes them: `Ok` when the database has room for a write of
    /// that size (after a full disk, say).
    async fn probe_write(&self, bytes: usize) -> Result<(), StoreError>;
    /// Wakes `wake` whenever another node makes work due. One node alone needs nothing:
    /// its own API wakes its dispatcher directly.
    fn watch_for_work(&self, _wake: std::sync::Arc<tokio::sync::Notify>) {}
    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Stores `value` under `key` unless a value is there already; returns the stored one.
    /// Of several nodes starting at once, exactly one writes.
    async fn init_setting(&self, key: &str, value: &str) -> Result<String, StoreError>;
    /// The signing secret of some webhook, if there is any: a sample of what the master key
    /// sealed, for checking a key against a database that recorded none.
    async fn any_signing_secret(&self) -> Result<Option<SealedSecret>, StoreError>;

    // Organizations (operator only).
    async fn create_org(&self, org: &Org) -> Result<(), StoreError>;
    async fn get_org(&self, id: &OrgId) -> Result<Org, StoreError>;
    async fn update_org(&self, org: &Org, audit: &AuditEntry) -> Result<(), StoreError>;
    async fn list_orgs(&self, page: &PageRequest<()>) -> Result<Page<Org>, StoreError>;
    /// The organizations whose parent is `parent`, in creation order.
    async fn child_orgs(&self, parent: &OrgId) -> Result<Vec<Org>, StoreError>;

    // Members.
    async fn create_member(&self, member: &Member, audit: &AuditEntry) -> Result<(), StoreError>;
    async fn get_member(&self, org: &OrgId, id: &MemberId) -> Result<Member, StoreError>;
    async fn update_member(&self, member: &Member, audit: &AuditEntry) -> Result<(), StoreError>;
    async fn delete_member(&self, org: &OrgId, id: &MemberId, audit: &AuditEntry) -> Result<(), StoreError>;
    async fn list_members(&self, org: &OrgId, page: &PageRequest<()>) -> Result<Page<Member>, StoreError>;

    /// An org's audit log, newest first with `Order::Desc`.
    async fn list_audit(&self, org: &OrgId, page: &PageRequest<()>) -> Result<Page<AuditEntry>, StoreError>;
    // Access tokens; only the SHA-256 of a token is stored.
    async fn create_token(&self, token: &AccessToken, hash: &[u8; 32], audit: &AuditEntry) -> Result<(), StoreError>;
    async fn token_by_hash(&self, hash: &[u8; 32]) -> Result<Option<AccessToken>, StoreError>;
    async fn list_tokens(&self, org: &OrgId, page: &PageRequest<()>) -> Result<Page<AccessToken>, StoreError>;
    async fn rename_token(
        &self,
        org: &OrgId,
        id: &TokenId,
        name: &str,
        audit: &AuditEntry,
    ) -> Result<AccessToken, StoreError>;
    async fn delete_token(&self, org: &OrgId, id: &TokenId, audit: &AuditEntry) -> Result<(), StoreError>;
    /// Records that a token was used at `at` (callers write this rarely, not per request).
    async fn touch_token(&self, id: &TokenId, at: Timestamp) -> Result<(), StoreError>;

    // The portal's sign-in; only the SHA-256 of a link's secret and of a session cookie is stored.
    async fn create_login_link(&self, link: &LoginLink, hash: &[u8; 32]) -> Result<(), StoreError>;
    /// The link, without using it up; `NotFound` when it is unknown, used or expired.
    async fn login_link(&self, hash: &[u8; 32], now: Timestamp) -> Result<LoginLink, StoreError>;
    /// Marks the link used and returns it; `NotFound` when it is unknown, used or expired.
    async fn redeem_login_link(&self, hash: &[u8; 32], now: Timestamp) -> Result<LoginLink, StoreError>;
    async fn create_session(&self, session: &Session, hash: &[u8; 32]) -> Result<(), StoreError>;
    /// The session, unless it is unknown or expired.
    async fn session_by_hash(&self, hash: &[u8; 32], now: Timestamp) -> Result<Option<Session>, StoreError>;
    async fn delete_session(&self, hash: &[u8; 32]) -> Result<(), StoreError>;
    /// Ends every session of a member and the login links made for them not yet used.
    async fn end_sessions(&self, org: &OrgId, member: &MemberId) -> Result<(), StoreError>;

    // The event-type catalog (global).
    async fn upsert_event_type(&self, event_type: &EventType) -> Result<(), StoreError>;
    async fn get_event_type(&self, name: &str) -> Result<EventType, StoreError>;
    /// One page of the catalog, by name or by group.
    async fn list_event_types(&self, page: &PageRequest<EventTypeSort>) -> Result<Page<EventType>, StoreError>;
    /// The whole catalog, by group then name (the portal's pickers show it all).
    async fn all_event_types(&self) -> Result<Vec<EventType>, StoreError>;

    // Webhooks.
    async fn create_webhook(&self, webhook: &Webhook, audit: &AuditEntry) -> Result<(), StoreError>;
    async fn get_webhook(&self, org: &OrgId, id: &WebhookId) -> Result<Webhook, StoreError>;
    /// Writes what `edit` names, in one transaction with its consequences (the subscription
    /// index, pending deliveries' ordering, the operational event of a status change) and
    /// returns the webhook as it is then. `NotFound` when it is gone; `Stale` when it is at
    /// another revision than `edit.if_revision`, or its credentials are no longer the ones
    /// `edit.auth` replaces.
    async fn edit_webhook(&self, edit: &WebhookEdit) -> Result<Webhook, StoreError>;
    /// Makes `secret` the signing secret if the stored one is still `replacing` (else
    /// `Stale`: another rotation ran meanwhile), with `rotated_out` (the sealed secrets that
    /// still sign, and when the last stops) in one statement.
    async fn rotate_secret(
        &self,
        org: &OrgId,
        id: &WebhookId,
        secret: &SealedSecret,
        replacing: &SealedSecret,
        rotated_out: Option<(&SealedSecret, Timestamp)>,
        audit: &AuditEntry,
    ) -> Result<Webhook, StoreError>;
    /// Deletes the webhooks and fails their pending deliveries, each with its audit entry;
    /// all or none: `NotFound` if one is not there.
    async fn delete_webhooks(&self, org: &OrgId, deletions: &[(WebhookId, AuditEntry)]) -> Result<(), StoreError>;
    async fn list_webhooks(&self, org: &OrgId, page: &PageRequest<WebhookSort>) -> Result<Page<Webhook>, StoreError>;
    // Events and deliveries.
    /// Picks the event's webhooks and writes the event and its deliveries in one durable
    /// transaction, so a webhook created or disabled meanwhile is either wholly in or out.
    /// `NotFound` when the event's org does not exist.
    async fn publish(&self, event: &Event, audience: &Audience) -> Result<Published, StoreError> {
        self.publish_leased(event, audience, None).await
    }
    /// [`Store::publish`], leasing new deliveries to the publishing node as `lease` says.
    async fn publish_leased(
        &self,
        event: &Event,
        audience: &Audience,
        lease: Option<&LeaseTerms>,
    ) -> Result<Published, StoreError>;
    async fn get_event(&self, org: &OrgId, id: &EventId) -> Result<(Event, Vec<DeliveryId>), StoreError>;
    async fn get_delivery(&self, org: &OrgId, id: &DeliveryId) -> Result<Delivery, StoreError>;
    /// Makes a delivery due now again, for a manual re-send.
    async fn resend_delivery(&self, org: &OrgId, id: &DeliveryId, audit: &AuditEntry) -> Result<Delivery, StoreError>;
    /// How many deliveries of a webhook failed since `since` ([`Store::recover_webhook`] would
    /// make them due again).
    async fn count_failed(&self, org: &OrgId, id: &WebhookId, since: Timestamp) -> Result<u64, StoreError>;
    /// Makes every failed delivery of a webhook since `since` due again; returns how many.
    async fn recover_webhook(
        &self,
        org: &OrgId,
        id: &WebhookId,
        since: Timestamp,
        audit: &AuditEntry,
    ) -> Result<u64, StoreError>;

    // The delivery engine.
    /// Leases up to `max` due deliveries to `node` for `lease`, passing over those of `skip`.
    /// Ordered webhooks get at most one delivery in flight, the oldest. Fewer than `max` means
    /// fewer were due: the dispatcher then waits before it looks again.
    async fn claim_due(
        &self,
        node: &str,
        lease: Duration,
        max: usize,
        skip: &Saturated,
    ) -> Result<Vec<LeasedDelivery>, StoreError>;
    /// The webhooks of deliveries leased at publishing, to make claims of them. Not scoped
    /// to an org: the IDs come from the store, not from a caller.
    async fn webhooks_by_id(&self, ids: &[WebhookId]) -> Result<Vec<Webhook>, StoreError>;
    /// A `poll` webhook's deliveries waiting to be pulled after `iterator` (from the oldest
    /// without one), at most `limit`, with their events; marked as handed out, so a later
    /// iterator acknowledges them. One never handed out comes whatever its place.
    async fn pull_next(
        &self,
        org: &OrgId,
        webhook: &WebhookId,
        iterator: Option<&DeliveryId>,
        limit: usize,
    ) -> Result<Vec<(Delivery, Event)>, StoreError>;
    /// The deliveries `iterator` acknowledges: handed out by a pull, still pending, at or
    /// before it (the caller records them as delivered).
    async fn pull_acknowledged(
        &self,
        org: &OrgId,
        webhook: &WebhookId,
        iterator: &DeliveryId,
    ) -> Result<Vec<Delivery>, StoreError>;
    /// Writes a batch of attempts and their consequences in one transaction. Shared, so that a
    /// caller can write the same batch again after a failure without copying it.
    async fn record_attempts(&self, records: Arc<Vec<AttemptRecord>>) -> Result<(), StoreError>;
    /// Gives back deliveries leased to `node` that it will not send (it is stopping): they
    /// are due at once for any node. One whose lease passed to another node is left alone.
    async fn release_leases(&self, node: &str, ids: &[DeliveryId]) -> Result<(), StoreError>;
    /// When the earliest pending delivery not of `skip` becomes due, if any.
    async fn next_due_at(&self, skip: &Saturated) -> Result<Option<Timestamp>, StoreError>;
    async fn backlog(&self) -> Result<Backlog, StoreError>;

    // History.
    async fn list_attempts(
        &self,
        org: &OrgId,
        filter: &AttemptFilter,
        page: &PageRequest<AttemptSort>,
    ) -> Result<Page<Attempt>, StoreError>;
    async fn get_attempt(&self, org: &OrgId, id: &AttemptId) -> Result<Attempt, StoreError>;
    /// An event's deliveries, in the order they were made.
    async fn event_deliveries(&self, org: &OrgId, event: &EventId) -> Result<Vec<Delivery>, StoreError>;
    /// An org's events (payloads left out), each with its deliveries counted by state.
    async fn list_events(
        &self,
        org: &OrgId,
        filter: &EventFilter,
        page: &PageRequest<()>,
    ) -> Result<Page<EventSummary>, StoreError>;
    /// A token that changes whenever one of the org's attempts is recorded or one of its
    /// events published (what open pages poll to know they are out of date).
    async fn activity(&self, org: &OrgId) -> Result<String, StoreError>;

    // Retention.
    /// Deletes up to `max` of each of: attempts, finished deliveries, and events left with no
    /// delivery, made before `before`; and health counts older than their grain is kept.
    /// Returns how many rows went; call again until 0.
    async fn prune(&self, before: Timestamp, max: usize) -> Result<u64, StoreError>;

    // Health.
    /// The health counts of an org's webhooks, or of those named, in buckets of `grain`
    /// starting at `since` or later.
    async fn health(
        &self,
        org: &OrgId,
        webhooks: Option<&[WebhookId]>,
        grain: hookd_core::health::Grain,
        since: Timestamp,
    ) -> Result<Vec<hookd_core::health::Stored>, StoreError>;
    /// When the webhook's next retry is due, if a delivery is waiting for one.
    async fn next_retry_at(&self, org: &OrgId, webhook: &WebhookId) -> Result<Option<Timestamp>, StoreError>;
}
