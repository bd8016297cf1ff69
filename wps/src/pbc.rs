//! PBC session overlap detection (WSC 2.0 section 11.3): a registrar that has seen more than
//! one enrollee in PBC mode (Device Password ID 4 in a probe request or an M1) during the
//! 120 s monitor window must refuse all of them until the window clears.

use std::time::{Duration, Instant};

/// PBC walk time and monitor window.
pub const PBC_WALK_TIME: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    uuid_e: [u8; 16],
    mac: [u8; 6],
    at: Instant,
}

/// Remembers which PBC enrollees were seen recently.
#[derive(Debug, Clone)]
pub struct PbcMonitor {
    window: Duration,
    seen: Vec<Seen>,
}

impl Default for PbcMonitor {
    fn default() -> Self {
        PbcMonitor::new(PBC_WALK_TIME)
    }
}

impl PbcMonitor {
    pub fn new(window: Duration) -> PbcMonitor {
        PbcMonitor {
            window,
            seen: Vec::new(),
        }
    }

    fn prune(&mut self, now: Instant) {
        let w = self.window;
        self.seen
            .retain(|s| now.saturating_duration_since(s.at) <= w);
    }

    /// Records a PBC enrollee (from a probe request or an M1 with Device Password ID 4).
    pub fn record(&mut self, now: Instant, mac: [u8; 6], uuid_e: [u8; 16]) {
        self.prune(now);
        match self
            .seen
            .iter_mut()
            .find(|s| s.mac == mac && s.uuid_e == uuid_e)
        {
            Some(s) => s.at = now,
            None => self.seen.push(Seen {
                uuid_e,
                mac,
                at: now,
            }),
        }
    }

    /// Whether more than one distinct enrollee (by UUID-E) was seen within the window.
    pub fn overlap(&mut self, now: Instant) -> bool {
        self.prune(now);
        self.seen.iter().any(|s| s.uuid_e != self.seen[0].uuid_e)
    }

    /// Forgets an enrollee (after its registration succeeded).
    pub fn remove(&mut self, uuid_e: &[u8; 16]) {
        self.seen.retain(|s| &s.uuid_e != uuid_e);
    }

    /// How many distinct enrollees are in the window.
    pub fn active(&mut self, now: Instant) -> usize {
        self.prune(now);
        let mut u: Vec<_> = self.seen.iter().map(|s| s.uuid_e).collect();
        u.sort_unstable();
        u.dedup();
        u.len()
    }
}

