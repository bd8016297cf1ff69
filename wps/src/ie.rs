//! The WSC information element (vendor specific element 221, OUI 00 50 F2, type 4) and the
//! attribute sets the radio side puts in it (WSC 2.0 section 8.2): probe request, probe
//! response, beacon, association request and response. One WSC payload may span several
//! vendor elements; [`wsc_payload`] concatenates them, [`build_wsc_ies`] splits.

use crate::attr::{
    AssociationState, Attribute, ConfigError, ConfigMethods, DevicePasswordId, DeviceType,
    RequestType, ResponseType, RfBands, VERSION1, WfaSubelement, WpsState,
};
use crate::message::{Builder, Fields, MessageError, opt, req};

/// Element ID of vendor specific elements.
pub const VENDOR_ELEMENT_ID: u8 = 221;
/// OUI and type that mark a WSC vendor element.
pub const WSC_OUI_TYPE: [u8; 4] = [0x00, 0x50, 0xf2, 0x04];
/// Most payload bytes one WSC vendor element holds (255 - 4 bytes of OUI and type).
pub const MAX_PAYLOAD_PER_ELEMENT: usize = 251;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IeError {
    #[error("information element at offset {0} runs past the end")]
    Truncated(usize),
    #[error(transparent)]
    Message(#[from] MessageError),
}

/// Concatenates the payloads of every WSC vendor element in `ies` (a frame's element
/// region). `Ok(None)` when the frame has none.
pub fn wsc_payload(ies: &[u8]) -> Result<Option<Vec<u8>>, IeError> {
    let mut out: Option<Vec<u8>> = None;
    let mut pos = 0;
    while pos < ies.len() {
        let [id, len, ..] = ies[pos..] else {
            return Err(IeError::Truncated(pos));
        };
        let body = ies
            .get(pos + 2..pos + 2 + usize::from(len))
            .ok_or(IeError::Truncated(pos))?;
        if id == VENDOR_ELEMENT_ID && body.len() >= 4 && body[..4] == WSC_OUI_TYPE {
            out.get_or_insert_with(Vec::new)
                .extend_from_slice(&body[4..]);
        }
        pos += 2 + usize::from(len);
    }
    Ok(out)
}

/// Wraps a WSC payload in as many vendor elements as needed.
pub fn build_wsc_ies(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 6);
    let mut chunks = payload.chunks(MAX_PAYLOAD_PER_ELEMENT).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[VENDOR_ELEMENT_ID, 4]);
        out.extend_from_slice(&WSC_OUI_TYPE);
    }
    for c in chunks {
        out.push(VENDOR_ELEMENT_ID);
        // A chunk is at most 251 bytes, so the length fits.
        out.push((c.len() + 4) as u8);
        out.extend_from_slice(&WSC_OUI_TYPE);
        out.extend_from_slice(c);
    }
    out
}

fn version(f: &mut Fields) -> Result<u8, MessageError> {
    Ok(req!(f, Version, VERSION))
}

fn start() -> Builder {
    let mut b = Builder::bare();
    b.push(Attribute::Version(VERSION1));
    b
}

