//! The history: every webhook's attempts, one attempt with its request and response, and
//! re-sending a delivery.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use hookd_core::listing::{AttemptFilter, AttemptSort, Cursor, Order, PageRequest, ResultFilter};
use hookd_core::model::AttemptErrorKind;
use hookd_core::{AttemptId, DeliveryId, WebhookId};
use serde::Deserialize;

use super::auth::{Posted, Signed};
use super::error::PortalResult;
use super::frame::{Frame, Heading, Sorting, enc, flipped, html};
use super::frame::{millis, when};
use super::state::PortalState;
use crate::ids::Ids;

use hookd_service::OpsError;
use hookd_service::history::AttemptSummary;

pub struct AttemptRow {
    pub a: AttemptSummary,
    /// When it was sent, to the second (three attempts in one minute read apart).
    pub sent: String,
    /// The same in RFC 3339, for `<time datetime>`.
    pub sent_at: String,
    pub result: String,
    pub ok: bool,
    pub webhook: Option<String>,
    pub duration: String,
    /// What was sent: the events' types (their IDs for attempts recorded before types were).
    pub events: String,
}

pub(crate) fn result_text(a: &AttemptSummary) -> String {
    match (&a.error, a.response_status) {
        (Some(e), _) => match e.kind {
            AttemptErrorKind::Timeout => "Timeout".into(),
            AttemptErrorKind::Refused => "Refused".into(),
            AttemptErrorKind::Tls => "TLS error".into(),
            AttemptErrorKind::Ssrf => "Blocked (SSRF)".into(),
            AttemptErrorKind::Rejected => "Rejected".into(),
            other => other.as_str().to_owned(),
        },
        (None, Some(s)) => s.to_string(),
        // Taken by a queue or broker, or pulled by a consumer.
        (None, None) => "Accepted".into(),
    }
}

/// The history's columns without sorting, as a webhook's page shows its latest attempts.
pub fn plain_headings() -> Vec<Heading> {
    COLUMNS.iter().map(|(label, _)| Heading { label, href: String::new(), aria_sort: None }).collect()
}

