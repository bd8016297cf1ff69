//! What `directd run` does between start and stop: control requests, kernel events and
//! timers, turned into the sans-IO machines' inputs, and their outputs into nl80211 and
//! rtnetlink calls.
//!
//! Now: discovery of running groups by scanning on the P2P device (`P2P_FIND`,
//! `P2P_PEER`, `P2P-DEVICE-FOUND`), joining one as a client (`P2P_CONNECT ... join`, with
//! PBC or a PIN either way), and leaving it (`P2P_GROUP_REMOVE`, or the GO going away).

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use anyhow::Context;
use nl80211::connect::{ConnectParams, MlmeEvent, connect_request, disconnect_request};
use nl80211::key::{NewKey, new_key_request};
use nl80211::scan::{ScanRequest, get_scan_dump_request, trigger_scan_request};
use nl80211::station::set_station_authorized_request;
use nl80211::{Attr, AuthType, BandId, Bss, Command, IfTarget, IfType, KeyBytes, KeyType, Message, NewInterfaceOpts, Nl80211, Wiphy};
use tracing::{debug, info, warn};

mod go;

use super::device::P2pDevice;
use crate::config::RunConfig;
use crate::ctrl::{
    ConnectMethod, ConnectParams as CtrlConnect, Event, EventSender, FindParams, GroupCredential, GroupIp,
    GroupRemovalReason, GroupRole, MacAddr, MsgLevel, PeerQuery, Reply, Request,
};
use crate::eapol::SeededRandom;
use crate::group::client::{ClientConfig, ClientEvent, ClientInput, ClientOutput, JoinTarget, Client};
use crate::p2p::peers::{BssSighting, Peers};
use crate::p2p::wire::{
    Attribute, Capability, ConfigMethods as P2pConfigMethods, DeviceCapability, DeviceDescription, DeviceInfo,
    DeviceType as P2pDeviceType, GroupCapability, P2pIe,
};

/// Time between discovery scans while a find runs.
const FIND_SCAN_INTERVAL: Duration = Duration::from_millis(500);
/// The social channels (1, 6, 11), where P2P devices listen and most groups run.
const SOCIAL_FREQS: [u32; 3] = [2412, 2437, 2462];
/// A scan whose end the kernel has not reported by then is given up (and retried).
const SCAN_WATCHDOG: Duration = Duration::from_secs(15);
/// EAPOL's EtherType.
const ETH_P_PAE: u16 = 0x888e;

/// A running `P2P_FIND`.
struct Find {
    until: Option<Instant>,
    scanning: bool,
    /// Scans done; the first covers every channel, later ones only the social channels and
    /// those where groups were seen (as wpa_supplicant does): short scans come back often,
    /// which matters because a slow GO's Probe Response (the only frame that names it)
    /// often misses a scan's short dwell on its channel.
    scans: u32,
    /// When the running scan started, else when the next one is due.
    next_scan: Instant,
}

/// Our group interface and the join running on it.
struct Group {
    ifname: String,
    ifindex: u32,
    addr: MacAddr,
    client: Client,
    ip: Option<GroupIp>,
    /// The DHCP client, when the GO allocated no address and none is configured.
    dhcp: Option<super::dhcp::ClientHandle>,
}

pub struct Agent {
    cfg: RunConfig,
    nl: Nl80211,
    dev: P2pDevice,
    wiphy: Wiphy,
    rt: rtnetlink::Handle,
    dev_events: EventSender,
    group_events: Option<EventSender>,
    /// Where the group's DHCP client reports (the loop hands the reports to `on_dhcp`).
    dhcp_tx: tokio::sync::mpsc::UnboundedSender<crate::dhcp::ClientOutput>,
    peers: Peers,
    find: Option<Find>,
    group: Option<Group>,
    /// The group we own, if any (at most one group, client or GO, at a time).
    go_group: Option<go::GoGroup>,
    /// Provision discovery requests are registered for on the P2P device.
    pd_registered: bool,
    next_group_index: u32,
    rng: ring::rand::SystemRandom,
}

