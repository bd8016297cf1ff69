//! Interest (NDN Packet Format v0.3, "Interest Packet"), signed Interests and the
//! ParametersSha256DigestComponent.

use super::{Name, PacketError, SignatureInfo, SignatureType, ct_eq, sha256, tt};
use crate::tlv::{self, Reader, TlvError};
use std::time::Duration;

/// Default InterestLifetime (4 s) when the element is absent.
pub const DEFAULT_LIFETIME: Duration = Duration::from_millis(4000);

/// An Interest with every v0.3 field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interest {
    pub name: Name,
    pub can_be_prefix: bool,
    pub must_be_fresh: bool,
    pub forwarding_hint: Vec<Name>,
    pub nonce: Option<u32>,
    /// InterestLifetime in milliseconds as encoded (absent = 4000 ms).
    pub lifetime_ms: Option<u64>,
    pub hop_limit: Option<u8>,
    pub app_params: Option<Vec<u8>>,
    pub signature: Option<(SignatureInfo, Vec<u8>)>,
}

/// Where things sit in a decoded Interest's wire (offsets into the whole Interest TLV).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InterestLayout {
    /// Offset of the HopLimit value octet, to decrement it in place when forwarding.
    pub hop_limit_at: Option<usize>,
    /// Offset of the 4 Nonce octets.
    pub nonce_at: Option<usize>,
    /// Start of ApplicationParameters (the parameters digest covers from here to the end).
    pub params_start: Option<usize>,
    /// End of InterestSignatureInfo (the signature covers params_start..this).
    pub sig_info_end: Option<usize>,
    /// Index of the ParametersSha256DigestComponent in the name.
    pub params_digest_index: Option<usize>,
}

/// Position of each known element in the v0.3 order; unknown elements get None.
fn order_of(typ: u64) -> Option<u8> {
    Some(match typ {
        tt::NAME => 0,
        tt::CAN_BE_PREFIX => 1,
        tt::MUST_BE_FRESH => 2,
        tt::FORWARDING_HINT => 3,
        tt::NONCE => 4,
        tt::INTEREST_LIFETIME => 5,
        tt::HOP_LIMIT => 6,
        tt::APPLICATION_PARAMETERS => 7,
        tt::INTEREST_SIGNATURE_INFO => 8,
        tt::INTEREST_SIGNATURE_VALUE => 9,
        _ => return None,
    })
}

impl Interest {
    pub fn new(name: Name) -> Self {
        Interest {
            name,
            can_be_prefix: false,
            must_be_fresh: false,
            forwarding_hint: Vec::new(),
            nonce: None,
            lifetime_ms: None,
            hop_limit: None,
            app_params: None,
            signature: None,
        }
    }

    /// The InterestLifetime, defaulting to 4 s.
    pub fn lifetime(&self) -> Duration {
        self.lifetime_ms.map_or(DEFAULT_LIFETIME, Duration::from_millis)
    }

    /// Decodes an Interest TLV, checking the parameters digest.
    pub fn decode(wire: &[u8]) -> Result<Interest, PacketError> {
        Interest::decode_with_layout(wire).map(|(i, _)| i)
    }

