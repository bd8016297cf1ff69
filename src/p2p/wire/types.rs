//! Structured attribute bodies: channels, channel lists, notice of absence, device
//! and client info, group ID, P2P interface, and the small fixed-size ones.
//!
//! P2P attribute fields are little-endian except the WSC-derived fields of Device
//! Info and Client Info descriptors (config methods, device types, the Device Name
//! TLV), which are big-endian as in WSC (spec 4.1.15).

use std::borrow::Cow;

use super::consts::{
    ConfigMethods, DeviceCapability, GroupCapability, MAX_GO_INTENT, OP_CLASS_2GHZ,
};
use crate::ieee80211::cursor::{Reader, Writer};
use crate::ieee80211::{Error as WireError, MacAddr};

/// WSC attribute type of the Device Name TLV inside Device Info / Client Info.
pub const WSC_ATTR_DEVICE_NAME: u16 = 0x1011;

/// Longest SSID.
const MAX_SSID_LEN: usize = 32;

/// P2P Capability (spec 4.1.4): Device Capability Bitmap (1) | Group Capability (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Capability {
    /// Device capabilities.
    pub device: DeviceCapability,
    /// Group capabilities.
    pub group: GroupCapability,
}

/// Group Owner Intent (spec 4.1.6): one octet, intent in bits 1-7, tie breaker in bit 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GoIntent {
    /// Intent 0..=15 (the wire allows 0..=127; [`GoIntent::is_valid`] checks).
    pub intent: u8,
    /// Tie breaker bit.
    pub tie_breaker: bool,
}

impl GoIntent {
    /// The wire octet: `(intent << 1) | tie_breaker`.
    pub fn to_byte(self) -> u8 {
        (self.intent << 1) | u8::from(self.tie_breaker)
    }

    /// Reads the wire octet.
    pub fn from_byte(b: u8) -> Self {
        GoIntent {
            intent: b >> 1,
            tie_breaker: b & 1 != 0,
        }
    }

    /// Intent within 0..=15.
    pub fn is_valid(self) -> bool {
        self.intent <= MAX_GO_INTENT
    }
}

/// Configuration Timeout (spec 4.1.7), both in units of 10 ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ConfigTimeout {
    /// Time the device needs to start as GO, × 10 ms (hostap sends 100 = 1 s).
    pub go_10ms: u8,
    /// Time the device needs to start as client, × 10 ms (hostap sends 20 = 200 ms).
    pub client_10ms: u8,
}

/// Extended Listen Timing (spec 4.1.10): Availability Period and Interval, LE u16 ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ExtListenTiming {
    /// Availability period in ms.
    pub period_ms: u16,
    /// Availability interval in ms.
    pub interval_ms: u16,
}

/// Listen Channel / Operating Channel (spec 4.1.8, 4.1.19): Country String (3) |
/// Operating Class (1) | Channel Number (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Channel {
    /// Country string; hostap sends [`super::consts::COUNTRY_GLOBAL`] "XX\x04".
    pub country: [u8; 3],
    /// Operating class (global table, 802.11 Annex E Table E-4).
    pub op_class: u8,
    /// Channel number.
    pub channel: u8,
}

impl Channel {
    pub(crate) const LEN: usize = 5;

    /// Centre frequency in MHz for the global 20 MHz classes P2P uses (81, 82,
    /// 115..=130 on 5 GHz); `None` otherwise.
    pub fn freq_mhz(&self) -> Option<u32> {
        freq_of(self.op_class, self.channel)
    }

    /// The 20 MHz channel of `freq_mhz` with its global operating class.
    pub fn from_freq(country: [u8; 3], freq_mhz: u32) -> Option<Channel> {
        let (op_class, channel) = class_of(freq_mhz)?;
        Some(Channel {
            country,
            op_class,
            channel,
        })
    }

    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Channel {
            country: r.array()?,
            op_class: r.u8()?,
            channel: r.u8()?,
        })
    }

    pub(crate) fn emit(&self, w: &mut Writer<'_>) -> Result<(), WireError> {
        w.bytes(&self.country)?;
        w.u8(self.op_class)?;
        w.u8(self.channel)
    }
}

/// Frequency of a channel in a global operating class (802.11 Annex E Table E-4).
pub fn freq_of(op_class: u8, channel: u8) -> Option<u32> {
    let ch = u32::from(channel);
    match op_class {
        OP_CLASS_2GHZ if (1..=13).contains(&channel) => Some(2407 + 5 * ch),
        82 if channel == 14 => Some(2484),
        115..=130 if (32..=177).contains(&channel) => Some(5000 + 5 * ch),
        _ => None,
    }
}

