//! Tests across the eapol modules: captured handshakes (known answers from
//! bytes nobody on the team wrote) and in-process supplicant/authenticator
//! runs on a virtual clock.

mod capture;
mod pair;
mod robustness;
pub(crate) mod vectors;
mod wpas;
