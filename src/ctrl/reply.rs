//! Replies to requests, formatted as wpa_supplicant sends them.

use std::fmt::{self, Write as _};

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::pin::Pin;
use crate::ieee80211::MacAddr;

/// A reply datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `OK\n`.
    Ok,
    /// `FAIL\n`.
    Fail,
    /// `FAIL-INVALID-PIN\n` (P2P_CONNECT, WPS_PIN with a bad PIN).
    FailInvalidPin,
    /// `FAIL-CHANNEL-UNAVAILABLE\n` (P2P_CONNECT: the requested channel cannot be used now).
    FailChannelUnavailable,
    /// `FAIL-CHANNEL-UNSUPPORTED\n` (P2P_CONNECT: the requested channel is not supported).
    FailChannelUnsupported,
    /// `UNKNOWN COMMAND\n`.
    UnknownCommand,
    /// `PONG\n`.
    Pong,
    /// A PIN, 8 digits without newline: the reply to `P2P_CONNECT <addr> pin` and `WPS_PIN`
    /// (hostap prints it with `%08d`, no newline).
    Pin(Pin),
    /// The group passphrase without newline: the reply to `P2P_GET_PASSPHRASE` on a GO.
    Passphrase(Passphrase),
    /// Any other text, sent as is (STATUS, P2P_PEER, GET, INTERFACES ...).
    Text(String),
}

impl Reply {
    /// The datagram bytes.
    pub fn to_text(&self) -> String {
        match self {
            Reply::Ok => "OK\n".into(),
            Reply::Fail => "FAIL\n".into(),
            Reply::FailInvalidPin => "FAIL-INVALID-PIN\n".into(),
            Reply::FailChannelUnavailable => "FAIL-CHANNEL-UNAVAILABLE\n".into(),
            Reply::FailChannelUnsupported => "FAIL-CHANNEL-UNSUPPORTED\n".into(),
            Reply::UnknownCommand => "UNKNOWN COMMAND\n".into(),
            Reply::Pong => "PONG\n".into(),
            Reply::Pin(p) => p.expose().to_owned(),
            Reply::Passphrase(p) => p.expose().to_owned(),
            Reply::Text(t) => t.clone(),
        }
    }

    /// `key=value\n` lines, the shape of STATUS replies.
    pub fn key_values<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> Reply {
        let mut s = String::new();
        for (k, v) in pairs {
            let _ = writeln!(s, "{k}={v}");
        }
        Reply::Text(s)
    }
}

/// A WPA passphrase (a group's). Secret: `Debug` redacted, zeroized on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Passphrase(String);

impl Passphrase {
    /// Wraps a passphrase.
    pub fn new(p: impl Into<String>) -> Passphrase {
        Passphrase(p.into())
    }

    /// The text, for the wire or a reply only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// A WPS primary/secondary device type, written `<cat>-<OUI as 8 hex digits>-<sub>`
/// (`1-0050F204-1`): the workspace's one device type.
pub use wps::attr::{DeviceType, DeviceTypeError};

/// Makes a peer-supplied device name safe to print between single quotes on one line: any
/// control character becomes `_`, as hostap's `p2p_copy_filter_devname()` does, so a name
/// cannot inject a line or a fake event.
pub fn filter_device_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect()
}

/// What `P2P_PEER <addr>` reports about a peer (first lines of hostap's `p2p_ctrl_peer()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerInfo {
    pub p2p_dev_addr: MacAddr,
    pub pri_dev_type: DeviceType,
    pub device_name: String,
    pub manufacturer: String,
    pub model_name: String,
    pub model_number: String,
    pub serial_number: String,
    pub config_methods: u16,
    pub dev_capab: u8,
    pub group_capab: u8,
    /// Signal level (dBm) of the last frame from the peer.
    pub level: i32,
    /// Further `key=value` lines (hostap adds `age=`, `listen_freq=`, `oper_freq=` ...).
    pub extra: Vec<(String, String)>,
}

