//! The stored persistent groups (issue #13): what the agent remembers of the groups
//! formed with `persistent`, and the control commands over them (`LIST_NETWORKS`,
//! `REMOVE_NETWORK`, `GET_NETWORK`).
//!
//! The driver reads the state file at start ([`Agent::load_store`]) and writes it when
//! asked ([`Output::SaveStore`], atomically). Network ids are stable (a new group gets
//! one past the highest in use; removing one renumbers none; the file carries them
//! across restarts: [`crate::p2p::persistent`]). A state file that could not be read is never overwritten: storing is
//! refused (a warning names the file and why) and the groups formed meanwhile are
//! temporary ones.

use tracing::{info, warn};
use zeroize::Zeroizing;

use super::{Agent, Output};
use crate::ctrl::{MacAddr, Reply};
use crate::p2p::persistent::{Store, StoredGroup, StoredKey, StoredRole};
use crate::p2p::wire::GroupId;

/// How many clients a stored GO group remembers (wpa_supplicant: `P2P_MAX_STORED_CLIENTS`).
pub const MAX_STORED_CLIENTS: usize = 100;

/// The state file's text, secrets included: its `Debug` shows none of it.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreText(pub Zeroizing<String>);

impl std::fmt::Debug for StoreText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoreText({} bytes)", self.0.len())
    }
}

/// The stored groups, and whether they may be written.
#[derive(Debug, Default)]
pub(super) struct Persist {
    pub store: Store,
    /// Why the state file must not be written (it could not be read); `None`: it may.
    pub frozen: Option<String>,
}

impl Agent {
    /// What the driver read from the state file: the stored groups, or why the file
    /// could not be read (then nothing is stored until directd is restarted with a
    /// readable file, and the file is left as it is).
    pub fn load_store(&mut self, loaded: Result<Store, String>) {
        match loaded {
            Ok(store) => {
                info!(groups = store.groups().len(), "stored persistent groups loaded");
                self.persist = Persist { store, frozen: None };
            }
            Err(why) => {
                warn!("{why}: persistent groups will not be stored until it is fixed or removed (it is not overwritten)");
                self.persist = Persist { store: Store::default(), frozen: Some(why) };
            }
        }
    }

    /// The stored groups (for tests and the status).
    pub fn stored_groups(&self) -> &[StoredGroup] {
        self.persist.store.groups()
    }

    /// The stored groups with their network ids.
    pub fn stored_with_ids(&self) -> impl DoubleEndedIterator<Item = (u32, &StoredGroup)> {
        self.persist.store.iter()
    }

    fn save_store(&mut self) {
        let text = self.persist.store.to_text();
        self.out.push_back(Output::SaveStore(StoreText(text)));
    }

    /// Whether a new group may be stored; logs why not.
    pub(super) fn may_store(&self, what: &str) -> bool {
        match &self.persist.frozen {
            Some(why) => {
                warn!("{what}: not stored as a persistent group: {why} (the group is temporary)");
                false
            }
            None => true,
        }
    }

    /// Stores (or updates) a group, matched by its GO device address and SSID; its
    /// network id, or `None` when storing is refused.
    pub(super) fn store_group(&mut self, g: StoredGroup) -> Option<u32> {
        if !self.may_store("group") {
            return None;
        }
        let store = &mut self.persist.store;
        let id = match store.id_of(|x| x.go_dev_addr == g.go_dev_addr && x.ssid == g.ssid) {
            Some(id) => {
                let slot = store.get_mut(id)?;
                let old = std::mem::replace(slot, g);
                // A GO's list of clients outlives a restart of the group.
                if slot.clients.is_empty() {
                    slot.clients = old.clients;
                }
                id
            }
            None => store.insert(g),
        };
        let g = store.get(id)?;
        info!(id, ssid = %String::from_utf8_lossy(&g.ssid), go = %g.go_dev_addr, role = ?g.role, "persistent group stored");
        self.save_store();
        Some(id)
    }

