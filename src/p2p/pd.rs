//! Provision Discovery, the answering side (Wi-Fi P2P spec 3.2.3; frames 4.2.9.9 and
//! 4.2.9.10): pure functions, no state, no I/O.
//!
//! A wpa_supplicant client that runs `p2p_connect <GO dev addr> pbc join` (or with a PIN)
//! first sends a Provision Discovery Request to the GO's P2P device address on the group's
//! channel; without an answer it retries for seconds before joining anyway. [`answer`]
//! reads the request and builds the Provision Discovery Response, and says what the GO's
//! user must be told ([`PdAnswer::event`]).
//!
//! What the answer contains follows hostap (`src/p2p/p2p_pd.c`, legacy, non-P2PS
//! requests), checked against a real wpa_supplicant GO's response on the air (tests):
//! - The request's WSC IE Config Methods must contain display, keypad or push button,
//!   and a Group ID, when present, must name one of our running groups (our P2P device
//!   address and the group's SSID). Then the response carries only a WSC IE whose
//!   Config Methods echo the request's value, and no P2P IE.
//! - Otherwise the request is rejected: a P2P IE with Status "incompatible parameters"
//!   (2) and a WSC IE with Config Methods 0; no event is reported.
//! - The response has the request's dialog token and goes back to the sender from our
//!   P2P device address (Address 3 = our P2P device address too), on the channel the
//!   request arrived on.
//! - The requested method is read as hostap reads it, display first, then keypad, then
//!   push button: "display" asks US to show a PIN the peer will type
//!   (`P2P-PROV-DISC-SHOW-PIN`), "keypad" asks us to type the PIN the peer shows
//!   (`P2P-PROV-DISC-ENTER-PIN`), push button gives `P2P-PROV-DISC-PBC-REQ`.
//!
//! P2PS attributes (advertisement ID, session...) are not interpreted: such a request is
//! answered as a legacy one.

use std::fmt;

use crate::ieee80211::{MacAddr, MgmtRepr};
use crate::p2p::wire::{
    self, ConfigMethods, GroupId, P2pStatus, ProvisionDiscoveryRequest,
    ProvisionDiscoveryResponse,
};

/// Why a frame could not be answered (the caller logs it and drops the frame).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Not a Provision Discovery Request, or one missing its P2P IE, WSC IE, P2P
    /// Capability or Device Info, or with a malformed P2P attribute.
    #[error("Provision Discovery Request: {0}")]
    Wire(#[from] wire::Error),
    /// The WSC IE's attributes do not parse.
    #[error("Provision Discovery Request WSC IE: {0}")]
    Wsc(#[from] wps::attr::AttrError),
}

/// What the answer needs to know about us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OurDevice {
    /// Our P2P device address: the GO's address in every Group ID we own, and the
    /// response's transmitter address and BSSID.
    pub device_addr: MacAddr,
    /// The groups we run as GO.
    pub groups: Vec<OurGroup>,
}

/// One of our running groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OurGroup {
    /// Its interface name (`group=<ifname>` in the events).
    pub ifname: String,
    /// Its SSID.
    pub ssid: Vec<u8>,
}

/// The provisioning method a request asks for, seen from us (the one answering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdMethod {
    /// WSC "display" requested: we show a PIN and the peer types it
    /// (`P2P-PROV-DISC-SHOW-PIN <peer> <PIN>`).
    ShowPin,
    /// WSC "keypad" requested: the peer shows a PIN and our user types it
    /// (`P2P-PROV-DISC-ENTER-PIN <peer>`).
    EnterPin,
    /// Push button (`P2P-PROV-DISC-PBC-REQ <peer>`).
    PushButton,
}

impl PdMethod {
    /// Reads a request's Config Methods as hostap does: display, then keypad, then push
    /// button (a virtual/physical display or push button includes the base bit).
    pub fn from_requested(m: ConfigMethods) -> Option<PdMethod> {
        if m.contains(ConfigMethods::DISPLAY) {
            Some(PdMethod::ShowPin)
        } else if m.contains(ConfigMethods::KEYPAD) {
            Some(PdMethod::EnterPin)
        } else if m.contains(ConfigMethods::PUSH_BUTTON) {
            Some(PdMethod::PushButton)
        } else {
            None
        }
    }
}

