//! Tests of the probe answer against real wpa_supplicant frames, of the find/listen
//! machine's timing, and of two machines meeting on a small simulated air.

use super::probe::{self, NoAnswer};
use super::*;
use crate::eapol::SeededRandom;
use crate::ieee80211::ie::{ElementId, Elements};
use crate::ieee80211::vendor::{self as ven, VendorType};
use crate::ieee80211::{MgmtBody, MgmtRepr, ProbeRequestRepr};
use crate::p2p::wire::tests::pcap;
use crate::p2p::wire::{DeviceCapability, DeviceType, P2pIe};

/// Two real wpa_supplicant 2.10 P2P devices discovering each other on hwsim
/// (`wire/tests/data/harness-selftest/`): r0 `wpas-0` 42:00:00:00:00:00 and r1 `wpas-1`
/// 42:00:00:00:01:00, `country=US`, both listening on channel 11.
const SELFTEST: &[u8] = include_bytes!("../wire/tests/data/harness-selftest/air.pcap");
/// r1 probing for groups while r0 runs the GO `DIRECT-q6` (`wire-capture/`).
const WIRE_CAPTURE: &[u8] = include_bytes!("../wire/tests/data/wire-capture/air.pcap");
const EVENTS_0: &str = include_str!("../wire/tests/data/harness-selftest/events-0.log");

fn mac(s: &str) -> MacAddr {
    s.parse().expect("mac")
}

fn r0() -> MacAddr {
    mac("42:00:00:00:00:00")
}

fn r1() -> MacAddr {
    mac("42:00:00:00:01:00")
}

/// The identity of a wpa_supplicant from the harness: no manufacturer/model configured,
/// device capability 0x25 (service discovery, concurrent, invitation), `country=US`.
/// wpa_supplicant's UUIDs are its own (not derived from the device address as ours).
fn wpas(addr: MacAddr, name: &str) -> Identity {
    let uuid = if addr == r0() { "362db47ba53a519188fb5458b986b2e4" } else { "572cf82fc95756539b16b5cfb298abf1" };
    Identity {
        dev_capab: DeviceCapability::from_bits_retain(0x25),
        wsc_config_methods: 0x2388,
        uuid: hex::decode(uuid).expect("hex").try_into().expect("16 bytes"),
        country: *b"US\x04",
        ..Identity::new(addr, name)
    }
}

fn r2() -> MacAddr {
    mac("42:00:00:00:02:00")
}

fn frames(pcap_bytes: &[u8]) -> Vec<(usize, MgmtRepr, Vec<u8>)> {
    pcap::frames(pcap_bytes)
        .into_iter()
        .filter(|c| c.frame.len() >= 24 && c.frame[0] & 0x0c == 0)
        .filter_map(|c| Some((c.index, MgmtRepr::parse_bytes(c.frame).ok()?, c.frame.to_vec())))
        .collect()
}

/// The channel a request names in its DS Parameter Set (the channel it was sent on).
fn ds_channel(ies: &[u8]) -> Option<u8> {
    Elements::find(ies, ElementId::DS_PARAMS).and_then(|e| e.data.first().copied())
}

fn freq(ch: u8) -> u32 {
    freq_of(81, ch).expect("2.4 GHz channel")
}

/// Every device (non-GO) probe response of the capture with the request it answers: the
/// last request from its receiver on the channel its DS Parameter Set names.
/// (record, request bytes) and (record, response, response bytes).
type Pair = ((usize, Vec<u8>), (usize, MgmtRepr, Vec<u8>));

fn answered_pairs() -> Vec<Pair> {
    let all = frames(SELFTEST);
    let mut pairs = Vec::new();
    for (i, m, bytes) in &all {
        let MgmtBody::ProbeResponse(b) = &m.body else { continue };
        let Ok(Some(p2p)) = P2pIe::from_ies(&b.ies) else { continue };
        if p2p.device_info().is_none() || m.header.addr2 != m.header.addr3 || p2p.group_id().is_some() {
            continue;
        }
        let cap = p2p.capability().expect("capability");
        if cap.group.bits() != 0 {
            continue; // a GO
        }
        let ch = ds_channel(&b.ies).expect("DS Parameter Set");
        let req = all
            .iter()
            .rev()
            .find(|(j, r, _)| {
                j < i
                    && r.header.addr2 == m.header.addr1
                    && matches!(&r.body, MgmtBody::ProbeRequest(p) if ds_channel(&p.ies) == Some(ch))
            })
            .expect("the request answered");
        pairs.push(((req.0, req.2.clone()), (*i, m.clone(), bytes.clone())));
    }
    pairs
}

#[test]
fn answers_real_probe_requests_byte_for_byte_as_wpa_supplicant_did() {
    let pairs = answered_pairs();
    assert_eq!(pairs.len(), 4, "r1 answers r0 twice and r0 answers r1 twice");
    for ((ri, req), (i, resp, resp_bytes)) in pairs {
        let who = resp.header.addr2;
        let us = if who == r0() { wpas(r0(), "wpas-0") } else { wpas(r1(), "wpas-1") };
        let MgmtBody::ProbeResponse(theirs) = &resp.body else { unreachable!() };
        let rx = freq(ds_channel(&theirs.ies).expect("DS"));
        let ours = probe::answer_frame(&req, rx, &us, true).unwrap_or_else(|e| panic!("#{ri}: {e}"));
        // Duration, sequence number and timestamp are the kernel's.
        let mut m = MgmtRepr::parse_bytes(&ours).expect("our response parses");
        m.header.duration = resp.header.duration;
        m.header.seq_ctrl = resp.header.seq_ctrl;
        if let (MgmtBody::ProbeResponse(o), MgmtBody::ProbeResponse(t)) = (&mut m.body, &resp.body) {
            o.timestamp = t.timestamp;
        }
        assert_eq!(hex::encode(m.to_vec()), hex::encode(&resp_bytes), "#{i} answering #{ri}");
    }
}

