//! Names and name components: wire form, URI form both ways, canonical order.
//!
//! A [`Name`] keeps its wire value (the concatenated component TLVs, without the outer
//! Name TLV) plus the end offset of every component, so prefixes are cheap byte slices
//! that tables can hash directly.

use super::{PacketError, tt};
use crate::tlv::{self, Reader};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A name component (any type 1..=65535) as an owned value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Component {
    pub typ: u64,
    pub value: Vec<u8>,
}

impl Component {
    pub fn generic(value: impl Into<Vec<u8>>) -> Self {
        Component { typ: tt::GENERIC_COMPONENT, value: value.into() }
    }

    /// A component whose value is a NonNegativeInteger (segment, version, ...).
    pub fn number(typ: u64, v: u64) -> Self {
        let mut value = Vec::with_capacity(8);
        tlv::write_nni(&mut value, v);
        Component { typ, value }
    }

    pub fn as_ref(&self) -> ComponentRef<'_> {
        ComponentRef { typ: self.typ, value: &self.value }
    }

    /// The component's TLV encoding.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut out = Vec::new();
        tlv::write_tlv(&mut out, self.typ, &self.value);
        out
    }

    /// Parses one component in URI form (without slashes).
    pub fn from_uri(s: &str) -> Result<Self, PacketError> {
        parse_component(s)
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

/// A borrowed view of a component inside a [`Name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ComponentRef<'a> {
    pub typ: u64,
    pub value: &'a [u8],
}

impl ComponentRef<'_> {
    pub fn to_owned(&self) -> Component {
        Component { typ: self.typ, value: self.value.to_vec() }
    }

    /// The value as a NonNegativeInteger, if it is one.
    pub fn as_number(&self) -> Option<u64> {
        tlv::read_nni(self.value).ok()
    }

    /// Canonical order: type, then length, then octets.
    pub fn canonical_cmp(&self, other: &ComponentRef<'_>) -> Ordering {
        self.typ
            .cmp(&other.typ)
            .then(self.value.len().cmp(&other.value.len()))
            .then_with(|| self.value.cmp(other.value))
    }
}

const CONVENTIONS: [(&str, u64); 5] = [
    ("seg", tt::SEGMENT),
    ("off", tt::BYTE_OFFSET),
    ("v", tt::VERSION),
    ("t", tt::TIMESTAMP),
    ("seq", tt::SEQUENCE_NUM),
];

impl fmt::Display for ComponentRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.typ {
            tt::IMPLICIT_SHA256_DIGEST if self.value.len() == 32 => {
                return write!(f, "sha256digest={}", hex_lower(self.value));
            }
            tt::PARAMETERS_SHA256_DIGEST if self.value.len() == 32 => {
                return write!(f, "params-sha256={}", hex_lower(self.value));
            }
            tt::GENERIC_COMPONENT => {}
            typ => {
                if let Some((alias, _)) = CONVENTIONS.iter().find(|(_, t)| *t == typ)
                    && let Some(n) = self.as_number()
                    && tlv::nni_len(n) == self.value.len()
                {
                    return write!(f, "{alias}={n}");
                }
                write!(f, "{typ}=")?;
            }
        }
        escape(self.value, f)
    }
}

fn hex_lower(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn escape(value: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    // The period rule: a value of only periods (or none) gets three more periods.
    if value.iter().all(|&b| b == b'.') {
        for _ in 0..value.len() + 3 {
            f.write_str(".")?;
        }
        return Ok(());
    }
    for &b in value {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            write!(f, "{}", b as char)?;
        } else {
            write!(f, "%{b:02X}")?;
        }
    }
    Ok(())
}

