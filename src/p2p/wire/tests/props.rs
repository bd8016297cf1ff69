//! Property tests: every attribute and frame round-trips through emit and parse, a
//! P2P payload survives any split over IEs, and arbitrary bytes never panic.

use proptest::prelude::*;

use crate::ieee80211::MacAddr;
use crate::ieee80211::vendor::{self, VendorType};
use crate::p2p::wire::action::PUBLIC_ACTION_PREFIX;
use crate::p2p::wire::*;

fn mac() -> impl Strategy<Value = MacAddr> {
    any::<[u8; 6]>().prop_map(MacAddr)
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..max)
}

fn channel() -> impl Strategy<Value = Channel> {
    (any::<[u8; 3]>(), any::<u8>(), any::<u8>()).prop_map(|(country, op_class, channel)| Channel {
        country,
        op_class,
        channel,
    })
}

fn device_type() -> impl Strategy<Value = DeviceType> {
    (any::<u16>(), any::<[u8; 4]>(), any::<u16>()).prop_map(|(category, oui, subcategory)| {
        DeviceType {
            category,
            oui,
            sub_category: subcategory,
        }
    })
}

fn desc() -> impl Strategy<Value = DeviceDescription> {
    (
        any::<u16>(),
        device_type(),
        prop::collection::vec(device_type(), 0..4),
        bytes(33),
    )
        .prop_map(
            |(m, primary_type, secondary_types, name)| DeviceDescription {
                config_methods: ConfigMethods::from_bits_retain(m),
                primary_type,
                secondary_types,
                name,
            },
        )
}

fn device_info() -> impl Strategy<Value = DeviceInfo> {
    (mac(), desc()).prop_map(|(device_addr, desc)| DeviceInfo { device_addr, desc })
}

fn channel_list() -> impl Strategy<Value = ChannelList> {
    let entry = (any::<u8>(), bytes(14))
        .prop_map(|(op_class, channels)| ChannelEntry { op_class, channels });
    (any::<[u8; 3]>(), prop::collection::vec(entry, 0..4))
        .prop_map(|(country, entries)| ChannelList { country, entries })
}

fn noa() -> impl Strategy<Value = NoticeOfAbsence> {
    let d = (any::<u8>(), any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(c, d, i, s)| {
        NoaDescriptor {
            count_type: c,
            duration_us: d,
            interval_us: i,
            start_time: s,
        }
    });
    (
        any::<u8>(),
        any::<bool>(),
        0u8..128,
        prop::collection::vec(d, 0..3),
    )
        .prop_map(|(index, opp_ps, ctwindow, descriptors)| NoticeOfAbsence {
            index,
            opp_ps,
            ctwindow,
            descriptors,
        })
}

fn group_id() -> impl Strategy<Value = GroupId> {
    (mac(), bytes(33)).prop_map(|(device_addr, ssid)| GroupId { device_addr, ssid })
}

fn capability() -> impl Strategy<Value = Capability> {
    (any::<u8>(), any::<u8>()).prop_map(|(d, g)| Capability {
        device: DeviceCapability::from_bits_retain(d),
        group: GroupCapability::from_bits_retain(g),
    })
}

fn go_intent() -> impl Strategy<Value = GoIntent> {
    (0u8..128, any::<bool>()).prop_map(|(intent, tie_breaker)| GoIntent {
        intent,
        tie_breaker,
    })
}

fn config_timeout() -> impl Strategy<Value = ConfigTimeout> {
    (any::<u8>(), any::<u8>()).prop_map(|(g, c)| ConfigTimeout {
        go_10ms: g,
        client_10ms: c,
    })
}

fn client() -> impl Strategy<Value = ClientInfo> {
    (mac(), mac(), any::<u8>(), desc()).prop_map(|(d, i, c, desc)| ClientInfo {
        device_addr: d,
        interface_addr: i,
        device_capability: DeviceCapability::from_bits_retain(c),
        desc,
    })
}

/// IDs this code keeps raw (so `Other` round-trips as `Other`).
fn other_id() -> impl Strategy<Value = AttributeId> {
    prop_oneof![Just(19u8), 20u8..=28, 29u8..=220, 222u8..=255].prop_map(AttributeId)
}

