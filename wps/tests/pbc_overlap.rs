//! PBC session overlap: two different PBC enrollees within the 120 s monitor window are both
//! refused (at M1 with M2D carrying configuration error 12, as hostap does; an overlap that
//! appears later in the run with WSC_NACK, error 12); once the window clears, one succeeds.

mod common;

use std::time::{Duration, Instant};

use common::pair::{Pair, enrollee_cfg, registrar_cfg};
use wps::attr::ConfigError;
use wps::enrollee::EnrolleeEvent;
use wps::pbc::{PbcMonitor, SharedPbcMonitor};
use wps::pin::DevicePassword;
use wps::registrar::RegistrarEvent;
use wps::session::Failure;

fn pair_at(t: Instant, uuid: u8, monitor: &SharedPbcMonitor, seed: u64) -> Pair {
    let mut rc = registrar_cfg(DevicePassword::pbc());
    rc.pbc_monitor = Some(monitor.clone());
    Pair::at(t, enrollee_cfg(uuid, DevicePassword::pbc()), rc, seed)
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
    let monitor = PbcMonitor::shared();
    // Enrollee B (UUID 8) is seen probing with Device Password ID 4.
    monitor
        .lock()
        .expect("lock")
        .record(t0, [2, 0, 0, 0, 0, 8], [8; 16]);

    let mut a = pair_at(t0 + Duration::from_secs(10), 7, &monitor, 1);
    a.run();
    assert!(refused(&a), "A: {:?} / {:?}", a.e_events, a.r_events);

    let mut b = pair_at(t0 + Duration::from_secs(20), 8, &monitor, 2);
    b.run();
    assert!(refused(&b), "B: {:?} / {:?}", b.e_events, b.r_events);

    // 120 s after the last sighting of B, A alone gets through.
    let mut a2 = pair_at(t0 + Duration::from_secs(141), 7, &monitor, 3);
    a2.run();
    assert!(a2.credentials().is_some(), "{:?}", a2.r_events);
    assert_eq!(
        monitor
            .lock()
            .expect("lock")
            .active(t0 + Duration::from_secs(141)),
        0,
        "a success clears the entry"
    );
}

#[test]
fn the_same_enrollee_twice_is_not_an_overlap() {
    let t0 = Instant::now();
    let monitor = PbcMonitor::shared();
    monitor
        .lock()
        .expect("lock")
        .record(t0, common::pair::ENROLLEE_MAC, [7; 16]);
    let mut a = pair_at(t0 + Duration::from_secs(5), 7, &monitor, 4);
    a.run();
    assert!(a.credentials().is_some(), "{:?}", a.r_events);
}

#[test]
fn overlap_appearing_mid_session_withholds_the_credential() {
    let t0 = Instant::now();
    let monitor = PbcMonitor::shared();
    let mut a = pair_at(t0, 7, &monitor, 5);
    let m = monitor.clone();
    // While M5 travels (packet 7), a second PBC enrollee is seen probing.
    a.tamper = Box::new(move |n, _, b| {
        if n == 7 {
            m.lock()
                .expect("lock")
                .record(t0, [2, 0, 0, 0, 0, 9], [9; 16]);
        }
        Some(b)
    });
    a.run();
    assert!(
        refused_with(&a, false),
        "{:?} / {:?}",
        a.e_events,
        a.r_events
    );
}
