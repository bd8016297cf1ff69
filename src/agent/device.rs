//! The P2P device's own radio work: discovery (`P2P_FIND`, `P2P_LISTEN`, answering probe
//! requests) through [`crate::p2p::discovery`], and the provision discovery we send
//! (`P2P_PROV_DISC`) through [`crate::p2p::pd_request`]. Both machines are fed here from
//! control requests, kernel events (ROC start/end, scan end, probe requests, action
//! frames, TX status with their cookies) and operation results, and drained into
//! operations on the P2P-Device wdev and control events.

use std::time::{Duration, Instant};

use nl80211::frame::{FrameTx, RocEvent};
use nl80211::{BandId, IfTarget, Wiphy};
use tracing::{debug, info, warn};

use super::{Agent, Op, OpError, OpReply, Pending, identity};
use crate::ctrl::discovery::{discovery_event, pd_outcome_event};
use crate::ctrl::{MacAddr, ProvDiscParams, ProvDiscUse, Reply};
use crate::eapol::SeededRandom;
use crate::p2p::discovery::{self, Discovery, Identity, Input as DiscInput, Output as DiscOutput, P2pState, Radio};
use crate::p2p::pd_request::{Asked, PdInput, PdOutcome, PdOutput, PdParams, PdRequester};
use crate::p2p::peers::{BssSighting, Peers};
use crate::p2p::wire::GroupId;

/// Frame type of Probe Requests (management, subtype 4), registered on the P2P device.
pub(super) const PROBE_REQ_FRAME_TYPE: u16 = 0x0040;
/// The radio's remain-on-channel limit when the wiphy does not say (mac80211's software
/// ROC maximum); logged when used.
const FALLBACK_MAX_ROC: Duration = Duration::from_millis(5000);

/// What the P2P device does with the radio outside groups.
pub(super) struct P2pDevice {
    pub disc: Discovery,
    /// The provision discovery we sent and wait for, with the cookie of its last frame.
    pub(super) pd: Option<(PdRequester, Option<u64>)>,
    next_dialog_token: u8,
    /// The search for a GO to join that was not seen yet.
    pub join_search: Option<super::join_search::JoinSearch>,
    /// The join waiting for the answer to its provision discovery (`pd` is that one).
    pub pd_join: Option<super::client::PdBeforeJoin>,
}

/// The wiphy's usable 2.4/5 GHz channels and its remain-on-channel limit.
pub(super) fn radio_of(wiphy: &Wiphy) -> Radio {
    let freqs = wiphy
        .bands
        .iter()
        .filter(|b| matches!(b.id, BandId::Ghz2 | BandId::Ghz5))
        .flat_map(|b| b.freqs.iter())
        .filter(|f| !f.disabled)
        .map(|f| f.mhz)
        .collect();
    let max_roc = match wiphy.max_remain_on_channel_ms {
        Some(ms) => Duration::from_millis(ms.into()),
        None => {
            warn!("the wiphy gives no remain-on-channel limit; assuming {FALLBACK_MAX_ROC:?}");
            FALLBACK_MAX_ROC
        }
    };
    Radio { max_roc, freqs }
}

/// Our identity on the air as a P2P device.
pub(super) fn our_identity(device_name: &str, dev_addr: MacAddr) -> Identity {
    Identity {
        manufacturer: identity::MANUFACTURER.to_owned(),
        model_name: identity::MODEL_NAME.to_owned(),
        model_number: identity::MODEL_NUMBER.to_owned(),
        uuid: identity::uuid(dev_addr),
        ..Identity::new(dev_addr, device_name)
    }
}

impl P2pDevice {
    pub fn new(identity: Identity, wiphy: &Wiphy, seed: [u8; 32]) -> P2pDevice {
        let radio = radio_of(wiphy);
        let rng = || Box::new(SeededRandom::new(seed)) as Box<dyn crate::eapol::RandomSource + Send>;
        let disc = Discovery::new(identity.clone(), radio.clone(), None, rng()).unwrap_or_else(|e| {
            warn!("{e}; listening on channel 1 regardless");
            let freqs = [radio.freqs.clone(), discovery::SOCIAL_FREQS.to_vec()].concat();
            Discovery::new(identity, Radio { freqs, ..radio }, Some(1), rng()).expect("channel 1 is usable now")
        });
        P2pDevice { disc, pd: None, next_dialog_token: seed[0].max(1), join_search: None, pd_join: None }
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        [self.disc.poll_timeout(), self.pd.as_ref().and_then(|(m, _)| m.poll_timeout()), self.join_search.as_ref().and_then(|s| s.poll_timeout()), self.pd_join.as_ref().map(|j| j.give_up)]
            .into_iter()
            .flatten()
            .min()
    }

