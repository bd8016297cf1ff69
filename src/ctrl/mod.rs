//! The wpa_ctrl-compatible control interface: request parsing and reply/event formatting
//! (no I/O); the Unix datagram server is in `driver::ctrl`, so that the real `wpa_cli` drives directd as it
//! drives wpa_supplicant's P2P.
//!
//! Layer 1, no I/O:
//! - [`Request::parse`] turns one request datagram into a typed [`Request`] (or a
//!   [`ParseError`], answered `FAIL\n` / `FAIL-INVALID-PIN\n`, see [`ParseError::reply`]);
//!   an unknown command word is [`Request::Unknown`], answered [`Reply::UnknownCommand`].
//! - [`Reply`] and [`PeerInfo`] format replies; [`Event`] formats every event in
//!   wpa_supplicant's exact text, [`frame`] / [`Event::to_datagram`] add the `<3>` level
//!   and the optional `IFNAME=<if> ` prefix. [`Event::parse`] / [`strip_frame`] read event
//!   text back (extra fields of newer wpa_supplicant versions are ignored).
//!
//! [`monitors`] keeps the attached clients of a socket (`ATTACH`, `DETACH`, `LEVEL`, who
//! gets an event) and reads a datagram, still without I/O.
//!
//! The socket itself is `directd::driver::ctrl::CtrlServer`, one per `<dir>/<ifname>`:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use directd::ctrl::{Reply, Request, Event, MsgLevel};
//! use directd::driver::ctrl::{CtrlServer, Incoming};
//! let mut srv = CtrlServer::bind("/run/directd".as_ref(), "p2p-dev-wlan0")?;
//! let events = srv.event_sender(); // Clone + Send: give it to whoever produces events
//! loop {
//!     match srv.recv().await? {
//!         Incoming::Command(cmd) => {
//!             let reply = match cmd.request() {
//!                 Ok(Request::Ping) => Reply::Pong,
//!                 Ok(Request::Unknown { .. }) => Reply::UnknownCommand,
//!                 Ok(_) => Reply::Fail,
//!                 Err(e) => Reply::Text(e.reply().into()),
//!             };
//!             cmd.reply(&reply);
//!         }
//!         Incoming::Attached { .. } | Incoming::Detached { .. } => {}
//!     }
//!     events.send(MsgLevel::Info, &Event::FindStopped);
//! }
//! # }
//! ```

pub mod discovery;
pub mod event;
pub mod ndn;
#[cfg(test)]
mod hwsim_vectors;
pub mod pin;
pub mod monitors;
pub mod reply;
pub mod request;
pub mod sta;
pub mod status;

/// MAC addresses are the crate-wide [`crate::ieee80211::MacAddr`] (text form `xx:xx:..`, lowercase).
pub use crate::ieee80211::MacAddr;
pub use event::{
    AutoEvent, AutoFailure, DeviceFound, Event, EventParseError, GroupCredential, GroupIp, GroupRemovalReason, GroupRole,
    InvitationReceived, MsgLevel, ProvDiscDetails, ProvDiscPeer, WpsMethodText, frame, strip_frame,
};
pub use pin::{Pin, PinError};
pub use reply::{DeviceType, Passphrase, PeerInfo, Reply};
pub use request::{
    ConnectContext, ConnectMethod, ConnectParams, FindParams, FindType, GroupAddParams, InviteParams,
    MAX_REQUEST_LEN, ParseError, PeerQuery, Persistent, ProvDiscMethod, ProvDiscParams,
    ProvDiscUse, Request, WpsPinRequest, WpsPinTarget, check_connect,
};
pub use monitors::ClientAddr;
pub use sta::{StaInfo, StaP2p, StaQuery, sta_reply};
pub use status::{GroupLink, Status, WpaState};
