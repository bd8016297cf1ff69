//! Known bytes nobody on the team wrote: DHCP exchanges between busybox 1.35.0 `udhcpc`
//! and `udhcpd`, captured with tcpdump on a veth pair in the hwsim guest
//! (`captures/capture.sh`, described in `captures/README.md`). Our server answers
//! udhcpc's real requests, our client accepts udhcpd's real replies.

#![allow(clippy::unwrap_used)]

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use dhcproto::v4::{MessageType, Opcode, OptionCode};

use super::server::EndReason;
use super::*;

/// udhcpc on `vc` (client side of the veth pair), udhcpd on `vs` at 192.168.49.1/24
/// with pool .2-.254, router and DNS .1, lease 3600 s.
const PCAP: &[u8] = include_bytes!("captures/udhcpc-udhcpd.pcap");
const UDHCPC_MAC: MacAddr = MacAddr([0x02, 0xdc, 0, 0, 0, 0x02]);
/// udhcpc's transaction id for the first lease and its renewal (from tcpdump -v).
const XID: u32 = 0x4ae6_1d62;
/// The xid of the REQUEST crafted in the scenario that udhcpd refused.
const NAK_XID: u32 = 0x4e41_4b21;
const LEASED: Ipv4Addr = Ipv4Addr::new(192, 168, 49, 211);
const GO: Ipv4Addr = Ipv4Addr::new(192, 168, 49, 1);

/// One UDP datagram of the capture.
#[derive(Debug)]
struct Datagram {
    src: Ipv4Addr,
    dst: Ipv4Addr,
    sport: u16,
    payload: Vec<u8>,
}

/// A minimal reader for this file: classic little-endian pcap, Ethernet link type,
/// IPv4/UDP frames (tcpdump's filter kept only ports 67/68).
fn datagrams(pcap: &[u8]) -> Vec<Datagram> {
    assert_eq!(&pcap[..4], &[0xd4, 0xc3, 0xb2, 0xa1], "little-endian pcap");
    assert_eq!(u32::from_le_bytes(pcap[20..24].try_into().unwrap()), 1, "LINKTYPE_ETHERNET");
    let mut out = Vec::new();
    let mut rest = &pcap[24..];
    while rest.len() >= 16 {
        let incl = u32::from_le_bytes(rest[8..12].try_into().unwrap()) as usize;
        let frame = &rest[16..16 + incl];
        rest = &rest[16 + incl..];
        assert_eq!(&frame[12..14], &[0x08, 0x00], "IPv4");
        let ip = &frame[14..];
        let ihl = usize::from(ip[0] & 0x0f) * 4;
        assert_eq!(ip[9], 17, "UDP");
        let total = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
        let udp = &ip[ihl..total];
        out.push(Datagram {
            src: Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]),
            dst: Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19]),
            sport: u16::from_be_bytes([udp[0], udp[1]]),
            payload: udp[8..].to_vec(),
        });
    }
    out
}

/// The captured messages in order: (datagram, decoded message, type).
fn messages() -> Vec<(Datagram, Message, MessageType)> {
    datagrams(PCAP)
        .into_iter()
        .map(|d| {
            let m = wire::decode(&d.payload).unwrap_or_else(|e| panic!("{d:?}: {e}"));
            let t = wire::msg_type(&m).unwrap();
            (d, m, t)
        })
        .collect()
}

fn from_client(kind: MessageType, nth: usize) -> Message {
    messages()
        .into_iter()
        .filter(|(d, _, t)| d.sport == wire::CLIENT_PORT && *t == kind)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {kind:?} #{nth} from udhcpc"))
        .1
}

fn from_server(kind: MessageType, nth: usize) -> Message {
    messages()
        .into_iter()
        .filter(|(d, _, t)| d.sport == wire::SERVER_PORT && *t == kind)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {kind:?} #{nth} from udhcpd"))
        .1
}

