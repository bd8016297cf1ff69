//! Wi-Fi P2P (Wi-Fi Direct).
//!
//! - [`wire`]: P2P attributes, the P2P IE, public action frames (GO negotiation,
//!   invitation, device discoverability, provision discovery) and P2P action frames
//!   (notice of absence, presence, GO discoverability). Bytes only, no state.
//!
//! - [`discovery`]: the find/listen machine of a P2P device and the answer to probe
//!   requests while listening.
//!
//! - [`peers`]: the peer table fed by scans and probe requests, for P2P_PEER,
//!   P2P-DEVICE-FOUND and P2P-DEVICE-LOST.
//!
//! - [`pd`] answers Provision Discovery Requests; [`pd_request`] sends ours.
//!
//! - [`go_neg`]: GO negotiation, both roles, as a sans-IO machine (not yet wired into
//!   the agent).
//!
//! - [`invitation`]: P2P Invitation, inviting and answering, as a sans-IO machine.
//!
//! - [`persistent`]: the stored persistent groups' text format (unfinished: not wired in).
//!
//! The state machines (discovery, provision discovery, GO negotiation, invitation)
//! live beside `wire` as their own modules and only ever see `wire` reprs.

pub mod discovery;
pub mod go_neg;
pub mod invitation;
pub mod pd;
pub mod persistent;
pub mod pd_request;
pub mod peers;
pub mod wire;
