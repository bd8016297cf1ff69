//! Joining a running group as a P2P client (sans-IO).
//!
//! The life of a join, as wpa_supplicant does it against a GO:
//! 1. associate without RSN, with a WSC IE (Request Type "enrollee, open 802.1X") and our
//!    P2P IE, and run the EAP-WSC enrollee over EAPOL (`wps::enrollee`) until M8 hands us
//!    the group's credential; the GO ends the exchange with EAP-Failure;
//! 2. disconnect, associate again with RSN (WPA2-PSK, CCMP) and run the 4-way handshake as
//!    supplicant (`eapol::Supplicant`), asking for an address with the IP-allocation KDE;
//! 3. install the keys, authorize the port, and report the group as started.
//!
//! Driven like every machine here: `handle_input(now, input)`, `handle_timeout(now)`,
//! `poll_output()`, `poll_timeout()`. The driver turns outputs into nl80211 calls (CONNECT,
//! CONTROL_PORT_FRAME, NEW_KEY, SET_STATION) and kernel events into inputs.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use wps::enrollee::{Enrollee, EnrolleeConfig, EnrolleeEvent};
use wps::message::Credential;
use wps::session::{Failure, Input as WpsInput, Output as WpsOutput};

use crate::eapol::crypto::{Gtk, Pmk, Tk, psk_from_passphrase};
use crate::eapol::wire::{EAPOL_VERSION_2001, EapolRepr, IpAllocation, PacketType, RsnElement};
use crate::eapol::{RandomSource, Supplicant, SupplicantConfig, SupplicantInput, SupplicantOutput};
use crate::ieee80211::MacAddr;

/// How long we wait for the GO to drop the WPS association before leaving ourselves.
const WPS_DISCONNECT_WAIT: Duration = Duration::from_millis(1500);
/// Association attempts per phase before the join fails (wpa_supplicant retries too: under
/// load a GO's user-space MLME answers slower than the kernel's association timeout of
/// 3 x 200 ms; a wpa_supplicant GO in a loaded guest was seen missing five attempts in a row
/// 0.5 s apart, so the pauses grow).
pub const ASSOC_ATTEMPTS: u32 = 8;
/// Pause before the second association attempt; it doubles per failed attempt up to
/// [`ASSOC_RETRY_DELAY_MAX`] (0.5, 1, 2, 2, ... s: about 12 s of pauses in all).
const ASSOC_RETRY_DELAY: Duration = Duration::from_millis(500);
const ASSOC_RETRY_DELAY_MAX: Duration = Duration::from_secs(2);

/// The pause after `failures` failed association attempts (1 after the first).
fn assoc_retry_delay(failures: u32) -> Duration {
    ASSOC_RETRY_DELAY.saturating_mul(1 << failures.saturating_sub(1).min(8)).min(ASSOC_RETRY_DELAY_MAX)
}
/// An association attempt the kernel never reports on is abandoned after this (cfg80211's
/// connect scan, refused with EBUSY while the P2P device's remain-on-channel ran, waits for
/// the end of a scan that never comes; seen after GO negotiation). A normal attempt ends in
/// well under a second: three authentication and three association tries of 200 ms.
pub const ASSOC_RESULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The whole provisioning (both associations, WPS and the handshake) must end within this.
const JOIN_TIMEOUT: Duration = Duration::from_secs(60);
/// After an M2D (the registrar has no password for us yet: the GO's user has not entered
/// our PIN or pressed the button), the pause before associating and trying WPS again, as
/// wpa_supplicant keeps trying until its walk time ends (here: until the join times out).
const WPS_RETRY_DELAY: Duration = Duration::from_secs(1);

/// Makes a fresh random source for each WPS attempt (each enrollee needs its own DH key and
/// nonces).
pub type WpsRngFactory = Box<dyn FnMut() -> Box<dyn wps::rng::WpsRng + Send> + Send>;

