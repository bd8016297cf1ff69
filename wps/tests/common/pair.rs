//! An enrollee and a registrar connected by a lossless (or scripted-loss) virtual link with
//! a virtual clock: packets are delivered in order, and when nothing is in flight the clock
//! jumps to the next timer.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use wps::attr::DevicePasswordId;
use wps::enrollee::{Enrollee, EnrolleeConfig, EnrolleeEvent};
use wps::message::{Credential, DeviceInfo};
use wps::pin::{DevicePassword, Pin};
use wps::registrar::{Registrar, RegistrarConfig, RegistrarEvent};
use wps::rng::SeededRng;
use wps::session::{Input, Output};

pub const ENROLLEE_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    ToEnrollee,
    ToRegistrar,
}

/// Sees every packet (index, direction, bytes); returning None drops it.
pub type Tamper = Box<dyn FnMut(usize, Dir, Vec<u8>) -> Option<Vec<u8>>>;

/// Runs before the registrar gets packet `index` (what its owner changes in between).
pub type RegistrarHook = Box<dyn FnMut(usize, &mut Registrar)>;

pub struct Pair {
    pub e: Enrollee,
    pub r: Registrar,
    pub now: Instant,
    pub start: Instant,
    pub e_events: Vec<EnrolleeEvent>,
    pub r_events: Vec<RegistrarEvent>,
    /// Every packet put on the link, in order.
    pub log: Vec<(Dir, Vec<u8>)>,
    pub tamper: Tamper,
    pub before_registrar: RegistrarHook,
}

pub fn credential() -> Credential {
    Credential::wpa2_psk(b"DIRECT-xy-test", b"passw0rd-123", [0; 6])
}

pub fn enrollee_cfg(uuid_last: u8, password: DevicePassword) -> EnrolleeConfig {
    let mut c = EnrolleeConfig::new([uuid_last; 16], ENROLLEE_MAC, password);
    c.device = DeviceInfo {
        manufacturer: b"directd".to_vec(),
        model_name: b"test".to_vec(),
        model_number: b"1".to_vec(),
        serial_number: Some(b"0".to_vec()),
        primary_device_type: Default::default(),
        device_name: b"enrollee".to_vec(),
    };
    c
}

pub fn registrar_cfg(password: DevicePassword) -> RegistrarConfig {
    let mut c = RegistrarConfig::new([0xaa; 16], password, credential());
    c.device.device_name = b"go".to_vec();
    c
}

pub fn pin(s: &str, id: DevicePasswordId) -> DevicePassword {
    DevicePassword::pin(Pin::parse(s).expect("pin"), id)
}

impl Pair {
    pub fn new(ec: EnrolleeConfig, rc: RegistrarConfig, seed: u64) -> Pair {
        Pair::at(Instant::now(), ec, rc, seed)
    }

    pub fn at(start: Instant, ec: EnrolleeConfig, rc: RegistrarConfig, seed: u64) -> Pair {
        Pair {
            e: Enrollee::new(ec, Box::new(SeededRng::new(seed)), start),
            r: Registrar::new(rc, Box::new(SeededRng::new(seed + 1000)), start),
            now: start,
            start,
            e_events: vec![],
            r_events: vec![],
            log: vec![],
            tamper: Box::new(|_, _, p| Some(p)),
            before_registrar: Box::new(|_, _| {}),
        }
    }

    /// Runs until both machines are finished (or 10 000 steps, a bug).
    pub fn run(&mut self) {
        for _ in 0..10_000 {
            let mut moved = false;
            while let Some(o) = self.r.poll_output() {
                match o {
                    Output::Transmit(p) => {
                        moved = true;
                        if let Some(p) = self.wire(Dir::ToEnrollee, p) {
                            self.e.handle_input(self.now, Input::Eap(&p));
                        }
                    }
                    Output::Event(ev) => self.r_events.push(ev),
                }
            }
            while let Some(o) = self.e.poll_output() {
                match o {
                    Output::Transmit(p) => {
                        moved = true;
                        if let Some(p) = self.wire(Dir::ToRegistrar, p) {
                            (self.before_registrar)(self.log.len() - 1, &mut self.r);
                            self.r.handle_input(self.now, Input::Eap(&p));
                        }
                    }
                    Output::Event(ev) => self.e_events.push(ev),
                }
            }
            if moved {
                continue;
            }
            if self.e.is_finished() && self.r.is_finished() {
                return;
            }
            let next = [self.e.poll_timeout(), self.r.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            let Some(next) = next else { return };
            self.now = self.now.max(next);
            self.e.handle_timeout(self.now);
            self.r.handle_timeout(self.now);
        }
        panic!("exchange did not settle");
    }

    fn wire(&mut self, dir: Dir, p: Vec<u8>) -> Option<Vec<u8>> {
        let n = self.log.len();
        self.log.push((dir, p.clone()));
        (self.tamper)(n, dir, p)
    }

    pub fn credentials(&self) -> Option<&Vec<Credential>> {
        self.e_events.iter().find_map(|e| match e {
            EnrolleeEvent::Credentials(c) => Some(c),
            _ => None,
        })
    }

    pub fn elapsed(&self) -> Duration {
        self.now - self.start
    }
}
