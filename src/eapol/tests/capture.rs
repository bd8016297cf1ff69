//! The iwd-captured WPA2 handshakes (see [`super::vectors`]): the crypto
//! reproduces their MICs and unwraps their GTKs, and the machines reproduce
//! the captured frames byte for byte when given the captured nonces.

use super::vectors::{self as v, bytes};
use crate::eapol::crypto::{self, Pmk, Ptk, sign_pdu};
use crate::eapol::wire::{KeyData, KeyFrame};
use crate::eapol::*;
use std::time::{Duration, Instant};

fn pmk() -> Pmk {
    crypto::psk_from_passphrase(v::PASSPHRASE, v::SSID).expect("valid passphrase")
}

fn ptk_a() -> Ptk {
    let m1 = bytes(v::HOSTAPD_MSG1);
    let m2 = bytes(v::STA_MSG2);
    let anonce = KeyFrame::parse(&m1).expect("m1").nonce;
    let snonce = KeyFrame::parse(&m2).expect("m2").nonce;
    Ptk::derive(&pmk(), &v::AA, &v::SPA, &anonce, &snonce)
}

/// Rewrites a frame's Replay Counter and signs it again, as iwd's
/// `UPDATED_REPLAY_COUNTER` does to fake a retransmission.
fn with_counter(frame_hex: &str, counter: u64, ptk: &Ptk) -> Vec<u8> {
    let b = bytes(frame_hex);
    let mut f = KeyFrame::parse(&b).expect("frame");
    f.replay_counter = counter;
    let mut pdu = f.to_vec().expect("emit");
    assert!(sign_pdu(&ptk.kck, &mut pdu));
    pdu
}

#[test]
fn psk_matches_iwd() {
    assert_eq!(hex::encode(pmk().as_bytes()), v::PSK);
}

#[test]
fn capture_a_mics_verify_and_gtks_unwrap() {
    let ptk = ptk_a();
    for frame in [
        v::STA_MSG2,
        v::HOSTAPD_MSG3,
        v::STA_MSG4,
        v::HOSTAPD_GROUP1,
        v::STA_GROUP2,
    ] {
        let mut b = bytes(frame);
        assert!(crypto::verify_mic(&ptk.kck, &b), "MIC of {frame}");
        // One flipped bit anywhere breaks it.
        b[20] ^= 0x01;
        assert!(!crypto::verify_mic(&ptk.kck, &b));
    }
    let m3 = bytes(v::HOSTAPD_MSG3);
    let f = KeyFrame::parse(&m3).expect("m3");
    let plain = crypto::unwrap_key_data(&ptk.kek, f.key_data).expect("unwraps");
    let kd = KeyData::parse(&plain).expect("key data");
    assert_eq!(kd.rsne(), Some(&bytes(v::AP_RSNE)[..]));
    let gtk = kd.gtk().expect("GTK KDE");
    assert_eq!(gtk.key.len(), 16);
    assert_eq!(gtk.key_id, 1);
    let g1 = bytes(v::HOSTAPD_GROUP1);
    let f = KeyFrame::parse(&g1).expect("group 1");
    let plain = crypto::unwrap_key_data(&ptk.kek, f.key_data).expect("unwraps");
    let kd = KeyData::parse(&plain).expect("key data");
    let new_gtk = kd.gtk().expect("GTK KDE");
    assert_eq!(new_gtk.key.len(), 16);
    assert_eq!(new_gtk.key_id, 2);
    // The wrong PMK neither verifies nor unwraps.
    let wrong = Ptk::derive(
        &Pmk::from_bytes([0; 32]),
        &v::AA,
        &v::SPA,
        &[0; 32],
        &[0; 32],
    );
    assert!(!crypto::verify_mic(&wrong.kck, &m3));
    assert!(
        crypto::unwrap_key_data(&wrong.kek, KeyFrame::parse(&m3).expect("m3").key_data).is_err()
    );
}

