//! Tests for the 802.11 codecs.
//!
//! Known bytes come from sources outside this project, noted beside each vector:
//! - hostap `tests/hwsim/test_p2p_discovery.py` (`test_discovery_max_peers`): a P2P probe
//!   request wpa_supplicant's test injects with `MGMT_RX_PROCESS`, built from a capture.
//! - hostap `tests/hwsim/test_cfg80211.py` (`test_cfg80211_tx_frame`): a GO Negotiation
//!   Request frame as hex (the GO's own address is substituted at run time there; here
//!   02:00:00:00:01:00 stands in for it).
//! - iwd `unit/test-p2p.c` (`p2p_association_resp_ies_1`; read from the iwd fork
//!   illiliti/eiwd at ff672504): association response
//!   elements captured from a consumer device.

use proptest::prelude::*;

use super::ie::{self, IeWriter, Rate};
use super::vendor::{self, VendorType};
use super::*;

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("test vector is valid hex")
}

/// hostap test_p2p_discovery.py: probereq1 + addr + probereq2, addr = 02:02:02:02:02:00.
const HOSTAP_PROBE_REQ: &str = concat!(
    "40000000ffffffffffff020202020200",
    "ffffffffffff000000074449524543542d01080c1218243048606c0301012d1afe131bffff0000000000",
    "00000000000100000000000000000000ff16230178c812400000bfce0000000000000000fafffaffdd73",
    "0050f204104a000110103a00010110080002314810470010572cf82fc95756539b16b5cfb298abf11054",
    "00080000000000000000103c000103100200020000100900020000101200020000102100012010230001",
    "20102400012010110008446576696365204210490009",
    "00372a000120030101dd11506f9a0902020025000605005858045106"
);

/// hostap test_cfg80211.py: GO Negotiation Request (addr2 substituted, see above).
pub(crate) const HOSTAP_GO_NEG_REQ: &str = concat!(
    "d0000000020000000100020000000100020000000100",
    "00000409506f9a090001dd5e506f9a0902020025080401001f0502006414060500585804510b09060002",
    "00000000000b1000585804510b0102030405060708090a0b0d1d000200000000000108000000000000",
    "000000101100084465766963652041110500585804510bdd190050f204104a000110101200020001",
    "1049000600372a000120"
);

/// iwd unit/test-p2p.c p2p_association_resp_ies_1 (a captured association response's
/// elements; its P2P IE is empty).
const IWD_ASSOC_RESP_IES: &str = concat!(
    "01088c129824b048606c2d1a731103ff000000010000000000000001000000000000000000003d166405",
    "0400000000000000000000000000000000000000dd04506f9a097f080100000000000040bf0c30719003",
    "feff0000feff0000c005000000feffdd180050f2020101800103a4000027a4000042435e0062322f00dd",
    "07000ce708000000"
);

