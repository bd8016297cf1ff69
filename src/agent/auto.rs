//! The automatic mode (issue #14; what ConnectCore's `p2plink` ifupdown hook does with
//! wpa_supplicant, `p2p-flows.md` section 5): one configured peer, connected on start with
//! no one at the keyboard, and kept connected.
//!
//! [`AutoLink`] is the decision, a sans-IO machine with the time passed in: it is told
//! what happened ([`Seen`], derived from the agent's own events) and says what to do
//! ([`Action`]); the agent performs the actions with the code `P2P_FIND`, `P2P_LISTEN`,
//! `P2P_CONNECT` and `P2P_GROUP_REMOVE` run (the glue at the end of this file).
//!
//! An attempt:
//! 1. The peer table is flushed (a restarted peer may listen elsewhere now), the peer is
//!    authorised for push button (its GO Negotiation Request is answered at once, as after
//!    `P2P_CONNECT <peer> pbc auth`) and a find runs, for the discovery window.
//! 2. The peer seen (a Probe Response of its listen, not only its Probe Requests): GO
//!    negotiation with PBC, GO intent 7 so either side may be GO, `--freq` as the forced
//!    channel. When both ends do this at once, both send Requests; the negotiator answers
//!    only the Request from the lower address (hostap's collision rule), so the two
//!    converge on one negotiation.
//! 3. The group forms (either role; the local address is the configured one, see
//!    `config::AutoConfig::local_address`). The link is up when we joined the peer's group,
//!    or the peer associated to ours: `P2P-AUTO-CONNECTED`.
//!
//! A failed negotiation or formation within the window starts the search again. The window
//! over without a link: `P2P-AUTO-FAILED reason=...` and, unless `--once` (directd then
//! exits non-zero), a new attempt after [`BACKOFF_SECS`] (10, 20, 40, 80, 160, then every
//! 300 s; reset by a link), listening meanwhile so that a peer that boots later finds us
//! and its Request is answered. The link lost (our client group removed, the peer gone
//! from our GO, or the peer negotiating anew while we still had the group):
//! `P2P-AUTO-LINK-LOST`, our group (if any) removed, and a new attempt at once.
//!
//! Any other device's GO Negotiation Request is refused (status 11, as after
//! `P2P_REJECT`); our group's registrar is armed for the negotiated peer only.
//!
//! `--persistent`: the negotiation asks for a persistent group (stored on both sides),
//! and the first try of each later attempt re-invokes the group stored with the peer
//! (`P2P_INVITE persistent=`) instead of negotiating; its `P2P-INVITATION-RESULT` stands
//! for the negotiation's outcome (a refusal: the next try negotiates), and the peer's
//! accepted re-invocation (`P2P-INVITATION-ACCEPTED ... persistent=`) for a successful
//! negotiation. So that two directd do not re-invoke at once, the end with the higher
//! device address waits [`REINVOKE_YIELD`] for the peer's re-invocation before its own
//! (and a crossing that happens anyway is settled by the invitation machine: the higher
//! address yields).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tracing::{info, warn};

use super::Agent;
use crate::config::AutoConfig;
use crate::ctrl::{AutoEvent, AutoFailure, ConnectParams, Event, GroupRemovalReason, GroupRole, MacAddr, Reply};

/// The pause before attempt n+1 after n windows in a row ended without a link (seconds).
pub const BACKOFF_SECS: [u64; 6] = [10, 20, 40, 80, 160, 300];
/// How long a negotiated group may take to come up: wpa_supplicant's formation deadline
/// (15 s plus the peer's configuration timeout) and a client's scan for the GO (10 s). A
/// client whose GO never started (the GO's side of the negotiation failed: its Confirm
/// came too late) would otherwise go on associating to nothing.
pub const FORMING_LIMIT: Duration = Duration::from_secs(30);
/// `--persistent`, both ends directd: each would re-invoke the stored group as soon as it
/// finds the other, and their Invitation Requests would cross. The end with the higher P2P
/// device address (the one that yields in GO negotiation's collision rule and in crossing
/// invitations) leaves the first re-invocation of an attempt to the peer for this long
/// after its search starts (its find's listens answer the peer's Request), and re-invokes
/// itself only after.
pub const REINVOKE_YIELD: Duration = Duration::from_secs(15);
/// The GO intent of the automatic mode: either side may become GO (the tie breaker
/// decides between two directd).
pub const AUTO_GO_INTENT: u8 = 7;

