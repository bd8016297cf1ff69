#![allow(clippy::unwrap_used)]
//! The codec against nl80211 traffic of `iw` captured with nlmon in the hwsim guest
//! (tests/data/README.md says how). Where iw printed what it decoded, the test compares
//! this crate's reading of the same bytes with iw's text.

mod common;

use common::{Captured, read_datagrams, read_pcap, read_text};
use nl80211::ctrl::{self, decode_family};
use nl80211::interface::{self, IfTarget, NewInterfaceOpts};
use nl80211::netlink::{GENL_ID_CTRL, NLM_F_DUMP};
use nl80211::{Attr, Command, Dispatch, IfType, Interface, Message, Wiphy, dispatch::Routed};

/// The nl80211 family id the kernel gave in this capture (from the controller's reply).
fn family_id(msgs: &[Captured]) -> u16 {
    let reply = msgs
        .iter()
        .find(|m| !m.from_user && m.header.kind == GENL_ID_CTRL)
        .expect("controller reply in capture");
    decode_family(reply.payload()).expect("family decodes").id
}

/// User requests of `cmd`, and the kernel messages answering them (same port id and seq).
fn exchange(msgs: &[Captured], fam: u16, cmd: Command) -> (Captured, Vec<Captured>) {
    let req = msgs
        .iter()
        .find(|m| m.from_user && m.header.kind == fam && m.genl_cmd() == Some(cmd.number()))
        .unwrap_or_else(|| panic!("no {cmd:?} request"))
        .clone();
    let replies = msgs
        .iter()
        .filter(|m| !m.from_user && m.header.seq == req.header.seq && m.header.pid == req.header.pid)
        .cloned()
        .collect();
    (req, replies)
}

/// Replays the kernel's datagrams for `req` through a [`Dispatch`] and returns its result.
fn replay(file: &str, req: &Captured) -> Result<Vec<Message>, nl80211::Error> {
    let mut d = Dispatch::new();
    d.set_family(family_id(&read_pcap(file)));
    d.track(req.header.seq);
    for dg in read_datagrams(file) {
        // Only the kernel's datagrams addressed to iw's socket (a reply carries its port
        // id); iw's own requests are in the capture too.
        let from_user = u16::from_ne_bytes([dg[6], dg[7]]) & nl80211::netlink::NLM_F_REQUEST != 0;
        if from_user || u32::from_ne_bytes(dg[12..16].try_into().unwrap()) != req.header.pid {
            continue;
        }
        for r in d.on_datagram(&dg, &[]) {
            if let Routed::Complete { seq, result } = r {
                assert_eq!(seq, req.header.seq);
                return result.map(|p| p.iter().map(|b| Message::decode_payload(b).expect("decodes")).collect());
            }
        }
    }
    panic!("request {} never completed", req.header.seq);
}

/// Our encoding of `msg` with iw's sequence number and flags, compared to iw's bytes except
/// `nlmsg_pid` (libnl fills in its socket's port id; this crate leaves it 0 for the kernel).
fn assert_same_request(ours: &Message, iw: &Captured, fam: u16) {
    let dump = iw.header.flags & NLM_F_DUMP == NLM_F_DUMP;
    let mut bytes = ours.encode_request(fam, iw.header.seq, dump);
    bytes[12..16].copy_from_slice(&iw.bytes[12..16]);
    assert_eq!(hex::encode(&bytes), hex::encode(&iw.bytes), "{:?} differs from iw's", ours.cmd);
}

#[test]
fn controller_reply_names_nl80211_and_its_groups() {
    let msgs = read_pcap("iw-phy.pcap");
    let reply = msgs.iter().find(|m| !m.from_user && m.header.kind == GENL_ID_CTRL).expect("reply");
    let fam = decode_family(reply.payload()).expect("decodes");
    for g in ["config", "scan", "regulatory", "mlme"] {
        assert!(fam.group(g).is_some(), "group {g} missing in {:?}", fam.groups);
    }
    // iw's following requests use the id the controller gave.
    assert!(msgs.iter().any(|m| m.from_user && m.header.kind == fam.id));
    assert!(fam.id > GENL_ID_CTRL);
}

#[test]
fn our_get_family_request_equals_libnls_up_to_version() {
    let msgs = read_pcap("iw-phy.pcap");
    let iw = msgs.iter().find(|m| m.from_user && m.header.kind == GENL_ID_CTRL).expect("request");
    let mut ours = ctrl::encode_get_family("nl80211", iw.header.seq);
    ours[12..16].copy_from_slice(&iw.bytes[12..16]);
    // Everything but the genl version byte (libnl's genl_ctrl_resolve sends its own).
    ours[17] = iw.bytes[17];
    assert_eq!(hex::encode(&ours), hex::encode(&iw.bytes));
}

