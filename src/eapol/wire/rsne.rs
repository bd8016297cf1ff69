//! The RSN element (IEEE 802.11-2020 9.4.2.24): element ID 48, version 1,
//! then optional fields that may be cut after any of them: group data cipher
//! suite, pairwise cipher suites, AKM suites, RSN capabilities, PMKIDs, group
//! management cipher suite. Counts and capabilities are little-endian.
//!
//! Message 2 of the 4-way handshake carries the supplicant's RSN element from
//! its (Re)Association Request, message 3 the authenticator's from its
//! Beacon/Probe Response; both sides compare them byte for byte, so callers
//! keep the raw bytes and use this type to build or inspect them.

use thiserror::Error;

/// Element ID of the RSN element.
pub const EID_RSN: u8 = 48;

/// A cipher suite selector (IEEE 802.11-2020 Table 9-149). Unknown selectors survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CipherSuite {
    /// 00-0F-AC:0 use the group cipher suite.
    UseGroup,
    /// 00-0F-AC:1 WEP-40.
    Wep40,
    /// 00-0F-AC:2 TKIP.
    Tkip,
    /// 00-0F-AC:4 CCMP-128.
    Ccmp128,
    /// 00-0F-AC:5 WEP-104.
    Wep104,
    /// 00-0F-AC:6 BIP-CMAC-128.
    BipCmac128,
    /// 00-0F-AC:7 group addressed traffic not allowed.
    GroupNotAllowed,
    /// 00-0F-AC:8 GCMP-128.
    Gcmp128,
    /// 00-0F-AC:9 GCMP-256.
    Gcmp256,
    /// 00-0F-AC:10 CCMP-256.
    Ccmp256,
    /// Any other selector.
    Other([u8; 4]),
}

impl CipherSuite {
    /// The 4-byte selector.
    pub fn selector(self) -> [u8; 4] {
        let t = match self {
            Self::UseGroup => 0,
            Self::Wep40 => 1,
            Self::Tkip => 2,
            Self::Ccmp128 => 4,
            Self::Wep104 => 5,
            Self::BipCmac128 => 6,
            Self::GroupNotAllowed => 7,
            Self::Gcmp128 => 8,
            Self::Gcmp256 => 9,
            Self::Ccmp256 => 10,
            Self::Other(s) => return s,
        };
        [0x00, 0x0f, 0xac, t]
    }

    /// Reads a selector.
    pub fn from_selector(s: [u8; 4]) -> Self {
        if s[..3] != [0x00, 0x0f, 0xac] {
            return Self::Other(s);
        }
        match s[3] {
            0 => Self::UseGroup,
            1 => Self::Wep40,
            2 => Self::Tkip,
            4 => Self::Ccmp128,
            5 => Self::Wep104,
            6 => Self::BipCmac128,
            7 => Self::GroupNotAllowed,
            8 => Self::Gcmp128,
            9 => Self::Gcmp256,
            10 => Self::Ccmp256,
            _ => Self::Other(s),
        }
    }

    /// Temporal key length in bytes, where this crate knows it.
    pub fn key_len(self) -> Option<usize> {
        match self {
            Self::Ccmp128 | Self::Gcmp128 | Self::BipCmac128 => Some(16),
            Self::Tkip | Self::Gcmp256 | Self::Ccmp256 => Some(32),
            Self::Wep40 => Some(5),
            Self::Wep104 => Some(13),
            _ => None,
        }
    }
}

/// An AKM suite selector (IEEE 802.11-2020 Table 9-151). Unknown selectors survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AkmSuite {
    /// 00-0F-AC:1 802.1X with SHA-1.
    Ieee8021x,
    /// 00-0F-AC:2 PSK with SHA-1 (WPA2-Personal).
    Psk,
    /// 00-0F-AC:3 FT over 802.1X.
    FtIeee8021x,
    /// 00-0F-AC:4 FT with PSK.
    FtPsk,
    /// 00-0F-AC:5 802.1X with SHA-256.
    Ieee8021xSha256,
    /// 00-0F-AC:6 PSK with SHA-256.
    PskSha256,
    /// 00-0F-AC:8 SAE.
    Sae,
    /// 00-0F-AC:9 FT over SAE.
    FtSae,
    /// Any other selector.
    Other([u8; 4]),
}

