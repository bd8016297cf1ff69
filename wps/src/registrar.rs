//! The registrar: the EAP server that checks the enrollee's device password and hands out
//! a credential. Request/Identity; on the enrollee identity WSC_Start; M1 -> M2; M3 -> M4;
//! M5 -> M6 (E-Hash1 checked); M7 -> M8 (E-Hash2 checked); WSC_Done -> EAP-Failure.
//! A wrong PIN is answered with WSC_NACK carrying configuration error 18.
//!
//! # Without a device password yet
//! A group owner whose user has not pressed the button or entered a PIN still answers an
//! enrollee that starts EAP-WSC: built with [`RegistrarConfig::without_password`], the
//! registrar answers M1 with M2D (WSC 2.0 section 8.3.3, message type 0x06) and reports
//! [`RegistrarEvent::PasswordNeeded`]; the enrollee acknowledges with WSC_ACK (or, an AP
//! enrollee, with WSC_NACK) and the registrar ends with EAP-Failure. The enrollee tries
//! again later: wpa_supplicant does, and our [`crate::enrollee::Enrollee`] reports
//! [`Failure::RegistrarNotReady`] to its owner, who retries. This is what hostap's
//! registrar does (`src/wps/wps_registrar.c`: M2D when no device password is available,
//! "No more registrars available - terminate negotiation" after the WSC_ACK).
//!
//! hostap answers with M2D too, and so does this registrar, whenever it has no password
//! for THIS enrollee: the password is bound to another MAC address
//! ([`RegistrarConfig::enrollee_mac`]), or is of the other kind (a push-button enrollee
//! while a PIN is set, or the reverse); [`RegistrarEvent::PasswordNeeded`] is reported in
//! each case. A PBC session overlap seen at M1 is answered with M2D carrying
//! configuration error 12 (multiple PBC sessions) and reported as
//! `Failed(Failure::PbcOverlap)`: a wpa_supplicant P2P client then reports
//! WPS-OVERLAP-DETECTED and gives up. An overlap noticed later (at M7) is answered with
//! WSC_NACK (configuration error 12).
//!
//! The M2D carries, as hostap's does: Version, Message Type, both nonces, UUID-R, the
//! three type flags, Config Methods, the device attributes, RF Bands, Association State,
//! Configuration Error ([`RegistrarConfig::m2d_config_error`]), OS Version and the WFA
//! extension (Version2); no Device Password ID and no Authenticator. One difference from
//! hostap: hostap's M2D carries an all-zero Registrar Nonce (it draws the nonce only when
//! it builds M2, as seen in a real wpa_supplicant GO's M2D on the air), ours is random
//! as the specification asks.
//!
//! Randomness is drawn in this order: Registrar Nonce (16) and DH private key (192) at M1
//! (only the nonce when answering with M2D), R-S1 and R-S2 (16 each) and the M4 IV (16)
//! at M3, the M6 IV at M5, the M8 IV at M7.

use std::collections::VecDeque;
use std::time::Instant;

use tracing::{debug, warn};

use crate::attr::{
    AssociationState, AttrType, Attribute, AuthTypes, ConfigError, ConfigMethods, ConnTypes,
    DevicePasswordId, EncrTypes, MessageType, RfBands, VERSION2, WfaSubelement,
};
use crate::crypto::{self, PrivateKey, Secret};
use crate::eap::link::{Link, LinkEvent, Side};
use crate::eap::{DEFAULT_FRAGMENT_SIZE, IDENTITY_ENROLLEE, OpCode};
use crate::message::{
    self, Ack, Credential, DeviceInfo, Done, M1, M2, M2D, M3, M4, M5, M6, M7, M8, M8Settings, Nack,
};
use crate::pbc::PbcMonitor;
use crate::pin::DevicePassword;
use crate::rng::RandomSource;
use crate::session::{Failure, Input, Keys, Output, Timeouts, earliest};

