//! The peer table: P2P devices seen on the air, keyed by P2P device address (sans-IO).
//!
//! Fed with what scans return (Probe Responses of listening P2P devices, Beacons and Probe
//! Responses of running groups) and with the Probe Requests of searching peers, it answers
//! `P2P_PEER` and says when a peer is found (`P2P-DEVICE-FOUND`) or lost
//! (`P2P-DEVICE-LOST`), in its own types ([`Found`], [`Peer`]); `ctrl` writes the text.
//!
//! Rules follow hostap (`src/p2p/p2p.c`: `p2p_add_device`, `p2p_add_dev_from_probe_req`,
//! `p2p_expire_peers`):
//! - A device seen only through its Probe Requests is kept with the `PROBE_REQ_ONLY` flag
//!   and never reported as found (scripts filter on the flag); its listen frequency and
//!   country come from the Listen Channel attribute, its name, type and config methods
//!   from the WSC IE. Later Probe Requests of a known device only refresh `last_seen`.
//! - A Probe Response (a listening device, or a GO) clears the flag; the listen frequency
//!   is the channel its DS Parameter Set names (the channel the peer listens on). The
//!   first report is `new=1`; a later change of name, type, config methods or capability
//!   is reported again with `new=0`.
//! - A scan result older than what we know (the kernel keeps BSS entries for a while) does
//!   not refresh a peer, nor does one older than the last flush ([`Peers::flush`]): the
//!   kernel's cache would bring back a restarted peer's previous listen channel.
//! - Peers expire after [`PEER_EXPIRY`] without a sighting; only those reported as found
//!   give `P2P-DEVICE-LOST`.
//! - The table holds [`MAX_PEERS`] at most (hostap's `max_peers`): a new device then takes
//!   the place of the one seen longest ago, a device seen only in Probe Requests first (a
//!   flood of Probe Requests from made-up addresses must not grow the table, nor push out
//!   the devices a user found). A reported device pushed out is reported lost
//!   ([`Peers::take_evicted`]).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::ieee80211::ie::{ElementId, Elements};
use crate::ieee80211::MacAddr;
use crate::p2p::wire::types::freq_of;
use crate::p2p::wire::{Capability, DeviceInfo, DeviceType, GroupCapability, P2pIe};

/// A peer not seen for this long is dropped (hostap `P2P_PEER_EXPIRATION_AGE`).
pub const PEER_EXPIRY: Duration = Duration::from_secs(60);
/// Devices in the table at most (hostap: `max_peers`, 100 in wpa_supplicant).
pub const MAX_PEERS: usize = 100;

/// A running group the peer owns, as its Beacon/Probe Response describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSeen {
    pub bssid: MacAddr,
    pub ssid: Vec<u8>,
    pub freq: u32,
    /// The RSN element, header included (message 3 of the handshake must repeat it).
    pub rsne: Option<Vec<u8>>,
    /// Whether its WSC IE says a registrar is selected (WPS armed).
    pub selected_registrar: bool,
    /// When the Beacon/Probe Response that described it was received.
    pub seen: Instant,
}

/// What we know of one P2P device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub dev_addr: MacAddr,
    pub name: String,
    pub pri_dev_type: DeviceType,
    pub config_methods: u16,
    pub dev_capab: u8,
    pub group_capab: u8,
    /// WSC Manufacturer, Model Name, Model Number, Serial Number (when the peer sent them).
    pub manufacturer: String,
    pub model_name: String,
    pub model_number: String,
    pub serial_number: String,
    pub level: i32,
    /// Where the peer listens (from its Probe Response's DS Parameter Set, or its Listen
    /// Channel attribute).
    pub listen_freq: Option<u32>,
    /// The first two characters of the peer's country string.
    pub country: Option<[u8; 2]>,
    /// Set when the peer runs a group we saw.
    pub group: Option<GroupSeen>,
    pub last_seen: Instant,
    /// Seen only through its Probe Requests (`[PROBE_REQ_ONLY]`): not reported, not a
    /// target for provision discovery or a connection.
    pub probe_req_only: bool,
    /// Whether `P2P-DEVICE-FOUND` was reported (`[REPORTED]`).
    pub reported: bool,
}

