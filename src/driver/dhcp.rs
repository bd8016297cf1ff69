//! DHCP on a group interface: UDP sockets for `dhcp::Server` (port 67) and `dhcp::Client`
//! (port 68). Datagrams become inputs, outputs become sends, timers are slept on.
//!
//! The socket is bound to the interface (SO_BINDTODEVICE) and may broadcast. A reply to
//! a client that has no address yet ([`Destination::UnicastHw`]) would need an ARP entry
//! for the unconfigured client; it is broadcast instead, as RFC 2131 4.1 allows.
//! [`add_address`]/[`del_address`] apply a client's `Configure`/`Deconfigure` (or the
//! GO's own address) through rtnetlink.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use anyhow::Context;
use futures::TryStreamExt;
use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::UdpSocket;
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;

use crate::dhcp::{
    Client, ClientConfig, ClientOutput, Destination, Message, Random, SeededRandom, Server, ServerOutput, Transmit,
    wire,
};

/// A UDP socket on `port` of `ifname` only, allowed to broadcast.
pub fn bind(ifname: &str, port: u16) -> anyhow::Result<UdpSocket> {
    let sock = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).context("UDP socket")?;
    sock.set_reuse_address(true).context("SO_REUSEADDR")?;
    sock.set_broadcast(true).context("SO_BROADCAST")?;
    sock.bind_device(Some(ifname.as_bytes())).with_context(|| format!("SO_BINDTODEVICE {ifname}"))?;
    sock.set_nonblocking(true).context("O_NONBLOCK")?;
    sock.bind(&SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port).into())
        .with_context(|| format!("bind port {port} on {ifname}"))?;
    UdpSocket::from_std(sock.into()).context("register the socket with tokio")
}

/// The machine interface the loop drives: the server or a client.
pub trait Machine: Send + 'static {
    type Event: Send + 'static;
    /// The port the peers listen on.
    const PEER_PORT: u16;
    fn input(&mut self, now: Instant, msg: Message);
    fn timeout(&mut self, now: Instant);
    /// The next output: a message to send, or an event for the owner.
    fn output(&mut self) -> Option<Result<Transmit, Self::Event>>;
    fn deadline(&self) -> Option<Instant>;
}

impl Machine for Server {
    type Event = ServerOutput;
    const PEER_PORT: u16 = wire::CLIENT_PORT;
    fn input(&mut self, now: Instant, msg: Message) {
        if let Err(e) = self.handle_input(now, msg) {
            tracing::debug!("dhcp server: {e}");
        }
    }
    fn timeout(&mut self, now: Instant) {
        self.handle_timeout(now);
    }
    fn output(&mut self) -> Option<Result<Transmit, ServerOutput>> {
        Some(match self.poll_output()? {
            ServerOutput::Send(t) => Ok(t),
            other => Err(other),
        })
    }
    fn deadline(&self) -> Option<Instant> {
        self.poll_timeout()
    }
}

impl<R: Random + Send + 'static> Machine for Client<R> {
    type Event = ClientOutput;
    const PEER_PORT: u16 = wire::SERVER_PORT;
    fn input(&mut self, now: Instant, msg: Message) {
        if let Err(e) = self.handle_input(now, crate::dhcp::ClientInput::Message(msg)) {
            tracing::debug!("dhcp client: {e}");
        }
    }
    fn timeout(&mut self, now: Instant) {
        self.handle_timeout(now);
    }
    fn output(&mut self) -> Option<Result<Transmit, ClientOutput>> {
        Some(match self.poll_output()? {
            ClientOutput::Send(t) => Ok(t),
            other => Err(other),
        })
    }
    fn deadline(&self) -> Option<Instant> {
        self.poll_timeout()
    }
}

/// What the loop and the owner share.
struct Shared<M> {
    machine: Mutex<M>,
    wake: Notify,
    stopping: AtomicBool,
}

