//! `/orgs/{org}/members`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use hookd_core::model::Member;
use hookd_core::{MemberId, OrgId};
use serde::Deserialize;

use super::List;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ListParams, parse_json, path_id};
use crate::state::AppState;
use hookd_service::Actor;
use hookd_service::members::MemberIn;
use hookd_service::sessions::IssuedLink;

fn ids(org: &str, id: &str) -> ApiResult<(OrgId, MemberId)> {
    Ok((path_id("org", org, OrgId::parse)?, path_id("member", id, MemberId::parse)?))
}

async fn create(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<MemberIn>,
) -> ApiResult<(StatusCode, Json<Member>)> {
    let org = path_id("org", &org, OrgId::parse)?;
    Ok((StatusCode::CREATED, Json(s.ops.create_member(&by, &org, input).await?)))
}

async fn get_one(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<Member>> {
    let (org, id) = ids(&org, &id)?;
    Ok(Json(s.ops.get_member(&by, &org, &id).await?))
}

async fn patch(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<MemberIn>,
) -> ApiResult<Json<Member>> {
    let (org, id) = ids(&org, &id)?;
    Ok(Json(s.ops.update_member(&by, &org, &id, input).await?))
}

async fn delete(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (org, id) = ids(&org, &id)?;
    s.ops.delete_member(&by, &org, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<Member>>> {
    let org = path_id("org", &org, OrgId::parse)?;
    params.no_filters()?;
    let page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    Ok(Json(List::from_page(s.ops.list_members(&by, &org, &page).await?, |m| m)))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkInput {
    /// Seconds the link works (default 900).
    expires_in: Option<u64>,
    return_to: Option<String>,
}

async fn login_link(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<IssuedLink>)> {
    let (org, id) = ids(&org, &id)?;
    // The body is optional: an empty one asks for a link with the defaults.
    let input: LinkInput =
        if body.iter().all(u8::is_ascii_whitespace) { LinkInput::default() } else { parse_json(&body)? };
    let ttl = input.expires_in.map(std::time::Duration::from_secs);
    let link = s.ops.issue_login_link(&by, &org, &id, ttl, input.return_to).await?;
    Ok((StatusCode::CREATED, Json(link)))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org}/members", get(list).post(create))
        .route("/orgs/{org}/members/{id}", get(get_one).patch(patch).delete(delete))
        .route("/orgs/{org}/members/{id}/login-links", post(login_link))
}
