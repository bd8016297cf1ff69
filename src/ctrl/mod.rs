//! The wpa_ctrl-compatible control interface: request parsing and reply/event formatting (no I/O), and the Unix datagram server.
