//! The SQLite writer's work for one delivery, as the server does it: 10 events published at
//! once to an org with `WEBHOOKS` webhooks (default 10, the fan-out run; 1 is the E=1 run),
//! each delivery leased to the publishing node, then one record of the successful attempts;
//! `ROUNDS` times (default 50).
//!
//! Timings on a shared 2-core machine swing by half between hours; instruction counts do not:
//!
//! ```text
//! cargo build --release -p hookd-store --example hot_path
//! valgrind --tool=callgrind target/release/examples/hot_path 10
//! valgrind --tool=callgrind target/release/examples/hot_path 60
//! ```
//!
//! The difference of the two totals over 50 x 10 x `WEBHOOKS` is the instructions a delivery
//! costs the store. `hot_path ROUNDS 1` counts the E=1 shape.

#[path = "../benches/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::Duration;

use hookd_store::{Audience, LeaseTerms};

const EVENTS_AT_ONCE: usize = 10;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = |i: usize, default: usize| match std::env::args().nth(i).map(|a| a.parse()) {
        None => default,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: hot_path [ROUNDS [WEBHOOKS]]  (whole numbers above 0)");
            std::process::exit(2);
        }
    };
    let (rounds, webhooks) = (arg(1, 50), arg(2, 10));
    let f = common::fixture_with(webhooks);
    let lease = Arc::new(LeaseTerms { node: "bench".into(), duration: Duration::from_secs(60), max: 1_000 });
    f.rt.block_on(async {
        for _ in 0..rounds {
            let publishes: Vec<_> = (0..EVENTS_AT_ONCE)
                .map(|_| {
                    let (store, e, lease) = (f.store.clone(), common::event(&f.webhook.org_id), lease.clone());
                    tokio::spawn(async move { store.publish_leased(&e, &Audience::Subscribers, Some(&lease)).await })
                })
                .collect();
            let mut records = Vec::with_capacity(EVENTS_AT_ONCE * webhooks);
            for p in publishes {
                let published = p.await??;
                assert_eq!(published.leased.len(), webhooks, "every delivery is leased to this node");
                records.extend(published.leased.iter().map(|l| common::success(&l.delivery, "bench")));
            }
            f.store.record_attempts(records.into()).await?;
        }
        Ok(())
    })
}
