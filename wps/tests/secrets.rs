//! Secrets never show in Debug output, and MAC checks reject any single-bit change.

use wps::crypto::{self, PrivateKey, Secret, SessionKeys};
use wps::message::Credential;
use wps::pin::Pin;

#[test]
fn debug_output_redacts_secrets() {
    let k = PrivateKey::from_bytes([0xab; 192]);
    let keys = SessionKeys {
        auth_key: Secret::new([0xcd; 32]),
        key_wrap_key: Secret::new([0xef; 16]),
        emsk: Secret::new([0x12; 32]),
    };
    let cred = Credential::wpa2_psk(b"ssid", b"supersecretkey", [0; 6]);
    let pin = Pin::parse("87654325").expect("pin");
    let texts = [
        format!("{k:?}"),
        format!("{keys:?}"),
        format!("{:?}", keys.auth_key),
        format!("{cred:?}"),
        format!("{pin:?}"),
    ];
    for t in &texts {
        for leak in ["abab", "cdcd", "efef", "1212", "supersecret", "8765"] {
            assert!(!t.contains(leak), "{t} leaks {leak}");
        }
    }
    assert!(
        texts[3].contains("ssid"),
        "non-secret fields stay visible: {}",
        texts[3]
    );
    let a = wps::attr::Attribute::NetworkKey(zeroize::Zeroizing::new(b"supersecretkey".to_vec()));
    assert!(!format!("{a:?}").contains("supersecret"));
}

#[test]
fn authenticator_and_kwa_reject_every_single_bit_flip() {
    let keys = SessionKeys {
        auth_key: Secret::new([7; 32]),
        key_wrap_key: Secret::new([8; 16]),
        emsk: Secret::new([9; 32]),
    };
    let prev = b"previous message".to_vec();
    let mut msg = b"\x10\x4a\x00\x01\x10".to_vec();
    crypto::append_authenticator(&keys.auth_key, &prev, &mut msg);
    crypto::verify_authenticator(&keys.auth_key, &prev, &msg).expect("valid");
    for bit in 0..msg.len() * 8 {
        let mut m = msg.clone();
        m[bit / 8] ^= 1 << (bit % 8);
        assert!(
            crypto::verify_authenticator(&keys.auth_key, &prev, &m).is_err(),
            "bit {bit}"
        );
    }
    let settings = b"\x10\x16\x00\x10AAAAAAAAAAAAAAAA".to_vec();
    let enc = crypto::encrypt_settings(&keys, &[1; 16], &settings).expect("encrypt");
    assert_eq!(
        &crypto::decrypt_settings(&keys, &enc).expect("decrypt")[..],
        &settings[..]
    );
    // Any flip in the IV or first block changes the plaintext the KWA covers.
    for bit in 0..32 * 8 {
        let mut e = enc.clone();
        e[bit / 8] ^= 1 << (bit % 8);
        assert!(crypto::decrypt_settings(&keys, &e).is_err(), "bit {bit}");
    }
    let mut iv_flip = enc.clone();
    iv_flip[0] ^= 1;
    assert_eq!(
        crypto::decrypt_settings(&keys, &iv_flip),
        Err(crypto::CryptoError::BadKeyWrapAuthenticator)
    );
    assert_eq!(
        crypto::decrypt_settings(&keys, &enc[..20]),
        Err(crypto::CryptoError::BadEncryptedLength(20))
    );
}

#[test]
fn degenerate_public_keys_are_refused() {
    let k = PrivateKey::from_bytes([3; 192]);
    for bad in [
        [0u8; 192],
        {
            let mut b = [0u8; 192];
            b[191] = 1;
            b
        },
        [0xff; 192],
    ] {
        assert_eq!(
            k.shared_secret(&crypto::PublicKey(Box::new(bad))),
            Err(crypto::CryptoError::BadPublicKey)
        );
    }
}
