//! Information elements as they arrive in probe requests, beacons and association
//! requests: the element walker, the typed element parser, the rates, vendor-element
//! concatenation, the P2P and WSC IEs and the RSN element.
#![no_main]
use directd::eapol::wire::RsnElement;
use directd::ieee80211::{Elements, Ie, ie, vendor};
use directd::p2p::wire::P2pIe;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let walked: Vec<_> = Elements::new(data).collect();
    // At most one error, and only at the end.
    assert!(walked.iter().rev().skip(1).all(Result::is_ok));
    assert_eq!(Elements::validate(data).is_ok(), walked.iter().all(Result::is_ok));
    for e in walked.iter().filter_map(|e| e.as_ref().ok()) {
        if let Ok(Ie::Rsn(body)) = Ie::parse(*e) {
            if let Ok(rsn) = RsnElement::parse_body(body) {
                let v = rsn.to_vec().expect("a parsed RSN element re-emits");
                assert_eq!(RsnElement::parse(&v).expect("re-parse"), rsn);
            }
        }
        let _ = e.vendor().map(|v| v.oui_type());
    }
    let _ = ie::supported_rates(data);
    for vt in [vendor::VendorType::P2P, vendor::VendorType::WSC] {
        if let Some(p) = vendor::concat_payload(data, vt) {
            let mut out = Vec::new();
            vendor::push_split(&mut out, vt, &p);
            assert_eq!(vendor::concat_payload(&out, vt), Some(p));
        }
        let _ = vendor::without(data, vt);
    }
    let _ = P2pIe::from_ies(data);
    if let Ok(Some(wsc)) = wps::ie::wsc_payload(data) {
        let _ = wps::ie::ProbeRequestWsc::parse(&wsc);
        let _ = wps::ie::AssocRequestWsc::parse(&wsc);
    }
});