#[test]
fn hostap_probe_request_parses_and_round_trips() {
    let bytes = unhex(HOSTAP_PROBE_REQ);
    let frame = MgmtFrame::new_checked(&bytes[..]).expect("checked");
    assert_eq!(frame.frame_control().subtype(), MgmtSubtype::PROBE_REQ.0);
    let repr = MgmtRepr::parse(&frame).expect("parse");
    assert_eq!(repr.header.addr1, MacAddr::BROADCAST);
    assert_eq!(
        repr.header.addr2,
        "02:02:02:02:02:00".parse::<MacAddr>().expect("mac")
    );
    let MgmtBody::ProbeRequest(ref pr) = repr.body else {
        panic!("not a probe request")
    };

    let ies: Vec<Ie<'_>> = Ie::iter(&pr.ies)
        .collect::<Result<_, _>>()
        .expect("elements");
    assert!(matches!(ies[0], Ie::Ssid(b"DIRECT-")));
    let Ie::SupportedRates(r) = ies[1] else {
        panic!("rates")
    };
    assert_eq!(ie::rates(r).collect::<Vec<_>>(), Rate::OFDM.to_vec());
    assert!(matches!(ies[2], Ie::DsParams(1)));
    let Ie::HtCapabilities(ht) = ies[3] else {
        panic!("ht caps")
    };
    assert_eq!(ht.cap_info(), 0x13fe);
    assert!(ht.supports_40mhz());
    assert_eq!(ht.mcs_set()[0], 0xff);
    assert!(matches!(
        ies[4],
        Ie::Other(Element {
            id: ElementId::EXTENSION,
            ..
        })
    ));

    let wsc = vendor::concat_payload(&pr.ies, VendorType::WSC).expect("WSC IE");
    assert_eq!(&wsc[..5], &[0x10, 0x4a, 0x00, 0x01, 0x10]);
    let p2p = vendor::concat_payload(&pr.ies, VendorType::P2P).expect("P2P IE");
    assert_eq!(p2p, unhex("02020025000605005858045106"));

    // Emit into a buffer pre-filled with 0xa5: every byte must be written.
    let mut out = vec![0xa5; repr.buffer_len()];
    assert_eq!(repr.emit(&mut out), Ok(bytes.len()));
    assert_eq!(out, bytes);
}

#[test]
fn hostap_go_neg_request_header_and_action() {
    let bytes = unhex(HOSTAP_GO_NEG_REQ);
    let repr = MgmtRepr::parse_bytes(&bytes).expect("parse");
    assert_eq!(repr.body.subtype(), MgmtSubtype::ACTION);
    assert_eq!(repr.header.addr1, MacAddr([2, 0, 0, 0, 1, 0]));
    assert_eq!(repr.header.seq_ctrl, SequenceControl(0));
    let MgmtBody::Action(ref a) = repr.body else {
        panic!("not action")
    };
    assert_eq!(a.category, ActionCategory::PUBLIC);
    assert_eq!(&a.body[..5], &[0x09, 0x50, 0x6f, 0x9a, 0x09]);
    assert_eq!(repr.to_vec(), bytes);
}

#[test]
fn iwd_assoc_response_elements() {
    let ies = unhex(IWD_ASSOC_RESP_IES);
    Elements::validate(&ies).expect("well formed");
    let all: Vec<Ie<'_>> = Ie::iter(&ies).collect::<Result<_, _>>().expect("typed");
    let Ie::SupportedRates(r) = all[0] else {
        panic!("rates")
    };
    let r: Vec<Rate> = ie::rates(r).collect();
    assert_eq!(r.len(), 8);
    assert!(r[0].is_basic() && r[0].kbps() == 6000);
    assert!(!r[1].is_basic() && r[1].kbps() == 9000);
    let Ie::HtCapabilities(ht) = all[1] else {
        panic!("ht")
    };
    assert_eq!(ht.cap_info(), 0x1173);
    let Ie::HtOperation(op) = all[2] else {
        panic!("ht op")
    };
    assert_eq!(op[0], 100, "primary channel");
    // The P2P IE is present but empty: Some(empty), not None.
    assert_eq!(
        vendor::concat_payload(&ies, VendorType::P2P),
        Some(Vec::new())
    );
    assert!(matches!(all[4], Ie::ExtCapabilities(e) if e.len() == 8));
    assert_eq!(vendor::concat_payload(&ies, VendorType::WSC), None);
    let wmm = all.iter().find_map(|i| match i {
        Ie::Vendor(v) if v.oui == Oui::MICROSOFT && v.oui_type() == Some(2) => Some(*v),
        _ => None,
    });
    assert_eq!(wmm.map(|v| v.data.len()), Some(21));
}

