//! The DHCPv4 wire, on the dhcproto codec: a decoder that never panics on bytes from a
//! socket, an encoder that pads to the BOOTP minimum, and the accessors and builders the
//! server and client machines use. Nothing else in `dhcp` touches bytes.

use std::net::Ipv4Addr;

use dhcproto::v4::{DhcpOption, Flags, HType, Message, MessageType, Opcode, OptionCode};
use dhcproto::{Decodable, Decoder, Encodable};

/// UDP port a DHCP server listens on (RFC 2131 4.1).
pub const SERVER_PORT: u16 = 67;
/// UDP port a DHCP client listens on (RFC 2131 4.1).
pub const CLIENT_PORT: u16 = 68;

pub use crate::ieee80211::MacAddr;

/// The fixed BOOTP header before the options: op .. file (RFC 2131 2, figure 1).
const HEADER_LEN: usize = 236;
/// The magic cookie that starts the options field (RFC 2131 3, RFC 1497).
pub const MAGIC: [u8; 4] = [99, 130, 83, 99];
/// Smallest BOOTP message a relay or client must accept (RFC 1542 2.1: 300 octets);
/// shorter messages are padded with zeros after the End option.
pub const MIN_LEN: usize = 300;
/// The `htype` of Ethernet (and of 802.11, which uses the same addresses) (RFC 1700).
const HTYPE_ETHERNET: u8 = 1;

