//! Typed values carried by WSC attributes. Numbers follow the WSC 2.0 specification
//! (section 12, "Data Element Definitions"); every enum-like value is a newtype that keeps
//! values it does not know.

use std::fmt;

/// Declares a newtype over an integer with named constants and a Debug that prints the name.
macro_rules! named_values {
    ($(#[$m:meta])* $name:ident($int:ty) { $($(#[$cm:meta])* $c:ident = $v:expr),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $int);
        impl $name {
            $($(#[$cm])* pub const $c: Self = Self($v);)*
            /// The constant's name, if this value is a known one.
            pub fn name(self) -> Option<&'static str> {
                match self { $(Self::$c => Some(stringify!($c)),)* _ => None }
            }
        }
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    Some(n) => write!(f, "{}({})", stringify!($name), n),
                    None => write!(f, "{}({:#x})", stringify!($name), self.0),
                }
            }
        }
    };
}
pub(crate) use named_values;

named_values! {
    /// Message Type attribute (0x1022) values.
    MessageType(u8) {
        BEACON = 0x01, PROBE_REQUEST = 0x02, PROBE_RESPONSE = 0x03,
        M1 = 0x04, M2 = 0x05, M2D = 0x06, M3 = 0x07, M4 = 0x08, M5 = 0x09, M6 = 0x0a,
        M7 = 0x0b, M8 = 0x0c, WSC_ACK = 0x0d, WSC_NACK = 0x0e, WSC_DONE = 0x0f,
    }
}

named_values! {
    /// Device Password ID attribute (0x1012) values.
    DevicePasswordId(u16) {
        /// Default PIN (the enrollee's label/display PIN).
        DEFAULT = 0, USER_SPECIFIED = 1, MACHINE_SPECIFIED = 2, REKEY = 3,
        PUSH_BUTTON = 4, REGISTRAR_SPECIFIED = 5, NFC_CONNECTION_HANDOVER = 7,
        P2PS_DEFAULT = 8,
    }
}

named_values! {
    /// Configuration Error attribute (0x1009) values.
    ConfigError(u16) {
        NO_ERROR = 0, OOB_INTERFACE_READ_ERROR = 1, DECRYPTION_CRC_FAILURE = 2,
        CHANNEL_24_NOT_SUPPORTED = 3, CHANNEL_50_NOT_SUPPORTED = 4, SIGNAL_TOO_WEAK = 5,
        NETWORK_AUTH_FAILURE = 6, NETWORK_ASSOCIATION_FAILURE = 7, NO_DHCP_RESPONSE = 8,
        FAILED_DHCP_CONFIG = 9, IP_ADDRESS_CONFLICT = 10, COULD_NOT_CONNECT_TO_REGISTRAR = 11,
        MULTIPLE_PBC_SESSIONS_DETECTED = 12, ROGUE_ACTIVITY_SUSPECTED = 13, DEVICE_BUSY = 14,
        SETUP_LOCKED = 15, MESSAGE_TIMEOUT = 16, REGISTRATION_SESSION_TIMEOUT = 17,
        DEVICE_PASSWORD_AUTH_FAILURE = 18,
    }
}

named_values! {
    /// Request Type attribute (0x103A) values.
    RequestType(u8) {
        ENROLLEE_INFO = 0, ENROLLEE_OPEN_8021X = 1, REGISTRAR = 2, WLAN_MANAGER_REGISTRAR = 3,
    }
}

named_values! {
    /// Response Type attribute (0x103B) values.
    ResponseType(u8) {
        ENROLLEE_INFO = 0, ENROLLEE_OPEN_8021X = 1, REGISTRAR = 2, AP = 3,
    }
}

named_values! {
    /// Wi-Fi Protected Setup State attribute (0x1044) values.
    WpsState(u8) { NOT_CONFIGURED = 1, CONFIGURED = 2 }
}

