//! Batched UDP I/O for the forwarding core, on tokio sockets (readiness stays with
//! tokio: every call goes through `try_io`, which clears it on `WouldBlock`). One
//! datagram is one NDN packet (or NDNLPv2 frame).
//!
//! - Receive: `recvmmsg`, up to [`BATCH`] datagrams from any peers per call.
//! - Send: runs of equal-sized datagrams to one peer (a producer's segments, a window of
//!   Interests) as one GSO send (`UDP_SEGMENT`: the stack is crossed once and the kernel
//!   cuts the datagrams apart, so the peer sees ordinary ones); everything else up to
//!   [`BATCH`] per `sendmmsg`, destinations and sizes mixed.
//!
//! The calls are the safe wrappers of two maintained crates, no unsafe code here:
//! nix's `recvmmsg` (it reports MSG_TRUNC per datagram) and `sendmsg` with the GSO
//! control message, rustix's `sendmmsg` (it returns the count sent; nix's can only be
//! counted by walking results that read address slots a send never fills). quinn-udp
//! was not taken: its socket set-up forbids IPv4 fragmentation, which NDN's 8800-octet
//! packets over UDP rely on, and it has no `sendmmsg`.

use nix::sys::socket::{ControlMessage, MsgFlags, MultiHeaders, SockaddrIn, recvmmsg, sendmsg};
use rustix::net::{MMsgHdr, SendAncillaryBuffer, SendFlags, SocketAddrAny, sendmmsg};
use std::io::{self, IoSlice, IoSliceMut};
use std::net::{SocketAddr, SocketAddrV4};
use std::os::fd::AsRawFd;
use tokio::io::Interest;
use tokio::net::UdpSocket;

/// Datagrams per system call (the kernel takes up to 1024; past a few dozen the saving
/// per datagram is gone and the receive buffer only grows).
pub(crate) const BATCH: usize = 32;

/// The receive side: `BATCH` slots of `slot` octets, reused for every read.
///
/// The buffer is zero-initialised on creation, so its pages are only mapped once the
/// kernel writes into them: small datagrams touch the first page of each slot.
pub(crate) struct RecvBatch {
    buf: Vec<u8>,
    slot: usize,
    /// Per slot of the last read: the source and length, None for a dropped datagram.
    got: Vec<Option<(SocketAddrV4, usize)>>,
    /// Datagrams longer than a slot (the kernel flags them MSG_TRUNC): dropped unparsed.
    pub(crate) truncated: u64,
}

impl RecvBatch {
    /// Slots of `slot` octets: a longer datagram is dropped and counted.
    pub(crate) fn new(slot: usize) -> Self {
        RecvBatch { buf: vec![0; slot * BATCH], slot, got: Vec::with_capacity(BATCH), truncated: 0 }
    }

    /// Reads what is queued on `sock`, up to `BATCH` datagrams in one `recvmmsg`: how
    /// many were read (dropped ones included), or `WouldBlock` when none is queued.
    pub(crate) fn recv(&mut self, sock: &UdpSocket) -> io::Result<usize> {
        self.got.clear();
        let (fd, slot) = (sock.as_raw_fd(), self.slot);
        let (buf, got, truncated) = (&mut self.buf, &mut self.got, &mut self.truncated);
        sock.try_io(Interest::READABLE, || {
            let mut iovs: Vec<[IoSliceMut<'_>; 1]> = buf.chunks_exact_mut(slot).map(|s| [IoSliceMut::new(s)]).collect();
            let mut headers = MultiHeaders::<SockaddrIn>::preallocate(iovs.len(), None);
            for m in recvmmsg(fd, &mut headers, iovs.iter_mut(), MsgFlags::empty(), None)? {
                if m.flags.contains(MsgFlags::MSG_TRUNC) {
                    *truncated += 1;
                    got.push(None);
                } else {
                    got.push(m.address.map(|a| (SocketAddrV4::from(a), m.bytes)));
                }
            }
            Ok(got.len())
        })
    }

    /// The datagrams of the last [`RecvBatch::recv`] in arrival order, dropped ones left out.
    pub(crate) fn datagrams(&self) -> impl Iterator<Item = (SocketAddrV4, &[u8])> {
        self.got.iter().zip(self.buf.chunks_exact(self.slot)).filter_map(|(g, s)| g.map(|(from, len)| (from, &s[..len])))
    }
}

/// What became of a send batch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sent {
    /// Datagrams the kernel took.
    pub(crate) sent: usize,
    /// Datagrams it refused (each reported to `on_drop`).
    pub(crate) dropped: usize,
    /// System calls made.
    pub(crate) calls: usize,
}