#[test]
fn every_captured_message_decodes_with_the_fields_tcpdump_shows() {
    let all = messages();
    let kinds: Vec<MessageType> = all.iter().map(|m| m.2).collect();
    use MessageType::*;
    assert_eq!(
        kinds,
        [Discover, Discover, Offer, Request, Offer, Ack, Request, Ack, Release, Discover, Offer, Request, Ack, Request, Nak]
    );
    for (d, m, _) in &all {
        assert_eq!(wire::chaddr(m), UDHCPC_MAC);
        let op = if d.sport == wire::CLIENT_PORT { Opcode::BootRequest } else { Opcode::BootReply };
        assert_eq!(m.opcode(), op);
    }
    let discover = &all[0].1;
    assert_eq!(discover.xid(), XID);
    assert_eq!(wire::client_id(discover), Some(&[1, 0x02, 0xdc, 0, 0, 0, 0x02][..]));
    assert_eq!(discover.opts().get(OptionCode::MaxMessageSize), Some(&dhcproto::v4::DhcpOption::MaxMessageSize(576)));
    let offer = &all[2].1;
    assert_eq!(offer.yiaddr(), LEASED);
    assert_eq!(wire::server_id(offer), Some(GO));
    assert_eq!(wire::seconds(offer, OptionCode::AddressLeaseTime), Some(3600));
    assert_eq!(wire::subnet_mask(offer), Some(Ipv4Addr::new(255, 255, 255, 0)));
    let renew = &all[6];
    assert_eq!((renew.0.src, renew.0.dst), (LEASED, GO), "the renewal is unicast from the leased address");
    assert_eq!(renew.1.ciaddr(), LEASED);
    assert_eq!(wire::server_id(&renew.1), None);
    assert_eq!(wire::requested_ip(&renew.1), None);
    assert_eq!(wire::requested_ip(&all[9].1), Some(Ipv4Addr::new(10, 9, 9, 9)));
    let nak = &all[14].1;
    assert_eq!((nak.xid(), nak.yiaddr(), wire::server_id(nak)), (NAK_XID, Ipv4Addr::UNSPECIFIED, Some(GO)));
}

fn sends(s: &mut Server) -> Vec<Transmit> {
    let mut v = Vec::new();
    while let Some(o) = s.poll_output() {
        if let ServerOutput::Send(t) = o {
            v.push(t);
        }
    }
    v
}

#[test]
fn our_server_answers_udhcpcs_discover_with_a_valid_offer() {
    let mut s = Server::new(ServerConfig::default()).unwrap();
    let now = Instant::now();
    let discover = from_client(MessageType::Discover, 0);
    s.handle_input(now, discover.clone()).unwrap();
    let [offer] = sends(&mut s).try_into().unwrap();
    let m = &offer.msg;
    assert_eq!(wire::msg_type(m), Some(MessageType::Offer));
    assert_eq!((m.opcode(), m.xid(), wire::chaddr(m)), (Opcode::BootReply, XID, UDHCPC_MAC));
    assert_eq!(m.yiaddr(), Ipv4Addr::new(192, 168, 49, 2));
    assert_eq!(m.ciaddr(), Ipv4Addr::UNSPECIFIED);
    assert_eq!(wire::server_id(m), Some(GO));
    assert_eq!(wire::subnet_mask(m), Some(Ipv4Addr::new(255, 255, 255, 0)));
    assert_eq!((wire::router(m), wire::dns(m)), (Some(GO), vec![GO]));
    assert_eq!(wire::seconds(m, OptionCode::AddressLeaseTime), Some(3600));
    // udhcpc left the broadcast bit clear (it listens on a packet socket): unicast to
    // yiaddr at its MAC (RFC 2131 4.1).
    assert!(!wire::wants_broadcast(&discover));
    assert_eq!(offer.to, Destination::UnicastHw { ip: Ipv4Addr::new(192, 168, 49, 2), mac: UDHCPC_MAC });
    // Our encoding of the offer is a well-formed DHCP message of at least 300 bytes.
    let bytes = wire::encode(m).unwrap();
    assert!(bytes.len() >= wire::MIN_LEN);
    assert_eq!(wire::decode(&bytes).unwrap(), *m);

    // The DISCOVER asking for 10.9.9.9 (outside the subnet) is offered a pool address.
    s.handle_input(now, from_client(MessageType::Discover, 2)).unwrap();
    let [offer] = sends(&mut s).try_into().unwrap();
    assert_eq!(offer.msg.yiaddr(), Ipv4Addr::new(192, 168, 49, 2), "same client, same held offer");
}

