//! Configuration: config file and CLI flags, validated before anything touches the kernel.
//!
//! The config file is a list of `key=value` lines (`#` starts a comment), the same shape
//! as wpa_supplicant's global settings, so that a user's habits carry over. Flags given
//! on the command line win over the file.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

/// The longest interface name the kernel accepts (IFNAMSIZ - 1).
pub const IFNAME_MAX: usize = 15;

/// Default directory of the control sockets.
pub const DEFAULT_CTRL_DIR: &str = "/run/directd";

/// Default directory of the state file (`persistent.conf`: the stored persistent groups).
pub const DEFAULT_STATE_DIR: &str = "/var/lib/directd";

/// Which wireless device to run the P2P device on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An existing network interface (`--ifname wlan0`); its wiphy is used.
    Ifname(String),
    /// A wiphy by name (`--phy phy0`); the P2P device is named after it.
    Phy(String),
}

/// Everything `directd run` needs, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunConfig {
    pub target: Target,
    /// Directory of the wpa_ctrl-compatible control sockets.
    pub ctrl_dir: PathBuf,
    /// WSC/P2P device name shown to peers.
    pub device_name: String,
    /// A fixed address and prefix for joined groups, instead of the GO's allocation or DHCP.
    pub static_address: Option<(Ipv4Addr, u8)>,
    /// Our address and prefix on groups we own (default 192.168.49.1/24, as Android).
    pub go_address: (Ipv4Addr, u8),
    /// Length of generated group passphrases (8..63, default 8).
    pub passphrase_len: usize,
    /// The NDN forwarder and the probe protocol inside the agent (`--ndn`), or None.
    pub ndn: Option<NdnConfig>,
    /// How long a group we own refuses PIN enrollees after the third wrong PIN (the lock
    /// grows after that, as hostapd's); 60 s by default.
    pub wps_lockout: std::time::Duration,
    /// Group (gid) of the control directory and sockets (`--ctrl-group`, wpa_supplicant's
    /// `ctrl_interface_group`); `None`: the process's group.
    pub ctrl_group: Option<u32>,
    /// Automatic mode (`--peer-mac`): connect to one configured peer on start and keep
    /// the link up; `None`: directd waits for control requests.
    pub auto: Option<AutoConfig>,
    /// `--p2p-name p2p0`: the P2P device (and its control socket) is named so, and the
    /// group interfaces `p2p-<name>-<N>`, as on devices whose scripts expect wpa_supplicant
    /// with a `p2p0` interface; `None`: `p2p-dev-<ifname>` and `p2p-<ifname>-<N>`.
    pub p2p_name: Option<String>,
    /// `--state-dir` (config `state_dir`): where `persistent.conf` lives.
    pub state_dir: PathBuf,
    /// `persistent_reconnect=0|1` (wpa_supplicant's key, default 1): re-invocations of a
    /// stored group start without asking the user.
    pub persistent_reconnect: bool,
}

/// The automatic mode's settings (issue #14; the option names of the ifupdown hook
/// `p2plink`: `p2p-peer-mac`, `p2p-discover-window`, `p2p-freq`, `p2p-local-address`,
/// `p2p-local-netmask`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoConfig {
    /// The peer's P2P device address.
    pub peer: crate::ieee80211::MacAddr,
    /// How long one attempt looks for the peer.
    pub window: std::time::Duration,
    /// A fixed operating frequency (MHz) instead of a negotiated one.
    pub freq: Option<u32>,
    /// Our address on the group, in either role (`None`: the GO's plan / DHCP).
    pub local_address: Option<(Ipv4Addr, u8)>,
    /// `--once`: a failed attempt ends directd with a non-zero exit instead of a retry.
    pub once: bool,
    /// `--persistent`: the negotiated group is stored as a persistent group, and later
    /// attempts re-invoke it (no WPS) before negotiating anew.
    pub persistent: bool,
}

/// Default of `--discover-window` (seconds), as the `p2plink` hook.
pub const DEFAULT_DISCOVER_WINDOW_SECS: u64 = 120;
/// The longest discovery window accepted (seconds).
pub const MAX_DISCOVER_WINDOW_SECS: u64 = 3600;

/// The default of `--wps-lockout-seconds`: hostapd's first AP PIN lockout.
pub const DEFAULT_WPS_LOCKOUT_SECS: u64 = 60;

/// `--ndn`: where local NDN applications attach, and the probe protocol's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NdnConfig {
    /// Unix socket for local NDN applications (NFD's path by default).
    pub socket: PathBuf,
    pub probe: crate::probe::ProbeConfig,
    /// `--ndn-auto`: NDN peers found and connected on their own, or None.
    pub auto: Option<crate::agent::ndn_auto::NdnAutoConfig>,
}

/// Where NDN applications look first (NFD's socket).
pub const DEFAULT_NDN_SOCKET: &str = "/run/nfd/nfd.sock";

/// The GO's default address on its group.
pub const DEFAULT_GO_ADDRESS: (Ipv4Addr, u8) = (Ipv4Addr::new(192, 168, 49, 1), 24);

