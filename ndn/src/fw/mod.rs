//! The sans-IO forwarding core.
//!
//! Drive it with [`Forwarder::handle_packet`] (bytes from a face) and
//! [`Forwarder::handle_timeout`]; after each call drain [`Forwarder::poll_output`] and
//! sleep until [`Forwarder::poll_timeout`]. It never reads a clock, a socket or the OS
//! random generator: `now` is passed in, and Nonces it must add come from a seeded PRNG.
//!
//! Pipelines follow NFD's: incoming Interest (scope, HopLimit, dead-nonce list, PIT
//! duplicate nonce, content store, aggregation, best-route strategy, Nack NoRoute),
//! incoming Data (PIT match, content store, downstreams with their PIT tokens), incoming
//! Nack (upstream marked; when all upstreams Nacked, the least severe reason goes down).

pub mod face;
pub mod reassembly;

pub use face::{Counters, FaceCounters, FaceInfo, FacePersistency, FaceScope, FaceUri, LinkType};

use crate::packet::interest::set_hop_limit;
use crate::packet::lp::{self, LpPacket, NackReason, lpt};
use crate::packet::{Data, DataView, Interest, Name, tt};
use crate::table::{ContentStore, DeadNonceList, EntryId, FaceId, Fib, InRecord, OutRecord, Pit, PitEntry, Rib, Route, RouteFlags};
use reassembly::Reassembler;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The management face (NFD's `internal://`, FaceId 1).
pub const MGMT_FACE: FaceId = 1;
/// First FaceId handed to real faces (as in NFD).
pub const FIRST_FACE_ID: FaceId = 256;

/// Route origins (NFD RIB management).
pub mod origin {
    pub const APP: u64 = 0;
    pub const STATIC: u64 = 255;
}

/// Tunables of the forwarding core.
#[derive(Debug, Clone)]
pub struct Config {
    pub cs_capacity: usize,
    /// PIT entries at most: a new Interest that would add one more is answered with a
    /// Nack (Congestion) and counted in `pit_full`, so a flood of distinct names cannot
    /// grow the table without bound (their lifetimes alone would allow it).
    pub pit_capacity: usize,
    /// Dead-nonce records at most (the oldest leaves first when it is full).
    pub dnl_capacity: usize,
    pub dead_nonce_lifetime: Duration,
    /// Seed of the PRNG that supplies Nonces for Interests that arrive without one.
    pub rng_seed: u64,
    /// Milliseconds since the Unix epoch at the first `now` (for status/general and dataset
    /// versions); the driver reads the wall clock, the core does not.
    pub unix_ms_at_start: u64,
    /// Version string reported in status/general.
    pub version: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cs_capacity: 4096,
            pit_capacity: 65_536,
            dnl_capacity: 131_072,
            dead_nonce_lifetime: Duration::from_secs(6),
            rng_seed: 0x9E37_79B9_7F4A_7C15,
            unix_ms_at_start: 0,
            version: concat!("directd-ndn ", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}

/// What the core asks its driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Put this packet (one complete TLV) on the face's transport.
    Send { face: FaceId, packet: Vec<u8> },
    /// faces/create asked for a face: open it, then call `face_up` or `face_failed`.
    OpenFace { face: FaceId, remote: FaceUri },
    /// Close the face's transport (faces/destroy); the core has forgotten the face.
    CloseFace { face: FaceId },
}

#[derive(Debug)]
pub(crate) struct Face {
    pub info: FaceInfo,
    pub counters: FaceCounters,
}

const LOCALHOST: &[u8] = b"\x08\x09localhost";
const LOCALHOP: &[u8] = b"\x08\x08localhop";

fn is_localhost(name: &Name) -> bool {
    name.value().starts_with(LOCALHOST)
}

fn is_localhop(name: &Name) -> bool {
    name.value().starts_with(LOCALHOP)
}

/// The forwarder.
#[derive(Debug)]
pub struct Forwarder {
    pub(crate) cfg: Config,
    pub(crate) faces: HashMap<FaceId, Face>,
    next_face: FaceId,
    pub(crate) rib: Rib,
    pub(crate) fib: Fib,
    pub(crate) pit: Pit,
    pub(crate) cs: ContentStore,
    dnl: DeadNonceList,
    reasm: Reassembler,
    out: VecDeque<Output>,
    rng: u64,
    pub(crate) start: Option<Instant>,
    pub(crate) last_now: Option<Instant>,
    pub(crate) counters: Counters,
    /// faces/create commands waiting for their face to come up:
    /// face -> (reply face, Interest name, PIT token).
    pub(crate) pending_creates: HashMap<FaceId, (FaceId, Name, Option<Vec<u8>>)>,
}

impl Forwarder {
    pub fn new(cfg: Config) -> Self {
        let mut fw = Forwarder {
            faces: HashMap::new(),
            next_face: FIRST_FACE_ID,
            rib: Rib::default(),
            fib: Fib::default(),
            pit: Pit::default(),
            cs: ContentStore::new(cfg.cs_capacity),
            dnl: DeadNonceList::new(cfg.dead_nonce_lifetime, cfg.dnl_capacity),
            reasm: Reassembler::default(),
            out: VecDeque::new(),
            rng: cfg.rng_seed | 1,
            start: None,
            last_now: None,
            counters: Counters::default(),
            pending_creates: HashMap::new(),
            cfg,
        };
        let internal = FaceInfo::new(FaceUri::Internal, FaceUri::Internal).with_persistency(FacePersistency::Permanent);
        fw.faces.insert(MGMT_FACE, Face { info: internal, counters: FaceCounters::default() });
        fw
    }

    fn tick(&mut self, now: Instant) {
        self.start.get_or_insert(now);
        self.last_now = Some(now);
    }

    fn random_u32(&mut self) -> u32 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }

    // ---- faces and routes (the in-process API at the sans-IO level) ----

    /// Registers a face whose transport is already open; returns its id.
    pub fn add_face(&mut self, info: FaceInfo) -> FaceId {
        let id = self.next_face;
        self.next_face += 1;
        self.faces.insert(id, Face { info, counters: FaceCounters::default() });
        id
    }

    /// Forgets a face and every route through it (the transport is the caller's business).
    pub fn remove_face(&mut self, face: FaceId) -> bool {
        if face == MGMT_FACE || self.faces.remove(&face).is_none() {
            return false;
        }
        if self.rib.remove_face(face) > 0 {
            self.fib = self.rib.compute_fib();
        }
        self.reasm.remove_face(face);
        self.pending_creates.remove(&face);
        true
    }

    pub fn face_info(&self, face: FaceId) -> Option<&FaceInfo> {
        self.faces.get(&face).map(|f| &f.info)
    }

    pub fn face_counters(&self, face: FaceId) -> Option<FaceCounters> {
        self.faces.get(&face).map(|f| f.counters)
    }

    /// Ids of all faces but the management face.
    pub fn face_ids(&self) -> Vec<FaceId> {
        let mut v: Vec<FaceId> = self.faces.keys().copied().filter(|f| *f != MGMT_FACE).collect();
        v.sort_unstable();
        v
    }

    /// Adds or updates a route and recomputes the FIB.
    pub fn add_route(&mut self, prefix: &Name, face: FaceId, cost: u64, origin: u64) -> bool {
        if !self.faces.contains_key(&face) {
            return false;
        }
        let route = Route { face, origin, cost, flags: RouteFlags(RouteFlags::CHILD_INHERIT), expires: None };
        self.insert_route(prefix, route);
        true
    }

    pub(crate) fn insert_route(&mut self, prefix: &Name, route: Route) {
        self.rib.insert(prefix, route);
        self.fib = self.rib.compute_fib();
    }

    pub fn remove_route(&mut self, prefix: &Name, face: FaceId, origin: u64) -> bool {
        let removed = self.rib.remove(prefix, face, origin);
        if removed {
            self.fib = self.rib.compute_fib();
        }
        removed
    }

    pub fn rib(&self) -> &Rib {
        &self.rib
    }

    pub fn fib(&self) -> &Fib {
        &self.fib
    }

    pub fn pit_len(&self) -> usize {
        self.pit.len()
    }

    pub fn cs_len(&self) -> usize {
        self.cs.len()
    }

    pub fn counters(&self) -> Counters {
        Counters { fragments_dropped: self.reasm.dropped, ..self.counters }
    }

    // ---- drive interface ----

    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        [self.pit.next_expiry(), self.rib.next_expiry(), self.reasm.next_expiry()].into_iter().flatten().min()
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        self.tick(now);
        for id in self.pit.pop_expired(now) {
            if self.erase_entry(now, id) {
                self.counters.unsatisfied += 1;
            }
        }
        if self.rib.expire(now) {
            self.fib = self.rib.compute_fib();
        }
        self.reasm.expire(now);
    }

    /// One packet (a complete TLV) received on `face`.
    pub fn handle_packet(&mut self, now: Instant, face: FaceId, bytes: &[u8]) {
        self.tick(now);
        let Some(f) = self.faces.get_mut(&face) else { return };
        f.counters.in_bytes += bytes.len() as u64;
        match bytes.first() {
            Some(&5) => self.process_interest(now, face, bytes, None),
            Some(&6) => self.process_data(now, face, bytes, None),
            Some(&100) => self.process_lp(now, face, bytes),
            _ => self.counters.invalid += 1,
        }
    }

    fn process_lp(&mut self, now: Instant, face: FaceId, bytes: &[u8]) {
        let Ok(lp) = LpPacket::decode(bytes) else {
            self.counters.invalid += 1;
            tracing::trace!(face, len = bytes.len(), "invalid LpPacket dropped");
            return;
        };
        let Some(fragment) = lp.fragment else { return }; // IDLE packet (acks only)
        let whole;
        let packet = match (lp.frag_count, lp.sequence) {
            (Some(c), Some(seq)) if c > 1 => {
                match self.reasm.add(now, face, seq, lp.frag_index.unwrap_or(0), c, fragment) {
                    Some(p) => {
                        whole = p;
                        &whole[..]
                    }
                    None => return,
                }
            }
            (Some(c), None) if c > 1 => {
                self.reasm.dropped += 1;
                return;
            }
            _ => fragment,
        };
        let token = lp.pit_token;
        match (packet.first(), lp.nack) {
            (Some(&5), Some(reason)) => self.process_nack(now, face, packet, reason),
            (Some(&5), None) => self.process_interest(now, face, packet, token),
            (Some(&6), _) => self.process_data(now, face, packet, token),
            _ => self.counters.invalid += 1,
        }
    }

    fn is_local(&self, face: FaceId) -> bool {
        self.faces.get(&face).is_some_and(|f| f.info.scope == FaceScope::Local)
    }

    pub(crate) fn send(&mut self, face: FaceId, packet: Vec<u8>, kind: u8) {
        let Some(f) = self.faces.get_mut(&face) else { return };
        f.counters.out_bytes += packet.len() as u64;
        match kind {
            b'I' => (f.counters.out_interests += 1, self.counters.out_interests += 1),
            b'D' => (f.counters.out_data += 1, self.counters.out_data += 1),
            _ => (f.counters.out_nacks += 1, self.counters.out_nacks += 1),
        };
        self.out.push_back(Output::Send { face, packet });
    }

    fn send_nack(&mut self, face: FaceId, interest: &[u8], reason: NackReason, token: Option<&[u8]>) {
        // Nacks only make sense to a single downstream; the management face never gets one.
        if face == MGMT_FACE {
            return;
        }
        self.send(face, lp::encode_nack(interest, reason, token), b'N');
    }

    fn send_data(&mut self, face: FaceId, data: &[u8], token: Option<&[u8]>) {
        let packet = match token {
            Some(t) => lp::encode_with_pit_token(data, t),
            None => data.to_vec(),
        };
        self.send(face, packet, b'D');
    }

    fn process_interest(&mut self, now: Instant, face: FaceId, bytes: &[u8], token: Option<&[u8]>) {
        let Ok((mut interest, mut layout)) = Interest::decode_with_layout(bytes) else {
            self.counters.invalid += 1;
            return;
        };
        self.counters.in_interests += 1;
        if let Some(f) = self.faces.get_mut(&face) {
            f.counters.in_interests += 1;
        }
        tracing::trace!(face, name = %interest.name, nonce = ?interest.nonce, "Interest in");
        let local = self.is_local(face);
        if is_localhost(&interest.name) && !local {
            self.counters.scope_violations += 1;
            return;
        }
        let mut wire = bytes.to_vec();
        if interest.nonce.is_none() {
            interest.nonce = Some(self.random_u32());
            wire = interest.encode();
            match Interest::decode_with_layout(&wire) {
                Ok((_, l)) => layout = l,
                Err(_) => return,
            }
        }
        if let Some(h) = interest.hop_limit
            && !local
        {
            if h == 0 {
                return;
            }
            interest.hop_limit = Some(h - 1);
            set_hop_limit(&mut wire, &layout, h - 1);
        }
        let nonce = interest.nonce.unwrap_or_default();
        if self.dnl.contains(now, &interest.name, nonce) {
            self.counters.loops += 1;
            self.send_nack(face, &wire, NackReason::Duplicate, token);
            return;
        }
        let mgmt_local = local && interest.name.value().starts_with(b"\x08\x09localhost\x08\x03nfd");
        if mgmt_local || interest.name.value().starts_with(b"\x08\x08localhop\x08\x03nfd") {
            self.handle_management(now, face, &interest, &layout, &wire, token);
            return;
        }
        let existing = self.pit.find(&interest.name, interest.can_be_prefix, interest.must_be_fresh);
        if let Some(e) = existing.and_then(|id| self.pit.get(id))
            && e.has_duplicate_nonce(nonce, face)
        {
            self.counters.loops += 1;
            self.send_nack(face, &wire, NackReason::Duplicate, token);
            return;
        }
        let pending = existing.and_then(|id| self.pit.get(id)).is_some_and(|e| e.in_records.iter().any(|r| r.expiry > now));
        if !pending
            && let Some(data) = self.cs.lookup(&interest.name, interest.can_be_prefix, interest.must_be_fresh, now)
        {
            let data = data.to_vec();
            self.send_data(face, &data, token);
            return;
        }
        let expiry = now + interest.lifetime();
        // The received Interest is kept for a Nack; it moves into the record after forwarding.
        let record = InRecord { face, nonce, expiry, pit_token: token.map(<[u8]>::to_vec), interest: Vec::new() };
        let (id, retransmit) = match existing {
            Some(id) => {
                let Some(e) = self.pit.get_mut(id) else { return };
                let retransmit = match e.in_records.iter_mut().find(|r| r.face == face) {
                    Some(r) => {
                        *r = record;
                        true
                    }
                    None => {
                        e.in_records.push(record);
                        false
                    }
                };
                let max = e.in_records.iter().map(|r| r.expiry).max().unwrap_or(expiry);
                self.pit.set_expiry(id, max);
                (id, retransmit)
            }
            None => {
                if self.pit.len() >= self.cfg.pit_capacity {
                    self.counters.pit_full += 1;
                    tracing::debug!(face, name = %interest.name, "PIT full: Interest refused");
                    self.send_nack(face, &wire, NackReason::Congestion, token);
                    return;
                }
                let entry = PitEntry {
                    name: interest.name.clone(),
                    can_be_prefix: interest.can_be_prefix,
                    must_be_fresh: interest.must_be_fresh,
                    in_records: vec![record],
                    out_records: Vec::new(),
                    expiry,
                };
                (self.pit.insert(entry), false)
            }
        };
        let aggregated = pending && !retransmit;
        if aggregated {
            self.counters.aggregated += 1;
        } else if !self.forward(now, id, face, &interest, &wire, pending && retransmit) && !pending {
            // Best-route found no next hop: Nack NoRoute and drop the entry.
            self.send_nack(face, &wire, NackReason::NoRoute, token);
            self.pit.remove(id);
            return;
        }
        if let Some(r) = self.pit.get_mut(id).and_then(|e| e.in_records.iter_mut().find(|r| r.face == face)) {
            r.interest = wire;
        }
    }

    /// Best-route: the lowest-cost eligible next hop; on a retransmission, the lowest-cost
    /// one not tried yet (or the best again if all were tried). Returns whether it sent.
    fn forward(&mut self, now: Instant, id: EntryId, in_face: FaceId, interest: &Interest, wire: &[u8], retransmit: bool) -> bool {
        let in_local = self.is_local(in_face);
        let mut entry = self.fib.lpm(&interest.name);
        if entry.is_none_or(|e| e.name.is_empty()) {
            for hint in &interest.forwarding_hint {
                if let Some(e) = self.fib.lpm(hint) {
                    entry = Some(e);
                    break;
                }
            }
        }
        let Some(fib_entry) = entry else { return false };
        let localhost = is_localhost(&interest.name);
        let localhop = is_localhop(&interest.name);
        let eligible = |f: FaceId| {
            let Some(face) = self.faces.get(&f) else { return false };
            let out_local = face.info.scope == FaceScope::Local;
            f != in_face
                && (out_local || !localhost)
                && (out_local || !localhop || in_local)
                && (out_local || interest.hop_limit != Some(0))
        };
        let Some(e) = self.pit.get(id) else { return false };
        let mut hops = fib_entry.next_hops.iter().map(|h| h.face).filter(|f| eligible(*f));
        let best = hops.clone().next();
        let chosen = if retransmit { hops.find(|f| !e.out_records.iter().any(|o| o.face == *f)).or(best) } else { best };
        let Some(out_face) = chosen else {
            if localhost || localhop {
                self.counters.scope_violations += 1;
            }
            return false;
        };
        let nonce = interest.nonce.unwrap_or_default();
        let expiry = now + interest.lifetime();
        if let Some(e) = self.pit.get_mut(id) {
            let rec = OutRecord { face: out_face, nonce, expiry, nacked: None };
            match e.out_records.iter_mut().find(|o| o.face == out_face) {
                Some(o) => *o = rec,
                None => e.out_records.push(rec),
            }
        }
        self.send(out_face, wire.to_vec(), b'I');
        true
    }

    /// Removes a PIT entry, remembering its upstream nonces in the dead-nonce list.
    /// Returns whether it existed.
    fn erase_entry(&mut self, now: Instant, id: EntryId) -> bool {
        let Some(e) = self.pit.remove(id) else { return false };
        for o in &e.out_records {
            self.dnl.insert(now, &e.name, o.nonce);
        }
        true
    }

    fn process_data(&mut self, now: Instant, face: FaceId, bytes: &[u8], token: Option<&[u8]>) {
        let _ = token; // a PIT token on Data is hop-by-hop; ours are matched by name
        let Ok(data) = DataView::parse(bytes) else {
            self.counters.invalid += 1;
            return;
        };
        self.counters.in_data += 1;
        if let Some(f) = self.faces.get_mut(&face) {
            f.counters.in_data += 1;
        }
        tracing::trace!(face, name = %data.name, "Data in");
        let local = self.is_local(face);
        if is_localhost(&data.name) && !local {
            self.counters.scope_violations += 1;
            return;
        }
        let matches = self.pit.matching_data(&data.name, || Data::implicit_digest(bytes));
        if matches.is_empty() {
            self.counters.unsolicited += 1;
            if local {
                self.cs.insert(&data.name, bytes, now + data.freshness());
            }
            return;
        }
        self.cs.insert(&data.name, bytes, now + data.freshness());
        let mut downstreams: Vec<(FaceId, Option<Vec<u8>>)> = Vec::new();
        for id in &matches {
            let Some(e) = self.pit.get_mut(*id) else { continue };
            for r in e.in_records.drain(..) {
                if r.expiry > now && r.face != face && !downstreams.iter().any(|(f, _)| *f == r.face) {
                    downstreams.push((r.face, r.pit_token));
                }
            }
        }
        for id in matches {
            if self.erase_entry(now, id) {
                self.counters.satisfied += 1;
            }
        }
        let localhost = is_localhost(&data.name);
        for (f, tok) in downstreams {
            if localhost && !self.is_local(f) {
                continue;
            }
            self.send_data(f, bytes, tok.as_deref());
        }
    }

    fn process_nack(&mut self, now: Instant, face: FaceId, interest_wire: &[u8], reason: NackReason) {
        let Ok(interest) = Interest::decode(interest_wire) else {
            self.counters.invalid += 1;
            return;
        };
        self.counters.in_nacks += 1;
        if let Some(f) = self.faces.get_mut(&face) {
            f.counters.in_nacks += 1;
        }
        tracing::trace!(face, name = %interest.name, ?reason, "Nack in");
        let Some(id) = self.pit.find(&interest.name, interest.can_be_prefix, interest.must_be_fresh) else { return };
        let Some(e) = self.pit.get_mut(id) else { return };
        let Some(out) = e.out_records.iter_mut().find(|o| o.face == face && Some(o.nonce) == interest.nonce) else {
            return;
        };
        out.nacked = Some(reason);
        if e.out_records.iter().any(|o| o.nacked.is_none() && o.expiry > now) {
            return;
        }
        // Every upstream refused: pass the least severe reason down (Congestion < Duplicate < NoRoute).
        let severity = |r: NackReason| match r {
            NackReason::Congestion => 0,
            NackReason::Duplicate => 1,
            NackReason::NoRoute => 2,
            _ => 3,
        };
        let least = e.out_records.iter().filter_map(|o| o.nacked).min_by_key(|r| severity(*r)).unwrap_or(reason);
        let downs: Vec<InRecord> = e.in_records.iter().filter(|r| r.expiry > now).cloned().collect();
        self.erase_entry(now, id);
        for r in downs {
            self.send_nack(r.face, &r.interest, least, r.pit_token.as_deref());
        }
    }

    /// Emits a Data produced inside the forwarder (management) towards `face`, with the
    /// PIT token the Interest carried, if any.
    pub(crate) fn reply(&mut self, face: FaceId, data: Vec<u8>, token: Option<&[u8]>) {
        self.send_data(face, &data, token);
    }

    pub(crate) fn unix_ms(&self, now: Instant) -> u64 {
        let since = self.start.map_or(0, |s| now.saturating_duration_since(s).as_millis() as u64);
        self.cfg.unix_ms_at_start + since
    }

    pub(crate) fn allocate_face(&mut self, info: FaceInfo) -> FaceId {
        self.add_face(info)
    }

    pub(crate) fn push_output(&mut self, o: Output) {
        self.out.push_back(o);
    }
}

/// TLV-TYPE of a bare network packet, for drivers that sort traffic.
pub fn packet_type(bytes: &[u8]) -> Option<u64> {
    match crate::tlv::Reader::new(bytes).peek_type()? {
        t @ (tt::INTEREST | tt::DATA | lpt::LP_PACKET) => Some(t),
        _ => None,
    }
}
