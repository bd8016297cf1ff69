//! Running a P2P group as its owner (sans-IO).
//!
//! The kernel runs the BSS (beacons from our templates, data frames, keys); everything
//! else is ours, as with hostapd on mac80211:
//! - probe requests are answered with a Probe Response carrying the group's WSC IE and a
//!   P2P IE with our Device Info and the Group Info of the connected clients (PBC probe
//!   requests feed the PBC overlap monitor);
//! - open-system authentication and (re)association are answered by us; an associated
//!   station is added to the kernel with its capabilities and rates;
//! - a station that associated without RSN but with a WSC IE runs the WPS registrar over
//!   EAPOL (`wps::registrar`) and gets the group's credential, then reassociates with RSN;
//! - an RSN station runs the 4-way handshake with us as authenticator (`eapol`), with an
//!   address from the IP-allocation KDE when it asks; the port is then authorized.
//!
//! Driven like every machine here: `handle_*` inputs, `handle_timeout(now)`,
//! `poll_output()`, `poll_timeout()`. The driver turns outputs into nl80211 calls
//! (FRAME, NEW_STATION, DEL_STATION, CONTROL_PORT_FRAME, NEW_KEY, SET_STATION, SET_BEACON).

use std::collections::{BTreeMap, VecDeque};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use wps::attr::{
    ConfigMethods as WscConfigMethods, DevicePasswordId, DeviceType as WscDeviceType, ResponseType, RfBands, VERSION2,
    WfaSubelement, WpsState,
};
use wps::message::Credential;
use wps::pbc::SharedPbcMonitor;
use wps::pin::{DevicePassword, Pin};
use wps::registrar::{Registrar, RegistrarConfig, RegistrarEvent};
use wps::session::{Failure, Input as WpsInput, Output as WpsOutput};
use zeroize::Zeroizing;

use crate::eapol::crypto::{Gtk, Pmk, Tk, psk_from_passphrase};
use crate::eapol::wire::{AkmSuite, CipherSuite, EAPOL_VERSION_2004, EapolRepr, IpAllocation, PacketType, RsnElement};
use crate::eapol::{Authenticator, AuthenticatorConfig, AuthenticatorInput, AuthenticatorOutput, GroupKey, RandomSource};
use crate::ieee80211::ie::supported_rates;
use crate::ieee80211::{
    AssocResponseRepr, AuthAlgorithm, AuthRepr, BeaconRepr, CapabilityInfo, ElementId, Elements, IeWriter, MacAddr,
    MgmtBody, MgmtRepr, Rate, ReasonCode, ReasonRepr, StatusCode, VendorType,
};
use crate::p2p::wire::{
    Attribute, Capability, ClientInfo, ConfigMethods as P2pConfigMethods, DeviceCapability, DeviceDescription,
    DeviceInfo, DeviceType as P2pDeviceType, GroupCapability, P2pIe,
};

/// How long after the registrar ended (EAP-Failure sent) a station that is still
/// associated for WPS is sent away; the enrollee normally leaves by itself at once to
/// come back with the credential.
const WPS_LINGER: Duration = Duration::from_millis(1000);
/// If the TX status of our association response does not come, EAPOL starts anyway.
const EAPOL_START_FALLBACK: Duration = Duration::from_millis(200);
/// A station that authenticated but never associated is forgotten after this.
const AUTH_ONLY_TIMEOUT: Duration = Duration::from_secs(30);
/// Highest association ID handed out (the kernel's limit is 2007; a P2P group is small).
const MAX_AID: u16 = 2007;
/// Beacon interval in TU.
pub const BEACON_INTERVAL: u16 = 100;

/// Makes a fresh random source for each registrar (each needs its own DH key and nonces).
pub type WpsRngFactory = Box<dyn FnMut() -> Box<dyn wps::rng::WpsRng + Send> + Send>;

/// Addresses for the group's clients: the GO hands one out in message 3 of the 4-way
/// handshake when a client asks; the same pool serves DHCP (the driver shares it).
pub trait IpPool: Send {
    /// An address for `sta` (its current one if it has one); `None` if the pool is full.
    fn allocate(&mut self, now: Instant, sta: MacAddr) -> Option<Ipv4Addr>;
    /// `sta` left: free whatever it held.
    fn release(&mut self, sta: MacAddr);
}

impl IpPool for crate::dhcp::Server {
    fn allocate(&mut self, now: Instant, sta: MacAddr) -> Option<Ipv4Addr> {
        self.allocate_reserved(now, sta)
    }
    fn release(&mut self, sta: MacAddr) {
        crate::dhcp::Server::release(self, sta);
    }
}

/// Who we are, as the group's WSC and P2P IEs tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoIdentity {
    /// Our P2P device address (Device ID / Device Info, `go_dev_addr=`).
    pub dev_addr: MacAddr,
    pub device_name: String,
    /// WSC UUID (UUID-E in our IEs, UUID-R as registrar).
    pub uuid: [u8; 16],
    pub manufacturer: String,
    pub model_name: String,
    pub model_number: String,
}

/// What the group is.
pub struct GoConfig {
    /// The group interface's address: the BSSID.
    pub bssid: MacAddr,
    pub identity: GoIdentity,
    /// `DIRECT-xy...`.
    pub ssid: Vec<u8>,
    /// The WPA2 passphrase (8..63 characters), handed out by WPS.
    pub passphrase: Zeroizing<String>,
    /// Operating channel, MHz.
    pub freq: u32,
    /// Our address and netmask on the group (for the IP-allocation KDE); `None`: no
    /// allocation in the handshake (and no IP-allocation capability bit).
    pub ip: Option<(Ipv4Addr, Ipv4Addr)>,
}

impl std::fmt::Debug for GoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoConfig")
            .field("bssid", &self.bssid)
            .field("ssid", &String::from_utf8_lossy(&self.ssid))
            .field("freq", &self.freq)
            .field("ip", &self.ip)
            .finish_non_exhaustive()
    }
}

/// A station the kernel must know (`NL80211_CMD_NEW_STATION` after association).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationParams {
    pub addr: MacAddr,
    pub aid: u16,
    /// Capability Information of the association request.
    pub capability: u16,
    pub listen_interval: u16,
    /// Supported and extended supported rates, in 500 kb/s units (basic bit cleared).
    pub rates: Vec<u8>,
}

