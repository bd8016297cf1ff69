//! Management frames through nl80211: REGISTER_FRAME, FRAME (tx and rx), FRAME_TX_STATUS,
//! FRAME_WAIT_CANCEL, REMAIN_ON_CHANNEL / CANCEL_REMAIN_ON_CHANNEL, and the control port
//! (CONTROL_PORT_FRAME, EAPOL over nl80211).

use crate::attr::Attr;
use crate::command::Command;
use crate::dispatch::Event;
use crate::interface::IfTarget;
use crate::message::Message;

/// Frame control values (type/subtype, IEEE 802.11-2020 9.2.4.1.3, Table 9-1) as
/// `NL80211_ATTR_FRAME_TYPE` takes them (host-order u16 of the little-endian field).
pub mod frame_type {
    /// Association Request.
    pub const ASSOC_REQ: u16 = 0x0000;
    /// Reassociation Request.
    pub const REASSOC_REQ: u16 = 0x0020;
    /// Probe Request.
    pub const PROBE_REQ: u16 = 0x0040;
    /// Probe Response.
    pub const PROBE_RESP: u16 = 0x0050;
    /// Disassociation.
    pub const DISASSOC: u16 = 0x00a0;
    /// Authentication.
    pub const AUTH: u16 = 0x00b0;
    /// Deauthentication.
    pub const DEAUTH: u16 = 0x00c0;
    /// Action.
    pub const ACTION: u16 = 0x00d0;
}

/// `NL80211_CMD_REGISTER_FRAME`: deliver received frames of `frame_type` whose body starts
/// with `match_bytes` to this socket (as unsolicited `NL80211_CMD_FRAME` messages).
pub fn register_frame_request(target: IfTarget, frame_type: u16, match_bytes: &[u8]) -> Message {
    Message::new(Command::RegisterFrame)
        .with(target.attr())
        .with(Attr::FrameType(frame_type))
        .with(Attr::FrameMatch(match_bytes.to_vec()))
}

/// A management frame to transmit (`NL80211_CMD_FRAME`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameTx {
    /// `NL80211_ATTR_WIPHY_FREQ`: channel to send on (None: the current one).
    pub freq: Option<u32>,
    /// `NL80211_ATTR_DURATION`: stay on `freq` this many ms waiting for a response.
    pub wait_ms: Option<u32>,
    /// `NL80211_ATTR_OFFCHANNEL_TX_OK`.
    pub offchannel_ok: bool,
    /// `NL80211_ATTR_TX_NO_CCK_RATE` (P2P frames must not use 11b rates).
    pub no_cck: bool,
    /// `NL80211_ATTR_DONT_WAIT_FOR_ACK`: no FRAME_TX_STATUS wanted.
    pub dont_wait_for_ack: bool,
    /// `NL80211_ATTR_FRAME`: the whole frame, header included.
    pub frame: Vec<u8>,
}

/// `NL80211_CMD_FRAME` (attribute order as wpa_supplicant's `nl80211_send_frame_cmd`).
pub fn frame_request(target: IfTarget, tx: &FrameTx) -> Message {
    let mut m = Message::new(Command::Frame).with(target.attr()).with_opt(tx.freq.map(Attr::WiphyFreq));
    m = m.with_opt(tx.wait_ms.map(Attr::Duration));
    if tx.offchannel_ok {
        m = m.with(Attr::OffchannelTxOk);
    }
    if tx.no_cck {
        m = m.with(Attr::TxNoCckRate);
    }
    if tx.dont_wait_for_ack {
        m = m.with(Attr::DontWaitForAck);
    }
    m.with(Attr::Frame(tx.frame.clone()))
}

