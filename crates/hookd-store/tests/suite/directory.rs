//! Cases of the directory: organizations, members, tokens, the catalog, settings, the
//! portal's sessions, and how a store tells of work made due elsewhere.

use std::time::Duration;

use chrono::Utc;
use hookd_core::model::*;
use hookd_core::secret::SealedSecret;
use hookd_core::{DeliveryId, MemberId, OrgId, TokenId};
use hookd_store::*;

use super::build::{audit, noted, webhook};
use super::{attempt, event, org, publish_one, record};

pub async fn orgs_and_members_are_scoped_to_their_org(s: &dyn Store) {
    let a = org(s, None).await;
    let b = org(s, Some(&a.id)).await;
    assert_eq!(s.get_org(&b.id).await.unwrap().parent_id, Some(a.id.clone()));
    let m = Member {
        id: MemberId::new(),
        org_id: a.id.clone(),
        name: "Ada".into(),
        email: "ada@example.com".into(),
        phone: None,
        role: Role::Admin,
        groups: vec!["sales".into()],
        external_id: Some("u-1".into()),
        status: MemberStatus::Active,
        created_at: Utc::now(),
    };
    s.create_member(&m, &noted()).await.unwrap();
    assert!(matches!(s.get_member(&b.id, &m.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.delete_member(&b.id, &m.id, &noted()).await, Err(StoreError::NotFound)));
    let dup = Member { id: MemberId::new(), ..m.clone() };
    assert!(matches!(s.create_member(&dup, &noted()).await, Err(StoreError::Conflict { .. })));
    let other_org = Member { id: MemberId::new(), org_id: b.id.clone(), ..m.clone() };
    s.create_member(&other_org, &noted()).await.unwrap();
    let page = s.list_members(&a.id, &PageRequest::default()).await.unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].groups, vec!["sales".to_string()]);
    // An edit is scoped too, and keeps the email rule.
    let renamed = Member { name: "Ada L.".into(), role: Role::Viewer, ..m.clone() };
    s.update_member(&renamed, &noted()).await.unwrap();
    assert_eq!(s.get_member(&a.id, &m.id).await.unwrap().role, Role::Viewer);
    assert!(matches!(
        s.update_member(&Member { org_id: b.id.clone(), ..renamed.clone() }, &noted()).await,
        Err(StoreError::NotFound)
    ));
    let second = Member { id: MemberId::new(), email: "grace@example.com".into(), ..m.clone() };
    s.create_member(&second, &noted()).await.unwrap();
    let taken = Member { email: "grace@example.com".into(), ..renamed };
    assert!(matches!(s.update_member(&taken, &noted()).await, Err(StoreError::Conflict { .. })));
    s.delete_member(&a.id, &second.id, &noted()).await.unwrap();
    s.delete_member(&a.id, &m.id, &noted()).await.unwrap();
    assert!(s.list_members(&a.id, &PageRequest::default()).await.unwrap().data.is_empty());
}

/// Organizations: edited in place, listed in creation order, searched by name.
pub async fn orgs_are_edited_and_listed(s: &dyn Store) {
    s.ping().await.unwrap();
    let a = org(s, None).await;
    let b = org(s, None).await;
    let edited =
        Org { name: "Globex".into(), parent_id: Some(b.id.clone()), features: vec!["webhooks".into()], ..a.clone() };
    s.update_org(&edited, &noted()).await.unwrap();
    let read = s.get_org(&a.id).await.unwrap();
    assert_eq!((read.name.as_str(), read.parent_id.as_ref(), read.features.len()), ("Globex", Some(&b.id), 1));
    assert!(matches!(s.update_org(&Org { id: OrgId::new(), ..edited }, &noted()).await, Err(StoreError::NotFound)));
    // In ID order, which is creation order to the millisecond.
    let mut ids = [a.id.clone(), b.id.clone()];
    ids.sort_by(|x, y| x.as_str().cmp(y.as_str()));
    let first = s.list_orgs(&PageRequest { limit: 1, ..PageRequest::default() }).await.unwrap();
    assert_eq!(first.data[0].id, ids[0]);
    let cursor = Cursor::decode(first.next_cursor.as_deref().expect("a second page")).unwrap();
    let rest = s.list_orgs(&PageRequest { limit: 10, cursor: Some(cursor), ..PageRequest::default() }).await.unwrap();
    assert_eq!(rest.data.iter().map(|o| &o.id).collect::<Vec<_>>(), vec![&ids[1]]);
    assert_eq!(s.child_orgs(&b.id).await.unwrap().iter().map(|o| &o.id).collect::<Vec<_>>(), vec![&a.id]);
    assert!(s.child_orgs(&a.id).await.unwrap().is_empty());
    let found = s.list_orgs(&PageRequest { q: Some("glob".into()), ..PageRequest::default() }).await.unwrap();
    assert_eq!(found.data.iter().map(|o| &o.id).collect::<Vec<_>>(), vec![&a.id], "case-insensitive search");
}

