//! The agent: what directd decides between start and stop, as one sans-IO machine.
//!
//! Control requests, kernel events, operation results, DHCP datagrams and timer expiry go
//! in ([`Input`], with the time passed in); kernel operations, control replies and
//! events, control and DHCP sockets to open or close come out ([`Output`], drained with
//! [`Agent::poll_output`]); [`Agent::poll_timeout`] says when to call again with
//! [`Input::Timeout`]. The driver performs the outputs in order and feeds an operation's
//! result back ([`Input::OpDone`]) before it takes the next output, so a sequence such as
//! "create the group interface, bring it up, start the BSS, then answer OK" is a chain of
//! operations whose continuations live in [`Pending`].
//!
//! State:
//! - the P2P device's radio work outside groups ([`device`]): discovery (`P2P_FIND`,
//!   `P2P_LISTEN`, probe requests answered, the peer table) and the provision discovery
//!   we send, each a pure machine of `p2p/` fed and drained there;
//! - the groups, keyed by interface name, each a [`Group`] whose variant is our role
//!   (starting, client, owner). [`MAX_GROUPS`] is 1 today; a GO and a client at once
//!   (multi-hop) is a matter of raising it and of the channel policy, not of new fields;
//! - the peers seen ([`Peers`]).

pub mod auto;
pub mod ndn_auto;
mod client;
mod device;
mod gneg;
pub mod intake;
mod join_search;
mod invite;
pub mod identity;
pub mod io;
mod owner;
mod persist;
pub mod sim;
#[cfg(test)]
mod sim_discovery_tests;
#[cfg(test)]
mod sim_auto_tests;
#[cfg(test)]
mod sim_ndn_auto_tests;
#[cfg(test)]
mod sim_flood_tests;
#[cfg(test)]
mod sim_gneg_tests;
#[cfg(test)]
mod sim_invite_tests;
#[cfg(test)]
mod sim_persist_tests;
#[cfg(test)]
mod sim_tests;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::Instant;

use nl80211::scan::ScanRequest;
use nl80211::{BandId, IfTarget, Wiphy};
use tracing::{debug, error, info, warn};

pub use persist::{MAX_STORED_CLIENTS, StoreText};
pub use intake::{Intake, Priority};
pub use io::{CtrlSocket, GroupRoleKind, Input, Kernel, KernelEvent, Op, OpError, OpReply, OpToken, Output, ReplyToken};

use crate::config::RunConfig;
use crate::ctrl::{Event, GroupRemovalReason, MacAddr, PeerQuery, Reply, Request, Status, WpaState};

/// The social channels (1, 6, 11), where P2P devices listen and most groups run.
pub const SOCIAL_FREQS: [u32; 3] = [2412, 2437, 2462];
/// How many groups (client or owner) may run at once.
pub const MAX_GROUPS: usize = 1;

/// Makes a fresh random source (the OS generator in the driver, a seeded one in tests).
pub type RngFactory = Arc<dyn Fn() -> Box<dyn wps::rng::WpsRng + Send> + Send + Sync>;

/// The P2P device the agent runs on (created by the driver before the agent starts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub wiphy: u32,
    pub wdev: u64,
    /// Its name (`p2p-dev-<ifname>`), also its control socket's.
    pub name: String,
    /// The P2P device address.
    pub addr: MacAddr,
}

/// One group, by our role in it.
enum Group {
    /// Being set up (interface, BSS or association under way); the request that asked
    /// for it is answered when the setup ends.
    Starting(owner::Starting),
    Client(Box<client::ClientGroup>),
    Owner(owner::OwnerGroup),
}

impl Group {
    fn ifindex(&self) -> Option<u32> {
        match self {
            Group::Starting(s) => s.ifindex,
            Group::Client(c) => Some(c.ifindex),
            Group::Owner(o) => Some(o.ifindex),
        }
    }
}

