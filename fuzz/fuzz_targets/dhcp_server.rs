//! DHCP as the GO's lease server sees it: a stream of records
//! `[len: u16 BE][delay: u8][message: len bytes]` from two client addresses; every
//! decoded message re-encodes and decodes to the same value, goes to
//! `Server::handle_input`, time moves on by `delay` seconds (`handle_timeout`), and
//! every message the server sends encodes and decodes as a reply.
#![no_main]
use std::time::{Duration, Instant};

use directd::dhcp::{Server, ServerConfig, ServerOutput, wire};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut server = Server::new(ServerConfig::default()).expect("default config is valid");
    let start = Instant::now();
    let mut now = start;
    let mut rest = data;
    while let [a, b, delay, tail @ ..] = rest {
        let n = usize::from(u16::from_be_bytes([*a, *b])).min(tail.len());
        let (msg, more) = tail.split_at(n);
        rest = more;
        now += Duration::from_secs(u64::from(*delay) * 16);
        server.handle_timeout(now);
        if let Ok(m) = wire::decode(msg) {
            let bytes = wire::encode(&m).expect("a decoded message re-encodes");
            assert_eq!(wire::decode(&bytes).expect("re-decode"), m);
            let _ = server.handle_input(now, m);
        }
        while let Some(o) = server.poll_output() {
            if let ServerOutput::Send(t) = o {
                let bytes = wire::encode(&t.msg).expect("our reply encodes");
                let back = wire::decode(&bytes).expect("our reply decodes");
                assert_eq!(back.opcode(), dhcproto::v4::Opcode::BootReply);
            }
        }
        if let Some(t) = server.poll_timeout() {
            assert!(t >= start, "deadlines are in the future of the start");
        }
    }
    for l in server.leases() {
        assert!(server.config().in_subnet(l.ip), "a lease inside the subnet: {l:?}");
        assert_ne!(l.ip, server.config().server_ip, "never the GO's own address");
    }
});
