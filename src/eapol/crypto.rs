//! Key derivation and protection for WPA2-PSK with CCMP (key descriptor
//! version 2): PSK from passphrase (IEEE 802.11-2020 J.4), the SHA-1 PRF
//! (12.7.1.2), the PTK split into KCK/KEK/TK (12.7.1.3), the HMAC-SHA1-128
//! Key MIC and the AES key wrap of the Key Data (RFC 3394, 12.7.2).
//!
//! Every type holding key material wipes itself on drop and prints as
//! `<redacted>`; MIC checks compare in constant time.

use crate::eapol::wire::{MIC_LEN, MIC_OFFSET, Nonce};
use aes_kw::KwAes128;
use aes_kw::cipher::KeyInit;
use ring::{hmac, pbkdf2};
use std::fmt;
use std::num::NonZeroU32;
use subtle::ConstantTimeEq;
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

pub use crate::ieee80211::MacAddr;

/// Why a cryptographic step failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CryptoError {
    /// A passphrase must be 8..=63 printable ASCII characters (J.4.1).
    #[error("passphrase must be 8 to 63 printable ASCII characters")]
    BadPassphrase,
    /// An SSID is at most 32 bytes.
    #[error("SSID longer than 32 bytes")]
    BadSsid,
    /// Wrapped key data must be a multiple of 8 bytes and at least 24.
    #[error("key data of {0} bytes cannot be AES key wrapped/unwrapped")]
    BadWrapLength(usize),
    /// The RFC 3394 integrity check failed: wrong KEK or corrupted data.
    #[error("AES key unwrap integrity check failed")]
    UnwrapIntegrity,
}

macro_rules! secret_array {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Zeroize, ZeroizeOnDrop)]
        pub struct $name([u8; $len]);

        impl $name {
            /// Wraps raw key bytes.
            pub fn from_bytes(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }
            /// The key bytes.
            pub fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl PartialEq for $name {
            /// Constant-time comparison.
            fn eq(&self, other: &Self) -> bool {
                self.0.ct_eq(&other.0).into()
            }
        }
        impl Eq for $name {}
    };
}

secret_array!(
    /// The 256-bit PMK; for WPA2-PSK it is the PSK.
    Pmk,
    32
);
secret_array!(
    /// Key Confirmation Key: the Key MIC key (PTK bytes 0..16).
    Kck,
    16
);
secret_array!(
    /// Key Encryption Key: the key data wrapping key (PTK bytes 16..32).
    Kek,
    16
);
secret_array!(
    /// Temporal Key for CCMP-128 (PTK bytes 32..48): what the kernel installs.
    Tk,
    16
);

/// A group temporal key of any cipher's length (16 bytes for CCMP-128).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Gtk(Vec<u8>);

impl Gtk {
    /// Copies key bytes.
    pub fn from_slice(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Gtk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gtk(<{} bytes redacted>)", self.0.len())
    }
}

impl PartialEq for Gtk {
    /// Constant-time comparison (lengths are not secret).
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && bool::from(self.0.ct_eq(&other.0))
    }
}
impl Eq for Gtk {}

/// PSK = PBKDF2-HMAC-SHA1(passphrase, SSID, 4096 iterations, 32 bytes)
/// (IEEE 802.11-2020 J.4.1).
pub fn psk_from_passphrase(passphrase: &str, ssid: &[u8]) -> Result<Pmk, CryptoError> {
    let p = passphrase.as_bytes();
    if !(8..=63).contains(&p.len()) || !p.iter().all(|c| (0x20..=0x7e).contains(c)) {
        return Err(CryptoError::BadPassphrase);
    }
    if ssid.len() > 32 {
        return Err(CryptoError::BadSsid);
    }
    let mut out = [0u8; 32];
    const ITERATIONS: NonZeroU32 = NonZeroU32::new(4096).expect("nonzero");
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA1, ITERATIONS, ssid, p, &mut out);
    let pmk = Pmk(out);
    out.zeroize();
    Ok(pmk)
}

/// The IEEE 802.11 PRF with HMAC-SHA1 (12.7.1.2): fills `out` with
/// HMAC-SHA1(K, label || 0x00 || data || i) for i = 0, 1, ...
pub fn prf_sha1(key: &[u8], label: &[u8], data: &[u8], out: &mut [u8]) {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    for (i, chunk) in out.chunks_mut(20).enumerate() {
        let mut ctx = hmac::Context::with_key(&key);
        ctx.update(label);
        ctx.update(&[0]);
        ctx.update(data);
        // The PRF counter is one byte; 256 * 20 bytes is far beyond any use here.
        ctx.update(&[i as u8]);
        let tag = ctx.sign();
        chunk.copy_from_slice(&tag.as_ref()[..chunk.len()]);
    }
}

/// The pairwise transient key for CCMP-128 with a SHA-1 AKM: 48 bytes
/// split into KCK (16), KEK (16) and TK (16).
#[derive(Clone, PartialEq, Eq)]
pub struct Ptk {
    /// Key MIC key.
    pub kck: Kck,
    /// Key data wrapping key.
    pub kek: Kek,
    /// Temporal key.
    pub tk: Tk,
}

