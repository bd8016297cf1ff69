//! `directd forwarder`: the NDN forwarder on its own, without any radio.

/// Flags of `directd forwarder`.
#[derive(clap::Args, Debug)]
pub struct ForwarderArgs {}

/// Runs the forwarder until SIGINT/SIGTERM.
pub fn run(_args: ForwarderArgs) -> anyhow::Result<()> {
    anyhow::bail!("directd forwarder: not implemented yet")
}
