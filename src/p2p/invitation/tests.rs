#![allow(clippy::unwrap_used)]
//! Tests of the invitation machine: one machine's retries in virtual time, and two
//! machines exchanging their frames (inviter and invitee).

use std::time::Instant;

use super::*;
use crate::eapol::SeededRandom;
use crate::ieee80211::{MgmtBody, MgmtRepr};
use crate::p2p::wire::{
    ChannelEntry, ConfigMethods, DeviceType, consts::COUNTRY_GLOBAL,
};

fn addr(i: u8) -> MacAddr {
    MacAddr([0x42, 0, 0, 0, i, 0])
}

fn ch(channel: u8) -> Channel {
    Channel {
        country: COUNTRY_GLOBAL,
        op_class: 81,
        channel,
    }
}

fn channels(list: &[u8]) -> ChannelList {
    ChannelList {
        country: COUNTRY_GLOBAL,
        entries: vec![ChannelEntry {
            op_class: 81,
            channels: list.to_vec(),
        }],
    }
}

fn node(i: u8, chans: ChannelList) -> Inviter {
    let local = Local {
        device_addr: addr(i),
        device: DeviceDescription {
            config_methods: ConfigMethods::from_bits_retain(0x188),
            primary_type: DeviceType::new(1, 1),
            secondary_types: Vec::new(),
            name: format!("dev-{i}").into_bytes(),
        },
        device_capability: DeviceCapability::from_bits_retain(0x25),
        channels: chans,
        listen_channel: ch(6),
        config_timeout: ConfigTimeout {
            go_10ms: 100,
            client_10ms: 20,
        },
        max_requests: DEFAULT_MAX_REQUESTS,
        stored: Vec::new(),
        group_iface_addr: MacAddr([0x06, 0, 0, 0, 0, 0x77]),
        running: Vec::new(),
        persistent_reconnect: true,
        groups_full: false,
        active_ssids: Vec::new(),
    };
    Inviter::new(local, Box::new(SeededRandom::new([i; 32])))
}

fn group_invite(persistent: bool, active_go: bool) -> Invite {
    Invite {
        peer: addr(1),
        group: GroupId {
            device_addr: addr(0),
            ssid: b"DIRECT-xy".to_vec(),
        },
        bssid: Some(MacAddr([0x46, 0, 0, 0, 0, 0])),
        op_channel: Some(ch(1)),
        persistent,
        active_go,
    }
}

fn drain(m: &mut Inviter) -> Vec<Output> {
    std::iter::from_fn(|| m.poll_output()).collect()
}

fn sent(outs: &[Output]) -> Vec<Tx> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Send(tx) => Some(tx.clone()),
            _ => None,
        })
        .collect()
}

fn events(outs: &[Output]) -> Vec<Event> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn body(tx: &Tx) -> Vec<u8> {
    match MgmtRepr::parse_bytes(&tx.frame).expect("management frame").body {
        MgmtBody::Action(a) => a.to_bytes(),
        other => panic!("not an action frame: {other:?}"),
    }
}

fn start(m: &mut Inviter, now: Instant, invite: Invite) -> Tx {
    m.handle_input(
        now,
        Input::Invite {
            invite,
            peer_listen_freq: 2437,
        },
    );
    let txs = sent(&drain(m));
    assert_eq!(txs.len(), 1);
    txs[0].clone()
}

