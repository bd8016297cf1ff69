//! `directd run --ndn`: the NDN forwarder inside the agent, and one probe machine
//! ([`crate::probe::ProbeCore`]) per group, driven through the forwarder's in-process
//! [`ndn::face::Handle`].
//!
//! The agent talks to it with two calls, [`Ndn::group_addressed`] and [`Ndn::group_gone`],
//! plus [`Ndn::request`] for `NDN_PEERS` / `NDN_FIB`; NDN events go to the callback given
//! to [`start`]. Everything runs on one task: commands, probe Interests handed over by the
//! producer callback, results of faces being opened and probes expressed (each awaited on
//! a small task of its own), and the probe machines' timers.
//!
//! Per group: UDP and TCP listeners on `<own IP>:6363`, the probe producer on
//! `/localhop/wifidirect/<own IP>`, and what the machine asks for. When the group goes,
//! its peers' faces, the producer and the listeners go with it.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, Instant};

use anyhow::Context;
use ndn::face::{ExpressError, Handle, RuntimeConfig};
use ndn::fw::{FaceUri, Forwarder};
use ndn::packet::{Data, Interest, Name};
use ndn::table::FaceId;
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, info, warn};

use crate::config::NdnConfig;
use crate::ctrl::{Reply, Request};
use crate::probe::core::fib_snapshot;
use crate::probe::{FibPrefix, GroupInfo, Input, Output, ProbeConfig, ProbeCore, ProbeFailure, ProbeId, Role};

/// Where NDN events go (the control sockets, in `directd run`).
pub type EventSink = Box<dyn Fn(&crate::probe::Event) + Send + Sync>;

/// How long a group's listeners are retried while its address settles in the kernel.
const LISTEN_RETRY: Duration = Duration::from_millis(200);
const LISTEN_TRIES: u32 = 10;

enum Cmd {
    GroupAddressed { ifname: String, group: GroupInfo },
    GroupGone { ifname: String },
    Request { request: Request, reply: oneshot::Sender<Reply> },
    Shutdown { done: oneshot::Sender<()> },
}

/// What the producer callback and the helper tasks hand back, tagged with the group.
enum Msg {
    Probe { ifname: String, epoch: u64, name: Name, fib: Vec<FibPrefix> },
    Result { ifname: String, epoch: u64, peer: Ipv4Addr, probe: ProbeId, result: Result<Vec<u8>, ProbeFailure> },
    FaceCreated { ifname: String, epoch: u64, peer: Ipv4Addr, face: FaceId },
    FaceFailed { ifname: String, epoch: u64, peer: Ipv4Addr, reason: String },
}

/// The running NDN side of the agent.
pub struct Ndn {
    tx: mpsc::UnboundedSender<Cmd>,
    task: tokio::task::JoinHandle<()>,
    fw_task: tokio::task::JoinHandle<()>,
    handle: Handle,
}

/// Starts the forwarder (its Unix socket at `cfg.socket`) and the probe driver. Call
/// inside the agent's tokio runtime.
pub async fn start(cfg: &NdnConfig, events: EventSink) -> anyhow::Result<Ndn> {
    if let Some(dir) = cfg.socket.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let rt = RuntimeConfig { unix: Some(cfg.socket.clone()), ..RuntimeConfig::default() };
    let running = ndn::face::start(rt)
        .await
        .with_context(|| format!("cannot serve NDN applications on {}", cfg.socket.display()))?;
    info!(socket = %cfg.socket.display(), interval = ?cfg.probe.interval, timeouts = cfg.probe.max_timeouts,
        format = %cfg.probe.format, "NDN forwarder up");
    let (tx, rx) = mpsc::unbounded_channel();
    let (in_tx, in_rx) = mpsc::unbounded_channel();
    let driver = Driver {
        fw: running.handle.clone(),
        cfg: cfg.probe.clone(),
        groups: BTreeMap::new(),
        next_epoch: 1,
        in_tx,
        events,
    };
    let task = tokio::spawn(driver.run(rx, in_rx));
    Ok(Ndn { tx, task, fw_task: running.task, handle: running.handle })
}

/// Events to a control socket, as `NDN-PEER-ADDED ...` lines.
pub fn to_ctrl(sender: super::ctrl::EventSender) -> EventSink {
    Box::new(move |e| {
        sender.send(crate::ctrl::MsgLevel::Info, &crate::ctrl::Event::Ndn(e.clone()));
    })
}

