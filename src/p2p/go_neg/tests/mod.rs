//! Tests of the GO negotiation machine: against the frames two real wpa_supplicants
//! exchanged ([`capture`]), and two or three machines on a simulated, lossy air
//! ([`sim`]).

mod capture;
mod sim;

use std::time::Instant;

use super::*;

/// Drains every output.
pub(super) fn drain(n: &mut GoNegotiator) -> Vec<Output> {
    std::iter::from_fn(|| n.poll_output()).collect()
}

/// The frames sent among `outs`.
pub(super) fn sent(outs: &[Output]) -> Vec<Tx> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Send(tx) => Some(tx.clone()),
            _ => None,
        })
        .collect()
}

/// The events among `outs`.
pub(super) fn events(outs: &[Output]) -> Vec<Event> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn roles_follow_intent_then_tie_breaker() {
    let gi = |intent, tie_breaker| GoIntent {
        intent,
        tie_breaker,
    };
    assert_eq!(decide_role(15, gi(0, false)), Some(Role::Go));
    assert_eq!(decide_role(0, gi(15, true)), Some(Role::Client));
    assert_eq!(decide_role(15, gi(15, false)), None);
    // Equal intents: a peer whose bit is 1 is GO.
    assert_eq!(decide_role(7, gi(7, true)), Some(Role::Client));
    assert_eq!(decide_role(7, gi(7, false)), Some(Role::Go));
}

#[test]
fn password_ids_pair_display_with_keypad() {
    use WpsMethod::*;
    assert!(PinKeypad.matches_peer(PinDisplay.password_id()));
    assert!(PinDisplay.matches_peer(PinKeypad.password_id()));
    assert!(Pbc.matches_peer(Pbc.password_id()));
    assert!(!PinDisplay.matches_peer(PinDisplay.password_id()));
    assert!(!PinKeypad.matches_peer(PinKeypad.password_id()));
    assert!(!Pbc.matches_peer(PinDisplay.password_id()));
    assert!(!PinKeypad.matches_peer(Pbc.password_id()));
    assert!(!Pbc.matches_peer(0));
    assert_eq!(password_id(&wsc_payload(5)), 5);
    assert_eq!(password_id(&[0x10, 0x4a]), 0, "truncated WSC: default");
}

#[test]
fn garbage_frames_never_panic() {
    let now = Instant::now();
    let mut n = sim::node(1, 7, sim::channels_24());
    for body in [
        vec![],
        vec![0x04],
        vec![0x04, 0x09, 0x50, 0x6f, 0x9a, 0x09, 0x00],
        vec![0x04, 0x09, 0x50, 0x6f, 0x9a, 0x09, 0x01, 0x01, 0xdd, 0xff],
        vec![
            0x04, 0x09, 0x50, 0x6f, 0x9a, 0x09, 0x02, 0x01, 0xdd, 0x04, 0x50, 0x6f, 0x9a, 0x09,
        ],
        vec![
            0x04, 0x09, 0x50, 0x6f, 0x9a, 0x09, 0x00, 0x05, 0xdd, 0x04, 0x50, 0x6f, 0x9a, 0x09,
        ],
    ] {
        n.handle_input(
            now,
            Input::Frame {
                sa: sim::addr(2),
                freq: 2437,
                body,
            },
        );
    }
    // A truncated Request is answered with status 4 (invalid parameters).
    let outs = drain(&mut n);
    let tx = sent(&outs);
    assert_eq!(tx.len(), 1, "{outs:?}");
    let resp = sim::parse_response(&tx[0]);
    assert_eq!(resp.status, P2pStatus::FAIL_INVALID_PARAMS);
    assert!(events(&outs).is_empty());
}

/// The retry timing, output by output: no ACK -> 100 ms pause -> listen 100/200/300 TU
/// on our own channel -> the same Request again; ACK -> 500 ms for the Response -> listen
/// -> again.
#[test]
fn request_retry_timing() {
    let t0 = Instant::now();
    let mut n = sim::node(1, 5, sim::channels_24());
    let own_listen = n.local().listen_channel.freq_mhz().expect("listen freq");
    let connect = Connect {
        peer: sim::addr(2),
        method: WpsMethod::Pbc,
        go_intent: 7,
        forced_freq: None,
        persistent: false,
        ssid: None,
    };
    n.handle_input(
        t0,
        Input::Initiate {
            connect,
            peer_listen_freq: 2462,
            tie_breaker: None,
        },
    );
    let outs = drain(&mut n);
    // Only the Request: a find or listen of the agent is the agent's to stop.
    assert_eq!(outs.len(), 1, "{outs:?}");
    let first = sent(&outs)[0].clone();
    assert_eq!((first.freq, first.wait_ms), (2462, 500));
    assert_eq!(n.poll_timeout(), None, "waits for the TX status");

    // No ACK: pause 100 ms.
    n.handle_input(
        t0,
        Input::TxStatus {
            id: first.id,
            acked: false,
        },
    );
    assert_eq!(n.poll_timeout(), Some(t0 + NO_ACK_PAUSE));
    n.handle_timeout(t0 + NO_ACK_PAUSE);
    let outs = drain(&mut n);
    let [Output::Listen { freq, duration }] = outs[..] else {
        panic!("{outs:?}")
    };
    assert_eq!(freq, own_listen);
    let tu100 = Duration::from_micros(102_400);
    assert!(
        [tu100, tu100 * 2, tu100 * 3].contains(&duration),
        "{duration:?}"
    );
    let t1 = t0 + NO_ACK_PAUSE + duration;
    assert_eq!(n.poll_timeout(), Some(t1));
    n.handle_timeout(t1);
    let second = sent(&drain(&mut n))[0].clone();
    assert_eq!(
        second.frame, first.frame,
        "same tie breaker and dialog token"
    );
    assert_ne!(second.id, first.id);

    // ACKed: 500 ms for the Response, then listen and resend.
    n.handle_input(
        t1,
        Input::TxStatus {
            id: second.id,
            acked: true,
        },
    );
    assert_eq!(n.poll_timeout(), Some(t1 + RESPONSE_TIMEOUT));
    n.handle_timeout(t1 + RESPONSE_TIMEOUT);
    assert!(matches!(drain(&mut n)[..], [Output::Listen { .. }]));
    // The end of the listen (ROC end event) sends at once.
    n.handle_input(t1 + RESPONSE_TIMEOUT, Input::ListenEnded);
    let third = sent(&drain(&mut n));
    assert_eq!(third.len(), 1);
    assert_eq!(n.state_name(), "WAIT_REQUEST_ACK");
}

