#![allow(clippy::unwrap_used)]
//! Scanning, frame registration and transmission, remain-on-channel: this crate's request
//! builders against wpa_supplicant's requests, and its event views against the kernel's
//! messages, all captured with nlmon in the hwsim guest during P2P discovery
//! (tests/data/README.md: wpas-r0.pcap, wpas-r1.pcap).

mod common;

use common::{Captured, read_pcap};
use nl80211::ctrl::decode_family;
use nl80211::frame::{self, FrameTx, RocEvent, RxFrame, TxStatus};
use nl80211::netlink::GENL_ID_CTRL;
use nl80211::scan::{self, ScanRequest};
use nl80211::{Bss, Command, Dispatch, Event, IfTarget, Message, dispatch::Routed};

const FILES: [&str; 2] = ["wpas-r0.pcap", "wpas-r1.pcap"];

fn nl80211_msgs(file: &str) -> Vec<Captured> {
    let all = read_pcap(file);
    let fam = all
        .iter()
        .filter(|m| !m.from_user && m.header.kind == GENL_ID_CTRL)
        .filter_map(|m| decode_family(m.payload()).ok())
        .find(|f| f.groups.iter().any(|(n, _)| n == "mlme"))
        .map(|f| f.id)
        .expect("wpa_supplicant resolved nl80211 in the capture");
    all.into_iter().filter(|m| m.header.kind == fam).collect()
}

fn decode(m: &Captured) -> Message {
    Message::decode_payload(m.payload()).unwrap_or_else(|e| panic!("packet {}: {e}", m.packet))
}

fn requests(msgs: &[Captured], cmd: Command) -> Vec<(Captured, Message)> {
    msgs.iter()
        .filter(|m| m.from_user && m.genl_cmd() == Some(cmd.number()))
        .map(|m| (m.clone(), decode(m)))
        .collect()
}

/// The kernel's reply to `req` (same port id and sequence number, not an event).
fn reply(msgs: &[Captured], req: &Captured) -> Option<Message> {
    msgs.iter()
        .find(|m| !m.from_user && m.header.seq == req.header.seq && m.header.pid == req.header.pid)
        .map(decode)
}

/// Our encoding equals wpa_supplicant's bytes after the netlink header, whose pid libnl
/// sets and whose version byte it fills with 0 too.
fn assert_same_payload(ours: &Message, theirs: &Captured) {
    assert_eq!(hex::encode(ours.encode_payload()), hex::encode(theirs.payload()), "packet {}", theirs.packet);
}

#[test]
fn register_frame_requests_equal_wpa_supplicants() {
    let mut n = 0;
    for f in FILES {
        let msgs = nl80211_msgs(f);
        for (raw, m) in requests(&msgs, Command::RegisterFrame) {
            let target = IfTarget::from_attrs(&m.attrs).expect("target");
            let ftype = *nl80211::attr!(m.attrs, FrameType).expect("type");
            let matching = nl80211::attr!(m.attrs, FrameMatch).expect("match");
            assert_same_payload(&frame::register_frame_request(target, ftype, matching), &raw);
            n += 1;
        }
    }
    assert!(n > 100, "{n} registrations");
}

#[test]
fn frame_tx_requests_equal_wpa_supplicants_and_their_status_comes_back() {
    let (mut sent, mut acked) = (0, 0);
    for f in FILES {
        let msgs = nl80211_msgs(f);
        for (raw, m) in requests(&msgs, Command::Frame) {
            let (target, tx) = FrameTx::from_message(&m).expect("frame tx");
            assert_same_payload(&frame::frame_request(target, &tx), &raw);
            // The P2P Device answers probes itself (Probe Response, 0x50) and negotiates
            // with P2P public action frames: Action (0xd0), category Public (4), vendor
            // specific (9), Wi-Fi Alliance OUI 50:6f:9a, type P2P (9).
            match tx.frame[0] {
                0x50 => assert!(tx.dont_wait_for_ack && tx.no_cck),
                0xd0 => assert_eq!(&tx.frame[24..30], &[4, 9, 0x50, 0x6f, 0x9a, 9]),
                other => panic!("frame control {other:#x}"),
            }
            sent += 1;
            if tx.dont_wait_for_ack {
                continue;
            }
            let cookie = frame::reply_cookie(&[reply(&msgs, &raw).expect("FRAME reply")]).expect("cookie");
            let status = msgs
                .iter()
                .filter(|m| !m.from_user && m.header.seq == 0)
                .map(decode)
                .map(|d| Event { cmd: d.cmd, attrs: d.attrs, group: None })
                .find_map(|e| TxStatus::from_event(&e).filter(|s| s.cookie == cookie))
                .expect("FRAME_TX_STATUS for the cookie");
            assert_eq!(status.frame, tx.frame);
            acked += usize::from(status.ack);
        }
    }
    assert!(sent >= 10 && acked >= 1, "{sent} sent, {acked} acked");
}

