//! GO negotiation on the P2P device: `P2P_CONNECT` without `join` (and `auto` towards a
//! peer that runs no group), `P2P_CONNECT ... auth`, `P2P_REJECT`, `P2P_CANCEL`, and the
//! peers' own Requests. The negotiator ([`crate::p2p::go_neg`]) is fed and drained here
//! only: its frames go out with `CMD_FRAME` on the P2P-Device wdev (off-channel, with the
//! wait it asks for), its listens are remain-on-channel periods on our listen channel,
//! and the GO negotiation public action frames come in through the P2P action frame
//! registration made at start. On success the group forms with the owner code (the
//! negotiated channel and SSID, the interface address we announced, the registrar armed
//! for exactly that peer and method) or the client code (WPS enrollee with the PIN or
//! push button, then WPA2).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use nl80211::frame::FrameTx;
use nl80211::{BandId, IfTarget, IfType, Wiphy};
use tracing::{debug, info, warn};

use super::owner::{OwnerStep, PersistentStart, StartKind};
use super::{Agent, Group, Op, OpError, OpReply, Pending, ReplyToken};
use crate::ctrl::{ConnectMethod, ConnectParams as CtrlConnect, Event, MacAddr, Reply};
use crate::eapol::SeededRandom;
use crate::group::client::JoinTarget;
use crate::p2p::persistent::StoredRole;
use crate::p2p::go_neg::{
    self, Connect, GoNegotiator, Input as NegInput, Local, Output as NegOutput, Role, TxId, WpsMethod,
};
use crate::p2p::wire::{
    Channel, ChannelEntry, ChannelList, ConfigTimeout, DeviceDescription, GroupCapability, consts::COUNTRY_GLOBAL, types::class_of,
};

/// GO intent when `P2P_CONNECT` gives none (wpa_supplicant's `p2p_go_intent` default).
pub const DEFAULT_GO_INTENT: u8 = 7;
/// Associations a client of a just negotiated group tries (500 ms apart: about the 15 s
/// of the formation deadline).
pub const NEG_ASSOC_ATTEMPTS: u32 = 30;
/// How long the P2P device stays on the channel after a success Response (hostap: 100
/// ms). Under a loaded TCG guest a wpa_supplicant initiator's Confirm came 150-250 ms
/// after our Response and found us gone; the longer dwell costs nothing (the Confirm
/// or a repeated Request is all that comes).
pub const RESPONSE_DWELL_MS: u32 = 500;

/// What GO negotiation settled for the group it formed.
pub(super) struct NegGroup {
    pub peer_dev: MacAddr,
    /// Our group interface's address, as announced (Intended Interface Address).
    pub iface_addr: MacAddr,
    pub ssid: Vec<u8>,
    /// The PIN of the WPS step (`None`: push button).
    pub pin: Option<wps::pin::Pin>,
    /// 15 s plus the peer's configuration timeout.
    pub formation_timeout: Duration,
}

impl Agent {
    /// A negotiated group is stored if the negotiation made it persistent (as GO: we
    /// asked for it; as client: the GO said so) and storing is allowed.
    fn neg_persistent(&self, persistent: bool) -> Option<PersistentStart> {
        (persistent && self.may_store("negotiated persistent group")).then_some(PersistentStart::New)
    }
}

/// The negotiator and the kernel handles of its frames and listens.
pub(super) struct Negotiation {
    pub neg: GoNegotiator,
    /// Cookies of the frames we sent, with the negotiator's handle.
    tx: Vec<(u64, TxId)>,
    /// Cookie of the negotiator's listen (remain-on-channel).
    roc: Option<u64>,
    /// Cookie of the last frame sent, whose off-channel wait on the peer's channel may
    /// still run: cancelled before a listen, else the kernel queues the listen behind it.
    wait: Option<u64>,
    /// The PIN for each connection asked for or authorised (`None`: push button).
    pins: HashMap<MacAddr, Option<wps::pin::Pin>>,
    /// Listen frequencies of peers that sent us a Request (they may not be in the peer
    /// table when we only listened).
    heard: HashMap<MacAddr, u32>,
    /// `P2P_CONNECT ... persistent=<id>`: the stored GO group to run if we become GO, by
    /// peer.
    stored_ids: HashMap<MacAddr, u32>,
    /// A client's join waiting for the GO's BSS to show in a scan.
    pub join_wait: Option<JoinWait>,
}

