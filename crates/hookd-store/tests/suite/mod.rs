//! Store behaviour every backend must have. Each case gets a fresh, empty store.

use std::time::Duration;

use chrono::Utc;
use hookd_core::listing::ResultFilter;
use hookd_core::model::*;
use hookd_core::secret::SealedSecret;
use hookd_core::{AttemptId, EventId, MemberId, OrgId, WebhookId};
use hookd_store::*;

pub(crate) mod build;
mod directory;
mod edits;
mod events;
mod health;
mod pull;

use build::{noted, webhook};
pub use directory::*;
pub use edits::*;
pub use events::*;
pub use health::*;
pub use pull::*;

pub(crate) async fn org(s: &dyn Store, parent: Option<&OrgId>) -> Org {
    let o = Org {
        id: OrgId::new(),
        name: "Acme".into(),
        parent_id: parent.cloned(),
        features: vec![],
        created_at: Utc::now(),
    };
    s.create_org(&o).await.unwrap();
    o
}

pub(crate) fn event(org: &OrgId, key: Option<&str>) -> Event {
    let now = Utc::now();
    Event {
        id: EventId::new(),
        org_id: org.clone(),
        event_type: "user.created".into(),
        payload: r#"{"id":1}"#.into(),
        resource_url: None,
        environment: Environment::Live,
        visible_to: vec![],
        occurred_at: now,
        created_at: now,
        idempotency_key: key.map(str::to_owned),
        traceparent: Some(TRACEPARENT.into()),
    }
}

/// Every event of the suite is published with this trace context, which claims hand back.
pub(crate) const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// Publishes one event to exactly `w` and returns its delivery as stored.
pub(crate) async fn publish_one(s: &dyn Store, w: &Webhook) -> Delivery {
    let e = event(&w.org_id, None);
    let p = s.publish(&e, &Audience::Webhook(w.id.clone())).await.unwrap();
    assert_eq!(p.deliveries.len(), 1);
    let d = s.get_delivery(&w.org_id, &p.deliveries[0]).await.unwrap();
    assert_eq!(d.next_trigger, Trigger::Manual, "an event sent to one webhook is a test send");
    d
}

pub(crate) fn attempt(d: &Delivery, status: u16, url: &str) -> Attempt {
    Attempt {
        id: AttemptId::new(),
        org_id: d.org_id.clone(),
        delivery_id: d.id.clone(),
        webhook_id: d.webhook_id.clone(),
        event_ids: vec![d.event_id.clone()],
        url: url.into(),
        sent_at: Utc::now(),
        response_status: Some(status),
        duration_us: 3_000,
        event_types: vec![],
        error: None,
        // As the dispatcher does: an attempt counts as what its delivery was due for.
        trigger: d.next_trigger,
        request_headers: vec![("webhook-id".into(), d.id.to_string())],
        request_body: RequestBody::Text("{}".into()),
        response_headers: vec![],
        response_body: "ok".into(),
    }
}

pub(crate) fn record(d: &Delivery, a: Option<Attempt>, outcome: Outcome) -> AttemptRecord {
    AttemptRecord {
        attempt: a,
        org_id: d.org_id.clone(),
        delivery_id: d.id.clone(),
        webhook_id: d.webhook_id.clone(),
        outcome,
        disable_webhook: None,
    }
}

pub(crate) const LONG: Duration = Duration::from_secs(60);

