//! What the GO negotiator takes and gives: the connection asked for, our device, the
//! inputs, the outputs and the events.

use std::fmt;
use std::time::Duration;

use super::{DPID_PUSH_BUTTON, DPID_REGISTRAR_SPECIFIED, DPID_USER_SPECIFIED};
use crate::ieee80211::MacAddr;
use crate::p2p::wire::{
    Channel, ChannelList, ConfigMethods, ConfigTimeout, DeviceCapability, DeviceDescription,
    GroupCapability, P2pStatus,
};
/// How the two sides will run WPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WpsMethod {
    /// Push button on both sides.
    Pbc,
    /// We display a PIN; the peer types it.
    PinDisplay,
    /// We type the PIN the peer displays.
    PinKeypad,
}

impl WpsMethod {
    /// The Device Password ID we send (hostap `p2p_wps_method_pw_id`).
    pub fn password_id(self) -> u16 {
        match self {
            WpsMethod::Pbc => DPID_PUSH_BUTTON,
            WpsMethod::PinDisplay => DPID_REGISTRAR_SPECIFIED,
            WpsMethod::PinKeypad => DPID_USER_SPECIFIED,
        }
    }

    /// Whether the peer's Device Password ID goes with our method.
    pub fn matches_peer(self, peer_password_id: u16) -> bool {
        matches!(
            (peer_password_id, self),
            (DPID_REGISTRAR_SPECIFIED, WpsMethod::PinKeypad)
                | (DPID_USER_SPECIFIED, WpsMethod::PinDisplay)
                | (DPID_PUSH_BUTTON, WpsMethod::Pbc)
        )
    }

    /// Config methods of our Device Info while negotiating with this method
    /// (`p2p_buf_add_device_info`).
    pub(super) fn config_methods(self) -> ConfigMethods {
        match self {
            WpsMethod::Pbc => ConfigMethods::PUSH_BUTTON,
            WpsMethod::PinDisplay | WpsMethod::PinKeypad => {
                ConfigMethods::DISPLAY | ConfigMethods::KEYPAD
            }
        }
    }
}

/// What we are: constant for a negotiation (the agent may replace it between
/// negotiations with [`super::GoNegotiator::set_local`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// Our P2P device address.
    pub device_addr: MacAddr,
    /// The interface address we will use in the group (Intended Interface Address).
    pub interface_addr: MacAddr,
    /// Name, device types, and the config methods we support (sent as is while a peer
    /// is not authorised).
    pub device: DeviceDescription,
    /// Device capabilities (client discoverability is never sent in negotiation frames).
    pub device_capability: DeviceCapability,
    /// Group capabilities we announce as a GO (persistent is added per connection).
    pub group_capability: GroupCapability,
    /// Channels we can run a group on.
    pub channels: ChannelList,
    /// Our listen channel.
    pub listen_channel: Channel,
    /// Our preferred operating channel.
    pub op_channel: Channel,
    /// The GO intent configured for the device (`p2p_go_intent`, default 7): sent to
    /// peers that are not authorised.
    pub go_intent: u8,
    /// Time we need to start as GO / client (hostap: 100 and 20, × 10 ms).
    pub config_timeout: ConfigTimeout,
    /// Requests sent before giving up on a peer that does not answer.
    pub max_requests: u32,
}

/// A connection the user asked for (`P2P_CONNECT`), or authorised (`... auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connect {
    /// The peer's P2P device address.
    pub peer: MacAddr,
    /// Provisioning method.
    pub method: WpsMethod,
    /// Our GO intent, 0..=15.
    pub go_intent: u8,
    /// `freq=`: the only channel we accept, in MHz.
    pub forced_freq: Option<u32>,
    /// `persistent`: ask for a persistent group.
    pub persistent: bool,
    /// `persistent=<id>`: the SSID of that stored group, named as the group's if we become
    /// GO (hostap `p2p_connect`'s `force_ssid`); else a new random one.
    pub ssid: Option<GoSsid>,
}

/// An SSID of at most 32 octets, kept by value (a [`Connect`] is copied around).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct GoSsid {
    len: u8,
    bytes: [u8; 32],
}

impl GoSsid {
    /// `None` when longer than 32 octets or empty.
    pub fn new(ssid: &[u8]) -> Option<GoSsid> {
        let len = u8::try_from(ssid.len()).ok().filter(|l| (1..=32).contains(l))?;
        let mut bytes = [0; 32];
        bytes[..ssid.len()].copy_from_slice(ssid);
        Some(GoSsid { len, bytes })
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl std::fmt::Debug for GoSsid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_slice()))
    }
}

/// Transmission handle: [`Input::TxStatus`] names the frame it reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TxId(pub u64);

/// Which negotiation frame a [`Tx`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameType {
    /// GO Negotiation Request.
    Request,
    /// GO Negotiation Response.
    Response,
    /// GO Negotiation Confirmation.
    Confirm,
}

