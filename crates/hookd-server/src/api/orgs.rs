//! `/orgs`: the operator's organizations.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, Router};
use hookd_core::OrgId;
use hookd_core::model::{AuditEntry, Org};

use super::endpoint::{Endpoint, PAGE, Route, endpoint, one, page_of, route};
use super::extract::{ApiJson, ListParams};
use super::state::ApiState;
use super::state::List;
use crate::error::ApiResult;
use crate::ids::Ids;
use hookd_service::Actor;
use hookd_service::orgs::OrgIn;

async fn create(
    State(s): State<ApiState>,
    by: Actor,
    ApiJson(input): ApiJson<OrgIn>,
) -> ApiResult<(StatusCode, Json<Org>)> {
    Ok((StatusCode::CREATED, Json(s.ops.create_org(&by, input).await?)))
}

async fn get_one(State(s): State<ApiState>, by: Actor, Ids(org): Ids<OrgId>) -> ApiResult<Json<Org>> {
    Ok(Json(s.ops.get_org(&by, &org).await?))
}

async fn patch(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    ApiJson(input): ApiJson<OrgIn>,
) -> ApiResult<Json<Org>> {
    Ok(Json(s.ops.update_org(&by, &org, input).await?))
}

async fn list(State(s): State<ApiState>, by: Actor, params: ListParams) -> ApiResult<Json<List<Org>>> {
    params.no_filters()?;
    let page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    Ok(Json(List::from_page(s.ops.list_orgs(&by, &page).await?, |o| o)))
}

/// The org's audit log, newest first unless `order=asc`.
async fn audit(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    params: ListParams,
) -> ApiResult<Json<List<AuditEntry>>> {
    params.no_filters()?;
    let mut page = params.page(|s| (s == "at").then_some(()), &["at"])?;
    if params.order.is_none() {
        page.order = hookd_core::listing::Order::Desc;
    }
    Ok(Json(List::from_page(s.ops.list_audit(&by, &org, &page).await?, |a| a)))
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(
            list,
            Route {
                query: PAGE,
                response: Some(page_of::<Org>),
                ..route("listOrgs", "get", "/orgs", "orgs", "List organizations (operator)")
            },
        ),
        endpoint(
            create,
            Route {
                request: Some(one::<OrgIn>),
                status: 201,
                response: Some(one::<Org>),
                ..route("createOrg", "post", "/orgs", "orgs", "Create an organization (operator)")
            },
        ),
        endpoint(
            get_one,
            Route {
                response: Some(one::<Org>),
                ..route("getOrg", "get", "/orgs/{org}", "orgs", "Get an organization")
            },
        ),
        endpoint(
            patch,
            Route {
                request: Some(one::<OrgIn>),
                response: Some(one::<Org>),
                ..route("updateOrg", "patch", "/orgs/{org}", "orgs", "Update an organization (operator)")
            },
        ),
        endpoint(
            audit,
            Route {
                query: PAGE,
                response: Some(page_of::<AuditEntry>),
                ..route(
                    "listAuditEntries",
                    "get",
                    "/orgs/{org}/audit",
                    "orgs",
                    "The audit log: who changed what, when (admins; newest first)",
                )
            },
        ),
    ]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
