//! The Provision Discovery answer function (p2p::pd::answer), fed arbitrary action
//! bodies: an answered request gets a response that parses as a Provision Discovery
//! Response with the request's dialog token, in a management frame that parses.
#![no_main]
use directd::ieee80211::{MacAddr, MgmtBody, MgmtRepr};
use directd::p2p::pd::{OurDevice, OurGroup, answer};
use directd::p2p::wire::ProvisionDiscoveryResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ours = OurDevice {
        device_addr: MacAddr([0x42, 0, 0, 0, 0, 0]),
        groups: vec![OurGroup { ifname: "p2p-wlan0-0".into(), ssid: b"DIRECT-ab".to_vec() }],
    };
    let sa = MacAddr([0x02, 0, 0, 0, 1, 0]);
    let Ok(a) = answer(data, sa, &ours) else { return };
    let resp = ProvisionDiscoveryResponse::parse_bytes(&a.response).expect("our response parses");
    assert_eq!(resp.dialog_token, a.dialog_token);
    let frame = MgmtRepr::parse_bytes(&a.frame()).expect("our frame parses");
    assert_eq!(frame.header.addr1, sa);
    assert!(matches!(frame.body, MgmtBody::Action(_)));
    let _ = directd::ctrl::discovery::pd_request_event(&a, None);
});
