//! The responder side: answering a Request (or refusing it) and taking the Confirm.

use std::time::{Duration, Instant};

use super::*;

impl GoNegotiator {
    pub(super) fn on_request(
        &mut self,
        now: Instant,
        sa: MacAddr,
        freq: u32,
        frame: &P2pActionFrame,
    ) -> Result<(), Ignored> {
        let req = match GoNegRequest::parse(frame) {
            Ok(r) if r.device_info.device_addr == sa && r.go_intent.is_valid() => r,
            Ok(r) => {
                let c = self.authorization(sa);
                self.answer_failure(
                    sa,
                    freq,
                    r.dialog_token,
                    r.go_intent.tie_breaker,
                    P2pStatus::FAIL_INVALID_PARAMS,
                    c.as_ref(),
                )?;
                if self.state.active_peer() == Some(sa) {
                    self.fail(sa, FailureReason::Status(P2pStatus::FAIL_INVALID_PARAMS));
                }
                return Ok(());
            }
            Err(e) => {
                tracing::debug!(%sa, "malformed GO Negotiation Request: {e}");
                let c = self.authorization(sa);
                self.answer_failure(
                    sa,
                    freq,
                    frame.dialog_token,
                    false,
                    P2pStatus::FAIL_INVALID_PARAMS,
                    c.as_ref(),
                )?;
                return Ok(());
            }
        };
        let peer_dpid = password_id(&req.wsc);
        let tb = req.go_intent.tie_breaker;
        if self.rejected.contains(&sa) {
            return self.answer_failure(
                sa,
                freq,
                req.dialog_token,
                tb,
                P2pStatus::FAIL_REJECTED_BY_USER,
                None,
            );
        }
        let Some(connect) = self.authorization(sa) else {
            tracing::info!(%sa, dev_passwd_id = peer_dpid, go_intent = req.go_intent.intent, "GO Negotiation Request from a peer not authorised");
            self.answer_failure(
                sa,
                freq,
                req.dialog_token,
                tb,
                P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE,
                None,
            )?;
            self.outputs.push_back(Output::Event(Event::PeerNotReady {
                peer: sa,
                dev_passwd_id: peer_dpid,
                go_intent: req.go_intent.intent,
            }));
            return Ok(());
        };
        match &self.state {
            State::Idle | State::Done(_) | State::Failed { .. } => {}
            s if s.active_peer() != Some(sa) => {
                return self.answer_failure(
                    sa,
                    freq,
                    req.dialog_token,
                    tb,
                    P2pStatus::FAIL_UNABLE_TO_ACCOMMODATE,
                    Some(&connect),
                );
            }
            State::WaitConfirm { agreed, .. } => {
                if agreed.dialog_token != req.dialog_token {
                    return Err(Ignored::NotExpected("Request with another dialog token"));
                }
                // Our Response was lost: answer again and give the Confirm as long again.
                tracing::debug!(%sa, "GO Negotiation Request repeated; repeating our Response");
                let id = self.tx_id();
                if let State::WaitConfirm {
                    response, deadline, ..
                } = &mut self.state
                {
                    response.id = id;
                    response.freq = freq;
                    *deadline = now + CONFIRM_TIMEOUT;
                    let tx = response.clone();
                    self.send(tx);
                }
                return Ok(());
            }
            State::WaitConfirmAck { .. } | State::Settle { .. } => {
                return Err(Ignored::NotExpected("negotiation already agreed"));
            }
            State::WaitRequestAck { att, .. } | State::WaitResponse { att, .. } | State::WaitRetry { att, .. }
                if sa > self.local.device_addr && !att.unheard() =>
            {
                // Both sent a Request: the one from the higher address goes unanswered;
                // the peer answers ours (hostap p2p_go_neg.c "Do not reply since peer has
                // higher address and GO Neg Request already sent", where a Request that
                // was not acknowledged does not count). When every Request of ours so far
                // went unacknowledged the peer is not where we send (a listen channel it
                // no longer uses): we answer its Request instead of both waiting out the
                // retries.
                return Err(Ignored::NotExpected(
                    "Request collision: the peer's address is higher, ours goes on",
                ));
            }
            _ => {}
        }
        if self.state.is_listening() {
            self.outputs.push_back(Output::StopListen);
        }
        self.respond(now, sa, freq, &req, connect, peer_dpid)
    }

