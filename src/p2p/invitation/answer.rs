//! The answer to an Invitation Request: a pure function (hostap
//! `p2p_process_invitation_req` and `wpas_invitation_process`).

use std::fmt;

use crate::ieee80211::MacAddr;
use crate::p2p::go_neg::intersect;
use crate::p2p::wire::{
    self, Channel, ChannelList, GroupId, ConfigTimeout, InvitationFlags, InvitationRequest, InvitationResponse,
    P2pActionFrame, P2pStatus,
};

/// What the answer needs to know about us.
#[derive(Debug, Clone, Copy)]
pub struct OurDevice<'a> {
    /// Our P2P device address.
    pub device_addr: MacAddr,
    /// Channels we can run a group on.
    pub channels: &'a ChannelList,
    /// GOs or inviters whose join invitation the user accepted in advance.
    pub authorized_joins: &'a [MacAddr],
    /// The persistent groups we have stored (GO device address and SSID); a
    /// re-invocation of one is accepted (as wpa_supplicant with `persistent_reconnect=1`).
    pub stored: &'a [GroupId],
    /// `persistent_reconnect` (wpa_supplicant's, default 1): a re-invocation is accepted
    /// without asking; 0: answered 1 (the user is told and re-invokes it himself).
    pub persistent_reconnect: bool,
    /// The peer whose answer to our re-invocation was 1 (hostap `p2p_auth_invite`): its
    /// own re-invocation, which is what it promised, is accepted even so.
    pub auth_invite: Option<MacAddr>,
    /// The interface address a group we re-invoke as GO will have (its BSSID).
    pub group_iface_addr: MacAddr,
    /// The stored groups we run as GO now: a re-invocation of one is answered with
    /// where it runs (hostap: "the group is already running, accept").
    pub running: &'a [RunningGroup],
    /// No room for another group (directd runs one at a time), and the SSIDs of the groups
    /// that run or start: re-invoking another is refused with status 5 (hostap: "the only
    /// available interface is already in use", P2P_SC_FAIL_UNABLE_TO_ACCOMMODATE).
    pub groups_full: bool,
    pub active_ssids: &'a [Vec<u8>],
}

/// A stored group we run as GO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningGroup {
    pub group: GroupId,
    pub channel: Channel,
    pub bssid: MacAddr,
}

/// The operating channel of a stored group we re-invoke as GO: the inviter's choice if
/// we share it, else a social channel we share (6, 1, 11), else any common one.
fn go_channel(common: &ChannelList, asked: Option<Channel>) -> Option<Channel> {
    if let Some(c) = asked.filter(|c| common.contains(c.op_class, c.channel)) {
        return Some(c);
    }
    let freqs = common.freqs();
    let f = [2437, 2412, 2462].into_iter().find(|f| freqs.contains(f)).or_else(|| freqs.first().copied())?;
    Channel::from_freq(common.country, f)
}

/// An invitation we answered, as the user is told of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Received {
    /// The inviter.
    pub sa: MacAddr,
    /// The group's GO (its P2P device address).
    pub go_dev_addr: MacAddr,
    /// The group's SSID.
    pub ssid: Vec<u8>,
    /// The group's BSSID, when the inviter sent it (it is the GO).
    pub bssid: Option<MacAddr>,
    /// The group's operating frequency, when the inviter sent it (MHz).
    pub op_freq: Option<u32>,
    /// A persistent group re-invocation (else: join an active group).
    pub persistent: bool,
    /// Our answer.
    pub status: P2pStatus,
}

impl fmt::Debug for Received {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("sa", &self.sa)
            .field("go_dev_addr", &self.go_dev_addr)
            .field("ssid", &String::from_utf8_lossy(&self.ssid))
            .field("bssid", &self.bssid)
            .field("op_freq", &self.op_freq)
            .field("persistent", &self.persistent)
            .field("status", &self.status)
            .finish()
    }
}

/// The Response to send, and what to tell the user once it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Our status.
    pub status: P2pStatus,
    /// The Response (the Request's dialog token).
    pub response: InvitationResponse,
    /// The invitation as the user is told of it; `None` when the Request could not be
    /// read (status 4: nothing to tell).
    pub received: Option<Received>,
}

