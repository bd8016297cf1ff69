//! P2P attributes (spec 4.1.1): Attribute ID (1) | Length (2, LITTLE-endian) | body.

use super::Error;
use super::consts::{
    AttributeId, DeviceCapability, GroupCapability, InvitationFlags, Manageability, MinorReason,
    P2pStatus,
};
use super::types::{
    Capability, Channel, ChannelList, ClientInfo, ConfigTimeout, DeviceInfo, ExtListenTiming,
    GoIntent, GroupId, NoticeOfAbsence, P2pInterface,
};
use crate::ieee80211::cursor::{Reader, Writer};
use crate::ieee80211::{Error as WireError, MacAddr};

/// Attribute header length: ID (1) + length (2).
pub const ATTR_HEADER_LEN: usize = 3;

/// One P2P attribute. Attributes this code does not interpret (P2PS, OOB GO
/// negotiation channel, vendor specific) are kept as [`Attribute::Other`] and
/// survive a round trip.
///
/// Parsing follows hostap `p2p_parse.c`: a body shorter than its fixed fields is an
/// error; bytes after the fields an attribute defines are ignored. An empty Listen
/// or Operating Channel (seen from some devices, tolerated by hostap) is kept as
/// `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Attribute {
    /// Status (0).
    Status(P2pStatus),
    /// Minor Reason Code (1).
    MinorReason(MinorReason),
    /// P2P Capability (2).
    Capability(Capability),
    /// P2P Device ID (3).
    DeviceId(MacAddr),
    /// Group Owner Intent (4).
    GoIntent(GoIntent),
    /// Configuration Timeout (5).
    ConfigTimeout(ConfigTimeout),
    /// Listen Channel (6).
    ListenChannel(Channel),
    /// P2P Group BSSID (7).
    GroupBssid(MacAddr),
    /// Extended Listen Timing (8).
    ExtListenTiming(ExtListenTiming),
    /// Intended P2P Interface Address (9).
    IntendedInterfaceAddr(MacAddr),
    /// P2P Manageability (10).
    Manageability(Manageability),
    /// Channel List (11).
    ChannelList(ChannelList),
    /// Notice of Absence (12).
    NoticeOfAbsence(NoticeOfAbsence),
    /// P2P Device Info (13).
    DeviceInfo(DeviceInfo),
    /// P2P Group Info (14): one descriptor per client.
    GroupInfo(Vec<ClientInfo>),
    /// P2P Group ID (15).
    GroupId(GroupId),
    /// P2P Interface (16).
    Interface(P2pInterface),
    /// Operating Channel (17).
    OperatingChannel(Channel),
    /// Invitation Flags (18).
    InvitationFlags(InvitationFlags),
    /// Any other attribute, body kept raw.
    Other {
        /// Attribute ID.
        id: AttributeId,
        /// Body.
        body: Vec<u8>,
    },
}

impl Attribute {
    /// The attribute ID this attribute is sent with.
    pub fn id(&self) -> AttributeId {
        match self {
            Attribute::Status(_) => AttributeId::STATUS,
            Attribute::MinorReason(_) => AttributeId::MINOR_REASON,
            Attribute::Capability(_) => AttributeId::CAPABILITY,
            Attribute::DeviceId(_) => AttributeId::DEVICE_ID,
            Attribute::GoIntent(_) => AttributeId::GO_INTENT,
            Attribute::ConfigTimeout(_) => AttributeId::CONFIG_TIMEOUT,
            Attribute::ListenChannel(_) => AttributeId::LISTEN_CHANNEL,
            Attribute::GroupBssid(_) => AttributeId::GROUP_BSSID,
            Attribute::ExtListenTiming(_) => AttributeId::EXT_LISTEN_TIMING,
            Attribute::IntendedInterfaceAddr(_) => AttributeId::INTENDED_INTERFACE_ADDR,
            Attribute::Manageability(_) => AttributeId::MANAGEABILITY,
            Attribute::ChannelList(_) => AttributeId::CHANNEL_LIST,
            Attribute::NoticeOfAbsence(_) => AttributeId::NOTICE_OF_ABSENCE,
            Attribute::DeviceInfo(_) => AttributeId::DEVICE_INFO,
            Attribute::GroupInfo(_) => AttributeId::GROUP_INFO,
            Attribute::GroupId(_) => AttributeId::GROUP_ID,
            Attribute::Interface(_) => AttributeId::INTERFACE,
            Attribute::OperatingChannel(_) => AttributeId::OPERATING_CHANNEL,
            Attribute::InvitationFlags(_) => AttributeId::INVITATION_FLAGS,
            Attribute::Other { id, .. } => *id,
        }
    }