/// What a registrar announces, the password it expects and the credential it hands out.
#[derive(Debug, Clone)]
pub struct RegistrarConfig {
    pub uuid_r: [u8; 16],
    pub device: DeviceInfo,
    pub auth_types: AuthTypes,
    pub encr_types: EncrTypes,
    pub conn_types: ConnTypes,
    pub config_methods: ConfigMethods,
    pub rf_bands: RfBands,
    pub os_version: u32,
    /// The device password the enrollee must prove. `None`: no password yet (the user has
    /// not pressed the button or entered a PIN): every M1 is answered with M2D.
    pub password: Option<DevicePassword>,
    /// Configuration Error carried by the M2D. Default [`ConfigError::SETUP_LOCKED`] (15),
    /// what a real wpa_supplicant GO sends (its AP side runs with AP setup locked, so
    /// hostap's `wps_build_m2d` turns "no error" into "setup locked"); a hostapd AP without
    /// setup lock sends [`ConfigError::NO_ERROR`].
    pub m2d_config_error: ConfigError,
    /// Handed out in M8; its MAC address is set to the enrollee's (from M1).
    pub credential: Credential,
    /// When set, only an M1 from this MAC address is served; any other enrollee gets M2D.
    pub enrollee_mac: Option<[u8; 6]>,
    /// PBC overlap detection. A group owner keeps one monitor for all its sessions and its
    /// probe-request path, and lends it to the session for each input (see
    /// [`Registrar::pbc_monitor_mut`]); a lone registrar keeps its own.
    pub pbc_monitor: Option<PbcMonitor>,
    /// Extra attributes appended to M2 after the WFA extension (vendor extensions...).
    pub m2_extra: Vec<Attribute>,
    pub fragment_size: usize,
    pub timeouts: Timeouts,
}

impl RegistrarConfig {
    /// A registrar that runs the registration with `password`.
    pub fn new(uuid_r: [u8; 16], password: DevicePassword, credential: Credential) -> Self {
        RegistrarConfig {
            password: Some(password),
            ..RegistrarConfig::without_password(uuid_r, credential)
        }
    }

    /// A registrar without a device password yet: it answers every enrollee's M1 with M2D
    /// and reports [`RegistrarEvent::PasswordNeeded`] (see the module documentation).
    /// `credential` is kept so that setting [`RegistrarConfig::password`] later turns this
    /// into a full configuration for the next session.
    pub fn without_password(uuid_r: [u8; 16], credential: Credential) -> Self {
        RegistrarConfig {
            uuid_r,
            device: DeviceInfo::default(),
            auth_types: AuthTypes::OPEN | AuthTypes::WPA2_PERSONAL,
            encr_types: EncrTypes::NONE | EncrTypes::AES,
            conn_types: ConnTypes::ESS,
            config_methods: ConfigMethods::DISPLAY
                | ConfigMethods::PUSH_BUTTON
                | ConfigMethods::KEYPAD,
            rf_bands: RfBands::BAND_2_4_GHZ,
            os_version: 0x8000_0000,
            password: None,
            m2d_config_error: ConfigError::SETUP_LOCKED,
            credential,
            enrollee_mac: None,
            pbc_monitor: None,
            m2_extra: Vec::new(),
            fragment_size: DEFAULT_FRAGMENT_SIZE,
            timeouts: Timeouts::default(),
        }
    }
}

/// What the registrar reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrarEvent {
    /// An M1 arrived (before any check on it).
    EnrolleeSeen {
        uuid_e: [u8; 16],
        mac: [u8; 6],
        device_password_id: DevicePasswordId,
        device_name: Vec<u8>,
    },
    /// The registrar has no device password for this enrollee (none yet, see
    /// [`RegistrarConfig::without_password`]; bound to another MAC address; or of the other
    /// kind, PIN vs push button): this enrollee got M2D and will try again later. hostap reports this as `WPS-PIN-NEEDED <UUID-E> <MAC> [<device name>|
    /// <manufacturer>|<model name>|<model number>|<serial number>|<primary device type>]`.
    /// Follows [`RegistrarEvent::EnrolleeSeen`] for the same M1; no `Failed` follows (the
    /// session then ends with [`RegistrarEvent::Finished`]).
    PasswordNeeded {
        uuid_e: [u8; 16],
        mac: [u8; 6],
        device_password_id: DevicePasswordId,
        device: DeviceInfo,
    },
    /// WSC_Done received: the enrollee has the credential.
    Succeeded {
        uuid_e: [u8; 16],
        mac: [u8; 6],
    },
    Failed(Failure),
    /// Nothing more will happen (EAP-Failure sent, or given up).
    Finished,
}