#[test]
fn the_request_of_a_running_group_names_it_and_asks_no_start_time() {
    let mut a = node(0, channels(&[1, 6, 11]));
    let tx = start(&mut a, Instant::now(), group_invite(false, true));
    assert_eq!(
        (tx.kind, tx.freq, tx.wait_ms, tx.da),
        (FrameType::Request, 2437, REQUEST_WAIT_GO_MS, addr(1))
    );
    let m = MgmtRepr::parse_bytes(&tx.frame).unwrap();
    assert_eq!(
        (m.header.addr1, m.header.addr2, m.header.addr3),
        (addr(1), addr(0), addr(1))
    );
    let r = InvitationRequest::parse_bytes(&body(&tx)).expect("Request");
    assert_eq!(r.invitation_flags, InvitationFlags::empty());
    assert_eq!(
        r.config_timeout,
        ConfigTimeout {
            go_10ms: 0,
            client_10ms: 0
        }
    );
    assert_eq!(r.operating_channel, Some(ch(1)));
    assert_eq!(r.group_bssid, Some(MacAddr([0x46, 0, 0, 0, 0, 0])));
    assert_eq!(r.group_id.ssid, b"DIRECT-xy");
    assert_eq!(r.group_id.device_addr, addr(0));
    // A running group cannot move: only its channel is offered.
    assert_eq!(r.channel_list, channels(&[1]));
    assert_eq!(r.device_info.device_addr, addr(0));
    assert_eq!(r.device_info.desc.name, b"dev-0");
    // A persistent re-invocation as non-GO asks for our start time.
    let mut b = node(0, channels(&[1, 6, 11]));
    let tx = start(&mut b, Instant::now(), group_invite(true, false));
    let r = InvitationRequest::parse_bytes(&body(&tx)).expect("Request");
    assert_eq!(r.invitation_flags, InvitationFlags::REINVOKE_PERSISTENT);
    assert_eq!(r.config_timeout.go_10ms, 100);
    assert_eq!(tx.wait_ms, REQUEST_WAIT_MS);
    assert_eq!(r.channel_list, channels(&[1, 6, 11]));
}

#[test]
fn an_unheard_request_is_sent_again_after_a_listen_with_a_new_token_and_gives_up_at_the_limit() {
    let t0 = Instant::now();
    let mut a = node(0, channels(&[1, 6, 11]));
    let mut tx = start(&mut a, t0, group_invite(false, false));
    let token = InvitationRequest::parse_bytes(&body(&tx)).unwrap().dialog_token;
    let mut now = t0;
    for n in 1..DEFAULT_MAX_REQUESTS {
        a.handle_input(now, Input::TxStatus { id: tx.id, acked: n % 2 == 0 });
        assert!(drain(&mut a).is_empty());
        // No ACK: a 100 ms pause; ACK: 500 ms for the Response.
        let wait = a.poll_timeout().expect("timer") - now;
        assert_eq!(wait, if n % 2 == 0 { RESPONSE_TIMEOUT } else { NO_ACK_PAUSE });
        now += wait;
        a.handle_timeout(now);
        let outs = drain(&mut a);
        let Some(Output::Listen { freq, duration }) = outs.first() else { panic!("{outs:?}") };
        assert_eq!(*freq, 2437);
        assert!([102_400, 204_800, 307_200].contains(&(duration.as_micros() as u32)));
        a.handle_input(now, Input::ListenEnded);
        let txs = sent(&drain(&mut a));
        assert_eq!(txs.len(), 1, "request {n}");
        tx = txs[0].clone();
        assert_eq!(InvitationRequest::parse_bytes(&body(&tx)).unwrap().dialog_token, token.wrapping_add(n as u8));
    }
    a.handle_input(now, Input::TxStatus { id: tx.id, acked: false });
    now += NO_ACK_PAUSE;
    a.handle_timeout(now);
    drain(&mut a);
    now = a.poll_timeout().unwrap();
    a.handle_timeout(now);
    let evs = events(&drain(&mut a));
    assert_eq!(
        evs,
        vec![Event::Result {
            op_freq: None,
            peer: addr(1),
            result: Err(InviteFailure::Timeout)
        }]
    );
    assert_eq!(a.state_name(), "IDLE");
}

#[test]
fn an_active_go_stays_on_its_channel_between_requests() {
    let t0 = Instant::now();
    let mut a = node(0, channels(&[1, 6, 11]));
    let tx = start(&mut a, t0, group_invite(false, true));
    a.handle_input(t0, Input::TxStatus { id: tx.id, acked: false });
    a.handle_timeout(t0 + NO_ACK_PAUSE);
    assert!(drain(&mut a).is_empty(), "no listen for a GO");
    assert_eq!(a.poll_timeout(), Some(t0 + NO_ACK_PAUSE + GO_BEACON_PAUSE));
    a.handle_timeout(t0 + NO_ACK_PAUSE + GO_BEACON_PAUSE);
    assert_eq!(sent(&drain(&mut a)).len(), 1);
}