impl Agent {
    pub fn new(
        cfg: RunConfig,
        nl: Nl80211,
        dev: P2pDevice,
        wiphy: Wiphy,
        dev_events: EventSender,
        dhcp_tx: tokio::sync::mpsc::UnboundedSender<crate::dhcp::ClientOutput>,
    ) -> anyhow::Result<Agent> {
        let (conn, rt, _) = rtnetlink::new_connection().context("cannot open rtnetlink")?;
        tokio::spawn(conn);
        Ok(Agent {
            cfg,
            nl,
            dev,
            wiphy,
            rt,
            dev_events,
            group_events: None,
            dhcp_tx,
            peers: Peers::default(),
            find: None,
            group: None,
            go_group: None,
            pd_registered: false,
            next_group_index: 0,
            rng: ring::rand::SystemRandom::new(),
        })
    }


    /// The group interface whose control socket the loop should serve.
    pub fn group_ifname(&self) -> Option<&str> {
        self.group.as_ref().map(|g| g.ifname.as_str()).or(self.go_group.as_ref().map(|g| g.ifname.as_str()))
    }

    pub fn set_group_events(&mut self, events: Option<EventSender>) {
        self.group_events = events;
    }

    fn emit(&self, event: Event) {
        info!(event = %event, "event");
        self.dev_events.send(MsgLevel::Info, &event);
        if let Some(g) = &self.group_events {
            g.send(MsgLevel::Info, &event);
        }
    }

    /// The next moment `on_timer` has work.
    pub fn next_wakeup(&self) -> Option<Instant> {
        let find = self.find.as_ref().map(|f| {
            let scan = if f.scanning { Some(f.next_scan + SCAN_WATCHDOG) } else { Some(f.next_scan) };
            [scan, f.until].into_iter().flatten().min()
        });
        let client = self.group.as_ref().and_then(|g| g.client.poll_timeout());
        let go = self.go_group.as_ref().and_then(|g| g.go.poll_timeout());
        [find.flatten(), client, go].into_iter().flatten().min()
    }

    pub async fn on_timer(&mut self, now: Instant) {
        if let Some(f) = &self.find {
            if f.until.is_some_and(|u| now >= u) {
                self.stop_find();
            } else if !f.scanning && now >= f.next_scan {
                self.scan().await;
            } else if f.scanning && now >= f.next_scan + SCAN_WATCHDOG {
                warn!("the discovery scan did not end; starting another");
                if let Some(f) = &mut self.find {
                    f.scanning = false;
                }
                self.scan().await;
            }
        }
        for lost in self.peers.expire(now) {
            self.emit(Event::DeviceLost { p2p_dev_addr: lost });
        }
        if let Some(g) = &mut self.group {
            g.client.handle_timeout(now);
            self.pump_client(now).await;
        }
        if let Some(g) = &mut self.go_group {
            g.go.handle_timeout(now);
            self.pump_go(now).await;
        }
    }

    /// Answers a request on the P2P device's socket.
    pub async fn on_request(&mut self, req: Request) -> Reply {
        let now = Instant::now();
        match req {
            Request::Ping => Reply::Pong,
            Request::Status { .. } => self.status(),
            Request::Interfaces => {
                let mut s = format!("{}\n", self.dev.name);
                if let Some(g) = self.group_ifname() {
                    s.push_str(&format!("{g}\n"));
                }
                Reply::Text(s)
            }
            Request::P2pFind(p) => self.start_find(p, now).await,
            Request::P2pStopFind => {
                self.stop_find();
                Reply::Ok
            }
            Request::P2pFlush => {
                self.stop_find();
                self.peers.clear();
                Reply::Ok
            }
            Request::P2pPeer(q) => {
                let peer = match q {
                    PeerQuery::First => self.peers.first(),
                    PeerQuery::Next(a) => self.peers.next_after(&a),
                    PeerQuery::Addr(a) => self.peers.get(&a),
                };
                peer.map_or(Reply::Fail, |p| crate::ctrl::PeerInfo::from_peer(p, now).to_reply())
            }
            Request::P2pConnect(p) => self.connect(p, now).await,
            Request::P2pGroupAdd(p) => self.group_add(p, now).await,
            Request::P2pGetPassphrase => match &self.go_group {
                Some(g) => Reply::Passphrase(crate::ctrl::Passphrase::new(g.go.passphrase())),
                None => Reply::Fail,
            },
            Request::P2pGroupRemove { ifname } => match (&self.group, &self.go_group) {
                (Some(g), _) if g.ifname == ifname => {
                    self.remove_group(GroupRemovalReason::Requested).await;
                    Reply::Ok
                }
                (_, Some(g)) if g.ifname == ifname => {
                    self.remove_go(GroupRemovalReason::Requested).await;
                    Reply::Ok
                }
                _ => {
                    warn!(%ifname, "P2P_GROUP_REMOVE: no such group");
                    Reply::Fail
                }
            },
            Request::P2pCancel => {
                if self.group.as_ref().is_some_and(|g| !g.client.is_up()) {
                    self.emit(Event::GroupFormationFailure { reason: None });
                    self.remove_group_silently().await;
                    Reply::Ok
                } else {
                    Reply::Fail
                }
            }
            other => {
                warn!(command = other.command_name(), "not supported yet");
                Reply::Fail
            }
        }
    }

