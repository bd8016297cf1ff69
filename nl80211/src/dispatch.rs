//! The client's dispatch logic with no I/O: routes every message of a received datagram
//! either to the request it answers (matched by sequence number) or to the event stream.
//!
//! Why not neli's router: it drops unsolicited unicast messages (received management
//! frames after REGISTER_FRAME arrive that way: sequence 0, no group) and starts its
//! sequence numbers at 0. Here requests are numbered from 1, so sequence 0 is never a reply.

use crate::error::{DecodeError, Error};
use crate::message::Message;
use crate::netlink::{Incoming, parse_datagram};
use crate::types::McastGroup;
use crate::{Attr, Command};
use std::collections::HashMap;

/// A kernel message that is not a reply: a multicast event or an unsolicited unicast
/// message (e.g. `NL80211_CMD_FRAME` for a registered frame type).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The command.
    pub cmd: Command,
    /// The attributes.
    pub attrs: Vec<Attr>,
    /// The multicast group it came on; `None` for unicast.
    pub group: Option<McastGroup>,
}

impl Event {
    /// The event as a message (command and attributes).
    pub fn message(&self) -> Message {
        Message { cmd: self.cmd, attrs: self.attrs.clone() }
    }
}

/// What a datagram produced.
#[derive(Debug)]
pub enum Routed {
    /// Request `seq` is complete: its reply messages (raw generic netlink payloads, in
    /// order) or the kernel's error.
    Complete {
        /// Sequence number of the request.
        seq: u32,
        /// The replies or the error.
        result: Result<Vec<Vec<u8>>, Error>,
    },
    /// An event.
    Event(Event),
    /// A message that could not be decoded (logged by the caller, then dropped).
    Undecodable(DecodeError),
}

/// Sequence numbers, pending requests and the group table.
#[derive(Debug)]
pub struct Dispatch {
    next_seq: u32,
    family: Option<u16>,
    groups: HashMap<u32, McastGroup>,
    pending: HashMap<u32, Vec<Vec<u8>>>,
}

impl Default for Dispatch {
    fn default() -> Self {
        Dispatch { next_seq: 1, family: None, groups: HashMap::new(), pending: HashMap::new() }
    }
}

impl Dispatch {
    /// A dispatcher whose first request gets sequence number 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the nl80211 family id (messages of this type that are not replies are events).
    pub fn set_family(&mut self, id: u16) {
        self.family = Some(id);
    }

    /// Names multicast group `id`.
    pub fn add_group(&mut self, id: u32, group: McastGroup) {
        self.groups.insert(id, group);
    }

    /// Allocates a sequence number (1, 2, ...; 0 is skipped on wrap-around) and starts
    /// collecting replies for it.
    pub fn start_request(&mut self) -> u32 {
        let mut seq = self.next_seq;
        while seq == 0 || self.pending.contains_key(&seq) {
            seq = seq.wrapping_add(1);
        }
        self.next_seq = seq.wrapping_add(1);
        self.pending.insert(seq, Vec::new());
        seq
    }

    /// Collects replies for a sequence number allocated elsewhere (replaying a capture of
    /// another program's requests).
    pub fn track(&mut self, seq: u32) {
        self.pending.insert(seq, Vec::new());
    }

    /// Forgets request `seq` (send failed, or the caller gave up).
    pub fn cancel(&mut self, seq: u32) {
        self.pending.remove(&seq);
    }

    /// Fails every pending request (e.g. on a receive-buffer overrun).
    pub fn fail_all(&mut self, err: impl Fn() -> Error) -> Vec<Routed> {
        self.pending.drain().map(|(seq, _)| Routed::Complete { seq, result: Err(err()) }).collect()
    }

    /// Number of requests waiting for their replies.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Routes one received datagram. `groups` are the multicast group numbers the
    /// datagram was sent to (from the source address; empty for unicast).
    pub fn on_datagram(&mut self, bytes: &[u8], groups: &[u32]) -> Vec<Routed> {
        let mut out = Vec::new();
        for item in parse_datagram(bytes) {
            match item {
                Err(e) => out.push(Routed::Undecodable(e)),
                Ok(Incoming::Data { header, payload }) => {
                    if header.seq != 0
                        && let Some(replies) = self.pending.get_mut(&header.seq)
                    {
                        replies.push(payload.to_vec());
                        continue;
                    }
                    if Some(header.kind) != self.family {
                        // Stray reply (cancelled request) or another family: not ours.
                        continue;
                    }
                    match Message::decode_payload(payload) {
                        Ok(m) => out.push(Routed::Event(Event {
                            cmd: m.cmd,
                            attrs: m.attrs,
                            group: groups.first().map(|g| {
                                self.groups.get(g).cloned().unwrap_or_else(|| McastGroup::Other(g.to_string()))
                            }),
                        })),
                        Err(e) => out.push(Routed::Undecodable(e)),
                    }
                }
                Ok(Incoming::Ack { seq }) => self.complete(seq, Ok(()), &mut out),
                Ok(Incoming::Done { seq, errno: 0, .. }) => self.complete(seq, Ok(()), &mut out),
                Ok(Incoming::Done { seq, errno, message }) | Ok(Incoming::Error { seq, errno, message }) => {
                    self.complete(seq, Err(Error::Kernel { errno, message }), &mut out)
                }
                Ok(Incoming::Noop) => {}
                Ok(Incoming::Overrun { .. }) => out.extend(self.fail_all(|| Error::Overrun)),
            }
        }
        out
    }

    fn complete(&mut self, seq: u32, r: Result<(), Error>, out: &mut Vec<Routed>) {
        if let Some(replies) = self.pending.remove(&seq) {
            out.push(Routed::Complete { seq, result: r.map(|()| replies) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::encode_genl;

    #[test]
    fn sequence_numbers_start_at_one_and_skip_zero() {
        let mut d = Dispatch::new();
        assert_eq!(d.start_request(), 1);
        assert_eq!(d.start_request(), 2);
        d.next_seq = u32::MAX;
        assert_eq!(d.start_request(), u32::MAX);
        assert_eq!(d.start_request(), 3);
        assert_eq!(d.pending(), 4);
    }

    #[test]
    fn unsolicited_unicast_is_an_event_without_group() {
        let mut d = Dispatch::new();
        d.set_family(0x1c);
        let _ = d.start_request();
        // A FRAME message with seq 0 from the kernel (pid 0), as after REGISTER_FRAME.
        let m = Message::new(Command::Frame).with(Attr::Frame(vec![0xd0, 0, 0, 0]));
        let bytes = encode_genl(0x1c, 0, 0, Command::Frame.number(), 1, &crate::attr::encode_attrs(&m.attrs));
        let out = d.on_datagram(&bytes, &[]);
        assert_eq!(out.len(), 1);
        match &out[0] {
            Routed::Event(e) => {
                assert_eq!(e.cmd, Command::Frame);
                assert_eq!(e.group, None);
                assert_eq!(e.attrs, m.attrs);
            }
            other => panic!("{other:?}"),
        }
        // A multicast one names its group.
        d.add_group(5, McastGroup::Mlme);
        let out = d.on_datagram(&bytes, &[5]);
        assert!(matches!(&out[0], Routed::Event(Event { group: Some(McastGroup::Mlme), .. })));
        // The pending request is untouched.
        assert_eq!(d.pending(), 1);
    }
}
