//! Webhook pages: the list, the create / modify form, the detail with its history, and the
//! actions (toggle, delete, rotate, test, recover), each one call of the service layer.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hookd_core::health::Window;
use hookd_core::listing::{AttemptFilter, Cursor, Order, PageRequest, WebhookSort};
use hookd_core::model::{ActorRef, Circuit, Environment};
use hookd_core::{MemberId, WebhookId};
use serde::Deserialize;

use super::auth::{Posted, Signed};
use super::charts;
use super::error::{PortalError, PortalResult, page};
use super::form::Form;
use super::frame::{Frame, Heading, Sorting, enc, html, millis, short_when, when};
use super::history::{AttemptRow, attempt_rows, plain_headings};
use super::state::PortalState;
use super::trying::{self, Trial, Tried};
use super::webhook_form::{FormPage, Shown, body_from, filter_json, form_page, parse};
use crate::ids::Ids;
use hookd_service::health::WebhookHealth;
use hookd_service::webhooks::{WebhookIn, WebhookPatch, WebhookView};
use hookd_service::{Access, OpsError};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    sort: Option<String>,
    order: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    done: Option<String>,
}

pub struct Row {
    pub w: WebhookView,
    pub owner: String,
    pub types_shown: Vec<String>,
    pub types_more: usize,
    pub created: String,
    pub last_triggered: String,
    pub reason: String,
    /// While its circuit is open: what that means for the webhook.
    pub circuit: Option<String>,
    pub test: bool,
    /// The last 24 hours' success rate, and its sparkline (`None`: nothing was sent).
    pub success: String,
    pub spark: Option<String>,
}

/// What a webhook's status says: hookd's own reason as it wrote it, or who changed it, by
/// name where it was a member of the org (the operator as the product's name).
fn reason_text(w: &WebhookView, names: &Names) -> String {
    let verb = if w.enabled { "Enabled" } else { "Disabled" };
    let base = match (&w.status.changed_by, w.status.reason.as_deref()) {
        (Some(ActorRef::Hookd), Some(reason)) if !reason.is_empty() => reason.to_owned(),
        (Some(ActorRef::Member(id)), _) => {
            format!("{verb} by {}", names.members.get(id).map_or(id.as_str(), String::as_str))
        }
        (Some(ActorRef::Token(id)), _) => format!("{verb} by access token {id}"),
        (Some(ActorRef::Operator), _) => format!("{verb} by {}", names.product),
        _ => verb.to_owned(),
    };
    format!("{base} ({})", when(&w.status.changed_at))
}

/// How a page names people: the org's members by ID, and the operator as its product.
pub(crate) struct Names {
    pub members: HashMap<MemberId, String>,
    pub product: String,
}

fn row(w: WebhookView, names: &Names) -> Row {
    let owner = w.owner_id.as_ref().and_then(|o| names.members.get(o).cloned()).unwrap_or_else(|| "—".into());
    let types_shown = w.event_types.iter().take(3).cloned().collect();
    let types_more = w.event_types.len().saturating_sub(3);
    Row {
        owner,
        types_shown,
        types_more,
        created: short_when(&w.created_at),
        last_triggered: w.last_triggered_at.as_ref().map(short_when).unwrap_or_else(|| "Never".into()),
        reason: reason_text(&w, names),
        circuit: match w.circuit {
            Circuit::Closed => None,
            Circuit::Open { since, timeouts_in_a_row } => Some(format!(
                "The receiver timed out {timeouts_in_a_row} times in a row (since {}): requests go out one at a time until one is answered.",
                when(&since)
            )),
        },
        test: w.environment == Environment::Test,
        success: String::new(),
        spark: None,
        w,
    }
}

pub(crate) async fn names(s: &PortalState, signed: &Signed) -> PortalResult<Names> {
    let p = &signed.0;
    let members = s.ops.member_names(&p.actor, &p.member.org_id).await?;
    Ok(Names { members, product: s.portal.config.product_name.clone() })
}

#[derive(Template)]
#[template(path = "webhooks.html")]
struct ListPage {
    frame: Frame,
    rows: Vec<Row>,
    headings: Vec<Heading>,
    q: String,
    sort: String,
    order: String,
    next: Option<String>,
}

const COLUMNS: &[(&str, &str)] = &[
    ("Name", "name"),
    ("URL", "url"),
    ("Owner", "owner"),
    ("Created", "created_at"),
    ("Last triggered", "last_triggered_at"),
    ("State", "status"),
];

