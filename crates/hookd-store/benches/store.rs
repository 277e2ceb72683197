//! The store's hot path on SQLite: publish, claim and record, in batches of 100, on a real
//! file in a temp dir. `cargo bench -p hookd-store`.

mod common;

use std::time::Duration;

use common::{event, fixture};
use hookd_store::{AttemptRecord, Audience};

fn main() {
    divan::main();
}

/// 100 concurrent publishes (they share group commits, as under load).
#[divan::bench(sample_count = 20)]
fn publish_100(b: divan::Bencher) {
    let f = fixture();
    b.bench_local(|| {
        f.rt.block_on(async {
            let tasks: Vec<_> = (0..100)
                .map(|_| {
                    let (s, e) = (f.store.clone(), event(&f.webhook.org_id));
                    tokio::spawn(async move { s.publish(&e, &Audience::Subscribers).await.unwrap() })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        })
    });
}

/// Claims 100 due deliveries and record a success for each, as the dispatcher does.
#[divan::bench(sample_count = 20)]
fn claim_and_record_100(b: divan::Bencher) {
    let f = fixture();
    b.with_inputs(|| {
        f.rt.block_on(async {
            for _ in 0..100 {
                f.store.publish(&event(&f.webhook.org_id), &Audience::Subscribers).await.unwrap();
            }
        })
    })
    .bench_local_values(|()| {
        f.rt.block_on(async {
            let claims =
                f.store.claim_due("bench", Duration::from_secs(60), 100, &hookd_store::Saturated::NONE).await.unwrap();
            let records: Vec<_> = claims.iter().map(|c| common::success(&c.delivery, &c.webhook.name)).collect();
            f.store.record_attempts(records.into()).await.unwrap();
        })
    });
}

/// The first page (50) of one webhook's history when it has 1,000,000 attempts, as the
/// history API asks for it (newest first). The fixture writes the attempts in batches of
/// 1,000 through `record_attempts`, the dispatcher's own path.
#[divan::bench(sample_count = 50)]
fn history_first_page_of_1m(b: divan::Bencher) {
    let f = fixture();
    f.rt.block_on(async {
        for _ in 0..1_000 {
            let records: Vec<AttemptRecord> = (0..1_000).map(|_| common::history_entry(&f.webhook)).collect();
            f.store.record_attempts(records.into()).await.unwrap();
        }
    });
    let filter =
        hookd_store::AttemptFilter { webhook_id: Some(f.webhook.id.clone()), succeeded: None, ..Default::default() };
    let req = hookd_store::PageRequest {
        limit: 50,
        cursor: None,
        sort: hookd_store::AttemptSort::SentAt,
        order: hookd_store::Order::Desc,
        q: None,
    };
    b.bench_local(|| {
        let page = f.rt.block_on(f.store.list_attempts(&f.webhook.org_id, &filter, &req)).unwrap();
        assert_eq!(page.data.len(), 50);
    });
}
