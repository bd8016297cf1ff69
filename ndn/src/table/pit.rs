//! Pending Interest Table.
//!
//! Entries are keyed by (name, CanBePrefix, MustBeFresh) and stored in a slab; an index by
//! name wire value finds both Interest aggregation candidates and the entries a Data
//! satisfies (by walking the Data name's prefixes). Expiry timers sit in a heap checked
//! against a per-slot generation, so stale timers are skipped cheaply.

use super::FaceId;
use crate::packet::lp::NackReason;
use crate::packet::{Name, tt};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::time::Instant;

/// Handle to a PIT entry (slot + generation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId {
    slot: u32,
    generation: u32,
}

/// A downstream that asked.
#[derive(Debug, Clone)]
pub struct InRecord {
    pub face: FaceId,
    pub nonce: u32,
    pub expiry: Instant,
    pub pit_token: Option<Vec<u8>>,
    /// The Interest as received (carried back in a Nack).
    pub interest: Vec<u8>,
}

/// An upstream the Interest went to.
#[derive(Debug, Clone)]
pub struct OutRecord {
    pub face: FaceId,
    pub nonce: u32,
    pub expiry: Instant,
    pub nacked: Option<NackReason>,
}

#[derive(Debug, Clone)]
pub struct PitEntry {
    pub name: Name,
    pub can_be_prefix: bool,
    pub must_be_fresh: bool,
    pub in_records: Vec<InRecord>,
    pub out_records: Vec<OutRecord>,
    pub expiry: Instant,
}

impl PitEntry {
    /// Whether `nonce` was already seen on this entry from a face other than `face`
    /// or sent upstream (a loop or a duplicate).
    pub fn has_duplicate_nonce(&self, nonce: u32, face: FaceId) -> bool {
        self.in_records.iter().any(|r| r.nonce == nonce && r.face != face) || self.out_records.iter().any(|r| r.nonce == nonce)
    }
}

#[derive(Debug, Default)]
pub struct Pit {
    slots: Vec<(u32, Option<PitEntry>)>,
    free: Vec<u32>,
    by_name: HashMap<Vec<u8>, Vec<EntryId>>,
    timers: BinaryHeap<Reverse<(Instant, EntryId)>>,
    len: usize,
    /// Entries whose name ends in an implicit digest (Data matching must hash then).
    digest_entries: usize,
}

impl Pit {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, id: EntryId) -> Option<&PitEntry> {
        match self.slots.get(id.slot as usize) {
            Some((g, Some(e))) if *g == id.generation => Some(e),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, id: EntryId) -> Option<&mut PitEntry> {
        match self.slots.get_mut(id.slot as usize) {
            Some((g, Some(e))) if *g == id.generation => Some(e),
            _ => None,
        }
    }

    /// The entry for exactly this (name, CanBePrefix, MustBeFresh).
    pub fn find(&self, name: &Name, can_be_prefix: bool, must_be_fresh: bool) -> Option<EntryId> {
        self.by_name.get(name.value())?.iter().copied().find(|id| {
            self.get(*id).is_some_and(|e| e.can_be_prefix == can_be_prefix && e.must_be_fresh == must_be_fresh)
        })
    }

    /// Inserts a new entry and schedules its expiry.
    pub fn insert(&mut self, entry: PitEntry) -> EntryId {
        if entry.name.last().is_some_and(|c| c.typ == tt::IMPLICIT_SHA256_DIGEST) {
            self.digest_entries += 1;
        }
        let key = entry.name.value().to_vec();
        let expiry = entry.expiry;
        let id = match self.free.pop() {
            Some(slot) => {
                let s = &mut self.slots[slot as usize];
                s.0 = s.0.wrapping_add(1);
                s.1 = Some(entry);
                EntryId { slot, generation: s.0 }
            }
            None => {
                self.slots.push((0, Some(entry)));
                EntryId { slot: (self.slots.len() - 1) as u32, generation: 0 }
            }
        };
        self.by_name.entry(key).or_default().push(id);
        self.timers.push(Reverse((expiry, id)));
        self.len += 1;
        id
    }

    /// Moves an entry's expiry (later or earlier) and schedules it.
    pub fn set_expiry(&mut self, id: EntryId, at: Instant) {
        if let Some(e) = self.get_mut(id) {
            e.expiry = at;
            self.timers.push(Reverse((at, id)));
        }
    }

    pub fn remove(&mut self, id: EntryId) -> Option<PitEntry> {
        let s = self.slots.get_mut(id.slot as usize)?;
        if s.0 != id.generation {
            return None;
        }
        let e = s.1.take()?;
        self.free.push(id.slot);
        if let Some(v) = self.by_name.get_mut(e.name.value()) {
            v.retain(|x| *x != id);
            if v.is_empty() {
                self.by_name.remove(e.name.value());
            }
        }
        if e.name.last().is_some_and(|c| c.typ == tt::IMPLICIT_SHA256_DIGEST) {
            self.digest_entries -= 1;
        }
        self.len -= 1;
        Some(e)
    }

    /// Entries a Data named `name` satisfies: exact name, CanBePrefix entries on any
    /// prefix, and (if any exist) entries naming the Data's implicit digest.
    /// `digest` is only called when such entries exist.
    pub fn matching_data(&self, name: &Name, digest: impl FnOnce() -> [u8; 32]) -> Vec<EntryId> {
        let mut out = Vec::new();
        for k in (0..=name.len()).rev() {
            if let Some(ids) = self.by_name.get(name.prefix_value(k)) {
                out.extend(ids.iter().copied().filter(|id| k == name.len() || self.get(*id).is_some_and(|e| e.can_be_prefix)));
            }
        }
        if self.digest_entries > 0 {
            let mut full = name.clone();
            full.push(&crate::packet::Component { typ: tt::IMPLICIT_SHA256_DIGEST, value: digest().to_vec() });
            if let Some(ids) = self.by_name.get(full.value()) {
                out.extend(ids.iter().copied());
            }
        }
        out
    }

    /// The earliest scheduled expiry (may be a stale timer; handling it is harmless).
    pub fn next_expiry(&self) -> Option<Instant> {
        self.timers.peek().map(|Reverse((t, _))| *t)
    }

    /// Entries whose expiry has passed, removed from the timer heap (not from the table).
    pub fn pop_expired(&mut self, now: Instant) -> Vec<EntryId> {
        let mut out = Vec::new();
        while let Some(Reverse((t, id))) = self.timers.peek().copied() {
            if t > now {
                break;
            }
            self.timers.pop();
            if self.get(id).is_some_and(|e| e.expiry <= now) {
                out.push(id);
            }
        }
        out
    }

    pub fn iter(&self) -> impl Iterator<Item = &PitEntry> {
        self.slots.iter().filter_map(|(_, e)| e.as_ref())
    }
}