/// Percent-decodes a component value, then applies the period rule: a value of only
/// periods loses three of them (fewer than three is an error), and an empty string is
/// not a component.
fn unescape(s: &str) -> Result<Vec<u8>, PacketError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(PacketError::Uri("truncated %-escape"))?;
            let hex = std::str::from_utf8(hex).map_err(|_| PacketError::Uri("bad %-escape"))?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| PacketError::Uri("bad %-escape"))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out.iter().all(|&b| b == b'.') {
        if out.len() < 3 {
            return Err(PacketError::Uri("empty component or one of only one or two periods"));
        }
        out.truncate(out.len() - 3);
    }
    Ok(out)
}

/// A decimal number without sign, spaces or leading zeros.
fn parse_decimal(s: &str) -> Option<u64> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if ok { s.parse().ok() } else { None }
}

fn parse_hex32(s: &str) -> Result<Vec<u8>, PacketError> {
    // Checked as bytes: 64 bytes of text need not be 64 characters, and a slice of the
    // string at an odd byte could split a multi-byte character (a fuzz finding).
    if s.len() != 64 {
        return Err(PacketError::Uri("digest must be 64 hex digits"));
    }
    let digit = |b: u8| char::from(b).to_digit(16).ok_or(PacketError::Uri("bad hex digit"));
    s.as_bytes().chunks(2).map(|p| Ok((digit(p[0])? * 16 + digit(p[1])?) as u8)).collect()
}

fn parse_component(s: &str) -> Result<Component, PacketError> {
    if let Some((prefix, rest)) = s.split_once('=') {
        match prefix {
            "sha256digest" => {
                return Ok(Component { typ: tt::IMPLICIT_SHA256_DIGEST, value: parse_hex32(rest)? });
            }
            "params-sha256" => {
                return Ok(Component { typ: tt::PARAMETERS_SHA256_DIGEST, value: parse_hex32(rest)? });
            }
            _ => {}
        }
        if let Some((_, typ)) = CONVENTIONS.iter().find(|(a, _)| *a == prefix) {
            let n = parse_decimal(rest).ok_or(PacketError::Uri("convention value is not a decimal number"))?;
            return Ok(Component::number(*typ, n));
        }
        if let Some(typ) = parse_decimal(prefix) {
            if typ == 0 || typ > 0xFFFF {
                return Err(PacketError::Uri("component type out of range"));
            }
            let value = unescape(rest)?;
            check_digest_len(typ, &value).map_err(|_| PacketError::Uri("digest must be 32 octets"))?;
            return Ok(Component { typ, value });
        }
        return Err(PacketError::Uri("unknown component type prefix"));
    }
    Ok(Component::generic(unescape(s)?))
}

fn check_digest_len(typ: u64, value: &[u8]) -> Result<(), PacketError> {
    if matches!(typ, tt::IMPLICIT_SHA256_DIGEST | tt::PARAMETERS_SHA256_DIGEST) && value.len() != 32 {
        return Err(PacketError::Name("digest component must be 32 octets"));
    }
    Ok(())
}

/// An NDN name.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Name {
    value: Vec<u8>,
    ends: Vec<u32>,
}

impl Name {
    pub fn new() -> Self {
        Name::default()
    }

    /// Decodes the value of a Name TLV (the component TLVs).
    pub fn from_value(value: &[u8]) -> Result<Self, PacketError> {
        let mut ends = Vec::with_capacity(8);
        let mut r = Reader::new(value);
        while !r.is_empty() {
            let e = r.read()?;
            if e.typ > 0xFFFF {
                return Err(PacketError::Name("component type above 65535"));
            }
            check_digest_len(e.typ, e.value)?;
            ends.push(r.position() as u32);
        }
        Ok(Name { value: value.to_vec(), ends })
    }

    /// Decodes a whole Name TLV.
    pub fn decode(wire: &[u8]) -> Result<Self, PacketError> {
        Name::from_value(tlv::expect_single(wire, tt::NAME)?.value)
    }

    /// Appends the Name TLV.
    pub fn encode_to(&self, out: &mut Vec<u8>) {
        tlv::write_tlv(out, tt::NAME, &self.value);
    }

