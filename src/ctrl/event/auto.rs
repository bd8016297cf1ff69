//! The automatic mode's events (directd's own, issue #14): `P2P-AUTO-SEARCH`,
//! `P2P-AUTO-CONNECTED`, `P2P-AUTO-LINK-LOST`, `P2P-AUTO-FAILED`. Scripts wait for them
//! as for wpa_supplicant's (`wpa_cli -a`), so the words are fixed here, in one place.

use std::fmt;

use super::GroupRole;
use crate::ieee80211::MacAddr;

/// Why an attempt of the automatic mode ended without a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoFailure {
    /// The peer was not seen within the discovery window.
    PeerNotFound,
    /// The peer was seen, but every GO negotiation with it failed within the window.
    NegotiationFailed,
    /// Negotiated, but the group did not form (WPS, association, handshake).
    FormationFailed,
}

impl AutoFailure {
    pub fn as_str(self) -> &'static str {
        match self {
            AutoFailure::PeerNotFound => "peer-not-found",
            AutoFailure::NegotiationFailed => "negotiation-failed",
            AutoFailure::FormationFailed => "formation-failed",
        }
    }
}

/// An event of the automatic mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoEvent {
    /// `P2P-AUTO-SEARCH peer=<mac> window=<s> attempt=<n>`: an attempt starts.
    Search { peer: MacAddr, window_secs: u64, attempt: u32 },
    /// `P2P-AUTO-CONNECTED <ifname> role=<GO|client> peer=<mac>`: the link is up (the
    /// peer associated to our group, or we to its).
    Connected { ifname: String, role: GroupRole, peer: MacAddr },
    /// `P2P-AUTO-LINK-LOST <ifname> peer=<mac>`: the link went down; a new attempt follows.
    LinkLost { ifname: String, peer: MacAddr },
    /// `P2P-AUTO-FAILED reason=<r> peer=<mac>[ retry_in=<s>]`: the attempt's window ended
    /// without a link; without `retry_in` directd gives up (`--once`).
    Failed { reason: AutoFailure, peer: MacAddr, retry_in_secs: Option<u64> },
}

impl fmt::Display for AutoEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AutoEvent::Search { peer, window_secs, attempt } => {
                write!(f, "P2P-AUTO-SEARCH peer={peer} window={window_secs} attempt={attempt}")
            }
            AutoEvent::Connected { ifname, role, peer } => write!(f, "P2P-AUTO-CONNECTED {ifname} role={role} peer={peer}"),
            AutoEvent::LinkLost { ifname, peer } => write!(f, "P2P-AUTO-LINK-LOST {ifname} peer={peer}"),
            AutoEvent::Failed { reason, peer, retry_in_secs } => {
                write!(f, "P2P-AUTO-FAILED reason={} peer={peer}", reason.as_str())?;
                if let Some(s) = retry_in_secs {
                    write!(f, " retry_in={s}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        let peer = MacAddr([2, 0, 0, 0, 1, 0]);
        let cases = [
            (AutoEvent::Search { peer, window_secs: 120, attempt: 1 }, "P2P-AUTO-SEARCH peer=02:00:00:00:01:00 window=120 attempt=1"),
            (
                AutoEvent::Connected { ifname: "p2p-wlan0-0".into(), role: GroupRole::Go, peer },
                "P2P-AUTO-CONNECTED p2p-wlan0-0 role=GO peer=02:00:00:00:01:00",
            ),
            (AutoEvent::LinkLost { ifname: "p2p-wlan0-0".into(), peer }, "P2P-AUTO-LINK-LOST p2p-wlan0-0 peer=02:00:00:00:01:00"),
            (
                AutoEvent::Failed { reason: AutoFailure::PeerNotFound, peer, retry_in_secs: Some(10) },
                "P2P-AUTO-FAILED reason=peer-not-found peer=02:00:00:00:01:00 retry_in=10",
            ),
            (
                AutoEvent::Failed { reason: AutoFailure::NegotiationFailed, peer, retry_in_secs: None },
                "P2P-AUTO-FAILED reason=negotiation-failed peer=02:00:00:00:01:00",
            ),
            (
                AutoEvent::Failed { reason: AutoFailure::FormationFailed, peer, retry_in_secs: Some(0) },
                "P2P-AUTO-FAILED reason=formation-failed peer=02:00:00:00:01:00 retry_in=0",
            ),
            (
                AutoEvent::Connected { ifname: "p2p-p2p0-3".into(), role: GroupRole::Client, peer },
                "P2P-AUTO-CONNECTED p2p-p2p0-3 role=client peer=02:00:00:00:01:00",
            ),
        ];
        for (e, text) in cases {
            let ev = super::super::Event::Auto(e);
            assert_eq!(ev.to_string(), text);
            assert_eq!(super::super::Event::parse(text), Ok(ev), "{text}");
        }
    }

    #[test]
    fn malformed_texts_are_errors() {
        use super::super::{Event, EventParseError};
        for (text, field) in [
            ("P2P-AUTO-SEARCH peer=02:00:00:00:01:00 window=x attempt=1", "window"),
            ("P2P-AUTO-SEARCH window=120 attempt=1", "peer"),
            ("P2P-AUTO-CONNECTED role=GO peer=02:00:00:00:01:00", "ifname"),
            ("P2P-AUTO-CONNECTED p2p-wlan0-0 role=AP peer=02:00:00:00:01:00", "role"),
            ("P2P-AUTO-LINK-LOST p2p-wlan0-0 peer=02:00:00:00:01", "peer"),
            ("P2P-AUTO-FAILED reason=bored peer=02:00:00:00:01:00", "reason"),
            ("P2P-AUTO-FAILED reason=peer-not-found peer=02:00:00:00:01:00 retry_in=-1", "retry_in"),
        ] {
            let event = text.split(' ').next().unwrap_or_default();
            match Event::parse(text) {
                Err(EventParseError::Field { event: e, field: f }) => assert_eq!((e, f), (event, field), "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
