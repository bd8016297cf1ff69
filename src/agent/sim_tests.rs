#![allow(clippy::unwrap_used)]
//! Agents on the simulated air: a directd GO and a directd client through their control
//! requests, and captured wpa_supplicant frames played at an agent.

use std::time::Duration;

use super::CtrlSocket;
use super::sim::{NodeId, Sim};
use crate::ctrl::{Event, GroupRemovalReason, GroupRole, MacAddr};
use crate::ieee80211::{MgmtBody, MgmtRepr};
use crate::p2p::wire::{P2pActionFrame, P2pMessage};

const DEV: CtrlSocket = CtrlSocket::Device;

/// Starts a GO on node `go` (channel 6) and returns its group interface.
fn start_go(sim: &mut Sim, go: NodeId) -> String {
    assert_eq!(sim.ctrl(go, DEV, "P2P_GROUP_ADD freq=2437"), "OK\n");
    let ifname = sim
        .node(go)
        .events
        .iter()
        .find_map(|(_, e)| match e {
            Event::GroupStarted { ifname, role: GroupRole::Go, .. } => Some(ifname.clone()),
            _ => None,
        })
        .expect("P2P-GROUP-STARTED on the GO");
    assert!(sim.node(go).ctrl_sockets.contains(&ifname), "the group's control socket is served");
    ifname
}

/// The client finds the GO (P2P_FIND until P2P-DEVICE-FOUND names it), then stops.
fn find(sim: &mut Sim, client: NodeId, go: NodeId) {
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(client, DEV, "P2P_FIND"), "OK\n");
    let found = sim.run_until(Duration::from_secs(10), |s| {
        s.node(client).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == go_addr))
    });
    assert!(found, "the client found the GO");
    assert_eq!(sim.ctrl(client, DEV, "P2P_STOP_FIND"), "OK\n");
    assert!(sim.node(client).saw(|e| matches!(e, Event::FindStopped)));
}

fn client_started(sim: &Sim, client: NodeId) -> Option<(String, Option<crate::ctrl::GroupIp>)> {
    sim.node(client).events.iter().find_map(|(_, e)| match e {
        Event::GroupStarted { ifname, role: GroupRole::Client, ip, .. } => Some((ifname.clone(), *ip)),
        _ => None,
    })
}

/// Runs until the client's group is up and the GO reports it.
fn until_joined(sim: &mut Sim, go: NodeId, client: NodeId, limit: Duration) -> bool {
    sim.run_until(limit, |s| {
        client_started(s, client).is_some() && s.node(go).saw(|e| matches!(e, Event::ApStaConnected { .. }))
    })
}

