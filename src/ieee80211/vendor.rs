//! Vendor Specific elements (IEEE Std 802.11-2020, 9.4.2.25): OUI (3) | vendor data.
//!
//! P2P (Wi-Fi P2P Technical Specification, 4.1.1) and WSC (Wi-Fi Simple
//! Configuration, 8.2) put a one-byte OUI type after the OUI, and a payload that may
//! be longer than one element holds: the payload of a frame is the concatenation of
//! the bodies (after OUI and type) of all its elements of that OUI/type, in order.

use std::fmt;

use super::Error;
use super::ie::{ElementId, Elements, MAX_ELEMENT_LEN};

/// An IEEE organizationally unique identifier.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Oui(pub [u8; 3]);

impl Oui {
    /// Wi-Fi Alliance, 50:6F:9A (P2P, WFD, ...).
    pub const WFA: Oui = Oui([0x50, 0x6f, 0x9a]);
    /// Microsoft, 00:50:F2 (WSC, WPA, WMM).
    pub const MICROSOFT: Oui = Oui([0x00, 0x50, 0xf2]);
}

impl fmt::Debug for Oui {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x}:{:02x}:{:02x}", self.0[0], self.0[1], self.0[2])
    }
}

/// An OUI plus the one-byte OUI type that identifies a vendor payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VendorType {
    /// OUI.
    pub oui: Oui,
    /// OUI type.
    pub oui_type: u8,
}

impl VendorType {
    /// P2P IE: 50:6F:9A type 9 (Wi-Fi P2P spec 4.1.1).
    pub const P2P: VendorType = VendorType {
        oui: Oui::WFA,
        oui_type: 0x09,
    };
    /// Wi-Fi Display IE: 50:6F:9A type 10.
    pub const WFD: VendorType = VendorType {
        oui: Oui::WFA,
        oui_type: 0x0a,
    };
    /// WSC (WPS) IE: 00:50:F2 type 4.
    pub const WSC: VendorType = VendorType {
        oui: Oui::MICROSOFT,
        oui_type: 0x04,
    };

    /// The four header bytes (OUI then type) at the start of each element body.
    pub fn header(self) -> [u8; 4] {
        [self.oui.0[0], self.oui.0[1], self.oui.0[2], self.oui_type]
    }
}

/// A vendor-specific element body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VendorIe<'a> {
    /// OUI.
    pub oui: Oui,
    /// Everything after the OUI (OUI type first, when the vendor uses one).
    pub data: &'a [u8],
}

impl<'a> VendorIe<'a> {
    /// Parses a vendor element body (at least the 3-byte OUI).
    pub fn parse(body: &'a [u8]) -> Result<Self, Error> {
        match body {
            [a, b, c, data @ ..] => Ok(VendorIe {
                oui: Oui([*a, *b, *c]),
                data,
            }),
            _ => Err(Error::Truncated("vendor OUI")),
        }
    }

    /// The OUI type octet, if present.
    pub fn oui_type(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// The payload after the OUI type, if this element is of type `vt`.
    pub fn payload_of(&self, vt: VendorType) -> Option<&'a [u8]> {
        if self.oui != vt.oui {
            return None;
        }
        match self.data {
            [t, rest @ ..] if *t == vt.oui_type => Some(rest),
            _ => None,
        }
    }
}

/// Concatenates the payloads of all vendor elements of type `vt` in `ies`, in order.
/// `None` when there is no such element (an element with an empty payload gives
/// `Some(vec![])`). Like hostap's `ieee802_11_vendor_ie_concat`, a malformed tail of
/// the element list ends the walk instead of failing it.
pub fn concat_payload(ies: &[u8], vt: VendorType) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for e in Elements::new(ies).map_while(Result::ok) {
        if let Some(p) = e.vendor().and_then(|v| v.payload_of(vt)) {
            out.get_or_insert_with(Vec::new).extend_from_slice(p);
        }
    }
    out
}

/// The elements of `ies` other than vendor elements of type `vt`, as bytes (a
/// malformed tail is dropped).
pub fn without(ies: &[u8], vt: VendorType) -> Vec<u8> {
    let mut out = Vec::with_capacity(ies.len());
    for e in Elements::new(ies).map_while(Result::ok) {
        if e.vendor().and_then(|v| v.payload_of(vt)).is_none() {
            out.push(e.id.0);
            // An element from the iterator has at most 255 bytes.
            out.push(e.data.len() as u8);
            out.extend_from_slice(e.data);
        }
    }
    out
}

/// Largest payload one vendor element of a [`VendorType`] carries (255 − 4).
pub const MAX_VENDOR_CHUNK: usize = MAX_ELEMENT_LEN - 4;

/// Bytes [`push_split`] appends for a payload of `len` bytes.
pub fn split_len(len: usize) -> usize {
    let n = len.div_ceil(MAX_VENDOR_CHUNK).max(1);
    len + n * 6
}

/// Appends `payload` to `out` as vendor elements of type `vt`, each carrying at most
/// 251 payload bytes; an empty payload still gives one (empty) element.
pub fn push_split(out: &mut Vec<u8>, vt: VendorType, payload: &[u8]) {
    out.reserve(split_len(payload.len()));
    let mut chunks = payload.chunks(MAX_VENDOR_CHUNK).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[ElementId::VENDOR_SPECIFIC.0, 4]);
        out.extend_from_slice(&vt.header());
        return;
    }
    for c in chunks {
        out.push(ElementId::VENDOR_SPECIFIC.0);
        // c.len() <= 251, so 4 + c.len() <= 255.
        out.push((4 + c.len()) as u8);
        out.extend_from_slice(&vt.header());
        out.extend_from_slice(c);
    }
}
