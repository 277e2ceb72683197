//! The events pages: every event of the org, newest first, with what became of its
//! deliveries; one event with its payload and, for each webhook it went to, the delivery's
//! state, its attempts and re-send.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use hookd_core::EventId;
use hookd_core::listing::{AttemptFilter, Cursor, EventFilter, Order, PageRequest};
use hookd_service::OpsError;
use hookd_service::events::{EventSummaryView, EventView};
use serde::Deserialize;

use super::auth::Signed;
use super::error::PortalResult;
use super::frame::{Frame, enc, html, millis, short_when, when};
use super::history::{pretty, result_text};
use super::state::PortalState;
use crate::ids::Ids;

#[derive(Debug, Default, Deserialize)]
pub struct EventsQuery {
    #[serde(rename = "type")]
    event_type: Option<String>,
    range: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
}

/// The quick time ranges, as the filter offers them.
const RANGES: &[(&str, &str)] =
    &[("", "Any time"), ("1h", "Last hour"), ("24h", "Last 24 hours"), ("7d", "Last 7 days")];

fn since(range: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match range {
        "1h" => Some(now - Duration::hours(1)),
        "24h" => Some(now - Duration::hours(24)),
        "7d" => Some(now - Duration::days(7)),
        _ => None,
    }
}

pub struct EventRow {
    pub e: EventSummaryView,
    pub published: String,
    /// To the second, for the title.
    pub exact: String,
    pub published_at: String,
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    frame: Frame,
    rows: Vec<EventRow>,
    types: Vec<String>,
    ranges: &'static [(&'static str, &'static str)],
    event_type: String,
    range: String,
    q: String,
    next: Option<String>,
    filtered: bool,
    /// On the first page: the activity token it was made at (it updates itself when that changes).
    live: Option<String>,
}

pub(crate) async fn list(
    State(s): State<PortalState>,
    signed: Signed,
    Query(q): Query<EventsQuery>,
) -> PortalResult<Response> {
    let p = &signed.0;
    let event_type = q.event_type.clone().filter(|t| !t.is_empty());
    let range = q.range.clone().filter(|r| RANGES.iter().any(|(k, _)| k == r)).unwrap_or_default();
    let filter = EventFilter { event_type: event_type.clone(), since: since(&range, Utc::now()), until: None };
    let req = PageRequest {
        limit: 50,
        cursor: q.cursor.as_deref().and_then(Cursor::decode),
        sort: (),
        order: Order::Desc,
        q: hookd_core::listing::search("q", q.q.as_deref()).map_err(OpsError::from)?,
    };
    // Read before the page, so that a change made while it is made shows at the next poll.
    let live = match req.cursor {
        Some(_) => None,
        None => Some(s.ops.activity(&p.actor, &p.member.org_id).await?),
    };
    let found = s.ops.list_events(&p.actor, &p.member.org_id, &filter, &req).await?;
    let types = s.ops.event_type_catalog(&p.actor).await?.into_iter().map(|t| t.name).collect();
    let (text, event_type) = (q.q.clone().unwrap_or_default(), event_type.unwrap_or_default());
    let next = found
        .next_cursor
        .map(|c| format!("/portal/events?type={}&range={}&q={}&cursor={c}", enc(&event_type), enc(&range), enc(&text)));
    let rows = found
        .data
        .into_iter()
        .map(|e| EventRow {
            published: short_when(&e.created_at),
            exact: e.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            published_at: e.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            e,
        })
        .collect();
    let frame = Frame::new(&s, p, "events", "Events", None).await?;
    let filtered = !(event_type.is_empty() && range.is_empty() && text.is_empty());
    html(&EventsPage { frame, rows, types, ranges: RANGES, event_type, range, q: text, next, filtered, live })
}

/// One attempt of a delivery, as the event page lists it.
pub struct AttemptLine {
    pub href: String,
    pub when: String,
    pub result: String,
    pub ok: bool,
    pub duration: String,
    pub trigger: &'static str,
}

/// One webhook the event went to.
pub struct DeliveryPanel {
    pub id: String,
    pub webhook_id: String,
    pub webhook: String,
    pub state: &'static str,
    pub next: Option<String>,
    pub attempts: Vec<AttemptLine>,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    frame: Frame,
    e: EventView,
    payload: String,
    published: String,
    occurred: String,
    deliveries: Vec<DeliveryPanel>,
}

pub(crate) async fn detail(
    State(s): State<PortalState>,
    signed: Signed,
    Ids(id): Ids<EventId>,
    Query(q): Query<DoneQuery>,
) -> PortalResult<Response> {
    let p = &signed.0;
    let org = &p.member.org_id;
    let e = s.ops.get_event(&p.actor, org, &id).await?;
    let mut deliveries = Vec::with_capacity(e.deliveries.len());
    for d in &e.deliveries {
        let webhook = match s.ops.get_webhook(&p.actor, org, &d.webhook_id).await {
            Ok(w) => w.name,
            Err(OpsError::NotFound(_)) => format!("{} (deleted)", d.webhook_id),
            Err(other) => return Err(other.into()),
        };
        // Its attempts: its webhook's from the event's publishing on, by index.
        let filter = AttemptFilter {
            webhook_id: Some(d.webhook_id.clone()),
            delivery_id: Some(d.id.clone()),
            since: Some(e.created_at),
            ..Default::default()
        };
        let req = PageRequest { limit: 100, order: Order::Asc, ..PageRequest::default() };
        let attempts = s.ops.list_attempts(&p.actor, org, &filter, &req).await?;
        deliveries.push(DeliveryPanel {
            id: d.id.to_string(),
            webhook_id: d.webhook_id.to_string(),
            webhook,
            state: d.state.as_str(),
            next: d.next_attempt_at.as_ref().map(when),
            attempts: attempts
                .data
                .iter()
                .map(|a| AttemptLine {
                    href: format!("/portal/attempts/{}", a.id),
                    when: a.sent_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    result: result_text(a),
                    ok: a.succeeded,
                    duration: millis(a.duration_ms),
                    trigger: a.trigger.as_str(),
                })
                .collect(),
        });
    }
    let frame = Frame::new(&s, p, "events", e.event_type.clone(), q.done.as_deref()).await?;
    html(&EventPage {
        payload: pretty(e.payload.get()),
        published: when(&e.created_at),
        occurred: when(&e.occurred_at),
        deliveries,
        frame,
        e,
    })
}

/// The org's activity token, which live pages poll (see `portal.js`).
pub(crate) async fn live(State(s): State<PortalState>, signed: Signed) -> PortalResult<Response> {
    let p = &signed.0;
    let token = s.ops.activity(&p.actor, &p.member.org_id).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], token).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}