/// What is wrong with the configuration; each message names the offending input.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("give exactly one of --ifname or --phy")]
    NoTarget,
    #[error("invalid interface name {0:?}: 1 to 15 characters, no '/', ':' or white space")]
    BadIfname(String),
    #[error("invalid phy name {0:?}")]
    BadPhy(String),
    #[error("invalid device name {0:?}: 1 to 32 bytes of UTF-8")]
    BadDeviceName(String),
    #[error("invalid address {0:?}: expected IPv4/prefix, e.g. 192.168.49.50/24")]
    BadAddress(String),
    #[error("invalid GO address {0:?}: expected IPv4/prefix with a prefix of 8..30, e.g. 192.168.49.1/24")]
    BadGoAddress(String),
    #[error("invalid passphrase length {0:?}: 8 to 63")]
    BadPassphraseLen(String),
    #[error("invalid ndn setting {0:?}: yes or no")]
    BadNdn(String),
    #[error("invalid persistent_reconnect {0:?}: 0 or 1")]
    BadPersistentReconnect(String),
    #[error("NDN socket must be an absolute path, not {0:?}")]
    BadNdnSocket(PathBuf),
    #[error("invalid probe interval {0:?}: seconds, more than 0 and at most 3600 (e.g. 12 or 2.5)")]
    BadProbeInterval(String),
    #[error("invalid probe timeout count {0:?}: 1 to 100")]
    BadProbeTimeouts(String),
    #[error("invalid probe format {0:?}: spec or app")]
    BadProbeFormat(String),
    #[error("{0} needs ndn (--ndn or ndn=yes)")]
    NdnOnly(&'static str),
    #[error("invalid ndn_auto {0:?}: yes or no")]
    BadNdnAuto(String),
    #[error("{0} is a setting of --ndn-auto (ndn_auto=yes)")]
    NdnAutoOnly(&'static str),
    #[error("invalid NDN discovery interval {0:?}: whole seconds, 5 to 3600")]
    BadNdnDiscoveryInterval(String),
    #[error("invalid NDN peer prefix {0:?}: 1 to 32 bytes of a device name")]
    BadNdnPeerPrefix(String),
    #[error("invalid NDN max peers {0:?}: 1 to 10")]
    BadNdnMaxPeers(String),
    #[error("--ndn-auto and the automatic mode (--peer-mac) both decide whom to connect to: give one of them")]
    NdnAutoWithPeerMac,
    #[error("invalid WPS lockout {0:?}: whole seconds, 1 to 86400")]
    BadWpsLockout(String),
    #[error("unknown control group {0:?}: a group name from /etc/group or a numeric gid")]
    BadCtrlGroup(String),
    #[error("control directory must be an absolute path, not {0:?}")]
    BadCtrlDir(PathBuf),
    #[error("state directory must be an absolute path, not {0:?}")]
    BadStateDir(PathBuf),
    #[error("invalid peer MAC {0:?}: expected the peer's P2P device address, e.g. 02:00:00:00:01:00")]
    BadPeerMac(String),
    #[error("invalid discovery window {0:?}: whole seconds, 1 to 3600")]
    BadDiscoverWindow(String),
    #[error("invalid frequency {0:?}: the MHz of a 2.4 or 5 GHz channel, e.g. 2462 or 5180")]
    BadFreq(String),
    #[error("invalid local address {0:?}: IPv4 with a prefix of 8..30, as 10.0.0.1/24 or with --local-netmask")]
    BadLocalAddress(String),
    #[error("invalid local netmask {0:?}: a contiguous IPv4 mask of /8../30, e.g. 255.255.255.0")]
    BadLocalNetmask(String),
    #[error("the local address {0:?} has no mask: give --local-netmask or <ip>/<prefix>")]
    LocalAddressWithoutMask(String),
    #[error("--local-address {addr}/{prefix} and --local-netmask (/{mask}) disagree")]
    LocalMaskMismatch { addr: String, prefix: u8, mask: u8 },
    #[error("{0} is a setting of the automatic mode: it needs the peer (--peer-mac or p2p_peer_mac)")]
    AutoOnly(&'static str),
    #[error("--local-address replaces {0} in the automatic mode: give one or the other")]
    LocalAddressConflict(&'static str),
    #[error("--local-netmask needs --local-address")]
    NetmaskWithoutAddress,
    #[error("invalid p2p_once {0:?}: yes or no")]
    BadOnce(String),
    #[error("invalid p2p_persistent {0:?}: yes or no")]
    BadPersistent(String),
    #[error("invalid P2P name {0:?}: 1 to 9 characters (its groups are p2p-<name>-<N>), no '/', ':' or white space, not the wireless interface's name")]
    BadP2pName(String),
    #[error("{path}:{line}: {msg}")]
    File { path: PathBuf, line: usize, msg: String },
    #[error("cannot read config file {path}: {msg}")]
    Read { path: PathBuf, msg: String },
}

/// Settings as they come from the file and the flags, before validation.
#[derive(Debug, Default, Clone)]
pub struct RawConfig {
    pub ifname: Option<String>,
    pub phy: Option<String>,
    pub ctrl_dir: Option<PathBuf>,
    pub device_name: Option<String>,
    /// `persistent_reconnect=0|1`.
    pub persistent_reconnect: Option<String>,
    /// `address=` / `--address`: IPv4/prefix for joined groups.
    pub address: Option<String>,
    /// `go_address=` / `--go-address`: IPv4/prefix of groups we own.
    pub go_address: Option<String>,
    /// `p2p_passphrase_len=` / `--passphrase-len`.
    pub passphrase_len: Option<String>,
    /// `ndn=yes|no` / `--ndn`.
    pub ndn: Option<String>,
    /// `ndn_socket=` / `--ndn-socket`.
    pub ndn_socket: Option<PathBuf>,
    /// `probe_interval=` / `--probe-interval` (seconds).
    pub probe_interval: Option<String>,
    /// `probe_timeouts=` / `--probe-timeouts`.
    pub probe_timeouts: Option<String>,
    /// `probe_format=` / `--probe-format` (spec or app).
    pub probe_format: Option<String>,
    /// `ndn_auto=yes` / `--ndn-auto`.
    pub ndn_auto: Option<String>,
    /// `ndn_discovery_interval=` / `--ndn-discovery-interval` (seconds).
    pub ndn_discovery_interval: Option<String>,
    /// `ndn_peer_prefix=` / `--ndn-peer-prefix`.
    pub ndn_peer_prefix: Option<String>,
    /// `ndn_max_peers=` / `--ndn-max-peers`.
    pub ndn_max_peers: Option<String>,
    /// `wps_lockout_seconds=` / `--wps-lockout-seconds`.
    pub wps_lockout: Option<String>,
    /// `ctrl_interface_group=` (or `GROUP=` in `ctrl_interface=`) / `--ctrl-group`.
    pub ctrl_group: Option<String>,
    /// `p2p_peer_mac=` / `--peer-mac`: turns the automatic mode on.
    pub peer_mac: Option<String>,
    /// `p2p_discover_window=` / `--discover-window` (seconds).
    pub discover_window: Option<String>,
    /// `p2p_freq=` / `--freq` (MHz).
    pub freq: Option<String>,
    /// `p2p_local_address=` / `--local-address` (`ip` or `ip/prefix`).
    pub local_address: Option<String>,
    /// `p2p_local_netmask=` / `--local-netmask`.
    pub local_netmask: Option<String>,
    /// `p2p_once=yes` / `--once`.
    pub once: Option<String>,
    /// `p2p_name=` / `--p2p-name`.
    pub p2p_name: Option<String>,
    /// `p2p_persistent=yes` / `--persistent` (automatic mode).
    pub persistent: Option<String>,
    /// `state_dir=` / `--state-dir`.
    pub state_dir: Option<PathBuf>,
}

impl RawConfig {
    /// Reads a config file: `key=value` lines, `#` comments, blank lines ignored.
    pub fn from_file(path: &Path) -> Result<RawConfig, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::Read { path: path.to_owned(), msg: e.to_string() })?;
        RawConfig::parse(&text).map_err(|(line, msg)| ConfigError::File { path: path.to_owned(), line, msg })
    }

    /// Parses config text; errors carry the 1-based line number.
    pub fn parse(text: &str) -> Result<RawConfig, (usize, String)> {
        let mut raw = RawConfig::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err((i + 1, format!("expected key=value, found {line:?}")));
            };
            let (key, value) = (key.trim(), value.trim().trim_matches('"'));
            match key {
                "ifname" => raw.ifname = Some(value.to_owned()),
                "phy" => raw.phy = Some(value.to_owned()),
                "ctrl_dir" => raw.ctrl_dir = Some(PathBuf::from(value)),
                // wpa_supplicant's form: `DIR=<dir> [GROUP=<group>]`, or a bare directory.
                "ctrl_interface" => {
                    let mut words = value.split_whitespace();
                    let dir = words.next().unwrap_or_default();
                    raw.ctrl_dir = Some(PathBuf::from(dir.trim_start_matches("DIR=")));
                    for w in words {
                        match w.strip_prefix("GROUP=") {
                            Some(g) => raw.ctrl_group = Some(g.to_owned()),
                            None => return Err((i + 1, format!("unexpected {w:?} in ctrl_interface"))),
                        }
                    }
                }
                "ctrl_interface_group" | "ctrl_group" => raw.ctrl_group = Some(value.to_owned()),
                "wps_lockout_seconds" => raw.wps_lockout = Some(value.to_owned()),
                "device_name" => raw.device_name = Some(value.to_owned()),
                "persistent_reconnect" => raw.persistent_reconnect = Some(value.to_owned()),
                "address" => raw.address = Some(value.to_owned()),
                "go_address" => raw.go_address = Some(value.to_owned()),
                "p2p_passphrase_len" => raw.passphrase_len = Some(value.to_owned()),
                "ndn" => raw.ndn = Some(value.to_owned()),
                "ndn_socket" => raw.ndn_socket = Some(PathBuf::from(value)),
                "probe_interval" => raw.probe_interval = Some(value.to_owned()),
                "probe_timeouts" => raw.probe_timeouts = Some(value.to_owned()),
                "probe_format" => raw.probe_format = Some(value.to_owned()),
                "ndn_auto" => raw.ndn_auto = Some(value.to_owned()),
                "ndn_discovery_interval" => raw.ndn_discovery_interval = Some(value.to_owned()),
                "ndn_peer_prefix" => raw.ndn_peer_prefix = Some(value.to_owned()),
                "ndn_max_peers" => raw.ndn_max_peers = Some(value.to_owned()),
                "p2p_peer_mac" => raw.peer_mac = Some(value.to_owned()),
                "p2p_discover_window" => raw.discover_window = Some(value.to_owned()),
                "p2p_freq" => raw.freq = Some(value.to_owned()),
                "p2p_local_address" => raw.local_address = Some(value.to_owned()),
                "p2p_local_netmask" => raw.local_netmask = Some(value.to_owned()),
                "p2p_once" => raw.once = Some(value.to_owned()),
                "p2p_name" => raw.p2p_name = Some(value.to_owned()),
                "state_dir" => raw.state_dir = Some(PathBuf::from(value)),
                "p2p_persistent" => raw.persistent = Some(value.to_owned()),
                other => return Err((i + 1, format!("unknown setting {other:?}"))),
            }
        }
        Ok(raw)
    }

    /// Lays `over` (the command line) on top of `self` (the file).
    pub fn merge(self, over: RawConfig) -> RawConfig {
        // A target on the command line replaces the file's target entirely.
        let cli_target = over.ifname.is_some() || over.phy.is_some();
        RawConfig {
            ifname: if cli_target { over.ifname } else { self.ifname },
            phy: if cli_target { over.phy } else { self.phy },
            ctrl_dir: over.ctrl_dir.or(self.ctrl_dir),
            device_name: over.device_name.or(self.device_name),
            persistent_reconnect: over.persistent_reconnect.or(self.persistent_reconnect),
            address: over.address.or(self.address),
            go_address: over.go_address.or(self.go_address),
            passphrase_len: over.passphrase_len.or(self.passphrase_len),
            ndn: over.ndn.or(self.ndn),
            ndn_socket: over.ndn_socket.or(self.ndn_socket),
            probe_interval: over.probe_interval.or(self.probe_interval),
            probe_timeouts: over.probe_timeouts.or(self.probe_timeouts),
            probe_format: over.probe_format.or(self.probe_format),
            ndn_auto: over.ndn_auto.or(self.ndn_auto),
            ndn_discovery_interval: over.ndn_discovery_interval.or(self.ndn_discovery_interval),
            ndn_peer_prefix: over.ndn_peer_prefix.or(self.ndn_peer_prefix),
            ndn_max_peers: over.ndn_max_peers.or(self.ndn_max_peers),
            wps_lockout: over.wps_lockout.or(self.wps_lockout),
            ctrl_group: over.ctrl_group.or(self.ctrl_group),
            peer_mac: over.peer_mac.or(self.peer_mac),
            discover_window: over.discover_window.or(self.discover_window),
            freq: over.freq.or(self.freq),
            local_address: over.local_address.or(self.local_address),
            local_netmask: over.local_netmask.or(self.local_netmask),
            once: over.once.or(self.once),
            p2p_name: over.p2p_name.or(self.p2p_name),
            state_dir: over.state_dir.or(self.state_dir),
            persistent: over.persistent.or(self.persistent),
        }
    }

    pub fn validate(self) -> Result<RunConfig, ConfigError> {
        let target = match (self.ifname, self.phy) {
            (Some(i), None) => Target::Ifname(valid_ifname(i)?),
            (None, Some(p)) => {
                if p.is_empty() || p.len() > 31 || p.contains(['/', ' ']) {
                    return Err(ConfigError::BadPhy(p));
                }
                Target::Phy(p)
            }
            _ => return Err(ConfigError::NoTarget),
        };
        let ctrl_dir = self.ctrl_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_CTRL_DIR));
        if !ctrl_dir.is_absolute() {
            return Err(ConfigError::BadCtrlDir(ctrl_dir));
        }
        let state_dir = self.state_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_STATE_DIR));
        if !state_dir.is_absolute() {
            return Err(ConfigError::BadStateDir(state_dir));
        }
        let device_name = self.device_name.unwrap_or_else(default_device_name);
        if device_name.is_empty() || device_name.len() > 32 {
            return Err(ConfigError::BadDeviceName(device_name));
        }
        let auto = validate_auto(
            self.peer_mac,
            self.discover_window,
            self.freq,
            self.local_address,
            self.local_netmask,
            self.once,
            self.persistent,
        )?;
        // The automatic mode's local address is ours in either role: the fixed address
        // of a joined group and the GO's own (its allocation plan uses that subnet).
        let local = auto.as_ref().and_then(|a| a.local_address);
        if local.is_some() {
            if self.address.is_some() {
                return Err(ConfigError::LocalAddressConflict("--address"));
            }
            if self.go_address.is_some() {
                return Err(ConfigError::LocalAddressConflict("--go-address"));
            }
        }
        let static_address = match local {
            Some(l) => Some(l),
            None => self.address.map(|a| parse_cidr(&a).ok_or(ConfigError::BadAddress(a))).transpose()?,
        };
        let go_address = match self.go_address {
            None if local.is_some() => local.unwrap_or(DEFAULT_GO_ADDRESS),
            None => DEFAULT_GO_ADDRESS,
            Some(a) => match parse_cidr(&a) {
                Some((ip, prefix)) if (8..=30).contains(&prefix) => (ip, prefix),
                _ => return Err(ConfigError::BadGoAddress(a)),
            },
        };
        let passphrase_len = match self.passphrase_len {
            None => 8,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (8..=63).contains(&n) => n,
                _ => return Err(ConfigError::BadPassphraseLen(l)),
            },
        };
        let ndn_auto = validate_ndn_auto(self.ndn_auto, self.ndn_discovery_interval, self.ndn_peer_prefix, self.ndn_max_peers)?;
        if ndn_auto.is_some() && auto.is_some() {
            return Err(ConfigError::NdnAutoWithPeerMac);
        }
        let ndn = validate_ndn(self.ndn, self.ndn_socket, self.probe_interval, self.probe_timeouts, self.probe_format, ndn_auto)?;
        let wps_lockout = match self.wps_lockout {
            None => std::time::Duration::from_secs(DEFAULT_WPS_LOCKOUT_SECS),
            Some(l) => match l.parse::<u64>() {
                Ok(n) if (1..=86_400).contains(&n) => std::time::Duration::from_secs(n),
                _ => return Err(ConfigError::BadWpsLockout(l)),
            },
        };
        let ctrl_group = match self.ctrl_group {
            None => None,
            Some(g) => {
                let groups = std::fs::read_to_string("/etc/group").unwrap_or_default();
                Some(gid_of(&groups, &g).ok_or(ConfigError::BadCtrlGroup(g))?)
            }
        };
        let p2p_name = match self.p2p_name {
            None => None,
            Some(n) => {
                let own = match &target {
                    Target::Ifname(i) | Target::Phy(i) => i,
                };
                match valid_ifname(n.clone()) {
                    Ok(n) if n.len() <= 9 && &n != own && !n.starts_with("p2p-dev-") => Some(n),
                    _ => return Err(ConfigError::BadP2pName(n)),
                }
            }
        };
        let persistent_reconnect = match self.persistent_reconnect.as_deref() {
            None | Some("1") => true,
            Some("0") => false,
            Some(other) => return Err(ConfigError::BadPersistentReconnect(other.to_owned())),
        };
        Ok(RunConfig { target, ctrl_dir, device_name, static_address, go_address, passphrase_len, ndn, wps_lockout, ctrl_group, auto, p2p_name, state_dir, persistent_reconnect })
    }
}