#[test]
fn auth_open_system_known_layout() {
    // Open System authentication request as every station sends it (802.11-2020
    // 9.3.3.12): algorithm 0, transaction 1, status 0, all little-endian.
    let da = MacAddr([0x02, 0, 0, 0, 0, 1]);
    let sa = MacAddr([0x02, 0, 0, 0, 1, 0]);
    let repr = MgmtRepr::new(
        da,
        sa,
        da,
        MgmtBody::Auth(AuthRepr {
            algorithm: AuthAlgorithm::OPEN_SYSTEM,
            transaction: 1,
            status: StatusCode::SUCCESS,
            ies: vec![],
        }),
    );
    let mut out = vec![0xa5; repr.buffer_len()];
    repr.emit(&mut out).expect("emit");
    assert_eq!(
        hex::encode(&out),
        "b0000000020000000001020000000100020000000001000000000100 0000".replace(' ', "")
    );
    assert_eq!(MgmtRepr::parse_bytes(&out), Ok(repr));
}

#[test]
fn deauth_reason_and_assoc_response_aid() {
    let a = MacAddr([2, 0, 0, 0, 0, 1]);
    let repr = MgmtRepr::new(
        a,
        a,
        a,
        MgmtBody::Deauth(ReasonRepr {
            reason: ReasonCode::DEAUTH_LEAVING,
            ies: vec![],
        }),
    );
    let v = repr.to_vec();
    assert_eq!(&v[..2], &[0xc0, 0x00]);
    assert_eq!(&v[24..], &[0x03, 0x00]);
    assert_eq!(format!("{:?}", ReasonCode(3)), "DEAUTH_LEAVING(3)");
    assert_eq!(format!("{:?}", ReasonCode(999)), "ReasonCode(999)");

    let resp = AssocResponseRepr {
        capability: CapabilityInfo::ESS | CapabilityInfo::PRIVACY,
        status: StatusCode::SUCCESS,
        aid_field: AssocResponseRepr::aid_field_for(1),
        ies: vec![],
    };
    let mut buf = vec![0xa5; 6];
    MgmtBody::AssocResponse(resp.clone())
        .emit(&mut buf)
        .expect("emit");
    assert_eq!(buf, [0x11, 0x00, 0x00, 0x00, 0x01, 0xc0]);
    assert_eq!(resp.aid(), 1);
}

#[test]
fn ht_control_header_is_skipped_and_kept() {
    let mut bytes = unhex(HOSTAP_PROBE_REQ);
    bytes[1] |= 0x80; // +HTC/Order
    bytes.splice(24..24, [1, 2, 3, 4]);
    let repr = MgmtRepr::parse_bytes(&bytes).expect("parse");
    assert_eq!(repr.header.ht_control, Some(0x0403_0201));
    assert!(matches!(repr.body, MgmtBody::ProbeRequest(ref p) if p.ies[0] == 0));
    assert_eq!(repr.to_vec(), bytes);
}

#[test]
fn protected_and_non_management_frames() {
    let mut bytes = unhex(HOSTAP_GO_NEG_REQ);
    bytes[1] |= 0x40;
    let repr = MgmtRepr::parse_bytes(&bytes).expect("parse");
    assert!(matches!(
        repr.body,
        MgmtBody::Other {
            subtype: MgmtSubtype::ACTION,
            ..
        }
    ));
    assert_eq!(repr.to_vec(), bytes);
    assert_eq!(
        MgmtRepr::parse_bytes(&[0x08, 0x00]),
        Err(Error::NotManagement(2))
    );
    assert_eq!(
        MgmtRepr::parse_bytes(&bytes[..20]),
        Err(Error::Truncated("management header"))
    );
    // A beacon body shorter than its fixed fields.
    let mut short = bytes[..24].to_vec();
    short[0] = 0x80;
    short[1] = 0;
    short.extend_from_slice(&[0; 11]);
    assert!(matches!(
        MgmtRepr::parse_bytes(&short),
        Err(Error::Truncated(_))
    ));
}

