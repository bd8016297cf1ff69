//! The agent's drive interface: what goes in ([`Input`]), what comes out ([`Output`]), and
//! the typed kernel operations ([`Op`]) whose results come back as [`Input::OpDone`].
//!
//! Nothing here does I/O. The driver (`src/driver/serve.rs`) performs each output in order
//! and feeds the result of an operation back before it takes the next output; the
//! simulated air (`src/agent/sim.rs`) does the same in virtual time.

use std::fmt;
use std::net::Ipv4Addr;

use nl80211::ap::{ApSettings, BeaconData};
use nl80211::connect::{ConnectParams, MlmeEvent};
use nl80211::frame::{FrameTx, RocEvent};
use nl80211::key::NewKey;
use nl80211::scan::ScanRequest;
use nl80211::station::NewStation;
use nl80211::{Bss, Command, IfTarget, IfType};

use crate::ctrl::{Event, Reply, Request};
use crate::ieee80211::MacAddr;

/// Names one operation; its result comes back with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpToken(pub(crate) u64);

/// Names one control request (chosen by the driver); its reply goes out with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyToken(pub u64);

/// Which control socket a request came in on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CtrlSocket {
    /// The P2P device's socket (`p2p-dev-<ifname>`).
    Device,
    /// A group interface's socket.
    Group(String),
}

/// Everything that happens to the agent.
#[derive(Debug)]
pub enum Input {
    /// A control request to answer with [`Output::Reply`] and the same token.
    Ctrl { socket: CtrlSocket, token: ReplyToken, request: Request },
    /// A kernel event (see [`Kernel::from_nl`]).
    Kernel(Kernel),
    /// An operation finished.
    OpDone { token: OpToken, result: Result<OpReply, OpError> },
    /// A DHCP message received on a group interface's DHCP socket.
    Dhcp { ifname: String, msg: crate::dhcp::Message },
    /// The deadline of [`Agent::poll_timeout`](super::Agent::poll_timeout) passed.
    Timeout,
    /// The daemon is stopping: leave every group (`reason=REQUESTED`), then
    /// `CTRL-EVENT-TERMINATING`.
    Shutdown,
    /// The P2P device or its whole radio went away under us (the wdev deleted by someone
    /// else, the radio unplugged or its driver unloaded): as [`Input::Shutdown`], but every
    /// group ends with `reason=UNAVAILABLE`, as wpa_supplicant ends a group whose interface
    /// disappeared. The daemon stops after it.
    DeviceLost,
}

/// Everything the agent asks of the world, in order.
#[derive(Debug)]
pub enum Output {
    /// Perform a kernel (nl80211, rtnetlink) or socket operation; feed the result back as
    /// [`Input::OpDone`] with the same token before taking the next output.
    Op { token: OpToken, op: Op },
    /// Perform an operation whose result nobody waits for (a probe or authentication
    /// response, a DEL_STATION before a new authentication): the driver starts it and goes
    /// on at once, in order with the operations before it, and logs a failure. No
    /// [`Input::OpDone`] comes back. Under a flood of requests this is what keeps a frame
    /// of a station in an exchange from waiting a netlink round trip per answered frame.
    Detached(Op),
    /// Answer a control request.
    Reply { token: ReplyToken, reply: Reply },
    /// An event for every attached monitor of every open control socket.
    Event(Event),
    /// Serve a control socket for a group interface.
    OpenCtrl { ifname: String },
    /// Stop serving it.
    CloseCtrl { ifname: String },
    /// Send a DHCP message from the group interface's DHCP socket to `port`.
    DhcpSend { ifname: String, port: u16, transmit: crate::dhcp::Transmit },
    /// Close the group interface's DHCP socket.
    DhcpClose { ifname: String },
    /// A group has an IPv4 address (ours, and the GO's): for whoever needs to know (the NDN
    /// probe runtime).
    GroupAddressed { ifname: String, ifindex: u32, role: GroupRoleKind, own_ip: Ipv4Addr, prefix_len: u8, go_ip: Ipv4Addr },
    /// A group (and its interface) is gone.
    GroupGone { ifname: String },
    /// Write the state file (the stored persistent groups) with this text, atomically,
    /// mode 0600.
    SaveStore(super::StoreText),
    /// The daemon is to stop with this failure (the automatic mode's `--once`).
    Stop { error: String },
}

