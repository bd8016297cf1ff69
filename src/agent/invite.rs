//! Invitation on the P2P device: `P2P_INVITE group=<ifname> peer=<addr>` from a GO we
//! run or a group we are a client of, the peers' Invitation Requests (answered, then `P2P-INVITATION-RECEIVED`), and
//! the `P2P_CONNECT <go> ... join` that follows an invitation from a GO we have not
//! discovered. The machine ([`crate::p2p::invitation`]) is fed and drained here only, as
//! `gneg.rs` does for GO negotiation: its frames go out with `CMD_FRAME` on the
//! P2P-Device wdev (off-channel, with the wait it asks for), its listens are
//! remain-on-channel periods on our listen channel.
//!
//! Inviting from a GO arms push button on that GO (walk time 120 s), so the invitee's
//! user only has to run `P2P_CONNECT <go> pbc join`; a PIN is armed as before with
//! `WPS_PIN` on the group interface.
//!
//! An invitee joins the GO named in the invitation: when that GO is not in the peer
//! table (no find saw it), the join first scans the group's channel for its SSID; the
//! GO's Beacon/Probe Response teaches the peer table its group (BSSID and RSN element,
//! which message 3 of the 4-way handshake must repeat), then the join goes on as usual.

use std::time::{Duration, Instant};

use nl80211::frame::FrameTx;
use nl80211::{IfTarget, IfType};
use tracing::{debug, info, warn};

use super::owner::{GoIn, OwnerStep, PersistentStart, StartKind};
use super::{Agent, Group, Op, OpError, OpReply, Pending, ReplyToken};
use crate::ctrl::{ConnectParams as CtrlConnect, Event, InvitationReceived, InviteParams, MacAddr, Reply};
use crate::eapol::SeededRandom;
use crate::group::client::JoinTarget;
use crate::p2p::persistent::{StoredGroup, StoredRole};
use crate::p2p::invitation::{self, Input as InvInput, Invite, Inviter, Local, Output as InvOutput, Received, TxId};
use crate::p2p::wire::{Channel, GroupId, P2pStatus, consts::COUNTRY_GLOBAL};

/// Invitations answered that are remembered for a later `P2P_CONNECT ... join`.
const RECEIVED_KEPT: usize = 8;
/// How long an answered invitation is remembered.
const RECEIVED_FOR: Duration = Duration::from_secs(120);
/// How long a join looks for the invited group's BSS before it fails.
const JOIN_SCAN_WINDOW: Duration = Duration::from_secs(5);
/// The pause before scanning again when the radio was busy (a Response's wait, a
/// listen being cancelled) or the group was not seen yet.
const RESCAN_AFTER: Duration = Duration::from_millis(100);

/// A `P2P_CONNECT ... join` to an invited group, waiting for the BSS to show in a scan.
struct JoinScan {
    token: Option<ReplyToken>,
    connect: CtrlConnect,
    freq: u32,
    ssid: Vec<u8>,
    deadline: Instant,
    rescan_at: Option<Instant>,
}

/// A re-invocation of a stored group we sent (`P2P_INVITE persistent=<id>`): the group
/// starts when the peer accepts.
struct Reinvoke {
    peer: MacAddr,
    group: StoredGroup,
    /// As GO: the channel we offered.
    freq: Option<u32>,
}

