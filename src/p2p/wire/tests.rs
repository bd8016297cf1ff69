//! Tests for the P2P wire codecs.
