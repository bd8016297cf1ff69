//! Running a P2P group as its owner (sans-IO).
//!
//! The kernel runs the BSS (beacons from our templates, data frames, keys); everything
//! else is ours, as with hostapd on mac80211:
//! - probe requests are answered with a Probe Response carrying the group's WSC IE and a
//!   P2P IE with our Device Info and the Group Info of the connected clients (PBC probe
//!   requests feed the PBC overlap monitor);
//! - open-system authentication and (re)association are answered by us; an associated
//!   station is added to the kernel with its capabilities and rates;
//! - a station that associated without RSN but with a WSC IE runs the WPS registrar over
//!   EAPOL (`wps::registrar`) and gets the group's credential, then reassociates with RSN;
//! - an RSN station runs the 4-way handshake with us as authenticator (`eapol`), with an
//!   address from the IP-allocation KDE when it asks; the port is then authorized.
//!
//! Driven like every machine here: `handle_input(now, GoInput)`, `handle_timeout(now)`,
//! `poll_output()`, `poll_timeout()`, with one timer table (`timers`) read by both
//! `poll_timeout` and `handle_timeout`. The driver turns outputs into nl80211 calls (FRAME,
//! NEW_STATION, DEL_STATION, CONTROL_PORT_FRAME, NEW_KEY, SET_STATION, SET_BEACON).
//!
//! Split along the protocol's seams: `templates` (beacon, probe response and association
//! response IEs), `station` (authentication, association, the station states with their
//! AID and deadlines, leaving), `registration` (WPS arming, the PBC monitor, one registrar per
//! enrollee), `handshake` (the 4-way handshake per station and the address it hands out).

use std::collections::{BTreeMap, VecDeque};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use wps::pbc::PbcMonitor;
use wps::pin::Pin;
use zeroize::Zeroizing;

use crate::eapol::crypto::{Gtk, Pmk, Tk, psk_from_passphrase};
use crate::eapol::wire::{EAPOL_VERSION_2004, EapolEmitError, EapolRepr, PacketType, RsnElement};
use crate::eapol::{GroupKey, RandomSource};
use crate::ieee80211::{CapabilityInfo, ElementId, Elements, MacAddr, MgmtBody, MgmtRepr, ReasonCode, ReasonRepr};
use crate::p2p::wire::{Attribute, P2pIe};

mod handshake;
pub(crate) mod limits;
mod registration;
mod station;
mod templates;

use self::registration::{Armed, PinLockout};
pub use self::limits::{MAX_UNASSOCIATED, PROBE_BURST, PROBE_PER_SOURCE, PROBE_RATE, PROBE_WINDOW};
use self::limits::ProbeLimiter;
pub use self::registration::{DEFAULT_WPS_LOCKOUT, LOCK_AFTER_FAILURES, LOCK_FOREVER_AFTER};
pub use self::station::{AssocRequestInfo, StationReport};
use self::station::{Phase, StaState, Station};
pub use self::templates::{CONFIG_METHODS, PRIMARY_DEVICE_TYPE};

/// Beacon interval in TU.
pub const BEACON_INTERVAL: u16 = 100;

/// Makes a fresh random source for each registrar (each needs its own DH key and nonces).
pub type WpsRngFactory = Box<dyn FnMut() -> Box<dyn RandomSource + Send> + Send>;

/// Addresses for the group's clients: the GO hands one out in message 3 of the 4-way
/// handshake when a client asks. The group owns its pool (the agent's is the group's DHCP
/// server itself, reached through [`Go::pool_mut`]), so the handshake's allocations and
/// DHCP's bindings are one table and one address never goes to two stations.
pub trait IpPool: Send {
    /// An address for `sta` (its current one if it has one); `None` if the pool is full.
    fn allocate(&mut self, now: Instant, sta: MacAddr) -> Option<Ipv4Addr>;
    /// `sta` left: free whatever it held.
    fn release(&mut self, sta: MacAddr);
}

impl IpPool for crate::dhcp::Server {
    fn allocate(&mut self, now: Instant, sta: MacAddr) -> Option<Ipv4Addr> {
        self.allocate_reserved(now, sta)
    }
    fn release(&mut self, sta: MacAddr) {
        crate::dhcp::Server::release(self, sta);
    }
}

