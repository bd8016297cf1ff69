#![allow(clippy::unwrap_used)]
//! Persistent groups between two directd agents on the simulated air (issue #13): each
//! way of storing a group (`P2P_GROUP_ADD persistent` with a client joining
//! `persistent`, a negotiation with `persistent`), `LIST_NETWORKS` / `GET_NETWORK` /
//! `REMOVE_NETWORK`, the GO restarted with `P2P_GROUP_ADD persistent=<id>`, the
//! re-invocation with `P2P_INVITE persistent=<id>` from either side (the group comes
//! back with no WPS), status 8 for a group the invitee does not have, and a state file
//! that could not be read: nothing stored, nothing written.

use std::time::Duration;

use super::sim::{NodeId, Sim, addr, events_text, meet};
use super::{CtrlSocket, Op, Output};
use crate::ctrl::{Event, GroupCredential, GroupRole, MacAddr};

const DEV: CtrlSocket = CtrlSocket::Device;

/// The groups started after event index `from`: (ifname, role, ssid, freq, persistent).
fn started_since(sim: &Sim, n: NodeId, from: usize) -> Vec<(String, GroupRole, Vec<u8>, u32, bool)> {
    sim.node(n).events[from..]
        .iter()
        .filter_map(|(_, e)| match e {
            Event::GroupStarted { ifname, role, ssid, freq, persistent, .. } => Some((ifname.clone(), *role, ssid.clone(), *freq, *persistent)),
            _ => None,
        })
        .collect()
}

fn passphrase_since(sim: &Sim, n: NodeId, from: usize) -> Option<String> {
    sim.node(n).events[from..].iter().find_map(|(_, e)| match e {
        Event::GroupStarted { credential: Some(GroupCredential::Passphrase(p)), .. } => Some(p.clone()),
        _ => None,
    })
}

/// The texts the agent asked the driver to write to the state file.
fn saved(sim: &Sim, n: NodeId) -> Vec<String> {
    sim.node(n)
        .other
        .iter()
        .filter_map(|o| match o {
            Output::SaveStore(t) => Some(t.0.to_string()),
            _ => None,
        })
        .collect()
}

fn saw_wps(sim: &Sim, n: NodeId, from: usize) -> bool {
    sim.node(n).events[from..].iter().any(|(_, e)| matches!(e, Event::WpsSuccess | Event::WpsRegSuccess { .. } | Event::WpsPbcActive))
}

/// Both sides end their group and wait for its removal.
fn remove_both(sim: &mut Sim, a: NodeId, b: NodeId) {
    for n in [a, b] {
        let names: Vec<String> = sim.node(n).agent.group_ifnames().map(str::to_owned).collect();
        for g in names {
            sim.ctrl(n, DEV, &format!("P2P_GROUP_REMOVE {g}"));
        }
    }
    assert!(sim.run_until(Duration::from_secs(5), |s| s.node(a).agent.group_ifnames().count() + s.node(b).agent.group_ifnames().count() == 0));
}

/// a (GO, intent 15) and b negotiate a persistent group by push button; both store it.
fn negotiated_persistent(seed: u64) -> (Sim, NodeId, NodeId, Vec<u8>) {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", seed);
    let b = sim.add_node("wlan1", seed + 1);
    meet(&mut sim, a, b);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc persistent go_intent=0 auth")), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc persistent go_intent=15")), "OK\n");
    let both = sim.run_until(Duration::from_secs(30), |s| !started_since(s, a, 0).is_empty() && !started_since(s, b, 0).is_empty());
    assert!(both, "a: {:#?}\nb: {:#?}", events_text(&sim, a), events_text(&sim, b));
    let (_, role, ssid, _, persistent) = started_since(&sim, a, 0).remove(0);
    assert_eq!((role, persistent), (GroupRole::Go, true));
    let (_, role, cssid, _, persistent) = started_since(&sim, b, 0).remove(0);
    assert_eq!((role, persistent, &cssid), (GroupRole::Client, true, &ssid));
    assert!(events_text(&sim, a).iter().any(|t| t.starts_with("P2P-GROUP-STARTED") && t.ends_with(" [PERSISTENT]")), "{:#?}", events_text(&sim, a));
    let list = |s: &str, go: MacAddr| format!("network id / ssid / bssid / flags\n0\t{s}\t{go}\t[DISABLED][P2P-PERSISTENT]\n");
    let s = String::from_utf8_lossy(&ssid).into_owned();
    assert_eq!(sim.ctrl(a, DEV, "LIST_NETWORKS"), list(&s, aa));
    assert_eq!(sim.ctrl(b, DEV, "LIST_NETWORKS"), list(&s, aa), "the client stores the GO's device address");
    assert!(sim.run_until(Duration::from_secs(5), |s| s.node(a).agent.stored_groups().first().is_some_and(|g| g.clients == vec![ba])));
    assert_eq!(sim.ctrl(a, DEV, "GET_NETWORK 0 p2p_client_list"), ba.to_string());
    assert_eq!(sim.ctrl(b, DEV, "GET_NETWORK 0 mode"), "0");
    assert_eq!(sim.ctrl(a, DEV, "GET_NETWORK 0 mode"), "3");
    // What was written reads back as what is listed; secrets only in the file.
    let last = saved(&sim, a).pop().expect("the state file written");
    assert_eq!(crate::p2p::persistent::Store::parse(&last).unwrap().groups(), sim.node(a).agent.stored_groups());
    assert!(last.contains(&format!("\tp2p_client_list={ba}\n")) && last.contains("\tmode=3\n"), "{last}");
    assert!(saved(&sim, b).pop().unwrap().contains("\tmode=0\n\tdisabled=2\n"));
    remove_both(&mut sim, a, b);
    (sim, a, b, ssid)
}

