//! The group-owner machine (`group::go::Go`) fed arbitrary management frames and EAPOL
//! PDUs: records `[kind: u8][len: u16 BE][bytes: len]`, kind % 4: 0 a management frame
//! from the kernel, 1 an EAPOL PDU from the last frame's transmitter, 2 the TX status
//! (ack = first byte odd) of the last frame we sent that wanted one, 3 time moves on by
//! `first byte * 100 ms`. The first input byte arms PBC (odd) or PIN 12345670 (even).
//! Whatever arrives, everything the GO sends must itself parse.
//!
//! Kept small on purpose (only `Go`'s public drive interface), so it follows the machine
//! as it is reorganized.
//!
//! One `Go` serves all inputs: building one derives the PMK (PBKDF2, 4096 rounds), which
//! would cost more than the input itself. Each input ends with `GoInput::Shutdown` (every
//! station removed, WPS disarmed), so what carries over is only the group key counter,
//! the random streams and the PBC-overlap monitor.
#![no_main]
use std::net::Ipv4Addr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use directd::dhcp::{Server, ServerConfig};
use directd::eapol::SeededRandom;
use directd::eapol::wire::EapolRepr;
use directd::group::go::{Go, GoConfig, GoIdentity, GoInput, GoOutput, WpsRngFactory};
use directd::ieee80211::{Elements, MacAddr, MgmtRepr};
use libfuzzer_sys::fuzz_target;
use zeroize::Zeroizing;

const BSSID: MacAddr = MacAddr([2, 0, 0, 0, 0, 0]);

fn go() -> Go<Server> {
    let cfg = GoConfig {
        bssid: BSSID,
        identity: GoIdentity {
            dev_addr: MacAddr([0x42, 0, 0, 0, 0, 0]),
            device_name: "directd-fuzz".into(),
            uuid: [5; 16],
            manufacturer: "directd".into(),
            model_name: "directd".into(),
            model_number: "0".into(),
        },
        ssid: b"DIRECT-fz".to_vec(),
        passphrase: Zeroizing::new("fuzzfuzz".to_owned()),
        freq: 2412,
        ip: Some((Ipv4Addr::new(192, 168, 49, 1), Ipv4Addr::new(255, 255, 255, 0))),
        wps_lockout: directd::group::go::DEFAULT_WPS_LOCKOUT,
        persistent: false,
        persistent_reconnect: false,
    };
    let mut seed = 0u64;
    let wps_rng: WpsRngFactory = Box::new(move || {
        seed += 1;
        Box::new(wps::rng::SeededRng::new(seed))
    });
    let pool = Server::new(ServerConfig::default()).expect("default DHCP config");
    Go::new(cfg, pool, wps_rng, Box::new(SeededRandom::new([9; 32]))).expect("valid group")
}

/// The machine and its clock (time never goes back between inputs).
static GO: Mutex<Option<(Go<Server>, Instant)>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let Some((&arm, mut rest)) = data.split_first() else { return };
    let mut slot = GO.lock().unwrap_or_else(|e| e.into_inner());
    let (g, clock) = slot.get_or_insert_with(|| (go(), Instant::now()));
    while g.poll_output().is_some() {}
    let mut now = *clock + Duration::from_secs(1);
    if arm & 1 == 1 {
        g.handle_input(now, GoInput::WpsPbc);
    } else {
        g.handle_input(now, GoInput::WpsPin { pin: wps::pin::Pin::parse("12345670").expect("valid PIN"), target: None, timeout: None });
    }
    let mut last_sa = MacAddr([2, 0, 0, 0, 1, 0]);
    let mut last_sent: Option<Vec<u8>> = None;
    while let [kind, a, b, tail @ ..] = rest {
        let n = usize::from(u16::from_be_bytes([*a, *b])).min(tail.len());
        let (bytes, more) = tail.split_at(n);
        rest = more;
        match kind % 4 {
            0 => {
                if let Ok(m) = MgmtRepr::parse_bytes(bytes) {
                    last_sa = m.header.addr2;
                }
                g.handle_input(now, GoInput::Frame(bytes));
            }
            1 => g.handle_input(now, GoInput::Eapol { src: last_sa, pdu: bytes }),
            2 => {
                if let Some(f) = last_sent.take() {
                    g.handle_input(now, GoInput::TxStatus { frame: &f, ack: bytes.first().is_some_and(|b| b & 1 == 1) });
                }
            }
            _ => {
                now += Duration::from_millis(u64::from(bytes.first().copied().unwrap_or(10)) * 100);
                g.handle_timeout(now);
            }
        }
        while let Some(o) = g.poll_output() {
            match o {
                GoOutput::SendFrame { frame, no_ack } => {
                    let m = MgmtRepr::parse_bytes(&frame).expect("every frame we send parses");
                    assert_eq!(m.header.addr2, BSSID, "sent from the group's BSSID");
                    if !no_ack {
                        last_sent = Some(frame);
                    }
                }
                GoOutput::SendEapol { pdu, .. } => {
                    EapolRepr::parse_bytes(&pdu).expect("every EAPOL PDU we send parses");
                }
                GoOutput::SetBeacon(b) => {
                    MgmtRepr::parse_bytes(&b.head).expect("beacon head parses");
                    Elements::validate(&b.tail).expect("beacon tail is elements");
                }
                _ => {}
            }
        }
        let _ = g.poll_timeout();
    }
    let _ = (g.clients(), g.wps_state());
    g.handle_input(now, GoInput::Shutdown);
    while g.poll_output().is_some() {}
    assert!(g.clients().is_empty(), "shutdown leaves no station");
    *clock = now;
});
