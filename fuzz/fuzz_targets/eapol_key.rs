//! EAPOL PDUs and EAPOL-Key frames (802.11-2020 12.7.2) with their Key Data (RSN element
//! and KDEs): the 802.1X header, the key frame and the RSN element in the key data each
//! re-emit and re-parse to the same value.
#![no_main]
use directd::eapol::wire::{EapolRepr, KeyData, KeyDataElement, KeyFrame, RsnElement};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = EapolRepr::parse_bytes(data) {
        let mut buf = vec![0u8; e.buffer_len()];
        let n = e.emit(&mut buf).expect("a parsed PDU re-emits");
        let again = EapolRepr::parse_bytes(&buf[..n]).expect("re-parse");
        assert_eq!((again.version, again.packet_type, again.body), (e.version, e.packet_type, e.body));
    }
    let Ok(k) = KeyFrame::parse(data) else { return };
    let mut buf = vec![0u8; k.buffer_len()];
    let n = k.emit(&mut buf).expect("a parsed key frame re-emits");
    assert_eq!(n, k.buffer_len());
    assert_eq!(KeyFrame::parse(&buf[..n]).expect("re-parse"), k);
    let _ = (k.key_info.pairwise(), k.key_info.encrypted_key_data(), k.key_info.mic());
    if let Ok(kd) = KeyData::parse(k.key_data) {
        for el in &kd.elements {
            if let KeyDataElement::Rsne(whole) = el {
                if let Ok(rsn) = RsnElement::parse(whole) {
                    let v = rsn.to_vec().expect("a parsed RSN element re-emits");
                    assert_eq!(RsnElement::parse(&v).expect("re-parse"), rsn);
                }
            }
        }
        let _ = (kd.gtk(), kd.pmkid(), kd.ip_requested(), kd.ip_allocation(), kd.rsne());
    }
});
