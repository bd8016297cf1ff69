//! The 4-way handshake and group key handshake, authenticator side (the P2P
//! GO, one machine per station), for WPA2-PSK with CCMP (IEEE 802.11-2020
//! 12.7.6, 12.7.7).
//!
//! Behaviour follows hostapd (`src/ap/wpa_auth.c`) where the standard leaves
//! room:
//! - every transmission uses a new Replay Counter (the first is 1); a reply
//!   is accepted if its counter equals any counter sent for the message it
//!   answers;
//! - message 1 and message 3 are sent at most `max_attempts` times
//!   (dot11RSNAConfigPairwiseUpdateCount, 4), the first retry after 100 ms,
//!   later ones after 1000 ms; when the last one times out the handshake
//!   fails with reason 15;
//! - a message 2 whose MIC does not verify (wrong passphrase) is dropped
//!   silently and counted; message 1 keeps being retransmitted;
//! - a message 2 whose RSN element differs from the association request's
//!   fails the handshake (hostapd deauthenticates with reason 2);
//! - the IP Address Allocation KDE goes into message 3 only when message 2
//!   asked for it and the caller offered an address.

use crate::eapol::crypto::{self, Gtk, MacAddr, Pmk, Ptk, Tk};
use crate::eapol::message::{self, Kind};
use crate::eapol::random::RandomSource;
use crate::eapol::wire::{
    DescriptorType, EAPOL_HEADER_LEN, EAPOL_VERSION_2004, IpAllocation, KeyData, KeyDataBuilder,
    KeyFrame, Nonce,
};
use crate::eapol::{Dropped, ReasonCode};
use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};
use thiserror::Error;

/// The group key handed to stations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupKey {
    /// The GTK (16 bytes for CCMP-128).
    pub gtk: Gtk,
    /// Key index 1..=3 (hostapd starts with 1).
    pub key_idx: u8,
    /// The GTK's current transmit sequence number (48 bits), sent as Key RSC.
    pub rsc: u64,
}

/// What the authenticator needs for one station.
#[derive(Clone)]
pub struct AuthenticatorConfig {
    /// The PMK (for WPA2-PSK the PSK of the group's passphrase and SSID).
    pub pmk: Pmk,
    /// Authenticator address (the GO interface address).
    pub aa: MacAddr,
    /// The station's address.
    pub spa: MacAddr,
    /// Our RSN element as in the Beacon/Probe Response, header included;
    /// sent in message 3.
    pub own_rsne: Vec<u8>,
    /// The RSN element from the station's (Re)Association Request, header
    /// included; message 2 must carry exactly these bytes.
    pub sta_rsne: Vec<u8>,
    /// The current group key.
    pub group: GroupKey,
    /// Address to hand out if the station asks with the IP Address Request KDE.
    pub ip_offer: Option<IpAllocation>,
    /// 802.1X version of the frames we send (hostapd's default is 2).
    pub eapol_version: u8,
    /// Transmissions of message 1, of message 3 and of group message 1 before
    /// giving up (hostapd: 4).
    pub max_attempts: u32,
    /// Wait after the first transmission of a pairwise message (hostapd: 100 ms).
    pub first_retry: Duration,
    /// The replay counter already used with this station (0 for a new one): a station
    /// that associates again while its association runs keeps counting from here, as
    /// hostapd's per-station state does, so a client that missed the new association
    /// (a late duplicate request) does not drop our message 1 as a replay.
    pub replay_counter_base: u64,
    /// Wait after the first transmission of a group message (hostapd: 500 ms).
    pub first_group_retry: Duration,
    /// Wait after later transmissions (hostapd: 1000 ms).
    pub retry: Duration,
}

impl fmt::Debug for AuthenticatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticatorConfig")
            .field("aa", &self.aa)
            .field("spa", &self.spa)
            .field("key_idx", &self.group.key_idx)
            .field("ip_offer", &self.ip_offer)
            .field("eapol_version", &self.eapol_version)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

