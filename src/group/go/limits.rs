//! What strangers may cost the group: probe responses per source and in all, and how many
//! stations may sit authenticated without associating. The P2P device in the listen state
//! answers probe requests under the same [`ProbeLimiter`]. Anyone in range can send probe
//! requests and authentication frames from made-up addresses; each answer is a frame on
//! the air and work for us, and each authentication a station entry. Stations of the group
//! are never limited here.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ieee80211::MacAddr;

/// One source is answered at most [`PROBE_PER_SOURCE`] times in this window (a scanner
/// asks once or twice per channel visit, one per SSID it looks for, and visits a channel a
/// few times a second at most).
pub const PROBE_WINDOW: Duration = Duration::from_secs(1);
/// See [`PROBE_WINDOW`].
pub const PROBE_PER_SOURCE: u32 = 5;
/// Probe responses per second to sources that are not stations of the group, sustained...
pub const PROBE_RATE: u64 = 50;
/// ... and in a burst.
pub const PROBE_BURST: u64 = 25;
/// Sources remembered for the per-source limit at most (a flood from random addresses
/// would otherwise grow the table; past this the windows that are over go, and if that is
/// not enough new sources are not remembered: the bucket still holds them).
const SOURCES_TRACKED: usize = 256;
/// Stations authenticated and not (yet) associated, at most: one more authentication
/// forgets the oldest of them (a real station associates within milliseconds of its
/// authentication; a flood of authentications from random addresses must not grow the
/// table, nor lock real stations out).
pub const MAX_UNASSOCIATED: usize = 32;

/// Whether a probe request gets an answer: [`PROBE_PER_SOURCE`] per [`PROBE_WINDOW`] per source and a token
/// bucket of [`PROBE_RATE`] per second, [`PROBE_BURST`] at once, for all strangers.
#[derive(Debug)]
pub(crate) struct ProbeLimiter {
    /// Tokens in thousandths (a token per answer; PROBE_RATE tokens a second).
    milli_tokens: u64,
    refilled: Option<Instant>,
    /// Per source: when its window started and how many answers it got in it.
    per_source: HashMap<MacAddr, (Instant, u32)>,
    /// Requests left unanswered so far (tests, logs).
    pub refused: u64,
}

impl Default for ProbeLimiter {
    fn default() -> Self {
        ProbeLimiter { milli_tokens: PROBE_BURST * 1000, refilled: None, per_source: HashMap::new(), refused: 0 }
    }
}

impl ProbeLimiter {
    /// Whether to answer a probe request of `sa` at `now`; `member`: a station of the group
    /// (always answered, costs no token).
    pub fn admit(&mut self, now: Instant, sa: MacAddr, member: bool) -> bool {
        if member {
            return true;
        }
        if let Some(t) = self.refilled {
            let ms = u64::try_from(now.saturating_duration_since(t).as_millis()).unwrap_or(u64::MAX);
            self.milli_tokens = self.milli_tokens.saturating_add(ms.saturating_mul(PROBE_RATE)).min(PROBE_BURST * 1000);
        }
        self.refilled = Some(now);
        let open = |&(start, _): &(Instant, u32)| now.saturating_duration_since(start) < PROBE_WINDOW;
        let used = self.per_source.get(&sa).filter(|w| open(w)).map_or(0, |w| w.1);
        if used >= PROBE_PER_SOURCE || self.milli_tokens < 1000 {
            self.refused += 1;
            return false;
        }
        self.milli_tokens -= 1000;
        if used > 0 {
            if let Some(w) = self.per_source.get_mut(&sa) {
                w.1 += 1;
            }
            return true;
        }
        if self.per_source.len() >= SOURCES_TRACKED {
            self.per_source.retain(|_, w| open(w));
        }
        if self.per_source.len() < SOURCES_TRACKED {
            self.per_source.insert(sa, (now, 1));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(i: u32) -> MacAddr {
        let b = i.to_be_bytes();
        MacAddr([0x02, 0, b[0], b[1], b[2], b[3]])
    }

    #[test]
    fn one_source_gets_its_share_per_window() {
        let t0 = Instant::now();
        let mut l = ProbeLimiter::default();
        for i in 0..PROBE_PER_SOURCE {
            assert!(l.admit(t0 + Duration::from_millis(u64::from(i) * 10), addr(1), false));
        }
        assert!(!l.admit(t0 + Duration::from_millis(500), addr(1), false));
        assert!(l.admit(t0 + Duration::from_millis(500), addr(2), false), "another source is not held back");
        assert!(l.admit(t0 + PROBE_WINDOW, addr(1), false), "a new window");
        assert_eq!(l.refused, 1);
    }

    #[test]
    fn a_flood_from_random_sources_gets_the_burst_then_the_rate() {
        let t0 = Instant::now();
        let mut l = ProbeLimiter::default();
        // 1000 requests a second from a new address each, for 10 s.
        let mut answered = 0;
        for i in 0..10_000u32 {
            if l.admit(t0 + Duration::from_millis(u64::from(i)), addr(i), false) {
                answered += 1;
            }
        }
        // The burst, then PROBE_RATE a second.
        let expected = PROBE_BURST + 10 * PROBE_RATE;
        assert!((expected - 2..=expected + 2).contains(&answered), "{answered} answered, about {expected} expected");
        assert!(l.per_source.len() <= SOURCES_TRACKED);
    }

    #[test]
    fn members_are_always_answered_and_cost_nothing() {
        let t0 = Instant::now();
        let mut l = ProbeLimiter::default();
        for i in 0..PROBE_BURST as u32 {
            assert!(l.admit(t0, addr(i), false));
        }
        assert!(!l.admit(t0, addr(1000), false), "the bucket is empty");
        for _ in 0..100 {
            assert!(l.admit(t0, addr(7), true), "a station of the group is answered even so");
        }
        // 20 ms later: one token back (50 a second).
        assert!(l.admit(t0 + Duration::from_millis(20), addr(1001), false));
    }
}
