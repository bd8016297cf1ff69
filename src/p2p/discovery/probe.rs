//! Probe frames of a P2P device in the discovery phase (Wi-Fi P2P spec 3.1.2.1):
//! the Probe Request IEs we send while searching, and the pure answer to a peer's Probe
//! Request while we listen. No state, no I/O.
//!
//! [`answer`] follows hostap's `p2p_reply_probe` / `p2p_build_probe_resp_buf`
//! (`src/p2p/p2p.c`) and is checked against the probe responses real wpa_supplicant 2.10
//! P2P devices sent on hwsim (tests): a request is answered only when
//! - it carries a P2P IE,
//! - its DA is broadcast or our device address and its BSSID the wildcard,
//! - its SSID is the P2P wildcard `DIRECT-` or the wildcard SSID (empty),
//! - its rates are not 11b-only,
//! - a Device ID attribute, if present, names us, and
//! - a WSC Requested Device Type, if present, matches our primary type (exactly, or by
//!   category with a zero OUI and sub-category).
//!
//! The response goes from our P2P device address (SA = BSSID), beacon interval 100,
//! capability short preamble | privacy | short slot time, SSID `DIRECT-`, Supported Rates
//! `8c 12 98 24 b0 48 60 6c` (OFDM only, 6/12/24 basic), a DS Parameter Set naming the
//! channel the request arrived on (the peer learns our listen channel from it), then the
//! WSC IE (all attributes: an enrollee's device description) and the P2P IE (P2P
//! Capability, P2P Device Info).

use std::fmt;

use crate::ieee80211::ie::{ElementId, Elements, IeWriter, Rate};
use crate::ieee80211::vendor::VendorType;
use crate::ieee80211::{BeaconRepr, CapabilityInfo, MacAddr, MgmtBody, MgmtRepr};
use crate::p2p::wire::consts::{COUNTRY_GLOBAL, WILDCARD_SSID};
use crate::p2p::wire::types::class_of;
use crate::p2p::wire::{
    self, Attribute, Capability, Channel, ConfigMethods, DeviceCapability, DeviceDescription,
    DeviceInfo, DeviceType, GroupCapability, P2pIe,
};

/// Who we are on the air as a P2P device: what our probe requests and responses (and
/// provision discovery requests) say about us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Our P2P device address (the P2P-Device wdev's address).
    pub dev_addr: MacAddr,
    /// Device name (WSC Device Name, P2P Device Info).
    pub name: String,
    pub primary_type: DeviceType,
    /// Config Methods of our P2P Device Info.
    pub config_methods: ConfigMethods,
    /// Config Methods of our WSC IEs (wpa_supplicant adds the virtual display and push
    /// button bits there: 0x2388 where Device Info says 0x0188).
    pub wsc_config_methods: u16,
    /// Device Capability bitmap of our P2P Capability attribute.
    pub dev_capab: DeviceCapability,
    /// WSC UUID-E.
    pub uuid: [u8; 16],
    pub manufacturer: String,
    pub model_name: String,
    pub model_number: String,
    pub serial_number: String,
    /// Country string of our Listen Channel attribute (`XX\x04` = global classes).
    pub country: [u8; 3],
}

impl Identity {
    /// directd's defaults: primary type 1-0050F204-1 (computer, PC), config methods
    /// display | push button | keypad (0x0188), concurrent operation and invitation
    /// procedure, a UUID derived from the address, the global country string.
    pub fn new(dev_addr: MacAddr, name: impl Into<String>) -> Identity {
        Identity {
            dev_addr,
            name: name.into(),
            primary_type: DeviceType::new(1, 1),
            config_methods: ConfigMethods::from_bits_retain(0x0188),
            wsc_config_methods: 0x0188,
            dev_capab: DeviceCapability::CONCURRENT_OPERATION
                | DeviceCapability::INVITATION_PROCEDURE,
            uuid: wps::attr::uuid_from_mac(&dev_addr.0),
            manufacturer: String::new(),
            model_name: String::new(),
            model_number: String::new(),
            serial_number: String::new(),
            country: COUNTRY_GLOBAL,
        }
    }

