//! Small nl80211 value enums. Numbers from include/uapi/linux/nl80211.h (Linux 6.1):
//! `enum nl80211_iftype`, `nl80211_auth_type`, `nl80211_key_type`, `nl80211_chan_width`,
//! `nl80211_hidden_ssid`, `nl80211_band`, `nl80211_bss_status`. Each keeps unknown values.

/// Declares a `u32`-numbered enum that keeps unknown numbers in `Other`.
macro_rules! numbered {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $num:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* $var,)*
            /// A value this crate does not know.
            Other(u32),
        }

        impl $name {
            /// The number on the wire.
            pub fn number(self) -> u32 {
                match self {
                    $($name::$var => $num,)*
                    $name::Other(n) => n,
                }
            }

            /// The value for a number on the wire.
            pub fn from_number(n: u32) -> Self {
                match n {
                    $($num => $name::$var,)*
                    other => $name::Other(other),
                }
            }
        }
    };
}

numbered! {
    /// Interface type (`enum nl80211_iftype`).
    IfType {
        /// `NL80211_IFTYPE_UNSPECIFIED`.
        Unspecified = 0,
        /// `NL80211_IFTYPE_ADHOC`.
        Adhoc = 1,
        /// `NL80211_IFTYPE_STATION`.
        Station = 2,
        /// `NL80211_IFTYPE_AP`.
        Ap = 3,
        /// `NL80211_IFTYPE_AP_VLAN`.
        ApVlan = 4,
        /// `NL80211_IFTYPE_WDS`.
        Wds = 5,
        /// `NL80211_IFTYPE_MONITOR`.
        Monitor = 6,
        /// `NL80211_IFTYPE_MESH_POINT`.
        MeshPoint = 7,
        /// `NL80211_IFTYPE_P2P_CLIENT`.
        P2pClient = 8,
        /// `NL80211_IFTYPE_P2P_GO`.
        P2pGo = 9,
        /// `NL80211_IFTYPE_P2P_DEVICE`: a wdev without a netdev.
        P2pDevice = 10,
        /// `NL80211_IFTYPE_OCB`.
        Ocb = 11,
        /// `NL80211_IFTYPE_NAN`.
        Nan = 12,
    }
}

impl IfType {
    /// The name `iw` uses for the type.
    pub fn name(self) -> String {
        match self {
            IfType::Unspecified => "unspecified".into(),
            IfType::Adhoc => "IBSS".into(),
            IfType::Station => "managed".into(),
            IfType::Ap => "AP".into(),
            IfType::ApVlan => "AP/VLAN".into(),
            IfType::Wds => "WDS".into(),
            IfType::Monitor => "monitor".into(),
            IfType::MeshPoint => "mesh point".into(),
            IfType::P2pClient => "P2P-client".into(),
            IfType::P2pGo => "P2P-GO".into(),
            IfType::P2pDevice => "P2P-device".into(),
            IfType::Ocb => "outside context of a BSS".into(),
            IfType::Nan => "NAN".into(),
            IfType::Other(n) => format!("iftype {n}"),
        }
    }
}

numbered! {
    /// Authentication algorithm (`enum nl80211_auth_type`).
    AuthType {
        /// `NL80211_AUTHTYPE_OPEN_SYSTEM`.
        OpenSystem = 0,
        /// `NL80211_AUTHTYPE_SHARED_KEY`.
        SharedKey = 1,
        /// `NL80211_AUTHTYPE_FT`.
        Ft = 2,
        /// `NL80211_AUTHTYPE_NETWORK_EAP`.
        NetworkEap = 3,
        /// `NL80211_AUTHTYPE_SAE`.
        Sae = 4,
        /// `NL80211_AUTHTYPE_AUTOMATIC`.
        Automatic = 8,
    }
}

numbered! {
    /// Key type (`enum nl80211_key_type`).
    KeyType {
        /// `NL80211_KEYTYPE_GROUP`.
        Group = 0,
        /// `NL80211_KEYTYPE_PAIRWISE`.
        Pairwise = 1,
        /// `NL80211_KEYTYPE_PEERKEY`.
        PeerKey = 2,
    }
}

numbered! {
    /// Channel width (`enum nl80211_chan_width`).
    ChannelWidth {
        /// `NL80211_CHAN_WIDTH_20_NOHT`.
        NoHt20 = 0,
        /// `NL80211_CHAN_WIDTH_20`.
        W20 = 1,
        /// `NL80211_CHAN_WIDTH_40`.
        W40 = 2,
        /// `NL80211_CHAN_WIDTH_80`.
        W80 = 3,
        /// `NL80211_CHAN_WIDTH_80P80`.
        W80P80 = 4,
        /// `NL80211_CHAN_WIDTH_160`.
        W160 = 5,
    }
}

numbered! {
    /// Legacy channel type (`enum nl80211_channel_type`).
    ChannelType {
        /// `NL80211_CHAN_NO_HT`.
        NoHt = 0,
        /// `NL80211_CHAN_HT20`.
        Ht20 = 1,
        /// `NL80211_CHAN_HT40MINUS`.
        Ht40Minus = 2,
        /// `NL80211_CHAN_HT40PLUS`.
        Ht40Plus = 3,
    }
}

