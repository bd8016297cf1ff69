//! Typed P2P frames with their required and optional attributes.
//!
//! Public action frames: spec 4.2.9.2-4.2.9.10. P2P action frames: spec 4.2.10.
//! Required/optional follows the spec tables as iwd's `p2putil.c` applies them, and
//! hostap's behaviour where it is more lenient (noted per frame).

use super::Error;
use super::action::{FrameKind, P2pActionFrame};
use super::attr::Attribute;
use super::consts::{ActionSubtype, InvitationFlags, P2pStatus, PublicActionSubtype};
use super::frame_macro::{attr_ty, p2p_frame, push_attr, push_wsc, take_attr, take_wsc, wsc_ty};
use super::ie::P2pIe;
use super::types::{
    Capability, Channel, ChannelList, ConfigTimeout, DeviceInfo, ExtListenTiming, GoIntent,
    GroupId, NoticeOfAbsence,
};
use crate::ieee80211::MacAddr;
use crate::ieee80211::vendor::{self, VendorType};

p2p_frame! {
    /// GO Negotiation Request (spec 4.2.9.2). The WSC IE carries the Device Password ID.
    GoNegRequest = FrameKind::Public(PublicActionSubtype::GO_NEG_REQ),
        p2p_ie: required, wsc: required {
        /// P2P Capability.
        required capability: Capability = Capability,
        /// GO intent and tie breaker.
        required go_intent: GoIntent = GoIntent,
        /// Configuration timeouts.
        required config_timeout: ConfigTimeout = ConfigTimeout,
        /// Listen channel.
        required listen_channel: Channel = ListenChannel,
        /// Extended listen timing.
        optional ext_listen_timing: ExtListenTiming = ExtListenTiming,
        /// The interface address the sender will use in the group.
        required intended_interface_addr: MacAddr = IntendedInterfaceAddr,
        /// Channels the sender can operate a group on.
        required channel_list: ChannelList = ChannelList,
        /// Device info.
        required device_info: DeviceInfo = DeviceInfo,
        /// Preferred operating channel.
        required operating_channel: Channel = OperatingChannel,
    }
}

p2p_frame! {
    /// GO Negotiation Response (spec 4.2.9.3). hostap omits the WSC IE when it answers
    /// a peer it does not know, so the WSC IE is optional here.
    GoNegResponse = FrameKind::Public(PublicActionSubtype::GO_NEG_RESP),
        p2p_ie: required, wsc: optional {
        /// Status (1 = information currently unavailable: not authorised yet).
        required status: P2pStatus = Status,
        /// P2P Capability.
        required capability: Capability = Capability,
        /// GO intent and tie breaker.
        required go_intent: GoIntent = GoIntent,
        /// Configuration timeouts.
        required config_timeout: ConfigTimeout = ConfigTimeout,
        /// Operating channel (omitted by hostap when the peer will be GO).
        optional operating_channel: Channel = OperatingChannel,
        /// The interface address the sender will use in the group.
        required intended_interface_addr: MacAddr = IntendedInterfaceAddr,
        /// Channel list.
        required channel_list: ChannelList = ChannelList,
        /// Device info.
        required device_info: DeviceInfo = DeviceInfo,
        /// Group ID, when the sender will be GO.
        optional group_id: GroupId = GroupId,
    }
}

p2p_frame! {
    /// GO Negotiation Confirmation (spec 4.2.9.4).
    GoNegConfirmation = FrameKind::Public(PublicActionSubtype::GO_NEG_CONF),
        p2p_ie: required, wsc: optional {
        /// Status.
        required status: P2pStatus = Status,
        /// P2P Capability.
        required capability: Capability = Capability,
        /// The group's operating channel.
        required operating_channel: Channel = OperatingChannel,
        /// Channel list.
        required channel_list: ChannelList = ChannelList,
        /// Group ID, when the sender will be GO.
        optional group_id: GroupId = GroupId,
    }
}

p2p_frame! {
    /// P2P Invitation Request (spec 4.2.9.5).
    InvitationRequest = FrameKind::Public(PublicActionSubtype::INVITATION_REQ),
        p2p_ie: required, wsc: optional {
        /// Configuration timeouts.
        required config_timeout: ConfigTimeout = ConfigTimeout,
        /// Invitation flags (re-invoke a persistent group or join an active one).
        required invitation_flags: InvitationFlags = InvitationFlags,
        /// Operating channel.
        optional operating_channel: Channel = OperatingChannel,
        /// Group BSSID.
        optional group_bssid: MacAddr = GroupBssid,
        /// Channel list.
        required channel_list: ChannelList = ChannelList,
        /// The group.
        required group_id: GroupId = GroupId,
        /// Device info.
        required device_info: DeviceInfo = DeviceInfo,
    }
}

