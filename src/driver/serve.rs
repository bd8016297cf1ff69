//! The `directd run` event loop: kernel events, control requests, timers and signals.

use std::time::Instant;

use anyhow::Context;
use tokio::signal::unix::{SignalKind, signal};
use tracing::{debug, info, warn};

use super::agent::Agent;
use super::device;
use crate::config::RunConfig;
use crate::ctrl::{CtrlServer, Incoming, Reply, Request};

/// Why the loop ended.
enum Stop {
    Signal(&'static str),
    Terminate,
    DeviceGone,
}

/// A request from one of our sockets, parsed and triaged.
async fn next_request(server: &mut CtrlServer) -> Option<(Request, crate::ctrl::server::Replier)> {
    match server.recv().await {
        Ok(Incoming::Command(cmd)) => cmd.triage(),
        Ok(other) => {
            debug!(?other, "monitor (de)attached");
            None
        }
        Err(e) => {
            warn!("control socket: {e}");
            None
        }
    }
}

/// Waits on the group interface's socket, or forever when there is none.
async fn next_group_request(server: &mut Option<CtrlServer>) -> Option<(Request, crate::ctrl::server::Replier)> {
    match server {
        Some(s) => next_request(s).await,
        None => std::future::pending().await,
    }
}

pub async fn run(cfg: RunConfig) -> anyhow::Result<()> {
    let (nl, mut events) = super::connect().await?;
    let wiphys = nl.wiphys().await.context("cannot list wiphys")?;
    let ifaces = nl.interfaces().await.context("cannot list interfaces")?;
    let wiphy = device::find_wiphy(&cfg, &wiphys, &ifaces)?.clone();
    let missing = device::missing_capabilities(&wiphy);
    if !missing.is_empty() {
        anyhow::bail!("{} cannot run P2P: it lacks {}", wiphy.name, missing.join(", "));
    }
    info!(wiphy = %wiphy.name, "wiphy supports P2P-device, P2P-GO, P2P-client and remain-on-channel");

    // The control socket first: a second daemon on the same device stops here, before it
    // touches the kernel.
    let mut ctrl = CtrlServer::bind(&cfg.ctrl_dir, &cfg.p2p_dev_name())
        .with_context(|| format!("cannot serve the control socket in {}", cfg.ctrl_dir.display()))?;
    device::clean_stale(&nl, &cfg, &wiphy).await?;
    let dev = device::create(&nl, &cfg, &wiphy, &ifaces).await?;
    info!(socket = %cfg.ctrl_dir.join(&dev.name).display(), "serving the control interface");
    let (dhcp_tx, mut dhcp_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut agent = match Agent::new(cfg.clone(), nl.clone(), dev.clone(), wiphy, ctrl.event_sender(), dhcp_tx) {
        Ok(a) => a,
        Err(e) => {
            device::destroy(&nl, &dev).await;
            return Err(e);
        }
    };
    let mut group_ctrl: Option<CtrlServer> = None;
    let ndn = match &cfg.ndn {
        Some(n) => match super::ndn::start(n, super::ndn::to_ctrl(ctrl.event_sender())).await {
            Ok(ndn) => Some(ndn),
            Err(e) => {
                agent.shutdown().await;
                device::destroy(&nl, &dev).await;
                return Err(e);
            }
        },
        None => None,
    };

    let mut sigterm = signal(SignalKind::terminate()).context("SIGTERM handler")?;
    let mut sigint = signal(SignalKind::interrupt()).context("SIGINT handler")?;
    let stop = loop {
        let wake = agent.next_wakeup().map(tokio::time::Instant::from_std);
        tokio::select! {
            _ = sigterm.recv() => break Stop::Signal("SIGTERM"),
            _ = sigint.recv() => break Stop::Signal("SIGINT"),
            req = next_request(&mut ctrl) => {
                let Some((request, replier)) = req else { continue };
                if matches!(request, Request::Terminate) {
                    replier.reply(&Reply::Ok);
                    break Stop::Terminate;
                }
                let reply = if request.is_ndn() { super::ndn::reply(ndn.as_ref(), request).await } else { agent.on_request(request).await };
                replier.reply(&reply);
            }
            req = next_group_request(&mut group_ctrl) => {
                let Some((request, replier)) = req else { continue };
                let reply = if request.is_ndn() { super::ndn::reply(ndn.as_ref(), request).await } else { agent.on_group_request(request).await };
                replier.reply(&reply);
            }
            event = events.next() => {
                let Some(event) = event else {
                    warn!("the nl80211 event stream ended");
                    break Stop::DeviceGone;
                };
                if event.cmd == nl80211::Command::DelInterface && nl80211::attr!(event.attrs, Wdev) == Some(&dev.wdev) {
                    warn!(name = %dev.name, "the P2P device was removed by someone else");
                    break Stop::DeviceGone;
                }
                agent.on_nl_event(event).await;
            }
            Some(out) = dhcp_rx.recv() => agent.on_dhcp(out).await,
            _ = async { match wake { Some(t) => tokio::time::sleep_until(t).await, None => std::future::pending().await } } => {
                agent.on_timer(Instant::now()).await;
            }
        }
        sync_group_ctrl(&cfg, &mut agent, &mut group_ctrl);
    };
    match stop {
        Stop::Signal(s) => info!("{s}: shutting down"),
        Stop::Terminate => info!("TERMINATE: shutting down"),
        Stop::DeviceGone => {}
    }
    if let Some(n) = ndn {
        n.shutdown().await;
    }
    agent.shutdown().await;
    if let Some(g) = group_ctrl.take() {
        g.close();
    }
    device::destroy(&nl, &dev).await;
    ctrl.close();
    info!("stopped; nothing left behind");
    match stop {
        Stop::DeviceGone => anyhow::bail!("the P2P device went away"),
        _ => Ok(()),
    }
}

/// Serves a control socket for the agent's group interface while it has one.
fn sync_group_ctrl(cfg: &RunConfig, agent: &mut Agent, group_ctrl: &mut Option<CtrlServer>) {
    let want = agent.group_ifname().map(str::to_owned);
    let have = group_ctrl.as_ref().map(|s| s.ifname().to_owned());
    if want == have {
        return;
    }
    if let Some(old) = group_ctrl.take() {
        old.close();
        agent.set_group_events(None);
    }
    if let Some(name) = want {
        match CtrlServer::bind(&cfg.ctrl_dir, &name) {
            Ok(s) => {
                agent.set_group_events(Some(s.event_sender()));
                *group_ctrl = Some(s);
            }
            Err(e) => warn!(ifname = %name, "cannot serve the group's control socket: {e}"),
        }
    }
}
