//! WSC key derivation and message protection (WSC 2.0 section 7.4/7.5; hostap
//! `src/wps/wps_common.c`): DHKey, KDK, the KDF and its AuthKey/KeyWrapKey/EMSK split,
//! PSK1/PSK2, E-Hash/R-Hash, the Authenticator, the Key Wrap Authenticator and the
//! AES-128-CBC Encrypted Settings. All MAC comparisons are constant time.

pub mod dh;

use std::fmt;

use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use ring::{digest, hmac};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::attr::{AttrType, emit_tlv};

pub use dh::{DH_LEN, PrivateKey, PublicKey};

/// Errors from the cryptographic checks. Each one aborts a registration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("peer public key out of range")]
    BadPublicKey,
    #[error("Authenticator mismatch")]
    BadAuthenticator,
    #[error("message does not end with an Authenticator attribute")]
    MissingAuthenticator,
    #[error("Key Wrap Authenticator mismatch")]
    BadKeyWrapAuthenticator,
    #[error("decrypted settings do not end with a Key Wrap Authenticator")]
    MissingKeyWrapAuthenticator,
    #[error("Encrypted Settings length {0} is not IV + whole AES blocks")]
    BadEncryptedLength(usize),
    #[error("Encrypted Settings padding invalid")]
    BadPadding,
    #[error("settings too long to encrypt")]
    SettingsTooLong,
}

/// A fixed-size secret: redacted `Debug`, zeroized on drop, constant-time equality.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret<const N: usize>([u8; N]);

impl<const N: usize> Secret<N> {
    pub fn new(b: [u8; N]) -> Self {
        Secret(b)
    }
    pub fn expose(&self) -> &[u8; N] {
        &self.0
    }
}

impl<const N: usize> fmt::Debug for Secret<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret<{N}>(<redacted>)")
    }
}

impl<const N: usize> PartialEq for Secret<N> {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}
impl<const N: usize> Eq for Secret<N> {}

/// Length of the Authenticator and the Key Wrap Authenticator.
pub const AUTHENTICATOR_LEN: usize = 8;
const KDF_LABEL: &[u8] = b"Wi-Fi Easy and Secure Key Derivation";

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let k = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut ctx = hmac::Context::with_key(&k);
    for p in parts {
        ctx.update(p);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.sign().as_ref());
    out
}

/// DHKey = SHA-256(shared secret left-padded to 192 bytes).
pub fn dh_key(shared: &Secret<DH_LEN>) -> Secret<32> {
    let d = digest::digest(&digest::SHA256, shared.expose());
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    Secret(out)
}

/// KDK = HMAC-SHA-256(DHKey, N1 || EnrolleeMAC || N2).
pub fn kdk(
    dh_key: &Secret<32>,
    enrollee_nonce: &[u8; 16],
    enrollee_mac: &[u8; 6],
    registrar_nonce: &[u8; 16],
) -> Secret<32> {
    Secret(hmac_sha256(
        dh_key.expose(),
        &[enrollee_nonce, enrollee_mac, registrar_nonce],
    ))
}

/// The keys split from the KDF output (640 bits).
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SessionKeys {
    pub auth_key: Secret<32>,
    pub key_wrap_key: Secret<16>,
    pub emsk: Secret<32>,
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKeys(<redacted>)")
    }
}

/// KDF(KDK, "Wi-Fi Easy and Secure Key Derivation", 640): rounds
/// HMAC-SHA-256(KDK, BE32(i) || label || BE32(640)) for i = 1..=3, truncated to 80 bytes and
/// split AuthKey (32) || KeyWrapKey (16) || EMSK (32).
pub fn kdf(kdk: &Secret<32>) -> SessionKeys {
    let bits = 640u32.to_be_bytes();
    let mut buf = Zeroizing::new([0u8; 96]);
    for i in 1u32..=3 {
        let h = Zeroizing::new(hmac_sha256(
            kdk.expose(),
            &[&i.to_be_bytes(), KDF_LABEL, &bits],
        ));
        let at = (i as usize - 1) * 32;
        buf[at..at + 32].copy_from_slice(&h[..]);
    }
    let mut a = [0u8; 32];
    let mut k = [0u8; 16];
    let mut e = [0u8; 32];
    a.copy_from_slice(&buf[..32]);
    k.copy_from_slice(&buf[32..48]);
    e.copy_from_slice(&buf[48..80]);
    SessionKeys {
        auth_key: Secret(a),
        key_wrap_key: Secret(k),
        emsk: Secret(e),
    }
}

/// Everything from the shared secret to the session keys.
pub fn derive_session_keys(
    shared: &Secret<DH_LEN>,
    enrollee_nonce: &[u8; 16],
    enrollee_mac: &[u8; 6],
    registrar_nonce: &[u8; 16],
) -> SessionKeys {
    kdf(&kdk(
        &dh_key(shared),
        enrollee_nonce,
        enrollee_mac,
        registrar_nonce,
    ))
}

/// PSK1 and PSK2: the first 16 bytes of HMAC-SHA-256(AuthKey, half of the device password).
/// The first half is the first ceil(len/2) bytes (hostap `wps_derive_psk`).
pub fn derive_psks(auth_key: &Secret<32>, password: &[u8]) -> (Secret<16>, Secret<16>) {
    let cut = password.len().div_ceil(2);
    let one = |part: &[u8]| {
        let h = Zeroizing::new(hmac_sha256(auth_key.expose(), &[part]));
        let mut p = [0u8; 16];
        p.copy_from_slice(&h[..16]);
        Secret(p)
    };
    (one(&password[..cut]), one(&password[cut..]))
}

