//! The portal's sign-in: one-time login links and the sessions they open.

use hookd_core::model::{LoginLink, Session};
use hookd_core::{MemberId, OrgId};

use super::{Exec, Query, Step, vals};
use crate::rows::{DbRow, ms, ts};
use crate::{StoreError, Timestamp};

fn parse<T>(text: String, parse: fn(&str) -> Result<T, hookd_core::IdParseError>) -> Result<T, StoreError> {
    parse(&text).map_err(|e| StoreError::Other(e.to_string().into()))
}

fn link(row: &dyn DbRow) -> Result<LoginLink, StoreError> {
    Ok(LoginLink {
        org_id: parse(row.text("org_id")?, OrgId::parse)?,
        member_id: parse(row.text("member_id")?, MemberId::parse)?,
        return_to: row.opt_text("return_to")?,
        created_at: ts(row.int("created_at")?),
        expires_at: ts(row.int("expires_at")?),
    })
}

fn session(row: &dyn DbRow) -> Result<Session, StoreError> {
    Ok(Session {
        org_id: parse(row.text("org_id")?, OrgId::parse)?,
        member_id: parse(row.text("member_id")?, MemberId::parse)?,
        csrf: row.text("csrf")?,
        created_at: ts(row.int("created_at")?),
        expires_at: ts(row.int("expires_at")?),
    })
}

pub(crate) async fn create_login_link(x: &impl Exec, l: &LoginLink, hash: &[u8; 32]) -> Result<(), StoreError> {
    let sql = "INSERT INTO login_links (hash, org_id, member_id, return_to, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)";
    let p = vals![
        hash.to_vec(),
        l.org_id.as_str(),
        l.member_id.as_str(),
        l.return_to.clone(),
        ms(&l.created_at),
        ms(&l.expires_at)
    ];
    x.write(vec![Step::new(sql, p)]).await.map(|_| ())
}

/// The link, while it is unused and unexpired; `NotFound` otherwise. Reads only: signing in
/// checks the member with it before [`redeem_login_link`] uses it up.
pub(crate) async fn login_link(x: &impl Exec, hash: &[u8; 32], now: Timestamp) -> Result<LoginLink, StoreError> {
    let sql = "SELECT org_id, member_id, return_to, created_at, expires_at FROM login_links
         WHERE hash = $1 AND used_at IS NULL AND expires_at > $2";
    super::one(x, Query::new(sql, vals![hash.to_vec(), ms(&now)]), link).await
}

/// Marks the link used and returns it, in one statement: of two requests with the same link,
/// one signs in. `NotFound` when there is no such link, or it was used, or it expired.
pub(crate) async fn redeem_login_link(x: &impl Exec, hash: &[u8; 32], now: Timestamp) -> Result<LoginLink, StoreError> {
    let sql = "UPDATE login_links SET used_at = $2 WHERE hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING org_id, member_id, return_to, created_at, expires_at";
    let q = Query::new(sql, vals![hash.to_vec(), ms(&now)]);
    x.write_rows(q, link).await?.into_iter().next().ok_or(StoreError::NotFound)
}

pub(crate) async fn create_session(x: &impl Exec, s: &Session, hash: &[u8; 32]) -> Result<(), StoreError> {
    let sql =
        "INSERT INTO sessions (hash, org_id, member_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
    let p =
        vals![hash.to_vec(), s.org_id.as_str(), s.member_id.as_str(), &s.csrf, ms(&s.created_at), ms(&s.expires_at)];
    x.write(vec![Step::new(sql, p)]).await.map(|_| ())
}

pub(crate) async fn session_by_hash(
    x: &impl Exec,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<Option<Session>, StoreError> {
    let sql =
        "SELECT org_id, member_id, csrf, created_at, expires_at FROM sessions WHERE hash = $1 AND expires_at > $2";
    Ok(x.rows(Query::new(sql, vals![hash.to_vec(), ms(&now)]), session).await?.into_iter().next())
}

pub(crate) async fn delete_session(x: &impl Exec, hash: &[u8; 32]) -> Result<(), StoreError> {
    x.write(vec![Step::new("DELETE FROM sessions WHERE hash = $1", vals![hash.to_vec()])]).await.map(|_| ())
}

/// Ends a member's sessions and the unused login links made for them, in one transaction.
pub(crate) async fn end_sessions(x: &impl Exec, org: &OrgId, member: &MemberId) -> Result<(), StoreError> {
    let p = || vals![org.as_str(), member.as_str()];
    let steps = vec![
        Step::new("DELETE FROM sessions WHERE org_id = $1 AND member_id = $2", p()),
        Step::new("DELETE FROM login_links WHERE org_id = $1 AND member_id = $2 AND used_at IS NULL", p()),
    ];
    x.write(steps).await.map(|_| ())
}

/// Expired sessions and login links (used or not), for retention.
pub(crate) fn prune(now: Timestamp) -> Vec<Step> {
    vec![
        Step::new("DELETE FROM sessions WHERE expires_at <= $1", vals![ms(&now)]),
        Step::new("DELETE FROM login_links WHERE expires_at <= $1", vals![ms(&now)]),
    ]
}
