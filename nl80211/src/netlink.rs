//! Netlink and generic netlink framing, no I/O.
//!
//! Numbers from include/uapi/linux/netlink.h and genetlink.h (Linux 6.1): `struct nlmsghdr`
//! is `u32 len, u16 type, u16 flags, u32 seq, u32 pid` in host order; generic netlink adds
//! `struct genlmsghdr { u8 cmd; u8 version; u16 reserved; }`. Errors and acks are
//! `NLMSG_ERROR` carrying `struct nlmsgerr` (`i32 error` then the request's header, its
//! payload unless `NLM_F_CAPPED`, then extended-ack TLVs if `NLM_F_ACK_TLVS`).

use crate::error::DecodeError;
use crate::nla::{self, nlas};

/// `NLMSG_NOOP`.
pub const NLMSG_NOOP: u16 = 1;
/// `NLMSG_ERROR` (also carries acks: error 0).
pub const NLMSG_ERROR: u16 = 2;
/// `NLMSG_DONE`: end of a dump.
pub const NLMSG_DONE: u16 = 3;
/// `NLMSG_OVERRUN`.
pub const NLMSG_OVERRUN: u16 = 4;

/// `NLM_F_REQUEST`.
pub const NLM_F_REQUEST: u16 = 0x1;
/// `NLM_F_MULTI`: part of a multipart reply.
pub const NLM_F_MULTI: u16 = 0x2;
/// `NLM_F_ACK`: ask for an acknowledgement.
pub const NLM_F_ACK: u16 = 0x4;
/// `NLM_F_DUMP` (`NLM_F_ROOT | NLM_F_MATCH`).
pub const NLM_F_DUMP: u16 = 0x300;
/// `NLM_F_CAPPED` on an `NLMSG_ERROR`: the request's payload was left out.
pub const NLM_F_CAPPED: u16 = 0x100;
/// `NLM_F_ACK_TLVS` on an `NLMSG_ERROR`/`NLMSG_DONE`: extended-ack TLVs follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// `NLMSGERR_ATTR_MSG`: the error message string.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// `NLMSGERR_ATTR_OFFS`: offset of the offending attribute in the request.
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

/// `GENL_ID_CTRL`: the generic netlink controller's family id.
pub const GENL_ID_CTRL: u16 = 0x10;

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// Size of `struct genlmsghdr`.
pub const GENL_HDRLEN: usize = 4;

/// A netlink message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NlHeader {
    /// `nlmsg_len`: header + payload.
    pub len: u32,
    /// `nlmsg_type`: a control type or the family id.
    pub kind: u16,
    /// `nlmsg_flags`.
    pub flags: u16,
    /// `nlmsg_seq`.
    pub seq: u32,
    /// `nlmsg_pid`: the sender's port id (0 for the kernel).
    pub pid: u32,
}

impl NlHeader {
    fn parse(b: &[u8]) -> Result<Self, DecodeError> {
        let b: &[u8; NLMSG_HDRLEN] = b
            .get(..NLMSG_HDRLEN)
            .and_then(|s| s.try_into().ok())
            .ok_or(DecodeError::Truncated { what: "netlink header" })?;
        Ok(NlHeader {
            len: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
            kind: u16::from_ne_bytes([b[4], b[5]]),
            flags: u16::from_ne_bytes([b[6], b[7]]),
            seq: u32::from_ne_bytes([b[8], b[9], b[10], b[11]]),
            pid: u32::from_ne_bytes([b[12], b[13], b[14], b[15]]),
        })
    }

    fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.len.to_ne_bytes());
        out.extend_from_slice(&self.kind.to_ne_bytes());
        out.extend_from_slice(&self.flags.to_ne_bytes());
        out.extend_from_slice(&self.seq.to_ne_bytes());
        out.extend_from_slice(&self.pid.to_ne_bytes());
    }
}

/// One message of a received datagram, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming<'a> {
    /// A message of a family (generic netlink header + attributes in `payload`).
    Data {
        /// Its header.
        header: NlHeader,
        /// Everything after the netlink header.
        payload: &'a [u8],
    },
    /// `NLMSG_ERROR` with error 0: the request `seq` succeeded.
    Ack {
        /// Sequence number of the request.
        seq: u32,
    },
    /// `NLMSG_ERROR` with a negative error: the request `seq` failed.
    Error {
        /// Sequence number of the request.
        seq: u32,
        /// Positive errno.
        errno: i32,
        /// Extended-ack message text.
        message: Option<String>,
    },
    /// `NLMSG_DONE`: end of the dump `seq` (errno 0 on success).
    Done {
        /// Sequence number of the dump request.
        seq: u32,
        /// Positive errno, 0 when the dump completed.
        errno: i32,
        /// Extended-ack message text.
        message: Option<String>,
    },
    /// `NLMSG_NOOP`.
    Noop,
    /// `NLMSG_OVERRUN`.
    Overrun {
        /// Sequence number.
        seq: u32,
    },
}

