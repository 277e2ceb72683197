use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use base64::Engine as _;
use hookd_core::model::{AccessToken, Role};
use hookd_core::{OrgId, TokenId, validation};
use serde::{Deserialize, Serialize};

use super::List;
use crate::error::{ApiError, ApiResult, not_found};
use crate::extract::{ApiJson, Caller, ListParams, path_id, token_hash};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    name: Option<String>,
    role: Option<Role>,
}

/// A token as created: the only time its secret is shown.
#[derive(Serialize)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: AccessToken,
    pub token_value: String,
}

/// A new random token: `hkd_` and 32 random bytes, URL-safe base64.
pub fn new_token_value() -> String {
    format!("hkd_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>()))
}

/// Creates a token for `org`; the CLI's `hookd token create` uses this too.
pub async fn issue(state: &AppState, org: &OrgId, name: &str, role: Role) -> ApiResult<CreatedToken> {
    let name = validation::name("name", name, 200)?;
    state.store.get_org(org).await.map_err(not_found("organization"))?;
    let value = new_token_value();
    let token = AccessToken {
        id: TokenId::new(),
        org_id: org.clone(),
        name,
        role,
        created_at: chrono::Utc::now(),
        last_used_at: None,
    };
    state.store.create_token(&token, &token_hash(&value)).await?;
    Ok(CreatedToken { token, token_value: value })
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check_admin(&org)?;
    let role = input.role.ok_or_else(|| ApiError::invalid("role", "is required: admin, member or viewer"))?;
    let created = issue(&state, &org, input.name.as_deref().unwrap_or(""), role).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<AccessToken>>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check_admin(&org)?;
    params.no_filters()?;
    let page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    Ok(Json(List::from_page(state.store.list_tokens(&org, &page).await?, |t| t)))
}

async fn rename(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult<Json<AccessToken>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check_admin(&org)?;
    let id = path_id("token", &id, TokenId::parse)?;
    if input.role.is_some() {
        return Err(ApiError::invalid("role", "a token's role cannot change; create a new token"));
    }
    let name = validation::name("name", input.name.as_deref().unwrap_or(""), 200)?;
    Ok(Json(state.store.rename_token(&org, &id, &name).await.map_err(not_found("access token"))?))
}

async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check_admin(&org)?;
    let id = path_id("token", &id, TokenId::parse)?;
    state.store.delete_token(&org, &id).await.map_err(not_found("access token"))?;
    // Cached entries are keyed by hash, which we no longer know: drop them all (revocation is rare).
    state.tokens.clear();
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org}/tokens", get(list).post(create))
        .route("/orgs/{org}/tokens/{id}", patch(rename).delete(revoke))
}
