//! Row → record mapping, written once for both backends over [`DbRow`].

use chrono::{DateTime, Utc};
use hookd_core::filter::Filter;
use hookd_core::model::{
    AccessToken, Attempt, AttemptError, AttemptErrorKind, AuditEntry, Delivery, DeliveryState, DestinationKind,
    Environment, Event, EventType, Member, MemberStatus, Org, RequestBody, Role, Trigger, Webhook, WebhookStatus,
    history_text,
};
use hookd_core::secret::SealedSecret;
use hookd_core::{AttemptId, AuditId, DeliveryId, EventId, IdParseError, MemberId, OrgId, TokenId, WebhookId};
use serde::de::DeserializeOwned;

use crate::{StoreError, Timestamp};

/// What the mappers need from a result row, by column name.
pub trait DbRow {
    fn text(&self, col: &str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, col: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError>;
    fn flag(&self, col: &str) -> Result<bool, StoreError>;
    fn blob(&self, col: &str) -> Result<Vec<u8>, StoreError>;
    fn opt_blob(&self, col: &str) -> Result<Option<Vec<u8>>, StoreError>;
}

pub(crate) fn ms(t: &Timestamp) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn ts(ms: i64) -> Timestamp {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn json<T: DeserializeOwned + Default>(text: String) -> T {
    serde_json::from_str(&text).unwrap_or_default()
}

fn bad(col: &str, value: &str) -> StoreError {
    StoreError::Other(format!("column {col} holds unknown value `{value}`").into())
}

fn actor_ref(col: &str, text: String) -> Result<hookd_core::model::ActorRef, StoreError> {
    hookd_core::model::ActorRef::parse(&text).ok_or_else(|| bad(col, &text))
}

fn id<T>(row: &(impl DbRow + ?Sized), col: &str, parse: fn(&str) -> Result<T, IdParseError>) -> Result<T, StoreError> {
    let text = row.text(col)?;
    parse(&text).map_err(|_| bad(col, &text))
}

fn opt_id<T>(
    row: &(impl DbRow + ?Sized),
    col: &str,
    parse: fn(&str) -> Result<T, IdParseError>,
) -> Result<Option<T>, StoreError> {
    row.opt_text(col)?.map(|t| parse(&t).map_err(|_| bad(col, &t))).transpose()
}

fn enum_col<T>(row: &(impl DbRow + ?Sized), col: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    let text = row.text(col)?;
    parse(&text).ok_or_else(|| bad(col, &text))
}

pub(crate) const ORG_COLS: &str = "id, name, parent_id, features, created_at";

pub(crate) fn org(row: &(impl DbRow + ?Sized)) -> Result<Org, StoreError> {
    Ok(Org {
        id: id(row, "id", OrgId::parse)?,
        name: row.text("name")?,
        parent_id: opt_id(row, "parent_id", OrgId::parse)?,
        features: json(row.text("features")?),
        created_at: ts(row.int("created_at")?),
    })
}

pub(crate) const MEMBER_COLS: &str = "id, org_id, name, email, phone, role, groups, external_id, status, created_at";

fn member_with(row: &(impl DbRow + ?Sized), p: &str) -> Result<Member, StoreError> {
    let c = |name: &str| format!("{p}{name}");
    Ok(Member {
        id: id(row, &c("id"), MemberId::parse)?,
        org_id: id(row, &c("org_id"), OrgId::parse)?,
        name: row.text(&c("name"))?,
        email: row.text(&c("email"))?,
        phone: row.opt_text(&c("phone"))?,
        role: enum_col(row, &c("role"), Role::parse)?,
        groups: json(row.text(&c("groups"))?),
        external_id: row.opt_text(&c("external_id"))?,
        status: enum_col(row, &c("status"), MemberStatus::parse)?,
        created_at: ts(row.int(&c("created_at"))?),
    })
}

pub(crate) fn member(row: &(impl DbRow + ?Sized)) -> Result<Member, StoreError> {
    member_with(row, "")
}

/// A webhook owner's columns, aliased so they sit beside a webhook's in one row.
pub(crate) const OWNER_COLS: &str = "m.id AS m_id, m.org_id AS m_org_id, m.name AS m_name, m.email AS m_email, \
    m.phone AS m_phone, m.role AS m_role, m.groups AS m_groups, m.external_id AS m_external_id, m.status AS m_status, \
    m.created_at AS m_created_at";

pub(crate) fn owner(row: &(impl DbRow + ?Sized)) -> Result<Option<Member>, StoreError> {
    if row.opt_text("m_id")?.is_none() {
        return Ok(None);
    }
    member_with(row, "m_").map(Some)
}

pub(crate) const TOKEN_COLS: &str = "id, org_id, name, role, created_at, last_used_at";

pub(crate) fn token(row: &(impl DbRow + ?Sized)) -> Result<AccessToken, StoreError> {
    Ok(AccessToken {
        id: id(row, "id", TokenId::parse)?,
        org_id: id(row, "org_id", OrgId::parse)?,
        name: row.text("name")?,
        role: enum_col(row, "role", Role::parse)?,
        created_at: ts(row.int("created_at")?),
        last_used_at: row.opt_int("last_used_at")?.map(ts),
    })
}

pub(crate) const AUDIT_COLS: &str = "id, org_id, at, actor, action, target, summary";

pub(crate) fn audit(row: &(impl DbRow + ?Sized)) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: id(row, "id", AuditId::parse)?,
        org_id: id(row, "org_id", OrgId::parse)?,
        at: ts(row.int("at")?),
        actor: actor_ref("actor", row.text("actor")?)?,
        action: row.text("action")?,
        target: row.text("target")?,
        summary: row.text("summary")?,
    })
}