impl AuthenticatorConfig {
    /// A configuration with hostapd's defaults and no address to offer.
    pub fn new(
        pmk: Pmk,
        aa: MacAddr,
        spa: MacAddr,
        own_rsne: Vec<u8>,
        sta_rsne: Vec<u8>,
        group: GroupKey,
    ) -> Self {
        Self {
            pmk,
            aa,
            spa,
            own_rsne,
            sta_rsne,
            group,
            ip_offer: None,
            eapol_version: EAPOL_VERSION_2004,
            max_attempts: 4,
            first_retry: Duration::from_millis(100),
            replay_counter_base: 0,
            first_group_retry: Duration::from_millis(500),
            retry: Duration::from_millis(1000),
        }
    }
}

/// An input to the authenticator.
#[derive(Debug, Clone)]
pub enum AuthenticatorInput<'a> {
    /// An EAPOL frame (EtherType 0x888E) from the station, 802.1X header included.
    Eapol(&'a [u8]),
    /// A new group key: run the group key handshake with it once the 4-way
    /// handshake is done (and use it in message 3 if that is not sent yet).
    RekeyGroup(GroupKey),
}

/// Something the caller must do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthenticatorOutput {
    /// Send this EAPOL PDU to the station (unencrypted over the control port).
    SendEapol(Vec<u8>),
    /// Install the station's pairwise key (key index 0, CCMP-128).
    InstallPtk {
        /// Temporal key.
        tk: Tk,
    },
    /// The 4-way handshake completed: authorize the station.
    Authorized {
        /// The address given in message 3, if the station asked and one was offered.
        ip_allocation: Option<IpAllocation>,
    },
    /// The station acknowledged the group key with this index.
    GroupKeyDone {
        /// Key index of the new GTK.
        key_idx: u8,
    },
    /// The handshake failed: deauthenticate with [`AuthenticatorFailure::reason_code`].
    Failed(AuthenticatorFailure),
}

/// Why the authenticator gave up on a station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AuthenticatorFailure {
    /// No valid reply after the last retransmission of message 1 or 3.
    #[error("4-way handshake timed out")]
    Timeout,
    /// No valid reply to the group message 1.
    #[error("group key handshake timed out")]
    GroupTimeout,
    /// Message 2's RSN element differs from the association request's.
    #[error("RSN element in message 2 differs from the association request's")]
    IeMismatch,
    /// A frame could not be built (cannot happen with sane configuration).
    #[error("could not build an EAPOL-Key frame")]
    Internal,
}

impl AuthenticatorFailure {
    /// The 802.11 reason code hostapd uses in this case.
    pub fn reason_code(self) -> ReasonCode {
        match self {
            Self::Timeout => ReasonCode::FOURWAY_HANDSHAKE_TIMEOUT,
            Self::GroupTimeout => ReasonCode::GROUP_KEY_UPDATE_TIMEOUT,
            Self::IeMismatch => ReasonCode::PREV_AUTH_NOT_VALID,
            Self::Internal => ReasonCode::UNSPECIFIED,
        }
    }
}

/// Counters for the caller's logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuthenticatorStats {
    /// Message 2/4 or group 2 frames whose MIC did not verify (a wrong
    /// passphrase shows here).
    pub mic_failures: u32,
    /// Frames dropped for any reason (including MIC failures).
    pub dropped: u32,
    /// EAPOL-Key frames sent, retransmissions included.
    pub sent: u32,
}

/// Retransmission bookkeeping of one outstanding message.
struct Retry {
    /// Replay counters used for this message so far.
    sent: Vec<u64>,
    /// Transmissions so far.
    attempts: u32,
    /// When to retransmit or give up.
    at: Instant,
}

