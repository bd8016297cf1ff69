//! `cargo bench -p ndn`: codec nanoseconds per Interest decode / Data encode, and
//! Interest/Data exchanges per second through the forwarder (one forwarding thread) with
//! a consumer and a producer on a Unix socket, loopback TCP and loopback UDP.
//! `cargo bench -p ndn -- udp unix` runs only the sections named (codec, core, flood,
//! unix, tcp, udp, udp-single); NDN_BENCH_EXCHANGES=20000 shortens the timed runs (for
//! `valgrind --tool=callgrind`, which counts instructions per thread).
//!
//! The consumer keeps a window of Interests outstanding; each Data lets it send another.
//! Every Interest name is unique, so nothing is aggregated or served from the cache.

use ndn::face::{RuntimeConfig, start};
use ndn::fw::FaceUri;
use ndn::mgmt::ControlParameters;
use ndn::packet::{Data, Interest, MetaInfo, Name, SignatureInfo};
use std::hint::black_box;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

const WINDOW: usize = 128;

fn name(s: &str) -> Name {
    s.parse().expect("name")
}

/// Names (and nonces) never repeat across runs, or the dead-nonce list would see loops.
static NEXT_NAME: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn fresh_seq() -> u64 {
    NEXT_NAME.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn interest(prefix: &str, seq: u64) -> Vec<u8> {
    let mut i = Interest::new(name(prefix).with(ndn::packet::Component::number(ndn::packet::tt::SEQUENCE_NUM, seq)));
    i.nonce = Some(seq as u32 ^ 0xA5A5_5A5A);
    i.lifetime_ms = Some(4000);
    i.encode()
}

fn register_command(prefix: &str) -> Vec<u8> {
    let mut n = name("/localhost/nfd/rib/register");
    n.push_generic(&ControlParameters { name: Some(name(prefix)), ..Default::default() }.encode());
    let mut i = Interest::new(n);
    i.nonce = Some(7);
    i.sign_digest_sha256(SignatureInfo { nonce: Some(vec![1, 2, 3, 4]), ..SignatureInfo::digest_sha256() });
    i.encode()
}

fn make_data(interest_wire: &[u8]) -> Option<Vec<u8>> {
    let i = Interest::decode(interest_wire).ok()?;
    let mut d = Data::new(i.name, vec![0x42; 100]);
    d.meta_info = Some(MetaInfo { freshness_period_ms: Some(1000), ..Default::default() });
    Some(d.sign_digest_sha256_and_encode())
}

/// Splits complete TLVs off the front of `buf`.
fn frames(buf: &mut Vec<u8>) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut start = 0;
    while let Ok(Some(n)) = ndn::tlv::frame_len(&buf[start..]) {
        out.push(buf[start..start + n].to_vec());
        start += n;
    }
    buf.drain(..start);
    out
}

fn codec() {
    let iw = interest("/bench/prefix", 123_456);
    let n = 1_000_000u32;
    let t = Instant::now();
    for _ in 0..n {
        black_box(Interest::decode(black_box(&iw)).ok());
    }
    let decode = t.elapsed().as_nanos() as f64 / f64::from(n);
    let mut d = Data::new(name("/bench/prefix/seq=123456"), vec![0x42; 100]);
    d.meta_info = Some(MetaInfo { freshness_period_ms: Some(1000), ..Default::default() });
    let signed = d.clone().sign_digest_sha256_and_encode();
    let d = Data::decode(&signed).expect("data");
    let t = Instant::now();
    for _ in 0..n {
        black_box(black_box(&d).encode());
    }
    let encode = t.elapsed().as_nanos() as f64 / f64::from(n);
    let t = Instant::now();
    for _ in 0..n / 4 {
        black_box(black_box(d.clone()).sign_digest_sha256_and_encode());
    }
    let sign = t.elapsed().as_nanos() as f64 / f64::from(n / 4);
    println!("codec: Interest decode {decode:.0} ns; Data encode {encode:.0} ns (with DigestSha256 signing {sign:.0} ns)");
}

