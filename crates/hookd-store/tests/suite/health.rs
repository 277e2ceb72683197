//! Health counts: written with the attempts they count, read per webhook or per org, pruned
//! by age.

use chrono::Utc;
use hookd_core::health::{Grain, Stats, Stored, Window};
use hookd_core::model::*;
use hookd_store::*;

use super::build::{noted, webhook};
use super::{LONG, attempt, org, publish_one, record};

/// Every count of one key in `counts`.
fn sum(counts: &[Stored], key: &str) -> u64 {
    counts.iter().filter(|c| c.key == key).map(|c| c.n).sum()
}

pub async fn health_counts_what_was_recorded_per_webhook_and_org(s: &dyn Store) {
    let (a, b) = (org(s, None).await, org(s, None).await);
    let (w1, w2, wb) = (webhook(&a.id, "one", false), webhook(&a.id, "two", false), webhook(&b.id, "b", false));
    for w in [&w1, &w2, &wb] {
        s.create_webhook(w, &noted()).await.unwrap();
    }
    let mut sends = vec![];
    for (w, outcomes) in [(&w1, &[200, 200, 200, 500, 0][..]), (&w2, &[404][..]), (&wb, &[200][..])] {
        for status in outcomes {
            sends.push((publish_one(s, w).await, *status, w.url.clone()));
        }
    }
    assert_eq!(s.claim_due("n", LONG, 100, &Saturated::NONE).await.unwrap().len(), sends.len());
    // Two batches, the second adding to the buckets the first made.
    let records: Vec<AttemptRecord> = sends
        .iter()
        .enumerate()
        .map(|(i, (d, status, url))| {
            let mut a = attempt(d, *status, url);
            a.duration_us = [1_000, 2_000, 100_000][i % 3];
            if *status == 0 {
                a.response_status = None;
                a.error = Some(AttemptError { kind: AttemptErrorKind::Timeout, message: "timed out".into() });
            }
            record(d, Some(a), Outcome::Failed)
        })
        .collect();
    let (first, second) = records.split_at(2);
    s.record_attempts(first.to_vec().into()).await.unwrap();
    s.record_attempts(second.to_vec().into()).await.unwrap();

    let since = Utc::now() - chrono::Duration::hours(1);
    for grain in Grain::ALL {
        let one = s.health(&a.id, Some(std::slice::from_ref(&w1.id)), grain, since).await.unwrap();
        assert!(one.iter().all(|c| c.webhook_id == w1.id));
        let counted = [("r:2xx", 3), ("r:5xx", 1), ("r:timeout", 1), ("r:4xx", 0)];
        for (key, n) in counted {
            assert_eq!(sum(&one, key), n, "{key} in {grain:?}");
        }
        let latencies: u64 = one.iter().filter(|c| c.key.starts_with("l:")).map(|c| c.n).sum();
        assert_eq!(latencies, 5, "one latency count an attempt");

        let org_wide = s.health(&a.id, None, grain, since).await.unwrap();
        assert_eq!(sum(&org_wide, "r:4xx"), 1, "the org's other webhook");
        assert!(org_wide.iter().all(|c| c.webhook_id != wb.id), "another org's webhook");
        // Those named only (a page of a list), and never another org's through this org.
        let named = s.health(&a.id, Some(&[w2.id.clone(), wb.id.clone()]), grain, since).await.unwrap();
        assert!(!named.is_empty() && named.iter().all(|c| c.webhook_id == w2.id), "{named:?}");
        // Another org's webhook is not read through this org, nor this org's through another.
        assert!(s.health(&a.id, Some(std::slice::from_ref(&wb.id)), grain, since).await.unwrap().is_empty());
        assert!(s.health(&b.id, Some(std::slice::from_ref(&w1.id)), grain, since).await.unwrap().is_empty());
    }
    let now = Utc::now().timestamp_millis();
    let w = Window::Hour;
    let counts = s.health(
        &a.id,
        Some(std::slice::from_ref(&w1.id)),
        w.grain(),
        chrono::DateTime::from_timestamp_millis(w.start(now)).unwrap(),
    );
    let counts = counts.await.unwrap();
    let stats = Stats::from_counts(w, now, counts.iter().map(|c| (c.start_ms, c.key.as_str(), c.n)));
    assert_eq!((stats.totals.attempts, stats.totals.succeeded, stats.totals.failed), (5, 3, 2));
    assert_eq!(stats.totals.success_rate, Some(0.6));
    let p95 = stats.totals.p95_ms.unwrap();
    assert!((91.0..=109.0).contains(&p95), "p95 of 1, 2, 100, 1, 2 ms: {p95}");
}