#[test]
fn element_iterator_stops_on_overrun() {
    let ies = [0u8, 2, b'a', b'b', 221, 10, 0x50, 0x6f];
    let mut it = Elements::new(&ies);
    assert!(matches!(
        it.next(),
        Some(Ok(Element {
            id: ElementId::SSID,
            data: b"ab"
        }))
    ));
    assert_eq!(it.next(), Some(Err(Error::Truncated("element"))));
    assert_eq!(it.next(), None);
    assert!(Elements::validate(&ies).is_err());
    assert!(
        Ie::parse(Element {
            id: ElementId::SSID,
            data: &[0; 33]
        })
        .is_err()
    );
    assert!(
        Ie::parse(Element {
            id: ElementId::HT_CAPABILITIES,
            data: &[0; 25]
        })
        .is_err()
    );
}

#[test]
fn writer_splits_rates_and_checks_lengths() {
    let mut w = IeWriter::new();
    let rates: Vec<Rate> = [2u8, 4, 11, 22]
        .into_iter()
        .map(|r| Rate::new(r, true))
        .chain(Rate::OFDM)
        .collect();
    w.ssid(b"DIRECT-ab")
        .expect("ssid")
        .rates(&rates)
        .expect("rates")
        .ds_params(6)
        .expect("ds");
    let v = w.finish();
    assert_eq!(
        hex::encode(&v),
        concat!(
            "00094449524543542d6162",
            "010882848b960c121824",
            "32043048606c",
            "030106"
        )
    );
    assert!(IeWriter::new().ssid(&[0; 33]).is_err());
    assert!(IeWriter::new().element(ElementId::RSN, &[0; 256]).is_err());
}

#[test]
fn vendor_split_concat_known_lengths() {
    let payload: Vec<u8> = (0..600u32).map(|i| i as u8).collect();
    let mut out = Vec::new();
    vendor::push_split(&mut out, VendorType::P2P, &payload);
    assert_eq!(out.len(), vendor::split_len(payload.len()));
    let lens: Vec<usize> = Elements::new(&out)
        .map(|e| e.expect("ok").data.len())
        .collect();
    assert_eq!(lens, vec![255, 255, 4 + 600 - 2 * 251]);
    assert_eq!(vendor::concat_payload(&out, VendorType::P2P), Some(payload));
    assert_eq!(vendor::concat_payload(&out, VendorType::WSC), None);
    let mut empty = Vec::new();
    vendor::push_split(&mut empty, VendorType::WSC, &[]);
    assert_eq!(empty, [221, 4, 0x00, 0x50, 0xf2, 0x04]);
}

#[test]
fn mac_addr_text() {
    let a: MacAddr = "02:1a:FF:00:10:9c".parse().expect("mac");
    assert_eq!(a.to_string(), "02:1a:ff:00:10:9c");
    assert!(a.is_local() && !a.is_multicast());
    for bad in [
        "02:1a:ff:00:10",
        "02:1a:ff:00:10:9c:00",
        "0g:1a:ff:00:10:9c",
        "021aff00109c",
    ] {
        assert!(bad.parse::<MacAddr>().is_err(), "{bad}");
    }
}

fn arb_mac() -> impl Strategy<Value = MacAddr> {
    any::<[u8; 6]>().prop_map(MacAddr)
}

fn arb_ies() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (any::<u8>(), prop::collection::vec(any::<u8>(), 0..40)),
        0..6,
    )
    .prop_map(|els| {
        let mut w = IeWriter::new();
        for (id, data) in els {
            w.element(ElementId(id), &data).expect("short");
        }
        w.finish()
    })
}

