//! New deliveries handed from the API to this node's dispatcher as they are published.
//!
//! A publish leases its new deliveries to this node in the same write that creates them
//! ([`LeaseTerms`]), and hands them here with their event: the node that took an event sends it
//! without a claim query and without reading the event back. Room is bounded: when the
//! dispatcher falls behind, publishes lease nothing and their deliveries wait in the database
//! for whichever node claims them first, exactly as retries do. A crash loses nothing either
//! way: a leased delivery is claimed again when its lease runs out.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hookd_core::model::{Delivery, Event};
use hookd_store::{LeaseTerms, Published};

use crate::shares::Headroom;
use crate::waiting::Waiting;
use tokio::sync::Notify;

/// Deliveries one publish may lease at most: enough for an event's subscribers in the common
/// case, small enough that concurrent publishes share the room.
const PER_PUBLISH: usize = 64;

pub struct Handoff {
    node: String,
    lease: Duration,
    capacity: usize,
    /// Deliveries queued plus room reserved by publishes under way.
    taken: AtomicUsize,
    queue: Mutex<Waiting>,
    /// Set when the dispatcher stops: publishes lease nothing more.
    closed: AtomicBool,
    /// Rung when deliveries are handed over.
    handed: Notify,
    /// Rung when the database holds new due work: a re-send, a recovery, deliveries
    /// published without room here, another node's (the store rings it too).
    wake: Arc<Notify>,
}

/// A leased delivery waiting for a request slot.
pub(crate) struct HandedLease {
    pub event: Arc<Event>,
    pub delivery: Delivery,
    /// The revision of the delivery's webhook that the publish read.
    pub webhook_revision: i64,
}

/// Room for one publish's leased deliveries; what it does not hand over is given back.
pub struct Reservation<'a> {
    handoff: &'a Handoff,
    room: usize,
}

impl Handoff {
    /// `capacity` bounds the deliveries waiting here; `wake` is the dispatcher's.
    pub fn new(node: String, lease: Duration, capacity: usize, wake: Arc<Notify>) -> Self {
        Self {
            node,
            lease,
            capacity,
            taken: AtomicUsize::new(0),
            queue: Mutex::default(),
            closed: AtomicBool::new(false),
            handed: Notify::new(),
            wake,
        }
    }

    /// Room for a publish about to be written; none when the dispatcher is behind.
    pub fn reserve(&self) -> Reservation<'_> {
        if self.closed.load(Ordering::Acquire) {
            return Reservation { handoff: self, room: 0 };
        }
        let taken = self.taken.fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
            Some(t + PER_PUBLISH.min(self.capacity.saturating_sub(t)))
        });
        let before = taken.unwrap_or_else(|t| t);
        Reservation { handoff: self, room: PER_PUBLISH.min(self.capacity.saturating_sub(before)) }
    }

    /// Tells the dispatcher that work became due in the database (a re-send, a recovery).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn handed(&self) {
        self.handed.notified().await
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await
    }

    /// Up to `max` handed deliveries, oldest first, as far as `room` goes: those of a webhook
    /// or org without room wait here, in order, for a request of theirs to end. Also says
    /// whether any were passed over. One whose lease is about to run out is dropped instead:
    /// it will be claimed from the database, and sending it now could race that claim.
    pub(crate) fn take(&self, max: usize, room: &mut Headroom) -> (Vec<HandedLease>, bool) {
        let Ok(mut queue) = self.queue.lock() else { return (vec![], false) };
        let (taken, passed_over) = queue.take(max, room);
        drop(queue);
        self.taken.fetch_sub(taken.len(), Ordering::AcqRel);
        let soon = chrono::Utc::now() + chrono::Duration::from_std(self.lease / 4).unwrap_or_default();
        (taken.into_iter().filter(|h| h.delivery.next_attempt_at.is_some_and(|t| t > soon)).collect(), passed_over)
    }

    /// Stops leasing, waits (briefly) for publishes that hold room to hand over, and returns
    /// every delivery still waiting here.
    pub(crate) async fn close(&self) -> Vec<HandedLease> {
        self.closed.store(true, Ordering::Release);
        let queued = || self.queue.lock().map(|q| q.len()).unwrap_or(0);
        for _ in 0..500 {
            if self.taken.load(Ordering::Acquire) <= queued() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let Ok(mut queue) = self.queue.lock() else { return vec![] };
        let left = queue.drain();
        self.taken.fetch_sub(left.len(), Ordering::AcqRel);
        left
    }

    fn give_back(&self, n: usize) {
        if n > 0 {
            self.taken.fetch_sub(n, Ordering::AcqRel);
        }
    }
}

/// A handoff with no room: every publish leaves its deliveries to be claimed (for commands
/// that write through the API's code but run no dispatcher).
impl Default for Handoff {
    fn default() -> Self {
        Self::new(String::new(), Duration::ZERO, 0, Arc::new(Notify::new()))
    }
}

