//! The state file of stored persistent groups (`p2p::persistent::Store::parse`): whatever
//! the file holds (a hand edit, a truncated write, a file from wpa_supplicant), parsing
//! never panics, and what parses is written back (`to_text`) into text that parses to the
//! same groups with the same network ids.
#![no_main]
use directd::p2p::persistent::Store;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(store) = Store::parse(text) else { return };
    let again = Store::parse(&store.to_text()).expect("what we write parses");
    assert_eq!(again.groups(), store.groups());
    let ids = |s: &Store| s.iter().map(|(id, _)| id).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&store));
    let _ = store.list_networks();
});
