//! Probe machines on ndn forwarding cores, linked by a simulated group, in virtual time.
//!
//! Each node is a `Forwarder` plus a `ProbeCore`; the harness does what `driver::ndn` does
//! with the runtime's handle (faces, routes, the probe producer, expressing probes), and a
//! link delivers a packet sent on a face towards an address to the node that has it,
//! arriving on that node's face towards the sender (made on demand, as UDP does).

use super::answer::{self, AnswerFormat};
use super::core::*;
use super::name;
use ndn::fw::{Config, FaceInfo, FaceUri, Forwarder, Output as FwOutput, origin};
use ndn::packet::lp::LpPacket;
use ndn::packet::{Data, Interest, Name};
use ndn::table::FaceId;
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, Instant};

const LINK_DELAY: Duration = Duration::from_millis(3);

fn ip(last: u8) -> Ipv4Addr {
    Ipv4Addr::new(192, 168, 49, last)
}

fn n(s: &str) -> Name {
    s.parse().expect("name")
}

/// What reached a test application's consumer face.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AppResult {
    Data(Vec<u8>),
    Nack,
}

struct PendingProbe {
    name: Name,
    nonce: u32,
    peer: Ipv4Addr,
    probe: ProbeId,
    deadline: Instant,
}

struct Node {
    ip: Ipv4Addr,
    alive: bool,
    fw: Forwarder,
    probe: ProbeCore,
    consumer: FaceId,
    producer: Option<FaceId>,
    /// Faces towards other nodes' addresses.
    links: HashMap<FaceId, Ipv4Addr>,
    pending: Vec<PendingProbe>,
    events: Vec<Event>,
    /// Local application faces (as over the Unix socket): face -> content it serves.
    apps: HashMap<FaceId, Vec<u8>>,
    /// A local consumer application's face and what reached it.
    app_consumer: FaceId,
    app_results: Vec<(Name, AppResult)>,
    nonce: u32,
}

struct Sim {
    now: Instant,
    start: Instant,
    nodes: Vec<Node>,
    /// (delivery time, to node address, from address, packet)
    air: Vec<(Instant, Ipv4Addr, Ipv4Addr, Vec<u8>)>,
}

impl Sim {
    fn new() -> Self {
        let now = Instant::now();
        Sim { now, start: now, nodes: Vec::new(), air: Vec::new() }
    }

    fn cfg(interval_s: u64) -> ProbeConfig {
        ProbeConfig { interval: Duration::from_secs(interval_s), ..ProbeConfig::default() }
    }

    /// Adds a node; returns its index.
    fn node(&mut self, ip: Ipv4Addr, cfg: ProbeConfig) -> usize {
        let mut fw = Forwarder::new(Config { rng_seed: u64::from(u32::from(ip)), ..Config::default() });
        let consumer = fw.add_face(FaceInfo::new(FaceUri::App("consumer".into()), FaceUri::Internal));
        let app_consumer = fw.add_face(FaceInfo::new(FaceUri::Unix("/run/nfd/nfd.sock".into()), FaceUri::Internal));
        self.nodes.push(Node {
            ip,
            alive: true,
            fw,
            probe: ProbeCore::new(cfg),
            consumer,
            producer: None,
            links: HashMap::new(),
            pending: Vec::new(),
            events: Vec::new(),
            apps: HashMap::new(),
            app_consumer,
            app_results: Vec::new(),
            nonce: u32::from(ip) ^ 0x5555,
        });
        self.nodes.len() - 1
    }

    fn group_up(&mut self, i: usize, role: Role, go: Ipv4Addr) {
        let own_ip = self.nodes[i].ip;
        let now = self.now;
        self.nodes[i].probe.handle_input(now, Input::GroupUp(GroupInfo { own_ip, prefix_len: 24, role, go_ip: go }));
        self.pump(i);
    }

    fn input(&mut self, i: usize, input: Input) {
        let now = self.now;
        self.nodes[i].probe.handle_input(now, input);
        self.pump(i);
    }

    /// A local application on node `i` registers `prefix` (origin APP on a local face).
    fn app_register(&mut self, i: usize, prefix: &str, content: &[u8]) -> FaceId {
        let node = &mut self.nodes[i];
        let face = node.fw.add_face(FaceInfo::new(FaceUri::Unix("/run/nfd/nfd.sock".into()), FaceUri::Internal));
        assert!(node.fw.add_route(&n(prefix), face, 0, origin::APP));
        node.apps.insert(face, content.to_vec());
        face
    }

