//! Access tokens (create, shown once; rename; revoke) and members, for admins.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hookd_core::TokenId;
use hookd_core::model::{Member, Role};
use hookd_store::PageRequest;
use serde::Deserialize;

use super::auth::{Posted, Signed};
use super::error::{PortalError, PortalResult};
use super::frame::{Frame, html};
use super::webhooks::when;
use crate::ops::{Access, OpsError};
use crate::state::AppState;

pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub role: &'static str,
    pub created: String,
    pub last_used: String,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    frame: Frame,
    rows: Vec<TokenRow>,
    /// The value of a token just created: shown this once.
    created: Option<(String, String)>,
    error: Option<String>,
    name: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn tokens_page(
    s: &AppState,
    signed: &Signed,
    created: Option<(String, String)>,
    error: Option<String>,
    name: String,
    done: Option<&str>,
) -> PortalResult<Response> {
    let p = &signed.0;
    let req = PageRequest { limit: 500, ..PageRequest::default() };
    let list = s.ops.list_tokens(&p.actor, &p.member.org_id, &req).await?;
    let rows = list
        .data
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            name: t.name,
            role: t.role.as_str(),
            created: when(&t.created_at),
            last_used: t.last_used_at.as_ref().map(when).unwrap_or_else(|| "Never".into()),
        })
        .collect();
    let frame = Frame::new(s, p, "tokens", "Access tokens", done).await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let mut resp = html(&TokensPage { frame, rows, created, error, name })?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub(crate) async fn tokens(
    State(s): State<AppState>,
    signed: Signed,
    Query(q): Query<DoneQuery>,
) -> PortalResult<Response> {
    tokens_page(&s, &signed, None, None, String::new(), q.done.as_deref()).await
}

pub(crate) async fn create_token(State(s): State<AppState>, Posted(signed, form): Posted) -> PortalResult<Response> {
    let p = &signed.0;
    let role = Role::parse(form.text("role"));
    match s.ops.issue_token(&p.actor, &p.member.org_id, form.text("name"), role).await {
        Ok(t) => tokens_page(&s, &signed, Some((t.token.name, t.token_value)), None, String::new(), None).await,
        Err(OpsError::Invalid { detail, field }) => {
            let msg = format!("{}: {detail}", if field == "name" { "Name" } else { "Role" });
            tokens_page(&s, &signed, None, Some(msg), form.text("name").to_owned(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

fn token_id(raw: &str) -> PortalResult<TokenId> {
    TokenId::parse(raw).map_err(|_| PortalError::Ops(OpsError::NotFound("access token")))
}

pub(crate) async fn rename_token(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    match s.ops.rename_token(&p.actor, &p.member.org_id, &token_id(&id)?, form.text("name")).await {
        Ok(_) => Ok(Redirect::to("/portal/tokens?done=token-renamed").into_response()),
        Err(OpsError::Invalid { detail, .. }) => {
            tokens_page(&s, &signed, None, Some(format!("New name: {detail}")), String::new(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn revoke_token(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Posted(signed, _): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    s.ops.revoke_token(&p.actor, &p.member.org_id, &token_id(&id)?).await?;
    Ok(Redirect::to("/portal/tokens?done=token-revoked").into_response())
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    frame: Frame,
    members: Vec<Member>,
}

pub(crate) async fn members(State(s): State<AppState>, signed: Signed) -> PortalResult<Response> {
    let p = &signed.0;
    // Reading members is an admin's page here, as the seeds have it.
    p.actor.authorize(&p.member.org_id, Access::Admin)?;
    let req = PageRequest { limit: 500, ..PageRequest::default() };
    let members = s.ops.list_members(&p.actor, &p.member.org_id, &req).await?.data;
    let frame = Frame::new(&s, p, "members", "Members", None).await?;
    html(&MembersPage { frame, members })
}
