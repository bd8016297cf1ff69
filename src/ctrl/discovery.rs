//! wpa_supplicant's text for what discovery reports: the `p2p` layer's domain types
//! ([`Found`], [`Peer`], [`discovery::Event`], [`PdOutcome`]) turned into control-interface
//! events and replies, and `P2P_FIND` arguments turned into the machine's [`Find`].

use std::time::{Duration, Instant};

use super::event::{DeviceFound, Event, ProvDiscDetails, ProvDiscPeer};
use super::pin::Pin;
use super::reply::{DeviceType, PeerInfo};
use super::request::{FindParams, FindType, ProvDiscMethod};
use crate::ieee80211::MacAddr;
use crate::p2p::discovery::{self, Find, FindKind};
use crate::p2p::pd::{PdAnswer, PdMethod, PdPeer};
use crate::p2p::pd_request::{Asked, PdOutcome};
use crate::p2p::peers::{Found, Peer};

fn device_type(t: crate::p2p::wire::DeviceType) -> DeviceType {
    DeviceType::from_bytes(t.to_bytes())
}

impl From<Found> for DeviceFound {
    fn from(f: Found) -> DeviceFound {
        DeviceFound {
            addr: f.addr,
            p2p_dev_addr: f.dev_addr,
            pri_dev_type: device_type(f.pri_dev_type),
            name: f.name,
            config_methods: f.config_methods,
            dev_capab: f.dev_capab,
            group_capab: f.group_capab,
            wfd_dev_info: None,
            new: f.new,
        }
    }
}

