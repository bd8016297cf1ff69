//! Information elements (IEEE Std 802.11-2020, 9.4.2): Element ID (1) | Length (1) |
//! body (0..=255 bytes).

use super::Error;
use super::cursor::Reader;
use super::macros::named_values;
use super::vendor::{self, VendorIe, VendorType};

/// Largest element body.
pub const MAX_ELEMENT_LEN: usize = 255;

/// Longest SSID (9.4.2.2).
pub const MAX_SSID_LEN: usize = 32;

named_values! {
    /// Element ID (9.4.2.1, Table 9-92).
    ElementId(u8) {
        /// SSID.
        SSID = 0,
        /// Supported Rates and BSS Membership Selectors.
        SUPPORTED_RATES = 1,
        /// DSSS Parameter Set (current channel).
        DS_PARAMS = 3,
        /// Traffic Indication Map.
        TIM = 5,
        /// Country.
        COUNTRY = 7,
        /// Request.
        REQUEST = 10,
        /// BSS Load.
        BSS_LOAD = 11,
        /// ERP Information.
        ERP_INFO = 42,
        /// HT Capabilities.
        HT_CAPABILITIES = 45,
        /// RSN.
        RSN = 48,
        /// Extended Supported Rates and BSS Membership Selectors.
        EXT_SUPPORTED_RATES = 50,
        /// HT Operation.
        HT_OPERATION = 61,
        /// Extended Capabilities.
        EXT_CAPABILITIES = 127,
        /// Vendor Specific.
        VENDOR_SPECIFIC = 221,
        /// Element ID Extension.
        EXTENSION = 255,
    }
}

/// One element as found in a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<'a> {
    /// Element ID.
    pub id: ElementId,
    /// Body (without ID and length).
    pub data: &'a [u8],
}

impl<'a> Element<'a> {
    /// The element as a vendor-specific element, if it is one (ID 221, ≥ 3 bytes).
    pub fn vendor(&self) -> Option<VendorIe<'a>> {
        if self.id != ElementId::VENDOR_SPECIFIC {
            return None;
        }
        VendorIe::parse(self.data).ok()
    }

    /// Bytes this element occupies on the air.
    pub fn wire_len(&self) -> usize {
        2 + self.data.len()
    }
}

