//! The events listing: newest first, filtered, searched, paged, with deliveries counted.

use chrono::Utc;
use hookd_core::model::*;
use hookd_store::*;

use super::build::{noted, webhook};
use super::{LONG, attempt, event, next_millisecond, org, record};

fn ids(p: &Page<EventSummary>) -> Vec<String> {
    p.data.iter().map(|e| e.event.id.to_string()).collect()
}

pub async fn events_are_listed_newest_first_with_their_deliveries_counted(s: &dyn Store) {
    let (a, b) = (org(s, None).await, org(s, None).await);
    for name in ["one", "two"] {
        s.create_webhook(&webhook(&a.id, name, false), &noted()).await.unwrap();
    }
    let first = event(&a.id, None);
    let p = s.publish(&first, &Audience::Subscribers).await.unwrap();
    assert_eq!(p.deliveries.len(), 2);
    let claims = s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap();
    let records = claims
        .iter()
        .zip([Outcome::Succeeded, Outcome::Failed])
        .map(|(c, outcome)| record(&c.delivery, Some(attempt(&c.delivery, 200, &c.webhook.url)), outcome))
        .collect::<Vec<_>>();
    s.record_attempts(records.into()).await.unwrap();
    let quiet = Event { event_type: "user.updated".into(), ..event(&a.id, None) };
    s.publish(&quiet, &Audience::Subscribers).await.unwrap();
    let cutoff = next_millisecond(Utc::now()).await;
    next_millisecond(cutoff).await;
    let last = event(&a.id, None);
    s.publish(&last, &Audience::Subscribers).await.unwrap();

    let newest = PageRequest { limit: 2, order: Order::Desc, ..PageRequest::default() };
    let none = EventFilter::default();
    let page1 = s.list_events(&a.id, &none, &newest).await.unwrap();
    assert_eq!(ids(&page1), [last.id.to_string(), quiet.id.to_string()]);
    assert_eq!(
        page1.data[0].deliveries,
        DeliveryCounts { total: 2, succeeded: 0, failed: 0, pending: 2, cancelled: 0 }
    );
    assert_eq!(page1.data[1].deliveries, DeliveryCounts::default(), "no webhook wants user.updated");
    assert_eq!(page1.data[0].event.payload, "", "a list leaves payloads out");
    let cursor = page1.next_cursor.as_deref().and_then(Cursor::decode);
    let page2 = s.list_events(&a.id, &none, &PageRequest { cursor, ..newest.clone() }).await.unwrap();
    assert_eq!(ids(&page2), [first.id.to_string()]);
    assert_eq!(
        page2.data[0].deliveries,
        DeliveryCounts { total: 2, succeeded: 1, failed: 1, pending: 0, cancelled: 0 }
    );
    assert!(page2.next_cursor.is_none());

    let by_type = EventFilter { event_type: Some("user.updated".into()), ..Default::default() };
    assert_eq!(ids(&s.list_events(&a.id, &by_type, &newest).await.unwrap()), [quiet.id.to_string()]);
    let since = EventFilter { since: Some(cutoff), ..Default::default() };
    assert_eq!(ids(&s.list_events(&a.id, &since, &newest).await.unwrap()), [last.id.to_string()]);
    let until = EventFilter { until: Some(cutoff), ..Default::default() };
    assert_eq!(ids(&s.list_events(&a.id, &until, &newest).await.unwrap()).len(), 2);
    let search = PageRequest { q: Some(first.id.to_string()), ..newest.clone() };
    assert_eq!(ids(&s.list_events(&a.id, &none, &search).await.unwrap()), [first.id.to_string()]);
    assert!(s.list_events(&b.id, &none, &newest).await.unwrap().data.is_empty(), "another org's events");
}
