//! Wi-Fi P2P wire formats (Wi-Fi P2P Technical Specification v1.7, section 4).
//!
//! - [`consts`]: attribute IDs, status codes, capability bits, frame subtypes, config
//!   methods, operating classes and social channels.
//! - [`attr`]: the typed [`Attribute`] enum (ID, 2-byte LITTLE-endian length, body).
//! - [`types`]: structured attribute bodies ([`DeviceInfo`] with its big-endian WSC
//!   fields, [`ChannelList`], [`NoticeOfAbsence`], Group Info's [`ClientInfo`], ...).
//! - [`ie`]: [`P2pIe`], parsed from the concatenation of all P2P IEs of a frame and
//!   emitted split over 255-byte IEs.
//! - [`action`]: the public action / P2P action frame header ([`P2pActionFrame`]).
//! - [`frames`]: one typed struct per frame with its required and optional
//!   attributes; [`message`]: [`P2pMessage`] dispatching on subtype.
//!
//! WSC IEs are passed through as their concatenated payload (`wsc` fields): the `wps`
//! crate builds and parses WSC attributes.

pub mod action;
pub mod attr;
pub mod consts;
mod frame_macro;
pub mod frames;
pub mod ie;
pub mod message;
pub mod types;

#[cfg(test)]
pub(crate) mod tests;

pub use action::{FrameKind, P2pActionFrame};
pub use attr::{Attribute, RawAttributes};
pub use consts::{
    ActionSubtype, AttributeId, ConfigMethods, DeviceCapability, GroupCapability, InvitationFlags,
    Manageability, MinorReason, P2pStatus, PublicActionSubtype,
};
pub use frames::{
    DeviceDiscoverabilityRequest, DeviceDiscoverabilityResponse, GoDiscoverabilityRequest,
    GoNegConfirmation, GoNegRequest, GoNegResponse, InvitationRequest, InvitationResponse,
    NoticeOfAbsenceFrame, PresenceRequest, PresenceResponse, ProvisionDiscoveryRequest,
    ProvisionDiscoveryResponse,
};
pub use ie::P2pIe;
pub use message::P2pMessage;
pub use types::{
    Capability, Channel, ChannelEntry, ChannelList, ClientInfo, ConfigTimeout, DeviceDescription,
    DeviceInfo, DeviceType, ExtListenTiming, GoIntent, GroupId, NoaDescriptor, NoticeOfAbsence,
    P2pInterface,
};

use crate::ieee80211;

/// Why P2P bytes could not be parsed or built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Framing error (truncated element or attribute list, short buffer).
    #[error(transparent)]
    Wire(#[from] ieee80211::Error),
    /// An attribute's body is malformed, or too long to emit.
    #[error("P2P attribute {id:?}: {source}")]
    Attribute {
        /// Attribute ID.
        id: AttributeId,
        /// What is wrong with it.
        source: ieee80211::Error,
    },
    /// The action body is not a P2P public action or P2P action frame.
    #[error("not a P2P action frame")]
    NotP2p,
    /// A typed parse was asked for another frame than the one given.
    #[error("expected {expected:?}, got {got:?}")]
    WrongFrame {
        /// The frame the typed parser handles.
        expected: FrameKind,
        /// The frame given.
        got: FrameKind,
    },
    /// The frame has no P2P IE but needs one.
    #[error("{0}: no P2P IE")]
    MissingP2pIe(&'static str),
    /// A required attribute is missing.
    #[error("{frame}: missing required attribute {attr}")]
    MissingAttribute {
        /// Frame name.
        frame: &'static str,
        /// Attribute name.
        attr: &'static str,
    },
    /// The frame has no WSC IE but needs one.
    #[error("{0}: no WSC IE")]
    MissingWsc(&'static str),
}
