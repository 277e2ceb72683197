//! Batching that batches: the claims of a webhook that takes several events a request wait,
//! up to its `batch_window_ms` from the first of them, for others to fill the request. A
//! batch goes as soon as it is full, so a burst goes out in full batches whatever the timing
//! of its events, and a lone event waits no longer than the window.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hookd_core::WebhookId;
use hookd_store::LeasedDelivery;

/// The batches being filled, by webhook. Owned by the dispatcher's loop alone.
#[derive(Default)]
pub(crate) struct Batches {
    open: HashMap<WebhookId, Filling>,
}

struct Filling {
    until: Instant,
    claims: Vec<LeasedDelivery>,
}

impl Batches {
    /// Takes in new claims; returns the requests to send now: each claim of a webhook that
    /// sends one event a request, and every batch that is now full.
    pub(crate) fn add(&mut self, claims: Vec<LeasedDelivery>, now: Instant) -> Vec<Vec<LeasedDelivery>> {
        let mut ready = Vec::new();
        for c in claims {
            let max = c.webhook.options.max_events_per_request.max(1) as usize;
            if max == 1 {
                ready.push(vec![c]);
                continue;
            }
            let window = Duration::from_millis(c.webhook.options.batch_window_ms.into());
            let id = c.webhook.id.clone();
            let filling =
                self.open.entry(id.clone()).or_insert_with(|| Filling { until: now + window, claims: vec![] });
            filling.claims.push(c);
            if filling.claims.len() >= max {
                ready.push(std::mem::take(&mut filling.claims));
                self.open.remove(&id);
            }
        }
        ready
    }

    /// The batches whose window has ended by `now`, as full as they got.
    pub(crate) fn due(&mut self, now: Instant) -> Vec<Vec<LeasedDelivery>> {
        let ended: Vec<WebhookId> =
            self.open.iter().filter(|(_, f)| f.until <= now).map(|(id, _)| id.clone()).collect();
        ended.iter().filter_map(|id| self.open.remove(id)).map(|f| f.claims).collect()
    }

    /// When the next window ends.
    pub(crate) fn next_due(&self) -> Option<Instant> {
        self.open.values().map(|f| f.until).min()
    }

    /// Every claim still waiting, for a stopping dispatcher to give back.
    pub(crate) fn drain(&mut self) -> Vec<LeasedDelivery> {
        self.open.drain().flat_map(|(_, f)| f.claims).collect()
    }
}
