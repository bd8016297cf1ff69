//! Diffie-Hellman over the RFC 3526 group 5 (1536-bit MODP, generator 2), with a
//! constant-time modular exponentiation (crypto-bigint `FixedMontyForm::pow`).

use std::fmt;

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U1536};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{CryptoError, Secret};
use crate::rng::RandomSource;

/// Length in bytes of public keys, private keys and the shared secret.
pub const DH_LEN: usize = 192;

/// RFC 3526 section 2, 1536-bit MODP group prime.
const PRIME_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
);

const PRIME: U1536 = U1536::from_be_hex(PRIME_HEX);

fn params() -> FixedMontyParams<{ U1536::LIMBS }> {
    // The prime is odd by construction; `Odd::new` only fails on even input.
    let odd = Odd::new(PRIME).expect("RFC 3526 prime is odd");
    FixedMontyParams::new_vartime(odd)
}

fn to_bytes(x: &U1536) -> [u8; DH_LEN] {
    let enc = x.to_be_bytes();
    let mut out = [0u8; DH_LEN];
    out.copy_from_slice(enc.as_ref());
    out
}

/// A group 5 public key: 192 bytes, big-endian, left-padded with zeros.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(pub Box<[u8; DH_LEN]>);

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({}..)", crate::attr::hex(&self.0[..8]))
    }
}

impl PublicKey {
    pub fn as_bytes(&self) -> &[u8; DH_LEN] {
        &self.0
    }
}

/// Bytes of the private exponents we draw: 256 bits. wpa_supplicant with OpenSSL draws
/// 200-bit ones for this group (OpenSSL's length for RFC 3526 1536-bit MODP); RFC 3526
/// section 8 puts the group's strength at 90-120 bits, for which an exponent of twice that
/// is enough. The exponentiation's cost grows with the exponent's length: a 1536-bit
/// exponent took about 100 ms per key in the TCG guest at every WPS exchange, on the path
/// a joining client waits on; this one a sixth of it.
pub const DRAWN_EXPONENT_LEN: usize = 32;

/// A group 5 private exponent. Redacts `Debug`, zeroizes on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PrivateKey {
    x: [u8; DH_LEN],
    /// The exponent's length in bits as drawn or given (public: it sets the work, not
    /// the value); the exponentiation runs over that many bits, in constant time.
    bits: u32,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl PrivateKey {
    /// A private exponent of [`DRAWN_EXPONENT_LEN`] random bytes.
    pub fn generate(rng: &mut dyn RandomSource) -> Self {
        let mut k = [0u8; DRAWN_EXPONENT_LEN];
        rng.fill(&mut k);
        let key = Self::from_slice(&k).expect("shorter than the group");
        k.zeroize();
        key
    }

    /// Wraps a given exponent of the group's full length (test vectors, persisted keys).
    pub fn from_bytes(b: [u8; DH_LEN]) -> Self {
        PrivateKey { x: b, bits: U1536::BITS }
    }

    /// Wraps a shorter big-endian exponent (wpa_supplicant with OpenSSL draws 25-byte
    /// ones), left-padding it; `None` if longer than 192 bytes.
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        let pad = DH_LEN.checked_sub(b.len())?;
        let mut k = [0u8; DH_LEN];
        k[pad..].copy_from_slice(b);
        // At most 192 bytes, so the product fits.
        Some(PrivateKey { x: k, bits: (b.len() * 8) as u32 })
    }

    fn exponent(&self) -> U1536 {
        U1536::from_be_slice(&self.x)
    }

    /// g^x mod p, in constant time with respect to x.
    pub fn public_key(&self) -> PublicKey {
        let p = params();
        let g = FixedMontyForm::new(&U1536::from_u8(2), &p);
        let mut x = self.exponent();
        let y = g.pow_bounded_exp(&x, self.bits).retrieve();
        x.zeroize();
        PublicKey(Box::new(to_bytes(&y)))
    }

    /// The shared secret peer^x mod p, left-padded to 192 bytes. The peer key must lie in
    /// [2, p-2] (rejects the degenerate values 0, 1 and p-1 and anything not reduced).
    pub fn shared_secret(&self, peer: &PublicKey) -> Result<Secret<DH_LEN>, CryptoError> {
        let y = U1536::from_be_slice(&peer.0[..]);
        let two = U1536::from_u8(2);
        let p_minus_2 = PRIME.wrapping_sub(&two);
        if y < two || y > p_minus_2 {
            return Err(CryptoError::BadPublicKey);
        }
        let p = params();
        let base = FixedMontyForm::new(&y, &p);
        let mut x = self.exponent();
        let mut s = base.pow_bounded_exp(&x, self.bits).retrieve();
        x.zeroize();
        let out = Secret::new(to_bytes(&s));
        s.zeroize();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{ScriptedRng, SeededRng};

    /// A drawn key takes DRAWN_EXPONENT_LEN bytes of randomness and computes, over its
    /// bounded exponent, the same public key and secret as the same value taken as a
    /// full-length exponent.
    #[test]
    fn a_drawn_exponent_is_short_and_computes_as_the_full_length_one() {
        let mut seeded = SeededRng::new(7);
        let mut drawn = [0u8; DRAWN_EXPONENT_LEN];
        seeded.fill(&mut drawn);
        drawn[0] |= 0x80; // the top bit set: the bound is exercised to its last bit
        let short = PrivateKey::generate(&mut ScriptedRng::new([drawn.to_vec()]));
        let mut full = [0u8; DH_LEN];
        full[DH_LEN - DRAWN_EXPONENT_LEN..].copy_from_slice(&drawn);
        let full = PrivateKey::from_bytes(full);
        assert_eq!(short.bits, 8 * DRAWN_EXPONENT_LEN as u32);
        assert_eq!(short.public_key(), full.public_key());
        let peer = PrivateKey::generate(&mut seeded);
        let a = short.shared_secret(&peer.public_key()).expect("a valid public key");
        let b = peer.shared_secret(&full.public_key()).expect("a valid public key");
        assert_eq!(a.expose(), b.expose(), "both sides derive one secret");
    }
}
