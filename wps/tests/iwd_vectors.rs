//! Known answers from iwd's unit/test-wsc.c (see tests/vectors/iwd-test-wsc.txt for the
//! provenance): key pairs, a real exchange with an ASUS router (M1/M2) and a complete PBC
//! registration against an Apple AirPort Extreme (M1..M8, WSC_Done). Nobody on this team
//! wrote these bytes.

mod common;

use common::Vectors;
use wps::attr::{
    AssociationState, AttrType, AuthType, AuthTypes, ConfigError, ConfigMethods, ConnTypes,
    DevicePasswordId, EncrType, EncrTypes, RfBands, WpsState,
};
use wps::crypto::{self, PrivateKey, SessionKeys};
use wps::message::{self, Done, M1, M2, M3, M4, M5, M6, M7, M8, M8Settings, Message};
use wps::pin::Pin;

fn private_key(v: &Vectors, k: &str) -> PrivateKey {
    PrivateKey::from_bytes(v.arr(k))
}

#[test]
fn dh_public_keys_match_iwd() {
    let v = Vectors::iwd();
    for n in ["1", "2"] {
        let pk = private_key(&v, &format!("dh_private_key_{n}")).public_key();
        assert_eq!(
            &pk.0[..],
            v.get(&format!("dh_public_key_{n}")),
            "key pair {n}"
        );
    }
}

#[test]
fn m1_from_iwd_parses_and_rebuilds_byte_for_byte() {
    let v = Vectors::iwd();
    for (frame, pk, band) in [
        ("eap_wsc_m1_1", "dh_public_key_1", RfBands::BAND_5_GHZ),
        ("eap_wsc_m1_2", "dh_public_key_2", RfBands::BAND_2_4_GHZ),
    ] {
        let m1 = M1::parse(v.wsc(frame)).expect(frame);
        assert_eq!(hex::encode(m1.uuid_e), "790c1f804f2b52b7be30c0e97292088d");
        assert_eq!(m1.mac_address, [0xa0, 0xa8, 0xcd, 0x1c, 0x7e, 0xc9]);
        assert_eq!(&m1.public_key.0[..], v.get(pk));
        assert_eq!(
            m1.auth_types,
            AuthTypes::WPA2_PERSONAL | AuthTypes::WPA_PERSONAL | AuthTypes::OPEN
        );
        assert_eq!(
            m1.encr_types,
            EncrTypes::AES | EncrTypes::TKIP | EncrTypes::NONE
        );
        assert_eq!(m1.conn_types, ConnTypes::ESS);
        assert_eq!(
            m1.config_methods,
            ConfigMethods::VIRTUAL_DISPLAY
                | ConfigMethods::KEYPAD
                | ConfigMethods::DISPLAY
                | ConfigMethods::NFC_INTERFACE
        );
        assert_eq!(m1.wps_state, WpsState::NOT_CONFIGURED);
        assert_eq!(m1.device.manufacturer, b" ");
        assert_eq!(m1.device.serial_number.as_deref(), Some(&b" "[..]));
        assert_eq!(m1.rf_bands, band);
        assert_eq!(m1.association_state, AssociationState::NOT_ASSOCIATED);
        assert_eq!(m1.device_password_id, DevicePasswordId::PUSH_BUTTON);
        assert_eq!(m1.config_error, ConfigError::NO_ERROR);
        assert_eq!(m1.os_version, 0x8000_0000);
        assert_eq!(message::version2(&m1.wfa), Some(0x20));
        assert!(m1.extra.is_empty());
        assert_eq!(m1.emit().expect("emit"), v.wsc(frame));
    }
}

/// Derives the session keys from our private key, the two M1/M2 bodies.
fn session_keys(v: &Vectors, priv_key: &str, m1: &M1, m2: &M2) -> SessionKeys {
    let shared = private_key(v, priv_key)
        .shared_secret(&m2.public_key)
        .expect("peer key in range");
    crypto::derive_session_keys(
        &shared,
        &m1.enrollee_nonce,
        &m1.mac_address,
        &m2.registrar_nonce,
    )
}

