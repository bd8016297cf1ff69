//! Probe names: `/localhop/wifidirect/<target IP>/<sender IP>/probe`.
//!
//! A node registers `/localhop/wifidirect/<own IP>` to its probe producer; a probe for it
//! carries the sender's address as the next component so the receiver knows who asks.
//! The original app appended `?<ms timestamp>` to the last component without stripping
//! it (`probe?1482...`), so every probe name was unique; that form is accepted too, as
//! are further components after `probe` (a timestamp or version some variants add).

use ndn::packet::Name;
use std::net::Ipv4Addr;

const LOCALHOP: &[u8] = b"localhop";
const WIFIDIRECT: &[u8] = b"wifidirect";
const PROBE: &[u8] = b"probe";

/// `/localhop/wifidirect`: the probe namespace.
pub fn namespace() -> Name {
    let mut n = Name::new();
    n.push_generic(LOCALHOP);
    n.push_generic(WIFIDIRECT);
    n
}

/// `/localhop/wifidirect/<ip>`: the prefix a node answers probes under, and the probe
/// route towards a peer.
pub fn node_prefix(ip: Ipv4Addr) -> Name {
    let mut n = namespace();
    n.push_generic(ip.to_string().as_bytes());
    n
}

/// `/localhop/wifidirect/<target>/<sender>/probe`.
pub fn probe_name(target: Ipv4Addr, sender: Ipv4Addr) -> Name {
    let mut n = node_prefix(target);
    n.push_generic(sender.to_string().as_bytes());
    n.push_generic(PROBE);
    n
}

/// A probe name taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeName {
    pub target: Ipv4Addr,
    pub sender: Ipv4Addr,
}

/// Why a name under our prefix is not a probe.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeNameError {
    #[error("not under /localhop/wifidirect")]
    Namespace,
    #[error("component {0} is not an IPv4 address")]
    Address(usize),
    #[error("the fifth component is not `probe` (or `probe?<timestamp>`)")]
    NotProbe,
}

/// Reads a probe Interest's name.
pub fn parse_probe_name(name: &Name) -> Result<ProbeName, ProbeNameError> {
    let value = |i: usize| name.get(i).map(|c| c.value);
    if value(0) != Some(LOCALHOP) || value(1) != Some(WIFIDIRECT) {
        return Err(ProbeNameError::Namespace);
    }
    let ip = |i: usize| {
        value(i)
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|s| s.parse::<Ipv4Addr>().ok())
            .ok_or(ProbeNameError::Address(i + 1))
    };
    let (target, sender) = (ip(2)?, ip(3)?);
    match value(4) {
        Some(v) if v == PROBE || v.starts_with(b"probe?") => Ok(ProbeName { target, sender }),
        _ => Err(ProbeNameError::NotProbe),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().expect("ip")
    }

    #[test]
    fn probe_names_are_built_as_the_protocol_says() {
        let n = probe_name(ip("192.168.49.1"), ip("192.168.49.23"));
        assert_eq!(n.to_string(), "/localhop/wifidirect/192.168.49.1/192.168.49.23/probe");
        assert_eq!(node_prefix(ip("192.168.49.1")).to_string(), "/localhop/wifidirect/192.168.49.1");
        assert!(n.starts_with(&node_prefix(ip("192.168.49.1"))));
        assert_eq!(parse_probe_name(&n), Ok(ProbeName { target: ip("192.168.49.1"), sender: ip("192.168.49.23") }));
    }

    #[test]
    fn the_apps_unique_names_and_extra_components_are_accepted() {
        // As the app sent them: `?` and the timestamp left inside the last component.
        let n: Name = "/localhop/wifidirect/192.168.49.1/192.168.49.23/probe%3F1482977581283".parse().expect("name");
        assert_eq!(parse_probe_name(&n).map(|p| p.sender), Ok(ip("192.168.49.23")));
        let n: Name = "/localhop/wifidirect/192.168.49.1/192.168.49.23/probe/t=1482977581283".parse().expect("name");
        assert_eq!(parse_probe_name(&n).map(|p| p.target), Ok(ip("192.168.49.1")));
    }

    #[test]
    fn other_names_are_refused() {
        let p = |s: &str| parse_probe_name(&s.parse().expect("name"));
        assert_eq!(p("/localhop/nfd/rib/list"), Err(ProbeNameError::Namespace));
        assert_eq!(p("/localhop/wifidirect/192.168.49.1"), Err(ProbeNameError::Address(4)));
        assert_eq!(p("/localhop/wifidirect/host/192.168.49.2/probe"), Err(ProbeNameError::Address(3)));
        assert_eq!(p("/localhop/wifidirect/192.168.49.1/192.168.49.2"), Err(ProbeNameError::NotProbe));
        assert_eq!(p("/localhop/wifidirect/192.168.49.1/192.168.49.2/probes"), Err(ProbeNameError::NotProbe));
    }
}