    /// Our P2P Device Info attribute.
    pub fn device_info(&self) -> DeviceInfo {
        DeviceInfo {
            device_addr: self.dev_addr,
            desc: DeviceDescription {
                config_methods: self.config_methods,
                primary_type: self.primary_type,
                secondary_types: Vec::new(),
                name: self.name.as_bytes().to_vec(),
            },
        }
    }

    /// Our P2P Capability as a P2P device (not a GO): hostap clears Client
    /// Discoverability in probe responses; group capability 0.
    pub fn capability(&self) -> Capability {
        Capability {
            device: self.dev_capab - DeviceCapability::CLIENT_DISCOVERABILITY,
            group: GroupCapability::empty(),
        }
    }

    fn wsc_device_type(&self) -> wps::attr::DeviceType {
        wps::attr::DeviceType {
            category: self.primary_type.category,
            oui: self.primary_type.oui,
            sub_category: self.primary_type.sub_category,
        }
    }

    fn wsc_config_methods(&self) -> wps::attr::ConfigMethods {
        wps::attr::ConfigMethods::from_bits_retain(self.wsc_config_methods)
    }
}

/// hostap writes a missing manufacturer/model/serial as one space (the captures show it).
fn wsc_text(s: &str) -> Vec<u8> {
    if s.is_empty() { b" ".to_vec() } else { s.as_bytes().to_vec() }
}

/// Why a frame did not build (our identity does not fit the element limits).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("P2P IE: {0}")]
    P2p(#[from] wire::Error),
    #[error("WSC IE: {0}")]
    Wsc(#[from] wps::message::MessageError),
    #[error("element: {0}")]
    Element(#[from] crate::ieee80211::Error),
}

/// The IEs of our discovery Probe Requests (`p2p_scan_ie`, p2p.c): the WSC IE of an
/// enrollee (as the driver sent it before) and a P2P IE with P2P Capability, the Device ID
/// when the find looks for one device (`dev_id=`) and our Listen Channel (peers learn
/// where to reach us from it).
pub fn probe_request_ies(
    us: &Identity,
    listen_freq: u32,
    dev_id: Option<MacAddr>,
) -> Result<Vec<u8>, BuildError> {
    use wps::attr::{AssociationState, ConfigError, DevicePasswordId, RequestType, RfBands};
    let wsc = wps::ie::ProbeRequestWsc {
        request_type: RequestType::ENROLLEE_INFO,
        config_methods: us.wsc_config_methods(),
        uuid_e: us.uuid,
        primary_device_type: us.wsc_device_type(),
        rf_bands: RfBands::BAND_2_4_GHZ | RfBands::BAND_5_GHZ,
        association_state: AssociationState::NOT_ASSOCIATED,
        config_error: ConfigError::NO_ERROR,
        device_password_id: DevicePasswordId::DEFAULT,
        manufacturer: Some(wsc_text(&us.manufacturer)),
        model_name: Some(wsc_text(&us.model_name)),
        model_number: Some(wsc_text(&us.model_number)),
        device_name: Some(us.name.as_bytes().to_vec()),
        wfa: vec![wps::attr::WfaSubelement::Version2(wps::attr::VERSION2)],
        extra: Vec::new(),
    };
    let mut ies = wps::ie::build_wsc_ies(&wsc.emit()?);
    let mut attributes = vec![Attribute::Capability(us.capability())];
    if let Some(id) = dev_id {
        attributes.push(Attribute::DeviceId(id));
    }
    if let Some(ch) = Channel::from_freq(us.country, listen_freq) {
        attributes.push(Attribute::ListenChannel(ch));
    }
    P2pIe::new(attributes).push_ies(&mut ies)?;
    Ok(ies)
}

/// Why a Probe Request gets no answer (the caller logs it at debug level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoAnswer {
    /// Not a Probe Request, or its header or elements are malformed.
    Malformed(String),
    /// We are not in the listen state (no remain-on-channel running on our listen
    /// channel).
    NotListening,
    /// Addressed to another station, or to a specific BSSID.
    NotForUs,
    /// No P2P IE.
    NotP2p,
    /// The SSID is neither `DIRECT-` nor the wildcard.
    SsidMismatch,
    /// Only 802.11b rates: a P2P device never answers at CCK rates.
    Only11b,
    /// A Device ID attribute names another device.
    OtherDeviceId(MacAddr),
    /// The WSC Requested Device Type does not match our type.
    DeviceTypeMismatch,
    /// Our own identity did not build into a frame.
    Build(BuildError),
}

impl fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoAnswer::Malformed(e) => write!(f, "malformed probe request: {e}"),
            NoAnswer::NotListening => f.write_str("not in listen state"),
            NoAnswer::NotForUs => f.write_str("addressed to someone else"),
            NoAnswer::NotP2p => f.write_str("no P2P IE"),
            NoAnswer::SsidMismatch => f.write_str("SSID is not DIRECT- or wildcard"),
            NoAnswer::Only11b => f.write_str("11b rates only"),
            NoAnswer::OtherDeviceId(a) => write!(f, "asks for device {a}"),
            NoAnswer::DeviceTypeMismatch => f.write_str("requested device type is not ours"),
            NoAnswer::Build(e) => write!(f, "cannot build our response: {e}"),
        }
    }
}

