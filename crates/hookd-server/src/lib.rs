//! The HTTP doors of hookd's service layer (`hookd_service`): the REST API under `/api/v1`
//! with its OpenAPI document and service routes, the customer portal, and the listener that
//! serves them. Handlers turn HTTP into a call of an operation and its result into HTTP; they
//! hold no rule, no SQL, and cannot reach the store (this crate does not depend on it).

pub mod api;
pub mod error;
pub mod ids;
pub mod observe;
pub mod portal;
pub mod serve;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::compression::CompressionLayer;

pub use api::state::ApiState;
pub use hookd_service::{Ops, OpsConfig};
pub use portal::PortalConfig;
pub use portal::PortalState;

use crate::error::ApiError;

/// An unknown route: a page in the portal's look under `/portal`, a problem elsewhere.
fn not_found(portal: &PortalState, uri: &axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    if uri.path().starts_with("/portal") {
        portal::page_not_found(portal)
    } else {
        ApiError::NotFound("route").into_response()
    }
}

impl axum::response::IntoResponse for ids::UnknownId {
    fn into_response(self) -> axum::response::Response {
        if self.portal { portal::not_found_page() } else { ApiError::NotFound(self.resource).into_response() }
    }
}

/// Every door of the service layer: the REST API with its service routes, and the portal,
/// each with its own state.
pub fn app(ops: Ops, portal: PortalConfig) -> Router {
    let limit = ops.config.max_payload_bytes + 64 * 1024;
    let api = ApiState { ops: ops.clone() };
    let portal = PortalState::new(ops.clone(), portal);
    let fallback = portal.clone();
    let observed = observe::ObserveLayer::new(ops.shared_metrics());
    Router::new()
        .nest("/api/v1", api::router().with_state(api.clone()))
        .merge(api::service::router().with_state(api))
        // Pages and assets compressed (gzip, brotli) for browsers that ask; the API is not,
        // its answers are small and its clients rarely ask.
        .merge(portal::router(portal.clone()).with_state(portal).layer(CompressionLayer::new()))
        .fallback(move |uri: axum::http::Uri| async move { not_found(&fallback, &uri) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(limit))
        .layer(observed)
}

#[cfg(test)]
mod tests {
    /// The doors reach the database only through the service layer: this crate names neither
    /// the store nor the dispatcher (`use hookd_store` would not compile without the line).
    #[test]
    fn the_doors_do_not_depend_on_the_store_or_the_dispatcher() {
        let manifest = include_str!("../Cargo.toml");
        for line in manifest.lines().map(str::trim) {
            assert!(
                !line.starts_with("hookd-store") && !line.starts_with("hookd-delivery"),
                "hookd-server must not depend on {line}: call an operation of hookd-service instead"
            );
        }
    }
}
