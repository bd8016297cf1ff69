//! IEEE 802.11 management frames and information elements: wire only.
//!
//! Layout follows smoltcp's wire module: a [`MgmtFrame`] view over a buffer checks
//! lengths once, after which no accessor can panic; owned `*Repr` types are the
//! parsed form (`parse`, `buffer_len`, `emit`). Every multi-byte 802.11 field is
//! little-endian (IEEE Std 802.11-2020, 9.2.2 "Conventions").
//!
//! - [`header`]: Frame Control and the management MAC header (9.2.4, 9.3.3.2).
//! - [`mgmt`]: management frame bodies (9.3.3): beacon, probe request/response,
//!   authentication, (re)association, deauthentication, disassociation, action.
//! - [`ie`]: an element iterator that never panics and typed views of the elements
//!   a P2P device and a P2P GO need (9.4.2), plus an element writer.
//! - [`vendor`]: vendor-specific elements (9.4.2.25): concatenating the payload of all
//!   elements of one OUI/type (P2P and WSC payloads span several) and splitting a long
//!   payload back into 255-byte elements.
//! - [`codes`]: capability information bits, status codes and reason codes.

mod addr;
pub mod codes;
pub(crate) mod cursor;
pub mod header;
pub mod ie;
pub(crate) mod macros;
pub mod mgmt;
pub mod vendor;

#[cfg(test)]
pub(crate) mod tests;

pub use addr::{MacAddr, ParseMacError};
pub use codes::{CapabilityInfo, ReasonCode, StatusCode};
pub use header::{FrameControl, FrameType, MgmtFrame, MgmtHeader, MgmtSubtype, SequenceControl};
pub use ie::{Element, ElementId, Elements, HtCapabilities, Ie, IeWriter, Rate, Tim};
pub use mgmt::{
    ActionCategory, ActionRepr, AssocRequestRepr, AssocResponseRepr, AuthAlgorithm, AuthRepr,
    BeaconRepr, MgmtBody, MgmtRepr, ProbeRequestRepr, ReasonRepr, ReassocRequestRepr,
};
pub use vendor::{Oui, VendorIe, VendorType};

/// Why 802.11 bytes could not be parsed or emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The buffer ends before the named field.
    #[error("truncated {0}")]
    Truncated(&'static str),
    /// A field holds a value the format does not allow.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The frame is not a management frame (frame type given).
    #[error("not a management frame (type {0})")]
    NotManagement(u8),
    /// The output buffer is shorter than `buffer_len()`.
    #[error("output buffer too small: need {need}, have {have}")]
    BufferTooSmall {
        /// Bytes required.
        need: usize,
        /// Bytes available.
        have: usize,
    },
    /// A value is too long for its length field.
    #[error("{0} too long for its length field")]
    TooLong(&'static str),
}
