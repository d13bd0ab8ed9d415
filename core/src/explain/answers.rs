//! What a reply means in its place: the same `250` says "sender taken" to MAIL,
//! "recipient taken" to RCPT and "the message is now ours" after the data. Keys are
//! `answer:<what it answers>:<code>`, e.g. `answer:RCPT:250`.

use super::Source;
use crate::syntax::Verb;

/// What a reply answers: a command, the greeting's wait, or the end of the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answering {
    /// The connection itself: the greeting (RFC 5321 §3.1).
    Greeting,
    Command(Verb),
    /// The message after DATA's 354, ended by `<CRLF>.<CRLF>`.
    EndOfData,
}

impl Answering {
    /// `greeting`, the verb (`RCPT`), or `end-of-data`: the middle of the key.
    pub fn name(self) -> &'static str {
        match self {
            Self::Greeting => "greeting",
            Self::Command(verb) => verb.as_str(),
            Self::EndOfData => "end-of-data",
        }
    }

    pub(super) fn parse(name: &str) -> Option<Self> {
        match name {
            "greeting" => Some(Self::Greeting),
            "end-of-data" => Some(Self::EndOfData),
            _ => Verb::ALL
                .into_iter()
                .find(|verb| verb.as_str() == name)
                .map(Self::Command),
        }
    }
}

/// The replies whose meaning depends on what they answer, with that meaning.
pub(super) const ANSWERS: &[(Answering, u16, &str)] = &[
    (Answering::Greeting, 220, "RFC 5321 §3.1"),
    (Answering::Command(Verb::Ehlo), 250, "RFC 5321 §4.1.1.1"),
    (Answering::Command(Verb::Helo), 250, "RFC 5321 §4.1.1.1"),
    (Answering::Command(Verb::StartTls), 220, "RFC 3207 §4.2"),
    (Answering::Command(Verb::Auth), 235, "RFC 4954 §6"),
    (Answering::Command(Verb::Mail), 250, "RFC 5321 §4.1.1.2"),
    (Answering::Command(Verb::Rcpt), 250, "RFC 5321 §4.1.1.3"),
    (Answering::Command(Verb::Data), 354, "RFC 5321 §4.1.1.4"),
    (Answering::EndOfData, 250, "RFC 5321 §6.1"),
    (Answering::Command(Verb::Bdat), 250, "RFC 3030 §2"),
    (Answering::Command(Verb::Rset), 250, "RFC 5321 §4.1.1.5"),
    (Answering::Command(Verb::Quit), 221, "RFC 5321 §4.1.1.10"),
];

/// Whether `code` has a meaning of its own as the answer to `answering`.
pub fn has_answer(answering: Answering, code: u16) -> bool {
    reference(answering, code).is_some()
}

/// What `code` means as the answer to `answering` (`answer-<answering>-<code>` in the
/// catalog), when that differs from the code alone.
pub(super) fn answer(answering: Answering, code: u16) -> Option<Source> {
    let reference = reference(answering, code)?;
    let id = format!("answer-{}-{code}", answering.name().to_ascii_lowercase());
    Some(Source::new(id, reference))
}

fn reference(answering: Answering, code: u16) -> Option<&'static str> {
    ANSWERS
        .iter()
        .find(|(to, value, _)| *to == answering && *value == code)
        .map(|(_, _, reference)| *reference)
}
