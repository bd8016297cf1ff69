//! `P2P_CONNECT <addr> <method> join` for a GO whose group we have not seen (the peer is
//! unknown, or known only as a P2P device): scans of every usable channel for that device,
//! a second apart, until its group shows up (the join then starts as for a GO already
//! found) or [`JOIN_SCAN_ATTEMPTS`] scans saw nothing (`P2P-GROUP-FORMATION-FAILURE`), as
//! wpa_supplicant's join scans do (`P2P_MAX_JOIN_SCAN_ATTEMPTS`). The request is answered
//! at once (`OK`, or the generated PIN). `P2P_STOP_FIND` and `P2P_CANCEL` end the search.
//!
//! `P2P_GROUP_ADD persistent=<id>` of a group we stored as its client searches the same
//! way for its GO running that group (same SSID), then joins with the stored key.

use std::time::{Duration, Instant};

use tracing::{debug, info, warn};

use super::client::JOIN_GROUP_FRESH;
use super::{Agent, Op, OpError, OpReply, Pending, ReplyToken};
use crate::ctrl::{ConnectParams as CtrlConnect, Event, MacAddr, Reply};
use crate::group::client::JoinTarget;
use crate::p2p::peers::GroupSeen;
use crate::p2p::persistent::StoredGroup;

/// Scans before the search gives up (wpa_supplicant: 10).
pub const JOIN_SCAN_ATTEMPTS: u32 = 10;
/// The pause between two scans (wpa_supplicant: 1 s).
pub const JOIN_SCAN_PAUSE: Duration = Duration::from_secs(1);
/// How much older than the scan a result may be and still count as seen by it.
const STALE_SLACK: Duration = Duration::from_millis(100);

/// A running search for a GO to join.
pub(super) struct JoinSearch {
    /// The request, with a generated PIN already turned into the one we display.
    params: CtrlConnect,
    /// Scans finished so far.
    scans: u32,
    /// When the next scan starts (`None` while one runs).
    next_scan: Option<Instant>,
    /// When the running scan was asked for: the kernel's results also list what earlier
    /// scans saw (a group that ended seconds ago among them), and only what this scan
    /// saw counts.
    scan_started: Instant,
    /// `P2P_GROUP_ADD persistent=<id>` of a group we were a client of: the stored group
    /// (its GO is `params.peer`), joined with its key once it runs.
    stored: Option<(u32, StoredGroup)>,
}

impl JoinSearch {
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.next_scan
    }
}

impl Agent {
    /// Starts the search; the reply is for the `P2P_CONNECT` itself.
    pub(super) fn start_join_search(&mut self, now: Instant, mut p: CtrlConnect) -> Reply {
        let reply = match self.settle_join_pin(&mut p) {
            Ok(r) => r,
            Err(r) => return r,
        };
        if let Some(old) = self.p2p.join_search.take() {
            info!(old = %old.params.peer, new = %p.peer, "a new P2P_CONNECT join replaces the search for another GO");
        }
        info!(peer = %p.peer, "P2P_CONNECT join: that peer's group is not known; scanning for it");
        self.stop_find(now);
        self.p2p.join_search = Some(JoinSearch { params: p, scans: 0, next_scan: Some(now), scan_started: now, stored: None });
        self.join_search_timeout(now);
        reply
    }

    /// `P2P_GROUP_ADD persistent=<id>` of a group stored with us as its client: joins it
    /// with the stored key where its GO runs it (wpa_supplicant starts a client of the
    /// group then). A group seen in the last [`JOIN_GROUP_FRESH`] starts at once (the
    /// reply comes when the interface is up); else the GO is searched for as a join's is,
    /// the request answered `OK` at once.
    pub(super) fn start_stored_client(&mut self, now: Instant, token: ReplyToken, id: u32, g: StoredGroup) -> Option<Reply> {
        info!(id, ssid = %String::from_utf8_lossy(&g.ssid), go = %g.go_dev_addr, "P2P_GROUP_ADD persistent=: joining the stored group as its client");
        self.stop_find(now);
        if self.start_stored_join(Some(token), &g, now.checked_sub(JOIN_GROUP_FRESH).unwrap_or(now)) {
            return None;
        }
        if let Some(old) = self.p2p.join_search.take() {
            info!(old = %old.params.peer, "the stored group's search replaces the search for another GO");
        }
        let params = CtrlConnect::pbc(g.go_dev_addr);
        self.p2p.join_search = Some(JoinSearch { params, scans: 0, next_scan: Some(now), scan_started: now, stored: Some((id, g)) });
        self.join_search_timeout(now);
        Some(Reply::Ok)
    }

    /// The group GO `go` runs, as seen at `since` or later.
    fn group_seen_since(&self, go: &MacAddr, since: Instant) -> Option<&GroupSeen> {
        self.peers().find(go).and_then(|p| p.group.as_ref()).filter(|g| g.seen >= since)
    }