#[test]
fn a_directd_client_joins_a_directd_go_by_pbc() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 1);
    let client = sim.add_node("wlan1", 2);
    let gif = start_go(&mut sim, go);
    find(&mut sim, client, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif.clone()), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    let t0 = sim.now;
    assert!(until_joined(&mut sim, go, client, Duration::from_secs(30)), "joined: {:?}", sim.node(client).events);
    let took = sim.now - t0;
    assert!(took < Duration::from_secs(5), "the join took {took:?} of virtual time");
    let (cif, ip) = client_started(&sim, client).unwrap();
    let ip = ip.expect("the GO allocated an address in the handshake");
    assert_eq!(ip.go_ip_addr, std::net::Ipv4Addr::new(192, 168, 49, 1));
    assert!(sim.node(go).saw(|e| matches!(e, Event::WpsRegSuccess { .. })));
    assert!(sim.node(client).saw(|e| matches!(e, Event::WpsSuccess)));
    // The join began with a provision discovery, as wpa_supplicant's: the GO's user saw
    // who asks to join which group; the client reported no PD event of its own.
    let client_addr = sim.node(client).agent.device().addr;
    let pd = sim.node(go).events.iter().find_map(|(_, e)| match e {
        Event::ProvDiscPbcReq { peer, .. } if *peer == client_addr => Some(e.to_string()),
        _ => None,
    });
    let pd = pd.expect("the GO saw a provision discovery from the client");
    assert!(pd.ends_with(&format!(" group={gif}")), "{pd}");
    assert!(!sim.node(client).saw(|e| matches!(e, Event::ProvDiscPbcResp { .. } | Event::ProvDiscFailure { .. })));
    // STATUS on every socket, through ctrl::Status.
    let s = sim.ctrl(client, CtrlSocket::Group(cif.clone()), "STATUS");
    assert!(s.contains("mode=station\n") && s.contains("wpa_state=COMPLETED\n") && s.contains(&format!("ip_address={}\n", ip.ip_addr)), "{s}");
    let s = sim.ctrl(go, CtrlSocket::Group(gif.clone()), "STATUS");
    assert!(s.contains("mode=P2P GO\n") && s.contains("num_sta=1\n"), "{s}");
    assert!(sim.ctrl(go, DEV, "STATUS").starts_with("wpa_state=COMPLETED\n"));
    // The GO's station list (wpa_cli all_sta): the client by its interface address, with
    // the P2P device address of its association request's P2P IE (what the p2plink hook
    // greps), then an empty reply after the last station.
    let client_if = sim.node(client).kernel.iface_addr(&cif).expect("the client's interface address");
    let all = sim.ctrl(go, CtrlSocket::Group(gif.clone()), "STA-FIRST");
    assert!(all.starts_with(&format!("{client_if}\nflags=[AUTH][ASSOC][AUTHORIZED]")), "{all}");
    assert!(all.contains(&format!("\np2p_device_addr={client_addr}\n")), "{all}");
    assert!(all.contains("\naid=1\n") && all.contains("\np2p_device_name=") && all.contains("\np2p_dev_capab=0x"), "{all}");
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif.clone()), &format!("STA {client_if}")), all);
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif.clone()), &format!("STA-NEXT {client_if}")), "");
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif.clone()), &format!("STA {client_addr}")), "FAIL\n");
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif.clone()), &format!("STA-NEXT {client_addr}")), "FAIL\n");
    // Not a GO: FAIL, as wpa_supplicant on a station or P2P device interface.
    assert_eq!(sim.ctrl(client, CtrlSocket::Group(cif.clone()), "STA-FIRST"), "FAIL\n");
    assert_eq!(sim.ctrl(go, DEV, "STA-FIRST"), "FAIL\n");
    // A second group is refused while one runs.
    assert_eq!(sim.ctrl(client, DEV, "P2P_GROUP_ADD"), "FAIL\n");
    // The client leaves: the GO sees the station go.
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_GROUP_REMOVE {cif}")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(5), |s| s.node(go).saw(|e| matches!(e, Event::ApStaDisconnected { .. }))));
    assert!(sim.node(client).kernel.iface_names().is_empty(), "the client's group interface is gone");
    assert!(sim.node(client).ctrl_sockets.is_empty());
}

#[test]
fn a_directd_client_joins_a_directd_go_by_pin_and_sees_the_group_end() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 3);
    let client = sim.add_node("wlan1", 4);
    let gif = start_go(&mut sim, go);
    find(&mut sim, client, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif.clone()), "WPS_PIN any 12345670"), "12345670");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} 12345670 join")), "OK\n");
    assert!(until_joined(&mut sim, go, client, Duration::from_secs(30)), "joined: {:?}", sim.node(client).events);
    let (cif, _) = client_started(&sim, client).unwrap();
    // The GO ends the group: the client is told, and its interface goes.
    assert_eq!(sim.ctrl(go, DEV, &format!("P2P_GROUP_REMOVE {gif}")), "OK\n");
    let told = sim.run_until(Duration::from_secs(5), |s| {
        s.node(client).saw(|e| {
            matches!(e, Event::GroupRemoved { ifname, role: GroupRole::Client, reason: Some(GroupRemovalReason::GoEndingSession) } if *ifname == cif)
        })
    });
    assert!(told, "client events: {:?}", sim.node(client).events);
    assert!(sim.node(client).kernel.iface_names().is_empty());
    assert!(sim.node(go).kernel.iface_names().is_empty());
    assert!(sim.node(go).saw(|e| matches!(e, Event::GroupRemoved { role: GroupRole::Go, .. })));
}

#[test]
fn a_wrong_pin_fails_the_join_on_both_sides() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 5);
    let client = sim.add_node("wlan1", 6);
    let gif = start_go(&mut sim, go);
    find(&mut sim, client, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif), "WPS_PIN any 12345670"), "12345670");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} 11111115 join")), "OK\n");
    let failed = sim.run_until(Duration::from_secs(60), |s| {
        s.node(client).saw(|e| matches!(e, Event::WpsFail { config_error: 18, .. }))
            && s.node(go).saw(|e| matches!(e, Event::WpsFail { config_error: 18, .. }))
    });
    assert!(failed, "client events: {:?}\nGO events: {:?}", sim.node(client).events, sim.node(go).events);
    assert!(client_started(&sim, client).is_none());
}

