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
    let end = memchr::memmem::find(input, b"\r\n")?;
    let (line, rest) = input.split_at_checked(end)?;
    Some((line, rest.get(2..)?))
}