impl AkmSuite {
    /// The 4-byte selector.
    pub fn selector(self) -> [u8; 4] {
        let t = match self {
            Self::Ieee8021x => 1,
            Self::Psk => 2,
            Self::FtIeee8021x => 3,
            Self::FtPsk => 4,
            Self::Ieee8021xSha256 => 5,
            Self::PskSha256 => 6,
            Self::Sae => 8,
            Self::FtSae => 9,
            Self::Other(s) => return s,
        };
        [0x00, 0x0f, 0xac, t]
    }

    /// Reads a selector.
    pub fn from_selector(s: [u8; 4]) -> Self {
        if s[..3] != [0x00, 0x0f, 0xac] {
            return Self::Other(s);
        }
        match s[3] {
            1 => Self::Ieee8021x,
            2 => Self::Psk,
            3 => Self::FtIeee8021x,
            4 => Self::FtPsk,
            5 => Self::Ieee8021xSha256,
            6 => Self::PskSha256,
            8 => Self::Sae,
            9 => Self::FtSae,
            _ => Self::Other(s),
        }
    }
}

/// RSN Capabilities (IEEE 802.11-2020 Figure 9-257), raw bits kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RsnCapabilities(pub u16);

impl RsnCapabilities {
    /// Bit 0: pre-authentication.
    pub const PREAUTH: u16 = 0x0001;
    /// Bit 6: management frame protection required.
    pub const MFPR: u16 = 0x0040;
    /// Bit 7: management frame protection capable.
    pub const MFPC: u16 = 0x0080;
    /// PTKSA replay counter field (bits 2-3): 0 = 1 counter .. 3 = 16 counters.
    pub fn ptksa_replay_counters(self) -> u8 {
        ((self.0 >> 2) & 0x3) as u8
    }
    /// GTKSA replay counter field (bits 4-5).
    pub fn gtksa_replay_counters(self) -> u8 {
        ((self.0 >> 4) & 0x3) as u8
    }
}

/// Why bytes are not an RSN element this crate can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RsnElementError {
    /// Not element 48.
    #[error("element {0} is not an RSN element")]
    NotRsn(u8),
    /// Header or body shorter than announced or than the version field.
    #[error("RSN element truncated")]
    Truncated,
    /// A version other than 1.
    #[error("unsupported RSN version {0}")]
    UnsupportedVersion(u16),
    /// A suite count points past the end of the element.
    #[error("RSN element {field} count {count} runs past the element")]
    BadCount {
        /// Which list.
        field: &'static str,
        /// The count read.
        count: usize,
    },
    /// Bytes left over that belong to no field (a cut field).
    #[error("RSN element has {0} stray trailing bytes")]
    Trailing(usize),
    /// Too many suites or PMKIDs to fit the 255-byte element.
    #[error("RSN element too long to emit")]
    TooLong,
}

/// The RSN element in high-level form. A field that is `None` (or, for the
/// lists, empty with nothing after it) was absent: the element was cut there,
/// and [`to_vec`](Self::to_vec) cuts it at the same place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsnElement {
    /// Group data cipher suite.
    pub group_cipher: Option<CipherSuite>,
    /// Pairwise cipher suites.
    pub pairwise_ciphers: Vec<CipherSuite>,
    /// AKM suites.
    pub akm_suites: Vec<AkmSuite>,
    /// RSN capabilities.
    pub capabilities: Option<RsnCapabilities>,
    /// PMKIDs.
    pub pmkids: Vec<[u8; 16]>,
    /// Group management cipher suite.
    pub group_mgmt_cipher: Option<CipherSuite>,
}

impl RsnElement {
    /// WPA2-Personal with CCMP for both pairwise and group traffic, no
    /// capabilities field: what a P2P GO or client advertises by default.
    pub fn wpa2_psk_ccmp() -> Self {
        Self {
            group_cipher: Some(CipherSuite::Ccmp128),
            pairwise_ciphers: vec![CipherSuite::Ccmp128],
            akm_suites: vec![AkmSuite::Psk],
            capabilities: Some(RsnCapabilities(0)),
            pmkids: Vec::new(),
            group_mgmt_cipher: None,
        }
    }