pub async fn webhook_listing_pages_every_sort_without_gaps(s: &dyn Store) {
    let a = org(s, None).await;
    let names = ["delta", "alpha", "echo", "charlie", "bravo", "foxtrot", "golf", "hotel"];
    for (i, n) in names.iter().enumerate() {
        let mut w = webhook(&a.id, n, false);
        w.status.enabled = i % 3 != 0;
        w.last_triggered_at = (i % 2 == 0).then(|| Utc::now() + chrono::Duration::seconds(i as i64));
        s.create_webhook(&w, &noted()).await.unwrap();
    }
    s.create_webhook(&webhook(&org(s, None).await.id, "other-org", false), &noted()).await.unwrap();
    for sort in [
        WebhookSort::CreatedAt,
        WebhookSort::Name,
        WebhookSort::Url,
        WebhookSort::Owner,
        WebhookSort::Status,
        WebhookSort::LastTriggeredAt,
    ] {
        for order in [Order::Asc, Order::Desc] {
            let mut seen = Vec::new();
            let mut req = PageRequest { limit: 3, cursor: None, sort, order, q: None };
            loop {
                let page = s.list_webhooks(&a.id, &req).await.unwrap();
                seen.extend(page.data);
                match page.next_cursor {
                    Some(c) => req.cursor = Some(Cursor::decode(&c).unwrap()),
                    None => break,
                }
            }
            let mut ids: Vec<_> = seen.iter().map(|w| w.id.clone()).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), names.len(), "{sort:?} {order:?} lost or repeated rows");
            if sort == WebhookSort::Name {
                let got: Vec<_> = seen.iter().map(|w| w.name.as_str()).collect();
                let mut want: Vec<_> = names.to_vec();
                want.sort();
                if order == Order::Desc {
                    want.reverse();
                }
                assert_eq!(got, want);
            }
        }
    }
    let found = s.list_webhooks(&a.id, &PageRequest { q: Some("LF".into()), ..Default::default() }).await.unwrap();
    assert_eq!(found.data.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), vec!["golf"]);
    let percent = s.list_webhooks(&a.id, &PageRequest { q: Some("%".into()), ..Default::default() }).await.unwrap();
    assert!(percent.data.is_empty(), "search treats % literally");
}

