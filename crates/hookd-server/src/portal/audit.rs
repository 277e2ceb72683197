//! The audit log page, for admins: who changed what in the organization, and when, newest
//! first, older entries a page at a time.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use hookd_core::TokenId;
use hookd_core::listing::{Cursor, Order, PageRequest};
use hookd_core::model::ActorRef;
use serde::Deserialize;

use super::auth::Signed;
use super::error::PortalResult;
use super::frame::when;
use super::frame::{Frame, enc, html};
use super::state::PortalState;

pub struct Row {
    pub when: String,
    pub who: String,
    pub action: String,
    pub target: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    frame: Frame,
    rows: Vec<Row>,
    /// The link to older entries, if there are any.
    older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    cursor: Option<String>,
}

pub(crate) async fn page(
    State(s): State<PortalState>,
    signed: Signed,
    Query(q): Query<AuditQuery>,
) -> PortalResult<Response> {
    let p = &signed.0;
    let org = &p.member.org_id;
    let req = PageRequest {
        limit: 100,
        order: Order::Desc,
        cursor: q.cursor.as_deref().and_then(Cursor::decode),
        ..PageRequest::default()
    };
    let found = s.ops.list_audit(&p.actor, org, &req).await?;
    // Who, by name: the org's members and tokens (an entry of one since removed keeps its ID).
    let members = s.ops.member_names(&p.actor, org).await?;
    let all = PageRequest { limit: 500, ..PageRequest::default() };
    let tokens: HashMap<TokenId, String> =
        s.ops.list_tokens(&p.actor, org, &all).await?.data.into_iter().map(|t| (t.id, t.name)).collect();
    let product = &s.portal.config.product_name;
    let rows = found
        .data
        .into_iter()
        .map(|e| Row {
            when: when(&e.at),
            who: match &e.actor {
                ActorRef::Operator | ActorRef::Hookd => product.clone(),
                ActorRef::Member(id) => members.get(id).cloned().unwrap_or_else(|| id.to_string()),
                ActorRef::Token(id) => tokens.get(id).map_or_else(|| id.to_string(), |n| format!("token “{n}”")),
            },
            action: e.action,
            target: e.target,
            summary: e.summary,
        })
        .collect();
    let older = found.next_cursor.map(|c| format!("/portal/audit?cursor={}", enc(&c)));
    let frame = Frame::new(&s, p, "audit", "Audit log", None).await?;
    html(&AuditPage { frame, rows, older })
}
