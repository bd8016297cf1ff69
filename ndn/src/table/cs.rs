//! A small content store honouring FreshnessPeriod.
//!
//! Ordered by name wire value: every name with a given prefix has that prefix's wire value
//! as an octet prefix, so a CanBePrefix lookup is one range scan. Eviction is FIFO.

use crate::packet::{Name, tt};
use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Clone)]
struct Entry {
    wire: Vec<u8>,
    stale_at: Instant,
    seq: u64,
}

#[derive(Debug)]
pub struct ContentStore {
    entries: BTreeMap<Arc<[u8]>, Entry>,
    fifo: VecDeque<(Arc<[u8]>, u64)>,
    capacity: usize,
    seq: u64,
    pub hits: u64,
    pub misses: u64,
}

impl ContentStore {
    pub fn new(capacity: usize) -> Self {
        ContentStore { entries: BTreeMap::new(), fifo: VecDeque::new(), capacity, seq: 0, hits: 0, misses: 0 }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Stores a Data (its whole TLV) that becomes stale at `stale_at`.
    pub fn insert(&mut self, name: &Name, wire: &[u8], stale_at: Instant) {
        if self.capacity == 0 {
            return;
        }
        self.seq += 1;
        let key: Arc<[u8]> = Arc::from(name.value());
        self.fifo.push_back((key.clone(), self.seq));
        self.entries.insert(key, Entry { wire: wire.to_vec(), stale_at, seq: self.seq });
        while self.entries.len() > self.capacity {
            let Some((k, seq)) = self.fifo.pop_front() else { break };
            if self.entries.get(&*k).is_some_and(|e| e.seq == seq) {
                self.entries.remove(&*k);
            }
        }
        // Keep the FIFO from growing with superseded keys.
        if self.fifo.len() > 2 * self.capacity + 16 {
            let entries = &self.entries;
            self.fifo.retain(|(k, s)| entries.get(&**k).is_some_and(|e| e.seq == *s));
        }
    }

    /// Finds a Data satisfying an Interest (name, CanBePrefix, MustBeFresh) at `now`.
    pub fn lookup(&mut self, name: &Name, can_be_prefix: bool, must_be_fresh: bool, now: Instant) -> Option<&[u8]> {
        let fresh_ok = |e: &Entry| !must_be_fresh || e.stale_at > now;
        let found = if name.last().is_some_and(|c| c.typ == tt::IMPLICIT_SHA256_DIGEST) {
            let digest = name.last().map(|c| c.value.to_vec()).unwrap_or_default();
            let base = name.prefix(name.len() - 1);
            self.entries
                .get(base.value())
                .filter(|e| fresh_ok(e) && crate::packet::sha256(&[&e.wire])[..] == digest[..])
                .map(|_| Arc::from(base.value()))
        } else if can_be_prefix {
            self.entries
                .range::<[u8], _>((Bound::Included(name.value()), Bound::Unbounded))
                .take_while(|(k, _)| k.starts_with(name.value()))
                .find(|(_, e)| fresh_ok(e))
                .map(|(k, _)| k.clone())
        } else {
            self.entries.get_key_value(name.value()).filter(|(_, e)| fresh_ok(e)).map(|(k, _)| k.clone())
        };
        match found {
            Some(k) => {
                self.hits += 1;
                self.entries.get(&*k).map(|e| e.wire.as_slice())
            }
            None => {
                self.misses += 1;
                None
            }
        }
    }
}