/// The forwarding core alone (sans-IO, no sockets): one Interest in from a consumer face,
/// out to the producer face, its Data back; nanoseconds per exchange.
fn core_only() {
    use ndn::fw::{Config, FaceInfo, Forwarder, Output};
    let mut fw = Forwarder::new(Config::default());
    let c = fw.add_face(FaceInfo::new(FaceUri::App("c".into()), FaceUri::Internal));
    let p = fw.add_face(FaceInfo::new(FaceUri::App("p".into()), FaceUri::Internal));
    fw.add_route(&name("/bench"), p, 0, 255);
    let n = 300_000u64;
    // Packets are built outside the timed loops; the virtual clock advances 3 us per exchange
    // so PIT timers and the dead-nonce list age as in a real run.
    let mut now = Instant::now();
    let mut delivered = 0u64;
    let mut elapsed = Duration::ZERO;
    let mut cpu = 0.0;
    for _ in 0..n / 30_000 {
        let batch: Vec<(Vec<u8>, Vec<u8>)> = (0..30_000)
            .map(|_| {
                let i = interest("/bench/prefix", fresh_seq());
                let d = make_data(&i).expect("data");
                (i, d)
            })
            .collect();
        let t = Instant::now();
        let c0 = thread_cpu_seconds();
        for (i, d) in &batch {
            now += Duration::from_micros(3);
            if fw.poll_timeout().is_some_and(|w| w <= now) {
                fw.handle_timeout(now);
            }
            fw.handle_packet(now, c, i);
            while fw.poll_output().is_some() {}
            fw.handle_packet(now, p, d);
            while let Some(o) = fw.poll_output() {
                if matches!(o, Output::Send { face, .. } if face == c) {
                    delivered += 1;
                }
            }
        }
        elapsed += t.elapsed();
        cpu += thread_cpu_seconds() - c0;
    }
    let ns = elapsed.as_nanos() as f64 / n as f64;
    assert_eq!(delivered, n);
    // Wall time counts preemption by other processes; thread CPU time does not (10 ms ticks).
    println!(
        "core (sans-IO, no sockets): {ns:.0} ns per Interest/Data exchange wall = {:.0} exchanges/s; {:.0} exchanges per CPU second",
        1e9 / ns,
        n as f64 / f64::max(cpu, 0.01)
    );
}

/// Producer over a stream face (Unix or TCP): registers, then answers every Interest.
fn stream_producer(mut s: impl Read + Write, prefix: &str) {
    s.write_all(&register_command(prefix)).expect("register");
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 65536];
    let mut registered = false;
    loop {
        let Ok(n) = s.read(&mut chunk) else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut out = Vec::new();
        for f in frames(&mut buf) {
            if f.first() == Some(&6) && !registered {
                registered = true;
                continue; // the ControlResponse
            }
            if let Some(d) = make_data(&f) {
                out.extend(d);
            }
        }
        if !out.is_empty() && s.write_all(&out).is_err() {
            return;
        }
    }
}

fn stream_consumer(mut s: impl Read + Write, prefix: &str, total: u64) -> Duration {
    let mut next = 0u64;
    let mut got = 0u64;
    let mut out = Vec::new();
    for _ in 0..WINDOW {
        out.extend(interest(prefix, fresh_seq()));
        next += 1;
    }
    let t = Instant::now();
    s.write_all(&out).expect("write");
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 65536];
    while got < total {
        let n = s.read(&mut chunk).expect("read");
        assert!(n > 0, "forwarder closed the consumer");
        buf.extend_from_slice(&chunk[..n]);
        out.clear();
        for f in frames(&mut buf) {
            assert_eq!(f.first(), Some(&6), "the consumer got something other than Data (a Nack?)");
            got += 1;
            if next < total {
                out.extend(interest(prefix, fresh_seq()));
                next += 1;
            }
        }
        if !out.is_empty() {
            s.write_all(&out).expect("write");
        }
    }
    t.elapsed()
}

fn udp_producer(fwd: SocketAddr, prefix: &str) {
    let s = udp_app_socket(fwd);
    s.send(&register_command(prefix)).expect("register");
    let mut buf = vec![0u8; 9000];
    loop {
        let Ok(n) = s.recv(&mut buf) else { return };
        if buf[0] == 5
            && let Some(d) = make_data(&buf[..n])
        {
            let _ = s.send(&d);
        }
    }
}

/// An application's UDP socket on loopback, connected to the forwarder at `fwd`.
fn udp_app_socket(fwd: SocketAddr) -> UdpSocket {
    let s = UdpSocket::bind("127.0.0.1:0").expect("bind");
    s.connect(fwd).expect("connect");
    s
}