#[test]
fn a_negotiated_persistent_group_is_reinvoked_from_either_side_without_wps() {
    let (mut sim, a, b, ssid) = negotiated_persistent(71);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    // a (the GO) re-invokes: b, listening, accepts on its own and joins with the key.
    assert_eq!(sim.ctrl(b, DEV, "P2P_LISTEN"), "OK\n");
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    let ops_b = sim.node(b).kernel.ops.len();
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE persistent=0 peer={ba}")), "OK\n");
    let up = sim.run_until(Duration::from_secs(30), |s| {
        !started_since(s, a, ea).is_empty() && !started_since(s, b, eb).is_empty() && s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(up, "a: {:#?}\nb: {:#?}", &events_text(&sim, a)[ea..], &events_text(&sim, b)[eb..]);
    let (_, role, gssid, freq, p) = started_since(&sim, a, ea).remove(0);
    assert_eq!((role, &gssid, p), (GroupRole::Go, &ssid, true));
    let (_, role, cssid, cfreq, p) = started_since(&sim, b, eb).remove(0);
    assert_eq!((role, &cssid, cfreq, p), (GroupRole::Client, &ssid, freq, true));
    assert!(events_text(&sim, a)[ea..].contains(&"P2P-INVITATION-RESULT status=0".to_owned()), "{:#?}", &events_text(&sim, a)[ea..]);
    assert!(events_text(&sim, b)[eb..].contains(&format!("P2P-INVITATION-ACCEPTED sa={aa} persistent=0")), "{:#?}", &events_text(&sim, b)[eb..]);
    assert!(!saw_wps(&sim, a, ea) && !saw_wps(&sim, b, eb), "no WPS");
    let rsn_only = sim.node(b).kernel.ops[ops_b..].iter().filter_map(|o| match o { Op::Connect { params, .. } => Some(params.crypto.wpa_versions != 0), _ => None }).collect::<Vec<_>>();
    assert!(!rsn_only.is_empty() && rsn_only.iter().all(|r| *r), "b associated with RSN only: {rsn_only:?}");
    remove_both(&mut sim, a, b);

    // b (the client) re-invokes toward its GO (peer= omitted: the GO): a, listening,
    // accepts and runs the group again as GO.
    assert_eq!(sim.ctrl(a, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    sim.run_for(Duration::from_secs(3));
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    assert_eq!(sim.ctrl(b, DEV, "P2P_INVITE persistent=0"), "OK\n");
    let up = sim.run_until(Duration::from_secs(30), |s| {
        !started_since(s, a, ea).is_empty() && !started_since(s, b, eb).is_empty() && s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(up, "a: {:#?}\nb: {:#?}", &events_text(&sim, a)[ea..], &events_text(&sim, b)[eb..]);
    let (_, role, gssid, _, _) = started_since(&sim, a, ea).remove(0);
    let (_, crole, cssid, _, _) = started_since(&sim, b, eb).remove(0);
    assert_eq!((role, crole, &gssid, &cssid), (GroupRole::Go, GroupRole::Client, &ssid, &ssid));
    assert!(events_text(&sim, a)[ea..].iter().any(|t| t.starts_with(&format!("P2P-INVITATION-ACCEPTED sa={ba} persistent=0 freq="))), "{:#?}", &events_text(&sim, a)[ea..]);
    assert!(!saw_wps(&sim, a, ea) && !saw_wps(&sim, b, eb), "no WPS");
}

#[test]
fn a_group_the_invitee_forgot_is_refused_with_status_8() {
    let (mut sim, a, b, _) = negotiated_persistent(73);
    let ba = addr(&sim, b);
    assert_eq!(sim.ctrl(b, DEV, "REMOVE_NETWORK 1"), "FAIL\n", "no such id");
    assert_eq!(sim.ctrl(b, DEV, "REMOVE_NETWORK all"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "LIST_NETWORKS"), "network id / ssid / bssid / flags\n");
    assert!(saved(&sim, b).pop().unwrap().lines().all(|l| l.starts_with('#')), "the file is emptied");
    assert_eq!(sim.ctrl(b, DEV, "P2P_LISTEN"), "OK\n");
    let ea = sim.node(a).events.len();
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE persistent=0 peer={ba}")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::InvitationResult { .. }))));
    assert!(events_text(&sim, a)[ea..].contains(&"P2P-INVITATION-RESULT status=8".to_owned()), "{:#?}", &events_text(&sim, a)[ea..]);
    // hostap's test_persistent_group_peer_dropped2: the GO drops the client that forgot
    // the group from its p2p_client_list (wpa_supplicant answers FAIL for an empty one);
    // the group itself stays.
    assert_eq!(sim.ctrl(a, DEV, "GET_NETWORK 0 p2p_client_list"), "FAIL\n");
    assert_eq!(sim.node(a).agent.stored_groups().len(), 1);
    assert!(!saved(&sim, a).pop().unwrap().contains("p2p_client_list"), "written without it");
    sim.run_for(Duration::from_secs(2));
    assert_eq!(sim.node(a).agent.group_ifnames().count() + sim.node(b).agent.group_ifnames().count(), 0, "nothing started");
    assert_eq!(sim.ctrl(a, DEV, "P2P_INVITE persistent=5"), "FAIL\n", "an unknown id");
    assert_eq!(sim.ctrl(a, DEV, "P2P_INVITE persistent=0 peer=02:99:99:99:99:99"), "FAIL\n", "an unknown peer");
}

#[test]
fn a_persistent_go_remembers_its_clients_and_restarts_with_the_same_credentials() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 75);
    let b = sim.add_node("wlan1", 76);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD persistent freq=2412"), "OK\n");
    let (gif, _, ssid, _, p) = started_since(&sim, a, 0).remove(0);
    assert!(p);
    let pass = passphrase_since(&sim, a, 0).unwrap();
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(20), |s| s.node(b).agent.peers().find(&aa).is_some_and(|p| p.group.is_some())));
    assert_eq!(sim.ctrl(a, CtrlSocket::Group(gif.clone()), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc join persistent")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(30), |s| !started_since(s, b, 0).is_empty()), "{:#?}", events_text(&sim, b));
    let (_, _, cssid, _, cp) = started_since(&sim, b, 0).remove(0);
    assert_eq!((&cssid, cp), (&ssid, true), "the GO offers persistence: the client stores it");
    assert!(sim.run_until(Duration::from_secs(5), |s| s.node(a).agent.stored_groups()[0].clients == vec![ba]));
    assert_eq!(sim.node(b).agent.stored_groups()[0].go_dev_addr, aa);
    remove_both(&mut sim, a, b);
    // The GO alone, from its store: same SSID and passphrase.
    let ea = sim.node(a).events.len();
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD persistent=0"), "OK\n");
    let (_, role, ssid2, _, p) = started_since(&sim, a, ea).remove(0);
    assert_eq!((role, &ssid2, p), (GroupRole::Go, &ssid, true));
    assert_eq!(passphrase_since(&sim, a, ea).unwrap(), pass);
    assert_eq!(sim.node(a).agent.stored_groups().len(), 1, "stored once");
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD persistent=3"), "FAIL\n");
    // The running GO re-invokes its stored client (peer= omitted: the newest client),
    // which joins the running group with its stored key: no WPS, no second group.
    assert_eq!(sim.ctrl(b, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, "P2P_FIND"), "OK\n");
    sim.run_for(Duration::from_secs(3));
    assert_eq!(sim.ctrl(a, DEV, "P2P_STOP_FIND"), "OK\n");
    let eb = sim.node(b).events.len();
    assert_eq!(sim.ctrl(a, DEV, "P2P_INVITE persistent=0"), "OK\n");
    let back = sim.run_until(Duration::from_secs(30), |s| {
        !started_since(s, b, eb).is_empty() && s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(back, "a: {:#?}\nb: {:#?}", &events_text(&sim, a)[ea..], &events_text(&sim, b)[eb..]);
    let (_, role, cssid, _, _) = started_since(&sim, b, eb).remove(0);
    assert_eq!((role, &cssid), (GroupRole::Client, &ssid));
    assert_eq!(started_since(&sim, a, ea).len(), 1, "the running group, no second one");
    assert!(!saw_wps(&sim, a, ea) && !saw_wps(&sim, b, eb), "no WPS");
    assert!(events_text(&sim, b)[eb..].contains(&format!("P2P-INVITATION-ACCEPTED sa={aa} persistent=0")), "{:#?}", &events_text(&sim, b)[eb..]);
    // The client's own `P2P_GROUP_ADD persistent=<id>` (as wpa_supplicant): it joins the
    // group again where its GO runs it, with the stored key. First with the GO gone: the
    // search gives up after its scans.
    remove_both(&mut sim, a, b);
    let eb = sim.node(b).events.len();
    assert_eq!(sim.ctrl(b, DEV, "P2P_GROUP_ADD persistent=0"), "OK\n");
    let failed = sim.run_until(Duration::from_secs(60), |s| s.node(b).events[eb..].iter().any(|(_, e)| matches!(e, Event::GroupFormationFailure { .. })));
    assert!(failed, "{:#?}", &events_text(&sim, b)[eb..]);
    assert!(started_since(&sim, b, eb).is_empty());
    // The GO restarts its group: the client's request joins it, no WPS.
    let ea = sim.node(a).events.len();
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD persistent=0"), "OK\n");
    let eb = sim.node(b).events.len();
    assert_eq!(sim.ctrl(b, DEV, "P2P_GROUP_ADD persistent=0"), "OK\n");
    let back = sim.run_until(Duration::from_secs(30), |s| {
        !started_since(s, b, eb).is_empty() && s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(back, "a: {:#?}\nb: {:#?}", &events_text(&sim, a)[ea..], &events_text(&sim, b)[eb..]);
    let (_, role, cssid, _, p) = started_since(&sim, b, eb).remove(0);
    assert_eq!((role, &cssid, p), (GroupRole::Client, &ssid, true));
    assert!(!saw_wps(&sim, a, ea) && !saw_wps(&sim, b, eb), "no WPS");
    // Again while the group was just seen: it starts without a search.
    let names: Vec<String> = sim.node(b).agent.group_ifnames().map(str::to_owned).collect();
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_GROUP_REMOVE {}", names[0])), "OK\n");
    assert!(sim.run_until(Duration::from_secs(5), |s| s.node(b).agent.group_ifnames().count() == 0));
    let eb = sim.node(b).events.len();
    assert_eq!(sim.ctrl(b, DEV, "P2P_GROUP_ADD persistent=0"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| !started_since(s, b, eb).is_empty()), "{:#?}", &events_text(&sim, b)[eb..]);
}

#[test]
fn a_join_without_persistent_or_into_a_temporary_group_stores_nothing() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 77);
    let b = sim.add_node("wlan1", 78);
    let aa = addr(&sim, a);
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD freq=2412"), "OK\n");
    let (gif, _, _, _, p) = started_since(&sim, a, 0).remove(0);
    assert!(!p);
    assert!(!events_text(&sim, a)[0].contains("[PERSISTENT]"));
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(20), |s| s.node(b).agent.peers().find(&aa).is_some_and(|p| p.group.is_some())));
    assert_eq!(sim.ctrl(a, CtrlSocket::Group(gif), "WPS_PBC"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc join persistent")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(30), |s| !started_since(s, b, 0).is_empty()));
    assert!(!started_since(&sim, b, 0)[0].4, "the GO offered no persistence");
    assert!(sim.node(a).agent.stored_groups().is_empty() && sim.node(b).agent.stored_groups().is_empty());
    assert!(saved(&sim, a).is_empty() && saved(&sim, b).is_empty());
}

#[test]
fn an_unreadable_state_file_is_never_written_and_nothing_is_stored() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 79);
    sim.nodes[a.0].agent.load_store(Err("the state file /x/persistent.conf is corrupt: line 3: bad bssid".into()));
    assert_eq!(sim.ctrl(a, DEV, "LIST_NETWORKS"), "network id / ssid / bssid / flags\n");
    assert_eq!(sim.ctrl(a, DEV, "REMOVE_NETWORK all"), "FAIL\n", "the file is left as it is");
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD persistent freq=2412"), "OK\n", "the group still starts");
    let (_, _, _, _, p) = started_since(&sim, a, 0).remove(0);
    assert!(!p, "as a temporary group");
    assert!(sim.node(a).agent.stored_groups().is_empty());
    assert!(saved(&sim, a).is_empty(), "nothing written");
}

#[test]
fn stored_groups_loaded_at_start_are_listed_and_restartable() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 81);
    let me = addr(&sim, a);
    let text = format!(
        "network={{\n\tssid=\"DIRECT-zz\"\n\tbssid={me}\n\tpsk=\"secret-pass\"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tmode=3\n\tdisabled=2\n}}\n"
    );
    sim.nodes[a.0].agent.load_store(crate::p2p::persistent::Store::parse(&text).map_err(|e| e.to_string()));
    assert_eq!(sim.ctrl(a, DEV, "LIST_NETWORKS"), format!("network id / ssid / bssid / flags\n0\tDIRECT-zz\t{me}\t[DISABLED][P2P-PERSISTENT]\n"));
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD persistent=0 freq=2462"), "OK\n");
    let (_, _, ssid, freq, p) = started_since(&sim, a, 0).remove(0);
    assert_eq!((ssid.as_slice(), freq, p), (&b"DIRECT-zz"[..], 2462, true));
    assert_eq!(passphrase_since(&sim, a, 0).unwrap(), "secret-pass");
    assert!(events_text(&sim, a)[0].ends_with("[PERSISTENT]"), "{}", events_text(&sim, a)[0]);
}

#[test]
fn network_ids_stay_across_remove_network_and_a_restart() {
    // wpa_supplicant's ids do not change when another network is removed; a new one is
    // one past the highest in use. A file of the format before ids were written numbers
    // its blocks by position.
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 83);
    let me = addr(&sim, a);
    let block = |ssid: &str| {
        format!("network={{\n\tssid=\"{ssid}\"\n\tbssid={me}\n\tpsk=\"secret-pass\"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tmode=3\n\tdisabled=2\n}}\n")
    };
    let text = format!("{}{}", block("DIRECT-z0"), block("DIRECT-z1"));
    sim.nodes[a.0].agent.load_store(crate::p2p::persistent::Store::parse(&text).map_err(|e| e.to_string()));
    let line = |id: u32, ssid: &str| format!("{id}\t{ssid}\t{me}\t[DISABLED][P2P-PERSISTENT]\n");
    let head = "network id / ssid / bssid / flags\n";
    assert_eq!(sim.ctrl(a, DEV, "LIST_NETWORKS"), format!("{head}{}{}", line(0, "DIRECT-z0"), line(1, "DIRECT-z1")));
    assert_eq!(sim.ctrl(a, DEV, "REMOVE_NETWORK 0"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, "LIST_NETWORKS"), format!("{head}{}", line(1, "DIRECT-z1")), "id 1 is still 1");
    assert_eq!(sim.ctrl(a, DEV, "GET_NETWORK 0 ssid"), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, "REMOVE_NETWORK 0"), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, "GET_NETWORK 1 ssid"), "\"DIRECT-z1\"");
    // A new group: one past the highest id in use.
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD persistent freq=2412"), "OK\n");
    let (gif, _, ssid, _, _) = started_since(&sim, a, 0).remove(0);
    let ssid = String::from_utf8(ssid).unwrap();
    assert_eq!(sim.ctrl(a, DEV, "LIST_NETWORKS"), format!("{head}{}{}", line(1, "DIRECT-z1"), line(2, &ssid)));
    sim.ctrl(a, DEV, &format!("P2P_GROUP_REMOVE {gif}"));
    assert!(sim.run_until(Duration::from_secs(5), |s| s.node(a).agent.group_ifnames().count() == 0));
    // A restart: the file written last gives the same ids, and they start groups.
    let last = saved(&sim, a).pop().expect("the state file written");
    let b = sim.add_node("wlan1", 84);
    sim.nodes[b.0].agent.load_store(crate::p2p::persistent::Store::parse(&last).map_err(|e| e.to_string()));
    assert_eq!(sim.ctrl(b, DEV, "LIST_NETWORKS"), format!("{head}{}{}", line(1, "DIRECT-z1"), line(2, &ssid)));
    assert_eq!(sim.ctrl(b, DEV, "P2P_GROUP_ADD persistent=0 freq=2412"), "FAIL\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_GROUP_ADD persistent=2 freq=2412"), "OK\n");
    let (_, _, restarted, _, p) = started_since(&sim, b, 0).remove(0);
    assert_eq!((String::from_utf8(restarted).unwrap(), p), (ssid, true));
}

