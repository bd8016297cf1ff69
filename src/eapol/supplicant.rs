//! The 4-way handshake and group key handshake, supplicant side (the P2P
//! client), for WPA2-PSK with CCMP (IEEE 802.11-2020 12.7.6, 12.7.7).
//!
//! Behaviour follows wpa_supplicant (`src/rsn_supp/wpa.c`) where the standard
//! leaves room:
//! - a frame whose Replay Counter is not above the last MIC-verified one is
//!   dropped; the counter is only recorded after a MIC check, so repeated
//!   message 1s are answered until message 3 arrives;
//! - a repeated message 1 reuses the SNonce; a new SNonce is drawn only
//!   after a message 3 was accepted (so a PTK rekey gets a fresh one);
//! - a retransmitted message 3 (higher counter, same ANonce) is answered with
//!   message 4 again but the PTK and GTK are NOT installed again (KRACK);
//! - a bad MIC drops the frame silently; an RSN element in message 3 that
//!   differs from the Beacon/Probe Response one, a changed ANonce or a
//!   missing GTK fails the handshake.

use crate::eapol::crypto::{self, Gtk, MacAddr, Pmk, Ptk, Tk};
use crate::eapol::message::{self, CCMP_KEY_LEN, Kind};
use crate::eapol::random::RandomSource;
use crate::eapol::wire::{
    DescriptorType, EAPOL_HEADER_LEN, EAPOL_VERSION_2001, IpAllocation, KeyData, KeyDataBuilder,
    KeyFrame, Nonce,
};
use crate::eapol::{Dropped, ReasonCode};
use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};
use thiserror::Error;

/// What the supplicant needs to know before message 1.
#[derive(Clone)]
pub struct SupplicantConfig {
    /// The PMK (for WPA2-PSK the PSK, see [`crypto::psk_from_passphrase`]).
    pub pmk: Pmk,
    /// Authenticator address (the GO's interface address, the BSSID).
    pub aa: MacAddr,
    /// Supplicant address (our own interface address).
    pub spa: MacAddr,
    /// The RSN element we sent in our (Re)Association Request, header
    /// included; sent again in message 2.
    pub own_rsne: Vec<u8>,
    /// The GO's RSN element from its Beacon or Probe Response, header
    /// included; message 3 must carry exactly these bytes.
    pub ap_rsne: Vec<u8>,
    /// Ask for an address with the P2P IP Address Request KDE in message 2.
    pub request_ip: bool,
    /// 802.1X version of the frames we send (wpa_supplicant's default is 1).
    pub eapol_version: u8,
    /// The handshake fails if not complete this long after it starts (or
    /// after a rekey's message 1). wpa_supplicant allows 10 s for WPA-PSK.
    pub timeout: Duration,
}

impl fmt::Debug for SupplicantConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SupplicantConfig")
            .field("aa", &self.aa)
            .field("spa", &self.spa)
            .field("request_ip", &self.request_ip)
            .field("eapol_version", &self.eapol_version)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl SupplicantConfig {
    /// A configuration with wpa_supplicant's defaults: EAPOL version 1, 10 s
    /// timeout, an IP address requested (as a P2P client does).
    pub fn new(pmk: Pmk, aa: MacAddr, spa: MacAddr, own_rsne: Vec<u8>, ap_rsne: Vec<u8>) -> Self {
        Self {
            pmk,
            aa,
            spa,
            own_rsne,
            ap_rsne,
            request_ip: true,
            eapol_version: EAPOL_VERSION_2001,
            timeout: Duration::from_secs(10),
        }
    }
}

/// An input to the supplicant.
#[derive(Debug, Clone, Copy)]
pub enum SupplicantInput<'a> {
    /// An EAPOL frame (EtherType 0x888E) from the authenticator, 802.1X
    /// header included.
    Eapol(&'a [u8]),
}

