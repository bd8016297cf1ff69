//! Our client against our server in one process, on a virtual clock; messages cross
//! through the encoder and decoder as they would on a socket.

#![allow(clippy::unwrap_used)]

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use dhcproto::v4::{DhcpOption, Message, MessageType, Opcode};

use super::server::EndReason;
use super::*;

const MAC_A: MacAddr = MacAddr([0x02, 0xaa, 0, 0, 0, 1]);
const MAC_B: MacAddr = MacAddr([0x02, 0xbb, 0, 0, 0, 2]);
const GO: Ipv4Addr = Ipv4Addr::new(192, 168, 49, 1);

fn wire_trip(msg: &Message) -> Message {
    wire::decode(&wire::encode(msg).expect("encode")).expect("decode")
}

/// A client and a server on one link, a virtual clock, and a switch to drop messages.
struct Link {
    now: Instant,
    client: Client<SeededRandom>,
    server: Server,
    /// Drop every message the client sends while set.
    drop_client: bool,
    /// What the client's driver was told, in order.
    client_events: Vec<ClientOutput>,
    server_events: Vec<ServerOutput>,
    /// Every message the client sent: (when, type, destination).
    sent: Vec<(Instant, MessageType, Destination)>,
}

impl Link {
    fn new(mac: MacAddr, server: Server) -> Self {
        Self {
            now: Instant::now(),
            client: Client::new(ClientConfig::new(mac), SeededRandom::new(7)),
            server,
            drop_client: false,
            client_events: Vec::new(),
            server_events: Vec::new(),
            sent: Vec::new(),
        }
    }

    /// Delivers messages both ways until neither side has anything to say.
    fn pump(&mut self) {
        loop {
            let mut moved = false;
            while let Some(o) = self.client.poll_output() {
                moved = true;
                if let ClientOutput::Send(t) = &o {
                    let kind = wire::msg_type(&t.msg).expect("type");
                    self.sent.push((self.now, kind, t.to));
                    if !self.drop_client {
                        let _ = self.server.handle_input(self.now, wire_trip(&t.msg));
                    }
                } else {
                    self.client_events.push(o);
                }
            }
            while let Some(o) = self.server.poll_output() {
                moved = true;
                if let ServerOutput::Send(t) = &o {
                    let _ = self.client.handle_input(self.now, ClientInput::Message(wire_trip(&t.msg)));
                }
                self.server_events.push(o);
            }
            if !moved {
                break;
            }
        }
    }

    /// Jumps to the earliest wake-up of either side (if not after `limit`) and handles it.
    fn step(&mut self, limit: Instant) -> bool {
        let next = [self.client.poll_timeout(), self.server.poll_timeout()].into_iter().flatten().min();
        match next {
            Some(t) if t <= limit => {
                self.now = self.now.max(t);
                self.client.handle_timeout(self.now);
                self.server.handle_timeout(self.now);
                self.pump();
                true
            }
            _ => false,
        }
    }

    fn run_for(&mut self, d: Duration) {
        let limit = self.now + d;
        while self.step(limit) {}
        self.now = limit;
    }

    fn configured(&self) -> Vec<&Lease> {
        self.client_events
            .iter()
            .filter_map(|e| match e {
                ClientOutput::Configure(l) => Some(l),
                _ => None,
            })
            .collect()
    }
}

fn server() -> Server {
    Server::new(ServerConfig::default()).expect("default config is valid")
}

#[test]
fn full_exchange_binds_first_pool_address_with_group_options() {
    let mut l = Link::new(MAC_A, server());
    l.client.handle_input(l.now, ClientInput::Start).expect("start");
    l.pump();
    let kinds: Vec<_> = l.sent.iter().map(|s| s.1).collect();
    assert_eq!(kinds, [MessageType::Discover, MessageType::Request]);
    let lease = l.client.lease().expect("bound").clone();
    assert_eq!(lease.ip, Ipv4Addr::new(192, 168, 49, 2));
    assert_eq!(lease.prefix_len, 24);
    assert_eq!(lease.router, Some(GO));
    assert_eq!(lease.dns, vec![GO]);
    assert_eq!(lease.server, GO);
    assert_eq!(lease.lease_time, Duration::from_secs(3600));
    assert_eq!((lease.t1, lease.t2), (Duration::from_secs(1800), Duration::from_secs(3150)));
    assert_eq!(l.configured(), vec![&lease]);
    assert_eq!(l.server.address_of(MAC_A), Some(lease.ip));
    assert!(matches!(l.server_events.last(), Some(ServerOutput::Leased { mac: MAC_A, .. })));
    assert_eq!(l.client.state_name(), "bound");
}

