//! WSC IE walker and the probe/beacon/association attribute sets.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wps::ie::*;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some(p)) = wsc_payload(data) {
        assert_eq!(wsc_payload(&build_wsc_ies(&p)).expect("re-walk"), Some(p));
    }
    let _ = ProbeRequestWsc::parse(data);
    let _ = ProbeResponseWsc::parse(data);
    let _ = BeaconWsc::parse(data);
    let _ = AssocRequestWsc::parse(data);
    let _ = AssocResponseWsc::parse(data);
});
