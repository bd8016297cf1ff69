//! Parsing a control-interface request datagram into a typed [`Request`].
//!
//! The command word is matched case-insensitively (`wpa_cli` sends it uppercased, `wpa_cli raw`
//! sends it as typed); arguments keep their case. Arguments are whitespace-separated words
//! whose grammar follows wpa_supplicant's `ctrl_iface.c` and `README-P2P`. Anything that
//! wpa_supplicant itself would answer with `FAIL` is a [`ParseError`]; a command word we do
//! not know is [`Request::Unknown`], answered `UNKNOWN COMMAND`.

use super::pin::{Pin, PinError};
use super::reply::DeviceType;
use crate::ieee80211::MacAddr;

/// Largest request wpa_supplicant accepts (`CTRL_IFACE_MAX_LEN` in
/// hostap `wpa_supplicant/ctrl_iface.h`).
pub const MAX_REQUEST_LEN: usize = 8192;

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `PING` -> `PONG`.
    Ping,
    /// `STATUS` / `STATUS-VERBOSE`.
    Status { verbose: bool },
    /// `ATTACH`: subscribe the sender to events (the server handles it).
    Attach,
    /// `DETACH`: unsubscribe the sender.
    Detach,
    /// `LEVEL <n>`: minimum event level for the sender (hostap uses `atoi`).
    Level(i32),
    /// `INTERFACES`: list the interfaces, one per line.
    Interfaces,
    /// `TERMINATE`: stop the daemon.
    Terminate,
    /// `P2P_FIND [timeout] [type=..] [dev_id=..] [delay=..] [freq=..]`.
    P2pFind(FindParams),
    /// `P2P_LISTEN [timeout]` (seconds; none = until stopped).
    P2pListen { timeout: Option<u32> },
    /// `P2P_STOP_FIND`.
    P2pStopFind,
    /// `P2P_FLUSH`.
    P2pFlush,
    /// `P2P_CANCEL`.
    P2pCancel,
    /// `P2P_REJECT <addr>`.
    P2pReject(MacAddr),
    /// `P2P_PROV_DISC <addr> <display|keypad|pbc> [join|auto]`.
    P2pProvDisc(ProvDiscParams),
    /// `P2P_CONNECT <addr> <pbc|pin|PIN> [options]`.
    P2pConnect(ConnectParams),
    /// `P2P_GROUP_ADD [persistent[=<id>]] [freq=<MHz>] [ht40] [vht] [he]`.
    P2pGroupAdd(GroupAddParams),
    /// `P2P_GROUP_REMOVE <ifname>` (`*` = every group).
    P2pGroupRemove { ifname: String },
    /// `P2P_INVITE persistent=<id> [peer=..] [freq=..]` or `P2P_INVITE group=<if> peer=..`.
    P2pInvite(InviteParams),
    /// `P2P_PEER FIRST | NEXT-<addr> | <addr>`.
    P2pPeer(PeerQuery),
    /// `P2P_SET <field> <value>`.
    P2pSet { field: String, value: String },
    /// `SET <field> <value>`.
    Set { field: String, value: String },
    /// `GET <field>`.
    Get { field: String },
    /// `P2P_GET_PASSPHRASE` (on a GO's group interface).
    P2pGetPassphrase,
    /// `WPS_PBC [bssid]`.
    WpsPbc { bssid: Option<MacAddr> },
    /// `WPS_PIN get` / `WPS_PIN <any|addr> [PIN] [timeout]`.
    WpsPin(WpsPinRequest),
    /// A command word we do not implement; the reply is `UNKNOWN COMMAND\n`.
    Unknown { command: String },
}

/// `P2P_FIND` search type (hostap `enum p2p_discovery_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindType {
    /// Full scan first, then social channels (the default).
    #[default]
    StartWithFull,
    /// `type=social`: social channels 1, 6, 11 only.
    Social,
    /// `type=progressive`: social channels plus one more channel per round.
    Progressive,
}

/// Arguments of `P2P_FIND`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindParams {
    /// Stop after this many seconds (none = until `P2P_STOP_FIND`).
    pub timeout: Option<u32>,
    pub find_type: FindType,
    /// Only report this P2P Device Address.
    pub dev_id: Option<MacAddr>,
    /// Only report devices of this primary/secondary device type.
    pub dev_type: Option<DeviceType>,
    /// Extra delay between search iterations, seconds.
    pub delay: Option<u32>,
    /// Start with this frequency only.
    pub freq: Option<u32>,
}

/// The WPS config method asked for in `P2P_PROV_DISC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvDiscMethod {
    /// We will display a PIN (peer enters it).
    Display,
    /// We will enter the PIN the peer displays.
    Keypad,
    /// Push button.
    Pbc,
}

/// What a provision discovery is for (`[join|auto]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProvDiscUse {
    /// Before a GO negotiation (default).
    #[default]
    GoNeg,
    /// Before joining the peer's running group.
    Join,
    /// Decide from whether the peer is a GO.
    Auto,
}

/// Arguments of `P2P_PROV_DISC`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvDiscParams {
    pub peer: MacAddr,
    pub method: ProvDiscMethod,
    pub usage: ProvDiscUse,
}

/// The WPS method of `P2P_CONNECT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectMethod {
    /// `pbc`.
    Pbc,
    /// `pin`: generate a PIN, display it, and return it in the reply.
    PinGenerate,
    /// `<PIN> display`: we display this PIN (the peer types it in).
    PinDisplay(Pin),
    /// `<PIN>` or `<PIN> keypad`: we enter the PIN the peer displays.
    PinKeypad(Pin),
}

/// `persistent` / `persistent=<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistent {
    /// Form a new persistent group.
    New,
    /// Re-invoke the stored persistent group with this network id.
    Id(u32),
}

/// Arguments of `P2P_CONNECT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectParams {
    pub peer: MacAddr,
    pub method: ConnectMethod,
    pub persistent: Option<Persistent>,
    /// Join the peer's existing group instead of negotiating.
    pub join: bool,
    /// Authorize a negotiation the peer will start; do not start one.
    pub auth: bool,
    /// GO intent 0..=15 (none = configured default).
    pub go_intent: Option<u8>,
    /// Forced operating frequency in MHz (> 0).
    pub freq: Option<u32>,
    pub ht40: bool,
    pub vht: bool,
    pub he: bool,
    /// Send a provision discovery request first.
    pub provdisc: bool,
    /// `auto`: join if the peer is a GO, negotiate otherwise.
    pub auto: bool,
    /// `ssid=<hex>`: SSID of the group to join (1..=32 bytes).
    pub ssid: Option<Vec<u8>>,
}

