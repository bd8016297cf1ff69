//! P2P protocol numbers (Wi-Fi P2P Technical Specification v1.7, section 4).
//! Names follow hostap `src/common/ieee802_11_defs.h` where it has them.

use crate::ieee80211::macros::named_values;

named_values! {
    /// P2P attribute ID (spec 4.1.1, Table 6).
    AttributeId(u8) {
        /// Status (4.1.2).
        STATUS = 0,
        /// Minor Reason Code (4.1.3).
        MINOR_REASON = 1,
        /// P2P Capability (4.1.4).
        CAPABILITY = 2,
        /// P2P Device ID (4.1.5).
        DEVICE_ID = 3,
        /// Group Owner Intent (4.1.6).
        GO_INTENT = 4,
        /// Configuration Timeout (4.1.7).
        CONFIG_TIMEOUT = 5,
        /// Listen Channel (4.1.8).
        LISTEN_CHANNEL = 6,
        /// P2P Group BSSID (4.1.9).
        GROUP_BSSID = 7,
        /// Extended Listen Timing (4.1.10).
        EXT_LISTEN_TIMING = 8,
        /// Intended P2P Interface Address (4.1.11).
        INTENDED_INTERFACE_ADDR = 9,
        /// P2P Manageability (4.1.12).
        MANAGEABILITY = 10,
        /// Channel List (4.1.13).
        CHANNEL_LIST = 11,
        /// Notice of Absence (4.1.14).
        NOTICE_OF_ABSENCE = 12,
        /// P2P Device Info (4.1.15).
        DEVICE_INFO = 13,
        /// P2P Group Info (4.1.16).
        GROUP_INFO = 14,
        /// P2P Group ID (4.1.17).
        GROUP_ID = 15,
        /// P2P Interface (4.1.18).
        INTERFACE = 16,
        /// Operating Channel (4.1.19).
        OPERATING_CHANNEL = 17,
        /// Invitation Flags (4.1.20).
        INVITATION_FLAGS = 18,
        /// Out-of-Band Group Owner Negotiation Channel (4.1.21).
        OOB_GO_NEG_CHANNEL = 19,
        /// Service Hash (P2PS).
        SERVICE_HASH = 21,
        /// Session Information Data Info (P2PS).
        SESSION_INFO = 22,
        /// Connection Capability Info (P2PS).
        CONNECTION_CAPABILITY = 23,
        /// Advertisement ID Info (P2PS).
        ADVERTISEMENT_ID = 24,
        /// Advertised Service Info (P2PS).
        ADVERTISED_SERVICE = 25,
        /// Session ID Info (P2PS).
        SESSION_ID = 26,
        /// Feature Capability (P2PS).
        FEATURE_CAPABILITY = 27,
        /// Persistent Group Info (P2PS).
        PERSISTENT_GROUP = 28,
        /// Vendor specific attribute.
        VENDOR_SPECIFIC = 221,
    }
}

named_values! {
    /// Status attribute value (spec 4.1.2, Table 8).
    P2pStatus(u8) {
        /// Success.
        SUCCESS = 0,
        /// Fail; information is currently unavailable.
        FAIL_INFO_CURRENTLY_UNAVAILABLE = 1,
        /// Fail; incompatible parameters.
        FAIL_INCOMPATIBLE_PARAMS = 2,
        /// Fail; limit reached.
        FAIL_LIMIT_REACHED = 3,
        /// Fail; invalid parameters.
        FAIL_INVALID_PARAMS = 4,
        /// Fail; unable to accommodate request.
        FAIL_UNABLE_TO_ACCOMMODATE = 5,
        /// Fail; previous protocol error, or disruptive behavior.
        FAIL_PREV_PROTOCOL_ERROR = 6,
        /// Fail; no common channels.
        FAIL_NO_COMMON_CHANNELS = 7,
        /// Fail; unknown P2P Group.
        FAIL_UNKNOWN_GROUP = 8,
        /// Fail; both P2P Devices indicated an Intent of 15 in GO negotiation.
        FAIL_BOTH_GO_INTENT_15 = 9,
        /// Fail; incompatible provisioning method.
        FAIL_INCOMPATIBLE_PROV_METHOD = 10,
        /// Fail; rejected by user.
        FAIL_REJECTED_BY_USER = 11,
        /// Success; accepted by user (deferred, P2PS).
        SUCCESS_DEFERRED = 12,
        /// Comeback (P2PS).
        COMEBACK = 13,
    }
}

named_values! {
    /// Minor Reason Code attribute value (spec 4.1.3), sent by a P2P device to a WLAN
    /// AP's deauthentication/disassociation context. Names follow Wireshark's
    /// `packet-wifi-p2p.c`.
    MinorReason(u8) {
        /// Reserved.
        RESERVED = 0,
        /// Disconnected because the Cross Connection capability is not allowed.
        CROSS_CONNECTION = 1,
        /// Disconnected because P2P Infrastructure Managed is not supported.
        NOT_P2P_MANAGED = 2,
        /// Disconnected because a concurrent device is not setting coexistence parameters.
        NO_COEXISTENCE = 3,
        /// Disconnected because P2P operation is outside the IT-defined policy.
        OUTSIDE_POLICY = 4,
    }
}

