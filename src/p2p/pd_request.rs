//! Provision Discovery, the asking side (Wi-Fi P2P spec 3.2.3; frames 4.2.9.9 and
//! 4.2.9.10): one exchange as a sans-IO machine. [`super::pd`] is the answering side.
//!
//! `P2P_PROV_DISC <addr> <display|keypad|pbc> [join]` sends a Provision Discovery Request
//! to the peer's P2P device address: P2P IE with our P2P Capability and Device Info (and
//! the peer's Group ID for a join), WSC IE with the Config Methods we ask the peer to use
//! (display 0x0008: the peer shows a PIN; keypad 0x0100: the peer types ours; push button
//! 0x0080). It goes on the peer's listen channel (a GO's operating channel for a join) with
//! a 200 ms wait. Retries follow hostap (`p2p_pd.c`, `p2p.c`; `p2p-flows.md` section 1):
//! - no ACK (the peer is not on that channel now): again after 50 ms while we search or
//!   listen, 300 ms when idle;
//! - ACKed: up to 200 ms for the response, then again;
//! - at most [`MAX_TRIES`] requests, all with the same dialog token; then
//!   `P2P-PROV-DISC-FAILURE status=1` (timeout).
//!
//! A response from the peer with our dialog token ends the exchange: the same Config
//! Methods mean accepted (display: we enter the peer's PIN, `P2P-PROV-DISC-ENTER-PIN`;
//! keypad: we show a PIN, `P2P-PROV-DISC-SHOW-PIN`; push button:
//! `P2P-PROV-DISC-PBC-RESP`), other ones mean rejected (`P2P-PROV-DISC-FAILURE status=2`).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::ieee80211::{ActionCategory, ActionRepr, MacAddr, MgmtBody, MgmtRepr};
use crate::p2p::discovery::Identity;
use crate::p2p::wire::{self, GroupId, ProvisionDiscoveryRequest, ProvisionDiscoveryResponse};

/// hostap `MAX_PROV_DISC_REQ_RETRIES` for a user-initiated request.
pub const MAX_TRIES: u32 = 120;
/// How long the radio stays on the channel for the response (hostap: 200 ms).
pub const WAIT: Duration = Duration::from_millis(200);
/// Retry after no ACK while discovery runs (we come back to the peer's channel often).
pub const RETRY_DISCOVERING: Duration = Duration::from_millis(50);
/// Retry after no ACK when idle.
pub const RETRY_IDLE: Duration = Duration::from_millis(300);
/// A TX status not reported by then counts as no ACK.
pub const TX_STATUS_WATCHDOG: Duration = Duration::from_secs(1);

/// What we ask the peer to do (`P2P_PROV_DISC` method word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Asked {
    /// `display`: the peer displays a PIN, we will enter it (Config Methods 0x0008).
    Display,
    /// `keypad`: the peer enters a PIN, we display it (0x0100).
    Keypad,
    /// `pbc`: push button (0x0080).
    Pbc,
}

impl Asked {
    /// The WSC Config Methods value of the request.
    pub fn config_methods(self) -> u16 {
        match self {
            Asked::Display => 0x0008,
            Asked::Keypad => 0x0100,
            Asked::Pbc => 0x0080,
        }
    }
}

/// hostap `enum p2p_prov_disc_status` values we report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdFailure {
    /// No response after every try (status 1).
    Timeout,
    /// The peer answered with other config methods (status 2).
    Rejected,
}

impl PdFailure {
    pub fn status(self) -> i32 {
        match self {
            PdFailure::Timeout => 1,
            PdFailure::Rejected => 2,
        }
    }
}

/// How the exchange ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdOutcome {
    /// Push button accepted (`P2P-PROV-DISC-PBC-RESP <peer>`).
    PbcResp,
    /// The peer displays a PIN; our user enters it (`P2P-PROV-DISC-ENTER-PIN <peer>`).
    EnterPin,
    /// The peer will type a PIN our user must be shown (`P2P-PROV-DISC-SHOW-PIN <peer>
    /// <PIN>`; the caller generates the PIN).
    ShowPin,
    /// `P2P-PROV-DISC-FAILURE p2p_dev_addr=<peer> status=<n>`.
    Failed(PdFailure),
}