#[test]
fn a_client_whose_go_forgot_the_group_forgets_it_too() {
    // hostap's test_persistent_group_peer_dropped: the client re-invokes, the GO
    // answers status 8, the client's stored group is removed; a new group still forms.
    let (mut sim, a, b, _) = negotiated_persistent(87);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(a, DEV, "REMOVE_NETWORK all"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    sim.run_for(Duration::from_secs(3));
    let eb = sim.node(b).events.len();
    assert_eq!(sim.ctrl(b, DEV, "P2P_INVITE persistent=0"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| s.node(b).events[eb..].iter().any(|(_, e)| matches!(e, Event::InvitationResult { .. }))));
    assert!(events_text(&sim, b)[eb..].contains(&"P2P-INVITATION-RESULT status=8".to_owned()), "{:#?}", &events_text(&sim, b)[eb..]);
    assert_eq!(sim.ctrl(b, DEV, "LIST_NETWORKS"), "network id / ssid / bssid / flags\n");
    assert!(saved(&sim, b).pop().unwrap().lines().all(|l| l.starts_with('#')), "the file is emptied");
    // A new persistent group forms by negotiation, and gets id 0 on both sides again.
    meet(&mut sim, a, b);
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc persistent go_intent=0 auth")), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc persistent go_intent=15")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(30), |s| !started_since(s, a, ea).is_empty() && !started_since(s, b, eb).is_empty()));
    assert!(sim.ctrl(b, DEV, "LIST_NETWORKS").contains("\n0\t"), "{}", sim.ctrl(b, DEV, "LIST_NETWORKS"));
}

