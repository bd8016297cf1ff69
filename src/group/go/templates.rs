//! What the group announces: beacon templates, probe responses and association-response
//! IEs (the group's WSC and P2P IEs, built from its configuration, the WPS arming and the
//! connected clients). Every emit error is returned, never replaced by an empty IE.

use wps::attr::{ConfigMethods, DevicePasswordId, DeviceType, ResponseType, RfBands, VERSION2, WfaSubelement, WpsState};

use super::{Armed, BEACON_INTERVAL, BeaconTemplate, Go, GoError, IpPool};
use crate::ieee80211::{BeaconRepr, CapabilityInfo, IeWriter, MacAddr, MgmtBody, MgmtRepr, Rate, VendorType};
use crate::p2p::wire::{
    Attribute, Capability, ClientInfo, DeviceCapability, DeviceDescription, DeviceInfo, GroupCapability, P2pIe,
};

/// The device type we announce: Computer / PC (`1-0050F204-1`).
pub const PRIMARY_DEVICE_TYPE: DeviceType = DeviceType::new(1, 1);
/// The config methods we announce: display, push button, keypad (0x0188).
pub const CONFIG_METHODS: ConfigMethods =
    ConfigMethods::DISPLAY.union(ConfigMethods::PUSH_BUTTON).union(ConfigMethods::KEYPAD);

fn template_error(what: &'static str, e: impl std::fmt::Display) -> GoError {
    GoError::Template { what, detail: e.to_string() }
}

