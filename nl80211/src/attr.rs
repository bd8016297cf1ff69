//! nl80211 top-level attributes (`enum nl80211_attrs`).
//!
//! Numbers from the kernel's include/uapi/linux/nl80211.h (Linux 6.1). Only the attributes
//! this project uses are typed; every other one decodes as [`Attr::Other`] with its raw
//! value, so a message survives decode → encode unchanged.

use crate::command::Command;
use crate::error::DecodeError;
use crate::nla::{self, NlaWriter, nlas};
use crate::scan::Bss;
use crate::types::{AuthType, BandId, ChannelType, ChannelWidth, HiddenSsid, IfType, KeyType};
use crate::wiphy::{Band, IfaceCombination};
use std::fmt;
use zeroize::Zeroize;

/// How a typed attribute value is read from and written to its attribute payload.
pub trait AttrValue: Sized {
    /// Reads the value of attribute `kind` from its payload.
    fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError>;
    /// Writes the attribute `kind` with this value.
    fn encode_value(&self, kind: u16, w: &mut NlaWriter);
}

macro_rules! int_value {
    ($($t:ty => $get:path, $put:ident;)*) => {$(
        impl AttrValue for $t {
            fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
                $get(kind, v)
            }
            fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
                w.$put(kind, *self);
            }
        }
    )*};
}
int_value! {
    u8 => nla::get_u8, u8;
    u16 => nla::get_u16, u16;
    u32 => nla::get_u32, u32;
    u64 => nla::get_u64, u64;
}

impl AttrValue for i32 {
    fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        nla::get_i32(kind, v)
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.put(kind, &self.to_ne_bytes());
    }
}

impl AttrValue for String {
    fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        nla::get_string(kind, v)
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.string(kind, self);
    }
}

/// Raw bytes (frames, IEs, SSIDs).
impl AttrValue for Vec<u8> {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        Ok(v.to_vec())
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.put(kind, self);
    }
}

/// A packed array of host-order u32 (cipher and AKM suite lists).
impl AttrValue for Vec<u32> {
    fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        if !v.len().is_multiple_of(4) {
            return Err(DecodeError::BadValue { kind, why: "u32 array length not a multiple of 4" });
        }
        Ok(v.chunks_exact(4).map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        let bytes: Vec<u8> = self.iter().flat_map(|x| x.to_ne_bytes()).collect();
        w.put(kind, &bytes);
    }
}

/// A MAC address.
impl AttrValue for [u8; 6] {
    fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        nla::get_mac(kind, v)
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.put(kind, self);
    }
}

macro_rules! u32_enum_value {
    ($($t:ty),*) => {$(
        impl AttrValue for $t {
            fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
                Ok(<$t>::from_number(nla::get_u32(kind, v)?))
            }
            fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
                w.u32(kind, self.number());
            }
        }
    )*};
}
u32_enum_value!(IfType, AuthType, KeyType, ChannelWidth, ChannelType, HiddenSsid);

/// Supported commands are listed as u32 values.
impl AttrValue for Command {
    fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        let n = nla::get_u32(kind, v)?;
        u8::try_from(n)
            .map(Command::from_number)
            .map_err(|_| DecodeError::BadValue { kind, why: "command number above 255" })
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.u32(kind, u32::from(self.number()));
    }
}

/// A nested list whose entries are numbered 1, 2, ... (the numbers carry no meaning):
/// `NL80211_ATTR_SCAN_SSIDS`, `NL80211_ATTR_SCAN_FREQUENCIES`, `NL80211_ATTR_SUPPORTED_COMMANDS`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Indexed<T>(pub Vec<T>);

impl<T: AttrValue> AttrValue for Indexed<T> {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        nlas(v).map(|a| a.and_then(|(k, v)| T::decode_value(k, v))).collect::<Result<_, _>>().map(Indexed)
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested(kind, |n| {
            for (i, item) in self.0.iter().enumerate() {
                item.encode_value(u16::try_from(i + 1).unwrap_or(u16::MAX), n);
            }
        });
    }
}

