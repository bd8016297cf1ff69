//! Key Data field contents: elements and KDEs (IEEE 802.11-2020 12.7.2
//! Figure 12-34, Table 12-10) and the Wi-Fi P2P IP address allocation KDEs
//! (Wi-Fi P2P Technical Specification 4.2.8).
//!
//! A KDE is `0xdd len OUI(3) data-type data`. Key data that is AES key
//! wrapped is padded with `0xdd 00 ..` to a multiple of 8 bytes and at least
//! 16 bytes; a parser stops at that padding.

use std::fmt;
use std::net::Ipv4Addr;
use thiserror::Error;
use zeroize::Zeroizing;

/// IEEE 802.11 OUI used by the RSN KDEs: 00-0F-AC.
pub const OUI_IEEE: [u8; 3] = [0x00, 0x0f, 0xac];
/// Wi-Fi Alliance OUI used by the P2P KDEs: 50-6F-9A.
pub const OUI_WFA: [u8; 3] = [0x50, 0x6f, 0x9a];

/// Element ID of the RSN element.
const EID_RSN: u8 = 48;
/// Element ID of vendor-specific elements and KDEs.
const EID_VENDOR: u8 = 221;
/// KDE data type: GTK (Table 12-10).
const KDE_GTK: u8 = 1;
/// KDE data type: PMKID.
const KDE_PMKID: u8 = 4;
/// WFA KDE data type: IP Address Request (P2P spec 4.2.8, hostap WFA_KEY_DATA_IP_ADDR_REQ).
const KDE_WFA_IP_REQUEST: u8 = 4;
/// WFA KDE data type: IP Address Allocation (hostap WFA_KEY_DATA_IP_ADDR_ALLOC).
const KDE_WFA_IP_ALLOCATION: u8 = 5;

/// An IPv4 address handed out in EAPOL-Key message 3 (P2P IP Address
/// Allocation KDE): the client's address, its netmask and the GO's address,
/// each 4 bytes in network order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpAllocation {
    /// Address for the P2P client.
    pub ip: Ipv4Addr,
    /// Netmask for that address.
    pub netmask: Ipv4Addr,
    /// The GO's own address.
    pub go_ip: Ipv4Addr,
}

impl IpAllocation {
    fn to_bytes(self) -> [u8; 12] {
        let mut b = [0u8; 12];
        b[0..4].copy_from_slice(&self.ip.octets());
        b[4..8].copy_from_slice(&self.netmask.octets());
        b[8..12].copy_from_slice(&self.go_ip.octets());
        b
    }

    fn from_bytes(b: &[u8; 12]) -> Self {
        let ip4 = |o: usize| Ipv4Addr::new(b[o], b[o + 1], b[o + 2], b[o + 3]);
        Self {
            ip: ip4(0),
            netmask: ip4(4),
            go_ip: ip4(8),
        }
    }
}

/// The body of a GTK KDE: key ID (bits 0-1), Tx (bit 2), a reserved byte, the GTK.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct GtkKde<'a> {
    /// Key ID 0..=3.
    pub key_id: u8,
    /// Tx bit: the GTK is used for transmit too.
    pub tx: bool,
    /// The group temporal key (16 bytes for CCMP).
    pub key: &'a [u8],
}

impl fmt::Debug for GtkKde<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GtkKde")
            .field("key_id", &self.key_id)
            .field("tx", &self.tx)
            .field("key", &format_args!("<{} bytes redacted>", self.key.len()))
            .finish()
    }
}

