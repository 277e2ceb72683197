//! Organizations: the operator creates and edits them; a member reads their own.

use hookd_core::OrgId;
use hookd_core::model::Org;
use hookd_core::validation;
use hookd_store::{Page, PageRequest, StoreError};
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
            features: input.features.unwrap_or_default(),
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
        if let Some(f) = input.features {
            org.features = f;
        }
        self.store.update_org(&org).await.map_err(not_found("organization"))?;
        Ok(org)
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
