//! How this node's request slots are shared, so that a receiver that never answers delays
//! only its own deliveries:
//!
//! - a webhook has at most `options.max_in_flight` requests out, and one while its circuit is
//!   open (its receiver timed out [`OPENS_AFTER`] times in a row);
//! - the orgs with requests out split the slots evenly (an org alone may use them all); once
//!   every slot is out, a quarter more ([`Shares::spare`]) are kept for orgs below their
//!   split: an org that took every slot, with receivers that hang, cannot keep a newcomer
//!   waiting, and orgs that compete come to even shares as requests end.
//!
//! Deliveries of a webhook or org that has its share out wait: handed ones in the hand-off, in
//! order, due ones in the database (claims pass over them), until a request of theirs ends.
//! One found over its share only once claimed goes back to the database. Shares and circuits
//! are this node's: each node of a cluster keeps its own, as it keeps its own slots.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use hookd_core::model::{Circuit, Webhook};
use hookd_core::{OrgId, WebhookId};
use hookd_store::Saturated;
use tokio::sync::Notify;

/// Timeouts in a row after which a webhook's circuit opens.
pub const OPENS_AFTER: u32 = 3;

pub struct Shares {
    slots: usize,
    held: Mutex<Held>,
    /// Whether a delivery was turned away since a share was last given back: the next one
    /// given back says so through `freed`, so the dispatcher claims again.
    turned_away: AtomicBool,
    freed: Notify,
}

#[derive(Default)]
struct Held {
    by_webhook: HashMap<WebhookId, Holding>,
    by_org: HashMap<OrgId, usize>,
}

struct Holding {
    out: usize,
    /// The webhook's cap when its last share was taken.
    cap: usize,
}

/// One request's share of the slots; given back when dropped.
pub struct Share {
    shares: Arc<Shares>,
    webhook: WebhookId,
    org: OrgId,
}

impl Shares {
    pub fn new(slots: usize) -> Self {
        Self { slots, held: Mutex::default(), turned_away: AtomicBool::new(false), freed: Notify::new() }
    }

    /// The most requests out an org may have while `orgs_out` orgs (itself among them) do.
    fn org_cap(&self, orgs_out: usize) -> usize {
        (self.slots / orgs_out.max(1)).max(1)
    }

    /// Slots beyond `slots`, for orgs below their share once every slot is out.
    pub fn spare(slots: usize) -> usize {
        (slots / 4).max(1)
    }

    /// A share for one request to `webhook`, unless it or its org has all it may have.
    pub fn take(self: &Arc<Self>, webhook: &Webhook, circuits: &Circuits) -> Option<Share> {
        let cap = if circuits.is_open(&webhook.id) { 1 } else { webhook.options.max_in_flight as usize };
        let cap = cap.clamp(1, self.slots);
        let mut held = self.held.lock().ok()?;
        let webhook_out = held.by_webhook.get(&webhook.id).map_or(0, |h| h.out);
        let org_out = held.by_org.get(&webhook.org_id).copied().unwrap_or(0);
        let orgs_out = held.by_org.len() + usize::from(org_out == 0);
        if webhook_out >= cap || org_out >= self.org_cap(orgs_out) {
            self.turned_away.store(true, Ordering::Relaxed);
            return None;
        }
        // Looked up before inserting: a key is copied only for a webhook or org with none out.
        match held.by_webhook.get_mut(&webhook.id) {
            Some(h) => *h = Holding { out: h.out + 1, cap },
            None => drop(held.by_webhook.insert(webhook.id.clone(), Holding { out: 1, cap })),
        }
        match held.by_org.get_mut(&webhook.org_id) {
            Some(out) => *out += 1,
            None => drop(held.by_org.insert(webhook.org_id.clone(), 1)),
        }
        Some(Share { shares: self.clone(), webhook: webhook.id.clone(), org: webhook.org_id.clone() })
    }

    /// How many more requests each webhook and org with requests out may have now, and an
    /// org with none out: what the dispatcher may take from the hand-off without turning any
    /// away.
    pub fn headroom(&self, circuits: &Circuits) -> Headroom {
        let Ok(held) = self.held.lock() else { return Headroom::default() };
        let org_cap = self.org_cap(held.by_org.len());
        let mut webhooks: HashMap<WebhookId, usize> =
            held.by_webhook.iter().map(|(id, h)| (id.clone(), h.cap.saturating_sub(h.out))).collect();
        // A webhook whose circuit is open gets one request, even with none out yet.
        for id in circuits.open_webhooks() {
            webhooks.entry(id).or_insert(1);
        }
        Headroom {
            new_org: self.org_cap(held.by_org.len() + 1),
            orgs: held.by_org.iter().map(|(id, out)| (id.clone(), org_cap.saturating_sub(*out))).collect(),
            webhooks,
        }
    }

