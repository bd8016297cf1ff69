//! Negotiators on a simulated air with virtual time: a frame reaches its receiver only
//! if the receiver is present and on that frequency when it is sent (listening, or in
//! the wait after its own frame), as on mac80211_hwsim; the ACK is exactly that
//! reception. Frames can be lost on purpose or at random (seeded).

use std::time::{Duration, Instant};

use super::*;
use crate::eapol::SeededRandom;
use crate::ieee80211::{MgmtBody, MgmtRepr};
use crate::p2p::wire::{
    ChannelEntry, ConfigTimeout, DeviceDescription, DeviceType, consts::COUNTRY_GLOBAL,
};

pub(in crate::p2p::go_neg) fn addr(i: u8) -> MacAddr {
    MacAddr([0x02, 0, 0, 0, i, 0])
}

fn iface(i: u8) -> MacAddr {
    MacAddr([0x06, 0, 0, 0, i, 0])
}

fn ch(channel: u8) -> Channel {
    Channel {
        country: COUNTRY_GLOBAL,
        op_class: 81,
        channel,
    }
}

pub(in crate::p2p::go_neg) fn channels_24() -> ChannelList {
    ChannelList {
        country: COUNTRY_GLOBAL,
        entries: vec![ChannelEntry {
            op_class: 81,
            channels: (1..=11).collect(),
        }],
    }
}

/// A negotiator for device `i`, listening on channel 1, 6 or 11, preferring channel 6.
pub(in crate::p2p::go_neg) fn node(i: u8, seed: u8, channels: ChannelList) -> GoNegotiator {
    let local = Local {
        device_addr: addr(i),
        interface_addr: iface(i),
        device: DeviceDescription {
            config_methods: ConfigMethods::from_bits_retain(0x188),
            primary_type: DeviceType::new(1, 1),
            secondary_types: Vec::new(),
            name: format!("dev-{i}").into_bytes(),
        },
        device_capability: DeviceCapability::from_bits_retain(0x25),
        group_capability: GroupCapability::INTRA_BSS_DISTRIBUTION,
        channels,
        listen_channel: ch([1, 6, 11][usize::from(i) % 3]),
        op_channel: ch(6),
        go_intent: 7,
        config_timeout: ConfigTimeout {
            go_10ms: 100,
            client_10ms: 20,
        },
        max_requests: DEFAULT_MAX_REQUESTS,
    };
    GoNegotiator::new(local, Box::new(SeededRandom::new([seed; 32])))
}

pub(in crate::p2p::go_neg) fn action_body(frame: &[u8]) -> Vec<u8> {
    match MgmtRepr::parse_bytes(frame).expect("management frame").body {
        MgmtBody::Action(a) => a.to_bytes(),
        other => panic!("not an action frame: {other:?}"),
    }
}

pub(in crate::p2p::go_neg) fn parse_response(tx: &Tx) -> GoNegResponse {
    GoNegResponse::parse_bytes(&action_body(&tx.frame)).expect("Response")
}

struct Node {
    neg: GoNegotiator,
    addr: MacAddr,
    present: bool,
    /// From then on the node keeps listening on its listen channel (P2P_LISTEN or a
    /// find), whatever the negotiator asks.
    listen_from: Option<Instant>,
    roc: Option<(u32, Instant)>,
    waits: Vec<(u32, Instant)>,
    events: Vec<(Instant, Event)>,
    sent: Vec<(Instant, FrameType)>,
    received: Vec<FrameType>,
}

impl Node {
    fn on_channel(&self, freq: u32, t: Instant) -> bool {
        let listen = self.neg.local().listen_channel.freq_mhz();
        self.present
            && (self
                .listen_from
                .is_some_and(|f| t >= f && listen == Some(freq))
                || self.roc.is_some_and(|(f, until)| f == freq && t < until)
                || self.waits.iter().any(|&(f, until)| f == freq && t < until))
    }
}

enum Delivery {
    Rx {
        to: usize,
        kind: FrameType,
        sa: MacAddr,
        freq: u32,
        body: Vec<u8>,
    },
    TxStatus {
        to: usize,
        id: TxId,
        acked: bool,
    },
}

type Loss = Box<dyn FnMut(usize, &Tx) -> bool>;

