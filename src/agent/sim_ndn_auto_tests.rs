//! `--ndn-auto` on the simulated air: devices named with the prefix find each other and end
//! in one group with no request from anyone; a device without the prefix is left alone.

use std::time::Duration;

use super::sim::{NodeId, Sim};
use crate::ctrl::{Event, GroupRole, MacAddr};

fn ndn_node(sim: &mut Sim, name: &str, seed: u64, device_name: &str, max_peers: Option<usize>) -> NodeId {
    let device_name = device_name.to_owned();
    sim.add_node_with(name, seed, |r| {
        r.device_name = Some(device_name);
        r.ndn = Some("yes".into());
        r.ndn_auto = Some("yes".into());
        r.ndn_max_peers = max_peers.map(|m| m.to_string());
    })
}

/// The group a node is in now, from its events: (role, GO's device address).
fn in_group(sim: &Sim, n: NodeId) -> Option<(GroupRole, MacAddr)> {
    let mut now = None;
    for (_, e) in &sim.node(n).events {
        match e {
            Event::GroupStarted { role, go_dev_addr, .. } => now = Some((*role, *go_dev_addr)),
            Event::GroupRemoved { .. } => now = None,
            _ => {}
        }
    }
    now
}

fn texts(sim: &Sim, n: NodeId) -> Vec<String> {
    sim.node(n).events.iter().map(|(_, e)| e.to_string()).collect()
}

#[test]
fn three_ndn_devices_end_in_one_group_and_a_stranger_is_left_alone() {
    let mut sim = Sim::new();
    let a = ndn_node(&mut sim, "wlan0", 1, "ndn-a", None);
    let b = ndn_node(&mut sim, "wlan1", 2, "ndn-b", None);
    let c = ndn_node(&mut sim, "wlan2", 3, "ndn-c", None);
    let x = sim.add_node("wlan3", 4);
    assert_eq!(sim.ctrl(x, super::CtrlSocket::Device, "P2P_LISTEN"), "OK\n");
    let nodes = [a, b, c];
    let one_group = |s: &Sim| {
        let gs: Vec<_> = nodes.iter().filter_map(|n| in_group(s, *n)).collect();
        gs.len() == 3 && gs.iter().filter(|(r, _)| *r == GroupRole::Go).count() == 1 && gs.iter().all(|(_, go)| *go == gs[0].1)
    };
    let ok = sim.run_until(Duration::from_secs(240), one_group);
    assert!(ok, "one group of three:\nA {:#?}\nB {:#?}\nC {:#?}", texts(&sim, a), texts(&sim, b), texts(&sim, c));
    assert_eq!(in_group(&sim, x), None, "the device without the prefix: {:#?}", texts(&sim, x));
    // Nobody asked the stranger to negotiate: it saw no request.
    assert!(!texts(&sim, x).iter().any(|t| t.starts_with("P2P-GO-NEG-REQUEST") || t.starts_with("P2P-PROV-DISC")), "{:#?}", texts(&sim, x));
    // Settled: the group stays as it is.
    sim.run_for(Duration::from_secs(90));
    assert!(one_group(&sim), "the group did not hold:\nA {:#?}", texts(&sim, a));
}

#[test]
fn a_full_group_lets_no_more_peers_in() {
    let mut sim = Sim::new();
    let a = ndn_node(&mut sim, "wlan0", 1, "ndn-a", Some(1));
    let b = ndn_node(&mut sim, "wlan1", 2, "ndn-b", Some(1));
    let c = ndn_node(&mut sim, "wlan2", 3, "ndn-c", Some(1));
    let nodes = [a, b, c];
    let pair = |s: &Sim| nodes.iter().filter(|n| in_group(s, **n).is_some()).count() == 2;
    assert!(sim.run_until(Duration::from_secs(120), pair), "a pair:\nA {:#?}\nB {:#?}\nC {:#?}", texts(&sim, a), texts(&sim, b), texts(&sim, c));
    sim.run_for(Duration::from_secs(150));
    let grouped: Vec<_> = nodes.iter().filter_map(|n| in_group(&sim, *n)).collect();
    assert_eq!(grouped.len(), 2, "max peers 1: the third stays out:\nA {:#?}\nB {:#?}\nC {:#?}", texts(&sim, a), texts(&sim, b), texts(&sim, c));
}
