//! The 4-way handshake per station, with us as authenticator (`eapol`), and the address
//! handed out in message 3 when the station asks.

use std::time::Instant;

use super::station::Phase;
use super::{Go, GoEvent, GoOutput, IpPool};
use crate::eapol::wire::IpAllocation;
use crate::eapol::{Authenticator, AuthenticatorConfig, AuthenticatorInput, AuthenticatorOutput};
use crate::ieee80211::MacAddr;

impl<P: IpPool> Go<P> {
    /// Starts the handshake for an RSN station whose association response is out.
    pub(super) fn start_handshake(&mut self, now: Instant, sa: MacAddr, sta_rsne: Vec<u8>) {
        let ip_offer = match self.cfg.ip {
            Some((go_ip, netmask)) => self.pool.allocate(now, sa).map(|ip| IpAllocation { ip, netmask, go_ip }),
            None => None,
        };
        let mut cfg =
            AuthenticatorConfig::new(self.pmk.clone(), self.cfg.bssid, sa, self.own_rsne.clone(), sta_rsne, self.group_key.clone());
        cfg.ip_offer = ip_offer;
        cfg.replay_counter_base = self.carried_counters.remove(&sa).unwrap_or(0);
        let auth = Authenticator::new(cfg, self.rng.as_mut(), now);
        if let Some(p) = self.stations.get_mut(&sa).and_then(|s| s.phase_mut()) {
            *p = Phase::Handshake(Box::new(auth));
        }
        self.pump_authenticator(now, sa);
    }

    pub(super) fn authenticator(&mut self, sa: MacAddr) -> Option<&mut Authenticator> {
        match self.stations.get_mut(&sa)?.phase_mut()? {
            Phase::Handshake(a) | Phase::Connected { auth: a, .. } => Some(a),
            _ => None,
        }
    }

    /// An EAPOL-Key frame from the station.
    pub(super) fn authenticator_input(&mut self, now: Instant, sa: MacAddr, pdu: &[u8]) {
        let Some(a) = self.authenticator(sa) else { return };
        if let Err(dropped) = a.handle_input(now, AuthenticatorInput::Eapol(pdu)) {
            tracing::debug!(%sa, ?dropped, "EAPOL-Key frame dropped by the authenticator");
        }
        self.pump_authenticator(now, sa);
    }

    pub(super) fn authenticator_timeout(&mut self, now: Instant, sa: MacAddr) {
        let Some(a) = self.authenticator(sa) else { return };
        a.handle_timeout(now);
        self.pump_authenticator(now, sa);
    }

    fn pump_authenticator(&mut self, now: Instant, sa: MacAddr) {
        let Some(a) = self.authenticator(sa) else { return };
        let mut failed = None;
        let mut connected = None;
        let mut outs = Vec::new();
        while let Some(o) = a.poll_output() {
            match o {
                AuthenticatorOutput::SendEapol(pdu) => outs.push(GoOutput::SendEapol { dest: sa, pdu }),
                AuthenticatorOutput::InstallPtk { tk } => outs.push(GoOutput::InstallPtk { peer: sa, tk }),
                AuthenticatorOutput::Authorized { ip_allocation } => connected = Some(ip_allocation.map(|a| a.ip)),
                AuthenticatorOutput::GroupKeyDone { .. } => {}
                AuthenticatorOutput::Failed(f) => failed = Some(f),
            }
        }
        for o in outs {
            self.push(o);
        }
        if let Some(ip) = connected
            && let Some(s) = self.stations.get_mut(&sa)
            && let Some(p) = s.phase_mut()
        {
            let (next, newly) = match std::mem::replace(p, Phase::WpsEnded { leave_at: now }) {
                Phase::Handshake(auth) => (Phase::Connected { auth, ip }, true),
                other => (other, false),
            };
            *p = next;
            if newly {
                let p2p_dev_addr = s.p2p_dev_addr();
                tracing::info!(sta = %sa, ?ip, "4-way handshake done: station connected");
                self.push(GoOutput::Authorize { peer: sa });
                self.push(GoOutput::Event(GoEvent::StaConnected { addr: sa, p2p_dev_addr, ip }));
                self.update_beacon();
            }
        }
        if let Some(f) = failed {
            tracing::warn!(sta = %sa, reason = %f, "4-way handshake failed");
            self.remove_station(sa, true, Some(f.reason_code()));
        }
    }
}
