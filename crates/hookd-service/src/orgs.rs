//! Organizations: the operator creates and edits them; a member reads their own.

use hookd_core::OrgId;
use hookd_core::model::{FEATURE_WEBHOOKS, Org, WebhookStatus};
use hookd_core::validation;
use hookd_store::{Cursor, Page, PageRequest, StoreError, WebhookEdit, WebhookSort};
use serde::Deserialize;

use super::{Access, Actor, Ops, OpsError, OpsResult, double_option, not_found};

/// A new organization (`name` required) or an edit of one (absent fields unchanged).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgIn {
    pub name: Option<String>,
    #[serde(default, with = "double_option")]
    pub parent_id: Option<Option<OrgId>>,
    pub features: Option<Vec<String>>,
}

/// Why hookd disabled a webhook whose org lost the `webhooks` feature.
pub const FEATURE_OFF: &str = "Webhooks are turned off for this organization.";

impl Ops {
    async fn check_parent(&self, parent: &Option<OrgId>, me: Option<&OrgId>) -> OpsResult<()> {
        if let Some(p) = parent {
            if Some(p) == me {
                return Err(OpsError::invalid("parent_id", "an organization cannot be its own parent"));
            }
            self.store.get_org(p).await.map_err(|e| match e {
                StoreError::NotFound => OpsError::invalid("parent_id", format!("organization {p} does not exist")),
                other => other.into(),
            })?;
        }
        Ok(())
    }

    pub async fn create_org(&self, by: &Actor, input: OrgIn) -> OpsResult<Org> {
        by.operator_only()?;
        let name = validation::name("name", input.name.as_deref().unwrap_or(""), 200)?;
        let parent_id = input.parent_id.flatten();
        self.check_parent(&parent_id, None).await?;
        let org = Org {
            id: OrgId::new(),
            name,
            parent_id,
            features: input
                .features
                .as_deref()
                .map(|f| validation::names("features", f, 100))
                .transpose()?
                .unwrap_or_else(|| vec![FEATURE_WEBHOOKS.into()]),
            created_at: chrono::Utc::now(),
        };
        self.store.create_org(&org).await?;
        Ok(org)
    }

    pub async fn get_org(&self, by: &Actor, id: &OrgId) -> OpsResult<Org> {
        by.authorize(id, Access::Read)?;
        self.store.get_org(id).await.map_err(not_found("organization"))
    }

    pub async fn update_org(&self, by: &Actor, id: &OrgId, input: OrgIn) -> OpsResult<Org> {
        by.operator_only()?;
        let mut org = self.store.get_org(id).await.map_err(not_found("organization"))?;
        if let Some(n) = input.name {
            org.name = validation::name("name", &n, 200)?;
        }
        if let Some(p) = input.parent_id {
            self.check_parent(&p, Some(id)).await?;
            org.parent_id = p;
        }
        let had_webhooks = org.has(FEATURE_WEBHOOKS);
        if let Some(f) = input.features.as_deref().map(|f| validation::names("features", f, 100)).transpose()? {
            org.features = f;
        }
        let summary = format!("“{}”, features: {}", org.name, org.features.join(", "));
        let audit = Self::audit(by, id, "org.updated", id, summary);
        self.store.update_org(&org, &audit).await.map_err(not_found("organization"))?;
        if had_webhooks != org.has(FEATURE_WEBHOOKS) {
            self.follow_webhooks_feature(&org).await?;
        }
        Ok(org)
    }

    /// [`Actor::authorize`] for webhook-related operations, which an org's callers may only
    /// use while the operator has the org's `webhooks` feature on (the operator always may).
    pub async fn authorize_webhooks(&self, by: &Actor, org: &OrgId, need: Access) -> OpsResult<()> {
        by.authorize(org, need)?;
        if matches!(by, Actor::Operator) {
            return Ok(());
        }
        let o = self.store.get_org(org).await.map_err(not_found("organization"))?;
        if o.has(FEATURE_WEBHOOKS) {
            return Ok(());
        }
        Err(OpsError::FeatureOff("webhooks"))
    }

    /// The feature turned off disables every webhook of the org, saying why (so nothing
    /// fires); turned on again, it enables those it disabled, and no other.
    async fn follow_webhooks_feature(&self, org: &Org) -> OpsResult<()> {
        let on = org.has(FEATURE_WEBHOOKS);
        let mut page = PageRequest::<WebhookSort> { limit: 500, ..PageRequest::default() };
        loop {
            let found = self.store.list_webhooks(&org.id, &page).await?;
            for w in &found.data {
                let ours = w.status.reason.as_deref() == Some(FEATURE_OFF);
                if w.status.enabled == on || (on && !ours) {
                    continue;
                }
                let now = chrono::Utc::now();
                let status = match on {
                    true => WebhookStatus { reason: None, ..WebhookStatus::by_hookd(true, "", now) },
                    false => WebhookStatus::by_hookd(false, FEATURE_OFF, now),
                };
                let edit = WebhookEdit { status: Some(status), ..WebhookEdit::new(org.id.clone(), w.id.clone()) };
                self.store.edit_webhook(&edit).await?;
            }
            match found.next_cursor.as_deref().and_then(Cursor::decode) {
                Some(c) => page.cursor = Some(c),
                None => break,
            }
        }
        self.handoff.wake();
        Ok(())
    }

    /// An organization's child organizations (for credentials per child org).
    pub async fn child_orgs(&self, by: &Actor, id: &OrgId) -> OpsResult<Vec<Org>> {
        by.authorize(id, Access::Read)?;
        Ok(self.store.child_orgs(id).await?)
    }

    pub async fn list_orgs(&self, by: &Actor, page: &PageRequest<()>) -> OpsResult<Page<Org>> {
        by.operator_only()?;
        Ok(self.store.list_orgs(page).await?)
    }
}
