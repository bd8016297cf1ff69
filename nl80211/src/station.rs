//! Stations (peers of an AP/GO): NEW_STATION, SET_STATION, DEL_STATION.

use crate::attr::{Attr, StaFlagUpdate, sta_flag};
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
    /// `NL80211_ATTR_STA_FLAGS2`.
    pub flags: StaFlagUpdate,
}

/// `NL80211_CMD_NEW_STATION`.
pub fn new_station_request(target: IfTarget, sta: &NewStation) -> Message {
    Message::new(Command::NewStation)
        .with(target.attr())
        .with(Attr::Mac(sta.mac))
        .with(Attr::StaSupportedRates(sta.supported_rates.clone()))
        .with(Attr::StaAid(sta.aid))
        .with(Attr::StaListenInterval(sta.listen_interval))
        .with_opt(sta.capability.map(Attr::StaCapability))
        .with_opt(sta.ext_capability.clone().map(Attr::StaExtCapability))
        .with_opt(sta.ht_capability.clone().map(Attr::HtCapability))
        .with(Attr::StaFlags2(sta.flags))
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
