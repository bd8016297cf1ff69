//! Reading event text back into an [`Event`] (for talking to a real wpa_supplicant peer, and
//! to check the formatter against captures). Extra `key=value` fields that newer
//! wpa_supplicant versions append are ignored.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use super::{
    AutoEvent, AutoFailure, DeviceFound, Event, GroupCredential, GroupIp, GroupRemovalReason, GroupRole,
    InvitationReceived, ProvDiscDetails, ProvDiscPeer, WpsMethodText,
};
use crate::ctrl::pin::Pin;
use crate::ctrl::reply::DeviceType;
use crate::ieee80211::MacAddr;

/// Why a text is not a known event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventParseError {
    #[error("unknown event {0:?}")]
    Unknown(String),
    #[error("{event}: missing or invalid {field}")]
    Field {
        event: &'static str,
        field: &'static str,
    },
}

/// Splits the `[IFNAME=<if> ]<level>` framing off a datagram; returns (ifname, level, text).
pub fn strip_frame(datagram: &str) -> (Option<&str>, Option<i32>, &str) {
    let mut rest = datagram;
    let mut ifname = None;
    if let Some(r) = rest.strip_prefix("IFNAME=")
        && let Some((i, r)) = r.split_once(' ')
    {
        ifname = Some(i);
        rest = r;
    }
    let mut level = None;
    if let Some(r) = rest.strip_prefix('<')
        && let Some((n, r)) = r.split_once('>')
        && let Ok(n) = n.parse()
    {
        level = Some(n);
        rest = r;
    }
    (ifname, level, rest)
}

/// Inverse of [`super::ssid_txt`] (hostap `printf_decode()`).
pub fn ssid_from_txt(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = *b.get(i + 1)?;
        i += 2;
        match c {
            b'"' => out.push(b'"'),
            b'\\' => out.push(b'\\'),
            b'e' => out.push(0x1b),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'x' => {
                let h = s.get(i..i + 2)?;
                out.push(u8::from_str_radix(h, 16).ok()?);
                i += 2;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Words of an event body: plain words, `key=value`, `key='quoted value'`,
/// `key="escaped value"` (the quotes are kept off; escapes are kept for `ssid_from_txt`).
fn tokens(s: &str) -> Option<Vec<&str>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i] != b' ' && b[i] != b'=' {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' && i + 1 < b.len() && (b[i + 1] == b'\'' || b[i + 1] == b'"')
        {
            let q = b[i + 1];
            i += 2;
            loop {
                let c = *b.get(i)?;
                if c == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                i += 1;
                if c == q && (i == b.len() || b[i] == b' ') {
                    break;
                }
            }
        } else {
            while i < b.len() && b[i] != b' ' {
                i += 1;
            }
        }
        out.push(s.get(start..i)?);
    }
    Some(out)
}

/// `key=value` fields (quotes stripped) and the positional words before/among them.
struct Fields<'a> {
    pos: Vec<&'a str>,
    kv: HashMap<&'a str, &'a str>,
    event: &'static str,
}