named_values! {
    /// Association State attribute (0x1002) values.
    AssociationState(u16) {
        NOT_ASSOCIATED = 0, CONNECTION_SUCCESS = 1, CONFIGURATION_FAILURE = 2,
        ASSOCIATION_FAILURE = 3, IP_FAILURE = 4,
    }
}

named_values! {
    /// Authentication Type attribute (0x1003) values, one bit of [`AuthTypes`].
    AuthType(u16) {
        OPEN = 0x0001, WPA_PERSONAL = 0x0002, SHARED = 0x0004, WPA_ENTERPRISE = 0x0008,
        WPA2_ENTERPRISE = 0x0010, WPA2_PERSONAL = 0x0020,
    }
}

named_values! {
    /// Encryption Type attribute (0x100F) values, one bit of [`EncrTypes`].
    EncrType(u16) { NONE = 0x0001, WEP = 0x0002, TKIP = 0x0004, AES = 0x0008 }
}

bitflags::bitflags! {
    /// Authentication Type Flags (0x1004). Unknown bits are kept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct AuthTypes: u16 {
        const OPEN = 0x0001;
        const WPA_PERSONAL = 0x0002;
        const SHARED = 0x0004;
        const WPA_ENTERPRISE = 0x0008;
        const WPA2_ENTERPRISE = 0x0010;
        const WPA2_PERSONAL = 0x0020;
        const _ = !0;
    }
}

bitflags::bitflags! {
    /// Encryption Type Flags (0x1010). Unknown bits are kept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct EncrTypes: u16 {
        const NONE = 0x0001;
        const WEP = 0x0002;
        const TKIP = 0x0004;
        const AES = 0x0008;
        const _ = !0;
    }
}

bitflags::bitflags! {
    /// Configuration Methods (0x1008) and Selected Registrar Configuration Methods (0x1053);
    /// also the Config Methods field of P2P Device Info and Client Info descriptors (the
    /// one type for both; `p2p::wire::ConfigMethods` re-exports it). Values from hostap
    /// `src/wps/wps_defs.h`; the virtual/physical variants include the base bit.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct ConfigMethods: u16 {
        const USBA = 0x0001;
        const ETHERNET = 0x0002;
        const LABEL = 0x0004;
        const DISPLAY = 0x0008;
        const EXT_NFC_TOKEN = 0x0010;
        const INT_NFC_TOKEN = 0x0020;
        const NFC_INTERFACE = 0x0040;
        const PUSH_BUTTON = 0x0080;
        const KEYPAD = 0x0100;
        const VIRTUAL_PUSH_BUTTON = 0x0280;
        const PHYSICAL_PUSH_BUTTON = 0x0480;
        const P2PS = 0x1000;
        const VIRTUAL_DISPLAY = 0x2008;
        const PHYSICAL_DISPLAY = 0x4008;
        const _ = !0;
    }
}

bitflags::bitflags! {
    /// Connection Type Flags (0x100D).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct ConnTypes: u8 {
        const ESS = 0x01;
        const IBSS = 0x02;
        const _ = !0;
    }
}

bitflags::bitflags! {
    /// RF Bands (0x103C).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct RfBands: u8 {
        const BAND_2_4_GHZ = 0x01;
        const BAND_5_GHZ = 0x02;
        const BAND_60_GHZ = 0x04;
        const _ = !0;
    }
}

/// Primary/Secondary/Requested Device Type (WSC 2.0 section 12, 8 bytes: category BE16,
/// OUI and OUI type (4 bytes), sub-category BE16). The one device type of the workspace:
/// WSC attributes, P2P Device Info / Client Info descriptors and the control interface
/// (written `<cat>-<OUI as 8 hex digits, uppercase>-<sub>` as hostap's
/// `wps_dev_type_bin2str()` does, e.g. `1-0050F204-1`: Computer, Wi-Fi Alliance OUI, PC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DeviceType {
    /// Category ID (1 computer, 7 display, 10 telephone, ...).
    pub category: u16,
    /// OUI and type; 00 50 F2 04 for the WSC-defined categories.
    pub oui: [u8; 4],
    /// Sub category ID.
    pub sub_category: u16,
}

