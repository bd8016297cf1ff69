//! A registrar without a device password yet answers M1 with M2D; the enrollee acknowledges
//! and the registrar ends with EAP-Failure.
//!
//! Real bytes: tests/vectors/hwsim-go-m2d.txt, the M2D and EAP-Failure a wpa_supplicant
//! v2.10 P2P GO sent to directd's enrollee on the hwsim air (source noted in the file).

mod common;

use std::time::Instant;

use common::pair::{Dir, ENROLLEE_MAC, Pair, credential, enrollee_cfg, pin, registrar_cfg};
use common::{Vectors, load};
use wps::attr::{
    AssociationState, AttrType, AuthTypes, ConfigError, ConfigMethods, ConnTypes, DevicePasswordId,
    EncrTypes, MessageType, RfBands, VERSION2, WfaSubelement,
};
use wps::eap::{EapBody, EapCode, EapPacket, OpCode, WscFrame};
use wps::enrollee::EnrolleeEvent;
use wps::message::{self, Ack, M1, M2D, Nack};
use wps::pin::DevicePassword;
use wps::registrar::{Registrar, RegistrarConfig, RegistrarEvent};
use wps::rng::ScriptedRng;
use wps::session::{Failure, Input, Output};

const UUID_R: [u8; 16] = [0xaa; 16];

fn no_password_cfg() -> RegistrarConfig {
    let mut c = RegistrarConfig::without_password(UUID_R, credential());
    c.device.device_name = b"go".to_vec();
    c
}

/// (direction, op-code, WSC message) of every EAP-WSC frame, and every EAP code seen.
fn wsc(p: &Pair) -> Vec<(Dir, OpCode, Vec<u8>)> {
    p.log
        .iter()
        .filter_map(|(d, b)| match EapPacket::parse(b).ok()?.body {
            EapBody::Wsc(f) => Some((*d, f.op, f.data)),
            _ => None,
        })
        .collect()
}

#[test]
fn enrollee_gets_m2d_and_reports_registrar_not_ready() {
    let mut p = Pair::new(
        enrollee_cfg(7, pin("12345670", DevicePasswordId::DEFAULT)),
        no_password_cfg(),
        11,
    );
    p.run();
    assert!(p.credentials().is_none());
    // The enrollee saw M2D with the default configuration error (setup locked, as a
    // wpa_supplicant GO sends) and finished.
    assert!(
        p.e_events
            .contains(&EnrolleeEvent::Failed(Failure::RegistrarNotReady(
                ConfigError::SETUP_LOCKED
            ))),
        "{:?}",
        p.e_events
    );
    assert_eq!(p.e_events.last(), Some(&EnrolleeEvent::Finished));
    // The registrar: EnrolleeSeen, PasswordNeeded with the enrollee's device, Finished; no
    // Failed.
    let dev = enrollee_cfg(7, DevicePassword::pbc()).device;
    assert_eq!(
        p.r_events,
        vec![
            RegistrarEvent::EnrolleeSeen {
                uuid_e: [7; 16],
                mac: ENROLLEE_MAC,
                device_password_id: DevicePasswordId::DEFAULT,
                device_name: b"enrollee".to_vec(),
            },
            RegistrarEvent::PasswordNeeded {
                uuid_e: [7; 16],
                mac: ENROLLEE_MAC,
                device_password_id: DevicePasswordId::DEFAULT,
                device: dev,
            },
            RegistrarEvent::Finished,
        ]
    );
    // On the wire: Start, M1, M2D, WSC_ACK, then EAP-Failure as the last packet.
    let w = wsc(&p);
    let ops: Vec<_> = w.iter().map(|(d, o, _)| (*d, *o)).collect();
    assert_eq!(
        ops,
        vec![
            (Dir::ToEnrollee, OpCode::START),
            (Dir::ToRegistrar, OpCode::MSG),
            (Dir::ToEnrollee, OpCode::MSG),
            (Dir::ToRegistrar, OpCode::ACK),
        ]
    );
    let (_, last) = p.log.last().expect("packets");
    assert_eq!(EapPacket::parse(last).expect("eap").code, EapCode::FAILURE);
    // The M2D's contents.
    let m1 = M1::parse(&w[1].2).expect("m1");
    assert_eq!(message::peek_type(&w[2].2).expect("type"), MessageType::M2D);
    let m2d = M2D::parse(&w[2].2).expect("m2d");
    assert_eq!(m2d.enrollee_nonce, m1.enrollee_nonce);
    assert_ne!(m2d.registrar_nonce, [0; 16], "drawn from the rng");
    assert_eq!(m2d.uuid_r, UUID_R);
    assert_eq!(m2d.device.device_name, b"go");
    assert_eq!(m2d.config_error, ConfigError::SETUP_LOCKED);
    assert_eq!(m2d.association_state, AssociationState::NOT_ASSOCIATED);
    assert_eq!(m2d.os_version, Some(0x8000_0000));
    assert_eq!(m2d.wfa, vec![WfaSubelement::Version2(VERSION2)]);
    assert!(m2d.extra.is_empty(), "{:?}", m2d.extra);
    let types: Vec<AttrType> = wps::attr::Attribute::parse_all(&w[2].2)
        .expect("attrs")
        .iter()
        .map(|a| a.kind())
        .collect();
    assert!(!types.contains(&AttrType::DEVICE_PASSWORD_ID));
    assert!(!types.contains(&AttrType::AUTHENTICATOR));
    assert!(!types.contains(&AttrType::PUBLIC_KEY));
    // The WSC_ACK echoes both nonces.
    let ack = Ack::parse(&w[3].2).expect("ack");
    assert_eq!(
        (ack.enrollee_nonce, ack.registrar_nonce),
        (m2d.enrollee_nonce, m2d.registrar_nonce)
    );
}

