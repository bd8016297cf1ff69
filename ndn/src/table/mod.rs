//! Forwarding tables: RIB and FIB, PIT, content store, dead-nonce list.

pub mod cs;
pub mod dnl;
pub mod fib;
pub mod pit;

pub use cs::ContentStore;
pub use dnl::DeadNonceList;
pub use fib::{Fib, FibEntry, NextHop, Rib, Route, RouteFlags};
pub use pit::{EntryId, InRecord, OutRecord, Pit, PitEntry};

/// Face identifier. 0 is never a real face; 1 is the management face (as in NFD).
pub type FaceId = u64;
