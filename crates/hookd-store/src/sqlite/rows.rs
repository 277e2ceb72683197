//! Row ↔ record conversions for SQLite.

use chrono::{DateTime, Utc};
use hookd_core::model::{
    AccessToken, Attempt, AttemptError, AttemptErrorKind, Delivery, DeliveryState, Environment, Event, EventType,
    Member, MemberStatus, Org, Role, Trigger, Webhook, WebhookStatus,
};
use hookd_core::secret::SealedSecret;
use rusqlite::Row;
use serde::de::DeserializeOwned;

use crate::Timestamp;

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

fn bad(col: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("column {col} holds unknown value `{value}`").into(),
    )
}

fn id<T>(row: &Row, col: &str, parse: fn(&str) -> Result<T, hookd_core::IdParseError>) -> rusqlite::Result<T> {
    let text: String = row.get(col)?;
    parse(&text).map_err(|_| bad(col, &text))
}

fn opt_id<T>(
    row: &Row,
    col: &str,
    parse: fn(&str) -> Result<T, hookd_core::IdParseError>,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(col)?;
    text.map(|t| parse(&t).map_err(|_| bad(col, &t))).transpose()
}

fn enum_col<T>(row: &Row, col: &str, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(col)?;
    parse(&text).ok_or_else(|| bad(col, &text))
}

pub(crate) const ORG_COLS: &str = "id, name, parent_id, features, created_at";

pub(crate) fn org(row: &Row) -> rusqlite::Result<Org> {
    Ok(Org {
        id: id(row, "id", hookd_core::OrgId::parse)?,
        name: row.get("name")?,
        parent_id: opt_id(row, "parent_id", hookd_core::OrgId::parse)?,
        features: json(row.get("features")?),
        created_at: ts(row.get("created_at")?),
    })
}

pub(crate) const MEMBER_COLS: &str = "id, org_id, name, email, phone, role, groups, external_id, status, created_at";

pub(crate) fn member(row: &Row) -> rusqlite::Result<Member> {
    Ok(Member {
        id: id(row, "id", hookd_core::MemberId::parse)?,
        org_id: id(row, "org_id", hookd_core::OrgId::parse)?,
        name: row.get("name")?,
        email: row.get("email")?,
        phone: row.get("phone")?,
        role: enum_col(row, "role", Role::parse)?,
        groups: json(row.get("groups")?),
        external_id: row.get("external_id")?,
        status: enum_col(row, "status", MemberStatus::parse)?,
        created_at: ts(row.get("created_at")?),
    })
}

/// A webhook owner's columns, aliased so they sit beside a webhook's in one row.
pub(crate) const OWNER_COLS: &str = "m.id AS m_id, m.org_id AS m_org_id, m.name AS m_name, m.email AS m_email, \
    m.phone AS m_phone, m.role AS m_role, m.groups AS m_groups, m.external_id AS m_external_id, m.status AS m_status, \
    m.created_at AS m_created_at";

pub(crate) fn owner(row: &Row) -> rusqlite::Result<Option<Member>> {
    if row.get::<_, Option<String>>("m_id")?.is_none() {
        return Ok(None);
    }
    Ok(Some(Member {
        id: id(row, "m_id", hookd_core::MemberId::parse)?,
        org_id: id(row, "m_org_id", hookd_core::OrgId::parse)?,
        name: row.get("m_name")?,
        email: row.get("m_email")?,
        phone: row.get("m_phone")?,
        role: enum_col(row, "m_role", Role::parse)?,
        groups: json(row.get("m_groups")?),
        external_id: row.get("m_external_id")?,
        status: enum_col(row, "m_status", MemberStatus::parse)?,
        created_at: ts(row.get("m_created_at")?),
    }))
}

pub(crate) const TOKEN_COLS: &str = "id, org_id, name, role, created_at, last_used_at";

pub(crate) fn token(row: &Row) -> rusqlite::Result<AccessToken> {
    Ok(AccessToken {
        id: id(row, "id", hookd_core::TokenId::parse)?,
        org_id: id(row, "org_id", hookd_core::OrgId::parse)?,
        name: row.get("name")?,
        role: enum_col(row, "role", Role::parse)?,
        created_at: ts(row.get("created_at")?),
        last_used_at: row.get::<_, Option<i64>>("last_used_at")?.map(ts),
    })
}

pub(crate) const EVENT_TYPE_COLS: &str = "name, grp, description, schema, example, created_at";

pub(crate) fn event_type(row: &Row) -> rusqlite::Result<EventType> {
    let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str(&t).ok());
    Ok(EventType {
        name: row.get("name")?,
        group: row.get("grp")?,
        description: row.get("description")?,
        schema: parse(row.get("schema")?),
        example: parse(row.get("example")?),
        created_at: ts(row.get("created_at")?),
    })
}

pub(crate) const WEBHOOK_COLS: &str = "w.id, w.org_id, w.name, w.url, w.description, w.event_types, w.environment, \
    w.owner_id, w.include_child_orgs, w.options, w.signing_enabled, w.signing_secret, w.previous_secret, \
    w.previous_until, w.auth, w.enabled, w.status_reason, w.status_changed_at, w.status_changed_by, w.created_at, \
    w.updated_at, w.last_triggered_at, w.failing_since, w.failed_deliveries";