    pub fn to_wire(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.value.len() + 4);
        self.encode_to(&mut out);
        out
    }

    /// The concatenated component TLVs.
    pub fn value(&self) -> &[u8] {
        &self.value
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.ends[i - 1] as usize }
    }

    /// The TLV encoding of component `i`.
    pub fn component_wire(&self, i: usize) -> Option<&[u8]> {
        (i < self.len()).then(|| &self.value[self.start(i)..self.ends[i] as usize])
    }

    /// Component `i` (negative counts from the end is not offered; use `len()`).
    pub fn get(&self, i: usize) -> Option<ComponentRef<'_>> {
        let wire = self.component_wire(i)?;
        let e = tlv::read_single(wire).ok()?;
        Some(ComponentRef { typ: e.typ, value: e.value })
    }

    pub fn last(&self) -> Option<ComponentRef<'_>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn iter(&self) -> impl Iterator<Item = ComponentRef<'_>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The wire value of the first `n` components (n is clamped to `len()`).
    pub fn prefix_value(&self, n: usize) -> &[u8] {
        let n = n.min(self.len());
        &self.value[..self.start(n)]
    }

    /// The first `n` components as a name.
    pub fn prefix(&self, n: usize) -> Name {
        let n = n.min(self.len());
        Name { value: self.prefix_value(n).to_vec(), ends: self.ends[..n].to_vec() }
    }

    /// Whether `prefix` is a prefix of (or equal to) this name.
    pub fn starts_with(&self, prefix: &Name) -> bool {
        // Both are whole component sequences, so an octet prefix is a component prefix.
        self.value.starts_with(&prefix.value)
    }

    pub fn push(&mut self, c: &Component) {
        tlv::write_tlv(&mut self.value, c.typ, &c.value);
        self.ends.push(self.value.len() as u32);
    }

    /// Appends a component given as its TLV wire (checked).
    pub fn push_wire(&mut self, wire: &[u8]) -> Result<(), PacketError> {
        let e = tlv::read_single(wire)?;
        self.push(&Component { typ: e.typ, value: e.value.to_vec() });
        Ok(())
    }

    pub fn push_generic(&mut self, value: &[u8]) {
        tlv::write_tlv(&mut self.value, tt::GENERIC_COMPONENT, value);
        self.ends.push(self.value.len() as u32);
    }

    /// Builder form of [`Name::push`].
    pub fn with(mut self, c: Component) -> Name {
        self.push(&c);
        self
    }

    /// Drops the last component, if any.
    pub fn pop(&mut self) {
        if self.ends.pop().is_some() {
            let end = self.ends.last().copied().unwrap_or(0) as usize;
            self.value.truncate(end);
        }
    }

    /// Canonical order (type, length, octets per component; a prefix sorts first).
    pub fn canonical_cmp(&self, other: &Name) -> Ordering {
        for (a, b) in self.iter().zip(other.iter()) {
            match a.canonical_cmp(&b) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        self.len().cmp(&other.len())
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Self) -> Ordering {
        self.canonical_cmp(other)
    }
}

impl FromStr for Name {
    type Err = PacketError;

    /// Parses the URI form: `/a/b`, `ndn:/a/b`, `/` for the empty name; typed components
    /// as `<type>=<value>`, `sha256digest=<hex>`, `params-sha256=<hex>`, `seg=`/`v=`/...
    fn from_str(s: &str) -> Result<Self, PacketError> {
        let s = s.strip_prefix("ndn:").unwrap_or(s);
        let s = s.strip_prefix("//").map_or(s, |rest| rest.find('/').map_or("", |i| &rest[i..]));
        let s = s.strip_prefix('/').unwrap_or(s);
        let mut name = Name::new();
        let s = s.strip_suffix('/').unwrap_or(s);
        if s.is_empty() {
            return Ok(name);
        }
        for part in s.split('/') {
            name.push(&parse_component(part)?);
        }
        Ok(name)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("/");
        }
        for c in self.iter() {
            write!(f, "/{c}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({self})")
    }
}