    fn app_unregister(&mut self, i: usize, face: FaceId) {
        self.nodes[i].fw.remove_face(face);
        self.nodes[i].apps.remove(&face);
    }

    /// A local application on node `i` expresses an Interest for `name`.
    fn app_fetch(&mut self, i: usize, name: &str) {
        let node = &mut self.nodes[i];
        node.nonce = node.nonce.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let mut interest = Interest::new(n(name));
        interest.nonce = Some(node.nonce);
        interest.lifetime_ms = Some(1000);
        let (now, face) = (self.now, node.app_consumer);
        node.fw.handle_packet(now, face, &interest.encode());
        self.pump(i);
    }

    fn kill(&mut self, i: usize) {
        self.nodes[i].alive = false;
    }

    /// Carries out what node `i`'s machines asked for, until both are quiet.
    fn pump(&mut self, i: usize) {
        loop {
            let now = self.now;
            let mut busy = false;
            while let Some(o) = self.nodes[i].probe.poll_output() {
                busy = true;
                self.do_probe_output(i, o);
            }
            while let Some(o) = self.nodes[i].fw.poll_output() {
                busy = true;
                self.do_fw_output(i, now, o);
            }
            if !busy {
                break;
            }
        }
    }

    fn do_probe_output(&mut self, i: usize, o: Output) {
        let now = self.now;
        let node = &mut self.nodes[i];
        match o {
            Output::Serve { prefix } => {
                let f = node.fw.add_face(FaceInfo::new(FaceUri::App(format!("serve{prefix}")), FaceUri::Internal));
                assert!(node.fw.add_route(&prefix, f, 0, origin::APP));
                node.producer = Some(f);
            }
            Output::Unserve { .. } => {
                if let Some(f) = node.producer.take() {
                    node.fw.remove_face(f);
                }
            }
            Output::CreateFace { peer, uri } => {
                assert_eq!(uri, FaceUri::Udp4(SocketAddrV4::new(peer, NDN_PORT)));
                let f = node.fw.add_face(FaceInfo::new(uri, FaceUri::Internal));
                node.links.insert(f, peer);
                node.probe.handle_input(now, Input::FaceCreated { peer, face: f });
            }
            Output::DestroyFace { face, .. } => {
                node.fw.remove_face(face);
                node.links.remove(&face);
            }
            Output::AddRoute { prefix, face, cost } => {
                assert!(node.fw.add_route(&prefix, face, cost, origin::STATIC), "route {prefix} on {face}");
            }
            Output::RemoveRoute { prefix, face } => {
                node.fw.remove_route(&prefix, face, origin::STATIC);
            }
            Output::Express { peer, probe, interest } => {
                node.nonce = node.nonce.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let mut interest = interest;
                interest.nonce = Some(node.nonce);
                node.pending.push(PendingProbe {
                    name: interest.name.clone(),
                    nonce: node.nonce,
                    peer,
                    probe,
                    deadline: now + interest.lifetime(),
                });
                let c = node.consumer;
                node.fw.handle_packet(now, c, &interest.encode());
            }
            Output::Answer { name, content } => {
                let mut d = Data::new(name, content);
                let wire = d.sign_digest_sha256_and_encode();
                let p = node.producer.expect("answer without a producer");
                node.fw.handle_packet(now, p, &wire);
            }
            Output::Event(e) => node.events.push(e),
        }
    }

