//! The GO's lease server (RFC 2131 4.3), sans-IO: one instance per group interface.
//!
//! Addresses come from a configured pool inside the GO's subnet (Android's
//! 192.168.49.2-254 by default). A binding is keyed by the client (Client Identifier
//! option when present, else chaddr, RFC 2131 4.2) and remembers the MAC so the group can
//! free it when the station leaves. Addresses handed out with the EAPOL IP-allocation
//! KDE are reserved for their station and the GO's own address is never offered.

use std::collections::{BTreeMap, VecDeque};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use dhcproto::v4::{DhcpOption, Message, MessageType, Opcode, OptionCode};

use super::wire::{self, MacAddr};
use super::{Destination, Transmit};

/// The server's settings; [`ServerConfig::default`] is Android's P2P group (GO
/// 192.168.49.1/24, pool .2-.254, one hour leases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The GO's address on the group interface: Server Identifier, router and DNS.
    pub server_ip: Ipv4Addr,
    /// Prefix length of the group subnet.
    pub prefix_len: u8,
    /// First and last address of the pool (inclusive), inside the subnet.
    pub pool_start: Ipv4Addr,
    pub pool_end: Ipv4Addr,
    /// Lease time handed out (option 51); T1/T2 are 1/2 and 7/8 of it (RFC 2131 4.4.5).
    pub lease_time: Duration,
    /// How long an offered address is held for the client's REQUEST.
    pub offer_hold: Duration,
    /// How long a declined address (in use by someone else, RFC 2131 4.3.3) is not offered.
    pub decline_hold: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            server_ip: Ipv4Addr::new(192, 168, 49, 1),
            prefix_len: 24,
            pool_start: Ipv4Addr::new(192, 168, 49, 2),
            pool_end: Ipv4Addr::new(192, 168, 49, 254),
            lease_time: Duration::from_secs(3600),
            offer_hold: Duration::from_secs(60),
            decline_hold: Duration::from_secs(600),
        }
    }
}

/// Why a [`ServerConfig`] cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("prefix length {0} leaves no room for clients (must be 1..=30)")]
    Prefix(u8),
    #[error("pool {start}-{end} is empty or outside the subnet of {server}/{prefix}")]
    Pool { start: Ipv4Addr, end: Ipv4Addr, server: Ipv4Addr, prefix: u8 },
    #[error("lease time must be at least 60 s")]
    LeaseTime,
}

impl ServerConfig {
    /// A GO at `server_ip/prefix_len` leasing every other host address of the subnet.
    pub fn for_subnet(server_ip: Ipv4Addr, prefix_len: u8) -> Result<Self, ConfigError> {
        if !(1..=30).contains(&prefix_len) {
            return Err(ConfigError::Prefix(prefix_len));
        }
        let mask = u32::from(wire::mask_of(prefix_len));
        let net = u32::from(server_ip) & mask;
        let cfg = Self {
            server_ip,
            prefix_len,
            pool_start: Ipv4Addr::from(net + 1),
            pool_end: Ipv4Addr::from((net | !mask) - 1),
            ..Self::default()
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks the pool lies within the subnet and excludes its network and broadcast addresses.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=30).contains(&self.prefix_len) {
            return Err(ConfigError::Prefix(self.prefix_len));
        }
        let (s, e) = (u32::from(self.pool_start), u32::from(self.pool_end));
        let ok = s <= e
            && self.in_subnet(self.pool_start)
            && self.in_subnet(self.pool_end)
            && self.is_host(self.pool_start)
            && self.is_host(self.pool_end);
        if !ok {
            return Err(ConfigError::Pool {
                start: self.pool_start,
                end: self.pool_end,
                server: self.server_ip,
                prefix: self.prefix_len,
            });
        }
        if self.lease_time < Duration::from_secs(60) {
            return Err(ConfigError::LeaseTime);
        }
        Ok(())
    }

    fn mask(&self) -> u32 {
        u32::from(wire::mask_of(self.prefix_len))
    }

