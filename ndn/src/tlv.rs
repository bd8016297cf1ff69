//! NDN TLV: var-number TYPE and LENGTH, NonNegativeInteger, and the critical-element rule.
//!
//! NDN Packet Format v0.3, "TLV Encoding": TLV-TYPE and TLV-LENGTH are var-numbers
//! (1 octet for 0..=252, else 0xFD/0xFE/0xFF followed by 2/4/8 octets, big-endian).
//! Decoders here require the shortest form and never panic on any input.

use thiserror::Error;

/// Why a TLV structure could not be decoded.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TlvError {
    #[error("truncated TLV")]
    Truncated,
    #[error("var-number not in its shortest form")]
    NonMinimal,
    #[error("TLV-TYPE 0 is invalid")]
    ZeroType,
    #[error("TLV-LENGTH {0} exceeds the remaining input")]
    LengthOverflow(u64),
    #[error("NonNegativeInteger of {0} octets (want 1, 2, 4 or 8)")]
    BadNonNegativeInteger(usize),
    #[error("expected element type {want}, got {got}")]
    UnexpectedType { want: u64, got: u64 },
    #[error("unrecognised critical element type {0}")]
    UnknownCritical(u64),
    #[error("missing required element type {0}")]
    Missing(u64),
    #[error("invalid value in element type {0}")]
    InvalidValue(u64),
    #[error("element type {0} is out of order or repeated")]
    OutOfOrder(u64),
    #[error("trailing octets after the element")]
    Trailing,
}

/// The spec's rule for an unrecognised or out-of-order element: types below 32 and
/// odd types are critical (decoding fails); even types >= 32 may be skipped.
pub fn is_critical(typ: u64) -> bool {
    typ < 32 || typ & 1 == 1
}

/// Octets taken by `v` as a var-number.
pub fn var_len(v: u64) -> usize {
    match v {
        0..=252 => 1,
        253..=0xFFFF => 3,
        0x1_0000..=0xFFFF_FFFF => 5,
        _ => 9,
    }
}

/// Appends `v` as a var-number in its shortest form.
pub fn write_var(out: &mut Vec<u8>, v: u64) {
    match v {
        0..=252 => out.push(v as u8),
        253..=0xFFFF => {
            out.push(0xFD);
            out.extend_from_slice(&(v as u16).to_be_bytes());
        }
        0x1_0000..=0xFFFF_FFFF => {
            out.push(0xFE);
            out.extend_from_slice(&(v as u32).to_be_bytes());
        }
        _ => {
            out.push(0xFF);
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
}

/// Reads a var-number at `*pos`, advancing it.
pub fn read_var(buf: &[u8], pos: &mut usize) -> Result<u64, TlvError> {
    let first = *buf.get(*pos).ok_or(TlvError::Truncated)?;
    let (n, min) = match first {
        0..=252 => {
            *pos += 1;
            return Ok(u64::from(first));
        }
        0xFD => (2, 253u64),
        0xFE => (4, 0x1_0000),
        _ => (8, 0x1_0000_0000),
    };
    let start = *pos + 1;
    let bytes = buf.get(start..start + n).ok_or(TlvError::Truncated)?;
    let v = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    if v < min {
        return Err(TlvError::NonMinimal);
    }
    *pos = start + n;
    Ok(v)
}

/// Octets taken by the value of a NonNegativeInteger.
pub fn nni_len(v: u64) -> usize {
    match v {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFFFF_FFFF => 4,
        _ => 8,
    }
}

/// Appends the value octets of a NonNegativeInteger (1, 2, 4 or 8 octets, big-endian).
pub fn write_nni(out: &mut Vec<u8>, v: u64) {
    let bytes = v.to_be_bytes();
    out.extend_from_slice(&bytes[8 - nni_len(v)..]);
}

/// Decodes the value octets of a NonNegativeInteger.
pub fn read_nni(value: &[u8]) -> Result<u64, TlvError> {
    match value.len() {
        1 | 2 | 4 | 8 => Ok(value.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))),
        n => Err(TlvError::BadNonNegativeInteger(n)),
    }
}

