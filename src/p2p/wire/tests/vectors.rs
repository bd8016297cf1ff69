//! Known P2P frames written by other implementations, parsed field by field and
//! re-emitted byte for byte.
//!
//! Sources:
//! - iwd `unit/test-p2p.c` (read from the iwd fork illiliti/eiwd at ff672504): element
//!   lists and action frames captured from consumer devices (a MediaTek "LEX626"
//!   phone GO, an HP ENVY 4520 printer) and from wpa_supplicant ("testdev1").
//! - hostap `tests/hwsim/test_cfg80211.py` (`test_cfg80211_tx_frame`): a wpa_supplicant
//!   GO Negotiation Request as hex.
//! - hostap `tests/hwsim/test_p2p_discovery.py`: `test_discovery_max_peers`'s Provision
//!   Discovery Request hex, and `test_p2p_group_cli_invalid`'s P2P IE with a Group Info
//!   client descriptor carrying 25 secondary device types (bytes produced by running
//!   that test's `struct.pack` recipe unchanged).

use super::unhex;
use crate::ieee80211::tests::HOSTAP_GO_NEG_REQ;
use crate::ieee80211::vendor::{self, VendorType};
use crate::ieee80211::{MacAddr, MgmtBody, MgmtRepr};
use crate::p2p::wire::consts::{COUNTRY_GLOBAL, OP_CLASS_2GHZ};
use crate::p2p::wire::*;

fn mac(s: &str) -> MacAddr {
    s.parse().expect("mac")
}

/// iwd p2p_attrs1: a raw attribute list (capability, device info, group ID).
const IWD_ATTRS1: &str = concat!(
    "02020025000d1d000028f8ed2657110800010050f2040001001011000874657374646576310f15002afe",
    "cd01bea04449524543542d5a752d416e647265",
);

/// iwd p2p_beacon_ies_1: a GO's beacon elements; the P2P payload spans two P2P IEs
/// with a WSC IE between them.
const IWD_BEACON_IES: &str = concat!(
    "dd12506f9a0902020005ab0306002afecd01bea0dd4e0050f204104a0001101044000102104100010110",
    "12000200041053000243881049000e00372a0001200106ffffffffffff1011000d4c45583632362d5064",
    "614e65741054000800080050f2040002dd16506f9a090c0f00e10001b0b30000000000007c458f0c",
);

/// iwd p2p_probe_req_ies_1: a wpa_supplicant probe request's elements.
const IWD_PROBE_REQ_IES: &str = concat!(
    "dd730050f204104a000110103a000101100800023148104700109add7782cba65e2dacd9c05434d0d729",
    "1054000800010050f2040001103c00010310020002000010090002000010120002000010210001201023",
    "00012010240001201011000874657374646576311049000900372a000120030101dd11506f9a09020200",
    "25000605005858045101",
);

/// iwd p2p_probe_resp_ies_1: a GO's probe response (Device Info after NoA's IE order
/// swapped across two P2P IEs).
const IWD_PROBE_RESP_IES_1: &str = concat!(
    "dda20050f204104a00011010440001021041000101101200020004105300024388103b00010310470010",
    "b17d6fc94fd15a6fb65053110b2ab5251021000d4d6564696154656b20496e632e102300124d544b2057",
    "6972656c657373204d6f64656c10240003312e3010420003322e301054000800080050f2040002101100",
    "0d4c45583632362d5064614e65741008000241081049000e00372a0001200106ffffffffffffdd27506f",
    "9a0902020005ab0d1b002afecd01bea0018800080050f204000200101100064d6f62696c65dd16506f9a",
    "090c0f00e10001b0b30000000000007c458f0c",
);