/// Something the caller must do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupplicantOutput {
    /// Send this EAPOL PDU to the authenticator (unencrypted over the
    /// control port for messages 2 and 4: emitted BEFORE the matching
    /// `InstallPtk`).
    SendEapol(Vec<u8>),
    /// Install the pairwise key (key index 0, CCMP-128) for the authenticator.
    InstallPtk {
        /// Temporal key.
        tk: Tk,
    },
    /// Install a group key (CCMP-128) for receiving.
    InstallGtk {
        /// The key.
        gtk: Gtk,
        /// Key index 1..=3 (GTK KDE key ID).
        key_idx: u8,
        /// Receive sequence counter to start from (48 bits).
        rsc: u64,
    },
    /// The GO handed out an address in message 3.
    IpAllocation(IpAllocation),
    /// The 4-way handshake completed: authorize the port.
    Authorized,
    /// The handshake failed; deauthenticate with [`SupplicantFailure::reason_code`].
    Failed(SupplicantFailure),
}

/// Why the supplicant gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SupplicantFailure {
    /// No completed handshake before the deadline.
    #[error("4-way handshake timed out")]
    Timeout,
    /// The RSN element in message 3 differs from the Beacon/Probe Response one.
    #[error("RSN element in message 3 differs from the beacon's")]
    IeMismatch,
    /// Message 3 carries another ANonce than message 1.
    #[error("ANonce of message 3 differs from message 1")]
    AnonceMismatch,
    /// Message 3 announces a pairwise key length other than CCMP-128's.
    #[error("message 3 key length {0} is not CCMP's 16")]
    KeyLength(u16),
    /// Message 3 has no GTK KDE, or its key data cannot be read.
    #[error("message 3 key data lacks a usable GTK")]
    BadKeyData,
    /// A frame could not be built (cannot happen with sane configuration).
    #[error("could not build an EAPOL-Key frame")]
    Internal,
}

impl SupplicantFailure {
    /// The 802.11 reason code to deauthenticate with (hostap's choices).
    pub fn reason_code(self) -> ReasonCode {
        match self {
            Self::Timeout => ReasonCode::FOURWAY_HANDSHAKE_TIMEOUT,
            Self::IeMismatch => ReasonCode::IE_IN_4WAY_DIFFERS,
            _ => ReasonCode::UNSPECIFIED,
        }
    }
}

/// States, named for what the supplicant waits for.
enum State {
    /// Associated; message 1 not seen yet.
    ExpectMsg1,
    /// Message 2 sent; waiting for message 3. `tptk` is the PTK derived
    /// from this ANonce and our SNonce, not yet confirmed.
    ExpectMsg3 { anonce: Nonce, tptk: Ptk },
    /// Keys installed; waiting for retransmissions, group rekeys or a PTK rekey.
    Established(Keys),
    /// A message 1 came while established (a PTK rekey, or anyone sending one: message 1
    /// carries no MIC): message 2 sent, waiting for message 3 of `anonce`, while `keys`
    /// stay in force. If message 3 does not come, the keys stay and the link with them
    /// (as wpa_supplicant: an unanswered message 1 must not let a stranger end the link).
    Rekeying {
        keys: Keys,
        anonce: Nonce,
        tptk: Ptk,
    },
    /// Gave up; every frame is dropped.
    Failed,
}

/// What a completed handshake installed.
struct Keys {
    anonce: Nonce,
    ptk: Ptk,
    gtk: Option<(u8, Gtk)>,
}

impl State {
    fn name(&self) -> &'static str {
        match self {
            Self::ExpectMsg1 => "ExpectMsg1",
            Self::ExpectMsg3 { .. } => "ExpectMsg3",
            Self::Established(_) => "Established",
            Self::Rekeying { .. } => "Rekeying",
            Self::Failed => "Failed",
        }
    }
}

/// Counters for the caller's logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SupplicantStats {
    /// Frames dropped because their MIC did not verify.
    pub mic_failures: u32,
    /// Frames dropped because their Replay Counter did not increase.
    pub replays: u32,
    /// Frames dropped for any reason (including the two above).
    pub dropped: u32,
}

