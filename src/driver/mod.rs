//! The only place with tokio, sockets, netlink calls, clocks and signals.