/// The negotiated GO's BSS is looked for with scans on its channel (its SSID) before the
/// join starts: the kernel's own connect scan is too short to catch a GO whose beacons
/// just began and whose user-space probe answers come late.
pub(super) struct JoinWait {
    success: go_neg::Success,
    pin: Option<wps::pin::Pin>,
    /// The join starts then regardless (its association attempts go on).
    deadline: Instant,
    /// The GO's RSN element, once a scan saw its BSS.
    rsne: Option<Vec<u8>>,
    /// The radio refused the scan (still on the negotiation's channel: the Confirm's
    /// off-channel wait or a listen): the next try.
    rescan_at: Option<Instant>,
}

/// The pause before scanning again for the negotiated GO when the radio was busy.
pub const GO_RESCAN_BUSY: Duration = Duration::from_millis(100);

/// The RSN element (whole) among a BSS's IEs.
fn rsn_element(ies: &[u8]) -> Option<Vec<u8>> {
    use crate::ieee80211::ie::{ElementId, Elements};
    Elements::new(ies).map_while(Result::ok).find(|e| e.id == ElementId::RSN).map(|e| {
        let mut full = vec![48, e.data.len() as u8];
        full.extend_from_slice(e.data);
        full
    })
}

/// How long a negotiated client looks for its GO's BSS before it tries to join anyway.
pub const GO_SCAN_WINDOW: Duration = Duration::from_secs(10);

impl Negotiation {
    pub fn new(local: Local, seed: [u8; 32]) -> Negotiation {
        Negotiation {
            neg: GoNegotiator::new(local, Box::new(SeededRandom::new(seed))),
            tx: Vec::new(),
            roc: None,
            wait: None,
            pins: HashMap::new(),
            heard: HashMap::new(),
            stored_ids: HashMap::new(),
            join_wait: None,
        }
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        let rescan = self.join_wait.as_ref().and_then(|w| w.rescan_at);
        [self.neg.poll_timeout(), rescan].into_iter().flatten().min()
    }

    /// hostap's `p2p_state` name while a negotiation runs.
    pub fn p2p_state(&self) -> Option<&'static str> {
        self.neg.active_peer()?;
        Some(match self.neg.state_name() {
            "WAIT_REQUEST_ACK" | "WAIT_RESPONSE" => "CONNECT",
            "WAIT_RETRY" => "CONNECT_LISTEN",
            "WAIT_PEER_REQUEST" => "WAIT_PEER_CONNECT",
            _ => "GO_NEG",
        })
    }
}

/// The 20 MHz channels a group may run on: usable for initiating radiation (not disabled,
/// not passive-only, no radar detection), by global operating class, in the wiphy's order.
pub(super) fn channel_list(wiphy: &Wiphy) -> ChannelList {
    let mut entries: Vec<ChannelEntry> = Vec::new();
    let freqs = wiphy
        .bands
        .iter()
        .filter(|b| matches!(b.id, BandId::Ghz2 | BandId::Ghz5))
        .flat_map(|b| b.freqs.iter())
        .filter(|f| !f.disabled && !f.no_ir && !f.radar);
    for f in freqs {
        let Some((op_class, ch)) = class_of(f.mhz) else { continue };
        // Channel 14 (class 82) is for 802.11b only: no P2P there.
        if op_class == 82 {
            continue;
        }
        match entries.iter_mut().find(|e| e.op_class == op_class) {
            Some(e) => e.channels.push(ch),
            None => entries.push(ChannelEntry { op_class, channels: vec![ch] }),
        }
    }
    ChannelList { country: COUNTRY_GLOBAL, entries }
}

/// The interface address a negotiated group gets: the device address with the locally
/// administered bit set and bit 2 flipped (what wpa_supplicant's nl80211 driver does for
/// its first P2P group interface).
pub(super) fn group_iface_addr(dev: MacAddr) -> MacAddr {
    let mut a = dev;
    a.0[0] = (a.0[0] | 0x02) ^ 0x04;
    a
}

impl Agent {
    /// What we are for GO negotiation now (listen channel and channels included).
    pub(super) fn gneg_local(&self) -> Local {
        local_for(self.dev.addr, &self.p2p.disc, &self.wiphy)
    }
}

