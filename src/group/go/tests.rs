#![allow(clippy::unwrap_used)]
//! The GO machine against real wpa_supplicant frames (nl80211/tests/data/ap-r0.pcap: a
//! wpa_supplicant station joining a WPA2-PSK AP in the hwsim guest, passphrase
//! "password123", SSID "nl80211-test"), and against our own join machine end to end.

use std::time::{Duration, Instant};

use super::*;
use crate::eapol::SeededRandom;
use crate::eapol::wire::IpAllocation;
use crate::ieee80211::{AuthAlgorithm, AuthRepr, IeWriter, Rate, StatusCode};
use crate::p2p::wire::{
    Capability, ConfigMethods as P2pConfigMethods, DeviceCapability, DeviceDescription, DeviceInfo, DeviceType as P2pDeviceType,
    GroupCapability,
};
use wps::attr::{DevicePasswordId, DeviceType as WscDeviceType, RfBands, VERSION2, WfaSubelement};
use wps::pin::DevicePassword;
use crate::eapol::wire::KeyFrame;
use crate::group::client::{self, Client, ClientConfig, ClientEvent, ClientInput, ClientOutput, JoinTarget};

const AP_PCAP: &[u8] = include_bytes!("../../../nl80211/tests/data/ap-r0.pcap");
const AP: MacAddr = MacAddr([2, 0, 0, 0, 0, 0]);
const STA: MacAddr = MacAddr([2, 0, 0, 0, 1, 0]);
const DEV: MacAddr = MacAddr([0x42, 0, 0, 0, 0, 0]);

/// A pool handing out 192.168.49.2, .3, ... and remembering what it released.
#[derive(Default)]
struct TestPool {
    next: u8,
    given: Vec<(MacAddr, Ipv4Addr)>,
    released: std::sync::Arc<std::sync::Mutex<Vec<MacAddr>>>,
}

impl IpPool for TestPool {
    fn allocate(&mut self, _now: Instant, sta: MacAddr) -> Option<Ipv4Addr> {
        if let Some((_, ip)) = self.given.iter().find(|(m, _)| *m == sta) {
            return Some(*ip);
        }
        let ip = Ipv4Addr::new(192, 168, 49, 2 + self.next);
        self.next += 1;
        self.given.push((sta, ip));
        Some(ip)
    }
    fn release(&mut self, sta: MacAddr) {
        self.given.retain(|(m, _)| *m != sta);
        self.released.lock().unwrap().push(sta);
    }
}

/// Hands out scripted bytes first, then a seeded stream.
struct Scripted {
    queue: Vec<Vec<u8>>,
    rest: SeededRandom,
}

impl RandomSource for Scripted {
    fn fill(&mut self, dest: &mut [u8]) {
        if !self.queue.is_empty() && self.queue[0].len() == dest.len() {
            dest.copy_from_slice(&self.queue.remove(0));
        } else {
            self.rest.fill(dest);
        }
    }
}

fn identity() -> GoIdentity {
    GoIdentity {
        dev_addr: DEV,
        device_name: "directd-test".into(),
        uuid: [5; 16],
        manufacturer: "directd".into(),
        model_name: "directd".into(),
        model_number: "0".into(),
    }
}

fn go_with(ssid: &[u8], passphrase: &str, rng: Box<dyn RandomSource + Send>, released: std::sync::Arc<std::sync::Mutex<Vec<MacAddr>>>) -> Go<TestPool> {
    let cfg = GoConfig {
        bssid: AP,
        identity: identity(),
        ssid: ssid.to_vec(),
        passphrase: Zeroizing::new(passphrase.to_owned()),
        freq: 2412,
        ip: Some((Ipv4Addr::new(192, 168, 49, 1), Ipv4Addr::new(255, 255, 255, 0))),
        wps_lockout: DEFAULT_WPS_LOCKOUT,
        persistent: false,
        persistent_reconnect: false,
    };
    let mut seed = 0u64;
    let factory: WpsRngFactory = Box::new(move || {
        seed += 1;
        Box::new(wps::rng::SeededRng::new(seed))
    });
    let pool = TestPool { released, ..Default::default() };
    Go::new(cfg, pool, factory, rng).expect("valid group")
}

fn drain(go: &mut Go<TestPool>) -> Vec<GoOutput> {
    std::iter::from_fn(|| go.poll_output()).collect()
}

/// (from user space?, genl command, attributes) of every nl80211 message in a capture.
fn captured_frames(pcap: &[u8]) -> Vec<(bool, nl80211::Message)> {
    let mut out = Vec::new();
    let mut off = 24;
    while off + 16 <= pcap.len() {
        let incl = u32::from_le_bytes(pcap[off + 8..off + 12].try_into().unwrap()) as usize;
        let rec = &pcap[off + 16..off + 16 + incl];
        off += 16 + incl;
        // After the 16-byte Linux cooked header, the netlink message; requests carry
        // NLM_F_REQUEST (0x1) in their flags.
        let nl = &rec[16..];
        if nl.len() < 20 {
            continue;
        }
        let from_user = u16::from_le_bytes([nl[6], nl[7]]) & 1 != 0;
        let len = u32::from_le_bytes(nl[0..4].try_into().unwrap()) as usize;
        if let Ok(m) = nl80211::Message::decode_payload(&nl[16..len.min(nl.len())]) {
            out.push((from_user, m));
        }
    }
    out
}

fn frame_attr(m: &nl80211::Message) -> Option<Vec<u8>> {
    nl80211::attr!(m.attrs, Frame).cloned()
}