    /// Answers a request on the group interface's socket.
    pub async fn on_group_request(&mut self, req: Request) -> Reply {
        if self.go_group.is_some() {
            return self.on_go_request(req).await;
        }
        match req {
            Request::Ping => Reply::Pong,
            Request::Status { .. } => {
                let Some(g) = &self.group else { return Reply::Fail };
                let t = g.client.target();
                let mut kv = vec![
                    ("bssid", t.bssid.to_string()),
                    ("freq", t.freq.to_string()),
                    ("ssid", String::from_utf8_lossy(&t.ssid).into_owned()),
                    ("mode", "station".to_owned()),
                    ("wpa_state", if g.client.is_up() { "COMPLETED" } else { "ASSOCIATING" }.to_owned()),
                ];
                if let Some(ip) = g.ip {
                    kv.push(("ip_address", ip.ip_addr.to_string()));
                }
                kv.push(("p2p_device_address", MacAddr(self.dev.addr).to_string()));
                kv.push(("address", g.addr.to_string()));
                Reply::key_values(kv)
            }
            Request::Interfaces | Request::P2pGroupRemove { .. } | Request::P2pPeer(_) => Box::pin(self.on_request(req)).await,
            other => {
                warn!(command = other.command_name(), "not supported on a client group interface");
                Reply::Fail
            }
        }
    }

    fn status(&self) -> Reply {
        let addr = MacAddr(self.dev.addr).to_string();
        let state = if self.group.is_some() || self.go_group.is_some() { "COMPLETED" } else if self.find.is_some() { "SCANNING" } else { "DISCONNECTED" };
        Reply::key_values([
            ("wpa_state", state.to_owned()),
            ("p2p_device_address", addr.clone()),
            ("address", addr),
            ("uuid", format_uuid(&wps::attr::uuid_from_mac(&self.dev.addr))),
        ])
    }

    async fn start_find(&mut self, p: FindParams, now: Instant) -> Reply {
        info!(timeout = ?p.timeout, "P2P_FIND: scanning for running groups");
        self.find = Some(Find { until: p.timeout.map(|t| now + Duration::from_secs(t.into())), scanning: false, scans: 0, next_scan: now });
        self.scan().await;
        Reply::Ok
    }

    fn stop_find(&mut self) {
        if self.find.take().is_some() {
            self.emit(Event::FindStopped);
        }
    }

    /// One discovery scan on the P2P device: wildcard SSID `DIRECT-`, OFDM rates only, our
    /// P2P IE and a WSC probe request IE, every enabled channel.
    async fn scan(&mut self) {
        if self.find.is_none() {
            return;
        }
        let ofdm = vec![12, 18, 24, 36, 48, 72, 96, 108];
        // P2P lives on 2.4 and 5 GHz; asking for OFDM rates on a band without them (S1G,
        // which hwsim has) makes the kernel refuse the whole scan.
        let p2p_bands = || self.wiphy.bands.iter().filter(|b| matches!(b.id, BandId::Ghz2 | BandId::Ghz5));
        let all: Vec<u32> = p2p_bands().flat_map(|b| b.freqs.iter()).filter(|f| !f.disabled).map(|f| f.mhz).collect();
        let full = self.find.as_ref().is_some_and(|f| f.scans % 20 == 0);
        let freqs = if full {
            all
        } else {
            let mut quick: Vec<u32> = SOCIAL_FREQS.iter().copied().filter(|f| all.contains(f)).collect();
            for f in self.peers.group_freqs() {
                if !quick.contains(&f) && all.contains(&f) {
                    quick.push(f);
                }
            }
            quick
        };
        let req = ScanRequest {
            ssids: vec![b"DIRECT-".to_vec()],
            freqs,
            ies: self.probe_ies(),
            supp_rates: p2p_bands().map(|b| (b.id, ofdm.clone())).collect(),
            no_cck: true,
            flags: 0,
        };
        let started = self.nl.request(trigger_scan_request(IfTarget::Wdev(self.dev.wdev), &req)).await;
        let Some(f) = &mut self.find else { return };
        match started {
            Ok(_) => {
                f.scanning = true;
                f.scans += 1;
                f.next_scan = Instant::now();
            }
            Err(e) => {
                warn!("discovery scan not started: {e}");
                f.next_scan = Instant::now() + FIND_SCAN_INTERVAL;
            }
        }
    }

