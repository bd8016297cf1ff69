//! A real wpa_supplicant-to-wpa_supplicant P2P group formation captured on
//! mac80211_hwsim by the project's harness (`data/harness-selftest/README.md`). Every
//! management frame must parse and re-emit byte for byte; the fields of the
//! discovery, GO negotiation, beacon and association frames must say what
//! wpa_supplicant logged (`events-*.log`, `wpas-excerpt.log`, cited by line).

use super::pcap::{self, Captured};
use crate::ieee80211::vendor::{self, VendorType};
use crate::ieee80211::{self, *};
use crate::p2p::wire::types::class_of;
use crate::p2p::wire::*;

const PCAP: &[u8] = include_bytes!("data/harness-selftest/air.pcap");
/// Country string wpa_supplicant sends with `country=US`: "US\x04" (global classes).
const US: [u8; 3] = *b"US\x04";

fn mac(s: &str) -> MacAddr {
    s.parse().expect("mac")
}

fn mgmt() -> Vec<(usize, MgmtRepr)> {
    pcap::frames(PCAP)
        .into_iter()
        .filter(|c| c.frame.len() >= 2 && c.frame[0] & 0x0c == 0)
        .map(|Captured { index, frame }| (index, MgmtRepr::parse_bytes(frame).expect("mgmt frame")))
        .collect()
}

fn p2p_messages() -> Vec<(MacAddr, P2pMessage)> {
    mgmt()
        .into_iter()
        .filter_map(|(_, m)| match m.body {
            MgmtBody::Action(a) if P2pActionFrame::is_p2p(&a.to_bytes()) => Some((
                m.header.addr2,
                P2pMessage::parse(&a.to_bytes()).expect("P2P frame"),
            )),
            _ => None,
        })
        .collect()
}

fn p2p_ie(body: &MgmtBody) -> P2pIe {
    P2pIe::from_ies(body.ies().expect("elements"))
        .expect("P2P IE parses")
        .expect("P2P IE present")
}

#[test]
fn every_management_frame_parses_and_reemits() {
    let frames = pcap::frames(PCAP);
    let (mut n_mgmt, mut n_p2p_ie, mut n_p2p_action) = (0, 0, 0);
    for c in &frames {
        if c.frame[0] & 0x0c != 0 {
            continue; // control and data frames
        }
        n_mgmt += 1;
        let repr = MgmtRepr::parse_bytes(c.frame).unwrap_or_else(|e| panic!("#{}: {e}", c.index));
        let mut out = vec![0xa5; repr.buffer_len()];
        assert_eq!(repr.emit(&mut out), Ok(c.frame.len()), "#{}", c.index);
        assert_eq!(out, c.frame, "#{} re-emits byte for byte", c.index);
        if let Some(ies) = repr.body.ies() {
            Elements::validate(ies).unwrap_or_else(|e| panic!("#{}: {e}", c.index));
            for ie in Ie::iter(ies) {
                ie.unwrap_or_else(|e| panic!("#{}: {e}", c.index));
            }
            if let Some(ie) = P2pIe::from_ies(ies).unwrap_or_else(|e| panic!("#{}: {e}", c.index)) {
                n_p2p_ie += 1;
                let payload = vendor::concat_payload(ies, VendorType::P2P).expect("present");
                assert_eq!(ie.to_payload().expect("emit"), payload, "#{}", c.index);
            }
        }
        if let MgmtBody::Action(a) = &repr.body {
            let body = a.to_bytes();
            if P2pActionFrame::is_p2p(&body) {
                n_p2p_action += 1;
                let msg = P2pMessage::parse(&body).unwrap_or_else(|e| panic!("#{}: {e}", c.index));
                assert_eq!(msg.to_bytes().expect("emit"), body, "#{}", c.index);
            }
        }
    }
    assert_eq!(frames.len(), 281);
    assert!(n_mgmt > 150, "{n_mgmt} management frames");
    assert!(n_p2p_ie > 100, "{n_p2p_ie} frames with a P2P IE");
    assert_eq!(
        n_p2p_action, 6,
        "GO negotiation: req, resp(1), req x2, resp, conf"
    );
}

