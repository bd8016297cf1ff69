//! What the enrollee and registrar machines share: inputs, outputs, failures, timers and
//! the keys of a running registration.

use std::time::{Duration, Instant};

use crate::attr::{ConfigError, MessageType};
use crate::crypto::{CryptoError, PublicKey, Secret, SessionKeys};
use crate::eap::EapError;
use crate::message::MessageError;

/// Input to a machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input<'a> {
    /// One received EAP packet (the body of an EAPOL-EAP frame).
    Eap(&'a [u8]),
}

/// Output of a machine: drain with `poll_output()` after every input or timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output<E> {
    /// An EAP packet to send (wrap it in EAPOL).
    Transmit(Vec<u8>),
    /// Something the owner should know.
    Event(E),
}

/// Why a registration failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("timed out")]
    Timeout,
    #[error("peer sent WSC_NACK with configuration error {0:?}")]
    PeerNack(ConfigError),
    #[error("registrar answered with M2D (configuration error {0:?})")]
    RegistrarNotReady(ConfigError),
    #[error("device password mismatch detected at the hash of half {half}")]
    DevicePasswordMismatch { half: u8 },
    #[error("PBC session overlap: more than one enrollee pressed the button")]
    PbcOverlap,
    #[error("enrollee MAC address does not match the one the credential is bound to")]
    EnrolleeMismatch,
    #[error("device password ID {got} does not match the expected {expected}")]
    PasswordIdMismatch { expected: u16, got: u16 },
    #[error("nonce does not match this session")]
    NonceMismatch,
    #[error("unexpected {got:?} while waiting for {waiting:?}")]
    Unexpected {
        got: MessageType,
        waiting: MessageType,
    },
    #[error("unexpected EAP-WSC op-code while waiting for {0:?}")]
    UnexpectedOpCode(MessageType),
    #[error("the peer does not speak EAP-WSC")]
    NotWsc,
    #[error("EAP-Failure before the registration completed")]
    EapFailure,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Message(#[from] MessageError),
    #[error(transparent)]
    Eap(#[from] EapError),
}

/// Timers of a registration. Defaults: a 5 s retransmission interval with 3 retries on the
/// registrar (EAP server) side, 15 s to wait for the next request on the enrollee side, and
/// 120 s for the whole exchange (the PBC walk time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub retransmit: Duration,
    pub max_retransmits: u32,
    pub message: Duration,
    pub session: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            retransmit: Duration::from_secs(5),
            max_retransmits: 3,
            message: Duration::from_secs(15),
            session: Duration::from_secs(120),
        }
    }
}

/// Keys and public values of a registration once M1 and M2 are known.
#[derive(Debug)]
pub(crate) struct Keys {
    pub keys: SessionKeys,
    pub nonce_e: [u8; 16],
    pub nonce_r: [u8; 16],
    pub pk_e: PublicKey,
    pub pk_r: PublicKey,
    pub psk1: Secret<16>,
    pub psk2: Secret<16>,
}

/// Earliest of optional deadlines.
pub(crate) fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