/// The catalog: an upsert replaces an entry; the list is by group, then name, byte-wise.
pub async fn the_catalog_is_upserted_and_listed_by_group(s: &dyn Store) {
    let entry = |name: &str, group: &str| EventType {
        name: name.into(),
        group: group.into(),
        description: format!("{name} happened"),
        schema: None,
        example: Some(serde_json::json!({"id": 1})),
        created_at: Utc::now(),
    };
    for (n, g) in [("user.updated", "Users"), ("Zeta.made", "Users"), ("org.updated", "Organizations")] {
        s.upsert_event_type(&entry(n, g)).await.unwrap();
    }
    let schema = serde_json::json!({"type": "object", "required": ["id"]});
    s.upsert_event_type(&EventType { schema: Some(schema.clone()), ..entry("user.updated", "Users") }).await.unwrap();
    assert_eq!(s.get_event_type("user.updated").await.unwrap().schema, Some(schema));
    assert!(matches!(s.get_event_type("user.deleted").await, Err(StoreError::NotFound)));
    let names: Vec<String> = s.all_event_types().await.unwrap().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["org.updated", "Zeta.made", "user.updated"], "byte order: upper case first");

    // Paged as every listing is: a cursor starts strictly after the last row.
    let names_of = |p: &Page<EventType>| p.data.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    let first = s.list_event_types(&PageRequest { limit: 2, ..Default::default() }).await.unwrap();
    assert_eq!(names_of(&first), ["Zeta.made", "org.updated"]);
    let cursor = Cursor::decode(first.next_cursor.as_deref().unwrap());
    let rest = s.list_event_types(&PageRequest { limit: 2, cursor, ..Default::default() }).await.unwrap();
    assert_eq!((names_of(&rest), rest.next_cursor), (vec!["user.updated".to_owned()], None));
    let by_group = PageRequest { sort: EventTypeSort::Group, order: Order::Desc, limit: 1, ..Default::default() };
    let first = s.list_event_types(&by_group).await.unwrap();
    let cursor = Cursor::decode(first.next_cursor.as_deref().unwrap());
    let second = s.list_event_types(&PageRequest { cursor, ..by_group.clone() }).await.unwrap();
    assert_eq!(
        [names_of(&first), names_of(&second)].concat(),
        ["user.updated", "Zeta.made"],
        "Users, by name descending"
    );
    let found = s.list_event_types(&PageRequest { q: Some("ORG.UP".into()), ..Default::default() }).await.unwrap();
    assert_eq!(names_of(&found), ["org.updated"], "case-insensitive search");
}

