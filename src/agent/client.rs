//! The client role: `P2P_CONNECT ... join`, the join machine (`group::client`) fed and
//! drained, addressing (configured, allocated by the GO, or DHCP), and leaving.

use std::time::{Duration, Instant};

use nl80211::ap::Crypto;
use nl80211::connect::{ConnectParams, MlmeEvent};
use nl80211::key::NewKey;
use nl80211::{AuthType, Command, IfType, KeyBytes, KeyType};
use tracing::{debug, info, warn};

use super::owner::{PersistentStart, StartKind, Starting};
use super::{Agent, Group, GroupRoleKind, KernelEvent, Op, OpError, OpReply, Output, Pending, ReplyToken, identity, prefix_mask};
use crate::ctrl::{
    ConnectMethod, ConnectParams as CtrlConnect, Event, GroupCredential, GroupIp, GroupRemovalReason, GroupRole, MacAddr, Reply,
    Status, WpaState,
};
use crate::eapol::SeededRandom;
use crate::eapol::crypto::{Pmk, psk_from_passphrase};
use crate::p2p::persistent::{StoredGroup, StoredKey, StoredRole};
use crate::p2p::wire::GroupCapability;
use crate::group::client::{Client, ClientConfig, ClientEvent, ClientInput, ClientOutput, JoinTarget};

/// How long a join waits for the answer to the provision discovery it sends first.
pub const PD_BEFORE_JOIN_WAIT: Duration = Duration::from_secs(2);
/// How recently a GO's group must have been seen for a join to use what we saw; an older
/// one is looked for again first (`join_search`).
pub const JOIN_GROUP_FRESH: Duration = Duration::from_secs(10);

/// A join waiting for its provision discovery (sent first, as wpa_supplicant does, so the
/// GO's user sees who asks and how: `P2P-PROV-DISC-PBC-REQ ... group=`).
pub(super) struct PdBeforeJoin {
    /// The request (answered already; a generated PIN is the one we display).
    pub params: CtrlConnect,
    pub give_up: Instant,
    /// The GO's group was seen by a scan of this request (`false`: from what an earlier
    /// find saw, up to [`JOIN_GROUP_FRESH`] ago).
    pub scanned: bool,
}

/// The DHCP client's machine.
pub(super) type DhcpClient = crate::dhcp::Client<crate::dhcp::SeededRandom>;

/// A group we joined (or are joining).
pub(super) struct ClientGroup {
    pub ifindex: u32,
    pub addr: MacAddr,
    pub client: Client,
    pub ip: Option<GroupIp>,
    /// The DHCP client, when the GO allocated no address and none is configured.
    pub dhcp: Option<DhcpClient>,
    /// A persistent group: stored (again) when it is up.
    pub persistent: bool,
}

impl ClientGroup {
    pub fn poll_timeout(&self) -> Option<Instant> {
        [self.client.poll_timeout(), self.dhcp.as_ref().and_then(|d| d.poll_timeout())].into_iter().flatten().min()
    }
}

/// What a failed operation of the join means to the join machine.
#[derive(Debug, Clone, Copy)]
pub(super) enum OnFail {
    /// Only a log line.
    Log(&'static str),
    /// CONNECT failed: the attempt failed.
    Connect,
    /// DISCONNECT failed: we are not associated anyway.
    Disconnect { reason: u16 },
}

impl Agent {
    /// `P2P_CONNECT <addr> <method> join`.
    pub(super) fn connect(&mut self, now: Instant, token: ReplyToken, p: CtrlConnect) -> Option<Reply> {
        // `auto`: join the peer's group if it runs one, else negotiate.
        let join = p.join || (p.auto && self.knows_group(p.peer));
        if !join {
            return Some(self.negotiate(now, token, p));
        }
        if p.auth {
            return Some(self.authorize_invited_join(now, p));
        }
        self.join_group(now, Some(token), p)
    }

