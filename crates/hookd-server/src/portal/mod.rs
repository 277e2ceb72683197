//! The customer portal: pages rendered on the server (askama templates, compile-time
//! checked) over the service layer, with a small script for what pages do better with one.
//! Every asset is in the binary; a strict Content-Security-Policy keeps pages from loading
//! anything from another host or running inline script. A page handler turns a form into a
//! call of `ops` and its result into a page or a redirect with a toast; it holds no rule.

mod api_docs;
mod assets;
mod audit;
mod auth;
mod catalog;
mod charts;
mod destination_form;
mod error;
mod events;
mod form;
mod frame;
mod history;
mod people;
mod state;
mod summary;
mod trying;
mod webhook_form;
mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hookd_service::Ops;

pub use self::auth::SESSION_COOKIE;
pub use self::error::{PortalError, not_found_page};
pub use self::state::{Branding, PortalConfig, PortalState};

mod theme;

/// Made here, where the stylesheet and the assets are: each page module sees only the state.
impl PortalState {
    pub fn new(ops: Ops, config: PortalConfig) -> Self {
        let portal = Branding {
            csp: config.csp(),
            theme_css: theme::stylesheet(&config.accent),
            asset_version: assets::version(),
            config,
        };
        Self { ops, portal: Arc::new(portal) }
    }
}

/// The portal's 404 page, for routes no handler has.
pub fn page_not_found(state: &PortalState) -> Response {
    let mut resp = not_found_page();
    finish(state, &mut resp);
    resp
}

#[derive(askama::Template)]
#[template(path = "bare.html")]
struct Bare<'a> {
    title: &'a str,
    product: &'a str,
    asset_version: &'a str,
    paragraphs: &'a [String],
    exchange: bool,
    link: Option<&'a str>,
    link_text: &'a str,
    confirm: Option<&'a error::Confirm>,
}

/// Renders a page outside the frame (see [`error::BarePage`]) with the operator's branding.
fn render_bare(state: &PortalState, resp: &mut Response) {
    use askama::Template as _;
    let Some(page) = resp.extensions_mut().remove::<error::BarePage>() else { return };
    let confirm = resp.extensions_mut().remove::<error::Confirm>();
    let bare = Bare {
        title: page.title,
        product: &state.portal.config.product_name,
        asset_version: &state.portal.asset_version,
        paragraphs: &page.paragraphs,
        exchange: page.exchange,
        link: page.link.map(|(href, _)| href),
        link_text: page.link.map(|(_, text)| text).unwrap_or(""),
        confirm: confirm.as_ref(),
    };
    if let Ok(body) = bare.render() {
        *resp.body_mut() = axum::body::Body::from(body);
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        resp.headers_mut().remove(header::CONTENT_LENGTH);
    }
}

#[derive(askama::Template)]
#[template(path = "framed.html")]
struct Framed<'a> {
    frame: frame::Frame,
    title: &'a str,
    paragraphs: &'a [String],
    link: Option<&'a str>,
    link_text: &'a str,
    confirm: Option<&'a error::Confirm>,
}

/// Renders a refusal or a confirmation (see [`error::BarePage`]) in the portal's frame, for a
/// member whose session is live: they keep their navigation. Without a session the page stays
/// bare.
async fn render_framed(state: &PortalState, session: &str, resp: &mut Response) {
    use askama::Template as _;
    let Some(page) = resp.extensions().get::<error::BarePage>().filter(|p| !p.exchange).cloned() else { return };
    let Ok(Some(p)) = state.ops.session(session).await else { return };
    let Ok(frame) = frame::Frame::new(state, &p, "", page.title, None).await else { return };
    let confirm = resp.extensions().get::<error::Confirm>().cloned();
    let framed = Framed {
        frame,
        title: page.title,
        paragraphs: &page.paragraphs,
        link: page.link.map(|(href, _)| href),
        link_text: page.link.map(|(_, text)| text).unwrap_or(""),
        confirm: confirm.as_ref(),
    };
    if let Ok(body) = framed.render() {
        resp.extensions_mut().remove::<error::BarePage>();
        *resp.body_mut() = axum::body::Body::from(body);
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        resp.headers_mut().remove(header::CONTENT_LENGTH);
    }
}

/// Headers every portal response carries, and the one check of where a form came from.
async fn secure(
    axum::extract::State(state): axum::extract::State<PortalState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let session = auth::cookie(req.headers(), SESSION_COOKIE).map(str::to_owned);
    let mut resp = if req.method() != axum::http::Method::GET && !auth::same_origin(req.headers()) {
        PortalError::Csrf.into_response()
    } else {
        next.run(req).await
    };
    if let Some(session) = session {
        render_framed(&state, &session, &mut resp).await;
    }
    finish(&state, &mut resp);
    resp
}

/// What every portal answer gets, refusals and unknown routes included: a page outside the
/// frame rendered with the branding, and the security headers.
fn finish(state: &PortalState, resp: &mut Response) {
    render_bare(state, resp);
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&state.portal.csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    // Same-origin keeps the Origin header on the portal's own forms (no-referrer would make it "null").
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if state.portal.config.frame_ancestors.is_empty() {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
}

async fn root() -> Response {
    Redirect::to("/portal/webhooks").into_response()
}

pub fn router(state: PortalState) -> Router<PortalState> {
    Router::new()
        .route("/", get(root))
        .route("/portal", get(root))
        .route("/portal/static/{file}", get(assets::serve))
        .route("/api/docs", get(api_docs::page))
        .route("/portal/sign-in", get(auth::sign_in_page))
        .route("/portal/login", get(auth::login_page).post(auth::exchange))
        .route("/portal/logout", post(auth::logout))
        .route("/portal/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/portal/webhooks/new", get(webhooks::new_form))
        .route("/portal/webhooks/delete", post(webhooks::bulk_delete))
        .route("/portal/webhooks/{id}", get(webhooks::detail).post(webhooks::update))
        .route("/portal/webhooks/{id}/edit", get(webhooks::edit_form))
        .route("/portal/webhooks/{id}/toggle", post(webhooks::toggle))
        .route("/portal/webhooks/{id}/delete", post(webhooks::delete))
        .route("/portal/webhooks/{id}/rotate", post(webhooks::rotate))
        .route("/portal/webhooks/{id}/test", post(webhooks::test))
        .route("/portal/webhooks/{id}/recover", post(webhooks::recover))
        .route("/portal/events", get(events::list))
        .route("/portal/live", get(events::live))
        .route("/portal/events/{id}", get(events::detail))
        .route("/portal/history", get(history::org_history))
        .route("/portal/attempts/{id}", get(history::attempt))
        .route("/portal/deliveries/{id}/resend", post(history::resend))
        .route("/portal/event-types", get(catalog::page))
        .route("/portal/tokens", get(people::tokens).post(people::create_token))
        .route("/portal/tokens/{id}/rename", post(people::update_token))
        .route("/portal/tokens/{id}/revoke", post(people::delete_token))
        .route("/portal/audit", get(audit::page))
        .route("/portal/members", get(people::members).post(people::create_member))
        .route("/portal/members/{id}", post(people::update_member))
        .route("/portal/members/{id}/remove", post(people::remove_member))
        .layer(axum::middleware::from_fn_with_state(state, secure))
}
