//! Device passwords: 8-digit PINs with their check digit, 4-digit PINs, and the PBC
//! password "00000000" (WSC 2.0 section 6.4.1; hostap `wps_pin_checksum`).

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use crate::attr::DevicePasswordId;
use crate::rng::RandomSource;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("a PIN is 4 or 8 decimal digits")]
    BadFormat,
    #[error("8-digit PIN has a wrong check digit")]
    BadChecksum,
}

/// The check digit of a 7-digit PIN body: digits weighted 3,1,3,1... from the right.
pub fn checksum(body: u32) -> u8 {
    let mut pin = body;
    let mut acc = 0u32;
    while pin != 0 {
        acc += 3 * (pin % 10);
        pin /= 10;
        acc += pin % 10;
        pin /= 10;
    }
    ((10 - acc % 10) % 10) as u8
}

/// The 8 ASCII digits of a generated PIN: `random` taken modulo 10^7 as the first seven
/// digits, then the check digit (as hostap's `wps_generate_pin()`). The workspace's one PIN
/// generator: [`Pin::generate`] and the control interface's PIN both come from here.
pub fn pin_digits(random: u32) -> [u8; 8] {
    let seven = random % 10_000_000;
    let mut v = seven * 10 + u32::from(checksum(seven));
    let mut digits = [0u8; 8];
    for d in digits.iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
    digits
}

/// Whether an 8-digit PIN (as a number) carries a valid check digit.
pub fn checksum_valid(pin: u32) -> bool {
    u32::from(checksum(pin / 10)) == pin % 10
}

/// A WPS PIN (4 or 8 ASCII digits). Redacts `Debug`, zeroizes on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(Zeroizing<Vec<u8>>);

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin({} digits, <redacted>)", self.0.len())
    }
}

impl Pin {
    /// Accepts 4 or 8 digits. The check digit of 8-digit PINs is not enforced (like
    /// wpa_supplicant, which accepts any 8 digits typed by a user); see [`Pin::parse_checked`].
    pub fn parse(s: &str) -> Result<Pin, PinError> {
        let b = s.as_bytes();
        if !(b.len() == 4 || b.len() == 8) || !b.iter().all(u8::is_ascii_digit) {
            return Err(PinError::BadFormat);
        }
        Ok(Pin(Zeroizing::new(b.to_vec())))
    }

    /// Like [`Pin::parse`] but an 8-digit PIN must carry a valid check digit.
    pub fn parse_checked(s: &str) -> Result<Pin, PinError> {
        let pin = Pin::parse(s)?;
        if pin.0.len() == 8 && !pin.has_valid_checksum() {
            return Err(PinError::BadChecksum);
        }
        Ok(pin)
    }

    /// A random 8-digit PIN: seven random digits and the check digit.
    pub fn generate(rng: &mut dyn RandomSource) -> Pin {
        let mut b = [0u8; 4];
        rng.fill(&mut b);
        let mut digits = pin_digits(u32::from_be_bytes(b));
        let pin = Pin(Zeroizing::new(digits.to_vec()));
        digits.zeroize();
        pin
    }

    /// The PBC device password.
    pub fn pbc() -> Pin {
        Pin(Zeroizing::new(b"00000000".to_vec()))
    }

    pub fn has_valid_checksum(&self) -> bool {
        self.0.len() == 8 && self.value().is_some_and(checksum_valid)
    }

    fn value(&self) -> Option<u32> {
        std::str::from_utf8(&self.0).ok()?.parse().ok()
    }

    /// The ASCII digits (what the PSK derivation hashes).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The digits as a string, for display to a user.
    pub fn reveal(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// A device password and the Device Password ID announced with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePassword {
    pub pin: Pin,
    pub id: DevicePasswordId,
}

impl DevicePassword {
    /// Push-button configuration: PIN "00000000", Device Password ID 4.
    pub fn pbc() -> Self {
        DevicePassword {
            pin: Pin::pbc(),
            id: DevicePasswordId::PUSH_BUTTON,
        }
    }

    pub fn pin(pin: Pin, id: DevicePasswordId) -> Self {
        DevicePassword { pin, id }
    }

    pub fn is_pbc(&self) -> bool {
        self.id == DevicePasswordId::PUSH_BUTTON
    }
}