/// What to do with an operation's result.
enum Pending {
    /// Nothing but a log line on failure.
    Log { what: &'static str, level: tracing::Level },
    /// Removing a group interface.
    GroupIfaceRemoved { ifname: String },
    /// The discovery machine's remain-on-channel request (its cookie).
    DiscRoc,
    /// The discovery machine's scan was triggered.
    DiscScan,
    /// The results of its scan.
    DiscScanResults,
    /// Our provision discovery request frame (its cookie).
    PdTx,
    /// The provision discovery registration on the P2P device (then the group setup
    /// of `ifname` goes on).
    PdRegistered { ifname: String },
    /// A step of a group's setup.
    Setup { ifname: String },
    /// A GO negotiation frame (its cookie names its TX status).
    GoNegTx { id: crate::p2p::go_neg::TxId },
    /// The GO negotiation's listen (its cookie).
    GoNegRoc,
    /// A scan for the negotiated GO was triggered.
    GoNegScan,
    /// Its results.
    GoNegScanResults,
    /// A scan for a GO to join (not seen yet) was triggered.
    JoinScan,
    /// Its results.
    JoinScanResults,
    /// An invitation frame (its cookie names its TX status).
    InviteTx { id: crate::p2p::invitation::TxId },
    /// The invitation machine's listen (its cookie).
    InviteRoc,
    /// A scan of an invited group's channel was triggered.
    InviteScan,
    /// Its results.
    InviteScanResults,
    /// A client group's operation with a result the join machine needs.
    Client { ifname: String, on_fail: client::OnFail },
    /// A client group's DHCP socket.
    ClientDhcpOpen { ifname: String },
    /// An owner's NEW_STATION (replaced once on failure).
    NewStation { ifname: String, sta: Box<nl80211::station::NewStation>, retried: bool },
}

/// The agent. See the module documentation.
pub struct Agent {
    cfg: RunConfig,
    dev: Device,
    identity: identity::Identity,
    wiphy: Wiphy,
    rng: RngFactory,
    /// Discovery and the provision discovery we send.
    p2p: device::P2pDevice,
    /// GO negotiation.
    gneg: gneg::Negotiation,
    /// Invitations, sent and answered.
    inv: invite::Invitations,
    groups: BTreeMap<String, Group>,
    /// Provision discovery requests are registered for on the P2P device.
    pd_registered: bool,
    next_group_index: u32,
    next_token: u64,
    pending: HashMap<OpToken, Pending>,
    out: VecDeque<Output>,
    /// The automatic mode (`--peer-mac`), if configured.
    auto: Option<auto::Auto>,
    /// `--ndn-auto`, if configured.
    ndn_auto: Option<ndn_auto::NdnAutoDriver>,
    /// The stored persistent groups.
    persist: persist::Persist,
}

impl Agent {
    /// An agent on the P2P device `dev`; fails only if the configured device name cannot
    /// be carried in our IEs. Its first outputs register the P2P device for the frames
    /// discovery needs.
    pub fn new(cfg: RunConfig, dev: Device, wiphy: Wiphy, rng: RngFactory) -> Result<Agent, identity::IdentityError> {
        let identity = identity::Identity::new(&cfg.device_name, dev.addr)?;
        let mut seed = [0u8; 32];
        rng().fill(&mut seed);
        let p2p = device::P2pDevice::new(device::our_identity(&cfg.device_name, dev.addr), &wiphy, seed);
        // Its own generator, derived from the same draw (one more draw would shift every
        // later one, and the timings of the simulated air with them).
        let mut neg_seed = seed;
        neg_seed.reverse();
        neg_seed[0] ^= 0x5a;
        let neg_local = gneg::local_for(dev.addr, &p2p.disc, &wiphy);
        let mut inv_seed = neg_seed;
        inv_seed[1] ^= 0xa5;
        let inv = invite::Invitations::new(invite::local_for(&neg_local), inv_seed);
        let gneg = gneg::Negotiation::new(neg_local, neg_seed);
        let mut agent = Agent {
            cfg,
            dev,
            identity,
            wiphy,
            rng,
            p2p,
            gneg,
            inv,
            groups: BTreeMap::new(),
            pd_registered: false,
            next_group_index: 0,
            next_token: 0,
            pending: HashMap::new(),
            out: VecDeque::new(),
            auto: None,
            ndn_auto: None,
            persist: persist::Persist::default(),
        };
        agent.auto = agent.cfg.auto.clone().map(auto::Auto::new);
        agent.inv.persistent_reconnect = agent.cfg.persistent_reconnect;
        agent.ndn_auto = agent.cfg.ndn.as_ref().and_then(|n| n.auto.clone()).map(ndn_auto::NdnAutoDriver::new);
        agent.register_device_frames();
        Ok(agent)
    }