/// The group to join, as discovery saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinTarget {
    /// The GO's P2P device address.
    pub go_dev_addr: MacAddr,
    /// The GO's interface address (the BSSID).
    pub bssid: MacAddr,
    pub ssid: Vec<u8>,
    pub freq: u32,
    /// The RSN element of the GO's Beacon/Probe Response (message 3 must repeat it).
    pub rsne: Option<Vec<u8>>,
}

/// Everything the join needs.
pub struct ClientConfig {
    pub target: JoinTarget,
    /// Our address on the group interface.
    pub own_addr: MacAddr,
    /// The WPS enrollee's announcement and password (PBC or PIN).
    pub enrollee: EnrolleeConfig,
    /// Our P2P IE for the association requests (P2P Capability + Device Info).
    pub p2p_ie: Vec<u8>,
    /// Ask the GO for an address in message 2.
    pub request_ip: bool,
    /// Associations tried before the join fails ([`ASSOC_ATTEMPTS`] for a GO that runs;
    /// more for one GO negotiation just formed, whose BSS may not be up yet).
    pub assoc_attempts: u32,
}

/// One association the driver should make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Association {
    pub ssid: Vec<u8>,
    pub bssid: MacAddr,
    pub freq: u32,
    /// IEs for the (Re)Association Request.
    pub ies: Vec<u8>,
    /// WPA2-PSK/CCMP (true) or open for WPS (false). EAPOL always comes over nl80211.
    pub rsn: bool,
    /// Whether the BSS advertises privacy (a WPA2 group does, even for the WPS
    /// association): the kernel matches the BSS on it.
    pub privacy: bool,
}

/// What happened, for events and for the caller's bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// M8 gave us the credential (`WPS-SUCCESS`).
    WpsSuccess,
    /// The GO saw more than one push-button enrollee (`WPS-OVERLAP-DETECTED`).
    PbcOverlap,
    /// The registration failed (`WPS-FAIL`).
    WpsFail { msg: u8, config_error: u16, reason: String },
    /// The registrar stopped answering mid-registration (`WPS-TIMEOUT`: a `WPS-FAIL`
    /// would have no message or configuration error to name).
    WpsTimeout,
    /// The port is open (`CTRL-EVENT-CONNECTED`), the group is up (`P2P-GROUP-STARTED`).
    Started { ssid: Vec<u8>, freq: u32, psk: [u8; 32], go_dev_addr: MacAddr, bssid: MacAddr, ip: Option<IpAllocation> },
    /// Formation failed before the group came up.
    FormationFailed { reason: String },
    /// The GO ended the group or went away after it was up.
    Lost { reason: u16, by_ap: bool },
}

/// Something the driver must do, in order.
#[derive(Debug)]
pub enum ClientOutput {
    Connect(Association),
    Disconnect { reason: u16 },
    /// An EAPOL PDU to the GO (802.1X header included), over the control port;
    /// `no_encrypt`: unencrypted even though a pairwise key is installed (the GO lost it).
    SendEapol { dest: MacAddr, pdu: Vec<u8>, no_encrypt: bool },
    InstallPtk { peer: MacAddr, tk: Tk },
    InstallGtk { gtk: Gtk, key_idx: u8, rsc: u64 },
    Authorize { peer: MacAddr },
    Event(ClientEvent),
}

/// Inputs from the driver.
#[derive(Debug, Clone, Copy)]
pub enum ClientInput<'a> {
    /// CONNECT finished; `status` 0 is success.
    ConnectResult { status: u16 },
    /// The association ended (event, or our own Disconnect done).
    Disconnected { reason: u16, by_ap: bool },
    /// An EAPOL PDU from `src` (802.1X header included); `unencrypted` as the kernel
    /// reports it (`NL80211_ATTR_CONTROL_PORT_NO_ENCRYPT` on the received frame).
    Eapol { src: MacAddr, pdu: &'a [u8], unencrypted: bool },
}