impl FrameTx {
    /// Reads a FRAME transmit request (with its target).
    pub fn from_message(m: &Message) -> Option<(IfTarget, FrameTx)> {
        if m.cmd != Command::Frame {
            return None;
        }
        let a = &m.attrs;
        Some((
            IfTarget::from_attrs(a)?,
            FrameTx {
                freq: crate::attr!(a, WiphyFreq).copied(),
                wait_ms: crate::attr!(a, Duration).copied(),
                offchannel_ok: crate::has_flag!(a, OffchannelTxOk),
                no_cck: crate::has_flag!(a, TxNoCckRate),
                dont_wait_for_ack: crate::has_flag!(a, DontWaitForAck),
                frame: crate::attr!(a, Frame)?.clone(),
            },
        ))
    }
}

/// `NL80211_CMD_FRAME_WAIT_CANCEL`: end the wait of the frame with `cookie`.
pub fn frame_wait_cancel_request(target: IfTarget, cookie: u64) -> Message {
    Message::new(Command::FrameWaitCancel).with(target.attr()).with(Attr::Cookie(cookie))
}

/// `NL80211_CMD_REMAIN_ON_CHANNEL` on `freq` MHz for `duration_ms`.
pub fn remain_on_channel_request(target: IfTarget, freq: u32, duration_ms: u32) -> Message {
    Message::new(Command::RemainOnChannel)
        .with(target.attr())
        .with(Attr::WiphyFreq(freq))
        .with(Attr::Duration(duration_ms))
}

/// `NL80211_CMD_CANCEL_REMAIN_ON_CHANNEL`.
pub fn cancel_remain_on_channel_request(target: IfTarget, cookie: u64) -> Message {
    Message::new(Command::CancelRemainOnChannel).with(target.attr()).with(Attr::Cookie(cookie))
}

/// The cookie of a FRAME or REMAIN_ON_CHANNEL reply.
pub fn reply_cookie(replies: &[Message]) -> Option<u64> {
    replies.iter().find_map(|m| crate::attr!(m.attrs, Cookie).copied())
}

/// A received management frame (`NL80211_CMD_FRAME` event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RxFrame {
    /// `NL80211_ATTR_IFINDEX`, absent on a P2P-Device.
    pub ifindex: Option<u32>,
    /// `NL80211_ATTR_WDEV`.
    pub wdev: Option<u64>,
    /// `NL80211_ATTR_WIPHY_FREQ` in MHz.
    pub freq: Option<u32>,
    /// `NL80211_ATTR_RX_SIGNAL_DBM`.
    pub signal_dbm: Option<i32>,
    /// `NL80211_ATTR_FRAME`.
    pub frame: Vec<u8>,
}

impl RxFrame {
    /// The frame of a FRAME event.
    pub fn from_event(e: &Event) -> Option<RxFrame> {
        if e.cmd != Command::Frame {
            return None;
        }
        Some(RxFrame {
            ifindex: crate::attr!(e.attrs, Ifindex).copied(),
            wdev: crate::attr!(e.attrs, Wdev).copied(),
            freq: crate::attr!(e.attrs, WiphyFreq).copied(),
            signal_dbm: crate::attr!(e.attrs, RxSignalDbm).copied(),
            frame: crate::attr!(e.attrs, Frame)?.clone(),
        })
    }
}

/// The outcome of a transmitted frame (`NL80211_CMD_FRAME_TX_STATUS` or
/// `NL80211_CMD_CONTROL_PORT_FRAME_TX_STATUS` event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxStatus {
    /// `NL80211_ATTR_COOKIE` of the FRAME request.
    pub cookie: u64,
    /// `NL80211_ATTR_ACK`: the peer acknowledged it.
    pub ack: bool,
    /// `NL80211_ATTR_FRAME`: the frame sent.
    pub frame: Vec<u8>,
}

impl TxStatus {
    /// The status of a FRAME_TX_STATUS event.
    pub fn from_event(e: &Event) -> Option<TxStatus> {
        if e.cmd != Command::FrameTxStatus && e.cmd != Command::ControlPortFrameTxStatus {
            return None;
        }
        Some(TxStatus {
            cookie: *crate::attr!(e.attrs, Cookie)?,
            ack: crate::has_flag!(e.attrs, Ack),
            frame: crate::attr!(e.attrs, Frame).cloned().unwrap_or_default(),
        })
    }
}

