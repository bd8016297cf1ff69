//! Typed nl80211: command and attribute enums, a codec with no I/O, and an async client.
//!
//! Layers, bottom up:
//! - [`nla`] and [`netlink`]: attribute TLVs and netlink/generic netlink framing;
//! - [`Command`], [`Attr`] (unknown attributes kept as [`Attr::Other`]), [`Message`];
//! - typed views and request builders per area: [`wiphy`], [`interface`], [`scan`],
//!   [`frame`], [`station`], [`ap`], [`key`], [`connect`];
//! - [`Dispatch`]: routing of received datagrams to requests (by sequence number) or to
//!   events, still without I/O;
//! - [`Nl80211`] / [`Events`]: the tokio client on neli's netlink socket.
//!
//! Numbers come from the kernel's include/uapi/linux/nl80211.h (Linux 6.1).
//!
//! # Using the client
//! ```no_run
//! # async fn demo() -> Result<(), nl80211::Error> {
//! use nl80211::{IfTarget, IfType, NewInterfaceOpts, Nl80211};
//! let (nl, mut events) = Nl80211::connect().await?; // family, groups config/scan/mlme/regulatory
//! let phy = nl.wiphys().await?.into_iter().find(|w| w.supports_iftype(IfType::P2pDevice)).unwrap();
//! let opts = NewInterfaceOpts { socket_owner: true, ..Default::default() };
//! let dev = nl.new_interface(phy.index, "p2p-dev-wlan0", IfType::P2pDevice, opts).await?;
//! nl.start_p2p_device(dev.wdev).await?;
//! while let Some(ev) = events.next().await {
//!     if let Some(rx) = nl80211::frame::RxFrame::from_event(&ev) { /* a registered frame */ }
//! }
//! nl.del_interface(IfTarget::Wdev(dev.wdev)).await?;
//! # Ok(()) }
//! ```
//! Choices worth knowing:
//! - one socket carries requests, events and received frames: REGISTER_FRAME and
//!   SOCKET_OWNER bind to the socket that sent them, so they all belong to one [`Nl80211`];
//! - requests are numbered from 1 and matched by sequence number; every request asks for
//!   an ACK, so [`Nl80211::request`] returns when the kernel is done (with its reply
//!   messages, often none). Dumps use [`Nl80211::dump`]. Requests have no timeout of their
//!   own (wrap them in `tokio::time::timeout` if needed);
//! - [`Event::group`] is `None` for unsolicited unicast (received frames, control-port
//!   frames) and names the multicast group otherwise; the group comes from the datagram's
//!   source address bitmask, which only covers group ids below 32 (nl80211's are far below);
//! - a receive-queue overrun (ENOBUFS) fails the pending requests with [`Error::Overrun`]
//!   (their replies may be lost) and loses events; the socket asks for a 1 MiB queue;
//! - attributes whose value does not fit their typed variant decode as [`Attr::Other`]
//!   (nl80211 reuses some numbers with another shape in another context);
//! - request builders (`*_request` functions) are plain functions returning [`Message`], and
//!   most request types have `from_message`, so a test can check what an agent sent;
//! - `Nl80211::connect` is the constructor, so the SME connect command is
//!   [`Nl80211::connect_sme`].

pub mod ap;
pub mod attr;
pub mod client;
pub mod command;
pub mod connect;
pub mod ctrl;
pub mod dispatch;
pub mod error;
pub mod frame;
pub mod interface;
pub mod key;
pub mod message;
pub mod netlink;
pub mod nla;
mod ops;
pub mod scan;
pub mod station;
pub mod types;
pub mod wiphy;

pub use attr::{Attr, AttrValue, BandRates, IfTypeSet, Indexed, KeyBytes, StaFlagUpdate, sta_flag};
pub use client::{Events, Nl80211};
pub use command::Command;
pub use dispatch::{Dispatch, Event};
pub use error::{DecodeError, Error};
pub use interface::{IfTarget, Interface, NewInterfaceOpts};
pub use key::{KeyAttrs, NewKey};
pub use message::Message;
pub use scan::{Bss, ScanRequest};
pub use types::{AuthType, BandId, BssStatus, ChannelType, ChannelWidth, HiddenSsid, IfType, KeyType, McastGroup, akm, cipher};
pub use wiphy::{Band, Freq, IfaceCombination, IfaceLimit, Wiphy};
