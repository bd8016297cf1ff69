//! P2P Invitation (Wi-Fi P2P spec 3.1.5; frames 4.2.9.5-4.2.9.6) as a sans-IO machine:
//! inviting a peer into a group, and answering the peer's invitations.
//!
//! One [`Inviter`] per P2P device: at most one invitation we send runs at a time (hostap's
//! `invite_peer`); Requests from peers are answered whenever they come. Drive it with
//! [`Inviter::handle_input`] / [`Inviter::handle_timeout`], drain
//! [`Inviter::poll_output`], wake it at [`Inviter::poll_timeout`].
//!
//! The rules, with their sources (hostap `src/p2p/p2p_invitation.c`, `p2p.c` and
//! `wpa_supplicant/p2p_supplicant.c`, summarised in `p2p-flows.md` section 3):
//! - **Request** on the peer's listen frequency, with a wait of 500 ms, or 150 ms when we
//!   invite as the GO of a running group (`p2p_invite_send`). No ACK: 100 ms pause;
//!   ACK but no Response: 500 ms (`p2p_invite_req_cb`). Then, before the next Request, a
//!   listen of 100, 200 or 300 TU on our listen channel, or for an active GO 120 ms on
//!   its operating channel (no listen: the GO must keep beaconing) (`p2p_timeout_invite`).
//!   After [`Local::max_requests`] requests (hostap: 100) the invitation ends with
//!   [`InviteFailure::Timeout`] (`P2P-INVITATION-RESULT status=-1`). Every Request has
//!   a new dialog token, and only a Response with the last one counts (as wpa_supplicant
//!   does: its five Requests of the `wire-capture` capture carry tokens 1 to 5).
//! - Request attributes (`p2p_build_invitation_req`): Config Timeout (0,0 for a running
//!   group or a join invitation, else our own), Invitation Flags (bit 0: re-invoke a
//!   persistent group), Operating Channel, Group BSSID (when we are GO), Channel List
//!   (only the operating channel for a running group we own: it cannot move), Group ID,
//!   Device Info. Address 3 of a Request is the invitee's address, of a Response ours.
//! - **Response** from the peer: its Status is the result (`P2P-INVITATION-RESULT
//!   status=<n>`), with its Group BSSID if any.
//! - **Answer** to a Request ([`answer`], a pure function, `p2p_process_invitation_req` +
//!   `wpas_invitation_process`): an unreadable Request (missing Group ID or Channel List)
//!   is status 4 (one whose P2P IE does not parse is dropped); no channel in common is 7; an invitation to join an active group is 0
//!   only if the user authorised that GO or inviter in advance, else 1 (the user is
//!   told and may join); a persistent re-invocation is 0 for a group we have stored
//!   (matched by GO device address and SSID; when we are its GO the Response names the
//!   operating channel, the inviter's if we share it, and our group's BSSID), else 8
//!   (unknown group); 5 (unable to accommodate) while another group runs; with
//!   [`Local::persistent_reconnect`] off, 1 (the user is told and re-invokes it) unless
//!   the group runs or the peer is the one that answered our re-invocation 1 (hostap's
//!   `p2p_auth_invite`: it promised to invite, so its invitation is accepted once). The
//!   Response goes
//!   on the frequency the Request came on with a 50 ms wait; once its TX status is
//!   known (ACKed or not, "assume received" as hostap) [`Event::Received`] is reported.
//! - **Crossing re-invocations** (both ends re-invoke the same stored group with each
//!   other at once; hostap has no rule for it, and two directd each waiting on the other's
//!   channel for 500 ms after every Request lost each other's Responses for half a minute):
//!   as in GO negotiation's collision rule, the higher P2P device address yields. Its
//!   invitation ends ([`Event::Yielded`], no result), the wait of its last Request ends
//!   ([`Output::EndWait`]) so that its Response goes out at once, and the peer's Request
//!   is answered as usual (0: the group starts). The lower address keeps inviting and
//!   answers the peer's Request 1 ("wait for mine", what wpa_supplicant's inviter takes as
//!   the peer about to invite), telling its user nothing.

