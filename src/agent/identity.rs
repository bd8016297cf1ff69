//! Who we are on the air, defined once: device name, primary device type, config methods,
//! manufacturer/model, UUID, and the P2P and WSC IEs built from them.

use crate::ieee80211::MacAddr;
use crate::p2p::wire::{
    Attribute, Capability, ConfigMethods as P2pConfigMethods, DeviceCapability, DeviceDescription, DeviceInfo,
    DeviceType as P2pDeviceType, GroupCapability, P2pIe,
};

/// WSC config methods we announce: display, push button (physical), keypad (0x0188, as
/// wpa_supplicant's P2P default).
pub const CONFIG_METHODS: u16 = 0x0188;
/// Primary device type `1-0050F204-1` (Computer, PC): category, WFA OUI, sub-category.
pub const PRIMARY_DEVICE_TYPE: (u16, [u8; 4], u16) = (1, [0x00, 0x50, 0xf2, 0x04], 1);
/// WSC Manufacturer and Model Name.
pub const MANUFACTURER: &str = "directd";
pub const MODEL_NAME: &str = "directd";
/// WSC Model Number: our version.
pub const MODEL_NUMBER: &str = env!("CARGO_PKG_VERSION");

/// Our WSC UUID, derived from the P2P device address (as wpa_supplicant does).
pub fn uuid(dev_addr: MacAddr) -> [u8; 16] {
    wps::attr::uuid_from_mac(&dev_addr.0)
}

/// The P2P Device Info attribute.
pub fn p2p_device_info(device_name: &str, dev_addr: MacAddr) -> DeviceInfo {
    DeviceInfo {
        device_addr: dev_addr,
        desc: DeviceDescription {
            config_methods: P2pConfigMethods::from_bits_retain(CONFIG_METHODS),
            primary_type: P2pDeviceType::new(PRIMARY_DEVICE_TYPE.0, PRIMARY_DEVICE_TYPE.2),
            secondary_types: Vec::new(),
            name: device_name.as_bytes().to_vec(),
        },
    }
}

/// Why our IEs could not be built (a device name the formats cannot carry).
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("our P2P IE: {0}")]
    P2pIe(#[from] crate::p2p::wire::Error),
    #[error("our WSC IE: {0}")]
    Wsc(#[from] wps::message::MessageError),
}

/// Our identity on the air and the IEs built from it, once, at start.
#[derive(Debug, Clone)]
pub struct Identity {
    pub device_name: String,
    pub dev_addr: MacAddr,
    /// P2P IE for association requests (P2P Capability + Device Info).
    pub p2p_ie: Vec<u8>,
    /// WSC (enrollee info) + P2P IEs of our discovery Probe Requests.
    pub probe_request_ies: Vec<u8>,
}

impl Identity {
    pub fn new(device_name: &str, dev_addr: MacAddr) -> Result<Identity, IdentityError> {
        let p2p_ie = p2p_ie(device_name, dev_addr)?;
        let mut probe_request_ies = wps::ie::build_wsc_ies(&probe_request_wsc(device_name, dev_addr).emit()?);
        probe_request_ies.extend_from_slice(&p2p_ie);
        Ok(Identity { device_name: device_name.to_owned(), dev_addr, p2p_ie, probe_request_ies })
    }
}

/// Our P2P IE for probe and association requests: P2P Capability and Device Info.
fn p2p_ie(device_name: &str, dev_addr: MacAddr) -> Result<Vec<u8>, crate::p2p::wire::Error> {
    let attributes = vec![
        Attribute::Capability(Capability {
            device: DeviceCapability::CONCURRENT_OPERATION | DeviceCapability::INVITATION_PROCEDURE,
            group: GroupCapability::empty(),
        }),
        Attribute::DeviceInfo(p2p_device_info(device_name, dev_addr)),
    ];
    P2pIe { attributes }.to_ies()
}

/// The WSC attributes of our discovery Probe Requests (enrollee info).
fn probe_request_wsc(device_name: &str, dev_addr: MacAddr) -> wps::ie::ProbeRequestWsc {
    use wps::attr::{AssociationState, ConfigError, ConfigMethods, DevicePasswordId, DeviceType, RequestType, RfBands};
    let (category, oui, sub_category) = PRIMARY_DEVICE_TYPE;
    wps::ie::ProbeRequestWsc {
        request_type: RequestType::ENROLLEE_INFO,
        config_methods: ConfigMethods::from_bits_retain(CONFIG_METHODS),
        uuid_e: uuid(dev_addr),
        primary_device_type: DeviceType { category, oui, sub_category },
        rf_bands: RfBands::BAND_2_4_GHZ | RfBands::BAND_5_GHZ,
        association_state: AssociationState::NOT_ASSOCIATED,
        config_error: ConfigError::NO_ERROR,
        device_password_id: DevicePasswordId::DEFAULT,
        manufacturer: None,
        model_name: None,
        model_number: None,
        device_name: Some(device_name.as_bytes().to_vec()),
        wfa: vec![wps::attr::WfaSubelement::Version2(wps::attr::VERSION2)],
        extra: Vec::new(),
    }
}

/// The WPS enrollee's device description for a join.
pub fn enrollee_config(
    device_name: &str,
    dev_addr: MacAddr,
    own_addr: [u8; 6],
    password: wps::pin::DevicePassword,
) -> wps::enrollee::EnrolleeConfig {
    let mut enrollee = wps::enrollee::EnrolleeConfig::new(uuid(dev_addr), own_addr, password);
    enrollee.device.device_name = device_name.as_bytes().to_vec();
    enrollee.device.manufacturer = MANUFACTURER.as_bytes().to_vec();
    enrollee.device.model_name = MODEL_NAME.as_bytes().to_vec();
    enrollee.device.model_number = MODEL_NUMBER.as_bytes().to_vec();
    // hostapd's registrar refuses an M1 without a Serial Number (wpa_supplicant always
    // sends one, empty when unset).
    enrollee.device.serial_number = Some(b"0".to_vec());
    enrollee
}

/// The GO's identity in its WSC and P2P IEs.
pub fn go_identity(device_name: &str, dev_addr: MacAddr) -> crate::group::go::GoIdentity {
    crate::group::go::GoIdentity {
        dev_addr,
        device_name: device_name.to_owned(),
        uuid: uuid(dev_addr),
        manufacturer: MANUFACTURER.to_owned(),
        model_name: MODEL_NAME.to_owned(),
        model_number: MODEL_NUMBER.to_owned(),
    }
}