/// One decoded element: its type, its value, and its whole encoding (TLV).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<'a> {
    pub typ: u64,
    pub value: &'a [u8],
    pub wire: &'a [u8],
    /// Offset of `wire` inside the buffer given to the [`Reader`].
    pub offset: usize,
}

impl Element<'_> {
    /// The value as a NonNegativeInteger.
    pub fn nni(&self) -> Result<u64, TlvError> {
        read_nni(self.value).map_err(|_| TlvError::InvalidValue(self.typ))
    }
}

/// Walks a sequence of TLV elements.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Offset of the next element.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Decodes the next element.
    pub fn read(&mut self) -> Result<Element<'a>, TlvError> {
        let start = self.pos;
        let mut pos = self.pos;
        let typ = read_var(self.buf, &mut pos)?;
        if typ == 0 {
            return Err(TlvError::ZeroType);
        }
        let len = read_var(self.buf, &mut pos)?;
        let remaining = (self.buf.len() - pos) as u64;
        if len > remaining {
            return Err(TlvError::LengthOverflow(len));
        }
        let end = pos + len as usize;
        self.pos = end;
        Ok(Element { typ, value: &self.buf[pos..end], wire: &self.buf[start..end], offset: start })
    }

    /// Type of the next element without consuming it.
    pub fn peek_type(&self) -> Option<u64> {
        let mut pos = self.pos;
        read_var(self.buf, &mut pos).ok()
    }

    /// Decodes the next element if it has type `typ`.
    pub fn read_if(&mut self, typ: u64) -> Result<Option<Element<'a>>, TlvError> {
        if self.peek_type() == Some(typ) { self.read().map(Some) } else { Ok(None) }
    }
}

/// Decodes exactly one element spanning all of `buf`.
pub fn read_single(buf: &[u8]) -> Result<Element<'_>, TlvError> {
    let mut r = Reader::new(buf);
    let e = r.read()?;
    if !r.is_empty() {
        return Err(TlvError::Trailing);
    }
    Ok(e)
}

/// Decodes exactly one element of type `typ` spanning all of `buf`.
pub fn expect_single(buf: &[u8], typ: u64) -> Result<Element<'_>, TlvError> {
    let e = read_single(buf)?;
    if e.typ != typ {
        return Err(TlvError::UnexpectedType { want: typ, got: e.typ });
    }
    Ok(e)
}

/// For stream transports: the total length of the first complete TLV in `buf`,
/// `Ok(None)` if more octets are needed, or an error if the header is malformed.
pub fn frame_len(buf: &[u8]) -> Result<Option<usize>, TlvError> {
    let mut pos = 0;
    let header = (|| {
        let typ = read_var(buf, &mut pos)?;
        let len = read_var(buf, &mut pos)?;
        Ok::<_, TlvError>((typ, len))
    })();
    match header {
        Err(TlvError::Truncated) => Ok(None),
        Err(e) => Err(e),
        Ok((0, _)) => Err(TlvError::ZeroType),
        Ok((_, len)) => {
            let total = (pos as u64).checked_add(len).ok_or(TlvError::LengthOverflow(len))?;
            let total = usize::try_from(total).map_err(|_| TlvError::LengthOverflow(len))?;
            Ok(if buf.len() >= total { Some(total) } else { None })
        }
    }
}

/// Appends a TLV with the given value.
pub fn write_tlv(out: &mut Vec<u8>, typ: u64, value: &[u8]) {
    write_var(out, typ);
    write_var(out, value.len() as u64);
    out.extend_from_slice(value);
}

/// Appends a TLV whose value is a NonNegativeInteger.
pub fn write_nni_tlv(out: &mut Vec<u8>, typ: u64, v: u64) {
    write_var(out, typ);
    write_var(out, nni_len(v) as u64);
    write_nni(out, v);
}

