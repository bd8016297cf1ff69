//! WSC attributes: 2-byte BIG-endian type, 2-byte BIG-endian length, value
//! (WSC 2.0 section 12, table 28). Every attribute type is typed where its value carries
//! meaning; unknown types survive a round trip as [`Attribute::Other`].

mod values;

use std::fmt;

pub use values::*;
use zeroize::Zeroizing;

named_values! {
    /// Attribute type (WSC 2.0 table 28; hostap `src/wps/wps_defs.h`).
    AttrType(u16) {
        AP_CHANNEL = 0x1001, ASSOCIATION_STATE = 0x1002, AUTH_TYPE = 0x1003,
        AUTH_TYPE_FLAGS = 0x1004, AUTHENTICATOR = 0x1005, CONFIG_METHODS = 0x1008,
        CONFIG_ERROR = 0x1009, CONFIRM_URL4 = 0x100a, CONFIRM_URL6 = 0x100b,
        CONNECTION_TYPE = 0x100c, CONNECTION_TYPE_FLAGS = 0x100d, CREDENTIAL = 0x100e,
        ENCR_TYPE = 0x100f, ENCR_TYPE_FLAGS = 0x1010, DEVICE_NAME = 0x1011,
        DEVICE_PASSWORD_ID = 0x1012, E_HASH1 = 0x1014, E_HASH2 = 0x1015, E_SNONCE1 = 0x1016,
        E_SNONCE2 = 0x1017, ENCRYPTED_SETTINGS = 0x1018, ENROLLEE_NONCE = 0x101a,
        FEATURE_ID = 0x101b, IDENTITY = 0x101c, IDENTITY_PROOF = 0x101d,
        KEY_WRAP_AUTHENTICATOR = 0x101e, KEY_IDENTIFIER = 0x101f, MAC_ADDRESS = 0x1020,
        MANUFACTURER = 0x1021, MESSAGE_TYPE = 0x1022, MODEL_NAME = 0x1023,
        MODEL_NUMBER = 0x1024, NETWORK_INDEX = 0x1026, NETWORK_KEY = 0x1027,
        NETWORK_KEY_INDEX = 0x1028, NEW_DEVICE_NAME = 0x1029, NEW_PASSWORD = 0x102a,
        OOB_DEVICE_PASSWORD = 0x102c, OS_VERSION = 0x102d, POWER_LEVEL = 0x102f,
        PSK_CURRENT = 0x1030, PSK_MAX = 0x1031, PUBLIC_KEY = 0x1032, RADIO_ENABLED = 0x1033,
        REBOOT = 0x1034, REGISTRAR_CURRENT = 0x1035, REGISTRAR_ESTABLISHED = 0x1036,
        REGISTRAR_LIST = 0x1037, REGISTRAR_MAX = 0x1038, REGISTRAR_NONCE = 0x1039,
        REQUEST_TYPE = 0x103a, RESPONSE_TYPE = 0x103b, RF_BANDS = 0x103c, R_HASH1 = 0x103d,
        R_HASH2 = 0x103e, R_SNONCE1 = 0x103f, R_SNONCE2 = 0x1040,
        SELECTED_REGISTRAR = 0x1041, SERIAL_NUMBER = 0x1042, WPS_STATE = 0x1044,
        SSID = 0x1045, TOTAL_NETWORKS = 0x1046, UUID_E = 0x1047, UUID_R = 0x1048,
        VENDOR_EXTENSION = 0x1049, VERSION = 0x104a, X509_CERT_REQUEST = 0x104b,
        X509_CERT = 0x104c, EAP_IDENTITY = 0x104d, MESSAGE_COUNTER = 0x104e,
        PUBLIC_KEY_HASH = 0x104f, REKEY_KEY = 0x1050, KEY_LIFETIME = 0x1051,
        PERMITTED_CONFIG_METHODS = 0x1052, SELECTED_REGISTRAR_CONFIG_METHODS = 0x1053,
        PRIMARY_DEVICE_TYPE = 0x1054, SECONDARY_DEVICE_TYPE_LIST = 0x1055,
        PORTABLE_DEVICE = 0x1056, AP_SETUP_LOCKED = 0x1057, APPLICATION_EXTENSION = 0x1058,
        EAP_TYPE = 0x1059, INITIALIZATION_VECTOR = 0x1060, KEY_PROVIDED_AUTOMATICALLY = 0x1061,
        ENABLED_8021X = 0x1062, APP_SESSION_KEY = 0x1063, WEP_TRANSMIT_KEY = 0x1064,
        REQUESTED_DEVICE_TYPE = 0x106a,
    }
}