impl StationParams {
    /// Short preamble, from the capability field. (Our group runs without HT and WMM, the
    /// beacon has neither, so stations are added without HT capabilities and QoS.)
    pub fn short_preamble(&self) -> bool {
        self.capability & CapabilityInfo::SHORT_PREAMBLE.bits() != 0
    }
}

/// What the group reports (the driver turns these into control-interface events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoEvent {
    /// A client completed the 4-way handshake (`AP-STA-CONNECTED`).
    StaConnected { addr: MacAddr, p2p_dev_addr: Option<MacAddr>, ip: Option<Ipv4Addr> },
    /// A connected client left or was sent away (`AP-STA-DISCONNECTED`).
    StaDisconnected { addr: MacAddr, p2p_dev_addr: Option<MacAddr> },
    /// PBC armed (`WPS-PBC-ACTIVE`).
    PbcActive,
    /// PBC walk time over, nobody came (`WPS-TIMEOUT`).
    WpsTimeout,
    /// More than one PBC enrollee: nobody is served (`WPS-OVERLAP-DETECTED`).
    PbcOverlap,
    /// An enrollee got the credential (`WPS-REG-SUCCESS <mac> <uuid>`).
    RegSuccess { enrollee: MacAddr, uuid_e: [u8; 16] },
    /// A registration failed (`WPS-FAIL msg=.. config_error=..`).
    WpsFail { msg: u8, config_error: u16, reason: String },
    /// An enrollee asked before WPS was armed (M2D sent); for the log.
    EnrolleeWaiting { addr: MacAddr },
}

/// Something the driver must do, in order.
#[derive(Debug)]
pub enum GoOutput {
    /// A management frame to transmit on the group's channel; `no_ack`: no TX status
    /// wanted (probe responses).
    SendFrame { frame: Vec<u8>, no_ack: bool },
    /// Add an associated station to the kernel.
    NewStation(StationParams),
    /// Remove a station from the kernel (also done before a new authentication).
    DelStation { addr: MacAddr },
    /// An EAPOL PDU to a station (802.1X header included), over the control port.
    SendEapol { dest: MacAddr, pdu: Vec<u8> },
    InstallPtk { peer: MacAddr, tk: Tk },
    /// The group key (at start; key index as given, default for multicast).
    InstallGtk { gtk: Gtk, key_idx: u8 },
    /// Open (or close) the station's controlled port.
    Authorize { peer: MacAddr },
    /// The beacon content changed: fetch [`Go::beacon`] and send SET_BEACON.
    UpdateBeacon,
    Event(GoEvent),
}

/// Beacon templates for START_AP / SET_BEACON: the head ends before where the kernel puts
/// the TIM element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeaconTemplate {
    pub head: Vec<u8>,
    pub tail: Vec<u8>,
    /// The P2P and WSC IEs alone (`NL80211_ATTR_IE` / `_IE_PROBE_RESP` for drivers that
    /// build probe responses themselves).
    pub beacon_ies: Vec<u8>,
    pub probe_resp_ies: Vec<u8>,
    pub assoc_resp_ies: Vec<u8>,
}

/// WPS armed on the group (WPS_PBC / WPS_PIN).
#[derive(Clone)]
enum Armed {
    Pbc { until: Instant },
    Pin { pin: Pin, target: Option<MacAddr>, until: Option<Instant> },
}

impl Armed {
    fn until(&self) -> Option<Instant> {
        match self {
            Armed::Pbc { until } => Some(*until),
            Armed::Pin { until, .. } => *until,
        }
    }
}

enum StaState {
    /// Open-system authentication done.
    Authenticated { since: Instant },
    /// Associated for WPS; the registrar starts when the association response is out.
    Wps { registrar: Option<Box<Registrar>>, ended: Option<Instant>, heard: bool },
    /// Associated with RSN; the 4-way handshake starts when the association response is out.
    Rsn { sta_rsne: Vec<u8>, auth: Option<Box<Authenticator>> },
}

struct Station {
    addr: MacAddr,
    aid: u16,
    state: StaState,
    /// When EAPOL starts at the latest (the association response's TX status may not come).
    eapol_at: Option<Instant>,
    /// From the association request's P2P IE: for Group Info and the events.
    p2p: Option<ClientInfo>,
    /// Connected: the 4-way handshake finished.
    connected: bool,
    ip: Option<Ipv4Addr>,
}

/// The group-owner machine.
pub struct Go {
    cfg: GoConfig,
    pmk: Pmk,
    group_key: GroupKey,
    own_rsne: Vec<u8>,
    stations: BTreeMap<MacAddr, Station>,
    armed: Option<Armed>,
    pbc_monitor: SharedPbcMonitor,
    overlap_reported: bool,
    pool: Box<dyn IpPool>,
    wps_rng: WpsRngFactory,
    rng: Box<dyn RandomSource + Send>,
    out: VecDeque<GoOutput>,
}

/// Why a group could not start.
#[derive(Debug, thiserror::Error)]
pub enum GoError {
    #[error("the passphrase must be 8..63 printable ASCII characters")]
    Passphrase,
    #[error("the SSID must be 1..32 bytes")]
    Ssid,
}