    pub fn state(&self) -> P2pState {
        self.disc.state()
    }

    pub fn peers(&self) -> &Peers {
        self.disc.peers()
    }
}

impl Agent {
    pub(super) fn peers(&self) -> &Peers {
        self.p2p.peers()
    }

    /// Registers for what the P2P device must receive: Probe Requests (answered while we
    /// listen) and P2P public action frames (provision discovery both ways, and the GO's
    /// join requests).
    pub(super) fn register_device_frames(&mut self) {
        let target = IfTarget::Wdev(self.dev.wdev);
        let probe = Op::RegisterFrame { target, frame_type: PROBE_REQ_FRAME_TYPE, match_bytes: Vec::new() };
        self.op_logged(probe, "registering for probe requests on the P2P device", tracing::Level::WARN);
        let action = Op::RegisterFrame { target, frame_type: super::owner::PD_FRAME_TYPE, match_bytes: super::owner::PD_MATCH.to_vec() };
        self.op_logged(action, "registering for P2P action frames on the P2P device", tracing::Level::WARN);
        self.pd_registered = true;
    }

    /// Feeds the discovery machine; a refused command is logged and returned.
    pub(super) fn disc_input(&mut self, now: Instant, input: DiscInput<'_>) -> Result<(), discovery::Refused> {
        let r = self.p2p.disc.handle_input(now, input);
        if let Err(e) = &r {
            warn!("{e}");
        }
        self.drain_disc(now);
        r
    }

    /// Performs what the discovery machine asks.
    pub(super) fn drain_disc(&mut self, _now: Instant) {
        let wdev = self.dev.wdev;
        while let Some(o) = self.p2p.disc.poll_output() {
            match o {
                DiscOutput::RemainOnChannel { freq, duration } => {
                    let duration_ms = u32::try_from(duration.as_millis()).unwrap_or(u32::MAX);
                    self.op(Op::RemainOnChannel { wdev, freq, duration_ms }, Pending::DiscRoc);
                }
                DiscOutput::CancelRemainOnChannel { cookie } => {
                    self.op_logged(Op::CancelRemainOnChannel { wdev, cookie }, "cancelling a remain-on-channel", tracing::Level::DEBUG);
                }
                DiscOutput::Scan { freqs, ies } => {
                    let req = super::discovery_scan_request(&self.wiphy, freqs, ies);
                    self.op(Op::TriggerScan { wdev, req }, Pending::DiscScan);
                }
                DiscOutput::AbortScan => {
                    self.op_logged(Op::AbortScan { wdev }, "aborting the discovery scan", tracing::Level::DEBUG);
                }
                DiscOutput::SendFrame { freq, frame, no_ack, wait } => {
                    let tx = FrameTx {
                        freq: Some(freq),
                        wait_ms: (!wait.is_zero()).then(|| u32::try_from(wait.as_millis()).unwrap_or(u32::MAX)),
                        offchannel_ok: true,
                        no_cck: true,
                        dont_wait_for_ack: no_ack,
                        frame,
                    };
                    let op = Op::SendFrame { target: IfTarget::Wdev(wdev), tx };
                    // Probe responses (no TX status wanted): no round trip per answer.
                    if no_ack { self.op_detached(op) } else { self.op_logged(op, "sending a frame of discovery", tracing::Level::DEBUG) }
                }
                DiscOutput::Event(e) => {
                    if let discovery::Event::State(s) = &e {
                        debug!(p2p_state = %s, "P2P device state");
                    }
                    if let Some(ev) = discovery_event(e) {
                        self.emit(ev);
                    }
                }
            }
        }
    }