#[test]
fn a_join_survives_a_lossy_air() {
    let mut sim = Sim::new();
    sim.loss_per_mille = 100;
    let go = sim.add_node("wlan0", 7);
    let client = sim.add_node("wlan1", 8);
    let gif = start_go(&mut sim, go);
    find(&mut sim, client, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    assert!(until_joined(&mut sim, go, client, Duration::from_secs(60)), "client events: {:?}", sim.node(client).events);
}

/// Frames of wpa_supplicant 2.10 on hwsim (radio 1 = 42:00:00:00:01:00 discovering and
/// provisioning with radio 0 = 42:00:00:00:00:00).
const WPAS_AIR: &[u8] = include_bytes!("../p2p/wire/tests/data/wire-capture/air.pcap");

fn captured(pred: impl Fn(&MgmtRepr) -> bool) -> Vec<Vec<u8>> {
    crate::p2p::wire::tests::pcap::frames(WPAS_AIR)
        .into_iter()
        .filter(|c| MgmtRepr::parse_bytes(c.frame).is_ok_and(|m| pred(&m)))
        .map(|c| c.frame.to_vec())
        .collect()
}

#[test]
fn a_directd_go_answers_wpa_supplicants_captured_probe_requests() {
    let wpas = MacAddr([0x42, 0, 0, 0, 1, 0]);
    let probes = captured(|m| matches!(m.body, MgmtBody::ProbeRequest(_)) && m.header.addr2 == wpas);
    assert!(!probes.is_empty());
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 9);
    start_go(&mut sim, go);
    for p in &probes[..3] {
        sim.play(2437, p.clone());
    }
    sim.run_for(Duration::from_millis(50));
    let answers = sim.sent_to(wpas);
    let responses: Vec<_> = answers.iter().filter_map(|f| MgmtRepr::parse_bytes(f).ok()).filter(|m| matches!(m.body, MgmtBody::ProbeResponse(_))).collect();
    assert_eq!(responses.len(), 3, "one probe response per probe request");
    let MgmtBody::ProbeResponse(b) = &responses[0].body else { unreachable!() };
    let ie = crate::p2p::wire::P2pIe::from_ies(&b.ies).unwrap().expect("a P2P IE in the probe response");
    let go_addr = sim.node(go).agent.device().addr;
    assert!(
        ie.attributes.iter().any(|a| matches!(a, crate::p2p::wire::Attribute::DeviceInfo(d) if d.device_addr == go_addr)),
        "the GO's Device Info: {ie:?}"
    );
}

#[test]
fn a_directd_go_answers_wpa_supplicants_captured_provision_discovery() {
    let wpas = MacAddr([0x42, 0, 0, 0, 1, 0]);
    let ours = MacAddr([0x42, 0, 0, 0, 0, 0]);
    let pd = captured(|m| {
        let MgmtBody::Action(a) = &m.body else { return false };
        let body = a.to_bytes();
        m.header.addr1 == ours
            && P2pActionFrame::is_p2p(&body)
            && matches!(P2pMessage::parse(&body), Ok(P2pMessage::ProvisionDiscoveryRequest(_)))
    });
    assert!(!pd.is_empty(), "the capture has provision discovery requests to radio 0");
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 10);
    start_go(&mut sim, go);
    sim.play(2437, pd[0].clone());
    sim.run_for(Duration::from_millis(50));
    let req = MgmtRepr::parse_bytes(&pd[0]).unwrap();
    let MgmtBody::Action(a) = &req.body else { unreachable!() };
    let token = P2pMessage::parse(&a.to_bytes()).unwrap().dialog_token();
    let resp: Vec<_> = sim
        .sent_to(wpas)
        .iter()
        .filter_map(|f| {
            let m = MgmtRepr::parse_bytes(f).ok()?;
            let MgmtBody::Action(a) = &m.body else { return None };
            match P2pMessage::parse(&a.to_bytes()) {
                Ok(r @ P2pMessage::ProvisionDiscoveryResponse(_)) => Some(r),
                _ => None,
            }
        })
        .collect();
    assert_eq!(resp.len(), 1, "one provision discovery response");
    assert_eq!(resp[0].dialog_token(), token);
}

