//! EAPOL-Key wire format, key derivation, and the WPA2-PSK (CCMP) 4-way and
//! group key handshakes as sans-IO supplicant and authenticator machines.
//!
//! # Layout
//! - [`wire`]: the 802.1X header ([`wire::EapolPacket`], [`wire::EapolRepr`]),
//!   the EAPOL-Key frame ([`wire::KeyFrame`]), key data elements and KDEs
//!   ([`wire::KeyData`], [`wire::KeyDataBuilder`], including the P2P IP address
//!   request/allocation KDEs) and the RSN element ([`wire::RsnElement`]).
//! - [`crypto`]: PSK from passphrase, the SHA-1 PRF, [`crypto::Ptk`]
//!   (KCK/KEK/TK), Key MIC, AES key wrap. Secret types redact `Debug` and
//!   zeroize on drop.
//! - [`Supplicant`] (P2P client) and [`Authenticator`] (GO, one per station).
//! - [`RandomSource`]: injected randomness; [`SeededRandom`] is deterministic.
//!
//! # Driving a machine
//! Both machines follow the project's drive interface: feed
//! `handle_input(now, input)` / `handle_timeout(now)`, then drain
//! `poll_output()` until `None`, and arm a timer for `poll_timeout()`.
//! `handle_input` returns `Err(Dropped)` for a frame that was ignored (bad
//! MIC, replay, unexpected message): log it at debug level and carry on; the
//! machine did not change. Frames go out in `SendEapol` outputs as whole
//! EAPOL PDUs (802.1X header included) for EtherType [`wire::ETHERTYPE_EAPOL`],
//! sent unencrypted over the control port; a `SendEapol` always precedes the
//! `InstallPtk` it belongs to, so send before installing.
//!
//! ## Client (supplicant)
//! ```no_run
//! # use directd::eapol::*;
//! # use std::time::Instant;
//! # let (aa, spa) = (crypto::MacAddr([2, 0, 0, 0, 0, 0]), crypto::MacAddr([2, 0, 0, 0, 1, 0]));
//! # let (own_rsne, go_rsne) = (wire::RsnElement::wpa2_psk_ccmp().to_vec().unwrap(), vec![]);
//! # let seed = [0u8; 32];
//! # let frame_from_go: Vec<u8> = vec![];
//! let pmk = crypto::psk_from_passphrase("passphrase", b"DIRECT-xy").unwrap();
//! let cfg = SupplicantConfig::new(pmk, aa, spa, own_rsne, go_rsne);
//! let mut sup = Supplicant::new(cfg, Box::new(SeededRandom::new(seed)), Instant::now());
//! let _ = sup.handle_input(Instant::now(), SupplicantInput::Eapol(&frame_from_go));
//! while let Some(out) = sup.poll_output() {
//!     match out {
//!         SupplicantOutput::SendEapol(pdu) => { /* control port TX to aa */ }
//!         SupplicantOutput::InstallPtk { tk } => { /* NEW_KEY idx 0, pairwise, CCMP */ }
//!         SupplicantOutput::InstallGtk { gtk, key_idx, rsc } => { /* NEW_KEY group */ }
//!         SupplicantOutput::IpAllocation(a) => { /* configure a.ip/a.netmask */ }
//!         SupplicantOutput::Authorized => { /* SET_STATION authorized */ }
//!         SupplicantOutput::Failed(why) => { /* deauth with why.reason_code() */ }
//!     }
//! }
//! ```
//!
//! ## GO (authenticator)
//! One [`Authenticator`] per associated station, created when the station is
//! associated (after WPS, on the RSN re-association). It sends message 1 at
//! once. Set [`AuthenticatorConfig::ip_offer`] to the address reserved for
//! this station; the `Authorized { ip_allocation }` output says whether it was
//! handed out in message 3 (if `None`, release it and serve DHCP instead).
//! A group rekey is started with [`AuthenticatorInput::RekeyGroup`].
//!
//! ```no_run
//! # use directd::eapol::*;
//! # use std::time::Instant;
//! # fn f(pmk: crypto::Pmk, go_addr: crypto::MacAddr, sta: crypto::MacAddr, beacon_rsne: Vec<u8>,
//! #      assoc_req_rsne: Vec<u8>, reserved: wire::IpAllocation, rng: &mut SeededRandom,
//! #      frame_from_sta: &[u8]) {
//! let group = GroupKey { gtk: crypto::Gtk::from_slice(&[0x11; 16]), key_idx: 1, rsc: 0 };
//! let mut cfg = AuthenticatorConfig::new(pmk, go_addr, sta, beacon_rsne, assoc_req_rsne, group);
//! cfg.ip_offer = Some(reserved);
//! let mut auth = Authenticator::new(cfg, rng, Instant::now()); // message 1 is queued
//! let _ = auth.handle_input(Instant::now(), AuthenticatorInput::Eapol(frame_from_sta));
//! while let Some(out) = auth.poll_output() {
//!     match out {
//!         AuthenticatorOutput::SendEapol(pdu) => { /* control port TX to sta */ }
//!         AuthenticatorOutput::InstallPtk { tk } => { /* NEW_KEY idx 0 for sta */ }
//!         AuthenticatorOutput::Authorized { ip_allocation } => { /* authorize; lease or not */ }
//!         AuthenticatorOutput::GroupKeyDone { key_idx } => {}
//!         AuthenticatorOutput::Failed(why) => { /* deauth sta with why.reason_code() */ }
//!     }
//! }
//! // Arm a timer for auth.poll_timeout(); on expiry call auth.handle_timeout(now).
//! # }
//! ```
//!
//! # Scope and limits
//! WPA2-Personal only: AKM 00-0F-AC:2 (PSK, SHA-1), CCMP-128 pairwise and
//! group, key descriptor version 2. No PMF (IGTK/BIGTK), no TKIP/WPA1, no
//! 802.1X/EAP, no PTK rekey started by the authenticator (a supplicant does
//! answer one). The machines were checked byte for byte against hostapd
//! (iwd's captured frames) and wpa_supplicant (hwsim captures in
//! `src/eapol/captures/`).