struct Sim {
    start: Instant,
    now: Instant,
    nodes: Vec<Node>,
    queue: Vec<(Instant, u64, Delivery)>,
    seq: u64,
    lose: Loss,
}

impl Sim {
    fn new(nodes: Vec<GoNegotiator>) -> Sim {
        let now = Instant::now();
        Sim {
            start: now,
            now,
            nodes: nodes
                .into_iter()
                .map(|neg| Node {
                    addr: neg.local().device_addr,
                    neg,
                    present: true,
                    listen_from: Some(now),
                    roc: None,
                    waits: Vec::new(),
                    events: Vec::new(),
                    sent: Vec::new(),
                    received: Vec::new(),
                })
                .collect(),
            queue: Vec::new(),
            seq: 0,
            lose: Box::new(|_, _| false),
        }
    }

    fn at(&self, ms: u64) -> Instant {
        self.start + Duration::from_millis(ms)
    }

    fn listen_freq(&self, i: usize) -> u32 {
        self.nodes[i]
            .neg
            .local()
            .listen_channel
            .freq_mhz()
            .expect("listen channel")
    }

    fn input(&mut self, i: usize, input: Input) {
        let now = self.now;
        self.nodes[i].neg.handle_input(now, input);
        self.pump();
    }

    fn connect(&self, peer: usize, method: WpsMethod, go_intent: u8) -> Connect {
        Connect {
            peer: self.nodes[peer].addr,
            method,
            go_intent,
            forced_freq: None,
            persistent: false,
            ssid: None,
        }
    }

    fn initiate(&mut self, i: usize, connect: Connect) {
        let peer = self
            .nodes
            .iter()
            .position(|n| n.addr == connect.peer)
            .expect("peer");
        let peer_listen_freq = self.listen_freq(peer);
        self.input(
            i,
            Input::Initiate {
                connect,
                peer_listen_freq,
                tie_breaker: None,
            },
        );
    }

    fn push(&mut self, t: Instant, d: Delivery) {
        self.seq += 1;
        self.queue.push((t, self.seq, d));
    }

    fn pump(&mut self) {
        let now = self.now;
        for i in 0..self.nodes.len() {
            while let Some(o) = self.nodes[i].neg.poll_output() {
                match o {
                    Output::Send(tx) => {
                        let n = &mut self.nodes[i];
                        n.sent.push((now, tx.kind));
                        n.waits.retain(|&(_, until)| until > now);
                        n.waits
                            .push((tx.freq, now + Duration::from_millis(u64::from(tx.wait_ms))));
                        let to = self.nodes.iter().position(|n| n.addr == tx.da);
                        let delivered = match to {
                            Some(to) => {
                                self.nodes[to].on_channel(tx.freq, now) && !(self.lose)(i, &tx)
                            }
                            None => false,
                        };
                        if let (Some(to), true) = (to, delivered) {
                            let body = action_body(&tx.frame);
                            let sa = self.nodes[i].addr;
                            self.push(
                                now + Duration::from_millis(1),
                                Delivery::Rx {
                                    to,
                                    kind: tx.kind,
                                    sa,
                                    freq: tx.freq,
                                    body,
                                },
                            );
                        }
                        self.push(
                            now + Duration::from_millis(2),
                            Delivery::TxStatus {
                                to: i,
                                id: tx.id,
                                acked: delivered,
                            },
                        );
                    }
                    Output::Listen { freq, duration } => {
                        self.nodes[i].roc = Some((freq, now + duration));
                    }
                    Output::StopListen => self.nodes[i].roc = None,
                    Output::Event(e) => self.nodes[i].events.push((now, e)),
                }
            }
        }
    }

