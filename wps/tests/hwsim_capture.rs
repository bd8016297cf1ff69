//! Known answers from two real wpa_supplicants (P2P GO = registrar, P2P client = enrollee)
//! captured in the hwsim guest: tests/vectors/hwsim-p2p-pin.txt (PIN 12345670) and
//! hwsim-p2p-pbc.txt (push button), made by wps/captures/wps-{pin,pbc}-capture.sh and
//! extract.py (raw artifacts in wps/captures/p2p-{pin,pbc}/).
//! The crate parses every message, derives the keys wpa_supplicant logged, verifies every
//! Authenticator, E-Hash and R-Hash, decrypts the credential; and each of our machines,
//! given the randomness the corresponding wpa_supplicant drew, answers the other
//! wpa_supplicant's messages with the very bytes it sent.

mod common;

use std::time::Instant;

use common::Vectors;
use wps::attr::AttrType;
use wps::crypto::{self, PrivateKey, Secret};
use wps::eap::{EapBody, EapCode, EapPacket, OpCode, WscFrame};
use wps::enrollee::{Enrollee, EnrolleeConfig, EnrolleeEvent};
use wps::message::{self, Credential, Done, M1, M2, M3, M4, M5, M6, M7, M8, M8Settings};
use wps::pin::{DevicePassword, Pin};
use wps::registrar::{Registrar, RegistrarConfig, RegistrarEvent};
use wps::rng::ScriptedRng;
use wps::session::{Input, Output};

/// The two captures and the device password each used.
const PIN_CAPTURE: (&str, &str) = ("hwsim-p2p-pin.txt", "12345670");
const PBC_CAPTURE: (&str, &str) = ("hwsim-p2p-pbc.txt", "00000000");

struct Capture {
    v: Vectors,
    /// EAP packets in air order.
    eap: Vec<Vec<u8>>,
    pin: &'static str,
}