/// Appends a TLV whose value is produced by `f`, then fixes up the length.
/// The value is built in place, then moved when the length needs more than one octet.
pub fn write_nested(out: &mut Vec<u8>, typ: u64, f: impl FnOnce(&mut Vec<u8>)) {
    write_var(out, typ);
    let len_at = out.len();
    out.push(0);
    let start = out.len();
    f(out);
    let len = out.len() - start;
    let ll = var_len(len as u64);
    if ll == 1 {
        out[len_at] = len as u8;
    } else {
        let mut header = Vec::with_capacity(ll);
        write_var(&mut header, len as u64);
        out.splice(len_at..len_at + 1, header);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Var-number and NonNegativeInteger examples from NDN Packet Format v0.3, "TLV Encoding".
    #[test]
    fn var_numbers_shortest_form() {
        for (v, wire) in [
            (0u64, &[0x00][..]),
            (252, &[0xFC]),
            (253, &[0xFD, 0x00, 0xFD]),
            (0xFFFF, &[0xFD, 0xFF, 0xFF]),
            (0x1_0000, &[0xFE, 0x00, 0x01, 0x00, 0x00]),
            (0x1_0000_0000, &[0xFF, 0, 0, 0, 1, 0, 0, 0, 0]),
        ] {
            let mut out = Vec::new();
            write_var(&mut out, v);
            assert_eq!(out, wire);
            assert_eq!(var_len(v), wire.len());
            let mut pos = 0;
            assert_eq!(read_var(wire, &mut pos), Ok(v));
            assert_eq!(pos, wire.len());
        }
        let mut pos = 0;
        assert_eq!(read_var(&[0xFD, 0x00, 0x10], &mut pos), Err(TlvError::NonMinimal));
        assert_eq!(read_var(&[0xFE, 0x00, 0x00, 0xFF, 0xFF], &mut 0), Err(TlvError::NonMinimal));
        assert_eq!(read_var(&[0xFD, 0x01], &mut 0), Err(TlvError::Truncated));
    }

    #[test]
    fn non_negative_integers() {
        // facts/ndn.md: 0 -> TT 01 00, 256 -> TT 02 01 00, 65536 -> TT 04 00 01 00 00.
        for (v, wire) in [(0u64, &[0x0C, 1, 0][..]), (256, &[0x0C, 2, 1, 0]), (65536, &[0x0C, 4, 0, 1, 0, 0])] {
            let mut out = Vec::new();
            write_nni_tlv(&mut out, 0x0C, v);
            assert_eq!(out, wire);
            assert_eq!(read_single(wire).and_then(|e| e.nni()), Ok(v));
        }
        assert_eq!(read_nni(&[1, 2, 3]), Err(TlvError::BadNonNegativeInteger(3)));
    }

    #[test]
    fn critical_rule() {
        assert!(is_critical(1) && is_critical(31) && is_critical(30) && is_critical(33));
        assert!(!is_critical(32) && !is_critical(510) && !is_critical(0xFC));
    }

    #[test]
    fn framing_and_nesting() {
        assert_eq!(frame_len(&[0x05]), Ok(None));
        assert_eq!(frame_len(&[0x05, 0x02, 0x01]), Ok(None));
        assert_eq!(frame_len(&[0x05, 0x02, 0x01, 0x02, 0x09]), Ok(Some(4)));
        assert_eq!(frame_len(&[0x00, 0x00]), Err(TlvError::ZeroType));
        let mut out = vec![0xA5];
        write_nested(&mut out, 0x15, |o| o.extend_from_slice(&[7u8; 300]));
        assert_eq!(&out[..5], &[0xA5, 0x15, 0xFD, 0x01, 0x2C]);
        assert_eq!(out.len(), 1 + 4 + 300);
        assert_eq!(Reader::new(&[0x15, 0x05, 0x00]).read(), Err(TlvError::LengthOverflow(5)));
    }
}
