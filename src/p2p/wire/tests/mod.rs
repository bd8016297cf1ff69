//! Tests for the P2P wire codecs: known frames from other implementations
//! ([`vectors`]) and property tests ([`props`]).

mod props;
mod vectors;

pub(crate) fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("test vector is valid hex")
}
