//! Who may do what, for every operation and every kind of caller: the operator, an org's
//! access tokens and signed-in members of each role, and an admin token of another org.

use chrono::Utc;
use hookd_core::listing::{AttemptFilter, PageRequest};
use hookd_core::model::Role;
use hookd_core::{MemberId, OrgId, TokenId};
use serde_json::json;

use super::{World, world};
use crate::tokens::TokenIn;
use crate::{Access, Actor, OpsError, OpsResult};

/// What an operation needs of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Org(Access),
    /// A change to members: an admin, and for a signed-in member the operator's consent.
    MemberChange,
    Operator,
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Done,
    Forbidden,
    /// Refused as if the org did not exist.
    Hidden,
}

fn outcome<T>(r: OpsResult<T>, op: &str, by: &Actor) -> Outcome {
    match r {
        Ok(_) => Outcome::Done,
        Err(OpsError::Forbidden(_)) => Outcome::Forbidden,
        Err(OpsError::NotFound("organization")) => Outcome::Hidden,
        Err(e) => panic!("{op} by {by:?} failed for another reason: {e:?}"),
    }
}

/// What `by` should meet when it calls an operation on org A that needs `need`.
fn expected(need: Need, by: &Actor, a: &OrgId, members_editable: bool) -> Outcome {
    let own = |org: &OrgId| org == a;
    match (need, by) {
        (_, Actor::Operator) => Outcome::Done,
        (Need::Operator, _) => Outcome::Forbidden,
        (_, Actor::Token { org_id, .. } | Actor::Member { org_id, .. }) if !own(org_id) => Outcome::Hidden,
        (Need::Org(access), by) => {
            if by.may(a, access) {
                Outcome::Done
            } else {
                Outcome::Forbidden
            }
        }
        (Need::MemberChange, Actor::Member { role, .. }) => {
            if *role == Role::Admin && members_editable {
                Outcome::Done
            } else {
                Outcome::Forbidden
            }
        }
        (Need::MemberChange, Actor::Token { role, .. }) => {
            if *role == Role::Admin {
                Outcome::Done
            } else {
                Outcome::Forbidden
            }
        }
    }
}

const OPS: &[(&str, Need)] = &[
    ("get_org", Need::Org(Access::Read)),
    ("child_orgs", Need::Org(Access::Read)),
    ("list_webhooks", Need::Org(Access::Read)),
    ("get_webhook", Need::Org(Access::Read)),
    ("list_attempts", Need::Org(Access::Read)),
    ("get_delivery", Need::Org(Access::Read)),
    ("member_names", Need::Org(Access::Read)),
    ("create_webhook", Need::Org(Access::Write)),
    ("update_webhook", Need::Org(Access::Write)),
    ("set_webhook_enabled", Need::Org(Access::Write)),
    ("rotate_secret", Need::Org(Access::Write)),
    ("send_test", Need::Org(Access::Write)),
    ("recover", Need::Org(Access::Write)),
    ("resend", Need::Org(Access::Write)),
    ("delete_webhooks", Need::Org(Access::Write)),
    ("publish", Need::Org(Access::Admin)),
    ("list_members", Need::Org(Access::Admin)),
    ("get_member", Need::Org(Access::Admin)),
    ("list_tokens", Need::Org(Access::Admin)),
    ("create_token", Need::Org(Access::Admin)),
    ("update_token", Need::Org(Access::Admin)),
    ("delete_token", Need::Org(Access::Admin)),
    ("list_audit", Need::Org(Access::Admin)),
    ("create_member", Need::MemberChange),
    ("update_member", Need::MemberChange),
    ("delete_member", Need::MemberChange),
    ("update_org", Need::Operator),
    ("create_login_link", Need::Operator),
];

