//! The NDN-over-Wi-Fi-Direct probe protocol core, on the ndn crate.
//!
//! - [`name`]: probe names (`/localhop/wifidirect/<target>/<sender>/probe`);
//! - [`answer`]: the answer's content in the protocol's and the app's formats;
//! - [`core`]: the sans-IO machine, one per group, either role.
//!
//! `driver::ndn` runs one [`ProbeCore`] per group on the forwarder's in-process handle.

pub mod answer;
pub mod core;
pub mod name;
#[cfg(test)]
mod tests;

pub use answer::AnswerFormat;
pub use core::{
    Event, FaceScheme, FibPrefix, GroupInfo, Input, Output, PeerView, ProbeConfig, ProbeCore, ProbeFailure, ProbeId,
    RemoveReason, Role,
};