impl<'a> Fields<'a> {
    fn new(event: &'static str, body: &'a str) -> Result<Self, EventParseError> {
        let toks = tokens(body).ok_or(EventParseError::Field {
            event,
            field: "quoting",
        })?;
        let mut pos = Vec::new();
        let mut kv = HashMap::new();
        for t in toks {
            match t.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    let v = v
                        .strip_prefix('\'')
                        .and_then(|v| v.strip_suffix('\''))
                        .or_else(|| v.strip_prefix('"').and_then(|v| v.strip_suffix('"')))
                        .unwrap_or(v);
                    kv.insert(k, v);
                }
                _ => pos.push(t),
            }
        }
        Ok(Fields { pos, kv, event })
    }

    fn err(&self, field: &'static str) -> EventParseError {
        EventParseError::Field {
            event: self.event,
            field,
        }
    }

    fn get(&self, k: &'static str) -> Result<&'a str, EventParseError> {
        self.kv.get(k).copied().ok_or_else(|| self.err(k))
    }

    fn mac(&self, k: &'static str) -> Result<MacAddr, EventParseError> {
        self.get(k)?.parse().map_err(|_| self.err(k))
    }

    fn opt_mac(&self, k: &'static str) -> Result<Option<MacAddr>, EventParseError> {
        self.kv
            .get(k)
            .map(|v| v.parse().map_err(|_| self.err(k)))
            .transpose()
    }

    fn num<T: std::str::FromStr>(&self, k: &'static str) -> Result<T, EventParseError> {
        self.get(k)?.parse().map_err(|_| self.err(k))
    }

    fn hex<T: TryFrom<u32>>(&self, k: &'static str) -> Result<T, EventParseError> {
        let v = self.get(k)?.strip_prefix("0x").ok_or_else(|| self.err(k))?;
        let n = u32::from_str_radix(v, 16).map_err(|_| self.err(k))?;
        T::try_from(n).map_err(|_| self.err(k))
    }

    fn pos_mac(&self, i: usize, field: &'static str) -> Result<MacAddr, EventParseError> {
        self.pos
            .get(i)
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| self.err(field))
    }

    fn dev_type(&self) -> Result<DeviceType, EventParseError> {
        self.get("pri_dev_type")?
            .parse()
            .map_err(|_| self.err("pri_dev_type"))
    }

    fn pd_peer(&self) -> Result<ProvDiscPeer, EventParseError> {
        Ok(ProvDiscPeer {
            p2p_dev_addr: self.mac("p2p_dev_addr")?,
            pri_dev_type: self.dev_type()?,
            name: self.get("name")?.to_owned(),
            config_methods: self.hex("config_methods")?,
            dev_capab: self.hex("dev_capab")?,
            group_capab: self.hex("group_capab")?,
            group: self.kv.get("group").map(|g| (*g).to_owned()),
        })
    }

    fn pd_details(&self) -> Result<ProvDiscDetails, EventParseError> {
        if self.kv.contains_key("p2p_dev_addr") {
            Ok(ProvDiscDetails::Request(self.pd_peer()?))
        } else {
            Ok(ProvDiscDetails::Response {
                peer_go: self.opt_bool("peer_go")?,
            })
        }
    }

    fn opt_bool(&self, k: &'static str) -> Result<Option<bool>, EventParseError> {
        match self.kv.get(k) {
            None => Ok(None),
            Some(&"0") => Ok(Some(false)),
            Some(&"1") => Ok(Some(true)),
            Some(_) => Err(self.err(k)),
        }
    }

    fn role(&self, i: usize) -> Result<GroupRole, EventParseError> {
        match self.pos.get(i) {
            Some(&"GO") => Ok(GroupRole::Go),
            Some(&"client") => Ok(GroupRole::Client),
            _ => Err(self.err("role")),
        }
    }

    fn ssid(&self, k: &'static str) -> Result<Vec<u8>, EventParseError> {
        ssid_from_txt(self.get(k)?).ok_or_else(|| self.err(k))
    }

    fn ip(&self, k: &'static str) -> Result<Ipv4Addr, EventParseError> {
        self.get(k)?.parse().map_err(|_| self.err(k))
    }
}

