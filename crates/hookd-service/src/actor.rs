//! Who is calling, and the one rule of what each caller may do.

use hookd_core::model::{ActorRef, Role};
use hookd_core::{MemberId, OrgId, TokenId};

use super::{OpsError, OpsResult};

/// The caller of an operation, as the door authenticated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The operator's token: every org, every operation.
    Operator,
    /// An org's access token, with the role it was issued with.
    Token { org_id: OrgId, role: Role, id: TokenId },
    /// A member signed in to the portal, with their role.
    Member { org_id: OrgId, role: Role, id: MemberId },
}

/// What an operation needs of its caller within an org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// See the org's webhooks, history and catalog.
    Read,
    /// Manage webhooks: create, edit, delete, test, re-send, recover.
    Write,
    /// Everything: members, access tokens, publishing.
    Admin,
}

impl Actor {
    /// Whether this is the member `id` signed in.
    pub fn is_member(&self, id: &MemberId) -> bool {
        matches!(self, Actor::Member { id: me, .. } if me == id)
    }

    fn org_role(&self) -> Option<(&OrgId, Role)> {
        match self {
            Actor::Operator => None,
            Actor::Token { org_id, role, .. } | Actor::Member { org_id, role, .. } => Some((org_id, *role)),
        }
    }

    /// Whether this caller may do what `need` names in `org`: what the portal asks before it
    /// shows a control, and what [`Actor::authorize`] enforces.
    pub fn may(&self, org: &OrgId, need: Access) -> bool {
        match self.org_role() {
            None => true,
            Some((own, role)) => {
                own == org
                    && match need {
                        Access::Read => true,
                        Access::Write => role.can_write(),
                        Access::Admin => role == Role::Admin,
                    }
            }
        }
    }

    /// Refuses callers outside `org` (as `NotFound`: another org's caller learns nothing of
    /// whether `org` exists) and callers whose role falls short of `need`.
    pub fn authorize(&self, org: &OrgId, need: Access) -> OpsResult<()> {
        match self.org_role() {
            None => Ok(()),
            Some((own, _)) if own != org => Err(OpsError::NotFound("organization")),
            Some(_) if self.may(org, need) => Ok(()),
            Some((_, role)) => Err(OpsError::Forbidden(match need {
                Access::Admin => format!("this needs the admin role (this caller is {})", role.as_str()),
                _ => format!("the {} role may only read", role.as_str()),
            })),
        }
    }

    pub fn operator_only(&self) -> OpsResult<()> {
        match self {
            Actor::Operator => Ok(()),
            _ => Err(OpsError::Forbidden("only the operator may do this".into())),
        }
    }

    /// The org this caller belongs to, if it is not the operator.
    pub fn org(&self) -> Option<&OrgId> {
        self.org_role().map(|(o, _)| o)
    }

    /// How `status.changed_by` and the audit log name this caller.
    pub fn actor_ref(&self) -> ActorRef {
        match self {
            Actor::Operator => ActorRef::Operator,
            Actor::Token { id, .. } => ActorRef::Token(id.clone()),
            Actor::Member { id, .. } => ActorRef::Member(id.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(org: &OrgId, role: Role) -> Actor {
        Actor::Token { org_id: org.clone(), role, id: TokenId::new() }
    }

    #[test]
    fn roles_grant_read_write_and_admin_in_their_own_org_only() {
        let (a, b) = (OrgId::new(), OrgId::new());
        let viewer = token(&a, Role::Viewer);
        let member = Actor::Member { org_id: a.clone(), role: Role::Member, id: MemberId::new() };
        let admin = token(&a, Role::Admin);
        assert!(viewer.may(&a, Access::Read) && !viewer.may(&a, Access::Write));
        assert!(member.may(&a, Access::Write) && !member.may(&a, Access::Admin));
        assert!(admin.may(&a, Access::Admin) && !admin.may(&b, Access::Read));
        assert!(Actor::Operator.may(&b, Access::Admin));
        assert!(matches!(admin.authorize(&b, Access::Read), Err(OpsError::NotFound("organization"))));
        assert!(matches!(viewer.authorize(&a, Access::Write), Err(OpsError::Forbidden(_))));
        assert!(matches!(member.authorize(&a, Access::Admin), Err(OpsError::Forbidden(_))));
        assert!(admin.operator_only().is_err() && Actor::Operator.operator_only().is_ok());
    }
}