/// Calls operation `op` on org A as `by`, on resources made for the call where it changes
/// or deletes them.
async fn call(w: &World, op: &str, by: &Actor) -> Outcome {
    let (ops, a) = (&w.ops, &w.a);
    let any = PageRequest::default();
    match op {
        "get_org" => outcome(ops.get_org(by, a).await, op, by),
        "child_orgs" => outcome(ops.child_orgs(by, a).await, op, by),
        "list_webhooks" => outcome(ops.list_webhooks(by, a, &PageRequest::default()).await, op, by),
        "get_webhook" => outcome(ops.get_webhook(by, a, &w.webhook).await, op, by),
        "list_attempts" => {
            outcome(ops.list_attempts(by, a, &AttemptFilter::default(), &PageRequest::default()).await, op, by)
        }
        "get_delivery" => outcome(ops.get_delivery(by, a, &w.delivery).await, op, by),
        "member_names" => outcome(ops.member_names(by, a).await, op, by),
        "create_webhook" => {
            let input = serde_json::from_value(
                json!({"name": "n", "url": "https://example.com/h", "event_types": ["user.created"]}),
            )
            .unwrap();
            outcome(ops.create_webhook(by, a, input).await, op, by)
        }
        "update_webhook" => {
            let patch = serde_json::from_value(json!({"description": "changed"})).unwrap();
            outcome(ops.update_webhook(by, a, &w.webhook, patch, None).await, op, by)
        }
        "set_webhook_enabled" => outcome(ops.set_webhook_enabled(by, a, &w.webhook, true).await, op, by),
        "rotate_secret" => outcome(ops.rotate_secret(by, a, &w.webhook).await, op, by),
        "send_test" => outcome(ops.send_test(by, a, &w.webhook, None, None).await, op, by),
        "recover" => outcome(ops.recover(by, a, &w.webhook, Utc::now()).await, op, by),
        "resend" => outcome(ops.resend(by, a, &w.delivery).await, op, by),
        "delete_webhooks" => {
            let id = w.new_webhook().await;
            outcome(ops.delete_webhooks(by, a, &[id]).await, op, by)
        }
        "publish" => {
            let input = serde_json::from_value(json!({"type": "user.created", "payload": {"n": 1}})).unwrap();
            outcome(ops.publish(by, a, input, Default::default()).await, op, by)
        }
        "list_members" => outcome(ops.list_members(by, a, &any).await, op, by),
        "get_member" => outcome(ops.get_member(by, a, &w.plain_member).await, op, by),
        "list_tokens" => outcome(ops.list_tokens(by, a, &any).await, op, by),
        "create_token" => {
            outcome(ops.create_token(by, a, TokenIn { name: Some("t".into()), role: Some(Role::Viewer) }).await, op, by)
        }
        "update_token" => {
            let id = w.new_token().await;
            outcome(ops.update_token(by, a, &id, TokenIn { name: Some("renamed".into()), role: None }).await, op, by)
        }
        "delete_token" => {
            let id = w.new_token().await;
            outcome(ops.delete_token(by, a, &id).await, op, by)
        }
        "list_audit" => outcome(ops.list_audit(by, a, &any).await, op, by),
        "create_member" => {
            let email = format!("{}@example.com", MemberId::new());
            let input = serde_json::from_value(json!({"name": "N", "email": email, "role": "viewer"})).unwrap();
            outcome(ops.create_member(by, a, input).await, op, by)
        }
        "update_member" => {
            let input = serde_json::from_value(json!({"groups": ["g"]})).unwrap();
            outcome(ops.update_member(by, a, &w.plain_member, input).await, op, by)
        }
        "delete_member" => {
            let id = w.new_member().await;
            outcome(ops.delete_member(by, a, &id).await, op, by)
        }
        "update_org" => {
            let input = serde_json::from_value(json!({"name": "Acme"})).unwrap();
            outcome(ops.update_org(by, a, input).await, op, by)
        }
        "create_login_link" => outcome(ops.create_login_link(by, a, &w.plain_member, None, None).await, op, by),
        other => panic!("no such operation in the table: {other}"),
    }
}