    /// The join of `P2P_CONNECT ... join`; `token: None` for a join the agent starts on
    /// its own (an invitation authorised in advance).
    pub(super) fn join_group(&mut self, now: Instant, token: Option<ReplyToken>, p: CtrlConnect) -> Option<Reply> {
        if !self.admit_group("P2P_CONNECT") {
            return Some(Reply::Fail);
        }
        // A group seen a while ago may have ended, and its GO run another since (new SSID,
        // passphrase): the cached one would be refused at the provision discovery and the
        // association. wpa_supplicant always scans before a join; we do when the group
        // was not seen lately.
        let fresh = self.peers().find(&p.peer).and_then(|x| x.group.as_ref()).is_some_and(|g| now.saturating_duration_since(g.seen) <= JOIN_GROUP_FRESH);
        if !fresh {
            // A GO known only from its invitation: its channel is scanned first; any
            // other GO not seen yet is searched for on every channel.
            if self.inv.invited_by(now, p.peer).is_some() {
                return self.join_invited(now, token, p);
            }
            let r = self.start_join_search(now, p);
            return match token {
                Some(_) => Some(r),
                None if !matches!(r, Reply::Ok | Reply::Pin(_)) => Some(r),
                None => None,
            };
        }
        self.stop_join_search("P2P_CONNECT join of a GO already found");
        // The join of a GO found, by a request (answered now) or by the agent itself.
        match self.join_known(now, token, p, false) {
            Some(Reply::Ok | Reply::Pin(_)) if token.is_none() => None,
            r => r,
        }
    }

    /// Joins a group stored with us as its client, at `target` (where its GO runs it now),
    /// with the stored key: no WPS (a re-invocation, `P2P_GROUP_ADD persistent=<id>`).
    pub(super) fn join_stored_group(&mut self, token: Option<ReplyToken>, target: JoinTarget, key: StoredKey) {
        let persistent = PersistentStart::Stored { ssid: target.ssid.clone(), key, iface_addr: None };
        // The password is not used: the stored key replaces WPS.
        let kind = StartKind::Join { target, password: Box::new(wps::pin::DevicePassword::pbc()), reply: Reply::Ok };
        self.start_group_with(token, IfType::P2pClient, kind, None, Some(persistent));
    }

    /// The join of a GO whose group we have seen: a provision discovery to the GO first,
    /// then the join; `token` is answered when the join starts (`None`: the request was
    /// answered already).
    pub(super) fn join_known(&mut self, now: Instant, token: Option<ReplyToken>, mut p: CtrlConnect, scanned: bool) -> Option<Reply> {
        let reply = match self.settle_join_pin(&mut p) {
            Ok(r) => r,
            Err(r) => return Some(r),
        };
        let Some(peer) = self.peers().find(&p.peer) else { return Some(Reply::Fail) };
        let Some(g) = &peer.group else { return Some(Reply::Fail) };
        let asked = match &p.method {
            ConnectMethod::Pbc => crate::p2p::pd_request::Asked::Pbc,
            // We type in the GO's PIN: it displays.
            ConnectMethod::PinKeypad(_) => crate::p2p::pd_request::Asked::Display,
            ConnectMethod::PinDisplay(_) | ConnectMethod::PinGenerate => crate::p2p::pd_request::Asked::Keypad,
        };
        let join = crate::p2p::wire::GroupId { device_addr: peer.dev_addr, ssid: g.ssid.clone() };
        let (dev_addr, freq) = (peer.dev_addr, g.freq);
        // The find ends now, not after the provision discovery (as wpa_supplicant's join):
        // a search scan started meanwhile held our request off the air for a second or more.
        self.stop_find(now);
        if self.start_pd(now, dev_addr, asked, Some(join), freq) {
            if let Some(old) = self.p2p.pd_join.take() {
                info!(old = %old.params.peer, "a new join replaces the one waiting for its provision discovery");
            }
            debug!(go = %dev_addr, freq, "provision discovery before the join");
            self.p2p.pd_join = Some(PdBeforeJoin { params: p, give_up: now + PD_BEFORE_JOIN_WAIT, scanned });
            // Answered at once, as wpa_supplicant; the join's events follow.
            return Some(reply);
        }
        self.join_start(now, token, p)
    }

