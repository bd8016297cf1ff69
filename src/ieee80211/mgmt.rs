//! Management frame bodies (IEEE Std 802.11-2020, 9.3.3) and the whole-frame repr.
//!
//! Elements are kept as the raw bytes that followed the fixed fields, so a frame
//! survives parse/emit byte for byte; read them with [`super::Elements`].

use super::cursor::{Reader, Writer};
use super::header::{MgmtFrame, MgmtHeader, MgmtSubtype};
use super::ie::Elements;
use super::macros::named_values;
use super::{CapabilityInfo, Error, MacAddr, ReasonCode, StatusCode};

named_values! {
    /// Authentication Algorithm Number (9.4.1.1).
    AuthAlgorithm(u16) {
        /// Open System.
        OPEN_SYSTEM = 0,
        /// Shared Key.
        SHARED_KEY = 1,
        /// Fast BSS Transition.
        FT = 2,
        /// SAE.
        SAE = 3,
    }
}

named_values! {
    /// Action frame Category (9.4.1.11, Table 9-51).
    ActionCategory(u8) {
        /// Spectrum management.
        SPECTRUM_MGMT = 0,
        /// QoS.
        QOS = 1,
        /// Block Ack.
        BLOCK_ACK = 3,
        /// Public: P2P public action frames (GO negotiation, invitation, provision
        /// discovery, device discoverability) and GAS use it.
        PUBLIC = 4,
        /// Radio Measurement.
        RADIO_MEASUREMENT = 5,
        /// HT.
        HT = 7,
        /// SA Query.
        SA_QUERY = 8,
        /// Protected Dual of Public Action.
        PROTECTED_DUAL = 9,
        /// WNM.
        WNM = 10,
        /// Vendor-specific Protected.
        VENDOR_SPECIFIC_PROTECTED = 126,
        /// Vendor-specific: P2P action frames (NoA, presence, GO discoverability).
        VENDOR_SPECIFIC = 127,
    }
}

/// Beacon (9.3.3.3) and Probe Response (9.3.3.11) body: Timestamp (8) | Beacon
/// Interval (2, TU) | Capability Information (2) | elements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BeaconRepr {
    /// TSF timer value (filled by the driver for frames sent through nl80211).
    pub timestamp: u64,
    /// Beacon interval in TU (1 TU = 1024 µs); 100 is usual.
    pub beacon_interval: u16,
    /// Capability Information.
    pub capability: CapabilityInfo,
    /// Elements, raw.
    pub ies: Vec<u8>,
}

/// Probe Request body (9.3.3.10): elements only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProbeRequestRepr {
    /// Elements, raw.
    pub ies: Vec<u8>,
}

/// Authentication body (9.3.3.12): Algorithm (2) | Transaction Seq (2) | Status (2) |
/// elements (challenge text and others, raw).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthRepr {
    /// Authentication algorithm; P2P uses Open System.
    pub algorithm: AuthAlgorithm,
    /// Transaction sequence number: 1 from the station, 2 in the AP's reply (open system).
    pub transaction: u16,
    /// Status code (0 in the request).
    pub status: StatusCode,
    /// Trailing elements, raw.
    pub ies: Vec<u8>,
}

/// Association Request body (9.3.3.6): Capability (2) | Listen Interval (2) | elements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssocRequestRepr {
    /// Capability Information.
    pub capability: CapabilityInfo,
    /// Listen interval in beacon intervals.
    pub listen_interval: u16,
    /// Elements, raw.
    pub ies: Vec<u8>,
}

/// Reassociation Request body (9.3.3.8): Capability (2) | Listen Interval (2) |
/// Current AP address (6) | elements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReassocRequestRepr {
    /// Capability Information.
    pub capability: CapabilityInfo,
    /// Listen interval in beacon intervals.
    pub listen_interval: u16,
    /// The AP the station is currently associated with.
    pub current_ap: MacAddr,
    /// Elements, raw.
    pub ies: Vec<u8>,
}