pub async fn publish_is_idempotent_by_key(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let e = event(&a.id, Some("k1"));
    let first = s.publish(&e, &Audience::Subscribers).await.unwrap();
    assert!(!first.replayed);
    assert_eq!(first.deliveries.len(), 1);
    let again = s.publish(&event(&a.id, Some("k1")), &Audience::Subscribers).await.unwrap();
    assert!(again.replayed, "a repeated key must not create a second event");
    assert_eq!((&again.event_id, &again.deliveries), (&e.id, &first.deliveries));
    // The same key in another org is another event.
    let b = org(s, None).await;
    assert!(!s.publish(&event(&b.id, Some("k1")), &Audience::Subscribers).await.unwrap().replayed);
    let missing = Event { org_id: OrgId::new(), ..event(&a.id, None) };
    assert!(matches!(s.publish(&missing, &Audience::Subscribers).await, Err(StoreError::NotFound)));
    let (got, dl) = s.get_event(&a.id, &e.id).await.unwrap();
    assert_eq!((got.payload.as_str(), dl.len()), (r#"{"id":1}"#, 1));
    assert!(matches!(s.get_event(&b.id, &e.id).await, Err(StoreError::NotFound)));
}

pub async fn claims_lease_and_expired_leases_come_back(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    for _ in 0..3 {
        publish_one(s, &w).await;
    }
    let backlog = s.backlog().await.unwrap();
    assert_eq!((backlog.pending, backlog.due), (3, 3));
    let oldest = backlog.oldest_due_at.expect("the oldest due delivery's time");
    assert!(oldest <= Utc::now() && oldest > Utc::now() - chrono::Duration::minutes(1), "{oldest}");
    let claimed = s.claim_due("node-a", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(claimed.len(), 3);
    assert_eq!(claimed[0].webhook.id, w.id);
    assert_eq!(claimed[0].event.traceparent.as_deref(), Some(TRACEPARENT), "the publish's trace context");
    assert!(
        s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap().is_empty(),
        "leased deliveries are not claimed twice"
    );
    let backlog = s.backlog().await.unwrap();
    assert_eq!((backlog.pending, backlog.due, backlog.oldest_due_at), (3, 0, None), "leased deliveries are not due");

    // A zero lease expires at once: another node takes the work over.
    let d = publish_one(s, &w).await;
    let first = s.claim_due("node-a", Duration::ZERO, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(first.len(), 1);
    let again = s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(again.iter().map(|c| c.delivery.id.clone()).collect::<Vec<_>>(), vec![d.id]);

    // A claim takes all it may while more are due: fewer than asked tells the dispatcher to
    // wait before it looks again, which would stall a backlog.
    for _ in 0..11 {
        publish_one(s, &w).await;
    }
    assert_eq!(s.claim_due("node-a", LONG, 7, &Saturated::NONE).await.unwrap().len(), 7);
    assert_eq!(s.claim_due("node-a", LONG, 7, &Saturated::NONE).await.unwrap().len(), 4);
}

/// A claim passes over the webhooks and orgs that have every request in flight the node
/// gives them, and so does the look for when work next comes due.
pub async fn claims_pass_over_saturated_webhooks_and_orgs(s: &dyn Store) {
    let (a, b) = (org(s, None).await, org(s, None).await);
    let (a1, a2, b1) = (webhook(&a.id, "a1", false), webhook(&a.id, "a2", false), webhook(&b.id, "b1", false));
    for w in [&a1, &a2, &b1] {
        s.create_webhook(w, &noted()).await.unwrap();
        publish_one(s, w).await;
    }
    let webhooks_of = |claims: &[LeasedDelivery]| {
        let mut ids: Vec<WebhookId> = claims.iter().map(|c| c.webhook.id.clone()).collect();
        ids.sort();
        ids
    };
    let mut not_a1 = vec![a2.id.clone(), b1.id.clone()];
    not_a1.sort();
    let skip_a1 = Saturated { webhooks: vec![a1.id.clone()], orgs: vec![] };
    assert_eq!(webhooks_of(&s.claim_due("n", LONG, 10, &skip_a1).await.unwrap()), not_a1);
    // a1's delivery is due now; the others are leased, due again when their lease ends.
    let now = Utc::now();
    assert!(s.next_due_at(&skip_a1).await.unwrap().is_some_and(|t| t > now), "only a1's is due now");
    assert!(s.next_due_at(&Saturated::NONE).await.unwrap().is_some_and(|t| t <= now));

    let skip_a = Saturated { webhooks: vec![], orgs: vec![a.id.clone()] };
    publish_one(s, &a2).await;
    publish_one(s, &b1).await;
    assert_eq!(webhooks_of(&s.claim_due("n", LONG, 10, &skip_a).await.unwrap()), vec![b1.id.clone()]);
    let both = Saturated { webhooks: vec![b1.id.clone()], orgs: vec![a.id.clone()] };
    publish_one(s, &b1).await;
    assert!(s.claim_due("n", LONG, 10, &both).await.unwrap().is_empty());
    let mut left = vec![a1.id.clone(), a2.id.clone(), b1.id.clone()];
    left.sort();
    assert_eq!(webhooks_of(&s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap()), left);
}

pub async fn publishing_leases_new_deliveries_to_its_node(s: &dyn Store) {
    let a = org(s, None).await;
    let hooks = [webhook(&a.id, "a", false), webhook(&a.id, "b", false), webhook(&a.id, "c", true)];
    for w in &hooks {
        s.create_webhook(w, &noted()).await.unwrap();
    }
    // Room for one: one unordered delivery is leased, the other and the ordered one are not.
    let lease = LeaseTerms { node: "node-a".into(), duration: LONG, max: 1 };
    let e = event(&a.id, None);
    let p = s.publish_leased(&e, &Audience::Subscribers, Some(&lease)).await.unwrap();
    assert_eq!((p.deliveries.len(), p.leased.len()), (3, 1));
    let leased = &p.leased[0].delivery;
    assert_ne!(leased.webhook_id, hooks[2].id, "an ordered webhook's delivery waits for a claim");
    assert_eq!((leased.event_id.clone(), leased.state, leased.attempts), (e.id.clone(), DeliveryState::Pending, 0));
    let stored = s.get_delivery(&a.id, &leased.id).await.unwrap();
    assert_eq!(stored.next_attempt_at, leased.next_attempt_at, "what publish says is what it wrote");
    let claimed = s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap();
    let mut ids: Vec<_> = claimed.iter().map(|c| c.delivery.id.clone()).collect();
    ids.sort();
    let mut rest: Vec<_> = p.deliveries.iter().filter(|d| **d != leased.id).cloned().collect();
    rest.sort();
    assert_eq!(ids, rest, "the leased delivery is not claimed by another node");
    let found = s.webhooks_by_id(&[leased.webhook_id.clone(), WebhookId::new()]).await.unwrap();
    assert_eq!(found.iter().map(|w| w.id.clone()).collect::<Vec<_>>(), vec![leased.webhook_id.clone()]);
    assert_eq!(p.leased[0].webhook_revision, found[0].revision, "the revision the publish read");
    s.record_attempts(vec![record(leased, Some(attempt(leased, 200, &found[0].url)), Outcome::Succeeded)].into())
        .await
        .unwrap();
    assert_eq!(s.get_delivery(&a.id, &leased.id).await.unwrap().state, DeliveryState::Succeeded);

    // A lease that runs out makes the delivery any node's again; no lease leases nothing.
    let brief = LeaseTerms { duration: Duration::ZERO, max: 10, ..lease.clone() };
    let p = s.publish_leased(&event(&a.id, None), &Audience::Webhook(hooks[0].id.clone()), Some(&brief)).await.unwrap();
    assert_eq!(p.leased.len(), 1);
    let again = s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(again.iter().map(|c| c.delivery.id.clone()).collect::<Vec<_>>(), vec![p.leased[0].delivery.id.clone()]);
    assert!(s.publish(&event(&a.id, None), &Audience::Subscribers).await.unwrap().leased.is_empty());

    // A stopping node gives back what it leased and did not send; only its own leases.
    s.claim_due("node-c", LONG, 100, &Saturated::NONE).await.unwrap();
    let p = s.publish_leased(&event(&a.id, None), &Audience::Webhook(hooks[1].id.clone()), Some(&lease)).await.unwrap();
    let ids: Vec<_> = p.leased.iter().map(|l| l.delivery.id.clone()).collect();
    s.release_leases("node-b", &ids).await.unwrap();
    assert!(s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap().is_empty(), "not node-b's to give back");
    s.release_leases("node-a", &ids).await.unwrap();
    let back = s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(back.iter().map(|c| c.delivery.id.clone()).collect::<Vec<_>>(), ids);
}

pub async fn recorded_outcomes_move_deliveries(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let ok = publish_one(s, &w).await;
    let later = publish_one(s, &w).await;
    let dead = publish_one(s, &w).await;
    assert_eq!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().len(), 3);
    let retry_at = Utc::now() + chrono::Duration::minutes(5);
    s.record_attempts(
        vec![
            record(&ok, Some(attempt(&ok, 200, &w.url)), Outcome::Succeeded),
            record(&later, Some(attempt(&later, 500, &w.url)), Outcome::RetryAt(retry_at)),
            AttemptRecord {
                disable_webhook: Some("410 Gone".into()),
                ..record(&dead, Some(attempt(&dead, 410, &w.url)), Outcome::Failed)
            },
        ]
        .into(),
    )
    .await
    .unwrap();
    assert_eq!(s.get_delivery(&a.id, &ok.id).await.unwrap().state, DeliveryState::Succeeded);
    let l = s.get_delivery(&a.id, &later.id).await.unwrap();
    assert_eq!((l.state, l.attempts, l.next_trigger), (DeliveryState::Pending, 1, Trigger::Retry));
    assert_eq!(s.get_delivery(&a.id, &dead.id).await.unwrap().state, DeliveryState::Failed);
    assert!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().is_empty());
    let due = s.next_due_at(&Saturated::NONE).await.unwrap().unwrap();
    assert!((due - retry_at).num_milliseconds().abs() < 5);
    let wh = s.get_webhook(&a.id, &w.id).await.unwrap();
    assert!(!wh.status.enabled);
    assert_eq!(wh.status.reason.as_deref(), Some("410 Gone"));
    assert!(wh.last_triggered_at.is_some());
    let p = s.publish(&event(&a.id, None), &Audience::Subscribers).await.unwrap();
    assert!(p.deliveries.is_empty(), "disabled webhooks get nothing");
}

pub async fn ordered_webhooks_claim_only_their_oldest_delivery(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "ordered", true);
    s.create_webhook(&w, &noted()).await.unwrap();
    let first = publish_one(s, &w).await;
    let second = publish_one(s, &w).await;
    let claimed = s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(claimed.iter().map(|c| c.delivery.id.clone()).collect::<Vec<_>>(), vec![first.id.clone()]);
    assert!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().is_empty(), "one in flight at a time");
    // A retry holds the line: the next one waits behind it.
    s.record_attempts(
        vec![record(
            &first,
            Some(attempt(&first, 500, &w.url)),
            Outcome::RetryAt(Utc::now() + chrono::Duration::minutes(1)),
        )]
        .into(),
    )
    .await
    .unwrap();
    assert!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().is_empty());
    s.resend_delivery(&a.id, &first.id, &noted()).await.unwrap();
    let claimed = s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!((&claimed[0].delivery.id, claimed[0].delivery.next_trigger), (&first.id, Trigger::Manual));
    let manual = Attempt { trigger: Trigger::Manual, ..attempt(&first, 200, &w.url) };
    s.record_attempts(vec![record(&first, Some(manual), Outcome::Succeeded)].into()).await.unwrap();
    let claimed = s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(claimed.iter().map(|c| c.delivery.id.clone()).collect::<Vec<_>>(), vec![second.id]);
}

