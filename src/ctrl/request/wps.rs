//! Arguments of `WPS_PBC` and `WPS_PIN` and their parsers.

use super::{Args, ParseError, Request, Result, mac, number, unexpected};
use crate::ctrl::pin::Pin;
use crate::ieee80211::MacAddr;

/// Which enrollee a `WPS_PIN` PIN is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WpsPinTarget {
    /// `any`: any enrollee (registrar) / any AP (enrollee).
    Any,
    /// A specific enrollee address or BSSID.
    Addr(MacAddr),
}

/// Arguments of `WPS_PIN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WpsPinRequest {
    /// `WPS_PIN get`: generate a PIN and return it, nothing else.
    Get,
    /// `WPS_PIN <any|addr> [PIN] [timeout]`: enable a PIN (generated if absent); the reply is
    /// the PIN.
    Use {
        target: WpsPinTarget,
        pin: Option<Pin>,
        timeout: Option<u32>,
    },
}

pub(super) fn parse_wps_pbc(args: Args<'_>) -> Result<Request> {
    const C: &str = "WPS_PBC";
    match args.words.as_slice() {
        [] => Ok(Request::WpsPbc { bssid: None }),
        [b] if *b == "any" => Ok(Request::WpsPbc { bssid: None }),
        [b] => Ok(Request::WpsPbc {
            bssid: Some(mac(C, b)?),
        }),
        [_, extra, ..] => Err(unexpected(C, extra)),
    }
}

pub(super) fn parse_wps_pin(args: Args<'_>) -> Result<WpsPinRequest> {
    const C: &str = "WPS_PIN";
    let words = args.words.as_slice();
    let first = words.first().ok_or(ParseError::Missing {
        command: C,
        what: "<any|addr|get>",
    })?;
    if *first == "get" {
        return match words.get(1) {
            None => Ok(WpsPinRequest::Get),
            Some(extra) => Err(unexpected(C, extra)),
        };
    }
    let target = if *first == "any" {
        WpsPinTarget::Any
    } else {
        WpsPinTarget::Addr(mac(C, first)?)
    };
    let pin = match words.get(1) {
        None => None,
        Some(p) => {
            Some(Pin::parse(p).map_err(|source| ParseError::InvalidPin { command: C, source })?)
        }
    };
    let timeout = match words.get(2) {
        None => None,
        Some(t) => Some(number(C, "timeout", t)?),
    };
    if let Some(extra) = words.get(3) {
        return Err(unexpected(C, extra));
    }
    Ok(WpsPinRequest::Use {
        target,
        pin,
        timeout,
    })
}
