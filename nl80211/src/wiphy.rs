//! Wiphy (radio) descriptions: bands, frequencies, interface combinations, and the merge
//! of a split `NL80211_CMD_GET_WIPHY` dump.
//!
//! Nested attribute numbers from include/uapi/linux/nl80211.h (Linux 6.1):
//! `enum nl80211_band_attr`, `nl80211_frequency_attr`, `nl80211_bitrate_attr`,
//! `nl80211_if_combination_attrs`, `nl80211_iface_limit_attrs`.
//! In a split dump (`NL80211_ATTR_SPLIT_WIPHY_DUMP`) the kernel sends one wiphy as several
//! messages, and a band's frequencies one per message; [`Wiphy::from_messages`] merges them.

use crate::attr::{Attr, AttrValue, IfTypeSet};
use crate::command::Command;
use crate::error::DecodeError;
use crate::message::Message;
use crate::nla::{self, NlaWriter, nlas};
use crate::types::{BandId, IfType};

/// Attributes kept raw: `(attribute number, payload)`.
pub type RawAttrs = Vec<(u16, Vec<u8>)>;

const BAND_ATTR_FREQS: u16 = 1;
const BAND_ATTR_RATES: u16 = 2;
const BAND_ATTR_HT_MCS_SET: u16 = 3;
const BAND_ATTR_HT_CAPA: u16 = 4;
const BAND_ATTR_VHT_MCS_SET: u16 = 7;
const BAND_ATTR_VHT_CAPA: u16 = 8;
const FREQ_ATTR_FREQ: u16 = 1;
const FREQ_ATTR_DISABLED: u16 = 2;
const FREQ_ATTR_NO_IR: u16 = 3;
const FREQ_ATTR_RADAR: u16 = 5;
const FREQ_ATTR_MAX_TX_POWER: u16 = 6;
const FREQ_ATTR_OFFSET: u16 = 20;
const BITRATE_ATTR_RATE: u16 = 1;
const IFACE_COMB_LIMITS: u16 = 1;
const IFACE_COMB_MAXNUM: u16 = 2;
const IFACE_COMB_STA_AP_BI_MATCH: u16 = 3;
const IFACE_COMB_NUM_CHANNELS: u16 = 4;
const IFACE_LIMIT_MAX: u16 = 1;
const IFACE_LIMIT_TYPES: u16 = 2;

/// One channel of a band (`NL80211_BAND_ATTR_FREQS` entry).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Freq {
    /// `NL80211_FREQUENCY_ATTR_FREQ`: centre frequency in MHz.
    pub mhz: u32,
    /// `NL80211_FREQUENCY_ATTR_OFFSET` in kHz.
    pub offset_khz: Option<u32>,
    /// `NL80211_FREQUENCY_ATTR_DISABLED`.
    pub disabled: bool,
    /// `NL80211_FREQUENCY_ATTR_NO_IR`: no initiating radiation (no beacons, no probes).
    pub no_ir: bool,
    /// `NL80211_FREQUENCY_ATTR_RADAR`: DFS required.
    pub radar: bool,
    /// `NL80211_FREQUENCY_ATTR_MAX_TX_POWER` in mBm.
    pub max_power_mbm: Option<u32>,
    /// The other frequency attributes, raw.
    pub other: RawAttrs,
}

impl Freq {
    fn decode(v: &[u8]) -> Result<Self, DecodeError> {
        let mut f = Freq::default();
        for a in nlas(v) {
            let (k, v) = a?;
            match k {
                FREQ_ATTR_FREQ => f.mhz = nla::get_u32(k, v)?,
                FREQ_ATTR_OFFSET => f.offset_khz = Some(nla::get_u32(k, v)?),
                FREQ_ATTR_DISABLED => f.disabled = true,
                FREQ_ATTR_NO_IR => f.no_ir = true,
                FREQ_ATTR_RADAR => f.radar = true,
                FREQ_ATTR_MAX_TX_POWER => f.max_power_mbm = Some(nla::get_u32(k, v)?),
                _ => f.other.push((k, v.to_vec())),
            }
        }
        Ok(f)
    }

    fn encode(&self, w: &mut NlaWriter) {
        w.u32(FREQ_ATTR_FREQ, self.mhz);
        if let Some(o) = self.offset_khz {
            w.u32(FREQ_ATTR_OFFSET, o);
        }
        for (flag, k) in [(self.disabled, FREQ_ATTR_DISABLED), (self.no_ir, FREQ_ATTR_NO_IR), (self.radar, FREQ_ATTR_RADAR)] {
            if flag {
                w.flag(k);
            }
        }
        if let Some(p) = self.max_power_mbm {
            w.u32(FREQ_ATTR_MAX_TX_POWER, p);
        }
        for (k, v) in &self.other {
            w.put(*k, v);
        }
    }
}