numbered! {
    /// Hidden SSID mode for an AP (`enum nl80211_hidden_ssid`).
    HiddenSsid {
        /// `NL80211_HIDDEN_SSID_NOT_IN_USE`.
        NotInUse = 0,
        /// `NL80211_HIDDEN_SSID_ZERO_LEN`.
        ZeroLen = 1,
        /// `NL80211_HIDDEN_SSID_ZERO_CONTENTS`.
        ZeroContents = 2,
    }
}

numbered! {
    /// Frequency band (`enum nl80211_band`), the type of a nested `NL80211_ATTR_WIPHY_BANDS` entry.
    BandId {
        /// `NL80211_BAND_2GHZ`.
        Ghz2 = 0,
        /// `NL80211_BAND_5GHZ`.
        Ghz5 = 1,
        /// `NL80211_BAND_60GHZ`.
        Ghz60 = 2,
        /// `NL80211_BAND_6GHZ`.
        Ghz6 = 3,
        /// `NL80211_BAND_S1GHZ`.
        S1Ghz = 4,
        /// `NL80211_BAND_LC`.
        Lc = 5,
    }
}

numbered! {
    /// Association state in a scan result (`enum nl80211_bss_status`).
    BssStatus {
        /// `NL80211_BSS_STATUS_AUTHENTICATED`.
        Authenticated = 0,
        /// `NL80211_BSS_STATUS_ASSOCIATED`.
        Associated = 1,
        /// `NL80211_BSS_STATUS_IBSS_JOINED`.
        IbssJoined = 2,
    }
}

/// An nl80211 multicast group (names from `NL80211_MULTICAST_GROUP_*` in nl80211.h).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum McastGroup {
    /// "config": interface and wiphy changes.
    Config,
    /// "scan": scan started/finished/aborted.
    Scan,
    /// "regulatory": regulatory domain changes.
    Regulatory,
    /// "mlme": authentication, association, connect, disconnect, CH_SWITCH...
    Mlme,
    /// "vendor".
    Vendor,
    /// "nan".
    Nan,
    /// "testmode".
    TestMode,
    /// A group this crate does not know.
    Other(String),
}

impl McastGroup {
    /// The group's name as the controller lists it.
    pub fn name(&self) -> &str {
        match self {
            McastGroup::Config => "config",
            McastGroup::Scan => "scan",
            McastGroup::Regulatory => "regulatory",
            McastGroup::Mlme => "mlme",
            McastGroup::Vendor => "vendor",
            McastGroup::Nan => "nan",
            McastGroup::TestMode => "testmode",
            McastGroup::Other(s) => s,
        }
    }

    /// The group for a controller name.
    pub fn from_name(name: &str) -> McastGroup {
        match name {
            "config" => McastGroup::Config,
            "scan" => McastGroup::Scan,
            "regulatory" => McastGroup::Regulatory,
            "mlme" => McastGroup::Mlme,
            "vendor" => McastGroup::Vendor,
            "nan" => McastGroup::Nan,
            "testmode" => McastGroup::TestMode,
            other => McastGroup::Other(other.to_string()),
        }
    }
}

/// Cipher suite selectors (IEEE 802.11-2020 Table 9-149, OUI 00-0F-AC), as nl80211 takes
/// them in `NL80211_ATTR_KEY_CIPHER` and the cipher suite lists (big-endian OUI + type
/// packed into a host-order u32).
pub mod cipher {
    /// WEP-40.
    pub const WEP40: u32 = 0x000f_ac01;
    /// TKIP.
    pub const TKIP: u32 = 0x000f_ac02;
    /// CCMP-128.
    pub const CCMP: u32 = 0x000f_ac04;
    /// WEP-104.
    pub const WEP104: u32 = 0x000f_ac05;
    /// BIP-CMAC-128.
    pub const BIP_CMAC_128: u32 = 0x000f_ac06;
    /// GCMP-128.
    pub const GCMP: u32 = 0x000f_ac08;
}

/// AKM suite selectors (IEEE 802.11-2020 Table 9-151), for `NL80211_ATTR_AKM_SUITES`.
pub mod akm {
    /// 802.1X.
    pub const IEEE8021X: u32 = 0x000f_ac01;
    /// PSK.
    pub const PSK: u32 = 0x000f_ac02;
    /// SAE.
    pub const SAE: u32 = 0x000f_ac08;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iftype_numbers_match_the_header() {
        assert_eq!(IfType::P2pClient.number(), 8);
        assert_eq!(IfType::P2pGo.number(), 9);
        assert_eq!(IfType::P2pDevice.number(), 10);
        assert_eq!(IfType::from_number(10), IfType::P2pDevice);
        assert_eq!(IfType::from_number(77), IfType::Other(77));
        assert_eq!(IfType::Other(77).number(), 77);
    }
}
