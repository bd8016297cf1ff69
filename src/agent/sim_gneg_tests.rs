#![allow(clippy::unwrap_used)]
//! GO negotiation between two directd agents on the simulated air, through their control
//! requests as wpa_cli sends them: PBC and PIN, both roles, the status 1 path (the peer's
//! user answers `P2P-GO-NEG-REQUEST` with its own `P2P_CONNECT`), `auth` in advance,
//! both intents 15, `P2P_REJECT`, and `P2P_CANCEL` leaving nothing behind.

use std::time::Duration;

use super::{CtrlSocket, Op};
use super::sim::{NodeId, Sim, addr, events_text, meet, p2p_state};
use crate::ctrl::{Event, GroupRole, MacAddr, WpsMethodText};

const DEV: CtrlSocket = CtrlSocket::Device;

/// Both find until each has found the other; both keep searching.
fn group_started(sim: &Sim, n: NodeId) -> Option<(String, GroupRole, u32, Vec<u8>)> {
    sim.node(n).events.iter().find_map(|(_, e)| match e {
        Event::GroupStarted { ifname, role, freq, ssid, .. } => Some((ifname.clone(), *role, *freq, ssid.clone())),
        _ => None,
    })
}

fn neg_success(sim: &Sim, n: NodeId) -> Option<(GroupRole, WpsMethodText, MacAddr)> {
    sim.node(n).events.iter().find_map(|(_, e)| match e {
        Event::GoNegSuccess { role, wps_method, peer_dev, .. } => Some((*role, *wps_method, *peer_dev)),
        _ => None,
    })
}

/// Index of the first event whose text starts with `prefix`.
fn pos(sim: &Sim, n: NodeId, prefix: &str) -> Option<usize> {
    events_text(sim, n).iter().position(|t| t.starts_with(prefix))
}

/// Runs until both sides have the group, then checks the roles, the events in
/// wpa_supplicant's order and what each group looks like.
fn formed(sim: &mut Sim, go: NodeId, client: NodeId, method: WpsMethodText) {
    let (ga, ca) = (addr(sim, go), addr(sim, client));
    let connected = |s: &Sim| s.node(go).saw(|e| matches!(e, Event::ApStaConnected { p2p_dev_addr: Some(d), .. } if *d == ca));
    let both = sim.run_until(Duration::from_secs(30), |s| group_started(s, go).is_some() && group_started(s, client).is_some() && connected(s));
    assert!(both, "group formed:\nGO {:#?}\nclient {:#?}", events_text(sim, go), events_text(sim, client));
    let (gif, grole, gfreq, gssid) = group_started(sim, go).unwrap();
    let (cif, crole, cfreq, cssid) = group_started(sim, client).unwrap();
    assert_eq!((grole, crole), (GroupRole::Go, GroupRole::Client));
    assert_eq!((gfreq, &gssid), (cfreq, &cssid), "the same group on both sides");
    assert!(gssid.starts_with(b"DIRECT-") && gssid.len() == 9, "{}", String::from_utf8_lossy(&gssid));
    assert_eq!(neg_success(sim, go), Some((GroupRole::Go, method, ca)));
    let peer_method = match method {
        WpsMethodText::Display => WpsMethodText::Keypad,
        WpsMethodText::Keypad => WpsMethodText::Display,
        m => m,
    };
    assert_eq!(neg_success(sim, client), Some((GroupRole::Client, peer_method, ga)));
    for n in [go, client] {
        let neg = pos(sim, n, "P2P-GO-NEG-SUCCESS").unwrap();
        let ok = pos(sim, n, "P2P-GROUP-FORMATION-SUCCESS").expect("P2P-GROUP-FORMATION-SUCCESS");
        let started = pos(sim, n, "P2P-GROUP-STARTED").unwrap();
        assert!(neg < ok && ok < started, "wpa_supplicant's order: {:#?}", events_text(sim, n));
    }
    // The GO's interface has the address the negotiation announced, and the client is
    // associated to it.
    let gaddr = sim.node(go).kernel.iface_addr(&gif).unwrap();
    let peer_iface = sim.node(client).events.iter().find_map(|(_, e)| match e {
        Event::GoNegSuccess { peer_iface, .. } => Some(*peer_iface),
        _ => None,
    });
    assert_eq!(Some(gaddr), peer_iface);
    // The client associates only after a scan of the GO's channel ran (a scan refused as
    // busy, the Confirm's off-channel wait still running, is tried again): a CONNECT to a
    // BSS the kernel has not seen makes cfg80211 scan, and that scan, refused too, leaves
    // the attempt waiting forever.
    let k = &sim.node(client).kernel;
    let connect = k.ops.iter().position(|o| matches!(o, Op::Connect { .. })).expect("the client associated");
    let scans: Vec<usize> = k.ops[..connect].iter().enumerate().filter(|(_, o)| matches!(o, Op::TriggerScan { .. })).map(|(i, _)| i).collect();
    let last = *scans.last().expect("a scan before the association");
    assert!(!k.refused_scans.contains(&last), "the last scan before CONNECT ran (scans {scans:?}, refused {:?})", k.refused_scans);
    let s = sim.ctrl(client, CtrlSocket::Group(cif), "STATUS");
    assert!(s.contains("wpa_state=COMPLETED\n") && s.contains(&format!("bssid={gaddr}\n")), "{s}");
    for n in [go, client] {
        assert_eq!(p2p_state(sim, n), "IDLE");
    }
}

