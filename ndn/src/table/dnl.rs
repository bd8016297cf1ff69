//! Dead-nonce list: (name, nonce) pairs of Interests that recently left the PIT, kept for a
//! fixed lifetime so a looping Interest arriving after its entry is gone is still caught.

use crate::packet::Name;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

/// Hasher for keys that are already a keyed hash (of the name) and a nonce: one multiply.
#[derive(Default, Clone, Copy, Debug)]
struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(29) ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
}

type MixState = std::hash::BuildHasherDefault<MixHasher>;

#[derive(Debug)]
pub struct DeadNonceList {
    lifetime: Duration,
    /// Records at most; the oldest leaves first.
    capacity: usize,
    set: HashMap<(u64, u32), u32, MixState>,
    queue: VecDeque<(Instant, u64, u32)>,
    hasher: std::collections::hash_map::RandomState,
}

impl DeadNonceList {
    pub fn new(lifetime: Duration, capacity: usize) -> Self {
        DeadNonceList { lifetime, capacity: capacity.max(1), set: HashMap::default(), queue: VecDeque::new(), hasher: Default::default() }
    }

    fn key(&self, name: &Name) -> u64 {
        let mut h = self.hasher.build_hasher();
        h.write(name.value());
        h.finish()
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    pub fn insert(&mut self, now: Instant, name: &Name, nonce: u32) {
        self.expire(now);
        while self.queue.len() >= self.capacity {
            self.pop_oldest();
        }
        let k = self.key(name);
        *self.set.entry((k, nonce)).or_insert(0) += 1;
        self.queue.push_back((now + self.lifetime, k, nonce));
    }

    pub fn contains(&mut self, now: Instant, name: &Name, nonce: u32) -> bool {
        self.expire(now);
        let k = self.key(name);
        self.set.contains_key(&(k, nonce))
    }

    fn expire(&mut self, now: Instant) {
        while self.queue.front().is_some_and(|&(t, _, _)| t <= now) {
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        let Some((_, k, n)) = self.queue.pop_front() else { return };
        if let Some(c) = self.set.get_mut(&(k, n)) {
            *c -= 1;
            if *c == 0 {
                self.set.remove(&(k, n));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_lifetime() {
        let t0 = Instant::now();
        let mut d = DeadNonceList::new(Duration::from_secs(6), 1024);
        let a = crate::name!("/a");
        d.insert(t0, &a, 7);
        assert!(d.contains(t0 + Duration::from_secs(5), &a, 7));
        assert!(!d.contains(t0, &a, 8));
        assert!(!d.contains(t0, &crate::name!("/b"), 7));
        assert!(!d.contains(t0 + Duration::from_secs(6), &a, 7));
        assert!(d.is_empty());
    }

    #[test]
    fn a_full_list_forgets_its_oldest_record_first() {
        let t0 = Instant::now();
        let mut d = DeadNonceList::new(Duration::from_secs(6), 3);
        let a = crate::name!("/a");
        for nonce in 1..=5 {
            d.insert(t0, &a, nonce);
        }
        assert_eq!(d.len(), 3);
        assert!(!d.contains(t0, &a, 1) && !d.contains(t0, &a, 2));
        assert!(d.contains(t0, &a, 3) && d.contains(t0, &a, 5));
    }
}