impl Reservation<'_> {
    /// The lease for the publish's new deliveries, if there is room for any.
    pub fn lease(&self) -> Option<LeaseTerms> {
        (self.room > 0).then(|| LeaseTerms {
            node: self.handoff.node.clone(),
            duration: self.handoff.lease,
            max: self.room,
        })
    }

    /// Queues what the publish leased, and tells the dispatcher what there is to do.
    pub fn hand(mut self, event: Event, published: &mut Published) {
        let h = self.handoff;
        let leased = std::mem::take(&mut published.leased);
        let used = leased.len().min(self.room);
        let unleased = !published.replayed && published.deliveries.len() > used;
        if !leased.is_empty() {
            let event = Arc::new(event);
            if let Ok(mut queue) = h.queue.lock() {
                for l in leased {
                    queue.push(HandedLease {
                        event: event.clone(),
                        delivery: l.delivery,
                        webhook_revision: l.webhook_revision,
                    });
                }
            }
            h.handed.notify_one();
        }
        h.give_back(self.room - used);
        self.room = 0;
        if unleased {
            h.wake();
        }
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.handoff.give_back(self.room);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handoff(capacity: usize) -> Handoff {
        Handoff::new("n".into(), Duration::from_secs(60), capacity, Arc::new(Notify::new()))
    }

    #[test]
    fn reservations_share_the_room_and_give_back_what_they_do_not_use() {
        let h = handoff(100);
        let a = h.reserve();
        let b = h.reserve();
        assert_eq!(a.lease().map(|l| l.max), Some(64));
        assert_eq!(b.lease().map(|l| l.max), Some(36));
        assert!(h.reserve().lease().is_none(), "no room left");
        drop(a);
        assert_eq!(h.reserve().lease().map(|l| l.max), Some(64), "a dropped reservation frees its room");
    }

    #[tokio::test]
    async fn closing_returns_what_waits_and_stops_leasing() {
        let h = handoff(100);
        let delivery = hand_one(&h, &hookd_core::OrgId::new());
        let left = h.close().await;
        assert_eq!(left.iter().map(|l| l.delivery.id.clone()).collect::<Vec<_>>(), vec![delivery.id]);
        assert!(h.reserve().lease().is_none(), "a closed handoff leases nothing");
        assert!(h.take(10, &mut crate::shares::Shares::new(4).headroom(&Default::default())).0.is_empty());
    }

    #[test]
    fn deliveries_of_an_org_without_room_wait_in_order_and_others_pass() {
        let h = handoff(100);
        let (a, b) = (hookd_core::OrgId::new(), hookd_core::OrgId::new());
        let a1 = hand_one(&h, &a);
        let b1 = hand_one(&h, &b);
        let a2 = hand_one(&h, &a);
        // Of 4 slots an org alone may have all: A has used its room up.
        let shares = crate::shares::Shares::new(4);
        let mut room = shares.headroom(&Default::default());
        for _ in 0..4 {
            assert!(room.take(&hookd_core::WebhookId::new(), &a));
        }
        let (taken, passed_over) = h.take(10, &mut room);
        assert_eq!(taken.iter().map(|t| t.delivery.id.clone()).collect::<Vec<_>>(), vec![b1.id]);
        assert!(passed_over);
        let (taken, passed_over) = h.take(10, &mut shares.headroom(&Default::default()));
        assert_eq!(taken.iter().map(|t| t.delivery.id.clone()).collect::<Vec<_>>(), vec![a1.id, a2.id], "in order");
        assert!(!passed_over);
    }

    #[test]
    fn orgs_take_turns() {
        let h = handoff(100);
        let (a, b) = (hookd_core::OrgId::new(), hookd_core::OrgId::new());
        let a1 = hand_one(&h, &a);
        for _ in 0..3 {
            hand_one(&h, &a);
        }
        let b1 = hand_one(&h, &b);
        let (taken, _) = h.take(2, &mut crate::shares::Shares::new(64).headroom(&Default::default()));
        let ids: Vec<_> = taken.iter().map(|t| t.delivery.id.clone()).collect();
        assert_eq!(ids, vec![a1.id, b1.id], "B's first is not behind A's burst");
    }

    /// Hands `h` one leased delivery of an event of `org`, as a publish does.
    fn hand_one(h: &Handoff, org: &hookd_core::OrgId) -> Delivery {
        let room = h.reserve();
        let now = chrono::Utc::now();
        let event = Event {
            id: hookd_core::EventId::new(),
            org_id: org.clone(),
            event_type: "user.created".into(),
            payload: "{}".into(),
            resource_url: None,
            environment: Default::default(),
            visible_to: vec![],
            occurred_at: now,
            created_at: now,
            idempotency_key: None,
            traceparent: None,
        };
        let delivery = Delivery {
            id: hookd_core::DeliveryId::new(),
            org_id: event.org_id.clone(),
            webhook_id: hookd_core::WebhookId::new(),
            event_id: event.id.clone(),
            state: hookd_core::model::DeliveryState::Pending,
            attempts: 0,
            next_attempt_at: Some(now + chrono::Duration::seconds(60)),
            next_trigger: hookd_core::model::Trigger::Auto,
            created_at: now,
            updated_at: now,
        };
        let mut published = Published {
            event_id: event.id.clone(),
            deliveries: vec![delivery.id.clone()],
            replayed: false,
            leased: vec![hookd_store::PublishedLease { delivery: delivery.clone(), webhook_revision: 0 }],
            filtered: 0,
        };
        room.hand(event, &mut published);
        delivery
    }
}
