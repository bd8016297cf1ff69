//! Our enrollee against our registrar, in one process, on a virtual clock.

mod common;

use std::time::Duration;

use common::pair::{Dir, ENROLLEE_MAC, Pair, enrollee_cfg, pin, registrar_cfg};
use wps::attr::{ConfigError, DevicePasswordId};
use wps::eap::{EapBody, EapPacket, FLAG_LENGTH_FIELD, FLAG_MORE_FRAGMENTS, OpCode};
use wps::enrollee::EnrolleeEvent;
use wps::pin::DevicePassword;
use wps::registrar::RegistrarEvent;
use wps::session::Failure;

fn assert_success(p: &Pair) {
    let creds = p
        .credentials()
        .unwrap_or_else(|| panic!("no credential: {:?} / {:?}", p.e_events, p.r_events));
    assert_eq!(creds.len(), 1);
    let c = &creds[0];
    assert_eq!(c.ssid, b"DIRECT-xy-test");
    assert_eq!(&c.network_key[..], b"passw0rd-123");
    assert_eq!(c.mac_address, ENROLLEE_MAC, "bound to the enrollee");
    assert!(
        p.r_events.contains(&RegistrarEvent::Succeeded {
            uuid_e: [7; 16],
            mac: ENROLLEE_MAC
        }),
        "{:?}",
        p.r_events
    );
    assert_eq!(p.e_events.last(), Some(&EnrolleeEvent::Finished));
    assert_eq!(p.r_events.last(), Some(&RegistrarEvent::Finished));
    assert!(
        !p.e_events
            .iter()
            .any(|e| matches!(e, EnrolleeEvent::Failed(_)))
    );
}

fn wsc_frames(p: &Pair) -> Vec<(Dir, wps::eap::WscFrame)> {
    p.log
        .iter()
        .filter_map(|(d, b)| match EapPacket::parse(b).ok()?.body {
            EapBody::Wsc(f) => Some((*d, f)),
            _ => None,
        })
        .collect()
}

#[test]
fn pbc_registration_hands_out_the_credential() {
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        registrar_cfg(DevicePassword::pbc()),
        1,
    );
    p.run();
    assert_success(&p);
    // Identity request and response, Start, M1..M8, Done, EAP-Failure: 13 packets, no retransmission.
    assert_eq!(
        p.log.len(),
        13,
        "{:?}",
        p.log.iter().map(|(d, b)| (d, b.len())).collect::<Vec<_>>()
    );
    assert!(p.elapsed() < Duration::from_secs(1));
}

#[test]
fn pin_displayed_by_the_registrar() {
    let pw = pin("12345670", DevicePasswordId::REGISTRAR_SPECIFIED);
    let mut p = Pair::new(enrollee_cfg(7, pw.clone()), registrar_cfg(pw), 2);
    p.run();
    assert_success(&p);
}

#[test]
fn pin_displayed_by_the_enrollee() {
    let pw = pin("24681353", DevicePasswordId::DEFAULT);
    let mut p = Pair::new(
        enrollee_cfg(7, pw.clone()),
        registrar_cfg(pin("24681353", DevicePasswordId::USER_SPECIFIED)),
        3,
    );
    p.run();
    assert_success(&p);
}

#[test]
fn four_digit_pin() {
    let pw = pin("1234", DevicePasswordId::DEFAULT);
    let mut p = Pair::new(enrollee_cfg(7, pw.clone()), registrar_cfg(pw), 4);
    p.run();
    assert_success(&p);
}

fn assert_pin_failure(p: &Pair, half: u8) {
    assert!(p.credentials().is_none());
    assert!(
        p.e_events
            .contains(&EnrolleeEvent::Failed(Failure::DevicePasswordMismatch {
                half
            })),
        "{:?}",
        p.e_events
    );
    assert!(
        p.r_events
            .contains(&RegistrarEvent::Failed(Failure::PeerNack(
                ConfigError::DEVICE_PASSWORD_AUTH_FAILURE
            ))),
        "{:?}",
        p.r_events
    );
    assert!(
        !p.r_events
            .iter()
            .any(|e| matches!(e, RegistrarEvent::Succeeded { .. }))
    );
    assert_eq!(p.r_events.last(), Some(&RegistrarEvent::Finished));
    assert_eq!(p.e_events.last(), Some(&EnrolleeEvent::Finished));
}

