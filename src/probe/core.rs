//! The probe machine: one per group we are in, either role.
//!
//! Driven like every machine here: [`ProbeCore::handle_input`], [`ProbeCore::handle_timeout`],
//! then drain [`ProbeCore::poll_output`] and sleep until [`ProbeCore::poll_timeout`].
//! It never touches the forwarder: it asks for faces, routes, probe Interests and answers
//! through [`Output`], and learns results through [`Input`].
//!
//! The rules (issue 15, after the protocol text and the app as deployed):
//! - on group start, serve `/localhop/wifidirect/<own IP>` (the probe producer);
//! - a non-GO opens a face to the GO (port 6363) and routes `/localhop/wifidirect/<GO IP>`
//!   to it; the GO opens the complementary face when a probe arrives from a group address
//!   it does not know;
//! - every probe interval each ready peer gets `/localhop/wifidirect/<peer>/<own>/probe`
//!   with MustBeFresh; an answer's prefixes replace the routes learnt from that peer and
//!   reset its timeout count; a malformed answer is counted and ignored;
//! - after `max_timeouts` consecutive failures (timeout or Nack) the peer is dropped: its
//!   face (its routes go with it) and its state; a non-GO tries its GO again one interval
//!   later, as a new peer;
//! - answering, the GO lists every FIB prefix, a non-GO the prefixes local applications
//!   registered; never `/localhop` or `/localhost`, and never a prefix whose only next hop
//!   is the asking peer's own face (it could only loop back to it);
//! - group removal drops every peer at once.

use super::answer::{self, AnswerFormat};
use super::name::{self, ProbeName};
use ndn::fw::FaceUri;
use ndn::packet::{Interest, Name};
use ndn::table::FaceId;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, Instant};
use tracing::{debug, info, warn};

/// The NDN port (NFD's default for UDP and TCP).
pub const NDN_PORT: u16 = 6363;
/// Default probe interval (the app's 12 s; the protocol's lower bound is 10 s).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(12);
/// Below this an interval is allowed only with a warning (for tests).
pub const MIN_INTERVAL: Duration = Duration::from_secs(10);
/// Default number of consecutive failed probes before a peer is dropped.
pub const DEFAULT_MAX_TIMEOUTS: u32 = 5;
/// Default InterestLifetime of a probe (NDN's default).
pub const PROBE_LIFETIME: Duration = Duration::from_millis(4000);
/// The first probe to a new peer goes out this long after its face is up (the app's 200 ms).
pub const FIRST_PROBE_DELAY: Duration = Duration::from_millis(200);
/// Cost of the routes learnt from a peer (local applications register with cost 0).
pub const LEARNT_ROUTE_COST: u64 = 10;

/// Which transport the faces to peers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaceScheme {
    #[default]
    Udp,
    Tcp,
}

/// Settings shared by every group's machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeConfig {
    pub interval: Duration,
    pub max_timeouts: u32,
    pub format: AnswerFormat,
    pub scheme: FaceScheme,
    pub port: u16,
}

impl Default for ProbeConfig {
    fn default() -> Self {
        ProbeConfig {
            interval: DEFAULT_INTERVAL,
            max_timeouts: DEFAULT_MAX_TIMEOUTS,
            format: AnswerFormat::Spec,
            scheme: FaceScheme::Udp,
            port: NDN_PORT,
        }
    }
}

impl ProbeConfig {
    /// The InterestLifetime of a probe: 4 s, or less when the interval is shorter, so a
    /// probe never overlaps the next one.
    pub fn lifetime(&self) -> Duration {
        PROBE_LIFETIME.min(self.interval)
    }
}

/// Our role in the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Client,
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Role::Owner => "GO",
            Role::Client => "client",
        })
    }
}

/// The group as the probe machine needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupInfo {
    pub own_ip: Ipv4Addr,
    pub prefix_len: u8,
    pub role: Role,
    /// The GO's address (our own when we are the GO).
    pub go_ip: Ipv4Addr,
}

impl GroupInfo {
    /// Whether `ip` is another address of the group's subnet.
    fn is_member(&self, ip: Ipv4Addr) -> bool {
        let bits = u32::from(self.prefix_len.min(32));
        let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
        ip != self.own_ip
            && (u32::from(ip) & mask) == (u32::from(self.own_ip) & mask)
            && !ip.is_broadcast()
            && (u32::from(ip) | mask) != u32::MAX
            && (u32::from(ip) & !mask) != 0
    }
}