#[test]
fn m2_from_asus_router_verifies() {
    let v = Vectors::iwd();
    let m1 = M1::parse(v.wsc("eap_wsc_m1_1")).expect("m1");
    let m2 = M2::parse(v.wsc("eap_wsc_m2_1")).expect("m2");
    assert_eq!(m2.enrollee_nonce, m1.enrollee_nonce);
    assert_eq!(
        hex::encode(m2.registrar_nonce),
        "1ae1a2c15affa8b43a4ae1ea713ffb49"
    );
    assert_eq!(hex::encode(m2.uuid_r), "c44aad8d252f52c6f96b385dcb2331ae");
    assert_eq!(m2.device.manufacturer, b"ASUSTeK Computer Inc.");
    assert_eq!(m2.device.model_name, b"Wi-Fi Protected Setup Router");
    assert_eq!(
        m2.device.serial_number.as_deref(),
        Some(&b"10:c3:7b:54:74:d0"[..])
    );
    assert_eq!(m2.device.primary_device_type.category, 6);
    assert_eq!(
        m2.config_methods,
        ConfigMethods::VIRTUAL_PUSH_BUTTON
            | ConfigMethods::PHYSICAL_PUSH_BUTTON
            | ConfigMethods::VIRTUAL_DISPLAY
    );
    assert_eq!(
        m2.authenticator,
        Some([0xec, 0xb1, 0x17, 0xac, 0xd9, 0x33, 0x84, 0x5f])
    );
    assert_eq!(m2.emit().expect("emit"), v.wsc("eap_wsc_m2_1"));
    let keys = session_keys(&v, "dh_private_key_1", &m1, &m2);
    crypto::verify_authenticator(&keys.auth_key, v.wsc("eap_wsc_m1_1"), v.wsc("eap_wsc_m2_1"))
        .expect("authenticator");
    // One flipped bit anywhere in M2 breaks it.
    let mut bad = v.wsc("eap_wsc_m2_1").to_vec();
    bad[40] ^= 1;
    assert_eq!(
        crypto::verify_authenticator(&keys.auth_key, v.wsc("eap_wsc_m1_1"), &bad),
        Err(crypto::CryptoError::BadAuthenticator)
    );
}

