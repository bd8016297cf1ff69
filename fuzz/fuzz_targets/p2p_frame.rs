//! Every P2P public action and P2P action frame (P2pMessage::parse): a frame that parses
//! re-emits and re-parses to the same typed message.
#![no_main]
use directd::p2p::wire::{P2pActionFrame, P2pMessage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = P2pActionFrame::parse(data) {
        assert_eq!(f.to_bytes(), data, "the raw frame is kept byte for byte");
        assert_eq!(P2pActionFrame::from_action(&f.to_action()).expect("via ActionRepr"), f);
        let _ = f.p2p_ie();
        let _ = f.wsc_payload();
    }
    if let Ok(m) = P2pMessage::parse(data) {
        let bytes = m.to_bytes().expect("a parsed message re-emits");
        let again = P2pMessage::parse(&bytes).expect("re-parse");
        assert_eq!(again, m);
        assert_eq!(again.dialog_token(), m.dialog_token());
    }
});