/// Blocks of iw's `phy` output: lines under a header line, until the indentation drops.
fn iw_list(text: &str, header: &str) -> Vec<String> {
    let mut lines = text.lines().skip_while(|l| l.trim() != header.trim());
    lines.next();
    lines.take_while(|l| l.starts_with("\t\t")).map(|l| l.trim().trim_start_matches("* ").to_string()).collect()
}

#[test]
fn split_wiphy_dump_reads_as_iw_printed_it() {
    let msgs = read_pcap("iw-phy.pcap");
    let fam = family_id(&msgs);
    let (req, _) = exchange(&msgs, fam, Command::GetWiphy);
    assert_same_request(&nl80211::wiphy::get_wiphy_dump_request(), &req, fam);
    let replies = replay("iw-phy.pcap", &req).expect("dump completes");
    assert!(replies.len() > 20, "a split dump is many messages, got {}", replies.len());
    let wiphys = Wiphy::from_messages(&replies);
    assert_eq!(wiphys.len(), 1);
    let w = &wiphys[0];
    let text = read_text("iw-phy.txt");
    assert!(text.starts_with(&format!("Wiphy {}\n\twiphy index: {}", w.name, w.index)));

    let names = |v: &[IfType]| v.iter().map(|t| t.name()).collect::<Vec<_>>();
    assert_eq!(names(&w.iftypes), iw_list(&text, "Supported interface modes:"));
    assert_eq!(names(&w.software_iftypes), iw_list(&text, "software interface modes (can always be added):"));
    assert!(w.supports_iftype(IfType::P2pDevice) && w.supports_iftype(IfType::P2pGo) && w.supports_iftype(IfType::P2pClient));

    let iw_cmds = iw_list(&text, "Supported commands:");
    assert_eq!(w.commands.len(), iw_cmds.len());
    for c in [Command::RemainOnChannel, Command::StartP2pDevice, Command::NewInterface, Command::Frame] {
        assert!(w.supports(c), "{c:?}");
    }
    assert!(iw_cmds.iter().any(|c| c == "remain_on_channel") && iw_cmds.iter().any(|c| c == "start_p2p_device"));

    assert_eq!(text.lines().nth(2), Some(format!("\tmax # scan SSIDs: {}", w.max_scan_ssids.expect("ssids")).as_str()));
    assert_eq!(text.lines().nth(3), Some(format!("\tmax scan IEs length: {} bytes", w.max_scan_ie_len.expect("ie len")).as_str()));
    // hwsim with one channel has no remain_on_channel op of its own, so mac80211's
    // software ROC applies and ieee80211_register_hw() sets 5000 ms (net/mac80211/main.c).
    assert_eq!(w.max_remain_on_channel_ms, Some(5000));

    // Bands: iw prints "Band N:" (nl80211_band + 1) and one "* F MHz [ch] (...)" per channel.
    let mut iw_bands: Vec<(u32, Vec<(u32, bool)>)> = Vec::new();
    for l in text.lines() {
        if let Some(n) = l.strip_prefix("\tBand ").and_then(|r| r.strip_suffix(':')) {
            iw_bands.push((n.parse().expect("band number"), Vec::new()));
        } else if let (Some(rest), Some(b)) = (l.strip_prefix("\t\t\t* "), iw_bands.last_mut())
            && let Some((mhz, tail)) = rest.split_once(" MHz [")
        {
            let mhz: f64 = mhz.parse().expect("MHz");
            b.1.push((mhz as u32, tail.contains("(disabled)")));
        }
    }
    let ours: Vec<(u32, Vec<(u32, bool)>)> = w
        .bands
        .iter()
        .map(|b| (b.id.number() + 1, b.freqs.iter().map(|f| (f.mhz, f.disabled)).collect()))
        .collect();
    assert_eq!(ours, iw_bands);
    assert!(w.bands.iter().any(|b| b.has_ht()));

    // "#{ IBSS } <= 1, #{ managed, AP, ... } <= 2048, #{ P2P-device } <= 1, total <= 2050, #channels <= 1"
    let comb = text.lines().skip_while(|l| !l.contains("valid interface combinations:")).skip(1).take(2).collect::<String>();
    assert_eq!(w.combinations.len(), 1);
    let c = &w.combinations[0];
    assert!(comb.contains(&format!("total <= {}, #channels <= {}", c.max_interfaces, c.num_channels)), "{comb}");
    for l in &c.limits {
        let types = l.types.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ");
        assert!(comb.contains(&format!("#{{ {types} }} <= {}", l.max)), "{types} in {comb}");
    }
    assert!(c.allows(IfType::P2pDevice, 1) && !c.allows(IfType::P2pDevice, 2));
}

