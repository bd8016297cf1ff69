#![allow(clippy::unwrap_used)]
//! AP, station, key, SME and control-port messages: this crate's request builders against
//! wpa_supplicant's requests (byte for byte), its event views against the kernel's events,
//! captured with nlmon in the hwsim guest while wpa_supplicant ran a WPA2-PSK AP (r0) and a
//! station joined it (r1) (tests/data/README.md: ap-r0.pcap, ap-r1.pcap).

mod common;

use common::{Captured, read_pcap};
use nl80211::ap::{self, ApSettings};
use nl80211::connect::{self, AssocParams, AuthParams, MlmeEvent};
use nl80211::ctrl::decode_family;
use nl80211::frame::{self, ControlPortRx, TxStatus};
use nl80211::key::{self, NewKey};
use nl80211::netlink::GENL_ID_CTRL;
use nl80211::scan::{self, ScanRequest};
use nl80211::station::{self, NewStation};
use nl80211::{Attr, Bss, Command, Event, IfTarget, KeyType, Message, akm, cipher, sta_flag};

const AP: &str = "ap-r0.pcap";
const STA: &str = "ap-r1.pcap";
const AP_ADDR: [u8; 6] = [2, 0, 0, 0, 0, 0];
const STA_ADDR: [u8; 6] = [2, 0, 0, 0, 1, 0];

fn nl80211_msgs(file: &str) -> Vec<Captured> {
    let all = read_pcap(file);
    let fam = all
        .iter()
        .filter(|m| !m.from_user && m.header.kind == GENL_ID_CTRL)
        .filter_map(|m| decode_family(m.payload()).ok())
        .find(|f| f.groups.iter().any(|(n, _)| n == "mlme"))
        .map(|f| f.id)
        .expect("nl80211 resolved in the capture");
    all.into_iter().filter(|m| m.header.kind == fam).collect()
}

fn decode(m: &Captured) -> Message {
    Message::decode_payload(m.payload()).unwrap_or_else(|e| panic!("packet {}: {e}", m.packet))
}

fn requests(file: &str, cmd: Command) -> Vec<(Captured, Message)> {
    nl80211_msgs(file)
        .iter()
        .filter(|m| m.from_user && m.genl_cmd() == Some(cmd.number()))
        .map(|m| (m.clone(), decode(m)))
        .collect()
}

fn events(file: &str) -> Vec<Event> {
    nl80211_msgs(file)
        .iter()
        .filter(|m| !m.from_user && m.header.seq == 0)
        .map(decode)
        .map(|m| Event { cmd: m.cmd, attrs: m.attrs, group: None })
        .collect()
}

fn assert_same_payload(ours: &Message, theirs: &Captured) {
    assert_eq!(hex::encode(ours.encode_payload()), hex::encode(theirs.payload()), "packet {}", theirs.packet);
}

#[test]
fn start_ap_equals_wpa_supplicants() {
    let reqs = requests(AP, Command::StartAp);
    assert_eq!(reqs.len(), 1);
    let (raw, m) = &reqs[0];
    let (target, s) = ApSettings::from_message(m).expect("START_AP");
    assert_same_payload(&ap::start_ap_request(target, &s), raw);
    assert_eq!(s.ssid, b"nl80211-test");
    assert_eq!((s.beacon_interval, s.privacy), (100, true));
    assert_eq!((s.crypto.wpa_versions, &s.crypto.akm[..], &s.crypto.pairwise[..]), (2, &[akm::PSK][..], &[cipher::CCMP][..]));
    assert!(s.crypto.control_port_over_nl80211);
    // The beacon head is a Beacon frame (0x80) from the AP, with the SSID element after the
    // 12 bytes of fixed fields.
    let head = &s.beacon.head;
    assert_eq!((head[0], &head[10..16]), (0x80, &AP_ADDR[..]));
    assert_eq!(&head[36..50], b"\x00\x0cnl80211-test");
}

