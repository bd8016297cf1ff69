//! Data (NDN packet format v0.3): what decodes re-encodes and decodes to the same Data;
//! the signed range lies inside the packet.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ndn::packet::Data;

fuzz_target!(|data: &[u8]| {
    let Ok((d, range)) = Data::decode_with_signed_range(data) else { return };
    assert!(range.start <= range.end && range.end <= data.len());
    let _ = Data::verify_digest_sha256(data);
    let bytes = d.encode();
    assert_eq!(Data::decode(&bytes).expect("re-decode"), d);
});