pub type RegistrarOutput = Output<RegistrarEvent>;

enum State {
    WaitIdentity,
    WaitM1,
    WaitM3 {
        k: Box<Keys>,
        last: Vec<u8>,
    },
    WaitM5 {
        k: Box<Keys>,
        last: Vec<u8>,
        e_hash1: [u8; 32],
        e_hash2: [u8; 32],
        rs2: Secret<16>,
    },
    WaitM7 {
        k: Box<Keys>,
        last: Vec<u8>,
        e_hash2: [u8; 32],
    },
    WaitDone {
        k: Box<Keys>,
    },
    /// Our WSC_NACK is out: waiting for the enrollee's WSC_NACK before EAP-Failure.
    WaitNack,
    /// Our M2D is out: waiting for the enrollee's WSC_ACK (or WSC_NACK) before
    /// EAP-Failure.
    WaitM2dAck {
        nonce_e: [u8; 16],
        nonce_r: [u8; 16],
    },
    Finished,
}

impl State {
    fn waiting_for(&self) -> MessageType {
        match self {
            State::WaitM1 => MessageType::M1,
            State::WaitM3 { .. } => MessageType::M3,
            State::WaitM5 { .. } => MessageType::M5,
            State::WaitM7 { .. } => MessageType::M7,
            State::WaitDone { .. } => MessageType::WSC_DONE,
            State::WaitNack => MessageType::WSC_NACK,
            State::WaitM2dAck { .. } => MessageType::WSC_ACK,
            _ => MessageType(0),
        }
    }
    fn nonces(&self) -> Option<([u8; 16], [u8; 16])> {
        match self {
            State::WaitM3 { k, .. }
            | State::WaitM5 { k, .. }
            | State::WaitM7 { k, .. }
            | State::WaitDone { k } => Some((k.nonce_e, k.nonce_r)),
            State::WaitM2dAck { nonce_e, nonce_r } => Some((*nonce_e, *nonce_r)),
            _ => None,
        }
    }
}

/// A failure and the NACK to send for it (None: end with EAP-Failure directly).
type StepError = (Failure, Option<ConfigError>);

fn abort(f: Failure) -> StepError {
    (f, Some(ConfigError::NO_ERROR))
}

/// The registrar state machine (sans-IO), one per enrollee.
pub struct Registrar {
    cfg: RegistrarConfig,
    rng: Box<dyn RandomSource + Send>,
    link: Link,
    state: State,
    /// (UUID-E, MAC) from M1.
    peer: Option<([u8; 16], [u8; 6])>,
    /// Nonces to put in a WSC_NACK, known from M1 on.
    nack_nonces: Option<([u8; 16], [u8; 16])>,
    events: VecDeque<RegistrarEvent>,
    session_deadline: Instant,
    retransmit_deadline: Option<Instant>,
    retransmits: u32,
    failed: bool,
}

impl std::fmt::Debug for Registrar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registrar")
            .field("waiting_for", &self.state.waiting_for())
            .finish_non_exhaustive()
    }
}

fn wfa_v2() -> Vec<WfaSubelement> {
    vec![WfaSubelement::Version2(VERSION2)]
}

impl Registrar {
    /// Starts a session: the first output is EAP-Request/Identity.
    pub fn new(cfg: RegistrarConfig, rng: Box<dyn RandomSource + Send>, now: Instant) -> Registrar {
        let mut r = Registrar {
            link: Link::new(Side::Server, cfg.fragment_size, 1),
            session_deadline: now + cfg.timeouts.session,
            retransmit_deadline: None,
            retransmits: 0,
            cfg,
            rng,
            state: State::WaitIdentity,
            peer: None,
            nack_nonces: None,
            events: VecDeque::new(),
            failed: false,
        };
        if let Err(e) = r.link.send_identity(&[]) {
            warn!(error = %e, "could not build EAP-Request/Identity");
        }
        r.arm(now);
        r
    }