    /// The P2P device.
    pub fn device(&self) -> &Device {
        &self.dev
    }

    /// The group interfaces, by name.
    pub fn group_ifnames(&self) -> impl Iterator<Item = &str> {
        self.groups.keys().map(String::as_str)
    }

    /// The next output, in order.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// When [`Input::Timeout`] is due.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let auto = self.auto.as_ref().and_then(auto::Auto::poll_timeout);
        let ndn_auto = self.ndn_auto.as_ref().and_then(ndn_auto::NdnAutoDriver::poll_timeout);
        let find = [self.p2p.poll_timeout(), self.gneg.poll_timeout(), self.inv.poll_timeout(), auto, ndn_auto].into_iter().flatten().min();
        let groups = self.groups.values().filter_map(|g| match g {
            Group::Starting(_) => None,
            Group::Client(c) => c.poll_timeout(),
            Group::Owner(o) => o.poll_timeout(),
        });
        find.into_iter().chain(groups).min()
    }

    pub fn handle_input(&mut self, now: Instant, input: Input) {
        // Every log line of the agent says whose radio it is about.
        let _wiphy = tracing::info_span!("wiphy", name = %self.wiphy.name).entered();
        match input {
            Input::Ctrl { socket, token, request } => {
                let reply = match socket {
                    CtrlSocket::Device => self.on_request(now, token, request),
                    CtrlSocket::Group(ifname) => self.on_group_request(now, token, &ifname, request),
                };
                if let Some(r) = reply {
                    self.reply(token, r);
                }
            }
            Input::Kernel(k) => self.on_kernel(now, k),
            Input::OpDone { token, result } => self.on_op_done(now, token, result),
            Input::Dhcp { ifname, msg } => self.on_dhcp(now, &ifname, msg),
            Input::Timeout => self.on_timeout(now),
            Input::Shutdown => self.shutdown(now, GroupRemovalReason::Requested),
            Input::DeviceLost => {
                error!(device = %self.dev.name, "the P2P device is gone: every group ends (reason=UNAVAILABLE)");
                self.shutdown(now, GroupRemovalReason::Unavailable)
            }
        }
        self.auto_drive(now);
        self.ndn_auto_drive(now);
    }

    /// The way out: every group ends with `reason` (groups still being set up go without
    /// events), then `CTRL-EVENT-TERMINATING`, as wpa_supplicant says before it closes its
    /// sockets (wpa_cli stops monitoring on it).
    fn shutdown(&mut self, now: Instant, reason: GroupRemovalReason) {
        // Leaving is no link loss to repair.
        self.auto = None;
        self.ndn_auto = None;
        let names: Vec<String> = self.groups.keys().cloned().collect();
        for ifname in names {
            match self.groups.get(&ifname) {
                Some(Group::Starting(_)) => self.abort_group(now, &ifname),
                _ => self.remove_group(now, &ifname, reason),
            }
        }
        self.emit(Event::Terminating);
    }

    // ---- outputs ----

    fn op(&mut self, op: Op, then: Pending) -> OpToken {
        let token = OpToken(self.next_token);
        self.next_token += 1;
        self.pending.insert(token, then);
        self.out.push_back(Output::Op { token, op });
        token
    }

