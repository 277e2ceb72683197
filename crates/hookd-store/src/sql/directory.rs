//! Settings, organizations, members, access tokens, the audit log and the event-type catalog.

use hookd_core::model::{AccessToken, AuditEntry, EventType, Member, Org};
use hookd_core::{MemberId, OrgId, TokenId};

use super::listing::Listing;
use super::{Exec, Query, Step, one, vals};
use crate::page::page;
use crate::rows::{self as r, ms, to_json};
use crate::{EventTypeSort, Page, PageRequest, StoreError, Timestamp};

pub(crate) async fn get_setting<X: Exec>(x: &X, key: &str) -> Result<Option<String>, StoreError> {
    let q = Query::new("SELECT value FROM settings WHERE key = $1", vals![key]);
    Ok(x.rows(q, |row| row.text("value")).await?.into_iter().next())
}

pub(crate) async fn put_setting<X: Exec>(x: &X, key: &str, value: &str) -> Result<(), StoreError> {
    let sql =
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    x.write(vec![Step::new(sql, vals![key, value])]).await.map(|_| ())
}

pub(crate) async fn init_setting<X: Exec>(x: &X, key: &str, value: &str) -> Result<String, StoreError> {
    let sql = "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
    x.write(vec![Step::new(sql, vals![key, value])]).await?;
    get_setting(x, key).await?.ok_or(StoreError::NotFound)
}

/// Writes `bytes` bytes and removes them, each in a commit of its own, so that the disk must
/// have room for them.
pub(crate) async fn probe_write<X: Exec>(x: &X, bytes: usize) -> Result<(), StoreError> {
    let sql = "INSERT INTO settings (key, value) VALUES ('space_probe', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    x.write(vec![Step::new(sql, vals!["0".repeat(bytes)])]).await?;
    x.write(vec![Step::new("DELETE FROM settings WHERE key = 'space_probe'", vec![])]).await.map(|_| ())
}

pub(crate) async fn create_org<X: Exec>(x: &X, o: &Org) -> Result<(), StoreError> {
    let sql = "INSERT INTO orgs (id, name, parent_id, features, created_at) VALUES ($1, $2, $3, $4, $5)";
    let p = vals![
        o.id.as_str(),
        &o.name,
        o.parent_id.as_ref().map(|p| p.to_string()),
        to_json(&o.features),
        ms(&o.created_at)
    ];
    x.write(vec![Step::new(sql, p)]).await.map(|_| ())
}

pub(crate) async fn get_org<X: Exec>(x: &X, id: &OrgId) -> Result<Org, StoreError> {
    let q = Query::new(format!("SELECT {} FROM orgs WHERE id = $1", r::ORG_COLS), vals![id.as_str()]);
    one(x, q, |row| r::org(row)).await
}

pub(crate) async fn update_org<X: Exec>(x: &X, o: &Org, audit: &AuditEntry) -> Result<(), StoreError> {
    let sql = "UPDATE orgs SET name = $2, parent_id = $3, features = $4 WHERE id = $1";
    let p = vals![o.id.as_str(), &o.name, o.parent_id.as_ref().map(|p| p.to_string()), to_json(&o.features)];
    x.write(vec![Step::new(sql, p).must_change(), audit_step(audit)]).await.map(|_| ())
}

