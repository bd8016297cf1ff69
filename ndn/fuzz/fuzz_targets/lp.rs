//! NDNLPv2 LpPacket: a packet that decodes re-encodes (fields in NDNLPv2 order) and
//! decodes to the same value; a Nack built from it decodes as a Nack.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ndn::packet::LpPacket;
use ndn::packet::lp::encode_nack;

fuzz_target!(|data: &[u8]| {
    let Ok(p) = LpPacket::decode(data) else { return };
    let bytes = p.encode();
    assert_eq!(LpPacket::decode(&bytes).expect("re-decode"), p);
    if let (Some(frag), Some(reason)) = (p.fragment, p.nack) {
        let n = encode_nack(frag, reason, p.pit_token);
        let back = LpPacket::decode(&n).expect("our Nack decodes");
        assert_eq!(back.nack, Some(reason));
        assert_eq!(back.fragment, Some(frag));
    }
});