/// What we are for GO negotiation, from our device and discovery (listen channel).
pub(super) fn local_for(dev_addr: MacAddr, disc: &crate::p2p::discovery::Discovery, wiphy: &Wiphy) -> Local {
        let id = disc.identity();
        let channels = channel_list(wiphy);
        let has = |f: u32| channels.freqs().contains(&f);
        let op_freq = [2437, 2412, 2462].into_iter().find(|f| has(*f)).or_else(|| channels.freqs().first().copied()).unwrap_or(2437);
        let ch = |f: u32| Channel::from_freq(COUNTRY_GLOBAL, f).unwrap_or(Channel { country: COUNTRY_GLOBAL, op_class: 81, channel: 6 });
        Local {
            device_addr: dev_addr,
            interface_addr: group_iface_addr(dev_addr),
            device: DeviceDescription {
                config_methods: id.config_methods,
                primary_type: id.primary_type,
                secondary_types: Vec::new(),
                name: id.name.as_bytes().to_vec(),
            },
            device_capability: id.dev_capab,
            group_capability: GroupCapability::INTRA_BSS_DISTRIBUTION,
            channels,
            listen_channel: ch(disc.listen_freq()),
            op_channel: ch(op_freq),
            go_intent: DEFAULT_GO_INTENT,
            config_timeout: ConfigTimeout { go_10ms: 100, client_10ms: 20 },
            max_requests: go_neg::DEFAULT_MAX_REQUESTS,
        }
}

impl Agent {
    /// Feeds the negotiator and performs what it asks.
    pub(super) fn gneg_input(&mut self, now: Instant, input: NegInput) {
        self.gneg.neg.handle_input(now, input);
        self.drain_gneg(now);
    }

    fn drain_gneg(&mut self, now: Instant) {
        let wdev = self.dev.wdev;
        while let Some(o) = self.gneg.neg.poll_output() {
            match o {
                NegOutput::Send(tx) => {
                    // A frame to send ends our listen (the radio goes to the peer's channel).
                    if let Some(cookie) = self.gneg.roc.take() {
                        self.op_logged(Op::CancelRemainOnChannel { wdev, cookie }, "ending the negotiation listen", tracing::Level::DEBUG);
                    }
                    let wait_ms = match tx.kind {
                        go_neg::FrameType::Response => tx.wait_ms.max(RESPONSE_DWELL_MS),
                        _ => tx.wait_ms,
                    };
                    let frame = FrameTx {
                        freq: Some(tx.freq),
                        wait_ms: Some(wait_ms),
                        offchannel_ok: true,
                        no_cck: true,
                        dont_wait_for_ack: false,
                        frame: tx.frame,
                    };
                    self.op(Op::SendFrame { target: IfTarget::Wdev(wdev), tx: frame }, Pending::GoNegTx { id: tx.id });
                }
                NegOutput::Listen { freq, duration } => {
                    // The last frame's wait on the peer's channel ends first, as
                    // wpa_supplicant's send_action_done before p2p_listen_in_find: mac80211
                    // starts a remain-on-channel only after a running wait, so two
                    // initiators sending at once would each stay on the other's channel and
                    // never hear the other's Request.
                    if let Some(cookie) = self.gneg.wait.take() {
                        self.op_logged(Op::FrameWaitCancel { target: IfTarget::Wdev(wdev), cookie }, "ending the wait of the last negotiation frame", tracing::Level::DEBUG);
                    }
                    let duration_ms = u32::try_from(duration.as_millis()).unwrap_or(u32::MAX);
                    self.op(Op::RemainOnChannel { wdev, freq, duration_ms }, Pending::GoNegRoc);
                }
                NegOutput::StopListen => {
                    if let Some(cookie) = self.gneg.roc.take() {
                        self.op_logged(Op::CancelRemainOnChannel { wdev, cookie }, "ending the negotiation listen", tracing::Level::DEBUG);
                    }
                }
                NegOutput::Event(e) => self.on_gneg_event(now, e),
            }
        }
    }