/// What happened, as far as the automatic mode cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// The peer is in the peer table, reachable, during a search.
    PeerFound,
    /// The peer sent a GO Negotiation Request we were not ready for (answered status 1).
    PeerAsks,
    /// GO negotiation with the peer succeeded.
    NegSuccess,
    /// GO negotiation failed.
    NegFailure,
    /// Our `P2P_CONNECT` was refused at once.
    ConnectRefused,
    /// A group started on our side.
    GroupStarted { ifname: String, role: GroupRole },
    /// The peer associated to our GO.
    PeerAssociated,
    /// The group did not form.
    FormationFailed,
    /// A group of ours ended.
    GroupRemoved { ifname: String },
    /// The peer left our GO.
    PeerLeft,
}

/// What the agent is to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Flush the peers, authorise the peer, find.
    Search,
    /// Authorise the peer, listen (between attempts).
    Listen,
    /// Stop finding or listening.
    StopFind,
    /// GO negotiation with the peer.
    Connect,
    /// GO negotiation with the peer that just asked (answered status 1): to the listen
    /// channel its Request named, not to a peer table entry that may be stale.
    ConnectAsked,
    /// Stop a group formation under way.
    Cancel,
    /// Remove our group.
    EndGroup { ifname: String },
    /// Tell the user.
    Event(AutoEvent),
    /// `--once`: stop directd with this failure.
    GiveUp(AutoFailure),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Before the first input.
    Start,
    /// Finding the peer until `deadline`; `last` is the failure of an earlier negotiation
    /// in this attempt.
    Searching { deadline: Instant, last: Option<AutoFailure> },
    /// Negotiating (the negotiator has its own limits).
    Negotiating { deadline: Instant },
    /// The group forms: our interface once started, whether the peer associated (GO).
    Forming { deadline: Instant, limit: Instant, ifname: Option<(String, GroupRole)>, peer_in: bool },
    Connected { ifname: String, role: GroupRole },
    /// Listening until the next attempt.
    Backoff { until: Instant },
    /// `--once` gave up.
    Stopped,
}

/// The automatic mode's decision. See the module documentation.
#[derive(Debug)]
pub struct AutoLink {
    cfg: AutoConfig,
    state: State,
    attempt: u32,
    /// Windows in a row that ended without a link.
    failed_windows: u32,
    actions: VecDeque<Action>,
}

impl AutoLink {
    pub fn new(cfg: AutoConfig) -> AutoLink {
        AutoLink { cfg, state: State::Start, attempt: 0, failed_windows: 0, actions: VecDeque::new() }
    }

    pub fn peer(&self) -> MacAddr {
        self.cfg.peer
    }

    pub fn config(&self) -> &AutoConfig {
        &self.cfg
    }

