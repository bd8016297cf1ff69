//! NFD management subset on the sans-IO core, fed with command Interests that python-ndn
//! 0.5.2 produced (`nfd_mgmt.make_command` / `make_command_v2` + `make_interest`, with the
//! timestamp fixed to 1700000000000 and the 64-bit nonce to 0x0102030405060708).

mod util;

use ndn::fw::{FaceUri, Output};
use ndn::mgmt::control::ControlResponse;
use ndn::packet::{Data, Interest, SignatureInfo, tt};
use ndn::tlv::{self, Reader};
use util::*;

/// python-ndn NDNApp (v1) `rib/register` for /example/app: v0.2 command Interest.
const PY_V02_REGISTER: &str = "057e077208096c6f63616c686f737408036e666408037269620808726567697374657208126810070e08076578616d706c65080361707008080000018bcfe5680008080102030405060708080516031b01000822172064f7e0a1699c350db721e24cae269a88a93ec0de4bb1de0a36eda169bde259580a04112233440c0203e8";
/// python-ndn NDNAppv2 `rib/register` for /example/app2: v0.3 signed Interest (DigestSha256).
const PY_V03_REGISTER: &str = "059f075608096c6f63616c686f737408036e666408037269620808726567697374657208136811070f08076578616d706c65080461707032022016f1971e184c3770aa688f29e25ae8fd61258c42464d0fa69d6123fed78734e30a04556677880c0203e824002c171b010026080c8cac0ca9db74a52808000001a1fc9743642e20b038c7dabd4c77ea43ba3bca304b62b7c1adcbba8d934561f55b800eb5fcedde";

fn response(out: &[Output], face: u64) -> (Data, ControlResponse) {
    let pkts = sent_to(out, face);
    assert_eq!(pkts.len(), 1, "one reply: {out:?}");
    assert_eq!(Data::verify_digest_sha256(&pkts[0]), Ok(true), "DigestSha256-signed");
    let d = Data::decode(&pkts[0]).expect("data");
    let r = ControlResponse::decode(d.content.as_deref().unwrap_or_default()).expect("ControlResponse");
    (d, r)
}

#[test]
fn both_register_forms_from_python_ndn_install_routes() {
    let mut net = Net::new();
    let app = net.local_face("python");
    for (hexs, prefix) in [(PY_V02_REGISTER, "/example/app"), (PY_V03_REGISTER, "/example/app2")] {
        let wire = hex::decode(hexs).expect("hex");
        let out = net.send(app, &wire);
        let (d, r) = response(&out, app);
        assert_eq!(d.name, Interest::decode(&wire).expect("interest").name, "reply named as the command");
        assert_eq!((r.code, r.text.as_str()), (200, "OK"));
        let body = r.body.expect("body");
        assert_eq!(body.name, Some(name(prefix)));
        assert_eq!(body.face_id, Some(app));
        assert_eq!((body.origin, body.cost, body.flags), (Some(0), Some(0), Some(1)));
        let fib = net.fw.fib().get(&name(prefix)).expect("fib entry");
        assert_eq!(fib.next_hops.iter().map(|h| h.face).collect::<Vec<_>>(), vec![app]);
    }
}

#[test]
fn a_pit_token_on_a_command_comes_back_on_the_response() {
    let mut net = Net::new();
    let app = net.local_face("ndnts-like");
    let cmd = hex::decode(PY_V03_REGISTER).expect("hex");
    let out = net.send(app, &ndn::packet::lp::encode_with_pit_token(&cmd, &[9, 9, 9, 9]));
    let pkts = sent_to(&out, app);
    let lp = ndn::packet::LpPacket::decode(&pkts[0]).expect("LpPacket");
    assert_eq!(lp.pit_token, Some(&[9u8, 9, 9, 9][..]));
    assert_eq!(Data::verify_digest_sha256(lp.fragment.expect("fragment")), Ok(true));
}