/// States, named for what the authenticator waits for.
enum State {
    /// Message 1 sent.
    ExpectMsg2 { anonce: Nonce, retry: Retry },
    /// Message 3 sent with the PTK derived from message 2's SNonce.
    ExpectMsg4 {
        anonce: Nonce,
        ptk: Ptk,
        ip: Option<IpAllocation>,
        retry: Retry,
    },
    /// Station authorized; `rekey` is an outstanding group message 1.
    Established { ptk: Ptk, rekey: Option<Retry> },
    /// Gave up; every frame is dropped.
    Failed,
}

impl State {
    fn name(&self) -> &'static str {
        match self {
            Self::ExpectMsg2 { .. } => "ExpectMsg2",
            Self::ExpectMsg4 { .. } => "ExpectMsg4",
            Self::Established { rekey: None, .. } => "Established",
            Self::Established { rekey: Some(_), .. } => "ExpectGroup2",
            Self::Failed => "Failed",
        }
    }
}

/// The authenticator machine for one station.
pub struct Authenticator {
    cfg: AuthenticatorConfig,
    state: State,
    /// Last Replay Counter used.
    counter: u64,
    outputs: VecDeque<AuthenticatorOutput>,
    stats: AuthenticatorStats,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("spa", &self.cfg.spa)
            .field("state", &self.state.name())
            .field("counter", &self.counter)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// Starts the 4-way handshake with a station that associated at `now`:
    /// message 1 is waiting in [`poll_output`](Self::poll_output). `rng`
    /// draws the ANonce (the only randomness the authenticator needs).
    pub fn new(cfg: AuthenticatorConfig, rng: &mut dyn RandomSource, now: Instant) -> Self {
        let mut anonce = [0u8; 32];
        rng.fill(&mut anonce);
        let mut me = Self {
            state: State::ExpectMsg2 {
                anonce,
                retry: Retry {
                    sent: Vec::new(),
                    attempts: 0,
                    at: now,
                },
            },
            counter: cfg.replay_counter_base,
            cfg,
            outputs: VecDeque::new(),
            stats: AuthenticatorStats::default(),
        };
        me.transmit(now);
        me
    }

    /// The last replay counter used.
    pub fn replay_counter(&self) -> u64 {
        self.counter
    }

    /// True once the station is authorized and until a failure.
    pub fn is_established(&self) -> bool {
        matches!(self.state, State::Established { .. })
    }

    /// True after a failure.
    pub fn is_failed(&self) -> bool {
        matches!(self.state, State::Failed)
    }

