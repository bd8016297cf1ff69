//! A small, fast NDN forwarder: TLV codec, packets, FIB/PIT/CS, forwarding, NFD management
//! subset, faces.
//!
//! Everything except [`face`] is sans-IO: the forwarding core [`fw::Forwarder`] is driven with
//! `handle_packet(now, face, bytes)` / `handle_timeout(now)` and drained with `poll_output()`.
//! [`face`] (feature `tokio`) carries packets over UDP, TCP and Unix stream sockets and offers
//! the in-process API ([`face::Handle`]).

pub mod tlv;
pub mod packet;
pub mod table;
pub mod fw;
pub mod mgmt;
#[cfg(feature = "tokio")]
pub mod face;
