//! Both state machines fed arbitrary EAP packets: no panic, whatever arrives.
#![no_main]
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use wps::enrollee::{Enrollee, EnrolleeConfig};
use wps::message::Credential;
use wps::pin::DevicePassword;
use wps::registrar::{Registrar, RegistrarConfig};
use wps::rng::SeededRng;
use wps::session::Input;

fuzz_target!(|data: &[u8]| {
    let t = Instant::now();
    let mut e = Enrollee::new(
        EnrolleeConfig::new([1; 16], [2; 6], DevicePassword::pbc()),
        Box::new(SeededRng::new(1)),
        t,
    );
    let rc = RegistrarConfig::new(
        [3; 16],
        DevicePassword::pbc(),
        Credential::wpa2_psk(b"x", b"12345678", [0; 6]),
    );
    let mut r = Registrar::new(rc, Box::new(SeededRng::new(2)), t);
    for (i, chunk) in data.split(|&b| b == 0xff).enumerate() {
        let now = t + Duration::from_millis(i as u64 * 700);
        e.handle_input(now, Input::Eap(chunk));
        r.handle_input(now, Input::Eap(chunk));
        e.handle_timeout(now);
        r.handle_timeout(now);
        while e.poll_output().is_some() {}
        while r.poll_output().is_some() {}
    }
});
