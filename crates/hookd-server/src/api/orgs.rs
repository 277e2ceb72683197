//! `/orgs`: the operator's organizations.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use hookd_core::OrgId;
use hookd_core::model::{AuditEntry, Org};

use super::List;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ListParams, path_id};
use crate::state::AppState;
use hookd_service::Actor;
use hookd_service::orgs::OrgIn;

async fn create(
    State(s): State<AppState>,
    by: Actor,
    ApiJson(input): ApiJson<OrgIn>,
) -> ApiResult<(StatusCode, Json<Org>)> {
    Ok((StatusCode::CREATED, Json(s.ops.create_org(&by, input).await?)))
}

async fn get_one(State(s): State<AppState>, by: Actor, Path(org): Path<String>) -> ApiResult<Json<Org>> {
    let org = path_id("org", &org, OrgId::parse)?;
    Ok(Json(s.ops.get_org(&by, &org).await?))
}

async fn patch(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<OrgIn>,
) -> ApiResult<Json<Org>> {
    let org = path_id("org", &org, OrgId::parse)?;
    Ok(Json(s.ops.update_org(&by, &org, input).await?))
}

async fn list(State(s): State<AppState>, by: Actor, params: ListParams) -> ApiResult<Json<List<Org>>> {
    params.no_filters()?;
    let page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    Ok(Json(List::from_page(s.ops.list_orgs(&by, &page).await?, |o| o)))
}

/// The org's audit log, newest first unless `order=asc`.
async fn audit(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<AuditEntry>>> {
    let org = path_id("org", &org, OrgId::parse)?;
    params.no_filters()?;
    let mut page = params.page(|s| (s == "at").then_some(()), &["at"])?;
    if params.order.is_none() {
        page.order = hookd_core::listing::Order::Desc;
    }
    Ok(Json(List::from_page(s.ops.list_audit(&by, &org, &page).await?, |a| a)))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(list).post(create))
        .route("/orgs/{org}", get(get_one).patch(patch))
        .route("/orgs/{org}/audit", get(audit))
}