    /// Checks the PIN of a join (`FAIL-INVALID-PIN`) and turns `pin` (generate) into the
    /// PIN we display; `Ok` holds the reply for the request (`OK` or that PIN).
    pub(super) fn settle_join_pin(&mut self, p: &mut CtrlConnect) -> Result<Reply, Reply> {
        match &p.method {
            ConnectMethod::PinGenerate => match self.generate_pin() {
                Some((_, shown)) => {
                    p.method = ConnectMethod::PinDisplay(shown.clone());
                    Ok(Reply::Pin(shown))
                }
                None => Err(Reply::Fail),
            },
            ConnectMethod::PinDisplay(pin) | ConnectMethod::PinKeypad(pin) if wps::pin::Pin::parse(pin.expose()).is_err() => {
                Err(Reply::FailInvalidPin)
            }
            _ => Ok(Reply::Ok),
        }
    }

    /// The provision discovery before a join is over (answered, failed or timed out).
    pub(super) fn join_after_pd(&mut self, now: Instant, j: PdBeforeJoin) {
        if !self.admit_group("P2P_CONNECT join") {
            self.emit(Event::GroupFormationFailure { reason: None });
            return;
        }
        if let Some(r) = self.join_start(now, None, j.params) {
            warn!(reply = ?r, "the join could not start");
            self.emit(Event::GroupFormationFailure { reason: None });
        }
    }

    /// Starts the join itself (after the provision discovery).
    fn join_start(&mut self, now: Instant, token: Option<ReplyToken>, p: CtrlConnect) -> Option<Reply> {
        let Some(peer) = self.peers().find(&p.peer) else { return Some(Reply::Fail) };
        let Some(g) = &peer.group else { return Some(Reply::Fail) };
        let target = JoinTarget {
            go_dev_addr: peer.dev_addr,
            bssid: g.bssid,
            ssid: p.ssid.clone().unwrap_or_else(|| g.ssid.clone()),
            freq: g.freq,
            rsne: g.rsne.clone(),
        };
        let (password, reply) = match p.method {
            ConnectMethod::Pbc => (wps::pin::DevicePassword::pbc(), Reply::Ok),
            ConnectMethod::PinKeypad(pin) => match wps::pin::Pin::parse(pin.expose()) {
                // We type in the PIN the GO shows: the registrar specified it.
                Ok(w) => (wps::pin::DevicePassword::pin(w, wps::attr::DevicePasswordId::REGISTRAR_SPECIFIED), Reply::Ok),
                Err(_) => return Some(Reply::FailInvalidPin),
            },
            ConnectMethod::PinDisplay(pin) => match wps::pin::Pin::parse(pin.expose()) {
                Ok(w) => (wps::pin::DevicePassword::pin(w, wps::attr::DevicePasswordId::DEFAULT), Reply::Ok),
                Err(_) => return Some(Reply::FailInvalidPin),
            },
            ConnectMethod::PinGenerate => match self.generate_pin() {
                Some((pin, shown)) => (wps::pin::DevicePassword::pin(pin, wps::attr::DevicePasswordId::DEFAULT), Reply::Pin(shown)),
                None => return Some(Reply::Fail),
            },
        };
        // Stored when it is up if we asked for it and the GO offers persistence (as
        // wpa_supplicant, which reads the GO's Group Capability).
        let persistent = match p.persistent {
            Some(_) if peer.group_capab & GroupCapability::PERSISTENT_GROUP.bits() == 0 => {
                info!(go = %peer.dev_addr, "P2P_CONNECT join persistent: the GO does not offer a persistent group; joining a temporary one");
                None
            }
            Some(_) => self.may_store("P2P_CONNECT join persistent").then_some(PersistentStart::New),
            None => None,
        };
        self.stop_find(now);
        self.start_group_with(token, IfType::P2pClient, StartKind::Join { target, password: Box::new(password), reply }, None, persistent);
        None
    }

