//! Property tests: encode/decode round trips and decoders that never panic.

use ndn::packet::lp::{LpPacket, NackReason};
use ndn::packet::{Component, Data, Interest, MetaInfo, Name, SignatureInfo};
use proptest::prelude::*;

fn component() -> impl Strategy<Value = Component> {
    prop_oneof![
        4 => proptest::collection::vec(any::<u8>(), 0..12).prop_map(Component::generic),
        1 => (prop_oneof![Just(50u64), Just(54), Just(58), Just(32), 9u64..=0xFFFF], proptest::collection::vec(any::<u8>(), 0..6))
            .prop_filter("not a digest type", |(t, _)| *t != 1 && *t != 2)
            .prop_map(|(typ, value)| Component { typ, value }),
        1 => proptest::collection::vec(any::<u8>(), 32..=32).prop_map(|value| Component { typ: 1, value }),
    ]
}

fn name() -> impl Strategy<Value = Name> {
    proptest::collection::vec(component(), 1..6).prop_map(|cs| cs.into_iter().fold(Name::new(), |n, c| n.with(c)))
}

prop_compose! {
    fn interest()(name in name(), cbp in any::<bool>(), mbf in any::<bool>(), hint in proptest::collection::vec(name(), 0..2),
                  nonce in any::<Option<u32>>(), lifetime in proptest::option::of(0u64..100_000), hop in any::<Option<u8>>(),
                  params in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..20)), sign in any::<bool>())
                 -> Interest {
        let mut i = Interest::new(name);
        i.can_be_prefix = cbp;
        i.must_be_fresh = mbf;
        i.forwarding_hint = hint;
        i.nonce = nonce;
        i.lifetime_ms = lifetime;
        i.hop_limit = hop;
        i.app_params = params;
        if sign {
            i.sign_digest_sha256(SignatureInfo { time: Some(1_700_000_000_000), ..SignatureInfo::digest_sha256() });
        }
        i
    }
}

proptest! {
    #[test]
    fn name_uri_and_wire_round_trip(n in name()) {
        let uri = n.to_string();
        prop_assert_eq!(&uri.parse::<Name>().expect("parse own URI"), &n);
        prop_assert_eq!(&Name::decode(&n.to_wire()).expect("decode"), &n);
    }

    #[test]
    fn canonical_order_is_consistent_with_prefixes(a in name(), b in name()) {
        let ab = b.iter().fold(a.clone(), |n, c| n.with(c.to_owned()));
        prop_assert!(a < ab);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    }

    #[test]
    fn interest_round_trips(i in interest()) {
        let wire = i.encode();
        let (back, layout) = Interest::decode_with_layout(&wire).expect("decode");
        // Encoding adds the ParametersSha256DigestComponent; a second encode is a fixed point.
        prop_assert_eq!(back.encode(), wire.clone());
        prop_assert_eq!(back.can_be_prefix, i.can_be_prefix);
        prop_assert_eq!(back.nonce, i.nonce);
        prop_assert_eq!(back.app_params.clone(), i.app_params.clone());
        if i.signature.is_some() {
            prop_assert!(back.verify_digest_sha256(&wire, &layout));
        }
        if i.app_params.is_none() {
            prop_assert_eq!(back, i);
        }
    }

    #[test]
    fn data_round_trips(n in name(), content in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..300)),
                        fresh in proptest::option::of(any::<u64>()), ct in proptest::option::of(0u64..10)) {
        let mut d = Data::new(n, Vec::new());
        d.content = content;
        if fresh.is_some() || ct.is_some() {
            d.meta_info = Some(MetaInfo { content_type: ct, freshness_period_ms: fresh, final_block_id: None });
        }
        let wire = d.sign_digest_sha256_and_encode();
        prop_assert_eq!(Data::decode(&wire).expect("decode"), d);
        prop_assert_eq!(Data::verify_digest_sha256(&wire), Ok(true));
    }

    #[test]
    fn lp_round_trips(seq in any::<Option<u64>>(), token in proptest::option::of(proptest::collection::vec(any::<u8>(), 1..8)),
                      nack in proptest::option::of(prop_oneof![Just(NackReason::None), Just(NackReason::NoRoute), Just(NackReason::Duplicate), Just(NackReason::Congestion)]),
                      mark in any::<Option<u64>>(), frag in proptest::collection::vec(any::<u8>(), 0..40)) {
        let p = LpPacket { sequence: seq, pit_token: token.as_deref(), nack, congestion_mark: mark, fragment: Some(&frag), ..Default::default() };
        let wire = p.encode();
        prop_assert_eq!(LpPacket::decode(&wire).expect("decode"), p);
    }

    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200), first in prop_oneof![Just(5u8), Just(6), Just(100), Just(7)]) {
        let mut b = bytes.clone();
        b.insert(0, first);
        if b.len() > 1 { b[1] = (b.len() - 2).min(252) as u8; }
        let _ = Interest::decode(&b);
        let _ = Data::decode(&b);
        let _ = LpPacket::decode(&b);
        let _ = Name::decode(&b);
        let _ = ndn::mgmt::ControlParameters::decode(&b);
        let mut fw = ndn::fw::Forwarder::new(Default::default());
        let face = fw.add_face(ndn::fw::FaceInfo::new(ndn::fw::FaceUri::App("x".into()), ndn::fw::FaceUri::Internal));
        fw.handle_packet(std::time::Instant::now(), face, &b);
    }
}