/// Global 20 MHz operating class and channel of a frequency.
pub fn class_of(freq_mhz: u32) -> Option<(u8, u8)> {
    let ch5 = |f: u32| u8::try_from((f - 5000) / 5).ok();
    match freq_mhz {
        2412..=2472 if (freq_mhz - 2407).is_multiple_of(5) => {
            Some((OP_CLASS_2GHZ, u8::try_from((freq_mhz - 2407) / 5).ok()?))
        }
        2484 => Some((82, 14)),
        f if !f.is_multiple_of(5) => None,
        5180..=5240 => Some((115, ch5(freq_mhz)?)),
        5260..=5320 => Some((118, ch5(freq_mhz)?)),
        5500..=5720 => Some((121, ch5(freq_mhz)?)),
        5745..=5805 => Some((124, ch5(freq_mhz)?)),
        5825..=5885 => Some((125, ch5(freq_mhz)?)),
        _ => None,
    }
}

/// One operating class of a Channel List: Operating Class (1) | Number of Channels
/// (1) | Channel List (n).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ChannelEntry {
    /// Operating class.
    pub op_class: u8,
    /// Channel numbers (at most 255).
    pub channels: Vec<u8>,
}

/// Channel List (spec 4.1.13): Country String (3) | entries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ChannelList {
    /// Country string.
    pub country: [u8; 3],
    /// Channel entries per operating class.
    pub entries: Vec<ChannelEntry>,
}

impl ChannelList {
    /// Whether the list contains `channel` in `op_class`.
    pub fn contains(&self, op_class: u8, channel: u8) -> bool {
        self.entries
            .iter()
            .any(|e| e.op_class == op_class && e.channels.contains(&channel))
    }

    /// Every (operating class, channel) pair, in list order.
    pub fn iter(&self) -> impl Iterator<Item = (u8, u8)> + '_ {
        self.entries
            .iter()
            .flat_map(|e| e.channels.iter().map(move |&c| (e.op_class, c)))
    }

    /// The distinct frequencies (MHz) of the 20 MHz channels the list names, in list
    /// order; pairs in classes [`freq_of`] does not know are skipped.
    pub fn freqs(&self) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for f in self.iter().filter_map(|(class, ch)| freq_of(class, ch)) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let country = r.array()?;
        let mut entries = Vec::new();
        while !r.is_empty() {
            let op_class = r.u8()?;
            let n = usize::from(r.u8()?);
            entries.push(ChannelEntry {
                op_class,
                channels: r.take(n)?.to_vec(),
            });
        }
        Ok(ChannelList { country, entries })
    }

    pub(crate) fn body_len(&self) -> usize {
        3 + self
            .entries
            .iter()
            .map(|e| 2 + e.channels.len())
            .sum::<usize>()
    }

    pub(crate) fn emit(&self, w: &mut Writer<'_>) -> Result<(), WireError> {
        w.bytes(&self.country)?;
        for e in &self.entries {
            let n = u8::try_from(e.channels.len())
                .map_err(|_| WireError::TooLong("channel list entry"))?;
            w.u8(e.op_class)?;
            w.u8(n)?;
            w.bytes(&e.channels)?;
        }
        Ok(())
    }
}

/// One Notice of Absence descriptor (spec 4.1.14, 13 bytes, LE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NoaDescriptor {
    /// Count/Type: number of absence intervals (255 = continuous).
    pub count_type: u8,
    /// Duration of each absence, µs.
    pub duration_us: u32,
    /// Interval between absences, µs.
    pub interval_us: u32,
    /// Start time, lower 4 bytes of the TSF.
    pub start_time: u32,
}

/// Notice of Absence (spec 4.1.14): Index (1) | CTWindow and OppPS (1) | descriptors.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NoticeOfAbsence {
    /// NoA index, incremented on each change.
    pub index: u8,
    /// Opportunistic power save (bit 7).
    pub opp_ps: bool,
    /// CTWindow in TU (bits 0-6).
    pub ctwindow: u8,
    /// Absence descriptors.
    pub descriptors: Vec<NoaDescriptor>,
}