    /// Whether `ip` is in the GO's subnet.
    pub fn in_subnet(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask() == u32::from(self.server_ip) & self.mask()
    }

    /// Neither the subnet's network nor its broadcast address.
    fn is_host(&self, ip: Ipv4Addr) -> bool {
        let host = u32::from(ip) & !self.mask();
        host != 0 && host != !self.mask()
    }

    fn in_pool(&self, ip: Ipv4Addr) -> bool {
        (u32::from(self.pool_start)..=u32::from(self.pool_end)).contains(&u32::from(ip))
    }
}

/// How a client is recognised (RFC 2131 4.2: Client Identifier, else chaddr).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClientKey {
    Id(Vec<u8>),
    Hw(MacAddr),
}

impl ClientKey {
    fn of(msg: &Message) -> Self {
        match wire::client_id(msg) {
            Some(id) => Self::Id(id.to_vec()),
            None => Self::Hw(wire::chaddr(msg)),
        }
    }
}

/// What an address in the table is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseState {
    /// Offered, held until the deadline for the client's REQUEST.
    Offered { until: Instant },
    /// Leased until the deadline.
    Bound { until: Instant },
    /// Handed out with the IP-allocation KDE: the station's until it leaves.
    Reserved,
    /// Declined by a client (someone else answers ARP for it): not offered until then.
    Declined { until: Instant },
}

#[derive(Debug, Clone)]
struct Binding {
    /// `None` for a declined address.
    client: Option<ClientKey>,
    mac: Option<MacAddr>,
    state: LeaseState,
}

impl Binding {
    fn deadline(&self) -> Option<Instant> {
        match self.state {
            LeaseState::Offered { until } | LeaseState::Bound { until } | LeaseState::Declined { until } => {
                Some(until)
            }
            LeaseState::Reserved => None,
        }
    }

    fn owned_by(&self, key: &ClientKey, mac: &MacAddr) -> bool {
        match (&self.client, self.state) {
            // A KDE reservation knows only the station's MAC.
            (_, LeaseState::Reserved) => self.mac.as_ref() == Some(mac),
            (Some(k), _) => k == key,
            (None, _) => false,
        }
    }
}

/// One row of [`Server::leases`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseInfo {
    pub ip: Ipv4Addr,
    pub mac: MacAddr,
    pub state: LeaseState,
}

/// Why a lease ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    Released,
    Expired,
    Declined,
    /// The station left the group ([`Server::release`]).
    Left,
}

/// What the server asks of its driver.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerOutput {
    /// A message to send from port 67 to port 68.
    Send(Transmit),
    /// A client acknowledged an address (ACK sent).
    Leased { mac: MacAddr, ip: Ipv4Addr, lease: Duration },
    /// A lease ended.
    Ended { mac: MacAddr, ip: Ipv4Addr, reason: EndReason },
}

/// Why a received message got no answer (the caller logs it and goes on).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ServerError {
    #[error("not a client request (op {0:?})")]
    NotRequest(Opcode),
    #[error("relayed messages (giaddr {0}) are not served on a P2P group")]
    Relayed(Ipv4Addr),
    #[error("message type {0:?} is not for a server")]
    UnexpectedType(MessageType),
    #[error("{0:?} without the {1:?} option")]
    MissingOption(MessageType, OptionCode),
    #[error("no free address in the pool")]
    PoolExhausted,
    #[error("client chose server {0}")]
    OtherServer(Ipv4Addr),
    #[error("no record of the client for {0} (staying silent, RFC 2131 4.3.2)")]
    Unknown(Ipv4Addr),
    #[error("{0} is not reserved-able: outside the subnet, the GO's own or leased to another station")]
    Unavailable(Ipv4Addr),
}

/// The lease server.
#[derive(Debug)]
pub struct Server {
    cfg: ServerConfig,
    bindings: BTreeMap<Ipv4Addr, Binding>,
    out: VecDeque<ServerOutput>,
}