/// A set of interface types: a nested attribute holding one flag per type, the flag's
/// attribute number being the `nl80211_iftype` (`NL80211_ATTR_SUPPORTED_IFTYPES`,
/// `NL80211_ATTR_SOFTWARE_IFTYPES`, `NL80211_IFACE_LIMIT_TYPES`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IfTypeSet(pub Vec<IfType>);

impl AttrValue for IfTypeSet {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        nlas(v).map(|a| a.map(|(k, _)| IfType::from_number(u32::from(k)))).collect::<Result<_, _>>().map(IfTypeSet)
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested(kind, |n| {
            for t in &self.0 {
                n.flag(u16::try_from(t.number()).unwrap_or(u16::MAX));
            }
        });
    }
}

/// Rates per band: a nested attribute whose entries are numbered by `nl80211_band` and hold
/// rates in units of 500 kb/s, as in the Supported Rates element (`NL80211_ATTR_SCAN_SUPP_RATES`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BandRates(pub Vec<(BandId, Vec<u8>)>);

impl AttrValue for BandRates {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        nlas(v)
            .map(|a| a.map(|(k, v)| (BandId::from_number(u32::from(k)), v.to_vec())))
            .collect::<Result<_, _>>()
            .map(BandRates)
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested(kind, |n| {
            for (band, rates) in &self.0 {
                n.put(u16::try_from(band.number()).unwrap_or(u16::MAX), rates);
            }
        });
    }
}

/// `struct nl80211_sta_flag_update` (`NL80211_ATTR_STA_FLAGS2`): which flags to change
/// (`mask`) and their new values (`set`), bit n for `NL80211_STA_FLAG_*` number n.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StaFlagUpdate {
    /// Flags to change.
    pub mask: u32,
    /// New values of the masked flags.
    pub set: u32,
}

/// `NL80211_STA_FLAG_*` numbers (bit positions in [`StaFlagUpdate`]).
pub mod sta_flag {
    /// `NL80211_STA_FLAG_AUTHORIZED`.
    pub const AUTHORIZED: u32 = 1;
    /// `NL80211_STA_FLAG_SHORT_PREAMBLE`.
    pub const SHORT_PREAMBLE: u32 = 2;
    /// `NL80211_STA_FLAG_WME`.
    pub const WME: u32 = 3;
    /// `NL80211_STA_FLAG_MFP`.
    pub const MFP: u32 = 4;
    /// `NL80211_STA_FLAG_AUTHENTICATED`.
    pub const AUTHENTICATED: u32 = 5;
    /// `NL80211_STA_FLAG_TDLS_PEER`.
    pub const TDLS_PEER: u32 = 6;
    /// `NL80211_STA_FLAG_ASSOCIATED`.
    pub const ASSOCIATED: u32 = 7;
}

impl StaFlagUpdate {
    /// Sets flag number `flag` (one of [`sta_flag`]) to `on`.
    pub fn with(mut self, flag: u32, on: bool) -> Self {
        let bit = 1u32 << (flag & 31);
        self.mask |= bit;
        if on {
            self.set |= bit;
        } else {
            self.set &= !bit;
        }
        self
    }
}

impl AttrValue for StaFlagUpdate {
    fn decode_value(kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        let b: [u8; 8] = nla::fixed(kind, v)?;
        Ok(StaFlagUpdate {
            mask: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
            set: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
        })
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        let mut b = self.mask.to_ne_bytes().to_vec();
        b.extend_from_slice(&self.set.to_ne_bytes());
        w.put(kind, &b);
    }
}

/// `NL80211_ATTR_STA_WME` (nested `enum nl80211_sta_wme_attr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StaWme {
    /// `NL80211_STA_WME_UAPSD_QUEUES`: bitmap of U-APSD access categories.
    pub uapsd_queues: u8,
    /// `NL80211_STA_WME_MAX_SP`.
    pub max_sp: u8,
}

