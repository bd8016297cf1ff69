//! The peer table: P2P devices seen on the air, keyed by P2P device address (sans-IO).
//!
//! Fed with what scans return (Beacons and Probe Responses that carry a P2P IE: running
//! groups), it answers `P2P_PEER` and yields `P2P-DEVICE-FOUND` / `P2P-DEVICE-LOST`.
//! Peers expire after [`PEER_EXPIRY`] without a sighting (hostap uses 60 s too).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::ctrl::{DeviceFound, PeerInfo};
use crate::p2p::wire::DeviceType;
use crate::ieee80211::ie::{ElementId, Elements};
use crate::ieee80211::MacAddr;
use crate::p2p::wire::{GroupCapability, P2pIe};

/// A peer not seen for this long is dropped.
pub const PEER_EXPIRY: Duration = Duration::from_secs(60);

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
    pub level: i32,
    /// Set when the peer runs a group we saw.
    pub group: Option<GroupSeen>,
    pub last_seen: Instant,
    /// Whether `P2P-DEVICE-FOUND` was reported (needs the name from a Probe Response).
    pub reported: bool,
}

/// One BSS from a scan, as the driver hands it over.
#[derive(Debug, Clone, Copy)]
pub struct BssSighting<'a> {
    pub bssid: MacAddr,
    pub freq: u32,
    /// Probe Response IEs when there are any, else Beacon IEs.
    pub ies: &'a [u8],
    pub signal_dbm: Option<i32>,
}

/// The table.
#[derive(Debug, Default)]
pub struct Peers {
    peers: BTreeMap<MacAddr, Peer>,
}