/// Who we are, as the group's WSC and P2P IEs tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoIdentity {
    /// Our P2P device address (Device ID / Device Info, `go_dev_addr=`).
    pub dev_addr: MacAddr,
    pub device_name: String,
    /// WSC UUID (UUID-E in our IEs, UUID-R as registrar).
    pub uuid: [u8; 16],
    pub manufacturer: String,
    pub model_name: String,
    pub model_number: String,
}

/// What the group is.
pub struct GoConfig {
    /// The group interface's address: the BSSID.
    pub bssid: MacAddr,
    pub identity: GoIdentity,
    /// `DIRECT-xy...`.
    pub ssid: Vec<u8>,
    /// The WPA2 passphrase (8..63 characters), handed out by WPS.
    pub passphrase: Zeroizing<String>,
    /// Operating channel, MHz.
    pub freq: u32,
    /// Our address and netmask on the group (for the IP-allocation KDE); `None`: no
    /// allocation in the handshake (and no IP-allocation capability bit).
    pub ip: Option<(Ipv4Addr, Ipv4Addr)>,
    /// How long the registrar refuses PIN enrollees after the third wrong PIN (it grows
    /// after that, as hostapd's AP PIN lockout); [`DEFAULT_WPS_LOCKOUT`] by default.
    pub wps_lockout: Duration,
    /// A persistent group: its P2P IE says so (Group Capability bit 1), which is what
    /// makes a joining wpa_supplicant store it.
    pub persistent: bool,
    /// With `persistent`: we re-invoke the group when asked without asking our user
    /// (`persistent_reconnect=1`): Group Capability bit 5 says so, as hostap sets it only
    /// then.
    pub persistent_reconnect: bool,
}

impl std::fmt::Debug for GoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoConfig")
            .field("bssid", &self.bssid)
            .field("ssid", &String::from_utf8_lossy(&self.ssid))
            .field("freq", &self.freq)
            .field("ip", &self.ip)
            .field("wps_lockout", &self.wps_lockout)
            .field("persistent", &self.persistent)
            .field("persistent_reconnect", &self.persistent_reconnect)
            .finish_non_exhaustive()
    }
}

/// A station the kernel must know (`NL80211_CMD_NEW_STATION` after association).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationParams {
    pub addr: MacAddr,
    pub aid: u16,
    /// Capability Information of the association request.
    pub capability: u16,
    pub listen_interval: u16,
    /// Supported and extended supported rates, in 500 kb/s units (basic bit cleared).
    pub rates: Vec<u8>,
}

impl StationParams {
    /// Short preamble, from the capability field. (Our group runs without HT and WMM, the
    /// beacon has neither, so stations are added without HT capabilities and QoS.)
    pub fn short_preamble(&self) -> bool {
        self.capability & CapabilityInfo::SHORT_PREAMBLE.bits() != 0
    }
}

/// What the group reports (the driver turns these into control-interface events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoEvent {
    /// A client completed the 4-way handshake (`AP-STA-CONNECTED`).
    StaConnected { addr: MacAddr, p2p_dev_addr: Option<MacAddr>, ip: Option<Ipv4Addr> },
    /// A connected client left or was sent away (`AP-STA-DISCONNECTED`).
    StaDisconnected { addr: MacAddr, p2p_dev_addr: Option<MacAddr> },
    /// PBC armed (`WPS-PBC-ACTIVE`).
    PbcActive,
    /// PBC walk time over, nobody came (`WPS-TIMEOUT`).
    WpsTimeout,
    /// More than one PBC enrollee: nobody is served (`WPS-OVERLAP-DETECTED`).
    PbcOverlap,
    /// An enrollee got the credential (`WPS-REG-SUCCESS <mac> <uuid>`).
    RegSuccess { enrollee: MacAddr, uuid_e: [u8; 16] },
    /// A registration failed (`WPS-FAIL msg=.. config_error=..`).
    WpsFail { msg: u8, config_error: u16, reason: String },
    /// An enrollee asked before WPS was armed (M2D sent); for the log.
    EnrolleeWaiting { addr: MacAddr },
    /// Too many wrong PINs: PIN enrollees are refused for a while (`WPS-AP-SETUP-LOCKED`).
    ApSetupLocked,
    /// The lockout is over (`WPS-AP-SETUP-UNLOCKED`).
    ApSetupUnlocked,
}

