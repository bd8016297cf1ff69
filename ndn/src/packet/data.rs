//! Data (NDN Packet Format v0.3, "Data Packet") and DigestSha256 signing.

use super::{Component, Name, PacketError, SignatureInfo, SignatureType, ct_eq, sha256, tt};
use crate::tlv::{self, Reader, TlvError};
use std::time::Duration;

/// MetaInfo; every field optional as on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaInfo {
    pub content_type: Option<u64>,
    pub freshness_period_ms: Option<u64>,
    pub final_block_id: Option<Component>,
}

/// A Data packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Data {
    pub name: Name,
    pub meta_info: Option<MetaInfo>,
    pub content: Option<Vec<u8>>,
    pub sig_info: SignatureInfo,
    pub sig_value: Vec<u8>,
}

fn order_of(typ: u64) -> Option<u8> {
    Some(match typ {
        tt::NAME => 0,
        tt::META_INFO => 1,
        tt::CONTENT => 2,
        tt::SIGNATURE_INFO => 3,
        tt::SIGNATURE_VALUE => 4,
        _ => return None,
    })
}

impl MetaInfo {
    fn from_value(value: &[u8]) -> Result<Self, PacketError> {
        let mut m = MetaInfo::default();
        let mut r = Reader::new(value);
        let mut last = 0u8;
        while !r.is_empty() {
            let e = r.read()?;
            let pos = match e.typ {
                tt::CONTENT_TYPE => 1,
                tt::FRESHNESS_PERIOD => 2,
                tt::FINAL_BLOCK_ID => 3,
                t if tlv::is_critical(t) => return Err(TlvError::UnknownCritical(t).into()),
                _ => continue,
            };
            if pos <= last {
                return Err(TlvError::OutOfOrder(e.typ).into());
            }
            last = pos;
            match e.typ {
                tt::CONTENT_TYPE => m.content_type = Some(e.nni()?),
                tt::FRESHNESS_PERIOD => m.freshness_period_ms = Some(e.nni()?),
                _ => {
                    let c = tlv::read_single(e.value)?;
                    m.final_block_id = Some(Component { typ: c.typ, value: c.value.to_vec() });
                }
            }
        }
        Ok(m)
    }

    fn encode_to(&self, out: &mut Vec<u8>) {
        tlv::write_nested(out, tt::META_INFO, |o| {
            if let Some(t) = self.content_type {
                tlv::write_nni_tlv(o, tt::CONTENT_TYPE, t);
            }
            if let Some(f) = self.freshness_period_ms {
                tlv::write_nni_tlv(o, tt::FRESHNESS_PERIOD, f);
            }
            if let Some(c) = &self.final_block_id {
                tlv::write_nested(o, tt::FINAL_BLOCK_ID, |o| tlv::write_tlv(o, c.typ, &c.value));
            }
        });
    }
}

/// A checked Data whose Content and SignatureValue borrow from the wire (no copies):
/// what a forwarder needs to match and cache it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataView<'a> {
    pub name: Name,
    pub meta_info: Option<MetaInfo>,
    pub content: Option<&'a [u8]>,
    pub sig_info: SignatureInfo,
    pub sig_value: &'a [u8],
    /// Offsets of the signed portion (Name through SignatureInfo) in the wire.
    pub signed: std::ops::Range<usize>,
}

