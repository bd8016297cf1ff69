//! Interest (NDN packet format v0.3): what decodes re-encodes and decodes to the same
//! Interest; the digest check and the signed-command check take anything.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ndn::packet::Interest;

fuzz_target!(|data: &[u8]| {
    let Ok((i, layout)) = Interest::decode_with_layout(data) else { return };
    let _ = i.verify_digest_sha256(data, &layout);
    let _ = ndn::mgmt::command_signature_ok(&i, &layout, data);
    let bytes = i.encode();
    assert_eq!(Interest::decode(&bytes).expect("re-decode"), i);
});
