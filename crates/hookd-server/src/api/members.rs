//! `/orgs/{org}/members`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, Router};
use hookd_core::model::Member;
use hookd_core::{MemberId, OrgId};
use serde::Deserialize;

use super::endpoint::{Endpoint, PAGE, Route, endpoint, one, page_of, route};
use super::extract::{ApiJson, ListParams, parse_json};
use super::secret::ShownOnce;
use super::state::ApiState;
use super::state::List;
use crate::error::ApiResult;
use crate::ids::Ids;
use hookd_service::Actor;
use hookd_service::members::MemberIn;
use hookd_service::sessions::IssuedLink;

async fn create(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    ApiJson(input): ApiJson<MemberIn>,
) -> ApiResult<(StatusCode, Json<Member>)> {
    Ok((StatusCode::CREATED, Json(s.ops.create_member(&by, &org, input).await?)))
}

async fn get_one(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, MemberId)>,
) -> ApiResult<Json<Member>> {
    Ok(Json(s.ops.get_member(&by, &org, &id).await?))
}

async fn patch(
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, MemberId)>,
    ApiJson(input): ApiJson<MemberIn>,
) -> ApiResult<Json<Member>> {
    Ok(Json(s.ops.update_member(&by, &org, &id, input).await?))
}

async fn delete(State(s): State<ApiState>, by: Actor, Ids((org, id)): Ids<(OrgId, MemberId)>) -> ApiResult<StatusCode> {
    s.ops.delete_member(&by, &org, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list(
    State(s): State<ApiState>,
    by: Actor,
    Ids(org): Ids<OrgId>,
    params: ListParams,
) -> ApiResult<Json<List<Member>>> {
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
    State(s): State<ApiState>,
    by: Actor,
    Ids((org, id)): Ids<(OrgId, MemberId)>,
    body: axum::body::Bytes,
) -> ApiResult<ShownOnce<Json<IssuedLink>>> {
    // The body is optional: an empty one asks for a link with the defaults.
    let input: LinkInput =
        if body.iter().all(u8::is_ascii_whitespace) { LinkInput::default() } else { parse_json(&body)? };
    let ttl = input.expires_in.map(std::time::Duration::from_secs);
    let link = s.ops.create_login_link(&by, &org, &id, ttl, input.return_to).await?;
    Ok(ShownOnce(StatusCode::CREATED, Json(link)))
}

/// This resource's routes, each with the handler that serves it: what is served is what
/// the OpenAPI document says, route for route.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint(
            list,
            Route {
                query: PAGE,
                response: Some(page_of::<Member>),
                ..route("listMembers", "get", "/orgs/{org}/members", "members", "List members")
            },
        ),
        endpoint(
            create,
            Route {
                request: Some(one::<MemberIn>),
                status: 201,
                response: Some(one::<Member>),
                ..route("createMember", "post", "/orgs/{org}/members", "members", "Add a member")
            },
        ),
        endpoint(
            get_one,
            Route {
                response: Some(one::<Member>),
                ..route("getMember", "get", "/orgs/{org}/members/{id}", "members", "Get a member")
            },
        ),
        endpoint(
            patch,
            Route {
                request: Some(one::<MemberIn>),
                response: Some(one::<Member>),
                ..route("updateMember", "patch", "/orgs/{org}/members/{id}", "members", "Update a member (also status)")
            },
        ),
        endpoint(
            delete,
            Route {
                status: 204,
                ..route("deleteMember", "delete", "/orgs/{org}/members/{id}", "members", "Remove a member")
            },
        ),
        endpoint(
            login_link,
            Route {
                request: Some(one::<LinkInput>),
                status: 201,
                response: Some(one::<IssuedLink>),
                ..route(
                    "createLoginLink",
                    "post",
                    "/orgs/{org}/members/{id}/login-links",
                    "members",
                    "A one-time portal sign-in link for the member (operator; the body is optional)",
                )
            },
        ),
    ]
}

pub fn router() -> Router<ApiState> {
    super::endpoint::router(endpoints())
}
