//! Edits of webhooks: revisions, the columns an edit names, status changes announced once, and
//! transformations stored, edited and removed.

use super::*;

/// Every change to a webhook row makes a new revision, and a publish hands its leased
/// deliveries over with the revision it read: a node's copy at that revision is the row.
pub async fn every_webhook_change_makes_a_new_revision(s: &dyn Store) {
    let a = org(s, None).await;
    let mut w = webhook(&a.id, "a", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let lease = LeaseTerms { node: "node-a".into(), duration: LONG, max: 10 };
    let leased_revision =
        |p: Published| p.leased.first().map(|l| l.webhook_revision).expect("a delivery leased to node-a");
    let mut seen = vec![s.get_webhook(&a.id, &w.id).await.unwrap().revision];
    let p = s.publish_leased(&event(&a.id, None), &Audience::Subscribers, Some(&lease)).await.unwrap();
    assert_eq!(leased_revision(p), seen[0]);

    w.url = "https://example.com/moved".into();
    let edit = WebhookEdit { url: Some(w.url.clone()), ..WebhookEdit::new(a.id.clone(), w.id.clone()) };
    s.edit_webhook(&edit).await.unwrap();
    seen.push(s.get_webhook(&a.id, &w.id).await.unwrap().revision);
    let p = s.publish_leased(&event(&a.id, None), &Audience::Subscribers, Some(&lease)).await.unwrap();
    assert_eq!(leased_revision(p), seen[1], "a publish after the edit reads the new revision");
    let d = s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap();
    assert!(d.is_empty(), "all leased to node-a");

    // The failure streak a failed attempt starts is a change too (delivery reads it).
    let p = s.publish_leased(&event(&a.id, None), &Audience::Subscribers, Some(&lease)).await.unwrap();
    let failed = &p.leased[0].delivery;
    let attempt = attempt(failed, 500, &w.url);
    s.record_attempts(vec![record(failed, Some(attempt), Outcome::Failed)].into()).await.unwrap();
    seen.push(s.get_webhook(&a.id, &w.id).await.unwrap().revision);
    assert!(seen.windows(2).all(|p| p[0] < p[1]), "revisions only grow: {seen:?}");
}

/// An edit writes only the fields it names: never the columns the engine owns (failure
/// streak, `last_triggered_at`) or the signing secrets; `If-Match` and credentials are
/// compare-and-set; a status change is published with the edit.
pub async fn edits_write_only_what_they_name(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "a", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let read = s.get_webhook(&a.id, &w.id).await.unwrap();
    let edit = || WebhookEdit::new(a.id.clone(), w.id.clone());

    // Meanwhile the engine records a failure and the secret is rotated.
    let d = publish_one(s, &w).await;
    s.record_attempts(vec![record(&d, Some(attempt(&d, 500, &w.url)), Outcome::Failed)].into()).await.unwrap();
    let kept = (SealedSecret(vec![1, 2, 3, 4]), Utc::now());
    let rotated = s
        .rotate_secret(&a.id, &w.id, &SealedSecret(vec![9, 9]), &w.signing_secret, Some((&kept.0, kept.1)), &noted())
        .await
        .unwrap();
    assert_eq!(rotated.signing_secret.0, vec![9, 9]);
    assert_eq!(rotated.rotated_out.as_ref().map(|(p, _)| p.0.clone()), Some(kept.0.0.clone()));
    // A rotation from a secret that is no longer the stored one (another rotation ran) is stale.
    let late = s.rotate_secret(&a.id, &w.id, &SealedSecret(vec![5]), &w.signing_secret, None, &noted()).await;
    assert!(matches!(late, Err(StoreError::Stale)), "{late:?}");

    let stale = WebhookEdit { name: Some("stale".into()), if_revision: Some(read.revision), ..edit() };
    assert!(matches!(s.edit_webhook(&stale).await, Err(StoreError::Stale)));
    let gone = WebhookEdit { name: Some("gone".into()), ..WebhookEdit::new(a.id.clone(), WebhookId::new()) };
    assert!(matches!(s.edit_webhook(&gone).await, Err(StoreError::NotFound)));
    let other_org = org(s, None).await;
    let foreign = WebhookEdit { name: Some("foreign".into()), ..WebhookEdit::new(other_org.id, w.id.clone()) };
    assert!(matches!(s.edit_webhook(&foreign).await, Err(StoreError::NotFound)));
    let old_auth = AuthEdit { new: SealedSecret(vec![8]), replaces: SealedSecret(vec![0]) };
    assert!(matches!(s.edit_webhook(&WebhookEdit { auth: Some(old_auth), ..edit() }).await, Err(StoreError::Stale)));

    let disabled = WebhookStatus::by(false, ActorRef::Member(hookd_core::MemberId::new()), Utc::now());
    let named = WebhookEdit {
        name: Some("edited".into()),
        event_types: Some(vec!["user.updated".into()]),
        auth: Some(AuthEdit { new: SealedSecret(vec![8]), replaces: SealedSecret(vec![4, 5, 6]) }),
        status: Some(disabled.clone()),
        ..edit()
    };
    let now = s.edit_webhook(&named).await.unwrap();
    assert_eq!((now.name.as_str(), now.status.enabled, now.auth.0.clone()), ("edited", false, vec![8]));
    assert_eq!(now.url, w.url, "what the edit does not name is kept");
    assert!(now.revision > rotated.revision);
    assert!(now.failing_since.is_some() && now.last_triggered_at.is_some(), "the engine's columns are kept");
    assert_eq!(now.signing_secret.0, vec![9, 9], "the rotated secret is kept");
    let page = s.list_attempts(&a.id, &AttemptFilter::default(), &PageRequest::default()).await.unwrap();
    assert_eq!(page.data.len(), 1);
    // The announcement went out with the edit, to the subscribers of webhook.disabled: none here,
    // but the event is stored; the same status again announces nothing.
    let again = s.edit_webhook(&WebhookEdit { status: Some(disabled), ..edit() }).await.unwrap();
    assert_eq!(again.status.reason, now.status.reason);
    let sub = s.claim_due("node-a", LONG, 10, &Saturated::NONE).await.unwrap();
    assert!(sub.iter().all(|c| c.webhook.id != w.id), "a disabled webhook gets nothing");
    // Moving to user.updated: the subscription index follows.
    let e = Event { event_type: "user.updated".into(), ..event(&a.id, None) };
    let enabled = WebhookEdit {
        status: Some(WebhookStatus::by(true, ActorRef::Member(hookd_core::MemberId::new()), Utc::now())),
        ..edit()
    };
    s.edit_webhook(&enabled).await.unwrap();
    assert_eq!(s.publish(&e, &Audience::Subscribers).await.unwrap().deliveries.len(), 1);

    assert!(matches!(
        s.rotate_secret(&a.id, &WebhookId::new(), &SealedSecret(vec![1]), &SealedSecret(vec![9, 9]), None, &noted())
            .await,
        Err(StoreError::NotFound)
    ));
    let cleared =
        s.rotate_secret(&a.id, &w.id, &SealedSecret(vec![7]), &SealedSecret(vec![9, 9]), None, &noted()).await.unwrap();
    assert!(cleared.rotated_out.is_none(), "nothing kept when asked to keep nothing");
    assert_eq!(s.any_signing_secret().await.unwrap().map(|x| x.0), Some(vec![7]));
}

/// A status change publishes the operational event to the org's subscribers of it, once.
pub async fn status_changes_are_announced_once(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let mut listener = webhook(&a.id, "listener", false);
    listener.event_types = vec!["webhook.disabled".into(), "webhook.enabled".into()];
    s.create_webhook(&listener, &noted()).await.unwrap();
    let edit = |enabled| WebhookEdit {
        status: Some(WebhookStatus::by(enabled, ActorRef::Token(hookd_core::TokenId::new()), Utc::now())),
        ..WebhookEdit::new(a.id.clone(), w.id.clone())
    };
    s.edit_webhook(&edit(false)).await.unwrap();
    s.edit_webhook(&edit(false)).await.unwrap();
    let claims = s.claim_due("node-a", LONG, 10, &Saturated::NONE).await.unwrap();
    let types: Vec<_> = claims.iter().map(|c| c.event.event_type.clone()).collect();
    assert_eq!(types.iter().filter(|t| *t == "webhook.disabled").count(), 1, "{types:?}");
    s.edit_webhook(&edit(true)).await.unwrap();
    let claims = s.claim_due("node-a", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(claims.iter().filter(|c| c.event.event_type == "webhook.enabled").count(), 1);
}

pub async fn transformations_are_stored_edited_and_removed(s: &dyn Store) {
    let a = org(s, None).await;
    let t = Transformation { code: "function handler(w) { return w; }".into(), enabled: true };
    let w = Webhook { transformation: Some(t.clone()), ..webhook(&a.id, "shaped", false) };
    s.create_webhook(&w, &noted()).await.unwrap();
    assert_eq!(s.get_webhook(&a.id, &w.id).await.unwrap().transformation, Some(t.clone()));
    let off = Transformation { enabled: false, ..t };
    let edit = WebhookEdit { transformation: Some(Some(off.clone())), ..WebhookEdit::new(a.id.clone(), w.id.clone()) };
    s.edit_webhook(&edit).await.unwrap();
    assert_eq!(s.get_webhook(&a.id, &w.id).await.unwrap().transformation, Some(off));
    let gone = WebhookEdit { transformation: Some(None), ..WebhookEdit::new(a.id.clone(), w.id.clone()) };
    s.edit_webhook(&gone).await.unwrap();
    assert_eq!(s.get_webhook(&a.id, &w.id).await.unwrap().transformation, None);
}
