//! `poll` webhooks: deliveries that wait for a consumer to pull them.

use hookd_core::model::*;
use hookd_core::secret::SealedSecret;
use hookd_store::*;

use super::build::{noted, webhook};
use super::{LONG, attempt, event, org, record};

pub async fn pulled_deliveries_wait_for_their_consumer(s: &dyn Store) {
    let a = org(s, None).await;
    let pulled = Webhook { destination_kind: DestinationKind::Poll, ..webhook(&a.id, "pulled", false) };
    let pushed = webhook(&a.id, "pushed", false);
    for w in [&pulled, &pushed] {
        s.create_webhook(w, &noted()).await.unwrap();
    }
    let lease = LeaseTerms { node: "node-a".into(), duration: LONG, max: 100 };
    let mut published = vec![];
    for _ in 0..3 {
        let p = s.publish_leased(&event(&a.id, None), &Audience::Subscribers, Some(&lease)).await.unwrap();
        assert_eq!((p.deliveries.len(), p.leased.len()), (2, 1), "only the pushed webhook's delivery is leased");
        assert!(p.leased.iter().all(|l| l.delivery.webhook_id == pushed.id));
        published.extend(p.deliveries);
    }
    s.release_leases("node-a", &published).await.unwrap();
    let claimed = s.claim_due("node-b", LONG, 100, &Saturated::NONE).await.unwrap();
    assert_eq!(claimed.len(), 3);
    assert!(claimed.iter().all(|c| c.webhook.id == pushed.id), "no claim reaches a pulled delivery");

    // A pull hands out the oldest first; without an iterator it starts again from the oldest.
    let first = s.pull_next(&a.id, &pulled.id, None, 2).await.unwrap();
    assert_eq!(first.len(), 2);
    assert!(first[0].0.id < first[1].0.id);
    assert!(first.iter().all(|(d, e)| d.webhook_id == pulled.id && d.event_id == e.id));
    let again = s.pull_next(&a.id, &pulled.id, None, 10).await.unwrap();
    assert_eq!(again.len(), 3, "nothing is acknowledged until an iterator says so");
    assert_eq!(again[0].0.id, first[0].0.id);
    let other = org(s, None).await;
    assert!(s.pull_next(&other.id, &pulled.id, None, 10).await.unwrap().is_empty(), "scoped to the org");

    // The iterator acknowledges what was handed out up to it; the caller records them.
    let iterator = first[1].0.id.clone();
    let acked = s.pull_acknowledged(&a.id, &pulled.id, &iterator).await.unwrap();
    assert_eq!(acked.iter().map(|d| d.id.clone()).collect::<Vec<_>>(), vec![first[0].0.id.clone(), iterator.clone()]);
    let records: Vec<_> = acked.iter().map(|d| record(d, Some(attempt(d, 200, "poll")), Outcome::Succeeded)).collect();
    s.record_attempts(records.into()).await.unwrap();
    let rest = s.pull_next(&a.id, &pulled.id, Some(&iterator), 10).await.unwrap();
    assert_eq!(rest.len(), 1);
    assert!(rest[0].0.id > iterator);
    assert_eq!(s.get_delivery(&a.id, &first[0].0.id).await.unwrap().state, DeliveryState::Succeeded);

    // A delivery put back to wait (a re-send) comes with the next pull even before the iterator.
    let resent = s.resend_delivery(&a.id, &first[0].0.id, &noted()).await.unwrap();
    let claimed = s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap();
    assert_eq!(claimed.iter().map(|c| c.delivery.id.clone()).collect::<Vec<_>>(), vec![resent.id.clone()]);
    let back = chrono::DateTime::from_timestamp_millis(PULLED_AT_MS).unwrap();
    s.record_attempts(vec![record(&resent, None, Outcome::RetryAt(back))].into()).await.unwrap();
    let next = s.pull_next(&a.id, &pulled.id, Some(&iterator), 10).await.unwrap();
    let ids: Vec<_> = next.iter().map(|(d, _)| d.id.clone()).collect();
    assert_eq!(ids, vec![resent.id.clone(), rest[0].0.id.clone()]);

    // Made to push again, its waiting deliveries go out.
    let mut edit = WebhookEdit::new(a.id.clone(), pulled.id.clone());
    edit.destination = Some((DestinationKind::Redis, Some(SealedSecret(vec![7]))));
    let w = s.edit_webhook(&edit).await.unwrap();
    assert_eq!((w.destination_kind, w.destination), (DestinationKind::Redis, Some(SealedSecret(vec![7]))));
    let claimed = s.claim_due("node-b", LONG, 10, &Saturated::NONE).await.unwrap();
    let mut got: Vec<_> = claimed.iter().map(|c| c.delivery.id.clone()).collect();
    got.sort();
    assert_eq!(got, ids);
}