/// The invitation machine and the kernel handles of its frames and listens.
pub(super) struct Invitations {
    pub inv: Inviter,
    /// Cookies of the frames we sent, with the machine's handle.
    tx: Vec<(u64, TxId)>,
    /// Cookie of the machine's listen.
    roc: Option<u64>,
    /// Invitations we answered, oldest first, with when.
    received: Vec<(Instant, Received)>,
    /// A `P2P_CONNECT ... join` to an invited group, waiting for the scan of its channel.
    join_scan: Option<JoinScan>,
    /// `P2P_CONNECT <go> ... join auth`: the join to start when that GO's (or
    /// inviter's) invitation comes.
    auth_join: Option<CtrlConnect>,
    /// The re-invocation we sent, until its result.
    reinvoke: Option<Reinvoke>,
    /// `SET persistent_reconnect 0|1` (config `persistent_reconnect`).
    pub persistent_reconnect: bool,
    /// The invitee and the stored group our last invitation named (a re-invocation, or
    /// an invitation into a group of ours that is stored): if the invitee answers that
    /// it does not know the group (status 8), it is dropped from the group's client
    /// list, or, if it was the group's GO, the group is forgotten (wpa_supplicant's
    /// `wpas_remove_persistent_peer`).
    stored_invite: Option<(MacAddr, GroupId)>,
    /// The last Request we sent, and its cookie once known (its wait may have to end).
    last_request: Option<TxId>,
    wait: Option<u64>,
}

impl Invitations {
    pub fn new(local: Local, seed: [u8; 32]) -> Invitations {
        Invitations {
            inv: Inviter::new(local, Box::new(SeededRandom::new(seed))),
            tx: Vec::new(),
            roc: None,
            received: Vec::new(),
            join_scan: None,
            auth_join: None,
            reinvoke: None,
            persistent_reconnect: true,
            stored_invite: None,
            last_request: None,
            wait: None,
        }
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        let rescan = self.join_scan.as_ref().and_then(|j| j.rescan_at);
        [self.inv.poll_timeout(), rescan].into_iter().flatten().min()
    }

    /// The latest invitation from `addr` (as inviter or as GO) to a group whose GO and
    /// channel it named.
    pub(super) fn invited_by(&self, now: Instant, addr: MacAddr) -> Option<&Received> {
        self.received
            .iter()
            .rev()
            .filter(|(t, _)| now.saturating_duration_since(*t) < RECEIVED_FOR)
            .map(|(_, r)| r)
            .find(|r| (r.go_dev_addr == addr || r.sa == addr) && r.op_freq.is_some())
    }
}

/// What we are for invitations, from what we are for GO negotiation.
pub(super) fn local_for(neg: &crate::p2p::go_neg::Local) -> Local {
    Local {
        device_addr: neg.device_addr,
        device: neg.device.clone(),
        device_capability: neg.device_capability,
        channels: neg.channels.clone(),
        listen_channel: neg.listen_channel,
        config_timeout: neg.config_timeout,
        max_requests: invitation::DEFAULT_MAX_REQUESTS,
        stored: Vec::new(),
        group_iface_addr: neg.interface_addr,
        running: Vec::new(),
        persistent_reconnect: true,
        groups_full: false,
        active_ssids: Vec::new(),
    }
}

impl Agent {
    /// What we are for invitations now: our channels and the groups we have stored.
    fn inv_local(&self) -> Local {
        let mut local = local_for(&self.gneg_local());
        local.stored = self.stored_groups().iter().map(|g| GroupId { device_addr: g.go_dev_addr, ssid: g.ssid.clone() }).collect();
        local.running = self.running_stored();
        local.persistent_reconnect = self.inv.persistent_reconnect;
        local.groups_full = self.groups.len() >= super::MAX_GROUPS;
        local.active_ssids = self.active_ssids();
        local
    }

    /// The SSIDs of the groups that run or are being set up with a known SSID.
    fn active_ssids(&self) -> Vec<Vec<u8>> {
        self.groups
            .values()
            .filter_map(|g| match g {
                Group::Owner(o) => Some(super::owner::ssid(o).to_vec()),
                Group::Client(c) => Some(c.client.target().ssid.clone()),
                Group::Starting(s) => match &s.persistent {
                    Some(PersistentStart::Stored { ssid, .. }) => Some(ssid.clone()),
                    _ => s.neg.as_ref().map(|n| n.ssid.clone()),
                },
            })
            .collect()
    }