fn arb_body() -> impl Strategy<Value = MgmtBody> {
    let cap = any::<u16>().prop_map(CapabilityInfo::from_bits_retain);
    prop_oneof![
        (cap.clone(), any::<u16>(), arb_ies()).prop_map(|(capability, listen_interval, ies)| {
            MgmtBody::AssocRequest(AssocRequestRepr {
                capability,
                listen_interval,
                ies,
            })
        }),
        (cap.clone(), any::<u16>(), arb_mac(), arb_ies()).prop_map(|(c, l, a, ies)| {
            MgmtBody::ReassocRequest(ReassocRequestRepr {
                capability: c,
                listen_interval: l,
                current_ap: a,
                ies,
            })
        }),
        (cap.clone(), any::<u16>(), any::<u16>(), arb_ies()).prop_map(|(c, s, aid, ies)| {
            MgmtBody::AssocResponse(AssocResponseRepr {
                capability: c,
                status: StatusCode(s),
                aid_field: aid,
                ies,
            })
        }),
        arb_ies().prop_map(|ies| MgmtBody::ProbeRequest(ProbeRequestRepr { ies })),
        (any::<u64>(), any::<u16>(), cap, arb_ies(), any::<bool>()).prop_map(
            |(timestamp, beacon_interval, capability, ies, beacon)| {
                let b = BeaconRepr {
                    timestamp,
                    beacon_interval,
                    capability,
                    ies,
                };
                if beacon {
                    MgmtBody::Beacon(b)
                } else {
                    MgmtBody::ProbeResponse(b)
                }
            }
        ),
        (any::<u16>(), any::<u16>(), any::<u16>(), arb_ies()).prop_map(|(a, t, s, ies)| {
            MgmtBody::Auth(AuthRepr {
                algorithm: AuthAlgorithm(a),
                transaction: t,
                status: StatusCode(s),
                ies,
            })
        }),
        (any::<u16>(), arb_ies(), any::<bool>()).prop_map(|(r, ies, de)| {
            let rr = ReasonRepr {
                reason: ReasonCode(r),
                ies,
            };
            if de {
                MgmtBody::Deauth(rr)
            } else {
                MgmtBody::Disassoc(rr)
            }
        }),
        (any::<u8>(), prop::collection::vec(any::<u8>(), 0..64)).prop_map(|(c, body)| {
            MgmtBody::Action(ActionRepr {
                category: ActionCategory(c),
                body,
            })
        }),
    ]
}

proptest! {
    #[test]
    fn mgmt_round_trip(
        body in arb_body(),
        a1 in arb_mac(), a2 in arb_mac(), a3 in arb_mac(),
        duration in any::<u16>(), seq in any::<u16>(),
        flags in (0u16..0x40).prop_map(|f| (f << 8) & 0x3f00),
        htc in prop::option::of(any::<u32>()),
    ) {
        let repr = MgmtRepr {
            header: MgmtHeader {
                flags, duration, addr1: a1, addr2: a2, addr3: a3,
                seq_ctrl: SequenceControl(seq), ht_control: htc,
            },
            body,
        };
        let mut buf = vec![0xa5; repr.buffer_len()];
        prop_assert_eq!(repr.emit(&mut buf), Ok(buf.len()));
        prop_assert_eq!(MgmtRepr::parse_bytes(&buf), Ok(repr));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(repr) = MgmtRepr::parse_bytes(&bytes) {
            // Whatever parses re-emits to the same bytes.
            prop_assert_eq!(repr.to_vec(), bytes.clone());
            for ie in Ie::iter(repr.body.ies().unwrap_or(&[])) {
                let _ = ie;
            }
        }
        for ie in Ie::iter(&bytes) {
            let _ = ie;
        }
        let _ = vendor::concat_payload(&bytes, VendorType::P2P);
        let _ = vendor::without(&bytes, VendorType::WSC);
    }

    #[test]
    fn vendor_split_concat_round_trip(payload in prop::collection::vec(any::<u8>(), 0..1200)) {
        let mut out = Vec::new();
        vendor::push_split(&mut out, VendorType::WSC, &payload);
        prop_assert_eq!(out.len(), vendor::split_len(payload.len()));
        Elements::validate(&out).expect("well formed");
        prop_assert_eq!(vendor::concat_payload(&out, VendorType::WSC), Some(payload));
    }
}