#[test]
fn server_answers_broadcast_to_a_client_that_asks_and_unicast_to_ciaddr() {
    let mut s = server();
    let now = Instant::now();
    let mut c = Client::new(ClientConfig { broadcast: false, ..ClientConfig::new(MAC_A) }, SeededRandom::new(1));
    c.handle_input(now, ClientInput::Start).expect("start");
    let Some(ClientOutput::Send(d)) = c.poll_output() else { panic!("no discover") };
    s.handle_input(now, d.msg.clone()).unwrap();
    let Some(ServerOutput::Send(offer)) = s.poll_output() else { panic!("no offer") };
    // Broadcast bit clear and no ciaddr: to yiaddr at chaddr (RFC 2131 4.1).
    assert_eq!(offer.to, Destination::UnicastHw { ip: Ipv4Addr::new(192, 168, 49, 2), mac: MAC_A });
    assert_eq!(offer.msg.opcode(), Opcode::BootReply);
    assert_eq!(offer.msg.xid(), d.msg.xid());

    let mut b = d.msg.clone();
    b.set_flags(wire::broadcast_flag());
    s.handle_input(now, b).unwrap();
    let Some(ServerOutput::Send(offer)) = s.poll_output() else { panic!("no offer") };
    assert_eq!(offer.to, Destination::Broadcast);
}

#[test]
fn discover_retransmits_with_exponential_backoff_then_gives_up() {
    let mut l = Link::new(MAC_A, server());
    l.client = Client::new(ClientConfig { give_up: Duration::from_secs(90), ..ClientConfig::new(MAC_A) }, SeededRandom::new(7));
    l.drop_client = true;
    let t0 = l.now;
    l.client.handle_input(t0, ClientInput::Start).expect("start");
    l.pump();
    l.run_for(Duration::from_secs(89));
    assert!(l.client_events.is_empty(), "still trying before the give-up time");
    l.run_for(Duration::from_secs(200));
    let times: Vec<f64> = l.sent.iter().map(|s| (s.0 - t0).as_secs_f64()).collect();
    // Gaps 4, 8, 16, 32 s (each +-1 s) after the first DISCOVER; the next (64 s) would pass
    // the 90 s give-up time.
    assert_eq!(times.len(), 5, "{times:?}");
    for (i, base) in [4.0, 8.0, 16.0, 32.0].iter().enumerate() {
        let gap = times[i + 1] - times[i];
        assert!((gap - base).abs() <= 1.0, "gap {i} is {gap}, expected {base} +- 1");
    }
    assert!(l.sent.iter().all(|s| s.1 == MessageType::Discover && s.2 == Destination::Broadcast));
    assert_eq!(l.client_events, vec![ClientOutput::GaveUp]);
    assert_eq!(l.client.poll_timeout(), None);
    assert_eq!(l.client.state_name(), "idle");
}

#[test]
fn lost_messages_are_retransmitted_and_the_exchange_completes() {
    let mut l = Link::new(MAC_A, server());
    l.drop_client = true;
    l.client.handle_input(l.now, ClientInput::Start).expect("start");
    l.pump();
    l.run_for(Duration::from_secs(6));
    assert!(l.client.lease().is_none());
    l.drop_client = false;
    l.run_for(Duration::from_secs(30));
    assert_eq!(l.client.lease().map(|x| x.ip), Some(Ipv4Addr::new(192, 168, 49, 2)));
    let discovers = l.sent.iter().filter(|s| s.1 == MessageType::Discover).count();
    assert_eq!(discovers, 3, "first DISCOVER, retransmission at ~4 s (lost), at ~12 s (answered)");
}

