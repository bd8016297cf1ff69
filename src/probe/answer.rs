//! The content of a probe answer: the data prefixes a peer offers.
//!
//! Three shapes are in use (see `shared/facts/ndn.md`, "The probe protocol as the
//! original app shipped it"):
//! - **spec**: the prefix count as a 4-octet big-endian integer, then every prefix in
//!   URI form followed by `\n` (`00 00 00 02 "/a/b\n/c\n"`);
//! - **app**: the count as ASCII decimal digits, then the prefixes, every one preceded
//!   by `\n`, no trailing newline (`"2\n/a/b\n/c"`; no prefixes is `"0"`);
//! - **list**: the prefixes alone, `\n`-separated (later variants).
//!
//! [`encode`] writes the first two; [`parse`] accepts all three (a trailing newline is
//! tolerated everywhere) and never panics: bytes from the air get a typed error.

use ndn::packet::Name;
use std::str::FromStr;

/// The most prefixes one answer may carry; more is treated as malformed (a peer's table
/// is small, and every prefix becomes a route here).
pub const MAX_PREFIXES: usize = 1024;

/// Which answer format we send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnswerFormat {
    /// 4-octet big-endian count, then `prefix\n` lines (the protocol's text).
    #[default]
    Spec,
    /// ASCII decimal count, then `\n`-joined prefixes (the Android app as deployed).
    App,
}

impl FromStr for AnswerFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "spec" => Ok(AnswerFormat::Spec),
            "app" => Ok(AnswerFormat::App),
            other => Err(format!("unknown probe answer format {other:?} (want spec or app)")),
        }
    }
}

impl std::fmt::Display for AnswerFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AnswerFormat::Spec => "spec",
            AnswerFormat::App => "app",
        })
    }
}

/// Which shape a received answer had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Spec,
    App,
    List,
}

/// Why an answer's content was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("answer is not UTF-8 text after its count")]
    NotText,
    #[error("answer declares {declared} prefixes but carries {found}")]
    CountMismatch { declared: u64, found: usize },
    #[error("answer's decimal count {0:?} is not a number")]
    BadCount(String),
    #[error("answer lists more than {MAX_PREFIXES} prefixes")]
    TooMany,
    #[error("answer line {line} is not an NDN name: {text:?}")]
    BadPrefix { line: usize, text: String },
}

/// Writes `prefixes` in `format`.
pub fn encode(format: AnswerFormat, prefixes: &[Name]) -> Vec<u8> {
    match format {
        AnswerFormat::Spec => {
            let count = u32::try_from(prefixes.len()).unwrap_or(u32::MAX);
            let mut out = count.to_be_bytes().to_vec();
            for p in prefixes {
                out.extend_from_slice(p.to_string().as_bytes());
                out.push(b'\n');
            }
            out
        }
        AnswerFormat::App => {
            let mut out = prefixes.len().to_string().into_bytes();
            for p in prefixes {
                out.push(b'\n');
                out.extend_from_slice(p.to_string().as_bytes());
            }
            out
        }
    }
}

/// Reads an answer in any of the three shapes.
pub fn parse(content: &[u8]) -> Result<(Shape, Vec<Name>), AnswerError> {
    match content.first() {
        // Empty content: a count-less list of nothing.
        None => Ok((Shape::List, Vec::new())),
        Some(b'/') => {
            let text = std::str::from_utf8(content).map_err(|_| AnswerError::NotText)?;
            Ok((Shape::List, lines(text)?))
        }
        Some(b'0'..=b'9') => {
            let text = std::str::from_utf8(content).map_err(|_| AnswerError::NotText)?;
            let (count, rest) = text.split_once('\n').unwrap_or((text, ""));
            let declared: u64 = count.trim_end_matches('\r').parse().map_err(|_| AnswerError::BadCount(count.chars().take(32).collect()))?;
            let names = lines(rest)?;
            check_count(declared, &names)?;
            Ok((Shape::App, names))
        }
        // A 4-octet count: its first octet is 0 for any count below 2^24 and can never
        // be '/' or a digit for a count up to MAX_PREFIXES.
        Some(_) => {
            let Some((count, rest)) = content.split_first_chunk::<4>() else {
                return truncated(content);
            };
            let declared = u64::from(u32::from_be_bytes(*count));
            let text = std::str::from_utf8(rest).map_err(|_| AnswerError::NotText)?;
            let names = lines(text)?;
            check_count(declared, &names)?;
            Ok((Shape::Spec, names))
        }
    }
}

/// Content shorter than the 4-octet count.
fn truncated(content: &[u8]) -> Result<(Shape, Vec<Name>), AnswerError> {
    let mut padded = [0u8; 4];
    let n = content.len().min(4);
    padded[4 - n..].copy_from_slice(&content[..n]);
    Err(AnswerError::CountMismatch { declared: u64::from(u32::from_be_bytes(padded)), found: 0 })
}