/// iwd p2p_probe_resp_ies_2: an HP printer GO's probe response.
const IWD_PROBE_RESP_IES_2: &str = concat!(
    "dd3e506f9a0902020005010d3200a28cfdb905ef5a8800030050f2040001001011001d4449524543542d",
    "45462d485020454e5659203435323020736572696573ddc10050f204104a000110104400010210570001",
    "011041000100103b000103104700101c852a4db8001f08abcda08cfdb905ef1021000248501023001145",
    "4e56592034353230207365726965730010240005343532370010420010544836354f3348315859303636",
    "3000001054000800030050f20400051011001d4449524543542d45462d485020454e5659203435323020",
    "7365726965731008000200001049000600372a00012010490017000137100600101c852a4db8001f08ab",
    "cda08cfdb905ef",
);

/// iwd p2p_association_req_ies_1: a P2P client's association request elements.
const IWD_ASSOC_REQ_IES: &str = concat!(
    "dd180050f204104a000110103a0001011049000600372a000120dd29506f9a0902020027000d1d000028",
    "f8ed2657110800010050f204000100101100087465737464657631",
);

/// iwd p2p_provision_disc_req_1: action body (category first), PBC join request.
const IWD_PD_REQ: &str = concat!(
    "0409506f9a090701dd41506f9a0902020025000d1d000028f8ed2657110800010050f204000100101100",
    "0874657374646576310f15002afecd01bea04449524543542d5a752d5465737431dd0a0050f204100800",
    "020080",
);

/// iwd p2p_provision_disc_resp_1: action body, WSC IE and a Wi-Fi Display IE, no P2P IE.
const IWD_PD_RESP: &str = "0409506f9a090801dd0a0050f204100800020080dd0d506f9a0a000006001100000032";

/// hostap test_discovery_max_peers pdreq, from "0409" on (the 802.11 header is built
/// by the test around it), with devaddr = 02:02:02:02:02:ff.
const HOSTAP_PD_REQ: &str = concat!(
    "0409506f9a090701dd29506f9a0902020025000d1d000202020202ff",
    "1108000000000000000000101100084465766963652041dd0a0050f204100800020008",
);

/// hostap test_p2p_group_cli_invalid's P2P IE (one element of 254 bytes).
const HOSTAP_GROUP_INFO_IE: &str = concat!(
    "ddfe506f9a0902020025090306000202020202000ee900e8020202020203020202020204003148000000",
    "000000000119000000000000000100000000000000010000000000000001000000000000000100000000",
    "000000010000000000000001000000000000000100000000000000010000000000000001000000000000",
    "000100000000000000010000000000000001000000000000000100000000000000010000000000000001",
    "000000000000000100000000000000010000000000000001000000000000000100000000000000010000",
    "000000000001000000000000000100000000000000010000000000000001000000000000000110110004",
    "54455354",
);

fn p2p_payload(ies: &[u8]) -> Vec<u8> {
    vendor::concat_payload(ies, VendorType::P2P).expect("P2P IE present")
}

/// Parses a payload, re-emits it into a 0xa5-filled buffer and checks the bytes.
fn parse_and_reemit(payload: &[u8]) -> P2pIe {
    let ie = P2pIe::parse_payload(payload).expect("parse");
    let mut out = vec![0xa5; ie.payload_len()];
    assert_eq!(ie.emit_payload(&mut out), Ok(payload.len()));
    assert_eq!(out, payload);
    ie
}

#[test]
fn iwd_raw_attribute_list() {
    let bytes = unhex(IWD_ATTRS1);
    let ids: Vec<(AttributeId, usize)> = RawAttributes::new(&bytes)
        .map(|a| a.map(|(id, b)| (id, b.len())))
        .collect::<Result<_, _>>()
        .expect("well formed");
    assert_eq!(
        ids,
        [
            (AttributeId::CAPABILITY, 2),
            (AttributeId::DEVICE_INFO, 29),
            (AttributeId::GROUP_ID, 21)
        ]
    );
    let ie = parse_and_reemit(&bytes);
    assert_eq!(
        ie.device_info()
            .map(|d| d.desc.name_lossy().into_owned())
            .as_deref(),
        Some("testdev1")
    );
    let gid = ie.group_id().expect("group id");
    assert_eq!(gid.device_addr, mac("2a:fe:cd:01:be:a0"));
    assert_eq!(gid.ssid, b"DIRECT-Zu-Andre");
}