    /// The stored groups we run as GO now, where and with which BSSID.
    fn running_stored(&self) -> Vec<invitation::RunningGroup> {
        self.groups
            .values()
            .filter_map(|g| match g {
                Group::Owner(o) if o.persistent => Some(invitation::RunningGroup {
                    group: GroupId { device_addr: self.dev.addr, ssid: super::owner::ssid(o).to_vec() },
                    channel: Channel::from_freq(COUNTRY_GLOBAL, o.go.config().freq)?,
                    bssid: o.addr,
                }),
                _ => None,
            })
            .collect()
    }

    /// `P2P_INVITE persistent=<id> [peer=<addr>] [freq=<MHz>]`: re-invoke a stored group
    /// with the peer (by default, as its client, the GO). Whoever was GO is GO again.
    pub(super) fn reinvoke(&mut self, now: Instant, id: u32, peer: Option<MacAddr>, freq: Option<u32>) -> Reply {
        let Some(g) = self.stored(id).cloned() else {
            warn!(id, "P2P_INVITE persistent=: no such stored group");
            return Reply::Fail;
        };
        let as_go = g.role == StoredRole::Go;
        // The group runs already (we are its GO): the peer is invited into it.
        let running = self.running_stored().into_iter().find(|r| as_go && r.group.ssid == g.ssid);
        if running.is_none() && !self.admit_group("P2P_INVITE persistent=") {
            return Reply::Fail;
        }
        let peer = match (peer, as_go) {
            (Some(p), _) => p,
            (None, false) => g.go_dev_addr,
            (None, true) => match g.clients.first() {
                Some(c) => *c,
                None => {
                    warn!(id, "P2P_INVITE persistent=: peer= is needed (the group has no stored client)");
                    return Reply::Fail;
                }
            },
        };
        let Some(listen_freq) = self.peers().find(&peer).filter(|x| x.is_reachable()).and_then(|x| x.listen_freq) else {
            warn!(%peer, "P2P_INVITE: the peer's listen channel is unknown (run P2P_FIND first)");
            return Reply::Fail;
        };
        let op_freq = match (&running, as_go) {
            (Some(r), _) => r.channel.freq_mhz(),
            (None, true) => match self.pick_go_freq(freq) {
                Ok(f) => Some(f),
                Err(r) => return r,
            },
            (None, false) => freq,
        };
        let invite = Invite {
            peer,
            group: GroupId { device_addr: g.go_dev_addr, ssid: g.ssid.clone() },
            bssid: match &running {
                Some(r) => Some(r.bssid),
                None => as_go.then(|| super::gneg::group_iface_addr(self.dev.addr)),
            },
            op_channel: op_freq.and_then(|f| Channel::from_freq(COUNTRY_GLOBAL, f)),
            persistent: true,
            active_go: running.is_some(),
        };
        info!(id, %peer, listen_freq, as_go, running = running.is_some(), ?op_freq, "re-invoking the stored persistent group");
        self.stop_find(now);
        let local = self.inv_local();
        self.inv.inv.set_local(local);
        // A running group has nothing to start when the peer accepts.
        self.inv.stored_invite = Some((peer, invite.group.clone()));
        self.inv.reinvoke = running.is_none().then_some(Reinvoke { peer, group: g, freq: op_freq });
        self.inv_input(now, InvInput::Invite { invite, peer_listen_freq: listen_freq });
        Reply::Ok
    }

    /// Whether a group with this SSID runs or is being set up (re-invoked by the peer's
    /// invitation and ours at once, it is started once).
    pub(super) fn has_group_ssid(&self, ssid: &[u8]) -> bool {
        self.groups.values().any(|g| match g {
            Group::Owner(o) => super::owner::ssid(o) == ssid,
            Group::Client(c) => c.client.target().ssid == ssid,
            Group::Starting(s) => matches!(&s.persistent, Some(PersistentStart::Stored { ssid: x, .. }) if x == ssid),
        })
    }

    /// The stored group shared with `peer`: one we own with the peer among its clients,
    /// or one the peer owns.
    pub(super) fn stored_with(&self, peer: MacAddr) -> Option<u32> {
        let (id, _) = self.stored_with_ids().rev().find(|(_, g)| match g.role {
            StoredRole::Go => g.clients.contains(&peer),
            StoredRole::Client => g.go_dev_addr == peer,
        })?;
        Some(id)
    }

