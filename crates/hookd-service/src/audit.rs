//! The audit log: every change an operation makes to an org is noted with who made it (the
//! operator, an access token, a member in the portal), what and when. Only admins read it.
//! An entry is written in its change's transaction: a change that happened has its entry, one
//! that did not has none, whatever fails or stops in between.

use std::fmt::Display;

use hookd_core::model::AuditEntry;
use hookd_core::{AuditId, OrgId};
use hookd_store::{Page, PageRequest};

use super::{Access, Actor, Ops, OpsResult};

impl Ops {
    /// The note of a change, for the store to write with it: `action` as `resource.verb`,
    /// `target` the ID of what changes, `summary` in words (never a secret).
    pub(super) fn audit(by: &Actor, org: &OrgId, action: &str, target: impl Display, summary: String) -> AuditEntry {
        AuditEntry {
            id: AuditId::new(),
            org_id: org.clone(),
            at: chrono::Utc::now(),
            actor: by.actor_ref(),
            action: action.to_owned(),
            target: target.to_string(),
            summary,
        }
    }

    /// An org's audit log (admins; newest first unless the page says otherwise).
    pub async fn list_audit(&self, by: &Actor, org: &OrgId, page: &PageRequest<()>) -> OpsResult<Page<AuditEntry>> {
        by.authorize(org, Access::Admin)?;
        Ok(self.store.list_audit(org, page).await?)
    }
}

/// The names of the fields an edit sets, for a summary: "name, url".
pub(super) fn fields(named: &[(&str, bool)]) -> String {
    let set: Vec<&str> = named.iter().filter(|(_, on)| *on).map(|(n, _)| *n).collect();
    if set.is_empty() { "nothing".into() } else { set.join(", ") }
}
