//! The group-owner side of the agent: `P2P_GROUP_ADD`, WPS arming on the group interface,
//! and the `group::go` machine's outputs turned into nl80211 calls.

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use anyhow::Context;
use nl80211::ap::{ApSettings, BeaconData, ChanDef, Crypto, set_beacon_request, start_ap_request, stop_ap_request};
use nl80211::frame::{FrameTx, control_port_frame_request, frame_request, register_frame_request};
use nl80211::key::{NewKey, new_key_request, set_default_key_request};
use nl80211::station::{NewStation, del_station_request, new_station_request, set_station_authorized_request};
use nl80211::{AuthType, BandId, Command, HiddenSsid, IfTarget, IfType, KeyBytes, KeyType, StaFlagUpdate, sta_flag};
use tracing::{debug, info, warn};
use zeroize::Zeroizing;

use super::{Agent, SOCIAL_FREQS, prefix_mask};
use crate::ctrl::{
    Event, GroupAddParams, GroupCredential, GroupRemovalReason, GroupRole, MacAddr, Passphrase, Reply, Request, WpsPinRequest,
    WpsPinTarget,
};
use crate::eapol::SeededRandom;
use crate::group::go::{BeaconTemplate, Go, GoConfig, GoEvent, GoIdentity, GoInput, GoOutput, random_chars, random_ssid};

/// Frames a GO answers itself (hostapd registers the same on mac80211): authentication,
/// (re)association requests, disassociation, deauthentication and probe requests.
const GO_FRAME_TYPES: [u16; 6] = [0x00b0, 0x0000, 0x0020, 0x00a0, 0x00c0, 0x0040];

/// A group we own.
pub(super) struct GoGroup {
    pub ifname: String,
    pub ifindex: u32,
    pub addr: MacAddr,
    pub go: Go,
    pub dhcp: Option<super::super::dhcp::ServerHandle>,
    pub ip: (Ipv4Addr, u8),
}

impl Agent {
    /// `P2P_GROUP_ADD [freq=<MHz>]`: an autonomous group with us as GO.
    pub(super) async fn group_add(&mut self, p: GroupAddParams, now: Instant) -> Reply {
        if self.group.is_some() || self.go_group.is_some() {
            warn!("P2P_GROUP_ADD: a group is already running");
            return Reply::Fail;
        }
        if p.persistent.is_some() {
            warn!("P2P_GROUP_ADD: persistent groups are not supported; starting a temporary group");
        }
        let freq = match self.pick_go_freq(p.freq) {
            Ok(f) => f,
            Err(r) => return r,
        };
        self.stop_find();
        match self.start_go(freq, now).await {
            Ok(()) => Reply::Ok,
            Err(e) => {
                warn!("P2P_GROUP_ADD failed: {e:#}");
                Reply::Fail
            }
        }
    }

