//! Replies to directd's own NDN commands (`NDN_PEERS`, `NDN_FIB`); the NDN events are
//! [`super::Event::Ndn`].
//!
//! One line per item, `key=value` fields after the first word, so a shell reads them with
//! `grep`/`awk` as it reads `wpa_cli` output. Prefixes are NDN URIs (a `,` or space in a
//! component is percent-escaped, so the comma-separated lists are unambiguous).

use std::fmt::Write as _;
use std::time::Duration;

use crate::probe::PeerView;
use ndn::fw::FaceUri;
use ndn::table::{FaceId, FibEntry};

/// `NDN_PEERS`: `<ip> ifname=<if> role=<GO|client> face=<id|-> timeouts=<n>
/// last_answer=<seconds|never> prefixes=<p1>,<p2>` per peer (role is the peer's).
pub fn format_peers<'a>(groups: impl IntoIterator<Item = (&'a str, &'a [PeerView])>) -> String {
    let mut s = String::new();
    for (ifname, peers) in groups {
        for p in peers {
            let face = p.face.map_or_else(|| "-".to_owned(), |f| f.to_string());
            let age = p.last_answer_age.map_or_else(|| "never".to_owned(), secs);
            let prefixes: Vec<String> = p.prefixes.iter().map(ToString::to_string).collect();
            let _ = writeln!(
                s,
                "{} ifname={ifname} role={} face={face} timeouts={} last_answer={age} prefixes={}",
                p.ip,
                p.role,
                p.timeouts,
                prefixes.join(",")
            );
        }
    }
    s
}

/// `NDN_FIB`: `<prefix> nexthops={faceid=<id> (cost=<c>) <uri>, ...}` per entry, in the
/// shape of `nfdc fib list`, with the face's remote URI where known.
pub fn format_fib(fib: &[FibEntry], uri_of: impl Fn(FaceId) -> Option<FaceUri>) -> String {
    let mut s = String::new();
    for e in fib {
        let hops: Vec<String> = e
            .next_hops
            .iter()
            .map(|h| match uri_of(h.face) {
                Some(u) => format!("faceid={} (cost={}) {u}", h.face, h.cost),
                None => format!("faceid={} (cost={})", h.face, h.cost),
            })
            .collect();
        let _ = writeln!(s, "{} nexthops={{{}}}", e.name, hops.join(", "));
    }
    s
}

fn secs(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctrl::Event;
    use crate::probe::{Event as Ndn, RemoveReason, Role};
    use ndn::table::NextHop;
    use std::net::Ipv4Addr;

    #[test]
    fn peers_are_one_line_each() {
        let peers = [
            PeerView {
                ip: Ipv4Addr::new(192, 168, 49, 23),
                face: Some(262),
                role: Role::Client,
                prefixes: vec!["/hw/data".parse().expect("n"), "/a,b".parse().expect("n")],
                timeouts: 1,
                last_answer_age: Some(Duration::from_millis(3250)),
            },
            PeerView {
                ip: Ipv4Addr::new(192, 168, 49, 42),
                face: None,
                role: Role::Client,
                prefixes: vec![],
                timeouts: 0,
                last_answer_age: None,
            },
        ];
        let text = format_peers([("p2p-wlan0-0", &peers[..])]);
        assert_eq!(
            text,
            "192.168.49.23 ifname=p2p-wlan0-0 role=client face=262 timeouts=1 last_answer=3.2 prefixes=/hw/data,/a%2Cb\n\
             192.168.49.42 ifname=p2p-wlan0-0 role=client face=- timeouts=0 last_answer=never prefixes=\n"
        );
        assert_eq!(format_peers(std::iter::empty()), "");
    }

    #[test]
    fn fib_follows_nfdc() {
        let fib = vec![FibEntry {
            name: "/hw/data".parse().expect("n"),
            next_hops: vec![NextHop { face: 262, cost: 10 }, NextHop { face: 300, cost: 0 }],
        }];
        let text = format_fib(&fib, |f| (f == 262).then(|| "udp4://192.168.49.23:6363".parse().expect("uri")));
        assert_eq!(text, "/hw/data nexthops={faceid=262 (cost=10) udp4://192.168.49.23:6363, faceid=300 (cost=0)}\n");
    }

    #[test]
    fn ndn_events_read_back() {
        let ip = Ipv4Addr::new(192, 168, 49, 23);
        for (e, text) in [
            (Ndn::PeerAdded { ip }, "NDN-PEER-ADDED 192.168.49.23"),
            (Ndn::PeerRemoved { ip, reason: RemoveReason::Timeout }, "NDN-PEER-REMOVED 192.168.49.23 reason=timeout"),
            (Ndn::PeerRemoved { ip, reason: RemoveReason::GroupRemoved }, "NDN-PEER-REMOVED 192.168.49.23 reason=group-removed"),
            (Ndn::Routes { ip, n: 3 }, "NDN-ROUTES 192.168.49.23 n=3"),
        ] {
            let ev = Event::Ndn(e);
            assert_eq!(ev.to_string(), text);
            assert_eq!(Event::parse(text), Ok(ev));
        }
        assert!(Event::parse("NDN-PEER-REMOVED 192.168.49.23 reason=bored").is_err());
        assert!(Event::parse("NDN-ROUTES host n=3").is_err());
    }
}