    /// Parses a whole element, header included.
    pub fn parse(element: &[u8]) -> Result<Self, RsnElementError> {
        let (&id, rest) = element.split_first().ok_or(RsnElementError::Truncated)?;
        if id != EID_RSN {
            return Err(RsnElementError::NotRsn(id));
        }
        let (&len, rest) = rest.split_first().ok_or(RsnElementError::Truncated)?;
        let body = rest
            .get(..usize::from(len))
            .ok_or(RsnElementError::Truncated)?;
        Self::parse_body(body)
    }

    /// Parses the element body (after ID and length).
    pub fn parse_body(body: &[u8]) -> Result<Self, RsnElementError> {
        let mut r = Reader { b: body };
        let version = r.u16().ok_or(RsnElementError::Truncated)?;
        if version != 1 {
            return Err(RsnElementError::UnsupportedVersion(version));
        }
        let mut out = Self {
            group_cipher: None,
            pairwise_ciphers: Vec::new(),
            akm_suites: Vec::new(),
            capabilities: None,
            pmkids: Vec::new(),
            group_mgmt_cipher: None,
        };
        if r.done() {
            return Ok(out);
        }
        out.group_cipher = Some(CipherSuite::from_selector(r.suite()?));
        if r.done() {
            return Ok(out);
        }
        out.pairwise_ciphers = r
            .list("pairwise cipher", 4)?
            .chunks_exact(4)
            .map(|c| CipherSuite::from_selector(sel(c)))
            .collect();
        if r.done() {
            return Ok(out);
        }
        out.akm_suites = r
            .list("AKM", 4)?
            .chunks_exact(4)
            .map(|c| AkmSuite::from_selector(sel(c)))
            .collect();
        if r.done() {
            return Ok(out);
        }
        out.capabilities = Some(RsnCapabilities(
            r.u16().ok_or(RsnElementError::Trailing(r.b.len()))?,
        ));
        if r.done() {
            return Ok(out);
        }
        out.pmkids = r
            .list("PMKID", 16)?
            .chunks_exact(16)
            .map(|c| {
                let mut p = [0u8; 16];
                p.copy_from_slice(c);
                p
            })
            .collect();
        if r.done() {
            return Ok(out);
        }
        out.group_mgmt_cipher = Some(CipherSuite::from_selector(r.suite()?));
        if !r.done() {
            // Newer fields are not read; keeping them would need a raw tail.
            return Err(RsnElementError::Trailing(r.b.len()));
        }
        Ok(out)
    }

    /// Writes the whole element (ID and length included).
    pub fn to_vec(&self) -> Result<Vec<u8>, RsnElementError> {
        let mut b = vec![EID_RSN, 0];
        b.extend_from_slice(&1u16.to_le_bytes());
        // Index of the last present field decides where the element is cut.
        let last = if self.group_mgmt_cipher.is_some() {
            6
        } else if !self.pmkids.is_empty() {
            5
        } else if self.capabilities.is_some() {
            4
        } else if !self.akm_suites.is_empty() {
            3
        } else if !self.pairwise_ciphers.is_empty() {
            2
        } else if self.group_cipher.is_some() {
            1
        } else {
            0
        };
        if last >= 1 {
            b.extend_from_slice(
                &self
                    .group_cipher
                    .unwrap_or(CipherSuite::UseGroup)
                    .selector(),
            );
        }
        if last >= 2 {
            let n =
                u16::try_from(self.pairwise_ciphers.len()).map_err(|_| RsnElementError::TooLong)?;
            b.extend_from_slice(&n.to_le_bytes());
            self.pairwise_ciphers
                .iter()
                .for_each(|c| b.extend_from_slice(&c.selector()));
        }
        if last >= 3 {
            let n = u16::try_from(self.akm_suites.len()).map_err(|_| RsnElementError::TooLong)?;
            b.extend_from_slice(&n.to_le_bytes());
            self.akm_suites
                .iter()
                .for_each(|a| b.extend_from_slice(&a.selector()));
        }
        if last >= 4 {
            b.extend_from_slice(&self.capabilities.unwrap_or_default().0.to_le_bytes());
        }
        if last >= 5 {
            let n = u16::try_from(self.pmkids.len()).map_err(|_| RsnElementError::TooLong)?;
            b.extend_from_slice(&n.to_le_bytes());
            self.pmkids.iter().for_each(|p| b.extend_from_slice(p));
        }
        if let (true, Some(g)) = (last >= 6, self.group_mgmt_cipher) {
            b.extend_from_slice(&g.selector());
        }
        b[1] = u8::try_from(b.len() - 2).map_err(|_| RsnElementError::TooLong)?;
        Ok(b)
    }
}