/// The automatic mode's settings: all of them only with the peer's address.
fn validate_auto(
    peer: Option<String>,
    window: Option<String>,
    freq: Option<String>,
    address: Option<String>,
    netmask: Option<String>,
    once: Option<String>,
    persistent: Option<String>,
) -> Result<Option<AutoConfig>, ConfigError> {
    let Some(peer) = peer else {
        let stray = [
            (window.is_some(), "p2p_discover_window"),
            (freq.is_some(), "p2p_freq"),
            (address.is_some(), "p2p_local_address"),
            (netmask.is_some(), "p2p_local_netmask"),
            (once.is_some(), "p2p_once"),
            (persistent.is_some(), "p2p_persistent"),
        ];
        return match stray.into_iter().find(|(set, _)| *set) {
            Some((_, what)) => Err(ConfigError::AutoOnly(what)),
            None => Ok(None),
        };
    };
    // The hook lowercases the MAC; so do we.
    let peer = match peer.trim().to_ascii_lowercase().parse::<crate::ieee80211::MacAddr>() {
        Ok(m) if m.0 != [0; 6] && m.0[0] & 1 == 0 => m,
        _ => return Err(ConfigError::BadPeerMac(peer)),
    };
    let window = match window {
        None => std::time::Duration::from_secs(DEFAULT_DISCOVER_WINDOW_SECS),
        Some(w) => match w.parse::<u64>() {
            Ok(n) if (1..=MAX_DISCOVER_WINDOW_SECS).contains(&n) => std::time::Duration::from_secs(n),
            _ => return Err(ConfigError::BadDiscoverWindow(w)),
        },
    };
    let freq = freq
        .map(|f| match f.parse::<u32>() {
            Ok(n) if crate::p2p::wire::Channel::from_freq(crate::p2p::wire::consts::COUNTRY_GLOBAL, n).is_some() && n != 2484 => Ok(n),
            _ => Err(ConfigError::BadFreq(f)),
        })
        .transpose()?;
    let local_address = match (address, netmask) {
        (None, None) => None,
        (None, Some(_)) => return Err(ConfigError::NetmaskWithoutAddress),
        (Some(a), mask) => Some(parse_local_address(&a, mask.as_deref())?),
    };
    let once = match once.as_deref() {
        None | Some("no" | "0" | "false") => false,
        Some("yes" | "1" | "true") => true,
        Some(other) => return Err(ConfigError::BadOnce(other.to_owned())),
    };
    let persistent = match persistent.as_deref() {
        None | Some("no" | "0" | "false") => false,
        Some("yes" | "1" | "true") => true,
        Some(other) => return Err(ConfigError::BadPersistent(other.to_owned())),
    };
    Ok(Some(AutoConfig { peer, window, freq, local_address, once, persistent }))
}