#[test]
fn answers_a_real_station_as_wpa_supplicants_ap_did() {
    let msgs = captured_frames(AP_PCAP);
    let rx = |subtype: u8| {
        msgs.iter()
            .filter(|(u, m)| !*u && m.cmd == nl80211::Command::Frame)
            .filter_map(|(_, m)| frame_attr(m))
            .find(|f| f[0] == subtype && f[10..16] == STA.0)
            .expect("frame in the capture")
    };
    let tx = |subtype: u8| {
        msgs.iter()
            .filter(|(u, m)| *u && m.cmd == nl80211::Command::Frame)
            .filter_map(|(_, m)| frame_attr(m))
            .find(|f| f[0] == subtype && f[4..10] == STA.0)
            .expect("frame in the capture")
    };
    let eapol_tx: Vec<Vec<u8>> = msgs
        .iter()
        .filter(|(u, m)| *u && m.cmd == nl80211::Command::ControlPortFrame)
        .filter_map(|(_, m)| frame_attr(m))
        .collect();
    let eapol_rx: Vec<Vec<u8>> = msgs
        .iter()
        .filter(|(u, m)| !*u && m.cmd == nl80211::Command::ControlPortFrame)
        .filter_map(|(_, m)| frame_attr(m))
        .collect();
    // wpa_supplicant's first message 1 and the station's answer to it (replay counter 1).
    let msg1 = eapol_tx[0].clone();
    let msg2 = eapol_rx.iter().find(|f| f[16] == 1).expect("message 2").clone();
    let anonce = msg1[17..49].to_vec();
    let rng = Scripted { queue: vec![anonce], rest: SeededRandom::new([1; 32]) };
    let released = Default::default();
    let mut go = go_with(b"nl80211-test", "password123", Box::new(rng), released);
    let now = Instant::now();
    assert!(matches!(drain(&mut go)[..], [GoOutput::InstallGtk { key_idx: 1, .. }]));

    // Authentication: the same response wpa_supplicant sent, byte for byte.
    go.handle_input(now, GoInput::Frame(&rx(0xb0)));
    let outs = drain(&mut go);
    assert!(matches!(outs[0], GoOutput::DelStation { addr } if addr == STA));
    let GoOutput::SendFrame { frame, no_ack: false } = &outs[1] else { panic!("{outs:?}") };
    assert_eq!(frame, &tx(0xb0));

    // Association: the station as wpa_supplicant added it (SET_STATION in the capture).
    go.handle_input(now, GoInput::Frame(&rx(0x00)));
    let outs = drain(&mut go);
    let GoOutput::NewStation(p) = &outs[0] else { panic!("{outs:?}") };
    let theirs = msgs
        .iter()
        .filter(|(u, m)| *u && m.cmd == nl80211::Command::SetStation)
        .find_map(|(_, m)| nl80211::station::NewStation::from_message(m).map(|(_, s)| s).filter(|s| !s.supported_rates.is_empty()))
        .expect("SET_STATION with the station's parameters");
    assert_eq!(
        (p.addr.0, p.aid, p.capability, p.listen_interval, &p.rates),
        (theirs.mac, theirs.aid, theirs.capability.unwrap(), theirs.listen_interval, &theirs.supported_rates)
    );
    // (wpa_supplicant also passed the station's HT capabilities, masked by its own; our
    // group is non-HT, so the station is added without them.)
    let GoOutput::SendFrame { frame, .. } = &outs[1] else { panic!("{outs:?}") };
    let resp = MgmtRepr::parse_bytes(frame).unwrap();
    let MgmtBody::AssocResponse(r) = &resp.body else { panic!("{resp:?}") };
    assert_eq!((r.status, r.aid()), (StatusCode::SUCCESS, 1));

    // The response is out: message 1 as wpa_supplicant sent it (same ANonce, counter 1).
    go.handle_input(now, GoInput::TxStatus { frame, ack: true });
    let outs = drain(&mut go);
    let GoOutput::SendEapol { dest, pdu } = &outs[0] else { panic!("{outs:?}") };
    assert_eq!(*dest, STA);
    assert_eq!(hex::encode(pdu), hex::encode(&msg1));

    // The real station's message 2 checks out (MIC under the PSK of password123): message 3.
    go.handle_input(now, GoInput::Eapol { src: STA, pdu: &msg2 });
    let outs = drain(&mut go);
    let GoOutput::SendEapol { pdu, .. } = &outs[0] else { panic!("{outs:?}") };
    let m3 = KeyFrame::parse(pdu).expect("EAPOL-Key");
    assert!(m3.key_info.install() && m3.key_info.ack() && m3.key_info.mic() && m3.key_info.encrypted_key_data());
}

fn pbc_client(now0: Instant) -> Client {
    client_with(now0, DevicePassword::pbc())
}

fn client_with(now0: Instant, password: DevicePassword) -> Client {
    client_named(now0, password, b"client")
}

fn client_named(now0: Instant, password: DevicePassword, name: &[u8]) -> Client {
    let rsne = Some(client::own_rsne());
    let target = JoinTarget { go_dev_addr: DEV, bssid: AP, ssid: b"DIRECT-zz".to_vec(), freq: 2412, rsne };
    let enrollee = wps::enrollee::EnrolleeConfig::new([8; 16], STA.0, password);
    let p2p_ie = P2pIe::new(vec![
        Attribute::Capability(Capability { device: DeviceCapability::CONCURRENT_OPERATION, group: GroupCapability::empty() }),
        Attribute::DeviceInfo(DeviceInfo {
            device_addr: MacAddr([0x42, 0, 0, 0, 1, 0]),
            desc: DeviceDescription {
                config_methods: P2pConfigMethods::from_bits_retain(0x0188),
                primary_type: P2pDeviceType::new(1, 1),
                secondary_types: Vec::new(),
                name: name.to_vec(),
            },
        }),
    ])
    .to_ies()
    .unwrap();
    let cfg = ClientConfig { target, own_addr: STA, enrollee, p2p_ie, request_ip: true, assoc_attempts: crate::group::client::ASSOC_ATTEMPTS };
    let mut seed = 100u64;
    let factory: client::WpsRngFactory = Box::new(move || {
        seed += 1;
        Box::new(wps::rng::SeededRng::new(seed))
    });
    Client::new(cfg, factory, Box::new(SeededRandom::new([4; 32])), now0)
}

/// Runs our join machine against our GO over a little "air" that plays cfg80211's SME
/// for the client (authentication + association from CONNECT), on virtual time. The GO's
/// button is pressed `arm_after` the start (`None`: the test armed WPS itself). Returns the
/// client's allocation (`None` if the join failed), the GO's events and the virtual time.
fn join(go: &mut Go<TestPool>, c: &mut Client, now0: Instant, arm_after: Option<Duration>) -> (Option<IpAllocation>, Vec<GoEvent>, Duration) {
    join_on_air(go, c, now0, arm_after, 0, false)
}

fn join_losing_msg4(go: &mut Go<TestPool>, c: &mut Client, now0: Instant, arm_after: Option<Duration>, lose: u32) -> (Option<IpAllocation>, Vec<GoEvent>, Duration) {
    join_on_air(go, c, now0, arm_after, lose, false)
}