    fn p2p_device_info(&self) -> DeviceInfo {
        DeviceInfo {
            device_addr: MacAddr(self.dev.addr),
            desc: DeviceDescription {
                config_methods: P2pConfigMethods::from_bits_retain(0x0188),
                primary_type: P2pDeviceType::new(1, 1),
                secondary_types: Vec::new(),
                name: self.cfg.device_name.as_bytes().to_vec(),
            },
        }
    }

    fn p2p_ie(&self, with_info: bool) -> Vec<u8> {
        let mut attributes = vec![Attribute::Capability(Capability {
            device: DeviceCapability::CONCURRENT_OPERATION | DeviceCapability::INVITATION_PROCEDURE,
            group: GroupCapability::empty(),
        })];
        if with_info {
            attributes.push(Attribute::DeviceInfo(self.p2p_device_info()));
        }
        P2pIe { attributes }.to_ies().unwrap_or_default()
    }

    fn probe_ies(&self) -> Vec<u8> {
        use wps::attr::{AssociationState, ConfigError, ConfigMethods, DevicePasswordId, DeviceType, RequestType, RfBands};
        let wsc = wps::ie::ProbeRequestWsc {
            request_type: RequestType::ENROLLEE_INFO,
            config_methods: ConfigMethods::from_bits_retain(0x0188),
            uuid_e: wps::attr::uuid_from_mac(&self.dev.addr),
            primary_device_type: DeviceType { category: 1, oui: [0x00, 0x50, 0xf2, 0x04], sub_category: 1 },
            rf_bands: RfBands::BAND_2_4_GHZ | RfBands::BAND_5_GHZ,
            association_state: AssociationState::NOT_ASSOCIATED,
            config_error: ConfigError::NO_ERROR,
            device_password_id: DevicePasswordId::DEFAULT,
            manufacturer: None,
            model_name: None,
            model_number: None,
            device_name: Some(self.cfg.device_name.as_bytes().to_vec()),
            wfa: vec![wps::attr::WfaSubelement::Version2(wps::attr::VERSION2)],
            extra: Vec::new(),
        };
        let mut ies = wps::ie::build_wsc_ies(&wsc.emit().unwrap_or_default());
        ies.extend_from_slice(&self.p2p_ie(true));
        ies
    }

    /// Kernel events.
    pub async fn on_nl_event(&mut self, event: nl80211::Event) {
        let now = Instant::now();
        let wdev = nl80211::attr!(event.attrs, Wdev).copied();
        let ifindex = nl80211::attr!(event.attrs, Ifindex).copied();
        debug!(cmd = ?event.cmd, ?wdev, ?ifindex, group = ?event.group, "nl80211 event");
        if event.cmd == Command::Frame && wdev == Some(self.dev.wdev) && ifindex.is_none() {
            if let Some(f) = nl80211::frame::RxFrame::from_event(&event) {
                self.on_device_frame(f).await;
            }
            return;
        }
        if self.on_go_event(&event, now).await {
            return;
        }
        match event.cmd {
            Command::NewScanResults | Command::ScanAborted if wdev == Some(self.dev.wdev) => {
                if let Some(f) = &mut self.find {
                    f.scanning = false;
                    f.next_scan = now + FIND_SCAN_INTERVAL;
                }
                if event.cmd == Command::NewScanResults {
                    self.take_scan_results(now).await;
                }
            }
            Command::ControlPortFrame => {
                let (Some(g), Some(frame), Some(src)) =
                    (&mut self.group, nl80211::attr!(event.attrs, Frame), nl80211::attr!(event.attrs, Mac))
                else {
                    return;
                };
                if ifindex != Some(g.ifindex) {
                    return;
                }
                g.client.handle_input(now, ClientInput::Eapol { src: MacAddr(*src), pdu: frame });
                self.pump_client(now).await;
            }
            _ => {
                let Some(g) = &mut self.group else { return };
                if ifindex != Some(g.ifindex) {
                    return;
                }
                let mlme = MlmeEvent::from_event(&event);
                debug!(?mlme, "MLME event on the group interface");
                match mlme {
                    // cfg80211's SME reports a timed-out authentication or association, then
                    // ends the attempt with a timed-out CONNECT: only that one is the result.
                    Some(MlmeEvent::TimedOut { cmd: Command::Connect, .. }) => {
                        warn!("association attempt timed out");
                        g.client.handle_input(now, ClientInput::ConnectResult { status: 1 });
                    }
                    Some(MlmeEvent::TimedOut { cmd, .. }) => {
                        debug!(?cmd, "timed out (the CONNECT result follows)");
                        return;
                    }
                    Some(MlmeEvent::Connect { status, .. }) => {
                        g.client.handle_input(now, ClientInput::ConnectResult { status: status.unwrap_or(1) });
                    }
                    Some(MlmeEvent::Disconnect { reason, by_ap }) => {
                        g.client.handle_input(now, ClientInput::Disconnected { reason: reason.unwrap_or(0), by_ap });
                    }
                    _ => return,
                }
                self.pump_client(now).await;
            }
        }
    }