/// One band of a wiphy (`NL80211_ATTR_WIPHY_BANDS` entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// Which band (the entry's attribute number).
    pub id: BandId,
    /// Channels.
    pub freqs: Vec<Freq>,
    /// Legacy bitrates in units of 100 kb/s (`NL80211_BITRATE_ATTR_RATE`).
    pub rates: Vec<u32>,
    /// `NL80211_BAND_ATTR_HT_CAPA`: present when the band supports HT.
    pub ht_capa: Option<u16>,
    /// `NL80211_BAND_ATTR_HT_MCS_SET` (16 bytes).
    pub ht_mcs_set: Option<Vec<u8>>,
    /// `NL80211_BAND_ATTR_VHT_CAPA`: present when the band supports VHT.
    pub vht_capa: Option<u32>,
    /// `NL80211_BAND_ATTR_VHT_MCS_SET` (8 bytes).
    pub vht_mcs_set: Option<Vec<u8>>,
    /// The other band attributes, raw.
    pub other: RawAttrs,
}

impl Band {
    fn new(id: BandId) -> Self {
        Band { id, freqs: Vec::new(), rates: Vec::new(), ht_capa: None, ht_mcs_set: None, vht_capa: None, vht_mcs_set: None, other: Vec::new() }
    }

    /// Whether the band supports HT (802.11n).
    pub fn has_ht(&self) -> bool {
        self.ht_capa.is_some()
    }

    /// Whether the band supports VHT (802.11ac).
    pub fn has_vht(&self) -> bool {
        self.vht_capa.is_some()
    }

    fn decode(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        let mut b = Band::new(BandId::from_number(u32::from(kind)));
        for a in nlas(v) {
            let (k, v) = a?;
            match k {
                BAND_ATTR_FREQS => {
                    for f in nlas(v) {
                        b.freqs.push(Freq::decode(f?.1)?);
                    }
                }
                BAND_ATTR_RATES => {
                    for r in nlas(v) {
                        for ra in nlas(r?.1) {
                            let (rk, rv) = ra?;
                            if rk == BITRATE_ATTR_RATE {
                                b.rates.push(nla::get_u32(rk, rv)?);
                            }
                        }
                    }
                }
                BAND_ATTR_HT_CAPA => b.ht_capa = Some(nla::get_u16(k, v)?),
                BAND_ATTR_HT_MCS_SET => b.ht_mcs_set = Some(v.to_vec()),
                BAND_ATTR_VHT_CAPA => b.vht_capa = Some(nla::get_u32(k, v)?),
                BAND_ATTR_VHT_MCS_SET => b.vht_mcs_set = Some(v.to_vec()),
                _ => b.other.push((k, v.to_vec())),
            }
        }
        Ok(b)
    }

    fn encode(&self, w: &mut NlaWriter) {
        let kind = u16::try_from(self.id.number()).unwrap_or(u16::MAX);
        w.nested(kind, |n| {
            if !self.rates.is_empty() {
                n.nested(BAND_ATTR_RATES, |r| {
                    for (i, rate) in self.rates.iter().enumerate() {
                        r.nested(u16::try_from(i).unwrap_or(u16::MAX), |e| e.u32(BITRATE_ATTR_RATE, *rate));
                    }
                });
            }
            if let Some(m) = &self.ht_mcs_set {
                n.put(BAND_ATTR_HT_MCS_SET, m);
            }
            if let Some(c) = self.ht_capa {
                n.u16(BAND_ATTR_HT_CAPA, c);
            }
            if let Some(m) = &self.vht_mcs_set {
                n.put(BAND_ATTR_VHT_MCS_SET, m);
            }
            if let Some(c) = self.vht_capa {
                n.u32(BAND_ATTR_VHT_CAPA, c);
            }
            for (k, v) in &self.other {
                n.put(*k, v);
            }
            if !self.freqs.is_empty() {
                n.nested(BAND_ATTR_FREQS, |fs| {
                    for (i, f) in self.freqs.iter().enumerate() {
                        fs.nested(u16::try_from(i).unwrap_or(u16::MAX), |e| f.encode(e));
                    }
                });
            }
        });
    }

    /// Adds the content of another piece of the same band (split dump).
    fn merge(&mut self, more: Band) {
        self.freqs.extend(more.freqs);
        self.rates.extend(more.rates);
        self.ht_capa = self.ht_capa.or(more.ht_capa);
        self.ht_mcs_set = self.ht_mcs_set.take().or(more.ht_mcs_set);
        self.vht_capa = self.vht_capa.or(more.vht_capa);
        self.vht_mcs_set = self.vht_mcs_set.take().or(more.vht_mcs_set);
        self.other.extend(more.other);
    }
}