pub(crate) async fn list(
    State(s): State<PortalState>,
    signed: Signed,
    Query(q): Query<ListQuery>,
) -> PortalResult<Response> {
    let p = &signed.0;
    let sort_name = q.sort.clone().filter(|x| WebhookSort::parse(x).is_some()).unwrap_or_else(|| "created_at".into());
    let order = if q.order.as_deref() == Some("asc") { Order::Asc } else { Order::Desc };
    let order_name = if order == Order::Asc { "asc" } else { "desc" };
    let req = PageRequest {
        limit: 50,
        cursor: q.cursor.as_deref().and_then(Cursor::decode),
        sort: WebhookSort::parse(&sort_name).unwrap_or_default(),
        order,
        q: hookd_core::listing::search("q", q.q.as_deref()).map_err(OpsError::from)?,
    };
    let found = s.ops.list_webhooks(&p.actor, &p.member.org_id, &req).await?;
    let names = names(&s, &signed).await?;
    let text = q.q.clone().unwrap_or_default();
    let sorting = Sorting {
        base: "/portal/webhooks",
        sort: &sort_name,
        order,
        first: Order::Asc,
        keep: format!("&q={}", enc(&text)),
    };
    let (headings, next) = (sorting.headings(COLUMNS), sorting.next(found.next_cursor));
    let shown: Vec<WebhookId> = found.data.iter().map(|w| w.id.clone()).collect();
    let mut day = s.ops.org_stats(&p.actor, &p.member.org_id, Window::Day, Some(&shown)).await?.data;
    let rows = found
        .data
        .into_iter()
        .map(|w| {
            let stats = day.iter().position(|d| d.webhook_id == w.id).map(|i| day.swap_remove(i).stats);
            let mut r = row(w, &names);
            if let Some(stats) = stats.filter(|s| s.totals.attempts > 0) {
                r.success = charts::rate(stats.totals.success_rate);
                r.spark = Some(charts::sparkline(&stats));
            }
            r
        })
        .collect();
    let frame = Frame::new(&s, p, "webhooks", "Webhooks", q.done.as_deref()).await?;
    html(&ListPage { frame, rows, headings, q: text, sort: sort_name, order: order_name.into(), next })
}

#[derive(Template)]
#[template(path = "webhook.html")]
struct DetailPage {
    frame: Frame,
    row: Row,
    attempts: Vec<AttemptRow>,
    headings: Vec<Heading>,
    with_webhook: bool,
    /// Shown once, right after create or rotate.
    secret: Option<String>,
    created_now: bool,
    /// The types a test event may have, each with its example payload.
    event_types: Vec<(String, String)>,
    example: String,
    health: Health,
    settings: Vec<super::summary::Setting>,
    /// The history below is never filtered here.
    filtered: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    done: Option<String>,
    window: Option<String>,
}

/// The webhook page's health panel: its charts and the same figures as text.
pub struct Health {
    pub window: Window,
    pub windows: [Window; 4],
    /// What the figures and charts cover, in words.
    pub span: String,
    pub rate: String,
    pub attempts: u64,
    pub failed: u64,
    /// Events its filter refused.
    pub filtered: u64,
    pub p50: String,
    pub p95: String,
    pub by_result: Vec<(String, u64, bool)>,
    pub last_success: String,
    pub last_failure: String,
    pub next_retry: String,
    pub attempts_svg: String,
    pub latency_svg: String,
    /// Per bucket: when, attempts, succeeded, failed, p50, p95.
    pub table: Vec<[String; 6]>,
}

impl Health {
    fn of(h: WebhookHealth) -> Self {
        let s = &h.stats;
        let ms = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), millis);
        let at =
            |t: Option<chrono::DateTime<chrono::Utc>>, none: &str| t.as_ref().map_or_else(|| none.to_owned(), when);
        let none = format!("none in the last {}", s.window.as_str());
        Health {
            window: s.window,
            windows: Window::ALL,
            span: format!("Over the last {}, per {}", s.window.as_str(), charts::per(s.window)),
            rate: charts::rate(s.totals.success_rate),
            attempts: s.totals.attempts,
            failed: s.totals.failed,
            filtered: s.totals.filtered,
            p50: ms(s.totals.p50_ms),
            p95: ms(s.totals.p95_ms),
            by_result: s.by_result.iter().map(|(k, n)| (k.clone(), *n, k == "2xx")).collect(),
            last_success: at(h.last_success_at, &none),
            last_failure: at(h.last_failure_at, &none),
            next_retry: at(h.next_retry_at, "none waiting"),
            attempts_svg: charts::attempts(s),
            latency_svg: charts::latency(s),
            table: s
                .buckets
                .iter()
                .filter(|b| b.attempts > 0)
                .map(|b| {
                    let n = |v: u64| v.to_string();
                    [
                        charts::bucket_label(s.window, b),
                        n(b.attempts),
                        n(b.succeeded),
                        n(b.failed),
                        ms(b.p50_ms),
                        ms(b.p95_ms),
                    ]
                })
                .collect(),
        }
    }
}