/// With two compliant peers the enrollee sees a wrong first half first: the registrar
/// reveals R-S1 in M4 before the enrollee reveals E-S1 in M5 (hostap behaves the same).
#[test]
fn wrong_first_half_fails_with_config_error_18() {
    let mut p = Pair::new(
        enrollee_cfg(7, pin("12345670", DevicePasswordId::DEFAULT)),
        registrar_cfg(pin("99995670", DevicePasswordId::DEFAULT)),
        5,
    );
    p.run();
    assert_pin_failure(&p, 1);
    // The enrollee never revealed E-S1: no M5 went out.
    assert!(
        !wsc_frames(&p)
            .iter()
            .any(|(_, f)| f.data.get(9) == Some(&0x09))
    );
}

#[test]
fn wrong_second_half_fails_with_config_error_18() {
    let mut p = Pair::new(
        enrollee_cfg(7, pin("12345670", DevicePasswordId::DEFAULT)),
        registrar_cfg(pin("12349999", DevicePasswordId::DEFAULT)),
        6,
    );
    p.run();
    assert_pin_failure(&p, 2);
}

/// A registrar whose password does not fit the enrollee answers M1 with M2D, as hostap's
/// does ("Unsupported Device Password ID" / no PIN for this enrollee): the enrollee may
/// come back once the right password is set.
fn assert_m2d_refusal(p: &Pair, device_password_id: DevicePasswordId) {
    assert!(p.credentials().is_none());
    assert!(
        p.r_events.iter().any(|e| matches!(
            e,
            RegistrarEvent::PasswordNeeded { device_password_id: id, .. } if *id == device_password_id
        )),
        "{:?}",
        p.r_events
    );
    assert!(
        !p.r_events
            .iter()
            .any(|e| matches!(e, RegistrarEvent::Failed(_))),
        "{:?}",
        p.r_events
    );
    assert!(
        p.e_events
            .contains(&EnrolleeEvent::Failed(Failure::RegistrarNotReady(
                ConfigError::SETUP_LOCKED
            ))),
        "{:?}",
        p.e_events
    );
}

#[test]
fn pbc_enrollee_refused_by_pin_registrar() {
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        registrar_cfg(pin("12345670", DevicePasswordId::DEFAULT)),
        7,
    );
    p.run();
    assert_m2d_refusal(&p, DevicePasswordId::PUSH_BUTTON);
}

#[test]
fn pin_enrollee_refused_by_pbc_registrar() {
    let mut p = Pair::new(
        enrollee_cfg(7, pin("12345670", DevicePasswordId::DEFAULT)),
        registrar_cfg(DevicePassword::pbc()),
        9,
    );
    p.run();
    assert_m2d_refusal(&p, DevicePasswordId::DEFAULT);
}

#[test]
fn enrollee_other_than_the_authorized_one_gets_m2d() {
    let mut rc = registrar_cfg(pin("12345670", DevicePasswordId::DEFAULT));
    rc.enrollee_mac = Some([2, 0, 0, 0, 0, 0x42]);
    let mut p = Pair::new(
        enrollee_cfg(7, pin("12345670", DevicePasswordId::DEFAULT)),
        rc,
        10,
    );
    p.run();
    assert_m2d_refusal(&p, DevicePasswordId::DEFAULT);
}