/// An empty P2P IE (what a GO puts in a successful association response).
pub(super) fn empty_p2p_ie() -> Vec<u8> {
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

/// OFDM rates only (P2P forbids 11b rates); 6, 12 and 24 Mb/s basic.
pub(super) fn rates() -> Vec<Rate> {
    Rate::OFDM.iter().map(|r| Rate::new(r.units_500kbps(), matches!(r.units_500kbps(), 12 | 24 | 48))).collect()
}

/// The WSC IE of a successful association response for WPS.
pub(super) fn assoc_resp_wsc_ie() -> Result<Vec<u8>, GoError> {
    let wsc = wps::ie::AssocResponseWsc {
        response_type: ResponseType::AP,
        wfa: vec![WfaSubelement::Version2(VERSION2)],
        extra: Vec::new(),
    };
    Ok(wps::ie::build_wsc_ies(&wsc.emit().map_err(|e| template_error("association response WSC IE", e))?))
}

impl<P: IpPool> Go<P> {
    pub(super) fn capability(&self) -> CapabilityInfo {
        let mut c = CapabilityInfo::ESS | CapabilityInfo::PRIVACY;
        if self.cfg.freq < 5000 {
            c |= CapabilityInfo::SHORT_SLOT_TIME;
        }
        c
    }

    fn p2p_capability(&self) -> Capability {
        let mut group = GroupCapability::GROUP_OWNER | GroupCapability::INTRA_BSS_DISTRIBUTION;
        if self.cfg.ip.is_some() {
            group |= GroupCapability::IP_ADDRESS_ALLOCATION;
        }
        if self.cfg.persistent {
            group |= GroupCapability::PERSISTENT_GROUP;
            if self.cfg.persistent_reconnect {
                group |= GroupCapability::PERSISTENT_RECONNECT;
            }
        }
        if self.group_formation {
            group |= GroupCapability::GROUP_FORMATION;
        }
        Capability { device: DeviceCapability::CONCURRENT_OPERATION | DeviceCapability::INVITATION_PROCEDURE, group }
    }

    fn device_description(&self) -> DeviceDescription {
        DeviceDescription {
            config_methods: CONFIG_METHODS,
            primary_type: PRIMARY_DEVICE_TYPE,
            secondary_types: Vec::new(),
            name: self.cfg.identity.device_name.as_bytes().to_vec(),
        }
    }

    fn selected_registrar(&self) -> wps::ie::SelectedRegistrar {
        match &self.armed {
            Some(Armed::Pbc { .. }) => wps::ie::SelectedRegistrar::active(
                DevicePasswordId::PUSH_BUTTON,
                ConfigMethods::PUSH_BUTTON | ConfigMethods::VIRTUAL_PUSH_BUTTON,
            ),
            Some(Armed::Pin { .. }) => {
                wps::ie::SelectedRegistrar::active(DevicePasswordId::DEFAULT, ConfigMethods::DISPLAY | ConfigMethods::KEYPAD)
            }
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

    pub(super) fn rf_band(&self) -> RfBands {
        if self.cfg.freq >= 5000 { RfBands::BAND_5_GHZ } else { RfBands::BAND_2_4_GHZ }
    }

    fn beacon_wsc_ie(&self) -> Result<Vec<u8>, GoError> {
        let wsc = wps::ie::BeaconWsc {
            wps_state: WpsState::CONFIGURED,
            ap_setup_locked: self.pin_lockout.is_locked().then_some(true),
            selected_registrar: self.selected_registrar(),
            uuid_e: None,
            rf_bands: None,
            wfa: self.wfa_subelements(),
            extra: Vec::new(),
        };
        Ok(wps::ie::build_wsc_ies(&wsc.emit().map_err(|e| template_error("beacon WSC IE", e))?))
    }

    fn probe_resp_wsc_ie(&self) -> Result<Vec<u8>, GoError> {
        let id = &self.cfg.identity;
        let wsc = wps::ie::ProbeResponseWsc {
            wps_state: WpsState::CONFIGURED,
            ap_setup_locked: self.pin_lockout.is_locked().then_some(true),
            selected_registrar: self.selected_registrar(),
            response_type: ResponseType::AP,
            uuid_e: Some(id.uuid),
            uuid_r: None,
            manufacturer: id.manufacturer.as_bytes().to_vec(),
            model_name: id.model_name.as_bytes().to_vec(),
            model_number: id.model_number.as_bytes().to_vec(),
            serial_number: Some(b"0".to_vec()),
            primary_device_type: PRIMARY_DEVICE_TYPE,
            device_name: id.device_name.as_bytes().to_vec(),
            config_methods: CONFIG_METHODS,
            rf_bands: Some(self.rf_band()),
            wfa: self.wfa_subelements(),
            extra: Vec::new(),
        };
        Ok(wps::ie::build_wsc_ies(&wsc.emit().map_err(|e| template_error("probe response WSC IE", e))?))
    }

    /// Beacon P2P IE: P2P Capability and P2P Device ID.
    fn beacon_p2p_ie(&self) -> Result<Vec<u8>, GoError> {
        P2pIe::new(vec![Attribute::Capability(self.p2p_capability()), Attribute::DeviceId(self.cfg.identity.dev_addr)])
            .to_ies()
            .map_err(|e| template_error("beacon P2P IE", e))
    }

    /// Probe Response P2P IE: P2P Capability, Device Info and Group Info.
    fn probe_resp_p2p_ie(&self) -> Result<Vec<u8>, GoError> {
        let clients: Vec<ClientInfo> = self.stations.values().filter_map(|s| s.client_info().cloned()).collect();
        P2pIe::new(vec![
            Attribute::Capability(self.p2p_capability()),
            Attribute::DeviceInfo(DeviceInfo { device_addr: self.cfg.identity.dev_addr, desc: self.device_description() }),
            Attribute::GroupInfo(clients),
        ])
        .to_ies()
        .map_err(|e| template_error("probe response P2P IE", e))
    }

    /// SSID, rates and (on 2.4 GHz) DS Parameter Set: what comes before the TIM.
    fn head_ies(&self) -> Result<Vec<u8>, GoError> {
        let mut w = IeWriter::new();
        w.ssid(&self.cfg.ssid).map_err(|e| template_error("SSID element", e))?;
        w.rates(&rates()[..]).map_err(|e| template_error("rates elements", e))?;
        if let Some(ch) = channel_2ghz(self.cfg.freq) {
            w.ds_params(ch).map_err(|e| template_error("DS parameter set", e))?;
        }
        Ok(w.finish())
    }

    /// The beacon templates for START_AP / SET_BEACON.
    pub fn beacon(&self) -> Result<BeaconTemplate, GoError> {
        let bssid = self.cfg.bssid;
        let head = MgmtRepr::new(
            MacAddr::BROADCAST,
            bssid,
            bssid,
            MgmtBody::Beacon(BeaconRepr {
                timestamp: 0,
                beacon_interval: BEACON_INTERVAL,
                capability: self.capability(),
                ies: self.head_ies()?,
            }),
        )
        .to_vec();
        let mut beacon_ies = self.beacon_wsc_ie()?;
        beacon_ies.extend(self.beacon_p2p_ie()?);
        let mut tail = self.own_rsne.clone();
        tail.extend_from_slice(&beacon_ies);
        let mut probe_resp_ies = self.probe_resp_wsc_ie()?;
        probe_resp_ies.extend(self.probe_resp_p2p_ie()?);
        Ok(BeaconTemplate { head, tail, beacon_ies, probe_resp_ies, assoc_resp_ies: empty_p2p_ie() })
    }

    /// A Probe Response to `da`.
    pub(super) fn probe_response(&self, da: MacAddr) -> Result<Vec<u8>, GoError> {
        let mut ies = self.head_ies()?;
        ies.extend_from_slice(&self.own_rsne);
        ies.extend(self.probe_resp_wsc_ie()?);
        ies.extend(self.probe_resp_p2p_ie()?);
        Ok(MgmtRepr::new(
            da,
            self.cfg.bssid,
            self.cfg.bssid,
            MgmtBody::ProbeResponse(BeaconRepr { timestamp: 0, beacon_interval: BEACON_INTERVAL, capability: self.capability(), ies }),
        )
        .to_vec())
    }
}
