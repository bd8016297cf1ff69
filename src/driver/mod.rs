//! The only place with tokio, sockets, netlink calls, clocks and signals.
//!
//! `run` is `directd run`: connect to nl80211, find and check the wiphy, create and start
//! the P2P device, serve the control socket, and on SIGTERM/SIGINT/TERMINATE undo all of
//! it. `phys` is `directd phys`.

pub mod ctrl;
pub mod device;
pub mod dhcp;
pub mod forwarder;
pub mod ndn;
mod phys;
mod serve;
pub mod state;

use anyhow::Context;
use nl80211::Nl80211;

use crate::config::RunConfig;

pub use phys::phys;

/// Builds the single-threaded runtime every driver entry point runs on.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")
}

/// Connects to nl80211 with an error that says what is missing.
async fn connect() -> anyhow::Result<(Nl80211, nl80211::Events)> {
    Nl80211::connect()
        .await
        .context("cannot talk to nl80211 (is cfg80211 loaded? directd needs a kernel with wireless support)")
}

/// `directd run`.
pub fn run(cfg: RunConfig) -> anyhow::Result<()> {
    runtime()?.block_on(serve::run(cfg))
}