    /// The cookie of a negotiation frame, or its refusal (reported as not ACKed).
    pub(super) fn gneg_tx_done(&mut self, now: Instant, id: TxId, result: Result<OpReply, OpError>) {
        match result {
            Ok(OpReply::Cookie(Some(cookie))) => {
                self.gneg.tx.push((cookie, id));
                self.gneg.wait = Some(cookie);
            }
            other => {
                debug!(?other, "GO negotiation frame not sent");
                self.gneg_input(now, NegInput::TxStatus { id, acked: false });
            }
        }
    }

    /// The cookie of the negotiator's listen, or its refusal (the listen is over).
    pub(super) fn gneg_roc_done(&mut self, now: Instant, result: Result<OpReply, OpError>) {
        match result {
            Ok(OpReply::Cookie(Some(cookie))) => self.gneg.roc = Some(cookie),
            other => {
                debug!(?other, "GO negotiation listen refused");
                self.gneg_input(now, NegInput::ListenEnded);
            }
        }
    }

    /// A TX status on the P2P device: `true` if it was a negotiation frame's.
    pub(super) fn gneg_tx_status(&mut self, now: Instant, cookie: u64, ack: bool) -> bool {
        let Some(i) = self.gneg.tx.iter().position(|(c, _)| *c == cookie) else { return false };
        let (_, id) = self.gneg.tx.swap_remove(i);
        self.gneg_input(now, NegInput::TxStatus { id, acked: ack });
        true
    }

    /// A remain-on-channel event: `true` if it was the negotiator's listen.
    pub(super) fn gneg_roc_event(&mut self, now: Instant, cookie: u64, started: bool) -> bool {
        if self.gneg.roc != Some(cookie) {
            return false;
        }
        if !started {
            self.gneg.roc = None;
            self.gneg_input(now, NegInput::ListenEnded);
        }
        true
    }

    /// A GO negotiation frame for the P2P device (action body, category first).
    pub(super) fn gneg_frame(&mut self, now: Instant, sa: MacAddr, freq: Option<u32>, body: Vec<u8>, listen: Option<Channel>) {
        if let Some(f) = listen.and_then(|c| c.freq_mhz()) {
            self.gneg.heard.insert(sa, f);
        }
        let freq = freq.or_else(|| self.p2p.disc.listening(now)).unwrap_or_else(|| self.p2p.disc.listen_freq());
        let was = self.gneg.neg.state_name();
        self.gneg_input(now, NegInput::Frame { sa, freq, body });
        // We answered a Request with success: the radio must stay for the Confirm.
        if was != "WAIT_CONFIRM" && self.gneg.neg.state_name() == "WAIT_CONFIRM" {
            self.stop_find(now);
        }
    }

    fn on_gneg_event(&mut self, now: Instant, e: go_neg::Event) {
        self.emit(Event::from(&e));
        match e {
            go_neg::Event::PeerNotReady { .. } => {}
            go_neg::Event::Failure { peer, .. } => {
                self.gneg.pins.remove(&peer);
            }
            go_neg::Event::Success(s) => self.form_group(now, s),
        }
    }

    /// The negotiation succeeded: the group forms with the role it gave us.
    fn form_group(&mut self, now: Instant, s: go_neg::Success) {
        let pin = self.gneg.pins.remove(&s.peer_dev).flatten();
        if !self.admit_group("group formation") {
            self.emit(Event::GroupFormationFailure { reason: None });
            return;
        }
        self.stop_find(now);
        match s.role {
            Role::Go => {
                let neg = NegGroup {
                    peer_dev: s.peer_dev,
                    iface_addr: group_iface_addr(self.dev.addr),
                    ssid: s.ssid.clone(),
                    pin,
                    formation_timeout: s.formation_timeout,
                };
                info!(peer = %s.peer_dev, freq = s.freq, "forming the group as GO");
                let kind = StartKind::Owner { freq: s.freq, step: OwnerStep::Interface };
                let stored = self.gneg.stored_ids.remove(&s.peer_dev).and_then(|id| self.stored(id).cloned()).filter(|g| g.role == StoredRole::Go && g.ssid == s.ssid);
                let persistent = match stored {
                    Some(g) if s.persistent => {
                        info!(ssid = %String::from_utf8_lossy(&g.ssid), "the negotiated group is the stored one (persistent=<id>)");
                        Some(PersistentStart::Stored { ssid: g.ssid, key: g.key, iface_addr: None })
                    }
                    _ => self.neg_persistent(s.persistent),
                };
                self.start_group_with(None, IfType::P2pGo, kind, Some(neg), persistent);
            }
            Role::Client => {
                info!(go = %s.peer_dev, bssid = %s.peer_iface, freq = s.freq, "looking for the negotiated GO's BSS");
                self.gneg.join_wait = Some(JoinWait { success: s, pin, deadline: now + GO_SCAN_WINDOW, rsne: None, rescan_at: None });
                self.scan_for_go();
            }
        }
    }