#[test]
fn pbc_the_initiator_with_intent_15_becomes_go_after_the_peer_accepts() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 31);
    let b = sim.add_node("wlan1", 32);
    meet(&mut sim, a, b);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc go_intent=15")), "OK\n");
    // b's user has not accepted: status 1, and b asks its user.
    let asked = sim.run_until(Duration::from_secs(10), |s| s.node(b).saw(|e| matches!(e, Event::GoNegRequest { src, .. } if *src == aa)));
    assert!(asked, "{:#?}", events_text(&sim, b));
    assert!(events_text(&sim, b).contains(&format!("P2P-GO-NEG-REQUEST {aa} dev_passwd_id=4 go_intent=15")));
    sim.run_for(Duration::from_millis(20));
    assert_eq!(p2p_state(&mut sim, a), "WAIT_PEER_CONNECT");
    assert!(!sim.node(a).saw(|e| matches!(e, Event::GoNegFailure { .. })), "status 1 is no failure");
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc go_intent=0")), "OK\n");
    formed(&mut sim, a, b, WpsMethodText::Pbc);
}

#[test]
fn pin_authorised_in_advance_the_displaying_side_becomes_go() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 41);
    let b = sim.add_node("wlan1", 42);
    meet(&mut sim, a, b);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    // b displays a generated PIN and authorises a (intent 7 by default).
    let pin = sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pin auth"));
    let pin = pin.trim().to_owned();
    assert!(pin.len() == 8 && pin.bytes().all(|c| c.is_ascii_digit()), "{pin}");
    // a types it in, intent 0: its Request is answered at once.
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} {pin} keypad go_intent=0")), "OK\n");
    formed(&mut sim, b, a, WpsMethodText::Display);
    assert!(!sim.node(b).saw(|e| matches!(e, Event::GoNegRequest { .. })), "an authorised peer asks nobody");
}

#[test]
fn pin_the_initiator_displays_and_becomes_client() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 51);
    let b = sim.add_node("wlan1", 52);
    meet(&mut sim, a, b);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} 12345670 display go_intent=2")), "OK\n");
    let asked = sim.run_until(Duration::from_secs(10), |s| s.node(b).saw(|e| matches!(e, Event::GoNegRequest { .. })));
    assert!(asked);
    assert!(events_text(&sim, b).contains(&format!("P2P-GO-NEG-REQUEST {aa} dev_passwd_id=5 go_intent=2")));
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} 12345670 keypad go_intent=12")), "OK\n");
    formed(&mut sim, b, a, WpsMethodText::Keypad);
}

#[test]
fn equal_intents_the_tie_breaker_picks_exactly_one_go() {
    for seed in 0..4u64 {
        let mut sim = Sim::new();
        let a = sim.add_node("wlan0", 60 + seed);
        let b = sim.add_node("wlan1", 70 + seed);
        meet(&mut sim, a, b);
        let (aa, ba) = (addr(&sim, a), addr(&sim, b));
        assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc go_intent=7 auth")), "OK\n");
        assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc go_intent=7")), "OK\n");
        assert!(sim.run_until(Duration::from_secs(30), |s| group_started(s, a).is_some() && group_started(s, b).is_some()));
        let (ra, rb) = (group_started(&sim, a).unwrap().1, group_started(&sim, b).unwrap().1);
        assert_ne!(ra, rb, "exactly one GO (seed {seed})");
        let (go, client) = if ra == GroupRole::Go { (a, b) } else { (b, a) };
        formed(&mut sim, go, client, WpsMethodText::Pbc);
    }
}

