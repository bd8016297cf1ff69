//! Hand-driven peers built from the crate's wire and crypto pieces, for what two compliant
//! machines never do to each other: an enrollee that ignores R-Hash mismatches (so the
//! registrar's own E-Hash1/E-Hash2 checks are reached), and a registrar whose Key Wrap
//! Authenticator is wrong while its Authenticator is right.

mod common;

use std::time::Instant;

use common::pair::{ENROLLEE_MAC, enrollee_cfg, registrar_cfg};
use wps::attr::{
    AssociationState, AttrType, AuthTypes, ConfigError, ConfigMethods, ConnTypes, DevicePasswordId,
    EncrTypes, RfBands, WfaSubelement, WpsState,
};
use wps::crypto::{self, PrivateKey, Secret, SessionKeys};
use wps::eap::{EapBody, EapCode, EapPacket, OpCode, WscFrame};
use wps::enrollee::{Enrollee, EnrolleeEvent};
use wps::message::{self, DeviceInfo, M1, M2, M3, M4, M5, M7, Nack};
use wps::pin::{DevicePassword, Pin};
use wps::registrar::{Registrar, RegistrarEvent};
use wps::rng::SeededRng;
use wps::session::{Failure, Input, Output};

fn wsc(pkt: &[u8]) -> (u8, OpCode, Vec<u8>) {
    let p = EapPacket::parse(pkt).expect("eap");
    match p.body {
        EapBody::Wsc(f) => (p.id, f.op, f.data),
        other => panic!("not EAP-WSC: {other:?}"),
    }
}

fn packet(code: EapCode, id: u8, op: OpCode, data: Vec<u8>) -> Vec<u8> {
    EapPacket::new(code, id, EapBody::Wsc(WscFrame::whole(op, data)))
        .emit()
        .expect("emit")
}

fn v2() -> Vec<WfaSubelement> {
    vec![WfaSubelement::Version2(0x20)]
}