fn iw_interfaces(text: &str) -> Vec<(Option<u32>, u64, String, Option<String>)> {
    // (ifindex, wdev, addr, name) per block.
    let mut blocks: Vec<String> = Vec::new();
    for l in text.lines() {
        if l.starts_with("\tInterface ") || l.starts_with("\tUnnamed") {
            blocks.push(l.trim_start().to_string());
        } else if let (Some(b), true) = (blocks.last_mut(), l.starts_with("\t\t")) {
            b.push('\n');
            b.push_str(l);
        }
    }
    let mut out = Vec::new();
    for block in &blocks {
        let field = |k: &str| block.lines().find_map(|l| l.trim().strip_prefix(k).map(str::to_string));
        out.push((
            field("ifindex ").map(|s| s.parse().expect("ifindex")),
            u64::from_str_radix(field("wdev 0x").expect("wdev").as_str(), 16).expect("hex"),
            field("addr ").expect("addr"),
            block.strip_prefix("Interface ").map(|r| r.lines().next().unwrap_or("").to_string()),
        ));
    }
    out
}

#[test]
fn interface_dump_with_a_p2p_device_reads_as_iw_printed_it() {
    for (pcap, txt) in [("iw-dev.pcap", "iw-dev.txt"), ("iw-dev-p2p.pcap", "iw-dev-p2p.txt")] {
        let msgs = read_pcap(pcap);
        let fam = family_id(&msgs);
        let (req, _) = exchange(&msgs, fam, Command::GetInterface);
        assert_same_request(&interface::get_interface_dump_request(), &req, fam);
        let ifaces = Interface::from_messages(&replay(pcap, &req).expect("dump")).expect("interfaces");
        let mac = |m: &[u8; 6]| m.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":");
        let ours: Vec<_> = ifaces.iter().map(|i| (i.ifindex, i.wdev, mac(&i.mac), i.name.clone())).collect();
        assert_eq!(ours, iw_interfaces(&read_text(txt)), "{pcap}");
    }
    let msgs = read_pcap("iw-dev-p2p.pcap");
    let (req, _) = exchange(&msgs, family_id(&msgs), Command::GetInterface);
    let ifaces = Interface::from_messages(&replay("iw-dev-p2p.pcap", &req).expect("dump")).expect("ifaces");
    let p2p = ifaces.iter().find(|i| i.iftype == IfType::P2pDevice).expect("P2P-Device listed");
    assert_eq!((p2p.ifindex, p2p.name.as_deref()), (None, None));
    assert_eq!(IfTarget::from(p2p), IfTarget::Wdev(p2p.wdev));
}

#[test]
fn new_interface_p2p_device_request_and_reply() {
    let msgs = read_pcap("p2pdev-add.pcap");
    let fam = family_id(&msgs);
    let (req, _) = exchange(&msgs, fam, Command::NewInterface);
    let decoded = Message::decode_payload(req.payload()).expect("iw's request decodes");
    assert_eq!(
        decoded.attrs,
        vec![Attr::Wiphy(0), Attr::Ifname("p2p-dev-x".into()), Attr::Iftype(IfType::P2pDevice)]
    );
    let ours = interface::new_interface_request(0, "p2p-dev-x", IfType::P2pDevice, &NewInterfaceOpts::default());
    assert_same_request(&ours, &req, fam);
    let replies = replay("p2pdev-add.pcap", &req).expect("created");
    let reply = replies.iter().find(|m| m.cmd == Command::NewInterface).expect("reply");
    let i = Interface::from_attrs(&reply.attrs).expect("interface");
    assert_eq!((i.iftype, i.ifindex, i.wiphy), (IfType::P2pDevice, None, 0));
    // The wdev id is the one `iw dev` listed next.
    assert!(read_text("iw-dev-p2p.txt").contains(&format!("wdev {:#x}\n\t\taddr", i.wdev)));
}

