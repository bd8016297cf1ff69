//! Forwarding behaviour of the sans-IO core, driven with a virtual clock.

mod util;

use ndn::fw::origin;
use ndn::packet::lp::{LpPacket, NackReason};
use ndn::packet::{Data, Interest};
use std::time::Duration;
use util::*;

#[test]
fn interest_goes_upstream_and_data_comes_back() {
    let mut net = Net::new();
    let (c, p) = (net.local_face("consumer"), net.local_face("producer"));
    assert!(net.fw.add_route(&name("/a"), p, 10, origin::STATIC));
    let i = interest_wire("/a/b", 1);
    let out = net.send(c, &i);
    assert_eq!(sent_to(&out, p), vec![i.clone()]);
    assert_eq!(net.fw.pit_len(), 1);
    let d = data_wire("/a/b", None);
    let out = net.send(p, &d);
    assert_eq!(sent_to(&out, c), vec![d]);
    assert!(sent_to(&out, p).is_empty());
    assert_eq!(net.fw.pit_len(), 0);
    assert_eq!(net.fw.counters().satisfied, 1);
}

#[test]
fn best_route_picks_lowest_cost_and_retransmission_tries_the_next() {
    let mut net = Net::new();
    let c = net.local_face("c");
    let (p1, p2) = (net.local_face("p1"), net.local_face("p2"));
    net.fw.add_route(&name("/a"), p1, 20, origin::STATIC);
    net.fw.add_route(&name("/a"), p2, 10, origin::STATIC);
    let out = net.send(c, &interest_wire("/a/x", 1));
    assert_eq!(sent_to(&out, p2).len(), 1);
    assert!(sent_to(&out, p1).is_empty());
    // The same consumer retransmits with a new nonce: the untried next hop gets it.
    let out = net.send(c, &interest_wire("/a/x", 2));
    assert_eq!(sent_to(&out, p1).len(), 1);
}

#[test]
fn aggregation_sends_one_interest_and_satisfies_all_downstreams() {
    let mut net = Net::new();
    let (c1, c2, p) = (net.local_face("c1"), net.local_face("c2"), net.local_face("p"));
    net.fw.add_route(&name("/a"), p, 0, origin::STATIC);
    let first = net.send(c1, &interest_wire("/a/b", 1));
    let second = net.send(c2, &interest_wire("/a/b", 2));
    assert_eq!(sent_to(&first, p).len(), 1);
    assert!(second.is_empty(), "aggregated, not forwarded: {second:?}");
    assert_eq!(net.fw.counters().aggregated, 1);
    let d = data_wire("/a/b", None);
    let out = net.send(p, &d);
    assert_eq!(sent_to(&out, c1), vec![d.clone()]);
    assert_eq!(sent_to(&out, c2), vec![d]);
}

#[test]
fn can_be_prefix_interest_is_satisfied_by_longer_data_and_exact_one_is_not() {
    let mut net = Net::new();
    let (c, p) = (net.local_face("c"), net.local_face("p"));
    net.fw.add_route(&name("/a"), p, 0, origin::STATIC);
    let mut i = interest("/a", 1);
    i.can_be_prefix = true;
    net.send(c, &i.encode());
    net.send(c, &interest_wire("/a", 2)); // exact, different PIT entry
    let d = data_wire("/a/v1", None);
    let out = net.send(p, &d);
    assert_eq!(sent_to(&out, c), vec![d]);
    assert_eq!(net.fw.pit_len(), 1, "the exact-match entry stays");
}

#[test]
fn duplicate_nonce_from_another_face_is_a_loop() {
    let mut net = Net::new();
    let (c1, c2, p) = (net.local_face("c1"), net.local_face("c2"), net.local_face("p"));
    net.fw.add_route(&name("/a"), p, 0, origin::STATIC);
    net.send(c1, &interest_wire("/a/b", 7));
    let out = net.send(c2, &interest_wire("/a/b", 7));
    let to_c2 = sent_to(&out, c2);
    assert_eq!(to_c2.len(), 1);
    assert_eq!(nack_reason(&to_c2[0]), Some(NackReason::Duplicate));
    assert!(sent_to(&out, p).is_empty());
    assert_eq!(net.fw.counters().loops, 1);
}