fn webhook_id(raw: &str) -> PortalResult<WebhookId> {
    WebhookId::parse(raw).map_err(|_| PortalError::Ops(OpsError::NotFound("webhook")))
}

async fn detail_page(
    s: &PortalState,
    signed: &Signed,
    w: WebhookView,
    secret: Option<String>,
    created_now: bool,
    done: Option<&str>,
    window: Window,
) -> PortalResult<Response> {
    let p = &signed.0;
    let health = Health::of(s.ops.webhook_stats(&p.actor, &p.member.org_id, &w.id, window).await?);
    let filter = AttemptFilter { webhook_id: Some(w.id.clone()), succeeded: None, ..Default::default() };
    let req = PageRequest { limit: 25, order: Order::Desc, ..PageRequest::default() };
    let attempts = s.ops.list_attempts(&p.actor, &p.member.org_id, &filter, &req).await?;
    let names = names(s, signed).await?;
    // Each type with its example, so the test form's payload follows the chosen type.
    // One read of the catalog, however many types the webhook subscribes to.
    let catalog = s.ops.event_type_catalog(&p.actor).await?;
    let placeholder = || "{\"test\": true}".to_owned();
    let event_types: Vec<(String, String)> = w
        .event_types
        .iter()
        .map(|t| {
            let example = catalog.iter().find(|e| &e.name == t).and_then(|e| e.example.as_ref());
            (t.clone(), example.map_or_else(placeholder, |e| serde_json::to_string_pretty(e).unwrap_or_default()))
        })
        .collect();
    let example = event_types.first().map_or_else(placeholder, |(_, e)| e.clone());
    let title = w.name.clone();
    let settings = super::summary::settings(&w);
    let frame = Frame::new(s, p, "webhooks", title, done).await?;
    let attempts = attempt_rows(attempts.data, None);
    let headings = plain_headings();
    html(&DetailPage {
        frame,
        row: row(w, &names),
        attempts,
        headings,
        with_webhook: false,
        secret,
        created_now,
        event_types,
        example,
        health,
        settings,
        filtered: false,
    })
}

pub(crate) async fn detail(
    State(s): State<PortalState>,
    signed: Signed,
    Ids(id): Ids<WebhookId>,
    Query(q): Query<DetailQuery>,
) -> PortalResult<Response> {
    let p = &signed.0;
    let w = s.ops.get_webhook(&p.actor, &p.member.org_id, &id).await?;
    let window = q.window.as_deref().and_then(Window::parse).unwrap_or_default();
    detail_page(&s, &signed, w, None, false, q.done.as_deref(), window).await
}

pub(crate) async fn new_form(State(s): State<PortalState>, signed: Signed) -> PortalResult<Response> {
    let p = &signed.0;
    p.actor.authorize(&p.member.org_id, Access::Write)?;
    html(&form_page(&s, &signed, None, Shown::Stored).await?)
}

pub(crate) async fn edit_form(
    State(s): State<PortalState>,
    signed: Signed,
    Ids(id): Ids<WebhookId>,
) -> PortalResult<Response> {
    let p = &signed.0;
    p.actor.authorize(&p.member.org_id, Access::Write)?;
    let w = s.ops.get_webhook(&p.actor, &p.member.org_id, &id).await?;
    html(&form_page(&s, &signed, Some(w), Shown::Stored).await?)
}

