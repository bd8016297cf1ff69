//! Provision discovery and invitation between two real wpa_supplicants on
//! mac80211_hwsim (`data/wire-capture/README.md`): every management frame parses and
//! re-emits byte for byte; the fields match wpa_supplicant's events and logs
//! (`events-*.log`, `wpas-excerpt.log`, cited by line).

use super::pcap;
use crate::ieee80211::{self, *};
use crate::p2p::wire::consts::OP_CLASS_2GHZ;
use crate::p2p::wire::*;

const PCAP: &[u8] = include_bytes!("data/wire-capture/air.pcap");
const US: [u8; 3] = *b"US\x04";

fn mac(s: &str) -> MacAddr {
    s.parse().expect("mac")
}

fn management() -> Vec<MgmtRepr> {
    pcap::frames(PCAP)
        .into_iter()
        .filter(|c| c.frame[0] & 0x0c == 0)
        .map(|c| {
            let m = MgmtRepr::parse_bytes(c.frame).unwrap_or_else(|e| panic!("#{}: {e}", c.index));
            assert_eq!(m.to_vec(), c.frame, "#{} re-emits byte for byte", c.index);
            m
        })
        .collect()
}

fn p2p_messages() -> Vec<(MacAddr, P2pMessage)> {
    management()
        .into_iter()
        .filter_map(|m| match m.body {
            MgmtBody::Action(a) if P2pActionFrame::is_p2p(&a.to_bytes()) => {
                let body = a.to_bytes();
                let msg = P2pMessage::parse(&body).expect("P2P frame");
                assert_eq!(msg.to_bytes().expect("emit"), body);
                Some((m.header.addr2, msg))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_frame_round_trips() {
    let all = management();
    assert_eq!(all.len(), 514);
    for m in &all {
        if let Some(ies) = m.body.ies()
            && let Some(ie) = P2pIe::from_ies(ies).expect("P2P IE parses")
        {
            let payload = ieee80211::vendor::concat_payload(ies, VendorType::P2P).expect("present");
            assert_eq!(ie.to_payload().expect("emit"), payload);
        }
    }
}

#[test]
fn action_frames_rebuild_from_their_p2p_frame() {
    let mut n = 0;
    for m in management() {
        let MgmtBody::Action(a) = &m.body else {
            continue;
        };
        let Ok(f) = P2pActionFrame::from_action(a) else {
            continue;
        };
        let h = &m.header;
        let mut rebuilt = f.to_mgmt(h.addr1, h.addr2, h.addr3);
        assert_eq!(
            rebuilt.header.seq_ctrl,
            SequenceControl(0),
            "left to the kernel"
        );
        rebuilt.header.duration = h.duration;
        rebuilt.header.seq_ctrl = h.seq_ctrl;
        assert_eq!(rebuilt, m);
        n += 1;
    }
    assert_eq!(
        n, 10,
        "2 PD requests, 2 PD responses, 5 invitation requests, 1 response"
    );
}

#[test]
fn provision_discovery_join() {
    let r0 = mac("42:00:00:00:00:00");
    let r1 = mac("42:00:00:00:01:00");
    let msgs = p2p_messages();
    let reqs: Vec<&ProvisionDiscoveryRequest> = msgs
        .iter()
        .filter_map(|(sa, m)| match m {
            P2pMessage::ProvisionDiscoveryRequest(r) if *sa == r1 => Some(r),
            _ => None,
        })
        .collect();
    let resps: Vec<&ProvisionDiscoveryResponse> = msgs
        .iter()
        .filter_map(|(sa, m)| match m {
            P2pMessage::ProvisionDiscoveryResponse(r) if *sa == r0 => Some(r),
            _ => None,
        })
        .collect();
    // wpas-1.log:2644-2758: sent twice, dialog token 1 both times.
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0], reqs[1]);
    let req = reqs[0];
    assert_eq!(req.dialog_token, 1);
    // events-0.log: "P2P-PROV-DISC-PBC-REQ 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00
    // pri_dev_type=1-0050F204-1 name='wpas-1' config_methods=0x188 dev_capab=0x25
    // group_capab=0x0 group=p2p-wlan0-0".
    assert_eq!(
        (req.capability.device.bits(), req.capability.group.bits()),
        (0x25, 0x00)
    );
    assert_eq!(req.device_info.device_addr, r1);
    assert_eq!(req.device_info.desc.primary_type, DeviceType::new(1, 1));
    assert_eq!(req.device_info.desc.name, b"wpas-1");
    assert_eq!(req.device_info.desc.config_methods.bits(), 0x188);
    // The group being joined (wpas-1.log:2649 "P2P Group ID 42:00:00:00:00:00"; SSID from
    // events-0.log "P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-q6"").
    let gid = req.group_id.as_ref().expect("join carries the group ID");
    assert_eq!(
        (gid.device_addr, gid.ssid.as_slice()),
        (r0, &b"DIRECT-q6"[..])
    );
    // WSC Config Methods = push button (wpas-0.log:1912 "with config methods 0x80").
    assert_eq!(req.wsc, [0x10, 0x08, 0x00, 0x02, 0x00, 0x80]);

    // wpas-1.log:2820-2823: "Received Provision Discovery Response ... config methods 0x80".
    assert_eq!(resps.len(), 2);
    let resp = resps[1];
    assert_eq!(resp.dialog_token, 1);
    assert_eq!(resp.wsc, [0x10, 0x08, 0x00, 0x02, 0x00, 0x80]);
    assert!(
        resp.p2p_ie().attributes.is_empty(),
        "no P2P IE without P2PS"
    );
    assert!(resp.other_ies.is_empty());
}

#[test]
fn invitation_to_join_an_active_group() {
    let r0 = mac("42:00:00:00:00:00");
    let r1 = mac("42:00:00:00:01:00");
    let go_bssid = mac("06:00:00:00:00:00");
    let msgs = p2p_messages();
    let reqs: Vec<&InvitationRequest> = msgs
        .iter()
        .filter_map(|(sa, m)| match m {
            P2pMessage::InvitationRequest(r) if *sa == r0 => Some(r),
            _ => None,
        })
        .collect();
    // wpas-0.log:2385..2727: five attempts, dialog tokens 1..=5.
    assert_eq!(
        reqs.iter().map(|r| r.dialog_token).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    let req = reqs[4];
    // wpas-1.log:3796-3824: Configuration Timeout 0/0, Invitation Flags 0 ("to join an
    // active group"), Operating Channel US 81/6, Group BSSID 06:00:00:00:00:00,
    // Channel List "55 53 04 51 01 06", Group ID 42:00:00:00:00:00 "DIRECT-q6".
    assert_eq!(
        req.config_timeout,
        ConfigTimeout {
            go_10ms: 0,
            client_10ms: 0
        }
    );
    assert!(
        !req.invitation_flags
            .contains(InvitationFlags::REINVOKE_PERSISTENT)
    );
    let op = req.operating_channel.expect("operating channel");
    assert_eq!(
        op,
        Channel {
            country: US,
            op_class: OP_CLASS_2GHZ,
            channel: 6
        }
    );
    assert_eq!(op.freq_mhz(), Some(2437), "P2P-GROUP-STARTED ... freq=2437");
    assert_eq!(
        req.group_bssid,
        Some(go_bssid),
        "P2P-INVITATION-RECEIVED ... bssid=06:00:00:00:00:00"
    );
    let cl = Attribute::ChannelList(req.channel_list.clone());
    assert_eq!(
        P2pIe::new(vec![cl]).to_payload().expect("emit")[3..],
        [0x55, 0x53, 0x04, 0x51, 0x01, 0x06]
    );
    assert_eq!(
        (req.group_id.device_addr, req.group_id.ssid.as_slice()),
        (r0, &b"DIRECT-q6"[..])
    );
    assert_eq!(req.device_info.desc.name, b"wpas-0");
    assert_eq!(req.wsc, None);

    // events-0.log "P2P-INVITATION-RESULT status=1"; wpas-1.log:3830-3833.
    let [(sa, P2pMessage::InvitationResponse(resp))] = &msgs
        .iter()
        .filter(|(_, m)| matches!(m, P2pMessage::InvitationResponse(_)))
        .cloned()
        .collect::<Vec<_>>()[..]
    else {
        panic!("one invitation response")
    };
    assert_eq!(*sa, r1);
    assert_eq!(resp.dialog_token, 5);
    assert_eq!(resp.status, P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE);
    assert_eq!(
        resp.config_timeout,
        ConfigTimeout {
            go_10ms: 0,
            client_10ms: 0
        }
    );
    assert_eq!(
        (
            resp.operating_channel,
            resp.group_bssid,
            resp.channel_list.as_ref()
        ),
        (None, None, None)
    );
}

#[test]
fn autonomous_go_probe_response_and_removal() {
    let all = management();
    let go_if = mac("06:00:00:00:00:00");
    // events-1.log: "P2P-DEVICE-FOUND 06:00:00:00:00:00 p2p_dev_addr=42:00:00:00:00:00
    // pri_dev_type=1-0050F204-1 name='wpas-0' config_methods=0x188 dev_capab=0x25
    // group_capab=0x9".
    let presp = all
        .iter()
        .find(|m| m.body.subtype() == MgmtSubtype::PROBE_RESP && m.header.addr2 == go_if)
        .expect("GO probe response");
    let MgmtBody::ProbeResponse(b) = &presp.body else {
        panic!("probe response")
    };
    // A GO is an ESS with RSN; on 2.4 GHz without 802.11b stations it uses short slots.
    assert_eq!(
        b.capability,
        CapabilityInfo::ESS | CapabilityInfo::PRIVACY | CapabilityInfo::SHORT_SLOT_TIME
    );
    assert_eq!(
        Elements::find(&b.ies, ElementId::SSID).map(|e| e.data),
        Some(&b"DIRECT-q6"[..])
    );
    assert!(matches!(
        Elements::find(&b.ies, ElementId::DS_PARAMS).map(Ie::parse),
        Some(Ok(Ie::DsParams(6)))
    ));
    let ie = P2pIe::from_ies(&b.ies).expect("parse").expect("P2P IE");
    let cap = ie.capability().expect("capability");
    assert_eq!((cap.device.bits(), cap.group.bits()), (0x25, 0x09));
    let di = ie.device_info().expect("device info");
    assert_eq!(di.device_addr, mac("42:00:00:00:00:00"));
    assert_eq!(
        (di.desc.name.as_slice(), di.desc.config_methods.bits()),
        (&b"wpas-0"[..], 0x188)
    );

    // Removal: events-0.log "CTRL-EVENT-DISCONNECTED bssid=06:00:00:00:00:00 reason=3".
    let last_deauth = all
        .iter()
        .filter_map(|m| match &m.body {
            MgmtBody::Deauth(r) => Some((m.header.addr1, m.header.addr2, r.reason)),
            _ => None,
        })
        .next_back();
    assert_eq!(
        last_deauth,
        Some((MacAddr::BROADCAST, go_if, ReasonCode::DEAUTH_LEAVING))
    );
}