pub fn attempt_rows(
    list: Vec<AttemptSummary>,
    names: Option<&std::collections::HashMap<String, String>>,
) -> Vec<AttemptRow> {
    list.into_iter()
        .map(|a| AttemptRow {
            sent: a.sent_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            sent_at: a.sent_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            result: result_text(&a),
            ok: a.succeeded,
            duration: millis(a.duration_ms),
            events: if a.event_types.is_empty() {
                a.event_ids.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(" ")
            } else {
                a.event_types.join(", ")
            },
            webhook: names.map(|n| n.get(a.webhook_id.as_str()).cloned().unwrap_or_else(|| a.webhook_id.to_string())),
            a,
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct HistoryQuery {
    webhook_id: Option<String>,
    event_type: Option<String>,
    /// `succeeded`, `failed`, or what [`ResultFilter::parse`] reads.
    result: Option<String>,
    /// A quick range (`1h`, `24h`, `7d`) or `custom` (then `since` and `until`).
    range: Option<String>,
    sort: Option<String>,
    order: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    /// Read the page before the row with this cursor.
    before: Option<String>,
    done: Option<String>,
    /// `datetime-local` values, UTC.
    since: Option<String>,
    until: Option<String>,
}

/// A `datetime-local` field's value (the portal's times are UTC).
fn local_time(text: Option<&str>) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::NaiveDateTime::parse_from_str(text?.trim(), "%Y-%m-%dT%H:%M").ok().map(|t| t.and_utc())
}

/// The choices of the history's filters, with the chosen ones.
pub struct Filters {
    pub webhooks: Vec<(String, String)>,
    pub webhook_id: String,
    pub types: Vec<String>,
    pub event_type: String,
    pub results: &'static [(&'static str, &'static str)],
    pub result: String,
    pub ranges: &'static [(&'static str, &'static str)],
    pub range: String,
    pub since: String,
    pub until: String,
}

const RESULTS: &[(&str, &str)] = &[
    ("", "All results"),
    ("succeeded", "Succeeded"),
    ("failed", "Failed"),
    ("2xx", "2xx"),
    ("3xx", "3xx"),
    ("4xx", "4xx"),
    ("5xx", "5xx"),
    ("timeout", "Timeout"),
    ("refused", "Refused"),
    ("tls", "TLS error"),
    ("dns", "DNS error"),
    ("connection", "Connection error"),
    ("ssrf", "Blocked (SSRF)"),
];

const RANGES: &[(&str, &str)] = &[
    ("", "Any time"),
    ("1h", "Last hour"),
    ("24h", "Last 24 hours"),
    ("7d", "Last 7 days"),
    ("custom", "From … until …"),
];

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    frame: Frame,
    attempts: Vec<AttemptRow>,
    with_webhook: bool,
    headings: Vec<Heading>,
    q: String,
    filters: Filters,
    prev: Option<String>,
    next: Option<String>,
    filtered: bool,
    /// On the first page: the activity token it was made at (it updates itself when that changes).
    live: Option<String>,
}

const COLUMNS: &[(&str, &str)] = &[("Sent at", "sent_at"), ("URL", "url"), ("Result", "result")];

/// The cursor that resumes a listing sorted by `sort` after `a`.
fn cursor_of(a: &AttemptSummary, sort: AttemptSort) -> String {
    let key = match sort {
        AttemptSort::SentAt => a.id.to_string(),
        AttemptSort::Url => a.url.clone(),
        AttemptSort::Result => a.response_status.unwrap_or(0).to_string(),
    };
    Cursor { key, id: a.id.to_string() }.encode()
}

/// What the filters ask of the history, and the time range they chose.
fn filter_of(q: &HistoryQuery, now: chrono::DateTime<chrono::Utc>) -> AttemptFilter {
    let (succeeded, result) = match q.result.as_deref().unwrap_or("") {
        "succeeded" => (Some(true), None),
        "failed" => (Some(false), None),
        other => (None, ResultFilter::parse(other)),
    };
    let (since, until) = match q.range.as_deref().unwrap_or("") {
        "1h" => (Some(now - chrono::Duration::hours(1)), None),
        "24h" => (Some(now - chrono::Duration::hours(24)), None),
        "7d" => (Some(now - chrono::Duration::days(7)), None),
        "custom" => (local_time(q.since.as_deref()), local_time(q.until.as_deref())),
        _ => (None, None),
    };
    AttemptFilter {
        webhook_id: q.webhook_id.as_deref().and_then(|w| WebhookId::parse(w).ok()),
        event_type: q.event_type.clone().filter(|t| !t.is_empty()),
        succeeded,
        result,
        since,
        until,
        ..Default::default()
    }
}

pub(crate) async fn org_history(
    State(s): State<PortalState>,
    signed: Signed,
    Query(q): Query<HistoryQuery>,
) -> PortalResult<Response> {
    let p = &signed.0;
    let sort_name = q.sort.clone().filter(|x| AttemptSort::parse(x).is_some()).unwrap_or_else(|| "sent_at".into());
    let sort = AttemptSort::parse(&sort_name).unwrap_or_default();
    let order = if q.order.as_deref() == Some("asc") { Order::Asc } else { Order::Desc };
    let before = q.before.as_deref().and_then(Cursor::decode);
    let backwards = before.is_some();
    let req = PageRequest {
        limit: 50,
        cursor: before.or_else(|| q.cursor.as_deref().and_then(Cursor::decode)),
        sort,
        order: if backwards { flipped(order) } else { order },
        q: hookd_core::listing::search("q", q.q.as_deref()).map_err(OpsError::from)?,
    };
    let filter = filter_of(&q, chrono::Utc::now());
    // On the first page, read before the rows: a change made meanwhile shows at the next poll.
    let live = match req.cursor {
        Some(_) => None,
        None => Some(s.ops.activity(&p.actor, &p.member.org_id).await?),
    };
    let found = s.ops.list_attempts(&p.actor, &p.member.org_id, &filter, &req).await?;
    let mut data = found.data;
    // Backwards, more rows beyond means an earlier page; forwards, a cursor means one.
    let (earlier, later) = if backwards {
        data.reverse();
        (found.next_cursor.is_some(), true)
    } else {
        (q.cursor.is_some(), found.next_cursor.is_some())
    };
    let first = data.first().filter(|_| earlier).map(|a| cursor_of(a, sort));
    let last = data.last().filter(|_| later).map(|a| cursor_of(a, sort));
    let hooks =
        s.ops.list_webhooks(&p.actor, &p.member.org_id, &PageRequest { limit: 500, ..PageRequest::default() }).await?;
    let names: std::collections::HashMap<String, String> =
        hooks.data.into_iter().map(|w| (w.id.to_string(), w.name)).collect();
    let mut webhooks: Vec<(String, String)> = names.iter().map(|(id, n)| (id.clone(), n.clone())).collect();
    webhooks.sort_by(|a, b| a.1.cmp(&b.1));
    let shown = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.format("%Y-%m-%dT%H:%M").to_string());
    let custom = q.range.as_deref() == Some("custom");
    let filters = Filters {
        webhooks,
        webhook_id: filter.webhook_id.as_ref().map(|w| w.to_string()).unwrap_or_default(),
        types: s.ops.event_type_catalog(&p.actor).await?.into_iter().map(|t| t.name).collect(),
        event_type: filter.event_type.clone().unwrap_or_default(),
        results: RESULTS,
        result: q.result.clone().filter(|r| RESULTS.iter().any(|(k, _)| k == r)).unwrap_or_default(),
        ranges: RANGES,
        range: q.range.clone().filter(|r| RANGES.iter().any(|(k, _)| k == r)).unwrap_or_default(),
        since: if custom { shown(filter.since).unwrap_or_default() } else { String::new() },
        until: if custom { shown(filter.until).unwrap_or_default() } else { String::new() },
    };
    let text = q.q.clone().unwrap_or_default();
    let keep = format!(
        "&q={}&webhook_id={}&event_type={}&result={}&range={}&since={}&until={}",
        enc(&text),
        enc(&filters.webhook_id),
        enc(&filters.event_type),
        enc(&filters.result),
        enc(&filters.range),
        enc(&filters.since),
        enc(&filters.until)
    );
    let sorting = Sorting { base: "/portal/history", sort: &sort_name, order, first: Order::Desc, keep };
    let (headings, next, prev) = (sorting.headings(COLUMNS), sorting.next(last), sorting.prev(first));
    let attempts = attempt_rows(data, Some(&names));
    let frame = Frame::new(&s, p, "history", "History", q.done.as_deref()).await?;
    let filtered = !(text.is_empty()
        && filters.webhook_id.is_empty()
        && filters.event_type.is_empty()
        && filters.result.is_empty()
        && filters.range.is_empty());
    html(&HistoryPage { frame, attempts, with_webhook: true, headings, q: text, filters, prev, next, filtered, live })
}

