#![allow(clippy::unwrap_used)]
//! Invitation between two directd agents on the simulated air, through their control
//! requests as wpa_cli sends them: a GO invites a peer that is only listening (it never
//! saw the group), the peer is told (`P2P-INVITATION-RECEIVED ... unknown-network`, the
//! inviter gets `P2P-INVITATION-RESULT status=1`), and the peer's user joins by push
//! button with `P2P_CONNECT <go> pbc join` (its channel scanned first), with no
//! `WPS_PBC` on the GO: the invitation armed it. And an invitation authorised in advance
//! (`P2P_CONNECT <go> pbc join auth`): accepted (`P2P-INVITATION-ACCEPTED`), joined at once.

use std::time::Duration;

use super::sim::{NodeId, Sim};
use super::{CtrlSocket, Op};
use crate::ctrl::{Event, GroupRole, InvitationReceived, MacAddr};

const DEV: CtrlSocket = CtrlSocket::Device;

fn addr(sim: &Sim, n: NodeId) -> MacAddr {
    sim.node(n).agent.device().addr
}

fn events_text(sim: &Sim, n: NodeId) -> Vec<String> {
    sim.node(n).events.iter().map(|(_, e)| e.to_string()).collect()
}

fn group_started(sim: &Sim, n: NodeId, role: GroupRole) -> Option<(String, Vec<u8>, u32)> {
    sim.node(n).events.iter().find_map(|(_, e)| match e {
        Event::GroupStarted { ifname, role: r, ssid, freq, .. } if *r == role => Some((ifname.clone(), ssid.clone(), *freq)),
        _ => None,
    })
}

/// `a` runs a group on channel 1 and has found `b`, which only listens (it met `a`
/// before the group started, so its peer table does not know the group).
fn go_and_listener(seed: u64) -> (Sim, NodeId, NodeId, String) {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", seed);
    let b = sim.add_node("wlan1", seed + 1);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(a, DEV, "P2P_FIND"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    let found = |s: &Sim, by: NodeId, whom: MacAddr| s.node(by).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == whom));
    assert!(sim.run_until(Duration::from_secs(20), |s| found(s, a, ba) && found(s, b, aa)), "both found each other");
    assert_eq!(sim.ctrl(a, DEV, "P2P_STOP_FIND"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_STOP_FIND"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD freq=2412"), "OK\n");
    let (gif, _, freq) = group_started(&sim, a, GroupRole::Go).expect("a runs a group");
    assert_eq!(freq, 2412);
    (sim, a, b, gif)
}