#[test]
fn discovery_frames_match_p2p_device_found() {
    let frames = mgmt();
    // Probe requests of both P2P devices during p2p_find: wildcard SSID, OFDM rates,
    // P2P capability 0x25 and listen channel 81/11 (wpas-0.log:423 "Listen Channel:
    // Regulatory Class 81 Channel 11"), WSC device name.
    let preq = frames
        .iter()
        .find(|(_, m)| {
            m.body.subtype() == MgmtSubtype::PROBE_REQ && m.header.addr2 == mac("42:00:00:00:00:00")
        })
        .map(|(_, m)| m)
        .expect("probe request from r0");
    let ies = preq.body.ies().expect("ies");
    assert_eq!(
        Elements::find(ies, ElementId::SSID).map(|e| e.data),
        Some(&b"DIRECT-"[..])
    );
    let rates = Elements::find(ies, ElementId::SUPPORTED_RATES).expect("rates");
    assert_eq!(
        ieee80211::ie::rates(rates.data).collect::<Vec<_>>(),
        Rate::OFDM.to_vec()
    );
    let ie = p2p_ie(&preq.body);
    assert_eq!(ie.capability().map(|c| c.device.bits()), Some(0x25));
    assert_eq!(
        ie.listen_channel(),
        Some(&Channel {
            country: US,
            op_class: 81,
            channel: 11
        })
    );
    let wsc = vendor::concat_payload(ies, VendorType::WSC).expect("WSC IE");
    assert!(
        wsc.windows(10).any(|w| w == b"\x10\x11\x00\x06wpas-0"),
        "WSC device name"
    );

    // r1's probe response to r0. events-0.log: "P2P-DEVICE-FOUND 42:00:00:00:01:00
    // p2p_dev_addr=42:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='wpas-1'
    // config_methods=0x188 dev_capab=0x25 group_capab=0x0".
    let presp = frames
        .iter()
        .find(|(_, m)| {
            m.body.subtype() == MgmtSubtype::PROBE_RESP
                && m.header.addr2 == mac("42:00:00:00:01:00")
        })
        .map(|(_, m)| m)
        .expect("probe response from r1");
    assert_eq!(presp.header.addr1, mac("42:00:00:00:00:00"));
    let ie = p2p_ie(&presp.body);
    let cap = ie.capability().expect("capability");
    assert_eq!((cap.device.bits(), cap.group.bits()), (0x25, 0x00));
    let di = ie.device_info().expect("device info");
    assert_eq!(di.device_addr, mac("42:00:00:00:01:00"));
    assert_eq!(di.desc.primary_type, DeviceType::new(1, 1), "1-0050F204-1");
    assert_eq!(di.desc.name, b"wpas-1");
    assert_eq!(di.desc.config_methods.bits(), 0x188);
}

