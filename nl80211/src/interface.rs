//! Interfaces (wdevs): the `NL80211_CMD_GET_INTERFACE` reply, NEW/DEL_INTERFACE and
//! START/STOP_P2P_DEVICE requests.

use crate::attr::Attr;
use crate::command::Command;
use crate::error::DecodeError;
use crate::message::Message;
use crate::types::IfType;

/// A wireless interface as the kernel describes it (`NL80211_CMD_NEW_INTERFACE` message,
/// sent for a dump, as the reply to NEW_INTERFACE, and as a config event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// `NL80211_ATTR_IFINDEX`: absent for a P2P-Device (no netdev).
    pub ifindex: Option<u32>,
    /// `NL80211_ATTR_WDEV`: always present.
    pub wdev: u64,
    /// `NL80211_ATTR_WIPHY`.
    pub wiphy: u32,
    /// `NL80211_ATTR_IFNAME`: the netdev name; the kernel leaves it out for a P2P-Device.
    pub name: Option<String>,
    /// `NL80211_ATTR_IFTYPE`.
    pub iftype: IfType,
    /// `NL80211_ATTR_MAC`.
    pub mac: [u8; 6],
    /// `NL80211_ATTR_WIPHY_FREQ`: operating frequency in MHz, when on a channel.
    pub freq: Option<u32>,
    /// `NL80211_ATTR_SSID`: current SSID (AP/GO or connected station).
    pub ssid: Option<Vec<u8>>,
    /// `NL80211_ATTR_GENERATION`.
    pub generation: Option<u32>,
}

impl Interface {
    /// Reads an interface from a message's attributes.
    pub fn from_attrs(attrs: &[Attr]) -> Result<Interface, DecodeError> {
        let missing = |attr| DecodeError::Missing { what: "interface", attr };
        Ok(Interface {
            ifindex: crate::attr!(attrs, Ifindex).copied(),
            wdev: *crate::attr!(attrs, Wdev).ok_or(missing("NL80211_ATTR_WDEV"))?,
            wiphy: *crate::attr!(attrs, Wiphy).ok_or(missing("NL80211_ATTR_WIPHY"))?,
            name: crate::attr!(attrs, Ifname).cloned(),
            iftype: *crate::attr!(attrs, Iftype).ok_or(missing("NL80211_ATTR_IFTYPE"))?,
            mac: *crate::attr!(attrs, Mac).ok_or(missing("NL80211_ATTR_MAC"))?,
            freq: crate::attr!(attrs, WiphyFreq).copied(),
            ssid: crate::attr!(attrs, Ssid).cloned(),
            generation: crate::attr!(attrs, Generation).copied(),
        })
    }

    /// The interfaces of a dump (messages of other commands are skipped).
    pub fn from_messages(msgs: &[Message]) -> Result<Vec<Interface>, DecodeError> {
        msgs.iter()
            .filter(|m| m.cmd == Command::NewInterface)
            .map(|m| Interface::from_attrs(&m.attrs))
            .collect()
    }
}

/// Which interface a command is for: a netdev by index or any wdev by id (a P2P-Device
/// has only a wdev id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfTarget {
    /// `NL80211_ATTR_IFINDEX`.
    Ifindex(u32),
    /// `NL80211_ATTR_WDEV`.
    Wdev(u64),
}

impl IfTarget {
    /// The target named in a message's attributes (the first IFINDEX or WDEV).
    pub fn from_attrs(attrs: &[Attr]) -> Option<IfTarget> {
        attrs.iter().find_map(|a| match a {
            Attr::Ifindex(i) => Some(IfTarget::Ifindex(*i)),
            Attr::Wdev(w) => Some(IfTarget::Wdev(*w)),
            _ => None,
        })
    }

    /// The attribute naming the target.
    pub fn attr(self) -> Attr {
        match self {
            IfTarget::Ifindex(i) => Attr::Ifindex(i),
            IfTarget::Wdev(w) => Attr::Wdev(w),
        }
    }
}

impl From<&Interface> for IfTarget {
    /// The netdev when there is one, else the wdev.
    fn from(i: &Interface) -> Self {
        match i.ifindex {
            Some(x) => IfTarget::Ifindex(x),
            None => IfTarget::Wdev(i.wdev),
        }
    }
}

/// Options of `NL80211_CMD_NEW_INTERFACE`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewInterfaceOpts {
    /// `NL80211_ATTR_MAC`: the address to give the interface (default: the kernel's choice).
    pub mac: Option<[u8; 6]>,
    /// `NL80211_ATTR_SOCKET_OWNER`: the kernel deletes the interface when this socket closes.
    pub socket_owner: bool,
}

/// `NL80211_CMD_NEW_INTERFACE` (attribute order as iw sends it: wiphy, name, type, then
/// optional MAC and socket owner).
pub fn new_interface_request(wiphy: u32, name: &str, iftype: IfType, opts: &NewInterfaceOpts) -> Message {
    let mut m = Message::new(Command::NewInterface)
        .with(Attr::Wiphy(wiphy))
        .with(Attr::Ifname(name.to_string()))
        .with(Attr::Iftype(iftype))
        .with_opt(opts.mac.map(Attr::Mac));
    if opts.socket_owner {
        m = m.with(Attr::SocketOwner);
    }
    m
}

/// `NL80211_CMD_DEL_INTERFACE`.
pub fn del_interface_request(target: IfTarget) -> Message {
    Message::new(Command::DelInterface).with(target.attr())
}

/// `NL80211_CMD_START_P2P_DEVICE`.
pub fn start_p2p_device_request(wdev: u64) -> Message {
    Message::new(Command::StartP2pDevice).with(Attr::Wdev(wdev))
}

/// `NL80211_CMD_STOP_P2P_DEVICE`.
pub fn stop_p2p_device_request(wdev: u64) -> Message {
    Message::new(Command::StopP2pDevice).with(Attr::Wdev(wdev))
}

/// `NL80211_CMD_GET_INTERFACE` dump request.
pub fn get_interface_dump_request() -> Message {
    Message::new(Command::GetInterface)
}
