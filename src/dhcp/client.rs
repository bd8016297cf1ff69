//! The P2P client's DHCP client (RFC 2131 4.4), sans-IO.
//!
//! INIT sends DISCOVER and waits for an OFFER, REQUEST waits for the ACK, then the lease
//! is bound until T1 (renew by unicast to the server), T2 (rebind by broadcast) and
//! expiry (start over). Requests are retransmitted after 4, 8, 16, 32, 64, 64 ... s,
//! each +-1 s at random (RFC 2131 4.1), until the give-up time. A NAK starts over.

use std::collections::VecDeque;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use dhcproto::v4::{DhcpOption, Flags, Message, MessageType, Opcode, OptionCode};

use super::wire::{self, MacAddr};
use super::{Destination, Random, Transmit};

/// First retransmission delay (RFC 2131 4.1).
const FIRST_RTO: Duration = Duration::from_secs(4);
/// Longest retransmission delay (RFC 2131 4.1).
const MAX_RTO: Duration = Duration::from_secs(64);
/// Shortest wait between renewal or rebinding requests (RFC 2131 4.4.5).
const MIN_RENEW_WAIT: Duration = Duration::from_secs(60);

/// The client's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The interface's MAC address (chaddr).
    pub mac: MacAddr,
    /// Client Identifier (option 61); `None` sends none and the server keys on chaddr.
    pub client_id: Option<Vec<u8>>,
    /// Host Name (option 12).
    pub hostname: Option<String>,
    /// How long to try to get a lease before reporting [`ClientOutput::GaveUp`].
    pub give_up: Duration,
    /// Ask for broadcast replies (RFC 2131 4.1): needed on a UDP socket, which cannot
    /// receive unicast to an address the interface does not have yet.
    pub broadcast: bool,
}

impl ClientConfig {
    /// Defaults for `mac`: Client Identifier 01 + MAC (RFC 2132 9.14), no host name,
    /// give up after 60 s, broadcast replies.
    pub fn new(mac: MacAddr) -> Self {
        let mut id = vec![1];
        id.extend_from_slice(&mac.0);
        Self { mac, client_id: Some(id), hostname: None, give_up: Duration::from_secs(60), broadcast: true }
    }
}

/// An address lease to apply to the interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub ip: Ipv4Addr,
    pub prefix_len: u8,
    pub router: Option<Ipv4Addr>,
    pub dns: Vec<Ipv4Addr>,
    /// The server that granted it (Server Identifier).
    pub server: Ipv4Addr,
    pub lease_time: Duration,
    /// Renewal (T1) and rebinding (T2) times from the start of the lease.
    pub t1: Duration,
    pub t2: Duration,
}

impl Lease {
    pub fn netmask(&self) -> Ipv4Addr {
        wire::mask_of(self.prefix_len)
    }
}

/// What the client asks of its driver.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientOutput {
    /// A message to send from port 68 to port 67.
    Send(Transmit),
    /// Put this address (and route) on the interface; replaces a previous one.
    Configure(Lease),
    /// Remove this address from the interface (lease lost, refused or released).
    Deconfigure { ip: Ipv4Addr },
    /// No lease within the give-up time; the client is idle until `start` again.
    GaveUp,
}

/// Why a received message was ignored (the caller logs it and goes on).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClientError {
    #[error("not a server reply")]
    NotReply,
    #[error("transaction {got:#010x} is not ours ({want:#010x})")]
    OtherTransaction { got: u32, want: u32 },
    #[error("for another client (chaddr)")]
    OtherClient,
    #[error("{got:?} is not expected while {state}")]
    Unexpected { state: &'static str, got: MessageType },
    #[error("{0:?} without the {1:?} option")]
    MissingOption(MessageType, OptionCode),
    #[error("{0:?} from server {1}, not the one we chose")]
    OtherServer(MessageType, Ipv4Addr),
    #[error("ACK for {got}, we asked for {want}")]
    WrongAddress { got: Ipv4Addr, want: Ipv4Addr },
    #[error("subnet mask {0} is not contiguous")]
    BadMask(Ipv4Addr),
    #[error("ACK with a lease time of 0")]
    ZeroLease,
}

