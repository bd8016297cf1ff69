#![allow(clippy::unwrap_used)]
//! The join machine against a scripted GO: frames built with the wps crate's codecs.

use std::time::{Duration, Instant};

use wps::attr::{AssociationState, ConfigError, DevicePasswordId, RfBands};
use wps::eap::{EapBody, EapCode, EapPacket, OpCode, WscFrame};
use wps::message::{DeviceInfo, M1, M2D};
use wps::pin::{DevicePassword, Pin};

use super::*;
use crate::eapol::SeededRandom;

const GO: MacAddr = MacAddr([0x42, 0, 0, 0, 0, 0]);
const BSSID: MacAddr = MacAddr([0x06, 0, 0, 0, 0, 0]);
const OWN: MacAddr = MacAddr([0x02, 0, 0, 0, 1, 0]);

fn client(now: Instant) -> Client {
    let pin = Pin::parse("12345670").unwrap();
    let enrollee = wps::enrollee::EnrolleeConfig::new([7; 16], OWN.0, DevicePassword::pin(pin, DevicePasswordId::DEFAULT));
    let target = JoinTarget { go_dev_addr: GO, bssid: BSSID, ssid: b"DIRECT-ab".to_vec(), freq: 2437, rsne: Some(own_rsne()) };
    let cfg = ClientConfig { target, own_addr: OWN, enrollee, p2p_ie: Vec::new(), request_ip: true, assoc_attempts: ASSOC_ATTEMPTS };
    let mut seed = 0u64;
    let factory: WpsRngFactory = Box::new(move || {
        seed += 1;
        Box::new(wps::rng::SeededRng::new(seed))
    });
    Client::new(cfg, factory, Box::new(SeededRandom::new([9; 32])), now)
}

fn drain(c: &mut Client) -> Vec<ClientOutput> {
    std::iter::from_fn(|| c.poll_output()).collect()
}

/// The EAP packets the client sent (EAPOL header removed).
fn sent_eap(outs: &[ClientOutput]) -> Vec<EapPacket> {
    outs.iter()
        .filter_map(|o| match o {
            ClientOutput::SendEapol { pdu, .. } => {
                let r = EapolRepr::parse_bytes(pdu).ok()?;
                (r.packet_type == PacketType::EapPacket).then(|| EapPacket::parse(r.body).unwrap())
            }
            _ => None,
        })
        .collect()
}

fn from_go(c: &mut Client, now: Instant, p: EapPacket) -> Vec<ClientOutput> {
    let body = p.emit().unwrap();
    let pdu = EapolRepr { version: EAPOL_VERSION_2001, packet_type: PacketType::EapPacket, body: &body }.to_vec().unwrap();
    c.handle_input(now, ClientInput::Eapol { src: BSSID, pdu: &pdu, unencrypted: true });
    drain(c)
}

fn m2d_for(m1: &M1) -> Vec<u8> {
    m2d_with(m1, ConfigError::NO_ERROR)
}

fn m2d_with(m1: &M1, config_error: ConfigError) -> Vec<u8> {
    M2D {
        enrollee_nonce: m1.enrollee_nonce,
        registrar_nonce: [0x33; 16],
        uuid_r: [0x44; 16],
        auth_types: m1.auth_types,
        encr_types: m1.encr_types,
        conn_types: m1.conn_types,
        config_methods: m1.config_methods,
        device: DeviceInfo::default(),
        rf_bands: RfBands::BAND_2_4_GHZ,
        association_state: AssociationState::NOT_ASSOCIATED,
        config_error,
        os_version: Some(0x8000_0000),
        wfa: vec![wps::attr::WfaSubelement::Version2(wps::attr::VERSION2)],
        extra: Vec::new(),
    }
    .emit()
    .unwrap()
}

/// Runs the first WPS association up to the enrollee's M1; returns it.
fn up_to_m1(c: &mut Client, now: Instant) -> M1 {
    let outs = drain(c);
    assert!(matches!(&outs[..], [ClientOutput::Connect(a)] if !a.rsn && a.bssid == BSSID), "{outs:?}");
    c.handle_input(now, ClientInput::ConnectResult { status: 0 });
    let outs = drain(c);
    assert!(
        matches!(&outs[..], [ClientOutput::SendEapol { pdu, .. }] if EapolRepr::parse_bytes(pdu).unwrap().packet_type == PacketType::Start),
        "EAPOL-Start first: {outs:?}"
    );
    let outs = from_go(c, now, EapPacket::new(EapCode::REQUEST, 1, EapBody::Identity(Vec::new())));
    assert!(matches!(&sent_eap(&outs)[..], [EapPacket { code: EapCode::RESPONSE, id: 1, body: EapBody::Identity(_) }]));
    let outs = from_go(c, now, EapPacket::new(EapCode::REQUEST, 2, EapBody::Wsc(WscFrame::whole(OpCode::START, Vec::new()))));
    let sent = sent_eap(&outs);
    let [EapPacket { body: EapBody::Wsc(f), .. }] = &sent[..] else { panic!("M1 expected: {outs:?}") };
    M1::parse(&f.data).unwrap()
}