#[test]
fn nak_restarts_discovery_and_a_new_offer_binds() {
    let mut s = server();
    let now = Instant::now();
    let mut c = Client::new(ClientConfig::new(MAC_A), SeededRandom::new(3));
    c.handle_input(now, ClientInput::Start).expect("start");
    let Some(ClientOutput::Send(discover)) = c.poll_output() else { panic!() };
    s.handle_input(now, wire_trip(&discover.msg)).unwrap();
    let Some(ServerOutput::Send(offer)) = s.poll_output() else { panic!() };
    c.handle_input(now, ClientInput::Message(wire_trip(&offer.msg))).unwrap();
    let Some(ClientOutput::Send(request)) = c.poll_output() else { panic!() };
    // Another station takes the offered address with the KDE meanwhile: the server
    // can no longer give it to A.
    s.release(MAC_A);
    s.reserve(MAC_B, Ipv4Addr::new(192, 168, 49, 2)).unwrap();
    s.handle_input(now, wire_trip(&request.msg)).unwrap();
    let Some(ServerOutput::Send(nak)) = s.poll_output() else { panic!() };
    assert_eq!(wire::msg_type(&nak.msg), Some(MessageType::Nak));
    assert_eq!(nak.to, Destination::Broadcast);
    c.handle_input(now, ClientInput::Message(wire_trip(&nak.msg))).unwrap();
    let Some(ClientOutput::Send(again)) = c.poll_output() else { panic!() };
    assert_eq!(wire::msg_type(&again.msg), Some(MessageType::Discover));
    assert_ne!(again.msg.xid(), discover.msg.xid(), "a new transaction");
    s.handle_input(now, wire_trip(&again.msg)).unwrap();
    let Some(ServerOutput::Send(offer)) = s.poll_output() else { panic!() };
    assert_eq!(offer.msg.yiaddr(), Ipv4Addr::new(192, 168, 49, 3));
    c.handle_input(now, ClientInput::Message(wire_trip(&offer.msg))).unwrap();
    let Some(ClientOutput::Send(request)) = c.poll_output() else { panic!() };
    s.handle_input(now, wire_trip(&request.msg)).unwrap();
    let Some(ServerOutput::Send(ack)) = s.poll_output() else { panic!() };
    c.handle_input(now, ClientInput::Message(wire_trip(&ack.msg))).unwrap();
    assert_eq!(c.lease().map(|x| x.ip), Some(Ipv4Addr::new(192, 168, 49, 3)));
}

#[test]
fn renews_at_t1_by_unicast_and_keeps_the_address() {
    let mut l = Link::new(MAC_A, server());
    l.client.handle_input(l.now, ClientInput::Start).expect("start");
    l.pump();
    let t_bound = l.now;
    l.run_for(Duration::from_secs(1799));
    assert_eq!(l.sent.len(), 2, "nothing before T1");
    l.run_for(Duration::from_secs(2));
    let (t, kind, to) = l.sent[2];
    assert_eq!(kind, MessageType::Request);
    assert_eq!(to, Destination::Unicast(GO));
    assert_eq!(t - t_bound, Duration::from_secs(1800));
    assert_eq!(l.configured().len(), 2, "the renewal's ACK configures the extended lease");
    assert_eq!(l.configured()[1].ip, Ipv4Addr::new(192, 168, 49, 2));
    assert_eq!(l.client.state_name(), "bound");
    // The server's lease was extended: still bound well past the first hour.
    l.run_for(Duration::from_secs(3000));
    assert_eq!(l.server.address_of(MAC_A), Some(Ipv4Addr::new(192, 168, 49, 2)));
    assert!(!l.server_events.iter().any(|e| matches!(e, ServerOutput::Ended { .. })));
}

#[test]
fn without_a_server_renewing_turns_to_rebinding_then_expiry_deconfigures() {
    let mut l = Link::new(MAC_A, server());
    l.client.handle_input(l.now, ClientInput::Start).expect("start");
    l.pump();
    let t_bound = l.now;
    l.drop_client = true;
    l.run_for(Duration::from_secs(3601));
    let after: Vec<_> = l.sent[2..].iter().map(|s| ((s.0 - t_bound).as_secs(), s.1, s.2)).collect();
    // Renewing at T1 (1800 s) unicast, retries at half the time left to T2 (min 60 s),
    // rebinding at T2 (3150 s) broadcast, then expiry at 3600 s starts over with DISCOVER.
    assert_eq!(after[0], (1800, MessageType::Request, Destination::Unicast(GO)));
    assert_eq!(after[1], (1800 + 675, MessageType::Request, Destination::Unicast(GO)));
    let rebind = after.iter().find(|a| a.2 == Destination::Broadcast).expect("rebinding");
    assert_eq!((rebind.0, rebind.1), (3150, MessageType::Request));
    let disc = after.iter().find(|a| a.1 == MessageType::Discover).expect("back to INIT");
    assert_eq!(disc.0, 3600);
    let lost = Ipv4Addr::new(192, 168, 49, 2);
    assert!(l.client_events.contains(&ClientOutput::Deconfigure { ip: lost }));
    // The server let the lease go at the same time.
    assert!(l.server_events.contains(&ServerOutput::Ended { mac: MAC_A, ip: lost, reason: EndReason::Expired }));
}