/// A remain-on-channel period started or ended (`NL80211_CMD_REMAIN_ON_CHANNEL` or
/// `NL80211_CMD_CANCEL_REMAIN_ON_CHANNEL` event on the mlme group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RocEvent {
    /// True for the start, false for the end (expired or cancelled).
    pub started: bool,
    /// `NL80211_ATTR_COOKIE`.
    pub cookie: u64,
    /// `NL80211_ATTR_WIPHY_FREQ`.
    pub freq: Option<u32>,
    /// `NL80211_ATTR_DURATION` (start only).
    pub duration_ms: Option<u32>,
}

impl RocEvent {
    /// The remain-on-channel event, if `e` is one.
    pub fn from_event(e: &Event) -> Option<RocEvent> {
        let started = match e.cmd {
            Command::RemainOnChannel => true,
            Command::CancelRemainOnChannel => false,
            _ => return None,
        };
        Some(RocEvent {
            started,
            cookie: *crate::attr!(e.attrs, Cookie)?,
            freq: crate::attr!(e.attrs, WiphyFreq).copied(),
            duration_ms: crate::attr!(e.attrs, Duration).copied(),
        })
    }
}

/// EtherType of EAPOL (IEEE 802.1X-2020 11.1.4).
pub const ETH_P_PAE: u16 = 0x888e;

/// `NL80211_CMD_CONTROL_PORT_FRAME` (attribute order as wpa_supplicant's
/// `nl80211_tx_control_port`): send an EAPOL frame `body` (the 802.1X PDU) to
/// `dest`. Needs `NL80211_ATTR_CONTROL_PORT_OVER_NL80211` in START_AP/CONNECT/ASSOCIATE.
pub fn control_port_frame_request(target: IfTarget, dest: [u8; 6], body: &[u8], no_encrypt: bool) -> Message {
    let mut m = Message::new(Command::ControlPortFrame)
        .with(target.attr())
        .with(Attr::ControlPortEthertype(ETH_P_PAE))
        .with(Attr::Mac(dest))
        .with(Attr::Frame(body.to_vec()));
    if no_encrypt {
        m = m.with(Attr::ControlPortNoEncrypt);
    }
    m
}

/// A received control-port frame (`NL80211_CMD_CONTROL_PORT_FRAME`, unsolicited unicast).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlPortRx {
    /// `NL80211_ATTR_IFINDEX`.
    pub ifindex: Option<u32>,
    /// `NL80211_ATTR_MAC`: the sender.
    pub src: [u8; 6],
    /// `NL80211_ATTR_CONTROL_PORT_ETHERTYPE`.
    pub ethertype: u16,
    /// `NL80211_ATTR_CONTROL_PORT_NO_ENCRYPT`: it arrived unencrypted.
    pub unencrypted: bool,
    /// `NL80211_ATTR_FRAME`: the 802.1X PDU.
    pub body: Vec<u8>,
}

impl ControlPortRx {
    /// The frame of a CONTROL_PORT_FRAME event.
    pub fn from_event(e: &Event) -> Option<ControlPortRx> {
        if e.cmd != Command::ControlPortFrame {
            return None;
        }
        Some(ControlPortRx {
            ifindex: crate::attr!(e.attrs, Ifindex).copied(),
            src: *crate::attr!(e.attrs, Mac)?,
            ethertype: crate::attr!(e.attrs, ControlPortEthertype).copied().unwrap_or(ETH_P_PAE),
            unencrypted: crate::has_flag!(e.attrs, ControlPortNoEncrypt),
            body: crate::attr!(e.attrs, Frame)?.clone(),
        })
    }
}