    /// The channel for a new group: the one asked for if the radio may start a BSS there,
    /// else a social channel.
    fn pick_go_freq(&self, asked: Option<u32>) -> Result<u32, Reply> {
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

    async fn start_go(&mut self, freq: u32, now: Instant) -> anyhow::Result<()> {
        let (ifname, ifindex, mac) = self.new_group_iface(IfType::P2pGo).await?;
        self.register_pd().await;
        match self.start_go_on(&ifname, ifindex, MacAddr(mac), freq).await {
            Ok(g) => {
                self.go_group = Some(g);
                self.pump_go(now).await;
                Ok(())
            }
            Err(e) => {
                let _ = self.nl.del_interface(IfTarget::Ifindex(ifindex)).await;
                Err(e)
            }
        }
    }

    async fn start_go_on(&mut self, ifname: &str, ifindex: u32, addr: MacAddr, freq: u32) -> anyhow::Result<GoGroup> {
        let target = IfTarget::Ifindex(ifindex);
        for t in GO_FRAME_TYPES {
            self.nl.request(register_frame_request(target, t, &[])).await.with_context(|| format!("cannot register for frame type {t:#06x}"))?;
        }
        let mut rng = SeededRandom::new(self.seed());
        let ssid = random_ssid(&mut rng);
        let passphrase = Zeroizing::new(random_chars(&mut rng, self.cfg.passphrase_len));
        let (go_ip, prefix) = self.cfg.go_address;
        // The DHCP server first: its pool also serves the handshake's IP allocation.
        let server_cfg = crate::dhcp::ServerConfig::for_subnet(go_ip, prefix).context("the GO address cannot host a DHCP pool")?;
        let server = crate::dhcp::Server::new(server_cfg).context("DHCP server configuration")?;
        let (lease_tx, mut lease_rx) = tokio::sync::mpsc::unbounded_channel();
        let dhcp = super::super::dhcp::spawn_server(ifname, server, lease_tx).context("cannot start the DHCP server")?;
        let log_ifname = ifname.to_owned();
        tokio::spawn(async move {
            while let Some(ev) = lease_rx.recv().await {
                info!(ifname = %log_ifname, ?ev, "DHCP server");
            }
        });
        let identity = GoIdentity {
            dev_addr: MacAddr(self.dev.addr),
            device_name: self.cfg.device_name.clone(),
            uuid: wps::attr::uuid_from_mac(&self.dev.addr),
            manufacturer: "directd".to_owned(),
            model_name: "directd".to_owned(),
            model_number: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let cfg = GoConfig { bssid: addr, identity, ssid: ssid.clone(), passphrase, freq, ip: Some((go_ip, prefix_mask(prefix))) };
        let go = Go::new(cfg, Box::new(dhcp.pool()), Box::new(|| Box::new(wps::rng::SystemRng::default())), Box::new(SeededRandom::new(self.seed())))
            .context("group settings")?;
        let t = go.beacon().context("beacon templates")?;
        let settings = ApSettings {
            beacon: beacon_data(&t),
            beacon_interval: u32::from(crate::group::go::BEACON_INTERVAL),
            dtim_period: 2,
            ssid: ssid.clone(),
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
        if let Err(e) = self.nl.request(start_ap_request(target, &settings)).await {
            dhcp.stop().await;
            return Err(anyhow::anyhow!("START_AP on {freq} MHz failed: {e}"));
        }
        if let Err(e) = self.add_address(ifindex, go_ip, prefix_mask(prefix)).await {
            warn!("cannot set the GO address: {e:#}");
        }
        info!(%ifname, ssid = %String::from_utf8_lossy(&ssid), freq, "group started as GO");
        let passphrase = go.passphrase().to_owned();
        self.emit(Event::GroupStarted {
            ifname: ifname.to_owned(),
            role: GroupRole::Go,
            ssid,
            freq,
            credential: Some(GroupCredential::Passphrase(passphrase)),
            go_dev_addr: MacAddr(self.dev.addr),
            persistent: false,
            ip: None,
        });
        Ok(GoGroup { ifname: ifname.to_owned(), ifindex, addr, go, dhcp: Some(dhcp), ip: (go_ip, prefix) })
    }

    /// Requests on the GO's group interface.
    pub(super) async fn on_go_request(&mut self, req: Request) -> Reply {
        let now = Instant::now();
        let Some(g) = &mut self.go_group else { return Reply::Fail };
        match req {
            Request::Ping => Reply::Pong,
            Request::Status { .. } => {
                let c = g.go.config();
                let mut kv = vec![
                    ("bssid", g.addr.to_string()),
                    ("freq", c.freq.to_string()),
                    ("ssid", String::from_utf8_lossy(&c.ssid).into_owned()),
                    ("id", "0".to_owned()),
                    ("mode", "P2P GO".to_owned()),
                    ("pairwise_cipher", "CCMP".to_owned()),
                    ("group_cipher", "CCMP".to_owned()),
                    ("key_mgmt", "WPA2-PSK".to_owned()),
                    ("wpa_state", "COMPLETED".to_owned()),
                    ("ip_address", g.ip.0.to_string()),
                    ("p2p_device_address", MacAddr(self.dev.addr).to_string()),
                    ("address", g.addr.to_string()),
                    ("num_sta", g.go.clients().len().to_string()),
                ];
                if let Some(w) = g.go.wps_state() {
                    kv.push(("wps_state", w.to_owned()));
                }
                Reply::key_values(kv)
            }
            Request::WpsPbc { .. } => {
                g.go.handle_input(now, GoInput::WpsPbc);
                self.pump_go(now).await;
                Reply::Ok
            }
            Request::WpsPin(WpsPinRequest::Get) => match generate_pin() {
                Some((_, shown)) => Reply::Pin(shown),
                None => Reply::Fail,
            },
            Request::WpsPin(WpsPinRequest::Use { target, pin, timeout }) => {
                let (pin, shown) = match pin {
                    Some(p) => match wps::pin::Pin::parse(p.expose()) {
                        Ok(w) => (w, p),
                        Err(_) => return Reply::FailInvalidPin,
                    },
                    None => match generate_pin() {
                        Some(x) => x,
                        None => return Reply::Fail,
                    },
                };
                let target = match target {
                    WpsPinTarget::Any => None,
                    WpsPinTarget::Addr(a) => Some(a),
                };
                g.go.handle_input(now, GoInput::WpsPin { pin, target, timeout: timeout.map(|t| Duration::from_secs(t.into())) });
                self.pump_go(now).await;
                Reply::Pin(shown)
            }
            Request::P2pGetPassphrase => Reply::Passphrase(Passphrase::new(g.go.passphrase())),
            Request::Interfaces | Request::P2pGroupRemove { .. } | Request::P2pPeer(_) => Box::pin(self.on_request(req)).await,
            other => {
                warn!(command = other.command_name(), "not supported on a GO group interface");
                Reply::Fail
            }
        }
    }

    /// Provision Discovery Requests reach our P2P device (addressed to our device address,
    /// on the group's channel): registered once, when the first group starts.
    async fn register_pd(&mut self) {
        if self.pd_registered {
            return;
        }
        let target = IfTarget::Wdev(self.dev.wdev);
        match self.nl.request(register_frame_request(target, 0x00d0, &[0x04, 0x09, 0x50, 0x6f, 0x9a, 0x09])).await {
            Ok(_) => self.pd_registered = true,
            Err(e) => warn!("cannot receive provision discovery requests: {e}"),
        }
    }

    /// A frame received on the P2P device: answers Provision Discovery Requests.
    pub(super) async fn on_device_frame(&mut self, f: nl80211::frame::RxFrame) {
        let Ok(m) = crate::ieee80211::MgmtRepr::parse_bytes(&f.frame) else { return };
        let crate::ieee80211::MgmtBody::Action(a) = &m.body else { return };
        let body = a.to_bytes();
        let is_pd = crate::p2p::wire::P2pActionFrame::is_p2p(&body)
            && matches!(crate::p2p::wire::P2pMessage::parse(&body), Ok(crate::p2p::wire::P2pMessage::ProvisionDiscoveryRequest(_)));
        if !is_pd {
            debug!(sa = %m.header.addr2, "P2P device: action frame not handled");
            return;
        }
        let groups = self
            .go_group
            .iter()
            .map(|g| crate::p2p::pd::OurGroup { ifname: g.ifname.clone(), ssid: g.go.config().ssid.clone() })
            .collect();
        let ours = crate::p2p::pd::OurDevice { device_addr: MacAddr(self.dev.addr), groups };
        let answer = match crate::p2p::pd::answer(&body, m.header.addr2, &ours) {
            Ok(a) => a,
            Err(e) => return debug!(sa = %m.header.addr2, "provision discovery request dropped: {e}"),
        };
        info!(peer = %answer.peer_addr, decision = ?answer.decision, join = answer.join.is_some(), "provision discovery request");
        let tx = FrameTx { freq: f.freq, offchannel_ok: true, no_cck: true, frame: answer.frame(), ..Default::default() };
        if let Err(e) = self.nl.request(frame_request(IfTarget::Wdev(self.dev.wdev), &tx)).await {
            warn!("sending the provision discovery response failed: {e}");
        }
        // "Display" asks us to show a PIN: the one armed on our group, else a new one,
        // armed for this peer (wpa_supplicant only shows it and waits for WPS_PIN).
        let mut pin = None;
        if answer.decision == Ok(crate::p2p::pd::PdMethod::ShowPin) {
            let now = Instant::now();
            if let Some(g) = &mut self.go_group {
                pin = match g.go.armed_pin() {
                    Some(p) => crate::ctrl::Pin::parse(p.reveal()).ok(),
                    None => generate_pin().map(|(w, shown)| {
                        g.go.handle_input(now, GoInput::WpsPin { pin: w, target: Some(answer.peer.p2p_dev_addr), timeout: None });
                        shown
                    }),
                };
            }
            self.pump_go(now).await;
        }
        if let Some(ev) = answer.event(pin) {
            self.emit(ev);
        }
    }

    /// Kernel events for the GO's interface; false if the event is not ours.
    pub(super) async fn on_go_event(&mut self, event: &nl80211::Event, now: Instant) -> bool {
        let Some(g) = &mut self.go_group else { return false };
        if nl80211::attr!(event.attrs, Ifindex) != Some(&g.ifindex) {
            return false;
        }
        match event.cmd {
            Command::Frame => {
                if let Some(f) = nl80211::frame::RxFrame::from_event(event) {
                    g.go.handle_input(now, GoInput::Frame(&f.frame));
                }
            }
            Command::FrameTxStatus => {
                if let Some(s) = nl80211::frame::TxStatus::from_event(event) {
                    g.go.handle_input(now, GoInput::TxStatus { frame: &s.frame, ack: s.ack });
                }
            }
            Command::ControlPortFrame => {
                if let (Some(frame), Some(src)) = (nl80211::attr!(event.attrs, Frame), nl80211::attr!(event.attrs, Mac)) {
                    g.go.handle_input(now, GoInput::Eapol { src: MacAddr(*src), pdu: frame });
                }
            }
            Command::StopAp => warn!(ifname = %g.ifname, "the kernel stopped the group's BSS"),
            other => debug!(?other, "GO interface event"),
        }
        self.pump_go(now).await;
        true
    }

    /// Executes the GO machine's outputs until it has none.
    pub(super) async fn pump_go(&mut self, _now: Instant) {
        loop {
            let Some(g) = &mut self.go_group else { return };
            let Some(out) = g.go.poll_output() else { break };
            let target = IfTarget::Ifindex(g.ifindex);
            let freq = g.go.config().freq;
            match out {
                GoOutput::SendFrame { frame, no_ack } => {
                    let tx = FrameTx { freq: Some(freq), no_cck: true, dont_wait_for_ack: no_ack, frame, ..Default::default() };
                    if let Err(e) = self.nl.request(frame_request(target, &tx)).await {
                        debug!("sending a management frame failed: {e}");
                    }
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
                    if let Err(e) = self.nl.request(new_station_request(target, &sta)).await {
                        warn!(sta = %p.addr, "NEW_STATION failed: {e}; replacing the station");
                        let _ = self.nl.request(del_station_request(target, Some(p.addr.0), None)).await;
                        if let Err(e) = self.nl.request(new_station_request(target, &sta)).await {
                            warn!(sta = %p.addr, "NEW_STATION failed again: {e}");
                        }
                    }
                }
                GoOutput::DelStation { addr } => {
                    if let Err(e) = self.nl.request(del_station_request(target, Some(addr.0), None)).await {
                        debug!(sta = %addr, "DEL_STATION: {e}");
                    }
                }
                GoOutput::SendEapol { dest, pdu } => {
                    if let Err(e) = self.nl.request(control_port_frame_request(target, dest.0, &pdu, false)).await {
                        warn!(sta = %dest, "sending EAPOL failed: {e}");
                    }
                }
                GoOutput::InstallPtk { peer, tk } => {
                    let key = NewKey { key_type: KeyType::Pairwise, peer: Some(peer.0), idx: 0, cipher: nl80211::cipher::CCMP, data: KeyBytes(tk.as_bytes().to_vec()), seq: None };
                    if let Err(e) = self.nl.request(new_key_request(target, &key)).await {
                        warn!(sta = %peer, "installing the pairwise key failed: {e}");
                    }
                }
                GoOutput::InstallGtk { gtk, key_idx } => {
                    let key = NewKey { key_type: KeyType::Group, peer: None, idx: key_idx, cipher: nl80211::cipher::CCMP, data: KeyBytes(gtk.as_bytes().to_vec()), seq: None };
                    if let Err(e) = self.nl.request(new_key_request(target, &key)).await {
                        warn!("installing the group key failed: {e}");
                    }
                    if let Err(e) = self.nl.request(set_default_key_request(target, key_idx)).await {
                        warn!("making the group key the default failed: {e}");
                    }
                }
                GoOutput::Authorize { peer } => {
                    if let Err(e) = self.nl.request(set_station_authorized_request(target, peer.0, true)).await {
                        warn!(sta = %peer, "authorizing the station failed: {e}");
                    }
                }
                GoOutput::SetBeacon(t) => {
                    let b = beacon_data(&t);
                    if let Err(e) = self.nl.request(set_beacon_request(target, &b)).await {
                        warn!("SET_BEACON failed: {e}");
                    }
                }
                GoOutput::Event(ev) => self.on_go_event_out(ev),
            }
        }
    }

    fn on_go_event_out(&mut self, ev: GoEvent) {
        match ev {
            GoEvent::StaConnected { addr, p2p_dev_addr, ip } => self.emit(Event::ApStaConnected { addr, p2p_dev_addr, ip_addr: ip }),
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
        }
    }

    /// Ends our group: every client deauthenticated, the BSS stopped, the DHCP server
    /// stopped, the interface deleted.
    pub(super) async fn remove_go(&mut self, reason: GroupRemovalReason) {
        let Some(g) = &mut self.go_group else { return };
        let now = Instant::now();
        g.go.handle_input(now, GoInput::Shutdown);
        self.pump_go(now).await;
        let Some(mut g) = self.go_group.take() else { return };
        let target = IfTarget::Ifindex(g.ifindex);
        if let Err(e) = self.nl.request(stop_ap_request(target)).await {
            debug!("STOP_AP: {e}");
        }
        if let Some(d) = g.dhcp.take() {
            d.stop().await;
        }
        self.emit(Event::GroupRemoved { ifname: g.ifname.clone(), role: GroupRole::Go, reason: Some(reason) });
        match self.nl.del_interface(target).await {
            Ok(()) => info!(ifname = %g.ifname, "group interface removed"),
            Err(e) => warn!(ifname = %g.ifname, "removing the group interface: {e}"),
        }
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

/// A fresh 8-digit PIN with a valid checksum, and its control-interface form.
fn generate_pin() -> Option<(wps::pin::Pin, crate::ctrl::Pin)> {
    let pin = wps::pin::Pin::generate(&mut wps::rng::SystemRng::default());
    let shown = crate::ctrl::Pin::parse(pin.reveal()).ok()?;
    Some((pin, shown))
}
