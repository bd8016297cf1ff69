//! M1 (enrollee hello), M2 (registrar hello) and M2D (registrar without a device password).

use super::{Builder, Fields, MessageError, opt, req};
use crate::attr::{
    AssociationState, Attribute, AuthTypes, ConfigError, ConfigMethods, ConnTypes,
    DevicePasswordId, DeviceType, EncrTypes, MessageType, RfBands, WfaSubelement, WpsState,
};
use crate::crypto::PublicKey;

/// The descriptive device attributes M1 and M2 both carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceInfo {
    pub manufacturer: Vec<u8>,
    pub model_name: Vec<u8>,
    pub model_number: Vec<u8>,
    /// Optional in practice: some devices omit it.
    pub serial_number: Option<Vec<u8>>,
    pub primary_device_type: DeviceType,
    pub device_name: Vec<u8>,
}

impl DeviceInfo {
    fn take(f: &mut Fields) -> Result<DeviceInfo, MessageError> {
        Ok(DeviceInfo {
            manufacturer: req!(f, Manufacturer, MANUFACTURER),
            model_name: req!(f, ModelName, MODEL_NAME),
            model_number: req!(f, ModelNumber, MODEL_NUMBER),
            serial_number: opt!(f, SerialNumber, SERIAL_NUMBER),
            primary_device_type: req!(f, PrimaryDeviceType, PRIMARY_DEVICE_TYPE),
            device_name: req!(f, DeviceName, DEVICE_NAME),
        })
    }

    fn push(&self, b: &mut Builder) {
        b.push(Attribute::Manufacturer(self.manufacturer.clone()));
        b.push(Attribute::ModelName(self.model_name.clone()));
        b.push(Attribute::ModelNumber(self.model_number.clone()));
        b.push_opt(self.serial_number.clone().map(Attribute::SerialNumber));
        b.push(Attribute::PrimaryDeviceType(self.primary_device_type));
        b.push(Attribute::DeviceName(self.device_name.clone()));
    }
}

