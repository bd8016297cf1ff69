//! Transports and the async runtime around the sans-IO core (the only tokio code here).
//!
//! One task (the forwarding core) owns the [`Forwarder`]; stream socket tasks feed it
//! through a bounded channel and it writes back through per-face queues. UDP sockets are
//! read and written by the core itself, many datagrams per system call (`recvmmsg`;
//! GSO or `sendmmsg`: module `udp`). The in-process API ([`Handle`]) talks to the same task.

mod api;
mod transport;
mod udp;

pub use api::{ExpressError, Handle, InterestHandler};

use crate::fw::{Config, Counters, FaceInfo, FaceUri, Forwarder, Output};
use crate::packet::{Data, Interest};
use crate::table::FaceId;
use api::{AppFace, Command, Pending};
use std::collections::HashMap;
use std::net::{SocketAddr, SocketAddrV4};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::net::{TcpListener, UdpSocket, UnixListener};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
pub use transport::MAX_PACKET;
use transport::NewStream;

/// What the runtime listens on.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    pub fw: Config,
    /// Unix stream socket for local applications (NFD's is /run/nfd/nfd.sock).
    pub unix: Option<PathBuf>,
    /// `tcp4://` and `udp4://` listeners (port 0 picks a free port).
    pub listen: Vec<FaceUri>,
    /// On-demand UDP faces (made by a first datagram) close after this much silence.
    pub udp_idle_timeout: Duration,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig { fw: Config::default(), unix: None, listen: Vec::new(), udp_idle_timeout: UDP_IDLE_TIMEOUT }
    }
}

/// A running forwarder: its handle, the addresses it actually bound, and its core task.
pub struct Running {
    pub handle: Handle,
    pub bound: Vec<FaceUri>,
    pub task: JoinHandle<()>,
}

pub(crate) enum Event {
    Packets { face: FaceId, packets: Vec<Vec<u8>> },
    Accepted { info: FaceInfo, stream: NewStream },
    Connected { face: FaceId, stream: NewStream, local: Option<FaceUri> },
    ConnectFailed { face: FaceId, why: String },
    Closed { face: FaceId },
}

enum Tx {
    Stream(transport::StreamTx),
    /// `last_seen` is None for faces that never expire (created on request).
    Udp { socket: usize, peer: SocketAddr, last_seen: Option<Instant> },
    App(AppFace),
    /// A TCP face still connecting.
    Connecting,
}

/// Who asked for a face being connected: management (answered by the core) or the API.
enum Opener {
    Mgmt,
    Api(tokio::sync::oneshot::Sender<Result<FaceId, String>>),
}

struct Core {
    fw: Forwarder,
    events_tx: mpsc::Sender<Event>,
    faces: HashMap<FaceId, Tx>,
    /// UDP sockets by index (None once unlistened; indices stay stable for `udp_faces`).
    udp: Vec<Option<Arc<UdpSocket>>>,
    /// Running TCP accept tasks by the address they bound.
    tcp_listeners: HashMap<SocketAddr, JoinHandle<()>>,
    /// The receive slots for every UDP socket (made with the first one).
    udp_rx: Option<udp::RecvBatch>,
    /// Datagrams waiting for the end of a flush, by UDP socket index.
    udp_out: Vec<Vec<(SocketAddr, Vec<u8>)>>,
    /// Whether each UDP socket still sends with GSO (off once the kernel refuses it).
    udp_gso: Vec<bool>,
    udp_faces: HashMap<(usize, SocketAddr), FaceId>,
    openers: HashMap<FaceId, Opener>,
    consumer: FaceId,
    pending: Vec<Pending>,
    nonce: u64,
    tasks: Vec<JoinHandle<()>>,
    unix_path: Option<PathBuf>,
    next_sweep: Instant,
    udp_idle: Duration,
}

/// Datagrams one wake-up reads from a UDP socket before the core turns to other work.
const UDP_DRAIN: usize = 256;

