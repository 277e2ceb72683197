//! Signing in with a one-time link.

use serde_json::json;

use hookd_core::OrgId;
use hookd_core::model::Member;

use super::ops;
use crate::{Actor, Ops, OpsError};

/// An org with one member of `role`.
async fn member(ops: &Ops, name: &str, role: &str) -> (OrgId, Member) {
    let org = ops.create_org(&Actor::Operator, serde_json::from_value(json!({"name": "A"})).unwrap()).await.unwrap();
    let input = json!({"name": name, "email": format!("{}@example.com", name.to_lowercase()), "role": role});
    let m = ops.create_member(&Actor::Operator, &org.id, serde_json::from_value(input).unwrap()).await.unwrap();
    (org.id, m)
}

/// A new sign-in link's secret for `member`.
async fn link(ops: &Ops, org: &OrgId, member: &Member) -> String {
    let issued = ops.create_login_link(&Actor::Operator, org, &member.id, None, None).await.unwrap();
    issued.url.rsplit_once('#').unwrap().1.to_owned()
}

#[tokio::test]
async fn a_link_survives_a_database_failure_while_signing_in_and_then_works_once() {
    let (ops, dir) = ops().await;
    let (org, ada) = member(&ops, "Ada", "admin").await;
    let secret = link(&ops, &org, &ada).await;

    // The members table out of reach: the member cannot be read while signing in.
    let db = rusqlite::Connection::open(dir.path().join("hookd.db")).unwrap();
    db.execute_batch("ALTER TABLE members RENAME TO members_away").unwrap();
    let failed = ops.sign_in(&secret).await.unwrap_err();
    assert!(matches!(failed, OpsError::Internal(_) | OpsError::Unavailable), "the link is not blamed: {failed:?}");
    db.execute_batch("ALTER TABLE members_away RENAME TO members").unwrap();

    let signed = ops.sign_in(&secret).await.expect("the link still works");
    assert_eq!(signed.session.member_id, ada.id);
    let again = ops.sign_in(&secret).await.unwrap_err();
    assert!(matches!(again, OpsError::Forbidden(_)), "a link works once: {again:?}");
}

#[tokio::test]
async fn a_link_of_a_disabled_member_is_refused_and_unknown_links_too() {
    let (ops, _dir) = ops().await;
    let (org, bo) = member(&ops, "Bo", "viewer").await;
    let secret = link(&ops, &org, &bo).await;
    let disable = serde_json::from_value(json!({"status": "disabled"})).unwrap();
    ops.update_member(&Actor::Operator, &org, &bo.id, disable).await.unwrap();
    assert!(matches!(ops.sign_in(&secret).await, Err(OpsError::Forbidden(_))));
    assert!(matches!(ops.sign_in("not-a-link").await, Err(OpsError::Forbidden(_))));
}

#[tokio::test]
async fn disabling_a_member_ends_their_sessions_and_links_for_good() {
    let (ops, _dir) = ops().await;
    let (org, cy) = member(&ops, "Cy", "member").await;
    let signed = ops.sign_in(&link(&ops, &org, &cy).await).await.unwrap();
    let unused = link(&ops, &org, &cy).await;
    assert!(ops.session(&signed.cookie).await.unwrap().is_some());

    for status in ["disabled", "active"] {
        let change = serde_json::from_value(json!({"status": status})).unwrap();
        ops.update_member(&Actor::Operator, &org, &cy.id, change).await.unwrap();
    }
    assert!(ops.session(&signed.cookie).await.unwrap().is_none(), "the old session stays ended");
    let refused = ops.sign_in(&unused).await.unwrap_err();
    assert!(matches!(refused, OpsError::Forbidden(_)), "a link made before the disable: {refused:?}");
    assert!(ops.sign_in(&link(&ops, &org, &cy).await).await.is_ok(), "a new link works");
}
