//! DHCPv4 server and client logic on the dhcproto codec (sans-IO).
//!
//! - [`wire`]: decoding (never panics on socket input), encoding, option accessors.
//! - [`server`]: the GO's lease server (RFC 2131 4.3).
//! - [`client`]: the P2P client's DHCP client (RFC 2131 4.4).
//!
//! Both machines use the project's drive interface: `handle_input(now, msg)`,
//! `handle_timeout(now)`, `poll_output()`, `poll_timeout()`. `driver::dhcp` moves their
//! messages over UDP ports 67/68.

pub mod client;
pub mod server;
pub mod wire;

#[cfg(test)]
mod captures;
#[cfg(test)]
mod tests;

use std::net::Ipv4Addr;

pub use client::{Client, ClientConfig, ClientError, ClientInput, ClientOutput, Lease};
pub use dhcproto::v4::Message;
pub use server::{LeaseInfo, LeaseState, Server, ServerConfig, ServerError, ServerOutput};
pub use wire::MacAddr;

/// Where a message goes (RFC 2131 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// The limited broadcast address 255.255.255.255.
    Broadcast,
    /// An address the receiver has configured (a server, or a client's `ciaddr`).
    Unicast(Ipv4Addr),
    /// A client that has no address yet, at `yiaddr` and its hardware address: needs an
    /// ARP entry the driver may not be able to add; RFC 2131 4.1 then allows broadcasting.
    UnicastHw { ip: Ipv4Addr, mac: MacAddr },
}

/// A message to send and where to.
#[derive(Debug, Clone, PartialEq)]
pub struct Transmit {
    pub msg: Message,
    pub to: Destination,
}

/// The randomness a machine needs (transaction ids, retransmission jitter), injected so
/// tests are deterministic: the workspace's one random-source trait (`next_u32`).
pub use wps::rng::RandomSource as Random;

/// A small seedable generator (splitmix64) for tests and for seeding from the OS once.
/// Not for secrets: a DHCP xid only has to differ between transactions.
#[derive(Debug, Clone)]
pub struct SeededRandom(u64);

impl SeededRandom {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
}

impl Random for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(4) {
            let v = self.next_u32().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }

    fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as u32
    }
}