/// A form refused with a field error: the same form again, the error beside its field.
async fn refused(
    s: &PortalState,
    signed: &Signed,
    editing: Option<WebhookView>,
    form: &Form,
    e: OpsError,
) -> PortalResult<Response> {
    match e {
        OpsError::Invalid { field, detail } => {
            // The operation stopped at its first problem; the form shows every one.
            let mut errors = vec![(field, detail)];
            if let Ok(patch) = parse::<WebhookPatch>(body_from(form, editing.as_ref())) {
                for problem in s.ops.webhook_problems(&signed.0.member.org_id, &patch).await {
                    if !errors.iter().any(|(f, _)| *f == problem.0) {
                        errors.push(problem);
                    }
                }
            }
            errors.sort_by_key(|(field, _)| super::webhook_form::field_rank(field));
            let page: FormPage = form_page(s, signed, editing, Shown::Refused(form, errors)).await?;
            let mut resp = html(&page)?;
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(resp)
        }
        other => Err(other.into()),
    }
}

/// "Test the filter" or "Run the transformation": the form again as it was typed, with what
/// the trial said of the example; nothing is saved.
async fn tried(
    s: &PortalState,
    signed: &Signed,
    editing: Option<WebhookView>,
    form: &Form,
    trial: Trial,
) -> PortalResult<Response> {
    let p = &signed.0;
    let (actor, org) = (&p.actor, &p.member.org_id);
    let answer = match trial {
        Trial::Filter => match trying::filter_trial(form) {
            Ok(t) => s
                .ops
                .try_filter(actor, org, t)
                .await
                .map(|v| Tried::Filter { matches: v.matches, words: v.description }),
            Err(e) => Err(e),
        },
        Trial::Transformation => match trying::transformation_trial(form) {
            // The service names the code `code`; on the form it is the transformation's.
            Ok(t) => s.ops.try_transformation(actor, org, t).await.map(Tried::Transformation).map_err(|e| match e {
                OpsError::Invalid { field, detail } if field == "code" => {
                    OpsError::invalid("transformation.code", detail)
                }
                other => other,
            }),
            Err(e) => Err(e),
        },
    };
    match answer {
        Ok(tried) => html(&form_page(s, signed, editing, Shown::Tried(form, tried)).await?),
        Err(e) => refused(s, signed, editing, form, e).await,
    }
}

pub(crate) async fn create(State(s): State<PortalState>, Posted(signed, form): Posted) -> PortalResult<Response> {
    let p = &signed.0;
    if let Some(trial) = Trial::asked(&form) {
        return tried(&s, &signed, None, &form, trial).await;
    }
    if let Err(e) = filter_json(&form) {
        return refused(&s, &signed, None, &form, e).await;
    }
    let input: WebhookIn = match parse(body_from(&form, None)) {
        Ok(i) => i,
        Err(e) => return refused(&s, &signed, None, &form, e).await,
    };
    match s.ops.create_webhook(&p.actor, &p.member.org_id, input).await {
        Ok(mut w) => {
            let secret = w.signing.secret.take();
            detail_page(&s, &signed, w, secret, true, Some("created"), Window::default()).await
        }
        Err(e) => refused(&s, &signed, None, &form, e).await,
    }
}

pub(crate) async fn update(
    State(s): State<PortalState>,
    Ids(id): Ids<WebhookId>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    let current = s.ops.get_webhook(&p.actor, &p.member.org_id, &id).await?;
    if let Some(trial) = Trial::asked(&form) {
        return tried(&s, &signed, Some(current), &form, trial).await;
    }
    if let Err(e) = filter_json(&form) {
        return refused(&s, &signed, Some(current), &form, e).await;
    }
    let patch: WebhookPatch = match parse(body_from(&form, Some(&current))) {
        Ok(patch) => patch,
        Err(e) => return refused(&s, &signed, Some(current), &form, e).await,
    };
    match s.ops.update_webhook(&p.actor, &p.member.org_id, &id, patch, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/webhooks/{id}?done=saved")).into_response()),
        Err(e) => refused(&s, &signed, Some(current), &form, e).await,
    }
}

pub(crate) async fn toggle(
    State(s): State<PortalState>,
    Ids(id): Ids<WebhookId>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    // The switch says which state it asks for, so a second click of a stale page does not
    // undo the first.
    let enabled = match form.get("enabled") {
        Some(v) => v == "true",
        None => !s.ops.get_webhook(&p.actor, &p.member.org_id, &id).await?.enabled,
    };
    s.ops.set_webhook_enabled(&p.actor, &p.member.org_id, &id, enabled).await?;
    Ok(form.back("/portal/webhooks", "status"))
}