impl DeviceType {
    /// The WFA OUI and type used in device types: 00 50 F2 04.
    pub const WFA_OUI: [u8; 4] = [0x00, 0x50, 0xf2, 0x04];

    /// A standard (WFA-OUI) device type.
    pub const fn new(category: u16, sub_category: u16) -> Self {
        DeviceType { category, oui: Self::WFA_OUI, sub_category }
    }

    pub fn from_bytes(b: [u8; 8]) -> Self {
        DeviceType {
            category: u16::from_be_bytes([b[0], b[1]]),
            oui: [b[2], b[3], b[4], b[5]],
            sub_category: u16::from_be_bytes([b[6], b[7]]),
        }
    }

    pub fn to_bytes(self) -> [u8; 8] {
        let c = self.category.to_be_bytes();
        let s = self.sub_category.to_be_bytes();
        [
            c[0],
            c[1],
            self.oui[0],
            self.oui[1],
            self.oui[2],
            self.oui[3],
            s[0],
            s[1],
        ]
    }
}

/// The text is not `<category>-<8 hex digits>-<sub category>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid device type {0:?} (expected e.g. 1-0050F204-1)")]
pub struct DeviceTypeError(pub String);

impl core::str::FromStr for DeviceType {
    type Err = DeviceTypeError;

    /// Parses the form `wps_dev_type_str2bin()` reads: decimal category, `-`, OUI as exactly 8
    /// hex digits, `-`, decimal sub-category.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DeviceTypeError(s.to_owned());
        let mut parts = s.split('-');
        let (Some(cat), Some(oui), Some(sub), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        let dec = |t: &str| -> Option<u16> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        };
        if oui.len() != 8 || !oui.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err());
        }
        Ok(DeviceType {
            category: dec(cat).ok_or_else(err)?,
            oui: u32::from_str_radix(oui, 16).map_err(|_| err())?.to_be_bytes(),
            sub_category: dec(sub).ok_or_else(err)?,
        })
    }
}

impl fmt::Display for DeviceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:08X}-{}", self.category, u32::from_be_bytes(self.oui), self.sub_category)
    }
}

/// The Wi-Fi Alliance vendor id inside a Vendor Extension attribute: 00 37 2A.
pub const WFA_VENDOR_ID: [u8; 3] = [0x00, 0x37, 0x2a];
/// Version2 value this crate speaks (WSC 2.0).
pub const VERSION2: u8 = 0x20;
/// Value of the (deprecated, always 1.0) Version attribute.
pub const VERSION1: u8 = 0x10;

/// One subelement of the WFA vendor extension (id u8, length u8, value).
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum WfaSubelement {
    /// Version2 (id 0x00), 0x20 for WSC 2.0.
    Version2(u8),
    /// AuthorizedMACs (id 0x01): up to five MAC addresses.
    AuthorizedMacs(Vec<[u8; 6]>),
    /// Network Key Shareable (id 0x02).
    NetworkKeyShareable(bool),
    /// Request to Enroll (id 0x03).
    RequestToEnroll(bool),
    /// Settings Delay Time (id 0x04), seconds.
    SettingsDelayTime(u8),
    /// A subelement this crate does not interpret.
    Other { id: u8, value: Vec<u8> },
}

impl fmt::Debug for WfaSubelement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Version2(v) => write!(f, "Version2({v:#x})"),
            Self::AuthorizedMacs(m) => write!(f, "AuthorizedMacs({} addresses)", m.len()),
            Self::NetworkKeyShareable(b) => write!(f, "NetworkKeyShareable({b})"),
            Self::RequestToEnroll(b) => write!(f, "RequestToEnroll({b})"),
            Self::SettingsDelayTime(t) => write!(f, "SettingsDelayTime({t})"),
            Self::Other { id, value } => write!(f, "Other({id:#x}, {} bytes)", value.len()),
        }
    }
}