    /// The state's name, for logs and tests.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            State::Start => "START",
            State::Searching { .. } => "SEARCHING",
            State::Negotiating { .. } => "NEGOTIATING",
            State::Forming { .. } => "FORMING",
            State::Connected { .. } => "CONNECTED",
            State::Backoff { .. } => "BACKOFF",
            State::Stopped => "STOPPED",
        }
    }

    /// Whether it looks for the peer in the peer table.
    pub fn searching(&self) -> bool {
        matches!(self.state, State::Searching { .. })
    }

    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.state {
            State::Searching { deadline, .. } => Some(*deadline),
            State::Forming { limit, .. } => Some(*limit),
            State::Backoff { until } => Some(*until),
            _ => None,
        }
    }

    /// The attempt under way (1 for the first).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The first attempt starts (once).
    pub fn start(&mut self, now: Instant) {
        if self.state == State::Start {
            self.new_attempt(now);
        }
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state.clone() {
            State::Searching { deadline, last } if now >= deadline => self.window_over(now, last.unwrap_or(AutoFailure::PeerNotFound)),
            State::Forming { deadline, limit, .. } if now >= limit => {
                warn!(peer = %self.cfg.peer, "automatic mode: the negotiated group did not come up in time");
                self.actions.push_back(Action::Cancel);
                self.failed_within(now, deadline, AutoFailure::FormationFailed);
            }
            State::Backoff { until } if now >= until => self.new_attempt(now),
            _ => {}
        }
    }

    pub fn handle(&mut self, now: Instant, seen: Seen) {
        let peer = self.cfg.peer;
        match (self.state.clone(), seen) {
            (State::Searching { deadline, .. }, Seen::PeerFound) => {
                info!(%peer, "automatic mode: peer found; negotiating");
                self.actions.push_back(Action::Connect);
                self.state = State::Negotiating { deadline };
            }
            (State::Searching { deadline, .. }, Seen::PeerAsks) => {
                info!(%peer, "automatic mode: the peer asks; negotiating");
                self.actions.push_back(Action::ConnectAsked);
                self.state = State::Negotiating { deadline };
            }
            (State::Backoff { .. }, Seen::PeerAsks) => {
                // A late peer found our listen: this is the next attempt.
                let deadline = now + self.cfg.window;
                self.actions.push_back(Action::ConnectAsked);
                self.state = State::Negotiating { deadline };
            }
            (State::Forming { deadline, .. }, Seen::PeerAsks) => {
                // The peer negotiates anew: its side of our negotiation failed (its
                // Confirm timed out, or ours never came). Our half-formed group goes;
                // the peer waits for our Request.
                info!(%peer, "automatic mode: the peer negotiates again; the group being formed is dropped");
                self.actions.push_back(Action::Cancel);
                self.actions.push_back(Action::ConnectAsked);
                self.state = State::Negotiating { deadline };
            }
            // The peer's Request answered (we were authorised): searching, negotiating,
            // or listening between attempts.
            (State::Searching { deadline, .. } | State::Negotiating { deadline }, Seen::NegSuccess) => {
                self.state = State::Forming { deadline, limit: now + FORMING_LIMIT, ifname: None, peer_in: false };
            }
            (State::Backoff { .. }, Seen::NegSuccess) => {
                self.state = State::Forming { deadline: now + self.cfg.window, limit: now + FORMING_LIMIT, ifname: None, peer_in: false };
            }
            (State::Negotiating { deadline }, Seen::NegFailure | Seen::ConnectRefused) => {
                self.failed_within(now, deadline, AutoFailure::NegotiationFailed);
            }
            // The peer's Request was answered while we searched (which stopped the find
            // for the Confirm), and the negotiation failed: search again.
            (State::Searching { deadline, .. }, Seen::NegFailure) => {
                self.failed_within(now, deadline, AutoFailure::NegotiationFailed);
            }
            // The same between attempts: listen again.
            (State::Backoff { .. }, Seen::NegFailure) => self.actions.push_back(Action::Listen),
            (State::Forming { deadline, limit, peer_in, .. }, Seen::GroupStarted { ifname, role }) => {
                if role == GroupRole::Client || peer_in {
                    self.connected(ifname, role);
                } else {
                    self.state = State::Forming { deadline, limit, ifname: Some((ifname, role)), peer_in };
                }
            }
            (State::Forming { deadline, limit, ifname, .. }, Seen::PeerAssociated) => match ifname {
                Some((ifname, role)) => self.connected(ifname, role),
                None => self.state = State::Forming { deadline, limit, ifname: None, peer_in: true },
            },
            (State::Forming { deadline, .. }, Seen::FormationFailed | Seen::GroupRemoved { .. }) => {
                self.failed_within(now, deadline, AutoFailure::FormationFailed);
            }
            (State::Connected { ifname, .. }, Seen::GroupRemoved { ifname: gone }) if gone == ifname => {
                self.actions.push_back(Action::Event(AutoEvent::LinkLost { ifname, peer }));
                self.new_attempt(now);
            }
            (State::Connected { ifname, role: GroupRole::Go }, Seen::PeerLeft) | (State::Connected { ifname, .. }, Seen::PeerAsks) => {
                // The peer is gone from our group, or negotiates anew (it lost the link
                // before we noticed): our group ends, a new attempt starts.
                self.actions.push_back(Action::Event(AutoEvent::LinkLost { ifname: ifname.clone(), peer }));
                self.actions.push_back(Action::EndGroup { ifname });
                self.new_attempt(now);
            }
            _ => {}
        }
    }

    fn connected(&mut self, ifname: String, role: GroupRole) {
        info!(peer = %self.cfg.peer, %ifname, %role, "automatic mode: link up");
        self.failed_windows = 0;
        self.actions.push_back(Action::Event(AutoEvent::Connected { ifname: ifname.clone(), role, peer: self.cfg.peer }));
        self.state = State::Connected { ifname, role };
    }

    fn new_attempt(&mut self, now: Instant) {
        self.attempt += 1;
        info!(peer = %self.cfg.peer, attempt = self.attempt, window_s = self.cfg.window.as_secs(), "automatic mode: looking for the peer");
        self.actions.push_back(Action::Event(AutoEvent::Search { peer: self.cfg.peer, window_secs: self.cfg.window.as_secs(), attempt: self.attempt }));
        self.actions.push_back(Action::Search);
        self.state = State::Searching { deadline: now + self.cfg.window, last: None };
    }

    /// A negotiation or formation failed: search again while the window lasts.
    fn failed_within(&mut self, now: Instant, deadline: Instant, why: AutoFailure) {
        if now >= deadline {
            return self.window_over(now, why);
        }
        info!(peer = %self.cfg.peer, reason = why.as_str(), "automatic mode: trying again within the window");
        self.actions.push_back(Action::Search);
        self.state = State::Searching { deadline, last: Some(why) };
    }

    fn window_over(&mut self, now: Instant, why: AutoFailure) {
        self.actions.push_back(Action::StopFind);
        let peer = self.cfg.peer;
        if self.cfg.once {
            warn!(%peer, reason = why.as_str(), "automatic mode: no link within the window; giving up (--once)");
            self.actions.push_back(Action::Event(AutoEvent::Failed { reason: why, peer, retry_in_secs: None }));
            self.actions.push_back(Action::GiveUp(why));
            self.state = State::Stopped;
            return;
        }
        self.failed_windows += 1;
        let i = (self.failed_windows as usize - 1).min(BACKOFF_SECS.len() - 1);
        let pause = BACKOFF_SECS[i];
        warn!(%peer, reason = why.as_str(), retry_in_s = pause, "automatic mode: no link within the window; trying again later");
        self.actions.push_back(Action::Event(AutoEvent::Failed { reason: why, peer, retry_in_secs: Some(pause) }));
        self.actions.push_back(Action::Listen);
        self.state = State::Backoff { until: now + Duration::from_secs(pause) };
    }
}

