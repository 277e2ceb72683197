//! The one mapping from failures to pages: a refusal renders in the portal's look with what
//! to do next, never a stack trace. Field errors of a form are shown beside the form's fields
//! by the handler instead.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use hookd_service::OpsError;

#[derive(Debug)]
pub enum PortalError {
    /// No session, or it ended: to the sign-in page.
    SignedOut,
    /// A form without this session's CSRF token, or from another origin.
    Csrf,
    Ops(OpsError),
}

impl From<OpsError> for PortalError {
    fn from(e: OpsError) -> Self {
        Self::Ops(e)
    }
}

pub type PortalResult<T> = Result<T, PortalError>;

/// A page outside the frame (no session needed): sign-in, a refused link, an error. The
/// `secure` layer renders it with the operator's branding, which this code has no access to.
#[derive(Debug, Clone)]
pub struct BarePage {
    pub title: &'static str,
    pub paragraphs: Vec<String>,
    pub link: Option<(&'static str, &'static str)>,
    /// The login-link form, filled in and sent by the page's script.
    pub exchange: bool,
}

/// A destructive action asked about on a page of its own (for a browser without script):
/// the form to send again, confirmed.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub action: String,
    pub csrf: String,
    pub ids: Vec<String>,
    /// Other fields to send again as they were.
    pub fields: Vec<(String, String)>,
    /// What the confirming button says.
    pub label: &'static str,
}

pub fn page(
    status: StatusCode,
    title: &'static str,
    text: String,
    link: Option<(&'static str, &'static str)>,
) -> Response {
    let mut resp = status.into_response();
    resp.extensions_mut().insert(BarePage { title, paragraphs: vec![text], link, exchange: false });
    resp
}

pub fn not_found_page() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is nothing at this address. It may have been deleted, or the link is mistyped.".into(),
        Some(("/portal/webhooks", "Go to your webhooks")),
    )
}

/// `m` as the start of a sentence.
fn sentence(m: &str) -> String {
    let mut c = m.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let back = Some(("/portal/webhooks", "Back to your webhooks"));
        match self {
            PortalError::SignedOut => Redirect::to("/portal/sign-in").into_response(),
            PortalError::Csrf => page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "The page was open too long, or the form did not come from this portal. Go back, reload the page and try again.".into(),
                back,
            ),
            PortalError::Ops(e) => match e {
                OpsError::NotFound(_) => not_found_page(),
                OpsError::Forbidden(m) => page(
                    StatusCode::FORBIDDEN,
                    "You cannot do this",
                    format!("{}. If you need it, ask an admin of your organization.", sentence(&m)),
                    back,
                ),
                OpsError::FeatureOff(what) => page(
                    StatusCode::FORBIDDEN,
                    "Not turned on",
                    format!(
                        "{} are not turned on for your organization. Ask the product that sent you here to turn them on.",
                        sentence(what)
                    ),
                    Some(("/portal/event-types", "See the event types")),
                ),
                OpsError::Invalid { field, detail } => {
                    page(StatusCode::UNPROCESSABLE_ENTITY, "Something needs fixing", format!("{field}: {detail}"), back)
                }
                e @ (OpsError::Conflict { .. } | OpsError::Stale { .. }) => {
                    page(StatusCode::CONFLICT, "Something changed meanwhile", format!("{e}. Reload the page and try again."), back)
                }
                e @ OpsError::TooManyAttempts(_) => {
                    page(StatusCode::TOO_MANY_REQUESTS, "Too many attempts", format!("{e}."), back)
                }
                OpsError::TooLarge(n) => {
                    page(StatusCode::PAYLOAD_TOO_LARGE, "Too large", format!("Keep it under {n} bytes."), back)
                }
                OpsError::Full => page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Temporarily unavailable",
                    "The service's storage is full, so nothing was saved. Try again later.".into(),
                    back,
                ),
                OpsError::Unavailable | OpsError::NotReady(_) => page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Temporarily unavailable",
                    "The service cannot reach its database right now. Try again in a moment.".into(),
                    back,
                ),
                OpsError::Internal(cause) => {
                    tracing::error!(%cause, "internal error in the portal");
                    page(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Something went wrong",
                        "This is our fault, not yours. Try again; if it keeps happening, tell your provider.".into(),
                        back,
                    )
                }
            },
        }
    }
}
