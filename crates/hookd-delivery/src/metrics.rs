//! Counters for `/metrics`, updated lock-free on the hot path.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Metrics {
    pub events_published: AtomicU64,
    pub deliveries_created: AtomicU64,
    pub attempts_total: AtomicU64,
    pub attempts_succeeded: AtomicU64,
    pub attempts_failed: AtomicU64,
    pub deliveries_failed: AtomicU64,
    pub webhooks_disabled: AtomicU64,
    pub in_flight: AtomicU64,
    /// Sum of attempt durations in milliseconds, for an average.
    pub attempt_ms_total: AtomicU64,
    /// Writes of attempt records that failed (each is tried again).
    pub recording_failures: AtomicU64,
    /// Why attempts cannot be recorded, while they cannot: this node sends nothing meanwhile.
    stalled: std::sync::Mutex<Option<String>>,
    /// Whether `stalled` holds a reason: read lock-free on every turn of the dispatcher.
    is_stalled: std::sync::atomic::AtomicBool,
    /// Whether a write found the database's disk full, until a write goes through again.
    full: std::sync::atomic::AtomicBool,
    /// Webhooks whose receivers keep timing out, and whose circuits are open, on this node.
    pub circuits: crate::shares::Circuits,
}

impl Metrics {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// Whether this node has stopped sending (see [`Metrics::stalled`]), without a lock.
    pub fn is_stalled(&self) -> bool {
        self.is_stalled.load(Ordering::Acquire)
    }

    /// Why this node has stopped sending, if it has: its attempts cannot be recorded.
    pub fn stalled(&self) -> Option<String> {
        if !self.is_stalled.load(Ordering::Acquire) {
            return None;
        }
        self.stalled.lock().ok().and_then(|s| s.clone())
    }

    /// Whether a write found the database's disk full since the last one that went through.
    pub fn is_full(&self) -> bool {
        self.full.load(Ordering::Relaxed)
    }

    /// Notes whether the last write found the disk full.
    pub fn set_full(&self, full: bool) {
        self.full.store(full, Ordering::Relaxed);
    }

    pub(crate) fn set_stalled(&self, why: Option<String>) {
        if why.is_none() && !self.is_stalled.load(Ordering::Acquire) {
            return;
        }
        if let Ok(mut s) = self.stalled.lock() {
            self.is_stalled.store(why.is_some(), Ordering::Release);
            *s = why;
        }
    }
}
