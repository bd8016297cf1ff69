//! The attached clients of one control socket (`ATTACH`, `DETACH`, `LEVEL`) and what a
//! received datagram is, without I/O: the socket itself is `driver::ctrl`.
//!
//! Behaviour of wpa_supplicant's `ctrl_iface_unix.c`: `ATTACH` adds the client at level
//! MSG_INFO (or resets its error count), `DETACH` removes it (`FAIL` if unknown),
//! `LEVEL n` sets its level (`FAIL` if not attached). Events go to every attached client
//! whose level is at most the event's level; a client whose socket is gone (`ECONNREFUSED`,
//! `ENOENT`, `EPERM`) or that failed more than 10 times in a row is detached.

use std::path::PathBuf;

use super::event::MsgLevel;
use super::reply::Reply;
use super::request::{MAX_REQUEST_LEN, ParseError, Request, split_ifname_prefix};

/// After this many consecutive failed event sends a monitor is detached (hostap: `> 10`).
pub const MAX_MONITOR_ERRORS: u32 = 10;

/// Address of a client socket (wpa_cli binds `/tmp/wpa_ctrl_<pid>-<n>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientAddr {
    Path(PathBuf),
    /// Linux abstract namespace name (without the leading NUL).
    Abstract(Vec<u8>),
}

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientAddr::Path(p) => write!(f, "{}", p.display()),
            ClientAddr::Abstract(n) => write!(f, "@{}", String::from_utf8_lossy(n)),
        }
    }
}

/// How sending to a monitor failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendFailure {
    /// Its socket is gone (`ECONNREFUSED`, `ENOENT`, `EPERM`): detach at once.
    Gone,
    /// Anything else (a full queue): detach after too many in a row.
    Other,
}

/// An attached client.
#[derive(Debug)]
struct Monitor {
    addr: ClientAddr,
    /// Events below this level are not sent (hostap `debug_level`, default MSG_INFO).
    level: i32,
    /// Consecutive send failures.
    errors: u32,
}

/// What a received datagram is.
#[derive(Debug)]
pub enum Datagram {
    /// Longer than [`MAX_REQUEST_LEN`]: answered `FAIL`.
    TooLong,
    /// A request (or why it does not parse), with its `IFNAME=` prefix.
    Request { ifname_prefix: Option<String>, request: Result<Request, ParseError> },
}

impl Datagram {
    /// Reads one datagram of `len` bytes (`data` holds at most the buffer's worth).
    pub fn read(data: &[u8], len: usize) -> Datagram {
        if len > MAX_REQUEST_LEN {
            return Datagram::TooLong;
        }
        let (ifname_prefix, body) = match std::str::from_utf8(data) {
            Ok(text) => {
                let (p, rest) = split_ifname_prefix(text);
                (p.map(str::to_owned), rest.as_bytes())
            }
            Err(_) => (None, data),
        };
        Datagram::Request { ifname_prefix, request: Request::parse(body) }
    }
}

/// What [`Monitors::handle`] did with a monitor request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MonitorRequest {
    /// `ATTACH`: answer `OK`; if that answer cannot be sent, [`Monitors::remove`] it.
    Attached,
    /// `DETACH` (the reply says whether it was attached).
    Detached { reply: Reply, was_attached: bool },
    /// `LEVEL n` (the reply says whether it is attached).
    Level { reply: Reply },
}

/// The attached clients of one socket.
#[derive(Debug, Default)]
pub struct Monitors {
    list: Vec<Monitor>,
}

impl Monitors {
    /// Handles `ATTACH`, `DETACH` and `LEVEL` from `client`; `None` for any other request.
    pub fn handle(&mut self, client: &ClientAddr, request: &Request) -> Option<MonitorRequest> {
        match request {
            Request::Attach => {
                match self.list.iter_mut().find(|m| &m.addr == client) {
                    Some(m) => m.errors = 0,
                    None => self.list.push(Monitor { addr: client.clone(), level: MsgLevel::Info.number(), errors: 0 }),
                }
                Some(MonitorRequest::Attached)
            }
            Request::Detach => {
                let was_attached = self.remove(client);
                Some(MonitorRequest::Detached { reply: if was_attached { Reply::Ok } else { Reply::Fail }, was_attached })
            }
            Request::Level(level) => {
                let found = match self.list.iter_mut().find(|m| &m.addr == client) {
                    Some(m) => {
                        m.level = *level;
                        true
                    }
                    None => false,
                };
                Some(MonitorRequest::Level { reply: if found { Reply::Ok } else { Reply::Fail } })
            }
            _ => None,
        }
    }