impl fmt::Debug for Ptk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ptk(<redacted>)")
    }
}

impl Ptk {
    /// PTK = PRF-384(PMK, "Pairwise key expansion", min(AA,SPA) || max(AA,SPA)
    /// || min(ANonce,SNonce) || max(ANonce,SNonce)) (IEEE 802.11-2020 12.7.1.3).
    pub fn derive(pmk: &Pmk, aa: &MacAddr, spa: &MacAddr, anonce: &Nonce, snonce: &Nonce) -> Self {
        let mut data = Zeroizing::new([0u8; 6 + 6 + 32 + 32]);
        let (a1, a2) = if aa <= spa { (aa, spa) } else { (spa, aa) };
        let (n1, n2) = if anonce <= snonce {
            (anonce, snonce)
        } else {
            (snonce, anonce)
        };
        data[0..6].copy_from_slice(&a1.0);
        data[6..12].copy_from_slice(&a2.0);
        data[12..44].copy_from_slice(n1);
        data[44..76].copy_from_slice(n2);
        let mut out = Zeroizing::new([0u8; 48]);
        prf_sha1(
            pmk.as_bytes(),
            b"Pairwise key expansion",
            &data[..],
            &mut out[..],
        );
        let mut kck = [0u8; 16];
        let mut kek = [0u8; 16];
        let mut tk = [0u8; 16];
        kck.copy_from_slice(&out[0..16]);
        kek.copy_from_slice(&out[16..32]);
        tk.copy_from_slice(&out[32..48]);
        let ptk = Self {
            kck: Kck(kck),
            kek: Kek(kek),
            tk: Tk(tk),
        };
        kck.zeroize();
        kek.zeroize();
        tk.zeroize();
        ptk
    }
}

/// HMAC-SHA1-128 Key MIC over an EAPOL PDU whose MIC field is zero
/// (key descriptor version 2, IEEE 802.11-2020 12.7.2 item i).
pub fn compute_mic(kck: &Kck, pdu_with_zero_mic: &[u8]) -> [u8; MIC_LEN] {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, kck.as_bytes());
    let tag = hmac::sign(&key, pdu_with_zero_mic);
    let mut mic = [0u8; MIC_LEN];
    mic.copy_from_slice(&tag.as_ref()[..MIC_LEN]);
    mic
}

/// Computes the MIC of an emitted EAPOL-Key PDU (MIC field ignored) and
/// writes it into the MIC field. Returns `false` if `pdu` is too short.
pub fn sign_pdu(kck: &Kck, pdu: &mut [u8]) -> bool {
    if pdu.len() < MIC_OFFSET + MIC_LEN {
        return false;
    }
    pdu[MIC_OFFSET..MIC_OFFSET + MIC_LEN].fill(0);
    let mic = compute_mic(kck, pdu);
    pdu[MIC_OFFSET..MIC_OFFSET + MIC_LEN].copy_from_slice(&mic);
    true
}

/// Checks the MIC of an EAPOL-Key PDU (802.1X header through key data, no
/// trailing padding) in constant time.
pub fn verify_mic(kck: &Kck, pdu: &[u8]) -> bool {
    let Some(received) = pdu.get(MIC_OFFSET..MIC_OFFSET + MIC_LEN) else {
        return false;
    };
    let mut copy = pdu.to_vec();
    copy[MIC_OFFSET..MIC_OFFSET + MIC_LEN].fill(0);
    let expected = compute_mic(kck, &copy);
    expected.ct_eq(received).into()
}

/// AES key wrap (RFC 3394) of padded key data under the KEK.
pub fn wrap_key_data(kek: &Kek, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if plain.len() < 16 || !plain.len().is_multiple_of(8) {
        return Err(CryptoError::BadWrapLength(plain.len()));
    }
    let kw = KwAes128::new(kek.as_bytes().into());
    let mut out = vec![0u8; plain.len() + 8];
    kw.wrap_key(plain, &mut out)
        .map_err(|_| CryptoError::BadWrapLength(plain.len()))?;
    Ok(out)
}