/// Arguments of `P2P_GROUP_ADD`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupAddParams {
    pub persistent: Option<Persistent>,
    pub freq: Option<u32>,
    pub ht40: bool,
    pub vht: bool,
    pub he: bool,
}

/// Arguments of `P2P_INVITE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteParams {
    /// `persistent=<id> [peer=<addr>] [freq=<MHz>]`: re-invoke a persistent group.
    Persistent {
        id: u32,
        peer: Option<MacAddr>,
        freq: Option<u32>,
    },
    /// `group=<ifname> peer=<addr> [go_dev_addr=<addr>]`: invite into a running group.
    Group {
        ifname: String,
        peer: MacAddr,
        go_dev_addr: Option<MacAddr>,
    },
}

/// Argument of `P2P_PEER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerQuery {
    /// `FIRST`: the first known peer.
    First,
    /// `NEXT-<addr>`: the peer after this one.
    Next(MacAddr),
    /// `<addr>`: this peer.
    Addr(MacAddr),
}

/// Which enrollee a `WPS_PIN` PIN is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WpsPinTarget {
    /// `any`: any enrollee (registrar) / any AP (enrollee).
    Any,
    /// A specific enrollee address or BSSID.
    Addr(MacAddr),
}

/// Arguments of `WPS_PIN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WpsPinRequest {
    /// `WPS_PIN get`: generate a PIN and return it, nothing else.
    Get,
    /// `WPS_PIN <any|addr> [PIN] [timeout]`: enable a PIN (generated if absent); the reply is
    /// the PIN.
    Use {
        target: WpsPinTarget,
        pin: Option<Pin>,
        timeout: Option<u32>,
    },
}

/// Why a request was rejected. `FAIL\n` is the reply unless [`ParseError::reply`] says
/// otherwise.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("request is not valid UTF-8")]
    NotUtf8,
    #[error("empty request")]
    Empty,
    #[error("request of {0} bytes exceeds the {MAX_REQUEST_LEN}-byte maximum")]
    TooLong(usize),
    #[error("{command}: missing argument {what}")]
    Missing {
        command: &'static str,
        what: &'static str,
    },
    #[error("{command}: unexpected argument {arg:?}")]
    Unexpected { command: &'static str, arg: String },
    #[error("{command}: invalid value for {what}: {value:?}")]
    InvalidValue {
        command: &'static str,
        what: &'static str,
        value: String,
    },
    #[error("{command}: invalid MAC address {value:?}")]
    Mac {
        command: &'static str,
        value: String,
    },
    #[error("{command}: invalid PIN: {source}")]
    InvalidPin {
        command: &'static str,
        source: PinError,
    },
}

impl ParseError {
    /// The reply wpa_supplicant gives for this error: `FAIL-INVALID-PIN\n` for a bad PIN,
    /// `FAIL\n` otherwise.
    pub fn reply(&self) -> &'static str {
        match self {
            ParseError::InvalidPin { .. } => "FAIL-INVALID-PIN\n",
            _ => "FAIL\n",
        }
    }
}

type Result<T> = std::result::Result<T, ParseError>;

/// Splits an optional `IFNAME=<ifname> ` prefix (used on a global control socket and by
/// `wpa_cli IFNAME=..`) off a request; returns (ifname, rest).
pub fn split_ifname_prefix(text: &str) -> (Option<&str>, &str) {
    if let Some(rest) = text.strip_prefix("IFNAME=")
        && let Some((ifname, cmd)) = rest.split_once(' ')
    {
        return (Some(ifname), cmd);
    }
    (None, text)
}

impl Request {
    /// Parses one request datagram (without any `IFNAME=` prefix; see
    /// [`split_ifname_prefix`]). A trailing newline is tolerated.
    pub fn parse(datagram: &[u8]) -> Result<Request> {
        if datagram.len() > MAX_REQUEST_LEN {
            return Err(ParseError::TooLong(datagram.len()));
        }
        let text = std::str::from_utf8(datagram).map_err(|_| ParseError::NotUtf8)?;
        Request::parse_str(text)
    }

    /// Parses a request given as text.
    pub fn parse_str(text: &str) -> Result<Request> {
        let text = text.trim_end_matches(['\n', '\r']);
        let (word, rest) = match text.split_once(' ') {
            Some((w, r)) => (w, r),
            None => (text, ""),
        };
        if word.is_empty() {
            return Err(ParseError::Empty);
        }
        let upper = word.to_ascii_uppercase();
        let args = Args::new(rest);
        let req = match upper.as_str() {
            "PING" => args.none("PING", Request::Ping)?,
            "STATUS" => args.none("STATUS", Request::Status { verbose: false })?,
            "STATUS-VERBOSE" => args.none("STATUS-VERBOSE", Request::Status { verbose: true })?,
            // hostap accepts `ATTACH <event filters>`; filters are ignored here.
            "ATTACH" => Request::Attach,
            "DETACH" => args.none("DETACH", Request::Detach)?,
            "LEVEL" => parse_level(rest)?,
            // `INTERFACES ctrl` lists control socket paths; treated alike.
            "INTERFACES" => Request::Interfaces,
            "TERMINATE" => args.none("TERMINATE", Request::Terminate)?,
            "P2P_FIND" => Request::P2pFind(parse_find(args)?),
            "P2P_LISTEN" => parse_listen(args)?,
            "P2P_STOP_FIND" => args.none("P2P_STOP_FIND", Request::P2pStopFind)?,
            "P2P_FLUSH" => args.none("P2P_FLUSH", Request::P2pFlush)?,
            "P2P_CANCEL" => args.none("P2P_CANCEL", Request::P2pCancel)?,
            "P2P_REJECT" => parse_reject(args)?,
            "P2P_PROV_DISC" => Request::P2pProvDisc(parse_prov_disc(args)?),
            "P2P_CONNECT" => Request::P2pConnect(parse_connect(args)?),
            "P2P_GROUP_ADD" => Request::P2pGroupAdd(parse_group_add(args)?),
            "P2P_GROUP_REMOVE" => parse_group_remove(args)?,
            "P2P_INVITE" => Request::P2pInvite(parse_invite(args)?),
            "P2P_PEER" => Request::P2pPeer(parse_peer(args)?),
            "P2P_SET" => {
                let (field, value) = field_value("P2P_SET", rest)?;
                Request::P2pSet { field, value }
            }
            "SET" => {
                let (field, value) = field_value("SET", rest)?;
                Request::Set { field, value }
            }
            "GET" => parse_get(args)?,
            "P2P_GET_PASSPHRASE" => args.none("P2P_GET_PASSPHRASE", Request::P2pGetPassphrase)?,
            "WPS_PBC" => parse_wps_pbc(args)?,
            "WPS_PIN" => Request::WpsPin(parse_wps_pin(args)?),
            _ => Request::Unknown {
                command: word.to_owned(),
            },
        };
        Ok(req)
    }

