//! An nl80211 message: a command and its attributes (the generic netlink payload).

use crate::attr::{Attr, decode_attrs, encode_attrs};
use crate::command::Command;
use crate::error::DecodeError;
use crate::netlink::{self, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};

/// The generic netlink header version byte this crate sends (what iw and wpa_supplicant
/// send through libnl's `genlmsg_put`: 0).
pub const REQUEST_VERSION: u8 = 0;

/// One nl80211 message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The command.
    pub cmd: Command,
    /// The attributes, in wire order.
    pub attrs: Vec<Attr>,
}

impl Message {
    /// A message with no attributes.
    pub fn new(cmd: Command) -> Self {
        Message { cmd, attrs: Vec::new() }
    }

    /// Appends an attribute (builder style).
    pub fn with(mut self, attr: Attr) -> Self {
        self.attrs.push(attr);
        self
    }

    /// Appends an attribute when `attr` is `Some`.
    pub fn with_opt(mut self, attr: Option<Attr>) -> Self {
        if let Some(a) = attr {
            self.attrs.push(a);
        }
        self
    }

    /// Encodes the generic netlink payload: genl header then attributes.
    pub fn encode_payload(&self) -> Vec<u8> {
        let attrs = encode_attrs(&self.attrs);
        let mut out = Vec::with_capacity(netlink::GENL_HDRLEN + attrs.len());
        out.extend_from_slice(&[self.cmd.number(), REQUEST_VERSION, 0, 0]);
        out.extend_from_slice(&attrs);
        out
    }

    /// Decodes a generic netlink payload (everything after the netlink header).
    pub fn decode_payload(payload: &[u8]) -> Result<Self, DecodeError> {
        let (cmd, _version, attrs) = netlink::split_genl(payload)?;
        Ok(Message { cmd: Command::from_number(cmd), attrs: decode_attrs(attrs)? })
    }

    /// Encodes a whole request datagram for family `family` with sequence number `seq`
    /// (`NLM_F_REQUEST | NLM_F_ACK`, plus `NLM_F_DUMP` when `dump`).
    pub fn encode_request(&self, family: u16, seq: u32, dump: bool) -> Vec<u8> {
        let mut flags = NLM_F_REQUEST | NLM_F_ACK;
        if dump {
            flags |= NLM_F_DUMP;
        }
        let attrs = encode_attrs(&self.attrs);
        netlink::encode_genl(family, flags, seq, self.cmd.number(), REQUEST_VERSION, &attrs)
    }
}
