#![allow(clippy::unwrap_used)]
//! A directd GO under a flood of frames from made-up addresses, on the simulated air: the
//! rate limits on what strangers get (probe responses, stations waiting to associate), a
//! real client still joining, and the priority in which the driver hands the agent its
//! kernel events (`agent::intake`). The hwtests scenario `hostile-frames` is the same
//! against the real kernel and wpa_supplicant.

use std::collections::HashSet;
use std::time::Duration;

use super::intake::{BULK_MAX, Intake, NORMAL_MAX, Priority};
use super::sim::{NodeId, Sim};
use super::{CtrlSocket, Kernel, KernelEvent, Op};
use crate::ctrl::{Event, GroupRole, MacAddr};
use crate::group::go::{PROBE_BURST, PROBE_RATE};
use crate::ieee80211::{AuthAlgorithm, AuthRepr, MgmtBody, MgmtRepr, ProbeRequestRepr, StatusCode};

const DEV: CtrlSocket = CtrlSocket::Device;

fn start_go(sim: &mut Sim, go: NodeId) -> String {
    assert_eq!(sim.ctrl(go, DEV, "P2P_GROUP_ADD freq=2437"), "OK\n");
    sim.node(go)
        .events
        .iter()
        .find_map(|(_, e)| match e {
            Event::GroupStarted { ifname, role: GroupRole::Go, .. } => Some(ifname.clone()),
            _ => None,
        })
        .expect("P2P-GROUP-STARTED on the GO")
}

/// The GO's group interface: (ifindex, address), from its START_AP and its frames.
fn go_iface(sim: &Sim, go: NodeId) -> u32 {
    sim.node(go).kernel.ops.iter().find_map(|op| match op {
        Op::StartAp { ifindex, .. } => Some(*ifindex),
        _ => None,
    }).expect("START_AP")
}

/// A made-up locally administered address, `n`-th of the flood.
fn stranger(n: u32) -> MacAddr {
    let b = n.to_be_bytes();
    MacAddr([0x06, 0xee, b[0], b[1], b[2], b[3]])
}

/// A wildcard-SSID probe request (what every scanner sends) from `sa`.
fn probe(sa: MacAddr) -> Vec<u8> {
    let ies = vec![0, 0, 1, 8, 12, 18, 24, 36, 48, 72, 96, 108];
    MgmtRepr::new(MacAddr::BROADCAST, sa, MacAddr::BROADCAST, MgmtBody::ProbeRequest(ProbeRequestRepr { ies })).to_vec()
}

fn auth(sa: MacAddr, bssid: MacAddr) -> Vec<u8> {
    let a = AuthRepr { algorithm: AuthAlgorithm::OPEN_SYSTEM, transaction: 1, status: StatusCode::SUCCESS, ies: Vec::new() };
    MgmtRepr::new(bssid, sa, bssid, MgmtBody::Auth(a)).to_vec()
}

/// The GO's management frames sent to any of `to`, of the subtype whose frame control
/// byte is `fc`.
fn sent(sim: &Sim, go: NodeId, to: &HashSet<MacAddr>, fc: u8) -> usize {
    sim.node(go)
        .kernel
        .ops
        .iter()
        .filter(|op| match op {
            Op::SendFrame { tx, .. } => tx.frame.first() == Some(&fc) && MgmtRepr::parse_bytes(&tx.frame).is_ok_and(|m| to.contains(&m.header.addr1)),
            _ => false,
        })
        .count()
}

#[test]
fn a_go_flooded_with_probe_and_authentication_requests_admits_a_client_and_answers_strangers_within_its_limits() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 31);
    let client = sim.add_node("wlan1", 32);
    let gif = start_go(&mut sim, go);
    // The GO's BSSID, from its answer to a first stranger.
    sim.play(2437, probe(stranger(0)));
    sim.run_for(Duration::from_millis(20));
    let first = sim.node(go).kernel.ops.iter().rev().find_map(|op| match op {
        Op::SendFrame { tx, .. } => MgmtRepr::parse_bytes(&tx.frame).ok().filter(|m| matches!(m.body, MgmtBody::ProbeResponse(_))),
        _ => None,
    });
    let bssid = first.expect("a probe response to the first stranger").header.addr2;

    // The client finds the GO and starts its join; all the while 200 probe requests and
    // 100 authentication requests a second come from new addresses.
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, "P2P_FIND"), "OK\n");
    let mut strangers = HashSet::new();
    let mut n = 1u32;
    let t0 = sim.now;
    let mut connected_at = None;
    let mut found = false;
    while sim.now - t0 < Duration::from_secs(10) && connected_at.is_none() {
        for _ in 0..2 {
            let a = stranger(n);
            n += 1;
            strangers.insert(a);
            sim.play(2437, probe(a));
        }
        let a = stranger(n);
        n += 1;
        strangers.insert(a);
        sim.play(2437, auth(a, bssid));
        sim.run_for(Duration::from_millis(10));
        if !found && sim.node(client).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == go_addr)) {
            found = true;
            assert_eq!(sim.ctrl(client, DEV, "P2P_STOP_FIND"), "OK\n");
            assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
        }
        if sim.node(go).saw(|e| matches!(e, Event::ApStaConnected { .. })) {
            connected_at = Some(sim.now - t0);
        }
    }
    let took = connected_at.unwrap_or_else(|| panic!("no client admitted under the flood; client events: {:?}", sim.node(client).events));
    assert!(took < Duration::from_secs(6), "found and joined in {took:?} of virtual time under the flood");
    assert!(sim.node(client).saw(|e| matches!(e, Event::GroupStarted { role: GroupRole::Client, .. })));

    // The strangers got the burst and then the sustained rate of probe responses, not one
    // each; every authentication was answered, but at most 32 of them wait in the table
    // (checked through the GO's own view: a stranger's frame is not urgent once forgotten).
    let secs = (sim.now - t0).as_secs() + 1;
    let responses = sent(&sim, go, &strangers, 0x50);
    let bound = usize::try_from(PROBE_BURST + PROBE_RATE * secs).unwrap();
    assert!(responses <= bound, "{responses} probe responses to {} strangers (bound {bound})", strangers.len());
    assert!(responses >= usize::try_from(PROBE_RATE).unwrap(), "strangers still get answers: {responses}");
    let auths = sent(&sim, go, &strangers, 0xb0);
    assert!(auths > 100, "authentication requests are answered ({auths})");
    let ifindex = go_iface(&sim, go);
    let waiting = strangers
        .iter()
        .filter(|a| sim.node(go).agent.priority(&Kernel { wdev: None, ifindex: Some(ifindex), event: KernelEvent::Frame { freq: Some(2437), frame: auth(**a, bssid) } }) == Priority::Urgent)
        .count();
    assert!(waiting <= crate::group::go::MAX_UNASSOCIATED, "{waiting} strangers wait to associate");
}