pub mod crypto;
mod message;
mod random;
pub mod wire;

mod authenticator;
mod supplicant;

#[cfg(test)]
mod tests;

pub use authenticator::{
    Authenticator, AuthenticatorConfig, AuthenticatorFailure, AuthenticatorInput,
    AuthenticatorOutput, AuthenticatorStats, GroupKey,
};
pub use random::{RandomSource, ScriptedRandom, SeededRandom};
pub use supplicant::{
    Supplicant, SupplicantConfig, SupplicantFailure, SupplicantInput, SupplicantOutput,
    SupplicantStats,
};

use thiserror::Error;

/// The IEEE 802.11 reason code (IEEE 802.11-2020 Table 9-49) of the deauthentication
/// that follows a failed handshake: the workspace's one reason-code type.
pub use crate::ieee80211::ReasonCode;

/// Why a received EAPOL frame was ignored. The machine is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Dropped {
    /// Not a well-formed EAPOL-Key frame.
    #[error("malformed: {0}")]
    Malformed(#[from] wire::KeyFrameError),
    /// Not the RSN key descriptor.
    #[error("descriptor type {0:?} is not RSN")]
    NotRsn(wire::DescriptorType),
    /// A key descriptor version other than 2 (HMAC-SHA1/AES).
    #[error("key descriptor version {0} not supported")]
    DescriptorVersion(u16),
    /// Key Information bits that do not make a message this side accepts.
    #[error("unexpected key information {0:?}")]
    UnexpectedKeyInfo(wire::KeyInfo),
    /// The Replay Counter did not increase, or matches no frame we sent.
    #[error("replay counter {counter} not acceptable")]
    Replay {
        /// The frame's counter.
        counter: u64,
    },
    /// The Key MIC did not verify.
    #[error("bad MIC")]
    BadMic,
    /// A valid message that this state does not wait for.
    #[error("message not expected in state {state}")]
    Unexpected {
        /// State name.
        state: &'static str,
    },
    /// The key data could not be unwrapped.
    #[error("key data: {0}")]
    KeyWrap(crypto::CryptoError),
    /// The key data elements could not be read.
    #[error("key data: {0}")]
    KeyData(#[from] wire::KeyDataError),
    /// A required KDE is missing.
    #[error("{0} KDE missing")]
    MissingKde(&'static str),
    /// The machine has failed or finished; nothing more is accepted.
    #[error("handshake already failed")]
    Finished,
}