/// (Re)Association Response body (9.3.3.7, 9.3.3.9): Capability (2) | Status (2) |
/// AID (2) | elements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssocResponseRepr {
    /// Capability Information.
    pub capability: CapabilityInfo,
    /// Status code.
    pub status: StatusCode,
    /// Association ID field as sent: the AID (1..2007) with bits 14 and 15 set.
    pub aid_field: u16,
    /// Elements, raw (a P2P GO includes a P2P IE).
    pub ies: Vec<u8>,
}

impl AssocResponseRepr {
    /// The association ID (bits 0-13 of the AID field).
    pub fn aid(&self) -> u16 {
        self.aid_field & 0x3fff
    }

    /// The AID field for `aid`: bits 14 and 15 set, as 9.4.1.8 requires.
    pub fn aid_field_for(aid: u16) -> u16 {
        (aid & 0x3fff) | 0xc000
    }
}

/// Deauthentication (9.3.3.13) and Disassociation (9.3.3.5) body: Reason Code (2) |
/// elements (vendor elements such as a P2P IE with a Minor Reason Code).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReasonRepr {
    /// Reason code.
    pub reason: ReasonCode,
    /// Trailing elements, raw.
    pub ies: Vec<u8>,
}

/// Action body (9.3.3.14): Category (1) | action details (raw; the P2P module parses
/// public and vendor-specific P2P action frames).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionRepr {
    /// Category.
    pub category: ActionCategory,
    /// Everything after the category octet.
    pub body: Vec<u8>,
}

impl ActionRepr {
    /// The action body as sent through `NL80211_CMD_FRAME` after the header:
    /// category followed by the details.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(1 + self.body.len());
        v.push(self.category.0);
        v.extend_from_slice(&self.body);
        v
    }

    /// Parses category + details.
    pub fn parse(b: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(b, "action category");
        let category = ActionCategory(r.u8()?);
        Ok(ActionRepr {
            category,
            body: r.rest().to_vec(),
        })
    }
}

/// A management frame body, by subtype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MgmtBody {
    /// Association Request.
    AssocRequest(AssocRequestRepr),
    /// Association Response.
    AssocResponse(AssocResponseRepr),
    /// Reassociation Request.
    ReassocRequest(ReassocRequestRepr),
    /// Reassociation Response.
    ReassocResponse(AssocResponseRepr),
    /// Probe Request.
    ProbeRequest(ProbeRequestRepr),
    /// Probe Response.
    ProbeResponse(BeaconRepr),
    /// Beacon.
    Beacon(BeaconRepr),
    /// Disassociation.
    Disassoc(ReasonRepr),
    /// Authentication.
    Auth(AuthRepr),
    /// Deauthentication.
    Deauth(ReasonRepr),
    /// Action.
    Action(ActionRepr),
    /// Any other subtype (ATIM, Action No Ack, reserved), and any frame with the
    /// Protected bit set (its body is ciphertext): kept raw.
    Other {
        /// Subtype.
        subtype: MgmtSubtype,
        /// Body bytes.
        body: Vec<u8>,
    },
}

impl MgmtBody {
    /// The subtype this body is sent as.
    pub fn subtype(&self) -> MgmtSubtype {
        match self {
            MgmtBody::AssocRequest(_) => MgmtSubtype::ASSOC_REQ,
            MgmtBody::AssocResponse(_) => MgmtSubtype::ASSOC_RESP,
            MgmtBody::ReassocRequest(_) => MgmtSubtype::REASSOC_REQ,
            MgmtBody::ReassocResponse(_) => MgmtSubtype::REASSOC_RESP,
            MgmtBody::ProbeRequest(_) => MgmtSubtype::PROBE_REQ,
            MgmtBody::ProbeResponse(_) => MgmtSubtype::PROBE_RESP,
            MgmtBody::Beacon(_) => MgmtSubtype::BEACON,
            MgmtBody::Disassoc(_) => MgmtSubtype::DISASSOC,
            MgmtBody::Auth(_) => MgmtSubtype::AUTH,
            MgmtBody::Deauth(_) => MgmtSubtype::DEAUTH,
            MgmtBody::Action(_) => MgmtSubtype::ACTION,
            MgmtBody::Other { subtype, .. } => *subtype,
        }
    }

