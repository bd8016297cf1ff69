#![allow(clippy::unwrap_used)]
//! The machine against a real invitation between two wpa_supplicants on mac80211_hwsim
//! (`wire/tests/data/wire-capture`): r0 (`wpas-0`, GO of `DIRECT-q6` on 2437 MHz, group
//! interface 06:00:00:00:00:00) invites r1 (`wpas-1`) with five Requests (tokens 1 to
//! 5), r1 answers the fifth with status 1 and tells its user
//! `P2P-INVITATION-RECEIVED ... unknown-network`.
//!
//! We play r1 and must answer r0's Request with r1's Response byte for byte (action body
//! and addresses) and report the same event; we play r0 and must send r0's Requests byte
//! for byte, and take r1's Response as status 1.

use std::time::Instant;

use super::*;
use crate::eapol::SeededRandom;
use crate::ieee80211::{MgmtBody, MgmtRepr};
use crate::p2p::wire::tests::pcap;
use crate::p2p::wire::{ChannelEntry, InvitationFlags};

const PCAP: &[u8] = include_bytes!("../wire/tests/data/wire-capture/air.pcap");
const EVENTS_1: &str = include_str!("../wire/tests/data/wire-capture/events-1.log");

fn r0() -> MacAddr {
    MacAddr([0x42, 0, 0, 0, 0, 0])
}

fn r1() -> MacAddr {
    MacAddr([0x42, 0, 0, 0, 1, 0])
}

/// The invitation frames in air order: five Requests, then the Response.
fn frames() -> Vec<MgmtRepr> {
    let v: Vec<MgmtRepr> = pcap::frames(PCAP)
        .into_iter()
        .filter(|c| c.frame[0] == 0xd0)
        .map(|c| MgmtRepr::parse_bytes(c.frame).unwrap())
        .filter(|m| {
            let b = body(m);
            P2pActionFrame::is_p2p(&b)
                && matches!(
                    P2pActionFrame::parse(&b).unwrap().kind,
                    InvitationRequest::KIND | InvitationResponse::KIND
                )
        })
        .collect();
    assert_eq!(v.len(), 6);
    v
}

fn body(m: &MgmtRepr) -> Vec<u8> {
    match &m.body {
        MgmtBody::Action(a) => a.to_bytes(),
        _ => Vec::new(),
    }
}

fn node(device_addr: MacAddr, desc: DeviceDescription) -> Inviter {
    let local = Local {
        device_addr,
        device: desc,
        device_capability: DeviceCapability::from_bits_retain(0x25),
        channels: ChannelList {
            country: *b"US\x04",
            entries: vec![ChannelEntry {
                op_class: 81,
                channels: (1..=11).collect(),
            }],
        },
        listen_channel: Channel {
            country: *b"US\x04",
            op_class: 81,
            channel: 1,
        },
        config_timeout: ConfigTimeout {
            go_10ms: 100,
            client_10ms: 20,
        },
        max_requests: DEFAULT_MAX_REQUESTS,
        stored: Vec::new(),
        group_iface_addr: MacAddr([0x06, 0, 0, 0, 0, 0x77]),
        running: Vec::new(),
        persistent_reconnect: true,
        groups_full: false,
        active_ssids: Vec::new(),
    };
    Inviter::new(local, Box::new(SeededRandom::new([1; 32])))
}

fn sent(m: &mut Inviter) -> (Vec<Tx>, Vec<Event>) {
    let mut txs = Vec::new();
    let mut evs = Vec::new();
    while let Some(o) = m.poll_output() {
        match o {
            Output::Send(tx) => txs.push(tx),
            Output::Event(e) => evs.push(e),
            _ => {}
        }
    }
    (txs, evs)
}

