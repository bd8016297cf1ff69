//! EAP (RFC 3748) packets as WPS uses them, and the EAP-WSC method framing
//! (WSC 2.0 section 7.7; hostap `src/eap_common/eap_wsc_common.h`): expanded type 254,
//! vendor id 00 37 2A, vendor type 1, then Op-Code, Flags, an optional 2-byte message
//! length and the message (fragment). All lengths are BIG-endian.

pub mod frag;
pub(crate) mod link;

use crate::attr::named_values;

pub use frag::{Fragmenter, Reassembled, Reassembler};

/// EAP identity an enrollee answers with.
pub const IDENTITY_ENROLLEE: &[u8] = b"WFA-SimpleConfig-Enrollee-1-0";
/// EAP identity a registrar (external registrar) answers with.
pub const IDENTITY_REGISTRAR: &[u8] = b"WFA-SimpleConfig-Registrar-1-0";
/// Fragment size hostap uses (Op-Code + Flags + [Length] + data per packet).
pub const DEFAULT_FRAGMENT_SIZE: usize = 1400;

const EAP_TYPE_IDENTITY: u8 = 1;
const EAP_TYPE_EXPANDED: u8 = 254;
const WFA_VENDOR_ID: [u8; 3] = [0x00, 0x37, 0x2a];
const WSC_VENDOR_TYPE: u32 = 1;

named_values! {
    /// EAP Code (RFC 3748 section 4).
    EapCode(u8) { REQUEST = 1, RESPONSE = 2, SUCCESS = 3, FAILURE = 4 }
}

named_values! {
    /// EAP-WSC Op-Code.
    OpCode(u8) { START = 1, ACK = 2, NACK = 3, MSG = 4, DONE = 5, FRAG_ACK = 6 }
}

/// EAP-WSC flag: more fragments follow.
pub const FLAG_MORE_FRAGMENTS: u8 = 0x01;
/// EAP-WSC flag: a 2-byte total message length follows the flags.
pub const FLAG_LENGTH_FIELD: u8 = 0x02;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EapError {
    #[error("EAP packet shorter than its header ({0} bytes)")]
    Truncated(usize),
    #[error("EAP length field {field} does not fit the {have} bytes received")]
    BadLength { field: usize, have: usize },
    #[error("unknown EAP code {0}")]
    UnknownCode(u8),
    #[error("EAP-WSC header truncated")]
    TruncatedWsc,
    #[error("fragment without a Length Field starts a fragmented message")]
    NoLengthField,
    #[error("fragment Op-Code {got:?} differs from the first fragment's {first:?}")]
    OpCodeChanged { first: OpCode, got: OpCode },
    #[error("reassembled message longer than its announced {0} bytes")]
    Overrun(usize),
    #[error("reassembled message of {got} bytes, {announced} announced")]
    LengthMismatch { announced: usize, got: usize },
    #[error("message of {0} bytes does not fit EAP")]
    TooLong(usize),
}

/// One EAP-WSC frame (the method data of an expanded-type EAP packet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WscFrame {
    pub op: OpCode,
    pub flags: u8,
    /// Total message length, present when the Length Field flag is set.
    pub message_length: Option<u16>,
    pub data: Vec<u8>,
}

impl WscFrame {
    /// An unfragmented frame.
    pub fn whole(op: OpCode, data: Vec<u8>) -> WscFrame {
        WscFrame {
            op,
            flags: 0,
            message_length: None,
            data,
        }
    }
    pub fn more_fragments(&self) -> bool {
        self.flags & FLAG_MORE_FRAGMENTS != 0
    }
}

/// What follows the EAP header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EapBody {
    /// Success and Failure carry nothing.
    None,
    Identity(Vec<u8>),
    Wsc(WscFrame),
    /// Any other method, kept as is (type byte, then data).
    Other {
        kind: u8,
        data: Vec<u8>,
    },
}

/// An EAP packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EapPacket {
    pub code: EapCode,
    pub id: u8,
    pub body: EapBody,
}

impl EapPacket {
    pub fn new(code: EapCode, id: u8, body: EapBody) -> EapPacket {
        EapPacket { code, id, body }
    }

    /// Parses one EAP packet; bytes past the EAP Length (EAPOL padding) are ignored.
    pub fn parse(buf: &[u8]) -> Result<EapPacket, EapError> {
        let [code, id, l0, l1, ..] = *buf else {
            return Err(EapError::Truncated(buf.len()));
        };
        let len = usize::from(u16::from_be_bytes([l0, l1]));
        if len < 4 || len > buf.len() {
            return Err(EapError::BadLength {
                field: len,
                have: buf.len(),
            });
        }
        let code = EapCode(code);
        let rest = &buf[4..len];
        let body = match code {
            EapCode::SUCCESS | EapCode::FAILURE => EapBody::None,
            EapCode::REQUEST | EapCode::RESPONSE => {
                let (&kind, data) = rest.split_first().ok_or(EapError::Truncated(len))?;
                match kind {
                    EAP_TYPE_IDENTITY => EapBody::Identity(data.to_vec()),
                    EAP_TYPE_EXPANDED if is_wsc(data) => EapBody::Wsc(parse_wsc(&data[7..])?),
                    _ => EapBody::Other {
                        kind,
                        data: data.to_vec(),
                    },
                }
            }
            other => return Err(EapError::UnknownCode(other.0)),
        };
        Ok(EapPacket { code, id, body })
    }

    pub fn emit(&self) -> Result<Vec<u8>, EapError> {
        let mut out = vec![self.code.0, self.id, 0, 0];
        match &self.body {
            EapBody::None => {}
            EapBody::Identity(id) => {
                out.push(EAP_TYPE_IDENTITY);
                out.extend_from_slice(id);
            }
            EapBody::Wsc(f) => {
                out.push(EAP_TYPE_EXPANDED);
                out.extend_from_slice(&WFA_VENDOR_ID);
                out.extend_from_slice(&WSC_VENDOR_TYPE.to_be_bytes());
                out.push(f.op.0);
                let flags = match f.message_length {
                    Some(_) => f.flags | FLAG_LENGTH_FIELD,
                    None => f.flags & !FLAG_LENGTH_FIELD,
                };
                out.push(flags);
                if let Some(l) = f.message_length {
                    out.extend_from_slice(&l.to_be_bytes());
                }
                out.extend_from_slice(&f.data);
            }
            EapBody::Other { kind, data } => {
                out.push(*kind);
                out.extend_from_slice(data);
            }
        }
        let len = u16::try_from(out.len()).map_err(|_| EapError::TooLong(out.len()))?;
        out[2..4].copy_from_slice(&len.to_be_bytes());
        Ok(out)
    }
}

fn is_wsc(data: &[u8]) -> bool {
    data.len() >= 7 && data[..3] == WFA_VENDOR_ID && data[3..7] == WSC_VENDOR_TYPE.to_be_bytes()
}

fn parse_wsc(d: &[u8]) -> Result<WscFrame, EapError> {
    let [op, flags, rest @ ..] = d else {
        return Err(EapError::TruncatedWsc);
    };
    let (message_length, data) = if flags & FLAG_LENGTH_FIELD != 0 {
        let [a, b, data @ ..] = rest else {
            return Err(EapError::TruncatedWsc);
        };
        (Some(u16::from_be_bytes([*a, *b])), data)
    } else {
        (None, rest)
    };
    Ok(WscFrame {
        op: OpCode(*op),
        flags: *flags,
        message_length,
        data: data.to_vec(),
    })
}
