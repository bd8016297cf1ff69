//! Frame Control and the management frame MAC header.
//!
//! IEEE Std 802.11-2020, 9.2.4.1 (Frame Control), 9.2.4.4 (Sequence Control) and
//! 9.3.3.2 (management frame format): FC (2) | Duration (2) | Address 1..3 (6 each) |
//! Sequence Control (2) | HT Control (4, only when the +HTC/Order bit is set) | body.
//! All fields little-endian.

use super::cursor::Writer;
use super::macros::named_values;
use super::{Error, MacAddr};

/// Length of the management header without HT Control.
pub const MGMT_HEADER_LEN: usize = 24;

named_values! {
    /// Frame type, bits 2-3 of Frame Control (9.2.4.1.3, Table 9-1).
    FrameType(u8) {
        /// Management.
        MANAGEMENT = 0,
        /// Control.
        CONTROL = 1,
        /// Data.
        DATA = 2,
        /// Extension.
        EXTENSION = 3,
    }
}

named_values! {
    /// Management frame subtype, bits 4-7 of Frame Control (9.2.4.1.3, Table 9-1).
    MgmtSubtype(u8) {
        /// Association Request.
        ASSOC_REQ = 0,
        /// Association Response.
        ASSOC_RESP = 1,
        /// Reassociation Request.
        REASSOC_REQ = 2,
        /// Reassociation Response.
        REASSOC_RESP = 3,
        /// Probe Request.
        PROBE_REQ = 4,
        /// Probe Response.
        PROBE_RESP = 5,
        /// Beacon.
        BEACON = 8,
        /// ATIM.
        ATIM = 9,
        /// Disassociation.
        DISASSOC = 10,
        /// Authentication.
        AUTH = 11,
        /// Deauthentication.
        DEAUTH = 12,
        /// Action.
        ACTION = 13,
        /// Action No Ack.
        ACTION_NO_ACK = 14,
    }
}

impl MgmtSubtype {
    /// The 16-bit frame type value nl80211 uses for frame registration
    /// (`NL80211_ATTR_FRAME_TYPE`): `subtype << 4` with type management, e.g. 0x00d0.
    pub fn frame_type_value(self) -> u16 {
        u16::from(self.0 & 0x0f) << 4
    }
}

/// The Frame Control field (9.2.4.1), a little-endian u16 on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FrameControl(pub u16);

impl FrameControl {
    /// To DS.
    pub const TO_DS: u16 = 0x0100;
    /// From DS.
    pub const FROM_DS: u16 = 0x0200;
    /// More Fragments.
    pub const MORE_FRAGMENTS: u16 = 0x0400;
    /// Retry.
    pub const RETRY: u16 = 0x0800;
    /// Power Management.
    pub const POWER_MGMT: u16 = 0x1000;
    /// More Data.
    pub const MORE_DATA: u16 = 0x2000;
    /// Protected Frame.
    pub const PROTECTED: u16 = 0x4000;
    /// +HTC/Order: an HT Control field follows the header (management frames).
    pub const ORDER: u16 = 0x8000;

    /// A management frame control word with no flags set.
    pub fn management(subtype: MgmtSubtype) -> Self {
        FrameControl(u16::from(subtype.0 & 0x0f) << 4)
    }

    /// Protocol version (bits 0-1); 0 for every frame this code handles.
    pub fn version(self) -> u8 {
        (self.0 & 0x3) as u8
    }

    /// Frame type (bits 2-3).
    pub fn frame_type(self) -> FrameType {
        FrameType(((self.0 >> 2) & 0x3) as u8)
    }

    /// Subtype (bits 4-7).
    pub fn subtype(self) -> u8 {
        ((self.0 >> 4) & 0xf) as u8
    }

    /// Whether all of `flag`'s bits are set.
    pub fn has(self, flag: u16) -> bool {
        self.0 & flag == flag
    }
}

/// The Sequence Control field (9.2.4.4): fragment number (bits 0-3) and sequence
/// number (bits 4-15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SequenceControl(pub u16);

impl SequenceControl {
    /// Builds the field from a 12-bit sequence number and a 4-bit fragment number.
    pub fn new(sequence: u16, fragment: u8) -> Self {
        SequenceControl(((sequence & 0x0fff) << 4) | u16::from(fragment & 0x0f))
    }

    /// The sequence number.
    pub fn sequence(self) -> u16 {
        self.0 >> 4
    }

    /// The fragment number.
    pub fn fragment(self) -> u8 {
        (self.0 & 0x0f) as u8
    }
}

/// A read (or write) view of a management frame in a buffer.
///
/// `new_checked` verifies the buffer holds a full header; after that every accessor
/// is infallible.
#[derive(Debug, Clone)]
pub struct MgmtFrame<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> MgmtFrame<T> {
    /// Wraps a buffer without checking it; accessors may panic until
    /// [`check_len`](Self::check_len) has succeeded. Prefer [`new_checked`](Self::new_checked).
    pub fn new_unchecked(buffer: T) -> Self {
        MgmtFrame { buffer }
    }

