//! The `STATUS` reply, in the field order of hostap's `wpa_supplicant_ctrl_iface_status()`
//! (checked against wpa_supplicant 2.10 replies captured on hwsim: P2P device, GO and client
//! group interfaces).

use std::fmt::{self, Write as _};
use std::net::Ipv4Addr;

use super::event::ssid_txt;
use super::reply::Reply;
use crate::ieee80211::MacAddr;

/// `wpa_state=` values (hostap `wpa_supplicant_state_txt()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WpaState {
    Disconnected,
    InterfaceDisabled,
    Inactive,
    Scanning,
    Authenticating,
    Associating,
    Associated,
    FourWayHandshake,
    GroupHandshake,
    Completed,
}

impl fmt::Display for WpaState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WpaState::Disconnected => "DISCONNECTED",
            WpaState::InterfaceDisabled => "INTERFACE_DISABLED",
            WpaState::Inactive => "INACTIVE",
            WpaState::Scanning => "SCANNING",
            WpaState::Authenticating => "AUTHENTICATING",
            WpaState::Associating => "ASSOCIATING",
            WpaState::Associated => "ASSOCIATED",
            WpaState::FourWayHandshake => "4WAY_HANDSHAKE",
            WpaState::GroupHandshake => "GROUP_HANDSHAKE",
            WpaState::Completed => "COMPLETED",
        })
    }
}

/// The link part of STATUS on a group interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupLink {
    /// The GO's interface address (our own on the GO).
    pub bssid: MacAddr,
    pub freq: u32,
    pub ssid: Vec<u8>,
    /// Network id (`id=`), 0 for the only network of a group interface.
    pub network_id: i32,
    /// `mode=P2P GO` when true, `mode=station` otherwise.
    pub go: bool,
    /// `wifi_generation=` (a client reports it from the GO's elements: 4 = HT, 5 = VHT ...).
    pub wifi_generation: Option<u8>,
    /// `pairwise_cipher=`, `group_cipher=`, `key_mgmt=`; for P2P groups "CCMP", "CCMP",
    /// "WPA2-PSK".
    pub pairwise_cipher: &'static str,
    pub group_cipher: &'static str,
    pub key_mgmt: &'static str,
}

/// A STATUS reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub link: Option<GroupLink>,
    pub wpa_state: WpaState,
    pub ip_address: Option<Ipv4Addr>,
    /// Written on P2P-capable interfaces; scripts read it.
    pub p2p_device_address: Option<MacAddr>,
    /// The interface's own address.
    pub address: MacAddr,
    /// The WPS UUID.
    pub uuid: Option<[u8; 16]>,
    /// Further `key=value` lines after the UUID (the GO's `num_sta=`, `wps_state=`).
    pub extra: Vec<(&'static str, String)>,
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lowercase (hostap `uuid_bin2str()`).
pub fn uuid_text(u: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, b) in u.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl Status {
    /// The reply text.
    pub fn to_reply(&self) -> Reply {
        let mut s = String::new();
        if let Some(l) = &self.link {
            let _ = write!(
                s,
                "bssid={}\nfreq={}\nssid={}\nid={}\nmode={}\n",
                l.bssid,
                l.freq,
                ssid_txt(&l.ssid),
                l.network_id,
                if l.go { "P2P GO" } else { "station" }
            );
            if let Some(g) = l.wifi_generation {
                let _ = writeln!(s, "wifi_generation={g}");
            }
            let _ = write!(
                s,
                "pairwise_cipher={}\ngroup_cipher={}\nkey_mgmt={}\n",
                l.pairwise_cipher, l.group_cipher, l.key_mgmt
            );
        }
        let _ = writeln!(s, "wpa_state={}", self.wpa_state);
        if let Some(ip) = self.ip_address {
            let _ = writeln!(s, "ip_address={ip}");
        }
        if let Some(a) = self.p2p_device_address {
            let _ = writeln!(s, "p2p_device_address={a}");
        }
        let _ = writeln!(s, "address={}", self.address);
        if let Some(u) = &self.uuid {
            let _ = writeln!(s, "uuid={}", uuid_text(u));
        }
        for (k, v) in &self.extra {
            let _ = writeln!(s, "{k}={v}");
        }
        Reply::Text(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(s: &str) -> MacAddr {
        s.parse().expect("test address")
    }

    fn uuid(s: &str) -> [u8; 16] {
        hex::decode(s.replace('-', ""))
            .expect("hex")
            .try_into()
            .expect("16 bytes")
    }

    // Byte-exact replies of wpa_supplicant 2.10 (src/ctrl/testdata/hwsim-capture.sh).
    #[test]
    fn matches_captured_replies() {
        let r0_uuid = uuid("362db47b-a53a-5191-88fb-5458b986b2e4");
        let dev = Status {
            link: None,
            wpa_state: WpaState::Disconnected,
            ip_address: None,
            p2p_device_address: Some(mac("42:00:00:00:00:00")),
            address: mac("02:00:00:00:00:00"),
            uuid: Some(r0_uuid),
            extra: Vec::new(),
        };
        assert_eq!(
            dev.to_reply().to_text(),
            include_str!("testdata/replies/status-p2pdev-0.txt")
        );
        let link = GroupLink {
            bssid: mac("46:00:00:00:00:00"),
            freq: 5765,
            ssid: b"DIRECT-Eb".to_vec(),
            network_id: 0,
            go: true,
            wifi_generation: None,
            pairwise_cipher: "CCMP",
            group_cipher: "CCMP",
            key_mgmt: "WPA2-PSK",
        };
        let go = Status {
            link: Some(link.clone()),
            wpa_state: WpaState::Completed,
            ip_address: None,
            p2p_device_address: Some(mac("42:00:00:00:00:00")),
            address: mac("46:00:00:00:00:00"),
            uuid: Some(r0_uuid),
            extra: Vec::new(),
        };
        assert_eq!(
            go.to_reply().to_text(),
            include_str!("testdata/replies/status-go.txt")
        );
        let client = Status {
            link: Some(GroupLink {
                go: false,
                wifi_generation: Some(4),
                ..link
            }),
            wpa_state: WpaState::Completed,
            ip_address: None,
            p2p_device_address: Some(mac("42:00:00:00:01:00")),
            address: mac("46:00:00:00:01:00"),
            uuid: Some(uuid("572cf82f-c957-5653-9b16-b5cfb298abf1")),
            extra: Vec::new(),
        };
        assert_eq!(
            client.to_reply().to_text(),
            include_str!("testdata/replies/status-client.txt")
        );
    }

    #[test]
    fn ip_address_goes_after_wpa_state() {
        let s = Status {
            link: None,
            wpa_state: WpaState::Completed,
            ip_address: Some(Ipv4Addr::new(192, 168, 49, 10)),
            p2p_device_address: None,
            address: mac("02:00:00:00:00:00"),
            uuid: None,
            extra: Vec::new(),
        };
        assert_eq!(
            s.to_reply().to_text(),
            "wpa_state=COMPLETED\nip_address=192.168.49.10\naddress=02:00:00:00:00:00\n"
        );
    }
}
