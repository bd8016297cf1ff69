//! Stored persistent groups: the text format of the state file and `LIST_NETWORKS`.
//! Pure (no I/O): the driver reads and writes the file (`driver::state`), the agent
//! decides what is stored (`agent::persist`).
//!
//! The file holds one `network={ ... }` block per group, as wpa_supplicant stores them
//! (`wpas_p2p_store_persistent_group`, `p2p-flows.md` section 3): `ssid="..."`,
//! `bssid=<GO P2P device address>`, `psk="<passphrase>"` or `psk=<64 hex>`,
//! `proto=RSN`, `key_mgmt=WPA-PSK`, `pairwise=CCMP`, `mode=3` (we were GO) or `mode=0`
//! (client; wpa_supplicant leaves the line out, its default), `disabled=2`, and for a GO
//! `p2p_client_list=<addr> ...` (newest first); wpa_supplicant 2.10 also writes
//! `auth_alg=OPEN` and `mesh_fwding=1`, read and not kept (tests/data/wpas-persistent).
//! Lines starting with `#` and blank lines are ignored; anything else unknown is an error
//! naming its line (a corrupt file is reported, never silently rewritten).
//!
//! Network ids are stable, as wpa_supplicant's are while it runs: a new group gets one
//! past the highest id in use, and removing a group renumbers none of the others. So
//! that they also survive a restart, each block carries its id on a line
//! `#directd:id=<n>`: a comment to wpa_supplicant (which rejects unknown network fields,
//! and numbers blocks by position when it reads a file), so the file stays one that
//! wpa_supplicant reads. Blocks without that line (files written before it existed, or
//! by wpa_supplicant) get ids after the highest one read, in file order: a file with
//! no ids at all keeps the positions it was listed with before.

use std::fmt;

use zeroize::Zeroizing;

use crate::ieee80211::MacAddr;

/// Our role in a stored group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredRole {
    /// We were its GO (`mode=3`).
    Go,
    /// We were a client (`mode=0`).
    Client,
}

/// The group's key: a passphrase (8..63 characters) or a 32-byte PSK.
#[derive(Clone, PartialEq, Eq)]
pub enum StoredKey {
    /// `psk="..."`.
    Passphrase(Zeroizing<String>),
    /// `psk=<64 hex digits>`.
    Psk(Zeroizing<[u8; 32]>),
}

impl fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoredKey::Passphrase(_) => f.write_str("Passphrase([redacted])"),
            StoredKey::Psk(_) => f.write_str("Psk([redacted])"),
        }
    }
}

/// One stored persistent group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGroup {
    pub ssid: Vec<u8>,
    /// The GO's P2P device address.
    pub go_dev_addr: MacAddr,
    pub key: StoredKey,
    pub role: StoredRole,
    /// As GO: the clients' P2P device addresses, newest first.
    pub clients: Vec<MacAddr>,
}

/// Why a state file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {what}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    pub what: String,
}

/// The line in a block that carries its network id.
const ID_LINE: &str = "#directd:id=";

/// The stored groups, in the file's order, with their network ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Store {
    groups: Vec<StoredGroup>,
    /// The network id of each group (same order; no two equal).
    ids: Vec<u32>,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// `"text"` (printable ASCII without quotes) or hex, as wpa_supplicant writes an SSID.
fn ssid_field(ssid: &[u8]) -> String {
    if ssid.iter().all(|b| (0x20..0x7f).contains(b) && *b != b'"') {
        format!("\"{}\"", String::from_utf8_lossy(ssid))
    } else {
        hex(ssid)
    }
}

