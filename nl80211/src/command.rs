//! nl80211 commands (`enum nl80211_commands`).
//!
//! Numbers from the kernel's include/uapi/linux/nl80211.h (Linux 6.1, as installed by Debian's
//! linux-libc-dev 6.1; cross-checked against torvalds/linux). The list is generated from that
//! enum (the `#define` aliases NEW_BEACON, DEL_BEACON, REGISTER_ACTION, ACTION and
//! ACTION_TX_STATUS are left out). Commands newer than the header decode as [`Command::Other`].

macro_rules! commands {
    ($($name:ident = $num:literal, $c:literal;)*) => {
        /// An nl80211 command (the `cmd` byte of the generic netlink header).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Command {
            $(#[doc = $c] $name,)*
            /// A command this crate does not know (kept so it survives a round trip).
            Other(u8),
        }

        impl Command {
            /// The command number on the wire.
            pub fn number(self) -> u8 {
                match self {
                    $(Command::$name => $num,)*
                    Command::Other(n) => n,
                }
            }

            /// The command for a number on the wire.
            pub fn from_number(n: u8) -> Command {
                match n {
                    $($num => Command::$name,)*
                    other => Command::Other(other),
                }
            }

            /// The kernel's name for the command, e.g. `NL80211_CMD_GET_WIPHY`.
            pub fn kernel_name(self) -> Option<&'static str> {
                match self {
                    $(Command::$name => Some($c),)*
                    Command::Other(_) => None,
                }
            }
        }
    };
}

