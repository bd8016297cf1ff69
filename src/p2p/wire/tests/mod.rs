//! Tests for the P2P wire codecs: known frames from other implementations
//! ([`vectors`]), real wpa_supplicant exchanges captured on mac80211_hwsim
//! ([`harness_capture`]: GO negotiation and group formation; [`wire_capture`]:
//! provision discovery and invitation) and property tests ([`props`]).

mod harness_capture;
pub(crate) mod pcap;
mod props;
mod vectors;
mod wire_capture;

pub(crate) fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("test vector is valid hex")
}