/// Runs our registrar (PIN 12345670) against a hand-made enrollee that uses `enrollee_pin`
/// and never checks R-Hash; returns the registrar's events and the WSC_NACK it sent.
fn registrar_vs_reckless_enrollee(enrollee_pin: &[u8]) -> (Vec<RegistrarEvent>, Nack) {
    let t = Instant::now();
    let pw = DevicePassword::pin(
        Pin::parse("12345670").expect("pin"),
        DevicePasswordId::DEFAULT,
    );
    let mut r = Registrar::new(registrar_cfg(pw), Box::new(SeededRng::new(40)), t);
    let mut events = vec![];
    let next = |r: &mut Registrar, events: &mut Vec<RegistrarEvent>| -> Vec<u8> {
        let mut tx = None;
        while let Some(o) = r.poll_output() {
            match o {
                Output::Transmit(p) if tx.is_none() => tx = Some(p),
                Output::Transmit(_) => {}
                Output::Event(e) => events.push(e),
            }
        }
        tx.expect("registrar sent nothing")
    };
    let req = next(&mut r, &mut events);
    let id = EapPacket::parse(&req).expect("identity").id;
    let resp = EapPacket::new(
        EapCode::RESPONSE,
        id,
        EapBody::Identity(wps::eap::IDENTITY_ENROLLEE.to_vec()),
    );
    r.handle_input(t, Input::Eap(&resp.emit().expect("emit")));
    let (id, op, _) = wsc(&next(&mut r, &mut events));
    assert_eq!(op, OpCode::START);

    let dh = PrivateKey::from_bytes([0x42; 192]);
    let nonce_e = [0x11; 16];
    let m1 = M1 {
        uuid_e: [7; 16],
        mac_address: ENROLLEE_MAC,
        enrollee_nonce: nonce_e,
        public_key: dh.public_key(),
        auth_types: AuthTypes::WPA2_PERSONAL,
        encr_types: EncrTypes::AES,
        conn_types: ConnTypes::ESS,
        config_methods: ConfigMethods::KEYPAD,
        wps_state: WpsState::NOT_CONFIGURED,
        device: DeviceInfo::default(),
        rf_bands: RfBands::BAND_2_4_GHZ,
        association_state: AssociationState::NOT_ASSOCIATED,
        device_password_id: DevicePasswordId::DEFAULT,
        config_error: ConfigError::NO_ERROR,
        os_version: 0,
        wfa: v2(),
        extra: vec![],
    }
    .emit()
    .expect("m1");
    r.handle_input(
        t,
        Input::Eap(&packet(EapCode::RESPONSE, id, OpCode::MSG, m1.clone())),
    );
    let (id, _, m2b) = wsc(&next(&mut r, &mut events));
    let m2 = M2::parse(&m2b).expect("m2");
    let shared = dh.shared_secret(&m2.public_key).expect("shared");
    let keys = crypto::derive_session_keys(&shared, &nonce_e, &ENROLLEE_MAC, &m2.registrar_nonce);
    let (psk1, psk2) = crypto::derive_psks(&keys.auth_key, enrollee_pin);
    let pk_e = dh.public_key();
    let (es1, es2) = ([0x21; 16], [0x22; 16]);
    let mut m3 = M3 {
        registrar_nonce: m2.registrar_nonce,
        e_hash1: crypto::commitment_hash(&keys.auth_key, &es1, &psk1, &pk_e, &m2.public_key),
        e_hash2: crypto::commitment_hash(&keys.auth_key, &es2, &psk2, &pk_e, &m2.public_key),
        wfa: v2(),
        extra: vec![],
        authenticator: None,
    }
    .emit()
    .expect("m3");
    crypto::append_authenticator(&keys.auth_key, &m2b, &mut m3);
    r.handle_input(
        t,
        Input::Eap(&packet(EapCode::RESPONSE, id, OpCode::MSG, m3.clone())),
    );
    let (id, op, m4b) = wsc(&next(&mut r, &mut events));
    assert_eq!(op, OpCode::MSG);

    // Reveal E-S1 whatever R-Hash1 says.
    let seal = |kind, n: &[u8; 16], iv: u8| {
        let s = message::build_snonce_settings(kind, n).expect("settings");
        crypto::encrypt_settings(&keys, &[iv; 16], &s).expect("encrypt")
    };
    let mut m5 = M5 {
        registrar_nonce: m2.registrar_nonce,
        encrypted_settings: seal(AttrType::E_SNONCE1, &es1, 1),
        wfa: v2(),
        extra: vec![],
        authenticator: None,
    }
    .emit()
    .expect("m5");
    crypto::append_authenticator(&keys.auth_key, &m4b, &mut m5);
    r.handle_input(
        t,
        Input::Eap(&packet(EapCode::RESPONSE, id, OpCode::MSG, m5.clone())),
    );
    let (id, op, data) = wsc(&next(&mut r, &mut events));
    if op == OpCode::NACK {
        return (events, Nack::parse(&data).expect("nack"));
    }
    let mut m7 = M7 {
        registrar_nonce: m2.registrar_nonce,
        encrypted_settings: seal(AttrType::E_SNONCE2, &es2, 2),
        wfa: v2(),
        extra: vec![],
        authenticator: None,
    }
    .emit()
    .expect("m7");
    crypto::append_authenticator(&keys.auth_key, &data, &mut m7);
    r.handle_input(
        t,
        Input::Eap(&packet(EapCode::RESPONSE, id, OpCode::MSG, m7)),
    );
    let (_, op, data) = wsc(&next(&mut r, &mut events));
    assert_eq!(op, OpCode::NACK, "M7 with a wrong E-S2 must be refused");
    (events, Nack::parse(&data).expect("nack"))
}

#[test]
fn registrar_detects_wrong_first_half_at_e_hash1() {
    let (events, nack) = registrar_vs_reckless_enrollee(b"99995670");
    assert_eq!(nack.config_error, ConfigError::DEVICE_PASSWORD_AUTH_FAILURE);
    assert!(
        events.contains(&RegistrarEvent::Failed(Failure::DevicePasswordMismatch {
            half: 1
        })),
        "{events:?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, RegistrarEvent::Succeeded { .. }))
    );
}

#[test]
fn registrar_detects_wrong_second_half_at_e_hash2() {
    let (events, nack) = registrar_vs_reckless_enrollee(b"12349999");
    assert_eq!(nack.config_error, ConfigError::DEVICE_PASSWORD_AUTH_FAILURE);
    assert!(
        events.contains(&RegistrarEvent::Failed(Failure::DevicePasswordMismatch {
            half: 2
        })),
        "{events:?}"
    );
}