/// Our role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRoleKind {
    Client,
    Owner,
}

/// A kernel or socket operation. Each is one request the driver maps 1:1 onto nl80211,
/// rtnetlink or a socket.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// NEW_INTERFACE on `wiphy`, owned by our netlink socket (the kernel removes it if we
    /// die), with `mac` as its address when given (a negotiated group's interface must
    /// have the address GO negotiation announced). Reply: [`OpReply::Interface`].
    NewInterface { wiphy: u32, name: String, iftype: IfType, mac: Option<MacAddr> },
    DelInterface { target: IfTarget },
    /// rtnetlink: set the link up.
    LinkUp { ifindex: u32 },
    /// rtnetlink: `ip addr replace ip/prefix_len dev ifindex`.
    AddAddress { ifindex: u32, ip: Ipv4Addr, prefix_len: u8 },
    /// rtnetlink: `ip addr del ip dev ifindex` (nothing to do if absent).
    DelAddress { ifindex: u32, ip: Ipv4Addr },
    /// Receive management frames of `frame_type` whose body starts with `match_bytes`.
    RegisterFrame { target: IfTarget, frame_type: u16, match_bytes: Vec<u8> },
    TriggerScan { wdev: u64, req: ScanRequest },
    /// Dump the scan results. Reply: [`OpReply::ScanResults`].
    GetScan { wdev: u64 },
    /// ABORT_SCAN on the P2P device: the running scan ends with a `ScanDone { aborted }`.
    AbortScan { wdev: u64 },
    Connect { ifindex: u32, params: ConnectParams },
    Disconnect { ifindex: u32, reason: u16 },
    NewKey { ifindex: u32, key: NewKey },
    SetDefaultKey { ifindex: u32, idx: u8 },
    /// Open a station's controlled port.
    Authorize { ifindex: u32, peer: MacAddr },
    NewStation { ifindex: u32, sta: NewStation },
    DelStation { ifindex: u32, peer: MacAddr },
    /// CMD_FRAME. Reply: [`OpReply::Cookie`] (the TX status names it).
    SendFrame { target: IfTarget, tx: FrameTx },
    /// An EAPOL PDU over the control port.
    /// `no_encrypt`: in the clear even with a pairwise key installed.
    SendEapol { ifindex: u32, dest: MacAddr, pdu: Vec<u8>, no_encrypt: bool },
    StartAp { ifindex: u32, settings: Box<ApSettings> },
    StopAp { ifindex: u32 },
    SetBeacon { ifindex: u32, beacon: Box<BeaconData> },
    /// Reply: [`OpReply::Cookie`] (the ROC events name it).
    RemainOnChannel { wdev: u64, freq: u32, duration_ms: u32 },
    CancelRemainOnChannel { wdev: u64, cookie: u64 },
    /// Stop waiting on the channel after a frame sent with a wait.
    FrameWaitCancel { target: IfTarget, cookie: u64 },
    /// A UDP socket on `port` bound to the interface, allowed to broadcast; datagrams come
    /// in as [`Input::Dhcp`].
    DhcpOpen { ifname: String, port: u16 },
}

/// A successful operation's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpReply {
    Done,
    /// The created interface.
    Interface { ifindex: Option<u32>, addr: [u8; 6] },
    /// The cookie of a frame or remain-on-channel request, when the kernel gave one.
    Cookie(Option<u64>),
    ScanResults(Vec<Bss>),
}

/// A failed operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    /// The kernel's errno, when it refused.
    pub errno: Option<i32>,
    pub message: String,
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OpError {}

impl OpError {
    /// The kernel refused because the radio is busy (EBUSY): mac80211 refuses a scan
    /// while a remain-on-channel (a listen, or a frame's off-channel wait) runs.
    pub fn is_busy(&self) -> bool {
        self.errno == Some(16)
    }

    /// The interface or device is gone (ENODEV): removed by someone else or with its radio.
    pub fn is_gone(&self) -> bool {
        self.errno == Some(19)
    }
}

/// A kernel event, as the agent uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Kernel {
    pub wdev: Option<u64>,
    pub ifindex: Option<u32>,
    pub event: KernelEvent,
}