fn parse_ssid(v: &str) -> Option<Vec<u8>> {
    if let Some(q) = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        return (!q.is_empty() && q.len() <= 32).then(|| q.as_bytes().to_vec());
    }
    if v.is_empty() || !v.len().is_multiple_of(2) || v.len() > 64 {
        return None;
    }
    (0..v.len() / 2)
        .map(|i| u8::from_str_radix(v.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

#[derive(Default)]
struct Partial {
    start: usize,
    id: Option<u32>,
    ssid: Option<Vec<u8>>,
    bssid: Option<MacAddr>,
    key: Option<StoredKey>,
    mode: Option<StoredRole>,
    disabled2: bool,
    clients: Vec<MacAddr>,
}

impl Store {
    /// The groups with network ids 0, 1, ... in this order.
    pub fn from_groups(groups: Vec<StoredGroup>) -> Store {
        let ids = (0..groups.len()).filter_map(|i| u32::try_from(i).ok()).collect();
        Store { groups, ids }
    }

    /// The groups, in the file's (and `LIST_NETWORKS`') order.
    pub fn groups(&self) -> &[StoredGroup] {
        &self.groups
    }

    /// The groups with their network ids.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (u32, &StoredGroup)> {
        self.ids.iter().copied().zip(self.groups.iter())
    }

    /// The group with this network id.
    pub fn get(&self, id: u32) -> Option<&StoredGroup> {
        self.groups.get(self.ids.iter().position(|x| *x == id)?)
    }

    /// The group with this network id, to change.
    pub fn get_mut(&mut self, id: u32) -> Option<&mut StoredGroup> {
        self.groups.get_mut(self.ids.iter().position(|x| *x == id)?)
    }

    /// The network id of the first group `f` accepts.
    pub fn id_of(&self, f: impl Fn(&StoredGroup) -> bool) -> Option<u32> {
        self.iter().find(|(_, g)| f(g)).map(|(id, _)| id)
    }

    /// The id a new group gets: one past the highest in use (wpa_supplicant's
    /// `wpa_config_add_network`), 0 in an empty store.
    fn next_id(&self) -> u32 {
        self.ids.iter().max().map_or(0, |m| m.saturating_add(1))
    }

    /// Adds a group at the end; its network id.
    pub fn insert(&mut self, g: StoredGroup) -> u32 {
        let id = self.next_id();
        self.groups.push(g);
        self.ids.push(id);
        id
    }

    /// Removes the group with this network id; the others keep theirs.
    pub fn remove(&mut self, id: u32) -> Option<StoredGroup> {
        let i = self.ids.iter().position(|x| *x == id)?;
        self.ids.remove(i);
        Some(self.groups.remove(i))
    }

    /// Removes every group (the next one gets id 0).
    pub fn clear(&mut self) {
        self.groups.clear();
        self.ids.clear();
    }

    /// Reads a state file's text.
    pub fn parse(text: &str) -> Result<Store, ParseError> {
        let mut groups = Vec::new();
        let mut ids: Vec<Option<u32>> = Vec::new();
        let mut cur: Option<Partial> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |what: &str| ParseError { line, what: what.to_owned() };
            let l = raw.trim();
            if let (Some(p), Some(v)) = (cur.as_mut(), l.strip_prefix(ID_LINE)) {
                let id: u32 = v.parse().map_err(|_| err("bad network id"))?;
                if ids.contains(&Some(id)) || p.id.is_some() {
                    return Err(err("network id used twice"));
                }
                p.id = Some(id);
                continue;
            }
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let Some(p) = cur.as_mut() else {
                if l == "network={" {
                    cur = Some(Partial { start: line, ..Default::default() });
                    continue;
                }
                return Err(err("expected `network={`"));
            };
            if l == "}" {
                let p = cur.take().unwrap_or_default();
                let at = |what: &str| ParseError { line: p.start, what: what.to_owned() };
                if !p.disabled2 {
                    return Err(at("not a persistent group (no disabled=2)"));
                }
                ids.push(p.id);
                groups.push(StoredGroup {
                    ssid: p.ssid.ok_or_else(|| at("no ssid"))?,
                    go_dev_addr: p.bssid.ok_or_else(|| at("no bssid"))?,
                    key: p.key.ok_or_else(|| at("no psk"))?,
                    // wpa_supplicant writes no `mode=` line for its default, 0 (client).
                    role: p.mode.unwrap_or(StoredRole::Client),
                    clients: p.clients,
                });
                continue;
            }
            let (k, v) = l.split_once('=').ok_or_else(|| err("expected key=value"))?;
            match k {
                "ssid" => p.ssid = Some(parse_ssid(v).ok_or_else(|| err("bad ssid"))?),
                "bssid" => p.bssid = Some(v.parse().map_err(|_| err("bad bssid"))?),
                "psk" => {
                    p.key = Some(if let Some(q) = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
                        if !(8..=63).contains(&q.len()) {
                            return Err(err("passphrase must have 8..63 characters"));
                        }
                        StoredKey::Passphrase(Zeroizing::new(q.to_owned()))
                    } else {
                        StoredKey::Psk(Zeroizing::new(unhex32(v).ok_or_else(|| err("bad psk"))?))
                    })
                }
                "mode" => {
                    p.mode = Some(match v {
                        "3" => StoredRole::Go,
                        "0" => StoredRole::Client,
                        _ => return Err(err("mode must be 3 (GO) or 0 (client)")),
                    })
                }
                "disabled" => p.disabled2 = v == "2",
                "p2p_client_list" => {
                    p.clients = v
                        .split_whitespace()
                        .map(|a| a.parse().map_err(|_| err("bad address in p2p_client_list")))
                        .collect::<Result<_, _>>()?
                }
                // What else wpa_supplicant 2.10 writes in these blocks, with its defaults.
                "proto" | "key_mgmt" | "pairwise" | "auth_alg" | "mesh_fwding" => {}
                _ => return Err(err(&format!("unknown key {k}"))),
            }
        }
        if let Some(p) = cur {
            return Err(ParseError { line: p.start, what: "block not closed".into() });
        }
        // Blocks without an id: after the highest one read, in file order.
        let mut next = ids.iter().flatten().max().map_or(0, |m| m.saturating_add(1));
        let ids = ids
            .into_iter()
            .map(|id| {
                id.unwrap_or_else(|| {
                    next = next.saturating_add(1);
                    next - 1
                })
            })
            .collect();
        Ok(Store { groups, ids })
    }

    /// The state file's text (secrets included: the file is mode 0600).
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::from("# directd persistent groups\n"));
        for (id, g) in self.iter() {
            let key = match &g.key {
                StoredKey::Passphrase(p) => format!("\"{}\"", p.as_str()),
                StoredKey::Psk(k) => hex(&k[..]),
            };
            s.push_str(&format!(
                "network={{\n\t{ID_LINE}{id}\n\tssid={}\n\tbssid={}\n\tpsk={key}\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tmode={}\n\tdisabled=2\n",
                ssid_field(&g.ssid),
                g.go_dev_addr,
                if g.role == StoredRole::Go { 3 } else { 0 },
            ));
            if !g.clients.is_empty() {
                let list: Vec<String> = g.clients.iter().map(|a| a.to_string()).collect();
                s.push_str(&format!("\tp2p_client_list={}\n", list.join(" ")));
            }
            s.push_str("}\n");
        }
        s
    }

    /// `LIST_NETWORKS`: wpa_supplicant's header and one line per group.
    pub fn list_networks(&self) -> String {
        let mut s = String::from("network id / ssid / bssid / flags\n");
        for (id, g) in self.iter() {
            s.push_str(&format!(
                "{id}\t{}\t{}\t[DISABLED][P2P-PERSISTENT]\n",
                String::from_utf8_lossy(&g.ssid),
                g.go_dev_addr
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sample() -> Store {
        Store::from_groups(vec![
            StoredGroup {
                ssid: b"DIRECT-xy".to_vec(),
                go_dev_addr: "42:00:00:00:00:00".parse().unwrap(),
                key: StoredKey::Passphrase(Zeroizing::new("abcdefgh12".into())),
                role: StoredRole::Go,
                clients: vec!["42:00:00:00:01:00".parse().unwrap()],
            },
            StoredGroup {
                ssid: vec![b'D', 0xff, b'"'],
                go_dev_addr: "42:00:00:00:02:00".parse().unwrap(),
                key: StoredKey::Psk(Zeroizing::new([0xab; 32])),
                role: StoredRole::Client,
                clients: vec![],
            },
        ])
    }

    #[test]
    fn the_file_round_trips_and_lists_as_wpa_supplicant() {
        let s = sample();
        let text = s.to_text();
        assert!(text.contains("\tssid=\"DIRECT-xy\"\n\tbssid=42:00:00:00:00:00\n\tpsk=\"abcdefgh12\"\n"));
        assert!(text.contains("\tssid=44ff22\n"));
        assert!(text.contains("\tmode=3\n\tdisabled=2\n\tp2p_client_list=42:00:00:00:01:00\n}"));
        assert_eq!(Store::parse(&text).unwrap(), s);
        assert_eq!(
            s.list_networks(),
            "network id / ssid / bssid / flags\n0\tDIRECT-xy\t42:00:00:00:00:00\t[DISABLED][P2P-PERSISTENT]\n\
             1\tD\u{fffd}\"\t42:00:00:00:02:00\t[DISABLED][P2P-PERSISTENT]\n"
        );
        assert!(!format!("{:?}", s).contains("abcdefgh12"), "the passphrase is redacted");
    }

    #[test]
    fn a_corrupt_file_is_an_error_naming_the_line() {
        let good = sample().to_text();
        let cases = [
            (good.replace("mode=3", "mode=7"), 10),
            (good.replace("bssid=42:00:00:00:00:00", "bssid=zz"), 5),
            (good.replace("disabled=2\n\tp2p", "p2p"), 2),
            (good.replace("}\nnetwork={", "network={"), 13),
            (format!("{}network={{\n", &*good), 25),
            ("garbage\n".to_owned(), 1),
            (good.replace("psk=\"abcdefgh12\"", "psk=\"short\""), 6),
        ];
        for (text, line) in cases {
            let e = Store::parse(&text).unwrap_err();
            assert_eq!(e.line, line, "{e} in\n{text}");
        }
        assert_eq!(Store::parse("# nothing\n\n").unwrap(), Store::default());
    }

    #[test]
    fn network_ids_survive_removals_and_the_file() {
        let [a, b] = <[StoredGroup; 2]>::try_from(sample().groups().to_vec()).unwrap();
        let mut s = Store::default();
        assert_eq!((s.insert(a.clone()), s.insert(b.clone()), s.insert(a.clone())), (0, 1, 2));
        // As wpa_supplicant: removing one renumbers none; a new one gets one past the
        // highest in use.
        assert_eq!(s.remove(0), Some(a.clone()));
        assert_eq!(s.remove(0), None);
        assert_eq!(s.iter().map(|(id, _)| id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(s.get(1), Some(&b));
        assert_eq!(s.insert(b.clone()), 3);
        assert!(s.list_networks().starts_with("network id / ssid / bssid / flags\n1\tD"), "{}", s.list_networks());
        let text = s.to_text();
        assert!(text.contains("network={\n\t#directd:id=1\n\tssid="), "{}", &*text);
        assert_eq!(Store::parse(&text).unwrap(), s, "the ids come back from the file");
        s.clear();
        assert_eq!(s.insert(a), 0);
    }

    #[test]
    fn a_file_without_ids_numbers_its_blocks_by_position() {
        // The format before ids were written (and wpa_supplicant's): no `#directd:id=`
        // line, the ids the blocks were listed with (their positions) stay theirs.
        let old = sample().to_text().lines().filter(|l| !l.contains(ID_LINE)).collect::<Vec<_>>().join("\n");
        let s = Store::parse(&old).unwrap();
        assert_eq!(s, sample());
        // Mixed: blocks without an id come after the highest one read.
        let mixed = old.replacen("network={", "network={\n\t#directd:id=5", 1);
        assert_eq!(Store::parse(&mixed).unwrap().iter().map(|(id, _)| id).collect::<Vec<_>>(), [5, 6]);
        let mixed = old.replacen("}\nnetwork={", "}\nnetwork={\n\t#directd:id=0", 1);
        assert_eq!(Store::parse(&mixed).unwrap().iter().map(|(id, _)| id).collect::<Vec<_>>(), [1, 0]);
        // An id used twice, or not a number: the file is corrupt.
        let twice = sample().to_text().replace("#directd:id=1", "#directd:id=0");
        assert_eq!(Store::parse(&twice).unwrap_err().what, "network id used twice");
        let bad = sample().to_text().replace("#directd:id=1", "#directd:id=x");
        assert_eq!(Store::parse(&bad).unwrap_err().line, 15);
        // A comment outside a block is only a comment.
        assert_eq!(Store::parse("#directd:id=x\n").unwrap(), Store::default());
    }

    /// The network blocks wpa_supplicant 2.10 itself wrote for a persistent group it
    /// formed, as GO and as client (tests/data/wpas-persistent/README.md says how they were
    /// captured): the group, its key and the GO's client list are read. Its global settings
    /// above the blocks are not state-file lines: a whole wpa_supplicant configuration is
    /// refused, naming its first line, as any other unknown line is.
    #[test]
    fn wpa_supplicants_own_network_blocks_are_read() {
        let blocks = |conf: &str| conf[conf.find("network={").unwrap()..].to_owned();
        let go_conf = include_str!("tests/data/wpas-persistent/go.conf");
        assert_eq!(Store::parse(go_conf).unwrap_err().line, 1);
        let go = Store::parse(&blocks(go_conf)).unwrap();
        let client = Store::parse(&blocks(include_str!("tests/data/wpas-persistent/client.conf"))).unwrap();
        let go_dev: MacAddr = "42:00:00:00:00:00".parse().unwrap();
        let [g] = go.groups() else { panic!("{go:?}") };
        assert_eq!((g.ssid.as_slice(), g.go_dev_addr, g.role), (&b"DIRECT-wE"[..], go_dev, StoredRole::Go));
        assert!(matches!(&g.key, StoredKey::Passphrase(p) if p.as_str() == "T7q5gAiD"));
        assert_eq!(g.clients, vec!["42:00:00:00:01:00".parse::<MacAddr>().unwrap()]);
        let [c] = client.groups() else { panic!("{client:?}") };
        assert_eq!((c.ssid.as_slice(), c.go_dev_addr, c.role), (&b"DIRECT-wE"[..], go_dev, StoredRole::Client));
        let psk = "c55ced979b97f7f289d0a8a49c87b48bb3b4210f4444a250f6b6c1980977ce64";
        assert!(matches!(&c.key, StoredKey::Psk(k) if hex(&k[..]) == psk));
        assert!(c.clients.is_empty());
        // Both listed as wpa_supplicant lists them, with id 0.
        assert_eq!(client.list_networks(), "network id / ssid / bssid / flags\n0\tDIRECT-wE\t42:00:00:00:00:00\t[DISABLED][P2P-PERSISTENT]\n");
    }
}
