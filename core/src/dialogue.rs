//! A learner's SMTP lines played against the real server session, every reply
//! explained: the edge's `POST /api/v1/dialogue` and the web app's terminal both use it.
//! The server is `mx.example.org`, taking mail for `example.org` and relaying for no one.

use crate::explain::{Explanation, Key};
use crate::reply::ReplyCode;
use crate::server::driver::{self, Policy};
use crate::server::{BareLineEndings, ConnectionInfo, Decision, ServerConfig, ServerSession};
use crate::syntax::reply::parse_reply;
use crate::syntax::{Domain, ForwardPath, Host, RcptParameters};
use crate::time::UnixTime;

/// The simulated server's name and its one local domain.
pub const SERVER_NAME: &str = "mx.example.org";
pub const LOCAL_DOMAIN: &str = "example.org";

/// The simulated server's clock: the replies do not depend on the real one.
const NOW: UnixTime = UnixTime::from_millis(1_767_603_600_000);

/// How the simulated server behaves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// wasmtp's defaults: RFC 5321 to the letter.
    #[default]
    Strict,
    /// Bare CR or LF accepted as line endings, as lax servers do (and smuggling works).
    Lax,
    /// A server from before ESMTP: EHLO is `502`, only HELO works.
    HeloOnly,
}

impl Profile {
    pub const ALL: [Self; 3] = [Self::Strict, Self::Lax, Self::HeloOnly];

    /// `strict`, `lax` or `helo-only`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Strict => "strict",
            Self::Lax => "lax",
            Self::HeloOnly => "helo-only",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|profile| profile.name() == name)
    }

    fn config(self) -> Option<ServerConfig> {
        let mut config = ServerConfig::new(SERVER_NAME).ok()?;
        config.local_domains = Domain::parse(LOCAL_DOMAIN).into_iter().collect();
        match self {
            Self::Strict => {}
            Self::Lax => config.quirks.bare_line_endings = BareLineEndings::Normalize,
            Self::HeloOnly => config.quirks.helo_only = true,
        }
        Some(config)
    }
}

/// One reply (all its lines) and what its code means.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExplainedReply {
    /// The reply as sent, CR LF included.
    pub text: String,
    pub code: u16,
    pub explanation: Option<Explanation>,
}

/// A line the learner sent and the replies it got.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Exchange {
    pub sent: String,
    pub replies: Vec<ExplainedReply>,
}

/// A whole dialogue.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dialogue {
    pub profile: &'static str,
    /// The greeting, before any line.
    pub greeting: Vec<ExplainedReply>,
    pub exchanges: Vec<Exchange>,
    /// The server closed the connection (after QUIT, or on its own).
    pub closed: bool,
}

/// Plays `lines`, each sent with CR LF (message lines after DATA included), until they
/// run out or the server closes.
pub fn play<S: AsRef<str>>(profile: Profile, lines: &[S]) -> Dialogue {
    let mut dialogue = Dialogue {
        profile: profile.name(),
        greeting: Vec::new(),
        exchanges: Vec::new(),
        closed: false,
    };
    let Some(config) = profile.config() else {
        return dialogue;
    };
    let mut session = ServerSession::new(config, ConnectionInfo::default(), NOW);
    dialogue.greeting = explained(&drain(&mut session, &mut dialogue.closed));
    for line in lines {
        if dialogue.closed {
            break;
        }
        let line = line.as_ref();
        session.receive(format!("{line}\r\n").as_bytes(), NOW);
        let replies = explained(&drain(&mut session, &mut dialogue.closed));
        dialogue.exchanges.push(Exchange {
            sent: line.to_owned(),
            replies,
        });
    }
    dialogue
}

/// The simulated server's decisions: mail for the local domain is taken, other
/// domains refused (no relay), logins refused, messages accepted.
struct LocalOnly<'a> {
    output: Vec<u8>,
    closed: &'a mut bool,
}

impl Policy for LocalOnly<'_> {
    fn output(&mut self, bytes: Vec<u8>) {
        self.output.extend(bytes);
    }

    fn rcpt(&mut self, forward_path: &ForwardPath, _: &RcptParameters) -> Decision {
        let local = match forward_path {
            ForwardPath::Postmaster => true,
            ForwardPath::Mailbox(mailbox) => {
                matches!(&mailbox.host, Host::Domain(domain) if domain.eq_ignore_case(LOCAL_DOMAIN))
            }
        };
        if local {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }

    fn close(&mut self) {
        *self.closed = true;
    }
}

/// Runs the session's events; returns what the server said.
fn drain(session: &mut ServerSession, closed: &mut bool) -> Vec<u8> {
    let mut policy = LocalOnly {
        output: Vec::new(),
        closed,
    };
    driver::drain(session, &mut policy, &mut Vec::new());
    policy.output
}

/// Splits output into replies (a multi-line reply is one) and explains each code.
fn explained(output: &[u8]) -> Vec<ExplainedReply> {
    let mut replies = Vec::new();
    let mut rest = output;
    while !rest.is_empty() {
        let (used, code) = match parse_reply(rest) {
            Ok(Some((reply, used))) => (used, Some(reply.code())),
            Ok(None) | Err(_) => (rest.len(), None),
        };
        let (text, after) = rest.split_at_checked(used).unwrap_or((rest, &[]));
        rest = after;
        replies.push(ExplainedReply {
            text: String::from_utf8_lossy(text).into_owned(),
            code: code.map_or(0, ReplyCode::value),
            explanation: code.map(|code| Key::Reply(code).explanation()),
        });
    }
    replies
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(dialogue: &Dialogue) -> Vec<Vec<u16>> {
        dialogue
            .exchanges
            .iter()
            .map(|exchange| exchange.replies.iter().map(|reply| reply.code).collect())
            .collect()
    }

    #[test]
    fn a_whole_transaction_gets_the_rfc_replies() {
        let dialogue = play(
            Profile::Strict,
            &[
                "EHLO me.example",
                "MAIL FROM:<a@me.example>",
                "RCPT TO:<bob@example.org>",
                "RCPT TO:<eve@elsewhere.example>",
                "DATA",
                "Subject: hi",
                "",
                "..dot",
                ".",
                "QUIT",
            ],
        );
        assert_eq!(dialogue.greeting[0].code, 220);
        assert_eq!(
            codes(&dialogue),
            [
                vec![250],
                vec![250],
                vec![250],
                vec![554],
                vec![354],
                vec![],
                vec![],
                vec![],
                vec![250],
                vec![221]
            ]
        );
        assert!(dialogue.closed);
        assert!(dialogue.exchanges[0].replies[0].explanation.is_some());
    }

    #[test]
    fn profiles_change_the_server() {
        let strict = play(Profile::Strict, &["EHLO me.example"]);
        let old = play(Profile::HeloOnly, &["EHLO me.example", "HELO me.example"]);
        assert_eq!(codes(&strict), [vec![250]]);
        assert_eq!(codes(&old), [vec![502], vec![250]]);
        assert_eq!(Profile::from_name("helo-only"), Some(Profile::HeloOnly));
        assert_eq!(Profile::from_name("nope"), None);
    }

    #[test]
    fn a_malformed_command_is_500_and_lines_after_close_are_not_played() {
        let dialogue = play(Profile::Strict, &["FROB", "QUIT", "NOOP"]);
        assert_eq!(codes(&dialogue), [vec![500], vec![221]]);
    }
}