#[test]
fn full_pbc_session_with_airport_verifies_end_to_end() {
    let v = Vectors::iwd();
    let body = |k: &str| v.wsc(k).to_vec();
    let m1 = M1::parse(&body("eap_wsc_m1_2")).expect("m1");
    let m2 = M2::parse(&body("eap_wsc_m2_2")).expect("m2");
    assert_eq!(
        message::version2(&m2.wfa),
        None,
        "the AirPort speaks WSC 1.0"
    );
    assert_eq!(m2.device.device_name, b"Denis's AirPort Extreme");
    assert_eq!(m2.extra.len(), 1, "Apple's own vendor extension is kept");
    assert_eq!(m2.emit().expect("emit"), body("eap_wsc_m2_2"));
    let keys = session_keys(&v, "dh_private_key_2", &m1, &m2);
    let pk_e = m1.public_key.clone();
    let pk_r = m2.public_key.clone();

    // Every Authenticator over (previous || current).
    let chain = [
        "eap_wsc_m1_2",
        "eap_wsc_m2_2",
        "eap_wsc_m3",
        "eap_wsc_m4",
        "eap_wsc_m5",
        "eap_wsc_m6",
        "eap_wsc_m7",
        "eap_wsc_m8",
    ];
    for w in chain.windows(2) {
        crypto::verify_authenticator(&keys.auth_key, v.wsc(w[0]), v.wsc(w[1]))
            .unwrap_or_else(|e| panic!("{}: {e}", w[1]));
    }

    // PBC: PIN "00000000".
    let (psk1, psk2) = crypto::derive_psks(&keys.auth_key, Pin::pbc().as_bytes());

    let m3 = M3::parse(&body("eap_wsc_m3")).expect("m3");
    assert_eq!(m3.registrar_nonce, m2.registrar_nonce);
    assert_eq!(m3.emit().expect("emit"), body("eap_wsc_m3"));
    // E-Hash1/2 recomputed from the enrollee's secret nonces.
    let es1: [u8; 16] = v.arr("e_snonce1");
    let es2: [u8; 16] = v.arr("e_snonce2");
    assert_eq!(
        crypto::commitment_hash(&keys.auth_key, &es1, &psk1, &pk_e, &pk_r),
        m3.e_hash1
    );
    assert_eq!(
        crypto::commitment_hash(&keys.auth_key, &es2, &psk2, &pk_e, &pk_r),
        m3.e_hash2
    );

    // M4: decrypt R-SNonce1 and check R-Hash1 against it.
    let m4 = M4::parse(&body("eap_wsc_m4")).expect("m4");
    assert_eq!(m4.emit().expect("emit"), body("eap_wsc_m4"));
    let s4 = crypto::decrypt_settings(&keys, &m4.encrypted_settings).expect("m4 settings");
    assert_eq!(
        &s4[..],
        &v.get("m4_encrypted_settings")[..v.get("m4_encrypted_settings").len() - 12]
    );
    let rs1 = message::parse_snonce_settings(AttrType::R_SNONCE1, &s4).expect("r-snonce1");
    assert!(crypto::verify_commitment(
        &keys.auth_key,
        &rs1,
        &psk1,
        &pk_e,
        &pk_r,
        &m4.r_hash1
    ));

    // M5: our E-SNonce1, encrypted with IV1, reproduces iwd's ciphertext exactly.
    let m5 = M5::parse(&body("eap_wsc_m5")).expect("m5");
    let s5 = crypto::decrypt_settings(&keys, &m5.encrypted_settings).expect("m5 settings");
    assert_eq!(
        *message::parse_snonce_settings(AttrType::E_SNONCE1, &s5).expect("e-snonce1"),
        es1
    );
    let plain = message::build_snonce_settings(AttrType::E_SNONCE1, &es1).expect("build");
    assert_eq!(
        crypto::encrypt_settings(&keys, &v.arr("iv1"), &plain).expect("encrypt"),
        m5.encrypted_settings
    );

    // M6: R-SNonce2 against R-Hash2.
    let m6 = M6::parse(&body("eap_wsc_m6")).expect("m6");
    let s6 = crypto::decrypt_settings(&keys, &m6.encrypted_settings).expect("m6 settings");
    let rs2 = message::parse_snonce_settings(AttrType::R_SNONCE2, &s6).expect("r-snonce2");
    assert!(crypto::verify_commitment(
        &keys.auth_key,
        &rs2,
        &psk2,
        &pk_e,
        &pk_r,
        &m4.r_hash2
    ));
    // A wrong PIN would not match.
    let (bad1, _) = crypto::derive_psks(&keys.auth_key, b"12345670");
    assert!(!crypto::verify_commitment(
        &keys.auth_key,
        &rs1,
        &bad1,
        &pk_e,
        &pk_r,
        &m4.r_hash1
    ));

    // M7: E-SNonce2 with IV2.
    let m7 = M7::parse(&body("eap_wsc_m7")).expect("m7");
    let plain = message::build_snonce_settings(AttrType::E_SNONCE2, &es2).expect("build");
    assert_eq!(
        crypto::encrypt_settings(&keys, &v.arr("iv2"), &plain).expect("encrypt"),
        m7.encrypted_settings
    );

    // M8: the credential.
    let m8 = M8::parse(&body("eap_wsc_m8")).expect("m8");
    assert_eq!(m8.enrollee_nonce, m1.enrollee_nonce);
    let s8 = crypto::decrypt_settings(&keys, &m8.encrypted_settings).expect("m8 settings");
    let settings = M8Settings::parse(&s8).expect("credential");
    assert_eq!(settings.credentials.len(), 1);
    let c = &settings.credentials[0];
    assert_eq!(c.ssid, b"TestWPA");
    assert_eq!(c.auth_type, AuthType::WPA2_PERSONAL);
    assert_eq!(c.encr_type, EncrType::AES);
    assert_eq!(
        &c.network_key[..],
        b"4604D01FFDB0B292E37732DD4E11C2401154289A09A33AD704177AB0D1B758D0"
    );
    assert_eq!(c.mac_address, m1.mac_address);
    // The AirPort numbers its network 0 and adds a Network Key Index (before the key): it is
    // kept and survives a re-encoding (placed after the declared attributes).
    assert_eq!(c.network_index, 0);
    assert_eq!(
        c.extra.iter().map(|a| a.kind()).collect::<Vec<_>>(),
        [AttrType::NETWORK_KEY_INDEX]
    );
    assert_eq!(
        M8Settings::parse(&settings.emit().expect("emit")).expect("reparse"),
        settings
    );
    // iwd's own encoding of the same credential (network index 1, no key index) is what
    // our builder produces too.
    let mut ours = c.clone();
    ours.network_index = 1;
    ours.extra.clear();
    let iwd = v.get("m8_encrypted_settings");
    let built = M8Settings {
        credentials: vec![ours],
        wfa: vec![],
        extra: vec![],
    }
    .emit()
    .expect("emit");
    assert_eq!(built[..], iwd[..iwd.len() - 12]);
    // A tampered ciphertext fails the padding or the Key Wrap Authenticator.
    let mut bad = m8.encrypted_settings.clone();
    bad[20] ^= 0x80;
    assert!(crypto::decrypt_settings(&keys, &bad).is_err());

    let done = Done::parse(&body("eap_wsc_done")).expect("done");
    assert_eq!(
        (done.enrollee_nonce, done.registrar_nonce),
        (m1.enrollee_nonce, m2.registrar_nonce)
    );
    assert_eq!(done.emit().expect("emit"), body("eap_wsc_done"));

    // The generic parser dispatches on the Message Type.
    for (k, t) in [
        ("eap_wsc_m6", 0x0a),
        ("eap_wsc_m8", 0x0c),
        ("eap_wsc_done", 0x0f),
    ] {
        assert_eq!(Message::parse(v.wsc(k)).expect(k).message_type().0, t);
    }
}

#[test]
fn kwa_vectors_verify_with_session_keys() {
    // The decrypted settings in the file end with their KWA; recomputing it over the
    // attributes before it must give the same 8 bytes.
    let v = Vectors::iwd();
    let m1 = M1::parse(v.wsc("eap_wsc_m1_2")).expect("m1");
    let m2 = M2::parse(v.wsc("eap_wsc_m2_2")).expect("m2");
    let keys = session_keys(&v, "dh_private_key_2", &m1, &m2);
    for k in ["m4_encrypted_settings", "m6_encrypted_settings"] {
        let s = v.get(k);
        let (body, kwa) = s.split_at(s.len() - 8);
        assert_eq!(
            &crypto::key_wrap_authenticator(&keys.auth_key, &body[..body.len() - 4]),
            kwa,
            "{k}"
        );
    }
}
