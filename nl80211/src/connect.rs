//! Joining a BSS as a station / P2P client: AUTHENTICATE, ASSOCIATE, DEAUTHENTICATE
//! (user-space SME) or CONNECT / DISCONNECT (driver SME), and the MLME events.

use crate::ap::Crypto;
use crate::attr::Attr;
use crate::command::Command;
use crate::dispatch::Event;
use crate::interface::IfTarget;
use crate::message::Message;
use crate::types::AuthType;

/// `NL80211_CMD_AUTHENTICATE` parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthParams {
    /// `NL80211_ATTR_MAC`: the AP.
    pub bssid: [u8; 6],
    /// `NL80211_ATTR_WIPHY_FREQ`.
    pub freq: u32,
    /// `NL80211_ATTR_SSID`.
    pub ssid: Vec<u8>,
    /// `NL80211_ATTR_AUTH_TYPE`.
    pub auth_type: AuthType,
    /// `NL80211_ATTR_IE`.
    pub ie: Option<Vec<u8>>,
}

impl AuthParams {
    /// Reads an AUTHENTICATE request (with its target).
    pub fn from_message(m: &Message) -> Option<(IfTarget, AuthParams)> {
        if m.cmd != Command::Authenticate {
            return None;
        }
        let a = &m.attrs;
        Some((
            IfTarget::from_attrs(a)?,
            AuthParams {
                bssid: *crate::attr!(a, Mac)?,
                freq: *crate::attr!(a, WiphyFreq)?,
                ssid: crate::attr!(a, Ssid)?.clone(),
                auth_type: *crate::attr!(a, AuthType)?,
                ie: crate::attr!(a, Ie).cloned(),
            },
        ))
    }
}

/// `NL80211_CMD_AUTHENTICATE`.
pub fn authenticate_request(target: IfTarget, p: &AuthParams) -> Message {
    Message::new(Command::Authenticate)
        .with(target.attr())
        .with(Attr::Mac(p.bssid))
        .with(Attr::WiphyFreq(p.freq))
        .with(Attr::Ssid(p.ssid.clone()))
        .with_opt(p.ie.clone().map(Attr::Ie))
        .with(Attr::AuthType(p.auth_type))
}

/// `NL80211_CMD_ASSOCIATE` parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssocParams {
    /// `NL80211_ATTR_MAC`: the AP.
    pub bssid: [u8; 6],
    /// `NL80211_ATTR_WIPHY_FREQ`.
    pub freq: u32,
    /// `NL80211_ATTR_SSID`.
    pub ssid: Vec<u8>,
    /// `NL80211_ATTR_IE`: IEs for the association request (RSN, P2P, WSC...).
    pub ie: Vec<u8>,
    /// `NL80211_ATTR_PREV_BSSID` for a reassociation.
    pub prev_bssid: Option<[u8; 6]>,
    /// `NL80211_ATTR_SOCKET_OWNER`: the association ends when this socket closes.
    pub socket_owner: bool,
    /// RSN and control port.
    pub crypto: Crypto,
    /// Attributes this crate does not model (e.g. HT/VHT capability overrides:
    /// `NL80211_ATTR_HT_CAPABILITY`, `_HT_CAPABILITY_MASK`, `_VHT_CAPABILITY`,
    /// `_VHT_CAPABILITY_MASK`), sent between the suites and the control-port attributes
    /// where wpa_supplicant puts them.
    pub extra: Vec<Attr>,
}

impl AssocParams {
    /// Reads an ASSOCIATE request (with its target).
    pub fn from_message(m: &Message) -> Option<(IfTarget, AssocParams)> {
        if m.cmd != Command::Associate {
            return None;
        }
        let a = &m.attrs;
        Some((
            IfTarget::from_attrs(a)?,
            AssocParams {
                bssid: *crate::attr!(a, Mac)?,
                freq: *crate::attr!(a, WiphyFreq)?,
                ssid: crate::attr!(a, Ssid)?.clone(),
                ie: crate::attr!(a, Ie).cloned().unwrap_or_default(),
                prev_bssid: crate::attr!(a, PrevBssid).copied(),
                socket_owner: crate::has_flag!(a, SocketOwner),
                crypto: Crypto::from_attrs(a),
                extra: a
                    .iter()
                    .filter(|x| matches!(x, Attr::HtCapability(_) | Attr::VhtCapability(_))
                        || matches!(x.kind(), 148 | 176))
                    .cloned()
                    .collect(),
            },
        ))
    }
}

/// `NL80211_CMD_ASSOCIATE`, in the order of wpa_supplicant's `wpa_driver_nl80211_associate`.
pub fn associate_request(target: IfTarget, p: &AssocParams) -> Message {
    let mut m = Message::new(Command::Associate).with(target.attr());
    if p.socket_owner {
        m = m.with(Attr::SocketOwner);
    }
    m = m
        .with(Attr::Mac(p.bssid))
        .with(Attr::WiphyFreq(p.freq))
        .with(Attr::Ssid(p.ssid.clone()))
        .with(Attr::Ie(p.ie.clone()))
        .with_opt(p.prev_bssid.map(Attr::PrevBssid));
    m = p.crypto.push_sta_suites(m);
    m.attrs.extend(p.extra.iter().cloned());
    p.crypto.push_control_port(m)
}