/// Errors from attribute parsing. Input from the air never panics the parser.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttrError {
    #[error("truncated attribute header at offset {0}")]
    TruncatedHeader(usize),
    #[error("attribute {kind:?} at offset {offset} claims {len} bytes, only {left} left")]
    TruncatedValue {
        kind: AttrType,
        offset: usize,
        len: usize,
        left: usize,
    },
    #[error("attribute {kind:?} has invalid length {len}")]
    BadLength { kind: AttrType, len: usize },
    #[error("attribute {kind:?} has an invalid value")]
    BadValue { kind: AttrType },
    #[error("attribute value of {0} bytes does not fit a 16-bit length")]
    TooLong(usize),
}

/// One raw attribute as it sits on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawAttr<'a> {
    pub kind: AttrType,
    pub value: &'a [u8],
    /// Offset of the attribute header in the parsed buffer.
    pub offset: usize,
}

/// Iterates the raw TLVs of a buffer, failing on a truncated header or value.
pub fn raw_attrs(buf: &[u8]) -> impl Iterator<Item = Result<RawAttr<'_>, AttrError>> {
    let mut pos = 0usize;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || pos >= buf.len() {
            return None;
        }
        let Some(hdr) = buf.get(pos..pos + 4) else {
            failed = true;
            return Some(Err(AttrError::TruncatedHeader(pos)));
        };
        let kind = AttrType(u16::from_be_bytes([hdr[0], hdr[1]]));
        let len = usize::from(u16::from_be_bytes([hdr[2], hdr[3]]));
        let Some(value) = buf.get(pos + 4..pos + 4 + len) else {
            failed = true;
            let left = buf.len() - pos - 4;
            return Some(Err(AttrError::TruncatedValue {
                kind,
                offset: pos,
                len,
                left,
            }));
        };
        let a = RawAttr {
            kind,
            value,
            offset: pos,
        };
        pos += 4 + len;
        Some(Ok(a))
    })
}

/// Appends one TLV.
pub fn emit_tlv(out: &mut Vec<u8>, kind: AttrType, value: &[u8]) -> Result<(), AttrError> {
    let len = u16::try_from(value.len()).map_err(|_| AttrError::TooLong(value.len()))?;
    out.extend_from_slice(&kind.0.to_be_bytes());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(value);
    Ok(())
}

/// A 192-byte Diffie-Hellman public key (group 5), as carried in the Public Key attribute.
pub type PublicKeyBytes = Box<[u8; 192]>;