fn check_count(declared: u64, names: &[Name]) -> Result<(), AnswerError> {
    if declared != names.len() as u64 {
        return Err(AnswerError::CountMismatch { declared, found: names.len() });
    }
    Ok(())
}

/// `\n`-separated prefixes; one trailing newline (or `\r\n`) allowed, empty lines not.
fn lines(text: &str) -> Result<Vec<Name>, AnswerError> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if names.len() == MAX_PREFIXES {
            return Err(AnswerError::TooMany);
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        let bad = || AnswerError::BadPrefix { line: i + 1, text: line.chars().take(64).collect() };
        if !line.starts_with('/') {
            return Err(bad());
        }
        names.push(Name::from_str(line).map_err(|_| bad())?);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names(v: &[&str]) -> Vec<Name> {
        v.iter().map(|s| s.parse().expect("name")).collect()
    }

    #[test]
    fn spec_format_is_a_big_endian_count_then_lines() {
        let out = encode(AnswerFormat::Spec, &names(&["/a/b", "/c"]));
        assert_eq!(out, b"\x00\x00\x00\x02/a/b\n/c\n");
        assert_eq!(encode(AnswerFormat::Spec, &[]), b"\x00\x00\x00\x00");
        assert_eq!(parse(&out), Ok((Shape::Spec, names(&["/a/b", "/c"]))));
        assert_eq!(parse(b"\x00\x00\x00\x00"), Ok((Shape::Spec, vec![])));
    }

    #[test]
    fn app_format_is_the_deployed_apps_text() {
        // The app's own example: "2\n/a/b\n/c", no trailing newline.
        let out = encode(AnswerFormat::App, &names(&["/a/b", "/c"]));
        assert_eq!(out, b"2\n/a/b\n/c");
        assert_eq!(encode(AnswerFormat::App, &[]), b"0");
        assert_eq!(parse(b"2\n/a/b\n/c"), Ok((Shape::App, names(&["/a/b", "/c"]))));
        assert_eq!(parse(b"0"), Ok((Shape::App, vec![])));
        assert_eq!(parse(b"1\n/x\n"), Ok((Shape::App, names(&["/x"]))));
    }

    #[test]
    fn a_count_less_list_is_accepted() {
        assert_eq!(parse(b"/a/b\n/c"), Ok((Shape::List, names(&["/a/b", "/c"]))));
        assert_eq!(parse(b"/a\r\n/c\r\n"), Ok((Shape::List, names(&["/a", "/c"]))));
        assert_eq!(parse(b""), Ok((Shape::List, vec![])));
    }

    #[test]
    fn escaped_names_survive_the_round_trip() {
        let v = names(&["/hw/data%20x", "/a/%00%FF"]);
        for f in [AnswerFormat::Spec, AnswerFormat::App] {
            assert_eq!(parse(&encode(f, &v)).map(|(_, n)| n), Ok(v.clone()));
        }
    }

    #[test]
    fn malformed_answers_are_typed_errors() {
        assert_eq!(parse(b"3\n/a\n/b"), Err(AnswerError::CountMismatch { declared: 3, found: 2 }));
        assert_eq!(parse(b"\x00\x00\x00\x01/a\n/b\n"), Err(AnswerError::CountMismatch { declared: 1, found: 2 }));
        assert_eq!(parse(b"\x00\x01"), Err(AnswerError::CountMismatch { declared: 1, found: 0 }));
        assert!(matches!(parse(b"2x\n/a\n/b"), Err(AnswerError::BadCount(_))));
        assert!(matches!(parse(b"1\na/b"), Err(AnswerError::BadPrefix { line: 1, .. })));
        assert!(matches!(parse(b"/a\n\n/b"), Err(AnswerError::BadPrefix { line: 2, .. })));
        assert_eq!(parse(b"\x00\x00\x00\x01\xff\n"), Err(AnswerError::NotText));
        assert!(matches!(parse(b"/a/%zz"), Err(AnswerError::BadPrefix { .. })));
        let many: String = (0..=MAX_PREFIXES).map(|i| format!("/p{i}\n")).collect();
        assert_eq!(parse(many.as_bytes()), Err(AnswerError::TooMany));
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn random_text_never_panics(text in "[0-9/a-z%\\n\\r]{0,64}") {
            let _ = parse(text.as_bytes());
        }

        #[test]
        fn encode_then_parse_is_identity(
            parts in proptest::collection::vec(proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..6), 1..4), 0..6),
            app in any::<bool>(),
        ) {
            let v: Vec<Name> = parts.iter().map(|comps| {
                let mut n = Name::new();
                for c in comps { n.push_generic(c); }
                n
            }).collect();
            let f = if app { AnswerFormat::App } else { AnswerFormat::Spec };
            prop_assert_eq!(parse(&encode(f, &v)).map(|(_, n)| n), Ok(v));
        }
    }
}