fn udp_consumer(fwd: SocketAddr, prefix: &str, total: u64) -> (Duration, u64) {
    let s = udp_app_socket(fwd);
    s.set_read_timeout(Some(Duration::from_millis(100))).expect("timeout");
    let mut next = 0u64;
    let mut got = 0u64;
    let mut lost_windows = 0u64;
    let t = Instant::now();
    for _ in 0..WINDOW {
        s.send(&interest(prefix, fresh_seq())).expect("send");
        next += 1;
    }
    let mut buf = vec![0u8; 9000];
    while got < total {
        match s.recv(&mut buf) {
            Ok(_) if buf[0] == 6 => {
                got += 1;
                if next < total + WINDOW as u64 {
                    let _ = s.send(&interest(prefix, fresh_seq()));
                    next += 1;
                }
            }
            Ok(_) => {}
            Err(_) => {
                // Datagrams were lost (socket buffers overflowed): refill the window.
                lost_windows += 1;
                for _ in 0..WINDOW {
                    let _ = s.send(&interest(prefix, fresh_seq()));
                    next += 1;
                }
            }
        }
        if t.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    (t.elapsed(), lost_windows.min(got))
}

/// Datagram slots of a batched application's receive buffer.
const SLOT: usize = 9000;
/// Datagrams per recvmmsg / sendmmsg at the batched applications.
const APP_BATCH: usize = 32;

/// Receives what is queued (waiting for the first datagram, up to the read timeout),
/// up to `APP_BATCH` datagrams in one recvmmsg: as an application that reads in bursts.
fn recv_batch<'b>(s: &UdpSocket, buf: &'b mut [u8]) -> std::io::Result<Vec<&'b [u8]>> {
    use nix::sys::socket::{MsgFlags, MultiHeaders, SockaddrIn, recvmmsg};
    use std::os::fd::AsRawFd;
    let lens: Vec<usize> = {
        let mut iovs: Vec<[std::io::IoSliceMut<'_>; 1]> = buf.chunks_exact_mut(SLOT).map(|c| [std::io::IoSliceMut::new(c)]).collect();
        let mut h = MultiHeaders::<SockaddrIn>::preallocate(iovs.len(), None);
        recvmmsg(s.as_raw_fd(), &mut h, iovs.iter_mut(), MsgFlags::MSG_WAITFORONE, None)?.map(|m| m.bytes).collect()
    };
    Ok(buf.chunks_exact(SLOT).zip(lens).map(|(c, n)| &c[..n]).collect())
}

/// Sends datagrams on a connected socket as a batching application can: each run of
/// equal-sized datagrams (the last may be shorter; at most 64) as one GSO send, which
/// the kernel splits back into datagrams.
fn send_batch(s: &UdpSocket, out: &[Vec<u8>]) {
    use nix::sys::socket::{ControlMessage, MsgFlags, SockaddrIn, sendmsg};
    use std::os::fd::AsRawFd;
    let mut k = 0;
    while k < out.len() {
        let seg = out[k].len();
        let mut n = 1;
        while k + n < out.len() && n < 64 && out[k + n].len() <= seg {
            n += 1;
            if out[k + n - 1].len() < seg {
                break;
            }
        }
        let iovs: Vec<std::io::IoSlice<'_>> = out[k..k + n].iter().map(|p| std::io::IoSlice::new(p)).collect();
        let seg16 = seg as u16;
        let gso = [ControlMessage::UdpGsoSegments(&seg16)];
        // A refused send loses its datagrams, as a failed send() would; the consumer refills.
        let _ = sendmsg::<SockaddrIn>(s.as_raw_fd(), &iovs, if n > 1 { &gso } else { &[] }, MsgFlags::empty(), None);
        k += n;
    }
}

/// The producer as a batching application: a burst of Interests in, their Data out.
fn udp_producer_batched(fwd: SocketAddr, prefix: &str) {
    let s = udp_app_socket(fwd);
    s.send(&register_command(prefix)).expect("register");
    let mut buf = vec![0u8; SLOT * APP_BATCH];
    loop {
        let Ok(got) = recv_batch(&s, &mut buf) else { return };
        let out: Vec<Vec<u8>> = got.iter().filter(|p| p.first() == Some(&5)).filter_map(|p| make_data(p)).collect();
        send_batch(&s, &out);
    }
}

