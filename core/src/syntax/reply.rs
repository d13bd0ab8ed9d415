//! Parsing replies (RFC 5321 §4.2), for the sending side and for tests:
//! `Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF`.

use core::fmt;

use crate::reply::{EnhancedCode, Reply, ReplyCode};

/// Longest reply line we read, CRLF included (§4.5.3.1.5 sets 512).
pub const MAX_REPLY_LINE: usize = 512;
/// Most lines in one reply; a peer sending more is broken or hostile.
pub const MAX_REPLY_LINES: usize = 100;

/// Why bytes from a server are not a reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyParseError {
    /// A line does not start with a reply code followed by SP, `-` or CRLF.
    Malformed,
    /// A line of a multi-line reply has another code than the first (§4.2.1).
    CodeMismatch,
    /// A line longer than [`MAX_REPLY_LINE`].
    LineTooLong,
    /// More than [`MAX_REPLY_LINES`] lines.
    TooManyLines,
    /// Text with characters outside `textstring`.
    InvalidText,
}

impl fmt::Display for ReplyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => "reply line does not start with a reply code",
            Self::CodeMismatch => "lines of a multi-line reply carry different codes",
            Self::LineTooLong => "reply line too long",
            Self::TooManyLines => "reply has too many lines",
            Self::InvalidText => "reply text has characters outside textstring",
        })
    }
}

impl std::error::Error for ReplyParseError {}

/// Reads one complete reply from the start of `input`. Returns `Ok(None)` while the
/// reply is incomplete, or the reply and how many bytes it took.
pub fn parse_reply(input: &[u8]) -> Result<Option<(Reply, usize)>, ReplyParseError> {
    let mut rest = input;
    let mut code = None;
    let mut texts: Vec<&str> = Vec::new();
    loop {
        let Some((line, after)) = super::split_line(rest) else {
            return if rest.len() >= MAX_REPLY_LINE {
                Err(ReplyParseError::LineTooLong)
            } else {
                Ok(None)
            };
        };
        if line.len() + 2 > MAX_REPLY_LINE {
            return Err(ReplyParseError::LineTooLong);
        }
        let line = core::str::from_utf8(line).map_err(|_| ReplyParseError::InvalidText)?;
        rest = after;
        let line_code =
            ReplyCode::of_reply_line(line.as_bytes()).ok_or(ReplyParseError::Malformed)?;
        if *code.get_or_insert(line_code) != line_code {
            return Err(ReplyParseError::CodeMismatch);
        }
        let (last, text) = match line.as_bytes().get(3) {
            None => (true, ""),
            Some(b' ') => (true, line.get(4..).unwrap_or_default()),
            Some(b'-') => (false, line.get(4..).unwrap_or_default()),
            Some(_) => return Err(ReplyParseError::Malformed),
        };
        texts.push(text);
        if texts.len() > MAX_REPLY_LINES {
            return Err(ReplyParseError::TooManyLines);
        }
        if last {
            let code = line_code;
            let enhanced = enhanced_code_of(code, &texts);
            let lines = texts.iter().map(|text| match enhanced {
                Some(_) => strip_enhanced(text),
                None => text,
            });
            let reply =
                Reply::new(code, enhanced, lines).map_err(|_| ReplyParseError::InvalidText)?;
            return Ok(Some((reply, input.len() - rest.len())));
        }
    }
}

/// The enhanced code a reply carries: one at the start of the first line, in the class
/// of the reply code (RFC 2034 §4, RFC 3463 §2), and the same on every line.
fn enhanced_code_of(code: ReplyCode, texts: &[&str]) -> Option<EnhancedCode> {
    let first = enhanced_prefix(texts.first()?)?;
    let same_class = first
        .to_string()
        .starts_with(&(code.value() / 100).to_string());
    (same_class
        && texts
            .iter()
            .all(|text| enhanced_prefix(text) == Some(first)))
    .then_some(first)
}

/// `status-code = class "." subject "." detail` at the start of `text`, ended by SP or
/// the end of the text.
fn enhanced_prefix(text: &str) -> Option<EnhancedCode> {
    let word = text.split(' ').next()?;
    let mut parts = word.split('.');
    let mut number = |max_digits: usize| -> Option<u16> {
        let part = parts.next()?;
        (1..=max_digits)
            .contains(&part.len())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (class, subject, detail) = (number(1)?, number(3)?, number(3)?);
    if parts.next().is_some() {
        return None;
    }
    EnhancedCode::new(u8::try_from(class).ok()?, subject, detail)
}

fn strip_enhanced(text: &str) -> &str {
    text.split_once(' ').map_or("", |(_, rest)| rest)
}

/// A reply travels through JSON (a queue file, the API) in its wire form.
#[cfg(feature = "serde")]
impl serde::Serialize for Reply {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Reply {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = String::deserialize(deserializer)?;
        match parse_reply(wire.as_bytes()) {
            Ok(Some((reply, used))) if used == wire.len() => Ok(reply),
            _ => Err(serde::de::Error::custom(format!(
                "{:?} is not one complete SMTP reply",
                wire.trim_end()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_reply_with_enhanced_codes() {
        let input = b"250-2.0.0 mx.example\r\n250-2.0.0 PIPELINING\r\n250 2.0.0 SIZE 1000\r\nNEXT";
        let (reply, used) = parse_reply(input).unwrap().unwrap();
        assert_eq!(used, input.len() - 4);
        assert_eq!(reply.code(), ReplyCode::OK);
        assert_eq!(
            reply.enhanced().map(|e| e.to_string()).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(reply.lines(), ["mx.example", "PIPELINING", "SIZE 1000"]);
        assert_eq!(reply.to_bytes(), &input[..used]);
    }

    #[test]
    fn incomplete_reply_asks_for_more() {
        assert_eq!(parse_reply(b"250-first\r\n250 sec"), Ok(None));
    }

    #[test]
    fn every_line_must_carry_the_same_code() {
        // RFC 5321 §4.2.1.
        assert_eq!(
            parse_reply(b"250-a\r\n251 b\r\n"),
            Err(ReplyParseError::CodeMismatch)
        );
    }

    #[test]
    fn bare_code_and_empty_text_are_replies() {
        // smtp-sink ends its EHLO reply with "250 " (empty text).
        let (reply, _) = parse_reply(b"250-mx\r\n250 \r\n").unwrap().unwrap();
        assert_eq!(reply.lines(), ["mx", ""]);
        assert!(parse_reply(b"354\r\n").unwrap().is_some());
    }

    #[test]
    fn malformed_and_oversized_replies_are_errors() {
        assert_eq!(parse_reply(b"hello\r\n"), Err(ReplyParseError::Malformed));
        assert_eq!(parse_reply(b"250x\r\n"), Err(ReplyParseError::Malformed));
        assert_eq!(parse_reply(&[b'2'; 600]), Err(ReplyParseError::LineTooLong));
        let many = "250-x\r\n".repeat(MAX_REPLY_LINES + 1);
        assert_eq!(
            parse_reply(many.as_bytes()),
            Err(ReplyParseError::TooManyLines)
        );
    }

    #[test]
    fn enhanced_code_of_another_class_is_text() {
        let (reply, _) = parse_reply(b"250 5.0.0 odd\r\n").unwrap().unwrap();
        assert_eq!(reply.enhanced(), None);
        assert_eq!(reply.lines(), ["5.0.0 odd"]);
    }
}