#[test]
fn dead_nonce_list_catches_a_loop_after_the_entry_is_gone() {
    let mut net = Net::new();
    let (c1, c2, p) = (net.local_face("c1"), net.local_face("c2"), net.local_face("p"));
    net.fw.add_route(&name("/a"), p, 0, origin::STATIC);
    let mut i = interest("/a/b", 9);
    i.must_be_fresh = true;
    net.send(c1, &i.encode());
    net.send(p, &data_wire("/a/b", None));
    assert_eq!(net.fw.pit_len(), 0);
    // The same Interest comes back around 1 s later: a loop.
    net.advance(Duration::from_secs(1));
    let out = net.send(c2, &i.encode());
    assert_eq!(sent_to(&out, c2).first().and_then(|p| nack_reason(p)), Some(NackReason::Duplicate));
    assert!(sent_to(&out, p).is_empty());
    // Past the dead-nonce lifetime (6 s) the nonce is forgotten and it is forwarded.
    net.advance(Duration::from_secs(6));
    let out = net.send(c2, &i.encode());
    assert_eq!(sent_to(&out, p).len(), 1);
}

#[test]
fn pit_entries_expire_with_the_interest_lifetime() {
    let mut net = Net::new();
    let (c, p) = (net.local_face("c"), net.local_face("p"));
    net.fw.add_route(&name("/a"), p, 0, origin::STATIC);
    let mut i = interest("/a/slow", 1);
    i.lifetime_ms = Some(1000);
    net.send(c, &i.encode());
    assert_eq!(net.fw.poll_timeout(), Some(net.now + Duration::from_millis(1000)));
    net.advance(Duration::from_millis(999));
    assert_eq!(net.fw.pit_len(), 1);
    net.advance(Duration::from_millis(1));
    assert_eq!(net.fw.pit_len(), 0);
    assert_eq!(net.fw.counters().unsatisfied, 1);
    let out = net.send(p, &data_wire("/a/slow", None));
    assert!(sent_to(&out, c).is_empty(), "late Data is unsolicited");
    assert_eq!(net.fw.counters().unsolicited, 1);
}

#[test]
fn no_route_is_nacked_with_the_interest_inside() {
    let mut net = Net::new();
    let c = net.local_face("c");
    let i = interest_wire("/nowhere", 3);
    let out = net.send(c, &i);
    let to_c = sent_to(&out, c);
    assert_eq!(to_c.len(), 1);
    let lp = LpPacket::decode(&to_c[0]).expect("LpPacket");
    assert_eq!(lp.nack, Some(NackReason::NoRoute));
    assert_eq!(lp.fragment, Some(&i[..]));
    assert_eq!(net.fw.pit_len(), 0);
}

#[test]
fn upstream_nack_goes_to_every_downstream() {
    let mut net = Net::new();
    let (c1, c2, p) = (net.local_face("c1"), net.local_face("c2"), net.local_face("p"));
    net.fw.add_route(&name("/a"), p, 0, origin::STATIC);
    let out = net.send(c1, &interest_wire("/a/n", 1));
    net.send(c2, &interest_wire("/a/n", 2));
    let upstream = sent_to(&out, p).remove(0);
    let nack = ndn::packet::lp::encode_nack(&upstream, NackReason::Congestion, None);
    let out = net.send(p, &nack);
    for (face, nonce) in [(c1, 1u32), (c2, 2)] {
        let got = sent_to(&out, face);
        assert_eq!(got.len(), 1);
        let lp = LpPacket::decode(&got[0]).expect("lp");
        assert_eq!(lp.nack, Some(NackReason::Congestion));
        let back = Interest::decode(lp.fragment.expect("fragment")).expect("interest");
        assert_eq!(back.nonce, Some(nonce), "each downstream gets its own Interest back");
    }
    assert_eq!(net.fw.pit_len(), 0);
}

#[test]
fn localhost_never_crosses_a_non_local_face() {
    let mut net = Net::new();
    let (local, remote) = (net.local_face("app"), net.remote_face(2));
    net.fw.add_route(&name("/localhost/x"), remote, 0, origin::STATIC);
    net.fw.add_route(&name("/localhost/y"), local, 0, origin::STATIC);
    // Arriving on a non-local face: dropped silently.
    assert!(net.send(remote, &interest_wire("/localhost/y", 1)).is_empty());
    assert_eq!(net.fw.counters().scope_violations, 1);
    // Leaving towards a non-local face: refused (Nack NoRoute to the app).
    let out = net.send(local, &interest_wire("/localhost/x", 2));
    assert!(sent_to(&out, remote).is_empty());
    assert_eq!(sent_to(&out, local).first().and_then(|p| nack_reason(p)), Some(NackReason::NoRoute));
    // Data under /localhost from a non-local face is dropped too.
    assert!(net.send(remote, &data_wire("/localhost/x", None)).is_empty());
}

