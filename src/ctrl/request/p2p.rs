//! Arguments of the P2P commands (`P2P_FIND`, `P2P_CONNECT`, ...) and their parsers,
//! following hostap `wpa_supplicant/ctrl_iface.c` and `README-P2P`.

use super::{Args, ParseError, Request, Result, freq, mac, number, unexpected};
use crate::ctrl::pin::Pin;
use crate::ctrl::reply::{DeviceType, Reply};
use crate::ieee80211::MacAddr;

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

impl ConnectMethod {
    /// The provisioning method GO negotiation announces (a generated PIN is displayed).
    pub fn wps_method(&self) -> crate::p2p::go_neg::WpsMethod {
        use crate::p2p::go_neg::WpsMethod;
        match self {
            ConnectMethod::Pbc => WpsMethod::Pbc,
            ConnectMethod::PinGenerate | ConnectMethod::PinDisplay(_) => WpsMethod::PinDisplay,
            ConnectMethod::PinKeypad(_) => WpsMethod::PinKeypad,
        }
    }
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

impl ConnectParams {
    /// `P2P_CONNECT <peer> pbc` with nothing else: the parser starts from it, and so do
    /// the modes that connect on their own (`--peer-mac`, `--ndn-auto`).
    pub fn pbc(peer: MacAddr) -> ConnectParams {
        ConnectParams {
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
        }
    }
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

pub(super) fn parse_find(args: Args<'_>) -> Result<FindParams> {
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

pub(super) fn parse_listen(args: Args<'_>) -> Result<Request> {
    const C: &str = "P2P_LISTEN";
    match args.words.as_slice() {
        [] => Ok(Request::P2pListen { timeout: None }),
        [t] => Ok(Request::P2pListen {
            timeout: Some(number(C, "timeout", t)?),
        }),
        [_, extra, ..] => Err(unexpected(C, extra)),
    }
}

pub(super) fn parse_reject(args: Args<'_>) -> Result<Request> {
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

pub(super) fn parse_prov_disc(args: Args<'_>) -> Result<ProvDiscParams> {
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

pub(super) fn parse_connect(args: Args<'_>) -> Result<ConnectParams> {
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
    enum M<'a> {
        Pbc,
        Gen,
        Pin(&'a str),
    }
    let m = match *m {
        "pbc" => M::Pbc,
        "pin" => M::Gen,
        // Whatever else stands here is taken as a PIN, as hostap does (so `foo` is
        // FAIL-INVALID-PIN). It is checked after the options: hostap answers `FAIL` for a
        // bad go_intent, freq or ssid before it looks at the PIN.
        other => M::Pin(other),
    };
    let mut display = false;
    let mut p = ConnectParams::pbc(peer);
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
    let pin =
        |s: &str| Pin::parse(s).map_err(|source| ParseError::InvalidPin { command: C, source });
    p.method = match m {
        M::Pbc => ConnectMethod::Pbc,
        M::Gen => ConnectMethod::PinGenerate,
        M::Pin(s) if display => ConnectMethod::PinDisplay(pin(s)?),
        M::Pin(s) => ConnectMethod::PinKeypad(pin(s)?),
    };
    Ok(p)
}

/// What [`check_connect`] needs to know about the device.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConnectContext<'a> {
    /// Frequencies (MHz) the radio may run a P2P group on (wiphy and regulatory domain).
    pub supported_freqs: &'a [u32],
    /// Supported frequencies that cannot be used now (the radio is held elsewhere).
    pub unavailable_freqs: &'a [u32],
    /// Network ids of the stored persistent groups we own as GO.
    pub persistent_go_ids: &'a [u32],
    /// The peer is in the peer table (seen through more than its probe requests).
    pub peer_known: bool,
}

/// The checks wpa_supplicant 2.10 makes on a parsed `P2P_CONNECT` before it starts
/// anything (`p2p_ctrl_connect`, `wpas_p2p_connect`, `wpas_p2p_setup_freqs`), with its
/// replies, in its order:
/// - `persistent=<id>` naming no stored persistent GO group: `FAIL`;
/// - `join`/`auto` stop here (the peer is looked for by scanning);
/// - `freq=` the radio cannot use for P2P: `FAIL-CHANNEL-UNSUPPORTED`; one it cannot
///   use now: `FAIL-CHANNEL-UNAVAILABLE`;
/// - a peer not in the peer table (negotiation and `auth` alike): `FAIL`.
///
/// Syntax errors (`go_intent` outside 0..=15, `freq=0`, a bad PIN, ...) are the parser's
/// ([`super::ParseError::reply`]). hostap looks up `persistent=<id>` before the PIN, so a
/// command with both wrong gets `FAIL` there and `FAIL-INVALID-PIN` here.
pub fn check_connect(p: &ConnectParams, cx: &ConnectContext<'_>) -> std::result::Result<(), Reply> {
    if let Some(Persistent::Id(id)) = p.persistent
        && !cx.persistent_go_ids.contains(&id)
    {
        return Err(Reply::Fail);
    }
    if p.join || p.auto {
        return Ok(());
    }
    if let Some(f) = p.freq {
        if !cx.supported_freqs.contains(&f) {
            return Err(Reply::FailChannelUnsupported);
        }
        if cx.unavailable_freqs.contains(&f) {
            return Err(Reply::FailChannelUnavailable);
        }
    }
    if !cx.peer_known {
        return Err(Reply::Fail);
    }
    Ok(())
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

pub(super) fn parse_group_add(args: Args<'_>) -> Result<GroupAddParams> {
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

pub(super) fn parse_group_remove(args: Args<'_>) -> Result<Request> {
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

pub(super) fn parse_invite(args: Args<'_>) -> Result<InviteParams> {
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

pub(super) fn parse_peer(args: Args<'_>) -> Result<PeerQuery> {
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