/// A typed WSC attribute.
#[derive(Clone, PartialEq, Eq)]
pub enum Attribute {
    Version(u8),
    MessageType(MessageType),
    UuidE([u8; 16]),
    UuidR([u8; 16]),
    MacAddress([u8; 6]),
    EnrolleeNonce([u8; 16]),
    RegistrarNonce([u8; 16]),
    PublicKey(PublicKeyBytes),
    AuthTypeFlags(AuthTypes),
    EncrTypeFlags(EncrTypes),
    ConnectionTypeFlags(ConnTypes),
    ConfigMethods(ConfigMethods),
    WpsState(WpsState),
    Manufacturer(Vec<u8>),
    ModelName(Vec<u8>),
    ModelNumber(Vec<u8>),
    SerialNumber(Vec<u8>),
    PrimaryDeviceType(DeviceType),
    SecondaryDeviceTypeList(Vec<DeviceType>),
    RequestedDeviceType(DeviceType),
    DeviceName(Vec<u8>),
    RfBands(RfBands),
    AssociationState(AssociationState),
    DevicePasswordId(DevicePasswordId),
    ConfigError(ConfigError),
    OsVersion(u32),
    EHash1([u8; 32]),
    EHash2([u8; 32]),
    RHash1([u8; 32]),
    RHash2([u8; 32]),
    ESNonce1(Zeroizing<[u8; 16]>),
    ESNonce2(Zeroizing<[u8; 16]>),
    RSNonce1(Zeroizing<[u8; 16]>),
    RSNonce2(Zeroizing<[u8; 16]>),
    EncryptedSettings(Vec<u8>),
    KeyWrapAuthenticator([u8; 8]),
    Authenticator([u8; 8]),
    /// Nested attributes of one credential (see `message::Credential`).
    Credential(Zeroizing<Vec<u8>>),
    NetworkIndex(u8),
    Ssid(Vec<u8>),
    NetworkKey(Zeroizing<Vec<u8>>),
    AuthType(AuthType),
    EncrType(EncrType),
    SelectedRegistrar(bool),
    SelectedRegistrarConfigMethods(ConfigMethods),
    ResponseType(ResponseType),
    RequestType(RequestType),
    ApSetupLocked(bool),
    VendorExtension(VendorExtension),
    /// Any other attribute type, kept byte for byte.
    Other {
        kind: AttrType,
        value: Vec<u8>,
    },
}

impl fmt::Debug for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Attribute as A;
        match self {
            A::ESNonce1(_)
            | A::ESNonce2(_)
            | A::RSNonce1(_)
            | A::RSNonce2(_)
            | A::NetworkKey(_)
            | A::Credential(_) => write!(f, "{:?}(<redacted>)", self.kind()),
            A::PublicKey(_) => write!(f, "PublicKey(192 bytes)"),
            A::EncryptedSettings(v) => write!(f, "EncryptedSettings({} bytes)", v.len()),
            A::Other { kind, value } => write!(f, "{kind:?}({})", hex(value)),
            A::Manufacturer(v)
            | A::ModelName(v)
            | A::ModelNumber(v)
            | A::SerialNumber(v)
            | A::DeviceName(v)
            | A::Ssid(v) => {
                write!(f, "{:?}({:?})", self.kind(), String::from_utf8_lossy(v))
            }
            A::Version(v) => write!(f, "Version({v:#x})"),
            A::MessageType(v) => write!(f, "{v:?}"),
            A::UuidE(v) | A::UuidR(v) | A::EnrolleeNonce(v) | A::RegistrarNonce(v) => {
                write!(f, "{:?}({})", self.kind(), hex(v))
            }
            A::MacAddress(m) => write!(f, "MacAddress({})", hex(m)),
            A::EHash1(h) | A::EHash2(h) | A::RHash1(h) | A::RHash2(h) => {
                write!(f, "{:?}({})", self.kind(), hex(h))
            }
            A::KeyWrapAuthenticator(a) | A::Authenticator(a) => {
                write!(f, "{:?}({})", self.kind(), hex(a))
            }
            A::AuthTypeFlags(v) => write!(f, "{v:?}"),
            A::EncrTypeFlags(v) => write!(f, "{v:?}"),
            A::ConnectionTypeFlags(v) => write!(f, "{v:?}"),
            A::ConfigMethods(v) => write!(f, "ConfigMethods({v:?})"),
            A::SelectedRegistrarConfigMethods(v) => {
                write!(f, "SelectedRegistrarConfigMethods({v:?})")
            }
            A::WpsState(v) => write!(f, "{v:?}"),
            A::PrimaryDeviceType(d) | A::RequestedDeviceType(d) => {
                write!(f, "{:?}({d:?})", self.kind())
            }
            A::SecondaryDeviceTypeList(l) => write!(f, "SecondaryDeviceTypeList({l:?})"),
            A::RfBands(v) => write!(f, "{v:?}"),
            A::AssociationState(v) => write!(f, "{v:?}"),
            A::DevicePasswordId(v) => write!(f, "{v:?}"),
            A::ConfigError(v) => write!(f, "{v:?}"),
            A::OsVersion(v) => write!(f, "OsVersion({v:#x})"),
            A::NetworkIndex(v) => write!(f, "NetworkIndex({v})"),
            A::AuthType(v) => write!(f, "{v:?}"),
            A::EncrType(v) => write!(f, "{v:?}"),
            A::SelectedRegistrar(v) => write!(f, "SelectedRegistrar({v})"),
            A::ResponseType(v) => write!(f, "{v:?}"),
            A::RequestType(v) => write!(f, "{v:?}"),
            A::ApSetupLocked(v) => write!(f, "ApSetupLocked({v})"),
            A::VendorExtension(v) => write!(f, "VendorExtension({v:?})"),
        }
    }
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn arr<const N: usize>(kind: AttrType, v: &[u8]) -> Result<[u8; N], AttrError> {
    v.try_into()
        .map_err(|_| AttrError::BadLength { kind, len: v.len() })
}

