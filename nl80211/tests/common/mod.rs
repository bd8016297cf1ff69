//! Reading the nlmon captures in tests/data (see tests/data/README.md).
#![allow(dead_code, clippy::unwrap_used)]

use nl80211::netlink::{Incoming, NLM_F_REQUEST, NlHeader, parse_datagram};
use std::path::PathBuf;

/// One netlink message of a capture.
#[derive(Debug, Clone)]
pub struct Captured {
    /// Index of the packet in the pcap.
    pub packet: usize,
    /// Sent by a user-space socket (true) or by the kernel (false).
    pub from_user: bool,
    /// The message's netlink header.
    pub header: NlHeader,
    /// The whole message, header included.
    pub bytes: Vec<u8>,
}

impl Captured {
    /// The payload after the netlink header.
    pub fn payload(&self) -> &[u8] {
        &self.bytes[16..]
    }
    /// The generic netlink command byte.
    pub fn genl_cmd(&self) -> Option<u8> {
        self.bytes.get(16).copied()
    }
}

pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

pub fn read_text(name: &str) -> String {
    std::fs::read_to_string(data_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every netlink message in a pcap written by tcpdump on an nlmon interface (link type
/// 253, LINKTYPE_NETLINK: a 16-byte Linux cooked header, protocol = netlink family, then
/// the datagram). The cooked header's packet type is the same for both directions here,
/// so the direction comes from `NLM_F_REQUEST`, which only user space sets.
pub fn read_pcap(name: &str) -> Vec<Captured> {
    let raw = std::fs::read(data_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(raw.len() >= 24, "{name}: no pcap header");
    let magic = u32::from_le_bytes(raw[0..4].try_into().unwrap());
    assert!(magic == 0xa1b2_c3d4 || magic == 0xa1b2_3c4d, "{name}: not a little-endian pcap");
    let linktype = u32::from_le_bytes(raw[20..24].try_into().unwrap());
    let skip = match linktype {
        253 => 16,
        other => panic!("{name}: link type {other}"),
    };
    let mut out = Vec::new();
    let mut off = 24;
    let mut packet = 0;
    while off + 16 <= raw.len() {
        let incl = u32::from_le_bytes(raw[off + 8..off + 12].try_into().unwrap()) as usize;
        let data = &raw[off + 16..off + 16 + incl];
        off += 16 + incl;
        let body = &data[skip..];
        let mut rest = body;
        while rest.len() >= 16 {
            let len = u32::from_ne_bytes(rest[0..4].try_into().unwrap()) as usize;
            if len < 16 || len > rest.len() {
                break;
            }
            let msg = &rest[..len];
            let header = match parse_datagram(msg).into_iter().next() {
                Some(Ok(Incoming::Data { header, .. })) => header,
                _ => NlHeader {
                    len: len as u32,
                    kind: u16::from_ne_bytes([msg[4], msg[5]]),
                    flags: u16::from_ne_bytes([msg[6], msg[7]]),
                    seq: u32::from_ne_bytes(msg[8..12].try_into().unwrap()),
                    pid: u32::from_ne_bytes(msg[12..16].try_into().unwrap()),
                },
            };
            out.push(Captured {
                packet,
                from_user: header.flags & NLM_F_REQUEST != 0,
                header,
                bytes: msg.to_vec(),
            });
            rest = &rest[((len + 3) & !3).min(rest.len())..];
        }
        packet += 1;
    }
    out
}

/// The raw datagrams (pcap records) of a capture, cooked header removed.
pub fn read_datagrams(name: &str) -> Vec<Vec<u8>> {
    let raw = std::fs::read(data_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let linktype = u32::from_le_bytes(raw[20..24].try_into().unwrap());
    let skip = match linktype {
        253 => 16,
        other => panic!("{name}: link type {other}"),
    };
    let mut out = Vec::new();
    let mut off = 24;
    while off + 16 <= raw.len() {
        let incl = u32::from_le_bytes(raw[off + 8..off + 12].try_into().unwrap()) as usize;
        out.push(raw[off + 16 + skip..off + 16 + incl].to_vec());
        off += 16 + incl;
    }
    out
}