/// `NL80211_CMD_DEAUTHENTICATE` (attribute order as wpa_supplicant's).
pub fn deauthenticate_request(target: IfTarget, bssid: [u8; 6], reason: u16) -> Message {
    Message::new(Command::Deauthenticate).with(target.attr()).with(Attr::ReasonCode(reason)).with(Attr::Mac(bssid))
}

/// `NL80211_CMD_CONNECT` parameters (driver SME).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectParams {
    /// `NL80211_ATTR_SSID`.
    pub ssid: Vec<u8>,
    /// `NL80211_ATTR_MAC`: a specific BSS.
    pub bssid: Option<[u8; 6]>,
    /// `NL80211_ATTR_WIPHY_FREQ`.
    pub freq: Option<u32>,
    /// `NL80211_ATTR_IE`.
    pub ie: Vec<u8>,
    /// `NL80211_ATTR_AUTH_TYPE`.
    pub auth_type: AuthType,
    /// `NL80211_ATTR_PRIVACY`.
    pub privacy: bool,
    /// RSN and control port.
    pub crypto: Crypto,
}

/// `NL80211_CMD_CONNECT`.
pub fn connect_request(target: IfTarget, p: &ConnectParams) -> Message {
    let mut m = Message::new(Command::Connect)
        .with(target.attr())
        .with_opt(p.bssid.map(Attr::Mac))
        .with_opt(p.freq.map(Attr::WiphyFreq))
        .with(Attr::Ssid(p.ssid.clone()))
        .with(Attr::Ie(p.ie.clone()))
        .with(Attr::AuthType(p.auth_type));
    if p.privacy {
        m = m.with(Attr::Privacy);
    }
    p.crypto.push_control_port(p.crypto.push_sta_suites(m))
}

/// `NL80211_CMD_DISCONNECT`.
pub fn disconnect_request(target: IfTarget, reason: u16) -> Message {
    Message::new(Command::Disconnect).with(target.attr()).with(Attr::ReasonCode(reason))
}

/// An MLME event of the station side (mlme multicast group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MlmeEvent {
    /// `NL80211_CMD_AUTHENTICATE`: the received Authentication frame.
    Authenticate {
        /// `NL80211_ATTR_FRAME`.
        frame: Vec<u8>,
    },
    /// `NL80211_CMD_ASSOCIATE`: the received (Re)Association Response frame.
    Associate {
        /// `NL80211_ATTR_FRAME`.
        frame: Vec<u8>,
    },
    /// `NL80211_CMD_CONNECT`: result of CONNECT (or of AUTHENTICATE+ASSOCIATE).
    Connect {
        /// `NL80211_ATTR_MAC`.
        bssid: Option<[u8; 6]>,
        /// `NL80211_ATTR_STATUS_CODE` (0 = success).
        status: Option<u16>,
        /// `NL80211_ATTR_REQ_IE`.
        req_ie: Option<Vec<u8>>,
        /// `NL80211_ATTR_RESP_IE`.
        resp_ie: Option<Vec<u8>>,
    },
    /// `NL80211_CMD_DISCONNECT`.
    Disconnect {
        /// `NL80211_ATTR_REASON_CODE`.
        reason: Option<u16>,
        /// `NL80211_ATTR_DISCONNECTED_BY_AP`.
        by_ap: bool,
    },
    /// `NL80211_CMD_DEAUTHENTICATE` / `NL80211_CMD_DISASSOCIATE`: the frame sent or received.
    Deauth {
        /// `NL80211_ATTR_FRAME`.
        frame: Vec<u8>,
    },
    /// A `*_TIMED_OUT`-style event: `NL80211_ATTR_TIMED_OUT` with the peer.
    TimedOut {
        /// The command that timed out.
        cmd: Command,
        /// `NL80211_ATTR_MAC`.
        peer: Option<[u8; 6]>,
    },
}

impl MlmeEvent {
    /// The MLME event, if `e` is one.
    pub fn from_event(e: &Event) -> Option<MlmeEvent> {
        let a = &e.attrs;
        if crate::has_flag!(a, TimedOut) {
            return Some(MlmeEvent::TimedOut { cmd: e.cmd, peer: crate::attr!(a, Mac).copied() });
        }
        let frame = || crate::attr!(a, Frame).cloned();
        Some(match e.cmd {
            Command::Authenticate => MlmeEvent::Authenticate { frame: frame()? },
            Command::Associate => MlmeEvent::Associate { frame: frame()? },
            Command::Deauthenticate | Command::Disassociate => MlmeEvent::Deauth { frame: frame()? },
            Command::Connect => MlmeEvent::Connect {
                bssid: crate::attr!(a, Mac).copied(),
                status: crate::attr!(a, StatusCode).copied(),
                req_ie: crate::attr!(a, ReqIe).cloned(),
                resp_ie: crate::attr!(a, RespIe).cloned(),
            },
            Command::Disconnect => MlmeEvent::Disconnect {
                reason: crate::attr!(a, ReasonCode).copied(),
                by_ap: crate::has_flag!(a, DisconnectedByAp),
            },
            _ => return None,
        })
    }
}
