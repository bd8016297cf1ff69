//! Names: the TLV form decodes, re-encodes to the same bytes' value and survives the URI
//! form; a URI string that parses prints to a URI that parses to the same name.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ndn::packet::Name;

fuzz_target!(|data: &[u8]| {
    if let Ok(n) = Name::decode(data) {
        assert_eq!(Name::decode(&n.to_wire()).expect("re-decode"), n);
        assert_eq!(n.to_string().parse::<Name>().expect("URI form parses"), n);
        for i in 0..n.len() {
            assert!(n.prefix(i).starts_with(&n.prefix(i)));
            assert!(n.starts_with(&n.prefix(i)));
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(n) = s.parse::<Name>() {
            let uri = n.to_string();
            assert_eq!(uri.parse::<Name>().expect("printed URI parses"), n, "{s:?} -> {uri:?}");
            assert_eq!(Name::decode(&n.to_wire()).expect("wire form decodes"), n);
        }
    }
});