#[test]
fn localhop_goes_one_hop_only() {
    let mut net = Net::new();
    let app = net.local_face("app");
    let (r1, r2) = (net.remote_face(2), net.remote_face(3));
    net.fw.add_route(&name("/localhop/wifidirect"), r2, 0, origin::STATIC);
    // From a local face it may go out on a non-local one.
    let out = net.send(app, &interest_wire("/localhop/wifidirect/192.168.49.3/probe", 1));
    assert_eq!(sent_to(&out, r2).len(), 1);
    // From a non-local face it may not be relayed to another non-local face.
    let out = net.send(r1, &interest_wire("/localhop/wifidirect/192.168.49.3/other", 2));
    assert!(sent_to(&out, r2).is_empty());
    // But it may reach a local application.
    net.fw.add_route(&name("/localhop/wifidirect/192.168.49.1"), app, 0, origin::STATIC);
    let out = net.send(r1, &interest_wire("/localhop/wifidirect/192.168.49.1/probe", 3));
    assert_eq!(sent_to(&out, app).len(), 1);
}

#[test]
fn content_store_honours_freshness() {
    let mut net = Net::new();
    let (c, p) = (net.local_face("c"), net.local_face("p"));
    net.fw.add_route(&name("/a"), p, 0, origin::STATIC);
    net.send(c, &interest_wire("/a/f", 1));
    let d = data_wire("/a/f", Some(1000));
    net.send(p, &d);
    let mut fresh = interest("/a/f", 2);
    fresh.must_be_fresh = true;
    net.advance(Duration::from_millis(500));
    let out = net.send(c, &fresh.encode());
    assert_eq!(sent_to(&out, c), vec![d.clone()], "fresh copy served from the CS");
    assert!(sent_to(&out, p).is_empty());
    net.advance(Duration::from_millis(600));
    fresh.nonce = Some(3);
    let out = net.send(c, &fresh.encode());
    assert!(sent_to(&out, c).is_empty());
    assert_eq!(sent_to(&out, p).len(), 1, "stale: MustBeFresh goes upstream");
    net.send(p, &data_wire("/a/f", Some(0)));
    // Without MustBeFresh a stale copy still answers.
    let out = net.send(c, &interest_wire("/a/f", 4));
    assert_eq!(sent_to(&out, c).len(), 1);
    assert!(sent_to(&out, p).is_empty());
}

#[test]
fn hop_limit_is_decremented_from_non_local_faces() {
    let mut net = Net::new();
    let (r1, r2, app) = (net.remote_face(2), net.remote_face(3), net.local_face("app"));
    net.fw.add_route(&name("/h"), r2, 0, origin::STATIC);
    net.fw.add_route(&name("/h/app"), app, 0, origin::STATIC);
    let mut i = interest("/h/x", 1);
    i.hop_limit = Some(2);
    let out = net.send(r1, &i.encode());
    let fwd = Interest::decode(&sent_to(&out, r2)[0]).expect("interest");
    assert_eq!(fwd.hop_limit, Some(1));
    i.hop_limit = Some(1);
    i.nonce = Some(2);
    i.name = name("/h/y");
    let out = net.send(r1, &i.encode());
    assert!(sent_to(&out, r2).is_empty(), "HopLimit reached 0: not to another host");
    i.name = name("/h/app/z");
    let out = net.send(r1, &i.encode());
    assert_eq!(sent_to(&out, app).len(), 1, "but a local app still gets it");
    i.hop_limit = Some(0);
    i.nonce = Some(4);
    assert!(net.send(r1, &i.encode()).is_empty(), "HopLimit 0 on arrival: dropped");
}

#[test]
fn pit_token_comes_back_with_the_data() {
    let mut net = Net::new();
    let (c, p) = (net.local_face("c"), net.local_face("p"));
    net.fw.add_route(&name("/t"), p, 0, origin::STATIC);
    let i = interest_wire("/t/1", 5);
    let lp = ndn::packet::lp::encode_with_pit_token(&i, &[0xAA, 0xBB]);
    let out = net.send(c, &lp);
    assert_eq!(sent_to(&out, p), vec![i], "the token is hop-by-hop: not sent upstream");
    let d = data_wire("/t/1", None);
    let out = net.send(p, &d);
    let back = LpPacket::decode(&sent_to(&out, c)[0]).map(|lp| (lp.pit_token.map(<[u8]>::to_vec), lp.fragment.map(<[u8]>::to_vec)));
    assert_eq!(back, Ok((Some(vec![0xAA, 0xBB]), Some(d))));
}