    /// Parses a body of the given subtype.
    pub fn parse(subtype: MgmtSubtype, body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "management body");
        let cap = |r: &mut Reader<'_>| r.le16().map(CapabilityInfo::from_bits_retain);
        Ok(match subtype {
            MgmtSubtype::ASSOC_REQ => MgmtBody::AssocRequest(AssocRequestRepr {
                capability: cap(&mut r)?,
                listen_interval: r.le16()?,
                ies: r.rest().to_vec(),
            }),
            MgmtSubtype::REASSOC_REQ => MgmtBody::ReassocRequest(ReassocRequestRepr {
                capability: cap(&mut r)?,
                listen_interval: r.le16()?,
                current_ap: MacAddr(r.array()?),
                ies: r.rest().to_vec(),
            }),
            MgmtSubtype::ASSOC_RESP | MgmtSubtype::REASSOC_RESP => {
                let resp = AssocResponseRepr {
                    capability: cap(&mut r)?,
                    status: StatusCode(r.le16()?),
                    aid_field: r.le16()?,
                    ies: r.rest().to_vec(),
                };
                if subtype == MgmtSubtype::ASSOC_RESP {
                    MgmtBody::AssocResponse(resp)
                } else {
                    MgmtBody::ReassocResponse(resp)
                }
            }
            MgmtSubtype::PROBE_REQ => MgmtBody::ProbeRequest(ProbeRequestRepr {
                ies: r.rest().to_vec(),
            }),
            MgmtSubtype::BEACON | MgmtSubtype::PROBE_RESP => {
                let b = BeaconRepr {
                    timestamp: r.le64()?,
                    beacon_interval: r.le16()?,
                    capability: cap(&mut r)?,
                    ies: r.rest().to_vec(),
                };
                if subtype == MgmtSubtype::BEACON {
                    MgmtBody::Beacon(b)
                } else {
                    MgmtBody::ProbeResponse(b)
                }
            }
            MgmtSubtype::DISASSOC | MgmtSubtype::DEAUTH => {
                let rr = ReasonRepr {
                    reason: ReasonCode(r.le16()?),
                    ies: r.rest().to_vec(),
                };
                if subtype == MgmtSubtype::DISASSOC {
                    MgmtBody::Disassoc(rr)
                } else {
                    MgmtBody::Deauth(rr)
                }
            }
            MgmtSubtype::AUTH => MgmtBody::Auth(AuthRepr {
                algorithm: AuthAlgorithm(r.le16()?),
                transaction: r.le16()?,
                status: StatusCode(r.le16()?),
                ies: r.rest().to_vec(),
            }),
            MgmtSubtype::ACTION => MgmtBody::Action(ActionRepr::parse(body)?),
            _ => MgmtBody::Other {
                subtype,
                body: body.to_vec(),
            },
        })
    }

    /// The raw elements of bodies that carry them.
    pub fn ies(&self) -> Option<&[u8]> {
        match self {
            MgmtBody::AssocRequest(b) => Some(&b.ies),
            MgmtBody::AssocResponse(b) | MgmtBody::ReassocResponse(b) => Some(&b.ies),
            MgmtBody::ReassocRequest(b) => Some(&b.ies),
            MgmtBody::ProbeRequest(b) => Some(&b.ies),
            MgmtBody::ProbeResponse(b) | MgmtBody::Beacon(b) => Some(&b.ies),
            MgmtBody::Disassoc(b) | MgmtBody::Deauth(b) => Some(&b.ies),
            MgmtBody::Auth(b) => Some(&b.ies),
            MgmtBody::Action(_) | MgmtBody::Other { .. } => None,
        }
    }

    /// An iterator over the body's elements (empty for bodies without elements).
    pub fn elements(&self) -> Elements<'_> {
        Elements::new(self.ies().unwrap_or(&[]))
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        match self {
            MgmtBody::AssocRequest(b) => 4 + b.ies.len(),
            MgmtBody::AssocResponse(b) | MgmtBody::ReassocResponse(b) => 6 + b.ies.len(),
            MgmtBody::ReassocRequest(b) => 10 + b.ies.len(),
            MgmtBody::ProbeRequest(b) => b.ies.len(),
            MgmtBody::ProbeResponse(b) | MgmtBody::Beacon(b) => 12 + b.ies.len(),
            MgmtBody::Disassoc(b) | MgmtBody::Deauth(b) => 2 + b.ies.len(),
            MgmtBody::Auth(b) => 6 + b.ies.len(),
            MgmtBody::Action(a) => 1 + a.body.len(),
            MgmtBody::Other { body, .. } => body.len(),
        }
    }

    /// Writes the body at the start of `buf`; returns bytes written.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let mut w = Writer::new(buf);
        match self {
            MgmtBody::AssocRequest(b) => {
                w.le16(b.capability.bits())?;
                w.le16(b.listen_interval)?;
                w.bytes(&b.ies)?;
            }
            MgmtBody::AssocResponse(b) | MgmtBody::ReassocResponse(b) => {
                w.le16(b.capability.bits())?;
                w.le16(b.status.0)?;
                w.le16(b.aid_field)?;
                w.bytes(&b.ies)?;
            }
            MgmtBody::ReassocRequest(b) => {
                w.le16(b.capability.bits())?;
                w.le16(b.listen_interval)?;
                w.bytes(&b.current_ap.0)?;
                w.bytes(&b.ies)?;
            }
            MgmtBody::ProbeRequest(b) => w.bytes(&b.ies)?,
            MgmtBody::ProbeResponse(b) | MgmtBody::Beacon(b) => {
                w.le64(b.timestamp)?;
                w.le16(b.beacon_interval)?;
                w.le16(b.capability.bits())?;
                w.bytes(&b.ies)?;
            }
            MgmtBody::Disassoc(b) | MgmtBody::Deauth(b) => {
                w.le16(b.reason.0)?;
                w.bytes(&b.ies)?;
            }
            MgmtBody::Auth(b) => {
                w.le16(b.algorithm.0)?;
                w.le16(b.transaction)?;
                w.le16(b.status.0)?;
                w.bytes(&b.ies)?;
            }
            MgmtBody::Action(a) => {
                w.u8(a.category.0)?;
                w.bytes(&a.body)?;
            }
            MgmtBody::Other { body, .. } => w.bytes(body)?,
        }
        Ok(w.written())
    }
}