/// A parsed Probe Request from a P2P peer: what the peer table and the answer need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeRequest {
    pub da: MacAddr,
    pub sa: MacAddr,
    pub bssid: MacAddr,
    /// The elements after the header.
    pub ies: Vec<u8>,
    /// The P2P IE (`None`: not a P2P probe request).
    pub p2p: Option<P2pIe>,
}

impl ProbeRequest {
    /// Parses a whole Probe Request frame (header first, no FCS).
    pub fn parse(frame: &[u8]) -> Result<ProbeRequest, NoAnswer> {
        let m = MgmtRepr::parse_bytes(frame).map_err(|e| NoAnswer::Malformed(e.to_string()))?;
        let MgmtBody::ProbeRequest(body) = m.body else {
            return Err(NoAnswer::Malformed(format!("subtype {:?}", m.body.subtype())));
        };
        Elements::validate(&body.ies).map_err(|e| NoAnswer::Malformed(e.to_string()))?;
        let p2p = P2pIe::from_ies(&body.ies).map_err(|e| NoAnswer::Malformed(e.to_string()))?;
        Ok(ProbeRequest { da: m.header.addr1, sa: m.header.addr2, bssid: m.header.addr3, ies: body.ies, p2p })
    }
}

/// 802.11b rates (1, 2, 5.5, 11 Mb/s) in 500 kb/s units.
fn is_11b(rate: u8) -> bool {
    matches!(rate & 0x7f, 2 | 4 | 11 | 22)
}

/// hostap `supp_rates_11b_only`: at least one 11b rate and no other.
fn only_11b(ies: &[u8]) -> bool {
    let rates: Vec<u8> = [ElementId::SUPPORTED_RATES, ElementId::EXT_SUPPORTED_RATES]
        .into_iter()
        .filter_map(|id| Elements::find(ies, id))
        .flat_map(|e| e.data.iter().copied())
        .collect();
    rates.iter().any(|&r| is_11b(r)) && rates.iter().all(|&r| is_11b(r))
}

/// hostap `dev_type_match`: equal, or the same category with OUI and sub-category zero.
fn dev_type_matches(ours: DeviceType, req: [u8; 8]) -> bool {
    let ours = ours.to_bytes();
    ours == req || (ours[..2] == req[..2] && req[2..] == [0; 6])
}

/// The WSC Requested Device Type attributes of a request: `Err` when the WSC IE is
/// malformed.
fn requested_types(ies: &[u8]) -> Result<Vec<[u8; 8]>, NoAnswer> {
    let bad = |e: String| NoAnswer::Malformed(e);
    let Some(wsc) = wps::ie::wsc_payload(ies).map_err(|e| bad(e.to_string()))? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for a in wps::attr::raw_attrs(&wsc) {
        let a = a.map_err(|e| bad(e.to_string()))?;
        if a.kind == wps::attr::AttrType::REQUESTED_DEVICE_TYPE {
            out.push(a.value.try_into().map_err(|_| bad("Requested Device Type length".into()))?);
        }
    }
    Ok(out)
}