    /// One scan of the negotiated GO's channel for its SSID.
    fn scan_for_go(&mut self) {
        let Some(w) = &self.gneg.join_wait else { return };
        let mut req = super::discovery_scan_request(&self.wiphy, vec![w.success.freq], Vec::new());
        req.ssids = vec![w.success.ssid.clone()];
        self.op(Op::TriggerScan { wdev: self.dev.wdev, req }, Pending::GoNegScan);
    }

    /// `true` if the P2P device's scan was ours (looking for the negotiated GO).
    pub(super) fn gneg_scan_done(&mut self, aborted: bool) -> bool {
        if self.gneg.join_wait.is_none() {
            return false;
        }
        if aborted {
            self.scan_for_go();
        } else {
            self.op(Op::GetScan { wdev: self.dev.wdev }, Pending::GoNegScanResults);
        }
        true
    }

    /// A scan for the GO was refused: the join starts (its own attempts go on).
    pub(super) fn gneg_scan_op_done(&mut self, now: Instant, results: bool, result: Result<OpReply, OpError>) {
        let Some(w) = &self.gneg.join_wait else { return };
        let bssid = w.success.peer_iface;
        match (results, result) {
            (false, Ok(_)) => {}
            (true, Ok(OpReply::ScanResults(r))) if r.iter().any(|b| MacAddr(b.bssid) == bssid) => {
                info!(%bssid, "the negotiated GO's BSS is up");
                let rsne = r.iter().filter(|b| MacAddr(b.bssid) == bssid).find_map(|b| {
                    rsn_element(&b.ies).or_else(|| b.beacon_ies.as_deref().and_then(rsn_element))
                });
                if let Some(w) = &mut self.gneg.join_wait {
                    w.rsne = rsne;
                }
                self.join_negotiated(now);
            }
            (true, Ok(_)) if now < w.deadline => self.scan_for_go(),
            // mac80211 refuses a scan while a remain-on-channel runs (the Confirm's wait):
            // joining now would leave the kernel's connect scan waiting for a scan end
            // that never comes, so the scan is tried again shortly.
            (false, Err(e)) if e.is_busy() && now < w.deadline => {
                debug!("the radio is busy; scanning for the negotiated GO again shortly");
                if let Some(w) = &mut self.gneg.join_wait {
                    w.rescan_at = Some(now + GO_RESCAN_BUSY);
                }
            }
            (_, other) => {
                if let Err(e) = other {
                    warn!("scanning for the negotiated GO: {e}");
                }
                self.join_negotiated(now);
            }
        }
    }

    /// The join of the negotiated group starts.
    fn join_negotiated(&mut self, _now: Instant) {
        let Some(JoinWait { success: s, pin, rsne, .. }) = self.gneg.join_wait.take() else { return };
        let password = match (s.wps_method, pin.clone()) {
            (WpsMethod::Pbc, _) => wps::pin::DevicePassword::pbc(),
            // We type in the PIN the GO displays: the registrar specified it.
            (WpsMethod::PinKeypad, Some(p)) => wps::pin::DevicePassword::pin(p, wps::attr::DevicePasswordId::REGISTRAR_SPECIFIED),
            (WpsMethod::PinDisplay, Some(p)) => wps::pin::DevicePassword::pin(p, wps::attr::DevicePasswordId::DEFAULT),
            (m, None) => {
                warn!(?m, "no PIN for the negotiated method");
                self.emit(Event::GroupFormationFailure { reason: None });
                return;
            }
        };
        let neg = NegGroup {
            peer_dev: s.peer_dev,
            iface_addr: group_iface_addr(self.dev.addr),
            ssid: s.ssid.clone(),
            pin,
            formation_timeout: s.formation_timeout,
        };
        info!(go = %s.peer_dev, bssid = %s.peer_iface, freq = s.freq, "joining the negotiated group");
        // A P2P group is always WPA2-PSK/CCMP: the WPS association must say privacy (the
        // kernel matches the BSS on it), and message 3 must repeat the GO's element (the
        // one its BSS showed; else the standard one).
        let rsne = Some(rsne.unwrap_or_else(crate::group::client::own_rsne));
        let target = JoinTarget { go_dev_addr: s.peer_dev, bssid: s.peer_iface, ssid: s.ssid, freq: s.freq, rsne };
        let kind = StartKind::Join { target, password: Box::new(password), reply: Reply::Ok };
        let persistent = self.neg_persistent(s.persistent);
        self.start_group_with(None, IfType::P2pClient, kind, Some(neg), persistent);
    }

