//! EAPOL wire formats: the IEEE 802.1X header, the EAPOL-Key frame, the key
//! data elements (KDEs) it carries and the RSN element.
//!
//! Every parser works on bytes from the air and returns a typed error instead
//! of panicking. Integers in the 802.1X header and the EAPOL-Key frame are
//! BIG-endian (IEEE 802.1X-2010 11.3, IEEE 802.11-2020 12.7.2); the RSN element
//! counts and capabilities are little-endian (9.4.2.24) like every 802.11 field.

mod kde;
mod key;
mod rsne;

pub use kde::{
    GtkKde, IpAllocation, KeyData, KeyDataBuilder, KeyDataElement, KeyDataError, OUI_IEEE, OUI_WFA,
};
pub use key::{
    DescriptorType, KEY_FRAME_MIN_LEN, KeyFrame, KeyFrameError, KeyInfo, MIC_LEN, MIC_OFFSET,
    NONCE_LEN, Nonce,
};
pub use rsne::{AkmSuite, CipherSuite, RsnCapabilities, RsnElement, RsnElementError};

use thiserror::Error;

/// EtherType of EAPOL frames (IEEE 802.1X-2010 11.1): 0x888E.
pub const ETHERTYPE_EAPOL: u16 = 0x888e;

/// Length of the 802.1X header: version, packet type, body length (BE16).
pub const EAPOL_HEADER_LEN: usize = 4;

/// IEEE 802.1X protocol version 1 (802.1X-2001): wpa_supplicant's default.
pub const EAPOL_VERSION_2001: u8 = 1;
/// IEEE 802.1X protocol version 2 (802.1X-2004): hostapd's default.
pub const EAPOL_VERSION_2004: u8 = 2;

/// EAPOL packet type (IEEE 802.1X-2010 Table 11-3). Unknown values survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketType {
    /// 0: EAP-Packet.
    EapPacket,
    /// 1: EAPOL-Start.
    Start,
    /// 2: EAPOL-Logoff.
    Logoff,
    /// 3: EAPOL-Key.
    Key,
    /// Any other value (ASF alert, MKA, announcements...).
    Other(u8),
}

impl From<u8> for PacketType {
    fn from(v: u8) -> Self {
        match v {
            0 => Self::EapPacket,
            1 => Self::Start,
            2 => Self::Logoff,
            3 => Self::Key,
            other => Self::Other(other),
        }
    }
}

impl From<PacketType> for u8 {
    fn from(t: PacketType) -> u8 {
        match t {
            PacketType::EapPacket => 0,
            PacketType::Start => 1,
            PacketType::Logoff => 2,
            PacketType::Key => 3,
            PacketType::Other(v) => v,
        }
    }
}

/// Why bytes are not an EAPOL PDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EapolError {
    /// Fewer than the 4 header bytes.
    #[error("EAPOL frame shorter than its 4-byte header ({0} bytes)")]
    TruncatedHeader(usize),
    /// The header announces more body than the frame holds.
    #[error("EAPOL body length {declared} exceeds the {available} bytes present")]
    TruncatedBody {
        /// Body length from the header.
        declared: usize,
        /// Bytes after the header.
        available: usize,
    },
}

/// A read-only view of an EAPOL PDU whose header length has been checked.
///
/// Bytes after the announced body (Ethernet padding) are ignored, as 802.1X
/// requires.
#[derive(Debug, Clone, Copy)]
pub struct EapolPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> EapolPacket<T> {
    /// Wraps `buffer` after checking the header and the body length.
    pub fn new_checked(buffer: T) -> Result<Self, EapolError> {
        let b = buffer.as_ref();
        if b.len() < EAPOL_HEADER_LEN {
            return Err(EapolError::TruncatedHeader(b.len()));
        }
        let declared = usize::from(u16::from_be_bytes([b[2], b[3]]));
        let available = b.len() - EAPOL_HEADER_LEN;
        if declared > available {
            return Err(EapolError::TruncatedBody {
                declared,
                available,
            });
        }
        Ok(Self { buffer })
    }

    /// Protocol version (1 = 802.1X-2001, 2 = 802.1X-2004, 3 = 802.1X-2010).
    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[0]
    }

    /// Packet type.
    pub fn packet_type(&self) -> PacketType {
        PacketType::from(self.buffer.as_ref()[1])
    }

    /// Body length from the header (BE16).
    pub fn body_len(&self) -> usize {
        let b = self.buffer.as_ref();
        usize::from(u16::from_be_bytes([b[2], b[3]]))
    }

    /// The body, without any trailing padding.
    pub fn body(&self) -> &[u8] {
        let len = self.body_len();
        &self.buffer.as_ref()[EAPOL_HEADER_LEN..EAPOL_HEADER_LEN + len]
    }

    /// Header and body, without any trailing padding: the bytes a MIC covers.
    pub fn pdu(&self) -> &[u8] {
        let len = self.body_len();
        &self.buffer.as_ref()[..EAPOL_HEADER_LEN + len]
    }
}