/// `--freq` against the radio: a channel a group may run on (usable for initiating
/// radiation, not radar). Checked once the wiphy is known, before anything is sent.
pub fn check_freq(wiphy: &nl80211::Wiphy, freq: u32) -> Result<(), String> {
    let ok = super::gneg::channel_list(wiphy).freqs();
    if ok.contains(&freq) {
        Ok(())
    } else {
        Err(format!("--freq {freq}: {} cannot run a group there (usable: {ok:?})", wiphy.name))
    }
}

/// The machine and what the agent saw for it since the last drive.
pub(super) struct Auto {
    pub link: AutoLink,
    seen: VecDeque<Seen>,
    /// When the running search started: only a sighting since then finds the peer (the
    /// kernel's scan cache outlives a daemon, and a peer's entry from before its restart
    /// names a listen channel it may have left).
    since: Option<Instant>,
    /// Our re-invocation of the stored group is out (its result is the negotiation's).
    inviting: bool,
    /// The attempt that re-invoked the stored group already (its next try negotiates).
    reinvoked_in: Option<u32>,
    /// `--persistent` with the higher device address: until then the peer, when found,
    /// is left to re-invoke the stored group (see [`REINVOKE_YIELD`]).
    yield_until: Option<Instant>,
}

impl Auto {
    pub fn new(cfg: AutoConfig) -> Auto {
        Auto { link: AutoLink::new(cfg), seen: VecDeque::new(), since: None, inviting: false, reinvoked_in: None, yield_until: None }
    }