#[test]
fn our_server_acks_udhcpcs_select_renew_and_frees_on_its_release() {
    // A pool that starts at the address udhcpd gave, so our offer matches udhcpc's REQUEST.
    let cfg = ServerConfig { pool_start: LEASED, ..ServerConfig::default() };
    let mut s = Server::new(cfg).unwrap();
    let now = Instant::now();
    s.handle_input(now, from_client(MessageType::Discover, 0)).unwrap();
    assert_eq!(sends(&mut s)[0].msg.yiaddr(), LEASED);
    s.handle_input(now, from_client(MessageType::Request, 0)).unwrap();
    let [ack] = sends(&mut s).try_into().unwrap();
    assert_eq!(wire::msg_type(&ack.msg), Some(MessageType::Ack));
    assert_eq!((ack.msg.xid(), ack.msg.yiaddr()), (XID, LEASED));
    assert_eq!(wire::seconds(&ack.msg, OptionCode::Renewal), Some(1800));
    assert_eq!(wire::seconds(&ack.msg, OptionCode::Rebinding), Some(3150));
    assert_eq!(s.address_of(UDHCPC_MAC), Some(LEASED));

    // The renewal (ciaddr set) is answered by unicast to ciaddr and extends the lease.
    let later = now + Duration::from_secs(1800);
    s.handle_input(later, from_client(MessageType::Request, 1)).unwrap();
    let [ack] = sends(&mut s).try_into().unwrap();
    assert_eq!(wire::msg_type(&ack.msg), Some(MessageType::Ack));
    assert_eq!(ack.to, Destination::Unicast(LEASED));
    assert_eq!(ack.msg.ciaddr(), LEASED);
    assert_eq!(s.poll_timeout(), Some(later + Duration::from_secs(3600)));

    s.handle_input(later, from_client(MessageType::Release, 0)).unwrap();
    assert_eq!(s.poll_output(), Some(ServerOutput::Ended { mac: UDHCPC_MAC, ip: LEASED, reason: EndReason::Released }));
    assert!(s.leases().is_empty());
}

#[test]
fn our_server_naks_a_select_for_an_address_it_did_not_offer_and_is_taken() {
    let mut s = Server::new(ServerConfig::default()).unwrap();
    let now = Instant::now();
    s.reserve(MacAddr([2, 0, 0, 0, 0, 9]), LEASED).unwrap();
    s.handle_input(now, from_client(MessageType::Request, 0)).unwrap();
    let [nak] = sends(&mut s).try_into().unwrap();
    assert_eq!(wire::msg_type(&nak.msg), Some(MessageType::Nak));
    assert_eq!((nak.to, nak.msg.xid(), nak.msg.yiaddr()), (Destination::Broadcast, XID, Ipv4Addr::UNSPECIFIED));
}

/// Hands out the given values first (udhcpc's xid), then a fixed stream.
struct Scripted(Vec<u32>, SeededRandom);

impl Random for Scripted {
    fn fill(&mut self, buf: &mut [u8]) {
        self.1.fill(buf);
    }

    fn next_u32(&mut self) -> u32 {
        if self.0.is_empty() { self.1.next_u32() } else { self.0.remove(0) }
    }
}