    fn do_fw_output(&mut self, i: usize, now: Instant, o: FwOutput) {
        let FwOutput::Send { face, packet } = o else { return };
        let node = &mut self.nodes[i];
        let (bare, nack) = match packet.first() {
            Some(&100) => {
                let lp = LpPacket::decode(&packet).expect("lp");
                (lp.fragment.expect("fragment").to_vec(), lp.nack.is_some())
            }
            _ => (packet.clone(), false),
        };
        if face == node.consumer {
            let (name, nonce) = match Interest::decode(&bare) {
                Ok(i) if nack => (i.name, i.nonce),
                _ => match Data::decode(&bare) {
                    Ok(d) => (d.name, None),
                    Err(_) => return,
                },
            };
            let Some(k) = node.pending.iter().position(|p| p.name == name && (nonce.is_none() || nonce == Some(p.nonce)))
            else {
                return;
            };
            let p = node.pending.swap_remove(k);
            let result = if nack {
                Err(ProbeFailure::Nack)
            } else {
                Ok(Data::decode(&bare).expect("data").content.unwrap_or_default())
            };
            node.probe.handle_input(now, Input::ProbeResult { peer: p.peer, probe: p.probe, result });
        } else if Some(face) == node.producer {
            let interest = Interest::decode(&bare).expect("probe interest");
            let fib = fib_snapshot(&node.fw);
            node.probe.handle_input(now, Input::ProbeInterest { name: interest.name, fib });
        } else if let Some(content) = node.apps.get(&face) {
            if let Ok(interest) = Interest::decode(&bare) {
                let mut d = Data::new(interest.name, content.clone());
                let wire = d.sign_digest_sha256_and_encode();
                node.fw.handle_packet(now, face, &wire);
            }
        } else if face == node.app_consumer {
            if nack {
                let i = Interest::decode(&bare).expect("nacked interest");
                node.app_results.push((i.name, AppResult::Nack));
            } else if let Ok(d) = Data::decode(&bare) {
                node.app_results.push((d.name, AppResult::Data(d.content.unwrap_or_default())));
            }
        } else if let Some(to) = node.links.get(&face) {
            let from = node.ip;
            self.air.push((now + LINK_DELAY, *to, from, packet));
        }
    }

    fn deliver(&mut self, to: Ipv4Addr, from: Ipv4Addr, packet: Vec<u8>) {
        let Some(i) = self.nodes.iter().position(|n| n.ip == to && n.alive) else { return };
        let now = self.now;
        let node = &mut self.nodes[i];
        let face = match node.links.iter().find(|(_, ip)| **ip == from) {
            Some((f, _)) => *f,
            None => {
                // An on-demand face, as a UDP listener makes for a new sender.
                let info = FaceInfo::new(FaceUri::Udp4(SocketAddrV4::new(from, NDN_PORT)), FaceUri::Udp4(SocketAddrV4::new(to, NDN_PORT)));
                let f = node.fw.add_face(info);
                node.links.insert(f, from);
                f
            }
        };
        node.fw.handle_packet(now, face, &packet);
        self.pump(i);
    }

    fn next_wakeup(&self) -> Option<Instant> {
        let air = self.air.iter().map(|a| a.0);
        let nodes = self.nodes.iter().filter(|n| n.alive).flat_map(|n| {
            [n.fw.poll_timeout(), n.probe.poll_timeout(), n.pending.iter().map(|p| p.deadline).min()]
        });
        air.chain(nodes.flatten()).min()
    }

    /// Runs the simulation until `t` after the start.
    fn run_until(&mut self, t: Duration) {
        let end = self.start + t;
        while let Some(next) = self.next_wakeup().filter(|n| *n <= end) {
            self.now = self.now.max(next);
            let now = self.now;
            let (due, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.air).into_iter().partition(|a| a.0 <= now);
            self.air = rest;
            for (_, to, from, p) in due {
                self.deliver(to, from, p);
            }
            for i in 0..self.nodes.len() {
                if !self.nodes[i].alive {
                    continue;
                }
                let node = &mut self.nodes[i];
                let expired: Vec<PendingProbe> = {
                    let (e, keep) = std::mem::take(&mut node.pending).into_iter().partition(|p| p.deadline <= now);
                    node.pending = keep;
                    e
                };
                for p in expired {
                    node.probe.handle_input(now, Input::ProbeResult { peer: p.peer, probe: p.probe, result: Err(ProbeFailure::Timeout) });
                }
                node.fw.handle_timeout(now);
                node.probe.handle_timeout(now);
                self.pump(i);
            }
        }
        self.now = self.now.max(end);
    }

    fn routes_via(&self, i: usize, peer: Ipv4Addr) -> Vec<String> {
        let node = &self.nodes[i];
        let Some(view) = node.probe.peers(self.now).into_iter().find(|p| p.ip == peer) else { return vec![] };
        let face = view.face.expect("peer face");
        let mut v: Vec<String> = node
            .fw
            .rib()
            .iter()
            .filter(|(_, routes)| routes.iter().any(|r| r.face == face && r.origin == origin::STATIC))
            .map(|(name, _)| name.to_string())
            .collect();
        v.sort();
        v
    }