/// Carries every frame `from` sends to `to` (ACKed), returning `to`'s outputs, with
/// `from`'s own (TX status consequences) appended to `from_outs`.
fn deliver(from: &mut Inviter, to: &mut Inviter, now: Instant, txs: Vec<Tx>) -> Vec<Output> {
    let mut outs = Vec::new();
    for tx in txs {
        to.handle_input(
            now,
            Input::Frame {
                sa: from.local().device_addr,
                freq: tx.freq,
                body: body(&tx),
            },
        );
        from.handle_input(now, Input::TxStatus { id: tx.id, acked: true });
        outs.extend(drain(to));
    }
    outs
}

fn exchange(a: &mut Inviter, b: &mut Inviter, invite: Invite) -> (Vec<Event>, Vec<Event>, Option<InvitationResponse>) {
    let now = Instant::now();
    let req = start(a, now, invite);
    let b_outs = deliver(a, b, now, vec![req]);
    drain(a);
    let resp_tx = sent(&b_outs);
    assert_eq!(resp_tx.len(), 1, "one Response");
    assert_eq!(
        (resp_tx[0].kind, resp_tx[0].freq, resp_tx[0].wait_ms),
        (FrameType::Response, 2437, RESPONSE_WAIT_MS)
    );
    assert!(events(&b_outs).is_empty(), "the invitee tells its user after the TX status");
    let resp = InvitationResponse::parse_bytes(&body(&resp_tx[0])).ok();
    let a_outs = deliver(b, a, now, resp_tx);
    let b_events = events(&drain(b));
    (events(&a_outs), b_events, resp)
}

#[test]
fn a_join_invitation_not_authorised_is_answered_1_and_reported() {
    let mut a = node(0, channels(&[1, 6, 11]));
    let mut b = node(1, channels(&[1, 6]));
    let (a_ev, b_ev, resp) = exchange(&mut a, &mut b, group_invite(false, true));
    let resp = resp.unwrap();
    assert_eq!(resp.status, P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE);
    assert_eq!(resp.channel_list, None);
    assert_eq!(
        a_ev,
        vec![Event::Result {
            op_freq: None,
            peer: addr(1),
            result: Err(InviteFailure::Status(P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE))
        }]
    );
    assert_eq!(
        b_ev,
        vec![Event::Received(Received {
            sa: addr(0),
            go_dev_addr: addr(0),
            ssid: b"DIRECT-xy".to_vec(),
            bssid: Some(MacAddr([0x46, 0, 0, 0, 0, 0])),
            op_freq: Some(2412),
            persistent: false,
            status: P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE,
        })]
    );
}

#[test]
fn an_authorised_join_invitation_is_accepted_once() {
    let mut a = node(0, channels(&[1, 6, 11]));
    let mut b = node(1, channels(&[1, 6]));
    b.handle_input(Instant::now(), Input::AuthorizeJoin(addr(0)));
    let (a_ev, b_ev, resp) = exchange(&mut a, &mut b, group_invite(false, true));
    let resp = resp.unwrap();
    assert_eq!(resp.status, P2pStatus::SUCCESS);
    assert_eq!(resp.channel_list, Some(channels(&[1])));
    assert_eq!(
        a_ev,
        vec![Event::Result {
            op_freq: None,
            peer: addr(1),
            result: Ok(None)
        }]
    );
    assert!(matches!(&b_ev[..], [Event::Received(r)] if r.status == P2pStatus::SUCCESS));
    // The authorisation is used up.
    let (_, _, resp) = exchange(&mut a, &mut b, group_invite(false, true));
    assert_eq!(resp.unwrap().status, P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE);
}