/// Why received bytes are not a DHCP message we can use.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("DHCP message too short: {0} bytes, the BOOTP header and magic cookie need 240")]
    TooShort(usize),
    #[error("bad magic cookie {0:02x?}, not a DHCP message")]
    BadMagic([u8; 4]),
    #[error("hardware address is not Ethernet (htype {htype}, hlen {hlen})")]
    NotEthernet { htype: u8, hlen: u8 },
    #[error("option {code} has an invalid length {len}")]
    BadOptionLength { code: u8, len: usize },
    #[error("option {code} runs past the end of the message")]
    TruncatedOption { code: u8 },
    #[error("no DHCP message type option (53)")]
    NoMessageType,
    #[error("an option does not survive re-encoding (its value decodes to nothing dhcproto writes back)")]
    NotCanonical,
    #[error("cannot decode: {0}")]
    Decode(#[from] dhcproto::error::DecodeError),
    #[error("cannot encode: {0}")]
    Encode(#[from] dhcproto::error::EncodeError),
}

/// Decodes a DHCP message received on a socket.
///
/// Checks first what dhcproto 0.15 assumes (it would panic in a debug build, or slice out
/// of bounds, on some malformed input): the header length, the magic cookie, an Ethernet
/// `hlen` of 6, and the lengths of the options whose decoders only `debug_assert!` them.
/// Also requires option 53, so every accepted message is a DHCP (not plain BOOTP) one.
pub fn decode(bytes: &[u8]) -> Result<Message, WireError> {
    if bytes.len() < HEADER_LEN + MAGIC.len() {
        return Err(WireError::TooShort(bytes.len()));
    }
    let (htype, hlen) = (bytes[1], bytes[2]);
    if htype != HTYPE_ETHERNET || hlen != 6 {
        return Err(WireError::NotEthernet { htype, hlen });
    }
    let magic = [bytes[236], bytes[237], bytes[238], bytes[239]];
    if magic != MAGIC {
        return Err(WireError::BadMagic(magic));
    }
    check_options(&bytes[HEADER_LEN + MAGIC.len()..])?;
    let msg = Message::decode(&mut Decoder::new(bytes))?;
    if msg.opts().msg_type().is_none() {
        return Err(WireError::NoMessageType);
    }
    // What the lengths above cannot see: an option whose value decodes to nothing that
    // dhcproto encodes back (a Domain Search list whose label runs past the option decodes
    // to an empty list, which encoding drops; found by fuzz/dhcp_server). The machines must only
    // see messages that mean the same after a round trip: refuse the others as a whole.
    let again = Message::decode(&mut Decoder::new(&msg.to_vec()?))?;
    if again != msg {
        return Err(WireError::NotCanonical);
    }
    Ok(msg)
}

/// Walks the options the way dhcproto does (a run of consecutive options with one code is
/// concatenated, RFC 3396) and rejects the lengths its decoders do not check.
fn check_options(mut opts: &[u8]) -> Result<(), WireError> {
    const PAD: u8 = 0;
    const END: u8 = 255;
    // (code, total length) of the current run of one code.
    let mut run: Option<(u8, usize)> = None;
    while let Some(&code) = opts.first() {
        if code == END {
            break;
        }
        if code == PAD {
            if let Some((c, len)) = run.take() {
                check_option_len(c, len)?;
            }
            opts = &opts[1..];
            continue;
        }
        let Some(&len) = opts.get(1) else {
            return Err(WireError::TruncatedOption { code });
        };
        let len = usize::from(len);
        if opts.len() < 2 + len {
            return Err(WireError::TruncatedOption { code });
        }
        run = match run {
            Some((c, total)) if c == code => Some((c, total + len)),
            Some((c, total)) => {
                check_option_len(c, total)?;
                Some((code, len))
            }
            None => Some((code, len)),
        };
        opts = &opts[2 + len..];
    }
    if let Some((c, len)) = run {
        check_option_len(c, len)?;
    }
    Ok(())
}

/// The options whose dhcproto decoders assume a length (and panic otherwise).
fn check_option_len(code: u8, len: usize) -> Result<(), WireError> {
    let ok = match code {
        80 => len == 0,                        // Rapid Commit (RFC 4039)
        // Every other option carries data. dhcproto keeps an empty one when decoding but
        // drops it when encoding, and an empty Client Identifier would key every client
        // that sends one to the same lease (found by fuzz/dhcp_server).
        _ if len == 0 => false,
        61 => len >= 2,                        // Client Identifier: type + value (RFC 2132 9.14)
        81 => len >= 3,                        // Client FQDN (RFC 4702)
        94 => len == 3,                        // Client Network Interface (RFC 4578)
        151 => len >= 1,                       // BLQ status code (RFC 6926 6.2.2)
        152..=155 => len == 4,                 // BLQ times (RFC 6926 6.2.3..6.2.6)
        // Fixed-size fields the machines use; dhcproto would read them whatever the length.
        51 | 58 | 59 => len == 4,               // lease time, T1, T2 (RFC 2132 9.2, 9.11, 9.12)
        57 => len == 2,                         // maximum message size (RFC 2132 9.10)
        53 => len == 1,                         // message type (RFC 2132 9.6)
        _ => true,
    };
    if ok { Ok(()) } else { Err(WireError::BadOptionLength { code, len }) }
}

/// Encodes a message, padded with zeros after the End option to [`MIN_LEN`].
pub fn encode(msg: &Message) -> Result<Vec<u8>, WireError> {
    let mut bytes = msg.to_vec()?;
    if bytes.len() < MIN_LEN {
        bytes.resize(MIN_LEN, 0);
    }
    Ok(bytes)
}

/// A message with every header field zero but `op`, `htype`/`hlen` (Ethernet), `xid` and
/// `chaddr`, and no options.
///
/// Built by decoding a fixed template rather than with `Message::new`, which draws an
/// `xid` from the OS random generator that protocol code must not read.
pub fn new_message(op: Opcode, xid: u32, chaddr: &MacAddr) -> Message {
    let mut template = [0u8; HEADER_LEN + 5];
    template[0] = u8::from(op);
    template[1] = HTYPE_ETHERNET;
    template[2] = 6;
    template[4..8].copy_from_slice(&xid.to_be_bytes());
    template[28..34].copy_from_slice(&chaddr.0);
    template[HEADER_LEN..HEADER_LEN + 4].copy_from_slice(&MAGIC);
    template[HEADER_LEN + 4] = 255;
    match Message::decode(&mut Decoder::new(&template)) {
        Ok(m) => m,
        // Unreachable: the template is well formed (tested); keep a sane value anyway.
        Err(_) => {
            let mut m = Message::default();
            m.set_opcode(op).set_htype(HType::Eth).set_xid(xid).set_chaddr(&chaddr.0);
            m
        }
    }
}

/// The client hardware address of a message accepted by [`decode`] (hlen 6).
pub fn chaddr(msg: &Message) -> MacAddr {
    MacAddr::from_slice(msg.chaddr()).unwrap_or(MacAddr::ZERO)
}

/// The DHCP message type (option 53).
pub fn msg_type(msg: &Message) -> Option<MessageType> {
    msg.opts().msg_type()
}

/// Server Identifier (option 54).
pub fn server_id(msg: &Message) -> Option<Ipv4Addr> {
    match msg.opts().get(OptionCode::ServerIdentifier) {
        Some(DhcpOption::ServerIdentifier(ip)) => Some(*ip),
        _ => None,
    }
}

/// Requested IP Address (option 50).
pub fn requested_ip(msg: &Message) -> Option<Ipv4Addr> {
    match msg.opts().get(OptionCode::RequestedIpAddress) {
        Some(DhcpOption::RequestedIpAddress(ip)) => Some(*ip),
        _ => None,
    }
}

/// Client Identifier (option 61).
pub fn client_id(msg: &Message) -> Option<&[u8]> {
    match msg.opts().get(OptionCode::ClientIdentifier) {
        Some(DhcpOption::ClientIdentifier(id)) if !id.is_empty() => Some(id),
        _ => None,
    }
}

/// A seconds option (lease time 51, T1 58, T2 59).
pub fn seconds(msg: &Message, code: OptionCode) -> Option<u32> {
    match msg.opts().get(code) {
        Some(DhcpOption::AddressLeaseTime(s) | DhcpOption::Renewal(s) | DhcpOption::Rebinding(s)) => Some(*s),
        _ => None,
    }
}

/// Subnet Mask (option 1).
pub fn subnet_mask(msg: &Message) -> Option<Ipv4Addr> {
    match msg.opts().get(OptionCode::SubnetMask) {
        Some(DhcpOption::SubnetMask(m)) => Some(*m),
        _ => None,
    }
}

/// The first Router (option 3).
pub fn router(msg: &Message) -> Option<Ipv4Addr> {
    match msg.opts().get(OptionCode::Router) {
        Some(DhcpOption::Router(r)) => r.first().copied(),
        _ => None,
    }
}

/// Domain Name Servers (option 6).
pub fn dns(msg: &Message) -> Vec<Ipv4Addr> {
    match msg.opts().get(OptionCode::DomainNameServer) {
        Some(DhcpOption::DomainNameServer(d)) => d.clone(),
        _ => Vec::new(),
    }
}

/// Whether the client asked for broadcast replies (RFC 2131 2, figure 2: the B bit).
pub fn wants_broadcast(msg: &Message) -> bool {
    msg.flags().broadcast()
}

/// The flags field with the broadcast bit set.
pub fn broadcast_flag() -> Flags {
    Flags::default().set_broadcast()
}

/// The prefix length of a contiguous netmask, `None` if the mask has holes.
pub fn prefix_len(mask: Ipv4Addr) -> Option<u8> {
    let m = u32::from(mask);
    let ones = m.leading_ones();
    (m.checked_shl(ones).unwrap_or(0) == 0).then_some(ones as u8)
}

/// The netmask of a prefix length (0..=32).
pub fn mask_of(prefix_len: u8) -> Ipv4Addr {
    let p = u32::from(prefix_len.min(32));
    Ipv4Addr::from(u32::MAX.checked_shl(32 - p).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn template_message_decodes_with_the_given_fields() {
        let m = new_message(Opcode::BootReply, 0xdead_beef, &MacAddr([2, 0, 0, 0, 0, 7]));
        assert_eq!(m.opcode(), Opcode::BootReply);
        assert_eq!(m.xid(), 0xdead_beef);
        assert_eq!(m.chaddr(), &[2, 0, 0, 0, 0, 7]);
        assert_eq!(m.htype(), HType::Eth);
        assert!(m.opts().is_empty());
    }

    #[test]
    fn encode_pads_to_bootp_minimum_and_round_trips() {
        let mut m = new_message(Opcode::BootRequest, 7, &MacAddr([2, 0, 0, 0, 0, 1]));
        m.opts_mut().insert(DhcpOption::MessageType(MessageType::Discover));
        let bytes = encode(&m).unwrap();
        assert_eq!(bytes.len(), MIN_LEN);
        assert_eq!(&bytes[236..240], &MAGIC);
        // 53, 1, 1, then End, then zero padding.
        assert_eq!(&bytes[240..244], &[53, 1, 1, 255]);
        assert!(bytes[244..].iter().all(|&b| b == 0));
        assert_eq!(decode(&bytes).unwrap(), m);
    }

    fn with_options(opts: &[u8]) -> Vec<u8> {
        let mut m = new_message(Opcode::BootRequest, 1, &MacAddr([2, 0, 0, 0, 0, 1]));
        m.opts_mut().insert(DhcpOption::MessageType(MessageType::Request));
        let mut b = m.to_vec().unwrap();
        b.pop(); // End
        b.extend_from_slice(opts);
        b.push(255);
        b
    }

    #[test]
    fn lengths_dhcproto_assumes_are_typed_errors() {
        for (opts, code) in [
            (&[80u8, 1, 0][..], 80u8),
            (&[81, 1, 0], 81),
            (&[94, 0], 94),
            (&[151, 0], 151),
            (&[152, 2, 0, 0], 152),
            (&[51, 2, 0, 0], 51),
            (&[57, 1, 5], 57),
        ] {
            match decode(&with_options(opts)) {
                Err(WireError::BadOptionLength { code: c, .. }) => assert_eq!(c, code),
                other => panic!("option {code}: {other:?}"),
            }
        }
        // A split option (RFC 3396) is judged by its total length.
        assert!(decode(&with_options(&[51, 2, 0, 0, 51, 2, 0, 60])).is_ok());
        assert!(matches!(decode(&with_options(&[12, 9, b'a'])), Err(WireError::TruncatedOption { code: 12 })));
    }

    #[test]
    fn empty_options_are_refused_since_they_would_vanish_when_reencoded() {
        // From fuzz/dhcp_client and fuzz/dhcp_server: an empty option 246 and an empty
        // Client Identifier decoded, but the re-encoded message had lost them.
        for code in [246u8, 61, 12, 55] {
            match decode(&with_options(&[code, 0])) {
                Err(WireError::BadOptionLength { code: c, len: 0 }) => assert_eq!(c, code),
                other => panic!("option {code}: {other:?}"),
            }
        }
        assert!(decode(&with_options(&[80, 0])).is_ok(), "Rapid Commit is empty by definition");
    }

    #[test]
    fn an_option_that_would_not_survive_re_encoding_is_refused() {
        // From fuzz/dhcp_server (2026-12-07): a Domain Search option (119) whose only
        // label runs past the option's end decoded to an empty list, and the re-encoded
        // message had lost the option.
        assert!(matches!(decode(&with_options(&[119, 2, 2, 0x40])), Err(WireError::NotCanonical)));
        // From fuzz/dhcp_client (same day): Relay Agent Information (82) whose sub-option
        // runs past the option's end decoded to an empty set, also dropped when encoding.
        assert!(matches!(decode(&with_options(&[82, 4, 0xc0, 0xa8, 0x31, 0x01])), Err(WireError::NotCanonical)));
        assert!(decode(&with_options(&[119, 5, 3, b'l', b'a', b'n', 0])).is_ok(), "a real search list is kept");
    }

    #[test]
    fn a_client_identifier_needs_a_type_and_a_value() {
        assert!(matches!(
            decode(&with_options(&[61, 1, 1])),
            Err(WireError::BadOptionLength { code: 61, len: 1 })
        ));
        let m = decode(&with_options(&[61, 7, 1, 2, 0, 0, 0, 0, 1])).unwrap();
        assert_eq!(client_id(&m), Some(&[1, 2, 0, 0, 0, 0, 1][..]));
        assert_eq!(decode(&encode(&m).unwrap()).unwrap(), m);
    }

    #[test]
    fn header_checks() {
        let good = with_options(&[]);
        assert!(decode(&good).is_ok());
        assert!(matches!(decode(&good[..239]), Err(WireError::TooShort(239))));
        let mut b = good.clone();
        b[2] = 17;
        assert!(matches!(decode(&b), Err(WireError::NotEthernet { hlen: 17, .. })));
        let mut b = good.clone();
        b[236] = 0;
        assert!(matches!(decode(&b), Err(WireError::BadMagic(_))));
        let mut b = good;
        b.truncate(240);
        b.push(255);
        assert!(matches!(decode(&b), Err(WireError::NoMessageType)));
    }

    #[test]
    fn masks_and_prefixes() {
        assert_eq!(prefix_len(Ipv4Addr::new(255, 255, 255, 0)), Some(24));
        assert_eq!(prefix_len(Ipv4Addr::new(255, 255, 255, 255)), Some(32));
        assert_eq!(prefix_len(Ipv4Addr::new(0, 0, 0, 0)), Some(0));
        assert_eq!(prefix_len(Ipv4Addr::new(255, 0, 255, 0)), None);
        assert_eq!(mask_of(24), Ipv4Addr::new(255, 255, 255, 0));
        assert_eq!(mask_of(0), Ipv4Addr::new(0, 0, 0, 0));
        assert_eq!(mask_of(32), Ipv4Addr::new(255, 255, 255, 255));
    }

    proptest::proptest! {
        /// Bytes from a socket never panic the decoder: a valid header followed by
        /// arbitrary options, including the codes dhcproto only `debug_assert!`s.
        #[test]
        fn decode_never_panics(
            opts in proptest::collection::vec(
                (proptest::sample::select(vec![1u8, 3, 6, 12, 50, 51, 53, 54, 55, 61, 80, 81, 94, 119, 121, 151, 152, 155, 0, 255]),
                 proptest::collection::vec(proptest::num::u8::ANY, 0..12)),
                0..8),
            tail in proptest::collection::vec(proptest::num::u8::ANY, 0..4),
        ) {
            let mut b = with_options(&[]);
            b.pop();
            for (code, data) in opts {
                b.push(code);
                b.push(data.len() as u8);
                b.extend(data);
            }
            b.extend(tail);
            let _ = decode(&b);
        }

        #[test]
        fn decode_arbitrary_bytes_never_panics(b in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = decode(&b);
        }
    }
}
