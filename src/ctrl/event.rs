//! Events ("unsolicited messages") in wpa_supplicant's exact text.
//!
//! Formats follow the `wpa_msg*()` calls in hostap (`wpa_supplicant/p2p_supplicant.c`,
//! `wps_supplicant.c`, `events.c`, `src/ap/sta_info.c`, `src/ap/wps_hostapd.c`) with the
//! event-name constants of `src/common/wpa_ctrl.h`. Note that several constants end in a
//! space and some events are the bare constant, so e.g. `P2P-FIND-STOPPED ` and
//! `WPS-SUCCESS ` carry a trailing space on the wire; this is reproduced.
//!
//! On the socket an event is `<level>TEXT`, prefixed `IFNAME=<ifname> ` on a global socket:
//! see [`frame`].

use std::fmt::{self, Write as _};
use std::net::Ipv4Addr;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::pin::Pin;
use super::reply::{DeviceType, filter_device_name};
use crate::ieee80211::MacAddr;

/// wpa_supplicant's message levels (`src/utils/wpa_debug.h`: MSG_EXCESSIVE = 0 ... MSG_ERROR = 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i32)]
pub enum MsgLevel {
    Excessive = 0,
    MsgDump = 1,
    Debug = 2,
    /// The level of every event in this module.
    Info = 3,
    Warning = 4,
    Error = 5,
}

impl MsgLevel {
    /// The number written between `<` and `>`.
    pub fn number(self) -> i32 {
        self as i32
    }
}

/// Writes an event datagram: `[IFNAME=<ifname> ]<level>TEXT`.
pub fn frame(level: MsgLevel, global_ifname: Option<&str>, text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 24);
    if let Some(ifname) = global_ifname {
        s.push_str("IFNAME=");
        s.push_str(ifname);
        s.push(' ');
    }
    let _ = write!(s, "<{}>{}", level.number(), text);
    s
}

/// GO or client, as written in P2P-GROUP-STARTED/REMOVED and P2P-GO-NEG-SUCCESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRole {
    Go,
    Client,
}

impl fmt::Display for GroupRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GroupRole::Go => "GO",
            GroupRole::Client => "client",
        })
    }
}

/// `reason=` of P2P-GROUP-REMOVED (hostap `enum wpas_p2p_group_removal_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRemovalReason {
    Requested,
    FormationFailed,
    Idle,
    Unavailable,
    GoEndingSession,
    PskFailure,
    FreqConflict,
}

impl fmt::Display for GroupRemovalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GroupRemovalReason::Requested => "REQUESTED",
            GroupRemovalReason::FormationFailed => "FORMATION_FAILED",
            GroupRemovalReason::Idle => "IDLE",
            GroupRemovalReason::Unavailable => "UNAVAILABLE",
            GroupRemovalReason::GoEndingSession => "GO_ENDING_SESSION",
            GroupRemovalReason::PskFailure => "PSK_FAILURE",
            GroupRemovalReason::FreqConflict => "FREQ_CONFLICT",
        })
    }
}

/// `wps_method=` of P2P-GO-NEG-SUCCESS (hostap `p2p_wps_method_text()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WpsMethodText {
    NotReady,
    Display,
    Keypad,
    Pbc,
}

impl fmt::Display for WpsMethodText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WpsMethodText::NotReady => "not-ready",
            WpsMethodText::Display => "Display",
            WpsMethodText::Keypad => "Keypad",
            WpsMethodText::Pbc => "PBC",
        })
    }
}

/// The group credential shown in P2P-GROUP-STARTED. Secret: `Debug` redacted, zeroized.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub enum GroupCredential {
    /// `psk=<64 hex>`: a raw 256-bit PSK (client side without a passphrase).
    Psk([u8; 32]),
    /// `passphrase="<p>"` (8..63 ASCII characters).
    Passphrase(String),
}

impl fmt::Debug for GroupCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupCredential::Psk(_) => f.write_str("Psk(<redacted>)"),
            GroupCredential::Passphrase(_) => f.write_str("Passphrase(<redacted>)"),
        }
    }
}