#[test]
fn pbc_enrollee_also_gets_m2d_before_the_button_is_pressed() {
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        no_password_cfg(),
        12,
    );
    p.run();
    assert!(p.credentials().is_none());
    assert!(p.r_events.iter().any(|e| matches!(
        e,
        RegistrarEvent::PasswordNeeded {
            device_password_id: DevicePasswordId::PUSH_BUTTON,
            ..
        }
    )));
    assert!(
        p.e_events
            .iter()
            .any(|e| matches!(e, EnrolleeEvent::Failed(Failure::RegistrarNotReady(_))))
    );
}

#[test]
fn retry_after_the_password_is_set_succeeds() {
    // First session: no password, M2D. The user then enters the PIN; the enrollee's next
    // session meets a registrar with the password set on the same configuration.
    let mut cfg = no_password_cfg();
    let mut p = Pair::new(
        enrollee_cfg(7, pin("12345670", DevicePasswordId::DEFAULT)),
        cfg.clone(),
        13,
    );
    p.run();
    assert!(p.credentials().is_none());
    cfg.password = Some(pin("12345670", DevicePasswordId::DEFAULT));
    let mut p = Pair::new(
        enrollee_cfg(7, pin("12345670", DevicePasswordId::DEFAULT)),
        cfg,
        14,
    );
    p.run();
    let creds = p.credentials().expect("credential on the second try");
    assert_eq!(creds[0].ssid, b"DIRECT-xy-test");
    assert!(
        !p.r_events
            .iter()
            .any(|e| matches!(e, RegistrarEvent::PasswordNeeded { .. }))
    );
}

/// Rewrites the enrollee's answer to M2D (a WSC_ACK) with `f(ack)`.
fn replace_ack(p: &mut Pair, f: fn(&Ack) -> (OpCode, Vec<u8>)) {
    p.tamper = Box::new(move |_, dir, b| {
        if dir == Dir::ToRegistrar {
            let pkt = EapPacket::parse(&b).expect("eap");
            if let EapBody::Wsc(w) = &pkt.body
                && w.op == OpCode::ACK
            {
                let (op, data) = f(&Ack::parse(&w.data).expect("ack"));
                let body = EapBody::Wsc(WscFrame::whole(op, data));
                return Some(EapPacket::new(pkt.code, pkt.id, body).emit().expect("emit"));
            }
        }
        Some(b)
    });
}