#[test]
fn stop_releases_and_the_server_frees_the_lease() {
    let mut l = Link::new(MAC_A, server());
    l.client.handle_input(l.now, ClientInput::Start).expect("start");
    l.pump();
    let ip = l.client.lease().expect("bound").ip;
    l.client.handle_input(l.now, ClientInput::Stop).expect("stop");
    l.pump();
    assert_eq!(l.sent.last().map(|s| (s.1, s.2)), Some((MessageType::Release, Destination::Unicast(GO))));
    assert_eq!(l.client_events.last(), Some(&ClientOutput::Deconfigure { ip }));
    assert!(l.server_events.contains(&ServerOutput::Ended { mac: MAC_A, ip, reason: EndReason::Released }));
    assert_eq!(l.server.address_of(MAC_A), None);
    // The address is free again: another client gets it.
    let mut l2 = Link { server: l.server, ..Link::new(MAC_B, server()) };
    l2.client.handle_input(l2.now, ClientInput::Start).expect("start");
    l2.pump();
    assert_eq!(l2.client.lease().map(|x| x.ip), Some(ip));
}

#[test]
fn release_by_mac_when_a_station_leaves() {
    let mut l = Link::new(MAC_A, server());
    l.client.handle_input(l.now, ClientInput::Start).expect("start");
    l.pump();
    let ip = l.client.lease().expect("bound").ip;
    assert_eq!(l.server.leases().len(), 1);
    l.server.release(MAC_A);
    assert_eq!(l.server.poll_output(), Some(ServerOutput::Ended { mac: MAC_A, ip, reason: EndReason::Left }));
    assert!(l.server.leases().is_empty());
    assert_eq!(l.server.poll_timeout(), None);
}

/// A bare DISCOVER from `mac` (what another client would send).
fn discover(mac: MacAddr, xid: u32) -> Message {
    let mut m = wire::new_message(Opcode::BootRequest, xid, &mac);
    m.set_flags(wire::broadcast_flag());
    m.opts_mut().insert(DhcpOption::MessageType(MessageType::Discover));
    m
}

fn offered(s: &mut Server) -> Option<Ipv4Addr> {
    let mut ip = None;
    while let Some(o) = s.poll_output() {
        if let ServerOutput::Send(t) = o
            && wire::msg_type(&t.msg) == Some(MessageType::Offer)
        {
            ip = Some(t.msg.yiaddr());
        }
    }
    ip
}

#[test]
fn pool_exhaustion_offers_nothing_until_an_offer_expires() {
    let cfg = ServerConfig {
        pool_start: Ipv4Addr::new(192, 168, 49, 2),
        pool_end: Ipv4Addr::new(192, 168, 49, 4),
        ..ServerConfig::default()
    };
    let mut s = Server::new(cfg).unwrap();
    let now = Instant::now();
    let mut got = Vec::new();
    for i in 0..3u8 {
        s.handle_input(now, discover(MacAddr([2, 0, 0, 0, 0, i]), u32::from(i))).unwrap();
        got.push(offered(&mut s).expect("offer"));
    }
    assert_eq!(got, [Ipv4Addr::new(192, 168, 49, 2), Ipv4Addr::new(192, 168, 49, 3), Ipv4Addr::new(192, 168, 49, 4)]);
    assert_eq!(s.handle_input(now, discover(MacAddr([2, 0, 0, 0, 0, 9]), 9)), Err(ServerError::PoolExhausted));
    assert_eq!(offered(&mut s), None);
    // The same client asking again gets its held offer back.
    s.handle_input(now, discover(MacAddr([2, 0, 0, 0, 0, 1]), 1)).unwrap();
    assert_eq!(offered(&mut s), Some(Ipv4Addr::new(192, 168, 49, 3)));
    // Offers are held 60 s; after that the pool has room again.
    assert_eq!(s.poll_timeout(), Some(now + Duration::from_secs(60)));
    let later = now + Duration::from_secs(61);
    s.handle_timeout(later);
    s.handle_input(later, discover(MacAddr([2, 0, 0, 0, 0, 9]), 9)).unwrap();
    assert_eq!(offered(&mut s), Some(Ipv4Addr::new(192, 168, 49, 2)));
}

