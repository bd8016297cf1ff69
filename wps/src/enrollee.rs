//! The enrollee: the EAP peer that proves its device password and receives a credential.
//! Request/Identity -> Response/Identity "WFA-SimpleConfig-Enrollee-1-0"; WSC_Start -> M1;
//! M2 -> M3; M4 -> M5; M6 -> M7; M8 -> WSC_Done; then EAP-Failure ends the exchange.
//!
//! Randomness is drawn in this order (so a recorded exchange can be replayed): Enrollee
//! Nonce (16) and DH private key (192) at creation, E-S1 and E-S2 (16 each) at M2, the IV
//! of M5 (16) at M4 and the IV of M7 (16) at M6.

use std::collections::VecDeque;
use std::time::Instant;

use tracing::{debug, warn};

use crate::attr::{
    AssociationState, AttrType, Attribute, AuthTypes, ConfigError, ConfigMethods, ConnTypes,
    EncrTypes, MessageType, RfBands, VERSION2, WfaSubelement, WpsState,
};
use crate::crypto::{self, PrivateKey, PublicKey, Secret};
use crate::eap::link::{Link, LinkEvent, Side};
use crate::eap::{DEFAULT_FRAGMENT_SIZE, IDENTITY_ENROLLEE, OpCode};
use crate::message::{
    self, Ack, Credential, DeviceInfo, Done, M1, M2, M2D, M3, M4, M5, M6, M7, M8, M8Settings, Nack,
};
use crate::pin::DevicePassword;
use crate::rng::RandomSource;
use crate::session::{Failure, Input, Keys, Output, Timeouts, earliest};

/// What an enrollee announces about itself, and the password it uses.
#[derive(Debug, Clone)]
pub struct EnrolleeConfig {
    pub uuid_e: [u8; 16],
    pub mac_address: [u8; 6],
    pub device: DeviceInfo,
    pub auth_types: AuthTypes,
    pub encr_types: EncrTypes,
    pub conn_types: ConnTypes,
    pub config_methods: ConfigMethods,
    pub wps_state: WpsState,
    pub rf_bands: RfBands,
    pub os_version: u32,
    pub password: DevicePassword,
    /// Extra attributes appended to M1 after the WFA extension (vendor extensions...).
    pub m1_extra: Vec<Attribute>,
    pub fragment_size: usize,
    pub timeouts: Timeouts,
}

impl EnrolleeConfig {
    /// Defaults of a WPA2-capable station: Open/WPA2-Personal, None/AES, ESS, 2.4 GHz.
    pub fn new(uuid_e: [u8; 16], mac_address: [u8; 6], password: DevicePassword) -> Self {
        EnrolleeConfig {
            uuid_e,
            mac_address,
            device: DeviceInfo::default(),
            auth_types: AuthTypes::OPEN | AuthTypes::WPA2_PERSONAL,
            encr_types: EncrTypes::NONE | EncrTypes::AES,
            conn_types: ConnTypes::ESS,
            config_methods: ConfigMethods::DISPLAY
                | ConfigMethods::KEYPAD
                | ConfigMethods::PUSH_BUTTON,
            wps_state: WpsState::NOT_CONFIGURED,
            rf_bands: RfBands::BAND_2_4_GHZ,
            os_version: 0x8000_0000,
            password,
            m1_extra: Vec::new(),
            fragment_size: DEFAULT_FRAGMENT_SIZE,
            timeouts: Timeouts::default(),
        }
    }
}

/// What the enrollee reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolleeEvent {
    /// The credential(s) from M8 (WSC_Done has been sent).
    Credentials(Vec<Credential>),
    /// The registration failed; no credential will come.
    Failed(Failure),
    /// Nothing more will happen (after EAP-Failure, or a timeout).
    Finished,
}

pub type EnrolleeOutput = Output<EnrolleeEvent>;

