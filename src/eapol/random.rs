//! Injected randomness for nonces and keys.
//!
//! Protocol code never calls the OS generator: the driver hands a
//! [`RandomSource`] in. [`SeededRandom`] is a deterministic generator
//! (HMAC-SHA256 in counter mode over a 32-byte seed): with a fixed seed tests
//! replay byte for byte; seeded once from the OS it is a sound DRBG.

use ring::hmac;
use std::fmt;

/// The workspace's one random-source trait (defined in `wps`, the lowest crate that draws
/// random bytes).
pub use wps::rng::RandomSource;

/// Deterministic HMAC-SHA256 counter-mode generator.
pub struct SeededRandom {
    key: hmac::Key,
    counter: u64,
}

impl fmt::Debug for SeededRandom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SeededRandom(<seed redacted>, counter {})", self.counter)
    }
}

impl SeededRandom {
    /// A generator whose whole output is determined by `seed`.
    pub fn new(seed: [u8; 32]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, &seed),
            counter: 0,
        }
    }
}

impl RandomSource for SeededRandom {
    fn fill(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(32) {
            let tag = hmac::sign(&self.key, &self.counter.to_be_bytes());
            self.counter = self.counter.wrapping_add(1);
            chunk.copy_from_slice(&tag.as_ref()[..chunk.len()]);
        }
    }
}

/// Replays given byte strings in order, then zeros: for tests that must
/// reproduce captured nonces.
#[derive(Debug, Default)]
pub struct ScriptedRandom {
    queue: std::collections::VecDeque<Vec<u8>>,
}

impl ScriptedRandom {
    /// A source that returns `chunks` one per [`fill`](RandomSource::fill) call.
    pub fn new(chunks: impl IntoIterator<Item = Vec<u8>>) -> Self {
        Self {
            queue: chunks.into_iter().collect(),
        }
    }
}

impl RandomSource for ScriptedRandom {
    fn fill(&mut self, dest: &mut [u8]) {
        let next = self.queue.pop_front().unwrap_or_default();
        dest.fill(0);
        let n = next.len().min(dest.len());
        dest[..n].copy_from_slice(&next[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_is_deterministic_and_seed_dependent() {
        let mut a = SeededRandom::new([1; 32]);
        let mut b = SeededRandom::new([1; 32]);
        let mut c = SeededRandom::new([2; 32]);
        let (mut x, mut y, mut z) = ([0u8; 40], [0u8; 40], [0u8; 40]);
        a.fill(&mut x);
        b.fill(&mut y);
        c.fill(&mut z);
        assert_eq!(x, y);
        assert_ne!(x, z);
        let mut next = [0u8; 40];
        a.fill(&mut next);
        assert_ne!(x, next);
    }

    #[test]
    fn scripted_replays_then_zeros() {
        let mut s = ScriptedRandom::new([vec![1, 2, 3]]);
        let mut d = [9u8; 4];
        s.fill(&mut d);
        assert_eq!(d, [1, 2, 3, 0]);
        s.fill(&mut d);
        assert_eq!(d, [0; 4]);
    }
}