commands! {
    Unspec = 0, "NL80211_CMD_UNSPEC";
    GetWiphy = 1, "NL80211_CMD_GET_WIPHY";
    SetWiphy = 2, "NL80211_CMD_SET_WIPHY";
    NewWiphy = 3, "NL80211_CMD_NEW_WIPHY";
    DelWiphy = 4, "NL80211_CMD_DEL_WIPHY";
    GetInterface = 5, "NL80211_CMD_GET_INTERFACE";
    SetInterface = 6, "NL80211_CMD_SET_INTERFACE";
    NewInterface = 7, "NL80211_CMD_NEW_INTERFACE";
    DelInterface = 8, "NL80211_CMD_DEL_INTERFACE";
    GetKey = 9, "NL80211_CMD_GET_KEY";
    SetKey = 10, "NL80211_CMD_SET_KEY";
    NewKey = 11, "NL80211_CMD_NEW_KEY";
    DelKey = 12, "NL80211_CMD_DEL_KEY";
    GetBeacon = 13, "NL80211_CMD_GET_BEACON";
    SetBeacon = 14, "NL80211_CMD_SET_BEACON";
    StartAp = 15, "NL80211_CMD_START_AP";
    StopAp = 16, "NL80211_CMD_STOP_AP";
    GetStation = 17, "NL80211_CMD_GET_STATION";
    SetStation = 18, "NL80211_CMD_SET_STATION";
    NewStation = 19, "NL80211_CMD_NEW_STATION";
    DelStation = 20, "NL80211_CMD_DEL_STATION";
    GetMpath = 21, "NL80211_CMD_GET_MPATH";
    SetMpath = 22, "NL80211_CMD_SET_MPATH";
    NewMpath = 23, "NL80211_CMD_NEW_MPATH";
    DelMpath = 24, "NL80211_CMD_DEL_MPATH";
    SetBss = 25, "NL80211_CMD_SET_BSS";
    SetReg = 26, "NL80211_CMD_SET_REG";
    ReqSetReg = 27, "NL80211_CMD_REQ_SET_REG";
    GetMeshConfig = 28, "NL80211_CMD_GET_MESH_CONFIG";
    SetMeshConfig = 29, "NL80211_CMD_SET_MESH_CONFIG";
    SetMgmtExtraIe = 30, "NL80211_CMD_SET_MGMT_EXTRA_IE";
    GetReg = 31, "NL80211_CMD_GET_REG";
    GetScan = 32, "NL80211_CMD_GET_SCAN";
    TriggerScan = 33, "NL80211_CMD_TRIGGER_SCAN";
    NewScanResults = 34, "NL80211_CMD_NEW_SCAN_RESULTS";
    ScanAborted = 35, "NL80211_CMD_SCAN_ABORTED";
    RegChange = 36, "NL80211_CMD_REG_CHANGE";
    Authenticate = 37, "NL80211_CMD_AUTHENTICATE";
    Associate = 38, "NL80211_CMD_ASSOCIATE";
    Deauthenticate = 39, "NL80211_CMD_DEAUTHENTICATE";
    Disassociate = 40, "NL80211_CMD_DISASSOCIATE";
    MichaelMicFailure = 41, "NL80211_CMD_MICHAEL_MIC_FAILURE";
    RegBeaconHint = 42, "NL80211_CMD_REG_BEACON_HINT";
    JoinIbss = 43, "NL80211_CMD_JOIN_IBSS";
    LeaveIbss = 44, "NL80211_CMD_LEAVE_IBSS";
    Testmode = 45, "NL80211_CMD_TESTMODE";
    Connect = 46, "NL80211_CMD_CONNECT";
    Roam = 47, "NL80211_CMD_ROAM";
    Disconnect = 48, "NL80211_CMD_DISCONNECT";
    SetWiphyNetns = 49, "NL80211_CMD_SET_WIPHY_NETNS";
    GetSurvey = 50, "NL80211_CMD_GET_SURVEY";
    NewSurveyResults = 51, "NL80211_CMD_NEW_SURVEY_RESULTS";
    SetPmksa = 52, "NL80211_CMD_SET_PMKSA";
    DelPmksa = 53, "NL80211_CMD_DEL_PMKSA";
    FlushPmksa = 54, "NL80211_CMD_FLUSH_PMKSA";
    RemainOnChannel = 55, "NL80211_CMD_REMAIN_ON_CHANNEL";
    CancelRemainOnChannel = 56, "NL80211_CMD_CANCEL_REMAIN_ON_CHANNEL";
    SetTxBitrateMask = 57, "NL80211_CMD_SET_TX_BITRATE_MASK";
    RegisterFrame = 58, "NL80211_CMD_REGISTER_FRAME";
    Frame = 59, "NL80211_CMD_FRAME";
    FrameTxStatus = 60, "NL80211_CMD_FRAME_TX_STATUS";
    SetPowerSave = 61, "NL80211_CMD_SET_POWER_SAVE";
    GetPowerSave = 62, "NL80211_CMD_GET_POWER_SAVE";
    SetCqm = 63, "NL80211_CMD_SET_CQM";
    NotifyCqm = 64, "NL80211_CMD_NOTIFY_CQM";
    SetChannel = 65, "NL80211_CMD_SET_CHANNEL";
    SetWdsPeer = 66, "NL80211_CMD_SET_WDS_PEER";
    FrameWaitCancel = 67, "NL80211_CMD_FRAME_WAIT_CANCEL";
    JoinMesh = 68, "NL80211_CMD_JOIN_MESH";
    LeaveMesh = 69, "NL80211_CMD_LEAVE_MESH";
    UnprotDeauthenticate = 70, "NL80211_CMD_UNPROT_DEAUTHENTICATE";
    UnprotDisassociate = 71, "NL80211_CMD_UNPROT_DISASSOCIATE";
    NewPeerCandidate = 72, "NL80211_CMD_NEW_PEER_CANDIDATE";
    GetWowlan = 73, "NL80211_CMD_GET_WOWLAN";
    SetWowlan = 74, "NL80211_CMD_SET_WOWLAN";
    StartSchedScan = 75, "NL80211_CMD_START_SCHED_SCAN";
    StopSchedScan = 76, "NL80211_CMD_STOP_SCHED_SCAN";
    SchedScanResults = 77, "NL80211_CMD_SCHED_SCAN_RESULTS";
    SchedScanStopped = 78, "NL80211_CMD_SCHED_SCAN_STOPPED";
    SetRekeyOffload = 79, "NL80211_CMD_SET_REKEY_OFFLOAD";
    PmksaCandidate = 80, "NL80211_CMD_PMKSA_CANDIDATE";
    TdlsOper = 81, "NL80211_CMD_TDLS_OPER";
    TdlsMgmt = 82, "NL80211_CMD_TDLS_MGMT";
    UnexpectedFrame = 83, "NL80211_CMD_UNEXPECTED_FRAME";
    ProbeClient = 84, "NL80211_CMD_PROBE_CLIENT";
    RegisterBeacons = 85, "NL80211_CMD_REGISTER_BEACONS";
    Unexpected4addrFrame = 86, "NL80211_CMD_UNEXPECTED_4ADDR_FRAME";
    SetNoackMap = 87, "NL80211_CMD_SET_NOACK_MAP";
    ChSwitchNotify = 88, "NL80211_CMD_CH_SWITCH_NOTIFY";
    StartP2pDevice = 89, "NL80211_CMD_START_P2P_DEVICE";
    StopP2pDevice = 90, "NL80211_CMD_STOP_P2P_DEVICE";
    ConnFailed = 91, "NL80211_CMD_CONN_FAILED";
    SetMcastRate = 92, "NL80211_CMD_SET_MCAST_RATE";
    SetMacAcl = 93, "NL80211_CMD_SET_MAC_ACL";
    RadarDetect = 94, "NL80211_CMD_RADAR_DETECT";
    GetProtocolFeatures = 95, "NL80211_CMD_GET_PROTOCOL_FEATURES";
    UpdateFtIes = 96, "NL80211_CMD_UPDATE_FT_IES";
    FtEvent = 97, "NL80211_CMD_FT_EVENT";
    CritProtocolStart = 98, "NL80211_CMD_CRIT_PROTOCOL_START";
    CritProtocolStop = 99, "NL80211_CMD_CRIT_PROTOCOL_STOP";
    GetCoalesce = 100, "NL80211_CMD_GET_COALESCE";
    SetCoalesce = 101, "NL80211_CMD_SET_COALESCE";
    ChannelSwitch = 102, "NL80211_CMD_CHANNEL_SWITCH";
    Vendor = 103, "NL80211_CMD_VENDOR";
    SetQosMap = 104, "NL80211_CMD_SET_QOS_MAP";
    AddTxTs = 105, "NL80211_CMD_ADD_TX_TS";
    DelTxTs = 106, "NL80211_CMD_DEL_TX_TS";
    GetMpp = 107, "NL80211_CMD_GET_MPP";
    JoinOcb = 108, "NL80211_CMD_JOIN_OCB";
    LeaveOcb = 109, "NL80211_CMD_LEAVE_OCB";
    ChSwitchStartedNotify = 110, "NL80211_CMD_CH_SWITCH_STARTED_NOTIFY";
    TdlsChannelSwitch = 111, "NL80211_CMD_TDLS_CHANNEL_SWITCH";
    TdlsCancelChannelSwitch = 112, "NL80211_CMD_TDLS_CANCEL_CHANNEL_SWITCH";
    WiphyRegChange = 113, "NL80211_CMD_WIPHY_REG_CHANGE";
    AbortScan = 114, "NL80211_CMD_ABORT_SCAN";
    StartNan = 115, "NL80211_CMD_START_NAN";
    StopNan = 116, "NL80211_CMD_STOP_NAN";
    AddNanFunction = 117, "NL80211_CMD_ADD_NAN_FUNCTION";
    DelNanFunction = 118, "NL80211_CMD_DEL_NAN_FUNCTION";
    ChangeNanConfig = 119, "NL80211_CMD_CHANGE_NAN_CONFIG";
    NanMatch = 120, "NL80211_CMD_NAN_MATCH";
    SetMulticastToUnicast = 121, "NL80211_CMD_SET_MULTICAST_TO_UNICAST";
    UpdateConnectParams = 122, "NL80211_CMD_UPDATE_CONNECT_PARAMS";
    SetPmk = 123, "NL80211_CMD_SET_PMK";
    DelPmk = 124, "NL80211_CMD_DEL_PMK";
    PortAuthorized = 125, "NL80211_CMD_PORT_AUTHORIZED";
    ReloadRegdb = 126, "NL80211_CMD_RELOAD_REGDB";
    ExternalAuth = 127, "NL80211_CMD_EXTERNAL_AUTH";
    StaOpmodeChanged = 128, "NL80211_CMD_STA_OPMODE_CHANGED";
    ControlPortFrame = 129, "NL80211_CMD_CONTROL_PORT_FRAME";
    GetFtmResponderStats = 130, "NL80211_CMD_GET_FTM_RESPONDER_STATS";
    PeerMeasurementStart = 131, "NL80211_CMD_PEER_MEASUREMENT_START";
    PeerMeasurementResult = 132, "NL80211_CMD_PEER_MEASUREMENT_RESULT";
    PeerMeasurementComplete = 133, "NL80211_CMD_PEER_MEASUREMENT_COMPLETE";
    NotifyRadar = 134, "NL80211_CMD_NOTIFY_RADAR";
    UpdateOweInfo = 135, "NL80211_CMD_UPDATE_OWE_INFO";
    ProbeMeshLink = 136, "NL80211_CMD_PROBE_MESH_LINK";
    SetTidConfig = 137, "NL80211_CMD_SET_TID_CONFIG";
    UnprotBeacon = 138, "NL80211_CMD_UNPROT_BEACON";
    ControlPortFrameTxStatus = 139, "NL80211_CMD_CONTROL_PORT_FRAME_TX_STATUS";
    SetSarSpecs = 140, "NL80211_CMD_SET_SAR_SPECS";
    ObssColorCollision = 141, "NL80211_CMD_OBSS_COLOR_COLLISION";
    ColorChangeRequest = 142, "NL80211_CMD_COLOR_CHANGE_REQUEST";
    ColorChangeStarted = 143, "NL80211_CMD_COLOR_CHANGE_STARTED";
    ColorChangeAborted = 144, "NL80211_CMD_COLOR_CHANGE_ABORTED";
    ColorChangeCompleted = 145, "NL80211_CMD_COLOR_CHANGE_COMPLETED";
    SetFilsAad = 146, "NL80211_CMD_SET_FILS_AAD";
    AssocComeback = 147, "NL80211_CMD_ASSOC_COMEBACK";
    AddLink = 148, "NL80211_CMD_ADD_LINK";
    RemoveLink = 149, "NL80211_CMD_REMOVE_LINK";
    AddLinkSta = 150, "NL80211_CMD_ADD_LINK_STA";
    ModifyLinkSta = 151, "NL80211_CMD_MODIFY_LINK_STA";
    RemoveLinkSta = 152, "NL80211_CMD_REMOVE_LINK_STA";
    SetHwTimestamp = 153, "NL80211_CMD_SET_HW_TIMESTAMP";
}