/// One route in the local FIB, as the answer needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FibPrefix {
    pub name: Name,
    /// Next-hop faces.
    pub faces: Vec<FaceId>,
    /// Registered by an application on a local face (Unix socket, loopback, in-process).
    pub local_app: bool,
}

/// Identifies one probe Interest, so a late result for an earlier one is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProbeId(pub u64);

/// Why a probe got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeFailure {
    Timeout,
    Nack,
}

/// What the driver tells the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The group has its addresses.
    GroupUp(GroupInfo),
    /// The group is gone.
    GroupDown,
    /// A probe Interest reached our producer, with the FIB as it stands.
    ProbeInterest { name: Name, fib: Vec<FibPrefix> },
    /// What became of probe `probe` to `peer`: the answer's Content, or why none came.
    ProbeResult { peer: Ipv4Addr, probe: ProbeId, result: Result<Vec<u8>, ProbeFailure> },
    /// The face asked for with [`Output::CreateFace`] is up.
    FaceCreated { peer: Ipv4Addr, face: FaceId },
    /// ... or could not be opened.
    FaceFailed { peer: Ipv4Addr, reason: String },
}

/// Why a peer left the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveReason {
    Timeout,
    GroupRemoved,
}

impl std::fmt::Display for RemoveReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RemoveReason::Timeout => "timeout",
            RemoveReason::GroupRemoved => "group-removed",
        })
    }
}

/// What happened, for the control interface (`NDN-PEER-ADDED` ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    PeerAdded { ip: Ipv4Addr },
    PeerRemoved { ip: Ipv4Addr, reason: RemoveReason },
    /// The routes learnt from `ip` changed; `n` of them now.
    Routes { ip: Ipv4Addr, n: usize },
}

/// What the machine asks the driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // drained one at a time; boxing the Interest buys nothing
pub enum Output {
    /// Serve `prefix` with the probe producer (its Interests come back as `ProbeInterest`).
    Serve { prefix: Name },
    /// Stop serving it.
    Unserve { prefix: Name },
    /// Open a face to a peer; answer with `FaceCreated` or `FaceFailed`.
    CreateFace { peer: Ipv4Addr, uri: FaceUri },
    /// Close a peer's face; every route through it goes with it.
    DestroyFace { peer: Ipv4Addr, face: FaceId },
    AddRoute { prefix: Name, face: FaceId, cost: u64 },
    RemoveRoute { prefix: Name, face: FaceId },
    /// Express a probe; answer with `ProbeResult`.
    Express { peer: Ipv4Addr, probe: ProbeId, interest: Interest },
    /// Answer a probe Interest with a Data of this name and content.
    Answer { name: Name, content: Vec<u8> },
    Event(Event),
}

/// How a peer's face stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// CreateFace sent, waiting for FaceCreated.
    Opening,
    Up { face: FaceId, probe: ProbeState },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProbeState {
    /// The next probe goes out at this time.
    Waiting { next: Instant },
    /// A probe is out; it counts as timed out at `deadline` if no result came.
    Out { id: ProbeId, sent: Instant, deadline: Instant },
}

#[derive(Debug, Clone)]
struct Peer {
    link: Link,
    /// Routes learnt from its last good answer.
    routes: BTreeSet<Name>,
    /// Consecutive failed probes.
    timeouts: u32,
    last_answer: Option<Instant>,
}

/// A peer as `NDN_PEERS` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerView {
    pub ip: Ipv4Addr,
    pub face: Option<FaceId>,
    /// The peer's role in the group.
    pub role: Role,
    pub prefixes: Vec<Name>,
    pub timeouts: u32,
    pub last_answer_age: Option<Duration>,
}

/// Counters, for logs and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub probes_sent: u64,
    pub answers: u64,
    pub malformed_answers: u64,
    pub failures: u64,
    pub probes_answered: u64,
    pub probes_ignored: u64,
}

#[derive(Debug)]
enum State {
    /// Waiting for the group's addresses.
    Idle,
    Up(Up),
    /// The group is gone; the machine does nothing more.
    Gone,
}

#[derive(Debug)]
struct Up {
    group: GroupInfo,
    peers: BTreeMap<Ipv4Addr, Peer>,
    /// A non-GO whose GO was dropped opens a face to it again at this time.
    retry_go_at: Option<Instant>,
}

/// The probe machine of one group.
#[derive(Debug)]
pub struct ProbeCore {
    cfg: ProbeConfig,
    state: State,
    out: VecDeque<Output>,
    next_probe_id: u64,
    stats: Stats,
}