/// The reply to an NDN request: from `ndn` when it runs, else FAIL (no `--ndn`).
pub async fn reply(ndn: Option<&Ndn>, request: Request) -> Reply {
    match ndn {
        Some(n) => n.request(request).await,
        None => Reply::Fail,
    }
}

impl Ndn {
    /// A group has its addresses: start the probe protocol on it.
    pub fn group_addressed(&self, ifname: &str, role: Role, own_ip: Ipv4Addr, prefix_len: u8, go_ip: Ipv4Addr) {
        let group = GroupInfo { own_ip, prefix_len, role, go_ip };
        let _ = self.tx.send(Cmd::GroupAddressed { ifname: ifname.to_owned(), group });
    }

    /// The group on `ifname` is gone: drop its peers, producer and listeners.
    pub fn group_gone(&self, ifname: &str) {
        let _ = self.tx.send(Cmd::GroupGone { ifname: ifname.to_owned() });
    }

    /// Answers `NDN_PEERS` / `NDN_FIB` (anything else: FAIL).
    pub async fn request(&self, request: Request) -> Reply {
        let (reply, rx) = oneshot::channel();
        if self.tx.send(Cmd::Request { request, reply }).is_err() {
            return Reply::Fail;
        }
        rx.await.unwrap_or(Reply::Fail)
    }

    /// The forwarder's handle (for tests and diagnostics).
    pub fn forwarder(&self) -> &Handle {
        &self.handle
    }

    /// Drops every group (peers told group-removed), stops the forwarder, removes its socket.
    pub async fn shutdown(self) {
        let (done, rx) = oneshot::channel();
        if self.tx.send(Cmd::Shutdown { done }).is_ok() {
            let _ = rx.await;
        }
        let _ = self.task.await;
        self.handle.shutdown();
        let _ = self.fw_task.await;
    }
}

struct Group {
    epoch: u64,
    core: ProbeCore,
    producer: Option<FaceId>,
    listeners: Vec<FaceUri>,
}

struct Driver {
    fw: Handle,
    cfg: ProbeConfig,
    groups: BTreeMap<String, Group>,
    next_epoch: u64,
    in_tx: mpsc::UnboundedSender<Msg>,
    events: EventSink,
}

impl Driver {
    async fn run(mut self, mut cmds: mpsc::UnboundedReceiver<Cmd>, mut msgs: mpsc::UnboundedReceiver<Msg>) {
        loop {
            let wake = self.groups.values().filter_map(|g| g.core.poll_timeout()).min();
            let sleep = async {
                match wake {
                    Some(t) => tokio::time::sleep_until(tokio::time::Instant::from_std(t)).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                cmd = cmds.recv() => match cmd {
                    None => {
                        self.drop_all().await;
                        break;
                    }
                    Some(Cmd::Shutdown { done }) => {
                        self.drop_all().await;
                        let _ = done.send(());
                        break;
                    }
                    Some(cmd) => self.on_cmd(cmd).await,
                },
                Some(msg) = msgs.recv() => self.on_msg(msg).await,
                () = sleep => {
                    let now = Instant::now();
                    let names: Vec<String> = self.groups.keys().cloned().collect();
                    for ifname in names {
                        if let Some(g) = self.groups.get_mut(&ifname) {
                            g.core.handle_timeout(now);
                        }
                        self.drain(&ifname).await;
                    }
                }
            }
        }
    }

    async fn on_cmd(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::GroupAddressed { ifname, group } => {
                if self.groups.get(&ifname).is_some_and(|g| g.core.group() == Some(&group)) {
                    return;
                }
                self.drop_group(&ifname).await;
                let epoch = self.next_epoch;
                self.next_epoch += 1;
                let listeners = self.listen(group.own_ip).await;
                let mut core = ProbeCore::new(self.cfg.clone());
                core.handle_input(Instant::now(), Input::GroupUp(group));
                self.groups.insert(ifname.clone(), Group { epoch, core, producer: None, listeners });
                self.drain(&ifname).await;
            }
            Cmd::GroupGone { ifname } => self.drop_group(&ifname).await,
            Cmd::Request { request, reply } => {
                let r = self.answer(request).await;
                let _ = reply.send(r);
            }
            Cmd::Shutdown { .. } => {}
        }
    }

