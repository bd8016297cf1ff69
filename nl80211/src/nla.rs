//! Netlink attributes (TLVs): a checked reader and a writer, no I/O.
//!
//! Layout (include/uapi/linux/netlink.h, `struct nlattr`): `u16 nla_len` (header + value,
//! without padding), `u16 nla_type`, value, padding to 4 bytes. The two top bits of
//! `nla_type` are flags (`NLA_F_NESTED`, `NLA_F_NET_BYTEORDER`). All integers are in host
//! byte order; this crate targets little-endian Linux hosts and encodes with `to_ne_bytes`.

use crate::error::DecodeError;

/// `NLA_F_NESTED` (netlink.h).
pub const NLA_F_NESTED: u16 = 1 << 15;
/// `NLA_F_NET_BYTEORDER` (netlink.h).
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// `NLA_TYPE_MASK` (netlink.h): the type without its flags.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);
const NLA_HDRLEN: usize = 4;

/// Rounds up to the 4-byte netlink alignment.
pub(crate) fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// Iterates over the attributes in a buffer; each item is `(type without flags, value)`.
/// A malformed header yields one error and ends the iteration.
#[derive(Debug, Clone)]
pub struct NlaIter<'a> {
    buf: &'a [u8],
    failed: bool,
}

/// Reads the attributes in `buf`.
pub fn nlas(buf: &[u8]) -> NlaIter<'_> {
    NlaIter { buf, failed: false }
}

impl<'a> Iterator for NlaIter<'a> {
    type Item = Result<(u16, &'a [u8]), DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let Some(hdr) = self.buf.get(..NLA_HDRLEN) else {
            self.failed = true;
            return Some(Err(DecodeError::Truncated { what: "attribute header" }));
        };
        let len = usize::from(u16::from_ne_bytes([hdr[0], hdr[1]]));
        let kind = u16::from_ne_bytes([hdr[2], hdr[3]]) & NLA_TYPE_MASK;
        if len < NLA_HDRLEN || len > self.buf.len() {
            self.failed = true;
            return Some(Err(DecodeError::BadAttrLength { kind, len }));
        }
        let value = &self.buf[NLA_HDRLEN..len];
        // The last attribute may come without its padding.
        let next = align4(len).min(self.buf.len());
        self.buf = &self.buf[next..];
        Some(Ok((kind, value)))
    }
}

/// Like [`nlas`], but yields the attribute type as sent, flags included.
pub(crate) fn nlas_raw(buf: &[u8]) -> impl Iterator<Item = Result<(u16, &[u8]), DecodeError>> {
    let mut rest = buf;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || rest.is_empty() {
            return None;
        }
        let raw_kind = rest.get(2..4).map(|b| u16::from_ne_bytes([b[0], b[1]]));
        let mut one = NlaIter { buf: rest, failed: false };
        let item = one.next()?;
        rest = one.buf;
        failed = item.is_err();
        Some(item.map(|(_, v)| (raw_kind.unwrap_or(0), v)))
    })
}

/// Builds a sequence of attributes.
#[derive(Debug, Default, Clone)]
pub struct NlaWriter {
    buf: Vec<u8>,
}

impl NlaWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The bytes written so far.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    /// Appends one attribute with a raw value (padding added).
    pub fn put(&mut self, kind: u16, value: &[u8]) {
        let len = NLA_HDRLEN + value.len();
        // A value that does not fit in nla_len cannot be sent; netlink messages are far
        // smaller than 64 KiB in practice, so clamp instead of panicking.
        let len16 = u16::try_from(len).unwrap_or(u16::MAX);
        self.buf.extend_from_slice(&len16.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.buf.extend_from_slice(value);
        self.pad();
    }

    /// A flag attribute (no value).
    pub fn flag(&mut self, kind: u16) {
        self.put(kind, &[]);
    }

    /// A `u8` attribute.
    pub fn u8(&mut self, kind: u16, v: u8) {
        self.put(kind, &[v]);
    }

    /// A `u16` attribute (host order).
    pub fn u16(&mut self, kind: u16, v: u16) {
        self.put(kind, &v.to_ne_bytes());
    }

    /// A `u32` attribute (host order).
    pub fn u32(&mut self, kind: u16, v: u32) {
        self.put(kind, &v.to_ne_bytes());
    }

    /// A `u64` attribute (host order).
    pub fn u64(&mut self, kind: u16, v: u64) {
        self.put(kind, &v.to_ne_bytes());
    }

    /// A NUL-terminated string attribute (`NLA_NUL_STRING`).
    pub fn string(&mut self, kind: u16, s: &str) {
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s.as_bytes());
        v.push(0);
        self.put(kind, &v);
    }

    /// A nested attribute whose content `f` writes, with `NLA_F_NESTED` set as libnl's
    /// `nla_nest_start` does since libnl 3.5 (wpa_supplicant's requests carry it; the
    /// kernel's strict validation wants it for new nested attributes).
    pub fn nested(&mut self, kind: u16, f: impl FnOnce(&mut NlaWriter)) {
        let mut inner = NlaWriter::new();
        f(&mut inner);
        self.put(kind | NLA_F_NESTED, &inner.buf);
    }

    /// A nested attribute without `NLA_F_NESTED`, as the kernel's own nests and
    /// wpa_supplicant's `nla_put_nested` (keys) are sent.
    pub fn nested_noflag(&mut self, kind: u16, f: impl FnOnce(&mut NlaWriter)) {
        let mut inner = NlaWriter::new();
        f(&mut inner);
        self.put(kind, &inner.buf);
    }

    fn pad(&mut self) {
        let padded = align4(self.buf.len());
        self.buf.resize(padded, 0);
    }
}

