//! The stations of the group: each one's state holds only what is valid in it (the AID,
//! the P2P descriptor and the EAPOL machine exist once it associated; the deadline of each
//! state is in the state), and the 802.11 management it goes through (authentication,
//! association, leaving).

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use super::templates::{assoc_resp_wsc_ie, empty_p2p_ie, rates};
use super::registration::Enrollment;
use super::{Go, GoEvent, GoOutput, IpPool, StationParams};
use crate::eapol::Authenticator;
use crate::eapol::wire::{AkmSuite, CipherSuite, RsnElement};
use crate::ieee80211::ie::supported_rates;
use crate::ieee80211::{
    AssocResponseRepr, AuthAlgorithm, AuthRepr, CapabilityInfo, ElementId, Elements, IeWriter, MacAddr, MgmtBody, ReasonCode,
    ReasonRepr, StatusCode,
};
use crate::p2p::wire::{Attribute, ClientInfo, DeviceCapability, P2pIe};

/// If the TX status of our association response does not come, EAPOL starts anyway.
pub(super) const EAPOL_START_FALLBACK: Duration = Duration::from_millis(200);
/// A station that authenticated but never associated is forgotten after this.
pub(super) const AUTH_ONLY_TIMEOUT: Duration = Duration::from_secs(30);
/// Highest association ID handed out (the kernel's limit is 2007; a P2P group is small).
const MAX_AID: u16 = 2007;

pub(super) struct Station {
    pub addr: MacAddr,
    pub state: StaState,
}

pub(super) enum StaState {
    /// Open-system authentication done; forgotten at `forget_at` unless it associates.
    Authenticated { forget_at: Instant },
    /// Associated: the kernel knows the station.
    Associated(Associated),
}

pub(super) struct Associated {
    pub aid: u16,
    /// What the association request said, for the station list (`STA-FIRST`, `STA`).
    pub request: AssocRequestInfo,
    /// From the association request's P2P IE: for Group Info and the events.
    pub p2p: Option<ClientInfo>,
    /// Whether `p2p` fits a Group Info descriptor (at most 255 bytes): a client whose
    /// descriptor does not is left out of Group Info rather than breaking every probe
    /// response.
    pub listed: bool,
    pub phase: Phase,
}

/// What a station's association request said that the station list reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssocRequestInfo {
    pub capability: u16,
    pub listen_interval: u16,
    /// Supported and extended supported rates as sent (basic bit kept).
    pub rates: Vec<u8>,
    /// The P2P IE's Capability attribute: (device, group) bitmaps.
    pub p2p_capab: Option<(u8, u8)>,
    /// When it associated.
    pub at: Instant,
}

/// One associated station, as the station list reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationReport {
    pub addr: MacAddr,
    pub aid: u16,
    pub request: AssocRequestInfo,
    /// The P2P IE's Device Info (device address, config methods, device type, name).
    pub p2p: Option<ClientInfo>,
    /// Associated with a WSC IE (for WPS), not RSN.
    pub wps: bool,
    /// The 4-way handshake is done: the port is open.
    pub authorized: bool,
}

/// Where an associated station is.
pub(super) enum Phase {
    /// Associated for WPS; the registrar starts when the association response is out (its
    /// TX status), at the latest at `start_at`.
    WpsPending { start_at: Instant },
    /// The registrar runs.
    Wps(Box<Enrollment>),
    /// The registrar ended (EAP-Failure sent); a station still associated for WPS at
    /// `leave_at` is sent away (the enrollee normally leaves at once to come back with the
    /// credential).
    WpsEnded { leave_at: Instant },
    /// Associated with RSN; the 4-way handshake starts when the association response is
    /// out, at the latest at `start_at`.
    RsnPending { sta_rsne: Vec<u8>, start_at: Instant },
    /// The 4-way handshake runs (an address may be reserved for the station).
    Handshake(Box<Authenticator>),
    /// The port is open: a client of the group.
    Connected { auth: Box<Authenticator>, ip: Option<Ipv4Addr> },
}

impl Station {
    pub fn associated(&self) -> Option<&Associated> {
        match &self.state {
            StaState::Associated(a) => Some(a),
            StaState::Authenticated { .. } => None,
        }
    }

    pub fn phase_mut(&mut self) -> Option<&mut Phase> {
        match &mut self.state {
            StaState::Associated(a) => Some(&mut a.phase),
            StaState::Authenticated { .. } => None,
        }
    }