/// Splits a datagram into its netlink messages. A malformed message ends the datagram with
/// an error (the messages before it are still returned).
pub fn parse_datagram(mut buf: &[u8]) -> Vec<Result<Incoming<'_>, DecodeError>> {
    let mut out = Vec::new();
    while buf.len() >= NLMSG_HDRLEN {
        let header = match NlHeader::parse(buf) {
            Ok(h) => h,
            Err(e) => {
                out.push(Err(e));
                break;
            }
        };
        let len = header.len as usize;
        if len < NLMSG_HDRLEN || len > buf.len() {
            out.push(Err(DecodeError::BadMessageLength { len, available: buf.len() }));
            break;
        }
        let payload = &buf[NLMSG_HDRLEN..len];
        out.push(classify(header, payload));
        buf = &buf[nla::align4(len).min(buf.len())..];
    }
    out
}

fn classify(header: NlHeader, payload: &[u8]) -> Result<Incoming<'_>, DecodeError> {
    match header.kind {
        NLMSG_NOOP => Ok(Incoming::Noop),
        NLMSG_OVERRUN => Ok(Incoming::Overrun { seq: header.seq }),
        NLMSG_ERROR => {
            let code = payload
                .get(..4)
                .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or(DecodeError::Truncated { what: "nlmsgerr" })?;
            // The request's header follows; the error's own seq is the request's seq.
            let orig = payload.get(4..).unwrap_or(&[]);
            let orig_len = if header.flags & NLM_F_CAPPED != 0 {
                NLMSG_HDRLEN
            } else {
                NlHeader::parse(orig).map(|h| h.len as usize).unwrap_or(NLMSG_HDRLEN)
            };
            let tlvs = if header.flags & NLM_F_ACK_TLVS != 0 {
                orig.get(nla::align4(orig_len)..).unwrap_or(&[])
            } else {
                &[]
            };
            let message = ext_ack_message(tlvs);
            if code == 0 {
                Ok(Incoming::Ack { seq: header.seq })
            } else {
                Ok(Incoming::Error { seq: header.seq, errno: code.saturating_neg(), message })
            }
        }
        NLMSG_DONE => {
            let code = payload
                .get(..4)
                .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                .unwrap_or(0);
            let message = if header.flags & NLM_F_ACK_TLVS != 0 {
                ext_ack_message(payload.get(4..).unwrap_or(&[]))
            } else {
                None
            };
            Ok(Incoming::Done { seq: header.seq, errno: code.saturating_neg(), message })
        }
        _ => Ok(Incoming::Data { header, payload }),
    }
}

fn ext_ack_message(tlvs: &[u8]) -> Option<String> {
    nlas(tlvs)
        .filter_map(Result::ok)
        .find(|(k, _)| *k == NLMSGERR_ATTR_MSG)
        .and_then(|(k, v)| nla::get_string(k, v).ok())
}

/// Encodes one generic netlink request: netlink header, genl header (`cmd`, `version`),
/// then `attrs` (already encoded attributes).
pub fn encode_genl(family: u16, flags: u16, seq: u32, cmd: u8, version: u8, attrs: &[u8]) -> Vec<u8> {
    let len = NLMSG_HDRLEN + GENL_HDRLEN + attrs.len();
    let mut out = Vec::with_capacity(len);
    let header = NlHeader {
        len: u32::try_from(len).unwrap_or(u32::MAX),
        kind: family,
        flags,
        seq,
        pid: 0,
    };
    header.emit(&mut out);
    out.extend_from_slice(&[cmd, version, 0, 0]);
    out.extend_from_slice(attrs);
    out
}

/// Splits a generic netlink payload into `(cmd, version, attributes)`.
pub fn split_genl(payload: &[u8]) -> Result<(u8, u8, &[u8]), DecodeError> {
    if payload.len() < GENL_HDRLEN {
        return Err(DecodeError::Truncated { what: "generic netlink header" });
    }
    Ok((payload[0], payload[1], &payload[GENL_HDRLEN..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nla::NlaWriter;

    fn err_msg(seq: u32, code: i32, flags: u16, tlvs: &[u8]) -> Vec<u8> {
        let orig = encode_genl(0x1c, NLM_F_REQUEST | NLM_F_ACK, seq, 7, 0, &[]);
        let mut payload = code.to_ne_bytes().to_vec();
        payload.extend_from_slice(&orig[..NLMSG_HDRLEN]);
        payload.extend_from_slice(tlvs);
        let mut out = Vec::new();
        NlHeader {
            len: (NLMSG_HDRLEN + payload.len()) as u32,
            kind: NLMSG_ERROR,
            flags,
            seq,
            pid: 1234,
        }
        .emit(&mut out);
        out.extend_from_slice(&payload);
        out
    }

    #[test]
    fn error_with_ext_ack_text() {
        let mut w = NlaWriter::new();
        w.string(NLMSGERR_ATTR_MSG, "missing attribute");
        let bytes = err_msg(5, -22, NLM_F_CAPPED | NLM_F_ACK_TLVS, &w.finish());
        let got = parse_datagram(&bytes);
        assert_eq!(
            got,
            vec![Ok(Incoming::Error { seq: 5, errno: 22, message: Some("missing attribute".into()) })]
        );
    }

    #[test]
    fn ack_and_truncated_datagrams() {
        let bytes = err_msg(9, 0, NLM_F_CAPPED, &[]);
        assert_eq!(parse_datagram(&bytes), vec![Ok(Incoming::Ack { seq: 9 })]);
        for i in 1..bytes.len() {
            // Never panics; a cut message is an error or nothing.
            for r in parse_datagram(&bytes[..i]) {
                assert!(r.is_err());
            }
        }
    }
}