mod answer;
#[cfg(test)]
mod capture_tests;
#[cfg(test)]
mod tests;

pub use answer::{Answer, OurDevice, Received, RunningGroup, answer};

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use crate::eapol::RandomSource;
use crate::ieee80211::MacAddr;
use crate::p2p::wire::{
    self, Channel, ChannelList, ConfigTimeout, DeviceCapability, DeviceDescription, DeviceInfo,
    GroupId, InvitationFlags, InvitationRequest, InvitationResponse, P2pActionFrame, P2pStatus,
};

/// Wait (ms) sent with a Request (`p2p_invite_send`).
pub const REQUEST_WAIT_MS: u32 = 500;
/// Wait (ms) sent with a Request from the GO of a running group.
pub const REQUEST_WAIT_GO_MS: u32 = 150;
/// Wait (ms) sent with a Response (`p2p_process_invitation_req`).
pub const RESPONSE_WAIT_MS: u32 = 50;
/// Pause after a Request nobody ACKed (`p2p_invite_req_cb`).
pub const NO_ACK_PAUSE: Duration = Duration::from_millis(100);
/// How long an ACKed Request waits for its Response.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_millis(500);
/// An active GO's time on its own channel between Requests (`p2p_timeout_invite`).
pub const GO_BEACON_PAUSE: Duration = Duration::from_millis(120);
/// Requests sent before giving up (hostap: `invite_req` count limit 100).
pub const DEFAULT_MAX_REQUESTS: u32 = 100;
/// One time unit (802.11): 1024 µs.
const TU: Duration = Duration::from_micros(1024);

/// What we are: constant for an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// Our P2P device address.
    pub device_addr: MacAddr,
    /// Name, device types, config methods.
    pub device: DeviceDescription,
    /// Device capabilities (client discoverability is not sent).
    pub device_capability: DeviceCapability,
    /// Channels we can run a group on.
    pub channels: ChannelList,
    /// Our listen channel.
    pub listen_channel: Channel,
    /// Our configuration timeouts (sent when a persistent group must be started).
    pub config_timeout: ConfigTimeout,
    /// Requests sent before giving up.
    pub max_requests: u32,
    /// The persistent groups we have stored (GO device address, SSID): their
    /// re-invocation is accepted.
    pub stored: Vec<GroupId>,
    /// The interface address of a group we re-invoke as GO.
    pub group_iface_addr: MacAddr,
    /// The stored groups we run as GO now.
    pub running: Vec<RunningGroup>,
    /// `persistent_reconnect`: accept a re-invocation of a stored group without asking.
    pub persistent_reconnect: bool,
    /// No room for another group; the SSIDs of the groups that run or start.
    pub groups_full: bool,
    pub active_ssids: Vec<Vec<u8>>,
}

/// An invitation the user asked for (`P2P_INVITE`).
#[derive(Clone, PartialEq, Eq)]
pub struct Invite {
    /// The invitee's P2P device address.
    pub peer: MacAddr,
    /// The group: its GO's device address and SSID.
    pub group: GroupId,
    /// The group's BSSID, when we are its GO.
    pub bssid: Option<MacAddr>,
    /// The group's operating channel (absent: a client-role re-invocation with no
    /// preference).
    pub op_channel: Option<Channel>,
    /// Re-invoke a persistent group (else: join an active group).
    pub persistent: bool,
    /// We are the GO of the running group (the Request's wait and the pause between
    /// Requests keep us on our channel).
    pub active_go: bool,
}

impl fmt::Debug for Invite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invite")
            .field("peer", &self.peer)
            .field("go_dev_addr", &self.group.device_addr)
            .field("ssid", &String::from_utf8_lossy(&self.group.ssid))
            .field("bssid", &self.bssid)
            .field("op_channel", &self.op_channel)
            .field("persistent", &self.persistent)
            .field("active_go", &self.active_go)
            .finish()
    }
}

