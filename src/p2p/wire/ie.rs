//! The P2P IE (spec 4.1.1): vendor element 50:6F:9A type 9 whose payload is a list
//! of attributes. One payload may be split over several P2P IEs in a frame; the
//! attributes are parsed from the concatenation of all of them.

use super::Error;
use super::attr::{Attribute, RawAttributes};
use super::consts::{AttributeId, InvitationFlags, Manageability, MinorReason, P2pStatus};
use super::types::{
    Capability, Channel, ChannelList, ClientInfo, ConfigTimeout, DeviceInfo, ExtListenTiming,
    GoIntent, GroupId, NoticeOfAbsence, P2pInterface,
};
use crate::ieee80211::MacAddr;
use crate::ieee80211::cursor::Writer;
use crate::ieee80211::vendor::{self, VendorType};

/// The attributes of a frame's P2P IE(s), in wire order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct P2pIe {
    /// Attributes in the order they appear (or will be sent).
    pub attributes: Vec<Attribute>,
}

macro_rules! getters {
    ($( $(#[$m:meta])* $fn:ident -> $ty:ty = $variant:ident; )*) => {
        $(
            $(#[$m])*
            pub fn $fn(&self) -> Option<&$ty> {
                self.attributes.iter().find_map(|a| match a {
                    Attribute::$variant(v) => Some(v),
                    _ => None,
                })
            }
        )*
    };
}

impl P2pIe {
    /// An IE with these attributes.
    pub fn new(attributes: Vec<Attribute>) -> Self {
        P2pIe { attributes }
    }

    /// Parses a P2P payload (the concatenated bodies after OUI and type).
    pub fn parse_payload(payload: &[u8]) -> Result<Self, Error> {
        let attributes = RawAttributes::new(payload)
            .map(|a| a.and_then(|(id, body)| Attribute::parse(id, body)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(P2pIe { attributes })
    }

    /// Parses the P2P IE(s) among a frame's elements; `Ok(None)` if there is none.
    pub fn from_ies(ies: &[u8]) -> Result<Option<Self>, Error> {
        vendor::concat_payload(ies, VendorType::P2P)
            .map(|p| Self::parse_payload(&p))
            .transpose()
    }

    /// Length of the payload (all attributes with headers).
    pub fn payload_len(&self) -> usize {
        self.attributes.iter().map(Attribute::buffer_len).sum()
    }

    /// Writes the payload at the start of `buf`; returns bytes written.
    pub fn emit_payload(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let mut w = Writer::new(buf);
        for a in &self.attributes {
            a.emit_to(&mut w)
                .map_err(|source| Error::Attribute { id: a.id(), source })?;
        }
        Ok(w.written())
    }

    /// The payload as a vector.
    pub fn to_payload(&self) -> Result<Vec<u8>, Error> {
        let mut v = vec![0u8; self.payload_len()];
        let n = self.emit_payload(&mut v)?;
        v.truncate(n);
        Ok(v)
    }

    /// Appends the payload as P2P IEs of at most 255 bytes each to `out`.
    pub fn push_ies(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        vendor::push_split(out, VendorType::P2P, &self.to_payload()?);
        Ok(())
    }

    /// The payload as P2P IEs of at most 255 bytes each.
    pub fn to_ies(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        self.push_ies(&mut out)?;
        Ok(out)
    }

    /// The first attribute with `id`.
    pub fn get(&self, id: AttributeId) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.id() == id)
    }

    getters! {
        /// Status.
        status -> P2pStatus = Status;
        /// Minor Reason Code.
        minor_reason -> MinorReason = MinorReason;
        /// P2P Capability.
        capability -> Capability = Capability;
        /// P2P Device ID.
        device_id -> MacAddr = DeviceId;
        /// Group Owner Intent.
        go_intent -> GoIntent = GoIntent;
        /// Configuration Timeout.
        config_timeout -> ConfigTimeout = ConfigTimeout;
        /// Listen Channel.
        listen_channel -> Channel = ListenChannel;
        /// P2P Group BSSID.
        group_bssid -> MacAddr = GroupBssid;
        /// Extended Listen Timing.
        ext_listen_timing -> ExtListenTiming = ExtListenTiming;
        /// Intended P2P Interface Address.
        intended_interface_addr -> MacAddr = IntendedInterfaceAddr;
        /// P2P Manageability.
        manageability -> Manageability = Manageability;
        /// Channel List.
        channel_list -> ChannelList = ChannelList;
        /// Notice of Absence.
        notice_of_absence -> NoticeOfAbsence = NoticeOfAbsence;
        /// P2P Device Info.
        device_info -> DeviceInfo = DeviceInfo;
        /// P2P Group Info (client descriptors).
        group_info -> Vec<ClientInfo> = GroupInfo;
        /// P2P Group ID.
        group_id -> GroupId = GroupId;
        /// P2P Interface.
        interface -> P2pInterface = Interface;
        /// Operating Channel.
        operating_channel -> Channel = OperatingChannel;
        /// Invitation Flags.
        invitation_flags -> InvitationFlags = InvitationFlags;
    }
}