#[test]
fn a_go_invites_a_listening_peer_which_joins_by_push_button() {
    let (mut sim, a, b, gif) = go_and_listener(41);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    let bssid = sim.node(a).kernel.iface_addr(&gif).unwrap();
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE group={gif} peer={ba}")), "OK\n");
    let told = sim.run_until(Duration::from_secs(10), |s| {
        s.node(b).saw(|e| matches!(e, Event::InvitationReceived(_))) && s.node(a).saw(|e| matches!(e, Event::InvitationResult { .. }))
    });
    assert!(told, "a: {:#?}\nb: {:#?}", events_text(&sim, a), events_text(&sim, b));
    assert!(sim.node(b).saw(|e| *e
        == Event::InvitationReceived(InvitationReceived::UnknownNetwork { sa: aa, go_dev_addr: aa, bssid: Some(bssid) })));
    assert!(events_text(&sim, b).contains(&format!("P2P-INVITATION-RECEIVED sa={aa} go_dev_addr={aa} bssid={bssid} unknown-network")));
    assert!(events_text(&sim, a).contains(&"P2P-INVITATION-RESULT status=1".to_owned()), "{:#?}", events_text(&sim, a));
    // b's peer table does not know a's group: the join scans a's channel first.
    assert!(sim.node(b).agent.peers().find(&aa).is_none_or(|p| p.group.is_none()));
    let reply = sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc join"));
    assert!(reply == "OK\n" || reply == "(no reply yet)", "{reply}");
    let joined = sim.run_until(Duration::from_secs(30), |s| {
        group_started(s, b, GroupRole::Client).is_some() && s.node(a).saw(|e| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(joined, "a: {:#?}\nb: {:#?}", events_text(&sim, a), events_text(&sim, b));
    let (_, ssid, freq) = group_started(&sim, b, GroupRole::Client).unwrap();
    let (_, go_ssid, _) = group_started(&sim, a, GroupRole::Go).unwrap();
    assert_eq!((ssid, freq), (go_ssid, 2412));
    let k = &sim.node(b).kernel;
    let scan = k.ops.iter().position(|o| matches!(o, Op::TriggerScan { req, .. } if req.freqs == vec![2412])).expect("a scan of the group's channel");
    let connect = k.ops.iter().position(|o| matches!(o, Op::Connect { .. })).expect("b associated");
    assert!(scan < connect);
}

#[test]
fn invite_refuses_unknown_groups_peers_and_persistent_ids() {
    let (mut sim, a, b, gif) = go_and_listener(43);
    let ba = addr(&sim, b);
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE group=p2p-nope-0 peer={ba}")), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE group={gif} peer=02:11:22:33:44:55")), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE persistent=0 peer={ba}")), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, "P2P_INVITE foo=bar"), "FAIL\n");
    // b was never invited and has not seen a's group: the join is answered and the GO
    // searched for on every channel (as wpa_supplicant's join scans), not refused.
    let aa = addr(&sim, a);
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc join")), "OK\n");
}

#[test]
fn an_invitee_that_does_not_listen_makes_the_inviter_give_up_with_status_minus_1() {
    let (mut sim, a, b, gif) = go_and_listener(45);
    let ba = addr(&sim, b);
    assert_eq!(sim.ctrl(b, DEV, "P2P_STOP_FIND"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE group={gif} peer={ba}")), "OK\n");
    let ended = sim.run_until(Duration::from_secs(120), |s| s.node(a).saw(|e| matches!(e, Event::InvitationResult { .. })));
    assert!(ended);
    assert!(events_text(&sim, a).contains(&"P2P-INVITATION-RESULT status=-1".to_owned()), "{:#?}", events_text(&sim, a));
    assert!(!sim.node(b).saw(|e| matches!(e, Event::InvitationReceived(_))));
}

#[test]
fn an_invitation_authorised_in_advance_is_accepted_and_joined_at_once() {
    // hostap's test_p2p_go_invite_auth, by push button.
    let (mut sim, a, b, gif) = go_and_listener(47);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc join auth")), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE group={gif} peer={ba}")), "OK\n");
    let joined = sim.run_until(Duration::from_secs(30), |s| {
        group_started(s, b, GroupRole::Client).is_some() && s.node(a).saw(|e| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(joined, "a: {:#?}\nb: {:#?}", events_text(&sim, a), events_text(&sim, b));
    let bssid = sim.node(a).kernel.iface_addr(&gif).unwrap();
    assert!(events_text(&sim, b).contains(&format!("P2P-INVITATION-ACCEPTED sa={aa} go_dev_addr={aa} bssid={bssid} unknown-network")));
    assert!(!sim.node(b).saw(|e| matches!(e, Event::InvitationReceived(_))));
    assert!(events_text(&sim, a).contains(&"P2P-INVITATION-RESULT status=0".to_owned()), "{:#?}", events_text(&sim, a));
}

#[test]
fn a_client_invites_a_peer_which_joins_the_go() {
    // hostap's test_p2p_cli_invite, by push button: the Request names the GO (P2P Group
    // ID, Group BSSID, its channel), not the inviting client; the GO's user arms WPS.
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 51);
    let b = sim.add_node("wlan1", 52);
    let c = sim.add_node("wlan2", 53);
    let (aa, ba, ca) = (addr(&sim, a), addr(&sim, b), addr(&sim, c));
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD freq=2412"), "OK\n");
    let (agif, _, _) = group_started(&sim, a, GroupRole::Go).expect("a runs a group");
    let abssid = sim.node(a).kernel.iface_addr(&agif).unwrap();
    assert_eq!(sim.ctrl(c, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    let found = |s: &Sim, whom: MacAddr| s.node(b).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == whom));
    assert!(sim.run_until(Duration::from_secs(30), |s| found(s, aa) && found(s, ca)), "b found a and c: {:#?}", events_text(&sim, b));
    assert_eq!(sim.ctrl(b, DEV, "P2P_STOP_FIND"), "OK\n");
    assert_eq!(sim.ctrl(a, CtrlSocket::Group(agif.clone()), "WPS_PBC"), "OK\n");
    let reply = sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc join"));
    assert!(reply == "OK\n" || reply == "(no reply yet)", "{reply}");
    assert!(sim.run_until(Duration::from_secs(30), |s| group_started(s, b, GroupRole::Client).is_some()), "b joined a");
    let (bgif, _, _) = group_started(&sim, b, GroupRole::Client).unwrap();
    // Before the client is connected, and for an unknown peer: FAIL.
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_INVITE group={bgif} peer=02:11:22:33:44:55")), "FAIL\n");
    assert_eq!(sim.ctrl(c, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_INVITE group={bgif} peer={ca}")), "OK\n");
    let told = sim.run_until(Duration::from_secs(10), |s| {
        s.node(c).saw(|e| matches!(e, Event::InvitationReceived(_))) && s.node(b).saw(|e| matches!(e, Event::InvitationResult { .. }))
    });
    assert!(told, "b: {:#?}\nc: {:#?}", events_text(&sim, b), events_text(&sim, c));
    assert!(events_text(&sim, c).contains(&format!("P2P-INVITATION-RECEIVED sa={ba} go_dev_addr={aa} bssid={abssid} unknown-network")), "{:#?}", events_text(&sim, c));
    assert!(events_text(&sim, b).contains(&"P2P-INVITATION-RESULT status=1".to_owned()), "{:#?}", events_text(&sim, b));
    // The inviting client armed nothing on the GO: a's user does, for c.
    assert_eq!(sim.ctrl(a, CtrlSocket::Group(agif.clone()), "WPS_PBC"), "OK\n");
    let reply = sim.ctrl(c, DEV, &format!("P2P_CONNECT {aa} pbc join"));
    assert!(reply == "OK\n" || reply == "(no reply yet)", "{reply}");
    let joined = sim.run_until(Duration::from_secs(30), |s| {
        group_started(s, c, GroupRole::Client).is_some()
            && s.node(a).saw(|e| matches!(e, Event::ApStaConnected { p2p_dev_addr: Some(x), .. } if *x == ca))
    });
    assert!(joined, "a: {:#?}\nc: {:#?}", events_text(&sim, a), events_text(&sim, c));
    let (_, ssid, freq) = group_started(&sim, c, GroupRole::Client).unwrap();
    let (_, go_ssid, _) = group_started(&sim, a, GroupRole::Go).unwrap();
    assert_eq!((ssid, freq), (go_ssid, 2412));
    assert!(group_started(&sim, b, GroupRole::Client).is_some() && !sim.node(b).saw(|e| matches!(e, Event::GroupRemoved { .. })), "b stayed in the group");
}

#[test]
fn go_dev_addr_names_another_go_in_the_group_id() {
    // wpa_supplicant's `P2P_INVITE group=<if> peer=<addr> go_dev_addr=<addr>`.
    let (mut sim, a, b, gif) = go_and_listener(49);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    let bssid = sim.node(a).kernel.iface_addr(&gif).unwrap();
    let other: MacAddr = "02:12:34:56:78:9a".parse().unwrap();
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE group={gif} peer={ba} go_dev_addr={other}")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| s.node(b).saw(|e| matches!(e, Event::InvitationReceived(_)))));
    assert!(events_text(&sim, b).contains(&format!("P2P-INVITATION-RECEIVED sa={aa} go_dev_addr={other} bssid={bssid} unknown-network")), "{:#?}", events_text(&sim, b));
}
