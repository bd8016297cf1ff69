//! Packet decoding must never panic: every decoder, then the whole forwarding pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ndn::fw::{Config, FaceInfo, FaceUri, Forwarder};
use ndn::packet::{Data, Interest, LpPacket, Name};

fuzz_target!(|bytes: &[u8]| {
    if let Ok((i, layout)) = Interest::decode_with_layout(bytes) {
        let _ = i.verify_digest_sha256(bytes, &layout);
        // What decodes re-encodes, and the re-encoding decodes again.
        let again = i.encode();
        assert!(Interest::decode(&again).is_ok());
    }
    if let Ok(d) = Data::decode(bytes) {
        assert!(Data::decode(&d.encode()).is_ok());
        let _ = Data::verify_digest_sha256(bytes);
    }
    let _ = LpPacket::decode(bytes);
    if let Ok(n) = Name::decode(bytes) {
        assert_eq!(n.to_string().parse::<Name>().ok(), Some(n));
    }
    let _ = ndn::mgmt::ControlParameters::decode(bytes);
    let _ = ndn::mgmt::ControlResponse::decode(bytes);
    let _ = ndn::tlv::frame_len(bytes);

    let mut fw = Forwarder::new(Config::default());
    let local = fw.add_face(FaceInfo::new(FaceUri::App("a".into()), FaceUri::Internal));
    let remote = fw.add_face(FaceInfo::new(FaceUri::Udp4("192.0.2.1:6363".parse().unwrap()), FaceUri::Internal));
    fw.add_route(&"/".parse().unwrap(), remote, 0, 255);
    let now = std::time::Instant::now();
    fw.handle_packet(now, local, bytes);
    fw.handle_packet(now, remote, bytes);
    while fw.poll_output().is_some() {}
    fw.handle_timeout(now + std::time::Duration::from_secs(10));
});
