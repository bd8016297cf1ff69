//! Tests for the 802.11 codecs (see the vectors' sources beside them).