    /// One of the agent's events, as the machine sees it.
    pub fn observe(&mut self, e: &Event) {
        let peer = self.link.peer();
        let seen = match e {
            Event::GoNegRequest { src, .. } if *src == peer => Seen::PeerAsks,
            Event::GoNegSuccess { peer_dev, .. } if *peer_dev == peer => Seen::NegSuccess,
            // Strangers are refused before the negotiator decides: a failure is the peer's.
            Event::GoNegFailure { .. } => Seen::NegFailure,
            Event::GroupStarted { ifname, role, .. } => Seen::GroupStarted { ifname: ifname.clone(), role: *role },
            Event::GroupFormationFailure { .. } => Seen::FormationFailed,
            Event::GroupRemoved { ifname, .. } => Seen::GroupRemoved { ifname: ifname.clone() },
            Event::ApStaConnected { p2p_dev_addr: Some(d), .. } if *d == peer => Seen::PeerAssociated,
            Event::ApStaDisconnected { p2p_dev_addr: Some(d), .. } if *d == peer => Seen::PeerLeft,
            // A re-invocation of the stored group stands for the negotiation: ours
            // answered, or the peer's accepted.
            Event::InvitationResult { status, .. } if self.inviting => {
                self.inviting = false;
                if *status == 0 { Seen::NegSuccess } else { Seen::NegFailure }
            }
            Event::InvitationAccepted(crate::ctrl::InvitationReceived::Persistent { sa, .. }) if *sa == peer => {
                // Ours, if out, yielded to it.
                self.inviting = false;
                Seen::NegSuccess
            }
            _ => return,
        };
        self.seen.push_back(seen);
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.link.state {
            // The first input starts it: the driver feeds one at start.
            State::Start => None,
            _ => [self.link.poll_timeout(), self.yield_until.filter(|_| self.link.searching())].into_iter().flatten().min(),
        }
    }
}

impl Agent {
    /// Runs the automatic mode after every input: starts it, feeds what was seen, and
    /// performs its actions (which may be seen in turn) until nothing is left.
    pub(super) fn auto_drive(&mut self, now: Instant) {
        let Some(a) = &mut self.auto else { return };
        a.link.start(now);
        if a.link.poll_timeout().is_some_and(|t| now >= t) {
            a.link.handle_timeout(now);
        }
        for _ in 0..64 {
            let Some(a) = &mut self.auto else { return };
            let peer = a.link.peer();
            if let Some(action) = a.link.poll_action() {
                self.auto_act(now, action);
                continue;
            }
            if let Some(seen) = a.seen.pop_front() {
                a.link.handle(now, seen);
                continue;
            }
            let since = a.since;
            let fresh = |p: &crate::p2p::peers::Peer| since.is_some_and(|t| p.last_seen >= t);
            // A peer whose Request we are answering is in the table now too (completed from
            // that Request): it is negotiating already, not found.
            let busy = self.gneg.neg.active_peer() == Some(peer);
            let yielding = a.yield_until.is_some_and(|t| now < t);
            let found = a.link.searching()
                && !busy
                && !yielding
                && self.peers().find(&peer).is_some_and(|p| p.is_reachable() && p.listen_freq.is_some() && fresh(p));
            match (found, &mut self.auto) {
                (true, Some(a)) => a.link.handle(now, Seen::PeerFound),
                _ => return,
            }
        }
        warn!("automatic mode: too many steps in one input; going on with the next");
    }