/// A destructive action the browser did not confirm (no script to show the dialog): a page
/// that asks, with the same form confirmed.
fn confirm_page(action: String, csrf: &str, question: String, ids: &[String]) -> Response {
    let mut resp = page(StatusCode::OK, "Please confirm", question, None);
    let confirm =
        super::error::Confirm { action, csrf: csrf.to_owned(), ids: ids.to_vec(), fields: vec![], label: "Delete" };
    resp.extensions_mut().insert(confirm);
    resp
}

pub(crate) async fn delete(
    State(s): State<PortalState>,
    Ids(id): Ids<WebhookId>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    let wid = id.clone();
    if form.get("confirm") != Some("yes") {
        let w = s.ops.get_webhook(&p.actor, &p.member.org_id, &wid).await?;
        let q =
            format!("Delete the webhook “{}”? Its pending deliveries will not be sent. This cannot be undone.", w.name);
        return Ok(confirm_page(
            format!("/portal/webhooks/{id}/delete"),
            &super::auth::masked_csrf(&p.session.csrf),
            q,
            &[],
        ));
    }
    s.ops.delete_webhooks(&p.actor, &p.member.org_id, &[wid]).await?;
    Ok(Redirect::to("/portal/webhooks?done=deleted").into_response())
}

pub(crate) async fn bulk_delete(State(s): State<PortalState>, Posted(signed, form): Posted) -> PortalResult<Response> {
    let p = &signed.0;
    let raw: Vec<String> = form.all("id").map(str::to_owned).collect();
    if raw.is_empty() {
        return Ok(Redirect::to("/portal/webhooks").into_response());
    }
    if form.get("confirm") != Some("yes") {
        let q = format!(
            "Delete {} webhook(s)? Their pending deliveries will not be sent. This cannot be undone.",
            raw.len()
        );
        return Ok(confirm_page("/portal/webhooks/delete".into(), &super::auth::masked_csrf(&p.session.csrf), q, &raw));
    }
    let ids = raw.iter().map(|r| webhook_id(r)).collect::<PortalResult<Vec<_>>>()?;
    s.ops.delete_webhooks(&p.actor, &p.member.org_id, &ids).await?;
    Ok(Redirect::to("/portal/webhooks?done=deleted").into_response())
}

pub(crate) async fn rotate(
    State(s): State<PortalState>,
    Ids(id): Ids<WebhookId>,
    Posted(signed, _): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    let mut w = s.ops.rotate_secret(&p.actor, &p.member.org_id, &id).await?;
    let secret = w.signing.secret.take();
    detail_page(&s, &signed, w, secret, false, Some("rotated"), Window::default()).await
}

pub(crate) async fn test(
    State(s): State<PortalState>,
    Ids(id): Ids<WebhookId>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    let event_type = form.get("event_type").filter(|t| !t.is_empty()).map(str::to_owned);
    let payload = match form.get("payload").map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => {
            Some(serde_json::from_str(text).map_err(|e| OpsError::invalid("payload", format!("is not JSON: {e}")))?)
        }
    };
    s.ops.send_test(&p.actor, &p.member.org_id, &id, event_type, payload).await?;
    Ok(form.back(&format!("/portal/webhooks/{id}"), "tested"))
}

pub(crate) async fn recover(
    State(s): State<PortalState>,
    Ids(id): Ids<WebhookId>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    let text = form.text("since");
    let since = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .map(|t| t.and_utc())
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(text).map(|t| t.to_utc()))
        .map_err(|_| OpsError::invalid("since", "give a date and time, e.g. 2026-12-01T09:00"))?;
    let wid = id.clone();
    if form.get("confirm") != Some("yes") {
        // Say how many will be sent again before doing it.
        let n = s.ops.count_recoverable(&p.actor, &p.member.org_id, &wid, since).await?;
        let (what, them) =
            if n == 1 { ("1 failed delivery".to_owned(), "it") } else { (format!("{n} failed deliveries"), "them") };
        let q = format!("{what} since {} UTC will be sent again. Send {them}?", when(&since));
        let mut resp =
            confirm_page(format!("/portal/webhooks/{id}/recover"), &super::auth::masked_csrf(&p.session.csrf), q, &[]);
        if let Some(c) = resp.extensions_mut().get_mut::<super::error::Confirm>() {
            c.fields.push(("since".into(), since.format("%Y-%m-%dT%H:%M").to_string()));
            c.label = "Send again";
        }
        return Ok(resp);
    }
    s.ops.recover(&p.actor, &p.member.org_id, &wid, since).await?;
    Ok(form.back(&format!("/portal/webhooks/{id}"), "recovered"))
}