impl<M> Shared<M> {
    fn lock(&self) -> MutexGuard<'_, M> {
        // A panic while holding the lock leaves a machine we can still read.
        self.machine.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A machine running on its socket; dropping it does not stop it, [`Running::stop`] does.
pub struct Running<M> {
    shared: Arc<Shared<M>>,
    task: JoinHandle<()>,
}

/// The GO's DHCP server on its group interface.
pub type ServerHandle = Running<Server>;
/// A P2P client's DHCP client on its group interface.
pub type ClientHandle = Running<Client<SeededRandom>>;

impl<M: Machine> Running<M> {
    /// Runs `f` on the machine at the current time (reserve, release, leases ...), then
    /// lets the loop send what it produced.
    pub fn with<T>(&self, f: impl FnOnce(&mut M, Instant) -> T) -> T {
        let r = f(&mut self.shared.lock(), Instant::now());
        self.shared.wake.notify_one();
        r
    }

    /// Sends what is pending (a client's RELEASE) and ends the loop.
    pub async fn stop(self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.wake.notify_one();
        if let Err(e) = self.task.await {
            tracing::warn!("dhcp task ended badly: {e}");
        }
    }
}

impl Running<Server> {
    /// The server's address pool for the GO machine (IP-allocation KDE): the same bindings
    /// DHCP uses, so one address never goes to two stations.
    pub fn pool(&self) -> PoolHandle {
        PoolHandle(self.shared.clone())
    }
}

/// The GO's view of its DHCP server's pool (see [`Running::pool`]).
pub struct PoolHandle(Arc<Shared<Server>>);

impl crate::group::go::IpPool for PoolHandle {
    fn allocate(&mut self, now: Instant, sta: crate::ieee80211::MacAddr) -> Option<Ipv4Addr> {
        let ip = self.0.lock().allocate_reserved(now, sta);
        self.0.wake.notify_one();
        ip
    }
    fn release(&mut self, sta: crate::ieee80211::MacAddr) {
        self.0.lock().release(sta);
        self.0.wake.notify_one();
    }
}

impl Running<Client<SeededRandom>> {
    /// Releases the lease (RELEASE to the server) and ends the loop.
    pub async fn release_and_stop(self) {
        self.with(|c, now| c.handle_input(now, crate::dhcp::ClientInput::Stop)).ok();
        self.stop().await;
    }
}

/// Starts the GO's server on `ifname` (port 67); events (leases granted and ended) go to
/// `events`.
pub fn spawn_server(
    ifname: &str,
    server: Server,
    events: mpsc::UnboundedSender<ServerOutput>,
) -> anyhow::Result<ServerHandle> {
    let sock = bind(ifname, wire::SERVER_PORT)?;
    Ok(spawn(sock, server, events))
}

/// Starts a client on `ifname` (port 68) and begins acquisition; `Configure`,
/// `Deconfigure` and `GaveUp` go to `events`, for the owner to apply to the interface.
pub fn spawn_client(
    ifname: &str,
    cfg: ClientConfig,
    events: mpsc::UnboundedSender<ClientOutput>,
) -> anyhow::Result<ClientHandle> {
    let sock = bind(ifname, wire::CLIENT_PORT)?;
    let mut seed = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut seed)
        .map_err(|_| anyhow::anyhow!("no OS randomness for the DHCP transaction ids"))?;
    let mut client = Client::new(cfg, SeededRandom::new(u64::from_le_bytes(seed)));
    client.handle_input(Instant::now(), crate::dhcp::ClientInput::Start).ok();
    Ok(spawn(sock, client, events))
}

fn spawn<M: Machine>(sock: UdpSocket, machine: M, events: mpsc::UnboundedSender<M::Event>) -> Running<M> {
    let shared = Arc::new(Shared { machine: Mutex::new(machine), wake: Notify::new(), stopping: AtomicBool::new(false) });
    let task = tokio::spawn(drive(sock, shared.clone(), events));
    Running { shared, task }
}

