//! Property tests: typed attributes and messages survive emit -> parse; parsers never
//! panic on arbitrary bytes.

use proptest::prelude::*;
use wps::attr::{
    AssociationState, AttrType, Attribute, AuthType, AuthTypes, ConfigError, ConfigMethods,
    ConnTypes, DevicePasswordId, DeviceType, EncrType, EncrTypes, MessageType, RequestType,
    ResponseType, RfBands, VendorExtension, WfaSubelement, WpsState,
};
use wps::message::{Credential, M3, Message, Nack};
use zeroize::Zeroizing;

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

fn device_type() -> impl Strategy<Value = DeviceType> {
    (any::<u16>(), any::<[u8; 4]>(), any::<u16>()).prop_map(|(category, oui, sub_category)| {
        DeviceType {
            category,
            oui,
            sub_category,
        }
    })
}

fn wfa_sub() -> impl Strategy<Value = WfaSubelement> {
    prop_oneof![
        any::<u8>().prop_map(WfaSubelement::Version2),
        proptest::collection::vec(any::<[u8; 6]>(), 1..6).prop_map(WfaSubelement::AuthorizedMacs),
        any::<bool>().prop_map(WfaSubelement::NetworkKeyShareable),
        any::<bool>().prop_map(WfaSubelement::RequestToEnroll),
        any::<u8>().prop_map(WfaSubelement::SettingsDelayTime),
        (5u8..=255, bytes(20)).prop_map(|(id, value)| WfaSubelement::Other { id, value }),
    ]
}

fn vendor() -> impl Strategy<Value = VendorExtension> {
    prop_oneof![
        proptest::collection::vec(wfa_sub(), 0..4).prop_map(VendorExtension::Wfa),
        (
            any::<[u8; 3]>().prop_filter("not WFA", |v| *v != [0, 0x37, 0x2a]),
            bytes(30)
        )
            .prop_map(|(vendor_id, data)| VendorExtension::Other { vendor_id, data }),
    ]
}

fn attribute() -> impl Strategy<Value = Attribute> {
    prop_oneof![
        any::<u8>().prop_map(Attribute::Version),
        any::<u8>().prop_map(|v| Attribute::MessageType(MessageType(v))),
        any::<[u8; 16]>().prop_map(Attribute::UuidE),
        any::<[u8; 16]>().prop_map(Attribute::RegistrarNonce),
        any::<[u8; 6]>().prop_map(Attribute::MacAddress),
        proptest::collection::vec(any::<u8>(), 192)
            .prop_map(|v| Attribute::PublicKey(Box::new(v.try_into().expect("192")))),
        any::<u16>().prop_map(|v| Attribute::AuthTypeFlags(AuthTypes::from_bits_retain(v))),
        any::<u16>().prop_map(|v| Attribute::EncrTypeFlags(EncrTypes::from_bits_retain(v))),
        any::<u8>().prop_map(|v| Attribute::ConnectionTypeFlags(ConnTypes::from_bits_retain(v))),
        any::<u16>().prop_map(|v| Attribute::ConfigMethods(ConfigMethods::from_bits_retain(v))),
        any::<u8>().prop_map(|v| Attribute::WpsState(WpsState(v))),
        bytes(80).prop_map(Attribute::Manufacturer),
        bytes(40).prop_map(Attribute::DeviceName),
        device_type().prop_map(Attribute::PrimaryDeviceType),
        proptest::collection::vec(device_type(), 1..4).prop_map(Attribute::SecondaryDeviceTypeList),
        any::<u8>().prop_map(|v| Attribute::RfBands(RfBands::from_bits_retain(v))),
        any::<u16>().prop_map(|v| Attribute::AssociationState(AssociationState(v))),
        any::<u16>().prop_map(|v| Attribute::DevicePasswordId(DevicePasswordId(v))),
        any::<u16>().prop_map(|v| Attribute::ConfigError(ConfigError(v))),
        any::<u32>().prop_map(Attribute::OsVersion),
        any::<[u8; 32]>().prop_map(Attribute::EHash1),
        any::<[u8; 32]>().prop_map(Attribute::RHash2),
        any::<[u8; 16]>().prop_map(|v| Attribute::ESNonce2(Zeroizing::new(v))),
        bytes(200).prop_map(Attribute::EncryptedSettings),
        any::<[u8; 8]>().prop_map(Attribute::Authenticator),
        any::<[u8; 8]>().prop_map(Attribute::KeyWrapAuthenticator),
        bytes(100).prop_map(|v| Attribute::Credential(Zeroizing::new(v))),
        any::<u8>().prop_map(Attribute::NetworkIndex),
        bytes(33).prop_map(Attribute::Ssid),
        bytes(65).prop_map(|v| Attribute::NetworkKey(Zeroizing::new(v))),
        any::<u16>().prop_map(|v| Attribute::AuthType(AuthType(v))),
        any::<u16>().prop_map(|v| Attribute::EncrType(EncrType(v))),
        any::<bool>().prop_map(Attribute::SelectedRegistrar),
        any::<u8>().prop_map(|v| Attribute::ResponseType(ResponseType(v))),
        any::<u8>().prop_map(|v| Attribute::RequestType(RequestType(v))),
        any::<bool>().prop_map(Attribute::ApSetupLocked),
        vendor().prop_map(Attribute::VendorExtension),
        (0x2000u16..0x3000, bytes(50)).prop_map(|(k, value)| Attribute::Other {
            kind: AttrType(k),
            value
        }),
    ]
}

