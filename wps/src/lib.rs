//! Wi-Fi Simple Configuration (WPS): attributes, M1..M8, EAP-WSC framing, key derivation,
//! enrollee and registrar.
//!
//! Wire code ([`attr`], [`message`], [`eap`], [`ie`]) and the state machines
//! ([`enrollee`], [`registrar`]) live apart; the machines follow the project's sans-IO drive
//! interface (`handle_input(now, input)`, `handle_timeout(now)`, `poll_output()`,
//! `poll_timeout()`), read no clock and draw randomness from an injected [`rng::WpsRng`].

pub mod attr;
pub mod crypto;
pub mod message;
pub mod pin;
pub mod rng;
pub mod eap;
pub mod enrollee;
pub mod session;
pub mod pbc;
pub mod registrar;
pub mod ie;
