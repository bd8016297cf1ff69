//! Captured EAPOL-Key frames with their secrets: test data, not code.
//!
//! Source: iwd `unit/test-eapol.c` (repository IWDTestBot/iwd, mirror commit
//! 8ba968d9, read through the search tools). There the frames are
//! `eapol_key_data_7`..`_12` (parameters in `eapol_wpa2_handshake_test`: AA
//! 02:00:00:00:00:00, SPA 02:00:00:00:01:00, passphrase
//! "EasilyGuessedPassword", SSID "TestWPA"; hostapd's AA and RSN element) and
//! `eapol_key_data_3`..`_6` (parameters in `eapol_4way_test`: AA
//! 24:a2:e1:ec:17:04, SPA a0:a8:cd:1c:7e:c9, same passphrase and SSID). The
//! iwd authors captured them from real exchanges; only the bytes are used.

use crate::ieee80211::MacAddr;

/// Passphrase of both captures.
pub const PASSPHRASE: &str = "EasilyGuessedPassword";
/// SSID of both captures.
pub const SSID: &[u8] = b"TestWPA";
/// PSK iwd's test expects for that passphrase and SSID (`expected_psk`).
pub const PSK: &str = "bf9aa3155300125e7a5ebb2a549f8cd4edab8ee12e94bfc24b3357ad049665d9";
/// Authenticator address of the first capture.
pub const AA: MacAddr = MacAddr([0x02, 0x00, 0x00, 0x00, 0x00, 0x00]);
/// Supplicant address of the first capture.
pub const SPA: MacAddr = MacAddr([0x02, 0x00, 0x00, 0x00, 0x01, 0x00]);
/// hostapd's RSN element in the first capture, as carried (wrapped) in its
/// message 3 (read by `capture_a_mics_verify_and_gtks_unwrap`): it has an RSN
/// Capabilities field of 0. iwd's test passes a shorter `ap_rsne` without that
/// field ([`AP_RSNE_NO_CAPS`]) because iwd compares the elements field by
/// field; wpa_supplicant and this crate compare bytes, so the message 3 bytes
/// are what a beacon of that hostapd carried.
pub const AP_RSNE: &str = "30140100000fac040100000fac040100000fac020000";
/// iwd's `ap_rsne` (no RSN Capabilities field).
pub const AP_RSNE_NO_CAPS: &str = "30120100000fac040100000fac040100000fac02";
/// Authenticator address of the second capture.
pub const B_AA: MacAddr = MacAddr([0x24, 0xa2, 0xe1, 0xec, 0x17, 0x04]);
/// Supplicant address of the second capture.
pub const B_SPA: MacAddr = MacAddr([0xa0, 0xa8, 0xcd, 0x1c, 0x7e, 0xc9]);

/// 4-way message 1/4 from hostapd (AA 02:00:00:00:00:00), Replay Counter 1. (iwd `eapol_key_data_7`)
pub const HOSTAPD_MSG1: &str = "0203005f02008a001000000000000000012b5852b88e4ca34dc599ed202c6395\
    7c535e3efa9289873411127cbaf3588425000000000000000000000000000000\
    0000000000000000000000000000000000000000000000000000000000000000\
    000000";

/// 4-way message 2/4 from the station (SPA 02:00:00:00:01:00), carrying its RSN element. (iwd `eapol_key_data_8`)
pub const STA_MSG2: &str = "0203007302010a00000000000000000001727c656c5ed642d7f47f484351d808\
    945118da6a4933ac7e293f2f2ac088348c000000000000000000000000000000\
    00000000000000000000000000000000007d7c45989f492b4a36583529282d8f\
    ed001430120100000fac040100000fac040100000fac02";

/// 4-way message 3/4 from hostapd, Replay Counter 2, wrapped RSN element + GTK KDE. (iwd `eapol_key_data_9`)
pub const HOSTAPD_MSG3: &str = "020300970213ca001000000000000000022b5852b88e4ca34dc599ed202c6395\
    7c535e3efa9289873411127cbaf3588425000000000000000000000000000000\
    0000000000000000000000000000000000f8626a5776c733bfc071de62ebf7a7\
    c5003814dd52803dc83df7ba7eb648296d650e88ccc8dd676204a2c7c1f2650b\
    caf96b66f5b43d9926adc5ce18c0a99be50e508584b157e37a5e0f";

/// 4-way message 4/4 from the station. (iwd `eapol_key_data_10`)
pub const STA_MSG4: &str = "0203005f02030a00000000000000000002000000000000000000000000000000\
    0000000000000000000000000000000000000000000000000000000000000000\
    00000000000000000000000000000000008b0f342349f08503e5fc54b72cb532\
    660000";

/// Group key handshake message 1/2 from hostapd, Replay Counter 3. (iwd `eapol_key_data_11`)
pub const HOSTAPD_GROUP1: &str = "0203007f02138200100000000000000003ef6dc20c5727e82507751e67369dc9\
    1ef1718eb135b212df9fcb0a65a2d5671d000000000000000000000000000000\
    00000000000000000000000000000000000f6ab075bc8ed19211cdc3b0e2d67e\
    cf0020e9965b4685d58b88bd574857e4f0dfddf72a7aa8eb68a9ef4404a66faa\
    48511b";

/// Group key handshake message 2/2 from the station. (iwd `eapol_key_data_12`)
pub const STA_GROUP2: &str = "0203005f02030200000000000000000003000000000000000000000000000000\
    0000000000000000000000000000000000000000000000000000000000000000\
    0000000000000000000000000000000000c9bd17f154b732cfbc01db0c37e633\
    9f0000";

/// Second capture (AA 24:a2:e1:ec:17:04, SPA a0:a8:cd:1c:7e:c9): message 1/4. (iwd `eapol_key_data_3`)
pub const B_MSG1: &str = "0203005f02008a00100000000000000000c2bb57ab588f92ebbd44e811094f60\
    1c087986030c3ac749cc61d63e33832e50000000000000000000000000000000\
    0000000000000000000000000000000000000000000000000000000000000000\
    000000";

/// Second capture: message 2/4 (802.1X version 1, RSN element with capabilities). (iwd `eapol_key_data_4`)
pub const B_MSG2: &str = "0103007502010a000000000000000000003289e91565094f329a9cd54a4a090d\
    2cf4344683bf50efee3608b64856800e84000000000000000000000000000000\
    000000000000000000000000000000000001c31b82ff62a379b08dd1fc82c2f7\
    68001630140100000fac040100000fac040100000fac020000";

/// Second capture: message 3/4. (iwd `eapol_key_data_5`)
pub const B_MSG3: &str = "020300970213ca00100000000000000001c2bb57ab588f92ebbd44e811094f60\
    1c087986030c3ac749cc61d63e33832e50000000000000000000000000000000\
    0000000000000000000000000000000000f535d91809731a1d290894705e919c\
    8e00381918df1ef0e7696652e257938034e17038b98b4c45a923b7b6fa8c33e3\
    7bdcd47feab11c226a2c5e38d5ad799405d610a69551d60be60a5b";

/// Second capture: message 4/4. (iwd `eapol_key_data_6`)
pub const B_MSG4: &str = "0103005f02030a00000000000000000001000000000000000000000000000000\
    0000000000000000000000000000000000000000000000000000000000000000\
    00000000000000000000000000000000009e57a4c09bafb3375e46d386cf8727\
    530000";

/// Decodes one of the hex constants above.
pub fn bytes(hex_str: &str) -> Vec<u8> {
    hex::decode(hex_str).expect("test vector hex")
}