/// One element or KDE found in a Key Data field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyDataElement<'a> {
    /// An RSN element, header included (compared byte for byte with the one
    /// from the association or the beacon).
    Rsne(&'a [u8]),
    /// GTK KDE.
    Gtk(GtkKde<'a>),
    /// PMKID KDE.
    Pmkid([u8; 16]),
    /// P2P IP Address Request KDE; the value is 0x01 to request an address.
    IpAddrRequest(u8),
    /// P2P IP Address Allocation KDE.
    IpAllocation(IpAllocation),
    /// Any other KDE.
    Kde {
        /// OUI.
        oui: [u8; 3],
        /// Data type.
        data_type: u8,
        /// Data after the data type.
        data: &'a [u8],
    },
    /// Any other element (RSNXE, MDE, a vendor element too short to be a KDE...).
    Element {
        /// Element ID.
        id: u8,
        /// Element body.
        data: &'a [u8],
    },
}

/// Why a Key Data field cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum KeyDataError {
    /// An element header or body runs past the end.
    #[error("key data element at offset {offset} is truncated")]
    Truncated {
        /// Offset of the element.
        offset: usize,
    },
    /// A known KDE has a body of the wrong size.
    #[error("{kde} KDE has an invalid length {len}")]
    BadLength {
        /// Which KDE.
        kde: &'static str,
        /// Its data length.
        len: usize,
    },
}

/// Parsed Key Data: the elements in order, up to any padding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyData<'a> {
    /// Elements in the order they appear.
    pub elements: Vec<KeyDataElement<'a>>,
}

impl<'a> KeyData<'a> {
    /// Parses a (decrypted) Key Data field.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, KeyDataError> {
        let mut elements = Vec::new();
        let mut pos = 0;
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            // Padding: 0xdd then nothing or a zero length.
            if rest[0] == EID_VENDOR && (rest.len() == 1 || rest[1] == 0) {
                break;
            }
            if rest.len() < 2 {
                return Err(KeyDataError::Truncated { offset: pos });
            }
            let len = usize::from(rest[1]);
            let Some(whole) = rest.get(..2 + len) else {
                return Err(KeyDataError::Truncated { offset: pos });
            };
            let body = &whole[2..];
            let element = match whole[0] {
                EID_RSN => KeyDataElement::Rsne(whole),
                EID_VENDOR if body.len() >= 4 => {
                    let oui = [body[0], body[1], body[2]];
                    let data_type = body[3];
                    Self::kde(oui, data_type, &body[4..])?
                }
                id => KeyDataElement::Element { id, data: body },
            };
            elements.push(element);
            pos += 2 + len;
        }
        Ok(Self { elements })
    }

    fn kde(
        oui: [u8; 3],
        data_type: u8,
        data: &'a [u8],
    ) -> Result<KeyDataElement<'a>, KeyDataError> {
        Ok(match (oui, data_type) {
            (OUI_IEEE, KDE_GTK) => {
                // Key ID/Tx byte, reserved byte, then a 5..=32 byte key.
                if data.len() < 2 + 5 || data.len() > 2 + 32 {
                    return Err(KeyDataError::BadLength {
                        kde: "GTK",
                        len: data.len(),
                    });
                }
                KeyDataElement::Gtk(GtkKde {
                    key_id: data[0] & 0x03,
                    tx: data[0] & 0x04 != 0,
                    key: &data[2..],
                })
            }
            (OUI_IEEE, KDE_PMKID) => {
                let pmkid: [u8; 16] = data.try_into().map_err(|_| KeyDataError::BadLength {
                    kde: "PMKID",
                    len: data.len(),
                })?;
                KeyDataElement::Pmkid(pmkid)
            }
            (OUI_WFA, KDE_WFA_IP_REQUEST) => match data.first() {
                Some(&v) => KeyDataElement::IpAddrRequest(v),
                None => {
                    return Err(KeyDataError::BadLength {
                        kde: "IP Address Request",
                        len: 0,
                    });
                }
            },
            (OUI_WFA, KDE_WFA_IP_ALLOCATION) => {
                let b: &[u8; 12] = data.try_into().map_err(|_| KeyDataError::BadLength {
                    kde: "IP Address Allocation",
                    len: data.len(),
                })?;
                KeyDataElement::IpAllocation(IpAllocation::from_bytes(b))
            }
            _ => KeyDataElement::Kde {
                oui,
                data_type,
                data,
            },
        })
    }

    /// The first RSN element, header included.
    pub fn rsne(&self) -> Option<&'a [u8]> {
        self.elements.iter().find_map(|e| match e {
            KeyDataElement::Rsne(b) => Some(*b),
            _ => None,
        })
    }

    /// The first GTK KDE.
    pub fn gtk(&self) -> Option<GtkKde<'a>> {
        self.elements.iter().find_map(|e| match e {
            KeyDataElement::Gtk(g) => Some(*g),
            _ => None,
        })
    }

    /// The first PMKID KDE.
    pub fn pmkid(&self) -> Option<[u8; 16]> {
        self.elements.iter().find_map(|e| match e {
            KeyDataElement::Pmkid(p) => Some(*p),
            _ => None,
        })
    }

    /// True when a P2P IP Address Request KDE asks for an address (value bit 0).
    pub fn ip_requested(&self) -> bool {
        self.elements
            .iter()
            .any(|e| matches!(e, KeyDataElement::IpAddrRequest(v) if v & 0x01 != 0))
    }

    /// The P2P IP Address Allocation KDE.
    pub fn ip_allocation(&self) -> Option<IpAllocation> {
        self.elements.iter().find_map(|e| match e {
            KeyDataElement::IpAllocation(a) => Some(*a),
            _ => None,
        })
    }
}