/// `join`, with the client's first `lose` 4-way messages 4 lost on the air (the GO then
/// retransmits message 3, and after its retries starts over from message 1), and with
/// `late_leave` the kernel's report of the client's own leave after WPS held back until
/// the client has asked for its next association (seen on a loaded guest).
fn join_on_air(go: &mut Go<TestPool>, c: &mut Client, now0: Instant, arm_after: Option<Duration>, mut lose: u32, late_leave: bool) -> (Option<IpAllocation>, Vec<GoEvent>, Duration) {
    // The first report of a disconnection (ours or the GO's), held back when `late_leave`.
    let mut held_leave: Option<(u16, bool)> = None;
    let mut hold_next = late_leave;
    let mut now = now0;
    let mut armed = arm_after.is_none();
    let arm_after = arm_after.unwrap_or_default();
    let mut failed = false;
    let mut started = None;
    let mut go_events = Vec::new();
    for _ in 0..2000 {
        if !armed && now >= now0 + arm_after {
            armed = true;
            go.handle_input(now, GoInput::WpsPbc);
        }
        let mut progressed = false;
        while let Some(o) = c.poll_output() {
            progressed = true;
            match o {
                ClientOutput::Connect(a) => {
                    let auth = MgmtRepr::new(AP, STA, AP, MgmtBody::Auth(AuthRepr { algorithm: AuthAlgorithm::OPEN_SYSTEM, transaction: 1, status: StatusCode::SUCCESS, ies: vec![] }));
                    go.handle_input(now, GoInput::Frame(&auth.to_vec()));
                    let mut ies = IeWriter::new();
                    ies.ssid(&a.ssid).unwrap();
                    ies.rates(&Rate::OFDM).unwrap();
                    let mut ies = ies.finish();
                    ies.extend_from_slice(&a.ies);
                    let body = crate::ieee80211::AssocRequestRepr { capability: CapabilityInfo::ESS, listen_interval: 5, ies };
                    go.handle_input(now, GoInput::Frame(&MgmtRepr::new(AP, STA, AP, MgmtBody::AssocRequest(body)).to_vec()));
                    if let Some((reason, by_ap)) = held_leave.take() {
                        c.handle_input(now, ClientInput::Disconnected { reason, by_ap });
                    }
                }
                ClientOutput::Disconnect { reason } => {
                    let deauth = MgmtRepr::new(AP, STA, AP, MgmtBody::Deauth(ReasonRepr { reason: ReasonCode(reason), ies: vec![] }));
                    go.handle_input(now, GoInput::Frame(&deauth.to_vec()));
                    if hold_next {
                        hold_next = false;
                        held_leave = Some((reason, false));
                    } else {
                        c.handle_input(now, ClientInput::Disconnected { reason, by_ap: false });
                    }
                }
                ClientOutput::SendEapol { pdu, .. } => {
                    // Message 4: MIC and Secure set, no ACK request (message 2 has no Secure).
                    let msg4 = KeyFrame::parse(&pdu).is_ok_and(|k| k.key_info.mic() && k.key_info.secure() && !k.key_info.ack());
                    if msg4 && lose > 0 {
                        lose -= 1;
                        continue;
                    }
                    go.handle_input(now, GoInput::Eapol { src: STA, pdu: &pdu })
                }
                ClientOutput::Event(ClientEvent::Started { ip, .. }) => started = Some(ip),
                ClientOutput::Event(ClientEvent::FormationFailed { .. }) => failed = true,
                _ => {}
            }
        }
        while let Some(o) = go.poll_output() {
            progressed = true;
            match o {
                GoOutput::SendFrame { frame, no_ack } => {
                    let m = MgmtRepr::parse_bytes(&frame).unwrap();
                    match m.body {
                        MgmtBody::AssocResponse(r) => {
                            c.handle_input(now, ClientInput::ConnectResult { status: r.status.0 });
                            assert!(!no_ack);
                            go.handle_input(now, GoInput::TxStatus { frame: &frame, ack: true });
                        }
                        MgmtBody::Deauth(r) if m.header.addr1 == STA => {
                            if hold_next {
                                hold_next = false;
                                held_leave = Some((r.reason.0, true));
                            } else {
                                c.handle_input(now, ClientInput::Disconnected { reason: r.reason.0, by_ap: true })
                            }
                        }
                        _ => {}
                    }
                }
                GoOutput::SendEapol { pdu, .. } => c.handle_input(now, ClientInput::Eapol { src: AP, pdu: &pdu, unencrypted: true }),
                GoOutput::Event(e) => go_events.push(e),
                _ => {}
            }
        }
        if failed || (started.is_some() && go_events.iter().any(|e| matches!(e, GoEvent::StaConnected { .. }))) {
            break;
        }
        if !progressed {
            let mut next = [c.poll_timeout(), go.poll_timeout()].into_iter().flatten().min().expect("a timer");
            if !armed {
                next = next.min(now0 + arm_after);
            }
            now = next.max(now);
            c.handle_timeout(now);
            go.handle_timeout(now);
        }
    }
    (started.flatten(), go_events, now - now0)
}

#[test]
fn our_client_joins_by_pbc_and_gets_an_address() {
    let now0 = Instant::now();
    let released: std::sync::Arc<std::sync::Mutex<Vec<MacAddr>>> = Default::default();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), released.clone());
    drain(&mut go);
    go.handle_input(now0, GoInput::WpsPbc);
    assert!(drain(&mut go).iter().any(|o| matches!(o, GoOutput::Event(GoEvent::PbcActive))));
    let beacon = go.beacon().unwrap();
    let wsc = wps::ie::BeaconWsc::parse(&wps::ie::wsc_payload(&beacon.tail).unwrap().unwrap()).unwrap();
    assert!(wsc.selected_registrar.is_selected(), "Selected Registrar in the beacon WSC IE");
    // wpa_supplicant's PIN enrollee needs its address (or broadcast) in AuthorizedMACs.
    assert!(wsc.wfa.contains(&WfaSubelement::AuthorizedMacs(vec![[0xff; 6]])), "{:?}", wsc.wfa);

    let mut c = pbc_client(now0);
    let (ip, go_events, took) = join(&mut go, &mut c, now0, Some(Duration::ZERO));
    assert!(took < Duration::from_secs(10), "took {took:?} of virtual time");
    let ip = ip.expect("an address in message 3");
    assert_eq!((ip.ip, ip.go_ip), (Ipv4Addr::new(192, 168, 49, 2), Ipv4Addr::new(192, 168, 49, 1)));
    assert!(go_events.iter().any(|e| matches!(e, GoEvent::RegSuccess { enrollee, .. } if *enrollee == STA)), "{go_events:?}");
    assert!(go_events.contains(&GoEvent::StaConnected {
        addr: STA,
        p2p_dev_addr: Some(MacAddr([0x42, 0, 0, 0, 1, 0])),
        ip: Some(Ipv4Addr::new(192, 168, 49, 2))
    }));
    // PBC is single-use; the client shows in Group Info.
    assert_eq!(go.wps_state(), None);
    let presp = go.probe_response(MacAddr::BROADCAST).unwrap();
    let m = MgmtRepr::parse_bytes(&presp).unwrap();
    let MgmtBody::ProbeResponse(b) = m.body else { panic!() };
    let ie = P2pIe::from_ies(&b.ies).unwrap().unwrap();
    let Some(Attribute::GroupInfo(g)) = ie.get(crate::p2p::wire::AttributeId::GROUP_INFO) else { panic!("{ie:?}") };
    assert_eq!((g.len(), g[0].interface_addr), (1, STA));

    // The client leaves: reported, address freed.
    let now = now0 + took;
    go.handle_input(now, GoInput::Frame(&MgmtRepr::new(AP, STA, AP, MgmtBody::Deauth(ReasonRepr { reason: ReasonCode::DEAUTH_LEAVING, ies: vec![] })).to_vec()));
    let outs = drain(&mut go);
    assert!(outs.iter().any(|o| matches!(o, GoOutput::Event(GoEvent::StaDisconnected { addr, .. }) if *addr == STA)));
    assert_eq!(released.lock().unwrap().last(), Some(&STA));
    assert!(go.clients().is_empty());
}

