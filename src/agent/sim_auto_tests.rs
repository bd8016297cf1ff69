#![allow(clippy::unwrap_used)]
//! The automatic mode between directd agents on the simulated air: two agents configured
//! with each other (started together, a few seconds apart in both orders, one after the
//! other's window failed), a stranger refused, `--once`, and the link coming back after
//! a group is removed.

use std::net::Ipv4Addr;
use std::time::Duration;

use super::sim::{NodeId, Sim, events_text};
use super::{CtrlSocket, Op, Output};
use crate::ctrl::{AutoEvent, AutoFailure, Event, GroupRole, MacAddr};

const DEV: CtrlSocket = CtrlSocket::Device;

fn sim_addr(n: usize) -> MacAddr {
    MacAddr([0x42, 0, 0, 0, n as u8, 0])
}

/// An agent in the automatic mode with node `peer` as its peer and `local` as its address;
/// started (its first input) at once.
fn auto_node(sim: &mut Sim, name: &str, seed: u64, peer: usize, local: &str, window: u64) -> NodeId {
    let n = sim.add_node_with(name, seed, |r| {
        r.peer_mac = Some(sim_addr(peer).to_string());
        r.local_address = Some(local.to_owned());
        r.discover_window = Some(window.to_string());
    });
    assert_eq!(sim.ctrl(n, DEV, "PING"), "PONG\n");
    n
}

fn autos(sim: &Sim, n: NodeId) -> Vec<AutoEvent> {
    sim.node(n)
        .events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Auto(a) => Some(a.clone()),
            _ => None,
        })
        .collect()
}

fn connected(sim: &Sim, n: NodeId) -> Vec<(String, GroupRole)> {
    autos(sim, n)
        .into_iter()
        .filter_map(|a| match a {
            AutoEvent::Connected { ifname, role, .. } => Some((ifname, role)),
            _ => None,
        })
        .collect()
}

/// Runs until both have reported `count` links; returns the roles of the last.
fn run_to_link(sim: &mut Sim, a: NodeId, b: NodeId, count: usize, limit: Duration) -> (GroupRole, GroupRole) {
    let ok = sim.run_until(limit, |s| connected(s, a).len() >= count && connected(s, b).len() >= count);
    assert!(ok, "linked {count}x:\nA {:#?}\nB {:#?}", events_text(sim, a), events_text(sim, b));
    let (ra, rb) = (connected(sim, a).last().unwrap().1, connected(sim, b).last().unwrap().1);
    assert_ne!(ra, rb, "one GO, one client");
    (ra, rb)
}

