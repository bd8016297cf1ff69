//! The generic netlink controller (`nlctrl`): resolving the nl80211 family id and its
//! multicast groups. Numbers from include/uapi/linux/genetlink.h (Linux 6.1).

use crate::error::DecodeError;
use crate::netlink::{self, GENL_ID_CTRL, NLM_F_ACK, NLM_F_REQUEST};
use crate::nla::{self, NlaWriter, nlas};

/// `CTRL_CMD_NEWFAMILY`: the controller's reply.
pub const CTRL_CMD_NEWFAMILY: u8 = 1;
/// `CTRL_CMD_GETFAMILY`.
pub const CTRL_CMD_GETFAMILY: u8 = 3;
/// `CTRL_ATTR_FAMILY_ID` (u16).
pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
/// `CTRL_ATTR_FAMILY_NAME` (string).
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;
/// `CTRL_ATTR_VERSION` (u32).
pub const CTRL_ATTR_VERSION: u16 = 3;
/// `CTRL_ATTR_MCAST_GROUPS` (nested array of groups).
pub const CTRL_ATTR_MCAST_GROUPS: u16 = 7;
/// `CTRL_ATTR_MCAST_GRP_NAME` (string).
pub const CTRL_ATTR_MCAST_GRP_NAME: u16 = 1;
/// `CTRL_ATTR_MCAST_GRP_ID` (u32).
pub const CTRL_ATTR_MCAST_GRP_ID: u16 = 2;

/// The family name nl80211 registers under.
pub const NL80211_FAMILY_NAME: &str = "nl80211";

/// A generic netlink family as the controller describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// The family id (the netlink message type to use).
    pub id: u16,
    /// The family's version.
    pub version: u32,
    /// Multicast groups: name and id.
    pub groups: Vec<(String, u32)>,
}

impl Family {
    /// The id of the multicast group called `name`.
    pub fn group(&self, name: &str) -> Option<u32> {
        self.groups.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
    }
}

/// Encodes `CTRL_CMD_GETFAMILY` for `name` with sequence number `seq`.
pub fn encode_get_family(name: &str, seq: u32) -> Vec<u8> {
    let mut w = NlaWriter::new();
    w.string(CTRL_ATTR_FAMILY_NAME, name);
    netlink::encode_genl(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, seq, CTRL_CMD_GETFAMILY, 1, &w.finish())
}

/// Decodes the controller's `CTRL_CMD_NEWFAMILY` payload (after the netlink header).
pub fn decode_family(payload: &[u8]) -> Result<Family, DecodeError> {
    let (_cmd, _version, attrs) = netlink::split_genl(payload)?;
    let mut id = None;
    let mut version = 0;
    let mut groups = Vec::new();
    for a in nlas(attrs) {
        let (kind, v) = a?;
        match kind {
            CTRL_ATTR_FAMILY_ID => id = Some(nla::get_u16(kind, v)?),
            CTRL_ATTR_VERSION => version = nla::get_u32(kind, v)?,
            CTRL_ATTR_MCAST_GROUPS => {
                for g in nlas(v) {
                    let (_, g) = g?;
                    let mut name = None;
                    let mut gid = None;
                    for f in nlas(g) {
                        let (k, fv) = f?;
                        match k {
                            CTRL_ATTR_MCAST_GRP_NAME => name = Some(nla::get_string(k, fv)?),
                            CTRL_ATTR_MCAST_GRP_ID => gid = Some(nla::get_u32(k, fv)?),
                            _ => {}
                        }
                    }
                    if let (Some(n), Some(i)) = (name, gid) {
                        groups.push((n, i));
                    }
                }
            }
            _ => {}
        }
    }
    let id = id.ok_or(DecodeError::Missing { what: "family", attr: "CTRL_ATTR_FAMILY_ID" })?;
    Ok(Family { id, version, groups })
}