/// An event's deliveries and their states, scoped to its org.
pub async fn delivery_states_follow_their_deliveries(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let e = event(&a.id, None);
    let p = s.publish(&e, &Audience::Subscribers).await.unwrap();
    let d = s.get_delivery(&a.id, &p.deliveries[0]).await.unwrap();
    s.record_attempts(vec![record(&d, Some(attempt(&d, 200, &w.url)), Outcome::Succeeded)].into()).await.unwrap();
    let states: Vec<_> = s.event_deliveries(&a.id, &e.id).await.unwrap().into_iter().map(|d| (d.id, d.state)).collect();
    assert_eq!(states, vec![(d.id.clone(), DeliveryState::Succeeded)]);
    let b = org(s, None).await;
    assert!(s.event_deliveries(&b.id, &e.id).await.unwrap().is_empty());
}

/// Whether a store handle that watches for work is woken when another makes a delivery due.
pub async fn woken_by_work_made_due_elsewhere(watcher: &dyn Store, other: &dyn Store) -> bool {
    let a = org(other, None).await;
    let w = webhook(&a.id, "w", false);
    other.create_webhook(&w, &noted()).await.unwrap();
    let d = publish_one(other, &w).await;
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    watcher.watch_for_work(wake.clone());
    // A listener needs a moment to subscribe; a re-send a little later is heard.
    let mut heard = false;
    for _ in 0..20 {
        other.resend_delivery(&a.id, &d.id, &noted()).await.unwrap();
        if tokio::time::timeout(Duration::from_millis(100), wake.notified()).await.is_ok() {
            heard = true;
            break;
        }
    }
    heard
}

pub async fn tokens_are_found_by_hash_only(s: &dyn Store) {
    let a = org(s, None).await;
    let t = AccessToken {
        id: TokenId::new(),
        org_id: a.id.clone(),
        name: "ci".into(),
        role: Role::Viewer,
        created_at: Utc::now(),
        last_used_at: None,
    };
    s.create_token(&t, &[7; 32], &noted()).await.unwrap();
    assert_eq!(s.token_by_hash(&[7; 32]).await.unwrap().unwrap().id, t.id);
    assert!(s.token_by_hash(&[8; 32]).await.unwrap().is_none());
    let b = org(s, None).await;
    assert!(matches!(s.rename_token(&b.id, &t.id, "x", &noted()).await, Err(StoreError::NotFound)));
    assert_eq!(s.rename_token(&a.id, &t.id, "deploy", &noted()).await.unwrap().name, "deploy");
    let used = Utc::now();
    s.touch_token(&t.id, used).await.unwrap();
    let listed = s.list_tokens(&a.id, &PageRequest::default()).await.unwrap();
    assert_eq!(listed.data[0].last_used_at.map(|t| t.timestamp_millis()), Some(used.timestamp_millis()));
    s.delete_token(&a.id, &t.id, &noted()).await.unwrap();
    assert!(s.token_by_hash(&[7; 32]).await.unwrap().is_none());
}

/// Settings: `init_setting` writes only the first value; `put_setting` replaces.
pub async fn settings_keep_the_first_value_they_are_initialised_with(s: &dyn Store) {
    assert_eq!(s.get_setting("k").await.unwrap(), None);
    assert_eq!(s.any_signing_secret().await.unwrap().map(|x| x.0), None, "no webhook yet");
    assert_eq!(s.init_setting("k", "first").await.unwrap(), "first");
    assert_eq!(s.init_setting("k", "second").await.unwrap(), "first");
    s.put_setting("k", "third").await.unwrap();
    assert_eq!(s.get_setting("k").await.unwrap().as_deref(), Some("third"));
}

