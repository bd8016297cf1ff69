//! `directd phys`: every wiphy and its P2P-relevant capabilities, for a person to read.

use std::fmt::Write as _;

use nl80211::{Interface, Wiphy};

use super::device::missing_capabilities;
use crate::ctrl::MacAddr;

/// Prints the report to stdout.
pub fn phys() -> anyhow::Result<()> {
    super::runtime()?.block_on(async {
        let (nl, _events) = super::connect().await?;
        let wiphys = nl.wiphys().await?;
        let ifaces = nl.interfaces().await?;
        if wiphys.is_empty() {
            println!("no wireless devices (wiphys) found");
        }
        for w in &wiphys {
            print!("{}", describe(w, &ifaces));
        }
        Ok(())
    })
}

/// One wiphy's report.
pub fn describe(w: &Wiphy, ifaces: &[Interface]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} (wiphy {})", w.name, w.index);
    let missing = missing_capabilities(w);
    if missing.is_empty() {
        let _ = writeln!(out, "  P2P: supported (P2P-device, P2P-GO, P2P-client, remain-on-channel)");
    } else {
        let _ = writeln!(out, "  P2P: NOT usable, missing {}", missing.join(", "));
    }
    let types: Vec<String> = w.iftypes.iter().map(|t| format!("{t:?}")).collect();
    let _ = writeln!(out, "  interface types: {}", types.join(", "));
    if !w.software_iftypes.is_empty() {
        let sw: Vec<String> = w.software_iftypes.iter().map(|t| format!("{t:?}")).collect();
        let _ = writeln!(out, "  software interface types: {}", sw.join(", "));
    }
    for c in &w.combinations {
        let limits: Vec<String> = c
            .limits
            .iter()
            .map(|l| {
                let types: Vec<String> = l.types.iter().map(|t| format!("{t:?}")).collect();
                format!("#{{{}}} <= {}", types.join(", "), l.max)
            })
            .collect();
        let _ = writeln!(out, "  combination: {}; total <= {}, #channels <= {}", limits.join(", "), c.max_interfaces, c.num_channels);
    }
    match w.max_remain_on_channel_ms {
        Some(ms) => {
            let _ = writeln!(out, "  remain-on-channel: up to {ms} ms");
        }
        None => {
            let _ = writeln!(out, "  remain-on-channel: no maximum reported");
        }
    }
    if let Some(n) = w.max_scan_ie_len {
        let _ = writeln!(out, "  scan IEs: up to {n} bytes");
    }
    for b in &w.bands {
        let usable: Vec<&nl80211::Freq> = b.freqs.iter().filter(|f| !f.disabled).collect();
        let (lo, hi) = (usable.iter().map(|f| f.mhz).min(), usable.iter().map(|f| f.mhz).max());
        let no_ir = usable.iter().filter(|f| f.no_ir).count();
        match (lo, hi) {
            (Some(lo), Some(hi)) => {
                let _ = writeln!(
                    out,
                    "  band {:?}: {} usable channels {lo}-{hi} MHz ({no_ir} no-IR), {} disabled",
                    b.id,
                    usable.len(),
                    b.freqs.len() - usable.len()
                );
            }
            _ => {
                let _ = writeln!(out, "  band {:?}: no usable channels", b.id);
            }
        }
    }
    for i in ifaces.iter().filter(|i| i.wiphy == w.index) {
        let _ = writeln!(
            out,
            "  interface {} ({:?}, {}, wdev {:#x})",
            i.name.as_deref().unwrap_or("<no netdev>"),
            i.iftype,
            MacAddr(i.mac),
            i.wdev
        );
    }
    out
}
