//! The machine against the real GO negotiation of two wpa_supplicants on
//! mac80211_hwsim (`wire/tests/data/harness-selftest`): r0 (`wpas-0`, GO intent 15)
//! sends a Request, r1 (`wpas-1`, intent 0, not yet authorised) answers status 1; r1's
//! user accepts and r1 sends its own Request (twice: the first was not heard), r0
//! answers success as GO on 5745 MHz with `DIRECT-iZ`, r1 confirms. PBC.
//!
//! We play r0, then r1, feed each the peer's captured frames, and require our frames to
//! be wpa_supplicant's byte for byte (action body and addresses), except r1's status-1
//! Response, where wpa_supplicant sends placeholder channels (checked by attribute).

use std::time::{Duration, Instant};

use super::*;
use crate::eapol::ScriptedRandom;
use crate::ieee80211::{MgmtBody, MgmtRepr};
use crate::p2p::wire::tests::pcap;
use crate::p2p::wire::{Attribute, P2pIe};

const PCAP: &[u8] = include_bytes!("../../wire/tests/data/harness-selftest/air.pcap");
const EVENTS_0: &str = include_str!("../../wire/tests/data/harness-selftest/events-0.log");
const EVENTS_1: &str = include_str!("../../wire/tests/data/harness-selftest/events-1.log");

fn mac(s: &str) -> MacAddr {
    s.parse().expect("mac")
}

fn r0() -> MacAddr {
    mac("42:00:00:00:00:00")
}

fn r1() -> MacAddr {
    mac("42:00:00:00:01:00")
}

/// The six GO negotiation frames in air order: req0, resp1 (status 1), req1, req1 again,
/// resp0, conf1.
fn frames() -> Vec<MgmtRepr> {
    let v: Vec<MgmtRepr> = pcap::frames(PCAP)
        .into_iter()
        .filter(|c| c.frame[0] == 0xd0)
        .map(|c| MgmtRepr::parse_bytes(c.frame).expect("management frame"))
        .filter(|m| matches!(&m.body, MgmtBody::Action(a) if P2pActionFrame::is_p2p(&a.to_bytes())))
        .collect();
    assert_eq!(v.len(), 6);
    v
}

fn body(m: &MgmtRepr) -> Vec<u8> {
    match &m.body {
        MgmtBody::Action(a) => a.to_bytes(),
        _ => unreachable!("filtered on action frames"),
    }
}

/// Our frame equals the captured one: same addresses, same action body.
fn assert_same_frame(ours: &Tx, captured: &MgmtRepr, what: &str) {
    let m = MgmtRepr::parse_bytes(&ours.frame).expect("our frame parses");
    assert_eq!(
        (m.header.addr1, m.header.addr2, m.header.addr3),
        (
            captured.header.addr1,
            captured.header.addr2,
            captured.header.addr3
        ),
        "{what}: addresses"
    );
    assert_eq!(
        hex::encode(body(&m)),
        hex::encode(body(captured)),
        "{what}: action body"
    );
}

/// One device of the capture, its fields read from its own Request.
fn local_from(req: &GoNegRequest, iface: MacAddr) -> Local {
    let mut device = req.device_info.desc.clone();
    // What wpa_supplicant announces while not negotiating (r1's status-1 Response).
    device.config_methods = ConfigMethods::from_bits_retain(0x188);
    Local {
        device_addr: req.device_info.device_addr,
        interface_addr: iface,
        device,
        device_capability: req.capability.device,
        group_capability: req.capability.group,
        channels: req.channel_list.clone(),
        listen_channel: req.listen_channel,
        op_channel: req.operating_channel,
        // The harness runs wpa_supplicant with p2p_go_intent = its connect intent.
        go_intent: req.go_intent.intent,
        config_timeout: req.config_timeout,
        max_requests: DEFAULT_MAX_REQUESTS,
    }
}

fn request(m: &MgmtRepr) -> GoNegRequest {
    GoNegRequest::parse_bytes(&body(m)).expect("captured Request")
}

fn feed(n: &mut GoNegotiator, now: Instant, from: &MgmtRepr) -> Vec<Output> {
    n.handle_input(
        now,
        Input::Frame {
            sa: from.header.addr2,
            freq: 2462,
            body: body(from),
        },
    );
    drain(n)
}

