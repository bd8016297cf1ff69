//! The NDN-over-Wi-Fi-Direct probe protocol core, on the ndn crate.
