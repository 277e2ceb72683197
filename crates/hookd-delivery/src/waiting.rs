//! Handed deliveries waiting for a request slot, one queue per org, taken round-robin: an org
//! that publishes a burst, or whose receivers hang, does not hold back another org's next
//! delivery, and an org without room (see [`Headroom`]) is passed over at the cost of one look.

use std::collections::{HashMap, VecDeque};

use hookd_core::OrgId;

use crate::handoff::HandedLease;
use crate::shares::Headroom;

/// Entries of one org passed over in one look because their webhook has no room, at most:
/// bounds a look whatever one webhook has waiting.
const SCAN_PAST: usize = 64;

#[derive(Default)]
pub(crate) struct Waiting {
    by_org: HashMap<OrgId, VecDeque<HandedLease>>,
    /// The orgs with deliveries waiting, in turn.
    turn: VecDeque<OrgId>,
    len: usize,
}

impl Waiting {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn push(&mut self, h: HandedLease) {
        let queue = match self.by_org.get_mut(&h.delivery.org_id) {
            Some(q) => q,
            None => {
                self.turn.push_back(h.delivery.org_id.clone());
                self.by_org.entry(h.delivery.org_id.clone()).or_default()
            }
        };
        queue.push_back(h);
        self.len += 1;
    }

    /// Up to `max`, as far as `room` goes: orgs in turn, each a fair part of what is left,
    /// each in the order handed. Also says whether any were passed over for want of room.
    pub(crate) fn take(&mut self, max: usize, room: &mut Headroom) -> (Vec<HandedLease>, bool) {
        let mut taken = Vec::with_capacity(max.min(self.len));
        let mut passed_over = false;
        while taken.len() < max && !self.turn.is_empty() {
            let before = taken.len();
            let part = ((max - taken.len()) / self.turn.len()).max(1);
            for _ in 0..self.turn.len() {
                let Some(org) = self.turn.pop_front() else { break };
                let Some(queue) = self.by_org.get_mut(&org) else { continue };
                passed_over |= take_from(queue, part.min(max - taken.len()), room, &mut taken);
                if queue.is_empty() {
                    self.by_org.remove(&org);
                } else {
                    self.turn.push_back(org);
                }
                if taken.len() == max {
                    break;
                }
            }
            if taken.len() == before {
                break;
            }
        }
        self.len -= taken.len();
        (taken, passed_over)
    }

    pub(crate) fn drain(&mut self) -> Vec<HandedLease> {
        self.turn.clear();
        self.len = 0;
        self.by_org.drain().flat_map(|(_, q)| q).collect()
    }
}

/// Takes up to `n` of one org's queue into `taken`, oldest first, passing over those whose
/// webhook has no room; true if any were passed over.
fn take_from(queue: &mut VecDeque<HandedLease>, n: usize, room: &mut Headroom, taken: &mut Vec<HandedLease>) -> bool {
    let mut passed = VecDeque::new();
    let mut got = 0;
    while got < n && passed.len() < SCAN_PAST {
        let Some(h) = queue.pop_front() else { break };
        if !room.org_has_room(&h.delivery.org_id) {
            queue.push_front(h);
            break;
        }
        if room.take(&h.delivery.webhook_id, &h.delivery.org_id) {
            taken.push(h);
            got += 1;
        } else {
            passed.push_back(h);
        }
    }
    let any_passed = !passed.is_empty() || (got < n && !queue.is_empty());
    while let Some(h) = passed.pop_back() {
        queue.push_front(h);
    }
    any_passed
}
