//! Wi-Fi P2P: wire (attributes, P2P IE, action frames) and the discovery/provisioning/negotiation machines.