#[test]
fn small_fragments_both_ways() {
    let mut ec = enrollee_cfg(7, DevicePassword::pbc());
    let mut rc = registrar_cfg(DevicePassword::pbc());
    ec.fragment_size = 64;
    rc.fragment_size = 100;
    let mut p = Pair::new(ec, rc, 8);
    p.run();
    assert_success(&p);
    let frames = wsc_frames(&p);
    for dir in [Dir::ToEnrollee, Dir::ToRegistrar] {
        let limit = if dir == Dir::ToEnrollee { 100 } else { 64 };
        let ours: Vec<_> = frames.iter().filter(|(d, _)| *d == dir).collect();
        assert!(
            ours.iter()
                .any(|(_, f)| f.flags == FLAG_MORE_FRAGMENTS | FLAG_LENGTH_FIELD),
            "{dir:?}: a first fragment"
        );
        assert!(
            ours.iter().any(|(_, f)| f.flags == FLAG_MORE_FRAGMENTS),
            "{dir:?}: a middle fragment"
        );
        assert!(
            ours.iter().any(|(_, f)| f.op == OpCode::FRAG_ACK),
            "{dir:?}: acknowledges the peer's fragments"
        );
        for (_, f) in &ours {
            let size = 2 + f.message_length.map_or(0, |_| 2) + f.data.len();
            assert!(size <= limit, "{dir:?}: fragment of {size} > {limit}");
        }
    }
}

#[test]
fn lost_m2_is_retransmitted() {
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        registrar_cfg(DevicePassword::pbc()),
        9,
    );
    // Packet 4 is the registrar's M2 (0 Identity req, 1 resp, 2 Start, 3 M1, 4 M2).
    p.tamper = Box::new(|n, _, b| (n != 4).then_some(b));
    p.run();
    assert_success(&p);
    assert_eq!(p.log[4], p.log[5], "the same M2 again");
    assert_eq!(
        p.elapsed(),
        Duration::from_secs(5),
        "after one retransmission interval"
    );
}

#[test]
fn silent_enrollee_times_out() {
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        registrar_cfg(DevicePassword::pbc()),
        10,
    );
    // Everything after M1 from the enrollee is lost.
    p.tamper = Box::new(|n, d, b| (d == Dir::ToEnrollee || n < 4).then_some(b));
    p.run();
    assert!(
        p.r_events
            .contains(&RegistrarEvent::Failed(Failure::Timeout)),
        "{:?}",
        p.r_events
    );
    assert!(
        p.e_events
            .contains(&EnrolleeEvent::Failed(Failure::Timeout)),
        "{:?}",
        p.e_events
    );
    // 3 retransmissions 5 s apart, then give up.
    let m2s = p.log.iter().filter(|(d, _)| *d == Dir::ToEnrollee).count();
    assert_eq!(
        m2s,
        2 + 4 + 1,
        "identity, start, M2 + 3 retransmissions, EAP-Failure"
    );
}

#[test]
fn tampered_m3_authenticator_aborts_both() {
    let mut p = Pair::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        registrar_cfg(DevicePassword::pbc()),
        11,
    );
    // Packet 5 is the enrollee's M3: flip the last Authenticator byte.
    p.tamper = Box::new(|n, _, mut b| {
        if n == 5 {
            let l = b.len();
            b[l - 1] ^= 0x40;
        }
        Some(b)
    });
    p.run();
    assert!(p.credentials().is_none());
    assert!(
        p.r_events.contains(&RegistrarEvent::Failed(Failure::Crypto(
            wps::crypto::CryptoError::BadAuthenticator
        ))),
        "{:?}",
        p.r_events
    );
    assert!(
        p.e_events
            .contains(&EnrolleeEvent::Failed(Failure::PeerNack(
                ConfigError::NO_ERROR
            ))),
        "{:?}",
        p.e_events
    );
}

#[test]
fn same_seed_same_bytes() {
    let run = || {
        let mut p = Pair::new(
            enrollee_cfg(7, DevicePassword::pbc()),
            registrar_cfg(DevicePassword::pbc()),
            12,
        );
        p.run();
        p.log
    };
    assert_eq!(run(), run());
}