#[test]
fn a_provision_discovery_request_for_another_device_is_not_answered() {
    let wpas = MacAddr([0x42, 0, 0, 0, 1, 0]);
    let ours = MacAddr([0x42, 0, 0, 0, 0, 0]);
    let pd = captured(|m| {
        let MgmtBody::Action(a) = &m.body else { return false };
        let body = a.to_bytes();
        m.header.addr1 == ours
            && P2pActionFrame::is_p2p(&body)
            && matches!(P2pMessage::parse(&body), Ok(P2pMessage::ProvisionDiscoveryRequest(_)))
    });
    let mut other = pd[0].clone();
    // addr1 (DA) is bytes 4..10 of the management header: another device's address.
    other[4..10].copy_from_slice(&[0x42, 0, 0, 0, 9, 0]);
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 10);
    start_go(&mut sim, go);
    sim.play(2437, other);
    sim.run_for(Duration::from_millis(50));
    let answered = sim.sent_to(wpas).iter().any(|f| {
        MgmtRepr::parse_bytes(f).is_ok_and(|m| matches!(&m.body, MgmtBody::Action(a) if P2pActionFrame::is_p2p(&a.to_bytes())))
    });
    assert!(!answered, "a request for 42:00:00:00:09:00 is not ours to answer");
    // The same request for us is answered (the test above checks the answer itself).
    sim.play(2437, pd[0].clone());
    sim.run_for(Duration::from_millis(50));
    assert!(sim.sent_to(wpas).iter().any(|f| {
        MgmtRepr::parse_bytes(f).is_ok_and(|m| matches!(&m.body, MgmtBody::Action(a) if P2pActionFrame::is_p2p(&a.to_bytes())))
    }));
}

fn join_scans(sim: &Sim, n: NodeId) -> usize {
    sim.node(n).kernel.ops.iter().filter(|o| matches!(o, super::Op::TriggerScan { req, .. } if req.freqs.len() > 3)).count()
}

#[test]
fn a_join_of_a_go_not_seen_yet_scans_until_its_group_appears() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 7);
    let client = sim.add_node("wlan1", 8);
    let go_addr = sim.node(go).agent.device().addr;
    // The peer is unknown and runs no group yet: answered at once, then searched for.
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    sim.run_for(Duration::from_millis(2500));
    assert!(join_scans(&sim, client) >= 2, "scans of every channel, a second apart");
    assert!(client_started(&sim, client).is_none());
    assert!(!sim.node(client).saw(|e| matches!(e, Event::GroupFormationFailure { .. })));
    let gif = start_go(&mut sim, go);
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif), "WPS_PBC"), "OK\n");
    assert!(until_joined(&mut sim, go, client, Duration::from_secs(30)), "joined: {:?}", sim.node(client).events);
    let scans = join_scans(&sim, client);
    sim.run_for(Duration::from_secs(3));
    assert_eq!(join_scans(&sim, client), scans, "the search ended with the join");
}

#[test]
fn a_join_search_that_finds_nothing_fails_after_ten_scans_and_stop_find_ends_one() {
    let mut sim = Sim::new();
    let client = sim.add_node("wlan1", 9);
    let nobody: MacAddr = "02:00:00:00:0a:00".parse().unwrap();
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {nobody} 12345670 join")), "OK\n");
    let failed = sim.run_until(Duration::from_secs(30), |s| s.node(client).saw(|e| matches!(e, Event::GroupFormationFailure { .. })));
    assert!(failed, "{:?}", sim.node(client).events);
    assert_eq!(join_scans(&sim, client), super::join_search::JOIN_SCAN_ATTEMPTS as usize);
    assert!(sim.node(client).kernel.iface_names().is_empty(), "no group interface was made");
    // A generated PIN is the reply at once; P2P_STOP_FIND ends the search quietly.
    let before = sim.node(client).events.len();
    let pin = sim.ctrl(client, DEV, &format!("P2P_CONNECT {nobody} pin join"));
    assert!(pin.len() == 8 && pin.bytes().all(|b| b.is_ascii_digit()), "{pin:?}");
    sim.run_for(Duration::from_millis(1500));
    assert_eq!(sim.ctrl(client, DEV, "P2P_STOP_FIND"), "OK\n");
    let scans = join_scans(&sim, client);
    sim.run_for(super::client::JOIN_GROUP_FRESH + Duration::from_secs(5));
    assert_eq!(join_scans(&sim, client), scans, "no scan after P2P_STOP_FIND");
    assert!(!sim.node(client).events[before..].iter().any(|(_, e)| matches!(e, Event::GroupFormationFailure { .. })));
    // A bad PIN is refused before any search.
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {nobody} 1234567 join")), "FAIL-INVALID-PIN\n");
}