#[test]
fn go_negotiation_matches_wpa_supplicant_logs() {
    let msgs = p2p_messages();
    let r0 = mac("42:00:00:00:00:00");
    let r1 = mac("42:00:00:00:01:00");
    let [
        (s0, P2pMessage::GoNegRequest(req0)),
        (s1, P2pMessage::GoNegResponse(resp1)),
        (s2, P2pMessage::GoNegRequest(req1)),
        (_, P2pMessage::GoNegRequest(req1_again)),
        (s4, P2pMessage::GoNegResponse(resp0)),
        (s5, P2pMessage::GoNegConfirmation(conf)),
    ] = &msgs[..]
    else {
        panic!("unexpected P2P frame sequence: {msgs:?}")
    };
    assert_eq!([*s0, *s1, *s2, *s4, *s5], [r0, r1, r1, r0, r1]);
    assert_eq!(req1, req1_again, "retransmission");

    // r0's request: wpas-0.log:1011-1020.
    assert_eq!(req0.dialog_token, 1);
    assert_eq!(
        (req0.capability.device.bits(), req0.capability.group.bits()),
        (0x25, 0x08)
    );
    assert_eq!(
        req0.go_intent,
        GoIntent {
            intent: 15,
            tie_breaker: false
        }
    );
    assert_eq!(
        req0.config_timeout,
        ConfigTimeout {
            go_10ms: 100,
            client_10ms: 20
        }
    );
    assert_eq!(
        req0.listen_channel,
        Channel {
            country: US,
            op_class: 81,
            channel: 11
        }
    );
    assert_eq!(req0.intended_interface_addr, mac("46:00:00:00:00:00"));
    assert_eq!(
        req0.operating_channel,
        Channel {
            country: US,
            op_class: 128,
            channel: 153
        }
    );
    // wpas-0.log:1018 "Channel List - hexdump(len=72): 55 53 04 51 0b 01 .. 0b 73 04 ..".
    let cl = &req0.channel_list;
    assert_eq!(cl.country, US);
    let classes: Vec<u8> = cl.entries.iter().map(|e| e.op_class).collect();
    assert_eq!(classes, [81, 115, 116, 117, 124, 125, 126, 127, 128, 130]);
    assert_eq!(cl.entries[0].channels, (1..=11).collect::<Vec<u8>>());
    assert!(cl.contains(124, 149) && cl.contains(125, 165));
    let freqs = cl.freqs();
    assert_eq!(
        &freqs[..11],
        (2412..=2462).step_by(5).collect::<Vec<u32>>().as_slice()
    );
    assert_eq!(
        &freqs[11..],
        [5180, 5200, 5220, 5240, 5745, 5765, 5785, 5805, 5825]
    );
    // wpas-1.log:1026 "Device Info: addr 42:00:00:00:00:00 primary device type
    // 1-0050F204-1 device name 'wpas-0' config methods 0x80"; WSC Device Password ID 4
    // (PBC, wpas-1.log:1010).
    assert_eq!(req0.device_info.device_addr, r0);
    assert_eq!(req0.device_info.desc.name, b"wpas-0");
    assert_eq!(
        req0.device_info.desc.config_methods,
        ConfigMethods::PUSH_BUTTON
    );
    assert!(
        req0.wsc
            .windows(6)
            .any(|w| w == [0x10, 0x12, 0x00, 0x02, 0x00, 0x04])
    );

    // r1's "not yet" answer: wpas-1.log:1036-1045 (Status 1, Intent 0 Tie breaker 1,
    // Operating Channel class 0 channel 0, intended address 00:..:00, password ID 0).
    assert_eq!(resp1.status, P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE);
    assert_eq!(
        resp1.go_intent,
        GoIntent {
            intent: 0,
            tie_breaker: true
        }
    );
    assert_eq!(
        resp1.operating_channel,
        Some(Channel {
            country: US,
            op_class: 0,
            channel: 0
        })
    );
    assert_eq!(resp1.operating_channel.and_then(|c| c.freq_mhz()), None);
    assert_eq!(resp1.intended_interface_addr, MacAddr::ZERO);
    assert!(resp1.channel_list.entries.is_empty());
    assert_eq!(resp1.device_info.desc.name, b"wpas-1");
    let wsc1 = resp1.wsc.as_ref().expect("WSC IE");
    assert!(
        wsc1.windows(6)
            .any(|w| w == [0x10, 0x12, 0x00, 0x02, 0x00, 0x00])
    );

    // r1's own request: wpas-0.log:1177-1197 (group capability 08, Intent 0 Tie
    // breaker 0, intended 46:00:00:00:01:00, Channel List of 82 bytes, Operating
    // Channel 128/149, Device Info 'wpas-1' config methods 0x80).
    assert_eq!(
        req1.capability.group,
        GroupCapability::INTRA_BSS_DISTRIBUTION
    );
    assert_eq!(
        req1.go_intent,
        GoIntent {
            intent: 0,
            tie_breaker: false
        }
    );
    assert_eq!(req1.intended_interface_addr, mac("46:00:00:00:01:00"));
    assert_eq!(
        req1.operating_channel,
        Channel {
            country: US,
            op_class: 128,
            channel: 149
        }
    );
    assert_eq!(
        Attribute::ChannelList(req1.channel_list.clone()).body_len(),
        82
    );
    assert_eq!(req1.device_info.desc.name, b"wpas-1");
    assert_eq!(req1.device_info.desc.config_methods.bits(), 0x80);

    // r0's acceptance: wpas-1.log:1243-1268 (Status 0, Intent 15 Tie breaker 1,
    // Operating Channel 128/149, Group ID 42:00:00:00:00:00 "DIRECT-iZ").
    assert_eq!(resp0.status, P2pStatus::SUCCESS);
    assert_eq!(
        resp0.go_intent,
        GoIntent {
            intent: 15,
            tie_breaker: true
        }
    );
    assert_eq!(
        resp0.operating_channel,
        Some(Channel {
            country: US,
            op_class: 128,
            channel: 149
        })
    );
    let gid = resp0.group_id.as_ref().expect("group ID: r0 will be GO");
    assert_eq!(
        (gid.device_addr, gid.ssid.as_slice()),
        (r0, &b"DIRECT-iZ"[..])
    );

    // r1's confirmation: wpas-1.log:1278-1285 (Status 0, Operating Channel 128/149).
    assert_eq!(conf.status, P2pStatus::SUCCESS);
    assert_eq!(
        conf.operating_channel,
        Channel {
            country: US,
            op_class: 128,
            channel: 149
        }
    );
    assert_eq!(conf.group_id, None);
    assert_eq!(conf.wsc, None);
}