impl NoticeOfAbsence {
    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let index = r.u8()?;
        let b = r.u8()?;
        if !r.remaining().is_multiple_of(13) {
            return Err(WireError::Malformed("NoA descriptor length"));
        }
        let mut descriptors = Vec::with_capacity(r.remaining() / 13);
        while !r.is_empty() {
            descriptors.push(NoaDescriptor {
                count_type: r.u8()?,
                duration_us: r.le32()?,
                interval_us: r.le32()?,
                start_time: r.le32()?,
            });
        }
        Ok(NoticeOfAbsence {
            index,
            opp_ps: b & 0x80 != 0,
            ctwindow: b & 0x7f,
            descriptors,
        })
    }

    pub(crate) fn body_len(&self) -> usize {
        2 + 13 * self.descriptors.len()
    }

    pub(crate) fn emit(&self, w: &mut Writer<'_>) -> Result<(), WireError> {
        w.u8(self.index)?;
        w.u8((self.ctwindow & 0x7f) | if self.opp_ps { 0x80 } else { 0 })?;
        for d in &self.descriptors {
            w.u8(d.count_type)?;
            w.le32(d.duration_us)?;
            w.le32(d.interval_us)?;
            w.le32(d.start_time)?;
        }
        Ok(())
    }
}

/// WSC Primary/Secondary Device Type (WSC 12): Category (BE u16) | OUI (4) |
/// Sub Category (BE u16). The WSC attribute's type, one for P2P, WSC and the control
/// interface.
pub use wps::attr::DeviceType;

fn parse_device_type(r: &mut Reader<'_>) -> Result<DeviceType, WireError> {
    Ok(DeviceType { category: r.be16()?, oui: r.array()?, sub_category: r.be16()? })
}

fn emit_device_type(t: &DeviceType, w: &mut Writer<'_>) -> Result<(), WireError> {
    w.bytes(&t.to_bytes())
}

/// The device description shared by Device Info and Client Info descriptors:
/// Config Methods (BE u16) | Primary Device Type (8) | Number of Secondary Device
/// Types (1) | Secondary Device Types (8 each) | Device Name (WSC TLV 0x1011, BE).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct DeviceDescription {
    /// Supported WSC config methods.
    pub config_methods: ConfigMethods,
    /// Primary device type.
    pub primary_type: DeviceType,
    /// Secondary device types (at most 255).
    pub secondary_types: Vec<DeviceType>,
    /// Device name as sent (UTF-8 in practice, not guaranteed).
    pub name: Vec<u8>,
}

impl std::fmt::Debug for DeviceDescription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceDescription")
            .field("name", &self.name_lossy())
            .field("config_methods", &self.config_methods)
            .field("primary_type", &self.primary_type)
            .field("secondary_types", &self.secondary_types)
            .finish()
    }
}

impl DeviceDescription {
    /// The device name, with invalid UTF-8 replaced.
    pub fn name_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.name)
    }

    fn parse(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let config_methods = ConfigMethods::from_bits_retain(r.be16()?);
        let primary_type = parse_device_type(r)?;
        let n = usize::from(r.u8()?);
        let mut secondary_types = Vec::with_capacity(n.min(r.remaining() / 8));
        for _ in 0..n {
            secondary_types.push(parse_device_type(r)?);
        }
        if r.be16()? != WSC_ATTR_DEVICE_NAME {
            return Err(WireError::Malformed("device name TLV type"));
        }
        let len = usize::from(r.be16()?);
        let name = r.take(len)?.to_vec();
        Ok(DeviceDescription {
            config_methods,
            primary_type,
            secondary_types,
            name,
        })
    }

    fn body_len(&self) -> usize {
        2 + 8 + 1 + 8 * self.secondary_types.len() + 4 + self.name.len()
    }

    fn emit(&self, w: &mut Writer<'_>) -> Result<(), WireError> {
        let n = u8::try_from(self.secondary_types.len())
            .map_err(|_| WireError::TooLong("secondary device types"))?;
        let name_len =
            u16::try_from(self.name.len()).map_err(|_| WireError::TooLong("device name"))?;
        w.be16(self.config_methods.bits())?;
        emit_device_type(&self.primary_type, w)?;
        w.u8(n)?;
        for t in &self.secondary_types {
            emit_device_type(t, w)?;
        }
        w.be16(WSC_ATTR_DEVICE_NAME)?;
        w.be16(name_len)?;
        w.bytes(&self.name)
    }
}

/// P2P Device Info (spec 4.1.15): P2P Device Address (6) | device description.
/// Bytes after the Device Name TLV are ignored, as hostap does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DeviceInfo {
    /// P2P device address.
    pub device_addr: MacAddr,
    /// Config methods, device types, name.
    pub desc: DeviceDescription,
}

impl DeviceInfo {
    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let device_addr = MacAddr(r.array()?);
        let desc = DeviceDescription::parse(r)?;
        Ok(DeviceInfo { device_addr, desc })
    }

    pub(crate) fn body_len(&self) -> usize {
        6 + self.desc.body_len()
    }

    pub(crate) fn emit(&self, w: &mut Writer<'_>) -> Result<(), WireError> {
        w.bytes(&self.device_addr.0)?;
        self.desc.emit(w)
    }
}

