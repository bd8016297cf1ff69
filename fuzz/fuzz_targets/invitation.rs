//! The invitation machine (p2p::invitation::Inviter), with an invitation outstanding, fed
//! arbitrary action bodies as Requests and Responses from the invitee, and TX status:
//! it never panics, every frame it sends parses as an Invitation Request or Response in a
//! management frame that parses, and each Response carries the dialog token of the body
//! it answers.
#![no_main]
use std::time::{Duration, Instant};

use directd::eapol::SeededRandom;
use directd::ieee80211::{MacAddr, MgmtBody, MgmtRepr};
use directd::p2p::invitation::{Input, Invite, Inviter, Local, Output};
use directd::p2p::wire::{
    Channel, ChannelEntry, ChannelList, ConfigMethods, ConfigTimeout, DeviceCapability,
    DeviceDescription, GroupId, InvitationRequest, InvitationResponse, P2pActionFrame,
    consts::COUNTRY_GLOBAL,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ch = |c| Channel { country: COUNTRY_GLOBAL, op_class: 81, channel: c };
    let local = Local {
        device_addr: MacAddr([0x42, 0, 0, 0, 0, 0]),
        device: DeviceDescription {
            config_methods: ConfigMethods::PUSH_BUTTON,
            primary_type: directd::p2p::wire::types::DeviceType::new(1, 1),
            secondary_types: Vec::new(),
            name: b"fuzz".to_vec(),
        },
        device_capability: DeviceCapability::INVITATION_PROCEDURE,
        channels: ChannelList { country: COUNTRY_GLOBAL, entries: vec![ChannelEntry { op_class: 81, channels: vec![1, 6, 11] }] },
        listen_channel: ch(6),
        config_timeout: ConfigTimeout { go_10ms: 100, client_10ms: 20 },
        max_requests: 3,
        // A stored group, so a re-invocation of it takes the accept path too.
        stored: vec![GroupId { device_addr: MacAddr([0x02, 0, 0, 0, 1, 0]), ssid: b"DIRECT-st".to_vec() }],
        group_iface_addr: MacAddr([0x46, 0, 0, 0, 0, 0]),
        running: Vec::new(),
        // A byte of the input picks the user's policy and whether a group runs already,
        // so the status 1 and status 5 answers are fuzzed too.
        persistent_reconnect: data.get(1).is_none_or(|b| b & 1 == 0),
        groups_full: data.get(1).is_some_and(|b| b & 2 != 0),
        active_ssids: Vec::new(),
    };
    let peer = MacAddr([0x02, 0, 0, 0, 1, 0]);
    let mut m = Inviter::new(local, Box::new(SeededRandom::new([7; 32])));
    let mut now = Instant::now();
    m.handle_input(
        now,
        Input::Invite {
            invite: Invite {
                peer,
                group: GroupId { device_addr: MacAddr([0x42, 0, 0, 0, 0, 0]), ssid: b"DIRECT-ab".to_vec() },
                bssid: Some(MacAddr([0x46, 0, 0, 0, 0, 0])),
                op_channel: Some(ch(1)),
                persistent: data.first().is_some_and(|b| b & 1 != 0),
                active_go: data.first().is_some_and(|b| b & 2 != 0),
            },
            peer_listen_freq: 2412,
        },
    );
    // Bodies separated by 0xfe; odd ones are not ACKed.
    for (i, chunk) in data.get(1..).unwrap_or(&[]).split(|b| *b == 0xfe).enumerate() {
        m.handle_input(now, Input::Frame { sa: peer, freq: 2412, body: chunk.to_vec() });
        while let Some(o) = m.poll_output() {
            if let Output::Send(tx) = o {
                let f = MgmtRepr::parse_bytes(&tx.frame).expect("our frame parses");
                let MgmtBody::Action(a) = &f.body else { panic!("not an action frame") };
                let body = a.to_bytes();
                let frame = P2pActionFrame::parse(&body).expect("our P2P frame parses");
                if frame.kind == InvitationResponse::KIND {
                    InvitationResponse::parse(&frame).expect("our Response parses");
                    assert_eq!(Some(&frame.dialog_token), chunk.get(7), "Response token");
                } else {
                    InvitationRequest::parse(&frame).expect("our Request parses");
                }
                m.handle_input(now, Input::TxStatus { id: tx.id, acked: i % 2 == 0 });
            }
        }
        now += Duration::from_millis(200);
        m.handle_timeout(now);
        m.handle_input(now, Input::ListenEnded);
    }
});