/// An iterator over the elements of a buffer. It yields `Err` once if the last
/// element overruns the buffer and then stops; it never panics.
#[derive(Debug, Clone)]
pub struct Elements<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Elements<'a> {
    /// Iterates over `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Elements {
            rest: buf,
            failed: false,
        }
    }

    /// Checks the whole buffer is a well-formed element list.
    pub fn validate(buf: &[u8]) -> Result<(), Error> {
        Elements::new(buf).try_for_each(|e| e.map(|_| ()))
    }

    /// The first element with `id` (malformed tails are ignored).
    pub fn find(buf: &'a [u8], id: ElementId) -> Option<Element<'a>> {
        Elements::new(buf)
            .map_while(Result::ok)
            .find(|e| e.id == id)
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = Result<Element<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        let mut r = Reader::new(self.rest, "element");
        let parsed = (|| {
            let id = ElementId(r.u8()?);
            let len = usize::from(r.u8()?);
            let data = r.take(len)?;
            Ok(Element { id, data })
        })();
        match parsed {
            Ok(e) => {
                self.rest = r.rest();
                Some(Ok(e))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// A rate in a (Extended) Supported Rates element: bit 7 = basic rate (or BSS
/// membership selector), bits 0-6 = rate in units of 500 kb/s (9.4.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate(pub u8);

impl Rate {
    /// A rate of `units` × 500 kb/s, marked basic or not.
    pub fn new(units_500kbps: u8, basic: bool) -> Self {
        Rate((units_500kbps & 0x7f) | if basic { 0x80 } else { 0 })
    }

    /// Part of the BSS basic rate set.
    pub fn is_basic(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// Rate in units of 500 kb/s.
    pub fn units_500kbps(self) -> u8 {
        self.0 & 0x7f
    }

    /// Rate in kb/s.
    pub fn kbps(self) -> u32 {
        u32::from(self.units_500kbps()) * 500
    }

    /// The OFDM rates (6..54 Mb/s) P2P uses on every band: P2P devices must not use
    /// 802.11b rates (Wi-Fi P2P spec 2.4.1). None marked basic.
    pub const OFDM: [Rate; 8] = [
        Rate(12),
        Rate(18),
        Rate(24),
        Rate(36),
        Rate(48),
        Rate(72),
        Rate(96),
        Rate(108),
    ];
}

/// TIM element body (9.4.2.5): DTIM Count | DTIM Period | Bitmap Control | Partial
/// Virtual Bitmap (1..251).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tim<'a> {
    /// Beacons until the next DTIM (0 = this one).
    pub dtim_count: u8,
    /// DTIM period in beacons.
    pub dtim_period: u8,
    /// Bitmap Control (bit 0: group traffic buffered).
    pub bitmap_control: u8,
    /// Partial Virtual Bitmap.
    pub bitmap: &'a [u8],
}

/// HT Capabilities element body (9.4.2.56), 26 bytes, kept whole: nl80211 takes the
/// same 26 bytes as `NL80211_ATTR_HT_CAPABILITY` when a GO adds a station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HtCapabilities(pub [u8; HtCapabilities::LEN]);

impl HtCapabilities {
    /// Body length.
    pub const LEN: usize = 26;

    /// The raw 26 bytes (for `NL80211_ATTR_HT_CAPABILITY`).
    pub fn as_bytes(&self) -> &[u8; Self::LEN] {
        &self.0
    }

    /// HT Capability Information (LE u16).
    pub fn cap_info(&self) -> u16 {
        u16::from_le_bytes([self.0[0], self.0[1]])
    }

    /// Supports a 40 MHz channel width (cap info bit 1).
    pub fn supports_40mhz(&self) -> bool {
        self.cap_info() & 0x0002 != 0
    }

    /// Short GI for 20 MHz (cap info bit 5).
    pub fn short_gi_20(&self) -> bool {
        self.cap_info() & 0x0020 != 0
    }

    /// A-MPDU Parameters.
    pub fn ampdu_params(&self) -> u8 {
        self.0[2]
    }

    /// Supported MCS Set (16 bytes: RX MCS bitmask 0..76, highest rate, TX fields).
    pub fn mcs_set(&self) -> [u8; 16] {
        let mut m = [0u8; 16];
        m.copy_from_slice(&self.0[3..19]);
        m
    }

    /// HT Extended Capabilities (LE u16).
    pub fn ext_caps(&self) -> u16 {
        u16::from_le_bytes([self.0[19], self.0[20]])
    }

    /// Transmit Beamforming Capabilities (LE u32).
    pub fn txbf_caps(&self) -> u32 {
        u32::from_le_bytes([self.0[21], self.0[22], self.0[23], self.0[24]])
    }

    /// ASEL Capabilities.
    pub fn asel_caps(&self) -> u8 {
        self.0[25]
    }
}

/// A typed view of one element. Elements this code does not interpret, and those it
/// passes through (RSN is parsed by `eapol`), keep their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ie<'a> {
    /// SSID (0..=32 bytes, not necessarily UTF-8).
    Ssid(&'a [u8]),
    /// Supported Rates (1..=8 rates).
    SupportedRates(&'a [u8]),
    /// Extended Supported Rates.
    ExtSupportedRates(&'a [u8]),
    /// DSSS Parameter Set: the current channel.
    DsParams(u8),
    /// TIM.
    Tim(Tim<'a>),
    /// RSN element body, passed through (the `eapol` module parses it).
    Rsn(&'a [u8]),
    /// HT Capabilities.
    HtCapabilities(HtCapabilities),
    /// HT Operation body (primary channel first), passed through.
    HtOperation(&'a [u8]),
    /// Extended Capabilities bit field (octet 0 holds bits 0-7).
    ExtCapabilities(&'a [u8]),
    /// Vendor Specific.
    Vendor(VendorIe<'a>),
    /// Anything else.
    Other(Element<'a>),
}

impl<'a> Ie<'a> {
    /// Interprets an element; a body of the wrong size for its ID is an error.
    pub fn parse(e: Element<'a>) -> Result<Self, Error> {
        let d = e.data;
        Ok(match e.id {
            ElementId::SSID if d.len() > MAX_SSID_LEN => return Err(Error::Malformed("SSID")),
            ElementId::SSID => Ie::Ssid(d),
            ElementId::SUPPORTED_RATES if d.is_empty() => {
                return Err(Error::Malformed("supported rates"));
            }
            ElementId::SUPPORTED_RATES => Ie::SupportedRates(d),
            ElementId::EXT_SUPPORTED_RATES if d.is_empty() => {
                return Err(Error::Malformed("extended supported rates"));
            }
            ElementId::EXT_SUPPORTED_RATES => Ie::ExtSupportedRates(d),
            ElementId::DS_PARAMS => {
                Ie::DsParams(*d.first().ok_or(Error::Truncated("DS parameter set"))?)
            }
            ElementId::TIM => {
                let mut r = Reader::new(d, "TIM");
                let (dtim_count, dtim_period, bitmap_control) = (r.u8()?, r.u8()?, r.u8()?);
                Ie::Tim(Tim {
                    dtim_count,
                    dtim_period,
                    bitmap_control,
                    bitmap: r.rest(),
                })
            }
            ElementId::RSN => Ie::Rsn(d),
            ElementId::HT_CAPABILITIES => {
                Ie::HtCapabilities(HtCapabilities(Reader::new(d, "HT capabilities").array()?))
            }
            ElementId::HT_OPERATION if d.len() < 22 => {
                return Err(Error::Truncated("HT operation"));
            }
            ElementId::HT_OPERATION => Ie::HtOperation(d),
            ElementId::EXT_CAPABILITIES => Ie::ExtCapabilities(d),
            ElementId::VENDOR_SPECIFIC => Ie::Vendor(VendorIe::parse(d)?),
            _ => Ie::Other(e),
        })
    }

    /// Iterates over `buf`, interpreting each element.
    pub fn iter(buf: &'a [u8]) -> impl Iterator<Item = Result<Ie<'a>, Error>> + 'a {
        Elements::new(buf).map(|e| e.and_then(Ie::parse))
    }
}

/// Rates of a Supported Rates / Extended Supported Rates body.
pub fn rates(body: &[u8]) -> impl Iterator<Item = Rate> + '_ {
    body.iter().map(|&b| Rate(b))
}

/// All rates a station announces: Supported Rates followed by Extended Supported
/// Rates, as a GO hands them to the kernel for a new station (malformed tails of the
/// element list are ignored).
pub fn supported_rates(ies: &[u8]) -> Vec<Rate> {
    let mut out = Vec::new();
    for id in [ElementId::SUPPORTED_RATES, ElementId::EXT_SUPPORTED_RATES] {
        if let Some(e) = Elements::find(ies, id) {
            out.extend(rates(e.data));
        }
    }
    out
}

/// Builds an element list into a vector; each call checks its length limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IeWriter {
    buf: Vec<u8>,
}

impl IeWriter {
    /// An empty list.
    pub fn new() -> Self {
        IeWriter::default()
    }

    /// Appends one element; fails if `data` is longer than 255 bytes.
    pub fn element(&mut self, id: ElementId, data: &[u8]) -> Result<&mut Self, Error> {
        let len = u8::try_from(data.len()).map_err(|_| Error::TooLong("element body"))?;
        self.buf.push(id.0);
        self.buf.push(len);
        self.buf.extend_from_slice(data);
        Ok(self)
    }

    /// SSID (at most 32 bytes).
    pub fn ssid(&mut self, ssid: &[u8]) -> Result<&mut Self, Error> {
        if ssid.len() > MAX_SSID_LEN {
            return Err(Error::TooLong("SSID"));
        }
        self.element(ElementId::SSID, ssid)
    }

    /// Supported Rates with the first 8 rates and, if there are more, Extended
    /// Supported Rates with the rest (9.4.2.3, 9.4.2.13).
    pub fn rates(&mut self, rates: &[Rate]) -> Result<&mut Self, Error> {
        let bytes: Vec<u8> = rates.iter().map(|r| r.0).collect();
        let (first, rest) = bytes.split_at(bytes.len().min(8));
        self.element(ElementId::SUPPORTED_RATES, first)?;
        if !rest.is_empty() {
            self.element(ElementId::EXT_SUPPORTED_RATES, rest)?;
        }
        Ok(self)
    }

    /// DSSS Parameter Set with the current channel.
    pub fn ds_params(&mut self, channel: u8) -> Result<&mut Self, Error> {
        self.element(ElementId::DS_PARAMS, &[channel])
    }

    /// A vendor payload split over as many vendor elements as needed.
    pub fn vendor(&mut self, vt: VendorType, payload: &[u8]) -> &mut Self {
        vendor::push_split(&mut self.buf, vt, payload);
        self
    }

    /// Appends bytes that already form elements (e.g. an RSN element from `eapol`).
    pub fn raw(&mut self, elements: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(elements);
        self
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The finished list.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}