#[test]
fn p2p_device_start_stop_delete_by_wdev() {
    let wdev = 2; // `iw wdev 0x2 ...` in the capture (see iw-dev-p2p.txt)
    let cases = [
        ("p2p-start.pcap", Command::StartP2pDevice, interface::start_p2p_device_request(wdev)),
        ("p2p-stop.pcap", Command::StopP2pDevice, interface::stop_p2p_device_request(wdev)),
        ("p2pdev-del.pcap", Command::DelInterface, interface::del_interface_request(IfTarget::Wdev(wdev))),
    ];
    for (pcap, cmd, ours) in cases {
        let msgs = read_pcap(pcap);
        let fam = family_id(&msgs);
        let (req, _) = exchange(&msgs, fam, cmd);
        assert_same_request(&ours, &req, fam);
        assert_eq!(replay(pcap, &req).expect("acked"), vec![], "{pcap}");
    }
}

#[test]
fn kernel_error_carries_errno_and_ext_ack_text() {
    let msgs = read_pcap("bad-ifname.pcap");
    let fam = family_id(&msgs);
    let (req, _) = exchange(&msgs, fam, Command::NewInterface);
    let err = replay("bad-ifname.pcap", &req).expect_err("refused");
    // iw printed: "kernel reports: Attribute failed policy validation" and "(-22)".
    let text = read_text("bad-ifname.txt");
    match &err {
        nl80211::Error::Kernel { errno, message } => {
            assert!(text.contains(&format!("(-{errno})")));
            let m = message.as_deref().expect("ext-ack text");
            assert!(text.contains(&format!("kernel reports: {m}")));
        }
        other => panic!("{other:?}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("EINVAL") && shown.contains("Attribute failed policy validation"), "{shown}");
}

/// Every nl80211 message of every capture decodes; re-encoding gives the same attributes
/// back, and the same bytes when no attribute needed a typed nested struct (those are
/// re-encoded in a canonical order, with NLA_F_NESTED, which the kernel sets on some
/// nests and not on others).
#[test]
fn every_captured_message_round_trips() {
    let files = [
        "iw-phy.pcap", "iw-dev.pcap", "p2pdev-add.pcap", "iw-dev-p2p.pcap", "p2p-start.pcap", "p2p-stop.pcap",
        "p2pdev-del.pcap", "bad-ifname.pcap", "scan.pcap", "wpas-r0.pcap", "wpas-r1.pcap", "ap-r0.pcap", "ap-r1.pcap",
    ];
    let (mut total, mut exact) = (0, 0);
    for f in files {
        let msgs = read_pcap(f);
        let fam = family_id_or_guess(&msgs);
        for m in msgs.iter().filter(|m| m.header.kind == fam) {
            let decoded = Message::decode_payload(m.payload()).unwrap_or_else(|e| panic!("{f} packet {}: {e}", m.packet));
            let again = Message::decode_payload(&decoded.encode_payload()).expect("re-decodes");
            assert_eq!(again.attrs, decoded.attrs, "{f} packet {}", m.packet);
            total += 1;
            let nested_typed = decoded.attrs.iter().any(|a| {
                matches!(a, Attr::WiphyBands(_) | Attr::InterfaceCombinations(_) | Attr::Bss(_) | Attr::Key(_)
                    | Attr::SupportedCommands(_) | Attr::ScanSsids(_) | Attr::ScanFrequencies(_)
                    | Attr::SupportedIftypes(_) | Attr::SoftwareIftypes(_) | Attr::ScanSuppRates(_)
                    | Attr::StaWme(_))
            });
            if !nested_typed {
                let mut bytes = decoded.encode_payload();
                bytes[1] = m.payload()[1]; // the version byte
                assert_eq!(hex::encode(bytes), hex::encode(m.payload()), "{f} packet {}", m.packet);
                exact += 1;
            }
        }
    }
    assert!(total > 500 && exact > 300, "{total} messages, {exact} byte-exact");
}

fn family_id_or_guess(msgs: &[Captured]) -> u16 {
    msgs.iter()
        .find(|m| !m.from_user && m.header.kind == GENL_ID_CTRL)
        .and_then(|r| decode_family(r.payload()).ok())
        .filter(|f| f.groups.iter().any(|(n, _)| n == "mlme"))
        .map(|f| f.id)
        // wpa_supplicant resolved the family before the capture started in one case: the
        // id is the same in the whole guest boot (iw-phy.pcap shows it).
        .unwrap_or_else(|| family_id(&read_pcap("iw-phy.pcap")))
}