/// A join started while the find still runs ends the find before its provision
/// discovery (as wpa_supplicant's join): in the guest a search scan started after the
/// request held it off the air for over a second.
#[test]
fn a_join_during_a_find_ends_the_find_before_its_provision_discovery() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 11);
    let client = sim.add_node("wlan1", 12);
    let gif = start_go(&mut sim, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(client, DEV, "P2P_FIND"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| super::sim::found(s, client, go_addr)), "the client found the GO");
    assert!(!sim.node(client).saw(|e| matches!(e, Event::FindStopped)), "the find still runs");
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    assert!(sim.node(client).saw(|e| matches!(e, Event::FindStopped)), "the find ended with the request: {:?}", sim.node(client).events);
    assert!(until_joined(&mut sim, go, client, Duration::from_secs(30)), "joined: {:?}", sim.node(client).events);
}

/// The GO ends its group and starts another (new SSID) seconds after the client saw the
/// first: the client's join names the old group, the GO refuses that provision discovery,
/// and the client scans for the GO's group again and joins the new one (seen in the
/// guest: a restarted wpa_supplicant GO refused both the request and the association).
#[test]
fn a_join_refused_for_a_group_that_ended_scans_again_and_joins_the_new_one() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 13);
    let client = sim.add_node("wlan1", 14);
    let old = start_go(&mut sim, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(client, DEV, "P2P_FIND"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| super::sim::found(s, client, go_addr)), "the client found the GO");
    assert_eq!(sim.ctrl(client, DEV, "P2P_STOP_FIND"), "OK\n");
    let old_ssid = sim.node(client).agent.peers().get(&go_addr).and_then(|p| p.group.clone()).expect("the first group").ssid;
    assert_eq!(sim.ctrl(go, DEV, &format!("P2P_GROUP_REMOVE {old}")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(5), |s| s.node(go).agent.group_ifnames().count() == 0));
    let from = sim.node(go).events.len();
    assert_eq!(sim.ctrl(go, DEV, "P2P_GROUP_ADD freq=2437"), "OK\n");
    let (gif, new_ssid) = sim.node(go).events[from..]
        .iter()
        .find_map(|(_, e)| match e {
            Event::GroupStarted { ifname, ssid, .. } => Some((ifname.clone(), ssid.clone())),
            _ => None,
        })
        .expect("the second group");
    assert_ne!(new_ssid, old_ssid);
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    assert!(until_joined(&mut sim, go, client, Duration::from_secs(30)), "joined: {:?}", sim.node(client).events);
    assert!(join_scans(&sim, client) >= 1, "the client scanned for the group again");
    let (_, ssid) = sim.node(client).events.iter().rev().find_map(|(_, e)| match e {
        Event::GroupStarted { ifname, ssid, role: GroupRole::Client, .. } => Some((ifname.clone(), ssid.clone())),
        _ => None,
    }).expect("the client's group");
    assert_eq!(ssid, new_ssid);
}

#[test]
fn p2p_find_is_refused_while_a_join_is_provisioned_and_works_after() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 11);
    let client = sim.add_node("wlan1", 12);
    let gif = start_go(&mut sim, go);
    find(&mut sim, client, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, "P2P_FIND"), "FAIL\n", "as wpa_supplicant: no find during provisioning");
    assert_eq!(sim.ctrl(client, DEV, "PING"), "PONG\n");
    assert!(until_joined(&mut sim, go, client, Duration::from_secs(30)), "joined: {:?}", sim.node(client).events);
    assert_eq!(sim.ctrl(client, DEV, "P2P_FIND"), "OK\n", "a find once the group is up");
}

/// A joined pair: (go, client, GO's group interface, client's group interface).
fn joined_pair(sim: &mut Sim) -> (NodeId, NodeId, String, String) {
    let go = sim.add_node("wlan0", 5);
    let client = sim.add_node("wlan1", 6);
    let gif = start_go(sim, go);
    find(sim, client, go);
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(gif.clone()), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    assert!(until_joined(sim, go, client, Duration::from_secs(30)), "joined: {:?}", sim.node(client).events);
    let (cif, _) = client_started(sim, client).unwrap();
    (go, client, gif, cif)
}