/// A frame to send with `NL80211_CMD_FRAME` (off-channel allowed).
#[derive(Clone, PartialEq, Eq)]
pub struct Tx {
    /// Handle for the TX status.
    pub id: TxId,
    /// Which frame.
    pub kind: FrameType,
    /// Frequency (MHz).
    pub freq: u32,
    /// How long to stay on `freq` for an answer (ms).
    pub wait_ms: u32,
    /// Receiver.
    pub da: MacAddr,
    /// The whole management frame (the kernel fills duration and sequence number).
    pub frame: Vec<u8>,
}

impl fmt::Debug for Tx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("freq", &self.freq)
            .field("wait_ms", &self.wait_ms)
            .field("da", &self.da)
            .field("len", &self.frame.len())
            .finish()
    }
}

/// Our role in the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Group owner.
    Go,
    /// Client.
    Client,
}

/// A negotiation that succeeded: what the group needs.
#[derive(Clone, PartialEq, Eq)]
pub struct Success {
    /// The peer's P2P device address.
    pub peer_dev: MacAddr,
    /// The peer's interface address in the group.
    pub peer_iface: MacAddr,
    /// Our role.
    pub role: Role,
    /// The group's operating frequency (MHz).
    pub freq: u32,
    /// Provisioning method.
    pub wps_method: WpsMethod,
    /// The group's SSID: ours when we are GO, the GO's Group ID SSID otherwise.
    pub ssid: Vec<u8>,
    /// The group is persistent: we asked for it as GO, or the GO announced it.
    pub persistent: bool,
    /// Group formation deadline: 15 s plus the peer's configuration timeout for its role.
    pub formation_timeout: Duration,
}

impl fmt::Debug for Success {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Success")
            .field("peer_dev", &self.peer_dev)
            .field("peer_iface", &self.peer_iface)
            .field("role", &self.role)
            .field("freq", &self.freq)
            .field("wps_method", &self.wps_method)
            .field("ssid", &String::from_utf8_lossy(&self.ssid))
            .field("persistent", &self.persistent)
            .field("formation_timeout", &self.formation_timeout)
            .finish()
    }
}

/// Why a negotiation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureReason {
    /// A P2P status: the peer's, or the one we answered or confirmed with.
    Status(P2pStatus),
    /// No answer in time, or the peer vanished (`status=-1` in wpa_supplicant).
    Timeout,
}

impl FailureReason {
    /// The number wpa_supplicant prints in `P2P-GO-NEG-FAILURE status=`.
    pub fn code(self) -> i32 {
        match self {
            FailureReason::Status(s) => i32::from(s.0),
            FailureReason::Timeout => -1,
        }
    }
}

/// What the user is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A peer we have not authorised asks to negotiate (`P2P-GO-NEG-REQUEST`); it was
    /// answered with status 1.
    PeerNotReady {
        /// Its P2P device address.
        peer: MacAddr,
        /// Its Device Password ID (WSC).
        dev_passwd_id: u16,
        /// Its GO intent.
        go_intent: u8,
    },
    /// `P2P-GO-NEG-SUCCESS`.
    Success(Success),
    /// `P2P-GO-NEG-FAILURE`.
    Failure {
        /// The peer.
        peer: MacAddr,
        /// Why.
        reason: FailureReason,
    },
}

/// What the negotiator asks its driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Send a frame.
    Send(Tx),
    /// Remain on our listen channel for `duration` (an ROC).
    Listen {
        /// Frequency (MHz).
        freq: u32,
        /// How long.
        duration: Duration,
    },
    /// End the listen started with [`Output::Listen`].
    StopListen,
    /// Tell the user.
    Event(Event),
}

/// What happens to the negotiator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// `P2P_CONNECT` (without `auth`/`join`): authorise the peer and send it a Request.
    Initiate {
        /// The connection.
        connect: Connect,
        /// The peer's listen frequency (MHz), where the Requests go.
        peer_listen_freq: u32,
        /// Tie breaker to use instead of the negotiator's own (tests, replays).
        tie_breaker: Option<bool>,
    },
    /// `P2P_CONNECT ... auth`: answer this peer's Request with success.
    Authorize(Connect),
    /// `P2P_REJECT`: answer this peer with status 11 until it is authorised again.
    Reject(MacAddr),
    /// `P2P_CANCEL`: end the running negotiation and its authorisation.
    Cancel,
    /// A P2P public action frame received on the P2P device.
    Frame {
        /// Transmitter.
        sa: MacAddr,
        /// Frequency it arrived on (MHz).
        freq: u32,
        /// Action body, category octet first.
        body: Vec<u8>,
    },
    /// TX status of a frame we sent.
    TxStatus {
        /// Which frame.
        id: TxId,
        /// Whether the receiver ACKed it.
        acked: bool,
    },
    /// The listen (ROC) we asked for ended.
    ListenEnded,
}