fn attribute() -> impl Strategy<Value = Attribute> {
    prop_oneof![
        any::<u8>().prop_map(|s| Attribute::Status(P2pStatus(s))),
        any::<u8>().prop_map(|s| Attribute::MinorReason(MinorReason(s))),
        capability().prop_map(Attribute::Capability),
        mac().prop_map(Attribute::DeviceId),
        go_intent().prop_map(Attribute::GoIntent),
        config_timeout().prop_map(Attribute::ConfigTimeout),
        channel().prop_map(Attribute::ListenChannel),
        mac().prop_map(Attribute::GroupBssid),
        (any::<u16>(), any::<u16>()).prop_map(|(p, i)| Attribute::ExtListenTiming(
            ExtListenTiming {
                period_ms: p,
                interval_ms: i
            }
        )),
        mac().prop_map(Attribute::IntendedInterfaceAddr),
        any::<u8>().prop_map(|m| Attribute::Manageability(Manageability::from_bits_retain(m))),
        channel_list().prop_map(Attribute::ChannelList),
        noa().prop_map(Attribute::NoticeOfAbsence),
        device_info().prop_map(Attribute::DeviceInfo),
        prop::collection::vec(client(), 0..4).prop_map(Attribute::GroupInfo),
        group_id().prop_map(Attribute::GroupId),
        (mac(), prop::collection::vec(mac(), 0..4)).prop_map(|(d, a)| Attribute::Interface(
            P2pInterface {
                device_addr: d,
                interface_addrs: a
            }
        )),
        channel().prop_map(Attribute::OperatingChannel),
        any::<u8>().prop_map(|f| Attribute::InvitationFlags(InvitationFlags::from_bits_retain(f))),
        (other_id(), bytes(300)).prop_map(|(id, body)| Attribute::Other { id, body }),
    ]
}

fn wsc() -> impl Strategy<Value = Vec<u8>> {
    bytes(300)
}

fn go_neg_request() -> impl Strategy<Value = GoNegRequest> {
    (
        (
            any::<u8>(),
            capability(),
            go_intent(),
            config_timeout(),
            channel(),
        ),
        (
            prop::option::of((any::<u16>(), any::<u16>())),
            mac(),
            channel_list(),
            device_info(),
            channel(),
        ),
        (wsc(), prop::collection::vec((other_id(), bytes(20)), 0..3)),
    )
        .prop_map(
            |((token, cap, intent, timeout, listen), (elt, addr, cl, di, op), (wsc, extra))| {
                GoNegRequest {
                    dialog_token: token,
                    capability: cap,
                    go_intent: intent,
                    config_timeout: timeout,
                    listen_channel: listen,
                    ext_listen_timing: elt.map(|(p, i)| ExtListenTiming {
                        period_ms: p,
                        interval_ms: i,
                    }),
                    intended_interface_addr: addr,
                    channel_list: cl,
                    device_info: di,
                    operating_channel: op,
                    wsc,
                    extra: extra
                        .into_iter()
                        .map(|(id, body)| Attribute::Other { id, body })
                        .collect(),
                    other_ies: vec![],
                }
            },
        )
}

fn pd_response() -> impl Strategy<Value = ProvisionDiscoveryResponse> {
    (
        any::<u8>(),
        prop::option::of(any::<u8>()),
        prop::option::of(group_id()),
        wsc(),
        bytes(40),
    )
        .prop_map(|(token, status, group_id, wsc, wfd)| {
            let mut other_ies = Vec::new();
            vendor::push_split(&mut other_ies, VendorType::WFD, &wfd);
            ProvisionDiscoveryResponse {
                dialog_token: token,
                status: status.map(P2pStatus),
                group_id,
                wsc,
                other_ies,
                ..Default::default()
            }
        })
}