/// Each state keeps only what is valid in it.
enum State {
    WaitIdentity {
        dh: PrivateKey,
    },
    WaitStart {
        dh: PrivateKey,
    },
    WaitM2 {
        dh: PrivateKey,
        m1: Vec<u8>,
    },
    WaitM4 {
        k: Box<Keys>,
        last: Vec<u8>,
        es1: Secret<16>,
        es2: Secret<16>,
    },
    WaitM6 {
        k: Box<Keys>,
        last: Vec<u8>,
        r_hash2: [u8; 32],
        es2: Secret<16>,
    },
    WaitM8 {
        k: Box<Keys>,
        last: Vec<u8>,
    },
    /// WSC_Done or WSC_NACK sent: waiting for EAP-Failure.
    WaitFailure {
        nonce_r: Option<[u8; 16]>,
    },
    Finished,
}

impl State {
    fn waiting_for(&self) -> MessageType {
        match self {
            State::WaitM2 { .. } => MessageType::M2,
            State::WaitM4 { .. } => MessageType::M4,
            State::WaitM6 { .. } => MessageType::M6,
            State::WaitM8 { .. } => MessageType::M8,
            _ => MessageType(0),
        }
    }
}

/// The enrollee state machine (sans-IO).
pub struct Enrollee {
    cfg: EnrolleeConfig,
    rng: Box<dyn RandomSource + Send>,
    link: Link,
    state: State,
    nonce_e: [u8; 16],
    pk_e: PublicKey,
    events: VecDeque<EnrolleeEvent>,
    session_deadline: Instant,
    message_deadline: Option<Instant>,
    failed: bool,
}

impl std::fmt::Debug for Enrollee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrollee")
            .field("waiting_for", &self.state.waiting_for())
            .finish_non_exhaustive()
    }
}

fn wfa_v2() -> Vec<WfaSubelement> {
    vec![WfaSubelement::Version2(VERSION2)]
}

impl Enrollee {
    pub fn new(cfg: EnrolleeConfig, mut rng: Box<dyn RandomSource + Send>, now: Instant) -> Enrollee {
        let mut nonce_e = [0u8; 16];
        rng.fill(&mut nonce_e);
        let dh = PrivateKey::generate(rng.as_mut());
        Self::start(cfg, rng, now, nonce_e, dh)
    }

    /// As [`Enrollee::new`] with a given DH private key instead of a drawn one (replays
    /// of captured exchanges whose exponent is longer than the ones we draw).
    pub fn with_key(cfg: EnrolleeConfig, mut rng: Box<dyn RandomSource + Send>, now: Instant, dh: PrivateKey) -> Enrollee {
        let mut nonce_e = [0u8; 16];
        rng.fill(&mut nonce_e);
        Self::start(cfg, rng, now, nonce_e, dh)
    }

    fn start(cfg: EnrolleeConfig, rng: Box<dyn RandomSource + Send>, now: Instant, nonce_e: [u8; 16], dh: PrivateKey) -> Enrollee {
        let pk_e = dh.public_key();
        Enrollee {
            link: Link::new(Side::Peer, cfg.fragment_size, 0),
            session_deadline: now + cfg.timeouts.session,
            message_deadline: Some(now + cfg.timeouts.message),
            cfg,
            rng,
            state: State::WaitIdentity { dh },
            nonce_e,
            pk_e,
            events: VecDeque::new(),
            failed: false,
        }
    }

