//! P2P attributes (spec 4.1.1) and P2P IEs: every attribute body that parses re-emits and
//! re-parses to the same value; a payload, and the IEs it is split into, likewise.
#![no_main]
use directd::p2p::wire::{Attribute, P2pIe, RawAttributes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Each attribute on its own (bytes after an attribute's fields are ignored, so the
    // comparison is of values, not bytes).
    for (id, body) in RawAttributes::new(data).map_while(Result::ok) {
        if let Ok(a) = Attribute::parse(id, body) {
            let mut buf = vec![0u8; a.buffer_len()];
            let n = a.emit(&mut buf).expect("a parsed attribute re-emits");
            assert_eq!(n, a.buffer_len(), "emit writes buffer_len bytes");
            let mut again = RawAttributes::new(&buf[..n]);
            let (id2, body2) = again.next().expect("one attribute").expect("well-formed");
            assert!(again.next().is_none());
            assert_eq!(id2, id);
            assert_eq!(Attribute::parse(id2, body2).expect("re-parse"), a);
        }
    }
    // The whole buffer as a P2P IE payload.
    if let Ok(ie) = P2pIe::parse_payload(data) {
        let payload = ie.to_payload().expect("a parsed IE re-emits");
        assert_eq!(payload.len(), ie.payload_len());
        assert_eq!(P2pIe::parse_payload(&payload).expect("re-parse"), ie);
        // Split into 255-byte vendor elements and walked back.
        let ies = ie.to_ies().expect("split into IEs");
        assert_eq!(P2pIe::from_ies(&ies).expect("re-walk"), Some(ie.clone()));
        let _ = (ie.device_info(), ie.group_info(), ie.channel_list(), ie.notice_of_absence());
    }
    // The whole buffer as a frame's elements.
    if let Ok(Some(ie)) = P2pIe::from_ies(data) {
        let ies = ie.to_ies().expect("re-emit");
        assert_eq!(P2pIe::from_ies(&ies).expect("re-walk"), Some(ie));
    }
});
