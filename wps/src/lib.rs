//! Wi-Fi Simple Configuration (WPS): attributes, M1..M8, EAP-WSC framing, key derivation,
//! enrollee and registrar.
//!
//! Wire code ([`attr`], [`message`], [`eap`], [`ie`]) and the state machines
//! ([`enrollee`], [`registrar`]) live apart; the machines follow the project's sans-IO drive
//! interface (`handle_input(now, input)`, `handle_timeout(now)`, `poll_output()`,
//! `poll_timeout()`), read no clock and draw randomness from an injected [`rng::RandomSource`].
//!
//! # Using the machines
//! A P2P client is the enrollee: it carries the EAP packets of EAPOL-EAP frames in and out.
//!
//! ```
//! use std::time::Instant;
//! use wps::enrollee::{Enrollee, EnrolleeConfig, EnrolleeEvent};
//! use wps::pin::DevicePassword;
//! use wps::rng::SeededRng;
//! use wps::session::{Input, Output};
//!
//! let mac = [2, 0, 0, 0, 0, 1];
//! let cfg = EnrolleeConfig::new(wps::attr::uuid_from_mac(&mac), mac, DevicePassword::pbc());
//! let mut e = Enrollee::new(cfg, Box::new(SeededRng::new(1)), Instant::now());
//! // EAP-Request/Identity from the group owner (EAPOL header stripped):
//! e.handle_input(Instant::now(), Input::Eap(&[1, 7, 0, 5, 1]));
//! while let Some(out) = e.poll_output() {
//!     match out {
//!         Output::Transmit(eap) => assert_eq!(&eap[5..], wps::eap::IDENTITY_ENROLLEE),
//!         Output::Event(EnrolleeEvent::Credentials(creds)) => { /* connect with creds[0] */ }
//!         Output::Event(_) => {}
//!     }
//! }
//! ```
//!
//! A group owner runs one [`registrar::Registrar`] per enrollee (its first output is
//! EAP-Request/Identity), given the [`message::Credential`] to hand out and the
//! [`pin::DevicePassword`]; PBC overlap is tracked by one [`pbc::PbcMonitor`] the owner lends to all
//! sessions and fed by the probe-request path ([`ie::ProbeRequestWsc::is_pbc`]).

pub mod attr;
pub mod crypto;
pub mod eap;
pub mod enrollee;
pub mod ie;
pub mod message;
pub mod pbc;
pub mod pin;
pub mod registrar;
pub mod rng;
pub mod session;
