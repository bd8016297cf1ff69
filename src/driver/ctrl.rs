//! The control socket server: one Unix datagram socket `<dir>/<ifname>` per interface, with
//! the behaviour of wpa_supplicant's `ctrl_iface_unix.c`. The socket I/O is here; which
//! clients are attached and at what level, and what a datagram says, is
//! [`crate::ctrl::monitors`] (no I/O).
//!
//! # Use
//!
//! [`CtrlServer::bind`] (inside a tokio runtime) creates the directory if needed (mode 0770),
//! replaces a stale socket file left by a killed process, refuses to steal the socket of a live
//! daemon ([`CtrlError::AlreadyServed`]), and binds. The socket file is removed when the server
//! and every [`EventSender`]/[`Command`] derived from it are dropped, or at once by
//! [`CtrlServer::close`].
//!
//! [`CtrlServer::recv`] (or [`CtrlServer::poll_recv`]; `CtrlServer` is also a
//! [`futures::Stream`], so an agent with one P2P-device socket plus one per group interface can
//! put them all in a `futures::stream::SelectAll`, or `select!` over them) yields:
//! - [`Incoming::Command`]: a parsed request (or its [`ParseError`]) with the means to answer
//!   it: [`Command::reply`]. A command may be answered later (it can be stored); one dropped
//!   unanswered is answered `FAIL\n` so that the client does not wait 10 s.
//!   [`Command::triage`] answers parse errors and unknown commands itself.
//! - [`Incoming::Attached`] / [`Incoming::Detached`]: `ATTACH` / `DETACH` were already
//!   answered `OK\n`; this only tells the agent (e.g. to send a status event to a new monitor).
//!
//! `LEVEL n` is handled inside. Oversized requests (more than [`MAX_REQUEST_LEN`] bytes) are
//! answered `FAIL\n` and logged (wpa_supplicant drops them silently; a reply is friendlier and
//! harmless). Requests from an unbound client socket cannot be answered and are logged.
//!
//! Events go to every attached client whose level is at most the event's level, via
//! [`EventSender::send`] (synchronous, non-blocking: it never waits for a slow client). A
//! client whose socket is gone (`ECONNREFUSED`, `ENOENT`, `EPERM`) or that failed more than 10
//! times in a row is detached, as wpa_supplicant does.
//!
//! [`CtrlServer::bind_global`] binds a global socket (`wpa_cli -g <path>`): requests carry an
//! optional `IFNAME=<if> ` prefix ([`Command::ifname_prefix`]) and events go out with one
//! through [`EventSender::send_for`].

use std::io;
use std::os::fd::AsFd;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
use std::os::unix::net::{SocketAddr as StdSocketAddr, UnixDatagram as StdUnixDatagram};
use std::path::{Path, PathBuf};
use std::pin::Pin as StdPin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, ready};

use tokio::io::ReadBuf;
use tokio::net::UnixDatagram;

use crate::ctrl::event::{Event, MsgLevel, frame};
use crate::ctrl::monitors::{Datagram, MonitorRequest, Monitors, SendFailure};
pub use crate::ctrl::monitors::ClientAddr;
use crate::ctrl::reply::Reply;
use crate::ctrl::request::{MAX_REQUEST_LEN, ParseError, Request};

/// Receive buffer: one byte more than the largest valid request, so that an oversized
/// datagram is recognised (the kernel truncates it to the buffer).
const RECV_BUF_LEN: usize = MAX_REQUEST_LEN + 1;

/// `sun_path` holds 108 bytes including the terminating NUL.
const SUN_PATH_MAX: usize = 107;

/// Errors of [`CtrlServer::bind`].
#[derive(Debug, thiserror::Error)]
pub enum CtrlError {
    #[error("invalid control interface name {0:?}")]
    InvalidIfname(String),
    #[error("control socket path {} is longer than {SUN_PATH_MAX} bytes", .0.display())]
    PathTooLong(PathBuf),
    #[error("cannot create control directory {}: {source}", path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot give {} to group {gid} (mode 0770): {source}", path.display())]
    Group { path: PathBuf, gid: u32, source: io::Error },
    #[error("another daemon is serving {}", path.display())]
    AlreadyServed { path: PathBuf },
    #[error("{} exists and is not a socket", path.display())]
    NotASocket { path: PathBuf },
    #[error("cannot remove stale control socket {}: {source}", path.display())]
    RemoveStale { path: PathBuf, source: io::Error },
    #[error("cannot bind control socket {}: {source}", path.display())]
    Bind { path: PathBuf, source: io::Error },
    #[error("the control server must be created inside a tokio runtime")]
    NoRuntime,
}

