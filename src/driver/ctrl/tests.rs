//! Server tests over real Unix datagram sockets in a temporary directory.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::ctrl::MacAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::time::timeout;

/// Upper bound for anything that should happen at once.
const LIMIT: Duration = Duration::from_secs(5);

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "directd-ctrl-unit-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A wpa_ctrl-like client: its own bound socket, connected to the server.
struct Client {
    sock: UnixDatagram,
}

impl Client {
    fn new(dir: &Path, name: &str, server: &Path) -> Client {
        let sock = UnixDatagram::bind(dir.join(name)).unwrap();
        sock.connect(server).unwrap();
        Client { sock }
    }

    async fn send(&self, s: &[u8]) {
        self.sock.send(s).await.unwrap();
    }

    async fn recv(&self) -> String {
        let mut buf = vec![0u8; 65536];
        let n = timeout(LIMIT, self.sock.recv(&mut buf))
            .await
            .expect("no datagram")
            .unwrap();
        String::from_utf8(buf[..n].to_vec()).unwrap()
    }
}

/// Serves one datagram the way an agent would: PING -> PONG, rest via triage / FAIL.
async fn serve_one(srv: &mut CtrlServer) -> Option<Incoming> {
    let inc = timeout(LIMIT, srv.recv())
        .await
        .expect("server got nothing")
        .unwrap();
    match inc {
        Incoming::Command(cmd) => {
            if let Some((req, r)) = cmd.triage() {
                match req {
                    Request::Ping => r.reply(&Reply::Pong),
                    _ => r.reply(&Reply::Fail),
                }
            }
            None
        }
        other => Some(other),
    }
}

#[tokio::test]
async fn creates_dir_and_answers() {
    let tmp = TempDir::new();
    let dir = tmp.0.join("run");
    let mut srv = CtrlServer::bind(&dir, "wlan0").unwrap();
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o770);
    assert!(
        std::fs::symlink_metadata(dir.join("wlan0"))
            .unwrap()
            .file_type()
            .is_socket()
    );
    let c = Client::new(&tmp.0, "c1", srv.path());
    c.send(b"PING").await;
    serve_one(&mut srv).await;
    assert_eq!(c.recv().await, "PONG\n");
    c.send(b"SCAN").await;
    serve_one(&mut srv).await;
    assert_eq!(c.recv().await, "UNKNOWN COMMAND\n");
    c.send(b"P2P_CONNECT 00:11:22:33:44:55 12345678").await;
    serve_one(&mut srv).await;
    assert_eq!(c.recv().await, "FAIL-INVALID-PIN\n");
    c.send(b"P2P_REJECT nope").await;
    serve_one(&mut srv).await;
    assert_eq!(c.recv().await, "FAIL\n");
}

#[tokio::test]
async fn oversized_request_gets_fail_and_server_survives() {
    let tmp = TempDir::new();
    let mut srv = CtrlServer::bind(&tmp.0, "wlan0").unwrap();
    let c = Client::new(&tmp.0, "c", srv.path());
    // Exactly the maximum is still a request (an unknown one).
    let max = vec![b'X'; MAX_REQUEST_LEN];
    c.send(&max).await;
    serve_one(&mut srv).await;
    assert_eq!(c.recv().await, "UNKNOWN COMMAND\n");
    c.send(&vec![b'X'; MAX_REQUEST_LEN + 1]).await;
    c.send(&vec![b'P'; 60000]).await;
    c.send(b"PING").await;
    // The two oversized datagrams are answered inside recv(); PING comes out.
    serve_one(&mut srv).await;
    assert_eq!(c.recv().await, "FAIL\n");
    assert_eq!(c.recv().await, "FAIL\n");
    assert_eq!(c.recv().await, "PONG\n");
}