    fn auto_act(&mut self, now: Instant, action: Action) {
        let Some(a) = &self.auto else { return };
        let cfg = a.link.config().clone();
        match action {
            Action::Search => {
                self.flush(now);
                let yields = cfg.persistent && self.dev.addr > cfg.peer && self.stored_with(cfg.peer).is_some();
                if let Some(a) = &mut self.auto {
                    a.since = Some(now);
                    a.yield_until = (yields && a.reinvoked_in != Some(a.link.attempt())).then(|| now + REINVOKE_YIELD);
                    if a.yield_until.is_some() {
                        info!(peer = %cfg.peer, secs = REINVOKE_YIELD.as_secs(), "automatic mode: the peer (lower address) re-invokes the stored group; ours waits");
                    }
                }
                self.auto_authorize(now, &cfg);
                if self.find(now, &crate::ctrl::FindParams::default()) != Reply::Ok {
                    warn!("automatic mode: the find did not start");
                }
            }
            Action::Listen => {
                self.auto_authorize(now, &cfg);
                if self.listen(now, None) != Reply::Ok {
                    warn!("automatic mode: the listen did not start");
                }
            }
            Action::StopFind => self.stop_find(now),
            Action::Connect if self.auto_reinvoke(now, &cfg) => {}
            Action::Connect | Action::ConnectAsked => {
                if action == Action::ConnectAsked {
                    // negotiate() prefers the peer table's listen channel to the one the
                    // Request named; the table may hold the peer's previous life.
                    self.flush(now);
                }
                let p = ConnectParams {
                    persistent: cfg.persistent.then_some(crate::ctrl::Persistent::New),
                    go_intent: Some(AUTO_GO_INTENT),
                    freq: cfg.freq,
                    ..ConnectParams::pbc(cfg.peer)
                };
                let reply = self.negotiate(now, super::ReplyToken(u64::MAX), p);
                if reply != Reply::Ok {
                    warn!(peer = %cfg.peer, ?reply, "automatic mode: GO negotiation did not start");
                    if let Some(a) = &mut self.auto {
                        a.seen.push_back(Seen::ConnectRefused);
                    }
                }
            }
            Action::Cancel => {
                let _ = self.cancel(now);
            }
            Action::EndGroup { ifname } => self.remove_group(now, &ifname, GroupRemovalReason::Requested),
            Action::Event(e) => self.emit(Event::Auto(e)),
            Action::GiveUp(why) => self.out.push_back(super::Output::Stop { error: format!("automatic mode: no link with {} ({})", cfg.peer, why.as_str()) }),
        }
    }

    /// `--persistent`: the first try of an attempt re-invokes the group stored with the
    /// peer, if there is one (no WPS); `false`: negotiate.
    fn auto_reinvoke(&mut self, now: Instant, cfg: &AutoConfig) -> bool {
        let Some(a) = &self.auto else { return false };
        let attempt = a.link.attempt();
        if !cfg.persistent || a.reinvoked_in == Some(attempt) {
            return false;
        }
        let Some(id) = self.stored_with(cfg.peer) else { return false };
        if let Some(a) = &mut self.auto {
            a.reinvoked_in = Some(attempt);
        }
        info!(peer = %cfg.peer, id, "automatic mode: re-invoking the group stored with the peer");
        if self.reinvoke(now, id, Some(cfg.peer), cfg.freq) != Reply::Ok {
            warn!(peer = %cfg.peer, "automatic mode: the re-invocation did not start; negotiating");
            return false;
        }
        if let Some(a) = &mut self.auto {
            a.inviting = true;
        }
        true
    }

    /// The peer's Request is answered at once: push button, intent 7, `--freq`.
    fn auto_authorize(&mut self, now: Instant, cfg: &AutoConfig) {
        self.authorize_pbc(now, cfg.peer, AUTO_GO_INTENT, cfg.freq, cfg.persistent);
    }

