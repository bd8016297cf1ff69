//! A small reader for the radiotap pcap files the hwsim harness writes
//! (`target/hwtests/<scenario>/air.pcap`): classic little-endian pcap, link type 127
//! (IEEE 802.11 + radiotap). Test-only.

/// One captured 802.11 frame (radiotap header and any FCS removed).
pub(crate) struct Captured<'a> {
    /// Record number in the file, from 0 (as `tcpdump -r` counts them, minus one).
    pub index: usize,
    /// The 802.11 frame.
    pub frame: &'a [u8],
}

fn le16(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Every frame of a radiotap pcap. Panics on a file that is not one (test data).
pub(crate) fn frames(pcap: &[u8]) -> Vec<Captured<'_>> {
    assert_eq!(le32(pcap, 0), 0xa1b2_c3d4, "little-endian microsecond pcap");
    assert_eq!(le32(pcap, 20), 127, "link type IEEE802_11_RADIOTAP");
    let mut out = Vec::new();
    let mut pos = 24;
    while pos + 16 <= pcap.len() {
        let incl = le32(pcap, pos + 8) as usize;
        let rec = &pcap[pos + 16..pos + 16 + incl];
        pos += 16 + incl;
        let rt_len = le16(rec, 2);
        let present = le32(rec, 4);
        // Flags (present bit 1) follow TSFT (bit 0, 8 bytes at offset 8) when there is
        // no extended presence bitmap; flag 0x10 = the frame ends with an FCS.
        let mut frame = &rec[rt_len..];
        if present & 0x8000_0002 == 0x2 {
            let flags_at = if present & 1 != 0 { 16 } else { 8 };
            if rec[flags_at] & 0x10 != 0 {
                frame = &frame[..frame.len() - 4];
            }
        }
        out.push(Captured {
            index: out.len(),
            frame,
        });
    }
    out
}