    /// Our Enrollee Nonce.
    pub fn enrollee_nonce(&self) -> [u8; 16] {
        self.nonce_e
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished)
    }

    pub fn handle_input(&mut self, now: Instant, input: Input<'_>) {
        let Input::Eap(bytes) = input;
        if self.is_finished() {
            return;
        }
        let ev = match self.link.receive(bytes) {
            Ok(ev) => ev,
            Err(e) => {
                warn!(error = %e, "dropping malformed EAP packet");
                return;
            }
        };
        if ev != LinkEvent::Nothing {
            self.message_deadline = Some(now + self.cfg.timeouts.message);
        }
        let state = std::mem::replace(&mut self.state, State::Finished);
        self.state = match self.step(state, ev) {
            Ok(s) => s,
            Err((f, nonce_r, nack)) => self.fail(f, nonce_r, nack),
        };
        if self.is_finished() {
            self.events.push_back(EnrolleeEvent::Finished);
        }
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        if self.is_finished() {
            return;
        }
        let expired =
            now >= self.session_deadline || self.message_deadline.is_some_and(|d| now >= d);
        if !expired {
            return;
        }
        if !matches!(self.state, State::WaitFailure { .. }) {
            self.report_failure(Failure::Timeout);
        }
        self.state = State::Finished;
        self.events.push_back(EnrolleeEvent::Finished);
    }

    pub fn poll_output(&mut self) -> Option<EnrolleeOutput> {
        if let Some(p) = self.link.tx.pop_front() {
            return Some(Output::Transmit(p));
        }
        self.events.pop_front().map(Output::Event)
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.is_finished() {
            return None;
        }
        earliest(Some(self.session_deadline), self.message_deadline)
    }

    fn report_failure(&mut self, f: Failure) {
        if !self.failed {
            self.failed = true;
            debug!(failure = %f, "enrollee failed");
            self.events.push_back(EnrolleeEvent::Failed(f));
        }
    }

    /// Reports `f`; answers with WSC_NACK when the registrar nonce is known.
    fn fail(&mut self, f: Failure, nonce_r: Option<[u8; 16]>, nack: Option<ConfigError>) -> State {
        self.report_failure(f);
        if let (Some(nr), Some(err)) = (nonce_r, nack) {
            self.send_nack(nr, err);
        }
        State::WaitFailure { nonce_r }
    }

    fn send_nack(&mut self, nonce_r: [u8; 16], err: ConfigError) {
        let n = Nack {
            enrollee_nonce: self.nonce_e,
            registrar_nonce: nonce_r,
            config_error: err,
            wfa: wfa_v2(),
            extra: vec![],
        };
        if let Err(e) = n
            .emit()
            .map_err(Failure::from)
            .and_then(|b| Ok(self.link.send_message(OpCode::NACK, b)?))
        {
            warn!(error = %e, "could not send WSC_NACK");
        }
    }

    fn send(&mut self, op: OpCode, body: Vec<u8>) -> Result<(), Failure> {
        Ok(self.link.send_message(op, body)?)
    }

    fn build_m1(&self) -> M1 {
        let c = &self.cfg;
        M1 {
            uuid_e: c.uuid_e,
            mac_address: c.mac_address,
            enrollee_nonce: self.nonce_e,
            public_key: self.pk_e.clone(),
            auth_types: c.auth_types,
            encr_types: c.encr_types,
            conn_types: c.conn_types,
            config_methods: c.config_methods,
            wps_state: c.wps_state,
            device: c.device.clone(),
            rf_bands: c.rf_bands,
            association_state: AssociationState::NOT_ASSOCIATED,
            device_password_id: c.password.id,
            config_error: ConfigError::NO_ERROR,
            os_version: c.os_version,
            wfa: wfa_v2(),
            extra: c.m1_extra.clone(),
        }
    }
}

/// A step error: the failure, the registrar nonce if known, and the NACK error to send.
type StepError = (Failure, Option<[u8; 16]>, Option<ConfigError>);

fn abort(nonce_r: Option<[u8; 16]>) -> impl Fn(Failure) -> StepError {
    move |f| (f, nonce_r, Some(ConfigError::NO_ERROR))
}

