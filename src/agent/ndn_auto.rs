//! `--ndn-auto` (issue #15): NDN peers found and connected with no one at the keyboard, as
//! the NDN-over-Wi-Fi-Direct app's aggressive mode did: every discovery interval a device
//! that is in no group looks for devices whose name starts with the configured prefix
//! (`--ndn-peer-prefix`, default `ndn-`) and connects to one, so that the probe protocol
//! (`crate::probe`) can then learn the peers' prefixes over the group.
//!
//! The rules (one group per device, as the rest of directd):
//! - **In no group**: a discovery round (a find of at most [`ROUND`]) starts at once and then
//!   every `--ndn-discovery-interval` (default 30 s); between rounds the device listens, so
//!   that searching peers find it. The first matching peer seen in the round is connected
//!   to with push button: a peer running a group is joined (provision discovery, then
//!   WPS), any other is negotiated with (GO intent 7, so either may become GO). A peer
//!   whose attempt failed is left alone for [`COOLDOWN`], unless it has started a group
//!   since (joining it is another attempt).
//! - **Asked**: in no group, a GO Negotiation Request from a matching device is answered at
//!   once (push button, as after `P2P_CONNECT <peer> pbc auth`); any other is left to the
//!   user (`P2P-GO-NEG-REQUEST`, as without `--ndn-auto`).
//! - **As GO**: a matching device's push-button provision discovery arms the group's
//!   registrar while the group has fewer than `--ndn-max-peers` (default 5) clients; no
//!   rounds (peers come to the group).
//! - **As client**: nothing; when the group ends, the rounds start again.
//!
//! Groups do not merge: two pairs that formed at the same moment stay two groups.
//!
//! [`NdnAuto`] is the decision, sans-IO with the time passed in; the glue at the end of
//! this file performs it with the code `P2P_FIND`, `P2P_LISTEN`, `P2P_CONNECT ... auto`
//! and `WPS_PBC` run.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use tracing::{info, warn};

use super::Agent;
use crate::ctrl::{ConnectParams, Event, GroupRole, MacAddr, Reply};

/// The default of `--ndn-discovery-interval` (the app's: every 30 s).
pub const DEFAULT_DISCOVERY_INTERVAL: Duration = Duration::from_secs(30);
/// The default of `--ndn-peer-prefix`.
pub const DEFAULT_PEER_PREFIX: &str = "ndn-";
/// The default of `--ndn-max-peers` (the app's cap).
pub const DEFAULT_MAX_PEERS: usize = 5;
/// The longest a discovery round searches (shorter when the interval is: two thirds of
/// it); it ends at the first matching peer.
pub const ROUND: Duration = Duration::from_secs(10);
/// The first round starts this long after the start (the app's first discovery: 100 ms).
pub const FIRST_ROUND: Duration = Duration::from_millis(100);
/// How long a connection may take (negotiation or provision discovery, WPS, 4-way, and
/// the peer's own retries) before it counts as failed.
pub const CONNECT_LIMIT: Duration = Duration::from_secs(45);
/// How long a peer whose connection failed is not tried again.
pub const COOLDOWN: Duration = Duration::from_secs(60);
/// The GO intent used: either side may become GO.
pub const NDN_AUTO_GO_INTENT: u8 = 7;

/// `--ndn-auto` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NdnAutoConfig {
    /// `--ndn-discovery-interval`.
    pub interval: Duration,
    /// `--ndn-peer-prefix`: the device names connected to.
    pub prefix: String,
    /// `--ndn-max-peers`: clients a group we own takes.
    pub max_peers: usize,
}

impl Default for NdnAutoConfig {
    fn default() -> Self {
        NdnAutoConfig { interval: DEFAULT_DISCOVERY_INTERVAL, prefix: DEFAULT_PEER_PREFIX.to_owned(), max_peers: DEFAULT_MAX_PEERS }
    }
}

impl NdnAutoConfig {
    /// Whether a device of this name is one of ours to connect to.
    pub fn matches(&self, name: &[u8]) -> bool {
        name.starts_with(self.prefix.as_bytes())
    }

    fn round(&self) -> Duration {
        ROUND.min(self.interval * 2 / 3)
    }
}