#[test]
fn our_probe_request_p2p_ie_is_wpa_supplicants() {
    // wpa_supplicant's search Probe Request: P2P Capability 0x25/0 and Listen Channel
    // US\x04 / 81 / 11 (record 0 of the selftest capture).
    let (_, m, _) = frames(SELFTEST).into_iter().find(|(_, m, _)| matches!(m.body, MgmtBody::ProbeRequest(_))).expect("a request");
    let MgmtBody::ProbeRequest(ProbeRequestRepr { ies: theirs }) = &m.body else { unreachable!() };
    let ours = probe::probe_request_ies(&wpas(r0(), "wpas-0"), 2462, None).expect("ies");
    assert_eq!(
        ven::concat_payload(&ours, VendorType::P2P),
        ven::concat_payload(theirs, VendorType::P2P),
        "Capability + Listen Channel, as wpa_supplicant"
    );
    // Our WSC IE parses as a probe request's, with our name.
    let wsc = wps::ie::wsc_payload(&ours).expect("framing").expect("WSC IE");
    let wsc = wps::ie::ProbeRequestWsc::parse(&wsc).expect("WSC probe request");
    assert_eq!(wsc.device_name.as_deref(), Some(&b"wpas-0"[..]));
    // dev_id= adds the Device ID between Capability and Listen Channel.
    let ies = probe::probe_request_ies(&wpas(r0(), "wpas-0"), 2412, Some(r1())).expect("ies");
    let p2p = P2pIe::from_ies(&ies).expect("parses").expect("P2P IE");
    let ids: Vec<u8> = p2p.attributes.iter().map(|a| a.id().0).collect();
    assert_eq!(ids, [2, 3, 6]);
    assert_eq!(p2p.device_id(), Some(&r1()));
    assert_eq!(p2p.listen_channel().and_then(|c| c.freq_mhz()), Some(2412));
}

#[test]
fn every_captured_p2p_probe_request_is_answered_when_listening_and_not_otherwise() {
    let us = Identity::new(mac("02:00:00:00:0a:00"), "directd");
    let mut n = 0;
    for pcap_bytes in [SELFTEST, WIRE_CAPTURE] {
        for (i, m, bytes) in frames(pcap_bytes) {
            let MgmtBody::ProbeRequest(p) = &m.body else { continue };
            if P2pIe::from_ies(&p.ies).ok().flatten().is_none() {
                continue;
            }
            let Some(ch) = ds_channel(&p.ies) else { continue };
            n += 1;
            let resp = probe::answer_frame(&bytes, freq(ch), &us, true).unwrap_or_else(|e| panic!("#{i}: {e}"));
            let r = MgmtRepr::parse_bytes(&resp).expect("parses");
            assert_eq!((r.header.addr1, r.header.addr2, r.header.addr3), (m.header.addr2, us.dev_addr, us.dev_addr));
            let MgmtBody::ProbeResponse(b) = &r.body else { panic!("not a probe response") };
            assert_eq!(ds_channel(&b.ies), Some(ch), "#{i}: DS Parameter Set = the rx channel");
            assert_eq!(probe::answer_frame(&bytes, freq(ch), &us, false), Err(NoAnswer::NotListening));
        }
    }
    assert!(n > 40, "{n} requests");
}

/// A P2P probe request like wpa_supplicant's, with changes.
fn request(da: MacAddr, bssid: MacAddr, ssid: &[u8], rates: &[u8], p2p: Option<P2pIe>, wsc_extra: &[u8]) -> Vec<u8> {
    let mut ies = crate::ieee80211::IeWriter::new();
    ies.ssid(ssid).expect("ssid").element(ElementId::SUPPORTED_RATES, rates).expect("rates");
    ies.ds_params(6).expect("ds");
    let mut wsc = wps::ie::wsc_payload(&probe::probe_request_ies(&wpas(r1(), "wpas-1"), 2437, None).expect("ies"))
        .expect("framing")
        .expect("wsc");
    wsc.extend_from_slice(wsc_extra);
    ies.vendor(VendorType::WSC, &wsc);
    if let Some(p) = p2p {
        ies.vendor(VendorType::P2P, &p.to_payload().expect("p2p"));
    }
    MgmtRepr::new(da, r2(), bssid, MgmtBody::ProbeRequest(ProbeRequestRepr { ies: ies.finish() })).to_vec()
}

#[test]
fn probe_request_filters() {
    use crate::p2p::wire::Attribute;
    let us = wpas(r0(), "wpas-0");
    let b = MacAddr::BROADCAST;
    let ofdm = [0x0c, 0x12, 0x18, 0x24, 0x30, 0x48, 0x60, 0x6c];
    let cap = Attribute::Capability(us.capability());
    let p2p = |extra: Vec<Attribute>| Some(P2pIe::new([vec![cap.clone()], extra].concat()));
    let ask = |f: Vec<u8>| probe::answer_frame(&f, 2437, &us, true).map(|_| ());
    assert_eq!(ask(request(b, b, b"DIRECT-", &ofdm, p2p(vec![]), &[])), Ok(()));
    assert_eq!(ask(request(b, b, b"", &ofdm, p2p(vec![]), &[])), Ok(()), "wildcard SSID");
    assert_eq!(ask(request(r0(), b, b"DIRECT-", &ofdm, p2p(vec![]), &[])), Ok(()), "to us");
    assert_eq!(ask(request(r1(), b, b"DIRECT-", &ofdm, p2p(vec![]), &[])), Err(NoAnswer::NotForUs));
    assert_eq!(ask(request(b, r1(), b"DIRECT-", &ofdm, p2p(vec![]), &[])), Err(NoAnswer::NotForUs));
    assert_eq!(ask(request(b, b, b"DIRECT-", &ofdm, None, &[])), Err(NoAnswer::NotP2p));
    assert_eq!(ask(request(b, b, b"DIRECT-q6", &ofdm, p2p(vec![]), &[])), Err(NoAnswer::SsidMismatch));
    assert_eq!(ask(request(b, b, b"home", &ofdm, p2p(vec![]), &[])), Err(NoAnswer::SsidMismatch));
    assert_eq!(ask(request(b, b, b"DIRECT-", &[0x82, 0x84, 0x8b, 0x96], p2p(vec![]), &[])), Err(NoAnswer::Only11b));
    assert_eq!(ask(request(b, b, b"DIRECT-", &[0x82, 0x84, 0x0c], p2p(vec![]), &[])), Ok(()), "11b + OFDM");
    assert_eq!(ask(request(b, b, b"DIRECT-", &ofdm, p2p(vec![Attribute::DeviceId(r0())]), &[])), Ok(()));
    assert_eq!(
        ask(request(b, b, b"DIRECT-", &ofdm, p2p(vec![Attribute::DeviceId(r1())]), &[])),
        Err(NoAnswer::OtherDeviceId(r1()))
    );
    // WSC Requested Device Type (0x106a): ours, our category with wildcard OUI and
    // sub-category, another type; one match among several is enough.
    let rdt = |t: [u8; 8]| [&[0x10, 0x6a, 0x00, 0x08][..], &t].concat();
    let pc = DeviceType::new(1, 1).to_bytes();
    let phone = DeviceType::new(10, 5).to_bytes();
    assert_eq!(ask(request(b, b, b"DIRECT-", &ofdm, p2p(vec![]), &rdt(pc))), Ok(()));
    assert_eq!(ask(request(b, b, b"DIRECT-", &ofdm, p2p(vec![]), &rdt([0, 1, 0, 0, 0, 0, 0, 0]))), Ok(()));
    assert_eq!(
        ask(request(b, b, b"DIRECT-", &ofdm, p2p(vec![]), &rdt(phone))),
        Err(NoAnswer::DeviceTypeMismatch)
    );
    assert_eq!(ask(request(b, b, b"DIRECT-", &ofdm, p2p(vec![]), &[rdt(phone), rdt(pc)].concat())), Ok(()));
    // Not a probe request at all, and garbage.
    let resp = probe::probe_response(r1(), 2437, &us).expect("response");
    assert!(matches!(probe::answer_frame(&resp, 2437, &us, true), Err(NoAnswer::Malformed(_))));
    assert!(matches!(probe::answer_frame(&[0x40, 0, 1], 2437, &us, true), Err(NoAnswer::Malformed(_))));
}