/// The address the agent put on its group interface (the last one it asked the kernel for).
fn group_ip(sim: &Sim, n: NodeId) -> (Ipv4Addr, u8) {
    sim.node(n)
        .kernel
        .ops
        .iter()
        .rev()
        .find_map(|o| match o {
            Op::AddAddress { ip, prefix_len, .. } => Some((*ip, *prefix_len)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no address on node {n:?}'s group: {:#?}", events_text(sim, n)))
}

fn assert_addresses(sim: &Sim, a: NodeId, b: NodeId) {
    let ip = |s: &str| s.parse::<Ipv4Addr>().unwrap();
    let (a_ip, a_prefix) = group_ip(sim, a);
    let (b_ip, b_prefix) = group_ip(sim, b);
    assert_eq!((a_ip, a_prefix, b_ip, b_prefix), (ip("10.7.0.1"), 24, ip("10.7.0.2"), 24), "each side has its configured address");
}

#[test]
fn two_agents_started_together_converge_on_one_group_with_their_addresses() {
    let mut sim = Sim::new();
    let a = auto_node(&mut sim, "wlan0", 41, 1, "10.7.0.1/24", 120);
    let b = auto_node(&mut sim, "wlan1", 42, 0, "10.7.0.2/24", 120);
    run_to_link(&mut sim, a, b, 1, Duration::from_secs(60));
    assert_addresses(&sim, a, b);
    // One negotiation only: each side succeeded once, nobody failed.
    for n in [a, b] {
        let t = events_text(&sim, n);
        assert_eq!(t.iter().filter(|l| l.starts_with("P2P-GO-NEG-SUCCESS")).count(), 1, "{t:#?}");
        assert!(!t.iter().any(|l| l.starts_with("P2P-GO-NEG-FAILURE") || l.starts_with("P2P-AUTO-FAILED")), "{t:#?}");
        assert!(t[0].starts_with("P2P-AUTO-SEARCH peer=") && t[0].ends_with(" window=120 attempt=1"), "{t:#?}");
    }
}

#[test]
fn the_order_of_start_does_not_matter() {
    for first_is_a in [true, false] {
        let mut sim = Sim::new();
        let (a, b) = if first_is_a {
            let a = auto_node(&mut sim, "wlan0", 51, 1, "10.7.0.1/24", 120);
            sim.run_for(Duration::from_secs(4));
            (a, auto_node(&mut sim, "wlan1", 52, 0, "10.7.0.2/24", 120))
        } else {
            // The higher address starts first.
            let b = sim.add_node_at("wlan1", 54, sim_addr(1), |r| {
                r.peer_mac = Some(sim_addr(0).to_string());
                r.local_address = Some("10.7.0.2/24".into());
            });
            assert_eq!(sim.ctrl(b, DEV, "PING"), "PONG\n");
            sim.run_for(Duration::from_secs(4));
            let a = sim.add_node_at("wlan0", 53, sim_addr(0), |r| {
                r.peer_mac = Some(sim_addr(1).to_string());
                r.local_address = Some("10.7.0.1/24".into());
            });
            assert_eq!(sim.ctrl(a, DEV, "PING"), "PONG\n");
            (a, b)
        };
        let start = sim.now;
        run_to_link(&mut sim, a, b, 1, Duration::from_secs(60));
        assert_addresses(&sim, a, b);
        eprintln!("first_is_a={first_is_a}: linked {:?} after the second start", sim.now - start);
    }
}

#[test]
fn a_peer_that_comes_after_the_window_connects_on_the_retry() {
    let mut sim = Sim::new();
    let a = auto_node(&mut sim, "wlan0", 61, 1, "10.7.0.1/24", 5);
    sim.run_for(Duration::from_secs(6));
    let peer = sim_addr(1);
    assert_eq!(autos(&sim, a).last(), Some(&AutoEvent::Failed { reason: AutoFailure::PeerNotFound, peer, retry_in_secs: Some(10) }));
    assert!(events_text(&sim, a).contains(&"P2P-AUTO-FAILED reason=peer-not-found peer=42:00:00:00:01:00 retry_in=10".to_owned()));
    // Between attempts it listens: the late peer finds it and its Request is answered.
    let s = sim.ctrl(a, DEV, "STATUS");
    assert!(s.contains("p2p_state=LISTEN_ONLY\n"), "{s}");
    let b = auto_node(&mut sim, "wlan1", 62, 0, "10.7.0.2/24", 5);
    let start = sim.now;
    run_to_link(&mut sim, a, b, 1, Duration::from_secs(60));
    assert_addresses(&sim, a, b);
    eprintln!("linked {:?} after the late start", sim.now - start);
}

#[test]
fn once_stops_the_daemon_when_the_window_ends() {
    let mut sim = Sim::new();
    let a = sim.add_node_with("wlan0", 71, |r| {
        r.peer_mac = Some(sim_addr(1).to_string());
        r.discover_window = Some("3".into());
        r.once = Some("yes".into());
    });
    sim.ctrl(a, DEV, "PING");
    sim.run_for(Duration::from_millis(2900));
    assert!(!sim.node(a).other.iter().any(|o| matches!(o, Output::Stop { .. })), "not before the window ends");
    sim.run_for(Duration::from_millis(200));
    let stop = sim.node(a).other.iter().find_map(|o| match o {
        Output::Stop { error } => Some(error.clone()),
        _ => None,
    });
    assert_eq!(stop.as_deref(), Some("automatic mode: no link with 42:00:00:00:01:00 (peer-not-found)"));
    assert!(events_text(&sim, a).contains(&"P2P-AUTO-FAILED reason=peer-not-found peer=42:00:00:00:01:00".to_owned()));
    // Nothing more happens.
    let n = sim.node(a).events.len();
    sim.run_for(Duration::from_secs(30));
    assert_eq!(sim.node(a).events.len(), n, "{:#?}", events_text(&sim, a));
}

#[test]
fn a_stranger_is_refused_and_the_peer_connects() {
    let mut sim = Sim::new();
    let a = auto_node(&mut sim, "wlan0", 81, 1, "10.7.0.1/24", 120);
    // Node 1 (the configured peer) is not there yet; node 2 is a stranger's wpa_cli.
    let b = sim.add_node("wlan1", 82);
    let c = sim.add_node("wlan2", 83);
    let aa = sim.node(a).agent.device().addr;
    assert_eq!(sim.ctrl(c, DEV, "P2P_FIND"), "OK\n");
    let found = sim.run_until(Duration::from_secs(20), |s| s.node(c).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == aa)));
    assert!(found);
    assert_eq!(sim.ctrl(c, DEV, &format!("P2P_CONNECT {aa} pbc")), "OK\n");
    let refused = sim.run_until(Duration::from_secs(20), |s| s.node(c).saw(|e| matches!(e, Event::GoNegFailure { .. })));
    assert!(refused, "{:#?}", events_text(&sim, c));
    assert!(events_text(&sim, c).contains(&"P2P-GO-NEG-FAILURE status=11".to_owned()), "{:#?}", events_text(&sim, c));
    assert!(!sim.node(a).saw(|e| matches!(e, Event::GoNegSuccess { .. } | Event::GroupStarted { .. })));
    // The stranger's attempt did not disturb the search for the peer: it comes, they link.
    // Node 1 was added as a plain agent; the configured peer is played by it through
    // wpa_cli, as a script on the other end would: find, then connect with pbc, intent 7.
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    let seen = sim.run_until(Duration::from_secs(20), |s| s.node(b).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == aa)));
    assert!(seen);
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc go_intent=7")), "OK\n");
    let up = sim.run_until(Duration::from_secs(60), |s| !connected(s, a).is_empty());
    assert!(up, "A {:#?}\nB {:#?}", events_text(&sim, a), events_text(&sim, b));
    assert!(sim.node(b).saw(|e| matches!(e, Event::GroupStarted { .. })));
    let (ip, prefix) = group_ip(&sim, a);
    assert_eq!((ip, prefix), ("10.7.0.1".parse().unwrap(), 24));
    // The stranger never got in.
    assert!(!sim.node(c).saw(|e| matches!(e, Event::GroupStarted { .. })));
}

