//! hookd's service layer (`ops`: every operation once, with who may call it) and its HTTP
//! doors: the REST API under `/api/v1`, service routes, and the one mapping from errors to
//! RFC 9457 problems. Handlers turn HTTP into a call of `ops` and its result into HTTP;
//! they hold no rule, no SQL, and send no webhooks themselves.

pub mod api;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod portal;
pub mod serve;
pub mod state;

use axum::Router;
use axum::extract::DefaultBodyLimit;

pub use hookd_service::{Ops, OpsConfig};
pub use portal::PortalConfig;
pub use state::AppState;

use crate::error::ApiError;

/// An unknown route: a page in the portal's look under `/portal`, a problem elsewhere.
async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: axum::http::Uri,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    if uri.path().starts_with("/portal") {
        portal::page_not_found(&state)
    } else {
        ApiError::NotFound("route").into_response()
    }
}

pub fn app(state: AppState) -> Router {
    let limit = state.ops.config.max_payload_bytes + 64 * 1024;
    Router::new()
        .nest("/api/v1", api::router())
        .merge(api::service::router())
        .merge(portal::router(state.clone()))
        .fallback(not_found)
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}