#[test]
fn iwd_beacon_spans_two_p2p_ies() {
    let ies = unhex(IWD_BEACON_IES);
    let payload = p2p_payload(&ies);
    assert_eq!(payload.len(), 32);
    let ie = parse_and_reemit(&payload);
    assert_eq!(P2pIe::from_ies(&ies), Ok(Some(ie.clone())));
    let cap = ie.capability().expect("capability");
    assert_eq!(
        cap.device,
        DeviceCapability::SERVICE_DISCOVERY | DeviceCapability::CONCURRENT_OPERATION
    );
    assert_eq!(
        cap.group,
        GroupCapability::GROUP_OWNER
            | GroupCapability::PERSISTENT_GROUP
            | GroupCapability::INTRA_BSS_DISTRIBUTION
            | GroupCapability::PERSISTENT_RECONNECT
            | GroupCapability::IP_ADDRESS_ALLOCATION
    );
    assert_eq!(ie.device_id(), Some(&mac("2a:fe:cd:01:be:a0")));
    let noa = ie.notice_of_absence().expect("NoA");
    assert_eq!((noa.index, noa.opp_ps, noa.ctwindow), (225, false, 0));
    assert_eq!(
        noa.descriptors,
        [NoaDescriptor {
            count_type: 1,
            duration_us: 46000,
            interval_us: 0,
            start_time: 210716028
        }]
    );
}

#[test]
fn iwd_probe_request() {
    let ies = unhex(IWD_PROBE_REQ_IES);
    let ie = parse_and_reemit(&p2p_payload(&ies));
    let cap = ie.capability().expect("capability");
    assert_eq!(cap.device.bits(), 0x25);
    assert!(cap.device.contains(DeviceCapability::INVITATION_PROCEDURE));
    assert!(cap.group.is_empty());
    let lc = ie.listen_channel().expect("listen channel");
    assert_eq!(
        *lc,
        Channel {
            country: COUNTRY_GLOBAL,
            op_class: OP_CLASS_2GHZ,
            channel: 1
        }
    );
    assert_eq!(lc.freq_mhz(), Some(2412));
    // The single P2P IE re-emits identically.
    let p2p_ie_bytes = &ies[ies.len() - 19..];
    assert_eq!(ie.to_ies().expect("emit"), p2p_ie_bytes);
}

#[test]
fn iwd_probe_response_phone_go() {
    let ies = unhex(IWD_PROBE_RESP_IES_1);
    let payload = p2p_payload(&ies);
    assert_eq!(payload.len(), 53);
    let ie = parse_and_reemit(&payload);
    let di = ie.device_info().expect("device info");
    assert_eq!(di.device_addr, mac("2a:fe:cd:01:be:a0"));
    assert_eq!(
        di.desc.config_methods,
        ConfigMethods::DISPLAY | ConfigMethods::PUSH_BUTTON | ConfigMethods::KEYPAD
    );
    assert_eq!(di.desc.primary_type, DeviceType::new(8, 2));
    assert!(di.desc.secondary_types.is_empty());
    assert_eq!(di.desc.name, b"Mobile");
    assert_eq!(ie.notice_of_absence().map(|n| n.index), Some(225));
    assert_eq!(ie.capability().map(|c| c.group.bits()), Some(0xab));
}