#[tokio::test]
async fn attach_level_detach_and_event_filtering() {
    let tmp = TempDir::new();
    let mut srv = CtrlServer::bind(&tmp.0, "p2p-dev-wlan0").unwrap();
    let events = srv.event_sender();
    let a = Client::new(&tmp.0, "a", srv.path());
    let b = Client::new(&tmp.0, "b", srv.path());
    // LEVEL before ATTACH fails (not a monitor).
    a.send(b"LEVEL 4").await;
    a.send(b"ATTACH").await;
    b.send(b"ATTACH").await;
    let first = serve_one(&mut srv).await;
    assert_eq!(a.recv().await, "FAIL\n");
    assert!(
        matches!(first, Some(Incoming::Attached { client: ClientAddr::Path(ref p), ref interface }) if p.ends_with("a") && interface == "p2p-dev-wlan0")
    );
    assert_eq!(a.recv().await, "OK\n");
    assert!(matches!(
        serve_one(&mut srv).await,
        Some(Incoming::Attached { .. })
    ));
    assert_eq!(b.recv().await, "OK\n");
    assert_eq!(srv.attached_count(), 2);

    // b raises its level to WARNING: INFO events no longer reach it.
    b.send(b"LEVEL 4").await;
    a.send(b"PING").await; // processed after b's LEVEL: a sync point
    serve_one(&mut srv).await;
    assert_eq!(b.recv().await, "OK\n");
    assert_eq!(a.recv().await, "PONG\n");
    let ev = Event::DeviceLost {
        p2p_dev_addr: MacAddr([2, 0, 0, 0, 1, 0]),
    };
    assert_eq!(events.send(MsgLevel::Info, &ev), 1);
    assert_eq!(
        a.recv().await,
        "<3>P2P-DEVICE-LOST p2p_dev_addr=02:00:00:00:01:00"
    );
    assert_eq!(events.send_text(MsgLevel::Warning, "X"), 2);
    assert_eq!(a.recv().await, "<4>X");
    assert_eq!(b.recv().await, "<4>X");

    a.send(b"DETACH").await;
    assert!(matches!(
        serve_one(&mut srv).await,
        Some(Incoming::Detached { .. })
    ));
    assert_eq!(a.recv().await, "OK\n");
    a.send(b"DETACH").await; // not attached any more: FAIL, no Incoming
    a.send(b"PING").await;
    assert!(serve_one(&mut srv).await.is_none());
    assert_eq!(a.recv().await, "FAIL\n");
    assert_eq!(a.recv().await, "PONG\n");
    assert_eq!(srv.attached_count(), 1);
}

#[tokio::test]
async fn vanished_monitor_is_dropped() {
    let tmp = TempDir::new();
    let mut srv = CtrlServer::bind(&tmp.0, "wlan0").unwrap();
    let c = Client::new(&tmp.0, "gone", srv.path());
    c.send(b"ATTACH").await;
    serve_one(&mut srv).await;
    assert_eq!(c.recv().await, "OK\n");
    drop(c);
    // The client's socket file still exists but nobody reads it: ECONNREFUSED.
    assert_eq!(srv.send_event(MsgLevel::Info, &Event::FindStopped), 0);
    assert_eq!(srv.attached_count(), 0);

    let c2 = Client::new(&tmp.0, "gone2", srv.path());
    c2.send(b"ATTACH").await;
    serve_one(&mut srv).await;
    assert_eq!(c2.recv().await, "OK\n");
    drop(c2);
    std::fs::remove_file(tmp.0.join("gone2")).unwrap(); // ENOENT
    assert_eq!(srv.send_event(MsgLevel::Info, &Event::FindStopped), 0);
    assert_eq!(srv.attached_count(), 0);
}

#[tokio::test]
async fn monitor_that_never_reads_is_dropped_after_repeated_failures() {
    let tmp = TempDir::new();
    let mut srv = CtrlServer::bind(&tmp.0, "wlan0").unwrap();
    let c = Client::new(&tmp.0, "slow", srv.path());
    c.send(b"ATTACH").await;
    serve_one(&mut srv).await;
    // Never read: its receive queue fills, then sends fail with EAGAIN.
    let big = "E".repeat(4000);
    let mut sent = 0;
    for _ in 0..10_000 {
        sent += srv.event_sender().send_text(MsgLevel::Info, &big);
        if srv.attached_count() == 0 {
            break;
        }
    }
    assert_eq!(
        srv.attached_count(),
        0,
        "monitor kept after {sent} deliveries"
    );
    assert!(sent > 0);
}