impl Peer {
    fn new(dev_addr: MacAddr, now: Instant) -> Peer {
        Peer {
            dev_addr,
            name: String::new(),
            pri_dev_type: DeviceType::default(),
            config_methods: 0,
            dev_capab: 0,
            group_capab: 0,
            manufacturer: String::new(),
            model_name: String::new(),
            model_number: String::new(),
            serial_number: String::new(),
            level: 0,
            listen_freq: None,
            country: None,
            group: None,
            last_seen: now,
            probe_req_only: false,
            reported: false,
        }
    }

    /// The fields a change of which is reported again (`new=0`).
    fn identity(&self) -> (String, DeviceType, u16, u8, u8) {
        (self.name.clone(), self.pri_dev_type, self.config_methods, self.dev_capab, self.group_capab)
    }

    /// A found report of this peer, seen from `addr` (device or group interface address).
    fn found(&self, addr: MacAddr, new: bool) -> Found {
        Found {
            addr,
            dev_addr: self.dev_addr,
            pri_dev_type: self.pri_dev_type,
            name: self.name.clone(),
            config_methods: self.config_methods,
            dev_capab: self.dev_capab,
            group_capab: self.group_capab,
            new,
        }
    }

    /// Whether provision discovery or a connection may target this peer (hostap refuses
    /// a `PROBE_REQ_ONLY` one).
    pub fn is_reachable(&self) -> bool {
        !self.probe_req_only
    }
}

/// A peer found (`P2P-DEVICE-FOUND`): `new` the first time, not on updates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Source address of the frame: the device address, or a GO's interface address.
    pub addr: MacAddr,
    pub dev_addr: MacAddr,
    pub pri_dev_type: DeviceType,
    pub name: String,
    pub config_methods: u16,
    pub dev_capab: u8,
    pub group_capab: u8,
    pub new: bool,
}

/// One BSS from a scan, as the driver hands it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BssSighting<'a> {
    pub bssid: MacAddr,
    pub freq: u32,
    /// Probe Response IEs when there are any, else Beacon IEs.
    pub ies: &'a [u8],
    pub signal_dbm: Option<i32>,
    /// How long ago the kernel last saw it (`NL80211_BSS_SEEN_MS_AGO`).
    pub age: Option<Duration>,
}

/// The WSC strings of a peer's IE (empty when absent or malformed).
#[derive(Debug, Default)]
struct WscInfo {
    name: Option<String>,
    pri_dev_type: Option<[u8; 8]>,
    config_methods: Option<u16>,
    manufacturer: Option<String>,
    model_name: Option<String>,
    model_number: Option<String>,
    serial_number: Option<String>,
}

impl WscInfo {
    fn from_ies(ies: &[u8]) -> WscInfo {
        use wps::attr::AttrType;
        let mut w = WscInfo::default();
        let Ok(Some(payload)) = wps::ie::wsc_payload(ies) else {
            return w;
        };
        let text = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
        for a in wps::attr::raw_attrs(&payload).map_while(Result::ok) {
            match a.kind {
                AttrType::DEVICE_NAME => w.name = Some(text(a.value)),
                AttrType::MANUFACTURER => w.manufacturer = Some(text(a.value)),
                AttrType::MODEL_NAME => w.model_name = Some(text(a.value)),
                AttrType::MODEL_NUMBER => w.model_number = Some(text(a.value)),
                AttrType::SERIAL_NUMBER => w.serial_number = Some(text(a.value)),
                AttrType::PRIMARY_DEVICE_TYPE => w.pri_dev_type = a.value.try_into().ok(),
                AttrType::CONFIG_METHODS => {
                    w.config_methods = <[u8; 2]>::try_from(a.value).ok().map(u16::from_be_bytes)
                }
                _ => {}
            }
        }
        w
    }

    fn apply_strings(self, p: &mut Peer) {
        for (dst, src) in [
            (&mut p.manufacturer, self.manufacturer),
            (&mut p.model_name, self.model_name),
            (&mut p.model_number, self.model_number),
            (&mut p.serial_number, self.serial_number),
        ] {
            if let Some(s) = src {
                *dst = s;
            }
        }
    }
}

