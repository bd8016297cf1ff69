//! NDNLPv2 fragment reassembly: fragments of one packet share `Sequence - FragIndex`.
//! Incomplete packets are dropped after a timeout or when a face has too many pending.

use crate::table::FaceId;
use std::collections::HashMap;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_millis(500);
const MAX_FRAGMENTS: u64 = 256;
const MAX_PENDING: usize = 64;

#[derive(Debug)]
struct Partial {
    pieces: Vec<Option<Vec<u8>>>,
    have: usize,
    expiry: Instant,
}

#[derive(Debug, Default)]
pub struct Reassembler {
    partial: HashMap<(FaceId, u64), Partial>,
    /// Fragments dropped (bad index/count, overflow, timeout).
    pub dropped: u64,
}

impl Reassembler {
    /// Adds one fragment; returns the whole packet when its last piece arrives.
    pub fn add(&mut self, now: Instant, face: FaceId, seq: u64, index: u64, count: u64, frag: &[u8]) -> Option<Vec<u8>> {
        if count == 0 || count > MAX_FRAGMENTS || index >= count || seq < index {
            self.dropped += 1;
            return None;
        }
        let key = (face, seq - index);
        if !self.partial.contains_key(&key) && self.partial.keys().filter(|(f, _)| *f == face).count() >= MAX_PENDING {
            self.dropped += 1;
            return None;
        }
        let p = self.partial.entry(key).or_insert_with(|| Partial {
            pieces: vec![None; count as usize],
            have: 0,
            expiry: now + TIMEOUT,
        });
        if p.pieces.len() != count as usize {
            self.dropped += p.have as u64 + 1;
            self.partial.remove(&key);
            return None;
        }
        let slot = &mut p.pieces[index as usize];
        if slot.is_none() {
            *slot = Some(frag.to_vec());
            p.have += 1;
        }
        if p.have < p.pieces.len() {
            return None;
        }
        let p = self.partial.remove(&key)?;
        Some(p.pieces.into_iter().flatten().flatten().collect())
    }

    pub fn next_expiry(&self) -> Option<Instant> {
        self.partial.values().map(|p| p.expiry).min()
    }

    pub fn expire(&mut self, now: Instant) {
        let mut dropped = 0;
        self.partial.retain(|_, p| {
            let keep = p.expiry > now;
            if !keep {
                dropped += p.have as u64;
            }
            keep
        });
        self.dropped += dropped;
    }

    pub fn remove_face(&mut self, face: FaceId) {
        self.partial.retain(|(f, _), _| *f != face);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reassembles_out_of_order_and_times_out() {
        let t = Instant::now();
        let mut r = Reassembler::default();
        assert_eq!(r.add(t, 9, 11, 1, 3, b"bb"), None);
        assert_eq!(r.add(t, 9, 12, 2, 3, b"c"), None);
        assert_eq!(r.add(t, 9, 10, 0, 3, b"aa"), Some(b"aabbc".to_vec()));
        assert_eq!(r.add(t, 9, 20, 0, 2, b"x"), None);
        r.expire(t + TIMEOUT);
        assert_eq!(r.dropped, 1);
        assert_eq!(r.add(t, 9, 21, 1, 2, b"y"), None);
        assert_eq!(r.add(t, 9, 5, 3, 2, b"y"), None);
        assert_eq!(r.dropped, 2);
    }
}
