//! NDNLPv2 link protocol: LpPacket headers, Nack, PIT token, fragmentation fields.
//!
//! Header fields must precede the Fragment. Unknown header fields in 800..=959 whose
//! two low bits are 00 may be ignored; any other unknown field makes the packet invalid.

use super::PacketError;
use crate::tlv::{self, Reader};

/// NDNLPv2 TLV-TYPE numbers.
pub mod lpt {
    pub const LP_PACKET: u64 = 100;
    pub const FRAGMENT: u64 = 80;
    pub const SEQUENCE: u64 = 81;
    pub const FRAG_INDEX: u64 = 82;
    pub const FRAG_COUNT: u64 = 83;
    pub const PIT_TOKEN: u64 = 98;
    pub const NACK: u64 = 800;
    pub const NACK_REASON: u64 = 801;
    pub const INCOMING_FACE_ID: u64 = 812;
    pub const NEXT_HOP_FACE_ID: u64 = 816;
    pub const CACHE_POLICY: u64 = 820;
    pub const CONGESTION_MARK: u64 = 832;
    pub const ACK: u64 = 836;
    pub const TX_SEQUENCE: u64 = 840;
    pub const NON_DISCOVERY: u64 = 844;
    pub const PREFIX_ANNOUNCEMENT: u64 = 848;
}

/// NackReason values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NackReason {
    /// A Nack element with no reason.
    None,
    Congestion,
    Duplicate,
    NoRoute,
    Other(u64),
}

impl NackReason {
    pub fn from_code(v: u64) -> Self {
        match v {
            0 => NackReason::None,
            50 => NackReason::Congestion,
            100 => NackReason::Duplicate,
            150 => NackReason::NoRoute,
            v => NackReason::Other(v),
        }
    }

    pub fn code(self) -> u64 {
        match self {
            NackReason::None => 0,
            NackReason::Congestion => 50,
            NackReason::Duplicate => 100,
            NackReason::NoRoute => 150,
            NackReason::Other(v) => v,
        }
    }
}

/// A decoded LpPacket; the fragment borrows from the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LpPacket<'a> {
    pub sequence: Option<u64>,
    pub frag_index: Option<u64>,
    pub frag_count: Option<u64>,
    pub pit_token: Option<&'a [u8]>,
    pub nack: Option<NackReason>,
    pub incoming_face_id: Option<u64>,
    pub next_hop_face_id: Option<u64>,
    pub cache_policy: Option<u64>,
    pub congestion_mark: Option<u64>,
    pub acks: Vec<u64>,
    pub tx_sequence: Option<u64>,
    pub non_discovery: bool,
    pub prefix_announcement: Option<&'a [u8]>,
    pub fragment: Option<&'a [u8]>,
}

fn seq(value: &[u8]) -> Result<u64, PacketError> {
    // Sequence-like fields are fixed-width; accept 1..=8 octets big-endian.
    if value.is_empty() || value.len() > 8 {
        return Err(PacketError::Lp("bad sequence field"));
    }
    Ok(value.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)))
}