    /// The interface is up: the join starts.
    pub(super) fn start_join(
        &mut self,
        now: Instant,
        s: Starting,
        target: JoinTarget,
        password: wps::pin::DevicePassword,
        reply: Reply,
    ) {
        let Starting { ifname, ifindex, addr, token, neg, persistent, .. } = s;
        let Some(ifindex) = ifindex else { return };
        info!(%ifname, go = %target.go_dev_addr, bssid = %target.bssid, freq = target.freq, persistent = persistent.is_some(), "joining group");
        let ssid = target.ssid.clone();
        let enrollee = identity::enrollee_config(&self.cfg.device_name, self.dev.addr, addr.0, password);
        let cfg = ClientConfig {
            target,
            own_addr: addr,
            enrollee,
            p2p_ie: self.identity.p2p_ie.clone(),
            request_ip: self.cfg.static_address.is_none(),
            // A GO that negotiation just formed may not beacon yet (and a user-space GO
            // answers probes late under load): keep trying through its formation time.
            assoc_attempts: if neg.is_some() || matches!(persistent, Some(PersistentStart::Stored { .. })) {
                super::gneg::NEG_ASSOC_ATTEMPTS
            } else {
                crate::group::client::ASSOC_ATTEMPTS
            },
        };
        let rng = self.rng.clone();
        let eapol_rng = Box::new(SeededRandom::new(self.seed()));
        let client = match &persistent {
            // A stored group: its key is known, no WPS.
            Some(PersistentStart::Stored { key, .. }) => {
                let psk = match key {
                    StoredKey::Psk(k) => Pmk::from_bytes(**k),
                    StoredKey::Passphrase(p) => match psk_from_passphrase(p, &ssid) {
                        Ok(k) => k,
                        Err(e) => {
                            warn!("the stored passphrase is unusable: {e}");
                            self.op_logged(Op::DelInterface { target: nl80211::IfTarget::Ifindex(ifindex) }, "removing the group interface", tracing::Level::DEBUG);
                            self.emit(Event::GroupFormationFailure { reason: None });
                            return;
                        }
                    },
                };
                Client::with_psk(cfg, psk, Box::new(move || rng()), eapol_rng, now)
            }
            _ => Client::new(cfg, Box::new(move || rng()), eapol_rng, now),
        };
        let persistent = persistent.is_some();
        self.groups.insert(ifname.clone(), Group::Client(Box::new(ClientGroup { ifindex, addr, client, ip: None, dhcp: None, persistent })));
        self.drain_client(now, &ifname);
        if let Some(token) = token {
            self.reply(token, reply);
        }
        self.out.push_back(Output::OpenCtrl { ifname });
    }

    pub(super) fn client_mut(&mut self, ifname: &str) -> Option<&mut ClientGroup> {
        match self.groups.get_mut(ifname) {
            Some(Group::Client(c)) => Some(c.as_mut()),
            _ => None,
        }
    }

    /// The one place the join machine is fed; its outputs are drained at once.
    fn client_input(&mut self, now: Instant, ifname: &str, input: ClientInput<'_>) {
        let _group = tracing::info_span!("group", %ifname).entered();
        let Some(c) = self.client_mut(ifname) else { return };
        c.client.handle_input(now, input);
        self.drain_client(now, ifname);
    }

    pub(super) fn client_timeout(&mut self, now: Instant, ifname: &str) {
        let _group = tracing::info_span!("group", %ifname).entered();
        let Some(c) = self.client_mut(ifname) else { return };
        c.client.handle_timeout(now);
        if let Some(d) = &mut c.dhcp {
            d.handle_timeout(now);
        }
        self.drain_client(now, ifname);
        self.drain_group_dhcp(now, ifname);
    }