/// The Probe Response a listening P2P device sends to `req`, received on `rx_freq`.
/// `listening`: our remain-on-channel on the listen channel is running (hostap's
/// `in_listen && drv_in_listen`).
pub fn answer(req: &ProbeRequest, rx_freq: u32, us: &Identity, listening: bool) -> Result<Vec<u8>, NoAnswer> {
    if !listening {
        return Err(NoAnswer::NotListening);
    }
    if !((req.da == MacAddr::BROADCAST) || req.da == us.dev_addr) || req.bssid != MacAddr::BROADCAST {
        return Err(NoAnswer::NotForUs);
    }
    let p2p = req.p2p.as_ref().ok_or(NoAnswer::NotP2p)?;
    match Elements::find(&req.ies, ElementId::SSID) {
        Some(e) if e.data.is_empty() || e.data == WILDCARD_SSID => {}
        _ => return Err(NoAnswer::SsidMismatch),
    }
    if only_11b(&req.ies) {
        return Err(NoAnswer::Only11b);
    }
    if let Some(id) = p2p.device_id().filter(|id| **id != us.dev_addr) {
        return Err(NoAnswer::OtherDeviceId(*id));
    }
    let wanted = requested_types(&req.ies)?;
    if !wanted.is_empty() && !wanted.iter().any(|t| dev_type_matches(us.primary_type, *t)) {
        return Err(NoAnswer::DeviceTypeMismatch);
    }
    probe_response(req.sa, rx_freq, us).map_err(NoAnswer::Build)
}

/// Parses `frame` and answers it: [`answer`] for raw bytes.
pub fn answer_frame(frame: &[u8], rx_freq: u32, us: &Identity, listening: bool) -> Result<Vec<u8>, NoAnswer> {
    answer(&ProbeRequest::parse(frame)?, rx_freq, us, listening)
}

/// Our Probe Response to `da`, for a request received on `rx_freq`.
pub fn probe_response(da: MacAddr, rx_freq: u32, us: &Identity) -> Result<Vec<u8>, BuildError> {
    use wps::attr::{ResponseType, WpsState};
    // Supported Rates of a P2P device: OFDM only, 6, 12 and 24 Mb/s basic.
    const RATES: [Rate; 8] = [
        Rate(0x8c),
        Rate(0x12),
        Rate(0x98),
        Rate(0x24),
        Rate(0xb0),
        Rate(0x48),
        Rate(0x60),
        Rate(0x6c),
    ];
    let mut w = IeWriter::new();
    w.ssid(WILDCARD_SSID)?.rates(&RATES)?;
    if let Some((_, channel)) = class_of(rx_freq) {
        w.ds_params(channel)?;
    }
    let wsc = wps::ie::ProbeResponseWsc {
        wps_state: WpsState::NOT_CONFIGURED,
        ap_setup_locked: None,
        selected_registrar: Default::default(),
        response_type: ResponseType::ENROLLEE_INFO,
        uuid_e: Some(us.uuid),
        uuid_r: None,
        manufacturer: wsc_text(&us.manufacturer),
        model_name: wsc_text(&us.model_name),
        model_number: wsc_text(&us.model_number),
        serial_number: Some(wsc_text(&us.serial_number)),
        primary_device_type: us.wsc_device_type(),
        device_name: us.name.as_bytes().to_vec(),
        config_methods: us.wsc_config_methods(),
        rf_bands: None,
        wfa: vec![wps::attr::WfaSubelement::Version2(wps::attr::VERSION2)],
        extra: Vec::new(),
    };
    w.vendor(VendorType::WSC, &wsc.emit()?);
    let p2p = P2pIe::new(vec![Attribute::Capability(us.capability()), Attribute::DeviceInfo(us.device_info())]);
    w.vendor(VendorType::P2P, &p2p.to_payload()?);
    let body = BeaconRepr {
        timestamp: 0,
        beacon_interval: 100,
        capability: CapabilityInfo::SHORT_PREAMBLE | CapabilityInfo::PRIVACY | CapabilityInfo::SHORT_SLOT_TIME,
        ies: w.finish(),
    };
    Ok(MgmtRepr::new(da, us.dev_addr, us.dev_addr, MgmtBody::ProbeResponse(body)).to_vec())
}
