//! A small NDN forwarder: TLV codec, packets, FIB/PIT/CS, forwarding, NFD management subset, faces.
