//! WSC IE payloads from iwd's unit/test-wsc.c (an ASUS RT-AC68U probe response, a beacon,
//! iwd's own probe request): parsed to the values iwd's test expects, and rebuilt byte for
//! byte.

mod common;

use common::Vectors;
use wps::attr::{
    AssociationState, ConfigError, ConfigMethods, DevicePasswordId, RequestType, ResponseType,
    RfBands, WfaSubelement, WpsState, uuid_from_mac,
};
use wps::ie::{
    AssocRequestWsc, AssocResponseWsc, BeaconWsc, ProbeRequestWsc, ProbeResponseWsc, build_wsc_ies,
    wsc_payload,
};
use wps::message::MessageError;

#[test]
fn probe_response_from_asus_router() {
    let v = Vectors::iwd();
    let p = ProbeResponseWsc::parse(v.get("wsc_attrs1")).expect("parse");
    assert_eq!(p.wps_state, WpsState::CONFIGURED);
    let sel = p.selected_registrar;
    assert!(sel.is_selected());
    assert_eq!(sel.device_password_id, Some(DevicePasswordId::PUSH_BUTTON));
    assert_eq!(
        sel.config_methods,
        Some(
            ConfigMethods::VIRTUAL_DISPLAY
                | ConfigMethods::VIRTUAL_PUSH_BUTTON
                | ConfigMethods::PHYSICAL_PUSH_BUTTON
        )
    );
    assert_eq!(p.response_type, ResponseType::AP);
    assert_eq!(
        hex::encode(p.uuid_e.expect("uuid")),
        "c44aad8d252f52c6f96b385dcb2331ae"
    );
    assert_eq!(p.manufacturer, b"ASUSTeK Computer Inc.");
    assert_eq!(p.model_name, b"Wi-Fi Protected Setup Router");
    assert_eq!(p.model_number, b"RT-AC68U");
    assert_eq!(p.serial_number.as_deref(), Some(&b"10:c3:7b:54:74:d0"[..]));
    assert_eq!(
        (
            p.primary_device_type.category,
            p.primary_device_type.sub_category
        ),
        (6, 1)
    );
    assert_eq!(p.primary_device_type.oui, [0x00, 0x50, 0xf2, 0x04]);
    assert_eq!(p.device_name, b"RT-AC68U");
    assert_eq!(p.config_methods, ConfigMethods::VIRTUAL_DISPLAY);
    assert_eq!(
        p.rf_bands,
        Some(RfBands::BAND_2_4_GHZ | RfBands::BAND_5_GHZ)
    );
    assert_eq!(
        p.wfa,
        vec![
            WfaSubelement::Version2(0x20),
            WfaSubelement::AuthorizedMacs(vec![[0xff; 6]])
        ]
    );
    assert_eq!(p.emit().expect("emit"), v.get("wsc_attrs1"));
}

#[test]
fn beacon() {
    let v = Vectors::iwd();
    let b = BeaconWsc::parse(v.get("beacon1")).expect("parse");
    assert_eq!(b.wps_state, WpsState::CONFIGURED);
    assert_eq!(b.selected_registrar, Default::default());
    assert_eq!(b.ap_setup_locked, None);
    assert_eq!(b.wfa, vec![WfaSubelement::Version2(0x20)]);
    assert_eq!(b.emit().expect("emit"), v.get("beacon1"));
}

#[test]
fn probe_request_from_iwd() {
    let v = Vectors::iwd();
    let p = ProbeRequestWsc::parse(v.get("probe_request1")).expect("parse");
    assert_eq!(p.request_type, RequestType::ENROLLEE_OPEN_8021X);
    assert_eq!(
        p.config_methods,
        ConfigMethods::VIRTUAL_DISPLAY | ConfigMethods::NFC_INTERFACE | ConfigMethods::KEYPAD
    );
    assert_eq!(hex::encode(p.uuid_e), "790c1f804f2b52b7be30c0e97292088d");
    assert_eq!(p.rf_bands, RfBands::BAND_2_4_GHZ | RfBands::BAND_5_GHZ);
    assert_eq!(p.association_state, AssociationState::NOT_ASSOCIATED);
    assert_eq!(p.config_error, ConfigError::NO_ERROR);
    assert!(p.is_pbc());
    assert_eq!(p.manufacturer.as_deref(), Some(&b" "[..]));
    assert_eq!(
        p.wfa,
        vec![
            WfaSubelement::Version2(0x20),
            WfaSubelement::RequestToEnroll(true)
        ]
    );
    assert_eq!(p.emit().expect("emit"), v.get("probe_request1"));
}

#[test]
fn uuid_from_mac_matches_iwd_and_hostap() {
    // iwd's wsc_uuid_from_addr vector: a0:a8:cd:1c:7e:c9 -> the UUID-E of its M1.
    assert_eq!(
        hex::encode(uuid_from_mac(&[0xa0, 0xa8, 0xcd, 0x1c, 0x7e, 0xc9])),
        "790c1f804f2b52b7be30c0e97292088d"
    );
}

#[test]
fn wsc_payload_spans_several_vendor_elements() {
    let v = Vectors::iwd();
    let big: Vec<u8> = v
        .get("wsc_attrs1")
        .iter()
        .chain(v.get("probe_request1"))
        .chain(v.get("wsc_attrs1"))
        .copied()
        .collect();
    let ies = build_wsc_ies(&big);
    assert_eq!(
        ies.len(),
        big.len() + 6 * big.len().div_ceil(251),
        "split in 251-byte pieces"
    );
    // Other elements around and between them are skipped.
    let mut frame = vec![0, 4, b'D', b'I', b'R', b'E', 1, 1, 0x82];
    let (first, rest) = ies.split_at(2 + ies[1] as usize);
    frame.extend_from_slice(first);
    frame.extend_from_slice(&[221, 5, 0x50, 0x6f, 0x9a, 0x09, 0x00]); // a P2P IE
    frame.extend_from_slice(rest);
    assert_eq!(wsc_payload(&frame).expect("walk"), Some(big));
    assert_eq!(wsc_payload(&[0, 2, b'a', b'b']).expect("walk"), None);
    assert!(
        wsc_payload(&[221, 10, 0x00, 0x50]).is_err(),
        "truncated element"
    );
}