/// After status 1, the peer's user accepts and a Request of ours (a retry the loaded peer
/// answers late) gets a success Response: taken, and Confirmed (seen with wpa_supplicant in
/// the guest: dropping it left the peer waiting for a Confirm and both failed). A second
/// failure Response meanwhile is not.
#[test]
fn a_success_response_while_waiting_for_a_not_ready_peer_is_confirmed() {
    let t0 = Instant::now();
    let mut a = sim::node(1, 5, sim::channels_24());
    let mut b = sim::node(2, 6, sim::channels_24());
    let connect = |peer, method| Connect { peer, method, go_intent: 7, forced_freq: None, persistent: false, ssid: None };
    a.handle_input(t0, Input::Initiate { connect: connect(sim::addr(2), WpsMethod::Pbc), peer_listen_freq: 2462, tie_breaker: None });
    let req = sent(&drain(&mut a))[0].clone();
    let deliver = |n: &mut GoNegotiator, from: u8, tx: &Tx| {
        n.handle_input(t0, Input::Frame { sa: sim::addr(from), freq: 2462, body: sim::action_body(&tx.frame) });
        sent(&drain(n))
    };
    let not_ready = deliver(&mut b, 1, &req)[0].clone();
    assert!(deliver(&mut a, 2, &not_ready).is_empty());
    assert_eq!(a.state_name(), "WAIT_PEER_REQUEST");
    // The same status 1 again: still waiting.
    assert!(deliver(&mut a, 2, &not_ready).is_empty());
    assert_eq!(a.state_name(), "WAIT_PEER_REQUEST");
    // b's user accepts; our Request reaches it again: success.
    b.handle_input(t0, Input::Authorize(connect(sim::addr(1), WpsMethod::Pbc)));
    drain(&mut b);
    let ok = deliver(&mut b, 1, &req);
    assert_eq!(ok.len(), 1, "b answers");
    let confirm = deliver(&mut a, 2, &ok[0]);
    assert_eq!(confirm.len(), 1, "a Confirms");
    assert_eq!(confirm[0].kind, FrameType::Confirm);
    deliver(&mut b, 1, &confirm[0]);
    assert_eq!(a.state_name(), "WAIT_CONFIRM_ACK");
}

/// After status 1: 200 ms idle, a 100-300 TU listen on our channel, again; no Request.
#[test]
fn waiting_for_a_not_ready_peer_alternates_idle_and_listen() {
    let t0 = Instant::now();
    let mut a = sim::node(1, 5, sim::channels_24());
    let mut b = sim::node(2, 6, sim::channels_24());
    a.handle_input(
        t0,
        Input::Initiate {
            connect: Connect {
                peer: sim::addr(2),
                method: WpsMethod::Pbc,
                go_intent: 7,
                forced_freq: None,
                persistent: false,
                ssid: None,
            },
            peer_listen_freq: 2462,
            tie_breaker: None,
        },
    );
    let req = sent(&drain(&mut a))[0].clone();
    b.handle_input(
        t0,
        Input::Frame {
            sa: sim::addr(1),
            freq: 2462,
            body: sim::action_body(&req.frame),
        },
    );
    let resp = sent(&drain(&mut b))[0].clone();
    a.handle_input(
        t0,
        Input::Frame {
            sa: sim::addr(2),
            freq: 2462,
            body: sim::action_body(&resp.frame),
        },
    );
    assert!(drain(&mut a).is_empty());
    let mut t = t0;
    for _ in 0..5 {
        assert_eq!(a.poll_timeout(), Some(t + PEER_WAIT_IDLE));
        t += PEER_WAIT_IDLE;
        a.handle_timeout(t);
        let outs = drain(&mut a);
        let [Output::Listen { freq, duration }] = outs[..] else {
            panic!("{outs:?}")
        };
        assert_eq!(Some(freq), a.local().listen_channel.freq_mhz());
        t += duration;
        assert_eq!(a.poll_timeout(), Some(t));
        a.handle_timeout(t);
        assert!(drain(&mut a).is_empty(), "no Request while waiting");
    }
}