    fn events(&mut self, i: usize) -> Vec<Event> {
        std::mem::take(&mut self.nodes[i].events)
    }
}

/// GO at .1, client at .23 with a producer for /hw/data.
fn pair(go_cfg: ProbeConfig, client_cfg: ProbeConfig) -> Sim {
    let mut sim = Sim::new();
    let go = sim.node(ip(1), go_cfg);
    let cl = sim.node(ip(23), client_cfg);
    sim.app_register(cl, "/hw/data", b"hello from the client");
    sim.group_up(go, Role::Owner, ip(1));
    sim.group_up(cl, Role::Client, ip(1));
    sim
}

#[test]
fn a_pair_learns_each_others_prefixes_and_data_flows() {
    let mut sim = pair(Sim::cfg(12), Sim::cfg(12));
    sim.run_until(Duration::from_secs(1));
    // The client opened its face to the GO and probed it; the GO opened the complementary
    // face on that probe and probed back; the client's answer listed its application's
    // prefix, and nothing under /localhop.
    assert_eq!(sim.events(1), vec![Event::PeerAdded { ip: ip(1) }, Event::Routes { ip: ip(1), n: 0 }]);
    assert_eq!(sim.events(0), vec![Event::PeerAdded { ip: ip(23) }, Event::Routes { ip: ip(23), n: 1 }]);
    assert_eq!(sim.routes_via(0, ip(23)), vec!["/hw/data", "/localhop/wifidirect/192.168.49.23"]);
    // A consumer on the GO reaches the client's producer through the group.
    sim.app_fetch(0, "/hw/data/seg=0");
    sim.run_until(Duration::from_secs(2));
    assert_eq!(sim.nodes[0].app_results, vec![(n("/hw/data/seg=0"), AppResult::Data(b"hello from the client".to_vec()))]);
    let go_view = sim.nodes[0].probe.peers(sim.now);
    assert_eq!(go_view.len(), 1);
    assert_eq!((go_view[0].role, go_view[0].timeouts, go_view[0].prefixes.clone()), (Role::Client, 0, vec![n("/hw/data")]));
    assert_eq!(sim.nodes[1].probe.peers(sim.now)[0].role, Role::Owner);
}

#[test]
fn probes_repeat_every_interval_and_stay_quiet_when_nothing_changes() {
    let mut sim = pair(Sim::cfg(12), Sim::cfg(12));
    sim.run_until(Duration::from_secs(1));
    let sent = sim.nodes[1].probe.stats().probes_sent;
    assert_eq!(sent, 1);
    sim.run_until(Duration::from_secs(61));
    // 0.2 s, then every 12 s: 0.2, 12.2, 24.2, 36.2, 48.2, 60.2.
    assert_eq!(sim.nodes[1].probe.stats().probes_sent, 6);
    assert_eq!(sim.nodes[1].probe.stats().answers, 6);
    sim.events(0);
    assert_eq!(sim.events(0), vec![], "no NDN-ROUTES without a change");
}

#[test]
fn an_answer_replaces_the_peers_routes_instead_of_merging() {
    let mut sim = pair(Sim::cfg(12), Sim::cfg(12));
    let c = 1;
    let extra = sim.app_register(c, "/a", b"a");
    sim.run_until(Duration::from_secs(1));
    assert_eq!(sim.routes_via(0, ip(23)), vec!["/a", "/hw/data", "/localhop/wifidirect/192.168.49.23"]);
    sim.app_unregister(c, extra);
    sim.app_register(c, "/b", b"b");
    sim.events(0);
    sim.run_until(Duration::from_secs(13));
    assert_eq!(sim.routes_via(0, ip(23)), vec!["/b", "/hw/data", "/localhop/wifidirect/192.168.49.23"]);
    assert_eq!(sim.events(0), vec![Event::Routes { ip: ip(23), n: 2 }]);
}