/// An EAPOL PDU in high-level form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EapolRepr<'a> {
    /// Protocol version.
    pub version: u8,
    /// Packet type.
    pub packet_type: PacketType,
    /// Body (EAP packet, EAPOL-Key descriptor, or empty for Start/Logoff).
    pub body: &'a [u8],
}

impl<'a> EapolRepr<'a> {
    /// Parses a checked packet.
    pub fn parse(packet: &EapolPacket<&'a [u8]>) -> Self {
        let b: &'a [u8] = packet.buffer;
        let len = usize::from(u16::from_be_bytes([b[2], b[3]]));
        Self {
            version: b[0],
            packet_type: PacketType::from(b[1]),
            body: &b[EAPOL_HEADER_LEN..EAPOL_HEADER_LEN + len],
        }
    }

    /// Parses raw bytes.
    pub fn parse_bytes(bytes: &'a [u8]) -> Result<Self, EapolError> {
        let p = EapolPacket::new_checked(bytes)?;
        let len = p.body_len();
        Ok(Self {
            version: bytes[0],
            packet_type: PacketType::from(bytes[1]),
            body: &bytes[EAPOL_HEADER_LEN..EAPOL_HEADER_LEN + len],
        })
    }

    /// Bytes [`emit`](Self::emit) writes.
    pub fn buffer_len(&self) -> usize {
        EAPOL_HEADER_LEN + self.body.len()
    }

    /// Writes the PDU into the start of `buf`.
    ///
    /// # Errors
    /// [`EapolEmitError`] when `buf` is too small or the body exceeds 65535 bytes.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, EapolEmitError> {
        let len = u16::try_from(self.body.len()).map_err(|_| EapolEmitError::BodyTooLong)?;
        let total = self.buffer_len();
        let out = buf.get_mut(..total).ok_or(EapolEmitError::BufferTooSmall)?;
        out[0] = self.version;
        out[1] = self.packet_type.into();
        out[2..4].copy_from_slice(&len.to_be_bytes());
        out[4..].copy_from_slice(self.body);
        Ok(total)
    }

    /// Emits into a new vector.
    pub fn to_vec(&self) -> Result<Vec<u8>, EapolEmitError> {
        let mut v = vec![0; self.buffer_len()];
        self.emit(&mut v)?;
        Ok(v)
    }
}

/// Why an EAPOL PDU could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EapolEmitError {
    /// The output buffer is shorter than [`EapolRepr::buffer_len`].
    #[error("output buffer too small")]
    BufferTooSmall,
    /// The body does not fit the 16-bit length field.
    #[error("EAPOL body longer than 65535 bytes")]
    BodyTooLong,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_view_and_padding() {
        // EAPOL-Start as wpa_supplicant sends it (version 1, type 1, length 0),
        // followed by Ethernet padding that must be ignored.
        let bytes = [0x01, 0x01, 0x00, 0x00, 0xaa, 0xbb];
        let p = EapolPacket::new_checked(&bytes[..]).expect("valid");
        assert_eq!(p.version(), 1);
        assert_eq!(p.packet_type(), PacketType::Start);
        assert!(p.body().is_empty());
        assert_eq!(p.pdu(), &bytes[..4]);
    }

    #[test]
    fn header_errors() {
        assert_eq!(
            EapolPacket::new_checked(&[0x02, 0x03, 0x00][..]).err(),
            Some(EapolError::TruncatedHeader(3))
        );
        assert_eq!(
            EapolRepr::parse_bytes(&[0x02, 0x03, 0x00, 0x05, 1, 2]).err(),
            Some(EapolError::TruncatedBody {
                declared: 5,
                available: 2
            })
        );
    }

    #[test]
    fn repr_round_trip_into_poisoned_buffer() {
        let body = [1u8, 2, 3];
        let r = EapolRepr {
            version: 2,
            packet_type: PacketType::Other(5),
            body: &body,
        };
        let mut buf = [0xa5u8; 10];
        let n = r.emit(&mut buf).expect("fits");
        assert_eq!(&buf[..n], &[2, 5, 0, 3, 1, 2, 3]);
        assert_eq!(buf[n], 0xa5);
        assert_eq!(EapolRepr::parse_bytes(&buf[..n]), Ok(r));
        assert_eq!(r.emit(&mut [0u8; 6]), Err(EapolEmitError::BufferTooSmall));
        let pkt = EapolPacket::new_checked(&buf[..n]).expect("valid");
        assert_eq!(EapolRepr::parse(&pkt), r);
    }
}