/// Conversions between the socket addresses and [`ClientAddr`].
struct AddrConv;

impl AddrConv {
    fn from_tokio(a: &tokio::net::unix::SocketAddr) -> Option<ClientAddr> {
        if let Some(p) = a.as_pathname() {
            return Some(ClientAddr::Path(p.to_owned()));
        }
        let std_addr: StdSocketAddr = a.clone().into();
        std_addr
            .as_abstract_name()
            .map(|n| ClientAddr::Abstract(n.to_vec()))
    }

    fn to_std(a: &ClientAddr) -> io::Result<StdSocketAddr> {
        match a {
            ClientAddr::Path(p) => StdSocketAddr::from_pathname(p),
            ClientAddr::Abstract(n) => StdSocketAddr::from_abstract_name(n),
        }
    }
}

struct Shared {
    /// Receives requests (registered with tokio).
    rx: UnixDatagram,
    /// A dup of the same socket for synchronous non-blocking sends to any address.
    tx: StdUnixDatagram,
    path: PathBuf,
    ifname: String,
    monitors: Mutex<Monitors>,
    /// Whether the socket file is still ours to remove.
    owns_file: Mutex<bool>,
}

impl Shared {
    fn monitors(&self) -> MutexGuard<'_, Monitors> {
        // A panic while holding the lock cannot leave the list inconsistent; keep going.
        self.monitors.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn send_to(&self, to: &ClientAddr, data: &[u8]) -> io::Result<()> {
        let addr = AddrConv::to_std(to)?;
        self.tx.send_to_addr(data, &addr).map(|_| ())
    }

    fn remove_file(&self) {
        let mut owns = self.owns_file.lock().unwrap_or_else(|e| e.into_inner());
        if *owns {
            *owns = false;
            if let Err(e) = std::fs::remove_file(&self.path)
                && e.kind() != io::ErrorKind::NotFound
            {
                tracing::warn!(path = %self.path.display(), error = %e, "cannot remove control socket");
            }
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.remove_file();
    }
}

/// What [`CtrlServer::recv`] yields.
#[derive(Debug)]
pub enum Incoming {
    /// A request to answer.
    Command(Command),
    /// A client attached (already answered `OK`).
    Attached {
        interface: String,
        client: ClientAddr,
    },
    /// A client detached (already answered `OK`).
    Detached {
        interface: String,
        client: ClientAddr,
    },
}

impl Incoming {
    /// The interface name of the socket this came in on (tells the sockets apart when one
    /// loop serves several).
    pub fn interface(&self) -> &str {
        match self {
            Incoming::Command(c) => c.interface(),
            Incoming::Attached { interface, .. } | Incoming::Detached { interface, .. } => {
                interface
            }
        }
    }
}

/// A received request and the means to answer it (once).
pub struct Command {
    request: Result<Request, ParseError>,
    ifname_prefix: Option<String>,
    replier: Replier,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command")
            .field("request", &self.request)
            .field("ifname_prefix", &self.ifname_prefix)
            .field("from", &self.replier.to)
            .finish()
    }
}

impl Command {
    /// The parsed request, or why it could not be parsed.
    pub fn request(&self) -> Result<&Request, &ParseError> {
        self.request.as_ref()
    }

    /// The `IFNAME=<if>` prefix the request carried, if any.
    pub fn ifname_prefix(&self) -> Option<&str> {
        self.ifname_prefix.as_deref()
    }

    /// The client that sent it.
    pub fn client(&self) -> &ClientAddr {
        &self.replier.to
    }

    /// The interface name of the socket it came in on.
    pub fn interface(&self) -> &str {
        &self.replier.shared.ifname
    }

    /// Sends the reply.
    pub fn reply(self, reply: &Reply) {
        self.replier.reply(reply);
    }

    /// Sends a reply given as text.
    pub fn reply_text(self, text: &str) {
        self.replier.reply_text(text);
    }

    /// Splits into the request and a [`Replier`] to answer later.
    pub fn into_parts(self) -> (Result<Request, ParseError>, Replier) {
        (self.request, self.replier)
    }