    /// Starts a stored group re-invoked by an invitation (ours or the peer's): as GO on
    /// `freq` with the BSSID the invitation named, or as client of the GO at `bssid` on
    /// `freq` with the stored key (no WPS).
    fn start_stored(&mut self, now: Instant, g: StoredGroup, freq: Option<u32>, bssid: Option<MacAddr>) {
        if !self.admit_group("persistent group") {
            self.emit(Event::GroupFormationFailure { reason: None });
            return;
        }
        self.stop_find(now);
        let ssid = g.ssid.clone();
        match g.role {
            StoredRole::Go => {
                let Some(freq) = freq else {
                    warn!("the re-invoked group has no operating channel");
                    self.emit(Event::GroupFormationFailure { reason: None });
                    return;
                };
                let persistent = PersistentStart::Stored { ssid, key: g.key, iface_addr: Some(super::gneg::group_iface_addr(self.dev.addr)) };
                let kind = StartKind::Owner { freq, step: OwnerStep::Interface };
                self.start_group_with(None, IfType::P2pGo, kind, None, Some(persistent));
            }
            StoredRole::Client => {
                let (Some(freq), Some(bssid)) = (freq, bssid) else {
                    warn!(?freq, ?bssid, "the GO did not say where the re-invoked group runs");
                    self.emit(Event::GroupFormationFailure { reason: None });
                    return;
                };
                let target = JoinTarget { go_dev_addr: g.go_dev_addr, bssid, ssid, freq, rsne: Some(crate::group::client::own_rsne()) };
                self.join_stored_group(None, target, g.key);
            }
        }
    }

    /// `SET persistent_reconnect 0|1`.
    pub(super) fn set_persistent_reconnect(&mut self, value: &str) -> Reply {
        match value.trim() {
            "0" | "1" => {
                self.inv.persistent_reconnect = value.trim() == "1";
                info!(on = self.inv.persistent_reconnect, "persistent_reconnect");
                Reply::Ok
            }
            other => {
                warn!(value = other, "SET persistent_reconnect: 0 or 1");
                Reply::Fail
            }
        }
    }

    /// `P2P_INVITE`.
    pub(super) fn invite(&mut self, now: Instant, p: InviteParams) -> Reply {
        let (ifname, peer, go_named) = match p {
            InviteParams::Persistent { id, peer, freq } => return self.reinvoke(now, id, peer, freq),
            InviteParams::Group { ifname, peer, go_dev_addr } => (ifname, peer, go_dev_addr),
        };
        // As GO: our group, our BSSID. As a client (wpa_supplicant's client role): the
        // GO's device address in the P2P Group ID, its BSSID and channel, the invitee
        // joins the GO; nothing is sent to the GO (its user arms WPS for the invitee).
        let (go_dev_addr, ssid, bssid, freq, active_go) = match self.groups.get(&ifname) {
            Some(Group::Owner(o)) => (self.dev.addr, super::owner::ssid(o).to_vec(), o.addr, o.go.config().freq, true),
            Some(Group::Client(c)) if c.client.is_up() => {
                let t = c.client.target();
                (t.go_dev_addr, t.ssid.clone(), t.bssid, t.freq, false)
            }
            Some(Group::Client(_)) => {
                warn!(%ifname, "P2P_INVITE: not connected to the group's GO yet");
                return Reply::Fail;
            }
            _ => {
                warn!(%ifname, "P2P_INVITE: no such group");
                return Reply::Fail;
            }
        };
        // `go_dev_addr=` names the GO in the P2P Group ID instead (wpa_supplicant).
        let go_dev_addr = go_named.unwrap_or(go_dev_addr);
        let Some(listen_freq) = self.peers().find(&peer).filter(|x| x.is_reachable()).and_then(|x| x.listen_freq) else {
            warn!(%peer, "P2P_INVITE: the peer's listen channel is unknown (run P2P_FIND first)");
            return Reply::Fail;
        };
        // A stored group of ours that runs: a client that forgot it is dropped from its
        // list (wpa_supplicant: only as GO of a persistent group).
        let stored = active_go && self.stored_id(go_dev_addr, &ssid).is_some();
        self.inv.stored_invite = stored.then(|| (peer, GroupId { device_addr: go_dev_addr, ssid: ssid.clone() }));
        let invite = Invite {
            peer,
            group: GroupId { device_addr: go_dev_addr, ssid },
            bssid: Some(bssid),
            op_channel: Channel::from_freq(COUNTRY_GLOBAL, freq),
            persistent: false,
            active_go,
        };
        info!(%ifname, %peer, listen_freq, go = %go_dev_addr, as_go = active_go, "inviting the peer into the group");
        if active_go {
            // The invitee's user joins by push button.
            self.go_input(now, &ifname, GoIn::WpsPbc);
        }
        self.stop_find(now);
        let local = self.inv_local();
        self.inv.inv.set_local(local);
        self.inv.reinvoke = None;
        self.inv_input(now, InvInput::Invite { invite, peer_listen_freq: listen_freq });
        Reply::Ok
    }