/// Retransmission of one request: when to send again and when to give up.
#[derive(Debug, Clone, Copy)]
struct Retransmit {
    /// When acquisition started (the `secs` field).
    started: Instant,
    /// When the request now waiting was last sent.
    sent: Instant,
    next: Instant,
    rto: Duration,
    give_up: Instant,
}

/// What was offered and by whom.
#[derive(Debug, Clone, Copy)]
struct Offer {
    ip: Ipv4Addr,
    server: Ipv4Addr,
}

/// The client's state, named for what it waits for.
#[derive(Debug, Clone)]
enum State {
    /// Not started, stopped, or gave up.
    Idle,
    /// SELECTING: DISCOVER sent.
    ExpectOffer { xid: u32, rtx: Retransmit },
    /// REQUESTING: REQUEST for an offer sent.
    ExpectAck { xid: u32, rtx: Retransmit, offer: Offer },
    /// BOUND: waits for T1.
    Bound { lease: Lease, start: Instant },
    /// RENEWING: unicast REQUEST to the server sent; waits for its ACK until T2.
    ExpectRenewAck { xid: u32, lease: Lease, start: Instant, sent: Instant, next: Instant },
    /// REBINDING: broadcast REQUEST sent; waits for any server's ACK until expiry.
    ExpectRebindAck { xid: u32, lease: Lease, start: Instant, sent: Instant, next: Instant },
}

impl State {
    fn name(&self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::ExpectOffer { .. } => "waiting for an offer",
            State::ExpectAck { .. } => "waiting for the ACK",
            State::Bound { .. } => "bound",
            State::ExpectRenewAck { .. } => "renewing",
            State::ExpectRebindAck { .. } => "rebinding",
        }
    }
}

/// The DHCP client of one interface.
#[derive(Debug)]
pub struct Client<R> {
    cfg: ClientConfig,
    rng: R,
    state: State,
    out: VecDeque<ClientOutput>,
}

/// What the client is told (the one drive input, with `handle_timeout` for time).
#[derive(Debug, Clone)]
pub enum ClientInput {
    /// Start (or restart) acquiring a lease: DISCOVER.
    Start,
    /// Release the lease (RELEASE, unicast to the server) and go idle.
    Stop,
    /// A message received on port 68.
    Message(Message),
}

impl<R: Random> Client<R> {
    /// An idle client; [`ClientInput::Start`] begins acquisition.
    pub fn new(cfg: ClientConfig, rng: R) -> Self {
        Self { cfg, rng, state: State::Idle, out: VecDeque::new() }
    }

    /// Starts (or restarts) acquiring a lease: DISCOVER.
    fn start(&mut self, now: Instant) {
        if let Some(ip) = self.lease().map(|l| l.ip) {
            self.out.push_back(ClientOutput::Deconfigure { ip });
        }
        let give_up = now + self.cfg.give_up;
        self.discover(now, now, give_up);
    }

    /// Releases the lease (RELEASE, unicast to the server) and goes idle.
    fn stop(&mut self, now: Instant) {
        if let Some(lease) = self.lease().cloned() {
            let xid = self.rng.next_u32();
            let mut msg = self.request_base(xid, MessageType::Release, now, now);
            msg.set_ciaddr(lease.ip).set_flags(Flags::default());
            msg.opts_mut().insert(DhcpOption::ServerIdentifier(lease.server));
            msg.opts_mut().remove(OptionCode::ParameterRequestList);
            msg.opts_mut().remove(OptionCode::MaxMessageSize);
            self.out.push_back(ClientOutput::Send(Transmit { msg, to: Destination::Unicast(lease.server) }));
            self.out.push_back(ClientOutput::Deconfigure { ip: lease.ip });
        }
        self.state = State::Idle;
    }

    /// The lease held, if any (bound, renewing or rebinding).
    pub fn lease(&self) -> Option<&Lease> {
        match &self.state {
            State::Bound { lease, .. } | State::ExpectRenewAck { lease, .. } | State::ExpectRebindAck { lease, .. } => {
                Some(lease)
            }
            _ => None,
        }
    }