    /// An operation nobody waits for: see [`Output::Detached`].
    fn op_detached(&mut self, op: Op) {
        self.out.push_back(Output::Detached(op));
    }

    /// An operation whose failure is only logged.
    fn op_logged(&mut self, op: Op, what: &'static str, level: tracing::Level) {
        self.op(op, Pending::Log { what, level });
    }

    fn reply(&mut self, token: ReplyToken, reply: Reply) {
        self.out.push_back(Output::Reply { token, reply });
    }

    fn emit(&mut self, event: Event) {
        info!(event = %event.redacted(), "event");
        if let Some(a) = &mut self.auto {
            a.observe(&event);
        }
        if let Some(n) = &mut self.ndn_auto {
            n.observe(&event);
        }
        self.out.push_back(Output::Event(event));
    }

    /// A fresh seed from the injected generator for a machine's deterministic generator.
    fn seed(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        (self.rng)().fill(&mut b);
        b
    }

    /// A fresh 8-digit PIN with a valid checksum, and its control-interface form.
    fn generate_pin(&self) -> Option<(wps::pin::Pin, crate::ctrl::Pin)> {
        let pin = wps::pin::Pin::generate(&mut *(self.rng)());
        let shown = crate::ctrl::Pin::parse(pin.reveal()).ok()?;
        Some((pin, shown))
    }

    // ---- control requests ----

    /// A request on the P2P device's socket; `None` when the answer comes later.
    fn on_request(&mut self, now: Instant, token: ReplyToken, req: Request) -> Option<Reply> {
        Some(match req {
            Request::Ping => Reply::Pong,
            Request::Status { .. } => self.device_status().to_reply(),
            Request::Interfaces => {
                let mut s = format!("{}\n", self.dev.name);
                for g in self.groups.keys() {
                    s.push_str(&format!("{g}\n"));
                }
                Reply::Text(s)
            }
            Request::P2pFind(p) => self.find(now, &p),
            Request::P2pListen { timeout } => self.listen(now, timeout),
            Request::P2pStopFind => {
                self.stop_join_search("P2P_STOP_FIND");
                self.stop_find(now);
                Reply::Ok
            }
            Request::P2pFlush => {
                self.flush(now);
                Reply::Ok
            }
            Request::P2pPeer(q) => {
                let peers = self.peers();
                let peer = match q {
                    PeerQuery::First => peers.first(),
                    PeerQuery::Next(a) => peers.next_after(&a),
                    PeerQuery::Addr(a) => peers.get(&a),
                };
                match peer {
                    None => Reply::Fail,
                    Some(p) => {
                        let mut info = crate::ctrl::PeerInfo::from_peer(p, now);
                        // `persistent=<id>`: a stored group with this peer (its GO, or one of
                        // its clients), after `level=` as wpa_supplicant prints it; hostap's
                        // scripts build `P2P_INVITE persistent=<id>` from it.
                        if let Some(id) = self.stored_with(p.dev_addr) {
                            info.extra.insert(0, ("persistent".to_owned(), id.to_string()));
                        }
                        info.to_reply()
                    }
                }
            }
            Request::P2pProvDisc(p) => self.prov_disc(now, p),
            Request::P2pSet { field, value } => self.p2p_set(now, &field, &value),
            Request::P2pConnect(p) => return self.connect(now, token, p),
            Request::P2pGroupAdd(p) => return self.group_add(now, token, p),
            Request::P2pGetPassphrase => match self.groups.values().find_map(|g| match g {
                Group::Owner(o) => Some(o),
                _ => None,
            }) {
                Some(o) => Reply::Passphrase(crate::ctrl::Passphrase::new(owner::passphrase(o))),
                None => Reply::Fail,
            },
            Request::P2pGroupRemove { ifname } => {
                if matches!(self.groups.get(&ifname), Some(Group::Client(_) | Group::Owner(_))) {
                    self.remove_group(now, &ifname, GroupRemovalReason::Requested);
                    Reply::Ok
                } else {
                    warn!(%ifname, "P2P_GROUP_REMOVE: no such group");
                    Reply::Fail
                }
            }
            Request::P2pCancel => self.cancel(now),
            Request::P2pReject(peer) => self.reject(now, peer),
            Request::Set { field, value } if field == "device_name" => self.set_device_name(&value),
            Request::Get { field } if field == "device_name" => Reply::Text(self.cfg.device_name.clone()),
            Request::Set { field, value } if field == "persistent_reconnect" => self.set_persistent_reconnect(&value),
            Request::Get { field } if field == "persistent_reconnect" => Reply::Text(u8::from(self.inv.persistent_reconnect).to_string()),
            Request::P2pInvite(p) => self.invite(now, p),
            Request::ListNetworks => self.list_networks(),
            Request::RemoveNetwork(id) => self.remove_network(id),
            Request::GetNetwork { id, field } => self.get_network(id, &field),
            other => {
                warn!(command = other.command_name(), "not supported yet");
                Reply::Fail
            }
        })
    }

