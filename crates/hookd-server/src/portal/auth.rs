//! Sessions in the portal: the signed-in member of a request, the CSRF check of every form,
//! and the sign-in, login-link and sign-out pages.

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::error::{BarePage, PortalError, PortalResult, page};
use super::form::Form;
use super::state::PortalState;
use hookd_service::sessions::Portal;

pub const SESSION_COOKIE: &str = "hookd_session";

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The signed-in member of a request; a request without a live session goes to sign-in.
pub struct Signed(pub Portal);

impl FromRequestParts<PortalState> for Signed {
    type Rejection = PortalError;

    async fn from_request_parts(parts: &mut Parts, s: &PortalState) -> Result<Self, Self::Rejection> {
        let Some(value) = cookie(&parts.headers, SESSION_COOKIE) else { return Err(PortalError::SignedOut) };
        match s.ops.session(value).await? {
            Some(p) => Ok(Signed(p)),
            None => Err(PortalError::SignedOut),
        }
    }
}

/// A form posted by a signed-in member, carrying its session's CSRF token: the only way a
/// portal handler gets a form, so no state-changing handler can skip the check.
pub struct Posted(pub Signed, pub Form);

impl FromRequest<PortalState> for Posted {
    type Rejection = PortalError;

    async fn from_request(req: Request, s: &PortalState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let signed = Signed::from_request_parts(&mut parts, s).await?;
        let form = Form::from_request(Request::from_parts(parts, body), s).await?;
        let sent = unmask_csrf(form.get("_csrf").unwrap_or("")).unwrap_or_default();
        let want = signed.0.session.csrf.as_bytes();
        let same = sent.len() == want.len() && sent.iter().zip(want).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if same { Ok(Self(signed, form)) } else { Err(PortalError::Csrf) }
    }
}

/// The session's CSRF token as a page carries it: XORed with a fresh pad, pad first, in hex.
/// Each page has other bytes for the same token, so a compressed page (BREACH) tells an
/// observer nothing about it.
pub(crate) fn masked_csrf(token: &str) -> String {
    let pad: Vec<u8> = token.bytes().map(|_| rand::random::<u8>()).collect();
    let masked: Vec<u8> = token.bytes().zip(&pad).map(|(t, p)| t ^ p).collect();
    format!("{}{}", hex::encode(pad), hex::encode(masked))
}

/// The token inside a [`masked_csrf`] value.
fn unmask_csrf(sent: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(sent).ok()?;
    let (pad, masked) = bytes.split_at(bytes.len() / 2);
    (pad.len() == masked.len()).then(|| pad.iter().zip(masked).map(|(p, m)| p ^ m).collect())
}

/// Refuses a state-changing request that another site's page sent (its `Origin` or, failing
/// that, its `Referer` names another host), before anything reads the body.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let from = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|v| v.to_str().ok());
    match from {
        None | Some("null") if headers.get(header::ORIGIN).is_some() => false,
        None => true,
        Some(f) => url::Url::parse(f).ok().is_some_and(|u| {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}{port}", u.host_str().unwrap_or("")) == host
        }),
    }
}

fn bare(title: &'static str, text: String, link: Option<(&'static str, &'static str)>) -> Response {
    page(StatusCode::OK, title, text, link)
}

pub(crate) async fn sign_in_page(State(s): State<PortalState>) -> Response {
    let product = &s.portal.config.product_name;
    bare(
        "Sign in",
        format!(
            "You sign in to your webhooks from {product}: open its settings and follow the link to webhooks. \
             A sign-in link works once, for a short time; ask for a new one in {product} whenever you need it."
        ),
        None,
    )
}

/// Where a login link lands: the page's script posts the link's secret (from the URL's
/// fragment, which the browser never sent here) to [`exchange`].
pub(crate) async fn login_page() -> Response {
    let mut resp = StatusCode::OK.into_response();
    let text = "Signing you in…".to_owned();
    resp.extensions_mut().insert(BarePage { title: "Sign in", paragraphs: vec![text], link: None, exchange: true });
    resp
}

pub(crate) async fn exchange(State(s): State<PortalState>, form: Form) -> Response {
    match s.ops.sign_in(form.text("secret")).await {
        Ok(signed) => {
            let c = &s.portal.config;
            // Framed in another site's page, the cookie must be sent cross-site (and so Secure).
            let same_site = if c.frame_ancestors.is_empty() || !c.secure_cookies { "Lax" } else { "None" };
            let secure = if c.secure_cookies { "; Secure" } else { "" };
            let max_age = (signed.session.expires_at - signed.session.created_at).num_seconds();
            let cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}",
                signed.cookie
            );
            let mut resp = Redirect::to(&signed.return_to).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            resp
        }
        Err(hookd_service::OpsError::Forbidden(_)) => {
            let product = &s.portal.config.product_name;
            let text = format!(
                "It was already used, or it has expired. Sign-in links work once and for a short time: \
                 ask for a new link in {product}."
            );
            let mut resp = bare("This sign-in link does not work", text, None);
            *resp.status_mut() = StatusCode::FORBIDDEN;
            resp
        }
        // Anything else (the database away, say) is said as such, not as a bad link.
        Err(e) => PortalError::from(e).into_response(),
    }
}

pub(crate) async fn logout(
    State(s): State<PortalState>,
    headers: HeaderMap,
    _checked: Posted,
) -> PortalResult<Response> {
    if let Some(value) = cookie(&headers, SESSION_COOKIE) {
        s.ops.sign_out(value).await?;
    }
    let mut resp = Redirect::to("/portal/sign-in").into_response();
    let gone = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&gone) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(resp)
}