#[test]
fn wsc_nack_after_m2d_also_ends_with_eap_failure() {
    // An AP enrollee answers M2D with WSC_NACK (hostap's enrollee does when it is an AP).
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        no_password_cfg(),
        15,
    );
    replace_ack(&mut p, |a| {
        let n = Nack {
            enrollee_nonce: a.enrollee_nonce,
            registrar_nonce: a.registrar_nonce,
            config_error: ConfigError::NO_ERROR,
            wfa: vec![],
            extra: vec![],
        };
        (OpCode::NACK, n.emit().expect("nack"))
    });
    p.run();
    assert!(p.r.is_finished());
    assert!(
        !p.r_events
            .iter()
            .any(|e| matches!(e, RegistrarEvent::Failed(_))),
        "{:?}",
        p.r_events
    );
    assert_eq!(p.r_events.last(), Some(&RegistrarEvent::Finished));
    let (dir, last) = p.log.last().expect("packets");
    assert_eq!(*dir, Dir::ToEnrollee);
    assert_eq!(EapPacket::parse(last).expect("eap").code, EapCode::FAILURE);
}

#[test]
fn ack_with_a_wrong_nonce_is_a_failure() {
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        no_password_cfg(),
        16,
    );
    replace_ack(&mut p, |a| {
        let mut a = a.clone();
        a.registrar_nonce[0] ^= 1;
        (OpCode::ACK, a.emit().expect("ack"))
    });
    p.run();
    assert!(
        p.r_events
            .contains(&RegistrarEvent::Failed(Failure::NonceMismatch)),
        "{:?}",
        p.r_events
    );
    let (_, last) = p.log.last().expect("packets");
    assert_eq!(EapPacket::parse(last).expect("eap").code, EapCode::FAILURE);
}

#[test]
fn missing_ack_retransmits_m2d_then_gives_up_quietly() {
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        no_password_cfg(),
        17,
    );
    p.tamper = Box::new(|_, dir, b| {
        let ack = dir == Dir::ToRegistrar
            && matches!(EapPacket::parse(&b).map(|e| e.body),
                Ok(EapBody::Wsc(f)) if f.op == OpCode::ACK);
        (!ack).then_some(b)
    });
    p.run();
    let m2ds = wsc(&p)
        .iter()
        .filter(|(_, _, d)| message::peek_type(d).ok() == Some(MessageType::M2D))
        .count();
    assert_eq!(m2ds, 4, "M2D and three retransmissions");
    assert!(p.r.is_finished());
    assert!(
        !p.r_events
            .iter()
            .any(|e| matches!(e, RegistrarEvent::Failed(_))),
        "{:?}",
        p.r_events
    );
}

#[test]
fn registrar_with_a_password_is_unchanged() {
    // RegistrarConfig::new still runs the full registration.
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        registrar_cfg(DevicePassword::pbc()),
        18,
    );
    p.run();
    assert!(p.credentials().is_some());
}

// ---- real bytes from a wpa_supplicant GO ----------------------------------------------

fn capture() -> Vectors {
    Vectors(load("hwsim-go-m2d.txt"))
}

#[test]
fn wpa_supplicant_m2d_parses_and_round_trips() {
    let v = capture();
    let body = v.wsc("eapol_m2d_to_enrollee");
    let m1 = M1::parse(v.wsc("eapol_m1_to_registrar")).expect("m1");
    let m2d = M2D::parse(body).expect("m2d");
    // What wpas-0.log says it built.
    assert_eq!(m2d.enrollee_nonce, m1.enrollee_nonce);
    assert_eq!(
        m2d.registrar_nonce, [0; 16],
        "hostap sends no Registrar Nonce in M2D"
    );
    assert_eq!(m2d.auth_types.bits(), 0x23);
    assert_eq!(m2d.encr_types.bits(), 0x0d);
    assert_eq!(m2d.conn_types, ConnTypes::ESS);
    assert_eq!(m2d.config_methods.bits(), 0x2388);
    assert_eq!(m2d.device.device_name, b"wpas-0");
    assert_eq!(m2d.rf_bands, RfBands::BAND_2_4_GHZ);
    assert_eq!(m2d.association_state, AssociationState::NOT_ASSOCIATED);
    assert_eq!(m2d.config_error, ConfigError::SETUP_LOCKED);
    assert_eq!(m2d.os_version, Some(0x8000_0000));
    assert_eq!(m2d.wfa, vec![WfaSubelement::Version2(VERSION2)]);
    assert!(m2d.extra.is_empty());
    assert_eq!(m2d.emit().expect("emit"), body);
    // The registrar's EAP-Failure answers the WSC_ACK's identifier.
    let ack = EapPacket::parse(v.eap("eapol_ack_to_registrar")).expect("ack");
    let fail = EapPacket::parse(v.eap("eapol_failure_to_enrollee")).expect("failure");
    assert_eq!((fail.code, fail.id), (EapCode::FAILURE, ack.id));
}