pub async fn resend_during_an_attempt_sends_once_more(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    // Published to its subscribers, so the first attempt is an automatic one.
    let p = s.publish(&event(&a.id, None), &Audience::Subscribers).await.unwrap();
    let d = s.get_delivery(&a.id, &p.deliveries[0]).await.unwrap();
    assert_eq!(d.next_trigger, Trigger::Auto);
    assert_eq!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().len(), 1);
    s.resend_delivery(&a.id, &d.id, &noted()).await.unwrap();
    assert!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().is_empty(), "still leased");
    s.record_attempts(vec![record(&d, Some(attempt(&d, 200, &w.url)), Outcome::Succeeded)].into()).await.unwrap();
    let again = s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(again.len(), 1, "the re-send asked for during the attempt still happens");
    assert_eq!(again[0].delivery.next_trigger, Trigger::Manual);
}

pub async fn resend_and_recover_make_deliveries_due(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let d = publish_one(s, &w).await;
    s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    s.record_attempts(vec![record(&d, Some(attempt(&d, 500, &w.url)), Outcome::Failed)].into()).await.unwrap();
    let b = org(s, None).await;
    let hour_ago = Utc::now() - chrono::Duration::hours(1);
    assert_eq!(s.count_failed(&a.id, &w.id, hour_ago).await.unwrap(), 1);
    assert_eq!(s.count_failed(&b.id, &w.id, hour_ago).await.unwrap(), 0, "scoped to the org");
    assert_eq!(s.count_failed(&a.id, &w.id, Utc::now() + chrono::Duration::hours(1)).await.unwrap(), 0);
    assert!(matches!(s.resend_delivery(&b.id, &d.id, &noted()).await, Err(StoreError::NotFound)));
    assert!(matches!(
        s.recover_webhook(&b.id, &w.id, Utc::now() - chrono::Duration::hours(1), &noted()).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.recover_webhook(&a.id, &w.id, Utc::now() + chrono::Duration::hours(1), &noted()).await.unwrap(), 0);
    assert_eq!(s.recover_webhook(&a.id, &w.id, Utc::now() - chrono::Duration::hours(1), &noted()).await.unwrap(), 1);
    let claimed = s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].delivery.next_trigger, Trigger::Manual);
    let manual = Attempt { trigger: Trigger::Manual, ..attempt(&d, 200, &w.url) };
    s.record_attempts(vec![record(&d, Some(manual), Outcome::Succeeded)].into()).await.unwrap();
    assert_eq!(s.get_delivery(&a.id, &d.id).await.unwrap().state, DeliveryState::Succeeded);
    let r = s.resend_delivery(&a.id, &d.id, &noted()).await.unwrap();
    assert_eq!((r.state, r.next_trigger), (DeliveryState::Pending, Trigger::Manual));
    assert_eq!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().len(), 1);
}

