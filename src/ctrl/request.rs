//! Parsing a control-interface request datagram into a typed [`Request`].
//!
//! The command word is matched case-insensitively (`wpa_cli` sends it uppercased, `wpa_cli raw`
//! sends it as typed); arguments keep their case. Arguments are whitespace-separated words
//! whose grammar follows wpa_supplicant's `ctrl_iface.c` and `README-P2P`. Anything that
//! wpa_supplicant itself would answer with `FAIL` is a [`ParseError`]; a command word we do
//! not know is [`Request::Unknown`], answered `UNKNOWN COMMAND`.

use super::pin::PinError;
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
    /// `WPS_CANCEL`: disarm WPS_PBC / WPS_PIN.
    WpsCancel,
    /// `STA-FIRST`: the GO's first station (`wpa_cli all_sta` starts with it).
    StaFirst,
    /// `STA-NEXT <addr>`: the station after `<addr>` (empty reply after the last one).
    StaNext(MacAddr),
    /// `STA <addr>`: one station of the GO.
    Sta(MacAddr),
    /// `LIST_NETWORKS`: the stored persistent groups.
    ListNetworks,
    /// `REMOVE_NETWORK <id|all>`: forget a stored persistent group (`None`: all).
    RemoveNetwork(Option<u32>),
    /// `GET_NETWORK <id> <field>` (of a stored persistent group).
    GetNetwork { id: u32, field: String },
    /// `NDN_PEERS`: the probe protocol's peers (with `--ndn`).
    NdnPeers,
    /// `NDN_FIB`: the NDN forwarder's FIB (with `--ndn`).
    NdnFib,
    /// A command word we do not implement; the reply is `UNKNOWN COMMAND\n`.
    Unknown { command: String },
}

mod p2p;
#[cfg(test)]
mod tests;
mod wps;

pub use p2p::{
    ConnectContext, ConnectMethod, ConnectParams, FindParams, FindType, GroupAddParams, InviteParams, PeerQuery,
    Persistent, ProvDiscMethod, ProvDiscParams, ProvDiscUse, check_connect,
};
pub use wps::{WpsPinRequest, WpsPinTarget};

use p2p::{
    parse_connect, parse_find, parse_group_add, parse_group_remove, parse_invite, parse_listen,
    parse_peer, parse_prov_disc, parse_reject,
};
use wps::{parse_wps_pbc, parse_wps_pin};

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
    /// Whether the NDN part of the daemon answers this request, not the P2P agent.
    pub fn is_ndn(&self) -> bool {
        matches!(self, Request::NdnPeers | Request::NdnFib)
    }

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
            "WPS_CANCEL" => args.none("WPS_CANCEL", Request::WpsCancel)?,
            "STA-FIRST" => args.none("STA-FIRST", Request::StaFirst)?,
            "STA-NEXT" => Request::StaNext(one_mac("STA-NEXT", &args)?),
            "STA" => Request::Sta(one_mac("STA", &args)?),
            "LIST_NETWORKS" => Request::ListNetworks,
            "REMOVE_NETWORK" => match args.words.as_slice() {
                ["all"] => Request::RemoveNetwork(None),
                [id] => Request::RemoveNetwork(Some(number("REMOVE_NETWORK", "id", id)?)),
                [] => return Err(ParseError::Missing { command: "REMOVE_NETWORK", what: "<id|all>" }),
                [_, extra, ..] => return Err(unexpected("REMOVE_NETWORK", extra)),
            },
            "GET_NETWORK" => match args.words.as_slice() {
                [id, field] => Request::GetNetwork { id: number("GET_NETWORK", "id", id)?, field: (*field).to_owned() },
                [_, _, extra, ..] => return Err(unexpected("GET_NETWORK", extra)),
                _ => return Err(ParseError::Missing { command: "GET_NETWORK", what: "<id> <field>" }),
            },
            "NDN_PEERS" => args.none("NDN_PEERS", Request::NdnPeers)?,
            "NDN_FIB" => args.none("NDN_FIB", Request::NdnFib)?,
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
            Request::WpsCancel => "WPS_CANCEL",
            Request::StaFirst => "STA-FIRST",
            Request::StaNext(_) => "STA-NEXT",
            Request::Sta(_) => "STA",
            Request::ListNetworks => "LIST_NETWORKS",
            Request::RemoveNetwork(_) => "REMOVE_NETWORK",
            Request::GetNetwork { .. } => "GET_NETWORK",
            Request::NdnPeers => "NDN_PEERS",
            Request::NdnFib => "NDN_FIB",
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

/// Exactly one argument, a MAC address (`STA <addr>`, `STA-NEXT <addr>`).
fn one_mac(command: &'static str, args: &Args<'_>) -> Result<MacAddr> {
    match args.words.as_slice() {
        [] => Err(ParseError::Missing { command, what: "<addr>" }),
        [a] => mac(command, a),
        [_, extra, ..] => Err(unexpected(command, extra)),
    }
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
