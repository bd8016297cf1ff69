//! Keys: `NL80211_CMD_NEW_KEY` / `SET_KEY` / `DEL_KEY` and the nested `NL80211_ATTR_KEY`.
//!
//! Nested numbers from include/uapi/linux/nl80211.h (Linux 6.1), `enum nl80211_key_attributes`.

use crate::attr::{Attr, AttrValue, KeyBytes};
use crate::command::Command;
use crate::error::DecodeError;
use crate::interface::IfTarget;
use crate::message::Message;
use crate::nla::{self, NlaWriter, nlas};
use crate::types::KeyType;
use crate::wiphy::RawAttrs;

const KEY_DATA: u16 = 1;
const KEY_IDX: u16 = 2;
const KEY_CIPHER: u16 = 3;
const KEY_SEQ: u16 = 4;
const KEY_DEFAULT: u16 = 5;
const KEY_DEFAULT_MGMT: u16 = 6;
const KEY_TYPE: u16 = 7;

/// A nested key description (`NL80211_ATTR_KEY`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyAttrs {
    /// `NL80211_KEY_DATA` (redacted in Debug, zeroized on drop).
    pub data: Option<KeyBytes>,
    /// `NL80211_KEY_IDX`.
    pub idx: Option<u8>,
    /// `NL80211_KEY_CIPHER`.
    pub cipher: Option<u32>,
    /// `NL80211_KEY_SEQ`.
    pub seq: Option<Vec<u8>>,
    /// `NL80211_KEY_DEFAULT`.
    pub default: bool,
    /// `NL80211_KEY_DEFAULT_MGMT`.
    pub default_mgmt: bool,
    /// `NL80211_KEY_TYPE`.
    pub key_type: Option<KeyType>,
    /// The other key attributes, raw.
    pub other: RawAttrs,
}

impl AttrValue for KeyAttrs {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        let mut k = KeyAttrs::default();
        for a in nlas(v) {
            let (kind, v) = a?;
            match kind {
                KEY_DATA => k.data = Some(KeyBytes(v.to_vec())),
                KEY_IDX => k.idx = Some(nla::get_u8(kind, v)?),
                KEY_CIPHER => k.cipher = Some(nla::get_u32(kind, v)?),
                KEY_SEQ => k.seq = Some(v.to_vec()),
                KEY_DEFAULT => k.default = true,
                KEY_DEFAULT_MGMT => k.default_mgmt = true,
                KEY_TYPE => k.key_type = Some(KeyType::from_number(nla::get_u32(kind, v)?)),
                _ => k.other.push((kind, v.to_vec())),
            }
        }
        Ok(k)
    }

    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested(kind, |n| {
            if let Some(d) = &self.data {
                n.put(KEY_DATA, &d.0);
            }
            if let Some(i) = self.idx {
                n.u8(KEY_IDX, i);
            }
            if let Some(c) = self.cipher {
                n.u32(KEY_CIPHER, c);
            }
            if let Some(s) = &self.seq {
                n.put(KEY_SEQ, s);
            }
            if self.default {
                n.flag(KEY_DEFAULT);
            }
            if self.default_mgmt {
                n.flag(KEY_DEFAULT_MGMT);
            }
            if let Some(t) = self.key_type {
                n.u32(KEY_TYPE, t.number());
            }
            for (k, v) in &self.other {
                n.put(*k, v);
            }
        });
    }
}

/// A key to install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKey {
    /// Pairwise (with `peer`) or group.
    pub key_type: KeyType,
    /// The peer's address for a pairwise key (None for a group key).
    pub peer: Option<[u8; 6]>,
    /// Key index (0 for pairwise, 1..3 for group keys).
    pub idx: u8,
    /// Cipher suite selector ([`crate::cipher`]).
    pub cipher: u32,
    /// Key material.
    pub data: KeyBytes,
    /// Receive sequence counter (little-endian, 6 bytes for CCMP), if known.
    pub seq: Option<Vec<u8>>,
}

/// `NL80211_CMD_NEW_KEY` in the flat form wpa_supplicant uses (`NL80211_ATTR_KEY_DATA`,
/// `_KEY_IDX`, `_KEY_CIPHER`, `_KEY_SEQ`, `_MAC`, `_KEY_TYPE` at the top level).
pub fn new_key_request(target: IfTarget, key: &NewKey) -> Message {
    Message::new(Command::NewKey)
        .with(target.attr())
        .with(Attr::KeyData(key.data.clone()))
        .with(Attr::KeyIdx(key.idx))
        .with(Attr::KeyCipher(key.cipher))
        .with_opt(key.seq.clone().map(Attr::KeySeq))
        .with_opt(key.peer.map(Attr::Mac))
        .with(Attr::KeyType(key.key_type))
}

/// `NL80211_CMD_SET_KEY`: make group key `idx` the default for transmission
/// (`NL80211_ATTR_KEY` with `KEY_IDX` and `KEY_DEFAULT`, the form wpa_supplicant uses).
pub fn set_default_key_request(target: IfTarget, idx: u8) -> Message {
    Message::new(Command::SetKey).with(target.attr()).with(Attr::Key(KeyAttrs {
        idx: Some(idx),
        default: true,
        ..KeyAttrs::default()
    }))
}

/// `NL80211_CMD_DEL_KEY` for key `idx` (pairwise with `peer`).
pub fn del_key_request(target: IfTarget, idx: u8, peer: Option<[u8; 6]>) -> Message {
    Message::new(Command::DelKey).with(target.attr()).with(Attr::KeyIdx(idx)).with_opt(peer.map(Attr::Mac))
}