    /// A name for the current state, for logs.
    pub fn state_name(&self) -> &'static str {
        self.state.name()
    }

    pub fn poll_output(&mut self) -> Option<ClientOutput> {
        self.out.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.state {
            State::Idle => None,
            State::ExpectOffer { rtx, .. } | State::ExpectAck { rtx, .. } => Some(rtx.next.min(rtx.give_up)),
            State::Bound { lease, start } => Some(*start + lease.t1),
            State::ExpectRenewAck { lease, start, next, .. } => Some((*next).min(*start + lease.t2)),
            State::ExpectRebindAck { lease, start, next, .. } => Some((*next).min(*start + lease.lease_time)),
        }
    }

    /// An input; an error says why a received message was ignored (the client is unchanged).
    pub fn handle_input(&mut self, now: Instant, input: ClientInput) -> Result<(), ClientError> {
        match input {
            ClientInput::Start => self.start(now),
            ClientInput::Stop => self.stop(now),
            ClientInput::Message(msg) => return self.on_message(now, msg),
        }
        Ok(())
    }

    /// Handles a message received on port 68.
    fn on_message(&mut self, now: Instant, msg: Message) -> Result<(), ClientError> {
        if msg.opcode() != Opcode::BootReply {
            return Err(ClientError::NotReply);
        }
        let want = match &self.state {
            State::ExpectOffer { xid, .. }
            | State::ExpectAck { xid, .. }
            | State::ExpectRenewAck { xid, .. }
            | State::ExpectRebindAck { xid, .. } => *xid,
            State::Idle | State::Bound { .. } => {
                let got = wire::msg_type(&msg).unwrap_or(MessageType::Unknown(0));
                return Err(ClientError::Unexpected { state: self.state.name(), got });
            }
        };
        if msg.xid() != want {
            return Err(ClientError::OtherTransaction { got: msg.xid(), want });
        }
        if wire::chaddr(&msg) != self.cfg.mac {
            return Err(ClientError::OtherClient);
        }
        let kind = wire::msg_type(&msg).unwrap_or(MessageType::Unknown(0));
        match (self.state.clone(), kind) {
            (State::ExpectOffer { xid, rtx }, MessageType::Offer) => {
                let server =
                    wire::server_id(&msg).ok_or(ClientError::MissingOption(kind, OptionCode::ServerIdentifier))?;
                let ip = msg.yiaddr();
                if ip.is_unspecified() {
                    return Err(ClientError::WrongAddress { got: ip, want: ip });
                }
                let offer = Offer { ip, server };
                let rtx = Retransmit { sent: now, next: now + self.jitter(FIRST_RTO), rto: FIRST_RTO, ..rtx };
                self.send_select(xid, &rtx, offer, now);
                self.state = State::ExpectAck { xid, rtx, offer };
                Ok(())
            }
            (State::ExpectAck { rtx, offer, .. }, MessageType::Ack) => {
                if let Some(sid) = wire::server_id(&msg)
                    && sid != offer.server
                {
                    return Err(ClientError::OtherServer(kind, sid));
                }
                if msg.yiaddr() != offer.ip {
                    return Err(ClientError::WrongAddress { got: msg.yiaddr(), want: offer.ip });
                }
                let lease = lease_of(&msg, offer.server)?;
                self.bind(lease, rtx.sent);
                Ok(())
            }
            (State::ExpectAck { rtx, offer, .. }, MessageType::Nak) => {
                if let Some(sid) = wire::server_id(&msg)
                    && sid != offer.server
                {
                    return Err(ClientError::OtherServer(kind, sid));
                }
                // RFC 2131 4.4.1: back to INIT.
                self.discover(now, now, rtx.give_up);
                Ok(())
            }
            (
                State::ExpectRenewAck { lease: old, sent, .. } | State::ExpectRebindAck { lease: old, sent, .. },
                MessageType::Ack,
            ) => {
                let server = wire::server_id(&msg).unwrap_or(old.server);
                let lease = lease_of(&msg, server)?;
                if lease.ip != old.ip {
                    self.out.push_back(ClientOutput::Deconfigure { ip: old.ip });
                }
                self.bind(lease, sent);
                Ok(())
            }
            (State::ExpectRenewAck { lease, .. } | State::ExpectRebindAck { lease, .. }, MessageType::Nak) => {
                // RFC 2131 4.4.5: the lease is gone; stop using it and start over.
                self.out.push_back(ClientOutput::Deconfigure { ip: lease.ip });
                let give_up = now + self.cfg.give_up;
                self.discover(now, now, give_up);
                Ok(())
            }
            (state, got) => Err(ClientError::Unexpected { state: state.name(), got }),
        }
    }

    /// Retransmits, moves to renewing, rebinding or INIT, or gives up, as time says.
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state.clone() {
            State::Idle => {}
            State::ExpectOffer { .. } | State::ExpectAck { .. } if self.gave_up(now) => {
                self.state = State::Idle;
                self.out.push_back(ClientOutput::GaveUp);
            }
            State::ExpectOffer { xid, rtx } if now >= rtx.next => {
                let rtx = self.backoff(rtx, now);
                self.send_discover(xid, &rtx, now);
                self.state = State::ExpectOffer { xid, rtx };
            }
            State::ExpectAck { xid, rtx, offer } if now >= rtx.next => {
                let rtx = self.backoff(rtx, now);
                self.send_select(xid, &rtx, offer, now);
                self.state = State::ExpectAck { xid, rtx, offer };
            }
            State::Bound { lease, start } if now >= start + lease.t1 => {
                let xid = self.rng.next_u32();
                self.renew(xid, lease, start, now, false);
            }
            State::ExpectRenewAck { lease, start, .. } if now >= start + lease.t2 => {
                let xid = self.rng.next_u32();
                self.renew(xid, lease, start, now, true);
            }
            State::ExpectRenewAck { xid, lease, start, next, .. } if now >= next => {
                self.renew(xid, lease, start, now, false);
            }
            State::ExpectRebindAck { lease, start, .. } if now >= start + lease.lease_time => {
                // RFC 2131 4.4.5: the lease expired; stop using the address, back to INIT.
                self.out.push_back(ClientOutput::Deconfigure { ip: lease.ip });
                let give_up = now + self.cfg.give_up;
                self.discover(now, now, give_up);
            }
            State::ExpectRebindAck { xid, lease, start, next, .. } if now >= next => {
                self.renew(xid, lease, start, now, true);
            }
            _ => {}
        }
    }

    fn gave_up(&self, now: Instant) -> bool {
        match &self.state {
            State::ExpectOffer { rtx, .. } | State::ExpectAck { rtx, .. } => now >= rtx.give_up,
            _ => false,
        }
    }

    fn discover(&mut self, now: Instant, started: Instant, give_up: Instant) {
        let xid = self.rng.next_u32();
        let rtx = Retransmit { started, sent: now, next: now + self.jitter(FIRST_RTO), rto: FIRST_RTO, give_up };
        self.send_discover(xid, &rtx, now);
        self.state = State::ExpectOffer { xid, rtx };
    }

    fn bind(&mut self, lease: Lease, start: Instant) {
        self.out.push_back(ClientOutput::Configure(lease.clone()));
        self.state = State::Bound { lease, start };
    }

    /// Doubles the delay up to 64 s (RFC 2131 4.1).
    fn backoff(&mut self, rtx: Retransmit, now: Instant) -> Retransmit {
        let rto = (rtx.rto * 2).min(MAX_RTO);
        Retransmit { sent: now, next: now + self.jitter(rto), rto, ..rtx }
    }

    /// `d` plus a uniform offset in -1..+1 s (RFC 2131 4.1), in milliseconds.
    fn jitter(&mut self, d: Duration) -> Duration {
        let ms = u64::from(self.rng.next_u32() % 2001);
        (d + Duration::from_millis(ms)).saturating_sub(Duration::from_secs(1))
    }

    /// RENEWING (unicast to the server) or REBINDING (broadcast): REQUEST with ciaddr and
    /// neither Server Identifier nor Requested IP (RFC 2131 4.3.2); the next try after
    /// half the time left to T2 (renewing) or expiry (rebinding), at least 60 s (4.4.5).
    fn renew(&mut self, xid: u32, lease: Lease, start: Instant, now: Instant, rebinding: bool) {
        // `secs` counts from the start of acquisition; a renewal is not one (0).
        let mut msg = self.request_base(xid, MessageType::Request, now, now);
        msg.set_ciaddr(lease.ip).set_flags(Flags::default());
        let (to, end) = if rebinding {
            (Destination::Broadcast, start + lease.lease_time)
        } else {
            (Destination::Unicast(lease.server), start + lease.t2)
        };
        self.out.push_back(ClientOutput::Send(Transmit { msg, to }));
        let left = end.saturating_duration_since(now);
        let next = now + (left / 2).max(MIN_RENEW_WAIT);
        self.state = if rebinding {
            State::ExpectRebindAck { xid, lease, start, sent: now, next }
        } else {
            State::ExpectRenewAck { xid, lease, start, sent: now, next }
        };
    }

    fn send_discover(&mut self, xid: u32, rtx: &Retransmit, now: Instant) {
        let msg = self.request_base(xid, MessageType::Discover, rtx.started, now);
        self.out.push_back(ClientOutput::Send(Transmit { msg, to: Destination::Broadcast }));
    }

    /// REQUEST in SELECTING: Requested IP and Server Identifier, ciaddr zero, broadcast.
    fn send_select(&mut self, xid: u32, rtx: &Retransmit, offer: Offer, now: Instant) {
        let mut msg = self.request_base(xid, MessageType::Request, rtx.started, now);
        msg.opts_mut().insert(DhcpOption::RequestedIpAddress(offer.ip));
        msg.opts_mut().insert(DhcpOption::ServerIdentifier(offer.server));
        self.out.push_back(ClientOutput::Send(Transmit { msg, to: Destination::Broadcast }));
    }

    /// A client message with the options every request carries.
    fn request_base(&self, xid: u32, kind: MessageType, started: Instant, now: Instant) -> Message {
        let mut msg = wire::new_message(Opcode::BootRequest, xid, &self.cfg.mac);
        let secs = u16::try_from(now.saturating_duration_since(started).as_secs()).unwrap_or(u16::MAX);
        msg.set_secs(secs);
        if self.cfg.broadcast {
            msg.set_flags(wire::broadcast_flag());
        }
        let o = msg.opts_mut();
        o.insert(DhcpOption::MessageType(kind));
        if let Some(id) = &self.cfg.client_id {
            o.insert(DhcpOption::ClientIdentifier(id.clone()));
        }
        if let Some(name) = &self.cfg.hostname {
            o.insert(DhcpOption::Hostname(name.clone()));
        }
        o.insert(DhcpOption::MaxMessageSize(1500));
        o.insert(DhcpOption::ParameterRequestList(vec![
            OptionCode::SubnetMask,
            OptionCode::Router,
            OptionCode::DomainNameServer,
            OptionCode::AddressLeaseTime,
            OptionCode::ServerIdentifier,
            OptionCode::Renewal,
            OptionCode::Rebinding,
        ]));
        msg
    }
}