    /// The peer's GO Negotiation Request is answered at once with push button (as after
    /// `P2P_CONNECT <peer> pbc auth`): what the modes that connect on their own
    /// (`--peer-mac`, `--ndn-auto`) authorise.
    pub(super) fn authorize_pbc(&mut self, now: Instant, peer: MacAddr, go_intent: u8, forced_freq: Option<u32>, persistent: bool) {
        let connect = Connect { peer, method: go_neg::WpsMethod::Pbc, go_intent, forced_freq, persistent, ssid: None };
        let local = self.gneg_local();
        self.gneg.neg.set_local(local);
        self.gneg_input(now, NegInput::Authorize(connect));
    }

    /// `P2P_CONNECT <addr> <method> ...` without `join`: negotiate (or authorise with
    /// `auth`). The reply is the generated PIN for `pin`, else `OK`.
    pub(super) fn negotiate(&mut self, now: Instant, _token: ReplyToken, p: CtrlConnect) -> Reply {
        let peer = self.peers().find(&p.peer).filter(|x| x.is_reachable());
        let listen_freq = peer.and_then(|x| x.listen_freq).or_else(|| self.gneg.heard.get(&p.peer).copied());
        let dev_addr = peer.map_or(p.peer, |x| x.dev_addr);
        let supported = channel_list(&self.wiphy).freqs();
        // persistent=<id> must name a stored group we own (wpa_supplicant 2.10: FAIL else).
        let persistent_go_ids: Vec<u32> = self.stored_groups().iter().enumerate().filter(|(_, g)| g.role == StoredRole::Go).filter_map(|(i, _)| u32::try_from(i).ok()).collect();
        let cx = crate::ctrl::ConnectContext {
            supported_freqs: &supported,
            unavailable_freqs: &[],
            persistent_go_ids: &persistent_go_ids,
            peer_known: peer.is_some() || self.gneg.heard.contains_key(&p.peer),
        };
        if let Err(r) = crate::ctrl::check_connect(&p, &cx) {
            warn!(peer = %p.peer, reply = ?r, "P2P_CONNECT refused (unknown peer: run P2P_FIND first)");
            return r;
        }
        if !self.admit_group("P2P_CONNECT") {
            return Reply::Fail;
        }
        // persistent=<id>: if we become GO, the group is that stored one (its SSID named in
        // the negotiation, its passphrase given by WPS), as wpa_supplicant's
        // p2p_persistent_id; as client, a new group is stored as with `persistent`.
        let stored = match p.persistent {
            Some(crate::ctrl::Persistent::Id(id)) => self.stored(id).map(|g| (id, g.ssid.clone())),
            _ => None,
        };
        let stored_ssid = match &stored {
            Some((id, ssid)) => match go_neg::GoSsid::new(ssid) {
                Some(s) => Some(s),
                None => {
                    warn!(id, "P2P_CONNECT persistent=: the stored group's SSID is unusable");
                    return Reply::Fail;
                }
            },
            None => None,
        };
        let (pin, reply) = match &p.method {
            ConnectMethod::Pbc => (None, Reply::Ok),
            ConnectMethod::PinGenerate => match self.generate_pin() {
                Some((pin, shown)) => (Some(pin), Reply::Pin(shown)),
                None => return Reply::Fail,
            },
            ConnectMethod::PinDisplay(s) | ConnectMethod::PinKeypad(s) => match wps::pin::Pin::parse(s.expose()) {
                Ok(w) => (Some(w), Reply::Ok),
                Err(_) => return Reply::FailInvalidPin,
            },
        };
        let connect = Connect {
            peer: dev_addr,
            method: p.method.wps_method(),
            go_intent: p.go_intent.unwrap_or(DEFAULT_GO_INTENT),
            forced_freq: p.freq,
            persistent: p.persistent.is_some(),
            ssid: stored_ssid,
        };
        let local = self.gneg_local();
        self.gneg.neg.set_local(local);
        self.gneg.pins.insert(dev_addr, pin);
        match stored {
            Some((id, _)) => self.gneg.stored_ids.insert(dev_addr, id),
            None => self.gneg.stored_ids.remove(&dev_addr),
        };
        if p.auth {
            info!(peer = %dev_addr, method = ?connect.method, intent = connect.go_intent, "GO negotiation authorised");
            self.gneg_input(now, NegInput::Authorize(connect));
            return reply;
        }
        let Some(freq) = listen_freq else {
            warn!(peer = %dev_addr, "P2P_CONNECT: the peer's listen channel is unknown");
            self.gneg.pins.remove(&dev_addr);
            return Reply::Fail;
        };
        self.stop_find(now);
        self.gneg_input(now, NegInput::Initiate { connect, peer_listen_freq: freq, tie_breaker: None });
        reply
    }