#[test]
fn a_persistent_go_lists_its_clients_newest_first_and_drops_one_that_forgot() {
    // hostap's test_persistent_go_client_list: two clients join, `GET_NETWORK <id>
    // p2p_client_list` is "<newest> <older>"; one forgets the group, the GO re-invokes
    // it, status 8: only the other is left.
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 89);
    let b = sim.add_node("wlan1", 90);
    let c = sim.add_node("wlan2", 91);
    let (aa, ba, ca) = (addr(&sim, a), addr(&sim, b), addr(&sim, c));
    assert_eq!(sim.ctrl(a, DEV, "P2P_GROUP_ADD persistent freq=2412"), "OK\n");
    let (gif, _, ssid, _, _) = started_since(&sim, a, 0).remove(0);
    for (n, na) in [(b, ba), (c, ca)] {
        assert_eq!(sim.ctrl(n, DEV, "P2P_FIND"), "OK\n");
        assert!(sim.run_until(Duration::from_secs(20), |s| s.node(n).agent.peers().find(&aa).is_some_and(|p| p.group.is_some())));
        assert_eq!(sim.ctrl(n, DEV, "P2P_STOP_FIND"), "OK\n");
        assert_eq!(sim.ctrl(a, CtrlSocket::Group(gif.clone()), "WPS_PBC"), "OK\n");
        assert_eq!(sim.ctrl(n, DEV, &format!("P2P_CONNECT {aa} pbc join persistent")), "OK\n");
        assert!(sim.run_until(Duration::from_secs(30), |s| !started_since(s, n, 0).is_empty()), "{:#?}", events_text(&sim, n));
        assert!(sim.run_until(Duration::from_secs(5), |s| s.node(a).agent.stored_groups()[0].clients.first() == Some(&na)));
    }
    assert_eq!(sim.ctrl(a, DEV, "GET_NETWORK 0 p2p_client_list"), format!("{ca} {ba}"));
    assert!(saved(&sim, a).pop().unwrap().contains(&format!("\tp2p_client_list={ca} {ba}\n")));
    // c forgets the group; the GO, still running it, re-invokes c: status 8.
    for n in [b, c] {
        let names: Vec<String> = sim.node(n).agent.group_ifnames().map(str::to_owned).collect();
        for g in names {
            sim.ctrl(n, DEV, &format!("P2P_GROUP_REMOVE {g}"));
        }
    }
    assert_eq!(sim.ctrl(c, DEV, "REMOVE_NETWORK all"), "OK\n");
    assert_eq!(sim.ctrl(c, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, "P2P_FIND"), "OK\n");
    sim.run_for(Duration::from_secs(3));
    assert_eq!(sim.ctrl(a, DEV, "P2P_STOP_FIND"), "OK\n");
    let ea = sim.node(a).events.len();
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE persistent=0 peer={ca}")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::InvitationResult { .. }))));
    assert!(events_text(&sim, a)[ea..].contains(&"P2P-INVITATION-RESULT status=8".to_owned()), "{:#?}", &events_text(&sim, a)[ea..]);
    assert_eq!(sim.ctrl(a, DEV, "GET_NETWORK 0 p2p_client_list"), ba.to_string());
    assert_eq!(sim.node(a).agent.stored_groups()[0].ssid, ssid, "the group stays");
}

