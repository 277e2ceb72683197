//! Members: the operator's product mirrors its people here. Admins read them whole; every
//! reader of the org may see their names (a webhook's owner is shown by name). Members signed
//! in to the portal change members only where the operator lets them
//! ([`OpsConfig::members_editable`](crate::OpsConfig)); the operator's product and the org's
//! admin tokens always may.

use std::collections::HashMap;

use hookd_core::listing::{Cursor, Page, PageRequest};
use hookd_core::model::{Member, MemberStatus, Role};
use hookd_core::{MemberId, OrgId, validation};
use hookd_store::StoreError;
use serde::Deserialize;

use super::{Access, Actor, Ops, OpsError, OpsResult, double_option, not_found};

/// A new member (name, email and role required) or an edit (absent fields unchanged).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Ada Lovelace", "email": "ada@example.com", "role": "admin", "groups": ["ops"]}))]
pub struct MemberIn {
    pub name: Option<String>,
    pub email: Option<String>,
    #[serde(default, with = "double_option")]
    pub phone: Option<Option<String>>,
    pub role: Option<Role>,
    pub groups: Option<Vec<String>>,
    #[serde(default, with = "double_option")]
    pub external_id: Option<Option<String>>,
    pub status: Option<MemberStatus>,
}

/// The one uniqueness rule of members, in the API's words on both backends.
fn email_taken(e: StoreError) -> OpsError {
    match e {
        StoreError::Conflict { .. } => {
            OpsError::conflict("email", "a member with this email already exists in this organization")
        }
        other => not_found("member")(other),
    }
}

impl Ops {
    /// Refuses callers who may not change `org`'s members.
    fn authorize_member_change(&self, by: &Actor, org: &OrgId) -> OpsResult<()> {
        by.authorize(org, Access::Admin)?;
        if matches!(by, Actor::Member { .. }) && !self.config.members_editable {
            return Err(OpsError::Forbidden(
                "members are managed in the product that sent you here; this list follows it".into(),
            ));
        }
        Ok(())
    }

    pub async fn create_member(&self, by: &Actor, org: &OrgId, input: MemberIn) -> OpsResult<Member> {
        self.authorize_member_change(by, org)?;
        self.store.get_org(org).await.map_err(not_found("organization"))?;
        let member = Member {
            id: MemberId::new(),
            org_id: org.clone(),
            name: validation::name("name", input.name.as_deref().unwrap_or(""), 200)?,
            email: validation::email("email", input.email.as_deref().unwrap_or(""))?,
            phone: input.phone.flatten(),
            role: input.role.ok_or_else(|| OpsError::invalid("role", "is required: admin, member or viewer"))?,
            groups: input
                .groups
                .as_deref()
                .map(|g| validation::names("groups", g, 100))
                .transpose()?
                .unwrap_or_default(),
            external_id: input.external_id.flatten(),
            status: input.status.unwrap_or(MemberStatus::Active),
            created_at: chrono::Utc::now(),
        };
        let summary = format!("added {} <{}> with the {} role", member.name, member.email, member.role.as_str());
        let audit = Self::audit(by, org, "member.created", &member.id, summary);
        self.store.create_member(&member, &audit).await.map_err(email_taken)?;
        Ok(member)
    }

    pub async fn get_member(&self, by: &Actor, org: &OrgId, id: &MemberId) -> OpsResult<Member> {
        by.authorize(org, Access::Admin)?;
        self.store.get_member(org, id).await.map_err(not_found("member"))
    }

    pub async fn update_member(&self, by: &Actor, org: &OrgId, id: &MemberId, input: MemberIn) -> OpsResult<Member> {
        self.authorize_member_change(by, org)?;
        let mut m = self.store.get_member(org, id).await.map_err(not_found("member"))?;
        let was_active = m.status == MemberStatus::Active;
        if let Some(n) = input.name {
            m.name = validation::name("name", &n, 200)?;
        }
        if let Some(e) = input.email {
            m.email = validation::email("email", &e)?;
        }
        if let Some(p) = input.phone {
            m.phone = p;
        }
        if let Some(r) = input.role {
            m.role = r;
        }
        if let Some(g) = input.groups.as_deref().map(|g| validation::names("groups", g, 100)).transpose()? {
            m.groups = g;
        }
        if let Some(x) = input.external_id {
            m.external_id = x;
        }
        if let Some(s) = input.status {
            m.status = s;
        }
        if by.is_member(id) && (m.role != Role::Admin || m.status != MemberStatus::Active) {
            return Err(OpsError::invalid(
                if m.role != Role::Admin { "role" } else { "status" },
                "you cannot take your own admin role or disable yourself; ask another admin",
            ));
        }
        if was_active && m.status != MemberStatus::Active {
            // First, so that a failure leaves the member signed out rather than disabled and
            // still signed in; and for good, so that enabling them again revives nothing. A
            // disabled member has no session to end: signing in refuses them.
            self.store.end_sessions(org, id).await?;
        }
        let summary = format!("{}: role {}, {}", m.name, m.role.as_str(), m.status.as_str());
        let audit = Self::audit(by, org, "member.updated", id, summary);
        self.store.update_member(&m, &audit).await.map_err(email_taken)?;
        Ok(m)
    }

    pub async fn delete_member(&self, by: &Actor, org: &OrgId, id: &MemberId) -> OpsResult<()> {
        self.authorize_member_change(by, org)?;
        if by.is_member(id) {
            return Err(OpsError::Forbidden("you cannot remove yourself; ask another admin".into()));
        }
        self.store.get_member(org, id).await.map_err(not_found("member"))?;
        self.store.end_sessions(org, id).await?;
        let audit = Self::audit(by, org, "member.deleted", id, "removed".into());
        self.store.delete_member(org, id, &audit).await.map_err(not_found("member"))?;
        Ok(())
    }

    pub async fn list_members(&self, by: &Actor, org: &OrgId, page: &PageRequest<()>) -> OpsResult<Page<Member>> {
        by.authorize(org, Access::Admin)?;
        Ok(self.store.list_members(org, page).await?)
    }

    /// Every member's name by ID, for any reader of the org: how owners are shown.
    pub async fn member_names(&self, by: &Actor, org: &OrgId) -> OpsResult<HashMap<MemberId, String>> {
        by.authorize(org, Access::Read)?;
        let mut names = HashMap::new();
        let mut page = PageRequest { limit: 500, ..PageRequest::default() };
        loop {
            let found = self.store.list_members(org, &page).await?;
            names.extend(found.data.into_iter().map(|m| (m.id, m.name)));
            match found.next_cursor.as_deref().and_then(Cursor::decode) {
                Some(c) => page.cursor = Some(c),
                None => return Ok(names),
            }
        }
    }
}