#[test]
fn m2d_makes_the_client_leave_and_try_again_with_a_fresh_enrollee() {
    let t0 = Instant::now();
    let mut c = client(t0);
    let first = up_to_m1(&mut c, t0);

    // The GO's user has not entered our PIN yet: M2D.
    let outs = from_go(&mut c, t0, EapPacket::new(EapCode::REQUEST, 3, EapBody::Wsc(WscFrame::whole(OpCode::MSG, m2d_for(&first)))));
    let sent = sent_eap(&outs);
    assert!(matches!(&sent[..], [EapPacket { body: EapBody::Wsc(WscFrame { op: OpCode::ACK, .. }), .. }]), "WSC_ACK to the M2D: {outs:?}");
    assert!(matches!(outs.last(), Some(ClientOutput::Disconnect { .. })), "{outs:?}");
    assert!(!outs.iter().any(|o| matches!(o, ClientOutput::Event(_))), "no failure reported: {outs:?}");
    assert_eq!(c.state_name(), "wps-retry-wait");

    // The disconnection and the retry delay pass; a new WPS association follows.
    c.handle_input(t0, ClientInput::Disconnected { reason: 3, by_ap: false });
    assert!(drain(&mut c).is_empty());
    let at = c.poll_timeout().unwrap();
    assert_eq!(at, t0 + WPS_RETRY_DELAY);
    c.handle_timeout(at - Duration::from_millis(1));
    assert!(drain(&mut c).is_empty(), "nothing before the retry delay");
    c.handle_timeout(at);
    let second = up_to_m1(&mut c, at);
    assert_ne!(first.enrollee_nonce, second.enrollee_nonce, "a new enrollee, new nonce");
    assert_ne!(first.public_key, second.public_key, "a new DH key");
}

#[test]
fn an_overlap_m2d_ends_the_join_with_overlap_reported() {
    let t0 = Instant::now();
    let mut c = client(t0);
    let m1 = up_to_m1(&mut c, t0);
    let m2d = m2d_with(&m1, ConfigError::MULTIPLE_PBC_SESSIONS_DETECTED);
    let outs = from_go(&mut c, t0, EapPacket::new(EapCode::REQUEST, 3, EapBody::Wsc(WscFrame::whole(OpCode::MSG, m2d))));
    assert!(outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::PbcOverlap))), "{outs:?}");
    assert!(outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::WpsFail { config_error: 12, .. }))), "{outs:?}");
    assert!(outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::FormationFailed { .. }))), "{outs:?}");
    assert!(c.is_done());
}

/// The registrar stops answering after M1 (the GO vanished mid-WPS): `WPS-TIMEOUT`, not
/// a `WPS-FAIL` with no message or configuration error to name, then the formation fails.
#[test]
fn a_registrar_that_stops_answering_is_a_wps_timeout() {
    let t0 = Instant::now();
    let mut c = client(t0);
    up_to_m1(&mut c, t0);
    drain(&mut c);
    let mut outs = Vec::new();
    let mut now = t0;
    while !c.is_done() && now < t0 + Duration::from_secs(300) {
        now = c.poll_timeout().expect("a deadline while the registration runs").max(now);
        c.handle_timeout(now);
        outs.extend(drain(&mut c));
    }
    assert!(outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::WpsTimeout))), "{outs:?}");
    assert!(!outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::WpsFail { .. }))), "{outs:?}");
    assert!(outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::FormationFailed { .. }))), "{outs:?}");
}

#[test]
fn m2d_after_the_join_deadline_fails_the_join() {
    let t0 = Instant::now();
    let mut c = client(t0);
    let late = t0 + JOIN_TIMEOUT + Duration::from_secs(1);
    let m1 = up_to_m1(&mut c, late);
    let outs = from_go(&mut c, late, EapPacket::new(EapCode::REQUEST, 3, EapBody::Wsc(WscFrame::whole(OpCode::MSG, m2d_for(&m1)))));
    assert!(outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::WpsFail { .. }))), "{outs:?}");
    assert!(outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::FormationFailed { .. }))), "{outs:?}");
    assert!(c.is_done());
}