#[test]
fn capture_b_mics_verify() {
    let m1 = bytes(v::B_MSG1);
    let m2 = bytes(v::B_MSG2);
    let anonce = KeyFrame::parse(&m1).expect("m1").nonce;
    let snonce = KeyFrame::parse(&m2).expect("m2").nonce;
    let ptk = Ptk::derive(&pmk(), &v::B_AA, &v::B_SPA, &anonce, &snonce);
    for frame in [v::B_MSG2, v::B_MSG3, v::B_MSG4] {
        assert!(
            crypto::verify_mic(&ptk.kck, &bytes(frame)),
            "MIC of {frame}"
        );
    }
    let m3 = bytes(v::B_MSG3);
    let f = KeyFrame::parse(&m3).expect("m3");
    let plain = crypto::unwrap_key_data(&ptk.kek, f.key_data).expect("unwraps");
    let kd = KeyData::parse(&plain).expect("key data");
    assert!(kd.rsne().is_some());
    assert_eq!(kd.gtk().map(|g| g.key.len()), Some(16));
}

fn supplicant_a(snonce: Vec<u8>, now: Instant) -> Supplicant {
    let m2 = bytes(v::STA_MSG2);
    let own_rsne = KeyFrame::parse(&m2).expect("m2").key_data.to_vec();
    let mut cfg = SupplicantConfig::new(pmk(), v::AA, v::SPA, own_rsne, bytes(v::AP_RSNE));
    cfg.request_ip = false;
    cfg.eapol_version = 2;
    Supplicant::new(cfg, Box::new(ScriptedRandom::new([snonce])), now)
}

fn drain(s: &mut Supplicant) -> Vec<SupplicantOutput> {
    std::iter::from_fn(|| s.poll_output()).collect()
}

#[test]
fn supplicant_reproduces_the_capture() {
    let t0 = Instant::now();
    let snonce = KeyFrame::parse(&bytes(v::STA_MSG2))
        .expect("m2")
        .nonce
        .to_vec();
    let mut s = supplicant_a(snonce, t0);
    s.handle_input(t0, SupplicantInput::Eapol(&bytes(v::HOSTAPD_MSG1)))
        .expect("msg1");
    assert_eq!(
        drain(&mut s),
        vec![SupplicantOutput::SendEapol(bytes(v::STA_MSG2))]
    );

    // With Ethernet padding after the PDU, which the MIC does not cover.
    let mut m3 = bytes(v::HOSTAPD_MSG3);
    m3.extend_from_slice(&[0; 5]);
    s.handle_input(t0, SupplicantInput::Eapol(&m3))
        .expect("msg3");
    let out = drain(&mut s);
    let ptk = ptk_a();
    assert_eq!(out.len(), 4, "{out:?}");
    assert_eq!(out[0], SupplicantOutput::SendEapol(bytes(v::STA_MSG4)));
    assert_eq!(out[1], SupplicantOutput::InstallPtk { tk: ptk.tk.clone() });
    let SupplicantOutput::InstallGtk {
        key_idx: 1,
        rsc: 0,
        gtk,
    } = &out[2]
    else {
        panic!("{:?}", out[2])
    };
    assert_eq!(gtk.as_bytes().len(), 16);
    assert_eq!(out[3], SupplicantOutput::Authorized);
    assert!(s.is_established());
    assert_eq!(s.poll_timeout(), None);

    s.handle_input(t0, SupplicantInput::Eapol(&bytes(v::HOSTAPD_GROUP1)))
        .expect("group 1");
    let out = drain(&mut s);
    assert_eq!(out[0], SupplicantOutput::SendEapol(bytes(v::STA_GROUP2)));
    assert!(
        matches!(&out[1], SupplicantOutput::InstallGtk { key_idx: 2, gtk: g, .. } if g != gtk),
        "{out:?}"
    );
    assert_eq!(out.len(), 2);
}