    /// Answers what needs no agent: a parse error (`FAIL\n` or `FAIL-INVALID-PIN\n`; the
    /// server already logged its reason when it received it) and an unknown command
    /// (`UNKNOWN COMMAND\n`). Returns the request otherwise.
    pub fn triage(self) -> Option<(Request, Replier)> {
        match self.request {
            Err(e) => {
                self.replier.reply_text(e.reply());
                None
            }
            Ok(Request::Unknown { command }) => {
                tracing::debug!(ifname = %self.replier.shared.ifname, %command, "unknown control command");
                self.replier.reply(&Reply::UnknownCommand);
                None
            }
            Ok(r) => Some((r, self.replier)),
        }
    }
}

/// Answers one request. Dropping it unanswered sends `FAIL\n`.
pub struct Replier {
    shared: Arc<Shared>,
    to: ClientAddr,
    done: bool,
}

impl Replier {
    /// The client to answer.
    pub fn client(&self) -> &ClientAddr {
        &self.to
    }

    /// Sends the reply.
    pub fn reply(self, reply: &Reply) {
        self.reply_text(&reply.to_text());
    }

    /// Sends a reply given as text.
    pub fn reply_text(mut self, text: &str) {
        self.done = true;
        self.send(text.as_bytes());
    }

    fn send(&self, data: &[u8]) {
        if let Err(e) = self.shared.send_to(&self.to, data) {
            // The client gave up (timeout, exit) or its queue is full; nothing to retry.
            tracing::debug!(ifname = %self.shared.ifname, client = %self.to, error = %e, "cannot send control reply");
        }
    }
}

impl Drop for Replier {
    fn drop(&mut self) {
        if !self.done {
            tracing::warn!(ifname = %self.shared.ifname, client = %self.to, "control request dropped unanswered; sending FAIL");
            self.send(b"FAIL\n");
        }
    }
}

/// Sends events to the attached clients of one socket. Cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct EventSender {
    shared: Arc<Shared>,
}

impl EventSender {
    /// Sends `event` at `level` to every attached client whose level allows it; returns how
    /// many clients it was delivered to.
    pub fn send(&self, level: MsgLevel, event: &Event) -> usize {
        self.send_text(level, &event.to_string())
    }

    /// Sends an event given as text (without the `<level>` prefix).
    pub fn send_text(&self, level: MsgLevel, text: &str) -> usize {
        self.send_datagram(level, &frame(level, None, text))
    }

    /// On a global socket: sends `event` of interface `ifname`, prefixed `IFNAME=<ifname> `.
    pub fn send_for(&self, ifname: &str, level: MsgLevel, event: &Event) -> usize {
        self.send_datagram(level, &frame(level, Some(ifname), &event.to_string()))
    }

    fn send_datagram(&self, level: MsgLevel, datagram: &str) -> usize {
        let shared = &self.shared;
        shared.monitors().deliver(level, |to| {
            shared.send_to(to, datagram.as_bytes()).map_err(|e| {
                tracing::debug!(ifname = %shared.ifname, client = %to, error = %e, "cannot send event to control monitor");
                match e.raw_os_error() {
                    Some(libc::ECONNREFUSED) | Some(libc::ENOENT) | Some(libc::EPERM) => SendFailure::Gone,
                    _ => SendFailure::Other,
                }
            })
        })
    }

    /// Number of attached clients.
    pub fn attached_count(&self) -> usize {
        self.shared.monitors().len()
    }
}

/// A control socket `<dir>/<ifname>`. See the module documentation.
pub struct CtrlServer {
    shared: Arc<Shared>,
    buf: Box<[u8]>,
}

fn io_errno(e: &io::Error) -> Option<i32> {
    e.raw_os_error()
}

impl CtrlServer {
    /// Creates `dir` if needed (mode 0770), replaces a stale socket file, binds
    /// `<dir>/<ifname>` (mode 0770). Must be called within a tokio runtime.
    pub fn bind(dir: &Path, ifname: &str) -> Result<CtrlServer, CtrlError> {
        Self::bind_with_group(dir, ifname, None)
    }

    /// [`bind`](Self::bind), with the directory and the socket file given to group `gid`
    /// (wpa_supplicant's `ctrl_interface_group`): as there, an existing directory is then
    /// changed to that group and mode 0770 too, so that the group's members (and no one
    /// else but root) can reach the socket.
    pub fn bind_with_group(dir: &Path, ifname: &str, gid: Option<u32>) -> Result<CtrlServer, CtrlError> {
        if ifname.is_empty()
            || ifname.contains('/')
            || ifname == "."
            || ifname == ".."
            || ifname.contains('\0')
        {
            return Err(CtrlError::InvalidIfname(ifname.to_owned()));
        }
        Self::bind_path(dir, dir.join(ifname), ifname, gid)
    }

