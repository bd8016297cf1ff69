//! P2P frames carried in action frames: the common header and the raw elements.
//!
//! Public action (spec 4.2.9): Category 4 | Action 9 (vendor specific) | OUI 50 6F 9A |
//! OUI type 09 | OUI subtype | Dialog Token | elements.
//! P2P action (spec 4.2.10): Category 0x7F (vendor specific) | OUI 50 6F 9A |
//! OUI type 09 | OUI subtype | Dialog Token | elements.

use super::Error;
use super::consts::{ActionSubtype, PublicActionSubtype};
use super::ie::P2pIe;
use crate::ieee80211::cursor::Reader;
use crate::ieee80211::vendor::{self, VendorType};
use crate::ieee80211::{ActionCategory, ActionRepr, MacAddr, MgmtBody, MgmtRepr};

/// Public action field value "vendor specific" (802.11-2020 9.6.7.1, Table 9-364).
pub const PUBLIC_ACTION_VENDOR_SPECIFIC: u8 = 9;

/// The bytes every P2P public action frame starts with (also the nl80211 frame
/// registration match wpa_supplicant uses).
pub const PUBLIC_ACTION_PREFIX: [u8; 6] = [0x04, 0x09, 0x50, 0x6f, 0x9a, 0x09];

/// The bytes every P2P action frame starts with (nl80211 registration match).
pub const P2P_ACTION_PREFIX: [u8; 5] = [0x7f, 0x50, 0x6f, 0x9a, 0x09];

/// Which of the two P2P frame families, with its subtype.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameKind {
    /// Public action frame (category 4).
    Public(PublicActionSubtype),
    /// P2P action frame (category 0x7F).
    Action(ActionSubtype),
}

impl FrameKind {
    fn header_len(self) -> usize {
        match self {
            FrameKind::Public(_) => PUBLIC_ACTION_PREFIX.len() + 2,
            FrameKind::Action(_) => P2P_ACTION_PREFIX.len() + 2,
        }
    }
}

/// A P2P action frame body (from the category octet on), elements kept raw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct P2pActionFrame {
    /// Family and subtype.
    pub kind: FrameKind,
    /// Dialog token (matches a response to its request; 0 where the spec says so).
    pub dialog_token: u8,
    /// Elements (P2P IE(s), WSC IE(s), others).
    pub ies: Vec<u8>,
}

impl P2pActionFrame {
    /// Whether an action body (category first) is a P2P frame of either family.
    pub fn is_p2p(action_body: &[u8]) -> bool {
        action_body.starts_with(&PUBLIC_ACTION_PREFIX)
            || action_body.starts_with(&P2P_ACTION_PREFIX)
    }

    /// Parses an action body, category octet first.
    pub fn parse(action_body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(action_body, "P2P action header");
        let kind = if action_body.starts_with(&PUBLIC_ACTION_PREFIX) {
            r.take(PUBLIC_ACTION_PREFIX.len())?;
            FrameKind::Public(PublicActionSubtype(r.u8()?))
        } else if action_body.starts_with(&P2P_ACTION_PREFIX) {
            r.take(P2P_ACTION_PREFIX.len())?;
            FrameKind::Action(ActionSubtype(r.u8()?))
        } else {
            return Err(Error::NotP2p);
        };
        let dialog_token = r.u8()?;
        Ok(P2pActionFrame {
            kind,
            dialog_token,
            ies: r.rest().to_vec(),
        })
    }

    /// The category octet this frame is sent with.
    pub fn category(&self) -> ActionCategory {
        match self.kind {
            FrameKind::Public(_) => ActionCategory::PUBLIC,
            FrameKind::Action(_) => ActionCategory::VENDOR_SPECIFIC,
        }
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        self.kind.header_len() + self.ies.len()
    }

    /// The action body, category first (what follows the 802.11 header).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.buffer_len());
        match self.kind {
            FrameKind::Public(s) => {
                v.extend_from_slice(&PUBLIC_ACTION_PREFIX);
                v.push(s.0);
            }
            FrameKind::Action(s) => {
                v.extend_from_slice(&P2P_ACTION_PREFIX);
                v.push(s.0);
            }
        }
        v.push(self.dialog_token);
        v.extend_from_slice(&self.ies);
        v
    }

    /// Reads a P2P frame out of a parsed 802.11 action body.
    pub fn from_action(action: &ActionRepr) -> Result<Self, Error> {
        Self::parse(&action.to_bytes())
    }

    /// The 802.11 action body carrying this frame.
    pub fn to_action(&self) -> ActionRepr {
        let bytes = self.to_bytes();
        ActionRepr {
            category: ActionCategory(bytes[0]),
            body: bytes[1..].to_vec(),
        }
    }

    /// A whole management frame from `sa` to `da` with Address 3 = `bssid`, ready for
    /// `NL80211_CMD_FRAME` (the kernel fills duration and sequence number). Outside a
    /// group wpa_supplicant puts the peer's P2P device address there in requests and
    /// its own in responses (seen in the hwsim captures).
    pub fn to_mgmt(&self, da: MacAddr, sa: MacAddr, bssid: MacAddr) -> MgmtRepr {
        MgmtRepr::new(da, sa, bssid, MgmtBody::Action(self.to_action()))
    }

    /// The P2P IE(s), parsed; `Ok(None)` if the frame has none.
    pub fn p2p_ie(&self) -> Result<Option<P2pIe>, Error> {
        P2pIe::from_ies(&self.ies)
    }

    /// The concatenated WSC payload (WSC attributes, for the `wps` crate).
    pub fn wsc_payload(&self) -> Option<Vec<u8>> {
        vendor::concat_payload(&self.ies, VendorType::WSC)
    }
}