impl WfaSubelement {
    pub fn id(&self) -> u8 {
        match self {
            Self::Version2(_) => 0x00,
            Self::AuthorizedMacs(_) => 0x01,
            Self::NetworkKeyShareable(_) => 0x02,
            Self::RequestToEnroll(_) => 0x03,
            Self::SettingsDelayTime(_) => 0x04,
            Self::Other { id, .. } => *id,
        }
    }

    fn value(&self) -> Vec<u8> {
        match self {
            Self::Version2(v) | Self::SettingsDelayTime(v) => vec![*v],
            Self::AuthorizedMacs(m) => m.iter().flatten().copied().collect(),
            Self::NetworkKeyShareable(b) | Self::RequestToEnroll(b) => vec![u8::from(*b)],
            Self::Other { value, .. } => value.clone(),
        }
    }

    fn parse(id: u8, v: &[u8]) -> Option<Self> {
        let one = || (v.len() == 1).then(|| v[0]);
        Some(match id {
            0x00 => Self::Version2(one()?),
            0x01 if !v.is_empty() && v.len().is_multiple_of(6) && v.len() <= 30 => {
                Self::AuthorizedMacs(
                    v.chunks_exact(6)
                        .map(|c| [c[0], c[1], c[2], c[3], c[4], c[5]])
                        .collect(),
                )
            }
            0x02 => Self::NetworkKeyShareable(one()? != 0),
            0x03 => Self::RequestToEnroll(one()? != 0),
            0x04 => Self::SettingsDelayTime(one()?),
            _ => return None,
        })
    }
}

/// Body of a Vendor Extension attribute (0x1049).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VendorExtension {
    /// The Wi-Fi Alliance extension (vendor id 00 37 2A) with its subelements.
    Wfa(Vec<WfaSubelement>),
    /// Any other vendor's extension, kept as is.
    Other { vendor_id: [u8; 3], data: Vec<u8> },
}

impl VendorExtension {
    /// The WFA extension carrying only Version2 = 0x20.
    pub fn wfa_v2() -> Self {
        VendorExtension::Wfa(vec![WfaSubelement::Version2(VERSION2)])
    }

    /// Parses a vendor extension body; `None` if it is shorter than the vendor id or its
    /// WFA subelements are malformed.
    pub fn parse(v: &[u8]) -> Option<Self> {
        let (id, rest) = v.split_first_chunk::<3>()?;
        if *id != WFA_VENDOR_ID {
            return Some(VendorExtension::Other {
                vendor_id: *id,
                data: rest.to_vec(),
            });
        }
        let mut subs = Vec::new();
        let mut rest = rest;
        while !rest.is_empty() {
            let [sid, len, tail @ ..] = rest else {
                return None;
            };
            let len = usize::from(*len);
            if tail.len() < len {
                return None;
            }
            let (value, more) = tail.split_at(len);
            subs.push(
                WfaSubelement::parse(*sid, value).unwrap_or_else(|| WfaSubelement::Other {
                    id: *sid,
                    value: value.to_vec(),
                }),
            );
            rest = more;
        }
        Some(VendorExtension::Wfa(subs))
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        match self {
            VendorExtension::Wfa(subs) => {
                out.extend_from_slice(&WFA_VENDOR_ID);
                for s in subs {
                    let v = s.value();
                    out.push(s.id());
                    // Subelement values are at most 30 bytes when built by this crate;
                    // longer `Other` values are cut at 255 to stay encodable.
                    let n = v.len().min(255);
                    out.push(n as u8);
                    out.extend_from_slice(&v[..n]);
                }
            }
            VendorExtension::Other { vendor_id, data } => {
                out.extend_from_slice(vendor_id);
                out.extend_from_slice(data);
            }
        }
    }

    /// Version2 from a WFA extension.
    pub fn version2(&self) -> Option<u8> {
        match self {
            VendorExtension::Wfa(s) => s.iter().find_map(|e| match e {
                WfaSubelement::Version2(v) => Some(*v),
                _ => None,
            }),
            VendorExtension::Other { .. } => None,
        }
    }
}
