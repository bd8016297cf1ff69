//! The EAPOL-Key frame (IEEE 802.11-2020 12.7.2, Figure 12-32) for the
//! AKMs whose MIC is 16 bytes (PSK, 802.1X with SHA-1 or SHA-256).
//!
//! Layout after the 4-byte 802.1X header, all integers big-endian:
//! descriptor type (1), Key Information (2), Key Length (2), Key Replay
//! Counter (8), Key Nonce (32), EAPOL-Key IV (16), Key RSC (8), reserved (8),
//! Key MIC (16), Key Data Length (2), Key Data.

use super::{EAPOL_HEADER_LEN, EapolError, EapolPacket, PacketType};
use std::fmt;
use thiserror::Error;

/// Length of the Key Nonce field.
pub const NONCE_LEN: usize = 32;
/// Length of the Key MIC field for descriptor version 2 (HMAC-SHA1-128).
pub const MIC_LEN: usize = 16;
/// Offset of the Key MIC field from the start of the EAPOL PDU.
pub const MIC_OFFSET: usize = EAPOL_HEADER_LEN + 77;
/// Length of the fixed EAPOL-Key body (descriptor type .. Key Data Length): 95.
pub const KEY_BODY_FIXED_LEN: usize = 95;
/// Length of an EAPOL-Key PDU with empty key data (802.1X header included): 99.
pub const KEY_FRAME_MIN_LEN: usize = EAPOL_HEADER_LEN + KEY_BODY_FIXED_LEN;

/// A 32-byte ANonce or SNonce.
pub type Nonce = [u8; NONCE_LEN];

/// EAPOL-Key descriptor type (IEEE 802.11-2020 12.7.2 item a). Unknown values survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DescriptorType {
    /// 2: IEEE 802.11 (RSN) key descriptor.
    Rsn,
    /// 254: the pre-RSNA WPA descriptor.
    Wpa,
    /// Anything else.
    Other(u8),
}

impl From<u8> for DescriptorType {
    fn from(v: u8) -> Self {
        match v {
            2 => Self::Rsn,
            254 => Self::Wpa,
            other => Self::Other(other),
        }
    }
}

impl From<DescriptorType> for u8 {
    fn from(t: DescriptorType) -> u8 {
        match t {
            DescriptorType::Rsn => 2,
            DescriptorType::Wpa => 254,
            DescriptorType::Other(v) => v,
        }
    }
}

/// The Key Information field (IEEE 802.11-2020 Figure 12-33), kept as the raw
/// 16 bits so reserved bits survive a round trip.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyInfo(pub u16);

impl KeyInfo {
    /// Bits 0-2: key descriptor version.
    pub const VERSION_MASK: u16 = 0x0007;
    /// Descriptor version 1: HMAC-MD5 MIC, RC4 key data (TKIP).
    pub const VERSION_HMAC_MD5_RC4: u16 = 1;
    /// Descriptor version 2: HMAC-SHA1-128 MIC, AES key wrap (CCMP with PSK/802.1X).
    pub const VERSION_HMAC_SHA1_AES: u16 = 2;
    /// Descriptor version 3: AES-128-CMAC MIC, AES key wrap (SHA-256 AKMs).
    pub const VERSION_AES_128_CMAC: u16 = 3;
    /// Bit 3: Key Type, 1 = pairwise, 0 = group.
    pub const KEY_TYPE: u16 = 0x0008;
    /// Bits 4-5: key index (WPA group keys only; 0 in RSN).
    pub const KEY_INDEX_MASK: u16 = 0x0030;
    /// Bit 6: Install (pairwise).
    pub const INSTALL: u16 = 0x0040;
    /// Bit 7: Key Ack.
    pub const ACK: u16 = 0x0080;
    /// Bit 8: Key MIC.
    pub const MIC: u16 = 0x0100;
    /// Bit 9: Secure.
    pub const SECURE: u16 = 0x0200;
    /// Bit 10: Error.
    pub const ERROR: u16 = 0x0400;
    /// Bit 11: Request.
    pub const REQUEST: u16 = 0x0800;
    /// Bit 12: Encrypted Key Data.
    pub const ENCRYPTED_KEY_DATA: u16 = 0x1000;
    /// Bit 13: SMK Message.
    pub const SMK_MESSAGE: u16 = 0x2000;

