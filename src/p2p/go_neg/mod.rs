//! GO Negotiation (Wi-Fi P2P spec 3.1.4.2; frames 4.2.9.2-4.2.9.4) as a sans-IO machine:
//! both roles, PBC and PIN, with virtual time and injected randomness.
//!
//! One [`GoNegotiator`] per P2P device: at most one negotiation runs at a time (hostap's
//! `go_neg_peer`), and peers may be authorised in advance (`P2P_CONNECT ... auth`) or
//! rejected (`P2P_REJECT`). Drive it with [`GoNegotiator::handle_input`] /
//! [`GoNegotiator::handle_timeout`], drain [`GoNegotiator::poll_output`], and wake it at
//! [`GoNegotiator::poll_timeout`]. It never sees the PIN: the method is enough to
//! negotiate; the agent keeps the PIN for the WPS step.
//!
//! The rules, with their sources (hostap `src/p2p/p2p_go_neg.c` and `p2p.c`, summarised in
//! `p2p-flows.md` section 2):
//! - **Request** on the peer's listen frequency with a 500 ms wait. No ACK: pause 100 ms,
//!   listen on our listen channel for 100, 200 or 300 TU (random), send again. ACK but no
//!   Response within 500 ms: listen, send again. The tie breaker and dialog token stay the
//!   same across these retries. After [`Local::max_requests`] requests (default
//!   [`DEFAULT_MAX_REQUESTS`] = 120, as wpa_supplicant; about 40 s when the peer never
//!   answers) the negotiation fails with status -1.
//! - **Status 1** (the peer's user has not accepted yet): wait up to 120 s for the peer's
//!   own Request, alternating 200 ms idle and a 100-300 TU listen on our channel.
//! - **Responder** decision order: malformed Request or a Device Info address that is
//!   not the sender: 4; a rejected peer: 11; a peer not authorised: 1, with
//!   [`Event::PeerNotReady`]; busy with another peer: 5; collision (we sent a Request to
//!   this peer too and its address is higher than ours): no answer, our Request goes on;
//!   both intents 15: 9; no common channel (including a forced channel the peer lacks):
//!   7; incompatible Device Password IDs: 10; otherwise success. A Response goes on the
//!   frequency the Request came in on with a 100 ms wait. Failures 9, 7, 10 and 4 end an
//!   authorised negotiation with [`Event::Failure`] too.
//! - **Roles**: the higher intent is GO; equal intents: the side whose received tie
//!   breaker bit is 1 lost (the peer is GO). The responder's tie breaker is the
//!   inverse of the Request's. The initiator's is random at start and flips on every new
//!   [`Input::Initiate`].
//! - **Password IDs**: a peer that displays (5) needs our keypad, a peer that types (1)
//!   needs our display, push button (4) needs push button; anything else is status 10.
//! - **Confirm** on the Response's frequency with a 50 ms wait; without ACK it is sent once
//!   more, then assumed received. The responder, on the Confirm, stays 20 ms on the
//!   channel (to ACK a retransmission) before reporting success. A repeated Request
//!   (our Response was lost) gets the same Response again. A responder that gets
//!   neither a Confirm nor a repeated Request within [`CONFIRM_TIMEOUT`] reports failure
//!   -1 but keeps the peer authorised, so a late retry of the initiator still succeeds.
//! - **Attributes**: Request: Capability (group capabilities included), GO Intent,
//!   Config Timeout, Listen Channel, Intended Interface Address, Channel List, Device
//!   Info, Operating Channel, and a WSC IE with only Version, Device Password ID and the
//!   WFA extension. Response: Status, Capability (group capabilities only if we will be
//!   GO), GO Intent, Config Timeout, Operating Channel (omitted when the peer will be
//!   GO), Intended Interface Address, Channel List (the intersection if we will be GO,
//!   ours otherwise), Device Info, Group ID only if we will be GO, and the same WSC IE.
//!   Confirm: Status, Capability, Operating Channel (ours if GO, else the Response's),
//!   Channel List (the intersection), Group ID only if we are GO; no WSC IE.
//! - The GO chooses the SSID `DIRECT-xy` (two random characters); the group formation
//!   deadline is 15 s plus the peer's configuration timeout ([`Success::formation_timeout`]).
//!
//! A `P2P_CANCEL` ([`Input::Cancel`]) ends the running negotiation silently (no event).
//! The negotiator never stops a find or listen of the agent's own: the agent does that
//! when `P2P_CONNECT` starts, as wpa_supplicant stops its find.
//!
//! Files: `api` (inputs, outputs, events, our device), `initiator` (Request, retries,
//! Confirm), `responder` (the answer to a Request, the Confirm taken), `channels` (channel
//! lists and the operating channel), and this file (state, timers, drive interface).