#[test]
fn a_go_lists_every_prefix_and_a_client_only_its_applications() {
    // GO .1, producer client .23 (/c1/data), consumer client .42 with its own /c2/app.
    let mut sim = Sim::new();
    let go = sim.node(ip(1), Sim::cfg(12));
    let c1 = sim.node(ip(23), Sim::cfg(12));
    let c2 = sim.node(ip(42), Sim::cfg(12));
    sim.app_register(c1, "/c1/data", b"from c1");
    sim.app_register(c2, "/c2/app", b"from c2");
    sim.app_register(go, "/go/svc", b"from go");
    sim.group_up(go, Role::Owner, ip(1));
    sim.group_up(c1, Role::Client, ip(1));
    sim.group_up(c2, Role::Client, ip(1));
    sim.run_until(Duration::from_secs(13));
    // The GO's answer to c2 lists c1's prefix and its own; not c2's own (only leads back).
    assert_eq!(sim.routes_via(c2, ip(1)), vec!["/c1/data", "/go/svc", "/localhop/wifidirect/192.168.49.1"]);
    assert_eq!(sim.routes_via(c1, ip(1)), vec!["/c2/app", "/go/svc", "/localhop/wifidirect/192.168.49.1"]);
    // A client's answer lists only what its local applications registered, not what it
    // learnt from the GO.
    assert_eq!(sim.routes_via(go, ip(42)), vec!["/c2/app", "/localhop/wifidirect/192.168.49.42"]);
    // c2 fetches c1's data through the GO.
    sim.app_fetch(c2, "/c1/data/x");
    sim.run_until(Duration::from_secs(14));
    assert_eq!(sim.nodes[c2].app_results, vec![(n("/c1/data/x"), AppResult::Data(b"from c1".to_vec()))]);
}

#[test]
fn five_consecutive_timeouts_drop_the_peer_and_its_routes() {
    let mut sim = Sim::new();
    let go = sim.node(ip(1), Sim::cfg(12));
    let c1 = sim.node(ip(23), Sim::cfg(12));
    let c2 = sim.node(ip(42), Sim::cfg(12));
    sim.app_register(c1, "/c1/data", b"from c1");
    sim.group_up(go, Role::Owner, ip(1));
    sim.group_up(c1, Role::Client, ip(1));
    sim.group_up(c2, Role::Client, ip(1));
    sim.run_until(Duration::from_secs(13));
    assert_eq!(sim.routes_via(c2, ip(1)), vec!["/c1/data", "/localhop/wifidirect/192.168.49.1"]);
    sim.events(go);
    // c1's daemon dies just before the GO's next probe to it.
    sim.kill(c1);
    // The GO probes c1 at 0.4 s + k * 12 s; those from 24.4 s on time out 4 s later.
    sim.run_until(Duration::from_secs(66));
    // Four failures so far: still a peer, with its routes.
    let v = sim.nodes[go].probe.peers(sim.now);
    let p = v.iter().find(|p| p.ip == ip(23)).expect("still there");
    assert_eq!(p.timeouts, 4);
    assert!(sim.nodes[go].fw.fib().get(&n("/c1/data")).is_some());
    sim.run_until(Duration::from_secs(80));
    assert_eq!(sim.events(go), vec![Event::PeerRemoved { ip: ip(23), reason: RemoveReason::Timeout }]);
    assert!(sim.nodes[go].probe.peers(sim.now).iter().all(|p| p.ip != ip(23)));
    assert!(sim.nodes[go].fw.fib().get(&n("/c1/data")).is_none(), "routes go with the face");
    // The GO's next answer to c2 no longer lists c1's prefix: c2 drops it too.
    sim.run_until(Duration::from_secs(100));
    assert_eq!(sim.routes_via(c2, ip(1)), vec!["/localhop/wifidirect/192.168.49.1"]);
    // A fetch now fails fast: no route at the GO means a Nack.
    sim.app_fetch(c2, "/c1/data/y");
    assert_eq!(sim.nodes[c2].app_results, vec![(n("/c1/data/y"), AppResult::Nack)]);
}