fn ack(n: &mut GoNegotiator, now: Instant, tx: &Tx) -> Vec<Output> {
    n.handle_input(
        now,
        Input::TxStatus {
            id: tx.id,
            acked: true,
        },
    );
    drain(n)
}

fn only_tx(outs: &[Output]) -> Tx {
    let tx = sent(outs);
    assert_eq!(tx.len(), 1, "{outs:?}");
    tx[0].clone()
}

/// The line of an events log that starts with `prefix`.
fn event_line<'a>(log: &'a str, prefix: &str) -> &'a str {
    log.lines()
        .filter_map(|l| l.split_once('\t').map(|(_, e)| e))
        .find(|e| e.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} in the log"))
}

#[test]
fn as_r0_our_request_and_go_response_are_wpa_supplicants() {
    let f = frames();
    let t0 = Instant::now();
    // Bytes drawn: the initial tie breaker, then the SSID's two characters: index 34
    // of [A-Za-z0-9] is 'i', 25 is 'Z'.
    let rng = ScriptedRandom::new([vec![0], vec![34], vec![25]]);
    let mut n = GoNegotiator::new(
        local_from(&request(&f[0]), mac("46:00:00:00:00:00")),
        Box::new(rng),
    );
    n.handle_input(
        t0,
        Input::Initiate {
            connect: Connect {
                peer: r1(),
                method: WpsMethod::Pbc,
                go_intent: 15,
                forced_freq: None,
                persistent: false,
                ssid: None,
            },
            peer_listen_freq: 2462,
            tie_breaker: Some(false),
        },
    );
    let outs = drain(&mut n);
    let req = only_tx(&outs);
    assert_eq!(
        (req.kind, req.freq, req.wait_ms, req.da),
        (FrameType::Request, 2462, REQUEST_WAIT_MS, r1())
    );
    assert_same_frame(&req, &f[0], "r0's Request");
    assert!(ack(&mut n, t0, &req).is_empty());

    // r1 is not ready: status 1, wait for its Request.
    let t1 = t0 + Duration::from_millis(44);
    assert!(sent(&feed(&mut n, t1, &f[1])).is_empty());
    assert_eq!(n.state_name(), "WAIT_PEER_REQUEST");

    // r1's Request: answered as GO, byte for byte r0's Response.
    let t2 = t1 + Duration::from_millis(400);
    let outs = feed(&mut n, t2, &f[3]);
    let resp = only_tx(&outs);
    assert_eq!(
        (resp.kind, resp.freq, resp.wait_ms, resp.da),
        (FrameType::Response, 2462, RESPONSE_WAIT_MS, r1())
    );
    assert_same_frame(&resp, &f[4], "r0's Response");
    assert_eq!(n.state_name(), "WAIT_CONFIRM");

    // r1's Confirm: 20 ms on channel, then success as events-0.log says.
    let t3 = t2 + Duration::from_millis(40);
    assert!(feed(&mut n, t3, &f[5]).is_empty());
    assert_eq!(n.poll_timeout(), Some(t3 + CONFIRM_SETTLE));
    n.handle_timeout(t3 + CONFIRM_SETTLE);
    let ev = events(&drain(&mut n));
    let [Event::Success(s)] = &ev[..] else {
        panic!("{ev:?}")
    };
    assert_eq!(
        crate::ctrl::Event::from(&ev[0]).to_string(),
        event_line(EVENTS_0, "P2P-GO-NEG-SUCCESS")
    );
    assert_eq!(s.ssid, b"DIRECT-iZ");
    assert_eq!(
        s.formation_timeout,
        Duration::from_millis(15_200),
        "15 s + r1's client timeout 20 x 10 ms"
    );
    assert!(n.outcome().is_some_and(|o| o.is_ok()));
}