fn device_type(b: [u8; 8]) -> DeviceType {
    DeviceType {
        category: u16::from_be_bytes([b[0], b[1]]),
        oui: [b[2], b[3], b[4], b[5]],
        sub_category: u16::from_be_bytes([b[6], b[7]]),
    }
}

/// The frequency a DS Parameter Set names on 2.4 GHz (hostap trusts it over the rx
/// frequency, which can be an adjacent channel).
fn ds_freq(ies: &[u8], rx_freq: u32) -> u32 {
    match Elements::find(ies, ElementId::DS_PARAMS).and_then(|e| e.data.first().copied()) {
        Some(ch @ 1..=13) if (2412..=2484).contains(&rx_freq) => freq_of(81, ch).unwrap_or(rx_freq),
        Some(14) if (2412..=2484).contains(&rx_freq) => 2484,
        _ => rx_freq,
    }
}

/// The table.
#[derive(Debug, Default)]
pub struct Peers {
    peers: BTreeMap<MacAddr, Peer>,
    /// Reported devices pushed out to make room, not yet reported lost.
    evicted: Vec<MacAddr>,
    /// Devices pushed out to make room so far (logs, tests).
    pub evictions: u64,
    /// When the table was last flushed: scan results from before are not sightings.
    flushed: Option<Instant>,
}

impl Peers {
    /// Takes in one scanned BSS: a listening P2P device's Probe Response, or a GO's Beacon
    /// or Probe Response. Returns the `P2P-DEVICE-FOUND` to report: `new=1` the first time
    /// the peer's name is known (a GO's Beacon alone only gives its Device ID), `new=0`
    /// when what a report says changed (a GO seen again is reported again, as before).
    pub fn on_bss(&mut self, now: Instant, bss: BssSighting<'_>) -> Option<Found> {
        let p2p = match P2pIe::from_ies(bss.ies) {
            Ok(Some(p2p)) => p2p,
            Ok(None) => return None,
            Err(e) => {
                tracing::debug!(bssid = %bss.bssid, "P2P IE of a scanned BSS dropped: {e}");
                return None;
            }
        };
        let cap = *p2p.capability()?;
        let seen = bss.age.and_then(|a| now.checked_sub(a)).unwrap_or(now);
        if self.flushed.is_some_and(|f| seen < f) {
            tracing::trace!(bssid = %bss.bssid, "scan entry from before the flush ignored");
            return None;
        }
        let mut ssid = None;
        let mut rsne = None;
        for e in Elements::new(bss.ies).map_while(Result::ok) {
            if e.id == ElementId::SSID {
                ssid = Some(e.data.to_vec());
            } else if e.id == ElementId::RSN {
                let mut full = vec![48, e.data.len() as u8];
                full.extend_from_slice(e.data);
                rsne = Some(full);
            }
        }
        let ssid = ssid.filter(|s| s.starts_with(b"DIRECT-"))?;
        let is_go = cap.group.contains(GroupCapability::GROUP_OWNER);
        let level = bss.signal_dbm.unwrap_or(0);
        // Probe Responses carry Device Info; Beacons only the Device ID.
        let (dev_addr, info) = match (p2p.device_info(), p2p.device_id()) {
            (Some(info), _) => (info.device_addr, Some(info.clone())),
            (None, Some(id)) if is_go => (*id, None),
            _ => return None,
        };
        let group = is_go.then(|| {
            let selected_registrar = wps::ie::wsc_payload(bss.ies)
                .ok()
                .flatten()
                .and_then(|w| wps::ie::BeaconWsc::parse(&w).ok())
                .map(|w| w.selected_registrar.is_selected())
                .unwrap_or(false);
            GroupSeen { bssid: bss.bssid, ssid, freq: bss.freq, rsne, selected_registrar, seen }
        });
        self.make_room(dev_addr);
        let peer = self.peers.entry(dev_addr).or_insert_with(|| Peer::new(dev_addr, seen));
        if seen < peer.last_seen {
            tracing::trace!(peer = %dev_addr, "older scan entry ignored");
            return None;
        }
        let before = peer.identity();
        if let Some(info) = &info {
            peer.name = info.desc.name_lossy().into_owned();
            peer.pri_dev_type = info.desc.primary_type;
            peer.config_methods = info.desc.config_methods.bits();
            WscInfo::from_ies(bss.ies).apply_strings(peer);
        }
        peer.dev_capab = cap.device.bits();
        peer.group_capab = cap.group.bits();
        peer.level = level;
        peer.last_seen = seen;
        if let Some(g) = group {
            if peer.listen_freq.is_none() {
                peer.listen_freq = Some(g.freq);
            }
            peer.group = Some(g);
        } else {
            // A listening device: the channel its DS Parameter Set names.
            peer.listen_freq = Some(ds_freq(bss.ies, bss.freq));
            peer.group = None;
        }
        // Report once the identity is known (a Beacon alone has no name yet).
        if info.is_none() && !peer.reported {
            return None;
        }
        let changed = before != peer.identity();
        peer.probe_req_only = false;
        let new = !peer.reported;
        peer.reported = true;
        // A GO is reported by its interface address, as wpa_supplicant does when it
        // finds one by scanning; a listening device by its device address.
        let addr = if is_go { bss.bssid } else { dev_addr };
        (new || changed).then(|| peer.found(addr, new))
    }