/// What the machine was told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// A group of ours started (either role).
    GroupStarted { ifname: String, role: GroupRole },
    /// A group of ours ended.
    GroupRemoved { ifname: String },
    /// The connection under way failed (negotiation or formation).
    Failed,
    /// A matching peer asked to negotiate, and is answered.
    Asked { peer: MacAddr },
}

/// What the agent is to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Start a discovery round.
    Find,
    /// End the round (or an attempt) and listen until the next.
    Listen,
    /// Connect to the peer (join its group, or negotiate).
    Connect { peer: MacAddr },
    /// Give up the connection under way.
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Before the first input.
    Start,
    /// In no group, listening until the next round.
    Waiting { next: Instant },
    /// In no group, finding until `until`; only peers seen since `since` count.
    Searching { since: Instant, until: Instant, next: Instant },
    /// Connecting to `peer` until `deadline`; `go`: it ran a group (we join it).
    Connecting { peer: MacAddr, go: bool, deadline: Instant, next: Instant },
    /// In a group.
    InGroup { ifname: String, role: GroupRole },
}

/// The decision. See the module documentation.
#[derive(Debug)]
pub struct NdnAuto {
    cfg: NdnAutoConfig,
    state: State,
    /// Peers whose connection failed, and until when they are left alone.
    /// Peers whose connection failed: until when they are left alone, and whether they
    /// ran a group then (a peer that failed to negotiate and now runs a group is joined at
    /// once: that is another attempt).
    cooling: BTreeMap<MacAddr, (Instant, bool)>,
    actions: VecDeque<Action>,
}

impl NdnAuto {
    pub fn new(cfg: NdnAutoConfig) -> NdnAuto {
        NdnAuto { cfg, state: State::Start, cooling: BTreeMap::new(), actions: VecDeque::new() }
    }

    pub fn config(&self) -> &NdnAutoConfig {
        &self.cfg
    }

    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.state {
            State::Start | State::InGroup { .. } => None,
            State::Waiting { next } => Some(*next),
            State::Searching { until, .. } => Some(*until),
            State::Connecting { deadline, .. } => Some(*deadline),
        }
    }

    /// The round's start while searching: a candidate must have been seen since.
    pub fn searching_since(&self) -> Option<Instant> {
        match self.state {
            State::Searching { since, .. } => Some(since),
            _ => None,
        }
    }

    /// Whether a peer may be tried now.
    pub fn may_try(&self, now: Instant, peer: MacAddr, go: bool) -> bool {
        self.cooling.get(&peer).is_none_or(|(until, was_go)| now >= *until || *was_go != go)
    }

    /// Whether a matching peer's request to negotiate is answered now (in no group, not
    /// connecting to someone else).
    pub fn answers(&self, peer: MacAddr) -> bool {
        match &self.state {
            State::Waiting { .. } | State::Searching { .. } => true,
            State::Connecting { peer: p, .. } => *p == peer,
            State::Start | State::InGroup { .. } => false,
        }
    }

    /// Whether we own a group (its registrar is armed for matching peers).
    pub fn owner_of(&self) -> Option<&str> {
        match &self.state {
            State::InGroup { ifname, role: GroupRole::Go } => Some(ifname),
            _ => None,
        }
    }

    /// The first input: the first round soon.
    pub fn start(&mut self, now: Instant) {
        if self.state == State::Start {
            self.state = State::Waiting { next: now + FIRST_ROUND };
        }
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state.clone() {
            State::Waiting { next } if now >= next => {
                let until = now + self.cfg.round();
                self.state = State::Searching { since: now, until, next: now + self.cfg.interval };
                self.actions.push_back(Action::Find);
            }
            State::Searching { until, next, .. } if now >= until => {
                self.state = State::Waiting { next };
                self.actions.push_back(Action::Listen);
            }
            State::Connecting { peer, go, deadline, next } if now >= deadline => {
                info!(%peer, "ndn-auto: the connection did not come up in time");
                self.cancel_attempt(now, peer, go, next);
            }
            _ => {}
        }
    }

    /// A matching peer seen in the round (`go`: running a group): connect to it.
    pub fn found(&mut self, now: Instant, peer: MacAddr, go: bool) {
        if let State::Searching { next, .. } = self.state {
            self.state = State::Connecting { peer, go, deadline: now + CONNECT_LIMIT, next };
            self.actions.push_back(Action::Connect { peer });
        }
    }

    /// Our connect was refused at once.
    pub fn refused(&mut self, now: Instant, peer: MacAddr) {
        if let State::Connecting { go, next, .. } = self.state {
            self.cooling.insert(peer, (now + COOLDOWN, go));
            // The round goes on (its deadline is the next round's start at the latest).
            let until = next.min(now + self.cfg.round());
            self.state = State::Searching { since: now, until, next };
        }
    }

    pub fn handle(&mut self, now: Instant, seen: Seen) {
        match (self.state.clone(), seen) {
            (_, Seen::GroupStarted { ifname, role }) => {
                info!(%ifname, ?role, "ndn-auto: in a group");
                self.state = State::InGroup { ifname, role };
            }
            (State::InGroup { ifname, .. }, Seen::GroupRemoved { ifname: gone }) if ifname == gone => {
                info!(%ifname, "ndn-auto: the group ended; looking for peers again");
                self.state = State::Waiting { next: now + FIRST_ROUND };
            }
            (State::Connecting { peer, go, next, .. }, Seen::Failed) => {
                info!(%peer, "ndn-auto: the connection failed");
                self.cancel_attempt(now, peer, go, next);
            }
            (State::Waiting { next } | State::Searching { next, .. }, Seen::Asked { peer }) => {
                info!(%peer, "ndn-auto: answering the peer's GO negotiation");
                self.state = State::Connecting { peer, go: false, deadline: now + CONNECT_LIMIT, next };
            }
            _ => {}
        }
    }

    fn cancel_attempt(&mut self, now: Instant, peer: MacAddr, go: bool, next: Instant) {
        self.cooling.insert(peer, (now + COOLDOWN, go));
        self.cooling.retain(|_, (until, _)| *until > now);
        self.state = State::Waiting { next: next.max(now + FIRST_ROUND) };
        self.actions.push_back(Action::Cancel);
        self.actions.push_back(Action::Listen);
    }
}

