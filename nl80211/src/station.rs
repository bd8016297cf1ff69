//! Stations (peers of an AP/GO): NEW_STATION, SET_STATION, DEL_STATION.

use crate::attr::{Attr, StaFlagUpdate, StaWme, sta_flag};
use crate::command::Command;
use crate::interface::IfTarget;
use crate::message::Message;

/// A station to add after it associated (`NL80211_CMD_NEW_STATION`, AP side with
/// user-space MLME, as hostapd's `wpa_driver_nl80211_sta_add`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewStation {
    /// `NL80211_ATTR_MAC`.
    pub mac: [u8; 6],
    /// `NL80211_ATTR_STA_AID`.
    pub aid: u16,
    /// `NL80211_ATTR_STA_LISTEN_INTERVAL`.
    pub listen_interval: u16,
    /// `NL80211_ATTR_STA_SUPPORTED_RATES` (500 kb/s units, basic-rate bit included).
    pub supported_rates: Vec<u8>,
    /// `NL80211_ATTR_STA_CAPABILITY`.
    pub capability: Option<u16>,
    /// `NL80211_ATTR_STA_EXT_CAPABILITY`.
    pub ext_capability: Option<Vec<u8>>,
    /// `NL80211_ATTR_HT_CAPABILITY`.
    pub ht_capability: Option<Vec<u8>>,
    /// `NL80211_ATTR_VHT_CAPABILITY`.
    pub vht_capability: Option<Vec<u8>>,
    /// `NL80211_ATTR_STA_SUPPORT_P2P_PS`.
    pub p2p_ps: Option<u8>,
    /// `NL80211_ATTR_STA_FLAGS2`.
    pub flags: StaFlagUpdate,
    /// `NL80211_ATTR_STA_WME`.
    pub wme: Option<StaWme>,
}

impl NewStation {
    /// Reads a NEW_STATION (or full SET_STATION) request (with its target).
    pub fn from_message(m: &Message) -> Option<(IfTarget, NewStation)> {
        if m.cmd != Command::NewStation && m.cmd != Command::SetStation {
            return None;
        }
        let a = &m.attrs;
        Some((
            IfTarget::from_attrs(a)?,
            NewStation {
                mac: *crate::attr!(a, Mac)?,
                aid: crate::attr!(a, StaAid).copied().unwrap_or(0),
                listen_interval: crate::attr!(a, StaListenInterval).copied().unwrap_or(0),
                supported_rates: crate::attr!(a, StaSupportedRates).cloned().unwrap_or_default(),
                capability: crate::attr!(a, StaCapability).copied(),
                ext_capability: crate::attr!(a, StaExtCapability).cloned(),
                ht_capability: crate::attr!(a, HtCapability).cloned(),
                vht_capability: crate::attr!(a, VhtCapability).cloned(),
                p2p_ps: crate::attr!(a, StaSupportP2pPs).copied(),
                flags: crate::attr!(a, StaFlags2).copied().unwrap_or_default(),
                wme: crate::attr!(a, StaWme).copied(),
            },
        ))
    }
}

/// `NL80211_CMD_NEW_STATION` (attribute order as hostapd's `wpa_driver_nl80211_sta_add`).
pub fn new_station_request(target: IfTarget, sta: &NewStation) -> Message {
    station_request(Command::NewStation, target, sta)
}

/// `NL80211_CMD_SET_STATION` with a station's full parameters (hostapd's
/// `wpa_driver_nl80211_sta_add` with `set`, used after association when the station was
/// added at authentication).
pub fn set_station_request(target: IfTarget, sta: &NewStation) -> Message {
    station_request(Command::SetStation, target, sta)
}

fn station_request(cmd: Command, target: IfTarget, sta: &NewStation) -> Message {
    Message::new(cmd)
        .with(target.attr())
        .with(Attr::Mac(sta.mac))
        .with(Attr::StaSupportedRates(sta.supported_rates.clone()))
        .with_opt(sta.capability.map(Attr::StaCapability))
        .with_opt(sta.ext_capability.clone().map(Attr::StaExtCapability))
        .with_opt(sta.ht_capability.clone().map(Attr::HtCapability))
        .with_opt(sta.vht_capability.clone().map(Attr::VhtCapability))
        .with_opt(sta.p2p_ps.map(Attr::StaSupportP2pPs))
        .with(Attr::StaAid(sta.aid))
        .with(Attr::StaListenInterval(sta.listen_interval))
        .with(Attr::StaFlags2(sta.flags))
        .with_opt(sta.wme.map(Attr::StaWme))
}

/// `NL80211_CMD_SET_STATION` changing only the flags.
pub fn set_station_flags_request(target: IfTarget, mac: [u8; 6], flags: StaFlagUpdate) -> Message {
    Message::new(Command::SetStation).with(target.attr()).with(Attr::Mac(mac)).with(Attr::StaFlags2(flags))
}

/// `NL80211_CMD_SET_STATION` setting or clearing `NL80211_STA_FLAG_AUTHORIZED` (opens or
/// closes the controlled port after the 4-way handshake).
pub fn set_station_authorized_request(target: IfTarget, mac: [u8; 6], authorized: bool) -> Message {
    set_station_flags_request(target, mac, StaFlagUpdate::default().with(sta_flag::AUTHORIZED, authorized))
}

/// `NL80211_CMD_DEL_STATION` (`None`: every station), with an optional reason code
/// (`NL80211_ATTR_REASON_CODE`) for the deauthentication the kernel sends.
pub fn del_station_request(target: IfTarget, mac: Option<[u8; 6]>, reason: Option<u16>) -> Message {
    Message::new(Command::DelStation)
        .with(target.attr())
        .with_opt(mac.map(Attr::Mac))
        .with_opt(reason.map(Attr::ReasonCode))
}
