//! The transport layer and the in-process API, on loopback and a temp Unix socket.
//! No test races a sleep: each waits on a reply with a generous upper bound.

use ndn::face::{ExpressError, RuntimeConfig, start};
use ndn::fw::FaceUri;
use ndn::packet::lp::NackReason;
use ndn::packet::{Data, Interest, Name};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn name(s: &str) -> Name {
    s.parse().expect("name")
}

fn tmp_sock(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("ndn-rt-{tag}-{}.sock", std::process::id()))
}

/// Reads one TLV off a stream.
async fn read_tlv(s: &mut (impl AsyncReadExt + Unpin)) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        if let Ok(Some(n)) = ndn::tlv::frame_len(&buf)
            && n == buf.len()
        {
            return buf;
        }
        s.read_exact(&mut byte).await.expect("read");
        buf.push(byte[0]);
    }
}

#[tokio::test]
async fn serve_and_express_in_process() {
    let rt = start(RuntimeConfig::default()).await.expect("start");
    let h = rt.handle.clone();
    h.serve(name("/svc"), |i: &Interest, _: &ndn::fw::Forwarder| Some(Data::new(i.name.clone(), b"pong".to_vec()))).await.expect("serve");
    let mut i = Interest::new(name("/svc/ping"));
    i.lifetime_ms = Some(2000);
    let d = tokio::time::timeout(Duration::from_secs(5), h.express(i)).await.expect("in time").expect("data");
    assert_eq!(d.content.as_deref(), Some(&b"pong"[..]));
    // A handler sees the forwarder: this one answers with the FIB's prefixes (as a probe does).
    h.serve(name("/fib"), |i: &Interest, fw: &ndn::fw::Forwarder| {
        let names: Vec<String> = fw.fib().sorted().iter().map(|e| e.name.to_string()).collect();
        Some(Data::new(i.name.clone(), names.join("\n").into_bytes()))
    })
    .await
    .expect("serve");
    let d = h.express(Interest::new(name("/fib/list"))).await.expect("data");
    assert_eq!(d.content.as_deref(), Some(&b"/fib\n/svc"[..]));
    assert_eq!(h.fib().await.len(), 2);
    let mut i = Interest::new(name("/nothing"));
    i.lifetime_ms = Some(2000);
    assert_eq!(h.express(i).await, Err(ExpressError::Nack(NackReason::NoRoute)));
    // A handler that stays silent: the Interest times out after its lifetime.
    h.serve(name("/silent"), |_: &Interest, _: &ndn::fw::Forwarder| None).await.expect("serve");
    let mut i = Interest::new(name("/silent/x"));
    i.lifetime_ms = Some(100);
    assert_eq!(h.express(i).await, Err(ExpressError::Timeout));
    h.shutdown();
    rt.task.await.expect("core");
}

#[tokio::test]
async fn unix_socket_app_gets_data_from_an_in_process_producer() {
    let path = tmp_sock("unix");
    let rt = start(RuntimeConfig { unix: Some(path.clone()), ..Default::default() }).await.expect("start");
    rt.handle.serve(name("/local"), |i: &Interest, _: &ndn::fw::Forwarder| Some(Data::new(i.name.clone(), b"hi".to_vec()))).await.expect("serve");
    let mut s = tokio::net::UnixStream::connect(&path).await.expect("connect");
    let mut i = Interest::new(name("/local/a"));
    i.nonce = Some(1);
    // Two Interests in one write: the stream framing must split them.
    let mut two = i.encode();
    i.name = name("/local/b");
    i.nonce = Some(2);
    two.extend(i.encode());
    s.write_all(&two).await.expect("write");
    let a = Data::decode(&read_tlv(&mut s).await).expect("data");
    let b = Data::decode(&read_tlv(&mut s).await).expect("data");
    let mut names = vec![a.name.to_string(), b.name.to_string()];
    names.sort();
    assert_eq!(names, ["/local/a", "/local/b"]);
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).expect("meta").permissions());
    assert_eq!(mode & 0o777, 0o666, "any local user may attach");
    rt.handle.shutdown();
    rt.task.await.expect("core");
    assert!(!path.exists(), "socket removed on shutdown");
}