pub(crate) const EVENT_TYPE_COLS: &str = "name, grp, description, schema, example, created_at";

pub(crate) fn event_type(row: &(impl DbRow + ?Sized)) -> Result<EventType, StoreError> {
    let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str(&t).ok());
    Ok(EventType {
        name: row.text("name")?,
        group: row.text("grp")?,
        description: row.text("description")?,
        schema: parse(row.opt_text("schema")?),
        example: parse(row.opt_text("example")?),
        created_at: ts(row.int("created_at")?),
    })
}

pub(crate) const WEBHOOK_COLS: &str = "w.id, w.org_id, w.name, w.url, w.description, w.event_types, w.environment, \
    w.owner_id, w.include_child_orgs, w.options, w.filter, w.transformation, w.signing_enabled, w.signing_secret, w.previous_secret, \
    w.previous_until, w.auth, w.destination_type, w.destination, w.enabled, w.status_reason, w.status_changed_at, w.status_changed_by, w.created_at, \
    w.updated_at, w.last_triggered_at, w.failing_since, w.failed_deliveries, w.revision";

pub(crate) fn webhook(row: &(impl DbRow + ?Sized)) -> Result<Webhook, StoreError> {
    Ok(Webhook {
        id: id(row, "id", WebhookId::parse)?,
        org_id: id(row, "org_id", OrgId::parse)?,
        name: row.text("name")?,
        url: row.text("url")?,
        description: row.opt_text("description")?,
        event_types: json(row.text("event_types")?),
        environment: enum_col(row, "environment", Environment::parse)?,
        owner_id: opt_id(row, "owner_id", MemberId::parse)?,
        include_child_orgs: row.flag("include_child_orgs")?,
        options: json(row.text("options")?),
        filter: filter(row)?,
        transformation: row
            .opt_text("transformation")?
            .map(|t| serde_json::from_str(&t).map_err(|e| bad("transformation", &e.to_string())))
            .transpose()?,
        signing_enabled: row.flag("signing_enabled")?,
        signing_secret: SealedSecret(row.blob("signing_secret")?),
        rotated_out: {
            let previous = row.opt_blob("previous_secret")?;
            row.opt_int("previous_until")?.zip(previous).map(|(u, p)| (SealedSecret(p), ts(u)))
        },
        auth: SealedSecret(row.blob("auth")?),
        destination_kind: enum_col(row, "destination_type", DestinationKind::parse)?,
        destination: row.opt_blob("destination")?.map(SealedSecret),
        status: WebhookStatus {
            enabled: row.flag("enabled")?,
            reason: row.opt_text("status_reason")?,
            changed_at: ts(row.int("status_changed_at")?),
            changed_by: row.opt_text("status_changed_by")?.map(|t| actor_ref("status_changed_by", t)).transpose()?,
        },
        created_at: ts(row.int("created_at")?),
        updated_at: ts(row.int("updated_at")?),
        last_triggered_at: row.opt_int("last_triggered_at")?.map(ts),
        failing_since: row.opt_int("failing_since")?.map(ts),
        failed_deliveries: row.int("failed_deliveries")?.clamp(0, u32::MAX as i64) as u32,
        revision: row.int("revision")?,
    })
}

