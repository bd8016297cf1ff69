//! Shared helpers for the integration tests: loading stored vectors.

#![allow(dead_code)]

pub mod pair;

use std::collections::HashMap;

/// Loads `name value-in-hex` lines (comments start with '#').
pub fn load(file: &str) -> HashMap<String, Vec<u8>> {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l.split_once(' ').unwrap_or_else(|| panic!("bad line {l}"));
            (
                k.to_string(),
                hex::decode(v.trim()).unwrap_or_else(|e| panic!("{k}: {e}")),
            )
        })
        .collect()
}

pub struct Vectors(pub HashMap<String, Vec<u8>>);

impl Vectors {
    pub fn iwd() -> Self {
        Vectors(load("iwd-test-wsc.txt"))
    }
    pub fn get(&self, k: &str) -> &[u8] {
        self.0.get(k).unwrap_or_else(|| panic!("no vector {k}"))
    }
    pub fn arr<const N: usize>(&self, k: &str) -> [u8; N] {
        self.get(k)
            .try_into()
            .unwrap_or_else(|_| panic!("{k} is not {N} bytes"))
    }
    /// The EAP packet inside an EAPOL frame.
    pub fn eap(&self, k: &str) -> &[u8] {
        &self.get(k)[4..]
    }
    /// The WSC message body inside an EAPOL/EAP-WSC frame.
    pub fn wsc(&self, k: &str) -> &[u8] {
        &self.get(k)[18..]
    }
}