impl Enrollee {
    fn step(&mut self, state: State, ev: LinkEvent) -> Result<State, StepError> {
        match (state, ev) {
            (State::WaitIdentity { dh } | State::WaitStart { dh }, LinkEvent::IdentityRequest) => {
                self.link
                    .send_identity(IDENTITY_ENROLLEE)
                    .map_err(|e| (e.into(), None, None))?;
                Ok(State::WaitStart { dh })
            }
            (
                State::WaitIdentity { dh } | State::WaitStart { dh },
                LinkEvent::Message {
                    op: OpCode::START, ..
                },
            ) => {
                let m1 = self.build_m1().emit().map_err(|e| (e.into(), None, None))?;
                self.send(OpCode::MSG, m1.clone())
                    .map_err(|e| (e, None, None))?;
                Ok(State::WaitM2 { dh, m1 })
            }
            (State::WaitFailure { .. }, LinkEvent::Failure | LinkEvent::Success) => {
                Ok(State::Finished)
            }
            (_, LinkEvent::Failure | LinkEvent::Success) => {
                self.report_failure(Failure::EapFailure);
                Ok(State::Finished)
            }
            (
                State::WaitFailure { nonce_r },
                LinkEvent::Message {
                    op: OpCode::NACK, ..
                },
            ) => {
                // The registrar insists; answer its NACK again.
                if let Some(nr) = nonce_r {
                    self.send_nack(nr, ConfigError::NO_ERROR);
                }
                Ok(State::WaitFailure { nonce_r })
            }
            (
                state,
                LinkEvent::Message {
                    op: OpCode::NACK,
                    data,
                },
            ) => self.on_nack(state, &data),
            (
                state @ (State::WaitM2 { .. }
                | State::WaitM4 { .. }
                | State::WaitM6 { .. }
                | State::WaitM8 { .. }),
                LinkEvent::Message {
                    op: OpCode::MSG,
                    data,
                },
            ) => self.on_message(state, data),
            (state, LinkEvent::Message { op, .. }) => {
                debug!(?op, "unexpected EAP-WSC op-code");
                let nonce_r = current_nonce_r(&state);
                Err((
                    Failure::UnexpectedOpCode(state.waiting_for()),
                    nonce_r,
                    Some(ConfigError::NO_ERROR),
                ))
            }
            (state, _) => Ok(state),
        }
    }

    fn on_nack(&mut self, state: State, data: &[u8]) -> Result<State, StepError> {
        let nonce_r = current_nonce_r(&state);
        let nack = Nack::parse(data).map_err(|e| (e.into(), nonce_r, None))?;
        if nack.enrollee_nonce != self.nonce_e {
            return Err((Failure::NonceMismatch, nonce_r, None));
        }
        self.report_failure(Failure::PeerNack(nack.config_error));
        self.send_nack(nack.registrar_nonce, ConfigError::NO_ERROR);
        Ok(State::WaitFailure {
            nonce_r: Some(nack.registrar_nonce),
        })
    }

    fn on_message(&mut self, state: State, data: Vec<u8>) -> Result<State, StepError> {
        let nonce_r = current_nonce_r(&state);
        let got = message::peek_type(&data).map_err(|e| (e.into(), nonce_r, None))?;
        match state {
            State::WaitM2 { dh, m1 } if got == MessageType::M2 => self.on_m2(dh, m1, data),
            State::WaitM2 { .. } if got == MessageType::M2D => {
                let m2d = M2D::parse(&data).map_err(|e| (e.into(), None, None))?;
                let ack = Ack {
                    enrollee_nonce: self.nonce_e,
                    registrar_nonce: m2d.registrar_nonce,
                    wfa: wfa_v2(),
                    extra: vec![],
                };
                let b = ack.emit().map_err(|e| (e.into(), None, None))?;
                self.send(OpCode::ACK, b).map_err(|e| (e, None, None))?;
                self.report_failure(Failure::RegistrarNotReady(m2d.config_error));
                Ok(State::WaitFailure {
                    nonce_r: Some(m2d.registrar_nonce),
                })
            }
            State::WaitM4 { k, last, es1, es2 } if got == MessageType::M4 => {
                self.on_m4(k, last, es1, es2, data)
            }
            State::WaitM6 {
                k,
                last,
                r_hash2,
                es2,
            } if got == MessageType::M6 => self.on_m6(k, last, r_hash2, es2, data),
            State::WaitM8 { k, last } if got == MessageType::M8 => self.on_m8(*k, last, data),
            state => Err((
                Failure::Unexpected {
                    got,
                    waiting: state.waiting_for(),
                },
                nonce_r,
                Some(ConfigError::NO_ERROR),
            )),
        }
    }

