//! The `directd run` event loop: kernel events, control requests, DHCP datagrams, timers
//! and signals become the agent's inputs; its outputs become nl80211 and rtnetlink calls,
//! socket sends and control sockets (`crate::agent` decides, this loop only performs).

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::Arc;
use std::task::Poll;
use std::time::Instant;

use anyhow::Context;
use tokio::net::UdpSocket;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;
use tracing::{debug, error, info, warn};

use super::device;
use crate::agent::{Agent, CtrlSocket, Input, Intake, Kernel, Op, OpError, OpReply, Output, ReplyToken};
use crate::config::RunConfig;
use super::ctrl::{CtrlServer, EventSender, Incoming, Replier};
use crate::ctrl::{MsgLevel, Reply, Request};

/// Why the loop ended.
enum Stop {
    Signal(&'static str),
    Terminate,
    /// The P2P device went away under us (deleted by someone else, or with its radio).
    DeviceGone,
    /// The agent asked to stop with a failure (the automatic mode's `--once`).
    Failed(String),
}

/// A request from one of our sockets, parsed and triaged.
fn triage(incoming: std::io::Result<Incoming>) -> Option<(Request, Replier)> {
    match incoming {
        Ok(Incoming::Command(cmd)) => cmd.triage(),
        Ok(other) => {
            debug!(?other, "monitor (de)attached");
            None
        }
        Err(e) => {
            warn!("control socket: {e}");
            None
        }
    }
}

/// The next datagram on any group interface's socket (forever pending when there is none).
async fn next_group_incoming(servers: &mut BTreeMap<String, CtrlServer>) -> (String, std::io::Result<Incoming>) {
    std::future::poll_fn(|cx| {
        for (name, s) in servers.iter_mut() {
            if let Poll::Ready(r) = s.poll_recv(cx) {
                return Poll::Ready((name.clone(), r));
            }
        }
        Poll::Pending
    })
    .await
}

/// Everything the loop performs outputs with.
struct World {
    cfg: RunConfig,
    nl: nl80211::Nl80211,
    rt: rtnetlink::Handle,
    dev_events: EventSender,
    group_ctrls: BTreeMap<String, CtrlServer>,
    repliers: HashMap<ReplyToken, Replier>,
    next_reply: u64,
    /// DHCP sockets by interface, and the readers that feed `dhcp_tx`.
    dhcp: HashMap<String, (Arc<UdpSocket>, tokio::task::JoinHandle<()>)>,
    dhcp_tx: mpsc::UnboundedSender<(String, crate::dhcp::Message)>,
    /// `--ndn`: the forwarder and the probe protocol (they follow the groups' addresses).
    ndn: Option<super::ndn::Ndn>,
    /// The agent asked to stop with this failure.
    stop: Option<String>,
}

impl World {
    /// Hands a request to the agent and performs what follows.
    async fn request(&mut self, agent: &mut Agent, socket: CtrlSocket, request: Request, replier: Replier) {
        if request.is_ndn() {
            replier.reply(&super::ndn::reply(self.ndn.as_ref(), request).await);
            return;
        }
        let token = ReplyToken(self.next_reply);
        self.next_reply += 1;
        self.repliers.insert(token, replier);
        self.feed(agent, Input::Ctrl { socket, token, request }).await;
    }