#[test]
fn association_elements_round_trip() {
    let req = AssocRequestWsc {
        request_type: RequestType::ENROLLEE_OPEN_8021X,
        wfa: vec![WfaSubelement::Version2(0x20)],
        extra: vec![],
    };
    let bytes = req.emit().expect("emit");
    assert_eq!(
        hex::encode(&bytes),
        "104a000110103a0001011049000600372a000120"
    );
    assert_eq!(AssocRequestWsc::parse(&bytes).expect("parse"), req);
    let resp = AssocResponseWsc {
        response_type: ResponseType::AP,
        wfa: vec![WfaSubelement::Version2(0x20)],
        extra: vec![],
    };
    assert_eq!(
        AssocResponseWsc::parse(&resp.emit().expect("emit")).expect("parse"),
        resp
    );
    // Missing Request Type is a typed error.
    assert_eq!(
        AssocRequestWsc::parse(&bytes[..5]),
        Err(MessageError::Missing(wps::attr::AttrType::REQUEST_TYPE))
    );
}

/// WSC IE payloads of real wpa_supplicant frames on the hwsim air (P2P GO beacons with and
/// without Selected Registrar, P2P probe requests/responses, association request/response):
/// tests/vectors/hwsim-p2p-{pin,pbc}.txt. Each parses with its declared attributes and
/// re-encodes byte for byte.
#[test]
fn wpa_supplicant_elements_from_the_air() {
    for file in ["hwsim-p2p-pin.txt", "hwsim-p2p-pbc.txt"] {
        elements_from_the_air(file);
    }
    // With PBC, the GO's beacon announces Device Password ID 4 while its registrar waits.
    let v = Vectors(common::load("hwsim-p2p-pbc.txt"));
    let pbc_beacon = v
        .0
        .iter()
        .filter(|(k, _)| k.starts_with("ie_beacon_"))
        .filter_map(|(_, p)| BeaconWsc::parse(p).ok())
        .any(|b| {
            b.selected_registrar.is_selected()
                && b.selected_registrar.device_password_id == Some(DevicePasswordId::PUSH_BUTTON)
        });
    assert!(pbc_beacon, "no PBC beacon in the PBC capture");
    // And the client's probe requests say PBC, which is what feeds the PBC monitor.
    let pbc_probe =
        v.0.iter()
            .filter(|(k, _)| k.starts_with("ie_probe_request_"))
            .filter_map(|(_, p)| ProbeRequestWsc::parse(p).ok())
            .any(|p| p.is_pbc());
    assert!(pbc_probe, "no PBC probe request in the PBC capture");
}

fn elements_from_the_air(file: &str) {
    let v = Vectors(common::load(file));
    let mut kinds = std::collections::BTreeMap::new();
    for (name, payload) in v.0.iter().filter(|(k, _)| k.starts_with("ie_")) {
        let kind = name
            .trim_start_matches("ie_")
            .rsplit_once('_')
            .expect("ie_<kind>_<n>")
            .0;
        let again = match kind {
            "beacon" => BeaconWsc::parse(payload).and_then(|x| x.emit()),
            "probe_request" => ProbeRequestWsc::parse(payload).and_then(|x| x.emit()),
            "probe_response" => ProbeResponseWsc::parse(payload).and_then(|x| x.emit()),
            "assoc_request" | "reassoc_request" => {
                AssocRequestWsc::parse(payload).and_then(|x| x.emit())
            }
            "assoc_response" => AssocResponseWsc::parse(payload).and_then(|x| x.emit()),
            other => panic!("unexpected kind {other}"),
        };
        assert_eq!(
            hex::encode(again.unwrap_or_else(|e| panic!("{name}: {e}"))),
            hex::encode(payload),
            "{name}"
        );
        *kinds.entry(kind.to_string()).or_insert(0) += 1;
    }
    assert!(
        [
            "beacon",
            "probe_request",
            "probe_response",
            "assoc_request",
            "assoc_response"
        ]
        .iter()
        .all(|k| kinds.contains_key(*k)),
        "{kinds:?}"
    );
    if file != "hwsim-p2p-pin.txt" {
        return;
    }
    // The GO's beacon while its registrar waits for the PIN enrollee.
    let b = BeaconWsc::parse(v.get("ie_beacon_1")).expect("beacon");
    assert!(b.selected_registrar.is_selected());
    assert_eq!(
        b.selected_registrar.device_password_id,
        Some(DevicePasswordId::DEFAULT)
    );
    // A P2P device's probe response announces its Device Password ID without being a
    // selected registrar.
    let pr = ProbeResponseWsc::parse(v.get("ie_probe_response_2")).expect("probe response");
    assert_eq!(
        (
            pr.selected_registrar.is_selected(),
            pr.selected_registrar.device_password_id
        ),
        (false, Some(DevicePasswordId::REGISTRAR_SPECIFIED))
    );
    assert!(
        b.wfa
            .iter()
            .any(|s| matches!(s, WfaSubelement::AuthorizedMacs(m) if m.len() == 1)),
        "{:?}",
        b.wfa
    );
}