/// iwd's `eapol_sm_wpa2_retransmit_test` scenario on our supplicant.
#[test]
fn supplicant_retransmissions_like_iwd() {
    let t0 = Instant::now();
    let ptk = ptk_a();
    let snonce = KeyFrame::parse(&bytes(v::STA_MSG2))
        .expect("m2")
        .nonce
        .to_vec();
    // A second SNonce that must NOT be used for the repeated message 1s.
    let mut s = {
        let m2 = bytes(v::STA_MSG2);
        let own_rsne = KeyFrame::parse(&m2).expect("m2").key_data.to_vec();
        let mut cfg = SupplicantConfig::new(pmk(), v::AA, v::SPA, own_rsne, bytes(v::AP_RSNE));
        cfg.request_ip = false;
        cfg.eapol_version = 2;
        Supplicant::new(
            cfg,
            Box::new(ScriptedRandom::new([snonce, vec![0xff; 32]])),
            t0,
        )
    };
    let m1 = bytes(v::HOSTAPD_MSG1);
    s.handle_input(t0, SupplicantInput::Eapol(&m1))
        .expect("msg1");
    assert_eq!(
        drain(&mut s),
        vec![SupplicantOutput::SendEapol(bytes(v::STA_MSG2))]
    );
    // Same message 1 again (no MIC, so no replay counter yet): same answer.
    s.handle_input(t0, SupplicantInput::Eapol(&m1))
        .expect("repeated msg1");
    assert_eq!(
        drain(&mut s),
        vec![SupplicantOutput::SendEapol(bytes(v::STA_MSG2))]
    );
    // Message 1 with counter 2: message 2 with counter 2, same SNonce.
    let mut m1b = KeyFrame::parse(&m1).expect("m1").clone();
    m1b.replay_counter = 2;
    let m1b = m1b.to_vec().expect("emit");
    s.handle_input(t0, SupplicantInput::Eapol(&m1b))
        .expect("msg1 ctr 2");
    assert_eq!(
        drain(&mut s),
        vec![SupplicantOutput::SendEapol(with_counter(
            v::STA_MSG2,
            2,
            &ptk
        ))]
    );
    // Message 3 with counter 3: keys installed once.
    s.handle_input(
        t0,
        SupplicantInput::Eapol(&with_counter(v::HOSTAPD_MSG3, 3, &ptk)),
    )
    .expect("msg3");
    let out = drain(&mut s);
    assert_eq!(
        out[0],
        SupplicantOutput::SendEapol(with_counter(v::STA_MSG4, 3, &ptk))
    );
    assert!(
        out.iter()
            .any(|o| matches!(o, SupplicantOutput::InstallPtk { .. }))
    );
    // Retransmitted message 3 (counter 4): message 4 again, nothing reinstalled.
    s.handle_input(
        t0,
        SupplicantInput::Eapol(&with_counter(v::HOSTAPD_MSG3, 4, &ptk)),
    )
    .expect("msg3 again");
    assert_eq!(
        drain(&mut s),
        vec![SupplicantOutput::SendEapol(with_counter(
            v::STA_MSG4,
            4,
            &ptk
        ))]
    );
    // Replayed message 3 with the same counter: dropped.
    assert_eq!(
        s.handle_input(
            t0,
            SupplicantInput::Eapol(&with_counter(v::HOSTAPD_MSG3, 4, &ptk))
        ),
        Err(Dropped::Replay { counter: 4 })
    );
    // Replayed message 1 with an old counter after completion: dropped.
    assert_eq!(
        s.handle_input(t0, SupplicantInput::Eapol(&m1b)),
        Err(Dropped::Replay { counter: 2 })
    );
    // Group handshake (counter 5) installs the new GTK; its repeat (6) does not.
    s.handle_input(
        t0,
        SupplicantInput::Eapol(&with_counter(v::HOSTAPD_GROUP1, 5, &ptk)),
    )
    .expect("group");
    let out = drain(&mut s);
    assert_eq!(
        out[0],
        SupplicantOutput::SendEapol(with_counter(v::STA_GROUP2, 5, &ptk))
    );
    assert!(matches!(
        out[1],
        SupplicantOutput::InstallGtk { key_idx: 2, .. }
    ));
    s.handle_input(
        t0,
        SupplicantInput::Eapol(&with_counter(v::HOSTAPD_GROUP1, 6, &ptk)),
    )
    .expect("group again");
    assert_eq!(
        drain(&mut s),
        vec![SupplicantOutput::SendEapol(with_counter(
            v::STA_GROUP2,
            6,
            &ptk
        ))]
    );
    assert_eq!(s.stats().replays, 2);
}