    fn on_m2(&mut self, dh: PrivateKey, m1: Vec<u8>, data: Vec<u8>) -> Result<State, StepError> {
        let m2 = M2::parse(&data).map_err(|e| (e.into(), None, None))?;
        let nr = Some(m2.registrar_nonce);
        let ab = abort(nr);
        if m2.enrollee_nonce != self.nonce_e {
            return Err(ab(Failure::NonceMismatch));
        }
        let shared = dh.shared_secret(&m2.public_key).map_err(|e| ab(e.into()))?;
        let keys = crypto::derive_session_keys(
            &shared,
            &self.nonce_e,
            &self.cfg.mac_address,
            &m2.registrar_nonce,
        );
        crypto::verify_authenticator(&keys.auth_key, &m1, &data).map_err(|e| ab(e.into()))?;
        let (psk1, psk2) = crypto::derive_psks(&keys.auth_key, self.cfg.password.pin.as_bytes());
        let k = Box::new(Keys {
            keys,
            nonce_e: self.nonce_e,
            nonce_r: m2.registrar_nonce,
            pk_e: self.pk_e.clone(),
            pk_r: m2.public_key,
            psk1,
            psk2,
        });
        let (mut es1, mut es2) = ([0u8; 16], [0u8; 16]);
        self.rng.fill(&mut es1);
        self.rng.fill(&mut es2);
        let (es1, es2) = (Secret::new(es1), Secret::new(es2));
        let m3 = M3 {
            registrar_nonce: k.nonce_r,
            e_hash1: crypto::commitment_hash(
                &k.keys.auth_key,
                es1.expose(),
                &k.psk1,
                &k.pk_e,
                &k.pk_r,
            ),
            e_hash2: crypto::commitment_hash(
                &k.keys.auth_key,
                es2.expose(),
                &k.psk2,
                &k.pk_e,
                &k.pk_r,
            ),
            wfa: wfa_v2(),
            extra: vec![],
            authenticator: None,
        };
        let mut out = m3.emit().map_err(|e| ab(e.into()))?;
        crypto::append_authenticator(&k.keys.auth_key, &data, &mut out);
        self.send(OpCode::MSG, out.clone()).map_err(&ab)?;
        Ok(State::WaitM4 {
            k,
            last: out,
            es1,
            es2,
        })
    }

    /// Verifies the Authenticator, decrypts the settings and returns the secret nonce `kind`.
    fn open(
        k: &Keys,
        last: &[u8],
        data: &[u8],
        enc: &[u8],
        kind: AttrType,
    ) -> Result<Secret<16>, Failure> {
        crypto::verify_authenticator(&k.keys.auth_key, last, data)?;
        let settings = crypto::decrypt_settings(&k.keys, enc)?;
        Ok(Secret::new(*message::parse_snonce_settings(
            kind, &settings,
        )?))
    }

    fn seal(&mut self, k: &Keys, kind: AttrType, nonce: &Secret<16>) -> Result<Vec<u8>, Failure> {
        let mut iv = [0u8; 16];
        self.rng.fill(&mut iv);
        let settings = message::build_snonce_settings(kind, nonce.expose())?;
        Ok(crypto::encrypt_settings(&k.keys, &iv, &settings)?)
    }

    fn on_m4(
        &mut self,
        k: Box<Keys>,
        last: Vec<u8>,
        es1: Secret<16>,
        es2: Secret<16>,
        data: Vec<u8>,
    ) -> Result<State, StepError> {
        let ab = abort(Some(k.nonce_r));
        let m4 = M4::parse(&data).map_err(|e| ab(e.into()))?;
        if m4.enrollee_nonce != self.nonce_e {
            return Err(ab(Failure::NonceMismatch));
        }
        let rs1 = Self::open(
            &k,
            &last,
            &data,
            &m4.encrypted_settings,
            AttrType::R_SNONCE1,
        )
        .map_err(&ab)?;
        if !crypto::verify_commitment(
            &k.keys.auth_key,
            rs1.expose(),
            &k.psk1,
            &k.pk_e,
            &k.pk_r,
            &m4.r_hash1,
        ) {
            return Err((
                Failure::DevicePasswordMismatch { half: 1 },
                Some(k.nonce_r),
                Some(ConfigError::DEVICE_PASSWORD_AUTH_FAILURE),
            ));
        }
        let encrypted_settings = self.seal(&k, AttrType::E_SNONCE1, &es1).map_err(&ab)?;
        let m5 = M5 {
            registrar_nonce: k.nonce_r,
            encrypted_settings,
            wfa: wfa_v2(),
            extra: vec![],
            authenticator: None,
        };
        let mut out = m5.emit().map_err(|e| ab(e.into()))?;
        crypto::append_authenticator(&k.keys.auth_key, &data, &mut out);
        self.send(OpCode::MSG, out.clone()).map_err(&ab)?;
        Ok(State::WaitM6 {
            k,
            last: out,
            r_hash2: m4.r_hash2,
            es2,
        })
    }

