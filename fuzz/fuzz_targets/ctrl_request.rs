//! The control-socket request parser (`Request::parse`, what every datagram on the
//! socket goes through, after the `IFNAME=` prefix split): no panic, a `FAIL...` reply
//! for every rejection, the command word is case-insensitive and one trailing newline
//! changes nothing.
#![no_main]
use directd::ctrl::request::split_ifname_prefix;
use directd::ctrl::{MAX_REQUEST_LEN, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = Request::parse(data);
    if let Err(e) = &parsed {
        assert!(e.reply().starts_with("FAIL"), "{e}: {}", e.reply());
        let _ = e.to_string();
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (_ifname, rest) = split_ifname_prefix(text);
    let _ = Request::parse_str(rest);
    if data.len() < MAX_REQUEST_LEN && !text.ends_with(['\n', '\r']) {
        assert_eq!(Request::parse_str(&format!("{text}\n")), parsed, "a trailing newline is tolerated");
    }
    if text.len() <= MAX_REQUEST_LEN {
        let swapped = match text.split_once(' ') {
            Some((word, args)) => format!("{} {args}", word.to_ascii_lowercase()),
            None => text.to_ascii_lowercase(),
        };
        match (Request::parse_str(&swapped), Request::parse_str(text)) {
            // An unknown command keeps its word as typed (it is only logged).
            (Ok(Request::Unknown { command: a }), Ok(Request::Unknown { command: b })) => {
                assert!(a.eq_ignore_ascii_case(&b));
            }
            (a, b) => assert_eq!(a, b, "the command word is case-insensitive"),
        }
    }
});