#[test]
fn kde_reservations_and_the_go_address_are_never_offered_to_others() {
    // A pool that includes the GO's own address.
    let cfg = ServerConfig { pool_start: Ipv4Addr::new(192, 168, 49, 1), ..ServerConfig::default() };
    let mut s = Server::new(cfg).unwrap();
    let now = Instant::now();
    assert_eq!(s.allocate_reserved(now, MAC_B), Some(Ipv4Addr::new(192, 168, 49, 2)));
    s.reserve(MacAddr([2, 0, 0, 0, 0, 0x77]), Ipv4Addr::new(192, 168, 49, 3)).unwrap();
    assert_eq!(s.reserve(MAC_A, GO), Err(ServerError::Unavailable(GO)));
    assert_eq!(s.reserve(MAC_A, Ipv4Addr::new(192, 168, 49, 3)), Err(ServerError::Unavailable(Ipv4Addr::new(192, 168, 49, 3))));
    assert_eq!(s.reserve(MAC_A, Ipv4Addr::new(10, 0, 0, 3)), Err(ServerError::Unavailable(Ipv4Addr::new(10, 0, 0, 3))));
    // A's DISCOVER asks for a reserved address and is offered the first really free one.
    let mut d = discover(MAC_A, 5);
    d.opts_mut().insert(DhcpOption::RequestedIpAddress(Ipv4Addr::new(192, 168, 49, 2)));
    s.handle_input(now, d).unwrap();
    assert_eq!(offered(&mut s), Some(Ipv4Addr::new(192, 168, 49, 4)));
    // A REQUEST for a reserved address from another station is refused.
    let mut r = wire::new_message(Opcode::BootRequest, 6, &MAC_A);
    r.opts_mut().insert(DhcpOption::MessageType(MessageType::Request));
    r.opts_mut().insert(DhcpOption::ServerIdentifier(GO));
    r.opts_mut().insert(DhcpOption::RequestedIpAddress(Ipv4Addr::new(192, 168, 49, 3)));
    s.handle_input(now, r).unwrap();
    let Some(ServerOutput::Send(t)) = s.poll_output() else { panic!() };
    assert_eq!(wire::msg_type(&t.msg), Some(MessageType::Nak));
    // The station holding the reservation that runs DHCP anyway gets its own address.
    s.handle_input(now, discover(MAC_B, 8)).unwrap();
    assert_eq!(offered(&mut s), Some(Ipv4Addr::new(192, 168, 49, 2)));
    assert_eq!(s.address_of(MAC_B), Some(Ipv4Addr::new(192, 168, 49, 2)));
    // Reservations never expire; they end when the station leaves.
    assert!(s.leases().iter().any(|l| l.mac == MAC_B && l.state == LeaseState::Reserved));
    s.release(MAC_B);
    assert_eq!(s.address_of(MAC_B), None);
}

#[test]
fn declined_address_is_held_back_then_offered_again() {
    let mut l = Link::new(MAC_A, server());
    l.client.handle_input(l.now, ClientInput::Start).expect("start");
    l.pump();
    let ip = l.client.lease().expect("bound").ip;
    // The client found the address in use (ARP) and declines it (RFC 2131 4.4.1).
    let mut d = wire::new_message(Opcode::BootRequest, 99, &MAC_A);
    let o = d.opts_mut();
    o.insert(DhcpOption::MessageType(MessageType::Decline));
    o.insert(DhcpOption::ServerIdentifier(GO));
    o.insert(DhcpOption::RequestedIpAddress(ip));
    o.insert(DhcpOption::ClientIdentifier(ClientConfig::new(MAC_A).client_id.expect("id")));
    let now = l.now;
    l.server.handle_input(now, wire_trip(&d)).unwrap();
    assert_eq!(l.server.poll_output(), Some(ServerOutput::Ended { mac: MAC_A, ip, reason: EndReason::Declined }));
    assert!(l.server.leases().is_empty(), "declined addresses belong to nobody");
    l.server.handle_input(now, discover(MAC_A, 100)).unwrap();
    assert_eq!(offered(&mut l.server), Some(Ipv4Addr::new(192, 168, 49, 3)), "not the declined address");
    let later = now + Duration::from_secs(601);
    l.server.handle_timeout(later);
    l.server.handle_input(later, discover(MAC_B, 101)).unwrap();
    assert_eq!(offered(&mut l.server), Some(ip), "the hold (600 s) is over");
}

#[test]
fn a_declined_address_cannot_be_reserved_for_the_kde() {
    let mut s = server();
    let now = Instant::now();
    let ip = Ipv4Addr::new(192, 168, 49, 3);
    s.reserve(MAC_A, ip).unwrap();
    let mut d = wire::new_message(Opcode::BootRequest, 1, &MAC_A);
    d.opts_mut().insert(DhcpOption::MessageType(MessageType::Decline));
    d.opts_mut().insert(DhcpOption::ServerIdentifier(GO));
    d.opts_mut().insert(DhcpOption::RequestedIpAddress(ip));
    s.handle_input(now, d).unwrap();
    assert_eq!(s.address_of(MAC_A), None, "the station's reservation went with the decline");
    assert_eq!(s.reserve(MAC_B, ip), Err(ServerError::Unavailable(ip)));
    assert_eq!(s.allocate_reserved(now, MAC_B), Some(Ipv4Addr::new(192, 168, 49, 2)));
}

