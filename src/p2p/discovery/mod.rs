//! Discovery as a P2P device (Wi-Fi P2P spec 3.1.2): the find/listen machine, sans-IO.
//!
//! `P2P_FIND` alternates a **search** (a scan whose Probe Requests carry our P2P IE, on the
//! social channels; the first scan covers every usable channel unless `type=social`,
//! then (and with `type=progressive`) each round adds one more channel of the usable
//! list, in turn, so running groups on any channel are found; `freq=` scans that channel first
//! and keeps it in every round) with a **listen** on our listen channel for a random 1, 2
//! or 3 units of 100 TU (102, 204 or 307 ms, capped by the radio's longest
//! remain-on-channel), so that two finders meet. `P2P_LISTEN` only listens, chaining
//! remain-on-channel requests of at most the radio's maximum until its timeout. While we
//! listen, [`probe::answer`] answers the peers' Probe Requests; every Probe Request and
//! scanned Probe Response feeds the [`Peers`] table.
//!
//! Timing follows hostap (`src/p2p/p2p.c`, see `p2p-flows.md` section 1):
//! - the listen timer starts at the ROC-started event and lasts the listen time + 20 ms,
//!   so the driver's ROC-end event normally comes first; if it does not, the ROC is
//!   cancelled and the search goes on;
//! - a listen whose ROC never started (refused, or ended before it started) waits 100 ms
//!   before the next search instead of spinning;
//! - `delay=<s>` waits that long between a listen and the next search;
//! - peers are checked for expiry every 10 s.
//!
//! Drive it like every machine here: [`Discovery::handle_input`],
//! [`Discovery::handle_timeout`], then drain [`Discovery::poll_output`];
//! [`Discovery::poll_timeout`] says when to call `handle_timeout` next. The driver performs
//! the outputs on the P2P-Device wdev and feeds back the results with the cookies the
//! kernel gave.

pub mod probe;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use crate::eapol::RandomSource;
use crate::group::go::limits::ProbeLimiter;
use crate::ieee80211::MacAddr;
use crate::p2p::peers::{BssSighting, Found, Peers};
use crate::p2p::wire::types::freq_of;

pub use probe::Identity;

/// The social channels' frequencies (channels 1, 6, 11 of operating class 81).
pub const SOCIAL_FREQS: [u32; 3] = [2412, 2437, 2462];
/// One listen unit: 100 TU = 102.4 ms (hostap asks the driver for `1024 * tu / 1000` ms).
pub const LISTEN_UNIT_TU: u32 = 100;
/// Slack after the expected end of a listen before we stop waiting for the driver's
/// ROC-end event (hostap p2p.c `p2p_listen_cb`).
pub const ROC_END_SLACK: Duration = Duration::from_millis(20);
/// Wait before the next search when a listen never started (hostap p2p.c `p2p_listen_end`).
pub const ROC_NOT_STARTED_WAIT: Duration = Duration::from_millis(100);
/// A scan whose end was not reported by then is taken as done.
pub const SCAN_WATCHDOG: Duration = Duration::from_secs(10);
/// How often peers are checked for expiry (hostap `wpas_periodic`).
pub const EXPIRY_CHECK: Duration = Duration::from_secs(10);
/// `P2P_LISTEN` without a timeout (or 0) listens this long (hostap `wpas_p2p_listen`).
pub const DEFAULT_LISTEN: Duration = Duration::from_secs(3600);

/// `p2p_state=` of `STATUS` on the P2P device (hostap `p2p_state_txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum P2pState {
    Idle,
    Search,
    ListenOnly,
}

impl P2pState {
    pub fn as_str(self) -> &'static str {
        match self {
            P2pState::Idle => "IDLE",
            P2pState::Search => "SEARCH",
            P2pState::ListenOnly => "LISTEN_ONLY",
        }
    }
}