    /// Binds a global control socket at `path` (wpa_supplicant's `-g`, used as
    /// `wpa_cli -g <path>`): requests may carry an `IFNAME=<if> ` prefix
    /// ([`Command::ifname_prefix`]) and events are sent with one ([`EventSender::send_for`]).
    /// The parent directory is created if needed (mode 0770).
    pub fn bind_global(path: &Path) -> Result<CtrlServer, CtrlError> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str()))
        else {
            return Err(CtrlError::InvalidIfname(path.display().to_string()));
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        Self::bind_path(dir, path.to_owned(), name, None)
    }

    fn bind_path(dir: &Path, path: PathBuf, ifname: &str, gid: Option<u32>) -> Result<CtrlServer, CtrlError> {
        // tokio would panic registering the socket outside a runtime.
        tokio::runtime::Handle::try_current().map_err(|_| CtrlError::NoRuntime)?;
        if path.as_os_str().len() > SUN_PATH_MAX {
            return Err(CtrlError::PathTooLong(path));
        }
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o770)
                .create(dir)
                .and_then(|()| {
                    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o770))
                })
                .map_err(|source| CtrlError::CreateDir {
                    path: dir.to_owned(),
                    source,
                })?;
        }
        if let Some(gid) = gid {
            std::os::unix::fs::chown(dir, None, Some(gid))
                .and_then(|()| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o770)))
                .map_err(|source| CtrlError::Group { path: dir.to_owned(), gid, source })?;
        }
        let std_sock = match StdUnixDatagram::bind(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                Self::remove_if_stale(&path)?;
                StdUnixDatagram::bind(&path).map_err(|source| CtrlError::Bind {
                    path: path.clone(),
                    source,
                })?
            }
            Err(source) => return Err(CtrlError::Bind { path, source }),
        };
        // From here on the file is ours: make sure it is removed on any error below.
        let cleanup = |source: io::Error| {
            let _ = std::fs::remove_file(&path);
            CtrlError::Bind {
                path: path.clone(),
                source,
            }
        };
        if let Some(gid) = gid {
            std::os::unix::fs::chown(&path, None, Some(gid)).map_err(cleanup)?;
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o770)).map_err(cleanup)?;
        std_sock.set_nonblocking(true).map_err(cleanup)?;
        let tx: StdUnixDatagram = std_sock
            .as_fd()
            .try_clone_to_owned()
            .map_err(cleanup)?
            .into();
        let rx = UnixDatagram::from_std(std_sock).map_err(cleanup)?;
        tracing::info!(path = %path.display(), "control interface listening");
        Ok(CtrlServer {
            shared: Arc::new(Shared {
                rx,
                tx,
                path: path.clone(),
                ifname: ifname.to_owned(),
                monitors: Mutex::new(Monitors::default()),
                owns_file: Mutex::new(true),
            }),
            buf: vec![0u8; RECV_BUF_LEN].into_boxed_slice(),
        })
    }

    /// Removes the group sockets (`<prefix><N>`) a killed daemon left in `dir` that nobody
    /// serves any more, so the directory lists only live interfaces (wpa_cli without `-i`
    /// takes the first socket it finds). Live ones and other files are left alone.
    pub fn remove_stale_group_sockets(dir: &Path, prefix: &str) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let is_group = name.strip_prefix(prefix).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if is_group && let Err(err) = Self::remove_if_stale(&e.path()) {
                tracing::debug!(path = %e.path().display(), "group socket kept: {err}");
            }
        }
    }

    /// `path` exists: remove it if it is a socket nobody listens on (connect gives
    /// ECONNREFUSED), as wpa_supplicant does; fail if a daemon answers.
    fn remove_if_stale(path: &Path) -> Result<(), CtrlError> {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            // Vanished meanwhile: binding again will tell.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(CtrlError::Bind {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        if !meta.file_type().is_socket() {
            return Err(CtrlError::NotASocket {
                path: path.to_owned(),
            });
        }
        let probe = StdUnixDatagram::unbound().map_err(|source| CtrlError::Bind {
            path: path.to_owned(),
            source,
        })?;
        match probe.connect(path) {
            Ok(()) => Err(CtrlError::AlreadyServed {
                path: path.to_owned(),
            }),
            Err(e) if matches!(io_errno(&e), Some(libc::ECONNREFUSED) | Some(libc::ENOENT)) => {
                tracing::warn!(path = %path.display(), "removing stale control socket left by a previous daemon");
                match std::fs::remove_file(path) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                    Err(source) => Err(CtrlError::RemoveStale {
                        path: path.to_owned(),
                        source,
                    }),
                }
            }
            Err(source) => Err(CtrlError::Bind {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// The socket path.
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// The interface name the socket is named for.
    pub fn ifname(&self) -> &str {
        &self.shared.ifname
    }

    /// A handle to send events to this socket's attached clients.
    pub fn event_sender(&self) -> EventSender {
        EventSender {
            shared: self.shared.clone(),
        }
    }

    /// Shorthand for `self.event_sender().send(level, event)`.
    pub fn send_event(&self, level: MsgLevel, event: &Event) -> usize {
        self.event_sender().send(level, event)
    }

    /// Number of attached clients.
    pub fn attached_count(&self) -> usize {
        self.shared.monitors().len()
    }

    /// Removes the socket file now (the socket itself closes when the last handle drops).
    pub fn close(self) {
        self.shared.remove_file();
    }

    /// Waits for the next request or attach/detach.
    ///
    /// Cancel-safe: if the future is dropped before completion no datagram is lost.
    pub async fn recv(&mut self) -> io::Result<Incoming> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Poll form of [`recv`](Self::recv).
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Incoming>> {
        loop {
            let mut rb = ReadBuf::new(&mut self.buf);
            let from = ready!(self.shared.rx.poll_recv_from(cx, &mut rb))?;
            let n = rb.filled().len();
            if let Some(incoming) = self.handle_datagram(n, &from) {
                return Poll::Ready(Ok(incoming));
            }
        }
    }

    fn handle_datagram(
        &mut self,
        n: usize,
        from: &tokio::net::unix::SocketAddr,
    ) -> Option<Incoming> {
        let shared = &self.shared;
        let Some(client) = AddrConv::from_tokio(from) else {
            tracing::warn!(ifname = %shared.ifname, "control request from an unbound socket; cannot reply");
            return None;
        };
        let replier = Replier {
            shared: shared.clone(),
            to: client.clone(),
            done: false,
        };
        let (ifname_prefix, request) = match Datagram::read(&self.buf[..n.min(self.buf.len())], n) {
            Datagram::TooLong => {
                tracing::warn!(ifname = %shared.ifname, %client, "control request longer than {MAX_REQUEST_LEN} bytes; FAIL");
                replier.reply(&Reply::Fail);
                return None;
            }
            Datagram::Request { ifname_prefix, request } => (ifname_prefix, request),
        };
        let handled = match &request {
            Ok(r) => shared.monitors().handle(&client, r),
            Err(_) => None,
        };
        match handled {
            Some(MonitorRequest::Attached) => {
                let ok = shared.send_to(&client, b"OK\n");
                let mut r = replier;
                r.done = true;
                if let Err(e) = ok {
                    tracing::debug!(ifname = %shared.ifname, %client, error = %e, "cannot answer ATTACH; detaching");
                    shared.monitors().remove(&client);
                    return None;
                }
                tracing::debug!(ifname = %shared.ifname, %client, "control monitor attached");
                Some(Incoming::Attached { interface: shared.ifname.clone(), client })
            }
            Some(MonitorRequest::Detached { reply, was_attached }) => {
                replier.reply(&reply);
                was_attached.then(|| Incoming::Detached { interface: shared.ifname.clone(), client })
            }
            Some(MonitorRequest::Level { reply }) => {
                replier.reply(&reply);
                None
            }
            None => {
                match &request {
                    Ok(r) => {
                        tracing::debug!(ifname = %shared.ifname, %client, command = r.command_name(), "control request")
                    }
                    Err(e) => {
                        tracing::info!(ifname = %shared.ifname, %client, error = %e, "malformed control request")
                    }
                }
                Some(Incoming::Command(Command { request, ifname_prefix, replier }))
            }
        }
    }
}

impl futures::Stream for CtrlServer {
    type Item = io::Result<Incoming>;

    fn poll_next(self: StdPin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx).map(Some)
    }
}

#[cfg(test)]
mod tests;