#[test]
fn an_answer_resets_the_timeout_count() {
    let mut core = ProbeCore::new(Sim::cfg(12));
    let t0 = Instant::now();
    core.handle_input(t0, Input::GroupUp(GroupInfo { own_ip: ip(23), prefix_len: 24, role: Role::Client, go_ip: ip(1) }));
    core.handle_input(t0, Input::FaceCreated { peer: ip(1), face: 300 });
    let mut t = t0;
    let next_probe = |core: &mut ProbeCore, t: &mut Instant| -> ProbeId {
        loop {
            *t = core.poll_timeout().expect("a timer");
            core.handle_timeout(*t);
            while let Some(o) = core.poll_output() {
                if let Output::Express { probe, interest, .. } = o {
                    assert!(interest.must_be_fresh);
                    assert_eq!(interest.name.to_string(), "/localhop/wifidirect/192.168.49.1/192.168.49.23/probe");
                    return probe;
                }
            }
        }
    };
    for _ in 0..4 {
        let id = next_probe(&mut core, &mut t);
        core.handle_input(t, Input::ProbeResult { peer: ip(1), probe: id, result: Err(ProbeFailure::Nack) });
    }
    assert_eq!(core.peers(t)[0].timeouts, 4);
    let id = next_probe(&mut core, &mut t);
    core.handle_input(t, Input::ProbeResult { peer: ip(1), probe: id, result: Ok(answer::encode(AnswerFormat::App, &[])) });
    assert_eq!(core.peers(t)[0].timeouts, 0);
    // The count starts again: four more failures keep the peer.
    for _ in 0..4 {
        let id = next_probe(&mut core, &mut t);
        core.handle_input(t, Input::ProbeResult { peer: ip(1), probe: id, result: Err(ProbeFailure::Timeout) });
    }
    assert_eq!(core.peers(t).len(), 1);
}

#[test]
fn the_machine_times_out_a_probe_the_driver_never_reports() {
    let mut core = ProbeCore::new(Sim::cfg(12));
    let t0 = Instant::now();
    core.handle_input(t0, Input::GroupUp(GroupInfo { own_ip: ip(23), prefix_len: 24, role: Role::Client, go_ip: ip(1) }));
    core.handle_input(t0, Input::FaceCreated { peer: ip(1), face: 300 });
    let mut removed = None;
    let mut probes = 0;
    while let Some(t) = core.poll_timeout() {
        if t > t0 + Duration::from_secs(120) {
            break;
        }
        core.handle_timeout(t);
        while let Some(o) = core.poll_output() {
            match o {
                Output::Express { .. } => probes += 1,
                Output::Event(Event::PeerRemoved { ip, reason }) => removed = Some((ip, reason, t - t0)),
                _ => {}
            }
        }
        if removed.is_some() {
            break;
        }
    }
    let (who, reason, after) = removed.expect("dropped");
    assert_eq!((who, reason, probes), (ip(1), RemoveReason::Timeout, 5));
    // Fifth probe at 0.2 + 4 * 12 s, counted 5 s (lifetime + grace) later.
    assert_eq!(after, Duration::from_millis(200 + 48_000 + 5_000));
}

#[test]
fn a_late_result_for_an_earlier_probe_is_ignored() {
    let mut core = ProbeCore::new(Sim::cfg(12));
    let t0 = Instant::now();
    core.handle_input(t0, Input::GroupUp(GroupInfo { own_ip: ip(23), prefix_len: 24, role: Role::Client, go_ip: ip(1) }));
    core.handle_input(t0, Input::FaceCreated { peer: ip(1), face: 300 });
    while core.poll_output().is_some() {}
    let t = core.poll_timeout().expect("first probe");
    core.handle_timeout(t);
    let id = core.poll_output().and_then(|o| if let Output::Express { probe, .. } = o { Some(probe) } else { None });
    let id = id.expect("probe");
    let stale = ProbeId(id.0 + 100);
    core.handle_input(t, Input::ProbeResult { peer: ip(1), probe: stale, result: Ok(b"1\n/x".to_vec()) });
    assert_eq!(core.poll_output(), None);
    core.handle_input(t, Input::ProbeResult { peer: ip(1), probe: id, result: Ok(b"1\n/x".to_vec()) });
    assert_eq!(core.poll_output(), Some(Output::AddRoute { prefix: n("/x"), face: 300, cost: LEARNT_ROUTE_COST }));
}

