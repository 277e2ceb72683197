//! `/orgs/{org}/tokens`: access tokens, shown once at creation.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use hookd_core::model::{AccessToken, Role};
use hookd_core::{OrgId, TokenId};
use serde::Deserialize;

use super::List;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ListParams, path_id};
use crate::state::AppState;
use hookd_service::Actor;
use hookd_service::tokens::CreatedToken;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    name: Option<String>,
    role: Option<Role>,
}

async fn create(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let org = path_id("org", &org, OrgId::parse)?;
    let created = s.ops.issue_token(&by, &org, input.name.as_deref().unwrap_or(""), input.role).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn list(
    State(s): State<AppState>,
    by: Actor,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<AccessToken>>> {
    let org = path_id("org", &org, OrgId::parse)?;
    params.no_filters()?;
    let page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    Ok(Json(List::from_page(s.ops.list_tokens(&by, &org, &page).await?, |t| t)))
}

fn ids(org: &str, id: &str) -> ApiResult<(OrgId, TokenId)> {
    Ok((path_id("org", org, OrgId::parse)?, path_id("token", id, TokenId::parse)?))
}

async fn rename(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult<Json<AccessToken>> {
    let (org, id) = ids(&org, &id)?;
    if input.role.is_some() {
        return Err(ApiError::invalid("role", "a token's role cannot change; create a new token"));
    }
    Ok(Json(s.ops.rename_token(&by, &org, &id, input.name.as_deref().unwrap_or("")).await?))
}

async fn revoke(
    State(s): State<AppState>,
    by: Actor,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (org, id) = ids(&org, &id)?;
    s.ops.revoke_token(&by, &org, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org}/tokens", get(list).post(create))
        .route("/orgs/{org}/tokens/{id}", patch(rename).delete(revoke))
}