/// What the group is told (the one drive input, with `handle_timeout` for time).
#[derive(Debug)]
pub enum GoInput<'a> {
    /// A management frame the kernel handed us on the group interface.
    Frame(&'a [u8]),
    /// The outcome of a frame we sent with [`GoOutput::SendFrame`] (not `no_ack`).
    TxStatus { frame: &'a [u8], ack: bool },
    /// An EAPOL PDU from a station (802.1X header included).
    Eapol { src: MacAddr, pdu: &'a [u8] },
    /// The kernel removed a station by itself (inactivity, or a DEL_STATION of ours).
    StationGone(MacAddr),
    /// `WPS_PBC`: accept one push-button enrollee during the walk time.
    WpsPbc,
    /// `WPS_PIN any|<addr> <PIN> [timeout]`: accept an enrollee with this PIN (any, or only
    /// the one with that interface or P2P device address); no timeout (or zero): until used
    /// or cancelled.
    WpsPin { pin: Pin, target: Option<MacAddr>, timeout: Option<Duration> },
    /// `WPS_CANCEL`.
    WpsCancel,
    /// The group ends (`P2P_GROUP_REMOVE`): every station is deauthenticated.
    Shutdown,
}

/// Something the driver must do, in order.
#[derive(Debug)]
pub enum GoOutput {
    /// A management frame to transmit on the group's channel; `no_ack`: no TX status
    /// wanted (probe responses).
    SendFrame { frame: Vec<u8>, no_ack: bool },
    /// Add an associated station to the kernel.
    NewStation(StationParams),
    /// Remove a station from the kernel (also done before a new authentication).
    DelStation { addr: MacAddr },
    /// An EAPOL PDU to a station (802.1X header included), over the control port.
    SendEapol { dest: MacAddr, pdu: Vec<u8> },
    InstallPtk { peer: MacAddr, tk: Tk },
    /// The group key (at start; key index as given, default for multicast).
    InstallGtk { gtk: Gtk, key_idx: u8 },
    /// Open the station's controlled port.
    Authorize { peer: MacAddr },
    /// The beacon content changed: SET_BEACON with these templates (built when this
    /// output is taken, so it shows the group as it is then).
    SetBeacon(BeaconTemplate),
    Event(GoEvent),
}

/// An output waiting in the queue; the beacon templates are built when taken.
enum Queued {
    Out(GoOutput),
    UpdateBeacon,
}

/// Beacon templates for START_AP / SET_BEACON: the head ends before where the kernel puts
/// the TIM element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeaconTemplate {
    pub head: Vec<u8>,
    pub tail: Vec<u8>,
    /// The P2P and WSC IEs alone (`NL80211_ATTR_IE` / `_IE_PROBE_RESP` for drivers that
    /// build probe responses themselves).
    pub beacon_ies: Vec<u8>,
    pub probe_resp_ies: Vec<u8>,
    pub assoc_resp_ies: Vec<u8>,
}

/// One entry of the timer table: what happens when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timer {
    /// The WPS walk time (or the PIN's timeout) ends.
    WalkTime,
    /// The PIN lockout ends.
    Unlock,
    /// An authenticated station that never associated is forgotten.
    ForgetAuthenticated(MacAddr),
    /// EAPOL starts although the association response's TX status did not come.
    StartEapol(MacAddr),
    /// A station still associated for WPS after its registration is sent away.
    WpsLeave(MacAddr),
    /// The station's registrar has a timer.
    Registrar(MacAddr),
    /// The station's authenticator has a timer.
    Authenticator(MacAddr),
}

