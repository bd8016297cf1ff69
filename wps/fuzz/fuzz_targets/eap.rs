//! EAP / EAP-WSC packet parser.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wps::eap::EapPacket;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = EapPacket::parse(data) {
        if let Ok(bytes) = p.emit() {
            assert_eq!(EapPacket::parse(&bytes).expect("re-parse"), p);
        }
    }
});
