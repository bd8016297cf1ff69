//! A running P2P group: GO (beacon templates, stations, registrar, authenticator, addresses) and client.
pub mod client;
pub mod go;
