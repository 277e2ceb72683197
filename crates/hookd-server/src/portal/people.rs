//! Access tokens (create, shown once; rename; revoke) and members (read, or managed where
//! the operator allows it), for admins.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hookd_core::listing::PageRequest;
use hookd_core::model::{Member, MemberStatus, Role};
use hookd_core::{MemberId, TokenId};
use serde::Deserialize;

use super::auth::{Posted, Signed};
use super::error::PortalResult;
use super::frame::when;
use super::frame::{Frame, html};
use super::state::PortalState;
use crate::ids::Ids;
use hookd_service::OpsError;
use hookd_service::members::MemberIn;
use hookd_service::tokens::TokenIn;

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
    s: &PortalState,
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
    State(s): State<PortalState>,
    signed: Signed,
    Query(q): Query<DoneQuery>,
) -> PortalResult<Response> {
    tokens_page(&s, &signed, None, None, String::new(), q.done.as_deref()).await
}

pub(crate) async fn create_token(State(s): State<PortalState>, Posted(signed, form): Posted) -> PortalResult<Response> {
    let p = &signed.0;
    let input = TokenIn { name: Some(form.text("name").into()), role: Role::parse(form.text("role")) };
    match s.ops.create_token(&p.actor, &p.member.org_id, input).await {
        Ok(t) => tokens_page(&s, &signed, Some((t.token.name, t.token_value)), None, String::new(), None).await,
        Err(OpsError::Invalid { detail, field }) => {
            let msg = format!("{}: {detail}", if field == "name" { "Name" } else { "Role" });
            tokens_page(&s, &signed, None, Some(msg), form.text("name").to_owned(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn update_token(
    State(s): State<PortalState>,
    Ids(id): Ids<TokenId>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    let input = TokenIn { name: Some(form.text("name").into()), role: None };
    match s.ops.update_token(&p.actor, &p.member.org_id, &id, input).await {
        Ok(_) => Ok(Redirect::to("/portal/tokens?done=token-renamed").into_response()),
        Err(OpsError::Invalid { detail, .. }) => {
            tokens_page(&s, &signed, None, Some(format!("New name: {detail}")), String::new(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn delete_token(
    State(s): State<PortalState>,
    Ids(id): Ids<TokenId>,
    Posted(signed, _): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    s.ops.delete_token(&p.actor, &p.member.org_id, &id).await?;
    Ok(Redirect::to("/portal/tokens?done=token-revoked").into_response())
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    frame: Frame,
    members: Vec<Member>,
    /// Admins may change members here (the operator's choice).
    editable: bool,
    /// Who is signed in: their own row has no Remove, and keeps its admin role.
    me: String,
    /// The add form as sent, and what to fix in it.
    new: NewMember,
}

/// The add-member form as a person filled it in, with the error of the field to fix.
#[derive(Default)]
struct NewMember {
    name: String,
    email: String,
    role: String,
    groups: String,
    error: Option<(String, String)>,
}

impl NewMember {
    fn err(&self, field: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| f == field).map(|(_, e)| e.as_str())
    }
}

async fn members_page(s: &PortalState, signed: &Signed, new: NewMember, done: Option<&str>) -> PortalResult<Response> {
    let p = &signed.0;
    let req = PageRequest { limit: 500, ..PageRequest::default() };
    let members = s.ops.list_members(&p.actor, &p.member.org_id, &req).await?.data;
    let frame = Frame::new(s, p, "members", "Members", done).await?;
    let status = if new.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page =
        MembersPage { frame, members, editable: s.ops.config.members_editable, me: p.member.id.to_string(), new };
    let mut resp = html(&page)?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub(crate) async fn members(
    State(s): State<PortalState>,
    signed: Signed,
    Query(q): Query<DoneQuery>,
) -> PortalResult<Response> {
    members_page(&s, &signed, NewMember::default(), q.done.as_deref()).await
}

/// Groups as typed: separated by commas.
fn groups_of(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|g| !g.is_empty()).map(str::to_owned).collect()
}

pub(crate) async fn create_member(
    State(s): State<PortalState>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    let input = MemberIn {
        name: Some(form.text("name").into()),
        email: Some(form.text("email").into()),
        role: Role::parse(form.text("role")),
        groups: Some(groups_of(form.text("groups"))),
        ..MemberIn::default()
    };
    match s.ops.create_member(&p.actor, &p.member.org_id, input).await {
        Ok(_) => Ok(Redirect::to("/portal/members?done=member-added").into_response()),
        Err(OpsError::Invalid { field, detail } | OpsError::Conflict { field: Some(field), detail }) => {
            let new = NewMember {
                name: form.text("name").into(),
                email: form.text("email").into(),
                role: form.text("role").into(),
                groups: form.text("groups").into(),
                error: Some((field.split('[').next().unwrap_or_default().to_owned(), detail)),
            };
            members_page(&s, &signed, new, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn update_member(
    State(s): State<PortalState>,
    Ids(id): Ids<MemberId>,
    Posted(signed, form): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    let input = MemberIn {
        role: Role::parse(form.text("role")),
        status: MemberStatus::parse(form.text("status")),
        groups: form.get("groups").map(groups_of),
        ..MemberIn::default()
    };
    s.ops.update_member(&p.actor, &p.member.org_id, &id, input).await?;
    Ok(Redirect::to("/portal/members?done=member-saved").into_response())
}

pub(crate) async fn remove_member(
    State(s): State<PortalState>,
    Ids(id): Ids<MemberId>,
    Posted(signed, _): Posted,
) -> PortalResult<Response> {
    let p = &signed.0;
    s.ops.delete_member(&p.actor, &p.member.org_id, &id).await?;
    Ok(Redirect::to("/portal/members?done=member-removed").into_response())
}