/// Each state keeps only what is valid in it.
enum State {
    /// First association (open, WSC IE) under way.
    WpsAssociating,
    /// EAP-WSC running.
    Wps(Box<Enrollee>),
    /// The registrar answered M1 with M2D: we left, and associate again at `at`.
    WpsRetry { at: Instant },
    /// Credential in hand; waiting for the GO to drop the WPS association (or our own leave).
    WpsLeaving { cred: Box<Credential>, since: Instant, left: bool },
    /// Second association (RSN) under way.
    RsnAssociating { psk: Box<Pmk> },
    /// 4-way handshake running.
    Handshake { supplicant: Box<Supplicant>, psk: Box<Pmk>, ip: Option<IpAllocation> },
    /// The group is up. The supplicant stays: the GO may retransmit message 3 (its answer,
    /// message 4, was lost or late), restart the 4-way handshake from message 1 (hostapd
    /// does when a late association response reaches it mid-handshake), or rekey the group.
    Up { supplicant: Box<Supplicant> },
    /// Finished (failed, or lost after being up).
    Done,
}

/// The join machine.
pub struct Client {
    cfg: ClientConfig,
    state: State,
    out: VecDeque<ClientOutput>,
    deadline: Instant,
    /// Randomness for each enrollee (DH key, nonces), made when a WPS attempt starts.
    wps_rng: WpsRngFactory,
    /// M2D answers seen so far (for logs).
    m2d_count: u32,
    /// Randomness for the supplicant (SNonce), handed over when the handshake starts.
    eapol_rng: Option<Box<dyn RandomSource + Send>>,
    /// The association asked for last, and how many attempts of it failed.
    last_assoc: Option<Association>,
    assoc_failures: u32,
    /// When to ask for `last_assoc` again after a failed attempt.
    assoc_retry_at: Option<Instant>,
    /// When the association asked for is given up if the kernel has not reported on it.
    assoc_result_by: Option<Instant>,
    /// Set when the GO restarted the 4-way handshake in the clear while our pairwise key
    /// is installed: it has no key for us any more (it took a late duplicate association
    /// request as a new association, seen with a loaded wpa_supplicant GO), so an
    /// encrypted reply could never be read. Our EAPOL frames go unencrypted until the new
    /// pairwise key is installed. (wpa_supplicant encrypts whenever a key is installed and
    /// loses the group in that case.)
    plaintext_eapol: bool,
}

impl Client {
    /// Starts the join: the first output is the WPS association.
    pub fn new(
        cfg: ClientConfig,
        wps_rng: WpsRngFactory,
        eapol_rng: Box<dyn RandomSource + Send>,
        now: Instant,
    ) -> Client {
        let mut c = Client::starting(cfg, State::WpsAssociating, wps_rng, eapol_rng, now);
        c.connect_wps(now);
        c
    }

    /// Starts a join with the group's key known already (a stored persistent group
    /// re-invoked): no WPS, the first output is the RSN association.
    pub fn with_psk(cfg: ClientConfig, psk: Pmk, wps_rng: WpsRngFactory, eapol_rng: Box<dyn RandomSource + Send>, now: Instant) -> Client {
        let mut c = Client::starting(cfg, State::RsnAssociating { psk: Box::new(psk) }, wps_rng, eapol_rng, now);
        let mut ies = own_rsne();
        ies.extend_from_slice(&c.cfg.p2p_ie);
        c.connect(now, ies, true);
        c
    }

    /// A join in `state` with nothing sent yet; the callers send its first association.
    fn starting(cfg: ClientConfig, state: State, wps_rng: WpsRngFactory, eapol_rng: Box<dyn RandomSource + Send>, now: Instant) -> Client {
        Client {
            cfg,
            state,
            out: VecDeque::new(),
            deadline: now + JOIN_TIMEOUT,
            last_assoc: None,
            assoc_failures: 0,
            assoc_retry_at: None,
            assoc_result_by: None,
            plaintext_eapol: false,
            wps_rng,
            m2d_count: 0,
            eapol_rng: Some(eapol_rng),
        }
    }

    pub fn target(&self) -> &JoinTarget {
        &self.cfg.target
    }