// ---- the machine ----

const T0_SEED: [u8; 32] = [7; 32];

fn radio() -> Radio {
    let mut freqs: Vec<u32> = (1..=11).map(freq).collect();
    freqs.extend([5180, 5200, 5220, 5240, 5745]);
    Radio { max_roc: Duration::from_millis(5000), freqs }
}

fn machine(_now: Instant, addr: MacAddr, name: &str, seed: [u8; 32]) -> Discovery {
    Discovery::new(Identity::new(addr, name), radio(), None, Box::new(SeededRandom::new(seed))).expect("machine")
}

fn drain(d: &mut Discovery) -> Vec<Output> {
    std::iter::from_fn(|| d.poll_output()).collect()
}

fn events(out: &[Output]) -> Vec<Event> {
    out.iter()
        .filter_map(|o| match o {
            Output::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn rocs(out: &[Output]) -> Vec<(u32, Duration)> {
    out.iter()
        .filter_map(|o| match o {
            Output::RemainOnChannel { freq, duration } => Some((*freq, *duration)),
            _ => None,
        })
        .collect()
}

fn scans(out: &[Output]) -> Vec<Vec<u32>> {
    out.iter()
        .filter_map(|o| match o {
            Output::Scan { freqs, .. } => Some(freqs.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn find_alternates_search_and_a_random_100_to_300_tu_listen() {
    let t0 = Instant::now();
    let mut d = machine(t0, r0(), "a", T0_SEED);
    assert!(SOCIAL_FREQS.contains(&d.listen_freq()));
    d.handle_input(t0, Input::Find(Find { kind: FindKind::Social, ..Default::default() })).expect("find");
    let out = drain(&mut d);
    assert_eq!(events(&out), [Event::State(P2pState::Search)]);
    assert_eq!(scans(&out), [SOCIAL_FREQS.to_vec()]);
    assert_eq!(d.state(), P2pState::Search);
    let mut now = t0;
    let mut seen = std::collections::BTreeSet::new();
    for cookie in 1..=30u64 {
        now += Duration::from_millis(40);
        d.handle_input(now, Input::ScanDone).expect("ok");
        let out = drain(&mut d);
        let [(f, dur)] = rocs(&out)[..] else { panic!("one ROC after the scan: {out:?}") };
        assert_eq!(f, d.listen_freq());
        assert!([102, 204, 307].contains(&dur.as_millis()), "{dur:?}");
        seen.insert(dur.as_millis());
        d.handle_input(now, Input::RocRequested { cookie }).expect("ok");
        now += Duration::from_millis(3);
        d.handle_input(now, Input::RocStarted { cookie, freq: f }).expect("ok");
        assert_eq!(d.listening(now), Some(f));
        // The timer is the listen time + 20 ms after the start.
        assert_eq!(d.poll_timeout(), Some(now + dur + ROC_END_SLACK));
        now += dur;
        d.handle_input(now, Input::RocEnded { cookie }).expect("ok");
        assert_eq!(d.listening(now), None);
        let out = drain(&mut d);
        assert_eq!(scans(&out), [SOCIAL_FREQS.to_vec()], "the next search at once");
    }
    assert_eq!(seen.len(), 3, "1, 2 and 3 units all drawn: {seen:?}");
}

#[test]
fn first_scan_is_full_then_social_and_freq_is_kept() {
    let t0 = Instant::now();
    let mut d = machine(t0, r0(), "a", T0_SEED);
    d.handle_input(t0, Input::Find(Find::default())).expect("find");
    assert_eq!(scans(&drain(&mut d)), [radio().freqs]);
    d.handle_input(t0, Input::Stop).expect("stop");
    drain(&mut d);
    d.handle_input(t0, Input::ScanDone).expect("the old scan ends");
    d.handle_input(t0, Input::Find(Find { freq: Some(5180), ..Default::default() })).expect("find");
    assert_eq!(scans(&drain(&mut d)), [vec![5180]], "freq= first");
    d.handle_input(t0, Input::ScanDone).expect("ok");
    drain(&mut d);
    d.handle_input(t0, Input::RocRefused).expect("ok");
    d.handle_timeout(t0 + ROC_NOT_STARTED_WAIT);
    assert_eq!(
        scans(&drain(&mut d)),
        [vec![2412, 2437, 2462, 5180, 2417]],
        "then social + freq= + the first channel of the progressive pass"
    );
    assert_eq!(
        d.handle_input(t0, Input::Find(Find { freq: Some(5500), ..Default::default() })),
        Err(Refused::Freq(5500))
    );
    // Progressive: one more channel each round.
    let mut d = machine(t0, r0(), "a", T0_SEED);
    d.handle_input(t0, Input::Find(Find { kind: FindKind::Progressive, ..Default::default() })).expect("find");
    let mut extra = vec![];
    for _ in 0..3 {
        let s = scans(&drain(&mut d));
        extra.push(s[0][3]);
        d.handle_input(t0, Input::ScanDone).expect("ok");
        drain(&mut d);
        d.handle_input(t0, Input::RocRefused).expect("ok");
        d.handle_timeout(t0 + ROC_NOT_STARTED_WAIT);
    }
    assert_eq!(extra, [2417, 2422, 2427]);
}

#[test]
fn the_default_find_goes_on_progressively_so_a_group_the_full_scan_missed_is_found() {
    let t0 = Instant::now();
    let mut d = machine(t0, r0(), "a", T0_SEED);
    d.handle_input(t0, Input::Find(Find::default())).expect("find");
    assert_eq!(scans(&drain(&mut d)), [radio().freqs], "a full first scan");
    let others: Vec<u32> = radio().freqs.into_iter().filter(|f| ![2412, 2437, 2462].contains(f)).collect();
    let mut seen = vec![];
    for _ in 0..others.len() {
        d.handle_input(t0, Input::ScanDone).expect("ok");
        drain(&mut d);
        d.handle_input(t0, Input::RocRefused).expect("ok");
        d.handle_timeout(t0 + ROC_NOT_STARTED_WAIT);
        let s = scans(&drain(&mut d));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0][..3], [2412, 2437, 2462], "the social channels every round");
        seen.extend_from_slice(&s[0][3..]);
    }
    assert_eq!(seen, others, "one pass covers every other channel (5 GHz too)");
}

#[test]
fn a_listen_that_never_starts_waits_100_ms_and_a_late_roc_end_is_not_waited_for() {
    let t0 = Instant::now();
    let mut d = machine(t0, r0(), "a", T0_SEED);
    d.handle_input(t0, Input::Find(Find { kind: FindKind::Social, ..Default::default() })).expect("find");
    d.handle_input(t0, Input::ScanDone).expect("ok");
    drain(&mut d);
    d.handle_input(t0, Input::RocRequested { cookie: 9 }).expect("ok");
    // Ends before it started (the kernel dropped it).
    d.handle_input(t0, Input::RocEnded { cookie: 9 }).expect("ok");
    assert!(scans(&drain(&mut d)).is_empty());
    assert_eq!(d.poll_timeout(), Some(t0 + ROC_NOT_STARTED_WAIT));
    d.handle_timeout(t0 + ROC_NOT_STARTED_WAIT - Duration::from_millis(1));
    assert!(scans(&drain(&mut d)).is_empty(), "not before 100 ms");
    let t1 = t0 + ROC_NOT_STARTED_WAIT;
    d.handle_timeout(t1);
    assert_eq!(scans(&drain(&mut d)).len(), 1);
    // Now a ROC whose end event never comes.
    d.handle_input(t1, Input::ScanDone).expect("ok");
    let out = drain(&mut d);
    let (f, dur) = rocs(&out)[0];
    // The start event overtakes the reply with the cookie.
    d.handle_input(t1, Input::RocStarted { cookie: 10, freq: f }).expect("ok");
    d.handle_input(t1, Input::RocRequested { cookie: 10 }).expect("ok");
    assert_eq!(d.listening(t1), Some(f));
    d.handle_timeout(t1 + dur + ROC_END_SLACK);
    let out = drain(&mut d);
    assert!(out.contains(&Output::CancelRemainOnChannel { cookie: 10 }), "{out:?}");
    assert_eq!(scans(&out).len(), 1, "and the search goes on");
    // Its late end event changes nothing.
    d.handle_input(t1 + dur * 2, Input::RocEnded { cookie: 10 }).expect("ok");
    assert!(drain(&mut d).is_empty());
}

#[test]
fn listen_chains_rocs_up_to_the_radios_maximum() {
    for max_ms in [5000u64, 1000] {
        let t0 = Instant::now();
        let mut d = machine(t0, r0(), "a", T0_SEED);
        d.handle_input(t0, Input::Radio(Radio { max_roc: Duration::from_millis(max_ms), ..radio() })).expect("ok");
        d.handle_input(t0, Input::Listen { timeout: Some(Duration::from_secs(12)) }).expect("listen");
        let mut now = t0;
        let mut all = vec![];
        let mut evs = vec![];
        for cookie in 1.. {
            let out = drain(&mut d);
            evs.extend(events(&out));
            let Some(&(f, dur)) = rocs(&out).first() else { break };
            assert_eq!(f, d.listen_freq());
            all.push(dur.as_millis() as u64);
            d.handle_input(now, Input::RocRequested { cookie }).expect("ok");
            d.handle_input(now, Input::RocStarted { cookie, freq: f }).expect("ok");
            assert_eq!(d.state(), P2pState::ListenOnly);
            now += dur;
            d.handle_input(now, Input::RocEnded { cookie }).expect("ok");
        }
        let full = (12_000 / max_ms) as usize;
        assert!(all[..full].iter().all(|&ms| ms == max_ms), "{all:?}");
        assert_eq!(all.iter().sum::<u64>(), 12_000, "{all:?}");
        assert_eq!(evs, [Event::State(P2pState::ListenOnly), Event::State(P2pState::Idle)], "no FIND-STOPPED");
        assert_eq!(d.state(), P2pState::Idle);
    }
}

#[test]
fn stop_aborts_the_running_scan_and_a_new_find_waits_for_its_end() {
    let t0 = Instant::now();
    let mut d = machine(t0, r0(), "a", T0_SEED);
    d.handle_input(t0, Input::Find(Find::default())).expect("find");
    assert_eq!(scans(&drain(&mut d)).len(), 1, "the first search runs");
    d.handle_input(t0, Input::Stop).expect("stop");
    let out = drain(&mut d);
    assert!(out.contains(&Output::AbortScan), "{out:?}");
    assert!(out.contains(&Output::Event(Event::FindStopped)), "{out:?}");
    // A find at once waits for the aborted scan's end before it scans again.
    d.handle_input(t0, Input::Find(Find::default())).expect("find again");
    assert!(scans(&drain(&mut d)).is_empty(), "no scan while the old one ends");
    d.handle_input(t0, Input::ScanDone).expect("the aborted scan ends");
    assert_eq!(scans(&drain(&mut d)).len(), 1, "then the search");
    // Stopped after its scan ended: nothing to abort.
    d.handle_input(t0, Input::ScanDone).expect("ok");
    drain(&mut d);
    d.handle_input(t0, Input::Stop).expect("stop");
    assert!(!drain(&mut d).contains(&Output::AbortScan));
}

#[test]
fn stop_cancels_the_roc_and_reports_find_stopped_once() {
    let t0 = Instant::now();
    let mut d = machine(t0, r0(), "a", T0_SEED);
    d.handle_input(t0, Input::Find(Find { timeout: Some(Duration::from_secs(5)), ..Default::default() })).expect("find");
    d.handle_input(t0, Input::ScanDone).expect("ok");
    drain(&mut d);
    d.handle_input(t0, Input::RocRequested { cookie: 3 }).expect("ok");
    d.handle_input(t0, Input::RocStarted { cookie: 3, freq: d.listen_freq() }).expect("ok");
    d.handle_input(t0, Input::Stop).expect("stop");
    let out = drain(&mut d);
    assert_eq!(
        out,
        [
            Output::CancelRemainOnChannel { cookie: 3 },
            Output::Event(Event::State(P2pState::Idle)),
            Output::Event(Event::FindStopped)
        ]
    );
    d.handle_input(t0, Input::Stop).expect("stop again");
    assert!(drain(&mut d).is_empty(), "nothing to stop");
    // A ROC asked for and abandoned before its cookie came back is cancelled then.
    d.handle_input(t0, Input::Listen { timeout: None }).expect("listen");
    drain(&mut d);
    d.handle_input(t0, Input::Stop).expect("stop");
    assert_eq!(events(&drain(&mut d)), [Event::State(P2pState::Idle)]);
    d.handle_input(t0, Input::RocRequested { cookie: 4 }).expect("ok");
    assert_eq!(drain(&mut d), [Output::CancelRemainOnChannel { cookie: 4 }]);
    // The find timeout.
    d.handle_input(t0, Input::Find(Find { timeout: Some(Duration::from_secs(5)), kind: FindKind::Social, ..Default::default() }))
        .expect("find");
    drain(&mut d);
    assert!(d.poll_timeout().is_some_and(|t| t <= t0 + Duration::from_secs(5)));
    d.handle_timeout(t0 + Duration::from_secs(5));
    assert!(events(&drain(&mut d)).contains(&Event::FindStopped));
    assert_eq!(d.state(), P2pState::Idle);
}

#[test]
fn listen_channel_is_social_and_changeable() {
    let t0 = Instant::now();
    let mut picked = std::collections::BTreeSet::new();
    for s in 0..30u8 {
        picked.insert(machine(t0, r0(), "a", [s; 32]).listen_freq());
    }
    assert_eq!(picked.into_iter().collect::<Vec<_>>(), SOCIAL_FREQS, "random among 1, 6, 11");
    let mut d = machine(t0, r0(), "a", T0_SEED);
    d.handle_input(t0, Input::SetListenChannel(6)).expect("6");
    assert_eq!(d.listen_freq(), 2437);
    assert_eq!(d.handle_input(t0, Input::SetListenChannel(3)), Err(Refused::ListenChannel(3)));
    assert_eq!(d.listen_freq(), 2437);
    let only5 = Radio { max_roc: Duration::from_secs(1), freqs: vec![5180] };
    assert!(matches!(
        Discovery::new(Identity::new(r0(), "a"), only5, None, Box::new(SeededRandom::new(T0_SEED))),
        Err(Refused::NoSocialChannel)
    ));
}

/// A machine playing r1, listening on channel 11 (its remain-on-channel started at `t0`).
fn listening_r1(t0: Instant) -> Discovery {
    let mut d = machine(t0, r1(), "a", T0_SEED);
    d.handle_input(t0, Input::SetListenChannel(11)).expect("ch 11");
    d.handle_input(t0, Input::Listen { timeout: None }).expect("listen");
    drain(&mut d);
    d.handle_input(t0, Input::RocRequested { cookie: 1 }).expect("ok");
    d.handle_input(t0, Input::RocStarted { cookie: 1, freq: 2462 }).expect("ok");
    d
}

/// The captured requests of r0 and the response of r1, fed to a machine that plays r1.
#[test]
fn learns_peers_from_real_probe_requests_and_responses_and_loses_them() {
    let t0 = Instant::now();
    let mut d = listening_r1(t0);
    let all = frames(SELFTEST);
    let (_, _, req) = all
        .iter()
        .find(|(_, m, _)| {
            m.header.addr2 == r0() && matches!(&m.body, MgmtBody::ProbeRequest(p) if ds_channel(&p.ies) == Some(11))
        })
        .expect("r0's request on channel 11");
    d.handle_input(t0, Input::ProbeRequest { frame: req, freq: 2462, signal_dbm: Some(-40) }).expect("ok");
    let out = drain(&mut d);
    assert!(events(&out).is_empty(), "a peer seen by its probe requests is not reported");
    assert!(matches!(&out[..], [Output::SendFrame { freq: 2462, no_ack: true, wait, .. }] if wait.is_zero()), "{out:?}");
    let p = d.peers().get(&r0()).expect("kept");
    assert!(p.probe_req_only && !p.reported);
    assert_eq!((p.name.as_str(), p.listen_freq, p.country), ("wpas-0", Some(2462), Some(*b"US")));
    assert_eq!((p.config_methods, p.dev_capab), (0x2388, 0x25), "from its WSC IE and P2P Capability");
    // Not listening on that channel: learned, not answered.
    d.handle_input(t0, Input::ProbeRequest { frame: req, freq: 2412, signal_dbm: None }).expect("ok");
    assert!(drain(&mut d).is_empty());

    // r0's probe response to r1 (as a scan result) makes it found.
    let (_, resp, _) = all
        .iter()
        .find(|(_, m, _)| m.header.addr2 == r0() && matches!(m.body, MgmtBody::ProbeResponse(_)))
        .expect("r0's probe response");
    let MgmtBody::ProbeResponse(b) = &resp.body else { unreachable!() };
    let t1 = t0 + Duration::from_secs(1);
    let bss = BssSighting { bssid: r0(), freq: 2462, ies: &b.ies, signal_dbm: Some(-30), age: None };
    d.handle_input(t1, Input::ScanResult(bss)).expect("ok");
    let evs = events(&drain(&mut d));
    let [Event::DeviceFound(f)] = &evs[..] else { panic!("{evs:?}") };
    let line = format!("p2p-dev-wlan1\t{}", crate::ctrl::Event::DeviceFound(f.clone().into()));
    assert!(
        include_str!("../wire/tests/data/harness-selftest/events-1.log").lines().any(|l| l == line),
        "{line} is what wpa_supplicant reported"
    );
    assert!(EVENTS_0.contains("P2P-DEVICE-FOUND 42:00:00:00:01:00"));
    let p = d.peers().get(&r0()).expect("kept");
    assert!(!p.probe_req_only && p.reported);
    assert_eq!(p.config_methods, 0x188, "Device Info now");
    // The same again: nothing; a new name: new=0.
    d.handle_input(t1, Input::ScanResult(bss)).expect("ok");
    assert!(drain(&mut d).is_empty());
    let mut renamed = b.ies.clone();
    let at = renamed.windows(6).rposition(|w| w == b"wpas-0").expect("name in Device Info");
    renamed[at..at + 6].copy_from_slice(b"wpas-9");
    let bss2 = BssSighting { ies: &renamed, ..bss };
    d.handle_input(t1, Input::ScanResult(bss2)).expect("ok");
    let evs = events(&drain(&mut d));
    assert!(matches!(&evs[..], [Event::DeviceFound(f)] if !f.new && f.name == "wpas-9"), "{evs:?}");
    // An older cache entry does not refresh it.
    let t2 = t1 + Duration::from_secs(30);
    let stale = BssSighting { age: Some(Duration::from_secs(40)), ..bss };
    d.handle_input(t2, Input::ScanResult(stale)).expect("ok");
    assert_eq!(d.peers().get(&r0()).map(|p| p.last_seen), Some(t1));

    // A second peer known only from its probe requests expires silently.
    let cap = crate::p2p::wire::Attribute::Capability(Identity::new(r2(), "c").capability());
    let other = request(MacAddr::BROADCAST, MacAddr::BROADCAST, b"DIRECT-", &[0x0c], Some(P2pIe::new(vec![cap])), &[]);
    d.handle_input(t1, Input::ProbeRequest { frame: &other, freq: 2462, signal_dbm: None }).expect("ok");
    drain(&mut d);
    assert_eq!(d.peers().len(), 2);
    let mut now = t1;
    let mut lost = vec![];
    while !d.peers().is_empty() && now < t1 + Duration::from_secs(200) {
        now = d.poll_timeout().expect("expiry check armed").max(now);
        d.handle_timeout(now);
        lost.extend(events(&drain(&mut d)).into_iter().filter(|e| matches!(e, Event::DeviceLost { .. })));
    }
    assert_eq!(lost, [Event::DeviceLost { dev_addr: r0() }], "only the reported peer is reported lost");
    assert!(now >= t1 + crate::p2p::peers::PEER_EXPIRY && now <= t1 + crate::p2p::peers::PEER_EXPIRY + EXPIRY_CHECK);
}

/// A flood of P2P Probe Requests from made-up addresses while listening (issue 16): the
/// answers stay within the probe limiter's burst and rate, one source gets its share per
/// window, the peer table stays bounded, and the device a user found stays in it.
#[test]
fn a_probe_request_flood_in_listen_is_rate_limited_and_the_table_bounded() {
    use crate::group::go::{PROBE_BURST, PROBE_PER_SOURCE, PROBE_RATE};
    use crate::p2p::peers::MAX_PEERS;
    let t0 = Instant::now();
    let mut d = listening_r1(t0);
    // A real peer, found from its probe response.
    let all = frames(SELFTEST);
    let (_, resp, _) = all
        .iter()
        .find(|(_, m, _)| m.header.addr2 == r0() && matches!(m.body, MgmtBody::ProbeResponse(_)))
        .expect("r0's probe response");
    let MgmtBody::ProbeResponse(b) = &resp.body else { unreachable!() };
    let bss = BssSighting { bssid: r0(), freq: 2462, ies: &b.ies, signal_dbm: Some(-30), age: None };
    d.handle_input(t0, Input::ScanResult(bss)).expect("ok");
    assert_eq!(events(&drain(&mut d)).len(), 1, "r0 found");

    let cap = crate::p2p::wire::Attribute::Capability(Identity::new(r2(), "c").capability());
    let req = request(MacAddr::BROADCAST, MacAddr::BROADCAST, b"DIRECT-", &[0x0c], Some(P2pIe::new(vec![cap])), &[]);
    let from = |i: u32| {
        let mut f = req.clone();
        let b = i.to_be_bytes();
        f[10..16].copy_from_slice(&[0x02, 0x77, b[0], b[1], b[2], b[3]]);
        f
    };
    let answers = |out: &[Output]| out.iter().filter(|o| matches!(o, Output::SendFrame { .. })).count() as u64;
    // One source asking 20 times at once gets its share.
    let mut out = Vec::new();
    for _ in 0..20 {
        d.handle_input(t0, Input::ProbeRequest { frame: &from(0), freq: 2462, signal_dbm: None }).expect("ok");
        out.extend(drain(&mut d));
    }
    assert_eq!(answers(&out), u64::from(PROBE_PER_SOURCE));
    // 1000 sources in 200 ms: the rest of the burst, then the rate.
    let t1 = t0 + Duration::from_secs(1);
    let mut out = Vec::new();
    for i in 1..=1000u32 {
        let at = t1 + Duration::from_micros(200 * u64::from(i));
        d.handle_input(at, Input::ProbeRequest { frame: &from(i), freq: 2462, signal_dbm: None }).expect("ok");
        out.extend(drain(&mut d));
    }
    let most = PROBE_BURST + PROBE_RATE / 5 + 1;
    assert!((PROBE_BURST..=most).contains(&answers(&out)), "{} answered, {PROBE_BURST}..={most} expected", answers(&out));
    assert!(events(&out).is_empty(), "nothing reported: {:?}", events(&out));
    assert_eq!(d.peers().len(), MAX_PEERS, "the table is bounded");
    assert!(d.peers().get(&r0()).is_some_and(|p| p.reported), "the found peer stays");
    assert!(d.peers().iter().filter(|p| p.dev_addr != r0()).all(|p| p.probe_req_only));
    assert!(d.peers().get(&MacAddr([0x02, 0x77, 0, 0, 3, 0xe8])).is_some(), "the newest source is kept");
}

#[test]
fn dev_id_find_reports_only_that_device() {
    let t0 = Instant::now();
    let mut d = machine(t0, r1(), "a", T0_SEED);
    d.handle_input(t0, Input::Find(Find { dev_id: Some(mac("02:00:00:00:00:99")), ..Default::default() })).expect("find");
    drain(&mut d);
    let resp = probe::probe_response(r1(), 2412, &Identity::new(r0(), "x")).expect("resp");
    let m = MgmtRepr::parse_bytes(&resp).expect("parses");
    let MgmtBody::ProbeResponse(b) = &m.body else { unreachable!() };
    d.handle_input(t0, Input::ScanResult(BssSighting { bssid: r0(), freq: 2412, ies: &b.ies, signal_dbm: None, age: None }))
        .expect("ok");
    assert!(events(&drain(&mut d)).is_empty());
    assert!(d.peers().get(&r0()).is_some(), "kept all the same");
}

// ---- two machines on a small simulated air ----

/// A medium with virtual time: a scan visits its channels 30 ms each (active scan dwell)
/// and sends one probe request on each; a device hears it when its ROC is on that channel
/// at that moment, and its answer lands in the scanner's results. ROCs start 2 ms after
/// the request and end on time.
mod air {
    use super::*;
    use std::collections::BTreeMap;

    pub const DWELL: Duration = Duration::from_millis(30);

    #[derive(Debug)]
    enum Ev {
        RocStart { dev: usize, cookie: u64, freq: u32 },
        RocEnd { dev: usize, cookie: u64 },
        Probe { dev: usize, freq: u32 },
        ScanEnd { dev: usize },
    }

    pub struct Air {
        pub now: Instant,
        pub devs: Vec<Discovery>,
        /// Current ROC per device: (cookie, freq, until).
        roc: Vec<Option<(u64, u32, Instant)>>,
        ies: Vec<Vec<u8>>,
        results: Vec<Vec<(MacAddr, u32, Vec<u8>)>>,
        queue: BTreeMap<(Instant, u64), Ev>,
        seq: u64,
        next_cookie: u64,
        pub found: Vec<Option<Instant>>,
    }

    impl Air {
        pub fn new(now: Instant, devs: Vec<Discovery>) -> Air {
            let n = devs.len();
            Air {
                now,
                devs,
                roc: vec![None; n],
                ies: vec![vec![]; n],
                results: vec![vec![]; n],
                queue: BTreeMap::new(),
                seq: 0,
                next_cookie: 1,
                found: vec![None; n],
            }
        }

        fn at(&mut self, t: Instant, ev: Ev) {
            self.seq += 1;
            self.queue.insert((t, self.seq), ev);
        }

        pub fn input(&mut self, dev: usize, input: Input<'_>) {
            let now = self.now;
            let _ = self.devs[dev].handle_input(now, input);
            self.pump(dev);
        }

        fn pump(&mut self, dev: usize) {
            while let Some(o) = self.devs[dev].poll_output() {
                match o {
                    Output::RemainOnChannel { freq, duration } => {
                        let cookie = self.next_cookie;
                        self.next_cookie += 1;
                        let _ = self.devs[dev].handle_input(self.now, Input::RocRequested { cookie });
                        let start = self.now + Duration::from_millis(2);
                        self.at(start, Ev::RocStart { dev, cookie, freq });
                        self.at(start + duration, Ev::RocEnd { dev, cookie });
                        self.roc[dev] = None;
                        let _ = duration;
                    }
                    Output::CancelRemainOnChannel { cookie } => {
                        if self.roc[dev].is_some_and(|r| r.0 == cookie) {
                            self.roc[dev] = None;
                        }
                    }
                    Output::Scan { freqs, ies } => {
                        self.ies[dev] = ies;
                        for (i, f) in freqs.iter().enumerate() {
                            self.at(self.now + DWELL * i as u32 + Duration::from_millis(5), Ev::Probe { dev, freq: *f });
                        }
                        self.at(self.now + DWELL * freqs.len() as u32, Ev::ScanEnd { dev });
                    }
                    Output::AbortScan => {
                        // The scan ends now, with no more probes and no results.
                        self.queue.retain(|_, ev| !matches!(ev, Ev::Probe { dev: d, .. } | Ev::ScanEnd { dev: d } if *d == dev));
                        self.results[dev].clear();
                        self.at(self.now, Ev::ScanEnd { dev });
                    }
                    Output::SendFrame { freq, frame, .. } => {
                        // A probe response: into the scan results of its receiver.
                        let m = MgmtRepr::parse_bytes(&frame).expect("our frame parses");
                        let to = self.devs.iter().position(|d| d.identity().dev_addr == m.header.addr1);
                        if let (Some(to), MgmtBody::ProbeResponse(b)) = (to, &m.body) {
                            self.results[to].push((m.header.addr2, freq, b.ies.clone()));
                        }
                    }
                    Output::Event(Event::DeviceFound(_)) => {
                        self.found[dev].get_or_insert(self.now);
                    }
                    Output::Event(_) => {}
                }
            }
        }

        /// Runs until `until` (virtual).
        pub fn run(&mut self, until: Instant) {
            loop {
                let timer = self.devs.iter().enumerate().filter_map(|(i, d)| d.poll_timeout().map(|t| (t, i))).min();
                let ev = self.queue.keys().next().copied();
                let next = match (timer, ev) {
                    (Some((t, _)), Some((e, _))) => t.min(e),
                    (Some((t, _)), None) => t,
                    (None, Some((e, _))) => e,
                    (None, None) => break,
                };
                if next > until {
                    break;
                }
                self.now = self.now.max(next);
                if let Some((t, i)) = timer
                    && t <= next
                {
                    self.devs[i].handle_timeout(self.now);
                    self.pump(i);
                    continue;
                }
                let (_, ev) = self.queue.pop_first().expect("an event");
                self.deliver(ev);
            }
        }

        fn deliver(&mut self, ev: Ev) {
            match ev {
                Ev::RocStart { dev, cookie, freq } => {
                    let until = self.now + Duration::from_secs(3600);
                    self.roc[dev] = Some((cookie, freq, until));
                    self.input(dev, Input::RocStarted { cookie, freq });
                }
                Ev::RocEnd { dev, cookie } => {
                    if self.roc[dev].is_some_and(|r| r.0 == cookie) {
                        self.roc[dev] = None;
                    }
                    self.input(dev, Input::RocEnded { cookie });
                }
                Ev::Probe { dev, freq } => {
                    let mut ies = crate::ieee80211::IeWriter::new();
                    ies.ssid(b"DIRECT-").expect("ssid");
                    ies.element(ElementId::SUPPORTED_RATES, &[0x0c, 0x12, 0x18, 0x24]).expect("rates");
                    let mut ies = ies.finish();
                    ies.extend_from_slice(&self.ies[dev]);
                    let sa = self.devs[dev].identity().dev_addr;
                    let frame = MgmtRepr::new(
                        MacAddr::BROADCAST,
                        sa,
                        MacAddr::BROADCAST,
                        MgmtBody::ProbeRequest(ProbeRequestRepr { ies }),
                    )
                    .to_vec();
                    for other in 0..self.devs.len() {
                        if other != dev && self.roc[other].is_some_and(|r| r.1 == freq) {
                            self.input(other, Input::ProbeRequest { frame: &frame, freq, signal_dbm: Some(-30) });
                        }
                    }
                }
                Ev::ScanEnd { dev } => {
                    for (bssid, freq, ies) in std::mem::take(&mut self.results[dev]) {
                        let bss = BssSighting { bssid, freq, ies: &ies, signal_dbm: Some(-30), age: None };
                        self.input(dev, Input::ScanResult(bss));
                    }
                    self.input(dev, Input::ScanDone);
                }
            }
        }
    }
}

#[test]
fn two_finders_meet_on_the_simulated_air() {
    let mut times = vec![];
    for seed in 0..20u8 {
        let t0 = Instant::now();
        let a = machine(t0, r0(), "a", [seed; 32]);
        let b = machine(t0, r1(), "b", [seed.wrapping_add(100); 32]);
        let mut air = air::Air::new(t0, vec![a, b]);
        air.input(0, Input::Find(Find { kind: FindKind::Social, ..Default::default() }));
        air.input(1, Input::Find(Find { kind: FindKind::Social, ..Default::default() }));
        air.run(t0 + Duration::from_secs(30));
        let found: Vec<Duration> = air
            .found
            .iter()
            .map(|f| f.expect("each finds the other within 30 s").duration_since(t0))
            .collect();
        times.extend(found);
        let names: Vec<String> = [(0, r1()), (1, r0())]
            .into_iter()
            .map(|(i, other)| air.devs[i].peers().get(&other).expect("found").name.clone())
            .collect();
        assert_eq!(names, ["b", "a"]);
    }
    times.sort();
    let median = times[times.len() / 2];
    assert!(median < Duration::from_secs(3), "median {median:?}");
}

#[test]
fn a_finder_finds_a_listener_and_the_listener_learns_it_as_probe_req_only() {
    let t0 = Instant::now();
    let a = machine(t0, r0(), "a", [1; 32]);
    let b = machine(t0, r1(), "b", [2; 32]);
    let mut air = air::Air::new(t0, vec![a, b]);
    air.input(1, Input::Listen { timeout: Some(Duration::from_secs(20)) });
    air.input(0, Input::Find(Find { kind: FindKind::Social, ..Default::default() }));
    air.run(t0 + Duration::from_secs(2));
    assert!(air.found[0].is_some(), "the finder found the listener in its first scan");
    assert!(air.found[1].is_none(), "a listener reports nobody");
    let p = air.devs[1].peers().get(&r0()).expect("learned from the probe requests");
    assert!(p.probe_req_only);
    assert_eq!(p.listen_freq, Some(air.devs[0].listen_freq()), "from the Listen Channel attribute");
}

// ---- random bytes from the air ----

mod props {
    use super::*;
    use proptest::prelude::*;

    fn real_request() -> Vec<u8> {
        frames(SELFTEST)
            .into_iter()
            .find(|(_, m, _)| matches!(m.body, MgmtBody::ProbeRequest(_)))
            .expect("a request")
            .2
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic_the_answer_or_the_peer_table(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let t0 = Instant::now();
            let us = Identity::new(r1(), "us");
            if let Ok(resp) = probe::answer_frame(&bytes, 2437, &us, true) {
                prop_assert!(MgmtRepr::parse_bytes(&resp).is_ok());
            }
            let mut d = machine(t0, r1(), "us", T0_SEED);
            let _ = d.handle_input(t0, Input::ProbeRequest { frame: &bytes, freq: 2437, signal_dbm: None });
            let bss = BssSighting { bssid: r0(), freq: 2437, ies: &bytes, signal_dbm: None, age: None };
            let _ = d.handle_input(t0, Input::ScanResult(bss));
            while d.poll_output().is_some() {}
        }

        #[test]
        fn mutated_real_requests_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>()) {
            let t0 = Instant::now();
            let mut b = real_request();
            for (i, v) in flips {
                let at = i.index(b.len());
                b[at] = v;
            }
            b.truncate(cut.index(b.len() + 1));
            let us = Identity::new(r1(), "us");
            let _ = probe::answer_frame(&b, 2462, &us, true);
            let mut d = machine(t0, r1(), "us", T0_SEED);
            let _ = d.handle_input(t0, Input::ProbeRequest { frame: &b, freq: 2462, signal_dbm: None });
            if b.len() > 24 {
                let bss = BssSighting { bssid: r0(), freq: 2462, ies: &b[24..], signal_dbm: None, age: None };
                let _ = d.handle_input(t0, Input::ScanResult(bss));
            }
            while d.poll_output().is_some() {}
            for p in d.peers().iter() {
                let _ = crate::ctrl::PeerInfo::from_peer(p, t0).to_reply();
            }
        }
    }
}