#[test]
fn client_refuses_an_ack_without_a_usable_lease_time_and_keeps_asking() {
    let now = Instant::now();
    let mut c = Client::new(ClientConfig::new(MAC_A), SeededRandom::new(4));
    let mut s = server();
    c.handle_input(now, ClientInput::Start).expect("start");
    let Some(ClientOutput::Send(d)) = c.poll_output() else { panic!() };
    s.handle_input(now, d.msg).unwrap();
    let Some(ServerOutput::Send(offer)) = s.poll_output() else { panic!() };
    c.handle_input(now, ClientInput::Message(offer.msg)).unwrap();
    let Some(ClientOutput::Send(req)) = c.poll_output() else { panic!() };
    s.handle_input(now, req.msg).unwrap();
    let Some(ServerOutput::Send(ack)) = s.poll_output() else { panic!() };
    let mut zero = ack.msg.clone();
    zero.opts_mut().insert(DhcpOption::AddressLeaseTime(0));
    assert_eq!(c.handle_input(now, ClientInput::Message(zero)), Err(ClientError::ZeroLease));
    let mut none = ack.msg.clone();
    none.opts_mut().remove(dhcproto::v4::OptionCode::AddressLeaseTime);
    assert!(matches!(c.handle_input(now, ClientInput::Message(none)), Err(ClientError::MissingOption(..))));
    let mut holes = ack.msg.clone();
    holes.opts_mut().insert(DhcpOption::SubnetMask(Ipv4Addr::new(255, 0, 255, 0)));
    assert!(matches!(c.handle_input(now, ClientInput::Message(holes)), Err(ClientError::BadMask(_))));
    assert_eq!(c.state_name(), "waiting for the ACK");
    // T1/T2 that contradict the lease fall back to 1/2 and 7/8 of it.
    let mut odd = ack.msg.clone();
    odd.opts_mut().insert(DhcpOption::Renewal(5000));
    c.handle_input(now, ClientInput::Message(odd)).unwrap();
    let l = c.lease().unwrap();
    assert_eq!((l.t1, l.t2), (Duration::from_secs(1800), Duration::from_secs(3150)));
}

#[test]
fn inform_gets_options_without_an_address_by_unicast() {
    let mut s = server();
    let mut m = wire::new_message(Opcode::BootRequest, 42, &MAC_A);
    m.set_ciaddr(Ipv4Addr::new(192, 168, 49, 77));
    m.opts_mut().insert(DhcpOption::MessageType(MessageType::Inform));
    s.handle_input(Instant::now(), m).unwrap();
    let Some(ServerOutput::Send(t)) = s.poll_output() else { panic!() };
    assert_eq!(t.to, Destination::Unicast(Ipv4Addr::new(192, 168, 49, 77)));
    assert_eq!(wire::msg_type(&t.msg), Some(MessageType::Ack));
    assert_eq!(t.msg.yiaddr(), Ipv4Addr::UNSPECIFIED);
    assert_eq!(wire::seconds(&t.msg, dhcproto::v4::OptionCode::AddressLeaseTime), None);
    assert_eq!(wire::router(&t.msg), Some(GO));
    assert!(s.leases().is_empty());
}

#[test]
fn init_reboot_is_acked_for_the_own_address_and_refused_off_subnet() {
    let mut l = Link::new(MAC_A, server());
    l.client.handle_input(l.now, ClientInput::Start).expect("start");
    l.pump();
    let ip = l.client.lease().expect("bound").ip;
    let id = ClientConfig::new(MAC_A).client_id.expect("id");
    let reboot = |req: Ipv4Addr| {
        let mut m = wire::new_message(Opcode::BootRequest, 5, &MAC_A);
        m.opts_mut().insert(DhcpOption::MessageType(MessageType::Request));
        m.opts_mut().insert(DhcpOption::RequestedIpAddress(req));
        m.opts_mut().insert(DhcpOption::ClientIdentifier(id.clone()));
        m
    };
    let now = l.now;
    l.server.handle_input(now, reboot(ip)).unwrap();
    let Some(ServerOutput::Send(t)) = l.server.poll_output() else { panic!() };
    assert_eq!((wire::msg_type(&t.msg), t.msg.yiaddr()), (Some(MessageType::Ack), ip));
    assert_eq!(t.to, Destination::UnicastHw { ip, mac: MAC_A }, "broadcast bit clear, no ciaddr");
    assert!(matches!(l.server.poll_output(), Some(ServerOutput::Leased { .. })));
    l.server.handle_input(now, reboot(Ipv4Addr::new(10, 9, 9, 9))).unwrap();
    let Some(ServerOutput::Send(t)) = l.server.poll_output() else { panic!() };
    assert_eq!(wire::msg_type(&t.msg), Some(MessageType::Nak));
    // Unknown client, free address: silent (RFC 2131 4.3.2).
    let mut other = reboot(Ipv4Addr::new(192, 168, 49, 50));
    other.set_chaddr(&MAC_B.0);
    other.opts_mut().remove(dhcproto::v4::OptionCode::ClientIdentifier);
    assert_eq!(l.server.handle_input(now, other), Err(ServerError::Unknown(Ipv4Addr::new(192, 168, 49, 50))));
}