#[test]
fn tampered_commands_are_rejected() {
    let mut net = Net::new();
    let app = net.local_face("python");
    // Flip one octet of the v0.2 signature value component.
    let mut wire = hex::decode(PY_V02_REGISTER).expect("hex");
    let at = wire.len() - 20;
    wire[at] ^= 0xFF;
    let (_, r) = response(&net.send(app, &wire), app);
    assert_eq!(r.code, 403);
    assert!(net.fw.fib().is_empty());
    // An unsigned command.
    let mut name = name("/localhost/nfd/rib/register");
    let mut cp = Vec::new();
    ndn::mgmt::ControlParameters { name: Some(util::name("/x")), ..Default::default() }.encode_to(&mut cp);
    name.push_generic(&cp);
    let (_, r) = response(&net.send(app, &Interest::new(name).encode()), app);
    assert_eq!(r.code, 403);
}

#[test]
fn localhost_nfd_is_not_reachable_from_a_remote_face() {
    let mut net = Net::new();
    let remote = net.remote_face(7);
    let out = net.send(remote, &hex::decode(PY_V03_REGISTER).expect("hex"));
    assert!(out.is_empty());
    assert!(net.fw.fib().is_empty());
}

#[test]
fn a_neighbour_may_register_routes_but_not_manage_faces() {
    let mut net = Net::new();
    let peer = net.remote_face(3);
    let cmd = |verb: &str, cp: ndn::mgmt::ControlParameters, nonce: u32| {
        let mut n = name(&format!("/localhop/nfd/{verb}"));
        n.push_generic(&cp.encode());
        let mut i = Interest::new(n);
        i.nonce = Some(nonce);
        i.sign_digest_sha256(SignatureInfo::digest_sha256());
        i.encode()
    };
    let reg = ndn::mgmt::ControlParameters { name: Some(name("/peer/data")), ..Default::default() };
    let (_, r) = response(&net.send(peer, &cmd("rib/register", reg, 1)), peer);
    assert_eq!(r.code, 200);
    assert_eq!(net.fw.fib().get(&name("/peer/data")).map(|e| e.next_hops[0].face), Some(peer));
    let create = ndn::mgmt::ControlParameters { uri: Some("tcp4://192.168.49.9:6363".into()), ..Default::default() };
    let out = net.send(peer, &cmd("faces/create", create, 2));
    assert!(!out.iter().any(|o| matches!(o, Output::OpenFace { .. })));
    assert_eq!(response(&out, peer).1.code, 403);
}

fn signed_command(verb: &str, cp: ndn::mgmt::ControlParameters, nonce: u32) -> Vec<u8> {
    let mut n = name(&format!("/localhost/nfd/{verb}"));
    n.push_generic(&cp.encode());
    let mut i = Interest::new(n);
    i.nonce = Some(nonce);
    i.sign_digest_sha256(SignatureInfo { nonce: Some(nonce.to_be_bytes().to_vec()), ..SignatureInfo::digest_sha256() });
    i.encode()
}

fn dataset(net: &mut Net, face: u64, path: &str) -> Vec<u8> {
    let mut i = interest(path, 99);
    i.can_be_prefix = true;
    i.must_be_fresh = true;
    let out = net.send(face, &i.encode());
    let pkts = sent_to(&out, face);
    assert_eq!(Data::verify_digest_sha256(&pkts[0]), Ok(true));
    let d = Data::decode(&pkts[0]).expect("data");
    assert_eq!(d.name.len(), 6);
    assert_eq!(d.name.get(4).map(|c| c.typ), Some(tt::VERSION));
    assert_eq!(d.name.get(5).map(|c| (c.typ, c.as_number())), Some((tt::SEGMENT, Some(0))));
    assert_eq!(d.meta_info.and_then(|m| m.final_block_id).map(|c| c.typ), Some(tt::SEGMENT));
    d.content.unwrap_or_default()
}

/// Values of the elements of type `typ` at top level of `buf`.
fn elements(buf: &[u8], typ: u64) -> Vec<Vec<u8>> {
    let mut r = Reader::new(buf);
    let mut v = Vec::new();
    while let Ok(e) = r.read() {
        if e.typ == typ {
            v.push(e.value.to_vec());
        }
    }
    v
}