    /// A request on a group interface's socket.
    fn on_group_request(&mut self, now: Instant, token: ReplyToken, ifname: &str, req: Request) -> Option<Reply> {
        match req {
            Request::Interfaces | Request::P2pGroupRemove { .. } | Request::P2pPeer(_) => {
                return self.on_request(now, token, req);
            }
            Request::Ping => return Some(Reply::Pong),
            _ => {}
        }
        Some(match self.groups.get(ifname) {
            Some(Group::Owner(_)) => self.on_owner_request(now, ifname, req),
            Some(Group::Client(c)) => match req {
                Request::Status { .. } => self.client_status(c).to_reply(),
                other => {
                    warn!(command = other.command_name(), "not supported on a client group interface");
                    Reply::Fail
                }
            },
            _ => {
                warn!(%ifname, command = req.command_name(), "no group on this interface");
                Reply::Fail
            }
        })
    }

    fn uuid(&self) -> [u8; 16] {
        wps::attr::uuid_from_mac(&self.dev.addr.0)
    }

    fn device_status(&self) -> Status {
        let state = if !self.groups.is_empty() {
            WpaState::Completed
        } else if self.p2p_state() == crate::p2p::discovery::P2pState::Search {
            WpaState::Scanning
        } else {
            WpaState::Disconnected
        };
        Status {
            link: None,
            wpa_state: state,
            ip_address: None,
            p2p_device_address: Some(self.dev.addr),
            address: self.dev.addr,
            uuid: Some(self.uuid()),
            extra: vec![self.p2p_state_line()],
        }
    }

    // ---- timers ----

    fn on_timeout(&mut self, now: Instant) {
        self.device_timeout(now);
        self.gneg_timeout(now);
        self.inv_timeout(now);
        let names: Vec<String> = self.groups.keys().cloned().collect();
        for ifname in names {
            match self.groups.get(&ifname) {
                Some(Group::Client(_)) => self.client_timeout(now, &ifname),
                Some(Group::Owner(_)) => self.owner_timeout(now, &ifname),
                _ => {}
            }
        }
    }

    // ---- kernel events ----