/// Addresses a P2P client got in the EAPOL-Key exchange (IP address allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupIp {
    pub ip_addr: Ipv4Addr,
    pub ip_mask: Ipv4Addr,
    pub go_ip_addr: Ipv4Addr,
}

/// P2P-DEVICE-FOUND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceFound {
    /// Source address of the frame (device or interface address).
    pub addr: MacAddr,
    pub p2p_dev_addr: MacAddr,
    pub pri_dev_type: DeviceType,
    pub name: String,
    pub config_methods: u16,
    pub dev_capab: u8,
    pub group_capab: u8,
    /// WFD Device Info subelement body, as hex (`wfd_dev_info=0x...`).
    pub wfd_dev_info: Option<String>,
    /// `new=1` the first time this peer is reported, `new=0` on updates.
    pub new: bool,
}

/// Peer details appended to P2P-PROV-DISC-* events for a received request
/// (`p2p_dev_addr=.. pri_dev_type=.. name='..' config_methods=.. dev_capab=.. group_capab=..`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvDiscPeer {
    pub p2p_dev_addr: MacAddr,
    pub pri_dev_type: DeviceType,
    pub name: String,
    pub config_methods: u16,
    pub dev_capab: u8,
    pub group_capab: u8,
    /// Our running group the request refers to (`group=<ifname>`).
    pub group: Option<String>,
}

/// What follows the address/PIN in P2P-PROV-DISC-SHOW-PIN / ENTER-PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvDiscDetails {
    /// We received a request: peer details.
    Request(ProvDiscPeer),
    /// We received a response; `peer_go=<0|1>` is written when we had asked in `auto` mode.
    Response { peer_go: Option<bool> },
}

/// P2P-INVITATION-RECEIVED variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitationReceived {
    /// `sa=<a> go_dev_addr=<a> [bssid=<b>] unknown-network`.
    UnknownNetwork {
        sa: MacAddr,
        go_dev_addr: MacAddr,
        bssid: Option<MacAddr>,
    },
    /// `sa=<a> persistent=<id> [freq=<f>]`.
    Persistent {
        sa: MacAddr,
        id: u32,
        freq: Option<u32>,
    },
}

