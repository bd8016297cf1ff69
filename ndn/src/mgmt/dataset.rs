//! Status dataset contents: faces/list (FaceStatus), fib/list (FibEntry), rib/list
//! (RibEntry), status/general (GeneralStatus), as NFD's management protocol defines them.

use super::control::mt;
use crate::fw::Forwarder;
use crate::tlv;
use std::time::Instant;

/// Dataset TLV-TYPE numbers.
pub mod dt {
    pub const ENTRY: u64 = 0x80; // FaceStatus, FibEntry, RibEntry
    pub const NEXT_HOP_RECORD: u64 = 0x81;
    pub const ROUTE: u64 = 0x81;
    pub const FACE_SCOPE: u64 = 0x84;
    pub const FACE_PERSISTENCY: u64 = 0x85;
    pub const LINK_TYPE: u64 = 0x86;
    pub const N_IN_INTERESTS: u64 = 0x90;
    pub const N_IN_DATA: u64 = 0x91;
    pub const N_OUT_INTERESTS: u64 = 0x92;
    pub const N_OUT_DATA: u64 = 0x93;
    pub const N_IN_BYTES: u64 = 0x94;
    pub const N_OUT_BYTES: u64 = 0x95;
    pub const N_IN_NACKS: u64 = 0x97;
    pub const N_OUT_NACKS: u64 = 0x98;
    pub const N_SATISFIED: u64 = 0x99;
    pub const N_UNSATISFIED: u64 = 0x9a;
    pub const NFD_VERSION: u64 = 0x80;
    pub const START_TIMESTAMP: u64 = 0x81;
    pub const CURRENT_TIMESTAMP: u64 = 0x82;
    pub const N_NAME_TREE_ENTRIES: u64 = 0x83;
    pub const N_FIB_ENTRIES: u64 = 0x84;
    pub const N_PIT_ENTRIES: u64 = 0x85;
    pub const N_MEASUREMENTS_ENTRIES: u64 = 0x86;
    pub const N_CS_ENTRIES: u64 = 0x87;
}

pub fn faces_list(fw: &Forwarder) -> Vec<u8> {
    let mut ids: Vec<_> = fw.faces.keys().copied().collect();
    ids.sort_unstable();
    let mut out = Vec::new();
    for id in ids {
        let Some(f) = fw.faces.get(&id) else { continue };
        tlv::write_nested(&mut out, dt::ENTRY, |o| {
            tlv::write_nni_tlv(o, mt::FACE_ID, id);
            tlv::write_tlv(o, mt::URI, f.info.remote.to_string().as_bytes());
            tlv::write_tlv(o, mt::LOCAL_URI, f.info.local.to_string().as_bytes());
            tlv::write_nni_tlv(o, dt::FACE_SCOPE, f.info.scope as u64);
            tlv::write_nni_tlv(o, dt::FACE_PERSISTENCY, f.info.persistency as u64);
            tlv::write_nni_tlv(o, dt::LINK_TYPE, f.info.link_type as u64);
            if let Some(m) = f.info.mtu {
                tlv::write_nni_tlv(o, mt::MTU, m);
            }
            let c = f.counters;
            for (t, v) in [
                (dt::N_IN_INTERESTS, c.in_interests),
                (dt::N_IN_DATA, c.in_data),
                (dt::N_IN_NACKS, c.in_nacks),
                (dt::N_OUT_INTERESTS, c.out_interests),
                (dt::N_OUT_DATA, c.out_data),
                (dt::N_OUT_NACKS, c.out_nacks),
                (dt::N_IN_BYTES, c.in_bytes),
                (dt::N_OUT_BYTES, c.out_bytes),
                (mt::FLAGS, 0),
            ] {
                tlv::write_nni_tlv(o, t, v);
            }
        });
    }
    out
}

pub fn fib_list(fw: &Forwarder) -> Vec<u8> {
    let mut out = Vec::new();
    for e in fw.fib.sorted() {
        tlv::write_nested(&mut out, dt::ENTRY, |o| {
            e.name.encode_to(o);
            for h in &e.next_hops {
                tlv::write_nested(o, dt::NEXT_HOP_RECORD, |o| {
                    tlv::write_nni_tlv(o, mt::FACE_ID, h.face);
                    tlv::write_nni_tlv(o, mt::COST, h.cost);
                });
            }
        });
    }
    out
}

pub fn rib_list(fw: &Forwarder, now: Instant) -> Vec<u8> {
    let mut entries: Vec<_> = fw.rib.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::new();
    for (name, routes) in entries {
        tlv::write_nested(&mut out, dt::ENTRY, |o| {
            name.encode_to(o);
            for r in routes {
                tlv::write_nested(o, dt::ROUTE, |o| {
                    tlv::write_nni_tlv(o, mt::FACE_ID, r.face);
                    tlv::write_nni_tlv(o, mt::ORIGIN, r.origin);
                    tlv::write_nni_tlv(o, mt::COST, r.cost);
                    tlv::write_nni_tlv(o, mt::FLAGS, r.flags.0);
                    if let Some(t) = r.expires {
                        tlv::write_nni_tlv(o, mt::EXPIRATION_PERIOD, t.saturating_duration_since(now).as_millis() as u64);
                    }
                });
            }
        });
    }
    out
}

pub fn general_status(fw: &Forwarder, now: Instant) -> Vec<u8> {
    let c = fw.counters();
    let mut out = Vec::new();
    tlv::write_tlv(&mut out, dt::NFD_VERSION, fw.cfg.version.as_bytes());
    for (t, v) in [
        (dt::START_TIMESTAMP, fw.cfg.unix_ms_at_start),
        (dt::CURRENT_TIMESTAMP, fw.unix_ms(now)),
        (dt::N_NAME_TREE_ENTRIES, (fw.fib.len() + fw.pit.len()) as u64),
        (dt::N_FIB_ENTRIES, fw.fib.len() as u64),
        (dt::N_PIT_ENTRIES, fw.pit.len() as u64),
        (dt::N_MEASUREMENTS_ENTRIES, 0),
        (dt::N_CS_ENTRIES, fw.cs.len() as u64),
        (dt::N_IN_INTERESTS, c.in_interests),
        (dt::N_IN_DATA, c.in_data),
        (dt::N_IN_NACKS, c.in_nacks),
        (dt::N_OUT_INTERESTS, c.out_interests),
        (dt::N_OUT_DATA, c.out_data),
        (dt::N_OUT_NACKS, c.out_nacks),
        (dt::N_SATISFIED, c.satisfied),
        (dt::N_UNSATISFIED, c.unsatisfied),
    ] {
        tlv::write_nni_tlv(&mut out, t, v);
    }
    out
}