    fn on_kernel(&mut self, now: Instant, k: Kernel) {
        debug!(event = %k.event.summary(), wdev = ?k.wdev, ifindex = ?k.ifindex, "nl80211 event");
        if k.ifindex.is_none() && k.wdev == Some(self.dev.wdev) {
            match k.event {
                KernelEvent::Frame { freq, frame } => self.on_device_frame(now, freq, &frame),
                KernelEvent::ScanDone { aborted } => {
                    if !self.gneg_scan_done(aborted) && !self.join_scan_done(now, aborted) && !self.inv_scan_done(now, aborted) {
                        self.disc_scan_done(now, aborted);
                    }
                }
                KernelEvent::Roc(r) => {
                    if !self.gneg_roc_event(now, r.cookie, r.started) && !self.inv_roc_event(now, r.cookie, r.started) {
                        self.disc_roc_event(now, r);
                    }
                }
                KernelEvent::TxStatus { cookie, ack, .. } => {
                    if !self.gneg_tx_status(now, cookie, ack) && !self.inv_tx_status(now, cookie, ack) {
                        self.device_tx_status(now, cookie, ack);
                    }
                }
                other => debug!(event = %other.summary(), "P2P device event"),
            }
            return;
        }
        let Some(ifindex) = k.ifindex else { return };
        let Some(ifname) = self.groups.iter().find(|(_, g)| g.ifindex() == Some(ifindex)).map(|(n, _)| n.clone()) else {
            return;
        };
        if matches!(k.event, KernelEvent::Other(nl80211::Command::DelInterface)) {
            // Not ours (we forget a group before deleting its interface): someone else
            // deleted it, or its radio went away. The group ends as wpa_supplicant ends one
            // whose interface became unavailable.
            warn!(%ifname, "the group interface was removed by someone else: the group ends (reason=UNAVAILABLE)");
            return match self.groups.get(&ifname) {
                Some(Group::Starting(_)) => self.abort_group(now, &ifname),
                _ => self.remove_group(now, &ifname, GroupRemovalReason::Unavailable),
            };
        }
        match self.groups.get(&ifname) {
            Some(Group::Owner(_)) => self.owner_kernel(now, &ifname, k.event),
            Some(Group::Client(_)) => self.client_kernel(now, &ifname, k.event),
            _ => debug!(%ifname, event = %k.event.summary(), "event for a group being set up"),
        }
    }

    /// A frame received on the P2P device: probe requests go to discovery, provision
    /// discovery responses to the exchange we started, requests are answered.
    fn on_device_frame(&mut self, now: Instant, freq: Option<u32>, frame: &[u8]) {
        use crate::p2p::wire::{P2pActionFrame, P2pMessage};
        if frame.first() == Some(&0x40) {
            return self.disc_probe_request(now, freq, frame);
        }
        let Ok(m) = crate::ieee80211::MgmtRepr::parse_bytes(frame) else { return };
        let _peer = tracing::info_span!("peer", addr = %m.header.addr2).entered();
        let crate::ieee80211::MgmtBody::Action(a) = &m.body else { return };
        // hwsim (and a driver in promiscuous listen) hands the P2P device action frames
        // addressed to other devices: answering them would speak for someone else.
        let da = m.header.addr1;
        if da != self.dev.addr && da != crate::ieee80211::MacAddr::BROADCAST {
            return debug!(sa = %m.header.addr2, %da, "P2P device: action frame for another device ignored");
        }
        let body = a.to_bytes();
        let msg = if P2pActionFrame::is_p2p(&body) { P2pMessage::parse(&body).ok() } else { None };
        match msg {
            Some(P2pMessage::GoNegRequest(r)) => {
                self.auto_screen_request(now, m.header.addr2);
                self.ndn_auto_screen_request(now, m.header.addr2, &r.device_info.desc.name);
                self.gneg_frame(now, m.header.addr2, freq, body, Some(r.listen_channel));
                // Then the peer table learns the sender (reported if it was new or known
                // only from its probe requests); after the negotiator, so that the
                // automatic mode sees the peer ask before it sees it found.
                let _ = self.disc_input(now, crate::p2p::discovery::Input::GoNegRequest { sa: m.header.addr2, request: &r });
                return;
            }
            Some(P2pMessage::GoNegResponse(_) | P2pMessage::GoNegConfirmation(_)) => return self.gneg_frame(now, m.header.addr2, freq, body, None),
            Some(P2pMessage::InvitationRequest(_) | P2pMessage::InvitationResponse(_)) => return self.inv_frame(now, m.header.addr2, freq, body),
            Some(P2pMessage::ProvisionDiscoveryResponse(_)) => return self.pd_response(now, m.header.addr2, &body),
            Some(P2pMessage::ProvisionDiscoveryRequest(_)) => {}
            _ => return debug!(sa = %m.header.addr2, "P2P device: action frame not handled"),
        }
        let groups = self
            .groups
            .iter()
            .filter_map(|(n, g)| match g {
                Group::Owner(o) => Some(crate::p2p::pd::OurGroup { ifname: n.clone(), ssid: owner::ssid(o).to_vec() }),
                _ => None,
            })
            .collect();
        let ours = crate::p2p::pd::OurDevice { device_addr: self.dev.addr, groups };
        let answer = match crate::p2p::pd::answer(&body, m.header.addr2, &ours) {
            Ok(a) => a,
            Err(e) => return debug!(sa = %m.header.addr2, "provision discovery request dropped: {e}"),
        };
        info!(peer = %answer.peer_addr, decision = ?answer.decision, join = answer.join.is_some(), "provision discovery request");
        let tx = nl80211::frame::FrameTx { freq, offchannel_ok: true, no_cck: true, frame: answer.frame(), ..Default::default() };
        self.op_logged(Op::SendFrame { target: IfTarget::Wdev(self.dev.wdev), tx }, "sending the provision discovery response", tracing::Level::WARN);
        // "Display" asks us to show a PIN: the one armed on our group, else a new one,
        // armed for this peer (wpa_supplicant only shows it and waits for WPS_PIN).
        let mut pin = None;
        if answer.decision == Ok(crate::p2p::pd::PdMethod::ShowPin) {
            // Not a GO: a new PIN to show, as wpa_supplicant does.
            pin = self.owner_pin_for_display(now, answer.peer.p2p_dev_addr).or_else(|| self.generate_pin().map(|(_, shown)| shown));
        }
        if let Some(ev) = crate::ctrl::discovery::pd_request_event(&answer, pin) {
            self.emit(ev);
        }
    }

