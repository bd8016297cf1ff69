//! One nl80211 message (generic netlink payload: genl header, then attributes) as the
//! kernel sends it: a message that decodes re-encodes and decodes to the same value, and
//! every typed view the agent reads events and dump replies through takes it without
//! panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nl80211::connect::MlmeEvent;
use nl80211::frame::{ControlPortRx, RocEvent, RxFrame, TxStatus};
use nl80211::{Bss, Event, Interface, Message, Wiphy};

fuzz_target!(|data: &[u8]| {
    let Ok(m) = Message::decode_payload(data) else { return };
    let bytes = m.encode_payload();
    assert_eq!(Message::decode_payload(&bytes).expect("re-decode"), m);
    let e = Event { cmd: m.cmd, attrs: m.attrs.clone(), group: None };
    let _ = RxFrame::from_event(&e);
    let _ = TxStatus::from_event(&e);
    let _ = RocEvent::from_event(&e);
    let _ = ControlPortRx::from_event(&e);
    let _ = MlmeEvent::from_event(&e);
    let msgs = [m];
    let _ = Wiphy::from_messages(&msgs);
    let _ = Bss::from_messages(&msgs);
    let _ = Interface::from_messages(&msgs);
});
