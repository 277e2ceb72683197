use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use hookd_core::OrgId;
use hookd_core::model::Org;
use hookd_core::validation;
use serde::Deserialize;

use super::List;
use crate::error::{ApiError, ApiResult, not_found};
use crate::extract::{ApiJson, Caller, ListParams, path_id};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    name: Option<String>,
    #[serde(default, with = "double_option")]
    parent_id: Option<Option<OrgId>>,
    features: Option<Vec<String>>,
}

/// Tells "absent" from "null" so PATCH can clear a field.
pub mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

async fn check_parent(state: &AppState, parent: &Option<OrgId>, me: Option<&OrgId>) -> ApiResult<()> {
    if let Some(p) = parent {
        if Some(p) == me {
            return Err(ApiError::invalid("parent_id", "an organization cannot be its own parent"));
        }
        state.store.get_org(p).await.map_err(|e| match e {
            hookd_store::StoreError::NotFound => {
                ApiError::invalid("parent_id", format!("organization {p} does not exist"))
            }
            other => other.into(),
        })?;
    }
    Ok(())
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OrgInput>,
) -> ApiResult<(StatusCode, Json<Org>)> {
    caller.operator_only()?;
    let name = validation::name("name", input.name.as_deref().unwrap_or(""), 200)?;
    let parent_id = input.parent_id.flatten();
    check_parent(&state, &parent_id, None).await?;
    let org = Org {
        id: OrgId::new(),
        name,
        parent_id,
        features: input.features.unwrap_or_default(),
        created_at: chrono::Utc::now(),
    };
    state.store.create_org(&org).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

async fn get_one(State(state): State<AppState>, caller: Caller, Path(org): Path<String>) -> ApiResult<Json<Org>> {
    let org = path_id("org", &org, OrgId::parse)?;
    caller.check(&org, false)?;
    Ok(Json(state.store.get_org(&org).await.map_err(not_found("organization"))?))
}

async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<OrgInput>,
) -> ApiResult<Json<Org>> {
    caller.operator_only()?;
    let id = path_id("org", &org, OrgId::parse)?;
    let mut org = state.store.get_org(&id).await.map_err(not_found("organization"))?;
    if let Some(n) = input.name {
        org.name = validation::name("name", &n, 200)?;
    }
    if let Some(p) = input.parent_id {
        check_parent(&state, &p, Some(&id)).await?;
        org.parent_id = p;
    }
    if let Some(f) = input.features {
        org.features = f;
    }
    state.store.update_org(&org).await?;
    Ok(Json(org))
}

async fn list(State(state): State<AppState>, caller: Caller, params: ListParams) -> ApiResult<Json<List<Org>>> {
    caller.operator_only()?;
    params.no_filters()?;
    let page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    Ok(Json(List::from_page(state.store.list_orgs(&page).await?, |o| o)))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs", get(list).post(create)).route("/orgs/{org}", get(get_one).patch(patch))
}