/// The lease an ACK grants: lease time required; T1/T2 default to 1/2 and 7/8 of it and
/// are ignored unless T1 <= T2 <= lease (RFC 2131 4.4.5); the mask defaults to the
/// address's class (RFC 2131 4.4.1 leaves it to the client).
fn lease_of(msg: &Message, server: Ipv4Addr) -> Result<Lease, ClientError> {
    let lease = wire::seconds(msg, OptionCode::AddressLeaseTime)
        .ok_or(ClientError::MissingOption(MessageType::Ack, OptionCode::AddressLeaseTime))?;
    if lease == 0 {
        return Err(ClientError::ZeroLease);
    }
    let ip = msg.yiaddr();
    let prefix_len = match wire::subnet_mask(msg) {
        Some(m) => wire::prefix_len(m).ok_or(ClientError::BadMask(m))?,
        None => match ip.octets()[0] {
            0..=127 => 8,
            128..=191 => 16,
            _ => 24,
        },
    };
    let (mut t1, mut t2) = (
        wire::seconds(msg, OptionCode::Renewal).unwrap_or(lease / 2),
        wire::seconds(msg, OptionCode::Rebinding).unwrap_or(lease / 8 * 7),
    );
    if !(t1 <= t2 && t2 <= lease) {
        (t1, t2) = (lease / 2, lease / 8 * 7);
    }
    Ok(Lease {
        ip,
        prefix_len,
        router: wire::router(msg),
        dns: wire::dns(msg),
        server,
        lease_time: Duration::from_secs(u64::from(lease)),
        t1: Duration::from_secs(u64::from(t1)),
        t2: Duration::from_secs(u64::from(t2)),
    })
}