#[test]
fn our_client_accepts_udhcpds_offer_and_ack_and_renewal_ack() {
    let now = Instant::now();
    let cfg = ClientConfig::new(UDHCPC_MAC);
    // The xid of udhcpc's transaction for DISCOVER, then 0 jitter, then the same xid for
    // the renewal, as udhcpc used.
    let rng = Scripted(vec![XID, 1000, 1000, XID], SeededRandom::new(5));
    let mut c = Client::new(cfg, rng);
    c.handle_input(now, ClientInput::Start).expect("start");
    let Some(ClientOutput::Send(d)) = c.poll_output() else { panic!() };
    assert_eq!(d.msg.xid(), XID);
    c.handle_input(now, ClientInput::Message(from_server(MessageType::Offer, 0))).unwrap();
    let Some(ClientOutput::Send(req)) = c.poll_output() else { panic!() };
    assert_eq!(wire::msg_type(&req.msg), Some(MessageType::Request));
    assert_eq!((wire::requested_ip(&req.msg), wire::server_id(&req.msg)), (Some(LEASED), Some(GO)));
    assert_eq!(req.to, Destination::Broadcast);
    // udhcpd's second OFFER (an answer to the retransmitted DISCOVER) is ignored now.
    assert!(c.handle_input(now, ClientInput::Message(from_server(MessageType::Offer, 1))).is_err());
    c.handle_input(now, ClientInput::Message(from_server(MessageType::Ack, 0))).unwrap();
    let want = Lease {
        ip: LEASED,
        prefix_len: 24,
        router: Some(GO),
        dns: vec![GO],
        server: GO,
        lease_time: Duration::from_secs(3600),
        // udhcpd sends no T1/T2: the RFC 2131 4.4.5 defaults.
        t1: Duration::from_secs(1800),
        t2: Duration::from_secs(3150),
    };
    assert_eq!(c.poll_output(), Some(ClientOutput::Configure(want.clone())));
    assert_eq!(c.poll_timeout(), Some(now + Duration::from_secs(1800)));

    let t1 = now + Duration::from_secs(1800);
    c.handle_timeout(t1);
    let Some(ClientOutput::Send(renew)) = c.poll_output() else { panic!() };
    assert_eq!((renew.to, renew.msg.ciaddr(), renew.msg.xid()), (Destination::Unicast(GO), LEASED, XID));
    c.handle_input(t1, ClientInput::Message(from_server(MessageType::Ack, 1))).unwrap();
    assert_eq!(c.poll_output(), Some(ClientOutput::Configure(want)));
    assert_eq!(c.poll_timeout(), Some(t1 + Duration::from_secs(1800)));
}

#[test]
fn our_client_restarts_discovery_on_udhcpds_nak() {
    let now = Instant::now();
    let rng = Scripted(vec![NAK_XID, 1000], SeededRandom::new(6));
    let mut c = Client::new(ClientConfig::new(UDHCPC_MAC), rng);
    c.handle_input(now, ClientInput::Start).expect("start");
    let Some(ClientOutput::Send(d)) = c.poll_output() else { panic!() };
    // An offer from a server at udhcpd's address (ours, same settings) brings the client
    // to wait for the ACK of 192.168.49.2 from 192.168.49.1 ...
    let mut s = Server::new(ServerConfig::default()).unwrap();
    s.handle_input(now, d.msg).unwrap();
    c.handle_input(now, ClientInput::Message(sends(&mut s).remove(0).msg)).unwrap();
    let Some(ClientOutput::Send(req)) = c.poll_output() else { panic!() };
    assert_eq!(wire::msg_type(&req.msg), Some(MessageType::Request));
    assert_eq!(c.state_name(), "waiting for the ACK");
    // ... and udhcpd's real NAK for that transaction sends it back to DISCOVER.
    c.handle_input(now, ClientInput::Message(from_server(MessageType::Nak, 0))).unwrap();
    let Some(ClientOutput::Send(again)) = c.poll_output() else { panic!() };
    assert_eq!(wire::msg_type(&again.msg), Some(MessageType::Discover));
    assert_ne!(again.msg.xid(), NAK_XID);
    assert_eq!(c.state_name(), "waiting for an offer");
    assert_eq!(c.lease(), None);
}
