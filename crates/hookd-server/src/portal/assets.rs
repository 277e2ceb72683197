//! The portal's CSS and script, compiled into the binary and served with long cache lives
//! (every page asks for them with the build's version in the query).

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::state::PortalState;

const CSS: &str = include_str!("../../static/portal.css");
const JS: &str = include_str!("../../static/portal.js");

/// Changes with every build of the assets, so browsers never keep an old one.
pub(crate) fn version() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in CSS.bytes().chain(JS.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:x}", h >> 32)
}

pub(crate) async fn serve(State(s): State<PortalState>, Path(file): Path<String>) -> Response {
    let (body, kind): (String, &str) = match file.as_str() {
        "portal.css" => (CSS.to_owned(), "text/css; charset=utf-8"),
        "portal.js" => (JS.to_owned(), "text/javascript; charset=utf-8"),
        "theme.css" => (s.portal.theme_css.clone(), "text/css; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    resp
}