/// Why a request is refused (the response then carries Status 2 and Config Methods 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdRejection {
    /// The WSC IE has no Config Methods, or none of display, keypad, push button.
    UnsupportedMethod,
    /// The Group ID names a group we do not run.
    UnknownGroup,
}

impl fmt::Display for PdRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PdRejection::UnsupportedMethod => "unsupported config methods",
            PdRejection::UnknownGroup => "unknown P2P group",
        })
    }
}

/// The answer to one Provision Discovery Request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdAnswer {
    /// The request's sender (the response's receiver).
    pub peer_addr: MacAddr,
    /// Our P2P device address (the response's transmitter and BSSID).
    pub our_addr: MacAddr,
    /// Dialog token of the request, repeated in the response.
    pub dialog_token: u8,
    /// The request's WSC Config Methods as sent (0 when absent).
    pub requested: ConfigMethods,
    /// The accepted method, or why the request was refused.
    pub decision: Result<PdMethod, PdRejection>,
    /// The request's Group ID: present when the peer wants to join a running group.
    /// `peer.group` names our interface when the Group ID is one of ours.
    pub join: Option<GroupId>,
    /// The peer as the events describe it (from the request's Device Info and P2P
    /// Capability).
    pub peer: PdPeer,
    /// The Provision Discovery Response action body (category octet first).
    pub response: Vec<u8>,
}

impl PdAnswer {
    /// The whole management frame for `NL80211_CMD_FRAME`: to the requester, from our P2P
    /// device address, Address 3 = our P2P device address (as hostap sends it); duration
    /// and sequence number are left to the kernel.
    pub fn frame(&self) -> Vec<u8> {
        let (category, body) = self.response.split_first().unwrap_or((&0, &[]));
        let action = crate::ieee80211::ActionRepr {
            category: crate::ieee80211::ActionCategory(*category),
            body: body.to_vec(),
        };
        MgmtRepr::new(
            self.peer_addr,
            self.our_addr,
            self.our_addr,
            crate::ieee80211::MgmtBody::Action(action),
        )
        .to_vec()
    }
}

/// The requesting peer as the request describes it (Device Info and P2P Capability), and
/// our running group it refers to; `ctrl` words it for the P2P-PROV-DISC-* events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdPeer {
    pub p2p_dev_addr: MacAddr,
    pub pri_dev_type: wps::attr::DeviceType,
    pub name: String,
    pub config_methods: u16,
    pub dev_capab: u8,
    pub group_capab: u8,
    /// Our running group the request refers to (its interface name).
    pub group: Option<String>,
}

/// The Config Methods attribute of a WSC payload: `Ok(None)` when absent. hostap drops a
/// request whose WSC attributes do not parse; only the framing and this attribute are
/// checked here.
fn wsc_config_methods(wsc: &[u8]) -> Result<Option<ConfigMethods>, Error> {
    use wps::attr::{AttrError, AttrType, raw_attrs};
    for a in raw_attrs(wsc) {
        let a = a?;
        if a.kind == AttrType::CONFIG_METHODS {
            let v: [u8; 2] = a.value.try_into().map_err(|_| AttrError::BadLength {
                kind: a.kind,
                len: a.value.len(),
            })?;
            return Ok(Some(ConfigMethods::from_bits_retain(u16::from_be_bytes(v))));
        }
    }
    Ok(None)
}