impl ProbeCore {
    pub fn new(cfg: ProbeConfig) -> Self {
        if cfg.interval < MIN_INTERVAL {
            warn!(interval = ?cfg.interval, "probe interval below the protocol's 10 s lower bound (tests only)");
        }
        ProbeCore { cfg, state: State::Idle, out: VecDeque::new(), next_probe_id: 1, stats: Stats::default() }
    }

    pub fn config(&self) -> &ProbeConfig {
        &self.cfg
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The group, while it is up.
    pub fn group(&self) -> Option<&GroupInfo> {
        match &self.state {
            State::Up(up) => Some(&up.group),
            _ => None,
        }
    }

    /// The peer table, for `NDN_PEERS`.
    pub fn peers(&self, now: Instant) -> Vec<PeerView> {
        let State::Up(up) = &self.state else { return Vec::new() };
        up.peers
            .iter()
            .map(|(ip, p)| PeerView {
                ip: *ip,
                face: match p.link {
                    Link::Up { face, .. } => Some(face),
                    Link::Opening => None,
                },
                role: if *ip == up.group.go_ip { Role::Owner } else { Role::Client },
                prefixes: p.routes.iter().cloned().collect(),
                timeouts: p.timeouts,
                last_answer_age: p.last_answer.map(|t| now.saturating_duration_since(t)),
            })
            .collect()
    }

    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        let State::Up(up) = &self.state else { return None };
        let peers = up.peers.values().filter_map(|p| match p.link {
            Link::Up { probe: ProbeState::Waiting { next }, .. } => Some(next),
            Link::Up { probe: ProbeState::Out { deadline, .. }, .. } => Some(deadline),
            Link::Opening => None,
        });
        peers.chain(up.retry_go_at).min()
    }

    pub fn handle_input(&mut self, now: Instant, input: Input) {
        match input {
            Input::GroupUp(group) => self.group_up(group),
            Input::GroupDown => self.group_down(),
            Input::ProbeInterest { name, fib } => self.on_probe(name, &fib),
            Input::ProbeResult { peer, probe, result } => self.on_result(now, peer, probe, result),
            Input::FaceCreated { peer, face } => self.on_face_created(now, peer, face),
            Input::FaceFailed { peer, reason } => self.on_face_failed(now, peer, &reason),
        }
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        let State::Up(up) = &mut self.state else { return };
        if up.retry_go_at.is_some_and(|t| t <= now) {
            up.retry_go_at = None;
            let go = up.group.go_ip;
            if !up.peers.contains_key(&go) {
                info!(peer = %go, "opening a face to the GO again");
                self.open_peer(go);
            }
        }
        let State::Up(up) = &mut self.state else { return };
        let due: Vec<(Ipv4Addr, Option<ProbeId>)> = up
            .peers
            .iter()
            .filter_map(|(ip, p)| match p.link {
                Link::Up { probe: ProbeState::Waiting { next }, .. } if next <= now => Some((*ip, None)),
                Link::Up { probe: ProbeState::Out { id, deadline, .. }, .. } if deadline <= now => Some((*ip, Some(id))),
                _ => None,
            })
            .collect();
        for (ip, out) in due {
            match out {
                Some(id) => self.on_result(now, ip, id, Err(ProbeFailure::Timeout)),
                None => self.send_probe(now, ip),
            }
        }
    }

    fn push(&mut self, o: Output) {
        self.out.push_back(o);
    }

    fn group_up(&mut self, group: GroupInfo) {
        match &self.state {
            State::Idle => {}
            State::Up(up) if up.group == group => return,
            State::Up(_) => {
                // New addresses: the old peers were reached through the old ones.
                self.group_down();
            }
            State::Gone => {}
        }
        info!(own = %group.own_ip, role = %group.role, go = %group.go_ip, "probe protocol up");
        self.state = State::Up(Up { group, peers: BTreeMap::new(), retry_go_at: None });
        self.push(Output::Serve { prefix: name::node_prefix(group.own_ip) });
        if group.role == Role::Client {
            self.open_peer(group.go_ip);
        }
    }

    fn group_down(&mut self) {
        let State::Up(up) = std::mem::replace(&mut self.state, State::Gone) else {
            self.state = State::Gone;
            return;
        };
        for (ip, p) in up.peers {
            if let Link::Up { face, .. } = p.link {
                self.push(Output::DestroyFace { peer: ip, face });
                self.push(Output::Event(Event::PeerRemoved { ip, reason: RemoveReason::GroupRemoved }));
            }
        }
        self.push(Output::Unserve { prefix: name::node_prefix(up.group.own_ip) });
        info!(own = %up.group.own_ip, "probe protocol down: group removed");
    }