/// A stored filter: hookd wrote it after checking it, so one that no longer parses is an error
/// rather than a filter quietly dropped (which would deliver what it refused).
fn filter(row: &(impl DbRow + ?Sized)) -> Result<Option<Filter>, StoreError> {
    let Some(text) = row.opt_text("filter")? else { return Ok(None) };
    serde_json::from_str(&text).map(Some).map_err(|e| bad("filter", &format!("{text} ({e})")))
}

/// A webhook an event goes to: what publishing needs of it and no more (publishing reads
/// every subscriber of the event's type, so full rows would cost on every publish).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    pub id: WebhookId,
    pub org_id: OrgId,
    pub ordered: bool,
    pub revision: i64,
    pub filter: Option<Filter>,
    /// A `poll` webhook's: its deliveries wait for a consumer to pull them.
    pub pulled: bool,
}

/// Maps a row of each backend's `TARGET_COLS` (`sqlite/rows.rs`, `postgres/publish.rs`): both
/// read `ordered` out of the options in SQL, so the row carries it as a flag.
pub(crate) fn target(row: &(impl DbRow + ?Sized)) -> Result<Target, StoreError> {
    Ok(Target {
        id: id(row, "id", WebhookId::parse)?,
        org_id: id(row, "org_id", OrgId::parse)?,
        ordered: row.flag("ordered")?,
        revision: row.int("revision")?,
        filter: filter(row)?,
        pulled: row.flag("pulled")?,
    })
}

/// The subscribers an event goes to, and those whose filter refused it. A webhook's owner
/// must be allowed to view the event (a webhook without an owner sees only what is visible to
/// everyone); then its filter must pass it, matched against the event's [`subject`], which is
/// made only if some webhook has a filter.
///
/// [`subject`]: hookd_core::filter::subject
pub(crate) fn audience_of(candidates: Vec<(Target, Option<Member>)>, e: &Event) -> Chosen {
    let mut subject = None;
    let mut chosen = Chosen::default();
    for (t, owner) in candidates {
        let visible = match owner {
            Some(m) => hookd_core::visibility::may_view(&m, &e.visible_to),
            None => e.visible_to.is_empty(),
        };
        if !visible {
            continue;
        }
        match &t.filter {
            Some(f) if !f.matches(subject.get_or_insert_with(|| hookd_core::filter::subject(e))) => {
                chosen.refused.push(t)
            }
            _ => chosen.targets.push(t),
        }
    }
    chosen
}

/// An event's subscribers, split by their filters.
#[derive(Debug, Default)]
pub(crate) struct Chosen {
    pub targets: Vec<Target>,
    pub refused: Vec<Target>,
}

impl Chosen {
    /// What the refusals add to their webhooks' health buckets (as `filtered`), at `now_ms`.
    pub(crate) fn filtered_counts(&self, now_ms: i64) -> Vec<hookd_core::health::Count> {
        hookd_core::health::filtered(self.refused.iter().map(|t| (&t.id, &t.org_id)), now_ms)
    }
}

pub(crate) const EVENT_COLS: &str = "e.id, e.org_id, e.event_type, e.payload, e.resource_url, e.environment, \
    e.visible_to, e.occurred_at, e.created_at, e.idempotency_key, e.traceparent";

pub(crate) fn event(row: &(impl DbRow + ?Sized)) -> Result<Event, StoreError> {
    Ok(Event {
        id: id(row, "id", EventId::parse)?,
        org_id: id(row, "org_id", OrgId::parse)?,
        event_type: row.text("event_type")?,
        payload: row.text("payload")?,
        resource_url: row.opt_text("resource_url")?,
        environment: enum_col(row, "environment", Environment::parse)?,
        visible_to: json(row.text("visible_to")?),
        occurred_at: ts(row.int("occurred_at")?),
        created_at: ts(row.int("created_at")?),
        idempotency_key: row.opt_text("idempotency_key")?,
        traceparent: row.opt_text("traceparent")?,
    })
}

pub(crate) const DELIVERY_COLS: &str = "d.id, d.org_id, d.webhook_id, d.event_id, d.state, d.attempts, \
    d.next_attempt_at, d.next_trigger, d.created_at, d.updated_at";

