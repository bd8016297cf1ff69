//! Socket tasks: stream faces (TCP, Unix) carrying one TLV per packet, UDP sockets with
//! one packet per datagram, listeners and outgoing connects. They only move bytes between
//! sockets and the core task's channels.

use super::Event;
use crate::fw::{FaceInfo, FaceUri};
use crate::table::FaceId;
use crate::tlv;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UnixListener};
use tokio::sync::mpsc;

/// Largest packet accepted on any face (NDN's customary 8800-octet MTU leaves room; NFD
/// accepts up to 8800 on the network layer, we allow a little more for local apps).
pub const MAX_PACKET: usize = 65_536;
const READ_CHUNK: usize = 65_536;
const WRITE_BATCH: usize = 64 * 1024;

/// Total length declared by the TLV header at the start of `buf`, if the header is complete.
fn declared_len(buf: &[u8]) -> Option<u64> {
    let mut pos = 0;
    tlv::read_var(buf, &mut pos).ok()?;
    let len = tlv::read_var(buf, &mut pos).ok()?;
    Some(pos as u64 + len)
}

/// Reads TLVs off a stream and hands them to the core in batches.
pub(crate) async fn read_stream<R: AsyncRead + Unpin>(mut r: R, face: FaceId, events: mpsc::Sender<Event>) {
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    let mut start = 0usize;
    loop {
        if start > 0 {
            buf.drain(..start);
            start = 0;
        }
        buf.reserve(READ_CHUNK);
        match r.read_buf(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let mut packets = Vec::new();
        let mut broken = false;
        loop {
            match tlv::frame_len(&buf[start..]) {
                Ok(Some(len)) if len <= MAX_PACKET => {
                    packets.push(buf[start..start + len].to_vec());
                    start += len;
                }
                Ok(None) if declared_len(&buf[start..]).is_none_or(|l| l <= MAX_PACKET as u64) => break,
                _ => {
                    broken = true;
                    break;
                }
            }
        }
        if !packets.is_empty() && events.send(Event::Packets { face, packets }).await.is_err() {
            return;
        }
        if broken {
            tracing::debug!(face, "stream carried a malformed or oversized TLV; closing");
            break;
        }
    }
    let _ = events.send(Event::Closed { face }).await;
}

/// Octets a stream face may have queued for writing before packets are dropped
/// (a reader that stops reading must not make the forwarder grow without bound).
const MAX_QUEUED: usize = 4 * 1024 * 1024;

/// The core's end of a stream face's write queue.
pub(crate) struct StreamTx {
    tx: mpsc::UnboundedSender<Vec<u8>>,
    queued: Arc<AtomicUsize>,
}

impl StreamTx {
    /// Queues a packet; false if it was dropped (queue full or writer gone).
    pub(crate) fn send(&self, p: Vec<u8>) -> bool {
        let n = p.len();
        if self.queued.fetch_add(n, Ordering::Relaxed) + n > MAX_QUEUED {
            self.queued.fetch_sub(n, Ordering::Relaxed);
            return false;
        }
        self.tx.send(p).is_ok()
    }
}

/// Writes packets to a stream, coalescing what is queued into one write.
pub(crate) async fn write_stream<W: AsyncWrite + Unpin>(
    mut w: W,
    mut rx: mpsc::UnboundedReceiver<Vec<u8>>,
    queued: Arc<AtomicUsize>,
) {
    let mut batch = Vec::with_capacity(WRITE_BATCH);
    while let Some(p) = rx.recv().await {
        batch.clear();
        batch.extend_from_slice(&p);
        while batch.len() < WRITE_BATCH {
            match rx.try_recv() {
                Ok(p) => batch.extend_from_slice(&p),
                Err(_) => break,
            }
        }
        queued.fetch_sub(batch.len(), Ordering::Relaxed);
        if w.write_all(&batch).await.is_err() {
            break;
        }
    }
    let _ = w.shutdown().await;
}

/// Starts the reader and writer of a stream face; returns the writer's queue.
pub(crate) fn spawn_stream<R, W>(r: R, w: W, face: FaceId, events: mpsc::Sender<Event>) -> StreamTx
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let queued = Arc::new(AtomicUsize::new(0));
    tokio::spawn(read_stream(r, face, events));
    tokio::spawn(write_stream(w, rx, queued.clone()));
    StreamTx { tx, queued }
}

/// A freshly accepted or connected stream, waiting for the core to give it a FaceId.
pub(crate) enum NewStream {
    Tcp(TcpStream),
    Unix(tokio::net::UnixStream),
}

impl NewStream {
    pub(crate) fn attach(self, face: FaceId, events: mpsc::Sender<Event>) -> StreamTx {
        match self {
            NewStream::Tcp(s) => {
                let _ = s.set_nodelay(true);
                let (r, w) = s.into_split();
                spawn_stream(r, w, face, events)
            }
            NewStream::Unix(s) => {
                let (r, w) = s.into_split();
                spawn_stream(r, w, face, events)
            }
        }
    }
}

fn v4(a: SocketAddr) -> Option<std::net::SocketAddrV4> {
    match a {
        SocketAddr::V4(a) => Some(a),
        SocketAddr::V6(_) => None,
    }
}

pub(crate) async fn accept_tcp(l: TcpListener, events: mpsc::Sender<Event>) {
    loop {
        let Ok((s, peer)) = l.accept().await else { continue };
        let (Some(remote), Some(local)) = (v4(peer), s.local_addr().ok().and_then(v4)) else { continue };
        let info = FaceInfo::new(FaceUri::Tcp4(remote), FaceUri::Tcp4(local))
            .with_persistency(crate::fw::FacePersistency::OnDemand);
        if events.send(Event::Accepted { info, stream: NewStream::Tcp(s) }).await.is_err() {
            return;
        }
    }
}

pub(crate) async fn accept_unix(l: UnixListener, path: PathBuf, events: mpsc::Sender<Event>) {
    let mut n = 0u64;
    loop {
        let Ok((s, _)) = l.accept().await else { continue };
        n += 1;
        // NFD names accepted Unix faces by the socket path; the counter keeps URIs unique.
        let info = FaceInfo::new(FaceUri::Unix(path.join(format!("#{n}"))), FaceUri::Unix(path.clone()))
            .with_persistency(crate::fw::FacePersistency::OnDemand);
        if events.send(Event::Accepted { info, stream: NewStream::Unix(s) }).await.is_err() {
            return;
        }
    }
}

pub(crate) async fn connect_tcp(face: FaceId, addr: std::net::SocketAddrV4, events: mpsc::Sender<Event>) {
    let ev = match TcpStream::connect(addr).await {
        Ok(s) => {
            let local = s.local_addr().ok().and_then(v4).map(FaceUri::Tcp4);
            Event::Connected { face, stream: NewStream::Tcp(s), local }
        }
        Err(e) => Event::ConnectFailed { face, why: e.to_string() },
    };
    let _ = events.send(ev).await;
}
