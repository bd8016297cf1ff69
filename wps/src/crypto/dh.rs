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

/// A group 5 private exponent. Redacts `Debug`, zeroizes on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PrivateKey([u8; DH_LEN]);

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl PrivateKey {
    /// A private exponent of 192 random bytes (as hostap and iwd draw it).
    pub fn generate(rng: &mut dyn RandomSource) -> Self {
        let mut k = [0u8; DH_LEN];
        rng.fill(&mut k);
        PrivateKey(k)
    }

    /// Wraps a given exponent (test vectors, persisted keys).
    pub fn from_bytes(b: [u8; DH_LEN]) -> Self {
        PrivateKey(b)
    }

    /// Wraps a shorter big-endian exponent (wpa_supplicant with OpenSSL draws 25-byte
    /// ones), left-padding it; `None` if longer than 192 bytes.
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        let pad = DH_LEN.checked_sub(b.len())?;
        let mut k = [0u8; DH_LEN];
        k[pad..].copy_from_slice(b);
        Some(PrivateKey(k))
    }

    fn exponent(&self) -> U1536 {
        U1536::from_be_slice(&self.0)
    }

    /// g^x mod p, in constant time with respect to x.
    pub fn public_key(&self) -> PublicKey {
        let p = params();
        let g = FixedMontyForm::new(&U1536::from_u8(2), &p);
        let mut x = self.exponent();
        let y = g.pow(&x).retrieve();
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
        let mut s = base.pow(&x).retrieve();
        x.zeroize();
        let out = Secret::new(to_bytes(&s));
        s.zeroize();
        Ok(out)
    }
}