#[tokio::test]
async fn tcp_and_udp_faces_on_loopback() {
    let rt = start(RuntimeConfig {
        listen: vec!["tcp4://127.0.0.1:0".parse().expect("uri"), "udp4://127.0.0.1:0".parse().expect("uri")],
        ..Default::default()
    })
    .await
    .expect("start");
    let (tcp, udp) = match rt.bound.as_slice() {
        [FaceUri::Tcp4(t), FaceUri::Udp4(u)] => (*t, *u),
        other => panic!("bound {other:?}"),
    };
    rt.handle.serve(name("/net"), |i: &Interest, _: &ndn::fw::Forwarder| Some(Data::new(i.name.clone(), b"x".to_vec()))).await.expect("serve");
    // TCP client.
    let mut s = tokio::net::TcpStream::connect(tcp).await.expect("connect");
    let mut i = Interest::new(name("/net/tcp"));
    i.nonce = Some(5);
    s.write_all(&i.encode()).await.expect("write");
    assert_eq!(Data::decode(&read_tlv(&mut s).await).map(|d| d.name), Ok(name("/net/tcp")));
    // UDP client: one packet per datagram.
    let u = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    i.name = name("/net/udp");
    i.nonce = Some(6);
    u.send_to(&i.encode(), udp).await.expect("send");
    let mut buf = vec![0u8; 9000];
    let (n, _) = tokio::time::timeout(Duration::from_secs(5), u.recv_from(&mut buf)).await.expect("in time").expect("recv");
    assert_eq!(Data::decode(&buf[..n]).map(|d| d.name), Ok(name("/net/udp")));
    // The forwarder made one on-demand face per client, and the API lists them.
    let faces = rt.handle.faces().await;
    assert!(faces.iter().any(|(_, info, c)| matches!(info.remote, FaceUri::Tcp4(_)) && c.in_interests == 1));
    assert!(faces.iter().any(|(_, info, c)| matches!(info.remote, FaceUri::Udp4(_)) && c.out_data == 1));
    // API-created face towards the UDP listener of a second forwarder, with a route.
    let rt2 = start(RuntimeConfig { listen: vec!["udp4://127.0.0.1:0".parse().expect("uri")], ..Default::default() })
        .await
        .expect("start");
    let FaceUri::Udp4(udp2) = rt2.bound[0] else { panic!("bound") };
    rt2.handle.serve(name("/far"), |i: &Interest, _: &ndn::fw::Forwarder| Some(Data::new(i.name.clone(), b"far".to_vec()))).await.expect("serve");
    let face = rt.handle.add_face(FaceUri::Udp4(udp2)).await.expect("face");
    assert!(rt.handle.add_route(name("/far"), face, 1).await);
    let mut i = Interest::new(name("/far/away"));
    i.lifetime_ms = Some(2000);
    let d = rt.handle.express(i).await.expect("data via the second forwarder");
    assert_eq!(d.content.as_deref(), Some(&b"far"[..]));
    // A TCP connect that is refused reports an error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = closed.local_addr().expect("addr");
    drop(closed);
    let std::net::SocketAddr::V4(dead) = dead else { panic!("v4") };
    assert!(rt.handle.add_face(FaceUri::Tcp4(dead)).await.is_err());
    rt.handle.shutdown();
    rt2.handle.shutdown();
}

