//! Tests for the P2P wire codecs: known frames from other implementations
//! ([`vectors`]), a real wpa_supplicant group formation captured on mac80211_hwsim
//! ([`harness_capture`]) and property tests ([`props`]).

mod harness_capture;
mod pcap;
mod props;
mod vectors;

pub(crate) fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("test vector is valid hex")
}