/// A P2P Client Info Descriptor of P2P Group Info (spec 4.1.16): Length (1) | P2P
/// Device Address (6) | P2P Interface Address (6) | Device Capability Bitmap (1) |
/// device description.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ClientInfo {
    /// The client's P2P device address.
    pub device_addr: MacAddr,
    /// The client's P2P interface address (its address in the group).
    pub interface_addr: MacAddr,
    /// The client's device capabilities.
    pub device_capability: DeviceCapability,
    /// Config methods, device types, name.
    pub desc: DeviceDescription,
}

impl ClientInfo {
    fn descriptor_len(&self) -> usize {
        13 + self.desc.body_len()
    }

    /// Parses the descriptors of a Group Info body. A descriptor's declared length
    /// bounds its contents; bytes after its Device Name TLV are ignored (as hostap).
    pub(crate) fn parse_all(r: &mut Reader<'_>) -> Result<Vec<Self>, WireError> {
        let mut out = Vec::new();
        while !r.is_empty() {
            let len = usize::from(r.u8()?);
            let mut d = Reader::new(r.take(len)?, "client info descriptor");
            out.push(ClientInfo {
                device_addr: MacAddr(d.array()?),
                interface_addr: MacAddr(d.array()?),
                device_capability: DeviceCapability::from_bits_retain(d.u8()?),
                desc: DeviceDescription::parse(&mut d)?,
            });
        }
        Ok(out)
    }

    pub(crate) fn all_body_len(clients: &[ClientInfo]) -> usize {
        clients.iter().map(|c| 1 + c.descriptor_len()).sum()
    }

    pub(crate) fn emit_all(clients: &[ClientInfo], w: &mut Writer<'_>) -> Result<(), WireError> {
        for c in clients {
            let len = u8::try_from(c.descriptor_len())
                .map_err(|_| WireError::TooLong("client info descriptor"))?;
            w.u8(len)?;
            w.bytes(&c.device_addr.0)?;
            w.bytes(&c.interface_addr.0)?;
            w.u8(c.device_capability.bits())?;
            c.desc.emit(w)?;
        }
        Ok(())
    }
}

/// P2P Group ID (spec 4.1.17): P2P Device Address of the GO (6) | SSID (0..=32).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct GroupId {
    /// The GO's P2P device address.
    pub device_addr: MacAddr,
    /// The group's SSID.
    pub ssid: Vec<u8>,
}

impl std::fmt::Debug for GroupId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupId")
            .field("device_addr", &self.device_addr)
            .field("ssid", &String::from_utf8_lossy(&self.ssid))
            .finish()
    }
}

impl GroupId {
    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let device_addr = MacAddr(r.array()?);
        let ssid = r.rest();
        if ssid.len() > MAX_SSID_LEN {
            return Err(WireError::Malformed("group ID SSID length"));
        }
        Ok(GroupId {
            device_addr,
            ssid: ssid.to_vec(),
        })
    }

    pub(crate) fn emit(&self, w: &mut Writer<'_>) -> Result<(), WireError> {
        if self.ssid.len() > MAX_SSID_LEN {
            return Err(WireError::TooLong("group ID SSID"));
        }
        w.bytes(&self.device_addr.0)?;
        w.bytes(&self.ssid)
    }
}

/// P2P Interface (spec 4.1.18): P2P Device Address (6) | Interface Address Count (1) |
/// Interface Addresses (6 each).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct P2pInterface {
    /// P2P device address.
    pub device_addr: MacAddr,
    /// Interface addresses (at most 255).
    pub interface_addrs: Vec<MacAddr>,
}

impl P2pInterface {
    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let device_addr = MacAddr(r.array()?);
        let n = usize::from(r.u8()?);
        let mut interface_addrs = Vec::with_capacity(n.min(r.remaining() / 6));
        for _ in 0..n {
            interface_addrs.push(MacAddr(r.array()?));
        }
        Ok(P2pInterface {
            device_addr,
            interface_addrs,
        })
    }

    pub(crate) fn emit(&self, w: &mut Writer<'_>) -> Result<(), WireError> {
        let n = u8::try_from(self.interface_addrs.len())
            .map_err(|_| WireError::TooLong("interface address list"))?;
        w.bytes(&self.device_addr.0)?;
        w.u8(n)?;
        for a in &self.interface_addrs {
            w.bytes(&a.0)?;
        }
        Ok(())
    }
}