impl Server {
    /// A server with no leases. The configuration must be valid ([`ServerConfig::validate`]).
    pub fn new(cfg: ServerConfig) -> Result<Self, ConfigError> {
        cfg.validate()?;
        Ok(Self { cfg, bindings: BTreeMap::new(), out: VecDeque::new() })
    }

    pub fn config(&self) -> &ServerConfig {
        &self.cfg
    }

    /// Handles a message received on port 67 of the group interface.
    pub fn handle_input(&mut self, now: Instant, msg: Message) -> Result<(), ServerError> {
        self.expire(now);
        if msg.opcode() != Opcode::BootRequest {
            return Err(ServerError::NotRequest(msg.opcode()));
        }
        if !msg.giaddr().is_unspecified() {
            return Err(ServerError::Relayed(msg.giaddr()));
        }
        let Some(kind) = wire::msg_type(&msg) else {
            return Err(ServerError::UnexpectedType(MessageType::Unknown(0)));
        };
        match kind {
            MessageType::Discover => self.on_discover(now, &msg),
            MessageType::Request => self.on_request(now, &msg),
            MessageType::Decline => self.on_decline(now, &msg),
            MessageType::Release => self.on_release(&msg),
            MessageType::Inform => self.on_inform(&msg),
            other => Err(ServerError::UnexpectedType(other)),
        }
    }