    /// Takes in a peer's Probe Request (`sa` its device address; `ies` its elements,
    /// `p2p` its P2P IE) received on `rx_freq`. A new peer is kept as `PROBE_REQ_ONLY`
    /// and not reported; a known one is only marked seen.
    pub fn on_probe_request(&mut self, now: Instant, sa: MacAddr, p2p: &P2pIe, ies: &[u8], signal_dbm: Option<i32>) {
        if let Some(p) = self.peers.get_mut(&sa) {
            p.last_seen = p.last_seen.max(now);
            return;
        }
        self.make_room(sa);
        let mut peer = Peer::new(sa, now);
        peer.probe_req_only = true;
        peer.level = signal_dbm.unwrap_or(0);
        if let Some(cap) = p2p.capability() {
            peer.dev_capab = cap.device.bits();
            peer.group_capab = cap.group.bits();
        }
        if let Some(ch) = p2p.listen_channel() {
            peer.listen_freq = ch.freq_mhz();
            peer.country = Some([ch.country[0], ch.country[1]]);
        }
        let wsc = WscInfo::from_ies(ies);
        peer.name = wsc.name.clone().unwrap_or_default();
        peer.pri_dev_type = wsc.pri_dev_type.map(device_type).unwrap_or_default();
        peer.config_methods = wsc.config_methods.unwrap_or(0);
        wsc.apply_strings(&mut peer);
        tracing::debug!(peer = %sa, name = %peer.name, "new peer from its probe request (PROBE_REQ_ONLY)");
        self.peers.insert(sa, peer);
    }

    /// Takes in a GO Negotiation Request from `sa` (its Device Info, Capability and Listen
    /// Channel), as hostap's `p2p_add_dev_info()`: a peer we did not know, or knew only
    /// from its Probe Requests, is completed from the request and reported
    /// (`P2P-DEVICE-FOUND`), so that `p2p_peers discovered` lists a peer that found us and
    /// asks to connect before we found it; a peer already reported is only marked seen.
    pub fn on_go_neg_request(&mut self, now: Instant, sa: MacAddr, info: &DeviceInfo, cap: &Capability, listen_freq: Option<u32>) -> Option<Found> {
        self.make_room(sa);
        let peer = self.peers.entry(sa).or_insert_with(|| {
            let mut p = Peer::new(sa, now);
            p.probe_req_only = true;
            p
        });
        peer.last_seen = peer.last_seen.max(now);
        // Its Listen Channel is where it listens now (a restarted peer may have picked
        // another one than the table remembers).
        if listen_freq.is_some() {
            peer.listen_freq = listen_freq;
        }
        if !peer.probe_req_only && peer.reported {
            return None;
        }
        peer.name = info.desc.name_lossy().into_owned();
        peer.pri_dev_type = info.desc.primary_type;
        peer.config_methods = info.desc.config_methods.bits();
        peer.dev_capab = cap.device.bits();
        peer.group_capab = cap.group.bits();
        tracing::debug!(peer = %sa, name = %peer.name, "peer completed from its GO Negotiation Request");
        peer.probe_req_only = false;
        let new = !peer.reported;
        peer.reported = true;
        Some(peer.found(sa, new))
    }