    /// Interprets the body of an attribute with ID `id`.
    pub fn parse(id: AttributeId, body: &[u8]) -> Result<Self, Error> {
        Self::parse_body(id, body).map_err(|source| Error::Attribute { id, source })
    }

    fn parse_body(id: AttributeId, body: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(body, "attribute body");
        let mac = |r: &mut Reader<'_>| r.array().map(MacAddr);
        Ok(match id {
            AttributeId::STATUS => Attribute::Status(P2pStatus(r.u8()?)),
            AttributeId::MINOR_REASON => Attribute::MinorReason(MinorReason(r.u8()?)),
            AttributeId::CAPABILITY => Attribute::Capability(Capability {
                device: DeviceCapability::from_bits_retain(r.u8()?),
                group: GroupCapability::from_bits_retain(r.u8()?),
            }),
            AttributeId::DEVICE_ID => Attribute::DeviceId(mac(&mut r)?),
            AttributeId::GO_INTENT => Attribute::GoIntent(GoIntent::from_byte(r.u8()?)),
            AttributeId::CONFIG_TIMEOUT => Attribute::ConfigTimeout(ConfigTimeout {
                go_10ms: r.u8()?,
                client_10ms: r.u8()?,
            }),
            AttributeId::LISTEN_CHANNEL | AttributeId::OPERATING_CHANNEL if body.is_empty() => {
                Attribute::Other {
                    id,
                    body: Vec::new(),
                }
            }
            AttributeId::LISTEN_CHANNEL => Attribute::ListenChannel(Channel::parse(&mut r)?),
            AttributeId::OPERATING_CHANNEL => Attribute::OperatingChannel(Channel::parse(&mut r)?),
            AttributeId::GROUP_BSSID => Attribute::GroupBssid(mac(&mut r)?),
            AttributeId::EXT_LISTEN_TIMING => Attribute::ExtListenTiming(ExtListenTiming {
                period_ms: r.le16()?,
                interval_ms: r.le16()?,
            }),
            AttributeId::INTENDED_INTERFACE_ADDR => Attribute::IntendedInterfaceAddr(mac(&mut r)?),
            AttributeId::MANAGEABILITY => {
                Attribute::Manageability(Manageability::from_bits_retain(r.u8()?))
            }
            AttributeId::CHANNEL_LIST => Attribute::ChannelList(ChannelList::parse(&mut r)?),
            AttributeId::NOTICE_OF_ABSENCE => {
                Attribute::NoticeOfAbsence(NoticeOfAbsence::parse(&mut r)?)
            }
            AttributeId::DEVICE_INFO => Attribute::DeviceInfo(DeviceInfo::parse(&mut r)?),
            AttributeId::GROUP_INFO => Attribute::GroupInfo(ClientInfo::parse_all(&mut r)?),
            AttributeId::GROUP_ID => Attribute::GroupId(GroupId::parse(&mut r)?),
            AttributeId::INTERFACE => Attribute::Interface(P2pInterface::parse(&mut r)?),
            AttributeId::INVITATION_FLAGS => {
                Attribute::InvitationFlags(InvitationFlags::from_bits_retain(r.u8()?))
            }
            _ => Attribute::Other {
                id,
                body: body.to_vec(),
            },
        })
    }