#[test]
fn client_ignores_replies_for_other_transactions_and_clients() {
    let now = Instant::now();
    let mut c = Client::new(ClientConfig::new(MAC_A), SeededRandom::new(9));
    c.handle_input(now, ClientInput::Start).expect("start");
    let Some(ClientOutput::Send(d)) = c.poll_output() else { panic!() };
    let mut s = server();
    s.handle_input(now, d.msg.clone()).unwrap();
    let Some(ServerOutput::Send(offer)) = s.poll_output() else { panic!() };
    let mut wrong_xid = offer.msg.clone();
    wrong_xid.set_xid(d.msg.xid() ^ 1);
    assert!(matches!(c.handle_input(now, ClientInput::Message(wrong_xid)), Err(ClientError::OtherTransaction { .. })));
    let mut wrong_mac = offer.msg.clone();
    wrong_mac.set_chaddr(&MAC_B.0);
    assert_eq!(c.handle_input(now, ClientInput::Message(wrong_mac)), Err(ClientError::OtherClient));
    let mut no_sid = offer.msg.clone();
    no_sid.opts_mut().remove(dhcproto::v4::OptionCode::ServerIdentifier);
    assert!(matches!(c.handle_input(now, ClientInput::Message(no_sid)), Err(ClientError::MissingOption(..))));
    assert_eq!(c.state_name(), "waiting for an offer");
    assert_eq!(c.handle_input(now, ClientInput::Message(d.msg)), Err(ClientError::NotReply));
    c.handle_input(now, ClientInput::Message(offer.msg)).unwrap();
    assert_eq!(c.state_name(), "waiting for the ACK");
}

#[test]
fn config_validation() {
    assert!(ServerConfig::default().validate().is_ok());
    let c = ServerConfig::for_subnet(Ipv4Addr::new(10, 1, 2, 3), 28).unwrap();
    assert_eq!((c.pool_start, c.pool_end), (Ipv4Addr::new(10, 1, 2, 1), Ipv4Addr::new(10, 1, 2, 14)));
    assert!(ServerConfig::for_subnet(GO, 31).is_err());
    let bad = ServerConfig { pool_end: Ipv4Addr::new(192, 168, 50, 10), ..ServerConfig::default() };
    assert!(matches!(bad.validate(), Err(server::ConfigError::Pool { .. })));
    let bcast = ServerConfig { pool_end: Ipv4Addr::new(192, 168, 49, 255), ..ServerConfig::default() };
    assert!(bcast.validate().is_err());
    assert!(Server::new(ServerConfig { lease_time: Duration::from_secs(5), ..ServerConfig::default() }).is_err());
}

mod properties {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Discover(u8),
        /// REQUEST (selecting) for the client's last offer, or for pool address `.n`.
        Select(u8, Option<u8>),
        Renew(u8),
        Release(u8),
        Decline(u8),
        /// The station leaves the group.
        Leave(u8),
        /// A KDE reservation of `.n` for the station.
        Reserve(u8, u8),
        Wait(u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        let c = 0u8..5;
        prop_oneof![
            3 => c.clone().prop_map(Op::Discover),
            3 => (c.clone(), proptest::option::of(1u8..12)).prop_map(|(c, n)| Op::Select(c, n)),
            1 => c.clone().prop_map(Op::Renew),
            1 => c.clone().prop_map(Op::Release),
            1 => c.clone().prop_map(Op::Decline),
            1 => c.clone().prop_map(Op::Leave),
            1 => (c, 1u8..12).prop_map(|(c, n)| Op::Reserve(c, n)),
            1 => (0u16..4000).prop_map(Op::Wait),
        ]
    }

    fn mac(c: u8) -> MacAddr {
        MacAddr([2, 0, 0, 0, 0, c])
    }

    fn msg(c: u8, kind: MessageType) -> Message {
        let mut m = wire::new_message(Opcode::BootRequest, u32::from(c), &mac(c));
        m.opts_mut().insert(DhcpOption::MessageType(kind));
        m
    }