/// WSC attributes of a probe request. Required: Version, Request Type, Config Methods,
/// UUID-E, Primary Device Type, RF Bands, Association State, Configuration Error, Device
/// Password ID. Optional (required by WSC 2.0 senders): Manufacturer, Model Name, Model
/// Number, Device Name; the WFA extension; others (Requested Device Type...) kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeRequestWsc {
    pub request_type: RequestType,
    pub config_methods: ConfigMethods,
    pub uuid_e: [u8; 16],
    pub primary_device_type: DeviceType,
    pub rf_bands: RfBands,
    pub association_state: AssociationState,
    pub config_error: ConfigError,
    pub device_password_id: DevicePasswordId,
    pub manufacturer: Option<Vec<u8>>,
    pub model_name: Option<Vec<u8>>,
    pub model_number: Option<Vec<u8>>,
    pub device_name: Option<Vec<u8>>,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl ProbeRequestWsc {
    pub fn parse(payload: &[u8]) -> Result<Self, MessageError> {
        let mut f = Fields::parse(payload)?;
        version(&mut f)?;
        let m = ProbeRequestWsc {
            request_type: req!(f, RequestType, REQUEST_TYPE),
            config_methods: req!(f, ConfigMethods, CONFIG_METHODS),
            uuid_e: req!(f, UuidE, UUID_E),
            primary_device_type: req!(f, PrimaryDeviceType, PRIMARY_DEVICE_TYPE),
            rf_bands: req!(f, RfBands, RF_BANDS),
            association_state: req!(f, AssociationState, ASSOCIATION_STATE),
            config_error: req!(f, ConfigError, CONFIG_ERROR),
            device_password_id: req!(f, DevicePasswordId, DEVICE_PASSWORD_ID),
            manufacturer: opt!(f, Manufacturer, MANUFACTURER),
            model_name: opt!(f, ModelName, MODEL_NAME),
            model_number: opt!(f, ModelNumber, MODEL_NUMBER),
            device_name: opt!(f, DeviceName, DEVICE_NAME),
            wfa: std::mem::take(&mut f.wfa),
            extra: vec![],
        };
        Ok(ProbeRequestWsc {
            extra: f.rest(),
            ..m
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = start();
        b.push(Attribute::RequestType(self.request_type));
        b.push(Attribute::ConfigMethods(self.config_methods));
        b.push(Attribute::UuidE(self.uuid_e));
        b.push(Attribute::PrimaryDeviceType(self.primary_device_type));
        b.push(Attribute::RfBands(self.rf_bands));
        b.push(Attribute::AssociationState(self.association_state));
        b.push(Attribute::ConfigError(self.config_error));
        b.push(Attribute::DevicePasswordId(self.device_password_id));
        b.push_opt(self.manufacturer.clone().map(Attribute::Manufacturer));
        b.push_opt(self.model_name.clone().map(Attribute::ModelName));
        b.push_opt(self.model_number.clone().map(Attribute::ModelNumber));
        b.push_opt(self.device_name.clone().map(Attribute::DeviceName));
        b.tail(&self.wfa, &self.extra);
        b.finish(None)
    }

    /// Whether this probe request comes from an enrollee in PBC mode (for the PBC monitor).
    pub fn is_pbc(&self) -> bool {
        self.device_password_id == DevicePasswordId::PUSH_BUTTON
    }
}

/// The selected-registrar part that beacons and probe responses share. Each attribute is
/// kept on its own: P2P devices send a Device Password ID without Selected Registrar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SelectedRegistrar {
    pub selected_registrar: Option<bool>,
    pub device_password_id: Option<DevicePasswordId>,
    pub config_methods: Option<ConfigMethods>,
}

impl SelectedRegistrar {
    /// An active registrar for `id` with `config_methods`.
    pub fn active(id: DevicePasswordId, config_methods: ConfigMethods) -> Self {
        SelectedRegistrar {
            selected_registrar: Some(true),
            device_password_id: Some(id),
            config_methods: Some(config_methods),
        }
    }

    /// Whether Selected Registrar is present and true.
    pub fn is_selected(&self) -> bool {
        self.selected_registrar == Some(true)
    }

    fn take(f: &mut Fields) -> Self {
        SelectedRegistrar {
            selected_registrar: opt!(f, SelectedRegistrar, SELECTED_REGISTRAR),
            device_password_id: opt!(f, DevicePasswordId, DEVICE_PASSWORD_ID),
            config_methods: opt!(
                f,
                SelectedRegistrarConfigMethods,
                SELECTED_REGISTRAR_CONFIG_METHODS
            ),
        }
    }

    fn push(&self, b: &mut Builder) {
        b.push_opt(self.selected_registrar.map(Attribute::SelectedRegistrar));
        b.push_opt(self.device_password_id.map(Attribute::DevicePasswordId));
        b.push_opt(
            self.config_methods
                .map(Attribute::SelectedRegistrarConfigMethods),
        );
    }
}

/// WSC attributes of a beacon. Required: Version, WPS State. Optional: AP Setup Locked,
/// Selected Registrar, Device Password ID, Selected Registrar Config Methods, UUID-E,
/// RF Bands, the WFA extension (Version2, AuthorizedMACs), others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeaconWsc {
    pub wps_state: WpsState,
    pub ap_setup_locked: Option<bool>,
    pub selected_registrar: SelectedRegistrar,
    pub uuid_e: Option<[u8; 16]>,
    pub rf_bands: Option<RfBands>,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl BeaconWsc {
    pub fn parse(payload: &[u8]) -> Result<Self, MessageError> {
        let mut f = Fields::parse(payload)?;
        version(&mut f)?;
        let m = BeaconWsc {
            wps_state: req!(f, WpsState, WPS_STATE),
            ap_setup_locked: opt!(f, ApSetupLocked, AP_SETUP_LOCKED),
            selected_registrar: SelectedRegistrar::take(&mut f),
            uuid_e: opt!(f, UuidE, UUID_E),
            rf_bands: opt!(f, RfBands, RF_BANDS),
            wfa: std::mem::take(&mut f.wfa),
            extra: vec![],
        };
        Ok(BeaconWsc {
            extra: f.rest(),
            ..m
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = start();
        b.push(Attribute::WpsState(self.wps_state));
        b.push_opt(self.ap_setup_locked.map(Attribute::ApSetupLocked));
        self.selected_registrar.push(&mut b);
        b.push_opt(self.uuid_e.map(Attribute::UuidE));
        b.push_opt(self.rf_bands.map(Attribute::RfBands));
        b.tail(&self.wfa, &self.extra);
        b.finish(None)
    }
}

/// WSC attributes of a probe response. Required: Version, WPS State, Response Type,
/// Manufacturer, Model Name, Model Number, Primary Device Type, Device Name, Config
/// Methods. Optional: AP Setup Locked, Selected Registrar, Device Password ID, Selected
/// Registrar Config Methods, UUID-E (an AP or group owner) or UUID-R (a registrar), Serial
/// Number, RF Bands, the WFA extension, others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResponseWsc {
    pub wps_state: WpsState,
    pub ap_setup_locked: Option<bool>,
    pub selected_registrar: SelectedRegistrar,
    pub response_type: ResponseType,
    pub uuid_e: Option<[u8; 16]>,
    pub uuid_r: Option<[u8; 16]>,
    pub manufacturer: Vec<u8>,
    pub model_name: Vec<u8>,
    pub model_number: Vec<u8>,
    pub serial_number: Option<Vec<u8>>,
    pub primary_device_type: DeviceType,
    pub device_name: Vec<u8>,
    pub config_methods: ConfigMethods,
    pub rf_bands: Option<RfBands>,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl ProbeResponseWsc {
    pub fn parse(payload: &[u8]) -> Result<Self, MessageError> {
        let mut f = Fields::parse(payload)?;
        version(&mut f)?;
        let m = ProbeResponseWsc {
            wps_state: req!(f, WpsState, WPS_STATE),
            ap_setup_locked: opt!(f, ApSetupLocked, AP_SETUP_LOCKED),
            selected_registrar: SelectedRegistrar::take(&mut f),
            response_type: req!(f, ResponseType, RESPONSE_TYPE),
            uuid_e: opt!(f, UuidE, UUID_E),
            uuid_r: opt!(f, UuidR, UUID_R),
            manufacturer: req!(f, Manufacturer, MANUFACTURER),
            model_name: req!(f, ModelName, MODEL_NAME),
            model_number: req!(f, ModelNumber, MODEL_NUMBER),
            serial_number: opt!(f, SerialNumber, SERIAL_NUMBER),
            primary_device_type: req!(f, PrimaryDeviceType, PRIMARY_DEVICE_TYPE),
            device_name: req!(f, DeviceName, DEVICE_NAME),
            config_methods: req!(f, ConfigMethods, CONFIG_METHODS),
            rf_bands: opt!(f, RfBands, RF_BANDS),
            wfa: std::mem::take(&mut f.wfa),
            extra: vec![],
        };
        Ok(ProbeResponseWsc {
            extra: f.rest(),
            ..m
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = start();
        b.push(Attribute::WpsState(self.wps_state));
        b.push_opt(self.ap_setup_locked.map(Attribute::ApSetupLocked));
        self.selected_registrar.push(&mut b);
        b.push(Attribute::ResponseType(self.response_type));
        b.push_opt(self.uuid_e.map(Attribute::UuidE));
        b.push_opt(self.uuid_r.map(Attribute::UuidR));
        b.push(Attribute::Manufacturer(self.manufacturer.clone()));
        b.push(Attribute::ModelName(self.model_name.clone()));
        b.push(Attribute::ModelNumber(self.model_number.clone()));
        b.push_opt(self.serial_number.clone().map(Attribute::SerialNumber));
        b.push(Attribute::PrimaryDeviceType(self.primary_device_type));
        b.push(Attribute::DeviceName(self.device_name.clone()));
        b.push(Attribute::ConfigMethods(self.config_methods));
        b.push_opt(self.rf_bands.map(Attribute::RfBands));
        b.tail(&self.wfa, &self.extra);
        b.finish(None)
    }
}

/// WSC attributes of an association request. Required: Version, Request Type. Optional:
/// the WFA extension, others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssocRequestWsc {
    pub request_type: RequestType,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl AssocRequestWsc {
    pub fn parse(payload: &[u8]) -> Result<Self, MessageError> {
        let mut f = Fields::parse(payload)?;
        version(&mut f)?;
        let request_type = req!(f, RequestType, REQUEST_TYPE);
        let wfa = std::mem::take(&mut f.wfa);
        Ok(AssocRequestWsc {
            request_type,
            wfa,
            extra: f.rest(),
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = start();
        b.push(Attribute::RequestType(self.request_type));
        b.tail(&self.wfa, &self.extra);
        b.finish(None)
    }
}

/// WSC attributes of an association response. Required: Version, Response Type.
/// Optional: the WFA extension, others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssocResponseWsc {
    pub response_type: ResponseType,
    pub wfa: Vec<WfaSubelement>,
    pub extra: Vec<Attribute>,
}

impl AssocResponseWsc {
    pub fn parse(payload: &[u8]) -> Result<Self, MessageError> {
        let mut f = Fields::parse(payload)?;
        version(&mut f)?;
        let response_type = req!(f, ResponseType, RESPONSE_TYPE);
        let wfa = std::mem::take(&mut f.wfa);
        Ok(AssocResponseWsc {
            response_type,
            wfa,
            extra: f.rest(),
        })
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        let mut b = start();
        b.push(Attribute::ResponseType(self.response_type));
        b.tail(&self.wfa, &self.extra);
        b.finish(None)
    }
}