impl<'a> DataView<'a> {
    /// Decodes and checks a Data TLV (element order, critical rule, required elements).
    pub fn parse(wire: &'a [u8]) -> Result<DataView<'a>, PacketError> {
        let outer = tlv::expect_single(wire, tt::DATA)?;
        let base = outer.wire.len() - outer.value.len();
        let mut r = Reader::new(outer.value);
        let mut name = None;
        let mut meta_info = None;
        let mut content = None;
        let mut sig_info = None;
        let mut sig_value = None;
        let mut signed = 0..0;
        let mut last: Option<u8> = None;
        while !r.is_empty() {
            let e = r.read()?;
            let Some(pos) = order_of(e.typ) else {
                if tlv::is_critical(e.typ) {
                    return Err(TlvError::UnknownCritical(e.typ).into());
                }
                continue;
            };
            if last.is_some_and(|l| pos <= l) || (pos > 0 && last.is_none()) {
                return Err(TlvError::OutOfOrder(e.typ).into());
            }
            last = Some(pos);
            match e.typ {
                tt::NAME => {
                    name = Some(Name::from_value(e.value)?);
                    signed.start = base + e.offset;
                }
                tt::META_INFO => meta_info = Some(MetaInfo::from_value(e.value)?),
                tt::CONTENT => content = Some(e.value),
                tt::SIGNATURE_INFO => {
                    sig_info = Some(SignatureInfo::from_value(e.value)?);
                    signed.end = base + e.offset + e.wire.len();
                }
                _ => sig_value = Some(e.value),
            }
        }
        Ok(DataView {
            name: name.ok_or(TlvError::Missing(tt::NAME))?,
            meta_info,
            content,
            sig_info: sig_info.ok_or(TlvError::Missing(tt::SIGNATURE_INFO))?,
            sig_value: sig_value.ok_or(TlvError::Missing(tt::SIGNATURE_VALUE))?,
            signed,
        })
    }

    /// FreshnessPeriod; absent means zero (stale at once).
    pub fn freshness(&self) -> Duration {
        Duration::from_millis(self.meta_info.as_ref().and_then(|m| m.freshness_period_ms).unwrap_or(0))
    }
}

impl Data {
    /// A Data with the given name and content, not yet signed (DigestSha256 info, empty value).
    pub fn new(name: Name, content: impl Into<Vec<u8>>) -> Self {
        Data { name, meta_info: None, content: Some(content.into()), sig_info: SignatureInfo::digest_sha256(), sig_value: Vec::new() }
    }

    /// FreshnessPeriod; absent means zero (stale at once).
    pub fn freshness(&self) -> Duration {
        Duration::from_millis(self.meta_info.as_ref().and_then(|m| m.freshness_period_ms).unwrap_or(0))
    }

    pub fn decode(wire: &[u8]) -> Result<Data, PacketError> {
        Data::decode_with_signed_range(wire).map(|(d, _)| d)
    }

    /// Decodes a Data TLV and returns the range of the signed portion (Name .. SignatureInfo).
    pub fn decode_with_signed_range(wire: &[u8]) -> Result<(Data, std::ops::Range<usize>), PacketError> {
        let v = DataView::parse(wire)?;
        let d = Data {
            name: v.name,
            meta_info: v.meta_info,
            content: v.content.map(<[u8]>::to_vec),
            sig_info: v.sig_info,
            sig_value: v.sig_value.to_vec(),
        };
        Ok((d, v.signed))
    }

    /// The signed portion: Name, MetaInfo, Content, SignatureInfo.
    fn signed_portion(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.content.as_ref().map_or(0, Vec::len));
        self.name.encode_to(&mut out);
        if let Some(m) = &self.meta_info {
            m.encode_to(&mut out);
        }
        if let Some(c) = &self.content {
            tlv::write_tlv(&mut out, tt::CONTENT, c);
        }
        self.sig_info.encode_to(&mut out, tt::SIGNATURE_INFO);
        out
    }

    pub fn encode(&self) -> Vec<u8> {
        let signed = self.signed_portion();
        let mut out = Vec::with_capacity(signed.len() + self.sig_value.len() + 8);
        tlv::write_nested(&mut out, tt::DATA, |o| {
            o.extend_from_slice(&signed);
            tlv::write_tlv(o, tt::SIGNATURE_VALUE, &self.sig_value);
        });
        out
    }

    /// Signs with DigestSha256 and encodes in one pass.
    pub fn sign_digest_sha256_and_encode(&mut self) -> Vec<u8> {
        self.sig_info = SignatureInfo { sig_type: SignatureType::DigestSha256, ..self.sig_info.clone() };
        let signed = self.signed_portion();
        self.sig_value = sha256(&[&signed]).to_vec();
        let mut out = Vec::with_capacity(signed.len() + 40);
        tlv::write_nested(&mut out, tt::DATA, |o| {
            o.extend_from_slice(&signed);
            tlv::write_tlv(o, tt::SIGNATURE_VALUE, &self.sig_value);
        });
        out
    }

    /// Checks a DigestSha256 signature over an encoded Data.
    pub fn verify_digest_sha256(wire: &[u8]) -> Result<bool, PacketError> {
        let (d, range) = Data::decode_with_signed_range(wire)?;
        Ok(d.sig_info.sig_type == SignatureType::DigestSha256 && ct_eq(&sha256(&[&wire[range]]), &d.sig_value))
    }

    /// The implicit SHA-256 digest of an encoded Data (the whole TLV).
    pub fn implicit_digest(wire: &[u8]) -> [u8; 32] {
        sha256(&[wire])
    }
}
