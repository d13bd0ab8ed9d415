//! The grammar of SMTP (RFC 5321 §4.1, §4.2) and its extensions, with nom.
//!
//! Each parser is named after the ABNF rule it implements and carries that rule as its
//! doc comment, so it can be checked against the RFC line by line. Every type renders
//! back to the wire form it was parsed from (`parse(render(x)) == x`).

pub mod address;
pub mod command;
pub mod parameters;
pub mod reply;

pub use address::{AddressLiteral, Domain, ForwardPath, Host, Mailbox, ReversePath};
pub use command::{Command, CommandError, InitialResponse, Verb};
pub use parameters::{
    Body, MailParameters, Notify, OriginalRecipient, ParameterError, RcptParameters, Ret,
};

/// Splits `input` at its first CRLF: the line without CRLF, and what follows it.
/// Only CRLF ends a line in SMTP (RFC 5321 §2.3.8).
pub fn split_line(input: &[u8]) -> Option<(&[u8], &[u8])> {
    // Short lines: a search for LF and a look back beats a two-byte substring search.
    let mut from = 0;
    loop {
        let lf = from + memchr::memchr(b'\n', input.get(from..)?)?;
        if lf > 0 && input.get(lf - 1) == Some(&b'\r') {
            return Some((input.get(..lf - 1)?, input.get(lf + 1..)?));
        }
        from = lf + 1;
    }
}

/// How a command line ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnd {
    CrLf,
    /// A LF without its CR, which RFC 5321 §2.3.8 does not allow.
    BareLf,
}

/// Splits `input` at its first LF: the line without its CR LF (or bare LF), what
/// follows, and how the line ended. A server reading commands answers a bare LF at
/// once rather than waiting for a CRLF that may never come.
pub fn split_command_line(input: &[u8]) -> Option<(&[u8], &[u8], LineEnd)> {
    let lf = memchr::memchr(b'\n', input)?;
    let rest = input.get(lf + 1..)?;
    match lf.checked_sub(1) {
        Some(cr) if input.get(cr) == Some(&b'\r') => Some((input.get(..cr)?, rest, LineEnd::CrLf)),
        _ => Some((input.get(..lf)?, rest, LineEnd::BareLf)),
    }
}

/// Matches `tag` without regard to ASCII case, as SMTP keywords are (RFC 5321 §2.4).
/// nom's `tag_no_case` folds Unicode case per character, which SMTP never needs and
/// costs more than the rest of a command's parse.
pub fn ascii_tag_no_case(tag: &'static str) -> impl Fn(&str) -> nom::IResult<&str, &str> {
    move |input: &str| match input.split_at_checked(tag.len()) {
        Some((head, rest)) if head.eq_ignore_ascii_case(tag) => Ok((rest, head)),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

/// nom's `take_while1` for `&str`, scanning bytes: ASCII bytes are tested directly and
/// only non-ASCII characters are decoded, which SMTP lines rarely hold. Profiling showed
/// the per-character decoding of the generic version dominating address parsing.
pub fn take_while1<F>(predicate: F) -> impl Fn(&str) -> nom::IResult<&str, &str>
where
    F: Fn(char) -> bool,
{
    move |input: &str| {
        let bytes = input.as_bytes();
        let mut end = 0;
        while let Some(&byte) = bytes.get(end) {
            if byte.is_ascii() {
                if !predicate(char::from(byte)) {
                    break;
                }
                end += 1;
            } else {
                let Some(c) = input.get(end..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                if !predicate(c) {
                    break;
                }
                end += c.len_utf8();
            }
        }
        match (end, input.split_at_checked(end)) {
            (1.., Some((taken, rest))) => Ok((rest, taken)),
            _ => Err(nom::Err::Error(nom::error::Error::new(
                input,
                nom::error::ErrorKind::TakeWhile1,
            ))),
        }
    }
}