    // ---- operation results ----

    fn on_op_done(&mut self, now: Instant, token: OpToken, result: Result<OpReply, OpError>) {
        let Some(p) = self.pending.remove(&token) else {
            warn!(?token, "result of an unknown operation");
            return;
        };
        match p {
            Pending::Log { what, level } => {
                if let Err(e) = result {
                    if level == tracing::Level::WARN {
                        warn!("{what} failed: {e}");
                    } else {
                        debug!("{what}: {e}");
                    }
                }
            }
            Pending::GroupIfaceRemoved { ifname } => match result {
                Ok(_) => info!(%ifname, "group interface removed"),
                // Removed already (by someone else, or with its radio).
                Err(e) if e.is_gone() => info!(%ifname, "group interface already gone"),
                Err(e) => warn!(%ifname, "removing the group interface: {e}"),
            },
            p @ (Pending::DiscRoc | Pending::DiscScan | Pending::DiscScanResults) => self.disc_op_done(now, &p, result),
            Pending::PdTx => self.pd_tx_done(now, result),
            Pending::PdRegistered { ifname } => {
                match result {
                    Ok(_) => self.pd_registered = true,
                    Err(e) => warn!("cannot receive provision discovery requests: {e}"),
                }
                self.setup_step(now, &ifname, Ok(OpReply::Done));
            }
            Pending::Setup { ifname } => self.setup_step(now, &ifname, result),
            Pending::GoNegTx { id } => self.gneg_tx_done(now, id, result),
            Pending::GoNegRoc => self.gneg_roc_done(now, result),
            Pending::GoNegScan => self.gneg_scan_op_done(now, false, result),
            Pending::GoNegScanResults => self.gneg_scan_op_done(now, true, result),
            Pending::JoinScan => self.join_search_op_done(now, false, result),
            Pending::JoinScanResults => self.join_search_op_done(now, true, result),
            Pending::InviteTx { id } => self.inv_tx_done(now, id, result),
            Pending::InviteRoc => self.inv_roc_done(now, result),
            Pending::InviteScan => self.inv_scan_op_done(now, false, result),
            Pending::InviteScanResults => self.inv_scan_op_done(now, true, result),
            Pending::Client { ifname, on_fail } => self.client_op_done(now, &ifname, on_fail, result),
            Pending::ClientDhcpOpen { ifname } => self.client_dhcp_open(now, &ifname, result),
            Pending::NewStation { ifname, sta, retried } => self.owner_new_station_done(&ifname, sta, retried, result),
        }
    }