#[test]
fn a_persistent_reinvocation_of_a_group_we_do_not_store_is_unknown_group() {
    let mut a = node(0, channels(&[1, 6, 11]));
    let mut b = node(1, channels(&[1, 6]));
    let (a_ev, b_ev, _) = exchange(&mut a, &mut b, group_invite(true, false));
    assert_eq!(
        a_ev,
        vec![Event::Result {
            op_freq: None,
            peer: addr(1),
            result: Err(InviteFailure::Status(P2pStatus::FAIL_UNKNOWN_GROUP))
        }]
    );
    assert!(matches!(&b_ev[..], [Event::Received(r)] if r.persistent && r.status == P2pStatus::FAIL_UNKNOWN_GROUP));
}

#[test]
fn no_channel_in_common_is_status_7() {
    let mut a = node(0, channels(&[11]));
    let mut b = node(1, channels(&[1, 6]));
    b.handle_input(Instant::now(), Input::AuthorizeJoin(addr(0)));
    let invite = Invite {
        op_channel: Some(ch(11)),
        ..group_invite(false, true)
    };
    let (a_ev, _, _) = exchange(&mut a, &mut b, invite);
    assert_eq!(
        a_ev,
        vec![Event::Result {
            op_freq: None,
            peer: addr(1),
            result: Err(InviteFailure::Status(P2pStatus::FAIL_NO_COMMON_CHANNELS))
        }]
    );
}

#[test]
fn a_request_without_group_id_is_status_4_and_not_reported() {
    let a = node(0, channels(&[1, 6, 11]));
    let mut b = node(1, channels(&[1, 6]));
    let att = Attempt {
        invite: group_invite(false, true),
        peer_listen_freq: 2437,
        dialog_token: 9,
        requests_sent: 0,
    };
    let mut req = a.request(&att);
    // Drop the Group ID: build the IE by hand without it.
    let ie = req.p2p_ie();
    let attrs: Vec<_> = ie
        .attributes
        .into_iter()
        .filter(|x| !matches!(x, crate::p2p::wire::Attribute::GroupId(_)))
        .collect();
    let mut ies = Vec::new();
    crate::p2p::wire::P2pIe::new(attrs).push_ies(&mut ies).unwrap();
    req.group_id = GroupId::default();
    let frame = P2pActionFrame {
        kind: InvitationRequest::KIND,
        dialog_token: 9,
        ies,
    };
    let now = Instant::now();
    b.handle_input(
        now,
        Input::Frame {
            sa: addr(0),
            freq: 2412,
            body: frame.to_bytes(),
        },
    );
    let outs = drain(&mut b);
    let txs = sent(&outs);
    let resp = InvitationResponse::parse_bytes(&body(&txs[0])).unwrap();
    assert_eq!((resp.status, resp.dialog_token), (P2pStatus::FAIL_INVALID_PARAMS, 9));
    b.handle_input(now, Input::TxStatus { id: txs[0].id, acked: true });
    assert!(events(&drain(&mut b)).is_empty());
}

#[test]
fn a_response_with_another_token_or_from_another_peer_is_ignored() {
    let now = Instant::now();
    let mut a = node(0, channels(&[1, 6, 11]));
    let tx = start(&mut a, now, group_invite(false, true));
    a.handle_input(now, Input::TxStatus { id: tx.id, acked: true });
    let token = InvitationRequest::parse_bytes(&body(&tx)).unwrap().dialog_token;
    let resp = |t| InvitationResponse {
        dialog_token: t,
        status: P2pStatus::SUCCESS,
        ..Default::default()
    };
    for (sa, t) in [(addr(1), token.wrapping_add(1)), (addr(2), token)] {
        a.handle_input(now, Input::Frame { sa, freq: 2437, body: resp(t).to_bytes().unwrap() });
        assert!(drain(&mut a).is_empty());
        assert_eq!(a.state_name(), "WAIT_RESPONSE");
    }
    a.handle_input(now, Input::Frame { sa: addr(1), freq: 2437, body: resp(token).to_bytes().unwrap() });
    assert_eq!(events(&drain(&mut a)), vec![Event::Result { peer: addr(1), result: Ok(None), op_freq: None }]);
}