/// NFD's default idle timeout for on-demand UDP faces.
pub const UDP_IDLE_TIMEOUT: Duration = Duration::from_secs(600);

fn unix_ms() -> u64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Removes a Unix socket file left behind by a previous run (nobody accepts on it).
async fn clear_stale_socket(path: &std::path::Path) -> std::io::Result<()> {
    if path.exists() {
        if tokio::net::UnixStream::connect(path).await.is_ok() {
            return Err(std::io::Error::new(std::io::ErrorKind::AddrInUse, format!("{} is in use", path.display())));
        }
        std::fs::remove_file(path)?;
    }
    Ok(())
}

/// Binds every listener, then spawns the core task. Call inside a tokio runtime.
pub async fn start(cfg: RuntimeConfig) -> std::io::Result<Running> {
    let (events_tx, mut events_rx) = mpsc::channel::<Event>(1024);
    let (cmd_tx, mut cmd_rx) = mpsc::unbounded_channel::<Command>();
    let mut fw_cfg = cfg.fw.clone();
    if fw_cfg.unix_ms_at_start == 0 {
        fw_cfg.unix_ms_at_start = unix_ms();
    }
    let mut fw = Forwarder::new(fw_cfg);
    let consumer = fw.add_face(FaceInfo::new(FaceUri::App("consumer".into()), FaceUri::Internal));
    let mut core = Core {
        fw,
        events_tx: events_tx.clone(),
        faces: HashMap::new(),
        udp: Vec::new(),
        tcp_listeners: HashMap::new(),
        udp_rx: None,
        udp_out: Vec::new(),
        udp_gso: Vec::new(),
        udp_faces: HashMap::new(),
        openers: HashMap::new(),
        consumer,
        pending: Vec::new(),
        nonce: unix_ms() ^ 0x5DEE_CE66_D1CE_4E5B,
        tasks: Vec::new(),
        unix_path: None,
        next_sweep: Instant::now() + cfg.udp_idle_timeout / 4,
        udp_idle: cfg.udp_idle_timeout,
    };
    core.faces.insert(consumer, Tx::App(AppFace::Consumer));
    let mut bound = Vec::new();
    if let Some(path) = &cfg.unix {
        clear_stale_socket(path).await?;
        let l = UnixListener::bind(path)?;
        // Any local user may attach, as with NFD's socket.
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o666))?;
        core.unix_path = Some(path.clone());
        core.tasks.push(tokio::spawn(transport::accept_unix(l, path.clone(), events_tx.clone())));
        bound.push(FaceUri::Unix(path.clone()));
    }
    for uri in &cfg.listen {
        bound.push(core.listen(uri).await?);
    }
    let task = tokio::spawn(async move {
        loop {
            let deadline = core.next_deadline();
            let sleep = async {
                match deadline {
                    Some(t) => tokio::time::sleep_until(tokio::time::Instant::from_std(t)).await,
                    None => std::future::pending().await,
                }
            };
            // UDP sockets are read by the core itself: no task hop, no copy per datagram.
            let udp = core.udp.clone();
            let udp_ready = std::future::poll_fn(|cx| {
                for (i, s) in udp.iter().enumerate() {
                    if s.as_ref().is_some_and(|s| s.poll_recv_ready(cx).is_ready()) {
                        return std::task::Poll::Ready(i);
                    }
                }
                std::task::Poll::Pending
            });
            tokio::select! {
                cmd = cmd_rx.recv() => match cmd {
                    Some(Command::Shutdown) | None => break,
                    Some(Command::Listen { uri, reply }) => {
                        let _ = reply.send(core.listen(&uri).await.map_err(|e| format!("cannot listen on {uri}: {e}")));
                    }
                    Some(cmd) => core.on_command(cmd),
                },
                ev = events_rx.recv() => {
                    let Some(ev) = ev else { break };
                    core.on_event(ev);
                    // Take what else is queued before flushing, so writes coalesce.
                    for _ in 0..64 {
                        match events_rx.try_recv() {
                            Ok(ev) => core.on_event(ev),
                            Err(_) => break,
                        }
                    }
                }
                i = udp_ready => core.drain_udp(i),
                () = sleep => core.on_timeout(),
            }
            core.flush();
        }
        core.shutdown();
    });
    Ok(Running { handle: Handle::new(cmd_tx), bound, task })
}