#[test]
fn iwd_probe_response_printer_go() {
    let ies = unhex(IWD_PROBE_RESP_IES_2);
    let payload = p2p_payload(&ies);
    assert_eq!(payload.len(), 58);
    let ie = parse_and_reemit(&payload);
    let cap = ie.capability().expect("capability");
    assert_eq!(cap.group, GroupCapability::GROUP_OWNER);
    let di = ie.device_info().expect("device info");
    assert_eq!(di.device_addr, mac("a2:8c:fd:b9:05:ef"));
    // 0x5a88: virtual push button | 0x0800 | P2PS | physical display (big-endian).
    assert_eq!(di.desc.config_methods.bits(), 0x5a88);
    assert!(
        di.desc
            .config_methods
            .contains(ConfigMethods::VIRTUAL_PUSH_BUTTON)
    );
    assert!(
        di.desc
            .config_methods
            .contains(ConfigMethods::PHYSICAL_DISPLAY)
    );
    assert_eq!(di.desc.primary_type, DeviceType::new(3, 1));
    assert_eq!(di.desc.name_lossy(), "DIRECT-EF-HP ENVY 4520 series");
}

#[test]
fn iwd_association_request() {
    let ies = unhex(IWD_ASSOC_REQ_IES);
    let payload = p2p_payload(&ies);
    assert_eq!(payload.len(), 37);
    let ie = parse_and_reemit(&payload);
    assert_eq!(ie.capability().map(|c| c.device.bits()), Some(0x27));
    let di = ie.device_info().expect("device info");
    assert_eq!(di.device_addr, mac("00:28:f8:ed:26:57"));
    assert_eq!(
        di.desc.config_methods,
        ConfigMethods::DISPLAY | ConfigMethods::KEYPAD | ConfigMethods::P2PS
    );
    assert_eq!(di.desc.primary_type, DeviceType::new(1, 1));
    assert_eq!(di.desc.name, b"testdev1");
}

#[test]
fn iwd_provision_discovery_request_join() {
    let body = unhex(IWD_PD_REQ);
    let P2pMessage::ProvisionDiscoveryRequest(pd) = P2pMessage::parse(&body).expect("parse") else {
        panic!("not a PD request")
    };
    assert_eq!(pd.dialog_token, 1);
    assert_eq!(pd.capability.device.bits(), 0x25);
    assert_eq!(pd.device_info.desc.name, b"testdev1");
    let gid = pd.group_id.as_ref().expect("group id");
    assert_eq!(gid.device_addr, mac("2a:fe:cd:01:be:a0"));
    assert_eq!(gid.ssid, b"DIRECT-Zu-Test1");
    assert_eq!(pd.status, None);
    // WSC Config Methods (0x1008) = push button, passed through for the wps crate.
    assert_eq!(pd.wsc, unhex("100800020080"));
    assert!(pd.extra.is_empty() && pd.other_ies.is_empty());
    assert_eq!(pd.to_bytes().expect("emit"), body);
}

#[test]
fn iwd_provision_discovery_response_without_p2p_ie() {
    let body = unhex(IWD_PD_RESP);
    let pd = ProvisionDiscoveryResponse::parse_bytes(&body).expect("parse");
    assert_eq!(pd.dialog_token, 1);
    assert_eq!(
        (pd.status, pd.capability, pd.device_info.as_ref()),
        (None, None, None)
    );
    assert_eq!(pd.wsc, unhex("100800020080"));
    assert_eq!(
        pd.other_ies,
        unhex("dd0d506f9a0a000006001100000032"),
        "WFD IE kept"
    );
    assert_eq!(pd.to_bytes().expect("emit"), body);
}