/// AES key unwrap (RFC 3394) of key data under the KEK; the result wipes itself.
pub fn unwrap_key_data(kek: &Kek, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
        return Err(CryptoError::BadWrapLength(wrapped.len()));
    }
    let kw = KwAes128::new(kek.as_bytes().into());
    let mut out = Zeroizing::new(vec![0u8; wrapped.len() - 8]);
    kw.unwrap_key(wrapped, &mut out).map_err(|e| match e {
        aes_kw::Error::IntegrityCheckFailed => CryptoError::UnwrapIntegrity,
        _ => CryptoError::BadWrapLength(wrapped.len()),
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psk_annex_j_vectors() {
        // IEEE 802.11-2020 J.4.2 (also hostap src/crypto/crypto_module_tests.c
        // `passphrase_tests`).
        let cases: [(&str, &str, &str); 3] = [
            (
                "password",
                "IEEE",
                "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e",
            ),
            (
                "ThisIsAPassword",
                "ThisIsASSID",
                "0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af",
            ),
            (
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
                "becb93866bb8c3832cb777c2f559807c8c59afcb6eae734885001300a981cc62",
            ),
        ];
        for (pass, ssid, psk) in cases {
            let got = psk_from_passphrase(pass, ssid.as_bytes()).expect("valid");
            assert_eq!(hex::encode(got.as_bytes()), psk, "{pass}/{ssid}");
        }
    }

    #[test]
    fn passphrase_rules() {
        assert_eq!(
            psk_from_passphrase("short", b"x").err(),
            Some(CryptoError::BadPassphrase)
        );
        assert_eq!(
            psk_from_passphrase(&"a".repeat(64), b"x").err(),
            Some(CryptoError::BadPassphrase)
        );
        assert_eq!(
            psk_from_passphrase("tab\tinside", b"x").err(),
            Some(CryptoError::BadPassphrase)
        );
        assert_eq!(
            psk_from_passphrase("12345678", &[0; 33]).err(),
            Some(CryptoError::BadSsid)
        );
    }

    #[test]
    fn prf_annex_j_vectors() {
        // IEEE 802.11-2020 J.3.2 PRF test vectors (also hostap
        // crypto_module_tests.c `prf0`..`prf2`), label "prefix", 64 bytes.
        let cases: [(Vec<u8>, Vec<u8>, &str); 3] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "bcd4c650b30b9684951829e0d75f9d54b862175ed9f00606e17d8da35402ffee\
                 75df78c3d31e0f889f012120c0862beb67753e7439ae242edb8373698356cf5a",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "51f4de5b33f249adf81aeb713a3c20f4fe631446fabdfa58244759ae58ef9009\
                 a99abf4eac2ca5fa87e692c440eb40023e7babb206d61de7b92f41529092b8fc",
            ),
            (
                vec![0xaa; 20],
                vec![0xdd; 50],
                "e1ac546ec4cb636f9976487be5c86be17a0252ca5d8d8df12cfb0473525249ce\
                 9dd8d177ead710bc9b590547239107aef7b4abd43d87f0a68f1cbd9e2b6f7607",
            ),
        ];
        for (key, data, expected) in cases {
            let mut out = [0u8; 64];
            prf_sha1(&key, b"prefix", &data, &mut out);
            let expected: String = expected.split_whitespace().collect();
            assert_eq!(hex::encode(out), expected);
        }
    }

    #[test]
    fn rfc3394_4_1() {
        // RFC 3394 section 4.1: 128-bit key data with a 128-bit KEK.
        let kek = Kek::from_bytes(
            hex::decode("000102030405060708090A0B0C0D0E0F")
                .expect("hex")
                .try_into()
                .expect("16"),
        );
        let plain = hex::decode("00112233445566778899AABBCCDDEEFF").expect("hex");
        let wrapped = wrap_key_data(&kek, &plain).expect("wraps");
        assert_eq!(
            hex::encode_upper(&wrapped),
            "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"
        );
        assert_eq!(
            &unwrap_key_data(&kek, &wrapped).expect("unwraps")[..],
            &plain[..]
        );
        let mut bad = wrapped.clone();
        bad[3] ^= 1;
        assert_eq!(
            unwrap_key_data(&kek, &bad).err(),
            Some(CryptoError::UnwrapIntegrity)
        );
        assert_eq!(
            unwrap_key_data(&kek, &wrapped[..20]).err(),
            Some(CryptoError::BadWrapLength(20))
        );
        assert_eq!(
            wrap_key_data(&kek, &plain[..12]).err(),
            Some(CryptoError::BadWrapLength(12))
        );
    }

    #[test]
    fn secrets_are_redacted() {
        let pmk = Pmk::from_bytes([0xab; 32]);
        let ptk = Ptk::derive(&pmk, &MacAddr([1; 6]), &MacAddr([2; 6]), &[3; 32], &[4; 32]);
        for s in [
            format!("{pmk:?}"),
            format!("{ptk:?}"),
            format!("{:?}", ptk.tk),
            format!("{:?}", Gtk::from_slice(&[0xab; 16])),
        ] {
            assert!(!s.contains("ab") && !s.contains("171"), "{s}");
            assert!(s.contains("redacted"));
        }
    }

    #[test]
    fn ptk_is_symmetric_in_address_and_nonce_order() {
        // Both sides compute the same PTK whatever order they pass things in.
        let pmk = Pmk::from_bytes([7; 32]);
        let a = Ptk::derive(&pmk, &MacAddr([1; 6]), &MacAddr([2; 6]), &[3; 32], &[4; 32]);
        let b = Ptk::derive(&pmk, &MacAddr([2; 6]), &MacAddr([1; 6]), &[4; 32], &[3; 32]);
        assert_eq!(a, b);
        let c = Ptk::derive(&pmk, &MacAddr([1; 6]), &MacAddr([2; 6]), &[3; 32], &[5; 32]);
        assert_ne!(a, c);
    }
}
