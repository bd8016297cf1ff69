//! Shared helpers for the sans-IO forwarding tests: a virtual clock and packet builders.
#![allow(dead_code)]

use ndn::fw::{Config, FaceInfo, FaceUri, Forwarder, Output};
use ndn::packet::lp::{LpPacket, NackReason};
use ndn::packet::{Data, Interest, MetaInfo, Name};
use ndn::table::FaceId;
use std::time::{Duration, Instant};

pub struct Net {
    pub fw: Forwarder,
    pub now: Instant,
}

impl Net {
    pub fn new() -> Self {
        Net { fw: Forwarder::new(Config::default()), now: Instant::now() }
    }

    pub fn local_face(&mut self, name: &str) -> FaceId {
        self.fw.add_face(FaceInfo::new(FaceUri::App(name.into()), FaceUri::Internal))
    }

    /// A face to another host (non-local scope).
    pub fn remote_face(&mut self, last_octet: u8) -> FaceId {
        let a = std::net::SocketAddrV4::new(std::net::Ipv4Addr::new(192, 168, 49, last_octet), 6363);
        self.fw.add_face(FaceInfo::new(FaceUri::Udp4(a), FaceUri::Udp4("0.0.0.0:6363".parse().expect("addr"))))
    }

    pub fn send(&mut self, face: FaceId, bytes: &[u8]) -> Vec<Output> {
        self.fw.handle_packet(self.now, face, bytes);
        self.drain()
    }

    pub fn drain(&mut self) -> Vec<Output> {
        std::iter::from_fn(|| self.fw.poll_output()).collect()
    }

    /// Advances the virtual clock by `d`, firing every timer that falls due on the way.
    pub fn advance(&mut self, d: Duration) -> Vec<Output> {
        let end = self.now + d;
        let mut out = Vec::new();
        while let Some(t) = self.fw.poll_timeout().filter(|t| *t <= end) {
            self.now = t.max(self.now);
            self.fw.handle_timeout(self.now);
            out.extend(self.drain());
        }
        self.now = end;
        self.fw.handle_timeout(self.now);
        out.extend(self.drain());
        out
    }
}

pub fn name(s: &str) -> Name {
    s.parse().expect("name")
}

pub fn interest(n: &str, nonce: u32) -> Interest {
    let mut i = Interest::new(name(n));
    i.nonce = Some(nonce);
    i
}

pub fn interest_wire(n: &str, nonce: u32) -> Vec<u8> {
    interest(n, nonce).encode()
}

pub fn data_wire(n: &str, freshness_ms: Option<u64>) -> Vec<u8> {
    let mut d = Data::new(name(n), b"hello".to_vec());
    if let Some(f) = freshness_ms {
        d.meta_info = Some(MetaInfo { freshness_period_ms: Some(f), ..Default::default() });
    }
    d.sign_digest_sha256_and_encode()
}

/// The packets sent to `face`.
pub fn sent_to(out: &[Output], face: FaceId) -> Vec<Vec<u8>> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send { face: f, packet } if *f == face => Some(packet.clone()),
            _ => None,
        })
        .collect()
}

/// The Nack reason if `packet` is a Nack LpPacket.
pub fn nack_reason(packet: &[u8]) -> Option<NackReason> {
    LpPacket::decode(packet).ok().and_then(|lp| lp.nack)
}