#[test]
fn received_action_frames_are_unsolicited_events() {
    let mut n = 0;
    for f in FILES {
        let mut d = Dispatch::new();
        let msgs = nl80211_msgs(f);
        d.set_family(msgs[0].header.kind);
        for m in msgs.iter().filter(|m| !m.from_user && m.header.seq == 0 && m.genl_cmd() == Some(Command::Frame.number())) {
            let routed = d.on_datagram(&m.bytes, &[]);
            let [Routed::Event(e)] = routed.as_slice() else { panic!("{routed:?}") };
            assert_eq!(e.group, None);
            let rx = RxFrame::from_event(e).expect("rx frame");
            assert!([2412, 2437, 2462].contains(&rx.freq.expect("freq")), "social channel");
            assert!(rx.signal_dbm.is_some() && rx.wdev.is_some() && rx.ifindex.is_none());
            // Probe Requests (0x40) and Action frames (0xd0): the types wpa_supplicant registered.
            assert!([0x40, 0xd0].contains(&rx.frame[0]), "{:#x}", rx.frame[0]);
            n += 1;
        }
    }
    assert!(n >= 10, "{n}");
}

#[test]
fn remain_on_channel_requests_replies_and_events() {
    let mut n = 0;
    for f in FILES {
        let msgs = nl80211_msgs(f);
        let events: Vec<RocEvent> = msgs
            .iter()
            .filter(|m| !m.from_user && m.header.seq == 0)
            .map(decode)
            .filter_map(|d| RocEvent::from_event(&Event { cmd: d.cmd, attrs: d.attrs, group: None }))
            .collect();
        for (raw, m) in requests(&msgs, Command::RemainOnChannel) {
            let target = IfTarget::from_attrs(&m.attrs).expect("target");
            let freq = *nl80211::attr!(m.attrs, WiphyFreq).expect("freq");
            let dur = *nl80211::attr!(m.attrs, Duration).expect("duration");
            assert_same_payload(&frame::remain_on_channel_request(target, freq, dur), &raw);
            let cookie = frame::reply_cookie(&[reply(&msgs, &raw).expect("reply")]).expect("cookie");
            let start = events.iter().find(|e| e.cookie == cookie && e.started).expect("ROC started event");
            assert_eq!((start.freq, start.duration_ms), (Some(freq), Some(dur)));
            n += 1;
        }
        for (raw, m) in requests(&msgs, Command::CancelRemainOnChannel) {
            let target = IfTarget::from_attrs(&m.attrs).expect("target");
            let cookie = *nl80211::attr!(m.attrs, Cookie).expect("cookie");
            assert_same_payload(&frame::cancel_remain_on_channel_request(target, cookie), &raw);
        }
        for (raw, m) in requests(&msgs, Command::FrameWaitCancel) {
            let target = IfTarget::from_attrs(&m.attrs).expect("target");
            let cookie = *nl80211::attr!(m.attrs, Cookie).expect("cookie");
            assert_same_payload(&frame::frame_wait_cancel_request(target, cookie), &raw);
        }
    }
    assert!(n >= 20, "{n}");
}

#[test]
fn trigger_scan_requests_equal_wpa_supplicants() {
    let mut n = 0;
    for f in FILES {
        for (raw, m) in requests(&nl80211_msgs(f), Command::TriggerScan) {
            let (target, req) = ScanRequest::from_message(&m).expect("scan request");
            assert_same_payload(&scan::trigger_scan_request(target, &req), &raw);
            // P2P search: the P2P wildcard SSID "DIRECT-" (or a group's "DIRECT-xy..."),
            // no CCK rates, a P2P IE among the IEs.
            assert!(req.ssids.len() == 1 && req.ssids[0].starts_with(b"DIRECT-"), "{:?}", req.ssids);
            assert!(req.no_cck && !req.supp_rates.is_empty());
            assert!(req.ies.windows(4).any(|w| w == [0x50, 0x6f, 0x9a, 0x09]));
            n += 1;
        }
    }
    assert!(n >= 10, "{n}");
}

#[test]
fn scan_results_carry_the_peers_p2p_ie() {
    // r0 found r1's P2P device 42:00:00:00:01:00 and r1 found r0's 42:00:00:00:00:00
    // (the P2P-DEVICE-FOUND events of the capture run).
    for (f, peer) in [("wpas-r0.pcap", [0x42, 0, 0, 0, 1, 0]), ("wpas-r1.pcap", [0x42, 0, 0, 0, 0, 0])] {
        let msgs = nl80211_msgs(f);
        let results: Vec<Message> = msgs
            .iter()
            .filter(|m| !m.from_user && m.header.seq != 0 && m.genl_cmd() == Some(Command::NewScanResults.number()))
            .map(decode)
            .collect();
        let bss = Bss::from_messages(&results);
        let found = bss.iter().find(|b| b.bssid == peer).unwrap_or_else(|| panic!("{f}: peer not in {bss:?}"));
        assert!([2412, 2437, 2462].contains(&found.freq));
        assert!(found.ies.starts_with(&[0, 7]) && found.ies[2..9] == *b"DIRECT-", "SSID element first");
        assert!(found.ies.windows(4).any(|w| w == [0x50, 0x6f, 0x9a, 0x09]), "P2P IE");
        assert!(found.signal_mbm.is_some());
    }
}

/// No capture holds an ABORT_SCAN (wpa_supplicant sent none in those runs): the bytes
/// from nl80211.h instead, command 114 and the wdev (attribute 153, u64).
#[test]
fn abort_scan_request_bytes() {
    let m = scan::abort_scan_request(IfTarget::Wdev(0x1_0000_0002));
    let p = m.encode_payload();
    assert_eq!(p[0], 114);
    assert_eq!(hex::encode(&p[4..]), "0c0099000200000001000000");
}