/// Answers a Provision Discovery Request received from `sa` (`req_action_body` starts
/// with the category octet). A request we refuse is still answered (see the module
/// documentation); an error means the frame is not a well-formed request and gets no
/// answer.
pub fn answer(req_action_body: &[u8], sa: MacAddr, ours: &OurDevice) -> Result<PdAnswer, Error> {
    let req = ProvisionDiscoveryRequest::parse_bytes(req_action_body)?;
    let requested = wsc_config_methods(&req.wsc)?;
    let group = req.group_id.as_ref().map(|gid| {
        ours.groups
            .iter()
            .find(|g| gid.device_addr == ours.device_addr && gid.ssid == g.ssid)
    });
    let decision = match (requested.and_then(PdMethod::from_requested), group) {
        (None, _) => Err(PdRejection::UnsupportedMethod),
        (Some(_), Some(None)) => Err(PdRejection::UnknownGroup),
        (Some(m), _) => Ok(m),
    };
    let requested = requested.unwrap_or_default();
    let (status, echoed) = match decision {
        Ok(_) => (None, requested),
        Err(_) => (
            Some(P2pStatus::FAIL_INCOMPATIBLE_PARAMS),
            ConfigMethods::empty(),
        ),
    };
    // WSC attribute: type and length big-endian, then the 2-byte value.
    let mut wsc = Vec::with_capacity(6);
    wsc.extend_from_slice(&wps::attr::AttrType::CONFIG_METHODS.0.to_be_bytes());
    wsc.extend_from_slice(&2u16.to_be_bytes());
    wsc.extend_from_slice(&echoed.bits().to_be_bytes());
    let response = ProvisionDiscoveryResponse {
        dialog_token: req.dialog_token,
        status,
        wsc,
        ..Default::default()
    }
    .to_bytes()?;
    let info = &req.device_info;
    let peer = PdPeer {
        p2p_dev_addr: info.device_addr,
        pri_dev_type: info.desc.primary_type,
        name: info.desc.name_lossy().into_owned(),
        config_methods: info.desc.config_methods.bits(),
        dev_capab: req.capability.device.bits(),
        group_capab: req.capability.group.bits(),
        group: group.flatten().map(|g| g.ifname.clone()),
    };
    Ok(PdAnswer {
        peer_addr: sa,
        our_addr: ours.device_addr,
        dialog_token: req.dialog_token,
        requested,
        decision,
        join: req.group_id,
        peer,
        response,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctrl::Pin;
    use crate::ieee80211::{MgmtBody, MgmtRepr};
    use crate::p2p::wire::tests::pcap;
    use crate::p2p::wire::{
        Attribute, Capability, DeviceCapability, DeviceDescription, DeviceInfo, GroupCapability,
        P2pActionFrame, P2pMessage,
    };

    /// Two real wpa_supplicants on mac80211_hwsim (`wire/tests/data/wire-capture/`):
    /// r0 = wpas-0 runs the GO `DIRECT-q6` on p2p-wlan0-0, r1 = wpas-1 sends a join
    /// Provision Discovery Request (PBC) twice; r0 answers both.
    const PCAP: &[u8] = include_bytes!("wire/tests/data/wire-capture/air.pcap");
    /// events-0.log of that capture (r0's control-interface events).
    const EVENTS_0: &str = include_str!("wire/tests/data/wire-capture/events-0.log");

    fn mac(s: &str) -> MacAddr {
        s.parse().expect("mac")
    }

    fn r0() -> MacAddr {
        mac("42:00:00:00:00:00")
    }

    fn r1() -> MacAddr {
        mac("42:00:00:00:01:00")
    }

    fn go_r0() -> OurDevice {
        OurDevice {
            device_addr: r0(),
            groups: vec![OurGroup {
                ifname: "p2p-wlan0-0".into(),
                ssid: b"DIRECT-q6".to_vec(),
            }],
        }
    }

    /// Every Provision Discovery frame of the capture: (subtype, header, whole frame).
    fn pd_frames() -> Vec<(u8, MgmtRepr, Vec<u8>)> {
        pcap::frames(PCAP)
            .into_iter()
            .filter(|c| c.frame[0] == 0xd0)
            .filter_map(|c| {
                let m = MgmtRepr::parse_bytes(c.frame).expect("management frame");
                let MgmtBody::Action(a) = &m.body else {
                    return None;
                };
                let f = P2pActionFrame::from_action(a).ok()?;
                match f.kind {
                    wire::FrameKind::Public(s) if s.0 == 7 || s.0 == 8 => {
                        Some((s.0, m, c.frame.to_vec()))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    fn action_body(m: &MgmtRepr) -> Vec<u8> {
        match &m.body {
            MgmtBody::Action(a) => a.to_bytes(),
            _ => unreachable!("filtered on action frames"),
        }
    }

    #[test]
    fn answers_the_captured_join_request_as_wpa_supplicant_did() {
        let frames = pd_frames();
        let reqs: Vec<_> = frames.iter().filter(|f| f.0 == 7).collect();
        let resps: Vec<_> = frames.iter().filter(|f| f.0 == 8).collect();
        assert_eq!((reqs.len(), resps.len()), (2, 2));
        for (req, resp) in reqs.iter().zip(&resps) {
            assert_eq!(req.1.header.addr2, r1());
            let a = answer(&action_body(&req.1), req.1.header.addr2, &go_r0()).expect("answer");
            // The action body: same bytes as wpa_supplicant's response (dialog token 1,
            // WSC IE with Config Methods 0x0080, no P2P IE).
            assert_eq!(a.response, action_body(&resp.1));
            // The whole frame, but for duration and sequence number (the kernel's).
            let mut ours = MgmtRepr::parse_bytes(&a.frame()).expect("our frame");
            assert_eq!(ours.header.addr1, r1());
            assert_eq!((ours.header.addr2, ours.header.addr3), (r0(), r0()));
            ours.header.duration = resp.1.header.duration;
            ours.header.seq_ctrl = resp.1.header.seq_ctrl;
            assert_eq!(ours.to_vec(), resp.2);

            assert_eq!(a.dialog_token, 1);
            assert_eq!(a.decision, Ok(PdMethod::PushButton));
            assert_eq!(a.requested, ConfigMethods::PUSH_BUTTON);
            let join = a.join.as_ref().expect("a join");
            assert_eq!(
                (join.device_addr, join.ssid.as_slice()),
                (r0(), &b"DIRECT-q6"[..])
            );
            // The event text is the one wpa_supplicant reported (events-0.log).
            let ev = crate::ctrl::discovery::pd_request_event(&a, None).expect("PBC event").to_string();
            let line = format!("p2p-dev-wlan0\t{ev}");
            assert!(
                EVENTS_0.lines().any(|l| l == line),
                "{ev} not in events-0.log"
            );
            assert_eq!(
                ev,
                "P2P-PROV-DISC-PBC-REQ 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 \
                 pri_dev_type=1-0050F204-1 name='wpas-1' config_methods=0x188 dev_capab=0x25 \
                 group_capab=0x0 group=p2p-wlan0-0"
            );
        }
    }

    /// A second real pair, from the hwtests scenario `client-join-compare` (CI run of
    /// main at 5642de3, 2026-11-21, `target/hwtests/client-join-compare/air.pcap`
    /// records 279 and 283): wpa_supplicant v2.10 `wpas-2` (42:00:00:00:02:00) sends a
    /// join PD Request (PBC) to the wpa_supplicant GO `wpas-0` (42:00:00:00:00:00,
    /// group `DIRECT-Uj` on p2p-wlan0-0), which answers with the response below and
    /// reports the event in `COMPARE_EVENT` (its events-0.log).
    const COMPARE_REQ: &str = "0409506f9a090701dd39506f9a0902020025000d1b00420000000200\
        018800010050f20400010010110006777061732d320f0f004200000000004449524543542d556add\
        0a0050f204100800020080";
    const COMPARE_RESP: &str = "0409506f9a090801dd0a0050f204100800020080";
    const COMPARE_EVENT: &str = "P2P-PROV-DISC-PBC-REQ 42:00:00:00:02:00 \
        p2p_dev_addr=42:00:00:00:02:00 pri_dev_type=1-0050F204-1 name='wpas-2' \
        config_methods=0x188 dev_capab=0x25 group_capab=0x0 group=p2p-wlan0-0";

    #[test]
    fn answers_a_second_captured_request_byte_for_byte() {
        let req = hex::decode(COMPARE_REQ).expect("hex");
        let ours = OurDevice {
            device_addr: r0(),
            groups: vec![OurGroup {
                ifname: "p2p-wlan0-0".into(),
                ssid: b"DIRECT-Uj".to_vec(),
            }],
        };
        let a = answer(&req, mac("42:00:00:00:02:00"), &ours).expect("answer");
        assert_eq!(a.response, hex::decode(COMPARE_RESP).expect("hex"));
        assert_eq!(a.decision, Ok(PdMethod::PushButton));
        assert_eq!(crate::ctrl::discovery::pd_request_event(&a, None).expect("event").to_string(), COMPARE_EVENT);
    }

    /// Real PIN requests: a capture made for this module on 2026-11-21 with the hwsim
    /// harness (three wpa_supplicant v2.10; the scenario was a throw-away file, its
    /// commands are these): r0 `p2p_group_add freq=2437` (group `DIRECT-4c` on
    /// p2p-wlan0-0, device address 42:00:00:00:00:00); r1 `p2p_connect <r0> 12345670
    /// keypad join` (r1 will type the GO's PIN, so its request asks for display 0x0008);
    /// r2 `p2p_connect <r0> pin join` (r2 shows its PIN, the request asks for keypad
    /// 0x0100). Action bodies of air.pcap records 167/169 and 1434/1437, and the events
    /// r0 reported (events-0.log; 76084294 is the PIN r0 generated and showed).
    const PIN_CAPTURES: [(&str, &str, &str, &str); 2] = [
        (
            "42:00:00:00:01:00",
            "0409506f9a090701dd39506f9a0902020025000d1b00420000000100018800010050f2040001\
             0010110006777061732d310f0f004200000000004449524543542d3463dd0a0050f204100800\
             020008",
            "0409506f9a090801dd0a0050f204100800020008",
            "P2P-PROV-DISC-SHOW-PIN 42:00:00:00:01:00 76084294 p2p_dev_addr=42:00:00:00:01:00 \
             pri_dev_type=1-0050F204-1 name='wpas-1' config_methods=0x188 dev_capab=0x25 \
             group_capab=0x0 group=p2p-wlan0-0",
        ),
        (
            "42:00:00:00:02:00",
            "0409506f9a090701dd39506f9a0902020025000d1b00420000000200018800010050f2040001\
             0010110006777061732d320f0f004200000000004449524543542d3463dd0a0050f204100800\
             020100",
            "0409506f9a090801dd0a0050f204100800020100",
            "P2P-PROV-DISC-ENTER-PIN 42:00:00:00:02:00 p2p_dev_addr=42:00:00:00:02:00 \
             pri_dev_type=1-0050F204-1 name='wpas-2' config_methods=0x188 dev_capab=0x25 \
             group_capab=0x0 group=p2p-wlan0-0",
        ),
    ];

    #[test]
    fn answers_captured_pin_requests_as_wpa_supplicant_did() {
        let ours = OurDevice {
            device_addr: r0(),
            groups: vec![OurGroup {
                ifname: "p2p-wlan0-0".into(),
                ssid: b"DIRECT-4c".to_vec(),
            }],
        };
        let expected = [PdMethod::ShowPin, PdMethod::EnterPin];
        for ((sa, req, resp, event), method) in PIN_CAPTURES.into_iter().zip(expected) {
            let a = answer(&hex::decode(req).expect("hex"), mac(sa), &ours).expect("answer");
            assert_eq!(a.response, hex::decode(resp).expect("hex"), "{method:?}");
            assert_eq!(a.decision, Ok(method));
            let pin = (method == PdMethod::ShowPin).then(|| Pin::parse("76084294").expect("pin"));
            assert_eq!(crate::ctrl::discovery::pd_request_event(&a, pin).expect("event").to_string(), event);
        }
    }

    /// A request like wpa_supplicant's, with `methods` in its WSC IE and `group` as its
    /// Group ID.
    fn request(methods: Option<u16>, group: Option<GroupId>) -> Vec<u8> {
        let mut wsc = Vec::new();
        if let Some(m) = methods {
            wsc.extend_from_slice(&[0x10, 0x08, 0x00, 0x02]);
            wsc.extend_from_slice(&m.to_be_bytes());
        }
        ProvisionDiscoveryRequest {
            dialog_token: 7,
            capability: Capability {
                device: DeviceCapability::from_bits_retain(0x25),
                group: GroupCapability::empty(),
            },
            device_info: DeviceInfo {
                device_addr: r1(),
                desc: DeviceDescription {
                    config_methods: ConfigMethods::from_bits_retain(0x188),
                    primary_type: crate::p2p::wire::DeviceType::new(1, 1),
                    secondary_types: vec![],
                    name: b"wpas-1".to_vec(),
                },
            },
            group_id: group,
            wsc,
            ..Default::default()
        }
        .to_bytes()
        .expect("request")
    }

    fn our_group_id() -> GroupId {
        GroupId {
            device_addr: r0(),
            ssid: b"DIRECT-q6".to_vec(),
        }
    }

    fn response(a: &PdAnswer) -> ProvisionDiscoveryResponse {
        match P2pMessage::parse(&a.response).expect("response parses") {
            P2pMessage::ProvisionDiscoveryResponse(r) => r,
            other => panic!("not a PD response: {other:?}"),
        }
    }

    #[test]
    fn display_and_keypad_requests() {
        // `p2p_connect <go> <PIN> keypad join` asks the GO to display (0x0008);
        // `p2p_connect <go> pin join` (the client shows its PIN) asks for keypad (0x0100).
        for (m, method) in [(0x0008, PdMethod::ShowPin), (0x0100, PdMethod::EnterPin)] {
            let a = answer(&request(Some(m), Some(our_group_id())), r1(), &go_r0()).expect("ok");
            assert_eq!(a.decision, Ok(method));
            let r = response(&a);
            assert_eq!((r.dialog_token, r.status), (7, None));
            assert_eq!(r.wsc, [0x10, 0x08, 0x00, 0x02, (m >> 8) as u8, m as u8]);
            assert!(r.p2p_ie().attributes.is_empty());
        }
        let show =
            answer(&request(Some(0x0008), Some(our_group_id())), r1(), &go_r0()).expect("ok");
        assert_eq!(crate::ctrl::discovery::pd_request_event(&show, None), None, "showing a PIN needs the PIN");
        let pin = Pin::parse("12345670").expect("pin");
        assert_eq!(
            crate::ctrl::discovery::pd_request_event(&show, Some(pin)).expect("event").to_string(),
            "P2P-PROV-DISC-SHOW-PIN 42:00:00:00:01:00 12345670 p2p_dev_addr=42:00:00:00:01:00 \
             pri_dev_type=1-0050F204-1 name='wpas-1' config_methods=0x188 dev_capab=0x25 \
             group_capab=0x0 group=p2p-wlan0-0"
        );
        let enter = answer(&request(Some(0x0100), None), r1(), &go_r0()).expect("ok");
        assert_eq!(enter.join, None);
        assert_eq!(
            crate::ctrl::discovery::pd_request_event(&enter, None).expect("event").to_string(),
            "P2P-PROV-DISC-ENTER-PIN 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 \
             pri_dev_type=1-0050F204-1 name='wpas-1' config_methods=0x188 dev_capab=0x25 \
             group_capab=0x0"
        );
    }

    #[test]
    fn method_precedence_and_virtual_methods() {
        // Several bits: display wins over keypad over push button (hostap's order); the
        // echo is the request's value unchanged.
        let a = answer(&request(Some(0x0188), None), r1(), &go_r0()).expect("ok");
        assert_eq!(a.decision, Ok(PdMethod::ShowPin));
        assert_eq!(response(&a).wsc, [0x10, 0x08, 0x00, 0x02, 0x01, 0x88]);
        let a = answer(&request(Some(0x0180), None), r1(), &go_r0()).expect("ok");
        assert_eq!(a.decision, Ok(PdMethod::EnterPin));
        let a = answer(&request(Some(0x0280), None), r1(), &go_r0()).expect("ok");
        assert_eq!(a.decision, Ok(PdMethod::PushButton), "virtual push button");
    }

    #[test]
    fn refusals_carry_status_2_and_no_method() {
        let cases = [
            (
                Some(0x0004),
                Some(our_group_id()),
                PdRejection::UnsupportedMethod,
            ),
            (None, None, PdRejection::UnsupportedMethod),
            (
                Some(0x0080),
                Some(GroupId {
                    device_addr: r0(),
                    ssid: b"DIRECT-zz".to_vec(),
                }),
                PdRejection::UnknownGroup,
            ),
            (
                Some(0x0080),
                Some(GroupId {
                    device_addr: r1(),
                    ssid: b"DIRECT-q6".to_vec(),
                }),
                PdRejection::UnknownGroup,
            ),
        ];
        for (methods, group, why) in cases {
            let ours = group.as_ref() == Some(&our_group_id());
            let a = answer(&request(methods, group), r1(), &go_r0()).expect("answered");
            assert_eq!(a.decision, Err(why));
            assert_eq!(crate::ctrl::discovery::pd_request_event(&a, None), None);
            assert_eq!(a.peer.group.is_some(), ours, "group= only names our groups");
            let r = response(&a);
            assert_eq!(r.dialog_token, 7);
            assert_eq!(r.status, Some(P2pStatus::FAIL_INCOMPATIBLE_PARAMS));
            assert_eq!(r.p2p_ie().attributes, vec![Attribute::Status(P2pStatus(2))]);
            assert_eq!(r.wsc, [0x10, 0x08, 0x00, 0x02, 0x00, 0x00]);
        }
        // No group of ours at all.
        let none = OurDevice {
            device_addr: r0(),
            groups: vec![],
        };
        let a = answer(&request(Some(0x0080), Some(our_group_id())), r1(), &none).expect("ok");
        assert_eq!(a.decision, Err(PdRejection::UnknownGroup));
    }

    #[test]
    fn malformed_requests_are_errors_not_panics() {
        let good = request(Some(0x0080), Some(our_group_id()));
        // Every truncation of a good request: an error or an answer, never a panic.
        for n in 0..good.len() {
            let _ = answer(&good[..n], r1(), &go_r0());
        }
        assert!(matches!(
            answer(&good[..5], r1(), &go_r0()),
            Err(Error::Wire(_))
        ));
        // Another frame (a PD Response) is not a request.
        let resp = hex::decode(COMPARE_RESP).expect("hex");
        assert!(matches!(
            answer(&resp, r1(), &go_r0()),
            Err(Error::Wire(wire::Error::WrongFrame { .. }))
        ));
        // Config Methods with a bad length, and a truncated WSC attribute.
        let bad_len = [0x10, 0x08, 0x00, 0x01, 0x80];
        let truncated = [0x10, 0x08, 0x00, 0x02, 0x00];
        for wsc in [&bad_len[..], &truncated[..]] {
            let mut req = ProvisionDiscoveryRequest::parse_bytes(&good).expect("good");
            req.wsc = wsc.to_vec();
            let bytes = req.to_bytes().expect("emit");
            assert!(
                matches!(answer(&bytes, r1(), &go_r0()), Err(Error::Wsc(_))),
                "{wsc:02x?}"
            );
        }
        // No WSC IE at all.
        let mut f = P2pActionFrame::parse(&good).expect("frame");
        f.ies = crate::ieee80211::vendor::without(&f.ies, crate::ieee80211::VendorType::WSC);
        assert!(matches!(
            answer(&f.to_bytes(), r1(), &go_r0()),
            Err(Error::Wire(wire::Error::MissingWsc(_)))
        ));
    }

    #[test]
    fn random_bytes_never_panic() {
        let good = request(Some(0x0080), Some(our_group_id()));
        let mut x: u32 = 0x1234_5678;
        for _ in 0..2000 {
            let mut b = good.clone();
            for _ in 0..4 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                let i = (x as usize) % b.len();
                b[i] = (x >> 8) as u8;
            }
            if let Ok(a) = answer(&b, r1(), &go_r0()) {
                // Whatever was accepted yields a response that parses.
                assert!(P2pMessage::parse(&a.response).is_ok());
                let _ = a.frame();
            }
        }
    }
}
