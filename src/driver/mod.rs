//! The only place with tokio, sockets, netlink calls, clocks and signals.

pub mod forwarder;
