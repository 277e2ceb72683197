//! Small read-through caches for what every publish reads: access tokens and the catalog.
//!
//! Entries live a few seconds. This node drops them at once when it changes the underlying
//! row (a revoked token stops working here immediately); other nodes sharing the database
//! see the change within the TTL.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Ttl<K, V> {
    entries: Mutex<HashMap<K, (V, Instant)>>,
    ttl: Duration,
}

/// Keeps the map from growing without bound under a flood of distinct keys.
const MAX_ENTRIES: usize = 10_000;

impl<K: Eq + Hash + Clone, V: Clone> Ttl<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self { entries: Mutex::new(HashMap::new()), ttl }
    }

    pub fn get<Q: Eq + Hash + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let entries = self.entries.lock().ok()?;
        let (v, at) = entries.get(key)?;
        (at.elapsed() < self.ttl).then(|| v.clone())
    }

    pub fn put(&self, key: K, value: V) {
        if let Ok(mut e) = self.entries.lock() {
            if e.len() >= MAX_ENTRIES {
                e.clear();
            }
            e.insert(key, (value, Instant::now()));
        }
    }

    pub fn remove<Q: Eq + Hash + ?Sized>(&self, key: &Q)
    where
        K: Borrow<Q>,
    {
        if let Ok(mut e) = self.entries.lock() {
            e.remove(key);
        }
    }

    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_can_be_dropped() {
        let c = Ttl::new(Duration::from_secs(60));
        c.put("a", 1);
        assert_eq!(c.get(&"a"), Some(1));
        c.remove(&"a");
        assert_eq!(c.get(&"a"), None);
        // An entry lives less than its TTL: with none, it is expired as soon as it is put.
        let expired = Ttl::new(Duration::ZERO);
        expired.put("b", 2);
        assert_eq!(expired.get(&"b"), None, "expired");
    }
}