#[test]
fn the_link_comes_back_after_either_side_removes_its_group() {
    let mut sim = Sim::new();
    let a = auto_node(&mut sim, "wlan0", 91, 1, "10.7.0.1/24", 120);
    let b = auto_node(&mut sim, "wlan1", 92, 0, "10.7.0.2/24", 120);
    run_to_link(&mut sim, a, b, 1, Duration::from_secs(60));
    for (round, remover) in [(2, a), (3, b)] {
        let (ifname, role) = connected(&sim, remover).last().unwrap().clone();
        let other = if remover == a { b } else { a };
        eprintln!("round {round}: removing {ifname} ({role}) on {remover:?}");
        assert_eq!(sim.ctrl(remover, DEV, &format!("P2P_GROUP_REMOVE {ifname}")), "OK\n");
        let start = sim.now;
        run_to_link(&mut sim, a, b, round, Duration::from_secs(90));
        eprintln!("round {round}: linked again {:?} after the removal", sim.now - start);
        assert!(
            autos(&sim, other).iter().filter(|e| matches!(e, AutoEvent::LinkLost { .. })).count() == round - 1,
            "the other side saw the link go: {:#?}",
            events_text(&sim, other)
        );
        assert_addresses(&sim, a, b);
    }
}

#[test]
fn p2p_name_names_the_group_interfaces() {
    // `--p2p-name p2p0`: group interfaces p2p-p2p0-<N> (the names the p2plink hook's
    // `ifconfig p2p-p2p0-<N>` expects).
    let mut sim = Sim::new();
    let a = auto_node(&mut sim, "wlan0", 101, 1, "10.7.0.1/24", 120);
    let b = sim.add_node_with("wlan1", 102, |r| {
        r.peer_mac = Some(sim_addr(0).to_string());
        r.local_address = Some("10.7.0.2/24".into());
        r.p2p_name = Some("p2p0".into());
    });
    assert_eq!(sim.ctrl(b, DEV, "PING"), "PONG\n");
    run_to_link(&mut sim, a, b, 1, Duration::from_secs(60));
    let (ifname, _) = connected(&sim, b).last().unwrap().clone();
    assert_eq!(ifname, "p2p-p2p0-0");
    assert!(sim.node(b).kernel.iface_names().contains(&ifname), "{:?}", sim.node(b).kernel.iface_names());
    assert!(sim.node(b).ctrl_sockets.contains(&ifname));
}