#[test]
fn hostap_go_negotiation_request() {
    let frame = MgmtRepr::parse_bytes(&unhex(HOSTAP_GO_NEG_REQ)).expect("802.11");
    let MgmtBody::Action(action) = frame.body else {
        panic!("not an action frame")
    };
    let body = action.to_bytes();
    assert!(P2pActionFrame::is_p2p(&body));
    let P2pMessage::GoNegRequest(req) = P2pMessage::parse(&body).expect("parse") else {
        panic!("not a GO negotiation request")
    };
    assert_eq!(req.dialog_token, 1);
    assert_eq!(req.capability.device.bits(), 0x25);
    assert_eq!(
        req.capability.group,
        GroupCapability::INTRA_BSS_DISTRIBUTION
    );
    assert_eq!(
        req.go_intent,
        GoIntent {
            intent: 15,
            tie_breaker: true
        }
    );
    assert_eq!(
        req.config_timeout,
        ConfigTimeout {
            go_10ms: 100,
            client_10ms: 20
        }
    );
    assert_eq!(
        req.listen_channel,
        Channel {
            country: COUNTRY_GLOBAL,
            op_class: 81,
            channel: 11
        }
    );
    assert_eq!(req.operating_channel.freq_mhz(), Some(2462));
    assert_eq!(req.ext_listen_timing, None);
    assert_eq!(req.intended_interface_addr, mac("02:00:00:00:00:00"));
    assert_eq!(req.channel_list.country, COUNTRY_GLOBAL);
    assert_eq!(
        req.channel_list.entries,
        [ChannelEntry {
            op_class: 81,
            channels: (1..=11).collect()
        }]
    );
    assert!(req.channel_list.contains(81, 6) && !req.channel_list.contains(81, 12));
    assert_eq!(req.device_info.desc.name, b"Device A");
    assert_eq!(
        req.device_info.desc.config_methods,
        ConfigMethods::DISPLAY | ConfigMethods::KEYPAD
    );
    // WSC IE: Version 0x10, Device Password ID 1 (user-specified), WFA Version2 ext.
    assert_eq!(
        req.wsc,
        unhex(
            "104a000110101200020001 1049000600372a000120"
                .replace(' ', "")
                .as_str()
        )
    );
    assert_eq!(req.to_bytes().expect("emit"), body);
}

#[test]
fn hostap_provision_discovery_request_display() {
    let body = unhex(HOSTAP_PD_REQ);
    let pd = ProvisionDiscoveryRequest::parse_bytes(&body).expect("parse");
    assert_eq!(pd.device_info.device_addr, mac("02:02:02:02:02:ff"));
    assert_eq!(pd.device_info.desc.config_methods.bits(), 0x1108);
    assert_eq!(pd.device_info.desc.name, b"Device A");
    assert_eq!(pd.group_id, None);
    assert_eq!(pd.wsc, unhex("100800020008"), "config methods = display");
    assert_eq!(pd.to_bytes().expect("emit"), body);
}

#[test]
fn hostap_group_info_with_secondary_types() {
    let ies = unhex(HOSTAP_GROUP_INFO_IE);
    let ie = P2pIe::from_ies(&ies).expect("parse").expect("present");
    assert_eq!(ie.capability().map(|c| c.group.bits()), Some(0x09));
    assert_eq!(ie.device_id(), Some(&mac("02:02:02:02:02:00")));
    let clients = ie.group_info().expect("group info");
    assert_eq!(clients.len(), 1);
    let c = &clients[0];
    assert_eq!(c.device_addr, mac("02:02:02:02:02:03"));
    assert_eq!(c.interface_addr, mac("02:02:02:02:02:04"));
    assert!(c.device_capability.is_empty());
    assert_eq!(c.desc.config_methods.bits(), 0x3148);
    assert_eq!(c.desc.secondary_types.len(), 25);
    assert_eq!(
        c.desc.primary_type,
        DeviceType {
            category: 0,
            oui: [0; 4],
            sub_category: 1
        }
    );
    assert_eq!(c.desc.name, b"TEST");
    assert_eq!(
        ie.to_ies().expect("emit"),
        ies,
        "one 254-byte IE, byte for byte"
    );
}