/// Shorthand for tests and callers with literal names; panics on an invalid literal.
#[macro_export]
macro_rules! name {
    ($s:expr) => {
        <$crate::packet::Name as ::std::str::FromStr>::from_str($s).expect("valid name literal")
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        s.parse().expect("name")
    }

    #[test]
    fn uri_round_trips_and_escaping() {
        // Escaping and the period rule per NDN Packet Format v0.3 "NDN URI Scheme".
        assert_eq!(n("/local/ndn/prefix").value(), b"\x08\x05local\x08\x03ndn\x08\x06prefix");
        assert_eq!(n("/").len(), 0);
        assert_eq!(n("ndn:/a").to_string(), "/a");
        assert_eq!(n("/a%20b/%2F").get(1).map(|c| c.value.to_vec()), Some(b"/".to_vec()));
        assert_eq!(n("/a%20b").to_string(), "/a%20b");
        assert_eq!(n("/...").get(0).map(|c| c.value.len()), Some(0));
        assert_eq!(n("/....").get(0).map(|c| c.value.to_vec()), Some(b".".to_vec()));
        assert_eq!(Name::new().with(Component::generic(b"".to_vec())).to_string(), "/...");
        assert_eq!(Name::new().with(Component::generic(b"..".to_vec())).to_string(), "/.....");
        assert!("/..".parse::<Name>().is_err());
        assert!("/a//b".parse::<Name>().is_err());
        assert!("/%zz".parse::<Name>().is_err());
        assert_eq!(n("/37=%00").get(0), Some(ComponentRef { typ: 37, value: &[0] }));
        assert_eq!(n("/37=%00").to_string(), "/37=%00");
        assert_eq!(n("/seg=2").value(), &[0x32, 0x01, 0x02]);
        assert_eq!(n("/v=256").to_string(), "/v=256");
        // A non-shortest NonNegativeInteger keeps its octets (found by the fuzzer).
        assert_eq!(n("/50=%00%00%00%00").to_string(), "/50=%00%00%00%00");
        let d = "params-sha256=47756f21fe0ee265149aa2be3c63c538a72378e9b0a58b39c5916367d35bda10";
        assert_eq!(n(&format!("/a/{d}")).to_string(), format!("/a/{d}"));
        assert!("/sha256digest=00".parse::<Name>().is_err());
        // 64 bytes of text but not 64 hex digits: a two-byte character at an odd offset
        // made the digit-pair slicing panic (found by the CI fuzz smoke), and `+` passed
        // as a sign of a digit pair.
        for bad in [format!("a\u{e9}{}", "0".repeat(61)), format!("+f{}", "0".repeat(62))] {
            assert_eq!(bad.len(), 64);
            for conv in ["sha256digest", "params-sha256"] {
                assert!(format!("/{conv}={bad}").parse::<Name>().is_err(), "{conv}={bad}");
            }
        }
        assert!("/0=a".parse::<Name>().is_err());
        assert!("/65536=a".parse::<Name>().is_err());
        assert!("/a=b".parse::<Name>().is_err());
        assert_eq!(Name::new().with(Component::generic(b"a=b".to_vec())).to_string(), "/a%3Db");
    }

    /// Vectors from ndn-cxx `tests/unit/name-component.t.cpp` (Decode/Generic, OtherType,
    /// InvalidType, the sha256 and decimal convention cases, Compare).
    #[test]
    fn ndn_cxx_component_uri_vectors() {
        let c = |s: &str| Component::from_uri(s);
        let w = |s: &str| tlv::read_single(&hex::decode(s).expect("hex")).map(|e| Component { typ: e.typ, value: e.value.to_vec() }).expect("tlv");
        for (wire, uri, others) in [
            ("08076E646E2D637878", "ndn-cxx", &["8=ndn-cxx"][..]),
            ("0800", "...", &["8=...", ".%2E."]),
            ("08012E", "....", &["%2E..%2E"]),
            ("08032E412E", ".A.", &[]),
            ("0807666F6F25626172", "foo%25bar", &["8=foo%25bar"]),
            ("08042D2E5F7E", "-._~", &[]),
            ("0803393D41", "9%3DA", &[]),
            ("09076E646E2D637878", "9=ndn-cxx", &[]),
            ("FDFFFF00", "65535=...", &[]),
            ("FD5765012E", "22373=....", &[]),
            ("32012A", "seg=42", &["50=%2A"]),
            ("3603010203", "54=%01%02%03", &[]),
        ] {
            let comp = w(wire);
            assert_eq!(comp.to_string(), uri, "{wire}");
            for s in std::iter::once(&uri).chain(others) {
                assert_eq!(c(s).as_ref(), Ok(&comp), "{s}");
            }
        }
        assert_eq!(Component::generic(b":/?#[]@".to_vec()).to_string(), "%3A%2F%3F%23%5B%5D%40");
        let digest = "28bad4b5275bd392dbb670c75cf0b66f13f7942b21e80f55c0e86b374753a548";
        let d = c(&format!("sha256digest={digest}")).expect("digest");
        assert_eq!((d.typ, d.to_string()), (1, format!("sha256digest={digest}")));
        assert_eq!(c(&format!("sha256digest={}", digest.to_uppercase())).as_ref(), Ok(&d));
        for bad in [
            "", ".", "..", "3=", "3=.", "3=..", "0=A", "65536=A", "4294967296=A", "-1=A", "+=A", "=A", "0x1=A", "Z=A",
            "09=A", "+9=A", " 9=A", "9 =A", "9.0=A", "9E0=A", "seg=", "seg=foo", "seg=00", "seg=-1", "seg=9.3",
            "seg= 84", "seg=0xAF", "seg=18446744073709551616", "SEG=42", "sha256digest=", "sha256digest=a791806951f25c4d",
            "sha256digest=foo", "SHA256DIGEST=28bad4b5275bd392dbb670c75cf0b66f13f7942b21e80f55c0e86b374753a548",
        ] {
            assert!(c(bad).is_err(), "{bad:?} must be refused");
        }
        // Compare: ndn-cxx's list is in canonical order.
        let ordered: Vec<Component> = [
            "01200000000000000000000000000000000000000000000000000000000000000000",
            "0220FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
            "030144", "030146", "03024141", "0800", "080144", "080146", "08024141", "FD53B20144", "FD53B2024141",
        ]
        .iter()
        .map(|h| w(h))
        .collect();
        for pair in ordered.windows(2) {
            assert_eq!(pair[0].as_ref().canonical_cmp(&pair[1].as_ref()), Ordering::Less, "{pair:?}");
        }
    }

    #[test]
    fn canonical_order() {
        let mut v = [n("/b"), n("/a/b"), n("/aa"), n("/a"), n("/"), n("/9=a")];
        v.sort();
        let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        // Type 8 sorts after type 9? No: 8 < 9, so generic first; shorter values first.
        assert_eq!(s, ["/", "/a", "/a/b", "/b", "/aa", "/9=a"]);
    }

    #[test]
    fn prefixes() {
        let a = n("/a/b/c");
        assert!(a.starts_with(&n("/a/b")) && a.starts_with(&n("/")) && !a.starts_with(&n("/a/bc")));
        assert_eq!(a.prefix(2), n("/a/b"));
        let mut p = a.clone();
        p.pop();
        assert_eq!(p, n("/a/b"));
        assert!(Name::from_value(&[0x08, 0x05, 0x61]).is_err());
        assert!(Name::from_value(&[0x01, 0x01, 0x61]).is_err());
    }
}
