//! `directd forwarder`: the NDN forwarder on its own, without any radio.
//!
//! Listens where NDN applications look first (the Unix socket /run/nfd/nfd.sock), plus any
//! `--listen tcp4://ADDR:PORT` / `udp4://ADDR:PORT`, on one forwarding thread. SIGINT or
//! SIGTERM stops it and removes its socket.

use anyhow::Context;
use ndn::face::{RuntimeConfig, start};
use ndn::fw::{Config, FaceUri};
use std::path::PathBuf;

/// Flags of `directd forwarder`.
#[derive(clap::Args, Debug)]
pub struct ForwarderArgs {
    /// Unix stream socket for local NDN applications (its directory is created).
    #[arg(long, value_name = "PATH", default_value = "/run/nfd/nfd.sock")]
    pub unix: PathBuf,
    /// Network listener, repeatable: tcp4://127.0.0.1:6363 or udp4://127.0.0.1:6363.
    #[arg(long = "listen", value_name = "URI")]
    pub listen: Vec<String>,
    /// Content store capacity, in packets.
    #[arg(long, value_name = "N", default_value_t = 4096)]
    pub cs_capacity: usize,
}

fn parse_listen(uris: &[String]) -> anyhow::Result<Vec<FaceUri>> {
    uris.iter()
        .map(|s| match s.parse::<FaceUri>() {
            Ok(u @ (FaceUri::Tcp4(_) | FaceUri::Udp4(_))) => Ok(u),
            Ok(_) => anyhow::bail!("--listen {s}: only tcp4:// and udp4:// listeners are supported"),
            Err(e) => Err(anyhow::Error::new(e).context(format!("--listen {s}"))),
        })
        .collect()
}

/// Runs the forwarder until SIGINT/SIGTERM.
pub fn run(args: ForwarderArgs) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();

    let listen = parse_listen(&args.listen)?;
    if let Some(dir) = args.unix.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let cfg = RuntimeConfig {
        fw: Config { cs_capacity: args.cs_capacity, ..Config::default() },
        unix: Some(args.unix.clone()),
        listen,
        ..RuntimeConfig::default()
    };
    // One thread: the forwarding core and its sockets share it.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting tokio")?;
    let result = rt.block_on(async move {
        let mut running = start(cfg).await.context("binding listeners")?;
        for uri in &running.bound {
            tracing::info!(%uri, "listening");
        }
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: stopping"),
            _ = term.recv() => tracing::info!("SIGTERM: stopping"),
            r = &mut running.task => {
                r.context("forwarding core failed")?;
                anyhow::bail!("forwarding core stopped unexpectedly");
            }
        }
        running.handle.shutdown();
        let _ = running.task.await;
        Ok::<_, anyhow::Error>(())
    });
    // The core removes the socket on shutdown; make sure even on an error path.
    if args.unix.exists() && std::fs::symlink_metadata(&args.unix).is_ok_and(|m| !m.is_dir()) {
        let _ = std::fs::remove_file(&args.unix);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_uris_are_checked() {
        let ok = parse_listen(&["tcp4://127.0.0.1:6363".into(), "udp4://127.0.0.1:0".into()]).expect("valid");
        assert_eq!(ok.len(), 2);
        assert!(parse_listen(&["unix:///tmp/x".into()]).is_err());
        assert!(parse_listen(&["tcp4://localhost:6363".into()]).is_err());
    }
}
