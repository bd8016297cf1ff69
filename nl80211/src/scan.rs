//! Scanning: `NL80211_CMD_TRIGGER_SCAN` and the `NL80211_CMD_GET_SCAN` dump.
//!
//! Nested BSS attribute numbers from include/uapi/linux/nl80211.h (Linux 6.1),
//! `enum nl80211_bss`; scan flags from `enum nl80211_scan_flags`.

use crate::attr::{Attr, AttrValue, BandRates, Indexed};
use crate::command::Command;
use crate::error::DecodeError;
use crate::interface::IfTarget;
use crate::message::Message;
use crate::nla::{self, NlaWriter, nlas};
use crate::types::{BandId, BssStatus};
use crate::wiphy::RawAttrs;

const BSS_BSSID: u16 = 1;
const BSS_FREQUENCY: u16 = 2;
const BSS_TSF: u16 = 3;
const BSS_BEACON_INTERVAL: u16 = 4;
const BSS_CAPABILITY: u16 = 5;
const BSS_INFORMATION_ELEMENTS: u16 = 6;
const BSS_SIGNAL_MBM: u16 = 7;
const BSS_SIGNAL_UNSPEC: u16 = 8;
const BSS_STATUS: u16 = 9;
const BSS_SEEN_MS_AGO: u16 = 10;
const BSS_BEACON_IES: u16 = 11;

/// `NL80211_SCAN_FLAG_FLUSH`: flush cached results before scanning.
pub const SCAN_FLAG_FLUSH: u32 = 1 << 1;
/// `NL80211_SCAN_FLAG_AP`: allow scanning on an AP interface.
pub const SCAN_FLAG_AP: u32 = 1 << 2;

/// One scan result (`NL80211_ATTR_BSS`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bss {
    /// `NL80211_BSS_BSSID`.
    pub bssid: [u8; 6],
    /// `NL80211_BSS_FREQUENCY` in MHz.
    pub freq: u32,
    /// `NL80211_BSS_TSF`.
    pub tsf: Option<u64>,
    /// `NL80211_BSS_BEACON_INTERVAL` in TUs.
    pub beacon_interval: Option<u16>,
    /// `NL80211_BSS_CAPABILITY`.
    pub capability: Option<u16>,
    /// `NL80211_BSS_INFORMATION_ELEMENTS`: from the probe response (or beacon).
    pub ies: Vec<u8>,
    /// `NL80211_BSS_BEACON_IES`: from the last beacon, when one was seen.
    pub beacon_ies: Option<Vec<u8>>,
    /// `NL80211_BSS_SIGNAL_MBM`: signal in mBm (dBm * 100).
    pub signal_mbm: Option<i32>,
    /// `NL80211_BSS_SIGNAL_UNSPEC`: signal 0..100.
    pub signal_unspec: Option<u8>,
    /// `NL80211_BSS_STATUS`.
    pub status: Option<BssStatus>,
    /// `NL80211_BSS_SEEN_MS_AGO`.
    pub seen_ms_ago: Option<u32>,
    /// The other BSS attributes, raw.
    pub other: RawAttrs,
}

impl AttrValue for Bss {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        let mut b = Bss::default();
        let mut have_bssid = false;
        for a in nlas(v) {
            let (k, v) = a?;
            match k {
                BSS_BSSID => {
                    b.bssid = nla::get_mac(k, v)?;
                    have_bssid = true;
                }
                BSS_FREQUENCY => b.freq = nla::get_u32(k, v)?,
                BSS_TSF => b.tsf = Some(nla::get_u64(k, v)?),
                BSS_BEACON_INTERVAL => b.beacon_interval = Some(nla::get_u16(k, v)?),
                BSS_CAPABILITY => b.capability = Some(nla::get_u16(k, v)?),
                BSS_INFORMATION_ELEMENTS => b.ies = v.to_vec(),
                BSS_SIGNAL_MBM => b.signal_mbm = Some(nla::get_i32(k, v)?),
                BSS_SIGNAL_UNSPEC => b.signal_unspec = Some(nla::get_u8(k, v)?),
                BSS_STATUS => b.status = Some(BssStatus::from_number(nla::get_u32(k, v)?)),
                BSS_SEEN_MS_AGO => b.seen_ms_ago = Some(nla::get_u32(k, v)?),
                BSS_BEACON_IES => b.beacon_ies = Some(v.to_vec()),
                _ => b.other.push((k, v.to_vec())),
            }
        }
        if !have_bssid {
            return Err(DecodeError::Missing { what: "BSS", attr: "NL80211_BSS_BSSID" });
        }
        Ok(b)
    }

    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested(kind, |n| {
            n.put(BSS_BSSID, &self.bssid);
            n.u32(BSS_FREQUENCY, self.freq);
            if let Some(t) = self.tsf {
                n.u64(BSS_TSF, t);
            }
            if let Some(b) = self.beacon_interval {
                n.u16(BSS_BEACON_INTERVAL, b);
            }
            if let Some(c) = self.capability {
                n.u16(BSS_CAPABILITY, c);
            }
            n.put(BSS_INFORMATION_ELEMENTS, &self.ies);
            if let Some(s) = self.signal_mbm {
                n.put(BSS_SIGNAL_MBM, &s.to_ne_bytes());
            }
            if let Some(s) = self.signal_unspec {
                n.u8(BSS_SIGNAL_UNSPEC, s);
            }
            if let Some(s) = self.status {
                n.u32(BSS_STATUS, s.number());
            }
            if let Some(s) = self.seen_ms_ago {
                n.u32(BSS_SEEN_MS_AGO, s);
            }
            if let Some(b) = &self.beacon_ies {
                n.put(BSS_BEACON_IES, b);
            }
            for (k, v) in &self.other {
                n.put(*k, v);
            }
        });
    }
}