    /// Results of the discovery machine's operations.
    pub(super) fn disc_op_done(&mut self, now: Instant, what: &Pending, result: Result<OpReply, OpError>) {
        let input = match (what, result) {
            (Pending::DiscRoc, Ok(OpReply::Cookie(Some(cookie)))) => DiscInput::RocRequested { cookie },
            (Pending::DiscRoc, Ok(other)) => {
                warn!(?other, "remain-on-channel: no cookie");
                DiscInput::RocRefused
            }
            (Pending::DiscRoc, Err(e)) => {
                warn!("remain-on-channel refused: {e}");
                DiscInput::RocRefused
            }
            (Pending::DiscScan, Ok(_)) => return,
            (Pending::DiscScan, Err(e)) => {
                warn!("discovery scan refused: {e}");
                DiscInput::ScanRefused
            }
            (Pending::DiscScanResults, Ok(OpReply::ScanResults(results))) => {
                debug!(count = results.len(), "scan results");
                self.feed_scan_results(now, &results);
                DiscInput::ScanDone
            }
            (Pending::DiscScanResults, other) => {
                warn!(?other, "cannot read the scan results");
                DiscInput::ScanDone
            }
            _ => return,
        };
        let _ = self.disc_input(now, input);
    }

    /// Scanned BSSs into the peer table (through the discovery machine, which reports the
    /// new peers; the caller drains it).
    pub(super) fn feed_scan_results<'a>(&mut self, now: Instant, results: impl IntoIterator<Item = &'a nl80211::Bss>) {
        for bss in results {
            let ies = if bss.ies.is_empty() { bss.beacon_ies.as_deref().unwrap_or(&[]) } else { &bss.ies };
            let sighting = BssSighting {
                bssid: MacAddr(bss.bssid),
                freq: bss.freq,
                ies,
                signal_dbm: bss.signal_dbm().map(|d| d as i32),
                age: bss.seen_ms_ago.map(|ms| Duration::from_millis(ms.into())),
            };
            let _ = self.p2p.disc.handle_input(now, DiscInput::ScanResult(sighting));
        }
    }

    /// A scan on the P2P device ended: its results, then the machine goes on.
    pub(super) fn disc_scan_done(&mut self, now: Instant, aborted: bool) {
        if aborted {
            let _ = self.disc_input(now, DiscInput::ScanDone);
        } else {
            self.op(Op::GetScan { wdev: self.dev.wdev }, Pending::DiscScanResults);
        }
    }

    pub(super) fn disc_roc_event(&mut self, now: Instant, r: RocEvent) {
        let input = if r.started {
            DiscInput::RocStarted { cookie: r.cookie, freq: r.freq.unwrap_or(0) }
        } else {
            DiscInput::RocEnded { cookie: r.cookie }
        };
        let _ = self.disc_input(now, input);
    }

    pub(super) fn disc_probe_request(&mut self, now: Instant, freq: Option<u32>, frame: &[u8]) {
        let freq = freq.unwrap_or_else(|| self.p2p.disc.listening(now).unwrap_or(0));
        let _ = self.disc_input(now, DiscInput::ProbeRequest { frame, freq, signal_dbm: None });
    }

    pub(super) fn p2p_state(&self) -> P2pState {
        self.p2p.state()
    }

    /// `P2P_SET <field> <value>` fields of the P2P device.
    pub(super) fn p2p_set(&mut self, now: Instant, field: &str, value: &str) -> Reply {
        match field {
            "listen_channel" => match value.split_whitespace().next().and_then(|c| c.parse::<u8>().ok()) {
                Some(ch) => match self.disc_input(now, DiscInput::SetListenChannel(ch)) {
                    Ok(()) => Reply::Ok,
                    Err(_) => Reply::Fail,
                },
                None => {
                    warn!(value, "P2P_SET listen_channel: not a channel number");
                    Reply::Fail
                }
            },
            other => {
                warn!(field = other, "P2P_SET: not supported");
                Reply::Fail
            }
        }
    }

    // ---- provision discovery we send ----

    /// `P2P_PROV_DISC <addr> <method> [join|auto]`.
    pub(super) fn prov_disc(&mut self, now: Instant, p: ProvDiscParams) -> Reply {
        let Some(peer) = self.peers().find(&p.peer) else {
            warn!(peer = %p.peer, "P2P_PROV_DISC: unknown peer (run P2P_FIND first)");
            return Reply::Fail;
        };
        if !peer.is_reachable() {
            warn!(peer = %p.peer, "P2P_PROV_DISC: the peer was only seen searching (PROBE_REQ_ONLY)");
            return Reply::Fail;
        }
        let join = match (p.usage, &peer.group) {
            (ProvDiscUse::GoNeg, _) => None,
            (_, Some(g)) => Some(GroupId { device_addr: peer.dev_addr, ssid: g.ssid.clone() }),
            (ProvDiscUse::Join, None) => {
                warn!(peer = %p.peer, "P2P_PROV_DISC join: the peer runs no group we know");
                return Reply::Fail;
            }
            (ProvDiscUse::Auto, None) => None,
        };
        // A join goes to the group's channel; otherwise the peer's listen channel.
        let freq = match (&join, &peer.group, peer.listen_freq) {
            (Some(_), Some(g), _) => g.freq,
            (_, _, Some(f)) => f,
            (_, Some(g), None) => g.freq,
            (_, None, None) => {
                warn!(peer = %p.peer, "P2P_PROV_DISC: the peer's listen channel is unknown");
                return Reply::Fail;
            }
        };
        let dev_addr = peer.dev_addr;
        if self.start_pd(now, dev_addr, p.method.into(), join, freq) { Reply::Ok } else { Reply::Fail }
    }

    /// Sends a provision discovery request (replacing a pending one); `false` if it cannot
    /// be built.
    pub(super) fn start_pd(&mut self, now: Instant, peer: MacAddr, asked: Asked, join: Option<GroupId>, freq: u32) -> bool {
        if let Some((old, _)) = self.p2p.pd.take() {
            info!(peer = %old.peer(), "a new provision discovery replaces the pending one");
        }
        let dialog_token = self.p2p.next_dialog_token;
        self.p2p.next_dialog_token = self.p2p.next_dialog_token.checked_add(1).unwrap_or(1);
        let params = PdParams { peer, asked, join, freq, dialog_token };
        match PdRequester::new(now, self.p2p.disc.identity(), params) {
            Ok(m) => {
                self.p2p.pd = Some((m, None));
                self.drain_pd(now);
                true
            }
            Err(e) => {
                warn!("cannot build the provision discovery request: {e}");
                false
            }
        }
    }

    pub(super) fn drain_pd(&mut self, now: Instant) {
        loop {
            let Some((m, _)) = &mut self.p2p.pd else { return };
            let Some(o) = m.poll_output() else { return };
            match o {
                PdOutput::SendFrame { freq, frame, wait } => {
                    let tx = FrameTx {
                        freq: Some(freq),
                        wait_ms: Some(u32::try_from(wait.as_millis()).unwrap_or(u32::MAX)),
                        offchannel_ok: true,
                        no_cck: true,
                        dont_wait_for_ack: false,
                        frame,
                    };
                    self.op(Op::SendFrame { target: IfTarget::Wdev(self.dev.wdev), tx }, Pending::PdTx);
                }
                PdOutput::Done { peer, outcome } => {
                    self.p2p.pd = None;
                    // Before a join: whatever the answer, the join goes on, and the user
                    // hears of it through the join's events only (as wpa_supplicant).
                    if let Some(j) = self.p2p.pd_join.take() {
                        info!(%peer, ?outcome, "provision discovery before the join done");
                        // A GO that refuses a join of the group we name may run another
                        // group now (restarted, new SSID, within JOIN_GROUP_FRESH of our
                        // last sight of the old one): what we know is looked at again
                        // once, by a scan, before the join.
                        if matches!(outcome, PdOutcome::Failed(crate::p2p::pd_request::PdFailure::Rejected)) && !j.scanned {
                            info!(%peer, "the GO refused the join of the group we know of; scanning for its group again");
                            let _ = self.start_join_search(now, j.params);
                            continue;
                        }
                        self.join_after_pd(now, j);
                        continue;
                    }
                    let pin = (outcome == PdOutcome::ShowPin).then(|| self.generate_pin().map(|(_, shown)| shown)).flatten();
                    if let Some(ev) = pd_outcome_event(peer, outcome, pin) {
                        self.emit(ev);
                    }
                }
            }
        }
    }

    /// The cookie of our provision discovery request frame (or its refusal).
    pub(super) fn pd_tx_done(&mut self, now: Instant, result: Result<OpReply, OpError>) {
        let discovering = self.p2p_state() != P2pState::Idle;
        let Some((m, cookie)) = &mut self.p2p.pd else { return };
        match result {
            Ok(OpReply::Cookie(c)) => *cookie = c,
            Ok(_) => {}
            Err(e) => {
                debug!("provision discovery request not sent: {e}");
                let _ = m.handle_input(now, PdInput::TxStatus { ack: false, discovering });
            }
        }
        self.drain_pd(now);
    }

    /// A TX status on the P2P device: ours if it names our request's cookie.
    pub(super) fn device_tx_status(&mut self, now: Instant, cookie: u64, ack: bool) {
        let discovering = self.p2p_state() != P2pState::Idle;
        let Some((m, c)) = &mut self.p2p.pd else { return };
        if *c != Some(cookie) {
            return;
        }
        debug!(ack, "provision discovery request TX status");
        let _ = m.handle_input(now, PdInput::TxStatus { ack, discovering });
        self.drain_pd(now);
    }

    /// A Provision Discovery Response for us (action body, category first).
    pub(super) fn pd_response(&mut self, now: Instant, sa: MacAddr, body: &[u8]) {
        let Some((m, _)) = &mut self.p2p.pd else {
            debug!(%sa, "provision discovery response without a request of ours");
            return;
        };
        if let Err(e) = m.handle_input(now, PdInput::Response { sa, action_body: body }) {
            debug!(%sa, "provision discovery response ignored: {e}");
        }
        self.drain_pd(now);
    }

    /// The timers of the P2P device's machines.
    pub(super) fn device_timeout(&mut self, now: Instant) {
        self.p2p.disc.handle_timeout(now);
        self.drain_disc(now);
        if let Some((m, _)) = &mut self.p2p.pd {
            m.handle_timeout(now);
        }
        self.drain_pd(now);
        if self.p2p.pd_join.as_ref().is_some_and(|j| now >= j.give_up)
            && let Some(j) = self.p2p.pd_join.take()
        {
            self.p2p.pd = None;
            info!(peer = %j.params.peer, "no answer to the provision discovery before the join in time; joining anyway");
            self.join_after_pd(now, j);
        }
        self.join_search_timeout(now);
    }

    /// `SET device_name <name>`: the name we announce from now on (probe requests and
    /// responses, negotiation and provision discovery frames, WPS).
    pub(super) fn set_device_name(&mut self, name: &str) -> Reply {
        // wpa_supplicant's limit (WPS_DEV_NAME_MAX_LEN): the WSC Device Name attribute.
        if name.len() > 32 {
            warn!(len = name.len(), "SET device_name: longer than 32 bytes");
            return Reply::Fail;
        }
        let identity = match identity::Identity::new(name, self.dev.addr) {
            Ok(i) => i,
            Err(e) => {
                warn!(name, "SET device_name: {e}");
                return Reply::Fail;
            }
        };
        self.identity = identity;
        self.cfg.device_name = name.to_owned();
        self.p2p.disc.set_identity(our_identity(name, self.dev.addr));
        let local = self.gneg_local();
        self.gneg.neg.set_local(local);
        info!(name, "device name changed");
        Reply::Ok
    }

    /// `P2P_FIND` / `P2P_LISTEN` / `P2P_STOP_FIND` / `P2P_FLUSH`.
    pub(super) fn find(&mut self, now: Instant, p: &crate::ctrl::FindParams) -> Reply {
        // As wpa_supplicant: no find while a group is provisioned (its scans would take
        // the radio from the association, WPS and the handshake).
        if self.provisioning() {
            warn!("P2P_FIND refused: a group is being formed (P2P_CANCEL stops it)");
            return Reply::Fail;
        }
        match self.disc_input(now, DiscInput::Find(p.to_find())) {
            Ok(()) => Reply::Ok,
            Err(_) => Reply::Fail,
        }
    }

    pub(super) fn listen(&mut self, now: Instant, timeout: Option<u32>) -> Reply {
        let timeout = timeout.map(|t| Duration::from_secs(t.into()));
        match self.disc_input(now, DiscInput::Listen { timeout }) {
            Ok(()) => Reply::Ok,
            Err(_) => Reply::Fail,
        }
    }

    pub(super) fn stop_find(&mut self, now: Instant) {
        let _ = self.disc_input(now, DiscInput::Stop);
    }

    pub(super) fn flush(&mut self, now: Instant) {
        let _ = self.disc_input(now, DiscInput::Flush);
        if self.p2p.pd.take().is_some() {
            info!("P2P_FLUSH: the pending provision discovery is dropped");
        }
    }

    /// For STATUS: `p2p_state=`.
    pub(super) fn p2p_state_line(&self) -> (&'static str, String) {
        let state = self.gneg.p2p_state().or_else(|| (self.group_forming() || self.gneg.join_wait.is_some()).then_some("PROVISIONING"));
        ("p2p_state", state.unwrap_or(self.p2p_state().as_str()).to_owned())
    }
}