    async fn on_msg(&mut self, msg: Msg) {
        let now = Instant::now();
        let (ifname, epoch, input) = match msg {
            Msg::Probe { ifname, epoch, name, fib } => (ifname, epoch, Input::ProbeInterest { name, fib }),
            Msg::Result { ifname, epoch, peer, probe, result } => (ifname, epoch, Input::ProbeResult { peer, probe, result }),
            Msg::FaceCreated { ifname, epoch, peer, face } => {
                if self.groups.get(&ifname).is_none_or(|g| g.epoch != epoch) {
                    // Opened for a group that is gone.
                    self.fw.remove_face(face).await;
                    return;
                }
                (ifname, epoch, Input::FaceCreated { peer, face })
            }
            Msg::FaceFailed { ifname, epoch, peer, reason } => (ifname, epoch, Input::FaceFailed { peer, reason }),
        };
        let Some(g) = self.groups.get_mut(&ifname).filter(|g| g.epoch == epoch) else { return };
        g.core.handle_input(now, input);
        self.drain(&ifname).await;
    }

    /// Binds UDP and TCP on the group address, retrying while the address settles.
    async fn listen(&self, ip: Ipv4Addr) -> Vec<FaceUri> {
        let addr = SocketAddrV4::new(ip, self.cfg.port);
        let mut bound = Vec::new();
        for uri in [FaceUri::Udp4(addr), FaceUri::Tcp4(addr)] {
            let mut tries = 0;
            loop {
                match self.fw.listen(uri.clone()).await {
                    Ok(u) => {
                        info!(uri = %u, "NDN listening on the group");
                        bound.push(u);
                        break;
                    }
                    Err(e) if tries + 1 < LISTEN_TRIES => {
                        debug!(%uri, error = %e, "listener not bound yet");
                        tries += 1;
                        tokio::time::sleep(LISTEN_RETRY).await;
                    }
                    Err(e) => {
                        warn!(%uri, error = %e, "cannot listen for NDN on the group; peers' faces to us will fail");
                        break;
                    }
                }
            }
        }
        bound
    }

    async fn drop_group(&mut self, ifname: &str) {
        let Some(g) = self.groups.get_mut(ifname) else { return };
        g.core.handle_input(Instant::now(), Input::GroupDown);
        self.drain(ifname).await;
        if let Some(g) = self.groups.remove(ifname) {
            for uri in g.listeners {
                self.fw.unlisten(uri).await;
            }
        }
    }

    async fn drop_all(&mut self) {
        let names: Vec<String> = self.groups.keys().cloned().collect();
        for n in names {
            self.drop_group(&n).await;
        }
    }

    /// Performs everything group `ifname`'s machine asked for.
    async fn drain(&mut self, ifname: &str) {
        loop {
            let Some(g) = self.groups.get_mut(ifname) else { return };
            let outs: Vec<Output> = std::iter::from_fn(|| g.core.poll_output()).collect();
            if outs.is_empty() {
                return;
            }
            for o in outs {
                self.perform(ifname, o).await;
            }
        }
    }

    async fn perform(&mut self, ifname: &str, o: Output) {
        let Some(g) = self.groups.get(ifname) else { return };
        let epoch = g.epoch;
        let fw = self.fw.clone();
        let tx = self.in_tx.clone();
        let name_of = ifname.to_owned();
        match o {
            Output::Serve { prefix } => {
                let (tx, ifn) = (tx.clone(), name_of.clone());
                let handler = move |i: &Interest, fw: &Forwarder| {
                    let _ = tx.send(Msg::Probe { ifname: ifn.clone(), epoch, name: i.name.clone(), fib: fib_snapshot(fw) });
                    None
                };
                let face = fw.serve(prefix.clone(), handler).await;
                debug!(%prefix, ?face, "serving probes");
                if let Some(g) = self.groups.get_mut(ifname) {
                    g.producer = face;
                }
            }
            Output::Unserve { .. } => {
                if let Some(f) = self.groups.get_mut(ifname).and_then(|g| g.producer.take()) {
                    fw.remove_face(f).await;
                }
            }
            Output::CreateFace { peer, uri } => {
                tokio::spawn(async move {
                    let msg = match fw.add_face(uri.clone()).await {
                        Ok(face) => Msg::FaceCreated { ifname: name_of, epoch, peer, face },
                        Err(reason) => Msg::FaceFailed { ifname: name_of, epoch, peer, reason },
                    };
                    let _ = tx.send(msg);
                });
            }
            Output::DestroyFace { face, .. } => {
                fw.remove_face(face).await;
            }
            Output::AddRoute { prefix, face, cost } => {
                if !fw.add_route(prefix.clone(), face, cost).await {
                    warn!(%prefix, face, "route not added (face gone?)");
                }
            }
            Output::RemoveRoute { prefix, face } => {
                fw.remove_route(prefix, face).await;
            }
            Output::Express { peer, probe, interest } => {
                tokio::spawn(async move {
                    let result = match fw.express(interest).await {
                        Ok(d) => Ok(d.content.unwrap_or_default()),
                        Err(ExpressError::Nack(_)) => Err(ProbeFailure::Nack),
                        Err(ExpressError::Timeout | ExpressError::Stopped) => Err(ProbeFailure::Timeout),
                    };
                    let _ = tx.send(Msg::Result { ifname: name_of, epoch, peer, probe, result });
                });
            }
            Output::Answer { name, content } => match g.producer {
                Some(face) => {
                    if !fw.put(face, Data::new(name, content)).await {
                        debug!("probe answer not taken (producer gone)");
                    }
                }
                None => warn!("probe answer without a producer face"),
            },
            Output::Event(e) => {
                info!(ifname, event = ?e, "NDN event");
                (self.events)(&e);
            }
        }
    }