/// An event, formatted by `Display` as wpa_supplicant writes it (without the `<3>` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    DeviceFound(DeviceFound),
    DeviceLost {
        p2p_dev_addr: MacAddr,
    },
    FindStopped,
    GoNegRequest {
        src: MacAddr,
        dev_passwd_id: u16,
        go_intent: u8,
    },
    GoNegSuccess {
        role: GroupRole,
        freq: u32,
        ht40: bool,
        peer_dev: MacAddr,
        peer_iface: MacAddr,
        wps_method: WpsMethodText,
    },
    /// `status=` is the P2P status code (or -1 for a local failure).
    GoNegFailure {
        status: i32,
    },
    GroupFormationSuccess,
    /// `reason=` is only written for FREQ_CONFLICT in hostap.
    GroupFormationFailure {
        reason: Option<String>,
    },
    GroupStarted {
        ifname: String,
        role: GroupRole,
        ssid: Vec<u8>,
        freq: u32,
        credential: Option<GroupCredential>,
        go_dev_addr: MacAddr,
        persistent: bool,
        ip: Option<GroupIp>,
    },
    /// `reason` none = removal without reason text.
    GroupRemoved {
        ifname: String,
        role: GroupRole,
        reason: Option<GroupRemovalReason>,
    },
    ProvDiscShowPin {
        peer: MacAddr,
        pin: Pin,
        details: ProvDiscDetails,
    },
    ProvDiscEnterPin {
        peer: MacAddr,
        details: ProvDiscDetails,
    },
    ProvDiscPbcReq {
        peer: MacAddr,
        details: ProvDiscPeer,
    },
    ProvDiscPbcResp {
        peer: MacAddr,
        peer_go: Option<bool>,
    },
    /// `status` none is written `status=N/A` (join without a peer answer).
    ProvDiscFailure {
        p2p_dev_addr: MacAddr,
        status: Option<i32>,
    },
    InvitationReceived(InvitationReceived),
    /// `P2P-INVITATION-ACCEPTED`: an invitation authorised in advance was accepted (same
    /// fields as [`Event::InvitationReceived`]).
    InvitationAccepted(InvitationReceived),
    InvitationResult {
        status: i32,
        bssid: Option<MacAddr>,
        ssid: Option<Vec<u8>>,
        go_dev_addr: Option<MacAddr>,
    },
    WpsPbcActive,
    WpsSuccess,
    WpsTimeout,
    /// WPS-FAIL; `error_indication` 1..=3 adds `reason=<n> (<text>)`.
    WpsFail {
        msg: u8,
        config_error: u16,
        error_indication: u16,
    },
    WpsOverlapDetected,
    /// `WPS-AP-SETUP-LOCKED `: too many wrong PINs, PIN enrollees are refused for a while.
    WpsApSetupLocked,
    /// `WPS-AP-SETUP-UNLOCKED `: the lockout is over.
    WpsApSetupUnlocked,
    WpsRegSuccess {
        enrollee: MacAddr,
        uuid_e: [u8; 16],
    },
    ApStaConnected {
        addr: MacAddr,
        p2p_dev_addr: Option<MacAddr>,
        ip_addr: Option<Ipv4Addr>,
    },
    ApStaDisconnected {
        addr: MacAddr,
        p2p_dev_addr: Option<MacAddr>,
    },
    /// `CTRL-EVENT-CONNECTED - Connection to <bssid> completed [id=<n> id_str=<s>]`.
    Connected {
        bssid: MacAddr,
        network_id: i32,
        id_str: String,
    },
    Disconnected {
        bssid: MacAddr,
        reason: u16,
        locally_generated: bool,
    },
    /// `CTRL-EVENT-TERMINATING ` (wpa_cli stops monitoring on it).
    Terminating,
    /// The NDN probe protocol (directd's own): `NDN-PEER-ADDED <ip>`,
    /// `NDN-PEER-REMOVED <ip> reason=<timeout|group-removed>`, `NDN-ROUTES <ip> n=<count>`.
    Ndn(crate::probe::Event),
    /// The automatic mode (directd's own): see [`AutoEvent`].
    Auto(AutoEvent),
}

/// SSID bytes in the escaped form of hostap's `wpa_ssid_txt()`/`printf_encode()`:
/// `\"`, `\\`, `\e`, `\n`, `\r`, `\t`, other bytes outside 32..=126 as `\xNN`.
pub fn ssid_txt(ssid: &[u8]) -> String {
    let mut s = String::with_capacity(ssid.len());
    for &b in ssid {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x1b => s.push_str("\\e"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            32..=126 => s.push(char::from(b)),
            _ => {
                let _ = write!(s, "\\x{b:02x}");
            }
        }
    }
    s
}

/// `wps_ei_str()`: text of a WPS Configuration Error Indication.
fn wps_ei_str(ei: u16) -> &'static str {
    match ei {
        0 => "No Error",
        1 => "TKIP Only Prohibited",
        2 => "WEP Prohibited",
        3 => "Authentication Failure",
        _ => "Unknown",
    }
}

fn write_pd_peer(f: &mut fmt::Formatter<'_>, p: &ProvDiscPeer) -> fmt::Result {
    write!(
        f,
        " p2p_dev_addr={} pri_dev_type={} name='{}' config_methods=0x{:x} dev_capab=0x{:x} group_capab=0x{:x}",
        p.p2p_dev_addr,
        p.pri_dev_type,
        filter_device_name(&p.name),
        p.config_methods,
        p.dev_capab,
        p.group_capab
    )?;
    if let Some(g) = &p.group {
        write!(f, " group={g}")?;
    }
    Ok(())
}

fn write_pd_details(f: &mut fmt::Formatter<'_>, d: &ProvDiscDetails) -> fmt::Result {
    match d {
        ProvDiscDetails::Request(p) => write_pd_peer(f, p),
        ProvDiscDetails::Response { peer_go: Some(go) } => write!(f, " peer_go={}", u8::from(*go)),
        ProvDiscDetails::Response { peer_go: None } => Ok(()),
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_text(f, Secrets::Show)
    }
}

