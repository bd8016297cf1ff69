//! What travels inside Encrypted Settings: the secret nonces of M4..M7 and the Credential(s)
//! of M8. These functions work on the decrypted attribute list without its Key Wrap
//! Authenticator (see `crypto::{encrypt_settings, decrypt_settings}`).

use std::fmt;

use zeroize::Zeroizing;

use super::{Builder, Fields, MessageError, req};
use crate::attr::{AttrType, Attribute, AuthType, EncrType, WfaSubelement};

/// Builds the settings of M4/M5/M6/M7: one secret nonce attribute (`kind` is one of
/// R-SNonce1, E-SNonce1, R-SNonce2, E-SNonce2).
pub fn build_snonce_settings(
    kind: AttrType,
    nonce: &[u8; 16],
) -> Result<Zeroizing<Vec<u8>>, MessageError> {
    let n = Zeroizing::new(*nonce);
    let a = match kind {
        AttrType::E_SNONCE1 => Attribute::ESNonce1(n),
        AttrType::E_SNONCE2 => Attribute::ESNonce2(n),
        AttrType::R_SNONCE1 => Attribute::RSNonce1(n),
        AttrType::R_SNONCE2 => Attribute::RSNonce2(n),
        other => return Err(MessageError::Missing(other)),
    };
    let mut b = Builder::bare();
    b.push(a);
    Ok(Zeroizing::new(b.finish(None)?))
}

/// Takes the secret nonce `kind` from decrypted settings (other attributes, such as the AP
/// settings an AP enrollee puts in M7, are ignored).
pub fn parse_snonce_settings(
    kind: AttrType,
    settings: &[u8],
) -> Result<Zeroizing<[u8; 16]>, MessageError> {
    let mut f = Fields::parse(settings)?;
    match f.take(kind) {
        Some(
            Attribute::ESNonce1(n)
            | Attribute::ESNonce2(n)
            | Attribute::RSNonce1(n)
            | Attribute::RSNonce2(n),
        ) => Ok(n),
        _ => Err(MessageError::Missing(kind)),
    }
}

/// One network credential (WSC 2.0 section 12, Credential). Required: Network Index, SSID,
/// Authentication Type, Encryption Type, Network Key, MAC Address. Optional: others (kept).
/// The key redacts `Debug` and zeroizes on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub network_index: u8,
    pub ssid: Vec<u8>,
    pub auth_type: AuthType,
    pub encr_type: EncrType,
    /// A passphrase (8..63 ASCII characters) or a 64-hex-digit PSK.
    pub network_key: Zeroizing<Vec<u8>>,
    /// The enrollee MAC address the credential is bound to.
    pub mac_address: [u8; 6],
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("network_index", &self.network_index)
            .field("ssid", &String::from_utf8_lossy(&self.ssid))
            .field("auth_type", &self.auth_type)
            .field("encr_type", &self.encr_type)
            .field(
                "network_key",
                &format_args!("<redacted {} bytes>", self.network_key.len()),
            )
            .field("mac_address", &crate::attr::hex(&self.mac_address))
            .finish_non_exhaustive()
    }
}

impl Credential {
    /// A WPA2-Personal/AES credential, the one a P2P group owner hands out.
    pub fn wpa2_psk(ssid: &[u8], passphrase: &[u8], enrollee_mac: [u8; 6]) -> Credential {
        Credential {
            network_index: 1,
            ssid: ssid.to_vec(),
            auth_type: AuthType::WPA2_PERSONAL,
            encr_type: EncrType::AES,
            network_key: Zeroizing::new(passphrase.to_vec()),
            mac_address: enrollee_mac,
            wfa: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// Parses the body of a Credential attribute.
    pub fn parse(buf: &[u8]) -> Result<Credential, MessageError> {
        let mut f = Fields::parse(buf)?;
        let network_index = req!(f, NetworkIndex, NETWORK_INDEX);
        let ssid = req!(f, Ssid, SSID);
        let auth_type = req!(f, AuthType, AUTH_TYPE);
        let encr_type = req!(f, EncrType, ENCR_TYPE);
        let network_key = req!(f, NetworkKey, NETWORK_KEY);
        let mac_address = req!(f, MacAddress, MAC_ADDRESS);
        let wfa = std::mem::take(&mut f.wfa);
        Ok(Credential {
            network_index,
            ssid,
            auth_type,
            encr_type,
            network_key,
            mac_address,
            wfa,
            extra: f.rest(),
        })
    }

    /// The body of a Credential attribute.
    pub fn emit(&self) -> Result<Zeroizing<Vec<u8>>, MessageError> {
        let mut b = Builder::bare();
        b.push(Attribute::NetworkIndex(self.network_index));
        b.push(Attribute::Ssid(self.ssid.clone()));
        b.push(Attribute::AuthType(self.auth_type));
        b.push(Attribute::EncrType(self.encr_type));
        b.push(Attribute::NetworkKey(self.network_key.clone()));
        b.push(Attribute::MacAddress(self.mac_address));
        b.tail(&self.wfa, &self.extra);
        Ok(Zeroizing::new(b.finish(None)?))
    }
}

/// The settings of M8 sent to a station enrollee: one or more Credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M8Settings {
    pub credentials: Vec<Credential>,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl M8Settings {
    pub fn parse(buf: &[u8]) -> Result<M8Settings, MessageError> {
        let mut f = Fields::parse(buf)?;
        let mut credentials = Vec::new();
        while let Some(a) = f.take(AttrType::CREDENTIAL) {
            if let Attribute::Credential(body) = a {
                credentials.push(Credential::parse(&body)?);
            }
        }
        if credentials.is_empty() {
            return Err(MessageError::Missing(AttrType::CREDENTIAL));
        }
        let wfa = std::mem::take(&mut f.wfa);
        Ok(M8Settings {
            credentials,
            wfa,
            extra: f.rest(),
        })
    }

    pub fn emit(&self) -> Result<Zeroizing<Vec<u8>>, MessageError> {
        let mut b = Builder::bare();
        for c in &self.credentials {
            b.push(Attribute::Credential(c.emit()?));
        }
        b.tail(&self.wfa, &self.extra);
        Ok(Zeroizing::new(b.finish(None)?))
    }
}