/// The GO never got our message 4 (lost, or later than its retransmission timer, as seen
/// against a loaded wpa_supplicant GO): it retransmits message 3, then starts the handshake
/// over from message 1. The client already reported the group up; it must still answer
/// both, so that the GO completes too (hwtests' "the GO did not report the client").
#[test]
fn the_client_answers_the_gos_retransmissions_after_its_group_is_up() {
    for lose in [1, 3] {
        let now0 = Instant::now();
        let released: std::sync::Arc<std::sync::Mutex<Vec<MacAddr>>> = Default::default();
        let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), released);
        drain(&mut go);
        go.handle_input(now0, GoInput::WpsPbc);
        drain(&mut go);
        let mut c = pbc_client(now0);
        let (ip, go_events, took) = join_losing_msg4(&mut go, &mut c, now0, None, lose);
        assert!(ip.is_some(), "the client reported the group up (lose {lose})");
        assert!(
            go_events.iter().any(|e| matches!(e, GoEvent::StaConnected { addr, .. } if *addr == STA)),
            "the GO completed its handshake too (lose {lose}, {took:?}): {go_events:?}"
        );
        assert!(c.is_up(), "still in the group (lose {lose})");
    }
}

/// A late duplicate of the client's association request reaches the GO after the
/// handshake (seen with a loaded wpa_supplicant GO: mac80211 repeated the request every
/// 100 ms, the GO answered each and restarted the 4-way for the last one): the GO has no
/// key for the client any more and starts over in the clear. The client must answer in
/// the clear (an encrypted message 2 could never be read) until the new key is in, and
/// the group stays up.
#[test]
fn a_4way_restarted_in_the_clear_after_the_group_is_up_is_answered_in_the_clear() {
    let now0 = Instant::now();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    drain(&mut go);
    go.handle_input(now0, GoInput::WpsPbc);
    drain(&mut go);
    let mut c = pbc_client(now0);
    let (ip, _, took) = join(&mut go, &mut c, now0, None);
    assert!(ip.is_some() && c.is_up(), "joined ({took:?})");
    while c.poll_output().is_some() {}
    let now = now0 + took + Duration::from_millis(100);
    // The duplicate association request (our RSN IE, as the client sent it).
    let mut ies = IeWriter::new();
    ies.ssid(b"DIRECT-zz").unwrap();
    ies.rates(&Rate::OFDM).unwrap();
    let mut ies = ies.finish();
    ies.extend_from_slice(&client::own_rsne());
    let body = crate::ieee80211::AssocRequestRepr { capability: CapabilityInfo::ESS, listen_interval: 5, ies };
    go.handle_input(now, GoInput::Frame(&MgmtRepr::new(AP, STA, AP, MgmtBody::AssocRequest(body)).to_vec()));
    let mut sent_clear = 0;
    let mut go_connected = false;
    let mut ptk_installed_after_clear_msg4 = false;
    for _ in 0..20 {
        let mut progressed = false;
        while let Some(o) = go.poll_output() {
            progressed = true;
            match o {
                GoOutput::SendFrame { frame, .. } => {
                    if matches!(MgmtRepr::parse_bytes(&frame).unwrap().body, MgmtBody::AssocResponse(_)) {
                        go.handle_input(now, GoInput::TxStatus { frame: &frame, ack: true });
                    }
                }
                // The GO lost the key: everything it sends now goes in the clear.
                GoOutput::SendEapol { pdu, .. } => c.handle_input(now, ClientInput::Eapol { src: AP, pdu: &pdu, unencrypted: true }),
                GoOutput::Event(GoEvent::StaConnected { addr, .. }) if addr == STA => go_connected = true,
                _ => {}
            }
        }
        while let Some(o) = c.poll_output() {
            progressed = true;
            match o {
                ClientOutput::SendEapol { pdu, no_encrypt, .. } => {
                    assert!(no_encrypt, "an answer to the GO's clear restart goes in the clear");
                    sent_clear += 1;
                    go.handle_input(now, GoInput::Eapol { src: STA, pdu: &pdu });
                }
                ClientOutput::InstallPtk { .. } => ptk_installed_after_clear_msg4 = sent_clear >= 2,
                ClientOutput::Event(ClientEvent::Lost { .. }) => panic!("the group was lost"),
                _ => {}
            }
        }
        if !progressed {
            break;
        }
    }
    assert!(sent_clear >= 2, "messages 2 and 4 went out ({sent_clear})");
    assert!(ptk_installed_after_clear_msg4, "the new key goes in after message 4 went out in the clear");
    assert!(go_connected, "the GO completed the restarted handshake");
    assert!(c.is_up());
}

/// After WPS the client leaves and, with no report of it within its wait, associates
/// again with WPA2; the kernel's report of that leave then arrives while the new
/// association is under way. It belongs to the old association: the join goes on (seen in
/// hwtests client-join-pin-go-shows on a loaded guest: "disconnected during formation").
#[test]
fn a_late_report_of_the_wps_leave_does_not_end_the_join() {
    let now0 = Instant::now();
    let released: std::sync::Arc<std::sync::Mutex<Vec<MacAddr>>> = Default::default();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), released);
    drain(&mut go);
    go.handle_input(now0, GoInput::WpsPbc);
    drain(&mut go);
    let mut c = pbc_client(now0);
    let (ip, go_events, took) = join_on_air(&mut go, &mut c, now0, None, 0, true);
    assert!(ip.is_some(), "the client joined ({took:?})");
    assert!(go_events.iter().any(|e| matches!(e, GoEvent::StaConnected { addr, .. } if *addr == STA)), "{go_events:?}");
    assert!(c.is_up());
}