    /// Runs until `end` (virtual), or until nothing is left to do.
    fn run_until(&mut self, end: Instant) {
        loop {
            self.pump();
            let next_q = self.queue.iter().map(|(t, s, _)| (*t, *s)).min();
            let next_timer = self.nodes.iter().filter_map(|n| n.neg.poll_timeout()).min();
            let next = match (next_q.map(|q| q.0), next_timer) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(t) => t,
                    None => break,
                },
            };
            if next > end {
                break;
            }
            self.now = self.now.max(next);
            if let Some((t, s)) = next_q.filter(|q| q.0 <= self.now) {
                let idx = self
                    .queue
                    .iter()
                    .position(|(qt, qs, _)| (*qt, *qs) == (t, s))
                    .expect("queued");
                let (_, _, d) = self.queue.remove(idx);
                let now = self.now;
                match d {
                    Delivery::Rx {
                        to,
                        kind,
                        sa,
                        freq,
                        body,
                    } => {
                        self.nodes[to].received.push(kind);
                        self.nodes[to]
                            .neg
                            .handle_input(now, Input::Frame { sa, freq, body });
                    }
                    Delivery::TxStatus { to, id, acked } => {
                        self.nodes[to]
                            .neg
                            .handle_input(now, Input::TxStatus { id, acked });
                    }
                }
                continue;
            }
            let now = self.now;
            for n in &mut self.nodes {
                if n.neg.poll_timeout().is_some_and(|t| t <= now) {
                    n.neg.handle_timeout(now);
                }
            }
        }
        self.now = self.now.max(end);
    }

    fn run_ms(&mut self, ms: u64) {
        let end = self.now + Duration::from_millis(ms);
        self.run_until(end);
    }

    fn events(&self, i: usize) -> Vec<Event> {
        self.nodes[i]
            .events
            .iter()
            .map(|(_, e)| e.clone())
            .collect()
    }

    fn success(&self, i: usize) -> Success {
        let ev = self.events(i);
        match &ev[..] {
            [.., Event::Success(s)] => s.clone(),
            _ => panic!("node {i}: no success: {ev:?}"),
        }
    }

    fn failure(&self, i: usize) -> i32 {
        let ev = self.events(i);
        match &ev[..] {
            [.., Event::Failure { reason, .. }] => reason.code(),
            _ => panic!("node {i}: no failure: {ev:?}"),
        }
    }

    fn requests_sent(&self, i: usize) -> usize {
        self.nodes[i]
            .sent
            .iter()
            .filter(|(_, k)| *k == FrameType::Request)
            .count()
    }
}

/// Two nodes, 1 and 2; node 2 authorises node 1 with `(m2, i2)`; node 1 initiates
/// with `(m1, i1)`. Both keep listening.
fn pair(m1: WpsMethod, i1: u8, m2: WpsMethod, i2: u8, seed: u8) -> Sim {
    pair_with(m1, i1, m2, i2, seed, |_| {})
}

/// [`pair`], with `setup` run before the first Request goes out.
fn pair_with(
    m1: WpsMethod,
    i1: u8,
    m2: WpsMethod,
    i2: u8,
    seed: u8,
    setup: impl FnOnce(&mut Sim),
) -> Sim {
    let mut s = Sim::new(vec![
        node(1, seed, channels_24()),
        node(2, seed.wrapping_add(100), channels_24()),
    ]);
    setup(&mut s);
    let c2 = s.connect(0, m2, i2);
    s.input(1, Input::Authorize(c2));
    let c1 = s.connect(1, m1, i1);
    s.initiate(0, c1);
    s
}

/// Both agree: roles opposite, same channel and SSID, each has the other's addresses.
fn assert_agree(s: &Sim, a: usize, b: usize) -> (Success, Success) {
    let (sa, sb) = (s.success(a), s.success(b));
    assert_ne!(sa.role, sb.role, "exactly one GO: {sa:?} {sb:?}");
    assert_eq!(sa.freq, sb.freq);
    assert_eq!(sa.ssid, sb.ssid);
    assert!(sa.ssid.starts_with(b"DIRECT-") && sa.ssid.len() == 9);
    assert_eq!(sa.peer_dev, s.nodes[b].addr);
    assert_eq!(sb.peer_dev, s.nodes[a].addr);
    assert_eq!(sa.peer_iface, s.nodes[b].neg.local().interface_addr);
    assert_eq!(sb.peer_iface, s.nodes[a].neg.local().interface_addr);
    (sa, sb)
}

