//! Signing in with a one-time link.

use serde_json::json;

use super::ops;
use crate::{Actor, OpsError};

#[tokio::test]
async fn a_link_survives_a_database_failure_while_signing_in_and_then_works_once() {
    let (ops, dir) = ops().await;
    let org = ops.create_org(&Actor::Operator, serde_json::from_value(json!({"name": "A"})).unwrap()).await.unwrap();
    let input = json!({"name": "Ada", "email": "ada@example.com", "role": "admin"});
    let ada = ops.create_member(&Actor::Operator, &org.id, serde_json::from_value(input).unwrap()).await.unwrap();
    let link = ops.create_login_link(&Actor::Operator, &org.id, &ada.id, None, None).await.unwrap();
    let secret = link.url.rsplit_once('#').unwrap().1.to_owned();

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
    let org = ops.create_org(&Actor::Operator, serde_json::from_value(json!({"name": "A"})).unwrap()).await.unwrap();
    let input = json!({"name": "Bo", "email": "bo@example.com", "role": "viewer"});
    let bo = ops.create_member(&Actor::Operator, &org.id, serde_json::from_value(input).unwrap()).await.unwrap();
    let link = ops.create_login_link(&Actor::Operator, &org.id, &bo.id, None, None).await.unwrap();
    let secret = link.url.rsplit_once('#').unwrap().1.to_owned();
    let disable = serde_json::from_value(json!({"status": "disabled"})).unwrap();
    ops.update_member(&Actor::Operator, &org.id, &bo.id, disable).await.unwrap();
    assert!(matches!(ops.sign_in(&secret).await, Err(OpsError::Forbidden(_))));
    assert!(matches!(ops.sign_in("not-a-link").await, Err(OpsError::Forbidden(_))));
}

#[tokio::test]
async fn disabling_a_member_ends_their_sessions_and_links_for_good() {
    let (ops, _dir) = ops().await;
    let org = ops.create_org(&Actor::Operator, serde_json::from_value(json!({"name": "A"})).unwrap()).await.unwrap();
    let input = json!({"name": "Cy", "email": "cy@example.com", "role": "member"});
    let cy = ops.create_member(&Actor::Operator, &org.id, serde_json::from_value(input).unwrap()).await.unwrap();
    let secret = |url: String| url.rsplit_once('#').unwrap().1.to_owned();
    let first = ops.create_login_link(&Actor::Operator, &org.id, &cy.id, None, None).await.unwrap();
    let signed = ops.sign_in(&secret(first.url)).await.unwrap();
    let unused = ops.create_login_link(&Actor::Operator, &org.id, &cy.id, None, None).await.unwrap();
    assert!(ops.session(&signed.cookie).await.unwrap().is_some());

    for status in ["disabled", "active"] {
        let change = serde_json::from_value(json!({"status": status})).unwrap();
        ops.update_member(&Actor::Operator, &org.id, &cy.id, change).await.unwrap();
    }
    assert!(ops.session(&signed.cookie).await.unwrap().is_none(), "the old session stays ended");
    let refused = ops.sign_in(&secret(unused.url)).await.unwrap_err();
    assert!(matches!(refused, OpsError::Forbidden(_)), "a link made before the disable: {refused:?}");
    let fresh = ops.create_login_link(&Actor::Operator, &org.id, &cy.id, None, None).await.unwrap();
    assert!(ops.sign_in(&secret(fresh.url)).await.is_ok(), "a new link works");
}