    fn on_m6(
        &mut self,
        k: Box<Keys>,
        last: Vec<u8>,
        r_hash2: [u8; 32],
        es2: Secret<16>,
        data: Vec<u8>,
    ) -> Result<State, StepError> {
        let ab = abort(Some(k.nonce_r));
        let m6 = M6::parse(&data).map_err(|e| ab(e.into()))?;
        if m6.enrollee_nonce != self.nonce_e {
            return Err(ab(Failure::NonceMismatch));
        }
        let rs2 = Self::open(
            &k,
            &last,
            &data,
            &m6.encrypted_settings,
            AttrType::R_SNONCE2,
        )
        .map_err(&ab)?;
        if !crypto::verify_commitment(
            &k.keys.auth_key,
            rs2.expose(),
            &k.psk2,
            &k.pk_e,
            &k.pk_r,
            &r_hash2,
        ) {
            return Err((
                Failure::DevicePasswordMismatch { half: 2 },
                Some(k.nonce_r),
                Some(ConfigError::DEVICE_PASSWORD_AUTH_FAILURE),
            ));
        }
        let encrypted_settings = self.seal(&k, AttrType::E_SNONCE2, &es2).map_err(&ab)?;
        let m7 = M7 {
            registrar_nonce: k.nonce_r,
            encrypted_settings,
            wfa: wfa_v2(),
            extra: vec![],
            authenticator: None,
        };
        let mut out = m7.emit().map_err(|e| ab(e.into()))?;
        crypto::append_authenticator(&k.keys.auth_key, &data, &mut out);
        self.send(OpCode::MSG, out.clone()).map_err(&ab)?;
        Ok(State::WaitM8 { k, last: out })
    }

    fn on_m8(&mut self, k: Keys, last: Vec<u8>, data: Vec<u8>) -> Result<State, StepError> {
        let ab = abort(Some(k.nonce_r));
        let m8 = M8::parse(&data).map_err(|e| ab(e.into()))?;
        if m8.enrollee_nonce != self.nonce_e {
            return Err(ab(Failure::NonceMismatch));
        }
        crypto::verify_authenticator(&k.keys.auth_key, &last, &data).map_err(|e| ab(e.into()))?;
        let settings =
            crypto::decrypt_settings(&k.keys, &m8.encrypted_settings).map_err(|e| ab(e.into()))?;
        let settings = M8Settings::parse(&settings).map_err(|e| ab(e.into()))?;
        let done = Done {
            enrollee_nonce: self.nonce_e,
            registrar_nonce: k.nonce_r,
            wfa: wfa_v2(),
            extra: vec![],
        };
        let out = done.emit().map_err(|e| ab(e.into()))?;
        self.send(OpCode::DONE, out).map_err(&ab)?;
        self.events
            .push_back(EnrolleeEvent::Credentials(settings.credentials));
        Ok(State::WaitFailure {
            nonce_r: Some(k.nonce_r),
        })
    }
}

fn current_nonce_r(state: &State) -> Option<[u8; 16]> {
    match state {
        State::WaitM4 { k, .. } | State::WaitM6 { k, .. } | State::WaitM8 { k, .. } => {
            Some(k.nonce_r)
        }
        State::WaitFailure { nonce_r } => *nonce_r,
        _ => None,
    }
}
