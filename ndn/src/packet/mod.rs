//! NDN packets (format v0.3): names, Interest, Data, signatures, and the NDNLPv2 link layer.

pub mod data;
pub mod interest;
pub mod lp;
pub mod name;
pub mod signature;

pub use data::{Data, DataView, MetaInfo};
pub use interest::Interest;
pub use lp::{LpPacket, NackReason};
pub use name::{Component, Name};
pub use signature::{KeyLocator, SignatureInfo, SignatureType};

use crate::tlv::TlvError;
use thiserror::Error;

/// TLV-TYPE numbers of NDN Packet Format v0.3 ("TLV-TYPE number assignments").
pub mod tt {
    pub const INTEREST: u64 = 5;
    pub const DATA: u64 = 6;
    pub const NAME: u64 = 7;
    pub const GENERIC_COMPONENT: u64 = 8;
    pub const IMPLICIT_SHA256_DIGEST: u64 = 1;
    pub const PARAMETERS_SHA256_DIGEST: u64 = 2;
    pub const KEYWORD: u64 = 32;
    pub const SEGMENT: u64 = 50;
    pub const BYTE_OFFSET: u64 = 52;
    pub const VERSION: u64 = 54;
    pub const TIMESTAMP: u64 = 56;
    pub const SEQUENCE_NUM: u64 = 58;
    pub const CAN_BE_PREFIX: u64 = 33;
    pub const MUST_BE_FRESH: u64 = 18;
    pub const FORWARDING_HINT: u64 = 30;
    pub const NONCE: u64 = 10;
    pub const INTEREST_LIFETIME: u64 = 12;
    pub const HOP_LIMIT: u64 = 34;
    pub const APPLICATION_PARAMETERS: u64 = 36;
    pub const INTEREST_SIGNATURE_INFO: u64 = 44;
    pub const INTEREST_SIGNATURE_VALUE: u64 = 46;
    pub const META_INFO: u64 = 20;
    pub const CONTENT: u64 = 21;
    pub const SIGNATURE_INFO: u64 = 22;
    pub const SIGNATURE_VALUE: u64 = 23;
    pub const CONTENT_TYPE: u64 = 24;
    pub const FRESHNESS_PERIOD: u64 = 25;
    pub const FINAL_BLOCK_ID: u64 = 26;
    pub const SIGNATURE_TYPE: u64 = 27;
    pub const KEY_LOCATOR: u64 = 28;
    pub const KEY_DIGEST: u64 = 29;
    pub const SIGNATURE_NONCE: u64 = 38;
    pub const SIGNATURE_TIME: u64 = 40;
    pub const SIGNATURE_SEQ_NUM: u64 = 42;
}

/// Why a packet could not be decoded or is not valid.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PacketError {
    #[error(transparent)]
    Tlv(#[from] TlvError),
    #[error("invalid name: {0}")]
    Name(&'static str),
    #[error("invalid name URI: {0}")]
    Uri(&'static str),
    #[error("Interest name must not be empty")]
    EmptyInterestName,
    #[error("ParametersSha256DigestComponent missing, misplaced or wrong")]
    ParametersDigest,
    #[error("Nonce must be exactly 4 octets")]
    Nonce,
    #[error("HopLimit must be exactly 1 octet")]
    HopLimit,
    #[error("not an Interest, Data or LpPacket (type {0})")]
    UnknownPacket(u64),
    #[error("invalid LpPacket: {0}")]
    Lp(&'static str),
}

/// The SHA-256 digest of `parts` concatenated.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for p in parts {
        ctx.update(p);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// Constant-time comparison of two digests or signatures.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