impl AttrValue for Vec<Band> {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        nlas(v).map(|a| a.and_then(|(k, v)| Band::decode(k, v))).collect()
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested(kind, |n| {
            for b in self {
                b.encode(n);
            }
        });
    }
}

/// A limit inside an interface combination: at most `max` interfaces of `types`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IfaceLimit {
    /// `NL80211_IFACE_LIMIT_MAX`.
    pub max: u32,
    /// `NL80211_IFACE_LIMIT_TYPES`.
    pub types: Vec<IfType>,
}

/// One allowed interface combination (`NL80211_ATTR_INTERFACE_COMBINATIONS` entry).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IfaceCombination {
    /// `NL80211_IFACE_COMB_LIMITS`.
    pub limits: Vec<IfaceLimit>,
    /// `NL80211_IFACE_COMB_MAXNUM`: total interfaces.
    pub max_interfaces: u32,
    /// `NL80211_IFACE_COMB_STA_AP_BI_MATCH`.
    pub sta_ap_bi_match: bool,
    /// `NL80211_IFACE_COMB_NUM_CHANNELS`: distinct channels usable at once.
    pub num_channels: u32,
    /// The other combination attributes, raw.
    pub other: RawAttrs,
}

impl IfaceCombination {
    fn decode(v: &[u8]) -> Result<Self, DecodeError> {
        let mut c = IfaceCombination::default();
        for a in nlas(v) {
            let (k, v) = a?;
            match k {
                IFACE_COMB_LIMITS => {
                    for l in nlas(v) {
                        let mut limit = IfaceLimit::default();
                        for la in nlas(l?.1) {
                            let (lk, lv) = la?;
                            match lk {
                                IFACE_LIMIT_MAX => limit.max = nla::get_u32(lk, lv)?,
                                IFACE_LIMIT_TYPES => limit.types = IfTypeSet::decode_value(lk, lv)?.0,
                                _ => {}
                            }
                        }
                        c.limits.push(limit);
                    }
                }
                IFACE_COMB_MAXNUM => c.max_interfaces = nla::get_u32(k, v)?,
                IFACE_COMB_STA_AP_BI_MATCH => c.sta_ap_bi_match = true,
                IFACE_COMB_NUM_CHANNELS => c.num_channels = nla::get_u32(k, v)?,
                _ => c.other.push((k, v.to_vec())),
            }
        }
        Ok(c)
    }

    fn encode(&self, w: &mut NlaWriter) {
        w.nested(IFACE_COMB_LIMITS, |ls| {
            for (i, l) in self.limits.iter().enumerate() {
                ls.nested(u16::try_from(i + 1).unwrap_or(u16::MAX), |e| {
                    e.u32(IFACE_LIMIT_MAX, l.max);
                    IfTypeSet(l.types.clone()).encode_value(IFACE_LIMIT_TYPES, e);
                });
            }
        });
        w.u32(IFACE_COMB_MAXNUM, self.max_interfaces);
        if self.sta_ap_bi_match {
            w.flag(IFACE_COMB_STA_AP_BI_MATCH);
        }
        w.u32(IFACE_COMB_NUM_CHANNELS, self.num_channels);
        for (k, v) in &self.other {
            w.put(*k, v);
        }
    }

    /// Whether this combination allows `n` interfaces of type `t` at once.
    pub fn allows(&self, t: IfType, n: u32) -> bool {
        self.limits.iter().filter(|l| l.types.contains(&t)).map(|l| l.max).sum::<u32>() >= n
            && self.max_interfaces >= n
    }
}

impl AttrValue for Vec<IfaceCombination> {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        nlas(v).map(|a| a.and_then(|(_, v)| IfaceCombination::decode(v))).collect()
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested(kind, |n| {
            for (i, c) in self.iter().enumerate() {
                n.nested(u16::try_from(i + 1).unwrap_or(u16::MAX), |e| c.encode(e));
            }
        });
    }
}