proptest! {
    #[test]
    fn attributes_round_trip(attrs in proptest::collection::vec(attribute(), 0..12)) {
        // Length limits of the typed SSID/Network Key: longer values are refused on parse.
        let valid = attrs.iter().all(|a| match a {
            Attribute::Ssid(s) => s.len() <= 32,
            Attribute::NetworkKey(k) => k.len() <= 64,
            _ => true,
        });
        let bytes = Attribute::emit_all(&attrs).expect("emit");
        match Attribute::parse_all(&bytes) {
            Ok(back) => { prop_assert!(valid); prop_assert_eq!(back, attrs); }
            Err(_) => prop_assert!(!valid),
        }
    }

    #[test]
    fn m3_and_nack_round_trip(nonce in any::<[u8; 16]>(), h1 in any::<[u8; 32]>(), h2 in any::<[u8; 32]>(), auth in any::<[u8; 8]>(), err in any::<u16>()) {
        let m3 = M3 { registrar_nonce: nonce, e_hash1: h1, e_hash2: h2, wfa: vec![WfaSubelement::Version2(0x20)], extra: vec![], authenticator: Some(auth) };
        prop_assert_eq!(Message::parse(&m3.emit().expect("emit")).expect("parse"), Message::M3(m3));
        let n = Nack { enrollee_nonce: h1[..16].try_into().expect("16"), registrar_nonce: nonce, config_error: ConfigError(err), wfa: vec![], extra: vec![] };
        prop_assert_eq!(Message::parse(&n.emit().expect("emit")).expect("parse"), Message::Nack(n));
    }

    #[test]
    fn credential_round_trip(ssid in bytes(33), key in bytes(65), mac in any::<[u8; 6]>(), idx in any::<u8>()) {
        let mut c = Credential::wpa2_psk(&ssid, &key, mac);
        c.network_index = idx;
        let r = Credential::parse(&c.emit().expect("emit"));
        if ssid.len() <= 32 && key.len() <= 64 { prop_assert_eq!(r.expect("parse"), c); } else { prop_assert!(r.is_err()); }
    }

    #[test]
    fn parsers_never_panic(data in bytes(600)) {
        let _ = Attribute::parse_all(&data);
        let _ = Message::parse(&data);
        let _ = wps::eap::EapPacket::parse(&data);
        let _ = wps::ie::wsc_payload(&data);
        let _ = wps::ie::ProbeRequestWsc::parse(&data);
        let _ = wps::message::M8Settings::parse(&data);
    }
}

#[test]
fn duplicates_and_missing_attributes_are_typed_errors() {
    use wps::message::MessageError;
    let m3 = M3 {
        registrar_nonce: [1; 16],
        e_hash1: [2; 32],
        e_hash2: [3; 32],
        wfa: vec![],
        extra: vec![],
        authenticator: Some([4; 8]),
    };
    let good = m3.emit().expect("emit");
    // Duplicate the Registrar Nonce.
    let mut dup = good[..10].to_vec();
    Attribute::RegistrarNonce([9; 16])
        .emit(&mut dup)
        .expect("emit");
    dup.extend_from_slice(&good[10..]);
    assert_eq!(
        M3::parse(&dup),
        Err(MessageError::Duplicate(AttrType::REGISTRAR_NONCE))
    );
    // Drop E-Hash2 (bytes 10+20+36 .. +36).
    let mut missing = good[..66].to_vec();
    missing.extend_from_slice(&good[102..]);
    assert_eq!(
        M3::parse(&missing),
        Err(MessageError::Missing(AttrType::E_HASH2))
    );
    // Authenticator not last.
    let mut moved = good[..good.len() - 12].to_vec();
    let auth = good[good.len() - 12..].to_vec();
    moved.splice(10..10, auth);
    assert_eq!(M3::parse(&moved), Err(MessageError::AuthenticatorNotLast));
    // Wrong message type.
    assert!(matches!(
        wps::message::M4::parse(&good),
        Err(MessageError::WrongType { .. })
    ));
}