/// Bursts from several UDP peers, interleaved, queued before the forwarder reads (so its
/// batched reads mix peers): each peer gets a face of its own and exactly its own Data.
#[tokio::test]
async fn interleaved_udp_bursts_from_several_peers_reach_their_own_faces() {
    let rt = start(RuntimeConfig { listen: vec!["udp4://127.0.0.1:0".parse().expect("uri")], ..Default::default() })
        .await
        .expect("start");
    let FaceUri::Udp4(udp) = rt.bound[0] else { panic!("bound") };
    rt.handle
        .serve(name("/burst"), |i: &Interest, _: &ndn::fw::Forwarder| Some(Data::new(i.name.clone(), i.name.to_string().into_bytes())))
        .await
        .expect("serve");
    const PEERS: usize = 3;
    const EACH: usize = 40;
    let mut peers = Vec::new();
    for _ in 0..PEERS {
        let s = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("bind");
        s.writable().await.expect("writable");
        peers.push(s);
    }
    // Round-robin, nothing awaited in between that lets the core run before all are queued.
    for k in 0..EACH {
        for (p, s) in peers.iter().enumerate() {
            let mut i = Interest::new(name(&format!("/burst/{p}/{k}")));
            i.nonce = Some((p * 1000 + k) as u32);
            s.try_send_to(&i.encode(), udp.into()).expect("queued");
        }
    }
    let mut buf = vec![0u8; 9000];
    for (p, s) in peers.iter().enumerate() {
        let mut got = Vec::new();
        for _ in 0..EACH {
            let (n, _) = tokio::time::timeout(Duration::from_secs(5), s.recv_from(&mut buf)).await.expect("in time").expect("recv");
            let d = Data::decode(&buf[..n]).expect("data");
            assert_eq!(d.content.as_deref(), Some(d.name.to_string().as_bytes()));
            got.push(d.name.to_string());
        }
        got.sort();
        let mut want: Vec<String> = (0..EACH).map(|k| format!("/burst/{p}/{k}")).collect();
        want.sort();
        assert_eq!(got, want, "peer {p} got exactly its own Data");
    }
    let faces = rt.handle.faces().await;
    for s in &peers {
        let std::net::SocketAddr::V4(me) = s.local_addr().expect("addr") else { panic!("v4") };
        let c = faces.iter().find(|(_, info, _)| info.remote == FaceUri::Udp4(me)).map(|(_, _, c)| *c).expect("a face per peer");
        assert_eq!((c.in_interests, c.out_data), (EACH as u64, EACH as u64));
    }
    assert_eq!(faces.iter().filter(|(_, info, _)| matches!(info.remote, FaceUri::Udp4(_))).count(), PEERS);
    assert_eq!(rt.handle.counters().await.map(|c| c.truncated), Some(0));
    rt.handle.shutdown();
}