    /// Whether the group is up.
    pub fn is_up(&self) -> bool {
        matches!(self.state, State::Up { .. })
    }

    /// Whether nothing more will happen.
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    pub fn state_name(&self) -> &'static str {
        match self.state {
            State::WpsAssociating => "wps-associating",
            State::Wps(_) => "wps",
            State::WpsRetry { .. } => "wps-retry-wait",
            State::WpsLeaving { .. } => "wps-leaving",
            State::RsnAssociating { .. } => "rsn-associating",
            State::Handshake { .. } => "4-way-handshake",
            State::Up { .. } => "up",
            State::Done => "done",
        }
    }

    fn wps_assoc_ies(&self) -> Result<Vec<u8>, wps::message::MessageError> {
        let wsc = wps::ie::AssocRequestWsc {
            request_type: wps::attr::RequestType::ENROLLEE_OPEN_8021X,
            wfa: vec![wps::attr::WfaSubelement::Version2(wps::attr::VERSION2)],
            extra: Vec::new(),
        };
        let mut ies = wps::ie::build_wsc_ies(&wsc.emit()?);
        ies.extend_from_slice(&self.cfg.p2p_ie);
        Ok(ies)
    }

    /// The (next) WPS association, or the end of the join if its IEs cannot be built.
    fn connect_wps(&mut self, now: Instant) {
        self.state = State::WpsAssociating;
        match self.wps_assoc_ies() {
            Ok(ies) => self.connect(now, ies, false),
            Err(e) => self.fail(format!("cannot build the WPS association request: {e}")),
        }
    }

    /// An EAPOL PDU (802.1X-2001 version, as wpa_supplicant sends) to the GO; false (and
    /// the join failed) if it cannot be built.
    fn send_eapol(&mut self, packet_type: PacketType, body: &[u8]) -> bool {
        match (EapolRepr { version: EAPOL_VERSION_2001, packet_type, body }).to_vec() {
            Ok(pdu) => {
                self.out.push_back(ClientOutput::SendEapol { dest: self.cfg.target.bssid, pdu, no_encrypt: false });
                true
            }
            Err(e) => {
                self.fail(format!("cannot build an EAPOL {packet_type:?} frame: {e}"));
                false
            }
        }
    }

    fn connect(&mut self, now: Instant, ies: Vec<u8>, rsn: bool) {
        let t = &self.cfg.target;
        let privacy = rsn || t.rsne.is_some();
        let a = Association { ssid: t.ssid.clone(), bssid: t.bssid, freq: t.freq, ies, rsn, privacy };
        self.last_assoc = Some(a.clone());
        self.assoc_failures = 0;
        self.assoc_result_by = Some(now + ASSOC_RESULT_TIMEOUT);
        self.out.push_back(ClientOutput::Connect(a));
    }

    fn fail(&mut self, reason: String) {
        tracing::warn!(%reason, "group formation failed");
        if !matches!(self.state, State::WpsAssociating | State::WpsRetry { .. } | State::RsnAssociating { .. }) {
            self.out.push_back(ClientOutput::Disconnect { reason: 3 });
        }
        self.state = State::Done;
        self.out.push_back(ClientOutput::Event(ClientEvent::FormationFailed { reason }));
    }

    pub fn handle_input(&mut self, now: Instant, input: ClientInput<'_>) {
        match input {
            ClientInput::ConnectResult { status } => self.on_connect(now, status),
            ClientInput::Disconnected { reason, by_ap } => self.on_disconnect(now, reason, by_ap),
            ClientInput::Eapol { src, pdu, unencrypted } => self.on_eapol(now, src, pdu, unencrypted),
        }
    }

    fn on_connect(&mut self, now: Instant, status: u16) {
        self.assoc_result_by = None;
        match &self.state {
            State::WpsAssociating | State::RsnAssociating { .. } if status != 0 => {
                self.assoc_failures += 1;
                if self.assoc_failures < self.cfg.assoc_attempts && self.last_assoc.is_some() {
                    tracing::info!(status, attempt = self.assoc_failures, "association failed; trying again");
                    self.assoc_retry_at = Some(now + assoc_retry_delay(self.assoc_failures));
                } else {
                    self.fail(format!("association rejected or failed (status {status}, {} attempts)", self.assoc_failures));
                }
            }
            State::WpsAssociating => {
                let rng = (self.wps_rng)();
                let mut enrollee = self.cfg.enrollee.clone();
                enrollee.mac_address = self.cfg.own_addr.0;
                self.state = State::Wps(Box::new(Enrollee::new(enrollee, rng, now)));
                // EAPOL-Start: the GO answers with EAP-Request/Identity.
                if self.send_eapol(PacketType::Start, &[]) {
                    self.pump_enrollee(now);
                }
            }
            State::RsnAssociating { .. } => {
                let State::RsnAssociating { psk } = std::mem::replace(&mut self.state, State::Done) else { unreachable!() };
                let t = &self.cfg.target;
                let ap_rsne = t.rsne.clone().unwrap_or_else(own_rsne);
                let mut sc = SupplicantConfig::new((*psk).clone(), t.bssid, self.cfg.own_addr, own_rsne(), ap_rsne);
                sc.request_ip = self.cfg.request_ip;
                let Some(rng) = self.eapol_rng.take() else {
                    return self.fail("a second RSN association in one join".to_owned());
                };
                let supplicant = Supplicant::new(sc, rng, now);
                self.state = State::Handshake { supplicant: Box::new(supplicant), psk, ip: None };
            }
            _ => tracing::debug!(state = self.state_name(), status, "connect result ignored"),
        }
    }

    fn on_disconnect(&mut self, now: Instant, reason: u16, by_ap: bool) {
        match &mut self.state {
            State::WpsLeaving { .. } => self.reconnect_rsn(now),
            State::Wps(_) => {
                // The GO may drop us right after M8/WSC_Done without waiting for EAP-Failure.
                self.pump_enrollee(now);
                match self.state {
                    State::WpsLeaving { .. } => self.reconnect_rsn(now),
                    State::Done => {}
                    _ => self.fail(format!("disconnected during WPS (reason {reason})")),
                }
            }
            // Our own leave after an M2D (or the GO's): the retry timer goes on.
            State::WpsRetry { .. } => {}
            State::Up { .. } => {
                self.state = State::Done;
                self.out.push_back(ClientOutput::Event(ClientEvent::Lost { reason, by_ap }));
            }
            State::Done => {}
            // Before the result of a new association, a disconnection is the late end of the
            // previous one (our leave after WPS or an M2D, or the GO's deauthentication,
            // reported after we had gone on without waiting for it): a failed association
            // comes as a connect result instead.
            State::WpsAssociating | State::RsnAssociating { .. } => {
                tracing::debug!(state = self.state_name(), reason, by_ap, "late disconnection of the previous association ignored");
            }
            _ => self.fail(format!("disconnected during formation (reason {reason}, by GO: {by_ap})")),
        }
    }

    fn on_eapol(&mut self, now: Instant, src: MacAddr, pdu: &[u8], unencrypted: bool) {
        if src != self.cfg.target.bssid {
            tracing::debug!(%src, "EAPOL from another station dropped");
            return;
        }
        let Ok(repr) = EapolRepr::parse_bytes(pdu) else {
            tracing::debug!("malformed EAPOL dropped");
            return;
        };
        match (&mut self.state, repr.packet_type) {
            (State::Wps(e), PacketType::EapPacket) => {
                e.handle_input(now, WpsInput::Eap(repr.body));
                self.pump_enrollee(now);
            }
            (State::Handshake { .. } | State::Up { .. }, PacketType::Key) => {
                let restart = unencrypted
                    && matches!(self.state, State::Up { .. })
                    && crate::eapol::wire::KeyFrame::parse(pdu).is_ok_and(|k| k.key_info.ack() && !k.key_info.mic());
                let was = self.plaintext_eapol;
                self.plaintext_eapol |= restart;
                let (State::Handshake { supplicant, .. } | State::Up { supplicant }) = &mut self.state else { return };
                match supplicant.handle_input(now, SupplicantInput::Eapol(pdu)) {
                    // A message 1 the supplicant refused (a replay, say) leaves us as we were.
                    Err(dropped) => {
                        self.plaintext_eapol = was;
                        tracing::debug!(?dropped, "EAPOL-Key frame dropped by the supplicant");
                    }
                    Ok(_) if restart && !was => tracing::info!(
                        "the GO restarted the 4-way handshake in the clear: it lost our key; answering unencrypted until the new key is in"
                    ),
                    Ok(_) => {}
                }
                self.drain_supplicant();
            }
            (_, t) => tracing::debug!(state = self.state_name(), ?t, "EAPOL not expected now"),
        }
    }

    /// Takes the enrollee's outputs; on credentials, leaves WPS.
    fn pump_enrollee(&mut self, now: Instant) {
        let State::Wps(e) = &mut self.state else { return };
        let outputs: Vec<_> = std::iter::from_fn(|| e.poll_output()).collect();
        for o in outputs {
            match o {
                WpsOutput::Transmit(eap) => {
                    if !self.send_eapol(PacketType::EapPacket, &eap) {
                        return;
                    }
                }
                WpsOutput::Event(EnrolleeEvent::Credentials(creds)) => {
                    let Some(cred) = creds.into_iter().next() else { continue };
                    self.out.push_back(ClientOutput::Event(ClientEvent::WpsSuccess));
                    self.state = State::WpsLeaving { cred: Box::new(cred), since: now, left: false };
                }
                WpsOutput::Event(EnrolleeEvent::Failed(Failure::RegistrarNotReady(ce)))
                    if ce == wps::attr::ConfigError::MULTIPLE_PBC_SESSIONS_DETECTED =>
                {
                    // M2D for a PBC session overlap: wpa_supplicant gives up (another
                    // enrollee pushed the button too), and so do we.
                    self.out.push_back(ClientOutput::Event(ClientEvent::PbcOverlap));
                    self.out.push_back(ClientOutput::Event(ClientEvent::WpsFail { msg: 0x06, config_error: ce.0, reason: "PBC session overlap".into() }));
                    self.fail("WPS: PBC session overlap at the GO".to_owned());
                    return;
                }
                WpsOutput::Event(EnrolleeEvent::Failed(Failure::RegistrarNotReady(ce))) if now < self.deadline => {
                    // Our WSC_ACK to the M2D is queued above; leave and try again shortly.
                    self.m2d_count += 1;
                    tracing::info!(config_error = ce.0, attempts = self.m2d_count, "M2D: the registrar has no password for us yet; retrying");
                    self.out.push_back(ClientOutput::Disconnect { reason: 3 });
                    self.state = State::WpsRetry { at: now + WPS_RETRY_DELAY };
                    return;
                }
                WpsOutput::Event(EnrolleeEvent::Failed(Failure::Timeout)) => {
                    self.out.push_back(ClientOutput::Event(ClientEvent::WpsTimeout));
                    self.fail(format!("WPS failed: {}", Failure::Timeout));
                }
                WpsOutput::Event(EnrolleeEvent::Failed(f)) => {
                    let (msg, config_error) = wps_fail_numbers(&f);
                    self.out.push_back(ClientOutput::Event(ClientEvent::WpsFail { msg, config_error, reason: f.to_string() }));
                    self.fail(format!("WPS failed: {f}"));
                }
                WpsOutput::Event(EnrolleeEvent::Finished) => {
                    if let State::WpsLeaving { left: false, .. } = self.state {
                        // EAP-Failure after WSC_Done: leave the WPS association.
                        self.out.push_back(ClientOutput::Disconnect { reason: 3 });
                        if let State::WpsLeaving { left, .. } = &mut self.state {
                            *left = true;
                        }
                    }
                }
            }
        }
    }

    fn reconnect_rsn(&mut self, now: Instant) {
        let State::WpsLeaving { cred, .. } = std::mem::replace(&mut self.state, State::Done) else { return };
        let psk = match credential_psk(&cred, &self.cfg.target.ssid) {
            Ok(psk) => psk,
            Err(e) => return self.fail(e),
        };
        if cred.ssid != self.cfg.target.ssid {
            tracing::warn!(
                cred = %String::from_utf8_lossy(&cred.ssid),
                scanned = %String::from_utf8_lossy(&self.cfg.target.ssid),
                "credential SSID differs from the scanned group; using the credential's"
            );
            self.cfg.target.ssid = cred.ssid.clone();
        }
        self.state = State::RsnAssociating { psk: Box::new(psk) };
        let mut ies = own_rsne();
        ies.extend_from_slice(&self.cfg.p2p_ie);
        self.connect(now, ies, true);
    }

    fn drain_supplicant(&mut self) {
        let bssid = self.cfg.target.bssid;
        let (supplicant, mut ip) = match &mut self.state {
            State::Handshake { supplicant, ip, .. } => (supplicant, Some(ip)),
            State::Up { supplicant } => (supplicant, None),
            _ => return,
        };
        let mut authorized = false;
        let mut failed = None;
        while let Some(o) = supplicant.poll_output() {
            match o {
                SupplicantOutput::SendEapol(pdu) => {
                    self.out.push_back(ClientOutput::SendEapol { dest: bssid, pdu, no_encrypt: self.plaintext_eapol })
                }
                SupplicantOutput::InstallPtk { tk } => {
                    // Message 4 went out above (in the clear if the GO lost our key); from
                    // now on the new key protects our frames.
                    self.plaintext_eapol = false;
                    self.out.push_back(ClientOutput::InstallPtk { peer: bssid, tk })
                }
                SupplicantOutput::InstallGtk { gtk, key_idx, rsc } => self.out.push_back(ClientOutput::InstallGtk { gtk, key_idx, rsc }),
                SupplicantOutput::IpAllocation(a) => {
                    if let Some(ip) = ip.as_deref_mut() {
                        *ip = Some(a);
                    }
                }
                SupplicantOutput::Authorized => authorized = true,
                SupplicantOutput::Failed(f) => failed = Some(f),
            }
        }
        if let Some(f) = failed {
            return self.fail(format!("4-way handshake failed: {f}"));
        }
        if authorized && matches!(self.state, State::Handshake { .. }) {
            let State::Handshake { supplicant, psk, ip } = std::mem::replace(&mut self.state, State::Done) else { return };
            self.state = State::Up { supplicant };
            let t = &self.cfg.target;
            self.out.push_back(ClientOutput::Authorize { peer: bssid });
            self.out.push_back(ClientOutput::Event(ClientEvent::Started {
                ssid: t.ssid.clone(),
                freq: t.freq,
                psk: *psk.as_bytes(),
                go_dev_addr: t.go_dev_addr,
                bssid,
                ip,
            }));
        }
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        if now >= self.deadline && !matches!(self.state, State::Up { .. } | State::Done) {
            return self.fail(format!("no group after {} s", JOIN_TIMEOUT.as_secs()));
        }
        let associating = matches!(self.state, State::WpsAssociating | State::RsnAssociating { .. });
        if self.assoc_result_by.is_some_and(|t| now >= t) {
            self.assoc_result_by = None;
            if associating {
                tracing::warn!(
                    seconds = ASSOC_RESULT_TIMEOUT.as_secs(),
                    "the kernel never reported on the association attempt; abandoning it"
                );
                // Ends the kernel's pending attempt; its late disconnection is ignored.
                self.out.push_back(ClientOutput::Disconnect { reason: 3 });
                self.on_connect(now, 1);
                if !matches!(self.state, State::WpsAssociating | State::RsnAssociating { .. }) {
                    return;
                }
            }
        }
        if self.assoc_retry_at.is_some_and(|t| now >= t) {
            self.assoc_retry_at = None;
            if associating && let Some(a) = self.last_assoc.clone() {
                self.assoc_result_by = Some(now + ASSOC_RESULT_TIMEOUT);
                self.out.push_back(ClientOutput::Connect(a));
            }
        }
        match &mut self.state {
            State::Wps(e) => {
                e.handle_timeout(now);
                self.pump_enrollee(now);
            }
            State::WpsRetry { at } if now >= *at => self.connect_wps(now),
            State::WpsLeaving { since, left, .. } if now >= *since + WPS_DISCONNECT_WAIT => {
                if !*left {
                    *left = true;
                    self.out.push_back(ClientOutput::Disconnect { reason: 3 });
                } else {
                    // Our own leave was not confirmed by an event: go on anyway.
                    self.reconnect_rsn(now);
                }
            }
            State::Handshake { supplicant, .. } | State::Up { supplicant } => {
                supplicant.handle_timeout(now);
                self.drain_supplicant();
            }
            _ => {}
        }
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        let own = match &self.state {
            State::Wps(e) => e.poll_timeout(),
            State::WpsLeaving { since, .. } => Some(*since + WPS_DISCONNECT_WAIT),
            State::WpsRetry { at } => Some(*at),
            State::Handshake { supplicant, .. } => supplicant.poll_timeout(),
            State::Up { supplicant } => return supplicant.poll_timeout(),
            State::Done => return None,
            _ => [self.assoc_retry_at, self.assoc_result_by].into_iter().flatten().min(),
        };
        Some(own.map_or(self.deadline, |t| t.min(self.deadline)))
    }

    pub fn poll_output(&mut self) -> Option<ClientOutput> {
        self.out.pop_front()
    }

    /// Leaves the group (P2P_GROUP_REMOVE): one Disconnect, then nothing.
    pub fn leave(&mut self) {
        if !matches!(self.state, State::Done) {
            self.state = State::Done;
            self.out.push_back(ClientOutput::Disconnect { reason: 3 });
        }
    }
}