/// Our registrar, configured as wpa_supplicant's GO was and given its (all-zero) Registrar
/// Nonce, answers the captured M1 with the very M2D wpa_supplicant sent, takes the captured
/// WSC_ACK and ends with the same EAP-Failure.
#[test]
fn our_m2d_equals_wpa_supplicants_for_the_same_m1() {
    let v = capture();
    let real = M2D::parse(v.wsc("eapol_m2d_to_enrollee")).expect("m2d");
    let mut cfg = RegistrarConfig::without_password(real.uuid_r, credential());
    cfg.device = real.device.clone();
    cfg.auth_types = AuthTypes::from_bits_retain(0x23);
    cfg.encr_types = EncrTypes::from_bits_retain(0x0d);
    cfg.conn_types = ConnTypes::ESS;
    cfg.config_methods = ConfigMethods::from_bits_retain(0x2388);
    cfg.rf_bands = RfBands::BAND_2_4_GHZ;
    cfg.os_version = 0x8000_0000;
    // m2d_config_error left at its default: SETUP_LOCKED, as the real GO.
    let rng = ScriptedRng::new([vec![0u8; 16]]);
    let t = Instant::now();
    let mut r = Registrar::new(cfg, Box::new(rng), t);
    let mut events = vec![];
    let mut drain = |r: &mut Registrar| {
        let mut sent = vec![];
        while let Some(o) = r.poll_output() {
            match o {
                Output::Transmit(p) => sent.push(p),
                Output::Event(e) => events.push(e),
            }
        }
        sent
    };
    // Our identifiers differ from the capture's: re-address the captured responses.
    let answer = |req: &[u8], captured: &[u8]| {
        let id = EapPacket::parse(req).expect("request").id;
        let mut p = EapPacket::parse(captured).expect("captured");
        p.id = id;
        p.emit().expect("emit")
    };
    let ident = drain(&mut r);
    let resp = EapPacket::new(
        EapCode::RESPONSE,
        EapPacket::parse(&ident[0]).expect("identity").id,
        EapBody::Identity(wps::eap::IDENTITY_ENROLLEE.to_vec()),
    );
    r.handle_input(t, Input::Eap(&resp.emit().expect("emit")));
    let start = drain(&mut r);
    r.handle_input(
        t,
        Input::Eap(&answer(&start[0], v.eap("eapol_m1_to_registrar"))),
    );
    let sent = drain(&mut r);
    assert_eq!(sent.len(), 1);
    let ours = EapPacket::parse(&sent[0]).expect("eap");
    let theirs = EapPacket::parse(v.eap("eapol_m2d_to_enrollee")).expect("eap");
    assert_eq!(ours.body, theirs.body, "M2D byte for byte");
    r.handle_input(
        t,
        Input::Eap(&answer(&sent[0], v.eap("eapol_ack_to_registrar"))),
    );
    let sent = drain(&mut r);
    assert_eq!(sent.len(), 1);
    let mut fail = v.eap("eapol_failure_to_enrollee").to_vec();
    fail[1] = ours.id;
    assert_eq!(sent[0], fail, "EAP-Failure");
    assert!(r.is_finished());
    let m1 = M1::parse(v.wsc("eapol_m1_to_registrar")).expect("m1");
    assert!(events.contains(&RegistrarEvent::PasswordNeeded {
        uuid_e: m1.uuid_e,
        mac: m1.mac_address,
        device_password_id: DevicePasswordId::DEFAULT,
        device: m1.device,
    }));
    assert_eq!(events.last(), Some(&RegistrarEvent::Finished));
}