/// The p2plink hook at both ends: each found the other, stopped its find and sent
/// `P2P_CONNECT <other> pbc auto` at the same instant (neither runs a group, so both
/// negotiate). Each sends its Requests on the other's listen channel; they meet only if
/// each listens on its own channel between Requests, which the kernel (as this sim)
/// starts only after the last Request's off-channel wait: that wait is cancelled first.
#[test]
fn both_sides_connecting_at_once_meet_and_form_one_group() {
    for seed in 0..4u64 {
        let mut sim = Sim::new();
        let a = sim.add_node("wlan0", 90 + seed);
        let b = sim.add_node("wlan1", 95 + seed);
        meet(&mut sim, a, b);
        let (aa, ba) = (addr(&sim, a), addr(&sim, b));
        assert_eq!(sim.ctrl(a, DEV, "P2P_STOP_FIND"), "OK\n");
        assert_eq!(sim.ctrl(b, DEV, "P2P_STOP_FIND"), "OK\n");
        assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc auto")), "OK\n");
        assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc auto")), "OK\n");
        let t0 = sim.now;
        let up = sim.run_until(Duration::from_secs(20), |s| group_started(s, a).is_some() && group_started(s, b).is_some());
        assert!(up, "seed {seed}:\na {:#?}\nb {:#?}", events_text(&sim, a), events_text(&sim, b));
        assert!(sim.now - t0 < Duration::from_secs(10), "seed {seed}: took {:?}", sim.now - t0);
        let (ra, rb) = (group_started(&sim, a).unwrap().1, group_started(&sim, b).unwrap().1);
        assert_ne!(ra, rb, "exactly one GO (seed {seed})");
        let (go, client) = if ra == GroupRole::Go { (a, b) } else { (b, a) };
        formed(&mut sim, go, client, WpsMethodText::Pbc);
    }
}

/// A listener known to its peer only by that peer's probe requests gets the peer's GO
/// Negotiation Request: as hostap's p2p_add_dev_info(), the peer is completed from the
/// request and reported, so `wpa_cli p2p_peers discovered` (which leaves out
/// `[PROBE_REQ_ONLY]`) lists it and the p2plink hook at that end goes on to connect.
#[test]
fn a_go_negotiation_request_completes_and_reports_a_probe_request_only_peer() {
    let mut sim = Sim::new();
    let l = sim.add_node("wlan0", 81);
    let f = sim.add_node("wlan1", 82);
    let (la, fa) = (addr(&sim, l), addr(&sim, f));
    assert_eq!(sim.ctrl(l, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(f, DEV, "P2P_FIND"), "OK\n");
    let found = |s: &Sim, by: NodeId, whom: MacAddr| s.node(by).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == whom));
    assert!(sim.run_until(Duration::from_secs(10), |s| found(s, f, la)));
    assert!(sim.ctrl(l, DEV, &format!("P2P_PEER {fa}")).contains("\nflags=[PROBE_REQ_ONLY]\n"));
    assert_eq!(sim.ctrl(f, DEV, "P2P_STOP_FIND"), "OK\n");
    assert_eq!(sim.ctrl(f, DEV, &format!("P2P_CONNECT {la} pbc auto")), "OK\n");
    let asked = sim.run_until(Duration::from_secs(10), |s| s.node(l).saw(|e| matches!(e, Event::GoNegRequest { src, .. } if *src == fa)));
    assert!(asked, "{:#?}", events_text(&sim, l));
    assert!(found(&sim, l, fa), "reported: {:#?}", events_text(&sim, l));
    let text = events_text(&sim, l);
    let dev_found = text.iter().position(|t| t.starts_with(&format!("P2P-DEVICE-FOUND {fa} ")) && t.ends_with(" new=1")).expect("P2P-DEVICE-FOUND new=1");
    assert!(text[dev_found].contains(" name='sim-wlan1' "), "{}", text[dev_found]);
    let peer = sim.ctrl(l, DEV, &format!("P2P_PEER {fa}"));
    assert!(!peer.contains("PROBE_REQ_ONLY") && peer.contains("\ndevice_name=sim-wlan1\n"), "{peer}");
    // The listener's user (the hook) now connects too: the group forms.
    assert_eq!(sim.ctrl(l, DEV, &format!("P2P_CONNECT {fa} pbc auto")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(20), |s| group_started(s, l).is_some() && group_started(s, f).is_some()));
}

