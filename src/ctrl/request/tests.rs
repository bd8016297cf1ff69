//! Request parser tests; command strings cited from hostap's own test scripts.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::ctrl::pin::Pin;
use crate::ctrl::reply::DeviceType;

fn p(s: &str) -> Request {
    Request::parse(s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn err(s: &str) -> ParseError {
    match Request::parse(s.as_bytes()) {
        Err(e) => e,
        Ok(r) => panic!("{s:?} parsed as {r:?}"),
    }
}

const A: MacAddr = MacAddr([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);

#[test]
fn simple_commands_any_case() {
    assert_eq!(p("PING"), Request::Ping);
    assert_eq!(p("ping"), Request::Ping);
    assert_eq!(p("Ping\n"), Request::Ping);
    assert_eq!(p("STATUS"), Request::Status { verbose: false });
    assert_eq!(p("status-verbose"), Request::Status { verbose: true });
    assert_eq!(p("ATTACH"), Request::Attach);
    assert_eq!(p("DETACH"), Request::Detach);
    assert_eq!(p("LEVEL 2"), Request::Level(2));
    assert_eq!(p("LEVEL -1"), Request::Level(-1));
    assert_eq!(p("INTERFACES"), Request::Interfaces);
    assert_eq!(p("TERMINATE"), Request::Terminate);
    assert_eq!(p("p2p_stop_find"), Request::P2pStopFind);
    assert_eq!(p("P2P_FLUSH"), Request::P2pFlush);
    assert_eq!(p("P2P_CANCEL"), Request::P2pCancel);
    assert_eq!(p("P2P_GET_PASSPHRASE"), Request::P2pGetPassphrase);
}

#[test]
fn unknown_and_malformed() {
    assert_eq!(
        p("SCAN"),
        Request::Unknown {
            command: "SCAN".into()
        }
    );
    assert_eq!(
        p("FOO bar baz"),
        Request::Unknown {
            command: "FOO".into()
        }
    );
    assert_eq!(err(""), ParseError::Empty);
    assert_eq!(err(" PING"), ParseError::Empty);
    assert_eq!(err("PING extra").reply(), "FAIL\n");
    assert_eq!(err("LEVEL x").reply(), "FAIL\n");
    assert_eq!(
        err("LEVEL"),
        ParseError::InvalidValue {
            command: "LEVEL",
            what: "level",
            value: "".into()
        }
    );
    assert_eq!(Request::parse(&[0xff, 0xfe]), Err(ParseError::NotUtf8));
    let big = vec![b'A'; MAX_REQUEST_LEN + 1];
    assert_eq!(
        Request::parse(&big),
        Err(ParseError::TooLong(MAX_REQUEST_LEN + 1))
    );
}

#[test]
fn find_options() {
    assert_eq!(p("P2P_FIND"), Request::P2pFind(FindParams::default()));
    // hostap tests/hwsim/wpasupplicant.py p2p_find() appends " type=social", " dev_id=..",
    // " dev_type=..", " delay=..", " freq=.." to "P2P_FIND"; test_p2p_service.py sends
    // "P2P_FIND 4 type=social".
    assert_eq!(
        p("P2P_FIND type=social"),
        Request::P2pFind(FindParams {
            find_type: FindType::Social,
            ..Default::default()
        })
    );
    assert_eq!(
        p("P2P_FIND 5 type=progressive dev_id=00:11:22:33:44:55 delay=2 freq=2412"),
        Request::P2pFind(FindParams {
            timeout: Some(5),
            find_type: FindType::Progressive,
            dev_id: Some(A),
            delay: Some(2),
            freq: Some(2412),
            dev_type: None,
        })
    );
    assert_eq!(
        p("P2P_FIND 4 type=social"),
        Request::P2pFind(FindParams {
            timeout: Some(4),
            find_type: FindType::Social,
            ..Default::default()
        })
    );
    assert_eq!(
        p("P2P_FIND dev_type=1-0050F204-1"),
        Request::P2pFind(FindParams {
            dev_type: Some(DeviceType {
                category: 1,
                oui: [0x00, 0x50, 0xf2, 0x04],
                sub_category: 1
            }),
            ..Default::default()
        })
    );
    assert!(matches!(
        err("P2P_FIND dev_type=1-0050F204"),
        ParseError::InvalidValue { .. }
    ));
    assert!(matches!(
        err("P2P_FIND type=foo"),
        ParseError::InvalidValue { .. }
    ));
    assert!(matches!(
        err("P2P_FIND freq=0"),
        ParseError::InvalidValue { .. }
    ));
    assert!(matches!(
        err("P2P_FIND dev_id=00:11"),
        ParseError::Mac { .. }
    ));
    assert!(matches!(
        err("P2P_FIND type=social 5"),
        ParseError::Unexpected { .. }
    ));
}

#[test]
fn listen_reject_peer_remove() {
    assert_eq!(p("P2P_LISTEN"), Request::P2pListen { timeout: None });
    assert_eq!(p("P2P_LISTEN 10"), Request::P2pListen { timeout: Some(10) });
    assert!(err("P2P_LISTEN ten").reply() == "FAIL\n");
    assert_eq!(p("P2P_REJECT 00:11:22:33:44:55"), Request::P2pReject(A));
    assert!(matches!(err("P2P_REJECT"), ParseError::Missing { .. }));
    assert_eq!(p("P2P_PEER FIRST"), Request::P2pPeer(PeerQuery::First));
    assert_eq!(
        p("P2P_PEER NEXT-00:11:22:33:44:55"),
        Request::P2pPeer(PeerQuery::Next(A))
    );
    assert_eq!(
        p("P2P_PEER 00:11:22:33:44:55"),
        Request::P2pPeer(PeerQuery::Addr(A))
    );
    assert!(matches!(err("P2P_PEER NEXT-"), ParseError::Mac { .. }));
    assert!(matches!(err("P2P_PEER"), ParseError::Missing { .. }));
    assert_eq!(
        p("P2P_GROUP_REMOVE p2p-wlan0-0"),
        Request::P2pGroupRemove {
            ifname: "p2p-wlan0-0".into()
        }
    );
    assert_eq!(
        p("P2P_GROUP_REMOVE *"),
        Request::P2pGroupRemove { ifname: "*".into() }
    );
    assert!(matches!(
        err("P2P_GROUP_REMOVE"),
        ParseError::Missing { .. }
    ));
    assert!(matches!(
        err("P2P_GROUP_REMOVE ../x"),
        ParseError::InvalidValue { .. }
    ));
}

#[test]
fn prov_disc() {
    assert_eq!(
        p("P2P_PROV_DISC 00:11:22:33:44:55 display"),
        Request::P2pProvDisc(ProvDiscParams {
            peer: A,
            method: ProvDiscMethod::Display,
            usage: ProvDiscUse::GoNeg
        })
    );
    assert_eq!(
        p("P2P_PROV_DISC 00:11:22:33:44:55 pbc join"),
        Request::P2pProvDisc(ProvDiscParams {
            peer: A,
            method: ProvDiscMethod::Pbc,
            usage: ProvDiscUse::Join
        })
    );
    assert_eq!(
        p("P2P_PROV_DISC 00:11:22:33:44:55 keypad auto"),
        Request::P2pProvDisc(ProvDiscParams {
            peer: A,
            method: ProvDiscMethod::Keypad,
            usage: ProvDiscUse::Auto
        })
    );
    assert!(matches!(
        err("P2P_PROV_DISC 00:11:22:33:44:55"),
        ParseError::Missing { .. }
    ));
    assert!(matches!(
        err("P2P_PROV_DISC 00:11:22:33:44:55 push"),
        ParseError::InvalidValue { .. }
    ));
}

fn connect(s: &str) -> ConnectParams {
    match p(s) {
        Request::P2pConnect(c) => c,
        other => panic!("{other:?}"),
    }
}

#[test]
fn connect_methods() {
    // Command strings as hostap tests/hwsim/wpasupplicant.py builds them:
    // "P2P_CONNECT " + peer + " " + pin + " " + method [+ " auth"] [+ " go_intent=N"] ...
    let c = connect("P2P_CONNECT 00:11:22:33:44:55 pbc");
    assert_eq!(c.peer, A);
    assert_eq!(c.method, ConnectMethod::Pbc);
    assert_eq!(
        connect("P2P_CONNECT 00:11:22:33:44:55 pin").method,
        ConnectMethod::PinGenerate
    );
    let pin = Pin::parse("12345670").unwrap();
    assert_eq!(
        connect("P2P_CONNECT 00:11:22:33:44:55 12345670 display").method,
        ConnectMethod::PinDisplay(pin.clone())
    );
    assert_eq!(
        connect("P2P_CONNECT 00:11:22:33:44:55 12345670 keypad").method,
        ConnectMethod::PinKeypad(pin.clone())
    );
    assert_eq!(
        connect("P2P_CONNECT 00:11:22:33:44:55 12345670").method,
        ConnectMethod::PinKeypad(pin)
    );
    let c = connect("P2P_CONNECT 00:11:22:33:44:55 12345670 display auth go_intent=15 freq=2437");
    assert!(c.auth && !c.join);
    assert_eq!(c.go_intent, Some(15));
    assert_eq!(c.freq, Some(2437));
}

#[test]
fn connect_all_option_words() {
    let c = connect(
        "P2P_CONNECT 00:11:22:33:44:55 pbc persistent join go_intent=0 ht40 vht he provdisc auto",
    );
    assert_eq!(c.persistent, Some(Persistent::New));
    assert!(c.join && c.ht40 && c.vht && c.he && c.provdisc && c.auto && !c.auth);
    assert_eq!(c.go_intent, Some(0));
    assert_eq!(
        connect("P2P_CONNECT 00:11:22:33:44:55 pbc persistent=3").persistent,
        Some(Persistent::Id(3))
    );
    // hostap tests/hwsim/test_p2ps.py joins with "... persistent join" + " ssid=" + hex SSID
    assert_eq!(
        connect("P2P_CONNECT 00:11:22:33:44:55 12345670 join ssid=4449524543542d7879").ssid,
        Some(b"DIRECT-xy".to_vec())
    );
    assert!(matches!(
        err("P2P_CONNECT 00:11:22:33:44:55 pbc ssid=4"),
        ParseError::InvalidValue { .. }
    ));
    assert!(matches!(
        err("P2P_CONNECT 00:11:22:33:44:55 pbc ssid="),
        ParseError::InvalidValue { .. }
    ));
    assert!(matches!(
        err("P2P_CONNECT 00:11:22:33:44:55 pbc ssid=zz"),
        ParseError::InvalidValue { .. }
    ));
    assert_eq!(
        connect("P2P_CONNECT 00:11:22:33:44:55 pin display").method,
        ConnectMethod::PinGenerate
    );
    // vht implies ht40, as in hostap.
    assert!(connect("P2P_CONNECT 00:11:22:33:44:55 pbc vht").ht40);
}

// Error cases from hostap tests/hwsim/test_p2p_grpform.py test_grpform_connect_errors
// (those that are syntax errors there).
#[test]
fn connect_errors_like_hostap() {
    for bad in [
        "P2P_CONNECT foo",
        "P2P_CONNECT 00:11:22:33:44:55",
        "P2P_CONNECT 00:11:22:33:44:55 pbc go_intent=-1",
        "P2P_CONNECT 00:11:22:33:44:55 pbc go_intent=16",
        "P2P_CONNECT 00:11:22:33:44:55 pbc freq=0",
    ] {
        assert_eq!(err(bad).reply(), "FAIL\n", "{bad}");
    }
    for bad_pin in [
        "P2P_CONNECT 00:11:22:33:44:55 1234567",
        "P2P_CONNECT 00:11:22:33:44:55 12345678a",
        // wrong WPS checksum (hostap test_ap_wps.py: 12345678 is FAIL-CHECKSUM)
        "P2P_CONNECT 00:11:22:33:44:55 12345678",
        "P2P_CONNECT 00:11:22:33:44:55 foo",
    ] {
        assert_eq!(err(bad_pin).reply(), "FAIL-INVALID-PIN\n", "{bad_pin}");
    }
    // hostap checks go_intent/freq before the PIN: FAIL, not FAIL-INVALID-PIN.
    assert_eq!(
        err("P2P_CONNECT 00:11:22:33:44:55 1234567 go_intent=16").reply(),
        "FAIL\n"
    );
    assert_eq!(
        err("P2P_CONNECT 00:11:22:33:44:55 foo freq=0").reply(),
        "FAIL\n"
    );
    // display/keypad only after a PIN; unknown words rejected.
    assert_eq!(
        err("P2P_CONNECT 00:11:22:33:44:55 pbc display").reply(),
        "FAIL\n"
    );
    assert_eq!(
        err("P2P_CONNECT 00:11:22:33:44:55 pbc bogus").reply(),
        "FAIL\n"
    );
}

#[test]
fn group_add_and_invite() {
    assert_eq!(
        p("P2P_GROUP_ADD"),
        Request::P2pGroupAdd(GroupAddParams::default())
    );
    assert_eq!(
        p("P2P_GROUP_ADD persistent=0 freq=2412 ht40"),
        Request::P2pGroupAdd(GroupAddParams {
            persistent: Some(Persistent::Id(0)),
            freq: Some(2412),
            ht40: true,
            ..Default::default()
        })
    );
    assert_eq!(
        p("P2P_GROUP_ADD persistent"),
        Request::P2pGroupAdd(GroupAddParams {
            persistent: Some(Persistent::New),
            ..Default::default()
        })
    );
    assert!(matches!(
        err("P2P_GROUP_ADD foo"),
        ParseError::Unexpected { .. }
    ));
    assert_eq!(
        p("P2P_INVITE persistent=1 peer=00:11:22:33:44:55 freq=2437"),
        Request::P2pInvite(InviteParams::Persistent {
            id: 1,
            peer: Some(A),
            freq: Some(2437)
        })
    );
    assert_eq!(
        p("P2P_INVITE group=p2p-wlan0-0 peer=00:11:22:33:44:55 go_dev_addr=02:00:00:00:00:01"),
        Request::P2pInvite(InviteParams::Group {
            ifname: "p2p-wlan0-0".into(),
            peer: A,
            go_dev_addr: Some(MacAddr([2, 0, 0, 0, 0, 1]))
        })
    );
    assert!(matches!(
        err("P2P_INVITE group=p2p-wlan0-0"),
        ParseError::Missing { .. }
    ));
    assert!(matches!(
        err("P2P_INVITE peer=00:11:22:33:44:55"),
        ParseError::Unexpected { .. }
    ));
    assert!(matches!(err("P2P_INVITE"), ParseError::Missing { .. }));
    // hostap's test_p2p_invite_invalid (those the parser can tell; an unknown id or
    // group is FAIL in the agent), and freq=0.
    for bad in [
        "P2P_INVITE foo=bar",
        "P2P_INVITE persistent=123 peer=foo",
        "P2P_INVITE group=foo",
        "P2P_INVITE group=foo peer=foo",
        "P2P_INVITE group=foo peer=00:11:22:33:44:55 go_dev_addr=foo",
        "P2P_INVITE persistent=0 freq=0",
    ] {
        err(bad);
    }
}

#[test]
fn set_get() {
    assert_eq!(
        p("P2P_SET ssid_postfix _foo bar"),
        Request::P2pSet {
            field: "ssid_postfix".into(),
            value: "_foo bar".into()
        }
    );
    assert_eq!(
        p("SET device_name my dev"),
        Request::Set {
            field: "device_name".into(),
            value: "my dev".into()
        }
    );
    assert_eq!(
        p("SET p2p_go_intent 7"),
        Request::Set {
            field: "p2p_go_intent".into(),
            value: "7".into()
        }
    );
    assert!(matches!(err("SET device_name"), ParseError::Missing { .. }));
    assert_eq!(
        p("GET device_name"),
        Request::Get {
            field: "device_name".into()
        }
    );
    assert!(matches!(err("GET"), ParseError::Missing { .. }));
}

#[test]
fn wps_commands() {
    assert_eq!(p("WPS_PBC"), Request::WpsPbc { bssid: None });
    assert_eq!(p("WPS_CANCEL"), Request::WpsCancel);
    assert!(Request::parse(b"WPS_CANCEL now").is_err());
    assert_eq!(
        p("WPS_PBC 00:11:22:33:44:55"),
        Request::WpsPbc { bssid: Some(A) }
    );
    assert_eq!(p("WPS_PIN get"), Request::WpsPin(WpsPinRequest::Get));
    // hostap tests/hwsim/wpasupplicant.py: "WPS_PIN any " + pin
    assert_eq!(
        p("WPS_PIN any 12345670"),
        Request::WpsPin(WpsPinRequest::Use {
            target: WpsPinTarget::Any,
            pin: Some(Pin::parse("12345670").unwrap()),
            timeout: None
        })
    );
    assert_eq!(
        p("WPS_PIN 00:11:22:33:44:55 1234 120"),
        Request::WpsPin(WpsPinRequest::Use {
            target: WpsPinTarget::Addr(A),
            pin: Some(Pin::parse("1234").unwrap()),
            timeout: Some(120)
        })
    );
    assert_eq!(
        p("WPS_PIN any"),
        Request::WpsPin(WpsPinRequest::Use {
            target: WpsPinTarget::Any,
            pin: None,
            timeout: None
        })
    );
    assert_eq!(err("WPS_PIN any 12345678").reply(), "FAIL-INVALID-PIN\n");
    assert!(matches!(err("WPS_PIN"), ParseError::Missing { .. }));
    assert!(matches!(
        err("WPS_PIN get 1"),
        ParseError::Unexpected { .. }
    ));
}

#[test]
fn ifname_prefix() {
    assert_eq!(
        split_ifname_prefix("IFNAME=p2p-dev-wlan0 P2P_FIND"),
        (Some("p2p-dev-wlan0"), "P2P_FIND")
    );
    assert_eq!(split_ifname_prefix("P2P_FIND"), (None, "P2P_FIND"));
    assert_eq!(split_ifname_prefix("IFNAME=x"), (None, "IFNAME=x"));
}

#[test]
fn debug_of_connect_hides_pin() {
    let r = p("P2P_CONNECT 00:11:22:33:44:55 12345670 display");
    assert!(!format!("{r:?}").contains("12345670"));
    assert_eq!(r.command_name(), "P2P_CONNECT");
}

proptest::proptest! {
    // Input from a socket: arbitrary bytes must give a request or a typed error, never a
    // panic.
    #[test]
    fn parse_never_panics_on_bytes(data in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
        let _ = Request::parse(&data);
    }

    // Known command words with arbitrary argument text (multi-byte characters included).
    #[test]
    fn parse_never_panics_on_arguments(
        cmd in proptest::sample::select(vec![
            "P2P_CONNECT", "P2P_PEER", "P2P_FIND", "P2P_PROV_DISC", "P2P_INVITE", "P2P_GROUP_ADD",
            "WPS_PIN", "LEVEL", "SET", "P2P_SET", "GET", "P2P_LISTEN", "P2P_GROUP_REMOVE", "WPS_PBC",
        ]),
        args in "[ 0-9a-fA-F:=\\-NEXTpinbcdsplayé\\x{1F600}]{0,60}",
    ) {
        let _ = Request::parse(format!("{cmd} {args}").as_bytes());
    }

    // Any well-formed address round-trips through P2P_PEER NEXT-<addr>.
    #[test]
    fn peer_next_roundtrip(octets in proptest::array::uniform6(proptest::num::u8::ANY)) {
        let a = MacAddr(octets);
        proptest::prop_assert_eq!(
            Request::parse(format!("P2P_PEER NEXT-{a}").as_bytes()),
            Ok(Request::P2pPeer(PeerQuery::Next(a)))
        );
    }
}

#[test]
fn ndn_commands_take_no_arguments() {
    assert_eq!(Request::parse_str("NDN_PEERS"), Ok(Request::NdnPeers));
    assert_eq!(Request::parse_str("ndn_fib\n"), Ok(Request::NdnFib));
    assert!(Request::NdnPeers.is_ndn() && Request::NdnFib.is_ndn() && !Request::Ping.is_ndn());
    assert!(matches!(Request::parse_str("NDN_PEERS all"), Err(ParseError::Unexpected { .. })));
    assert_eq!(Request::NdnFib.command_name(), "NDN_FIB");
}

/// The whole reply wpa_supplicant would give before starting anything: parse, then
/// [`check_connect`].
fn connect_reply(s: &str, cx: &ConnectContext<'_>) -> String {
    match Request::parse(s.as_bytes()) {
        Err(e) => e.reply().to_owned(),
        Ok(Request::P2pConnect(p)) => match check_connect(&p, cx) {
            Ok(()) => "OK\n".to_owned(),
            Err(r) => r.to_text(),
        },
        Ok(other) => panic!("{s:?} parsed as {other:?}"),
    }
}

// hostap tests/hwsim/test_p2p_grpform.py test_invalid_p2p_connect_command, every case,
// on a device that knows no peer and has network 0 as a plain (not persistent) network.
#[test]
fn invalid_p2p_connect_command_like_hostap() {
    let freqs: Vec<u32> = (2412..=2462).step_by(5).collect();
    let cx = ConnectContext {
        supported_freqs: &freqs,
        unavailable_freqs: &[],
        persistent_go_ids: &[],
        peer_known: false,
    };
    for cmd in [
        "foo",
        "00:11:22:33:44:55",
        "00:11:22:33:44:55 pbc persistent=123",
        "00:11:22:33:44:55 pbc persistent=0",
        "00:11:22:33:44:55 pbc go_intent=-1",
        "00:11:22:33:44:55 pbc go_intent=16",
        "00:11:22:33:44:55 pin",
        "00:11:22:33:44:55 pbc freq=0",
    ] {
        assert_eq!(
            connect_reply(&format!("P2P_CONNECT {cmd}"), &cx),
            "FAIL\n",
            "{cmd}"
        );
    }
    for cmd in ["00:11:22:33:44:55 1234567", "00:11:22:33:44:55 12345678a"] {
        assert_eq!(
            connect_reply(&format!("P2P_CONNECT {cmd}"), &cx),
            "FAIL-INVALID-PIN\n",
            "{cmd}"
        );
    }
    assert_eq!(
        connect_reply("P2P_CONNECT 00:11:22:33:44:55 pin freq=3000", &cx),
        "FAIL-CHANNEL-UNSUPPORTED\n"
    );
}

#[test]
fn check_connect_order_and_passes() {
    let freqs = [2412, 2437, 2462, 5180];
    let known = ConnectContext {
        supported_freqs: &freqs,
        unavailable_freqs: &[5180],
        persistent_go_ids: &[3],
        peer_known: true,
    };
    let r = |s: &str, cx: &ConnectContext<'_>| connect_reply(s, cx);
    assert_eq!(r("P2P_CONNECT 00:11:22:33:44:55 pbc", &known), "OK\n");
    assert_eq!(
        r("P2P_CONNECT 00:11:22:33:44:55 pbc auth go_intent=0", &known),
        "OK\n"
    );
    assert_eq!(
        r(
            "P2P_CONNECT 00:11:22:33:44:55 pbc freq=2437 persistent=3",
            &known
        ),
        "OK\n"
    );
    assert_eq!(
        r("P2P_CONNECT 00:11:22:33:44:55 pbc freq=5180", &known),
        "FAIL-CHANNEL-UNAVAILABLE\n"
    );
    assert_eq!(
        r("P2P_CONNECT 00:11:22:33:44:55 12345670 freq=3000", &known),
        "FAIL-CHANNEL-UNSUPPORTED\n"
    );
    // A persistent id that is not ours fails before the channel is looked at.
    assert_eq!(
        r(
            "P2P_CONNECT 00:11:22:33:44:55 pbc persistent=4 freq=3000",
            &known
        ),
        "FAIL\n"
    );
    let unknown = ConnectContext {
        peer_known: false,
        ..known
    };
    // Unknown peer: negotiation and auth fail; join and auto scan for it instead (and
    // do not look at freq=).
    assert_eq!(
        r("P2P_CONNECT 00:11:22:33:44:55 pbc auth", &unknown),
        "FAIL\n"
    );
    assert_eq!(
        r("P2P_CONNECT 00:11:22:33:44:55 pbc join", &unknown),
        "OK\n"
    );
    assert_eq!(
        r("P2P_CONNECT 00:11:22:33:44:55 pbc auto freq=3000", &unknown),
        "OK\n"
    );
}

#[test]
fn connect_method_to_negotiation_method() {
    use crate::p2p::go_neg::WpsMethod;
    let m = |s: &str| connect(s).method.wps_method();
    assert_eq!(m("P2P_CONNECT 00:11:22:33:44:55 pbc"), WpsMethod::Pbc);
    assert_eq!(
        m("P2P_CONNECT 00:11:22:33:44:55 pin"),
        WpsMethod::PinDisplay
    );
    assert_eq!(
        m("P2P_CONNECT 00:11:22:33:44:55 12345670 display"),
        WpsMethod::PinDisplay
    );
    assert_eq!(
        m("P2P_CONNECT 00:11:22:33:44:55 12345670"),
        WpsMethod::PinKeypad
    );
}

#[test]
fn station_queries() {
    // wpa_cli's all_sta sends STA-FIRST, then STA-NEXT <the address of the last reply>;
    // sta <addr> sends STA <addr> (hostap wpa_cli.c, hostapd_cli.c).
    assert_eq!(p("STA-FIRST"), Request::StaFirst);
    assert_eq!(p("sta-first"), Request::StaFirst);
    assert_eq!(p("STA-NEXT 00:11:22:33:44:55"), Request::StaNext(A));
    assert_eq!(p("STA 00:11:22:33:44:55\n"), Request::Sta(A));
    assert_eq!(err("STA-FIRST 00:11:22:33:44:55"), ParseError::Unexpected { command: "STA-FIRST", arg: A.to_string() });
    // `wpa_cli all_sta` after an empty reply sends `STA-NEXT ` with no address: FAIL ends it.
    assert_eq!(err("STA-NEXT "), ParseError::Missing { command: "STA-NEXT", what: "<addr>" });
    assert_eq!(err("STA 00:11:22:33:44"), ParseError::Mac { command: "STA", value: "00:11:22:33:44".into() });
    assert_eq!(err("STA 00:11:22:33:44:55 eapol").reply(), "FAIL\n");
    assert_eq!(p("STA-NEXT 00:11:22:33:44:55").command_name(), "STA-NEXT");
}

#[test]
fn stored_network_commands() {
    assert_eq!(p("LIST_NETWORKS"), Request::ListNetworks);
    assert_eq!(p("remove_network 3"), Request::RemoveNetwork(Some(3)));
    assert_eq!(p("REMOVE_NETWORK all"), Request::RemoveNetwork(None));
    assert_eq!(p("GET_NETWORK 0 p2p_client_list"), Request::GetNetwork { id: 0, field: "p2p_client_list".into() });
    for bad in ["REMOVE_NETWORK", "REMOVE_NETWORK x", "REMOVE_NETWORK -1", "REMOVE_NETWORK 1 2", "GET_NETWORK 0", "GET_NETWORK a ssid"] {
        assert_eq!(Request::parse_str(bad).map_err(|e| e.reply()), Err("FAIL\n"), "{bad}");
    }
}