    /// Decodes an Interest TLV and reports where its elements sit.
    pub fn decode_with_layout(wire: &[u8]) -> Result<(Interest, InterestLayout), PacketError> {
        let outer = tlv::expect_single(wire, tt::INTEREST)?;
        let base = outer.wire.len() - outer.value.len();
        let mut r = Reader::new(outer.value);
        let mut it = Interest::new(Name::new());
        let mut layout = InterestLayout::default();
        let mut have_name = false;
        let mut last: Option<u8> = None;
        let mut sig_info = None;
        while !r.is_empty() {
            let e = r.read()?;
            let Some(pos) = order_of(e.typ) else {
                if tlv::is_critical(e.typ) {
                    return Err(TlvError::UnknownCritical(e.typ).into());
                }
                continue;
            };
            if last.is_some_and(|l| pos <= l) {
                if tlv::is_critical(e.typ) {
                    return Err(TlvError::OutOfOrder(e.typ).into());
                }
                continue;
            }
            last = Some(pos);
            match e.typ {
                tt::NAME => {
                    it.name = Name::from_value(e.value)?;
                    have_name = true;
                }
                tt::CAN_BE_PREFIX => it.can_be_prefix = true,
                tt::MUST_BE_FRESH => it.must_be_fresh = true,
                tt::FORWARDING_HINT => {
                    let mut fr = Reader::new(e.value);
                    while !fr.is_empty() {
                        let d = fr.read()?;
                        match d.typ {
                            tt::NAME => it.forwarding_hint.push(Name::from_value(d.value)?),
                            // The older Delegation {Preference, Name} form.
                            31 => {
                                let mut dr = Reader::new(d.value);
                                while !dr.is_empty() {
                                    let x = dr.read()?;
                                    if x.typ == tt::NAME {
                                        it.forwarding_hint.push(Name::from_value(x.value)?);
                                    }
                                }
                            }
                            t if tlv::is_critical(t) => return Err(TlvError::UnknownCritical(t).into()),
                            _ => {}
                        }
                    }
                }
                tt::NONCE => {
                    let n: [u8; 4] = e.value.try_into().map_err(|_| PacketError::Nonce)?;
                    it.nonce = Some(u32::from_be_bytes(n));
                    layout.nonce_at = Some(base + e.offset + e.wire.len() - 4);
                }
                tt::INTEREST_LIFETIME => it.lifetime_ms = Some(e.nni()?),
                tt::HOP_LIMIT => {
                    let [h] = e.value else { return Err(PacketError::HopLimit) };
                    it.hop_limit = Some(*h);
                    layout.hop_limit_at = Some(base + e.offset + e.wire.len() - 1);
                }
                tt::APPLICATION_PARAMETERS => {
                    it.app_params = Some(e.value.to_vec());
                    layout.params_start = Some(base + e.offset);
                }
                tt::INTEREST_SIGNATURE_INFO => {
                    sig_info = Some(SignatureInfo::from_value(e.value)?);
                    layout.sig_info_end = Some(base + e.offset + e.wire.len());
                }
                _ => {
                    // InterestSignatureValue
                    if let Some(si) = sig_info.take() {
                        it.signature = Some((si, e.value.to_vec()));
                    }
                }
            }
        }
        if !have_name {
            return Err(TlvError::Missing(tt::NAME).into());
        }
        if it.name.is_empty() {
            return Err(PacketError::EmptyInterestName);
        }
        if sig_info.is_some() || (it.signature.is_some() && it.app_params.is_none()) {
            return Err(PacketError::Tlv(TlvError::Missing(tt::INTEREST_SIGNATURE_VALUE)));
        }
        // ParametersSha256DigestComponent: exactly one, if and only if parameters are present,
        // and equal to SHA-256 over ApplicationParameters through the end of the Interest.
        let digests: Vec<usize> =
            it.name.iter().enumerate().filter(|(_, c)| c.typ == tt::PARAMETERS_SHA256_DIGEST).map(|(i, _)| i).collect();
        match (layout.params_start, digests.as_slice()) {
            (None, []) => {}
            (Some(start), [i]) => {
                let want = sha256(&[&wire[start..]]);
                let got = it.name.get(*i).map(|c| c.value).unwrap_or_default();
                if !ct_eq(&want, got) {
                    return Err(PacketError::ParametersDigest);
                }
                layout.params_digest_index = Some(*i);
            }
            _ => return Err(PacketError::ParametersDigest),
        }
        Ok((it, layout))
    }

    /// Encodes the Interest. With ApplicationParameters, the ParametersSha256DigestComponent
    /// is computed and put in place of an existing one, or appended.
    pub fn encode(&self) -> Vec<u8> {
        let mut tail = Vec::new();
        if let Some(p) = &self.app_params {
            tlv::write_tlv(&mut tail, tt::APPLICATION_PARAMETERS, p);
            if let Some((si, sv)) = &self.signature {
                si.encode_to(&mut tail, tt::INTEREST_SIGNATURE_INFO);
                tlv::write_tlv(&mut tail, tt::INTEREST_SIGNATURE_VALUE, sv);
            }
        }
        let name = if self.app_params.is_some() { self.name_with_digest(&sha256(&[&tail])) } else { self.name.clone() };
        let mut out = Vec::with_capacity(name.value().len() + tail.len() + 32);
        tlv::write_nested(&mut out, tt::INTEREST, |o| {
            name.encode_to(o);
            if self.can_be_prefix {
                tlv::write_tlv(o, tt::CAN_BE_PREFIX, &[]);
            }
            if self.must_be_fresh {
                tlv::write_tlv(o, tt::MUST_BE_FRESH, &[]);
            }
            if !self.forwarding_hint.is_empty() {
                tlv::write_nested(o, tt::FORWARDING_HINT, |o| {
                    for n in &self.forwarding_hint {
                        n.encode_to(o);
                    }
                });
            }
            if let Some(n) = self.nonce {
                tlv::write_tlv(o, tt::NONCE, &n.to_be_bytes());
            }
            if let Some(l) = self.lifetime_ms {
                tlv::write_nni_tlv(o, tt::INTEREST_LIFETIME, l);
            }
            if let Some(h) = self.hop_limit {
                tlv::write_tlv(o, tt::HOP_LIMIT, &[h]);
            }
            o.extend_from_slice(&tail);
        });
        out
    }

