//! A GO's station list: the replies to `STA-FIRST`, `STA-NEXT <addr>` and `STA <addr>`
//! (`wpa_cli all_sta`, `wpa_cli sta <addr>`), in the line order of hostap's
//! `hostapd_ctrl_iface_sta_mib()` with the P2P lines of `p2p_attr_text()`, checked against
//! wpa_supplicant 2.10's replies on hwsim (`testdata/replies/all-sta-go.txt`).
//!
//! Only the lines directd knows are written: the station's address, `flags=`, `aid=`,
//! `capability=`, `listen_interval=`, `supported_rates=`, `timeout_next=`, the P2P lines
//! from the station's P2P IE (`p2p_dev_capab=`, `p2p_group_capab=`,
//! `p2p_primary_device_type=`, `p2p_device_name=`, `p2p_device_addr=`,
//! `p2p_config_methods=`) and `connected_time=`. wpa_supplicant's RSN counters, the
//! kernel's traffic counters and the HT/VHT capability lines are left out. Scripts such as
//! the ConnectCore `p2plink` hook look for `^p2p_device_addr=<peer>$`.

use std::fmt::Write as _;

use super::reply::{DeviceType, Reply};
use crate::ieee80211::MacAddr;

/// The P2P IE of a station's association request, as `p2p_attr_text()` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StaP2p {
    /// The Capability attribute: (device, group) bitmaps.
    pub capab: Option<(u8, u8)>,
    /// From the Device Info attribute (absent: no `p2p_primary_device_type=` line).
    pub pri_dev_type: Option<DeviceType>,
    /// From Device Info; empty without one (the line is written anyway).
    pub device_name: String,
    /// Device Info's P2P device address.
    pub device_addr: Option<MacAddr>,
    /// Device Info's config methods; 0 without one (the line is written anyway).
    pub config_methods: u16,
}

/// One station of a GO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaInfo {
    pub addr: MacAddr,
    /// `flags=`: hostap's `ap_sta_flags_txt()` words in its order, without brackets
    /// (`AUTH`, `ASSOC`, `AUTHORIZED`, `SHORT_PREAMBLE`, `WPS`, ...).
    pub flags: Vec<&'static str>,
    pub aid: u16,
    pub capability: u16,
    pub listen_interval: u16,
    /// As sent in the association request (basic-rate bit kept).
    pub supported_rates: Vec<u8>,
    /// `timeout_next=` (hostap's next inactivity step: `NULLFUNC POLL` for a fresh station).
    pub timeout_next: &'static str,
    pub p2p: Option<StaP2p>,
    /// Seconds since the station associated.
    pub connected_time: Option<u64>,
}

/// A device name as hostap prints it (`p2p_copy_filter_devname()`): control characters
/// become `_`, the name ends at a NUL.
fn filter_name(name: &str) -> String {
    name.chars()
        .take_while(|c| *c != '\0')
        .map(|c| if c.is_ascii_control() { '_' } else { c })
        .collect()
}

impl StaInfo {
    /// The reply text of one station.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{}", self.addr);
        s.push_str("flags=");
        for f in &self.flags {
            let _ = write!(s, "[{f}]");
        }
        let _ = write!(
            s,
            "\naid={}\ncapability=0x{:x}\nlisten_interval={}\nsupported_rates=",
            self.aid, self.capability, self.listen_interval
        );
        let rates: Vec<String> = self
            .supported_rates
            .iter()
            .map(|r| format!("{r:02x}"))
            .collect();
        s.push_str(&rates.join(" "));
        let _ = write!(s, "\ntimeout_next={}\n", self.timeout_next);
        if let Some(p) = &self.p2p {
            if let Some((dev, group)) = p.capab {
                let _ = write!(s, "p2p_dev_capab=0x{dev:x}\np2p_group_capab=0x{group:x}\n");
            }
            if let Some(t) = &p.pri_dev_type {
                let _ = writeln!(s, "p2p_primary_device_type={t}");
            }
            let _ = writeln!(s, "p2p_device_name={}", filter_name(&p.device_name));
            if let Some(a) = p.device_addr {
                let _ = writeln!(s, "p2p_device_addr={a}");
            }
            let _ = writeln!(s, "p2p_config_methods=0x{:x}", p.config_methods);
        }
        if let Some(t) = self.connected_time {
            let _ = writeln!(s, "connected_time={t}");
        }
        s
    }

    pub fn to_reply(&self) -> Reply {
        Reply::Text(self.to_text())
    }
}

