//! Group setup for both roles (interface, link, then the role's own steps) and the owner
//! role: `P2P_GROUP_ADD`, WPS arming on the group interface, the `group::go` machine fed
//! and drained (all calls into it are in [`Agent::go_input`] and [`Agent::drain_go`]),
//! its DHCP server, and ending the group.

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use nl80211::ap::{ApSettings, BeaconData, ChanDef, Crypto};
use nl80211::frame::FrameTx;
use nl80211::key::NewKey;
use nl80211::station::NewStation;
use nl80211::{AuthType, BandId, HiddenSsid, IfTarget, IfType, KeyBytes, KeyType, StaFlagUpdate, sta_flag};
use tracing::{debug, info, warn};
use zeroize::Zeroizing;

use super::{Agent, Group, GroupRoleKind, KernelEvent, Op, OpError, OpReply, Output, Pending, ReplyToken, SOCIAL_FREQS, identity, prefix_mask};
use crate::ctrl::{
    Event, GroupAddParams, GroupCredential, GroupRemovalReason, GroupRole, MacAddr, Passphrase, Reply, Request, StaInfo, StaP2p, StaQuery, Status,
    WpaState, WpsPinRequest, WpsPinTarget, sta_reply,
};
use crate::ctrl::Persistent;
use crate::eapol::SeededRandom;
use crate::p2p::persistent::{StoredKey, StoredRole};
use crate::group::client::JoinTarget;
use crate::group::go::{BeaconTemplate, Go, GoConfig, GoEvent, GoInput, GoOutput, random_chars, random_ssid};

/// Frames a GO answers itself (hostapd registers the same on mac80211): authentication,
/// (re)association requests, disassociation, deauthentication and probe requests.
const GO_FRAME_TYPES: [u16; 6] = [0x00b0, 0x0000, 0x0020, 0x00a0, 0x00c0, 0x0040];
/// Provision Discovery Requests: public action frames, P2P OUI, subtype 7.
pub(super) const PD_FRAME_TYPE: u16 = 0x00d0;
pub(super) const PD_MATCH: [u8; 6] = [0x04, 0x09, 0x50, 0x6f, 0x9a, 0x09];

/// Our GO machine: its address pool is the group's DHCP server, so the handshake's IP
/// allocation and DHCP hand out the same bindings.
pub(super) type OwnerGo = Go<crate::dhcp::Server>;

/// A group being set up.
pub(super) struct Starting {
    pub ifname: String,
    pub ifindex: Option<u32>,
    pub addr: MacAddr,
    /// The request to answer when the setup ends (none for a group that GO negotiation
    /// formed: its `P2P_CONNECT` was answered when the negotiation started).
    pub token: Option<ReplyToken>,
    pub kind: StartKind,
    /// What GO negotiation settled, for a group it formed.
    pub neg: Option<super::gneg::NegGroup>,
    /// A persistent group: to store once it runs, or a stored one re-invoked.
    pub persistent: Option<PersistentStart>,
}

/// What a group's setup does about persistence.
pub(super) enum PersistentStart {
    /// Store the group once it runs (`persistent`).
    New,
    /// Re-invoke a stored group with its SSID and key (a GO's key is its passphrase);
    /// `iface_addr`: the group interface's address (the BSSID an invitation named).
    Stored { ssid: Vec<u8>, key: StoredKey, iface_addr: Option<MacAddr> },
}

/// What the setup is for, and how far it got.
pub(super) enum StartKind {
    Join { target: JoinTarget, password: Box<wps::pin::DevicePassword>, reply: Reply },
    Owner { freq: u32, step: OwnerStep },
}

/// The owner's setup steps after the interface is up.
pub(super) enum OwnerStep {
    /// Waiting for the interface (NEW_INTERFACE, then link up).
    Interface,
    /// Provision discovery registration on the P2P device.
    RegisterPd,
    /// Registering `GO_FRAME_TYPES[i]`.
    RegisterFrame(usize),
    /// The DHCP socket.
    DhcpOpen { ssid: Vec<u8>, passphrase: Zeroizing<String>, server: Box<crate::dhcp::Server> },
    /// START_AP.
    StartAp { go: Box<OwnerGo> },
    /// The GO's own address.
    Address { go: Box<OwnerGo> },
}

/// A group we own.
pub(super) struct OwnerGroup {
    pub ifindex: u32,
    pub addr: MacAddr,
    /// The GO machine, owning the DHCP server.
    pub go: Box<OwnerGo>,
    pub ip: (Ipv4Addr, u8),
    /// A group GO negotiation formed, until the peer's registration succeeds.
    pub formation: Option<Formation>,
    /// A stored persistent group: its clients are remembered as they join.
    pub persistent: bool,
}

/// The formation of a negotiated group we own: the peer must register before `deadline`;
/// `P2P-GROUP-STARTED` is held back until then, as wpa_supplicant does.
pub(super) struct Formation {
    pub peer_dev: MacAddr,
    pub deadline: Instant,
    pub started: Event,
}

impl OwnerGroup {
    pub fn poll_timeout(&self) -> Option<Instant> {
        [self.go.poll_timeout(), self.go.pool().poll_timeout(), self.formation.as_ref().map(|f| f.deadline)].into_iter().flatten().min()
    }
}