    /// `P2P_REJECT <addr>`.
    pub(super) fn reject(&mut self, now: Instant, peer: MacAddr) -> Reply {
        if self.peers().find(&peer).is_none() && !self.gneg.heard.contains_key(&peer) {
            warn!(%peer, "P2P_REJECT: unknown peer");
            return Reply::Fail;
        }
        self.gneg.pins.remove(&peer);
        self.gneg_input(now, NegInput::Reject(peer));
        Reply::Ok
    }

    /// `P2P_CANCEL`: the running negotiation, else a group being formed, ends; nothing
    /// stays behind (authorisation, listen, interface).
    pub(super) fn cancel(&mut self, now: Instant) -> Reply {
        if let Some(peer) = self.gneg.neg.active_peer() {
            self.gneg.pins.remove(&peer);
            self.gneg_input(now, NegInput::Cancel);
            return Reply::Ok;
        }
        if self.stop_join_search("P2P_CANCEL") {
            return Reply::Ok;
        }
        if let Some(j) = self.p2p.pd_join.take() {
            self.p2p.pd = None;
            info!(go = %j.params.peer, "P2P_CANCEL: the join stopped before it began (provision discovery)");
            return Reply::Ok;
        }
        if self.gneg.join_wait.take().is_some() {
            info!("P2P_CANCEL: the join of the negotiated group stopped");
            self.emit(Event::GroupFormationFailure { reason: None });
            return Reply::Ok;
        }
        let forming = self.groups.iter().find_map(|(n, g)| match g {
            Group::Starting(s) if s.neg.is_some() => Some(n.clone()),
            Group::Owner(o) if o.formation.is_some() => Some(n.clone()),
            Group::Client(c) if !c.client.is_up() => Some(n.clone()),
            _ => None,
        });
        match forming {
            Some(ifname) => {
                info!(%ifname, "P2P_CANCEL: group formation stopped");
                self.emit(Event::GroupFormationFailure { reason: None });
                self.abort_group(now, &ifname);
                Reply::Ok
            }
            None => Reply::Fail,
        }
    }

    /// Whether a group is being provisioned (wpa_supplicant's `p2p_in_provisioning`): the
    /// join of a negotiated GO waits for its BSS, a group interface is being set up for a
    /// client, a client has not finished WPS and the handshake, or a GO formed by
    /// negotiation waits for its client.
    pub(super) fn provisioning(&self) -> bool {
        self.gneg.join_wait.is_some()
            || self.p2p.pd_join.is_some()
            || self.groups.values().any(|g| match g {
                Group::Starting(s) => matches!(s.kind, StartKind::Join { .. }) || s.neg.is_some(),
                Group::Owner(o) => o.formation.is_some(),
                Group::Client(c) => !c.client.is_up(),
            })
    }

    /// The negotiation's timers.
    pub(super) fn gneg_timeout(&mut self, now: Instant) {
        if let Some(w) = &mut self.gneg.join_wait
            && w.rescan_at.is_some_and(|t| now >= t)
        {
            w.rescan_at = None;
            self.scan_for_go();
        }
        self.gneg.neg.handle_timeout(now);
        self.drain_gneg(now);
    }
}