#[test]
fn supplicant_rejects_tampering() {
    let t0 = Instant::now();
    let snonce = KeyFrame::parse(&bytes(v::STA_MSG2))
        .expect("m2")
        .nonce
        .to_vec();
    let mut s = supplicant_a(snonce, t0);
    s.handle_input(t0, SupplicantInput::Eapol(&bytes(v::HOSTAPD_MSG1)))
        .expect("msg1");
    drain(&mut s);
    // Tampered message 3: dropped silently, still waiting.
    let mut m3 = bytes(v::HOSTAPD_MSG3);
    m3[120] ^= 0x80;
    assert_eq!(
        s.handle_input(t0, SupplicantInput::Eapol(&m3)),
        Err(Dropped::BadMic)
    );
    assert_eq!(s.state_name(), "ExpectMsg3");
    assert_eq!(s.stats().mic_failures, 1);
    // Message 4 or message 2 shapes are not for a supplicant.
    assert!(matches!(
        s.handle_input(t0, SupplicantInput::Eapol(&bytes(v::STA_MSG4))),
        Err(Dropped::UnexpectedKeyInfo(_))
    ));
    // Garbage never panics and is a typed error.
    assert!(matches!(
        s.handle_input(t0, SupplicantInput::Eapol(&[2, 3, 0])),
        Err(Dropped::Malformed(_))
    ));
    // The deadline still holds.
    s.handle_timeout(t0 + Duration::from_secs(10));
    assert_eq!(
        drain(&mut s),
        vec![SupplicantOutput::Failed(SupplicantFailure::Timeout)]
    );
    assert_eq!(SupplicantFailure::Timeout.reason_code(), ReasonCode(15));
}

#[test]
fn supplicant_fails_on_rsne_mismatch() {
    let t0 = Instant::now();
    let m2 = bytes(v::STA_MSG2);
    let own_rsne = KeyFrame::parse(&m2).expect("m2").key_data.to_vec();
    // The beacon advertised another element (no capabilities field) than message 3 carries.
    let beacon = bytes(v::AP_RSNE_NO_CAPS);
    let mut cfg = SupplicantConfig::new(pmk(), v::AA, v::SPA, own_rsne, beacon);
    cfg.request_ip = false;
    cfg.eapol_version = 2;
    let snonce = KeyFrame::parse(&m2).expect("m2").nonce.to_vec();
    let mut s = Supplicant::new(cfg, Box::new(ScriptedRandom::new([snonce])), t0);
    s.handle_input(t0, SupplicantInput::Eapol(&bytes(v::HOSTAPD_MSG1)))
        .expect("msg1");
    drain(&mut s);
    s.handle_input(t0, SupplicantInput::Eapol(&bytes(v::HOSTAPD_MSG3)))
        .expect("processed");
    assert_eq!(
        drain(&mut s),
        vec![SupplicantOutput::Failed(SupplicantFailure::IeMismatch)]
    );
    assert_eq!(SupplicantFailure::IeMismatch.reason_code(), ReasonCode(17));
    assert!(s.is_failed());
}

#[test]
fn authenticator_reproduces_hostapd_frames() {
    let t0 = Instant::now();
    let ptk = ptk_a();
    let m1 = bytes(v::HOSTAPD_MSG1);
    let m2 = bytes(v::STA_MSG2);
    let m3 = bytes(v::HOSTAPD_MSG3);
    let anonce = KeyFrame::parse(&m1).expect("m1").nonce.to_vec();
    let sta_rsne = KeyFrame::parse(&m2).expect("m2").key_data.to_vec();
    // The GTK hostapd used, taken from its message 3.
    let plain = crypto::unwrap_key_data(&ptk.kek, KeyFrame::parse(&m3).expect("m3").key_data)
        .expect("unwrap");
    let kd = KeyData::parse(&plain).expect("kd");
    let g = kd.gtk().expect("gtk");
    let group = GroupKey {
        gtk: crypto::Gtk::from_slice(g.key),
        key_idx: g.key_id,
        rsc: 0,
    };
    let cfg = AuthenticatorConfig::new(pmk(), v::AA, v::SPA, bytes(v::AP_RSNE), sta_rsne, group);
    let mut a = Authenticator::new(cfg, &mut ScriptedRandom::new([anonce]), t0);
    assert_eq!(a.poll_output(), Some(AuthenticatorOutput::SendEapol(m1)));
    assert_eq!(a.poll_output(), None);
    a.handle_input(t0, AuthenticatorInput::Eapol(&m2))
        .expect("msg2");
    assert_eq!(a.poll_output(), Some(AuthenticatorOutput::SendEapol(m3)));
    a.handle_input(t0, AuthenticatorInput::Eapol(&bytes(v::STA_MSG4)))
        .expect("msg4");
    assert_eq!(
        a.poll_output(),
        Some(AuthenticatorOutput::InstallPtk { tk: ptk.tk.clone() })
    );
    assert_eq!(
        a.poll_output(),
        Some(AuthenticatorOutput::Authorized {
            ip_allocation: None
        })
    );
    assert_eq!(a.poll_output(), None);
    assert!(a.is_established());
    assert_eq!(a.poll_timeout(), None);
}