impl Capture {
    fn load((file, pin): (&str, &'static str)) -> Capture {
        let v = Vectors(common::load(file));
        let mut names: Vec<_> =
            v.0.keys()
                .filter(|k| k.starts_with("eap_"))
                .cloned()
                .collect();
        names.sort();
        let eap = names.iter().map(|n| v.get(n).to_vec()).collect();
        Capture { v, eap, pin }
    }
    /// WSC message bodies (no fragmentation happened in this capture: checked).
    fn wsc(&self) -> Vec<Vec<u8>> {
        self.eap
            .iter()
            .filter_map(|p| match EapPacket::parse(p).expect("eap").body {
                EapBody::Wsc(f) if f.op == OpCode::MSG || f.op == OpCode::DONE => {
                    assert_eq!(f.flags, 0, "unfragmented");
                    Some(f.data)
                }
                _ => None,
            })
            .collect()
    }
    fn secret<const N: usize>(&self, k: &str) -> Secret<N> {
        Secret::new(self.v.arr(k))
    }
}

fn keys_match_what_wpa_supplicant_logged(c: Capture) {
    let w = c.wsc();
    let m1 = M1::parse(&w[0]).expect("m1");
    let m2 = M2::parse(&w[1]).expect("m2");
    let e_priv = PrivateKey::from_slice(c.v.get("enrollee_dh_private_key")).expect("key");
    let r_priv = PrivateKey::from_slice(c.v.get("registrar_dh_private_key")).expect("key");
    assert_eq!(
        &e_priv.public_key().0[..],
        c.v.get("enrollee_dh_own_public_key")
    );
    assert_eq!(e_priv.public_key(), m1.public_key);
    assert_eq!(
        &r_priv.public_key().0[..],
        c.v.get("registrar_dh_own_public_key")
    );
    assert_eq!(r_priv.public_key(), m2.public_key);
    let shared = e_priv.shared_secret(&m2.public_key).expect("shared");
    assert_eq!(
        shared,
        r_priv.shared_secret(&m1.public_key).expect("shared")
    );
    for side in ["enrollee", "registrar"] {
        assert_eq!(
            &shared.expose()[..],
            c.v.get(&format!("{side}_dh_shared_key"))
        );
        let dhkey = crypto::dh_key(&shared);
        assert_eq!(dhkey, c.secret(&format!("{side}_dhkey")));
        let kdk = crypto::kdk(
            &dhkey,
            &m1.enrollee_nonce,
            &m1.mac_address,
            &m2.registrar_nonce,
        );
        assert_eq!(kdk, c.secret(&format!("{side}_kdk")));
        let keys = crypto::kdf(&kdk);
        assert_eq!(keys.auth_key, c.secret(&format!("{side}_authkey")));
        assert_eq!(keys.key_wrap_key, c.secret(&format!("{side}_keywrapkey")));
        assert_eq!(keys.emsk, c.secret(&format!("{side}_emsk")));
        let (psk1, psk2) = crypto::derive_psks(&keys.auth_key, c.pin.as_bytes());
        assert_eq!(psk1, c.secret(&format!("{side}_psk1")));
        assert_eq!(psk2, c.secret(&format!("{side}_psk2")));
    }
    if let Some(pw) = c.v.0.get("enrollee_ap_pin_dev_password") {
        assert_eq!(pw, c.pin.as_bytes());
    }
}

fn every_message_parses_and_verifies(c: Capture) {
    let w = c.wsc();
    assert_eq!(w.len(), 9, "M1..M8 and WSC_Done");
    let m1 = M1::parse(&w[0]).expect("m1");
    let m2 = M2::parse(&w[1]).expect("m2");
    let m3 = M3::parse(&w[2]).expect("m3");
    let m4 = M4::parse(&w[3]).expect("m4");
    let m5 = M5::parse(&w[4]).expect("m5");
    let m6 = M6::parse(&w[5]).expect("m6");
    let m7 = M7::parse(&w[6]).expect("m7");
    let m8 = M8::parse(&w[7]).expect("m8");
    let done = Done::parse(&w[8]).expect("done");
    for (i, m) in w.iter().enumerate() {
        assert_eq!(
            &message::Message::parse(m)
                .expect("parse")
                .emit()
                .expect("emit"),
            m,
            "message {i} re-encodes byte for byte"
        );
    }
    assert_eq!(&m1.enrollee_nonce[..], c.v.get("enrollee_enrollee_nonce"));
    assert_eq!(
        &m2.registrar_nonce[..],
        c.v.get("registrar_registrar_nonce")
    );
    assert_eq!(&m2.uuid_r[..], c.v.get("registrar_uuid_r"));
    assert_eq!(&m1.uuid_e[..], c.v.get("registrar_uuid_e"));
    assert_eq!(
        (done.enrollee_nonce, done.registrar_nonce),
        (m1.enrollee_nonce, m2.registrar_nonce)
    );

    let e_priv = PrivateKey::from_slice(c.v.get("enrollee_dh_private_key")).expect("key");
    let keys = crypto::derive_session_keys(
        &e_priv.shared_secret(&m2.public_key).expect("s"),
        &m1.enrollee_nonce,
        &m1.mac_address,
        &m2.registrar_nonce,
    );
    for pair in w[..8].windows(2) {
        crypto::verify_authenticator(&keys.auth_key, &pair[0], &pair[1]).expect("authenticator");
    }
    let (psk1, psk2) = crypto::derive_psks(&keys.auth_key, c.pin.as_bytes());
    let (pk_e, pk_r) = (&m1.public_key, &m2.public_key);
    assert_eq!(&m3.e_hash1[..], c.v.get("enrollee_e_hash1"));
    assert!(crypto::verify_commitment(
        &keys.auth_key,
        &c.v.arr("enrollee_e_s1"),
        &psk1,
        pk_e,
        pk_r,
        &m3.e_hash1
    ));
    assert!(crypto::verify_commitment(
        &keys.auth_key,
        &c.v.arr("enrollee_e_s2"),
        &psk2,
        pk_e,
        pk_r,
        &m3.e_hash2
    ));
    assert!(crypto::verify_commitment(
        &keys.auth_key,
        &c.v.arr("registrar_r_s1"),
        &psk1,
        pk_e,
        pk_r,
        &m4.r_hash1
    ));
    assert!(crypto::verify_commitment(
        &keys.auth_key,
        &c.v.arr("registrar_r_s2"),
        &psk2,
        pk_e,
        pk_r,
        &m4.r_hash2
    ));

    let open = |enc: &[u8], kind| {
        *message::parse_snonce_settings(
            kind,
            &crypto::decrypt_settings(&keys, enc).expect("decrypt"),
        )
        .expect("nonce")
    };
    assert_eq!(
        open(&m4.encrypted_settings, AttrType::R_SNONCE1),
        c.v.arr::<16>("registrar_r_s1")
    );
    assert_eq!(
        open(&m5.encrypted_settings, AttrType::E_SNONCE1),
        c.v.arr::<16>("enrollee_e_s1")
    );
    assert_eq!(
        open(&m6.encrypted_settings, AttrType::R_SNONCE2),
        c.v.arr::<16>("registrar_r_s2")
    );
    assert_eq!(
        open(&m7.encrypted_settings, AttrType::E_SNONCE2),
        c.v.arr::<16>("enrollee_e_s2")
    );

    let settings =
        M8Settings::parse(&crypto::decrypt_settings(&keys, &m8.encrypted_settings).expect("m8"))
            .expect("credential");
    let cred: &Credential = &settings.credentials[0];
    assert_eq!(cred.ssid, c.v.get("credential_ssid"));
    assert_eq!(
        &cred.network_key[..],
        c.v.get("enrollee_network_key"),
        "wpa_supplicant hands out the PSK as 64 hex digits"
    );
    assert_eq!(cred.auth_type, wps::attr::AuthType::WPA2_PERSONAL);
    assert_eq!(cred.encr_type, wps::attr::EncrType::AES);
    assert_eq!(cred.mac_address, m1.mac_address);
}

/// Our enrollee, configured like wpa_supplicant's M1 and fed its random values, answers the
/// real registrar's packets with the real enrollee's packets, byte for byte.
fn our_enrollee_replays_the_real_enrollee(c: Capture) {
    let w = c.wsc();
    let m1 = M1::parse(&w[0]).expect("m1");
    let iv = |m: &[u8]| M5::parse(m).map(|x| x.encrypted_settings[..16].to_vec());
    let iv7 = M7::parse(&w[6]).expect("m7").encrypted_settings[..16].to_vec();
    let mut cfg = EnrolleeConfig::new(
        m1.uuid_e,
        m1.mac_address,
        DevicePassword::pin(Pin::parse(c.pin).expect("pin"), m1.device_password_id),
    );
    cfg.device = m1.device.clone();
    cfg.auth_types = m1.auth_types;
    cfg.encr_types = m1.encr_types;
    cfg.conn_types = m1.conn_types;
    cfg.config_methods = m1.config_methods;
    cfg.wps_state = m1.wps_state;
    cfg.rf_bands = m1.rf_bands;
    cfg.os_version = m1.os_version;
    cfg.m1_extra = m1.extra.clone();
    // Our draw is DRAWN_EXPONENT_LEN bytes; wpa_supplicant's 25-byte exponent, padded.
    let mut key = vec![0u8; crypto::dh::DRAWN_EXPONENT_LEN - c.v.get("enrollee_dh_private_key").len()];
    key.extend_from_slice(c.v.get("enrollee_dh_private_key"));
    let rng = ScriptedRng::new([
        m1.enrollee_nonce.to_vec(),
        key,
        c.v.get("enrollee_e_s1").to_vec(),
        c.v.get("enrollee_e_s2").to_vec(),
        iv(&w[4]).expect("m5"),
        iv7,
    ]);
    let mut e = Enrollee::new(cfg, Box::new(rng), Instant::now());
    let mut credentials = None;
    for pair in c.eap.chunks(2) {
        e.handle_input(Instant::now(), Input::Eap(&pair[0]));
        let mut sent = vec![];
        while let Some(o) = e.poll_output() {
            match o {
                Output::Transmit(p) => sent.push(p),
                Output::Event(EnrolleeEvent::Credentials(cr)) => credentials = Some(cr),
                Output::Event(_) => {}
            }
        }
        match pair.get(1) {
            Some(want) => assert_eq!(
                sent,
                vec![want.clone()],
                "answer to {}",
                hex::encode(&pair[0][..8])
            ),
            None => assert!(sent.is_empty()),
        }
    }
    assert!(e.is_finished());
    assert_eq!(
        credentials.expect("credential")[0].ssid,
        c.v.get("credential_ssid")
    );
}

/// Our registrar, configured like wpa_supplicant's GO and fed its random values, answers
/// the real enrollee's messages with the real registrar's messages (WSC bodies compared:
/// the EAP identifiers are the session's own).
fn our_registrar_replays_the_real_registrar(c: Capture) {
    let w = c.wsc();
    let m1 = M1::parse(&w[0]).expect("m1");
    let m2 = M2::parse(&w[1]).expect("m2");
    let m8 = M8::parse(&w[7]).expect("m8");
    let e_priv = PrivateKey::from_slice(c.v.get("enrollee_dh_private_key")).expect("key");
    let keys = crypto::derive_session_keys(
        &e_priv.shared_secret(&m2.public_key).expect("s"),
        &m1.enrollee_nonce,
        &m1.mac_address,
        &m2.registrar_nonce,
    );
    let cred =
        M8Settings::parse(&crypto::decrypt_settings(&keys, &m8.encrypted_settings).expect("m8"))
            .expect("settings")
            .credentials
            .remove(0);
    let mut cfg = RegistrarConfig::new(
        m2.uuid_r,
        DevicePassword::pin(Pin::parse(c.pin).expect("pin"), m2.device_password_id),
        cred,
    );
    cfg.device = m2.device.clone();
    cfg.auth_types = m2.auth_types;
    cfg.encr_types = m2.encr_types;
    cfg.conn_types = m2.conn_types;
    cfg.config_methods = m2.config_methods;
    cfg.rf_bands = m2.rf_bands;
    cfg.os_version = m2.os_version;
    cfg.m2_extra = m2.extra.clone();
    let iv = |i: usize| Message8::iv(&w[i]);
    // Our draw is DRAWN_EXPONENT_LEN bytes; wpa_supplicant's 25-byte exponent, padded.
    let mut key = vec![0u8; crypto::dh::DRAWN_EXPONENT_LEN - c.v.get("registrar_dh_private_key").len()];
    key.extend_from_slice(c.v.get("registrar_dh_private_key"));
    let rng = ScriptedRng::new([
        m2.registrar_nonce.to_vec(),
        key,
        c.v.get("registrar_r_s1").to_vec(),
        c.v.get("registrar_r_s2").to_vec(),
        iv(3),
        iv(5),
        iv(7),
    ]);
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
    let first = drain(&mut r);
    let id = EapPacket::parse(&first[0]).expect("identity").id;
    let resp = EapPacket::new(
        EapCode::RESPONSE,
        id,
        EapBody::Identity(wps::eap::IDENTITY_ENROLLEE.to_vec()),
    );
    r.handle_input(t, Input::Eap(&resp.emit().expect("emit")));
    let mut last = drain(&mut r);
    // Enrollee messages M1, M3, M5, M7, Done; our answers must be M2, M4, M6, M8, EAP-Failure.
    for (i, msg) in [0usize, 2, 4, 6, 8].into_iter().map(|i| (i, &w[i])) {
        let req = EapPacket::parse(&last[0]).expect("request");
        let op = if i == 8 { OpCode::DONE } else { OpCode::MSG };
        let pkt = EapPacket::new(
            EapCode::RESPONSE,
            req.id,
            EapBody::Wsc(WscFrame::whole(op, msg.clone())),
        );
        r.handle_input(t, Input::Eap(&pkt.emit().expect("emit")));
        last = drain(&mut r);
        let got = EapPacket::parse(&last[0]).expect("answer");
        if i == 8 {
            assert_eq!(got.code, EapCode::FAILURE);
        } else {
            let EapBody::Wsc(f) = got.body else {
                panic!("not wsc")
            };
            assert_eq!(
                hex::encode(&f.data),
                hex::encode(&w[i + 1]),
                "our answer to message {i}"
            );
        }
    }
    assert!(
        events.contains(&RegistrarEvent::Succeeded {
            uuid_e: m1.uuid_e,
            mac: m1.mac_address
        }),
        "{events:?}"
    );
}

struct Message8;
impl Message8 {
    /// The IV that starts the Encrypted Settings of M4, M6 or M8.
    fn iv(body: &[u8]) -> Vec<u8> {
        match message::Message::parse(body).expect("message") {
            message::Message::M4(m) => m.encrypted_settings[..16].to_vec(),
            message::Message::M6(m) => m.encrypted_settings[..16].to_vec(),
            message::Message::M8(m) => m.encrypted_settings[..16].to_vec(),
            other => panic!("no settings in {:?}", other.message_type()),
        }
    }
}

macro_rules! for_both_captures {
    ($($check:ident),*) => {
        mod pin {
            $(#[test] fn $check() { super::$check(super::Capture::load(super::PIN_CAPTURE)) })*
        }
        mod pbc {
            $(#[test] fn $check() { super::$check(super::Capture::load(super::PBC_CAPTURE)) })*
        }
    };
}

for_both_captures!(
    keys_match_what_wpa_supplicant_logged,
    every_message_parses_and_verifies,
    our_enrollee_replays_the_real_enrollee,
    our_registrar_replays_the_real_registrar
);