/// Transmission handle: [`Input::TxStatus`] names the frame it reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TxId(pub u64);

/// Which invitation frame a [`Tx`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameType {
    /// Invitation Request.
    Request,
    /// Invitation Response.
    Response,
}

/// A frame to send with `NL80211_CMD_FRAME` (off-channel allowed).
#[derive(Clone, PartialEq, Eq)]
pub struct Tx {
    /// Handle for the TX status.
    pub id: TxId,
    /// Which frame.
    pub kind: FrameType,
    /// Frequency (MHz).
    pub freq: u32,
    /// How long to stay on `freq` for an answer (ms).
    pub wait_ms: u32,
    /// Receiver.
    pub da: MacAddr,
    /// The whole management frame.
    pub frame: Vec<u8>,
}

impl fmt::Debug for Tx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("freq", &self.freq)
            .field("wait_ms", &self.wait_ms)
            .field("da", &self.da)
            .field("len", &self.frame.len())
            .finish()
    }
}

/// Why an invitation we sent did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InviteFailure {
    /// The peer's Status.
    Status(P2pStatus),
    /// No Response after every Request (`status=-1`).
    Timeout,
}

/// What the user is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The invitation we sent ended (`P2P-INVITATION-RESULT`).
    Result {
        /// The invitee.
        peer: MacAddr,
        /// `Ok`: status 0 (with the peer's Group BSSID, if it sent one).
        result: Result<Option<MacAddr>, InviteFailure>,
        /// The Operating Channel of the peer's Response (MHz), if it sent one (where
        /// the group it re-invokes as GO runs).
        op_freq: Option<u32>,
    },
    /// A peer's Request was answered (`P2P-INVITATION-RECEIVED` / `-ACCEPTED`).
    Received(Received),
    /// The peer re-invokes the group we were re-invoking with it, and our address is the
    /// higher: our invitation ended (no result); the peer's is accepted instead.
    Yielded {
        /// The peer.
        peer: MacAddr,
    },
}

impl Event {
    /// The status number wpa_supplicant prints for a [`Event::Result`].
    pub fn status_code(result: &Result<Option<MacAddr>, InviteFailure>) -> i32 {
        match result {
            Ok(_) => 0,
            Err(InviteFailure::Status(s)) => i32::from(s.0),
            Err(InviteFailure::Timeout) => -1,
        }
    }
}

/// What the machine asks its driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Send a frame.
    Send(Tx),
    /// Remain on our listen channel for `duration`.
    Listen {
        /// Frequency (MHz).
        freq: u32,
        /// How long.
        duration: Duration,
    },
    /// End the listen started with [`Output::Listen`].
    StopListen,
    /// End the wait of our last Request on the peer's channel now (the Response to the
    /// peer's crossing Request must not queue behind it).
    EndWait,
    /// Tell the user.
    Event(Event),
}

/// What happens to the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// `P2P_INVITE`: send Requests to the peer until it answers.
    Invite {
        /// The invitation.
        invite: Invite,
        /// The peer's listen frequency (MHz).
        peer_listen_freq: u32,
    },
    /// The user authorised joining this GO's (or inviter's) group in advance: its
    /// invitation is accepted (`P2P_CONNECT <addr> ... join auth`).
    AuthorizeJoin(MacAddr),
    /// End the invitation we send, silently.
    Cancel,
    /// An invitation public action frame received on the P2P device.
    Frame {
        /// Transmitter.
        sa: MacAddr,
        /// Frequency it came on (MHz).
        freq: u32,
        /// Action body, category octet first.
        body: Vec<u8>,
    },
    /// TX status of a frame we sent.
    TxStatus {
        /// Which frame.
        id: TxId,
        /// Whether the receiver ACKed it.
        acked: bool,
    },
    /// The listen we asked for ended.
    ListenEnded,
}