#[test]
fn fragmented_interest_is_reassembled() {
    let mut net = Net::new();
    let (c, p) = (net.local_face("c"), net.local_face("p"));
    net.fw.add_route(&name("/f"), p, 0, origin::STATIC);
    let i = interest_wire("/f/big", 6);
    let (a, b) = i.split_at(7);
    let (a, b) = (a.to_vec(), b.to_vec());
    let frag = |seq, idx, f: &[u8]| {
        LpPacket { sequence: Some(seq), frag_index: Some(idx), frag_count: Some(2), fragment: Some(f), ..Default::default() }.encode()
    };
    assert!(net.send(c, &frag(41, 1, &b)).is_empty());
    let out = net.send(c, &frag(40, 0, &a));
    assert_eq!(sent_to(&out, p), vec![i]);
    // A lone fragment is dropped after the reassembly timeout and counted.
    net.send(c, &frag(50, 0, &a));
    net.advance(Duration::from_secs(1));
    assert_eq!(net.fw.counters().fragments_dropped, 1);
}

#[test]
fn interest_without_nonce_gets_one() {
    let mut net = Net::new();
    let (c, p) = (net.local_face("c"), net.local_face("p"));
    net.fw.add_route(&name("/n"), p, 0, origin::STATIC);
    let out = net.send(c, &ndn::packet::Interest::new(name("/n/1")).encode());
    let fwd = Interest::decode(&sent_to(&out, p)[0]).expect("interest");
    assert!(fwd.nonce.is_some());
}

#[test]
fn garbage_is_counted_not_forwarded() {
    let mut net = Net::new();
    let c = net.local_face("c");
    for junk in [&[0x05, 0x03, 0x07][..], &[0x06, 0x00], &[0x64, 0x02, 0x50], &[0xFF], &[]] {
        assert!(net.send(c, junk).is_empty());
    }
    assert_eq!(net.fw.counters().invalid, 5);
    let _ = Data::decode(&[]);
    assert!(net.fw.poll_output().is_none());
}

#[test]
fn removing_a_face_removes_its_routes() {
    let mut net = Net::new();
    let (c, p) = (net.local_face("c"), net.local_face("p"));
    net.fw.add_route(&name("/r"), p, 0, origin::STATIC);
    assert!(net.fw.remove_face(p));
    let out = net.send(c, &interest_wire("/r/1", 1));
    assert_eq!(sent_to(&out, c).first().and_then(|x| nack_reason(x)), Some(NackReason::NoRoute));
}

/// A flood of distinct names from a UDP face (another host) toward a producer that never
/// answers: the PIT stops at its capacity and refuses the rest with Nack Congestion, the
/// dead-nonce list and the content store stay within theirs, and Interests flow again once
/// the entries expire. Prints the table sizes and the process's peak RSS.
#[test]
fn an_interest_flood_from_a_udp_face_leaves_the_tables_bounded() {
    let cfg = ndn::fw::Config { pit_capacity: 10_000, dnl_capacity: 20_000, ..Default::default() };
    let mut net = Net { fw: ndn::fw::Forwarder::new(cfg), now: std::time::Instant::now() };
    let attacker = net.remote_face(66);
    let producer = net.local_face("producer");
    net.fw.add_route(&name("/flood"), producer, 0, origin::STATIC);
    let n = 100_000u32;
    let mut congested = 0;
    for k in 0..n {
        let mut i = interest(&format!("/flood/{k:x}/{}", k.wrapping_mul(2_654_435_761)), k);
        i.lifetime_ms = Some(3_600_000);
        let out = net.send(attacker, &i.encode());
        congested += sent_to(&out, attacker)
            .iter()
            .filter(|w| LpPacket::decode(w).ok().and_then(|p| p.nack).is_some_and(|r| r == NackReason::Congestion))
            .count();
        if k % 10_000 == 0 {
            net.advance(Duration::from_millis(100));
        }
    }
    let c = net.fw.counters();
    println!(
        "flood: {n} Interests, PIT {} (capacity 10000), CS {}, refused {}, peak RSS {} kB",
        net.fw.pit_len(),
        net.fw.cs_len(),
        c.pit_full,
        peak_rss_kb()
    );
    assert_eq!(net.fw.pit_len(), 10_000);
    assert_eq!(c.pit_full, u64::from(n) - 10_000);
    assert_eq!(congested as u64, c.pit_full, "each refused Interest got its Nack");
    // The local producer's table space comes back as entries expire (after their hour).
    net.advance(Duration::from_secs(3_601));
    assert_eq!(net.fw.pit_len(), 0);
    let out = net.send(attacker, &interest_wire("/flood/after", 1));
    assert_eq!(sent_to(&out, producer).len(), 1, "forwarded again");
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0))))
        .unwrap_or(0)
}