    /// Before `new` is added: when the table is full (and `new` not in it), drops the
    /// device seen longest ago, one known only from its Probe Requests if there is one.
    fn make_room(&mut self, new: MacAddr) {
        if self.peers.len() < MAX_PEERS || self.peers.contains_key(&new) {
            return;
        }
        let oldest = |only_probe_req: bool| {
            self.peers.values().filter(|p| !only_probe_req || !p.reported).min_by_key(|p| p.last_seen).map(|p| p.dev_addr)
        };
        let Some(addr) = oldest(true).or_else(|| oldest(false)) else { return };
        if let Some(p) = self.peers.remove(&addr) {
            self.evictions += 1;
            tracing::debug!(peer = %addr, reported = p.reported, "peer table full ({MAX_PEERS}): dropped the device seen longest ago");
            if p.reported {
                self.evicted.push(addr);
            }
        }
    }

    /// The reported devices pushed out of a full table since the last call
    /// (`P2P-DEVICE-LOST`).
    pub fn take_evicted(&mut self) -> Vec<MacAddr> {
        std::mem::take(&mut self.evicted)
    }

    /// Drops peers not seen for [`PEER_EXPIRY`]; returns the addresses of those that had
    /// been reported as found (`P2P-DEVICE-LOST`).
    pub fn expire(&mut self, now: Instant) -> Vec<MacAddr> {
        let old: Vec<(MacAddr, bool)> = self
            .peers
            .values()
            .filter(|p| now.saturating_duration_since(p.last_seen) >= PEER_EXPIRY)
            .map(|p| (p.dev_addr, p.reported))
            .collect();
        for (a, _) in &old {
            self.peers.remove(a);
        }
        old.into_iter().filter(|(_, reported)| *reported).map(|(a, _)| a).collect()
    }

    pub fn get(&self, addr: &MacAddr) -> Option<&Peer> {
        self.peers.get(addr)
    }

    /// A peer by device address, or the owner of a group with that BSSID.
    pub fn find(&self, addr: &MacAddr) -> Option<&Peer> {
        self.peers.get(addr).or_else(|| self.peers.values().find(|p| p.group.as_ref().is_some_and(|g| &g.bssid == addr)))
    }

    /// `P2P_PEER FIRST`.
    pub fn first(&self) -> Option<&Peer> {
        self.peers.values().next()
    }

    /// `P2P_PEER NEXT-<addr>`: the peer after `addr` in address order.
    pub fn next_after(&self, addr: &MacAddr) -> Option<&Peer> {
        use std::ops::Bound::{Excluded, Unbounded};
        self.peers.range((Excluded(*addr), Unbounded)).next().map(|(_, p)| p)
    }

    /// The frequencies of the groups seen (for short discovery scans).
    pub fn group_freqs(&self) -> Vec<u32> {
        let mut f: Vec<u32> = self.peers.values().filter_map(|p| p.group.as_ref().map(|g| g.freq)).collect();
        f.sort_unstable();
        f.dedup();
        f
    }

    /// The earliest time a peer can expire.
    pub fn next_expiry(&self) -> Option<Instant> {
        self.peers.values().map(|p| p.last_seen + PEER_EXPIRY).min()
    }

    /// Forgets every device (`P2P_FLUSH`); scan results received before `now` (the
    /// kernel's cached BSS entries) no longer count as sightings.
    pub fn flush(&mut self, now: Instant) {
        self.peers.clear();
        self.evicted.clear();
        self.flushed = Some(now);
    }