#[test]
fn garbage_is_dropped_without_an_answer() {
    let mut b = node(1, channels(&[1, 6]));
    let now = Instant::now();
    // Empty; no dialog token; a Group ID attribute longer than the P2P IE.
    for junk in [&[][..], &[4, 9, 0x50, 0x6f, 0x9a, 9, 3][..], &[4, 9, 0x50, 0x6f, 0x9a, 9, 3, 1, 0xdd, 7, 0x50, 0x6f, 0x9a, 9, 0x0f, 0x20, 0][..]] {
        b.handle_input(now, Input::Frame { sa: addr(0), freq: 2412, body: junk.to_vec() });
        assert!(sent(&drain(&mut b)).is_empty(), "{junk:?}");
    }
    // A Request with no P2P IE at all: status 4.
    b.handle_input(now, Input::Frame { sa: addr(0), freq: 2412, body: vec![4, 9, 0x50, 0x6f, 0x9a, 9, 3, 1] });
    let txs = sent(&drain(&mut b));
    let resp = InvitationResponse::parse_bytes(&body(&txs[0])).unwrap();
    assert_eq!(resp.status, P2pStatus::FAIL_INVALID_PARAMS);
}

#[test]
fn a_stored_group_is_accepted_and_as_its_go_we_say_where_it_runs() {
    // b stores a group b owns (GO device address b); a, its old client, re-invokes it
    // with no channel preference: b answers 0 with a channel both have and b's BSSID.
    let mut a = node(0, channels(&[1, 6, 11]));
    let mut b = node(1, channels(&[1, 11]));
    let group = GroupId { device_addr: addr(1), ssid: b"DIRECT-pq".to_vec() };
    let mut local = b.local().clone();
    local.stored = vec![group.clone()];
    b.set_local(local.clone());
    let invite = Invite { peer: addr(1), group: group.clone(), bssid: None, op_channel: None, persistent: true, active_go: false };
    let (a_ev, b_ev, resp) = exchange(&mut a, &mut b, invite.clone());
    let resp = resp.unwrap();
    assert_eq!((resp.status, resp.operating_channel, resp.group_bssid), (P2pStatus::SUCCESS, Some(ch(1)), Some(local.group_iface_addr)));
    assert_eq!(a_ev, vec![Event::Result { peer: addr(1), result: Ok(Some(local.group_iface_addr)), op_freq: Some(2412) }]);
    assert!(matches!(&b_ev[..], [Event::Received(r)] if r.persistent && r.status == P2pStatus::SUCCESS && r.op_freq == Some(2412) && r.ssid == group.ssid));
    // The inviter's channel is kept when b has it.
    let (_, _, resp) = exchange(&mut a, &mut b, Invite { op_channel: Some(ch(11)), ..invite.clone() });
    assert_eq!(resp.unwrap().operating_channel, Some(ch(11)));
    // Running already: where it runs, whatever the inviter asked.
    local.running = vec![RunningGroup { group: group.clone(), channel: ch(6), bssid: MacAddr([0x02, 9, 9, 9, 9, 9]) }];
    b.set_local(local);
    let (_, b_ev, resp) = exchange(&mut a, &mut b, Invite { op_channel: Some(ch(11)), ..invite.clone() });
    let resp = resp.unwrap();
    assert_eq!((resp.status, resp.operating_channel, resp.group_bssid), (P2pStatus::SUCCESS, Some(ch(6)), Some(MacAddr([0x02, 9, 9, 9, 9, 9]))));
    assert!(matches!(&b_ev[..], [Event::Received(r)] if r.op_freq == Some(2437)));
    // Another SSID of the same GO is not stored: 8.
    let other = Invite { group: GroupId { device_addr: addr(1), ssid: b"DIRECT-zz".to_vec() }, ..invite };
    let (_, _, resp) = exchange(&mut a, &mut b, other);
    assert_eq!(resp.unwrap().status, P2pStatus::FAIL_UNKNOWN_GROUP);
}