    /// The webhooks and orgs that have all they may have: claims pass over them.
    pub fn saturated(&self) -> Saturated {
        let Ok(held) = self.held.lock() else { return Saturated::NONE };
        let org_cap = self.org_cap(held.by_org.len());
        Saturated {
            webhooks: held.by_webhook.iter().filter(|(_, h)| h.out >= h.cap).map(|(id, _)| id.clone()).collect(),
            orgs: held.by_org.iter().filter(|(_, out)| **out >= org_cap).map(|(id, _)| id.clone()).collect(),
        }
    }

    /// Notes that deliveries wait for a share: the next one given back wakes the dispatcher.
    pub(crate) fn note_waiting(&self) {
        self.turned_away.store(true, Ordering::Relaxed);
    }

    /// Resolves once a share is given back after a delivery was turned away.
    pub async fn freed(&self) {
        self.freed.notified().await
    }

    fn give_back(&self, webhook: &WebhookId, org: &OrgId) {
        if let Ok(mut held) = self.held.lock() {
            if let Some(h) = held.by_webhook.get_mut(webhook) {
                h.out -= 1;
                if h.out == 0 {
                    held.by_webhook.remove(webhook);
                }
            }
            if let Some(out) = held.by_org.get_mut(org) {
                *out -= 1;
                if *out == 0 {
                    held.by_org.remove(org);
                }
            }
        }
        if self.turned_away.swap(false, Ordering::Relaxed) {
            self.freed.notify_one();
        }
    }
}

/// A snapshot of [`Shares::headroom`], used up as deliveries are taken.
#[derive(Debug, Default)]
pub struct Headroom {
    /// For an org with no requests out.
    new_org: usize,
    orgs: HashMap<OrgId, usize>,
    /// Webhooks with requests out (one with none has its whole cap).
    webhooks: HashMap<WebhookId, usize>,
}

impl Headroom {
    /// Room for one more request to `webhook` of `org`, taken if there is.
    pub fn take(&mut self, webhook: &WebhookId, org: &OrgId) -> bool {
        if self.webhooks.get(webhook) == Some(&0) {
            return false;
        }
        let org_left = match self.orgs.get_mut(org) {
            Some(left) => left,
            None => self.orgs.entry(org.clone()).or_insert(self.new_org),
        };
        if *org_left == 0 {
            return false;
        }
        *org_left -= 1;
        if let Some(left) = self.webhooks.get_mut(webhook) {
            *left -= 1;
        }
        true
    }

    /// Whether `org` may have one more request out.
    pub fn org_has_room(&self, org: &OrgId) -> bool {
        self.orgs.get(org).map_or(self.new_org > 0, |left| *left > 0)
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        self.shares.give_back(&self.webhook, &self.org);
    }
}

/// Webhooks whose receivers time out, by how many times in a row, and since when their
/// circuit is open. Empty while every receiver answers: then each look is one atomic load.
#[derive(Debug, Default)]
pub struct Circuits {
    silent: Mutex<HashMap<WebhookId, Silence>>,
    /// How many webhooks `silent` holds.
    len: AtomicUsize,
    /// How many of them have an open circuit.
    open: AtomicUsize,
}

#[derive(Debug)]
struct Silence {
    timeouts_in_a_row: u32,
    open_since: Option<chrono::DateTime<chrono::Utc>>,
}

impl Circuits {
    /// Bounds the memory kept whatever the number of webhooks.
    const MAX: usize = 10_000;

    pub fn is_open(&self, webhook: &WebhookId) -> bool {
        self.open.load(Ordering::Relaxed) > 0 && matches!(self.of(webhook), Circuit::Open { .. })
    }

    /// The circuit of `webhook` on this node.
    pub fn of(&self, webhook: &WebhookId) -> Circuit {
        if self.len.load(Ordering::Relaxed) == 0 {
            return Circuit::Closed;
        }
        let Ok(silent) = self.silent.lock() else { return Circuit::Closed };
        match silent.get(webhook) {
            Some(Silence { open_since: Some(since), timeouts_in_a_row }) => {
                Circuit::Open { since: *since, timeouts_in_a_row: *timeouts_in_a_row }
            }
            _ => Circuit::Closed,
        }
    }

