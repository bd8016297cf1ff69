//! SignatureInfo (Data) / InterestSignatureInfo (Interest) and DigestSha256.

use super::{Name, PacketError, tt};
use crate::tlv::{self, Reader, TlvError};

/// SignatureType values (NDN Packet Format v0.3, "Signature").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureType {
    DigestSha256,
    Sha256WithRsa,
    Sha256WithEcdsa,
    HmacWithSha256,
    Ed25519,
    Other(u64),
}

impl From<u64> for SignatureType {
    fn from(v: u64) -> Self {
        match v {
            0 => SignatureType::DigestSha256,
            1 => SignatureType::Sha256WithRsa,
            3 => SignatureType::Sha256WithEcdsa,
            4 => SignatureType::HmacWithSha256,
            5 => SignatureType::Ed25519,
            v => SignatureType::Other(v),
        }
    }
}

impl From<SignatureType> for u64 {
    fn from(t: SignatureType) -> u64 {
        match t {
            SignatureType::DigestSha256 => 0,
            SignatureType::Sha256WithRsa => 1,
            SignatureType::Sha256WithEcdsa => 3,
            SignatureType::HmacWithSha256 => 4,
            SignatureType::Ed25519 => 5,
            SignatureType::Other(v) => v,
        }
    }
}

/// KeyLocator: a key name or a key digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyLocator {
    Name(Name),
    KeyDigest(Vec<u8>),
}

/// SignatureInfo with every field of v0.3 (Data and Interest flavours share it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    pub sig_type: SignatureType,
    pub key_locator: Option<KeyLocator>,
    pub nonce: Option<Vec<u8>>,
    pub time: Option<u64>,
    pub seq_num: Option<u64>,
}

impl SignatureInfo {
    pub fn digest_sha256() -> Self {
        SignatureInfo { sig_type: SignatureType::DigestSha256, key_locator: None, nonce: None, time: None, seq_num: None }
    }

    /// Decodes the value of a SignatureInfo or InterestSignatureInfo element.
    pub fn from_value(value: &[u8]) -> Result<Self, PacketError> {
        let mut r = Reader::new(value);
        let t = r.read()?;
        if t.typ != tt::SIGNATURE_TYPE {
            return Err(TlvError::Missing(tt::SIGNATURE_TYPE).into());
        }
        let mut si = SignatureInfo { sig_type: t.nni()?.into(), ..SignatureInfo::digest_sha256() };
        let mut last = tt::SIGNATURE_TYPE;
        while !r.is_empty() {
            let e = r.read()?;
            let order = |last: &mut u64| {
                if e.typ <= *last {
                    return Err(TlvError::OutOfOrder(e.typ));
                }
                *last = e.typ;
                Ok(())
            };
            match e.typ {
                tt::KEY_LOCATOR => {
                    order(&mut last)?;
                    let inner = tlv::read_single(e.value)?;
                    si.key_locator = Some(match inner.typ {
                        tt::NAME => KeyLocator::Name(Name::from_value(inner.value)?),
                        tt::KEY_DIGEST => KeyLocator::KeyDigest(inner.value.to_vec()),
                        t if tlv::is_critical(t) => return Err(TlvError::UnknownCritical(t).into()),
                        _ => continue,
                    });
                }
                tt::SIGNATURE_NONCE => {
                    order(&mut last)?;
                    si.nonce = Some(e.value.to_vec());
                }
                tt::SIGNATURE_TIME => {
                    order(&mut last)?;
                    si.time = Some(e.nni()?);
                }
                tt::SIGNATURE_SEQ_NUM => {
                    order(&mut last)?;
                    si.seq_num = Some(e.nni()?);
                }
                // ValidityPeriod (253) and other extensions are not needed by a forwarder.
                t if tlv::is_critical(t) && t != 253 => return Err(TlvError::UnknownCritical(t).into()),
                _ => {}
            }
        }
        Ok(si)
    }

    /// Appends the element with the given outer type (22 for Data, 44 for Interest).
    pub fn encode_to(&self, out: &mut Vec<u8>, outer: u64) {
        tlv::write_nested(out, outer, |o| {
            tlv::write_nni_tlv(o, tt::SIGNATURE_TYPE, self.sig_type.into());
            match &self.key_locator {
                Some(KeyLocator::Name(n)) => tlv::write_nested(o, tt::KEY_LOCATOR, |o| n.encode_to(o)),
                Some(KeyLocator::KeyDigest(d)) => {
                    tlv::write_nested(o, tt::KEY_LOCATOR, |o| tlv::write_tlv(o, tt::KEY_DIGEST, d))
                }
                None => {}
            }
            if let Some(n) = &self.nonce {
                tlv::write_tlv(o, tt::SIGNATURE_NONCE, n);
            }
            if let Some(t) = self.time {
                tlv::write_nni_tlv(o, tt::SIGNATURE_TIME, t);
            }
            if let Some(s) = self.seq_num {
                tlv::write_nni_tlv(o, tt::SIGNATURE_SEQ_NUM, s);
            }
        });
    }
}