    /// The canonical command word, for logging (never includes arguments, which may hold
    /// secrets such as PINs).
    pub fn command_name(&self) -> &str {
        match self {
            Request::Ping => "PING",
            Request::Status { verbose: false } => "STATUS",
            Request::Status { verbose: true } => "STATUS-VERBOSE",
            Request::Attach => "ATTACH",
            Request::Detach => "DETACH",
            Request::Level(_) => "LEVEL",
            Request::Interfaces => "INTERFACES",
            Request::Terminate => "TERMINATE",
            Request::P2pFind(_) => "P2P_FIND",
            Request::P2pListen { .. } => "P2P_LISTEN",
            Request::P2pStopFind => "P2P_STOP_FIND",
            Request::P2pFlush => "P2P_FLUSH",
            Request::P2pCancel => "P2P_CANCEL",
            Request::P2pReject(_) => "P2P_REJECT",
            Request::P2pProvDisc(_) => "P2P_PROV_DISC",
            Request::P2pConnect(_) => "P2P_CONNECT",
            Request::P2pGroupAdd(_) => "P2P_GROUP_ADD",
            Request::P2pGroupRemove { .. } => "P2P_GROUP_REMOVE",
            Request::P2pInvite(_) => "P2P_INVITE",
            Request::P2pPeer(_) => "P2P_PEER",
            Request::P2pSet { .. } => "P2P_SET",
            Request::Set { .. } => "SET",
            Request::Get { .. } => "GET",
            Request::P2pGetPassphrase => "P2P_GET_PASSPHRASE",
            Request::WpsPbc { .. } => "WPS_PBC",
            Request::WpsPin(_) => "WPS_PIN",
            Request::Unknown { command } => command,
        }
    }
}

/// Whitespace-separated argument words.
struct Args<'a> {
    words: Vec<&'a str>,
}

impl<'a> Args<'a> {
    fn new(rest: &'a str) -> Self {
        Args {
            words: rest.split_ascii_whitespace().collect(),
        }
    }

    fn none(&self, command: &'static str, req: Request) -> Result<Request> {
        match self.words.first() {
            None => Ok(req),
            Some(w) => Err(ParseError::Unexpected {
                command,
                arg: (*w).to_owned(),
            }),
        }
    }
}

fn mac(command: &'static str, s: &str) -> Result<MacAddr> {
    s.parse().map_err(|_| ParseError::Mac {
        command,
        value: s.to_owned(),
    })
}

fn number<T: std::str::FromStr>(command: &'static str, what: &'static str, s: &str) -> Result<T> {
    // Plain decimal only: `str::parse` also accepts a leading '+', hostap's atoi callers
    // never produce one.
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::InvalidValue {
            command,
            what,
            value: s.to_owned(),
        });
    }
    s.parse().map_err(|_| ParseError::InvalidValue {
        command,
        what,
        value: s.to_owned(),
    })
}

fn freq(command: &'static str, s: &str) -> Result<u32> {
    let f: u32 = number(command, "freq", s)?;
    if f == 0 {
        return Err(ParseError::InvalidValue {
            command,
            what: "freq",
            value: s.to_owned(),
        });
    }
    Ok(f)
}

fn unexpected(command: &'static str, w: &str) -> ParseError {
    ParseError::Unexpected {
        command,
        arg: w.to_owned(),
    }
}

fn parse_level(rest: &str) -> Result<Request> {
    let s = rest.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let n: i32 = number("LEVEL", "level", digits)?;
    Ok(Request::Level(if neg { -n } else { n }))
}

fn parse_find(args: Args<'_>) -> Result<FindParams> {
    const C: &str = "P2P_FIND";
    let mut p = FindParams::default();
    for (i, w) in args.words.iter().enumerate() {
        if let Some(v) = w.strip_prefix("type=") {
            p.find_type = match v {
                "social" => FindType::Social,
                "progressive" => FindType::Progressive,
                _ => {
                    return Err(ParseError::InvalidValue {
                        command: C,
                        what: "type",
                        value: v.into(),
                    });
                }
            };
        } else if let Some(v) = w.strip_prefix("dev_id=") {
            p.dev_id = Some(mac(C, v)?);
        } else if let Some(v) = w.strip_prefix("dev_type=") {
            p.dev_type = Some(v.parse().map_err(|_| ParseError::InvalidValue {
                command: C,
                what: "dev_type",
                value: v.into(),
            })?);
        } else if let Some(v) = w.strip_prefix("delay=") {
            p.delay = Some(number(C, "delay", v)?);
        } else if let Some(v) = w.strip_prefix("freq=") {
            p.freq = Some(freq(C, v)?);
        } else if i == 0 && w.bytes().all(|b| b.is_ascii_digit()) {
            p.timeout = Some(number(C, "timeout", w)?);
        } else {
            return Err(unexpected(C, w));
        }
    }
    Ok(p)
}

fn parse_listen(args: Args<'_>) -> Result<Request> {
    const C: &str = "P2P_LISTEN";
    match args.words.as_slice() {
        [] => Ok(Request::P2pListen { timeout: None }),
        [t] => Ok(Request::P2pListen {
            timeout: Some(number(C, "timeout", t)?),
        }),
        [_, extra, ..] => Err(unexpected(C, extra)),
    }
}