    async fn take_scan_results(&mut self, now: Instant) {
        let results = match self.nl.dump(get_scan_dump_request(IfTarget::Wdev(self.dev.wdev))).await {
            Ok(m) => Bss::from_messages(&m),
            Err(e) => return warn!("cannot read scan results: {e}"),
        };
        debug!(count = results.len(), "scan results");
        for bss in &results {
            let ies = if bss.ies.is_empty() { bss.beacon_ies.as_deref().unwrap_or(&[]) } else { &bss.ies };
            debug!(bssid = %MacAddr(bss.bssid), freq = bss.freq, ies = ies.len(), "scanned BSS");
            let sighting = BssSighting { bssid: MacAddr(bss.bssid), freq: bss.freq, ies, signal_dbm: bss.signal_dbm().map(|d| d as i32), age: bss.seen_ms_ago.map(|ms| Duration::from_millis(ms.into())) };
            if let Some(found) = self.peers.on_bss(now, sighting) {
                if found.new {
                    self.emit(Event::DeviceFound(found.into()));
                }
            }
        }
    }

    /// `P2P_CONNECT <addr> <method> join`.
    async fn connect(&mut self, p: CtrlConnect, now: Instant) -> Reply {
        if !p.join {
            warn!("P2P_CONNECT without 'join' needs GO negotiation, which is not supported yet");
            return Reply::Fail;
        }
        if self.group.is_some() || self.go_group.is_some() {
            warn!("P2P_CONNECT: a group is already running");
            return Reply::Fail;
        }
        let Some(peer) = self.peers.find(&p.peer) else {
            warn!(peer = %p.peer, "P2P_CONNECT join: no running group of that peer is known; run P2P_FIND first");
            return Reply::Fail;
        };
        let Some(g) = &peer.group else { return Reply::Fail };
        let target = JoinTarget { go_dev_addr: peer.dev_addr, bssid: g.bssid, ssid: p.ssid.clone().unwrap_or_else(|| g.ssid.clone()), freq: g.freq, rsne: g.rsne.clone() };
        let (password, reply) = match p.method {
            ConnectMethod::Pbc => (wps::pin::DevicePassword::pbc(), Reply::Ok),
            ConnectMethod::PinKeypad(pin) => match wps::pin::Pin::parse(pin.expose()) {
                // We type in the PIN the GO shows: the registrar specified it.
                Ok(w) => (wps::pin::DevicePassword::pin(w, wps::attr::DevicePasswordId::REGISTRAR_SPECIFIED), Reply::Ok),
                Err(_) => return Reply::FailInvalidPin,
            },
            ConnectMethod::PinDisplay(pin) => match wps::pin::Pin::parse(pin.expose()) {
                Ok(w) => (wps::pin::DevicePassword::pin(w, wps::attr::DevicePasswordId::DEFAULT), Reply::Ok),
                Err(_) => return Reply::FailInvalidPin,
            },
            ConnectMethod::PinGenerate => {
                let pin = wps::pin::Pin::generate(&mut wps::rng::SystemRng::default());
                let shown = match crate::ctrl::Pin::parse(pin.reveal()) {
                    Ok(p) => p,
                    Err(_) => return Reply::Fail,
                };
                (wps::pin::DevicePassword::pin(pin, wps::attr::DevicePasswordId::DEFAULT), Reply::Pin(shown))
            }
        };
        self.stop_find();
        match self.start_join(target, password, now).await {
            Ok(()) => reply,
            Err(e) => {
                warn!("P2P_CONNECT join failed: {e:#}");
                Reply::Fail
            }
        }
    }

