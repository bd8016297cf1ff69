//! directd: a Wi-Fi Direct (P2P) agent that talks nl80211 directly to the kernel.
//!
//! Protocol code (everything but `driver`) is sans-IO: it is driven with
//! `handle_input(now, input)` / `handle_timeout(now)` and drained with `poll_output()`.
//! `driver` is the only module with tokio, sockets, netlink calls, clocks and signals.

pub mod agent;
pub mod config;
pub mod ctrl;
pub mod dhcp;
pub mod driver;
pub mod eapol;
pub mod group;
pub mod ieee80211;
pub mod p2p;
pub mod probe;