#[test]
fn pbc_intent_15_vs_0() {
    let mut s = pair(WpsMethod::Pbc, 15, WpsMethod::Pbc, 0, 1);
    s.run_ms(1000);
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!((a.role, b.role), (Role::Go, Role::Client));
    assert_eq!(
        (a.wps_method, b.wps_method),
        (WpsMethod::Pbc, WpsMethod::Pbc)
    );
    assert_eq!(a.freq, 2437, "the responder's preference, channel 6");
    assert_eq!(a.formation_timeout, Duration::from_millis(15_200));
    assert_eq!(b.formation_timeout, Duration::from_secs(16));
    assert_eq!(s.requests_sent(0), 1);
    // Done within a few simulated milliseconds; the responder's 20 ms settle is last.
    let done = s.nodes[1].events.last().expect("event").0;
    assert!(
        done - s.start < Duration::from_millis(40),
        "{:?}",
        done - s.start
    );
    assert_eq!(s.nodes[0].neg.state_name(), "DONE");
    assert!(
        !s.nodes[1].neg.is_authorized(s.nodes[0].addr),
        "authorisation used up"
    );
}

#[test]
fn pbc_intent_0_vs_15() {
    let mut s = pair(WpsMethod::Pbc, 0, WpsMethod::Pbc, 15, 2);
    s.run_ms(1000);
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!((a.role, b.role), (Role::Client, Role::Go));
}

#[test]
fn pin_both_directions() {
    let mut s = pair(WpsMethod::PinDisplay, 15, WpsMethod::PinKeypad, 0, 3);
    s.run_ms(1000);
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!(
        (a.wps_method, b.wps_method),
        (WpsMethod::PinDisplay, WpsMethod::PinKeypad)
    );

    let mut s = pair(WpsMethod::PinKeypad, 15, WpsMethod::PinDisplay, 0, 4);
    s.run_ms(1000);
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!(
        (a.wps_method, b.wps_method),
        (WpsMethod::PinKeypad, WpsMethod::PinDisplay)
    );
    assert_eq!(
        crate::ctrl::Event::from(&Event::Success(a)).to_string(),
        "P2P-GO-NEG-SUCCESS role=GO freq=2437 ht40=0 peer_dev=02:00:00:00:02:00 \
         peer_iface=06:00:00:00:02:00 wps_method=Keypad"
    );
}

#[test]
fn equal_intents_one_go_both_agree_either_way() {
    let mut initiator_go = 0;
    for seed in 0..16 {
        let mut s = pair(WpsMethod::Pbc, 7, WpsMethod::Pbc, 7, seed);
        s.run_ms(1000);
        let (a, _) = assert_agree(&s, 0, 1);
        initiator_go += usize::from(a.role == Role::Go);
    }
    assert!(
        (1..16).contains(&initiator_go),
        "the random tie breaker decides: {initiator_go}/16"
    );
}

#[test]
fn tie_breaker_flips_per_connect_and_decides_equal_intents() {
    // Same negotiator, two connects: opposite tie breakers, opposite roles.
    let mut roles = Vec::new();
    let mut s = Sim::new(vec![node(1, 9, channels_24()), node(2, 10, channels_24())]);
    for _ in 0..2 {
        let c2 = s.connect(0, WpsMethod::Pbc, 7);
        s.input(1, Input::Authorize(c2));
        let c1 = s.connect(1, WpsMethod::Pbc, 7);
        s.initiate(0, c1);
        s.run_ms(1000);
        let (a, _) = assert_agree(&s, 0, 1);
        roles.push(a.role);
    }
    assert_ne!(roles[0], roles[1], "{roles:?}");
}

#[test]
fn both_intent_15_fail_with_status_9_on_both_sides() {
    let mut s = pair(WpsMethod::Pbc, 15, WpsMethod::Pbc, 15, 5);
    s.run_ms(1000);
    assert_eq!((s.failure(0), s.failure(1)), (9, 9));
    assert_eq!(s.nodes[0].neg.state_name(), "FAILED");
    assert_eq!(s.requests_sent(0), 1, "a status is final: no retry");
}

#[test]
fn incompatible_methods_fail_with_status_10() {
    for (m1, m2) in [
        (WpsMethod::PinDisplay, WpsMethod::PinDisplay),
        (WpsMethod::PinKeypad, WpsMethod::PinKeypad),
        (WpsMethod::Pbc, WpsMethod::PinKeypad),
        (WpsMethod::PinDisplay, WpsMethod::Pbc),
    ] {
        let mut s = pair(m1, 15, m2, 0, 6);
        s.run_ms(1000);
        assert_eq!((s.failure(0), s.failure(1)), (10, 10), "{m1:?} vs {m2:?}");
    }
}