pub async fn health_counts_are_pruned_when_their_grain_is_no_longer_read(s: &dyn Store) {
    let a = org(s, None).await;
    let w = webhook(&a.id, "w", false);
    s.create_webhook(&w, &noted()).await.unwrap();
    let d = publish_one(s, &w).await;
    assert_eq!(s.claim_due("n", LONG, 10, &Saturated::NONE).await.unwrap().len(), 1);
    // Sent two days ago: past what five-minute buckets are kept for, within hourly ones.
    let then = Utc::now() - chrono::Duration::days(2);
    let old = Attempt { sent_at: then, ..attempt(&d, 200, &w.url) };
    s.record_attempts(vec![record(&d, Some(old), Outcome::Succeeded)].into()).await.unwrap();
    let since = then - chrono::Duration::hours(2);
    assert_eq!(
        sum(&s.health(&a.id, Some(std::slice::from_ref(&w.id)), Grain::FiveMinutes, since).await.unwrap(), "r:2xx"),
        1
    );
    // History older than a year goes (none here); health counts go by their own clock.
    let mut removed = 0;
    loop {
        match s.prune(Utc::now() - chrono::Duration::days(365), 1).await.unwrap() {
            0 => break,
            n => removed += n,
        }
    }
    assert_eq!(removed, 2, "the five-minute bucket's result and latency counts");
    assert!(s.health(&a.id, Some(std::slice::from_ref(&w.id)), Grain::FiveMinutes, since).await.unwrap().is_empty());
    assert_eq!(sum(&s.health(&a.id, Some(std::slice::from_ref(&w.id)), Grain::Hour, since).await.unwrap(), "r:2xx"), 1);
}

pub async fn filters_choose_subscribers_and_count_what_they_refused(s: &dyn Store) {
    use hookd_core::filter::Filter;
    let a = org(s, None).await;
    let big = Filter::parse(&serde_json::json!({"payload.amount": {"$gt": 100}})).unwrap();
    let all = webhook(&a.id, "all", false);
    let filtered = Webhook { filter: Some(big.clone()), ..webhook(&a.id, "big", false) };
    for w in [&all, &filtered] {
        s.create_webhook(w, &noted()).await.unwrap();
    }
    assert_eq!(s.get_webhook(&a.id, &filtered.id).await.unwrap().filter, Some(big));
    let publish = |amount: u32, key: Option<&'static str>| {
        let e = Event { payload: format!(r#"{{"amount": {amount}}}"#), ..super::event(&a.id, key) };
        async move { s.publish(&e, &Audience::Subscribers).await.unwrap() }
    };
    let mut reached = vec![];
    for (amount, key) in [(50, Some("small")), (150, None), (20, None), (50, Some("small"))] {
        let p = publish(amount, key).await;
        for d in p.deliveries.iter().filter(|_| !p.replayed) {
            reached.push((amount, s.get_delivery(&a.id, d).await.unwrap().webhook_id == filtered.id));
        }
        // The replay of a refused event refuses nothing again.
        assert_eq!(p.filtered, usize::from(amount <= 100 && !p.replayed), "{amount}");
    }
    reached.sort();
    assert_eq!(reached, vec![(20, false), (50, false), (150, false), (150, true)]);

    let since = Utc::now() - chrono::Duration::hours(1);
    for grain in Grain::ALL {
        let counts = s.health(&a.id, Some(std::slice::from_ref(&filtered.id)), grain, since).await.unwrap();
        assert_eq!(sum(&counts, "f"), 2, "{grain:?}");
        let others = s.health(&a.id, Some(std::slice::from_ref(&all.id)), grain, since).await.unwrap();
        assert_eq!(sum(&others, "f"), 0);
    }
    let stats = Stats::from_counts(
        Window::Hour,
        Utc::now().timestamp_millis(),
        s.health(&a.id, None, Window::Hour.grain(), since)
            .await
            .unwrap()
            .iter()
            .map(|c| (c.start_ms, c.key.as_str(), c.n)),
    );
    assert_eq!((stats.totals.filtered, stats.totals.attempts), (2, 0));

    // A test send goes to its webhook whatever the filter says; a filter removed lets all through.
    assert_eq!(publish_one(s, &filtered).await.webhook_id, filtered.id);
    let edit = WebhookEdit { filter: Some(None), ..WebhookEdit::new(a.id.clone(), filtered.id.clone()) };
    s.edit_webhook(&edit).await.unwrap();
    assert_eq!(s.get_webhook(&a.id, &filtered.id).await.unwrap().filter, None);
    let p = publish(5, None).await;
    assert_eq!((p.deliveries.len(), p.filtered), (2, 0));
}
