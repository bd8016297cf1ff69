//! The async nl80211 client: one generic netlink socket (neli's `NlSocket` in tokio's
//! `AsyncFd`), a reader task running [`Dispatch`], and typed wrappers.
//!
//! All requests, registrations (REGISTER_FRAME) and owned objects (SOCKET_OWNER) belong
//! to this one socket, so received frames come back to the same [`Events`] stream.

use crate::ctrl::{self, Family, NL80211_FAMILY_NAME};
use crate::dispatch::{Dispatch, Event, Routed};
use crate::error::Error;
use crate::interface::{self, IfTarget, Interface, NewInterfaceOpts};
use crate::message::Message;
use crate::types::{IfType, McastGroup};
use crate::wiphy::{self, Wiphy};
use neli::consts::socket::{Msg, NlFamily};
use neli::socket::NlSocket;
use neli::utils::Groups;
use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::io::unix::AsyncFd;
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, trace, warn};

/// Receive buffer: larger than any nl80211 datagram (the kernel caps dump skbs at 32 KiB).
const RECV_BUF: usize = 64 * 1024;
/// Socket receive queue asked of the kernel, so bursts of events are not dropped.
const RCVBUF_BYTES: usize = 1 << 20;
/// The multicast groups [`Nl80211::connect`] joins.
const GROUPS: [&str; 4] = ["config", "scan", "mlme", "regulatory"];

type Waiters = HashMap<u32, oneshot::Sender<Result<Vec<Vec<u8>>, Error>>>;

struct Shared {
    sock: AsyncFd<NlSocket>,
    state: Mutex<(Dispatch, Waiters)>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, (Dispatch, Waiters)> {
        // A poisoned lock only means a panic elsewhere; the tables stay consistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct Inner {
    shared: Arc<Shared>,
    family: Family,
    reader: tokio::task::JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

struct AbortOnDrop(Option<tokio::task::JoinHandle<()>>);

impl AbortOnDrop {
    fn disarm(mut self) -> tokio::task::JoinHandle<()> {
        // Always Some: only disarm takes it, and it consumes self.
        self.0.take().unwrap_or_else(|| tokio::spawn(async {}))
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            h.abort();
        }
    }
}

/// A connection to nl80211. Cheap to clone; usable from several tasks at once.
#[derive(Clone)]
pub struct Nl80211 {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Nl80211 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Nl80211").field("family", &self.inner.family.id).finish()
    }
}

/// The stream of events: multicast events of the joined groups and unsolicited unicast
/// messages (received frames, control-port frames). Ends when every [`Nl80211`] handle is
/// dropped or the socket fails.
#[derive(Debug)]
pub struct Events {
    rx: mpsc::UnboundedReceiver<Event>,
}

impl Events {
    /// The next event, or `None` when the client is gone.
    pub async fn next(&mut self) -> Option<Event> {
        self.rx.recv().await
    }

    /// An event already received, without waiting.
    pub fn try_next(&mut self) -> Option<Event> {
        self.rx.try_recv().ok()
    }
}

impl Nl80211 {
    /// Opens the socket (extended ACK on), resolves the nl80211 family and joins the
    /// config, scan, mlme and regulatory multicast groups. Must run inside a tokio runtime.
    pub async fn connect() -> Result<(Nl80211, Events), Error> {
        let sock = NlSocket::connect(NlFamily::Generic, None, Groups::empty())?;
        sock.nonblock()?;
        sock.enable_ext_ack(true)?;
        if let Err(e) = sock.set_recv_buffer_size(RCVBUF_BYTES) {
            debug!("SO_RCVBUF not raised: {e}");
        }
        // `AsyncFd::new` is deprecated because a `T` that does not own its fd could close it
        // while registered; `NlSocket` owns its fd and closes it only on drop, after the
        // `AsyncFd` deregistered it, so the safe constructor is sound here.
        #[allow(deprecated)]
        let sock = AsyncFd::new(sock)?;
        let shared = Arc::new(Shared { sock, state: Mutex::new((Dispatch::new(), HashMap::new())) });
        let (tx, rx) = mpsc::unbounded_channel();
        // Aborts the reader if anything below fails (it would otherwise live forever).
        let reader = AbortOnDrop(Some(tokio::spawn(read_loop(shared.clone(), tx))));

        // Resolve the family through the controller, on the same socket and dispatcher.
        let seq = shared.lock().0.start_request();
        let replies = match raw_request(&shared, seq, ctrl::encode_get_family(NL80211_FAMILY_NAME, seq)).await {
            Ok(r) => r,
            Err(Error::Kernel { errno, .. }) if errno == libc::ENOENT => return Err(Error::NoFamily),
            Err(e) => return Err(e),
        };
        let payload = replies.first().ok_or(Error::UnexpectedReply("controller sent no family"))?;
        let family = ctrl::decode_family(payload)?;
        {
            let mut st = shared.lock();
            st.0.set_family(family.id);
            for (name, id) in &family.groups {
                st.0.add_group(*id, McastGroup::from_name(name));
            }
        }
        let join: Vec<u32> = GROUPS.iter().filter_map(|g| family.group(g)).collect();
        shared.sock.get_ref().add_mcast_membership(Groups::new_groups(&join))?;
        debug!(family = family.id, groups = ?family.groups, "nl80211 resolved");
        let reader = reader.disarm();
        Ok((Nl80211 { inner: Arc::new(Inner { shared, family, reader }) }, Events { rx }))
    }

