//! Handshakes captured from real wpa_supplicant (P2P GO and P2P client) on
//! mac80211_hwsim in the hwtests guest, with the PMK and PTK it logged (-K).
//! The files in `src/eapol/captures/` say where each comes from.
//!
//! For each capture: the PSK from passphrase and SSID equals the logged PMK,
//! our PTK equals the logged PTK, every MIC verifies, message 3 unwraps to
//! the logged key data, and both machines, given the captured nonces,
//! reproduce wpa_supplicant's frames byte for byte.

use crate::eapol::crypto::{self, Gtk, MacAddr, Ptk};
use crate::eapol::wire::{IpAllocation, KeyData, KeyFrame};
use crate::eapol::*;
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::time::Instant;

struct Capture {
    kv: HashMap<String, String>,
    /// `later_rx`/`later_tx` frames in order: (received?, bytes).
    later: Vec<(bool, Vec<u8>)>,
}

impl Capture {
    fn load(text: &str) -> Self {
        let pairs: Vec<(&str, &str)> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once(' '))
            .collect();
        let later = pairs
            .iter()
            .filter_map(|(k, v)| match *k {
                "later_rx" => Some((true, hex::decode(v).expect("hex"))),
                "later_tx" => Some((false, hex::decode(v).expect("hex"))),
                _ => None,
            })
            .collect();
        let kv = pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self { kv, later }
    }
    fn s(&self, k: &str) -> &str {
        self.kv
            .get(k)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("capture lacks {k}"))
    }
    fn hex(&self, k: &str) -> Vec<u8> {
        hex::decode(self.s(k)).expect("hex")
    }
    fn mac(&self, k: &str) -> MacAddr {
        self.s(k).parse().expect("mac")
    }
    /// ip_addr/ip_mask/go_ip_addr from the client's P2P-GROUP-STARTED event.
    fn event_allocation(&self) -> Option<IpAllocation> {
        let ev = self.s("client_event");
        let field = |name: &str| -> Option<Ipv4Addr> {
            ev.split_whitespace()
                .find_map(|w| w.strip_prefix(name))
                .and_then(|v| v.parse().ok())
        };
        Some(IpAllocation {
            ip: field("ip_addr=")?,
            netmask: field("ip_mask=")?,
            go_ip: field("go_ip_addr=")?,
        })
    }
}

