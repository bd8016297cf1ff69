//! The `directd` binary: CLI -> logging -> config -> driver.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use directd::config::RawConfig;

#[derive(Parser, Debug)]
#[command(name = "directd", version, about = "Wi-Fi Direct (P2P) agent speaking nl80211 directly, no wpa_supplicant")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the P2P agent on a wireless device: creates the P2P-Device wdev and serves the
    /// wpa_ctrl-compatible control socket <ctrl-dir>/p2p-dev-<ifname>.
    Run(Box<RunArgs>),
    /// List wireless devices (wiphys) and their P2P-relevant capabilities.
    Phys,
    /// Run the NDN forwarder on its own, without any radio.
    Forwarder(directd::driver::forwarder::ForwarderArgs),
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Existing wireless interface whose wiphy runs the P2P device (e.g. wlan0).
    #[arg(long, short = 'i', conflicts_with = "phy")]
    ifname: Option<String>,
    /// Wiphy to use instead of an interface (e.g. phy0).
    #[arg(long)]
    phy: Option<String>,
    /// Directory of the control sockets [default: /run/directd].
    #[arg(long)]
    ctrl_dir: Option<PathBuf>,
    /// Device name shown to peers [default: the host name].
    #[arg(long)]
    device_name: Option<String>,
    /// Fixed IPv4/prefix for joined groups (e.g. 192.168.49.50/24), instead of the address
    /// the GO allocates in the handshake or DHCP.
    #[arg(long)]
    address: Option<String>,
    /// Our IPv4/prefix on groups we own [default: 192.168.49.1/24]; clients get addresses
    /// from the rest of that subnet.
    #[arg(long)]
    go_address: Option<String>,
    /// Length of generated group passphrases, 8..63 [default: 8].
    #[arg(long)]
    passphrase_len: Option<String>,
    /// Run the NDN forwarder inside the agent, with the probe protocol on every group
    /// (config `ndn=yes`).
    #[arg(long)]
    ndn: bool,
    /// Unix socket for local NDN applications [default: /run/nfd/nfd.sock].
    #[arg(long, value_name = "PATH")]
    ndn_socket: Option<PathBuf>,
    /// Seconds between probes of each peer [default: 12; below 10 only with a warning].
    #[arg(long, value_name = "SECONDS")]
    probe_interval: Option<String>,
    /// Consecutive unanswered probes before a peer is dropped [default: 5].
    #[arg(long, value_name = "N")]
    probe_timeouts: Option<String>,
    /// Probe answer format we send: spec (4-octet count) or app (the Android app's
    /// decimal count) [default: spec]; both are accepted on receive.
    #[arg(long, value_name = "spec|app")]
    probe_format: Option<String>,
    /// Find and connect NDN peers on their own (the NDN app's aggressive mode): while in no
    /// group, look for devices named with --ndn-peer-prefix every --ndn-discovery-interval
    /// and connect by push button (join a GO, else negotiate); a GO of ours lets up to
    /// --ndn-max-peers of them in (config `ndn_auto=yes`; needs --ndn).
    #[arg(long)]
    ndn_auto: bool,
    /// Seconds between discovery rounds of --ndn-auto [default: 30].
    #[arg(long, value_name = "SECONDS")]
    ndn_discovery_interval: Option<String>,
    /// Device-name prefix of the peers --ndn-auto connects to [default: ndn-].
    #[arg(long, value_name = "PREFIX")]
    ndn_peer_prefix: Option<String>,
    /// Clients a group of ours takes in --ndn-auto [default: 5].
    #[arg(long, value_name = "N")]
    ndn_max_peers: Option<String>,
    /// Seconds a group we own refuses PIN enrollees after the third wrong PIN; the lock
    /// doubles every third wrong PIN after that, and holds until the group ends after ten
    /// in a row (hostapd's rule) [default: 60].
    #[arg(long, value_name = "SECONDS")]
    wps_lockout_seconds: Option<String>,
    /// Group of the control directory and sockets (mode 0770), as wpa_supplicant's
    /// ctrl_interface_group: a name or a gid [default: the process's group].
    #[arg(long, value_name = "GROUP")]
    ctrl_group: Option<String>,
    /// Automatic mode: the P2P device address of the one peer to connect to on start and
    /// to keep connected (config `p2p_peer_mac`). PBC, either side may become GO; any
    /// other device asking is refused.
    #[arg(long, value_name = "MAC")]
    peer_mac: Option<String>,
    /// Automatic mode: seconds one attempt looks for the peer, 1..3600 [default: 120]; not
    /// found: `P2P-AUTO-FAILED`, then a retry after a backoff (config `p2p_discover_window`).
    #[arg(long, value_name = "SECONDS")]
    discover_window: Option<String>,
    /// Automatic mode: the group's operating frequency in MHz instead of a negotiated one,
    /// e.g. 2462 or 5180 (config `p2p_freq`).
    #[arg(long, value_name = "MHZ")]
    freq: Option<String>,
    /// Automatic mode: our address on the group in either role, `<ip>/<prefix>` or `<ip>`
    /// with --local-netmask; as GO, clients get addresses from that subnet (config
    /// `p2p_local_address`).
    #[arg(long, value_name = "IP[/PREFIX]")]
    local_address: Option<String>,
    /// Automatic mode: the netmask of --local-address, e.g. 255.255.255.0 (config
    /// `p2p_local_netmask`).
    #[arg(long, value_name = "MASK")]
    local_netmask: Option<String>,
    /// Automatic mode: exit non-zero when the peer is not connected within the window,
    /// instead of retrying (for scripts and ifup; config `p2p_once=yes`).
    #[arg(long)]
    once: bool,
    /// Automatic mode: store the negotiated group as a persistent group and re-invoke it
    /// (no WPS) on later attempts before negotiating anew (config `p2p_persistent=yes`).
    #[arg(long)]
    persistent: bool,
    /// Name of the P2P device and its control socket, e.g. p2p0 (config `p2p_name`); group
    /// interfaces are then p2p-<name>-<N> [default: p2p-dev-<ifname>, p2p-<ifname>-<N>].
    #[arg(long, value_name = "NAME")]
    p2p_name: Option<String>,
    /// Directory of the state file persistent.conf, the stored persistent groups (config
    /// `state_dir`) [default: /var/lib/directd].
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// Config file of key=value lines (ifname, phy, ctrl_dir or ctrl_interface,
    /// ctrl_interface_group, device_name, address, go_address, p2p_passphrase_len, ndn,
    /// ndn_socket, probe_interval, probe_timeouts, probe_format, ndn_auto,
    /// ndn_discovery_interval, ndn_peer_prefix, ndn_max_peers, wps_lockout_seconds,
    /// p2p_peer_mac, p2p_discover_window, p2p_freq, p2p_local_address, p2p_local_netmask,
    /// p2p_once, p2p_persistent, p2p_name, state_dir); flags win.
    #[arg(long, short = 'c')]
    config: Option<PathBuf>,
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let file = match &args.config {
        Some(path) => RawConfig::from_file(path)?,
        None => RawConfig::default(),
    };
    let cli = RawConfig {
        ifname: args.ifname,
        phy: args.phy,
        ctrl_dir: args.ctrl_dir,
        device_name: args.device_name,
        address: args.address,
        go_address: args.go_address,
        passphrase_len: args.passphrase_len,
        ndn: args.ndn.then(|| "yes".to_owned()),
        ndn_socket: args.ndn_socket,
        probe_interval: args.probe_interval,
        probe_timeouts: args.probe_timeouts,
        probe_format: args.probe_format,
        ndn_auto: args.ndn_auto.then(|| "yes".to_owned()),
        ndn_discovery_interval: args.ndn_discovery_interval,
        ndn_peer_prefix: args.ndn_peer_prefix,
        ndn_max_peers: args.ndn_max_peers,
        wps_lockout: args.wps_lockout_seconds,
        ctrl_group: args.ctrl_group,
        peer_mac: args.peer_mac,
        discover_window: args.discover_window,
        freq: args.freq,
        local_address: args.local_address,
        local_netmask: args.local_netmask,
        once: args.once.then(|| "yes".to_owned()),
        persistent: args.persistent.then(|| "yes".to_owned()),
        p2p_name: args.p2p_name,
        state_dir: args.state_dir,
        persistent_reconnect: None,
    };
    let cfg = file.merge(cli).validate()?;
    directd::driver::run(cfg)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command {
        Command::Run(args) => run(*args),
        Command::Phys => directd::driver::phys(),
        Command::Forwarder(args) => directd::driver::forwarder::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("directd: {e:#}");
            ExitCode::FAILURE
        }
    }
}
