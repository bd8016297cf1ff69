//! EAP / EAP-WSC framing, fragmentation and PINs.

mod common;

use common::Vectors;
use wps::eap::{
    EapBody, EapCode, EapError, EapPacket, FLAG_LENGTH_FIELD, FLAG_MORE_FRAGMENTS, Fragmenter,
    IDENTITY_ENROLLEE, IDENTITY_REGISTRAR, OpCode, Reassembled, Reassembler, WscFrame,
};
use wps::pin::{self, DevicePassword, Pin, PinError};
use wps::rng::SeededRng;

#[test]
fn eap_packets_from_iwd() {
    let v = Vectors::iwd();
    let req = EapPacket::parse(v.eap("eap_identity_req")).expect("identity request");
    assert_eq!(
        (req.code, req.id, req.body.clone()),
        (EapCode::REQUEST, 0, EapBody::Identity(vec![]))
    );
    let resp = EapPacket::parse(v.eap("eap_identity_resp")).expect("identity response");
    assert_eq!(resp.body, EapBody::Identity(IDENTITY_ENROLLEE.to_vec()));
    let start = EapPacket::parse(v.eap("eap_wsc_start")).expect("start");
    assert_eq!(
        start.body,
        EapBody::Wsc(WscFrame::whole(OpCode::START, vec![]))
    );
    let fail = EapPacket::parse(v.eap("eap_fail")).expect("failure");
    assert_eq!(
        (fail.code, fail.id, fail.body.clone()),
        (EapCode::FAILURE, 0xab, EapBody::None)
    );
    let m1 = EapPacket::parse(v.eap("eap_wsc_m1_2")).expect("m1");
    let EapBody::Wsc(f) = &m1.body else {
        panic!("wsc")
    };
    assert_eq!(
        (f.op, f.flags, f.data.as_slice()),
        (OpCode::MSG, 0, v.wsc("eap_wsc_m1_2"))
    );
    for (k, p) in [
        ("eap_identity_req", req),
        ("eap_identity_resp", resp),
        ("eap_wsc_start", start),
        ("eap_fail", fail),
        ("eap_wsc_m1_2", m1),
    ] {
        assert_eq!(p.emit().expect("emit"), v.eap(k), "{k}");
    }
    assert_eq!(IDENTITY_REGISTRAR, b"WFA-SimpleConfig-Registrar-1-0");
}

#[test]
fn eap_parse_errors_are_typed() {
    assert_eq!(EapPacket::parse(&[1, 0, 0]), Err(EapError::Truncated(3)));
    assert_eq!(
        EapPacket::parse(&[1, 0, 0, 9, 1]),
        Err(EapError::BadLength { field: 9, have: 5 })
    );
    assert_eq!(
        EapPacket::parse(&[7, 0, 0, 4]),
        Err(EapError::UnknownCode(7))
    );
    // Expanded WSC with the Length Field flag but no length.
    let p = [
        1,
        0,
        0,
        15,
        254,
        0,
        0x37,
        0x2a,
        0,
        0,
        0,
        1,
        4,
        FLAG_LENGTH_FIELD,
        0,
    ];
    assert_eq!(EapPacket::parse(&p), Err(EapError::TruncatedWsc));
    // EAPOL padding after the EAP length is ignored.
    assert_eq!(
        EapPacket::parse(&[3, 5, 0, 4, 0, 0]).expect("success").code,
        EapCode::SUCCESS
    );
    // A different expanded vendor is kept as another method.
    let other = EapPacket::parse(&[2, 1, 0, 12, 254, 0, 0, 9, 0, 0, 0, 1]).expect("other");
    assert!(matches!(other.body, EapBody::Other { kind: 254, .. }));
}

