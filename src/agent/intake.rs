//! The order in which kernel events reach the agent when they come faster than it handles
//! them (sans-IO: the driver reads every event that is ready into an [`Intake`] and feeds
//! the agent what [`Intake::pop`] gives, one at a time).
//!
//! Anyone in radio range can send us frames, so a flood of probe requests or of
//! authentication frames from made-up addresses must not make a station we are in an
//! exchange with wait: in one queue, a client's EAPOL (WPS, the 4-way handshake) waited
//! behind every frame of the flood, its WPS exchange stretched from seconds to the length
//! of the flood and the join failed. So the events are taken by [`Priority`]:
//! - [`Priority::Urgent`]: everything that is not a received frame (EAPOL, TX status,
//!   remain-on-channel, scan and MLME events: answers to what we started) and frames from
//!   a station our GO already knows (authenticated or associated);
//! - [`Priority::Normal`]: other frames that want an answer soon (authentication and
//!   association requests of a new station, action frames: a peer waits ~200 ms);
//! - [`Priority::Bulk`]: probe requests (best effort: a scanner asks again on its next
//!   scan).
//!
//! Within a priority the order is kept. The frame queues are bounded ([`NORMAL_MAX`],
//! [`BULK_MAX`]): beyond that the oldest frame is dropped (and counted), so a flood costs
//! bounded memory and at most a bounded delay instead of a queue growing for as long as
//! the flood lasts.

use std::collections::VecDeque;

use super::{Agent, Group, Kernel, KernelEvent};
use crate::ctrl::MacAddr;

/// Frames of [`Priority::Normal`] kept waiting at most.
pub const NORMAL_MAX: usize = 256;
/// Probe requests kept waiting at most.
pub const BULK_MAX: usize = 64;

/// How soon an event is handled; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Urgent,
    Normal,
    Bulk,
}

/// Kernel events waiting for the agent, by priority.
#[derive(Debug, Default)]
pub struct Intake {
    urgent: VecDeque<Kernel>,
    normal: VecDeque<Kernel>,
    bulk: VecDeque<Kernel>,
    /// Frames dropped because their queue was full, since the last [`Intake::take_dropped`].
    dropped: u64,
}

impl Intake {
    /// Queues an event as `agent` (as it is now) ranks it.
    pub fn push(&mut self, agent: &Agent, k: Kernel) {
        let p = agent.priority(&k);
        self.push_as(p, k);
    }

    /// Queues an event with a priority already decided.
    pub fn push_as(&mut self, p: Priority, k: Kernel) {
        let (q, max) = match p {
            Priority::Urgent => (&mut self.urgent, usize::MAX),
            Priority::Normal => (&mut self.normal, NORMAL_MAX),
            Priority::Bulk => (&mut self.bulk, BULK_MAX),
        };
        if q.len() >= max {
            q.pop_front();
            self.dropped += 1;
        }
        q.push_back(k);
    }

    /// The next event to handle: the oldest of the highest priority.
    pub fn pop(&mut self) -> Option<Kernel> {
        self.urgent.pop_front().or_else(|| self.normal.pop_front()).or_else(|| self.bulk.pop_front())
    }

    pub fn is_empty(&self) -> bool {
        self.urgent.is_empty() && self.normal.is_empty() && self.bulk.is_empty()
    }

    pub fn len(&self) -> usize {
        self.urgent.len() + self.normal.len() + self.bulk.len()
    }

    /// Frames dropped since the last call (for a log line).
    pub fn take_dropped(&mut self) -> u64 {
        std::mem::take(&mut self.dropped)
    }
}

/// Frame control's type and subtype byte of a probe request.
const PROBE_REQUEST: u8 = 0x40;

impl Agent {
    /// How soon this kernel event should be handled (see [`Intake`]).
    pub fn priority(&self, k: &Kernel) -> Priority {
        let KernelEvent::Frame { frame, .. } = &k.event else { return Priority::Urgent };
        // The transmitter (addr2) of a management frame.
        let sa = frame.get(10..16).and_then(|b| <[u8; 6]>::try_from(b).ok()).map(MacAddr);
        let known = match (k.ifindex, sa) {
            (Some(ifindex), Some(sa)) => self.groups.values().any(|g| match g {
                Group::Owner(o) => o.ifindex == ifindex && o.go.knows(sa),
                _ => false,
            }),
            _ => false,
        };
        if known {
            Priority::Urgent
        } else if frame.first().map(|b| b & 0xfc) == Some(PROBE_REQUEST) {
            Priority::Bulk
        } else {
            Priority::Normal
        }
    }
}
