//! Webhooks: create, read, rotate, delete, list. Edits are in `edit.rs`.

use hookd_core::model::{AuditEntry, Webhook};
use hookd_core::secret::SealedSecret;
use hookd_core::{OrgId, WebhookId};

use super::directory::audit_step;
use super::listing::Listing;
use super::{Exec, Query, SqlValue, Step, one, vals};
use crate::page::page;
use crate::rows::{self as r, ms, to_json};
use crate::{Page, PageRequest, StoreError, Timestamp, WebhookSort};

/// The subscription index: one row per event type, so a publish finds its webhooks by key.
pub(crate) fn index_types(org: &OrgId, id: &WebhookId, types: &[String]) -> Vec<Step> {
    let mut steps = vec![Step::new("DELETE FROM webhook_event_types WHERE webhook_id = $1", vals![id.as_str()])];
    steps.extend(types.iter().map(|t| {
        Step::new(
            "INSERT INTO webhook_event_types (org_id, event_type, webhook_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            vals![org.as_str(), t, id.as_str()],
        )
    }));
    steps
}

/// A pending delivery waits for the ones before it only while its webhook is ordered.
pub(crate) fn order_pending(id: &WebhookId, ordered: bool) -> Step {
    let sql = "UPDATE deliveries SET ordered = $2 WHERE webhook_id = $1 AND state = 'pending'";
    Step::new(sql, vals![id.as_str(), ordered])
}

/// `NotFound` when the webhook is gone, `Stale` when it is there (at another revision, or
/// with other credentials than an edit expected).
pub(crate) async fn missing_or_stale(x: &impl Exec, org: &OrgId, id: &WebhookId) -> StoreError {
    let q = Query::new("SELECT id FROM webhooks WHERE id = $1 AND org_id = $2", vals![id.as_str(), org.as_str()]);
    match one(x, q, |row| row.text("id")).await {
        Ok(_) => StoreError::Stale,
        Err(e) => e,
    }
}

pub(crate) async fn create(x: &impl Exec, w: &Webhook, audit: &AuditEntry) -> Result<(), StoreError> {
    let sql = "INSERT INTO webhooks (id, org_id, name, url, description, event_types, environment, owner_id,
         include_child_orgs, options, signing_enabled, signing_secret, previous_secret, previous_until, auth, enabled,
         status_reason, status_changed_at, status_changed_by, created_at, updated_at, last_triggered_at, filter,
         transformation, destination_type, destination)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
           $25, $26)";
    let p = vals![
        w.id.as_str(),
        w.org_id.as_str(),
        &w.name,
        &w.url,
        w.description.clone(),
        to_json(&w.event_types),
        w.environment.as_str(),
        w.owner_id.as_ref().map(|o| o.to_string()),
        w.include_child_orgs,
        to_json(&w.options),
        w.signing_enabled,
        w.signing_secret.0.clone(),
        w.rotated_out.as_ref().map(|(s, _)| s.0.clone()),
        w.rotated_out.as_ref().map(|(_, u)| ms(u)),
        w.auth.0.clone(),
        w.status.enabled,
        w.status.reason.clone(),
        ms(&w.status.changed_at),
        w.status.changed_by.as_ref().map(|b| b.to_string()),
        ms(&w.created_at),
        ms(&w.updated_at),
        w.last_triggered_at.as_ref().map(ms),
        w.filter.as_ref().map(to_json),
        w.transformation.as_ref().map(to_json),
        w.destination_kind.as_str(),
        w.destination.as_ref().map(|d| d.0.clone())
    ];
    let mut steps = vec![Step::new(sql, p)];
    steps.extend(index_types(&w.org_id, &w.id, &w.event_types));
    steps.push(audit_step(audit));
    x.write(steps).await.map(|_| ())
}

pub(crate) async fn get(x: &impl Exec, org: &OrgId, id: &WebhookId) -> Result<Webhook, StoreError> {
    let sql = format!("SELECT {} FROM webhooks w WHERE w.id = $1 AND w.org_id = $2", r::WEBHOOK_COLS);
    one(x, Query::new(sql, vals![id.as_str(), org.as_str()]), |row| r::webhook(row)).await
}

/// The webhooks of deliveries the store handed out. Not scoped to an org: the IDs come
/// from the store, not from a caller.
pub(crate) async fn by_id<X: Exec>(x: &X, ids: &[WebhookId]) -> Result<Vec<Webhook>, StoreError> {
    let list = SqlValue::TextList(ids.iter().map(|id| id.to_string()).collect());
    let sql = format!("SELECT {} FROM webhooks w WHERE {}", r::WEBHOOK_COLS, X::DIALECT.any("w.id", "$1"));
    x.rows(Query::new(sql, vec![list]), |row| r::webhook(row)).await
}