/// M1: Enrollee -> Registrar.
/// Required: Version, Message Type, UUID-E, MAC Address, Enrollee Nonce, Public Key,
/// Authentication/Encryption/Connection Type Flags, Config Methods, WPS State, Manufacturer,
/// Model Name, Model Number, Primary Device Type, Device Name, RF Bands, Association State,
/// Device Password ID, Configuration Error, OS Version. Optional: Serial Number, WFA
/// extension (Version2, Request to Enroll), anything else (kept in `extra`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M1 {
    pub uuid_e: [u8; 16],
    pub mac_address: [u8; 6],
    pub enrollee_nonce: [u8; 16],
    pub public_key: PublicKey,
    pub auth_types: AuthTypes,
    pub encr_types: EncrTypes,
    pub conn_types: ConnTypes,
    pub config_methods: ConfigMethods,
    pub wps_state: WpsState,
    pub device: DeviceInfo,
    pub rf_bands: RfBands,
    pub association_state: AssociationState,
    pub device_password_id: DevicePasswordId,
    pub config_error: ConfigError,
    pub os_version: u32,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl M1 {
    pub fn parse(buf: &[u8]) -> Result<M1, MessageError> {
        let mut f = Fields::parse(buf)?;
        f.header(MessageType::M1)?;
        let m = M1 {
            uuid_e: req!(f, UuidE, UUID_E),
            mac_address: req!(f, MacAddress, MAC_ADDRESS),
            enrollee_nonce: req!(f, EnrolleeNonce, ENROLLEE_NONCE),
            public_key: PublicKey(req!(f, PublicKey, PUBLIC_KEY)),
            auth_types: req!(f, AuthTypeFlags, AUTH_TYPE_FLAGS),
            encr_types: req!(f, EncrTypeFlags, ENCR_TYPE_FLAGS),
            conn_types: req!(f, ConnectionTypeFlags, CONNECTION_TYPE_FLAGS),
            config_methods: req!(f, ConfigMethods, CONFIG_METHODS),
            wps_state: req!(f, WpsState, WPS_STATE),
            device: DeviceInfo::take(&mut f)?,
            rf_bands: req!(f, RfBands, RF_BANDS),
            association_state: req!(f, AssociationState, ASSOCIATION_STATE),
            device_password_id: req!(f, DevicePasswordId, DEVICE_PASSWORD_ID),
            config_error: req!(f, ConfigError, CONFIG_ERROR),
            os_version: req!(f, OsVersion, OS_VERSION),
            wfa: std::mem::take(&mut f.wfa),
            extra: Vec::new(),
        };
        Ok(M1 {
            extra: f.rest(),
            ..m
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = Builder::new(MessageType::M1);
        b.push(Attribute::UuidE(self.uuid_e));
        b.push(Attribute::MacAddress(self.mac_address));
        b.push(Attribute::EnrolleeNonce(self.enrollee_nonce));
        b.push(Attribute::PublicKey(self.public_key.0.clone()));
        b.push(Attribute::AuthTypeFlags(self.auth_types));
        b.push(Attribute::EncrTypeFlags(self.encr_types));
        b.push(Attribute::ConnectionTypeFlags(self.conn_types));
        b.push(Attribute::ConfigMethods(self.config_methods));
        b.push(Attribute::WpsState(self.wps_state));
        self.device.push(&mut b);
        b.push(Attribute::RfBands(self.rf_bands));
        b.push(Attribute::AssociationState(self.association_state));
        b.push(Attribute::DevicePasswordId(self.device_password_id));
        b.push(Attribute::ConfigError(self.config_error));
        b.push(Attribute::OsVersion(self.os_version));
        b.tail(&self.wfa, &self.extra);
        b.finish(None)
    }
}

/// M2: Registrar -> Enrollee.
/// Required: Version, Message Type, Enrollee Nonce, Registrar Nonce, UUID-R, Public Key,
/// the three type flags, Config Methods, Manufacturer, Model Name, Model Number, Primary
/// Device Type, Device Name, RF Bands, Association State, Configuration Error, Device
/// Password ID, OS Version, Authenticator (last). Optional: Serial Number, Encrypted
/// Settings, WFA extension, others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M2 {
    pub enrollee_nonce: [u8; 16],
    pub registrar_nonce: [u8; 16],
    pub uuid_r: [u8; 16],
    pub public_key: PublicKey,
    pub auth_types: AuthTypes,
    pub encr_types: EncrTypes,
    pub conn_types: ConnTypes,
    pub config_methods: ConfigMethods,
    pub device: DeviceInfo,
    pub rf_bands: RfBands,
    pub association_state: AssociationState,
    pub config_error: ConfigError,
    pub device_password_id: DevicePasswordId,
    pub os_version: u32,
    pub encrypted_settings: Option<Vec<u8>>,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
    /// Set by the parser; builders leave it `None` and the sender appends the real one.
    pub authenticator: Option<[u8; 8]>,
}

impl M2 {
    pub fn parse(buf: &[u8]) -> Result<M2, MessageError> {
        let mut f = Fields::parse(buf)?;
        f.header(MessageType::M2)?;
        let authenticator = Some(f.authenticator()?);
        let m = M2 {
            enrollee_nonce: req!(f, EnrolleeNonce, ENROLLEE_NONCE),
            registrar_nonce: req!(f, RegistrarNonce, REGISTRAR_NONCE),
            uuid_r: req!(f, UuidR, UUID_R),
            public_key: PublicKey(req!(f, PublicKey, PUBLIC_KEY)),
            auth_types: req!(f, AuthTypeFlags, AUTH_TYPE_FLAGS),
            encr_types: req!(f, EncrTypeFlags, ENCR_TYPE_FLAGS),
            conn_types: req!(f, ConnectionTypeFlags, CONNECTION_TYPE_FLAGS),
            config_methods: req!(f, ConfigMethods, CONFIG_METHODS),
            device: DeviceInfo::take(&mut f)?,
            rf_bands: req!(f, RfBands, RF_BANDS),
            association_state: req!(f, AssociationState, ASSOCIATION_STATE),
            config_error: req!(f, ConfigError, CONFIG_ERROR),
            device_password_id: req!(f, DevicePasswordId, DEVICE_PASSWORD_ID),
            os_version: req!(f, OsVersion, OS_VERSION),
            encrypted_settings: opt!(f, EncryptedSettings, ENCRYPTED_SETTINGS),
            wfa: std::mem::take(&mut f.wfa),
            extra: Vec::new(),
            authenticator,
        };
        Ok(M2 {
            extra: f.rest(),
            ..m
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = Builder::new(MessageType::M2);
        b.push(Attribute::EnrolleeNonce(self.enrollee_nonce));
        b.push(Attribute::RegistrarNonce(self.registrar_nonce));
        b.push(Attribute::UuidR(self.uuid_r));
        b.push(Attribute::PublicKey(self.public_key.0.clone()));
        b.push(Attribute::AuthTypeFlags(self.auth_types));
        b.push(Attribute::EncrTypeFlags(self.encr_types));
        b.push(Attribute::ConnectionTypeFlags(self.conn_types));
        b.push(Attribute::ConfigMethods(self.config_methods));
        self.device.push(&mut b);
        b.push(Attribute::RfBands(self.rf_bands));
        b.push(Attribute::AssociationState(self.association_state));
        b.push(Attribute::ConfigError(self.config_error));
        b.push(Attribute::DevicePasswordId(self.device_password_id));
        b.push(Attribute::OsVersion(self.os_version));
        b.push_opt(
            self.encrypted_settings
                .clone()
                .map(Attribute::EncryptedSettings),
        );
        b.tail(&self.wfa, &self.extra);
        b.finish(self.authenticator)
    }
}

/// M2D: Registrar -> Enrollee when the registrar cannot proceed (no device password yet,
/// PBC overlap...). Required: Version, Message Type, Enrollee Nonce, Registrar Nonce,
/// UUID-R, the three type flags, Config Methods, Manufacturer, Model Name, Model Number,
/// Primary Device Type, Device Name, RF Bands, Association State, Configuration Error.
/// Optional: Serial Number, OS Version, WFA extension, others. No Authenticator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M2D {
    pub enrollee_nonce: [u8; 16],
    pub registrar_nonce: [u8; 16],
    pub uuid_r: [u8; 16],
    pub auth_types: AuthTypes,
    pub encr_types: EncrTypes,
    pub conn_types: ConnTypes,
    pub config_methods: ConfigMethods,
    pub device: DeviceInfo,
    pub rf_bands: RfBands,
    pub association_state: AssociationState,
    pub config_error: ConfigError,
    pub os_version: Option<u32>,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl M2D {
    pub fn parse(buf: &[u8]) -> Result<M2D, MessageError> {
        let mut f = Fields::parse(buf)?;
        f.header(MessageType::M2D)?;
        let m = M2D {
            enrollee_nonce: req!(f, EnrolleeNonce, ENROLLEE_NONCE),
            registrar_nonce: req!(f, RegistrarNonce, REGISTRAR_NONCE),
            uuid_r: req!(f, UuidR, UUID_R),
            auth_types: req!(f, AuthTypeFlags, AUTH_TYPE_FLAGS),
            encr_types: req!(f, EncrTypeFlags, ENCR_TYPE_FLAGS),
            conn_types: req!(f, ConnectionTypeFlags, CONNECTION_TYPE_FLAGS),
            config_methods: req!(f, ConfigMethods, CONFIG_METHODS),
            device: DeviceInfo::take(&mut f)?,
            rf_bands: req!(f, RfBands, RF_BANDS),
            association_state: req!(f, AssociationState, ASSOCIATION_STATE),
            config_error: req!(f, ConfigError, CONFIG_ERROR),
            os_version: opt!(f, OsVersion, OS_VERSION),
            wfa: std::mem::take(&mut f.wfa),
            extra: Vec::new(),
        };
        Ok(M2D {
            extra: f.rest(),
            ..m
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = Builder::new(MessageType::M2D);
        b.push(Attribute::EnrolleeNonce(self.enrollee_nonce));
        b.push(Attribute::RegistrarNonce(self.registrar_nonce));
        b.push(Attribute::UuidR(self.uuid_r));
        b.push(Attribute::AuthTypeFlags(self.auth_types));
        b.push(Attribute::EncrTypeFlags(self.encr_types));
        b.push(Attribute::ConnectionTypeFlags(self.conn_types));
        b.push(Attribute::ConfigMethods(self.config_methods));
        self.device.push(&mut b);
        b.push(Attribute::RfBands(self.rf_bands));
        b.push(Attribute::AssociationState(self.association_state));
        b.push(Attribute::ConfigError(self.config_error));
        b.push_opt(self.os_version.map(Attribute::OsVersion));
        b.tail(&self.wfa, &self.extra);
        b.finish(None)
    }
}