impl PeerInfo {
    /// The reply text: `<addr>\npri_dev_type=...\n...level=<n>\n` then `extra` lines.
    pub fn to_reply(&self) -> Reply {
        let mut s = String::new();
        let _ = write!(
            s,
            "{}\npri_dev_type={}\ndevice_name={}\nmanufacturer={}\nmodel_name={}\nmodel_number={}\n\
             serial_number={}\nconfig_methods=0x{:x}\ndev_capab=0x{:x}\ngroup_capab=0x{:x}\nlevel={}\n",
            self.p2p_dev_addr,
            self.pri_dev_type,
            filter_device_name(&self.device_name),
            filter_device_name(&self.manufacturer),
            filter_device_name(&self.model_name),
            filter_device_name(&self.model_number),
            filter_device_name(&self.serial_number),
            self.config_methods,
            self.dev_capab,
            self.group_capab,
            self.level
        );
        for (k, v) in &self.extra {
            let _ = writeln!(s, "{k}={}", filter_device_name(v));
        }
        Reply::Text(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fixed_replies() {
        assert_eq!(Reply::Ok.to_text(), "OK\n");
        assert_eq!(Reply::Fail.to_text(), "FAIL\n");
        assert_eq!(Reply::Pong.to_text(), "PONG\n");
        assert_eq!(Reply::UnknownCommand.to_text(), "UNKNOWN COMMAND\n");
        assert_eq!(Reply::FailInvalidPin.to_text(), "FAIL-INVALID-PIN\n");
        assert_eq!(
            Reply::FailChannelUnavailable.to_text(),
            "FAIL-CHANNEL-UNAVAILABLE\n"
        );
        assert_eq!(
            Reply::Pin(Pin::parse("44490607").unwrap()).to_text(),
            "44490607"
        );
    }

    #[test]
    fn device_type_text() {
        // Bytes 00 01 00 50 F2 04 00 01: category 1 (Computer), WFA OUI, sub-category 1 (PC),
        // printed "1-0050F204-1" in hostap's P2P-DEVICE-FOUND events (README-P2P, Android
        // WifiMonitor.java examples).
        let t = DeviceType::from_bytes([0x00, 0x01, 0x00, 0x50, 0xF2, 0x04, 0x00, 0x01]);
        assert_eq!(t.to_string(), "1-0050F204-1");
        assert_eq!(DeviceType::default().to_string(), "0-00000000-0");
        assert_eq!("1-0050F204-1".parse::<DeviceType>(), Ok(t));
        assert_eq!("1-0050f204-1".parse::<DeviceType>(), Ok(t));
        for bad in [
            "",
            "1-0050F204",
            "1-0050F20-1",
            "1-0050F204-1-2",
            "x-0050F204-1",
            "1-0050F2G4-1",
            "1-+050F204-1",
        ] {
            assert!(bad.parse::<DeviceType>().is_err(), "{bad}");
        }
    }

    #[test]
    fn peer_reply_lines() {
        let info = PeerInfo {
            p2p_dev_addr: "02:00:00:00:01:00".parse().unwrap(),
            pri_dev_type: DeviceType {
                category: 1,
                oui: [0x00, 0x50, 0xf2, 0x04],
                sub_category: 1,
            },
            device_name: "Device B\n<3>P2P-GROUP-STARTED".into(),
            manufacturer: "m".into(),
            model_name: "n".into(),
            model_number: "1".into(),
            serial_number: "".into(),
            config_methods: 0x188,
            dev_capab: 0x25,
            group_capab: 0,
            level: -30,
            extra: vec![("listen_freq".into(), "2412".into())],
        };
        let Reply::Text(t) = info.to_reply() else {
            panic!()
        };
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "02:00:00:00:01:00");
        assert_eq!(lines[1], "pri_dev_type=1-0050F204-1");
        assert_eq!(lines[2], "device_name=Device B_<3>P2P-GROUP-STARTED");
        assert_eq!(lines[7], "config_methods=0x188");
        assert_eq!(lines[8], "dev_capab=0x25");
        assert_eq!(lines[9], "group_capab=0x0");
        assert_eq!(lines[10], "level=-30");
        assert_eq!(lines[11], "listen_freq=2412");
        assert_eq!(lines.len(), 12);
        assert!(t.ends_with('\n'));
    }
}