pub(crate) async fn any_signing_secret(x: &impl Exec) -> Result<Option<SealedSecret>, StoreError> {
    let q = Query::new("SELECT signing_secret FROM webhooks LIMIT 1", vec![]);
    Ok(x.rows(q, |row| row.blob("signing_secret").map(SealedSecret)).await?.into_iter().next())
}

/// Compare and set on the signing secret: a rotation that ran meanwhile makes this one
/// `Stale`, so that no rotation drops the secret another one kept.
pub(crate) async fn rotate_secret(
    x: &impl Exec,
    org: &OrgId,
    id: &WebhookId,
    secret: &SealedSecret,
    replacing: &SealedSecret,
    rotated_out: Option<(&SealedSecret, Timestamp)>,
    audit: &AuditEntry,
) -> Result<Webhook, StoreError> {
    let sql = "UPDATE webhooks SET signing_secret = $3, previous_secret = $4, previous_until = $5, updated_at = $6,
         revision = revision + 1
         WHERE id = $1 AND org_id = $2 AND signing_secret = $7";
    let p = vals![
        id.as_str(),
        org.as_str(),
        secret.0.clone(),
        rotated_out.map(|(s, _)| s.0.clone()),
        rotated_out.map(|(_, u)| ms(&u)),
        ms(&chrono::Utc::now()),
        replacing.0.clone()
    ];
    match x.write(vec![Step::new(sql, p).must_change(), audit_step(audit)]).await {
        // Gone (`NotFound` from the read), or rotated by someone else since it was read.
        Err(StoreError::NotFound) => get(x, org, id).await.and(Err(StoreError::Stale)),
        written => written.and(get(x, org, id).await),
    }
}

/// Deletes the webhooks and fails their pending deliveries, each with its audit entry; all or
/// none.
pub(crate) async fn delete(
    x: &impl Exec,
    org: &OrgId,
    deletions: &[(WebhookId, AuditEntry)],
) -> Result<(), StoreError> {
    let now = ms(&chrono::Utc::now());
    let mut steps = Vec::with_capacity(deletions.len() * 3);
    for (id, audit) in deletions {
        let delete = Step::new("DELETE FROM webhooks WHERE id = $1 AND org_id = $2", vals![id.as_str(), org.as_str()]);
        steps.extend([delete.must_change(), audit_step(audit)]);
        // Scoped by org too: another org's webhook of this ID keeps its deliveries.
        steps.push(Step::new(
            "UPDATE deliveries SET state = 'failed', next_attempt_at = NULL, leased_by = NULL, updated_at = $3
             WHERE webhook_id = $1 AND org_id = $2 AND state = 'pending'",
            vals![id.as_str(), org.as_str(), now],
        ));
    }
    x.write(steps).await.map(|_| ())
}

pub(crate) async fn list<X: Exec>(
    x: &X,
    org: &OrgId,
    req: &PageRequest<WebhookSort>,
) -> Result<Page<Webhook>, StoreError> {
    let enabled = X::DIALECT.as_int("w.enabled");
    let (sort_expr, sort_is_int) = match req.sort {
        WebhookSort::CreatedAt => ("w.id", false),
        WebhookSort::Name => ("w.name", false),
        WebhookSort::Url => ("w.url", false),
        WebhookSort::Owner => ("COALESCE(w.owner_id, '')", false),
        WebhookSort::Status => (enabled.as_str(), true),
        WebhookSort::LastTriggeredAt => ("COALESCE(w.last_triggered_at, 0)", true),
    };
    let l = Listing {
        from: "webhooks w",
        cols: r::WEBHOOK_COLS,
        id_col: "w.id",
        sort_expr,
        sort_is_int,
        search: &["w.name", "w.url", "w.id", "COALESCE(w.description, '')"],
        made: None,
    };
    let q = l.query(X::DIALECT, vec![("w.org_id = {}", org.as_str().into())], &[], req);
    let rows = x.rows(q, |row| r::webhook(row)).await?;
    Ok(page(rows, req.limit, |w| {
        let key = match req.sort {
            WebhookSort::CreatedAt => w.id.to_string(),
            WebhookSort::Name => w.name.clone(),
            WebhookSort::Url => w.url.clone(),
            WebhookSort::Owner => w.owner_id.as_ref().map(|o| o.to_string()).unwrap_or_default(),
            WebhookSort::Status => (w.status.enabled as i64).to_string(),
            WebhookSort::LastTriggeredAt => w.last_triggered_at.as_ref().map(ms).unwrap_or(0).to_string(),
        };
        (key, w.id.to_string())
    }))
}