fn invitation_request() -> impl Strategy<Value = InvitationRequest> {
    (
        any::<u8>(),
        config_timeout(),
        any::<u8>(),
        prop::option::of(channel()),
        prop::option::of(mac()),
    )
        .prop_flat_map(|(t, ct, f, op, bssid)| {
            (
                channel_list(),
                group_id(),
                device_info(),
                prop::option::of(wsc()),
            )
                .prop_map(move |(cl, g, di, wsc)| InvitationRequest {
                    dialog_token: t,
                    config_timeout: ct,
                    invitation_flags: InvitationFlags::from_bits_retain(f),
                    operating_channel: op,
                    group_bssid: bssid,
                    channel_list: cl,
                    group_id: g,
                    device_info: di.clone(),
                    wsc,
                    extra: vec![],
                    other_ies: vec![],
                })
        })
}

/// A P2P IE whose attribute bodies are random bytes of random (small) IDs: reaches
/// every typed attribute parser with garbage.
fn garbage_p2p_ies() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((0u8..30, bytes(40)), 0..8).prop_map(|attrs| {
        let mut payload = Vec::new();
        for (id, body) in attrs {
            payload.push(id);
            payload.extend_from_slice(&(body.len() as u16).to_le_bytes());
            payload.extend_from_slice(&body);
        }
        let mut ies = Vec::new();
        vendor::push_split(&mut ies, VendorType::P2P, &payload);
        ies
    })
}

proptest! {
    #[test]
    fn attribute_round_trip(a in attribute()) {
        let mut buf = vec![0xa5; a.buffer_len()];
        prop_assert_eq!(a.emit(&mut buf), Ok(buf.len()));
        let got = P2pIe::parse_payload(&buf).map(|ie| ie.attributes);
        prop_assert_eq!(got, Ok(vec![a]));
    }

    #[test]
    fn p2p_ie_round_trip_over_split_ies(attrs in prop::collection::vec(attribute(), 0..10)) {
        let ie = P2pIe::new(attrs);
        let ies = ie.to_ies().expect("emit");
        prop_assert_eq!(ies.len(), vendor::split_len(ie.payload_len()));
        prop_assert_eq!(P2pIe::from_ies(&ies), Ok(Some(ie)));
    }

    #[test]
    fn go_neg_request_round_trip(req in go_neg_request()) {
        let body = req.to_bytes().expect("emit");
        prop_assert!(body.starts_with(&PUBLIC_ACTION_PREFIX));
        prop_assert_eq!(P2pMessage::parse(&body), Ok(P2pMessage::GoNegRequest(req)));
    }

    #[test]
    fn pd_response_round_trip(resp in pd_response()) {
        let body = resp.to_bytes().expect("emit");
        prop_assert_eq!(ProvisionDiscoveryResponse::parse_bytes(&body), Ok(resp));
    }

    #[test]
    fn invitation_request_round_trip(req in invitation_request()) {
        let msg = P2pMessage::InvitationRequest(req);
        let body = msg.to_bytes().expect("emit");
        prop_assert_eq!(P2pMessage::parse(&body), Ok(msg));
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in bytes(400)) {
        let _ = P2pMessage::parse(&b);
        let _ = P2pIe::from_ies(&b);
        if let Ok(ie) = P2pIe::parse_payload(&b) {
            // Whatever parses can be emitted, and parses back to the same value.
            let again = P2pIe::parse_payload(&ie.to_payload().expect("emit"));
            prop_assert_eq!(again, Ok(ie));
        }
    }

    #[test]
    fn garbage_attributes_in_frames_never_panic(
        subtype in 0u8..10, token in any::<u8>(), public in any::<bool>(),
        ies in garbage_p2p_ies(), wsc in prop::option::of(bytes(20)),
    ) {
        let mut body = if public { PUBLIC_ACTION_PREFIX.to_vec() } else { vec![0x7f, 0x50, 0x6f, 0x9a, 0x09] };
        body.push(subtype);
        body.push(token);
        body.extend_from_slice(&ies);
        if let Some(w) = wsc {
            vendor::push_split(&mut body, VendorType::WSC, &w);
        }
        if let Ok(m) = P2pMessage::parse(&body) {
            prop_assert_eq!(m.dialog_token(), token);
            let again = P2pMessage::parse(&m.to_bytes().expect("emit"));
            prop_assert_eq!(again, Ok(m));
        }
    }
}