/// A whole management frame: header and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MgmtRepr {
    /// The MAC header.
    pub header: MgmtHeader,
    /// The body; its variant decides the subtype.
    pub body: MgmtBody,
}

impl MgmtRepr {
    /// A frame from `sa` to `da` in BSS `bssid`, with no flags.
    pub fn new(da: MacAddr, sa: MacAddr, bssid: MacAddr, body: MgmtBody) -> Self {
        MgmtRepr {
            header: MgmtHeader::new(da, sa, bssid),
            body,
        }
    }

    /// Parses a frame from a checked view. A frame with the Protected bit set parses
    /// to [`MgmtBody::Other`] (its body is ciphertext).
    pub fn parse<T: AsRef<[u8]>>(frame: &MgmtFrame<T>) -> Result<Self, Error> {
        let (subtype, header) = MgmtHeader::parse(frame)?;
        let body = if header.is_protected() {
            MgmtBody::Other {
                subtype,
                body: frame.body().to_vec(),
            }
        } else {
            MgmtBody::parse(subtype, frame.body())?
        };
        Ok(MgmtRepr { header, body })
    }

    /// Parses a frame from bytes (header first, no FCS).
    pub fn parse_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Self::parse(&MgmtFrame::new_checked(bytes)?)
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        self.header.buffer_len() + self.body.buffer_len()
    }

    /// Writes the frame at the start of `buf`; returns bytes written.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let need = self.buffer_len();
        if buf.len() < need {
            return Err(Error::BufferTooSmall {
                need,
                have: buf.len(),
            });
        }
        let n = self.header.emit(self.body.subtype(), buf)?;
        let m = self.body.emit(&mut buf[n..])?;
        Ok(n + m)
    }

    /// The frame as a new vector.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = vec![0u8; self.buffer_len()];
        // The buffer is exactly buffer_len() long, which is all emit needs.
        let n = self.emit(&mut v).unwrap_or(0);
        v.truncate(n);
        v
    }
}