/// The machine and what the agent saw for it since the last drive.
pub(super) struct NdnAutoDriver {
    pub m: NdnAuto,
    seen: VecDeque<Seen>,
    /// Push-button provision discoveries to our group, to be armed for.
    pbc_asks: VecDeque<(MacAddr, String)>,
}

impl NdnAutoDriver {
    pub fn new(cfg: NdnAutoConfig) -> NdnAutoDriver {
        NdnAutoDriver { m: NdnAuto::new(cfg), seen: VecDeque::new(), pbc_asks: VecDeque::new() }
    }

    /// One of the agent's events, as the machine sees it.
    pub fn observe(&mut self, e: &Event) {
        let seen = match e {
            Event::GroupStarted { ifname, role, .. } => Seen::GroupStarted { ifname: ifname.clone(), role: *role },
            Event::GroupRemoved { ifname, .. } => Seen::GroupRemoved { ifname: ifname.clone() },
            Event::GoNegFailure { .. } | Event::GroupFormationFailure { .. } => Seen::Failed,
            Event::ProvDiscPbcReq { peer, details } => {
                self.pbc_asks.push_back((*peer, details.name.clone()));
                return;
            }
            _ => return,
        };
        self.seen.push_back(seen);
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        self.m.poll_timeout()
    }
}

impl Agent {
    /// Runs `--ndn-auto` after every input: starts it, feeds what was seen, looks for a
    /// peer while searching, and performs its actions.
    pub(super) fn ndn_auto_drive(&mut self, now: Instant) {
        let Some(n) = &mut self.ndn_auto else { return };
        n.m.start(now);
        if n.m.poll_timeout().is_some_and(|t| now >= t) {
            n.m.handle_timeout(now);
        }
        for _ in 0..64 {
            let Some(n) = &mut self.ndn_auto else { return };
            if let Some(action) = n.m.poll_action() {
                self.ndn_auto_act(now, action);
                continue;
            }
            if let Some(seen) = n.seen.pop_front() {
                n.m.handle(now, seen);
                continue;
            }
            if let Some((peer, name)) = n.pbc_asks.pop_front() {
                self.ndn_auto_pbc_ask(now, peer, &name);
                continue;
            }
            let Some(since) = n.m.searching_since() else { return };
            match self.ndn_auto_candidate(now, since) {
                Some((peer, go)) => {
                    if let Some(n) = &mut self.ndn_auto {
                        n.m.found(now, peer, go);
                    }
                }
                None => return,
            }
        }
        warn!("ndn-auto: too many steps in one input; going on with the next");
    }

