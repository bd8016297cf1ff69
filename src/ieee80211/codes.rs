//! Capability Information bits, status codes and reason codes.

use super::macros::named_values;

bitflags::bitflags! {
    /// Capability Information field (IEEE Std 802.11-2020, 9.4.1.4), little-endian u16.
    /// Unknown bits are retained.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct CapabilityInfo: u16 {
        /// ESS: set by an AP (and a P2P GO).
        const ESS = 1 << 0;
        /// IBSS.
        const IBSS = 1 << 1;
        /// Privacy: data confidentiality required (set with RSN).
        const PRIVACY = 1 << 4;
        /// Short preamble allowed.
        const SHORT_PREAMBLE = 1 << 5;
        /// Spectrum management.
        const SPECTRUM_MGMT = 1 << 8;
        /// QoS.
        const QOS = 1 << 9;
        /// Short slot time in use.
        const SHORT_SLOT_TIME = 1 << 10;
        /// APSD.
        const APSD = 1 << 11;
        /// Radio measurement.
        const RADIO_MEASUREMENT = 1 << 12;
        /// Extended power doze.
        const EPD = 1 << 13;
        const _ = !0;
    }
}

named_values! {
    /// Status Code field (IEEE Std 802.11-2020, 9.4.1.9, Table 9-50); LE u16 on the air.
    /// Names follow hostap `ieee802_11_defs.h`.
    StatusCode(u16) {
        /// Successful.
        SUCCESS = 0,
        /// Unspecified failure.
        UNSPECIFIED_FAILURE = 1,
        /// Cannot support all requested capabilities in the Capability Information field.
        CAPS_UNSUPPORTED = 10,
        /// Reassociation denied: association cannot be confirmed.
        REASSOC_NO_ASSOC = 11,
        /// Association denied for a reason outside the scope of the standard.
        ASSOC_DENIED_UNSPEC = 12,
        /// The authentication algorithm is not supported.
        NOT_SUPPORTED_AUTH_ALG = 13,
        /// Authentication transaction sequence number out of expected sequence.
        UNKNOWN_AUTH_TRANSACTION = 14,
        /// Challenge failure.
        CHALLENGE_FAIL = 15,
        /// Authentication timed out waiting for the next frame in sequence.
        AUTH_TIMEOUT = 16,
        /// The AP is unable to handle additional associated stations.
        AP_UNABLE_TO_HANDLE_NEW_STA = 17,
        /// The station does not support all basic rates of the BSS.
        ASSOC_DENIED_RATES = 18,
        /// Short preamble not supported.
        ASSOC_DENIED_NOSHORT = 19,
        /// Short slot time not supported.
        ASSOC_DENIED_NO_SHORT_SLOT_TIME = 25,
        /// HT features not supported.
        ASSOC_DENIED_NO_HT = 27,
        /// Association rejected temporarily; try again later.
        ASSOC_REJECTED_TEMPORARILY = 30,
        /// Robust management frame policy violation.
        ROBUST_MGMT_FRAME_POLICY_VIOLATION = 31,
        /// Unspecified QoS failure.
        UNSPECIFIED_QOS_FAILURE = 32,
        /// The request has been declined.
        REQUEST_DECLINED = 37,
        /// The request contains invalid parameters.
        INVALID_PARAMETERS = 38,
        /// Invalid element.
        INVALID_IE = 40,
        /// Invalid group cipher.
        INVALID_GROUP_CIPHER = 41,
        /// Invalid pairwise cipher.
        INVALID_PAIRWISE_CIPHER = 42,
        /// Invalid AKMP.
        INVALID_AKMP = 43,
        /// Unsupported RSNE version.
        UNSUPPORTED_RSNE_VERSION = 44,
        /// Invalid RSNE capabilities.
        INVALID_RSNE_CAPABILITIES = 45,
        /// Cipher suite rejected because of security policy.
        CIPHER_OUT_OF_POLICY = 46,
        /// Listen interval too large.
        ASSOC_DENIED_LISTEN_INT_TOO_LARGE = 51,
        /// Invalid PMKID.
        INVALID_PMKID = 53,
        /// Invalid RSNE.
        INVALID_RSNE = 72,
    }
}

impl StatusCode {
    /// True for [`StatusCode::SUCCESS`].
    pub fn is_success(self) -> bool {
        self == StatusCode::SUCCESS
    }
}

named_values! {
    /// Reason Code field (IEEE Std 802.11-2020, 9.4.1.7, Table 9-49), carried by
    /// Deauthentication and Disassociation; LE u16 on the air. Names follow hostap.
    ReasonCode(u16) {
        /// Unspecified reason.
        UNSPECIFIED = 1,
        /// Previous authentication no longer valid.
        PREV_AUTH_NOT_VALID = 2,
        /// Deauthenticated because the sending station is leaving (or has left).
        DEAUTH_LEAVING = 3,
        /// Disassociated due to inactivity.
        DISASSOC_DUE_TO_INACTIVITY = 4,
        /// The AP is unable to handle all currently associated stations.
        DISASSOC_AP_BUSY = 5,
        /// Class 2 frame received from a nonauthenticated station.
        CLASS2_FRAME_FROM_NONAUTH_STA = 6,
        /// Class 3 frame received from a nonassociated station.
        CLASS3_FRAME_FROM_NONASSOC_STA = 7,
        /// Disassociated because the sending station is leaving (or has left) the BSS.
        DISASSOC_STA_HAS_LEFT = 8,
        /// Station requesting (re)association is not authenticated.
        STA_REQ_ASSOC_WITHOUT_AUTH = 9,
        /// Invalid element.
        INVALID_IE = 13,
        /// Message integrity code (MIC) failure.
        MICHAEL_MIC_FAILURE = 14,
        /// 4-way handshake timeout.
        FOURWAY_HANDSHAKE_TIMEOUT = 15,
        /// Group key handshake timeout.
        GROUP_KEY_UPDATE_TIMEOUT = 16,
        /// Element in the 4-way handshake differs from the (Re)Association frame.
        IE_IN_4WAY_DIFFERS = 17,
        /// Invalid group cipher.
        GROUP_CIPHER_NOT_VALID = 18,
        /// Invalid pairwise cipher.
        PAIRWISE_CIPHER_NOT_VALID = 19,
        /// Invalid AKMP.
        AKMP_NOT_VALID = 20,
        /// Unsupported RSNE version.
        UNSUPPORTED_RSN_IE_VERSION = 21,
        /// Invalid RSNE capabilities.
        INVALID_RSN_IE_CAPAB = 22,
        /// IEEE 802.1X authentication failed.
        IEEE_802_1X_AUTH_FAILED = 23,
        /// Cipher suite rejected because of the security policy.
        CIPHER_SUITE_REJECTED = 24,
        /// Disassociated because of excessive frame losses (low ACK).
        DISASSOC_LOW_ACK = 34,
        /// The station is leaving the BSS (QoS context).
        STA_LEAVING = 36,
        /// Timeout.
        TIMEOUT = 39,
    }
}

impl ReasonCode {
    /// The name `eapol` used for [`ReasonCode::FOURWAY_HANDSHAKE_TIMEOUT`] (15) before the two
    /// reason-code types became one.
    pub const FOUR_WAY_HANDSHAKE_TIMEOUT: Self = Self::FOURWAY_HANDSHAKE_TIMEOUT;
}