/// `10.0.0.1/24`, or `10.0.0.1` with the mask `255.255.255.0` (both: they must agree).
fn parse_local_address(addr: &str, mask: Option<&str>) -> Result<(Ipv4Addr, u8), ConfigError> {
    let bad = || ConfigError::BadLocalAddress(addr.to_owned());
    let mask_prefix = mask
        .map(|m| {
            let bits = u32::from(m.parse::<Ipv4Addr>().map_err(|_| ConfigError::BadLocalNetmask(m.to_owned()))?);
            let prefix = bits.leading_ones();
            if bits.count_ones() != prefix || !(8..=30).contains(&prefix) {
                return Err(ConfigError::BadLocalNetmask(m.to_owned()));
            }
            Ok(prefix as u8)
        })
        .transpose()?;
    let (ip, prefix) = match addr.split_once('/') {
        Some(_) => {
            let (ip, p) = parse_cidr(addr).ok_or_else(bad)?;
            if let Some(m) = mask_prefix
                && m != p
            {
                return Err(ConfigError::LocalMaskMismatch { addr: ip.to_string(), prefix: p, mask: m });
            }
            (ip, p)
        }
        None => {
            let ip = addr.parse::<Ipv4Addr>().map_err(|_| bad())?;
            (ip, mask_prefix.ok_or_else(|| ConfigError::LocalAddressWithoutMask(addr.to_owned()))?)
        }
    };
    let host = u32::from(ip) & !(u32::MAX << (32 - u32::from(prefix)));
    let broadcast = !(u32::MAX << (32 - u32::from(prefix)));
    if !(8..=30).contains(&prefix) || ip.is_unspecified() || ip.is_multicast() || ip.is_broadcast() || ip.is_loopback() || host == 0 || host == broadcast {
        return Err(bad());
    }
    Ok((ip, prefix))
}