pub(crate) fn delivery(row: &(impl DbRow + ?Sized)) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        id: id(row, "id", DeliveryId::parse)?,
        org_id: id(row, "org_id", OrgId::parse)?,
        webhook_id: id(row, "webhook_id", WebhookId::parse)?,
        event_id: id(row, "event_id", EventId::parse)?,
        state: enum_col(row, "state", DeliveryState::parse)?,
        attempts: row.int("attempts")?.clamp(0, u32::MAX as i64) as u32,
        next_attempt_at: row.opt_int("next_attempt_at")?.map(ts),
        next_trigger: enum_col(row, "next_trigger", Trigger::parse)?,
        created_at: ts(row.int("created_at")?),
        updated_at: ts(row.int("updated_at")?),
    })
}

pub(crate) const ATTEMPT_SUMMARY_COLS: &str = "a.id, a.org_id, a.delivery_id, a.webhook_id, a.event_ids, a.url, \
    a.sent_at, a.response_status, a.duration_ms, a.duration_us, a.event_types, a.error_kind, a.error_message, a.trigger";
pub(crate) const ATTEMPT_DETAIL_COLS: &str =
    "a.request_headers, a.request_body, a.request_recipe, a.response_headers, a.response_body";

/// An attempt's `request_body` column: the text, or empty when the body is rendered.
pub(crate) fn body_text(body: &RequestBody) -> &str {
    match body {
        RequestBody::Text(t) => t,
        RequestBody::Rendered(_) => "",
    }
}

/// An attempt's `request_recipe` column: how to make the body again, as JSON, if it was rendered.
pub(crate) fn body_recipe(body: &RequestBody) -> Option<String> {
    match body {
        RequestBody::Text(_) => None,
        RequestBody::Rendered(recipe) => Some(to_json(recipe)),
    }
}

/// Makes a rendered attempt's body again from its events, which the backend read by the
/// attempt's `event_ids`. Pruning keeps an event while any attempt at it is kept; should one
/// be gone all the same, the body is left empty rather than made wrong.
pub(crate) fn render_again(a: &mut Attempt, events: &[Event]) {
    let RequestBody::Rendered(recipe) = &a.request_body else { return };
    let ordered: Option<Vec<&Event>> = a.event_ids.iter().map(|id| events.iter().find(|e| &e.id == id)).collect();
    let text =
        ordered.map(|events| history_text(recipe.render(&a.webhook_id, &a.org_id, &events).body)).unwrap_or_default();
    a.request_body = RequestBody::Text(text);
}

/// An attempt; with `detail`, its request and response too (the list leaves them out).
pub(crate) fn attempt(row: &(impl DbRow + ?Sized), detail: bool) -> Result<Attempt, StoreError> {
    let error = match row.opt_text("error_kind")? {
        Some(k) => Some(AttemptError {
            kind: AttemptErrorKind::parse(&k).ok_or_else(|| bad("error_kind", &k))?,
            message: row.opt_text("error_message")?.unwrap_or_default(),
        }),
        None => None,
    };
    let event_ids: Vec<String> = json(row.text("event_ids")?);
    let (request_headers, request_body, response_headers, response_body) = if detail {
        let body = match row.opt_text("request_recipe")? {
            Some(r) => RequestBody::Rendered(serde_json::from_str(&r).map_err(|_| bad("request_recipe", &r))?),
            None => RequestBody::Text(row.text("request_body")?),
        };
        (json(row.text("request_headers")?), body, json(row.text("response_headers")?), row.text("response_body")?)
    } else {
        (vec![], RequestBody::Text(String::new()), vec![], String::new())
    };
    Ok(Attempt {
        id: id(row, "id", AttemptId::parse)?,
        org_id: id(row, "org_id", OrgId::parse)?,
        delivery_id: id(row, "delivery_id", DeliveryId::parse)?,
        webhook_id: id(row, "webhook_id", WebhookId::parse)?,
        event_ids: event_ids.iter().filter_map(|e| EventId::parse(e).ok()).collect(),
        event_types: row.opt_text("event_types")?.map(json).unwrap_or_default(),
        url: row.text("url")?,
        sent_at: ts(row.int("sent_at")?),
        response_status: row.opt_int("response_status")?.and_then(|s| u16::try_from(s).ok()),
        // Attempts recorded before microseconds were kept have milliseconds only.
        duration_us: match row.opt_int("duration_us")? {
            Some(us) => us.max(0) as u64,
            None => row.int("duration_ms")?.max(0) as u64 * 1000,
        },
        error,
        trigger: enum_col(row, "trigger", Trigger::parse)?,
        request_headers,
        request_body,
        response_headers,
        response_body,
    })
}