#[test]
fn as_invitee_we_answer_wpa_supplicants_request_as_wpa_supplicant_did() {
    let f = frames();
    let (req, resp) = (&f[4], &f[5]);
    let desc = InvitationRequest::parse_bytes(&body(req)).unwrap().device_info.desc;
    let mut m = node(r1(), desc);
    let now = Instant::now();
    m.handle_input(
        now,
        Input::Frame {
            sa: r0(),
            freq: 2437,
            body: body(req),
        },
    );
    let (txs, evs) = sent(&mut m);
    assert!(evs.is_empty());
    assert_eq!(txs.len(), 1);
    let ours = MgmtRepr::parse_bytes(&txs[0].frame).unwrap();
    assert_eq!(body(&ours), body(resp), "the Response, byte for byte");
    assert_eq!(
        (ours.header.addr1, ours.header.addr2, ours.header.addr3),
        (resp.header.addr1, resp.header.addr2, resp.header.addr3)
    );
    assert_eq!((txs[0].freq, txs[0].wait_ms), (2437, RESPONSE_WAIT_MS));
    m.handle_input(
        now,
        Input::TxStatus {
            id: txs[0].id,
            acked: true,
        },
    );
    let (_, evs) = sent(&mut m);
    let [Event::Received(r)] = &evs[..] else { panic!("{evs:?}") };
    assert_eq!(
        (r.sa, r.go_dev_addr, r.bssid, r.op_freq, &r.ssid[..], r.persistent),
        (
            r0(),
            r0(),
            Some(MacAddr([6, 0, 0, 0, 0, 0])),
            Some(2437),
            &b"DIRECT-q6"[..],
            false
        )
    );
    let text = crate::ctrl::Event::InvitationReceived(crate::ctrl::InvitationReceived::UnknownNetwork {
        sa: r.sa,
        go_dev_addr: r.go_dev_addr,
        bssid: r.bssid,
    })
    .to_string();
    assert!(
        EVENTS_1.lines().any(|l| l.split('\t').nth(1) == Some(&text[..])),
        "{text}"
    );
}

#[test]
fn as_inviting_go_we_send_wpa_supplicants_requests_and_take_its_answer() {
    let f = frames();
    let first = InvitationRequest::parse_bytes(&body(&f[0])).unwrap();
    assert_eq!(first.invitation_flags, InvitationFlags::empty());
    let mut m = node(r0(), first.device_info.desc.clone());
    let invite = Invite {
        peer: r1(),
        group: first.group_id.clone(),
        bssid: Some(MacAddr([6, 0, 0, 0, 0, 0])),
        op_channel: Some(Channel {
            country: *b"US\x04",
            op_class: 81,
            channel: 6,
        }),
        persistent: false,
        active_go: true,
    };
    let mut now = Instant::now();
    m.handle_input(
        now,
        Input::Invite {
            invite,
            peer_listen_freq: 2412,
        },
    );
    for captured in &f[..5] {
        let (txs, _) = sent(&mut m);
        assert_eq!(txs.len(), 1);
        let ours = MgmtRepr::parse_bytes(&txs[0].frame).unwrap();
        assert_eq!(body(&ours), body(captured), "Request, byte for byte");
        assert_eq!(
            (ours.header.addr1, ours.header.addr2, ours.header.addr3),
            (captured.header.addr1, captured.header.addr2, captured.header.addr3)
        );
        m.handle_input(
            now,
            Input::TxStatus {
                id: txs[0].id,
                acked: captured != &f[4],
            },
        );
        if captured == &f[4] {
            break;
        }
        // ACKed, no Response: 500 ms; then the GO's 120 ms on its channel.
        now = m.poll_timeout().unwrap();
        m.handle_timeout(now);
        now = m.poll_timeout().unwrap();
        m.handle_timeout(now);
    }
    m.handle_input(
        now,
        Input::Frame {
            sa: r1(),
            freq: 2412,
            body: body(&f[5]),
        },
    );
    let (txs, evs) = sent(&mut m);
    assert!(txs.is_empty());
    assert_eq!(
        evs,
        vec![Event::Result {
            op_freq: None,
            peer: r1(),
            result: Err(InviteFailure::Status(
                P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE
            ))
        }]
    );
}
