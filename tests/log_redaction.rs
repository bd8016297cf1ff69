#![allow(clippy::unwrap_used)]
//! No secret reaches the log at the default level: a directd GO and a directd client join
//! by a PIN the GO generated (the agents on the simulated air), under a subscriber that
//! captures every INFO line (the default filter of `directd run`). The events still carry
//! the secrets to control clients, as wpa_supplicant's do.
//!
//! Its own test binary with a global subscriber: a scoped one (`with_default`) misses
//! lines whose call sites other tests' threads registered first.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use directd::agent::CtrlSocket;
use directd::agent::sim::Sim;
use directd::ctrl::{Event, GroupCredential, GroupRole};

/// Log output captured in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn secrets_of_a_pin_join_never_reach_the_info_log() {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .without_time()
        .with_writer(log.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 21);
    let client = sim.add_node("wlan1", 22);
    let (gif, pin, passphrase) = {
        assert_eq!(sim.ctrl(go, CtrlSocket::Device, "P2P_GROUP_ADD freq=2437"), "OK\n");
        let gif = sim
            .node(go)
            .events
            .iter()
            .find_map(|(_, e)| match e {
                Event::GroupStarted { ifname, role: GroupRole::Go, .. } => Some(ifname.clone()),
                _ => None,
            })
            .unwrap();
        let go_addr = sim.node(go).agent.device().addr;
        assert_eq!(sim.ctrl(client, CtrlSocket::Device, "P2P_FIND"), "OK\n");
        assert!(sim.run_until(Duration::from_secs(10), |s| s.node(client).saw(|e| matches!(e, Event::DeviceFound(_)))));
        assert_eq!(sim.ctrl(client, CtrlSocket::Device, "P2P_STOP_FIND"), "OK\n");
        // The GO generates the PIN (the reply carries it, as wpa_supplicant's does).
        let pin = sim.ctrl(go, CtrlSocket::Group(gif.clone()), "WPS_PIN any");
        assert_eq!(pin.len(), 8, "{pin:?}");
        assert_eq!(sim.ctrl(client, CtrlSocket::Device, &format!("P2P_CONNECT {go_addr} {pin} join")), "OK\n");
        let joined = sim.run_until(Duration::from_secs(30), |s| {
            s.node(client).saw(|e| matches!(e, Event::GroupStarted { role: GroupRole::Client, .. }))
                && s.node(go).saw(|e| matches!(e, Event::ApStaConnected { .. }))
        });
        assert!(joined, "client events: {:?}", sim.node(client).events);
        let passphrase = sim.ctrl(go, CtrlSocket::Group(gif.clone()), "P2P_GET_PASSPHRASE");
        (gif, pin, passphrase)
    };
    assert!((8..=63).contains(&passphrase.len()), "{passphrase:?}");

    // The secrets the events carry to control clients.
    let mut secrets = vec![pin.clone(), passphrase.clone()];
    for n in [go, client] {
        for (_, e) in &sim.node(n).events {
            if let Event::GroupStarted { credential: Some(c), .. } = e {
                let text = e.to_string();
                match c {
                    GroupCredential::Psk(psk) => {
                        assert!(text.contains(&format!("psk={}", hex(psk))), "{text}");
                        secrets.push(hex(psk));
                    }
                    GroupCredential::Passphrase(p) => {
                        assert!(text.contains(&format!("passphrase=\"{p}\"")), "{text}");
                        secrets.push(p.clone());
                    }
                }
            }
        }
    }
    assert!(secrets.len() >= 4, "the GO's passphrase and the client's PSK were seen: {secrets:?}");

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    // The emit path was captured: the events are in the log, redacted.
    assert!(text.contains(&format!("P2P-GROUP-STARTED {gif} GO")), "{text}");
    assert!(text.contains("passphrase=\"<redacted>\""), "{text}");
    assert!(text.contains("psk=<redacted>"), "{text}");
    for s in &secrets {
        assert!(!text.contains(s.as_str()), "secret {s:?} in the log:\n{text}");
    }
}