#[tokio::test]
async fn stale_socket_replaced_live_one_refused() {
    let tmp = TempDir::new();
    std::fs::create_dir_all(&tmp.0).unwrap();
    let path = tmp.0.join("wlan0");
    // A socket file whose owner is gone (bound, then closed without unlink).
    drop(StdUnixDatagram::bind(&path).unwrap());
    assert!(path.exists());
    let srv = CtrlServer::bind(&tmp.0, "wlan0").unwrap();
    // A second daemon must not steal it.
    match CtrlServer::bind(&tmp.0, "wlan0") {
        Err(e @ CtrlError::AlreadyServed { .. }) => {
            assert_eq!(
                e.to_string(),
                format!("another daemon is serving {}", path.display())
            )
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("second bind succeeded"),
    }
    srv.close();
    assert!(!path.exists());
    // A regular file is not removed.
    std::fs::write(&path, b"x").unwrap();
    assert!(matches!(
        CtrlServer::bind(&tmp.0, "wlan0"),
        Err(CtrlError::NotASocket { .. })
    ));
    assert!(path.exists());
}

#[tokio::test]
async fn socket_file_removed_on_drop_and_bad_names_rejected() {
    let tmp = TempDir::new();
    let srv = CtrlServer::bind(&tmp.0, "wlan1").unwrap();
    let path = srv.path().to_owned();
    assert!(path.exists());
    drop(srv);
    assert!(!path.exists());
    assert!(matches!(
        CtrlServer::bind(&tmp.0, "a/b"),
        Err(CtrlError::InvalidIfname(_))
    ));
    assert!(matches!(
        CtrlServer::bind(&tmp.0, ""),
        Err(CtrlError::InvalidIfname(_))
    ));
    assert!(matches!(
        CtrlServer::bind(&tmp.0, &"x".repeat(200)),
        Err(CtrlError::PathTooLong(_))
    ));
}

#[tokio::test]
async fn dropped_command_answers_fail_and_deferred_reply_works() {
    let tmp = TempDir::new();
    let mut srv = CtrlServer::bind(&tmp.0, "wlan0").unwrap();
    let c = Client::new(&tmp.0, "c", srv.path());
    c.send(b"STATUS").await;
    let Incoming::Command(cmd) = timeout(LIMIT, srv.recv()).await.unwrap().unwrap() else {
        panic!()
    };
    assert_eq!(cmd.request(), Ok(&Request::Status { verbose: false }));
    drop(cmd);
    assert_eq!(c.recv().await, "FAIL\n");

    c.send(b"IFNAME=p2p-dev-wlan0 P2P_CONNECT 00:11:22:33:44:55 pin")
        .await;
    let Incoming::Command(cmd) = timeout(LIMIT, srv.recv()).await.unwrap().unwrap() else {
        panic!()
    };
    assert_eq!(cmd.ifname_prefix(), Some("p2p-dev-wlan0"));
    let (req, replier) = cmd.into_parts();
    assert!(matches!(req, Ok(Request::P2pConnect(_))));
    replier.reply(&Reply::Pin(crate::ctrl::Pin::from_seven_digits(4449060)));
    assert_eq!(c.recv().await, "44490607");
}

#[tokio::test]
async fn one_loop_serves_several_sockets() {
    use futures::StreamExt;
    let tmp = TempDir::new();
    let dev = CtrlServer::bind(&tmp.0, "p2p-dev-wlan0").unwrap();
    let grp = CtrlServer::bind(&tmp.0, "p2p-wlan0-0").unwrap();
    let grp_events = grp.event_sender();
    let mut all = futures::stream::SelectAll::new();
    all.push(dev);
    all.push(grp);
    let a = Client::new(&tmp.0, "a", &tmp.0.join("p2p-dev-wlan0"));
    let b = Client::new(&tmp.0, "b", &tmp.0.join("p2p-wlan0-0"));
    b.send(b"ATTACH").await;
    a.send(b"PING").await;
    let mut got = Vec::new();
    for _ in 0..2 {
        let inc = timeout(LIMIT, all.next()).await.unwrap().unwrap().unwrap();
        got.push(inc.interface().to_owned());
        match inc {
            Incoming::Command(c) => {
                assert_eq!(c.request(), Ok(&Request::Ping));
                c.reply(&Reply::Pong);
            }
            Incoming::Attached { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    got.sort();
    assert_eq!(got, ["p2p-dev-wlan0", "p2p-wlan0-0"]);
    assert_eq!(a.recv().await, "PONG\n");
    assert_eq!(b.recv().await, "OK\n");
    assert_eq!(grp_events.send(MsgLevel::Info, &Event::WpsSuccess), 1);
    assert_eq!(b.recv().await, "<3>WPS-SUCCESS ");
    // The socket files go away with the last handle.
    drop(all);
    assert!(!tmp.0.join("p2p-dev-wlan0").exists());
    assert!(tmp.0.join("p2p-wlan0-0").exists());
    drop(grp_events);
    assert!(!tmp.0.join("p2p-wlan0-0").exists());
}

#[tokio::test]
async fn unbound_sender_is_ignored() {
    let tmp = TempDir::new();
    let mut srv = CtrlServer::bind(&tmp.0, "wlan0").unwrap();
    let anon = UnixDatagram::unbound().unwrap();
    anon.send_to(b"PING", srv.path()).await.unwrap();
    let c = Client::new(&tmp.0, "c", srv.path());
    c.send(b"PING").await;
    let Incoming::Command(cmd) = timeout(LIMIT, srv.recv()).await.unwrap().unwrap() else {
        panic!()
    };
    assert_eq!(cmd.client(), &ClientAddr::Path(tmp.0.join("c")));
    cmd.reply(&Reply::Pong);
    assert_eq!(c.recv().await, "PONG\n");
}

#[test]
fn bind_outside_a_runtime_is_an_error_not_a_panic() {
    let tmp = TempDir::new();
    assert!(matches!(CtrlServer::bind(&tmp.0, "wlan0"), Err(CtrlError::NoRuntime)));
    assert!(!tmp.0.join("wlan0").exists());
}

/// Runs `python3` as another user (uid 65534, primary group `gid`) to send PING to the
/// socket at `server` from its own socket `client`; what it prints: the reply, or the step
/// that failed and the error's name.
fn ping_as_other_user(python: &Path, server: &Path, client: &Path, gid: u32) -> String {
    use std::os::unix::process::CommandExt;
    let script = "import socket,sys\n\
        s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n\
        s.settimeout(5)\n\
        step='bind'\n\
        try:\n s.bind(sys.argv[2]); step='connect'; s.connect(sys.argv[1]); step='recv'; s.send(b'PING'); print(s.recv(100).decode().strip())\n\
        except OSError as e:\n print(step + ': ' + type(e).__name__)\n";
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(server)
        .arg(client)
        .uid(65534)
        .gid(gid)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(client);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// `--ctrl-group`: the directory and the socket are 0770 and the group's; a user of the
/// group gets PONG, any other user cannot even reach the socket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ctrl_group_alone_reaches_the_socket() {
    use std::os::unix::fs::MetadataExt;
    let tmp = TempDir::new();
    std::fs::DirBuilder::new().mode(0o755).create(&tmp.0).unwrap();
    std::fs::set_permissions(&tmp.0, std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.0.join("run");
    let gid = 4242;
    let root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
    if !root {
        // chown to another group needs root (or membership); the mode is still ours to check.
        let srv = CtrlServer::bind(&dir, "wlan0").unwrap();
        assert_eq!(std::fs::metadata(srv.path()).unwrap().permissions().mode() & 0o777, 0o770);
        eprintln!("not root: group ownership and other users not checked");
        return;
    }
    let mut srv = CtrlServer::bind_with_group(&dir, "wlan0", Some(gid)).unwrap();
    for p in [dir.as_path(), srv.path()] {
        let m = std::fs::metadata(p).unwrap();
        assert_eq!((m.permissions().mode() & 0o777, m.gid()), (0o770, gid), "{}", p.display());
    }
    // An existing directory is given to the group too (wpa_supplicant's lchown + chmod).
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::chown(&dir, None, Some(0)).unwrap();
    let other = CtrlServer::bind_with_group(&dir, "wlan1", Some(gid)).unwrap();
    let m = std::fs::metadata(&dir).unwrap();
    assert_eq!((m.permissions().mode() & 0o777, m.gid()), (0o770, gid));
    drop(other);

    let python = Path::new("/usr/bin/python3");
    if !python.exists() {
        eprintln!("no /usr/bin/python3: other users not checked");
        return;
    }
    let server = srv.path().to_owned();
    // The clients' own sockets go where anyone may create files.
    let clients = tmp.0.join("clients");
    std::fs::DirBuilder::new().mode(0o777).create(&clients).unwrap();
    std::fs::set_permissions(&clients, std::fs::Permissions::from_mode(0o777)).unwrap();
    let outsider = tokio::task::spawn_blocking({
        let (server, client) = (server.clone(), clients.join("outsider"));
        move || ping_as_other_user(python, &server, &client, 65534)
    })
    .await
    .unwrap();
    assert_eq!(outsider, "connect: PermissionError", "a user outside the group");
    let member = tokio::task::spawn_blocking({
        let (server, client) = (server.clone(), clients.join("member"));
        move || ping_as_other_user(python, &server, &client, gid)
    });
    match timeout(LIMIT, srv.recv()).await {
        Ok(Ok(Incoming::Command(cmd))) => cmd.reply(&Reply::Pong),
        other => panic!("{other:?}; the member said {:?}", member.await),
    }
    assert_eq!(member.await.unwrap(), "PONG", "a member of the group");
}

/// Requests that are not requests: each gets an answer (or is dropped when it cannot be
/// answered), and the server goes on.
#[tokio::test]
async fn empty_binary_and_truncated_requests_are_answered() {
    let tmp = TempDir::new();
    let mut srv = CtrlServer::bind(&tmp.0, "wlan0").unwrap();
    let c = Client::new(&tmp.0, "c", srv.path());
    let cases: [(&[u8], &str); 9] = [
        (b"", "FAIL\n"),
        (b"\0\0\0\0", "UNKNOWN COMMAND\n"),
        (b"\xff\xfe\x80P\x00ING", "FAIL\n"),
        (b"P2P_CONNECT 00:11:22:33:44", "FAIL\n"),
        (b"WPS_PIN", "FAIL\n"),
        (b"WPS_PIN any 1234567", "FAIL-INVALID-PIN\n"),
        (b"LEVEL", "FAIL\n"),
        (b"IFNAME=", "UNKNOWN COMMAND\n"),
        (b"P2P_FIND \xc3", "FAIL\n"),
    ];
    for (req, want) in cases {
        c.send(req).await;
        serve_one(&mut srv).await;
        assert_eq!(c.recv().await, want, "{req:?}");
    }
    c.send(b"PING").await;
    serve_one(&mut srv).await;
    assert_eq!(c.recv().await, "PONG\n");
}

fn rss_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0)
}

/// 100 monitors that attach and never read, and 10,000 requests from one client (one in
/// fifty malformed or oversized) while the server emits an event every ten requests.
/// Prints reply latency and RSS (of the whole test process: run it alone for a clean
/// figure, `cargo test -p directd --lib a_hundred_stuck -- --nocapture`); asserts only
/// that every request was answered and every stuck monitor detached.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_stuck_monitors_and_ten_thousand_requests() {
    // DIRECTD_CTRL_MONITORS=N tries another count (mind `ulimit -n`).
    let monitors: usize = std::env::var("DIRECTD_CTRL_MONITORS").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    const REQUESTS: usize = 10_000;
    let tmp = TempDir::new();
    let mut srv = CtrlServer::bind(&tmp.0, "wlan0").unwrap();
    let events = srv.event_sender();
    let mut stuck = Vec::new();
    for i in 0..monitors {
        let m = Client::new(&tmp.0, &format!("m{i}"), srv.path());
        m.send(b"ATTACH").await;
        serve_one(&mut srv).await;
        assert_eq!(m.recv().await, "OK\n");
        stuck.push(m);
    }
    assert_eq!(srv.attached_count(), monitors);
    let rss_before = rss_kib();
    let server = tokio::spawn(async move {
        let mut n = 0usize;
        loop {
            if let Incoming::Command(cmd) = srv.recv().await.unwrap()
                && let Some((req, r)) = cmd.triage()
            {
                match req {
                    Request::Ping => r.reply(&Reply::Pong),
                    Request::Terminate => {
                        r.reply(&Reply::Ok);
                        return srv;
                    }
                    _ => r.reply(&Reply::Fail),
                }
            }
            n += 1;
            if n.is_multiple_of(10) {
                events.send_text(MsgLevel::Info, "P2P-DEVICE-FOUND 02:00:00:00:01:00 p2p_dev_addr=02:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='load' config_methods=0x188 dev_capab=0x25 group_capab=0x0 new=1");
            }
        }
    });
    let c = Client::new(&tmp.0, "c", &tmp.0.join("wlan0"));
    let mut lat = Vec::with_capacity(REQUESTS);
    let mut answered = 0;
    for i in 0..REQUESTS {
        let (req, want): (Vec<u8>, &str) = match i % 50 {
            7 => (vec![b'X'; MAX_REQUEST_LEN + 100], "FAIL\n"),
            17 => (Vec::new(), "FAIL\n"),
            27 => (vec![0xff, 0x00, 0x80, 0x41], "FAIL\n"),
            37 => (b"P2P_CONNECT 00:11".to_vec(), "FAIL\n"),
            _ => (b"PING".to_vec(), "PONG\n"),
        };
        let t = std::time::Instant::now();
        c.send(&req).await;
        let got = c.recv().await;
        lat.push(t.elapsed());
        assert_eq!(got, want, "request {i}");
        answered += 1;
    }
    c.send(b"TERMINATE").await;
    assert_eq!(c.recv().await, "OK\n");
    let srv = server.await.unwrap();
    let rss_after = rss_kib();
    lat.sort();
    let pct = |p: usize| lat[(lat.len() * p / 100).min(lat.len() - 1)];
    eprintln!(
        "ctrl load: {answered}/{REQUESTS} answered with {monitors} stuck monitors; reply latency p50 {:?} p99 {:?} max {:?}; \
         monitors still attached {}; RSS {rss_before} KiB -> {rss_after} KiB",
        pct(50),
        pct(99),
        lat[lat.len() - 1],
        srv.attached_count()
    );
    assert_eq!(answered, REQUESTS);
    assert_eq!(srv.attached_count(), 0, "every monitor that never reads was detached");
    drop(stuck);
}

#[test]
fn stale_group_sockets_of_a_killed_daemon_are_removed_and_live_ones_kept() {
    let d = TempDir::new();
    std::fs::create_dir_all(&d.0).unwrap();
    // A socket nobody serves (its owner was killed), one still served, a file that is no
    // socket, and names that are not our groups.
    drop(StdUnixDatagram::bind(d.0.join("p2p-wlan0-0")).unwrap());
    let live = StdUnixDatagram::bind(d.0.join("p2p-wlan0-1")).unwrap();
    std::fs::write(d.0.join("p2p-wlan0-2"), b"not a socket").unwrap();
    drop(StdUnixDatagram::bind(d.0.join("p2p-wlan1-0")).unwrap());
    drop(StdUnixDatagram::bind(d.0.join("p2p-wlan0-x")).unwrap());
    CtrlServer::remove_stale_group_sockets(&d.0, "p2p-wlan0-");
    assert!(!d.0.join("p2p-wlan0-0").exists(), "the stale group socket is gone");
    for kept in ["p2p-wlan0-1", "p2p-wlan0-2", "p2p-wlan1-0", "p2p-wlan0-x"] {
        assert!(d.0.join(kept).exists(), "{kept} kept");
    }
    drop(live);
}