impl fmt::Display for P2pState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which channels a find scans (`P2P_FIND type=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindKind {
    /// Every usable channel first, then the social channels and one more channel each
    /// round (the default).
    #[default]
    StartWithFull,
    /// The social channels only.
    Social,
    /// The social channels and one more channel each round.
    Progressive,
}

/// `P2P_FIND` as the machine takes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Find {
    /// Stop (with `P2P-FIND-STOPPED`) after this long; `None` = until stopped.
    pub timeout: Option<Duration>,
    pub kind: FindKind,
    /// Look for this device only (Device ID in our Probe Requests; others not reported).
    pub dev_id: Option<MacAddr>,
    /// Extra wait between a listen and the next search.
    pub delay: Option<Duration>,
    /// Scan this frequency first and in every round.
    pub freq: Option<u32>,
}

/// What the radio allows (read from the wiphy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Radio {
    /// `NL80211_ATTR_MAX_REMAIN_ON_CHANNEL_DURATION`.
    pub max_roc: Duration,
    /// Usable (enabled) 2.4 and 5 GHz channels, MHz.
    pub freqs: Vec<u32>,
}

/// Inputs: control requests and what the driver saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input<'a> {
    /// `P2P_FIND`.
    Find(Find),
    /// `P2P_LISTEN [timeout]` (`None` or zero: [`DEFAULT_LISTEN`]).
    Listen { timeout: Option<Duration> },
    /// `P2P_STOP_FIND`: ends a find (`P2P-FIND-STOPPED`) or a listen.
    Stop,
    /// `P2P_FLUSH`: stop, and forget every peer.
    Flush,
    /// `P2P_SET listen_channel <1|6|11>`.
    SetListenChannel(u8),
    /// The wiphy's limits changed (or were read).
    Radio(Radio),
    /// The kernel accepted our remain-on-channel request and gave it this cookie.
    RocRequested { cookie: u64 },
    /// The kernel refused our remain-on-channel request.
    RocRefused,
    /// `NL80211_CMD_REMAIN_ON_CHANNEL` event: a ROC started.
    RocStarted { cookie: u64, freq: u32 },
    /// `NL80211_CMD_CANCEL_REMAIN_ON_CHANNEL` event: a ROC ended (expired or cancelled).
    RocEnded { cookie: u64 },
    /// The scan we asked for could not start.
    ScanRefused,
    /// One BSS of the scan results (feed them all, then [`Input::ScanDone`]).
    ScanResult(BssSighting<'a>),
    /// The scan ended (`NEW_SCAN_RESULTS` or `SCAN_ABORTED`).
    ScanDone,
    /// A Probe Request received on the P2P device (whole frame), on `freq`.
    ProbeRequest { frame: &'a [u8], freq: u32, signal_dbm: Option<i32> },
    /// A GO Negotiation Request from `sa`: completes (and reports) a peer known only from
    /// its probe requests, or not at all.
    GoNegRequest { sa: MacAddr, request: &'a crate::p2p::wire::GoNegRequest },
}

/// A command the machine refuses (the control reply is `FAIL`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("listen channel {0} is not a usable social channel (1, 6 or 11)")]
    ListenChannel(u8),
    #[error("{0} MHz is not a usable channel of this radio")]
    Freq(u32),
    #[error("the radio has no usable social channel")]
    NoSocialChannel,
}

/// What happened, for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `P2P-DEVICE-FOUND`.
    DeviceFound(Found),
    /// `P2P-DEVICE-LOST`.
    DeviceLost { dev_addr: MacAddr },
    /// `P2P-FIND-STOPPED`.
    FindStopped,
    /// `p2p_state=` changed.
    State(P2pState),
}

/// Work for the driver, on the P2P-Device wdev.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// `NL80211_CMD_REMAIN_ON_CHANNEL`; answer with [`Input::RocRequested`] or
    /// [`Input::RocRefused`].
    RemainOnChannel { freq: u32, duration: Duration },
    /// `NL80211_CMD_CANCEL_REMAIN_ON_CHANNEL`.
    CancelRemainOnChannel { cookie: u64 },
    /// `NL80211_CMD_TRIGGER_SCAN` with SSID `DIRECT-`, OFDM rates only (no CCK), these
    /// frequencies and these extra IEs; answer with [`Input::ScanRefused`], or the results
    /// and [`Input::ScanDone`].
    Scan { freqs: Vec<u32>, ies: Vec<u8> },
    /// `NL80211_CMD_ABORT_SCAN`: the find stopped while its scan ran; the scan's end
    /// ([`Input::ScanDone`]) follows at once, with no results to read. Stopping the find
    /// for a negotiation or a join frees the radio now rather than after the dwell on
    /// every channel (hostap aborts its P2P scan the same way).
    AbortScan,
    /// `NL80211_CMD_FRAME` (offchannel TX allowed, no CCK rate).
    SendFrame { freq: u32, frame: Vec<u8>, no_ack: bool, wait: Duration },
    Event(Event),
}

/// The radio's remain-on-channel as we asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Roc {
    None,
    /// Asked; the cookie (reply) or the start event may still be missing.
    Requested { freq: u32, duration: Duration, cookie: Option<u64> },
    /// Running since `started`.
    On { freq: u32, duration: Duration, cookie: u64, started: Instant },
}

/// Where a find is in its search/listen cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Waiting until then before the next search.
    Pause { until: Instant },
    /// Our scan runs (or a previous one must end first); given up on at `deadline`.
    Scan { deadline: Instant, requested: bool },
    /// Listening (see `roc`).
    Listen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    params: Find,
    until: Option<Instant>,
    rounds: u32,
    step: Step,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Idle,
    Find(Finding),
    /// `P2P_LISTEN` until then; `retry_at` after a ROC that never started.
    ListenOnly { until: Instant, retry_at: Option<Instant> },
}

/// The machine.
pub struct Discovery {
    identity: Identity,
    rng: Box<dyn RandomSource + Send>,
    radio: Radio,
    listen_freq: u32,
    peers: Peers,
    /// Probe responses in the listen state: per source and in all (as the GO's).
    probe_limiter: ProbeLimiter,
    state: State,
    roc: Roc,
    /// ROCs requested but no longer wanted whose cookie has not come back yet (their
    /// replies come in request order: each is cancelled when it does).
    orphan_rocs: u32,
    /// A scan of ours that has not ended yet (a new one would be refused).
    scan_running: bool,
    /// Armed by the first input or timeout.
    next_expiry_check: Option<Instant>,
    /// Rotates through the non-social channels for `type=progressive`.
    progressive_at: usize,
    outputs: VecDeque<Output>,
}

impl fmt::Debug for Discovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Discovery")
            .field("dev_addr", &self.identity.dev_addr)
            .field("listen_freq", &self.listen_freq)
            .field("state", &self.state)
            .field("roc", &self.roc)
            .field("peers", &self.peers.len())
            .finish_non_exhaustive()
    }
}

fn random_u32(rng: &mut dyn RandomSource) -> u32 {
    let mut b = [0u8; 4];
    rng.fill(&mut b);
    u32::from_le_bytes(b)
}

fn channel_freq(channel: u8) -> Option<u32> {
    freq_of(81, channel)
}

impl Discovery {
    /// A P2P device that is idle. The listen channel is `listen_channel` (1, 6 or 11),
    /// else a random usable social channel, kept until changed.
    pub fn new(
        identity: Identity,
        radio: Radio,
        listen_channel: Option<u8>,
        mut rng: Box<dyn RandomSource + Send>,
    ) -> Result<Discovery, Refused> {
        let social: Vec<u32> = SOCIAL_FREQS.iter().copied().filter(|f| radio.freqs.contains(f)).collect();
        let listen_freq = match listen_channel {
            Some(ch) => Self::check_listen_channel(&radio, ch)?,
            None if social.is_empty() => return Err(Refused::NoSocialChannel),
            None => social[random_u32(rng.as_mut()) as usize % social.len()],
        };
        tracing::info!(dev_addr = %identity.dev_addr, listen_freq, max_roc_ms = radio.max_roc.as_millis() as u64, "P2P device discovery ready");
        Ok(Discovery {
            identity,
            rng,
            radio,
            listen_freq,
            peers: Peers::default(),
            probe_limiter: ProbeLimiter::default(),
            state: State::Idle,
            roc: Roc::None,
            orphan_rocs: 0,
            scan_running: false,
            next_expiry_check: None,
            progressive_at: 0,
            outputs: VecDeque::new(),
        })
    }

    fn check_listen_channel(radio: &Radio, ch: u8) -> Result<u32, Refused> {
        match channel_freq(ch) {
            Some(f) if SOCIAL_FREQS.contains(&f) && radio.freqs.contains(&f) => Ok(f),
            _ => Err(Refused::ListenChannel(ch)),
        }
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Changes the name (and the rest) we announce from now on.
    pub fn set_identity(&mut self, identity: Identity) {
        self.identity = identity;
    }

    /// The IEs of a Probe Request that looks for `dev_id` only (a search outside a find:
    /// the join of a GO not seen yet); empty, with an error logged, if they cannot be built.
    pub fn search_ies(&self, dev_id: Option<MacAddr>) -> Vec<u8> {
        probe::probe_request_ies(&self.identity, self.listen_freq, dev_id).unwrap_or_else(|e| {
            tracing::error!("cannot build our probe request IEs: {e}");
            Vec::new()
        })
    }

    /// The radio's usable channels (what a full scan covers).
    pub fn radio_freqs(&self) -> &[u32] {
        &self.radio.freqs
    }

    /// Our listen channel's frequency.
    pub fn listen_freq(&self) -> u32 {
        self.listen_freq
    }

    pub fn state(&self) -> P2pState {
        match self.state {
            State::Idle => P2pState::Idle,
            State::Find(_) => P2pState::Search,
            State::ListenOnly { .. } => P2pState::ListenOnly,
        }
    }

    pub fn peers(&self) -> &Peers {
        &self.peers
    }

    /// The frequency we listen on right now (ROC running, within its time), if any.
    pub fn listening(&self, now: Instant) -> Option<u32> {
        match self.roc {
            Roc::On { freq, duration, started, .. } if now < started + duration + ROC_END_SLACK => Some(freq),
            _ => None,
        }
    }

    /// Feeds one input. Control requests may be refused (nothing changes then).
    pub fn handle_input(&mut self, now: Instant, input: Input<'_>) -> Result<(), Refused> {
        self.next_expiry_check.get_or_insert(now + EXPIRY_CHECK);
        match input {
            Input::Find(p) => self.start_find(now, p)?,
            Input::Listen { timeout } => self.start_listen(now, timeout),
            Input::Stop => self.stop(),
            Input::Flush => {
                self.stop();
                self.peers.flush(now);
            }
            Input::SetListenChannel(ch) => {
                self.listen_freq = Self::check_listen_channel(&self.radio, ch)?;
                tracing::info!(listen_freq = self.listen_freq, "listen channel set");
            }
            Input::Radio(radio) => {
                if !radio.freqs.contains(&self.listen_freq) {
                    tracing::warn!(listen_freq = self.listen_freq, "listen channel no longer usable");
                }
                self.radio = radio;
            }
            Input::RocRequested { cookie } => self.on_roc_requested(cookie),
            Input::RocRefused => self.on_roc_refused(now),
            Input::RocStarted { cookie, freq } => self.on_roc_started(now, cookie, freq),
            Input::RocEnded { cookie } => self.on_roc_ended(now, cookie),
            Input::ScanRefused => {
                tracing::warn!("discovery scan refused; listening instead");
                self.scan_running = false;
                self.after_scan(now);
            }
            Input::ScanResult(bss) => {
                if let Some(found) = self.peers.on_bss(now, bss) {
                    self.report(found);
                }
                self.report_evicted();
            }
            Input::ScanDone => {
                self.scan_running = false;
                self.after_scan(now);
            }
            Input::ProbeRequest { frame, freq, signal_dbm } => self.on_probe_request(now, frame, freq, signal_dbm),
            Input::GoNegRequest { sa, request } => {
                let listen = request.listen_channel.freq_mhz();
                if let Some(found) = self.peers.on_go_neg_request(now, sa, &request.device_info, &request.capability, listen) {
                    self.report(found);
                }
                self.report_evicted();
            }
        }
        Ok(())
    }

    /// `P2P-DEVICE-LOST` for the reported devices a full peer table pushed out.
    fn report_evicted(&mut self) {
        for dev_addr in self.peers.take_evicted() {
            tracing::info!(peer = %dev_addr, "peer lost (the peer table is full: {} devices)", crate::p2p::peers::MAX_PEERS);
            self.event(Event::DeviceLost { dev_addr });
        }
    }

    /// Acts on the timers due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        let check = *self.next_expiry_check.get_or_insert(now + EXPIRY_CHECK);
        if now >= check {
            self.next_expiry_check = Some(now + EXPIRY_CHECK);
            for dev_addr in self.peers.expire(now) {
                tracing::info!(peer = %dev_addr, "peer lost (not seen for {:?})", crate::p2p::peers::PEER_EXPIRY);
                self.event(Event::DeviceLost { dev_addr });
            }
        }
        // The listen timer (ROC start + listen time + slack): the end event is late.
        if let Roc::On { cookie, duration, started, .. } = self.roc
            && now >= started + duration + ROC_END_SLACK
        {
            tracing::debug!(cookie, "no ROC-end event in time; cancelling and going on");
            self.outputs.push_back(Output::CancelRemainOnChannel { cookie });
            self.roc = Roc::None;
            self.after_listen(now, true);
        }
        match &mut self.state {
            State::Idle => {}
            State::Find(f) => {
                if f.until.is_some_and(|u| now >= u) {
                    tracing::info!("find timed out");
                    self.stop();
                    return;
                }
                match f.step {
                    Step::Pause { until } if now >= until => self.search(now),
                    Step::Scan { deadline, .. } if now >= deadline => {
                        tracing::warn!("the discovery scan did not end in time; going on");
                        self.scan_running = false;
                        self.after_scan(now);
                    }
                    _ => {}
                }
            }
            State::ListenOnly { until, retry_at } => {
                if now >= *until {
                    tracing::info!("listen ended");
                    self.stop();
                } else if retry_at.is_some_and(|r| now >= r) {
                    *retry_at = None;
                    self.listen_only_roc(now);
                }
            }
        }
    }

    /// The next output, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// When [`Discovery::handle_timeout`] must be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let expiry = self.next_expiry_check.filter(|_| !self.peers.is_empty());
        let roc = match self.roc {
            Roc::On { duration, started, .. } => Some(started + duration + ROC_END_SLACK),
            _ => None,
        };
        let state = match &self.state {
            State::Idle => None,
            State::Find(f) => {
                let step = match f.step {
                    Step::Pause { until } => Some(until),
                    Step::Scan { deadline, .. } => Some(deadline),
                    Step::Listen => None,
                };
                [step, f.until].into_iter().flatten().min()
            }
            State::ListenOnly { until, retry_at } => [Some(*until), *retry_at].into_iter().flatten().min(),
        };
        [expiry, roc, state].into_iter().flatten().min()
    }

    fn event(&mut self, e: Event) {
        self.outputs.push_back(Output::Event(e));
    }

    fn set_state(&mut self, state: State) {
        let before = self.state();
        self.state = state;
        let after = self.state();
        if before != after {
            tracing::debug!(from = %before, to = %after, "p2p_state");
            self.event(Event::State(after));
        }
    }

    fn report(&mut self, found: Found) {
        if let State::Find(f) = &self.state
            && f.params.dev_id.is_some_and(|id| id != found.dev_addr)
        {
            return;
        }
        tracing::info!(peer = %found.dev_addr, name = %found.name, new = found.new, "P2P device found");
        self.event(Event::DeviceFound(found));
    }

    fn start_find(&mut self, now: Instant, params: Find) -> Result<(), Refused> {
        if let Some(f) = params.freq
            && !self.radio.freqs.contains(&f)
        {
            return Err(Refused::Freq(f));
        }
        tracing::info!(?params, "find started");
        // A running find restarts without a FIND-STOPPED (as hostap); a listen ends.
        if !matches!(self.state, State::Find(_)) {
            self.stop();
        }
        self.drop_roc();
        let until = params.timeout.map(|t| now + t);
        self.set_state(State::Find(Finding { params, until, rounds: 0, step: Step::Pause { until: now } }));
        self.search(now);
        Ok(())
    }

    fn start_listen(&mut self, now: Instant, timeout: Option<Duration>) {
        let t = timeout.filter(|t| !t.is_zero()).unwrap_or(DEFAULT_LISTEN);
        tracing::info!(timeout_s = t.as_secs(), listen_freq = self.listen_freq, "listen started");
        self.stop();
        self.set_state(State::ListenOnly { until: now + t, retry_at: None });
        self.listen_only_roc(now);
    }

    /// Ends a find (`P2P-FIND-STOPPED`) or a listen; cancels our ROC.
    fn stop(&mut self) {
        let was_finding = matches!(self.state, State::Find(_));
        self.drop_roc();
        if was_finding && self.scan_running {
            self.outputs.push_back(Output::AbortScan);
        }
        self.set_state(State::Idle);
        if was_finding {
            tracing::info!("find stopped");
            self.event(Event::FindStopped);
        }
    }

    /// Cancels the ROC we have or asked for.
    fn drop_roc(&mut self) {
        match std::mem::replace(&mut self.roc, Roc::None) {
            Roc::None => {}
            Roc::Requested { cookie: None, .. } => self.orphan_rocs += 1,
            Roc::Requested { cookie: Some(cookie), .. } | Roc::On { cookie, .. } => {
                self.outputs.push_back(Output::CancelRemainOnChannel { cookie });
            }
        }
    }

    fn request_roc(&mut self, freq: u32, duration: Duration) {
        let duration = duration.min(self.radio.max_roc).max(Duration::from_millis(1));
        self.drop_roc();
        self.roc = Roc::Requested { freq, duration, cookie: None };
        tracing::trace!(freq, ms = duration.as_millis() as u64, "remain on channel");
        self.outputs.push_back(Output::RemainOnChannel { freq, duration });
    }

    fn on_roc_requested(&mut self, cookie: u64) {
        if self.orphan_rocs > 0 {
            self.orphan_rocs -= 1;
            self.outputs.push_back(Output::CancelRemainOnChannel { cookie });
            return;
        }
        match &mut self.roc {
            Roc::Requested { cookie: c @ None, .. } => *c = Some(cookie),
            Roc::Requested { cookie: Some(c), .. } | Roc::On { cookie: c, .. } if *c == cookie => {}
            _ => {
                tracing::debug!(cookie, "a ROC we no longer want; cancelling");
                self.outputs.push_back(Output::CancelRemainOnChannel { cookie });
            }
        }
    }

    fn on_roc_refused(&mut self, now: Instant) {
        if self.orphan_rocs > 0 {
            self.orphan_rocs -= 1;
            return;
        }
        if matches!(self.roc, Roc::Requested { cookie: None, .. }) {
            tracing::warn!("remain-on-channel refused");
            self.roc = Roc::None;
            self.after_listen(now, false);
        }
    }

    fn on_roc_started(&mut self, now: Instant, cookie: u64, freq: u32) {
        match self.roc {
            // The start event may overtake the reply that carries the cookie.
            Roc::Requested { freq: f, duration, cookie: c }
                if c == Some(cookie) || (c.is_none() && self.orphan_rocs == 0 && f == freq) =>
            {
                tracing::trace!(cookie, freq, "listening");
                self.roc = Roc::On { freq, duration, cookie, started: now };
            }
            _ => tracing::trace!(cookie, "ROC start that is not ours"),
        }
    }

    fn on_roc_ended(&mut self, now: Instant, cookie: u64) {
        match self.roc {
            Roc::On { cookie: c, .. } if c == cookie => {
                self.roc = Roc::None;
                self.after_listen(now, true);
            }
            Roc::Requested { cookie: Some(c), .. } if c == cookie => {
                tracing::debug!(cookie, "ROC ended before it started");
                self.roc = Roc::None;
                self.after_listen(now, false);
            }
            _ => {}
        }
    }

    /// A listen is over (`started`: it ran; else it never started).
    fn after_listen(&mut self, now: Instant, started: bool) {
        let pause = if started { Duration::ZERO } else { ROC_NOT_STARTED_WAIT };
        match &mut self.state {
            State::Find(f) if f.step == Step::Listen => {
                let delay = f.params.delay.unwrap_or_default();
                let wait = pause.max(delay);
                if wait.is_zero() {
                    self.search(now);
                } else {
                    f.step = Step::Pause { until: now + wait };
                }
            }
            State::ListenOnly { until, retry_at } => {
                if now >= *until {
                    self.stop();
                } else if started {
                    self.listen_only_roc(now);
                } else {
                    *retry_at = Some(now + ROC_NOT_STARTED_WAIT);
                }
            }
            _ => {}
        }
    }

    fn listen_only_roc(&mut self, now: Instant) {
        if let State::ListenOnly { until, .. } = self.state {
            let left = until.saturating_duration_since(now);
            self.request_roc(self.listen_freq, left);
        }
    }

    /// The frequencies of the next scan.
    fn scan_freqs(&mut self, params: &Find, rounds: u32) -> Vec<u32> {
        let usable = &self.radio.freqs;
        if rounds == 0 {
            if let Some(f) = params.freq {
                return vec![f];
            }
            if params.kind == FindKind::StartWithFull {
                return usable.clone();
            }
        }
        let mut freqs: Vec<u32> = SOCIAL_FREQS.iter().copied().filter(|f| usable.contains(f)).collect();
        let mut add = |f: u32| {
            if !freqs.contains(&f) && usable.contains(&f) {
                freqs.push(f);
            }
        };
        if let Some(f) = params.freq {
            add(f);
        }
        for f in self.peers.group_freqs() {
            add(f);
        }
        // The default find goes on progressively after its full first scan: a group running
        // on a channel that scan missed (a passive 5 GHz channel whose beacon fell outside
        // the dwell) is found within one pass over the channel list, as every scan of the
        // agent found running groups before the listen/search machine.
        if matches!(params.kind, FindKind::Progressive | FindKind::StartWithFull) {
            let others: Vec<u32> = usable.iter().copied().filter(|f| !SOCIAL_FREQS.contains(f)).collect();
            if !others.is_empty() {
                add(others[self.progressive_at % others.len()]);
                self.progressive_at += 1;
            }
        }
        freqs
    }

    /// Starts the search step of a find (waits for a scan of ours still running).
    fn search(&mut self, now: Instant) {
        let State::Find(f) = &self.state else { return };
        let (params, rounds) = (f.params.clone(), f.rounds);
        let deadline = now + SCAN_WATCHDOG;
        if self.scan_running {
            if let State::Find(f) = &mut self.state {
                f.step = Step::Scan { deadline, requested: false };
            }
            return;
        }
        let freqs = self.scan_freqs(&params, rounds);
        let ies = match probe::probe_request_ies(&self.identity, self.listen_freq, params.dev_id) {
            Ok(ies) => ies,
            Err(e) => {
                tracing::error!("cannot build our probe request IEs: {e}; listening only");
                Vec::new()
            }
        };
        tracing::debug!(round = rounds, ?freqs, "search");
        self.scan_running = true;
        if let State::Find(f) = &mut self.state {
            f.rounds += 1;
            f.step = Step::Scan { deadline, requested: true };
        }
        self.outputs.push_back(Output::Scan { freqs, ies });
    }

    /// Our scan (or the one we waited for) ended: listen, or scan if we only waited.
    fn after_scan(&mut self, now: Instant) {
        let State::Find(f) = &mut self.state else { return };
        match f.step {
            Step::Scan { requested: false, .. } => self.search(now),
            Step::Scan { requested: true, .. } => {
                f.step = Step::Listen;
                let units = 1 + random_u32(self.rng.as_mut()) % 3;
                let ms = 1024 * units * LISTEN_UNIT_TU / 1000;
                tracing::trace!(ms, "listen in find");
                self.request_roc(self.listen_freq, Duration::from_millis(u64::from(ms)));
            }
            Step::Pause { .. } | Step::Listen => {}
        }
    }

    fn on_probe_request(&mut self, now: Instant, frame: &[u8], freq: u32, signal_dbm: Option<i32>) {
        let req = match probe::ProbeRequest::parse(frame) {
            Ok(r) => r,
            Err(e) => return tracing::debug!("probe request dropped: {e}"),
        };
        let Some(p2p) = &req.p2p else { return };
        if req.sa == self.identity.dev_addr {
            return;
        }
        self.peers.on_probe_request(now, req.sa, p2p, &req.ies, signal_dbm);
        self.report_evicted();
        let listening = self.listening(now) == Some(freq);
        match probe::answer(&req, freq, &self.identity, listening) {
            Ok(_) if !self.probe_limiter.admit(now, req.sa, false) => {
                tracing::trace!(peer = %req.sa, freq, refused = self.probe_limiter.refused, "probe request not answered: over the rate limit");
            }
            Ok(frame) => {
                tracing::debug!(peer = %req.sa, freq, "answering probe request");
                self.outputs.push_back(Output::SendFrame { freq, frame, no_ack: true, wait: Duration::ZERO });
            }
            Err(why) => tracing::trace!(peer = %req.sa, freq, "probe request not answered: {why}"),
        }
    }
}