pub async fn subscribers_are_matched_by_type_environment_org_and_owner(s: &dyn Store) {
    let parent = org(s, None).await;
    let child = org(s, Some(&parent.id)).await;
    let owner = Member {
        id: MemberId::new(),
        org_id: child.id.clone(),
        name: "Al".into(),
        email: "al@example.com".into(),
        phone: None,
        role: Role::Member,
        groups: vec!["sales".into()],
        external_id: None,
        status: MemberStatus::Active,
        created_at: Utc::now(),
    };
    s.create_member(&owner, &noted()).await.unwrap();
    let plain = webhook(&child.id, "plain", false);
    let owned = Webhook { owner_id: Some(owner.id.clone()), ..webhook(&child.id, "owned", false) };
    let other_type = Webhook { event_types: vec!["user.deleted".into()], ..webhook(&child.id, "other", false) };
    let test_env = Webhook { environment: Environment::Test, ..webhook(&child.id, "test", false) };
    let parent_all = Webhook { include_child_orgs: true, ..webhook(&parent.id, "parent-all", false) };
    let parent_own = webhook(&parent.id, "parent-own", false);
    for w in [&plain, &owned, &other_type, &test_env, &parent_all, &parent_own] {
        s.create_webhook(w, &noted()).await.unwrap();
    }
    async fn names(s: &dyn Store, child: &OrgId, parent: &OrgId, p: Published) -> Vec<String> {
        let mut names = vec![];
        for d in p.deliveries {
            let d = s.get_delivery(child, &d).await.unwrap();
            let w = match s.get_webhook(child, &d.webhook_id).await {
                Ok(w) => w,
                Err(_) => s.get_webhook(parent, &d.webhook_id).await.unwrap(),
            };
            names.push(w.name);
        }
        names.sort();
        names
    }
    let (c, p) = (&child.id, &parent.id);
    let everyone = s.publish(&event(c, None), &Audience::Subscribers).await.unwrap();
    assert_eq!(names(s, c, p, everyone).await, vec!["owned", "parent-all", "plain"]);
    let sales = Event { visible_to: vec!["group:sales".into()], ..event(c, None) };
    assert_eq!(names(s, c, p, s.publish(&sales, &Audience::Subscribers).await.unwrap()).await, vec!["owned"]);
    let test = Event { environment: Environment::Test, ..event(c, None) };
    assert_eq!(names(s, c, p, s.publish(&test, &Audience::Subscribers).await.unwrap()).await, vec!["test"]);
}

