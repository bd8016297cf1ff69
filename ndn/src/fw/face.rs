//! What the forwarding core knows about a face: URIs, scope, persistency, counters.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::PathBuf;
use std::str::FromStr;

/// A face URI as NFD writes them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FaceUri {
    Udp4(SocketAddrV4),
    Tcp4(SocketAddrV4),
    Unix(PathBuf),
    /// In-process application face.
    App(String),
    Internal,
}

/// Why a face URI was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaceUriError {
    #[error("unsupported scheme in {0:?}")]
    Scheme(String),
    #[error("bad address in {0:?} (want an IPv4 literal and a port)")]
    Address(String),
}

impl FaceUri {
    /// Whether the far end is on this host (loopback or Unix socket or in-process).
    pub fn is_local(&self) -> bool {
        match self {
            FaceUri::Udp4(a) | FaceUri::Tcp4(a) => a.ip().is_loopback(),
            FaceUri::Unix(_) | FaceUri::App(_) | FaceUri::Internal => true,
        }
    }
}

impl FromStr for FaceUri {
    type Err = FaceUriError;

    fn from_str(s: &str) -> Result<Self, FaceUriError> {
        let addr = |rest: &str| {
            let (host, port) = rest.trim_end_matches('/').rsplit_once(':').ok_or(FaceUriError::Address(s.into()))?;
            let ip: Ipv4Addr = host.parse().map_err(|_| FaceUriError::Address(s.into()))?;
            let port: u16 = port.parse().map_err(|_| FaceUriError::Address(s.into()))?;
            Ok(SocketAddrV4::new(ip, port))
        };
        if let Some(rest) = s.strip_prefix("udp4://").or_else(|| s.strip_prefix("udp://")) {
            return addr(rest).map(FaceUri::Udp4);
        }
        if let Some(rest) = s.strip_prefix("tcp4://").or_else(|| s.strip_prefix("tcp://")) {
            return addr(rest).map(FaceUri::Tcp4);
        }
        if let Some(rest) = s.strip_prefix("unix://") {
            return Ok(FaceUri::Unix(PathBuf::from(rest)));
        }
        if let Some(rest) = s.strip_prefix("app://") {
            return Ok(FaceUri::App(rest.into()));
        }
        if s == "internal://" {
            return Ok(FaceUri::Internal);
        }
        Err(FaceUriError::Scheme(s.into()))
    }
}

impl fmt::Display for FaceUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaceUri::Udp4(a) => write!(f, "udp4://{a}"),
            FaceUri::Tcp4(a) => write!(f, "tcp4://{a}"),
            FaceUri::Unix(p) => write!(f, "unix://{}", p.display()),
            FaceUri::App(n) => write!(f, "app://{n}"),
            FaceUri::Internal => f.write_str("internal://"),
        }
    }
}

/// FaceScope (NFD face management).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceScope {
    NonLocal = 0,
    Local = 1,
}

/// FacePersistency (NFD face management).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacePersistency {
    Persistent = 0,
    OnDemand = 1,
    Permanent = 2,
}

/// LinkType (NFD face management).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkType {
    PointToPoint = 0,
    MultiAccess = 1,
    AdHoc = 2,
}

/// Static description of a face, given by whoever opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceInfo {
    pub remote: FaceUri,
    pub local: FaceUri,
    pub scope: FaceScope,
    pub persistency: FacePersistency,
    pub link_type: LinkType,
    pub mtu: Option<u64>,
}

impl FaceInfo {
    /// A face with scope derived from the remote URI, persistent, point-to-point.
    pub fn new(remote: FaceUri, local: FaceUri) -> Self {
        let scope = if remote.is_local() { FaceScope::Local } else { FaceScope::NonLocal };
        FaceInfo { remote, local, scope, persistency: FacePersistency::Persistent, link_type: LinkType::PointToPoint, mtu: None }
    }

    pub fn with_persistency(mut self, p: FacePersistency) -> Self {
        self.persistency = p;
        self
    }
}

/// Per-face packet counters (FaceStatus fields 0x90..0x98).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaceCounters {
    pub in_interests: u64,
    pub in_data: u64,
    pub in_nacks: u64,
    pub out_interests: u64,
    pub out_data: u64,
    pub out_nacks: u64,
    pub in_bytes: u64,
    pub out_bytes: u64,
}

/// Forwarder-wide counters (status/general).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub in_interests: u64,
    pub in_data: u64,
    pub in_nacks: u64,
    pub out_interests: u64,
    pub out_data: u64,
    pub out_nacks: u64,
    pub satisfied: u64,
    pub unsatisfied: u64,
    /// Interests aggregated onto an existing PIT entry.
    pub aggregated: u64,
    /// Interests dropped as loops (duplicate nonce in the PIT or the dead-nonce list).
    pub loops: u64,
    /// Packets that failed to decode.
    pub invalid: u64,
    /// Packets dropped by the /localhost and /localhop scope rules.
    pub scope_violations: u64,
    /// Data with no PIT entry.
    pub unsolicited: u64,
    /// Interests refused (Nack Congestion) because the PIT was full.
    pub pit_full: u64,
    /// LP fragments dropped (reassembly timeout, overflow, inconsistency).
    pub fragments_dropped: u64,
    /// Datagrams longer than the transport's receive buffer, dropped unparsed (counted
    /// by the runtime's UDP faces; the sans-IO core never sees them).
    pub truncated: u64,
}