impl Peers {
    /// Takes in one scanned BSS; returns the `P2P-DEVICE-FOUND` to report when it is a P2P
    /// group owner with a device identity: `new=1` the first time its name is known (a
    /// Beacon alone only gives the Device ID), `new=0` on later sightings.
    pub fn on_bss(&mut self, now: Instant, bss: BssSighting<'_>) -> Option<DeviceFound> {
        let p2p = match P2pIe::from_ies(bss.ies) {
            Ok(Some(p2p)) => p2p,
            Ok(None) => return None,
            Err(e) => {
                tracing::debug!(bssid = %bss.bssid, "P2P IE of a scanned BSS dropped: {e}");
                return None;
            }
        };
        let cap = p2p.capability()?;
        if !cap.group.contains(GroupCapability::GROUP_OWNER) {
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
        let selected_registrar = wps::ie::wsc_payload(bss.ies)
            .ok()
            .flatten()
            .and_then(|w| wps::ie::BeaconWsc::parse(&w).ok())
            .map(|w| w.selected_registrar.is_selected())
            .unwrap_or(false);
        let group = GroupSeen { bssid: bss.bssid, ssid, freq: bss.freq, rsne, selected_registrar };
        let level = bss.signal_dbm.unwrap_or(0);
        // Probe Responses carry Device Info; Beacons only the Device ID.
        let (dev_addr, info) = match (p2p.device_info(), p2p.device_id()) {
            (Some(info), _) => (info.device_addr, Some(info.clone())),
            (None, Some(id)) => (*id, None),
            (None, None) => return None,
        };
        let peer = self.peers.entry(dev_addr).or_insert_with(|| Peer {
            dev_addr,
            name: String::new(),
            pri_dev_type: DeviceType::from_bytes([0; 8]),
            config_methods: 0,
            dev_capab: 0,
            group_capab: 0,
            level,
            group: None,
            last_seen: now,
            reported: false,
        });
        if let Some(info) = &info {
            peer.name = String::from_utf8_lossy(&info.desc.name).into_owned();
            peer.pri_dev_type = info.desc.primary_type;
            peer.config_methods = info.desc.config_methods.bits();
        }
        peer.dev_capab = cap.device.bits();
        peer.group_capab = cap.group.bits();
        peer.level = level;
        peer.group = Some(group);
        peer.last_seen = now;
        // Report once the identity is known (a Beacon alone has no name yet).
        if info.is_none() && !peer.reported {
            return None;
        }
        let new = !peer.reported;
        peer.reported = true;
        // wpa_supplicant names a GO found by scanning by its interface address first.
        Some(DeviceFound {
            addr: bss.bssid,
            p2p_dev_addr: dev_addr,
            pri_dev_type: peer.pri_dev_type,
            name: peer.name.clone(),
            config_methods: peer.config_methods,
            dev_capab: peer.dev_capab,
            group_capab: peer.group_capab,
            wfd_dev_info: None,
            new,
        })
    }

    /// Drops peers not seen for [`PEER_EXPIRY`]; returns their addresses (`P2P-DEVICE-LOST`).
    pub fn expire(&mut self, now: Instant) -> Vec<MacAddr> {
        let old: Vec<MacAddr> = self
            .peers
            .values()
            .filter(|p| now.saturating_duration_since(p.last_seen) >= PEER_EXPIRY)
            .map(|p| p.dev_addr)
            .collect();
        for a in &old {
            self.peers.remove(a);
        }
        old
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

    pub fn clear(&mut self) {
        self.peers.clear();
    }

    pub fn len(&self) -> usize {
        self.peers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.peers.is_empty()
    }
}

impl Peer {
    /// The `P2P_PEER <addr>` reply body.
    pub fn info(&self, now: Instant) -> PeerInfo {
        let mut extra = vec![("age".to_owned(), now.saturating_duration_since(self.last_seen).as_secs().to_string())];
        if let Some(g) = &self.group {
            extra.push(("listen_freq".to_owned(), g.freq.to_string()));
            extra.push(("oper_freq".to_owned(), g.freq.to_string()));
            extra.push(("interface_addr".to_owned(), g.bssid.to_string()));
            extra.push(("oper_ssid".to_owned(), String::from_utf8_lossy(&g.ssid).into_owned()));
        }
        PeerInfo {
            p2p_dev_addr: self.dev_addr,
            pri_dev_type: self.pri_dev_type,
            device_name: self.name.clone(),
            manufacturer: String::new(),
            model_name: String::new(),
            model_number: String::new(),
            serial_number: String::new(),
            config_methods: self.config_methods,
            dev_capab: self.dev_capab,
            group_capab: self.group_capab,
            level: self.level,
            extra,
        }
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
            let bss = BssSighting { bssid: *bssid, freq: 2437, ies, signal_dbm: Some(-30) };
            if let Some(f) = peers.on_bss(now, bss) {
                found.get_or_insert(f);
            }
        }
        let f = found.expect("the GO is reported");
        let text = crate::ctrl::Event::DeviceFound(f).to_string();
        assert_eq!(
            text,
            "P2P-DEVICE-FOUND 06:00:00:00:00:00 p2p_dev_addr=42:00:00:00:00:00 pri_dev_type=1-0050F204-1 \
             name='wpas-0' config_methods=0x188 dev_capab=0x25 group_capab=0x9 new=1"
        );
        let go: MacAddr = "42:00:00:00:00:00".parse().unwrap();
        let peer = peers.get(&go).expect("kept in the table");
        let g = peer.group.as_ref().expect("its group");
        assert_eq!(g.ssid, b"DIRECT-q6");
        assert_eq!(g.bssid, "06:00:00:00:00:00".parse::<MacAddr>().unwrap());
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
            let bss = BssSighting { bssid: *bssid, freq: 2437, ies, signal_dbm: None };
            assert!(peers.on_bss(now, bss).is_none(), "a beacon alone does not name the GO");
        }
        let go: MacAddr = "42:00:00:00:00:00".parse().unwrap();
        assert!(peers.get(&go).is_some_and(|p| !p.reported), "known by its Device ID, not reported");
        let reports: Vec<bool> = go_probe_responses()
            .iter()
            .filter_map(|(bssid, ies)| peers.on_bss(now, BssSighting { bssid: *bssid, freq: 2437, ies, signal_dbm: None }))
            .map(|f| f.new)
            .collect();
        assert_eq!(reports.first(), Some(&true), "the first named sighting is new=1");
        assert!(reports[1..].iter().all(|n| !n), "later ones are updates");
    }

    #[test]
    fn first_next_walk_every_peer_once_and_expiry_drops_them() {
        let now = Instant::now();
        let mut peers = Peers::default();
        for (bssid, ies) in go_probe_responses() {
            peers.on_bss(now, BssSighting { bssid, freq: 2437, ies: &ies, signal_dbm: None });
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
        let bss = BssSighting { bssid: MacAddr([2, 0, 0, 0, 0, 9]), freq: 2412, ies: &ies, signal_dbm: None };
        assert!(peers.on_bss(Instant::now(), bss).is_none());
        // Garbage does not panic either.
        let junk = [221u8, 3, 0x50, 0x6f, 0x9a, 221, 200];
        let bss = BssSighting { ies: &junk, ..bss };
        assert!(peers.on_bss(Instant::now(), bss).is_none());
        assert!(peers.is_empty());
    }
}
