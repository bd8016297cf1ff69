//! EAPOL-Key wire format, key derivation, and the 4-way handshake supplicant and authenticator machines.
