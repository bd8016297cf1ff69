//! Typed client operations for scanning, frames, keys, stations, AP and SME commands
//! (thin wrappers over the request builders of each area).

use crate::ap::{self, ApSettings, BeaconData};
use crate::client::Nl80211;
use crate::connect::{self, AssocParams, AuthParams, ConnectParams};
use crate::error::Error;
use crate::frame::{self, FrameTx};
use crate::interface::IfTarget;
use crate::key::{self, NewKey};
use crate::scan::{self, Bss, ScanRequest};
use crate::station::{self, NewStation};

impl Nl80211 {
    /// Starts a scan; completion arrives as a `NEW_SCAN_RESULTS` (or `SCAN_ABORTED`) event
    /// on the scan group.
    pub async fn trigger_scan(&self, target: IfTarget, req: &ScanRequest) -> Result<(), Error> {
        self.request(scan::trigger_scan_request(target, req)).await.map(drop)
    }

    /// The cached scan results of `target`.
    pub async fn scan_results(&self, target: IfTarget) -> Result<Vec<Bss>, Error> {
        Ok(Bss::from_messages(&self.dump(scan::get_scan_dump_request(target)).await?))
    }

    /// Asks for received frames of `frame_type` starting with `match_bytes` to come to
    /// this client's [`crate::Events`] as `NL80211_CMD_FRAME` events.
    pub async fn register_frame(&self, target: IfTarget, frame_type: u16, match_bytes: &[u8]) -> Result<(), Error> {
        self.request(frame::register_frame_request(target, frame_type, match_bytes)).await.map(drop)
    }

    /// Sends a management frame; returns its cookie (matching the later FRAME_TX_STATUS),
    /// or `None` when `dont_wait_for_ack` was set and the kernel gave none.
    pub async fn send_frame(&self, target: IfTarget, tx: &FrameTx) -> Result<Option<u64>, Error> {
        let replies = self.request(frame::frame_request(target, tx)).await?;
        Ok(frame::reply_cookie(&replies))
    }

    /// Ends the off-channel wait of a frame sent with a duration.
    pub async fn frame_wait_cancel(&self, target: IfTarget, cookie: u64) -> Result<(), Error> {
        self.request(frame::frame_wait_cancel_request(target, cookie)).await.map(drop)
    }

    /// Stays on `freq` for `duration_ms`; returns the cookie of the period.
    pub async fn remain_on_channel(&self, target: IfTarget, freq: u32, duration_ms: u32) -> Result<u64, Error> {
        let replies = self.request(frame::remain_on_channel_request(target, freq, duration_ms)).await?;
        frame::reply_cookie(&replies).ok_or(Error::UnexpectedReply("REMAIN_ON_CHANNEL without a cookie"))
    }

    /// Ends a remain-on-channel period early.
    pub async fn cancel_remain_on_channel(&self, target: IfTarget, cookie: u64) -> Result<(), Error> {
        self.request(frame::cancel_remain_on_channel_request(target, cookie)).await.map(drop)
    }

    /// Sends an EAPOL frame over nl80211 (`CONTROL_PORT_FRAME`); returns its cookie if any.
    pub async fn control_port_tx(
        &self,
        target: IfTarget,
        dest: [u8; 6],
        body: &[u8],
        no_encrypt: bool,
    ) -> Result<Option<u64>, Error> {
        let replies = self.request(frame::control_port_frame_request(target, dest, body, no_encrypt)).await?;
        Ok(frame::reply_cookie(&replies))
    }

    /// Installs a pairwise or group key.
    pub async fn new_key(&self, target: IfTarget, key: &NewKey) -> Result<(), Error> {
        self.request(key::new_key_request(target, key)).await.map(drop)
    }

    /// Makes group key `idx` the default transmit key.
    pub async fn set_default_key(&self, target: IfTarget, idx: u8) -> Result<(), Error> {
        self.request(key::set_default_key_request(target, idx)).await.map(drop)
    }

    /// Removes a key.
    pub async fn del_key(&self, target: IfTarget, idx: u8, peer: Option<[u8; 6]>) -> Result<(), Error> {
        self.request(key::del_key_request(target, idx, peer)).await.map(drop)
    }

    /// Adds an associated station (AP/GO with user-space MLME).
    pub async fn new_station(&self, target: IfTarget, sta: &NewStation) -> Result<(), Error> {
        self.request(station::new_station_request(target, sta)).await.map(drop)
    }

    /// Opens (or closes) the controlled port of a station / of the link to the AP.
    pub async fn set_station_authorized(&self, target: IfTarget, mac: [u8; 6], authorized: bool) -> Result<(), Error> {
        self.request(station::set_station_authorized_request(target, mac, authorized)).await.map(drop)
    }

    /// Removes a station (or all with `None`).
    pub async fn del_station(&self, target: IfTarget, mac: Option<[u8; 6]>, reason: Option<u16>) -> Result<(), Error> {
        self.request(station::del_station_request(target, mac, reason)).await.map(drop)
    }

    /// Starts beaconing.
    pub async fn start_ap(&self, target: IfTarget, s: &ApSettings) -> Result<(), Error> {
        self.request(ap::start_ap_request(target, s)).await.map(drop)
    }

    /// Replaces the beacon of a running AP.
    pub async fn set_beacon(&self, target: IfTarget, b: &BeaconData) -> Result<(), Error> {
        self.request(ap::set_beacon_request(target, b)).await.map(drop)
    }

    /// Stops beaconing.
    pub async fn stop_ap(&self, target: IfTarget) -> Result<(), Error> {
        self.request(ap::stop_ap_request(target)).await.map(drop)
    }

    /// Sends an Authentication frame through the kernel's MLME.
    pub async fn authenticate(&self, target: IfTarget, p: &AuthParams) -> Result<(), Error> {
        self.request(connect::authenticate_request(target, p)).await.map(drop)
    }

    /// Sends an Association Request through the kernel's MLME.
    pub async fn associate(&self, target: IfTarget, p: &AssocParams) -> Result<(), Error> {
        self.request(connect::associate_request(target, p)).await.map(drop)
    }

    /// Deauthenticates from `bssid`.
    pub async fn deauthenticate(&self, target: IfTarget, bssid: [u8; 6], reason: u16) -> Result<(), Error> {
        self.request(connect::deauthenticate_request(target, bssid, reason)).await.map(drop)
    }

    /// Connects with the driver's SME.
    pub async fn connect_sme(&self, target: IfTarget, p: &ConnectParams) -> Result<(), Error> {
        self.request(connect::connect_request(target, p)).await.map(drop)
    }

    /// Disconnects.
    pub async fn disconnect(&self, target: IfTarget, reason: u16) -> Result<(), Error> {
        self.request(connect::disconnect_request(target, reason)).await.map(drop)
    }
}