/// Our RSN element (header included): WPA2-PSK, CCMP for group and pairwise traffic,
/// capabilities 0, as eapol's `RsnElement::wpa2_psk_ccmp` builds it.
pub fn own_rsne() -> Vec<u8> {
    RsnElement::wpa2_psk_ccmp().to_vec().expect("the fixed WPA2-PSK/CCMP element always encodes")
}

/// The PMK from a credential's network key: 64 hex digits are the PSK itself, anything else
/// is a passphrase hashed with the SSID.
fn credential_psk(cred: &Credential, ssid: &[u8]) -> Result<Pmk, String> {
    let key = &cred.network_key[..];
    let ssid = if cred.ssid.is_empty() { ssid } else { &cred.ssid[..] };
    if key.len() == 64 && key.iter().all(u8::is_ascii_hexdigit) {
        let mut psk = [0u8; 32];
        for (i, b) in psk.iter_mut().enumerate() {
            let hex = std::str::from_utf8(&key[2 * i..2 * i + 2]).map_err(|_| "bad PSK hex")?;
            *b = u8::from_str_radix(hex, 16).map_err(|_| "bad PSK hex")?;
        }
        return Ok(Pmk::from_bytes(psk));
    }
    let pass = std::str::from_utf8(key).map_err(|_| "the credential's passphrase is not UTF-8".to_owned())?;
    psk_from_passphrase(pass, ssid).map_err(|e| format!("the credential's passphrase is unusable: {e}"))
}

/// `WPS-FAIL msg=<n> config_error=<n>` numbers for a failure (msg: the message that failed).
fn wps_fail_numbers(f: &Failure) -> (u8, u16) {
    match f {
        Failure::PeerNack(ce) | Failure::RegistrarNotReady(ce) => (0x0e, ce.0),
        Failure::DevicePasswordMismatch { half } => (if *half == 1 { 0x08 } else { 0x0a }, 18),
        Failure::PbcOverlap => (0x0e, 12),
        _ => (0, 0),
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
