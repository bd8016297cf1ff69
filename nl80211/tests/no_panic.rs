//! Bytes from a socket never make the decoders panic: arbitrary input, and captured
//! messages with arbitrary corruption, give values or typed errors.

mod common;

use nl80211::dispatch::Dispatch;
use nl80211::netlink::parse_datagram;
use nl80211::{Interface, Message, Wiphy};
use proptest::prelude::*;

fn decode_everything(bytes: &[u8]) {
    for item in parse_datagram(bytes).into_iter().flatten() {
        if let nl80211::netlink::Incoming::Data { payload, .. } = item
            && let Ok(m) = Message::decode_payload(payload)
        {
            let _ = Wiphy::from_messages(std::slice::from_ref(&m));
            let _ = Interface::from_messages(std::slice::from_ref(&m));
            let _ = nl80211::Bss::from_messages(std::slice::from_ref(&m));
            let _ = m.encode_payload();
        }
    }
    let mut d = Dispatch::new();
    d.set_family(0x20);
    d.track(1);
    let _ = d.on_datagram(bytes, &[9]);
    let _ = Message::decode_payload(bytes);
}

proptest! {
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_everything(&bytes);
    }

    #[test]
    fn corrupted_captured_wiphy_dump(index in 0usize..10, pos in any::<usize>(), val in any::<u8>(), cut in any::<usize>()) {
        let dgs = common::read_datagrams("iw-phy.pcap");
        let mut dg = dgs[index % dgs.len()].clone();
        let p = pos % dg.len();
        dg[p] = val;
        dg.truncate(cut % (dg.len() + 1));
        decode_everything(&dg);
    }
}
