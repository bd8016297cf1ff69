//! DHCP as the P2P client's DHCP client sees it: a stream of records
//! `[len: u16 BE][flags: u8][message: len bytes]`. Flags: bit 0 puts the client's
//! current transaction id into the message and bit 1 its hardware address (so the
//! fuzzer reaches past the xid/chaddr checks), bits 2..7 move time on by that many
//! times 8 s. Decoded messages round-trip through the codec; every message the client
//! sends encodes and decodes as a request.
#![no_main]
use std::time::{Duration, Instant};

use directd::dhcp::{Client, ClientConfig, ClientInput, ClientOutput, MacAddr, SeededRandom, wire};
use libfuzzer_sys::fuzz_target;

const MAC: [u8; 6] = [2, 0, 0, 0, 1, 0];

fuzz_target!(|data: &[u8]| {
    let mut client = Client::new(ClientConfig::new(MacAddr(MAC)), SeededRandom::new(7));
    let mut now = Instant::now();
    client.handle_input(now, ClientInput::Start).expect("a client starts");
    let mut xid = 0u32;
    let drain = |client: &mut Client<SeededRandom>, xid: &mut u32| {
        while let Some(o) = client.poll_output() {
            match o {
                ClientOutput::Send(t) => {
                    *xid = t.msg.xid();
                    let bytes = wire::encode(&t.msg).expect("our request encodes");
                    let back = wire::decode(&bytes).expect("our request decodes");
                    assert_eq!(back.opcode(), dhcproto::v4::Opcode::BootRequest);
                }
                ClientOutput::Configure(lease) => {
                    assert!(lease.prefix_len <= 32);
                    assert!(lease.t1 <= lease.t2 && lease.t2 <= lease.lease_time, "{lease:?}");
                }
                ClientOutput::Deconfigure { .. } | ClientOutput::GaveUp => {}
            }
        }
    };
    drain(&mut client, &mut xid);
    let mut rest = data;
    while let [a, b, flags, tail @ ..] = rest {
        let n = usize::from(u16::from_be_bytes([*a, *b])).min(tail.len());
        let (msg, more) = tail.split_at(n);
        rest = more;
        if let Ok(mut m) = wire::decode(msg) {
            let bytes = wire::encode(&m).expect("a decoded message re-encodes");
            assert_eq!(wire::decode(&bytes).expect("re-decode"), m);
            if flags & 1 != 0 {
                m.set_xid(xid);
            }
            if flags & 2 != 0 {
                m.set_chaddr(&MAC);
            }
            let _ = client.handle_input(now, ClientInput::Message(m));
        }
        drain(&mut client, &mut xid);
        now += Duration::from_secs(u64::from(flags >> 2) * 8);
        client.handle_timeout(now);
        drain(&mut client, &mut xid);
        let _ = (client.poll_timeout(), client.lease(), client.state_name());
    }
});