    fn name_with_digest(&self, digest: &[u8; 32]) -> Name {
        let mut name = Name::new();
        let mut replaced = false;
        for c in self.name.iter() {
            if c.typ == tt::PARAMETERS_SHA256_DIGEST && !replaced {
                name.push(&super::Component { typ: c.typ, value: digest.to_vec() });
                replaced = true;
            } else {
                name.push(&c.to_owned());
            }
        }
        if !replaced {
            name.push(&super::Component { typ: tt::PARAMETERS_SHA256_DIGEST, value: digest.to_vec() });
        }
        name
    }

    /// The name components covered by an Interest signature (all but the parameters digest).
    fn signed_name_part(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.name.value().len());
        for i in 0..self.name.len() {
            if self.name.get(i).is_some_and(|c| c.typ != tt::PARAMETERS_SHA256_DIGEST)
                && let Some(w) = self.name.component_wire(i)
            {
                out.extend_from_slice(w);
            }
        }
        out
    }

    /// Signs with DigestSha256 (v0.3 signed Interest), keeping any SignatureNonce/Time/SeqNum
    /// already set in `info`. Adds empty ApplicationParameters if there were none.
    pub fn sign_digest_sha256(&mut self, mut info: SignatureInfo) {
        info.sig_type = SignatureType::DigestSha256;
        let params = self.app_params.take().unwrap_or_default();
        let mut covered = self.signed_name_part();
        tlv::write_tlv(&mut covered, tt::APPLICATION_PARAMETERS, &params);
        self.app_params = Some(params);
        info.encode_to(&mut covered, tt::INTEREST_SIGNATURE_INFO);
        self.signature = Some((info, sha256(&[&covered]).to_vec()));
    }

    /// Checks a decoded signed Interest whose SignatureType is DigestSha256.
    /// Returns false for other signature types and for unsigned Interests.
    pub fn verify_digest_sha256(&self, wire: &[u8], layout: &InterestLayout) -> bool {
        let (Some((si, value)), Some(start), Some(end)) = (&self.signature, layout.params_start, layout.sig_info_end)
        else {
            return false;
        };
        if si.sig_type != SignatureType::DigestSha256 || end > wire.len() || start > end {
            return false;
        }
        ct_eq(&sha256(&[&self.signed_name_part(), &wire[start..end]]), value)
    }
}

impl Interest {
    /// Whether a Data (its name and whole wire) satisfies this Interest: same name, a
    /// longer one under CanBePrefix, or the full name with the implicit digest.
    pub fn matches_data(&self, data_name: &Name, data_wire: &[u8]) -> bool {
        if self.name == *data_name || (self.can_be_prefix && data_name.starts_with(&self.name)) {
            return true;
        }
        match self.name.last() {
            Some(c) if c.typ == tt::IMPLICIT_SHA256_DIGEST && self.name.len() == data_name.len() + 1 => {
                self.name.prefix_value(data_name.len()) == data_name.value() && ct_eq(c.value, &sha256(&[data_wire]))
            }
            _ => false,
        }
    }
}

/// Rewrites the HopLimit octet of an encoded Interest (forwarders decrement it).
pub fn set_hop_limit(wire: &mut [u8], layout: &InterestLayout, hop: u8) {
    if let Some(at) = layout.hop_limit_at
        && let Some(b) = wire.get_mut(at)
    {
        *b = hop;
    }
}