#[test]
fn a_group_interface_deleted_by_someone_else_ends_the_group_as_unavailable() {
    let mut sim = Sim::new();
    let (go, client, gif, cif) = joined_pair(&mut sim);
    // `iw dev <group> del` behind each agent's back (or the radio going away: the kernel
    // deletes the interfaces first).
    for (n, ifname, role) in [(go, &gif, GroupRole::Go), (client, &cif, GroupRole::Client)] {
        assert!(sim.remove_iface(n, ifname));
        assert!(
            sim.node(n).saw(|e| matches!(e, Event::GroupRemoved { ifname: i, role: r, reason: Some(GroupRemovalReason::Unavailable) } if i == ifname && *r == role)),
            "{:?}",
            sim.node(n).events
        );
        assert!(sim.node(n).ctrl_sockets.is_empty(), "the group's control socket is closed");
        assert!(sim.node(n).kernel.iface_names().is_empty());
        // The agent keeps serving: a new group can start.
        assert_eq!(sim.ctrl(n, DEV, "PING"), "PONG\n");
    }
    let gif2 = start_go(&mut sim, client);
    assert_ne!(gif2, cif, "a new interface name");
}

#[test]
fn a_lost_device_ends_every_group_as_unavailable_then_says_terminating() {
    let mut sim = Sim::new();
    let (go, client, gif, cif) = joined_pair(&mut sim);
    for (n, ifname, role) in [(go, &gif, GroupRole::Go), (client, &cif, GroupRole::Client)] {
        sim.input(n, super::Input::DeviceLost);
        let events = &sim.node(n).events;
        let removed = events.iter().position(|(_, e)| {
            matches!(e, Event::GroupRemoved { ifname: i, role: r, reason: Some(GroupRemovalReason::Unavailable) } if i == ifname && *r == role)
        });
        let removed = removed.unwrap_or_else(|| panic!("no P2P-GROUP-REMOVED reason=UNAVAILABLE: {events:?}"));
        assert!(matches!(events.last(), Some((_, Event::Terminating))), "CTRL-EVENT-TERMINATING comes last: {events:?}");
        assert!(removed < events.len() - 1);
        assert!(sim.node(n).ctrl_sockets.is_empty());
        assert!(sim.node(n).kernel.iface_names().is_empty(), "the group interface is deleted (where it still exists)");
    }
}

#[test]
fn a_shutdown_ends_every_group_as_requested_then_says_terminating() {
    let mut sim = Sim::new();
    let (go, _client, gif, _cif) = joined_pair(&mut sim);
    sim.input(go, super::Input::Shutdown);
    let events = &sim.node(go).events;
    assert!(events.iter().any(|(_, e)| matches!(e, Event::GroupRemoved { ifname, reason: Some(GroupRemovalReason::Requested), .. } if *ifname == gif)));
    assert_eq!(events.last().map(|(_, e)| e.to_string()), Some("CTRL-EVENT-TERMINATING ".to_owned()));
}

#[test]
fn a_join_looks_again_for_a_group_seen_long_ago_and_joins_the_gos_new_group() {
    let mut sim = Sim::new();
    let go = sim.add_node("wlan0", 7);
    let client = sim.add_node("wlan1", 8);
    let old = start_go(&mut sim, go);
    find(&mut sim, client, go);
    // The GO ends that group and runs another (another SSID and passphrase) a while later.
    assert_eq!(sim.ctrl(go, DEV, &format!("P2P_GROUP_REMOVE {old}")), "OK\n");
    sim.run_for(super::client::JOIN_GROUP_FRESH + Duration::from_secs(5));
    assert_eq!(sim.ctrl(go, DEV, "P2P_GROUP_ADD freq=2437"), "OK\n");
    let ssid_of = |sim: &Sim, ifname: &str| {
        sim.node(go).events.iter().rev().find_map(|(_, e)| match e {
            Event::GroupStarted { ifname: i, ssid, .. } if i == ifname => Some(ssid.clone()),
            _ => None,
        })
    };
    let new = sim.node(go).events.iter().rev().find_map(|(_, e)| match e {
        Event::GroupStarted { ifname, role: GroupRole::Go, .. } => Some(ifname.clone()),
        _ => None,
    });
    let new = new.expect("the new group started");
    assert_ne!(ssid_of(&sim, &new), ssid_of(&sim, &old), "a new SSID");
    let go_addr = sim.node(go).agent.device().addr;
    assert_eq!(sim.ctrl(go, CtrlSocket::Group(new.clone()), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(client, DEV, &format!("P2P_CONNECT {go_addr} pbc join")), "OK\n");
    assert!(until_joined(&mut sim, go, client, Duration::from_secs(30)), "joined: {:?}", sim.node(client).events);
    assert!(!sim.node(client).saw(|e| matches!(e, Event::GroupFormationFailure { .. })));
}