#[test]
fn keys_equal_wpa_supplicants_and_both_sides_install_the_same_ones() {
    let mut installed = Vec::new();
    for f in [AP, STA] {
        for (raw, m) in requests(f, Command::NewKey) {
            let (target, k) = NewKey::from_message(&m).expect("NEW_KEY");
            assert_same_payload(&key::new_key_request(target, &k), &raw);
            assert_eq!(k.cipher, cipher::CCMP);
            installed.push((f, k));
        }
    }
    let find = |f: &str, t: KeyType| installed.iter().find(|(ff, k)| *ff == f && k.key_type == t).map(|(_, k)| k).unwrap();
    // The PTK's temporal key from the 4-way handshake and the GTK: the same on both sides.
    let (ap_ptk, sta_ptk) = (find(AP, KeyType::Pairwise), find(STA, KeyType::Pairwise));
    assert_eq!((ap_ptk.peer, sta_ptk.peer), (Some(STA_ADDR), Some(AP_ADDR)));
    assert_eq!(ap_ptk.data, sta_ptk.data);
    assert_eq!(ap_ptk.data.0.len(), 16);
    let (ap_gtk, sta_gtk) = (find(AP, KeyType::Group), find(STA, KeyType::Group));
    assert_eq!((ap_gtk.idx, sta_gtk.idx), (1, 1));
    assert!(installed.iter().any(|(f, k)| *f == AP && k.key_type == KeyType::Group && k.data == sta_gtk.data));

    let sets = requests(AP, Command::SetKey);
    assert!(!sets.is_empty());
    for (raw, m) in sets {
        let target = IfTarget::from_attrs(&m.attrs).unwrap();
        assert_same_payload(&key::set_default_key_request(target, 1), &raw);
    }
}

#[test]
fn stations_equal_wpa_supplicants() {
    let mut full = 0;
    for cmd in [Command::NewStation, Command::SetStation] {
        for (raw, m) in requests(AP, cmd) {
            let target = IfTarget::from_attrs(&m.attrs).unwrap();
            let kinds: Vec<u16> = m.attrs.iter().map(Attr::kind).collect();
            if kinds == [3, 6, 67] {
                // Flags only (authorize / unauthorize).
                let mac = *nl80211::attr!(m.attrs, Mac).unwrap();
                let flags = *nl80211::attr!(m.attrs, StaFlags2).unwrap();
                assert_same_payload(&station::set_station_flags_request(target, mac, flags), &raw);
            } else if kinds.contains(&19) {
                let (_, sta) = NewStation::from_message(&m).unwrap();
                let ours = if cmd == Command::NewStation {
                    station::new_station_request(target, &sta)
                } else {
                    station::set_station_request(target, &sta)
                };
                assert_same_payload(&ours, &raw);
                assert_eq!((sta.mac, sta.aid), (STA_ADDR, 1));
                full += 1;
            }
        }
    }
    assert!(full >= 2, "{full}");
    // The station side opens its port: SET_STATION authorized for the AP.
    let (raw, m) = requests(STA, Command::SetStation).pop().expect("SET_STATION");
    assert_same_payload(&station::set_station_authorized_request(IfTarget::from_attrs(&m.attrs).unwrap(), AP_ADDR, true), &raw);
    let flags = *nl80211::attr!(m.attrs, StaFlags2).unwrap();
    assert_eq!(flags, nl80211::StaFlagUpdate::default().with(sta_flag::AUTHORIZED, true));
    for (raw, m) in requests(AP, Command::DelStation) {
        let mac = nl80211::attr!(m.attrs, Mac).copied();
        assert_same_payload(&station::del_station_request(IfTarget::from_attrs(&m.attrs).unwrap(), mac, None), &raw);
    }
}

#[test]
fn authenticate_associate_deauthenticate_equal_wpa_supplicants() {
    let (raw, m) = requests(STA, Command::Authenticate).pop().expect("AUTHENTICATE");
    let (target, p) = AuthParams::from_message(&m).unwrap();
    assert_same_payload(&connect::authenticate_request(target, &p), &raw);
    assert_eq!((p.bssid, p.freq, &p.ssid[..]), (AP_ADDR, 2412, &b"nl80211-test"[..]));

    let (raw, m) = requests(STA, Command::Associate).pop().expect("ASSOCIATE");
    let (target, p) = AssocParams::from_message(&m).unwrap();
    assert_same_payload(&connect::associate_request(target, &p), &raw);
    assert!(p.socket_owner && p.crypto.control_port && p.crypto.control_port_over_nl80211);
    assert_eq!(p.ie[0], 0x30, "RSN element first in the association request IEs");

    let (raw, m) = requests(STA, Command::Deauthenticate).pop().expect("DEAUTHENTICATE");
    let reason = *nl80211::attr!(m.attrs, ReasonCode).unwrap();
    assert_same_payload(&connect::deauthenticate_request(IfTarget::from_attrs(&m.attrs).unwrap(), AP_ADDR, reason), &raw);
}