#[test]
fn a_failed_association_is_tried_again_then_gives_up() {
    let t0 = Instant::now();
    let mut c = client(t0);
    let first: Vec<Association> = drain(&mut c)
        .into_iter()
        .filter_map(|o| match o {
            ClientOutput::Connect(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(first.len(), 1, "the join starts with one association");
    let mut now = t0;
    for attempt in 1..ASSOC_ATTEMPTS {
        c.handle_input(now, ClientInput::ConnectResult { status: 1 });
        assert!(drain(&mut c).is_empty(), "nothing at once after failed attempt {attempt}");
        let retry = c.poll_timeout().expect("a retry is scheduled");
        let pause = [500, 1000, 2000][(attempt as usize - 1).min(2)];
        assert_eq!(retry, now + Duration::from_millis(pause), "pause after failed attempt {attempt}");
        now = retry;
        c.handle_timeout(now);
        let outs = drain(&mut c);
        assert!(
            matches!(outs.as_slice(), [ClientOutput::Connect(a)] if *a == first[0]),
            "attempt {} repeats the same association: {outs:?}",
            attempt + 1
        );
    }
    c.handle_input(now, ClientInput::ConnectResult { status: 1 });
    let outs = drain(&mut c);
    assert!(c.is_done(), "the join ends after {ASSOC_ATTEMPTS} failed attempts");
    assert!(outs.iter().any(|o| matches!(o, ClientOutput::Event(ClientEvent::FormationFailed { .. }))));
}

#[test]
fn a_success_after_a_failed_attempt_goes_on_with_wps() {
    let t0 = Instant::now();
    let mut c = client(t0);
    drain(&mut c);
    c.handle_input(t0, ClientInput::ConnectResult { status: 1 });
    let t1 = c.poll_timeout().expect("retry scheduled");
    c.handle_timeout(t1);
    drain(&mut c);
    c.handle_input(t1, ClientInput::ConnectResult { status: 0 });
    let outs = drain(&mut c);
    assert!(
        outs.iter().any(|o| matches!(o, ClientOutput::SendEapol { pdu, .. } if pdu.get(1) == Some(&1))),
        "EAPOL-Start follows the successful association: {outs:?}"
    );
    assert_eq!(c.state_name(), "wps");
}

#[test]
fn own_rsn_element_is_wpa2_psk_ccmp_with_no_capabilities() {
    // 48/20: version 1, group 00-0F-AC:4 (CCMP), 1 pairwise CCMP, 1 AKM 00-0F-AC:2 (PSK),
    // capabilities 0 (IEEE 802.11-2020 9.4.2.24): the bytes the association request and
    // message 2 carry, and that a wpa_supplicant GO accepted in client-join-pbc.
    assert_eq!(
        own_rsne(),
        [0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x02, 0x00, 0x00]
    );
}

#[test]
fn an_association_the_kernel_never_reports_on_is_abandoned_and_tried_again() {
    let t0 = Instant::now();
    let mut c = client(t0);
    let first = drain(&mut c);
    assert!(matches!(first.as_slice(), [ClientOutput::Connect(_)]), "{first:?}");
    let due = c.poll_timeout().expect("a deadline for the attempt's result");
    assert_eq!(due, t0 + ASSOC_RESULT_TIMEOUT);
    c.handle_timeout(due - Duration::from_millis(1));
    assert!(drain(&mut c).is_empty(), "nothing before the attempt's deadline");
    c.handle_timeout(due);
    let outs = drain(&mut c);
    assert!(
        matches!(outs.as_slice(), [ClientOutput::Disconnect { .. }]),
        "the silent attempt is ended in the kernel: {outs:?}"
    );
    // The late disconnection of the abandoned attempt changes nothing.
    c.handle_input(due, ClientInput::Disconnected { reason: 3, by_ap: false });
    assert!(drain(&mut c).is_empty());
    let retry = c.poll_timeout().expect("a retry is scheduled");
    assert_eq!(retry, due + Duration::from_millis(500), "the usual pause after a failed attempt");
    c.handle_timeout(retry);
    let outs = drain(&mut c);
    assert!(matches!(outs.as_slice(), [ClientOutput::Connect(_)]), "the association is asked for again: {outs:?}");
    assert_eq!(c.poll_timeout(), Some(retry + ASSOC_RESULT_TIMEOUT), "the new attempt has its own deadline");
    // A result in time clears it: WPS starts.
    c.handle_input(retry, ClientInput::ConnectResult { status: 0 });
    drain(&mut c);
    assert_eq!(c.state_name(), "wps");
    assert!(c.poll_timeout().is_none_or(|t| t != retry + ASSOC_RESULT_TIMEOUT));
}

#[test]
fn a_join_with_a_known_key_skips_wps_and_goes_to_the_handshake() {
    let now = Instant::now();
    let c0 = client(now);
    let cfg = ClientConfig { enrollee: c0.cfg.enrollee.clone(), target: c0.cfg.target.clone(), own_addr: OWN, p2p_ie: vec![0xdd, 0], request_ip: true, assoc_attempts: ASSOC_ATTEMPTS };
    let psk = psk_from_passphrase("abcdefgh", b"DIRECT-ab").unwrap();
    let mut c = Client::with_psk(cfg, psk, Box::new(|| Box::new(wps::rng::SeededRng::new(1))), Box::new(SeededRandom::new([9; 32])), now);
    let outs = drain(&mut c);
    let [ClientOutput::Connect(a)] = outs.as_slice() else { panic!("{outs:?}") };
    assert!(a.rsn && a.privacy, "{a:?}");
    assert_eq!(&a.ies[..own_rsne().len()], &own_rsne()[..], "the RSN element first");
    assert!(a.ies.ends_with(&[0xdd, 0]), "then our P2P IE, no WSC IE");
    assert_eq!(c.state_name(), "rsn-associating");
    c.handle_input(now, ClientInput::ConnectResult { status: 0 });
    assert_eq!(c.state_name(), "4-way-handshake");
    assert!(drain(&mut c).is_empty(), "the GO starts the handshake; nothing of WPS is sent");
}
