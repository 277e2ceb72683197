//! `/orgs/{org}/webhooks/{id}/stats` and `/orgs/{org}/stats`: how webhooks are doing.

use axum::extract::{RawQuery, State};
use axum::{Json, Router};
use hookd_core::health::Window;
use hookd_core::{OrgId, WebhookId};
use serde::Deserialize;

use super::endpoint::{Endpoint, Route, endpoint, one, route};
use super::state::ApiState;
use crate::error::{ApiError, ApiResult};
use crate::ids::Ids;
use hookd_service::Actor;
use hookd_service::health::{OrgStats, WebhookHealth};

const WINDOW: &[(&str, &str)] = &[("window", "`1h`, `24h` (the default), `7d` or `30d`")];

#[derive(Deserialize)]
struct WindowParam {
    window: Option<String>,
}

/// The `window` query parameter, `24h` when absent.
fn window(query: Option<String>) -> ApiResult<Window> {
    let p: WindowParam = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::invalid("query", e.to_string()))?;
    match p.window {
        None => Ok(Window::default()),
        Some(w) => Window::parse(&w)
            .ok_or_else(|| ApiError::invalid("window", format!("`{w}` is not a window; use {}", Window::NAMES))),
    }
}

async fn of_webhook(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, WebhookId)>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<WebhookHealth>> {
    Ok(Json(s.ops.webhook_stats(&by, &org, &id, window(query)?).await?))
}

async fn of_org(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<OrgStats>> {
    Ok(Json(s.ops.org_stats(&by, &org, window(query)?, None).await?))
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(
            of_webhook,
            Route {
                query: WINDOW,
                response: Some(one::<WebhookHealth>),
                ..route(
                    "getWebhookStats",
                    "get",
                    "/orgs/{org}/webhooks/{id}/stats",
                    "webhooks",
                    "A webhook's health: attempts, results and latency over a window",
                )
            },
        ),
        endpoint(
            of_org,
            Route {
                query: WINDOW,
                response: Some(one::<OrgStats>),
                ..route(
                    "getOrgStats",
                    "get",
                    "/orgs/{org}/stats",
                    "webhooks",
                    "The health of each of an org's webhooks over a window",
                )
            },
        ),
    ]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
