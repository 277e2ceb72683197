//! The REST API under `/api/v1`. Each resource module ends with its `router()`.

pub mod event_types;
pub mod events;
pub mod history;
pub mod members;
pub mod oauth;
pub mod orgs;
pub mod service;
pub mod tokens;
pub mod webhooks;

use axum::Router;
use hookd_service::Ops;
use serde::Serialize;

/// What the API's handlers get: the service layer.
#[derive(Clone)]
pub struct ApiState {
    pub ops: Ops,
}

/// A list answer: one page and the cursor of the next, if any.
#[derive(Debug, Serialize)]
pub struct List<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> List<T> {
    pub fn from_page<U>(page: hookd_core::listing::Page<U>, f: impl FnMut(U) -> T) -> Self {
        Self { data: page.data.into_iter().map(f).collect(), next_cursor: page.next_cursor }
    }
}

/// Every `/api/v1` route, as served and documented.
pub fn endpoints() -> Vec<crate::openapi::Endpoint> {
    [
        orgs::endpoints(),
        members::endpoints(),
        tokens::endpoints(),
        event_types::endpoints(),
        webhooks::endpoints(),
        events::endpoints(),
        history::endpoints(),
        oauth::endpoints(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub fn router() -> Router<ApiState> {
    Router::new()
        .merge(orgs::router())
        .merge(members::router())
        .merge(tokens::router())
        .merge(event_types::router())
        .merge(webhooks::router())
        .merge(events::router())
        .merge(history::router())
        .merge(oauth::router())
}