#[test]
fn an_enrollee_before_the_button_gets_m2d_and_joins_once_it_is_pressed() {
    let now0 = Instant::now();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    drain(&mut go);
    let mut c = pbc_client(now0);
    let (ip, go_events, took) = join(&mut go, &mut c, now0, Some(Duration::from_secs(4)));
    assert!(go_events.iter().any(|e| matches!(e, GoEvent::EnrolleeWaiting { addr } if *addr == STA)), "{go_events:?}");
    assert!(took >= Duration::from_secs(4) && took < Duration::from_secs(15), "{took:?}");
    assert!(ip.is_some());
}

#[test]
fn a_wrong_pin_fails_that_client_as_hostapd_reports_it_and_the_pin_stays_armed() {
    let now0 = Instant::now();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    drain(&mut go);
    go.handle_input(now0, GoInput::WpsPin { pin: Pin::parse("12345670").unwrap(), target: None, timeout: None });
    let wrong = DevicePassword::pin(Pin::parse("11111119").unwrap(), DevicePasswordId::DEFAULT);
    let mut c = client_with(now0, wrong);
    let (ip, go_events, took) = join(&mut go, &mut c, now0, None);
    assert!(ip.is_none());
    // Our enrollee finds the registrar's PIN proof (M4) wrong and NACKs: hostapd reports the
    // failure against M4, the last message it sent.
    assert!(go_events.iter().any(|e| matches!(e, GoEvent::WpsFail { msg: 0x08, config_error: 18, .. })), "{go_events:?}");
    assert_eq!(go.wps_state(), Some("pin"));
    // The same client with the right PIN joins.
    let right = DevicePassword::pin(Pin::parse("12345670").unwrap(), DevicePasswordId::DEFAULT);
    let later = now0 + took + Duration::from_secs(5);
    let mut c = client_with(later, right);
    let (ip, go_events, _) = join(&mut go, &mut c, later, None);
    assert!(ip.is_some(), "{go_events:?}");
}

fn pbc_probe(sa: MacAddr, uuid: [u8; 16]) -> Vec<u8> {
    use wps::attr::{AssociationState, ConfigError, ConfigMethods, RequestType};
    let wsc = wps::ie::ProbeRequestWsc {
        request_type: RequestType::ENROLLEE_INFO,
        config_methods: ConfigMethods::PUSH_BUTTON,
        uuid_e: uuid,
        primary_device_type: WscDeviceType { category: 1, oui: [0, 0x50, 0xf2, 4], sub_category: 1 },
        rf_bands: RfBands::BAND_2_4_GHZ,
        association_state: AssociationState::NOT_ASSOCIATED,
        config_error: ConfigError::NO_ERROR,
        device_password_id: DevicePasswordId::PUSH_BUTTON,
        manufacturer: None,
        model_name: None,
        model_number: None,
        device_name: None,
        wfa: vec![WfaSubelement::Version2(VERSION2)],
        extra: vec![],
    };
    let mut ies = IeWriter::new();
    ies.ssid(b"DIRECT-").unwrap();
    ies.rates(&Rate::OFDM).unwrap();
    let mut ies = ies.finish();
    ies.extend(wps::ie::build_wsc_ies(&wsc.emit().unwrap()));
    MgmtRepr::new(MacAddr::BROADCAST, sa, MacAddr::BROADCAST, MgmtBody::ProbeRequest(crate::ieee80211::ProbeRequestRepr { ies })).to_vec()
}