    fn inv_input(&mut self, now: Instant, input: InvInput) {
        self.inv.inv.handle_input(now, input);
        self.drain_inv(now);
    }

    fn drain_inv(&mut self, now: Instant) {
        let wdev = self.dev.wdev;
        while let Some(o) = self.inv.inv.poll_output() {
            match o {
                InvOutput::Send(tx) => {
                    if let Some(cookie) = self.inv.roc.take() {
                        self.op_logged(Op::CancelRemainOnChannel { wdev, cookie }, "ending the invitation listen", tracing::Level::DEBUG);
                    }
                    if tx.kind == invitation::FrameType::Request {
                        self.inv.last_request = Some(tx.id);
                        self.inv.wait = None;
                    }
                    let frame = FrameTx {
                        freq: Some(tx.freq),
                        wait_ms: Some(tx.wait_ms),
                        offchannel_ok: true,
                        no_cck: true,
                        dont_wait_for_ack: false,
                        frame: tx.frame,
                    };
                    self.op(Op::SendFrame { target: IfTarget::Wdev(wdev), tx: frame }, Pending::InviteTx { id: tx.id });
                }
                InvOutput::Listen { freq, duration } => {
                    let duration_ms = u32::try_from(duration.as_millis()).unwrap_or(u32::MAX);
                    self.op(Op::RemainOnChannel { wdev, freq, duration_ms }, Pending::InviteRoc);
                }
                InvOutput::StopListen => {
                    if let Some(cookie) = self.inv.roc.take() {
                        self.op_logged(Op::CancelRemainOnChannel { wdev, cookie }, "ending the invitation listen", tracing::Level::DEBUG);
                    }
                }
                InvOutput::EndWait => {
                    if let Some(cookie) = self.inv.wait.take() {
                        self.op_logged(Op::FrameWaitCancel { target: IfTarget::Wdev(wdev), cookie }, "ending the wait of our last Invitation Request", tracing::Level::DEBUG);
                    }
                }
                InvOutput::Event(e) => self.on_inv_event(now, e),
            }
        }
    }