#[test]
fn the_agent_ranks_kernel_events_by_whom_they_come_from() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 33);
    let client = sim.add_node("wlan1", 34);
    let gif = start_go(&mut sim, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, "P2P_FIND"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| s.node(client).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == go_addr))));
    assert_eq!(sim.ctrl(client, DEV, "P2P_STOP_FIND"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(30), |s| s.node(go).saw(|e| matches!(e, Event::ApStaConnected { .. }))));
    let sta = sim.node(go).events.iter().find_map(|(_, e)| match e {
        Event::ApStaConnected { addr, .. } => Some(*addr),
        _ => None,
    }).unwrap();
    let ifindex = go_iface(&sim, go);
    let agent = &sim.node(go).agent;
    let on_go = |event| Kernel { wdev: None, ifindex: Some(ifindex), event };
    let frame = |f: Vec<u8>| KernelEvent::Frame { freq: Some(2437), frame: f };
    let bssid = MacAddr::BROADCAST;
    // A station of the group: urgent, whatever the frame.
    assert_eq!(agent.priority(&on_go(frame(auth(sta, bssid)))), Priority::Urgent);
    assert_eq!(agent.priority(&on_go(frame(probe(sta)))), Priority::Urgent);
    // EAPOL and TX status (answers to what we started): urgent.
    assert_eq!(agent.priority(&on_go(KernelEvent::Eapol { src: stranger(1), pdu: vec![2, 3, 0, 0], unencrypted: true })), Priority::Urgent);
    assert_eq!(agent.priority(&on_go(KernelEvent::TxStatus { cookie: 1, frame: vec![], ack: true })), Priority::Urgent);
    // A stranger: its authentication soon, its probe requests last.
    assert_eq!(agent.priority(&on_go(frame(auth(stranger(1), bssid)))), Priority::Normal);
    assert_eq!(agent.priority(&on_go(frame(probe(stranger(1))))), Priority::Bulk);
    // Frames too short to name a sender are nobody's.
    assert_eq!(agent.priority(&on_go(frame(vec![0x40, 0]))), Priority::Bulk);
    assert_eq!(agent.priority(&on_go(frame(vec![0xb0]))), Priority::Normal);
}

fn tagged(n: u32) -> Kernel {
    Kernel { wdev: None, ifindex: Some(n), event: KernelEvent::ScanDone { aborted: false } }
}

#[test]
fn the_intake_gives_the_oldest_of_the_highest_priority_and_bounds_the_frame_queues() {
    let mut q = Intake::default();
    q.push_as(Priority::Bulk, tagged(1));
    q.push_as(Priority::Normal, tagged(2));
    q.push_as(Priority::Bulk, tagged(3));
    q.push_as(Priority::Urgent, tagged(4));
    q.push_as(Priority::Normal, tagged(5));
    let order: Vec<u32> = std::iter::from_fn(|| q.pop()).filter_map(|k| k.ifindex).collect();
    assert_eq!(order, vec![4, 2, 5, 1, 3]);
    assert!(q.is_empty());

    // A flood of probe requests keeps the newest BULK_MAX; a flood of other frames the
    // newest NORMAL_MAX; urgent events are never dropped.
    for i in 0..1000 {
        q.push_as(Priority::Bulk, tagged(i));
    }
    for i in 0..1000 {
        q.push_as(Priority::Normal, tagged(10_000 + i));
    }
    for i in 0..1000 {
        q.push_as(Priority::Urgent, tagged(20_000 + i));
    }
    assert_eq!(q.len(), 1000 + NORMAL_MAX + BULK_MAX);
    assert_eq!(q.take_dropped(), (1000 - NORMAL_MAX + 1000 - BULK_MAX) as u64);
    assert_eq!(q.take_dropped(), 0);
    let order: Vec<u32> = std::iter::from_fn(|| q.pop()).filter_map(|k| k.ifindex).collect();
    assert_eq!(order[0], 20_000);
    assert_eq!(order[1000], 10_000 + (1000 - NORMAL_MAX as u32), "the oldest frames went");
    assert_eq!(order[1000 + NORMAL_MAX], 1000 - BULK_MAX as u32);
    assert_eq!(*order.last().unwrap(), 999);
}
