//! GO negotiation events (`p2p::go_neg`) in wpa_supplicant's words: `P2P-GO-NEG-REQUEST`,
//! `P2P-GO-NEG-SUCCESS`, `P2P-GO-NEG-FAILURE` (hostap `wpa_supplicant/p2p_supplicant.c`,
//! 2.10: `wpas_go_neg_req_rx`, `wpas_go_neg_completed`).

use super::{Event, GroupRole, WpsMethodText};
use crate::p2p::go_neg::{self, Role, WpsMethod};

impl From<WpsMethod> for WpsMethodText {
    fn from(m: WpsMethod) -> Self {
        match m {
            WpsMethod::Pbc => WpsMethodText::Pbc,
            WpsMethod::PinDisplay => WpsMethodText::Display,
            WpsMethod::PinKeypad => WpsMethodText::Keypad,
        }
    }
}

impl From<Role> for GroupRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Go => GroupRole::Go,
            Role::Client => GroupRole::Client,
        }
    }
}

impl From<&go_neg::Event> for Event {
    fn from(e: &go_neg::Event) -> Self {
        match e {
            go_neg::Event::PeerNotReady {
                peer,
                dev_passwd_id,
                go_intent,
            } => Event::GoNegRequest {
                src: *peer,
                dev_passwd_id: *dev_passwd_id,
                go_intent: *go_intent,
            },
            go_neg::Event::Success(s) => Event::GoNegSuccess {
                role: s.role.into(),
                freq: s.freq,
                // directd runs 20 MHz groups.
                ht40: false,
                peer_dev: s.peer_dev,
                peer_iface: s.peer_iface,
                wps_method: s.wps_method.into(),
            },
            go_neg::Event::Failure { reason, .. } => Event::GoNegFailure {
                status: reason.code(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::ieee80211::MacAddr;
    use crate::p2p::go_neg::{FailureReason, Success};
    use crate::p2p::wire::P2pStatus;

    fn mac(s: &str) -> MacAddr {
        s.parse().expect("mac")
    }

    #[test]
    fn texts_as_wpa_supplicant_prints_them() {
        // events-1.log / events-0.log of wire/tests/data/harness-selftest.
        let req = go_neg::Event::PeerNotReady {
            peer: mac("42:00:00:00:00:00"),
            dev_passwd_id: 4,
            go_intent: 15,
        };
        assert_eq!(
            Event::from(&req).to_string(),
            "P2P-GO-NEG-REQUEST 42:00:00:00:00:00 dev_passwd_id=4 go_intent=15"
        );
        let ok = go_neg::Event::Success(Success {
            peer_dev: mac("42:00:00:00:01:00"),
            peer_iface: mac("46:00:00:00:01:00"),
            role: Role::Go,
            freq: 5745,
            wps_method: WpsMethod::Pbc,
            ssid: b"DIRECT-iZ".to_vec(),
            persistent: false,
            formation_timeout: Duration::from_millis(15_200),
        });
        assert_eq!(
            Event::from(&ok).to_string(),
            "P2P-GO-NEG-SUCCESS role=GO freq=5745 ht40=0 peer_dev=42:00:00:00:01:00 \
             peer_iface=46:00:00:00:01:00 wps_method=PBC"
        );
        for (reason, text) in [
            (
                FailureReason::Status(P2pStatus::FAIL_BOTH_GO_INTENT_15),
                "P2P-GO-NEG-FAILURE status=9",
            ),
            (FailureReason::Timeout, "P2P-GO-NEG-FAILURE status=-1"),
        ] {
            let e = go_neg::Event::Failure {
                peer: mac("42:00:00:00:01:00"),
                reason,
            };
            assert_eq!(Event::from(&e).to_string(), text);
        }
        assert_eq!(
            WpsMethodText::from(WpsMethod::PinDisplay).to_string(),
            "Display"
        );
        assert_eq!(
            WpsMethodText::from(WpsMethod::PinKeypad).to_string(),
            "Keypad"
        );
    }
}