#[test]
fn both_answer_formats_interoperate() {
    let app = ProbeConfig { format: AnswerFormat::App, ..Sim::cfg(12) };
    for (go_cfg, cl_cfg) in [(app.clone(), Sim::cfg(12)), (Sim::cfg(12), app.clone())] {
        let mut sim = pair(go_cfg, cl_cfg);
        sim.app_register(0, "/go/svc", b"go");
        sim.run_until(Duration::from_secs(13));
        assert_eq!(sim.routes_via(0, ip(23)), vec!["/hw/data", "/localhop/wifidirect/192.168.49.23"]);
        assert_eq!(sim.routes_via(1, ip(1)), vec!["/go/svc", "/localhop/wifidirect/192.168.49.1"]);
        assert_eq!(sim.nodes[0].probe.stats().malformed_answers + sim.nodes[1].probe.stats().malformed_answers, 0);
    }
}

#[test]
fn answers_are_sent_in_the_configured_format() {
    for (format, want) in [(AnswerFormat::Spec, b"\x00\x00\x00\x01/hw/data\n".to_vec()), (AnswerFormat::App, b"1\n/hw/data".to_vec())] {
        let mut core = ProbeCore::new(ProbeConfig { format, ..Sim::cfg(12) });
        let t0 = Instant::now();
        core.handle_input(t0, Input::GroupUp(GroupInfo { own_ip: ip(23), prefix_len: 24, role: Role::Client, go_ip: ip(1) }));
        while core.poll_output().is_some() {}
        let fib = vec![
            FibPrefix { name: n("/hw/data"), faces: vec![400], local_app: true },
            FibPrefix { name: n("/localhop/wifidirect/192.168.49.23"), faces: vec![401], local_app: true },
            FibPrefix { name: n("/localhost/nfd"), faces: vec![1], local_app: true },
            FibPrefix { name: n("/learnt"), faces: vec![300], local_app: false },
        ];
        // The app's unique name form is answered under its own name.
        let name = n("/localhop/wifidirect/192.168.49.23/192.168.49.1/probe%3F1482977581283");
        core.handle_input(t0, Input::ProbeInterest { name: name.clone(), fib });
        let outs: Vec<Output> = std::iter::from_fn(|| core.poll_output()).collect();
        assert!(outs.contains(&Output::Answer { name, content: want }), "{outs:?}");
    }
}

#[test]
fn a_malformed_answer_is_counted_and_the_routes_kept() {
    let mut core = ProbeCore::new(Sim::cfg(12));
    let t0 = Instant::now();
    core.handle_input(t0, Input::GroupUp(GroupInfo { own_ip: ip(23), prefix_len: 24, role: Role::Client, go_ip: ip(1) }));
    core.handle_input(t0, Input::FaceCreated { peer: ip(1), face: 300 });
    let mut t = t0;
    let mut probe = |core: &mut ProbeCore, content: &[u8]| {
        loop {
            t = core.poll_timeout().expect("timer");
            core.handle_timeout(t);
            if let Some(id) = std::iter::from_fn(|| core.poll_output()).find_map(|o| match o {
                Output::Express { probe, .. } => Some(probe),
                _ => None,
            }) {
                core.handle_input(t, Input::ProbeResult { peer: ip(1), probe: id, result: Ok(content.to_vec()) });
                return std::iter::from_fn(|| core.poll_output()).collect::<Vec<_>>();
            }
        }
    };
    let outs = probe(&mut core, b"2\n/a\n/b");
    assert_eq!(outs.len(), 3, "{outs:?}"); // two routes and NDN-ROUTES
    for bad in [&b"3\n/a\n/b"[..], b"\x00\x00\x00\x09/a\n", b"2\nno-slash\n/b", b"\xff\xfe"] {
        assert_eq!(probe(&mut core, bad), vec![]);
    }
    assert_eq!(core.stats().malformed_answers, 4);
    assert_eq!(core.peers(t0)[0].prefixes, vec![n("/a"), n("/b")]);
    // Scoped prefixes and our own probe prefix in an answer are never routed.
    let outs = probe(&mut core, b"/a\n/localhost/nfd\n/localhop/x\n/localhop/wifidirect/192.168.49.23");
    assert_eq!(outs, vec![Output::RemoveRoute { prefix: n("/b"), face: 300 }, Output::Event(Event::Routes { ip: ip(1), n: 1 })]);
}