/// The invitation being sent, kept across retries.
#[derive(Debug, Clone)]
struct Attempt {
    invite: Invite,
    peer_listen_freq: u32,
    dialog_token: u8,
    requests_sent: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RetryPhase {
    /// Before the listen (no ACK, or no Response).
    Pause,
    /// Listening (or, as GO, staying on channel) before the next Request.
    Listen,
}

/// The sending side's state, named for what it waits for.
#[derive(Debug, Clone)]
enum State {
    Idle,
    /// Request sent; its TX status is due.
    WaitRequestAck { att: Attempt, tx: TxId },
    /// Request ACKed; the Response is due.
    WaitResponse { att: Attempt, deadline: Instant },
    /// Between Requests.
    WaitRetry {
        att: Attempt,
        phase: RetryPhase,
        listening: bool,
        deadline: Instant,
    },
}

impl State {
    fn attempt(&self) -> Option<&Attempt> {
        match self {
            State::WaitRequestAck { att, .. }
            | State::WaitResponse { att, .. }
            | State::WaitRetry { att, .. } => Some(att),
            State::Idle => None,
        }
    }

    fn deadline(&self) -> Option<Instant> {
        match self {
            State::WaitResponse { deadline, .. } | State::WaitRetry { deadline, .. } => {
                Some(*deadline)
            }
            _ => None,
        }
    }

    fn is_listening(&self) -> bool {
        matches!(
            self,
            State::WaitRetry {
                listening: true,
                ..
            }
        )
    }
}

/// The invitations of one P2P device (see the module documentation).
pub struct Inviter {
    local: Local,
    rng: Box<dyn RandomSource + Send>,
    state: State,
    /// Responses sent, waiting for their TX status before the user is told.
    answered: Vec<(TxId, Received)>,
    /// GOs (or inviters) whose join invitation the user accepted in advance.
    authorized: Vec<MacAddr>,
    /// The peer that answered our re-invocation 1: its re-invocation is accepted once.
    auth_invite: Option<MacAddr>,
    next_dialog_token: u8,
    next_tx: u64,
    outputs: VecDeque<Output>,
}

impl fmt::Debug for Inviter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inviter")
            .field("device_addr", &self.local.device_addr)
            .field("state", &self.state_name())
            .finish()
    }
}

/// A random listen time of 1, 2 or 3 units of 100 TU.
fn listen_time(rng: &mut dyn RandomSource) -> Duration {
    let mut b = [0u8; 1];
    rng.fill(&mut b);
    TU * (100 * (u32::from(b[0] % 3) + 1))
}

impl Inviter {
    /// A machine for our device.
    pub fn new(local: Local, rng: Box<dyn RandomSource + Send>) -> Self {
        Inviter {
            local,
            rng,
            state: State::Idle,
            answered: Vec::new(),
            authorized: Vec::new(),
            auth_invite: None,
            next_dialog_token: 1,
            next_tx: 0,
            outputs: VecDeque::new(),
        }
    }

    /// What we are.
    pub fn local(&self) -> &Local {
        &self.local
    }

    /// Replaces what we are (used by the next invitation).
    pub fn set_local(&mut self, local: Local) {
        self.local = local;
    }