    fn open_peer(&mut self, ip: Ipv4Addr) {
        let State::Up(up) = &mut self.state else { return };
        up.peers.insert(ip, Peer { link: Link::Opening, routes: BTreeSet::new(), timeouts: 0, last_answer: None });
        let addr = SocketAddrV4::new(ip, self.cfg.port);
        let uri = match self.cfg.scheme {
            FaceScheme::Udp => FaceUri::Udp4(addr),
            FaceScheme::Tcp => FaceUri::Tcp4(addr),
        };
        debug!(peer = %ip, %uri, "opening a face");
        self.push(Output::CreateFace { peer: ip, uri });
    }

    fn on_face_created(&mut self, now: Instant, ip: Ipv4Addr, face: FaceId) {
        let State::Up(up) = &mut self.state else {
            // The group went away while the face was opening.
            self.push(Output::DestroyFace { peer: ip, face });
            return;
        };
        let Some(peer) = up.peers.get_mut(&ip).filter(|p| p.link == Link::Opening) else {
            self.push(Output::DestroyFace { peer: ip, face });
            return;
        };
        peer.link = Link::Up { face, probe: ProbeState::Waiting { next: now + FIRST_PROBE_DELAY } };
        info!(peer = %ip, face, "peer added");
        self.push(Output::AddRoute { prefix: name::node_prefix(ip), face, cost: 0 });
        self.push(Output::Event(Event::PeerAdded { ip }));
    }

    fn on_face_failed(&mut self, now: Instant, ip: Ipv4Addr, reason: &str) {
        let State::Up(up) = &mut self.state else { return };
        if !up.peers.get(&ip).is_some_and(|p| p.link == Link::Opening) {
            return;
        }
        up.peers.remove(&ip);
        warn!(peer = %ip, reason, "cannot open a face to the peer");
        if ip == up.group.go_ip && up.group.role == Role::Client {
            up.retry_go_at = Some(now + self.cfg.interval);
        }
    }

    fn send_probe(&mut self, now: Instant, ip: Ipv4Addr) {
        let State::Up(up) = &mut self.state else { return };
        let own = up.group.own_ip;
        let Some(Peer { link: Link::Up { probe, .. }, .. }) = up.peers.get_mut(&ip) else { return };
        let id = ProbeId(self.next_probe_id);
        self.next_probe_id += 1;
        let lifetime = self.cfg.lifetime();
        // A little grace past the lifetime, so the driver's own timeout normally comes first.
        *probe = ProbeState::Out { id, sent: now, deadline: now + lifetime + lifetime / 4 };
        let mut interest = Interest::new(name::probe_name(ip, own));
        interest.must_be_fresh = true;
        interest.lifetime_ms = Some(lifetime.as_millis() as u64);
        self.stats.probes_sent += 1;
        debug!(peer = %ip, probe = id.0, "probe");
        self.push(Output::Express { peer: ip, probe: id, interest });
    }