#[tokio::test]
async fn idle_on_demand_udp_faces_are_closed() {
    let rt = start(RuntimeConfig {
        listen: vec!["udp4://127.0.0.1:0".parse().expect("uri")],
        udp_idle_timeout: Duration::from_millis(200),
        ..Default::default()
    })
    .await
    .expect("start");
    let FaceUri::Udp4(udp) = rt.bound[0] else { panic!("bound") };
    let u = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    u.send_to(&Interest::new(name("/x")).encode(), udp).await.expect("send");
    let is_udp = |f: &[(u64, ndn::fw::FaceInfo, ndn::fw::FaceCounters)]| f.iter().any(|(_, i, _)| matches!(i.remote, FaceUri::Udp4(_)));
    // Wait (bounded) for the face to appear, then for the idle sweep to remove it.
    let mut seen = false;
    for _ in 0..100 {
        let faces = rt.handle.faces().await;
        seen |= is_udp(&faces);
        if seen && !is_udp(&faces) {
            rt.handle.shutdown();
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the on-demand UDP face (seen: {seen}) was not closed after being idle");
}

#[tokio::test]
async fn malformed_stream_closes_the_face() {
    let path = tmp_sock("bad");
    let rt = start(RuntimeConfig { unix: Some(path.clone()), ..Default::default() }).await.expect("start");
    let mut s = tokio::net::UnixStream::connect(&path).await.expect("connect");
    // TLV-TYPE 0 is invalid: the forwarder drops the connection.
    s.write_all(&[0x00, 0x01, 0x00]).await.expect("write");
    let mut buf = [0u8; 16];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await.expect("in time").unwrap_or(0);
    assert_eq!(n, 0, "closed");
    rt.handle.shutdown();
    rt.task.await.expect("core");
}

#[tokio::test]
async fn a_silent_handler_answers_later_with_put() {
    let rt = start(RuntimeConfig::default()).await.expect("start");
    let h = rt.handle.clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let face = h
        .serve(name("/later"), move |i: &Interest, _: &ndn::fw::Forwarder| {
            let _ = tx.send(i.name.clone());
            None
        })
        .await
        .expect("serve");
    let mut i = Interest::new(name("/later/x"));
    i.lifetime_ms = Some(4000);
    let pending = tokio::spawn({
        let h = h.clone();
        async move { h.express(i).await }
    });
    let asked = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("in time").expect("name");
    assert!(h.put(face, Data::new(asked, b"late".to_vec())).await);
    let d = tokio::time::timeout(Duration::from_secs(5), pending).await.expect("in time").expect("join").expect("data");
    assert_eq!(d.content.as_deref(), Some(&b"late"[..]));
    // Only producer faces take a put.
    let consumer_like = h.add_face("udp4://127.0.0.1:9".parse().expect("uri")).await.expect("face");
    assert!(!h.put(consumer_like, Data::new(name("/later/y"), b"x".to_vec())).await);
    h.shutdown();
    rt.task.await.expect("core");
}

#[tokio::test]
async fn listeners_come_and_go_while_running_and_faces_reply_from_them() {
    let rt = start(RuntimeConfig::default()).await.expect("start");
    let h = rt.handle.clone();
    let FaceUri::Udp4(bound) = h.listen("udp4://127.0.0.1:0".parse().expect("uri")).await.expect("listen") else {
        panic!("not udp")
    };
    let FaceUri::Tcp4(tcp) = h.listen("tcp4://127.0.0.1:0".parse().expect("uri")).await.expect("listen") else {
        panic!("not tcp")
    };
    assert!(h.listen("udp4://127.0.0.1:0".parse().expect("uri")).await.is_ok());
    assert!(h.listen("unix:///tmp/x".parse().expect("uri")).await.is_err());
    // A face opened towards a peer sends from the listener on the routed address, so the
    // peer sees the listening port.
    let peer = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("peer");
    let std::net::SocketAddr::V4(peer_addr) = peer.local_addr().expect("addr") else { panic!("v4") };
    let face = h.add_face(FaceUri::Udp4(peer_addr)).await.expect("face");
    assert!(h.add_route(name("/peer"), face, 0).await);
    let mut i = Interest::new(name("/peer/a"));
    i.lifetime_ms = Some(200);
    let h2 = h.clone();
    let pending = tokio::spawn(async move { h2.express(i).await });
    let mut buf = vec![0u8; 9000];
    let (_, from) = tokio::time::timeout(Duration::from_secs(5), peer.recv_from(&mut buf)).await.expect("in time").expect("recv");
    assert_eq!(from, std::net::SocketAddr::V4(bound));
    let _ = pending.await;
    assert!(tokio::net::TcpStream::connect(tcp).await.is_ok());
    // Closed: the UDP listener's faces go with it; the TCP port refuses.
    assert!(h.unlisten(FaceUri::Udp4(bound)).await);
    assert!(h.faces().await.iter().all(|(f, _, _)| *f != face));
    assert!(!h.unlisten(FaceUri::Udp4(bound)).await);
    assert!(h.unlisten(FaceUri::Tcp4(tcp)).await);
    tokio::task::yield_now().await;
    assert!(tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if tokio::net::TcpStream::connect(tcp).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .is_ok());
    h.shutdown();
    rt.task.await.expect("core");
}