    /// Key descriptor version (bits 0-2).
    pub fn descriptor_version(self) -> u16 {
        self.0 & Self::VERSION_MASK
    }
    /// True when every bit of `mask` is set.
    pub fn has(self, mask: u16) -> bool {
        self.0 & mask == mask
    }
    /// Key Type bit: pairwise (true) or group (false).
    pub fn pairwise(self) -> bool {
        self.has(Self::KEY_TYPE)
    }
    /// Key index bits 4-5.
    pub fn key_index(self) -> u8 {
        ((self.0 & Self::KEY_INDEX_MASK) >> 4) as u8
    }
    /// Install bit.
    pub fn install(self) -> bool {
        self.has(Self::INSTALL)
    }
    /// Key Ack bit.
    pub fn ack(self) -> bool {
        self.has(Self::ACK)
    }
    /// Key MIC bit.
    pub fn mic(self) -> bool {
        self.has(Self::MIC)
    }
    /// Secure bit.
    pub fn secure(self) -> bool {
        self.has(Self::SECURE)
    }
    /// Error bit.
    pub fn error(self) -> bool {
        self.has(Self::ERROR)
    }
    /// Request bit.
    pub fn request(self) -> bool {
        self.has(Self::REQUEST)
    }
    /// Encrypted Key Data bit.
    pub fn encrypted_key_data(self) -> bool {
        self.has(Self::ENCRYPTED_KEY_DATA)
    }
    /// SMK Message bit.
    pub fn smk_message(self) -> bool {
        self.has(Self::SMK_MESSAGE)
    }
}

impl fmt::Debug for KeyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyInfo({:#06x}: v{}", self.0, self.descriptor_version())?;
        for (bit, name) in [
            (Self::KEY_TYPE, "pairwise"),
            (Self::INSTALL, "install"),
            (Self::ACK, "ack"),
            (Self::MIC, "mic"),
            (Self::SECURE, "secure"),
            (Self::ERROR, "error"),
            (Self::REQUEST, "request"),
            (Self::ENCRYPTED_KEY_DATA, "encrypted"),
            (Self::SMK_MESSAGE, "smk"),
        ] {
            if self.has(bit) {
                write!(f, " {name}")?;
            }
        }
        if self.key_index() != 0 {
            write!(f, " idx={}", self.key_index())?;
        }
        f.write_str(")")
    }
}

/// Why bytes are not an EAPOL-Key frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum KeyFrameError {
    /// The 802.1X header is broken.
    #[error(transparent)]
    Eapol(#[from] EapolError),
    /// A valid EAPOL PDU of another type.
    #[error("not an EAPOL-Key frame (packet type {0:?})")]
    NotKey(PacketType),
    /// Shorter than the fixed EAPOL-Key fields.
    #[error("EAPOL-Key body of {0} bytes is shorter than the 95 fixed bytes")]
    TooShort(usize),
    /// The Key Data Length points past the body.
    #[error("key data length {declared} exceeds the {available} bytes present")]
    KeyDataOverflow {
        /// Key Data Length field.
        declared: usize,
        /// Bytes left in the body.
        available: usize,
    },
    /// The output buffer is too small, or the key data exceeds 65535 bytes.
    #[error("EAPOL-Key frame does not fit")]
    EmitOverflow,
}

/// An EAPOL-Key frame in high-level form, including its 802.1X header version.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyFrame<'a> {
    /// 802.1X protocol version of the enclosing PDU.
    pub protocol_version: u8,
    /// Descriptor type (2 for RSN).
    pub descriptor_type: DescriptorType,
    /// Key Information.
    pub key_info: KeyInfo,
    /// Key Length: pairwise cipher key length in messages 1 and 3, 0 otherwise.
    pub key_length: u16,
    /// Key Replay Counter (BE64).
    pub replay_counter: u64,
    /// Key Nonce.
    pub nonce: Nonce,
    /// EAPOL-Key IV (zero with descriptor version 2).
    pub iv: [u8; 16],
    /// Key RSC: the GTK's receive sequence counter, 6 used bytes, little-endian.
    pub rsc: [u8; 8],
    /// Reserved field (the Key ID in WPA); kept for round trips.
    pub reserved: [u8; 8],
    /// Key MIC.
    pub mic: [u8; MIC_LEN],
    /// Key Data (possibly AES-key-wrapped).
    pub key_data: &'a [u8],
}