pub struct Step {
    pub when: String,
    pub result: String,
    pub ok: bool,
    pub trigger: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "attempt.html")]
struct AttemptPage {
    frame: Frame,
    d: hookd_service::history::AttemptDetail,
    result: String,
    duration: String,
    sent: String,
    webhook_name: String,
    request_body: String,
    response_cut: bool,
    curl: String,
    steps: Vec<Step>,
    next: String,
    delivery_id: String,
}

/// The body as a person reads it: JSON pretty-printed, anything else as it is.
pub(crate) fn pretty(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| body.to_owned())
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn curl(d: &hookd_service::history::AttemptDetail) -> String {
    let mut out = format!("curl -X POST {}", shell_quote(&d.summary.url));
    for (k, v) in &d.request_headers {
        out += &format!(" \\\n  -H {}", shell_quote(&format!("{k}: {v}")));
    }
    out + &format!(" \\\n  --data-binary {}", shell_quote(&d.request_body))
}

pub(crate) async fn attempt(
    State(s): State<PortalState>,
    signed: Signed,
    Ids(id): Ids<AttemptId>,
    Query(q): Query<HistoryQuery>,
) -> PortalResult<Response> {
    let p = &signed.0;
    let d = s.ops.get_attempt(&p.actor, &p.member.org_id, &id).await?;
    let delivery = s.ops.get_delivery(&p.actor, &p.member.org_id, &d.summary.delivery_id).await?;
    let webhook_name = match s.ops.get_webhook(&p.actor, &p.member.org_id, &d.summary.webhook_id).await {
        Ok(w) => w.name,
        Err(_) => format!("{} (deleted)", d.summary.webhook_id),
    };
    // The delivery's attempts: its webhook's from the delivery's creation on, by index.
    let filter = AttemptFilter {
        webhook_id: Some(d.summary.webhook_id.clone()),
        delivery_id: Some(delivery.id.clone()),
        since: Some(delivery.created_at),
        ..Default::default()
    };
    let req = PageRequest { limit: 100, order: Order::Asc, ..PageRequest::default() };
    let all = s.ops.list_attempts(&p.actor, &p.member.org_id, &filter, &req).await?;
    let steps = all
        .data
        .into_iter()
        .map(|a| Step {
            when: when(&a.sent_at),
            result: result_text(&a),
            ok: a.succeeded,
            trigger: a.trigger.as_str().to_owned(),
            current: a.id == d.summary.id,
            href: format!("/portal/attempts/{}", a.id),
        })
        .collect::<Vec<_>>();
    let next = match (delivery.state, delivery.next_attempt_at) {
        (hookd_core::model::DeliveryState::Succeeded, _) => "Succeeded.".to_owned(),
        (hookd_core::model::DeliveryState::Failed, _) => {
            "Failed: no attempts left. Re-send it to try again.".to_owned()
        }
        (hookd_core::model::DeliveryState::Cancelled, _) => {
            "Cancelled by the webhook's transformation: nothing was sent.".to_owned()
        }
        (_, Some(t)) => {
            let (number, of) = (delivery.attempts + 1, s.ops.config.attempts_allowed);
            // A manual re-send adds attempts beyond the schedule's.
            let count = if number <= of { format!("attempt {number} of {of}") } else { format!("attempt {number}") };
            format!("Next attempt at {}, {count}.", when(&t))
        }
        (_, None) => "Waiting to be sent.".to_owned(),
    };
    let frame = Frame::new(&s, p, "history", "Attempt", q.done.as_deref()).await?;
    html(&AttemptPage {
        result: result_text(&d.summary),
        duration: millis(d.summary.duration_ms),
        sent: when(&d.summary.sent_at),
        request_body: pretty(&d.request_body),
        response_cut: d.response_body.len() >= 64 * 1024,
        curl: curl(&d),
        delivery_id: delivery.id.to_string(),
        webhook_name,
        steps,
        next,
        frame,
        d,
    })
}

pub(crate) async fn resend(
    State(s): State<PortalState>,
    Ids(id): Ids<DeliveryId>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    s.ops.resend(&p.actor, &p.member.org_id, &id).await?;
    Ok(form.back("/portal/history", "resent"))
}
