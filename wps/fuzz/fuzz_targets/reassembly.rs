//! EAP-WSC reassembly: a stream of EAP packets (2-byte length prefixes) fed to one
//! Reassembler; a completed message never exceeds its announced length.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wps::eap::{EapBody, EapPacket, Reassembled, Reassembler};

fuzz_target!(|data: &[u8]| {
    let mut re = Reassembler::new();
    let mut rest = data;
    while let [a, b, tail @ ..] = rest {
        let n = usize::from(u16::from_be_bytes([*a, *b])).min(tail.len());
        let (pkt, more) = tail.split_at(n);
        rest = more;
        if let Ok(EapPacket {
            body: EapBody::Wsc(f),
            ..
        }) = EapPacket::parse(pkt)
        {
            if let Ok(Reassembled::Complete { data, .. }) = re.push(f) {
                assert!(data.len() <= usize::from(u16::MAX));
            }
        }
    }
});