    fn on_result(&mut self, now: Instant, ip: Ipv4Addr, id: ProbeId, result: Result<Vec<u8>, ProbeFailure>) {
        let interval = self.cfg.interval;
        let max = self.cfg.max_timeouts.max(1);
        let State::Up(up) = &mut self.state else { return };
        let Some(peer) = up.peers.get_mut(&ip) else { return };
        let Link::Up { face, probe } = &mut peer.link else { return };
        let face = *face;
        let ProbeState::Out { id: out, sent, .. } = *probe else { return };
        if out != id {
            return; // a late result for an earlier probe
        }
        *probe = ProbeState::Waiting { next: sent + interval };
        let content = match result {
            Ok(c) => c,
            Err(why) => {
                peer.timeouts += 1;
                self.stats.failures += 1;
                debug!(peer = %ip, ?why, timeouts = peer.timeouts, "probe failed");
                if peer.timeouts >= max {
                    warn!(peer = %ip, timeouts = peer.timeouts, "peer dropped after consecutive probe failures");
                    up.peers.remove(&ip);
                    if ip == up.group.go_ip && up.group.role == Role::Client {
                        up.retry_go_at = Some(now + interval);
                    }
                    self.push(Output::DestroyFace { peer: ip, face });
                    self.push(Output::Event(Event::PeerRemoved { ip, reason: RemoveReason::Timeout }));
                }
                return;
            }
        };
        let names = match answer::parse(&content) {
            Ok((_, names)) => names,
            Err(e) => {
                self.stats.malformed_answers += 1;
                warn!(peer = %ip, error = %e, len = content.len(), "malformed probe answer ignored");
                return;
            }
        };
        self.stats.answers += 1;
        peer.timeouts = 0;
        let first = peer.last_answer.replace(now).is_none();
        let own_prefix = name::node_prefix(up.group.own_ip);
        let new: BTreeSet<Name> = names
            .into_iter()
            .filter(|n| {
                let keep = !is_scoped(n) && !n.starts_with(&own_prefix);
                if !keep {
                    debug!(peer = %ip, prefix = %n, "scoped prefix in an answer skipped");
                }
                keep
            })
            .collect();
        let changed = new != peer.routes;
        let gone: Vec<Name> = peer.routes.difference(&new).cloned().collect();
        let added: Vec<Name> = new.difference(&peer.routes).cloned().collect();
        peer.routes = new;
        let n = peer.routes.len();
        for prefix in gone {
            self.push(Output::RemoveRoute { prefix, face });
        }
        for prefix in added {
            self.push(Output::AddRoute { prefix, face, cost: LEARNT_ROUTE_COST });
        }
        // Reported on the first answer (even an empty one) and on every change.
        if changed || first {
            info!(peer = %ip, n, "routes learnt from the peer");
            self.push(Output::Event(Event::Routes { ip, n }));
        }
    }

    fn on_probe(&mut self, name: Name, fib: &[FibPrefix]) {
        let State::Up(up) = &mut self.state else {
            self.stats.probes_ignored += 1;
            return;
        };
        let ProbeName { target, sender } = match name::parse_probe_name(&name) {
            Ok(p) => p,
            Err(e) => {
                self.stats.probes_ignored += 1;
                debug!(%name, error = %e, "not a probe");
                return;
            }
        };
        if target != up.group.own_ip || !up.group.is_member(sender) {
            self.stats.probes_ignored += 1;
            debug!(%name, "probe for another address or from outside the group ignored");
            return;
        }
        let group = up.group;
        let asker_face = match up.peers.get(&sender).map(|p| p.link) {
            Some(Link::Up { face, .. }) => Some(face),
            Some(Link::Opening) => None,
            None => {
                // A GO learns its clients from their probes; a client takes its GO back.
                if group.role == Role::Owner || sender == group.go_ip {
                    info!(peer = %sender, "probe from an unknown group address: opening the complementary face");
                    up.retry_go_at = None;
                    self.open_peer(sender);
                }
                None
            }
        };
        let prefixes = answer_prefixes(group.role, fib, asker_face);
        self.stats.probes_answered += 1;
        debug!(peer = %sender, n = prefixes.len(), "answering a probe");
        let content = answer::encode(self.cfg.format, &prefixes);
        self.push(Output::Answer { name, content });
    }
}

/// Whether a prefix must never cross the group (`/localhost`, `/localhop`).
pub fn is_scoped(name: &Name) -> bool {
    matches!(name.get(0).map(|c| c.value), Some(b"localhost" | b"localhop"))
}

/// The prefixes an answer lists: a GO every FIB prefix, a client only those local
/// applications registered; never scoped ones, never one that only leads back to the
/// asking peer's face.
pub fn answer_prefixes(role: Role, fib: &[FibPrefix], asker_face: Option<FaceId>) -> Vec<Name> {
    let mut v: Vec<Name> = fib
        .iter()
        .filter(|p| !is_scoped(&p.name))
        .filter(|p| match role {
            Role::Owner => true,
            Role::Client => p.local_app,
        })
        .filter(|p| !(asker_face.is_some() && !p.faces.is_empty() && p.faces.iter().all(|f| Some(*f) == asker_face)))
        .map(|p| p.name.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The FIB as the answer needs it, read from a forwarder: every RIB prefix with its
/// next-hop faces, and whether an application on a local face registered it.
pub fn fib_snapshot(fw: &ndn::fw::Forwarder) -> Vec<FibPrefix> {
    fw.rib()
        .iter()
        .map(|(name, routes)| FibPrefix {
            name: name.clone(),
            faces: routes.iter().map(|r| r.face).collect(),
            local_app: routes.iter().any(|r| {
                r.origin == ndn::fw::origin::APP
                    && fw.face_info(r.face).is_some_and(|i| i.scope == ndn::fw::FaceScope::Local)
            }),
        })
        .collect()
}