    /// Feeds one input, then performs every output, feeding operation results back in
    /// order, until the agent has nothing more to do.
    async fn feed(&mut self, agent: &mut Agent, input: Input) {
        let start = Instant::now();
        let what = input_kind(&input);
        agent.handle_input(start, input);
        let decided = start.elapsed().as_millis();
        // The kernel operations this input led to, with how long each took: logged when the
        // whole took long (a peer waits only ~100 ms for some answers).
        let mut ops: Vec<(&'static str, u128)> = Vec::new();
        while let Some(out) = agent.poll_output() {
            match out {
                Output::Op { token, op } => {
                    let name = op_kind(&op);
                    let t = Instant::now();
                    let result = self.perform(op).await;
                    ops.push((name, t.elapsed().as_millis()));
                    agent.handle_input(Instant::now(), Input::OpDone { token, result });
                }
                Output::Detached(op) => {
                    let name = op_kind(&op);
                    let t = Instant::now();
                    self.perform_detached(op).await;
                    ops.push((name, t.elapsed().as_millis()));
                }
                Output::Reply { token, reply } => match self.repliers.remove(&token) {
                    Some(r) => r.reply(&reply),
                    None => warn!(?token, "reply to an unknown request"),
                },
                Output::Event(event) => {
                    self.dev_events.send(MsgLevel::Info, &event);
                    for s in self.group_ctrls.values() {
                        s.send_event(MsgLevel::Info, &event);
                    }
                }
                Output::OpenCtrl { ifname } => match CtrlServer::bind_with_group(&self.cfg.ctrl_dir, &ifname, self.cfg.ctrl_group) {
                    Ok(s) => {
                        self.group_ctrls.insert(ifname, s);
                    }
                    Err(e) => warn!(%ifname, "cannot serve the group's control socket: {e}"),
                },
                Output::CloseCtrl { ifname } => {
                    if let Some(s) = self.group_ctrls.remove(&ifname) {
                        s.close();
                    }
                }
                Output::DhcpSend { ifname, port, transmit } => match self.dhcp.get(&ifname) {
                    Some((sock, _)) => dhcp_send(sock, transmit, port).await,
                    None => debug!(%ifname, "DHCP send without a socket"),
                },
                Output::DhcpClose { ifname } => {
                    if let Some((_, reader)) = self.dhcp.remove(&ifname) {
                        reader.abort();
                    }
                }
                Output::GroupAddressed { ifname, role, own_ip, prefix_len, go_ip, .. } => {
                    debug!(%ifname, %own_ip, prefix_len, "group addressed");
                    if let Some(n) = &self.ndn {
                        let role = match role {
                            crate::agent::GroupRoleKind::Owner => crate::probe::Role::Owner,
                            crate::agent::GroupRoleKind::Client => crate::probe::Role::Client,
                        };
                        n.group_addressed(&ifname, role, own_ip, prefix_len, go_ip);
                    }
                }
                Output::SaveStore(text) => {
                    let path = self.cfg.persistent_file();
                    match super::state::save(&path, &text.0) {
                        Ok(()) => debug!(path = %path.display(), "state file written"),
                        Err(e) => warn!(path = %path.display(), "cannot write the state file: {e}"),
                    }
                }
                Output::Stop { error } => {
                    warn!("{error}");
                    self.stop.get_or_insert(error);
                }
                Output::GroupGone { ifname } => {
                    debug!(%ifname, "group gone");
                    if let Some(n) = &self.ndn {
                        n.group_gone(&ifname);
                    }
                }
            }
        }
        let took = start.elapsed();
        if took >= SLOW_INPUT {
            info!(input = what, ms = took.as_millis(), decided_ms = decided, ?ops, "slow to handle");
        }
    }

    /// An operation nobody waits for ([`Output::Detached`]): the request goes out now and
    /// a task logs its failure when the reply comes. Operations without a detached form
    /// here are performed as usual, their failure logged.
    async fn perform_detached(&mut self, op: Op) {
        use nl80211::IfTarget;
        let what = op_kind(&op);
        let msg = match &op {
            Op::SendFrame { target, tx } => nl80211::frame::frame_request(*target, tx),
            Op::DelStation { ifindex, peer } => nl80211::station::del_station_request(IfTarget::Ifindex(*ifindex), Some(peer.0), None),
            _ => {
                if let Err(e) = self.perform(op).await {
                    debug!(op = what, "{e}");
                }
                return;
            }
        };
        match self.nl.request_detached(msg) {
            Ok(reply) => {
                tokio::spawn(async move {
                    if let Err(e) = reply.await {
                        debug!(op = what, "detached operation failed: {e}");
                    }
                });
            }
            Err(e) => debug!(op = what, "detached operation not sent: {e}"),
        }
    }

    /// One operation.
    async fn perform(&mut self, op: Op) -> Result<OpReply, OpError> {
        use nl80211::IfTarget;
        let nl_err = |e: nl80211::Error| OpError {
            errno: match &e {
                nl80211::Error::Kernel { errno, .. } => Some(*errno),
                _ => None,
            },
            message: e.to_string(),
        };
        let any_err = |e: anyhow::Error| OpError { errno: None, message: format!("{e:#}") };
        let done = |r: Result<Vec<nl80211::Message>, nl80211::Error>| r.map(|_| OpReply::Done).map_err(nl_err);
        let cookie = |r: Result<Vec<nl80211::Message>, nl80211::Error>| {
            r.map(|m| OpReply::Cookie(nl80211::frame::reply_cookie(&m))).map_err(nl_err)
        };
        let nl = &self.nl;
        match op {
            Op::NewInterface { wiphy, name, iftype, mac } => {
                let opts = nl80211::NewInterfaceOpts { socket_owner: true, mac: mac.map(|m| m.0) };
                nl.new_interface(wiphy, &name, iftype, opts).await.map(|i| OpReply::Interface { ifindex: i.ifindex, addr: i.mac }).map_err(nl_err)
            }
            Op::DelInterface { target } => nl.del_interface(target).await.map(|()| OpReply::Done).map_err(nl_err),
            Op::LinkUp { ifindex } => {
                let msg = rtnetlink::LinkUnspec::new_with_index(ifindex).up().build();
                self.rt.link().set(msg).execute().await.map(|()| OpReply::Done).map_err(|e| any_err(e.into()))
            }
            Op::AddAddress { ifindex, ip, prefix_len } => {
                super::dhcp::add_address_on(&self.rt, ifindex, ip, prefix_len).await.map(|()| OpReply::Done).map_err(any_err)
            }
            Op::DelAddress { ifindex, ip } => {
                super::dhcp::del_address_on(&self.rt, ifindex, ip).await.map(|()| OpReply::Done).map_err(any_err)
            }
            Op::RegisterFrame { target, frame_type, match_bytes } => {
                done(nl.request(nl80211::frame::register_frame_request(target, frame_type, &match_bytes)).await)
            }
            Op::TriggerScan { wdev, req } => done(nl.request(nl80211::scan::trigger_scan_request(IfTarget::Wdev(wdev), &req)).await),
            Op::AbortScan { wdev } => done(nl.request(nl80211::scan::abort_scan_request(IfTarget::Wdev(wdev))).await),
            Op::GetScan { wdev } => nl
                .dump(nl80211::scan::get_scan_dump_request(IfTarget::Wdev(wdev)))
                .await
                .map(|m| OpReply::ScanResults(nl80211::Bss::from_messages(&m)))
                .map_err(nl_err),
            Op::Connect { ifindex, params } => done(nl.request(nl80211::connect::connect_request(IfTarget::Ifindex(ifindex), &params)).await),
            Op::Disconnect { ifindex, reason } => {
                done(nl.request(nl80211::connect::disconnect_request(IfTarget::Ifindex(ifindex), reason)).await)
            }
            Op::NewKey { ifindex, key } => done(nl.request(nl80211::key::new_key_request(IfTarget::Ifindex(ifindex), &key)).await),
            Op::SetDefaultKey { ifindex, idx } => {
                done(nl.request(nl80211::key::set_default_key_request(IfTarget::Ifindex(ifindex), idx)).await)
            }
            Op::Authorize { ifindex, peer } => {
                done(nl.request(nl80211::station::set_station_authorized_request(IfTarget::Ifindex(ifindex), peer.0, true)).await)
            }
            Op::NewStation { ifindex, sta } => done(nl.request(nl80211::station::new_station_request(IfTarget::Ifindex(ifindex), &sta)).await),
            Op::DelStation { ifindex, peer } => {
                done(nl.request(nl80211::station::del_station_request(IfTarget::Ifindex(ifindex), Some(peer.0), None)).await)
            }
            Op::SendFrame { target, tx } => cookie(nl.request(nl80211::frame::frame_request(target, &tx)).await),
            Op::SendEapol { ifindex, dest, pdu, no_encrypt } => {
                done(nl.request(nl80211::frame::control_port_frame_request(IfTarget::Ifindex(ifindex), dest.0, &pdu, no_encrypt)).await)
            }
            Op::StartAp { ifindex, settings } => done(nl.request(nl80211::ap::start_ap_request(IfTarget::Ifindex(ifindex), &settings)).await),
            Op::StopAp { ifindex } => done(nl.request(nl80211::ap::stop_ap_request(IfTarget::Ifindex(ifindex))).await),
            Op::SetBeacon { ifindex, beacon } => done(nl.request(nl80211::ap::set_beacon_request(IfTarget::Ifindex(ifindex), &beacon)).await),
            Op::RemainOnChannel { wdev, freq, duration_ms } => {
                cookie(nl.request(nl80211::frame::remain_on_channel_request(IfTarget::Wdev(wdev), freq, duration_ms)).await)
            }
            Op::CancelRemainOnChannel { wdev, cookie: c } => {
                done(nl.request(nl80211::frame::cancel_remain_on_channel_request(IfTarget::Wdev(wdev), c)).await)
            }
            Op::FrameWaitCancel { target, cookie: c } => done(nl.request(nl80211::frame::frame_wait_cancel_request(target, c)).await),
            Op::DhcpOpen { ifname, port } => {
                let sock = Arc::new(super::dhcp::bind(&ifname, port).map_err(any_err)?);
                let reader = tokio::spawn(dhcp_reader(ifname.clone(), sock.clone(), self.dhcp_tx.clone()));
                if let Some((_, old)) = self.dhcp.insert(ifname, (sock, reader)) {
                    old.abort();
                }
                Ok(OpReply::Done)
            }
        }
    }
}

/// Reads DHCP datagrams of one interface for the loop.
async fn dhcp_reader(ifname: String, sock: Arc<UdpSocket>, tx: mpsc::UnboundedSender<(String, crate::dhcp::Message)>) {
    let mut buf = vec![0u8; 1500];
    loop {
        match sock.recv_from(&mut buf).await {
            Ok((n, from)) => match crate::dhcp::wire::decode(&buf[..n]) {
                Ok(msg) => {
                    tracing::trace!(%from, "dhcp <- {msg}");
                    if tx.send((ifname.clone(), msg)).is_err() {
                        return;
                    }
                }
                Err(e) => debug!(%from, "dhcp: dropped {n} bytes: {e}"),
            },
            Err(e) => {
                warn!("dhcp: receive failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

async fn dhcp_send(sock: &UdpSocket, t: crate::dhcp::Transmit, port: u16) {
    use crate::dhcp::Destination;
    let ip = match t.to {
        Destination::Unicast(ip) => ip,
        // No ARP entry for a client without an address: broadcast (RFC 2131 4.1).
        Destination::Broadcast | Destination::UnicastHw { .. } => Ipv4Addr::BROADCAST,
    };
    let to = SocketAddr::V4(SocketAddrV4::new(ip, port));
    match crate::dhcp::wire::encode(&t.msg) {
        Ok(bytes) => {
            tracing::trace!(%to, "dhcp -> {}", t.msg);
            if let Err(e) = sock.send_to(&bytes, to).await {
                warn!(%to, "dhcp: send failed: {e}");
            }
        }
        Err(e) => warn!("dhcp: cannot encode: {e}"),
    }
}

pub async fn run(cfg: RunConfig) -> anyhow::Result<()> {
    let (nl, mut events) = super::connect().await?;
    let wiphys = nl.wiphys().await.context("cannot list wiphys")?;
    let ifaces = nl.interfaces().await.context("cannot list interfaces")?;
    let wiphy = device::find_wiphy(&cfg, &wiphys, &ifaces)?.clone();
    let missing = device::missing_capabilities(&wiphy);
    if !missing.is_empty() {
        anyhow::bail!("{} cannot run P2P: it lacks {}", wiphy.name, missing.join(", "));
    }
    info!(wiphy = %wiphy.name, "wiphy supports P2P-device, P2P-GO, P2P-client and remain-on-channel");
    if let Some(f) = cfg.auto.as_ref().and_then(|a| a.freq) {
        crate::agent::auto::check_freq(&wiphy, f).map_err(anyhow::Error::msg)?;
    }
    if let Some(a) = &cfg.auto {
        info!(peer = %a.peer, window_s = a.window.as_secs(), freq = ?a.freq, local_address = ?a.local_address, once = a.once, "automatic mode");
    }

    // The control socket first: a second daemon on the same device stops here, before it
    // touches the kernel.
    let mut ctrl = CtrlServer::bind_with_group(&cfg.ctrl_dir, &cfg.p2p_dev_name(), cfg.ctrl_group)
        .with_context(|| format!("cannot serve the control socket in {}", cfg.ctrl_dir.display()))?;
    CtrlServer::remove_stale_group_sockets(&cfg.ctrl_dir, &format!("p2p-{}-", cfg.base_name()));
    device::clean_stale(&nl, &cfg, &wiphy).await?;
    let dev = device::create(&nl, &cfg, &wiphy, &ifaces).await?;
    info!(socket = %cfg.ctrl_dir.join(&dev.name).display(), "serving the control interface");
    let rt = match rtnetlink::new_connection() {
        Ok((conn, rt, _)) => {
            tokio::spawn(conn);
            rt
        }
        Err(e) => {
            device::destroy(&nl, &dev).await;
            return Err(e).context("cannot open rtnetlink");
        }
    };
    let agent_dev = crate::agent::Device { wiphy: dev.wiphy, wdev: dev.wdev, name: dev.name.clone(), addr: crate::ctrl::MacAddr(dev.addr) };
    let rng: crate::agent::RngFactory = Arc::new(|| Box::new(wps::rng::SystemRng::default()));
    let mut agent = match Agent::new(cfg.clone(), agent_dev, wiphy, rng) {
        Ok(a) => a,
        Err(e) => {
            device::destroy(&nl, &dev).await;
            return Err(e).context("the configured device name");
        }
    };
    agent.load_store(super::state::load(&cfg.persistent_file()));
    let ndn = match &cfg.ndn {
        Some(n) => match super::ndn::start(n, super::ndn::to_ctrl(ctrl.event_sender())).await {
            Ok(ndn) => Some(ndn),
            Err(e) => {
                device::destroy(&nl, &dev).await;
                return Err(e);
            }
        },
        None => None,
    };
    let (dhcp_tx, mut dhcp_rx) = mpsc::unbounded_channel();
    let mut world = World {
        cfg: cfg.clone(),
        nl: nl.clone(),
        rt,
        dev_events: ctrl.event_sender(),
        group_ctrls: BTreeMap::new(),
        repliers: HashMap::new(),
        next_reply: 0,
        dhcp: HashMap::new(),
        dhcp_tx,
        ndn,
        stop: None,
    };

    // The agent's start-up operations (frame registrations on the P2P device) go out
    // before anything else: a timer tick with nothing due drains them.
    world.feed(&mut agent, Input::Timeout).await;

    let mut sigterm = signal(SignalKind::terminate()).context("SIGTERM handler")?;
    let mut sigint = signal(SignalKind::interrupt()).context("SIGINT handler")?;
    // Kernel events read but not yet handled, taken by priority (agent::intake): a flood
    // of frames waits behind the exchanges under way, not in front of them.
    let mut intake = Intake::default();
    let stop = loop {
        if let Some(error) = world.stop.take() {
            break Stop::Failed(error);
        }
        let dropped = intake.take_dropped();
        if dropped > 0 {
            debug!(dropped, waiting = intake.len(), "frames dropped: more came than could be handled");
        }
        let wake = agent.poll_timeout().map(tokio::time::Instant::from_std);
        let backlog = !intake.is_empty();
        tokio::select! {
            _ = sigterm.recv() => break Stop::Signal("SIGTERM"),
            _ = sigint.recv() => break Stop::Signal("SIGINT"),
            incoming = ctrl.recv() => {
                let Some((request, replier)) = triage(incoming) else { continue };
                if matches!(request, Request::Terminate) {
                    replier.reply(&Reply::Ok);
                    break Stop::Terminate;
                }
                world.request(&mut agent, CtrlSocket::Device, request, replier).await;
            }
            (ifname, incoming) = next_group_incoming(&mut world.group_ctrls), if !world.group_ctrls.is_empty() => {
                let Some((request, replier)) = triage(incoming) else { continue };
                world.request(&mut agent, CtrlSocket::Group(ifname), request, replier).await;
            }
            event = events.next() => {
                let Some(event) = event else {
                    break Stop::Failed("the nl80211 event stream ended".into());
                };
                // This one and every other event already read, into the intake.
                let mut gone = false;
                let mut next = Some(event);
                while let Some(event) = next {
                    if device_gone(&event, &dev) {
                        gone = true;
                        break;
                    }
                    intake.push(&agent, Kernel::from_nl(&event));
                    next = events.try_next();
                }
                if gone {
                    break Stop::DeviceGone;
                }
            }
            // One queued event per turn, so that control requests, timers and newer
            // urgent events are not held up by a backlog.
            _ = std::future::ready(()), if backlog => {
                if let Some(k) = intake.pop() {
                    world.feed(&mut agent, Input::Kernel(k)).await;
                }
            }
            Some((ifname, msg)) = dhcp_rx.recv() => world.feed(&mut agent, Input::Dhcp { ifname, msg }).await,
            _ = async { match wake { Some(t) => tokio::time::sleep_until(t).await, None => std::future::pending().await } } => {
                world.feed(&mut agent, Input::Timeout).await;
            }
        }
    };
    // Whether the radio went too (the wdev goes first, then the wiphy): what the error
    // says, and what a driver developer looks for.
    let gone = match stop {
        Stop::DeviceGone => Some(match nl.wiphys().await {
            Ok(w) if w.iter().any(|w| w.index == dev.wiphy) => format!("the P2P device {} was removed by someone else ({} is still there)", dev.name, dev.wiphy_name),
            Ok(_) => format!("the radio {} (wiphy {}) was removed", dev.wiphy_name, dev.wiphy),
            Err(e) => format!("the P2P device {} was removed (cannot list the radios: {e})", dev.name),
        }),
        _ => None,
    };
    match (&stop, &gone) {
        (Stop::Signal(s), _) => info!("{s}: shutting down"),
        (Stop::Terminate, _) => info!("TERMINATE: shutting down"),
        (_, Some(gone)) => error!("{gone}: ending every group and stopping"),
        _ => {}
    }
    world.feed(&mut agent, if gone.is_some() { Input::DeviceLost } else { Input::Shutdown }).await;
    if let Some(n) = world.ndn.take() {
        n.shutdown().await;
    }
    for (_, s) in std::mem::take(&mut world.group_ctrls) {
        s.close();
    }
    for (_, (_, reader)) in world.dhcp.drain() {
        reader.abort();
    }
    if gone.is_none() {
        device::destroy(&nl, &dev).await;
    }
    ctrl.close();
    info!("stopped; nothing left behind");
    match stop {
        Stop::DeviceGone => {
            anyhow::bail!("{}; directd does not wait for it: start it again once the radio is back", gone.unwrap_or_default())
        }
        Stop::Failed(error) => anyhow::bail!(error),
        _ => Ok(()),
    }
}

/// Whether `event` says our P2P device is gone: its wdev deleted (by someone else: we
/// delete it only on the way out), or its whole wiphy (the radio unplugged, its driver
/// unloaded, a hwsim radio deleted; the kernel deletes the wdevs first, this is in case).
fn device_gone(event: &nl80211::Event, dev: &device::P2pDevice) -> bool {
    match event.cmd {
        nl80211::Command::DelInterface => nl80211::attr!(event.attrs, Wdev) == Some(&dev.wdev),
        nl80211::Command::DelWiphy => nl80211::attr!(event.attrs, Wiphy) == Some(&dev.wiphy),
        _ => false,
    }
}

/// How long one input, with the operations it led to, may take before it is logged.
const SLOW_INPUT: std::time::Duration = std::time::Duration::from_millis(60);

/// A short name of an input for the slow-input log line.
fn input_kind(input: &Input) -> &'static str {
    use crate::agent::KernelEvent as K;
    match input {
        Input::Ctrl { .. } => "control request",
        Input::Kernel(k) => match &k.event {
            K::Frame { .. } => "frame",
            K::TxStatus { .. } => "tx status",
            K::Eapol { .. } => "eapol",
            K::ScanDone { .. } => "scan done",
            K::Mlme(_) => "mlme event",
            K::StopAp => "stop ap",
            K::Roc(_) => "remain-on-channel event",
            K::Other(_) => "other nl80211 event",
        },
        Input::OpDone { .. } => "operation result",
        Input::Dhcp { .. } => "dhcp",
        Input::Timeout => "timer",
        Input::Shutdown => "shutdown",
        Input::DeviceLost => "device lost",
    }
}

/// A short name of an operation for the slow-input log line.
fn op_kind(op: &Op) -> &'static str {
    match op {
        Op::NewInterface { .. } => "new_interface",
        Op::DelInterface { .. } => "del_interface",
        Op::LinkUp { .. } => "link_up",
        Op::AddAddress { .. } => "add_address",
        Op::DelAddress { .. } => "del_address",
        Op::RegisterFrame { .. } => "register_frame",
        Op::TriggerScan { .. } => "trigger_scan",
        Op::GetScan { .. } => "get_scan",
        Op::AbortScan { .. } => "abort_scan",
        Op::Connect { .. } => "connect",
        Op::Disconnect { .. } => "disconnect",
        Op::NewKey { .. } => "new_key",
        Op::SetDefaultKey { .. } => "set_default_key",
        Op::Authorize { .. } => "authorize",
        Op::NewStation { .. } => "new_station",
        Op::DelStation { .. } => "del_station",
        Op::SendFrame { .. } => "frame",
        Op::SendEapol { .. } => "eapol",
        Op::StartAp { .. } => "start_ap",
        Op::StopAp { .. } => "stop_ap",
        Op::SetBeacon { .. } => "set_beacon",
        Op::RemainOnChannel { .. } => "remain_on_channel",
        Op::CancelRemainOnChannel { .. } => "cancel_remain_on_channel",
        Op::FrameWaitCancel { .. } => "frame_wait_cancel",
        Op::DhcpOpen { .. } => "dhcp_open",
    }
}