#[test]
fn missing_required_parts_are_typed_errors() {
    let frame = MgmtRepr::parse_bytes(&unhex(HOSTAP_GO_NEG_REQ)).expect("802.11");
    let MgmtBody::Action(action) = frame.body else {
        panic!("action")
    };
    let f = P2pActionFrame::parse(&action.to_bytes()).expect("p2p");

    let mut ie = f.p2p_ie().expect("parse").expect("present");
    ie.attributes.retain(|a| a.id() != AttributeId::DEVICE_INFO);
    let mut no_dev_info = f.clone();
    no_dev_info.ies = ie.to_ies().expect("emit");
    vendor::push_split(
        &mut no_dev_info.ies,
        VendorType::WSC,
        &f.wsc_payload().expect("wsc"),
    );
    assert_eq!(
        GoNegRequest::parse(&no_dev_info),
        Err(Error::MissingAttribute {
            frame: "GoNegRequest",
            attr: "DeviceInfo"
        })
    );

    let mut no_wsc = f.clone();
    no_wsc.ies = vendor::without(&f.ies, VendorType::WSC);
    assert_eq!(
        GoNegRequest::parse(&no_wsc),
        Err(Error::MissingWsc("GoNegRequest"))
    );

    let mut no_p2p = f.clone();
    no_p2p.ies = vendor::without(&f.ies, VendorType::P2P);
    assert_eq!(
        GoNegRequest::parse(&no_p2p),
        Err(Error::MissingP2pIe("GoNegRequest"))
    );

    assert!(matches!(
        GoNegResponse::parse(&f),
        Err(Error::WrongFrame { .. })
    ));
    assert_eq!(
        P2pActionFrame::parse(&[0x04, 0x09, 0x50, 0x6f, 0x9a, 0x0a, 0, 1]),
        Err(Error::NotP2p)
    );

    // A truncated attribute inside an otherwise well-formed IE.
    let mut bad = f.clone();
    bad.ies = unhex("dd07506f9a09040000");
    assert!(matches!(
        GoNegRequest::parse(&bad),
        Err(Error::Attribute {
            id: AttributeId::GO_INTENT,
            ..
        })
    ));
}

#[test]
fn p2p_action_frames_known_layout() {
    // GO Discoverability Request: category 0x7F, WFA OUI, type 9, subtype 3, token 0.
    let req = GoDiscoverabilityRequest::default();
    assert_eq!(
        req.to_bytes().expect("emit"),
        [0x7f, 0x50, 0x6f, 0x9a, 0x09, 0x03, 0x00]
    );
    let m = P2pMessage::parse(&[0x7f, 0x50, 0x6f, 0x9a, 0x09, 0x03, 0x00]).expect("parse");
    assert_eq!(m, P2pMessage::GoDiscoverabilityRequest(req));

    // NoA action frame carrying iwd's beacon NoA attribute.
    let noa_attr = unhex("0c0f00e10001b0b30000000000007c458f0c");
    let mut body = unhex("7f506f9a090005dd16506f9a09");
    body.extend_from_slice(&noa_attr);
    let P2pMessage::NoticeOfAbsence(n) = P2pMessage::parse(&body).expect("parse") else {
        panic!("not NoA")
    };
    assert_eq!(n.dialog_token, 5);
    assert_eq!(n.notice_of_absence.descriptors[0].duration_us, 46000);
    assert_eq!(n.to_bytes().expect("emit"), body);
}

#[test]
fn channel_frequencies() {
    assert_eq!(
        Channel::from_freq(COUNTRY_GLOBAL, 2437).map(|c| (c.op_class, c.channel)),
        Some((81, 6))
    );
    assert_eq!(
        Channel::from_freq(COUNTRY_GLOBAL, 5180).map(|c| (c.op_class, c.channel)),
        Some((115, 36))
    );
    assert_eq!(
        Channel::from_freq(COUNTRY_GLOBAL, 5745).map(|c| (c.op_class, c.channel)),
        Some((124, 149))
    );
    assert_eq!(Channel::from_freq(COUNTRY_GLOBAL, 2413), None);
    for f in [2412, 2462, 2472, 2484, 5200, 5260, 5500, 5825] {
        let c = Channel::from_freq(COUNTRY_GLOBAL, f).expect("known");
        assert_eq!(c.freq_mhz(), Some(f));
    }
}