    fn on_inv_event(&mut self, now: Instant, e: invitation::Event) {
        match e {
            invitation::Event::Yielded { peer } => {
                // The peer's re-invocation (answered 0) starts the group instead.
                if self.inv.reinvoke.take_if(|r| r.peer == peer).is_some() {
                    info!(%peer, "our re-invocation yields to the peer's");
                }
            }
            invitation::Event::Result { result, peer, op_freq } => {
                let status = invitation::Event::status_code(&result);
                let bssid = result.ok().flatten();
                self.emit(Event::InvitationResult { status, bssid, ssid: None, go_dev_addr: None });
                if let Some((_, group)) = self.inv.stored_invite.take_if(|(p, _)| *p == peer)
                    && status == i32::from(P2pStatus::FAIL_UNKNOWN_GROUP.0)
                {
                    self.forget_peer_of(peer, &group);
                }
                if let Some(r) = self.inv.reinvoke.take_if(|r| r.peer == peer) {
                    if status == 0 && self.has_group_ssid(&r.group.ssid) {
                        info!(%peer, "the re-invoked group is starting already (the peer invited us too)");
                    } else if status == 0 {
                        // As GO on the channel we offered (the peer may not name one);
                        // as client where the GO said.
                        let freq = if r.group.role == StoredRole::Go { r.freq.or(op_freq) } else { op_freq.or(r.freq) };
                        info!(%peer, ?freq, ?bssid, "the peer accepted the re-invocation: starting the stored group");
                        self.start_stored(now, r.group, freq, bssid);
                    } else {
                        info!(%peer, status, "the peer refused the re-invocation");
                    }
                }
            }
            invitation::Event::Received(r) if r.persistent && r.status == P2pStatus::SUCCESS => {
                let Some(id) = self.stored_id(r.go_dev_addr, &r.ssid) else {
                    return warn!(sa = %r.sa, "accepted a re-invocation of a group no longer stored");
                };
                let Some(g) = self.stored(id).cloned() else { return };
                // wpa_supplicant 2.10 (persistent_reconnect=1): accepted and started; the
                // frequency is named when we are to be the GO.
                let freq = r.op_freq.filter(|_| g.role == StoredRole::Go);
                self.emit(Event::InvitationAccepted(InvitationReceived::Persistent { sa: r.sa, id, freq }));
                if self.has_group_ssid(&g.ssid) {
                    return info!(sa = %r.sa, id, "the re-invoked group runs already: the peer joins it");
                }
                self.start_stored(now, g, r.op_freq, r.bssid);
            }
            invitation::Event::Received(r) => {
                let what = InvitationReceived::UnknownNetwork { sa: r.sa, go_dev_addr: r.go_dev_addr, bssid: r.bssid };
                // wpa_supplicant tells the user of an invitation it left for the user to
                // accept (status 1), and of one authorised in advance (0), which it joins;
                // other refusals are only logged.
                let accepted = r.status == P2pStatus::SUCCESS && !r.persistent;
                let stored = self.stored_id(r.go_dev_addr, &r.ssid).and_then(|id| Some((id, self.stored(id)?.role)));
                if accepted {
                    self.emit(Event::InvitationAccepted(what));
                } else if r.status == P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE && !r.persistent {
                    self.emit(Event::InvitationReceived(what));
                } else if let (true, Some((id, role))) = (r.status == P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE, stored) {
                    // persistent_reconnect=0: the user re-invokes it (`P2P_INVITE
                    // persistent=<id> peer=<sa>`); the frequency is named when we are its GO.
                    let freq = r.op_freq.filter(|_| role == StoredRole::Go);
                    self.emit(Event::InvitationReceived(InvitationReceived::Persistent { sa: r.sa, id, freq }));
                } else if r.status == P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE {
                    self.emit(Event::InvitationReceived(what));
                } else {
                    info!(sa = %r.sa, status = r.status.0, persistent = r.persistent, "invitation refused");
                }
                self.inv.received.retain(|(_, x)| x.sa != r.sa);
                if self.inv.received.len() >= RECEIVED_KEPT {
                    self.inv.received.remove(0);
                }
                let (sa, go) = (r.sa, r.go_dev_addr);
                self.inv.received.push((now, r));
                let auth = self.inv.auth_join.take_if(|p| p.peer == sa || p.peer == go);
                if let (true, Some(mut p)) = (accepted, auth) {
                    info!(go = %go, "joining the group of the invitation authorised in advance");
                    p.auth = false;
                    p.join = true;
                    if let Some(r) = self.join_group(now, None, p) {
                        warn!(?r, "the join of the authorised invitation did not start");
                        self.emit(Event::GroupFormationFailure { reason: None });
                    }
                }
            }
        }
    }

