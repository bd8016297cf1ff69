//! Prints the time one full PBC registration costs each role (single thread, so wall time
//! spent inside each machine's calls is its CPU time). `cargo bench -p wps --bench exchange`.

use std::time::{Duration, Instant};

use wps::enrollee::{Enrollee, EnrolleeConfig};
use wps::message::Credential;
use wps::pin::DevicePassword;
use wps::registrar::{Registrar, RegistrarConfig};
use wps::rng::SeededRng;
use wps::session::{Input, Output};

fn one_exchange(seed: u64) -> (Duration, Duration, usize) {
    let (mut te, mut tr) = (Duration::ZERO, Duration::ZERO);
    let clock = Instant::now();
    let e_cfg = EnrolleeConfig::new([1; 16], [2, 0, 0, 0, 0, 1], DevicePassword::pbc());
    let r_cfg = RegistrarConfig::new([3; 16], DevicePassword::pbc(), Credential::wpa2_psk(b"DIRECT-ab", b"passphrase", [0; 6]));
    let s = Instant::now();
    let mut e = Enrollee::new(e_cfg, Box::new(SeededRng::new(seed)), clock);
    te += s.elapsed();
    let s = Instant::now();
    let mut r = Registrar::new(r_cfg, Box::new(SeededRng::new(seed + 1)), clock);
    tr += s.elapsed();
    let mut packets = 0;
    loop {
        let mut moved = false;
        let s = Instant::now();
        let to_e: Vec<_> = std::iter::from_fn(|| r.poll_output()).collect();
        tr += s.elapsed();
        for o in to_e {
            if let Output::Transmit(p) = o {
                moved = true;
                packets += 1;
                let s = Instant::now();
                e.handle_input(clock, Input::Eap(&p));
                te += s.elapsed();
            }
        }
        let s = Instant::now();
        let to_r: Vec<_> = std::iter::from_fn(|| e.poll_output()).collect();
        te += s.elapsed();
        for o in to_r {
            if let Output::Transmit(p) = o {
                moved = true;
                packets += 1;
                let s = Instant::now();
                r.handle_input(clock, Input::Eap(&p));
                tr += s.elapsed();
            }
        }
        if !moved {
            break;
        }
    }
    assert!(e.is_finished() && r.is_finished(), "exchange did not complete");
    (te, tr, packets)
}

fn main() {
    let runs = 20;
    let _ = one_exchange(0); // warm-up
    let (mut te, mut tr) = (Vec::new(), Vec::new());
    let mut packets = 0;
    for i in 0..runs {
        let (e, r, p) = one_exchange(i + 1);
        te.push(e);
        tr.push(r);
        packets = p;
    }
    te.sort();
    tr.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("wps exchange (PBC, {packets} EAP packets), {runs} runs:");
    println!("  enrollee  median {:.2} ms  min {:.2} ms  max {:.2} ms", ms(te[runs as usize / 2]), ms(te[0]), ms(te[runs as usize - 1]));
    println!("  registrar median {:.2} ms  min {:.2} ms  max {:.2} ms", ms(tr[runs as usize / 2]), ms(tr[0]), ms(tr[runs as usize - 1]));
}