/// Largest datagram sent as a GSO segment: one that fits a 1500-octet MTU (the kernel
/// refuses segments over the path MTU; bigger NDN packets go one per datagram and may
/// be fragmented by IP, as before).
const GSO_MAX_SEGMENT: usize = 1472;
/// Segments per GSO send (the kernel's limit before 6.10 was 64).
const GSO_MAX_SEGMENTS: usize = 64;
/// Octets per GSO send (an IPv4 datagram's 65,535 less the IP and UDP headers).
const GSO_MAX_BYTES: usize = 65_507;

/// Sends each `(destination, datagram)` from `sock`, keeping the order of datagrams to
/// each destination. Runs of equal-sized datagrams to one destination (the last may be
/// shorter) go as one GSO send while `gso` holds (the kernel splits them back into
/// datagrams: the peer sees ordinary ones); the rest go up to `BATCH` per `sendmmsg`.
///
/// A datagram the kernel refuses (a bad destination, a full buffer) is dropped and
/// reported to `on_drop`; the rest still go, as with one `send_to` each: the kernel
/// stops a `sendmmsg` at the first datagram it refuses, so the next call starts past it.
/// A GSO send refused with EIO or EINVAL (a device without checksum offload, a path
/// MTU under the segment size) is sent again one by one, and turns `gso` off if that
/// passes (a bad destination fails both ways and leaves it on).
pub(crate) fn send_batch(
    sock: &UdpSocket,
    out: &mut [(SocketAddr, Vec<u8>)],
    gso: &mut bool,
    mut on_drop: impl FnMut(SocketAddr, &io::Error),
) -> Sent {
    let mut done = Sent::default();
    if *gso {
        // Group by destination (a stable sort keeps each destination's order).
        out.sort_by_key(|(d, _)| *d);
    }
    let (mut single, mut k) = (0, 0); // out[single..k] waits for a sendmmsg
    while k < out.len() {
        let run = if *gso { gso_run(&out[k..]) } else { 1 };
        if run < 2 {
            k += 1;
            if k - single == BATCH {
                send_mmsg(sock, &out[single..k], &mut done, &mut on_drop);
                single = k;
            }
            continue;
        }
        send_mmsg(sock, &out[single..k], &mut done, &mut on_drop);
        match send_gso(sock, &out[k..k + run]) {
            Ok(()) => done.sent += run,
            // The kernel refused the GSO send itself, or its destination: the datagrams go
            // one by one, and if they pass it was GSO that failed, so the socket stops using it.
            Err(e) if matches!(e.raw_os_error(), Some(nix::libc::EIO | nix::libc::EINVAL)) => {
                let before = done.dropped;
                send_mmsg(sock, &out[k..k + run], &mut done, &mut on_drop);
                if done.dropped == before {
                    tracing::debug!(error = %e, "UDP GSO refused: this socket sends datagrams one by one");
                    *gso = false;
                }
            }
            Err(e) => {
                for (d, _) in &out[k..k + run] {
                    on_drop(*d, &e);
                }
                done.dropped += run;
            }
        }
        done.calls += 1;
        k += run;
        single = k;
    }
    send_mmsg(sock, &out[single..], &mut done, &mut on_drop);
    done
}

/// How many datagrams from the start of `out` make one GSO send: same destination, same
/// length (the last may be shorter), within the kernel's limits.
fn gso_run(out: &[(SocketAddr, Vec<u8>)]) -> usize {
    let Some((dest, first)) = out.first() else { return 0 };
    let seg = first.len();
    if seg == 0 || seg > GSO_MAX_SEGMENT {
        return 1;
    }
    let mut n = 1;
    let mut bytes = seg;
    for (d, p) in &out[1..] {
        if d != dest || p.len() > seg || n == GSO_MAX_SEGMENTS || bytes + p.len() > GSO_MAX_BYTES || p.is_empty() {
            break;
        }
        n += 1;
        bytes += p.len();
        if p.len() < seg {
            break; // a shorter one ends the run
        }
    }
    n
}

