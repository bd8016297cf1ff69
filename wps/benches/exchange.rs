//! Prints the CPU time one full PBC registration costs each role.
//! `cargo bench -p wps --bench exchange`
//!
//! One exchange between our enrollee and registrar is recorded; because both draw from
//! seeded generators, replaying the recorded packets to a fresh machine with the same seed
//! re-runs exactly that exchange. Each role is replayed alone many times and timed with the
//! thread's on-CPU time (/proc/thread-self/schedstat; wall time where it is missing), so
//! other load on the machine does not count.

use std::time::{Duration, Instant};

use wps::enrollee::{Enrollee, EnrolleeConfig};
use wps::message::Credential;
use wps::pin::DevicePassword;
use wps::registrar::{Registrar, RegistrarConfig};
use wps::rng::SeededRng;
use wps::session::{Input, Output};

const SEED: u64 = 7;
const RUNS: u32 = 100;

fn cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_else(|| {
            static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
            START.get_or_init(Instant::now).elapsed()
        })
}

fn enrollee(now: Instant) -> Enrollee {
    let cfg = EnrolleeConfig::new([1; 16], [2, 0, 0, 0, 0, 1], DevicePassword::pbc());
    Enrollee::new(cfg, Box::new(SeededRng::new(SEED)), now)
}

fn registrar(now: Instant) -> Registrar {
    let cred = Credential::wpa2_psk(b"DIRECT-ab", b"passphrase", [0; 6]);
    let cfg = RegistrarConfig::new([3; 16], DevicePassword::pbc(), cred);
    Registrar::new(cfg, Box::new(SeededRng::new(SEED + 1)), now)
}

/// Runs one exchange; returns the packets each side received, in order.
fn record(now: Instant) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let (mut e, mut r) = (enrollee(now), registrar(now));
    let (mut to_e, mut to_r) = (vec![], vec![]);
    loop {
        let mut moved = false;
        while let Some(o) = r.poll_output() {
            if let Output::Transmit(p) = o {
                e.handle_input(now, Input::Eap(&p));
                to_e.push(p);
                moved = true;
            }
        }
        while let Some(o) = e.poll_output() {
            if let Output::Transmit(p) = o {
                r.handle_input(now, Input::Eap(&p));
                to_r.push(p);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    assert!(
        e.is_finished() && r.is_finished(),
        "exchange did not complete"
    );
    (to_e, to_r)
}

fn main() {
    let now = Instant::now();
    let (to_e, to_r) = record(now);

    let start = cpu();
    for _ in 0..RUNS {
        let mut e = enrollee(now);
        for p in &to_e {
            e.handle_input(now, Input::Eap(p));
            while e.poll_output().is_some() {}
        }
        assert!(e.is_finished());
    }
    let te = (cpu() - start) / RUNS;

    let start = cpu();
    for _ in 0..RUNS {
        let mut r = registrar(now);
        while r.poll_output().is_some() {}
        for p in &to_r {
            r.handle_input(now, Input::Eap(p));
            while r.poll_output().is_some() {}
        }
        assert!(r.is_finished());
    }
    let tr = (cpu() - start) / RUNS;

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "wps exchange (PBC, {} EAP packets), CPU time per full exchange, mean of {RUNS}:",
        to_e.len() + to_r.len()
    );
    println!("  enrollee  {:.3} ms", ms(te));
    println!("  registrar {:.3} ms", ms(tr));
}
