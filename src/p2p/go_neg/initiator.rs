//! The initiator side: sending the Request until it is answered, and confirming.

use std::time::{Duration, Instant};

use super::*;

impl GoNegotiator {
    pub(super) fn initiate(
        &mut self,
        now: Instant,
        connect: Connect,
        peer_listen_freq: u32,
        tie_breaker: Option<bool>,
    ) {
        if let Some(other) = self.state.active_peer() {
            tracing::info!(%other, new = %connect.peer, "new P2P_CONNECT replaces a running GO negotiation");
        }
        if self.state.is_listening() {
            self.outputs.push_back(Output::StopListen);
        }
        self.authorize(connect);
        let tie_breaker = tie_breaker.unwrap_or(self.next_tie_breaker);
        self.next_tie_breaker = !tie_breaker;
        let dialog_token = self.next_dialog_token;
        self.next_dialog_token = self.next_dialog_token.checked_add(1).unwrap_or(1);
        let att = Attempt {
            connect,
            peer_listen_freq,
            tie_breaker,
            dialog_token,
            requests_sent: 0,
            requests_acked: 0,
            requests_not_acked: 0,
        };
        tracing::info!(peer = %connect.peer, intent = connect.go_intent, freq = peer_listen_freq, "GO negotiation started");
        self.send_request(now, att);
    }

    pub(super) fn request_frame(&self, att: &Attempt) -> Result<P2pActionFrame, wire::Error> {
        let c = &att.connect;
        GoNegRequest {
            dialog_token: att.dialog_token,
            capability: self.capability(true, c.persistent),
            go_intent: GoIntent {
                intent: c.go_intent,
                tie_breaker: att.tie_breaker,
            },
            config_timeout: self.local.config_timeout,
            listen_channel: self.local.listen_channel,
            ext_listen_timing: None,
            intended_interface_addr: self.local.interface_addr,
            channel_list: self.offered_channels(c),
            device_info: self.device_info(Some(c.method)),
            operating_channel: self.preferred_op_channel(c),
            wsc: wsc_payload(c.method.password_id()),
            ..Default::default()
        }
        .to_frame()
    }

    pub(super) fn send_request(&mut self, _now: Instant, mut att: Attempt) {
        let peer = att.connect.peer;
        if att.requests_sent >= self.local.max_requests {
            tracing::info!(%peer, requests = att.requests_sent, "peer never answered the GO Negotiation Request");
            self.fail(peer, FailureReason::Timeout);
            return;
        }
        let frame = match self.request_frame(&att) {
            Ok(f) => self.mgmt(&f, peer, peer),
            Err(e) => {
                tracing::warn!(%peer, "cannot build GO Negotiation Request: {e}");
                self.fail(peer, FailureReason::Timeout);
                return;
            }
        };
        att.requests_sent += 1;
        let id = self.tx_id();
        self.send(Tx {
            id,
            kind: FrameType::Request,
            freq: att.peer_listen_freq,
            wait_ms: REQUEST_WAIT_MS,
            da: peer,
            frame,
        });
        self.state = State::WaitRequestAck { att, tx: id };
    }

    pub(super) fn start_listen(&mut self, now: Instant, att: Attempt) {
        let d = listen_time(self.rng.as_mut());
        self.outputs.push_back(Output::Listen {
            freq: self.listen_freq(),
            duration: d,
        });
        self.state = State::WaitRetry {
            att,
            phase: RetryPhase::Listen,
            deadline: now + d,
        };
    }

    /// The listen before a retry is over: send the Request again.
    pub(super) fn retry_now(&mut self, now: Instant) {
        if let State::WaitRetry { att, .. } = std::mem::replace(&mut self.state, State::Idle) {
            self.send_request(now, att);
        }
    }

