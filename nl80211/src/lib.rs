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