named_values! {
    /// OUI subtype of a P2P public action frame (spec 4.2.9, Table 61).
    PublicActionSubtype(u8) {
        /// GO Negotiation Request.
        GO_NEG_REQ = 0,
        /// GO Negotiation Response.
        GO_NEG_RESP = 1,
        /// GO Negotiation Confirmation.
        GO_NEG_CONF = 2,
        /// P2P Invitation Request.
        INVITATION_REQ = 3,
        /// P2P Invitation Response.
        INVITATION_RESP = 4,
        /// Device Discoverability Request.
        DEV_DISC_REQ = 5,
        /// Device Discoverability Response.
        DEV_DISC_RESP = 6,
        /// Provision Discovery Request.
        PROV_DISC_REQ = 7,
        /// Provision Discovery Response.
        PROV_DISC_RESP = 8,
    }
}

named_values! {
    /// OUI subtype of a P2P action frame, category 0x7F (spec 4.2.10, Table 75).
    ActionSubtype(u8) {
        /// Notice of Absence.
        NOTICE_OF_ABSENCE = 0,
        /// P2P Presence Request.
        PRESENCE_REQ = 1,
        /// P2P Presence Response.
        PRESENCE_RESP = 2,
        /// GO Discoverability Request.
        GO_DISC_REQ = 3,
    }
}

bitflags::bitflags! {
    /// Device Capability Bitmap of the P2P Capability attribute (spec 4.1.4, Table 12).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct DeviceCapability: u8 {
        /// Service discovery.
        const SERVICE_DISCOVERY = 0x01;
        /// P2P client discoverability.
        const CLIENT_DISCOVERABILITY = 0x02;
        /// Concurrent operation.
        const CONCURRENT_OPERATION = 0x04;
        /// P2P infrastructure managed.
        const INFRASTRUCTURE_MANAGED = 0x08;
        /// P2P device limit.
        const DEVICE_LIMIT = 0x10;
        /// P2P invitation procedure.
        const INVITATION_PROCEDURE = 0x20;
        const _ = !0;
    }
}

bitflags::bitflags! {
    /// Group Capability Bitmap of the P2P Capability attribute (spec 4.1.4, Table 13).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct GroupCapability: u8 {
        /// P2P group owner.
        const GROUP_OWNER = 0x01;
        /// Persistent P2P group.
        const PERSISTENT_GROUP = 0x02;
        /// P2P group limit.
        const GROUP_LIMIT = 0x04;
        /// Intra-BSS distribution.
        const INTRA_BSS_DISTRIBUTION = 0x08;
        /// Cross connection.
        const CROSS_CONNECTION = 0x10;
        /// Persistent reconnect.
        const PERSISTENT_RECONNECT = 0x20;
        /// Group formation (set by a GO while provisioning the first client).
        const GROUP_FORMATION = 0x40;
        /// IP address allocation (in the EAPOL-Key handshake).
        const IP_ADDRESS_ALLOCATION = 0x80;
        const _ = !0;
    }
}

bitflags::bitflags! {
    /// P2P Manageability Bitmap (spec 4.1.12, Table 22).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Manageability: u8 {
        /// P2P device management.
        const DEVICE_MANAGEMENT = 0x01;
        /// Cross connection permitted.
        const CROSS_CONNECTION_PERMITTED = 0x02;
        /// Coexistence optional.
        const COEXISTENCE_OPTIONAL = 0x04;
        const _ = !0;
    }
}

bitflags::bitflags! {
    /// Invitation Flags bitmap (spec 4.1.20, Table 29).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct InvitationFlags: u8 {
        /// Invitation type: 0 = join an active group, 1 = re-invoke a persistent group.
        const REINVOKE_PERSISTENT = 0x01;
        const _ = !0;
    }
}

/// WSC Config Methods (WSC 2.0 spec, 12 "Configuration Methods"), a BIG-endian u16 inside
/// P2P Device Info and Client Info descriptors: the WSC attribute's type, one for both.
pub use wps::attr::ConfigMethods;

/// Country string "XX\x04": no specific country, the operating classes are those of
/// IEEE 802.11 Annex E Table E-4 (global). hostap's default for P2P.
pub const COUNTRY_GLOBAL: [u8; 3] = *b"XX\x04";

/// Global operating class 81: 2.4 GHz, channels 1..13, 20 MHz (802.11 Annex E Table E-4).
pub const OP_CLASS_2GHZ: u8 = 81;
/// Global operating class 115: 5 GHz channels 36..48, 20 MHz.
pub const OP_CLASS_5GHZ_36_48: u8 = 115;
/// Global operating class 124: 5 GHz channels 149..161, 20 MHz.
pub const OP_CLASS_5GHZ_149_161: u8 = 124;

/// The P2P social channels in operating class 81 (spec 3.1.2.1.2): 1, 6 and 11.
pub const SOCIAL_CHANNELS: [u8; 3] = [1, 6, 11];

/// Wildcard SSID of P2P discovery and the prefix of every group SSID (spec 3.1.2.1.1).
pub const WILDCARD_SSID: &[u8; 7] = b"DIRECT-";

/// The highest valid GO intent (spec 4.1.6).
pub const MAX_GO_INTENT: u8 = 15;