    /// A connected client: its P2P device address and address.
    pub fn connected(&self) -> Option<(Option<MacAddr>, Option<Ipv4Addr>)> {
        let a = self.associated()?;
        match a.phase {
            Phase::Connected { ip, .. } => Some((a.p2p.as_ref().map(|p| p.device_addr), ip)),
            _ => None,
        }
    }

    /// The Client Info descriptor of a connected P2P client (Group Info).
    pub fn client_info(&self) -> Option<&ClientInfo> {
        let a = self.associated()?;
        match a.phase {
            Phase::Connected { .. } if a.listed => a.p2p.as_ref(),
            _ => None,
        }
    }

    /// The station list's entry of an associated station.
    pub fn report(&self) -> Option<StationReport> {
        let a = self.associated()?;
        let wps = matches!(a.phase, Phase::WpsPending { .. } | Phase::Wps(_) | Phase::WpsEnded { .. });
        Some(StationReport {
            addr: self.addr,
            aid: a.aid,
            request: a.request.clone(),
            p2p: a.p2p.clone(),
            wps,
            authorized: matches!(a.phase, Phase::Connected { .. }),
        })
    }

    pub fn p2p_dev_addr(&self) -> Option<MacAddr> {
        self.associated().and_then(|a| a.p2p.as_ref().map(|p| p.device_addr))
    }
}

impl<P: IpPool> Go<P> {
    pub(super) fn reply(&mut self, da: MacAddr, body: MgmtBody) {
        let frame = crate::ieee80211::MgmtRepr::new(da, self.cfg.bssid, self.cfg.bssid, body).to_vec();
        self.push(GoOutput::SendFrame { frame, no_ack: false });
    }

    pub(super) fn on_auth(&mut self, now: Instant, sa: MacAddr, a: &AuthRepr) {
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
        let kernel_entry = self.stations.get(&sa).is_some_and(|s| s.associated().is_some());
        self.remove_station(sa, false, None);
        if !kernel_entry {
            self.push(GoOutput::DelStation { addr: sa });
        }
        // At most MAX_UNASSOCIATED wait for their association: the oldest goes.
        let waiting = self.stations.values().filter(|s| matches!(s.state, StaState::Authenticated { .. }));
        if waiting.clone().count() >= super::MAX_UNASSOCIATED
            && let Some(oldest) = waiting.min_by_key(|s| match s.state {
                StaState::Authenticated { forget_at } => forget_at,
                StaState::Associated(_) => now,
            }).map(|s| s.addr)
        {
            tracing::debug!(sta = %oldest, "forgetting the oldest unassociated station: too many");
            self.stations.remove(&oldest);
        }
        let state = StaState::Authenticated { forget_at: now + AUTH_ONLY_TIMEOUT };
        self.stations.insert(sa, Station { addr: sa, state });
    }

    fn free_aid(&self) -> Option<u16> {
        (1..=MAX_AID).find(|aid| !self.stations.values().any(|s| s.associated().is_some_and(|a| a.aid == *aid)))
    }