pub async fn deleting_webhooks_fails_their_pending_deliveries(s: &dyn Store) {
    let a = org(s, None).await;
    let b = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let d = publish_one(s, &w).await;
    let gone = |org: &OrgId| vec![(w.id.clone(), build::audit(org, "webhook.deleted", &w.id))];
    assert!(matches!(s.delete_webhooks(&b.id, &gone(&b.id)).await, Err(StoreError::NotFound)), "not B's to delete");
    assert_eq!(s.get_delivery(&a.id, &d.id).await.unwrap().state, DeliveryState::Pending);
    // All or none: with one that is not there, the other stays.
    let mut both = gone(&a.id);
    both.push((WebhookId::new(), noted()));
    assert!(matches!(s.delete_webhooks(&a.id, &both).await, Err(StoreError::NotFound)));
    assert!(s.get_webhook(&a.id, &w.id).await.is_ok());
    s.delete_webhooks(&a.id, &gone(&a.id)).await.unwrap();
    assert_eq!(s.get_delivery(&a.id, &d.id).await.unwrap().state, DeliveryState::Failed);
    assert!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().is_empty());
    assert!(matches!(s.get_webhook(&a.id, &w.id).await, Err(StoreError::NotFound)));
}

pub async fn attempt_history_filters_and_searches(s: &dyn Store) {
    let a = org(s, None).await;
    let w1 = Webhook { name: "Billing sync".into(), ..webhook(&a.id, "one", false) };
    let w2 = webhook(&a.id, "two", false);
    s.create_webhook(&w1, &noted()).await.unwrap();
    s.create_webhook(&w2, &noted()).await.unwrap();
    let mut records = vec![];
    for (w, status, event_type) in
        [(&w1, 200, "user.created"), (&w1, 500, "user_created"), (&w2, 404, "user.created"), (&w2, 200, "order.paid")]
    {
        let d = publish_one(s, w).await;
        let a = Attempt { event_types: vec![event_type.into()], ..attempt(&d, status, &w.url) };
        records.push(record(&d, Some(a), Outcome::Succeeded));
    }
    s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    s.record_attempts(records.into()).await.unwrap();
    let org_id = a.id.clone();
    let all = |f: AttemptFilter, q: Option<&str>, sort: AttemptSort, order: Order| {
        let req = PageRequest { limit: 50, cursor: None, sort, order, q: q.map(str::to_owned) };
        let org_id = org_id.clone();
        async move { s.list_attempts(&org_id, &f, &req).await.unwrap().data }
    };
    assert_eq!(all(AttemptFilter::default(), None, AttemptSort::SentAt, Order::Asc).await.len(), 4);
    let one = all(
        AttemptFilter { webhook_id: Some(w1.id.clone()), succeeded: None, ..Default::default() },
        None,
        AttemptSort::SentAt,
        Order::Asc,
    )
    .await;
    assert_eq!(one.len(), 2);
    assert!(
        one.iter().all(|x| x.webhook_id == w1.id && x.request_body == RequestBody::Text(String::new())),
        "the list leaves bodies out"
    );
    let failed = all(
        AttemptFilter { webhook_id: None, succeeded: Some(false), ..Default::default() },
        None,
        AttemptSort::Result,
        Order::Desc,
    )
    .await;
    assert_eq!(failed.iter().map(|x| x.response_status.unwrap()).collect::<Vec<_>>(), vec![500, 404]);
    assert_eq!(all(AttemptFilter::default(), Some("two.example"), AttemptSort::Url, Order::Asc).await.len(), 2);
    // One delivery's attempts, and a time range (IDs begin with their time).
    let of_one = AttemptFilter {
        webhook_id: Some(w1.id.clone()),
        delivery_id: Some(one[1].delivery_id.clone()),
        ..Default::default()
    };
    let just = all(of_one, None, AttemptSort::SentAt, Order::Asc).await;
    assert_eq!(just.iter().map(|x| &x.id).collect::<Vec<_>>(), vec![&one[1].id]);
    let later = Utc::now() + chrono::TimeDelta::minutes(1);
    let future = AttemptFilter { since: Some(later), ..Default::default() };
    assert!(all(future, None, AttemptSort::SentAt, Order::Asc).await.is_empty());
    let past =
        AttemptFilter { until: Some(later), since: Some(later - chrono::TimeDelta::hours(1)), ..Default::default() };
    assert_eq!(all(past, None, AttemptSort::SentAt, Order::Asc).await.len(), 4);
    // By event type (its `.` and `_` are no wildcards), by result, and searched by type and
    // by the webhook's name.
    let statuses = |found: Vec<Attempt>| found.iter().map(|x| x.response_status.unwrap()).collect::<Vec<_>>();
    let typed = AttemptFilter { event_type: Some("user.created".into()), ..Default::default() };
    assert_eq!(statuses(all(typed, None, AttemptSort::Result, Order::Asc).await), vec![200, 404]);
    for (result, want) in [("2xx", vec![200, 200]), ("4xx", vec![404]), ("500", vec![500]), ("timeout", vec![])] {
        let f = AttemptFilter { result: ResultFilter::parse(result), ..Default::default() };
        assert_eq!(statuses(all(f, None, AttemptSort::Result, Order::Asc).await), want, "{result}");
    }
    assert_eq!(
        statuses(all(AttemptFilter::default(), Some("order.paid"), AttemptSort::Result, Order::Asc).await),
        [200]
    );
    let by_name = all(AttemptFilter::default(), Some("billing SYNC"), AttemptSort::SentAt, Order::Asc).await;
    assert_eq!(by_name.iter().map(|x| &x.webhook_id).collect::<Vec<_>>(), [&w1.id, &w1.id]);
    assert_eq!(one[0].event_types, ["user.created"], "an attempt keeps its events' types");
    let detail = s.get_attempt(&a.id, &one[0].id).await.unwrap();
    assert_eq!(detail.response_body, "ok");
    assert_eq!(detail.request_headers[0].0, "webhook-id");
    let b = org(s, None).await;
    assert!(matches!(s.get_attempt(&b.id, &one[0].id).await, Err(StoreError::NotFound)));
    assert!(s.list_attempts(&b.id, &AttemptFilter::default(), &PageRequest::default()).await.unwrap().data.is_empty());
}