/// The reply to `STA-FIRST` / `STA-NEXT <after>` / `STA <addr>` over a GO's stations (in
/// the order `STA-NEXT` walks them), as hostap answers: `STA-FIRST` with no station and
/// `STA-NEXT` of the last one are an empty reply, an address that is not a station `FAIL`.
pub fn sta_reply(stations: &[StaInfo], query: StaQuery) -> Reply {
    let text = |i: Option<&StaInfo>| Reply::Text(i.map(StaInfo::to_text).unwrap_or_default());
    match query {
        StaQuery::First => text(stations.first()),
        StaQuery::Next(after) => match stations.iter().position(|s| s.addr == after) {
            Some(i) => text(stations.get(i + 1)),
            None => Reply::Fail,
        },
        StaQuery::Addr(a) => stations
            .iter()
            .find(|s| s.addr == a)
            .map_or(Reply::Fail, StaInfo::to_reply),
    }
}

/// Which station a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaQuery {
    First,
    Next(MacAddr),
    Addr(MacAddr),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(s: &str) -> MacAddr {
        s.parse().expect("test address")
    }

    fn sta(addr: &str) -> StaInfo {
        StaInfo {
            addr: mac(addr),
            flags: vec!["AUTH", "ASSOC"],
            aid: 2,
            capability: 0x431,
            listen_interval: 10,
            supported_rates: vec![0x82, 0x84, 0x8b, 0x96],
            timeout_next: "NULLFUNC POLL",
            p2p: None,
            connected_time: None,
        }
    }

    #[test]
    fn a_station_without_p2p_ie() {
        assert_eq!(
            sta("02:00:00:00:01:00").to_text(),
            "02:00:00:00:01:00\nflags=[AUTH][ASSOC]\naid=2\ncapability=0x431\nlisten_interval=10\n\
             supported_rates=82 84 8b 96\ntimeout_next=NULLFUNC POLL\n"
        );
    }

    #[test]
    fn p2p_lines_as_p2p_attr_text() {
        // Without Device Info: no type or address line; the name and config methods lines
        // are written anyway (empty, 0x0), as p2p_attr_text() does.
        let mut s = sta("02:00:00:00:01:00");
        s.p2p = Some(StaP2p {
            capab: Some((0x25, 0x0)),
            ..StaP2p::default()
        });
        s.connected_time = Some(7);
        assert!(
            s.to_text().ends_with("timeout_next=NULLFUNC POLL\np2p_dev_capab=0x25\np2p_group_capab=0x0\np2p_device_name=\np2p_config_methods=0x0\nconnected_time=7\n"),
            "{}",
            s.to_text()
        );
        // A name with control characters: `_` for each, cut at a NUL.
        s.p2p = Some(StaP2p {
            device_name: "a\tb\nc\0hidden".into(),
            device_addr: Some(mac("42:00:00:00:01:00")),
            ..StaP2p::default()
        });
        let t = s.to_text();
        assert!(t.contains("\np2p_device_name=a_b_c\np2p_device_addr=42:00:00:00:01:00\np2p_config_methods=0x0\n"), "{t}");
        assert!(!t.contains("p2p_dev_capab"), "{t}");
    }

    #[test]
    fn first_next_and_by_address() {
        let list = [sta("02:00:00:00:01:00"), sta("02:00:00:00:02:00")];
        let (a, b) = (list[0].to_text(), list[1].to_text());
        assert_eq!(sta_reply(&list, StaQuery::First).to_text(), a);
        assert_eq!(sta_reply(&list, StaQuery::Next(list[0].addr)).to_text(), b);
        assert_eq!(sta_reply(&list, StaQuery::Next(list[1].addr)).to_text(), "");
        assert_eq!(
            sta_reply(&list, StaQuery::Next(mac("02:00:00:00:03:00"))),
            Reply::Fail
        );
        assert_eq!(sta_reply(&list, StaQuery::Addr(list[1].addr)).to_text(), b);
        assert_eq!(
            sta_reply(&list, StaQuery::Addr(mac("02:00:00:00:03:00"))),
            Reply::Fail
        );
        assert_eq!(sta_reply(&[], StaQuery::First).to_text(), "");
    }
}