/// Builds a Key Data field. The buffer wipes itself on drop since it may hold a GTK.
#[derive(Default)]
pub struct KeyDataBuilder {
    buf: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for KeyDataBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyDataBuilder(<{} bytes>)", self.buf.len())
    }
}

impl KeyDataBuilder {
    /// An empty Key Data field.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a whole element (header included), e.g. an RSN element as sent
    /// in the association request or the beacon.
    pub fn element(mut self, element: &[u8]) -> Self {
        self.buf.extend_from_slice(element);
        self
    }

    /// Appends a KDE. `data` must be at most 251 bytes; longer data is cut
    /// there (no KDE this crate builds comes close).
    pub fn kde(mut self, oui: [u8; 3], data_type: u8, data: &[u8]) -> Self {
        let data = &data[..data.len().min(251)];
        self.buf.push(EID_VENDOR);
        // 4 + at most 251 fits a byte.
        self.buf.push((4 + data.len()) as u8);
        self.buf.extend_from_slice(&oui);
        self.buf.push(data_type);
        self.buf.extend_from_slice(data);
        self
    }

    /// Appends a GTK KDE.
    pub fn gtk(self, key_id: u8, tx: bool, key: &[u8]) -> Self {
        let mut data = Zeroizing::new(Vec::with_capacity(2 + key.len()));
        data.push((key_id & 0x03) | if tx { 0x04 } else { 0 });
        data.push(0);
        data.extend_from_slice(key);
        self.kde(OUI_IEEE, KDE_GTK, &data)
    }

    /// Appends a PMKID KDE.
    pub fn pmkid(self, pmkid: &[u8; 16]) -> Self {
        self.kde(OUI_IEEE, KDE_PMKID, pmkid)
    }

    /// Appends the P2P IP Address Request KDE (value 0x01), as wpa_supplicant
    /// does in message 2 when it joins a P2P group.
    pub fn ip_request(self) -> Self {
        self.kde(OUI_WFA, KDE_WFA_IP_REQUEST, &[0x01])
    }

    /// Appends the P2P IP Address Allocation KDE.
    pub fn ip_allocation(self, alloc: &IpAllocation) -> Self {
        self.kde(OUI_WFA, KDE_WFA_IP_ALLOCATION, &alloc.to_bytes())
    }

    /// The Key Data as built, without padding.
    pub fn finish(self) -> Zeroizing<Vec<u8>> {
        self.buf
    }