mod api;
mod channels;
mod initiator;
mod responder;
#[cfg(test)]
mod tests;

pub use api::{
    Connect, Event, FailureReason, FrameType, GoSsid, Input, Local, Output, Role, Success, Tx,
    TxId, WpsMethod,
};
pub use channels::{country_compatible, intersect, offered, select_operating};

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use crate::eapol::RandomSource;
use crate::ieee80211::MacAddr;
use crate::p2p::wire::{
    self, Capability, Channel, ChannelList, ConfigMethods, DeviceCapability, DeviceInfo, GoIntent,
    GoNegConfirmation, GoNegRequest, GoNegResponse, GroupCapability, GroupId, P2pActionFrame,
    P2pStatus, consts::MAX_GO_INTENT,
};

/// Wait (ms) sent with a Request (hostap `p2p_connect_send`).
pub const REQUEST_WAIT_MS: u32 = 500;
/// Wait (ms) sent with a Response (`p2p_process_go_neg_req`).
pub const RESPONSE_WAIT_MS: u32 = 100;
/// Wait (ms) sent with a Confirm (`p2p_process_go_neg_resp`).
pub const CONFIRM_WAIT_MS: u32 = 50;
/// Pause after a Request nobody ACKed, before listening (`p2p_go_neg_req_cb`).
pub const NO_ACK_PAUSE: Duration = Duration::from_millis(100);
/// How long an ACKed Request waits for its Response before listening and resending.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_millis(500);
/// How long to wait for a peer that answered status 1 to send its own Request.
pub const PEER_READY_TIMEOUT: Duration = Duration::from_secs(120);
/// Idle time between listens while waiting for that peer (`p2p_timeout_wait_peer_idle`).
pub const PEER_WAIT_IDLE: Duration = Duration::from_millis(200);
/// How long the responder waits for the Confirm after its success Response. One second
/// covers the initiator's Confirm retry on an idle radio, but a wpa_supplicant initiator
/// on a loaded machine was seen to send its Confirm 1.2 s after our Response (a CI run:
/// the negotiation failed on our side while the peer went on to form the group), so the
/// responder gives it three.
pub const CONFIRM_TIMEOUT: Duration = Duration::from_secs(3);
/// Time on channel after a received Confirm (`os_sleep(0, 20000)` in hostap).
pub const CONFIRM_SETTLE: Duration = Duration::from_millis(20);
/// Requests sent before giving up (hostap's `connect_reqs` limit).
pub const DEFAULT_MAX_REQUESTS: u32 = 120;
/// Fixed part of the group formation deadline (`15 + peer config timeout` s in hostap).
pub const FORMATION_BASE: Duration = Duration::from_secs(15);
/// Confirms sent at most (the first and one retry, `P2P_GO_NEG_CNF_MAX_RETRY_COUNT`).
const MAX_CONFIRMS: u8 = 2;
/// One time unit (802.11): 1024 µs.
const TU: Duration = Duration::from_micros(1024);

/// WSC Device Password ID values (WSC 2.0 Table 37).
const DPID_DEFAULT: u16 = 0;
const DPID_USER_SPECIFIED: u16 = 1;
const DPID_PUSH_BUTTON: u16 = 4;
const DPID_REGISTRAR_SPECIFIED: u16 = 5;

/// The request being sent, kept across retries.
#[derive(Debug, Clone)]
struct Attempt {
    connect: Connect,
    peer_listen_freq: u32,
    tie_breaker: bool,
    dialog_token: u8,
    requests_sent: u32,
    /// Requests the peer acknowledged (it was on the channel and heard us), and Requests
    /// it did not.
    requests_acked: u32,
    requests_not_acked: u32,
}

impl Attempt {
    /// Every Request whose TX status came was lost: the peer is not on the channel we
    /// send to.
    fn unheard(&self) -> bool {
        self.requests_acked == 0 && self.requests_not_acked > 0
    }
}