impl Attribute {
    /// The attribute type this value is carried in.
    pub fn kind(&self) -> AttrType {
        use Attribute as A;
        match self {
            A::Version(_) => AttrType::VERSION,
            A::MessageType(_) => AttrType::MESSAGE_TYPE,
            A::UuidE(_) => AttrType::UUID_E,
            A::UuidR(_) => AttrType::UUID_R,
            A::MacAddress(_) => AttrType::MAC_ADDRESS,
            A::EnrolleeNonce(_) => AttrType::ENROLLEE_NONCE,
            A::RegistrarNonce(_) => AttrType::REGISTRAR_NONCE,
            A::PublicKey(_) => AttrType::PUBLIC_KEY,
            A::AuthTypeFlags(_) => AttrType::AUTH_TYPE_FLAGS,
            A::EncrTypeFlags(_) => AttrType::ENCR_TYPE_FLAGS,
            A::ConnectionTypeFlags(_) => AttrType::CONNECTION_TYPE_FLAGS,
            A::ConfigMethods(_) => AttrType::CONFIG_METHODS,
            A::WpsState(_) => AttrType::WPS_STATE,
            A::Manufacturer(_) => AttrType::MANUFACTURER,
            A::ModelName(_) => AttrType::MODEL_NAME,
            A::ModelNumber(_) => AttrType::MODEL_NUMBER,
            A::SerialNumber(_) => AttrType::SERIAL_NUMBER,
            A::PrimaryDeviceType(_) => AttrType::PRIMARY_DEVICE_TYPE,
            A::SecondaryDeviceTypeList(_) => AttrType::SECONDARY_DEVICE_TYPE_LIST,
            A::RequestedDeviceType(_) => AttrType::REQUESTED_DEVICE_TYPE,
            A::DeviceName(_) => AttrType::DEVICE_NAME,
            A::RfBands(_) => AttrType::RF_BANDS,
            A::AssociationState(_) => AttrType::ASSOCIATION_STATE,
            A::DevicePasswordId(_) => AttrType::DEVICE_PASSWORD_ID,
            A::ConfigError(_) => AttrType::CONFIG_ERROR,
            A::OsVersion(_) => AttrType::OS_VERSION,
            A::EHash1(_) => AttrType::E_HASH1,
            A::EHash2(_) => AttrType::E_HASH2,
            A::RHash1(_) => AttrType::R_HASH1,
            A::RHash2(_) => AttrType::R_HASH2,
            A::ESNonce1(_) => AttrType::E_SNONCE1,
            A::ESNonce2(_) => AttrType::E_SNONCE2,
            A::RSNonce1(_) => AttrType::R_SNONCE1,
            A::RSNonce2(_) => AttrType::R_SNONCE2,
            A::EncryptedSettings(_) => AttrType::ENCRYPTED_SETTINGS,
            A::KeyWrapAuthenticator(_) => AttrType::KEY_WRAP_AUTHENTICATOR,
            A::Authenticator(_) => AttrType::AUTHENTICATOR,
            A::Credential(_) => AttrType::CREDENTIAL,
            A::NetworkIndex(_) => AttrType::NETWORK_INDEX,
            A::Ssid(_) => AttrType::SSID,
            A::NetworkKey(_) => AttrType::NETWORK_KEY,
            A::AuthType(_) => AttrType::AUTH_TYPE,
            A::EncrType(_) => AttrType::ENCR_TYPE,
            A::SelectedRegistrar(_) => AttrType::SELECTED_REGISTRAR,
            A::SelectedRegistrarConfigMethods(_) => AttrType::SELECTED_REGISTRAR_CONFIG_METHODS,
            A::ResponseType(_) => AttrType::RESPONSE_TYPE,
            A::RequestType(_) => AttrType::REQUEST_TYPE,
            A::ApSetupLocked(_) => AttrType::AP_SETUP_LOCKED,
            A::VendorExtension(_) => AttrType::VENDOR_EXTENSION,
            A::Other { kind, .. } => *kind,
        }
    }

