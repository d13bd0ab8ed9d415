//! What a reply means in its place: the same `250` says "sender taken" to MAIL,
//! "recipient taken" to RCPT and "the message is now ours" after the data. Keys are
//! `answer:<what it answers>:<code>`, e.g. `answer:RCPT:250`.

use super::Explanation;
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
pub(super) const ANSWERS: &[(Answering, u16, Explanation)] = &[
    (
        Answering::Greeting,
        220,
        Explanation {
            summary: "The server is ready and says who it is. Only now may the client speak, starting with EHLO.",
            reference: "RFC 5321 §3.1",
        },
    ),
    (
        Answering::Command(Verb::Ehlo),
        250,
        Explanation {
            summary: "The server greets the client by the name it gave. Every further line names an SMTP extension the client may use in this session.",
            reference: "RFC 5321 §4.1.1.1",
        },
    ),
    (
        Answering::Command(Verb::Helo),
        250,
        Explanation {
            summary: "The server greets the client, plain SMTP: no extension list, so the client uses none of them.",
            reference: "RFC 5321 §4.1.1.1",
        },
    ),
    (
        Answering::Command(Verb::StartTls),
        220,
        Explanation {
            summary: "Start the TLS handshake now. Once it is done, both sides forget the session so far and the client begins again with EHLO.",
            reference: "RFC 3207 §4.2",
        },
    ),
    (
        Answering::Command(Verb::Auth),
        235,
        Explanation {
            summary: "The credentials are good: the client is logged in for the rest of the session, and may now send mail on its user's behalf.",
            reference: "RFC 4954 §6",
        },
    ),
    (
        Answering::Command(Verb::Mail),
        250,
        Explanation {
            summary: "The sender is taken and a new mail transaction has begun. Next the client names each recipient with RCPT TO.",
            reference: "RFC 5321 §4.1.1.2",
        },
    ),
    (
        Answering::Command(Verb::Rcpt),
        250,
        Explanation {
            summary: "The server will take mail for this recipient. The client may name more recipients, then send DATA.",
            reference: "RFC 5321 §4.1.1.3",
        },
    ),
    (
        Answering::Command(Verb::Data),
        354,
        Explanation {
            summary: "Go ahead: the server now reads the message itself, header and body, until a line that holds only a dot.",
            reference: "RFC 5321 §4.1.1.4",
        },
    ),
    (
        Answering::EndOfData,
        250,
        Explanation {
            summary: "The message is accepted. From this moment the receiving server is responsible for it: it must deliver it, or send a bounce to the sender.",
            reference: "RFC 5321 §6.1",
        },
    ),
    (
        Answering::Command(Verb::Bdat),
        250,
        Explanation {
            summary: "This chunk of the message arrived. After the LAST chunk, this reply means the whole message is accepted and the server is responsible for it.",
            reference: "RFC 3030 §2",
        },
    ),
    (
        Answering::Command(Verb::Rset),
        250,
        Explanation {
            summary: "The transaction so far is forgotten (sender, recipients, data); the connection stays open for a new one.",
            reference: "RFC 5321 §4.1.1.5",
        },
    ),
    (
        Answering::Command(Verb::Quit),
        221,
        Explanation {
            summary: "The server says goodbye and closes the connection. Every message it accepted with 250 is already its responsibility.",
            reference: "RFC 5321 §4.1.1.10",
        },
    ),
];

/// What `code` means as the answer to `answering`, when that differs from the code alone.
pub fn answer(answering: Answering, code: u16) -> Option<Explanation> {
    ANSWERS
        .iter()
        .find(|(to, value, _)| *to == answering && *value == code)
        .map(|(_, _, explanation)| *explanation)
}