#[test]
fn two_pbc_enrollees_are_an_overlap_and_other_ssids_get_no_answer() {
    let now = Instant::now();
    let mut go = go_with(b"DIRECT-ov", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    drain(&mut go);
    go.handle_input(now, GoInput::WpsPbc);
    drain(&mut go);
    go.handle_input(now, GoInput::Frame(&pbc_probe(MacAddr([2, 0, 0, 0, 1, 0]), [1; 16])));
    let outs = drain(&mut go);
    assert!(matches!(outs[..], [GoOutput::SendFrame { no_ack: true, .. }]), "{outs:?}");
    go.handle_input(now + Duration::from_secs(1), GoInput::Frame(&pbc_probe(MacAddr([2, 0, 0, 0, 2, 0]), [2; 16])));
    let outs = drain(&mut go);
    assert!(outs.iter().any(|o| matches!(o, GoOutput::Event(GoEvent::PbcOverlap))), "{outs:?}");

    let mut other = IeWriter::new();
    other.ssid(b"some-ap").unwrap();
    let probe = MgmtRepr::new(MacAddr::BROADCAST, STA, MacAddr::BROADCAST, MgmtBody::ProbeRequest(crate::ieee80211::ProbeRequestRepr { ies: other.finish() }));
    go.handle_input(now, GoInput::Frame(&probe.to_vec()));
    assert!(drain(&mut go).is_empty());
}

#[test]
fn bad_settings_are_refused_and_generated_ones_have_the_right_shape() {
    let mut rng = SeededRandom::new([7; 32]);
    let ssid = random_ssid(&mut rng);
    assert!(ssid.starts_with(b"DIRECT-") && ssid.len() == 9 && ssid[7..].iter().all(u8::is_ascii_alphanumeric));
    let p = random_chars(&mut rng, 63);
    assert!(p.len() == 63 && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    for (ssid, pass) in [(&b""[..], "12345678"), (&b"DIRECT-ab"[..], "short"), (&b"DIRECT-ab"[..], &"x".repeat(64)[..])] {
        let cfg = GoConfig { bssid: AP, identity: identity(), ssid: ssid.to_vec(), passphrase: Zeroizing::new(pass.to_owned()), freq: 2412, ip: None, wps_lockout: DEFAULT_WPS_LOCKOUT, persistent: false, persistent_reconnect: false };
        let r = Go::new(cfg, TestPool::default(), Box::new(|| Box::new(wps::rng::SeededRng::new(1))), Box::new(SeededRandom::new([1; 32])));
        assert!(r.is_err());
    }
}

#[test]
fn a_client_whose_descriptor_cannot_be_listed_still_joins_and_probe_responses_go_on() {
    let now0 = Instant::now();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    drain(&mut go);
    go.handle_input(now0, GoInput::WpsPbc);
    // 300 bytes of name: a valid Device Info attribute, but more than a Client Info
    // descriptor (length u8) can carry.
    let mut c = client_named(now0, DevicePassword::pbc(), &[b'n'; 300]);
    let (ip, go_events, _) = join(&mut go, &mut c, now0, None);
    assert!(ip.is_some(), "{go_events:?}");
    assert!(go_events.iter().any(|e| matches!(e, GoEvent::StaConnected { p2p_dev_addr: Some(_), .. })), "{go_events:?}");
    let presp = go.probe_response(MacAddr::BROADCAST).expect("probe responses still built");
    let m = MgmtRepr::parse_bytes(&presp).unwrap();
    let MgmtBody::ProbeResponse(b) = m.body else { panic!() };
    let ie = P2pIe::from_ies(&b.ies).unwrap().unwrap();
    let Some(Attribute::GroupInfo(g)) = ie.get(crate::p2p::wire::AttributeId::GROUP_INFO) else { panic!("{ie:?}") };
    assert!(g.is_empty(), "{g:?}");
    assert_eq!(go.clients().len(), 1);
}

#[test]
fn poll_timeout_and_handle_timeout_read_the_same_timers() {
    let now = Instant::now();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    drain(&mut go);
    assert_eq!(go.poll_timeout(), None);
    // A PIN with a 5 s timeout, and a station that authenticates and never associates.
    go.handle_input(now, GoInput::WpsPin { pin: Pin::parse("12345670").unwrap(), target: None, timeout: Some(Duration::from_secs(5)) });
    let auth = MgmtRepr::new(AP, STA, AP, MgmtBody::Auth(AuthRepr { algorithm: AuthAlgorithm::OPEN_SYSTEM, transaction: 1, status: StatusCode::SUCCESS, ies: vec![] }));
    go.handle_input(now, GoInput::Frame(&auth.to_vec()));
    let outs = drain(&mut go);
    assert!(outs.iter().any(|o| matches!(o, GoOutput::SetBeacon(_))), "{outs:?}");
    assert_eq!(go.poll_timeout(), Some(now + Duration::from_secs(5)));
    // Not due yet: nothing happens.
    go.handle_timeout(now + Duration::from_millis(4999));
    assert!(drain(&mut go).is_empty());
    assert_eq!(go.wps_state(), Some("pin"));
    // The PIN's timeout: disarmed, the beacon says so; the next timer is the station's.
    go.handle_timeout(now + Duration::from_secs(5));
    let outs = drain(&mut go);
    assert!(matches!(outs[..], [GoOutput::SetBeacon(_)]), "{outs:?}");
    assert_eq!(go.wps_state(), None);
    assert_eq!(go.poll_timeout(), Some(now + Duration::from_secs(30)));
    // The station is forgotten: an association now is from an unauthenticated station.
    go.handle_timeout(now + Duration::from_secs(30));
    assert_eq!(go.poll_timeout(), None);
    let mut ies = IeWriter::new();
    ies.ssid(b"DIRECT-zz").unwrap();
    let body = crate::ieee80211::AssocRequestRepr { capability: CapabilityInfo::ESS, listen_interval: 5, ies: ies.finish() };
    go.handle_input(now + Duration::from_secs(31), GoInput::Frame(&MgmtRepr::new(AP, STA, AP, MgmtBody::AssocRequest(body)).to_vec()));
    let outs = drain(&mut go);
    let [GoOutput::SendFrame { frame, .. }] = &outs[..] else { panic!("{outs:?}") };
    let MgmtBody::Deauth(r) = MgmtRepr::parse_bytes(frame).unwrap().body else { panic!("{outs:?}") };
    assert_eq!(r.reason, ReasonCode::CLASS2_FRAME_FROM_NONAUTH_STA);
}

#[test]
fn a_group_that_cannot_be_announced_is_refused_at_start() {
    let mut id = identity();
    // WSC attributes carry at most 65535 bytes.
    id.manufacturer = "m".repeat(70_000);
    let cfg = GoConfig { bssid: AP, identity: id, ssid: b"DIRECT-ab".to_vec(), passphrase: Zeroizing::new("12345678".into()), freq: 2412, ip: None, wps_lockout: DEFAULT_WPS_LOCKOUT, persistent: false, persistent_reconnect: false };
    let r = Go::new(cfg, TestPool::default(), Box::new(|| Box::new(wps::rng::SeededRng::new(1))), Box::new(SeededRandom::new([1; 32])));
    assert!(matches!(r, Err(GoError::Template { .. })), "{:?}", r.err());
}

#[test]
fn debug_of_the_group_and_its_outputs_hides_the_secrets() {
    let go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    let cfg = format!("{:?}", go.config());
    assert!(cfg.contains("DIRECT-zz") && !cfg.contains("secret-pass"), "{cfg}");
    let outs = format!("{:?}", [
        GoOutput::InstallGtk { gtk: Gtk::from_slice(&[0xab; 16]), key_idx: 1 },
        GoOutput::InstallPtk { peer: STA, tk: Tk::from_bytes([0xcd; 16]) },
    ]);
    assert!(outs.contains("redacted") && !outs.contains("ab, ab") && !outs.contains("171") && !outs.contains("cd, cd") && !outs.contains("205"), "{outs}");
    let pin = format!("{:?}", GoInput::WpsPin { pin: Pin::parse("12345670").unwrap(), target: None, timeout: None });
    assert!(!pin.contains("12345670"), "{pin}");
    let reply = format!("{:?}", crate::ctrl::Reply::Pin(crate::ctrl::Pin::parse("12345670").unwrap()));
    assert!(!reply.contains("12345670"), "{reply}");
    let req = format!("{:?}", crate::ctrl::Request::parse(b"WPS_PIN any 12345670").unwrap());
    assert!(!req.contains("12345670"), "{req}");
}

fn beacon_wsc(go: &Go<TestPool>) -> wps::ie::BeaconWsc {
    let beacon = go.beacon().unwrap();
    wps::ie::BeaconWsc::parse(&wps::ie::wsc_payload(&beacon.tail).unwrap().unwrap()).unwrap()
}

fn wrong_pin_client(now: Instant) -> Client {
    client_with(now, DevicePassword::pin(Pin::parse("11111119").unwrap(), DevicePasswordId::DEFAULT))
}

fn right_pin_client(now: Instant) -> Client {
    client_with(now, DevicePassword::pin(Pin::parse("12345670").unwrap(), DevicePasswordId::DEFAULT))
}

/// hostapd's numbers (src/ap/wps_hostapd.c, wps_pwd_auth_fail): open for two failures, a
/// 60 s lock from the third, doubled at every third failure, until the group ends after
/// ten in a row; a success clears the run, not the total.
#[test]
fn the_pin_lockout_grows_as_hostapds() {
    use super::registration::{Locked, PinLockout};
    let t0 = Instant::now();
    let mut l = PinLockout::new(Duration::from_secs(60));
    let s = Duration::from_secs;
    let seq: Vec<Locked> = (0..9).map(|i| l.failure(t0 + s(i))).collect();
    assert_eq!(
        seq,
        [Locked::No, Locked::No, Locked::For(s(60)), Locked::For(s(60)), Locked::For(s(60)), Locked::For(s(120)), Locked::For(s(120)), Locked::For(s(120)), Locked::For(s(240))]
    );
    assert_eq!(l.until(), Some(t0 + s(8) + s(240)));
    assert!(!l.expire(t0 + s(8) + s(239)) && l.is_locked());
    assert!(l.expire(t0 + s(8) + s(240)) && !l.is_locked());
    // The tenth in a row: locked until the group ends (no timer).
    assert_eq!(l.failure(t0 + s(300)), Locked::Forever);
    assert_eq!(l.until(), None);
    assert!(l.is_locked() && !l.expire(t0 + s(1_000_000)));
    // A success between failures keeps it from the indefinite lock.
    let mut l = PinLockout::new(Duration::from_secs(5));
    for i in 0..9 {
        l.failure(t0 + s(i));
    }
    l.success();
    assert!(matches!(l.failure(t0 + s(20)), Locked::For(_)), "a run of one after a success");
}

#[test]
fn three_wrong_pins_lock_the_registrar_until_the_lockout_ends_then_the_right_pin_joins() {
    let now0 = Instant::now();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    // A short lock (--wps-lockout-seconds 10) keeps the enrollee's retries few.
    go.pin_lockout = super::registration::PinLockout::new(Duration::from_secs(10));
    drain(&mut go);
    go.handle_input(now0, GoInput::WpsPin { pin: Pin::parse("12345670").unwrap(), target: None, timeout: None });
    drain(&mut go);
    let mut now = now0;
    let mut events = Vec::new();
    for attempt in 1..=3 {
        assert!(!go.wps_locked(), "open before wrong PIN {attempt}");
        assert_eq!(beacon_wsc(&go).ap_setup_locked, None);
        let mut c = wrong_pin_client(now);
        let (ip, ev, took) = join(&mut go, &mut c, now, None);
        assert!(ip.is_none());
        assert!(ev.iter().any(|e| matches!(e, GoEvent::WpsFail { config_error: 18, .. })), "{ev:?}");
        events.extend(ev);
        now += took + Duration::from_secs(1);
    }
    assert!(go.wps_locked(), "locked after the third wrong PIN: {events:?}");
    assert_eq!(events.iter().filter(|e| **e == GoEvent::ApSetupLocked).count(), 1, "{events:?}");
    // The IEs say so (hostapd's AP Setup Locked attribute), the PIN stays armed.
    assert_eq!(beacon_wsc(&go).ap_setup_locked, Some(true));
    assert_eq!(go.wps_state(), Some("pin"));
    let unlock_at = go.poll_timeout().expect("the lockout's end is a timer");
    assert!(unlock_at > now && unlock_at <= now + Duration::from_secs(10), "{:?}", unlock_at - now);

    // The right PIN while locked: M2D (setup locked) until the lock ends, then it joins.
    let mut c = right_pin_client(now);
    let (ip, ev, took) = join(&mut go, &mut c, now, None);
    assert!(ip.is_some(), "joined after the lockout: {ev:?}");
    assert!(now + took >= unlock_at, "not before the lock ended ({took:?})");
    assert!(ev.iter().any(|e| matches!(e, GoEvent::EnrolleeWaiting { .. })), "refused while locked: {ev:?}");
    let unlocked = ev.iter().position(|e| *e == GoEvent::ApSetupUnlocked).expect("WPS-AP-SETUP-UNLOCKED");
    let success = ev.iter().position(|e| matches!(e, GoEvent::RegSuccess { .. })).unwrap();
    assert!(unlocked < success, "{ev:?}");
    assert!(!go.wps_locked());
    assert_eq!(beacon_wsc(&go).ap_setup_locked, None);
}

#[test]
fn a_pin_enrollee_while_locked_gets_m2d_with_setup_locked() {
    let now0 = Instant::now();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    drain(&mut go);
    go.handle_input(now0, GoInput::WpsPin { pin: Pin::parse("12345670").unwrap(), target: None, timeout: None });
    let mut now = now0;
    for _ in 0..3 {
        let mut c = wrong_pin_client(now);
        let (_, _, took) = join(&mut go, &mut c, now, None);
        now += took + Duration::from_secs(1);
    }
    assert!(go.wps_locked());
    drain(&mut go);
    // A PIN enrollee associates for WPS and answers the identity request: it gets M2D with
    // Configuration Error 15, and no credential.
    let mut c = right_pin_client(now);
    let mut m2d = None;
    for _ in 0..50 {
        while let Some(o) = c.poll_output() {
            match o {
                ClientOutput::Connect(a) => {
                    let auth = MgmtRepr::new(AP, STA, AP, MgmtBody::Auth(AuthRepr { algorithm: AuthAlgorithm::OPEN_SYSTEM, transaction: 1, status: StatusCode::SUCCESS, ies: vec![] }));
                    go.handle_input(now, GoInput::Frame(&auth.to_vec()));
                    let mut ies = IeWriter::new();
                    ies.ssid(&a.ssid).unwrap();
                    ies.rates(&Rate::OFDM).unwrap();
                    let mut ies = ies.finish();
                    ies.extend_from_slice(&a.ies);
                    let body = crate::ieee80211::AssocRequestRepr { capability: CapabilityInfo::ESS, listen_interval: 5, ies };
                    go.handle_input(now, GoInput::Frame(&MgmtRepr::new(AP, STA, AP, MgmtBody::AssocRequest(body)).to_vec()));
                }
                ClientOutput::SendEapol { pdu, .. } => go.handle_input(now, GoInput::Eapol { src: STA, pdu: &pdu }),
                _ => {}
            }
        }
        while let Some(o) = go.poll_output() {
            match o {
                GoOutput::SendFrame { frame, .. } => {
                    if let Ok(m) = MgmtRepr::parse_bytes(&frame)
                        && let MgmtBody::AssocResponse(r) = m.body
                    {
                        c.handle_input(now, ClientInput::ConnectResult { status: r.status.0 });
                        go.handle_input(now, GoInput::TxStatus { frame: &frame, ack: true });
                    }
                }
                GoOutput::SendEapol { pdu, .. } => {
                    // EAP-Request/WSC_MSG: the WSC message starts after EAPOL(4) EAP(5) type(1)
                    // vendor id(3) vendor type(4) op code(1) flags(1).
                    if pdu.len() > 18 && pdu[4] == 1 && pdu[8] == 254 && pdu[16] == 4 {
                        let msg = &pdu[18..];
                        let attrs = wps::attr::Attribute::parse_all(msg).unwrap();
                        if attrs.iter().any(|a| matches!(a, wps::attr::Attribute::MessageType(t) if *t == wps::attr::MessageType::M2D)) {
                            m2d = attrs.iter().find_map(|a| match a {
                                wps::attr::Attribute::ConfigError(e) => Some(*e),
                                _ => None,
                            });
                        }
                    }
                    c.handle_input(now, ClientInput::Eapol { src: AP, pdu: &pdu, unencrypted: true });
                }
                GoOutput::Event(GoEvent::RegSuccess { .. }) => panic!("a credential while locked"),
                _ => {}
            }
        }
        if m2d.is_some() {
            break;
        }
        now += Duration::from_millis(100);
        c.handle_timeout(now);
        go.handle_timeout(now);
    }
    assert_eq!(m2d, Some(wps::attr::ConfigError::SETUP_LOCKED), "M2D with Configuration Error 15");
}

#[test]
fn the_lock_leaves_push_button_alone_and_pbc_is_single_use_and_time_limited() {
    let now0 = Instant::now();
    let mut go = go_with(b"DIRECT-zz", "secret-pass", Box::new(SeededRandom::new([3; 32])), Default::default());
    drain(&mut go);
    go.handle_input(now0, GoInput::WpsPin { pin: Pin::parse("12345670").unwrap(), target: None, timeout: None });
    let mut now = now0;
    for _ in 0..3 {
        let mut c = wrong_pin_client(now);
        let (_, _, took) = join(&mut go, &mut c, now, None);
        now += took + Duration::from_secs(1);
    }
    assert!(go.wps_locked());
    // WPS_CANCEL ends the PIN; the button is pressed: a PBC enrollee joins while locked.
    go.handle_input(now, GoInput::WpsCancel);
    assert_eq!(go.wps_state(), None);
    assert!(drain(&mut go).iter().any(|o| matches!(o, GoOutput::SetBeacon(_))), "the beacon drops Selected Registrar");
    assert!(!beacon_wsc(&go).selected_registrar.is_selected());
    go.handle_input(now, GoInput::WpsPbc);
    let mut c = pbc_client(now);
    let (ip, _, took) = join(&mut go, &mut c, now, None);
    assert!(ip.is_some(), "a PBC enrollee is not refused by the PIN lock");
    now += took;
    // Single use: the button is released by the success.
    assert_eq!(go.wps_state(), None);

    // Pressed again and nobody comes: over after 120 s, WPS-TIMEOUT.
    drain(&mut go);
    go.handle_input(now, GoInput::WpsPbc);
    drain(&mut go);
    let end = go.poll_timeout().unwrap();
    assert!(end <= now + Duration::from_secs(120));
    go.handle_timeout(now + Duration::from_secs(119));
    assert_eq!(go.wps_state(), Some("pbc"));
    go.handle_timeout(now + Duration::from_secs(120));
    assert_eq!(go.wps_state(), None);
    assert!(drain(&mut go).iter().any(|o| matches!(o, GoOutput::Event(GoEvent::WpsTimeout))));
    // Pressed, then cancelled: nothing armed, no timer of the walk left.
    go.handle_input(now, GoInput::WpsPbc);
    go.handle_input(now, GoInput::WpsCancel);
    assert_eq!(go.wps_state(), None);
    assert!(!beacon_wsc(&go).selected_registrar.is_selected());
}

/// The Group Capability our beacon's P2P IE announces.
fn beacon_group_capab(go: &Go<TestPool>) -> GroupCapability {
    let beacon = go.beacon().unwrap();
    let ie = crate::p2p::wire::P2pIe::from_ies(&beacon.tail).unwrap().expect("a P2P IE in the beacon");
    match ie.get(crate::p2p::wire::AttributeId::CAPABILITY) {
        Some(crate::p2p::wire::Attribute::Capability(c)) => c.group,
        other => panic!("no P2P Capability: {other:?}"),
    }
}

/// A persistent group says Persistent Reconnect only when we re-invoke it unasked
/// (`persistent_reconnect=1`), as hostap's GO.
#[test]
fn persistent_reconnect_is_announced_only_when_it_is_on() {
    for (persistent, reconnect) in [(false, true), (true, false), (true, true)] {
        let cfg = GoConfig {
            bssid: AP,
            identity: identity(),
            ssid: b"DIRECT-pr".to_vec(),
            passphrase: Zeroizing::new("12345678".into()),
            freq: 2412,
            ip: None,
            wps_lockout: DEFAULT_WPS_LOCKOUT,
            persistent,
            persistent_reconnect: reconnect,
        };
        let go = Go::new(cfg, TestPool::default(), Box::new(|| Box::new(wps::rng::SeededRng::new(1))), Box::new(SeededRandom::new([1; 32])))
            .expect("valid group");
        let c = beacon_group_capab(&go);
        assert_eq!(c.contains(GroupCapability::PERSISTENT_GROUP), persistent, "{c:?}");
        assert_eq!(c.contains(GroupCapability::PERSISTENT_RECONNECT), persistent && reconnect, "{c:?}");
    }
}

/// A negotiated group announces Group Formation while its peer is provisioned, as hostap's
/// GO does, and drops it (with a new beacon) when the formation is over.
#[test]
fn group_formation_is_announced_until_the_formation_is_over() {
    let mut go = go_with(b"DIRECT-gf", "secret-pass", Box::new(SeededRandom::new([4; 32])), Default::default());
    assert!(!beacon_group_capab(&go).contains(GroupCapability::GROUP_FORMATION), "an autonomous group is not forming");
    go.start_forming();
    drain(&mut go);
    let c = beacon_group_capab(&go);
    assert!(c.contains(GroupCapability::GROUP_FORMATION | GroupCapability::GROUP_OWNER), "{c:?}");
    go.formation_over();
    let outs = drain(&mut go);
    assert!(matches!(outs[..], [GoOutput::SetBeacon(_)]), "{outs:?}");
    assert!(!beacon_group_capab(&go).contains(GroupCapability::GROUP_FORMATION));
    go.formation_over();
    assert!(drain(&mut go).is_empty(), "once is enough");
}