    /// Types a raw attribute. Known types with a wrong length or value are errors.
    pub fn parse(kind: AttrType, v: &[u8]) -> Result<Attribute, AttrError> {
        use Attribute as A;
        let bad = || AttrError::BadValue { kind };
        let u8v = || arr::<1>(kind, v).map(|b| b[0]);
        let u16v = || arr::<2>(kind, v).map(u16::from_be_bytes);
        let boolv = || u8v().map(|b| b != 0);
        let n16 = || arr::<16>(kind, v);
        let n32 = || arr::<32>(kind, v);
        Ok(match kind {
            AttrType::VERSION => A::Version(u8v()?),
            AttrType::MESSAGE_TYPE => A::MessageType(MessageType(u8v()?)),
            AttrType::UUID_E => A::UuidE(n16()?),
            AttrType::UUID_R => A::UuidR(n16()?),
            AttrType::MAC_ADDRESS => A::MacAddress(arr(kind, v)?),
            AttrType::ENROLLEE_NONCE => A::EnrolleeNonce(n16()?),
            AttrType::REGISTRAR_NONCE => A::RegistrarNonce(n16()?),
            AttrType::PUBLIC_KEY => A::PublicKey(Box::new(arr(kind, v)?)),
            AttrType::AUTH_TYPE_FLAGS => A::AuthTypeFlags(AuthTypes::from_bits_retain(u16v()?)),
            AttrType::ENCR_TYPE_FLAGS => A::EncrTypeFlags(EncrTypes::from_bits_retain(u16v()?)),
            AttrType::CONNECTION_TYPE_FLAGS => {
                A::ConnectionTypeFlags(ConnTypes::from_bits_retain(u8v()?))
            }
            AttrType::CONFIG_METHODS => A::ConfigMethods(ConfigMethods::from_bits_retain(u16v()?)),
            AttrType::WPS_STATE => A::WpsState(WpsState(u8v()?)),
            // Strings are not length-checked: devices in the field exceed the spec limits.
            AttrType::MANUFACTURER => A::Manufacturer(v.to_vec()),
            AttrType::MODEL_NAME => A::ModelName(v.to_vec()),
            AttrType::MODEL_NUMBER => A::ModelNumber(v.to_vec()),
            AttrType::SERIAL_NUMBER => A::SerialNumber(v.to_vec()),
            AttrType::DEVICE_NAME => A::DeviceName(v.to_vec()),
            AttrType::PRIMARY_DEVICE_TYPE => {
                A::PrimaryDeviceType(DeviceType::from_bytes(arr(kind, v)?))
            }
            AttrType::REQUESTED_DEVICE_TYPE => {
                A::RequestedDeviceType(DeviceType::from_bytes(arr(kind, v)?))
            }
            AttrType::SECONDARY_DEVICE_TYPE_LIST => {
                if v.is_empty() || !v.len().is_multiple_of(8) {
                    return Err(AttrError::BadLength { kind, len: v.len() });
                }
                A::SecondaryDeviceTypeList(
                    v.chunks_exact(8)
                        .map(|c| {
                            let mut b = [0u8; 8];
                            b.copy_from_slice(c);
                            DeviceType::from_bytes(b)
                        })
                        .collect(),
                )
            }
            AttrType::RF_BANDS => A::RfBands(RfBands::from_bits_retain(u8v()?)),
            AttrType::ASSOCIATION_STATE => A::AssociationState(AssociationState(u16v()?)),
            AttrType::DEVICE_PASSWORD_ID => A::DevicePasswordId(DevicePasswordId(u16v()?)),
            AttrType::CONFIG_ERROR => A::ConfigError(ConfigError(u16v()?)),
            AttrType::OS_VERSION => A::OsVersion(u32::from_be_bytes(arr(kind, v)?)),
            AttrType::E_HASH1 => A::EHash1(n32()?),
            AttrType::E_HASH2 => A::EHash2(n32()?),
            AttrType::R_HASH1 => A::RHash1(n32()?),
            AttrType::R_HASH2 => A::RHash2(n32()?),
            AttrType::E_SNONCE1 => A::ESNonce1(Zeroizing::new(n16()?)),
            AttrType::E_SNONCE2 => A::ESNonce2(Zeroizing::new(n16()?)),
            AttrType::R_SNONCE1 => A::RSNonce1(Zeroizing::new(n16()?)),
            AttrType::R_SNONCE2 => A::RSNonce2(Zeroizing::new(n16()?)),
            AttrType::ENCRYPTED_SETTINGS => A::EncryptedSettings(v.to_vec()),
            AttrType::KEY_WRAP_AUTHENTICATOR => A::KeyWrapAuthenticator(arr(kind, v)?),
            AttrType::AUTHENTICATOR => A::Authenticator(arr(kind, v)?),
            AttrType::CREDENTIAL => A::Credential(Zeroizing::new(v.to_vec())),
            AttrType::NETWORK_INDEX => A::NetworkIndex(u8v()?),
            AttrType::SSID if v.len() <= 32 => A::Ssid(v.to_vec()),
            AttrType::SSID => return Err(AttrError::BadLength { kind, len: v.len() }),
            AttrType::NETWORK_KEY if v.len() <= 64 => A::NetworkKey(Zeroizing::new(v.to_vec())),
            AttrType::NETWORK_KEY => return Err(AttrError::BadLength { kind, len: v.len() }),
            AttrType::AUTH_TYPE => A::AuthType(AuthType(u16v()?)),
            AttrType::ENCR_TYPE => A::EncrType(EncrType(u16v()?)),
            AttrType::SELECTED_REGISTRAR => A::SelectedRegistrar(boolv()?),
            AttrType::SELECTED_REGISTRAR_CONFIG_METHODS => {
                A::SelectedRegistrarConfigMethods(ConfigMethods::from_bits_retain(u16v()?))
            }
            AttrType::RESPONSE_TYPE => A::ResponseType(ResponseType(u8v()?)),
            AttrType::REQUEST_TYPE => A::RequestType(RequestType(u8v()?)),
            AttrType::AP_SETUP_LOCKED => A::ApSetupLocked(boolv()?),
            AttrType::VENDOR_EXTENSION => {
                A::VendorExtension(VendorExtension::parse(v).ok_or_else(bad)?)
            }
            _ => A::Other {
                kind,
                value: v.to_vec(),
            },
        })
    }