/// Whether [`Event::write_text`] writes the secrets an event carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Secrets {
    /// As on the control socket: what attached clients receive.
    Show,
    /// For logs: each secret replaced by [`REDACTED`].
    Redact,
}

/// What stands for a secret in [`Event::redacted`].
pub const REDACTED: &str = "<redacted>";

/// An event as a log line: [`Event::redacted`].
pub struct RedactedEvent<'a>(&'a Event);

impl fmt::Display for RedactedEvent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_text(f, Secrets::Redact)
    }
}

impl Event {
    /// The event's text with its secrets (the group's PSK or passphrase, a PIN to show)
    /// replaced by `<redacted>`: the form for logs. Attached control clients get the full
    /// text (`Display`), as wpa_supplicant sends it.
    pub fn redacted(&self) -> RedactedEvent<'_> {
        RedactedEvent(self)
    }

    fn write_text(&self, f: &mut fmt::Formatter<'_>, secrets: Secrets) -> fmt::Result {
        match self {
            Event::DeviceFound(d) => {
                write!(
                    f,
                    "P2P-DEVICE-FOUND {} p2p_dev_addr={} pri_dev_type={} name='{}' config_methods=0x{:x} \
                     dev_capab=0x{:x} group_capab=0x{:x}",
                    d.addr,
                    d.p2p_dev_addr,
                    d.pri_dev_type,
                    filter_device_name(&d.name),
                    d.config_methods,
                    d.dev_capab,
                    d.group_capab
                )?;
                if let Some(w) = &d.wfd_dev_info {
                    write!(f, " wfd_dev_info=0x{w}")?;
                }
                write!(f, " new={}", u8::from(d.new))
            }
            Event::DeviceLost { p2p_dev_addr } => {
                write!(f, "P2P-DEVICE-LOST p2p_dev_addr={p2p_dev_addr}")
            }
            Event::FindStopped => f.write_str("P2P-FIND-STOPPED "),
            Event::GoNegRequest {
                src,
                dev_passwd_id,
                go_intent,
            } => {
                write!(
                    f,
                    "P2P-GO-NEG-REQUEST {src} dev_passwd_id={dev_passwd_id} go_intent={go_intent}"
                )
            }
            Event::GoNegSuccess {
                role,
                freq,
                ht40,
                peer_dev,
                peer_iface,
                wps_method,
            } => write!(
                f,
                "P2P-GO-NEG-SUCCESS role={role} freq={freq} ht40={} peer_dev={peer_dev} peer_iface={peer_iface} \
                 wps_method={wps_method}",
                u8::from(*ht40)
            ),
            Event::GoNegFailure { status } => write!(f, "P2P-GO-NEG-FAILURE status={status}"),
            Event::GroupFormationSuccess => f.write_str("P2P-GROUP-FORMATION-SUCCESS "),
            Event::GroupFormationFailure { reason: None } => {
                f.write_str("P2P-GROUP-FORMATION-FAILURE ")
            }
            Event::GroupFormationFailure { reason: Some(r) } => {
                write!(f, "P2P-GROUP-FORMATION-FAILURE reason={r}")
            }
            Event::GroupStarted {
                ifname,
                role,
                ssid,
                freq,
                credential,
                go_dev_addr,
                persistent,
                ip,
            } => {
                write!(
                    f,
                    "P2P-GROUP-STARTED {ifname} {role} ssid=\"{}\" freq={freq}",
                    ssid_txt(ssid)
                )?;
                match credential {
                    Some(GroupCredential::Psk(_)) if secrets == Secrets::Redact => {
                        write!(f, " psk={REDACTED}")?
                    }
                    Some(GroupCredential::Passphrase(p)) if secrets == Secrets::Redact && !p.is_empty() => {
                        write!(f, " passphrase=\"{REDACTED}\"")?
                    }
                    Some(GroupCredential::Psk(psk)) => {
                        f.write_str(" psk=")?;
                        for b in psk {
                            write!(f, "{b:02x}")?;
                        }
                    }
                    // hostap leaves an empty passphrase out.
                    Some(GroupCredential::Passphrase(p)) if !p.is_empty() => {
                        write!(f, " passphrase=\"{p}\"")?
                    }
                    _ => {}
                }
                write!(f, " go_dev_addr={go_dev_addr}")?;
                if *persistent {
                    f.write_str(" [PERSISTENT]")?;
                }
                if let Some(ip) = ip {
                    write!(
                        f,
                        " ip_addr={} ip_mask={} go_ip_addr={}",
                        ip.ip_addr, ip.ip_mask, ip.go_ip_addr
                    )?;
                }
                Ok(())
            }
            Event::GroupRemoved {
                ifname,
                role,
                reason,
            } => {
                write!(f, "P2P-GROUP-REMOVED {ifname} {role}")?;
                if let Some(r) = reason {
                    write!(f, " reason={r}")?;
                }
                Ok(())
            }
            Event::ProvDiscShowPin { peer, pin, details } => {
                let pin = if secrets == Secrets::Redact { REDACTED } else { pin.expose() };
                write!(f, "P2P-PROV-DISC-SHOW-PIN {peer} {pin}")?;
                write_pd_details(f, details)
            }
            Event::ProvDiscEnterPin { peer, details } => {
                write!(f, "P2P-PROV-DISC-ENTER-PIN {peer}")?;
                write_pd_details(f, details)
            }
            Event::ProvDiscPbcReq { peer, details } => {
                write!(f, "P2P-PROV-DISC-PBC-REQ {peer}")?;
                write_pd_peer(f, details)
            }
            Event::ProvDiscPbcResp { peer, peer_go } => {
                write!(f, "P2P-PROV-DISC-PBC-RESP {peer}")?;
                if let Some(go) = peer_go {
                    write!(f, " peer_go={}", u8::from(*go))?;
                }
                Ok(())
            }
            Event::ProvDiscFailure {
                p2p_dev_addr,
                status: Some(s),
            } => {
                write!(
                    f,
                    "P2P-PROV-DISC-FAILURE p2p_dev_addr={p2p_dev_addr} status={s}"
                )
            }
            Event::ProvDiscFailure {
                p2p_dev_addr,
                status: None,
            } => {
                write!(
                    f,
                    "P2P-PROV-DISC-FAILURE p2p_dev_addr={p2p_dev_addr} status=N/A"
                )
            }
            Event::InvitationAccepted(InvitationReceived::UnknownNetwork {
                sa,
                go_dev_addr,
                bssid,
            }) => {
                write!(
                    f,
                    "P2P-INVITATION-ACCEPTED sa={sa} go_dev_addr={go_dev_addr}"
                )?;
                if let Some(b) = bssid {
                    write!(f, " bssid={b}")?;
                }
                f.write_str(" unknown-network")
            }
            Event::InvitationAccepted(InvitationReceived::Persistent { sa, id, freq }) => {
                write!(f, "P2P-INVITATION-ACCEPTED sa={sa} persistent={id}")?;
                if let Some(fr) = freq {
                    write!(f, " freq={fr}")?;
                }
                Ok(())
            }
            Event::InvitationReceived(InvitationReceived::UnknownNetwork {
                sa,
                go_dev_addr,
                bssid,
            }) => {
                write!(
                    f,
                    "P2P-INVITATION-RECEIVED sa={sa} go_dev_addr={go_dev_addr}"
                )?;
                if let Some(b) = bssid {
                    write!(f, " bssid={b}")?;
                }
                f.write_str(" unknown-network")
            }
            Event::InvitationReceived(InvitationReceived::Persistent { sa, id, freq }) => {
                write!(f, "P2P-INVITATION-RECEIVED sa={sa} persistent={id}")?;
                if let Some(fr) = freq {
                    write!(f, " freq={fr}")?;
                }
                Ok(())
            }
            Event::InvitationResult {
                status,
                bssid,
                ssid,
                go_dev_addr,
            } => {
                write!(f, "P2P-INVITATION-RESULT status={status}")?;
                if let Some(b) = bssid {
                    write!(f, " {b}")?;
                }
                if let Some(s) = ssid {
                    write!(f, " ssid=\"{}\"", ssid_txt(s))?;
                }
                if let Some(g) = go_dev_addr {
                    write!(f, " go_dev_addr={g}")?;
                }
                Ok(())
            }
            Event::WpsPbcActive => f.write_str("WPS-PBC-ACTIVE "),
            Event::WpsSuccess => f.write_str("WPS-SUCCESS "),
            Event::WpsTimeout => f.write_str("WPS-TIMEOUT "),
            Event::WpsFail {
                msg,
                config_error,
                error_indication,
            } => {
                write!(f, "WPS-FAIL msg={msg} config_error={config_error}")?;
                if (1..=3).contains(error_indication) {
                    write!(
                        f,
                        " reason={error_indication} ({})",
                        wps_ei_str(*error_indication)
                    )?;
                }
                Ok(())
            }
            Event::WpsOverlapDetected => f.write_str("WPS-OVERLAP-DETECTED "),
            Event::WpsApSetupLocked => f.write_str("WPS-AP-SETUP-LOCKED "),
            Event::WpsApSetupUnlocked => f.write_str("WPS-AP-SETUP-UNLOCKED "),
            Event::WpsRegSuccess { enrollee, uuid_e } => {
                write!(
                    f,
                    "WPS-REG-SUCCESS {enrollee} {}",
                    super::status::uuid_text(uuid_e)
                )
            }
            Event::ApStaConnected {
                addr,
                p2p_dev_addr,
                ip_addr,
            } => {
                write!(f, "AP-STA-CONNECTED {addr}")?;
                if let Some(d) = p2p_dev_addr {
                    write!(f, " p2p_dev_addr={d}")?;
                }
                if let Some(ip) = ip_addr {
                    write!(f, " ip_addr={ip}")?;
                }
                Ok(())
            }
            Event::ApStaDisconnected { addr, p2p_dev_addr } => {
                write!(f, "AP-STA-DISCONNECTED {addr}")?;
                if let Some(d) = p2p_dev_addr {
                    write!(f, " p2p_dev_addr={d}")?;
                }
                Ok(())
            }
            Event::Connected {
                bssid,
                network_id,
                id_str,
            } => write!(
                f,
                "CTRL-EVENT-CONNECTED - Connection to {bssid} completed [id={network_id} id_str={}]",
                filter_device_name(id_str)
            ),
            Event::Disconnected {
                bssid,
                reason,
                locally_generated,
            } => {
                write!(f, "CTRL-EVENT-DISCONNECTED bssid={bssid} reason={reason}")?;
                if *locally_generated {
                    f.write_str(" locally_generated=1")?;
                }
                Ok(())
            }
            Event::Terminating => f.write_str("CTRL-EVENT-TERMINATING "),
            Event::Ndn(e) => match e {
                crate::probe::Event::PeerAdded { ip } => write!(f, "NDN-PEER-ADDED {ip}"),
                crate::probe::Event::PeerRemoved { ip, reason } => write!(f, "NDN-PEER-REMOVED {ip} reason={reason}"),
                crate::probe::Event::Routes { ip, n } => write!(f, "NDN-ROUTES {ip} n={n}"),
            },
            Event::Auto(e) => write!(f, "{e}"),
        }
    }
}

impl Event {
    /// The level wpa_supplicant sends this event at (all of these are MSG_INFO).
    pub fn level(&self) -> MsgLevel {
        MsgLevel::Info
    }

    /// The full datagram: `[IFNAME=<if> ]<3>TEXT`.
    pub fn to_datagram(&self, global_ifname: Option<&str>) -> String {
        frame(self.level(), global_ifname, &self.to_string())
    }
}

mod auto;
mod go_neg;
mod parse;
pub use auto::{AutoEvent, AutoFailure};
pub use parse::{EventParseError, ssid_from_txt, strip_frame};

#[cfg(test)]
mod tests;
