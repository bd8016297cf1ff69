//! Property tests: no input from the air makes a machine panic, and no
//! tampered handshake frame gets a key installed or a reply sent.

use super::vectors::{self as v, bytes};
use crate::eapol::crypto::{self, Gtk};
use crate::eapol::wire::KeyFrame;
use crate::eapol::*;
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// The capture's PSK (checked against PBKDF2 in `capture::psk_matches_iwd`),
/// taken as bytes to keep 4096 PBKDF2 rounds out of every case.
fn pmk() -> crypto::Pmk {
    crypto::Pmk::from_bytes(bytes(v::PSK).try_into().expect("32 bytes"))
}

fn supplicant(now: Instant) -> Supplicant {
    let m2 = bytes(v::STA_MSG2);
    let f2 = KeyFrame::parse(&m2).expect("m2");
    let pmk = pmk();
    let mut cfg =
        SupplicantConfig::new(pmk, v::AA, v::SPA, f2.key_data.to_vec(), bytes(v::AP_RSNE));
    cfg.request_ip = false;
    cfg.eapol_version = 2;
    Supplicant::new(cfg, Box::new(ScriptedRandom::new([f2.nonce.to_vec()])), now)
}

fn authenticator(now: Instant) -> Authenticator {
    let m1 = bytes(v::HOSTAPD_MSG1);
    let m2 = bytes(v::STA_MSG2);
    let pmk = pmk();
    let group = GroupKey {
        gtk: Gtk::from_slice(&[0x5a; 16]),
        key_idx: 1,
        rsc: 0,
    };
    let sta_rsne = KeyFrame::parse(&m2).expect("m2").key_data.to_vec();
    let cfg = AuthenticatorConfig::new(pmk, v::AA, v::SPA, bytes(v::AP_RSNE), sta_rsne, group);
    let anonce = KeyFrame::parse(&m1).expect("m1").nonce.to_vec();
    Authenticator::new(cfg, &mut ScriptedRandom::new([anonce]), now)
}

fn drain_s(s: &mut Supplicant) -> Vec<SupplicantOutput> {
    std::iter::from_fn(|| s.poll_output()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any single-byte change of message 3 (MIC, header and length fields
    /// included) is dropped: no message 4, no key installed.
    #[test]
    fn tampered_message_3_installs_nothing(pos in 0usize..155, flip in 1u8..=255) {
        let t0 = Instant::now();
        let mut s = supplicant(t0);
        s.handle_input(t0, SupplicantInput::Eapol(&bytes(v::HOSTAPD_MSG1))).expect("msg1");
        drain_s(&mut s);
        let mut m3 = bytes(v::HOSTAPD_MSG3);
        m3[pos] ^= flip;
        let r = s.handle_input(t0, SupplicantInput::Eapol(&m3));
        prop_assert!(r.is_err(), "accepted a tampered msg3 at byte {}", pos);
        prop_assert_eq!(drain_s(&mut s), vec![]);
        prop_assert_eq!(s.state_name(), "ExpectMsg3");
        // The replay counter is only recorded after a good MIC, so the
        // genuine message 3 still completes the handshake afterwards.
        s.handle_input(t0, SupplicantInput::Eapol(&bytes(v::HOSTAPD_MSG3))).expect("genuine msg3");
        prop_assert!(s.is_established());
    }

    /// Any single-byte change of message 2 is dropped by the authenticator:
    /// no message 3 goes out, and it keeps waiting.
    #[test]
    fn tampered_message_2_gets_no_message_3(pos in 0usize..119, flip in 1u8..=255) {
        let t0 = Instant::now();
        let mut a = authenticator(t0);
        prop_assert!(a.poll_output().is_some());
        let mut m2 = bytes(v::STA_MSG2);
        m2[pos] ^= flip;
        let r = a.handle_input(t0, AuthenticatorInput::Eapol(&m2));
        prop_assert!(r.is_err(), "accepted a tampered msg2 at byte {}", pos);
        prop_assert_eq!(a.poll_output(), None);
        prop_assert_eq!(a.state_name(), "ExpectMsg2");
    }

    /// Arbitrary bytes never panic either machine in any state, and a
    /// frame that is not a valid one changes nothing visible.
    #[test]
    fn garbage_never_panics(frames in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 1..8)) {
        let t0 = Instant::now();
        let mut s = supplicant(t0);
        let mut a = authenticator(t0);
        while a.poll_output().is_some() {}
        for f in &frames {
            let _ = s.handle_input(t0, SupplicantInput::Eapol(f));
            let _ = a.handle_input(t0, AuthenticatorInput::Eapol(f));
        }
        prop_assert!(!s.is_established() && !a.is_established());
        s.handle_timeout(t0 + Duration::from_secs(60));
        prop_assert!(s.is_failed());
    }

    /// Structured garbage: valid EAPOL-Key framing with random Key
    /// Information, counters and key data reaches deeper code paths.
    #[test]
    fn random_key_frames_never_panic(info in any::<u16>(), ctr in any::<u64>(),
                                     data in prop::collection::vec(any::<u8>(), 0..64)) {
        let t0 = Instant::now();
        let mut s = supplicant(t0);
        let mut a = authenticator(t0);
        while a.poll_output().is_some() {}
        let mut f = KeyFrame::new(2, wire::KeyInfo(info), ctr);
        f.key_data = &data;
        let pdu = f.to_vec().expect("emit");
        let _ = s.handle_input(t0, SupplicantInput::Eapol(&pdu));
        let _ = a.handle_input(t0, AuthenticatorInput::Eapol(&pdu));
        let outs = drain_s(&mut s);
        // Without the PMK nothing can be more than a message 2 answer to a message 1.
        prop_assert!(outs.iter().all(|o| matches!(o, SupplicantOutput::SendEapol(_))));
        prop_assert!(!a.is_established());
    }
}
