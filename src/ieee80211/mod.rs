//! IEEE 802.11 management frames and information elements: wire only.