    /// Detaches `client`; whether it was attached.
    pub fn remove(&mut self, client: &ClientAddr) -> bool {
        let before = self.list.len();
        self.list.retain(|m| &m.addr != client);
        self.list.len() != before
    }

    /// Sends an event at `level` through `send` to every monitor whose level allows it,
    /// detaching those that cannot receive; returns how many it was delivered to.
    pub fn deliver(&mut self, level: MsgLevel, mut send: impl FnMut(&ClientAddr) -> Result<(), SendFailure>) -> usize {
        let mut delivered = 0;
        self.list.retain_mut(|m| {
            if level.number() < m.level {
                return true;
            }
            match send(&m.addr) {
                Ok(()) => {
                    m.errors = 0;
                    delivered += 1;
                    true
                }
                Err(f) => {
                    m.errors += 1;
                    if f == SendFailure::Gone || m.errors > MAX_MONITOR_ERRORS {
                        tracing::info!(client = %m.addr, ?f, "detaching control monitor that cannot receive events");
                        false
                    } else {
                        tracing::debug!(client = %m.addr, ?f, errors = m.errors, "cannot send event to control monitor");
                        true
                    }
                }
            }
        });
        delivered
    }

    /// Number of attached clients.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(n: &str) -> ClientAddr {
        ClientAddr::Path(PathBuf::from(n))
    }

    #[test]
    fn attach_level_detach() {
        let mut m = Monitors::default();
        assert_eq!(m.handle(&addr("a"), &Request::Level(2)), Some(MonitorRequest::Level { reply: Reply::Fail }));
        assert_eq!(m.handle(&addr("a"), &Request::Attach), Some(MonitorRequest::Attached));
        assert_eq!(m.handle(&addr("a"), &Request::Attach), Some(MonitorRequest::Attached));
        assert_eq!(m.len(), 1);
        assert_eq!(m.handle(&addr("a"), &Request::Level(4)), Some(MonitorRequest::Level { reply: Reply::Ok }));
        // Level 4 (MSG_ERROR) only: an info event is not sent.
        assert_eq!(m.deliver(MsgLevel::Info, |_| Ok(())), 0);
        assert_eq!(m.handle(&addr("a"), &Request::Detach), Some(MonitorRequest::Detached { reply: Reply::Ok, was_attached: true }));
        assert_eq!(m.handle(&addr("a"), &Request::Detach), Some(MonitorRequest::Detached { reply: Reply::Fail, was_attached: false }));
        assert_eq!(m.handle(&addr("a"), &Request::Ping), None);
    }

    #[test]
    fn gone_monitors_are_detached_at_once_others_after_eleven_failures() {
        let mut m = Monitors::default();
        m.handle(&addr("gone"), &Request::Attach);
        m.handle(&addr("slow"), &Request::Attach);
        let fail = |a: &ClientAddr| Err(if a == &addr("gone") { SendFailure::Gone } else { SendFailure::Other });
        assert_eq!(m.deliver(MsgLevel::Info, fail), 0);
        assert_eq!(m.len(), 1);
        for _ in 0..9 {
            m.deliver(MsgLevel::Info, fail);
        }
        assert_eq!(m.len(), 1, "ten failures in a row are tolerated");
        m.deliver(MsgLevel::Info, fail);
        assert!(m.is_empty(), "the eleventh detaches");
    }

    #[test]
    fn oversized_datagrams_and_prefixes() {
        assert!(matches!(Datagram::read(b"PING", MAX_REQUEST_LEN + 1), Datagram::TooLong));
        match Datagram::read(b"IFNAME=wlan0 PING", 17) {
            Datagram::Request { ifname_prefix, request } => {
                assert_eq!(ifname_prefix.as_deref(), Some("wlan0"));
                assert!(matches!(request, Ok(Request::Ping)));
            }
            other => panic!("{other:?}"),
        }
    }
}
