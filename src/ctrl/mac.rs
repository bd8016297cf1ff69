//! IEEE 802 MAC addresses in the text form the control interface uses.
//!
//! wpa_supplicant writes addresses with `MACSTR` (`%02x:%02x:...`, lowercase) and reads them
//! with `hwaddr_aton()`: exactly six two-digit hex groups separated by `:`, either case.

use std::fmt;
use std::str::FromStr;

/// A 48-bit MAC address (device address, interface address, BSSID).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MacAddr(pub [u8; 6]);

/// Why a string is not a MAC address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid MAC address {0:?} (expected xx:xx:xx:xx:xx:xx)")]
pub struct MacAddrError(pub String);

impl MacAddr {
    /// The all-zero address (`00:00:00:00:00:00`).
    pub const ZERO: MacAddr = MacAddr([0; 6]);
    /// Length of the text form `xx:xx:xx:xx:xx:xx`.
    pub const TEXT_LEN: usize = 17;

    /// The six octets.
    pub fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// Parses the first 17 characters of `s` (hostap's `hwaddr_aton()` reads a prefix too,
    /// e.g. `NEXT-<addr>`); returns the address and the rest of the string.
    pub fn parse_prefix(s: &str) -> Result<(MacAddr, &str), MacAddrError> {
        let head = s
            .get(..Self::TEXT_LEN)
            .ok_or_else(|| MacAddrError(s.to_owned()))?;
        Ok((head.parse()?, &s[Self::TEXT_LEN..]))
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl FromStr for MacAddr {
    type Err = MacAddrError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || MacAddrError(s.to_owned());
        let b = s.as_bytes();
        if b.len() != Self::TEXT_LEN {
            return Err(err());
        }
        let mut out = [0u8; 6];
        for (i, octet) in out.iter_mut().enumerate() {
            let at = i * 3;
            let hi = hex_val(b[at]).ok_or_else(err)?;
            let lo = hex_val(b[at + 1]).ok_or_else(err)?;
            if i < 5 && b[at + 2] != b':' {
                return Err(err());
            }
            *octet = (hi << 4) | lo;
        }
        Ok(MacAddr(out))
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            o[0], o[1], o[2], o[3], o[4], o[5]
        )
    }
}

impl fmt::Debug for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<[u8; 6]> for MacAddr {
    fn from(o: [u8; 6]) -> Self {
        MacAddr(o)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_either_case_and_displays_lowercase() {
        // Address from Android's WifiMonitor.java comment for P2P-DEVICE-FOUND.
        let a: MacAddr = "fa:7b:7a:42:02:13".parse().unwrap();
        assert_eq!(a.0, [0xfa, 0x7b, 0x7a, 0x42, 0x02, 0x13]);
        let b: MacAddr = "FA:7B:7A:42:02:13".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(b.to_string(), "fa:7b:7a:42:02:13");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "fa:7b:7a:42:02",
            "fa:7b:7a:42:02:13:",
            "fa-7b-7a-42-02-13",
            "fa:7b:7a:42:02:1g",
            "fa:7b:7a:42:0213 ",
            "fä:7b:7a:42:02:1",
        ] {
            assert!(bad.parse::<MacAddr>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn prefix_parse_returns_rest() {
        let (a, rest) = MacAddr::parse_prefix("02:00:00:00:01:00 pbc").unwrap();
        assert_eq!(a, MacAddr([2, 0, 0, 0, 1, 0]));
        assert_eq!(rest, " pbc");
        assert!(MacAddr::parse_prefix("02:00").is_err());
        // A multi-byte character straddling the 17-byte boundary is an error, not a panic.
        assert!(MacAddr::parse_prefix("02:00:00:00:01:0é").is_err());
    }
}