/// Reads a fixed-size integer value, checking the length.
pub(crate) fn fixed<const N: usize>(kind: u16, v: &[u8]) -> Result<[u8; N], DecodeError> {
    v.try_into()
        .map_err(|_| DecodeError::BadValue { kind, why: "wrong length for an integer" })
}

pub(crate) fn get_u8(kind: u16, v: &[u8]) -> Result<u8, DecodeError> {
    Ok(fixed::<1>(kind, v)?[0])
}
pub(crate) fn get_u16(kind: u16, v: &[u8]) -> Result<u16, DecodeError> {
    Ok(u16::from_ne_bytes(fixed(kind, v)?))
}
pub(crate) fn get_u32(kind: u16, v: &[u8]) -> Result<u32, DecodeError> {
    Ok(u32::from_ne_bytes(fixed(kind, v)?))
}
pub(crate) fn get_i32(kind: u16, v: &[u8]) -> Result<i32, DecodeError> {
    Ok(i32::from_ne_bytes(fixed(kind, v)?))
}
pub(crate) fn get_u64(kind: u16, v: &[u8]) -> Result<u64, DecodeError> {
    Ok(u64::from_ne_bytes(fixed(kind, v)?))
}

/// A string value: up to the first NUL (the kernel sends NUL-terminated strings).
pub(crate) fn get_string(kind: u16, v: &[u8]) -> Result<String, DecodeError> {
    let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
    String::from_utf8(v[..end].to_vec())
        .map_err(|_| DecodeError::BadValue { kind, why: "string is not UTF-8" })
}

pub(crate) fn get_mac(kind: u16, v: &[u8]) -> Result<[u8; 6], DecodeError> {
    fixed::<6>(kind, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_pads_and_reader_reads_back() {
        let mut w = NlaWriter::new();
        w.u8(1, 7);
        w.string(2, "wlan0");
        w.flag(3);
        w.u64(4, 0x0102_0304_0506_0708);
        let bytes = w.finish();
        assert_eq!(bytes.len() % 4, 0);
        // u8: len 5, padded to 8.
        assert_eq!(&bytes[..8], &[5, 0, 1, 0, 7, 0, 0, 0]);
        let items: Vec<_> = nlas(&bytes).collect::<Result<_, _>>().expect("valid");
        assert_eq!(items.len(), 4);
        assert_eq!(items[1], (2, &b"wlan0\0"[..]));
        assert_eq!(items[2], (3, &[][..]));
        assert_eq!(get_u64(4, items[3].1).expect("u64"), 0x0102_0304_0506_0708);
    }

    #[test]
    fn reader_rejects_bad_lengths_without_panicking() {
        // nla_len 2 (< header) and nla_len past the end.
        for bad in [&[2u8, 0, 1, 0][..], &[9, 0, 1, 0, 1, 2, 3, 4][..], &[1, 0][..]] {
            let r: Vec<_> = nlas(bad).collect();
            assert_eq!(r.len(), 1);
            assert!(r[0].is_err(), "{bad:?}");
        }
        // Every prefix of a valid buffer either parses or errors, never panics.
        let mut w = NlaWriter::new();
        w.string(4, "p2p-dev-wlan0");
        w.nested(22, |n| n.u32(1, 2412));
        let bytes = w.finish();
        for i in 0..bytes.len() {
            let _ = nlas(&bytes[..i]).count();
        }
    }

    #[test]
    fn flags_are_masked_from_the_type() {
        let bytes = [8u8, 0, 0x16, 0x80, 1, 2, 3, 4];
        let (kind, v) = nlas(&bytes).next().expect("one").expect("ok");
        assert_eq!(kind, 0x16);
        assert_eq!(v, &[1, 2, 3, 4]);
    }
}