    /// The Key Data padded for AES key wrap: `0xdd 00..` up to a multiple of
    /// 8 bytes and at least 16 bytes (IEEE 802.11-2020 12.7.2 item j).
    pub fn finish_padded(mut self) -> Zeroizing<Vec<u8>> {
        let len = self.buf.len();
        if len < 16 || !len.is_multiple_of(8) {
            let target = (len + 1).next_multiple_of(8).max(16);
            self.buf.push(EID_VENDOR);
            self.buf.resize(target, 0);
        }
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostapd_p2p_kdes() {
        // hostap src/rsn_supp/wpa.c builds the request as dd 05 50 6f 9a 04 01;
        // src/ap/wpa_auth.c the allocation as dd 10 50 6f 9a 05 + ip, mask, go ip.
        let alloc = IpAllocation {
            ip: Ipv4Addr::new(192, 168, 49, 23),
            netmask: Ipv4Addr::new(255, 255, 255, 0),
            go_ip: Ipv4Addr::new(192, 168, 49, 1),
        };
        let kd = KeyDataBuilder::new()
            .ip_request()
            .ip_allocation(&alloc)
            .finish();
        assert_eq!(
            &kd[..],
            &[
                0xdd, 0x05, 0x50, 0x6f, 0x9a, 0x04, 0x01, 0xdd, 0x10, 0x50, 0x6f, 0x9a, 0x05, 192,
                168, 49, 23, 255, 255, 255, 0, 192, 168, 49, 1
            ]
        );
        let parsed = KeyData::parse(&kd).expect("valid");
        assert!(parsed.ip_requested());
        assert_eq!(parsed.ip_allocation(), Some(alloc));
    }

    #[test]
    fn padding_rules() {
        // 7 bytes -> 16 (minimum), 16 -> 16, 17 -> 24, 24 -> 24.
        let kd = KeyDataBuilder::new().ip_request().finish_padded();
        assert_eq!(kd.len(), 16);
        assert_eq!(&kd[7..], &[0xdd, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(KeyData::parse(&kd).expect("valid").elements.len(), 1);
        let kd16 = KeyDataBuilder::new()
            .element(&[
                0x30, 14, 1, 0, 0, 0x0f, 0xac, 4, 1, 0, 0, 0x0f, 0xac, 4, 0, 0,
            ])
            .finish_padded();
        assert_eq!(kd16.len(), 16);
        let kd24 = KeyDataBuilder::new()
            .gtk(1, false, &[0x77; 16])
            .finish_padded();
        assert_eq!(kd24.len(), 24);
        assert_eq!(kd24[..8], [0xdd, 22, 0x00, 0x0f, 0xac, 1, 1, 0]);
        let kd17 = KeyDataBuilder::new()
            .element(&[0xdd, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
            .finish_padded();
        assert_eq!(kd17.len(), 24);
        assert_eq!(kd17[17], 0xdd);
        // A lone 0xdd at the very end is padding as well.
        assert!(KeyData::parse(&[0xdd]).expect("valid").elements.is_empty());
    }

    #[test]
    fn gtk_kde_fields_and_redaction() {
        let kd = KeyDataBuilder::new().gtk(2, true, &[0x42; 16]).finish();
        let parsed = KeyData::parse(&kd).expect("valid");
        let g = parsed.gtk().expect("gtk");
        assert_eq!((g.key_id, g.tx, g.key), (2, true, &[0x42u8; 16][..]));
        assert!(!format!("{g:?}").contains("42"));
    }

    #[test]
    fn errors() {
        assert_eq!(
            KeyData::parse(&[0x30, 5, 1]),
            Err(KeyDataError::Truncated { offset: 0 })
        );
        assert_eq!(
            KeyData::parse(&[0x30]),
            Err(KeyDataError::Truncated { offset: 0 })
        );
        assert_eq!(
            KeyData::parse(&[0xdd, 6, 0x00, 0x0f, 0xac, 1, 0, 0]),
            Err(KeyDataError::BadLength { kde: "GTK", len: 2 })
        );
        assert_eq!(
            KeyData::parse(&[0xdd, 5, 0x50, 0x6f, 0x9a, 5, 1]),
            Err(KeyDataError::BadLength {
                kde: "IP Address Allocation",
                len: 1
            })
        );
        // Unknown KDEs and elements survive.
        let parsed = KeyData::parse(&[0xdd, 5, 1, 2, 3, 9, 7, 244, 1, 0x20]).expect("valid");
        assert_eq!(
            parsed.elements,
            vec![
                KeyDataElement::Kde {
                    oui: [1, 2, 3],
                    data_type: 9,
                    data: &[7]
                },
                KeyDataElement::Element {
                    id: 244,
                    data: &[0x20]
                }
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..120)) {
            let _ = KeyData::parse(&bytes);
        }
    }
}
