//! Injected randomness: the one random-source trait of the workspace. Protocol code draws
//! every random byte (DH private keys, nonces, secret nonces, IVs, PINs, EAPOL nonces, group
//! keys, DHCP transaction ids) through [`RandomSource`], so a seeded source makes a whole
//! exchange reproducible. `directd` re-exports it as `eapol::RandomSource` and
//! `dhcp::Random`; [`WpsRng`] is the old name of the same trait.

use ring::hmac;
use zeroize::Zeroize;

/// A source of random bytes.
pub trait RandomSource {
    /// Fills `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]);

    /// A random 32-bit value (little-endian from [`fill`](RandomSource::fill) unless the
    /// source has a cheaper way).
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        u32::from_le_bytes(b)
    }
}

/// The former name of [`RandomSource`] (the same trait).
pub use self::RandomSource as WpsRng;

/// The operating system's generator (for the driver; never used by tests).
#[derive(Debug)]
pub struct SystemRng(ring::rand::SystemRandom);

impl Default for SystemRng {
    fn default() -> Self {
        SystemRng(ring::rand::SystemRandom::new())
    }
}

impl RandomSource for SystemRng {
    fn fill(&mut self, buf: &mut [u8]) {
        use ring::rand::SecureRandom;
        // SystemRandom only fails when the kernel has no entropy source at all; there is
        // no safe fallback, so that is a fatal condition.
        if self.0.fill(buf).is_err() {
            panic!("operating system random generator failed");
        }
    }
}

/// A deterministic generator for tests and simulations: HMAC-SHA-256(seed, counter) blocks.
pub struct SeededRng {
    key: hmac::Key,
    counter: u64,
}

impl std::fmt::Debug for SeededRng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SeededRng(counter {})", self.counter)
    }
}

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng {
            key: hmac::Key::new(hmac::HMAC_SHA256, &seed.to_be_bytes()),
            counter: 0,
        }
    }
}

impl RandomSource for SeededRng {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(32) {
            let tag = hmac::sign(&self.key, &self.counter.to_be_bytes());
            self.counter += 1;
            chunk.copy_from_slice(&tag.as_ref()[..chunk.len()]);
        }
    }
}

/// Hands out pre-recorded byte strings in order (to replay a captured exchange); each draw
/// must ask for exactly the length of the next recorded string. For tests and replays only:
/// it panics on a length mismatch or when exhausted.
#[derive(Debug, Default)]
pub struct ScriptedRng {
    draws: std::collections::VecDeque<Vec<u8>>,
}

impl ScriptedRng {
    pub fn new(draws: impl IntoIterator<Item = Vec<u8>>) -> Self {
        ScriptedRng {
            draws: draws.into_iter().collect(),
        }
    }
    /// Draws not consumed yet.
    pub fn remaining(&self) -> usize {
        self.draws.len()
    }
}

impl RandomSource for ScriptedRng {
    fn fill(&mut self, buf: &mut [u8]) {
        match self.draws.pop_front() {
            Some(mut d) if d.len() == buf.len() => {
                buf.copy_from_slice(&d);
                d.zeroize();
            }
            Some(d) => panic!("scripted draw of {} bytes, {} asked", d.len(), buf.len()),
            None => panic!("scripted randomness exhausted ({} bytes asked)", buf.len()),
        }
    }
}