#[test]
fn fragmentation_round_trip_and_sizes() {
    let msg: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
    let mut whole = Fragmenter::new(OpCode::MSG, msg.clone(), 1400).expect("fragmenter");
    let f = whole.next_frame().expect("one frame");
    assert_eq!((f.flags, f.message_length, f.data.len()), (0, None, 1000));
    assert!(whole.next_frame().is_none());

    let mut fr = Fragmenter::new(OpCode::MSG, msg.clone(), 100).expect("fragmenter");
    let mut re = Reassembler::new();
    let mut frames = vec![];
    while let Some(f) = fr.next_frame() {
        frames.push(f);
    }
    assert_eq!(frames[0].flags, FLAG_MORE_FRAGMENTS | FLAG_LENGTH_FIELD);
    assert_eq!(frames[0].message_length, Some(1000));
    assert_eq!(frames[0].data.len(), 96);
    assert!(
        frames[1..frames.len() - 1]
            .iter()
            .all(|f| f.flags == FLAG_MORE_FRAGMENTS && f.data.len() == 98)
    );
    assert_eq!(frames.last().expect("last").flags, 0);
    let n = frames.len();
    for (i, f) in frames.into_iter().enumerate() {
        let r = re.push(f).expect("push");
        if i + 1 < n {
            assert_eq!(r, Reassembled::NeedFragAck);
        } else {
            assert_eq!(
                r,
                Reassembled::Complete {
                    op: OpCode::MSG,
                    data: msg.clone()
                }
            );
        }
    }
}

#[test]
fn reassembly_errors() {
    let frag = |op, flags, len: Option<u16>, n: usize| WscFrame {
        op,
        flags,
        message_length: len,
        data: vec![0; n],
    };
    let mut re = Reassembler::new();
    assert_eq!(
        re.push(frag(OpCode::MSG, FLAG_MORE_FRAGMENTS, None, 10)),
        Err(EapError::NoLengthField)
    );
    re.push(frag(
        OpCode::MSG,
        FLAG_MORE_FRAGMENTS | FLAG_LENGTH_FIELD,
        Some(20),
        10,
    ))
    .expect("first");
    assert_eq!(
        re.push(frag(OpCode::DONE, 0, None, 10)),
        Err(EapError::OpCodeChanged {
            first: OpCode::MSG,
            got: OpCode::DONE
        })
    );
    assert!(!re.in_progress(), "an error drops the partial message");
    re.push(frag(
        OpCode::MSG,
        FLAG_MORE_FRAGMENTS | FLAG_LENGTH_FIELD,
        Some(20),
        10,
    ))
    .expect("first");
    assert_eq!(
        re.push(frag(OpCode::MSG, 0, None, 11)),
        Err(EapError::Overrun(20))
    );
    re.push(frag(
        OpCode::MSG,
        FLAG_MORE_FRAGMENTS | FLAG_LENGTH_FIELD,
        Some(20),
        10,
    ))
    .expect("first");
    assert_eq!(
        re.push(frag(OpCode::MSG, 0, None, 5)),
        Err(EapError::LengthMismatch {
            announced: 20,
            got: 15
        })
    );
    assert_eq!(
        re.push(frag(OpCode::MSG, FLAG_LENGTH_FIELD, Some(3), 5)),
        Err(EapError::LengthMismatch {
            announced: 3,
            got: 5
        })
    );
}

#[test]
fn pin_checksums_from_iwd_and_hostap() {
    // iwd unit/test-wsc.c: 12345670 and 24681353 valid, 12345671 not.
    assert!(pin::checksum_valid(12345670));
    assert!(pin::checksum_valid(24681353));
    assert!(!pin::checksum_valid(12345671));
    assert_eq!(pin::checksum(1234567), 0);
    assert!(Pin::parse_checked("12345670").is_ok());
    assert_eq!(Pin::parse_checked("12345671"), Err(PinError::BadChecksum));
    assert!(
        Pin::parse("12345671").is_ok(),
        "unchecked parse accepts any 8 digits"
    );
    assert!(Pin::parse("1234").is_ok());
    for bad in ["", "123", "123456789", "abcdefgh", "1234567a", "12 34"] {
        assert_eq!(Pin::parse(bad), Err(PinError::BadFormat), "{bad:?}");
    }
    let pbc = DevicePassword::pbc();
    assert_eq!((pbc.pin.as_bytes(), pbc.id.0), (&b"00000000"[..], 4));
    assert!(format!("{:?}", Pin::parse("12345670").expect("pin")).contains("redacted"));
    assert!(!format!("{:?}", Pin::parse("12345670").expect("pin")).contains("1234"));
}

#[test]
fn generated_pins_are_valid() {
    let mut rng = SeededRng::new(99);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..1000 {
        let p = Pin::generate(&mut rng);
        assert!(p.has_valid_checksum(), "{}", p.reveal());
        assert!(Pin::parse_checked(p.reveal()).is_ok());
        seen.insert(p.reveal().to_string());
    }
    assert!(seen.len() > 990, "PINs vary");
}