/// A login link signs in once, before it expires (a look-up does not use it up); a session is found until it expires or is
/// deleted; retention removes both once expired.
pub async fn login_links_work_once_and_sessions_expire(s: &dyn Store) {
    use chrono::SubsecRound as _;
    let a = org(s, None).await;
    // Times are kept to the millisecond.
    let now = Utc::now().trunc_subsecs(3);
    let link = LoginLink {
        org_id: a.id.clone(),
        member_id: MemberId::new(),
        return_to: Some("/portal/webhooks".into()),
        created_at: now,
        expires_at: now + chrono::TimeDelta::minutes(15),
    };
    s.create_login_link(&link, &[1; 32]).await.unwrap();
    let expired = LoginLink { expires_at: now - chrono::TimeDelta::seconds(1), ..link.clone() };
    s.create_login_link(&expired, &[2; 32]).await.unwrap();
    let looked_up = s.login_link(&[1; 32], now).await.unwrap();
    assert_eq!(looked_up.member_id, link.member_id, "a look-up finds the link");
    assert!(matches!(s.login_link(&[2; 32], now).await, Err(StoreError::NotFound)), "expired");
    let redeemed = s.redeem_login_link(&[1; 32], now).await.unwrap();
    assert!(matches!(s.login_link(&[1; 32], now).await, Err(StoreError::NotFound)), "used");
    assert_eq!((redeemed.member_id, redeemed.return_to), (link.member_id.clone(), link.return_to.clone()));
    assert!(matches!(s.redeem_login_link(&[1; 32], now).await, Err(StoreError::NotFound)), "used");
    assert!(matches!(s.redeem_login_link(&[2; 32], now).await, Err(StoreError::NotFound)), "expired");
    assert!(matches!(s.redeem_login_link(&[3; 32], now).await, Err(StoreError::NotFound)), "unknown");

    let session = Session {
        org_id: a.id.clone(),
        member_id: link.member_id.clone(),
        csrf: "csrf-token".into(),
        created_at: now,
        expires_at: now + chrono::TimeDelta::hours(12),
    };
    s.create_session(&session, &[4; 32]).await.unwrap();
    assert_eq!(s.session_by_hash(&[4; 32], now).await.unwrap(), Some(session.clone()));
    assert_eq!(s.session_by_hash(&[4; 32], session.expires_at).await.unwrap(), None, "expired");
    assert_eq!(s.session_by_hash(&[5; 32], now).await.unwrap(), None);
    s.delete_session(&[4; 32]).await.unwrap();
    assert_eq!(s.session_by_hash(&[4; 32], now).await.unwrap(), None, "signed out");
    let old = Session { expires_at: now - chrono::TimeDelta::seconds(1), ..session.clone() };
    s.create_session(&old, &[6; 32]).await.unwrap();
    assert!(s.prune(now - chrono::TimeDelta::days(30), 100).await.unwrap() >= 2, "the expired session and link");

    // Ending a member's sessions ends their links not yet used too, and no one else's.
    s.create_session(&session, &[7; 32]).await.unwrap();
    let unused = LoginLink { expires_at: now + chrono::TimeDelta::minutes(15), ..link.clone() };
    s.create_login_link(&unused, &[8; 32]).await.unwrap();
    let other = Session { member_id: MemberId::new(), ..session.clone() };
    s.create_session(&other, &[9; 32]).await.unwrap();
    s.end_sessions(&a.id, &link.member_id).await.unwrap();
    assert_eq!(s.session_by_hash(&[7; 32], now).await.unwrap(), None, "the member's session ended");
    assert!(matches!(s.login_link(&[8; 32], now).await, Err(StoreError::NotFound)), "the member's link ended");
    assert_eq!(s.session_by_hash(&[9; 32], now).await.unwrap(), Some(other), "another member's session stays");
}

