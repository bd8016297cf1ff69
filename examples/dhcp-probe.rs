//! Runs directd's DHCP server or client on one interface, for checking the socket glue
//! against other implementations (hwtests/scenarios/dhcp-veth.sh uses it with busybox).
//!
//! ```text
//! dhcp-probe server IFNAME [LEASES]   serve as 192.168.49.1/24 (the address must be on
//!                                     IFNAME); print `LEASED <mac> <ip>` per ACK; exit
//!                                     after LEASES leases (default: never)
//! dhcp-probe client IFNAME [HOLD_S]   get a lease, put its address on IFNAME, print
//!                                     `BOUND <ip>/<prefix> router=.. dns=.. lease=..`
//!                                     (`RENEWED ...` for later ACKs); HOLD_S seconds
//!                                     after binding (default 0) release it, remove the
//!                                     address, print `DECONFIGURED <ip>`, `RELEASED`
//! ```
//! Exits 1 with a message if the client gives up.

use std::time::Duration;

use anyhow::{Context, bail};
use directd::dhcp::{ClientConfig, ClientOutput, MacAddr, Server, ServerConfig, ServerOutput};
use directd::driver::dhcp::{add_address, del_address, spawn_client, spawn_server};
use tokio::sync::mpsc;

fn mac_of(ifname: &str) -> anyhow::Result<MacAddr> {
    let text = std::fs::read_to_string(format!("/sys/class/net/{ifname}/address"))
        .with_context(|| format!("no interface {ifname}"))?;
    text.trim().parse().with_context(|| format!("{ifname} has no Ethernet address"))
}

async fn server(ifname: &str, count: Option<usize>) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let running = spawn_server(ifname, Server::new(ServerConfig::default())?, tx)?;
    let mut leased = 0;
    while let Some(ev) = rx.recv().await {
        match ev {
            ServerOutput::Leased { mac, ip, .. } => {
                println!("LEASED {mac} {ip}");
                leased += 1;
                if count.is_some_and(|c| leased >= c) {
                    break;
                }
            }
            ServerOutput::Ended { mac, ip, reason } => println!("ENDED {mac} {ip} {reason:?}"),
            ServerOutput::Send(_) => {}
        }
    }
    println!("LEASES {}", running.with(|s, _| s.leases().len()));
    running.stop().await;
    Ok(())
}

async fn client(ifname: &str, hold: Duration) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut cfg = ClientConfig::new(mac_of(ifname)?);
    cfg.give_up = Duration::from_secs(30);
    cfg.hostname = Some("directd".into());
    let running = spawn_client(ifname, cfg, tx)?;
    let mut deadline = None;
    loop {
        let ev = match deadline {
            None => rx.recv().await,
            Some(d) => match tokio::time::timeout_at(d, rx.recv()).await {
                Ok(ev) => ev,
                Err(_) => break,
            },
        };
        match ev {
            Some(ClientOutput::Configure(l)) => {
                add_address(ifname, l.ip, l.prefix_len).await?;
                let dns: Vec<String> = l.dns.iter().map(|d| d.to_string()).collect();
                let router = l.router.map(|r| r.to_string()).unwrap_or_default();
                let what = if deadline.is_none() { "BOUND" } else { "RENEWED" };
                println!("{what} {}/{} router={router} dns={} lease={}", l.ip, l.prefix_len, dns.join(","), l.lease_time.as_secs());
                deadline.get_or_insert(tokio::time::Instant::now() + hold);
            }
            Some(ClientOutput::Deconfigure { ip }) => {
                del_address(ifname, ip).await?;
                println!("DECONFIGURED {ip}");
            }
            Some(ClientOutput::GaveUp) => bail!("no lease on {ifname}"),
            Some(ClientOutput::Send(_)) => {}
            None => bail!("client loop ended"),
        }
    }
    running.release_and_stop().await;
    while let Ok(ev) = rx.try_recv() {
        if let ClientOutput::Deconfigure { ip } = ev {
            del_address(ifname, ip).await?;
            println!("DECONFIGURED {ip}");
        }
    }
    println!("RELEASED");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).with_writer(std::io::stderr).init();
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("server"), Some(ifname)) => {
            let count = args.get(3).map(|c| c.parse()).transpose()?;
            rt.block_on(server(ifname, count))
        }
        (Some("client"), Some(ifname)) => {
            let hold = Duration::from_secs(args.get(3).map(|c| c.parse()).transpose()?.unwrap_or(0));
            rt.block_on(client(ifname, hold))
        }
        _ => bail!("usage: dhcp-probe server IFNAME [LEASES] | client IFNAME [HOLD_S]"),
    }
}