pub async fn rendered_request_bodies_are_made_again_from_their_events(s: &dyn Store) {
    let parent = org(s, None).await;
    let child = org(s, Some(&parent.id)).await;
    let w = Webhook { include_child_orgs: true, ..webhook(&parent.id, "Orders", false) };
    s.create_webhook(&w, &noted()).await.unwrap();
    let own = Event { payload: r#"{"n": 1, "name": "Ada"}"#.into(), ..event(&parent.id, None) };
    let childs = Event { payload: r#"{"n": 2}"#.into(), ..event(&child.id, None) };
    for e in [&own, &childs] {
        s.publish(e, &Audience::Subscribers).await.unwrap();
    }
    let claims = s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(claims.len(), 2);
    let recipe = hookd_core::envelope::Recipe {
        payload: PayloadFormat::Envelope,
        content_type: ContentType::Json,
        webhook_name: "Orders".into(),
    };
    let batch = Attempt {
        event_ids: vec![childs.id.clone(), own.id.clone()],
        request_body: RequestBody::Rendered(recipe.clone()),
        ..attempt(&claims[0].delivery, 200, &w.url)
    };
    // As the dispatcher records a batch: one attempt a delivery, all with the batch's body.
    let records: Vec<_> = claims
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = if i == 0 { batch.id.clone() } else { AttemptId::new() };
            let a = Attempt { id, delivery_id: c.delivery.id.clone(), ..batch.clone() };
            record(&c.delivery, Some(a), Outcome::Succeeded)
        })
        .collect();
    s.record_attempts(records.into()).await.unwrap();
    // Renamed since: the body shows the name it was sent with.
    let renamed = WebhookEdit { name: Some("Renamed".into()), ..WebhookEdit::new(parent.id.clone(), w.id.clone()) };
    s.edit_webhook(&renamed).await.unwrap();
    let read = s.get_attempt(&parent.id, &batch.id).await.unwrap();
    let sent = recipe.render(&w.id, &parent.id, &[&childs, &own]).body;
    assert_eq!(read.request_body, RequestBody::Text(history_text(sent.clone())));
    let RequestBody::Text(text) = &read.request_body else { unreachable!() };
    assert!(text.contains(r#""name":"Orders""#) && text.find(r#"{"n": 2}"#) < text.find(r#""name": "Ada""#), "{text}");
    assert!(matches!(s.get_attempt(&child.id, &batch.id).await, Err(StoreError::NotFound)));
}

pub async fn retention_prunes_old_finished_work_only(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let old_t = Utc::now() - chrono::Duration::days(40);
    let old_ms = old_t.timestamp_millis() as u64;
    let old_event =
        |n: u64| Event { id: EventId::at(old_ms + n), created_at: old_t, occurred_at: old_t, ..event(&a.id, None) };
    let done = s.publish(&old_event(0), &Audience::Webhook(w.id.clone())).await.unwrap();
    let waiting = s.publish(&old_event(1), &Audience::Webhook(w.id.clone())).await.unwrap();
    assert_eq!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().len(), 2);
    let done_d = s.get_delivery(&a.id, &done.deliveries[0]).await.unwrap();
    let old_attempt = Attempt { id: AttemptId::at(old_ms), sent_at: old_t, ..attempt(&done_d, 200, &w.url) };
    s.record_attempts(vec![record(&done_d, Some(old_attempt.clone()), Outcome::Succeeded)].into()).await.unwrap();
    let prune_all = |cutoff| async move {
        let mut removed = 0;
        loop {
            let n = s.prune(cutoff, 1).await.unwrap();
            if n == 0 {
                return removed;
            }
            removed += n;
        }
    };
    // The old delivery was finished just now (as by a late re-send): it and its event stay
    // while the history may still show an attempt made of them.
    // With it go its health counts, older than any stats window reads: two keys in two grains.
    assert_eq!(prune_all(Utc::now() - chrono::Duration::days(30)).await, 1 + 4, "the old attempt");
    assert!(matches!(s.get_attempt(&a.id, &old_attempt.id).await, Err(StoreError::NotFound)));
    assert!(s.get_delivery(&a.id, &done_d.id).await.is_ok());
    assert!(s.get_event(&a.id, &done.event_id).await.is_ok());

    // Times are kept to the millisecond: the cutoff falls between the work above and below.
    let cutoff = next_millisecond(Utc::now()).await;
    next_millisecond(cutoff).await;
    let fresh = publish_one(s, &w).await;
    assert_eq!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().len(), 1);
    let new_attempt = attempt(&fresh, 200, &w.url);
    s.record_attempts(vec![record(&fresh, Some(new_attempt.clone()), Outcome::Succeeded)].into()).await.unwrap();
    assert_eq!(prune_all(cutoff).await, 2, "the finished delivery and its event");
    assert!(matches!(s.get_delivery(&a.id, &done_d.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.get_event(&a.id, &done.event_id).await, Err(StoreError::NotFound)));
    // Work still owed is never pruned, however old; new work is kept.
    assert_eq!(s.get_delivery(&a.id, &waiting.deliveries[0]).await.unwrap().state, DeliveryState::Pending);
    assert!(s.get_event(&a.id, &waiting.event_id).await.is_ok());
    assert!(s.get_attempt(&a.id, &new_attempt.id).await.is_ok());
    assert!(s.get_delivery(&a.id, &fresh.id).await.is_ok());
}

/// Returns the clock's time once it has passed `t`'s millisecond.
pub(crate) async fn next_millisecond(t: chrono::DateTime<Utc>) -> chrono::DateTime<Utc> {
    loop {
        let now = Utc::now();
        if now.timestamp_millis() > t.timestamp_millis() {
            return now;
        }
        tokio::task::yield_now().await;
    }
}