pub(super) fn passphrase(o: &OwnerGroup) -> &str {
    o.go.passphrase()
}

pub(super) fn ssid(o: &OwnerGroup) -> &[u8] {
    &o.go.config().ssid
}

/// What the GO machine is told (one place feeds it: [`Agent::go_input`]).
pub(super) enum GoIn<'a> {
    Frame(&'a [u8]),
    TxStatus { frame: &'a [u8], ack: bool },
    Eapol { src: MacAddr, pdu: &'a [u8] },
    Timeout,
    WpsPbc,
    WpsPin { pin: wps::pin::Pin, target: Option<MacAddr>, timeout: Option<Duration> },
    WpsCancel,
    Shutdown,
}

impl Agent {
    /// Creates the next group interface `p2p-<ifname>-<N>` (owned by our socket, so the
    /// kernel removes it if we die); the setup goes on in [`Agent::setup_step`].
    pub(super) fn start_group(&mut self, _now: Instant, token: ReplyToken, iftype: IfType, kind: StartKind, persistent: Option<PersistentStart>) {
        self.start_group_with(Some(token), iftype, kind, None, persistent);
    }

    /// [`Agent::start_group`] for a group GO negotiation formed (nothing to answer, the
    /// interface address the negotiation announced).
    pub(super) fn start_group_with(
        &mut self,
        token: Option<ReplyToken>,
        iftype: IfType,
        kind: StartKind,
        neg: Option<super::gneg::NegGroup>,
        persistent: Option<PersistentStart>,
    ) {
        let ifname = self.next_group_ifname();
        let mac = neg.as_ref().map(|n| n.iface_addr).or(match &persistent {
            Some(PersistentStart::Stored { iface_addr, .. }) => *iface_addr,
            _ => None,
        });
        self.groups.insert(
            ifname.clone(),
            Group::Starting(Starting { ifname: ifname.clone(), ifindex: None, addr: MacAddr([0; 6]), token, kind, neg, persistent }),
        );
        self.op(Op::NewInterface { wiphy: self.dev.wiphy, name: ifname.clone(), iftype, mac }, Pending::Setup { ifname });
    }

    /// The next step of a group's setup, given the last step's result.
    pub(super) fn setup_step(&mut self, now: Instant, ifname: &str, result: Result<OpReply, OpError>) {
        let _group = tracing::info_span!("group", %ifname).entered();
        let Some(Group::Starting(mut s)) = self.groups.remove(ifname) else { return };
        // The interface first (both roles).
        if s.ifindex.is_none() {
            match result {
                Ok(OpReply::Interface { ifindex: Some(i), addr }) => {
                    s.ifindex = Some(i);
                    s.addr = MacAddr(addr);
                    self.op(Op::LinkUp { ifindex: i }, Pending::Setup { ifname: ifname.to_owned() });
                    self.groups.insert(ifname.to_owned(), Group::Starting(s));
                }
                Ok(_) => self.setup_failed(s, "the new group interface has no ifindex".to_owned()),
                Err(e) => self.setup_failed(s, format!("cannot create {ifname}: {e}")),
            }
            return;
        }
        let ifindex = s.ifindex.unwrap_or_default();
        let kind = std::mem::replace(&mut s.kind, StartKind::Owner { freq: 0, step: OwnerStep::Interface });
        match kind {
            StartKind::Join { target, password, reply } => match result {
                Ok(_) => self.start_join(now, s, target, *password, reply),
                Err(e) => self.setup_failed(s, format!("cannot bring the group interface up: {e}")),
            },
            StartKind::Owner { freq, step } => {
                let next = match (step, result) {
                    (OwnerStep::Interface, Err(e)) => {
                        return self.setup_failed(s, format!("cannot bring the group interface up: {e}"));
                    }
                    (OwnerStep::Interface, Ok(_)) if !self.pd_registered => {
                        // Provision Discovery Requests reach our P2P device (addressed to
                        // our device address, on the group's channel): registered once,
                        // when the first group starts. A failure is only logged.
                        let target = IfTarget::Wdev(self.dev.wdev);
                        self.op(
                            Op::RegisterFrame { target, frame_type: PD_FRAME_TYPE, match_bytes: PD_MATCH.to_vec() },
                            Pending::PdRegistered { ifname: ifname.to_owned() },
                        );
                        OwnerStep::RegisterPd
                    }
                    (OwnerStep::Interface | OwnerStep::RegisterPd, _) => self.register_go_frame(ifname, ifindex, 0),
                    (OwnerStep::RegisterFrame(i), Err(e)) => {
                        return self.setup_failed(s, format!("cannot register for frame type {:#06x}: {e}", GO_FRAME_TYPES[i]));
                    }
                    (OwnerStep::RegisterFrame(i), Ok(_)) if i + 1 < GO_FRAME_TYPES.len() => self.register_go_frame(ifname, ifindex, i + 1),
                    (OwnerStep::RegisterFrame(_), Ok(_)) => {
                        let mut rng = SeededRandom::new(self.seed());
                        let (ssid, passphrase) = match (&s.persistent, &s.neg) {
                            (Some(PersistentStart::Stored { ssid, key: StoredKey::Passphrase(p), .. }), _) => (ssid.clone(), p.clone()),
                            (Some(PersistentStart::Stored { .. }), _) => {
                                return self.setup_failed(s, "the stored group has a PSK, not a passphrase: it cannot be restarted as GO".to_owned());
                            }
                            (_, Some(n)) => (n.ssid.clone(), Zeroizing::new(random_chars(&mut rng, self.cfg.passphrase_len))),
                            (_, None) => {
                                let ssid = random_ssid(&mut rng);
                                (ssid, Zeroizing::new(random_chars(&mut rng, self.cfg.passphrase_len)))
                            }
                        };
                        let (go_ip, prefix) = self.cfg.go_address;
                        // The DHCP server first: its pool also serves the handshake's IP
                        // allocation.
                        let server = match crate::dhcp::ServerConfig::for_subnet(go_ip, prefix) {
                            Ok(c) => match crate::dhcp::Server::new(c) {
                                Ok(s) => s,
                                Err(e) => return self.setup_failed(s, format!("DHCP server configuration: {e}")),
                            },
                            Err(e) => return self.setup_failed(s, format!("the GO address cannot host a DHCP pool: {e}")),
                        };
                        self.op(
                            Op::DhcpOpen { ifname: ifname.to_owned(), port: crate::dhcp::wire::SERVER_PORT },
                            Pending::Setup { ifname: ifname.to_owned() },
                        );
                        OwnerStep::DhcpOpen { ssid, passphrase, server: Box::new(server) }
                    }
                    (OwnerStep::DhcpOpen { .. }, Err(e)) => {
                        return self.setup_failed(s, format!("cannot start the DHCP server: {e}"));
                    }
                    (OwnerStep::DhcpOpen { ssid, passphrase, server }, Ok(_)) => {
                        let (go_ip, prefix) = self.cfg.go_address;
                        let cfg = GoConfig {
                            bssid: s.addr,
                            identity: identity::go_identity(&self.cfg.device_name, self.dev.addr),
                            ssid: ssid.clone(),
                            passphrase,
                            freq,
                            ip: Some((go_ip, prefix_mask(prefix))),
                            wps_lockout: self.cfg.wps_lockout,
                            persistent: s.persistent.is_some(),
                            persistent_reconnect: self.inv.persistent_reconnect,
                        };
                        let rng = self.rng.clone();
                        let go = match Go::new(cfg, *server, Box::new(move || rng()), Box::new(SeededRandom::new(self.seed()))) {
                            Ok(mut g) => {
                                if s.neg.is_some() {
                                    g.start_forming();
                                }
                                Box::new(g)
                            }
                            Err(e) => {
                                self.out.push_back(Output::DhcpClose { ifname: ifname.to_owned() });
                                return self.setup_failed(s, format!("group settings: {e}"));
                            }
                        };
                        let beacon = match go.beacon() {
                            Ok(t) => beacon_data(&t),
                            Err(e) => {
                                self.out.push_back(Output::DhcpClose { ifname: ifname.to_owned() });
                                return self.setup_failed(s, format!("beacon templates: {e}"));
                            }
                        };
                        let settings = ApSettings {
                            beacon,
                            beacon_interval: u32::from(crate::group::go::BEACON_INTERVAL),
                            dtim_period: 2,
                            ssid,
                            hidden: HiddenSsid::NotInUse,
                            privacy: true,
                            auth_type: Some(AuthType::OpenSystem),
                            crypto: Crypto {
                                wpa_versions: 2,
                                pairwise: vec![nl80211::cipher::CCMP],
                                group: Some(nl80211::cipher::CCMP),
                                akm: vec![nl80211::akm::PSK],
                                control_port: false,
                                control_port_no_encrypt: false,
                                control_port_over_nl80211: true,
                            },
                            chandef: Some(ChanDef::no_ht(freq)),
                            p2p_ctwindow: None,
                            p2p_oppps: None,
                            inactivity_timeout: None,
                        };
                        self.op(Op::StartAp { ifindex, settings: Box::new(settings) }, Pending::Setup { ifname: ifname.to_owned() });
                        OwnerStep::StartAp { go }
                    }
                    (OwnerStep::StartAp { .. }, Err(e)) => {
                        self.out.push_back(Output::DhcpClose { ifname: ifname.to_owned() });
                        return self.setup_failed(s, format!("START_AP on {freq} MHz failed: {e}"));
                    }
                    (OwnerStep::StartAp { go }, Ok(_)) => {
                        let (go_ip, prefix) = self.cfg.go_address;
                        self.op(Op::AddAddress { ifindex, ip: go_ip, prefix_len: prefix }, Pending::Setup { ifname: ifname.to_owned() });
                        OwnerStep::Address { go }
                    }
                    (OwnerStep::Address { go }, result) => {
                        let (go_ip, prefix) = self.cfg.go_address;
                        match result {
                            Ok(_) => info!(ip = %go_ip, prefix, "address configured"),
                            Err(e) => warn!("cannot set the GO address: {e}"),
                        }
                        return self.owner_started(now, s, go);
                    }
                };
                s.kind = StartKind::Owner { freq, step: next };
                self.groups.insert(ifname.to_owned(), Group::Starting(s));
            }
        }
    }

    fn register_go_frame(&mut self, ifname: &str, ifindex: u32, i: usize) -> OwnerStep {
        let op = Op::RegisterFrame { target: IfTarget::Ifindex(ifindex), frame_type: GO_FRAME_TYPES[i], match_bytes: Vec::new() };
        self.op(op, Pending::Setup { ifname: ifname.to_owned() });
        OwnerStep::RegisterFrame(i)
    }

    /// A setup step failed: the interface goes, the request is answered FAIL.
    fn setup_failed(&mut self, s: Starting, why: String) {
        let what = match s.kind {
            StartKind::Join { .. } => "P2P_CONNECT join",
            StartKind::Owner { .. } => "P2P_GROUP_ADD",
        };
        warn!("{what} failed: {why}");
        if let Some(i) = s.ifindex {
            self.op_logged(Op::DelInterface { target: IfTarget::Ifindex(i) }, "removing the group interface", tracing::Level::DEBUG);
        }
        if let Some(token) = s.token {
            self.reply(token, Reply::Fail);
        }
        if s.neg.is_some() {
            self.emit(Event::GroupFormationFailure { reason: None });
        }
    }

    /// `P2P_GROUP_ADD [freq=<MHz>]`: an autonomous group with us as GO.
    pub(super) fn group_add(&mut self, now: Instant, token: ReplyToken, p: GroupAddParams) -> Option<Reply> {
        if !self.admit_group("P2P_GROUP_ADD") {
            return Some(Reply::Fail);
        }
        let persistent = match p.persistent {
            None => None,
            Some(Persistent::New) => self.may_store("P2P_GROUP_ADD persistent").then_some(PersistentStart::New),
            Some(Persistent::Id(id)) => {
                let Some(g) = self.stored(id) else {
                    warn!(id, "P2P_GROUP_ADD persistent=: no such stored group");
                    return Some(Reply::Fail);
                };
                if g.role == StoredRole::Client {
                    // As wpa_supplicant: we were its client, so we join the group again
                    // where its GO runs it, with the stored key (no WPS).
                    let g = g.clone();
                    return self.start_stored_client(now, token, id, g);
                }
                info!(id, ssid = %String::from_utf8_lossy(&g.ssid), "restarting the stored persistent group as GO");
                Some(PersistentStart::Stored { ssid: g.ssid.clone(), key: g.key.clone(), iface_addr: None })
            }
        };
        let freq = match self.pick_go_freq(p.freq) {
            Ok(f) => f,
            Err(r) => return Some(r),
        };
        self.stop_find(now);
        self.start_group(now, token, IfType::P2pGo, StartKind::Owner { freq, step: OwnerStep::Interface }, persistent);
        None
    }

    /// The channel for a new group: the one asked for if the radio may start a BSS there,
    /// else a social channel.
    pub(super) fn pick_go_freq(&self, asked: Option<u32>) -> Result<u32, Reply> {
        let usable = |mhz: u32| {
            self.wiphy
                .bands
                .iter()
                .filter(|b| matches!(b.id, BandId::Ghz2 | BandId::Ghz5))
                .flat_map(|b| b.freqs.iter())
                .find(|f| f.mhz == mhz)
                .map(|f| !f.disabled && !f.no_ir && !f.radar)
        };
        match asked {
            Some(f) => match usable(f) {
                Some(true) => Ok(f),
                Some(false) => {
                    warn!(freq = f, "P2P_GROUP_ADD: the channel is disabled, passive-only or needs DFS here");
                    Err(Reply::FailChannelUnavailable)
                }
                None => {
                    warn!(freq = f, "P2P_GROUP_ADD: the radio has no such channel");
                    Err(Reply::FailChannelUnsupported)
                }
            },
            None => [2437, 2412, 2462].into_iter().find(|f| usable(*f) == Some(true)).ok_or_else(|| {
                warn!(?SOCIAL_FREQS, "P2P_GROUP_ADD: no social channel is usable");
                Reply::FailChannelUnavailable
            }),
        }
    }

    /// The BSS runs: the event, the group key, the answer, the group's socket.
    fn owner_started(&mut self, now: Instant, s: Starting, go: Box<OwnerGo>) {
        let Starting { ifname, ifindex, addr, token, neg, persistent, .. } = s;
        let Some(ifindex) = ifindex else { return };
        let (go_ip, prefix) = self.cfg.go_address;
        let ssid = go.config().ssid.clone();
        let freq = go.config().freq;
        // A new persistent group is stored now (a re-invoked one is already).
        let persistent = match persistent {
            Some(PersistentStart::New) => self.store_group(super::persist::go_group(&ssid, self.dev.addr, go.passphrase())).is_some(),
            Some(PersistentStart::Stored { .. }) => true,
            None => false,
        };
        info!(%ifname, ssid = %String::from_utf8_lossy(&ssid), freq, "group started as GO");
        let started = Event::GroupStarted {
            ifname: ifname.clone(),
            role: GroupRole::Go,
            ssid,
            freq,
            credential: Some(GroupCredential::Passphrase(go.passphrase().to_owned())),
            go_dev_addr: self.dev.addr,
            persistent,
            ip: None,
        };
        // A negotiated group is started once its peer registered (wpa_supplicant's order:
        // WPS-REG-SUCCESS, P2P-GROUP-FORMATION-SUCCESS, P2P-GROUP-STARTED).
        let formation = match &neg {
            Some(n) => Some(Formation { peer_dev: n.peer_dev, deadline: now + n.formation_timeout, started }),
            None => {
                self.emit(started);
                None
            }
        };
        self.groups.insert(ifname.clone(), Group::Owner(OwnerGroup { ifindex, addr, go, ip: (go_ip, prefix), formation, persistent }));
        self.drain_go(now, &ifname);
        if let Some(n) = neg {
            // The registrar is armed for exactly the negotiated peer and method.
            let arm = match n.pin {
                Some(pin) => GoIn::WpsPin { pin, target: Some(n.peer_dev), timeout: None },
                None => GoIn::WpsPbc,
            };
            self.go_input(now, &ifname, arm);
        }
        if let Some(token) = token {
            self.reply(token, Reply::Ok);
        }
        self.out.push_back(Output::OpenCtrl { ifname: ifname.clone() });
        self.out.push_back(Output::GroupAddressed {
            ifname,
            ifindex,
            role: GroupRoleKind::Owner,
            own_ip: go_ip,
            prefix_len: prefix,
            go_ip,
        });
    }

    fn owner_mut(&mut self, ifname: &str) -> Option<&mut OwnerGroup> {
        match self.groups.get_mut(ifname) {
            Some(Group::Owner(o)) => Some(o),
            _ => None,
        }
    }

    /// The one place the GO machine is fed; its outputs are drained at once.
    pub(super) fn go_input(&mut self, now: Instant, ifname: &str, input: GoIn<'_>) {
        let _group = tracing::info_span!("group", %ifname).entered();
        let Some(o) = self.owner_mut(ifname) else { return };
        let go = &mut o.go;
        match input {
            GoIn::Frame(f) => go.handle_input(now, GoInput::Frame(f)),
            GoIn::TxStatus { frame, ack } => go.handle_input(now, GoInput::TxStatus { frame, ack }),
            GoIn::Eapol { src, pdu } => go.handle_input(now, GoInput::Eapol { src, pdu }),
            GoIn::Timeout => go.handle_timeout(now),
            GoIn::WpsPbc => go.handle_input(now, GoInput::WpsPbc),
            GoIn::WpsPin { pin, target, timeout } => go.handle_input(now, GoInput::WpsPin { pin, target, timeout }),
            GoIn::WpsCancel => go.handle_input(now, GoInput::WpsCancel),
            GoIn::Shutdown => go.handle_input(now, GoInput::Shutdown),
        }
        self.drain_go(now, ifname);
    }

    /// The one place the GO machine's outputs are read: operations and events.
    fn drain_go(&mut self, _now: Instant, ifname: &str) {
        loop {
            let Some(o) = self.owner_mut(ifname) else { return };
            let Some(out) = o.go.poll_output() else { break };
            let ifindex = o.ifindex;
            let freq = o.go.config().freq;
            let log = |what| (what, tracing::Level::WARN);
            match out {
                GoOutput::SendFrame { frame, no_ack } => {
                    // Nothing here needs the cookie (the GO reads a TX status by its frame):
                    // no round trip per answered frame.
                    let tx = FrameTx { freq: Some(freq), no_cck: true, dont_wait_for_ack: no_ack, frame, ..Default::default() };
                    self.op_detached(Op::SendFrame { target: IfTarget::Ifindex(ifindex), tx });
                }
                GoOutput::NewStation(p) => {
                    let mut flags = StaFlagUpdate::default().with(sta_flag::AUTHENTICATED, true).with(sta_flag::ASSOCIATED, true);
                    flags = flags.with(sta_flag::SHORT_PREAMBLE, p.short_preamble()).with(sta_flag::WME, false);
                    let sta = NewStation {
                        mac: p.addr.0,
                        aid: p.aid,
                        listen_interval: p.listen_interval,
                        supported_rates: p.rates,
                        capability: Some(p.capability),
                        p2p_ps: Some(0),
                        flags,
                        ..Default::default()
                    };
                    self.op(
                        Op::NewStation { ifindex, sta: sta.clone() },
                        Pending::NewStation { ifname: ifname.to_owned(), sta: Box::new(sta), retried: false },
                    );
                }
                GoOutput::DelStation { addr } => {
                    self.op_detached(Op::DelStation { ifindex, peer: addr });
                }
                GoOutput::SendEapol { dest, pdu } => {
                    let (w, l) = log("sending EAPOL");
                    self.op_logged(Op::SendEapol { ifindex, dest, pdu, no_encrypt: false }, w, l);
                }
                GoOutput::InstallPtk { peer, tk } => {
                    let key = NewKey { key_type: KeyType::Pairwise, peer: Some(peer.0), idx: 0, cipher: nl80211::cipher::CCMP, data: KeyBytes(tk.as_bytes().to_vec()), seq: None };
                    let (w, l) = log("installing the pairwise key");
                    self.op_logged(Op::NewKey { ifindex, key }, w, l);
                }
                GoOutput::InstallGtk { gtk, key_idx } => {
                    let key = NewKey { key_type: KeyType::Group, peer: None, idx: key_idx, cipher: nl80211::cipher::CCMP, data: KeyBytes(gtk.as_bytes().to_vec()), seq: None };
                    let (w, l) = log("installing the group key");
                    self.op_logged(Op::NewKey { ifindex, key }, w, l);
                    let (w, l) = log("making the group key the default");
                    self.op_logged(Op::SetDefaultKey { ifindex, idx: key_idx }, w, l);
                }
                GoOutput::Authorize { peer } => {
                    let (w, l) = log("authorizing the station");
                    self.op_logged(Op::Authorize { ifindex, peer }, w, l);
                }
                GoOutput::SetBeacon(t) => {
                    let beacon = Box::new(beacon_data(&t));
                    let (w, l) = log("SET_BEACON");
                    self.op_logged(Op::SetBeacon { ifindex, beacon }, w, l);
                }
                GoOutput::Event(ev) => self.on_go_event(ifname, ev),
            }
        }
    }

    pub(super) fn owner_new_station_done(&mut self, ifname: &str, sta: Box<NewStation>, retried: bool, result: Result<OpReply, OpError>) {
        let Err(e) = result else { return };
        let peer = MacAddr(sta.mac);
        if retried {
            return warn!(sta = %peer, "NEW_STATION failed again: {e}");
        }
        let Some(o) = self.owner_mut(ifname) else { return };
        let ifindex = o.ifindex;
        warn!(sta = %peer, "NEW_STATION failed: {e}; replacing the station");
        // Right after the failed one, before anything queued behind it.
        let token = self.op(Op::NewStation { ifindex, sta: (*sta).clone() }, Pending::NewStation { ifname: ifname.to_owned(), sta, retried: true });
        let retry = self.out.pop_back();
        self.op_logged(Op::DelStation { ifindex, peer }, "DEL_STATION", tracing::Level::DEBUG);
        let del = self.out.pop_back();
        for o in [retry, del].into_iter().flatten() {
            self.out.push_front(o);
        }
        let _ = token;
    }

    fn on_go_event(&mut self, ifname: &str, ev: GoEvent) {
        if let GoEvent::RegSuccess { .. } = &ev
            && let Some(o) = self.owner_mut(ifname)
            && let Some(f) = o.formation.take()
        {
            o.go.formation_over();
            info!(%ifname, peer = %f.peer_dev, "group formation succeeded");
            self.emit(Event::GroupFormationSuccess);
            self.emit(f.started);
        }
        match ev {
            GoEvent::StaConnected { addr, p2p_dev_addr, ip } => {
                if let Some((dev, ssid)) = p2p_dev_addr.zip(self.owner_mut(ifname).filter(|o| o.persistent).map(|o| o.go.config().ssid.clone())) {
                    self.store_client(&ssid, dev);
                }
                self.emit(Event::ApStaConnected { addr, p2p_dev_addr, ip_addr: ip })
            }
            GoEvent::StaDisconnected { addr, p2p_dev_addr } => self.emit(Event::ApStaDisconnected { addr, p2p_dev_addr }),
            GoEvent::PbcActive => self.emit(Event::WpsPbcActive),
            GoEvent::WpsTimeout => self.emit(Event::WpsTimeout),
            GoEvent::PbcOverlap => self.emit(Event::WpsOverlapDetected),
            GoEvent::RegSuccess { enrollee, uuid_e } => self.emit(Event::WpsRegSuccess { enrollee, uuid_e }),
            GoEvent::WpsFail { msg, config_error, reason } => {
                warn!(%reason, "WPS registration failed");
                self.emit(Event::WpsFail { msg, config_error, error_indication: 0 });
            }
            GoEvent::EnrolleeWaiting { addr } => info!(sta = %addr, "an enrollee is waiting for WPS_PBC or WPS_PIN"),
            GoEvent::ApSetupLocked => self.emit(Event::WpsApSetupLocked),
            GoEvent::ApSetupUnlocked => self.emit(Event::WpsApSetupUnlocked),
        }
    }

    pub(super) fn owner_timeout(&mut self, now: Instant, ifname: &str) {
        if self.owner_mut(ifname).and_then(|o| o.formation.as_ref()).is_some_and(|f| now >= f.deadline) {
            warn!(%ifname, "the negotiated peer did not register in time: group formation failed");
            self.emit(Event::GroupFormationFailure { reason: None });
            self.owner_end(now, ifname, GroupRemovalReason::FormationFailed);
            return;
        }
        self.go_input(now, ifname, GoIn::Timeout);
        if let Some(o) = self.owner_mut(ifname) {
            o.go.pool_mut().handle_timeout(now);
        }
        self.drain_group_dhcp(now, ifname);
    }

    /// Kernel events for the GO's interface.
    pub(super) fn owner_kernel(&mut self, now: Instant, ifname: &str, event: KernelEvent) {
        match event {
            KernelEvent::Frame { frame, .. } => self.go_input(now, ifname, GoIn::Frame(&frame)),
            KernelEvent::TxStatus { frame, ack, .. } => self.go_input(now, ifname, GoIn::TxStatus { frame: &frame, ack }),
            KernelEvent::Eapol { src, pdu, .. } => self.go_input(now, ifname, GoIn::Eapol { src, pdu: &pdu }),
            KernelEvent::StopAp => warn!(%ifname, "the kernel stopped the group's BSS"),
            other => debug!(event = %other.summary(), "GO interface event"),
        }
    }

    /// Requests on the GO's group interface.
    pub(super) fn on_owner_request(&mut self, now: Instant, ifname: &str, req: Request) -> Reply {
        match req {
            Request::Status { .. } => match self.groups.get(ifname) {
                Some(Group::Owner(o)) => self.owner_status(o).to_reply(),
                _ => Reply::Fail,
            },
            Request::WpsPbc { .. } => {
                self.go_input(now, ifname, GoIn::WpsPbc);
                Reply::Ok
            }
            Request::WpsCancel => {
                self.go_input(now, ifname, GoIn::WpsCancel);
                Reply::Ok
            }
            Request::WpsPin(WpsPinRequest::Get) => match self.generate_pin() {
                Some((_, shown)) => Reply::Pin(shown),
                None => Reply::Fail,
            },
            Request::WpsPin(WpsPinRequest::Use { target, pin, timeout }) => {
                let (pin, shown) = match pin {
                    Some(p) => match wps::pin::Pin::parse(p.expose()) {
                        Ok(w) => (w, p),
                        Err(_) => return Reply::FailInvalidPin,
                    },
                    None => match self.generate_pin() {
                        Some(x) => x,
                        None => return Reply::Fail,
                    },
                };
                let target = match target {
                    WpsPinTarget::Any => None,
                    WpsPinTarget::Addr(a) => Some(a),
                };
                self.go_input(now, ifname, GoIn::WpsPin { pin, target, timeout: timeout.map(|t| Duration::from_secs(t.into())) });
                Reply::Pin(shown)
            }
            Request::P2pGetPassphrase => match self.groups.get(ifname) {
                Some(Group::Owner(o)) => Reply::Passphrase(Passphrase::new(o.go.passphrase())),
                _ => Reply::Fail,
            },
            Request::StaFirst | Request::StaNext(_) | Request::Sta(_) => {
                let query = match req {
                    Request::StaNext(a) => StaQuery::Next(a),
                    Request::Sta(a) => StaQuery::Addr(a),
                    _ => StaQuery::First,
                };
                match self.groups.get(ifname) {
                    Some(Group::Owner(o)) => {
                        let list: Vec<StaInfo> = o.go.station_reports().iter().map(|r| sta_info(now, r)).collect();
                        sta_reply(&list, query)
                    }
                    _ => Reply::Fail,
                }
            }
            other => {
                warn!(command = other.command_name(), "not supported on a GO group interface");
                Reply::Fail
            }
        }
    }

    fn owner_status(&self, o: &OwnerGroup) -> Status {
        let c = o.go.config();
        let mut extra = vec![("num_sta", o.go.clients().len().to_string())];
        if let Some(w) = o.go.wps_state() {
            extra.push(("wps_state", w.to_owned()));
        }
        Status {
            link: Some(crate::ctrl::GroupLink {
                bssid: o.addr,
                freq: c.freq,
                ssid: c.ssid.clone(),
                network_id: 0,
                go: true,
                wifi_generation: None,
                pairwise_cipher: "CCMP",
                group_cipher: "CCMP",
                key_mgmt: "WPA2-PSK",
            }),
            wpa_state: WpaState::Completed,
            ip_address: Some(o.ip.0),
            p2p_device_address: Some(self.dev.addr),
            address: o.addr,
            uuid: Some(self.uuid()),
            extra,
        }
    }

    /// A provision discovery asked us to display a PIN: the one armed on our group, else a
    /// new one armed for that peer.
    pub(super) fn owner_pin_for_display(&mut self, now: Instant, peer: MacAddr) -> Option<crate::ctrl::Pin> {
        let ifname = self.groups.iter().find(|(_, g)| matches!(g, Group::Owner(_))).map(|(n, _)| n.clone())?;
        let armed = match self.groups.get(&ifname) {
            Some(Group::Owner(o)) => o.go.armed_pin().map(|p| crate::ctrl::Pin::parse(p.reveal()).ok()),
            _ => None,
        };
        match armed {
            Some(shown) => shown,
            None => {
                let (pin, shown) = self.generate_pin()?;
                self.go_input(now, &ifname, GoIn::WpsPin { pin, target: Some(peer), timeout: None });
                Some(shown)
            }
        }
    }

    /// Stops a group being formed without the events of a group that ran: a GO's BSS and
    /// DHCP server stop, a client disconnects, the interface goes.
    pub(super) fn abort_group(&mut self, now: Instant, ifname: &str) {
        match self.groups.get(ifname) {
            Some(Group::Owner(_)) => {
                self.go_input(now, ifname, GoIn::Shutdown);
                if let Some(o) = self.owner_mut(ifname) {
                    let ifindex = o.ifindex;
                    self.op_logged(Op::StopAp { ifindex }, "STOP_AP", tracing::Level::DEBUG);
                    self.out.push_back(Output::DhcpClose { ifname: ifname.to_owned() });
                }
                self.remove_group_silently(now, ifname);
            }
            Some(Group::Client(_)) => self.client_leave(now, ifname, GroupRemovalReason::Requested),
            Some(Group::Starting(s)) => {
                if matches!(s.kind, StartKind::Owner { step: OwnerStep::StartAp { .. } | OwnerStep::Address { .. }, .. }) {
                    self.out.push_back(Output::DhcpClose { ifname: ifname.to_owned() });
                }
                self.remove_group_silently(now, ifname);
            }
            None => {}
        }
    }

    /// Whether a group GO negotiation formed is still forming.
    pub(super) fn group_forming(&self) -> bool {
        self.groups.values().any(|g| match g {
            Group::Starting(s) => s.neg.is_some(),
            Group::Owner(o) => o.formation.is_some(),
            _ => false,
        })
    }

    /// Ends our group: every client deauthenticated, the BSS stopped, the DHCP server
    /// stopped, the interface deleted.
    pub(super) fn owner_end(&mut self, now: Instant, ifname: &str, reason: GroupRemovalReason) {
        self.go_input(now, ifname, GoIn::Shutdown);
        let Some(o) = self.owner_mut(ifname) else { return };
        let ifindex = o.ifindex;
        self.op_logged(Op::StopAp { ifindex }, "STOP_AP", tracing::Level::DEBUG);
        self.out.push_back(Output::DhcpClose { ifname: ifname.to_owned() });
        self.emit(Event::GroupRemoved { ifname: ifname.to_owned(), role: GroupRole::Go, reason: Some(reason) });
        self.remove_group_silently(now, ifname);
    }

    /// The DHCP machine of a group: sends, and what it reports.
    pub(super) fn drain_group_dhcp(&mut self, _now: Instant, ifname: &str) {
        match self.groups.get_mut(ifname) {
            Some(Group::Client(c)) => {
                let Some(mut d) = c.dhcp.take() else { return };
                let rest = self.drain_dhcp_client(ifname, &mut d);
                if let Some(c) = self.client_mut(ifname) {
                    c.dhcp = Some(d);
                }
                for r in rest {
                    self.on_dhcp_client(ifname, r);
                }
            }
            Some(Group::Owner(o)) => {
                let mut outs = Vec::new();
                {
                    let s = o.go.pool_mut();
                    while let Some(x) = s.poll_output() {
                        outs.push(x);
                    }
                }
                for x in outs {
                    match x {
                        crate::dhcp::ServerOutput::Send(t) => self.out.push_back(Output::DhcpSend {
                            ifname: ifname.to_owned(),
                            port: crate::dhcp::wire::CLIENT_PORT,
                            transmit: t,
                        }),
                        ev => info!(%ifname, ?ev, "DHCP server"),
                    }
                }
            }
            _ => {}
        }
    }

    /// A DHCP message on a group interface.
    pub(super) fn on_dhcp(&mut self, now: Instant, ifname: &str, msg: crate::dhcp::Message) {
        match self.groups.get_mut(ifname) {
            Some(Group::Client(c)) => {
                if let Some(d) = &mut c.dhcp
                    && let Err(e) = d.handle_input(now, crate::dhcp::ClientInput::Message(msg))
                {
                    debug!("dhcp client: {e}");
                }
            }
            Some(Group::Owner(o)) => {
                if let Err(e) = o.go.pool_mut().handle_input(now, msg) {
                    debug!("dhcp server: {e}");
                }
            }
            _ => return,
        }
        self.drain_group_dhcp(now, ifname);
    }
}

fn beacon_data(t: &BeaconTemplate) -> BeaconData {
    BeaconData {
        head: t.head.clone(),
        tail: t.tail.clone(),
        probe_resp: None,
        ie: Some(t.beacon_ies.clone()),
        ie_probe_resp: Some(t.probe_resp_ies.clone()),
        ie_assoc_resp: Some(t.assoc_resp_ies.clone()),
    }
}

/// A station of our group as the station list shows it (hostap's flags for a P2P client
/// of a GO without HT/WMM: `[AUTH][ASSOC]`, `[AUTHORIZED]` once the handshake is done,
/// `[SHORT_PREAMBLE]` from its capability, `[WPS]` while it enrolls).
fn sta_info(now: Instant, r: &crate::group::go::StationReport) -> StaInfo {
    let q = &r.request;
    let mut flags = vec!["AUTH", "ASSOC"];
    if r.authorized {
        flags.push("AUTHORIZED");
    }
    if q.capability & crate::ieee80211::CapabilityInfo::SHORT_PREAMBLE.bits() != 0 {
        flags.push("SHORT_PREAMBLE");
    }
    if r.wps {
        flags.push("WPS");
    }
    let p2p = (q.p2p_capab.is_some() || r.p2p.is_some()).then(|| StaP2p {
        capab: q.p2p_capab,
        pri_dev_type: r.p2p.as_ref().map(|c| c.desc.primary_type),
        device_name: r.p2p.as_ref().map(|c| String::from_utf8_lossy(&c.desc.name).into_owned()).unwrap_or_default(),
        device_addr: r.p2p.as_ref().map(|c| c.device_addr),
        config_methods: r.p2p.as_ref().map_or(0, |c| c.desc.config_methods.bits()),
    });
    StaInfo {
        addr: r.addr,
        flags,
        aid: r.aid,
        capability: q.capability,
        listen_interval: q.listen_interval,
        supported_rates: q.rates.clone(),
        timeout_next: "NULLFUNC POLL",
        p2p,
        connected_time: Some(now.saturating_duration_since(q.at).as_secs()),
    }
}