    /// Name of the current state, for logs.
    pub fn state_name(&self) -> &'static str {
        self.state.name()
    }

    /// Counters.
    pub fn stats(&self) -> AuthenticatorStats {
        self.stats
    }

    /// The station's address.
    pub fn spa(&self) -> MacAddr {
        self.cfg.spa
    }

    /// Next action for the caller.
    pub fn poll_output(&mut self) -> Option<AuthenticatorOutput> {
        self.outputs.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.state {
            State::ExpectMsg2 { retry, .. } | State::ExpectMsg4 { retry, .. } => Some(retry.at),
            State::Established {
                rekey: Some(retry), ..
            } => Some(retry.at),
            _ => None,
        }
    }

    /// Time passed: retransmits the outstanding message or gives up.
    pub fn handle_timeout(&mut self, now: Instant) {
        let Some(at) = self.poll_timeout() else {
            return;
        };
        if now < at {
            return;
        }
        let (attempts, group) = match &self.state {
            State::ExpectMsg2 { retry, .. } | State::ExpectMsg4 { retry, .. } => {
                (retry.attempts, false)
            }
            State::Established {
                rekey: Some(retry), ..
            } => (retry.attempts, true),
            _ => return,
        };
        if attempts >= self.cfg.max_attempts {
            self.fail(if group {
                AuthenticatorFailure::GroupTimeout
            } else {
                AuthenticatorFailure::Timeout
            });
            return;
        }
        tracing::debug!(
            state = self.state.name(),
            attempt = attempts + 1,
            "EAPOL-Key retransmission"
        );
        self.transmit(now);
    }

    /// Feeds an input. `Err` tells why a frame was ignored (log it; the
    /// machine is unchanged by a dropped frame).
    pub fn handle_input(
        &mut self,
        now: Instant,
        input: AuthenticatorInput<'_>,
    ) -> Result<(), Dropped> {
        match input {
            AuthenticatorInput::RekeyGroup(group) => {
                self.cfg.group = group;
                if let State::Established { rekey, .. } = &mut self.state {
                    *rekey = Some(Retry {
                        sent: Vec::new(),
                        attempts: 0,
                        at: now,
                    });
                    self.transmit(now);
                }
                Ok(())
            }
            AuthenticatorInput::Eapol(bytes) => {
                let r = self.handle_eapol(now, bytes);
                if let Err(e) = &r {
                    self.stats.dropped += 1;
                    if *e == Dropped::BadMic {
                        self.stats.mic_failures += 1;
                    }
                    tracing::debug!(state = self.state.name(), reason = %e, "EAPOL-Key frame dropped");
                }
                r
            }
        }
    }

    fn fail(&mut self, why: AuthenticatorFailure) {
        tracing::info!(state = self.state.name(), %why, "authenticator gave up");
        self.state = State::Failed;
        self.outputs.push_back(AuthenticatorOutput::Failed(why));
    }

    /// Sends (or resends) the message the current state waits a reply to,
    /// with a new Replay Counter, and re-arms the timer.
    fn transmit(&mut self, now: Instant) {
        self.counter += 1;
        let counter = self.counter;
        let version = self.cfg.eapol_version;
        let pdu = match &self.state {
            State::ExpectMsg2 { anonce, .. } => message::msg1(version, counter, anonce).ok(),
            State::ExpectMsg4 {
                anonce, ptk, ip, ..
            } => {
                let mut kd = KeyDataBuilder::new().element(&self.cfg.own_rsne).gtk(
                    self.cfg.group.key_idx,
                    false,
                    self.cfg.group.gtk.as_bytes(),
                );
                if let Some(alloc) = ip {
                    kd = kd.ip_allocation(alloc);
                }
                crypto::wrap_key_data(&ptk.kek, &kd.finish_padded())
                    .ok()
                    .and_then(|w| {
                        message::msg3(version, counter, anonce, self.cfg.group.rsc, &w, &ptk.kck)
                            .ok()
                    })
            }
            State::Established {
                ptk,
                rekey: Some(_),
            } => {
                let kd = KeyDataBuilder::new().gtk(
                    self.cfg.group.key_idx,
                    false,
                    self.cfg.group.gtk.as_bytes(),
                );
                crypto::wrap_key_data(&ptk.kek, &kd.finish_padded())
                    .ok()
                    .and_then(|w| {
                        message::group1(version, counter, self.cfg.group.rsc, &w, &ptk.kck).ok()
                    })
            }
            _ => return,
        };
        let Some(pdu) = pdu else {
            self.fail(AuthenticatorFailure::Internal);
            return;
        };
        let (first, later) = (self.cfg.first_retry, self.cfg.retry);
        let first_group = self.cfg.first_group_retry;
        let retry = match &mut self.state {
            State::ExpectMsg2 { retry, .. } | State::ExpectMsg4 { retry, .. } => {
                let wait = if retry.attempts == 0 { first } else { later };
                retry.at = now + wait;
                retry
            }
            State::Established {
                rekey: Some(retry), ..
            } => {
                retry.at = now
                    + if retry.attempts == 0 {
                        first_group
                    } else {
                        later
                    };
                retry
            }
            _ => return,
        };
        retry.attempts += 1;
        retry.sent.push(counter);
        self.stats.sent += 1;
        self.outputs.push_back(AuthenticatorOutput::SendEapol(pdu));
    }

    fn handle_eapol(&mut self, now: Instant, bytes: &[u8]) -> Result<(), Dropped> {
        if matches!(self.state, State::Failed) {
            return Err(Dropped::Finished);
        }
        let f = KeyFrame::parse(bytes)?;
        tracing::trace!(frame = ?f, "EAPOL-Key received");
        if f.descriptor_type != DescriptorType::Rsn {
            return Err(Dropped::NotRsn(f.descriptor_type));
        }
        if f.key_info.descriptor_version() != message::KEY_VERSION {
            return Err(Dropped::DescriptorVersion(f.key_info.descriptor_version()));
        }
        // The MIC covers the whole 802.1X PDU as its header announces it
        // (KeyFrame::parse checked that length), without Ethernet padding.
        let pdu =
            &bytes[..EAPOL_HEADER_LEN + usize::from(u16::from_be_bytes([bytes[2], bytes[3]]))];
        match (message::classify(&f), &self.state) {
            (Some(Kind::Msg2), State::ExpectMsg2 { anonce, retry }) => {
                if !retry.sent.contains(&f.replay_counter) {
                    return Err(Dropped::Replay {
                        counter: f.replay_counter,
                    });
                }
                let ptk = Ptk::derive(&self.cfg.pmk, &self.cfg.aa, &self.cfg.spa, anonce, &f.nonce);
                if !crypto::verify_mic(&ptk.kck, pdu) {
                    return Err(Dropped::BadMic);
                }
                let kd = KeyData::parse(f.key_data)?;
                if kd.rsne() != Some(&self.cfg.sta_rsne[..]) {
                    self.fail(AuthenticatorFailure::IeMismatch);
                    return Ok(());
                }
                let ip = if kd.ip_requested() {
                    self.cfg.ip_offer
                } else {
                    None
                };
                tracing::debug!(
                    counter = f.replay_counter,
                    ip_requested = kd.ip_requested(),
                    "message 2/4 verified"
                );
                self.state = State::ExpectMsg4 {
                    anonce: *anonce,
                    ptk,
                    ip,
                    retry: Retry {
                        sent: Vec::new(),
                        attempts: 0,
                        at: now,
                    },
                };
                self.transmit(now);
                Ok(())
            }
            (Some(Kind::Msg4), State::ExpectMsg4 { ptk, ip, retry, .. }) => {
                if !retry.sent.contains(&f.replay_counter) {
                    return Err(Dropped::Replay {
                        counter: f.replay_counter,
                    });
                }
                if !crypto::verify_mic(&ptk.kck, pdu) {
                    return Err(Dropped::BadMic);
                }
                let (ptk, ip) = (ptk.clone(), *ip);
                tracing::info!(counter = f.replay_counter, "4-way handshake complete");
                self.outputs
                    .push_back(AuthenticatorOutput::InstallPtk { tk: ptk.tk.clone() });
                self.outputs
                    .push_back(AuthenticatorOutput::Authorized { ip_allocation: ip });
                self.state = State::Established { ptk, rekey: None };
                Ok(())
            }
            (
                Some(Kind::Group2),
                State::Established {
                    ptk,
                    rekey: Some(retry),
                },
            ) => {
                if !retry.sent.contains(&f.replay_counter) {
                    return Err(Dropped::Replay {
                        counter: f.replay_counter,
                    });
                }
                if !crypto::verify_mic(&ptk.kck, pdu) {
                    return Err(Dropped::BadMic);
                }
                let ptk = ptk.clone();
                self.state = State::Established { ptk, rekey: None };
                self.outputs.push_back(AuthenticatorOutput::GroupKeyDone {
                    key_idx: self.cfg.group.key_idx,
                });
                Ok(())
            }
            (Some(_), state) => Err(Dropped::Unexpected {
                state: state.name(),
            }),
            (None, _) => Err(Dropped::UnexpectedKeyInfo(f.key_info)),
        }
    }
}

impl AuthenticatorOutput {
    /// The PDU if this is a [`SendEapol`](Self::SendEapol).
    pub fn as_eapol(&self) -> Option<&[u8]> {
        match self {
            Self::SendEapol(p) => Some(p),
            _ => None,
        }
    }
}