/// One GSO send: the datagrams back to back, cut by the kernel every `len` of the first.
fn send_gso(sock: &UdpSocket, run: &[(SocketAddr, Vec<u8>)]) -> io::Result<()> {
    let SocketAddr::V4(dest) = run[0].0 else { return Err(io::ErrorKind::AddrNotAvailable.into()) };
    let seg = run[0].1.len() as u16;
    let iovs: Vec<IoSlice<'_>> = run.iter().map(|(_, p)| IoSlice::new(p)).collect();
    let to = SockaddrIn::from(dest);
    sock.try_io(Interest::WRITABLE, || {
        sendmsg(sock.as_raw_fd(), &iovs, &[ControlMessage::UdpGsoSegments(&seg)], MsgFlags::empty(), Some(&to))?;
        Ok(())
    })
}

/// Sends `out` in order, up to `BATCH` per `sendmmsg`, past any datagram refused.
fn send_mmsg(sock: &UdpSocket, out: &[(SocketAddr, Vec<u8>)], done: &mut Sent, on_drop: &mut impl FnMut(SocketAddr, &io::Error)) {
    let mut k = 0;
    while k < out.len() {
        let chunk = &out[k..out.len().min(k + BATCH)];
        let addrs: Vec<SocketAddrAny> = chunk.iter().map(|(d, _)| SocketAddrAny::from(*d)).collect();
        let iovs: Vec<[IoSlice<'_>; 1]> = chunk.iter().map(|(_, p)| [IoSlice::new(p)]).collect();
        let mut no_cmsgs: Vec<SendAncillaryBuffer<'_, '_, '_>> = chunk.iter().map(|_| SendAncillaryBuffer::default()).collect();
        let mut msgs: Vec<MMsgHdr<'_>> = addrs
            .iter()
            .zip(&iovs)
            .zip(no_cmsgs.iter_mut())
            .map(|((a, v), c)| MMsgHdr::new_with_addr(a, v, c))
            .collect();
        let r = sock.try_io(Interest::WRITABLE, || Ok(sendmmsg(sock, &mut msgs, SendFlags::empty())?));
        done.calls += 1;
        match r {
            Ok(n) if n > 0 => {
                done.sent += n;
                k += n;
            }
            // The first of the batch was refused (its error, or none for a zero count).
            r => {
                let e = r.err().unwrap_or_else(|| io::ErrorKind::WriteZero.into());
                on_drop(out[k].0, &e);
                done.dropped += 1;
                k += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn peer() -> std::net::UdpSocket {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
        s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        s
    }

    async fn tokio_socket() -> UdpSocket {
        UdpSocket::bind("127.0.0.1:0").await.expect("bind")
    }

    fn addr(s: &std::net::UdpSocket) -> SocketAddr {
        s.local_addr().expect("addr")
    }

    /// Reads `n` datagrams off `s` (each within the read timeout).
    fn read_n(s: &std::net::UdpSocket, n: usize) -> Vec<Vec<u8>> {
        let mut buf = [0u8; 2048];
        (0..n).map(|_| s.recv(&mut buf).map(|k| buf[..k].to_vec()).expect("datagram")).collect()
    }

    #[tokio::test]
    async fn one_read_takes_datagrams_from_several_peers_with_their_sources() {
        let rx = tokio_socket().await;
        let to = rx.local_addr().expect("addr");
        let (a, b, c) = (peer(), peer(), peer());
        // Interleaved: a1 b1 c1 a2 b2 c2 (on loopback each is queued before send_to returns).
        for round in 1..=2u8 {
            for (tag, s) in [(b'a', &a), (b'b', &b), (b'c', &c)] {
                s.send_to(&[tag, round], to).expect("send");
            }
        }
        rx.readable().await.expect("readable");
        let mut batch = RecvBatch::new(MAX_SLOT_FOR_TESTS);
        assert_eq!(batch.recv(&rx).expect("recv"), 6, "all six in one recvmmsg");
        let got: Vec<(SocketAddr, Vec<u8>)> = batch.datagrams().map(|(f, p)| (SocketAddr::V4(f), p.to_vec())).collect();
        let want: Vec<(SocketAddr, Vec<u8>)> = (1..=2u8)
            .flat_map(|r| [(addr(&a), vec![b'a', r]), (addr(&b), vec![b'b', r]), (addr(&c), vec![b'c', r])])
            .collect();
        assert_eq!(got, want);
        assert_eq!(batch.truncated, 0);
        // Nothing left: the next read says so instead of blocking.
        assert_eq!(batch.recv(&rx).map_err(|e| e.kind()), Err(io::ErrorKind::WouldBlock));
    }

    const MAX_SLOT_FOR_TESTS: usize = 2048;

    #[tokio::test]
    async fn datagrams_longer_than_a_slot_are_dropped_and_counted() {
        let rx = tokio_socket().await;
        let to = rx.local_addr().expect("addr");
        let p = peer();
        for len in [10usize, 100, 64, 65, 0, 3000] {
            p.send_to(&vec![len as u8; len], to).expect("send");
        }
        rx.readable().await.expect("readable");
        let mut batch = RecvBatch::new(64);
        assert_eq!(batch.recv(&rx).expect("recv"), 6);
        let lens: Vec<usize> = batch.datagrams().map(|(_, d)| d.len()).collect();
        assert_eq!(lens, [10, 64, 0], "the 100, 65 and 3000-octet datagrams are gone");
        assert!(batch.datagrams().all(|(_, d)| d.iter().all(|&x| usize::from(x) == d.len())));
        assert_eq!(batch.truncated, 3);
    }

    #[tokio::test]
    async fn a_refused_destination_loses_only_its_own_datagrams() {
        let tx = tokio_socket().await;
        tx.writable().await.expect("writable");
        let (a, b) = (peer(), peer());
        let port_zero: SocketAddr = "127.0.0.1:0".parse().expect("addr"); // the kernel says EINVAL
        let v6: SocketAddr = "[::1]:9".parse().expect("addr"); // not on an IPv4 socket
        for use_gso in [false, true] {
            let mut out: Vec<(SocketAddr, Vec<u8>)> = vec![
                (addr(&a), b"a1".to_vec()),
                (port_zero, b"x1".to_vec()),
                (addr(&b), b"b1".to_vec()),
                (port_zero, b"x2".to_vec()),
                (port_zero, b"x3".to_vec()),
                (v6, b"y1".to_vec()),
                (addr(&a), b"a2".to_vec()),
                (addr(&b), b"b2".to_vec()),
                (addr(&a), b"a3".to_vec()),
            ];
            let mut gso = use_gso;
            let mut refused = Vec::new();
            let sent = send_batch(&tx, &mut out, &mut gso, |to, _| refused.push(to));
            assert_eq!((sent.sent, sent.dropped), (5, 4), "gso {use_gso}");
            assert_eq!(gso, use_gso, "a bad destination does not turn GSO off");
            refused.sort();
            assert_eq!(refused, [port_zero, port_zero, port_zero, v6]);
            assert_eq!(read_n(&a, 3), [b"a1", b"a2", b"a3"]);
            assert_eq!(read_n(&b, 2), [b"b1", b"b2"]);
        }
    }

    #[tokio::test]
    async fn equal_sized_runs_go_as_one_gso_send_and_arrive_as_datagrams_in_order() {
        let tx = tokio_socket().await;
        tx.writable().await.expect("writable");
        let (a, b) = (peer(), peer());
        // To a: ten of 40 octets and a shorter last one, interleaved with two to b.
        let mut out: Vec<(SocketAddr, Vec<u8>)> = (0..10u8).map(|i| (addr(&a), vec![i; 40])).collect();
        out.insert(3, (addr(&b), vec![0xb0; 7]));
        out.insert(7, (addr(&b), vec![0xb1; 9]));
        out.push((addr(&a), vec![0xaa; 12]));
        let mut gso = true;
        let sent = send_batch(&tx, &mut out, &mut gso, |to, e| panic!("{to}: {e}"));
        assert_eq!(sent.sent, 13);
        assert!(gso, "loopback takes GSO");
        // The eleven to a in one GSO send; b's two (different sizes) in one sendmmsg.
        assert_eq!(sent.calls, 2);
        let mut want_a: Vec<Vec<u8>> = (0..10u8).map(|i| vec![i; 40]).collect();
        want_a.push(vec![0xaa; 12]);
        assert_eq!(read_n(&a, 11), want_a);
        assert_eq!(read_n(&b, 2), [vec![0xb0; 7], vec![0xb1; 9]]);
        // Without GSO the same datagrams go by sendmmsg, in order.
        let mut out: Vec<(SocketAddr, Vec<u8>)> = (0..40u8).map(|i| (addr(&a), vec![i; 40])).collect();
        let mut gso = false;
        let sent = send_batch(&tx, &mut out, &mut gso, |to, e| panic!("{to}: {e}"));
        assert_eq!((sent.sent, sent.calls), (40, 2));
        assert_eq!(read_n(&a, 40), (0..40u8).map(|i| vec![i; 40]).collect::<Vec<_>>());
    }
}
