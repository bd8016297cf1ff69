//! Key Data (KDEs: GTK, PMKID, IP address request/allocation) and the RSN element on
//! their own, without the 99-byte key frame in front: KDEs that parse are rebuilt with
//! KeyDataBuilder and parse to the same elements; the RSN element re-emits to the same
//! value.
#![no_main]
use directd::eapol::wire::{KeyData, KeyDataBuilder, KeyDataElement, OUI_WFA, RsnElement};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rsn) = RsnElement::parse(data) {
        let v = rsn.to_vec().expect("a parsed RSN element re-emits");
        assert_eq!(RsnElement::parse(&v).expect("re-parse"), rsn);
    }
    // A body comes from an element, so it is at most 255 bytes (a longer one parses but
    // cannot be re-emitted as an element).
    if let Ok(rsn) = RsnElement::parse_body(&data[..data.len().min(255)]) {
        let v = rsn.to_vec().expect("re-emit");
        assert_eq!(RsnElement::parse(&v).expect("re-parse"), rsn);
    }
    let Ok(kd) = KeyData::parse(data) else { return };
    let mut b = KeyDataBuilder::new();
    for el in &kd.elements {
        b = match el {
            KeyDataElement::Rsne(whole) => b.element(whole),
            KeyDataElement::Gtk(g) => b.gtk(g.key_id, g.tx, g.key),
            KeyDataElement::Pmkid(p) => b.pmkid(p),
            // P2P IP Address Request (WFA KDE type 4): only its first octet is kept.
            KeyDataElement::IpAddrRequest(v) => b.kde(OUI_WFA, 4, &[*v]),
            KeyDataElement::IpAllocation(a) => b.ip_allocation(a),
            KeyDataElement::Kde { oui, data_type, data } => b.kde(*oui, *data_type, data),
            KeyDataElement::Element { id, data } => {
                let mut e = vec![*id, data.len() as u8];
                e.extend_from_slice(data);
                b.element(&e)
            }
        };
    }
    let bytes = b.finish_padded();
    assert_eq!(KeyData::parse(&bytes).expect("rebuilt key data parses").elements, kd.elements);
});