#[test]
fn group_frames_match_group_started_and_sta_connected() {
    let frames = mgmt();
    let go_if = mac("46:00:00:00:00:00");
    let cli_if = mac("46:00:00:00:01:00");
    // events-0.log: "P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-iZ" freq=5745 ...
    // go_dev_addr=42:00:00:00:00:00".
    let beacons: Vec<&MgmtRepr> = frames
        .iter()
        .map(|(_, m)| m)
        .filter(|m| m.body.subtype() == MgmtSubtype::BEACON)
        .collect();
    assert!(
        beacons
            .iter()
            .all(|b| b.header.addr2 == go_if && b.header.addr3 == go_if)
    );
    let (first, last) = (beacons[0], beacons[beacons.len() - 1]);
    let MgmtBody::Beacon(b) = &first.body else {
        panic!("beacon")
    };
    assert_eq!(b.beacon_interval, 100);
    assert_eq!(b.capability, CapabilityInfo::ESS | CapabilityInfo::PRIVACY);
    assert_eq!(
        Elements::find(&b.ies, ElementId::SSID).map(|e| e.data),
        Some(&b"DIRECT-iZ"[..])
    );
    let Some(Ok(Ie::DsParams(ch))) = Elements::find(&b.ies, ElementId::DS_PARAMS).map(Ie::parse)
    else {
        panic!("DS parameter set")
    };
    assert_eq!(class_of(5745), Some((124, ch)));
    let Some(Ok(Ie::HtOperation(op))) =
        Elements::find(&b.ies, ElementId::HT_OPERATION).map(Ie::parse)
    else {
        panic!("HT operation")
    };
    assert_eq!(op[0], 149, "primary channel");
    let rsn = Elements::find(&b.ies, ElementId::RSN).expect("RSN").data;
    assert_eq!(&rsn[..2], &[1, 0], "RSN version 1 passed through");
    let ie = p2p_ie(&first.body);
    let group = ie.capability().expect("capability").group;
    assert_eq!(
        group,
        GroupCapability::GROUP_OWNER
            | GroupCapability::INTRA_BSS_DISTRIBUTION
            | GroupCapability::GROUP_FORMATION
    );
    assert_eq!(ie.device_id(), Some(&mac("42:00:00:00:00:00")));
    // After provisioning, group formation is over.
    let group_after = p2p_ie(&last.body).capability().expect("capability").group;
    assert_eq!(
        group_after,
        GroupCapability::GROUP_OWNER | GroupCapability::INTRA_BSS_DISTRIBUTION
    );

    // Open System authentication, both directions.
    let auths: Vec<&AuthRepr> = frames
        .iter()
        .filter_map(|(_, m)| match &m.body {
            MgmtBody::Auth(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(auths.len(), 4, "WSC association, then the WPA2 one");
    assert!(
        auths
            .iter()
            .all(|a| a.algorithm == AuthAlgorithm::OPEN_SYSTEM && a.status.is_success())
    );
    assert_eq!(
        auths.iter().map(|a| a.transaction).collect::<Vec<_>>(),
        [1, 2, 1, 2]
    );

    // events-0.log: "AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00".
    let (assoc_req, assoc_resp) = {
        let reqs: Vec<&MgmtRepr> = frames
            .iter()
            .map(|(_, m)| m)
            .filter(|m| m.body.subtype() == MgmtSubtype::ASSOC_REQ)
            .collect();
        let resps: Vec<&MgmtRepr> = frames
            .iter()
            .map(|(_, m)| m)
            .filter(|m| m.body.subtype() == MgmtSubtype::ASSOC_RESP)
            .collect();
        assert_eq!((reqs.len(), resps.len()), (2, 2));
        (reqs[1], resps[1])
    };
    assert_eq!(
        (assoc_req.header.addr2, assoc_req.header.addr1),
        (cli_if, go_if)
    );
    let MgmtBody::AssocRequest(req) = &assoc_req.body else {
        panic!("assoc req")
    };
    assert_eq!(
        Elements::find(&req.ies, ElementId::SSID).map(|e| e.data),
        Some(&b"DIRECT-iZ"[..])
    );
    assert!(
        Elements::find(&req.ies, ElementId::RSN).is_some(),
        "WPA2 association"
    );
    let di = p2p_ie(&assoc_req.body)
        .device_info()
        .cloned()
        .expect("device info");
    assert_eq!(di.device_addr, mac("42:00:00:00:01:00"));
    assert_eq!(di.desc.name, b"wpas-1");
    let MgmtBody::AssocResponse(resp) = &assoc_resp.body else {
        panic!("assoc resp")
    };
    assert_eq!(
        (resp.status, resp.aid()),
        (ieee80211::StatusCode::SUCCESS, 1)
    );
    assert_eq!(resp.aid_field, 0xc001);
    assert_eq!(
        P2pIe::from_ies(&resp.ies),
        Ok(Some(P2pIe::default())),
        "empty P2P IE"
    );

    // The WSC round ends with deauthentications: the client leaves (3), the GO answers
    // 802.1X failure (23, the EAP-Failure after WSC_Done).
    let reasons: Vec<(MacAddr, ReasonCode)> = frames
        .iter()
        .filter_map(|(_, m)| match &m.body {
            MgmtBody::Deauth(r) if m.header.addr1 != MacAddr::BROADCAST => {
                Some((m.header.addr2, r.reason))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (cli_if, ReasonCode::DEAUTH_LEAVING),
            (go_if, ReasonCode::IEEE_802_1X_AUTH_FAILED)
        ]
    );
}
