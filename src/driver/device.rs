//! The P2P-Device wdev: finding the wiphy, checking what it can do, cleaning up after a
//! killed run, creating and starting the device, and tearing it down.

use anyhow::{Context, bail};
use nl80211::{Command, IfTarget, IfType, Interface, NewInterfaceOpts, Nl80211, Wiphy};
use tracing::{info, warn};

use crate::config::{RunConfig, Target};

/// What directd needs from a wiphy to run P2P on it.
const NEEDED_IFTYPES: [(IfType, &str); 3] =
    [(IfType::P2pDevice, "P2P-device"), (IfType::P2pGo, "P2P-GO"), (IfType::P2pClient, "P2P-client")];
const NEEDED_COMMANDS: [(Command, &str); 2] =
    [(Command::RemainOnChannel, "remain_on_channel"), (Command::StartP2pDevice, "start_p2p_device")];

/// A started P2P device.
#[derive(Debug, Clone)]
pub struct P2pDevice {
    pub wiphy: u32,
    pub wiphy_name: String,
    pub wdev: u64,
    pub name: String,
    /// The P2P device address (the wdev's own address).
    pub addr: [u8; 6],
}

/// Finds the wiphy the configuration names; the error lists what exists instead.
pub fn find_wiphy<'a>(cfg: &RunConfig, wiphys: &'a [Wiphy], ifaces: &[Interface]) -> anyhow::Result<&'a Wiphy> {
    let index = match &cfg.target {
        Target::Ifname(name) => match ifaces.iter().find(|i| i.name.as_deref() == Some(name.as_str())) {
            Some(i) => i.wiphy,
            None => {
                let known: Vec<&str> = ifaces.iter().filter_map(|i| i.name.as_deref()).collect();
                bail!(
                    "no wireless interface named {name} (wireless interfaces here: {})",
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                );
            }
        },
        Target::Phy(name) => match wiphys.iter().find(|w| &w.name == name) {
            Some(w) => w.index,
            None => {
                let known: Vec<&str> = wiphys.iter().map(|w| w.name.as_str()).collect();
                bail!(
                    "no wiphy named {name} (wiphys here: {})",
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                );
            }
        },
    };
    wiphys.iter().find(|w| w.index == index).with_context(|| format!("wiphy #{index} vanished"))
}

/// The P2P capabilities a wiphy lacks, by their `iw` names (empty: all there).
pub fn missing_capabilities(wiphy: &Wiphy) -> Vec<&'static str> {
    let mut missing = Vec::new();
    for (t, name) in NEEDED_IFTYPES {
        if !wiphy.supports_iftype(t) {
            missing.push(name);
        }
    }
    for (c, name) in NEEDED_COMMANDS {
        if !wiphy.supports(c) {
            missing.push(name);
        }
    }
    missing
}

/// Makes the wiphy ready for a new P2P device. directd creates its interfaces with
/// NL80211_ATTR_SOCKET_OWNER, so the kernel removes them when a killed run's netlink
/// socket closes; a group interface of ours left anyway (an older kernel) is removed here.
/// A P2P device that is still there belongs to another program: a wiphy has at most one,
/// so that is an error naming it.
pub async fn clean_stale(nl: &Nl80211, cfg: &RunConfig, wiphy: &Wiphy) -> anyhow::Result<()> {
    let group_prefix = format!("p2p-{}-", cfg.base_name());
    for iface in nl.interfaces().await?.into_iter().filter(|i| i.wiphy == wiphy.index) {
        let name = iface.name.clone().unwrap_or_default();
        if iface.iftype == IfType::P2pDevice {
            bail!(
                "{} already has a P2P device (wdev {:#x}, address {}): another program \
                 (wpa_supplicant?) runs P2P on it; stop it first",
                wiphy.name,
                iface.wdev,
                crate::ctrl::MacAddr(iface.mac)
            );
        }
        if name.starts_with(&group_prefix) && matches!(iface.iftype, IfType::P2pGo | IfType::P2pClient) {
            warn!(ifname = %name, "removing a group interface left by a previous run");
            if let Some(ifindex) = iface.ifindex {
                nl.del_interface(IfTarget::Ifindex(ifindex)).await?;
            }
        }
    }
    Ok(())
}

/// Creates and starts the P2P device on `wiphy`.
pub async fn create(nl: &Nl80211, cfg: &RunConfig, wiphy: &Wiphy, ifaces: &[Interface]) -> anyhow::Result<P2pDevice> {
    let name = cfg.p2p_dev_name();
    let iface = nl
        .new_interface(wiphy.index, &name, IfType::P2pDevice, NewInterfaceOpts { socket_owner: true, ..Default::default() })
        .await
        .with_context(|| format!("cannot create P2P device {name} on {}", wiphy.name))?;
    let mut addr = iface.mac;
    // The P2P device address must differ from the station address: where the kernel gave
    // the wdev the same one, set the locally administered bit, as wpa_supplicant does.
    if ifaces.iter().any(|i| i.wiphy == wiphy.index && i.iftype != IfType::P2pDevice && i.mac == addr) {
        addr[0] |= 0x02;
    }
    let dev = P2pDevice { wiphy: wiphy.index, wiphy_name: wiphy.name.clone(), wdev: iface.wdev, name, addr };
    if let Err(e) = nl.start_p2p_device(dev.wdev).await {
        let _ = nl.del_interface(IfTarget::Wdev(dev.wdev)).await;
        return Err(e).with_context(|| format!("cannot start P2P device {}", dev.name));
    }
    info!(
        name = %dev.name,
        wdev = format_args!("{:#x}", dev.wdev),
        addr = %crate::ctrl::MacAddr(dev.addr),
        "P2P device started"
    );
    Ok(dev)
}

/// Stops and deletes the P2P device; logs, never fails (it runs on the way out).
pub async fn destroy(nl: &Nl80211, dev: &P2pDevice) {
    if let Err(e) = nl.stop_p2p_device(dev.wdev).await {
        warn!("stopping P2P device {}: {e}", dev.name);
    }
    match nl.del_interface(IfTarget::Wdev(dev.wdev)).await {
        Ok(()) => info!(name = %dev.name, "P2P device removed"),
        Err(e) => warn!("removing P2P device {}: {e}", dev.name),
    }
}