    /// The join machine's outputs, as operations and events; a finished join removes the
    /// group.
    fn drain_client(&mut self, now: Instant, ifname: &str) {
        loop {
            let Some(c) = self.client_mut(ifname) else { return };
            let Some(out) = c.client.poll_output() else { break };
            let ifindex = c.ifindex;
            let pending = |on_fail| Pending::Client { ifname: ifname.to_owned(), on_fail };
            match out {
                ClientOutput::Connect(a) => {
                    let crypto = Crypto {
                        wpa_versions: if a.rsn { 2 } else { 0 },
                        pairwise: if a.rsn { vec![nl80211::cipher::CCMP] } else { vec![] },
                        group: a.rsn.then_some(nl80211::cipher::CCMP),
                        akm: if a.rsn { vec![nl80211::akm::PSK] } else { vec![] },
                        control_port: true,
                        control_port_no_encrypt: false,
                        control_port_over_nl80211: true,
                    };
                    let params = ConnectParams {
                        ssid: a.ssid,
                        bssid: Some(a.bssid.0),
                        freq: Some(a.freq),
                        ie: a.ies,
                        auth_type: AuthType::OpenSystem,
                        privacy: a.privacy,
                        crypto,
                    };
                    info!(rsn = a.rsn, bssid = %a.bssid, "associating");
                    // EAPOL over nl80211 goes to the socket that owns the connection
                    // (Crypto adds SOCKET_OWNER and the EAPOL EtherType for it).
                    self.op(Op::Connect { ifindex, params }, pending(OnFail::Connect));
                }
                ClientOutput::Disconnect { reason } => {
                    self.op(Op::Disconnect { ifindex, reason }, pending(OnFail::Disconnect { reason }));
                }
                ClientOutput::SendEapol { dest, pdu, no_encrypt } => {
                    self.op(Op::SendEapol { ifindex, dest, pdu, no_encrypt }, pending(OnFail::Log("sending EAPOL")));
                }
                ClientOutput::InstallPtk { peer, tk } => {
                    let key = NewKey { key_type: KeyType::Pairwise, peer: Some(peer.0), idx: 0, cipher: nl80211::cipher::CCMP, data: KeyBytes(tk.as_bytes().to_vec()), seq: None };
                    self.op(Op::NewKey { ifindex, key }, pending(OnFail::Log("installing the pairwise key")));
                }
                ClientOutput::InstallGtk { gtk, key_idx, rsc } => {
                    let seq = rsc.to_le_bytes()[..6].to_vec();
                    let key = NewKey { key_type: KeyType::Group, peer: None, idx: key_idx, cipher: nl80211::cipher::CCMP, data: KeyBytes(gtk.as_bytes().to_vec()), seq: Some(seq) };
                    self.op(Op::NewKey { ifindex, key }, pending(OnFail::Log("installing the group key")));
                }
                ClientOutput::Authorize { peer } => {
                    self.op(Op::Authorize { ifindex, peer }, pending(OnFail::Log("authorizing the port")));
                }
                ClientOutput::Event(ev) => self.on_client_event(ifname, ev),
            }
        }
        if self.client_mut(ifname).is_some_and(|c| c.client.is_done()) {
            self.remove_group_silently(now, ifname);
        }
    }

    pub(super) fn client_op_done(&mut self, now: Instant, ifname: &str, on_fail: OnFail, result: Result<OpReply, OpError>) {
        let Err(e) = result else { return };
        match on_fail {
            OnFail::Log(what) => warn!("{what} failed: {e}"),
            OnFail::Connect => {
                warn!("CONNECT failed: {e}");
                self.client_input(now, ifname, ClientInput::ConnectResult { status: 1 });
            }
            OnFail::Disconnect { reason } => {
                debug!("DISCONNECT: {e}");
                self.client_input(now, ifname, ClientInput::Disconnected { reason, by_ap: false });
            }
        }
    }

