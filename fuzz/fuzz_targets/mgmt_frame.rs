//! 802.11 management frames (probe request, auth, assoc/reassoc, deauth/disassoc, action,
//! beacon, probe response): header and body parse, re-emit and re-parse to the same
//! value; the body's elements walk without panic; an action body goes on to the P2P
//! parser.
#![no_main]
use directd::ieee80211::{Ie, MgmtBody, MgmtRepr};
use directd::p2p::wire::P2pMessage;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(f) = MgmtRepr::parse_bytes(data) else { return };
    let bytes = f.to_vec();
    assert_eq!(bytes.len(), f.buffer_len());
    let again = MgmtRepr::parse_bytes(&bytes).expect("re-parse");
    assert_eq!(again, f);
    // Header fields and body are kept as sent: the frame re-emits byte for byte.
    assert_eq!(bytes, data);
    for ie in f.body.elements().filter_map(Result::ok) {
        let _ = Ie::parse(ie);
    }
    let _ = Ie::iter(f.body.ies().unwrap_or(&[])).count();
    if let MgmtBody::Action(a) = &f.body {
        if let Ok(m) = P2pMessage::parse(&a.to_bytes()) {
            let _ = m.to_bytes();
        }
    }
});