/// The NDN settings: all of them only with `ndn=yes`.
fn validate_ndn(
    ndn: Option<String>,
    socket: Option<PathBuf>,
    interval: Option<String>,
    timeouts: Option<String>,
    format: Option<String>,
    auto: Option<crate::agent::ndn_auto::NdnAutoConfig>,
) -> Result<Option<NdnConfig>, ConfigError> {
    let on = match ndn.as_deref() {
        None | Some("no" | "0" | "false") => false,
        Some("yes" | "1" | "true") => true,
        Some(other) => return Err(ConfigError::BadNdn(other.to_owned())),
    };
    if !on {
        let stray = [
            (socket.is_some(), "ndn_socket"),
            (interval.is_some(), "probe_interval"),
            (timeouts.is_some(), "probe_timeouts"),
            (format.is_some(), "probe_format"),
            (auto.is_some(), "ndn_auto"),
        ];
        return match stray.into_iter().find(|(set, _)| *set) {
            Some((_, what)) => Err(ConfigError::NdnOnly(what)),
            None => Ok(None),
        };
    }
    let socket = socket.unwrap_or_else(|| PathBuf::from(DEFAULT_NDN_SOCKET));
    if !socket.is_absolute() {
        return Err(ConfigError::BadNdnSocket(socket));
    }
    let mut probe = crate::probe::ProbeConfig::default();
    if let Some(i) = interval {
        probe.interval = match i.parse::<f64>() {
            Ok(s) if s > 0.0 && s <= 3600.0 => std::time::Duration::from_secs_f64(s),
            _ => return Err(ConfigError::BadProbeInterval(i)),
        };
        if probe.interval.is_zero() {
            return Err(ConfigError::BadProbeInterval(i));
        }
    }
    if let Some(t) = timeouts {
        probe.max_timeouts = match t.parse::<u32>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return Err(ConfigError::BadProbeTimeouts(t)),
        };
    }
    if let Some(f) = format {
        probe.format = f.parse().map_err(|_| ConfigError::BadProbeFormat(f))?;
    }
    Ok(Some(NdnConfig { socket, probe, auto }))
}

/// The `--ndn-auto` settings: all of them only with `ndn_auto=yes` (which needs `ndn=yes`,
/// checked by [`validate_ndn`]).
fn validate_ndn_auto(
    on: Option<String>,
    interval: Option<String>,
    prefix: Option<String>,
    max_peers: Option<String>,
) -> Result<Option<crate::agent::ndn_auto::NdnAutoConfig>, ConfigError> {
    let on = match on.as_deref() {
        None | Some("no" | "0" | "false") => false,
        Some("yes" | "1" | "true") => true,
        Some(other) => return Err(ConfigError::BadNdnAuto(other.to_owned())),
    };
    if !on {
        let stray = [
            (interval.is_some(), "ndn_discovery_interval"),
            (prefix.is_some(), "ndn_peer_prefix"),
            (max_peers.is_some(), "ndn_max_peers"),
        ];
        return match stray.into_iter().find(|(set, _)| *set) {
            Some((_, what)) => Err(ConfigError::NdnAutoOnly(what)),
            None => Ok(None),
        };
    }
    let mut c = crate::agent::ndn_auto::NdnAutoConfig::default();
    if let Some(i) = interval {
        c.interval = match i.parse::<u64>() {
            Ok(s) if (5..=3600).contains(&s) => std::time::Duration::from_secs(s),
            _ => return Err(ConfigError::BadNdnDiscoveryInterval(i)),
        };
    }
    if let Some(p) = prefix {
        if p.is_empty() || p.len() > 32 {
            return Err(ConfigError::BadNdnPeerPrefix(p));
        }
        c.prefix = p;
    }
    if let Some(m) = max_peers {
        c.max_peers = match m.parse::<usize>() {
            Ok(n) if (1..=10).contains(&n) => n,
            _ => return Err(ConfigError::BadNdnMaxPeers(m)),
        };
    }
    Ok(Some(c))
}

fn valid_ifname(name: String) -> Result<String, ConfigError> {
    let ok = !name.is_empty()
        && name.len() <= IFNAME_MAX
        && name != "."
        && name != ".."
        && !name.chars().any(|c| c == '/' || c == ':' || c.is_whitespace());
    if ok { Ok(name) } else { Err(ConfigError::BadIfname(name)) }
}

/// `192.168.49.50/24` -> (address, prefix); the prefix must be 1..=32.
fn parse_cidr(s: &str) -> Option<(Ipv4Addr, u8)> {
    let (ip, prefix) = s.split_once('/')?;
    let prefix: u8 = prefix.parse().ok()?;
    (1..=32).contains(&prefix).then_some(())?;
    Some((ip.parse().ok()?, prefix))
}

/// The gid of `group`: a name in `etc_group` (the text of /etc/group: `name:x:gid:members`
/// lines), or a number (as wpa_supplicant falls back to when `getgrnam` knows no such name).
pub fn gid_of(etc_group: &str, group: &str) -> Option<u32> {
    if group.is_empty() {
        return None;
    }
    let by_name = etc_group.lines().find_map(|line| {
        let mut f = line.split(':');
        let (name, _pw, gid) = (f.next()?, f.next()?, f.next()?);
        (name == group).then(|| gid.trim().parse::<u32>().ok()).flatten()
    });
    by_name.or_else(|| group.parse::<u32>().ok())
}

fn default_device_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let host = host.trim();
    if host.is_empty() { "directd".to_owned() } else { host.chars().take(32).collect() }
}

impl RunConfig {
    /// The base name the P2P device and group interfaces are named after.
    pub fn base_name(&self) -> &str {
        if let Some(n) = &self.p2p_name {
            return n;
        }
        match &self.target {
            Target::Ifname(i) => i,
            Target::Phy(p) => p,
        }
    }

    /// The state file: the stored persistent groups.
    pub fn persistent_file(&self) -> PathBuf {
        self.state_dir.join("persistent.conf")
    }

