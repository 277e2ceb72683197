//! The SQLite writer's work for one delivery, as the server does it at fan-out: 10 events
//! published at once to an org with 10 webhooks, each delivery leased to the publishing node,
//! then one record of the 100 successful attempts; `ROUNDS` times (default 50).
//!
//! Timings on a shared 2-core machine swing by half between hours; instruction counts do not:
//!
//! ```text
//! cargo build --release -p hookd-store --example hot_path
//! valgrind --tool=callgrind target/release/examples/hot_path 10
//! valgrind --tool=callgrind target/release/examples/hot_path 60
//! ```
//!
//! The difference of the two totals over 5,000 is the instructions a delivery costs the store.

#[path = "../benches/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::Duration;

use hookd_store::{Audience, Lease};

const EVENTS_AT_ONCE: usize = 10;
const WEBHOOKS: usize = 10;

fn main() {
    let rounds: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 50,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("usage: hot_path [ROUNDS]  (ROUNDS: a whole number)");
            std::process::exit(2);
        }
    };
    let f = common::fixture_with(WEBHOOKS);
    let lease = Arc::new(Lease { node: "bench".into(), duration: Duration::from_secs(60), max: 1_000 });
    f.rt.block_on(async {
        for _ in 0..rounds {
            let publishes: Vec<_> = (0..EVENTS_AT_ONCE)
                .map(|_| {
                    let (store, e, lease) = (f.store.clone(), common::event(&f.webhook.org_id), lease.clone());
                    tokio::spawn(async move { store.publish_leased(&e, &Audience::Subscribers, Some(&lease)).await })
                })
                .collect();
            let mut records = Vec::with_capacity(EVENTS_AT_ONCE * WEBHOOKS);
            for p in publishes {
                let published = p.await.expect("publish task").expect("publish");
                assert_eq!(published.leased.len(), WEBHOOKS, "every delivery is leased to this node");
                records.extend(published.leased.iter().map(|l| common::success(&l.delivery, "bench")));
            }
            f.store.record_attempts(records).await.expect("record");
        }
    });
}
