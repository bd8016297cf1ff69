//! The real `wpa_cli` (Debian package wpasupplicant) against directd's control server.
//!
//! Each test binds a `CtrlServer` in its own temporary directory, runs a small stand-in daemon
//! loop on it (answering like directd's agent would from fake state), and runs `wpa_cli` as a
//! subprocess. Without wpa_cli the tests fail when `CI` is set and are skipped otherwise.
//! Timeouts are only upper bounds against hangs; nothing waits for a fixed time.

#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram as StdUnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use directd::ctrl::{
    ConnectMethod, DeviceType, Event, GroupCredential, GroupRole, MacAddr, MsgLevel, PeerInfo,
    PeerQuery, Pin, Reply, Request,
};
use directd::driver::ctrl::{CtrlServer, Incoming};
use tokio::net::UnixDatagram;
use tokio::sync::mpsc;
use tokio::time::timeout;

const IFNAME: &str = "p2p-dev-wlan0";
/// Upper bound for one wpa_cli run (wpa_cli itself gives up on a request after 10 s).
const LIMIT: Duration = Duration::from_secs(20);

fn wpa_cli() -> Option<PathBuf> {
    let from_env = std::env::var_os("WPA_CLI").map(PathBuf::from);
    let candidates = from_env.into_iter().chain(
        [
            "/usr/sbin/wpa_cli",
            "/sbin/wpa_cli",
            "/usr/bin/wpa_cli",
            "/usr/local/sbin/wpa_cli",
        ]
        .map(PathBuf::from),
    );
    for c in candidates {
        if c.is_file() {
            return Some(c);
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "wpa_cli not found (install the wpasupplicant package, or set WPA_CLI); required when CI is set"
        );
    }
    eprintln!("NOTE: wpa_cli not found; skipping this test (install wpasupplicant to run it)");
    None
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "dd-ctrl-it-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn ctrl_dir(&self) -> PathBuf {
        self.0.join("ctrl")
    }

    fn client_dir(&self) -> PathBuf {
        let d = self.0.join("clients");
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mac(s: &str) -> MacAddr {
    s.parse().unwrap()
}

const DEV_ADDR: &str = "02:00:00:00:00:00";

fn peer(addr: &str, name: &str) -> PeerInfo {
    PeerInfo {
        p2p_dev_addr: mac(addr),
        pri_dev_type: DeviceType {
            category: 1,
            oui: 0x0050F204,
            sub_category: 1,
        },
        device_name: name.into(),
        manufacturer: "directd".into(),
        model_name: "test".into(),
        model_number: "1".into(),
        serial_number: "".into(),
        config_methods: 0x188,
        dev_capab: 0x25,
        group_capab: 0,
        level: -30,
        extra: vec![],
    }
}

/// What the stand-in daemon reports to the test.
#[derive(Debug, PartialEq)]
enum Seen {
    Attached,
    Set { field: String, value: String },
}

/// The stand-in daemon: answers like directd's agent from fake state.
struct Fake {
    peers: Vec<PeerInfo>,
    /// Events sent to a client right after it attaches.
    on_attach: Vec<Event>,
    seen: mpsc::UnboundedSender<Seen>,
    /// Serving a global socket: events carry `IFNAME=p2p-dev-wlan0 `.
    global: bool,
}

impl Fake {
    fn answer(&self, req: Request, ifname_prefix: Option<&str>) -> Reply {
        match req {
            Request::Ping => Reply::Pong,
            Request::Status { .. } => Reply::key_values([
                ("p2p_device_address", DEV_ADDR.to_string()),
                ("address", DEV_ADDR.to_string()),
                ("wpa_state", "DISCONNECTED".to_string()),
                ("ifname", ifname_prefix.unwrap_or("(none)").to_string()),
            ]),
            Request::Interfaces => Reply::Text(format!("{IFNAME}\n")),
            Request::P2pPeer(q) => {
                let idx = match q {
                    PeerQuery::First => Some(0),
                    PeerQuery::Next(a) => self
                        .peers
                        .iter()
                        .position(|p| p.p2p_dev_addr == a)
                        .map(|i| i + 1),
                    PeerQuery::Addr(a) => self.peers.iter().position(|p| p.p2p_dev_addr == a),
                };
                match idx.and_then(|i| self.peers.get(i)) {
                    Some(p) => p.to_reply(),
                    None => Reply::Fail,
                }
            }
            Request::P2pConnect(c) => match c.method {
                // A fixed "random" source, as the agent's injected RNG would be in a test.
                ConnectMethod::PinGenerate => Reply::Pin(Pin::from_seven_digits(4449060)),
                _ => Reply::Ok,
            },
            Request::Set { field, value } => {
                let _ = self.seen.send(Seen::Set { field, value });
                Reply::Ok
            }
            _ => Reply::Fail,
        }
    }

    async fn run(self, mut srv: CtrlServer) {
        loop {
            match srv.recv().await {
                Ok(Incoming::Command(cmd)) => {
                    let prefix = cmd.ifname_prefix().map(str::to_owned);
                    if let Some((req, replier)) = cmd.triage() {
                        replier.reply(&self.answer(req, prefix.as_deref()));
                    }
                }
                Ok(Incoming::Attached { .. }) => {
                    for ev in &self.on_attach {
                        if self.global {
                            srv.event_sender().send_for(IFNAME, MsgLevel::Info, ev);
                        } else {
                            srv.send_event(MsgLevel::Info, ev);
                        }
                    }
                    let _ = self.seen.send(Seen::Attached);
                }
                Ok(Incoming::Detached { .. }) => {}
                Err(e) => panic!("control socket error: {e}"),
            }
        }
    }
}

fn start_daemon(
    dir: &Path,
    peers: Vec<PeerInfo>,
    on_attach: Vec<Event>,
) -> mpsc::UnboundedReceiver<Seen> {
    let srv = CtrlServer::bind(dir, IFNAME).expect("bind control socket");
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(
        Fake {
            peers,
            on_attach,
            seen: tx,
            global: false,
        }
        .run(srv),
    );
    rx
}

/// Runs `wpa_cli -p <ctrl dir> -s <client dir> -i p2p-dev-wlan0 <args>` to completion and
/// requires it to succeed.
async fn run_cli(cli: &Path, tmp: &TempDir, args: &[&str]) -> Output {
    let out = run_cli_status(cli, tmp, args).await;
    assert!(out.status.success(), "wpa_cli {args:?} failed: {out:?}");
    out
}

/// Runs wpa_cli to completion, whatever its exit status.
async fn run_cli_status(cli: &Path, tmp: &TempDir, args: &[&str]) -> Output {
    let mut cmd = Process::new(cli);
    cmd.arg("-p")
        .arg(tmp.ctrl_dir())
        .arg("-s")
        .arg(tmp.client_dir())
        .arg("-i")
        .arg(IFNAME)
        .args(args);
    cmd.stdin(Stdio::null());
    timeout(LIMIT, tokio::task::spawn_blocking(move || cmd.output()))
        .await
        .expect("wpa_cli did not finish")
        .unwrap()
        .expect("cannot run wpa_cli")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_status_interfaces() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    let _seen = start_daemon(&tmp.ctrl_dir(), vec![], vec![]);
    assert_eq!(stdout(&run_cli(&cli, &tmp, &["ping"]).await), "PONG\n");
    let status = stdout(&run_cli(&cli, &tmp, &["status"]).await);
    assert!(
        status
            .lines()
            .any(|l| l == format!("p2p_device_address={DEV_ADDR}")),
        "{status}"
    );
    assert_eq!(
        stdout(&run_cli(&cli, &tmp, &["interface"]).await),
        format!("Available interfaces:\n{IFNAME}\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p2p_peers_iterates_first_next() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    let peers = vec![
        peer("02:00:00:00:01:00", "Device B"),
        peer("02:00:00:00:02:00", "Device C"),
        peer("02:00:00:00:03:00", "Device D"),
    ];
    let _seen = start_daemon(&tmp.ctrl_dir(), peers, vec![]);
    // wpa_cli sends P2P_PEER FIRST, then NEXT-<addr> until FAIL, printing each address.
    let out = stdout(&run_cli(&cli, &tmp, &["p2p_peers"]).await);
    assert_eq!(
        out,
        "02:00:00:00:01:00\n02:00:00:00:02:00\n02:00:00:00:03:00\n"
    );
    let info = stdout(&run_cli(&cli, &tmp, &["p2p_peer", "02:00:00:00:02:00"]).await);
    assert!(
        info.starts_with("02:00:00:00:02:00\npri_dev_type=1-0050F204-1\ndevice_name=Device C\n"),
        "{info}"
    );
    assert!(info.contains("\nconfig_methods=0x188\n"), "{info}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_peers_prints_nothing() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    let _seen = start_daemon(&tmp.ctrl_dir(), vec![], vec![]);
    // P2P_PEER FIRST fails: wpa_cli prints nothing and exits with -1 (255), as it does
    // against wpa_supplicant with an empty peer table.
    let out = run_cli_status(&cli, &tmp, &["p2p_peers"]).await;
    assert_eq!(stdout(&out), "");
    assert_eq!(out.status.code(), Some(255));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_command_and_pin_replies() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    let _seen = start_daemon(&tmp.ctrl_dir(), vec![], vec![]);
    // `scan` is a wpa_cli command that directd does not implement.
    assert_eq!(
        stdout(&run_cli(&cli, &tmp, &["scan"]).await),
        "UNKNOWN COMMAND\n"
    );
    // `raw` sends the words as typed, lowercase command word included.
    assert_eq!(
        stdout(&run_cli(&cli, &tmp, &["raw", "ping"]).await),
        "PONG\n"
    );
    // P2P_CONNECT <addr> pin returns the generated PIN (no newline on the wire).
    assert_eq!(
        stdout(&run_cli(&cli, &tmp, &["p2p_connect", "02:00:00:00:01:00", "pin"]).await),
        "44490607"
    );
    assert_eq!(
        stdout(
            &run_cli(
                &cli,
                &tmp,
                &["p2p_connect", "02:00:00:00:01:00", "12345678"]
            )
            .await
        ),
        "FAIL-INVALID-PIN\n"
    );
    assert_eq!(
        stdout(
            &run_cli(
                &cli,
                &tmp,
                &["p2p_connect", "02:00:00:00:01:00", "pbc", "go_intent=16"]
            )
            .await
        ),
        "FAIL\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_socket_file_is_replaced() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    std::fs::create_dir_all(tmp.ctrl_dir()).unwrap();
    // What a killed daemon leaves behind: a socket file nobody listens on.
    drop(StdUnixDatagram::bind(tmp.ctrl_dir().join(IFNAME)).unwrap());
    let _seen = start_daemon(&tmp.ctrl_dir(), vec![], vec![]);
    assert_eq!(stdout(&run_cli(&cli, &tmp, &["ping"]).await), "PONG\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_datagram_gets_fail_and_server_keeps_answering() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    let _seen = start_daemon(&tmp.ctrl_dir(), vec![], vec![]);
    let me = UnixDatagram::bind(tmp.client_dir().join("raw")).unwrap();
    me.connect(tmp.ctrl_dir().join(IFNAME)).unwrap();
    me.send(&vec![b'A'; 9000]).await.unwrap();
    let mut buf = [0u8; 64];
    let n = timeout(LIMIT, me.recv(&mut buf))
        .await
        .expect("no reply")
        .unwrap();
    assert_eq!(&buf[..n], b"FAIL\n");
    assert_eq!(stdout(&run_cli(&cli, &tmp, &["ping"]).await), "PONG\n");
}

/// Kills the child (started by this test, by its own pid) when the test ends in any way.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attached_action_script_receives_event() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    let started = Event::GroupStarted {
        ifname: "p2p-wlan0-0".into(),
        role: GroupRole::Go,
        ssid: b"DIRECT-W8".to_vec(),
        freq: 2437,
        credential: Some(GroupCredential::Passphrase("fKG4jMe3".into())),
        go_dev_addr: mac(DEV_ADDR),
        persistent: false,
        ip: None,
    };
    let mut seen = start_daemon(&tmp.ctrl_dir(), vec![], vec![started.clone()]);
    // wpa_cli -a runs `<script> <ifname> <event words...>` for P2P-GROUP-STARTED; the script
    // reports its arguments back to the daemon with `wpa_cli set`, which the loop forwards.
    let script = tmp.0.join("action.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec '{}' -p '{}' -s '{}' -i {IFNAME} set action_seen \"$@\"\n",
            cli.display(),
            tmp.ctrl_dir().display(),
            tmp.client_dir().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let child = Process::new(&cli)
        .arg("-p")
        .arg(tmp.ctrl_dir())
        .arg("-s")
        .arg(tmp.client_dir())
        .arg("-i")
        .arg(IFNAME)
        .arg("-a")
        .arg(&script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("cannot run wpa_cli");
    let _child = KillOnDrop(child);
    assert_eq!(
        timeout(LIMIT, seen.recv())
            .await
            .expect("wpa_cli never attached"),
        Some(Seen::Attached)
    );
    let got = timeout(LIMIT, seen.recv())
        .await
        .expect("action script never ran");
    assert_eq!(
        got,
        Some(Seen::Set {
            field: "action_seen".into(),
            value: format!("{IFNAME} {started}")
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactive_wpa_cli_prints_broadcast_event() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    let lost = Event::DeviceLost {
        p2p_dev_addr: mac("02:00:00:00:01:00"),
    };
    let mut seen = start_daemon(&tmp.ctrl_dir(), vec![], vec![lost.clone()]);
    // Interactive mode (no command): wpa_cli attaches a monitor connection and prints events.
    let mut child = Process::new(&cli)
        .arg("-p")
        .arg(tmp.ctrl_dir())
        .arg("-s")
        .arg(tmp.client_dir())
        .arg("-i")
        .arg(IFNAME)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run wpa_cli");
    let stdin = child.stdin.take().unwrap();
    let out = child.stdout.take().unwrap();
    let _child = KillOnDrop(child);
    assert_eq!(
        timeout(LIMIT, seen.recv())
            .await
            .expect("wpa_cli never attached"),
        Some(Seen::Attached)
    );
    // Read its output until the event line shows up (or the process ends).
    let want = format!("<3>{lost}");
    let reader = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            all.push_str(&line);
            all.push('\n');
            if line.contains(&want) {
                return (true, all);
            }
        }
        (false, all)
    });
    let res = timeout(LIMIT, reader).await;
    // Ends wpa_cli (EOF on stdin) whatever happened, so the reader thread finishes too.
    drop(stdin);
    let (found, all) = res.expect("event not printed in time").unwrap();
    assert!(found, "event not printed; wpa_cli output:\n{all}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_socket_with_ifname_prefix() {
    let Some(cli) = wpa_cli() else { return };
    let tmp = TempDir::new();
    let global = tmp.0.join("run").join("global");
    let started = Event::GroupStarted {
        ifname: "p2p-wlan0-0".into(),
        role: GroupRole::Client,
        ssid: b"DIRECT-iZ".to_vec(),
        freq: 5745,
        credential: None,
        go_dev_addr: mac(DEV_ADDR),
        persistent: true,
        ip: None,
    };
    let srv = CtrlServer::bind_global(&global).expect("bind global socket");
    let (tx, mut seen) = mpsc::unbounded_channel();
    tokio::spawn(
        Fake {
            peers: vec![],
            on_attach: vec![started.clone()],
            seen: tx,
            global: true,
        }
        .run(srv),
    );
    let g = |args: &[&str]| {
        let mut cmd = Process::new(&cli);
        cmd.arg("-g")
            .arg(&global)
            .arg("-s")
            .arg(tmp.client_dir())
            .args(args);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped());
        cmd
    };
    let out = |mut cmd: Process| async move {
        timeout(LIMIT, tokio::task::spawn_blocking(move || cmd.output()))
            .await
            .expect("wpa_cli did not finish")
            .unwrap()
            .expect("cannot run wpa_cli")
    };
    assert_eq!(stdout(&out(g(&["ping"])).await), "PONG\n");
    // `IFNAME=<if>` as first word makes wpa_cli prefix the request.
    let status = stdout(&out(g(&["IFNAME=p2p-dev-wlan0", "status"])).await);
    assert!(status.contains("\nifname=p2p-dev-wlan0\n"), "{status}");
    let status = stdout(&out(g(&["status"])).await);
    assert!(status.contains("\nifname=(none)\n"), "{status}");

    // An action script on the global socket gets the interface from the event's prefix.
    let script = tmp.0.join("action.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec '{}' -g '{}' -s '{}' set action_seen \"$@\"\n",
            cli.display(),
            global.display(),
            tmp.client_dir().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut action = g(&["-a"]);
    action.arg(&script).stdout(Stdio::null());
    let _child = KillOnDrop(action.spawn().expect("cannot run wpa_cli"));
    assert_eq!(
        timeout(LIMIT, seen.recv())
            .await
            .expect("wpa_cli never attached"),
        Some(Seen::Attached)
    );
    let got = timeout(LIMIT, seen.recv())
        .await
        .expect("action script never ran");
    assert_eq!(
        got,
        Some(Seen::Set {
            field: "action_seen".into(),
            value: format!("{IFNAME} {started}")
        })
    );
}
