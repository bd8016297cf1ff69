#![allow(clippy::unwrap_used)]
//! Discovery on the simulated air: two directd agents find each other both ways, a
//! listener is found and learns the finder as `[PROBE_REQ_ONLY]`, a captured
//! wpa_supplicant probe request gets an answer from a listening agent, and provision
//! discovery runs between two agents with every method.

use std::time::Duration;

use super::CtrlSocket;
use super::sim::{Sim, addr, found, meet, p2p_state};
use crate::ctrl::{Event, MacAddr};
use crate::ieee80211::ie::{ElementId, Elements};
use crate::ieee80211::{MgmtBody, MgmtRepr};

const DEV: CtrlSocket = CtrlSocket::Device;

/// Both find; returns once each has found the other (virtual time, seconds).
#[test]
fn two_directd_agents_find_each_other_both_ways() {
    let mut times = vec![];
    for seed in 0..5u64 {
        let mut sim = Sim::new();
        let a = sim.add_node("wlan0", 100 + seed);
        let b = sim.add_node("wlan1", 200 + seed);
        times.push(meet(&mut sim, a, b));
        assert_eq!(p2p_state(&mut sim, a), "SEARCH");
        let (aa, ba) = (addr(&sim, a), addr(&sim, b));
        let ev = sim
            .node(a)
            .events
            .iter()
            .find_map(|(_, e)| match e {
                Event::DeviceFound(d) if d.p2p_dev_addr == ba => Some(e.to_string()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            ev,
            format!("P2P-DEVICE-FOUND {ba} p2p_dev_addr={ba} pri_dev_type=1-0050F204-1 name='sim-wlan1' config_methods=0x188 dev_capab=0x24 group_capab=0x0 new=1")
        );
        let peer = sim.ctrl(a, DEV, &format!("P2P_PEER {ba}"));
        assert!(peer.starts_with(&format!("{ba}\n")), "{peer}");
        for line in ["device_name=sim-wlan1", "config_methods=0x188", "flags=[REPORTED]", "wps_method=not-ready"] {
            assert!(peer.lines().any(|l| l == line), "{line} in {peer}");
        }
        let listen = peer.lines().find_map(|l| l.strip_prefix("listen_freq=")).unwrap();
        assert!(["2412", "2437", "2462"].contains(&listen), "a social listen channel: {listen}");
        assert!(sim.ctrl(b, DEV, &format!("P2P_PEER {aa}")).contains("device_name=sim-wlan0\n"));
        assert_eq!(sim.ctrl(a, DEV, "P2P_STOP_FIND"), "OK\n");
        assert!(sim.node(a).saw(|e| matches!(e, Event::FindStopped)));
        assert_eq!(p2p_state(&mut sim, a), "IDLE");
    }
    times.sort_by(f64::total_cmp);
    assert!(times[times.len() / 2] < 5.0, "median meeting time {times:?}");
}

#[test]
fn a_listener_is_found_and_knows_the_finder_only_from_its_probe_requests() {
    let mut sim = Sim::new();
    let l = sim.add_node("wlan0", 7);
    let f = sim.add_node("wlan1", 8);
    let (la, fa) = (addr(&sim, l), addr(&sim, f));
    assert_eq!(sim.ctrl(l, DEV, "P2P_LISTEN"), "OK\n");
    assert_eq!(p2p_state(&mut sim, l), "LISTEN_ONLY");
    assert_eq!(sim.ctrl(f, DEV, "P2P_FIND"), "OK\n");
    assert!(sim.run_until(Duration::from_secs(10), |s| found(s, f, la)), "the finder found the listener");
    let peer = sim.ctrl(l, DEV, &format!("P2P_PEER {fa}"));
    assert!(peer.contains("\nflags=[PROBE_REQ_ONLY]\n") && peer.contains("\ndevice_name=sim-wlan1\n"), "{peer}");
    assert!(!sim.node(l).saw(|e| matches!(e, Event::DeviceFound(_))), "a listener reports nobody");
    // A PROBE_REQ_ONLY peer is no target for provision discovery.
    assert_eq!(sim.ctrl(l, DEV, &format!("P2P_PROV_DISC {fa} pbc")), "FAIL\n");
    assert_eq!(sim.ctrl(l, DEV, "P2P_STOP_FIND"), "OK\n");
    assert!(!sim.node(l).saw(|e| matches!(e, Event::FindStopped)), "ending a listen is not a FIND-STOPPED");
    assert_eq!(p2p_state(&mut sim, l), "IDLE");
}

/// Probe requests of wpa_supplicant `wpas-1` (42:00:00:00:01:00), searching on hwsim
/// (`p2p/wire/tests/data/harness-selftest/air.pcap`).
fn wpas1_probe_requests() -> Vec<(u8, Vec<u8>)> {
    const PCAP: &[u8] = include_bytes!("../p2p/wire/tests/data/harness-selftest/air.pcap");
    crate::p2p::wire::tests::pcap::frames(PCAP)
        .into_iter()
        .filter_map(|c| {
            let m = MgmtRepr::parse_bytes(c.frame).ok()?;
            let MgmtBody::ProbeRequest(p) = &m.body else { return None };
            let ch = Elements::find(&p.ies, ElementId::DS_PARAMS)?.data.first().copied()?;
            (m.header.addr2 == MacAddr([0x42, 0, 0, 0, 1, 0])).then(|| (ch, c.frame.to_vec()))
        })
        .collect()
}

#[test]
fn a_listening_agent_answers_wpa_supplicants_captured_probe_request() {
    let wpas = MacAddr([0x42, 0, 0, 0, 1, 0]);
    let reqs = wpas1_probe_requests();
    let (_, on_11) = reqs.iter().find(|(ch, _)| *ch == 11).expect("a request on channel 11");
    let (_, on_1) = reqs.iter().find(|(ch, _)| *ch == 1).expect("a request on channel 1");
    let mut sim = Sim::new();
    let n = sim.add_node("wlan0", 3);
    // Idle: nothing hears it.
    sim.play(2462, on_11.clone());
    sim.run_for(Duration::from_millis(20));
    assert!(sim.sent_to(wpas).is_empty());
    assert_eq!(sim.ctrl(n, DEV, "P2P_SET listen_channel 11"), "OK\n");
    assert_eq!(sim.ctrl(n, DEV, "P2P_SET listen_channel 5"), "FAIL\n");
    assert_eq!(sim.ctrl(n, DEV, "P2P_LISTEN"), "OK\n");
    sim.run_for(Duration::from_millis(10));
    sim.play(2462, on_11.clone());
    sim.play(2412, on_1.clone());
    sim.run_for(Duration::from_millis(20));
    let answers: Vec<MgmtRepr> = sim.sent_to(wpas).iter().map(|f| MgmtRepr::parse_bytes(f).unwrap()).collect();
    assert_eq!(answers.len(), 1, "one answer, on the listen channel only");
    let m = &answers[0];
    let us = addr(&sim, n);
    assert_eq!((m.header.addr2, m.header.addr3), (us, us));
    let MgmtBody::ProbeResponse(b) = &m.body else { panic!("a probe response") };
    assert_eq!(Elements::find(&b.ies, ElementId::DS_PARAMS).map(|e| e.data.to_vec()), Some(vec![11]));
    let p2p = crate::p2p::wire::P2pIe::from_ies(&b.ies).unwrap().unwrap();
    assert_eq!(p2p.device_info().map(|d| d.desc.name_lossy().into_owned()).as_deref(), Some("sim-wlan0"));
    let peer = sim.ctrl(n, DEV, &format!("P2P_PEER {wpas}"));
    assert!(peer.contains("\ndevice_name=wpas-1\n") && peer.contains("\nlisten_freq=2462\n") && peer.contains("\ncountry=US\n"), "{peer}");
}

#[test]
fn provision_discovery_between_two_agents_with_every_method() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 21);
    let b = sim.add_node("wlan1", 22);
    let (aa, ba) = (addr(&sim, a), addr(&sim, b));
    meet(&mut sim, a, b);
    // (method, the asker's event, the peer's event), each naming the other side.
    type Check = fn(&Event, MacAddr) -> bool;
    let cases: [(&str, Check, Check); 3] = [
        (
            "pbc",
            |e, p| matches!(e, Event::ProvDiscPbcResp { peer, .. } if *peer == p),
            |e, p| matches!(e, Event::ProvDiscPbcReq { peer, .. } if *peer == p),
        ),
        (
            "display",
            |e, p| matches!(e, Event::ProvDiscEnterPin { peer, .. } if *peer == p),
            |e, p| matches!(e, Event::ProvDiscShowPin { peer, .. } if *peer == p),
        ),
        (
            "keypad",
            |e, p| matches!(e, Event::ProvDiscShowPin { peer, .. } if *peer == p),
            |e, p| matches!(e, Event::ProvDiscEnterPin { peer, .. } if *peer == p),
        ),
    ];
    for (method, asker_ev, peer_ev) in cases {
        let (ma, mb) = (sim.node(a).events.len(), sim.node(b).events.len());
        assert_eq!(sim.ctrl(a, DEV, &format!("P2P_PROV_DISC {ba} {method}")), "OK\n");
        let done = sim.run_until(Duration::from_secs(10), |s| {
            s.node(a).events[ma..].iter().any(|(_, e)| asker_ev(e, ba)) && s.node(b).events[mb..].iter().any(|(_, e)| peer_ev(e, aa))
        });
        assert!(done, "{method}: {:?} / {:?}", &sim.node(a).events[ma..], &sim.node(b).events[mb..]);
        let text: Vec<String> = sim.node(b).events[mb..].iter().map(|(_, e)| e.to_string()).collect();
        assert!(
            text.iter().any(|t| t.contains(&format!("p2p_dev_addr={aa} pri_dev_type=1-0050F204-1 name='sim-wlan0' config_methods=0x188 dev_capab=0x24 group_capab=0x0"))),
            "{text:?}"
        );
    }
    // Unknown peer, bad method.
    assert_eq!(sim.ctrl(a, DEV, "P2P_PROV_DISC 02:00:00:00:0a:00 pbc"), "FAIL\n");
    assert!(sim.ctrl(a, DEV, &format!("P2P_PROV_DISC {ba} frobnicate")).starts_with("FAIL"));
    // A peer that stopped listening: P2P-PROV-DISC-FAILURE status=1, bounded.
    assert_eq!(sim.ctrl(b, DEV, "P2P_STOP_FIND"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, "P2P_STOP_FIND"), "OK\n");
    // A scan under way when the find stopped runs to its end (the asker now hears answers
    // during its request's wait, as the kernel's off-channel TX makes it).
    sim.run_for(Duration::from_secs(1));
    let m = sim.node(a).events.len();
    assert_eq!(sim.ctrl(a, DEV, &format!("P2P_PROV_DISC {ba} pbc")), "OK\n");
    let t0 = sim.now;
    let failed = sim.run_until(Duration::from_secs(90), |s| {
        s.node(a).events[m..].iter().any(|(_, e)| matches!(e, Event::ProvDiscFailure { p2p_dev_addr, status: Some(1) } if *p2p_dev_addr == ba))
    });
    assert!(failed, "P2P-PROV-DISC-FAILURE status=1");
    assert!(sim.now - t0 < Duration::from_secs(60), "within hostap's 60 s: {:?}", sim.now - t0);
}

#[test]
fn a_new_device_name_is_what_peers_see_next() {
    let mut sim = Sim::new();
    let a = sim.add_node("wlan0", 41);
    let b = sim.add_node("wlan1", 42);
    assert_eq!(sim.ctrl(a, DEV, "SET device_name renamed-a"), "OK\n");
    assert_eq!(sim.ctrl(a, DEV, "GET device_name"), "renamed-a");
    // Longer than 32 bytes (wpa_supplicant's limit, the WSC Device Name): refused.
    assert_eq!(sim.ctrl(a, DEV, &format!("SET device_name {}", "x".repeat(33))), "FAIL\n");
    assert_eq!(sim.ctrl(a, DEV, "GET device_name"), "renamed-a");
    meet(&mut sim, a, b);
    let aa = addr(&sim, a);
    let peer = sim.ctrl(b, DEV, &format!("P2P_PEER {aa}"));
    assert!(peer.contains("device_name=renamed-a\n"), "{peer}");
}