    /// Wraps a buffer after checking it is a management frame with a complete header.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        let f = Self::new_unchecked(buffer);
        f.check_len()?;
        Ok(f)
    }

    /// Checks that the buffer holds a complete management header (including HT
    /// Control when +HTC/Order is set) and that the frame type is management.
    pub fn check_len(&self) -> Result<(), Error> {
        let b = self.buffer.as_ref();
        if b.len() < 2 {
            return Err(Error::Truncated("frame control"));
        }
        let fc = FrameControl(u16::from_le_bytes([b[0], b[1]]));
        if fc.frame_type() != FrameType::MANAGEMENT {
            return Err(Error::NotManagement(fc.frame_type().0));
        }
        if fc.version() != 0 {
            return Err(Error::Malformed("protocol version"));
        }
        if b.len() < self.header_len() {
            return Err(Error::Truncated("management header"));
        }
        Ok(())
    }

    /// Consumes the view, returning the buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn le16_at(&self, at: usize) -> u16 {
        let b = self.buffer.as_ref();
        u16::from_le_bytes([b[at], b[at + 1]])
    }

    fn addr_at(&self, at: usize) -> MacAddr {
        let mut a = [0u8; 6];
        a.copy_from_slice(&self.buffer.as_ref()[at..at + 6]);
        MacAddr(a)
    }

    /// Frame Control.
    pub fn frame_control(&self) -> FrameControl {
        FrameControl(self.le16_at(0))
    }

    /// Header length: 24, or 28 with HT Control.
    pub fn header_len(&self) -> usize {
        let b = self.buffer.as_ref();
        let order = b.len() >= 2 && b[1] & 0x80 != 0;
        if order {
            MGMT_HEADER_LEN + 4
        } else {
            MGMT_HEADER_LEN
        }
    }

    /// Duration/ID.
    pub fn duration(&self) -> u16 {
        self.le16_at(2)
    }

    /// Address 1: receiver (DA).
    pub fn addr1(&self) -> MacAddr {
        self.addr_at(4)
    }

    /// Address 2: transmitter (SA).
    pub fn addr2(&self) -> MacAddr {
        self.addr_at(10)
    }

    /// Address 3: BSSID.
    pub fn addr3(&self) -> MacAddr {
        self.addr_at(16)
    }

    /// Sequence Control.
    pub fn seq_ctrl(&self) -> SequenceControl {
        SequenceControl(self.le16_at(22))
    }

    /// HT Control, when +HTC/Order is set.
    pub fn ht_control(&self) -> Option<u32> {
        if self.header_len() == MGMT_HEADER_LEN {
            return None;
        }
        let b = &self.buffer.as_ref()[24..28];
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The frame body (after the header).
    pub fn body(&self) -> &[u8] {
        &self.buffer.as_ref()[self.header_len()..]
    }
}

/// The parsed management header. The frame subtype is not stored here: it comes from
/// the body variant ([`super::MgmtBody`]), so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MgmtHeader {
    /// Frame Control flag bits (bits 8-15: ToDS .. Protected), without +HTC/Order, which
    /// follows `ht_control`.
    pub flags: u16,
    /// Duration/ID.
    pub duration: u16,
    /// Address 1 (receiver / destination).
    pub addr1: MacAddr,
    /// Address 2 (transmitter / source).
    pub addr2: MacAddr,
    /// Address 3 (BSSID).
    pub addr3: MacAddr,
    /// Sequence Control.
    pub seq_ctrl: SequenceControl,
    /// HT Control field, present iff +HTC/Order is set.
    pub ht_control: Option<u32>,
}

impl MgmtHeader {
    /// A header with no flags: `da`, `sa`, `bssid`.
    pub fn new(da: MacAddr, sa: MacAddr, bssid: MacAddr) -> Self {
        MgmtHeader {
            addr1: da,
            addr2: sa,
            addr3: bssid,
            ..Default::default()
        }
    }

    /// Reads the header from a checked view; returns it with the subtype.
    pub fn parse<T: AsRef<[u8]>>(frame: &MgmtFrame<T>) -> Result<(MgmtSubtype, Self), Error> {
        frame.check_len()?;
        let fc = frame.frame_control();
        let hdr = MgmtHeader {
            flags: fc.0 & 0x7f00,
            duration: frame.duration(),
            addr1: frame.addr1(),
            addr2: frame.addr2(),
            addr3: frame.addr3(),
            seq_ctrl: frame.seq_ctrl(),
            ht_control: frame.ht_control(),
        };
        Ok((MgmtSubtype(fc.subtype()), hdr))
    }

    /// Whether the Protected Frame bit is set.
    pub fn is_protected(&self) -> bool {
        self.flags & FrameControl::PROTECTED != 0
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        MGMT_HEADER_LEN + if self.ht_control.is_some() { 4 } else { 0 }
    }

    /// Writes the header for `subtype` at the start of `buf`; returns bytes written.
    pub fn emit(&self, subtype: MgmtSubtype, buf: &mut [u8]) -> Result<usize, Error> {
        let mut w = Writer::new(buf);
        let mut fc = FrameControl::management(subtype).0 | (self.flags & 0x7f00);
        if self.ht_control.is_some() {
            fc |= FrameControl::ORDER;
        }
        w.le16(fc)?;
        w.le16(self.duration)?;
        w.bytes(&self.addr1.0)?;
        w.bytes(&self.addr2.0)?;
        w.bytes(&self.addr3.0)?;
        w.le16(self.seq_ctrl.0)?;
        if let Some(h) = self.ht_control {
            w.le32(h)?;
        }
        Ok(w.written())
    }
}