#[test]
fn crossing_reinvocations_settle_on_the_lower_address_and_the_higher_one_yields() {
    // Both ends re-invoke the stored group with each other at the same moment: the
    // higher device address yields (its invitation ends, the peer's is accepted), the
    // lower one's goes on and succeeds; one group, no failure on either side.
    let (mut sim, a, b, ssid) = negotiated_persistent(75);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(a, DEV, "P2P_FIND"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    sim.run_for(Duration::from_secs(3));
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE persistent=0 peer={ba}")), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_INVITE persistent=0 peer={aa}")), "OK\n");
    let up = sim.run_until(Duration::from_secs(10), |s| {
        !started_since(s, a, ea).is_empty() && !started_since(s, b, eb).is_empty() && s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(up, "a: {:#?}\nb: {:#?}", &events_text(&sim, a)[ea..], &events_text(&sim, b)[eb..]);
    sim.run_for(Duration::from_secs(2));
    let (lo, hi, lo_addr) = if aa < ba { (a, b, aa) } else { (b, a, ba) };
    let (el, eh) = if lo == a { (ea, eb) } else { (eb, ea) };
    let (tl, th) = (events_text(&sim, lo)[el..].to_vec(), events_text(&sim, hi)[eh..].to_vec());
    let results = |t: &[String]| t.iter().filter(|l| l.starts_with("P2P-INVITATION-RESULT")).cloned().collect::<Vec<_>>();
    let accepted = |t: &[String]| t.iter().filter(|l| l.starts_with("P2P-INVITATION-ACCEPTED")).cloned().collect::<Vec<_>>();
    assert_eq!(results(&tl), ["P2P-INVITATION-RESULT status=0"], "the lower address's invitation succeeds: {tl:#?}");
    assert!(accepted(&tl).is_empty(), "{tl:#?}");
    assert!(results(&th).is_empty(), "the higher address's invitation yields, with no result: {th:#?}");
    assert_eq!(accepted(&th).len(), 1, "{th:#?}");
    assert!(accepted(&th)[0].starts_with(&format!("P2P-INVITATION-ACCEPTED sa={lo_addr} persistent=0")), "{th:#?}");
    for (n, from) in [(a, ea), (b, eb)] {
        let started = started_since(&sim, n, from);
        assert_eq!(started.len(), 1, "one group: {:#?}", events_text(&sim, n));
        assert_eq!((&started[0].2, started[0].4), (&ssid, true));
    }
    assert!(!saw_wps(&sim, a, ea) && !saw_wps(&sim, b, eb), "no WPS");
}

#[test]
fn p2p_connect_persistent_id_negotiates_and_as_go_runs_the_stored_group() {
    // wpa_supplicant 2.10's P2P_CONNECT ... persistent=<id>: the id must name a stored
    // group we own (else FAIL); a negotiation follows (WPS as usual), and if we become GO
    // the group is that stored one: its SSID and passphrase.
    let (mut sim, a, b, ssid) = negotiated_persistent(77);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    let stored_pass = match &sim.node(a).agent.stored_groups()[0].key {
        crate::p2p::persistent::StoredKey::Passphrase(p) => p.to_string(),
        _ => panic!("a GO stores its passphrase"),
    };
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc persistent=1")), "FAIL\n", "no such id");
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc persistent=0")), "FAIL\n", "b's group 0 is a client one");
    meet(&mut sim, a, b);
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc go_intent=0 auth")), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc persistent=0 go_intent=15")), "OK\n");
    let up = sim.run_until(Duration::from_secs(30), |s| {
        !started_since(s, a, ea).is_empty() && !started_since(s, b, eb).is_empty() && s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(up, "a: {:#?}\nb: {:#?}", &events_text(&sim, a)[ea..], &events_text(&sim, b)[eb..]);
    let ta = events_text(&sim, a)[ea..].to_vec();
    assert!(ta.iter().any(|l| l.starts_with("P2P-GO-NEG-SUCCESS role=GO")), "negotiated: {ta:#?}");
    let (_, role, gssid, _, p) = started_since(&sim, a, ea).remove(0);
    assert_eq!((role, &gssid, p), (GroupRole::Go, &ssid, true), "the stored group's SSID");
    assert_eq!(passphrase_since(&sim, a, ea), Some(stored_pass), "the stored group's passphrase");
    let (_, crole, cssid, _, _) = started_since(&sim, b, eb).remove(0);
    assert_eq!((crole, &cssid), (GroupRole::Client, &ssid));
    assert!(saw_wps(&sim, a, ea), "provisioned by WPS, as a negotiation is");
    assert_eq!(sim.node(a).agent.stored_groups().len(), 1, "still the one stored group");
}

#[test]
fn without_persistent_reconnect_the_user_is_asked_and_re_invokes_it() {
    // hostap's test_persistent_group_without_persistent_reconnect: b (the client) with
    // persistent_reconnect=0 answers a's re-invocation 1 and reports it; nothing starts.
    // b's user re-invokes it toward a, which accepts it although it too has
    // persistent_reconnect=0: it asked b for it (its invitation got 1).
    let (mut sim, a, b, ssid) = negotiated_persistent(79);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(b, DEV, "GET persistent_reconnect"), "1");
    assert_eq!(sim.ctrl(b, DEV, "SET persistent_reconnect 2"), "FAIL\n");
    for n in [a, b] {
        assert_eq!(sim.ctrl(n, DEV, "SET persistent_reconnect 0"), "OK\n");
    }
    assert_eq!(sim.ctrl(b, DEV, "P2P_LISTEN"), "OK\n");
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE persistent=0 peer={ba}")), "OK\n");
    let asked = sim.run_until(Duration::from_secs(10), |s| events_text(s, b)[eb..].iter().any(|l| l.starts_with("P2P-INVITATION-RECEIVED")));
    assert!(asked, "b: {:#?}", &events_text(&sim, b)[eb..]);
    sim.run_for(Duration::from_secs(2));
    assert!(events_text(&sim, b)[eb..].contains(&format!("P2P-INVITATION-RECEIVED sa={aa} persistent=0")), "b is the client: no freq: {:#?}", &events_text(&sim, b)[eb..]);
    assert!(events_text(&sim, a)[ea..].contains(&"P2P-INVITATION-RESULT status=1".to_owned()), "{:#?}", &events_text(&sim, a)[ea..]);
    assert!(started_since(&sim, a, ea).is_empty() && started_since(&sim, b, eb).is_empty(), "nothing starts on its own");
    // b's user re-invokes it.
    assert_eq!(sim.ctrl(a, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_FIND"), "OK\n");
    sim.run_for(Duration::from_secs(3));
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_INVITE persistent=0 peer={aa}")), "OK\n");
    let up = sim.run_until(Duration::from_secs(20), |s| {
        !started_since(s, a, ea).is_empty() && !started_since(s, b, eb).is_empty() && s.node(a).events[ea..].iter().any(|(_, e)| matches!(e, Event::ApStaConnected { .. }))
    });
    assert!(up, "a: {:#?}\nb: {:#?}", &events_text(&sim, a)[ea..], &events_text(&sim, b)[eb..]);
    assert!(events_text(&sim, a)[ea..].iter().any(|l| l.starts_with(&format!("P2P-INVITATION-ACCEPTED sa={ba} persistent=0 freq="))), "{:#?}", &events_text(&sim, a)[ea..]);
    assert!(events_text(&sim, b)[eb..].iter().any(|l| l.starts_with("P2P-INVITATION-RESULT status=0 ")), "{:#?}", &events_text(&sim, b)[eb..]);
    assert_eq!(started_since(&sim, a, ea)[0].2, ssid);
    assert!(!saw_wps(&sim, a, ea) && !saw_wps(&sim, b, eb), "no WPS");
    // The authorisation was used: a's next re-invocation from b is asked about again.
    remove_both(&mut sim, a, b);
    assert_eq!(sim.ctrl(a, DEV, "P2P_LISTEN"), "OK\n");
    let ea = sim.node(a).events.len();
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_INVITE persistent=0 peer={aa}")), "OK\n");
    let asked = sim.run_until(Duration::from_secs(10), |s| events_text(s, a)[ea..].iter().any(|l| l.starts_with("P2P-INVITATION-RECEIVED")));
    assert!(asked, "a: {:#?}", &events_text(&sim, a)[ea..]);
    assert!(events_text(&sim, a)[ea..].iter().any(|l| l.starts_with(&format!("P2P-INVITATION-RECEIVED sa={ba} persistent=0 freq="))), "a is the GO: freq: {:#?}", &events_text(&sim, a)[ea..]);
}

#[test]
fn a_reinvocation_while_another_group_runs_is_refused_with_status_5() {
    // b runs a group of its own (directd runs one at a time): a's re-invocation of their
    // stored group is answered 5 (unable to accommodate, as wpa_supplicant when its only
    // interface is in use), b's group goes on and nothing else starts.
    let (mut sim, a, b, _) = negotiated_persistent(81);
    let ba = addr(&sim, b);
    assert_eq!(sim.ctrl(b, DEV, "P2P_GROUP_ADD"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| s.node(b).agent.group_ifnames().count() == 1));
    let own: Vec<String> = sim.node(b).agent.group_ifnames().map(str::to_owned).collect();
    assert_eq!(sim.ctrl(b, DEV, "P2P_LISTEN"), "OK\n");
    let (ea, eb) = (sim.node(a).events.len(), sim.node(b).events.len());
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_INVITE persistent=0 peer={ba}")), "OK\n");
    let answered = sim.run_until(Duration::from_secs(10), |s| events_text(s, a)[ea..].iter().any(|l| l.starts_with("P2P-INVITATION-RESULT")));
    assert!(answered, "a: {:#?}", &events_text(&sim, a)[ea..]);
    sim.run_for(Duration::from_secs(2));
    assert!(events_text(&sim, a)[ea..].contains(&"P2P-INVITATION-RESULT status=5".to_owned()), "{:#?}", &events_text(&sim, a)[ea..]);
    let tb = events_text(&sim, b)[eb..].to_vec();
    assert!(!tb.iter().any(|l| l.starts_with("P2P-INVITATION-") || l.starts_with("P2P-GROUP-")), "b tells nothing, starts nothing: {tb:#?}");
    assert!(started_since(&sim, a, ea).is_empty());
    assert_eq!(sim.node(b).agent.group_ifnames().map(str::to_owned).collect::<Vec<_>>(), own, "b's own group goes on");
}

#[test]
fn p2p_peer_names_the_group_stored_with_the_peer() {
    // wpa_supplicant's `P2P_PEER` prints `persistent=<id>` after `level=` for a peer that
    // is the GO, or a listed client, of a stored group (hostap's invite() helper and
    // test_persistent_group_in_grpform read it); a peer with none has no such line.
    let (mut sim, a, b, _) = negotiated_persistent(91);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    let c = sim.add_node("wlan2", 93);
    let ca = addr(&sim, c);
    for n in [a, b, c] {
        assert_eq!(sim.ctrl(n, DEV, "P2P_FIND"), "OK\n");
    }
    let all = sim.run_until(Duration::from_secs(20), |s| {
        s.node(a).agent.peers().find(&ba).is_some() && s.node(b).agent.peers().find(&aa).is_some() && s.node(a).agent.peers().find(&ca).is_some()
    });
    assert!(all, "the peers met again");
    let lines = |t: String| t.lines().map(str::to_owned).collect::<Vec<_>>();
    for (n, peer) in [(a, ba), (b, aa)] {
        let l = lines(sim.ctrl(n, DEV, &format!("P2P_PEER {peer}")));
        let level = l.iter().position(|x| x.starts_with("level=")).expect("level=");
        assert_eq!(l[level + 1], "persistent=0", "{l:#?}");
        assert!(l[level + 2].starts_with("age="), "{l:#?}");
    }
    let l = sim.ctrl(a, DEV, &format!("P2P_PEER {ca}"));
    assert!(!l.contains("persistent="), "{l}");
}