fn parse_reject(args: Args<'_>) -> Result<Request> {
    const C: &str = "P2P_REJECT";
    match args.words.as_slice() {
        [] => Err(ParseError::Missing {
            command: C,
            what: "<addr>",
        }),
        [a] => Ok(Request::P2pReject(mac(C, a)?)),
        [_, extra, ..] => Err(unexpected(C, extra)),
    }
}

fn parse_prov_disc(args: Args<'_>) -> Result<ProvDiscParams> {
    const C: &str = "P2P_PROV_DISC";
    let mut it = args.words.iter();
    let peer = mac(
        C,
        it.next().ok_or(ParseError::Missing {
            command: C,
            what: "<addr>",
        })?,
    )?;
    let m = it.next().ok_or(ParseError::Missing {
        command: C,
        what: "<display|keypad|pbc>",
    })?;
    let method = match *m {
        "display" => ProvDiscMethod::Display,
        "keypad" => ProvDiscMethod::Keypad,
        "pbc" => ProvDiscMethod::Pbc,
        other => {
            return Err(ParseError::InvalidValue {
                command: C,
                what: "config method",
                value: other.into(),
            });
        }
    };
    let mut usage = ProvDiscUse::GoNeg;
    for w in it {
        usage = match *w {
            "join" => ProvDiscUse::Join,
            "auto" => ProvDiscUse::Auto,
            other => return Err(unexpected(C, other)),
        };
    }
    Ok(ProvDiscParams {
        peer,
        method,
        usage,
    })
}

fn parse_persistent(command: &'static str, w: &str) -> Result<Option<Persistent>> {
    if w == "persistent" {
        Ok(Some(Persistent::New))
    } else if let Some(id) = w.strip_prefix("persistent=") {
        Ok(Some(Persistent::Id(number(command, "persistent", id)?)))
    } else {
        Ok(None)
    }
}

fn parse_connect(args: Args<'_>) -> Result<ConnectParams> {
    const C: &str = "P2P_CONNECT";
    let mut it = args.words.iter();
    let peer = mac(
        C,
        it.next().ok_or(ParseError::Missing {
            command: C,
            what: "<addr>",
        })?,
    )?;
    let m = it.next().ok_or(ParseError::Missing {
        command: C,
        what: "<pbc|pin|PIN>",
    })?;
    enum M {
        Pbc,
        Gen,
        Pin(Pin),
    }
    let m = match *m {
        "pbc" => M::Pbc,
        "pin" => M::Gen,
        // Whatever else stands here is taken as a PIN, as hostap does (so `foo` is
        // FAIL-INVALID-PIN).
        other => M::Pin(
            Pin::parse(other).map_err(|source| ParseError::InvalidPin { command: C, source })?,
        ),
    };
    let mut display = false;
    let mut p = ConnectParams {
        peer,
        method: ConnectMethod::Pbc,
        persistent: None,
        join: false,
        auth: false,
        go_intent: None,
        freq: None,
        ht40: false,
        vht: false,
        he: false,
        provdisc: false,
        auto: false,
        ssid: None,
    };
    for (i, w) in it.enumerate() {
        let w = *w;
        // `display` / `keypad` (and the obsolete `label`) only make sense right after a PIN;
        // `pin display` says again what `pin` means.
        if i == 0
            && match m {
                M::Pin(_) => matches!(w, "display" | "keypad" | "label"),
                M::Gen => w == "display",
                M::Pbc => false,
            }
        {
            display = w == "display";
            continue;
        }
        if let Some(pers) = parse_persistent(C, w)? {
            p.persistent = Some(pers);
            continue;
        }
        match w {
            "join" => p.join = true,
            "auth" => p.auth = true,
            "ht40" => p.ht40 = true,
            "vht" => {
                p.vht = true;
                p.ht40 = true;
            }
            "he" => p.he = true,
            "provdisc" => p.provdisc = true,
            "auto" => p.auto = true,
            _ => {
                if let Some(v) = w.strip_prefix("go_intent=") {
                    let gi: u8 =
                        number(C, "go_intent", v).map_err(|_| ParseError::InvalidValue {
                            command: C,
                            what: "go_intent",
                            value: v.into(),
                        })?;
                    if gi > 15 {
                        return Err(ParseError::InvalidValue {
                            command: C,
                            what: "go_intent",
                            value: v.into(),
                        });
                    }
                    p.go_intent = Some(gi);
                } else if let Some(v) = w.strip_prefix("freq=") {
                    p.freq = Some(freq(C, v)?);
                } else if let Some(v) = w.strip_prefix("ssid=") {
                    p.ssid = Some(ssid_hex(C, v)?);
                } else {
                    return Err(unexpected(C, w));
                }
            }
        }
    }
    p.method = match m {
        M::Pbc => ConnectMethod::Pbc,
        M::Gen => ConnectMethod::PinGenerate,
        M::Pin(pin) if display => ConnectMethod::PinDisplay(pin),
        M::Pin(pin) => ConnectMethod::PinKeypad(pin),
    };
    Ok(p)
}

/// An SSID given as hex digits (`ssid=<hexdump>`), 1..=32 bytes.
fn ssid_hex(command: &'static str, v: &str) -> Result<Vec<u8>> {
    match hex_decode(v) {
        Some(b) if (1..=32).contains(&b.len()) => Ok(b),
        _ => Err(ParseError::InvalidValue {
            command,
            what: "ssid",
            value: v.to_owned(),
        }),
    }
}

