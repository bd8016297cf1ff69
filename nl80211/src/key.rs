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
const KEY_DEFAULT_TYPES: u16 = 8;
const KEY_DEFAULT_TYPE_UNICAST: u16 = 1;
const KEY_DEFAULT_TYPE_MULTICAST: u16 = 2;

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
    /// `NL80211_KEY_DEFAULT_TYPES`: `(unicast, multicast)` flags, when present.
    pub default_types: Option<(bool, bool)>,
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
                KEY_DEFAULT_TYPES => {
                    let mut t = (false, false);
                    for d in nlas(v) {
                        match d?.0 {
                            KEY_DEFAULT_TYPE_UNICAST => t.0 = true,
                            KEY_DEFAULT_TYPE_MULTICAST => t.1 = true,
                            _ => {}
                        }
                    }
                    k.default_types = Some(t);
                }
                _ => k.other.push((kind, v.to_vec())),
            }
        }
        Ok(k)
    }

    /// Written without `NLA_F_NESTED` (as wpa_supplicant sends keys), in its order:
    /// data, cipher, seq, index, type, default flags.
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested_noflag(kind, |n| {
            if let Some(d) = &self.data {
                n.put(KEY_DATA, &d.0);
            }
            if let Some(c) = self.cipher {
                n.u32(KEY_CIPHER, c);
            }
            if let Some(s) = &self.seq {
                n.put(KEY_SEQ, s);
            }
            if let Some(i) = self.idx {
                n.u8(KEY_IDX, i);
            }
            if let Some(t) = self.key_type {
                n.u32(KEY_TYPE, t.number());
            }
            if self.default {
                n.flag(KEY_DEFAULT);
            }
            if self.default_mgmt {
                n.flag(KEY_DEFAULT_MGMT);
            }
            if let Some((uni, multi)) = self.default_types {
                n.nested(KEY_DEFAULT_TYPES, |t| {
                    if uni {
                        t.flag(KEY_DEFAULT_TYPE_UNICAST);
                    }
                    if multi {
                        t.flag(KEY_DEFAULT_TYPE_MULTICAST);
                    }
                });
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

impl NewKey {
    /// Reads a NEW_KEY request in either form: flat attributes (`NL80211_ATTR_KEY_DATA`...)
    /// or one nested `NL80211_ATTR_KEY`. Without `NL80211_ATTR_KEY_TYPE`, a key with a peer
    /// address is pairwise, one without is a group key (nl80211's own default).
    pub fn from_message(m: &Message) -> Option<(IfTarget, NewKey)> {
        if m.cmd != Command::NewKey {
            return None;
        }
        let a = &m.attrs;
        let peer = crate::attr!(a, Mac).copied();
        let default_type = if peer.is_some() { KeyType::Pairwise } else { KeyType::Group };
        let key = match crate::attr!(a, Key) {
            Some(k) => NewKey {
                key_type: k.key_type.unwrap_or(default_type),
                peer,
                idx: k.idx?,
                cipher: k.cipher?,
                data: k.data.clone()?,
                seq: k.seq.clone(),
            },
            None => NewKey {
                key_type: crate::attr!(a, KeyType).copied().unwrap_or(default_type),
                peer,
                idx: *crate::attr!(a, KeyIdx)?,
                cipher: *crate::attr!(a, KeyCipher)?,
                data: crate::attr!(a, KeyData)?.clone(),
                seq: crate::attr!(a, KeySeq).cloned(),
            },
        };
        Some((IfTarget::from_attrs(a)?, key))
    }
}

/// `NL80211_CMD_NEW_KEY` as wpa_supplicant 2.10 sends it: the peer (`NL80211_ATTR_MAC`)
/// for a pairwise key, then one nested `NL80211_ATTR_KEY`. `NL80211_KEY_TYPE` is only
/// written when it differs from what the kernel infers (pairwise with a peer, group without).
pub fn new_key_request(target: IfTarget, key: &NewKey) -> Message {
    let implied = if key.peer.is_some() { KeyType::Pairwise } else { KeyType::Group };
    Message::new(Command::NewKey).with(target.attr()).with_opt(key.peer.map(Attr::Mac)).with(Attr::Key(KeyAttrs {
        data: Some(key.data.clone()),
        idx: Some(key.idx),
        cipher: Some(key.cipher),
        seq: key.seq.clone(),
        key_type: (key.key_type != implied).then_some(key.key_type),
        ..KeyAttrs::default()
    }))
}

/// `NL80211_CMD_SET_KEY`: make group key `idx` the default for multicast transmission
/// (`NL80211_ATTR_KEY` with `KEY_IDX`, `KEY_DEFAULT` and `KEY_DEFAULT_TYPES` multicast, the
/// form wpa_supplicant's AP uses).
pub fn set_default_key_request(target: IfTarget, idx: u8) -> Message {
    Message::new(Command::SetKey).with(target.attr()).with(Attr::Key(KeyAttrs {
        idx: Some(idx),
        default: true,
        default_types: Some((false, true)),
        ..KeyAttrs::default()
    }))
}

/// `NL80211_CMD_DEL_KEY` for key `idx` (pairwise with `peer`).
pub fn del_key_request(target: IfTarget, idx: u8, peer: Option<[u8; 6]>) -> Message {
    Message::new(Command::DelKey).with(target.attr()).with(Attr::KeyIdx(idx)).with_opt(peer.map(Attr::Mac))
}
