//! Commands (RFC 5321 §4.1.1 and the extensions).

use super::Source;
use crate::syntax::Verb;

/// What a command asks of the server: `command-<verb>` in the catalog.
pub(super) fn command(verb: Verb) -> Source {
    let reference = match verb {
        Verb::Ehlo => "RFC 5321 §4.1.1.1",
        Verb::Helo => "RFC 5321 §4.1.1.1",
        Verb::Mail => "RFC 5321 §4.1.1.2",
        Verb::Rcpt => "RFC 5321 §4.1.1.3",
        Verb::Data => "RFC 5321 §4.1.1.4",
        Verb::Bdat => "RFC 3030 §2",
        Verb::Rset => "RFC 5321 §4.1.1.5",
        Verb::Vrfy => "RFC 5321 §4.1.1.6",
        Verb::Expn => "RFC 5321 §4.1.1.7",
        Verb::Help => "RFC 5321 §4.1.1.8",
        Verb::Noop => "RFC 5321 §4.1.1.9",
        Verb::Quit => "RFC 5321 §4.1.1.10",
        Verb::StartTls => "RFC 3207 §4",
        Verb::Auth => "RFC 4954 §4",
    };
    Source::new(
        format!("command-{}", verb.as_str().to_ascii_lowercase()),
        reference,
    )
}
