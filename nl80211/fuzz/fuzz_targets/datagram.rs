//! A netlink datagram from the kernel as the client's dispatch routes it: replies to
//! pending requests (1, 2, 3), acks, errors with extended-ack messages, dump ends,
//! overruns and events of the nl80211 family; also the generic-netlink controller's
//! family reply.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nl80211::dispatch::Routed;
use nl80211::{Dispatch, McastGroup};

fuzz_target!(|data: &[u8]| {
    let mut d = Dispatch::new();
    d.set_family(0x1c);
    d.add_group(5, McastGroup::Mlme);
    let seqs: Vec<u32> = (0..3).map(|_| d.start_request()).collect();
    for (groups, chunk) in [(&[][..], data), (&[5u32][..], data)] {
        for r in d.on_datagram(chunk, groups) {
            match r {
                Routed::Complete { seq, .. } => assert!(seqs.contains(&seq), "only a pending request completes"),
                Routed::Event(e) => assert_eq!(e.group.is_some(), !groups.is_empty()),
                Routed::Undecodable(_) => {}
            }
        }
    }
    assert!(d.pending() <= seqs.len());
    let _ = nl80211::netlink::parse_datagram(data);
    if data.len() >= 16 {
        let _ = nl80211::ctrl::decode_family(&data[16..]);
    }
});