#[test]
fn forced_channel_conflict_fails_with_status_7() {
    // hwsim test_grpform_force_chan_conflict: freq=2422 against freq=2427.
    let mut s = Sim::new(vec![node(1, 1, channels_24()), node(2, 2, channels_24())]);
    let mut c2 = s.connect(0, WpsMethod::Pbc, 0);
    c2.forced_freq = Some(2427);
    s.input(1, Input::Authorize(c2));
    let mut c1 = s.connect(1, WpsMethod::Pbc, 15);
    c1.forced_freq = Some(2422);
    s.initiate(0, c1);
    s.run_ms(1000);
    assert_eq!((s.failure(0), s.failure(1)), (7, 7));
}

#[test]
fn forced_channel_of_the_client_is_the_groups() {
    // hwsim test_grpform_force_chan_cli: the client's freq=2417 is honoured by the GO.
    let mut s = Sim::new(vec![node(1, 1, channels_24()), node(2, 2, channels_24())]);
    let mut c2 = s.connect(0, WpsMethod::Pbc, 0);
    c2.forced_freq = Some(2417);
    s.input(1, Input::Authorize(c2));
    let c1 = s.connect(1, WpsMethod::Pbc, 15);
    s.initiate(0, c1);
    s.run_ms(1000);
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!((a.role, a.freq, b.freq), (Role::Go, 2417, 2417));
}

#[test]
fn forced_5ghz_channel_both_support() {
    let dual = || {
        let mut c = channels_24();
        c.entries.push(ChannelEntry {
            op_class: 115,
            channels: vec![36, 40, 44, 48],
        });
        c
    };
    let mut s = Sim::new(vec![node(1, 1, dual()), node(2, 2, dual())]);
    let c2 = s.connect(0, WpsMethod::Pbc, 0);
    s.input(1, Input::Authorize(c2));
    let mut c1 = s.connect(1, WpsMethod::Pbc, 15);
    c1.forced_freq = Some(5180);
    s.initiate(0, c1);
    s.run_ms(1000);
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!((a.freq, b.freq), (5180, 5180));
}

#[test]
fn not_ready_peer_then_user_accepts() {
    // Node 2 is not authorised: status 1 and P2P-GO-NEG-REQUEST. Node 1 waits,
    // listening at times on its own channel (it is not in a find: it only listens when
    // the negotiator asks). Three seconds later node 2's user runs P2P_CONNECT.
    let mut s = Sim::new(vec![node(1, 1, channels_24()), node(2, 2, channels_24())]);
    s.nodes[0].listen_from = None;
    let c1 = s.connect(1, WpsMethod::PinDisplay, 7);
    s.initiate(0, c1);
    s.run_ms(100);
    assert_eq!(s.nodes[0].neg.state_name(), "WAIT_PEER_REQUEST");
    assert_eq!(
        s.events(1),
        vec![Event::PeerNotReady {
            peer: s.nodes[0].addr,
            dev_passwd_id: 5,
            go_intent: 7
        }]
    );
    s.run_until(s.at(3000));
    assert!(s.events(0).is_empty());
    let c2 = s.connect(0, WpsMethod::PinKeypad, 7);
    s.initiate(1, c2);
    s.run_until(s.at(8000));
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!(
        (a.wps_method, b.wps_method),
        (WpsMethod::PinDisplay, WpsMethod::PinKeypad)
    );
    assert!(
        s.requests_sent(1) > 1,
        "node 2's Requests wait for node 1's listen"
    );
    let done = s.nodes[0].events.last().expect("event").0;
    assert!(done < s.at(4000), "{:?}", done - s.start);
}

#[test]
fn not_ready_peer_that_never_accepts_fails_after_120_s() {
    let mut s = Sim::new(vec![node(1, 1, channels_24()), node(2, 2, channels_24())]);
    let c1 = s.connect(1, WpsMethod::Pbc, 7);
    s.initiate(0, c1);
    s.run_until(s.at(119_000));
    assert!(s.events(0).is_empty());
    s.run_until(s.at(121_000));
    assert_eq!(s.failure(0), -1);
}