    // ---- groups ----

    /// Whether another group may start; logs why not.
    fn admit_group(&self, what: &str) -> bool {
        if self.groups.len() >= MAX_GROUPS {
            warn!("{what}: a group is already running");
            return false;
        }
        true
    }

    fn next_group_ifname(&mut self) -> String {
        let n = self.next_group_index;
        self.next_group_index += 1;
        let name = format!("p2p-{}-{n}", self.cfg.base_name());
        if name.len() <= crate::config::IFNAME_MAX { name } else { format!("p2p-{n}") }
    }

    /// Leaves or ends a group on request (or at shutdown): events, then the interface.
    fn remove_group(&mut self, now: Instant, ifname: &str, reason: GroupRemovalReason) {
        match self.groups.get(ifname) {
            Some(Group::Client(_)) => self.client_leave(now, ifname, reason),
            Some(Group::Owner(_)) => self.owner_end(now, ifname, reason),
            _ => {}
        }
    }

    /// Deletes a group interface without further events.
    fn remove_group_silently(&mut self, now: Instant, ifname: &str) {
        let Some(g) = self.groups.remove(ifname) else { return };
        match g {
            Group::Client(mut c) => {
                if let Some(mut d) = c.dhcp.take() {
                    if let Err(e) = d.handle_input(now, crate::dhcp::ClientInput::Stop) {
                        debug!("dhcp client: {e}");
                    }
                    self.drain_dhcp_client(ifname, &mut d);
                    self.out.push_back(Output::DhcpClose { ifname: ifname.to_owned() });
                }
                self.op(Op::DelInterface { target: IfTarget::Ifindex(c.ifindex) }, Pending::GroupIfaceRemoved { ifname: ifname.to_owned() });
            }
            Group::Owner(o) => {
                self.op(Op::DelInterface { target: IfTarget::Ifindex(o.ifindex) }, Pending::GroupIfaceRemoved { ifname: ifname.to_owned() });
            }
            Group::Starting(s) => {
                if let Some(i) = s.ifindex {
                    self.op(Op::DelInterface { target: IfTarget::Ifindex(i) }, Pending::GroupIfaceRemoved { ifname: ifname.to_owned() });
                }
            }
        }
        self.out.push_back(Output::CloseCtrl { ifname: ifname.to_owned() });
        self.out.push_back(Output::GroupGone { ifname: ifname.to_owned() });
    }
}

/// A discovery scan on the P2P device: wildcard SSID `DIRECT-`, OFDM rates only (on the
/// bands P2P uses: asking for OFDM rates on a band without them, S1G which hwsim has, makes
/// the kernel refuse the whole scan), no CCK, these frequencies and IEs.
fn discovery_scan_request(wiphy: &Wiphy, freqs: Vec<u32>, ies: Vec<u8>) -> ScanRequest {
    let ofdm = vec![12, 18, 24, 36, 48, 72, 96, 108];
    ScanRequest {
        ssids: vec![b"DIRECT-".to_vec()],
        freqs,
        ies,
        supp_rates: wiphy.bands.iter().filter(|b| matches!(b.id, BandId::Ghz2 | BandId::Ghz5)).map(|b| (b.id, ofdm.clone())).collect(),
        no_cck: true,
        flags: 0,
    }
}

/// 24 -> 255.255.255.0.
use crate::dhcp::wire::mask_of as prefix_mask;