fn hex_decode(v: &str) -> Option<Vec<u8>> {
    let b = v.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|pair| {
            let hi = char::from(pair[0]).to_digit(16)?;
            let lo = char::from(pair[1]).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

fn parse_group_add(args: Args<'_>) -> Result<GroupAddParams> {
    const C: &str = "P2P_GROUP_ADD";
    let mut p = GroupAddParams::default();
    for w in &args.words {
        if let Some(pers) = parse_persistent(C, w)? {
            p.persistent = Some(pers);
            continue;
        }
        match *w {
            "ht40" => p.ht40 = true,
            "vht" => {
                p.vht = true;
                p.ht40 = true;
            }
            "he" => p.he = true,
            _ => match w.strip_prefix("freq=") {
                Some(v) => p.freq = Some(freq(C, v)?),
                None => return Err(unexpected(C, w)),
            },
        }
    }
    Ok(p)
}

fn ifname_ok(s: &str) -> bool {
    // Linux IFNAMSIZ is 16 including the terminating NUL.
    !s.is_empty() && s.len() < 16 && !s.contains('/')
}

fn parse_group_remove(args: Args<'_>) -> Result<Request> {
    const C: &str = "P2P_GROUP_REMOVE";
    match args.words.as_slice() {
        [] => Err(ParseError::Missing {
            command: C,
            what: "<ifname>",
        }),
        [i] if ifname_ok(i) => Ok(Request::P2pGroupRemove {
            ifname: (*i).to_owned(),
        }),
        [i] => Err(ParseError::InvalidValue {
            command: C,
            what: "ifname",
            value: (*i).to_owned(),
        }),
        [_, extra, ..] => Err(unexpected(C, extra)),
    }
}

fn parse_invite(args: Args<'_>) -> Result<InviteParams> {
    const C: &str = "P2P_INVITE";
    let first = args.words.first().ok_or(ParseError::Missing {
        command: C,
        what: "persistent=<id>|group=<ifname>",
    })?;
    let mut peer = None;
    let mut go_dev_addr = None;
    let mut fr = None;
    for w in &args.words[1..] {
        if let Some(v) = w.strip_prefix("peer=") {
            peer = Some(mac(C, v)?);
        } else if let Some(v) = w.strip_prefix("go_dev_addr=") {
            go_dev_addr = Some(mac(C, v)?);
        } else if let Some(v) = w.strip_prefix("freq=") {
            fr = Some(freq(C, v)?);
        } else {
            return Err(unexpected(C, w));
        }
    }
    if let Some(id) = first.strip_prefix("persistent=") {
        let id = number(C, "persistent", id)?;
        if let Some(g) = go_dev_addr {
            return Err(unexpected(C, &format!("go_dev_addr={g}")));
        }
        Ok(InviteParams::Persistent { id, peer, freq: fr })
    } else if let Some(ifname) = first.strip_prefix("group=") {
        if !ifname_ok(ifname) {
            return Err(ParseError::InvalidValue {
                command: C,
                what: "group",
                value: ifname.into(),
            });
        }
        let peer = peer.ok_or(ParseError::Missing {
            command: C,
            what: "peer=<addr>",
        })?;
        if let Some(f) = fr {
            return Err(unexpected(C, &format!("freq={f}")));
        }
        Ok(InviteParams::Group {
            ifname: ifname.to_owned(),
            peer,
            go_dev_addr,
        })
    } else {
        Err(unexpected(C, first))
    }
}

fn parse_peer(args: Args<'_>) -> Result<PeerQuery> {
    const C: &str = "P2P_PEER";
    match args.words.as_slice() {
        [] => Err(ParseError::Missing {
            command: C,
            what: "FIRST|NEXT-<addr>|<addr>",
        }),
        [w] if w.eq_ignore_ascii_case("FIRST") => Ok(PeerQuery::First),
        [w] if w.len() > 5 && w.is_char_boundary(5) && w[..5].eq_ignore_ascii_case("NEXT-") => {
            Ok(PeerQuery::Next(mac(C, &w[5..])?))
        }
        [w] => Ok(PeerQuery::Addr(mac(C, w)?)),
        [_, extra, ..] => Err(unexpected(C, extra)),
    }
}

fn field_value(command: &'static str, rest: &str) -> Result<(String, String)> {
    // hostap splits at the first space; the value may itself contain spaces.
    let rest = rest.trim_start();
    let (field, value) = rest.split_once(' ').ok_or(ParseError::Missing {
        command,
        what: "<field> <value>",
    })?;
    if field.is_empty() {
        return Err(ParseError::Missing {
            command,
            what: "<field>",
        });
    }
    Ok((field.to_owned(), value.to_owned()))
}

fn parse_get(args: Args<'_>) -> Result<Request> {
    const C: &str = "GET";
    match args.words.as_slice() {
        [] => Err(ParseError::Missing {
            command: C,
            what: "<field>",
        }),
        [f] => Ok(Request::Get {
            field: (*f).to_owned(),
        }),
        [_, extra, ..] => Err(unexpected(C, extra)),
    }
}

fn parse_wps_pbc(args: Args<'_>) -> Result<Request> {
    const C: &str = "WPS_PBC";
    match args.words.as_slice() {
        [] => Ok(Request::WpsPbc { bssid: None }),
        [b] if *b == "any" => Ok(Request::WpsPbc { bssid: None }),
        [b] => Ok(Request::WpsPbc {
            bssid: Some(mac(C, b)?),
        }),
        [_, extra, ..] => Err(unexpected(C, extra)),
    }
}

fn parse_wps_pin(args: Args<'_>) -> Result<WpsPinRequest> {
    const C: &str = "WPS_PIN";
    let words = args.words.as_slice();
    let first = words.first().ok_or(ParseError::Missing {
        command: C,
        what: "<any|addr|get>",
    })?;
    if *first == "get" {
        return match words.get(1) {
            None => Ok(WpsPinRequest::Get),
            Some(extra) => Err(unexpected(C, extra)),
        };
    }
    let target = if *first == "any" {
        WpsPinTarget::Any
    } else {
        WpsPinTarget::Addr(mac(C, first)?)
    };
    let pin = match words.get(1) {
        None => None,
        Some(p) => {
            Some(Pin::parse(p).map_err(|source| ParseError::InvalidPin { command: C, source })?)
        }
    };
    let timeout = match words.get(2) {
        None => None,
        Some(t) => Some(number(C, "timeout", t)?),
    };
    if let Some(extra) = words.get(3) {
        return Err(unexpected(C, extra));
    }
    Ok(WpsPinRequest::Use {
        target,
        pin,
        timeout,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn p(s: &str) -> Request {
        Request::parse(s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn err(s: &str) -> ParseError {
        match Request::parse(s.as_bytes()) {
            Err(e) => e,
            Ok(r) => panic!("{s:?} parsed as {r:?}"),
        }
    }

    const A: MacAddr = MacAddr([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);

    #[test]
    fn simple_commands_any_case() {
        assert_eq!(p("PING"), Request::Ping);
        assert_eq!(p("ping"), Request::Ping);
        assert_eq!(p("Ping\n"), Request::Ping);
        assert_eq!(p("STATUS"), Request::Status { verbose: false });
        assert_eq!(p("status-verbose"), Request::Status { verbose: true });
        assert_eq!(p("ATTACH"), Request::Attach);
        assert_eq!(p("DETACH"), Request::Detach);
        assert_eq!(p("LEVEL 2"), Request::Level(2));
        assert_eq!(p("LEVEL -1"), Request::Level(-1));
        assert_eq!(p("INTERFACES"), Request::Interfaces);
        assert_eq!(p("TERMINATE"), Request::Terminate);
        assert_eq!(p("p2p_stop_find"), Request::P2pStopFind);
        assert_eq!(p("P2P_FLUSH"), Request::P2pFlush);
        assert_eq!(p("P2P_CANCEL"), Request::P2pCancel);
        assert_eq!(p("P2P_GET_PASSPHRASE"), Request::P2pGetPassphrase);
    }

    #[test]
    fn unknown_and_malformed() {
        assert_eq!(
            p("SCAN"),
            Request::Unknown {
                command: "SCAN".into()
            }
        );
        assert_eq!(
            p("FOO bar baz"),
            Request::Unknown {
                command: "FOO".into()
            }
        );
        assert_eq!(err(""), ParseError::Empty);
        assert_eq!(err(" PING"), ParseError::Empty);
        assert_eq!(err("PING extra").reply(), "FAIL\n");
        assert_eq!(err("LEVEL x").reply(), "FAIL\n");
        assert_eq!(
            err("LEVEL"),
            ParseError::InvalidValue {
                command: "LEVEL",
                what: "level",
                value: "".into()
            }
        );
        assert_eq!(Request::parse(&[0xff, 0xfe]), Err(ParseError::NotUtf8));
        let big = vec![b'A'; MAX_REQUEST_LEN + 1];
        assert_eq!(
            Request::parse(&big),
            Err(ParseError::TooLong(MAX_REQUEST_LEN + 1))
        );
    }

    #[test]
    fn find_options() {
        assert_eq!(p("P2P_FIND"), Request::P2pFind(FindParams::default()));
        // hostap tests/hwsim/wpasupplicant.py p2p_find() appends " type=social", " dev_id=..",
        // " dev_type=..", " delay=..", " freq=.." to "P2P_FIND"; test_p2p_service.py sends
        // "P2P_FIND 4 type=social".
        assert_eq!(
            p("P2P_FIND type=social"),
            Request::P2pFind(FindParams {
                find_type: FindType::Social,
                ..Default::default()
            })
        );
        assert_eq!(
            p("P2P_FIND 5 type=progressive dev_id=00:11:22:33:44:55 delay=2 freq=2412"),
            Request::P2pFind(FindParams {
                timeout: Some(5),
                find_type: FindType::Progressive,
                dev_id: Some(A),
                delay: Some(2),
                freq: Some(2412),
                dev_type: None,
            })
        );
        assert_eq!(
            p("P2P_FIND 4 type=social"),
            Request::P2pFind(FindParams {
                timeout: Some(4),
                find_type: FindType::Social,
                ..Default::default()
            })
        );
        assert_eq!(
            p("P2P_FIND dev_type=1-0050F204-1"),
            Request::P2pFind(FindParams {
                dev_type: Some(DeviceType {
                    category: 1,
                    oui: 0x0050F204,
                    sub_category: 1
                }),
                ..Default::default()
            })
        );
        assert!(matches!(
            err("P2P_FIND dev_type=1-0050F204"),
            ParseError::InvalidValue { .. }
        ));
        assert!(matches!(
            err("P2P_FIND type=foo"),
            ParseError::InvalidValue { .. }
        ));
        assert!(matches!(
            err("P2P_FIND freq=0"),
            ParseError::InvalidValue { .. }
        ));
        assert!(matches!(
            err("P2P_FIND dev_id=00:11"),
            ParseError::Mac { .. }
        ));
        assert!(matches!(
            err("P2P_FIND type=social 5"),
            ParseError::Unexpected { .. }
        ));
    }

    #[test]
    fn listen_reject_peer_remove() {
        assert_eq!(p("P2P_LISTEN"), Request::P2pListen { timeout: None });
        assert_eq!(p("P2P_LISTEN 10"), Request::P2pListen { timeout: Some(10) });
        assert!(err("P2P_LISTEN ten").reply() == "FAIL\n");
        assert_eq!(p("P2P_REJECT 00:11:22:33:44:55"), Request::P2pReject(A));
        assert!(matches!(err("P2P_REJECT"), ParseError::Missing { .. }));
        assert_eq!(p("P2P_PEER FIRST"), Request::P2pPeer(PeerQuery::First));
        assert_eq!(
            p("P2P_PEER NEXT-00:11:22:33:44:55"),
            Request::P2pPeer(PeerQuery::Next(A))
        );
        assert_eq!(
            p("P2P_PEER 00:11:22:33:44:55"),
            Request::P2pPeer(PeerQuery::Addr(A))
        );
        assert!(matches!(err("P2P_PEER NEXT-"), ParseError::Mac { .. }));
        assert!(matches!(err("P2P_PEER"), ParseError::Missing { .. }));
        assert_eq!(
            p("P2P_GROUP_REMOVE p2p-wlan0-0"),
            Request::P2pGroupRemove {
                ifname: "p2p-wlan0-0".into()
            }
        );
        assert_eq!(
            p("P2P_GROUP_REMOVE *"),
            Request::P2pGroupRemove { ifname: "*".into() }
        );
        assert!(matches!(
            err("P2P_GROUP_REMOVE"),
            ParseError::Missing { .. }
        ));
        assert!(matches!(
            err("P2P_GROUP_REMOVE ../x"),
            ParseError::InvalidValue { .. }
        ));
    }

    #[test]
    fn prov_disc() {
        assert_eq!(
            p("P2P_PROV_DISC 00:11:22:33:44:55 display"),
            Request::P2pProvDisc(ProvDiscParams {
                peer: A,
                method: ProvDiscMethod::Display,
                usage: ProvDiscUse::GoNeg
            })
        );
        assert_eq!(
            p("P2P_PROV_DISC 00:11:22:33:44:55 pbc join"),
            Request::P2pProvDisc(ProvDiscParams {
                peer: A,
                method: ProvDiscMethod::Pbc,
                usage: ProvDiscUse::Join
            })
        );
        assert_eq!(
            p("P2P_PROV_DISC 00:11:22:33:44:55 keypad auto"),
            Request::P2pProvDisc(ProvDiscParams {
                peer: A,
                method: ProvDiscMethod::Keypad,
                usage: ProvDiscUse::Auto
            })
        );
        assert!(matches!(
            err("P2P_PROV_DISC 00:11:22:33:44:55"),
            ParseError::Missing { .. }
        ));
        assert!(matches!(
            err("P2P_PROV_DISC 00:11:22:33:44:55 push"),
            ParseError::InvalidValue { .. }
        ));
    }

    fn connect(s: &str) -> ConnectParams {
        match p(s) {
            Request::P2pConnect(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn connect_methods() {
        // Command strings as hostap tests/hwsim/wpasupplicant.py builds them:
        // "P2P_CONNECT " + peer + " " + pin + " " + method [+ " auth"] [+ " go_intent=N"] ...
        let c = connect("P2P_CONNECT 00:11:22:33:44:55 pbc");
        assert_eq!(c.peer, A);
        assert_eq!(c.method, ConnectMethod::Pbc);
        assert_eq!(
            connect("P2P_CONNECT 00:11:22:33:44:55 pin").method,
            ConnectMethod::PinGenerate
        );
        let pin = Pin::parse("12345670").unwrap();
        assert_eq!(
            connect("P2P_CONNECT 00:11:22:33:44:55 12345670 display").method,
            ConnectMethod::PinDisplay(pin.clone())
        );
        assert_eq!(
            connect("P2P_CONNECT 00:11:22:33:44:55 12345670 keypad").method,
            ConnectMethod::PinKeypad(pin.clone())
        );
        assert_eq!(
            connect("P2P_CONNECT 00:11:22:33:44:55 12345670").method,
            ConnectMethod::PinKeypad(pin)
        );
        let c =
            connect("P2P_CONNECT 00:11:22:33:44:55 12345670 display auth go_intent=15 freq=2437");
        assert!(c.auth && !c.join);
        assert_eq!(c.go_intent, Some(15));
        assert_eq!(c.freq, Some(2437));
    }

    #[test]
    fn connect_all_option_words() {
        let c = connect(
            "P2P_CONNECT 00:11:22:33:44:55 pbc persistent join go_intent=0 ht40 vht he provdisc auto",
        );
        assert_eq!(c.persistent, Some(Persistent::New));
        assert!(c.join && c.ht40 && c.vht && c.he && c.provdisc && c.auto && !c.auth);
        assert_eq!(c.go_intent, Some(0));
        assert_eq!(
            connect("P2P_CONNECT 00:11:22:33:44:55 pbc persistent=3").persistent,
            Some(Persistent::Id(3))
        );
        // hostap tests/hwsim/test_p2ps.py joins with "... persistent join" + " ssid=" + hex SSID
        assert_eq!(
            connect("P2P_CONNECT 00:11:22:33:44:55 12345670 join ssid=4449524543542d7879").ssid,
            Some(b"DIRECT-xy".to_vec())
        );
        assert!(matches!(
            err("P2P_CONNECT 00:11:22:33:44:55 pbc ssid=4"),
            ParseError::InvalidValue { .. }
        ));
        assert!(matches!(
            err("P2P_CONNECT 00:11:22:33:44:55 pbc ssid="),
            ParseError::InvalidValue { .. }
        ));
        assert!(matches!(
            err("P2P_CONNECT 00:11:22:33:44:55 pbc ssid=zz"),
            ParseError::InvalidValue { .. }
        ));
        assert_eq!(
            connect("P2P_CONNECT 00:11:22:33:44:55 pin display").method,
            ConnectMethod::PinGenerate
        );
        // vht implies ht40, as in hostap.
        assert!(connect("P2P_CONNECT 00:11:22:33:44:55 pbc vht").ht40);
    }

    // Error cases from hostap tests/hwsim/test_p2p_grpform.py test_grpform_connect_errors
    // (those that are syntax errors there).
    #[test]
    fn connect_errors_like_hostap() {
        for bad in [
            "P2P_CONNECT foo",
            "P2P_CONNECT 00:11:22:33:44:55",
            "P2P_CONNECT 00:11:22:33:44:55 pbc go_intent=-1",
            "P2P_CONNECT 00:11:22:33:44:55 pbc go_intent=16",
            "P2P_CONNECT 00:11:22:33:44:55 pbc freq=0",
        ] {
            assert_eq!(err(bad).reply(), "FAIL\n", "{bad}");
        }
        for bad_pin in [
            "P2P_CONNECT 00:11:22:33:44:55 1234567",
            "P2P_CONNECT 00:11:22:33:44:55 12345678a",
            // wrong WPS checksum (hostap test_ap_wps.py: 12345678 is FAIL-CHECKSUM)
            "P2P_CONNECT 00:11:22:33:44:55 12345678",
            "P2P_CONNECT 00:11:22:33:44:55 foo",
        ] {
            assert_eq!(err(bad_pin).reply(), "FAIL-INVALID-PIN\n", "{bad_pin}");
        }
        // display/keypad only after a PIN; unknown words rejected.
        assert_eq!(
            err("P2P_CONNECT 00:11:22:33:44:55 pbc display").reply(),
            "FAIL\n"
        );
        assert_eq!(
            err("P2P_CONNECT 00:11:22:33:44:55 pbc bogus").reply(),
            "FAIL\n"
        );
    }

    #[test]
    fn group_add_and_invite() {
        assert_eq!(
            p("P2P_GROUP_ADD"),
            Request::P2pGroupAdd(GroupAddParams::default())
        );
        assert_eq!(
            p("P2P_GROUP_ADD persistent=0 freq=2412 ht40"),
            Request::P2pGroupAdd(GroupAddParams {
                persistent: Some(Persistent::Id(0)),
                freq: Some(2412),
                ht40: true,
                ..Default::default()
            })
        );
        assert_eq!(
            p("P2P_GROUP_ADD persistent"),
            Request::P2pGroupAdd(GroupAddParams {
                persistent: Some(Persistent::New),
                ..Default::default()
            })
        );
        assert!(matches!(
            err("P2P_GROUP_ADD foo"),
            ParseError::Unexpected { .. }
        ));
        assert_eq!(
            p("P2P_INVITE persistent=1 peer=00:11:22:33:44:55 freq=2437"),
            Request::P2pInvite(InviteParams::Persistent {
                id: 1,
                peer: Some(A),
                freq: Some(2437)
            })
        );
        assert_eq!(
            p("P2P_INVITE group=p2p-wlan0-0 peer=00:11:22:33:44:55 go_dev_addr=02:00:00:00:00:01"),
            Request::P2pInvite(InviteParams::Group {
                ifname: "p2p-wlan0-0".into(),
                peer: A,
                go_dev_addr: Some(MacAddr([2, 0, 0, 0, 0, 1]))
            })
        );
        assert!(matches!(
            err("P2P_INVITE group=p2p-wlan0-0"),
            ParseError::Missing { .. }
        ));
        assert!(matches!(
            err("P2P_INVITE peer=00:11:22:33:44:55"),
            ParseError::Unexpected { .. }
        ));
        assert!(matches!(err("P2P_INVITE"), ParseError::Missing { .. }));
    }

    #[test]
    fn set_get() {
        assert_eq!(
            p("P2P_SET ssid_postfix _foo bar"),
            Request::P2pSet {
                field: "ssid_postfix".into(),
                value: "_foo bar".into()
            }
        );
        assert_eq!(
            p("SET device_name my dev"),
            Request::Set {
                field: "device_name".into(),
                value: "my dev".into()
            }
        );
        assert_eq!(
            p("SET p2p_go_intent 7"),
            Request::Set {
                field: "p2p_go_intent".into(),
                value: "7".into()
            }
        );
        assert!(matches!(err("SET device_name"), ParseError::Missing { .. }));
        assert_eq!(
            p("GET device_name"),
            Request::Get {
                field: "device_name".into()
            }
        );
        assert!(matches!(err("GET"), ParseError::Missing { .. }));
    }

    #[test]
    fn wps_commands() {
        assert_eq!(p("WPS_PBC"), Request::WpsPbc { bssid: None });
        assert_eq!(
            p("WPS_PBC 00:11:22:33:44:55"),
            Request::WpsPbc { bssid: Some(A) }
        );
        assert_eq!(p("WPS_PIN get"), Request::WpsPin(WpsPinRequest::Get));
        // hostap tests/hwsim/wpasupplicant.py: "WPS_PIN any " + pin
        assert_eq!(
            p("WPS_PIN any 12345670"),
            Request::WpsPin(WpsPinRequest::Use {
                target: WpsPinTarget::Any,
                pin: Some(Pin::parse("12345670").unwrap()),
                timeout: None
            })
        );
        assert_eq!(
            p("WPS_PIN 00:11:22:33:44:55 1234 120"),
            Request::WpsPin(WpsPinRequest::Use {
                target: WpsPinTarget::Addr(A),
                pin: Some(Pin::parse("1234").unwrap()),
                timeout: Some(120)
            })
        );
        assert_eq!(
            p("WPS_PIN any"),
            Request::WpsPin(WpsPinRequest::Use {
                target: WpsPinTarget::Any,
                pin: None,
                timeout: None
            })
        );
        assert_eq!(err("WPS_PIN any 12345678").reply(), "FAIL-INVALID-PIN\n");
        assert!(matches!(err("WPS_PIN"), ParseError::Missing { .. }));
        assert!(matches!(
            err("WPS_PIN get 1"),
            ParseError::Unexpected { .. }
        ));
    }

    #[test]
    fn ifname_prefix() {
        assert_eq!(
            split_ifname_prefix("IFNAME=p2p-dev-wlan0 P2P_FIND"),
            (Some("p2p-dev-wlan0"), "P2P_FIND")
        );
        assert_eq!(split_ifname_prefix("P2P_FIND"), (None, "P2P_FIND"));
        assert_eq!(split_ifname_prefix("IFNAME=x"), (None, "IFNAME=x"));
    }

    #[test]
    fn debug_of_connect_hides_pin() {
        let r = p("P2P_CONNECT 00:11:22:33:44:55 12345670 display");
        assert!(!format!("{r:?}").contains("12345670"));
        assert_eq!(r.command_name(), "P2P_CONNECT");
    }

    proptest::proptest! {
        // Input from a socket: arbitrary bytes must give a request or a typed error, never a
        // panic.
        #[test]
        fn parse_never_panics_on_bytes(data in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = Request::parse(&data);
        }

        // Known command words with arbitrary argument text (multi-byte characters included).
        #[test]
        fn parse_never_panics_on_arguments(
            cmd in proptest::sample::select(vec![
                "P2P_CONNECT", "P2P_PEER", "P2P_FIND", "P2P_PROV_DISC", "P2P_INVITE", "P2P_GROUP_ADD",
                "WPS_PIN", "LEVEL", "SET", "P2P_SET", "GET", "P2P_LISTEN", "P2P_GROUP_REMOVE", "WPS_PBC",
            ]),
            args in "[ 0-9a-fA-F:=\\-NEXTpinbcdsplayé\\x{1F600}]{0,60}",
        ) {
            let _ = Request::parse(format!("{cmd} {args}").as_bytes());
        }

        // Any well-formed address round-trips through P2P_PEER NEXT-<addr>.
        #[test]
        fn peer_next_roundtrip(octets in proptest::array::uniform6(proptest::num::u8::ANY)) {
            let a = MacAddr(octets);
            proptest::prop_assert_eq!(
                Request::parse(format!("P2P_PEER NEXT-{a}").as_bytes()),
                Ok(Request::P2pPeer(PeerQuery::Next(a)))
            );
        }
    }
}