#[test]
fn rejected_peer_gets_status_11() {
    let mut s = Sim::new(vec![node(1, 1, channels_24()), node(2, 2, channels_24())]);
    let c1 = s.connect(1, WpsMethod::Pbc, 7);
    s.initiate(0, c1);
    s.run_ms(100);
    assert!(matches!(s.events(1)[..], [Event::PeerNotReady { .. }]));
    let a = s.nodes[0].addr;
    s.input(1, Input::Reject(a));
    // The initiator's user tries again: now the answer is status 11.
    s.initiate(0, c1);
    s.run_ms(1000);
    assert_eq!(s.failure(0), 11);
    assert_eq!(
        s.events(1).len(),
        1,
        "no new P2P-GO-NEG-REQUEST for a rejected peer"
    );
}

#[test]
fn busy_with_another_peer_answers_status_5() {
    // Node 2 authorised node 3 but is negotiating with node 1, which is away (node 2
    // keeps retrying); node 3's Request gets status 5.
    let mut s = Sim::new(vec![
        node(1, 1, channels_24()),
        node(2, 2, channels_24()),
        node(3, 3, channels_24()),
    ]);
    s.nodes[0].present = false;
    let c23 = s.connect(2, WpsMethod::Pbc, 7);
    s.input(1, Input::Authorize(c23));
    let c21 = s.connect(0, WpsMethod::Pbc, 7);
    s.initiate(1, c21);
    s.run_ms(50);
    let c32 = s.connect(1, WpsMethod::Pbc, 7);
    s.initiate(2, c32);
    s.run_ms(2000);
    assert_eq!(s.failure(2), 5);
    assert!(
        s.events(1).is_empty(),
        "node 2 still negotiates with node 1"
    );
    assert_eq!(s.nodes[1].neg.active_peer(), Some(s.nodes[0].addr));
}

#[test]
fn peer_gone_fails_after_the_request_bound() {
    let mut s = pair_with(WpsMethod::Pbc, 15, WpsMethod::Pbc, 0, 7, |s| {
        s.nodes[1].present = false;
    });
    s.run_until(s.at(200_000));
    assert_eq!(s.failure(0), -1);
    assert_eq!(s.requests_sent(0), DEFAULT_MAX_REQUESTS as usize);
    let t = s.nodes[0].events.last().expect("event").0 - s.start;
    // Each round: TX, 100 ms pause, a 102-307 ms listen.
    assert!(
        (Duration::from_secs(24)..Duration::from_secs(50)).contains(&t),
        "{t:?}"
    );
}

#[test]
fn peer_not_listening_at_first_is_reached_by_retries() {
    let mut s = pair_with(WpsMethod::Pbc, 15, WpsMethod::Pbc, 0, 8, |s| {
        s.nodes[1].listen_from = None;
    });
    s.run_ms(1500);
    assert!(s.events(0).is_empty());
    let t = s.now;
    s.nodes[1].listen_from = Some(t);
    s.run_ms(2000);
    assert_agree(&s, 0, 1);
    assert!(s.requests_sent(0) > 3);
}

#[test]
fn lost_confirm_is_sent_again() {
    let mut s = pair(WpsMethod::Pbc, 0, WpsMethod::Pbc, 15, 9);
    let mut lost = 0;
    s.lose = Box::new(move |_, tx| {
        let lose = tx.kind == FrameType::Confirm && lost == 0;
        lost += usize::from(lose);
        lose
    });
    s.run_ms(1000);
    assert_agree(&s, 0, 1);
    let confirms = s.nodes[0]
        .sent
        .iter()
        .filter(|(_, k)| *k == FrameType::Confirm)
        .count();
    assert_eq!(confirms, 2);
}

#[test]
fn confirm_lost_twice_is_assumed_received_by_the_initiator() {
    let mut s = pair(WpsMethod::Pbc, 0, WpsMethod::Pbc, 15, 10);
    s.lose = Box::new(|_, tx| tx.kind == FrameType::Confirm);
    s.run_ms(1000 + CONFIRM_TIMEOUT.as_millis() as u64 + 500);
    assert_eq!(s.success(0).role, Role::Client);
    assert_eq!(s.failure(1), -1, "the responder never saw a Confirm");
}

#[test]
fn lost_response_makes_the_initiator_retry() {
    let mut s = pair(WpsMethod::Pbc, 15, WpsMethod::Pbc, 0, 11);
    let mut lost = 0;
    s.lose = Box::new(move |_, tx| {
        let lose = tx.kind == FrameType::Response && lost == 0;
        lost += usize::from(lose);
        lose
    });
    s.run_ms(3000);
    let (a, _) = assert_agree(&s, 0, 1);
    assert_eq!(a.role, Role::Go);
    assert_eq!(s.requests_sent(0), 2);
}

