//! Typed nl80211: command and attribute enums, a codec with no I/O, and an async client.