    /// A client (its P2P device address) joined the stored GO group `ssid` of ours:
    /// newest first in its `p2p_client_list`.
    pub(super) fn store_client(&mut self, ssid: &[u8], client: MacAddr) {
        let me = self.dev.addr;
        let Some(id) = self.persist.store.id_of(|g| g.go_dev_addr == me && g.ssid == ssid && g.role == StoredRole::Go) else { return };
        let Some(g) = self.persist.store.get_mut(id) else { return };
        if g.clients.first() == Some(&client) {
            return;
        }
        g.clients.retain(|c| *c != client);
        g.clients.insert(0, client);
        g.clients.truncate(MAX_STORED_CLIENTS);
        info!(%client, "client added to the stored group's p2p_client_list");
        self.save_store();
    }

    /// `peer` answered our invitation into the stored group `group` with status 8
    /// (unknown group: it forgot it), as wpa_supplicant's `wpas_remove_persistent_peer`:
    /// as GO, the peer leaves the group's `p2p_client_list`; as a client, if the peer is
    /// the group's GO, the group is forgotten (it cannot be re-invoked any more).
    pub(super) fn forget_peer_of(&mut self, peer: MacAddr, group: &GroupId) {
        let Some(id) = self.stored_id(group.device_addr, &group.ssid) else { return };
        if self.persist.frozen.is_some() {
            return;
        }
        let Some(g) = self.persist.store.get_mut(id) else { return };
        if g.clients.contains(&peer) {
            g.clients.retain(|c| *c != peer);
            info!(id, %peer, "the peer forgot the group: removed from its p2p_client_list");
        } else if g.role == StoredRole::Client && g.go_dev_addr == peer {
            self.persist.store.remove(id);
            info!(id, go = %peer, "the group's GO forgot it: stored persistent group removed");
        } else {
            return;
        }
        self.save_store();
    }

    /// The stored group with this network id.
    pub(super) fn stored(&self, id: u32) -> Option<&StoredGroup> {
        self.persist.store.get(id)
    }

    /// The network id of the stored group (GO device address, SSID).
    pub(super) fn stored_id(&self, go_dev_addr: MacAddr, ssid: &[u8]) -> Option<u32> {
        self.persist.store.id_of(|g| g.go_dev_addr == go_dev_addr && g.ssid == ssid)
    }

    /// `LIST_NETWORKS`.
    pub(super) fn list_networks(&self) -> Reply {
        Reply::Text(self.persist.store.list_networks())
    }

    /// `REMOVE_NETWORK <id|all>`: FAIL for an unknown id, or when the file may not be
    /// written.
    pub(super) fn remove_network(&mut self, id: Option<u32>) -> Reply {
        if let Some(why) = &self.persist.frozen {
            warn!("REMOVE_NETWORK: {why}; the file is left as it is");
            return Reply::Fail;
        }
        match id {
            None => {
                info!(groups = self.persist.store.groups().len(), "every stored persistent group removed");
                self.persist.store.clear();
            }
            Some(id) => {
                let Some(g) = self.persist.store.remove(id) else {
                    warn!(id, "REMOVE_NETWORK: no such network");
                    return Reply::Fail;
                };
                info!(id, ssid = %String::from_utf8_lossy(&g.ssid), "stored persistent group removed");
            }
        }
        self.save_store();
        Reply::Ok
    }

    /// `GET_NETWORK <id> <field>`: `ssid` (quoted), `bssid`, `mode`, `disabled`,
    /// `p2p_client_list`; the key is not shown (wpa_supplicant answers `*` for it too).
    pub(super) fn get_network(&self, id: u32, field: &str) -> Reply {
        let Some(g) = self.stored(id) else {
            warn!(id, "GET_NETWORK: no such network");
            return Reply::Fail;
        };
        let text = match field {
            "ssid" => format!("\"{}\"", String::from_utf8_lossy(&g.ssid)),
            "bssid" => g.go_dev_addr.to_string(),
            "mode" => (if g.role == StoredRole::Go { "3" } else { "0" }).to_owned(),
            "disabled" => "2".to_owned(),
            "psk" => "*".to_owned(),
            "p2p_client_list" if !g.clients.is_empty() => g.clients.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" "),
            _ => return Reply::Fail,
        };
        Reply::Text(text)
    }
}

/// A group we own, to store.
pub(super) fn go_group(ssid: &[u8], me: MacAddr, passphrase: &str) -> StoredGroup {
    StoredGroup {
        ssid: ssid.to_vec(),
        go_dev_addr: me,
        key: StoredKey::Passphrase(Zeroizing::new(passphrase.to_owned())),
        role: StoredRole::Go,
        clients: Vec::new(),
    }
}