    /// A matching peer seen in this round that may be tried: a GO first (joined), then
    /// any other listening device (negotiated with); whether it runs a group.
    fn ndn_auto_candidate(&self, now: Instant, since: Instant) -> Option<(MacAddr, bool)> {
        let n = self.ndn_auto.as_ref()?;
        if !self.groups.is_empty() || self.gneg.neg.active_peer().is_some() {
            return None;
        }
        let mut best: Option<(bool, MacAddr)> = None;
        for p in self.peers().iter() {
            let go = p.group.is_some();
            // A GO provisioning its negotiated peer takes no one else yet.
            let forming = p.group_capab & crate::p2p::wire::GroupCapability::GROUP_FORMATION.bits() != 0;
            let usable = p.dev_addr != self.dev.addr
                && n.m.config().matches(p.name.as_bytes())
                && p.is_reachable()
                && p.last_seen >= since
                && !forming
                && (go || p.listen_freq.is_some())
                && n.m.may_try(now, p.dev_addr, go);
            if usable && best.is_none_or(|(g, _)| go && !g) {
                best = Some((go, p.dev_addr));
            }
        }
        best.map(|(go, a)| (a, go))
    }

    fn ndn_auto_act(&mut self, now: Instant, action: Action) {
        match action {
            Action::Find => {
                info!("ndn-auto: discovery round");
                if self.find(now, &crate::ctrl::FindParams::default()) != Reply::Ok {
                    warn!("ndn-auto: the find did not start");
                }
            }
            Action::Listen => {
                self.stop_find(now);
                if self.groups.is_empty() && self.listen(now, None) != Reply::Ok {
                    warn!("ndn-auto: the listen did not start");
                }
            }
            Action::Connect { peer } => {
                self.stop_find(now);
                let go = self.knows_group(peer);
                info!(%peer, how = if go { "join" } else { "negotiate" }, "ndn-auto: connecting to a peer");
                let p = ConnectParams { go_intent: Some(NDN_AUTO_GO_INTENT), auto: true, ..ConnectParams::pbc(peer) };
                let reply = self.connect(now, super::ReplyToken(u64::MAX), p);
                if !matches!(reply, None | Some(Reply::Ok)) {
                    warn!(%peer, ?reply, "ndn-auto: the connection did not start");
                    if let Some(n) = &mut self.ndn_auto {
                        n.m.refused(now, peer);
                    }
                }
            }
            Action::Cancel => {
                // The negotiation, a join under way, or a group still forming.
                let _ = self.cancel(now);
            }
        }
    }

    /// A GO Negotiation Request: from a matching device while we are in no group, it is
    /// answered at once with push button.
    pub(super) fn ndn_auto_screen_request(&mut self, now: Instant, sa: MacAddr, name: &[u8]) {
        let Some(n) = &self.ndn_auto else { return };
        if !n.m.config().matches(name) || !n.m.answers(sa) || !self.groups.is_empty() {
            return;
        }
        self.authorize_pbc(now, sa, NDN_AUTO_GO_INTENT, None, false);
        if let Some(n) = &mut self.ndn_auto {
            n.m.handle(now, Seen::Asked { peer: sa });
        }
    }

