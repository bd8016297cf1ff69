//! PBC session overlap: two different PBC enrollees within the 120 s monitor window are both
//! refused (at M1 with M2D carrying configuration error 12, as hostap does; an overlap that
//! appears later in the run with WSC_NACK, error 12); once the window clears, one succeeds.

mod common;

use std::time::{Duration, Instant};

use common::pair::{Pair, enrollee_cfg, registrar_cfg};
use wps::attr::ConfigError;
use wps::enrollee::EnrolleeEvent;
use wps::pbc::PbcMonitor;
use wps::pin::DevicePassword;
use wps::registrar::RegistrarEvent;
use wps::session::Failure;

/// A session given the group's monitor (`run_with` hands it back, as a group owner takes
/// its monitor back after each input).
fn pair_at(t: Instant, uuid: u8, monitor: PbcMonitor, seed: u64) -> Pair {
    let mut rc = registrar_cfg(DevicePassword::pbc());
    rc.pbc_monitor = Some(monitor);
    Pair::at(t, enrollee_cfg(uuid, DevicePassword::pbc()), rc, seed)
}

fn run_with(p: &mut Pair) -> PbcMonitor {
    p.run();
    p.r.pbc_monitor_mut().expect("the session has the monitor").clone()
}

/// Refused with M2D (overlap seen at M1) or with WSC_NACK (seen later).
fn refused_with(p: &Pair, m2d: bool) -> bool {
    let ce = ConfigError::MULTIPLE_PBC_SESSIONS_DETECTED;
    let told = if m2d {
        Failure::RegistrarNotReady(ce)
    } else {
        Failure::PeerNack(ce)
    };
    p.credentials().is_none()
        && p.r_events
            .contains(&RegistrarEvent::Failed(Failure::PbcOverlap))
        && !p
            .r_events
            .iter()
            .any(|e| matches!(e, RegistrarEvent::PasswordNeeded { .. }))
        && p.e_events.contains(&EnrolleeEvent::Failed(told))
}

fn refused(p: &Pair) -> bool {
    refused_with(p, true)
}

#[test]
fn two_pbc_enrollees_in_the_window_are_both_refused() {
    let t0 = Instant::now();
    let mut monitor = PbcMonitor::default();
    // Enrollee B (UUID 8) is seen probing with Device Password ID 4.
    monitor.record(t0, [2, 0, 0, 0, 0, 8], [8; 16]);

    let mut a = pair_at(t0 + Duration::from_secs(10), 7, monitor, 1);
    let monitor = run_with(&mut a);
    assert!(refused(&a), "A: {:?} / {:?}", a.e_events, a.r_events);

    let mut b = pair_at(t0 + Duration::from_secs(20), 8, monitor, 2);
    let monitor = run_with(&mut b);
    assert!(refused(&b), "B: {:?} / {:?}", b.e_events, b.r_events);

    // 120 s after the last sighting of B, A alone gets through.
    let mut a2 = pair_at(t0 + Duration::from_secs(141), 7, monitor, 3);
    let mut monitor = run_with(&mut a2);
    assert!(a2.credentials().is_some(), "{:?}", a2.r_events);
    assert_eq!(
        monitor.active(t0 + Duration::from_secs(141)),
        0,
        "a success clears the entry"
    );
}

#[test]
fn the_same_enrollee_twice_is_not_an_overlap() {
    let t0 = Instant::now();
    let mut monitor = PbcMonitor::default();
    monitor.record(t0, common::pair::ENROLLEE_MAC, [7; 16]);
    let mut a = pair_at(t0 + Duration::from_secs(5), 7, monitor, 4);
    a.run();
    assert!(a.credentials().is_some(), "{:?}", a.r_events);
}

#[test]
fn overlap_appearing_mid_session_withholds_the_credential() {
    let t0 = Instant::now();
    let mut a = pair_at(t0, 7, PbcMonitor::default(), 5);
    // While M5 travels (packet 7), a second PBC enrollee is seen probing.
    a.before_registrar = Box::new(move |n, r| {
        if n == 7
            && let Some(m) = r.pbc_monitor_mut()
        {
            m.record(t0, [2, 0, 0, 0, 0, 9], [9; 16]);
        }
    });
    a.run();
    assert!(
        refused_with(&a, false),
        "{:?} / {:?}",
        a.e_events,
        a.r_events
    );
}