    /// The resolved family (id, version, multicast groups).
    pub fn family(&self) -> &Family {
        &self.inner.family
    }

    /// Sends `msg` and waits for its completion; returns the reply messages (often none).
    pub async fn request(&self, msg: Message) -> Result<Vec<Message>, Error> {
        self.send(msg, false).await
    }

    /// Sends `msg` now, without waiting: the request is on its way (in order with every
    /// request sent before it) when this returns, and the returned future resolves to its
    /// completion whenever the reply comes; dropping the future just discards the reply.
    /// For a caller that must not wait a round trip per request (a GO answering probe
    /// requests while a flood of frames queues behind each reply).
    pub fn request_detached(&self, msg: Message) -> Result<impl std::future::Future<Output = Result<Vec<Message>, Error>> + use<>, Error> {
        let shared = self.inner.shared.clone();
        let seq = shared.lock().0.start_request();
        trace!(seq, cmd = ?msg.cmd, "nl80211 request (detached)");
        let bytes = msg.encode_request(self.inner.family.id, seq, false);
        let (tx, rx) = oneshot::channel();
        shared.lock().1.insert(seq, tx);
        // Netlink requests to the kernel are handled inside sendmsg: a full socket buffer
        // (EAGAIN) is the only way this does not go out at once, and then it is refused.
        if let Err(e) = shared.sock.get_ref().send(&bytes, Msg::empty()) {
            let mut st = shared.lock();
            st.0.cancel(seq);
            st.1.remove(&seq);
            return Err(e.into());
        }
        Ok(async move {
            let replies = rx.await.map_err(|_| Error::Closed)??;
            replies.iter().map(|p| Message::decode_payload(p).map_err(Error::from)).collect()
        })
    }

    /// Sends `msg` as a dump request (`NLM_F_DUMP`) and returns every message of the dump.
    pub async fn dump(&self, msg: Message) -> Result<Vec<Message>, Error> {
        self.send(msg, true).await
    }

    async fn send(&self, msg: Message, dump: bool) -> Result<Vec<Message>, Error> {
        let shared = &self.inner.shared;
        let seq = shared.lock().0.start_request();
        trace!(seq, cmd = ?msg.cmd, dump, "nl80211 request");
        let bytes = msg.encode_request(self.inner.family.id, seq, dump);
        let replies = raw_request(shared, seq, bytes).await?;
        replies.iter().map(|p| Message::decode_payload(p).map_err(Error::from)).collect()
    }

    /// Every wiphy, from a split dump merged per wiphy.
    pub async fn wiphys(&self) -> Result<Vec<Wiphy>, Error> {
        let msgs = self.dump(wiphy::get_wiphy_dump_request()).await?;
        Ok(Wiphy::from_messages(&msgs))
    }

    /// Every wireless interface (netdevs and wdevs such as P2P-Devices).
    pub async fn interfaces(&self) -> Result<Vec<Interface>, Error> {
        let msgs = self.dump(interface::get_interface_dump_request()).await?;
        Ok(Interface::from_messages(&msgs)?)
    }

