//! The six EAPOL-Key messages of the 4-way and group key handshakes for
//! WPA2-PSK/CCMP (IEEE 802.11-2020 12.7.6.2-12.7.6.5, 12.7.7): how each is
//! built, and how a received frame is told apart. Both state machines use
//! these, so the two sides cannot disagree on a bit.

use crate::eapol::crypto::{Kck, sign_pdu};
use crate::eapol::wire::{DescriptorType, KeyFrame, KeyFrameError, KeyInfo, Nonce};

/// Key descriptor version 2: HMAC-SHA1-128 MIC, AES key wrap (CCMP with PSK).
pub(crate) const KEY_VERSION: u16 = KeyInfo::VERSION_HMAC_SHA1_AES;
/// Key Length of CCMP-128, carried in messages 1/4, 3/4 and group 1/2.
pub(crate) const CCMP_KEY_LEN: u16 = 16;

/// What a received EAPOL-Key frame is, from its Key Information bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 4-way message 1: pairwise, Ack, no MIC.
    Msg1,
    /// 4-way message 2: pairwise, MIC, no Ack, key data present.
    Msg2,
    /// 4-way message 3: pairwise, Ack, MIC (and Install, Secure, encrypted data).
    Msg3,
    /// 4-way message 4: pairwise, MIC, no Ack, no key data.
    Msg4,
    /// Group key handshake message 1: group, Ack, MIC, encrypted data.
    Group1,
    /// Group key handshake message 2: group, MIC, no Ack.
    Group2,
}

/// Sorts a frame the way hostapd (`wpa_receive`) and wpa_supplicant
/// (`wpa_sm_rx_eapol`) do; `None` for combinations neither side accepts
/// (requests, SMK messages, group frames without MIC).
pub(crate) fn classify(f: &KeyFrame<'_>) -> Option<Kind> {
    let ki = f.key_info;
    if ki.request() || ki.smk_message() {
        return None;
    }
    Some(match (ki.pairwise(), ki.ack(), ki.mic()) {
        (true, true, false) => Kind::Msg1,
        (true, true, true) => Kind::Msg3,
        (true, false, true) if f.key_data.is_empty() => Kind::Msg4,
        (true, false, true) => Kind::Msg2,
        (false, true, true) => Kind::Group1,
        (false, false, true) => Kind::Group2,
        _ => return None,
    })
}

fn frame(version: u8, info: u16, counter: u64) -> KeyFrame<'static> {
    let mut f = KeyFrame::new(version, KeyInfo(KEY_VERSION | info), counter);
    f.descriptor_type = DescriptorType::Rsn;
    f
}

fn signed(f: &KeyFrame<'_>, kck: &Kck) -> Result<Vec<u8>, KeyFrameError> {
    let mut pdu = f.to_vec()?;
    if !sign_pdu(kck, &mut pdu) {
        return Err(KeyFrameError::EmitOverflow);
    }
    Ok(pdu)
}

/// Message 1: ANonce, Key Length 16, no MIC, no key data.
pub(crate) fn msg1(version: u8, counter: u64, anonce: &Nonce) -> Result<Vec<u8>, KeyFrameError> {
    let mut f = frame(version, KeyInfo::KEY_TYPE | KeyInfo::ACK, counter);
    f.key_length = CCMP_KEY_LEN;
    f.nonce = *anonce;
    f.to_vec()
}

/// Message 2: SNonce, the supplicant's RSN element (and KDEs) in clear, MIC.
/// Key Length 0 as wpa_supplicant sends it for RSN; Secure when a PTK is
/// already in place (rekey).
pub(crate) fn msg2(
    version: u8,
    counter: u64,
    snonce: &Nonce,
    key_data: &[u8],
    secure: bool,
    kck: &Kck,
) -> Result<Vec<u8>, KeyFrameError> {
    let secure = if secure { KeyInfo::SECURE } else { 0 };
    let mut f = frame(version, KeyInfo::KEY_TYPE | KeyInfo::MIC | secure, counter);
    f.nonce = *snonce;
    f.key_data = key_data;
    signed(&f, kck)
}

/// Message 3: ANonce, GTK RSC, wrapped key data (RSN element, GTK KDE, ...), MIC.
pub(crate) fn msg3(
    version: u8,
    counter: u64,
    anonce: &Nonce,
    rsc: u64,
    wrapped_key_data: &[u8],
    kck: &Kck,
) -> Result<Vec<u8>, KeyFrameError> {
    let info = KeyInfo::KEY_TYPE
        | KeyInfo::INSTALL
        | KeyInfo::ACK
        | KeyInfo::MIC
        | KeyInfo::SECURE
        | KeyInfo::ENCRYPTED_KEY_DATA;
    let mut f = frame(version, info, counter);
    f.key_length = CCMP_KEY_LEN;
    f.nonce = *anonce;
    f.rsc = rsc.to_le_bytes();
    f.key_data = wrapped_key_data;
    signed(&f, kck)
}

/// Message 4: MIC only; Secure copied from message 3.
pub(crate) fn msg4(
    version: u8,
    counter: u64,
    secure: bool,
    kck: &Kck,
) -> Result<Vec<u8>, KeyFrameError> {
    let secure = if secure { KeyInfo::SECURE } else { 0 };
    let f = frame(version, KeyInfo::KEY_TYPE | KeyInfo::MIC | secure, counter);
    signed(&f, kck)
}

/// Group message 1: GTK RSC, wrapped GTK KDE, MIC, Secure.
pub(crate) fn group1(
    version: u8,
    counter: u64,
    rsc: u64,
    wrapped_key_data: &[u8],
    kck: &Kck,
) -> Result<Vec<u8>, KeyFrameError> {
    let info = KeyInfo::ACK | KeyInfo::MIC | KeyInfo::SECURE | KeyInfo::ENCRYPTED_KEY_DATA;
    let mut f = frame(version, info, counter);
    f.key_length = CCMP_KEY_LEN;
    f.rsc = rsc.to_le_bytes();
    f.key_data = wrapped_key_data;
    signed(&f, kck)
}

/// Group message 2: MIC and Secure only.
pub(crate) fn group2(version: u8, counter: u64, kck: &Kck) -> Result<Vec<u8>, KeyFrameError> {
    let f = frame(version, KeyInfo::MIC | KeyInfo::SECURE, counter);
    signed(&f, kck)
}

/// The 48-bit GTK receive sequence counter carried in a Key RSC field.
pub(crate) fn rsc48(f: &KeyFrame<'_>) -> u64 {
    f.rsc_u64() & 0xffff_ffff_ffff
}