    /// Ends offers, leases and decline holds whose time has come.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.expire(now);
    }

    pub fn poll_output(&mut self) -> Option<ServerOutput> {
        self.out.pop_front()
    }

    /// The next deadline (an offer, lease or decline hold ending).
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.bindings.values().filter_map(Binding::deadline).min()
    }

    /// Reserves `ip` for the station `mac` (handed out with the IP-allocation KDE): it is
    /// never offered to another client. Replaces any other binding of that station.
    /// Refused for the GO's address, addresses outside the subnet, another station's, and
    /// declined ones.
    pub fn reserve(&mut self, mac: MacAddr, ip: Ipv4Addr) -> Result<(), ServerError> {
        let usable = self.cfg.in_subnet(ip) && self.cfg.is_host(ip) && ip != self.cfg.server_ip;
        // Another station's, or declined (someone unknown answers ARP for it).
        let taken = self.bindings.get(&ip).is_some_and(|b| b.mac != Some(mac) || matches!(b.state, LeaseState::Declined { .. }));
        if !usable || taken {
            return Err(ServerError::Unavailable(ip));
        }
        self.bindings.retain(|_, b| b.mac != Some(mac));
        self.bindings.insert(ip, Binding { client: None, mac: Some(mac), state: LeaseState::Reserved });
        Ok(())
    }

    /// An address for the IP-allocation KDE: the station's current one if it has one,
    /// else the first free address of the pool, reserved for it. `None` if the pool is full.
    pub fn allocate_reserved(&mut self, now: Instant, mac: MacAddr) -> Option<Ipv4Addr> {
        self.expire(now);
        let ip = self
            .bindings
            .iter()
            .find(|(_, b)| b.mac == Some(mac) && !matches!(b.state, LeaseState::Declined { .. }))
            .map(|(ip, _)| *ip)
            .or_else(|| self.first_free())?;
        self.reserve(mac, ip).ok()?;
        Some(ip)
    }

    /// Frees every binding of the station `mac` (it left the group).
    pub fn release(&mut self, mac: MacAddr) {
        let gone: Vec<Ipv4Addr> = self.bindings.iter().filter(|(_, b)| b.mac == Some(mac)).map(|(ip, _)| *ip).collect();
        for ip in gone {
            if let Some(b) = self.bindings.remove(&ip)
                && matches!(b.state, LeaseState::Bound { .. } | LeaseState::Reserved)
            {
                self.out.push_back(ServerOutput::Ended { mac, ip, reason: EndReason::Left });
            }
        }
    }

    /// Every address bound, reserved or offered to a station (declined ones excluded).
    pub fn leases(&self) -> Vec<LeaseInfo> {
        self.bindings
            .iter()
            .filter_map(|(ip, b)| Some(LeaseInfo { ip: *ip, mac: b.mac?, state: b.state }))
            .collect()
    }

    /// The address bound or reserved for a station, for `AP-STA-CONNECTED ... ip_addr=`.
    pub fn address_of(&self, mac: MacAddr) -> Option<Ipv4Addr> {
        self.bindings
            .iter()
            .find(|(_, b)| b.mac == Some(mac) && matches!(b.state, LeaseState::Bound { .. } | LeaseState::Reserved))
            .map(|(ip, _)| *ip)
    }

    fn expire(&mut self, now: Instant) {
        let due: Vec<Ipv4Addr> =
            self.bindings.iter().filter(|(_, b)| b.deadline().is_some_and(|t| t <= now)).map(|(ip, _)| *ip).collect();
        for ip in due {
            if let Some(b) = self.bindings.remove(&ip)
                && let (LeaseState::Bound { .. }, Some(mac)) = (b.state, b.mac)
            {
                self.out.push_back(ServerOutput::Ended { mac, ip, reason: EndReason::Expired });
            }
        }
    }

    fn first_free(&self) -> Option<Ipv4Addr> {
        (u32::from(self.cfg.pool_start)..=u32::from(self.cfg.pool_end))
            .map(Ipv4Addr::from)
            .find(|ip| self.is_free(*ip))
    }

    /// In the pool, a host address, not the GO's, and not in the table.
    fn is_free(&self, ip: Ipv4Addr) -> bool {
        self.cfg.in_pool(ip) && self.cfg.is_host(ip) && ip != self.cfg.server_ip && !self.bindings.contains_key(&ip)
    }

    /// The client's current address (offered, bound or reserved for its MAC).
    fn address_for(&self, key: &ClientKey, mac: &MacAddr) -> Option<Ipv4Addr> {
        self.bindings
            .iter()
            .find(|(_, b)| b.owned_by(key, mac) && !matches!(b.state, LeaseState::Declined { .. }))
            .map(|(ip, _)| *ip)
    }

    /// RFC 2131 4.3.1: the client's current address, else the requested one if free,
    /// else the first free one.
    fn on_discover(&mut self, now: Instant, msg: &Message) -> Result<(), ServerError> {
        let key = ClientKey::of(msg);
        let mac = wire::chaddr(msg);
        let ip = self
            .address_for(&key, &mac)
            .or_else(|| wire::requested_ip(msg).filter(|ip| self.is_free(*ip)))
            .or_else(|| self.first_free())
            .ok_or(ServerError::PoolExhausted)?;
        let until = now + self.cfg.offer_hold;
        match self.bindings.get_mut(&ip) {
            Some(b) if matches!(b.state, LeaseState::Offered { .. }) => b.state = LeaseState::Offered { until },
            Some(_) => {} // bound or reserved: keep it, offer it again
            None => {
                self.bindings.insert(ip, Binding { client: Some(key), mac: Some(mac), state: LeaseState::Offered { until } });
            }
        }
        let reply = self.reply(msg, MessageType::Offer, ip);
        self.send(msg, reply);
        Ok(())
    }

    /// RFC 2131 4.3.2: SELECTING (server id), INIT-REBOOT (requested ip, no ciaddr),
    /// RENEWING/REBINDING (ciaddr).
    fn on_request(&mut self, now: Instant, msg: &Message) -> Result<(), ServerError> {
        let key = ClientKey::of(msg);
        let mac = wire::chaddr(msg);
        let current = self.address_for(&key, &mac);
        if let Some(sid) = wire::server_id(msg) {
            if sid != self.cfg.server_ip {
                // The client took another server's offer: drop ours.
                if let Some(ip) = current
                    && self.bindings.get(&ip).is_some_and(|b| matches!(b.state, LeaseState::Offered { .. }))
                {
                    self.bindings.remove(&ip);
                }
                return Err(ServerError::OtherServer(sid));
            }
            let ip = wire::requested_ip(msg).ok_or(ServerError::MissingOption(MessageType::Request, OptionCode::RequestedIpAddress))?;
            if current == Some(ip) || (current.is_none() && self.is_free(ip)) {
                self.ack(now, msg, key, mac, ip);
            } else {
                self.nak(msg, "requested address not available");
            }
            return Ok(());
        }
        if let Some(ip) = wire::requested_ip(msg).filter(|_| msg.ciaddr().is_unspecified()) {
            // INIT-REBOOT: verify the address the client remembers.
            if current == Some(ip) {
                self.ack(now, msg, key, mac, ip);
            } else if !self.cfg.in_subnet(ip) || current.is_some() || self.bindings.contains_key(&ip) {
                self.nak(msg, "wrong address for this network");
            } else {
                return Err(ServerError::Unknown(ip));
            }
            return Ok(());
        }
        let ip = msg.ciaddr();
        if ip.is_unspecified() {
            return Err(ServerError::MissingOption(MessageType::Request, OptionCode::RequestedIpAddress));
        }
        // RENEWING or REBINDING: extend the client's lease; rebuild it if we lost it and
        // the address is still free (after a restart of the GO).
        if current == Some(ip) || (current.is_none() && self.is_free(ip)) {
            self.ack(now, msg, key, mac, ip);
        } else {
            self.nak(msg, "lease not held by this client");
        }
        Ok(())
    }

    /// RFC 2131 4.3.3: the client found the address in use; hold it back for a while.
    fn on_decline(&mut self, now: Instant, msg: &Message) -> Result<(), ServerError> {
        match wire::server_id(msg) {
            Some(sid) if sid == self.cfg.server_ip => {}
            Some(sid) => return Err(ServerError::OtherServer(sid)),
            None => return Err(ServerError::MissingOption(MessageType::Decline, OptionCode::ServerIdentifier)),
        }
        let ip = wire::requested_ip(msg).ok_or(ServerError::MissingOption(MessageType::Decline, OptionCode::RequestedIpAddress))?;
        let key = ClientKey::of(msg);
        let mac = wire::chaddr(msg);
        let owned = self.bindings.get(&ip).is_some_and(|b| b.owned_by(&key, &mac));
        if owned || self.is_free(ip) {
            if let Some(b) = self.bindings.remove(&ip)
                && matches!(b.state, LeaseState::Bound { .. })
            {
                self.out.push_back(ServerOutput::Ended { mac, ip, reason: EndReason::Declined });
            }
            let until = now + self.cfg.decline_hold;
            self.bindings.insert(ip, Binding { client: None, mac: None, state: LeaseState::Declined { until } });
        }
        Ok(())
    }

    /// RFC 2131 4.3.4: the client gives its address back.
    fn on_release(&mut self, msg: &Message) -> Result<(), ServerError> {
        if let Some(sid) = wire::server_id(msg)
            && sid != self.cfg.server_ip
        {
            return Err(ServerError::OtherServer(sid));
        }
        let ip = msg.ciaddr();
        let key = ClientKey::of(msg);
        let mac = wire::chaddr(msg);
        if self
            .bindings
            .get(&ip)
            .is_some_and(|b| b.owned_by(&key, &mac) && matches!(b.state, LeaseState::Bound { .. }))
        {
            self.bindings.remove(&ip);
            self.out.push_back(ServerOutput::Ended { mac, ip, reason: EndReason::Released });
        }
        Ok(())
    }

    /// RFC 2131 4.3.5: configuration only, no address and no lease time, unicast to ciaddr.
    fn on_inform(&mut self, msg: &Message) -> Result<(), ServerError> {
        let ciaddr = msg.ciaddr();
        if ciaddr.is_unspecified() {
            return Err(ServerError::MissingOption(MessageType::Inform, OptionCode::Unknown(0)));
        }
        let mut reply = self.reply(msg, MessageType::Ack, Ipv4Addr::UNSPECIFIED);
        reply.opts_mut().remove(OptionCode::AddressLeaseTime);
        reply.opts_mut().remove(OptionCode::Renewal);
        reply.opts_mut().remove(OptionCode::Rebinding);
        self.out.push_back(ServerOutput::Send(Transmit { msg: reply, to: Destination::Unicast(ciaddr) }));
        Ok(())
    }

    fn ack(&mut self, now: Instant, msg: &Message, key: ClientKey, mac: MacAddr, ip: Ipv4Addr) {
        let until = now + self.cfg.lease_time;
        match self.bindings.get_mut(&ip) {
            // A KDE reservation stays one; the client just learns its options.
            Some(b) if b.state == LeaseState::Reserved => {}
            Some(b) => {
                b.state = LeaseState::Bound { until };
                b.client = Some(key);
                b.mac = Some(mac);
            }
            None => {
                self.bindings.insert(ip, Binding { client: Some(key), mac: Some(mac), state: LeaseState::Bound { until } });
            }
        }
        let reply = self.reply(msg, MessageType::Ack, ip);
        self.send(msg, reply);
        self.out.push_back(ServerOutput::Leased { mac, ip, lease: self.cfg.lease_time });
    }

    /// RFC 2131 4.3.2 / table 3: NAK, broadcast since giaddr is zero (4.1).
    fn nak(&mut self, msg: &Message, why: &str) {
        let mut reply = wire::new_message(Opcode::BootReply, msg.xid(), &wire::chaddr(msg));
        reply.set_flags(msg.flags());
        let o = reply.opts_mut();
        o.insert(DhcpOption::MessageType(MessageType::Nak));
        o.insert(DhcpOption::ServerIdentifier(self.cfg.server_ip));
        o.insert(DhcpOption::Message(why.to_owned()));
        if let Some(id) = wire::client_id(msg) {
            o.insert(DhcpOption::ClientIdentifier(id.to_vec()));
        }
        self.out.push_back(ServerOutput::Send(Transmit { msg: reply, to: Destination::Broadcast }));
    }

    /// An OFFER or ACK for `yiaddr` with the group's options (RFC 2131 table 3). Router
    /// and DNS are the GO's address, as Android's GO does.
    fn reply(&self, msg: &Message, kind: MessageType, yiaddr: Ipv4Addr) -> Message {
        let mut reply = wire::new_message(Opcode::BootReply, msg.xid(), &wire::chaddr(msg));
        reply.set_flags(msg.flags()).set_ciaddr(msg.ciaddr()).set_yiaddr(yiaddr).set_secs(0);
        let lease = u32::try_from(self.cfg.lease_time.as_secs()).unwrap_or(u32::MAX);
        let o = reply.opts_mut();
        o.insert(DhcpOption::MessageType(kind));
        o.insert(DhcpOption::ServerIdentifier(self.cfg.server_ip));
        o.insert(DhcpOption::AddressLeaseTime(lease));
        o.insert(DhcpOption::Renewal(lease / 2));
        o.insert(DhcpOption::Rebinding(lease / 8 * 7));
        o.insert(DhcpOption::SubnetMask(wire::mask_of(self.cfg.prefix_len)));
        o.insert(DhcpOption::Router(vec![self.cfg.server_ip]));
        o.insert(DhcpOption::DomainNameServer(vec![self.cfg.server_ip]));
        if let Some(id) = wire::client_id(msg) {
            o.insert(DhcpOption::ClientIdentifier(id.to_vec()));
        }
        reply
    }

    /// RFC 2131 4.1: to ciaddr if the client has one, broadcast if it asked, else to
    /// yiaddr at chaddr.
    fn send(&mut self, request: &Message, reply: Message) {
        let to = if !request.ciaddr().is_unspecified() {
            Destination::Unicast(request.ciaddr())
        } else if wire::wants_broadcast(request) {
            Destination::Broadcast
        } else {
            Destination::UnicastHw { ip: reply.yiaddr(), mac: wire::chaddr(request) }
        };
        self.out.push_back(ServerOutput::Send(Transmit { msg: reply, to }));
    }
}