#[test]
fn both_intents_15_fail_with_status_9_and_leave_nothing_behind() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 81);
    let b = sim.add_node("wlan1", 82);
    meet(&mut sim, a, b);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc go_intent=15 auth")), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc go_intent=15")), "OK\n");
    let failed = |s: &Sim, n: NodeId| s.node(n).saw(|e| matches!(e, Event::GoNegFailure { status: 9 }));
    assert!(sim.run_until(Duration::from_secs(10), |s| failed(s, a) && failed(s, b)), "{:#?} / {:#?}", events_text(&sim, a), events_text(&sim, b));
    sim.run_for(Duration::from_secs(2));
    for n in [a, b] {
        assert!(sim.node(n).kernel.iface_names().is_empty(), "no group interface");
        assert!(group_started(&sim, n).is_none());
        // The initiator stopped its find; the responder's goes on.
        assert_eq!(p2p_state(&mut sim, n), if n == a { "IDLE" } else { "SEARCH" });
        assert_eq!(sim.ctrl(n, DEV, "PING"), "PONG\n");
    }
    // Both keep serving: the next negotiation works.
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc go_intent=0 auth")), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc go_intent=15")), "OK\n");
    formed(&mut sim, a, b, WpsMethodText::Pbc);
}

#[test]
fn a_rejected_peer_gets_status_11_and_cancel_stops_a_negotiation() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 91);
    let b = sim.add_node("wlan1", 92);
    meet(&mut sim, a, b);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(sim.ctrl(b, DEV, &format!("P2P_REJECT {aa}")), "OK\n");
    assert_eq!(sim.ctrl(b, DEV, "P2P_REJECT 02:00:00:00:0a:00"), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc")), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| s.node(a).saw(|e| matches!(e, Event::GoNegFailure { status: 11 }))));
    assert!(!sim.node(b).saw(|e| matches!(e, Event::GoNegRequest { .. })), "a rejected peer asks nobody");
    // The peer stops listening: the initiator retries until P2P_CANCEL.
    assert_eq!(sim.ctrl(b, DEV, "P2P_STOP_FIND"), "OK\n");
    // (A scan under way when the find stopped still runs to its end.)
    sim.run_for(Duration::from_secs(1));
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc")), "OK\n");
    sim.run_for(Duration::from_secs(3));
    let st = p2p_state(&mut sim, a);
    assert!(["CONNECT", "CONNECT_LISTEN"].contains(&st.as_str()), "{st}: {:#?}", events_text(&sim, a));
    assert_eq!(sim.ctrl(a, DEV, "P2P_CANCEL"), "OK\n");
    assert_eq!(p2p_state(&mut sim, a), "IDLE");
    let sent = sim.node(a).kernel.ops.len();
    sim.run_for(Duration::from_secs(3));
    let later: Vec<_> = sim.node(a).kernel.ops[sent..].iter().filter(|o| matches!(o, super::Op::SendFrame { .. } | super::Op::RemainOnChannel { .. })).collect();
    assert!(later.is_empty(), "nothing sent after P2P_CANCEL: {later:?}");
    assert!(!sim.node(a).saw(|e| matches!(e, Event::GoNegFailure { status: -1 })), "a cancel is silent");
    assert_eq!(sim.ctrl(a, DEV, "P2P_CANCEL"), "FAIL\n", "nothing left to cancel");
    // Bad commands, with hostap's replies.
    assert_eq!(sim.ctrl(a, DEV, "P2P_CONNECT 02:00:00:00:0a:00 pbc"), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc go_intent=16")), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc freq=5180")), "FAIL-CHANNEL-UNSUPPORTED\n");
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} 1234567 keypad")), "FAIL-INVALID-PIN\n");
}

/// P2P_CONNECT while the find's scan runs: the scan is aborted and the Request goes out
/// without waiting for the scan's dwell on every channel (hostap aborts its P2P scan too;
/// in the TCG guest the wait was 820 ms, and the scan's results were still being read when
/// the peer's Response came).
#[test]
fn connect_during_the_find_scan_aborts_the_scan() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 51);
    let b = sim.add_node("wlan1", 52);
    meet(&mut sim, a, b);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    assert_eq!(
        sim.ctrl(b, DEV, &format!("P2P_CONNECT {aa} pbc go_intent=0 auth")),
        "OK\n"
    );
    assert!(
        sim.run_until(Duration::from_secs(5), |s| s.node(a).kernel.scanning()),
        "a's find scans"
    );
    let before = sim.node(a).kernel.ops.len();
    assert_eq!(
        sim.ctrl(a, DEV, &format!("P2P_CONNECT {ba} pbc go_intent=15")),
        "OK\n"
    );
    assert!(
        !sim.node(a).kernel.scanning(),
        "the scan ended with the find"
    );
    let ops = &sim.node(a).kernel.ops[before..];
    let abort = ops.iter().position(|o| matches!(o, Op::AbortScan { .. }));
    let request = ops.iter().position(|o| matches!(o, Op::SendFrame { .. }));
    assert!(
        matches!((abort, request), (Some(x), Some(y)) if x < y),
        "ABORT_SCAN, then the Request at once: {ops:?}"
    );
    formed(&mut sim, a, b, WpsMethodText::Pbc);
}