    /// The sending side's state name, for logs.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            State::Idle => "IDLE",
            State::WaitRequestAck { .. } => "WAIT_REQUEST_ACK",
            State::WaitResponse { .. } => "WAIT_RESPONSE",
            State::WaitRetry { .. } => "WAIT_RETRY",
        }
    }

    /// The invitee of the running invitation.
    pub fn active_peer(&self) -> Option<MacAddr> {
        self.state.attempt().map(|a| a.invite.peer)
    }

    /// The next output to perform.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// When [`Inviter::handle_timeout`] wants to run next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.state.deadline()
    }

    /// Feeds one input.
    pub fn handle_input(&mut self, now: Instant, input: Input) {
        match input {
            Input::Invite {
                invite,
                peer_listen_freq,
            } => {
                if let Some(other) = self.active_peer() {
                    tracing::info!(%other, new = %invite.peer, "new P2P_INVITE replaces a running invitation");
                }
                self.end_quietly();
                tracing::info!(peer = %invite.peer, freq = peer_listen_freq, persistent = invite.persistent, "invitation started");
                let att = Attempt {
                    invite,
                    peer_listen_freq,
                    dialog_token: 0,
                    requests_sent: 0,
                };
                self.send_request(att);
            }
            Input::AuthorizeJoin(addr) => {
                if !self.authorized.contains(&addr) {
                    self.authorized.push(addr);
                }
            }
            Input::Cancel => self.end_quietly(),
            Input::Frame { sa, freq, body } => {
                if let Err(e) = self.on_frame(now, sa, freq, &body) {
                    tracing::debug!(%sa, freq, "invitation frame dropped: {e}");
                }
            }
            Input::TxStatus { id, acked } => self.on_tx_status(now, id, acked),
            Input::ListenEnded => {
                if let State::WaitRetry {
                    phase: RetryPhase::Listen,
                    listening: true,
                    ..
                } = self.state
                {
                    self.retry_now();
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
            State::WaitResponse { att, .. }
            | State::WaitRetry {
                att,
                phase: RetryPhase::Pause,
                ..
            } => self.start_listen(now, att),
            s @ State::WaitRetry {
                phase: RetryPhase::Listen,
                ..
            } => {
                self.state = s;
                self.retry_now();
            }
            other => self.state = other,
        }
    }

    fn end_quietly(&mut self) {
        if self.state.is_listening() {
            self.outputs.push_back(Output::StopListen);
        }
        self.state = State::Idle;
    }

    fn tx_id(&mut self) -> TxId {
        self.next_tx += 1;
        TxId(self.next_tx)
    }

    /// The Request of an attempt (`p2p_build_invitation_req`).
    fn request(&self, att: &Attempt) -> InvitationRequest {
        let inv = &att.invite;
        // A running group needs no time to start; a re-invoked one does.
        let config_timeout = if inv.active_go || !inv.persistent {
            ConfigTimeout {
                go_10ms: 0,
                client_10ms: 0,
            }
        } else {
            self.local.config_timeout
        };
        let mut desc = self.local.device.clone();
        desc.config_methods &= wire::ConfigMethods::PUSH_BUTTON
            | wire::ConfigMethods::DISPLAY
            | wire::ConfigMethods::KEYPAD
            | wire::ConfigMethods::P2PS;
        InvitationRequest {
            dialog_token: att.dialog_token,
            config_timeout,
            invitation_flags: if inv.persistent {
                InvitationFlags::REINVOKE_PERSISTENT
            } else {
                InvitationFlags::empty()
            },
            operating_channel: inv.op_channel,
            group_bssid: inv.bssid,
            channel_list: match (inv.active_go, inv.op_channel) {
                (true, Some(op)) => crate::p2p::go_neg::offered(&self.local.channels, Some(op)),
                _ => self.local.channels.clone(),
            },
            group_id: inv.group.clone(),
            device_info: DeviceInfo {
                device_addr: self.local.device_addr,
                desc,
            },
            ..Default::default()
        }
    }

    fn send_request(&mut self, mut att: Attempt) {
        let peer = att.invite.peer;
        if att.requests_sent >= self.local.max_requests {
            tracing::info!(%peer, requests = att.requests_sent, "peer never answered the Invitation Request");
            self.finish(peer, Err(InviteFailure::Timeout), None);
            return;
        }
        att.dialog_token = self.next_dialog_token;
        self.next_dialog_token = self.next_dialog_token.checked_add(1).unwrap_or(1);
        let frame = match self.request(&att).to_frame() {
            Ok(f) => self.mgmt(&f, peer, peer),
            Err(e) => {
                tracing::warn!(%peer, "cannot build the Invitation Request: {e}");
                self.finish(peer, Err(InviteFailure::Timeout), None);
                return;
            }
        };
        att.requests_sent += 1;
        let id = self.tx_id();
        let wait_ms = if att.invite.active_go {
            REQUEST_WAIT_GO_MS
        } else {
            REQUEST_WAIT_MS
        };
        tracing::debug!(%peer, freq = att.peer_listen_freq, sent = att.requests_sent, "Invitation Request out");
        self.outputs.push_back(Output::Send(Tx {
            id,
            kind: FrameType::Request,
            freq: att.peer_listen_freq,
            wait_ms,
            da: peer,
            frame,
        }));
        self.state = State::WaitRequestAck { att, tx: id };
    }

    fn start_listen(&mut self, now: Instant, att: Attempt) {
        if att.invite.active_go {
            // The GO stays on its channel so that it keeps beaconing.
            self.state = State::WaitRetry {
                att,
                phase: RetryPhase::Listen,
                listening: false,
                deadline: now + GO_BEACON_PAUSE,
            };
            return;
        }
        let d = listen_time(self.rng.as_mut());
        self.outputs.push_back(Output::Listen {
            freq: self.local.listen_channel.freq_mhz().unwrap_or(2437),
            duration: d,
        });
        self.state = State::WaitRetry {
            att,
            phase: RetryPhase::Listen,
            listening: true,
            deadline: now + d,
        };
    }

    fn retry_now(&mut self) {
        if let State::WaitRetry { att, .. } = std::mem::replace(&mut self.state, State::Idle) {
            self.send_request(att);
        }
    }

    fn finish(&mut self, peer: MacAddr, result: Result<Option<MacAddr>, InviteFailure>, op_freq: Option<u32>) {
        tracing::info!(%peer, status = Event::status_code(&result), "invitation ended");
        self.outputs
            .push_back(Output::Event(Event::Result { peer, result, op_freq }));
        self.state = State::Idle;
    }

    fn mgmt(&self, frame: &P2pActionFrame, da: MacAddr, bssid: MacAddr) -> Vec<u8> {
        frame.to_mgmt(da, self.local.device_addr, bssid).to_vec()
    }

    fn on_tx_status(&mut self, now: Instant, id: TxId, acked: bool) {
        if let Some(i) = self.answered.iter().position(|(t, _)| *t == id) {
            let (_, received) = self.answered.swap_remove(i);
            if !acked {
                tracing::debug!(sa = %received.sa, "Invitation Response not ACKed; assuming it arrived");
            }
            self.outputs
                .push_back(Output::Event(Event::Received(received)));
            return;
        }
        match std::mem::replace(&mut self.state, State::Idle) {
            State::WaitRequestAck { att, tx } if tx == id => {
                self.state = if acked {
                    State::WaitResponse {
                        att,
                        deadline: now + RESPONSE_TIMEOUT,
                    }
                } else {
                    State::WaitRetry {
                        att,
                        phase: RetryPhase::Pause,
                        listening: false,
                        deadline: now + NO_ACK_PAUSE,
                    }
                };
            }
            other => self.state = other,
        }
    }

    /// Whether the peer's Request, answered `a`, re-invokes the very group our running
    /// invitation re-invokes with that peer (both ends invited at once).
    fn crossing(&self, sa: MacAddr, a: &Answer) -> bool {
        let (Some(att), Some(r)) = (self.state.attempt(), a.received.as_ref()) else { return false };
        att.invite.peer == sa
            && att.invite.persistent
            && r.persistent
            && a.status == P2pStatus::SUCCESS
            && att.invite.group.device_addr == r.go_dev_addr
            && att.invite.group.ssid == r.ssid
    }

    fn on_frame(
        &mut self,
        _now: Instant,
        sa: MacAddr,
        freq: u32,
        body: &[u8],
    ) -> Result<(), wire::Error> {
        let frame = P2pActionFrame::parse(body)?;
        match frame.kind {
            InvitationRequest::KIND => {
                let ours = OurDevice {
                    device_addr: self.local.device_addr,
                    channels: &self.local.channels,
                    authorized_joins: &self.authorized,
                    stored: &self.local.stored,
                    group_iface_addr: self.local.group_iface_addr,
                    running: &self.local.running,
                    persistent_reconnect: self.local.persistent_reconnect,
                    auth_invite: self.auth_invite,
                    groups_full: self.local.groups_full,
                    active_ssids: &self.local.active_ssids,
                };
                let mut a = answer(&frame, sa, &ours)?;
                if self.crossing(sa, &a) {
                    if self.local.device_addr > sa {
                        // The higher address yields: its own invitation ends, the
                        // peer's is answered (and its group started) as usual.
                        tracing::info!(%sa, "the peer re-invokes the same group: our invitation yields to its (higher address yields)");
                        if self.state.is_listening() {
                            self.outputs.push_back(Output::StopListen);
                        }
                        self.outputs.push_back(Output::EndWait);
                        self.outputs.push_back(Output::Event(Event::Yielded { peer: sa }));
                        self.state = State::Idle;
                    } else {
                        // The lower address keeps inviting: the peer is asked to wait for
                        // our Request (status 1, which wpa_supplicant's inviter takes as
                        // "the peer will invite"), and the user is not told.
                        tracing::info!(%sa, "the peer re-invokes the same group: ours goes on (lower address); answered 1");
                        a.status = P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE;
                        a.response = InvitationResponse {
                            dialog_token: frame.dialog_token,
                            status: a.status,
                            config_timeout: ConfigTimeout { go_10ms: 0, client_10ms: 0 },
                            ..Default::default()
                        };
                        a.received = None;
                    }
                }
                tracing::info!(%sa, status = a.status.0, "Invitation Request answered");
                let response = match a.response.to_frame() {
                    Ok(f) => self.mgmt(&f, sa, self.local.device_addr),
                    Err(e) => {
                        tracing::warn!(%sa, "cannot build the Invitation Response: {e}");
                        return Ok(());
                    }
                };
                if let Some(r) = a.received.as_ref().filter(|r| r.status == P2pStatus::SUCCESS) {
                    // An authorisation is used once.
                    self.authorized
                        .retain(|x| *x != r.sa && *x != r.go_dev_addr);
                    if r.persistent && self.auth_invite == Some(r.sa) {
                        self.auth_invite = None;
                    }
                }
                let id = self.tx_id();
                self.outputs.push_back(Output::Send(Tx {
                    id,
                    kind: FrameType::Response,
                    freq,
                    wait_ms: RESPONSE_WAIT_MS,
                    da: sa,
                    frame: response,
                }));
                self.answered.retain(|(_, r)| r.sa != sa);
                if let Some(r) = a.received {
                    self.answered.push((id, r));
                }
                Ok(())
            }
            InvitationResponse::KIND => {
                let Some(att) = self.state.attempt() else {
                    tracing::debug!(%sa, "Invitation Response with no invitation outstanding");
                    return Ok(());
                };
                if att.invite.peer != sa || att.dialog_token != frame.dialog_token {
                    tracing::debug!(%sa, token = frame.dialog_token, "Invitation Response for another invitation");
                    return Ok(());
                }
                let resp = InvitationResponse::parse(&frame)?;
                if self.state.is_listening() {
                    self.outputs.push_back(Output::StopListen);
                }
                let result = if resp.status == P2pStatus::SUCCESS {
                    Ok(resp.group_bssid)
                } else {
                    Err(InviteFailure::Status(resp.status))
                };
                if att.invite.persistent && resp.status == P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE {
                    // hostap: "waiting for peer to start another invitation exchange".
                    tracing::info!(%sa, "the peer will re-invoke the group itself: its invitation is accepted");
                    self.auth_invite = Some(sa);
                }
                self.finish(sa, result, resp.operating_channel.and_then(|c| c.freq_mhz()));
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