fn uuid(s: &str) -> Option<[u8; 16]> {
    let hexs: String = s.chars().filter(|c| *c != '-').collect();
    if hexs.len() != 32 || s.len() != 36 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(hexs.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Event {
    /// Parses event text (without framing; see [`strip_frame`]).
    pub fn parse(text: &str) -> Result<Event, EventParseError> {
        let (name, body) = text.split_once(' ').unwrap_or((text, ""));
        macro_rules! fields {
            ($n:literal) => {
                Fields::new($n, body)?
            };
        }
        let ev = match name {
            "P2P-DEVICE-FOUND" => {
                let f = fields!("P2P-DEVICE-FOUND");
                Event::DeviceFound(DeviceFound {
                    addr: f.pos_mac(0, "addr")?,
                    p2p_dev_addr: f.mac("p2p_dev_addr")?,
                    pri_dev_type: f.dev_type()?,
                    name: f.get("name")?.to_owned(),
                    config_methods: f.hex("config_methods")?,
                    dev_capab: f.hex("dev_capab")?,
                    group_capab: f.hex("group_capab")?,
                    wfd_dev_info: f
                        .kv
                        .get("wfd_dev_info")
                        .map(|w| w.trim_start_matches("0x").to_owned()),
                    new: f.opt_bool("new")?.unwrap_or(false),
                })
            }
            "P2P-DEVICE-LOST" => Event::DeviceLost {
                p2p_dev_addr: fields!("P2P-DEVICE-LOST").mac("p2p_dev_addr")?,
            },
            "P2P-FIND-STOPPED" => Event::FindStopped,
            "P2P-GO-NEG-REQUEST" => {
                let f = fields!("P2P-GO-NEG-REQUEST");
                Event::GoNegRequest {
                    src: f.pos_mac(0, "addr")?,
                    dev_passwd_id: f.num("dev_passwd_id")?,
                    go_intent: f.num("go_intent")?,
                }
            }
            "P2P-GO-NEG-SUCCESS" => {
                let f = fields!("P2P-GO-NEG-SUCCESS");
                Event::GoNegSuccess {
                    role: match f.get("role")? {
                        "GO" => GroupRole::Go,
                        "client" => GroupRole::Client,
                        _ => return Err(f.err("role")),
                    },
                    freq: f.num("freq")?,
                    ht40: f.get("ht40")? == "1",
                    peer_dev: f.mac("peer_dev")?,
                    peer_iface: f.mac("peer_iface")?,
                    wps_method: match f.get("wps_method")? {
                        "PBC" => WpsMethodText::Pbc,
                        "Display" => WpsMethodText::Display,
                        "Keypad" => WpsMethodText::Keypad,
                        "not-ready" => WpsMethodText::NotReady,
                        _ => return Err(f.err("wps_method")),
                    },
                }
            }
            "P2P-GO-NEG-FAILURE" => Event::GoNegFailure {
                status: fields!("P2P-GO-NEG-FAILURE").num("status")?,
            },
            "P2P-GROUP-FORMATION-SUCCESS" => Event::GroupFormationSuccess,
            "P2P-GROUP-FORMATION-FAILURE" => {
                let f = fields!("P2P-GROUP-FORMATION-FAILURE");
                Event::GroupFormationFailure {
                    reason: f.kv.get("reason").map(|r| (*r).to_owned()),
                }
            }
            "P2P-GROUP-STARTED" => {
                let f = fields!("P2P-GROUP-STARTED");
                let credential = if let Some(p) = f.kv.get("psk") {
                    let mut psk = [0u8; 32];
                    if p.len() != 64 {
                        return Err(f.err("psk"));
                    }
                    for (i, o) in psk.iter_mut().enumerate() {
                        *o = p
                            .get(i * 2..i * 2 + 2)
                            .and_then(|h| u8::from_str_radix(h, 16).ok())
                            .ok_or_else(|| f.err("psk"))?;
                    }
                    Some(GroupCredential::Psk(psk))
                } else {
                    f.kv.get("passphrase")
                        .map(|p| GroupCredential::Passphrase((*p).to_owned()))
                };
                let ip = if f.kv.contains_key("ip_addr") {
                    Some(GroupIp {
                        ip_addr: f.ip("ip_addr")?,
                        ip_mask: f.ip("ip_mask")?,
                        go_ip_addr: f.ip("go_ip_addr")?,
                    })
                } else {
                    None
                };
                Event::GroupStarted {
                    ifname: f.pos.first().ok_or_else(|| f.err("ifname"))?.to_string(),
                    role: f.role(1)?,
                    ssid: f.ssid("ssid")?,
                    freq: f.num("freq")?,
                    credential,
                    go_dev_addr: f.mac("go_dev_addr")?,
                    persistent: f.pos.contains(&"[PERSISTENT]"),
                    ip,
                }
            }
            "P2P-GROUP-REMOVED" => {
                let f = fields!("P2P-GROUP-REMOVED");
                let reason = match f.kv.get("reason") {
                    None => None,
                    Some(r) => Some(match *r {
                        "REQUESTED" => GroupRemovalReason::Requested,
                        "FORMATION_FAILED" => GroupRemovalReason::FormationFailed,
                        "IDLE" => GroupRemovalReason::Idle,
                        "UNAVAILABLE" => GroupRemovalReason::Unavailable,
                        "GO_ENDING_SESSION" => GroupRemovalReason::GoEndingSession,
                        "PSK_FAILURE" => GroupRemovalReason::PskFailure,
                        "FREQ_CONFLICT" => GroupRemovalReason::FreqConflict,
                        _ => return Err(f.err("reason")),
                    }),
                };
                Event::GroupRemoved {
                    ifname: f.pos.first().ok_or_else(|| f.err("ifname"))?.to_string(),
                    role: f.role(1)?,
                    reason,
                }
            }
            "P2P-PROV-DISC-SHOW-PIN" => {
                let f = fields!("P2P-PROV-DISC-SHOW-PIN");
                Event::ProvDiscShowPin {
                    peer: f.pos_mac(0, "addr")?,
                    pin: f
                        .pos
                        .get(1)
                        .and_then(|p| Pin::parse(p).ok())
                        .ok_or_else(|| f.err("pin"))?,
                    details: f.pd_details()?,
                }
            }
            "P2P-PROV-DISC-ENTER-PIN" => {
                let f = fields!("P2P-PROV-DISC-ENTER-PIN");
                Event::ProvDiscEnterPin {
                    peer: f.pos_mac(0, "addr")?,
                    details: f.pd_details()?,
                }
            }
            "P2P-PROV-DISC-PBC-REQ" => {
                let f = fields!("P2P-PROV-DISC-PBC-REQ");
                Event::ProvDiscPbcReq {
                    peer: f.pos_mac(0, "addr")?,
                    details: f.pd_peer()?,
                }
            }
            "P2P-PROV-DISC-PBC-RESP" => {
                let f = fields!("P2P-PROV-DISC-PBC-RESP");
                Event::ProvDiscPbcResp {
                    peer: f.pos_mac(0, "addr")?,
                    peer_go: f.opt_bool("peer_go")?,
                }
            }
            "P2P-PROV-DISC-FAILURE" => {
                let f = fields!("P2P-PROV-DISC-FAILURE");
                let status = match f.get("status")? {
                    "N/A" => None,
                    s => Some(s.parse().map_err(|_| f.err("status"))?),
                };
                Event::ProvDiscFailure {
                    p2p_dev_addr: f.mac("p2p_dev_addr")?,
                    status,
                }
            }
            "P2P-INVITATION-RECEIVED" => {
                let f = fields!("P2P-INVITATION-RECEIVED");
                let sa = f.mac("sa")?;
                if f.kv.contains_key("persistent") {
                    Event::InvitationReceived(InvitationReceived::Persistent {
                        sa,
                        id: f.num("persistent")?,
                        freq: f
                            .kv
                            .get("freq")
                            .map(|v| v.parse().map_err(|_| f.err("freq")))
                            .transpose()?,
                    })
                } else if f.pos.contains(&"unknown-network") {
                    Event::InvitationReceived(InvitationReceived::UnknownNetwork {
                        sa,
                        go_dev_addr: f.mac("go_dev_addr")?,
                        bssid: f.opt_mac("bssid")?,
                    })
                } else {
                    return Err(f.err("persistent|unknown-network"));
                }
            }
            "P2P-INVITATION-RESULT" => {
                let f = fields!("P2P-INVITATION-RESULT");
                Event::InvitationResult {
                    status: f.num("status")?,
                    bssid: f
                        .pos
                        .first()
                        .map(|b| b.parse().map_err(|_| f.err("bssid")))
                        .transpose()?,
                    ssid: f
                        .kv
                        .get("ssid")
                        .map(|s| ssid_from_txt(s).ok_or_else(|| f.err("ssid")))
                        .transpose()?,
                    go_dev_addr: f.opt_mac("go_dev_addr")?,
                }
            }
            "WPS-PBC-ACTIVE" => Event::WpsPbcActive,
            "WPS-SUCCESS" => Event::WpsSuccess,
            "WPS-TIMEOUT" => Event::WpsTimeout,
            "WPS-OVERLAP-DETECTED" => Event::WpsOverlapDetected,
            "WPS-AP-SETUP-LOCKED" => Event::WpsApSetupLocked,
            "WPS-AP-SETUP-UNLOCKED" => Event::WpsApSetupUnlocked,
            "WPS-FAIL" => {
                let f = fields!("WPS-FAIL");
                Event::WpsFail {
                    msg: f.num("msg")?,
                    config_error: f.num("config_error")?,
                    error_indication: f
                        .kv
                        .get("reason")
                        .map(|r| r.parse().map_err(|_| f.err("reason")))
                        .transpose()?
                        .unwrap_or(0),
                }
            }
            "WPS-REG-SUCCESS" => {
                let f = fields!("WPS-REG-SUCCESS");
                Event::WpsRegSuccess {
                    enrollee: f.pos_mac(0, "addr")?,
                    uuid_e: f
                        .pos
                        .get(1)
                        .and_then(|u| uuid(u))
                        .ok_or_else(|| f.err("uuid"))?,
                }
            }
            "AP-STA-CONNECTED" => {
                let f = fields!("AP-STA-CONNECTED");
                Event::ApStaConnected {
                    addr: f.pos_mac(0, "addr")?,
                    p2p_dev_addr: f.opt_mac("p2p_dev_addr")?,
                    ip_addr: f
                        .kv
                        .get("ip_addr")
                        .map(|v| v.parse().map_err(|_| f.err("ip_addr")))
                        .transpose()?,
                }
            }
            "AP-STA-DISCONNECTED" => {
                let f = fields!("AP-STA-DISCONNECTED");
                Event::ApStaDisconnected {
                    addr: f.pos_mac(0, "addr")?,
                    p2p_dev_addr: f.opt_mac("p2p_dev_addr")?,
                }
            }
            "CTRL-EVENT-CONNECTED" => {
                const E: &str = "CTRL-EVENT-CONNECTED";
                let err = |field| EventParseError::Field { event: E, field };
                let rest = body.strip_prefix("- Connection to ").ok_or(err("text"))?;
                let (bssid, rest) = rest.split_once(' ').ok_or(err("bssid"))?;
                let inner = rest.split_once("[id=").ok_or(err("id"))?.1;
                let (id, rest) = inner.split_once(" id_str=").ok_or(err("id_str"))?;
                let id_str = rest.split(']').next().unwrap_or("");
                Event::Connected {
                    bssid: bssid.parse().map_err(|_| err("bssid"))?,
                    network_id: id.parse().map_err(|_| err("id"))?,
                    id_str: id_str.to_owned(),
                }
            }
            "CTRL-EVENT-DISCONNECTED" => {
                let f = fields!("CTRL-EVENT-DISCONNECTED");
                Event::Disconnected {
                    bssid: f.mac("bssid")?,
                    reason: f.num("reason")?,
                    locally_generated: f.kv.get("locally_generated") == Some(&"1"),
                }
            }
            "CTRL-EVENT-TERMINATING" => Event::Terminating,
            "NDN-PEER-ADDED" | "NDN-PEER-REMOVED" | "NDN-ROUTES" => {
                use crate::probe::{Event as Ndn, RemoveReason};
                let f = match name {
                    "NDN-PEER-ADDED" => fields!("NDN-PEER-ADDED"),
                    "NDN-PEER-REMOVED" => fields!("NDN-PEER-REMOVED"),
                    _ => fields!("NDN-ROUTES"),
                };
                let ip: Ipv4Addr = f.pos.first().and_then(|p| p.parse().ok()).ok_or_else(|| f.err("ip"))?;
                Event::Ndn(match name {
                    "NDN-PEER-ADDED" => Ndn::PeerAdded { ip },
                    "NDN-PEER-REMOVED" => Ndn::PeerRemoved {
                        ip,
                        reason: match f.get("reason")? {
                            "timeout" => RemoveReason::Timeout,
                            "group-removed" => RemoveReason::GroupRemoved,
                            _ => return Err(f.err("reason")),
                        },
                    },
                    _ => Ndn::Routes { ip, n: f.num("n")? },
                })
            }
            "P2P-AUTO-SEARCH" | "P2P-AUTO-CONNECTED" | "P2P-AUTO-LINK-LOST" | "P2P-AUTO-FAILED" => {
                Event::Auto(parse_auto(name, body)?)
            }
            other => return Err(EventParseError::Unknown(other.to_owned())),
        };
        Ok(ev)
    }
}

/// The automatic mode's events (directd's own: [`AutoEvent`]).
fn parse_auto(name: &str, body: &str) -> Result<AutoEvent, EventParseError> {
    let f = match name {
        "P2P-AUTO-SEARCH" => Fields::new("P2P-AUTO-SEARCH", body)?,
        "P2P-AUTO-CONNECTED" => Fields::new("P2P-AUTO-CONNECTED", body)?,
        "P2P-AUTO-LINK-LOST" => Fields::new("P2P-AUTO-LINK-LOST", body)?,
        _ => Fields::new("P2P-AUTO-FAILED", body)?,
    };
    let ifname = || f.pos.first().map(|s| (*s).to_owned()).ok_or_else(|| f.err("ifname"));
    Ok(match name {
        "P2P-AUTO-SEARCH" => {
            AutoEvent::Search { peer: f.mac("peer")?, window_secs: f.num("window")?, attempt: f.num("attempt")? }
        }
        "P2P-AUTO-CONNECTED" => AutoEvent::Connected {
            ifname: ifname()?,
            role: match f.get("role")? {
                "GO" => GroupRole::Go,
                "client" => GroupRole::Client,
                _ => return Err(f.err("role")),
            },
            peer: f.mac("peer")?,
        },
        "P2P-AUTO-LINK-LOST" => AutoEvent::LinkLost { ifname: ifname()?, peer: f.mac("peer")? },
        _ => AutoEvent::Failed {
            reason: match f.get("reason")? {
                "peer-not-found" => AutoFailure::PeerNotFound,
                "negotiation-failed" => AutoFailure::NegotiationFailed,
                "formation-failed" => AutoFailure::FormationFailed,
                _ => return Err(f.err("reason")),
            },
            peer: f.mac("peer")?,
            retry_in_secs: match f.kv.get("retry_in") {
                None => None,
                Some(v) => Some(v.parse().map_err(|_| f.err("retry_in"))?),
            },
        },
    })
}
