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