fn callers(w: &World) -> Vec<Actor> {
    let mut all = vec![Actor::Operator];
    for role in [Role::Admin, Role::Member, Role::Viewer] {
        all.push(Actor::Token { org_id: w.a.clone(), role, id: TokenId::new() });
        all.push(Actor::Member { org_id: w.a.clone(), role, id: w.signed_in(role) });
    }
    all.push(Actor::Token { org_id: w.b.clone(), role: Role::Admin, id: TokenId::new() });
    all.push(Actor::Member { org_id: w.b.clone(), role: Role::Admin, id: MemberId::new() });
    all
}

async fn check_every_operation(members_editable: bool) {
    let w = world(members_editable).await;
    let mut wrong = vec![];
    for (op, need) in OPS {
        for by in callers(&w) {
            let want = expected(*need, &by, &w.a, members_editable);
            let got = call(&w, op, &by).await;
            if got != want {
                wrong.push(format!("{op} by {by:?}: {got:?}, expected {want:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test]
async fn every_operation_admits_exactly_the_callers_its_rule_names() {
    check_every_operation(false).await;
}

#[tokio::test]
async fn signed_in_admins_change_members_only_where_the_operator_allows_it() {
    check_every_operation(true).await;
}

#[tokio::test]
async fn operator_only_operations_refuse_every_org_caller() {
    let w = world(false).await;
    for by in callers(&w).into_iter().filter(|b| *b != Actor::Operator) {
        let org = serde_json::from_value(json!({"name": "Another"})).unwrap();
        assert_eq!(outcome(w.ops.create_org(&by, org).await, "create_org", &by), Outcome::Forbidden);
        assert_eq!(outcome(w.ops.list_orgs(&by, &PageRequest::default()).await, "list_orgs", &by), Outcome::Forbidden);
        let et = serde_json::from_value(json!({"name": "x.y"})).unwrap();
        assert_eq!(outcome(w.ops.upsert_event_type(&by, et).await, "upsert_event_type", &by), Outcome::Forbidden);
    }
}

#[tokio::test]
async fn a_tokens_role_cannot_change_and_its_name_can() {
    let w = world(false).await;
    let id = w.new_token().await;
    let input = TokenIn { name: Some("renamed".into()), role: Some(Role::Admin) };
    let refused = w.ops.update_token(&Actor::Operator, &w.a, &id, input).await.unwrap_err();
    assert!(matches!(&refused, OpsError::Invalid { field, .. } if field == "role"), "{refused:?}");
    let input = TokenIn { name: Some("renamed".into()), role: None };
    let token = w.ops.update_token(&Actor::Operator, &w.a, &id, input).await.unwrap();
    assert_eq!((token.name.as_str(), token.role), ("renamed", Role::Viewer));
}

#[tokio::test]
async fn another_orgs_webhooks_are_not_deleted_and_no_entry_says_they_were() {
    let w = world(false).await;
    let input =
        serde_json::from_value(json!({"name": "b", "url": "https://example.com/b", "event_types": ["user.created"]}));
    let theirs = w.ops.create_webhook(&Actor::Operator, &w.b, input.unwrap()).await.unwrap().id;
    let mine = w.new_webhook().await;
    let admin = Actor::Token { org_id: w.a.clone(), role: Role::Admin, id: TokenId::new() };
    let alone = w.ops.delete_webhooks(&admin, &w.a, std::slice::from_ref(&theirs)).await.unwrap_err();
    assert!(matches!(alone, OpsError::NotFound("webhook")), "{alone:?}");
    let mixed = w.ops.delete_webhooks(&admin, &w.a, &[mine.clone(), theirs.clone()]).await.unwrap_err();
    assert!(matches!(&mixed, OpsError::Invalid { field, .. } if field == "ids[1]"), "{mixed:?}");
    assert!(w.ops.get_webhook(&Actor::Operator, &w.b, &theirs).await.is_ok(), "theirs stays");
    assert!(w.ops.get_webhook(&Actor::Operator, &w.a, &mine).await.is_ok(), "nothing was deleted");
    let log = w.ops.list_audit(&Actor::Operator, &w.a, &PageRequest::default()).await.unwrap();
    assert!(log.data.iter().all(|e| e.action != "webhook.deleted"), "{:?}", log.data);
}