/// The group-owner machine, owning its address pool `P`.
pub struct Go<P: IpPool> {
    cfg: GoConfig,
    pmk: Pmk,
    group_key: GroupKey,
    own_rsne: Vec<u8>,
    stations: BTreeMap<MacAddr, Station>,
    /// Replay counters of stations that associated again while associated, for their
    /// next handshake (see `AuthenticatorConfig::replay_counter_base`).
    carried_counters: BTreeMap<MacAddr, u64>,
    armed: Option<Armed>,
    /// PBC enrollees seen by probe requests and M1s (lent to each registrar input).
    pbc_monitor: PbcMonitor,
    overlap_reported: bool,
    /// Provisioning the negotiated peer (the Group Formation bit of our P2P IE).
    group_formation: bool,
    /// Wrong PINs so far and whether PIN enrollees are locked out.
    pin_lockout: PinLockout,
    pool: P,
    wps_rng: WpsRngFactory,
    rng: Box<dyn RandomSource + Send>,
    /// Probe responses to strangers, limited (`limits`).
    probe_limiter: ProbeLimiter,
    out: VecDeque<Queued>,
}

/// Why a group could not start, or a frame of it could not be built.
#[derive(Debug, thiserror::Error)]
pub enum GoError {
    #[error("the passphrase must be 8..63 printable ASCII characters")]
    Passphrase,
    #[error("the SSID must be 1..32 bytes")]
    Ssid,
    #[error("cannot build the group's {what}: {detail}")]
    Template { what: &'static str, detail: String },
}

impl<P: IpPool> Go<P> {
    /// A group ready to start: the first output installs the group key. The templates are
    /// built once here, so a configuration that cannot be announced (a device name too
    /// long for its attribute...) is refused now rather than at the first beacon.
    pub fn new(
        cfg: GoConfig,
        pool: P,
        wps_rng: WpsRngFactory,
        mut rng: Box<dyn RandomSource + Send>,
    ) -> Result<Self, GoError> {
        if cfg.ssid.is_empty() || cfg.ssid.len() > 32 {
            return Err(GoError::Ssid);
        }
        let p = cfg.passphrase.as_str();
        if !(8..=63).contains(&p.len()) || !p.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(GoError::Passphrase);
        }
        let pmk = psk_from_passphrase(p, &cfg.ssid).map_err(|_| GoError::Passphrase)?;
        let mut gtk = [0u8; 16];
        rng.fill(&mut gtk);
        let group_key = GroupKey { gtk: Gtk::from_slice(&gtk), key_idx: 1, rsc: 0 };
        let own_rsne = RsnElement::wpa2_psk_ccmp()
            .to_vec()
            .map_err(|e| GoError::Template { what: "RSN element", detail: e.to_string() })?;
        let pin_lockout = PinLockout::new(cfg.wps_lockout);
        let mut go = Go {
            cfg,
            pmk,
            group_key,
            own_rsne,
            stations: BTreeMap::new(),
            carried_counters: BTreeMap::new(),
            armed: None,
            pbc_monitor: PbcMonitor::default(),
            overlap_reported: false,
            group_formation: false,
            pin_lockout,
            pool,
            wps_rng,
            rng,
            probe_limiter: ProbeLimiter::default(),
            out: VecDeque::new(),
        };
        go.beacon()?;
        go.push(GoOutput::InstallGtk { gtk: go.group_key.gtk.clone(), key_idx: go.group_key.key_idx });
        Ok(go)
    }

    pub fn config(&self) -> &GoConfig {
        &self.cfg
    }

    /// A group formed by GO negotiation: our P2P IE carries the Group Formation bit until
    /// [`Go::formation_over`] (P2P spec 4.1.4; hostap sets it the same way), so that other
    /// devices do not try to join while the negotiated peer is provisioned. Call it before
    /// the first beacon is taken.
    pub fn start_forming(&mut self) {
        self.group_formation = true;
    }

    /// The negotiated peer registered (or the formation ended): the bit goes, in the
    /// beacon too.
    pub fn formation_over(&mut self) {
        if std::mem::take(&mut self.group_formation) {
            self.update_beacon();
        }
    }

    /// The group's address pool, for its owner's other users (the agent's DHCP server).
    pub fn pool_mut(&mut self) -> &mut P {
        &mut self.pool
    }

    pub fn pool(&self) -> &P {
        &self.pool
    }

