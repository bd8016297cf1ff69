//! Attribute TLV parser: typed parse, and a successful parse re-emits to an equal value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wps::attr::Attribute;

fuzz_target!(|data: &[u8]| {
    if let Ok(attrs) = Attribute::parse_all(data) {
        let bytes = Attribute::emit_all(&attrs).expect("parsed attributes re-emit");
        assert_eq!(Attribute::parse_all(&bytes).expect("re-parse"), attrs);
    }
});