    /// Appends this attribute as a TLV.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), AttrError> {
        use Attribute as A;
        let kind = self.kind();
        let mut tmp;
        let v: &[u8] = match self {
            A::Version(b) | A::NetworkIndex(b) => std::slice::from_ref(b),
            A::MessageType(t) => std::slice::from_ref(&t.0),
            A::WpsState(s) => std::slice::from_ref(&s.0),
            A::ResponseType(t) => std::slice::from_ref(&t.0),
            A::RequestType(t) => std::slice::from_ref(&t.0),
            A::UuidE(b) | A::UuidR(b) | A::EnrolleeNonce(b) | A::RegistrarNonce(b) => b,
            A::ESNonce1(b) | A::ESNonce2(b) | A::RSNonce1(b) | A::RSNonce2(b) => &b[..],
            A::MacAddress(b) => b,
            A::PublicKey(b) => &b[..],
            A::EHash1(b) | A::EHash2(b) | A::RHash1(b) | A::RHash2(b) => b,
            A::KeyWrapAuthenticator(b) | A::Authenticator(b) => b,
            A::Manufacturer(b)
            | A::ModelName(b)
            | A::ModelNumber(b)
            | A::SerialNumber(b)
            | A::DeviceName(b)
            | A::Ssid(b)
            | A::EncryptedSettings(b) => b,
            A::Credential(b) | A::NetworkKey(b) => b,
            A::Other { value, .. } => value,
            A::ConnectionTypeFlags(f) => {
                tmp = vec![f.bits()];
                &tmp
            }
            A::RfBands(f) => {
                tmp = vec![f.bits()];
                &tmp
            }
            A::SelectedRegistrar(b) | A::ApSetupLocked(b) => {
                tmp = vec![u8::from(*b)];
                &tmp
            }
            A::AuthTypeFlags(f) => {
                tmp = f.bits().to_be_bytes().to_vec();
                &tmp
            }
            A::EncrTypeFlags(f) => {
                tmp = f.bits().to_be_bytes().to_vec();
                &tmp
            }
            A::ConfigMethods(f) | A::SelectedRegistrarConfigMethods(f) => {
                tmp = f.bits().to_be_bytes().to_vec();
                &tmp
            }
            A::AssociationState(s) => {
                tmp = s.0.to_be_bytes().to_vec();
                &tmp
            }
            A::DevicePasswordId(s) => {
                tmp = s.0.to_be_bytes().to_vec();
                &tmp
            }
            A::ConfigError(s) => {
                tmp = s.0.to_be_bytes().to_vec();
                &tmp
            }
            A::AuthType(s) => {
                tmp = s.0.to_be_bytes().to_vec();
                &tmp
            }
            A::EncrType(s) => {
                tmp = s.0.to_be_bytes().to_vec();
                &tmp
            }
            A::OsVersion(x) => {
                tmp = x.to_be_bytes().to_vec();
                &tmp
            }
            A::PrimaryDeviceType(d) | A::RequestedDeviceType(d) => {
                tmp = d.to_bytes().to_vec();
                &tmp
            }
            A::SecondaryDeviceTypeList(l) => {
                tmp = l.iter().flat_map(|d| d.to_bytes()).collect();
                &tmp
            }
            A::VendorExtension(e) => {
                tmp = Vec::new();
                e.emit(&mut tmp);
                &tmp
            }
        };
        emit_tlv(out, kind, v)
    }

    /// Parses a whole buffer into typed attributes.
    pub fn parse_all(buf: &[u8]) -> Result<Vec<Attribute>, AttrError> {
        raw_attrs(buf)
            .map(|r| r.and_then(|a| Attribute::parse(a.kind, a.value)))
            .collect()
    }

    /// Emits a list of attributes.
    pub fn emit_all(attrs: &[Attribute]) -> Result<Vec<u8>, AttrError> {
        let mut out = Vec::new();
        for a in attrs {
            a.emit(&mut out)?;
        }
        Ok(out)
    }
}

/// The UUID hostap and iwd derive from a MAC address when none is configured: SHA-1 over a
/// fixed namespace and the address, as a name-based (version 5) RFC 4122 UUID.
pub fn uuid_from_mac(mac: &[u8; 6]) -> [u8; 16] {
    const NAMESPACE: [u8; 16] = [
        0x52, 0x64, 0x80, 0xf8, 0xc9, 0x9b, 0x4b, 0xe5, 0xa6, 0x55, 0x58, 0xed, 0x5f, 0x5d, 0x60,
        0x84,
    ];
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
    ctx.update(&NAMESPACE);
    ctx.update(mac);
    let h = ctx.finish();
    let mut u = [0u8; 16];
    u.copy_from_slice(&h.as_ref()[..16]);
    u[6] = (5 << 4) | (u[6] & 0x0f);
    u[8] = 0x80 | (u[8] & 0x3f);
    u
}
