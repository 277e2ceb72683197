//! Who may see an event: a webhook only receives what its owner could view.

use crate::model::{Member, MemberStatus};

/// `visible_to` holds member IDs, `group:NAME` and `role:ROLE`; empty means everyone.
pub fn may_view(owner: &Member, visible_to: &[String]) -> bool {
    if owner.status != MemberStatus::Active {
        return false;
    }
    if visible_to.is_empty() {
        return true;
    }
    visible_to.iter().any(|entry| {
        if let Some(group) = entry.strip_prefix("group:") {
            owner.groups.iter().any(|g| g == group)
        } else if let Some(role) = entry.strip_prefix("role:") {
            owner.role.as_str() == role
        } else {
            entry == owner.id.as_str()
        }
    })
}

/// Checks one `visible_to` entry's form.
pub fn valid_entry(entry: &str) -> bool {
    if let Some(g) = entry.strip_prefix("group:") {
        !g.is_empty()
    } else if let Some(r) = entry.strip_prefix("role:") {
        crate::model::Role::parse(r).is_some()
    } else {
        crate::id::MemberId::parse(entry).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{MemberId, OrgId};
    use crate::model::Role;

    fn member(role: Role, groups: &[&str]) -> Member {
        Member {
            id: MemberId::new(),
            org_id: OrgId::new(),
            name: "Alice".into(),
            email: "alice@example.com".into(),
            phone: None,
            role,
            groups: groups.iter().map(|g| g.to_string()).collect(),
            external_id: None,
            status: MemberStatus::Active,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn visibility_by_member_group_and_role() {
        let alice = member(Role::Member, &["sales"]);
        assert!(may_view(&alice, &[]));
        assert!(may_view(&alice, &["group:sales".into()]));
        assert!(!may_view(&alice, &["group:ops".into()]));
        assert!(!may_view(&alice, &["role:admin".into()]));
        assert!(may_view(&alice, &[alice.id.to_string()]));
        let mut off = alice.clone();
        off.status = MemberStatus::Disabled;
        assert!(!may_view(&off, &[]));
    }
}