/// A negotiation both sides agreed on, waiting for the Confirm exchange.
#[derive(Debug, Clone)]
struct Agreed {
    success: Success,
    dialog_token: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RetryPhase {
    /// No ACK: short pause before listening.
    Pause,
    /// Listening on our channel before the next Request.
    Listen,
}

/// The negotiator's state, named for what it waits for.
#[derive(Debug, Clone)]
enum State {
    /// Nothing running.
    Idle,
    /// Request sent; its TX status is due.
    WaitRequestAck { att: Attempt, tx: TxId },
    /// Request ACKed; its Response is due.
    WaitResponse { att: Attempt, deadline: Instant },
    /// Peer not listening: pause, then listen, then resend.
    WaitRetry {
        att: Attempt,
        phase: RetryPhase,
        deadline: Instant,
    },
    /// The peer answered status 1: wait for its own Request, listening at times.
    WaitPeerRequest {
        att: Attempt,
        give_up: Instant,
        listening: bool,
        next: Instant,
    },
    /// Confirm sent (initiator); its TX status is due.
    WaitConfirmAck { agreed: Agreed, tx: Tx, sent: u8 },
    /// Success Response sent (responder); the Confirm is due.
    WaitConfirm {
        agreed: Agreed,
        response: Tx,
        deadline: Instant,
    },
    /// Confirm received (responder): staying on channel before reporting.
    Settle { success: Success, deadline: Instant },
    /// The last negotiation succeeded.
    Done(Success),
    /// The last negotiation failed.
    Failed {
        peer: MacAddr,
        reason: FailureReason,
    },
}

impl State {
    /// The peer of the running negotiation.
    fn active_peer(&self) -> Option<MacAddr> {
        match self {
            State::WaitRequestAck { att, .. }
            | State::WaitResponse { att, .. }
            | State::WaitRetry { att, .. }
            | State::WaitPeerRequest { att, .. } => Some(att.connect.peer),
            State::WaitConfirmAck { agreed, .. } | State::WaitConfirm { agreed, .. } => {
                Some(agreed.success.peer_dev)
            }
            State::Settle { success, .. } => Some(success.peer_dev),
            State::Idle | State::Done(_) | State::Failed { .. } => None,
        }
    }

    fn deadline(&self) -> Option<Instant> {
        match self {
            State::WaitResponse { deadline, .. }
            | State::WaitRetry { deadline, .. }
            | State::WaitConfirm { deadline, .. }
            | State::Settle { deadline, .. } => Some(*deadline),
            State::WaitPeerRequest { give_up, next, .. } => Some((*give_up).min(*next)),
            _ => None,
        }
    }

    fn is_listening(&self) -> bool {
        matches!(
            self,
            State::WaitRetry {
                phase: RetryPhase::Listen,
                ..
            } | State::WaitPeerRequest {
                listening: true,
                ..
            }
        )
    }
}

/// The GO negotiation of one P2P device (see the module documentation).
pub struct GoNegotiator {
    local: Local,
    rng: Box<dyn RandomSource + Send>,
    state: State,
    /// Peers authorised to negotiate, with how.
    authorized: Vec<Connect>,
    /// Peers the user rejected.
    rejected: Vec<MacAddr>,
    next_tie_breaker: bool,
    next_dialog_token: u8,
    next_tx: u64,
    outputs: VecDeque<Output>,
}

impl fmt::Debug for GoNegotiator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoNegotiator")
            .field("device_addr", &self.local.device_addr)
            .field("state", &self.state_name())
            .field("authorized", &self.authorized)
            .field("rejected", &self.rejected)
            .finish()
    }
}

/// Why a received frame was not used (logged, then dropped).
#[derive(Debug)]
enum Ignored {
    Wire(wire::Error),
    NotExpected(&'static str),
}

impl fmt::Display for Ignored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ignored::Wire(e) => write!(f, "{e}"),
            Ignored::NotExpected(why) => f.write_str(why),
        }
    }
}

impl From<wire::Error> for Ignored {
    fn from(e: wire::Error) -> Self {
        Ignored::Wire(e)
    }
}

/// The role `own_intent` gets against the peer's GO Intent octet (`p2p_go_det`):
/// `None` when both are 15.
pub fn decide_role(own_intent: u8, peer: GoIntent) -> Option<Role> {
    use std::cmp::Ordering::*;
    match own_intent.cmp(&peer.intent) {
        Greater => Some(Role::Go),
        Less => Some(Role::Client),
        Equal if own_intent >= MAX_GO_INTENT => None,
        Equal if peer.tie_breaker => Some(Role::Client),
        Equal => Some(Role::Go),
    }
}