fn sel(c: &[u8]) -> [u8; 4] {
    [c[0], c[1], c[2], c[3]]
}

struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.b.is_empty()
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.b.len() < n {
            return None;
        }
        let (h, t) = self.b.split_at(n);
        self.b = t;
        Some(h)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    fn suite(&mut self) -> Result<[u8; 4], RsnElementError> {
        let left = self.b.len();
        self.take(4).map(sel).ok_or(RsnElementError::Trailing(left))
    }
    fn list(&mut self, field: &'static str, size: usize) -> Result<&'a [u8], RsnElementError> {
        let left = self.b.len();
        let count = usize::from(self.u16().ok_or(RsnElementError::Trailing(left))?);
        self.take(count * size)
            .ok_or(RsnElementError::BadCount { field, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostapd_rsne_without_capabilities() {
        // Source: iwd unit/test-eapol.c `ap_rsne` and the key data of
        // `eapol_key_data_8`: the RSN element hostapd advertised in the capture.
        let bytes = [
            0x30, 0x12, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
            0x01, 0x00, 0x00, 0x0f, 0xac, 0x02,
        ];
        let e = RsnElement::parse(&bytes).expect("valid");
        assert_eq!(e.group_cipher, Some(CipherSuite::Ccmp128));
        assert_eq!(e.pairwise_ciphers, vec![CipherSuite::Ccmp128]);
        assert_eq!(e.akm_suites, vec![AkmSuite::Psk]);
        assert_eq!(e.capabilities, None);
        assert_eq!(e.to_vec().expect("fits"), bytes);
    }

    #[test]
    fn wpa_supplicant_rsne_with_capabilities() {
        // Source: iwd unit/test-eapol.c `eapol_key_data_4` key data: the RSN
        // element a station sent in message 2 (capabilities 0x0000).
        let bytes = [
            0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
            0x01, 0x00, 0x00, 0x0f, 0xac, 0x02, 0x00, 0x00,
        ];
        let e = RsnElement::parse(&bytes).expect("valid");
        assert_eq!(e, RsnElement::wpa2_psk_ccmp());
        assert_eq!(e.to_vec().expect("fits"), bytes);
    }

    #[test]
    fn full_element_round_trip() {
        let e = RsnElement {
            group_cipher: Some(CipherSuite::Tkip),
            pairwise_ciphers: vec![CipherSuite::Ccmp128, CipherSuite::Other([1, 2, 3, 4])],
            akm_suites: vec![AkmSuite::Sae, AkmSuite::Psk],
            capabilities: Some(RsnCapabilities(RsnCapabilities::MFPC | 0x000c)),
            pmkids: vec![[7; 16]],
            group_mgmt_cipher: Some(CipherSuite::BipCmac128),
        };
        let b = e.to_vec().expect("fits");
        assert_eq!(b[1] as usize, b.len() - 2);
        let back = RsnElement::parse(&b).expect("valid");
        assert_eq!(back, e);
        assert_eq!(
            back.capabilities.map(|c| c.ptksa_replay_counters()),
            Some(3)
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            RsnElement::parse(&[0xdd, 2, 1, 0]),
            Err(RsnElementError::NotRsn(0xdd))
        );
        assert_eq!(
            RsnElement::parse(&[0x30, 4, 1, 0]),
            Err(RsnElementError::Truncated)
        );
        assert_eq!(
            RsnElement::parse(&[0x30, 2, 2, 0]),
            Err(RsnElementError::UnsupportedVersion(2))
        );
        assert_eq!(
            RsnElement::parse(&[0x30, 8, 1, 0, 0, 0x0f, 0xac, 4, 5, 0]),
            Err(RsnElementError::BadCount {
                field: "pairwise cipher",
                count: 5
            })
        );
        assert_eq!(
            RsnElement::parse(&[0x30, 4, 1, 0, 0, 0x0f]),
            Err(RsnElementError::Trailing(2))
        );
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..80)) {
            let _ = RsnElement::parse(&bytes);
        }
    }
}