impl fmt::Debug for KeyFrame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyFrame")
            .field("protocol_version", &self.protocol_version)
            .field("descriptor_type", &self.descriptor_type)
            .field("key_info", &self.key_info)
            .field("key_length", &self.key_length)
            .field("replay_counter", &self.replay_counter)
            .field("nonce", &Hex(&self.nonce))
            .field("rsc", &Hex(&self.rsc))
            .field("mic", &Hex(&self.mic))
            .field("key_data_len", &self.key_data.len())
            .finish()
    }
}

struct Hex<'a>(&'a [u8]);
impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

fn arr<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[at..at + N]);
    a
}

impl<'a> KeyFrame<'a> {
    /// A frame with every field zero but the ones given; the usual start of a builder.
    pub fn new(protocol_version: u8, key_info: KeyInfo, replay_counter: u64) -> Self {
        Self {
            protocol_version,
            descriptor_type: DescriptorType::Rsn,
            key_info,
            key_length: 0,
            replay_counter,
            nonce: [0; NONCE_LEN],
            iv: [0; 16],
            rsc: [0; 8],
            reserved: [0; 8],
            mic: [0; MIC_LEN],
            key_data: &[],
        }
    }

    /// Parses an EAPOL PDU (802.1X header included). Bytes after the
    /// announced body, and body bytes after the key data, are ignored.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, KeyFrameError> {
        let pkt = EapolPacket::new_checked(bytes)?;
        if pkt.packet_type() != PacketType::Key {
            return Err(KeyFrameError::NotKey(pkt.packet_type()));
        }
        let body_len = pkt.body_len();
        let b = &bytes[EAPOL_HEADER_LEN..EAPOL_HEADER_LEN + body_len];
        if b.len() < KEY_BODY_FIXED_LEN {
            return Err(KeyFrameError::TooShort(b.len()));
        }
        let declared = usize::from(u16::from_be_bytes([b[93], b[94]]));
        let available = b.len() - KEY_BODY_FIXED_LEN;
        if declared > available {
            return Err(KeyFrameError::KeyDataOverflow {
                declared,
                available,
            });
        }
        Ok(Self {
            protocol_version: bytes[0],
            descriptor_type: DescriptorType::from(b[0]),
            key_info: KeyInfo(u16::from_be_bytes([b[1], b[2]])),
            key_length: u16::from_be_bytes([b[3], b[4]]),
            replay_counter: u64::from_be_bytes(arr(b, 5)),
            nonce: arr(b, 13),
            iv: arr(b, 45),
            rsc: arr(b, 61),
            reserved: arr(b, 69),
            mic: arr(b, 77),
            key_data: &b[KEY_BODY_FIXED_LEN..KEY_BODY_FIXED_LEN + declared],
        })
    }

    /// Bytes [`emit`](Self::emit) writes: 99 + key data.
    pub fn buffer_len(&self) -> usize {
        KEY_FRAME_MIN_LEN + self.key_data.len()
    }

    /// Writes the whole EAPOL PDU into the start of `buf`; returns its length.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, KeyFrameError> {
        let total = self.buffer_len();
        let kd_len = u16::try_from(self.key_data.len()).map_err(|_| KeyFrameError::EmitOverflow)?;
        let body_len =
            u16::try_from(total - EAPOL_HEADER_LEN).map_err(|_| KeyFrameError::EmitOverflow)?;
        let out = buf.get_mut(..total).ok_or(KeyFrameError::EmitOverflow)?;
        out[0] = self.protocol_version;
        out[1] = PacketType::Key.into();
        out[2..4].copy_from_slice(&body_len.to_be_bytes());
        let b = &mut out[EAPOL_HEADER_LEN..];
        b[0] = self.descriptor_type.into();
        b[1..3].copy_from_slice(&self.key_info.0.to_be_bytes());
        b[3..5].copy_from_slice(&self.key_length.to_be_bytes());
        b[5..13].copy_from_slice(&self.replay_counter.to_be_bytes());
        b[13..45].copy_from_slice(&self.nonce);
        b[45..61].copy_from_slice(&self.iv);
        b[61..69].copy_from_slice(&self.rsc);
        b[69..77].copy_from_slice(&self.reserved);
        b[77..93].copy_from_slice(&self.mic);
        b[93..95].copy_from_slice(&kd_len.to_be_bytes());
        b[95..].copy_from_slice(self.key_data);
        Ok(total)
    }

    /// Emits into a new vector.
    ///
    /// # Errors
    /// [`KeyFrameError::EmitOverflow`] when the key data exceeds the 16-bit length field.
    pub fn to_vec(&self) -> Result<Vec<u8>, KeyFrameError> {
        let mut v = vec![0; self.buffer_len()];
        self.emit(&mut v)?;
        Ok(v)
    }

    /// The Key RSC as a number (little-endian, IEEE 802.11-2020 12.7.2 item h).
    pub fn rsc_u64(&self) -> u64 {
        u64::from_le_bytes(self.rsc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Source: iwd unit/test-eapol.c `eapol_key_data_7` (IWDTestBot/iwd, commit
    // 08585fcb): a WPA2 message 1/4 sent by hostapd (AA 02:00:00:00:00:00).
    const IWD_MSG1: &str = "0203005f02008a00100000000000000001\
        2b5852b88e4ca34dc599ed202c63957c535e3efa92898734 11127cbaf3588425\
        00000000000000000000000000000000 0000000000000000 0000000000000000\
        00000000000000000000000000000000 0000";

    fn unhex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        hex::decode(s).expect("hex")
    }

    #[test]
    fn parses_hostapd_message_1() {
        let bytes = unhex(IWD_MSG1);
        let f = KeyFrame::parse(&bytes).expect("valid");
        assert_eq!(f.protocol_version, 2);
        assert_eq!(f.descriptor_type, DescriptorType::Rsn);
        assert_eq!(
            f.key_info.descriptor_version(),
            KeyInfo::VERSION_HMAC_SHA1_AES
        );
        assert!(f.key_info.pairwise() && f.key_info.ack());
        assert!(!f.key_info.mic() && !f.key_info.secure() && !f.key_info.install());
        assert_eq!(f.key_length, 16);
        assert_eq!(f.replay_counter, 1);
        assert_eq!(f.nonce[0], 0x2b);
        assert_eq!(f.nonce[31], 0x25);
        assert!(f.key_data.is_empty());
        let mut out = vec![0xa5; bytes.len() + 3];
        let n = f.emit(&mut out).expect("fits");
        assert_eq!(&out[..n], &bytes[..]);
        assert_eq!(&out[n..], &[0xa5; 3]);
    }

    #[test]
    fn rejects_broken_frames() {
        let mut bytes = unhex(IWD_MSG1);
        assert_eq!(
            KeyFrame::parse(&bytes[..94]).err(),
            Some(KeyFrameError::Eapol(EapolError::TruncatedBody {
                declared: 95,
                available: 90
            }))
        );
        // Key data length 1 with nothing after it.
        bytes[98] = 1;
        assert_eq!(
            KeyFrame::parse(&bytes).err(),
            Some(KeyFrameError::KeyDataOverflow {
                declared: 1,
                available: 0
            })
        );
        bytes[98] = 0;
        bytes[1] = 0; // EAP-Packet
        assert_eq!(
            KeyFrame::parse(&bytes).err(),
            Some(KeyFrameError::NotKey(PacketType::EapPacket))
        );
        // A short body that still has a consistent 802.1X length.
        let short = [2u8, 3, 0, 2, 2, 0];
        assert_eq!(
            KeyFrame::parse(&short).err(),
            Some(KeyFrameError::TooShort(2))
        );
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = KeyFrame::parse(&bytes);
        }

        #[test]
        fn emit_parse_round_trip(info in proptest::num::u16::ANY, ctr in proptest::num::u64::ANY,
                                 nonce in proptest::array::uniform32(proptest::num::u8::ANY),
                                 data in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let mut f = KeyFrame::new(2, KeyInfo(info), ctr);
            f.nonce = nonce;
            f.key_data = &data;
            let bytes = f.to_vec().expect("small");
            proptest::prop_assert_eq!(KeyFrame::parse(&bytes), Ok(f));
        }
    }
}