/// One request to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdParams {
    /// The peer's P2P device address.
    pub peer: MacAddr,
    pub asked: Asked,
    /// The peer's group, when we want to join it (`join`).
    pub join: Option<GroupId>,
    /// Where to send: the peer's listen frequency, or its group's operating frequency.
    pub freq: u32,
    pub dialog_token: u8,
}

/// Inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdInput<'a> {
    /// TX status of our last request. `discovering`: a find or listen runs (shorter retry).
    TxStatus { ack: bool, discovering: bool },
    /// A Provision Discovery Response (action body, category first) from `sa`.
    Response { sa: MacAddr, action_body: &'a [u8] },
}

/// Outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdOutput {
    /// `NL80211_CMD_FRAME` with this wait; answer with [`PdInput::TxStatus`].
    SendFrame { freq: u32, frame: Vec<u8>, wait: Duration },
    /// The exchange is over; the machine can be dropped.
    Done { peer: MacAddr, outcome: PdOutcome },
}

/// Why a response was not taken (the caller logs it and ignores the frame).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdIgnored {
    #[error("Provision Discovery Response: {0}")]
    Wire(#[from] wire::Error),
    #[error("not from our peer {0}")]
    OtherPeer(MacAddr),
    #[error("dialog token {got}, ours is {ours}")]
    DialogToken { got: u8, ours: u8 },
    #[error("the exchange is over")]
    Finished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waiting {
    /// The TX status of the request sent; counted as no ACK at `deadline`.
    TxStatus { deadline: Instant },
    /// ACKed: the response, until `deadline`.
    Response { deadline: Instant },
    /// Not ACKed: the next try at `at`.
    Retry { at: Instant },
    Done,
}

/// One Provision Discovery exchange we started.
#[derive(Debug)]
pub struct PdRequester {
    params: PdParams,
    frame: Vec<u8>,
    tries: u32,
    waiting: Waiting,
    outputs: VecDeque<PdOutput>,
}

/// The Provision Discovery Request frame (whole management frame: to the peer, from our
/// device address, BSSID = the peer's device address, as hostap sends it).
pub fn request_frame(us: &Identity, p: &PdParams) -> Result<Vec<u8>, wire::Error> {
    let mut wsc = Vec::with_capacity(6);
    wsc.extend_from_slice(&wps::attr::AttrType::CONFIG_METHODS.0.to_be_bytes());
    wsc.extend_from_slice(&2u16.to_be_bytes());
    wsc.extend_from_slice(&p.asked.config_methods().to_be_bytes());
    let body = ProvisionDiscoveryRequest {
        dialog_token: p.dialog_token,
        capability: us.capability(),
        device_info: us.device_info(),
        group_id: p.join.clone(),
        wsc,
        ..Default::default()
    }
    .to_bytes()?;
    let (category, rest) = body.split_first().ok_or(wire::Error::NotP2p)?;
    let action = ActionRepr { category: ActionCategory(*category), body: rest.to_vec() };
    Ok(MgmtRepr::new(p.peer, us.dev_addr, p.peer, MgmtBody::Action(action)).to_vec())
}

/// The WSC Config Methods of a response (0 when absent or malformed: a rejection).
fn response_methods(r: &ProvisionDiscoveryResponse) -> u16 {
    wps::attr::raw_attrs(&r.wsc)
        .map_while(Result::ok)
        .find(|a| a.kind == wps::attr::AttrType::CONFIG_METHODS)
        .and_then(|a| <[u8; 2]>::try_from(a.value).ok())
        .map_or(0, u16::from_be_bytes)
}

impl PdRequester {
    /// Starts the exchange: the first request goes out at once.
    pub fn new(now: Instant, us: &Identity, params: PdParams) -> Result<PdRequester, wire::Error> {
        let frame = request_frame(us, &params)?;
        tracing::info!(peer = %params.peer, freq = params.freq, asked = ?params.asked, join = params.join.is_some(), "provision discovery request");
        let mut m = PdRequester { params, frame, tries: 0, waiting: Waiting::Done, outputs: VecDeque::new() };
        m.send(now);
        Ok(m)
    }

    pub fn peer(&self) -> MacAddr {
        self.params.peer
    }

    pub fn dialog_token(&self) -> u8 {
        self.params.dialog_token
    }

    /// Requests sent so far.
    pub fn tries(&self) -> u32 {
        self.tries
    }

    pub fn is_done(&self) -> bool {
        self.waiting == Waiting::Done
    }

    fn send(&mut self, now: Instant) {
        self.tries += 1;
        tracing::debug!(peer = %self.params.peer, try_ = self.tries, "PD request sent");
        self.waiting = Waiting::TxStatus { deadline: now + TX_STATUS_WATCHDOG };
        self.outputs.push_back(PdOutput::SendFrame { freq: self.params.freq, frame: self.frame.clone(), wait: WAIT });
    }

    fn finish(&mut self, outcome: PdOutcome) {
        tracing::info!(peer = %self.params.peer, ?outcome, tries = self.tries, "provision discovery done");
        self.waiting = Waiting::Done;
        self.outputs.push_back(PdOutput::Done { peer: self.params.peer, outcome });
    }

    /// The next try, or the timeout failure when the tries are used up.
    fn again(&mut self, now: Instant, after: Duration) {
        if self.tries >= MAX_TRIES {
            self.finish(PdOutcome::Failed(PdFailure::Timeout));
        } else if after.is_zero() {
            self.send(now);
        } else {
            self.waiting = Waiting::Retry { at: now + after };
        }
    }

    /// Feeds one input. A response that is not ours is returned as an error (and
    /// changes nothing).
    pub fn handle_input(&mut self, now: Instant, input: PdInput<'_>) -> Result<(), PdIgnored> {
        if self.is_done() {
            return Err(PdIgnored::Finished);
        }
        match input {
            PdInput::TxStatus { ack, discovering } => {
                if !matches!(self.waiting, Waiting::TxStatus { .. }) {
                    return Ok(());
                }
                if ack {
                    self.waiting = Waiting::Response { deadline: now + WAIT };
                } else {
                    let after = if discovering { RETRY_DISCOVERING } else { RETRY_IDLE };
                    self.again(now, after);
                }
                Ok(())
            }
            PdInput::Response { sa, action_body } => {
                let r = ProvisionDiscoveryResponse::parse_bytes(action_body)?;
                if sa != self.params.peer {
                    return Err(PdIgnored::OtherPeer(sa));
                }
                if r.dialog_token != self.params.dialog_token {
                    return Err(PdIgnored::DialogToken { got: r.dialog_token, ours: self.params.dialog_token });
                }
                // The response may overtake our TX status: it counts all the same.
                let got = response_methods(&r);
                let outcome = if got != self.params.asked.config_methods() {
                    tracing::info!(peer = %sa, got, asked = self.params.asked.config_methods(), "peer rejected our provision discovery");
                    PdOutcome::Failed(PdFailure::Rejected)
                } else {
                    match self.params.asked {
                        Asked::Display => PdOutcome::EnterPin,
                        Asked::Keypad => PdOutcome::ShowPin,
                        Asked::Pbc => PdOutcome::PbcResp,
                    }
                };
                self.finish(outcome);
                Ok(())
            }
        }
    }

    /// Acts on the timer due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.waiting {
            Waiting::TxStatus { deadline } if now >= deadline => {
                tracing::debug!("no TX status for the PD request; counting it as not acknowledged");
                self.again(now, RETRY_IDLE);
            }
            Waiting::Response { deadline } if now >= deadline => self.again(now, Duration::ZERO),
            Waiting::Retry { at } if now >= at => self.send(now),
            _ => {}
        }
    }

    pub fn poll_output(&mut self) -> Option<PdOutput> {
        self.outputs.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.waiting {
            Waiting::TxStatus { deadline } | Waiting::Response { deadline } => Some(deadline),
            Waiting::Retry { at } => Some(at),
            Waiting::Done => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ieee80211::MgmtRepr;
    use crate::p2p::wire::DeviceCapability;

    fn mac(s: &str) -> MacAddr {
        s.parse().expect("mac")
    }

    /// wpa_supplicant `wpas-N` as the captures show it (device capability 0x25).
    fn wpas(n: u8) -> Identity {
        Identity {
            dev_capab: DeviceCapability::from_bits_retain(0x25),
            ..Identity::new(MacAddr([0x42, 0, 0, 0, n, 0]), format!("wpas-{n}"))
        }
    }

    fn go() -> MacAddr {
        mac("42:00:00:00:00:00")
    }

    fn action_body(frame: &[u8]) -> Vec<u8> {
        match MgmtRepr::parse_bytes(frame).expect("frame").body {
            MgmtBody::Action(a) => a.to_bytes(),
            other => panic!("not an action frame: {other:?}"),
        }
    }

    /// The four real exchanges `pd.rs` answers (captures described there): wpas-1 joins
    /// `DIRECT-q6` by PBC (wire-capture records 342/347), wpas-2 joins `DIRECT-Uj` by PBC
    /// (client-join-compare), wpas-1 asks the GO to display (keypad on its side) and
    /// wpas-2 asks it to use its keypad, for `DIRECT-4c`. Request and response action
    /// bodies, as sent by wpa_supplicant.
    const EXCHANGES: [(u8, &str, Asked, &str, &str); 4] = [
        (
            1,
            "DIRECT-q6",
            Asked::Pbc,
            "0409506f9a090701dd39506f9a0902020025000d1b00420000000100018800010050f20400010010110006777061732d310f0f004200000000004449524543542d7136dd0a0050f204100800020080",
            "0409506f9a090801dd0a0050f204100800020080",
        ),
        (
            2,
            "DIRECT-Uj",
            Asked::Pbc,
            "0409506f9a090701dd39506f9a0902020025000d1b00420000000200018800010050f20400010010110006777061732d320f0f004200000000004449524543542d556add0a0050f204100800020080",
            "0409506f9a090801dd0a0050f204100800020080",
        ),
        (
            1,
            "DIRECT-4c",
            Asked::Display,
            "0409506f9a090701dd39506f9a0902020025000d1b00420000000100018800010050f20400010010110006777061732d310f0f004200000000004449524543542d3463dd0a0050f204100800020008",
            "0409506f9a090801dd0a0050f204100800020008",
        ),
        (
            2,
            "DIRECT-4c",
            Asked::Keypad,
            "0409506f9a090701dd39506f9a0902020025000d1b00420000000200018800010050f20400010010110006777061732d320f0f004200000000004449524543542d3463dd0a0050f204100800020100",
            "0409506f9a090801dd0a0050f204100800020100",
        ),
    ];

    fn params(ssid: &str, asked: Asked) -> PdParams {
        PdParams {
            peer: go(),
            asked,
            join: Some(GroupId { device_addr: go(), ssid: ssid.as_bytes().to_vec() }),
            freq: 2437,
            dialog_token: 1,
        }
    }

    #[test]
    fn requests_are_wpa_supplicants_and_responses_give_its_outcomes() {
        let t0 = Instant::now();
        for (n, ssid, asked, req, resp) in EXCHANGES {
            let mut m = PdRequester::new(t0, &wpas(n), params(ssid, asked)).expect("request");
            let Some(PdOutput::SendFrame { freq, frame, wait }) = m.poll_output() else { panic!("sends") };
            assert_eq!((freq, wait), (2437, WAIT));
            assert_eq!(hex::encode(action_body(&frame)), req, "wpas-{n} {asked:?}");
            let h = MgmtRepr::parse_bytes(&frame).expect("frame").header;
            assert_eq!((h.addr1, h.addr2, h.addr3), (go(), wpas(n).dev_addr, go()), "as in record 342");
            m.handle_input(t0, PdInput::TxStatus { ack: true, discovering: false }).expect("ok");
            let resp = hex::decode(resp).expect("hex");
            m.handle_input(t0, PdInput::Response { sa: go(), action_body: &resp }).expect("ours");
            let want = match asked {
                Asked::Pbc => PdOutcome::PbcResp,
                Asked::Display => PdOutcome::EnterPin,
                Asked::Keypad => PdOutcome::ShowPin,
            };
            assert_eq!(m.poll_output(), Some(PdOutput::Done { peer: go(), outcome: want }));
            assert!(m.is_done() && m.poll_timeout().is_none());
        }
    }

    #[test]
    fn other_methods_in_the_response_are_a_rejection_and_strangers_are_ignored() {
        let t0 = Instant::now();
        let (_, ssid, asked, _, _) = EXCHANGES[0];
        let mut m = PdRequester::new(t0, &wpas(1), params(ssid, asked)).expect("request");
        m.poll_output();
        // The response may come before our TX status.
        let keypad = hex::decode(EXCHANGES[3].4).expect("hex");
        assert_eq!(
            m.handle_input(t0, PdInput::Response { sa: mac("42:00:00:00:05:00"), action_body: &keypad }),
            Err(PdIgnored::OtherPeer(mac("42:00:00:00:05:00")))
        );
        let mut other_token = keypad.clone();
        other_token[7] = 9;
        assert_eq!(
            m.handle_input(t0, PdInput::Response { sa: go(), action_body: &other_token }),
            Err(PdIgnored::DialogToken { got: 9, ours: 1 })
        );
        assert!(matches!(
            m.handle_input(t0, PdInput::Response { sa: go(), action_body: &keypad[..6] }),
            Err(PdIgnored::Wire(_))
        ));
        assert_eq!(m.poll_output(), None);
        m.handle_input(t0, PdInput::Response { sa: go(), action_body: &keypad }).expect("ours");
        assert_eq!(m.poll_output(), Some(PdOutput::Done { peer: go(), outcome: PdOutcome::Failed(PdFailure::Rejected) }));
        assert_eq!(m.handle_input(t0, PdInput::TxStatus { ack: true, discovering: true }), Err(PdIgnored::Finished));
    }

    #[test]
    fn retries_follow_hostap_and_end_after_120_tries() {
        let t0 = Instant::now();
        let (_, ssid, asked, _, _) = EXCHANGES[0];
        let mut m = PdRequester::new(t0, &wpas(1), params(ssid, asked)).expect("request");
        let mut now = t0;
        let mut sent = vec![];
        let mut gaps = vec![];
        let mut last = t0;
        loop {
            while let Some(o) = m.poll_output() {
                match o {
                    PdOutput::SendFrame { frame, .. } => {
                        gaps.push(now - last);
                        last = now;
                        sent.push(frame);
                    }
                    PdOutput::Done { outcome, .. } => {
                        assert_eq!(outcome, PdOutcome::Failed(PdFailure::Timeout));
                        assert_eq!(sent.len() as u32, MAX_TRIES);
                        assert!(sent.iter().all(|f| f == &sent[0]), "the same dialog token every time");
                        // Tries alternate: no ACK while discovering (50 ms), no ACK idle
                        // (300 ms), ACKed (200 ms for the response), no TX status (1 s
                        // watchdog, then 300 ms).
                        assert_eq!(gaps[1..5], [50, 300, 200, 1300].map(Duration::from_millis));
                        return;
                    }
                }
            }
            let k = sent.len() % 4;
            match k {
                1 => m.handle_input(now, PdInput::TxStatus { ack: false, discovering: true }).expect("ok"),
                2 => m.handle_input(now, PdInput::TxStatus { ack: false, discovering: false }).expect("ok"),
                3 => m.handle_input(now, PdInput::TxStatus { ack: true, discovering: false }).expect("ok"),
                _ => {}
            }
            now = m.poll_timeout().expect("a timer while running");
            m.handle_timeout(now);
            assert!(now - t0 < Duration::from_secs(120), "bounded");
        }
    }
}