impl Go {
    /// A group ready to start: the first output installs the group key.
    pub fn new(
        cfg: GoConfig,
        pool: Box<dyn IpPool>,
        wps_rng: WpsRngFactory,
        mut rng: Box<dyn RandomSource + Send>,
    ) -> Result<Go, GoError> {
        if cfg.ssid.is_empty() || cfg.ssid.len() > 32 {
            return Err(GoError::Ssid);
        }
        let p = cfg.passphrase.as_str();
        if !(8..=63).contains(&p.len()) || !p.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(GoError::Passphrase);
        }
        let pmk = psk_from_passphrase(p, &cfg.ssid).map_err(|_| GoError::Passphrase)?;
        let mut gtk = [0u8; 16];
        rng.fill(&mut gtk);
        let group_key = GroupKey { gtk: Gtk::from_slice(&gtk), key_idx: 1, rsc: 0 };
        let own_rsne = RsnElement::wpa2_psk_ccmp().to_vec().unwrap_or_default();
        let mut go = Go {
            cfg,
            pmk,
            group_key,
            own_rsne,
            stations: BTreeMap::new(),
            armed: None,
            pbc_monitor: wps::pbc::PbcMonitor::shared(),
            overlap_reported: false,
            pool,
            wps_rng,
            rng,
            out: VecDeque::new(),
        };
        go.out.push_back(GoOutput::InstallGtk { gtk: go.group_key.gtk.clone(), key_idx: go.group_key.key_idx });
        Ok(go)
    }

    pub fn config(&self) -> &GoConfig {
        &self.cfg
    }

    /// The group's passphrase (`P2P_GET_PASSPHRASE`).
    pub fn passphrase(&self) -> &str {
        &self.cfg.passphrase
    }

    /// The clients that finished the handshake: (interface address, P2P device address, IP).
    pub fn clients(&self) -> Vec<(MacAddr, Option<MacAddr>, Option<Ipv4Addr>)> {
        self.stations
            .values()
            .filter(|s| s.connected)
            .map(|s| (s.addr, s.p2p.as_ref().map(|p| p.device_addr), s.ip))
            .collect()
    }

    /// Whether WPS is armed, and how (`"pbc"` / `"pin"`), for STATUS.
    pub fn wps_state(&self) -> Option<&'static str> {
        match self.armed {
            Some(Armed::Pbc { .. }) => Some("pbc"),
            Some(Armed::Pin { .. }) => Some("pin"),
            None => None,
        }
    }

    /// The PIN armed with `WPS_PIN`, if any (a provision discovery asking us to display a
    /// PIN shows this one).
    pub fn armed_pin(&self) -> Option<&Pin> {
        match &self.armed {
            Some(Armed::Pin { pin, .. }) => Some(pin),
            _ => None,
        }
    }

    /// P2P device addresses of our clients (a probe request's Device ID may name one).
    fn client_dev_addrs(&self) -> impl Iterator<Item = MacAddr> + '_ {
        self.stations.values().filter_map(|s| s.p2p.as_ref().map(|p| p.device_addr))
    }

    // ---- WPS arming -------------------------------------------------------------------

    /// `WPS_PBC`: accept one push-button enrollee during the walk time.
    pub fn wps_pbc(&mut self, now: Instant) {
        self.armed = Some(Armed::Pbc { until: now + wps::pbc::PBC_WALK_TIME });
        self.overlap_reported = false;
        tracing::info!("WPS push button armed for {} s", wps::pbc::PBC_WALK_TIME.as_secs());
        self.out.push_back(GoOutput::Event(GoEvent::PbcActive));
        self.out.push_back(GoOutput::UpdateBeacon);
        if self.pbc_overlap(now) {
            self.report_overlap();
        }
    }

    /// `WPS_PIN any|<addr> <PIN> [timeout]`: accept an enrollee with this PIN (any, or only
    /// the one with that interface or P2P device address).
    pub fn wps_pin(&mut self, now: Instant, pin: Pin, target: Option<MacAddr>, timeout: Option<Duration>) {
        tracing::info!(?target, "WPS PIN armed");
        self.armed = Some(Armed::Pin { pin, target, until: timeout.filter(|t| !t.is_zero()).map(|t| now + t) });
        self.out.push_back(GoOutput::UpdateBeacon);
    }

    /// `WPS_CANCEL`.
    pub fn wps_cancel(&mut self) {
        if self.armed.take().is_some() {
            self.out.push_back(GoOutput::UpdateBeacon);
        }
    }

    fn pbc_overlap(&self, now: Instant) -> bool {
        self.pbc_monitor.lock().map(|mut m| m.overlap(now)).unwrap_or(false)
    }

    fn report_overlap(&mut self) {
        if !self.overlap_reported {
            self.overlap_reported = true;
            tracing::warn!("PBC session overlap: more than one enrollee pressed the button");
            self.out.push_back(GoOutput::Event(GoEvent::PbcOverlap));
        }
    }

    /// The device password for an enrollee at `addr` (its interface address) with P2P
    /// device address `dev`, if WPS is armed for it.
    fn password_for(&self, addr: MacAddr, dev: Option<MacAddr>) -> Option<DevicePassword> {
        match self.armed.as_ref()? {
            Armed::Pbc { .. } => Some(DevicePassword::pbc()),
            Armed::Pin { pin, target, .. } => {
                if target.is_some_and(|t| t != addr && Some(t) != dev) {
                    return None;
                }
                Some(DevicePassword::pin(pin.clone(), DevicePasswordId::DEFAULT))
            }
        }
    }

    // ---- templates ---------------------------------------------------------------------

    fn capability(&self) -> CapabilityInfo {
        let mut c = CapabilityInfo::ESS | CapabilityInfo::PRIVACY;
        if self.cfg.freq < 5000 {
            c |= CapabilityInfo::SHORT_SLOT_TIME;
        }
        c
    }

    /// OFDM rates only (P2P forbids 11b rates); 6, 12 and 24 Mb/s basic.
    fn rates() -> Vec<Rate> {
        Rate::OFDM.iter().map(|r| Rate::new(r.units_500kbps(), matches!(r.units_500kbps(), 12 | 24 | 48))).collect()
    }

    fn p2p_capability(&self) -> Capability {
        let mut group = GroupCapability::GROUP_OWNER | GroupCapability::INTRA_BSS_DISTRIBUTION;
        if self.cfg.ip.is_some() {
            group |= GroupCapability::IP_ADDRESS_ALLOCATION;
        }
        Capability { device: DeviceCapability::CONCURRENT_OPERATION | DeviceCapability::INVITATION_PROCEDURE, group }
    }

    fn device_description(&self) -> DeviceDescription {
        DeviceDescription {
            config_methods: P2pConfigMethods::from_bits_retain(0x0188),
            primary_type: P2pDeviceType::new(1, 1),
            secondary_types: Vec::new(),
            name: self.cfg.identity.device_name.as_bytes().to_vec(),
        }
    }

    fn selected_registrar(&self) -> wps::ie::SelectedRegistrar {
        match &self.armed {
            Some(Armed::Pbc { .. }) => wps::ie::SelectedRegistrar::active(
                DevicePasswordId::PUSH_BUTTON,
                WscConfigMethods::PUSH_BUTTON | WscConfigMethods::VIRTUAL_PUSH_BUTTON,
            ),
            Some(Armed::Pin { .. }) => wps::ie::SelectedRegistrar::active(
                DevicePasswordId::DEFAULT,
                WscConfigMethods::DISPLAY | WscConfigMethods::KEYPAD,
            ),
            None => wps::ie::SelectedRegistrar::default(),
        }
    }

    /// WSC 2.0 extension of our beacon and probe-response WSC IEs: Version2 and, while WPS
    /// is armed, AuthorizedMACs. wpa_supplicant's PIN enrollee skips a WSC 2.0 AP whose IE
    /// does not authorize its address ("WPS AP without active PIN Registrar"); the
    /// broadcast address authorizes everyone, as hostapd does for PBC and a wildcard PIN
    /// (a PIN bound to one address is enforced by the registrar, not by this hint).
    fn wfa_subelements(&self) -> Vec<WfaSubelement> {
        let mut v = vec![WfaSubelement::Version2(VERSION2)];
        if self.armed.is_some() {
            v.push(WfaSubelement::AuthorizedMacs(vec![[0xff; 6]]));
        }
        v
    }

    fn rf_band(&self) -> RfBands {
        if self.cfg.freq >= 5000 { RfBands::BAND_5_GHZ } else { RfBands::BAND_2_4_GHZ }
    }

    fn beacon_wsc_ie(&self) -> Vec<u8> {
        let wsc = wps::ie::BeaconWsc {
            wps_state: WpsState::CONFIGURED,
            ap_setup_locked: None,
            selected_registrar: self.selected_registrar(),
            uuid_e: None,
            rf_bands: None,
            wfa: self.wfa_subelements(),
            extra: Vec::new(),
        };
        wps::ie::build_wsc_ies(&wsc.emit().unwrap_or_default())
    }

    fn probe_resp_wsc_ie(&self) -> Vec<u8> {
        let id = &self.cfg.identity;
        let wsc = wps::ie::ProbeResponseWsc {
            wps_state: WpsState::CONFIGURED,
            ap_setup_locked: None,
            selected_registrar: self.selected_registrar(),
            response_type: ResponseType::AP,
            uuid_e: Some(id.uuid),
            uuid_r: None,
            manufacturer: id.manufacturer.as_bytes().to_vec(),
            model_name: id.model_name.as_bytes().to_vec(),
            model_number: id.model_number.as_bytes().to_vec(),
            serial_number: Some(b"0".to_vec()),
            primary_device_type: WscDeviceType { category: 1, oui: [0x00, 0x50, 0xf2, 0x04], sub_category: 1 },
            device_name: id.device_name.as_bytes().to_vec(),
            config_methods: WscConfigMethods::from_bits_retain(0x0188),
            rf_bands: Some(self.rf_band()),
            wfa: self.wfa_subelements(),
            extra: Vec::new(),
        };
        wps::ie::build_wsc_ies(&wsc.emit().unwrap_or_default())
    }

    /// Beacon P2P IE: P2P Capability and P2P Device ID.
    fn beacon_p2p_ie(&self) -> Vec<u8> {
        P2pIe::new(vec![Attribute::Capability(self.p2p_capability()), Attribute::DeviceId(self.cfg.identity.dev_addr)])
            .to_ies()
            .unwrap_or_default()
    }

    /// Probe Response P2P IE: P2P Capability, Device Info and Group Info.
    fn probe_resp_p2p_ie(&self) -> Vec<u8> {
        let clients: Vec<ClientInfo> = self.stations.values().filter(|s| s.connected).filter_map(|s| s.p2p.clone()).collect();
        P2pIe::new(vec![
            Attribute::Capability(self.p2p_capability()),
            Attribute::DeviceInfo(DeviceInfo { device_addr: self.cfg.identity.dev_addr, desc: self.device_description() }),
            Attribute::GroupInfo(clients),
        ])
        .to_ies()
        .unwrap_or_default()
    }

    /// SSID, rates and (on 2.4 GHz) DS Parameter Set: what comes before the TIM.
    fn head_ies(&self) -> Vec<u8> {
        let mut w = IeWriter::new();
        // The SSID length and the rate count were checked in `new` / are fixed.
        let _ = w.ssid(&self.cfg.ssid);
        let _ = w.rates(&Self::rates()[..]);
        if let Some(ch) = channel_2ghz(self.cfg.freq) {
            let _ = w.ds_params(ch);
        }
        w.finish()
    }

    /// The beacon templates for START_AP / SET_BEACON.
    pub fn beacon(&self) -> BeaconTemplate {
        let bssid = self.cfg.bssid;
        let head = MgmtRepr::new(
            MacAddr::BROADCAST,
            bssid,
            bssid,
            MgmtBody::Beacon(BeaconRepr {
                timestamp: 0,
                beacon_interval: BEACON_INTERVAL,
                capability: self.capability(),
                ies: self.head_ies(),
            }),
        )
        .to_vec();
        let mut beacon_ies = self.beacon_wsc_ie();
        beacon_ies.extend(self.beacon_p2p_ie());
        let mut tail = self.own_rsne.clone();
        tail.extend_from_slice(&beacon_ies);
        let mut probe_resp_ies = self.probe_resp_wsc_ie();
        probe_resp_ies.extend(self.probe_resp_p2p_ie());
        BeaconTemplate { head, tail, beacon_ies, probe_resp_ies, assoc_resp_ies: empty_p2p_ie() }
    }

    /// A Probe Response to `da`.
    fn probe_response(&self, da: MacAddr) -> Vec<u8> {
        let mut ies = self.head_ies();
        ies.extend_from_slice(&self.own_rsne);
        ies.extend(self.probe_resp_wsc_ie());
        ies.extend(self.probe_resp_p2p_ie());
        MgmtRepr::new(
            da,
            self.cfg.bssid,
            self.cfg.bssid,
            MgmtBody::ProbeResponse(BeaconRepr { timestamp: 0, beacon_interval: BEACON_INTERVAL, capability: self.capability(), ies }),
        )
        .to_vec()
    }

    // ---- frames ------------------------------------------------------------------------

    /// A management frame the kernel handed us on the group interface.
    pub fn handle_frame(&mut self, now: Instant, frame: &[u8]) {
        let m = match MgmtRepr::parse_bytes(frame) {
            Ok(m) => m,
            Err(e) => return tracing::debug!("malformed management frame dropped: {e}"),
        };
        let sa = m.header.addr2;
        let to_us = m.header.addr1 == self.cfg.bssid;
        match m.body {
            MgmtBody::ProbeRequest(p) => self.on_probe_request(now, sa, &p.ies),
            MgmtBody::Auth(a) if to_us => self.on_auth(now, sa, &a),
            MgmtBody::AssocRequest(a) if to_us => self.on_assoc(now, sa, a.capability.bits(), a.listen_interval, &a.ies, false),
            MgmtBody::ReassocRequest(a) if to_us => self.on_assoc(now, sa, a.capability.bits(), a.listen_interval, &a.ies, true),
            MgmtBody::Deauth(r) | MgmtBody::Disassoc(r) if to_us => {
                tracing::info!(sta = %sa, reason = r.reason.0, "station left");
                self.remove_station(sa, false, None);
            }
            _ => tracing::trace!(sta = %sa, "management frame not for us"),
        }
    }

    /// The outcome of a frame we sent with `SendFrame` (not `no_ack`).
    pub fn handle_tx_status(&mut self, now: Instant, frame: &[u8], ack: bool) {
        let Ok(m) = MgmtRepr::parse_bytes(frame) else { return };
        if matches!(m.body, MgmtBody::AssocResponse(_) | MgmtBody::ReassocResponse(_)) {
            let sta = m.header.addr1;
            if !ack {
                tracing::debug!(%sta, "association response not acknowledged");
            }
            self.start_eapol(now, sta);
        }
    }

    fn on_probe_request(&mut self, now: Instant, sa: MacAddr, ies: &[u8]) {
        let Some(ssid) = Elements::find(ies, ElementId::SSID).map(|e| e.data) else { return };
        if !(ssid.is_empty() || ssid == self.cfg.ssid.as_slice() || ssid == b"DIRECT-") {
            return;
        }
        // A Device ID asks for one device: us or one of our clients.
        if let Ok(Some(p2p)) = P2pIe::from_ies(ies)
            && let Some(Attribute::DeviceId(id)) = p2p.get(crate::p2p::wire::AttributeId::DEVICE_ID)
            && *id != self.cfg.identity.dev_addr
            && !self.client_dev_addrs().any(|d| d == *id)
        {
            return;
        }
        if let Ok(Some(payload)) = wps::ie::wsc_payload(ies)
            && let Ok(req) = wps::ie::ProbeRequestWsc::parse(&payload)
            && req.is_pbc()
        {
            if let Ok(mut m) = self.pbc_monitor.lock() {
                m.record(now, sa.0, req.uuid_e);
            }
            if matches!(self.armed, Some(Armed::Pbc { .. })) && self.pbc_overlap(now) {
                self.report_overlap();
            }
        }
        let frame = self.probe_response(sa);
        self.out.push_back(GoOutput::SendFrame { frame, no_ack: true });
    }

    fn reply(&mut self, da: MacAddr, body: MgmtBody) {
        let frame = MgmtRepr::new(da, self.cfg.bssid, self.cfg.bssid, body).to_vec();
        self.out.push_back(GoOutput::SendFrame { frame, no_ack: false });
    }

    fn on_auth(&mut self, now: Instant, sa: MacAddr, a: &AuthRepr) {
        if a.transaction != 1 {
            return;
        }
        let status = if a.algorithm == AuthAlgorithm::OPEN_SYSTEM { StatusCode::SUCCESS } else { StatusCode::NOT_SUPPORTED_AUTH_ALG };
        if status.is_success() {
            self.start_station(now, sa);
            tracing::debug!(sta = %sa, "authenticated");
        }
        self.reply(sa, MgmtBody::Auth(AuthRepr { algorithm: a.algorithm, transaction: 2, status, ies: Vec::new() }));
    }

    /// A station starts (over) as authenticated: whatever it had is gone, and so is the
    /// kernel's entry for it (hostapd deletes it before a new authentication too).
    fn start_station(&mut self, now: Instant, sa: MacAddr) {
        // remove_station deletes the kernel entry of an associated station itself.
        let kernel_entry = self.stations.get(&sa).is_some_and(|s| !matches!(s.state, StaState::Authenticated { .. }));
        self.remove_station(sa, false, None);
        if !kernel_entry {
            self.out.push_back(GoOutput::DelStation { addr: sa });
        }
        let state = StaState::Authenticated { since: now };
        self.stations.insert(sa, Station { addr: sa, aid: 0, state, eapol_at: None, p2p: None, connected: false, ip: None });
    }

    fn free_aid(&self) -> Option<u16> {
        (1..=MAX_AID).find(|aid| !self.stations.values().any(|s| s.aid == *aid))
    }

    fn on_assoc(&mut self, now: Instant, sa: MacAddr, capability: u16, listen_interval: u16, ies: &[u8], reassoc: bool) {
        let resp = |status: StatusCode, aid: u16, ies: Vec<u8>| {
            let r = AssocResponseRepr {
                capability: CapabilityInfo::ESS | CapabilityInfo::PRIVACY,
                status,
                aid_field: if aid == 0 { 0 } else { AssocResponseRepr::aid_field_for(aid) },
                ies,
            };
            if reassoc { MgmtBody::ReassocResponse(r) } else { MgmtBody::AssocResponse(r) }
        };
        let Some(sta) = self.stations.get(&sa) else {
            tracing::debug!(%sa, "association without authentication: deauthenticating");
            self.reply(sa, MgmtBody::Deauth(ReasonRepr { reason: ReasonCode::CLASS2_FRAME_FROM_NONAUTH_STA, ies: Vec::new() }));
            return;
        };
        if !matches!(sta.state, StaState::Authenticated { .. }) {
            // A second association while one runs: start the station over.
            tracing::debug!(%sa, "reassociation: starting the station over");
            self.start_station(now, sa);
        }
        let ssid_ok = Elements::find(ies, ElementId::SSID).is_some_and(|e| e.data == self.cfg.ssid.as_slice());
        if !ssid_ok {
            tracing::info!(%sa, "association for another SSID refused");
            self.reply(sa, resp(StatusCode::UNSPECIFIED_FAILURE, 0, empty_p2p_ie()));
            return;
        }
        let rsne = Elements::find(ies, ElementId::RSN).map(|e| {
            let mut v = vec![ElementId::RSN.0, e.data.len() as u8];
            v.extend_from_slice(e.data);
            v
        });
        let wsc = matches!(wps::ie::wsc_payload(ies), Ok(Some(_)));
        let state = match rsne {
            Some(r) => match RsnElement::parse(&r) {
                Ok(e)
                    if e.akm_suites.contains(&AkmSuite::Psk)
                        && e.pairwise_ciphers.contains(&CipherSuite::Ccmp128)
                        && e.group_cipher.is_none_or(|g| g == CipherSuite::Ccmp128) =>
                {
                    StaState::Rsn { sta_rsne: r, auth: None }
                }
                _ => {
                    tracing::info!(%sa, "association with an unsupported RSN element refused");
                    self.reply(sa, resp(StatusCode::INVALID_RSNE, 0, empty_p2p_ie()));
                    return;
                }
            },
            None if wsc => StaState::Wps { registrar: None, ended: None, heard: false },
            None => {
                tracing::info!(%sa, "association without RSN or WPS refused");
                self.reply(sa, resp(StatusCode::INVALID_IE, 0, empty_p2p_ie()));
                return;
            }
        };
        let Some(aid) = self.free_aid() else {
            self.reply(sa, resp(StatusCode::AP_UNABLE_TO_HANDLE_NEW_STA, 0, empty_p2p_ie()));
            return;
        };
        let p2p = match P2pIe::from_ies(ies) {
            Ok(Some(ie)) => ie.device_info().map(|di| ClientInfo {
                device_addr: di.device_addr,
                interface_addr: sa,
                device_capability: ie.capability().map(|c| c.device).unwrap_or(DeviceCapability::empty()),
                desc: di.desc.clone(),
            }),
            _ => None,
        };
        let rates: Vec<u8> = supported_rates(ies).iter().map(|r| r.units_500kbps()).collect();
        let params = StationParams { addr: sa, aid, capability, listen_interval, rates };
        let wps_assoc = matches!(state, StaState::Wps { .. });
        tracing::info!(sta = %sa, aid, wps = wps_assoc, p2p_dev = ?p2p.as_ref().map(|p| p.device_addr), "associated");
        if let Some(s) = self.stations.get_mut(&sa) {
            s.aid = aid;
            s.state = state;
            s.p2p = p2p;
            s.eapol_at = Some(now + EAPOL_START_FALLBACK);
        }
        let mut resp_ies = IeWriter::new();
        let _ = resp_ies.rates(&Self::rates()[..]);
        let mut resp_ies = resp_ies.finish();
        if wps_assoc {
            let wsc = wps::ie::AssocResponseWsc {
                response_type: ResponseType::AP,
                wfa: vec![WfaSubelement::Version2(VERSION2)],
                extra: Vec::new(),
            };
            resp_ies.extend(wps::ie::build_wsc_ies(&wsc.emit().unwrap_or_default()));
        }
        resp_ies.extend(empty_p2p_ie());
        self.out.push_back(GoOutput::NewStation(params));
        self.reply(sa, resp(StatusCode::SUCCESS, aid, resp_ies));
    }

    // ---- EAPOL -------------------------------------------------------------------------

    /// Starts WPS or the 4-way handshake for a station whose association response is out.
    fn start_eapol(&mut self, now: Instant, sa: MacAddr) {
        let Some(s) = self.stations.get_mut(&sa) else { return };
        if s.eapol_at.take().is_none() {
            return;
        }
        match &s.state {
            StaState::Wps { registrar: None, .. } => self.start_registrar(now, sa),
            StaState::Rsn { auth: None, sta_rsne } => {
                let sta_rsne = sta_rsne.clone();
                let ip_offer = match self.cfg.ip {
                    Some((go_ip, netmask)) => self.pool.allocate(now, sa).map(|ip| IpAllocation { ip, netmask, go_ip }),
                    None => None,
                };
                let mut cfg = AuthenticatorConfig::new(
                    self.pmk.clone(),
                    self.cfg.bssid,
                    sa,
                    self.own_rsne.clone(),
                    sta_rsne,
                    self.group_key.clone(),
                );
                cfg.ip_offer = ip_offer;
                let auth = Authenticator::new(cfg, self.rng.as_mut(), now);
                if let Some(s) = self.stations.get_mut(&sa) {
                    s.state = StaState::Rsn { sta_rsne: Vec::new(), auth: Some(Box::new(auth)) };
                }
                self.pump_authenticator(sa);
            }
            _ => {}
        }
    }

    fn start_registrar(&mut self, now: Instant, sa: MacAddr) {
        let dev = self.stations.get(&sa).and_then(|s| s.p2p.as_ref().map(|p| p.device_addr));
        let credential = Credential::wpa2_psk(&self.cfg.ssid, self.cfg.passphrase.as_bytes(), sa.0);
        let id = &self.cfg.identity;
        let mut rc = match self.password_for(sa, dev) {
            Some(pw) => RegistrarConfig::new(id.uuid, pw, credential),
            None => {
                tracing::info!(sta = %sa, "an enrollee came before WPS was armed: it gets M2D and will retry");
                RegistrarConfig::without_password(id.uuid, credential)
            }
        };
        rc.device.manufacturer = id.manufacturer.as_bytes().to_vec();
        rc.device.model_name = id.model_name.as_bytes().to_vec();
        rc.device.model_number = id.model_number.as_bytes().to_vec();
        rc.device.serial_number = Some(b"0".to_vec());
        rc.device.device_name = id.device_name.as_bytes().to_vec();
        rc.rf_bands = self.rf_band();
        rc.pbc_monitor = Some(self.pbc_monitor.clone());
        let registrar = Registrar::new(rc, (self.wps_rng)(), now);
        if let Some(s) = self.stations.get_mut(&sa) {
            s.state = StaState::Wps { registrar: Some(Box::new(registrar)), ended: None, heard: false };
        }
        self.pump_registrar(now, sa);
    }

    /// An EAPOL PDU from a station (802.1X header included).
    pub fn handle_eapol(&mut self, now: Instant, src: MacAddr, pdu: &[u8]) {
        let Ok(repr) = EapolRepr::parse_bytes(pdu) else {
            return tracing::debug!(%src, "malformed EAPOL dropped");
        };
        let Some(s) = self.stations.get_mut(&src) else {
            return tracing::debug!(%src, "EAPOL from an unknown station dropped");
        };
        match (&mut s.state, repr.packet_type) {
            (StaState::Wps { registrar, ended: None, heard }, PacketType::Start) => {
                // EAPOL-Start: (re)send the identity request unless the exchange is under way.
                if registrar.is_none() || !*heard {
                    s.eapol_at = None;
                    self.start_registrar(now, src);
                }
            }
            (StaState::Wps { registrar: Some(r), heard, .. }, PacketType::EapPacket) => {
                *heard = true;
                let waiting = r.waiting_for();
                r.handle_input(now, WpsInput::Eap(repr.body));
                self.pump_registrar_after(now, src, waiting);
            }
            (StaState::Wps { registrar: None, .. }, PacketType::EapPacket) => {
                // EAP before our identity request (the association response's status is late).
                s.eapol_at = None;
                self.start_registrar(now, src);
            }
            (StaState::Rsn { auth: Some(a), .. }, PacketType::Key) => {
                if let Err(dropped) = a.handle_input(now, AuthenticatorInput::Eapol(pdu)) {
                    tracing::debug!(%src, ?dropped, "EAPOL-Key frame dropped by the authenticator");
                }
                self.pump_authenticator(src);
            }
            (_, t) => tracing::debug!(%src, ?t, "EAPOL not expected now"),
        }
    }

    fn pump_registrar(&mut self, now: Instant, sa: MacAddr) {
        self.pump_registrar_after(now, sa, wps::attr::MessageType(0));
    }

    /// Drains the registrar; `waiting` is what it waited for before the last input (a
    /// WSC_NACK is reported against the last message we sent, as hostapd does: M4 when the
    /// enrollee found our PIN proof wrong).
    fn pump_registrar_after(&mut self, now: Instant, sa: MacAddr, waiting: wps::attr::MessageType) {
        let Some(StaState::Wps { registrar: Some(r), .. }) = self.stations.get_mut(&sa).map(|s| &mut s.state) else { return };
        let outputs: Vec<_> = std::iter::from_fn(|| r.poll_output()).collect();
        let mut finished = false;
        for o in outputs {
            match o {
                WpsOutput::Transmit(eap) => {
                    self.out.push_back(GoOutput::SendEapol { dest: sa, pdu: eapol(PacketType::EapPacket, &eap) });
                }
                WpsOutput::Event(RegistrarEvent::EnrolleeSeen { device_password_id, device_name, .. }) => {
                    tracing::info!(sta = %sa, id = device_password_id.0, name = %String::from_utf8_lossy(&device_name), "WPS enrollee (M1)");
                }
                WpsOutput::Event(RegistrarEvent::Succeeded { uuid_e, mac }) => {
                    tracing::info!(sta = %sa, "WPS registration succeeded");
                    self.out.push_back(GoOutput::Event(GoEvent::RegSuccess { enrollee: MacAddr(mac), uuid_e }));
                    // One enrollee per button press or PIN (hostapd disables both after use).
                    self.armed = None;
                    self.out.push_back(GoOutput::UpdateBeacon);
                }
                WpsOutput::Event(RegistrarEvent::PasswordNeeded { .. }) => {
                    self.out.push_back(GoOutput::Event(GoEvent::EnrolleeWaiting { addr: sa }));
                }
                WpsOutput::Event(RegistrarEvent::Failed(Failure::PbcOverlap)) => self.report_overlap(),
                WpsOutput::Event(RegistrarEvent::Failed(Failure::RegistrarNotReady(_))) => {}
                WpsOutput::Event(RegistrarEvent::Failed(f)) => {
                    let (msg, config_error) = match &f {
                        Failure::DevicePasswordMismatch { half } => (if *half == 1 { 0x09 } else { 0x0b }, 18),
                        Failure::PeerNack(ce) => (last_sent_before(waiting), ce.0),
                        _ => (0, 0),
                    };
                    tracing::warn!(sta = %sa, reason = %f, "WPS registration failed");
                    self.out.push_back(GoOutput::Event(GoEvent::WpsFail { msg, config_error, reason: f.to_string() }));
                }
                WpsOutput::Event(RegistrarEvent::Finished) => finished = true,
            }
        }
        if finished && let Some(StaState::Wps { ended, .. }) = self.stations.get_mut(&sa).map(|s| &mut s.state) {
            *ended = Some(now);
        }
    }

    fn pump_authenticator(&mut self, sa: MacAddr) {
        let Some(s) = self.stations.get_mut(&sa) else { return };
        let StaState::Rsn { auth: Some(a), .. } = &mut s.state else { return };
        let mut failed = None;
        let mut connected = None;
        while let Some(o) = a.poll_output() {
            match o {
                AuthenticatorOutput::SendEapol(pdu) => self.out.push_back(GoOutput::SendEapol { dest: sa, pdu }),
                AuthenticatorOutput::InstallPtk { tk } => self.out.push_back(GoOutput::InstallPtk { peer: sa, tk }),
                AuthenticatorOutput::Authorized { ip_allocation } => connected = Some(ip_allocation.map(|a| a.ip)),
                AuthenticatorOutput::GroupKeyDone { .. } => {}
                AuthenticatorOutput::Failed(f) => failed = Some(f),
            }
        }
        if let Some(ip) = connected {
            s.connected = true;
            s.ip = ip;
            let p2p_dev_addr = s.p2p.as_ref().map(|p| p.device_addr);
            tracing::info!(sta = %sa, ?ip, "4-way handshake done: station connected");
            self.out.push_back(GoOutput::Authorize { peer: sa });
            self.out.push_back(GoOutput::Event(GoEvent::StaConnected { addr: sa, p2p_dev_addr, ip }));
            self.out.push_back(GoOutput::UpdateBeacon);
        }
        if let Some(f) = failed {
            tracing::warn!(sta = %sa, reason = %f, "4-way handshake failed");
            self.remove_station(sa, true, Some(ReasonCode(f.reason_code().0)));
        }
    }

    // ---- leaving -----------------------------------------------------------------------

    /// Forgets a station: the kernel entry goes, a connected client is reported gone and
    /// its address freed. `deauth`: tell the station first (with `reason`).
    fn remove_station(&mut self, sa: MacAddr, deauth: bool, reason: Option<ReasonCode>) {
        let Some(s) = self.stations.remove(&sa) else { return };
        if deauth {
            let reason = reason.unwrap_or(ReasonCode::DEAUTH_LEAVING);
            self.reply(sa, MgmtBody::Deauth(ReasonRepr { reason, ies: Vec::new() }));
        }
        if !matches!(s.state, StaState::Authenticated { .. }) {
            self.out.push_back(GoOutput::DelStation { addr: sa });
        }
        if s.connected {
            self.pool.release(sa);
            self.out.push_back(GoOutput::Event(GoEvent::StaDisconnected { addr: sa, p2p_dev_addr: s.p2p.map(|p| p.device_addr) }));
            self.out.push_back(GoOutput::UpdateBeacon);
        } else if matches!(s.state, StaState::Rsn { .. }) {
            // An address may have been reserved for a handshake that never finished.
            self.pool.release(sa);
        }
    }

    /// The kernel removed a station by itself (inactivity, or a DEL_STATION of ours).
    pub fn handle_station_gone(&mut self, sa: MacAddr) {
        if self.stations.get(&sa).is_some_and(|s| !matches!(s.state, StaState::Authenticated { .. })) {
            tracing::info!(sta = %sa, "the kernel removed the station");
            self.remove_station(sa, false, None);
        }
    }

    /// Ends the group: every station is deauthenticated (`P2P_GROUP_REMOVE`).
    pub fn shutdown(&mut self) {
        let all: Vec<MacAddr> = self.stations.keys().copied().collect();
        for sa in all {
            self.remove_station(sa, true, Some(ReasonCode::DEAUTH_LEAVING));
        }
        self.reply(MacAddr::BROADCAST, MgmtBody::Deauth(ReasonRepr { reason: ReasonCode::DEAUTH_LEAVING, ies: Vec::new() }));
        self.armed = None;
    }

    // ---- time --------------------------------------------------------------------------

    pub fn handle_timeout(&mut self, now: Instant) {
        if self.armed.as_ref().and_then(Armed::until).is_some_and(|t| now >= t) {
            let pbc = matches!(self.armed, Some(Armed::Pbc { .. }));
            self.armed = None;
            tracing::info!("WPS walk time over");
            if pbc {
                self.out.push_back(GoOutput::Event(GoEvent::WpsTimeout));
            }
            self.out.push_back(GoOutput::UpdateBeacon);
        }
        let addrs: Vec<MacAddr> = self.stations.keys().copied().collect();
        for sa in addrs {
            let Some(s) = self.stations.get_mut(&sa) else { continue };
            if s.eapol_at.is_some_and(|t| now >= t) {
                self.start_eapol(now, sa);
                continue;
            }
            match &mut s.state {
                StaState::Authenticated { since } if now >= *since + AUTH_ONLY_TIMEOUT => {
                    self.stations.remove(&sa);
                }
                StaState::Wps { ended: Some(t), .. } if now >= *t + WPS_LINGER => {
                    tracing::debug!(sta = %sa, "WPS over: sending the enrollee away");
                    self.remove_station(sa, true, Some(ReasonCode(23)));
                }
                StaState::Wps { registrar: Some(r), ended: None, .. } => {
                    r.handle_timeout(now);
                    self.pump_registrar(now, sa);
                }
                StaState::Rsn { auth: Some(a), .. } => {
                    a.handle_timeout(now);
                    self.pump_authenticator(sa);
                }
                _ => {}
            }
        }
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        let armed = self.armed.as_ref().and_then(Armed::until);
        let stations = self.stations.values().filter_map(|s| {
            let own = match &s.state {
                StaState::Authenticated { since } => Some(*since + AUTH_ONLY_TIMEOUT),
                StaState::Wps { ended: Some(t), .. } => Some(*t + WPS_LINGER),
                StaState::Wps { registrar: Some(r), ended: None, .. } => r.poll_timeout(),
                StaState::Rsn { auth: Some(a), .. } => a.poll_timeout(),
                _ => None,
            };
            [own, s.eapol_at].into_iter().flatten().min()
        });
        armed.into_iter().chain(stations).min()
    }

    pub fn poll_output(&mut self) -> Option<GoOutput> {
        self.out.pop_front()
    }
}