    /// Creates the next group interface `p2p-<ifname>-<N>` (owned by our socket, so the
    /// kernel removes it if we die) and brings it up: (name, ifindex, address).
    async fn new_group_iface(&mut self, iftype: IfType) -> anyhow::Result<(String, u32, [u8; 6])> {
        let ifname = self.group_ifname_for(self.next_group_index);
        self.next_group_index += 1;
        let iface = self
            .nl
            .new_interface(self.dev.wiphy, &ifname, iftype, NewInterfaceOpts { socket_owner: true, ..Default::default() })
            .await
            .with_context(|| format!("cannot create {ifname}"))?;
        let ifindex = iface.ifindex.context("the new group interface has no ifindex")?;
        if let Err(e) = self.link_up(ifindex).await {
            let _ = self.nl.del_interface(IfTarget::Ifindex(ifindex)).await;
            return Err(e);
        }
        Ok((ifname, ifindex, iface.mac))
    }

    async fn start_join(&mut self, target: JoinTarget, password: wps::pin::DevicePassword, now: Instant) -> anyhow::Result<()> {
        let (ifname, ifindex, mac) = self.new_group_iface(IfType::P2pClient).await?;
        info!(%ifname, go = %target.go_dev_addr, bssid = %target.bssid, freq = target.freq, "joining group");
        let own_addr = MacAddr(mac);
        let mut enrollee = wps::enrollee::EnrolleeConfig::new(wps::attr::uuid_from_mac(&self.dev.addr), mac, password);
        enrollee.device.device_name = self.cfg.device_name.as_bytes().to_vec();
        enrollee.device.manufacturer = b"directd".to_vec();
        enrollee.device.model_name = b"directd".to_vec();
        enrollee.device.model_number = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
        // hostapd's registrar refuses an M1 without a Serial Number (wpa_supplicant always
        // sends one, empty when unset).
        enrollee.device.serial_number = Some(b"0".to_vec());
        let cfg = ClientConfig { target, own_addr, enrollee, p2p_ie: self.p2p_ie(true), request_ip: self.cfg.static_address.is_none() };
        let client = Client::new(cfg, Box::new(|| Box::new(wps::rng::SystemRng::default())), Box::new(SeededRandom::new(self.seed())), now);
        self.group = Some(Group { ifname, ifindex, addr: own_addr, client, ip: None, dhcp: None });
        self.pump_client(now).await;
        Ok(())
    }

    /// A fresh seed from the OS generator for a machine's deterministic generator.
    fn seed(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        if ring::rand::SecureRandom::fill(&self.rng, &mut b).is_err() {
            warn!("the OS random generator failed");
        }
        b
    }

    fn group_ifname_for(&self, n: u32) -> String {
        let name = format!("p2p-{}-{n}", self.cfg.base_name());
        if name.len() <= crate::config::IFNAME_MAX { name } else { format!("p2p-{n}") }
    }

    async fn link_up(&self, ifindex: u32) -> anyhow::Result<()> {
        let msg = rtnetlink::LinkUnspec::new_with_index(ifindex).up().build();
        self.rt.link().set(msg).execute().await.context("cannot bring the group interface up")
    }

