//! ControlParameters (0x68) and ControlResponse (0x65) of the NFD management protocol.

use crate::packet::{Name, PacketError, tt};
use crate::tlv::{self, Reader, TlvError};

/// TLV-TYPE numbers of NFD management (ControlCommand, datasets).
pub mod mt {
    pub const CONTROL_PARAMETERS: u64 = 0x68;
    pub const FACE_ID: u64 = 0x69;
    pub const URI: u64 = 0x72;
    pub const LOCAL_URI: u64 = 0x81;
    pub const ORIGIN: u64 = 0x6f;
    pub const COST: u64 = 0x6a;
    pub const CAPACITY: u64 = 0x83;
    pub const COUNT: u64 = 0x84;
    pub const BASE_CONGESTION_MARKING_INTERVAL: u64 = 0x87;
    pub const DEFAULT_CONGESTION_THRESHOLD: u64 = 0x88;
    pub const MTU: u64 = 0x89;
    pub const FLAGS: u64 = 0x6c;
    pub const MASK: u64 = 0x70;
    pub const STRATEGY: u64 = 0x6b;
    pub const EXPIRATION_PERIOD: u64 = 0x6d;
    pub const FACE_PERSISTENCY: u64 = 0x85;
    pub const CONTROL_RESPONSE: u64 = 0x65;
    pub const STATUS_CODE: u64 = 0x66;
    pub const STATUS_TEXT: u64 = 0x67;
}

/// ControlParameters; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControlParameters {
    pub name: Option<Name>,
    pub face_id: Option<u64>,
    pub uri: Option<String>,
    pub local_uri: Option<String>,
    pub origin: Option<u64>,
    pub cost: Option<u64>,
    pub capacity: Option<u64>,
    pub count: Option<u64>,
    pub base_congestion_marking_interval: Option<u64>,
    pub default_congestion_threshold: Option<u64>,
    pub mtu: Option<u64>,
    pub flags: Option<u64>,
    pub mask: Option<u64>,
    pub strategy: Option<Name>,
    pub expiration_period: Option<u64>,
    pub face_persistency: Option<u64>,
}

fn string(value: &[u8], typ: u64) -> Result<String, PacketError> {
    String::from_utf8(value.to_vec()).map_err(|_| TlvError::InvalidValue(typ).into())
}

impl ControlParameters {
    /// Decodes a ControlParameters TLV (elements in any order; unknown ones skipped).
    pub fn decode(wire: &[u8]) -> Result<Self, PacketError> {
        let outer = tlv::expect_single(wire, mt::CONTROL_PARAMETERS)?;
        let mut p = ControlParameters::default();
        let mut r = Reader::new(outer.value);
        while !r.is_empty() {
            let e = r.read()?;
            match e.typ {
                tt::NAME => p.name = Some(Name::from_value(e.value)?),
                mt::FACE_ID => p.face_id = Some(e.nni()?),
                mt::URI => p.uri = Some(string(e.value, e.typ)?),
                mt::LOCAL_URI => p.local_uri = Some(string(e.value, e.typ)?),
                mt::ORIGIN => p.origin = Some(e.nni()?),
                mt::COST => p.cost = Some(e.nni()?),
                mt::CAPACITY => p.capacity = Some(e.nni()?),
                mt::COUNT => p.count = Some(e.nni()?),
                mt::BASE_CONGESTION_MARKING_INTERVAL => p.base_congestion_marking_interval = Some(e.nni()?),
                mt::DEFAULT_CONGESTION_THRESHOLD => p.default_congestion_threshold = Some(e.nni()?),
                mt::MTU => p.mtu = Some(e.nni()?),
                mt::FLAGS => p.flags = Some(e.nni()?),
                mt::MASK => p.mask = Some(e.nni()?),
                mt::STRATEGY => p.strategy = Some(Name::decode(e.value)?),
                mt::EXPIRATION_PERIOD => p.expiration_period = Some(e.nni()?),
                mt::FACE_PERSISTENCY => p.face_persistency = Some(e.nni()?),
                _ => {}
            }
        }
        Ok(p)
    }

    /// Appends the ControlParameters TLV (NFD's field order).
    pub fn encode_to(&self, out: &mut Vec<u8>) {
        tlv::write_nested(out, mt::CONTROL_PARAMETERS, |o| {
            if let Some(n) = &self.name {
                n.encode_to(o);
            }
            let nni = |o: &mut Vec<u8>, t, v: Option<u64>| {
                if let Some(v) = v {
                    tlv::write_nni_tlv(o, t, v);
                }
            };
            nni(o, mt::FACE_ID, self.face_id);
            if let Some(u) = &self.uri {
                tlv::write_tlv(o, mt::URI, u.as_bytes());
            }
            if let Some(u) = &self.local_uri {
                tlv::write_tlv(o, mt::LOCAL_URI, u.as_bytes());
            }
            nni(o, mt::ORIGIN, self.origin);
            nni(o, mt::COST, self.cost);
            nni(o, mt::CAPACITY, self.capacity);
            nni(o, mt::COUNT, self.count);
            nni(o, mt::BASE_CONGESTION_MARKING_INTERVAL, self.base_congestion_marking_interval);
            nni(o, mt::DEFAULT_CONGESTION_THRESHOLD, self.default_congestion_threshold);
            nni(o, mt::MTU, self.mtu);
            nni(o, mt::FLAGS, self.flags);
            nni(o, mt::MASK, self.mask);
            if let Some(s) = &self.strategy {
                tlv::write_nested(o, mt::STRATEGY, |o| s.encode_to(o));
            }
            nni(o, mt::EXPIRATION_PERIOD, self.expiration_period);
            nni(o, mt::FACE_PERSISTENCY, self.face_persistency);
        });
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_to(&mut out);
        out
    }
}

/// ControlResponse: status code, text, optional ControlParameters body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlResponse {
    pub code: u64,
    pub text: String,
    pub body: Option<ControlParameters>,
}

impl ControlResponse {
    pub fn new(code: u64, text: &str, body: Option<ControlParameters>) -> Self {
        ControlResponse { code, text: text.into(), body }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        tlv::write_nested(&mut out, mt::CONTROL_RESPONSE, |o| {
            tlv::write_nni_tlv(o, mt::STATUS_CODE, self.code);
            tlv::write_tlv(o, mt::STATUS_TEXT, self.text.as_bytes());
            if let Some(b) = &self.body {
                b.encode_to(o);
            }
        });
        out
    }

    pub fn decode(wire: &[u8]) -> Result<Self, PacketError> {
        let outer = tlv::expect_single(wire, mt::CONTROL_RESPONSE)?;
        let mut r = Reader::new(outer.value);
        let code = r.read()?;
        if code.typ != mt::STATUS_CODE {
            return Err(TlvError::Missing(mt::STATUS_CODE).into());
        }
        let text = r.read()?;
        if text.typ != mt::STATUS_TEXT {
            return Err(TlvError::Missing(mt::STATUS_TEXT).into());
        }
        let mut body = None;
        while !r.is_empty() {
            let e = r.read()?;
            if e.typ == mt::CONTROL_PARAMETERS {
                body = Some(ControlParameters::decode(e.wire)?);
            }
        }
        Ok(ControlResponse { code: code.nni()?, text: string(text.value, mt::STATUS_TEXT)?, body })
    }
}