#[test]
fn crossing_requests_with_a_stale_listen_channel_end_in_one_negotiation() {
    // Seen in the guest (auto-reconnect): node 1 restarted on another listen channel; node
    // 0 (the lower address) sends its Requests to the old one, node 1 its Requests to node
    // 0's. Node 0 must answer node 1 (none of its own Requests was acknowledged), not drop
    // them until its 120 Requests are spent.
    let mut s = Sim::new(vec![node(1, 1, channels_24()), node(2, 2, channels_24())]);
    let c0 = s.connect(1, WpsMethod::Pbc, 3);
    let c1 = s.connect(0, WpsMethod::Pbc, 12);
    assert_ne!(s.listen_freq(1), 2412);
    s.input(0, Input::Initiate { connect: c0, peer_listen_freq: 2412, tie_breaker: None });
    s.initiate(1, c1);
    s.run_ms(3000);
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!((a.role, b.role), (Role::Client, Role::Go));
}

#[test]
fn request_collision_ends_in_one_negotiation() {
    // Both users run P2P_CONNECT at once: the Request from the higher address (node 2)
    // is not answered; node 2 answers node 1's.
    let mut s = Sim::new(vec![node(1, 1, channels_24()), node(2, 2, channels_24())]);
    let c1 = s.connect(1, WpsMethod::Pbc, 3);
    let c2 = s.connect(0, WpsMethod::Pbc, 12);
    s.initiate(0, c1);
    s.initiate(1, c2);
    s.run_ms(3000);
    let (a, b) = assert_agree(&s, 0, 1);
    assert_eq!((a.role, b.role), (Role::Client, Role::Go));
    let responses: Vec<usize> = (0..2)
        .map(|i| {
            s.nodes[i]
                .sent
                .iter()
                .filter(|(_, k)| *k == FrameType::Response)
                .count()
        })
        .collect();
    assert_eq!(responses, [0, 1], "only the higher address answers");
}

#[test]
fn lossy_link_initiator_always_forms_and_both_agree() {
    // 30 % of all frames lost (a lost frame is not ACKed). The initiator always ends
    // with success; the responder too unless both Confirms were lost (then the
    // initiator assumes the second arrived, as wpa_supplicant does, and the responder
    // times out).
    let mut both = 0;
    for seed in 0..20u8 {
        let mut s = pair(WpsMethod::Pbc, 15, WpsMethod::Pbc, 0, seed);
        let mut rng = SeededRandom::new([seed.wrapping_add(200); 32]);
        s.lose = Box::new(move |_, _| {
            let mut b = [0u8; 1];
            rng.fill(&mut b);
            b[0] < 77
        });
        s.run_ms(200_000);
        let a = s.success(0);
        assert_eq!(a.role, Role::Go, "seed {seed}");
        match s.events(1).last() {
            Some(Event::Success(_)) => {
                assert_agree(&s, 0, 1);
                both += 1;
            }
            other => {
                assert!(
                    matches!(
                        other,
                        Some(Event::Failure {
                            reason: FailureReason::Timeout,
                            ..
                        })
                    ),
                    "seed {seed}: {other:?}"
                );
                assert!(
                    !s.nodes[1].received.contains(&FrameType::Confirm),
                    "seed {seed}: failed although a Confirm arrived"
                );
            }
        }
    }
    assert!(both >= 14, "{both}/20 formed on both sides");
}

#[test]
fn cancel_leaves_nothing_behind() {
    let mut s = pair_with(WpsMethod::Pbc, 15, WpsMethod::Pbc, 0, 12, |s| {
        s.nodes[1].present = false;
    });
    s.run_ms(500);
    assert_ne!(s.nodes[0].neg.state_name(), "IDLE");
    s.input(0, Input::Cancel);
    assert_eq!(s.nodes[0].neg.state_name(), "IDLE");
    assert_eq!(s.nodes[0].neg.poll_timeout(), None);
    assert!(!s.nodes[0].neg.is_authorized(s.nodes[1].addr));
    let before = s.requests_sent(0);
    s.run_ms(5000);
    assert_eq!(s.requests_sent(0), before);
    assert!(s.events(0).is_empty(), "P2P_CANCEL reports nothing");
}