impl PeerInfo {
    /// `P2P_PEER <addr>` for a peer of the table, with the lines wpa_supplicant 2.10
    /// writes after `level=` (`p2p_get_peer_info_txt`), in its order; `flags=` carries
    /// `[PROBE_REQ_ONLY]` and `[REPORTED]` (scripts filter on them). A GO's group adds
    /// `oper_ssid=`.
    pub fn from_peer(p: &Peer, now: Instant) -> PeerInfo {
        let zero = MacAddr::default().to_string();
        let group = p.group.as_ref();
        let country = p.country.map_or_else(
            || "__".to_owned(),
            |c| c.iter().map(|&b| if b == 0 { '_' } else { char::from(b) }).collect(),
        );
        let mut flags = String::new();
        if p.probe_req_only {
            flags.push_str("[PROBE_REQ_ONLY]");
        }
        if p.reported {
            flags.push_str("[REPORTED]");
        }
        let mut extra: Vec<(String, String)> = [
            ("age", now.saturating_duration_since(p.last_seen).as_secs().to_string()),
            ("listen_freq", p.listen_freq.unwrap_or(0).to_string()),
            ("wps_method", "not-ready".to_owned()),
            ("interface_addr", group.map_or(zero.clone(), |g| g.bssid.to_string())),
            ("member_in_go_dev", zero.clone()),
            ("member_in_go_iface", zero.clone()),
            ("go_neg_req_sent", "0".to_owned()),
            ("go_state", "unknown".to_owned()),
            ("dialog_token", "0".to_owned()),
            ("intended_addr", zero),
            ("country", country),
            ("oper_freq", group.map_or(0, |g| g.freq).to_string()),
            ("req_config_methods", "0x0".to_owned()),
            ("flags", flags),
            ("status", "0".to_owned()),
            ("invitation_reqs", "0".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        if let Some(g) = group {
            extra.push(("oper_ssid".to_owned(), String::from_utf8_lossy(&g.ssid).into_owned()));
        }
        PeerInfo {
            p2p_dev_addr: p.dev_addr,
            pri_dev_type: device_type(p.pri_dev_type),
            device_name: p.name.clone(),
            manufacturer: p.manufacturer.clone(),
            model_name: p.model_name.clone(),
            model_number: p.model_number.clone(),
            serial_number: p.serial_number.clone(),
            config_methods: p.config_methods,
            dev_capab: p.dev_capab,
            group_capab: p.group_capab,
            level: p.level,
            extra,
        }
    }
}

/// The control event for a discovery event (`p2p_state=` changes have none).
pub fn discovery_event(e: discovery::Event) -> Option<Event> {
    match e {
        discovery::Event::DeviceFound(f) => Some(Event::DeviceFound(f.into())),
        discovery::Event::DeviceLost { dev_addr } => Some(Event::DeviceLost { p2p_dev_addr: dev_addr }),
        discovery::Event::FindStopped => Some(Event::FindStopped),
        discovery::Event::State(_) => None,
    }
}

/// The control event that ends a provision discovery we sent. [`PdOutcome::ShowPin`]
/// needs the PIN our user is shown (the caller generates it).
pub fn pd_outcome_event(peer: MacAddr, outcome: PdOutcome, pin: Option<Pin>) -> Option<Event> {
    let response = || ProvDiscDetails::Response { peer_go: None };
    Some(match outcome {
        PdOutcome::PbcResp => Event::ProvDiscPbcResp { peer, peer_go: None },
        PdOutcome::EnterPin => Event::ProvDiscEnterPin { peer, details: response() },
        PdOutcome::ShowPin => Event::ProvDiscShowPin { peer, pin: pin?, details: response() },
        PdOutcome::Failed(f) => Event::ProvDiscFailure { p2p_dev_addr: peer, status: Some(f.status()) },
    })
}

impl From<ProvDiscMethod> for Asked {
    fn from(m: ProvDiscMethod) -> Asked {
        match m {
            ProvDiscMethod::Display => Asked::Display,
            ProvDiscMethod::Keypad => Asked::Keypad,
            ProvDiscMethod::Pbc => Asked::Pbc,
        }
    }
}

impl FindParams {
    /// The machine's find. `timeout=0` means no timeout, as in hostap.
    pub fn to_find(&self) -> Find {
        Find {
            timeout: self.timeout.filter(|t| *t > 0).map(|t| Duration::from_secs(t.into())),
            kind: match self.find_type {
                FindType::StartWithFull => FindKind::StartWithFull,
                FindType::Social => FindKind::Social,
                FindType::Progressive => FindKind::Progressive,
            },
            dev_id: self.dev_id,
            delay: self.delay.filter(|d| *d > 0).map(|d| Duration::from_secs(d.into())),
            freq: self.freq,
        }
    }
}

impl From<&PdPeer> for ProvDiscPeer {
    fn from(p: &PdPeer) -> Self {
        ProvDiscPeer {
            p2p_dev_addr: p.p2p_dev_addr,
            pri_dev_type: p.pri_dev_type,
            name: p.name.clone(),
            config_methods: p.config_methods,
            dev_capab: p.dev_capab,
            group_capab: p.group_capab,
            group: p.group.clone(),
        }
    }
}

/// The event for a provision discovery request we accepted, as wpa_supplicant words it;
/// `None` for a refused one. [`PdMethod::ShowPin`] needs the PIN we show (the GO generates
/// it, and arms its registrar with it when the user confirms, or at once): without
/// `pin_to_show` it gives `None` too.
pub fn pd_request_event(answer: &PdAnswer, pin_to_show: Option<Pin>) -> Option<Event> {
    let peer = answer.peer_addr;
    let details = ProvDiscPeer::from(&answer.peer);
    match answer.decision.ok()? {
        PdMethod::PushButton => Some(Event::ProvDiscPbcReq { peer, details }),
        PdMethod::EnterPin => Some(Event::ProvDiscEnterPin { peer, details: ProvDiscDetails::Request(details) }),
        PdMethod::ShowPin => Some(Event::ProvDiscShowPin { peer, pin: pin_to_show?, details: ProvDiscDetails::Request(details) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::p2p::peers::GroupSeen;

    fn mac(s: &str) -> MacAddr {
        s.parse().expect("mac")
    }

    /// The same peer as `testdata/replies/p2p-peer-0.txt`, wpa_supplicant 2.10's own
    /// `P2P_PEER` reply (hwsim): the text must be identical.
    #[test]
    fn p2p_peer_text_is_wpa_supplicants() {
        let now = Instant::now();
        let p = Peer {
            dev_addr: mac("42:00:00:00:01:00"),
            name: "wpas-1".into(),
            pri_dev_type: crate::p2p::wire::DeviceType::new(1, 1),
            config_methods: 0x188,
            dev_capab: 0x25,
            group_capab: 0,
            manufacturer: " ".into(),
            model_name: " ".into(),
            model_number: " ".into(),
            serial_number: " ".into(),
            level: -50,
            listen_freq: Some(2412),
            country: Some(*b"US"),
            group: None,
            last_seen: now,
            probe_req_only: false,
            reported: true,
        };
        assert_eq!(
            PeerInfo::from_peer(&p, now).to_reply().to_text(),
            include_str!("testdata/replies/p2p-peer-0.txt")
        );
        // A peer seen only through its probe requests, 7 s ago, never reported.
        let q = Peer { probe_req_only: true, reported: false, country: None, ..p.clone() };
        let text = PeerInfo::from_peer(&q, now + Duration::from_secs(7)).to_reply().to_text();
        assert!(text.contains("\nage=7\n"), "{text}");
        assert!(text.contains("\ncountry=__\n"), "{text}");
        assert!(text.contains("\nflags=[PROBE_REQ_ONLY]\n"), "{text}");
        // A GO: its interface address, operating frequency and SSID.
        let g = Peer {
            group: Some(GroupSeen {
                bssid: mac("06:00:00:00:00:00"),
                ssid: b"DIRECT-q6".to_vec(),
                freq: 2437,
                rsne: None,
                selected_registrar: false,
                seen: now,
            }),
            ..p
        };
        let text = PeerInfo::from_peer(&g, now).to_reply().to_text();
        assert!(text.contains("\ninterface_addr=06:00:00:00:00:00\n"), "{text}");
        assert!(text.contains("\noper_freq=2437\n"), "{text}");
        assert!(text.ends_with("invitation_reqs=0\noper_ssid=DIRECT-q6\n"), "{text}");
    }

    #[test]
    fn pd_outcomes_read_as_wpa_supplicant_writes_them() {
        let peer = mac("42:00:00:00:01:00");
        let text = |o, pin| pd_outcome_event(peer, o, pin).map(|e| e.to_string());
        assert_eq!(text(PdOutcome::PbcResp, None).as_deref(), Some("P2P-PROV-DISC-PBC-RESP 42:00:00:00:01:00"));
        assert_eq!(text(PdOutcome::EnterPin, None).as_deref(), Some("P2P-PROV-DISC-ENTER-PIN 42:00:00:00:01:00"));
        assert_eq!(text(PdOutcome::ShowPin, None), None, "showing needs a PIN");
        let pin = Pin::parse("12345670").expect("pin");
        assert_eq!(
            text(PdOutcome::ShowPin, Some(pin)).as_deref(),
            Some("P2P-PROV-DISC-SHOW-PIN 42:00:00:00:01:00 12345670")
        );
        use crate::p2p::pd_request::PdFailure;
        assert_eq!(
            text(PdOutcome::Failed(PdFailure::Timeout), None).as_deref(),
            Some("P2P-PROV-DISC-FAILURE p2p_dev_addr=42:00:00:00:01:00 status=1")
        );
        assert_eq!(
            text(PdOutcome::Failed(PdFailure::Rejected), None).as_deref(),
            Some("P2P-PROV-DISC-FAILURE p2p_dev_addr=42:00:00:00:01:00 status=2")
        );
    }

    #[test]
    fn find_arguments() {
        let p = FindParams { timeout: Some(5), find_type: FindType::Social, delay: Some(0), ..Default::default() };
        let f = p.to_find();
        assert_eq!(f.timeout, Some(Duration::from_secs(5)));
        assert_eq!(f.kind, FindKind::Social);
        assert_eq!(f.delay, None);
        assert_eq!(FindParams { timeout: Some(0), ..Default::default() }.to_find().timeout, None);
    }
}

