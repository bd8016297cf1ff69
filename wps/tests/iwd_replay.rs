//! Replays the AirPort Extreme registrar's side of iwd's captured PBC session into our
//! enrollee, which is given iwd's nonces, DH key and IVs: every packet our enrollee sends
//! must equal, byte for byte, the packet iwd sent (tests/vectors/iwd-test-wsc.txt).

mod common;

use std::time::{Duration, Instant};

use common::Vectors;
use wps::attr::{AuthType, AuthTypes, ConfigMethods, ConnTypes, EncrType, EncrTypes, RfBands};
use wps::crypto::PrivateKey;
use wps::enrollee::{Enrollee, EnrolleeConfig, EnrolleeEvent};
use wps::message::DeviceInfo;
use wps::pin::DevicePassword;
use wps::rng::ScriptedRng;
use wps::session::{Input, Output};

fn iwd_enrollee(v: &Vectors, now: Instant) -> Enrollee {
    let mut cfg = EnrolleeConfig::new(
        v.wsc("eap_wsc_m1_2")[14..30].try_into().expect("uuid"),
        [0xa0, 0xa8, 0xcd, 0x1c, 0x7e, 0xc9],
        DevicePassword::pbc(),
    );
    cfg.device = DeviceInfo {
        manufacturer: b" ".to_vec(),
        model_name: b" ".to_vec(),
        model_number: b" ".to_vec(),
        serial_number: Some(b" ".to_vec()),
        primary_device_type: Default::default(),
        device_name: b" ".to_vec(),
    };
    cfg.auth_types = AuthTypes::from_bits_retain(0x23);
    cfg.encr_types = EncrTypes::from_bits_retain(0x0d);
    cfg.conn_types = ConnTypes::ESS;
    cfg.config_methods = ConfigMethods::from_bits_retain(0x2148);
    cfg.rf_bands = RfBands::BAND_2_4_GHZ;
    cfg.os_version = 0x8000_0000;
    let nonce_e = v.wsc("eap_wsc_m1_2")[44..60].to_vec();
    let rng = ScriptedRng::new([
        nonce_e,
        v.get("e_snonce1").to_vec(),
        v.get("e_snonce2").to_vec(),
        v.get("iv1").to_vec(),
        v.get("iv2").to_vec(),
    ]);
    // iwd's exponent is 192 bytes, longer than the ones we draw: given, not drawn.
    let dh = PrivateKey::from_slice(v.get("dh_private_key_2")).expect("at most 192 bytes");
    Enrollee::with_key(cfg, Box::new(rng), now, dh)
}

fn drain(e: &mut Enrollee) -> (Vec<Vec<u8>>, Vec<EnrolleeEvent>) {
    let (mut tx, mut ev) = (vec![], vec![]);
    while let Some(o) = e.poll_output() {
        match o {
            Output::Transmit(p) => tx.push(p),
            Output::Event(x) => ev.push(x),
        }
    }
    (tx, ev)
}

#[test]
fn enrollee_reproduces_iwd_frames_byte_for_byte() {
    let v = Vectors::iwd();
    let t0 = Instant::now();
    let mut e = iwd_enrollee(&v, t0);
    let steps = [
        ("eap_identity_req", "eap_identity_resp"),
        ("eap_wsc_start", "eap_wsc_m1_2"),
        ("eap_wsc_m2_2", "eap_wsc_m3"),
        ("eap_wsc_m4", "eap_wsc_m5"),
        ("eap_wsc_m6", "eap_wsc_m7"),
        ("eap_wsc_m8", "eap_wsc_done"),
    ];
    let mut now = t0;
    for (rx, want) in steps {
        now += Duration::from_millis(50);
        e.handle_input(now, Input::Eap(v.eap(rx)));
        let (tx, ev) = drain(&mut e);
        assert_eq!(tx, vec![v.eap(want).to_vec()], "answer to {rx}");
        if rx == "eap_wsc_m8" {
            let [EnrolleeEvent::Credentials(creds)] = &ev[..] else {
                panic!("no credential: {ev:?}")
            };
            assert_eq!(creds[0].ssid, b"TestWPA");
            assert_eq!(creds[0].auth_type, AuthType::WPA2_PERSONAL);
            assert_eq!(creds[0].encr_type, EncrType::AES);
            assert_eq!(creds[0].network_key.len(), 64);
        } else {
            assert!(ev.is_empty(), "{rx}: {ev:?}");
        }
    }
    e.handle_input(now, Input::Eap(v.eap("eap_fail")));
    let (tx, ev) = drain(&mut e);
    assert!(tx.is_empty());
    assert_eq!(ev, vec![EnrolleeEvent::Finished]);
    assert!(e.is_finished());
    assert_eq!(e.poll_timeout(), None);
}

#[test]
fn retransmitted_request_gets_the_same_answer() {
    let v = Vectors::iwd();
    let t0 = Instant::now();
    let mut e = iwd_enrollee(&v, t0);
    e.handle_input(t0, Input::Eap(v.eap("eap_identity_req")));
    e.handle_input(t0, Input::Eap(v.eap("eap_wsc_start")));
    let _ = drain(&mut e);
    e.handle_input(t0, Input::Eap(v.eap("eap_wsc_m2_2")));
    let (first, _) = drain(&mut e);
    // The registrar did not hear M3 and sends M2 again: M3 again, no new randomness drawn.
    e.handle_input(t0, Input::Eap(v.eap("eap_wsc_m2_2")));
    let (again, ev) = drain(&mut e);
    assert_eq!(first, again);
    assert!(ev.is_empty());
}

#[test]
fn enrollee_gives_up_when_the_registrar_goes_silent() {
    let v = Vectors::iwd();
    let t0 = Instant::now();
    let mut e = iwd_enrollee(&v, t0);
    e.handle_input(t0, Input::Eap(v.eap("eap_identity_req")));
    e.handle_input(t0, Input::Eap(v.eap("eap_wsc_start")));
    let _ = drain(&mut e);
    let deadline = e.poll_timeout().expect("a timer runs");
    e.handle_timeout(deadline - Duration::from_millis(1));
    assert!(drain(&mut e).1.is_empty(), "nothing before the deadline");
    e.handle_timeout(deadline);
    let (_, ev) = drain(&mut e);
    assert_eq!(
        ev,
        vec![
            EnrolleeEvent::Failed(wps::session::Failure::Timeout),
            EnrolleeEvent::Finished
        ]
    );
}

#[test]
fn tampered_m2_aborts_with_nack() {
    let v = Vectors::iwd();
    let t0 = Instant::now();
    let mut e = iwd_enrollee(&v, t0);
    e.handle_input(t0, Input::Eap(v.eap("eap_identity_req")));
    e.handle_input(t0, Input::Eap(v.eap("eap_wsc_start")));
    let _ = drain(&mut e);
    let mut m2 = v.eap("eap_wsc_m2_2").to_vec();
    let n = m2.len();
    m2[n - 1] ^= 0x01; // last byte of the Authenticator
    e.handle_input(t0, Input::Eap(&m2));
    let (tx, ev) = drain(&mut e);
    assert_eq!(
        ev,
        vec![EnrolleeEvent::Failed(wps::session::Failure::Crypto(
            wps::crypto::CryptoError::BadAuthenticator
        ))]
    );
    let pkt = wps::eap::EapPacket::parse(&tx[0]).expect("eap");
    let wps::eap::EapBody::Wsc(f) = pkt.body else {
        panic!("not wsc")
    };
    assert_eq!(f.op, wps::eap::OpCode::NACK);
}