    /// A GO Negotiation Request from a device that is not the configured peer is refused
    /// (status 11) in the automatic mode.
    pub(super) fn auto_screen_request(&mut self, now: Instant, sa: MacAddr) {
        let Some(a) = &self.auto else { return };
        if sa == a.link.peer() || self.gneg.neg.is_rejected(sa) {
            return;
        }
        info!(%sa, "automatic mode: a GO negotiation from a device other than the configured peer is refused");
        self.gneg_input(now, crate::p2p::go_neg::Input::Reject(sa));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cfg(once: bool) -> AutoConfig {
        AutoConfig { peer: MacAddr([2, 0, 0, 0, 1, 0]), window: Duration::from_secs(30), freq: None, local_address: None, once, persistent: false }
    }

    fn drain(l: &mut AutoLink) -> Vec<Action> {
        std::iter::from_fn(|| l.poll_action()).collect()
    }

    #[test]
    fn window_over_backs_off_and_retries_then_connects() {
        let t0 = Instant::now();
        let mut l = AutoLink::new(cfg(false));
        l.start(t0);
        let a = drain(&mut l);
        assert!(matches!(&a[..], [Action::Event(AutoEvent::Search { attempt: 1, window_secs: 30, .. }), Action::Search]), "{a:?}");
        assert_eq!(l.poll_timeout(), Some(t0 + Duration::from_secs(30)));
        l.handle_timeout(t0 + Duration::from_secs(29));
        assert!(drain(&mut l).is_empty(), "not before the window ends");
        let t1 = t0 + Duration::from_secs(30);
        l.handle_timeout(t1);
        let a = drain(&mut l);
        assert_eq!(
            a,
            [
                Action::StopFind,
                Action::Event(AutoEvent::Failed { reason: AutoFailure::PeerNotFound, peer: l.peer(), retry_in_secs: Some(10) }),
                Action::Listen
            ]
        );
        assert_eq!(l.state_name(), "BACKOFF");
        // The backoff grows with each window in a row.
        let t2 = t1 + Duration::from_secs(10);
        assert_eq!(l.poll_timeout(), Some(t2));
        l.handle_timeout(t2);
        assert!(matches!(&drain(&mut l)[..], [Action::Event(AutoEvent::Search { attempt: 2, .. }), Action::Search]));
        l.handle_timeout(t2 + Duration::from_secs(30));
        assert!(drain(&mut l).iter().any(|a| matches!(a, Action::Event(AutoEvent::Failed { retry_in_secs: Some(20), .. }))));
        // A late peer asks while we listen: connect now.
        let t3 = t2 + Duration::from_secs(35);
        l.handle(t3, Seen::PeerAsks);
        assert_eq!(drain(&mut l), [Action::ConnectAsked]);
        l.handle(t3, Seen::NegSuccess);
        l.handle(t3, Seen::GroupStarted { ifname: "p2p-wlan0-0".into(), role: GroupRole::Go });
        assert_eq!(l.state_name(), "FORMING", "a GO is connected when the peer associated");
        l.handle(t3, Seen::PeerAssociated);
        let a = drain(&mut l);
        assert_eq!(a, [Action::Event(AutoEvent::Connected { ifname: "p2p-wlan0-0".into(), role: GroupRole::Go, peer: l.peer() })]);
        // A link resets the backoff; the peer leaving our GO starts a new attempt at once.
        l.handle(t3, Seen::PeerLeft);
        let a = drain(&mut l);
        assert!(
            matches!(&a[..], [Action::Event(AutoEvent::LinkLost { .. }), Action::EndGroup { ifname }, Action::Event(AutoEvent::Search { attempt: 3, .. }), Action::Search] if ifname == "p2p-wlan0-0"),
            "{a:?}"
        );
        l.handle_timeout(t3 + Duration::from_secs(30));
        assert!(drain(&mut l).iter().any(|a| matches!(a, Action::Event(AutoEvent::Failed { retry_in_secs: Some(10), .. }))));
    }

    #[test]
    fn a_failed_answer_to_the_peer_resumes_the_search_or_the_listen() {
        // Answering the peer's Request stops the find (the radio waits for the Confirm);
        // a Confirm that never came must not leave us deaf.
        let t0 = Instant::now();
        let mut l = AutoLink::new(cfg(false));
        l.start(t0);
        drain(&mut l);
        l.handle(t0 + Duration::from_secs(5), Seen::NegFailure);
        assert_eq!(drain(&mut l), [Action::Search]);
        assert_eq!(l.state_name(), "SEARCHING");
        l.handle_timeout(t0 + Duration::from_secs(30));
        let a = drain(&mut l);
        assert!(a.contains(&Action::Event(AutoEvent::Failed { reason: AutoFailure::NegotiationFailed, peer: l.peer(), retry_in_secs: Some(10) })), "{a:?}");
        l.handle(t0 + Duration::from_secs(32), Seen::NegFailure);
        assert_eq!(drain(&mut l), [Action::Listen]);
        assert_eq!(l.state_name(), "BACKOFF");
    }

    #[test]
    fn once_gives_up_at_the_window_end() {
        let t0 = Instant::now();
        let mut l = AutoLink::new(cfg(true));
        l.start(t0);
        drain(&mut l);
        l.handle(t0, Seen::PeerFound);
        assert_eq!(drain(&mut l), [Action::Connect]);
        // A failed negotiation within the window: search again, the reason remembered.
        l.handle(t0 + Duration::from_secs(5), Seen::NegFailure);
        assert_eq!(drain(&mut l), [Action::Search]);
        l.handle_timeout(t0 + Duration::from_secs(30));
        let a = drain(&mut l);
        assert_eq!(
            a,
            [
                Action::StopFind,
                Action::Event(AutoEvent::Failed { reason: AutoFailure::NegotiationFailed, peer: l.peer(), retry_in_secs: None }),
                Action::GiveUp(AutoFailure::NegotiationFailed)
            ]
        );
        assert_eq!((l.state_name(), l.poll_timeout()), ("STOPPED", None));
    }

    #[test]
    fn client_link_lost_searches_again_and_a_stale_formation_is_cancelled() {
        let t0 = Instant::now();
        let mut l = AutoLink::new(cfg(false));
        l.start(t0);
        l.handle(t0, Seen::NegSuccess);
        l.handle(t0, Seen::GroupStarted { ifname: "p2p-wlan0-3".into(), role: GroupRole::Client });
        drain(&mut l);
        assert_eq!(l.state_name(), "CONNECTED");
        l.handle(t0, Seen::GroupRemoved { ifname: "other".into() });
        assert!(drain(&mut l).is_empty(), "another interface's removal is not ours");
        l.handle(t0, Seen::GroupRemoved { ifname: "p2p-wlan0-3".into() });
        let a = drain(&mut l);
        assert!(matches!(&a[..], [Action::Event(AutoEvent::LinkLost { .. }), Action::Event(AutoEvent::Search { .. }), Action::Search]), "{a:?}");
        l.handle(t0, Seen::PeerFound);
        l.handle(t0, Seen::NegSuccess);
        drain(&mut l);
        // The peer negotiates anew while our group forms: drop it, answer the peer.
        l.handle(t0, Seen::PeerAsks);
        assert_eq!(drain(&mut l), [Action::Cancel, Action::ConnectAsked]);
        l.handle(t0, Seen::FormationFailed);
        l.handle(t0, Seen::GroupRemoved { ifname: "p2p-wlan0-4".into() });
        assert_eq!((drain(&mut l), l.state_name()), (vec![], "NEGOTIATING"), "the dropped group's events are no failure");
        l.handle(t0, Seen::NegSuccess);
        // The group never comes up; the window is over by then.
        l.handle_timeout(t0 + FORMING_LIMIT);
        assert_eq!(
            drain(&mut l),
            [
                Action::Cancel,
                Action::StopFind,
                Action::Event(AutoEvent::Failed { reason: AutoFailure::FormationFailed, peer: l.peer(), retry_in_secs: Some(10) }),
                Action::Listen
            ]
        );
    }
}
