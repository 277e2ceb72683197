use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use hookd_core::model::{Member, MemberStatus, Role};
use hookd_core::{MemberId, OrgId, validation};
use serde::Deserialize;

use super::List;
use super::orgs::double_option;
use crate::error::{ApiError, ApiResult, not_found};
use crate::extract::{ApiJson, Caller, ListParams, path_id};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    name: Option<String>,
    email: Option<String>,
    #[serde(default, with = "double_option")]
    phone: Option<Option<String>>,
    role: Option<Role>,
    groups: Option<Vec<String>>,
    #[serde(default, with = "double_option")]
    external_id: Option<Option<String>>,
    status: Option<MemberStatus>,
}

fn email(text: &str) -> ApiResult<String> {
    let t = text.trim();
    let ok = t.len() <= 320
        && t.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.starts_with('.'));
    if ok { Ok(t.to_owned()) } else { Err(ApiError::invalid("email", format!("`{t}` is not an email address"))) }
}

fn conflict(e: hookd_store::StoreError) -> ApiError {
    match e {
        hookd_store::StoreError::Conflict { .. } => {
            ApiError::Conflict("a member with this email already exists in this organization".into())
        }
        other => other.into(),
    }
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<MemberInput>,
) -> ApiResult<(StatusCode, Json<Member>)> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check_admin(&org)?;
    state.store.get_org(&org).await.map_err(not_found("organization"))?;
    let member = Member {
        id: MemberId::new(),
        org_id: org,
        name: validation::name("name", input.name.as_deref().unwrap_or(""), 200)?,
        email: email(input.email.as_deref().unwrap_or(""))?,
        phone: input.phone.flatten(),
        role: input.role.ok_or_else(|| ApiError::invalid("role", "is required: admin, member or viewer"))?,
        groups: input.groups.unwrap_or_default(),
        external_id: input.external_id.flatten(),
        status: input.status.unwrap_or(MemberStatus::Active),
        created_at: chrono::Utc::now(),
    };
    state.store.create_member(&member).await.map_err(conflict)?;
    Ok((StatusCode::CREATED, Json(member)))
}

async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<Member>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check(&org, false)?;
    let id = path_id("member", &id, MemberId::parse)?;
    Ok(Json(state.store.get_member(&org, &id).await.map_err(not_found("member"))?))
}

async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<MemberInput>,
) -> ApiResult<Json<Member>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check_admin(&org)?;
    let id = path_id("member", &id, MemberId::parse)?;
    let mut m = state.store.get_member(&org, &id).await.map_err(not_found("member"))?;
    if let Some(n) = input.name {
        m.name = validation::name("name", &n, 200)?;
    }
    if let Some(e) = input.email {
        m.email = email(&e)?;
    }
    if let Some(p) = input.phone {
        m.phone = p;
    }
    if let Some(r) = input.role {
        m.role = r;
    }
    if let Some(g) = input.groups {
        m.groups = g;
    }
    if let Some(x) = input.external_id {
        m.external_id = x;
    }
    if let Some(s) = input.status {
        m.status = s;
    }
    state.store.update_member(&m).await.map_err(conflict)?;
    Ok(Json(m))
}

async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check_admin(&org)?;
    let id = path_id("member", &id, MemberId::parse)?;
    state.store.delete_member(&org, &id).await.map_err(not_found("member"))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<Member>>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check(&org, false)?;
    params.no_filters()?;
    let page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    Ok(Json(List::from_page(state.store.list_members(&org, &page).await?, |m| m)))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org}/members", get(list).post(create))
        .route("/orgs/{org}/members/{id}", get(get_one).patch(patch).delete(delete))
}