    pub fn len(&self) -> usize {
        self.peers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.peers.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Peer> {
        self.peers.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ieee80211::{MgmtBody, MgmtRepr};
    use crate::p2p::wire::tests::pcap;

    /// The hwsim capture of two real wpa_supplicants (src/p2p/wire/tests/data/wire-capture):
    /// r0 runs an autonomous GO `DIRECT-q6` on 2437 MHz; r1 reported it as
    /// `P2P-DEVICE-FOUND 06:00:00:00:00:00 p2p_dev_addr=42:00:00:00:00:00
    /// pri_dev_type=1-0050F204-1 name='wpas-0' config_methods=0x188 dev_capab=0x25
    /// group_capab=0x9 new=1` (events-1.log).
    const PCAP: &[u8] = include_bytes!("wire/tests/data/wire-capture/air.pcap");

    fn go_probe_responses() -> Vec<(MacAddr, Vec<u8>)> {
        pcap::frames(PCAP)
            .into_iter()
            .filter_map(|c| MgmtRepr::parse_bytes(c.frame).ok())
            .filter_map(|m| match &m.body {
                MgmtBody::ProbeResponse(b) => Some((m.header.addr3, b.ies.to_vec())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_real_go_probe_response_reads_as_wpa_supplicant_reported_it() {
        let now = Instant::now();
        let mut peers = Peers::default();
        let responses = go_probe_responses();
        assert!(!responses.is_empty(), "the capture has probe responses");
        let mut found = None;
        for (bssid, ies) in &responses {
            let bss = BssSighting { bssid: *bssid, freq: 2437, ies, signal_dbm: Some(-30), age: None };
            if let Some(f) = peers.on_bss(now, bss) {
                found.get_or_insert(f);
            }
        }
        let f = found.expect("the GO is reported");
        let text = crate::ctrl::Event::DeviceFound(f.into()).to_string();
        assert_eq!(
            text,
            "P2P-DEVICE-FOUND 06:00:00:00:00:00 p2p_dev_addr=42:00:00:00:00:00 pri_dev_type=1-0050F204-1 \
             name='wpas-0' config_methods=0x188 dev_capab=0x25 group_capab=0x9 new=1"
        );
        let go: MacAddr = "42:00:00:00:00:00".parse().expect("mac");
        let peer = peers.get(&go).expect("kept in the table");
        let g = peer.group.as_ref().expect("its group");
        assert_eq!(g.ssid, b"DIRECT-q6");
        assert_eq!(g.bssid, "06:00:00:00:00:00".parse::<MacAddr>().expect("mac"));
        assert_eq!(g.rsne.as_ref().map(|r| r[0]), Some(48), "the RSN element is kept whole");
        assert_eq!(peers.find(&g.bssid).map(|p| p.dev_addr), Some(go), "found by BSSID too");
    }

    #[test]
    fn a_go_first_seen_in_a_beacon_is_reported_new_once_its_probe_response_names_it() {
        let now = Instant::now();
        let mut peers = Peers::default();
        let beacons: Vec<(MacAddr, Vec<u8>)> = pcap::frames(PCAP)
            .into_iter()
            .filter_map(|c| MgmtRepr::parse_bytes(c.frame).ok())
            .filter_map(|m| match &m.body {
                MgmtBody::Beacon(b) => Some((m.header.addr3, b.ies.to_vec())),
                _ => None,
            })
            .collect();
        assert!(!beacons.is_empty(), "the capture has beacons");
        for (bssid, ies) in &beacons {
            let bss = BssSighting { bssid: *bssid, freq: 2437, ies, signal_dbm: None, age: None };
            assert!(peers.on_bss(now, bss).is_none(), "a beacon alone does not name the GO");
        }
        let go: MacAddr = "42:00:00:00:00:00".parse().expect("mac");
        assert!(peers.get(&go).is_some_and(|p| !p.reported), "known by its Device ID, not reported");
        let reports: Vec<bool> = go_probe_responses()
            .iter()
            .filter_map(|(bssid, ies)| peers.on_bss(now, BssSighting { bssid: *bssid, freq: 2437, ies, signal_dbm: None, age: None }))
            .map(|f| f.new)
            .collect();
        assert_eq!(reports, [true], "the first named sighting is new=1, identical ones are not reported again");
    }

    #[test]
    fn first_next_walk_every_peer_once_and_expiry_drops_them() {
        let now = Instant::now();
        let mut peers = Peers::default();
        for (bssid, ies) in go_probe_responses() {
            peers.on_bss(now, BssSighting { bssid, freq: 2437, ies: &ies, signal_dbm: None, age: None });
        }
        let mut seen = vec![];
        let mut cur = peers.first().map(|p| p.dev_addr);
        while let Some(a) = cur {
            seen.push(a);
            cur = peers.next_after(&a).map(|p| p.dev_addr);
        }
        assert_eq!(seen.len(), peers.len());
        assert!(peers.expire(now + PEER_EXPIRY - Duration::from_secs(1)).is_empty());
        assert_eq!(peers.expire(now + PEER_EXPIRY).len(), seen.len());
        assert!(peers.is_empty());
    }

    #[test]
    fn frames_without_a_go_p2p_ie_are_ignored() {
        let mut peers = Peers::default();
        // SSID element only: a plain access point.
        let ies = [0u8, 4, b'h', b'o', b'm', b'e'];
        let bss = BssSighting { bssid: MacAddr([2, 0, 0, 0, 0, 9]), freq: 2412, ies: &ies, signal_dbm: None, age: None };
        assert!(peers.on_bss(Instant::now(), bss).is_none());
        // Garbage does not panic either.
        let junk = [221u8, 3, 0x50, 0x6f, 0x9a, 221, 200];
        let bss = BssSighting { ies: &junk, ..bss };
        assert!(peers.on_bss(Instant::now(), bss).is_none());
        assert!(peers.is_empty());
    }

    /// A table of reported devices only: the one seen longest ago makes room, and is
    /// reported lost.
    #[test]
    fn a_full_table_of_reported_devices_drops_the_oldest_and_says_so() {
        let t0 = Instant::now();
        let mut peers = Peers::default();
        let info = |i: u8| {
            let a = MacAddr([0x02, 0, 0, 0, 0, i]);
            let desc = crate::p2p::wire::DeviceDescription { name: b"p".to_vec(), ..Default::default() };
            (a, DeviceInfo { device_addr: a, desc })
        };
        let cap = Capability::default();
        for i in 0..=MAX_PEERS as u8 {
            let (a, inf) = info(i);
            let found = peers.on_go_neg_request(t0 + Duration::from_millis(u64::from(i)), a, &inf, &cap, None);
            assert!(found.is_some_and(|f| f.new));
        }
        assert_eq!(peers.len(), MAX_PEERS);
        assert_eq!(peers.take_evicted(), [MacAddr([0x02, 0, 0, 0, 0, 0])]);
        assert!(peers.take_evicted().is_empty());
        assert_eq!(peers.evictions, 1);
        // One already known is only refreshed: nothing more goes.
        let (a, inf) = info(MAX_PEERS as u8);
        peers.on_go_neg_request(t0 + Duration::from_secs(1), a, &inf, &cap, None);
        assert_eq!((peers.len(), peers.evictions), (MAX_PEERS, 1));
    }

    /// `P2P_FLUSH`, then a scan returns the kernel's cached entry of the peer's previous
    /// life (its old listen channel, received before the flush): not a sighting. The same
    /// device heard after the flush is.
    #[test]
    fn cached_scan_entries_from_before_a_flush_do_not_bring_a_peer_back() {
        let t0 = Instant::now();
        let mut peers = Peers::default();
        let (bssid, ies) = go_probe_responses().into_iter().next().expect("a probe response");
        let at = |age_s: u64| BssSighting { bssid, freq: 2437, ies: &ies, signal_dbm: None, age: Some(Duration::from_secs(age_s)) };
        let t1 = t0 + Duration::from_secs(20);
        peers.flush(t1 - Duration::from_secs(5));
        assert!(peers.on_bss(t1, at(12)).is_none(), "received 12 s ago, before the flush 5 s ago");
        assert!(peers.is_empty());
        assert!(peers.on_bss(t1, at(1)).is_some_and(|f| f.new), "received after the flush");
    }
}