/// The supplicant machine. Create it on association, feed it EAPOL frames,
/// drain [`poll_output`](Self::poll_output) after every call.
pub struct Supplicant {
    cfg: SupplicantConfig,
    rng: Box<dyn RandomSource + Send>,
    state: State,
    snonce: Nonce,
    renew_snonce: bool,
    /// Last Replay Counter of a frame whose MIC verified.
    rx_replay: Option<u64>,
    deadline: Option<Instant>,
    outputs: VecDeque<SupplicantOutput>,
    stats: SupplicantStats,
}

impl fmt::Debug for Supplicant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Supplicant")
            .field("state", &self.state.name())
            .field("rx_replay", &self.rx_replay)
            .field("deadline", &self.deadline)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Supplicant {
    /// A supplicant that has just associated at `now`; the timeout runs from here.
    pub fn new(cfg: SupplicantConfig, rng: Box<dyn RandomSource + Send>, now: Instant) -> Self {
        let deadline = Some(now + cfg.timeout);
        Self {
            cfg,
            rng,
            state: State::ExpectMsg1,
            snonce: [0; 32],
            renew_snonce: true,
            rx_replay: None,
            deadline,
            outputs: VecDeque::new(),
            stats: SupplicantStats::default(),
        }
    }

    /// True once the first 4-way handshake completed and until a failure.
    pub fn is_established(&self) -> bool {
        matches!(self.state, State::Established(_) | State::Rekeying { .. })
    }

    /// True after a failure.
    pub fn is_failed(&self) -> bool {
        matches!(self.state, State::Failed)
    }

    /// Name of the current state, for logs.
    pub fn state_name(&self) -> &'static str {
        self.state.name()
    }

    /// Drop counters.
    pub fn stats(&self) -> SupplicantStats {
        self.stats
    }

    /// Next action for the caller.
    pub fn poll_output(&mut self) -> Option<SupplicantOutput> {
        self.outputs.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time passed: fails the handshake once its deadline is reached; a rekey that did not
    /// complete leaves the installed keys in force.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.deadline.is_some_and(|d| now >= d) {
            self.deadline = None;
            if matches!(self.state, State::Rekeying { .. }) {
                let State::Rekeying { keys, .. } = std::mem::replace(&mut self.state, State::Failed) else { return };
                tracing::info!("PTK rekey not completed: keeping the installed keys");
                self.renew_snonce = true;
                self.state = State::Established(keys);
                return;
            }
            self.fail(SupplicantFailure::Timeout);
        }
    }

    /// Feeds an input. `Err` tells why a frame was ignored (log it; the
    /// machine is unchanged by a dropped frame).
    pub fn handle_input(
        &mut self,
        now: Instant,
        input: SupplicantInput<'_>,
    ) -> Result<(), Dropped> {
        let SupplicantInput::Eapol(bytes) = input;
        let r = self.handle_eapol(now, bytes);
        if let Err(e) = &r {
            self.stats.dropped += 1;
            match e {
                Dropped::BadMic => self.stats.mic_failures += 1,
                Dropped::Replay { .. } => self.stats.replays += 1,
                _ => {}
            }
            tracing::debug!(state = self.state.name(), reason = %e, "EAPOL-Key frame dropped");
        }
        r
    }

    fn fail(&mut self, why: SupplicantFailure) {
        tracing::info!(state = self.state.name(), %why, "4-way handshake failed");
        self.state = State::Failed;
        self.deadline = None;
        self.outputs.push_back(SupplicantOutput::Failed(why));
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
        if self.rx_replay.is_some_and(|last| f.replay_counter <= last) {
            return Err(Dropped::Replay {
                counter: f.replay_counter,
            });
        }
        if f.key_info.descriptor_version() != message::KEY_VERSION {
            return Err(Dropped::DescriptorVersion(f.key_info.descriptor_version()));
        }
        let kind = match message::classify(&f) {
            Some(k @ (Kind::Msg1 | Kind::Msg3 | Kind::Group1)) => k,
            _ => return Err(Dropped::UnexpectedKeyInfo(f.key_info)),
        };
        if f.key_info.pairwise() && f.key_info.key_index() != 0 {
            return Err(Dropped::UnexpectedKeyInfo(f.key_info));
        }
        if kind == Kind::Msg1 {
            return self.on_msg1(now, &f);
        }
        // Message 3 and group message 1 carry a MIC under the current key.
        let ptk = match &self.state {
            State::ExpectMsg3 { tptk, .. } if kind == Kind::Msg3 => tptk.clone(),
            State::Rekeying { anonce, tptk, .. } if kind == Kind::Msg3 && f.nonce == *anonce => tptk.clone(),
            State::Established(keys) | State::Rekeying { keys, .. } => keys.ptk.clone(),
            _ => {
                return Err(Dropped::Unexpected {
                    state: self.state.name(),
                });
            }
        };
        // The MIC covers the whole 802.1X PDU as its header announces it
        // (KeyFrame::parse checked that length), without Ethernet padding.
        let pdu =
            &bytes[..EAPOL_HEADER_LEN + usize::from(u16::from_be_bytes([bytes[2], bytes[3]]))];
        if !crypto::verify_mic(&ptk.kck, pdu) {
            return Err(Dropped::BadMic);
        }
        self.rx_replay = Some(f.replay_counter);
        if !f.key_info.encrypted_key_data() {
            return Err(Dropped::UnexpectedKeyInfo(f.key_info));
        }
        let plain = crypto::unwrap_key_data(&ptk.kek, f.key_data).map_err(Dropped::KeyWrap)?;
        match kind {
            Kind::Msg3 => self.on_msg3(&f, ptk, &plain),
            _ => self.on_group1(&f, &plain),
        }
    }

    fn on_msg1(&mut self, now: Instant, f: &KeyFrame<'_>) -> Result<(), Dropped> {
        // Key data (a PMKID KDE at most) must at least be well formed.
        KeyData::parse(f.key_data)?;
        if self.renew_snonce {
            self.rng.fill(&mut self.snonce);
            self.renew_snonce = false;
        }
        let rekey = self.is_established();
        let tptk = Ptk::derive(
            &self.cfg.pmk,
            &self.cfg.aa,
            &self.cfg.spa,
            &f.nonce,
            &self.snonce,
        );
        let mut kd = KeyDataBuilder::new().element(&self.cfg.own_rsne);
        if self.cfg.request_ip {
            kd = kd.ip_request();
        }
        let kd = kd.finish();
        let Ok(pdu) = message::msg2(
            self.cfg.eapol_version,
            f.replay_counter,
            &self.snonce,
            &kd,
            rekey,
            &tptk.kck,
        ) else {
            self.fail(SupplicantFailure::Internal);
            return Ok(());
        };
        tracing::debug!(
            counter = f.replay_counter,
            rekey,
            "message 1/4 received, sending 2/4"
        );
        if rekey {
            self.deadline = Some(now + self.cfg.timeout);
            let keys = match std::mem::replace(&mut self.state, State::Failed) {
                State::Established(keys) | State::Rekeying { keys, .. } => keys,
                _ => return Ok(()),
            };
            self.state = State::Rekeying { keys, anonce: f.nonce, tptk };
        } else {
            self.state = State::ExpectMsg3 {
                anonce: f.nonce,
                tptk,
            };
        }
        self.outputs.push_back(SupplicantOutput::SendEapol(pdu));
        Ok(())
    }

    fn on_msg3(&mut self, f: &KeyFrame<'_>, ptk: Ptk, plain: &[u8]) -> Result<(), Dropped> {
        let secure = f.key_info.secure();
        let current = match &self.state {
            State::Established(keys) => Some(keys),
            State::Rekeying { keys, anonce, .. } if *anonce != f.nonce => Some(keys),
            _ => None,
        };
        if let Some(Keys { anonce, .. }) = current {
            // A retransmitted message 3 of the handshake we completed: answer
            // it, install nothing again.
            if *anonce != f.nonce {
                return Err(Dropped::Unexpected {
                    state: "Established (other ANonce)",
                });
            }
            tracing::debug!(
                counter = f.replay_counter,
                "message 3/4 retransmitted; answering without reinstalling"
            );
            return self.send_msg4(f.replay_counter, secure, &ptk);
        }
        let (State::ExpectMsg3 { anonce, .. } | State::Rekeying { anonce, .. }) = &self.state else {
            return Err(Dropped::Unexpected {
                state: self.state.name(),
            });
        };
        let anonce = *anonce;
        let Ok(kd) = KeyData::parse(plain) else {
            self.fail(SupplicantFailure::BadKeyData);
            return Ok(());
        };
        if kd.rsne() != Some(&self.cfg.ap_rsne[..]) {
            self.fail(SupplicantFailure::IeMismatch);
            return Ok(());
        }
        if anonce != f.nonce {
            self.fail(SupplicantFailure::AnonceMismatch);
            return Ok(());
        }
        if f.key_length != CCMP_KEY_LEN {
            self.fail(SupplicantFailure::KeyLength(f.key_length));
            return Ok(());
        }
        let Some(gtk_kde) = kd.gtk() else {
            self.fail(SupplicantFailure::BadKeyData);
            return Ok(());
        };
        self.send_msg4(f.replay_counter, secure, &ptk)?;
        self.renew_snonce = true;
        if f.key_info.install() {
            self.outputs
                .push_back(SupplicantOutput::InstallPtk { tk: ptk.tk.clone() });
        }
        let gtk = Gtk::from_slice(gtk_kde.key);
        self.outputs.push_back(SupplicantOutput::InstallGtk {
            gtk: gtk.clone(),
            key_idx: gtk_kde.key_id,
            rsc: message::rsc48(f),
        });
        if let Some(alloc) = kd.ip_allocation() {
            self.outputs
                .push_back(SupplicantOutput::IpAllocation(alloc));
        }
        if secure {
            self.outputs.push_back(SupplicantOutput::Authorized);
        }
        tracing::info!(counter = f.replay_counter, "4-way handshake complete");
        self.deadline = None;
        self.state = State::Established(Keys {
            anonce,
            ptk,
            gtk: Some((gtk_kde.key_id, gtk)),
        });
        Ok(())
    }

    fn send_msg4(&mut self, counter: u64, secure: bool, ptk: &Ptk) -> Result<(), Dropped> {
        match message::msg4(self.cfg.eapol_version, counter, secure, &ptk.kck) {
            Ok(pdu) => {
                self.outputs.push_back(SupplicantOutput::SendEapol(pdu));
                Ok(())
            }
            Err(_) => {
                self.fail(SupplicantFailure::Internal);
                Ok(())
            }
        }
    }

    fn on_group1(&mut self, f: &KeyFrame<'_>, plain: &[u8]) -> Result<(), Dropped> {
        let (State::Established(Keys { ptk, gtk: installed, .. }) | State::Rekeying { keys: Keys { ptk, gtk: installed, .. }, .. }) = &mut self.state
        else {
            return Err(Dropped::Unexpected {
                state: "not established",
            });
        };
        let kd = KeyData::parse(plain)?;
        let kde = kd.gtk().ok_or(Dropped::MissingKde("GTK"))?;
        let gtk = Gtk::from_slice(kde.key);
        let fresh = installed
            .as_ref()
            .is_none_or(|(idx, g)| *idx != kde.key_id || *g != gtk);
        let Ok(pdu) = message::group2(self.cfg.eapol_version, f.replay_counter, &ptk.kck) else {
            self.fail(SupplicantFailure::Internal);
            return Ok(());
        };
        self.outputs.push_back(SupplicantOutput::SendEapol(pdu));
        if fresh {
            *installed = Some((kde.key_id, gtk.clone()));
            self.outputs.push_back(SupplicantOutput::InstallGtk {
                gtk,
                key_idx: kde.key_id,
                rsc: message::rsc48(f),
            });
            tracing::info!(key_idx = kde.key_id, "group key handshake: new GTK");
        } else {
            tracing::debug!(
                key_idx = kde.key_id,
                "group key handshake: GTK already installed"
            );
        }
        Ok(())
    }
}
