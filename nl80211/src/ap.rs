//! Running an AP / P2P GO: START_AP, SET_BEACON, STOP_AP, and the channel definition.

use crate::attr::Attr;
use crate::command::Command;
use crate::interface::IfTarget;
use crate::message::Message;
use crate::types::{AuthType, ChannelWidth, HiddenSsid};

/// A channel definition (`NL80211_ATTR_WIPHY_FREQ`, `_CHANNEL_WIDTH`, `_CENTER_FREQ1/2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChanDef {
    /// Primary channel, MHz.
    pub freq: u32,
    /// Width.
    pub width: ChannelWidth,
    /// Centre of the whole channel, MHz (equals `freq` for 20 MHz).
    pub center_freq1: u32,
    /// Second segment of 80+80, MHz.
    pub center_freq2: Option<u32>,
}

impl ChanDef {
    /// A 20 MHz HT channel.
    pub fn ht20(freq: u32) -> Self {
        ChanDef { freq, width: ChannelWidth::W20, center_freq1: freq, center_freq2: None }
    }

    /// A 20 MHz non-HT channel.
    pub fn no_ht(freq: u32) -> Self {
        ChanDef { freq, width: ChannelWidth::NoHt20, center_freq1: freq, center_freq2: None }
    }

    /// The attributes, in the order wpa_supplicant's `nl80211_put_freq_params` uses.
    pub fn attrs(&self) -> Vec<Attr> {
        let mut v = vec![Attr::WiphyFreq(self.freq), Attr::ChannelWidth(self.width), Attr::CenterFreq1(self.center_freq1)];
        if let Some(c2) = self.center_freq2 {
            v.push(Attr::CenterFreq2(c2));
        }
        v
    }
}

/// Beacon content (START_AP and SET_BEACON).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BeaconData {
    /// `NL80211_ATTR_BEACON_HEAD`: header and fixed fields up to (not including) the TIM.
    pub head: Vec<u8>,
    /// `NL80211_ATTR_BEACON_TAIL`: elements after the TIM.
    pub tail: Vec<u8>,
    /// `NL80211_ATTR_PROBE_RESP`: probe response template (for drivers that answer probes).
    pub probe_resp: Option<Vec<u8>>,
    /// `NL80211_ATTR_IE`: extra IEs for beacons (e.g. P2P, WSC).
    pub ie: Option<Vec<u8>>,
    /// `NL80211_ATTR_IE_PROBE_RESP`: extra IEs for probe responses.
    pub ie_probe_resp: Option<Vec<u8>>,
    /// `NL80211_ATTR_IE_ASSOC_RESP`: extra IEs for (re)association responses.
    pub ie_assoc_resp: Option<Vec<u8>>,
}

impl BeaconData {
    fn push(&self, mut m: Message) -> Message {
        m = m.with(Attr::BeaconHead(self.head.clone())).with(Attr::BeaconTail(self.tail.clone()));
        m = m.with_opt(self.ie.clone().map(Attr::Ie));
        m = m.with_opt(self.ie_probe_resp.clone().map(Attr::IeProbeResp));
        m = m.with_opt(self.ie_assoc_resp.clone().map(Attr::IeAssocResp));
        m.with_opt(self.probe_resp.clone().map(Attr::ProbeResp))
    }
}

/// RSN settings for START_AP / CONNECT / ASSOCIATE.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Crypto {
    /// `NL80211_ATTR_WPA_VERSIONS` (2 = RSN / WPA2).
    pub wpa_versions: u32,
    /// `NL80211_ATTR_CIPHER_SUITES_PAIRWISE`.
    pub pairwise: Vec<u32>,
    /// `NL80211_ATTR_CIPHER_SUITE_GROUP`.
    pub group: Option<u32>,
    /// `NL80211_ATTR_AKM_SUITES`.
    pub akm: Vec<u32>,
    /// `NL80211_ATTR_CONTROL_PORT`: block data until the port is authorized (station).
    pub control_port: bool,
    /// `NL80211_ATTR_CONTROL_PORT_NO_ENCRYPT`.
    pub control_port_no_encrypt: bool,
    /// `NL80211_ATTR_CONTROL_PORT_OVER_NL80211`: EAPOL frames come and go as
    /// CONTROL_PORT_FRAME on this socket. The kernel requires the socket to own the
    /// interface's connection, so `NL80211_ATTR_SOCKET_OWNER` is sent with it, followed by
    /// `NL80211_ATTR_CONTROL_PORT_ETHERTYPE` (EAPOL) and `NL80211_ATTR_CONTROL_PORT_NO_PREAUTH`,
    /// as wpa_supplicant does.
    pub control_port_over_nl80211: bool,
}