async fn drive<M: Machine>(sock: UdpSocket, shared: Arc<Shared<M>>, events: mpsc::UnboundedSender<M::Event>) {
    let mut buf = vec![0u8; 1500];
    loop {
        let (sends, deadline) = {
            let mut m = shared.lock();
            let mut sends = Vec::new();
            while let Some(o) = m.output() {
                match o {
                    Ok(t) => sends.push(t),
                    Err(ev) => {
                        let _ = events.send(ev);
                    }
                }
            }
            (sends, m.deadline())
        };
        for t in sends {
            send(&sock, t, M::PEER_PORT).await;
        }
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let sleep = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(tokio::time::Instant::from_std(d)).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            r = sock.recv_from(&mut buf) => match r {
                Ok((n, from)) => match wire::decode(&buf[..n]) {
                    Ok(msg) => {
                        tracing::trace!(%from, "dhcp <- {msg}");
                        shared.lock().input(Instant::now(), msg);
                    }
                    Err(e) => tracing::debug!(%from, "dhcp: dropped {n} bytes: {e}"),
                },
                Err(e) => {
                    tracing::warn!("dhcp: receive failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            },
            () = sleep => shared.lock().timeout(Instant::now()),
            () = shared.wake.notified() => {}
        }
    }
}

async fn send(sock: &UdpSocket, t: Transmit, port: u16) {
    let ip = match t.to {
        Destination::Unicast(ip) => ip,
        // No ARP entry for a client without an address: broadcast (RFC 2131 4.1).
        Destination::Broadcast | Destination::UnicastHw { .. } => Ipv4Addr::BROADCAST,
    };
    let to = SocketAddr::V4(SocketAddrV4::new(ip, port));
    match wire::encode(&t.msg) {
        Ok(bytes) => {
            tracing::trace!(%to, "dhcp -> {}", t.msg);
            if let Err(e) = sock.send_to(&bytes, to).await {
                tracing::warn!(%to, "dhcp: send failed: {e}");
            }
        }
        Err(e) => tracing::warn!("dhcp: cannot encode: {e}"),
    }
}

/// The index of `ifname`, asked of rtnetlink.
async fn link_index(handle: &rtnetlink::Handle, ifname: &str) -> anyhow::Result<u32> {
    let link = handle
        .link()
        .get()
        .match_name(ifname.to_owned())
        .execute()
        .try_next()
        .await
        .with_context(|| format!("no interface {ifname}"))?
        .with_context(|| format!("no interface {ifname}"))?;
    Ok(link.header.index)
}

/// `ip addr replace IP/PREFIX dev <index>` on an rtnetlink handle: a lease's or the GO's
/// address (the kernel adds the subnet route with it).
pub async fn add_address_on(handle: &rtnetlink::Handle, index: u32, ip: Ipv4Addr, prefix_len: u8) -> anyhow::Result<()> {
    handle
        .address()
        .add(index, ip.into(), prefix_len)
        .replace()
        .execute()
        .await
        .with_context(|| format!("add {ip}/{prefix_len} to interface {index}"))
}

/// `ip addr del IP dev <index>` on an rtnetlink handle; nothing to do if it is not there.
pub async fn del_address_on(handle: &rtnetlink::Handle, index: u32, ip: Ipv4Addr) -> anyhow::Result<()> {
    let found: Vec<_> = handle
        .address()
        .get()
        .set_link_index_filter(index)
        .set_address_filter(ip.into())
        .execute()
        .try_collect()
        .await
        .with_context(|| format!("list addresses of interface {index}"))?;
    for a in found {
        handle.address().del(a).execute().await.with_context(|| format!("delete {ip} from interface {index}"))?;
    }
    Ok(())
}

/// [`add_address_on`] by interface name, on a connection of its own.
pub async fn add_address(ifname: &str, ip: Ipv4Addr, prefix_len: u8) -> anyhow::Result<()> {
    let (conn, handle, _) = rtnetlink::new_connection().context("rtnetlink socket")?;
    let conn = tokio::spawn(conn);
    let r = async { add_address_on(&handle, link_index(&handle, ifname).await?, ip, prefix_len).await }.await;
    conn.abort();
    r
}

/// [`del_address_on`] by interface name, on a connection of its own.
pub async fn del_address(ifname: &str, ip: Ipv4Addr) -> anyhow::Result<()> {
    let (conn, handle, _) = rtnetlink::new_connection().context("rtnetlink socket")?;
    let conn = tokio::spawn(conn);
    let r = async { del_address_on(&handle, link_index(&handle, ifname).await?, ip).await }.await;
    conn.abort();
    r
}