    pub(super) fn client_kernel(&mut self, now: Instant, ifname: &str, event: KernelEvent) {
        match event {
            KernelEvent::Eapol { src, pdu, unencrypted } => self.client_input(now, ifname, ClientInput::Eapol { src, pdu: &pdu, unencrypted }),
            KernelEvent::Mlme(mlme) => {
                debug!(event = %KernelEvent::Mlme(mlme.clone()).summary(), "MLME event on the group interface");
                match mlme {
                    // cfg80211's SME reports a timed-out authentication or association, then
                    // ends the attempt with a timed-out CONNECT: only that one is the result.
                    MlmeEvent::TimedOut { cmd: Command::Connect, .. } => {
                        warn!("association attempt timed out");
                        self.client_input(now, ifname, ClientInput::ConnectResult { status: 1 });
                    }
                    MlmeEvent::TimedOut { cmd, .. } => debug!(?cmd, "timed out (the CONNECT result follows)"),
                    MlmeEvent::Connect { status, .. } => {
                        self.client_input(now, ifname, ClientInput::ConnectResult { status: status.unwrap_or(1) });
                    }
                    MlmeEvent::Disconnect { reason, by_ap } => {
                        self.client_input(now, ifname, ClientInput::Disconnected { reason: reason.unwrap_or(0), by_ap });
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn on_client_event(&mut self, ifname: &str, ev: ClientEvent) {
        match ev {
            ClientEvent::WpsSuccess => self.emit(Event::WpsSuccess),
            ClientEvent::PbcOverlap => self.emit(Event::WpsOverlapDetected),
            ClientEvent::WpsFail { msg, config_error, reason } => {
                warn!(%reason, "WPS failed");
                self.emit(Event::WpsFail { msg, config_error, error_indication: 0 });
            }
            ClientEvent::WpsTimeout => {
                warn!("WPS failed: the registrar stopped answering");
                self.emit(Event::WpsTimeout);
            }
            ClientEvent::FormationFailed { reason } => {
                warn!(%reason, "group formation failed");
                self.emit(Event::GroupFormationFailure { reason: None });
            }
            ClientEvent::Started { ssid, freq, psk, go_dev_addr, bssid, ip } => {
                let static_address = self.cfg.static_address;
                let Some(c) = self.client_mut(ifname) else { return };
                let ifindex = c.ifindex;
                let ip = ip.map(|a| GroupIp { ip_addr: a.ip, ip_mask: a.netmask, go_ip_addr: a.go_ip });
                c.ip = ip;
                let persistent = c.persistent
                    && self
                        .store_group(StoredGroup {
                            ssid: ssid.clone(),
                            go_dev_addr,
                            key: StoredKey::Psk(zeroize::Zeroizing::new(psk)),
                            role: StoredRole::Client,
                            clients: Vec::new(),
                        })
                        .is_some();
                // Addressing: a configured address wins; else the GO's allocation in
                // message 3; else DHCP.
                if let Some((addr, prefix)) = static_address {
                    self.op_logged(Op::AddAddress { ifindex, ip: addr, prefix_len: prefix }, "setting the configured address", tracing::Level::WARN);
                } else if let Some(ip) = ip {
                    let prefix = u32::from(ip.ip_mask).count_ones() as u8;
                    self.op_logged(Op::AddAddress { ifindex, ip: ip.ip_addr, prefix_len: prefix }, "setting the allocated address", tracing::Level::WARN);
                    self.out.push_back(Output::GroupAddressed {
                        ifname: ifname.to_owned(),
                        ifindex,
                        role: GroupRoleKind::Client,
                        own_ip: ip.ip_addr,
                        prefix_len: prefix,
                        go_ip: ip.go_ip_addr,
                    });
                } else {
                    info!(%ifname, "the GO allocated no address: running DHCP");
                    self.op(
                        Op::DhcpOpen { ifname: ifname.to_owned(), port: crate::dhcp::wire::CLIENT_PORT },
                        Pending::ClientDhcpOpen { ifname: ifname.to_owned() },
                    );
                }
                self.emit(Event::Connected { bssid, network_id: 0, id_str: String::new() });
                self.emit(Event::GroupFormationSuccess);
                self.emit(Event::GroupStarted {
                    ifname: ifname.to_owned(),
                    role: GroupRole::Client,
                    ssid,
                    freq,
                    credential: Some(GroupCredential::Psk(psk)),
                    go_dev_addr,
                    persistent,
                    ip,
                });
            }
            ClientEvent::Lost { reason, by_ap } => {
                info!(reason, by_ap, "left the group");
                let why = if by_ap { GroupRemovalReason::GoEndingSession } else { GroupRemovalReason::Unavailable };
                self.announce_client_removal(ifname, why);
            }
        }
    }

    pub(super) fn client_dhcp_open(&mut self, now: Instant, ifname: &str, result: Result<OpReply, OpError>) {
        let seed = self.seed();
        let Some(c) = self.client_mut(ifname) else { return };
        match result {
            Ok(_) => {
                let mut seed8 = [0u8; 8];
                seed8.copy_from_slice(&seed[..8]);
                let mut d = crate::dhcp::Client::new(crate::dhcp::ClientConfig::new(c.addr), crate::dhcp::SeededRandom::new(u64::from_le_bytes(seed8)));
                if let Err(e) = d.handle_input(now, crate::dhcp::ClientInput::Start) {
                    warn!("DHCP client: {e}");
                }
                c.dhcp = Some(d);
                self.drain_group_dhcp(now, ifname);
            }
            Err(e) => warn!("cannot start the DHCP client: {e}"),
        }
    }

    /// Sends what the DHCP client wants sent; applies its leases.
    pub(super) fn drain_dhcp_client(&mut self, ifname: &str, d: &mut DhcpClient) -> Vec<crate::dhcp::ClientOutput> {
        let mut rest = Vec::new();
        while let Some(o) = d.poll_output() {
            match o {
                crate::dhcp::ClientOutput::Send(t) => {
                    self.out.push_back(Output::DhcpSend { ifname: ifname.to_owned(), port: crate::dhcp::wire::SERVER_PORT, transmit: t })
                }
                other => rest.push(other),
            }
        }
        rest
    }

    /// What the group's DHCP client reports.
    pub(super) fn on_dhcp_client(&mut self, ifname: &str, out: crate::dhcp::ClientOutput) {
        use crate::dhcp::ClientOutput as D;
        let Some(c) = self.client_mut(ifname) else { return };
        let ifindex = c.ifindex;
        match out {
            D::Configure(lease) => {
                info!(%ifname, ip = %lease.ip, prefix = lease.prefix_len, "DHCP lease");
                let go = lease.router.unwrap_or(lease.server);
                c.ip = Some(GroupIp { ip_addr: lease.ip, ip_mask: prefix_mask(lease.prefix_len), go_ip_addr: go });
                self.op_logged(Op::AddAddress { ifindex, ip: lease.ip, prefix_len: lease.prefix_len }, "setting the leased address", tracing::Level::WARN);
                self.out.push_back(Output::GroupAddressed {
                    ifname: ifname.to_owned(),
                    ifindex,
                    role: GroupRoleKind::Client,
                    own_ip: lease.ip,
                    prefix_len: lease.prefix_len,
                    go_ip: go,
                });
            }
            D::Deconfigure { ip } => {
                info!(%ifname, %ip, "DHCP lease ended");
                self.op_logged(Op::DelAddress { ifindex, ip }, "removing the leased address", tracing::Level::DEBUG);
            }
            D::GaveUp => warn!(%ifname, "DHCP: no lease; the group has no address"),
            D::Send(_) => {}
        }
    }

    fn announce_client_removal(&mut self, ifname: &str, reason: GroupRemovalReason) {
        let Some(c) = self.client_mut(ifname) else { return };
        if c.client.is_up() || matches!(reason, GroupRemovalReason::GoEndingSession | GroupRemovalReason::Unavailable) {
            self.emit(Event::GroupRemoved { ifname: ifname.to_owned(), role: GroupRole::Client, reason: Some(reason) });
        }
    }

    /// Leaves the group on request: disconnect, event, delete the interface.
    pub(super) fn client_leave(&mut self, now: Instant, ifname: &str, reason: GroupRemovalReason) {
        self.announce_client_removal(ifname, reason);
        let Some(c) = self.client_mut(ifname) else { return };
        c.client.leave();
        let ifindex = c.ifindex;
        let mut disconnects = Vec::new();
        while let Some(out) = c.client.poll_output() {
            if let ClientOutput::Disconnect { reason } = out {
                disconnects.push(reason);
            }
        }
        for reason in disconnects {
            self.op_logged(Op::Disconnect { ifindex, reason }, "DISCONNECT", tracing::Level::DEBUG);
        }
        self.remove_group_silently(now, ifname);
    }

    pub(super) fn client_status(&self, c: &ClientGroup) -> Status {
        let t = c.client.target();
        Status {
            link: Some(crate::ctrl::GroupLink {
                bssid: t.bssid,
                freq: t.freq,
                ssid: t.ssid.clone(),
                network_id: 0,
                go: false,
                wifi_generation: None,
                pairwise_cipher: "CCMP",
                group_cipher: "CCMP",
                key_mgmt: "WPA2-PSK",
            }),
            wpa_state: if c.client.is_up() { WpaState::Completed } else { WpaState::Associating },
            ip_address: c.ip.map(|i| i.ip_addr),
            p2p_device_address: Some(self.dev.addr),
            address: c.addr,
            uuid: Some(self.uuid()),
            extra: Vec::new(),
        }
    }
}
