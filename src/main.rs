//! The `directd` binary: CLI -> logging -> config -> driver.

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "directd", version, about = "Wi-Fi Direct (P2P) agent speaking nl80211 directly")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the NDN forwarder on its own, without any radio.
    Forwarder(directd::driver::forwarder::ForwarderArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Forwarder(args) => directd::driver::forwarder::run(args),
    }
}