/// Answers the Invitation Request `req` from `sa` (see the module documentation of
/// [`super`] for the decision order). A Request whose P2P IE does not parse is not
/// answered (hostap drops it too): the error says why.
pub fn answer(req: &P2pActionFrame, sa: MacAddr, ours: &OurDevice<'_>) -> Result<Answer, wire::Error> {
    let response = |status, channel_list| InvitationResponse {
        dialog_token: req.dialog_token,
        status,
        config_timeout: ConfigTimeout {
            go_10ms: 0,
            client_10ms: 0,
        },
        channel_list,
        ..Default::default()
    };
    let r = match InvitationRequest::parse(req) {
        Ok(r) => r,
        Err(e @ (wire::Error::MissingAttribute { .. } | wire::Error::MissingP2pIe(_))) => {
            tracing::info!(%sa, "incomplete Invitation Request: {e}");
            let status = P2pStatus::FAIL_INVALID_PARAMS;
            return Ok(Answer {
                status,
                response: response(status, None),
                received: None,
            });
        }
        Err(e) => return Err(e),
    };
    let persistent = r
        .invitation_flags
        .contains(InvitationFlags::REINVOKE_PERSISTENT);
    let common = intersect(ours.channels, &r.channel_list);
    let go_dev_addr = r.group_id.device_addr;
    let status = if common.is_none() {
        P2pStatus::FAIL_NO_COMMON_CHANNELS
    } else if persistent {
        // wpas_invitation_process's order: a running group, then the peer we asked to
        // re-invoke, then persistent_reconnect, then the stored groups.
        let running = ours.running.iter().any(|g| g.group == r.group_id) || ours.active_ssids.contains(&r.group_id.ssid);
        if !running && ours.auth_invite != Some(sa) && !ours.persistent_reconnect {
            P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE
        } else if running {
            P2pStatus::SUCCESS
        } else if ours.stored.contains(&r.group_id) && ours.groups_full {
            P2pStatus::FAIL_UNABLE_TO_ACCOMMODATE
        } else if ours.stored.contains(&r.group_id) {
            P2pStatus::SUCCESS
        } else {
            P2pStatus::FAIL_UNKNOWN_GROUP
        }
    } else if ours
        .authorized_joins
        .iter()
        .any(|a| *a == sa || *a == go_dev_addr)
    {
        P2pStatus::SUCCESS
    } else {
        // The user is told and decides (`P2P_CONNECT <go> ... join`).
        P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE
    };
    // Re-invoking a group we own: we say where it runs and its BSSID.
    let as_go = status == P2pStatus::SUCCESS && persistent && go_dev_addr == ours.device_addr;
    let mut op_channel = r.operating_channel;
    let mut bssid = r.group_bssid;
    let mut status = status;
    let running = ours.running.iter().find(|g| as_go && g.group == r.group_id);
    if let Some(g) = running {
        op_channel = Some(g.channel);
        bssid = Some(g.bssid);
    } else if as_go || (persistent && status == P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE) {
        // (Left to the user: the channel the group would run on, for the event.)
        op_channel = common.as_ref().and_then(|c| go_channel(c, r.operating_channel));
    }
    if as_go && running.is_none() {
        bssid = Some(ours.group_iface_addr);
        if op_channel.is_none() {
            status = P2pStatus::FAIL_NO_COMMON_CHANNELS;
        }
    }
    let channel_list = if status == P2pStatus::SUCCESS {
        common
    } else {
        None
    };
    let mut resp = response(status, channel_list);
    if as_go && status == P2pStatus::SUCCESS {
        resp.operating_channel = op_channel;
        resp.group_bssid = bssid;
    }
    Ok(Answer {
        status,
        response: resp,
        received: Some(Received {
            sa,
            go_dev_addr,
            ssid: r.group_id.ssid,
            bssid,
            op_freq: op_channel.and_then(|c| c.freq_mhz()),
            persistent,
            status,
        }),
    })
}