impl Crypto {
    /// Suites in START_AP order (versions, AKMs, pairwise, group).
    fn push_ap_suites(&self, mut m: Message) -> Message {
        if self.wpa_versions != 0 {
            m = m.with(Attr::WpaVersions(self.wpa_versions));
        }
        if !self.akm.is_empty() {
            m = m.with(Attr::AkmSuites(self.akm.clone()));
        }
        if !self.pairwise.is_empty() {
            m = m.with(Attr::CipherSuitesPairwise(self.pairwise.clone()));
        }
        m.with_opt(self.group.map(Attr::CipherSuiteGroup))
    }

    /// Suites in ASSOCIATE/CONNECT order (versions, pairwise, group, AKMs, control port).
    pub(crate) fn push_sta_suites(&self, mut m: Message) -> Message {
        if self.wpa_versions != 0 {
            m = m.with(Attr::WpaVersions(self.wpa_versions));
        }
        if !self.pairwise.is_empty() {
            m = m.with(Attr::CipherSuitesPairwise(self.pairwise.clone()));
        }
        m = m.with_opt(self.group.map(Attr::CipherSuiteGroup));
        if !self.akm.is_empty() {
            m = m.with(Attr::AkmSuites(self.akm.clone()));
        }
        if self.control_port {
            m = m.with(Attr::ControlPort);
        }
        m
    }

    /// The control-port tail (no-encrypt, over-nl80211 group).
    pub(crate) fn push_control_port(&self, mut m: Message) -> Message {
        if self.control_port_no_encrypt {
            m = m.with(Attr::ControlPortNoEncrypt);
        }
        if self.control_port_over_nl80211 {
            m = m
                .with(Attr::ControlPortOverNl80211)
                .with(Attr::SocketOwner)
                .with(Attr::ControlPortEthertype(crate::frame::ETH_P_PAE))
                .with(Attr::ControlPortNoPreauth);
        }
        m
    }
}

/// Everything START_AP takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApSettings {
    /// Beacon content.
    pub beacon: BeaconData,
    /// `NL80211_ATTR_BEACON_INTERVAL` in TUs.
    pub beacon_interval: u32,
    /// `NL80211_ATTR_DTIM_PERIOD`.
    pub dtim_period: u32,
    /// `NL80211_ATTR_SSID`.
    pub ssid: Vec<u8>,
    /// `NL80211_ATTR_HIDDEN_SSID`.
    pub hidden: HiddenSsid,
    /// `NL80211_ATTR_PRIVACY`.
    pub privacy: bool,
    /// `NL80211_ATTR_AUTH_TYPE` (absent: the kernel allows any).
    pub auth_type: Option<AuthType>,
    /// RSN and control port.
    pub crypto: Crypto,
    /// The channel (absent: the one set with SET_WIPHY / already in use).
    pub chandef: Option<ChanDef>,
    /// `NL80211_ATTR_P2P_CTWINDOW` (GO only).
    pub p2p_ctwindow: Option<u8>,
    /// `NL80211_ATTR_P2P_OPPPS` (GO only).
    pub p2p_oppps: Option<u8>,
    /// `NL80211_ATTR_INACTIVITY_TIMEOUT` in seconds.
    pub inactivity_timeout: Option<u16>,
}

impl ChanDef {
    /// The channel definition in a message's attributes, if it has a frequency.
    pub fn from_attrs(a: &[Attr]) -> Option<ChanDef> {
        let freq = *crate::attr!(a, WiphyFreq)?;
        Some(ChanDef {
            freq,
            width: crate::attr!(a, ChannelWidth).copied().unwrap_or(ChannelWidth::NoHt20),
            center_freq1: crate::attr!(a, CenterFreq1).copied().unwrap_or(freq),
            center_freq2: crate::attr!(a, CenterFreq2).copied(),
        })
    }
}

impl BeaconData {
    /// The beacon content in a message's attributes.
    pub fn from_attrs(a: &[Attr]) -> Option<BeaconData> {
        Some(BeaconData {
            head: crate::attr!(a, BeaconHead)?.clone(),
            tail: crate::attr!(a, BeaconTail).cloned().unwrap_or_default(),
            probe_resp: crate::attr!(a, ProbeResp).cloned(),
            ie: crate::attr!(a, Ie).cloned(),
            ie_probe_resp: crate::attr!(a, IeProbeResp).cloned(),
            ie_assoc_resp: crate::attr!(a, IeAssocResp).cloned(),
        })
    }
}