    /// The message the registrar waits for next (`WSC_NACK`'s type after our NACK; 0
    /// before M1's request and when finished). A failure report can name the last message
    /// sent from it, as hostapd's `WPS-FAIL msg=` does.
    pub fn waiting_for(&self) -> MessageType {
        self.state.waiting_for()
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished)
    }

    fn arm(&mut self, now: Instant) {
        self.retransmits = 0;
        self.retransmit_deadline = self
            .link
            .awaiting_response()
            .then(|| now + self.cfg.timeouts.retransmit);
    }

    pub fn handle_input(&mut self, now: Instant, input: Input<'_>) {
        let Input::Eap(bytes) = input;
        if self.is_finished() {
            return;
        }
        let queued = self.link.tx.len();
        let ev = match self.link.receive(bytes) {
            Ok(ev) => ev,
            Err(e) => {
                warn!(error = %e, "dropping malformed EAP packet");
                return;
            }
        };
        let state = std::mem::replace(&mut self.state, State::Finished);
        self.state = match self.step(now, state, ev) {
            Ok(s) => s,
            Err((f, nack)) => self.fail(f, nack),
        };
        if self.link.tx.len() != queued {
            self.arm(now);
        }
        if self.is_finished() {
            self.retransmit_deadline = None;
            self.events.push_back(RegistrarEvent::Finished);
        }
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        if self.is_finished() {
            return;
        }
        let give_up = now >= self.session_deadline
            || (self.retransmit_deadline.is_some_and(|d| now >= d)
                && self.retransmits >= self.cfg.timeouts.max_retransmits);
        if give_up {
            // Not a failure when only the closing acknowledgement is missing.
            if !matches!(self.state, State::WaitNack | State::WaitM2dAck { .. }) {
                self.report(Failure::Timeout);
            }
            self.finish();
            self.events.push_back(RegistrarEvent::Finished);
        } else if self.retransmit_deadline.is_some_and(|d| now >= d) {
            self.retransmits += 1;
            self.link.retransmit();
            self.retransmit_deadline = Some(now + self.cfg.timeouts.retransmit);
        }
    }

    /// The session's PBC monitor, if it has one: a group owner swaps its own monitor in
    /// before an input and back out after it, so every session and the probe-request path
    /// see the same records without sharing a lock.
    pub fn pbc_monitor_mut(&mut self) -> Option<&mut PbcMonitor> {
        self.cfg.pbc_monitor.as_mut()
    }

    pub fn poll_output(&mut self) -> Option<RegistrarOutput> {
        if let Some(p) = self.link.tx.pop_front() {
            return Some(Output::Transmit(p));
        }
        self.events.pop_front().map(Output::Event)
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.is_finished() {
            return None;
        }
        earliest(Some(self.session_deadline), self.retransmit_deadline)
    }

    fn report(&mut self, f: Failure) {
        if !self.failed {
            self.failed = true;
            debug!(failure = %f, "registrar failed");
            self.events.push_back(RegistrarEvent::Failed(f));
        }
    }

    /// Sends EAP-Failure and ends.
    fn finish(&mut self) {
        if let Err(e) = self.link.send_failure() {
            warn!(error = %e, "could not build EAP-Failure");
        }
        self.state = State::Finished;
    }

    fn fail(&mut self, f: Failure, nack: Option<ConfigError>) -> State {
        self.report(f);
        if let (Some(err), Some((ne, nr))) = (nack, self.nack_nonces) {
            let n = Nack {
                enrollee_nonce: ne,
                registrar_nonce: nr,
                config_error: err,
                wfa: wfa_v2(),
                extra: vec![],
            };
            match n
                .emit()
                .map_err(Failure::from)
                .and_then(|b| Ok(self.link.send_message(OpCode::NACK, b)?))
            {
                Ok(()) => return State::WaitNack,
                Err(e) => warn!(error = %e, "could not send WSC_NACK"),
            }
        }
        self.finish();
        State::Finished
    }

    fn send_msg(&mut self, op: OpCode, body: Vec<u8>) -> Result<(), StepError> {
        self.link
            .send_message(op, body)
            .map_err(|e| abort(e.into()))
    }

    fn step(&mut self, now: Instant, state: State, ev: LinkEvent) -> Result<State, StepError> {
        match (state, ev) {
            (State::WaitIdentity, LinkEvent::Identity(id)) if id == IDENTITY_ENROLLEE => {
                self.send_msg(OpCode::START, Vec::new())?;
                Ok(State::WaitM1)
            }
            (State::WaitIdentity, LinkEvent::Identity(_)) | (_, LinkEvent::OtherMethod) => {
                Err((Failure::NotWsc, None))
            }
            (
                State::WaitNack,
                LinkEvent::Message {
                    op: OpCode::NACK, ..
                },
            ) => {
                self.finish();
                Ok(State::Finished)
            }
            (
                State::WaitM2dAck { nonce_e, nonce_r },
                LinkEvent::Message {
                    op: op @ (OpCode::ACK | OpCode::NACK),
                    data,
                },
            ) => {
                // Either answer ends the session with EAP-Failure (hostap: "No more
                // registrars available"); the enrollee comes back in a new session.
                let nonces = if op == OpCode::ACK {
                    Ack::parse(&data).map(|a| (a.enrollee_nonce, a.registrar_nonce))
                } else {
                    Nack::parse(&data).map(|n| (n.enrollee_nonce, n.registrar_nonce))
                };
                match nonces {
                    Ok(n) if n == (nonce_e, nonce_r) => {
                        debug!(?op, "enrollee acknowledged M2D");
                        self.finish();
                        Ok(State::Finished)
                    }
                    Ok(_) => Err((Failure::NonceMismatch, None)),
                    Err(e) => Err((e.into(), None)),
                }
            }
            (
                state,
                LinkEvent::Message {
                    op: OpCode::NACK,
                    data,
                },
            ) => {
                let nack = Nack::parse(&data).map_err(|e| (e.into(), None))?;
                if state
                    .nonces()
                    .is_some_and(|n| n != (nack.enrollee_nonce, nack.registrar_nonce))
                {
                    return Err((Failure::NonceMismatch, None));
                }
                Err((Failure::PeerNack(nack.config_error), None))
            }
            (
                State::WaitDone { k },
                LinkEvent::Message {
                    op: OpCode::DONE,
                    data,
                },
            ) => {
                let done = Done::parse(&data).map_err(|e| abort(e.into()))?;
                if (done.enrollee_nonce, done.registrar_nonce) != (k.nonce_e, k.nonce_r) {
                    return Err(abort(Failure::NonceMismatch));
                }
                if let Some((uuid_e, mac)) = self.peer {
                    if let Some(m) = &mut self.cfg.pbc_monitor {
                        m.remove(&uuid_e);
                    }
                    self.events
                        .push_back(RegistrarEvent::Succeeded { uuid_e, mac });
                }
                self.finish();
                Ok(State::Finished)
            }
            (
                state,
                LinkEvent::Message {
                    op: OpCode::MSG,
                    data,
                },
            ) => self.on_message(now, state, data),
            (state, LinkEvent::Message { .. }) => {
                Err(abort(Failure::UnexpectedOpCode(state.waiting_for())))
            }
            (state, _) => Ok(state),
        }
    }

    fn on_message(
        &mut self,
        now: Instant,
        state: State,
        data: Vec<u8>,
    ) -> Result<State, StepError> {
        let got = message::peek_type(&data).map_err(|e| abort(e.into()))?;
        match state {
            State::WaitM1 if got == MessageType::M1 => self.on_m1(now, data),
            State::WaitM3 { k, last } if got == MessageType::M3 => self.on_m3(k, last, data),
            State::WaitM5 {
                k,
                last,
                e_hash1,
                e_hash2,
                rs2,
            } if got == MessageType::M5 => self.on_m5(k, last, e_hash1, e_hash2, rs2, data),
            State::WaitM7 { k, last, e_hash2 } if got == MessageType::M7 => {
                self.on_m7(now, k, last, e_hash2, data)
            }
            state => Err(abort(Failure::Unexpected {
                got,
                waiting: state.waiting_for(),
            })),
        }
    }

    fn pbc_overlap(&mut self, now: Instant) -> bool {
        self.cfg
            .password
            .as_ref()
            .is_some_and(DevicePassword::is_pbc)
            && self
                .cfg
                .pbc_monitor
                .as_mut()
                .is_some_and(|m| m.overlap(now))
    }

    fn on_m1(&mut self, now: Instant, data: Vec<u8>) -> Result<State, StepError> {
        let m1 = M1::parse(&data).map_err(|e| (e.into(), None))?;
        let mut nonce_r = [0u8; 16];
        self.rng.fill(&mut nonce_r);
        self.nack_nonces = Some((m1.enrollee_nonce, nonce_r));
        self.peer = Some((m1.uuid_e, m1.mac_address));
        self.events.push_back(RegistrarEvent::EnrolleeSeen {
            uuid_e: m1.uuid_e,
            mac: m1.mac_address,
            device_password_id: m1.device_password_id,
            device_name: m1.device.device_name.clone(),
        });
        let enrollee_pbc = m1.device_password_id == DevicePasswordId::PUSH_BUTTON;
        // No password this enrollee can use: none yet, bound to another enrollee, or of
        // the other kind (PIN vs push button). hostap answers all three with M2D.
        let password = match &self.cfg.password {
            Some(p)
                if p.is_pbc() == enrollee_pbc
                    && self.cfg.enrollee_mac.is_none_or(|m| m == m1.mac_address) =>
            {
                p.clone()
            }
            _ => {
                let err = self.cfg.m2d_config_error;
                return self.send_m2d(m1, err);
            }
        };
        if enrollee_pbc {
            if let Some(m) = &mut self.cfg.pbc_monitor {
                m.record(now, m1.mac_address, m1.uuid_e);
            }
            if self.pbc_overlap(now) {
                // As hostap: M2D with configuration error 12 (a wpa_supplicant P2P client
                // then reports WPS-OVERLAP-DETECTED and stops).
                self.report(Failure::PbcOverlap);
                return self.send_m2d(m1, ConfigError::MULTIPLE_PBC_SESSIONS_DETECTED);
            }
        }
        let dh = PrivateKey::generate(self.rng.as_mut());
        let pk_r = dh.public_key();
        let shared = dh
            .shared_secret(&m1.public_key)
            .map_err(|e| abort(e.into()))?;
        let keys =
            crypto::derive_session_keys(&shared, &m1.enrollee_nonce, &m1.mac_address, &nonce_r);
        let (psk1, psk2) = crypto::derive_psks(&keys.auth_key, password.pin.as_bytes());
        let k = Box::new(Keys {
            keys,
            nonce_e: m1.enrollee_nonce,
            nonce_r,
            pk_e: m1.public_key,
            pk_r,
            psk1,
            psk2,
        });
        let c = &self.cfg;
        let m2 = M2 {
            enrollee_nonce: k.nonce_e,
            registrar_nonce: nonce_r,
            uuid_r: c.uuid_r,
            public_key: k.pk_r.clone(),
            auth_types: c.auth_types,
            encr_types: c.encr_types,
            conn_types: c.conn_types,
            config_methods: c.config_methods,
            device: c.device.clone(),
            rf_bands: c.rf_bands,
            association_state: AssociationState::NOT_ASSOCIATED,
            config_error: ConfigError::NO_ERROR,
            device_password_id: password.id,
            os_version: c.os_version,
            encrypted_settings: None,
            wfa: wfa_v2(),
            extra: c.m2_extra.clone(),
            authenticator: None,
        };
        let mut out = m2.emit().map_err(|e| abort(e.into()))?;
        crypto::append_authenticator(&k.keys.auth_key, &data, &mut out);
        self.send_msg(OpCode::MSG, out.clone())?;
        Ok(State::WaitM3 { k, last: out })
    }

    /// Answers M1 with M2D carrying `config_error` (the Registrar Nonce is already drawn
    /// and stored in `nack_nonces`). Reports [`RegistrarEvent::PasswordNeeded`] unless the
    /// reason is a PBC overlap (reported as `Failed(PbcOverlap)` by the caller).
    fn send_m2d(&mut self, m1: M1, config_error: ConfigError) -> Result<State, StepError> {
        let (nonce_e, nonce_r) = (m1.enrollee_nonce, self.nack_nonces.map_or([0; 16], |n| n.1));
        if config_error != ConfigError::MULTIPLE_PBC_SESSIONS_DETECTED {
            self.events.push_back(RegistrarEvent::PasswordNeeded {
                uuid_e: m1.uuid_e,
                mac: m1.mac_address,
                device_password_id: m1.device_password_id,
                device: m1.device,
            });
        }
        let c = &self.cfg;
        let m2d = M2D {
            enrollee_nonce: nonce_e,
            registrar_nonce: nonce_r,
            uuid_r: c.uuid_r,
            auth_types: c.auth_types,
            encr_types: c.encr_types,
            conn_types: c.conn_types,
            config_methods: c.config_methods,
            device: c.device.clone(),
            rf_bands: c.rf_bands,
            association_state: AssociationState::NOT_ASSOCIATED,
            config_error,
            os_version: Some(c.os_version),
            wfa: wfa_v2(),
            extra: vec![],
        };
        let out = m2d.emit().map_err(|e| abort(e.into()))?;
        self.send_msg(OpCode::MSG, out)?;
        Ok(State::WaitM2dAck { nonce_e, nonce_r })
    }

    fn seal(&mut self, k: &Keys, settings: &[u8]) -> Result<Vec<u8>, StepError> {
        let mut iv = [0u8; 16];
        self.rng.fill(&mut iv);
        crypto::encrypt_settings(&k.keys, &iv, settings).map_err(|e| abort(e.into()))
    }

    /// Verifies the Authenticator, decrypts and returns the secret nonce `kind`.
    fn open(
        k: &Keys,
        last: &[u8],
        data: &[u8],
        enc: &[u8],
        kind: AttrType,
    ) -> Result<Secret<16>, StepError> {
        crypto::verify_authenticator(&k.keys.auth_key, last, data).map_err(|e| abort(e.into()))?;
        let settings = crypto::decrypt_settings(&k.keys, enc).map_err(|e| abort(e.into()))?;
        let n = message::parse_snonce_settings(kind, &settings).map_err(|e| abort(e.into()))?;
        Ok(Secret::new(*n))
    }

    fn on_m3(&mut self, k: Box<Keys>, last: Vec<u8>, data: Vec<u8>) -> Result<State, StepError> {
        let m3 = M3::parse(&data).map_err(|e| abort(e.into()))?;
        if m3.registrar_nonce != k.nonce_r {
            return Err(abort(Failure::NonceMismatch));
        }
        crypto::verify_authenticator(&k.keys.auth_key, &last, &data)
            .map_err(|e| abort(e.into()))?;
        let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
        self.rng.fill(&mut a);
        self.rng.fill(&mut b);
        let (rs1, rs2) = (Secret::new(a), Secret::new(b));
        let settings = message::build_snonce_settings(AttrType::R_SNONCE1, rs1.expose())
            .map_err(|e| abort(e.into()))?;
        let m4 = M4 {
            enrollee_nonce: k.nonce_e,
            r_hash1: crypto::commitment_hash(
                &k.keys.auth_key,
                rs1.expose(),
                &k.psk1,
                &k.pk_e,
                &k.pk_r,
            ),
            r_hash2: crypto::commitment_hash(
                &k.keys.auth_key,
                rs2.expose(),
                &k.psk2,
                &k.pk_e,
                &k.pk_r,
            ),
            encrypted_settings: self.seal(&k, &settings)?,
            wfa: wfa_v2(),
            extra: vec![],
            authenticator: None,
        };
        let mut out = m4.emit().map_err(|e| abort(e.into()))?;
        crypto::append_authenticator(&k.keys.auth_key, &data, &mut out);
        self.send_msg(OpCode::MSG, out.clone())?;
        Ok(State::WaitM5 {
            k,
            last: out,
            e_hash1: m3.e_hash1,
            e_hash2: m3.e_hash2,
            rs2,
        })
    }

    fn on_m5(
        &mut self,
        k: Box<Keys>,
        last: Vec<u8>,
        e_hash1: [u8; 32],
        e_hash2: [u8; 32],
        rs2: Secret<16>,
        data: Vec<u8>,
    ) -> Result<State, StepError> {
        let m5 = M5::parse(&data).map_err(|e| abort(e.into()))?;
        if m5.registrar_nonce != k.nonce_r {
            return Err(abort(Failure::NonceMismatch));
        }
        let es1 = Self::open(
            &k,
            &last,
            &data,
            &m5.encrypted_settings,
            AttrType::E_SNONCE1,
        )?;
        if !crypto::verify_commitment(
            &k.keys.auth_key,
            es1.expose(),
            &k.psk1,
            &k.pk_e,
            &k.pk_r,
            &e_hash1,
        ) {
            return Err((
                Failure::DevicePasswordMismatch { half: 1 },
                Some(ConfigError::DEVICE_PASSWORD_AUTH_FAILURE),
            ));
        }
        let settings = message::build_snonce_settings(AttrType::R_SNONCE2, rs2.expose())
            .map_err(|e| abort(e.into()))?;
        let m6 = M6 {
            enrollee_nonce: k.nonce_e,
            encrypted_settings: self.seal(&k, &settings)?,
            wfa: wfa_v2(),
            extra: vec![],
            authenticator: None,
        };
        let mut out = m6.emit().map_err(|e| abort(e.into()))?;
        crypto::append_authenticator(&k.keys.auth_key, &data, &mut out);
        self.send_msg(OpCode::MSG, out.clone())?;
        Ok(State::WaitM7 {
            k,
            last: out,
            e_hash2,
        })
    }

    fn on_m7(
        &mut self,
        now: Instant,
        k: Box<Keys>,
        last: Vec<u8>,
        e_hash2: [u8; 32],
        data: Vec<u8>,
    ) -> Result<State, StepError> {
        let m7 = M7::parse(&data).map_err(|e| abort(e.into()))?;
        if m7.registrar_nonce != k.nonce_r {
            return Err(abort(Failure::NonceMismatch));
        }
        let es2 = Self::open(
            &k,
            &last,
            &data,
            &m7.encrypted_settings,
            AttrType::E_SNONCE2,
        )?;
        if !crypto::verify_commitment(
            &k.keys.auth_key,
            es2.expose(),
            &k.psk2,
            &k.pk_e,
            &k.pk_r,
            &e_hash2,
        ) {
            return Err((
                Failure::DevicePasswordMismatch { half: 2 },
                Some(ConfigError::DEVICE_PASSWORD_AUTH_FAILURE),
            ));
        }
        // A second PBC enrollee may have shown up during this run: refuse before handing
        // out the credential.
        if self.pbc_overlap(now) {
            return Err((
                Failure::PbcOverlap,
                Some(ConfigError::MULTIPLE_PBC_SESSIONS_DETECTED),
            ));
        }
        let mut cred = self.cfg.credential.clone();
        if let Some((_, mac)) = self.peer {
            cred.mac_address = mac;
        }
        let settings = M8Settings {
            credentials: vec![cred],
            wfa: vec![],
            extra: vec![],
        }
        .emit()
        .map_err(|e| abort(e.into()))?;
        let m8 = M8 {
            enrollee_nonce: k.nonce_e,
            encrypted_settings: self.seal(&k, &settings)?,
            wfa: wfa_v2(),
            extra: vec![],
            authenticator: None,
        };
        let mut out = m8.emit().map_err(|e| abort(e.into()))?;
        crypto::append_authenticator(&k.keys.auth_key, &data, &mut out);
        self.send_msg(OpCode::MSG, out)?;
        Ok(State::WaitDone { k })
    }
}
