//! `/orgs/{org}/tokens`: access tokens, shown once at creation.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, Router};
use hookd_core::model::AccessToken;
use hookd_core::{OrgId, TokenId};

use super::endpoint::{Endpoint, PAGE, Route, endpoint, one, page_of, route};
use super::extract::{ApiJson, ListParams};
use super::secret::ShownOnce;
use super::state::ApiState;
use super::state::List;
use crate::error::ApiResult;
use crate::ids::Ids;
use hookd_service::Actor;
use hookd_service::tokens::{CreatedToken, TokenIn};

async fn create(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    ApiJson(input): ApiJson<TokenIn>,
) -> ApiResult<ShownOnce<Json<CreatedToken>>> {
    let created = s.ops.create_token(&by, &org, input).await?;
    Ok(ShownOnce(StatusCode::CREATED, Json(created)))
}

async fn list(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    params: ListParams,
) -> ApiResult<Json<List<AccessToken>>> {
    params.no_filters()?;
    let page = params.page(|s| (s == "created_at").then_some(()), &["created_at"])?;
    Ok(Json(List::from_page(s.ops.list_tokens(&by, &org, &page).await?, |t| t)))
}

async fn rename(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, TokenId)>,
    ApiJson(input): ApiJson<TokenIn>,
) -> ApiResult<Json<AccessToken>> {
    Ok(Json(s.ops.update_token(&by, &org, &id, input).await?))
}

async fn revoke(State(s): State<ApiState>, by: Actor, Ids((org, id)): Ids<(OrgId, TokenId)>) -> ApiResult<StatusCode> {
    s.ops.delete_token(&by, &org, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(
            list,
            Route {
                query: PAGE,
                response: Some(page_of::<AccessToken>),
                ..route("listTokens", "get", "/orgs/{org}/tokens", "tokens", "List access tokens (never their values)")
            },
        ),
        endpoint(
            create,
            Route {
                request: Some(one::<TokenIn>),
                status: 201,
                response: Some(one::<CreatedToken>),
                ..route(
                    "createToken",
                    "post",
                    "/orgs/{org}/tokens",
                    "tokens",
                    "Create an access token (its value is in this answer only)",
                )
            },
        ),
        endpoint(
            rename,
            Route {
                request: Some(one::<TokenIn>),
                response: Some(one::<AccessToken>),
                ..route("updateToken", "patch", "/orgs/{org}/tokens/{id}", "tokens", "Rename an access token")
            },
        ),
        endpoint(
            revoke,
            Route {
                status: 204,
                ..route("deleteToken", "delete", "/orgs/{org}/tokens/{id}", "tokens", "Revoke an access token")
            },
        ),
    ]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