#[test]
fn with_persistent_the_link_comes_back_by_reinvocation_without_wps() {
    let persistent_node = |sim: &mut Sim, name: &str, seed: u64, peer: usize, local: &str| {
        let n = sim.add_node_with(name, seed, |r| {
            r.peer_mac = Some(sim_addr(peer).to_string());
            r.local_address = Some(local.to_owned());
            r.persistent = Some("yes".into());
        });
        assert_eq!(sim.ctrl(n, DEV, "PING"), "PONG\n");
        n
    };
    let mut sim = Sim::new();
    let a = persistent_node(&mut sim, "wlan0", 111, 1, "10.7.0.1/24");
    let b = persistent_node(&mut sim, "wlan1", 112, 0, "10.7.0.2/24");
    run_to_link(&mut sim, a, b, 1, Duration::from_secs(60));
    for n in [a, b] {
        assert_eq!(sim.node(n).agent.stored_groups().len(), 1, "the negotiated group is stored: {:#?}", events_text(&sim, n));
    }
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    let (ifname, _) = connected(&sim, a).last().unwrap().clone();
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_GROUP_REMOVE {ifname}")), "OK\n");
    run_to_link(&mut sim, a, b, 2, Duration::from_secs(90));
    let since = |n: NodeId, from: usize| events_text(&sim, n)[from..].to_vec();
    let (ta, tb) = (since(a, ea), since(b, eb));
    for t in [&ta, &tb] {
        assert!(!t.iter().any(|l| l.starts_with("P2P-GO-NEG-") || l.starts_with("WPS-")), "no negotiation, no WPS: {t:#?}");
    }
    let reinvoked = |t: &[String]| t.iter().any(|l| l.starts_with("P2P-INVITATION-RESULT status=0"));
    let accepted = |t: &[String]| t.iter().any(|l| l.starts_with("P2P-INVITATION-ACCEPTED sa=") && l.contains(" persistent=0"));
    // a has the lower address: b leaves the re-invocation to a (no crossing invitations).
    assert!(reinvoked(&ta) && accepted(&tb), "A {ta:#?}\nB {tb:#?}");
    assert!(!ta.iter().chain(&tb).any(|l| l.starts_with("P2P-INVITATION-RESULT status=-1")), "A {ta:#?}\nB {tb:#?}");
    assert_addresses(&sim, a, b);
    for n in [a, b] {
        assert_eq!(sim.node(n).agent.stored_groups().len(), 1, "still one stored group");
    }
}