    pub(super) fn on_response(
        &mut self,
        now: Instant,
        sa: MacAddr,
        freq: u32,
        frame: &P2pActionFrame,
    ) -> Result<(), Ignored> {
        // Waiting for the Request of a peer that answered status 1, a success Response to
        // our Request (its user accepted, and a Request of ours still reached it; seen
        // under load with wpa_supplicant) is taken as well: the peer waits for our Confirm.
        let (att, waiting_peer) = match &self.state {
            State::WaitRequestAck { att, .. }
            | State::WaitResponse { att, .. }
            | State::WaitRetry { att, .. } => (att.clone(), false),
            State::WaitPeerRequest { att, .. } => (att.clone(), true),
            _ => {
                return Err(Ignored::NotExpected(
                    "no GO Negotiation Request outstanding",
                ));
            }
        };
        if att.connect.peer != sa {
            return Err(Ignored::NotExpected("Response from another peer"));
        }
        if frame.dialog_token != att.dialog_token {
            return Err(Ignored::NotExpected("Response with another dialog token"));
        }
        let resp = GoNegResponse::parse(frame)?;
        if waiting_peer && resp.status != P2pStatus::SUCCESS {
            return Err(Ignored::NotExpected("a failure Response while we wait for the peer's Request"));
        }
        let was_listening = self.state.is_listening();
        if was_listening {
            self.outputs.push_back(Output::StopListen);
        }
        if resp.status == P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE {
            tracing::info!(%sa, "peer not ready for GO negotiation; waiting for its Request");
            self.state = State::WaitPeerRequest {
                att,
                give_up: now + PEER_READY_TIMEOUT,
                listening: false,
                next: now + PEER_WAIT_IDLE,
            };
            return Ok(());
        }
        if resp.status != P2pStatus::SUCCESS {
            self.fail(sa, FailureReason::Status(resp.status));
            return Ok(());
        }
        let c = att.connect;
        let offered = self.offered_channels(&c);
        let decision = (|| {
            if !resp.go_intent.is_valid() {
                return Err(P2pStatus::FAIL_INVALID_PARAMS);
            }
            let role = decide_role(c.go_intent, resp.go_intent)
                .ok_or(P2pStatus::FAIL_INCOMPATIBLE_PARAMS)?;
            if role == Role::Client && (resp.group_id.is_none() || resp.operating_channel.is_none())
            {
                return Err(P2pStatus::FAIL_INVALID_PARAMS);
            }
            let common = intersect(&offered, &resp.channel_list)
                .ok_or(P2pStatus::FAIL_NO_COMMON_CHANNELS)?;
            if !c
                .method
                .matches_peer(password_id(resp.wsc.as_deref().unwrap_or_default()))
            {
                return Err(P2pStatus::FAIL_INCOMPATIBLE_PROV_METHOD);
            }
            let op = match role {
                Role::Go => select_operating(
                    &common,
                    self.forced_channel(&c),
                    resp.operating_channel,
                    self.local.op_channel,
                )
                .ok_or(P2pStatus::FAIL_NO_COMMON_CHANNELS)?,
                // Checked above.
                Role::Client => resp.operating_channel.unwrap_or(self.local.op_channel),
            };
            Ok((role, common, op))
        })();
        let (status, role, common, op) = match decision {
            Ok((role, common, op)) => (P2pStatus::SUCCESS, Some(role), common, op),
            Err(s) => (s, None, offered, self.preferred_op_channel(&c)),
        };
        let go = role == Some(Role::Go);
        let ssid = match (role, &resp.group_id) {
            (Some(Role::Go), _) => match c.ssid {
                Some(s) => s.as_slice().to_vec(),
                None => crate::group::go::random_ssid(self.rng.as_mut()),
            },
            (_, Some(g)) => g.ssid.clone(),
            _ => Vec::new(),
        };
        let conf = GoNegConfirmation {
            dialog_token: att.dialog_token,
            status,
            capability: self.capability(go, c.persistent),
            operating_channel: op,
            channel_list: common,
            group_id: go.then(|| GroupId {
                device_addr: self.local.device_addr,
                ssid: ssid.clone(),
            }),
            wsc: None,
            ..Default::default()
        }
        .to_frame()?;
        let tx = Tx {
            id: self.tx_id(),
            kind: FrameType::Confirm,
            freq,
            wait_ms: CONFIRM_WAIT_MS,
            da: sa,
            frame: self.mgmt(&conf, sa, sa),
        };
        self.send(tx.clone());
        let Some(role) = role else {
            self.fail(sa, FailureReason::Status(status));
            return Ok(());
        };
        let peer_timeout = match role {
            Role::Go => resp.config_timeout.client_10ms,
            Role::Client => resp.config_timeout.go_10ms,
        };
        let success = Success {
            peer_dev: sa,
            peer_iface: resp.intended_interface_addr,
            role,
            freq: op.freq_mhz().unwrap_or(0),
            wps_method: c.method,
            ssid,
            persistent: match role {
                Role::Go => c.persistent,
                Role::Client => resp
                    .capability
                    .group
                    .contains(GroupCapability::PERSISTENT_GROUP),
            },
            formation_timeout: FORMATION_BASE + Duration::from_millis(10 * u64::from(peer_timeout)),
        };
        self.state = State::WaitConfirmAck {
            agreed: Agreed {
                success,
                dialog_token: att.dialog_token,
            },
            tx,
            sent: 1,
        };
        Ok(())
    }
}