impl<'a> LpPacket<'a> {
    /// Decodes an LpPacket TLV (type 100).
    pub fn decode(wire: &'a [u8]) -> Result<LpPacket<'a>, PacketError> {
        let outer = tlv::expect_single(wire, lpt::LP_PACKET)?;
        let mut r = Reader::new(outer.value);
        let mut p = LpPacket::default();
        while !r.is_empty() {
            let e = r.read()?;
            if p.fragment.is_some() {
                return Err(PacketError::Lp("header field after Fragment"));
            }
            match e.typ {
                lpt::FRAGMENT => p.fragment = Some(e.value),
                lpt::SEQUENCE => p.sequence = Some(seq(e.value)?),
                lpt::FRAG_INDEX => p.frag_index = Some(e.nni()?),
                lpt::FRAG_COUNT => p.frag_count = Some(e.nni()?),
                lpt::PIT_TOKEN => p.pit_token = Some(e.value),
                lpt::NACK => {
                    let mut reason = NackReason::None;
                    let mut nr = Reader::new(e.value);
                    while !nr.is_empty() {
                        let x = nr.read()?;
                        if x.typ == lpt::NACK_REASON {
                            reason = NackReason::from_code(x.nni()?);
                        }
                    }
                    p.nack = Some(reason);
                }
                lpt::INCOMING_FACE_ID => p.incoming_face_id = Some(e.nni()?),
                lpt::NEXT_HOP_FACE_ID => p.next_hop_face_id = Some(e.nni()?),
                lpt::CACHE_POLICY => {
                    let mut cr = Reader::new(e.value);
                    while !cr.is_empty() {
                        let x = cr.read()?;
                        if x.typ == 821 {
                            p.cache_policy = Some(x.nni()?);
                        }
                    }
                }
                lpt::CONGESTION_MARK => p.congestion_mark = Some(e.nni()?),
                lpt::ACK => p.acks.push(seq(e.value)?),
                lpt::TX_SEQUENCE => p.tx_sequence = Some(seq(e.value)?),
                lpt::NON_DISCOVERY => p.non_discovery = true,
                lpt::PREFIX_ANNOUNCEMENT => p.prefix_announcement = Some(e.value),
                t if (800..=959).contains(&t) && t & 0b11 == 0 => {}
                _ => return Err(PacketError::Lp("unknown critical header field")),
            }
        }
        if let (Some(i), Some(c)) = (p.frag_index, p.frag_count)
            && i >= c
        {
            return Err(PacketError::Lp("FragIndex not below FragCount"));
        }
        Ok(p)
    }

    /// Encodes the LpPacket (fields in the order NDNLPv2 lists them).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.fragment.map_or(0, <[u8]>::len) + 32);
        tlv::write_nested(&mut out, lpt::LP_PACKET, |o| {
            if let Some(s) = self.sequence {
                tlv::write_tlv(o, lpt::SEQUENCE, &s.to_be_bytes());
            }
            if let Some(i) = self.frag_index {
                tlv::write_nni_tlv(o, lpt::FRAG_INDEX, i);
            }
            if let Some(c) = self.frag_count {
                tlv::write_nni_tlv(o, lpt::FRAG_COUNT, c);
            }
            if let Some(t) = self.pit_token {
                tlv::write_tlv(o, lpt::PIT_TOKEN, t);
            }
            if let Some(n) = self.nack {
                tlv::write_nested(o, lpt::NACK, |o| {
                    if n != NackReason::None {
                        tlv::write_nni_tlv(o, lpt::NACK_REASON, n.code());
                    }
                });
            }
            if let Some(v) = self.incoming_face_id {
                tlv::write_nni_tlv(o, lpt::INCOMING_FACE_ID, v);
            }
            if let Some(v) = self.next_hop_face_id {
                tlv::write_nni_tlv(o, lpt::NEXT_HOP_FACE_ID, v);
            }
            if let Some(v) = self.cache_policy {
                tlv::write_nested(o, lpt::CACHE_POLICY, |o| tlv::write_nni_tlv(o, 821, v));
            }
            if let Some(v) = self.congestion_mark {
                tlv::write_nni_tlv(o, lpt::CONGESTION_MARK, v);
            }
            for a in &self.acks {
                tlv::write_tlv(o, lpt::ACK, &a.to_be_bytes());
            }
            if let Some(s) = self.tx_sequence {
                tlv::write_tlv(o, lpt::TX_SEQUENCE, &s.to_be_bytes());
            }
            if self.non_discovery {
                tlv::write_tlv(o, lpt::NON_DISCOVERY, &[]);
            }
            if let Some(pa) = self.prefix_announcement {
                tlv::write_tlv(o, lpt::PREFIX_ANNOUNCEMENT, pa);
            }
            if let Some(f) = self.fragment {
                tlv::write_tlv(o, lpt::FRAGMENT, f);
            }
        });
        out
    }
}

/// Wraps an Interest in a Nack LpPacket.
pub fn encode_nack(interest_wire: &[u8], reason: NackReason, pit_token: Option<&[u8]>) -> Vec<u8> {
    LpPacket { nack: Some(reason), pit_token, fragment: Some(interest_wire), ..Default::default() }.encode()
}

/// Wraps a network-layer packet with a PIT token.
pub fn encode_with_pit_token(packet: &[u8], token: &[u8]) -> Vec<u8> {
    LpPacket { pit_token: Some(token), fragment: Some(packet), ..Default::default() }.encode()
}
