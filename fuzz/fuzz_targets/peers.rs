//! The peer table fed scanned BSSes (P2P GO beacons / probe responses as nl80211 hands
//! them over): arbitrary IEs never panic, and a reported device is then in the table.
#![no_main]
use std::time::{Duration, Instant};

use directd::ieee80211::MacAddr;
use directd::p2p::peers::{BssSighting, Peers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut peers = Peers::default();
    let now = Instant::now();
    // The same IEs seen from two BSSIDs, then once more (a later sighting).
    for (i, bssid) in [[2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2], [2, 0, 0, 0, 0, 1]].into_iter().enumerate() {
        let at = now + Duration::from_secs(i as u64);
        let sighting = BssSighting { bssid: MacAddr(bssid), freq: 2412, ies: data, signal_dbm: Some(-40), age: None };
        if let Some(found) = peers.on_bss(at, sighting) {
            let _ = format!("{found:?}");
            assert!(!peers.is_empty());
        }
    }
    let mut cur = peers.first().map(|p| p.dev_addr);
    let mut n = 0;
    while let Some(addr) = cur.take() {
        n += 1;
        assert!(n <= peers.len(), "next_after walks each peer once");
        cur = peers.next_after(&addr).map(|p| p.dev_addr);
    }
    let _ = peers.group_freqs();
    peers.expire(now + Duration::from_secs(3600));
});