    /// A push-button provision discovery to our group from a matching device: the
    /// registrar is armed while the group has room.
    fn ndn_auto_pbc_ask(&mut self, now: Instant, peer: MacAddr, name: &str) {
        let Some(n) = &self.ndn_auto else { return };
        let Some(ifname) = n.m.owner_of().map(str::to_owned) else { return };
        if !n.m.config().matches(name.as_bytes()) {
            return;
        }
        let max = n.m.config().max_peers;
        let Some(super::Group::Owner(o)) = self.groups.get(&ifname) else { return };
        let clients = o.go.clients().len();
        if clients >= max {
            return info!(%peer, clients, max, "ndn-auto: the group is full; the peer is not let in");
        }
        info!(%peer, %ifname, "ndn-auto: push button armed for the peer");
        self.go_input(now, &ifname, super::owner::GoIn::WpsPbc);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn drain(m: &mut NdnAuto) -> Vec<Action> {
        std::iter::from_fn(|| m.poll_action()).collect()
    }

    const P: MacAddr = MacAddr([2, 0, 0, 0, 1, 0]);

    #[test]
    fn rounds_repeat_at_the_interval_and_listen_between() {
        let t0 = Instant::now();
        let mut m = NdnAuto::new(NdnAutoConfig::default());
        m.start(t0);
        assert_eq!(m.poll_timeout(), Some(t0 + FIRST_ROUND));
        m.handle_timeout(t0 + FIRST_ROUND);
        assert_eq!(drain(&mut m), [Action::Find]);
        let t1 = t0 + FIRST_ROUND + ROUND;
        assert_eq!(m.poll_timeout(), Some(t1));
        m.handle_timeout(t1);
        assert_eq!(drain(&mut m), [Action::Listen]);
        // The next round starts one interval after the first.
        assert_eq!(m.poll_timeout(), Some(t0 + FIRST_ROUND + DEFAULT_DISCOVERY_INTERVAL));
    }

    #[test]
    fn a_failed_peer_cools_down_and_a_group_stops_the_rounds() {
        let t0 = Instant::now();
        let mut m = NdnAuto::new(NdnAutoConfig::default());
        m.start(t0);
        m.handle_timeout(t0 + FIRST_ROUND);
        drain(&mut m);
        let t = t0 + Duration::from_secs(2);
        m.found(t, P, false);
        assert_eq!(drain(&mut m), [Action::Connect { peer: P }]);
        assert!(!m.answers(MacAddr([2, 0, 0, 0, 2, 0])), "connecting to one peer, another's request waits");
        m.handle(t, Seen::Failed);
        assert_eq!(drain(&mut m), [Action::Cancel, Action::Listen]);
        assert!(!m.may_try(t, P, false));
        assert!(m.may_try(t + COOLDOWN, P, false));
        // The peer that failed to negotiate runs a group now: joining it is another try.
        assert!(m.may_try(t, P, true));
        // A connection that never comes up fails at the limit.
        m.handle_timeout(m.poll_timeout().unwrap());
        drain(&mut m);
        let t2 = t0 + DEFAULT_DISCOVERY_INTERVAL + Duration::from_secs(1);
        let q = MacAddr([2, 0, 0, 0, 3, 0]);
        m.found(t2, q, true);
        drain(&mut m);
        m.handle_timeout(t2 + CONNECT_LIMIT);
        assert_eq!(drain(&mut m), [Action::Cancel, Action::Listen]);
        assert!(!m.may_try(t2 + CONNECT_LIMIT, q, true));
        // In a group: no rounds until it ends.
        m.handle(t2, Seen::GroupStarted { ifname: "p2p-wlan0-0".into(), role: GroupRole::Go });
        assert_eq!(m.poll_timeout(), None);
        assert_eq!(m.owner_of(), Some("p2p-wlan0-0"));
        assert!(!m.answers(q));
        m.handle(t2, Seen::GroupRemoved { ifname: "p2p-wlan0-1".into() });
        assert_eq!(m.poll_timeout(), None, "another group's end changes nothing");
        m.handle(t2, Seen::GroupRemoved { ifname: "p2p-wlan0-0".into() });
        assert_eq!(m.poll_timeout(), Some(t2 + FIRST_ROUND));
    }

    #[test]
    fn a_short_interval_shortens_the_round() {
        let c = NdnAutoConfig { interval: Duration::from_secs(6), ..Default::default() };
        assert_eq!(c.round(), Duration::from_secs(4));
        assert!(c.matches(b"ndn-tv"));
        assert!(!c.matches(b"tv-ndn"));
    }
}
