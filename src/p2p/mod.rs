//! Wi-Fi P2P (Wi-Fi Direct).
//!
//! - [`wire`]: P2P attributes, the P2P IE, public action frames (GO negotiation,
//!   invitation, device discoverability, provision discovery) and P2P action frames
//!   (notice of absence, presence, GO discoverability). Bytes only, no state.
//!
//! - [`peers`]: the peer table fed by scans (running groups), for P2P_PEER and
//!   P2P-DEVICE-FOUND.
//!
//! - [`go_neg`]: GO negotiation, both roles, as a sans-IO machine (not yet wired into
//!   the agent).
//!
//! The state machines (discovery, provision discovery, GO negotiation, invitation)
//! live beside `wire` as their own modules and only ever see `wire` reprs.

pub mod go_neg;
pub mod pd;
pub mod peers;
pub mod wire;