#[test]
fn mlme_events_of_the_station() {
    let ev: Vec<MlmeEvent> = events(STA).iter().filter_map(MlmeEvent::from_event).collect();
    let auth = ev.iter().find_map(|e| match e {
        MlmeEvent::Authenticate { frame } => Some(frame),
        _ => None,
    });
    assert_eq!(auth.expect("AUTHENTICATE event")[0], 0xb0);
    let assoc = ev.iter().find_map(|e| match e {
        MlmeEvent::Associate { frame } => Some(frame),
        _ => None,
    });
    assert_eq!(assoc.expect("ASSOCIATE event")[0], 0x10, "Association Response");
    assert!(ev.iter().any(|e| matches!(e, MlmeEvent::Connect { bssid: Some(b), status: Some(0), resp_ie: Some(_), .. } if *b == AP_ADDR)));
    assert!(ev.iter().any(|e| matches!(e, MlmeEvent::Deauth { frame } if frame[0] == 0xc0)));
    assert!(ev.iter().any(|e| matches!(e, MlmeEvent::Disconnect { reason: Some(3), .. })));
}

#[test]
fn eapol_over_nl80211_both_ways() {
    let mut sent: Vec<(&str, Vec<u8>)> = Vec::new();
    for (f, peer) in [(AP, STA_ADDR), (STA, AP_ADDR)] {
        for (raw, m) in requests(f, Command::ControlPortFrame) {
            let target = IfTarget::from_attrs(&m.attrs).unwrap();
            let body = nl80211::attr!(m.attrs, Frame).unwrap().clone();
            assert_eq!(nl80211::attr!(m.attrs, Mac), Some(&peer));
            let no_encrypt = nl80211::has_flag!(m.attrs, ControlPortNoEncrypt);
            assert_same_payload(&frame::control_port_frame_request(target, peer, &body, no_encrypt), &raw);
            assert_eq!(body[1], 3, "EAPOL-Key");
            sent.push((f, body));
        }
        let statuses: Vec<TxStatus> = events(f).iter().filter_map(TxStatus::from_event).collect();
        assert!(statuses.iter().any(|s| s.ack), "{f}: no acknowledged control-port frame");
    }
    // What one side sent is what the other received (messages 1..4 of the 4-way handshake).
    for (f, other) in [(AP, STA), (STA, AP)] {
        let received: Vec<ControlPortRx> = events(other).iter().filter_map(ControlPortRx::from_event).collect();
        for (_, body) in sent.iter().filter(|(ff, _)| *ff == f) {
            let rx = received.iter().find(|r| &r.body == body).unwrap_or_else(|| panic!("{other} did not get a frame of {f}"));
            assert_eq!(rx.ethertype, frame::ETH_P_PAE);
            assert_eq!(rx.src, if f == AP { AP_ADDR } else { STA_ADDR });
        }
    }
    assert!(sent.len() >= 4, "{}", sent.len());
}

#[test]
fn station_scan_finds_the_ap() {
    let (raw, m) = requests(STA, Command::TriggerScan).pop().expect("TRIGGER_SCAN");
    let (target, req) = ScanRequest::from_message(&m).unwrap();
    assert_same_payload(&scan::trigger_scan_request(target, &req), &raw);
    assert_eq!(req.freqs, vec![2412]);
    let results: Vec<Message> = nl80211_msgs(STA)
        .iter()
        .filter(|m| !m.from_user && m.header.seq != 0 && m.genl_cmd() == Some(Command::NewScanResults.number()))
        .map(decode)
        .collect();
    let bss = Bss::from_messages(&results);
    let ap = bss.iter().find(|b| b.bssid == AP_ADDR).expect("the AP in the scan results");
    assert_eq!(ap.freq, 2412);
    assert!(ap.ies.starts_with(b"\x00\x0cnl80211-test"));
    assert!(ap.ies.windows(2).any(|w| w == [0x30, 0x14]), "RSN element");
    assert_eq!(ap.capability.map(|c| c & 0x0011), Some(0x0011), "ESS and Privacy bits");
}