fn check(text: &str) {
    let c = Capture::load(text);
    let (m1, m2, m3, m4) = (c.hex("msg1"), c.hex("msg2"), c.hex("msg3"), c.hex("msg4"));
    let (aa, spa) = (c.mac("aa"), c.mac("spa"));
    let pmk =
        crypto::psk_from_passphrase(c.s("passphrase"), c.s("ssid").as_bytes()).expect("passphrase");
    assert_eq!(pmk.as_bytes()[..], c.hex("pmk")[..], "PSK");
    let f1 = KeyFrame::parse(&m1).expect("msg1");
    let f2 = KeyFrame::parse(&m2).expect("msg2");
    let f3 = KeyFrame::parse(&m3).expect("msg3");
    let ptk = Ptk::derive(&pmk, &aa, &spa, &f1.nonce, &f2.nonce);
    let logged = c.hex("ptk");
    assert_eq!(&ptk.kck.as_bytes()[..], &logged[0..16], "KCK");
    assert_eq!(&ptk.kek.as_bytes()[..], &logged[16..32], "KEK");
    assert_eq!(&ptk.tk.as_bytes()[..], &logged[32..48], "TK");
    for (name, frame) in [("msg2", &m2), ("msg3", &m3), ("msg4", &m4)] {
        assert!(crypto::verify_mic(&ptk.kck, frame), "MIC of {name}");
    }
    let plain = crypto::unwrap_key_data(&ptk.kek, f3.key_data).expect("unwrap");
    assert_eq!(&plain[..], &c.hex("msg3_key_data")[..]);
    let kd3 = KeyData::parse(&plain).expect("msg3 key data");
    let go_rsne = kd3.rsne().expect("RSNE in msg3").to_vec();
    let gtk = kd3.gtk().expect("GTK in msg3");
    let allocation = kd3.ip_allocation();
    assert_eq!(
        allocation,
        c.event_allocation(),
        "allocation KDE vs P2P-GROUP-STARTED"
    );

    // Supplicant side: our machine answers wpa_supplicant's GO exactly as
    // wpa_supplicant's client did.
    let kd2 = KeyData::parse(f2.key_data).expect("msg2 key data");
    let own_rsne = kd2.rsne().expect("RSNE in msg2").to_vec();
    let mut cfg = SupplicantConfig::new(pmk.clone(), aa, spa, own_rsne.clone(), go_rsne.clone());
    cfg.request_ip = kd2.ip_requested();
    cfg.eapol_version = m2[0];
    let t0 = Instant::now();
    let mut sup = Supplicant::new(cfg, Box::new(ScriptedRandom::new([f2.nonce.to_vec()])), t0);
    sup.handle_input(t0, SupplicantInput::Eapol(&m1))
        .expect("msg1");
    assert_eq!(
        sup.poll_output(),
        Some(SupplicantOutput::SendEapol(m2.clone())),
        "our msg2"
    );
    assert_eq!(sup.poll_output(), None);
    sup.handle_input(t0, SupplicantInput::Eapol(&m3))
        .expect("msg3");
    let mut expected = vec![
        SupplicantOutput::SendEapol(m4.clone()),
        SupplicantOutput::InstallPtk { tk: ptk.tk.clone() },
        SupplicantOutput::InstallGtk {
            gtk: Gtk::from_slice(gtk.key),
            key_idx: gtk.key_id,
            rsc: f3.rsc_u64(),
        },
    ];
    if let Some(a) = allocation {
        expected.push(SupplicantOutput::IpAllocation(a));
    }
    expected.push(SupplicantOutput::Authorized);
    assert_eq!(
        std::iter::from_fn(|| sup.poll_output()).collect::<Vec<_>>(),
        expected
    );
    // Retransmitted message 3s are answered like wpa_supplicant did, and
    // nothing is installed again.
    for pair in c.later.chunks(2) {
        let [(true, rx), (false, tx)] = pair else {
            panic!("later frames come as rx/tx pairs")
        };
        sup.handle_input(t0, SupplicantInput::Eapol(rx))
            .expect("later frame");
        assert_eq!(
            std::iter::from_fn(|| sup.poll_output()).collect::<Vec<_>>(),
            vec![SupplicantOutput::SendEapol(tx.clone())]
        );
    }

    // Authenticator side: our machine, given the GO's ANonce, GTK and
    // address pool, sends the GO's frames.
    let group = GroupKey {
        gtk: Gtk::from_slice(gtk.key),
        key_idx: gtk.key_id,
        rsc: f3.rsc_u64(),
    };
    let mut cfg = AuthenticatorConfig::new(pmk, aa, spa, go_rsne, own_rsne, group);
    cfg.ip_offer = allocation;
    cfg.eapol_version = m1[0];
    let mut auth = Authenticator::new(cfg, &mut ScriptedRandom::new([f1.nonce.to_vec()]), t0);
    // The GO's retransmissions before the client saw message 1 (replay
    // counters below the captured one) are replayed on our virtual clock.
    let mut msg1 = auth.poll_output();
    while KeyFrame::parse(msg1.as_ref().and_then(|o| o.as_eapol()).expect("msg1"))
        .expect("msg1")
        .replay_counter
        < f1.replay_counter
    {
        let at = auth.poll_timeout().expect("retry timer");
        auth.handle_timeout(at);
        msg1 = auth.poll_output();
    }
    assert_eq!(
        msg1,
        Some(AuthenticatorOutput::SendEapol(m1.clone())),
        "our msg1"
    );
    auth.handle_input(t0, AuthenticatorInput::Eapol(&m2))
        .expect("msg2");
    assert_eq!(
        auth.poll_output(),
        Some(AuthenticatorOutput::SendEapol(m3.clone())),
        "our msg3"
    );
    // A retransmitted message 3 in the capture: ours, after the timeout, is
    // the same bytes.
    if let Some((true, msg3_again)) = c.later.first() {
        let at = auth.poll_timeout().expect("retry timer");
        auth.handle_timeout(at);
        assert_eq!(
            auth.poll_output(),
            Some(AuthenticatorOutput::SendEapol(msg3_again.clone())),
            "our retransmitted msg3"
        );
    }
    auth.handle_input(t0, AuthenticatorInput::Eapol(&m4))
        .expect("msg4");
    assert_eq!(
        auth.poll_output(),
        Some(AuthenticatorOutput::InstallPtk { tk: ptk.tk.clone() })
    );
    assert_eq!(
        auth.poll_output(),
        Some(AuthenticatorOutput::Authorized {
            ip_allocation: allocation
        })
    );
}

#[test]
fn wpa_supplicant_p2p_join_after_wps_pin() {
    check(include_str!("../captures/wpas-p2p-pin.txt"));
}

#[test]
fn wpa_supplicant_p2p_join_with_ip_allocation() {
    let text = include_str!("../captures/wpas-p2p-ip.txt");
    let c = Capture::load(text);
    // This capture has what the other lacks: both P2P KDEs and a retransmitted message 3.
    assert!(c.event_allocation().is_some());
    assert_eq!(c.later.len(), 2);
    check(text);
}