#[test]
fn a_go_opens_the_complementary_face_only_for_group_addresses() {
    let mut core = ProbeCore::new(Sim::cfg(12));
    let t0 = Instant::now();
    core.handle_input(t0, Input::GroupUp(GroupInfo { own_ip: ip(1), prefix_len: 24, role: Role::Owner, go_ip: ip(1) }));
    assert_eq!(core.poll_output(), Some(Output::Serve { prefix: name::node_prefix(ip(1)) }));
    assert_eq!(core.poll_output(), None);
    for sender in ["10.0.0.7", "192.168.49.255", "192.168.49.0", "192.168.49.1"] {
        let name = n(&format!("/localhop/wifidirect/192.168.49.1/{sender}/probe"));
        core.handle_input(t0, Input::ProbeInterest { name, fib: vec![] });
        assert_eq!(core.poll_output(), None, "{sender}");
    }
    // A probe for another node's address is not ours to answer.
    core.handle_input(t0, Input::ProbeInterest { name: name::probe_name(ip(2), ip(23)), fib: vec![] });
    assert_eq!(core.poll_output(), None);
    assert_eq!(core.stats().probes_ignored, 5);
    core.handle_input(t0, Input::ProbeInterest { name: name::probe_name(ip(1), ip(23)), fib: vec![] });
    let uri = FaceUri::Udp4(SocketAddrV4::new(ip(23), NDN_PORT));
    assert_eq!(core.poll_output(), Some(Output::CreateFace { peer: ip(23), uri }));
    assert!(matches!(core.poll_output(), Some(Output::Answer { .. })));
    // A second probe while the face is opening does not open another.
    core.handle_input(t0, Input::ProbeInterest { name: name::probe_name(ip(1), ip(23)), fib: vec![] });
    assert!(matches!(core.poll_output(), Some(Output::Answer { .. })));
    assert_eq!(core.poll_output(), None);
}

#[test]
fn group_removal_drops_every_peer_at_once() {
    let mut sim = Sim::new();
    let go = sim.node(ip(1), Sim::cfg(12));
    let c1 = sim.node(ip(23), Sim::cfg(12));
    let c2 = sim.node(ip(42), Sim::cfg(12));
    sim.group_up(go, Role::Owner, ip(1));
    sim.group_up(c1, Role::Client, ip(1));
    sim.group_up(c2, Role::Client, ip(1));
    sim.run_until(Duration::from_secs(1));
    sim.events(go);
    let faces_before = sim.nodes[go].fw.face_ids().len();
    sim.input(go, Input::GroupDown);
    assert_eq!(
        sim.events(go),
        vec![
            Event::PeerRemoved { ip: ip(23), reason: RemoveReason::GroupRemoved },
            Event::PeerRemoved { ip: ip(42), reason: RemoveReason::GroupRemoved },
        ]
    );
    // Two peer faces and the probe producer's face are gone.
    assert_eq!(sim.nodes[go].fw.face_ids().len(), faces_before - 3);
    assert!(sim.nodes[go].probe.peers(sim.now).is_empty());
    assert_eq!(sim.nodes[go].probe.poll_timeout(), None);
    assert!(sim.nodes[go].fw.fib().get(&name::node_prefix(ip(1))).is_none());
}

#[test]
fn a_client_whose_go_was_dropped_tries_it_again_as_a_new_peer() {
    let mut sim = pair(Sim::cfg(12), Sim::cfg(12));
    sim.run_until(Duration::from_secs(1));
    sim.events(1);
    sim.kill(0);
    // Probes at 12.2 .. 60.2 s fail; the fifth times out at 64.2 s.
    sim.run_until(Duration::from_secs(64));
    assert_eq!(sim.events(1), vec![]);
    sim.run_until(Duration::from_secs(65));
    assert_eq!(sim.events(1), vec![Event::PeerRemoved { ip: ip(1), reason: RemoveReason::Timeout }]);
    // One interval later the client opens a face to the GO again.
    sim.run_until(Duration::from_secs(77));
    assert_eq!(sim.events(1), vec![Event::PeerAdded { ip: ip(1) }]);
    assert_eq!(sim.nodes[1].probe.peers(sim.now)[0].timeouts, 0);
}

#[test]
fn probe_lifetime_follows_a_short_interval() {
    assert_eq!(ProbeConfig::default().lifetime(), Duration::from_secs(4));
    let fast = ProbeConfig { interval: Duration::from_secs(2), ..ProbeConfig::default() };
    assert_eq!(fast.lifetime(), Duration::from_secs(2));
}