    async fn answer(&self, request: Request) -> Reply {
        match request {
            Request::NdnPeers => {
                let now = Instant::now();
                let peers: Vec<(&str, Vec<crate::probe::PeerView>)> =
                    self.groups.iter().map(|(n, g)| (n.as_str(), g.core.peers(now))).collect();
                Reply::Text(crate::ctrl::ndn::format_peers(peers.iter().map(|(n, p)| (*n, &p[..]))))
            }
            Request::NdnFib => {
                let fib = self.fw.fib().await;
                let faces = self.fw.faces().await;
                let uri_of = |f: FaceId| faces.iter().find(|(id, _, _)| *id == f).map(|(_, info, _)| info.remote.clone());
                Reply::Text(crate::ctrl::ndn::format_fib(&fib, uri_of))
            }
            _ => Reply::Fail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::Event;
    use std::path::PathBuf;

    fn cfg(tag: &str, port: u16) -> NdnConfig {
        NdnConfig {
            socket: std::env::temp_dir().join(format!("directd-ndn-{tag}-{}.sock", std::process::id())),
            probe: ProbeConfig { interval: Duration::from_millis(500), port, ..ProbeConfig::default() },
            auto: None,
        }
    }

    async fn next_event(rx: &mut mpsc::UnboundedReceiver<Event>) -> Event {
        tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.expect("event in time").expect("event")
    }

    /// Two daemons' NDN sides on loopback addresses (127.0.49.1 as GO, .23 as client):
    /// the client's producer is reached from the GO, peers and FIB read back, and the
    /// group's removal drops the peer and frees the listeners.
    #[tokio::test]
    async fn two_nodes_on_loopback_find_each_other_and_forward() {
        let port = 20000 + (std::process::id() % 20000) as u16;
        let (go_ip, cl_ip) = (Ipv4Addr::new(127, 0, 49, 1), Ipv4Addr::new(127, 0, 49, 23));
        let (go_tx, mut go_ev) = mpsc::unbounded_channel();
        let (cl_tx, mut cl_ev) = mpsc::unbounded_channel();
        let go = start(&cfg("go", port), Box::new(move |e| drop(go_tx.send(e.clone())))).await.expect("go");
        let cl = start(&cfg("cl", port), Box::new(move |e| drop(cl_tx.send(e.clone())))).await.expect("client");
        // The client's application (in-process: a local face, as over the Unix socket).
        cl.forwarder()
            .serve("/hw/data".parse().expect("n"), |i: &Interest, _: &Forwarder| Some(Data::new(i.name.clone(), b"seg".to_vec())))
            .await
            .expect("serve");
        go.group_addressed("p2p-go-0", Role::Owner, go_ip, 24, go_ip);
        cl.group_addressed("p2p-cl-0", Role::Client, cl_ip, 24, go_ip);
        assert_eq!(next_event(&mut cl_ev).await, Event::PeerAdded { ip: go_ip });
        assert_eq!(next_event(&mut go_ev).await, Event::PeerAdded { ip: cl_ip });
        assert_eq!(next_event(&mut go_ev).await, Event::Routes { ip: cl_ip, n: 1 });
        let mut i = Interest::new("/hw/data/seg=0".parse().expect("n"));
        i.lifetime_ms = Some(2000);
        let d = go.forwarder().express(i).await.expect("data through the group");
        assert_eq!(d.content.as_deref(), Some(&b"seg"[..]));
        let Reply::Text(peers) = go.request(Request::NdnPeers).await else { panic!("text") };
        assert!(peers.starts_with("127.0.49.23 ifname=p2p-go-0 role=client face="), "{peers}");
        assert!(peers.contains("prefixes=/hw/data"), "{peers}");
        let Reply::Text(fib) = go.request(Request::NdnFib).await else { panic!("text") };
        assert!(fib.lines().any(|l| l.starts_with("/hw/data nexthops={faceid=") && l.contains(&format!("udp4://127.0.49.23:{port}"))), "{fib}");
        assert_eq!(go.request(Request::Ping).await, Reply::Fail);
        // The group goes: its peer is dropped at once and the listener is free again.
        go.group_gone("p2p-go-0");
        assert_eq!(next_event(&mut go_ev).await, Event::PeerRemoved { ip: cl_ip, reason: crate::probe::RemoveReason::GroupRemoved });
        let Reply::Text(peers) = go.request(Request::NdnPeers).await else { panic!("text") };
        assert_eq!(peers, "");
        assert!(std::net::UdpSocket::bind((go_ip, port)).is_ok(), "listener released");
        // Without the GO's answers, the client drops it after the timeouts (500 ms apart).
        let mut removed = None;
        while removed.is_none() {
            if let Event::PeerRemoved { ip, reason } = next_event(&mut cl_ev).await {
                removed = Some((ip, reason));
            }
        }
        assert_eq!(removed, Some((go_ip, crate::probe::RemoveReason::Timeout)));
        let sock: PathBuf = cfg("go", port).socket;
        go.shutdown().await;
        cl.shutdown().await;
        assert!(!sock.exists(), "socket removed");
    }

    /// The Android app's stand-in (hwtests/lib/ndn-app.py, python-ndn) against a GO that
    /// answers in the app's format, on loopback. Needs python-ndn 0.5.2:
    /// `cargo test -p directd --lib driver::ndn -- --ignored`.
    #[tokio::test]
    #[ignore = "needs python3 with python-ndn (pip install -r ndn/interop/requirements.txt)"]
    async fn the_apps_stand_in_is_learnt_and_reached() {
        let (go_ip, app_ip) = (Ipv4Addr::new(127, 0, 49, 1), Ipv4Addr::new(127, 0, 49, 77));
        let (tx, mut ev) = mpsc::unbounded_channel();
        let mut c = cfg("standin", crate::probe::core::NDN_PORT);
        c.probe.format = crate::probe::AnswerFormat::App;
        c.probe.interval = Duration::from_secs(1);
        let go = start(&c, Box::new(move |e| drop(tx.send(e.clone())))).await.expect("go");
        go.group_addressed("p2p-go-0", Role::Owner, go_ip, 24, go_ip);
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/hwtests/lib/ndn-app.py");
        let child = std::process::Command::new("python3")
            .args([script, "standin", &app_ip.to_string(), &go_ip.to_string(), "/app/data", "1"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3");
        // Killed even when an assertion below fails.
        struct Kill(Option<std::process::Child>);
        impl Drop for Kill {
            fn drop(&mut self) {
                if let Some(c) = self.0.as_mut() {
                    let _ = c.kill();
                    let _ = c.wait();
                }
            }
        }
        let mut guard = Kill(Some(child));
        assert_eq!(next_event(&mut ev).await, Event::PeerAdded { ip: app_ip });
        assert_eq!(next_event(&mut ev).await, Event::Routes { ip: app_ip, n: 1 });
        let mut i = Interest::new("/app/data/x".parse().expect("n"));
        i.lifetime_ms = Some(2000);
        let d = go.forwarder().express(i).await.expect("data from the stand-in");
        assert_eq!(d.content.as_deref(), Some(&b"from the app stand-in"[..]));
        let mut child = guard.0.take().expect("child");
        let _ = child.kill();
        let out = child.wait_with_output().expect("output");
        let out = String::from_utf8_lossy(&out.stdout);
        // It parsed our app-format answer strictly.
        assert!(out.lines().any(|l| l.starts_with("ANSWER /localhop/wifidirect/127.0.49.1/127.0.49.77/probe")), "{out}");
        assert!(!out.contains("ERROR"), "{out}");
        go.shutdown().await;
    }
}