/// The WSC attributes of negotiation Requests and Responses: Version 1.0, Device Password
/// ID, and the WFA extension with Version2 2.0 (hostap `p2p_build_wps_ie` with
/// `all_attr = 0`). Type and length big-endian.
pub fn wsc_payload(password_id: u16) -> Vec<u8> {
    let mut v = Vec::with_capacity(21);
    v.extend_from_slice(&[0x10, 0x4a, 0x00, 0x01, 0x10]);
    v.extend_from_slice(&[0x10, 0x12, 0x00, 0x02]);
    v.extend_from_slice(&password_id.to_be_bytes());
    v.extend_from_slice(&[0x10, 0x49, 0x00, 0x06, 0x00, 0x37, 0x2a, 0x00, 0x01, 0x20]);
    v
}

/// The Device Password ID in a WSC payload (0 when absent or unreadable, as hostap's
/// parser leaves it).
pub fn password_id(wsc: &[u8]) -> u16 {
    wps::attr::raw_attrs(wsc)
        .map_while(Result::ok)
        .find(|a| a.kind == wps::attr::AttrType::DEVICE_PASSWORD_ID)
        .and_then(|a| <[u8; 2]>::try_from(a.value).ok())
        .map_or(DPID_DEFAULT, u16::from_be_bytes)
}

/// A random listen time of 1, 2 or 3 units of 100 TU (hostap `p2p_listen_in_find`).
fn listen_time(rng: &mut dyn RandomSource) -> Duration {
    let mut b = [0u8; 1];
    rng.fill(&mut b);
    TU * (100 * (u32::from(b[0] % 3) + 1))
}

impl GoNegotiator {
    /// A negotiator for our device; the first tie breaker is drawn from `rng`.
    pub fn new(local: Local, mut rng: Box<dyn RandomSource + Send>) -> Self {
        let mut b = [0u8; 1];
        rng.fill(&mut b);
        GoNegotiator {
            local,
            rng,
            state: State::Idle,
            authorized: Vec::new(),
            rejected: Vec::new(),
            next_tie_breaker: b[0] & 1 != 0,
            next_dialog_token: 1,
            next_tx: 0,
            outputs: VecDeque::new(),
        }
    }

    /// What we are.
    pub fn local(&self) -> &Local {
        &self.local
    }

    /// Replaces what we are (listen channel, channel list, ...); used by the next
    /// negotiation.
    pub fn set_local(&mut self, local: Local) {
        self.local = local;
    }