#[test]
fn as_r1_not_ready_then_initiator_our_frames_are_wpa_supplicants() {
    let f = frames();
    let t0 = Instant::now();
    let rng = ScriptedRandom::new([vec![0]]);
    let mut n = GoNegotiator::new(
        local_from(&request(&f[2]), mac("46:00:00:00:01:00")),
        Box::new(rng),
    );

    // r0's Request before our user accepted: status 1 and P2P-GO-NEG-REQUEST.
    let outs = feed(&mut n, t0, &f[0]);
    let ev = events(&outs);
    assert_eq!(ev.len(), 1);
    assert_eq!(
        crate::ctrl::Event::from(&ev[0]).to_string(),
        event_line(EVENTS_1, "P2P-GO-NEG-REQUEST")
    );
    let resp = only_tx(&outs);
    let ours =
        GoNegResponse::parse_bytes(&body(&MgmtRepr::parse_bytes(&resp.frame).expect("frame")))
            .expect("our Response parses");
    let theirs = GoNegResponse::parse_bytes(&body(&f[1])).expect("captured Response");
    // Same attributes in the same order; the values differ only where wpa_supplicant
    // sends placeholders (operating channel 0/0, interface address 0, no channels).
    let ids =
        |r: &GoNegResponse| -> Vec<_> { r.p2p_ie().attributes.iter().map(Attribute::id).collect() };
    assert_eq!(ids(&ours), ids(&theirs));
    assert_eq!(ours.status, P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE);
    assert_eq!(
        ours.go_intent, theirs.go_intent,
        "intent 0, tie breaker inverted"
    );
    assert_eq!(ours.capability, theirs.capability);
    assert_eq!(ours.config_timeout, theirs.config_timeout);
    assert_eq!(ours.device_info, theirs.device_info);
    assert_eq!(ours.wsc, theirs.wsc, "Device Password ID 0 (not ready)");
    assert_eq!(ours.dialog_token, theirs.dialog_token);
    assert_eq!(n.state_name(), "IDLE");

    // Our user accepts: P2P_CONNECT r0 pbc go_intent=0. Byte for byte r1's Request.
    let t1 = t0 + Duration::from_millis(200);
    n.handle_input(
        t1,
        Input::Initiate {
            connect: Connect {
                peer: r0(),
                method: WpsMethod::Pbc,
                go_intent: 0,
                forced_freq: None,
                persistent: false,
                ssid: None,
            },
            peer_listen_freq: 2462,
            tie_breaker: Some(false),
        },
    );
    let req = only_tx(&drain(&mut n));
    assert_same_frame(&req, &f[2], "r1's Request");
    assert_eq!(f[2].body, f[3].body, "the retry is the same frame");
    assert!(ack(&mut n, t1, &req).is_empty());

    // r0's Response: our Confirm is r1's, byte for byte.
    let t2 = t1 + Duration::from_millis(50);
    let outs = feed(&mut n, t2, &f[4]);
    let conf = only_tx(&outs);
    assert_eq!(
        (conf.kind, conf.freq, conf.wait_ms, conf.da),
        (FrameType::Confirm, 2462, CONFIRM_WAIT_MS, r0())
    );
    assert_same_frame(&conf, &f[5], "r1's Confirm");
    assert!(
        events(&outs).is_empty(),
        "success waits for the Confirm's ACK"
    );

    let ev = events(&ack(&mut n, t2, &conf));
    let [Event::Success(s)] = &ev[..] else {
        panic!("{ev:?}")
    };
    assert_eq!(
        crate::ctrl::Event::from(&ev[0]).to_string(),
        event_line(EVENTS_1, "P2P-GO-NEG-SUCCESS")
    );
    assert_eq!(s.ssid, b"DIRECT-iZ", "from r0's Group ID");
    assert_eq!(
        s.formation_timeout,
        Duration::from_secs(16),
        "15 s + r0's GO timeout 100 x 10 ms"
    );
}

#[test]
fn captured_request_without_our_authorisation_keeps_wsc_to_three_attributes() {
    // The WSC IE of every captured Request/Response is Version, Device Password ID and
    // the WFA extension, as wsc_payload builds it.
    for (i, m) in frames().iter().enumerate().take(5) {
        let f = P2pActionFrame::parse(&body(m)).expect("frame");
        let wsc = f.wsc_payload().expect("WSC IE");
        assert_eq!(wsc, wsc_payload(password_id(&wsc)), "frame {i}");
        assert!(P2pIe::from_ies(&f.ies).expect("P2P IE").is_some());
    }
}