    /// The cookie of an invitation frame, or its refusal (reported as not ACKed).
    pub(super) fn inv_tx_done(&mut self, now: Instant, id: TxId, result: Result<OpReply, OpError>) {
        match result {
            Ok(OpReply::Cookie(Some(cookie))) => {
                if self.inv.last_request == Some(id) {
                    self.inv.wait = Some(cookie);
                }
                self.inv.tx.push((cookie, id));
            }
            other => {
                debug!(?other, "invitation frame not sent");
                self.inv_input(now, InvInput::TxStatus { id, acked: false });
            }
        }
    }

    /// The cookie of the invitation listen, or its refusal (the listen is over).
    pub(super) fn inv_roc_done(&mut self, now: Instant, result: Result<OpReply, OpError>) {
        match result {
            Ok(OpReply::Cookie(Some(cookie))) => self.inv.roc = Some(cookie),
            other => {
                debug!(?other, "invitation listen refused");
                self.inv_input(now, InvInput::ListenEnded);
            }
        }
    }

    /// A TX status on the P2P device: `true` if it was an invitation frame's.
    pub(super) fn inv_tx_status(&mut self, now: Instant, cookie: u64, ack: bool) -> bool {
        let Some(i) = self.inv.tx.iter().position(|(c, _)| *c == cookie) else { return false };
        let (_, id) = self.inv.tx.swap_remove(i);
        self.inv_input(now, InvInput::TxStatus { id, acked: ack });
        true
    }

    /// A remain-on-channel event: `true` if it was the invitation listen.
    pub(super) fn inv_roc_event(&mut self, now: Instant, cookie: u64, started: bool) -> bool {
        if self.inv.roc != Some(cookie) {
            return false;
        }
        if !started {
            self.inv.roc = None;
            self.inv_input(now, InvInput::ListenEnded);
        }
        true
    }

    /// An invitation frame for the P2P device (action body, category first).
    pub(super) fn inv_frame(&mut self, now: Instant, sa: MacAddr, freq: Option<u32>, body: Vec<u8>) {
        let freq = freq.or_else(|| self.p2p.disc.listening(now)).unwrap_or_else(|| self.p2p.disc.listen_freq());
        if self.inv.inv.active_peer().is_none() {
            // Answers use our current channels and stored groups.
            let local = self.inv_local();
            self.inv.inv.set_local(local);
        } else {
            let now_local = self.inv_local();
            let mut local = self.inv.inv.local().clone();
            local.stored = now_local.stored;
            local.running = now_local.running;
            local.persistent_reconnect = now_local.persistent_reconnect;
            local.groups_full = now_local.groups_full;
            local.active_ssids = now_local.active_ssids;
            self.inv.inv.set_local(local);
        }
        self.inv_input(now, InvInput::Frame { sa, freq, body });
    }

    /// The invitation's timers.
    pub(super) fn inv_timeout(&mut self, now: Instant) {
        self.inv.inv.handle_timeout(now);
        self.drain_inv(now);
        if let Some(j) = &mut self.inv.join_scan
            && j.rescan_at.is_some_and(|t| now >= t)
        {
            j.rescan_at = None;
            self.scan_invited();
        }
    }

    /// `P2P_CONNECT <addr> <method> join auth`: accept that GO's (or inviter's)
    /// invitation into a running group when it comes, and join it then.
    pub(super) fn authorize_invited_join(&mut self, now: Instant, p: CtrlConnect) -> Reply {
        info!(peer = %p.peer, "invitation from this peer authorised in advance");
        self.inv_input(now, InvInput::AuthorizeJoin(p.peer));
        self.inv.auth_join = Some(p);
        Reply::Ok
    }