/// A wiphy (radio) as `NL80211_CMD_GET_WIPHY` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Wiphy {
    /// `NL80211_ATTR_WIPHY`.
    pub index: u32,
    /// `NL80211_ATTR_WIPHY_NAME` (e.g. "phy0").
    pub name: String,
    /// `NL80211_ATTR_SUPPORTED_IFTYPES`.
    pub iftypes: Vec<IfType>,
    /// `NL80211_ATTR_SOFTWARE_IFTYPES`: types that do not count against combinations.
    pub software_iftypes: Vec<IfType>,
    /// `NL80211_ATTR_INTERFACE_COMBINATIONS`.
    pub combinations: Vec<IfaceCombination>,
    /// `NL80211_ATTR_SUPPORTED_COMMANDS`.
    pub commands: Vec<Command>,
    /// `NL80211_ATTR_MAX_REMAIN_ON_CHANNEL_DURATION` in ms.
    pub max_remain_on_channel_ms: Option<u32>,
    /// `NL80211_ATTR_MAX_SCAN_IE_LEN`.
    pub max_scan_ie_len: Option<u16>,
    /// `NL80211_ATTR_MAX_NUM_SCAN_SSIDS`.
    pub max_scan_ssids: Option<u8>,
    /// `NL80211_ATTR_CIPHER_SUITES`.
    pub cipher_suites: Vec<u32>,
    /// `NL80211_ATTR_FEATURE_FLAGS`.
    pub feature_flags: Option<u32>,
    /// `NL80211_ATTR_EXT_FEATURES` bitmap.
    pub ext_features: Vec<u8>,
    /// `NL80211_ATTR_WIPHY_BANDS`.
    pub bands: Vec<Band>,
    /// `NL80211_ATTR_MAC`, when the kernel sends one with the wiphy.
    pub perm_addr: Option<[u8; 6]>,
    /// `NL80211_ATTR_GENERATION`.
    pub generation: Option<u32>,
}

impl Wiphy {
    /// Whether the wiphy lists `cmd` in its supported commands.
    pub fn supports(&self, cmd: Command) -> bool {
        self.commands.contains(&cmd)
    }

    /// Whether the wiphy supports interfaces of type `t`.
    pub fn supports_iftype(&self, t: IfType) -> bool {
        self.iftypes.contains(&t)
    }

    /// Every frequency of every band, in MHz, enabled ones only.
    pub fn enabled_freqs(&self) -> impl Iterator<Item = &Freq> {
        self.bands.iter().flat_map(|b| b.freqs.iter()).filter(|f| !f.disabled)
    }

    /// Whether extended feature number `index` (`enum nl80211_ext_feature_index`) is set.
    pub fn has_ext_feature(&self, index: usize) -> bool {
        self.ext_features.get(index / 8).is_some_and(|b| b & (1 << (index % 8)) != 0)
    }

    /// Adds the attributes of one message (the whole wiphy, or a piece of a split dump).
    pub fn absorb(&mut self, attrs: &[Attr]) {
        for a in attrs {
            match a {
                Attr::Wiphy(i) => self.index = *i,
                Attr::WiphyName(n) => self.name.clone_from(n),
                Attr::SupportedIftypes(t) if self.iftypes.is_empty() => self.iftypes.clone_from(&t.0),
                Attr::SoftwareIftypes(t) if self.software_iftypes.is_empty() => {
                    self.software_iftypes.clone_from(&t.0)
                }
                Attr::InterfaceCombinations(c) if self.combinations.is_empty() => self.combinations.clone_from(c),
                Attr::SupportedCommands(c) if self.commands.is_empty() => self.commands.clone_from(&c.0),
                Attr::MaxRemainOnChannelDuration(d) => self.max_remain_on_channel_ms = Some(*d),
                Attr::MaxScanIeLen(l) => self.max_scan_ie_len = Some(*l),
                Attr::MaxNumScanSsids(n) => self.max_scan_ssids = Some(*n),
                Attr::CipherSuites(c) if self.cipher_suites.is_empty() => self.cipher_suites.clone_from(c),
                Attr::FeatureFlags(f) => self.feature_flags = Some(*f),
                Attr::ExtFeatures(f) => self.ext_features.clone_from(f),
                Attr::Mac(m) => self.perm_addr = Some(*m),
                Attr::Generation(g) => self.generation = Some(*g),
                Attr::WiphyBands(bands) => {
                    for b in bands {
                        match self.bands.iter_mut().find(|x| x.id == b.id) {
                            Some(existing) => existing.merge(b.clone()),
                            None => self.bands.push(b.clone()),
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Builds the wiphys of a (split) dump: messages are grouped by `NL80211_ATTR_WIPHY`
    /// and merged in order. Messages of other commands and without a wiphy index are skipped.
    pub fn from_messages(msgs: &[Message]) -> Vec<Wiphy> {
        let mut out: Vec<Wiphy> = Vec::new();
        for m in msgs.iter().filter(|m| m.cmd == Command::NewWiphy) {
            let Some(index) = crate::attr!(m.attrs, Wiphy).copied() else { continue };
            match out.iter_mut().find(|w| w.index == index) {
                Some(w) => w.absorb(&m.attrs),
                None => {
                    let mut w = Wiphy::default();
                    w.absorb(&m.attrs);
                    out.push(w);
                }
            }
        }
        out
    }
}

/// The `NL80211_CMD_GET_WIPHY` dump request asking for the split format.
pub fn get_wiphy_dump_request() -> Message {
    Message::new(Command::GetWiphy).with(Attr::SplitWiphyDump)
}