/// A listing in creation order (IDs sort by time), searched in `search`.
fn by_id<'a>(from: &'a str, cols: &'a str, search: &'a [&'a str]) -> Listing<'a> {
    Listing { from, cols, id_col: "id", sort_expr: "id", sort_is_int: false, search, made: None }
}

pub(crate) async fn list_orgs<X: Exec>(x: &X, req: &PageRequest<()>) -> Result<Page<Org>, StoreError> {
    let q = by_id("orgs", r::ORG_COLS, &["name", "id"]).query(X::DIALECT, vec![], &[], req);
    let rows = x.rows(q, |row| r::org(row)).await?;
    Ok(page(rows, req.limit, |o| (o.id.to_string(), o.id.to_string())))
}

pub(crate) async fn child_orgs<X: Exec>(x: &X, parent: &OrgId) -> Result<Vec<Org>, StoreError> {
    let sql = format!("SELECT {} FROM orgs WHERE parent_id = $1 ORDER BY id{}", r::ORG_COLS, X::DIALECT.bytewise());
    x.rows(Query::new(sql, vals![parent.as_str()]), |row| r::org(row)).await
}

/// Inserts a new member, or updates an existing one of its org.
pub(crate) async fn write_member<X: Exec>(x: &X, m: &Member, new: bool, audit: &AuditEntry) -> Result<(), StoreError> {
    let mut p = vals![
        m.id.as_str(),
        m.org_id.as_str(),
        &m.name,
        &m.email,
        m.phone.clone(),
        m.role.as_str(),
        to_json(&m.groups),
        m.external_id.clone(),
        m.status.as_str()
    ];
    let step = if new {
        p.push(ms(&m.created_at).into());
        Step::new(
            format!("INSERT INTO members ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", r::MEMBER_COLS),
            p,
        )
    } else {
        let sql = "UPDATE members SET name = $3, email = $4, phone = $5, role = $6, groups = $7, external_id = $8,
             status = $9 WHERE id = $1 AND org_id = $2";
        Step::new(sql, p).must_change()
    };
    x.write(vec![step, audit_step(audit)]).await.map(|_| ())
}

pub(crate) async fn get_member<X: Exec>(x: &X, org: &OrgId, id: &MemberId) -> Result<Member, StoreError> {
    let sql = format!("SELECT {} FROM members WHERE id = $1 AND org_id = $2", r::MEMBER_COLS);
    one(x, Query::new(sql, vals![id.as_str(), org.as_str()]), |row| r::member(row)).await
}

pub(crate) async fn delete_member<X: Exec>(
    x: &X,
    org: &OrgId,
    id: &MemberId,
    audit: &AuditEntry,
) -> Result<(), StoreError> {
    let step = Step::new("DELETE FROM members WHERE id = $1 AND org_id = $2", vals![id.as_str(), org.as_str()]);
    x.write(vec![step.must_change(), audit_step(audit)]).await.map(|_| ())
}

pub(crate) async fn list_members<X: Exec>(
    x: &X,
    org: &OrgId,
    req: &PageRequest<()>,
) -> Result<Page<Member>, StoreError> {
    let scope = vec![("org_id = {}", org.as_str().into())];
    let q = by_id("members", r::MEMBER_COLS, &["name", "email"]).query(X::DIALECT, scope, &[], req);
    let rows = x.rows(q, |row| r::member(row)).await?;
    Ok(page(rows, req.limit, |m| (m.id.to_string(), m.id.to_string())))
}

/// The write of an audit entry, for the transaction of the change it notes.
pub(crate) fn audit_step(a: &AuditEntry) -> Step {
    let sql = "INSERT INTO audit (id, org_id, at, actor, action, target, summary) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let p = vals![a.id.as_str(), a.org_id.as_str(), ms(&a.at), a.actor.to_string(), &a.action, &a.target, &a.summary];
    Step::new(sql, p)
}

/// An org's audit log by ID (so by time); search covers the actor, action, target and summary.
pub(crate) async fn list_audit<X: Exec>(
    x: &X,
    org: &OrgId,
    req: &PageRequest<()>,
) -> Result<Page<AuditEntry>, StoreError> {
    let scope = vec![("org_id = {}", org.as_str().into())];
    let q = by_id("audit", r::AUDIT_COLS, &["actor", "action", "target", "summary"]).query(X::DIALECT, scope, &[], req);
    let rows = x.rows(q, |row| r::audit(row)).await?;
    Ok(page(rows, req.limit, |a| (a.id.to_string(), a.id.to_string())))
}

pub(crate) async fn create_token<X: Exec>(
    x: &X,
    t: &AccessToken,
    hash: &[u8; 32],
    audit: &AuditEntry,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO tokens (id, org_id, name, role, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    let p = vals![t.id.as_str(), t.org_id.as_str(), &t.name, t.role.as_str(), hash.to_vec(), ms(&t.created_at)];
    x.write(vec![Step::new(sql, p), audit_step(audit)]).await.map(|_| ())
}

pub(crate) async fn token_by_hash<X: Exec>(x: &X, hash: &[u8; 32]) -> Result<Option<AccessToken>, StoreError> {
    let q = Query::new(format!("SELECT {} FROM tokens WHERE hash = $1", r::TOKEN_COLS), vals![hash.to_vec()]);
    Ok(x.rows(q, |row| r::token(row)).await?.into_iter().next())
}

pub(crate) async fn list_tokens<X: Exec>(
    x: &X,
    org: &OrgId,
    req: &PageRequest<()>,
) -> Result<Page<AccessToken>, StoreError> {
    let scope = vec![("org_id = {}", org.as_str().into())];
    let q = by_id("tokens", r::TOKEN_COLS, &["name"]).query(X::DIALECT, scope, &[], req);
    let rows = x.rows(q, |row| r::token(row)).await?;
    Ok(page(rows, req.limit, |t| (t.id.to_string(), t.id.to_string())))
}

pub(crate) async fn rename_token<X: Exec>(
    x: &X,
    org: &OrgId,
    id: &TokenId,
    name: &str,
    audit: &AuditEntry,
) -> Result<AccessToken, StoreError> {
    let rename =
        Step::new("UPDATE tokens SET name = $3 WHERE id = $1 AND org_id = $2", vals![id.as_str(), org.as_str(), name]);
    x.write(vec![rename.must_change(), audit_step(audit)]).await?;
    let q = Query::new(
        format!("SELECT {} FROM tokens WHERE id = $1 AND org_id = $2", r::TOKEN_COLS),
        vals![id.as_str(), org.as_str()],
    );
    one(x, q, |row| r::token(row)).await
}

pub(crate) async fn delete_token<X: Exec>(
    x: &X,
    org: &OrgId,
    id: &TokenId,
    audit: &AuditEntry,
) -> Result<(), StoreError> {
    let step = Step::new("DELETE FROM tokens WHERE id = $1 AND org_id = $2", vals![id.as_str(), org.as_str()]);
    x.write(vec![step.must_change(), audit_step(audit)]).await.map(|_| ())
}

pub(crate) async fn touch_token<X: Exec>(x: &X, id: &TokenId, at: Timestamp) -> Result<(), StoreError> {
    let step = Step::new("UPDATE tokens SET last_used_at = $2 WHERE id = $1", vals![id.as_str(), ms(&at)]);
    x.write(vec![step]).await.map(|_| ())
}

pub(crate) async fn upsert_event_type<X: Exec>(x: &X, et: &EventType) -> Result<(), StoreError> {
    let sql =
        "INSERT INTO event_types (name, grp, description, schema, example, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name) DO UPDATE SET grp = excluded.grp, description = excluded.description,
           schema = excluded.schema, example = excluded.example";
    let p = vals![
        &et.name,
        &et.group,
        &et.description,
        et.schema.as_ref().map(to_json),
        et.example.as_ref().map(to_json),
        ms(&et.created_at)
    ];
    x.write(vec![Step::new(sql, p)]).await.map(|_| ())
}

pub(crate) async fn get_event_type<X: Exec>(x: &X, name: &str) -> Result<EventType, StoreError> {
    let q = Query::new(format!("SELECT {} FROM event_types WHERE name = $1", r::EVENT_TYPE_COLS), vals![name]);
    one(x, q, |row| r::event_type(row)).await
}

pub(crate) async fn list_event_types<X: Exec>(
    x: &X,
    req: &PageRequest<EventTypeSort>,
) -> Result<Page<EventType>, StoreError> {
    let sort_expr = match req.sort {
        EventTypeSort::Name => "name",
        EventTypeSort::Group => "grp",
    };
    let search = &["name", "grp", "description"];
    let listing = Listing {
        from: "event_types",
        cols: r::EVENT_TYPE_COLS,
        id_col: "name",
        sort_expr,
        sort_is_int: false,
        search,
        made: None,
    };
    let rows = x.rows(listing.query(X::DIALECT, vec![], &[], req), |row| r::event_type(row)).await?;
    Ok(page(rows, req.limit, |e| match req.sort {
        EventTypeSort::Name => (e.name.clone(), e.name.clone()),
        EventTypeSort::Group => (e.group.clone(), e.name.clone()),
    }))
}

pub(crate) async fn all_event_types<X: Exec>(x: &X) -> Result<Vec<EventType>, StoreError> {
    let c = X::DIALECT.bytewise();
    let sql = format!("SELECT {} FROM event_types ORDER BY grp{c}, name{c}", r::EVENT_TYPE_COLS);
    x.rows(Query::new(sql, vec![]), |row| r::event_type(row)).await
}