impl AttrValue for StaWme {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        let mut w = StaWme::default();
        for a in nlas(v) {
            let (k, v) = a?;
            match k {
                1 => w.uapsd_queues = nla::get_u8(k, v)?,
                2 => w.max_sp = nla::get_u8(k, v)?,
                _ => return Err(DecodeError::BadValue { kind: k, why: "unknown STA_WME attribute" }),
            }
        }
        Ok(w)
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.nested(kind, |n| {
            n.u8(1, self.uapsd_queues);
            n.u8(2, self.max_sp);
        });
    }
}

/// Key material: zeroized on drop, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct KeyBytes(pub Vec<u8>);

impl fmt::Debug for KeyBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyBytes(<{} bytes redacted>)", self.0.len())
    }
}

impl Drop for KeyBytes {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl AttrValue for KeyBytes {
    fn decode_value(_kind: u16, v: &[u8]) -> Result<Self, DecodeError> {
        Ok(KeyBytes(v.to_vec()))
    }
    fn encode_value(&self, kind: u16, w: &mut NlaWriter) {
        w.put(kind, &self.0);
    }
}

/// Declares the typed attributes: `values` carry a payload, `flags` are present or absent.
macro_rules! attrs {
    (
        values { $($(#[$vm:meta])* $v:ident = $vn:literal : $vt:ty,)* }
        flags { $($(#[$fm:meta])* $f:ident = $fnum:literal,)* }
    ) => {
        /// One nl80211 attribute.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Attr {
            $($(#[$vm])* $v($vt),)*
            $($(#[$fm])* $f,)*
            /// Any attribute this crate does not type, kept as raw bytes.
            Other {
                /// Attribute type as received, `NLA_F_NESTED` / `NLA_F_NET_BYTEORDER`
                /// included so that re-encoding gives the same bytes.
                kind: u16,
                /// Raw payload.
                value: Vec<u8>,
            },
        }

        impl Attr {
            /// The attribute number (without flags).
            pub fn kind(&self) -> u16 {
                match self {
                    $(Attr::$v(_) => $vn,)*
                    $(Attr::$f => $fnum,)*
                    Attr::Other { kind, .. } => *kind & nla::NLA_TYPE_MASK,
                }
            }

            /// Decodes attribute `kind` with payload `v`, strictly: a value that does not
            /// fit the attribute's type is an error.
            pub fn decode_strict(raw_kind: u16, v: &[u8]) -> Result<Attr, DecodeError> {
                let kind = raw_kind & nla::NLA_TYPE_MASK;
                Ok(match kind {
                    $($vn => Attr::$v(<$vt as AttrValue>::decode_value(kind, v)?),)*
                    $($fnum if v.is_empty() => Attr::$f,)*
                    $($fnum => return Err(DecodeError::BadValue { kind, why: "flag with a value" }),)*
                    _ => Attr::Other { kind: raw_kind, value: v.to_vec() },
                })
            }

            /// Appends this attribute to `w`.
            pub fn encode(&self, w: &mut NlaWriter) {
                match self {
                    $(Attr::$v(x) => x.encode_value($vn, w),)*
                    $(Attr::$f => w.flag($fnum),)*
                    Attr::Other { kind, value } => w.put(*kind, value),
                }
            }
        }
    };
}

attrs! {
    values {
        /// `NL80211_ATTR_WIPHY`: wiphy index.
        Wiphy = 1: u32,
        /// `NL80211_ATTR_WIPHY_NAME`.
        WiphyName = 2: String,
        /// `NL80211_ATTR_IFINDEX`: network interface index.
        Ifindex = 3: u32,
        /// `NL80211_ATTR_IFNAME`.
        Ifname = 4: String,
        /// `NL80211_ATTR_IFTYPE`.
        Iftype = 5: IfType,
        /// `NL80211_ATTR_MAC`.
        Mac = 6: [u8; 6],
        /// `NL80211_ATTR_KEY_DATA`.
        KeyData = 7: KeyBytes,
        /// `NL80211_ATTR_KEY_IDX`.
        KeyIdx = 8: u8,
        /// `NL80211_ATTR_KEY_CIPHER`: a cipher suite selector.
        KeyCipher = 9: u32,
        /// `NL80211_ATTR_KEY_SEQ`: the receive sequence counter (little-endian bytes).
        KeySeq = 10: Vec<u8>,
        /// `NL80211_ATTR_BEACON_INTERVAL` in TUs.
        BeaconInterval = 12: u32,
        /// `NL80211_ATTR_DTIM_PERIOD`.
        DtimPeriod = 13: u32,
        /// `NL80211_ATTR_BEACON_HEAD`: beacon frame up to the TIM element.
        BeaconHead = 14: Vec<u8>,
        /// `NL80211_ATTR_BEACON_TAIL`: elements after the TIM.
        BeaconTail = 15: Vec<u8>,
        /// `NL80211_ATTR_STA_AID`.
        StaAid = 16: u16,
        /// `NL80211_ATTR_STA_LISTEN_INTERVAL`.
        StaListenInterval = 18: u16,
        /// `NL80211_ATTR_STA_SUPPORTED_RATES` (500 kb/s units).
        StaSupportedRates = 19: Vec<u8>,
        /// `NL80211_ATTR_WIPHY_BANDS`.
        WiphyBands = 22: Vec<Band>,
        /// `NL80211_ATTR_HT_CAPABILITY`: the peer's HT Capabilities element body.
        HtCapability = 31: Vec<u8>,
        /// `NL80211_ATTR_SUPPORTED_IFTYPES`.
        SupportedIftypes = 32: IfTypeSet,
        /// `NL80211_ATTR_WIPHY_FREQ` in MHz.
        WiphyFreq = 38: u32,
        /// `NL80211_ATTR_WIPHY_CHANNEL_TYPE`.
        WiphyChannelType = 39: ChannelType,
        /// `NL80211_ATTR_IE`: information elements to add.
        Ie = 42: Vec<u8>,
        /// `NL80211_ATTR_MAX_NUM_SCAN_SSIDS`.
        MaxNumScanSsids = 43: u8,
        /// `NL80211_ATTR_SCAN_FREQUENCIES` in MHz.
        ScanFrequencies = 44: Indexed<u32>,
        /// `NL80211_ATTR_SCAN_SSIDS` (an empty SSID asks for a wildcard probe).
        ScanSsids = 45: Indexed<Vec<u8>>,
        /// `NL80211_ATTR_GENERATION`.
        Generation = 46: u32,
        /// `NL80211_ATTR_BSS`: one scan result.
        Bss = 47: Bss,
        /// `NL80211_ATTR_SUPPORTED_COMMANDS`.
        SupportedCommands = 50: Indexed<Command>,
        /// `NL80211_ATTR_FRAME`: a whole 802.11 management frame.
        Frame = 51: Vec<u8>,
        /// `NL80211_ATTR_SSID`.
        Ssid = 52: Vec<u8>,
        /// `NL80211_ATTR_AUTH_TYPE`.
        AuthType = 53: AuthType,
        /// `NL80211_ATTR_REASON_CODE`.
        ReasonCode = 54: u16,
        /// `NL80211_ATTR_KEY_TYPE`.
        KeyType = 55: KeyType,
        /// `NL80211_ATTR_MAX_SCAN_IE_LEN`.
        MaxScanIeLen = 56: u16,
        /// `NL80211_ATTR_CIPHER_SUITES`.
        CipherSuites = 57: Vec<u32>,
        /// `NL80211_ATTR_USE_MFP` (`enum nl80211_mfp`).
        UseMfp = 66: u32,
        /// `NL80211_ATTR_STA_FLAGS2`.
        StaFlags2 = 67: StaFlagUpdate,
        /// `NL80211_ATTR_STATUS_CODE`.
        StatusCode = 72: u16,
        /// `NL80211_ATTR_CIPHER_SUITES_PAIRWISE`.
        CipherSuitesPairwise = 73: Vec<u32>,
        /// `NL80211_ATTR_CIPHER_SUITE_GROUP`.
        CipherSuiteGroup = 74: u32,
        /// `NL80211_ATTR_WPA_VERSIONS` (bit 0: WPA, bit 1: RSN).
        WpaVersions = 75: u32,
        /// `NL80211_ATTR_AKM_SUITES`.
        AkmSuites = 76: Vec<u32>,
        /// `NL80211_ATTR_REQ_IE`: IEs of the (re)association request.
        ReqIe = 77: Vec<u8>,
        /// `NL80211_ATTR_RESP_IE`: IEs of the (re)association response.
        RespIe = 78: Vec<u8>,
        /// `NL80211_ATTR_PREV_BSSID`: for reassociation.
        PrevBssid = 79: [u8; 6],
        /// `NL80211_ATTR_KEY`: a nested key description.
        Key = 80: crate::key::KeyAttrs,
        /// `NL80211_ATTR_4ADDR`.
        FourAddr = 83: u8,
        /// `NL80211_ATTR_DURATION` in ms.
        Duration = 87: u32,
        /// `NL80211_ATTR_COOKIE`.
        Cookie = 88: u64,
        /// `NL80211_ATTR_FRAME_MATCH`: leading frame-body bytes to match.
        FrameMatch = 91: Vec<u8>,
        /// `NL80211_ATTR_WIPHY_TX_POWER_LEVEL` in mBm.
        WiphyTxPowerLevel = 98: u32,
        /// `NL80211_ATTR_FRAME_TYPE`: frame control field (type/subtype) to register.
        FrameType = 101: u16,
        /// `NL80211_ATTR_CONTROL_PORT_ETHERTYPE` (big-endian on the air; host order here).
        ControlPortEthertype = 102: u16,
        /// `NL80211_ATTR_MAX_REMAIN_ON_CHANNEL_DURATION` in ms.
        MaxRemainOnChannelDuration = 111: u32,
        /// `NL80211_ATTR_INTERFACE_COMBINATIONS`.
        InterfaceCombinations = 120: Vec<IfaceCombination>,
        /// `NL80211_ATTR_SOFTWARE_IFTYPES`.
        SoftwareIftypes = 121: IfTypeSet,
        /// `NL80211_ATTR_SCAN_SUPP_RATES`.
        ScanSuppRates = 125: BandRates,
        /// `NL80211_ATTR_HIDDEN_SSID`.
        HiddenSsid = 126: HiddenSsid,
        /// `NL80211_ATTR_IE_PROBE_RESP`.
        IeProbeResp = 127: Vec<u8>,
        /// `NL80211_ATTR_IE_ASSOC_RESP`.
        IeAssocResp = 128: Vec<u8>,
        /// `NL80211_ATTR_STA_WME`: the station's U-APSD settings.
        StaWme = 129: StaWme,
        /// `NL80211_ATTR_FEATURE_FLAGS` (`enum nl80211_feature_flags`).
        FeatureFlags = 143: u32,
        /// `NL80211_ATTR_PROBE_RESP`: probe response template for offload.
        ProbeResp = 145: Vec<u8>,
        /// `NL80211_ATTR_INACTIVITY_TIMEOUT` in seconds.
        InactivityTimeout = 150: u16,
        /// `NL80211_ATTR_RX_SIGNAL_DBM`.
        RxSignalDbm = 151: i32,
        /// `NL80211_ATTR_WDEV`: wireless device id (the only handle of a P2P-Device).
        Wdev = 153: u64,
        /// `NL80211_ATTR_SCAN_FLAGS` (`enum nl80211_scan_flags`).
        ScanFlags = 158: u32,
        /// `NL80211_ATTR_VHT_CAPABILITY`: the peer's VHT Capabilities element body.
        VhtCapability = 157: Vec<u8>,
        /// `NL80211_ATTR_CHANNEL_WIDTH`.
        ChannelWidth = 159: ChannelWidth,
        /// `NL80211_ATTR_CENTER_FREQ1` in MHz.
        CenterFreq1 = 160: u32,
        /// `NL80211_ATTR_CENTER_FREQ2` in MHz.
        CenterFreq2 = 161: u32,
        /// `NL80211_ATTR_P2P_CTWINDOW`.
        P2pCtwindow = 162: u8,
        /// `NL80211_ATTR_P2P_OPPPS`.
        P2pOppps = 163: u8,
        /// `NL80211_ATTR_STA_CAPABILITY`: the peer's capability information field.
        StaCapability = 171: u16,
        /// `NL80211_ATTR_STA_EXT_CAPABILITY`: the peer's Extended Capabilities element body.
        StaExtCapability = 172: Vec<u8>,
        /// `NL80211_ATTR_STA_SUPPORT_P2P_PS` (`enum nl80211_sta_p2p_ps_status`).
        StaSupportP2pPs = 228: u8,
        /// `NL80211_ATTR_RXMGMT_FLAGS` (`enum nl80211_rxmgmt_flags`).
        RxmgmtFlags = 188: u32,
        /// `NL80211_ATTR_SMPS_MODE`.
        SmpsMode = 213: u8,
        /// `NL80211_ATTR_EXT_FEATURES`: bitmap of `enum nl80211_ext_feature_index`.
        ExtFeatures = 217: Vec<u8>,
        /// `NL80211_ATTR_WIPHY_FREQ_OFFSET` in kHz.
        WiphyFreqOffset = 290: u32,
    }
    flags {
        /// `NL80211_ATTR_KEY_DEFAULT`.
        KeyDefault = 11,
        /// `NL80211_ATTR_TIMED_OUT`.
        TimedOut = 65,
        /// `NL80211_ATTR_CONTROL_PORT`.
        ControlPort = 68,
        /// `NL80211_ATTR_PRIVACY`.
        Privacy = 70,
        /// `NL80211_ATTR_DISCONNECTED_BY_AP`.
        DisconnectedByAp = 71,
        /// `NL80211_ATTR_ACK`: the frame was acknowledged (in FRAME_TX_STATUS).
        Ack = 92,
        /// `NL80211_ATTR_CONTROL_PORT_NO_ENCRYPT`.
        ControlPortNoEncrypt = 103,
        /// `NL80211_ATTR_OFFCHANNEL_TX_OK`.
        OffchannelTxOk = 108,
        /// `NL80211_ATTR_TX_NO_CCK_RATE`.
        TxNoCckRate = 135,
        /// `NL80211_ATTR_DONT_WAIT_FOR_ACK`.
        DontWaitForAck = 142,
        /// `NL80211_ATTR_SPLIT_WIPHY_DUMP`.
        SplitWiphyDump = 174,
        /// `NL80211_ATTR_SOCKET_OWNER`: the object dies with this socket.
        SocketOwner = 204,
        /// `NL80211_ATTR_PORT_AUTHORIZED`.
        PortAuthorized = 259,
        /// `NL80211_ATTR_CONTROL_PORT_OVER_NL80211`.
        ControlPortOverNl80211 = 264,
        /// `NL80211_ATTR_CONTROL_PORT_NO_PREAUTH`.
        ControlPortNoPreauth = 286,
    }
}

impl Attr {
    /// Decodes attribute `kind` (as received, flags included) with payload `v`. A value that does not fit the typed
    /// variant is kept as [`Attr::Other`]: nl80211 gives some numbers another shape in
    /// another context (e.g. `NL80211_ATTR_CONTROL_PORT_ETHERTYPE` is a u16 in requests
    /// but a flag in wiphy dumps), so the raw value is kept rather than the message lost.
    /// Typed views that need the attribute then report it missing.
    pub fn decode(kind: u16, v: &[u8]) -> Attr {
        Attr::decode_strict(kind, v).unwrap_or_else(|_| Attr::Other { kind, value: v.to_vec() })
    }
}

/// Decodes a sequence of attributes (only a malformed TLV header is an error).
pub fn decode_attrs(buf: &[u8]) -> Result<Vec<Attr>, DecodeError> {
    nla::nlas_raw(buf).map(|a| a.map(|(k, v)| Attr::decode(k, v))).collect()
}

/// Encodes a sequence of attributes.
pub fn encode_attrs(attrs: &[Attr]) -> Vec<u8> {
    let mut w = NlaWriter::new();
    for a in attrs {
        a.encode(&mut w);
    }
    w.finish()
}

/// The first attribute of a variant carrying a value: `attr!(attrs, Wdev)` is
/// `Option<&u64>`.
#[macro_export]
macro_rules! attr {
    ($attrs:expr, $var:ident) => {
        $attrs.iter().find_map(|a| match a {
            $crate::Attr::$var(v) => Some(v),
            _ => None,
        })
    };
}

/// Whether a flag attribute is present: `has_flag!(attrs, Ack)`.
#[macro_export]
macro_rules! has_flag {
    ($attrs:expr, $var:ident) => {
        $attrs.iter().any(|a| matches!(a, $crate::Attr::$var))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_attributes_survive_a_round_trip() {
        let mut w = NlaWriter::new();
        w.u32(1, 0); // WIPHY
        w.put(325, &[1, 2, 3]); // beyond this crate's list
        w.flag(204); // SOCKET_OWNER
        let bytes = w.finish();
        let attrs = decode_attrs(&bytes).expect("decodes");
        assert_eq!(
            attrs,
            vec![Attr::Wiphy(0), Attr::Other { kind: 325, value: vec![1, 2, 3] }, Attr::SocketOwner]
        );
        assert_eq!(encode_attrs(&attrs), bytes);
    }

    #[test]
    fn wrong_sized_values_are_errors_strictly_and_kept_raw_otherwise() {
        assert!(Attr::decode_strict(153, &[1, 2, 3]).is_err()); // WDEV needs 8 bytes
        assert!(Attr::decode_strict(6, &[0; 5]).is_err()); // MAC needs 6
        assert!(Attr::decode_strict(204, &[1]).is_err()); // SOCKET_OWNER is a flag
        assert_eq!(Attr::decode(153, &[1, 2, 3]), Attr::Other { kind: 153, value: vec![1, 2, 3] });
        // CONTROL_PORT_ETHERTYPE as the flag wiphy dumps use.
        assert_eq!(Attr::decode(102, &[]), Attr::Other { kind: 102, value: vec![] });
        assert_eq!(Attr::decode(102, &[0x8e, 0x88]), Attr::ControlPortEthertype(0x888e));
    }

    #[test]
    fn key_bytes_are_redacted() {
        let a = Attr::KeyData(KeyBytes(vec![0x11; 16]));
        let s = format!("{a:?}");
        assert!(!s.contains("17"), "{s}");
        assert!(s.contains("16 bytes redacted"), "{s}");
    }

    #[test]
    fn sta_flags2_layout() {
        let upd = StaFlagUpdate::default().with(sta_flag::AUTHORIZED, true);
        let mut w = NlaWriter::new();
        upd.encode_value(67, &mut w);
        // mask = set = 1 << 1, as struct nl80211_sta_flag_update { u32 mask; u32 set; }.
        assert_eq!(w.finish(), [12, 0, 67, 0, 2, 0, 0, 0, 2, 0, 0, 0]);
    }
}