impl Core {
    fn add_udp_socket(&mut self, s: UdpSocket) -> usize {
        self.udp.push(Some(Arc::new(s)));
        self.udp_gso.push(true);
        self.udp.len() - 1
    }

    fn udp_socket(&self, i: usize) -> Option<&Arc<UdpSocket>> {
        self.udp.get(i).and_then(Option::as_ref)
    }

    /// Binds a `tcp4://` or `udp4://` listener; returns the address bound.
    async fn listen(&mut self, uri: &FaceUri) -> std::io::Result<FaceUri> {
        match uri {
            FaceUri::Tcp4(a) => {
                let l = TcpListener::bind(a).await?;
                let bound = match l.local_addr()? {
                    SocketAddr::V4(a) => a,
                    SocketAddr::V6(_) => return Err(std::io::Error::other("bound an IPv6 address")),
                };
                let task = tokio::spawn(transport::accept_tcp(l, self.events_tx.clone()));
                self.tcp_listeners.insert(SocketAddr::V4(bound), task);
                Ok(FaceUri::Tcp4(bound))
            }
            FaceUri::Udp4(a) => {
                let s = UdpSocket::bind(a).await?;
                let bound = match s.local_addr()? {
                    SocketAddr::V4(a) => a,
                    SocketAddr::V6(_) => return Err(std::io::Error::other("bound an IPv6 address")),
                };
                self.add_udp_socket(s);
                Ok(FaceUri::Udp4(bound))
            }
            other => Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("cannot listen on {other}"))),
        }
    }

    /// Stops a listener by the address it bound; a UDP listener's faces close with it.
    fn unlisten(&mut self, uri: &FaceUri) -> bool {
        match uri {
            FaceUri::Tcp4(a) => match self.tcp_listeners.remove(&SocketAddr::V4(*a)) {
                Some(task) => {
                    task.abort();
                    true
                }
                None => false,
            },
            FaceUri::Udp4(a) => {
                let want = SocketAddr::V4(*a);
                let Some(i) = self.udp.iter().position(|s| s.as_ref().is_some_and(|s| s.local_addr().ok() == Some(want)))
                else {
                    return false;
                };
                self.udp[i] = None;
                let faces: Vec<FaceId> = self.udp_faces.iter().filter(|((s, _), _)| *s == i).map(|(_, f)| *f).collect();
                for f in faces {
                    self.close(f);
                    self.fw.remove_face(f);
                }
                true
            }
            _ => false,
        }
    }

    /// Reads what is queued on UDP socket `i`, a batch per system call; at most
    /// `UDP_DRAIN` datagrams, so other work is not starved.
    fn drain_udp(&mut self, i: usize) {
        let Some(sock) = self.udp_socket(i).cloned() else { return };
        let mut rx = self.udp_rx.take().unwrap_or_else(|| udp::RecvBatch::new(MAX_PACKET));
        let mut read = 0;
        while read < UDP_DRAIN {
            let Ok(n) = rx.recv(&sock) else { break };
            read += n;
            let now = Instant::now();
            for (from, p) in rx.datagrams() {
                self.on_datagram(i, SocketAddr::V4(from), p, now);
            }
            if n < udp::BATCH {
                break; // likely empty: flush what this produced before reading again
            }
        }
        self.udp_rx = Some(rx);
    }

    fn on_datagram(&mut self, socket: usize, from: SocketAddr, p: &[u8], now: Instant) {
        let face = match self.udp_faces.get(&(socket, from)) {
            Some(f) => *f,
            None => {
                let (SocketAddr::V4(remote), Ok(SocketAddr::V4(local))) = (from, self.udp_socket(socket).map_or(Err(std::io::ErrorKind::NotFound.into()), |s| s.local_addr())) else {
                    return;
                };
                let info = FaceInfo::new(FaceUri::Udp4(remote), FaceUri::Udp4(local))
                    .with_persistency(crate::fw::FacePersistency::OnDemand);
                let f = self.new_face(info, Tx::Udp { socket, peer: from, last_seen: Some(now) });
                self.udp_faces.insert((socket, from), f);
                f
            }
        };
        if let Some(Tx::Udp { last_seen: Some(t), .. }) = self.faces.get_mut(&face) {
            *t = now;
        }
        self.fw.handle_packet(now, face, p);
    }

    fn next_deadline(&self) -> Option<Instant> {
        let p = self.pending.iter().map(|p| p.deadline).min();
        [self.fw.poll_timeout(), p, Some(self.next_sweep)].into_iter().flatten().min()
    }

    fn on_timeout(&mut self) {
        let now = Instant::now();
        self.fw.handle_timeout(now);
        api::expire_pending(&mut self.pending, now);
        if now >= self.next_sweep {
            self.next_sweep = now + self.udp_idle / 4;
            self.expire_idle_udp(now);
        }
    }

    /// On-demand UDP faces (made by a first datagram) go after `udp_idle` of silence.
    fn expire_idle_udp(&mut self, now: Instant) {
        let idle: Vec<FaceId> = self
            .faces
            .iter()
            .filter_map(|(f, tx)| match tx {
                Tx::Udp { last_seen: Some(t), .. } if now.saturating_duration_since(*t) >= self.udp_idle => Some(*f),
                _ => None,
            })
            .collect();
        for f in idle {
            tracing::debug!(face = f, "idle on-demand UDP face closed");
            self.close(f);
            self.fw.remove_face(f);
        }
    }

    fn new_face(&mut self, info: FaceInfo, tx: Tx) -> FaceId {
        let id = self.fw.add_face(info);
        self.faces.insert(id, tx);
        id
    }

    fn on_event(&mut self, ev: Event) {
        let now = Instant::now();
        match ev {
            Event::Packets { face, packets } => {
                for p in packets {
                    self.fw.handle_packet(now, face, &p);
                }
            }
            Event::Accepted { info, stream } => {
                let id = self.fw.add_face(info);
                let tx = stream.attach(id, self.events_tx.clone());
                self.faces.insert(id, Tx::Stream(tx));
                tracing::debug!(face = id, "accepted");
            }
            Event::Connected { face, stream, local } => {
                if !matches!(self.faces.get(&face), Some(Tx::Connecting)) {
                    return; // destroyed meanwhile
                }
                let tx = stream.attach(face, self.events_tx.clone());
                self.faces.insert(face, Tx::Stream(tx));
                self.fw.face_up(now, face, local);
                if let Some(Opener::Api(reply)) = self.openers.remove(&face) {
                    let _ = reply.send(Ok(face));
                }
            }
            Event::ConnectFailed { face, why } => {
                self.faces.remove(&face);
                match self.openers.remove(&face) {
                    Some(Opener::Api(reply)) => {
                        self.fw.remove_face(face);
                        let _ = reply.send(Err(why));
                    }
                    _ => self.fw.face_failed(now, face, &why),
                }
            }
            Event::Closed { face } => {
                tracing::debug!(face, "closed");
                self.faces.remove(&face);
                self.fw.remove_face(face);
            }
        }
    }

    /// Opens a face towards `remote` (faces/create or the API).
    fn open(&mut self, face: FaceId, remote: FaceUri, opener: Opener) {
        match remote {
            FaceUri::Tcp4(addr) => {
                self.faces.insert(face, Tx::Connecting);
                self.openers.insert(face, opener);
                tokio::spawn(transport::connect_tcp(face, addr, self.events_tx.clone()));
            }
            FaceUri::Udp4(addr) => {
                let socket = match self.udp_for(addr) {
                    Some(i) => i,
                    None => match std::net::UdpSocket::bind("0.0.0.0:0").and_then(|s| {
                        s.set_nonblocking(true)?;
                        UdpSocket::from_std(s)
                    }) {
                        Ok(s) => self.add_udp_socket(s),
                        Err(e) => return self.open_failed(face, opener, e.to_string()),
                    },
                };
                let peer = SocketAddr::V4(addr);
                self.faces.insert(face, Tx::Udp { socket, peer, last_seen: None });
                self.udp_faces.insert((socket, peer), face);
                let local = self.udp_socket(socket).and_then(|s| s.local_addr().ok()).and_then(|a| match a {
                    SocketAddr::V4(a) => Some(FaceUri::Udp4(a)),
                    SocketAddr::V6(_) => None,
                });
                match opener {
                    Opener::Api(reply) => {
                        self.fw.face_up(Instant::now(), face, local);
                        let _ = reply.send(Ok(face));
                    }
                    Opener::Mgmt => self.fw.face_up(Instant::now(), face, local),
                }
            }
            other => self.open_failed(face, opener, format!("cannot open {other}")),
        }
    }

    /// The UDP socket a face to `remote` sends from: the listener on the address the
    /// kernel would route from (so the peer sees our listening port and its replies reach
    /// the same face), else one on the wildcard address, else none (a new ephemeral one).
    fn udp_for(&self, remote: SocketAddrV4) -> Option<usize> {
        let source = std::net::UdpSocket::bind("0.0.0.0:0")
            .and_then(|s| {
                s.connect(remote)?;
                s.local_addr()
            })
            .ok()
            .map(|a| a.ip());
        let local = |i: usize| self.udp_socket(i).and_then(|s| s.local_addr().ok()).map(|a| a.ip());
        let n = self.udp.len();
        (0..n)
            .find(|i| source.is_some() && local(*i) == source)
            .or_else(|| (0..n).find(|i| local(*i).is_some_and(|ip| ip.is_unspecified())))
    }

    fn open_failed(&mut self, face: FaceId, opener: Opener, why: String) {
        match opener {
            Opener::Api(reply) => {
                self.fw.remove_face(face);
                let _ = reply.send(Err(why));
            }
            Opener::Mgmt => self.fw.face_failed(Instant::now(), face, &why),
        }
    }

    fn close(&mut self, face: FaceId) {
        if let Some(Tx::Udp { socket, peer, .. }) = self.faces.remove(&face) {
            self.udp_faces.remove(&(socket, peer));
        }
        self.openers.remove(&face);
    }

    /// Carries out everything the core asked for.
    fn flush(&mut self) {
        while let Some(o) = self.fw.poll_output() {
            match o {
                Output::Send { face, packet } => match self.faces.get_mut(&face) {
                    Some(Tx::Stream(tx)) => {
                        if !tx.send(packet) {
                            tracing::trace!(face, "stream queue full: packet dropped");
                        }
                    }
                    Some(Tx::Udp { socket, peer, .. }) => {
                        let (socket, peer) = (*socket, *peer);
                        if self.udp_out.len() <= socket {
                            self.udp_out.resize_with(socket + 1, Vec::new);
                        }
                        self.udp_out[socket].push((peer, packet));
                    }
                    Some(Tx::App(AppFace::Consumer)) => api::deliver_to_consumer(&mut self.pending, &packet),
                    Some(Tx::App(AppFace::Producer(h))) => {
                        let reply = api::run_handler(h, &self.fw, &packet);
                        if let Some(d) = reply {
                            self.fw.handle_packet(Instant::now(), face, &d);
                        }
                    }
                    Some(Tx::Connecting) | None => {}
                },
                Output::OpenFace { face, remote } => self.open(face, remote, Opener::Mgmt),
                Output::CloseFace { face } => self.close(face),
            }
        }
        self.send_udp();
    }

    /// Sends the datagrams the flush queued, a batch per system call for each socket.
    fn send_udp(&mut self) {
        for (i, out) in self.udp_out.iter_mut().enumerate() {
            if out.is_empty() {
                continue;
            }
            match (self.udp.get(i).and_then(Option::as_ref), self.udp_gso.get_mut(i)) {
                (Some(sock), Some(gso)) => {
                    udp::send_batch(sock, out, gso, |to, e| tracing::trace!(%to, error = %e, "udp send dropped"));
                }
                _ => tracing::trace!(n = out.len(), "udp send dropped: listener closed"),
            }
            out.clear();
        }
    }

    fn on_command(&mut self, cmd: Command) {
        let now = Instant::now();
        match cmd {
            Command::AddFace { remote, reply } => {
                let local = FaceUri::Internal;
                let id = self.fw.add_face(FaceInfo::new(remote.clone(), local));
                self.open(id, remote, Opener::Api(reply));
            }
            Command::RemoveFace { face, reply } => {
                self.close(face);
                let _ = reply.send(self.fw.remove_face(face));
            }
            Command::AddRoute { prefix, face, cost, reply } => {
                let _ = reply.send(self.fw.add_route(&prefix, face, cost, crate::fw::origin::STATIC));
            }
            Command::RemoveRoute { prefix, face, reply } => {
                let _ = reply.send(self.fw.remove_route(&prefix, face, crate::fw::origin::STATIC));
            }
            Command::Serve { prefix, handler, reply } => {
                let info = FaceInfo::new(FaceUri::App(format!("serve{prefix}")), FaceUri::Internal);
                let id = self.new_face(info, Tx::App(AppFace::Producer(handler)));
                self.fw.add_route(&prefix, id, 0, crate::fw::origin::APP);
                let _ = reply.send(id);
            }
            Command::Express { mut interest, reply } => {
                if interest.nonce.is_none() {
                    self.nonce ^= self.nonce << 13;
                    self.nonce ^= self.nonce >> 7;
                    self.nonce ^= self.nonce << 17;
                    interest.nonce = Some(self.nonce as u32);
                }
                let wire = interest.encode();
                let deadline = now + interest.lifetime();
                // Re-decode so the pending Interest carries the parameters digest, if any.
                let interest = Interest::decode(&wire).unwrap_or(interest);
                self.pending.push(Pending { interest, deadline, reply });
                self.fw.handle_packet(now, self.consumer, &wire);
            }
            Command::Put { face, data, reply } => {
                let ok = matches!(self.faces.get(&face), Some(Tx::App(AppFace::Producer(_))));
                if ok {
                    self.fw.handle_packet(now, face, &finish_data(data));
                }
                let _ = reply.send(ok);
            }
            Command::Unlisten { uri, reply } => {
                let _ = reply.send(self.unlisten(&uri));
            }
            // Handled in the loop (binding is async).
            Command::Listen { reply, .. } => {
                let _ = reply.send(Err("internal: listen reached on_command".into()));
            }
            Command::Faces { reply } => {
                let v = self.fw.face_ids().into_iter().filter_map(|f| Some((f, self.fw.face_info(f)?.clone(), self.fw.face_counters(f)?))).collect();
                let _ = reply.send(v);
            }
            Command::Fib { reply } => {
                let _ = reply.send(self.fw.fib().sorted().into_iter().cloned().collect());
            }
            Command::Counters { reply } => {
                let truncated = self.udp_rx.as_ref().map_or(0, |rx| rx.truncated);
                let _ = reply.send(Counters { truncated, ..self.fw.counters() });
            }
            Command::Shutdown => {}
        }
    }

    fn shutdown(&mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
        for (_, t) in self.tcp_listeners.drain() {
            t.abort();
        }
        api::fail_all(&mut self.pending);
        if let Some(p) = self.unix_path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Signs (DigestSha256, unless already signed) and encodes a handler's Data.
pub(crate) fn finish_data(mut d: Data) -> Vec<u8> {
    if d.sig_value.is_empty() { d.sign_digest_sha256_and_encode() } else { d.encode() }
}