/// The consumer as a batching application: a window of Interests outstanding; each burst
/// of Data read is answered by as many new Interests in one sendmmsg.
fn udp_consumer_batched(fwd: SocketAddr, prefix: &str, total: u64) -> (Duration, u64) {
    let s = udp_app_socket(fwd);
    s.set_read_timeout(Some(Duration::from_millis(100))).expect("timeout");
    let mut next = 0u64;
    let mut got = 0u64;
    let mut lost_windows = 0u64;
    let t = Instant::now();
    let first: Vec<Vec<u8>> = (0..WINDOW).map(|_| interest(prefix, fresh_seq())).collect();
    next += first.len() as u64;
    send_batch(&s, &first);
    let mut buf = vec![0u8; SLOT * APP_BATCH];
    while got < total {
        let out: Vec<Vec<u8>> = match recv_batch(&s, &mut buf) {
            Ok(ps) => {
                let data = ps.iter().filter(|p| p.first() == Some(&6)).count() as u64;
                got += data;
                let more = data.min((total + WINDOW as u64).saturating_sub(next));
                next += more;
                (0..more).map(|_| interest(prefix, fresh_seq())).collect()
            }
            Err(_) => {
                // Datagrams were lost (socket buffers overflowed): refill the window.
                lost_windows += 1;
                next += (WINDOW) as u64;
                (0..WINDOW).map(|_| interest(prefix, fresh_seq())).collect()
            }
        };
        send_batch(&s, &out);
        if t.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    (t.elapsed(), lost_windows.min(got))
}

/// CPU seconds (user + system) the calling thread has used, from /proc/thread-self/stat.
fn thread_cpu_seconds() -> f64 {
    cpu_seconds(std::path::Path::new("/proc/thread-self"))
}

/// CPU seconds (user + system) of the thread whose /proc directory is `task`.
fn cpu_seconds(task: &std::path::Path) -> f64 {
    let stat = std::fs::read_to_string(task.join("stat")).unwrap_or_default();
    // After the parenthesised command name: state is field 3, utime field 14, stime field 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    // Clock ticks are 100 per second on Linux.
    (tick(11) + tick(12)) as f64 / 100.0
}

/// CPU seconds each thread of a run used: the forwarder, the consumer, the producer.
struct Busy {
    fwd: f64,
    consumer: f64,
    producer: f64,
}

fn report(label: &str, total: u64, wall: Duration, busy: Busy, extra: &str) {
    let Busy { fwd, consumer, producer } = busy;
    println!(
        "{label}: {total} Interest/Data exchanges in {:.2} s = {:.0} exchanges/s; forwarding thread busy {fwd:.2} s = {:.0} exchanges per forwarding-core second; apps busy {consumer:.2} s (consumer) + {producer:.2} s (producer){extra}",
        wall.as_secs_f64(),
        total as f64 / wall.as_secs_f64(),
        total as f64 / fwd.max(0.01),
    );
}

/// Measures a timed run: CPU seconds of the forwarder, this thread (the consumer) and the
/// producer thread across `f`.
fn measured<T>(fwd: &std::path::Path, producer: &std::path::Path, f: impl FnOnce() -> T) -> (T, Busy) {
    let before = (cpu_seconds(fwd), thread_cpu_seconds(), cpu_seconds(producer));
    let r = f();
    let busy = Busy {
        fwd: cpu_seconds(fwd) - before.0,
        consumer: thread_cpu_seconds() - before.1,
        producer: cpu_seconds(producer) - before.2,
    };
    (r, busy)
}

/// One million Interests with random names from a UDP face (another host) toward a route
/// that never answers, through the core with its default bounds: the tables' sizes and
/// the process's peak RSS before and after.
fn flood() {
    use ndn::fw::{Config, FaceInfo, Forwarder};
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:").and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())))
            .unwrap_or(0)
    };
    let before = rss();
    let cfg = Config::default();
    let cap = cfg.pit_capacity;
    let mut fw = Forwarder::new(cfg);
    let udp = fw.add_face(FaceInfo::new(FaceUri::Udp4("192.168.49.2:6363".parse().expect("addr")), FaceUri::Udp4("0.0.0.0:6363".parse().expect("addr"))));
    let p = fw.add_face(FaceInfo::new(FaceUri::App("p".into()), FaceUri::Internal));
    fw.add_route(&name("/flood"), p, 0, 255);
    let mut now = Instant::now();
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let n = 1_000_000u32;
    let t = Instant::now();
    for k in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut i = Interest::new(name("/flood").with(ndn::packet::Component::generic(format!("{x:016x}").as_bytes())));
        i.nonce = Some(k);
        i.lifetime_ms = Some(4000);
        now += Duration::from_micros(2);
        if fw.poll_timeout().is_some_and(|w| w <= now) {
            fw.handle_timeout(now);
        }
        fw.handle_packet(now, udp, &i.encode());
        while fw.poll_output().is_some() {}
    }
    let secs = t.elapsed().as_secs_f64();
    let c = fw.counters();
    println!(
        "flood: {n} Interests with random names from a UDP face in {secs:.1} s: PIT {} (capacity {cap}), CS {}, refused {}, peak RSS {} kB before, {} kB after",
        fw.pit_len(),
        fw.cs_len(),
        c.pit_full,
        before,
        rss()
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` / test harness probing
    }
    // Sections named on the command line (`cargo bench -p ndn -- udp`); none means all.
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let run = |s: &str| only.is_empty() || only.iter().any(|o| o == s);
    if run("codec") {
        codec();
    }
    if run("core") {
        core_only();
    }
    if run("flood") {
        flood();
    }
    if !["unix", "tcp", "udp", "udp-single"].into_iter().any(run) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("ndn-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let sock = dir.join("nfd.sock");
    let (tx, rx) = std::sync::mpsc::channel();
    let listen = vec!["tcp4://127.0.0.1:0".parse().expect("uri"), "udp4://127.0.0.1:0".parse().expect("uri")];
    let cfg = RuntimeConfig { unix: Some(sock.clone()), listen, ..Default::default() };
    // A named thread; returns its /proc directory (for its CPU time).
    let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                tx.send(std::fs::read_link("/proc/thread-self").map(|t| std::path::Path::new("/proc").join(t))).expect("send");
                f();
            })
            .expect("thread");
        rx.recv().expect("started").expect("/proc/thread-self")
    };
    // The forwarder: one thread, one current-thread runtime (sockets and core together).
    let fwd = spawn(
        "forwarder",
        Box::new(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let running = start(cfg).await.expect("start");
                tx.send(running.bound.clone()).expect("send");
                let _ = running.task.await;
            });
        }),
    );
    let bound = rx.recv().expect("bound");
    let tcp = bound.iter().find_map(|u| match u {
        FaceUri::Tcp4(a) => Some(SocketAddr::V4(*a)),
        _ => None,
    });
    let udp = bound.iter().find_map(|u| match u {
        FaceUri::Udp4(a) => Some(SocketAddr::V4(*a)),
        _ => None,
    });

    // Stream faces: the producer registers, a warm-up, then the timed run.
    // Each transport has its own prefix, so its producer (and no other) answers.
    let stream = |label: &'static str, connect: &dyn Fn() -> Box<dyn ReadWrite>| {
        let total = exchanges(300_000);
        let prefix = format!("/bench/{label}");
        let p = connect();
        let pp = prefix.clone();
        let producer = spawn(&format!("{label}-producer"), Box::new(move || stream_producer(p, &pp)));
        std::thread::sleep(Duration::from_millis(200)); // let the registration land before timing
        let _ = stream_consumer(connect(), &prefix, 2_000); // warm-up
        let s = connect();
        let (el, busy) = measured(&fwd, &producer, || stream_consumer(s, &prefix, total));
        report(label, total, el, busy, &format!(" (window {WINDOW})"));
    };
    if run("unix") {
        stream("unix", &|| Box::new(UnixStream::connect(&sock).expect("connect")));
    }
    if run("tcp")
        && let Some(tcp) = tcp
    {
        stream("tcp", &|| {
            let s = TcpStream::connect(tcp).expect("connect");
            s.set_nodelay(true).expect("nodelay");
            Box::new(s)
        });
    }
    if let Some(udp) = udp {
        // Applications that batch (recvmmsg/sendmmsg at both ends), then ones that make
        // one system call per datagram; the forwarder is the same.
        type Producer = fn(SocketAddr, &str);
        type Consumer = fn(SocketAddr, &str, u64) -> (Duration, u64);
        let runs: [(&str, &str, &'static str, Producer, Consumer); 2] = [
            ("udp", "udp", "/bench/udp", udp_producer_batched, udp_consumer_batched),
            ("udp-single", "udp, one datagram per call at the apps", "/bench/udp1", udp_producer, udp_consumer),
        ];
        for (section, label, prefix, producer, consumer) in runs {
            if !run(section) {
                continue;
            }
            let total = exchanges(200_000);
            let producer = spawn("udp-producer", Box::new(move || producer(udp, prefix)));
            std::thread::sleep(Duration::from_millis(200));
            let _ = consumer(udp, prefix, 2_000);
            let ((el, stalls), busy) = measured(&fwd, &producer, || consumer(udp, prefix, total));
            report(label, total, el, busy, &format!(" (window {WINDOW}, {stalls} loss stalls of 100 ms included)"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Exchanges per timed run: `default`, or NDN_BENCH_EXCHANGES (fewer for valgrind).
fn exchanges(default: u64) -> u64 {
    std::env::var("NDN_BENCH_EXCHANGES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A stream face's socket, owned by one thread.
trait ReadWrite: Read + Write + Send {}
impl<T: Read + Write + Send> ReadWrite for T {}