impl Crypto {
    /// The RSN / control-port settings in a message's attributes.
    pub fn from_attrs(a: &[Attr]) -> Crypto {
        Crypto {
            wpa_versions: crate::attr!(a, WpaVersions).copied().unwrap_or(0),
            pairwise: crate::attr!(a, CipherSuitesPairwise).cloned().unwrap_or_default(),
            group: crate::attr!(a, CipherSuiteGroup).copied(),
            akm: crate::attr!(a, AkmSuites).cloned().unwrap_or_default(),
            control_port: crate::has_flag!(a, ControlPort),
            control_port_no_encrypt: crate::has_flag!(a, ControlPortNoEncrypt),
            control_port_over_nl80211: crate::has_flag!(a, ControlPortOverNl80211),
        }
    }
}

impl ApSettings {
    /// Reads a START_AP request (with its target).
    pub fn from_message(m: &Message) -> Option<(IfTarget, ApSettings)> {
        if m.cmd != Command::StartAp {
            return None;
        }
        let a = &m.attrs;
        Some((
            IfTarget::from_attrs(a)?,
            ApSettings {
                beacon: BeaconData::from_attrs(a)?,
                beacon_interval: *crate::attr!(a, BeaconInterval)?,
                dtim_period: *crate::attr!(a, DtimPeriod)?,
                ssid: crate::attr!(a, Ssid)?.clone(),
                hidden: crate::attr!(a, HiddenSsid).copied().unwrap_or(HiddenSsid::NotInUse),
                auth_type: crate::attr!(a, AuthType).copied(),
                privacy: crate::has_flag!(a, Privacy),
                crypto: Crypto::from_attrs(a),
                chandef: ChanDef::from_attrs(a),
                p2p_ctwindow: crate::attr!(a, P2pCtwindow).copied(),
                p2p_oppps: crate::attr!(a, P2pOppps).copied(),
                inactivity_timeout: crate::attr!(a, InactivityTimeout).copied(),
            },
        ))
    }
}

/// `NL80211_CMD_START_AP`, in the order of wpa_supplicant's `wpa_driver_nl80211_set_ap`
/// (beacon, interval, DTIM, SSID, hidden, privacy, auth type, suites, IEs, control port).
pub fn start_ap_request(target: IfTarget, s: &ApSettings) -> Message {
    let b = &s.beacon;
    let mut m = Message::new(Command::StartAp)
        .with(target.attr())
        .with(Attr::BeaconHead(b.head.clone()))
        .with(Attr::BeaconTail(b.tail.clone()))
        .with(Attr::BeaconInterval(s.beacon_interval))
        .with(Attr::DtimPeriod(s.dtim_period))
        .with(Attr::Ssid(s.ssid.clone()))
        .with(Attr::HiddenSsid(s.hidden));
    if s.privacy {
        m = m.with(Attr::Privacy);
    }
    m = m.with_opt(s.auth_type.map(Attr::AuthType));
    m = s.crypto.push_ap_suites(m);
    m = m
        .with_opt(b.ie.clone().map(Attr::Ie))
        .with_opt(b.ie_probe_resp.clone().map(Attr::IeProbeResp))
        .with_opt(b.ie_assoc_resp.clone().map(Attr::IeAssocResp))
        .with_opt(b.probe_resp.clone().map(Attr::ProbeResp));
    if let Some(c) = &s.chandef {
        m.attrs.extend(c.attrs());
    }
    m = m
        .with_opt(s.p2p_ctwindow.map(Attr::P2pCtwindow))
        .with_opt(s.p2p_oppps.map(Attr::P2pOppps))
        .with_opt(s.inactivity_timeout.map(Attr::InactivityTimeout));
    s.crypto.push_control_port(m)
}

/// `NL80211_CMD_SET_BEACON`: new beacon content for a running AP.
pub fn set_beacon_request(target: IfTarget, b: &BeaconData) -> Message {
    b.push(Message::new(Command::SetBeacon).with(target.attr()))
}

/// `NL80211_CMD_STOP_AP`.
pub fn stop_ap_request(target: IfTarget) -> Message {
    Message::new(Command::StopAp).with(target.attr())
}
