//! The `directd run` event loop: kernel events, control requests and signals.

use anyhow::Context;
use tokio::signal::unix::{SignalKind, signal};
use tracing::{debug, info, warn};

use super::device::{self, P2pDevice};
use crate::config::RunConfig;
use crate::ctrl::{CtrlServer, Incoming, MacAddr, Reply, Request};

/// Why the loop ended.
enum Stop {
    Signal(&'static str),
    Terminate,
    DeviceGone,
}

pub async fn run(cfg: RunConfig) -> anyhow::Result<()> {
    let (nl, mut events) = super::connect().await?;
    let wiphys = nl.wiphys().await.context("cannot list wiphys")?;
    let ifaces = nl.interfaces().await.context("cannot list interfaces")?;
    let wiphy = device::find_wiphy(&cfg, &wiphys, &ifaces)?;
    let missing = device::missing_capabilities(wiphy);
    if !missing.is_empty() {
        anyhow::bail!("{} cannot run P2P: it lacks {}", wiphy.name, missing.join(", "));
    }
    info!(wiphy = %wiphy.name, "wiphy supports P2P-device, P2P-GO, P2P-client and remain-on-channel");

    // The control socket first: a second daemon on the same device stops here, before it
    // touches the kernel.
    let mut ctrl = CtrlServer::bind(&cfg.ctrl_dir, &cfg.p2p_dev_name())
        .with_context(|| format!("cannot serve the control socket in {}", cfg.ctrl_dir.display()))?;
    device::clean_stale(&nl, &cfg, wiphy).await?;
    let dev = device::create(&nl, &cfg, wiphy, &ifaces).await?;
    info!(socket = %cfg.ctrl_dir.join(&dev.name).display(), "serving the control interface");

    let mut sigterm = signal(SignalKind::terminate()).context("SIGTERM handler")?;
    let mut sigint = signal(SignalKind::interrupt()).context("SIGINT handler")?;
    let stop = loop {
        tokio::select! {
            _ = sigterm.recv() => break Stop::Signal("SIGTERM"),
            _ = sigint.recv() => break Stop::Signal("SIGINT"),
            incoming = ctrl.recv() => {
                let cmd = match incoming {
                    Ok(Incoming::Command(cmd)) => cmd,
                    Ok(other) => { debug!(?other, "monitor (de)attached"); continue }
                    Err(e) => { warn!("control socket: {e}"); continue }
                };
                // Parse errors and unknown commands are answered by triage itself.
                let Some((request, replier)) = cmd.triage() else { continue };
                let (reply, terminate) = answer(&cfg, &dev, request);
                replier.reply(&reply);
                if terminate {
                    break Stop::Terminate;
                }
            }
            event = events.next() => {
                let Some(event) = event else {
                    warn!("the nl80211 event stream ended");
                    break Stop::DeviceGone;
                };
                debug!(cmd = ?event.cmd, "nl80211 event");
                if event.cmd == nl80211::Command::DelInterface && nl80211::attr!(event.attrs, Wdev) == Some(&dev.wdev) {
                    warn!(name = %dev.name, "the P2P device was removed by someone else");
                    break Stop::DeviceGone;
                }
            }
        }
    };
    match stop {
        Stop::Signal(s) => info!("{s}: shutting down"),
        Stop::Terminate => info!("TERMINATE: shutting down"),
        Stop::DeviceGone => {}
    }
    device::destroy(&nl, &dev).await;
    ctrl.close();
    info!("stopped; nothing left behind");
    match stop {
        Stop::DeviceGone => anyhow::bail!("the P2P device went away"),
        _ => Ok(()),
    }
}

/// Answers one control request; the flag asks the loop to stop.
fn answer(cfg: &RunConfig, dev: &P2pDevice, req: Request) -> (Reply, bool) {
    match req {
        Request::Ping => (Reply::Pong, false),
        Request::Status { .. } => (status(cfg, dev), false),
        Request::Interfaces => (Reply::Text(format!("{}\n", dev.name)), false),
        Request::Terminate => (Reply::Ok, true),
        other => {
            debug!(command = other.command_name(), "not served yet");
            (Reply::UnknownCommand, false)
        }
    }
}

fn status(_cfg: &RunConfig, dev: &P2pDevice) -> Reply {
    let addr = MacAddr(dev.addr).to_string();
    Reply::key_values([
        ("wpa_state", "DISCONNECTED".to_owned()),
        ("p2p_device_address", addr.clone()),
        ("address", addr),
    ])
}
