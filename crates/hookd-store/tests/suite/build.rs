//! A webhook as the store suite and the store's benches make one (the benches include this
//! file by path).

use chrono::Utc;
use hookd_core::model::*;
use hookd_core::secret::SealedSecret;
use hookd_core::{OrgId, WebhookId};

/// An enabled webhook of `org` for `user.created`, at `https://{name}.example/hook`.
pub fn webhook(org: &OrgId, name: &str, ordered: bool) -> Webhook {
    let now = Utc::now();
    Webhook {
        id: WebhookId::new(),
        org_id: org.clone(),
        name: name.into(),
        url: format!("https://{name}.example/hook"),
        description: None,
        event_types: vec!["user.created".into()],
        environment: Environment::Live,
        owner_id: None,
        include_child_orgs: false,
        filter: None,
        transformation: None,
        options: WebhookOptions { ordered, ..Default::default() },
        signing_enabled: true,
        signing_secret: SealedSecret(vec![1, 2, 3]),
        rotated_out: None,
        auth: SealedSecret(vec![4, 5, 6]),
        destination_kind: DestinationKind::Http,
        destination: None,
        status: WebhookStatus { enabled: true, reason: None, changed_at: now, changed_by: None },
        created_at: now,
        updated_at: now,
        last_triggered_at: None,
        failing_since: None,
        failed_deliveries: 0,
        revision: 0,
    }
}

/// An audit entry of `org` by the operator, noting `action` on `target`.
pub fn audit(org: &OrgId, action: &str, target: impl std::fmt::Display) -> AuditEntry {
    AuditEntry {
        id: hookd_core::AuditId::new(),
        org_id: org.clone(),
        at: Utc::now(),
        actor: ActorRef::Operator,
        action: action.into(),
        target: target.to_string(),
        summary: format!("{action} in a test"),
    }
}

/// An audit entry for a change whose note a test does not look at.
pub fn noted() -> AuditEntry {
    audit(&OrgId::new(), "test.changed", "-")
}
