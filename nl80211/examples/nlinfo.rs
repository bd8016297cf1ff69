//! nlinfo: exercises the nl80211 client against the running kernel.
//!
//! ```text
//! nlinfo                       wiphys and interfaces, one fact per line
//! nlinfo p2p-cycle PHY NAME    create a P2P-Device on wiphy PHY, start, stop, delete it
//! nlinfo bad-ifname PHY        ask for an interface with a too long name (shows ext-ack)
//! nlinfo owned PHY NAME        create a P2P-Device owned by the socket, then exit
//! nlinfo p2p-listen PHY MS      P2P-Device listening on 2412 MHz for MS ms: probe requests
//!                              arrive as unsolicited FRAME events; then a P2P scan
//! ```
//! Lines are stable `key=value` text so hwtests/scenarios/nl80211-client.sh can assert on them.

use nl80211::{Command, Events, IfTarget, IfType, Interface, NewInterfaceOpts, Nl80211, Wiphy};
use std::process::ExitCode;
use std::time::Duration;

fn mac(m: &[u8; 6]) -> String {
    m.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn print_wiphy(w: &Wiphy) {
    let types = |v: &[IfType]| v.iter().map(|t| t.name().replace(' ', "_")).collect::<Vec<_>>().join(",");
    println!(
        "wiphy index={} name={} iftypes={} software_iftypes={} commands={} max_roc_ms={} max_scan_ie_len={} max_scan_ssids={}",
        w.index,
        w.name,
        types(&w.iftypes),
        types(&w.software_iftypes),
        w.commands.len(),
        w.max_remain_on_channel_ms.map_or("none".into(), |v| v.to_string()),
        w.max_scan_ie_len.map_or("none".into(), |v| v.to_string()),
        w.max_scan_ssids.map_or("none".into(), |v| v.to_string()),
    );
    println!(
        "wiphy-p2p name={} p2p_device={} p2p_go={} p2p_client={} remain_on_channel={} start_p2p_device={} frame={}",
        w.name,
        yes(w.supports_iftype(IfType::P2pDevice)),
        yes(w.supports_iftype(IfType::P2pGo)),
        yes(w.supports_iftype(IfType::P2pClient)),
        yes(w.supports(Command::RemainOnChannel)),
        yes(w.supports(Command::StartP2pDevice)),
        yes(w.supports(Command::Frame)),
    );
    for b in &w.bands {
        let enabled = b.freqs.iter().filter(|f| !f.disabled).count();
        let first = b.freqs.first().map_or(0, |f| f.mhz);
        let last = b.freqs.last().map_or(0, |f| f.mhz);
        println!(
            "band wiphy={} id={:?} freqs={} enabled={} first_mhz={first} last_mhz={last} rates={} ht={} vht={}",
            w.name,
            b.id,
            b.freqs.len(),
            enabled,
            b.rates.len(),
            yes(b.has_ht()),
            yes(b.has_vht())
        );
    }
    for c in &w.combinations {
        let limits = c
            .limits
            .iter()
            .map(|l| format!("{}x{{{}}}", l.max, l.types.iter().map(|t| t.name().replace(' ', "_")).collect::<Vec<_>>().join(",")))
            .collect::<Vec<_>>()
            .join("+");
        println!("combination wiphy={} total={} channels={} limits={limits}", w.name, c.max_interfaces, c.num_channels);
    }
}

fn print_iface(i: &Interface) {
    println!(
        "iface wdev={:#x} ifindex={} name={} type={} mac={} wiphy={}",
        i.wdev,
        i.ifindex.map_or("none".into(), |x| x.to_string()),
        i.name.as_deref().unwrap_or("none"),
        i.iftype.name().replace(' ', "_"),
        mac(&i.mac),
        i.wiphy
    );
}

async fn drain_events(events: &mut Events, wait: Duration) {
    while let Ok(Some(e)) = tokio::time::timeout(wait, events.next()).await {
        let wdev = nl80211::attr!(e.attrs, Wdev).map_or("none".into(), |w| format!("{w:#x}"));
        println!("event cmd={:?} group={} wdev={wdev}", e.cmd, e.group.as_ref().map_or("unicast", |g| g.name()));
    }
}

async fn p2p_cycle(nl: &Nl80211, events: &mut Events, phy: u32, name: &str) -> Result<(), nl80211::Error> {
    let dev = nl.new_interface(phy, name, IfType::P2pDevice, NewInterfaceOpts::default()).await?;
    print!("created ");
    print_iface(&dev);
    let listed = nl.interfaces().await?;
    let found = listed.iter().any(|i| i.wdev == dev.wdev && i.iftype == IfType::P2pDevice && i.ifindex.is_none());
    println!("listed-after-create wdev={:#x} found={}", dev.wdev, yes(found));
    nl.start_p2p_device(dev.wdev).await?;
    println!("started wdev={:#x}", dev.wdev);
    // Starting twice is refused by the kernel: shows the errno path on a real request.
    match nl.start_p2p_device(dev.wdev).await {
        Ok(()) => println!("second-start ok"),
        Err(e) => println!("second-start error errno={} text={e}", e.errno().unwrap_or(0)),
    }
    nl.stop_p2p_device(dev.wdev).await?;
    println!("stopped wdev={:#x}", dev.wdev);
    nl.del_interface(IfTarget::Wdev(dev.wdev)).await?;
    println!("deleted wdev={:#x}", dev.wdev);
    let gone = !nl.interfaces().await?.iter().any(|i| i.wdev == dev.wdev);
    println!("listed-after-delete wdev={:#x} gone={}", dev.wdev, yes(gone));
    drain_events(events, Duration::from_millis(300)).await;
    Ok(())
}

async fn p2p_listen(nl: &Nl80211, events: &mut Events, phy: u32, ms: u32) -> Result<(), nl80211::Error> {
    use nl80211::frame::{RocEvent, RxFrame, frame_type};
    use nl80211::scan::ScanRequest;
    let opts = NewInterfaceOpts { socket_owner: true, ..NewInterfaceOpts::default() };
    let dev = nl.new_interface(phy, "p2p-dev-listen", IfType::P2pDevice, opts).await?;
    let target = IfTarget::Wdev(dev.wdev);
    nl.start_p2p_device(dev.wdev).await?;
    nl.register_frame(target, frame_type::PROBE_REQ, &[]).await?;
    let cookie = nl.remain_on_channel(target, 2412, ms).await?;
    println!("roc-requested cookie={cookie:#x} freq=2412 ms={ms}");
    let mut frames = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_millis(u64::from(ms) + 1500);
    while let Ok(Some(e)) = tokio::time::timeout_at(deadline, events.next()).await {
        if let Some(r) = RocEvent::from_event(&e) {
            println!("roc {} cookie={:#x} same_cookie={}", if r.started { "started" } else { "ended" }, r.cookie, yes(r.cookie == cookie));
            if !r.started {
                break;
            }
        } else if let Some(f) = RxFrame::from_event(&e) {
            frames += 1;
            if frames <= 3 {
                let sa: [u8; 6] = f.frame.get(10..16).and_then(|s| s.try_into().ok()).unwrap_or([0; 6]);
                println!(
                    "rx-frame type={:#04x} group={} freq={} from={}",
                    f.frame.first().copied().unwrap_or(0),
                    e.group.as_ref().map_or("unicast", |g| g.name()),
                    f.freq.unwrap_or(0),
                    mac(&sa)
                );
            }
        }
    }
    println!("rx-frames total={frames}");
    let req = ScanRequest {
        ssids: vec![b"DIRECT-".to_vec()],
        freqs: vec![2412, 2437, 2462],
        no_cck: true,
        ..ScanRequest::default()
    };
    nl.trigger_scan(target, &req).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while let Ok(Some(e)) = tokio::time::timeout_at(deadline, events.next()).await {
        if e.cmd == Command::NewScanResults || e.cmd == Command::ScanAborted {
            println!("scan-event cmd={:?} group={}", e.cmd, e.group.as_ref().map_or("unicast", |g| g.name()));
            break;
        }
    }
    let results = nl.scan_results(target).await?;
    println!("scan-results count={}", results.len());
    nl.stop_p2p_device(dev.wdev).await?;
    nl.del_interface(target).await
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (nl, mut events) = match Nl80211::connect().await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("connect: {e}");
            return ExitCode::FAILURE;
        }
    };
    let f = nl.family();
    println!(
        "family id={} version={} groups={}",
        f.id,
        f.version,
        f.groups.iter().map(|(n, i)| format!("{n}:{i}")).collect::<Vec<_>>().join(",")
    );
    let result = match args.first().map(String::as_str) {
        None => async {
            for w in nl.wiphys().await? {
                print_wiphy(&w);
            }
            for i in nl.interfaces().await? {
                print_iface(&i);
            }
            Ok(())
        }
        .await,
        Some("p2p-cycle") => {
            let phy = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
            let name = args.get(2).map_or("p2p-dev-nl", String::as_str);
            p2p_cycle(&nl, &mut events, phy, name).await
        }
        Some("owned") => {
            let phy = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
            let name = args.get(2).map_or("p2p-dev-own", String::as_str);
            let opts = NewInterfaceOpts { socket_owner: true, ..NewInterfaceOpts::default() };
            nl.new_interface(phy, name, IfType::P2pDevice, opts).await.map(|i| {
                print!("owned ");
                print_iface(&i);
            })
        }
        Some("p2p-listen") => {
            let phy = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
            let ms = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3000);
            p2p_listen(&nl, &mut events, phy, ms).await
        }
        Some("bad-ifname") => {
            let phy = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
            match nl.new_interface(phy, "averyveryverylongname0123456789", IfType::Station, NewInterfaceOpts::default()).await {
                Ok(i) => {
                    println!("unexpectedly created wdev={:#x}", i.wdev);
                    Ok(())
                }
                Err(e) => {
                    println!(
                        "bad-ifname errno={} ext_ack={} text={e}",
                        e.errno().unwrap_or(0),
                        match &e {
                            nl80211::Error::Kernel { message: Some(m), .. } => m.replace(' ', "_"),
                            _ => "none".into(),
                        }
                    );
                    Ok(())
                }
            }
        }
        Some(other) => {
            eprintln!("unknown command {other}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