    /// The group's passphrase (`P2P_GET_PASSPHRASE`).
    pub fn passphrase(&self) -> &str {
        &self.cfg.passphrase
    }

    /// The clients that finished the handshake: (interface address, P2P device address, IP).
    pub fn clients(&self) -> Vec<(MacAddr, Option<MacAddr>, Option<Ipv4Addr>)> {
        self.stations.values().filter_map(|s| s.connected().map(|(dev, ip)| (s.addr, dev, ip))).collect()
    }

    /// Probe requests left unanswered by the rate limits so far.
    pub fn probes_refused(&self) -> u64 {
        self.probe_limiter.refused
    }

    /// Whether `sa` is a station of the group (authenticated, associated or connected):
    /// its frames are part of an exchange under way.
    pub fn knows(&self, sa: MacAddr) -> bool {
        self.stations.contains_key(&sa)
    }

    /// Every associated station (WPS, handshake and connected), in address order, for the
    /// station list (`STA-FIRST`, `STA-NEXT`, `STA`).
    pub fn station_reports(&self) -> Vec<StationReport> {
        self.stations.values().filter_map(|s| s.report()).collect()
    }

    /// Whether PIN enrollees are locked out after wrong PINs (STATUS, tests).
    pub fn wps_locked(&self) -> bool {
        self.pin_lockout.is_locked()
    }