#[test]
fn datasets_list_routes_faces_and_status() {
    let mut net = Net::new();
    let app = net.local_face("app");
    let cp = ndn::mgmt::ControlParameters { name: Some(name("/p")), cost: Some(7), ..Default::default() };
    let (_, r) = response(&net.send(app, &signed_command("rib/register", cp, 1)), app);
    assert_eq!(r.code, 200);

    let rib = dataset(&mut net, app, "/localhost/nfd/rib/list");
    let entries = elements(&rib, 0x80);
    assert_eq!(entries.len(), 1);
    assert_eq!(tlv::Reader::new(&entries[0]).read().map(|e| e.value.to_vec()), Ok(name("/p").value().to_vec()));
    let route = &elements(&entries[0], 0x81)[0];
    let mut face_id = Vec::new();
    tlv::write_nni(&mut face_id, app);
    assert_eq!(elements(route, 0x69), vec![face_id]);
    assert_eq!(elements(route, 0x6a), vec![vec![7u8]]);

    let fib = dataset(&mut net, app, "/localhost/nfd/fib/list");
    assert_eq!(elements(&fib, 0x80).len(), 1);

    let faces = dataset(&mut net, app, "/localhost/nfd/faces/list");
    let uris: Vec<String> = elements(&faces, 0x80)
        .iter()
        .flat_map(|f| elements(f, 0x72))
        .map(|u| String::from_utf8(u).expect("utf8"))
        .collect();
    assert_eq!(uris, vec!["internal://".to_string(), "app://app".to_string()]);

    let status = dataset(&mut net, app, "/localhost/nfd/status/general");
    assert!(String::from_utf8(elements(&status, 0x80)[0].clone()).expect("utf8").starts_with("directd-ndn"));
    assert_eq!(elements(&status, 0x84), vec![vec![1u8]], "one FIB entry");
}

#[test]
fn unregister_and_face_create_destroy() {
    let mut net = Net::new();
    let app = net.local_face("app");
    let cp = ndn::mgmt::ControlParameters { name: Some(name("/u")), ..Default::default() };
    response(&net.send(app, &signed_command("rib/register", cp.clone(), 1)), app);
    assert!(net.fw.fib().get(&name("/u")).is_some());
    let (_, r) = response(&net.send(app, &signed_command("rib/unregister", cp, 2)), app);
    assert_eq!(r.code, 200);
    assert!(net.fw.fib().get(&name("/u")).is_none());

    let create = ndn::mgmt::ControlParameters { uri: Some("tcp4://127.0.0.1:6363".into()), ..Default::default() };
    let out = net.send(app, &signed_command("faces/create", create.clone(), 3));
    let Some(Output::OpenFace { face, remote }) = out.first().cloned() else { panic!("OpenFace expected: {out:?}") };
    assert_eq!(remote, FaceUri::Tcp4("127.0.0.1:6363".parse().expect("addr")));
    net.fw.face_up(net.now, face, Some(FaceUri::Tcp4("127.0.0.1:40000".parse().expect("addr"))));
    let (_, r) = response(&net.drain(), app);
    assert_eq!(r.code, 200);
    assert_eq!(r.body.as_ref().and_then(|b| b.face_id), Some(face));
    assert_eq!(r.body.and_then(|b| b.local_uri), Some("tcp4://127.0.0.1:40000".into()));
    // The same URI again conflicts.
    let (_, r) = response(&net.send(app, &signed_command("faces/create", create, 4)), app);
    assert_eq!(r.code, 409);
    // Unsupported scheme.
    let bad = ndn::mgmt::ControlParameters { uri: Some("ether://[01:00:5e:00:17:aa]".into()), ..Default::default() };
    assert_eq!(response(&net.send(app, &signed_command("faces/create", bad, 5)), app).1.code, 406);
    // Destroy.
    let destroy = ndn::mgmt::ControlParameters { face_id: Some(face), ..Default::default() };
    let out = net.send(app, &signed_command("faces/destroy", destroy, 6));
    assert!(out.contains(&Output::CloseFace { face }));
    assert!(net.fw.face_info(face).is_none());
    // A failed connect answers 504 and forgets the face.
    let create = ndn::mgmt::ControlParameters { uri: Some("udp4://127.0.0.1:9".into()), ..Default::default() };
    let out = net.send(app, &signed_command("faces/create", create, 7));
    let Some(Output::OpenFace { face, .. }) = out.first().cloned() else { panic!("OpenFace expected") };
    net.fw.face_failed(net.now, face, "refused");
    assert_eq!(response(&net.drain(), app).1.code, 504);
    assert!(net.fw.face_info(face).is_none());
}