    /// Length of the body (without the 3-byte header).
    pub fn body_len(&self) -> usize {
        match self {
            Attribute::Status(_)
            | Attribute::MinorReason(_)
            | Attribute::GoIntent(_)
            | Attribute::Manageability(_)
            | Attribute::InvitationFlags(_) => 1,
            Attribute::Capability(_) | Attribute::ConfigTimeout(_) => 2,
            Attribute::ExtListenTiming(_) => 4,
            Attribute::ListenChannel(_) | Attribute::OperatingChannel(_) => Channel::LEN,
            Attribute::DeviceId(_)
            | Attribute::GroupBssid(_)
            | Attribute::IntendedInterfaceAddr(_) => 6,
            Attribute::ChannelList(c) => c.body_len(),
            Attribute::NoticeOfAbsence(n) => n.body_len(),
            Attribute::DeviceInfo(d) => d.body_len(),
            Attribute::GroupInfo(g) => ClientInfo::all_body_len(g),
            Attribute::GroupId(g) => 6 + g.ssid.len(),
            Attribute::Interface(i) => 7 + 6 * i.interface_addrs.len(),
            Attribute::Other { body, .. } => body.len(),
        }
    }

    /// Bytes `emit` writes: header and body.
    pub fn buffer_len(&self) -> usize {
        ATTR_HEADER_LEN + self.body_len()
    }

    /// Writes header and body at the start of `buf`; returns bytes written. Fails if a
    /// length does not fit its field or `buf` is too short.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let mut w = Writer::new(buf);
        self.emit_to(&mut w).map_err(|source| Error::Attribute {
            id: self.id(),
            source,
        })?;
        Ok(w.written())
    }

    pub(crate) fn emit_to(&self, w: &mut Writer<'_>) -> Result<(), WireError> {
        let len =
            u16::try_from(self.body_len()).map_err(|_| WireError::TooLong("attribute body"))?;
        w.u8(self.id().0)?;
        w.le16(len)?;
        let start = w.written();
        match self {
            Attribute::Status(s) => w.u8(s.0)?,
            Attribute::MinorReason(m) => w.u8(m.0)?,
            Attribute::Capability(c) => {
                w.u8(c.device.bits())?;
                w.u8(c.group.bits())?;
            }
            Attribute::DeviceId(a)
            | Attribute::GroupBssid(a)
            | Attribute::IntendedInterfaceAddr(a) => w.bytes(&a.0)?,
            Attribute::GoIntent(g) => w.u8(g.to_byte())?,
            Attribute::ConfigTimeout(c) => {
                w.u8(c.go_10ms)?;
                w.u8(c.client_10ms)?;
            }
            Attribute::ListenChannel(c) | Attribute::OperatingChannel(c) => c.emit(w)?,
            Attribute::ExtListenTiming(e) => {
                w.le16(e.period_ms)?;
                w.le16(e.interval_ms)?;
            }
            Attribute::Manageability(m) => w.u8(m.bits())?,
            Attribute::ChannelList(c) => c.emit(w)?,
            Attribute::NoticeOfAbsence(n) => n.emit(w)?,
            Attribute::DeviceInfo(d) => d.emit(w)?,
            Attribute::GroupInfo(g) => ClientInfo::emit_all(g, w)?,
            Attribute::GroupId(g) => g.emit(w)?,
            Attribute::Interface(i) => i.emit(w)?,
            Attribute::InvitationFlags(f) => w.u8(f.bits())?,
            Attribute::Other { body, .. } => w.bytes(body)?,
        }
        debug_assert_eq!(w.written() - start, usize::from(len));
        Ok(())
    }
}

/// Iterates over the raw attributes of a P2P payload: `(id, body)`. Yields `Err`
/// once if an attribute overruns the payload, then stops; never panics.
#[derive(Debug, Clone)]
pub struct RawAttributes<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> RawAttributes<'a> {
    /// Iterates over a (concatenated) P2P payload.
    pub fn new(payload: &'a [u8]) -> Self {
        RawAttributes {
            rest: payload,
            failed: false,
        }
    }
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = Result<(AttributeId, &'a [u8]), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        let mut r = Reader::new(self.rest, "P2P attribute");
        let parsed = (|| {
            let id = AttributeId(r.u8()?);
            let len = usize::from(r.le16()?);
            Ok::<_, WireError>((id, r.take(len)?))
        })();
        match parsed {
            Ok(a) => {
                self.rest = r.rest();
                Some(Ok(a))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(Error::Wire(e)))
            }
        }
    }
}