p2p_frame! {
    /// P2P Invitation Response (spec 4.2.9.6).
    InvitationResponse = FrameKind::Public(PublicActionSubtype::INVITATION_RESP),
        p2p_ie: required, wsc: optional {
        /// Status.
        required status: P2pStatus = Status,
        /// Configuration timeouts.
        required config_timeout: ConfigTimeout = ConfigTimeout,
        /// Operating channel.
        optional operating_channel: Channel = OperatingChannel,
        /// Group BSSID.
        optional group_bssid: MacAddr = GroupBssid,
        /// Channel list.
        optional channel_list: ChannelList = ChannelList,
    }
}

p2p_frame! {
    /// Device Discoverability Request (spec 4.2.9.7), sent to a GO about one of its
    /// clients.
    DeviceDiscoverabilityRequest = FrameKind::Public(PublicActionSubtype::DEV_DISC_REQ),
        p2p_ie: required, wsc: optional {
        /// The client being looked for.
        required device_id: MacAddr = DeviceId,
        /// The group it is in.
        required group_id: GroupId = GroupId,
    }
}

p2p_frame! {
    /// Device Discoverability Response (spec 4.2.9.8).
    DeviceDiscoverabilityResponse = FrameKind::Public(PublicActionSubtype::DEV_DISC_RESP),
        p2p_ie: required, wsc: optional {
        /// Status.
        required status: P2pStatus = Status,
    }
}

p2p_frame! {
    /// Provision Discovery Request (spec 4.2.9.9). The WSC IE carries Config Methods
    /// with the one requested method. The P2PS attributes stay in `extra`.
    ProvisionDiscoveryRequest = FrameKind::Public(PublicActionSubtype::PROV_DISC_REQ),
        p2p_ie: required, wsc: required {
        /// P2P Capability.
        required capability: Capability = Capability,
        /// Device info.
        required device_info: DeviceInfo = DeviceInfo,
        /// The group to join, when the request is for joining a running group.
        optional group_id: GroupId = GroupId,
        /// Intended interface address (P2PS).
        optional intended_interface_addr: MacAddr = IntendedInterfaceAddr,
        /// Status (P2PS).
        optional status: P2pStatus = Status,
        /// Operating channel (P2PS).
        optional operating_channel: Channel = OperatingChannel,
        /// Channel list (P2PS).
        optional channel_list: ChannelList = ChannelList,
        /// Configuration timeouts (P2PS).
        optional config_timeout: ConfigTimeout = ConfigTimeout,
        /// Listen channel (P2PS).
        optional listen_channel: Channel = ListenChannel,
    }
}

p2p_frame! {
    /// Provision Discovery Response (spec 4.2.9.10). The WSC IE echoes the accepted
    /// Config Methods (0 = rejected); the P2P IE is only present with P2PS.
    ProvisionDiscoveryResponse = FrameKind::Public(PublicActionSubtype::PROV_DISC_RESP),
        p2p_ie: optional, wsc: required {
        /// Status (P2PS).
        optional status: P2pStatus = Status,
        /// P2P Capability (P2PS).
        optional capability: Capability = Capability,
        /// Device info (P2PS).
        optional device_info: DeviceInfo = DeviceInfo,
        /// Group ID (P2PS).
        optional group_id: GroupId = GroupId,
        /// Intended interface address (P2PS).
        optional intended_interface_addr: MacAddr = IntendedInterfaceAddr,
        /// Operating channel (P2PS).
        optional operating_channel: Channel = OperatingChannel,
        /// Channel list (P2PS).
        optional channel_list: ChannelList = ChannelList,
        /// Configuration timeouts (P2PS).
        optional config_timeout: ConfigTimeout = ConfigTimeout,
    }
}

p2p_frame! {
    /// Notice of Absence action frame (spec 4.2.10.2), GO to one client.
    NoticeOfAbsenceFrame = FrameKind::Action(ActionSubtype::NOTICE_OF_ABSENCE),
        p2p_ie: required, wsc: optional {
        /// The absence schedule.
        required notice_of_absence: NoticeOfAbsence = NoticeOfAbsence,
    }
}

p2p_frame! {
    /// P2P Presence Request (spec 4.2.10.3), client to GO.
    PresenceRequest = FrameKind::Action(ActionSubtype::PRESENCE_REQ),
        p2p_ie: required, wsc: optional {
        /// The client's preferred schedule.
        required notice_of_absence: NoticeOfAbsence = NoticeOfAbsence,
    }
}

p2p_frame! {
    /// P2P Presence Response (spec 4.2.10.4), GO to client.
    PresenceResponse = FrameKind::Action(ActionSubtype::PRESENCE_RESP),
        p2p_ie: required, wsc: optional {
        /// Status.
        required status: P2pStatus = Status,
        /// The GO's schedule.
        required notice_of_absence: NoticeOfAbsence = NoticeOfAbsence,
    }
}

p2p_frame! {
    /// GO Discoverability Request (spec 4.2.10.5): no elements, dialog token 0.
    GoDiscoverabilityRequest = FrameKind::Action(ActionSubtype::GO_DISC_REQ),
        p2p_ie: optional, wsc: optional {}
}