pub async fn the_audit_log_is_kept_per_org_newest_first(s: &dyn Store) {
    let a = org(s, None).await;
    let b = org(s, None).await;
    let entry = |org: &OrgId, action: &str, ms: i64| AuditEntry {
        id: hookd_core::AuditId::at(1_700_000_000_000 + ms as u64),
        org_id: org.clone(),
        at: chrono::DateTime::from_timestamp_millis(1_700_000_000_000 + ms).unwrap(),
        actor: ActorRef::Token(hookd_core::TokenId::new()),
        action: action.into(),
        target: "wh_y".into(),
        summary: format!("{action} by a token"),
    };
    let mut written = vec![];
    for (i, action) in ["webhook.created", "webhook.updated", "member.removed"].iter().enumerate() {
        written.push(entry(&a.id, action, i as i64));
        s.update_org(&a, &written[i]).await.unwrap();
    }
    s.update_org(&b, &entry(&b.id, "webhook.created", 9)).await.unwrap();
    let newest = PageRequest { order: Order::Desc, ..PageRequest::default() };
    let page = s.list_audit(&a.id, &newest).await.unwrap();
    let actions: Vec<&str> = page.data.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["member.removed", "webhook.updated", "webhook.created"], "only A's, newest first");
    assert_eq!(page.data[2], written[0], "kept as written");
    let two = s.list_audit(&a.id, &PageRequest { limit: 2, ..newest.clone() }).await.unwrap();
    let cursor = Cursor::decode(two.next_cursor.as_deref().unwrap()).unwrap();
    let rest = s.list_audit(&a.id, &PageRequest { cursor: Some(cursor), ..newest.clone() }).await.unwrap();
    assert_eq!(rest.data.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["webhook.created"]);
    let q = PageRequest { q: Some("MEMBER".into()), ..newest };
    assert_eq!(s.list_audit(&a.id, &q).await.unwrap().data.len(), 1, "search ignores case");
}

/// A change and its audit entry are one write: the entry is there exactly when the change is.
pub async fn changes_are_noted_with_their_audit_entry_or_not_at_all(s: &dyn Store) {
    let a = org(s, None).await;
    let b = org(s, None).await;
    let log = |org: OrgId| async move {
        let page = s.list_audit(&org, &PageRequest::default()).await.unwrap();
        page.data.into_iter().map(|e| e.action).collect::<Vec<_>>()
    };
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &audit(&a.id, "webhook.created", &w.id)).await.unwrap();
    let t = AccessToken {
        id: TokenId::new(),
        org_id: a.id.clone(),
        name: "ci".into(),
        role: Role::Admin,
        created_at: Utc::now(),
        last_used_at: None,
    };
    s.create_token(&t, &[3; 32], &audit(&a.id, "token.created", &t.id)).await.unwrap();
    // Changes that do not happen: another org's token, a token again under a taken hash, a
    // rotation from a secret the webhook no longer has, a re-send of nothing.
    let foreign = s.delete_token(&b.id, &t.id, &audit(&b.id, "token.deleted", &t.id)).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
    let twice = AccessToken { id: TokenId::new(), ..t.clone() };
    assert!(s.create_token(&twice, &[3; 32], &audit(&a.id, "token.twice", &twice.id)).await.is_err());
    let stale = s
        .rotate_secret(
            &a.id,
            &w.id,
            &SealedSecret(vec![1]),
            &SealedSecret(vec![2]),
            None,
            &audit(&a.id, "rotated", &w.id),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    let nothing = s.resend_delivery(&a.id, &DeliveryId::new(), &audit(&a.id, "delivery.resent", "-")).await;
    assert!(matches!(nothing, Err(StoreError::NotFound)));
    let edit = WebhookEdit {
        name: Some("renamed".into()),
        if_revision: Some(-1),
        audit: Some(audit(&a.id, "webhook.stale_edit", &w.id)),
        ..WebhookEdit::new(a.id.clone(), w.id.clone())
    };
    assert!(matches!(s.edit_webhook(&edit).await, Err(StoreError::Stale)));
    assert_eq!(log(a.id.clone()).await, vec!["webhook.created", "token.created"]);
    assert!(log(b.id.clone()).await.is_empty());

    let edit = WebhookEdit { if_revision: None, audit: Some(audit(&a.id, "webhook.updated", &w.id)), ..edit };
    s.edit_webhook(&edit).await.unwrap();
    s.rename_token(&a.id, &t.id, "deploy", &audit(&a.id, "token.updated", &t.id)).await.unwrap();
    s.delete_token(&a.id, &t.id, &audit(&a.id, "token.deleted", &t.id)).await.unwrap();
    assert_eq!(
        log(a.id.clone()).await,
        vec!["webhook.created", "token.created", "webhook.updated", "token.updated", "token.deleted"]
    );
}