    /// Starts the join of stored group `g` if its GO was seen running it at `since` or
    /// later; `false` if not.
    fn start_stored_join(&mut self, token: Option<ReplyToken>, g: &StoredGroup, since: Instant) -> bool {
        let Some(running) = self.group_seen_since(&g.go_dev_addr, since).filter(|r| r.ssid == g.ssid) else { return false };
        let target = JoinTarget { go_dev_addr: g.go_dev_addr, bssid: running.bssid, ssid: g.ssid.clone(), freq: running.freq, rsne: running.rsne.clone() };
        self.join_stored_group(token, target, g.key.clone());
        true
    }

    /// Ends a running search (`P2P_STOP_FIND`, `P2P_CANCEL`); `true` if there was one.
    pub(super) fn stop_join_search(&mut self, why: &str) -> bool {
        match self.p2p.join_search.take() {
            Some(s) => {
                info!(peer = %s.params.peer, scans = s.scans, "{why}: the search for the GO to join stopped");
                true
            }
            None => false,
        }
    }

    /// The next scan, when it is due.
    pub(super) fn join_search_timeout(&mut self, now: Instant) {
        let Some(s) = &mut self.p2p.join_search else { return };
        if s.next_scan.is_none_or(|t| now < t) {
            return;
        }
        s.next_scan = None;
        s.scan_started = now;
        let peer = s.params.peer;
        let freqs = self.p2p.disc.radio_freqs().to_vec();
        let ies = self.p2p.disc.search_ies(Some(peer));
        let req = super::discovery_scan_request(&self.wiphy, freqs, ies);
        debug!(%peer, "scanning for the GO to join");
        self.op(Op::TriggerScan { wdev: self.dev.wdev, req }, Pending::JoinScan);
    }

    /// `true` if the P2P device's scan that ended was the search's.
    pub(super) fn join_scan_done(&mut self, now: Instant, aborted: bool) -> bool {
        match &self.p2p.join_search {
            Some(s) if s.next_scan.is_none() => {}
            _ => return false,
        }
        if aborted {
            self.join_scan_finished(now);
        } else {
            self.op(Op::GetScan { wdev: self.dev.wdev }, Pending::JoinScanResults);
        }
        true
    }

    /// Results of the search's operations.
    pub(super) fn join_search_op_done(&mut self, now: Instant, results: bool, result: Result<OpReply, OpError>) {
        if self.p2p.join_search.is_none() {
            return;
        }
        match (results, result) {
            (false, Ok(_)) => {}
            (false, Err(e)) if e.is_busy() => {
                debug!("the radio is busy; the join scan comes a little later");
                self.join_scan_finished(now);
            }
            (false, Err(e)) => {
                warn!("scanning for the GO to join: {e}");
                self.p2p.join_search = None;
                self.emit(Event::GroupFormationFailure { reason: None });
            }
            (true, Ok(OpReply::ScanResults(results))) => {
                let since = self.p2p.join_search.as_ref().map_or(Duration::ZERO, |s| now.saturating_duration_since(s.scan_started));
                let fresh = results.iter().filter(|b| b.seen_ms_ago.is_none_or(|ms| Duration::from_millis(ms.into()) <= since + STALE_SLACK));
                self.feed_scan_results(now, fresh);
                self.drain_disc(now);
                // Its group as this scan saw it: an older sighting may be of a group that
                // ended (the GO restarted with another SSID).
                let seen_since = self.p2p.join_search.as_ref().map_or(now, |s| s.scan_started.checked_sub(STALE_SLACK).unwrap_or(s.scan_started));
                if let Some(JoinSearch { stored: Some((id, g)), .. }) = &self.p2p.join_search {
                    let (id, g) = (*id, g.clone());
                    if self.start_stored_join(None, &g, seen_since) {
                        info!(id, go = %g.go_dev_addr, "the stored group runs again; joining it");
                        self.p2p.join_search = None;
                    } else {
                        self.join_scan_finished(now);
                    }
                    return;
                }
                let found = self.p2p.join_search.as_ref().is_some_and(|s| self.group_seen_since(&s.params.peer, seen_since).is_some());
                if found && let Some(s) = self.p2p.join_search.take() {
                    info!(peer = %s.params.peer, scans = s.scans + 1, "the GO to join is up");
                    if let Some(r) = self.join_known(now, None, s.params, true) {
                        // The P2P_CONNECT was answered when the search began.
                        if !matches!(r, Reply::Ok | Reply::Pin(_)) {
                            warn!(reply = ?r, "the join of the GO found could not start");
                            self.emit(Event::GroupFormationFailure { reason: None });
                        }
                    }
                } else {
                    self.join_scan_finished(now);
                }
            }
            (true, other) => {
                warn!(?other, "cannot read the join scan's results");
                self.join_scan_finished(now);
            }
        }
    }

    /// One scan is over without the GO: the next one, or the search fails.
    fn join_scan_finished(&mut self, now: Instant) {
        let Some(s) = &mut self.p2p.join_search else { return };
        s.scans += 1;
        if s.scans >= JOIN_SCAN_ATTEMPTS {
            let peer = s.params.peer;
            self.p2p.join_search = None;
            warn!(%peer, scans = JOIN_SCAN_ATTEMPTS, "the GO to join was not found");
            self.emit(Event::GroupFormationFailure { reason: None });
            return;
        }
        s.next_scan = Some(now + JOIN_SCAN_PAUSE);
    }
}