    /// The webhooks whose circuit is open on this node.
    pub fn open_webhooks(&self) -> Vec<WebhookId> {
        if self.open.load(Ordering::Relaxed) == 0 {
            return vec![];
        }
        let Ok(silent) = self.silent.lock() else { return vec![] };
        silent.iter().filter(|(_, s)| s.open_since.is_some()).map(|(id, _)| id.clone()).collect()
    }

    /// How many webhooks have an open circuit on this node.
    pub fn open_count(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Notes how a request to `webhook` ended: answered (whatever the status), or timed out.
    pub(crate) fn note(&self, webhook: &WebhookId, timed_out: bool) {
        if !timed_out && self.len.load(Ordering::Relaxed) == 0 {
            return;
        }
        let Ok(mut silent) = self.silent.lock() else { return };
        if !timed_out {
            if let Some(s) = silent.remove(webhook)
                && s.open_since.is_some()
            {
                self.open.fetch_sub(1, Ordering::Relaxed);
            }
        } else {
            if silent.len() >= Self::MAX && !silent.contains_key(webhook) {
                return;
            }
            let s = silent.entry(webhook.clone()).or_insert(Silence { timeouts_in_a_row: 0, open_since: None });
            s.timeouts_in_a_row += 1;
            if s.timeouts_in_a_row >= OPENS_AFTER && s.open_since.is_none() {
                s.open_since = Some(chrono::Utc::now());
                self.open.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.len.store(silent.len(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use hookd_core::model::WebhookOptions;

    use super::*;

    fn webhook(org: &OrgId, max_in_flight: u32) -> Webhook {
        let mut w = crate::build::webhook(org, "w", false);
        w.options = WebhookOptions { max_in_flight, ..WebhookOptions::default() };
        w
    }

    #[test]
    fn a_webhook_and_an_org_get_their_share_and_no_more() {
        let shares = Arc::new(Shares::new(8));
        let circuits = Circuits::default();
        let (a, b) = (OrgId::new(), OrgId::new());
        let (a1, a2, b1) = (webhook(&a, 2), webhook(&a, 32), webhook(&b, 32));
        let held: Vec<Share> = (0..2).filter_map(|_| shares.take(&a1, &circuits)).collect();
        assert_eq!(held.len(), 2);
        assert!(shares.take(&a1, &circuits).is_none(), "a1 has its two");
        assert_eq!(shares.saturated().webhooks, vec![a1.id.clone()]);
        // Alone, an org may have all 8 slots.
        let more: Vec<Share> = (0..8).filter_map(|_| shares.take(&a2, &circuits)).collect();
        assert_eq!(more.len(), 6);
        assert_eq!(shares.saturated().orgs, vec![a.clone()]);
        // Another org still gets shares: beside A, 8 split in two. (Shares do not count
        // slots: the dispatcher takes a slot, or a spare one, for each.)
        let b_held: Vec<Share> = (0..8).filter_map(|_| shares.take(&b1, &circuits)).collect();
        assert_eq!(b_held.len(), 4);
        let skip = shares.saturated();
        assert_eq!((skip.webhooks.len(), skip.orgs.len()), (1, 2), "a1, and both orgs at 4: {skip:?}");
        drop(held);
        assert!(!shares.saturated().webhooks.contains(&a1.id), "a1's shares are back");
        drop((more, b_held));
        let empty = shares.held.lock().unwrap();
        assert!(empty.by_webhook.is_empty() && empty.by_org.is_empty(), "every share given back");
    }

    #[test]
    fn a_circuit_opens_after_timeouts_in_a_row_and_closes_on_an_answer() {
        let circuits = Circuits::default();
        let shares = Arc::new(Shares::new(8));
        let w = webhook(&OrgId::new(), 32);
        for _ in 0..OPENS_AFTER - 1 {
            circuits.note(&w.id, true);
        }
        assert_eq!(circuits.of(&w.id), Circuit::Closed);
        circuits.note(&w.id, true);
        assert!(matches!(circuits.of(&w.id), Circuit::Open { timeouts_in_a_row: OPENS_AFTER, .. }));
        assert_eq!(circuits.open_count(), 1);
        let mut room = shares.headroom(&circuits);
        assert!(room.take(&w.id, &w.org_id) && !room.take(&w.id, &w.org_id), "one from the hand-off too");
        let probe = shares.take(&w, &circuits);
        assert!(probe.is_some() && shares.take(&w, &circuits).is_none(), "one request at a time while open");
        circuits.note(&w.id, false);
        assert_eq!((circuits.of(&w.id), circuits.open_count()), (Circuit::Closed, 0));
        assert!(shares.take(&w, &circuits).is_some());
    }
}