/// What a kernel event says.
#[derive(Debug, Clone, PartialEq)]
pub enum KernelEvent {
    /// A registered management frame was received.
    Frame { freq: Option<u32>, frame: Vec<u8> },
    /// The outcome of a frame we sent.
    TxStatus { cookie: u64, frame: Vec<u8>, ack: bool },
    /// An EAPOL PDU over the control port.
    /// `unencrypted`: the kernel says the frame came in the clear.
    Eapol { src: MacAddr, pdu: Vec<u8>, unencrypted: bool },
    /// A scan ended (`aborted`: without results).
    ScanDone { aborted: bool },
    /// Station-side MLME: connect results, disconnections, timeouts.
    Mlme(MlmeEvent),
    /// The kernel stopped our BSS.
    StopAp,
    /// A remain-on-channel period started or ended.
    Roc(RocEvent),
    /// Anything else (logged).
    Other(Command),
}

impl KernelEvent {
    /// A short description for logs (no frame bytes).
    pub fn summary(&self) -> String {
        match self {
            KernelEvent::Frame { freq, frame } => format!("frame type {:#06x} ({} bytes) on {freq:?}", frame.first().map_or(0, |b| b & 0xfc), frame.len()),
            KernelEvent::TxStatus { cookie, ack, frame } => format!("TX status cookie {cookie} ack {ack} ({} bytes)", frame.len()),
            KernelEvent::Eapol { src, pdu, .. } => format!("EAPOL from {src} ({} bytes)", pdu.len()),
            KernelEvent::Mlme(m) => match m {
                MlmeEvent::Connect { status, .. } => format!("CONNECT status {status:?}"),
                MlmeEvent::Disconnect { reason, by_ap } => format!("DISCONNECT reason {reason:?} by_ap {by_ap}"),
                MlmeEvent::TimedOut { cmd, .. } => format!("{cmd:?} timed out"),
                MlmeEvent::Authenticate { frame } => format!("AUTHENTICATE ({} bytes)", frame.len()),
                MlmeEvent::Associate { frame } => format!("ASSOCIATE ({} bytes)", frame.len()),
                MlmeEvent::Deauth { frame } => format!("DEAUTHENTICATE/DISASSOCIATE ({} bytes)", frame.len()),
            },
            other => format!("{other:?}"),
        }
    }
}

impl Kernel {
    /// Reads an nl80211 event.
    pub fn from_nl(e: &nl80211::Event) -> Kernel {
        let wdev = nl80211::attr!(e.attrs, Wdev).copied();
        let ifindex = nl80211::attr!(e.attrs, Ifindex).copied();
        let other = KernelEvent::Other(e.cmd);
        let event = match e.cmd {
            Command::Frame => match nl80211::frame::RxFrame::from_event(e) {
                Some(f) => KernelEvent::Frame { freq: f.freq, frame: f.frame },
                None => other,
            },
            Command::FrameTxStatus => match nl80211::frame::TxStatus::from_event(e) {
                Some(s) => KernelEvent::TxStatus { cookie: s.cookie, frame: s.frame, ack: s.ack },
                None => other,
            },
            Command::ControlPortFrame => match (nl80211::attr!(e.attrs, Frame), nl80211::attr!(e.attrs, Mac)) {
                (Some(frame), Some(src)) => KernelEvent::Eapol {
                    src: MacAddr(*src),
                    pdu: frame.clone(),
                    unencrypted: nl80211::has_flag!(e.attrs, ControlPortNoEncrypt),
                },
                _ => other,
            },
            Command::NewScanResults => KernelEvent::ScanDone { aborted: false },
            Command::ScanAborted => KernelEvent::ScanDone { aborted: true },
            Command::StopAp => KernelEvent::StopAp,
            Command::RemainOnChannel | Command::CancelRemainOnChannel => match nl80211::frame::RocEvent::from_event(e) {
                Some(r) => KernelEvent::Roc(r),
                None => other,
            },
            _ => match MlmeEvent::from_event(e) {
                Some(m) => KernelEvent::Mlme(m),
                None => other,
            },
        };
        Kernel { wdev, ifindex, event }
    }
}