    /// Executes the join machine's outputs until it has none; results of calls that fail
    /// at once go back in as inputs.
    async fn pump_client(&mut self, now: Instant) {
        loop {
            let Some(g) = &mut self.group else { return };
            let Some(out) = g.client.poll_output() else { break };
            let (ifindex, target) = (g.ifindex, IfTarget::Ifindex(g.ifindex));
            match out {
                ClientOutput::Connect(a) => {
                    let crypto = nl80211::ap::Crypto {
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
                    if let Err(e) = self.nl.request(connect_request(target, &params)).await {
                        warn!("CONNECT failed: {e}");
                        self.client_input(now, ClientInput::ConnectResult { status: 1 });
                    }
                }
                ClientOutput::Disconnect { reason } => {
                    if let Err(e) = self.nl.request(disconnect_request(target, reason)).await {
                        debug!("DISCONNECT: {e}");
                        self.client_input(now, ClientInput::Disconnected { reason, by_ap: false });
                    }
                }
                ClientOutput::SendEapol { dest, pdu } => {
                    let msg = Message::new(Command::ControlPortFrame)
                        .with(Attr::Ifindex(ifindex))
                        .with(Attr::Frame(pdu))
                        .with(Attr::Mac(dest.0))
                        .with(Attr::ControlPortEthertype(ETH_P_PAE));
                    if let Err(e) = self.nl.request(msg).await {
                        warn!("sending EAPOL failed: {e}");
                    }
                }
                ClientOutput::InstallPtk { peer, tk } => {
                    let key = NewKey { key_type: KeyType::Pairwise, peer: Some(peer.0), idx: 0, cipher: nl80211::cipher::CCMP, data: KeyBytes(tk.as_bytes().to_vec()), seq: None };
                    if let Err(e) = self.nl.request(new_key_request(target, &key)).await {
                        warn!("installing the pairwise key failed: {e}");
                    }
                }
                ClientOutput::InstallGtk { gtk, key_idx, rsc } => {
                    let seq = rsc.to_le_bytes()[..6].to_vec();
                    let key = NewKey { key_type: KeyType::Group, peer: None, idx: key_idx, cipher: nl80211::cipher::CCMP, data: KeyBytes(gtk.as_bytes().to_vec()), seq: Some(seq) };
                    if let Err(e) = self.nl.request(new_key_request(target, &key)).await {
                        warn!("installing the group key failed: {e}");
                    }
                }
                ClientOutput::Authorize { peer } => {
                    if let Err(e) = self.nl.request(set_station_authorized_request(target, peer.0, true)).await {
                        warn!("authorizing the port failed: {e}");
                    }
                }
                ClientOutput::Event(ev) => self.on_client_event(ev).await,
            }
        }
        if self.group.as_ref().is_some_and(|g| g.client.is_done()) {
            self.remove_group_silently().await;
        }
    }

    fn client_input(&mut self, now: Instant, input: ClientInput<'_>) {
        if let Some(g) = &mut self.group {
            g.client.handle_input(now, input);
        }
    }

    async fn on_client_event(&mut self, ev: ClientEvent) {
        match ev {
            ClientEvent::WpsSuccess => self.emit(Event::WpsSuccess),
            ClientEvent::PbcOverlap => self.emit(Event::WpsOverlapDetected),
            ClientEvent::WpsFail { msg, config_error, reason } => {
                warn!(%reason, "WPS failed");
                self.emit(Event::WpsFail { msg, config_error, error_indication: 0 });
            }
            ClientEvent::FormationFailed { reason } => {
                warn!(%reason, "group formation failed");
                self.emit(Event::GroupFormationFailure { reason: None });
            }
            ClientEvent::Started { ssid, freq, psk, go_dev_addr, bssid, ip } => {
                let Some(g) = &mut self.group else { return };
                let ifindex = g.ifindex;
                let ifname = g.ifname.clone();
                let own = g.addr;
                let ip = ip.map(|a| GroupIp { ip_addr: a.ip, ip_mask: a.netmask, go_ip_addr: a.go_ip });
                g.ip = ip;
                // Addressing: a configured address wins; else the GO's allocation in
                // message 3; else DHCP.
                if let Some((addr, prefix)) = self.cfg.static_address {
                    if let Err(e) = self.add_address(ifindex, addr, prefix_mask(prefix)).await {
                        warn!("cannot set the configured address: {e:#}");
                    }
                } else if let Some(ip) = ip {
                    if let Err(e) = self.add_address(ifindex, ip.ip_addr, ip.ip_mask).await {
                        warn!("cannot set the allocated address: {e:#}");
                    }
                } else {
                    info!(%ifname, "the GO allocated no address: running DHCP");
                    match super::dhcp::spawn_client(&ifname, crate::dhcp::ClientConfig::new(own), self.dhcp_tx.clone()) {
                        Ok(h) => {
                            if let Some(g) = &mut self.group {
                                g.dhcp = Some(h);
                            }
                        }
                        Err(e) => warn!("cannot start the DHCP client: {e:#}"),
                    }
                }
                self.emit(Event::Connected { bssid, network_id: 0, id_str: String::new() });
                self.emit(Event::GroupFormationSuccess);
                self.emit(Event::GroupStarted {
                    ifname,
                    role: GroupRole::Client,
                    ssid,
                    freq,
                    credential: Some(GroupCredential::Psk(psk)),
                    go_dev_addr,
                    persistent: false,
                    ip,
                });
            }
            ClientEvent::Lost { reason, by_ap } => {
                info!(reason, by_ap, "left the group");
                let why = if by_ap { GroupRemovalReason::GoEndingSession } else { GroupRemovalReason::Unavailable };
                self.announce_removal(why);
            }
        }
    }

    /// What the group's DHCP client reports.
    pub async fn on_dhcp(&mut self, out: crate::dhcp::ClientOutput) {
        use crate::dhcp::ClientOutput as D;
        let Some(g) = &self.group else { return };
        let (ifindex, ifname) = (g.ifindex, g.ifname.clone());
        match out {
            D::Configure(lease) => {
                info!(%ifname, ip = %lease.ip, prefix = lease.prefix_len, "DHCP lease");
                if let Err(e) = self.add_address(ifindex, lease.ip, prefix_mask(lease.prefix_len)).await {
                    warn!("cannot set the leased address: {e:#}");
                }
                if let Some(g) = &mut self.group {
                    let go = lease.router.unwrap_or(lease.server);
                    g.ip = Some(GroupIp { ip_addr: lease.ip, ip_mask: prefix_mask(lease.prefix_len), go_ip_addr: go });
                }
            }
            D::Deconfigure { ip } => {
                info!(%ifname, %ip, "DHCP lease ended");
                if let Err(e) = super::dhcp::del_address_on(&self.rt, ifindex, ip).await {
                    debug!("removing the leased address: {e:#}");
                }
            }
            D::GaveUp => warn!(%ifname, "DHCP: no lease; the group has no address"),
            D::Send(_) => {}
        }
    }

    async fn add_address(&self, ifindex: u32, ip: Ipv4Addr, mask: Ipv4Addr) -> anyhow::Result<()> {
        let prefix = u32::from(mask).count_ones() as u8;
        super::dhcp::add_address_on(&self.rt, ifindex, ip, prefix).await?;
        info!(%ip, prefix, "address configured");
        Ok(())
    }

    fn announce_removal(&self, reason: GroupRemovalReason) {
        if let Some(g) = &self.group {
            if g.client.is_up() || matches!(reason, GroupRemovalReason::GoEndingSession | GroupRemovalReason::Unavailable) {
                self.emit(Event::GroupRemoved { ifname: g.ifname.clone(), role: GroupRole::Client, reason: Some(reason) });
            }
        }
    }

    /// Leaves the group on request: disconnect, event, delete the interface.
    async fn remove_group(&mut self, reason: GroupRemovalReason) {
        self.announce_removal(reason);
        if let Some(g) = &mut self.group {
            g.client.leave();
            let target = IfTarget::Ifindex(g.ifindex);
            while let Some(out) = g.client.poll_output() {
                if let ClientOutput::Disconnect { reason } = out {
                    let _ = self.nl.request(disconnect_request(target, reason)).await;
                }
            }
        }
        self.remove_group_silently().await;
    }

    /// Deletes the group interface without further events.
    async fn remove_group_silently(&mut self) {
        if let Some(mut g) = self.group.take() {
            if let Some(dhcp) = g.dhcp.take() {
                dhcp.release_and_stop().await;
            }
            match self.nl.del_interface(IfTarget::Ifindex(g.ifindex)).await {
                Ok(()) => info!(ifname = %g.ifname, "group interface removed"),
                Err(e) => warn!(ifname = %g.ifname, "removing the group interface: {e}"),
            }
        }
    }

    /// On the way out: leave any group.
    pub async fn shutdown(&mut self) {
        if self.group.is_some() {
            self.remove_group(GroupRemovalReason::Requested).await;
        }
        if self.go_group.is_some() {
            self.remove_go(GroupRemovalReason::Requested).await;
        }
    }
}

/// 24 -> 255.255.255.0.
use crate::dhcp::wire::mask_of as prefix_mask;

/// A UUID in the 8-4-4-4-12 text form.
fn format_uuid(u: &[u8; 16]) -> String {
    let h: String = u.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}