impl Bss {
    /// The signal in dBm, when the driver reports mBm.
    pub fn signal_dbm(&self) -> Option<f32> {
        self.signal_mbm.map(|m| m as f32 / 100.0)
    }

    /// The results of a `GET_SCAN` dump.
    pub fn from_messages(msgs: &[Message]) -> Vec<Bss> {
        msgs.iter()
            .filter(|m| m.cmd == Command::NewScanResults)
            .filter_map(|m| crate::attr!(m.attrs, Bss).cloned())
            .collect()
    }
}

/// What to scan (`NL80211_CMD_TRIGGER_SCAN`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanRequest {
    /// SSIDs to probe for; an empty SSID is the wildcard. Empty list: passive scan.
    pub ssids: Vec<Vec<u8>>,
    /// Frequencies in MHz; empty: all.
    pub freqs: Vec<u32>,
    /// Extra IEs for the probe requests (e.g. P2P IE, WSC IE).
    pub ies: Vec<u8>,
    /// Rates to advertise per band (500 kb/s units), e.g. no 11b rates for P2P.
    pub supp_rates: Vec<(BandId, Vec<u8>)>,
    /// `NL80211_ATTR_TX_NO_CCK_RATE`: send probes at OFDM rates (P2P requires it).
    pub no_cck: bool,
    /// `NL80211_ATTR_SCAN_FLAGS`.
    pub flags: u32,
}

/// `NL80211_CMD_TRIGGER_SCAN` on `target` (attribute order as wpa_supplicant's
/// `wpa_driver_nl80211_scan`: SSIDs, IEs, frequencies, flags, rates, no-CCK).
pub fn trigger_scan_request(target: IfTarget, req: &ScanRequest) -> Message {
    let mut m = Message::new(Command::TriggerScan).with(target.attr());
    if !req.ssids.is_empty() {
        m = m.with(Attr::ScanSsids(Indexed(req.ssids.clone())));
    }
    if !req.ies.is_empty() {
        m = m.with(Attr::Ie(req.ies.clone()));
    }
    if !req.freqs.is_empty() {
        m = m.with(Attr::ScanFrequencies(Indexed(req.freqs.clone())));
    }
    if req.flags != 0 {
        m = m.with(Attr::ScanFlags(req.flags));
    }
    if !req.supp_rates.is_empty() {
        m = m.with(Attr::ScanSuppRates(BandRates(req.supp_rates.clone())));
    }
    if req.no_cck {
        m = m.with(Attr::TxNoCckRate);
    }
    m
}

impl ScanRequest {
    /// Reads a TRIGGER_SCAN request (e.g. one another program sent, or one a test captured).
    pub fn from_message(m: &Message) -> Option<(IfTarget, ScanRequest)> {
        if m.cmd != Command::TriggerScan {
            return None;
        }
        let a = &m.attrs;
        Some((
            IfTarget::from_attrs(a)?,
            ScanRequest {
                ssids: crate::attr!(a, ScanSsids).map(|x| x.0.clone()).unwrap_or_default(),
                freqs: crate::attr!(a, ScanFrequencies).map(|x| x.0.clone()).unwrap_or_default(),
                ies: crate::attr!(a, Ie).cloned().unwrap_or_default(),
                supp_rates: crate::attr!(a, ScanSuppRates).map(|x| x.0.clone()).unwrap_or_default(),
                no_cck: crate::has_flag!(a, TxNoCckRate),
                flags: crate::attr!(a, ScanFlags).copied().unwrap_or(0),
            },
        ))
    }
}

/// `NL80211_CMD_ABORT_SCAN` on `target`: the running scan ends at once with a
/// `SCAN_ABORTED` event (`ENOENT` when none runs).
pub fn abort_scan_request(target: IfTarget) -> Message {
    Message::new(Command::AbortScan).with(target.attr())
}

/// `NL80211_CMD_GET_SCAN` dump request for `target`.
pub fn get_scan_dump_request(target: IfTarget) -> Message {
    Message::new(Command::GetScan).with(target.attr())
}
