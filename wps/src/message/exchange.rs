//! M3..M8 (the PIN proof and the settings exchange) and WSC_ACK / WSC_NACK / WSC_Done.

use super::{Builder, Fields, MessageError, req};
use crate::attr::{Attribute, ConfigError, MessageType, WfaSubelement};

/// M3: Enrollee -> Registrar. Required: Version, Message Type, Registrar Nonce, E-Hash1,
/// E-Hash2, Authenticator (last). Optional: WFA extension, others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M3 {
    pub registrar_nonce: [u8; 16],
    pub e_hash1: [u8; 32],
    pub e_hash2: [u8; 32],
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
    pub authenticator: Option<[u8; 8]>,
}

impl M3 {
    pub fn parse(buf: &[u8]) -> Result<M3, MessageError> {
        let mut f = Fields::parse(buf)?;
        f.header(MessageType::M3)?;
        let authenticator = Some(f.authenticator()?);
        let registrar_nonce = req!(f, RegistrarNonce, REGISTRAR_NONCE);
        let e_hash1 = req!(f, EHash1, E_HASH1);
        let e_hash2 = req!(f, EHash2, E_HASH2);
        let wfa = std::mem::take(&mut f.wfa);
        Ok(M3 {
            registrar_nonce,
            e_hash1,
            e_hash2,
            wfa,
            extra: f.rest(),
            authenticator,
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = Builder::new(MessageType::M3);
        b.push(Attribute::RegistrarNonce(self.registrar_nonce));
        b.push(Attribute::EHash1(self.e_hash1));
        b.push(Attribute::EHash2(self.e_hash2));
        b.tail(&self.wfa, &self.extra);
        b.finish(self.authenticator)
    }
}

/// M4: Registrar -> Enrollee. Required: Version, Message Type, Enrollee Nonce, R-Hash1,
/// R-Hash2, Encrypted Settings (R-SNonce1), Authenticator (last). Optional: WFA
/// extension, others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M4 {
    pub enrollee_nonce: [u8; 16],
    pub r_hash1: [u8; 32],
    pub r_hash2: [u8; 32],
    pub encrypted_settings: Vec<u8>,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
    pub authenticator: Option<[u8; 8]>,
}

impl M4 {
    pub fn parse(buf: &[u8]) -> Result<M4, MessageError> {
        let mut f = Fields::parse(buf)?;
        f.header(MessageType::M4)?;
        let authenticator = Some(f.authenticator()?);
        let enrollee_nonce = req!(f, EnrolleeNonce, ENROLLEE_NONCE);
        let r_hash1 = req!(f, RHash1, R_HASH1);
        let r_hash2 = req!(f, RHash2, R_HASH2);
        let encrypted_settings = req!(f, EncryptedSettings, ENCRYPTED_SETTINGS);
        let wfa = std::mem::take(&mut f.wfa);
        Ok(M4 {
            enrollee_nonce,
            r_hash1,
            r_hash2,
            encrypted_settings,
            wfa,
            extra: f.rest(),
            authenticator,
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = Builder::new(MessageType::M4);
        b.push(Attribute::EnrolleeNonce(self.enrollee_nonce));
        b.push(Attribute::RHash1(self.r_hash1));
        b.push(Attribute::RHash2(self.r_hash2));
        b.push(Attribute::EncryptedSettings(
            self.encrypted_settings.clone(),
        ));
        b.tail(&self.wfa, &self.extra);
        b.finish(self.authenticator)
    }
}

/// M5..M8 share one shape: the peer's nonce, Encrypted Settings and the Authenticator.
macro_rules! settings_message {
    ($(#[$m:meta])* $name:ident, $mt:ident, $nonce:ident, $var:ident, $kind:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            pub $nonce: [u8; 16],
            pub encrypted_settings: Vec<u8>,
            pub wfa: Vec<WfaSubelement>,
            pub extra: Vec<Attribute>,
            pub authenticator: Option<[u8; 8]>,
        }

        impl $name {
            pub fn parse(buf: &[u8]) -> Result<$name, MessageError> {
                let mut f = Fields::parse(buf)?;
                f.header(MessageType::$mt)?;
                let authenticator = Some(f.authenticator()?);
                let $nonce = req!(f, $var, $kind);
                let encrypted_settings = req!(f, EncryptedSettings, ENCRYPTED_SETTINGS);
                let wfa = std::mem::take(&mut f.wfa);
                Ok($name { $nonce, encrypted_settings, wfa, extra: f.rest(), authenticator })
            }

            pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
                let mut b = Builder::new(MessageType::$mt);
                b.push(Attribute::$var(self.$nonce));
                b.push(Attribute::EncryptedSettings(self.encrypted_settings.clone()));
                b.tail(&self.wfa, &self.extra);
                b.finish(self.authenticator)
            }
        }
    };
}

settings_message!(
    /// M5: Enrollee -> Registrar. Required: Version, Message Type, Registrar Nonce,
    /// Encrypted Settings (E-SNonce1), Authenticator (last).
    M5, M5, registrar_nonce, RegistrarNonce, REGISTRAR_NONCE
);
settings_message!(
    /// M6: Registrar -> Enrollee. Required: Version, Message Type, Enrollee Nonce,
    /// Encrypted Settings (R-SNonce2), Authenticator (last).
    M6, M6, enrollee_nonce, EnrolleeNonce, ENROLLEE_NONCE
);
settings_message!(
    /// M7: Enrollee -> Registrar. Required: Version, Message Type, Registrar Nonce,
    /// Encrypted Settings (E-SNonce2, plus the AP settings when the enrollee is an AP),
    /// Authenticator (last).
    M7, M7, registrar_nonce, RegistrarNonce, REGISTRAR_NONCE
);
settings_message!(
    /// M8: Registrar -> Enrollee. Required: Version, Message Type, Enrollee Nonce,
    /// Encrypted Settings (Credentials), Authenticator (last).
    M8, M8, enrollee_nonce, EnrolleeNonce, ENROLLEE_NONCE
);

/// WSC_ACK and WSC_Done: both nonces, no Authenticator.
macro_rules! nonce_message {
    ($(#[$m:meta])* $name:ident, $mt:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            pub enrollee_nonce: [u8; 16],
            pub registrar_nonce: [u8; 16],
            pub wfa: Vec<WfaSubelement>,
            pub extra: Vec<Attribute>,
        }

        impl $name {
            pub fn parse(buf: &[u8]) -> Result<$name, MessageError> {
                let mut f = Fields::parse(buf)?;
                f.header(MessageType::$mt)?;
                let enrollee_nonce = req!(f, EnrolleeNonce, ENROLLEE_NONCE);
                let registrar_nonce = req!(f, RegistrarNonce, REGISTRAR_NONCE);
                let wfa = std::mem::take(&mut f.wfa);
                Ok($name { enrollee_nonce, registrar_nonce, wfa, extra: f.rest() })
            }

            pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
                let mut b = Builder::new(MessageType::$mt);
                b.push(Attribute::EnrolleeNonce(self.enrollee_nonce));
                b.push(Attribute::RegistrarNonce(self.registrar_nonce));
                b.tail(&self.wfa, &self.extra);
                b.finish(None)
            }
        }
    };
}

nonce_message!(
    /// WSC_ACK. Required: Version, Message Type, Enrollee Nonce, Registrar Nonce.
    Ack, WSC_ACK
);
nonce_message!(
    /// WSC_Done: the enrollee got its credential. Required: Version, Message Type,
    /// Enrollee Nonce, Registrar Nonce.
    Done, WSC_DONE
);

/// WSC_NACK. Required: Version, Message Type, Enrollee Nonce, Registrar Nonce,
/// Configuration Error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nack {
    pub enrollee_nonce: [u8; 16],
    pub registrar_nonce: [u8; 16],
    pub config_error: ConfigError,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl Nack {
    pub fn parse(buf: &[u8]) -> Result<Nack, MessageError> {
        let mut f = Fields::parse(buf)?;
        f.header(MessageType::WSC_NACK)?;
        let enrollee_nonce = req!(f, EnrolleeNonce, ENROLLEE_NONCE);
        let registrar_nonce = req!(f, RegistrarNonce, REGISTRAR_NONCE);
        let config_error = req!(f, ConfigError, CONFIG_ERROR);
        let wfa = std::mem::take(&mut f.wfa);
        Ok(Nack {
            enrollee_nonce,
            registrar_nonce,
            config_error,
            wfa,
            extra: f.rest(),
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = Builder::new(MessageType::WSC_NACK);
        b.push(Attribute::EnrolleeNonce(self.enrollee_nonce));
        b.push(Attribute::RegistrarNonce(self.registrar_nonce));
        b.push(Attribute::ConfigError(self.config_error));
        b.tail(&self.wfa, &self.extra);
        b.finish(None)
    }
}