    proptest! {
        /// Whatever the clients do, an address is never acknowledged to two stations at
        /// once, never the GO's, never outside the pool unless reserved for that station,
        /// and never one reserved for another station.
        #[test]
        fn no_address_is_given_twice(ops in proptest::collection::vec(op(), 1..60)) {
            let cfg = ServerConfig {
                pool_start: Ipv4Addr::new(192, 168, 49, 1), // includes the GO's own address
                pool_end: Ipv4Addr::new(192, 168, 49, 6),
                ..ServerConfig::default()
            };
            let mut s = Server::new(cfg.clone()).unwrap();
            let mut now = Instant::now();
            // What the model believes: address -> (station, lease end).
            let mut held: HashMap<Ipv4Addr, (MacAddr, Option<Instant>)> = HashMap::new();
            let mut offers: HashMap<u8, Ipv4Addr> = HashMap::new();
            for op in ops {
                let c = match &op {
                    Op::Discover(c) | Op::Select(c, _) | Op::Renew(c) | Op::Release(c) | Op::Decline(c)
                    | Op::Leave(c) | Op::Reserve(c, _) => *c,
                    Op::Wait(_) => 0,
                };
                let current = held.iter().find(|(_, (m, _))| *m == mac(c)).map(|(ip, _)| *ip);
                match op {
                    Op::Discover(_) => { let _ = s.handle_input(now, msg(c, MessageType::Discover)); }
                    Op::Select(_, n) => {
                        let want = n.map(|n| Ipv4Addr::new(192, 168, 49, n)).or(offers.get(&c).copied());
                        if let Some(ip) = want {
                            let mut m = msg(c, MessageType::Request);
                            m.opts_mut().insert(DhcpOption::ServerIdentifier(cfg.server_ip));
                            m.opts_mut().insert(DhcpOption::RequestedIpAddress(ip));
                            let _ = s.handle_input(now, m);
                        }
                    }
                    Op::Renew(_) => if let Some(ip) = current {
                        let mut m = msg(c, MessageType::Request);
                        m.set_ciaddr(ip);
                        let _ = s.handle_input(now, m);
                    },
                    Op::Release(_) => if let Some(ip) = current {
                        let mut m = msg(c, MessageType::Release);
                        m.set_ciaddr(ip);
                        let _ = s.handle_input(now, m);
                        if held.get(&ip).is_some_and(|h| h.1.is_some()) { held.remove(&ip); }
                    },
                    Op::Decline(_) => if let Some(ip) = offers.get(&c).copied() {
                        let mut m = msg(c, MessageType::Decline);
                        m.opts_mut().insert(DhcpOption::ServerIdentifier(cfg.server_ip));
                        m.opts_mut().insert(DhcpOption::RequestedIpAddress(ip));
                        let _ = s.handle_input(now, m);
                        // The server drops the station's binding, KDE reservation included.
                        if held.get(&ip).is_some_and(|h| h.0 == mac(c)) { held.remove(&ip); }
                    },
                    Op::Leave(_) => { s.release(mac(c)); held.retain(|_, h| h.0 != mac(c)); }
                    Op::Reserve(_, n) => {
                        let ip = Ipv4Addr::new(192, 168, 49, n);
                        let free = held.get(&ip).is_none_or(|h| h.0 == mac(c));
                        let r = s.reserve(mac(c), ip);
                        if r.is_ok() {
                            prop_assert!(free, "{ip} reserved for {c} while held by another");
                            prop_assert_ne!(ip, cfg.server_ip);
                            held.retain(|_, h| h.0 != mac(c));
                            held.insert(ip, (mac(c), None));
                        }
                    }
                    Op::Wait(secs) => {
                        now += Duration::from_secs(u64::from(secs));
                        s.handle_timeout(now);
                        held.retain(|_, h| h.1.is_none_or(|t| t > now));
                    }
                }
                while let Some(o) = s.poll_output() {
                    let ServerOutput::Send(t) = o else { continue };
                    let to = wire::chaddr(&t.msg);
                    let ip = t.msg.yiaddr();
                    match wire::msg_type(&t.msg) {
                        Some(MessageType::Offer) => {
                            prop_assert_ne!(ip, cfg.server_ip);
                            if let Some((m, _)) = held.get(&ip) { prop_assert_eq!(*m, to, "offered {} held by another", ip); }
                            offers.insert(to.0[5], ip);
                        }
                        Some(MessageType::Ack) => {
                            prop_assert_ne!(ip, cfg.server_ip);
                            match held.get(&ip) {
                                Some((m, _)) => prop_assert_eq!(*m, to, "ACK of {} held by another", ip),
                                None => prop_assert!(cfg.in_subnet(ip) && ip > cfg.server_ip && ip <= cfg.pool_end),
                            }
                            let reserved = held.get(&ip).is_some_and(|h| h.1.is_none());
                            if !reserved {
                                held.retain(|_, h| h.0 != to);
                                held.insert(ip, (to, Some(now + cfg.lease_time)));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}