    /// `p2p-dev-<base>`, cut to the kernel's limit as wpa_supplicant does.
    pub fn p2p_dev_name(&self) -> String {
        if let Some(n) = &self.p2p_name {
            return n.clone();
        }
        let mut name = format!("p2p-dev-{}", self.base_name());
        name.truncate(IFNAME_MAX);
        name
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn raw(ifname: Option<&str>, phy: Option<&str>) -> RawConfig {
        RawConfig { ifname: ifname.map(Into::into), phy: phy.map(Into::into), ..Default::default() }
    }

    #[test]
    fn needs_exactly_one_target() {
        assert_eq!(raw(None, None).validate().unwrap_err(), ConfigError::NoTarget);
        assert_eq!(raw(Some("wlan0"), Some("phy0")).validate().unwrap_err(), ConfigError::NoTarget);
        let cfg = raw(Some("wlan0"), None).validate().unwrap();
        assert_eq!(cfg.target, Target::Ifname("wlan0".into()));
        assert_eq!(cfg.ctrl_dir, PathBuf::from("/run/directd"));
        assert_eq!(cfg.persistent_file(), PathBuf::from("/var/lib/directd/persistent.conf"));
    }

    #[test]
    fn rejects_bad_interface_names() {
        for bad in ["", "a/b", "wl an0", "wlan0:1", "sixteen-chars-xx", ".."] {
            assert!(matches!(raw(Some(bad), None).validate(), Err(ConfigError::BadIfname(_))), "{bad:?}");
        }
    }

    #[test]
    fn p2p_device_name_follows_wpa_supplicant() {
        assert_eq!(raw(Some("wlan0"), None).validate().unwrap().p2p_dev_name(), "p2p-dev-wlan0");
        // Cut to 15 characters like wpa_supplicant's snprintf into IFNAMSIZ.
        assert_eq!(raw(Some("wlp0s20f3"), None).validate().unwrap().p2p_dev_name(), "p2p-dev-wlp0s20");
    }

    #[test]
    fn file_parses_and_cli_wins() {
        let file = RawConfig::parse("# comment\nifname=wlan1\nctrl_interface=DIR=/run/x\n\ndevice_name=\"box\"\n").unwrap();
        assert_eq!(file.ctrl_dir, Some(PathBuf::from("/run/x")));
        let merged = file.merge(RawConfig { phy: Some("phy3".into()), ..Default::default() }).validate().unwrap();
        assert_eq!(merged.target, Target::Phy("phy3".into()));
        assert_eq!(merged.device_name, "box");
        assert_eq!(merged.ctrl_dir, PathBuf::from("/run/x"));
    }

    #[test]
    fn ndn_auto_settings_are_checked_and_need_ndn() {
        use crate::agent::ndn_auto::{DEFAULT_DISCOVERY_INTERVAL, DEFAULT_MAX_PEERS, DEFAULT_PEER_PREFIX};
        let file = RawConfig::parse("ifname=wlan0\nndn=yes\nndn_auto=yes\nndn_discovery_interval=12\nndn_peer_prefix=lab-\nndn_max_peers=2\n").unwrap();
        let a = file.validate().unwrap().ndn.unwrap().auto.unwrap();
        assert_eq!((a.interval, a.prefix.as_str(), a.max_peers), (std::time::Duration::from_secs(12), "lab-", 2));
        let on = || RawConfig { ndn: Some("yes".into()), ndn_auto: Some("yes".into()), ..raw(Some("wlan0"), None) };
        let d = on().validate().unwrap().ndn.unwrap().auto.unwrap();
        assert_eq!((d.interval, d.prefix.as_str(), d.max_peers), (DEFAULT_DISCOVERY_INTERVAL, DEFAULT_PEER_PREFIX, DEFAULT_MAX_PEERS));
        assert_eq!(RawConfig { ndn: Some("yes".into()), ..raw(Some("wlan0"), None) }.validate().unwrap().ndn.unwrap().auto, None);
        // Without ndn, or its settings without ndn_auto.
        assert_eq!(RawConfig { ndn_auto: Some("yes".into()), ..raw(Some("wlan0"), None) }.validate().unwrap_err(), ConfigError::NdnOnly("ndn_auto"));
        let stray = RawConfig { ndn: Some("yes".into()), ndn_max_peers: Some("3".into()), ..raw(Some("wlan0"), None) }.validate();
        assert_eq!(stray.unwrap_err(), ConfigError::NdnAutoOnly("ndn_max_peers"));
        for bad in ["4", "3601", "ten", "2.5"] {
            assert!(matches!(RawConfig { ndn_discovery_interval: Some(bad.into()), ..on() }.validate(), Err(ConfigError::BadNdnDiscoveryInterval(_))), "{bad}");
        }
        for bad in ["", "a-very-long-prefix-of-thirty-three"] {
            assert!(matches!(RawConfig { ndn_peer_prefix: Some(bad.into()), ..on() }.validate(), Err(ConfigError::BadNdnPeerPrefix(_))), "{bad:?}");
        }
        for bad in ["0", "11", "many"] {
            assert!(matches!(RawConfig { ndn_max_peers: Some(bad.into()), ..on() }.validate(), Err(ConfigError::BadNdnMaxPeers(_))), "{bad}");
        }
        assert!(matches!(RawConfig { ndn_auto: Some("maybe".into()), ..on() }.validate(), Err(ConfigError::BadNdnAuto(_))));
        let both = RawConfig { peer_mac: Some("02:00:00:00:01:00".into()), ..on() }.validate();
        assert_eq!(both.unwrap_err(), ConfigError::NdnAutoWithPeerMac);
    }

    #[test]
    fn go_address_and_passphrase_length_are_checked() {
        let base = || raw(Some("wlan0"), None);
        let ok = base().validate().unwrap();
        assert_eq!((ok.go_address, ok.passphrase_len), (DEFAULT_GO_ADDRESS, 8));
        let set = RawConfig { go_address: Some("10.9.8.1/16".into()), passphrase_len: Some("63".into()), ..base() }.validate().unwrap();
        assert_eq!((set.go_address, set.passphrase_len), ((Ipv4Addr::new(10, 9, 8, 1), 16), 63));
        for bad in ["10.9.8.1/31", "10.9.8.1/7", "10.9.8.1", "x/24"] {
            let r = RawConfig { go_address: Some(bad.into()), ..base() }.validate();
            assert!(matches!(r, Err(ConfigError::BadGoAddress(_))), "{bad}");
        }
        for bad in ["7", "64", "eight"] {
            let r = RawConfig { passphrase_len: Some(bad.into()), ..base() }.validate();
            assert!(matches!(r, Err(ConfigError::BadPassphraseLen(_))), "{bad}");
        }
        let file = RawConfig::parse("ifname=wlan0\ngo_address=192.168.7.1/24\np2p_passphrase_len=12\n").unwrap().validate().unwrap();
        assert_eq!((file.go_address.0, file.passphrase_len), (Ipv4Addr::new(192, 168, 7, 1), 12));
    }

    #[test]
    fn persistent_reconnect_is_wpa_supplicants_key() {
        let base = || raw(Some("wlan0"), None);
        assert!(base().validate().unwrap().persistent_reconnect, "1 by default");
        let file = RawConfig::parse("ifname=wlan0\npersistent_reconnect=0\n").unwrap().validate().unwrap();
        assert!(!file.persistent_reconnect);
        let r = RawConfig { persistent_reconnect: Some("yes".into()), ..base() }.validate();
        assert_eq!(r.unwrap_err(), ConfigError::BadPersistentReconnect("yes".into()));
    }

    #[test]
    fn wps_lockout_and_ctrl_group_are_checked() {
        let base = || raw(Some("wlan0"), None);
        let d = base().validate().unwrap();
        assert_eq!((d.wps_lockout, d.ctrl_group), (std::time::Duration::from_secs(60), None));
        let set = RawConfig { wps_lockout: Some("5".into()), ctrl_group: Some("4242".into()), ..base() }.validate().unwrap();
        assert_eq!((set.wps_lockout, set.ctrl_group), (std::time::Duration::from_secs(5), Some(4242)));
        for bad in ["0", "-1", "1.5", "86401", "x"] {
            let r = RawConfig { wps_lockout: Some(bad.into()), ..base() }.validate();
            assert!(matches!(r, Err(ConfigError::BadWpsLockout(_))), "{bad}");
        }
        let r = RawConfig { ctrl_group: Some("no-such-group-here".into()), ..base() }.validate();
        assert_eq!(r.unwrap_err(), ConfigError::BadCtrlGroup("no-such-group-here".into()));
        // Names from /etc/group, numbers as a fallback.
        let etc = "root:x:0:\nnetdev:x:108:alice,bob\nbroken\n";
        assert_eq!(gid_of(etc, "netdev"), Some(108));
        assert_eq!(gid_of(etc, "root"), Some(0));
        assert_eq!(gid_of(etc, "1000"), Some(1000));
        assert_eq!(gid_of(etc, "wheel"), None);
        assert_eq!(gid_of(etc, ""), None);
        // wpa_supplicant's ctrl_interface=DIR=.. GROUP=.. and ctrl_interface_group=.
        let f = RawConfig::parse("ctrl_interface=DIR=/run/d GROUP=netdev\nwps_lockout_seconds=7\n").unwrap();
        assert_eq!((f.ctrl_dir, f.ctrl_group.as_deref(), f.wps_lockout.as_deref()), (Some(PathBuf::from("/run/d")), Some("netdev"), Some("7")));
        let f = RawConfig::parse("ctrl_interface=/run/d\nctrl_interface_group=0\n").unwrap();
        assert_eq!((f.ctrl_dir, f.ctrl_group.as_deref()), (Some(PathBuf::from("/run/d")), Some("0")));
        assert!(RawConfig::parse("ctrl_interface=DIR=/run/d USER=x\n").is_err());
    }

    #[test]
    fn static_address_is_checked() {
        let with = |a: &str| RawConfig { address: Some(a.into()), ..raw(Some("wlan0"), None) }.validate();
        assert_eq!(with("192.168.49.77/24").unwrap().static_address, Some((Ipv4Addr::new(192, 168, 49, 77), 24)));
        for bad in ["192.168.49.77", "192.168.49.77/33", "192.168.49.77/0", "300.1.1.1/24", "x/24"] {
            assert!(matches!(with(bad), Err(ConfigError::BadAddress(_))), "{bad}");
        }
        assert_eq!(RawConfig::parse("address=10.0.0.2/8\n").unwrap().address.as_deref(), Some("10.0.0.2/8"));
    }

    #[test]
    fn ndn_settings_are_checked_and_need_ndn() {
        use crate::probe::AnswerFormat;
        use std::time::Duration;
        let base = || raw(Some("wlan0"), None);
        assert_eq!(base().validate().expect("valid").ndn, None);
        let on = RawConfig { ndn: Some("yes".into()), ..base() }.validate().expect("valid").ndn.expect("valid");
        assert_eq!(on.socket, PathBuf::from("/run/nfd/nfd.sock"));
        assert_eq!((on.probe.interval, on.probe.max_timeouts, on.probe.format), (Duration::from_secs(12), 5, AnswerFormat::Spec));
        let file = RawConfig::parse("ifname=wlan0\nndn=yes\nndn_socket=/tmp/n.sock\nprobe_interval=2.5\nprobe_timeouts=3\nprobe_format=app\n").expect("valid");
        let set = file.validate().expect("valid").ndn.expect("valid");
        assert_eq!(set.socket, PathBuf::from("/tmp/n.sock"));
        assert_eq!((set.probe.interval, set.probe.max_timeouts, set.probe.format), (Duration::from_millis(2500), 3, AnswerFormat::App));
        let with = |f: fn(&mut RawConfig)| {
            let mut r = RawConfig { ndn: Some("yes".into()), ..base() };
            f(&mut r);
            r.validate()
        };
        assert!(matches!(with(|r| r.ndn = Some("maybe".into())), Err(ConfigError::BadNdn(_))));
        assert!(matches!(with(|r| r.ndn_socket = Some("nfd.sock".into())), Err(ConfigError::BadNdnSocket(_))));
        for bad in ["0", "-1", "x", "3601", "NaN"] {
            let r = RawConfig { ndn: Some("yes".into()), probe_interval: Some(bad.into()), ..base() }.validate();
            assert!(matches!(r, Err(ConfigError::BadProbeInterval(_))), "{bad}");
        }
        for bad in ["0", "101", "five"] {
            let r = RawConfig { ndn: Some("yes".into()), probe_timeouts: Some(bad.into()), ..base() }.validate();
            assert!(matches!(r, Err(ConfigError::BadProbeTimeouts(_))), "{bad}");
        }
        assert!(matches!(with(|r| r.probe_format = Some("android".into())), Err(ConfigError::BadProbeFormat(_))));
        // Probe settings without ndn are a mistake worth saying.
        let stray = RawConfig { probe_interval: Some("12".into()), ..base() }.validate();
        assert_eq!(stray, Err(ConfigError::NdnOnly("probe_interval")));
        // The command line's --ndn wins over the file's ndn=no.
        let merged = RawConfig::parse("ndn=no\n").expect("valid").merge(RawConfig { ndn: Some("yes".into()), ..base() });
        assert!(merged.validate().expect("valid").ndn.is_some());
    }

    #[test]
    fn automatic_mode_settings_are_checked() {
        use std::time::Duration;
        let base = || RawConfig { peer_mac: Some("02:00:00:00:01:00".into()), ..raw(Some("wlan0"), None) };
        assert_eq!(raw(Some("wlan0"), None).validate().unwrap().auto, None);
        let d = base().validate().unwrap();
        let a = d.auto.unwrap();
        assert_eq!(a.peer, "02:00:00:00:01:00".parse().unwrap());
        assert_eq!((a.window, a.freq, a.local_address, a.once), (Duration::from_secs(120), None, None, false));
        // Without a local address the usual address plan stays.
        assert_eq!((d.static_address, d.go_address), (None, DEFAULT_GO_ADDRESS));
        // The hook's upper-case MAC is fine.
        let up = RawConfig { peer_mac: Some("02:AB:00:00:01:00".into()), ..base() }.validate().unwrap();
        assert_eq!(up.auto.unwrap().peer, "02:ab:00:00:01:00".parse().unwrap());
        for bad in ["02:00:00:00:01", "02-00-00-00-01-00", "zz:00:00:00:01:00", "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "03:00:00:00:01:00", ""] {
            let r = RawConfig { peer_mac: Some(bad.into()), ..base() }.validate();
            assert!(matches!(r, Err(ConfigError::BadPeerMac(_))), "{bad}");
        }
        for bad in ["0", "-1", "3601", "1.5", "x", ""] {
            let r = RawConfig { discover_window: Some(bad.into()), ..base() }.validate();
            assert!(matches!(r, Err(ConfigError::BadDiscoverWindow(_))), "{bad}");
        }
        let w = RawConfig { discover_window: Some("3600".into()), ..base() }.validate().unwrap();
        assert_eq!(w.auto.unwrap().window, Duration::from_secs(3600));
        for ok in ["2412", "2462", "5180", "5745"] {
            let r = RawConfig { freq: Some(ok.into()), ..base() }.validate().unwrap();
            assert_eq!(r.auto.unwrap().freq, Some(ok.parse().unwrap()));
        }
        for bad in ["0", "3000", "2413", "2484", "5181", "x", "-2412"] {
            let r = RawConfig { freq: Some(bad.into()), ..base() }.validate();
            assert!(matches!(r, Err(ConfigError::BadFreq(_))), "{bad}");
        }
        assert!(matches!(RawConfig { once: Some("maybe".into()), ..base() }.validate(), Err(ConfigError::BadOnce(_))));
        assert!(RawConfig { once: Some("yes".into()), ..base() }.validate().unwrap().auto.unwrap().once);
    }

    #[test]
    fn automatic_mode_local_address_is_ours_in_either_role() {
        let base = || RawConfig { peer_mac: Some("02:00:00:00:01:00".into()), ..raw(Some("wlan0"), None) };
        let with = |a: &str, m: Option<&str>| RawConfig { local_address: Some(a.into()), local_netmask: m.map(Into::into), ..base() }.validate();
        let ip = Ipv4Addr::new(10, 7, 0, 2);
        for (a, m) in [("10.7.0.2/24", None), ("10.7.0.2", Some("255.255.255.0")), ("10.7.0.2/24", Some("255.255.255.0"))] {
            let c = with(a, m).unwrap();
            assert_eq!(c.auto.unwrap().local_address, Some((ip, 24)), "{a} {m:?}");
            // As client the fixed address, as GO our own address (its plan uses that subnet).
            assert_eq!((c.static_address, c.go_address), (Some((ip, 24)), (ip, 24)));
        }
        assert_eq!(with("10.7.0.2", None).unwrap_err(), ConfigError::LocalAddressWithoutMask("10.7.0.2".into()));
        assert!(matches!(with("10.7.0.2/24", Some("255.255.0.0")), Err(ConfigError::LocalMaskMismatch { prefix: 24, mask: 16, .. })));
        for bad in ["255.0.255.0", "255.255.255.255", "0.0.0.0", "x", "255.255.255.254"] {
            assert!(matches!(with("10.7.0.2", Some(bad)), Err(ConfigError::BadLocalNetmask(_))), "{bad}");
        }
        for bad in ["10.7.0.2/31", "10.7.0.2/7", "10.7.0.0/24", "10.7.0.255/24", "224.0.0.1/24", "127.0.0.1/8", "x/24", "10.7.0/24"] {
            assert!(matches!(with(bad, None), Err(ConfigError::BadLocalAddress(_))), "{bad}");
        }
        let nm = RawConfig { local_netmask: Some("255.255.255.0".into()), ..base() }.validate();
        assert_eq!(nm.unwrap_err(), ConfigError::NetmaskWithoutAddress);
        let conflict = RawConfig { local_address: Some("10.7.0.2/24".into()), address: Some("10.7.0.3/24".into()), ..base() }.validate();
        assert_eq!(conflict.unwrap_err(), ConfigError::LocalAddressConflict("--address"));
        // Automatic settings without the peer are a mistake worth saying.
        let stray = RawConfig { freq: Some("2462".into()), ..raw(Some("wlan0"), None) }.validate();
        assert_eq!(stray.unwrap_err(), ConfigError::AutoOnly("p2p_freq"));
        // The config keys, as the hook's options.
        let f = RawConfig::parse("ifname=wlan0\np2p_peer_mac=02:00:00:00:01:00\np2p_discover_window=30\np2p_freq=5180\np2p_local_address=192.168.5.1\np2p_local_netmask=255.255.255.0\np2p_once=yes\n")
            .unwrap()
            .validate()
            .unwrap();
        let a = f.auto.unwrap();
        assert_eq!((a.window.as_secs(), a.freq, a.local_address, a.once), (30, Some(5180), Some((Ipv4Addr::new(192, 168, 5, 1), 24)), true));
        // Flags win over the file.
        let m = RawConfig::parse("p2p_peer_mac=02:00:00:00:01:00\np2p_discover_window=30\n").unwrap().merge(RawConfig { discover_window: Some("5".into()), ..raw(Some("wlan0"), None) });
        assert_eq!(m.validate().unwrap().auto.unwrap().window.as_secs(), 5);
    }

    #[test]
    fn p2p_name_names_the_device_and_the_groups() {
        let with = |n: &str| RawConfig { p2p_name: Some(n.into()), ..raw(Some("wlan0"), None) }.validate();
        let c = with("p2p0").unwrap();
        assert_eq!((c.p2p_dev_name(), c.base_name()), ("p2p0".to_owned(), "p2p0"));
        let d = raw(Some("wlan0"), None).validate().unwrap();
        assert_eq!((d.p2p_name.as_deref(), d.p2p_dev_name(), d.base_name()), (None, "p2p-dev-wlan0".to_owned(), "wlan0"));
        for bad in ["", "wlan0", "ten-chars0", "p2p/0", "p 0", "p2p-dev-x"] {
            assert!(matches!(with(bad), Err(ConfigError::BadP2pName(_))), "{bad:?}");
        }
        let f = RawConfig::parse("ifname=wlan0\np2p_name=p2p0\n").unwrap().validate().unwrap();
        assert_eq!(f.p2p_dev_name(), "p2p0");
    }

    #[test]
    fn file_errors_name_the_line() {
        assert_eq!(RawConfig::parse("ifname=a\nbogus\n").unwrap_err().0, 2);
        let err = RawConfig::parse("colour=blue").unwrap_err();
        assert!(err.1.contains("colour"), "{err:?}");
        let rel = RawConfig { ctrl_dir: Some("run".into()), ..raw(Some("wlan0"), None) };
        assert!(matches!(rel.validate(), Err(ConfigError::BadCtrlDir(_))));
        let f = RawConfig::parse("ifname=wlan0\np2p_peer_mac=02:00:00:00:01:00\np2p_persistent=yes\n").unwrap().validate().unwrap();
        assert!(f.auto.unwrap().persistent);
        assert_eq!(RawConfig::parse("ifname=wlan0\np2p_persistent=yes\n").unwrap().validate().unwrap_err(), ConfigError::AutoOnly("p2p_persistent"));
        let rel = RawConfig { state_dir: Some("var".into()), ..raw(Some("wlan0"), None) };
        assert!(matches!(rel.validate(), Err(ConfigError::BadStateDir(_))));
        let file = RawConfig::parse("ifname=wlan0\nstate_dir=/tmp/s\n").unwrap();
        let merged = file.clone().merge(RawConfig { state_dir: Some("/tmp/t".into()), ..Default::default() });
        assert_eq!(file.validate().unwrap().persistent_file(), PathBuf::from("/tmp/s/persistent.conf"));
        assert_eq!(merged.validate().unwrap().state_dir, PathBuf::from("/tmp/t"));
    }
}