    /// Whether WPS is armed, and how (`"pbc"` / `"pin"`), for STATUS.
    pub fn wps_state(&self) -> Option<&'static str> {
        match self.armed {
            Some(Armed::Pbc { .. }) => Some("pbc"),
            Some(Armed::Pin { .. }) => Some("pin"),
            None => None,
        }
    }

    /// The PIN armed with `WPS_PIN`, if any (a provision discovery asking us to display a
    /// PIN shows this one).
    pub fn armed_pin(&self) -> Option<&Pin> {
        match &self.armed {
            Some(Armed::Pin { pin, .. }) => Some(pin),
            _ => None,
        }
    }

    // ---- input -------------------------------------------------------------------------

    pub fn handle_input(&mut self, now: Instant, input: GoInput<'_>) {
        match input {
            GoInput::Frame(frame) => self.on_frame(now, frame),
            GoInput::TxStatus { frame, ack } => self.on_tx_status(now, frame, ack),
            GoInput::Eapol { src, pdu } => self.on_eapol(now, src, pdu),
            GoInput::StationGone(sa) => self.on_station_gone(sa),
            GoInput::WpsPbc => self.wps_pbc(now),
            GoInput::WpsPin { pin, target, timeout } => self.wps_pin(now, pin, target, timeout),
            GoInput::WpsCancel => self.wps_cancel(),
            GoInput::Shutdown => self.shutdown(),
        }
    }

    fn on_frame(&mut self, now: Instant, frame: &[u8]) {
        let m = match MgmtRepr::parse_bytes(frame) {
            Ok(m) => m,
            Err(e) => return tracing::debug!("malformed management frame dropped: {e}"),
        };
        let sa = m.header.addr2;
        let to_us = m.header.addr1 == self.cfg.bssid;
        match m.body {
            MgmtBody::ProbeRequest(p) => self.on_probe_request(now, sa, &p.ies),
            MgmtBody::Auth(a) if to_us => self.on_auth(now, sa, &a),
            MgmtBody::AssocRequest(a) if to_us => self.on_assoc(now, sa, a.capability.bits(), a.listen_interval, &a.ies, false),
            MgmtBody::ReassocRequest(a) if to_us => self.on_assoc(now, sa, a.capability.bits(), a.listen_interval, &a.ies, true),
            MgmtBody::Deauth(r) | MgmtBody::Disassoc(r) if to_us => {
                tracing::info!(sta = %sa, reason = r.reason.0, "station left");
                self.remove_station(sa, false, None);
            }
            _ => tracing::trace!(sta = %sa, "management frame not for us"),
        }
    }

    fn on_tx_status(&mut self, now: Instant, frame: &[u8], ack: bool) {
        let Ok(m) = MgmtRepr::parse_bytes(frame) else { return };
        if matches!(m.body, MgmtBody::AssocResponse(_) | MgmtBody::ReassocResponse(_)) {
            let sta = m.header.addr1;
            if !ack {
                tracing::debug!(%sta, "association response not acknowledged");
            }
            self.start_eapol(now, sta);
        }
    }

    fn on_probe_request(&mut self, now: Instant, sa: MacAddr, ies: &[u8]) {
        let Some(ssid) = Elements::find(ies, ElementId::SSID).map(|e| e.data) else { return };
        if !(ssid.is_empty() || ssid == self.cfg.ssid.as_slice() || ssid == b"DIRECT-") {
            return;
        }
        // A Device ID asks for one device: us or one of our clients.
        if let Ok(Some(p2p)) = P2pIe::from_ies(ies)
            && let Some(Attribute::DeviceId(id)) = p2p.get(crate::p2p::wire::AttributeId::DEVICE_ID)
            && *id != self.cfg.identity.dev_addr
            && !self.stations.values().any(|s| s.p2p_dev_addr() == Some(*id))
        {
            return;
        }
        if let Ok(Some(payload)) = wps::ie::wsc_payload(ies)
            && let Ok(req) = wps::ie::ProbeRequestWsc::parse(&payload)
            && req.is_pbc()
        {
            self.on_pbc_probe(now, sa, req.uuid_e);
        }
        if !self.probe_limiter.admit(now, sa, self.stations.contains_key(&sa)) {
            return tracing::trace!(%sa, "probe request not answered: rate limit");
        }
        match self.probe_response(sa) {
            Ok(frame) => self.push(GoOutput::SendFrame { frame, no_ack: true }),
            Err(e) => tracing::error!(%sa, "probe request not answered: {e}"),
        }
    }

    /// Starts WPS or the 4-way handshake for a station whose association response is out
    /// (or whose fallback timer fired).
    fn start_eapol(&mut self, now: Instant, sa: MacAddr) {
        let Some(p) = self.stations.get_mut(&sa).and_then(|s| s.phase_mut()) else { return };
        match p {
            Phase::WpsPending { .. } => self.start_registrar(now, sa),
            Phase::RsnPending { sta_rsne, .. } => {
                let sta_rsne = std::mem::take(sta_rsne);
                self.start_handshake(now, sa, sta_rsne);
            }
            _ => {}
        }
    }

    fn on_eapol(&mut self, now: Instant, src: MacAddr, pdu: &[u8]) {
        let Ok(repr) = EapolRepr::parse_bytes(pdu) else {
            return tracing::debug!(%src, "malformed EAPOL dropped");
        };
        let Some(s) = self.stations.get(&src) else {
            return tracing::debug!(%src, "EAPOL from an unknown station dropped");
        };
        match (s.associated().map(|a| &a.phase), repr.packet_type) {
            // EAPOL-Start: (re)send the identity request unless the exchange is under way.
            (Some(Phase::WpsPending { .. }), PacketType::Start) => self.start_registrar(now, src),
            (Some(Phase::Wps(e)), PacketType::Start) if !e.heard => self.start_registrar(now, src),
            (Some(Phase::Wps(_)), PacketType::EapPacket) => self.registrar_input(now, src, repr.body),
            // EAP before our identity request (the association response's status is late).
            (Some(Phase::WpsPending { .. }), PacketType::EapPacket) => self.start_registrar(now, src),
            (Some(Phase::Handshake(_) | Phase::Connected { .. }), PacketType::Key) => self.authenticator_input(now, src, pdu),
            (_, t) => tracing::debug!(%src, ?t, "EAPOL not expected now"),
        }
    }

    /// Ends the group: every station is deauthenticated.
    fn shutdown(&mut self) {
        let all: Vec<MacAddr> = self.stations.keys().copied().collect();
        for sa in all {
            self.remove_station(sa, true, Some(ReasonCode::DEAUTH_LEAVING));
        }
        self.reply(MacAddr::BROADCAST, MgmtBody::Deauth(ReasonRepr { reason: ReasonCode::DEAUTH_LEAVING, ies: Vec::new() }));
        self.armed = None;
    }

    // ---- time --------------------------------------------------------------------------

    /// The timer table: every armed timer of the group and of its stations. Both
    /// `poll_timeout` and `handle_timeout` read it, so they cannot disagree.
    fn timers(&self) -> Vec<(Instant, Timer)> {
        let mut t: Vec<(Instant, Timer)> = Vec::new();
        if let Some(at) = self.armed.as_ref().and_then(Armed::until) {
            t.push((at, Timer::WalkTime));
        }
        if let Some(at) = self.pin_lockout.until() {
            t.push((at, Timer::Unlock));
        }
        for (&sa, s) in &self.stations {
            let entry = match &s.state {
                StaState::Authenticated { forget_at } => Some((*forget_at, Timer::ForgetAuthenticated(sa))),
                StaState::Associated(a) => match &a.phase {
                    Phase::WpsPending { start_at } | Phase::RsnPending { start_at, .. } => Some((*start_at, Timer::StartEapol(sa))),
                    Phase::Wps(e) => e.registrar.poll_timeout().map(|at| (at, Timer::Registrar(sa))),
                    Phase::WpsEnded { leave_at } => Some((*leave_at, Timer::WpsLeave(sa))),
                    Phase::Handshake(auth) | Phase::Connected { auth, .. } => {
                        auth.poll_timeout().map(|at| (at, Timer::Authenticator(sa)))
                    }
                },
            };
            t.extend(entry);
        }
        t
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers().into_iter().map(|(at, _)| at).min()
    }

    /// Fires every timer of the table that is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        for (at, timer) in self.timers() {
            if at > now {
                continue;
            }
            match timer {
                Timer::WalkTime => self.walk_time_over(),
                Timer::Unlock => self.lockout_over(now),
                Timer::ForgetAuthenticated(sa) => {
                    self.stations.remove(&sa);
                }
                Timer::StartEapol(sa) => self.start_eapol(now, sa),
                Timer::WpsLeave(sa) => {
                    tracing::debug!(sta = %sa, "WPS over: sending the enrollee away");
                    self.remove_station(sa, true, Some(ReasonCode::IEEE_802_1X_AUTH_FAILED));
                }
                Timer::Registrar(sa) => self.registrar_timeout(now, sa),
                Timer::Authenticator(sa) => self.authenticator_timeout(now, sa),
            }
        }
    }

    pub fn poll_output(&mut self) -> Option<GoOutput> {
        loop {
            match self.out.pop_front()? {
                Queued::UpdateBeacon => match self.beacon() {
                    Ok(t) => return Some(GoOutput::SetBeacon(t)),
                    Err(e) => tracing::error!("beacon not updated: {e}"),
                },
                Queued::Out(o) => return Some(o),
            }
        }
    }

    fn push(&mut self, o: GoOutput) {
        self.out.push_back(Queued::Out(o));
    }

    /// The beacon content changed: SET_BEACON (with the templates as they are when the
    /// driver takes the output).
    fn update_beacon(&mut self) {
        self.out.push_back(Queued::UpdateBeacon);
    }
}

/// An EAPOL PDU (802.1X-2004 version, as hostapd sends).
fn eapol_pdu(packet_type: PacketType, body: &[u8]) -> Result<Vec<u8>, EapolEmitError> {
    EapolRepr { version: EAPOL_VERSION_2004, packet_type, body }.to_vec()
}

/// Characters of generated SSID suffixes and passphrases (as hostap).
const CHARSET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `len` random characters of [A-Za-z0-9], without modulo bias.
pub fn random_chars(rng: &mut dyn RandomSource, len: usize) -> String {
    let mut s = String::with_capacity(len);
    let mut b = [0u8; 1];
    while s.len() < len {
        rng.fill(&mut b);
        // 248 = 4 * 62: values above would favour the first characters.
        if b[0] < 248 {
            s.push(char::from(CHARSET[usize::from(b[0]) % CHARSET.len()]));
        }
    }
    s
}

/// A group SSID: `DIRECT-` and two random characters.
pub fn random_ssid(rng: &mut dyn RandomSource) -> Vec<u8> {
    format!("DIRECT-{}", random_chars(rng, 2)).into_bytes()
}

#[cfg(test)]
mod tests;