    pub(super) fn on_assoc(&mut self, now: Instant, sa: MacAddr, capability: u16, listen_interval: u16, ies: &[u8], reassoc: bool) {
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
        if sta.associated().is_some() {
            // A second association while one runs: start the station over.
            tracing::debug!(%sa, "reassociation: starting the station over");
            let counter = self.authenticator(sa).map(|a| a.replay_counter());
            self.start_station(now, sa);
            if let Some(c) = counter {
                self.carried_counters.insert(sa, c);
            }
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
        let start_at = now + EAPOL_START_FALLBACK;
        let phase = match rsne {
            Some(r) => match RsnElement::parse(&r) {
                Ok(e)
                    if e.akm_suites.contains(&AkmSuite::Psk)
                        && e.pairwise_ciphers.contains(&CipherSuite::Ccmp128)
                        && e.group_cipher.is_none_or(|g| g == CipherSuite::Ccmp128) =>
                {
                    Phase::RsnPending { sta_rsne: r, start_at }
                }
                _ => {
                    tracing::info!(%sa, "association with an unsupported RSN element refused");
                    self.reply(sa, resp(StatusCode::INVALID_RSNE, 0, empty_p2p_ie()));
                    return;
                }
            },
            None if wsc => Phase::WpsPending { start_at },
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
        let wps_assoc = matches!(phase, Phase::WpsPending { .. });
        let mut resp_ies = IeWriter::new();
        // Eight rates fit one Supported Rates element: this cannot fail.
        if let Err(e) = resp_ies.rates(&rates()[..]) {
            tracing::error!(%sa, "cannot build the association response: {e}");
            return;
        }
        let mut resp_ies = resp_ies.finish();
        if wps_assoc {
            match assoc_resp_wsc_ie() {
                Ok(ie) => resp_ies.extend(ie),
                Err(e) => {
                    tracing::error!(%sa, "cannot build the association response: {e}");
                    return;
                }
            }
        }
        resp_ies.extend(empty_p2p_ie());
        let p2p_ie = P2pIe::from_ies(ies).ok().flatten();
        let p2p_capab = p2p_ie.as_ref().and_then(|ie| ie.capability()).map(|c| (c.device.bits(), c.group.bits()));
        let p2p = match p2p_ie {
            Some(ie) => ie.device_info().map(|di| ClientInfo {
                device_addr: di.device_addr,
                interface_addr: sa,
                device_capability: ie.capability().map(|c| c.device).unwrap_or(DeviceCapability::empty()),
                desc: di.desc.clone(),
            }),
            _ => None,
        };
        let listed = p2p.as_ref().is_none_or(|ci| {
            let fits = P2pIe::new(vec![Attribute::GroupInfo(vec![ci.clone()])]).to_payload().is_ok();
            if !fits {
                tracing::warn!(%sa, "the client's P2P descriptor is too long for Group Info: it will not be listed");
            }
            fits
        });
        let rates: Vec<u8> = supported_rates(ies).iter().map(|r| r.units_500kbps()).collect();
        let raw_rates = [ElementId::SUPPORTED_RATES, ElementId::EXT_SUPPORTED_RATES]
            .into_iter()
            .filter_map(|id| Elements::find(ies, id))
            .flat_map(|e| e.data.iter().copied())
            .collect();
        let request = AssocRequestInfo { capability, listen_interval, rates: raw_rates, p2p_capab, at: now };
        let params = StationParams { addr: sa, aid, capability, listen_interval, rates };
        tracing::info!(sta = %sa, aid, wps = wps_assoc, p2p_dev = ?p2p.as_ref().map(|p| p.device_addr), "associated");
        if let Some(s) = self.stations.get_mut(&sa) {
            s.state = StaState::Associated(Associated { aid, request, p2p, listed, phase });
        }
        self.push(GoOutput::NewStation(params));
        self.reply(sa, resp(StatusCode::SUCCESS, aid, resp_ies));
    }

    /// Forgets a station: the kernel entry goes, a connected client is reported gone and
    /// its address freed. `deauth`: tell the station first (with `reason`).
    pub(super) fn remove_station(&mut self, sa: MacAddr, deauth: bool, reason: Option<ReasonCode>) {
        let Some(s) = self.stations.remove(&sa) else { return };
        self.carried_counters.remove(&sa);
        if deauth {
            let reason = reason.unwrap_or(ReasonCode::DEAUTH_LEAVING);
            self.reply(sa, MgmtBody::Deauth(ReasonRepr { reason, ies: Vec::new() }));
        }
        let StaState::Associated(a) = s.state else { return };
        self.push(GoOutput::DelStation { addr: sa });
        match a.phase {
            Phase::Connected { .. } => {
                self.pool.release(sa);
                let p2p_dev_addr = a.p2p.map(|p| p.device_addr);
                self.push(GoOutput::Event(GoEvent::StaDisconnected { addr: sa, p2p_dev_addr }));
                self.update_beacon();
            }
            // An address may have been reserved for a handshake that never finished.
            Phase::RsnPending { .. } | Phase::Handshake(_) => self.pool.release(sa),
            Phase::WpsPending { .. } | Phase::Wps(_) | Phase::WpsEnded { .. } => {}
        }
    }

    /// The kernel removed a station by itself (inactivity, or a DEL_STATION of ours).
    pub(super) fn on_station_gone(&mut self, sa: MacAddr) {
        if self.stations.get(&sa).is_some_and(|s| s.associated().is_some()) {
            tracing::info!(sta = %sa, "the kernel removed the station");
            self.remove_station(sa, false, None);
        }
    }
}
