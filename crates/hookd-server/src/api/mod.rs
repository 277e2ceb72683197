//! The REST API under `/api/v1`. Each resource module ends with its `router()`.

pub mod endpoint;
pub mod event_types;
pub mod events;
pub mod extract;
pub mod history;
pub mod members;
pub mod oauth;
pub mod openapi;
pub mod orgs;
pub mod secret;
pub mod service;
pub mod state;
pub mod stats;
pub mod tokens;
pub mod webhooks;

use axum::Router;

/// Every `/api/v1` route, as served and documented.
pub fn endpoints() -> Vec<endpoint::Endpoint> {
    [
        orgs::endpoints(),
        members::endpoints(),
        tokens::endpoints(),
        event_types::endpoints(),
        webhooks::endpoints(),
        events::endpoints(),
        history::endpoints(),
        stats::endpoints(),
        oauth::endpoints(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub fn router() -> Router<state::ApiState> {
    Router::new()
        .merge(orgs::router())
        .merge(members::router())
        .merge(tokens::router())
        .merge(event_types::router())
        .merge(webhooks::router())
        .merge(events::router())
        .merge(history::router())
        .merge(stats::router())
        .merge(oauth::router())
}