/// E-HashN / R-HashN = HMAC-SHA-256(AuthKey, S-N || PSK-N || PK_E || PK_R).
pub fn commitment_hash(
    auth_key: &Secret<32>,
    snonce: &[u8; 16],
    psk: &Secret<16>,
    pk_e: &PublicKey,
    pk_r: &PublicKey,
) -> [u8; 32] {
    hmac_sha256(
        auth_key.expose(),
        &[snonce, psk.expose(), &pk_e.0[..], &pk_r.0[..]],
    )
}

/// Checks a received E-Hash/R-Hash against the revealed secret nonce, in constant time.
pub fn verify_commitment(
    auth_key: &Secret<32>,
    snonce: &[u8; 16],
    psk: &Secret<16>,
    pk_e: &PublicKey,
    pk_r: &PublicKey,
    expected: &[u8; 32],
) -> bool {
    commitment_hash(auth_key, snonce, psk, pk_e, pk_r)
        .ct_eq(expected)
        .into()
}

/// Authenticator = first 8 bytes of HMAC-SHA-256(AuthKey, previous message || current
/// message without its Authenticator attribute).
pub fn authenticator(auth_key: &Secret<32>, prev: &[u8], cur_without_auth: &[u8]) -> [u8; 8] {
    let h = hmac_sha256(auth_key.expose(), &[prev, cur_without_auth]);
    let mut out = [0u8; 8];
    out.copy_from_slice(&h[..8]);
    out
}

/// Appends the Authenticator attribute to a message body.
pub fn append_authenticator(auth_key: &Secret<32>, prev: &[u8], cur: &mut Vec<u8>) {
    let a = authenticator(auth_key, prev, cur);
    // An 8-byte value always fits.
    let _ = emit_tlv(cur, AttrType::AUTHENTICATOR, &a);
}

/// Splits `msg` into (body, authenticator) when its last 12 bytes are an Authenticator TLV.
fn split_trailer(msg: &[u8], kind: AttrType) -> Option<(&[u8], &[u8])> {
    let at = msg.len().checked_sub(4 + AUTHENTICATOR_LEN)?;
    let (body, tail) = msg.split_at(at);
    let hdr = [
        kind.0.to_be_bytes(),
        (AUTHENTICATOR_LEN as u16).to_be_bytes(),
    ]
    .concat();
    (tail[..4] == hdr[..]).then(|| (body, &tail[4..]))
}

/// Verifies the Authenticator that ends `msg` against the previous message, in constant time.
pub fn verify_authenticator(
    auth_key: &Secret<32>,
    prev: &[u8],
    msg: &[u8],
) -> Result<(), CryptoError> {
    let (body, got) =
        split_trailer(msg, AttrType::AUTHENTICATOR).ok_or(CryptoError::MissingAuthenticator)?;
    let want = authenticator(auth_key, prev, body);
    if bool::from(want.ct_eq(got)) {
        Ok(())
    } else {
        Err(CryptoError::BadAuthenticator)
    }
}

/// Key Wrap Authenticator = first 8 bytes of HMAC-SHA-256(AuthKey, settings).
pub fn key_wrap_authenticator(auth_key: &Secret<32>, settings: &[u8]) -> [u8; 8] {
    let h = hmac_sha256(auth_key.expose(), &[settings]);
    let mut out = [0u8; 8];
    out.copy_from_slice(&h[..8]);
    out
}

type Aes128CbcEnc = cbc::Encryptor<aes::Aes128>;
type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;

/// Builds the Encrypted Settings value: appends the Key Wrap Authenticator to `settings`,
/// pads (PKCS#7, 1..=16 bytes) and encrypts with AES-128-CBC under KeyWrapKey; the result
/// is IV || ciphertext.
pub fn encrypt_settings(
    keys: &SessionKeys,
    iv: &[u8; 16],
    settings: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut plain = Zeroizing::new(settings.to_vec());
    let kwa = key_wrap_authenticator(&keys.auth_key, settings);
    emit_tlv(&mut plain, AttrType::KEY_WRAP_AUTHENTICATOR, &kwa)
        .map_err(|_| CryptoError::SettingsTooLong)?;
    let len = plain.len();
    plain.resize(len + 16 - len % 16, 0);
    let enc = Aes128CbcEnc::new(keys.key_wrap_key.expose().into(), iv.into());
    let ct = enc
        .encrypt_padded::<Pkcs7>(&mut plain, len)
        .map_err(|_| CryptoError::SettingsTooLong)?;
    let mut out = Vec::with_capacity(16 + ct.len());
    out.extend_from_slice(iv);
    out.extend_from_slice(ct);
    Ok(out)
}

/// Decrypts an Encrypted Settings value and checks its Key Wrap Authenticator in constant
/// time; returns the settings attributes without the KWA.
pub fn decrypt_settings(
    keys: &SessionKeys,
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if data.len() < 32 || !data.len().is_multiple_of(16) {
        return Err(CryptoError::BadEncryptedLength(data.len()));
    }
    let (iv, ct) = data.split_at(16);
    let mut buf = Zeroizing::new(ct.to_vec());
    let iv: &[u8; 16] = iv
        .try_into()
        .map_err(|_| CryptoError::BadEncryptedLength(data.len()))?;
    let dec = Aes128CbcDec::new(keys.key_wrap_key.expose().into(), iv.into());
    let plain_len = dec
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| CryptoError::BadPadding)?
        .len();
    buf.truncate(plain_len);
    let (body, got) = split_trailer(&buf, AttrType::KEY_WRAP_AUTHENTICATOR)
        .ok_or(CryptoError::MissingKeyWrapAuthenticator)?;
    let want = key_wrap_authenticator(&keys.auth_key, body);
    if !bool::from(want.ct_eq(got)) {
        return Err(CryptoError::BadKeyWrapAuthenticator);
    }
    let body_len = body.len();
    buf.truncate(body_len);
    Ok(buf)
}