pub(crate) fn webhook(row: &Row) -> rusqlite::Result<Webhook> {
    let previous: Option<Vec<u8>> = row.get("previous_secret")?;
    let until: Option<i64> = row.get("previous_until")?;
    Ok(Webhook {
        id: id(row, "id", hookd_core::WebhookId::parse)?,
        org_id: id(row, "org_id", hookd_core::OrgId::parse)?,
        name: row.get("name")?,
        url: row.get("url")?,
        description: row.get("description")?,
        event_types: json(row.get("event_types")?),
        environment: enum_col(row, "environment", Environment::parse)?,
        owner_id: opt_id(row, "owner_id", hookd_core::MemberId::parse)?,
        include_child_orgs: row.get("include_child_orgs")?,
        options: json(row.get("options")?),
        signing_enabled: row.get("signing_enabled")?,
        signing_secret: SealedSecret(row.get("signing_secret")?),
        previous_secret: previous.zip(until).map(|(p, u)| (SealedSecret(p), ts(u))),
        auth: SealedSecret(row.get("auth")?),
        status: WebhookStatus {
            enabled: row.get("enabled")?,
            reason: row.get("status_reason")?,
            changed_at: ts(row.get("status_changed_at")?),
            changed_by: row.get("status_changed_by")?,
        },
        created_at: ts(row.get("created_at")?),
        updated_at: ts(row.get("updated_at")?),
        last_triggered_at: row.get::<_, Option<i64>>("last_triggered_at")?.map(ts),
        failing_since: row.get::<_, Option<i64>>("failing_since")?.map(ts),
        failed_deliveries: row.get("failed_deliveries")?,
    })
}

pub(crate) const EVENT_COLS: &str = "e.id, e.org_id, e.event_type, e.payload, e.resource_url, e.environment, \
    e.visible_to, e.occurred_at, e.created_at, e.idempotency_key";

pub(crate) fn event(row: &Row) -> rusqlite::Result<Event> {
    Ok(Event {
        id: id(row, "id", hookd_core::EventId::parse)?,
        org_id: id(row, "org_id", hookd_core::OrgId::parse)?,
        event_type: row.get("event_type")?,
        payload: row.get("payload")?,
        resource_url: row.get("resource_url")?,
        environment: enum_col(row, "environment", Environment::parse)?,
        visible_to: json(row.get("visible_to")?),
        occurred_at: ts(row.get("occurred_at")?),
        created_at: ts(row.get("created_at")?),
        idempotency_key: row.get("idempotency_key")?,
    })
}

pub(crate) const DELIVERY_COLS: &str = "d.id, d.org_id, d.webhook_id, d.event_id, d.state, d.attempts, \
    d.next_attempt_at, d.next_trigger, d.created_at, d.updated_at";

pub(crate) fn delivery(row: &Row) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        id: id(row, "id", hookd_core::DeliveryId::parse)?,
        org_id: id(row, "org_id", hookd_core::OrgId::parse)?,
        webhook_id: id(row, "webhook_id", hookd_core::WebhookId::parse)?,
        event_id: id(row, "event_id", hookd_core::EventId::parse)?,
        state: enum_col(row, "state", DeliveryState::parse)?,
        attempts: row.get("attempts")?,
        next_attempt_at: row.get::<_, Option<i64>>("next_attempt_at")?.map(ts),
        next_trigger: enum_col(row, "next_trigger", Trigger::parse)?,
        created_at: ts(row.get("created_at")?),
        updated_at: ts(row.get("updated_at")?),
    })
}

pub(crate) const ATTEMPT_SUMMARY_COLS: &str = "a.id, a.org_id, a.delivery_id, a.webhook_id, a.event_ids, a.url, \
    a.sent_at, a.response_status, a.duration_ms, a.error_kind, a.error_message, a.trigger";
pub(crate) const ATTEMPT_DETAIL_COLS: &str = "a.request_headers, a.request_body, a.response_headers, a.response_body";

/// An attempt; with `detail`, its request and response too (the list leaves them out).
pub(crate) fn attempt(row: &Row, detail: bool) -> rusqlite::Result<Attempt> {
    let kind: Option<String> = row.get("error_kind")?;
    let error = match kind {
        Some(k) => Some(AttemptError {
            kind: AttemptErrorKind::parse(&k).ok_or_else(|| bad("error_kind", &k))?,
            message: row.get::<_, Option<String>>("error_message")?.unwrap_or_default(),
        }),
        None => None,
    };
    let event_ids: Vec<String> = json(row.get("event_ids")?);
    let (request_headers, request_body, response_headers, response_body) = if detail {
        (
            json(row.get("request_headers")?),
            row.get("request_body")?,
            json(row.get("response_headers")?),
            row.get("response_body")?,
        )
    } else {
        Default::default()
    };
    Ok(Attempt {
        id: id(row, "id", hookd_core::AttemptId::parse)?,
        org_id: id(row, "org_id", hookd_core::OrgId::parse)?,
        delivery_id: id(row, "delivery_id", hookd_core::DeliveryId::parse)?,
        webhook_id: id(row, "webhook_id", hookd_core::WebhookId::parse)?,
        event_ids: event_ids.iter().filter_map(|e| hookd_core::EventId::parse(e).ok()).collect(),
        url: row.get("url")?,
        sent_at: ts(row.get("sent_at")?),
        response_status: row.get("response_status")?,
        duration_ms: row.get::<_, i64>("duration_ms")?.max(0) as u64,
        error,
        trigger: enum_col(row, "trigger", Trigger::parse)?,
        request_headers,
        request_body,
        response_headers,
        response_body,
    })
}