#[test]
fn crossing_reinvocations_the_higher_address_yields_and_the_lower_one_goes_on() {
    // a (lower address, the group's GO) and b (higher, its client) re-invoke the group
    // they store with each other at the same moment; each hears the other's Request.
    let now = Instant::now();
    let group = GroupId { device_addr: addr(0), ssid: b"DIRECT-xy".to_vec() };
    let mut a = node(0, channels(&[1, 6, 11]));
    let mut b = node(1, channels(&[1, 6, 11]));
    for m in [&mut a, &mut b] {
        let mut l = m.local().clone();
        l.stored = vec![group.clone()];
        m.set_local(l);
    }
    let to_b = Invite { peer: addr(1), group: group.clone(), bssid: Some(MacAddr([0x46, 0, 0, 0, 0, 0])), op_channel: Some(ch(6)), persistent: true, active_go: false };
    let to_a = Invite { peer: addr(0), group: group.clone(), bssid: None, op_channel: None, persistent: true, active_go: false };
    let req_a = start(&mut a, now, to_b);
    let req_b = start(&mut b, now, to_a.clone());
    // b hears a's Request: its own invitation ends (the wait of its Request first), and
    // a's is answered 0.
    let b_outs = deliver(&mut a, &mut b, now, vec![req_a]);
    assert!(matches!(&b_outs[..], [Output::EndWait, Output::Event(Event::Yielded { peer }), Output::Send(tx)] if *peer == addr(0) && tx.kind == FrameType::Response), "{b_outs:?}");
    assert_eq!(b.active_peer(), None);
    let resp_b = sent(&b_outs);
    assert_eq!(InvitationResponse::parse_bytes(&body(&resp_b[0])).unwrap().status, P2pStatus::SUCCESS);
    // a hears b's Request: answered 1, nothing told, a's invitation goes on.
    let a_outs = deliver(&mut b, &mut a, now, vec![req_b]);
    let resp_a = sent(&a_outs);
    assert_eq!(resp_a.len(), 1);
    assert_eq!(InvitationResponse::parse_bytes(&body(&resp_a[0])).unwrap().status, P2pStatus::FAIL_INFO_CURRENTLY_UNAVAILABLE);
    assert!(events(&a_outs).is_empty(), "{a_outs:?}");
    assert_eq!(a.active_peer(), Some(addr(1)));
    // b's Response ends a's invitation with 0; b tells its user of the accepted one.
    let a_outs = deliver(&mut b, &mut a, now, resp_b);
    assert_eq!(events(&a_outs), vec![Event::Result { peer: addr(1), result: Ok(None), op_freq: None }]);
    assert!(matches!(&events(&drain(&mut b))[..], [Event::Received(r)] if r.persistent && r.status == P2pStatus::SUCCESS && r.sa == addr(0)));
    // a's Response (1) reaches b, which has no invitation out: ignored.
    deliver(&mut a, &mut b, now, resp_a);
    assert!(drain(&mut b).is_empty());
    // Not a crossing: another group, or an invitation to a third device, is answered as
    // usual (the invitation goes on).
    let mut c = node(2, channels(&[1, 6, 11]));
    let mut l = c.local().clone();
    l.stored = vec![group.clone()];
    c.set_local(l);
    let _ = start(&mut b, now, Invite { peer: addr(2), ..to_a });
    let req_c = start(&mut c, now, Invite { peer: addr(1), group: GroupId { device_addr: addr(0), ssid: b"DIRECT-other".to_vec() }, bssid: None, op_channel: None, persistent: true, active_go: false });
    let b_outs = deliver(&mut c, &mut b, now, vec![req_c]);
    assert!(matches!(&b_outs[..], [Output::Send(tx)] if tx.kind == FrameType::Response), "{b_outs:?}");
    assert_eq!(b.active_peer(), Some(addr(2)));
}
