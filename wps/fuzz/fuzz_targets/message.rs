//! Registration message parsers (M1..M8, M2D, ACK, NACK, Done) and the settings parsers.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wps::message::{Credential, M8Settings, Message};

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Message::parse(data) {
        let bytes = m.emit().expect("parsed message re-emits");
        assert_eq!(Message::parse(&bytes).expect("re-parse"), m);
    }
    let _ = M8Settings::parse(data);
    let _ = Credential::parse(data);
    let _ = wps::message::parse_snonce_settings(wps::attr::AttrType::E_SNONCE1, data);
});