    /// The responder's decision for an authorised peer (see the module documentation).
    pub(super) fn respond(
        &mut self,
        now: Instant,
        sa: MacAddr,
        freq: u32,
        req: &GoNegRequest,
        connect: Connect,
        peer_dpid: u16,
    ) -> Result<(), Ignored> {
        let tb = req.go_intent.tie_breaker;
        let offered = self.offered_channels(&connect);
        let decision = (|| {
            let role = decide_role(connect.go_intent, req.go_intent)
                .ok_or(P2pStatus::FAIL_BOTH_GO_INTENT_15)?;
            let common =
                intersect(&offered, &req.channel_list).ok_or(P2pStatus::FAIL_NO_COMMON_CHANNELS)?;
            if !connect.method.matches_peer(peer_dpid) {
                return Err(P2pStatus::FAIL_INCOMPATIBLE_PROV_METHOD);
            }
            let op = match role {
                Role::Go => Some(
                    select_operating(
                        &common,
                        self.forced_channel(&connect),
                        Some(req.operating_channel),
                        self.local.op_channel,
                    )
                    .ok_or(P2pStatus::FAIL_NO_COMMON_CHANNELS)?,
                ),
                Role::Client => None,
            };
            Ok((role, common, op))
        })();
        let (role, common, op) = match decision {
            Ok(d) => d,
            Err(status) => {
                self.answer_failure(sa, freq, req.dialog_token, tb, status, Some(&connect))?;
                self.fail(sa, FailureReason::Status(status));
                // The authorisation stays: if our Response was lost the peer repeats its
                // Request, and must get the same answer, not status 1 (seen under load:
                // wpa_supplicant then waited for us instead of reporting status 9).
                self.authorized.push(connect);
                return Ok(());
            }
        };
        let go = role == Role::Go;
        let ssid = if go {
            match connect.ssid {
                Some(s) => s.as_slice().to_vec(),
                None => crate::group::go::random_ssid(self.rng.as_mut()),
            }
        } else {
            Vec::new()
        };
        let resp = GoNegResponse {
            dialog_token: req.dialog_token,
            status: P2pStatus::SUCCESS,
            capability: self.capability(go, connect.persistent),
            go_intent: GoIntent {
                intent: connect.go_intent,
                tie_breaker: !tb,
            },
            config_timeout: self.local.config_timeout,
            operating_channel: op,
            intended_interface_addr: self.local.interface_addr,
            channel_list: if go { common } else { offered },
            device_info: self.device_info(Some(connect.method)),
            group_id: go.then(|| GroupId {
                device_addr: self.local.device_addr,
                ssid: ssid.clone(),
            }),
            wsc: Some(wsc_payload(connect.method.password_id())),
            ..Default::default()
        }
        .to_frame()?;
        let frame = self.mgmt(&resp, sa, self.local.device_addr);
        let response = Tx {
            id: self.tx_id(),
            kind: FrameType::Response,
            freq,
            wait_ms: RESPONSE_WAIT_MS,
            da: sa,
            frame,
        };
        self.send(response.clone());
        let peer_timeout = if go {
            req.config_timeout.client_10ms
        } else {
            req.config_timeout.go_10ms
        };
        let success = Success {
            peer_dev: sa,
            peer_iface: req.intended_interface_addr,
            role,
            // As client, the GO's Confirm names the channel; its Request's preference
            // until then.
            freq: op
                .or(Some(req.operating_channel))
                .and_then(|c| c.freq_mhz())
                .unwrap_or(0),
            wps_method: connect.method,
            ssid,
            persistent: if go {
                connect.persistent
            } else {
                req.capability
                    .group
                    .contains(GroupCapability::PERSISTENT_GROUP)
            },
            formation_timeout: FORMATION_BASE + Duration::from_millis(10 * u64::from(peer_timeout)),
        };
        self.state = State::WaitConfirm {
            agreed: Agreed {
                success,
                dialog_token: req.dialog_token,
            },
            response,
            deadline: now + CONFIRM_TIMEOUT,
        };
        Ok(())
    }

    /// Answers a Request with a failure status (our channel list, no Group ID).
    pub(super) fn answer_failure(
        &mut self,
        sa: MacAddr,
        freq: u32,
        dialog_token: u8,
        peer_tie_breaker: bool,
        status: P2pStatus,
        connect: Option<&Connect>,
    ) -> Result<(), Ignored> {
        tracing::debug!(%sa, status = status.0, "answering GO Negotiation Request with a failure");
        let (intent, channels, op, method) = match connect {
            Some(c) => (
                c.go_intent,
                self.offered_channels(c),
                self.preferred_op_channel(c),
                Some(c.method),
            ),
            None => (
                self.local.go_intent,
                self.local.channels.clone(),
                self.local.op_channel,
                None,
            ),
        };
        let resp = GoNegResponse {
            dialog_token,
            status,
            capability: self.capability(false, false),
            go_intent: GoIntent {
                intent,
                tie_breaker: !peer_tie_breaker,
            },
            config_timeout: self.local.config_timeout,
            operating_channel: Some(op),
            intended_interface_addr: self.local.interface_addr,
            channel_list: channels,
            device_info: self.device_info(method),
            group_id: None,
            wsc: Some(wsc_payload(
                method.map_or(DPID_DEFAULT, WpsMethod::password_id),
            )),
            ..Default::default()
        }
        .to_frame()?;
        let frame = self.mgmt(&resp, sa, self.local.device_addr);
        let id = self.tx_id();
        self.send(Tx {
            id,
            kind: FrameType::Response,
            freq,
            wait_ms: RESPONSE_WAIT_MS,
            da: sa,
            frame,
        });
        Ok(())
    }

    pub(super) fn on_confirm(
        &mut self,
        now: Instant,
        sa: MacAddr,
        frame: &P2pActionFrame,
    ) -> Result<(), Ignored> {
        let State::WaitConfirm { agreed, .. } = &self.state else {
            return Err(Ignored::NotExpected(
                "no GO Negotiation Response outstanding",
            ));
        };
        if agreed.success.peer_dev != sa {
            return Err(Ignored::NotExpected("Confirm from another peer"));
        }
        if agreed.dialog_token != frame.dialog_token {
            return Err(Ignored::NotExpected("Confirm with another dialog token"));
        }
        let conf = GoNegConfirmation::parse(frame)?;
        let mut success = agreed.success.clone();
        if conf.status != P2pStatus::SUCCESS {
            self.fail(sa, FailureReason::Status(conf.status));
            return Ok(());
        }
        if success.role == Role::Client {
            let Some(gid) = conf.group_id else {
                self.fail(sa, FailureReason::Status(P2pStatus::FAIL_INVALID_PARAMS));
                return Ok(());
            };
            success.ssid = gid.ssid;
            success.freq = conf.operating_channel.freq_mhz().unwrap_or(success.freq);
            success.persistent = conf
                .capability
                .group
                .contains(GroupCapability::PERSISTENT_GROUP);
        }
        self.state = State::Settle {
            success,
            deadline: now + CONFIRM_SETTLE,
        };
        Ok(())
    }
}