    /// Creates an interface of type `iftype` on `wiphy`; for a P2P-Device the result has
    /// no ifindex, only a wdev id.
    pub async fn new_interface(
        &self,
        wiphy: u32,
        name: &str,
        iftype: IfType,
        opts: NewInterfaceOpts,
    ) -> Result<Interface, Error> {
        let replies = self.request(interface::new_interface_request(wiphy, name, iftype, &opts)).await?;
        let reply = replies
            .iter()
            .find(|m| m.cmd == crate::Command::NewInterface)
            .ok_or(Error::UnexpectedReply("NEW_INTERFACE without the new interface"))?;
        Ok(Interface::from_attrs(&reply.attrs)?)
    }

    /// Deletes an interface, by ifindex or (for a P2P-Device) by wdev id.
    pub async fn del_interface(&self, target: IfTarget) -> Result<(), Error> {
        self.request(interface::del_interface_request(target)).await.map(drop)
    }

    /// Starts a P2P-Device wdev.
    pub async fn start_p2p_device(&self, wdev: u64) -> Result<(), Error> {
        self.request(interface::start_p2p_device_request(wdev)).await.map(drop)
    }

    /// Stops a P2P-Device wdev.
    pub async fn stop_p2p_device(&self, wdev: u64) -> Result<(), Error> {
        self.request(interface::stop_p2p_device_request(wdev)).await.map(drop)
    }
}

/// Registers a waiter for `seq`, sends `bytes`, waits for completion.
async fn raw_request(shared: &Arc<Shared>, seq: u32, bytes: Vec<u8>) -> Result<Vec<Vec<u8>>, Error> {
    let (tx, rx) = oneshot::channel();
    shared.lock().1.insert(seq, tx);
    if let Err(e) = send_bytes(shared, &bytes).await {
        let mut st = shared.lock();
        st.0.cancel(seq);
        st.1.remove(&seq);
        return Err(e.into());
    }
    rx.await.map_err(|_| Error::Closed)?
}

async fn send_bytes(shared: &Shared, bytes: &[u8]) -> io::Result<()> {
    loop {
        let mut guard = shared.sock.writable().await?;
        match guard.try_io(|s| s.get_ref().send(bytes, Msg::empty())) {
            Ok(r) => return r.map(drop),
            Err(_would_block) => continue,
        }
    }
}

async fn read_loop(shared: Arc<Shared>, events: mpsc::UnboundedSender<Event>) {
    let mut buf = vec![0u8; RECV_BUF];
    loop {
        let received = async {
            loop {
                let mut guard = shared.sock.readable().await?;
                match guard.try_io(|s| s.get_ref().recv(&mut buf[..], Msg::TRUNC)) {
                    Ok(r) => return r,
                    Err(_would_block) => continue,
                }
            }
        }
        .await;
        let routed = match received {
            Ok((len, groups)) if len > buf.len() => {
                warn!(len, "netlink datagram larger than the receive buffer; dropped");
                let _ = groups;
                shared.lock().0.fail_all(|| Error::Overrun)
            }
            Ok((len, groups)) => shared.lock().0.on_datagram(&buf[..len], &groups.as_groups()),
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                warn!("netlink receive queue overrun: events lost, pending requests failed");
                shared.lock().0.fail_all(|| Error::Overrun)
            }
            Err(e) => {
                warn!("netlink socket failed: {e}");
                let kind = e.kind();
                let mut st = shared.lock();
                let out = st.0.fail_all(|| Error::Io(io::Error::new(kind, "netlink socket failed")));
                deliver(&mut st.1, &events, out);
                return;
            }
        };
        let mut st = shared.lock();
        deliver(&mut st.1, &events, routed);
    }
}

fn deliver(waiters: &mut Waiters, events: &mpsc::UnboundedSender<Event>, routed: Vec<Routed>) {
    for r in routed {
        match r {
            Routed::Complete { seq, result } => {
                if let Some(w) = waiters.remove(&seq) {
                    let _ = w.send(result);
                }
            }
            Routed::Event(e) => {
                trace!(cmd = ?e.cmd, group = ?e.group, "nl80211 event");
                // A dropped Events receiver just means nobody listens.
                let _ = events.send(e);
            }
            Routed::Undecodable(e) => warn!("undecodable netlink message dropped: {e}"),
        }
    }
}