    /// The state's name, for `STATUS` and logs.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            State::Idle => "IDLE",
            State::WaitRequestAck { .. } => "WAIT_REQUEST_ACK",
            State::WaitResponse { .. } => "WAIT_RESPONSE",
            State::WaitRetry { .. } => "WAIT_RETRY",
            State::WaitPeerRequest { .. } => "WAIT_PEER_REQUEST",
            State::WaitConfirmAck { .. } => "WAIT_CONFIRM_ACK",
            State::WaitConfirm { .. } => "WAIT_CONFIRM",
            State::Settle { .. } => "SETTLE",
            State::Done(_) => "DONE",
            State::Failed { .. } => "FAILED",
        }
    }

    /// How the last negotiation ended; `None` while one runs or before the first.
    pub fn outcome(&self) -> Option<Result<&Success, (MacAddr, FailureReason)>> {
        match &self.state {
            State::Done(s) => Some(Ok(s)),
            State::Failed { peer, reason } => Some(Err((*peer, *reason))),
            _ => None,
        }
    }

    /// The peer of the running negotiation, if any.
    pub fn active_peer(&self) -> Option<MacAddr> {
        self.state.active_peer()
    }

    /// Whether `peer` is authorised.
    pub fn is_authorized(&self, peer: MacAddr) -> bool {
        self.authorization(peer).is_some()
    }

    /// Whether `peer` is rejected (`P2P_REJECT`).
    pub fn is_rejected(&self, peer: MacAddr) -> bool {
        self.rejected.contains(&peer)
    }

    /// The next output to perform.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// When [`GoNegotiator::handle_timeout`] wants to run next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.state.deadline()
    }

    /// Feeds one input.
    pub fn handle_input(&mut self, now: Instant, input: Input) {
        match input {
            Input::Initiate {
                connect,
                peer_listen_freq,
                tie_breaker,
            } => self.initiate(now, connect, peer_listen_freq, tie_breaker),
            Input::Authorize(connect) => {
                tracing::debug!(peer = %connect.peer, method = ?connect.method, "GO negotiation authorised");
                self.authorize(connect);
            }
            Input::Reject(peer) => {
                tracing::debug!(%peer, "GO negotiation peer rejected");
                self.authorized.retain(|c| c.peer != peer);
                if !self.rejected.contains(&peer) {
                    self.rejected.push(peer);
                }
                if self.state.active_peer() == Some(peer) {
                    self.end_quietly();
                }
            }
            Input::Cancel => {
                if let Some(peer) = self.state.active_peer() {
                    tracing::info!(%peer, "GO negotiation cancelled");
                    self.authorized.retain(|c| c.peer != peer);
                }
                self.end_quietly();
            }
            Input::Frame { sa, freq, body } => {
                if let Err(e) = self.on_frame(now, sa, freq, &body) {
                    tracing::debug!(%sa, freq, "GO negotiation frame dropped: {e}");
                }
            }
            Input::TxStatus { id, acked } => self.on_tx_status(now, id, acked),
            Input::ListenEnded => {
                if matches!(
                    self.state,
                    State::WaitRetry {
                        phase: RetryPhase::Listen,
                        ..
                    }
                ) {
                    self.retry_now(now);
                }
            }
        }
    }

    /// Runs what is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state.deadline().is_none_or(|d| now < d) {
            return;
        }
        match std::mem::replace(&mut self.state, State::Idle) {
            State::WaitResponse { att, .. } => {
                tracing::debug!(peer = %att.connect.peer, "no GO Negotiation Response; listening before a retry");
                self.start_listen(now, att);
            }
            State::WaitRetry {
                att,
                phase: RetryPhase::Pause,
                ..
            } => self.start_listen(now, att),
            State::WaitRetry {
                att,
                phase: RetryPhase::Listen,
                deadline,
            } => {
                self.state = State::WaitRetry {
                    att,
                    phase: RetryPhase::Listen,
                    deadline,
                };
                self.retry_now(now);
            }
            State::WaitPeerRequest {
                att,
                give_up,
                listening,
                ..
            } => {
                if now >= give_up {
                    tracing::info!(peer = %att.connect.peer, "peer did not come back with its GO Negotiation Request");
                    if listening {
                        self.outputs.push_back(Output::StopListen);
                    }
                    self.fail(att.connect.peer, FailureReason::Timeout);
                } else if listening {
                    self.state = State::WaitPeerRequest {
                        att,
                        give_up,
                        listening: false,
                        next: now + PEER_WAIT_IDLE,
                    };
                } else {
                    let d = listen_time(self.rng.as_mut());
                    self.outputs.push_back(Output::Listen {
                        freq: self.listen_freq(),
                        duration: d,
                    });
                    self.state = State::WaitPeerRequest {
                        att,
                        give_up,
                        listening: true,
                        next: now + d,
                    };
                }
            }
            State::WaitConfirm { agreed, .. } => {
                // The authorisation stays: the initiator may still be retrying (our
                // Responses lost), and its next Request is answered again.
                let peer = agreed.success.peer_dev;
                let auth = self.authorization(peer);
                tracing::info!(%peer, "no GO Negotiation Confirm");
                self.fail(peer, FailureReason::Timeout);
                if let Some(c) = auth {
                    self.authorized.push(c);
                }
            }
            State::Settle { success, .. } => self.succeed(success),
            other => self.state = other,
        }
    }

    fn listen_freq(&self) -> u32 {
        self.local.listen_channel.freq_mhz().unwrap_or(2437)
    }

    fn authorization(&self, peer: MacAddr) -> Option<Connect> {
        self.authorized.iter().find(|c| c.peer == peer).copied()
    }

    fn authorize(&mut self, connect: Connect) {
        self.rejected.retain(|p| *p != connect.peer);
        self.authorized.retain(|c| c.peer != connect.peer);
        self.authorized.push(connect);
    }

    /// Ends the running negotiation without an event.
    fn end_quietly(&mut self) {
        if self.state.is_listening() {
            self.outputs.push_back(Output::StopListen);
        }
        if self.state.active_peer().is_some() {
            self.state = State::Idle;
        }
    }

    fn fail(&mut self, peer: MacAddr, reason: FailureReason) {
        tracing::info!(%peer, status = reason.code(), "GO negotiation failed");
        self.authorized.retain(|c| c.peer != peer);
        self.outputs
            .push_back(Output::Event(Event::Failure { peer, reason }));
        self.state = State::Failed { peer, reason };
    }

    fn succeed(&mut self, success: Success) {
        tracing::info!(peer = %success.peer_dev, role = ?success.role, freq = success.freq, "GO negotiation succeeded");
        self.authorized.retain(|c| c.peer != success.peer_dev);
        self.outputs
            .push_back(Output::Event(Event::Success(success.clone())));
        self.state = State::Done(success);
    }

    fn tx_id(&mut self) -> TxId {
        self.next_tx += 1;
        TxId(self.next_tx)
    }

    fn send(&mut self, tx: Tx) {
        tracing::debug!(kind = ?tx.kind, da = %tx.da, freq = tx.freq, "GO negotiation frame out");
        self.outputs.push_back(Output::Send(tx));
    }

    /// A whole management frame from our device address.
    fn mgmt(&self, frame: &P2pActionFrame, da: MacAddr, bssid: MacAddr) -> Vec<u8> {
        frame.to_mgmt(da, self.local.device_addr, bssid).to_vec()
    }

    fn forced_channel(&self, connect: &Connect) -> Option<Channel> {
        connect
            .forced_freq
            .and_then(|f| Channel::from_freq(self.local.channels.country, f))
    }

    fn offered_channels(&self, connect: &Connect) -> ChannelList {
        offered(&self.local.channels, self.forced_channel(connect))
    }

    fn preferred_op_channel(&self, connect: &Connect) -> Channel {
        self.forced_channel(connect)
            .unwrap_or(self.local.op_channel)
    }

    fn device_info(&self, method: Option<WpsMethod>) -> DeviceInfo {
        let mut desc = self.local.device.clone();
        desc.config_methods = match method {
            Some(m) => m.config_methods(),
            None => {
                desc.config_methods
                    & (ConfigMethods::PUSH_BUTTON
                        | ConfigMethods::DISPLAY
                        | ConfigMethods::KEYPAD
                        | ConfigMethods::P2PS)
            }
        };
        DeviceInfo {
            device_addr: self.local.device_addr,
            desc,
        }
    }

    fn capability(&self, group: bool, persistent: bool) -> Capability {
        let mut g = GroupCapability::empty();
        if group {
            g = self.local.group_capability;
            if persistent {
                g |= GroupCapability::PERSISTENT_GROUP;
            }
        }
        Capability {
            device: self.local.device_capability - DeviceCapability::CLIENT_DISCOVERABILITY,
            group: g,
        }
    }

    fn on_tx_status(&mut self, now: Instant, id: TxId, acked: bool) {
        match std::mem::replace(&mut self.state, State::Idle) {
            State::WaitRequestAck { mut att, tx } if tx == id => {
                self.state = if acked {
                    att.requests_acked += 1;
                    State::WaitResponse {
                        att,
                        deadline: now + RESPONSE_TIMEOUT,
                    }
                } else {
                    att.requests_not_acked += 1;
                    tracing::debug!(peer = %att.connect.peer, sent = att.requests_sent, "GO Negotiation Request not ACKed");
                    State::WaitRetry {
                        att,
                        phase: RetryPhase::Pause,
                        deadline: now + NO_ACK_PAUSE,
                    }
                };
            }
            State::WaitConfirmAck { agreed, tx, sent } if tx.id == id => {
                if acked || sent >= MAX_CONFIRMS {
                    if !acked {
                        tracing::debug!(peer = %agreed.success.peer_dev, "GO Negotiation Confirm not ACKed twice; assuming it arrived");
                    }
                    self.succeed(agreed.success);
                } else {
                    let tx = Tx {
                        id: self.tx_id(),
                        ..tx
                    };
                    self.send(tx.clone());
                    self.state = State::WaitConfirmAck {
                        agreed,
                        tx,
                        sent: sent + 1,
                    };
                }
            }
            other => self.state = other,
        }
    }

    fn on_frame(
        &mut self,
        now: Instant,
        sa: MacAddr,
        freq: u32,
        body: &[u8],
    ) -> Result<(), Ignored> {
        let frame = P2pActionFrame::parse(body)?;
        match frame.kind {
            GoNegRequest::KIND => self.on_request(now, sa, freq, &frame),
            GoNegResponse::KIND => self.on_response(now, sa, freq, &frame),
            GoNegConfirmation::KIND => self.on_confirm(now, sa, &frame),
            _ => Err(Ignored::NotExpected("not a GO negotiation frame")),
        }
    }
}
