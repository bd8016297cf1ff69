//! Errors: decoding (bytes from the kernel) and client errors (kernel, socket).

use std::fmt;

/// Bytes that do not form a valid netlink / nl80211 message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Fewer bytes than the structure needs.
    #[error("truncated {what}")]
    Truncated {
        /// The structure being read.
        what: &'static str,
    },
    /// An attribute header whose length is impossible.
    #[error("attribute {kind}: bad length {len}")]
    BadAttrLength {
        /// Attribute type.
        kind: u16,
        /// The length field.
        len: usize,
    },
    /// An attribute whose value does not fit its type.
    #[error("attribute {kind}: {why}")]
    BadValue {
        /// Attribute type.
        kind: u16,
        /// What is wrong.
        why: &'static str,
    },
    /// A netlink message header whose length is impossible.
    #[error("netlink message: bad length {len} (of {available} available)")]
    BadMessageLength {
        /// The length field.
        len: usize,
        /// Bytes left in the datagram.
        available: usize,
    },
    /// A reply lacks an attribute it must carry.
    #[error("{what}: missing attribute {attr}")]
    Missing {
        /// The object being built.
        what: &'static str,
        /// The attribute's kernel name.
        attr: &'static str,
    },
    /// A datagram larger than the receive buffer.
    #[error("datagram of {len} bytes truncated by a {buf}-byte receive buffer")]
    DatagramTruncated {
        /// Real length.
        len: usize,
        /// Buffer size.
        buf: usize,
    },
}

/// An error from the nl80211 client.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The kernel refused the request (`NLMSG_ERROR` with a negative code).
    #[error("{}", KernelErrorDisplay { errno: *errno, message: message.as_deref() })]
    Kernel {
        /// The positive errno (e.g. 2 for ENOENT).
        errno: i32,
        /// The extended-ack message text (`NLMSGERR_ATTR_MSG`), when the kernel gave one.
        message: Option<String>,
    },
    /// The netlink socket failed.
    #[error("netlink socket: {0}")]
    Io(#[from] std::io::Error),
    /// The kernel sent bytes this crate cannot decode.
    #[error("decoding a kernel message: {0}")]
    Decode(#[from] DecodeError),
    /// The generic netlink controller does not know the nl80211 family (no cfg80211).
    #[error("the kernel has no nl80211 family (cfg80211 not loaded?)")]
    NoFamily,
    /// The socket's receive queue overflowed (ENOBUFS); the reply to this request may
    /// have been lost, so it was failed rather than left waiting.
    #[error("netlink receive buffer overrun; the request's reply may be lost")]
    Overrun,
    /// The dispatch loop stopped (socket error or client dropped).
    #[error("the nl80211 dispatch loop has stopped")]
    Closed,
    /// A reply did not have the expected shape.
    #[error("unexpected reply: {0}")]
    UnexpectedReply(&'static str),
}

impl Error {
    /// The errno when this is a kernel error.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Kernel { errno, .. } => Some(*errno),
            _ => None,
        }
    }
}

struct KernelErrorDisplay<'a> {
    errno: i32,
    message: Option<&'a str>,
}

impl fmt::Display for KernelErrorDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = std::io::Error::from_raw_os_error(self.errno).to_string();
        // std's text ends with " (os error N)"; keep only the description.
        let text = text.split(" (os error").next().unwrap_or(&text);
        match errno_name(self.errno) {
            Some(name) => write!(f, "kernel error {name} ({}): {text}", self.errno)?,
            None => write!(f, "kernel error {}: {text}", self.errno)?,
        }
        if let Some(m) = self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

/// The symbolic name of the errnos nl80211 commonly returns.
pub fn errno_name(errno: i32) -> Option<&'static str> {
    Some(match errno {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::EIO => "EIO",
        libc::E2BIG => "E2BIG",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EBUSY => "EBUSY",
        libc::EEXIST => "EEXIST",
        libc::ENODEV => "ENODEV",
        libc::EINVAL => "EINVAL",
        libc::ENFILE => "ENFILE",
        libc::ENOSPC => "ENOSPC",
        libc::ERANGE => "ERANGE",
        libc::ENOLINK => "ENOLINK",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::ENOBUFS => "ENOBUFS",
        libc::ENETDOWN => "ENETDOWN",
        libc::ENOTCONN => "ENOTCONN",
        libc::EALREADY => "EALREADY",
        libc::EINPROGRESS => "EINPROGRESS",
        libc::ETIMEDOUT => "ETIMEDOUT",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_error_display_names_errno_and_ext_ack_text() {
        let e = Error::Kernel { errno: libc::EBUSY, message: Some("interface busy".into()) };
        let s = e.to_string();
        assert!(s.contains("EBUSY (16)"), "{s}");
        assert!(s.contains("busy"), "{s}");
        assert!(s.ends_with(": interface busy"), "{s}");
        let e = Error::Kernel { errno: 9999, message: None };
        assert!(e.to_string().starts_with("kernel error 9999"));
    }
}