    /// `P2P_CONNECT <addr> ... join` to a GO the peer table does not know as one: if
    /// `addr` invited us (or is the GO it invited us to), its channel is scanned first;
    /// `None`: the answer comes when the scan ends.
    pub(super) fn join_invited(&mut self, now: Instant, token: Option<ReplyToken>, p: CtrlConnect) -> Option<Reply> {
        let Some(r) = self.inv.invited_by(now, p.peer) else {
            warn!(peer = %p.peer, "P2P_CONNECT join: no running group of that peer is known; run P2P_FIND first");
            return Some(Reply::Fail);
        };
        let (freq, ssid) = (r.op_freq.unwrap_or_default(), r.ssid.clone());
        info!(go = %r.go_dev_addr, freq, "P2P_CONNECT join: scanning for the group we were invited to");
        self.stop_find(now);
        self.inv.join_scan = Some(JoinScan { token, connect: p, freq, ssid, deadline: now + JOIN_SCAN_WINDOW, rescan_at: None });
        self.scan_invited();
        None
    }

    /// One scan of the invited group's channel for its SSID.
    fn scan_invited(&mut self) {
        let Some(j) = &self.inv.join_scan else { return };
        // Our WSC and P2P IEs: a GO puts its P2P IE (which the peer table needs) in a
        // Probe Response only when the Probe Request has one.
        let mut req = super::discovery_scan_request(&self.wiphy, vec![j.freq], self.identity.probe_request_ies.clone());
        req.ssids = vec![j.ssid.clone()];
        self.op(Op::TriggerScan { wdev: self.dev.wdev, req }, Pending::InviteScan);
    }

    /// Whether the peer table knows `addr` as a GO.
    pub(super) fn knows_group(&self, addr: MacAddr) -> bool {
        self.peers().find(&addr).is_some_and(|x| x.group.is_some())
    }

    /// Scans again shortly, if the window is still open; else the join ends.
    fn rescan_or_give_up(&mut self, now: Instant) {
        match &mut self.inv.join_scan {
            Some(j) if now + RESCAN_AFTER < j.deadline => j.rescan_at = Some(now + RESCAN_AFTER),
            _ => self.join_after_scan(now),
        }
    }

    /// `true` if the P2P device's scan was ours (the invited group's channel).
    pub(super) fn inv_scan_done(&mut self, now: Instant, aborted: bool) -> bool {
        if self.inv.join_scan.is_none() {
            return false;
        }
        if aborted {
            self.rescan_or_give_up(now);
        } else {
            self.op(Op::GetScan { wdev: self.dev.wdev }, Pending::InviteScanResults);
        }
        true
    }

    /// The scan for the invited group was refused, or its results came.
    pub(super) fn inv_scan_op_done(&mut self, now: Instant, results: bool, result: Result<OpReply, OpError>) {
        match (results, result) {
            (false, Ok(_)) => {}
            (true, Ok(OpReply::ScanResults(bss))) => {
                self.feed_scan_results(now, &bss);
                self.drain_disc(now);
                let found = self.inv.join_scan.as_ref().is_some_and(|j| self.knows_group(j.connect.peer));
                if found {
                    self.join_after_scan(now);
                } else {
                    self.rescan_or_give_up(now);
                }
            }
            (false, Err(e)) if e.is_busy() => {
                debug!("the radio is busy; scanning for the invited group again shortly");
                self.rescan_or_give_up(now);
            }
            (_, other) => {
                if let Err(e) = other {
                    warn!("scanning for the invited group: {e}");
                }
                self.join_after_scan(now);
            }
        }
    }

    /// The join goes on with what the peer table now knows.
    fn join_after_scan(&mut self, now: Instant) {
        let Some(JoinScan { token, connect: p, .. }) = self.inv.join_scan.take() else { return };
        let reply = if self.knows_group(p.peer) {
            self.join_group(now, token, p)
        } else {
            warn!(peer = %p.peer, "P2P_CONNECT join: the invited group was not found on its channel");
            Some(Reply::Fail)
        };
        match (reply, token) {
            (Some(r), Some(token)) => self.reply(token, r),
            (Some(_), None) => self.emit(Event::GroupFormationFailure { reason: None }),
            (None, _) => {}
        }
    }
}