/// The registrar message sent before the one it waits for (M2 before M3 ... M8 before
/// WSC_Done); WSC_NACK's type when unknown.
fn last_sent_before(waiting: wps::attr::MessageType) -> u8 {
    use wps::attr::MessageType as T;
    let sent = match waiting {
        T::M3 => T::M2,
        T::M5 => T::M4,
        T::M7 => T::M6,
        T::WSC_DONE => T::M8,
        _ => T::WSC_NACK,
    };
    sent.0
}

/// An empty P2P IE (what a GO puts in a successful association response).
fn empty_p2p_ie() -> Vec<u8> {
    let mut w = IeWriter::new();
    w.vendor(VendorType::P2P, &[]);
    w.finish()
}

/// The channel number of a 2.4 GHz frequency.
fn channel_2ghz(freq: u32) -> Option<u8> {
    match freq {
        2484 => Some(14),
        2412..=2472 => u8::try_from((freq - 2407) / 5).ok(),
        _ => None,
    }
}

/// An EAPOL PDU (802.1X-2004 version, as hostapd sends).
fn eapol(packet_type: PacketType, body: &[u8]) -> Vec<u8> {
    EapolRepr { version: EAPOL_VERSION_2004, packet_type, body }.to_vec().unwrap_or_default()
}

/// Characters of generated SSID suffixes and passphrases (as hostap).
const CHARSET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `len` random characters of [A-Za-z0-9], without modulo bias.
pub fn random_chars(rng: &mut dyn RandomSource, len: usize) -> String {
    let mut s = String::with_capacity(len);
    let mut b = [0u8; 1];
    while s.len() < len {
        rng.fill(&mut b);
        // 248 = 4 * 62: values above would favour the first characters.
        if b[0] < 248 {
            s.push(char::from(CHARSET[usize::from(b[0]) % CHARSET.len()]));
        }
    }
    s
}

/// A group SSID: `DIRECT-` and two random characters.
pub fn random_ssid(rng: &mut dyn RandomSource) -> Vec<u8> {
    format!("DIRECT-{}", random_chars(rng, 2)).into_bytes()
}

#[cfg(test)]
#[path = "go_tests.rs"]
mod tests;