/// A registrar whose M4 carries a valid Authenticator but a wrong Key Wrap Authenticator.
#[test]
fn enrollee_aborts_on_bad_key_wrap_authenticator() {
    let t = Instant::now();
    let mut e = Enrollee::new(
        enrollee_cfg(7, DevicePassword::pbc()),
        Box::new(SeededRng::new(50)),
        t,
    );
    let rx = |e: &mut Enrollee, pkt: Vec<u8>| -> (Vec<Vec<u8>>, Vec<EnrolleeEvent>) {
        e.handle_input(t, Input::Eap(&pkt));
        let (mut tx, mut ev) = (vec![], vec![]);
        while let Some(o) = e.poll_output() {
            match o {
                Output::Transmit(p) => tx.push(p),
                Output::Event(x) => ev.push(x),
            }
        }
        (tx, ev)
    };
    rx(
        &mut e,
        EapPacket::new(EapCode::REQUEST, 1, EapBody::Identity(vec![]))
            .emit()
            .expect("id"),
    );
    let (tx, _) = rx(&mut e, packet(EapCode::REQUEST, 2, OpCode::START, vec![]));
    let (_, _, m1b) = wsc(&tx[0]);
    let m1 = M1::parse(&m1b).expect("m1");
    let dh = PrivateKey::from_bytes([0x37; 192]);
    let nonce_r = [0x99; 16];
    let mut m2 = M2 {
        enrollee_nonce: m1.enrollee_nonce,
        registrar_nonce: nonce_r,
        uuid_r: [0xaa; 16],
        public_key: dh.public_key(),
        auth_types: AuthTypes::WPA2_PERSONAL,
        encr_types: EncrTypes::AES,
        conn_types: ConnTypes::ESS,
        config_methods: ConfigMethods::PUSH_BUTTON,
        device: DeviceInfo::default(),
        rf_bands: RfBands::BAND_2_4_GHZ,
        association_state: AssociationState::NOT_ASSOCIATED,
        config_error: ConfigError::NO_ERROR,
        device_password_id: DevicePasswordId::PUSH_BUTTON,
        os_version: 0,
        encrypted_settings: None,
        wfa: v2(),
        extra: vec![],
        authenticator: None,
    }
    .emit()
    .expect("m2");
    let keys = crypto::derive_session_keys(
        &dh.shared_secret(&m1.public_key).expect("s"),
        &m1.enrollee_nonce,
        &m1.mac_address,
        &nonce_r,
    );
    crypto::append_authenticator(&keys.auth_key, &m1b, &mut m2);
    let (tx, ev) = rx(&mut e, packet(EapCode::REQUEST, 3, OpCode::MSG, m2.clone()));
    assert!(ev.is_empty(), "{ev:?}");
    let (_, _, m3b) = wsc(&tx[0]);
    let (psk1, psk2) = crypto::derive_psks(&keys.auth_key, b"00000000");
    let (rs1, rs2) = ([1u8; 16], [2u8; 16]);
    // Right KeyWrapKey (so it decrypts), wrong AuthKey for the KWA.
    let wrong = SessionKeys {
        auth_key: Secret::new([0x55; 32]),
        key_wrap_key: keys.key_wrap_key.clone(),
        emsk: keys.emsk.clone(),
    };
    let settings = message::build_snonce_settings(AttrType::R_SNONCE1, &rs1).expect("s");
    let mut m4 = M4 {
        enrollee_nonce: m1.enrollee_nonce,
        r_hash1: crypto::commitment_hash(
            &keys.auth_key,
            &rs1,
            &psk1,
            &m1.public_key,
            &dh.public_key(),
        ),
        r_hash2: crypto::commitment_hash(
            &keys.auth_key,
            &rs2,
            &psk2,
            &m1.public_key,
            &dh.public_key(),
        ),
        encrypted_settings: crypto::encrypt_settings(&wrong, &[3; 16], &settings).expect("enc"),
        wfa: v2(),
        extra: vec![],
        authenticator: None,
    }
    .emit()
    .expect("m4");
    crypto::append_authenticator(&keys.auth_key, &m3b, &mut m4);
    let (tx, ev) = rx(&mut e, packet(EapCode::REQUEST, 4, OpCode::MSG, m4));
    assert_eq!(
        ev,
        vec![EnrolleeEvent::Failed(Failure::Crypto(
            crypto::CryptoError::BadKeyWrapAuthenticator
        ))]
    );
    let (_, op, _) = wsc(&tx[0]);
    assert_eq!(op, OpCode::NACK, "no M5: E-S1 stays secret");
    let (_, ev) = rx(
        &mut e,
        EapPacket::new(EapCode::FAILURE, 4, EapBody::None)
            .emit()
            .expect("f"),
    );
    assert_eq!(ev, vec![EnrolleeEvent::Finished]);
}
