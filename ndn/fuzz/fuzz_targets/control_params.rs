//! NFD management ControlParameters and ControlResponse: what decodes re-encodes and
//! decodes to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ndn::mgmt::{ControlParameters, ControlResponse};

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = ControlParameters::decode(data) {
        assert_eq!(ControlParameters::decode(&p.encode()).expect("re-decode"), p);
    }
    if let Ok(r) = ControlResponse::decode(data) {
        assert_eq!(ControlResponse::decode(&r.encode()).expect("re-decode"), r);
    }
});
